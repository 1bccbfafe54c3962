//! PDFs rendered from the reviewed goldens in three styles by two producers
//! (`fixtures/layout/`, see MANIFEST.md there): converting them must give the goldens'
//! trees. Not all do yet; each file has a floor for the share of the expected ids found,
//! raised as the reader improves and never lowered, so that a regression in the layout
//! reader shows here by name.
mod common;

use std::collections::BTreeSet;
use std::path::Path;

use tulossopimus::{convert_file, Document, Options};

fn ids(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(id)) = map.get("id") {
                out.insert(id.clone());
            }
            map.values().for_each(|x| ids(x, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| ids(x, out)),
        _ => {}
    }
}

fn expected(golden: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(golden).expect(golden);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut out = BTreeSet::new();
    ids(&v["agreements"], &mut out);
    out
}

fn convert(pdf: &str) -> Document {
    convert_file(Path::new(pdf), &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// (PDF, expected tree, ids that must be found).
const FIXTURES: [(&str, &str, usize); 10] = [
    (
        "keha-tulossopimus-2026-2029-indent",
        "golden/keha-tulossopimus-2026-2029.json",
        217,
    ),
    (
        "keha-tulossopimus-2026-2029-typo",
        "golden/keha-tulossopimus-2026-2029.json",
        214,
    ),
    (
        "keha-tulossopimus-2026-2029-lo",
        "golden/keha-tulossopimus-2026-2029.json",
        229,
    ),
    (
        "vesilaitos-tulossopimus-2027-2030-indent",
        "golden/vesilaitos-tulossopimus-2027-2030.json",
        43,
    ),
    (
        "vesilaitos-tulossopimus-2027-2030-typo",
        "golden/vesilaitos-tulossopimus-2027-2030.json",
        39,
    ),
    (
        "vesilaitos-tulossopimus-2027-2030-lo",
        "golden/vesilaitos-tulossopimus-2027-2030.json",
        43,
    ),
    (
        "arkisto-tulossopimus-2026-2029-indent",
        "golden/arkisto-tulossopimus-2026-2029.json",
        28,
    ),
    (
        "arkisto-tulossopimus-2026-2029-typo",
        "golden/arkisto-tulossopimus-2026-2029.json",
        26,
    ),
    (
        "arkisto-tulossopimus-2026-2029-lo",
        "golden/arkisto-tulossopimus-2026-2029.json",
        29,
    ),
    (
        "pitka-tulossopimus-2026-2029-40s",
        "fixtures/layout/pitka-tulossopimus-2026-2029-40s.source.json",
        309,
    ),
];

#[test]
fn layout_pdfs_give_the_goldens_ids_at_least_up_to_their_floor() {
    let mut report = Vec::new();
    let mut below = Vec::new();
    for (name, golden, floor) in FIXTURES {
        let doc = convert(&format!("fixtures/layout/{name}.pdf"));
        let want = expected(golden);
        let mut got = BTreeSet::new();
        ids(
            &serde_json::to_value(&doc.agreements).expect("json"),
            &mut got,
        );
        let found = want.intersection(&got).count();
        report.push(format!("{name}: {found}/{}", want.len()));
        if found < floor {
            below.push(format!("{name}: {found} < floor {floor}"));
        }
        assert_eq!(doc.source.dialect, "pdf-layout");
        // Nothing is lost silently, whatever the tree.
        let c = doc.coverage;
        assert_eq!(
            c.content_lines,
            c.placed_lines + c.furniture_lines + c.warned_lines,
            "{name}"
        );
    }
    assert!(below.is_empty(), "{below:?}\n{}", report.join("\n"));
}

#[test]
fn levels_in_an_indented_pdf_come_from_layout_and_nodes_carry_boxes() {
    let doc = convert("fixtures/layout/vesilaitos-tulossopimus-2027-2030-indent.pdf");
    let golden = expected("golden/vesilaitos-tulossopimus-2027-2030.json");
    let json = serde_json::to_value(&doc.agreements).expect("json");
    let mut got = BTreeSet::new();
    ids(&json, &mut got);
    assert_eq!(got.intersection(&golden).count(), golden.len());
    let text = json.to_string();
    // Every heading row was placed by its indentation, and every node has its box.
    assert!(text.contains("\"level_evidence\":\"layout\""), "{text}");
    assert!(!text.contains("\"level_evidence\":\"sequence\""));
    assert!(!text.contains("\"bbox\":null"));
    let sl = &doc.agreements[0].strategic_lines[0];
    let b = sl.source.bbox.expect("bbox");
    assert!(
        b[0] < b[2] && b[1] < b[3] && b[2] <= 595.3 && b[3] <= 841.9,
        "{b:?}"
    );
}

#[test]
fn running_headers_and_footers_are_furniture() {
    let doc = convert("fixtures/layout/arkisto-tulossopimus-2026-2029-indent.pdf");
    // Four pages, each with a running header and a "Sivu N" footer.
    assert_eq!(doc.source.pages, 4);
    assert_eq!(doc.coverage.furniture_lines, 8);
    let json = serde_json::to_string(&doc.agreements).expect("json");
    assert!(!json.contains("Sivu "), "a page footer reached the tree");
}
