//! PDF input: loading (with a password), page listing and the per-page reading that
//! [`read`] (glyphs, see `crate::glyphs`) and [`extract`] (pdf-extract's plain text, the
//! reference the benches and `examples/pdf_text` compare with) share.
//!
//! pdf-extract and lopdf panic on malformed fonts and content streams by design. Every
//! call into them runs inside [`contained`]: `catch_unwind` turns a panic into an error
//! for this file, and the panic message is kept off standard error. Pages are read one
//! by one (`extract_text_by_pages` stops silently at the first page that fails), in
//! parallel. What no `catch_unwind` survives (a stack overflow, an allocation failure)
//! is left to the worker processes of [`crate::worker`], which the command line uses for
//! every PDF.

use pdf_extract::{
    ColorSpace, Document, FontCache, LoadOptions, MediaBox, Object, OutputDev, OutputError, Path,
    PlainTextOutput, Transform, UnicodeCache,
};

pub use crate::contain::contained;
pub use crate::glyphs::{is_unmapped, GlyphCount};
use crate::{Error, ErrorKind};

/// How far into the input the `%PDF-` header is looked for (PDF readers accept leading
/// garbage before it; 1024 bytes is what Acrobat allows).
pub const HEADER_WINDOW: usize = 1024;

/// True when `bytes` hold `%PDF-` within the first [`HEADER_WINDOW`] bytes.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(HEADER_WINDOW)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// A PDF's text, page by page, with what its glyphs decoded to.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// Each page's plain text as pdf-extract prints it.
    pub pages: Vec<String>,
    /// Glyphs over the pages read (not those in `unreadable_pages`).
    pub glyphs: GlyphCount,
    /// 1-based pages with at least one unmapped glyph.
    pub unmapped_pages: Vec<u32>,
    /// Pages that could not be read, or whose text is garbled (1-based, with the
    /// cause): left out, each an empty page in `pages`.
    pub unreadable_pages: Vec<(u32, String)>,
    /// How the file's structure was repaired to open it, when it had to be.
    pub repaired: Option<String>,
}

/// Extracts every page's text; `path` names the input in errors, `password` opens an
/// encrypted PDF. The pages joined with "\n\n" are the pdf-extract text-dump form.
pub fn extract_pages(
    path: &str,
    bytes: &[u8],
    password: Option<&str>,
) -> Result<Vec<String>, Error> {
    extract(path, bytes, password).map(|e| e.pages)
}

/// [`extract_pages`] with the glyph counts (for a warning about unmapped glyphs in a
/// document that is readable on the whole).
pub fn extract(path: &str, bytes: &[u8], password: Option<&str>) -> Result<Extracted, Error> {
    extract_limited(path, bytes, password, u32::MAX)
}

/// [`extract`] refusing a document of more than `max_pages` pages (`too_many_pages`)
/// before any page is read.
pub fn extract_limited(
    path: &str,
    bytes: &[u8],
    password: Option<&str>,
    max_pages: u32,
) -> Result<Extracted, Error> {
    let (mut doc, repaired) = load(path, bytes, password)?;
    let cache = UnicodeCache::new();
    let read = each_page(
        path,
        &mut doc,
        max_pages,
        FontCache::new,
        |built, doc, number, id| page_text(doc, number, id, &cache, built),
        |_| String::new(),
    )?;
    Ok(Extracted {
        pages: read.pages,
        glyphs: read.glyphs,
        unmapped_pages: read.unmapped_pages,
        unreadable_pages: read.unreadable_pages,
        repaired,
    })
}

/// A PDF's glyphs, page by page, with what they decoded to.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub pages: Vec<crate::glyphs::Page>,
    /// Glyphs over the pages read (not those in `unreadable_pages`).
    pub glyphs: GlyphCount,
    /// 1-based pages with at least one unmapped glyph.
    pub unmapped_pages: Vec<u32>,
    /// Pages that could not be read, or whose text is garbled (1-based, with the
    /// cause): each an empty page in `pages`, named by a `page_unreadable` warning.
    pub unreadable_pages: Vec<(u32, String)>,
    /// How the file's structure was repaired to open it, when it had to be (a
    /// `pdf_repaired` warning).
    pub repaired: Option<String>,
}

/// Reads every page's glyphs with their geometry and fonts (see `crate::glyphs`);
/// pages are read in parallel.
pub fn read(path: &str, bytes: &[u8], password: Option<&str>) -> Result<Read, Error> {
    read_limited(path, bytes, password, u32::MAX)
}

/// [`read`] refusing a document of more than `max_pages` pages (`too_many_pages`)
/// before any page is read.
pub fn read_limited(
    path: &str,
    bytes: &[u8],
    password: Option<&str>,
    max_pages: u32,
) -> Result<Read, Error> {
    let (mut doc, repaired) = load(path, bytes, password)?;
    // The pages share their decoded ToUnicode CMaps, and the pages read on one thread
    // their fonts (see `pdf_extract::UnicodeCache` and `FontCache`).
    let cache = UnicodeCache::new();
    let read = each_page(
        path,
        &mut doc,
        max_pages,
        FontCache::new,
        |built, doc, number, id| {
            // The content decoded here, where a panic in the decoder is contained;
            // content that does not read or decode is left to pdf-extract, to fail as it
            // does.
            let content = contained(|| {
                doc.get_page_content(id)
                    .ok()
                    .and_then(|bytes| crate::content::decode(&pdf_extract::blank_comments(&bytes)))
            })
            .ok()
            .flatten();
            let mut device = crate::glyphs::GlyphDevice::for_content(number, content.as_ref());
            match contained(|| {
                pdf_extract::output_doc_page_cached(
                    doc,
                    &mut device,
                    number,
                    id,
                    content.as_ref(),
                    &cache,
                    built,
                )
            }) {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(e.to_string()),
                Err(why) => return Err(why),
            }
            let page = device.finish();
            let count = page.count;
            Ok((page, count))
        },
        |number| crate::glyphs::Page::empty(number, [0.0, 0.0, 0.0, 0.0]),
    )?;
    Ok(Read {
        pages: read.pages,
        glyphs: read.glyphs,
        unmapped_pages: read.unmapped_pages,
        unreadable_pages: read.unreadable_pages,
        repaired,
    })
}

