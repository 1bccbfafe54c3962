//! What `convert` writes where: --pretty and --format only where they give valid JSON,
//! and which files of a directory a batch takes (--include, --exclude).

use std::path::Path;

mod common;

use common::s;

const SEED: &str = "fixtures/keha-tulossopimus-2026-2029.txt";
const ARKISTO: &str = "fixtures/arkisto-tulossopimus-2026-2029.txt";
const PDF: &str = "fixtures/pdf/vayla-tulossopimus-2026-2029.pdf";

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = common::bin().args(args).output().expect("runs");
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn pretty_output_is_always_one_json_value() {
    // One input: one indented document.
    let one = run(&["convert", "--pretty", SEED]);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    let doc: serde_json::Value = serde_json::from_slice(&one.stdout).expect("one JSON value");
    assert_eq!(doc["source"]["path"], SEED);
    // Several: refused before anything is printed, saying what to use instead.
    let two = run(&["convert", "--pretty", SEED, ARKISTO]);
    assert_eq!(two.code, Some(2), "{}", two.stderr);
    assert!(two.stdout.is_empty());
    assert!(
        two.stderr.contains("--format ndjson") && two.stderr.contains("--out-dir"),
        "{}",
        two.stderr
    );
    // Without --pretty, several inputs give one compact document per line.
    let compact = run(&["convert", SEED, ARKISTO]);
    let text = String::from_utf8(compact.stdout).expect("UTF-8");
    let docs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a document per line"))
        .collect();
    assert_eq!(docs.len(), 2);
}

#[test]
fn format_is_not_silently_ignored_with_out_dir() {
    let dir = common::scratch("ndjson-outdir");
    let out = dir.join("out");
    let r = run(&["convert", "--format", "ndjson", "--out-dir", s(&out), SEED]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("--format") && r.stderr.contains("--out-dir"),
        "{}",
        r.stderr
    );
    assert!(!out.exists(), "nothing written");
    // --pretty is honoured there: every output file indented.
    let r = run(&["convert", "--quiet", "--pretty", "--out-dir", s(&out), SEED]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let text =
        std::fs::read_to_string(out.join("keha-tulossopimus-2026-2029.txt.json")).expect("output");
    assert!(
        text.starts_with("{\n  \"schema_version\""),
        "{}",
        &text[..40]
    );
}

/// The inputs a batch's report lists, relative to `inbox`, sorted.
fn taken(out: &Path, inbox: &Path) -> Vec<String> {
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("_report.json")).expect("report"))
            .expect("JSON");
    let mut inputs: Vec<String> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let input = f["input"].as_str().expect("input");
            Path::new(input)
                .strip_prefix(inbox)
                .map_or(input.to_string(), |p| p.display().to_string())
        })
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn a_batch_takes_agreement_files_from_directories() {
    let dir = common::scratch("filters");
    let inbox = dir.join("inbox");
    for sub in ["", "2026", "luonnos"] {
        std::fs::create_dir_all(inbox.join(sub)).expect("dir");
    }
    std::fs::copy(SEED, inbox.join("keha.txt")).expect("copy");
    std::fs::copy(PDF, inbox.join("VAYLA.PDF")).expect("copy");
    std::fs::copy(ARKISTO, inbox.join("2026/arkisto.txt")).expect("copy");
    std::fs::copy(ARKISTO, inbox.join("luonnos/arkisto.txt")).expect("copy");
    for other in ["MANIFEST.md", "make_pdfs.py", "luonnos/arkisto.fodt"] {
        std::fs::write(inbox.join(other), b"not an agreement\n").expect("write");
    }

    // Default: *.txt and *.pdf (any case) from directories; the rest left out, counted.
    let out = dir.join("out-default");
    let r = run(&["convert", "--out-dir", s(&out), s(&inbox)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        taken(&out, &inbox),
        [
            "2026/arkisto.txt",
            "VAYLA.PDF",
            "keha.txt",
            "luonnos/arkisto.txt"
        ]
    );
    assert!(r.stderr.contains("note: 3 file(s)"), "{}", r.stderr);

    // --exclude, by path and by name.
    let out = dir.join("out-exclude");
    let r = run(&[
        "convert",
        "--out-dir",
        s(&out),
        "--exclude",
        "luonnos/**",
        "--exclude",
        "*.pdf",
        s(&inbox),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(taken(&out, &inbox), ["2026/arkisto.txt", "keha.txt"]);

    // --include replaces the default; a file named directly is always taken.
    let out = dir.join("out-include");
    let manifest = inbox.join("MANIFEST.md");
    let r = run(&[
        "convert",
        "--quiet",
        "--out-dir",
        s(&out),
        "--include",
        "2026/*.txt",
        s(&inbox),
        s(&manifest),
    ]);
    assert_eq!(r.code, Some(1), "MANIFEST.md is no agreement: {}", r.stderr);
    let report = taken(&out, &inbox);
    assert_eq!(report, ["2026/arkisto.txt", "MANIFEST.md"]);

    // The filters belong to batches.
    assert_eq!(run(&["convert", "--include", "*.txt", SEED]).code, Some(2));
}

#[test]
fn a_batch_logs_progress_lines_when_stderr_is_not_a_terminal() {
    let dir = common::scratch("progress");
    let inbox = dir.join("inbox");
    std::fs::create_dir_all(&inbox).expect("dir");
    for n in 0..20 {
        std::fs::copy(ARKISTO, inbox.join(format!("a{n:02}.txt"))).expect("copy");
    }
    std::fs::write(inbox.join("rikki.txt"), b"").expect("write");
    // Standard error is a pipe here: a line at every further tenth of the inputs.
    let r = run(&["convert", "--out-dir", s(&dir.join("out")), s(&inbox)]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let lines: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("progress: "))
        .collect();
    assert!(lines.len() >= 5, "{}", r.stderr);
    let last = lines.last().expect("a line");
    assert!(last.starts_with("progress: 21/21 files (100%), "), "{last}");
    assert!(last.ends_with(", 1 failed"), "{last}");
    for line in &lines {
        // The rate with one decimal: "123.4 files/s".
        let rate = line
            .split(", ")
            .find(|p| p.ends_with(" files/s"))
            .unwrap_or_else(|| panic!("no rate in {line}"));
        let number = rate.trim_end_matches(" files/s");
        let (_, decimals) = number.split_once('.').expect("a decimal point");
        assert_eq!(decimals.len(), 1, "{line}");
    }
    // --quiet: none.
    let r = run(&[
        "convert",
        "--quiet",
        "--force",
        "--out-dir",
        s(&dir.join("out")),
        s(&inbox),
    ]);
    assert!(!r.stderr.contains("progress: "), "{}", r.stderr);
}
