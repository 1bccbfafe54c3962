//! Bad and unusual inputs: each converts to the same agreements as the clean seed, or
//! fails with an error that names the file and the cause. None may panic.

use tulossopimus::{convert_bytes, Document, Error, ErrorKind, Options};

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
        assert_eq!(doc.source.encoding.name(), encoding, "{name}");
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
    assert_eq!(doc.source.encoding.name(), "windows-1252");
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
    assert_eq!(doc.source.encoding.name(), "utf-8");
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

/// A company's financial statements: a title, numbered chapters, tables of years and
/// amounts, a signing place and date. Invented for the test.
const FINANCIAL_STATEMENTS: &str = r#"Esimerkki Oy 
Y-tunnus 1234567-8 
 
TILINPÄÄTÖS 1.1.–31.12.2025 
 
 
1 Toimintakertomus 
 
Yhtiön liikevaihto kasvoi tilikaudella 12 prosenttia. Tilikauden tulos oli 
voitollinen. Yhtiön tavoitteena on kasvaa kannattavasti myös vuonna 2026. 
 
Keskeiset tunnusluvut 
 
 2025 2024 2023 
Liikevaihto, 1000 € 12 345 11 020 9 870 
Liikevoitto, % 8,4 7,9 6,1 
Omavaraisuusaste, % 45,2 41,0 38,7 
Henkilöstö keskimäärin 84 79 71 
 
2 Tuloslaskelma 
 
 1.1.–31.12.2025 1.1.–31.12.2024 
LIIKEVAIHTO 12 345 678,90 11 020 456,12 
Materiaalit ja palvelut -6 543 210,00 -5 987 654,00 
Henkilöstökulut -3 210 987,65 -2 998 765,43 
Poistot ja arvonalentumiset -456 789,00 -432 100,00 
Liiketoiminnan muut kulut -1 098 765,00 -1 002 345,00 
LIIKEVOITTO 1 035 926,25 599 591,69 
Rahoitustuotot ja -kulut -23 456,00 -31 234,00 
VOITTO ENNEN TILINPÄÄTÖSSIIRTOJA JA VEROJA 1 012 470,25 568 357,69 
Tuloverot -202 494,05 -113 671,54 
TILIKAUDEN VOITTO 809 976,20 454 686,15 
 
3 Tase 
 
VASTAAVAA 
Pysyvät vastaavat 
Aineettomat hyödykkeet 123 456,00 98 765,00 
Aineelliset hyödykkeet 2 345 678,00 2 123 456,00 
Vaihtuvat vastaavat 
Vaihto-omaisuus 1 234 567,00 1 098 765,00 
Saamiset 2 345 678,00 2 109 876,00 
Rahat ja pankkisaamiset 987 654,00 765 432,00 
VASTAAVAA YHTEENSÄ 7 037 033,00 6 196 294,00 
 
4 Hallituksen esitys voitonjaosta 
 
Hallitus esittää, että tilikauden voitto 809 976,20 euroa siirretään 
edellisten tilikausien voittovaroihin eikä osinkoa jaeta. 
 
Helsingissä 15. päivänä maaliskuuta 2026 
 
Matti Meikäläinen Maija Meikäläinen 
hallituksen puheenjohtaja toimitusjohtaja 
"#;

/// A government bill that talks about performance agreements, with numbered chapters
/// and a row of years. Invented for the test.
const BILL: &str = r#"HALLITUKSEN ESITYS EDUSKUNNALLE LAIKSI VALTION TALOUSARVIOSTA ANNETUN LAIN MUUTTAMISESTA 
 
ESITYKSEN PÄÄASIALLINEN SISÄLTÖ 
 
Esityksessä ehdotetaan muutettavaksi valtion talousarviosta annettua lakia. 
Ehdotetun lain mukaan ministeriön ja viraston välisessä tulossopimuksessa 
sovittaisiin viraston tulostavoitteista vuosittain. 
 
Laki on tarkoitettu tulemaan voimaan 1.1.2027. 
 
 
PERUSTELUT 
 
1 Asian tausta ja valmistelu 
 
Esitys on valmisteltu valtiovarainministeriössä virkatyönä. 
 
2 Nykytila ja sen arviointi 
 
Tulosohjauksesta säädetään talousarviolaissa. Vuonna 2025 tulossopimuksia 
tehtiin 60 virastolle. 
 
2025 2026 2027 
Tulossopimuksia 60 62 64 
 
3 Tavoitteet 
 
Esityksen tavoitteena on selkeyttää tulosohjausta. 
 
4 Ehdotukset ja niiden vaikutukset 
 
4.1 Keskeiset ehdotukset 
 
Ehdotetaan, että tulossopimus tehdään neljäksi vuodeksi. 
 
4.2 Taloudelliset vaikutukset 
 
Esityksellä ei ole merkittäviä taloudellisia vaikutuksia. 
 
5 Voimaantulo 
 
Laki ehdotetaan tulemaan voimaan 1 päivänä tammikuuta 2027. 
 
Helsingissä 2.10.2026 
 
Pääministeri Etunimi Sukunimi 
 
Valtiovarainministeri Etunimi Sukunimi 
"#;

#[test]
fn documents_that_are_not_agreements_are_refused() {
    // Issue 17: such files converted with exit 0 (one strategic line with nothing under
    // it, null title, ministry and agency). Headings and chapters are no evidence of an
    // agreement; a target, an indicator or a cover with the title and parties is.
    for (name, text) in [
        ("tilinpaatos.txt", FINANCIAL_STATEMENTS),
        ("esitys.txt", BILL),
    ] {
        let err = convert_bytes(name, text.as_bytes(), &Options::default()).expect_err(name);
        assert_eq!(err.code(), "not_an_agreement", "{name}: {err}");
        assert!(
            err.to_string().contains("no target (Tavoite YYYY)"),
            "{err}"
        );
    }
    // The least that is still an agreement: one target under a heading row, or a cover.
    let table = "Strateginen linja \n\n Tavoite 2026 Palvelut toimivat. \n";
    let doc = convert(table.as_bytes()).expect("a results table without a cover");
    assert_eq!(doc.agreements[0].strategic_lines.len(), 1);
    let cover = "Opetus- ja kulttuuriministeriön ja Esimerkkiviraston tulossopimus 2026–2029 \n\n\
                 Opetus- ja kulttuuriministeriö \n\nja \n\nEsimerkkivirasto \n";
    let doc = convert(cover.as_bytes()).expect("a cover without a table");
    assert!(doc.agreements[0].title.is_some() && doc.agreements[0].agency.is_some());
    // A title alone, with a paragraph after it read as the agency, is not enough.
    let title = "Tulossopimus 2026–2029 \n\nSopimus valmistellaan syksyllä. \n";
    let err = convert(title.as_bytes()).expect_err("a title alone");
    assert_eq!(err.code(), "not_an_agreement");
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
            matches!(
                e.kind(),
                ErrorKind::Empty | ErrorKind::NotAnAgreement { .. }
            ),
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
