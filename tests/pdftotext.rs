//! pdftotext dumps (poppler, default and `-layout`) of the PDFs in `fixtures/layout/`:
//! the dialect must be recognized from the text, and the tree must come out as far as
//! the dump carries it. Each dump has a floor for the expected ids found, raised as the
//! reader improves and never lowered, as in `tests/layout.rs`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use tulossopimus::{convert_file, Document, Options};

fn convert(path: &str) -> Document {
    convert_file(Path::new(path), &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

const KEHA: &str = "golden/keha-tulossopimus-2026-2029.json";
const VESI: &str = "golden/vesilaitos-tulossopimus-2027-2030.json";
const ARKISTO: &str = "golden/arkisto-tulossopimus-2026-2029.json";
const PITKA: &str = "fixtures/layout/pitka-tulossopimus-2026-2029-40s.source.json";

/// (dump, expected tree, ids that must be found with the default dump, with `-layout`).
/// An agreement id holds the period and signing date, and without them a digest of the
/// node ids: a dump that misses the date or a node of an undated agreement misses its
/// agreement id too (four floors went down by one or two when this came in).
const FIXTURES: [(&str, &str, usize, usize); 10] = [
    ("keha-tulossopimus-2026-2029-indent", KEHA, 107, 232),
    ("keha-tulossopimus-2026-2029-typo", KEHA, 140, 135),
    ("keha-tulossopimus-2026-2029-lo", KEHA, 154, 204),
    ("vesilaitos-tulossopimus-2027-2030-indent", VESI, 28, 43),
    ("vesilaitos-tulossopimus-2027-2030-typo", VESI, 27, 28),
    ("vesilaitos-tulossopimus-2027-2030-lo", VESI, 35, 43),
    ("arkisto-tulossopimus-2026-2029-indent", ARKISTO, 22, 30),
    ("arkisto-tulossopimus-2026-2029-typo", ARKISTO, 22, 22),
    ("arkisto-tulossopimus-2026-2029-lo", ARKISTO, 20, 23),
    ("pitka-tulossopimus-2026-2029-40s", PITKA, 108, 398),
];

#[test]
fn pdftotext_dumps_give_the_goldens_ids_at_least_up_to_their_floor() {
    let mut report = Vec::new();
    let mut below = Vec::new();
    for (name, golden, floor_default, floor_layout) in FIXTURES {
        let want = common::golden_ids(golden);
        for (suffix, dialect, floor) in [
            ("pdftotext", "pdftotext", floor_default),
            ("pdftotext-layout", "pdftotext-layout", floor_layout),
        ] {
            let file = format!("fixtures/layout/{name}.{suffix}.txt");
            let doc = convert(&file);
            let mut got = BTreeSet::new();
            common::ids(
                &serde_json::to_value(&doc.agreements).expect("json"),
                &mut got,
            );
            let found = want.intersection(&got).count();
            let c = doc.coverage;
            report.push(format!(
                "{name}.{suffix}: {found}/{} (warned {})",
                want.len(),
                c.warned_lines
            ));
            if found < floor {
                below.push(format!("{name}.{suffix}: {found} < floor {floor}"));
            }
            assert_eq!(doc.source.dialect.name(), dialect, "{file}");
            // Nothing is lost silently, whatever the tree.
            assert_eq!(
                c.content_lines,
                c.placed_lines + c.furniture_lines + c.warned_lines,
                "{file}"
            );
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(below.is_empty(), "{below:?}\n{}", report.join("\n"));
}
