//! PDFs rendered from the reviewed goldens in three styles by two producers
//! (`fixtures/layout/`, see MANIFEST.md there): converting them must give the goldens'
//! trees: ids and text equal, provenance aside. Every fixture does, and is held to it, so
//! that a regression in the layout reader shows here by name and place.
mod common;

use std::collections::BTreeSet;
use std::path::Path;

use tulossopimus::{convert_file, Document, Options};

fn convert(pdf: &str) -> Document {
    convert_file(Path::new(pdf), &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// (PDF, expected tree). The `-v2` files are the same agreements in perturbed styles
/// (other margins, sizes, leading, indentation and column widths; see MANIFEST.md).
const FIXTURES: [(&str, &str); 19] = [
    (
        "keha-tulossopimus-2026-2029-indent",
        "golden/keha-tulossopimus-2026-2029.json",
    ),
    (
        "keha-tulossopimus-2026-2029-typo",
        "golden/keha-tulossopimus-2026-2029.json",
    ),
    (
        "keha-tulossopimus-2026-2029-lo",
        "golden/keha-tulossopimus-2026-2029.json",
    ),
    (
        "vesilaitos-tulossopimus-2027-2030-indent",
        "golden/vesilaitos-tulossopimus-2027-2030.json",
    ),
    (
        "vesilaitos-tulossopimus-2027-2030-typo",
        "golden/vesilaitos-tulossopimus-2027-2030.json",
    ),
    (
        "vesilaitos-tulossopimus-2027-2030-lo",
        "golden/vesilaitos-tulossopimus-2027-2030.json",
    ),
    (
        "arkisto-tulossopimus-2026-2029-indent",
        "golden/arkisto-tulossopimus-2026-2029.json",
    ),
    (
        "arkisto-tulossopimus-2026-2029-typo",
        "golden/arkisto-tulossopimus-2026-2029.json",
    ),
    (
        "arkisto-tulossopimus-2026-2029-lo",
        "golden/arkisto-tulossopimus-2026-2029.json",
    ),
    (
        "keha-tulossopimus-2026-2029-indent-v2",
        "golden/keha-tulossopimus-2026-2029.json",
    ),
    (
        "keha-tulossopimus-2026-2029-typo-v2",
        "golden/keha-tulossopimus-2026-2029.json",
    ),
    (
        "keha-tulossopimus-2026-2029-lo-v2",
        "golden/keha-tulossopimus-2026-2029.json",
    ),
    (
        "vesilaitos-tulossopimus-2027-2030-indent-v2",
        "golden/vesilaitos-tulossopimus-2027-2030.json",
    ),
    (
        "vesilaitos-tulossopimus-2027-2030-typo-v2",
        "golden/vesilaitos-tulossopimus-2027-2030.json",
    ),
    (
        "vesilaitos-tulossopimus-2027-2030-lo-v2",
        "golden/vesilaitos-tulossopimus-2027-2030.json",
    ),
    (
        "arkisto-tulossopimus-2026-2029-indent-v2",
        "golden/arkisto-tulossopimus-2026-2029.json",
    ),
    (
        "arkisto-tulossopimus-2026-2029-typo-v2",
        "golden/arkisto-tulossopimus-2026-2029.json",
    ),
    (
        "arkisto-tulossopimus-2026-2029-lo-v2",
        "golden/arkisto-tulossopimus-2026-2029.json",
    ),
    (
        "pitka-tulossopimus-2026-2029-40s",
        "fixtures/layout/pitka-tulossopimus-2026-2029-40s.source.json",
    ),
];

/// The golden's agreements without provenance, as [`common::tree`] gives a document's
/// (the 40-page fixture's tree has none to begin with).
fn golden_tree(golden: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(golden).expect(golden);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut agreements = v["agreements"].clone();
    common::strip_provenance(&mut agreements);
    agreements
}

/// The first place where two trees differ, as a path and both values.
fn first_difference(got: &serde_json::Value, want: &serde_json::Value, at: &str) -> String {
    use serde_json::Value::{Array, Object};
    match (got, want) {
        (Object(g), Object(w)) => {
            for key in w.keys().chain(g.keys()) {
                let (a, b) = (&g.get(key), &w.get(key));
                if a != b {
                    return match (a, b) {
                        (Some(a), Some(b)) => first_difference(a, b, &format!("{at}.{key}")),
                        _ => format!("{at}.{key}: got {a:?}, want {b:?}"),
                    };
                }
            }
            String::new()
        }
        (Array(g), Array(w)) if g.len() == w.len() => g
            .iter()
            .zip(w)
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(n, (a, b))| first_difference(a, b, &format!("{at}[{n}]")))
            .unwrap_or_default(),
        _ => format!("{at}: got {got}, want {want}"),
    }
}

#[test]
fn layout_pdfs_give_the_goldens_trees() {
    let mut report = Vec::new();
    let mut differ = Vec::new();
    for (name, golden) in FIXTURES {
        let doc = convert(&format!("fixtures/layout/{name}.pdf"));
        let want = common::golden_ids(golden);
        let mut got = BTreeSet::new();
        common::ids(
            &serde_json::to_value(&doc.agreements).expect("json"),
            &mut got,
        );
        let found = want.intersection(&got).count();
        report.push(format!("{name}: {found}/{}", want.len()));
        let (tree, golden) = (common::tree(&doc), golden_tree(golden));
        if tree != golden {
            differ.push(format!(
                "{name}: tree differs from the golden's at {}",
                first_difference(&tree, &golden, "agreements")
            ));
        }
        assert_eq!(doc.source.dialect.name(), "pdf-layout");
        // Nothing is lost silently, whatever the tree.
        let c = doc.coverage;
        assert_eq!(
            c.content_lines,
            c.placed_lines + c.furniture_lines + c.warned_lines,
            "{name}"
        );
        // Every line is read: each page's running header and footer are furniture, the
        // rest is placed in the tree.
        assert_eq!(c.furniture_lines, 2 * doc.source.pages, "{name}");
        assert_eq!(c.warned_lines, 0, "{name}: {:?}", doc.warnings);
    }
    assert!(differ.is_empty(), "{differ:?}\n{}", report.join("\n"));
}

#[test]
fn levels_in_an_indented_pdf_come_from_layout_and_nodes_carry_boxes() {
    let doc = convert("fixtures/layout/vesilaitos-tulossopimus-2027-2030-indent.pdf");
    let golden = common::golden_ids("golden/vesilaitos-tulossopimus-2027-2030.json");
    let json = serde_json::to_value(&doc.agreements).expect("json");
    let mut got = BTreeSet::new();
    common::ids(&json, &mut got);
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
