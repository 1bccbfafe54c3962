//! A page drawn turned by 90° (as a scanner-side rotation leaves it) reads as the upright
//! page: the glyph reader takes each line in its own direction.
mod common;

use std::path::Path;

use tulossopimus::{convert_file, Options};

#[test]
fn a_rotated_agreement_gives_the_upright_tree_and_says_so() {
    let convert =
        |p: &str| convert_file(Path::new(p), &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let upright = convert("fixtures/pdf/vayla-tulossopimus-2026-2029.pdf");
    let turned = convert("fixtures/hostile/rotated-text.pdf");
    assert!(!upright.agreements[0].strategic_lines.is_empty());
    assert_eq!(common::tree(&turned), common::tree(&upright));
    assert!(upright.warnings.iter().all(|w| w.code != "rotated_text"));
    // One warning per turned page, each at its first turned line.
    let rotated: Vec<_> = turned
        .warnings
        .iter()
        .filter(|w| w.code == "rotated_text")
        .collect();
    assert!(!rotated.is_empty());
    assert!(rotated.len() as u32 <= turned.source.pages, "{rotated:?}");
    for w in &rotated {
        let page = w.message.split(':').next().expect("page");
        assert_eq!(
            rotated
                .iter()
                .filter(|v| v.message.starts_with(page))
                .count(),
            1
        );
    }
}
