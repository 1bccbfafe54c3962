extern crate lopdf;

use adobe_cmap_parser::{ByteMapping, CodeRange, CIDRange};
use encoding_rs::UTF_16BE;
use lopdf::content::Content;
pub use lopdf::*;
use euclid::*;
use lopdf::encryption::DecryptionError;
use std::fmt::{Debug, Formatter};
extern crate encoding_rs;
extern crate euclid;
extern crate adobe_cmap_parser;
extern crate type1_encoding_parser;
extern crate unicode_normalization;
use euclid::vec2;
use unicode_normalization::UnicodeNormalization;
use std::fmt;
use std::str;
use std::fs::File;
use std::slice::Iter;
use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};
use std::collections::hash_map::Entry;
use std::rc::Rc;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, OnceLock};
use std::result::Result;
use log::{warn, error, debug};
/// The crate's hash maps, keyed by character codes, object ids and names. (Patched in:
/// std's SipHash took a fair share of the time of every glyph, looked up in the font's
/// width and ToUnicode maps.) The keys come from the PDF, so the hash starts from a seed
/// drawn once per process: a file cannot be made of keys that collide on every run.
type HashMap<K, V> = std::collections::HashMap<K, V, FastState>;

/// Builds [`FastHasher`]s from the process's seed.
#[derive(Clone, Copy)]
struct FastState(u64);

impl Default for FastState {
    fn default() -> FastState {
        static SEED: OnceLock<u64> = OnceLock::new();
        FastState(*SEED.get_or_init(|| std::collections::hash_map::RandomState::new().build_hasher().finish()))
    }
}

impl BuildHasher for FastState {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(self.0)
    }
}

/// The FxHash step (rustc's hasher): a rotate, a xor and a multiply per word; the
/// result rotated so that its well-mixed high bits pick the bucket (as rustc-hash 2
/// does), rather than low bits that depend on the keys' low bits alone.
#[derive(Clone, Copy)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

pub mod cmap;
mod truetype;
mod core_fonts;
mod glyphnames;
mod zapfglyphnames;
mod encodings;

pub struct Space;
pub type Transform = Transform2D<f64, Space, Space>;

#[derive(Debug)]
pub enum OutputError
{
    FormatError(std::fmt::Error),
    IoError(std::io::Error),
    PdfError(lopdf::Error)
}

impl std::fmt::Display for OutputError
{
    fn fmt(&self, f: &mut Formatter<'_>) -> Result<(), std::fmt::Error> {
        match self {
            OutputError::FormatError(e) => write!(f, "Formating error: {}", e),
            OutputError::IoError(e) => write!(f, "IO error: {}", e),
            OutputError::PdfError(e) => write!(f, "PDF error: {}", e)
        }
    }
}

impl std::error::Error for OutputError{}

impl From<std::fmt::Error> for OutputError {
    fn from(e: std::fmt::Error) -> Self {
        OutputError::FormatError(e)
    }
}

impl From<std::io::Error> for OutputError {
    fn from(e: std::io::Error) -> Self {
        OutputError::IoError(e)
    }
}

impl From<lopdf::Error> for OutputError {
    fn from(e: lopdf::Error) -> Self {
        OutputError::PdfError(e)
    }
}

macro_rules! dlog {
    ($($e:expr),*) => { {} }
    //($($t:tt)*) => { println!($($t)*) }
}

fn get_info(doc: &Document) -> Option<&Dictionary> {
    match doc.trailer.get(b"Info") {
        Ok(&Object::Reference(ref id)) => {
            match doc.get_object(*id) {
                Ok(&Object::Dictionary(ref info)) => { return Some(info); }
                _ => {}
            }
        }
        _ => {}
    }
    None
}

fn get_catalog(doc: &Document) -> &Dictionary {
    match doc.trailer.get(b"Root").unwrap() {
        &Object::Reference(ref id) => {
            match doc.get_object(*id) {
                Ok(&Object::Dictionary(ref catalog)) => { return catalog; }
                _ => {}
            }
        }
        _ => {}
    }
    panic!();
}

fn get_pages(doc: &Document) -> &Dictionary {
    let catalog = get_catalog(doc);
    match catalog.get(b"Pages").unwrap() {
        &Object::Reference(ref id) => {
            match doc.get_object(*id) {
                Ok(&Object::Dictionary(ref pages)) => { return pages; }
                other => {dlog!("pages: {:?}", other)}
            }
        }
        other => { dlog!("pages: {:?}", other)}
    }
    dlog!("catalog {:?}", catalog);
    panic!();
}

#[allow(non_upper_case_globals)]
const PDFDocEncoding: &'static [u16] = &[
    0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008,
    0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f, 0x0010, 0x0011,
    0x0012, 0x0013, 0x0014, 0x0015, 0x0016, 0x0017, 0x02d8, 0x02c7, 0x02c6,
    0x02d9, 0x02dd, 0x02db, 0x02da, 0x02dc, 0x0020, 0x0021, 0x0022, 0x0023,
    0x0024, 0x0025, 0x0026, 0x0027, 0x0028, 0x0029, 0x002a, 0x002b, 0x002c,
    0x002d, 0x002e, 0x002f, 0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035,
    0x0036, 0x0037, 0x0038, 0x0039, 0x003a, 0x003b, 0x003c, 0x003d, 0x003e,
    0x003f, 0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
    0x0048, 0x0049, 0x004a, 0x004b, 0x004c, 0x004d, 0x004e, 0x004f, 0x0050,
    0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057, 0x0058, 0x0059,
    0x005a, 0x005b, 0x005c, 0x005d, 0x005e, 0x005f, 0x0060, 0x0061, 0x0062,
    0x0063, 0x0064, 0x0065, 0x0066, 0x0067, 0x0068, 0x0069, 0x006a, 0x006b,
    0x006c, 0x006d, 0x006e, 0x006f, 0x0070, 0x0071, 0x0072, 0x0073, 0x0074,
    0x0075, 0x0076, 0x0077, 0x0078, 0x0079, 0x007a, 0x007b, 0x007c, 0x007d,
    0x007e, 0x0000, 0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192,
    0x2044, 0x2039, 0x203a, 0x2212, 0x2030, 0x201e, 0x201c, 0x201d, 0x2018,
    0x2019, 0x201a, 0x2122, 0xfb01, 0xfb02, 0x0141, 0x0152, 0x0160, 0x0178,
    0x017d, 0x0131, 0x0142, 0x0153, 0x0161, 0x017e, 0x0000, 0x20ac, 0x00a1,
    0x00a2, 0x00a3, 0x00a4, 0x00a5, 0x00a6, 0x00a7, 0x00a8, 0x00a9, 0x00aa,
    0x00ab, 0x00ac, 0x0000, 0x00ae, 0x00af, 0x00b0, 0x00b1, 0x00b2, 0x00b3,
    0x00b4, 0x00b5, 0x00b6, 0x00b7, 0x00b8, 0x00b9, 0x00ba, 0x00bb, 0x00bc,
    0x00bd, 0x00be, 0x00bf, 0x00c0, 0x00c1, 0x00c2, 0x00c3, 0x00c4, 0x00c5,
    0x00c6, 0x00c7, 0x00c8, 0x00c9, 0x00ca, 0x00cb, 0x00cc, 0x00cd, 0x00ce,
    0x00cf, 0x00d0, 0x00d1, 0x00d2, 0x00d3, 0x00d4, 0x00d5, 0x00d6, 0x00d7,
    0x00d8, 0x00d9, 0x00da, 0x00db, 0x00dc, 0x00dd, 0x00de, 0x00df, 0x00e0,
    0x00e1, 0x00e2, 0x00e3, 0x00e4, 0x00e5, 0x00e6, 0x00e7, 0x00e8, 0x00e9,
    0x00ea, 0x00eb, 0x00ec, 0x00ed, 0x00ee, 0x00ef, 0x00f0, 0x00f1, 0x00f2,
    0x00f3, 0x00f4, 0x00f5, 0x00f6, 0x00f7, 0x00f8, 0x00f9, 0x00fa, 0x00fb,
    0x00fc, 0x00fd, 0x00fe, 0x00ff];

fn pdf_to_utf8(s: &[u8]) -> String {
    if s.len() > 2 && s[0] == 0xfe && s[1] == 0xff {
        return UTF_16BE.decode_without_bom_handling_and_without_replacement(&s[2..]).unwrap().to_string()
    } else {
        let r : Vec<u8> = s.iter().map(|x| *x).flat_map(|x| {
               let k = PDFDocEncoding[x as usize];
               vec![(k>>8) as u8, k as u8].into_iter()}).collect();
        return UTF_16BE.decode_without_bom_handling_and_without_replacement(&r).unwrap().to_string()
    }
}

fn to_utf8(encoding: &[u16], s: &[u8]) -> String {
    if s.len() > 2 && s[0] == 0xfe && s[1] == 0xff {
        return UTF_16BE.decode_without_bom_handling_and_without_replacement(&s[2..]).unwrap().to_string()
    } else {
        let r : Vec<u8> = s.iter().map(|x| *x).flat_map(|x| {
            let k = encoding[x as usize];
            vec![(k>>8) as u8, k as u8].into_iter()}).collect();
        return UTF_16BE.decode_without_bom_handling_and_without_replacement(&r).unwrap().to_string()
    }
}


fn maybe_deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    maybe_deref_opt(doc, o)
}

/// Patched: a reference to an object that is not there reads as `null` (PDF 32000-1,
/// 7.3.10), where upstream panicked ("missing object reference").
fn maybe_deref_opt<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    static NULL: Object = Object::Null;
    match o {
        &Object::Reference(r) => doc.get_object(r).unwrap_or(&NULL),
        _ => o
    }
}

fn maybe_get_obj<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).map(|o| maybe_deref(doc, o)).ok()
}

// an intermediate trait that can be used to chain conversions that may have failed
trait FromOptObj<'a> {
    fn from_opt_obj(doc: &'a Document, obj: Option<&'a Object>, key: &[u8]) -> Self;
}

// conditionally convert to Self returns None if the conversion failed
trait FromObj<'a> where Self: std::marker::Sized {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<Self>;
}

impl<'a, T: FromObj<'a>> FromOptObj<'a> for Option<T> {
    fn from_opt_obj(doc: &'a Document, obj: Option<&'a Object>, _key: &[u8]) -> Self {
        obj.and_then(|x| T::from_obj(doc,x))
    }
}

impl<'a, T: FromObj<'a>> FromOptObj<'a> for T {
    fn from_opt_obj(doc: &'a Document, obj: Option<&'a Object>, key: &[u8]) -> Self {
        T::from_obj(doc, obj.expect(&String::from_utf8_lossy(key))).expect("wrong type")
    }
}

// we follow the same conventions as pdfium for when to support indirect objects:
// on arrays, streams and dicts
impl<'a, T: FromObj<'a>> FromObj<'a> for Vec<T> {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<Self> {
        maybe_deref(doc, obj).as_array().map(|x| x.iter()
            .map(|x| T::from_obj(doc, x).expect("wrong type"))
            .collect()).ok()
    }
}

// XXX: These will panic if we don't have the right number of items
// we don't want to do that
impl<'a, T: FromObj<'a>> FromObj<'a> for [T; 4] {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<Self> {
        maybe_deref(doc, obj).as_array().map(|x| {
            let mut all = x.iter()
                .map(|x| T::from_obj(doc, x).expect("wrong type"));
            [all.next().unwrap(), all.next().unwrap(), all.next().unwrap(), all.next().unwrap()]
        }).ok()
    }
}

impl<'a, T: FromObj<'a>> FromObj<'a> for [T; 3] {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<Self> {
        maybe_deref(doc, obj).as_array().map(|x| {
            let mut all = x.iter()
                .map(|x| T::from_obj(doc, x).expect("wrong type"));
            [all.next().unwrap(), all.next().unwrap(), all.next().unwrap()]
        }).ok()
    }
}

impl<'a> FromObj<'a> for f64 {
    fn from_obj(_doc: &Document, obj: &Object) -> Option<Self> {
        match obj {
            &Object::Integer(i) => Some(i as f64),
            &Object::Real(f) => Some(f.into()),
            _ => None
        }
    }
}

impl<'a> FromObj<'a> for i64 {
    fn from_obj(_doc: &Document, obj: &Object) -> Option<Self> {
        match obj {
            &Object::Integer(i) => Some(i),
            _ => None
        }
    }
}

impl<'a> FromObj<'a> for &'a Dictionary {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
        maybe_deref(doc, obj).as_dict().ok()
    }
}

impl<'a> FromObj<'a> for &'a Stream {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<&'a Stream> {
        maybe_deref(doc, obj).as_stream().ok()
    }
}

impl<'a> FromObj<'a> for &'a Object {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
        Some(maybe_deref(doc, obj))
    }
}

fn get<'a, T: FromOptObj<'a>>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> T {
    T::from_opt_obj(doc, dict.get(key).ok(), key)
}

fn maybe_get<'a, T: FromObj<'a>>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<T> {
    maybe_get_obj(doc, dict, key).and_then(|o| T::from_obj(doc, o))
}

fn get_name_string<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> String {
    // Patched: a name written as a string (`/BaseFont (Arial)`) is read as that name, and
    // a missing or other entry as the empty name, where upstream panicked ("deref",
    // "name"); poppler reads both.
    match dict.get(key).ok().and_then(|o| doc.dereference(o).ok()).map(|(_, o)| o) {
        Some(Object::Name(n)) | Some(Object::String(n, _)) => pdf_to_utf8(n),
        _ => String::new(),
    }
}

#[allow(dead_code)]
fn maybe_get_name_string<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<String> {
    maybe_get_obj(doc, dict, key).and_then(|n| n.as_name().ok()).map(|n| pdf_to_utf8(n))
}

fn maybe_get_name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    maybe_get_obj(doc, dict, key).and_then(|n| n.as_name().ok())
}

fn maybe_get_array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    maybe_get_obj(doc, dict, key).and_then(|n| n.as_array().ok())
}

#[derive(Clone)]
struct PdfSimpleFont<'a> {
    font: &'a Dictionary,
    doc: &'a Document,
    encoding: Option<Vec<u16>>,
    unicode_map: Option<HashMap<u32, String>>,
    widths: HashMap<CharCode, f64>, // should probably just use i32 here
    missing_width: f64,
    /// Per byte, what `to_utf8` makes of it with `encoding` (or `PDFDocEncoding` when
    /// there is none), decoded once; `None` for a surrogate, left to `to_utf8`.
    decoded: Vec<Option<String>>,
}

#[derive(Clone)]
struct PdfType3Font<'a> {
    font: &'a Dictionary,
    doc: &'a Document,
    encoding: Option<Vec<u16>>,
    unicode_map: Option<HashMap<CharCode, String>>,
    widths: HashMap<CharCode, f64>, // should probably just use i32 here
}


fn make_font<'a>(doc: &'a Document, font: &'a Dictionary, cache: Option<&UnicodeCache>) -> Rc<dyn PdfFont + 'a> {
    let subtype = get_name_string(doc, font, b"Subtype");
    dlog!("MakeFont({})", subtype);
    if subtype == "Type0" {
        Rc::new(PdfCIDFont::new(doc, font, cache))
    } else if subtype == "Type3" {
        Rc::new(PdfType3Font::new(doc, font, cache))
    } else {
        Rc::new(PdfSimpleFont::new(doc, font, cache))
    }
}

fn is_core_font(name: &str) -> bool {
    match name {
        "Courier-Bold" |
        "Courier-BoldOblique" |
        "Courier-Oblique" |
        "Courier" |
        "Helvetica-Bold" |
        "Helvetica-BoldOblique" |
        "Helvetica-Oblique" |
        "Helvetica" |
        "Symbol" |
        "Times-Bold" |
        "Times-BoldItalic" |
        "Times-Italic" |
        "Times-Roman" |
        "ZapfDingbats" => true,
        _ => false,
    }
}

