//! PDF input: the agreement PDF converts through the text pipeline; every hostile PDF
//! ends in its own error, from the library and from the command line, without a panic
//! message; a batch with all of them still converts the good files.
//!
//! The fixtures are written by `fixtures/pdf/make_pdfs.py` (see there).
mod common;

use common::{bin, scratch};

use std::path::Path;
use std::process::Output;

use tulossopimus::model::{Agreement, Comparator, SourceFormat, ValueKind};
use tulossopimus::{convert_file, Document, Options};

const AGREEMENT: &str = "fixtures/pdf/vayla-tulossopimus-2026-2029.pdf";
const AGREEMENT_DUMP: &str = "fixtures/pdf/vayla-tulossopimus-2026-2029.pdf-extract.txt";
const ENCRYPTED: &str = "fixtures/pdf/salattu.pdf";
const SEED: &str = "fixtures/keha-tulossopimus-2026-2029.txt";

/// Each hostile fixture, its error code and a phrase its message must carry.
const HOSTILE: [(&str, &str, &str); 8] = [
    ("tyhja.pdf", "empty", "empty"),
    ("katkaistu.pdf", "pdf_damaged", "truncated"),
    ("kohinaa.pdf", "not_pdf", "cannot be read as one"),
    ("salattu.pdf", "pdf_encrypted", "password is needed"),
    ("skannattu.pdf", "pdf_no_text", "OCR"),
    (
        "type3-ilman-tounicode.pdf",
        "pdf_garbled",
        "no Unicode mapping",
    ),
    (
        "cid-ilman-tounicode.pdf",
        "pdf_garbled",
        "no Unicode mapping",
    ),
    // Page 2's font names a made-up encoding: read as StandardEncoding since issue 17
    // (pdf-extract panicked on it before), so both pages read, and they are no
    // agreement. A page that cannot be read: `tests/pdf_reading.rs`.
    (
        "rikkinainen-fontti.pdf",
        "not_an_agreement",
        "no performance agreement",
    ),
];

fn hostile(name: &str) -> String {
    format!("fixtures/pdf/{name}")
}

fn convert(path: &str, password: Option<&str>) -> Result<Document, tulossopimus::Error> {
    let options = Options {
        password: password.map(str::to_owned),
        ..Options::default()
    };
    convert_file(Path::new(path), &options)
}

/// Nothing a Rust panic prints may reach standard error.
fn assert_no_panic_text(out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    for sign in ["panicked", "RUST_BACKTRACE", "thread '", "stack backtrace"] {
        assert!(!err.contains(sign), "panic text on stderr: {err}");
    }
}

fn the_agreement(doc: &Document) -> &Agreement {
    assert_eq!(doc.agreements.len(), 1, "{:#?}", doc.agreements);
    &doc.agreements[0]
}

