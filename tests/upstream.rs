//! The vendored pdf-extract against the release it is based on (0.12.1, the
//! dev-dependency `pdf-extract-upstream`): every fixture PDF's text, page by page, must
//! be the same in both, or differ exactly as a patch of `vendor/pdf-extract/PATCHES.md`
//! says it does ([`EXPLAINED`]). A patch that changes text it did not mean to change, or a
//! fixture whose difference no patch explains, fails here; so does an explained
//! difference that is no longer there (the table is the whole list).
//!
//! Each reading runs in a child process (this test binary again, running [`child`]):
//! upstream overflows its stack on some hostile files and the decompression bomb
//! exhausts memory in both, which no `catch_unwind` survives. The text compared is
//! pdf-extract's own plain-text device (`PlainTextOutput`), each page read alone, a panic
//! caught per page: upstream through `output_doc_page`, the vendored copy through
//! `output_doc_page_cached` with its caches shared by the pages, as tulossopimus reads.
//!
//! `UPSTREAM_REPORT=1 cargo test --test upstream -- --nocapture` prints every file's
//! outcome and, for a difference, where on each page the words first differ.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in a child: which copy reads which file, and where the child writes what it read.
const CHILD_ENV: &str = "TULOSSOPIMUS_UPSTREAM_CHILD";

/// How a patch changes a file's text.
#[derive(Debug, Clone, Copy)]
enum Because {
    /// Patch 9 (CID widths given as a range are read): upstream gave every glyph of such
    /// a range the default width, 0 in Chromium's PDFs, so gaps measured after it were
    /// too wide and words broke apart ("Str ategiset"), and a glyph shown without a move
    /// landed on the one before, which can hide a real gap ("202320242025"). So: every
    /// page holds the same characters in the same order, only where white space falls
    /// differs, and the patched copy has fewer words in all.
    WordBreaks,
    /// Patch 11 (an encoding name that is no encoding reads as StandardEncoding):
    /// upstream panics on page `page` with `message`; the patched copy reads `text`
    /// there, and every other page as upstream does.
    UpstreamPanics {
        page: usize,
        message: &'static str,
        text: &'static str,
    },
}

/// Every fixture PDF whose text the patches change, with the patch and the change. A
/// file not listed must read the same in both.
const EXPLAINED: &[(&str, u32, Because)] = &[
    (
        "fixtures/farm/t700000000-0-chromium-ltr-carlito-indent.pdf",
        9,
        Because::WordBreaks,
    ),
    (
        "fixtures/farm/t700000005-0-chromium-ltr-carlito-weight.pdf",
        9,
        Because::WordBreaks,
    ),
    (
        "fixtures/farm/t700000010-0-chromium-a4l-liberation-serif-size.pdf",
        9,
        Because::WordBreaks,
    ),
    (
        "fixtures/farm/t700000015-0-chromium-a4p-carlito-shading.pdf",
        9,
        Because::WordBreaks,
    ),
    (
        "fixtures/farm/t700000025-0-chromium-a4l-carlito-indent_weight.pdf",
        9,
        Because::WordBreaks,
    ),
    (
        "fixtures/farm/t700000030-0-chromium-ltr-carlito-size_weight.pdf",
        9,
        Because::WordBreaks,
    ),
    (
        "fixtures/farm/t700000035-0-chromium-a4l-dejavu-sans-shading_indent.pdf",
        9,
        Because::WordBreaks,
    ),
    (
        "fixtures/farm/t700000040-0-chromium-ltr-carlito-indent.pdf",
        9,
        Because::WordBreaks,
    ),
    ("fixtures/hostile/panicking-font.pdf", 11, RIKKINAINEN),
    ("fixtures/pdf/rikkinainen-fontti.pdf", 11, RIKKINAINEN),
];

/// fixtures/pdf/make_pdfs.py's page 2 in a font with `/Encoding /KeksittyEncoding`.
const RIKKINAINEN: Because = Because::UpstreamPanics {
    page: 2,
    message: "unexpected encoding \"KeksittyEncoding\"",
    text: "\n\nTavoite 2027 Sivun kaksi fontti on rikki.",
};