/// What [`each_page`] read.
struct Pages<T> {
    pages: Vec<T>,
    glyphs: GlyphCount,
    unmapped_pages: Vec<u32>,
    unreadable_pages: Vec<(u32, String)>,
}

/// Runs `one` on every page (in parallel) and classifies the glyph counts; more than
/// `max_pages` pages is `too_many_pages` before any page is read. A page that fails, or
/// whose text is garbled (most of its glyphs without Unicode), is left out (`blank` of
/// its number stands in its place) and listed with its cause; only a document with no
/// page read is an error: `pdf_garbled` when pages were garbled (or the rest held no
/// glyph), else `pdf_damaged` naming the first page that failed. Each run of pages on
/// one thread shares a state made by `init` (pdf-extract's fonts).
// Long: the parallel run and the classification of its outcomes (read, left out, garbled,
// why none) share the per-page results; split, they would travel as a struct read once.
fn each_page<'d, T: Send, S>(
    path: &str,
    doc: &'d mut Document,
    max_pages: u32,
    init: impl Fn() -> S + Sync + Send,
    one: impl Fn(&mut S, &'d Document, u32, pdf_extract::ObjectId) -> Result<(T, GlyphCount), String>
        + Sync
        + Send,
    blank: impl Fn(u32) -> T,
) -> Result<Pages<T>, Error> {
    use rayon::prelude::*;
    crate::pdf_guard::check(doc).map_err(|why| damaged(path, why))?;
    let pages: Vec<(u32, pdf_extract::ObjectId)> = contained(|| doc.get_pages())
        .map_err(|why| damaged(path, format!("cannot list the pages: {why}")))?
        .into_iter()
        .collect();
    let page_count = pages.len();
    if page_count == 0 {
        return Err(damaged(
            path,
            "no pages found (the page tree is missing or broken)".into(),
        ));
    }
    if page_count as u64 > u64::from(max_pages) {
        return Err(Error::new(
            path,
            ErrorKind::TooManyPages {
                pages: page_count as u64,
                limit: max_pages,
            },
        ));
    }
    inflate_shared(doc, &pages);
    let doc: &'d Document = doc;
    let results: Vec<Result<(T, GlyphCount), String>> = pages
        .par_iter()
        .map_init(init, |state, &(number, id)| one(state, doc, number, id))
        .collect();
    let mut out = Vec::with_capacity(page_count);
    let mut glyphs = GlyphCount::default();
    let mut unmapped_pages = Vec::new();
    let mut failures: Vec<(u32, String)> = Vec::new();
    // The glyphs of the pages left out as garbled: a document of nothing else is refused
    // with the figures of all its glyphs.
    let mut garbled = GlyphCount::default();
    for (&(number, _), result) in pages.iter().zip(results) {
        match result {
            Ok((_, c)) if is_garbled(c) => {
                garbled.add(c);
                out.push(blank(number));
                failures.push((
                    number,
                    format!(
                        "its text is garbled: {} of {} glyphs have no Unicode mapping (fonts without ToUnicode)",
                        c.unmapped, c.glyphs
                    ),
                ));
            }
            Ok((page, c)) => {
                glyphs.add(c);
                if c.unmapped > 0 {
                    unmapped_pages.push(number);
                }
                out.push(page);
            }
            Err(why) => {
                out.push(blank(number));
                failures.push((number, why));
            }
        }
    }
    if failures.len() == page_count && garbled.glyphs == 0 {
        let (number, why) = &failures[0];
        let more = match failures.len() {
            1 => String::new(),
            n => format!(" ({} more page(s) fail too)", n - 1),
        };
        return Err(damaged(
            path,
            format!("page {number} of {page_count} cannot be read: {why}{more}"),
        ));
    }
    classify(path, (page_count - failures.len()) as u32, glyphs, garbled)?;
    Ok(Pages {
        pages: out,
        glyphs,
        unmapped_pages,
        unreadable_pages: failures,
    })
}

