//! Property tests: whatever lines a dump holds, conversion never panics, every content
//! line is accounted for, and the output validates against the published schema.

use std::sync::LazyLock;

use proptest::prelude::*;
use tulossopimus::{convert_bytes, emit, Options};

static VALIDATOR: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| jsonschema::validator_for(&emit::schema()).expect("schema compiles"));

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn conversion_never_panics_and_accounts_for_every_line(text in dump()) {
        match convert_bytes("p.txt", text.as_bytes(), &Options::default()) {
            Ok(doc) => {
                let c = doc.coverage;
                prop_assert_eq!(c.content_lines, c.placed_lines + c.furniture_lines + c.warned_lines);
                prop_assert!(c.warned_lines == 0 || doc.warnings.iter().any(|w| w.line.is_some()));
                let json = serde_json::to_value(&doc).expect("serializes");
                prop_assert!(VALIDATOR.is_valid(&json));
            }
            Err(e) => prop_assert!(e.to_string().starts_with("p.txt: ")),
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = convert_bytes("b.bin", &bytes, &Options::default());
    }
}
