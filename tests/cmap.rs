//! The hand-written ToUnicode CMap reader (`pdf_extract::cmap`, vendor patch 7) against
//! the parser it replaced, `adobe_cmap_parser::get_unicode_map`: on every CMap of the
//! fixture PDFs and on generated ones, well-formed and not, the same map, or an error
//! where the original returned one or panicked.

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use proptest::prelude::*;

/// The original's outcome: its map, or `None` for an error or a panic (whose message,
/// expected, is not printed). An arithmetic overflow is `Err`: the original wraps in a
/// release build, which the reader follows, and panics in a debug build such as this
/// test's; there the two cannot be compared.
fn reference(input: &[u8]) -> Result<Option<HashMap<u32, Vec<u8>>>, ()> {
    install_quiet_hook();
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        adobe_cmap_parser::get_unicode_map(input)
    }));
    QUIET.with(|q| q.set(false));
    match result {
        Ok(map) => Ok(map.ok()),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("");
            if message.contains("with overflow") {
                Err(())
            } else {
                Ok(None)
            }
        }
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Panics on a thread inside [`reference`] are not printed; all others are.
fn install_quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                default(info);
            }
        }));
    });
}

fn same_outcome(input: &[u8]) -> Result<(), TestCaseError> {
    let ours = pdf_extract::cmap::get_unicode_map(input).ok();
    let Ok(theirs) = reference(input) else {
        return Ok(());
    };
    prop_assert_eq!(ours, theirs, "input: {:?}", String::from_utf8_lossy(input));
    Ok(())
}

/// Every ToUnicode stream of the PDFs under `dir`, decompressed.
fn to_unicode_streams(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).expect("fixture directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            to_unicode_streams(&path, out);
            continue;
        }
        if path.extension().and_then(|e| e.to_str()) != Some("pdf") {
            continue;
        }
        let Ok(doc) = pdf_extract::Document::load(&path) else {
            continue;
        };
        for object in doc.objects.values() {
            let Ok(font) = object.as_dict() else { continue };
            let Ok(id) = font.get(b"ToUnicode").and_then(|o| o.as_reference()) else {
                continue;
            };
            if let Ok(stream) = doc.get_object(id).and_then(|o| o.as_stream()) {
                let bytes = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                out.push((format!("{} {:?}", path.display(), id), bytes));
            }
        }
    }
}

#[test]
fn every_fixture_cmap_decodes_to_the_same_map() {
    let mut streams = Vec::new();
    to_unicode_streams(Path::new("fixtures"), &mut streams);
    // The fixtures' producers: LibreOffice and reportlab (TrueType subsets), several each.
    assert!(
        streams.len() >= 20,
        "only {} ToUnicode streams",
        streams.len()
    );
    let mut mapped = 0;
    for (name, bytes) in &streams {
        let ours = pdf_extract::cmap::get_unicode_map(bytes).ok();
        assert_eq!(Ok(ours.clone()), reference(bytes), "{name}");
        mapped += usize::from(ours.is_some_and(|m| !m.is_empty()));
    }
    assert!(
        mapped * 10 >= streams.len() * 9,
        "{mapped} of {} mapped",
        streams.len()
    );
}