/// Inflates, once and in parallel, the streams that reading the pages would otherwise
/// inflate on several threads or twice: fonts are built once per reading thread (the
/// vendored pdf-extract's `FontCache`), so each thread would inflate a font's encoding
/// CMap and program again, and ToUnicode CMaps are decoded once per document (its
/// `UnicodeCache`) on whichever page asks first; page contents, read once per page,
/// are inflated here with the rest rather than by their page. An inflated stream reads back as the
/// same bytes (`decompressed_content` of a stream without a filter is its content), so
/// nothing read changes; a stream that does not inflate is left as it is, to fail where
/// it did. Only these streams: inflating others (images, unused objects) would be work,
/// and memory, that reading the pages never asks for.
fn inflate_shared(doc: &mut Document, pages: &[(u32, pdf_extract::ObjectId)]) {
    use rayon::prelude::*;
    use std::collections::BTreeSet;
    let wanted = contained(|| {
        let mut wanted = BTreeSet::new();
        let mut add = |o: Result<&Object, _>| {
            if let Ok(id) = o.and_then(Object::as_reference) {
                wanted.insert(id);
            }
        };
        for &(_, page) in pages {
            for id in doc.get_page_contents(page) {
                add(Ok(&Object::Reference(id)));
            }
            for font in doc
                .get_page_fonts(page)
                .into_iter()
                .flat_map(|f| f.into_values())
            {
                // pdf-extract reads these on each thread that builds the font: the
                // encoding CMap and the font program (parsed for Type 1 and CFF; a
                // TrueType program is not read at all); the ToUnicode CMap once (see
                // above).
                add(font.get(b"ToUnicode"));
                add(font.get(b"Encoding"));
                let descriptor = font
                    .get(b"FontDescriptor")
                    .and_then(Object::as_reference)
                    .and_then(|d| doc.get_dictionary(d));
                if let Ok(descriptor) = descriptor {
                    for key in [&b"FontFile"[..], b"FontFile3"] {
                        add(descriptor.get(key));
                    }
                }
            }
            // ICC-based colour spaces, inflated by pdf-extract at every use.
            let (own, inherited) = doc.get_page_resources(page).unwrap_or_default();
            let dicts = own.into_iter().chain(
                inherited
                    .iter()
                    .filter_map(|&id| doc.get_dictionary(id).ok()),
            );
            for resources in dicts {
                let spaces = resources.get(b"ColorSpace").and_then(|o| match o {
                    Object::Reference(id) => doc.get_dictionary(*id),
                    o => o.as_dict(),
                });
                for (_, space) in spaces.into_iter().flat_map(|d| d.iter()) {
                    let space = match space {
                        Object::Reference(id) => doc.get_object(*id),
                        o => Ok(o),
                    };
                    if let Ok(Object::Array(a)) = space {
                        if let Some(o) = a.get(1) {
                            add(Ok(o));
                        }
                    }
                }
            }
        }
        wanted
    });
    let Ok(wanted) = wanted else { return };
    let mut streams: Vec<&mut pdf_extract::Stream> = doc
        .objects
        .iter_mut()
        .filter(|(id, _)| wanted.contains(id))
        .filter_map(|(_, o)| o.as_stream_mut().ok())
        .filter(|s| s.is_compressed())
        .collect();
    streams.par_iter_mut().for_each(|stream| {
        // A failure (or a panic in the decoder) leaves the stream compressed.
        let _ = contained(|| stream.decompress());
    });
}

/// Whether a page's text is garbled: mostly unmapped, more than half of its glyphs. A
/// few unmapped symbols (bullets, dingbats) on a readable page are left to the text
/// checks.
fn is_garbled(count: GlyphCount) -> bool {
    count.unmapped * 2 > count.glyphs
}

/// Turns the glyph counts of the `pages` read (`read`) and of the pages left out as
/// garbled (`garbled`) into the "no text layer" and "garbled" errors: the document is
/// refused when the pages read show no glyph.
fn classify(path: &str, pages: u32, read: GlyphCount, garbled: GlyphCount) -> Result<(), Error> {
    if read.glyphs > 0 {
        return Ok(());
    }
    if garbled.glyphs > 0 {
        let mut all = read;
        all.add(garbled);
        return Err(Error::new(
            path,
            ErrorKind::PdfGarbled {
                glyphs: all.glyphs,
                unmapped: all.unmapped,
            },
        ));
    }
    Err(Error::new(path, ErrorKind::PdfNoText { pages }))
}

/// Page numbers in ascending order as runs: `2, 5–7` (a long list of pages left out
/// stays one line).
pub fn page_runs(pages: &[u32]) -> String {
    let mut runs: Vec<String> = Vec::new();
    for run in pages.chunk_by(|&a, &b| b == a + 1) {
        runs.push(match run {
            [one] => one.to_string(),
            [first, .., last] => format!("{first}–{last}"),
            [] => continue,
        });
    }
    runs.join(", ")
}

fn damaged(path: &str, detail: String) -> Error {
    Error::new(path, ErrorKind::PdfDamaged { detail })
}

/// Parses the document and opens it with the password when it is encrypted; the second
/// value says how its structure was repaired, when it had to be (see [`parse`]).
fn load(
    path: &str,
    bytes: &[u8],
    password: Option<&str>,
) -> Result<(Document, Option<String>), Error> {
    let (doc, repaired) = parse(path, bytes, LoadOptions::default())?;
    let mut doc = load_decrypted(path, bytes, password, doc, repaired.as_deref())?;
    let _ = contained(|| normalize_filters(&mut doc));
    Ok((doc, repaired))
}

