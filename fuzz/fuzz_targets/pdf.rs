//! Arbitrary bytes through the PDF path: lopdf parsing, decryption, pdf-extract's
//! page text, then the text pipeline. Fuzzed in-process (coverage guidance needs it); a
//! panic inside the PDF libraries is contained by `pdf::contained` and comes back as
//! an error, so what remains as a finding is a panic in our code, an abort (stack
//! overflow) or a leak/timeout.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tulossopimus::stages::pdf;
use tulossopimus::{convert_bytes, emit, Options};

fuzz_target!(|data: &[u8]| {
    if !pdf::is_pdf(data) {
        // Headerless bytes still reach lopdf's parser, which is what answers not_pdf.
        let _ = pdf::extract("fuzz.pdf", data, None);
        return;
    }
    if let Ok(doc) = convert_bytes("fuzz.pdf", data, &Options::default()) {
        let c = &doc.coverage;
        assert_eq!(
            c.content_lines,
            c.placed_lines + c.furniture_lines + c.warned_lines,
            "coverage does not add up: {c:?}"
        );
        let mut json = Vec::new();
        emit::write_json(&mut json, &doc, false).expect("writing to a Vec cannot fail");
    }
});
