//! Property tests: whatever a text dump holds (generated from the genre's pieces, real
//! agreements mutated, or arbitrary bytes), conversion never panics, every content line
//! is placed, page furniture or named by a warning, the output validates against the
//! published schema, and its JSON reads back as the same document.
//!
//! Case counts are fixed so that `cargo test` stays fast; the fuzz targets in `fuzz/`
//! run the same oracles for as long as one likes.

use std::sync::LazyLock;

use proptest::prelude::*;
use tulossopimus::stages::{blocks, coverage, decode, dialect, lines, structure};
use tulossopimus::{convert_bytes, emit, Document, Options};

static VALIDATOR: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| jsonschema::validator_for(&emit::schema()).expect("schema compiles"));

/// Everything a converted document must satisfy, whatever the input was.
fn check(path: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let doc = match convert_bytes(path, bytes, &Options::default()) {
        Ok(doc) => doc,
        Err(e) => {
            // A refusal names the input and says why.
            prop_assert!(e.to_string().starts_with(&format!("{path}: ")), "{e}");
            return Ok(());
        }
    };
    let c = doc.coverage;
    prop_assert_eq!(
        c.content_lines,
        c.placed_lines + c.furniture_lines + c.warned_lines
    );
    prop_assert!(c.content_lines <= c.lines);
    for w in &doc.warnings {
        prop_assert!(
            w.line.is_none_or(|l| (1..=c.lines).contains(&l)),
            "warning outside the input: {:?}",
            w
        );
    }
    if doc.source.format == tulossopimus::model::SourceFormat::Text {
        warned_lines_are_named(bytes, &doc)?;
    }

    let json = serde_json::to_vec(&doc).expect("serializes");
    let value: serde_json::Value = serde_json::from_slice(&json).expect("reads back as JSON");
    let errors: Vec<String> = VALIDATOR
        .iter_errors(&value)
        .take(3)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    prop_assert!(errors.is_empty(), "schema: {:?}", errors);
    let back: Document = serde_json::from_value(value).expect("reads back as a Document");
    prop_assert!(
        back == doc,
        "the JSON does not read back as the same document"
    );
    Ok(())
}

/// Every line counted as warned has a warning naming it. The stages are run again to
/// learn which lines those are (not placed, or placed but with words missing from the
/// output); their count must be the document's `warned_lines`, so the recount cannot
/// drift from what `convert_bytes` did.
fn warned_lines_are_named(bytes: &[u8], doc: &Document) -> Result<(), TestCaseError> {
    let decoded = decode::decode("p", bytes).expect("decoded once already");
    let lines = dialect::read(&decoded.text);
    let blocks = blocks::build(&lines);
    let built = structure::build(&lines, &blocks.blocks);
    let named: std::collections::HashSet<u32> =
        doc.warnings.iter().filter_map(|w| w.line).collect();
    let reached = coverage::Reached::new(&doc.agreements);
    // Input lines: a `-layout` dump's line can be read into several cells.
    let mut warned = std::collections::BTreeSet::new();
    for (i, line) in lines.lines.iter().enumerate() {
        let lost = !built.placed[i] || !reached.line(line.text());
        if line.kind == lines::LineKind::Text && !blocks.furniture[i] && lost {
            warned.insert(line.number);
            prop_assert!(
                named.contains(&line.number),
                "line {} ({:?}) is counted as warned but no warning names it",
                line.number,
                line.text()
            );
        }
    }
    prop_assert_eq!(warned.len() as u32, doc.coverage.warned_lines);
    Ok(())
}