fn encoding_to_unicode_table(name: &[u8]) -> Vec<u16> {
    // Patched: StandardEncoding (and the Symbol and ZapfDingbats fonts' own) are known,
    // and a name that is no encoding at all reads as StandardEncoding, the built-in
    // encoding of a Latin text font, as poppler does; upstream panicked on both.
    let encoding = match &name[..] {
        b"MacRomanEncoding" => encodings::MAC_ROMAN_ENCODING,
        b"MacExpertEncoding" => encodings::MAC_EXPERT_ENCODING,
        b"WinAnsiEncoding" => encodings::WIN_ANSI_ENCODING,
        b"SymbolEncoding" => encodings::SYMBOL_ENCODING,
        b"ZapfDingbatsEncoding" => {
            return encodings::ZAPFDINGBATS_ENCODING.iter()
                .map(|x| x.and_then(zapfglyphnames::zapfdigbats_names_to_unicode).unwrap_or(0))
                .collect();
        }
        _ => encodings::STANDARD_ENCODING,
    };
    let encoding_table = encoding.iter()
        .map(|x| if let &Some(x) = x { glyphnames::name_to_unicode(x).unwrap_or(0) } else { 0 })
        .collect();
    encoding_table
}

/// Patched: a glyph name's Unicode value as poppler finds it: the Adobe Glyph List, then
/// the name without a `.suffix` (`a.sc`), then `uniXXXX` and `uXXXX`..`uXXXXXX` (BMP only,
/// the tables here being UTF-16 code units).
fn glyph_name_to_unicode(name: &str) -> Option<u16> {
    if let Some(u) = glyphnames::name_to_unicode(name) {
        return Some(u);
    }
    let base = name.split('.').next().unwrap_or(name);
    if base != name {
        if let Some(u) = glyphnames::name_to_unicode(base) {
            return Some(u);
        }
    }
    let hex = |h: &str| u32::from_str_radix(h, 16).ok().filter(|_| h.bytes().all(|b| b.is_ascii_hexdigit()));
    let code = if let Some(h) = base.strip_prefix("uni").filter(|h| h.len() >= 4) {
        hex(&h[..4])
    } else if let Some(h) = base.strip_prefix('u').filter(|h| (4..=6).contains(&h.len())) {
        hex(h)
    } else {
        None
    }?;
    <u16 as std::convert::TryFrom<u32>>::try_from(code).ok().filter(|&c| c != 0 && !(0xd800..=0xdfff).contains(&c))
}

/* "Glyphs in the font are selected by single-byte character codes obtained from a string that
    is shown by the text-showing operators. Logically, these codes index into a table of 256
    glyphs; the mapping from codes to glyphs is called the font’s encoding. Each font program
    has a built-in encoding. Under some circumstances, the encoding can be altered by means
    described in Section 5.5.5, “Character Encoding.”
*/
impl<'a> PdfSimpleFont<'a> {
    fn new(doc: &'a Document, font: &'a Dictionary, cache: Option<&UnicodeCache>) -> PdfSimpleFont<'a> {
        let base_name = get_name_string(doc, font, b"BaseFont");
        let subtype = get_name_string(doc, font, b"Subtype");

        let encoding: Option<&Object> = get(doc, font, b"Encoding");
        dlog!("base_name {} {} enc:{:?} {:?}", base_name, subtype, encoding, font);
        let descriptor: Option<&Dictionary> = get(doc, font, b"FontDescriptor");
        let mut type1_encoding = None;
        let mut unicode_map = None;
        if let Some(descriptor) = descriptor {
            dlog!("descriptor {:?}", descriptor);
            if subtype == "Type1" {
                let file = maybe_get_obj(doc, descriptor, b"FontFile");
                match file {
                    Some(&Object::Stream(ref s)) => {
                        let s = get_contents(s);
                        //dlog!("font contents {:?}", pdf_to_utf8(&s));
                        type1_encoding = Some(type1_encoding_parser::get_encoding_map(&s).expect("encoding"));
                    }
                    _ => { dlog!("font file {:?}", file) }
                }
            } else if subtype == "TrueType" {
                let file = maybe_get_obj(doc, descriptor, b"FontFile2");
                match file {
                    Some(&Object::Stream(ref _s)) => {
                        // Patched: the font program was inflated here and dropped unread.
                        //File::create(format!("/tmp/{}", base_name)).unwrap().write_all(&s);
                    }
                    _ => { dlog!("font file {:?}", file) }
                }
            }

            let font_file3 = get::<Option<&Object>>(doc, descriptor, b"FontFile3");
            match font_file3 {
                Some(&Object::Stream(ref s)) => {
                    let subtype = get_name_string(doc, &s.dict, b"Subtype");
                    dlog!("font file {}, {:?}", subtype, s);
                    let s = get_contents(s);
                    if subtype == "Type1C" {
                        let table = cff_parser::Table::parse(&s).unwrap();
                        //use std::io::Write;
                        //File::create(format!("/tmp/{}", base_name)).unwrap().write_all(&s);
                        
                        let encoding = table.encoding.get_code_to_sid_table(&table.charset);

                        let mapping: HashMap<u32, String> = encoding.into_iter().filter_map(|(cid, sid)| {
                            let name = cff_parser::string_by_id(&table, sid).unwrap();
                            if name == ".notdef" {
                                return None;
                            }
                            let unicode = glyphnames::name_to_unicode(&name).or_else(|| {
                                zapfglyphnames::zapfdigbats_names_to_unicode(name)
                            });
                            if unicode.is_none() {
                                warn!("Couldn't find unicode for {}", name);
                                return None;
                            }
                            let str = String::from_utf16(&[unicode.unwrap()]).unwrap();
                            Some((cid as u32, str))
                        }).collect();
                        unicode_map = Some(mapping);
                    }

                    //
                    //File::create(format!("/tmp/{}", base_name)).unwrap().write_all(&s);
                }
                None => {}
                _ => { dlog!("unexpected") }
            }

            let charset = maybe_get_obj(doc, descriptor, b"CharSet");
            let _charset = match charset {
                Some(&Object::String(ref s, _)) => { Some(pdf_to_utf8(&s)) }
                _ => { None }
            };
            //dlog!("charset {:?}", charset);
        }

        // Patched: the codes of an embedded CFF program's built-in encoding that the
        // font's ToUnicode map does not give: the font's /Differences override those
        // (PDF 32000-1, 9.6.6.1), where upstream kept the built-in glyph (a CFF subset
        // with its own code order then read as a letter substitution).
        let mut builtin_only: Option<std::collections::HashSet<u32>> = None;
        let mut unicode_map = match unicode_map {
            Some(mut unicode_map) => {
                let to_unicode = get_unicode_map_cached(doc, font, cache).unwrap_or(HashMap::default());
                builtin_only = Some(unicode_map.keys().filter(|k| !to_unicode.contains_key(k)).copied().collect());
                unicode_map.extend(to_unicode);
                Some(unicode_map)
            }
            None => {
                get_unicode_map_cached(doc, font, cache)
            }
        };


        let mut encoding_table = None;
        match encoding {
            Some(&Object::Name(ref encoding_name)) => {
                dlog!("encoding {:?}", pdf_to_utf8(encoding_name));
                encoding_table = Some(encoding_to_unicode_table(encoding_name));
            }
            Some(&Object::Dictionary(ref encoding)) => {
                //dlog!("Encoding {:?}", encoding);
                let mut table = if let Some(base_encoding) = maybe_get_name(doc, encoding, b"BaseEncoding") {
                    dlog!("BaseEncoding {:?}", base_encoding);
                    encoding_to_unicode_table(base_encoding)
                } else {
                    Vec::from(PDFDocEncoding)
                };
                let differences = maybe_get_array(doc, encoding, b"Differences");
                if let Some(differences) = differences {
                    dlog!("Differences");
                    let mut code = 0;
                    for o in differences {
                        let o = maybe_deref(doc, o);
                        match o {
                            &Object::Integer(i) => { code = i; },
                            &Object::Name(ref n) => {
                                let name = pdf_to_utf8(&n);
                                // XXX: names of Type1 fonts can map to arbitrary strings instead of real
                                // unicode names, so we should probably handle this differently
                                let unicode = glyph_name_to_unicode(&name);
                                // Patched: a code past the table (a malformed
                                // Differences array) is skipped instead of panicking.
                                if let (Some(unicode), true) = (unicode, (0..256).contains(&code)) {
                                    table[code as usize] = unicode;
                                    if let Some(ref mut unicode_map) = unicode_map {
                                        let be = [unicode];
                                        match unicode_map.entry(code as u32) {
                                            // If there's a unicode table entry missing use one based on the name
                                            Entry::Vacant(v) => { v.insert(String::from_utf16(&be).unwrap()); }
                                            Entry::Occupied(mut e) if builtin_only.as_ref().is_some_and(|b| b.contains(&(code as u32))) => {
                                                e.insert(String::from_utf16(&be).unwrap());
                                            }
                                            Entry::Occupied(e) => {
                                                if e.get() != &String::from_utf16(&be).unwrap() {
                                                    let normal_match  = e.get().nfkc().eq(String::from_utf16(&be).unwrap().nfkc());
                                                    if !normal_match {
                                                        warn!("Unicode mismatch {} {} {:?} {:?} {:?}", normal_match, name, e.get(), String::from_utf16(&be), be);
                                                    }
                                                }
                                            }
                                        }
                                    }
                                } else {
                                    match unicode_map {
                                        Some(ref mut unicode_map) if base_name.contains("FontAwesome") => {
                                            // the fontawesome tex package will use glyph names that don't have a corresponding unicode
                                            // code point, so we'll use an empty string instead. See issue #76
                                            match unicode_map.entry(code as u32) {
                                                Entry::Vacant(v) => { v.insert("".to_owned()); }
                                                Entry::Occupied(_) => {}
                                            }
                                        }
                                        _ => {
                                            warn!("unknown glyph name '{}' for font {}", name, base_name);
                                        }
                                    }
                                }
                                dlog!("{} = {} ({:?})", code, name, unicode);
                                if let Some(ref mut unicode_map) = unicode_map {
                                    // The unicode map might not have the code in it, but the code might
                                    // not be used so we don't want to panic here.
                                    // An example of this is the 'suppress' character in the TeX Latin Modern font.
                                    // This shows up in https://arxiv.org/pdf/2405.01295v1.pdf
                                    dlog!("{} {:?}", code, unicode_map.get(&(code as u32)));
                                }
                                code += 1;
                            }
                            _ => { dlog!("wrong type {:?}", o); }
                        }
                    }
                }
                // "Type" is optional
                let name = encoding.get(b"Type").and_then(|x| x.as_name()).and_then(|x| Ok(pdf_to_utf8(x)));
                dlog!("name: {}", name);

                encoding_table = Some(table);
            }
            None => {
                if let Some(type1_encoding) = type1_encoding {
                    let mut table = Vec::from(PDFDocEncoding);
                    dlog!("type1encoding");
                    for (code, name) in type1_encoding {
                        let unicode = glyphnames::name_to_unicode(&pdf_to_utf8(&name));
                        if let Some(unicode) = unicode {
                            table[code as usize] = unicode;
                        } else {
                            dlog!("unknown character {}", pdf_to_utf8(&name));
                        }
                    }
                    encoding_table = Some(table)
                } else if subtype == "TrueType" || subtype == "Type1" || subtype == "MMType1" {
                    // Patched: a Latin font without an /Encoding and without an embedded
                    // Type 1 program (whose built-in encoding is read above) has its
                    // standard encoding, StandardEncoding for a Type 1 font (PDF 32000-1,
                    // 9.6.6.1); upstream used PDFDocEncoding for it. A core font's own
                    // encoding (Symbol, ZapfDingbats) is set below from its metrics.
                    if subtype != "TrueType" && !is_core_font(&base_name) {
                        encoding_table = Some(encoding_to_unicode_table(b"StandardEncoding"));
                    } else if subtype == "TrueType" {
                    encoding_table = Some(encodings::WIN_ANSI_ENCODING.iter()
                        .map(|x| if let &Some(x) = x { glyphnames::name_to_unicode(x).unwrap() } else { 0 })
                        .collect());
                    }
                }
            }
            // Patched: an /Encoding of another type (a number, a string) is ignored, as
            // poppler does; upstream panicked.
            _ => { dlog!("unexpected encoding {:?}", encoding) }
        }

        let mut width_map = HashMap::default();
        /* "Ordinarily, a font dictionary that refers to one of the standard fonts
            should omit the FirstChar, LastChar, Widths, and FontDescriptor entries.
            However, it is permissible to override a standard font by including these
            entries and embedding the font program in the PDF file."

            Note: some PDFs include a descriptor but still don't include these entries */

        // If we have widths prefer them over the core font widths. Needed for https://dkp.de/wp-content/uploads/parteitage/Sozialismusvorstellungen-der-DKP.pdf
        if let (Some(first_char), Some(last_char), Some(widths)) = (maybe_get::<i64>(doc, font, b"FirstChar"), maybe_get::<i64>(doc, font, b"LastChar"), maybe_get::<Vec<f64>>(doc, font, b"Widths")) {
            // Some PDF's don't have these like fips-197.pdf
            let mut i: i64 = 0;
            dlog!("first_char {:?}, last_char: {:?}, widths: {} {:?}", first_char, last_char, widths.len(), widths);

            for w in widths {
                width_map.insert((first_char + i) as CharCode, w);
                i += 1;
            }
            // Patched: a /Widths array whose length disagrees with FirstChar..LastChar
            // is used as far as it goes (poppler does); upstream asserted.
            let _ = last_char;
        } else {
            let name = if is_core_font(&base_name) {
                &base_name
            } else {
                warn!("no widths and not core font {:?}", base_name);

                // This situation is handled differently by different readers
                // but basically we try to substitute the best font that we can.

                // Poppler/Xpdf:
                // this is technically an error -- the Widths entry is required
                // for all but the Base-14 fonts -- but certain PDF generators
                // apparently don't include widths for Arial and TimesNewRoman

                // Pdfium: CFX_FontMapper::FindSubstFont

                // mupdf: pdf_load_substitute_font

                // We can try to do a better job guessing at a font by looking at the flags
                // or the basename but for now we'll just use Helvetica
                "Helvetica"
            };
            for font_metrics in core_fonts::metrics().iter() {
                if font_metrics.0 == base_name {
                    if let Some(ref encoding) = encoding_table {
                        dlog!("has encoding");
                        for w in font_metrics.2 {
                            let c = glyphnames::name_to_unicode(w.2).unwrap();
                            for i in 0..encoding.len() {
                                if encoding[i] == c {
                                    width_map.insert(i as CharCode, w.1 as f64);
                                }
                            }
                        }
                    } else {
                        // Instead of using the encoding from the core font we'll just look up all
                        // of the character names. We should probably verify that this produces the
                        // same result.

                        let mut table = vec![0; 256];
                        for w in font_metrics.2 {
                            dlog!("{} {}", w.0, w.2);
                            // -1 is "not encoded"
                            if w.0 != -1 {
                                table[w.0 as usize] = if base_name == "ZapfDingbats" {
                                    zapfglyphnames::zapfdigbats_names_to_unicode(w.2).unwrap_or_else(|| panic!("bad name {:?}", w))
                                } else {
                                    glyphnames::name_to_unicode(w.2).unwrap()
                                }
                            }
                        }

                        let encoding = &table[..];
                        for w in font_metrics.2 {
                            width_map.insert(w.0 as CharCode, w.1 as f64);
                            // -1 is "not encoded"
                        }
                        encoding_table = Some(encoding.to_vec());
                    }
                    /* "Ordinarily, a font dictionary that refers to one of the standard fonts
                        should omit the FirstChar, LastChar, Widths, and FontDescriptor entries.
                        However, it is permissible to override a standard font by including these
                        entries and embedding the font program in the PDF file."

                        Note: some PDFs include a descriptor but still don't include these entries */
                    // assert!(maybe_get_obj(doc, font, b"FirstChar").is_none());
                    // assert!(maybe_get_obj(doc, font, b"LastChar").is_none());
                    // assert!(maybe_get_obj(doc, font, b"Widths").is_none());
                }
            }
        }

