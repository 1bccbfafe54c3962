//! The hand-written content-stream decoder (`src/content.rs`) against lopdf's
//! `Content::decode`, which it replaces: the same operations on every page and form of
//! the fixture PDFs, and on generated streams, well-formed and not.

use std::path::Path;

use pdf_extract::content::Content;
use proptest::prelude::*;

/// Operations as comparable text (lopdf's `Object` has no `Debug` for all variants'
/// contents in a stable form, but `Debug` of the operations is exact).
fn ops(c: Option<Content>) -> Option<String> {
    c.map(|c| format!("{:?}", c.operations))
}

fn same(bytes: &[u8]) -> Result<(), TestCaseError> {
    let ours = ops(tulossopimus::stages::content::decode(bytes));
    let theirs = ops(Content::decode(bytes).ok());
    prop_assert_eq!(ours, theirs, "input: {:?}", String::from_utf8_lossy(bytes));
    Ok(())
}

fn streams(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).expect("fixture directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            streams(&path, out);
            continue;
        }
        // The agreements (the hostile PDFs inflate to much and decode slowly in lopdf).
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.ends_with(".pdf") || !(name.contains("tulossopimus") || name.contains("sivua")) {
            continue;
        }
        let Ok(doc) = pdf_extract::Document::load(&path) else {
            continue;
        };
        for (id, object) in &doc.objects {
            let Ok(stream) = object.as_stream() else {
                continue;
            };
            // Page contents and forms: streams without a subtype or of subtype Form.
            let form = stream
                .dict
                .get(b"Subtype")
                .and_then(|s| s.as_name())
                .map_or(true, |s| s == b"Form");
            if !form || stream.dict.has(b"Length1") {
                continue;
            }
            let bytes = stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone());
            out.push((format!("{} {id:?}", path.display()), bytes));
        }
    }
}

#[test]
fn every_fixture_stream_decodes_to_the_same_operations() {
    let mut all = Vec::new();
    streams(Path::new("fixtures"), &mut all);
    assert!(all.len() >= 100, "only {} streams", all.len());
    let mut operations = 0;
    for (name, bytes) in &all {
        let ours = tulossopimus::stages::content::decode(bytes);
        operations += ours.as_ref().map_or(0, |c| c.operations.len());
        assert_eq!(ops(ours), ops(Content::decode(bytes).ok()), "{name}");
    }
    assert!(operations > 10_000, "{operations} operations");
}

#[test]
fn hand_picked_edges_agree() {
    let cases: &[&[u8]] = &[
        b"",
        b"q Q",
        b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET",
        b"[(a) -120 (b) 1.5 .5 -.5 +3 5.] TJ",
        b"<0041 00 42> Tj <41 4> Tj <> Tj < 4 1 > Tj",
        b"(a(b)c) Tj (a\\(b) Tj (\\101\\7\\777\\400\\0101) Tj (x\\\ny) Tj (\\q) Tj (a\r\nb) Tj",
        b"(unterminated Tj",
        b"(a\\",
        b"/A#20B /A#zz /# /\xff n",
        b"% comment\nq % another\r\nQ",
        b"% comment\n  q",
        b"%no end",
        b"null true false nullx trueX n",
        b"99999999999999999999 Tj q",
        b"1 0 R Do",
        b"[1 0 R 2 % c\n 0 R] d",
        b"/P <</MCID 0 /A [1 2] /B << /C (x) >> >> BDC EMC",
        b"/P <</MCID 0 BDC",
        b"<< /A 1 \x00 >> d",
        b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",
        b"q BIG Q",
        b"1 BI",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] d",
        b"((((((((((((((((((((((((((((((((((((((((x)))))))))))))))))))))))))))))))))))))))) Tj",
        b"1 2\x00 re",
        b"1 2\x0c re f",
        b"q\tQ\rq\nQ",
        b"- Tj",
        b"+ .",
        b"*'\" x",
        b"Tj\xc3\xa4 q",
    ];
    for case in cases {
        same(case).unwrap_or_else(|e| panic!("{e}"));
    }
}

fn token() -> impl Strategy<Value = Vec<u8>> {
    let fixed = prop::sample::select(vec![
        &b"q"[..],
        b"Q",
        b"BT",
        b"ET",
        b"Tj",
        b"TJ",
        b"'",
        b"\"",
        b"T*",
        b"Tf",
        b"Td",
        b"cm",
        b"BDC",
        b"Do",
        b"BI",
        b"ID",
        b"EI",
        b"R",
        b"null",
        b"true",
        b"false",
        b"0",
        b"1",
        b"12",
        b"-3",
        b"+4",
        b"1.5",
        b"1.",
        b".5",
        b"-.5",
        b".",
        b"-",
        b"99999999999999999999",
        b"/F1",
        b"/A#20B",
        b"/A#zz",
        b"/#",
        b"/",
        b"(a)",
        b"(a(b)c)",
        b"(\\101\\777\\n\\q)",
        b"(a\\\r\nb)",
        b"(",
        b")",
        b"\\",
        b"<0041>",
        b"<41 4>",
        b"<>",
        b"<",
        b">",
        b"<<",
        b">>",
        b"<</MCID 0>>",
        b"[",
        b"]",
        b"[(a) -120 (b)]",
        b"[1 0 R]",
        b"% c\n",
        b"%",
        b"\xc3\xa4",
    ]);
    prop_oneof![
        8 => fixed.prop_map(<[u8]>::to_vec),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ]
}

fn separator() -> impl Strategy<Value = &'static [u8]> {
    prop::sample::select(vec![
        &b" "[..],
        b" ",
        b" ",
        b"\n",
        b"\r\n",
        b"\r",
        b"\t",
        b"\0",
        b"\x0c",
        b"",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn token_soups_agree(tokens in prop::collection::vec((token(), separator()), 0..16)) {
        let input: Vec<u8> = tokens.into_iter().flat_map(|(t, s)| [t, s.to_vec()].concat()).collect();
        same(&input)?;
    }

    /// Text operations as producers write them, with an odd token now and then.
    #[test]
    fn text_streams_agree(ops in prop::collection::vec(
        prop_oneof![
            4 => (any::<u16>(), any::<u16>()).prop_map(|(a, b)| format!("<{a:04X}{b:04X}> Tj\n").into_bytes()),
            3 => (-500i32..500, "[a-zA-Z ]{0,8}").prop_map(|(k, t)| format!("[({t}) {k} (x)] TJ\n").into_bytes()),
            2 => (0u32..1000, 0u32..1000).prop_map(|(x, y)| format!("1 0 0 1 {x}.{y} {y} Tm\n").into_bytes()),
            1 => token(),
        ],
        0..24,
    )) {
        let mut input = b"BT\n/F1 11.04 Tf\n".to_vec();
        for op in ops {
            input.extend_from_slice(&op);
        }
        input.extend_from_slice(b"ET\n");
        same(&input)?;
    }
}