/// Lines built from the genre's pieces, odd characters and layout residue, so that the
/// generated dumps reach every grammar branch.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_owned()),
        Just("   ".to_owned()),
        Just(" Tavoite 2026 Teksti jatkuu ".to_owned()),
        Just("Tavoite 20".to_owned()),
        Just(" Mittayksikkö ".to_owned()),
        Just("Mittayksikkö: % ".to_owned()),
        Just("Tav 2027 ".to_owned()),
        Just("Tav 2027 Tav 2028 ".to_owned()),
        Just("> 4,0  ≤ 1 200 ".to_owned()),
        Just("Tot 2024 ".to_owned()),
        Just("2024 2025 2026 ".to_owned()),
        Just("3 Tulostavoitteet ".to_owned()),
        Just("Taulukko: Tulostavoitteet ".to_owned()),
        Just("Liite 1: Seurantamittarit ".to_owned()),
        Just("Ministeriön ja viraston välinen tulossopimus 2026–2029 ".to_owned()),
        Just("2 Yhteiskunnallinen vaikuttavuus ".to_owned()),
        Just("• Tavoite (OKM) ".to_owned()),
        Just("13.2.2026 ".to_owned()),
        Just("Ministeriö      Maija Meikäläinen, johtaja ".to_owned()),
        Just("VIHREÄ (3) = hyvä, PUNAINEN (1) = huono ".to_owned()),
        "[ a-zA-ZäöÅ€•–≤0-9.,:()-]{0,40}",
        "\\PC{0,20}",
        " [A-ZÄÖ][a-zäö ]{0,60}-?",
        (
            "(Tavoite|Tav|Tot|Arv|Mittayksikkö|Liite|Taulukko)[ .:]{0,2}",
            "\\PC{0,8}"
        )
            .prop_map(|(label, rest)| format!("{label}{rest}")),
    ]
}

fn dump() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..120).prop_map(|lines| lines.join("\n"))
}

const ARKISTO: &str = include_str!("../fixtures/arkisto-tulossopimus-2026-2029.txt");
const VESILAITOS: &str = include_str!("../fixtures/vesilaitos-tulossopimus-2027-2030.txt");
const KEHA: &str = include_str!("../fixtures/keha-tulossopimus-2026-2029.txt");
/// pdftotext dumps, default and `-layout`, of rendered agreements.
const PDFTOTEXT: [&str; 4] = [
    include_str!("../fixtures/layout/vesilaitos-tulossopimus-2027-2030-lo.pdftotext.txt"),
    include_str!("../fixtures/layout/vesilaitos-tulossopimus-2027-2030-typo.pdftotext.txt"),
    include_str!("../fixtures/layout/arkisto-tulossopimus-2026-2029-indent.pdftotext-layout.txt"),
    include_str!("../fixtures/layout/vesilaitos-tulossopimus-2027-2030-lo.pdftotext-layout.txt"),
];

/// What a page break, a re-typeset table or a careless copy does to a dump. Positions
/// are taken modulo the current number of lines (or of residue kinds).
#[derive(Clone, Debug)]
enum Mutation {
    Drop(usize),
    Duplicate(usize),
    Swap(usize, usize),
    /// Page-break residue (blank lines, form feed, running header/footer, page number)
    /// before a line.
    Residue(usize, usize),
    /// The first year of a line becomes another.
    Year(usize, u16),
    /// The first number of a line becomes another, of any length (past `f64` too).
    Number(usize, String),
}

const RESIDUE: &[&[&str]] = &[
    &["", "", ""],
    &["\u{c}"],
    &["", "Sivu 7 ", ""],
    &["Tulossopimus 2027 ", ""],
    &["", "12", ""],
    &["   ", " "],
    &["", "", "", "", "", ""],
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Drop),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Residue(a, b)),
        (any::<usize>(), 1890u16..2110).prop_map(|(a, y)| Mutation::Year(a, y)),
        (
            any::<usize>(),
            "[0-9]{1,24}|0,[0-9]{1,3}|-?[0-9]{1,3}( [0-9]{3}){1,3}|[0-9]{300,400}"
        )
            .prop_map(|(a, n)| Mutation::Number(a, n)),
    ]
}

/// Replaces the first run of ASCII digits in `line` satisfying `pick` with `by`.
fn replace_digits(line: &str, pick: impl Fn(&str) -> bool, by: &str) -> String {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let end = i + bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            if pick(&line[i..end]) {
                return format!("{}{by}{}", &line[..i], &line[end..]);
            }
            i = end;
        } else {
            i += 1;
        }
    }
    line.to_owned()
}

