//! Stage 1: bytes -> decoded text.
//!
//! Detects the encoding (BOMs, UTF-16 without BOM, UTF-8 (with a few invalid bytes
//! replaced and warned by line), else Windows-1252, which is what Finnish text saved
//! on Windows usually is: the rule is at `utf8_or_1252`), refuses binary data, unifies line
//! endings and normalizes to NFC so that every later stage sees one form. PDFs are
//! recognized before this stage (`convert_bytes`, [`crate::pdf`]) and read glyph by
//! glyph into lines; [`extracted`], which brought a PDF's extracted text to this form
//! when PDFs were read as text, is used by its tests only.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use crate::warning::{Note, WarningCode};
use crate::{Error, ErrorKind};

pub use crate::model::Encoding;

/// Text decoded from an input, with what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    /// NFC text with `\n` line endings (form feeds kept: they mark pages); borrowed from
    /// the input when it is already in that form (UTF-8, NFC, no carriage returns).
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
    /// Notes for the output's warnings.
    pub notes: Vec<Note>,
}

/// Decodes `bytes`; `path` only names the input in errors.
pub fn decode<'a>(path: &str, bytes: &'a [u8]) -> Result<Decoded<'a>, Error> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::new(path, ErrorKind::Empty));
    }
    let mut notes = Vec::new();
    let (raw, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (utf8_or_1252(rest, &mut notes).0, Encoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (utf16(path, rest, true)?.into(), Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (utf16(path, rest, false)?.into(), Encoding::Utf16Be)
    } else if let Some(le) = utf16_without_bom(bytes) {
        let text = utf16(path, bytes, le)?;
        notes.push(Note::new(
            WarningCode::Utf16WithoutBom,
            "no byte order mark; decoded as UTF-16 from the pattern of zero bytes".into(),
            None,
        ));
        (
            text.into(),
            if le {
                Encoding::Utf16Le
            } else {
                Encoding::Utf16Be
            },
        )
    } else {
        let (text, windows_1252) = utf8_or_1252(bytes, &mut notes);
        let enc = if windows_1252 {
            Encoding::Windows1252
        } else {
            Encoding::Utf8
        };
        (text, enc)
    };
    check_text(path, &raw, &mut notes)?;
    let text = unify_newlines(raw);
    let text = if is_nfc(&text) {
        text
    } else {
        Cow::Owned(text.nfc().collect())
    };
    if text.trim().is_empty() {
        return Err(Error::new(path, ErrorKind::Empty));
    }
    Ok(Decoded {
        text,
        encoding,
        notes,
    })
}

/// Brings text extracted from a PDF to the decoded form: control characters other than
/// line feed and tab (NULs and controls from glyphs without a Unicode mapping; a form
/// feed would also pass for a pdftotext page break) are removed with a note, and the
/// text is normalized to NFC.
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "PDFs are no longer read as text; its tests use it"
    )
)]
pub fn extracted(text: String) -> Decoded<'static> {
    let mut notes = Vec::new();
    let stray = |c: char| c.is_control() && c != '\n' && c != '\t';
    let text = match text.find(stray) {
        None => text,
        Some(first) => {
            let line = text[..first].matches('\n').count() as u32 + 1;
            let removed = text.chars().filter(|&c| stray(c)).count();
            notes.push(Note::new(
                WarningCode::ControlCharacters,
                format!(
                    "{removed} control character(s) removed from the PDF's text (glyphs without a Unicode mapping)"
                ),
                Some(line),
            ));
            text.chars().filter(|&c| !stray(c)).collect()
        }
    };
    let text = if is_nfc(&text) {
        text
    } else {
        text.nfc().collect()
    };
    Decoded {
        text: text.into(),
        encoding: Encoding::Pdf,
        notes,
    }
}

