//! Small pieces of pattern matching by hand, for the genre's patterns in
//! [`crate::grammar`] and [`crate::structure`].
//!
//! Why not regexes: each regex costs 0.1–0.9 ms to compile, and a process that converts
//! one document (the command, each worker) compiled a dozen of them: about 5 ms of
//! start-up, more than converting the seed itself. The patterns are short and anchored,
//! so each is a few lines of code here, and each is tested against its original regex
//! (`grammar`'s `same_as_the_original_patterns`).
//!
//! Conventions shared by all of them:
//! - white space is [`char::is_whitespace`], the same set as the regexes' Unicode `\s`;
//! - a digit is an ASCII digit: numbers are read with Rust's `parse`, which knows no
//!   other, so a regex's Unicode `\d` could only match what then failed to parse;
//! - a word boundary is the regexes' ASCII one, `(?-u:\b)`.

/// How many ASCII digits `s` starts with, counting at most `max`.
pub(crate) fn digits(s: &str, max: usize) -> usize {
    s.bytes().take(max).take_while(u8::is_ascii_digit).count()
}

/// `\d{1,max}` at the start of `s`, greedy: the digits and the rest.
pub(crate) fn number(s: &str, max: usize) -> Option<(&str, &str)> {
    let n = digits(s, max);
    (n > 0).then(|| s.split_at(n))
}

/// `(?:19|20)\d\d` at the start of `s`: the year and the rest.
pub(crate) fn year(s: &str) -> Option<(i32, &str)> {
    let b = s.as_bytes();
    if b.len() < 4 || !(b.starts_with(b"19") || b.starts_with(b"20")) || digits(s, 4) < 4 {
        return None;
    }
    let y = b[..4]
        .iter()
        .fold(0, |acc, &d| acc * 10 + i32::from(d - b'0'));
    Some((y, &s[4..]))
}

/// `\s+` at the start of `s`: the rest, or `None` when `s` does not start with white space.
pub(crate) fn spaces(s: &str) -> Option<&str> {
    let rest = s.trim_start();
    (rest.len() < s.len()).then_some(rest)
}

/// `\s?` at the start of `s`: the rest after at most one white-space character.
pub(crate) fn one_space(s: &str) -> &str {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_whitespace() => chars.as_str(),
        _ => s,
    }
}

/// A byte that `(?-u:\b)` counts as part of a word.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `(?-u:\b)` at byte offset `at` of `s`.
pub(crate) fn boundary(s: &[u8], at: usize) -> bool {
    let before = at > 0 && is_word_byte(s[at - 1]);
    let after = s.get(at).is_some_and(|&b| is_word_byte(b));
    before != after
}

/// A character as `(?i)` compares it with the lower-case letters of the genre's words:
/// simple case folding, which also folds the long s, the Kelvin sign and the Ångström sign.
fn fold(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'Ä' => 'ä',
        'Ö' => 'ö',
        'Å' | '\u{212B}' => 'å',
        'ſ' => 's',
        '\u{212A}' => 'k',
        _ => c,
    }
}

/// `(?i)word` at the start of `s`, `word` in lower case (ASCII letters, ä, ö, å): the
/// rest of `s` after it.
pub(crate) fn strip_word_ci<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let mut chars = s.chars();
    for w in word.chars() {
        if fold(chars.next()?) != w {
            return None;
        }
    }
    Some(chars.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces() {
        assert_eq!(digits("2026x", 2), 2);
        assert_eq!(digits("x1", 3), 0);
        assert_eq!(number("123 x", 3), Some(("123", " x")));
        assert_eq!(number("٣", 2), None);
        assert_eq!(year("2026."), Some((2026, ".")));
        assert_eq!(year("1899"), None);
        assert_eq!(year("202"), None);
        assert_eq!(year("20x6"), None);
        assert_eq!(spaces("\u{a0} x"), Some("x"));
        assert_eq!(spaces("x"), None);
        assert_eq!(one_space("  x"), " x");
        assert_eq!(one_space("x"), "x");
        assert!(boundary(b"a b", 1));
        assert!(!boundary(b"ab", 1));
        assert!(boundary(b"a", 0) && boundary(b"a", 1));
        // A non-ASCII letter is no word character for the ASCII boundary.
        assert!(boundary("äb".as_bytes(), 2));
        assert_eq!(strip_word_ci("MINISTERIÖ ja", "ministeriö"), Some(" ja"));
        assert_eq!(strip_word_ci("kanſlia", "kanslia"), Some(""));
        assert_eq!(strip_word_ci("\u{212A}anslia", "kanslia"), Some(""));
        assert_eq!(strip_word_ci("kansli", "kanslia"), None);
        assert_eq!(strip_word_ci("\u{212B}", "å"), Some(""));
    }
}