/// Brings every stream's filters to the form lopdf decodes: an indirect `/Filter` or
/// `/DecodeParms` is replaced by its value, an empty filter array removed, the
/// abbreviated names of inline images
/// (`/Fl`, `/LZW`, `/A85`, `/AHx`, `/RL`, PDF 32000-1 8.9.7) that some writers use for
/// streams too are spelled out, and the leading `ASCIIHexDecode` and
/// `RunLengthDecode` filters, which lopdf 0.42 does not know, are decoded here. lopdf
/// reads a stream it cannot decode as it is: such text was lost (`pdf_no_text`).
// Long: one pass per kind of filter fix over the document's streams, in the order lopdf
// needs them; each pass is short.
fn normalize_filters(doc: &mut Document) {
    let resolved: Vec<(pdf_extract::ObjectId, Option<Object>, Option<Object>)> = doc
        .objects
        .iter()
        .filter_map(|(&id, o)| {
            let dict = &o.as_stream().ok()?.dict;
            let get = |key: &[u8]| match dict.get(key) {
                Ok(Object::Reference(r)) => doc.get_object(*r).ok().cloned(),
                _ => None,
            };
            let (f, p) = (get(b"Filter"), get(b"DecodeParms"));
            (f.is_some() || p.is_some()).then_some((id, f, p))
        })
        .collect();
    for (id, filter, parms) in resolved {
        if let Some(Object::Stream(s)) = doc.objects.get_mut(&id) {
            if let Some(f) = filter {
                s.dict.set("Filter", f);
            }
            if let Some(p) = parms {
                s.dict.set("DecodeParms", p);
            }
        }
    }
    for object in doc.objects.values_mut() {
        let Ok(stream) = object.as_stream_mut() else {
            continue;
        };
        let names: Vec<Vec<u8>> = match stream.dict.get(b"Filter") {
            Ok(Object::Name(n)) => vec![n.clone()],
            Ok(Object::Array(a)) => a
                .iter()
                .filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec))
                .collect(),
            _ => continue,
        };
        let full: Vec<Vec<u8>> = names
            .iter()
            .map(|n| {
                match n.as_slice() {
                    b"Fl" => &b"FlateDecode"[..],
                    b"LZW" => b"LZWDecode",
                    b"A85" => b"ASCII85Decode",
                    b"AHx" => b"ASCIIHexDecode",
                    b"RL" => b"RunLengthDecode",
                    b"CCF" => b"CCITTFaxDecode",
                    b"DCT" => b"DCTDecode",
                    other => other,
                }
                .to_vec()
            })
            .collect();
        let leading = full
            .iter()
            .take_while(|n| matches!(n.as_slice(), b"ASCIIHexDecode" | b"RunLengthDecode"))
            .count();
        if names.is_empty() {
            // `/Filter []`: no filter, which lopdf decodes to no bytes at all.
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            continue;
        }
        if full == names && leading == 0 {
            continue;
        }
        for name in &full[..leading] {
            stream.content = match name.as_slice() {
                b"ASCIIHexDecode" => ascii_hex(&stream.content),
                _ => run_length(&stream.content),
            };
        }
        let rest: Vec<Object> = full[leading..]
            .iter()
            .map(|n| Object::Name(n.clone()))
            .collect();
        if rest.is_empty() {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
        } else {
            stream.dict.set("Filter", Object::Array(rest));
            if leading > 0 {
                if let Ok(Object::Array(p)) = stream.dict.get(b"DecodeParms") {
                    let p = Object::Array(p.iter().skip(leading).cloned().collect());
                    stream.dict.set("DecodeParms", p);
                }
            }
        }
        let len = stream.content.len() as i64;
        stream.dict.set("Length", len);
    }
}

