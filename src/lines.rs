//! Stage 2: decoded text -> lines with layout features.
//!
//! This is the type where text dumps and PDFs meet: everything after it is the same code
//! for both. A text dump knows the page (pdf-extract separates pages with a run of four
//! newlines, pdftotext with a form feed), the indentation in characters and whether the
//! line ended in a space (which the hyphen-joining rule needs). A PDF will also fill in
//! x position, font size and weight.

/// Which extractor produced a text dump; decides how pages are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// pdf-extract plain text: pages joined by a blank line, cells start with a space.
    PdfExtract,
    /// poppler's pdftotext: pages end with a form feed.
    Pdftotext,
    /// A PDF read glyph by glyph: lines carry position, size and weight.
    PdfLayout,
}

impl Dialect {
    /// Name used in the output (`source.dialect`).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::PdfExtract => "pdf-extract",
            Dialect::Pdftotext => "pdftotext",
            Dialect::PdfLayout => "pdf-layout",
        }
    }
}

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
pub struct Line {
    /// 1-based line number in the input.
    pub number: u32,
    /// 1-based page.
    pub page: u32,
    /// The text as in the input, without the newline (form feeds removed).
    pub raw: String,
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
}

impl Line {
    /// The visible text, trimmed.
    pub fn text(&self) -> &str {
        self.raw.trim()
    }
}

/// The lines of one input.
#[derive(Debug, Clone)]
pub struct Lines {
    pub lines: Vec<Line>,
    pub pages: u32,
    pub dialect: Dialect,
}

/// Splits decoded text into lines and pages.
pub fn split(text: &str) -> Lines {
    let dialect = if text.contains('\u{c}') {
        Dialect::Pdftotext
    } else {
        Dialect::PdfExtract
    };
    let mut lines = Vec::with_capacity(text.len() / 40 + 1);
    let mut page = 1u32;
    let mut empty_run = 0u32;
    for (i, raw) in text.split('\n').enumerate() {
        let mut raw = raw;
        if dialect == Dialect::Pdftotext {
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
        let kind = if raw.is_empty() {
            LineKind::Empty
        } else if raw.trim().is_empty() {
            LineKind::Space
        } else {
            LineKind::Text
        };
        empty_run = if kind == LineKind::Empty {
            empty_run + 1
        } else {
            0
        };
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count() as f32;
        lines.push(Line {
            number: i as u32 + 1,
            page,
            raw: raw.to_owned(),
            kind,
            indent,
            trailing_space: raw.ends_with(|c: char| c.is_whitespace()),
            font_size: None,
            bold: None,
            italic: None,
            bbox: None,
        });
    }
    // A final newline does not make a line, nor does a final form feed make a page.
    if text.ends_with('\n') {
        lines.pop();
    }
    if dialect == Dialect::Pdftotext {
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
    fn four_newlines_start_a_page() {
        let l = split("a \n\n b\n\n\n\n   \n\nc\n\n\nd");
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
        let l = split("one\n\u{c}two\nthree\n\u{c}");
        assert_eq!(l.dialect, Dialect::Pdftotext);
        let pages: Vec<(u32, &str)> = l.lines.iter().map(|l| (l.page, l.text())).collect();
        assert_eq!(pages, vec![(1, "one"), (2, "two"), (2, "three")]);
        assert_eq!(l.pages, 2);
    }
}
