//! A text dump's lines -> the lines the later stages read, for every dialect.
//!
//! [`detect`] tells the dialect (which extractor wrote the dump), [`crate::lines::split`]
//! splits the text into lines and pages as that dialect marks them ([`split`] does both);
//! then [`normalize`] brings each dialect's lines to the form the block stage was written
//! for (pdf-extract's: a block per row, parted by empty
//! lines, a cell's paragraphs by a space-only line, a grid as label/value pairs):
//!
//! | dialect | what is done | where |
//! |---|---|---|
//! | pdf-extract | nothing: it is the form | |
//! | pdftotext (default mode) | block breaks rewritten from the genre's labels and line ends, a grid's values put under their labels, misplaced footers moved | [`flow`] |
//! | pdftotext `-layout` | each page drawn as glyphs at its columns and laid out as a PDF is (rows, cells, blocks, reading order) | [`columns`] |
//! | pdftotext `-layout`, tables set flat | indentation dropped, then as the default mode | [`flow`] |
//! | a PDF (pdf-layout) | nothing: `layout` made the lines in this form | |
//!
//! The measures shared with the PDF path (the dump's character width and line height,
//! cell and line gaps) are in `crate::metrics`.

pub mod columns;
pub mod flow;

use std::collections::HashMap;

use crate::grammar;
use crate::lines::{Dialect, Line, LineKind, Lines};

/// The lines of a text dump as the later stages read them: [`split`], then
/// [`normalize`].
pub fn read(text: &str) -> Lines<'_> {
    normalize(split(text))
}

/// A text dump split into lines and pages, in the dialect `detect` tells.
pub fn split(text: &str) -> Lines<'_> {
    crate::lines::split(text, detect(text))
}

/// The extractor that wrote a text dump: pdftotext when it has a form feed (pdftotext
/// ends each page with one), its `-layout` mode when the dump keeps the page's columns
/// ([`keeps_columns`]); else pdf-extract.
pub fn detect(text: &str) -> Dialect {
    if memchr::memchr(0x0c, text.as_bytes()).is_none() {
        Dialect::PdfExtract
    } else if keeps_columns(text) {
        Dialect::PdftotextLayout
    } else {
        Dialect::Pdftotext
    }
}

/// Whether a pdftotext dump keeps the page's columns (`-layout`): at least one text line
/// in [`LAID_OUT_SHARE`] is padded to its column, i.e. starts with white space or has a
/// run of two or more spaces between words. The default mode writes words with single
/// spaces and lines from their first word, so it shows neither. pdftotext ends no line
/// in white space; a dump where most lines do is pdf-extract's, whatever its form feeds.
fn keeps_columns(text: &str) -> bool {
    let (mut lines, mut padded, mut trailing) = (0usize, 0usize, 0usize);
    for line in text.split('\n') {
        let line = line.trim_start_matches('\u{c}');
        if line.trim().is_empty() {
            continue;
        }
        lines += 1;
        if line.ends_with(char::is_whitespace) {
            trailing += 1;
        }
        let line = line.trim_end();
        let gap = line.trim_start().as_bytes().windows(2).any(|w| w == b"  ");
        if line.starts_with(char::is_whitespace) || gap {
            padded += 1;
        }
    }
    padded > 0 && padded * LAID_OUT_SHARE >= lines && trailing * 2 < lines
}

/// See [`keeps_columns`]: one line in this many.
const LAID_OUT_SHARE: usize = 10;

/// A dump's lines as the later stages read them: a `-layout` dump's read into cells
/// (`columns::assemble`), a default-mode dump's blocks rewritten (`flow::regroup`),
/// any other unchanged.
pub fn normalize(lines: Lines) -> Lines {
    match lines.dialect {
        Dialect::PdftotextLayout if flat_tables(&lines) => {
            // Without indentation the columns tell nothing of the rows: read the
            // dump as the default mode's, in its reading order.
            let mut lines = lines;
            for l in &mut lines.lines {
                l.indent = 0.0;
            }
            flow::regroup(lines)
        }
        Dialect::PdftotextLayout => columns::assemble(&lines),
        Dialect::Pdftotext => flow::regroup(lines),
        _ => lines,
    }
}

/// Share of a table's rows at its most common indentation above which the tables are
/// set flat: levels by size and weight only, which a dump does not keep.
const FLAT_SHARE: f32 = 0.7;