        let missing_width = get::<Option<f64>>(doc, font, b"MissingWidth").unwrap_or(0.);
        // `to_utf8` of one byte is the UTF-16BE decoding of the table's code unit: the
        // character itself, except for a lone surrogate (which `to_utf8` panics on).
        let decoded = encoding_table.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding)
            .iter().map(|&k| char::from_u32(u32::from(k)).map(String::from)).collect();
        PdfSimpleFont {doc, font, widths: width_map, encoding: encoding_table, missing_width, unicode_map, decoded}
    }

    #[allow(dead_code)]
    fn get_type(&self) -> String {
        get_name_string(self.doc, self.font, b"Type")
    }
    #[allow(dead_code)]
    fn get_basefont(&self) -> String {
        get_name_string(self.doc, self.font, b"BaseFont")
    }
    #[allow(dead_code)]
    fn get_subtype(&self) -> String {
        get_name_string(self.doc, self.font, b"Subtype")
    }
    #[allow(dead_code)]
    fn get_widths(&self) -> Option<&Vec<Object>> {
        maybe_get_obj(self.doc, self.font, b"Widths").map(|widths| widths.as_array().expect("Widths should be an array"))
    }
    /* For type1: This entry is obsolescent and its use is no longer recommended. (See
     * implementation note 42 in Appendix H.) */
    #[allow(dead_code)]
    fn get_name(&self) -> Option<String> {
        maybe_get_name_string(self.doc, self.font, b"Name")
    }

    #[allow(dead_code)]
    fn get_descriptor(&self) -> Option<PdfFontDescriptor> {
        maybe_get_obj(self.doc, self.font, b"FontDescriptor").and_then(|desc| desc.as_dict().ok()).map(|desc| PdfFontDescriptor{desc: desc, doc: self.doc})
    }
}



impl<'a> PdfType3Font<'a> {
    fn new(doc: &'a Document, font: &'a Dictionary, cache: Option<&UnicodeCache>) -> PdfType3Font<'a> {

        let unicode_map = get_unicode_map_cached(doc, font, cache);
        let encoding: Option<&Object> = get(doc, font, b"Encoding");

        let encoding_table;
        match encoding {
            Some(&Object::Name(ref encoding_name)) => {
                dlog!("encoding {:?}", pdf_to_utf8(encoding_name));
                encoding_table = Some(encoding_to_unicode_table(encoding_name));
            }
            Some(&Object::Dictionary(ref encoding)) => {
                //dlog!("Encoding {:?}", encoding);
                let mut table = if let Some(base_encoding) = maybe_get_name(doc, encoding, b"BaseEncoding") {
                    dlog!("BaseEncoding {:?}", base_encoding);
                    encoding_to_unicode_table(base_encoding)
                } else {
                    Vec::from(PDFDocEncoding)
                };
                let differences = maybe_get_array(doc, encoding, b"Differences");
                if let Some(differences) = differences {
                    dlog!("Differences");
                    let mut code = 0;
                    for o in differences {
                        match o {
                            &Object::Integer(i) => { code = i; },
                            &Object::Name(ref n) => {
                                let name = pdf_to_utf8(&n);
                                // XXX: names of Type1 fonts can map to arbitrary strings instead of real
                                // unicode names, so we should probably handle this differently
                                let unicode = glyph_name_to_unicode(&name);
                                if let (Some(unicode), true) = (unicode, (0..256).contains(&code)) {
                                    table[code as usize] = unicode;
                                }
                                dlog!("{} = {} ({:?})", code, name, unicode);
                                if let Some(ref unicode_map) = unicode_map {
                                    dlog!("{} {:?}", code, unicode_map.get(&(code as u32)));
                                }
                                code += 1;
                            }
                            _ => { dlog!("wrong type"); }
                        }
                    }
                }
                let name_encoded = encoding.get(b"Type");
                if let Ok(Object::Name(name)) = name_encoded {
                    dlog!("name: {}", pdf_to_utf8(name));
                } else {
                    dlog!("name not found");
                }

                encoding_table = Some(table);
            }
            // Patched: a Type 3 font without an /Encoding (or with a name) decodes by
            // its ToUnicode map or PDFDocEncoding; upstream panicked.
            _ => { encoding_table = None }
        }

        // Patched: missing or malformed FirstChar/Widths leave the widths empty (a
        // glyph without a width advances by nothing) instead of panicking.
        let first_char: i64 = maybe_get(doc, font, b"FirstChar").unwrap_or(0);
        let widths: Vec<f64> = maybe_get_array(doc, font, b"Widths")
            .map(|a| a.iter().map(|o| maybe_num(maybe_deref_opt(doc, o)).unwrap_or(0.)).collect())
            .unwrap_or_default();

        let mut width_map = HashMap::default();

        let mut i = 0;
        for w in widths {
            width_map.insert((first_char + i) as CharCode, w);
            i += 1;
        }
        PdfType3Font {doc, font, widths: width_map, encoding: encoding_table, unicode_map}
    }
}

type CharCode = u32;

struct PdfFontIter<'a>
{
    i: Iter<'a, u8>,
    font: &'a dyn PdfFont,
}

impl<'a> Iterator for PdfFontIter<'a> {
    type Item = (CharCode, u8);
    fn next(&mut self) -> Option<(CharCode, u8)> {
        self.font.next_char(&mut self.i)
    }
}

trait PdfFont : Debug {
    fn get_width(&self, id: CharCode) -> f64;
    fn next_char(&self, iter: &mut Iter<u8>) -> Option<(CharCode, u8)>;
    fn decode_char(&self, char: CharCode) -> Cow<'_, str>;

        /*fn char_codes<'a>(&'a self, chars: &'a [u8]) -> PdfFontIter {
            let p = self;
            PdfFontIter{i: chars.iter(), font: p as &PdfFont}
        }*/

}

impl<'a> dyn PdfFont + 'a {
    fn char_codes(&'a self, chars: &'a [u8]) -> PdfFontIter {
        PdfFontIter{i: chars.iter(), font: self}
    }
    fn decode(&self, chars: &[u8]) -> String {
        let strings = self.char_codes(chars).map(|x| self.decode_char(x.0)).collect::<Vec<_>>();
        strings.join("")
    }

}


impl<'a> PdfFont for PdfSimpleFont<'a> {
    fn get_width(&self, id: CharCode) -> f64 {
        let width = self.widths.get(&id);
        if let Some(width) = width {
            return *width;
        } else {
            let mut widths = self.widths.iter().collect::<Vec<_>>();
            widths.sort_by_key(|x| x.0);
            dlog!("missing width for {} len(widths) = {}, {:?} falling back to missing_width {:?}", id, self.widths.len(), widths, self.font);
            return self.missing_width;
        }
    }
    /*fn decode(&self, chars: &[u8]) -> String {
        let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
        to_utf8(encoding, chars)
    }*/

    fn next_char(&self, iter: &mut Iter<u8>) -> Option<(CharCode, u8)> {
        iter.next().map(|x| (*x as CharCode, 1))
    }
    fn decode_char(&self, char: CharCode) -> Cow<'_, str> {
        let slice = [char as u8];
        if let Some(ref unicode_map) = self.unicode_map {
            let s = unicode_map.get(&char);
            let s = match s {
                None => {
                    debug!("missing char {:?} in unicode map {:?} for {:?}", char, unicode_map, self.font);
                    // some pdf's like http://arxiv.org/pdf/2312.00064v1 are missing entries in their unicode map but do have
                    // entries in the encoding.
                    // Patched: without an encoding, PDFDocEncoding (as for a font without
                    // a ToUnicode map); upstream panicked ("missing unicode map and
                    // encoding").
                    let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
                    if let Some(Some(s)) = self.decoded.get(slice[0] as usize) {
                        return Cow::Borrowed(s.as_str());
                    }
                    let s = to_utf8(encoding, &slice);
                    debug!("falling back to encoding {} -> {:?}", char, s);
                    Cow::Owned(s)
                }
                Some(s) => { Cow::Borrowed(s.as_str()) }
            };
            return s
        }
        if let Some(Some(s)) = self.decoded.get(slice[0] as usize) {
            return Cow::Borrowed(s.as_str());
        }
        let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
        //dlog!("char_code {:?} {:?}", char, self.encoding);
        let s = to_utf8(encoding, &slice);
        Cow::Owned(s)
    }
}



impl<'a> fmt::Debug for PdfSimpleFont<'a> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.font.fmt(f)
    }
}

impl<'a> PdfFont for PdfType3Font<'a> {
    fn get_width(&self, id: CharCode) -> f64 {
        let width = self.widths.get(&id);
        if let Some(width) = width {
            return *width;
        } else {
            // Patched: no width, no advance; upstream panicked.
            return 0.;
        }
    }
    /*fn decode(&self, chars: &[u8]) -> String {
        let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
        to_utf8(encoding, chars)
    }*/

    fn next_char(&self, iter: &mut Iter<u8>) -> Option<(CharCode, u8)> {
        iter.next().map(|x| (*x as CharCode, 1))
    }
    fn decode_char(&self, char: CharCode) -> Cow<'_, str> {
        let slice = [char as u8];
        if let Some(ref unicode_map) = self.unicode_map {
            let s = unicode_map.get(&char);
            let s = match s {
                None => {
                    debug!("missing char {:?} in unicode map {:?} for {:?}", char, unicode_map, self.font);
                    // some pdf's like http://arxiv.org/pdf/2312.00577v1 are missing entries in their unicode map but do have
                    // entries in the encoding.
                    let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
                    let s = to_utf8(encoding, &slice);
                    debug!("falling back to encoding {} -> {:?}", char, s);
                    Cow::Owned(s)
                }
                Some(s) => { Cow::Borrowed(s.as_str()) }
            };
            return s
        }
        let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
        //dlog!("char_code {:?} {:?}", char, self.encoding);
        let s = to_utf8(encoding, &slice);
        Cow::Owned(s)
    }
}



impl<'a> fmt::Debug for PdfType3Font<'a> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.font.fmt(f)
    }
}

/// Patched: how a predefined CMap other than Identity-H/V turns the bytes of a string into
/// character codes, and those codes into text when the font has no ToUnicode entry for
/// them. The Unicode CMaps (`Uni…-UCS2/UTF16/UTF8/UTF32-H/V`) carry the text in the
/// codes themselves; the legacy CJK ones (`90ms-RKSJ-H`, `GBK-EUC-H`, `KSCms-UHC-H`,
/// `ETen-B5-H`, ...) are the Shift JIS, GBK, EUC/UHC and Big5 byte encodings, decoded
/// with encoding_rs. Widths are by CID, which only the CMap's data would give: such a
/// font's glyphs take the default width (/DW), unless /W gives one for the code.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Predefined {
    Utf16,
    Utf8,
    Utf32,
    /// ISO-2022 JIS X 0208 rows and cells (`H`, `V`): two bytes, read as EUC-JP with
    /// the high bits set.
    Jis,
    Legacy(&'static encoding_rs::Encoding),
}

impl Predefined {
    fn from_name(name: &str) -> Option<Predefined> {
        let stem = name.strip_suffix("-H").or_else(|| name.strip_suffix("-V")).unwrap_or(name);
        if name.starts_with("Uni") {
            return if stem.ends_with("UTF8") {
                Some(Predefined::Utf8)
            } else if stem.ends_with("UTF32") {
                Some(Predefined::Utf32)
            } else if stem.ends_with("UCS2") || stem.ends_with("UTF16") {
                Some(Predefined::Utf16)
            } else {
                None
            };
        }
        if stem.is_empty() || name == "H" || name == "V" {
            return Some(Predefined::Jis);
        }
        if stem.contains("RKSJ") {
            Some(Predefined::Legacy(encoding_rs::SHIFT_JIS))
        } else if stem == "EUC" {
            Some(Predefined::Legacy(encoding_rs::EUC_JP))
        } else if stem.starts_with("GB") {
            Some(Predefined::Legacy(encoding_rs::GB18030))
        } else if stem.starts_with("KSC") {
            Some(Predefined::Legacy(encoding_rs::EUC_KR))
        } else if stem.contains("B5") {
            Some(Predefined::Legacy(encoding_rs::BIG5))
        } else {
            None
        }
    }

    /// The length of the code that starts with `b`, and the bytes after it seen so far.
    fn code_len(self, b: u8, next: Option<u8>) -> usize {
        match self {
            Predefined::Utf16 => if (0xd8..=0xdb).contains(&b) { 4 } else { 2 },
            Predefined::Utf8 => match b { 0xf0..=0xf7 => 4, 0xe0..=0xef => 3, 0xc0..=0xdf => 2, _ => 1 },
            Predefined::Utf32 => 4,
            Predefined::Jis => 2,
            Predefined::Legacy(e) if e == encoding_rs::SHIFT_JIS => {
                if (0x81..=0x9f).contains(&b) || (0xe0..=0xfc).contains(&b) { 2 } else { 1 }
            }
            Predefined::Legacy(e) if e == encoding_rs::GB18030 => {
                if !(0x81..=0xfe).contains(&b) { 1 } else if next.is_some_and(|n| n.is_ascii_digit()) { 4 } else { 2 }
            }
            Predefined::Legacy(e) if e == encoding_rs::EUC_JP && b == 0x8f => 3,
            Predefined::Legacy(_) => if (0x81..=0xfe).contains(&b) { 2 } else { 1 },
        }
    }

    fn decode(self, code: u32, len: usize) -> String {
        let bytes = &code.to_be_bytes()[4 - len.min(4)..];
        match self {
            Predefined::Utf16 => String::from_utf16_lossy(&bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)])).collect::<Vec<_>>()),
            Predefined::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Predefined::Utf32 => char::from_u32(code).map(String::from).unwrap_or_default(),
            Predefined::Jis => encoding_rs::EUC_JP.decode_without_bom_handling(&bytes.iter().map(|b| b | 0x80).collect::<Vec<_>>()).0.into_owned(),
            Predefined::Legacy(e) => e.decode_without_bom_handling(bytes).0.into_owned(),
        }
    }
}

struct PdfCIDFont<'a> {
    font: &'a Dictionary,
    predefined: Option<Predefined>,
    /// Patched: the TrueType program and CIDToGIDMap whose `cmap` gives text by CID,
    /// read into `cid_unicode` on first use (see `PdfCIDFont::new`).
    program: Option<(&'a Stream, Option<&'a Stream>)>,
    cid_unicode: std::cell::OnceCell<HashMap<u32, String>>,
    #[allow(dead_code)]
    doc: &'a Document,
    #[allow(dead_code)]
    encoding: ByteMapping,
    to_unicode: Option<HashMap<u32, String>>,
    widths: HashMap<CharCode, f64>, // should probably just use i32 here
    default_width: Option<f64>, // only used for CID fonts and we should probably brake out the different font types
}

fn get_unicode_map<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<HashMap<u32, String>> {
    let to_unicode = maybe_get_obj(doc, font, b"ToUnicode");
    dlog!("ToUnicode: {:?}", to_unicode);
    let mut unicode_map = None;
    match to_unicode {
        Some(&Object::Stream(ref stream)) => {
            unicode_map = Some(decode_to_unicode(stream));

            dlog!("map: {:?}", unicode_map);
        }
        None => { }
        Some(&Object::Name(ref name)) => {
            let name = pdf_to_utf8(name);
            if name != "Identity-H" {
                todo!("unsupported ToUnicode name: {:?}", name);
            }
        }
        _ => { panic!("unsupported cmap {:?}", to_unicode)}
    }
    unicode_map
}

/// A ToUnicode CMap stream decoded to a map from character code to text (the body of
/// [`get_unicode_map`] for a stream, unchanged).
fn decode_to_unicode(stream: &Stream) -> HashMap<u32, String> {
            let contents = get_contents(stream);
            dlog!("Stream: {}", String::from_utf8(contents.clone()).unwrap());

            // Patched: the same map as adobe_cmap_parser::get_unicode_map's, read by hand.
            // Patched again (patch 14): counts ignored, bad entries skipped.
            let cmap = cmap::get_unicode_map_lenient(&contents, FastState::default())
                .unwrap_or_else(|_| HashMap::default());
            let mut unicode = HashMap::with_capacity_and_hasher(cmap.len(), FastState::default());
            // "It must use the beginbfchar, endbfchar, beginbfrange, and endbfrange operators to
            // define the mapping from character codes to Unicode character sequences expressed in
            // UTF-16BE encoding."
            for (&k, v) in cmap.iter() {
                let mut be: Vec<u16> = Vec::new();
                let mut i = 0;
                assert!(v.len() % 2 == 0);
                while i < v.len() {
                    be.push(((v[i] as u16) << 8) | v[i+1] as u16);
                    i += 2;
                }
                match &be[..] {
                    [0xd800 ..= 0xdfff] => {
                        // this range is not specified as not being encoded
                        // we ignore them so we don't an error from from_utt16
                        continue;
                    }
                    _ => {}
                }
                let s = String::from_utf16(&be).unwrap();

                unicode.insert(k, s);
            }
            unicode
}