/// ASCIIHexDecode: hex digit pairs to the `>`, white space ignored, an odd last digit
/// followed by 0.
fn ascii_hex(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut high: Option<u8> = None;
    for &b in data {
        if b == b'>' {
            break;
        }
        let Some(d) = (b as char).to_digit(16) else {
            continue;
        };
        match high.take() {
            Some(h) => out.push(h << 4 | d as u8),
            None => high = Some(d as u8),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    out
}

/// RunLengthDecode: a length byte, then that many + 1 bytes (0..=127) or one byte
/// repeated 257 − length times (129..=255); 128 ends the data.
fn run_length(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let n = data[i] as usize;
        i += 1;
        match n {
            128 => break,
            0..=127 => {
                let end = (i + n + 1).min(data.len());
                out.extend_from_slice(&data[i..end]);
                i = end;
            }
            _ => {
                if let Some(&b) = data.get(i) {
                    out.extend(std::iter::repeat_n(b, 257 - n));
                }
                i += 1;
            }
        }
    }
    out
}

// Long: lopdf's load, its panics and pdf-extract's decryption, each outcome mapped to its
// error where it happens.
fn load_decrypted(
    path: &str,
    bytes: &[u8],
    password: Option<&str>,
    doc: Document,
    repaired: Option<&str>,
) -> Result<Document, Error> {
    // lopdf opens a document with an empty user password by itself.
    match contained(|| doc.is_encrypted()) {
        Ok(false) => return Ok(doc),
        Ok(true) => {}
        Err(why) => {
            return Err(damaged(
                path,
                format!("the encryption dictionary cannot be read: {why}"),
            ))
        }
    }
    let encrypted = |detail: &str| {
        Error::new(
            path,
            ErrorKind::PdfEncrypted {
                detail: detail.into(),
            },
        )
    };
    let password = match password {
        Some(p) => p,
        None => {
            // Only the attachments encrypted: the pages read as they are.
            if let Some(plain) = without_identity_encryption(bytes) {
                if let Ok(Ok(doc)) = contained(|| Document::load_mem(&plain)) {
                    if !doc.is_encrypted() && !doc.get_pages().is_empty() {
                        return Ok(doc);
                    }
                }
            }
            return Err(encrypted("a password is needed to open it (--password)"));
        }
    };
    // lopdf 0.42 "opens" an RC4/AES-128 document with its owner password but derives
    // the wrong key from it, which would come out as a PDF without text; only the user
    // password is passed on.
    match contained(|| {
        (
            doc.authenticate_user_password(password).is_ok(),
            doc.authenticate_owner_password(password).is_ok(),
        )
    }) {
        Ok((true, _)) => {}
        Ok((false, true)) => {
            return Err(encrypted(
                "the password given is its owner (permissions) password; give the user password, the one that opens it",
            ))
        }
        Ok((false, false)) => return Err(encrypted("the password given does not open it")),
        Err(why) => {
            return Err(damaged(
                path,
                format!("the encryption dictionary cannot be read: {why}"),
            ))
        }
    }
    let doc = match repaired {
        // The repaired bytes, opened with the password.
        Some(_) => contained(|| {
            rebuild_xref(bytes).and_then(|b| {
                Document::load_mem_with_options(&b, LoadOptions::with_password(password)).ok()
            })
        })
        .ok()
        .flatten()
        .ok_or_else(|| encrypted("the password given does not open it"))?,
        None => parse(path, bytes, LoadOptions::with_password(password))?.0,
    };
    match contained(|| doc.is_encrypted()) {
        Ok(false) => Ok(doc),
        Ok(true) => Err(encrypted("the password given does not open it")),
        Err(why) => Err(damaged(path, format!("cannot be decrypted: {why}"))),
    }
}

/// Parses the bytes; a failure is `not_pdf`, or `pdf_damaged` when the bytes do hold
/// PDF objects (a truncated file, a broken cross-reference table).
///
/// A file whose cross-reference table or trailer is broken (a wrong `startxref`, an
/// offset off by a few bytes, a `/Prev` loop, junk before the header) and that opens
/// without pages or not at all is read again with a table rebuilt by scanning the file
/// for objects ([`rebuild_xref`]), as qpdf and poppler do; the second value then says
/// so, for a `pdf_repaired` warning. A file that looks truncated (no `%%EOF` near its
/// end) is not repaired: its last pages are missing, and it stays `pdf_damaged`.
fn parse(
    path: &str,
    bytes: &[u8],
    options: LoadOptions,
) -> Result<(Document, Option<String>), Error> {
    let password = options.password.clone();
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let ends = tail.windows(5).any(|w| w == b"%%EOF");
    let repair = |why: &str| -> Option<(Document, Option<String>)> {
        if !ends {
            return None;
        }
        let doc = contained(|| {
            let rebuilt = rebuild_xref(bytes)?;
            let options = match &password {
                Some(p) => LoadOptions::with_password(p),
                None => LoadOptions::default(),
            };
            let doc = Document::load_mem_with_options(&rebuilt, options).ok()?;
            (!doc.get_pages().is_empty()).then_some(doc)
        })
        .ok()
        .flatten()?;
        Some((
            doc,
            Some(format!(
                "the cross-reference table is broken ({why}); it was rebuilt by scanning the file for objects, so an object could be an older version of itself"
            )),
        ))
    };
    let why = match contained(|| Document::load_mem_with_options(bytes, options)) {
        Ok(Ok(doc)) => {
            if contained(|| doc.get_pages().is_empty()).unwrap_or(true) {
                if let Some(repaired) = repair("no pages found through it") {
                    return Ok(repaired);
                }
            }
            return Ok((doc, None));
        }
        Ok(Err(pdf_extract::Error::InvalidPassword)) => {
            return Err(Error::new(
                path,
                ErrorKind::PdfEncrypted {
                    detail: "the password given does not open it".into(),
                },
            ))
        }
        Ok(Err(e)) => e.to_string(),
        Err(why) => why,
    };
    if !holds_objects(bytes) {
        return Err(Error::new(path, ErrorKind::NotPdf { detail: why }));
    }
    if let Some(repaired) = repair(&why) {
        return Ok(repaired);
    }
    let truncated = if ends {
        ""
    } else {
        "; no %%EOF at the end: the file looks truncated"
    };
    Err(damaged(
        path,
        format!("the document structure cannot be read ({why}){truncated}"),
    ))
}

/// The file with a cross-reference table and trailer rebuilt from its objects, appended
/// as an update: every `N G obj` header found (the last of each number wins, as in an
/// incremental update), and a trailer with the `/Root`, `/Info`, `/Encrypt` and `/ID`
/// of the file's last trailer (or cross-reference stream) that names a root, else the
/// last object of `/Type /Catalog`. `None` when no object or no root is found. The
/// offsets count from the `%PDF-` header, as lopdf reads them.
pub fn rebuild_xref(bytes: &[u8]) -> Option<Vec<u8>> {
    let start = bytes.windows(5).position(|w| w == b"%PDF-").unwrap_or(0);
    let body = &bytes[start..];
    let (mut objects, catalog) = scan_objects(body);
    if objects.is_empty() {
        return None;
    }
    let (root, extra) = match last_root(body, &objects) {
        Some((root, extra)) => (root, extra),
        None => (catalog?, String::new()),
    };
    let mut out = body.to_vec();
    out.extend_from_slice(b"\n");
    append_fixed_streams(body, &mut objects, &mut out);
    append_xref(&objects, root, &extra, &mut out);
    Some(out)
}

/// Objects by number, as [`rebuild_xref`] finds them: the generation and offset of the
/// last `N G obj` header of each.
type Objects = std::collections::BTreeMap<u32, (u16, usize)>;

/// White space in a PDF.
fn is_pdf_space(b: u8) -> bool {
    b" \t\r\n\x0c\0".contains(&b)
}

/// White space or a delimiter in a PDF.
fn is_pdf_delim(b: u8) -> bool {
    is_pdf_space(b) || b"()<>[]{}/%".contains(&b)
}

/// The digits (at most 10) right before `end` in `body`: where they start, and their
/// number (`None` when there are none).
fn digits_back(body: &[u8], end: usize) -> (usize, Option<u64>) {
    let mut i = end;
    while i > 0 && body[i - 1].is_ascii_digit() && end - i < 10 {
        i -= 1;
    }
    let n = std::str::from_utf8(&body[i..end])
        .ok()
        .and_then(|t| t.parse().ok());
    (i, if i < end { n } else { None })
}

/// Where the white space right before `end` in `body` starts.
fn spaces_back(body: &[u8], end: usize) -> usize {
    let mut i = end;
    while i > 0 && is_pdf_space(body[i - 1]) {
        i -= 1;
    }
    i
}

/// Every object header "N G obj" at the start of `body` or after white space or a
/// delimiter (the last of each number wins), and the last object of `/Type /Catalog`.
fn scan_objects(body: &[u8]) -> (Objects, Option<(u32, u16)>) {
    let mut objects = Objects::new();
    let mut catalog = None;
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&body[at..], b"obj") {
        let o = at + found;
        at = o + 3;
        let Some((num, gen, n_start)) = object_header(body, o) else {
            continue;
        };
        objects.insert(num, (gen, n_start));
        let head = &body[o + 3..body.len().min(o + 3 + 256)];
        let compact: Vec<u8> = head.iter().copied().filter(|&b| !is_pdf_space(b)).collect();
        if compact.windows(13).any(|w| w == b"/Type/Catalog") {
            catalog = Some((num, gen));
        }
    }
    (objects, catalog)
}

