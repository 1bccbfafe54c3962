//! Bad and unusual inputs: each converts to the same agreements as the clean seed, or
//! fails with an error that names the file and the cause. None may panic.

use tulossopimus::{convert_bytes, Document, Error, Options};

const SEED: &str = include_str!("../fixtures/keha-tulossopimus-2026-2029.txt");

fn convert(bytes: &[u8]) -> Result<Document, Error> {
    convert_bytes("in.txt", bytes, &Options::default())
}

fn agreements(doc: &Document) -> serde_json::Value {
    serde_json::to_value(&doc.agreements).expect("serializes")
}

#[test]
fn encodings_and_line_endings_give_the_same_tree() {
    let clean = convert(SEED.as_bytes()).expect("seed");
    let expected = agreements(&clean);

    let bom = [b"\xEF\xBB\xBF".as_slice(), SEED.as_bytes()].concat();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(SEED.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let crlf = SEED.replace('\n', "\r\n");
    let cr = SEED.replace('\n', "\r");
    let nfd: String = unicode_normalization::UnicodeNormalization::nfd(SEED).collect();
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("bom", bom, "utf-8-bom"),
        ("utf16", utf16, "utf-16le"),
        ("crlf", crlf.into_bytes(), "utf-8"),
        ("cr", cr.into_bytes(), "utf-8"),
        ("nfd", nfd.into_bytes(), "utf-8"),
    ];
    for (name, bytes, encoding) in cases {
        let doc = convert(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.source.encoding, encoding, "{name}");
        assert_eq!(agreements(&doc), expected, "{name}: tree differs");
        assert_eq!(doc.coverage, clean.coverage, "{name}");
    }
}

#[test]
fn windows_1252_part_of_the_seed() {
    // The seed holds "≤", which Windows-1252 lacks; take the first agreement only.
    let cut = SEED
        .find("Työ- ja elinkeinoministeriö \nja")
        .expect("second cover");
    let part = &SEED[..cut];
    let utf8 = convert(part.as_bytes()).expect("utf-8 part");
    let bytes: Vec<u8> = part
        .chars()
        .map(|c| match c {
            '–' => 0x96,
            '”' => 0x94,
            '•' => 0x95,
            c => u8::try_from(c as u32).expect("Latin-1"),
        })
        .collect();
    let doc = convert(&bytes).expect("converts");
    assert_eq!(doc.source.encoding, "windows-1252");
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.code == "decoded_windows_1252"));
    assert_eq!(agreements(&doc), agreements(&utf8));
}

#[test]
fn one_bad_byte_in_the_seed_changes_only_its_line() {
    // Issue 17: one invalid byte used to turn the whole seed into Windows-1252 (every ä
    // and ö mojibake, 25 of 235 ids kept). Now the file stays UTF-8: the byte becomes
    // U+FFFD in its line's text, and one warning names the line.
    let clean = convert(SEED.as_bytes()).expect("seed");
    let words = "hallintopalvelujen seurantaa ja yhteensovittamista";
    let at = SEED.find(words).expect("words") + "hallintopalvelujen seur".len();
    let number = SEED[..at].matches('\n').count() as u32 + 1;
    assert_eq!(number, 335, "the damaged line, in a target's text");
    let bytes = [&SEED.as_bytes()[..at], b"\xFF", &SEED.as_bytes()[at..]].concat();
    let doc = convert(&bytes).expect("converts");
    assert_eq!(doc.source.encoding, "utf-8");
    assert_eq!(doc.coverage, clean.coverage);

    // Every id the same, in the same places.
    fn ids(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    match v {
                        serde_json::Value::String(s) if k == "id" => out.push(s.clone()),
                        v => ids(v, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| ids(v, out)),
            _ => {}
        }
    }
    let (mut before, mut after) = (Vec::new(), Vec::new());
    ids(&agreements(&clean), &mut before);
    ids(&agreements(&doc), &mut after);
    assert_eq!(before.len(), 235);
    assert_eq!(after, before);

    // The trees differ only by the damaged word, once.
    let expected = agreements(&clean).to_string();
    assert_eq!(expected.matches(words).count(), 1);
    let damaged = words.replace("seurantaa", "seur\u{FFFD}antaa");
    assert_eq!(
        agreements(&doc).to_string(),
        expected.replace(words, &damaged)
    );

    // The same warnings, and one more naming the line.
    let mut added: Vec<_> = doc.warnings.clone();
    for w in &clean.warnings {
        let i = added
            .iter()
            .position(|x| x == w)
            .expect("a warning of the seed kept");
        added.remove(i);
    }
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0].code, "invalid_utf8");
    assert_eq!(added[0].line, Some(number));
    assert!(
        added[0]
            .message
            .starts_with(&format!("line {number}: 1 invalid")),
        "{}",
        added[0].message
    );
}