/// Decoded ToUnicode CMaps of one document, keyed by the object id of the CMap stream,
/// for sharing across pages (and threads): see [`output_doc_page_cached`].
///
/// A page's fonts are built anew for every page (font resource names such as `/F1` are
/// only unique within a page's resources), and building a font decodes its ToUnicode
/// CMap, which is slow to parse. The stream behind one object id is the same bytes on
/// every page of a document, so its decoded map can be shared. Only a ToUnicode entry
/// that is an indirect reference to a stream is cached (the case that repeats from page
/// to page); a direct stream is decoded as before. A cache belongs to one [`Document`]:
/// object ids of another document name other streams.
#[derive(Default)]
pub struct UnicodeCache {
    maps: Mutex<HashMap<ObjectId, Arc<OnceLock<Arc<HashMap<u32, String>>>>>>,
}

impl UnicodeCache {
    /// An empty cache.
    pub fn new() -> UnicodeCache {
        UnicodeCache::default()
    }

    /// The map decoded from stream `id`, decoding it with `decode` on the first request.
    /// One thread decodes a stream; others asking for it meanwhile wait for its map. The
    /// cache's lock is not held while decoding: a decoder that panics leaves nothing
    /// behind (the panic reaches its caller, and the next request decodes again and
    /// panics the same way).
    fn get_or_decode(&self, id: ObjectId, decode: impl FnOnce() -> HashMap<u32, String>) -> Arc<HashMap<u32, String>> {
        let slot = self.maps.lock().unwrap_or_else(|e| e.into_inner()).entry(id).or_default().clone();
        slot.get_or_init(|| Arc::new(decode())).clone()
    }
}

/// [`get_unicode_map`], taking a ToUnicode stream that the font refers to indirectly
/// from `cache` (decoding it there on first use) when there is a cache.
fn get_unicode_map_cached<'a>(doc: &'a Document, font: &'a Dictionary, cache: Option<&UnicodeCache>) -> Option<HashMap<u32, String>> {
    if let (Some(cache), Ok(&Object::Reference(id))) = (cache, font.get(b"ToUnicode")) {
        // What `maybe_get_obj` would resolve the entry to.
        if let Ok(&Object::Stream(ref stream)) = doc.get_object(id) {
            dlog!("ToUnicode: {:?} (cached)", id);
            return Some((*cache.get_or_decode(id, || decode_to_unicode(stream))).clone());
        }
    }
    get_unicode_map(doc, font)
}


impl<'a> PdfCIDFont<'a> {
    fn new(doc: &'a Document, font: &'a Dictionary, cache: Option<&UnicodeCache>) -> PdfCIDFont<'a> {
        let base_name = get_name_string(doc, font, b"BaseFont");
        // Patched: a missing or broken descendant font leaves the widths to their
        // default, a missing /Encoding is Identity-H, a predefined CMap other than
        // Identity is read as `Predefined` says, and an embedded CMap that does not
        // parse is Identity-H; upstream panicked on each.
        static EMPTY: OnceLock<Dictionary> = OnceLock::new();
        let ciddict = maybe_get_array(doc, font, b"DescendantFonts")
            .and_then(|d| d.first())
            .and_then(|d| maybe_deref(doc, d).as_dict().ok())
            .unwrap_or_else(|| EMPTY.get_or_init(Dictionary::new));
        let encoding = maybe_get_obj(doc, font, b"Encoding");
        dlog!("base_name {} {:?}", base_name, font);

        let identity = || ByteMapping { codespace: vec![CodeRange{width: 2, start: 0, end: 0xffff }], cid: vec![CIDRange{ src_code_lo: 0, src_code_hi: 0xffff, dst_CID_lo: 0 }]};
        let mut predefined = None;
        let encoding = match encoding {
            Some(&Object::Name(ref name)) => {
                let name = pdf_to_utf8(name);
                dlog!("encoding {:?}", name);
                if name != "Identity-H" && name != "Identity-V" {
                    predefined = Predefined::from_name(&name);
                }
                identity()
            }
            Some(&Object::Stream(ref stream)) => {
                let contents = get_contents(stream);
                adobe_cmap_parser::get_byte_mapping(&contents).ok()
                    .filter(|m| !m.codespace.is_empty())
                    .unwrap_or_else(identity)
            }
            _ => identity(),
        };

        // Sometimes a Type0 font might refer to the same underlying data as regular font. In this case we may be able to extract some encoding
        // data.
        // We should also look inside the truetype data to see if there's a cmap table. It will help us convert as well.
        // This won't work if the cmap has been subsetted. A better approach might be to hash glyph contents and use that against
        // a global library of glyph hashes
        let unicode_map = get_unicode_map_cached(doc, font, cache);
        // Patched: a TrueType-based CID font (CIDFontType2) with the Identity CMap has,
        // for the codes its ToUnicode map lacks (all, without one), its text from the
        // embedded program's `cmap` table, as poppler does (`PdfCIDFont::cmap_text`,
        // read on the first such code only: inflating the program for every font cost
        // 2% of a conversion of a Chromium print).
        let program = if predefined.is_none() && get_name_string(doc, ciddict, b"Subtype") == "CIDFontType2" {
            maybe_get::<&Dictionary>(doc, ciddict, b"FontDescriptor")
                .and_then(|d| maybe_get::<&Stream>(doc, d, b"FontFile2"))
                .map(|p| (p, maybe_get::<&Stream>(doc, ciddict, b"CIDToGIDMap")))
        } else {
            None
        };
        let cid_unicode = std::cell::OnceCell::new();

        let default_width = maybe_get_obj(doc, ciddict, b"DW").and_then(maybe_num).unwrap_or(1000.);
        let w: Option<Vec<&Object>> = maybe_get_array(doc, ciddict, b"W").map(|w| w.iter().collect());
        dlog!("widths {:?}", w);
        let mut widths = HashMap::default();
        let mut i = 0;
        if let Some(w) = w {
            while i < w.len() {
                if let Some(&Object::Array(ref wa)) = w.get(i + 1).map(|o| maybe_deref(doc, o)) {
                    let Ok(cid) = w[i].as_i64() else { break };
                    let mut j = 0;
                    dlog!("wa: {:?} -> {:?}", cid, wa);
                    for w in wa {
                        widths.insert((cid + j) as CharCode, maybe_num(w).unwrap_or(default_width));
                        j += 1;
                    }
                    i += 2;
                } else {
                    // The range form `c_first c_last w`: every CID from c_first through
                    // c_last (inclusive) has width w (PDF 32000-1 9.7.4.3). Upstream read
                    // all three from w[i] and left the range empty, so those CIDs fell
                    // back to /DW (often 0): glyphs drawn with no advance.
                    let (Some(c_first), Some(c_last), Some(c_width)) = (
                        w.get(i).and_then(|o| o.as_i64().ok()),
                        w.get(i + 1).and_then(|o| o.as_i64().ok()),
                        w.get(i + 2).and_then(|o| match o {
                            Object::Integer(n) => Some(*n as f64),
                            Object::Real(r) => Some(f64::from(*r)),
                            _ => None,
                        }),
                    ) else {
                        break;
                    };
                    // Bounded: a hostile range must not fill memory.
                    let c_last = c_last.min(c_first.saturating_add(0xFFFF));
                    for id in c_first..=c_last {
                        widths.insert(id as CharCode, c_width);
                    }
                    i += 3;
                }
            }
        }
        PdfCIDFont{doc, font, predefined, program, cid_unicode, widths, to_unicode: unicode_map, encoding, default_width: Some(default_width) }
    }
}

impl<'a> PdfCIDFont<'a> {
    /// Patched: text by CID from the TrueType program's `cmap`: CID → glyph
    /// (/CIDToGIDMap, Identity when absent) → Unicode. Empty without a program.
    fn cmap_text(&self) -> &HashMap<u32, String> {
        self.cid_unicode.get_or_init(|| {
            let mut map = HashMap::default();
            let Some((program, to_gid)) = self.program else { return map };
            let by_gid = truetype::glyph_unicodes(&get_contents(program));
            if by_gid.is_empty() {
                return map;
            }
            let to_gid = to_gid.map(get_contents);
            let cids: Box<dyn Iterator<Item = (u32, u16)>> = match &to_gid {
                Some(m) => Box::new(m.chunks_exact(2).enumerate().map(|(cid, g)| (cid as u32, u16::from_be_bytes([g[0], g[1]])))),
                None => Box::new(by_gid.keys().map(|&g| (g as u32, g))),
            };
            for (cid, gid) in cids {
                if let (Some(&u), true) = (by_gid.get(&gid), gid != 0) {
                    if let Some(c) = char::from_u32(u) {
                        map.entry(cid).or_insert_with(|| c.to_string());
                    }
                }
            }
            map
        })
    }

    /// Patched: the CID of a character code, by the CMap's CID ranges (`code - lo +
    /// dst`; upstream added `dst` to the code), 0 (.notdef) when none maps it. A
    /// predefined CMap other than Identity keeps the code (its data is not here).
    fn cid_of(&self, code: CharCode) -> u32 {
        if self.predefined.is_some() {
            return code;
        }
        if let [r] = &self.encoding.cid[..] {
            if r.src_code_lo == 0 && r.dst_CID_lo == 0 && code <= r.src_code_hi {
                return code;
            }
        }
        for range in &self.encoding.cid {
            if code >= range.src_code_lo && code <= range.src_code_hi {
                return code.wrapping_sub(range.src_code_lo).wrapping_add(range.dst_CID_lo);
            }
        }
        0
    }
}

impl<'a> PdfFont for PdfCIDFont<'a> {
    fn get_width(&self, id: CharCode) -> f64 {
        let id = self.cid_of(id);
        let width = self.widths.get(&id);
        if let Some(width) = width {
            dlog!("GetWidth {} -> {}", id, *width);
            return *width;
        } else {
            dlog!("missing width for {} falling back to default_width", id);
            return self.default_width.unwrap();
        }
    }/*
    fn decode(&self, chars: &[u8]) -> String {
        self.char_codes(chars);

        //let utf16 = Vec::new();

        let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
        to_utf8(encoding, chars)
    }*/

    fn next_char(&self, iter: &mut Iter<u8>) -> Option<(CharCode, u8)> {
        if let Some(p) = self.predefined {
            let first = *iter.next()?;
            let len = p.code_len(first, iter.as_slice().first().copied());
            let mut code = first as u32;
            for _ in 1..len {
                code = (code << 8) | *iter.next()? as u32;
            }
            return Some((code, len as u8));
        }
        // Patched: bytes that match no code space range are read as a one-byte code
        // (PDF 32000-1, 9.7.6.3, as poppler reads them), where upstream ended the
        // string, losing the rest of its text. And the character code is returned, not
        // the CID: the ToUnicode map is keyed by code, the widths by CID (`cid_of`).
        let bytes = iter.as_slice();
        let first = *bytes.first()?;
        let mut c = 0u32;
        let mut code = None;
        'outer: for width in 1..=4usize {
            let Some(&b) = bytes.get(width - 1) else { break };
            c = (c << 8) | b as u32;
            for range in &self.encoding.codespace {
                if c >= range.start && c <= range.end && range.width as usize == width {
                    code = Some((c, width));
                    break 'outer;
                }
            }
        }
        let (code, width) = code.unwrap_or((first as u32, 1));
        for _ in 0..width {
            iter.next();
        }
        Some((code, width as u8))
    }
    fn decode_char(&self, char: CharCode) -> Cow<'_, str> {
        let s = self.to_unicode.as_ref().and_then(|x| x.get(&char));
        if let Some(s) = s {
            Cow::Borrowed(s.as_str())
        } else if let Some(s) = self.cmap_text().get(&self.cid_of(char)) {
            Cow::Borrowed(s.as_str())
        } else if let Some(p) = self.predefined {
            let len = match p { Predefined::Utf32 => 4, _ => (4 - char.leading_zeros() as usize / 8).max(1) };
            let len = if p == Predefined::Utf16 { len.max(2) } else if p == Predefined::Jis { 2 } else { len };
            Cow::Owned(p.decode(char, len))
        } else {
            dlog!("Unknown character {:?} in {:?} {:?}", char, self.font, self.to_unicode);
            Cow::Borrowed("")
        }
    }
}

impl<'a> fmt::Debug for PdfCIDFont<'a> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.font.fmt(f)
    }
}



#[derive(Copy, Clone)]
struct PdfFontDescriptor<'a> {
    desc: &'a Dictionary,
    doc: &'a Document
}

impl<'a> PdfFontDescriptor<'a> {
    #[allow(dead_code)]
    fn get_file(&self) -> Option<&'a Object> {
        maybe_get_obj(self.doc, self.desc, b"FontFile")
    }
}

impl<'a> fmt::Debug for PdfFontDescriptor<'a> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.desc.fmt(f)
    }
}

#[derive(Clone, Debug)]
struct Type0Func {
    domain: Vec<f64>,
    range: Vec<f64>,
    contents: Vec<u8>,
    size: Vec<i64>,
    bits_per_sample: i64,
    encode: Vec<f64>,
    decode: Vec<f64>,
}

#[allow(dead_code)]
fn interpolate(x: f64, x_min: f64, _x_max: f64, y_min: f64, y_max: f64) -> f64 {
    let divisor = x - x_min;
    if divisor != 0. {
        y_min + (x - x_min) * ((y_max - y_min) / divisor)
    } else {
        // (x - x_min) will be 0 which means we want to discard the interpolation
        // and arbitrarily choose y_min to match pdfium
        y_min
    }
}

impl Type0Func {
    #[allow(dead_code)]
    fn eval(&self, _input: &[f64], _output: &mut [f64]) {
        let _n_inputs = self.domain.len() / 2;
        let _n_ouputs = self.range.len() / 2;

    }
}

#[derive(Clone, Debug)]
struct Type2Func {
    c0: Option<Vec<f64>>,
    c1: Option<Vec<f64>>,
    n: f64,
}

#[derive(Clone, Debug)]
enum Function {
    Type0(Type0Func),
    Type2(Type2Func),
    #[allow(dead_code)]
    Type3,
    #[allow(dead_code)]
    Type4(Vec<u8>)
}

impl Function {
    fn new(doc: &Document, obj: &Object) -> Function {
        let dict = match obj {
            &Object::Dictionary(ref dict) => dict,
            &Object::Stream(ref stream) => &stream.dict,
            _ => panic!()
        };
        let function_type: i64 = get(doc, dict, b"FunctionType");
        let f = match function_type {
            0 => {
                // Sampled function
                let stream = match obj {
                    &Object::Stream(ref stream) => stream,
                    _ => panic!()
                };
                let range: Vec<f64> = get(doc, dict, b"Range");
                let domain: Vec<f64> = get(doc, dict, b"Domain");
                let contents = get_contents(stream);
                let size: Vec<i64> = get(doc, dict, b"Size");
                let bits_per_sample = get(doc, dict, b"BitsPerSample");
                // We ignore 'Order' like pdfium, poppler and pdf.js

                let encode = get::<Option<Vec<f64>>>(doc, dict, b"Encode");
                // maybe there's some better way to write this.
                let encode = encode.unwrap_or_else(|| {
                    let mut default = Vec::new();
                    for i in &size {
                        default.extend([0., (i - 1) as f64].iter());
                    }
                    default
                });
                let decode = get::<Option<Vec<f64>>>(doc, dict, b"Decode").unwrap_or_else(|| range.clone());

                Function::Type0(Type0Func { domain, range, size, contents, bits_per_sample, encode, decode })
            }
            2 => {
                // Exponential interpolation function
                let c0 = get::<Option<Vec<f64>>>(doc, dict, b"C0");
                let c1 = get::<Option<Vec<f64>>>(doc, dict, b"C1");
                let n = get::<f64>(doc, dict, b"N");
                Function::Type2(Type2Func { c0, c1, n})
            }
            3 => {
                // Stitching function
                Function::Type3
            }
            4 => {
                // PostScript calculator function
                let contents = match obj {
                    &Object::Stream(ref stream) => {
                        let contents = get_contents(stream);
                        warn!("unhandled type-4 function");
                        warn!("Stream: {}", String::from_utf8(contents.clone()).unwrap());
                        contents
                    }
                    _ => { panic!("type 4 functions should be streams") }
                };
                Function::Type4(contents)
            }
            _ => { panic!("unhandled function type {}", function_type) }
        };
        f
    }
}