/// The number, generation and start of the object header whose `obj` is at `o` in
/// `body`, or `None` when the `obj` there ends no header.
fn object_header(body: &[u8], o: usize) -> Option<(u32, u16, usize)> {
    if body.get(o + 3).is_some_and(|&b| !is_pdf_delim(b)) {
        return None;
    }
    let g_end = spaces_back(body, o);
    if g_end == o {
        return None;
    }
    let (g_start, gen) = digits_back(body, g_end);
    let n_end = spaces_back(body, g_start);
    if n_end == g_start {
        return None;
    }
    let (n_start, num) = digits_back(body, n_end);
    let (gen, num) = (gen?, num?);
    if n_start > 0 && !is_pdf_delim(body[n_start - 1]) {
        return None;
    }
    let (Ok(num), Ok(gen)) = (u32::try_from(num), u16::try_from(gen)) else {
        return None;
    };
    (num != 0).then_some((num, gen, n_start))
}

/// A reference "N G R" right after the last `key` in `text`.
fn reference_after(text: &[u8], key: &[u8]) -> Option<(u32, u16)> {
    let at = memchr::memmem::rfind(text, key)? + key.len();
    let rest = String::from_utf8_lossy(&text[at..text.len().min(at + 40)]);
    let mut words = rest.split_ascii_whitespace();
    let (n, g, r) = (words.next()?, words.next()?, words.next()?);
    (r.starts_with('R')).then_some(())?;
    Some((n.parse().ok()?, g.parse().ok()?))
}

/// The root named by the last `/Root` in `body` that refers to one of `objects`, with the
/// trailer entries found near it (`/Info`, `/Encrypt`, `/ID`), written as a trailer's.
fn last_root(body: &[u8], objects: &Objects) -> Option<((u32, u16), String)> {
    let mut search = body.len();
    while let Some(at) = memchr::memmem::rfind(&body[..search], b"/Root") {
        search = at;
        let window = &body[at.saturating_sub(2048)..body.len().min(at + 2048)];
        let Some(root) = reference_after(&body[at..body.len().min(at + 64)], b"/Root") else {
            continue;
        };
        if !objects.contains_key(&root.0) {
            continue;
        }
        let mut extra = String::new();
        for key in [&b"/Info"[..], b"/Encrypt"] {
            if let Some((n, g)) = reference_after(window, key) {
                extra.push_str(&format!(" {} {n} {g} R", String::from_utf8_lossy(key)));
            }
        }
        if let Some(id) = memchr::memmem::find(window, b"/ID") {
            let rest = &window[id..];
            if let Some(end) = rest.iter().position(|&b| b == b']') {
                extra.push(' ');
                extra.push_str(&String::from_utf8_lossy(&rest[..=end]));
            }
        }
        return Some((root, extra));
    }
    None
}

/// A stream whose direct /Length disagrees with where its `endstream` is (lopdf drops
/// such an object) written again at the end of `out` with the length that ends it
/// there, and its entry in `objects` pointed at that copy.
fn append_fixed_streams(body: &[u8], objects: &mut Objects, out: &mut Vec<u8>) {
    for (num, (gen, offset)) in objects.iter_mut() {
        if let Some(fixed) = stream_with_length_fixed(body, *offset) {
            *offset = out.len();
            out.extend_from_slice(format!("{num} {gen} obj\n").as_bytes());
            out.extend_from_slice(&fixed);
            out.extend_from_slice(b"\nendobj\n");
        }
    }
}

/// The cross-reference table of `objects` (one subsection per run of consecutive
/// numbers) and a trailer naming `root` and `extra`, appended to `out`.
fn append_xref(
    objects: &Objects,
    (root_num, root_gen): (u32, u16),
    extra: &str,
    out: &mut Vec<u8>,
) {
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
    let entries: Vec<(u32, u16, usize)> = objects.iter().map(|(&n, &(g, o))| (n, g, o)).collect();
    for run in entries.chunk_by(|a, b| b.0 == a.0 + 1) {
        out.extend_from_slice(format!("{} {}\n", run[0].0, run.len()).as_bytes());
        for &(_, g, o) in run {
            out.extend_from_slice(format!("{o:010} {g:05} n \n").as_bytes());
        }
    }
    let size = entries.last().map_or(1, |e| e.0 as u64 + 1);
    out.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root {root_num} {root_gen} R{extra} >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
}

