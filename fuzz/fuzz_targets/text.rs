//! Arbitrary bytes through the text-dump path: decode → lines → blocks → structure →
//! normalize → emit. A panic, an abort or a broken invariant (coverage sum, JSON
//! round trip) is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tulossopimus::stages::pdf;
use tulossopimus::{convert_bytes, emit, Options};

fuzz_target!(|data: &[u8]| {
    let bytes = text_only(data);
    let Ok(doc) = convert_bytes("fuzz.txt", &bytes, &Options::default()) else {
        // Refusals (empty, binary, not an agreement) are answers, not findings.
        return;
    };
    let c = &doc.coverage;
    assert_eq!(
        c.content_lines,
        c.placed_lines + c.furniture_lines + c.warned_lines,
        "coverage does not add up: {c:?}"
    );
    let mut json = Vec::new();
    emit::write_json(&mut json, &doc, false).expect("writing to a Vec cannot fail");
    // The JSON reads back (serde_json refuses nesting past 128) as the same document
    // (no value JSON cannot hold, such as an infinite number).
    let back: tulossopimus::Document =
        serde_json::from_slice(&json).expect("emitted JSON reads back");
    assert!(
        back == doc,
        "the JSON does not read back as the same document"
    );
    let _ = emit::outline(&doc);
});

/// The bytes with every `%PDF-` inside the header window defused, so that the fuzzer's
/// inputs never divert to the PDF path (which has a target of its own).
fn text_only(data: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !pdf::is_pdf(data) {
        return data.into();
    }
    let mut bytes = data.to_vec();
    let window = bytes.len().min(pdf::HEADER_WINDOW);
    for i in 0..window.saturating_sub(4) {
        if &bytes[i..i + 5] == b"%PDF-" {
            bytes[i] = b'#';
        }
    }
    debug_assert!(!pdf::is_pdf(&bytes));
    bytes.into()
}