fn maybe_num(o: &Object) -> Option<f64> {
    match o {
        &Object::Integer(i) => Some(i as f64),
        &Object::Real(f) => Some(f.into()),
        _ => None,
    }
}

fn as_num(o: &Object) -> f64 {
    match o {
        &Object::Integer(i) => { i as f64 }
        &Object::Real(f) => { f.into() }
        // Patched: an operand that is not a number reads as 0; upstream panicked.
        _ => { 0. }
    }
}

/// Patched (15): what a font's dictionary says about its face, handed to the output
/// device with every word shown in it ([`OutputDev::begin_word_in`]), so that a device
/// can tell bold or italic text without interpreting the content a second time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FontInfo {
    /// `/BaseFont` when it is a name, as written (a subset's tag `ABCDEF+` included).
    pub base_font: Option<Vec<u8>>,
    /// The name `Tf` selected the font by in the resources; empty for a font set by a
    /// graphics state's `/Font` entry (`gs`), which has none.
    pub resource_name: Vec<u8>,
    /// `/FontWeight` of the font descriptor (a Type 0 font's: its descendant's).
    pub weight: Option<f64>,
    /// `/ItalicAngle` of that descriptor.
    pub italic_angle: Option<f64>,
    /// `/Flags` of that descriptor (bit 7, value 64, is Italic).
    pub flags: Option<i64>,
}

impl FontInfo {
    /// The facts about the font `dict`, selected by `resource_name`. References are
    /// followed as lopdf's `dereference` does (chains included); an entry of the wrong
    /// type is left out.
    pub fn of(doc: &Document, dict: &Dictionary, resource_name: &[u8]) -> FontInfo {
        let base_font = match dict.get(b"BaseFont").ok().and_then(|o| doc.dereference(o).ok()) {
            Some((_, Object::Name(n))) => Some(n.clone()),
            _ => None,
        };
        let font = match dict.get(b"DescendantFonts").ok().and_then(|o| doc.dereference(o).ok()) {
            Some((_, Object::Array(a))) => a.first().and_then(|d| doc.dereference(d).ok()).and_then(|(_, d)| d.as_dict().ok()),
            _ => Some(dict),
        };
        let descriptor = font
            .and_then(|f| f.get(b"FontDescriptor").ok())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, d)| d.as_dict().ok());
        let number = |key: &[u8]| match descriptor.and_then(|d| d.get(key).ok()).and_then(|o| doc.dereference(o).ok()) {
            Some((_, Object::Integer(i))) => Some(*i as f64),
            Some((_, Object::Real(r))) => Some(f64::from(*r)),
            _ => None,
        };
        FontInfo {
            base_font,
            resource_name: resource_name.to_vec(),
            weight: number(b"FontWeight"),
            italic_angle: number(b"ItalicAngle"),
            flags: number(b"Flags").map(|f| f as i64),
        }
    }
}

#[derive(Clone)]
struct TextState<'a>
{
    font: Option<Rc<dyn PdfFont + 'a>>,
    /// Patched (15): what the font's dictionary says, for the output device.
    font_info: Option<Rc<FontInfo>>,
    font_size: f64,
    character_spacing: f64,
    word_spacing: f64,
    horizontal_scaling: f64,
    leading: f64,
    rise: f64,
    tm: Transform,
}

// XXX: We'd ideally implement this without having to copy the uncompressed data
fn get_contents(contents: &Stream) -> Vec<u8> {
    if contents.filters().is_ok() {
        contents.decompressed_content().unwrap_or_else(|_|contents.content.clone())
    } else {
        contents.content.clone()
    }
}

#[derive(Clone)]
struct GraphicsState<'a>
{
    ctm: Transform,
    ts: TextState<'a>,
    smask: Option<Dictionary>,
    fill_colorspace: ColorSpace,
    fill_color: Vec<f64>,
    stroke_colorspace: ColorSpace,
    stroke_color: Vec<f64>,
    line_width: f64,
}

