//! Words as pdftotext reads them: for every committed PDF that has a `pdftotext` dump
//! beside it or in `dumps/` (`NAME.pdftotext.txt`, made with `pdftotext -enc UTF-8`), the words of the
//! lines the converter assembles from the glyphs agree with pdftotext's words. Agreement
//! is the Dice coefficient of the two multisets of white-space separated words, so a word
//! broken by a spurious space (or two run together) counts against it on both sides.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tulossopimus::stages::{layout, pdf};

/// The floor the issue sets: 99.5 % of words the same as pdftotext's.
const FLOOR: f64 = 0.995;

fn words(text: &str) -> HashMap<&str, usize> {
    let mut out = HashMap::new();
    for w in text.split_whitespace() {
        *out.entry(w).or_insert(0) += 1;
    }
    out
}

/// Dice coefficient of two word multisets, with the words only one side has.
fn agreement(ours: &str, theirs: &str) -> (f64, Vec<String>) {
    let (a, b) = (words(ours), words(theirs));
    let total: usize = a.values().sum::<usize>() + b.values().sum::<usize>();
    let common: usize = a
        .iter()
        .map(|(w, n)| (*n).min(b.get(w).copied().unwrap_or(0)))
        .sum();
    let mut differ: Vec<String> = a
        .iter()
        .filter(|(w, n)| b.get(*w).copied().unwrap_or(0) < **n)
        .map(|(w, _)| format!("+{w}"))
        .chain(
            b.iter()
                .filter(|(w, n)| a.get(*w).copied().unwrap_or(0) < **n)
                .map(|(w, _)| format!("-{w}")),
        )
        .collect();
    differ.sort();
    differ.truncate(20);
    let score = if total == 0 {
        1.0
    } else {
        2.0 * common as f64 / total as f64
    };
    (score, differ)
}

fn assembled_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let read = pdf::read(&path.display().to_string(), &bytes, None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lines = layout::assemble(&read.pages).lines;
    let mut text = String::new();
    for l in &lines.lines {
        text.push_str(l.raw());
        text.push('\n');
    }
    text
}

/// Every PDF under `dir` (recursively) with its pdftotext dump.
fn pairs(dir: &Path, out: &mut Vec<(PathBuf, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            pairs(&p, out);
        } else if p.extension().is_some_and(|x| x == "pdf") {
            // Beside the PDF, or in `dumps/` where a folder's text files are inputs.
            let dump = p.with_extension("pdftotext.txt");
            let aside = dir.join("dumps").join(dump.file_name().unwrap());
            if let Some(dump) = [dump, aside].into_iter().find(|d| d.exists()) {
                out.push((p, dump));
            }
        }
    }
}

#[test]
fn agreement_counts_split_and_joined_words() {
    assert_eq!(agreement("a b c", "a b c").0, 1.0);
    // "Str ategiset" against "Strategiset": 0 of 3 words in common.
    assert_eq!(agreement("Str ategiset", "Strategiset").0, 0.0);
    let (score, differ) = agreement("Johdon k atsaus", "Johdon katsaus");
    assert!((score - 0.4).abs() < 1e-9, "{score}");
    assert_eq!(differ, ["+atsaus", "+k", "-katsaus"]);
}

#[test]
fn words_agree_with_pdftotext_on_every_committed_pdf() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut all = Vec::new();
    for dir in ["layout", "pdf", "farm"] {
        pairs(&root.join(dir), &mut all);
    }
    all.sort();
    assert!(all.len() >= 20, "only {} PDFs with dumps", all.len());
    let mut failures = Vec::new();
    for (pdf, dump) in &all {
        let theirs = std::fs::read_to_string(dump).unwrap();
        let (score, differ) = agreement(&assembled_text(pdf), &theirs);
        if score < FLOOR {
            failures.push(format!("{}: {score:.4} {differ:?}", pdf.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