/// UTF-8, or Windows-1252 when the bytes are not plausibly UTF-8 at all.
///
/// The rule: invalid UTF-8 stays UTF-8 when its valid multi-byte characters number at
/// least [`UTF8_PER_INVALID`] times its invalid sequences (each maximal invalid
/// sequence, as `String::from_utf8_lossy` counts them); the invalid sequences are then
/// replaced by U+FFFD, with an `invalid_utf8` note for each line that holds one. Text
/// written in Windows-1252 has next to no valid multi-byte sequences (a lead byte
/// such as `Ä` followed by a continuation byte such as `–` is rare), while a UTF-8 file
/// with a few damaged bytes has dozens of valid ones for each damaged one (Finnish
/// text writes an ä or ö every 30 characters or so). Otherwise, and always when there
/// is no valid multi-byte character, the whole input is Windows-1252 with one
/// `decoded_windows_1252` note. The second value tells whether it was.
fn utf8_or_1252<'a>(bytes: &'a [u8], notes: &mut Vec<Note>) -> (Cow<'a, str>, bool) {
    // SIMD validation first: the standard library's goes byte by byte in any word that
    // holds a non-ASCII byte, which in Finnish is every few words (5% of a seed
    // conversion). Only invalid input needs the standard one's error position.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return (Cow::Borrowed(s), false);
    }
    let e = match std::str::from_utf8(bytes) {
        Ok(s) => return (Cow::Borrowed(s), false),
        Err(e) => e,
    };
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if valid > 0 && valid >= UTF8_PER_INVALID * invalid {
        return (Cow::Owned(utf8_lossy(bytes, notes)), false);
    }
    let at = e.valid_up_to();
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    notes.push(Note::new(
        WarningCode::DecodedWindows1252,
        format!(
            "not valid UTF-8 (byte 0x{:02X} at offset {at}); decoded as Windows-1252",
            bytes[at]
        ),
        Some(line),
    ));
    (
        Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
        true,
    )
}

/// Valid multi-byte UTF-8 characters needed per invalid sequence for invalid input to
/// be read as damaged UTF-8 rather than as Windows-1252 (see `utf8_or_1252`).
pub const UTF8_PER_INVALID: usize = 4;

/// UTF-8 with each invalid sequence replaced by U+FFFD, and a note for each line that
/// held one (lines counted as the split after [`unify_newlines`] counts them: a line
/// feed, a carriage return and line feed, or a lone carriage return ends a line).
fn utf8_lossy(bytes: &[u8], notes: &mut Vec<Note>) -> String {
    let mut out = String::with_capacity(bytes.len() + 16);
    let mut line = 1u32;
    // The line being noted: its number, its invalid sequences, their bytes.
    let mut pending: Option<(u32, usize, Vec<u8>)> = None;
    let flush = |pending: &mut Option<(u32, usize, Vec<u8>)>, notes: &mut Vec<Note>| {
        if let Some((line, count, seen)) = pending.take() {
            let mut shown: Vec<String> =
                seen.iter().take(8).map(|b| format!("0x{b:02X}")).collect();
            if seen.len() > 8 {
                shown.push("…".into());
            }
            notes.push(Note::new(
                WarningCode::InvalidUtf8,
                format!(
                    "line {line}: {count} invalid UTF-8 sequence(s) ({}) replaced by U+FFFD",
                    shown.join(" ")
                ),
                Some(line),
            ));
        }
    };
    for chunk in bytes.utf8_chunks() {
        let text = chunk.valid();
        out.push_str(text);
        let b = text.as_bytes();
        line += b
            .iter()
            .enumerate()
            .filter(|&(i, &c)| c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')))
            .count() as u32;
        let bad = chunk.invalid();
        if bad.is_empty() {
            continue;
        }
        out.push(char::REPLACEMENT_CHARACTER);
        match &mut pending {
            Some((at, count, seen)) if *at == line => {
                *count += 1;
                seen.extend_from_slice(bad);
            }
            _ => {
                flush(&mut pending, notes);
                pending = Some((line, 1, bad.to_vec()));
            }
        }
    }
    flush(&mut pending, notes);
    out
}

/// Windows-1252 differs from Latin-1 only in 0x80..=0x9F.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Recognizes UTF-16 text without a BOM: mostly-ASCII text has a zero in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_zero = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_zero * 10 >= pairs * 7 && even_zero * 10 <= pairs {
        Some(true)
    } else if even_zero * 10 >= pairs * 7 && odd_zero * 10 <= pairs {
        Some(false)
    } else {
        None
    }
}

