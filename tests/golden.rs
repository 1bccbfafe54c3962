//! Whole-document golden tests: every `fixtures/*.txt` converts to exactly its reviewed
//! `golden/<stem>.json`, checked with the same code as `tulossopimus check`. On a
//! mismatch the differences are listed by their place in the tree. After reviewing a
//! change against the source text, rewrite the golden files with
//! `TULOSSOPIMUS_BLESS=1 cargo test --test golden` (or `tulossopimus check --bless`).

use std::path::Path;

use tulossopimus::check::{check, Outcome};
use tulossopimus::{convert_file, Options};

fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("fixtures")
        .expect("fixtures/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_matches_its_golden_output() {
    let bless = std::env::var_os("TULOSSOPIMUS_BLESS").is_some();
    let names = fixtures();
    assert!(
        names.len() >= 3,
        "expected the seed and own fixtures, found {names:?}"
    );
    let mut failures = Vec::new();
    for name in names {
        let input = format!("fixtures/{name}");
        match check(Path::new(&input), Path::new("golden"), bless) {
            Outcome::Same | Outcome::Blessed => {}
            Outcome::Missing => failures.push(format!(
                "{input}: no golden file; review the output and bless it"
            )),
            Outcome::Failed(e) => failures.push(format!("{input}: {e}")),
            Outcome::Differs(diffs) => {
                let mut msg = format!(
                    "{input} differs from its golden file ({} differences):",
                    diffs.len()
                );
                for d in diffs.iter().take(25) {
                    msg.push_str(&format!("\n  {d}"));
                }
                if diffs.is_empty() {
                    msg.push_str("\n  (same JSON value, different formatting)");
                }
                failures.push(msg);
            }
            other => failures.push(format!("{input}: {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn golden_outputs_account_for_every_line() {
    for name in fixtures() {
        let doc = convert_file(Path::new(&format!("fixtures/{name}")), &Options::default())
            .expect("converts");
        let c = doc.coverage;
        assert_eq!(
            c.content_lines,
            c.placed_lines + c.furniture_lines + c.warned_lines,
            "{name}: {c:?}"
        );
        let unplaced = doc.warnings.iter().filter(|w| w.line.is_some()).count();
        assert!(
            c.warned_lines == 0 || unplaced > 0,
            "{name}: warned lines without warnings"
        );
    }
}

/// A correct conversion has no warnings, so `--strict` passes every golden fixture and
/// every layout PDF rendered from them (issue 18): a warning here is a false alarm.
#[test]
fn golden_fixtures_and_their_pdfs_convert_without_warnings() {
    let mut inputs: Vec<String> = fixtures()
        .into_iter()
        .map(|n| format!("fixtures/{n}"))
        .collect();
    let mut pdfs: Vec<String> = std::fs::read_dir("fixtures/layout")
        .expect("fixtures/layout/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .map(|n| format!("fixtures/layout/{n}"))
        .collect();
    pdfs.sort();
    assert!(pdfs.len() >= 10, "layout PDFs: {pdfs:?}");
    inputs.extend(pdfs);
    let mut warned = Vec::new();
    for input in &inputs {
        let doc = convert_file(Path::new(input), &Options::default())
            .unwrap_or_else(|e| panic!("{input}: {e}"));
        if let Some(w) = doc.warnings.first() {
            warned.push(format!(
                "{input}: {} warning(s), first {} {}",
                doc.warnings.len(),
                w.code,
                w.message
            ));
        }
    }
    assert!(warned.is_empty(), "{}", warned.join("\n"));
}
