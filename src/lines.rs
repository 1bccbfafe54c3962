//! Stage 2: decoded text -> lines with layout features.
//!
//! This is the type where text dumps and PDFs meet: everything after it is the same code
//! for both. A text dump knows the page (pdf-extract separates pages with a run of four
//! newlines, pdftotext with a form feed: which, its dialect tells, as `dialect::detect`
//! finds it), the indentation in characters and whether the line ended in a space (which
//! the hyphen-joining rule needs). A PDF will also fill in x position, font size and
//! weight.

use std::borrow::Cow;

pub use crate::model::Dialect;

/// What a line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Nothing at all.
    Empty,
    /// Only white space (space glyphs in the PDF).
    Space,
    /// Something visible.
    Text,
}

/// One input line with its layout features.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    /// 1-based line number in the input.
    pub number: u32,
    /// 1-based page.
    pub page: u32,
    /// The text as in the input, without the newline (form feeds removed): borrowed from a
    /// text dump's decoded text (no allocation per line), owned when assembled from a PDF.
    raw: Cow<'a, str>,
    /// The byte range of `raw` that [`Line::text`] returns: trimmed once, with `raw`,
    /// because the later stages ask for a line's text many times.
    text: (usize, usize),
    pub kind: LineKind,
    /// Leading white space, in characters (text dumps) or points (PDF).
    pub indent: f32,
    /// The line ended in white space: a hyphen before it is a suspended compound, not a break.
    pub trailing_space: bool,
    /// Font size in points, when the source has it (PDF).
    pub font_size: Option<f32>,
    /// Bold weight, when the source has it (PDF).
    pub bold: Option<bool>,
    /// Italic or oblique, when the source has it (PDF).
    pub italic: Option<bool>,
    /// Left, bottom, right, top in PDF points, when the source has it (PDF).
    pub bbox: Option<[f32; 4]>,
    /// Luminance (0-255) of the shading behind the line, when the source has any (PDF).
    pub shade: Option<u8>,
    /// Left and right x of each table cell a PDF line joins ("2024 2025 2026" set in
    /// three cells, a row of values), in order; empty when the line is one cell.
    pub parts: Vec<[f32; 2]>,
}

impl<'a> Line<'a> {
    /// A line of `kind` with no layout features (no indentation, size, weight or box).
    pub fn new(number: u32, page: u32, raw: impl Into<Cow<'a, str>>, kind: LineKind) -> Self {
        let raw = raw.into();
        Line {
            number,
            page,
            text: trimmed_range(&raw),
            raw,
            kind,
            indent: 0.0,
            trailing_space: false,
            font_size: None,
            bold: None,
            italic: None,
            bbox: None,
            shade: None,
            parts: Vec::new(),
        }
    }

    /// The text as in the input (see the field).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Replaces the text.
    pub fn set_raw(&mut self, raw: impl Into<Cow<'a, str>>) {
        self.raw = raw.into();
        self.text = trimmed_range(&self.raw);
    }

    /// The visible text, trimmed.
    pub fn text(&self) -> &str {
        &self.raw[self.text.0..self.text.1]
    }
}

/// Where [`trim`] of `s` starts and ends in it.
fn trimmed_range(s: &str) -> (usize, usize) {
    let t = trim(s);
    let start = t.as_ptr() as usize - s.as_ptr() as usize;
    (start, start + t.len())
}

/// White space characters at the start of `s`, whose trimmed text starts at byte
/// `text_start`: that many when they are ASCII.
fn leading_spaces(s: &str, text_start: usize) -> usize {
    let lead = &s[..text_start];
    if lead.is_ascii() {
        text_start
    } else {
        lead.chars().count()
    }
}

/// The ASCII characters that [`char::is_whitespace`] accepts.
pub(crate) fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// [`str::trim`], stripping ASCII white space byte by byte first: every stage asks for
/// lines' text again and again, and most lines end in ASCII spaces or in nothing.
pub fn trim(s: &str) -> &str {
    let bytes = s.as_bytes();
    let start = bytes
        .iter()
        .position(|&b| !is_ascii_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_ascii_space(b))
        .map_or(start, |e| e + 1);
    // ASCII bytes are whole characters, so both ends are character boundaries.
    let rest = &s[start..end];
    match (rest.as_bytes().first(), rest.as_bytes().last()) {
        // Non-ASCII at an end may be white space (U+00A0, U+3000...).
        (Some(&a), Some(&z)) if a >= 0x80 || z >= 0x80 => rest.trim(),
        _ => rest,
    }
}

/// The lines of one input.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    pub lines: Vec<Line<'a>>,
    pub pages: u32,
    pub dialect: Dialect,
}