/// Whether the dump's tables are set without indentation: of the lines in tables (from a
/// caption to the next chapter heading) that start with a capital letter and are no
/// table label, more than [`FLAT_SHARE`] start at one column.
fn flat_tables(lines: &Lines) -> bool {
    let mut table = false;
    let mut columns: HashMap<u32, usize> = HashMap::new();
    for l in lines.lines.iter().filter(|l| l.kind == LineKind::Text) {
        let text = l.text();
        if grammar::chapter_heading(text).is_some() {
            table = false;
        } else if grammar::caption(text).is_some() {
            table = true;
        } else if table && text.starts_with(char::is_uppercase) && !grammar::is_row_label(text) {
            *columns.entry(l.indent as u32).or_default() += 1;
        }
    }
    let rows: usize = columns.values().sum();
    let most = columns.values().copied().max().unwrap_or(0);
    rows > 0 && most as f32 > FLAT_SHARE * rows as f32
}

/// A line without text after `above`, numbered as it: the block break (`Empty`) or
/// paragraph break (`Space`) the dialects write where pdf-extract's dump has one.
pub(crate) fn gap(above: &Line, kind: LineKind) -> Line<'static> {
    let raw = if kind == LineKind::Space { " " } else { "" };
    Line::new(above.number, above.page, raw, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dump_whose_tables_are_set_flat_is_read_in_reading_order() {
        // Levels by size only: every row at one column. The dump is read as a default
        // one: a label heads the text under it, and its next paragraph after an empty
        // line goes on with it.
        let flat = " Taulukko: Tulostavoitteet\n\n Linja\n Tavoite yksi\n Tavoite 2027\n \
                    Teksti alkaa ja jatkuu koko rivin leveydeltä tässä näin\n \
                    loppuen tähän.\n\n \
                    Toinen kappale, joka jatkuu koko rivin leveydeltä näin ja\n \
                    päättyy.\n\u{c}";
        let l = split(flat);
        assert!(flat_tables(&l));
        let read = normalize(l);
        assert_eq!(read.dialect, Dialect::PdftotextLayout);
        let texts: Vec<&str> = read.lines.iter().map(|l| l.raw()).collect();
        let label = texts
            .iter()
            .position(|t| t.trim() == "Tavoite 2027")
            .expect("label");
        // The cell's paragraphs are parted by a space-only line, not ended by an empty one.
        let cell: Vec<&str> = texts[label..].to_vec();
        assert!(!cell[..cell.len() - 1].contains(&""), "one cell: {texts:?}");
        assert!(cell.contains(&" "), "two paragraphs: {texts:?}");
        // Indented rows: read by columns.
        let indented = " Taulukko: Tulostavoitteet\n\n Linja\n     Tavoite yksi\n          Tavoite 2027   Teksti\n\u{c}";
        assert!(!flat_tables(&split(indented)));
    }

    #[test]
    fn padded_columns_mark_pdftotext_layout() {
        let layout = "Otsikko\n\n Rivi\n     Tavoite 2027      Teksti\n\u{c}Sivu 2\n";
        let l = split(layout);
        assert_eq!(l.dialect, Dialect::PdftotextLayout);
        assert_eq!(l.dialect.name(), "pdftotext-layout");
        assert_eq!(l.pages, 2);
        // Default mode: single spaces, no indentation.
        let default = "Otsikko\n\nRivi\nTavoite 2027\n\nTeksti ja muuta\n\u{c}Sivu 2\n";
        assert_eq!(split(default).dialect, Dialect::Pdftotext);
        // One padded line in more than ten is not a layout.
        let mut sparse = String::from(" yksi\n");
        for _ in 0..10 {
            sparse.push_str("rivi ilman sisennystä\n");
        }
        sparse.push('\u{c}');
        assert_eq!(split(&sparse).dialect, Dialect::Pdftotext);
        sparse.insert_str(0, "a   b\n");
        assert_eq!(split(&sparse).dialect, Dialect::PdftotextLayout);
        // Without form feeds, indentation is pdf-extract's; so it is in a dump whose
        // lines end in a space, as pdf-extract's do, and pdftotext's never.
        assert_eq!(split(" Rivi\n  toinen").dialect, Dialect::PdfExtract);
        let extract = " Rivi \n  toinen \n\u{c}kolmas \n";
        assert_eq!(split(extract).dialect, Dialect::Pdftotext);
        // pdf-extract's pages end in three empty lines, pdftotext's in a form feed.
        assert_eq!(
            detect("a \n\n b\n\n\n\n   \n\nc\n\n\nd"),
            Dialect::PdfExtract
        );
        assert_eq!(detect("one\n\u{c}two\nthree\n\u{c}"), Dialect::Pdftotext);
    }
}