fn utf16(path: &str, bytes: &[u8], little_endian: bool) -> Result<String, Error> {
    if bytes.len() % 2 != 0 {
        return Err(Error::new(
            path,
            ErrorKind::InvalidUtf16 {
                detail: format!("odd number of bytes ({})", bytes.len() + 2),
            },
        ));
    }
    let units = bytes.chunks_exact(2).map(|c| {
        if little_endian {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units)
        .enumerate()
        .map(|(i, r)| {
            r.map_err(|e| {
                Error::new(
                    path,
                    ErrorKind::InvalidUtf16 {
                        detail: format!(
                            "unpaired surrogate 0x{:04X} at code unit {i}",
                            e.unpaired_surrogate()
                        ),
                    },
                )
            })
        })
        .collect()
}

/// NFC quick check over the characters that can matter: everything below U+0300 is
/// NFC and a starter, so only the rest is checked (a "maybe" means normalize).
fn is_nfc(text: &str) -> bool {
    // U+0300 and above start with a byte >= 0xCC, which is never a continuation byte.
    // Chunks whose largest byte is below that (a vectorized max) are skipped whole.
    let bytes = text.as_bytes();
    let high = bytes
        .chunks(64)
        .enumerate()
        .filter(|(_, chunk)| chunk.iter().fold(0u8, |m, &b| m.max(b)) >= 0xCC)
        .flat_map(|(n, chunk)| {
            chunk
                .iter()
                .enumerate()
                .filter(|(_, &b)| b >= 0xCC)
                .filter_map(move |(k, _)| text[n * 64 + k..].chars().next())
        });
    unicode_normalization::is_nfc_quick(high) == unicode_normalization::IsNormalized::Yes
}

/// Refuses binary data; strips a few stray NULs with a note.
fn check_text(path: &str, text: &str, notes: &mut Vec<Note>) -> Result<(), Error> {
    // Simple counting passes over the bytes (they vectorize): C0 controls are single
    // bytes, C1 controls the two bytes 0xC2 0x80..=0x9F, characters the non-continuation
    // bytes.
    let bytes = text.as_bytes();
    // Fast path, one pass that vectorizes: no C0 control but line breaks, tabs and form
    // feeds, no DEL, no 0xC2 (which starts the C1 controls): nothing to count.
    let suspect = |b: u8| {
        (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)) | (b == 0x7F) | (b == 0xC2)
    };
    if !bytes
        .chunks(64)
        .any(|c| c.iter().fold(false, |any, &b| any | suspect(b)))
    {
        return Ok(());
    }
    let total = bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
    let nul = bytes.iter().filter(|&&b| b == 0).count();
    let low = bytes.iter().filter(|&&b| b < 0x20 || b == 0x7F).count();
    let allowed = bytes
        .iter()
        .filter(|&&b| matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    let c1 = if bytes.contains(&0xC2) {
        bytes
            .windows(2)
            .filter(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]))
            .count()
    } else {
        0
    };
    let control = low - allowed - nul + c1;
    let total = total.max(1);
    if nul * 100 > total || control * 20 > total {
        return Err(Error::new(
            path,
            ErrorKind::Binary {
                detail: format!("{nul} NUL and {control} other control characters in {total}"),
            },
        ));
    }
    if nul > 0 {
        let line = text[..text.find('\0').unwrap_or(0)].matches('\n').count() as u32 + 1;
        notes.push(Note::new(
            WarningCode::NulBytes,
            format!("{nul} NUL character(s) removed"),
            Some(line),
        ));
    }
    Ok(())
}