#[test]
fn agreement_pdf_converts_through_the_text_pipeline() {
    let doc = convert(AGREEMENT, None).expect("converts");
    assert_eq!(doc.source.format, SourceFormat::Pdf);
    assert_eq!(doc.source.encoding.name(), "pdf");
    assert_eq!(doc.source.dialect.name(), "pdf-layout");
    assert_eq!(doc.source.pages, 4);
    assert!(doc.warnings.is_empty(), "{:#?}", doc.warnings);
    let c = doc.coverage;
    assert_eq!((c.placed_lines, c.warned_lines), (c.content_lines, 0));

    let a = the_agreement(&doc);
    assert_eq!(
        a.title.as_deref(),
        Some("Ministeriön ja viraston välinen tulossopimus 2026–2029")
    );
    assert_eq!(
        a.ministry.as_deref(),
        Some("Liikenne- ja viestintäministeriö")
    );
    assert_eq!(a.agency.as_deref(), Some("Väylätietokeskus"));
    let period = a.period.as_ref().expect("period");
    assert_eq!((period.start, period.end), (2026, 2029));
    assert_eq!(a.signed.as_deref(), Some("2026-01-20"));
    assert_eq!(a.impact_goals.len(), 2);
    assert_eq!(a.signatories.len(), 2);
    assert_eq!(a.evaluation_scale.len(), 3);

    assert_eq!(a.strategic_lines.len(), 1);
    let sl = &a.strategic_lines[0];
    assert_eq!(sl.title, "Väylätieto on ajantasaista ja luotettavaa");
    assert_eq!(sl.goals.len(), 1);
    let goal = &sl.goals[0];
    assert_eq!(goal.title, "Tierekisterin tiedot päivittyvät viiveettä.");
    assert_eq!(goal.level, 1);

    assert_eq!(goal.targets.len(), 1);
    let target = &goal.targets[0];
    assert_eq!(target.year, 2026);
    assert_eq!(
        target.text,
        "Tierekisterin muutokset on viety tietovarantoon viiden työpäivän kuluessa, ja \
         virheilmoitukset on käsitelty kahden viikon kuluessa."
    );
    assert_eq!(target.source.page, Some(3));

    assert_eq!(goal.indicators.len(), 1);
    let indicator = &goal.indicators[0];
    assert_eq!(indicator.name, "Tietopalvelun käytettävyys");
    assert_eq!(indicator.unit.as_deref(), Some("%"));
    type Value<'a> = (i32, Option<&'a str>, Option<Comparator>, Option<f64>);
    let values: Vec<Value> = indicator
        .values
        .iter()
        .map(|v| (v.year, v.raw.as_deref(), v.comparator, v.value))
        .collect();
    assert_eq!(
        values,
        vec![
            (2026, Some("> 99,0"), Some(Comparator::Gt), Some(99.0)),
            (2027, Some("> 99,5"), Some(Comparator::Gt), Some(99.5)),
            (2028, Some("> 99,5"), Some(Comparator::Gt), Some(99.5)),
            (2029, None, None, None),
        ]
    );
    assert!(indicator
        .values
        .iter()
        .all(|v| v.kind == Some(ValueKind::Target)));
}

#[test]
fn pdf_text_is_the_committed_dump_and_converts_to_the_same_tree() {
    let bytes = std::fs::read(AGREEMENT).expect("read");
    let pages =
        tulossopimus::stages::pdf::extract_pages(AGREEMENT, &bytes, None).expect("extracts");
    assert_eq!(pages.len(), 4);
    let dump = std::fs::read_to_string(AGREEMENT_DUMP).expect("dump");
    assert_eq!(
        pages.join("\n\n"),
        dump,
        "pdf-extract's text changed; regenerate {AGREEMENT_DUMP} with examples/pdf_text"
    );
    let from_pdf = convert(AGREEMENT, None).expect("pdf converts");
    let from_dump = convert(AGREEMENT_DUMP, None).expect("dump converts");
    assert_eq!(from_dump.source.format, SourceFormat::Text);
    // Same tree, ids and text; provenance (lines, boxes) differs: the PDF's lines are
    // assembled from glyphs, the dump's are pdf-extract's.
    assert_eq!(common::tree(&from_pdf), common::tree(&from_dump));
    let c = from_pdf.coverage;
    assert_eq!((c.placed_lines, c.warned_lines), (c.content_lines, 0));
    // Every node of the PDF has its box on the page.
    let json = serde_json::to_value(&from_pdf).expect("json");
    let boxes = json.to_string().matches("\"bbox\":[").count();
    assert_eq!(boxes, json.to_string().matches("\"bbox\":").count());
    assert!(boxes > 10, "{boxes}");
}

#[test]
fn a_few_unmapped_glyphs_in_a_readable_pdf_are_warnings() {
    let doc = convert("fixtures/pdf/osittain-tyyppi3.pdf", None).expect("converts");
    let a = the_agreement(&doc);
    assert_eq!(
        a.title.as_deref(),
        Some("Ministeriön ja viraston välinen tulossopimus 2026–2029")
    );
    assert_eq!(a.chapters[0].title, "Strategiset linjaukset");
    let codes: Vec<(&str, Option<u32>)> = doc
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.page))
        .collect();
    assert_eq!(codes, vec![("unmapped_glyphs", None)]);
    assert!(
        doc.warnings[0].message.starts_with("8 of 196 glyphs")
            && doc.warnings[0].message.contains("page(s) 1)"),
        "{}",
        doc.warnings[0].message
    );
    // No control character reaches the output.
    let json = tulossopimus::emit::to_pretty_string(&doc);
    assert!(!json.contains("\\u000"), "{json}");
}