/// `Err` saying how `ours` differs from `up` other than as `because` says.
fn explained(because: Because, up: &Reading, ours: &Reading) -> Result<(), String> {
    let (Reading::Pages(up), Reading::Pages(ours)) = (up, ours) else {
        return Err("a document that does not read in one copy".into());
    };
    if up.len() != ours.len() {
        return Err(format!("{} pages against {}", up.len(), ours.len()));
    }
    if up == ours {
        return Err("no difference any more: take the file out of EXPLAINED".into());
    }
    let words = |pages: &[Result<String, String>]| -> usize {
        pages
            .iter()
            .flatten()
            .map(|t| t.split_whitespace().count())
            .sum()
    };
    if matches!(because, Because::WordBreaks) && words(ours) >= words(up) {
        return Err(format!(
            "{} words against upstream's {}: not fewer",
            words(ours),
            words(up)
        ));
    }
    for (i, (a, b)) in up.iter().zip(ours).enumerate() {
        let page = i + 1;
        match because {
            Because::WordBreaks => {
                let (Ok(a), Ok(b)) = (a, b) else {
                    return Err(format!("page {page} fails in one copy"));
                };
                let letters = |t: &str| t.split_whitespace().collect::<String>();
                if letters(a) != letters(b) {
                    return Err(format!("page {page} differs in more than white space"));
                }
            }
            Because::UpstreamPanics {
                page: p,
                message,
                text,
            } if p == page => {
                if a.as_ref().err().map(String::as_str) != Some(message) {
                    return Err(format!(
                        "page {page}: upstream gave {a:?}, not the panic {message:?}"
                    ));
                }
                if b.as_deref() != Ok(text) {
                    return Err(format!(
                        "page {page}: the patched copy read {b:?}, not {text:?}"
                    ));
                }
            }
            Because::UpstreamPanics { .. } => {
                if a != b {
                    return Err(format!("page {page} differs too"));
                }
            }
        }
    }
    Ok(())
}

/// What a child read of one file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
enum Reading {
    /// The document did not load (or decrypt).
    Unloaded(String),
    /// Each page: its text, or the panic it ended in.
    Pages(Vec<Result<String, String>>),
    /// The child died without a word: a signal (stack overflow, an allocation failure's
    /// abort) or a timeout.
    Crashed(String),
}

/// A child's work: reads `path` with one copy and writes the [`Reading`] as JSON.
#[test]
fn child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut parts = spec.splitn(3, '\n');
    let (which, path, out) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    // Far above what any fixture needs, below what the machine has: the bomb's 4 GiB of
    // inflated content fails to allocate instead of swapping.
    let limit = libc::rlimit {
        rlim_cur: 2 << 30,
        rlim_max: 2 << 30,
    };
    unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    std::panic::set_hook(Box::new(|_| {}));
    let bytes = std::fs::read(path).expect("reads the fixture");
    let reading = match which {
        "upstream" => upstream(&bytes),
        "patched" => patched(&bytes),
        other => panic!("no copy named {other}"),
    };
    std::fs::write(out, serde_json::to_vec(&reading).unwrap()).expect("writes");
    std::process::exit(0);
}

fn caught<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into())
    })
}

/// As upstream's `extract_text_from_mem_by_pages` reads: each page into a plain-text
/// device of its own. Upstream's `output_doc_page` lists the pages again on every call
/// (quadratic: a minute for the 2,000-page file), so the pages are read in one
/// `output_doc` and split at `begin_page`; after a page that fails, the rest are read
/// one by one.
fn upstream(bytes: &[u8]) -> Reading {
    use pdf_extract_upstream as pe;
    let doc = caught(|| {
        let mut doc = pe::Document::load_mem(bytes).map_err(|e| e.to_string())?;
        if doc.is_encrypted() {
            doc.decrypt("").map_err(|e| e.to_string())?;
        }
        Ok::<_, String>(doc)
    });
    let doc = match doc {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) | Err(e) => return Reading::Unloaded(e),
    };
    let numbers: Vec<u32> = match caught(|| doc.get_pages().into_keys().collect()) {
        Ok(pages) => pages,
        Err(e) => return Reading::Unloaded(e),
    };
    let mut split = Split::default();
    let whole = caught(|| pe::output_doc(&doc, &mut split));
    let mut pages = split.pages;
    if !matches!(whole, Ok(Ok(()))) {
        // The page begun last is the one that failed.
        let why = match whole {
            Ok(Err(e)) => e.to_string(),
            Err(e) => e,
            Ok(Ok(())) => unreachable!(),
        };
        pages.push(Err(why));
        for &n in &numbers[pages.len()..] {
            let mut text = String::new();
            let r = caught(|| {
                let mut out = pe::PlainTextOutput::new(&mut text);
                pe::output_doc_page(&doc, &mut out, n)
            });
            pages.push(match r {
                Ok(Ok(())) => Ok(text),
                Ok(Err(e)) => Err(e.to_string()),
                Err(e) => Err(e),
            });
        }
    }
    assert_eq!(pages.len(), numbers.len());
    Reading::Pages(pages)
}

