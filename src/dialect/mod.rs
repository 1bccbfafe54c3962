//! A text dump's lines -> the lines the later stages read, for every dialect.
//!
//! [`crate::lines::split`] tells the dialect (which extractor wrote the dump) and splits
//! the text into lines and pages; this module brings each dialect's lines to the form
//! the block stage was written for (pdf-extract's: a block per row, parted by empty
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

/// The lines of a text dump as the later stages read them: [`crate::lines::split`],
/// then [`normalize`].
pub fn read(text: &str) -> Lines<'_> {
    normalize(crate::lines::split(text))
}

/// A dump's lines as the later stages read them: a `-layout` dump's read into cells
/// ([`columns::assemble`]), a default-mode dump's blocks rewritten ([`flow::regroup`]),
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
    use crate::lines::split;

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
}