/// Splits decoded text written in `dialect` (`dialect::detect` tells it) into lines and
/// pages: pdftotext's pages end in a form feed, pdf-extract's in three empty lines.
pub fn split(text: &str, dialect: Dialect) -> Lines<'_> {
    // Lines of agreements average 25-30 bytes; a guess on the high side saves regrowing.
    let mut lines = Vec::with_capacity(text.len() / 24 + 1);
    let mut page = 1u32;
    let mut empty_run = 0u32;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for (i, end) in ends.enumerate() {
        // A newline is one byte, so both ends are character boundaries.
        let mut raw = &text[start..end];
        start = end + 1;
        if dialect != Dialect::PdfExtract {
            // pdftotext ends each page with a form feed; the next page starts after it.
            let feeds = raw.matches('\u{c}').count() as u32;
            if feeds > 0 {
                page += feeds;
                raw = raw.rsplit('\u{c}').next().unwrap_or("");
            }
        } else if empty_run >= 3 && !raw.is_empty() {
            // pdf-extract: a run of four newlines (three empty lines) separates pages.
            page += 1;
        }
        let text = trimmed_range(raw);
        let kind = if raw.is_empty() {
            LineKind::Empty
        } else if text.0 == text.1 {
            LineKind::Space
        } else {
            LineKind::Text
        };
        empty_run = if kind == LineKind::Empty {
            empty_run + 1
        } else {
            0
        };
        lines.push(Line {
            number: i as u32 + 1,
            page,
            raw: Cow::Borrowed(raw),
            text,
            kind,
            indent: leading_spaces(raw, text.0) as f32,
            trailing_space: match raw.as_bytes().last() {
                None => false,
                Some(&b) if b < 0x80 => is_ascii_space(b),
                Some(_) => raw.ends_with(char::is_whitespace),
            },
            font_size: None,
            bold: None,
            italic: None,
            bbox: None,
            shade: None,
            parts: Vec::new(),
        });
    }
    // A final newline does not make a line, nor does a final form feed make a page.
    if text.ends_with('\n') {
        lines.pop();
    }
    if dialect != Dialect::PdfExtract {
        let trailing_feed = text.trim_end_matches('\n').ends_with('\u{c}');
        if trailing_feed && lines.last().is_some_and(|l| l.kind == LineKind::Empty) {
            lines.pop();
            page -= 1;
        }
    }
    Lines {
        lines,
        pages: page,
        dialect,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_and_trailing_space_count_unicode_white_space() {
        let l = split(
            " \u{a0}\u{3000}x\u{2009}\n\t y\u{a0}z\nä",
            Dialect::PdfExtract,
        );
        let got: Vec<(f32, bool)> = l
            .lines
            .iter()
            .map(|l| (l.indent, l.trailing_space))
            .collect();
        assert_eq!(got, vec![(3.0, true), (2.0, false), (0.0, false)]);
    }

    #[test]
    fn trim_is_the_standard_library_s() {
        for s in [
            "",
            " ",
            " \t\r\n\u{b}\u{c} a b \u{b}",
            "\u{a0} ä \u{3000}",
            "ä",
            " ö\u{2009}",
            "\u{85}x\u{85}",
            "  –  ",
            "x\u{200b}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn trim_matches_str_trim(s in "([ \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{2000}\u{3000}]|\\PC){0,12}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }

    #[test]
    fn text_is_the_trimmed_raw_text_after_every_change() {
        let mut line = Line::new(1, 1, " \u{a0}Tavoite 2026 \t", LineKind::Text);
        assert_eq!(line.text(), "Tavoite 2026");
        line.set_raw("  x");
        assert_eq!((line.raw(), line.text()), ("  x", "x"));
        line.set_raw(" ");
        assert_eq!(line.text(), "");
        let lines = split(" a \n\u{3000}\u{a0}b\u{3000}\n  \n", Dialect::PdfExtract).lines;
        for l in &lines {
            assert_eq!(l.text(), l.raw().trim());
        }
        // Indentation counts white space characters, not bytes.
        let indents: Vec<f32> = lines.iter().map(|l| l.indent).collect();
        assert_eq!(indents, [1.0, 2.0, 2.0]);
    }

    #[test]
    fn four_newlines_start_a_page() {
        let l = split("a \n\n b\n\n\n\n   \n\nc\n\n\nd", Dialect::PdfExtract);
        let pages: Vec<u32> = l.lines.iter().map(|l| l.page).collect();
        assert_eq!(pages, vec![1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
        assert_eq!(l.pages, 2);
        assert_eq!(l.dialect, Dialect::PdfExtract);
        let b = &l.lines[2];
        assert_eq!((b.kind, b.indent, b.text()), (LineKind::Text, 1.0, "b"));
        assert!(l.lines[0].trailing_space && !b.trailing_space);
        assert_eq!(l.lines[6].kind, LineKind::Space);
    }

    #[test]
    fn form_feeds_mark_pdftotext_pages() {
        let l = split("one\n\u{c}two\nthree\n\u{c}", Dialect::Pdftotext);
        assert_eq!(l.dialect, Dialect::Pdftotext);
        let pages: Vec<(u32, &str)> = l.lines.iter().map(|l| (l.page, l.text())).collect();
        assert_eq!(pages, vec![(1, "one"), (2, "two"), (2, "three")]);
        assert_eq!(l.pages, 2);
    }
}