/// The file with its `/Encrypt` entries blanked when its encryption dictionary
/// encrypts neither streams nor strings (`/StmF /Identity /StrF /Identity`: only the
/// embedded files, under `/EFF`, are encrypted), so that it reads without a password as
/// poppler reads it; `None` otherwise.
fn without_identity_encryption(bytes: &[u8]) -> Option<Vec<u8>> {
    let key = b"/Encrypt";
    let at = memchr::memmem::rfind(bytes, key)? + key.len();
    let rest = String::from_utf8_lossy(&bytes[at..bytes.len().min(at + 40)]).into_owned();
    let mut words = rest.split_ascii_whitespace();
    let (n, g) = (words.next()?, words.next()?);
    words.next().filter(|r| r.starts_with('R'))?;
    let header = format!("{n} {g} obj");
    let obj = memchr::memmem::rfind(bytes, header.as_bytes())?;
    let dict: Vec<u8> = bytes[obj..bytes.len().min(obj + 4096)]
        .iter()
        .copied()
        .filter(|b| !b" \t\r\n".contains(b))
        .collect();
    let end = memchr::memmem::find(&dict, b"endobj").unwrap_or(dict.len());
    let dict = &dict[..end];
    let identity = |k: &[u8]| memchr::memmem::find(dict, &[k, b"/Identity"].concat()).is_some();
    if !(identity(b"/StmF") && identity(b"/StrF")) {
        return None;
    }
    let mut out = bytes.to_vec();
    let reference = format!("/Encrypt {n} {g} R");
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&out[from..], key) {
        let i = from + i;
        let rest = String::from_utf8_lossy(&out[i..out.len().min(i + 40)]).into_owned();
        let compact = rest
            .split_ascii_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        if compact.starts_with(&reference) {
            // From `/Encrypt` through the `R`.
            let r = i + rest.find(" R").or_else(|| rest.find("R"))? + 2;
            let end = r.min(out.len());
            out[i..end].fill(b' ');
        }
        from = i + key.len();
    }
    Some(out)
}

/// The object at `offset` (from after its `obj` keyword to its `endstream`) with its
/// `/Length` set to the length of the data up to `endstream`, when it is a stream whose
/// direct `/Length` says otherwise; `None` when the object is no stream or its length
/// is right (or indirect: the object it names is looked up as it is).
fn stream_with_length_fixed(body: &[u8], offset: usize) -> Option<Vec<u8>> {
    let head_end = offset + memchr::memmem::find(body.get(offset..)?.get(..64)?, b"obj")? + 3;
    let window = &body[head_end..];
    let stream = memchr::memmem::find(window, b"stream")?;
    // The keyword must come before the object ends.
    if memchr::memmem::find(&window[..stream], b"endobj").is_some() {
        return None;
    }
    let dict = &window[..stream];
    let mut data = stream + 6;
    if window.get(data) == Some(&b'\r') {
        data += 1;
    }
    if window.get(data) == Some(&b'\n') {
        data += 1;
    }
    let end = data + memchr::memmem::find(&window[data..], b"endstream")?;
    let mut actual = end;
    if actual > data && window[actual - 1] == b'\n' {
        actual -= 1;
    }
    if actual > data && window[actual - 1] == b'\r' {
        actual -= 1;
    }
    let actual = actual - data;
    let key = memchr::memmem::find(dict, b"/Length")? + 7;
    let rest = &dict[key..];
    let digits_start = rest.iter().position(|b| !b" \t\r\n".contains(b))?;
    let digits_len = rest[digits_start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits_len == 0 {
        return None;
    }
    // An indirect length ("12 0 R") is left alone.
    let after: Vec<&[u8]> = rest[digits_start..]
        .split(|b| b" \t\r\n".contains(b))
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    if after.len() == 3 && after[1].iter().all(u8::is_ascii_digit) && after[2].starts_with(b"R") {
        return None;
    }
    let declared: usize = std::str::from_utf8(&rest[digits_start..digits_start + digits_len])
        .ok()?
        .parse()
        .ok()?;
    if declared == actual {
        return None;
    }
    let mut fixed = Vec::with_capacity(end + 32);
    fixed.extend_from_slice(&dict[..key]);
    fixed.extend_from_slice(format!(" {actual}").as_bytes());
    fixed.extend_from_slice(&rest[digits_start + digits_len..]);
    fixed.extend_from_slice(b"stream\n");
    fixed.extend_from_slice(&window[data..data + actual]);
    fixed.extend_from_slice(b"\nendstream");
    Some(fixed)
}

/// Whether the bytes hold at least one indirect object header ("12 0 obj").
fn holds_objects(bytes: &[u8]) -> bool {
    let is_space = |b: &u8| b" \t\r\n\x0c\0".contains(b);
    let mut rest = bytes;
    while let Some(at) = rest.windows(3).position(|w| w == b"obj") {
        // Backwards: white space, digits, white space, digits, then a delimiter.
        let before = &rest[..at];
        let mut i = before.len();
        let mut ok = true;
        for _ in 0..2 {
            let spaces = before[..i].iter().rev().take_while(|b| is_space(b)).count();
            let digits = before[..i - spaces]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if spaces == 0 || digits == 0 {
                ok = false;
                break;
            }
            i -= spaces + digits;
        }
        if ok && (i == 0 || is_space(&before[i - 1])) {
            return true;
        }
        rest = &rest[at + 3..];
    }
    false
}

/// One page through pdf-extract's own plain-text device, counting glyphs on the way.
fn page_text<'d>(
    doc: &'d Document,
    number: u32,
    id: pdf_extract::ObjectId,
    cache: &'d UnicodeCache,
    fonts: &mut FontCache<'d>,
) -> Result<(String, GlyphCount), String> {
    let mut text = String::new();
    let mut count = GlyphCount::default();
    let result = contained(|| {
        let mut device = Counting {
            inner: PlainTextOutput::new(&mut text),
            count: &mut count,
        };
        pdf_extract::output_doc_page_cached(doc, &mut device, number, id, None, cache, fonts)
    });
    match result {
        Ok(Ok(())) => Ok((text, count)),
        Ok(Err(e)) => Err(e.to_string()),
        Err(why) => Err(why),
    }
}

