//! What the fuzz targets (`fuzz/`) found, kept as tests: every minimised input in
//! `fixtures/fuzz/` converts (or is refused) with the targets' oracles holding, and the
//! causes are pinned down by smaller, explained cases.
//!
//! - `text-nesting-depth.txt`: heading rows without targets nested one level per row,
//!   so the JSON nested deeper than serde_json reads (128), and 50,000 such rows
//!   overflowed the stack. Such a table is now refused as `too_deep`.

use tulossopimus::limits::DEFAULT_MAX_DEPTH;
use tulossopimus::model::{Document, Goal};
use tulossopimus::{convert_bytes, Options};

/// The fuzz targets' oracles: the coverage sum, and JSON that reads back as the same
/// document.
fn check(name: &str, doc: &Document) {
    let c = doc.coverage;
    assert_eq!(
        c.content_lines,
        c.placed_lines + c.furniture_lines + c.warned_lines,
        "{name}"
    );
    let json = serde_json::to_vec(doc).expect("serializes");
    let back: Document = serde_json::from_slice(&json)
        .unwrap_or_else(|e| panic!("{name}: the JSON does not read back: {e}"));
    assert!(
        back == *doc,
        "{name}: the JSON reads back as another document"
    );
}

fn depth(goals: &[Goal]) -> u32 {
    goals
        .iter()
        .map(|g| g.level.max(depth(&g.goals)))
        .max()
        .unwrap_or(0)
}

#[test]
fn every_fuzz_finding_converts_and_reads_back() {
    let mut seen = 0;
    for entry in std::fs::read_dir("fixtures/fuzz").expect("fixtures/fuzz") {
        let path = entry.expect("entry").path();
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).expect("read");
        match convert_bytes(&name, &bytes, &Options::default()) {
            Ok(doc) => check(&name, &doc),
            Err(e) => assert!(e.to_string().starts_with(&name), "{e}"),
        }
        seen += 1;
    }
    assert!(seen >= 1, "no fuzz findings in fixtures/fuzz");
}

/// A results table of 5,000 heading rows and a single target at the end nests one
/// level per row: refused as `too_deep`, naming the row that went past the limit, and
/// one row less than the limit still converts.
#[test]
fn thousands_of_heading_rows_are_too_deep() {
    let table = |rows: u32| {
        let mut text = String::from("3 Tulostavoitteet \n\nTaulukko: Tulostavoitteet \n\n");
        for n in 1..=rows {
            text.push_str(&format!(" Otsikko numero {n} \n\n"));
        }
        text.push_str(" Tavoite 2026 Kaikki otsikot on luettu. \n");
        text
    };
    let err = convert_bytes("deep.txt", table(5_000).as_bytes(), &Options::default())
        .expect_err("5,000 levels are refused");
    assert_eq!(err.code(), "too_deep", "{err}");
    assert!(err.to_string().starts_with("deep.txt"), "{err}");

    let fits = DEFAULT_MAX_DEPTH;
    let doc = convert_bytes("fits.txt", table(fits).as_bytes(), &Options::default())
        .expect("a table as deep as the limit converts");
    check("fits.txt", &doc);
    let lines = &doc.agreements[0].strategic_lines;
    assert_eq!(lines.len(), 1);
    assert_eq!(depth(&lines[0].goals), fits - 1);
}