fn show_text(gs: &mut GraphicsState, s: &[u8],
             _tlm: &Transform,
             _flip_ctm: &Transform,
             output: &mut dyn OutputDev) -> Result<(), OutputError> {
    let ts = &mut gs.ts;
    // Patched: text shown before any font is set (or with a font that could not be
    // found) shows nothing; upstream panicked.
    let Some(font) = ts.font.as_ref() else {
        output.begin_word_in(None)?;
        return output.end_word();
    };
    //let encoding = font.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
    dlog!("{:?}", font.decode(s));
    dlog!("{:?}", font.decode(s).as_bytes());
    dlog!("{:?}", s);
    output.begin_word_in(ts.font_info.as_deref())?;

    for (c, length) in font.char_codes(s) {
        // 5.3.3 Text Space Details
        let tsm = Transform2D::row_major(ts.horizontal_scaling,
                                                 0.,
                                                 0.,
                                                 1.0,
                                                 0.,
                                                 ts.rise);
        // Trm = Tsm × Tm × CTM
        let trm = tsm.post_transform(&ts.tm.post_transform(&gs.ctm));
        //dlog!("ctm: {:?} tm {:?}", gs.ctm, tm);
        //dlog!("current pos: {:?}", position);
        // 5.9 Extraction of Text Content


        //dlog!("w: {}", font.widths[&(*c as i64)]);
        let w0 = font.get_width(c) / 1000.;

        let mut spacing = ts.character_spacing;
        // "Word spacing is applied to every occurrence of the single-byte character code 32 in a
        //  string when using a simple font or a composite font that defines code 32 as a
        //  single-byte code. It does not apply to occurrences of the byte value 32 in
        //  multiple-byte codes."
        let is_space = c == 32 && length == 1;
        if is_space { spacing += ts.word_spacing }

        output.output_character(&trm, w0, spacing, ts.font_size, &font.decode_char(c))?;
        let tj = 0.;
        let ty = 0.;
        let tx = ts.horizontal_scaling * ((w0 - tj/1000.)* ts.font_size + spacing);
        dlog!("horizontal {} adjust {} {} {} {}", ts.horizontal_scaling, tx, w0, ts.font_size, spacing);
        // dlog!("w0: {}, tx: {}", w0, tx);
        ts.tm = ts.tm.pre_transform(&Transform2D::create_translation(tx, ty));
        let _trm = ts.tm.pre_transform(&gs.ctm);
        //dlog!("post pos: {:?}", trm);

    }
    output.end_word()?;
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub struct MediaBox {
    pub llx: f64,
    pub lly: f64,
    pub urx: f64,
    pub ury: f64
}

fn apply_state(doc: &Document, gs: &mut GraphicsState, state: &Dictionary) {
    for (k, v) in state.iter() {
        let k : &[u8] = k.as_ref();
        match k {
            b"SMask" => { match maybe_deref(doc, v)  {
                &Object::Name(ref name) => {
                    if name == b"None" {
                        gs.smask = None;
                    } else {
                        panic!("unexpected smask name")
                    }
                }
                &Object::Dictionary(ref dict) => {
                    gs.smask = Some(dict.clone());
                }
                _ => { panic!("unexpected smask type {:?}", v) }
            }}
            b"Type" => { match v {
                &Object::Name(ref name) => {
                    assert_eq!(name, b"ExtGState")
                }
                _ => { panic!("unexpected type") }
            }}
            _ => {  dlog!("unapplied state: {:?} {:?}", k, v); }
        }
    }

}

#[derive(Debug)]
pub enum PathOp {
    MoveTo(f64, f64),
    LineTo(f64, f64),
    // XXX: is it worth distinguishing the different kinds of curve ops?
    CurveTo(f64, f64, f64, f64, f64, f64),
    Rect(f64, f64, f64, f64),
    Close,
}

#[derive(Debug)]
pub struct Path {
    pub ops: Vec<PathOp>
}

impl Path {
    fn new() -> Path {
        Path { ops: Vec::new() }
    }
    fn current_point(&self) -> (f64, f64) {
        match self.ops.last().unwrap() {
            &PathOp::MoveTo(x, y) => { (x, y) }
            &PathOp::LineTo(x, y) => { (x, y) }
            &PathOp::CurveTo(_, _, _, _, x, y) => { (x, y) }
            _ => { panic!() }
        }
    }
}

#[derive(Clone, Debug)]
pub struct CalGray {
    white_point: [f64; 3],
    black_point: Option<[f64; 3]>,
    gamma: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct CalRGB {
    white_point: [f64; 3],
    black_point: Option<[f64; 3]>,
    gamma: Option<[f64; 3]>,
    matrix: Option<Vec<f64>>
}

#[derive(Clone, Debug)]
pub struct Lab {
    white_point: [f64; 3],
    black_point: Option<[f64; 3]>,
    range: Option<[f64; 4]>,
}

#[derive(Clone, Debug)]
pub enum AlternateColorSpace {
    DeviceGray,
    DeviceRGB,
    DeviceCMYK,
    CalRGB(CalRGB),
    CalGray(CalGray),
    Lab(Lab),
    ICCBased(Vec<u8>)
}

#[derive(Clone)]
pub struct Separation {
    name: String,
    alternate_space: AlternateColorSpace,
    tint_transform: Box<Function>,
}

#[derive(Clone)]
pub enum ColorSpace {
    DeviceGray,
    DeviceRGB,
    DeviceCMYK,
    DeviceN,
    Pattern,
    CalRGB(CalRGB),
    CalGray(CalGray),
    Lab(Lab),
    Separation(Separation),
    ICCBased(Vec<u8>)
}

fn make_colorspace<'a>(doc: &'a Document, name: &[u8], resources: &'a Dictionary) -> ColorSpace {
    match name {
        b"DeviceGray" => ColorSpace::DeviceGray,
        b"DeviceRGB" => ColorSpace::DeviceRGB,
        b"DeviceCMYK" => ColorSpace::DeviceCMYK,
        b"Pattern" => ColorSpace::Pattern,
        _ => {
            let colorspaces: &Dictionary = get(&doc, resources, b"ColorSpace");
            let cs: &Object = maybe_get_obj(doc, colorspaces, &name[..]).unwrap_or_else(|| panic!("missing colorspace {:?}", &name[..]));
            if let Ok(cs) = cs.as_array() {
                let cs_name = pdf_to_utf8(cs[0].as_name().expect("first arg must be a name"));
                match cs_name.as_ref() {
                    "Separation" => {
                        let name = pdf_to_utf8(cs[1].as_name().expect("second arg must be a name"));
                        let alternate_space = match &maybe_deref(doc, &cs[2]) {
                            Object::Name(name) => {
                                match &name[..] {
                                    b"DeviceGray" => AlternateColorSpace::DeviceGray,
                                    b"DeviceRGB" => AlternateColorSpace::DeviceRGB,
                                    b"DeviceCMYK" => AlternateColorSpace::DeviceCMYK,
                                    _ => panic!("unexpected color space name")
                                }
                            }
                            Object::Array(cs) => {
                                let cs_name = pdf_to_utf8(cs[0].as_name().expect("first arg must be a name"));
                                match cs_name.as_ref() {
                                    "ICCBased" => {
                                        let stream = maybe_deref(doc, &cs[1]).as_stream().unwrap();
                                        dlog!("ICCBased {:?}", stream);
                                        // XXX: we're going to be continually decompressing everytime this object is referenced
                                        AlternateColorSpace::ICCBased(get_contents(stream))
                                    }
                                    "CalGray" => {
                                        let dict = cs[1].as_dict().expect("second arg must be a dict");
                                        AlternateColorSpace::CalGray(CalGray {
                                            white_point: get(&doc, dict, b"WhitePoint"),
                                            black_point: get(&doc, dict, b"BackPoint"),
                                            gamma: get(&doc, dict, b"Gamma"),
                                        })
                                    }
                                    "CalRGB" => {
                                        let dict = cs[1].as_dict().expect("second arg must be a dict");
                                        AlternateColorSpace::CalRGB(CalRGB {
                                            white_point: get(&doc, dict, b"WhitePoint"),
                                            black_point: get(&doc, dict, b"BackPoint"),
                                            gamma: get(&doc, dict, b"Gamma"),
                                            matrix: get(&doc, dict, b"Matrix"),
                                        })
                                    }
                                    "Lab" => {
                                        let dict = cs[1].as_dict().expect("second arg must be a dict");
                                        AlternateColorSpace::Lab(Lab {
                                            white_point: get(&doc, dict, b"WhitePoint"),
                                            black_point: get(&doc, dict, b"BackPoint"),
                                            range: get(&doc, dict, b"Range"),
                                        })
                                    }
                                    _ => panic!("Unexpected color space name")
                                }
                            }
                            _ => panic!("Alternate space should be name or array {:?}", cs[2])
                        };
                        let tint_transform = Box::new(Function::new(doc, maybe_deref(doc, &cs[3])));

                        dlog!("{:?} {:?} {:?}", name, alternate_space, tint_transform);
                        ColorSpace::Separation(Separation{ name, alternate_space, tint_transform})
                    }
                    "ICCBased" => {
                        let stream = maybe_deref(doc, &cs[1]).as_stream().unwrap();
                        dlog!("ICCBased {:?}", stream);
                        // XXX: we're going to be continually decompressing everytime this object is referenced
                        ColorSpace::ICCBased(get_contents(stream))
                    }
                    "CalGray" => {
                        let dict = cs[1].as_dict().expect("second arg must be a dict");
                        ColorSpace::CalGray(CalGray {
                            white_point: get(&doc, dict, b"WhitePoint"),
                            black_point: get(&doc, dict, b"BackPoint"),
                            gamma: get(&doc, dict, b"Gamma"),
                        })
                    }
                    "CalRGB" => {
                        let dict = cs[1].as_dict().expect("second arg must be a dict");
                        ColorSpace::CalRGB(CalRGB {
                            white_point: get(&doc, dict, b"WhitePoint"),
                            black_point: get(&doc, dict, b"BackPoint"),
                            gamma: get(&doc, dict, b"Gamma"),
                            matrix: get(&doc, dict, b"Matrix"),
                        })
                    }
                    "Lab" => {
                        let dict = cs[1].as_dict().expect("second arg must be a dict");
                        ColorSpace::Lab(Lab {
                            white_point: get(&doc, dict, b"WhitePoint"),
                            black_point: get(&doc, dict, b"BackPoint"),
                            range: get(&doc, dict, b"Range"),
                        })
                    }
                    "Pattern" => {
                        ColorSpace::Pattern
                    },
                    "DeviceGray" => ColorSpace::DeviceGray,
                    "DeviceRGB" => ColorSpace::DeviceRGB,
                    "DeviceCMYK" => ColorSpace::DeviceCMYK,
                    "DeviceN" => ColorSpace::DeviceN,
                    _ => {
                        panic!("color_space {:?} {:?} {:?}", name, cs_name, cs)
                    }
                }
            } else if let Ok(cs) = cs.as_name() {
                match pdf_to_utf8(cs).as_ref() {
                    "DeviceRGB" => ColorSpace::DeviceRGB,
                    "DeviceGray" => ColorSpace::DeviceGray,
                    _ => panic!()
                }
            } else {
                panic!();
            }
        }
    }
}

struct Processor<'a> {
    /// Patched (15): each font with what its dictionary says (`FontInfo`, per page
    /// since the resource name is part of it).
    font_table: HashMap<Vec<u8>, (Rc<dyn PdfFont + 'a>, Rc<FontInfo>)>,
    unicode_cache: Option<&'a UnicodeCache>,
    /// Fonts by the object id of their dictionary, kept across pages (see [`FontCache`]).
    font_cache: Option<HashMap<ObjectId, Rc<dyn PdfFont + 'a>>>,
    /// Patched: the transformation in force where a form is drawn, for the form's content.
    form_ctm: Option<Transform>,
    _none: PhantomData<&'a ()>,
}

impl<'a> Processor<'a> {
    /// The font `dict`, known in this page's font table as `name` and written in the
    /// resources as `entry`: from the table, else built (`make_font`), taking a font the
    /// resources refer to indirectly from the `FontCache` (the same font on every page).
    /// `resource_name` is what `FontInfo` gets (`name` itself for `Tf`).
    fn font(&mut self, doc: &'a Document, name: &[u8], resource_name: &[u8], entry: Option<&Object>, dict: &'a Dictionary) -> (Rc<dyn PdfFont + 'a>, Rc<FontInfo>) {
        let unicode_cache = self.unicode_cache;
        let font_cache = &mut self.font_cache;
        self.font_table.entry(name.to_owned()).or_insert_with(|| {
            let font = match (font_cache, entry) {
                (Some(font_cache), Some(&Object::Reference(id))) => font_cache
                    .entry(id)
                    .or_insert_with(|| make_font(doc, dict, unicode_cache))
                    .clone(),
                _ => make_font(doc, dict, unicode_cache),
            };
            (font, Rc::new(FontInfo::of(doc, dict, resource_name)))
        }).clone()
    }

    fn new() -> Processor<'a> {
        Processor { font_table: HashMap::default(), unicode_cache: None, font_cache: None, form_ctm: None, _none: PhantomData }
    }

    fn process_stream(&mut self, doc: &'a Document, content: Vec<u8>, resources: &'a Dictionary, media_box: &MediaBox, output: &mut dyn OutputDev, page_num: u32) -> Result<(), OutputError> {
        // Patched: a stream that does not decode shows nothing; upstream panicked. And
        // comments are blanked first (see `blank_comments`).
        let content = Content::decode(&blank_comments(&content)).unwrap_or(Content { operations: Vec::new() });
        self.process_content(doc, &content, resources, media_box, output, page_num)
    }

    /// [`Processor::process_stream`] for content that is decoded already.
    fn process_content(&mut self, doc: &'a Document, content: &Content, resources: &'a Dictionary, media_box: &MediaBox, output: &mut dyn OutputDev, page_num: u32) -> Result<(), OutputError> {
        let mut gs: GraphicsState = GraphicsState {
            ts: TextState {
                font: None,
                font_info: None,
                font_size: std::f64::NAN,
                character_spacing: 0.,
                word_spacing: 0.,
                horizontal_scaling: 100. / 100.,
                leading: 0.,
                rise: 0.,
                tm: Transform2D::identity(),
            },
            fill_color: Vec::new(),
            fill_colorspace: ColorSpace::DeviceGray,
            stroke_color: Vec::new(),
            stroke_colorspace: ColorSpace::DeviceGray,
            line_width: 1.,
            ctm: self.form_ctm.take().unwrap_or_else(Transform2D::identity),
            smask: None
        };
        //let mut ts = &mut gs.ts;
        let mut gs_stack = Vec::new();
        let mut mc_stack = Vec::new();
        // XXX: replace tlm with a point for text start
        let mut tlm = Transform2D::identity();
        let mut path = Path::new();
        let flip_ctm = Transform2D::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly);
        dlog!("MediaBox {:?}", media_box);
        for operation in &content.operations {
            //dlog!("op: {:?}", operation);

            // Patched: an operator with fewer operands than it takes is skipped, as
            // poppler does (the guards `if n >= …` below; a failed guard falls through
            // to the unknown operator); upstream indexed past them and panicked.
            let n = operation.operands.len();
            let as_name = |i: usize| operation.operands.get(i).and_then(|o| o.as_name().ok());

            match operation.operator.as_ref() {
                "BT" => {
                    tlm = Transform2D::identity();
                    gs.ts.tm = tlm;
                }
                "ET" => {
                    tlm = Transform2D::identity();
                    gs.ts.tm = tlm;
                }
                "cm" if n >= 6 => {
                    let m = Transform2D::row_major(as_num(&operation.operands[0]),
                                                   as_num(&operation.operands[1]),
                                                   as_num(&operation.operands[2]),
                                                   as_num(&operation.operands[3]),
                                                   as_num(&operation.operands[4]),
                                                   as_num(&operation.operands[5]));
                    gs.ctm = gs.ctm.pre_transform(&m);
                    dlog!("matrix {:?}", gs.ctm);
                }
                // Patched: a colour space that cannot be read (missing, malformed) is
                // DeviceGray instead of a panic: colours never change the text.
                "CS" if n >= 1 => {
                    let Some(name) = as_name(0) else { continue };
                    gs.stroke_colorspace = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| make_colorspace(doc, name, resources))).unwrap_or(ColorSpace::DeviceGray);
                }
                "cs" if n >= 1 => {
                    let Some(name) = as_name(0) else { continue };
                    gs.fill_colorspace = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| make_colorspace(doc, name, resources))).unwrap_or(ColorSpace::DeviceGray);
                }
                "SC" | "SCN" => {
                    gs.stroke_color = match gs.stroke_colorspace {
                        ColorSpace::Pattern => { dlog!("unhandled pattern color"); Vec::new() }
                        _ => { operation.operands.iter().map(|x| as_num(x)).collect() }
                    };
                }
                "sc" | "scn" => {
                    gs.fill_color = match gs.fill_colorspace {
                        ColorSpace::Pattern => { dlog!("unhandled pattern color"); Vec::new() }
                        _ => { operation.operands.iter().map(|x| as_num(x)).collect() }
                    };
                }
                // The device colour operators set the colour space and the colour at once
                // (PDF 32000-1, 8.6.8); upstream ignored them, so fills reached the
                // output device with the colour of the last `sc`/`scn`, if any.
                "g" | "rg" | "k" => {
                    let space = match operation.operator.as_str() { "g" => ColorSpace::DeviceGray, "rg" => ColorSpace::DeviceRGB, _ => ColorSpace::DeviceCMYK };
                    gs.fill_colorspace = space;
                    gs.fill_color = operation.operands.iter().map(|x| maybe_num(x).unwrap_or(0.)).collect();
                }
                "G" | "RG" | "K" => {
                    let space = match operation.operator.as_str() { "G" => ColorSpace::DeviceGray, "RG" => ColorSpace::DeviceRGB, _ => ColorSpace::DeviceCMYK };
                    gs.stroke_colorspace = space;
                    gs.stroke_color = operation.operands.iter().map(|x| maybe_num(x).unwrap_or(0.)).collect();
                }
                "TJ" if n >= 1 => {
                    match operation.operands[0] {
                        Object::Array(ref array) => {
                            for e in array {
                                match e {
                                    &Object::String(ref s, _) => {
                                        show_text(&mut gs, s, &tlm, &flip_ctm, output)?;
                                    }
                                    &Object::Integer(i) => {
                                        let ts = &mut gs.ts;
                                        let w0 = 0.;
                                        let tj = i as f64;
                                        let ty = 0.;
                                        let tx = ts.horizontal_scaling * ((w0 - tj / 1000.) * ts.font_size);
                                        ts.tm = ts.tm.pre_transform(&Transform2D::create_translation(tx, ty));
                                        dlog!("adjust text by: {} {:?}", i, ts.tm);
                                    }
                                    &Object::Real(i) => {
                                        let ts = &mut gs.ts;
                                        let w0 = 0.;
                                        let tj = i as f64;
                                        let ty = 0.;
                                        let tx = ts.horizontal_scaling * ((w0 - tj / 1000.) * ts.font_size);
                                        ts.tm = ts.tm.pre_transform(&Transform2D::create_translation(tx, ty));
                                        dlog!("adjust text by: {} {:?}", i, ts.tm);
                                    }
                                    _ => { dlog!("kind of {:?}", e); }
                                }
                            }
                        }
                        _ => {}
                    }
                }
                "Tj" if n >= 1 => {
                    match operation.operands[0] {
                        Object::String(ref s, _) => {
                            show_text(&mut gs, s, &tlm, &flip_ctm, output)?;
                        }
                        _ => { dlog!("unexpected Tj operand {:?}", operation) }
                    }
                }
                // Patched: `'` (next line, then show) and `"` (set word and character
                // spacing, next line, then show; PDF 32000-1, 9.4.3), which upstream
                // ignored, so their text was lost.
                "'" | "\"" if n >= if operation.operator == "'" { 1 } else { 3 } => {
                    let (shown, s) = if operation.operator == "'" {
                        (0, &operation.operands[0])
                    } else {
                        gs.ts.word_spacing = as_num(&operation.operands[0]);
                        gs.ts.character_spacing = as_num(&operation.operands[1]);
                        (2, &operation.operands[2])
                    };
                    let _ = shown;
                    tlm = tlm.pre_transform(&Transform2D::create_translation(0., -gs.ts.leading));
                    gs.ts.tm = tlm;
                    output.end_line()?;
                    if let Object::String(ref s, _) = s {
                        show_text(&mut gs, s, &tlm, &flip_ctm, output)?;
                    }
                }
                "Tc" if n >= 1 => {
                    gs.ts.character_spacing = as_num(&operation.operands[0]);
                }
                "Tw" if n >= 1 => {
                    gs.ts.word_spacing = as_num(&operation.operands[0]);
                }
                "Tz" if n >= 1 => {
                    gs.ts.horizontal_scaling = as_num(&operation.operands[0]) / 100.;
                }
                "TL" if n >= 1 => {
                    gs.ts.leading = as_num(&operation.operands[0]);
                }
                "Tf" if n >= 2 => {
                    // Patched: a font name that the resources do not hold (or not as a
                    // dictionary) leaves the text that follows without a font, shown as
                    // nothing, as in poppler; upstream panicked ("wrong type").
                    let Some(name) = as_name(0) else { continue };
                    let (font, info) = match self.font_table.get(name) {
                        Some(font) => font.clone(),
                        None => {
                            let Some(fonts) = maybe_get::<&Dictionary>(doc, resources, b"Font") else { gs.ts.font = None; gs.ts.font_info = None; continue };
                            let Some(dict) = maybe_get::<&Dictionary>(doc, fonts, name) else { gs.ts.font = None; gs.ts.font_info = None; continue };
                            self.font(doc, name, name, fonts.get(name).ok(), dict)
                        }
                    };
                    gs.ts.font = Some(font);
                    gs.ts.font_info = Some(info);
                    gs.ts.font_size = as_num(&operation.operands[1]);
                }
                "Ts" if n >= 1 => {
                    gs.ts.rise = as_num(&operation.operands[0]);
                }
                "Tm" if n >= 6 => {
                    tlm = Transform2D::row_major(as_num(&operation.operands[0]),
                                                 as_num(&operation.operands[1]),
                                                 as_num(&operation.operands[2]),
                                                 as_num(&operation.operands[3]),
                                                 as_num(&operation.operands[4]),
                                                 as_num(&operation.operands[5]));
                    gs.ts.tm = tlm;
                    dlog!("Tm: matrix {:?}", gs.ts.tm);
                    output.end_line()?;
                }
                "Td" if n >= 2 => {
                    /* Move to the start of the next line, offset from the start of the current line by (tx , ty ).
                   tx and ty are numbers expressed in unscaled text space units.
                   More precisely, this operator performs the following assignments:
                 */
                    let tx = as_num(&operation.operands[0]);
                    let ty = as_num(&operation.operands[1]);
                    dlog!("translation: {} {}", tx, ty);

                    tlm = tlm.pre_transform(&Transform2D::create_translation(tx, ty));
                    gs.ts.tm = tlm;
                    dlog!("Td matrix {:?}", gs.ts.tm);
                    output.end_line()?;
                }

                "TD" if n >= 2 => {
                    /* Move to the start of the next line, offset from the start of the current line by (tx , ty ).
                   As a side effect, this operator sets the leading parameter in the text state.
                 */
                    let tx = as_num(&operation.operands[0]);
                    let ty = as_num(&operation.operands[1]);
                    dlog!("translation: {} {}", tx, ty);
                    gs.ts.leading = -ty;

                    tlm = tlm.pre_transform(&Transform2D::create_translation(tx, ty));
                    gs.ts.tm = tlm;
                    dlog!("TD matrix {:?}", gs.ts.tm);
                    output.end_line()?;
                }

                "T*" => {
                    let tx = 0.0;
                    let ty = -gs.ts.leading;

                    tlm = tlm.pre_transform(&Transform2D::create_translation(tx, ty));
                    gs.ts.tm = tlm;
                    dlog!("T* matrix {:?}", gs.ts.tm);
                    output.end_line()?;
                }
                "q" => { gs_stack.push(gs.clone()); }
                "Q" => {
                    let s = gs_stack.pop();
                    if let Some(s) = s {
                        gs = s;
                    } else {
                        warn!("No state to pop");
                    }
                }
                "gs" if n >= 1 => {
                    // Patched: a missing graphics state is ignored (upstream panicked
                    // with "ExtGState"), and its /Font [font size] entry sets the font
                    // (PDF 32000-1, 8.4.5), which upstream ignored.
                    let Some(name) = as_name(0) else { continue };
                    let Some(ext_gstate) = maybe_get::<&Dictionary>(doc, resources, b"ExtGState") else { continue };
                    let Some(state) = maybe_get::<&Dictionary>(doc, ext_gstate, name) else { continue };
                    if let Some(f) = maybe_get_array(doc, state, b"Font") {
                        if let (Some(Object::Reference(id)), Some(size)) = (f.first(), f.get(1).and_then(maybe_num)) {
                            if let Ok(dict) = doc.get_dictionary(*id) {
                                let key = format!("\u{0}gs{}.{}", id.0, id.1).into_bytes();
                                let (font, info) = self.font(doc, &key, b"", f.first(), dict);
                                gs.ts.font = Some(font);
                                gs.ts.font_info = Some(info);
                                gs.ts.font_size = size;
                            }
                        }
                    }
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| apply_state(doc, &mut gs, state)));
                }
                "i" => { dlog!("unhandled graphics state flattness operator {:?}", operation); }
                "w" if n >= 1 => { gs.line_width = as_num(&operation.operands[0]); }
                "J" | "j" | "M" | "d" | "ri"  => { dlog!("unknown graphics state operator {:?}", operation); }
                "m" if n >= 2 => { path.ops.push(PathOp::MoveTo(as_num(&operation.operands[0]), as_num(&operation.operands[1]))) }
                "l" if n >= 2 => { path.ops.push(PathOp::LineTo(as_num(&operation.operands[0]), as_num(&operation.operands[1]))) }
                "c" if n >= 6 => {
                    path.ops.push(PathOp::CurveTo(
                        as_num(&operation.operands[0]),
                        as_num(&operation.operands[1]),
                        as_num(&operation.operands[2]),
                        as_num(&operation.operands[3]),
                        as_num(&operation.operands[4]),
                        as_num(&operation.operands[5])))
                }
                "v" if n >= 4 => {
                    let (x, y) = path.current_point();
                    path.ops.push(PathOp::CurveTo(
                        x,
                        y,
                        as_num(&operation.operands[0]),
                        as_num(&operation.operands[1]),
                        as_num(&operation.operands[2]),
                        as_num(&operation.operands[3])))
                }
                "y" if n >= 4 => {
                    path.ops.push(PathOp::CurveTo(
                        as_num(&operation.operands[0]),
                        as_num(&operation.operands[1]),
                        as_num(&operation.operands[2]),
                        as_num(&operation.operands[3]),
                        as_num(&operation.operands[2]),
                        as_num(&operation.operands[3])))
                }
                "h" => { path.ops.push(PathOp::Close) }
                "re" if n >= 4 => {
                    path.ops.push(PathOp::Rect(as_num(&operation.operands[0]),
                                               as_num(&operation.operands[1]),
                                               as_num(&operation.operands[2]),
                                               as_num(&operation.operands[3])))
                }
                // Even-odd fills and the fill-and-stroke operators paint like `f` (the
                // rule only decides holes); upstream ignored them and kept their path,
                // so it was painted again with the next path's operator.
                "f*" | "B" | "B*" | "b" | "b*" => {
                    output.fill(&gs.ctm, &gs.fill_colorspace, &gs.fill_color, &path)?;
                    path.ops.clear();
                }
                "s" => {
                    output.stroke(&gs.ctm, &gs.stroke_colorspace, &gs.stroke_color, &path)?;
                    path.ops.clear();
                }
                "S" => {
                    output.stroke(&gs.ctm, &gs.stroke_colorspace, &gs.stroke_color, &path)?;
                    path.ops.clear();
                }
                "F" | "f" => {
                    output.fill(&gs.ctm, &gs.fill_colorspace, &gs.fill_color, &path)?;
                    path.ops.clear();
                }
                "W" | "w*" => { dlog!("unhandled clipping operation {:?}", operation); }
                "n" => {
                    dlog!("discard {:?}", path);
                    path.ops.clear();
                }
                "BMC" | "BDC" => {
                    mc_stack.push(operation);
                }
                "EMC" => {
                    mc_stack.pop();
                }
                "Do" if n >= 1 => {
                    // `Do` process an entire subdocument, so we do a recursive call to `process_stream`
                    // with the subdocument content and resources
                    // Patched: only a form is interpreted (upstream read an image's
                    // samples as content), with its /Matrix applied (PDF 32000-1,
                    // 8.10.1) inside a saved graphics state; a missing XObject is
                    // skipped instead of panicking.
                    let Some(name) = as_name(0) else { continue };
                    let Some(xobject) = maybe_get::<&Dictionary>(doc, resources, b"XObject") else { continue };
                    let Some(xf) = maybe_get::<&Stream>(doc, xobject, name) else { continue };
                    if xf.dict.get(b"Subtype").and_then(|s| s.as_name()).map_or(false, |s| s != b"Form") {
                        continue;
                    }
                    let resources = maybe_get_obj(&doc, &xf.dict, b"Resources").and_then(|n| n.as_dict().ok()).unwrap_or(resources);
                    let contents = get_contents(xf);
                    let saved = gs.ctm;
                    if let Some(m) = maybe_get_array(doc, &xf.dict, b"Matrix").filter(|m| m.len() == 6) {
                        let m: Vec<f64> = m.iter().map(|o| maybe_num(o).unwrap_or(0.)).collect();
                        gs.ctm = gs.ctm.pre_transform(&Transform2D::row_major(m[0], m[1], m[2], m[3], m[4], m[5]));
                    }
                    self.form_ctm = Some(gs.ctm);
                    let result = self.process_stream(&doc, contents, resources, &media_box, output, page_num);
                    self.form_ctm = None;
                    gs.ctm = saved;
                    result?;
                }
                _ => { dlog!("unknown operation {:?}", operation); }

            }
        }
        Ok(())
    }
}