#[test]
fn hand_picked_edges_agree() {
    let cases: &[&[u8]] = &[
        b"",
        b"   ",
        b"% only a comment\n",
        b"beginbfchar <01> <0041> endbfchar",
        b"1 beginbfchar <01> <0041> endbfchar",
        b"2 beginbfchar <01> <0041> endbfchar",
        b"1 beginbfchar <01> (A\\000) endbfchar",
        b"1 beginbfchar <01> (\\101\\102) endbfchar",
        b"1 beginbfchar <01> (\\777) endbfchar",
        b"1 beginbfchar <01> (\\1011) endbfchar",
        b"1 beginbfchar <01> (a(b)c) endbfchar",
        b"1 beginbfchar <01> (a(b) endbfchar",
        b"1 beginbfchar <0 1> < 00 41 > endbfchar",
        b"1 beginbfchar <01> <041> endbfchar",
        b"1 beginbfchar <01><0041>endbfchar",
        b"1 beginbfrange <00> <02> <0041> endbfrange",
        b"1 beginbfrange <00> <02> <D835DC00> endbfrange",
        b"1 beginbfrange <00> <02> <41> endbfrange",
        b"1 beginbfrange <00> <01> [<0041> <0042>] endbfrange",
        b"1 beginbfrange <00> <01> [<0041>] endbfrange",
        b"1 beginbfrange <02> <01> [] endbfrange",
        b"1 beginbfrange <FFFF> <FFFF> <FFFF> endbfrange",
        b"1 beginbfrange <00> <01> 5 endbfrange",
        b"-1 beginbfchar endbfchar",
        b"+1 beginbfchar <01> <0041> endbfchar",
        b"99999999999999999999 beginbfchar <01> <0041> endbfchar",
        b"1.5 beginbfchar <01> <0041> endbfchar",
        b".5 1 beginbfchar <01> <0041> endbfchar",
        b"/A#20B /A#zz 1 beginbfchar <01> <0041> endbfchar",
        b"<< /A 1 /B << /C (x) >> >> 1 beginbfchar <01> <0041> endbfchar",
        b"<< /\xff 1 >> 1 beginbfchar <01> <0041> endbfchar",
        b"<< /\xff 1 1 beginbfchar <01> <0041> endbfchar",
        b"<< /A 1 \x00 >> 1 beginbfchar <01> <0041> endbfchar",
        b"true1 beginbfchar <01> <0041> endbfchar",
        b"1 beginbfchar <01> <0041> endbfchar % end",
        b"1 beginbfchar <01> <0041> endbfchar\n# 1 beginbfchar <02> <0042> endbfchar",
        b"[ [ (x) ] ] 1 beginbfchar <01> <0041> endbfchar",
        b"1 beginbfchar\r\n<01>\t<0041>\r\nendbfchar\x0c",
    ];
    for case in cases {
        same_outcome(case).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// A token the lexer may meet, well-formed or not.
fn token() -> impl Strategy<Value = Vec<u8>> {
    let hex = prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(b"0123456789abcdefABCDEF".to_vec()),
            1 => prop::sample::select(b" \0\x0cgz<".to_vec()),
        ],
        0..10,
    )
    .prop_map(|d| [b"<".to_vec(), d, b">".to_vec()].concat());
    let literal = prop::collection::vec(
        prop::sample::select(vec![
            &b"a"[..],
            b"\\n",
            b"\\101",
            b"\\7",
            b"\\0101",
            b"\\777",
            b"\\",
            b"\\\r\n",
            b"(",
            b")",
            b"\\(",
            b"\r\n",
        ]),
        0..5,
    )
    .prop_map(|parts| [b"(".to_vec(), parts.concat(), b")".to_vec()].concat());
    let fixed = prop::sample::select(vec![
        &b"beginbfchar"[..],
        b"endbfchar",
        b"beginbfrange",
        b"endbfrange",
        b"begincodespacerange",
        b"def",
        b"true",
        b"false",
        b"trueX",
        b"*'\"",
        b"0",
        b"1",
        b"2",
        b"3",
        b"-1",
        b"+2",
        b"99999999999999999999",
        b"1.5",
        b".5",
        b"+.5",
        b"-",
        b".",
        b"/A",
        b"/A#20B",
        b"/A#zz",
        b"/#",
        b"/\xff",
        b"<< /A 1 >>",
        b"<< /\xff 1 >>",
        b"<< /A >>",
        b"<<>>",
        b"<< /A << /B 2 >> >>",
        b"[<0041> <0042>]",
        b"[]",
        b"[",
        b"]",
        b"% comment\n",
        b"%x",
        b"<41",
        b"#",
        b"\xc3\xa4",
    ]);
    let leaf = prop_oneof![
        6 => fixed.prop_map(<[u8]>::to_vec),
        3 => hex,
        2 => literal,
        1 => any::<u8>().prop_map(|b| vec![b]),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop::collection::vec(inner, 0..4)
            .prop_map(|items| [b"[".to_vec(), items.join(&b' '), b"]".to_vec()].concat())
    })
}

fn separator() -> impl Strategy<Value = &'static [u8]> {
    prop::sample::select(vec![
        &b" "[..],
        b" ",
        b" ",
        b"\n",
        b"\r\n",
        b"\t",
        b"\0",
        b"\x0c",
        b"",
    ])
}

/// A CMap-shaped input: bfchar and bfrange sections with counts that may be wrong,
/// entries built from arbitrary tokens most of the time well-formed ones.
fn cmap() -> impl Strategy<Value = Vec<u8>> {
    let entry = prop_oneof![
        4 => (any::<u8>(), any::<u16>()).prop_map(|(c, u)| format!("<{c:02X}> <{u:04X}>").into_bytes()),
        2 => (0u8..250, 0u8..6, any::<u16>()).prop_map(|(lo, n, u)| {
            format!("<{lo:02X}> <{:02X}> <{u:04X}>", lo + n).into_bytes()
        }),
        1 => (0u8..250, 0u8..3).prop_map(|(lo, n)| {
            let codes: Vec<String> = (0..=n).map(|k| format!("<00{:02X}>", 0x41 + k)).collect();
            format!("<{lo:02X}> <{:02X}> [{}]", lo + n, codes.join(" ")).into_bytes()
        }),
        2 => token(),
    ];
    let section = (
        0usize..5,
        prop::bool::ANY,
        prop::collection::vec((entry, separator()), 0..5),
    )
        .prop_map(|(count, range, entries)| {
            let (open, close) = if range {
                ("beginbfrange", "endbfrange")
            } else {
                ("beginbfchar", "endbfchar")
            };
            let mut out = format!("{count} {open}\n").into_bytes();
            for (e, sep) in entries {
                out.extend_from_slice(&e);
                out.extend_from_slice(if sep.is_empty() { b" " } else { sep });
            }
            out.extend_from_slice(close.as_bytes());
            out
        });
    prop::collection::vec((prop_oneof![3 => section, 2 => token()], separator()), 1..6).prop_map(
        |parts| {
            let mut out =
                b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n".to_vec();
            for (p, sep) in parts {
                out.extend_from_slice(&p);
                out.extend_from_slice(sep);
            }
            out.extend_from_slice(b"\nendcmap\n");
            out
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn token_soups_agree(tokens in prop::collection::vec((token(), separator()), 0..12)) {
            let input: Vec<u8> = tokens.into_iter().flat_map(|(t, s)| [t, s.to_vec()].concat()).collect();
        same_outcome(&input)?;
    }

    #[test]
    fn cmaps_agree(input in cmap()) {
            same_outcome(&input)?;
    }
}