/// Upstream's plain-text device, a new one for every page, each page's text kept.
#[derive(Default)]
struct Split {
    pages: Vec<Result<String, String>>,
    buffer: std::rc::Rc<std::cell::RefCell<Vec<u8>>>,
    page: Option<pdf_extract_upstream::PlainTextOutput<&'static mut dyn std::io::Write>>,
}

/// A writer into [`Split`]'s buffer, which the device owns while the page is read.
struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Split {
    fn page(
        &mut self,
    ) -> &mut pdf_extract_upstream::PlainTextOutput<&'static mut dyn std::io::Write> {
        self.page.as_mut().expect("inside a page")
    }
}

impl pdf_extract_upstream::OutputDev for Split {
    fn begin_page(
        &mut self,
        n: u32,
        media_box: &pdf_extract_upstream::MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract_upstream::OutputError> {
        // Leaked: a few bytes a page, in a child process that ends after the file.
        let writer: &'static mut dyn std::io::Write =
            Box::leak(Box::new(Shared(std::rc::Rc::clone(&self.buffer))));
        self.page = Some(pdf_extract_upstream::PlainTextOutput::new(writer));
        self.page().begin_page(n, media_box, art_box)
    }
    fn end_page(&mut self) -> Result<(), pdf_extract_upstream::OutputError> {
        self.page().end_page()?;
        self.page = None;
        let bytes = std::mem::take(&mut *self.buffer.borrow_mut());
        self.pages.push(Ok(
            String::from_utf8(bytes).expect("the device writes UTF-8")
        ));
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract_upstream::Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract_upstream::OutputError> {
        self.page()
            .output_character(trm, width, spacing, font_size, char)
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract_upstream::OutputError> {
        self.page().begin_word()
    }
    fn end_word(&mut self) -> Result<(), pdf_extract_upstream::OutputError> {
        self.page().end_word()
    }
    fn end_line(&mut self) -> Result<(), pdf_extract_upstream::OutputError> {
        self.page().end_line()
    }
}

/// The same with the vendored copy, as tulossopimus reads (caches shared by the pages).
fn patched(bytes: &[u8]) -> Reading {
    use pdf_extract as pe;
    let doc = caught(|| {
        let mut doc = pe::Document::load_mem(bytes).map_err(|e| e.to_string())?;
        if doc.is_encrypted() {
            doc.decrypt("").map_err(|e| e.to_string())?;
        }
        Ok::<_, String>(doc)
    });
    let doc = match doc {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) | Err(e) => return Reading::Unloaded(e),
    };
    let pages: Vec<(u32, pe::ObjectId)> = match caught(|| doc.get_pages().into_iter().collect()) {
        Ok(pages) => pages,
        Err(e) => return Reading::Unloaded(e),
    };
    let cache = pe::UnicodeCache::new();
    let mut fonts = pe::FontCache::new();
    Reading::Pages(
        pages
            .into_iter()
            .map(|(n, id)| {
                let mut text = String::new();
                let r = caught(|| {
                    let mut out = pe::PlainTextOutput::new(&mut text);
                    pe::output_doc_page_cached(&doc, &mut out, n, id, None, &cache, &mut fonts)
                });
                match r {
                    Ok(Ok(())) => Ok(text),
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(e) => Err(e),
                }
            })
            .collect(),
    )
}

/// Runs [`child`] in a process of its own.
fn read_in_child(which: &str, path: &Path, scratch: &Path) -> Reading {
    std::fs::create_dir_all(scratch).unwrap();
    let out = scratch.join(format!("{which}.json"));
    let _ = std::fs::remove_file(&out);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["child", "--exact", "--test-threads=1", "--quiet"])
        .env(
            CHILD_ENV,
            format!("{which}\n{}\n{}", path.display(), out.display()),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts the child");
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Reading::Crashed("timeout".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    match std::fs::read(&out) {
        Ok(json) if status.success() => serde_json::from_slice(&json).expect("reads back"),
        _ => {
            use std::os::unix::process::ExitStatusExt;
            Reading::Crashed(match status.signal() {
                Some(s) => format!("signal {s}"),
                None => format!("{status}"),
            })
        }
    }
}

/// Every PDF under fixtures/, symbolic links followed, sorted.
fn fixture_pdfs() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "pdf") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new("fixtures"), &mut out);
    out.sort();
    out
}