/// pdf-extract's plain-text device, unchanged, with a glyph count beside it.
struct Counting<'a, 'b> {
    inner: PlainTextOutput<&'a mut String>,
    count: &'b mut GlyphCount,
}

impl OutputDev for Counting<'_, '_> {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.inner.begin_page(page_num, media_box, art_box)
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        self.inner.end_page()
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.count.glyphs += 1;
        if is_unmapped(char) {
            self.count.unmapped += 1;
        }
        self.inner
            .output_character(trm, width, spacing, font_size, char)
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.inner.begin_word()
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        self.inner.end_word()
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        self.inner.end_line()
    }
    fn stroke(
        &mut self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.inner.stroke(ctm, colorspace, color, path)
    }
    fn fill(
        &mut self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.inner.fill(ctm, colorspace, color, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<(), Error>) -> &'static str {
        r.map_or_else(|e| e.code(), |()| "ok")
    }

    #[test]
    fn header_anywhere_in_the_first_kilobyte() {
        assert!(is_pdf(b"%PDF-1.7\n"));
        assert!(is_pdf(
            &[b"junk\n".repeat(100), b"%PDF-1.4".to_vec()].concat()
        ));
        assert!(!is_pdf(&[vec![b' '; 1024], b"%PDF-1.4".to_vec()].concat()));
        assert!(!is_pdf(b"%PDF"));
        assert!(!is_pdf(b""));
    }

    #[test]
    fn glyph_counts_decide_no_text_and_garbled() {
        let c = |glyphs, unmapped| GlyphCount { glyphs, unmapped };
        assert!(is_garbled(c(10, 6)));
        assert!(!is_garbled(c(10, 5)));
        assert!(!is_garbled(c(1000, 3)));
        assert!(!is_garbled(c(0, 0)));
        let none = c(0, 0);
        assert_eq!(code(classify("a.pdf", 2, none, none)), "pdf_no_text");
        assert_eq!(code(classify("a.pdf", 0, none, c(10, 6))), "pdf_garbled");
        assert_eq!(code(classify("a.pdf", 1, none, c(10, 6))), "pdf_garbled");
        assert_eq!(code(classify("a.pdf", 2, c(10, 5), c(90, 90))), "ok");
        assert_eq!(code(classify("a.pdf", 2, c(1000, 3), none)), "ok");
        let e = classify("a.pdf", 3, none, none).unwrap_err();
        assert!(e.to_string().starts_with("a.pdf: ") && e.to_string().contains("OCR"));
        let e = classify("b.pdf", 0, none, c(40, 30)).unwrap_err();
        assert!(e.to_string().starts_with("b.pdf: ") && e.to_string().contains("30 of 40"));
    }

    #[test]
    fn page_numbers_as_runs() {
        assert_eq!(page_runs(&[]), "");
        assert_eq!(page_runs(&[4]), "4");
        assert_eq!(page_runs(&[2, 3]), "2–3");
        assert_eq!(page_runs(&[1, 3, 4, 5, 9]), "1, 3–5, 9");
    }

    #[test]
    fn bytes_that_are_no_pdf() {
        let _one = crate::contain::tests::HOOK_TESTS
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        for bytes in [
            b"%PDF-1.7\n".to_vec(),
            b"%PDF-1.4\nthis is a PDF named .txt".to_vec(),
            [b"%PDF-1.5\n".as_slice(), &[0x9C; 3000]].concat(),
        ] {
            let e = extract_pages("x.pdf", &bytes, None).unwrap_err();
            assert_eq!(e.code(), "not_pdf", "{e}");
            assert!(e.to_string().starts_with("x.pdf: "), "{e}");
        }
    }

    #[test]
    fn object_headers_tell_a_damaged_pdf_from_noise() {
        assert!(holds_objects(b"%PDF-1.4\n1 0 obj\n<< >>"));
        assert!(holds_objects(b"x\n12 0 obj<<"));
        assert!(holds_objects(b"12\r\n0 obj"));
        assert!(!holds_objects(b"%PDF-1.4\nobj 1 0"));
        assert!(!holds_objects(b"a1 0 obj"));
        assert!(!holds_objects(b"1 obj"));
        assert!(!holds_objects(b"objobj 0 obj"));
        assert!(!holds_objects(b""));
    }

    #[test]
    fn truncated_pdf_is_damaged_not_noise() {
        let _one = crate::contain::tests::HOOK_TESTS
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let bytes =
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty";
        let e = extract_pages("cut.pdf", bytes, None).unwrap_err();
        assert_eq!(e.code(), "pdf_damaged", "{e}");
        assert!(e.to_string().contains("truncated"), "{e}");
    }

    #[test]
    fn damaged_names_the_file() {
        let e = damaged("c.pdf", "page 2 of 3 cannot be read: x".into());
        assert_eq!(e.code(), "pdf_damaged");
        assert_eq!(
            e.to_string(),
            "c.pdf: damaged PDF: page 2 of 3 cannot be read: x"
        );
    }
}