#[test]
fn bad_inputs_fail_with_named_errors() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "empty"),
        ("blank", b" \n\n \r\n".to_vec(), "empty"),
        ("binary", (0u8..=255).cycle().take(4096).collect(), "binary"),
        ("pdf", b"%PDF-1.7\n1 0 obj".to_vec(), "pdf_damaged"),
        (
            "pdf header",
            b"%PDF-1.4\nthis is no PDF".to_vec(),
            "not_pdf",
        ),
        (
            "prose",
            "Tämä on tavallinen kirje.\n\nSiinä ei ole tulossopimusta eikä taulukkoa.\n".into(),
            "not_an_agreement",
        ),
        ("odd utf16", b"\xFF\xFEa\x00b".to_vec(), "invalid_utf16"),
    ];
    for (name, bytes, code) in cases {
        let err = convert_bytes(name, &bytes, &Options::default()).expect_err(name);
        assert_eq!(err.code(), code, "{name}: {err}");
        assert!(err.to_string().starts_with(&format!("{name}: ")), "{err}");
        assert_eq!(err.path(), name);
    }
}

#[test]
fn truncated_and_shuffled_seed_never_panics_and_accounts_for_every_line() {
    // Every prefix cut at a line boundary, and every block order reversed, must convert
    // or fail cleanly, and a converted document accounts for all its lines.
    let lines: Vec<&str> = SEED.split('\n').collect();
    for cut in (0..lines.len()).step_by(37) {
        let text = lines[..cut].join("\n");
        check(&text);
        let reversed: Vec<&str> = lines[cut..].iter().rev().copied().collect();
        check(&reversed.join("\n"));
    }
}

fn check(text: &str) {
    match convert(text.as_bytes()) {
        Ok(doc) => {
            let c = doc.coverage;
            assert_eq!(
                c.content_lines,
                c.placed_lines + c.furniture_lines + c.warned_lines
            );
            assert!(c.warned_lines == 0 || doc.warnings.iter().any(|w| w.line.is_some()));
        }
        Err(e) => assert!(
            matches!(e, Error::Empty { .. } | Error::NotAnAgreement { .. }),
            "{e}"
        ),
    }
}

/// Chapters 1-3, then a results table whose second strategic line is numbered "1." and
/// chapter 4 (`undotted`: the row numbered "1" like the chapters).
fn numbered_row_after_chapters(undotted: bool) -> String {
    let row = if undotted {
        "1 Toinen linja"
    } else {
        "1. Toinen linja"
    };
    [
        "1 Strategiset linjaukset",
        "Viraston teksti on tässä.",
        "2 Johdon katsaus",
        "Toinen teksti on tässä.",
        "3 Tulostavoitteet",
        "Osaava henkilöstö",
        "Tavoite 2026 Virasto on tehnyt asian.",
        row,
        "Tavoite 2027 Virasto on tehnyt toisen asian.",
        "4 Voimassaolo",
        "Sopimus on voimassa.",
    ]
    .join("\n\n")
}

#[test]
fn numbering_starts_again_as_a_new_agreement_only_when_written_like_the_chapters() {
    // "1." after chapters written "1", "2", "3": a numbered row, not a new agreement.
    let doc = convert(numbered_row_after_chapters(false).as_bytes()).expect("converts");
    assert_eq!(doc.agreements.len(), 1);
    // Written like the chapters, the same number starts the next agreement.
    let doc = convert(numbered_row_after_chapters(true).as_bytes()).expect("converts");
    assert_eq!(doc.agreements.len(), 2);
}