#[test]
fn encrypted_pdf_opens_with_its_user_password_only() {
    let plain = convert(AGREEMENT, None).expect("plain converts");
    let opened = convert(ENCRYPTED, Some("salasana")).expect("opens with the user password");
    assert_eq!(opened.source.format, SourceFormat::Pdf);
    assert_eq!(opened.agreements, plain.agreements);

    for (password, phrase) in [
        (None, "a password is needed"),
        (Some("väärä"), "does not open it"),
        (Some(""), "does not open it"),
        // lopdf 0.42 derives a wrong key from the owner password: refused, not garbage.
        (Some("omistaja"), "owner"),
    ] {
        let err = convert(ENCRYPTED, password).expect_err("refused");
        assert_eq!(err.code(), "pdf_encrypted", "{password:?}: {err}");
        let message = err.to_string();
        assert!(message.starts_with(&format!("{ENCRYPTED}: ")), "{message}");
        assert!(message.contains(phrase), "{password:?}: {message}");
    }
}

#[test]
fn hostile_pdfs_fail_with_their_own_errors_in_the_library() {
    for (name, code, phrase) in HOSTILE {
        let path = hostile(name);
        let err = convert(&path, None).expect_err(name);
        assert_eq!(err.code(), code, "{name}: {err}");
        assert_eq!(err.path(), path);
        let message = err.to_string();
        assert!(message.starts_with(&format!("{path}: ")), "{message}");
        assert!(message.contains(phrase), "{name}: {message}");
    }
}

#[test]
fn hostile_pdfs_fail_cleanly_on_the_command_line() {
    for (name, _, phrase) in HOSTILE {
        let path = hostile(name);
        let out = bin().args(["convert", &path]).output().expect("runs");
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(out.stdout.is_empty(), "{name}: wrote output");
        assert_no_panic_text(&out);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with(&format!("error: {path}: ")), "{err}");
        assert!(err.contains(phrase), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
    }
}

#[test]
fn password_flag_opens_the_encrypted_pdf() {
    let out = bin()
        .args(["convert", "--password", "salasana", ENCRYPTED])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["source"]["format"], "pdf");
    assert_eq!(
        doc["agreements"][0]["strategic_lines"][0]["title"],
        "Väylätieto on ajantasaista ja luotettavaa"
    );
    let wrong = bin()
        .args(["convert", "--password", "väärä", ENCRYPTED])
        .output()
        .expect("runs");
    assert_eq!(wrong.status.code(), Some(1));
    assert_no_panic_text(&wrong);
}

