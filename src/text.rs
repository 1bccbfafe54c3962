//! Text normalization shared by every stage that turns lines into strings.

use crate::lines::Lines;

/// Joins the lines of one paragraph.
///
/// Lines are joined with one space, except that a line ending in a hyphen with no space
/// after it joins the next with no space and keeps the hyphen ("KEHA-" + "keskuksen" =
/// "KEHA-keskuksen"). A suspended compound ("kehittämis- " + "ja") had its trailing
/// space printed, so it keeps the space. Runs of white space collapse to one space.
// The stages append paragraphs (`push_para`); this one-paragraph form is the rule
// the other functions' docs refer to, and what the tests hold them to.
#[cfg_attr(not(test), allow(dead_code))]
pub fn join_lines<'a, I>(parts: I) -> String
where
    I: IntoIterator<Item = (&'a str, bool)>,
    I::IntoIter: Clone,
{
    let parts = parts.into_iter();
    // Sized once: never longer than the parts and a space each.
    let mut out = String::with_capacity(parts.clone().map(|(t, _)| t.len() + 1).sum());
    join_lines_into(&mut out, parts);
    out
}

/// Appends one paragraph's lines to `out` (joined as by [`join_lines`]), after a blank
/// line when `out` already holds text; a paragraph without words leaves `out` as it
/// was. Returns where the paragraph is in `out`.
pub fn push_para<'a>(
    out: &mut String,
    parts: impl IntoIterator<Item = (&'a str, bool)>,
) -> Option<std::ops::Range<usize>> {
    let before = out.len();
    if before > 0 {
        out.push_str("\n\n");
    }
    let start = out.len();
    if join_lines_into(out, parts) {
        Some(start..out.len())
    } else {
        out.truncate(before);
        None
    }
}

/// [`join_lines`] appended to `out`, the first word right after what `out` holds;
/// returns whether there was a word.
fn join_lines_into<'a>(out: &mut String, parts: impl IntoIterator<Item = (&'a str, bool)>) -> bool {
    let start = out.len();
    let mut glue = false;
    for (text, trailing_space) in parts {
        let before = out.len();
        let sep = out.len() > start && !glue;
        if !push_words(out, text, sep) {
            debug_assert_eq!(out.len(), before);
            continue;
        }
        glue = !trailing_space && out.ends_with(['-', '\u{2010}']);
    }
    out.len() > start
}

/// Appends the words of `text` (split at Unicode white space, as
/// [`str::split_whitespace`] does) to `out` with one space between them, and one before
/// the first when `sep`; returns whether there was a word.
///
/// Byte by byte rather than through `split_whitespace`: it runs over every paragraph and
/// title, and decoding each character to ask whether it is white space was a tenth of a
/// text dump's conversion. A non-ASCII white space character starts with one of four
/// lead bytes; only those are decoded.
pub fn push_words(out: &mut String, text: &str, sep: bool) -> bool {
    // Most text is already words with single spaces once trimmed: copied in one go.
    let trimmed = crate::lines::trim(text);
    if trimmed.is_empty() {
        return false;
    }
    if is_collapsed(trimmed) {
        if sep {
            out.push(' ');
        }
        out.push_str(trimmed);
        return true;
    }
    let bytes = text.as_bytes();
    let mut any = false;
    let mut i = 0;
    while i < bytes.len() {
        // Skip white space.
        let mut start = None;
        while i < bytes.len() {
            let w = space_len(text, i);
            if w == 0 {
                start = Some(i);
                break;
            }
            i += w;
        }
        let Some(start) = start else { break };
        // The word runs to the next white space.
        while i < bytes.len() && space_len(text, i) == 0 {
            i += 1;
        }
        if any || sep {
            out.push(' ');
        }
        out.push_str(&text[start..i]);
        any = true;
    }
    any
}

/// Whether trimmed `text` has no white space but single ASCII spaces.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    // First without a branch per byte (the compiler vectorizes it): no control byte, no
    // lead byte of non-ASCII white space, no two spaces in a row.
    let suspect = bytes.iter().fold(false, |acc, &b| {
        acc | (b < 0x20) | (b == 0xc2) | (b.wrapping_sub(0xe1) < 3)
    });
    let doubled = bytes
        .iter()
        .zip(bytes.iter().skip(1))
        .fold(false, |acc, (&a, &b)| acc | ((a == b' ') & (b == b' ')));
    if doubled {
        return false;
    }
    if !suspect {
        return true;
    }
    // U+2000-U+206F holds common dashes and quotes: look at those characters.
    text.chars().all(|c| !c.is_whitespace() || c == ' ')
}

