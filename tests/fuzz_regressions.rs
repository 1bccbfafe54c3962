//! What the fuzz targets (`fuzz/`) found, kept as tests: every minimised input in
//! `fixtures/fuzz/` converts (or is refused) with the targets' oracles holding, and the
//! causes are pinned down by smaller, explained cases.
//!
//! - `text-nesting-depth.txt`: heading rows without targets nested one level per row,
//!   so the JSON nested deeper than serde_json reads (128), and 50,000 such rows
//!   overflowed the stack. Such a table was then refused as `too_deep`; now a run of
//!   heading rows is read as a chain of at most twelve levels (twice what any agreement
//!   writes), its further rows as siblings, and a table nested past `--max-depth` is
//!   still refused.

use tulossopimus::model::{Document, Goal};
use tulossopimus::{convert_bytes, Limits, Options};

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

/// A results table of 5,000 heading rows and a single target at the end: the rows
/// chain twelve levels deep (twice what any agreement writes) and the rest are siblings
/// at the deepest level, the last one holding the target. A limit below that depth
/// still refuses it as `too_deep`, naming the file.
#[test]
fn thousands_of_heading_rows_chain_twelve_levels_then_siblings() {
    let table = |rows: u32| {
        let mut text = String::from("3 Tulostavoitteet \n\nTaulukko: Tulostavoitteet \n\n");
        for n in 1..=rows {
            text.push_str(&format!(" Otsikko numero {n} \n\n"));
        }
        text.push_str(" Tavoite 2026 Kaikki otsikot on luettu. \n");
        text
    };
    let doc = convert_bytes("deep.txt", table(5_000).as_bytes(), &Options::default())
        .expect("5,000 rows convert");
    check("deep.txt", &doc);
    let lines = &doc.agreements[0].strategic_lines;
    assert_eq!(lines.len(), 1);
    assert_eq!(depth(&lines[0].goals), 11);
    // Levels 1 to 10 on the first rows, then 4,989 siblings at level 11.
    let mut parent = &lines[0].goals[0];
    for _ in 2..=10 {
        assert_eq!(parent.goals.len(), 1);
        parent = &parent.goals[0];
    }
    assert_eq!(parent.title, "Otsikko numero 11");
    assert_eq!(parent.goals.len(), 4_989);
    let last = parent.goals.last().expect("siblings");
    assert_eq!(last.title, "Otsikko numero 5000");
    assert_eq!(last.targets.len(), 1);

    let limits = Limits {
        max_depth: 10,
        ..Limits::default()
    };
    let shallow = Options {
        limits,
        ..Options::default()
    };
    let err = convert_bytes("deep.txt", table(5_000).as_bytes(), &shallow)
        .expect_err("twelve levels are past a limit of ten");
    assert_eq!(err.code(), "too_deep", "{err}");
    assert!(err.to_string().starts_with("deep.txt"), "{err}");
}