pub trait OutputDev {
    fn begin_page(&mut self, page_num: u32, media_box: &MediaBox, art_box: Option<(f64, f64, f64, f64)>)-> Result<(), OutputError>;
    fn end_page(&mut self)-> Result<(), OutputError>;
    fn output_character(&mut self, trm: &Transform, width: f64, spacing: f64, font_size: f64, char: &str) -> Result<(), OutputError>;
    fn begin_word(&mut self)-> Result<(), OutputError>;
    /// Patched (15): `begin_word` with the font the word is shown in, `None` for text
    /// shown before any font is set (which shows no characters). Called instead of
    /// `begin_word`; the default calls `begin_word`, so a device that does not ask for
    /// the font sees no change.
    fn begin_word_in(&mut self, _font: Option<&FontInfo>)-> Result<(), OutputError> { self.begin_word() }
    fn end_word(&mut self)-> Result<(), OutputError>;
    fn end_line(&mut self)-> Result<(), OutputError>;
    fn stroke(&mut self, _ctm: &Transform, _colorspace: &ColorSpace, _color: &[f64], _path: &Path)-> Result<(), OutputError> {Ok(())}
    fn fill(&mut self, _ctm: &Transform, _colorspace: &ColorSpace, _color: &[f64], _path: &Path)-> Result<(), OutputError> {Ok(())}
}


pub struct HTMLOutput<'a>  {
    file: &'a mut dyn std::io::Write,
    flip_ctm: Transform,
    last_ctm: Transform,
    buf_ctm: Transform,
    buf_font_size: f64,
    buf: String
}

fn insert_nbsp(input: &str) -> String {
    let mut result = String::new();
    let mut word_end = false;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            if !word_end || chars.peek().filter(|x| **x != ' ').is_none() {
                result += "&nbsp;";
            } else {
                result += " ";
            }
            word_end = false;
        } else {
            word_end = true;
            result.push(c);
        }
    }
    result
}

impl<'a> HTMLOutput<'a> {
    pub fn new(file: &mut dyn std::io::Write) -> HTMLOutput {
        HTMLOutput {
            file,
            flip_ctm: Transform2D::identity(),
            last_ctm: Transform2D::identity(),
            buf_ctm: Transform2D::identity(),
            buf: String::new(),
            buf_font_size: 0.,
        }
    }
    fn flush_string(&mut self) -> Result<(), OutputError>{
        if self.buf.len() != 0 {

            let position = self.buf_ctm.post_transform(&self.flip_ctm);
            let transformed_font_size_vec = self.buf_ctm.transform_vector(vec2(self.buf_font_size, self.buf_font_size));
            // get the length of one sized of the square with the same area with a rectangle of size (x, y)
            let transformed_font_size = (transformed_font_size_vec.x * transformed_font_size_vec.y).sqrt();
            let (x, y) = (position.m31, position.m32);
            warn!("flush {} {:?}", self.buf, (x,y));

            write!(self.file, "<div style='position: absolute; left: {}px; top: {}px; font-size: {}px'>{}</div>\n",
                   x, y, transformed_font_size, insert_nbsp(&self.buf))?;
        }
        Ok(())
    }
}

type ArtBox = (f64, f64, f64, f64);

impl<'a> OutputDev for HTMLOutput<'a> {
    fn begin_page(&mut self, page_num: u32, media_box: &MediaBox, _: Option<ArtBox>) -> Result<(), OutputError> {
        write!(self.file, "<meta charset='utf-8' /> ")?;
        write!(self.file, "<!-- page {} -->", page_num)?;
        write!(self.file, "<div id='page{}' style='position: relative; height: {}px; width: {}px; border: 1px black solid'>", page_num, media_box.ury - media_box.lly, media_box.urx - media_box.llx)?;
        self.flip_ctm = Transform::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly);
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        self.flush_string()?;
        self.buf = String::new();
        self.last_ctm = Transform::identity();
        write!(self.file, "</div>")?;
        Ok(())
    }
    fn output_character(&mut self, trm: &Transform, width: f64, spacing: f64, font_size: f64, char: &str) -> Result<(), OutputError>{
        if trm.approx_eq(&self.last_ctm) {
            let position = trm.post_transform(&self.flip_ctm);
            let (x, y) = (position.m31, position.m32);

            warn!("accum {} {:?}", char, (x,y));
            self.buf += char;
        } else {
            warn!("flush {} {:?} {:?} {} {} {}", char, trm, self.last_ctm, width, font_size, spacing);
            self.flush_string()?;
            self.buf = char.to_owned();
            self.buf_font_size = font_size;
            self.buf_ctm = *trm;
        }
        let position = trm.post_transform(&self.flip_ctm);
        let transformed_font_size_vec = trm.transform_vector(vec2(font_size, font_size));
        // get the length of one sized of the square with the same area with a rectangle of size (x, y)
        let transformed_font_size = (transformed_font_size_vec.x * transformed_font_size_vec.y).sqrt();
        let (x, y) = (position.m31, position.m32);
        write!(self.file, "<div style='position: absolute; color: red; left: {}px; top: {}px; font-size: {}px'>{}</div>",
               x, y, transformed_font_size, char)?;
        self.last_ctm = trm.pre_transform(&Transform2D::create_translation(width * font_size + spacing, 0.));

        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {Ok(())}
    fn end_word(&mut self) -> Result<(), OutputError> {Ok(())}
    fn end_line(&mut self) -> Result<(), OutputError> {Ok(())}
}

pub struct SVGOutput<'a>  {
    file: &'a mut dyn std::io::Write
}
impl<'a> SVGOutput<'a> {
    pub fn new(file: &mut dyn std::io::Write) -> SVGOutput {
        SVGOutput{file}
    }
}

impl<'a> OutputDev for SVGOutput<'a> {
    fn begin_page(&mut self, _page_num: u32, media_box: &MediaBox, art_box: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        let ver = 1.1;
        write!(self.file, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n")?;
        if ver == 1.1 {
            write!(self.file, r#"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">"#)?;
        } else {
            write!(self.file, r#"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.0//EN" "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd">"#)?;
        }
        if let Some(art_box) = art_box {
            let width = art_box.2 - art_box.0;
            let height = art_box.3 - art_box.1;
            let y = media_box.ury - art_box.1 - height;
            write!(self.file, "<svg width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" version=\"{}\" viewBox='{} {} {} {}'>", width, height, ver, art_box.0, y, width, height)?;
        } else {
            let width = media_box.urx - media_box.llx;
            let height = media_box.ury - media_box.lly;
            write!(self.file, "<svg width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" version=\"{}\" viewBox='{} {} {} {}'>", width, height, ver, media_box.llx, media_box.lly, width, height)?;
        }
        write!(self.file, "\n")?;
        type Mat = Transform;

        let ctm = Mat::create_scale(1., -1.).post_translate(vec2(0., media_box.ury));
        write!(self.file, "<g transform='matrix({}, {}, {}, {}, {}, {})'>\n",
               ctm.m11,
               ctm.m12,
               ctm.m21,
               ctm.m22,
               ctm.m31,
               ctm.m32,
        )?;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError>{
        write!(self.file, "</g>\n")?;
        write!(self.file, "</svg>")?;
        Ok(())
    }
    fn output_character(&mut self, _trm: &Transform, _width: f64, _spacing: f64, _font_size: f64, _char: &str) -> Result<(), OutputError>{
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {Ok(())}
    fn end_word(&mut self) -> Result<(), OutputError> {Ok(())}
    fn end_line(&mut self) -> Result<(), OutputError> {Ok(())}
    fn fill(&mut self, ctm: &Transform, _colorspace: &ColorSpace, _color: &[f64], path: &Path) -> Result<(), OutputError>{
        write!(self.file, "<g transform='matrix({}, {}, {}, {}, {}, {})'>",
               ctm.m11,
               ctm.m12,
               ctm.m21,
               ctm.m22,
               ctm.m31,
               ctm.m32,
        )?;

        /*if path.ops.len() == 1 {
            if let PathOp::Rect(x, y, width, height) = path.ops[0] {
                write!(self.file, "<rect x={} y={} width={} height={} />\n", x, y, width, height);
                write!(self.file, "</g>");
                return;
            }
        }*/
        let mut d = Vec::new();
        for op in &path.ops {
            match op {
                &PathOp::MoveTo(x, y) => { d.push(format!("M{} {}", x, y))}
                &PathOp::LineTo(x, y) => { d.push(format!("L{} {}", x, y))},
                &PathOp::CurveTo(x1, y1, x2, y2, x, y) => { d.push(format!("C{} {} {} {} {} {}", x1, y1, x2, y2, x, y))},
                &PathOp::Close => { d.push(format!("Z"))},
                &PathOp::Rect(x, y, width, height) => {
                    d.push(format!("M{} {}", x, y));
                    d.push(format!("L{} {}", x + width, y));
                    d.push(format!("L{} {}", x + width, y + height));
                    d.push(format!("L{} {}", x, y + height));
                    d.push(format!("Z"));
                }

            }
        }
        write!(self.file, "<path d='{}' />", d.join(" "))?;
        write!(self.file, "</g>")?;
        write!(self.file, "\n")?;
        Ok(())
    }
}

/*
File doesn't implement std::fmt::Write so we have
to do some gymnastics to accept a File or String
See https://github.com/rust-lang/rust/issues/51305
*/

pub trait ConvertToFmt {
    type Writer: std::fmt::Write;
    fn convert(self) -> Self::Writer;
}

impl<'a> ConvertToFmt for &'a mut String {
    type Writer = &'a mut String;
    fn convert(self) -> Self::Writer {
        self
    }
}

pub struct WriteAdapter<W> {
    f: W,
}

impl<W: std::io::Write> std::fmt::Write for WriteAdapter<W> {
    fn write_str(&mut self, s: &str) -> Result<(), std::fmt::Error> {
        self.f.write_all(s.as_bytes()).map_err(|_| fmt::Error)
    }
}

impl<'a> ConvertToFmt for &'a mut dyn std::io::Write {
    type Writer = WriteAdapter<Self>;
    fn convert(self) -> Self::Writer {
        WriteAdapter { f: self }
    }
}

impl<'a> ConvertToFmt for &'a mut File {
    type Writer = WriteAdapter<Self>;
    fn convert(self) -> Self::Writer {
        WriteAdapter { f: self }
    }
}

pub struct PlainTextOutput<W: ConvertToFmt>   {
    writer: W::Writer,
    last_end: f64,
    last_y: f64,
    first_char: bool,
    flip_ctm: Transform,
}

impl<W: ConvertToFmt> PlainTextOutput<W> {
    pub fn new(writer: W) -> PlainTextOutput<W> {
        PlainTextOutput{
            writer: writer.convert(),
            last_end: 100000.,
            first_char: false,
            last_y: 0.,
            flip_ctm: Transform2D::identity(),
        }
    }
}

/* There are some structural hints that PDFs can use to signal word and line endings:
 * however relying on these is not likely to be sufficient. */
impl<W: ConvertToFmt> OutputDev for PlainTextOutput<W> {
    fn begin_page(&mut self, _page_num: u32, media_box: &MediaBox, _: Option<ArtBox>) -> Result<(), OutputError> {
        self.flip_ctm = Transform2D::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly);
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(&mut self, trm: &Transform, width: f64, _spacing: f64, font_size: f64, char: &str) -> Result<(), OutputError> {
        let position = trm.post_transform(&self.flip_ctm);
        let transformed_font_size_vec = trm.transform_vector(vec2(font_size, font_size));
        // get the length of one sized of the square with the same area with a rectangle of size (x, y)
        let transformed_font_size = (transformed_font_size_vec.x*transformed_font_size_vec.y).sqrt();
        let (x, y) = (position.m31, position.m32);
        use std::fmt::Write;
        //dlog!("last_end: {} x: {}, width: {}", self.last_end, x, width);
        if self.first_char {
            if (y - self.last_y).abs() > transformed_font_size * 1.5 {
                write!(self.writer, "\n")?;
            }

            // we've moved to the left and down
            if x < self.last_end && (y - self.last_y).abs() > transformed_font_size * 0.5 {
                write!(self.writer, "\n")?;
            }

            if x > self.last_end + transformed_font_size * 0.1 {
                dlog!("width: {}, space: {}, thresh: {}", width, x - self.last_end, transformed_font_size * 0.1);
                write!(self.writer, " ")?;
            }
        }
        //let norm = unicode_normalization::UnicodeNormalization::nfkc(char);
        write!(self.writer, "{}", char)?;
        self.first_char = false;
        self.last_y = y;
        self.last_end = x + width * transformed_font_size;
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {Ok(())}
    fn end_line(&mut self) -> Result<(), OutputError>{
        //write!(self.file, "\n");
        Ok(())
    }
}


pub fn print_metadata(doc: &Document) {
    dlog!("Version: {}", doc.version);
    if let Some(ref info) = get_info(&doc) {
        for (k, v) in *info {
            match v {
                &Object::String(ref s, StringFormat::Literal) => { dlog!("{}: {}", pdf_to_utf8(k), pdf_to_utf8(s)); }
                _ => {}
            }
        }
    }
    dlog!("Page count: {}", get::<i64>(&doc, &get_pages(&doc), b"Count"));
    dlog!("Pages: {:?}", get_pages(&doc));
    dlog!("Type: {:?}", get_pages(&doc).get(b"Type").and_then(|x| x.as_name()).unwrap());
}

/// Extract the text from a pdf at `path` and return a `String` with the results
pub fn extract_text<P: std::convert::AsRef<std::path::Path>>(path: P) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut output = PlainTextOutput::new(&mut s);
        let mut doc = Document::load(path)?;
        maybe_decrypt(&mut doc)?;
        output_doc(&doc, &mut output)?;
    }
    Ok(s)
}

fn maybe_decrypt(doc: &mut Document) -> Result<(), OutputError> {
    if ! doc.is_encrypted() {
        return Ok(());
    }

    if let Err(e) = doc.decrypt("") {
        if let Error::Decryption(DecryptionError::IncorrectPassword) = e {
            error!("Encrypted documents must be decrypted with a password using {{extract_text|extract_text_from_mem|output_doc}}_encrypted")
        }

        return Err(OutputError::PdfError(e));
    }

    Ok(())
}

pub fn extract_text_encrypted<P: std::convert::AsRef<std::path::Path>>(
    path: P,
    password: &str,
) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut output = PlainTextOutput::new(&mut s);
        let mut doc = Document::load(path)?;
        output_doc_encrypted(&mut doc, &mut output, password)?;
    }
    Ok(s)
}

pub fn extract_text_from_mem(buffer: &[u8]) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut output = PlainTextOutput::new(&mut s);
        let mut doc = Document::load_mem(buffer)?;
        maybe_decrypt(&mut doc)?;
        output_doc(&doc, &mut output)?;
    }
    Ok(s)
}