#[test]
fn the_vendored_copy_reads_every_fixture_pdf_as_upstream_does_but_for_its_patches() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let scratch =
        std::env::temp_dir().join(format!("tulossopimus-upstream-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let report = std::env::var("UPSTREAM_REPORT").is_ok();
    // Each distinct file once (the hostile corpus links to fixtures/pdf), read by both
    // copies, two children at a time.
    let files = fixture_pdfs();
    let mut distinct: Vec<PathBuf> = files.iter().map(|f| f.canonicalize().unwrap()).collect();
    distinct.sort();
    distinct.dedup();
    let jobs: Vec<(PathBuf, &str)> = distinct
        .iter()
        .flat_map(|f| [(f.clone(), "upstream"), (f.clone(), "patched")])
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let read: std::sync::Mutex<BTreeMap<(PathBuf, &str), Reading>> = Default::default();
    std::thread::scope(|s| {
        for worker in 0..2 {
            let (jobs, next, read, scratch) = (&jobs, &next, &read, &scratch);
            s.spawn(move || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((path, which)) = jobs.get(i) else {
                    break;
                };
                let r = read_in_child(which, path, &scratch.join(worker.to_string()));
                read.lock().unwrap().insert((path.clone(), *which), r);
            });
        }
    });
    let read = read.into_inner().unwrap();
    let mut failures = Vec::new();
    for path in &files {
        let real = path.canonicalize().unwrap();
        let up = &read[&(real.clone(), "upstream")];
        let ours = &read[&(real, "patched")];
        if report {
            eprintln!(
                "{}: upstream {} / patched {}",
                path.display(),
                summary(up),
                summary(ours)
            );
            if up != ours {
                describe(up, ours);
            }
        }
        let name = path.to_str().unwrap();
        match EXPLAINED.iter().find(|(f, _, _)| *f == name) {
            Some(&(_, patch, because)) => match explained(because, up, ours) {
                Ok(()) => eprintln!("{name}: differs as patch {patch} explains ({because:?})"),
                Err(why) => failures.push(format!("{name}: not as patch {patch} explains: {why}")),
            },
            None if up != ours => failures.push(format!(
                "{name}: no patch explains the difference: upstream {} / patched {}",
                summary(up),
                summary(ours)
            )),
            None => {}
        }
    }
    for (f, _, _) in EXPLAINED {
        if !files.iter().any(|p| p.to_str() == Some(*f)) {
            failures.push(format!("{f}: in EXPLAINED but not a fixture"));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn summary(r: &Reading) -> String {
    match r {
        Reading::Unloaded(e) => format!("unloaded ({e})"),
        Reading::Crashed(e) => format!("crashed ({e})"),
        Reading::Pages(p) => {
            let failed = p.iter().filter(|p| p.is_err()).count();
            let chars: usize = p.iter().flatten().map(|t| t.chars().count()).sum();
            format!("{} pages, {failed} failed, {chars} chars", p.len())
        }
    }
}

fn describe(up: &Reading, ours: &Reading) {
    if let (Reading::Pages(a), Reading::Pages(b)) = (up, ours) {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            if x != y {
                match (x, y) {
                    (Ok(x), Ok(y)) => {
                        let (xs, ys): (Vec<&str>, Vec<&str>) = (
                            x.split_whitespace().collect(),
                            y.split_whitespace().collect(),
                        );
                        let common = xs.iter().zip(&ys).take_while(|(a, b)| a == b).count();
                        eprintln!(
                            "  page {}: words {} vs {}, first difference at word {common}: {:?} vs {:?}; same without white space: {}",
                            i + 1,
                            xs.len(),
                            ys.len(),
                            &xs[common.min(xs.len())..(common + 6).min(xs.len())],
                            &ys[common.min(ys.len())..(common + 6).min(ys.len())],
                            x.split_whitespace().collect::<String>() == y.split_whitespace().collect::<String>()
                        );
                    }
                    _ => eprintln!(
                        "  page {}: {:?} vs {:?}",
                        i + 1,
                        x.as_ref().map(|t| t.len()),
                        y.as_ref().map(|t| t.len())
                    ),
                }
            }
        }
    }
}