#[test]
fn batch_reports_every_hostile_pdf_and_converts_the_good_files() {
    let root = scratch("batch");
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("in");
    for entry in std::fs::read_dir("fixtures/pdf").expect("fixtures/pdf") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "pdf" || e == "txt") {
            std::fs::copy(&path, input.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    std::fs::copy(SEED, input.join("keha-tulossopimus-2026-2029.txt")).expect("copy seed");
    let out_dir = root.join("out");
    let out = bin()
        .args(["convert", "--out-dir"])
        .arg(&out_dir)
        .arg("--quiet")
        .arg(&input)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_panic_text(&out);

    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.join("_report.json")).expect("report"),
    )
    .expect("report JSON");
    let files = report["files"].as_array().expect("files");
    let entry = |name: &str| {
        files
            .iter()
            .find(|f| f["input"].as_str().is_some_and(|i| i.ends_with(name)))
            .unwrap_or_else(|| panic!("{name} not in the report"))
    };
    for (name, code, _) in HOSTILE {
        let e = entry(name);
        assert_eq!(e["status"], "failed", "{name}");
        assert_eq!(e["error"]["code"], code, "{name}");
        let message = e["error"]["message"].as_str().expect("message");
        assert!(message.contains(name), "{message}");
        assert!(!out_dir.join(format!("{name}.json")).exists(), "{name}");
    }
    for good in [
        "osittain-tyyppi3.pdf",
        "vayla-tulossopimus-2026-2029.pdf",
        "vayla-tulossopimus-2026-2029.pdf-extract.txt",
        "keha-tulossopimus-2026-2029.txt",
    ] {
        let e = entry(good);
        assert!(
            e["status"] == "converted" || e["status"] == "converted_with_warnings",
            "{good}: {e}"
        );
        let json = std::fs::read_to_string(out_dir.join(format!("{good}.json"))).expect(good);
        let doc: Document = serde_json::from_str(&json).expect("a document");
        assert!(!doc.agreements.is_empty(), "{good}");
    }
    assert_eq!(report["summary"]["total"], HOSTILE.len() + 4);
    assert_eq!(report["summary"]["converted_with_warnings"], 1);
    assert_eq!(report["summary"]["failed"], HOSTILE.len());

    // The same batch with the password: the encrypted agreement converts as well.
    let again = bin()
        .args(["convert", "--out-dir"])
        .arg(&out_dir)
        .args(["--quiet", "--password", "salasana"])
        .arg(&input)
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(1));
    assert_no_panic_text(&again);
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.join("_report.json")).expect("report"),
    )
    .expect("report JSON");
    assert_eq!(report["summary"]["failed"], HOSTILE.len() - 1);
    let doc: Document = serde_json::from_str(
        &std::fs::read_to_string(out_dir.join("salattu.pdf.json")).expect("salattu.pdf.json"),
    )
    .expect("a document");
    assert_eq!(doc.source.format, SourceFormat::Pdf);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn truncations_and_corruptions_of_the_agreement_pdf_fail_cleanly_or_convert() {
    use std::collections::BTreeMap;
    let bytes = std::fs::read(AGREEMENT).expect("read");
    let mut codes: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut check = |name: String, input: &[u8]| match tulossopimus::convert_bytes(
        &name,
        input,
        &Options::default(),
    ) {
        Ok(doc) => {
            let c = doc.coverage;
            assert_eq!(
                c.content_lines,
                c.placed_lines + c.furniture_lines + c.warned_lines
            );
            *codes.entry("ok").or_default() += 1;
        }
        Err(e) => {
            assert!(e.to_string().starts_with(&format!("{name}: ")), "{e}");
            *codes.entry(e.code()).or_default() += 1;
        }
    };
    for cut in (0..bytes.len()).step_by(37) {
        check(format!("cut-{cut}.pdf"), &bytes[..cut]);
    }
    // Overwrite 16 bytes with 0xFF at every 97th offset: broken objects and streams.
    for at in (16..bytes.len()).step_by(97) {
        let mut broken = bytes.clone();
        let end = (at + 16).min(broken.len());
        broken[at..end].fill(0xFF);
        check(format!("broken-{at}.pdf"), &broken);
    }
    eprintln!("{codes:?}");
    assert!(codes.contains_key("pdf_damaged"), "{codes:?}");
}

/// The command converts a PDF in a worker, which sends the JSON rendered: the bytes are
/// the library's rendering of the same document, compact and pretty, and the warnings
/// on stderr are the document's.
#[test]
fn worker_rendered_json_is_the_library_rendering() {
    for path in [
        AGREEMENT,
        "fixtures/layout/vesilaitos-tulossopimus-2027-2030-typo-v2.pdf",
    ] {
        let doc = convert(path, None).expect("converts");
        for pretty in [false, true] {
            let mut expected = Vec::new();
            tulossopimus::emit::write_json(&mut expected, &doc, pretty).expect("renders");
            let mut cmd = bin();
            cmd.args(["convert", path]);
            if pretty {
                cmd.arg("--pretty");
            }
            let out = cmd.output().expect("runs");
            assert!(out.status.success(), "{path}");
            assert!(out.stdout == expected, "{path}, pretty {pretty}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                stderr
                    .lines()
                    .filter(|l| l.starts_with("warning: "))
                    .count(),
                doc.warnings.len(),
                "{path}"
            );
        }
        // The worker pool's document reads back as the library's.
        let pool = tulossopimus::worker::Pool::new(tulossopimus::worker::WorkerConfig::new(
            env!("CARGO_BIN_EXE_tulossopimus").into(),
            std::time::Duration::from_secs(60),
            tulossopimus::worker::DEFAULT_MAX_MEMORY,
        ));
        let bytes = std::fs::read(path).expect("read");
        let rendered = pool
            .convert_rendered(path, &bytes, &Options::default(), false)
            .expect("worker converts");
        let mut expected = Vec::new();
        tulossopimus::emit::write_json(&mut expected, &doc, false).expect("renders");
        assert!(rendered.json == expected, "{path}");
        assert_eq!(rendered.warnings, doc.warnings);
        assert_eq!(rendered.coverage, doc.coverage);
        assert_eq!(
            pool.convert(path, &bytes, &Options::default())
                .expect("converts"),
            doc
        );
    }
}