pub fn extract_text_from_mem_encrypted(
    buffer: &[u8],
    password: &str,
) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut output = PlainTextOutput::new(&mut s);
        let mut doc = Document::load_mem(buffer)?;
        output_doc_encrypted(&mut doc, &mut output, password)?;
    }
    Ok(s)
}


fn extract_text_by_page(doc: &Document, page_num: u32) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut output = PlainTextOutput::new(&mut s);
        output_doc_page(doc, &mut output, page_num)?;
    }
    Ok(s)
}

/// Extract the text from a pdf at `path` and return a `Vec<String>` with the results separately by page

pub fn extract_text_by_pages<P: std::convert::AsRef<std::path::Path>>(path: P) -> Result<Vec<String>, OutputError> {
    let mut v = Vec::new();
    {
        let mut doc = Document::load(path)?;
        maybe_decrypt(&mut doc)?;
        let mut page_num = 1;
        while let Ok(content) = extract_text_by_page(&doc, page_num) {
            v.push(content);
            page_num += 1;
        }
    }
    Ok(v)
}

pub fn extract_text_by_pages_encrypted<P: std::convert::AsRef<std::path::Path>>(path: P, password: &str) -> Result<Vec<String>, OutputError> {
    let mut v = Vec::new();
    {
        let mut doc = Document::load(path)?;
        doc.decrypt(password)?;
        let mut page_num = 1;
        while let Ok(content) = extract_text_by_page(&mut doc, page_num) {
            v.push(content);
            page_num += 1;
        }
    }
    Ok(v)
}

pub fn extract_text_from_mem_by_pages(buffer: &[u8]) -> Result<Vec<String>, OutputError> {
    let mut v = Vec::new();
    {
        let mut doc = Document::load_mem(buffer)?;
        maybe_decrypt(&mut doc)?;
        let mut page_num = 1;
        while let Ok(content) = extract_text_by_page(&doc, page_num) {
            v.push(content);
            page_num += 1;
        }
    }
    Ok(v)
}

pub fn extract_text_from_mem_by_pages_encrypted(buffer: &[u8], password: &str) -> Result<Vec<String>, OutputError> {
    let mut v = Vec::new();
    {
        let mut doc = Document::load_mem(buffer)?;
        doc.decrypt(password)?;
        let mut page_num = 1;
        while let Ok(content) = extract_text_by_page(&doc, page_num) {
            v.push(content);
            page_num += 1;
        }
    }
    Ok(v)
}


/// Patched: the numbers of an array entry found on `dict` or up its /Parent chain (at
/// most 256 levels), `None` when there is none or it holds anything but numbers.
fn get_inherited_numbers(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<Vec<f64>> {
    let mut dict = dict;
    for _ in 0..256 {
        if let Some(a) = maybe_get_array(doc, dict, key) {
            return a.iter().map(|o| maybe_num(maybe_deref(doc, o))).collect();
        }
        dict = dict.get(b"Parent").and_then(|p| p.as_reference()).and_then(|id| doc.get_dictionary(id)).ok()?;
    }
    None
}

fn get_inherited<'a, T: FromObj<'a>>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<T> {
    let o: Option<T> = get(doc, dict, key);
    if let Some(o) = o {
        Some(o)
    } else {
        let parent = dict.get(b"Parent")
            .and_then(|parent| parent.as_reference())
            .and_then(|id| doc.get_dictionary(id)).ok()?;
        get_inherited(doc, parent, key)
    }
}

pub fn output_doc_encrypted(
    doc: &mut Document,
    output: &mut dyn OutputDev,
    password: &str,
) -> Result<(), OutputError> {
    doc.decrypt(password)?;
    output_doc(doc, output)
}

/// Parse a given document and output it to `output`
pub fn output_doc(doc: &Document, output: &mut dyn OutputDev) -> Result<(), OutputError> {
    if doc.is_encrypted() {
        error!("Encrypted documents must be decrypted with a password using {{extract_text|extract_text_from_mem|output_doc}}_encrypted");
    }
    let empty_resources = Dictionary::new();
    let pages = doc.get_pages();
    let mut p = Processor::new();
    for dict in pages {
        let page_num = dict.0;
        let object_id = dict.1;
        output_doc_inner(page_num, object_id, doc, &mut p, output, &empty_resources, None)?;
    }
    Ok(())
}

pub fn output_doc_page(doc: &Document, output: &mut dyn OutputDev, page_num: u32) -> Result<(), OutputError> {
    if doc.is_encrypted() {
        error!("Encrypted documents must be decrypted with a password using {{extract_text|extract_text_from_mem|output_doc}}_encrypted");
    }
    let empty_resources = Dictionary::new();
    let pages = doc.get_pages();
    let object_id = pages.get(&page_num).ok_or(lopdf::Error::PageNumberNotFound(page_num))?;
    let mut p = Processor::new();
    output_doc_inner(page_num, *object_id, doc, &mut p, output, &empty_resources, None)?;
    Ok(())
}

/// The fonts that pages of one document have built, by the object id of their font
/// dictionary, for reading further pages of that document one by one on one thread:
/// see [`output_doc_page_cached`]. Not `Send` (the fonts are reference counted); give
/// each thread its own, and share the [`UnicodeCache`].
///
/// A page's fonts are looked up by their resource names (`/F1`), which are only unique
/// within one page's resources, so the font table is emptied for every page; but a
/// font dictionary that the resources refer to indirectly is the same font wherever it
/// is used, and building it (its encoding, widths and ToUnicode map) is the same work
/// on every page. Only fonts referred to indirectly are kept. A cache belongs to one
/// [`Document`].
pub struct FontCache<'a> {
    fonts: HashMap<ObjectId, Rc<dyn PdfFont + 'a>>,
}

impl<'a> FontCache<'a> {
    /// An empty cache.
    pub fn new() -> FontCache<'a> {
        FontCache { fonts: HashMap::default() }
    }
}

impl<'a> Default for FontCache<'a> {
    fn default() -> FontCache<'a> {
        FontCache::new()
    }
}

/// [`output_doc_page`] for page `page_num` whose page object is `page_id` (as listed by
/// `Document::get_pages`, which is not called again here), taking the ToUnicode CMaps
/// from `cache` (see [`UnicodeCache`]; one cache per document, shared by its pages) and
/// the fonts from `fonts` (see [`FontCache`]; one per document and thread), adding to
/// both. `content`, when given, is the page's content decoded by the caller
/// (`Content::decode` of `Document::get_page_content`), for a caller that reads it too;
/// `None` reads and decodes it here. The output is that of [`output_doc_page`].
pub fn output_doc_page_cached<'a>(doc: &'a Document, output: &mut dyn OutputDev, page_num: u32, page_id: ObjectId, content: Option<&Content>, cache: &'a UnicodeCache, fonts: &mut FontCache<'a>) -> Result<(), OutputError> {
    if doc.is_encrypted() {
        error!("Encrypted documents must be decrypted with a password using {{extract_text|extract_text_from_mem|output_doc}}_encrypted");
    }
    // `output_doc_inner` wants resources that live as long as the fonts kept in `fonts`.
    static EMPTY_RESOURCES: OnceLock<Dictionary> = OnceLock::new();
    let empty_resources = EMPTY_RESOURCES.get_or_init(Dictionary::new);
    let mut p = Processor::new();
    p.unicode_cache = Some(cache);
    // Taken out for the page and put back after it: a page that panics (malformed font
    // or content) leaves the cache empty, never half-built (a font is kept only once
    // built).
    p.font_cache = Some(std::mem::take(&mut fonts.fonts));
    let result = output_doc_inner(page_num, page_id, doc, &mut p, output, empty_resources, content);
    fonts.fonts = p.font_cache.take().unwrap_or_default();
    result
}

/// Patched: a content stream with its comments (`%` to the end of the line, outside
/// strings and inline image data) turned into spaces. lopdf's content grammar reads
/// comments only where an operation starts and not followed by white space, so content
/// with a comment after an operand, or an indented line after a comment, stopped being
/// read there: the rest of the page was lost. Borrowed when there is no `%` at all.
pub fn blank_comments(bytes: &[u8]) -> Cow<'_, [u8]> {
    if !bytes.contains(&b'%') {
        return Cow::Borrowed(bytes);
    }
    let mut out = bytes.to_vec();
    let mut i = 0;
    let white = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x0c);
    let delim = |c: u8| white(c) || b"()<>[]{}/%".contains(&c);
    while i < out.len() {
        match out[i] {
            b'%' => {
                while i < out.len() && out[i] != b'\n' && out[i] != b'\r' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            b'(' => {
                let mut depth = 0usize;
                while i < out.len() {
                    match out[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'<' => {
                if out.get(i + 1) == Some(&b'<') {
                    i += 2;
                } else {
                    while i < out.len() && out[i] != b'>' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'I' if out.get(i + 1) == Some(&b'D') && (i == 0 || white(out[i - 1])) && out.get(i + 2).map_or(true, |&c| white(c)) => {
                // Inline image data runs to `EI` between white space.
                i += 3;
                while i + 1 < out.len() && !(out[i] == b'E' && out[i + 1] == b'I' && white(out[i - 1]) && out.get(i + 2).map_or(true, |&c| delim(c))) {
                    i += 1;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    Cow::Owned(out)
}

/// Patched: the appearance streams of a page's annotations that a viewer shows (not
/// hidden, not NoView), each with the transformation that maps it onto the annotation's
/// rectangle (PDF 32000-1, 12.5.5): its /BBox through its /Matrix, fitted to /Rect.
/// An appearance dictionary with states gives the stream its /AS names.
pub fn annotation_forms<'a>(doc: &'a Document, page: &'a Dictionary) -> Vec<(&'a Stream, Transform)> {
    let mut out = Vec::new();
    let Some(annots) = maybe_get_array(doc, page, b"Annots") else { return out };
    let nums = |o: Option<&'a Object>| -> Option<Vec<f64>> {
        let a = maybe_deref(doc, o?).as_array().ok()?;
        a.iter().map(|x| maybe_num(maybe_deref(doc, x))).collect()
    };
    for annot in annots.iter().take(10_000) {
        let Ok(annot) = maybe_deref(doc, annot).as_dict() else { continue };
        let flags = maybe_get_obj(doc, annot, b"F").and_then(|f| f.as_i64().ok()).unwrap_or(0);
        if flags & (2 | 32) != 0 {
            continue;
        }
        if annot.get(b"Subtype").and_then(|s| s.as_name()).map_or(false, |s| s == b"Popup") {
            continue;
        }
        let Some(ap) = maybe_get::<&Dictionary>(doc, annot, b"AP") else { continue };
        let form = match maybe_get_obj(doc, ap, b"N") {
            Some(Object::Stream(s)) => s,
            Some(Object::Dictionary(states)) => {
                let Some(state) = maybe_get_name(doc, annot, b"AS") else { continue };
                match maybe_get_obj(doc, states, state) {
                    Some(Object::Stream(s)) => s,
                    _ => continue,
                }
            }
            _ => continue,
        };
        let (Some(rect), Some(bbox)) = (nums(annot.get(b"Rect").ok()), nums(form.dict.get(b"BBox").ok())) else { continue };
        if rect.len() != 4 || bbox.len() != 4 {
            continue;
        }
        let m = nums(form.dict.get(b"Matrix").ok()).filter(|m| m.len() == 6).unwrap_or(vec![1., 0., 0., 1., 0., 0.]);
        let matrix: Transform = Transform2D::row_major(m[0], m[1], m[2], m[3], m[4], m[5]);
        let corners = [(bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])]
            .map(|(x, y)| matrix.transform_point(euclid::point2(x, y)));
        let (x0, x1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
        let (y0, y1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
        let (rx0, rx1) = (rect[0].min(rect[2]), rect[0].max(rect[2]));
        let (ry0, ry1) = (rect[1].min(rect[3]), rect[1].max(rect[3]));
        let sx = if x1 > x0 { (rx1 - rx0) / (x1 - x0) } else { 1. };
        let sy = if y1 > y0 { (ry1 - ry0) / (y1 - y0) } else { 1. };
        let fit = Transform2D::row_major(sx, 0., 0., sy, rx0 - x0 * sx, ry0 - y0 * sy);
        out.push((form, matrix.post_transform(&fit)));
    }
    out
}

fn output_doc_inner<'a>(page_num: u32, object_id: ObjectId, doc: &'a Document, p: & mut Processor<'a>, output: &mut dyn OutputDev, empty_resources: &'a Dictionary, content: Option<&Content>) -> Result<(), OutputError> {
    let page_dict = doc.get_object(object_id).unwrap().as_dict().unwrap();
    dlog!("page {} {:?}", page_num, page_dict);
    // Font resource names (e.g. /F0) are only unique within a page's resource
    // dictionary; the same name can map to a different font on the next page.
    // Reset the font cache per page so a stale entry from an earlier page isn't
    // reused, which would decode text with the wrong font's ToUnicode CMap.
    p.font_table.clear();
    // XXX: Some pdfs lack a Resources directory
    let resources = get_inherited(doc, page_dict, b"Resources").unwrap_or(empty_resources);
    dlog!("resources {:?}", resources);
    // pdfium searches up the page tree for MediaBoxes as needed
    // Patched: a page without a (readable) MediaBox, here or inherited, is US Letter,
    // as poppler and pdf.js take it; upstream panicked ("MediaBox"). So is a box of
    // other than four numbers, and an ArtBox of fewer is ignored.
    let media_box: Vec<f64> = get_inherited_numbers(doc, page_dict, b"MediaBox")
        .filter(|b| b.len() >= 4)
        .unwrap_or_else(|| vec![0., 0., 612., 792.]);
    let media_box = MediaBox { llx: media_box[0], lly: media_box[1], urx: media_box[2], ury: media_box[3] };
    let art_box = maybe_get_array(doc, page_dict, b"ArtBox")
        .and_then(|a| a.iter().map(|o| maybe_num(maybe_deref(doc, o))).collect::<Option<Vec<f64>>>())
        .filter(|x| x.len() >= 4)
        .map(|x| (x[0], x[1], x[2], x[3]));
    output.begin_page(page_num, &media_box, art_box)?;
    match content {
        Some(content) => p.process_content(&doc, content, resources, &media_box, output, page_num)?,
        // Patched: content that cannot be read (a broken reference) shows nothing.
        None => p.process_stream(&doc, doc.get_page_content(object_id).unwrap_or_default(), resources, &media_box, output, page_num)?,
    }
    // Patched: the appearance streams of the page's annotations (form fields, free
    // text) are drawn after its content, as viewers and pdftotext draw them.
    for (form, ctm) in annotation_forms(doc, page_dict) {
        let resources = maybe_get_obj(doc, &form.dict, b"Resources").and_then(|n| n.as_dict().ok()).unwrap_or(resources);
        p.form_ctm = Some(ctm);
        p.process_stream(doc, get_contents(form), resources, &media_box, output, page_num)?;
        p.form_ctm = None;
    }
    output.end_page()?;
    Ok(())
}