fn apply(lines: &mut Vec<String>, m: &Mutation) {
    if lines.is_empty() {
        return;
    }
    match m {
        Mutation::Drop(i) => {
            lines.remove(i % lines.len());
        }
        Mutation::Duplicate(i) => {
            let i = i % lines.len();
            lines.insert(i, lines[i].clone());
        }
        Mutation::Swap(a, b) => {
            let (a, b) = (a % lines.len(), b % lines.len());
            lines.swap(a, b);
        }
        Mutation::Residue(i, r) => {
            let i = i % lines.len();
            let residue = RESIDUE[r % RESIDUE.len()];
            lines.splice(i..i, residue.iter().map(|s| s.to_string()));
        }
        Mutation::Year(i, y) => {
            let i = i % lines.len();
            let is_year = |d: &str| d.len() == 4 && (d.starts_with("19") || d.starts_with("20"));
            lines[i] = replace_digits(&lines[i], is_year, &y.to_string());
        }
        Mutation::Number(i, n) => {
            let i = i % lines.len();
            lines[i] = replace_digits(&lines[i], |_| true, n);
        }
    }
}

/// A real agreement (or a 400-line window of the long seed) with up to 12 mutations.
fn mutated_agreement() -> impl Strategy<Value = String> {
    let source = prop_oneof![
        Just(ARKISTO.to_owned()),
        Just(VESILAITOS.to_owned()),
        any::<usize>().prop_map(|at| {
            let lines: Vec<&str> = KEHA.split('\n').collect();
            let start = at % (lines.len() - 400);
            lines[start..start + 400].join("\n")
        }),
    ];
    (source, prop::collection::vec(mutation(), 1..12)).prop_map(|(text, mutations)| {
        let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        for m in &mutations {
            apply(&mut lines, m);
        }
        lines.join("\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_dumps_convert_to_valid_loss_free_documents(text in dump()) {
        check("p.txt", text.as_bytes())?;
    }

    #[test]
    fn arbitrary_bytes_convert_or_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        check("b.bin", &bytes)?;
    }
}

/// A pdftotext dump (default or `-layout`) with up to 12 mutations: the dialect passes
/// that reorder and regroup lines must keep every line accounted for.
fn mutated_pdftotext_dump() -> impl Strategy<Value = String> {
    (0..PDFTOTEXT.len(), prop::collection::vec(mutation(), 1..12)).prop_map(|(k, mutations)| {
        let mut lines: Vec<String> = PDFTOTEXT[k].split('\n').map(str::to_owned).collect();
        for m in &mutations {
            apply(&mut lines, m);
        }
        lines.join("\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn mutated_agreements_convert_to_valid_loss_free_documents(text in mutated_agreement()) {
        check("m.txt", text.as_bytes())?;
    }

    #[test]
    fn mutated_pdftotext_dumps_convert_to_valid_loss_free_documents(text in mutated_pdftotext_dump()) {
        check("t.txt", text.as_bytes())?;
    }
}

/// The mutations do what they say (the property above would pass on untouched input).
#[test]
fn mutations_change_the_input() {
    let mut lines: Vec<String> = ["a", "Tavoite 2026 x 12", "b"].map(str::to_owned).to_vec();
    apply(&mut lines, &Mutation::Year(4, 1999));
    assert_eq!(lines[1], "Tavoite 1999 x 12");
    apply(&mut lines, &Mutation::Number(1, "7".into()));
    assert_eq!(lines[1], "Tavoite 7 x 12");
    apply(&mut lines, &Mutation::Residue(0, 0));
    assert_eq!(lines, ["", "", "", "a", "Tavoite 7 x 12", "b"]);
    apply(&mut lines, &Mutation::Drop(0));
    apply(&mut lines, &Mutation::Duplicate(4));
    apply(&mut lines, &Mutation::Swap(0, 5));
    assert_eq!(lines, ["b", "", "a", "Tavoite 7 x 12", "b", ""]);
}