/// The length of the white space character at byte `i` of `text`, 0 when there is none
/// there (`i` may be inside a character: continuation bytes are never white space).
#[inline]
fn space_len(text: &str, i: usize) -> usize {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return usize::from(crate::lines::is_ascii_space(b));
    }
    // U+0085, U+00A0 (C2), U+1680 (E1), U+2000-U+205F (E2), U+3000 (E3).
    if matches!(b, 0xc2 | 0xe1 | 0xe2 | 0xe3) {
        if let Some(c) = text[i..].chars().next() {
            if c.is_whitespace() {
                return c.len_utf8();
            }
        }
    }
    0
}

/// White space runs to one space, trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_words(&mut out, text, false);
    out
}

/// Joins the given lines of `lines` as one paragraph.
pub fn para_text(lines: &Lines, para: &[usize]) -> String {
    // Sized once: the joined text is never longer than its lines and a space each.
    let cap = para.iter().map(|&i| lines.lines[i].raw().len() + 1).sum();
    let mut out = String::with_capacity(cap);
    join_lines_into(
        &mut out,
        para.iter()
            .map(|&i| (lines.lines[i].raw(), lines.lines[i].trailing_space)),
    );
    out
}

/// Paragraphs joined with a blank line; `None` when there are none.
pub fn join_paras(paras: Vec<String>) -> Option<String> {
    let mut paras: Vec<String> = paras.into_iter().filter(|p| !p.is_empty()).collect();
    match paras.len() {
        0 => None,
        // Most cells hold one paragraph: it is the text, with no copy.
        1 => paras.pop(),
        _ => Some(paras.join("\n\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(parts: &[(&str, bool)]) -> String {
        join_lines(parts.iter().copied())
    }

    #[test]
    fn hyphen_rules() {
        assert_eq!(
            join(&[("KEHA-", false), ("keskuksen", true)]),
            "KEHA-keskuksen"
        );
        assert_eq!(
            join(&[("pk-", false), ("yrityksillä", false)]),
            "pk-yrityksillä"
        );
        assert_eq!(
            join(&[("kehittämis- ", true), ("ja hallinto", true)]),
            "kehittämis- ja hallinto"
        );
        assert_eq!(
            join(&[("rekisteri- ", true), ("ja", false)]),
            "rekisteri- ja"
        );
    }

    #[test]
    fn spaces_collapse() {
        assert_eq!(
            join(&[(" Tavoite  on   asetettu. ", true), ("  Toinen ", true)]),
            "Tavoite on asetettu. Toinen"
        );
        assert_eq!(join(&[("", false), ("  ", true), ("x", false)]), "x");
    }

    #[test]
    fn words_split_at_unicode_white_space_only() {
        let cases = [
            "a\u{a0}b\u{2009}c\u{3000}d\u{1680}e\u{85}f\u{202f}g",
            "ää  öö\tÅ\r\n\u{b}\u{c}x",
            "\u{2010}-\u{200b}zero width is no space\u{feff}",
            "  \u{2028}\u{2029}\u{205f} ",
            "€ — ≥ 30 %",
            "",
        ];
        for text in cases {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse(text), expected, "{text:?}");
            let mut out = String::from("x");
            let any = push_words(&mut out, text, true);
            assert_eq!(any, !expected.is_empty());
            let want = if any {
                format!("x {expected}")
            } else {
                "x".into()
            };
            assert_eq!(out, want);
        }
    }

    proptest::proptest! {
        #[test]
        fn words_match_split_whitespace(
            text in "([a-zäö€–]|[ \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{feff}]|\\PC){0,40}"
        ) {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(collapse(&text), expected);
        }
    }

    #[test]
    fn paragraphs_pushed_one_by_one() {
        let mut out = String::new();
        assert_eq!(push_para(&mut out, [("  ", true)]), None);
        assert_eq!(
            push_para(&mut out, [("Eka ", true), ("rivi", false)]),
            Some(0..8)
        );
        assert_eq!(push_para(&mut out, [(" ", true)]), None);
        assert_eq!(push_para(&mut out, [("Toka", false)]), Some(10..14));
        assert_eq!(out, "Eka rivi\n\nToka");
    }

    #[test]
    fn paragraphs() {
        assert_eq!(
            join_paras(vec!["a".into(), String::new(), "b".into()]).as_deref(),
            Some("a\n\nb")
        );
        assert_eq!(join_paras(vec![]), None);
        assert_eq!(join_paras(vec![String::new()]), None);
        assert_eq!(
            join_paras(vec![String::new(), "a".into()]).as_deref(),
            Some("a")
        );
    }
}