/// CRLF and lone CR become LF; NULs go (counted in `check_text`).
fn unify_newlines(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.as_bytes().contains(&b'\r') && !text.as_bytes().contains(&0) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\0' => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(bytes: &[u8]) -> Decoded<'_> {
        decode("t.txt", bytes).expect("decodes")
    }

    #[test]
    fn utf8_plain_and_with_bom() {
        assert_eq!(ok("Tavoite 2026 ä".as_bytes()).encoding, Encoding::Utf8);
        let d = ok(b"\xEF\xBB\xBFTavoite");
        assert_eq!(d.encoding, Encoding::Utf8Bom);
        assert_eq!(d.text, "Tavoite");
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252_with_a_note() {
        let d = ok(b"ok\nTy\xF6llisyys \x96 \x80");
        assert_eq!(d.encoding, Encoding::Windows1252);
        assert_eq!(d.text, "ok\nTyöllisyys – €");
        assert_eq!(d.notes[0].code, "decoded_windows_1252");
        assert_eq!(d.notes[0].line, Some(2));
    }

    #[test]
    fn a_few_invalid_bytes_in_utf8_are_replaced_and_noted_by_line() {
        // Line 2 holds two invalid sequences (one lone byte, one truncated character),
        // line 4 (after a lone carriage return) one; the rest is valid UTF-8.
        let bytes = b"Ty\xC3\xB6 \xC3\xA4\xC3\xA4\xC3\xB6 \xC3\xA4\xC3\xA4\xC3\xA4\r\nseur\xFFantaa \xE2\x82 v\xC3\xA4h\n\xC3\xA5\r\xC3\x96l\xF6y \xC3\xA4\xC3\xA4ni";
        let d = ok(bytes);
        assert_eq!(d.encoding, Encoding::Utf8);
        assert_eq!(
            d.text,
            "Työ ääö äää\nseur\u{FFFD}antaa \u{FFFD} väh\nå\nÖl\u{FFFD}y ääni"
        );
        let lines: Vec<_> = d.notes.iter().map(|n| (n.code.as_str(), n.line)).collect();
        assert_eq!(
            lines,
            [("invalid_utf8", Some(2)), ("invalid_utf8", Some(4))]
        );
        assert_eq!(
            d.notes[0].message,
            "line 2: 2 invalid UTF-8 sequence(s) (0xFF 0xE2 0x82) replaced by U+FFFD"
        );
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), bytes].concat();
        let d = ok(&with_bom);
        assert_eq!((d.encoding, d.notes.len()), (Encoding::Utf8Bom, 2));
    }

    #[test]
    fn the_rule_between_damaged_utf8_and_windows_1252() {
        // 4 valid multi-byte characters per invalid sequence: UTF-8; fewer: Windows-1252.
        let utf8 = ok(b"\xC3\xA4\xC3\xA4\xC3\xA4\xC3\xA4 \xE4");
        assert_eq!(utf8.encoding, Encoding::Utf8);
        assert_eq!(utf8.text, "ääää \u{FFFD}");
        let cp = ok(b"\xC3\xA4\xC3\xA4\xC3\xA4 \xE4");
        assert_eq!(cp.encoding, Encoding::Windows1252);
        assert_eq!(cp.text, "Ã¤Ã¤Ã¤ ä");
        // One high byte in ASCII text: Windows-1252, not damaged UTF-8.
        assert_eq!(ok(b"caf\xE9").encoding, Encoding::Windows1252);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "Mittayksikkö\r\npv";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let with_bom = [b"\xFF\xFE".as_slice(), &le].concat();
        assert_eq!(ok(&with_bom).text, "Mittayksikkö\npv");
        assert_eq!(ok(&with_bom).encoding, Encoding::Utf16Le);
        let with_bom = [b"\xFE\xFF".as_slice(), &be].concat();
        assert_eq!(ok(&with_bom).encoding, Encoding::Utf16Be);
        let d = ok(&le);
        assert_eq!(
            (d.encoding, d.text.as_ref()),
            (Encoding::Utf16Le, "Mittayksikkö\npv")
        );
    }

    #[test]
    fn odd_utf16_is_an_error() {
        let err = decode("x.txt", b"\xFF\xFEa\x00b").unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidUtf16 { .. }),
            "{err}"
        );
        assert!(err.to_string().starts_with("x.txt: "));
    }

    #[test]
    fn line_endings_unified_and_nfd_composed() {
        let d = ok("a\r\nb\rc\nTyo\u{308}".as_bytes());
        assert_eq!(d.text, "a\nb\nc\nTyö");
    }

    #[test]
    fn empty_and_binary_refused_pdf_left_to_convert_bytes() {
        assert!(matches!(
            decode("e", b"").map_err(|e| e.code()),
            Err("empty")
        ));
        assert!(matches!(
            decode("e", b" \n\t\r\n").map_err(|e| e.code()),
            Err("empty")
        ));
        let binary: Vec<u8> = (0u8..=255).cycle().take(2000).collect();
        assert!(matches!(
            decode("b", &binary).map_err(|e| e.code()),
            Err("binary")
        ));
        // PDFs are recognized by `convert_bytes` before decoding; here they are bytes.
        assert_eq!(ok(b"%PDF-1.7\n...").text, "%PDF-1.7\n...");
    }

    #[test]
    fn extracted_pdf_text_loses_controls_with_a_note() {
        let d = extracted("a\n\nb\u{0}c\u{c}\td\r\ne\u{301}".into());
        assert_eq!(d.encoding, Encoding::Pdf);
        assert_eq!(d.text, "a\n\nbc\td\né");
        assert_eq!(d.notes.len(), 1);
        assert_eq!(
            (d.notes[0].code.as_str(), d.notes[0].line),
            ("control_characters", Some(3))
        );
        assert!(
            d.notes[0].message.starts_with("3 control"),
            "{}",
            d.notes[0].message
        );
        let clean = extracted(" Tavoite 2026 \n\n\n\nx".into());
        assert!(clean.notes.is_empty());
        assert_eq!(clean.text, " Tavoite 2026 \n\n\n\nx");
    }

    #[test]
    fn nfc_check_takes_the_fast_path_on_composed_text_only() {
        assert!(is_nfc(include_str!(
            "../fixtures/keha-tulossopimus-2026-2029.txt"
        )));
        assert!(is_nfc("Työ – ≤ 30,0 ”"));
        assert!(!is_nfc("Tyo\u{308}"));
        assert!(!is_nfc(&format!("{}a\u{301}", "x".repeat(100))));
    }

    #[test]
    fn stray_nul_removed_with_note() {
        let mut bytes = "x".repeat(500).into_bytes();
        bytes.insert(10, 0);
        let d = ok(&bytes);
        assert_eq!(d.text.len(), 500);
        assert_eq!(d.notes[0].code, "nul_bytes");
    }
}
