//! `pdftotext -layout` dumps -> the positioned rows the PDF path reads.
//!
//! poppler's `-layout` mode keeps every word at its column by padding with spaces: what it
//! keeps of the page is where text starts (indentation, cells side by side) and where a
//! vertical gap was (empty lines). That is the geometry [`crate::layout`] reads from a
//! PDF's glyphs, so each page of the dump becomes a synthetic `Page`: a character at
//! column `c` of the page's `k`-th line is a glyph at `x = c × CHAR_WIDTH`, on the
//! baseline `y = −k × LINE_HEIGHT`, all in one size (`SIZE`) and an unknown font (the
//! dump's geometry: `crate::metrics::DUMP_CHAR_WIDTH`, `DUMP_LINE_HEIGHT`,
//! `DUMP_FONT_SIZE`).
//! The layout stage then finds rows, cells, blocks and their reading order as it does for
//! a PDF, with these consequences of its thresholds (in font sizes):
//! - a gap of three or more spaces separates cells, two spaces before a table label
//!   ("Tav 2027") start one, a single space is a word space;
//! - consecutive lines continue a block, an empty line between them ends it;
//! - a line's indentation is in points, five per column, so heading rows indented
//!   differently are set in different styles and ranked as a PDF's are.
//!
//! What the dump does not carry stays unknown: the lines get no weight and no box, and
//! one size. Each line keeps the number of the input line it was read from, so that
//! warnings and `source` name the dump's lines. Pages are read one at a time (a page of
//! more than [`MAX_PART_LINES`] lines or [`MAX_PART_CHARS`] characters in parts), so that
//! the glyphs in memory stay bounded by a page, not by the dump.

use std::collections::HashMap;

use super::gap;
use crate::glyphs::{Glyph, Page};
use crate::grammar;
use crate::layout;
use crate::lines::{Dialect, Line, LineKind, Lines};
use crate::metrics::{
    COLUMN_GAP, DUMP_CHAR_WIDTH as CHAR_WIDTH, DUMP_FONT_SIZE as SIZE,
    DUMP_LINE_HEIGHT as LINE_HEIGHT, EARLY_WRAP, FIT_SLACK,
};

/// Most lines and visible characters read as one synthetic page: a page of a real dump
/// has a hundred lines or so; a longer one is read in parts, so that the glyphs in memory
/// at a time and the coordinates stay small whatever the input.
pub const MAX_PART_LINES: usize = 10_000;
/// See [`MAX_PART_LINES`].
pub const MAX_PART_CHARS: usize = 1 << 20;

/// The pages of a dump (lines as [`crate::lines::split`] gives them) as glyph pages, a
/// long page in parts: what `assemble` lays out, for the tests to look at.
#[cfg(test)]
fn pages(lines: &Lines) -> Vec<Page> {
    parts(&lines.lines).map(|part| synthesize(part).0).collect()
}

/// Runs of lines of one page, each within [`MAX_PART_LINES`] and [`MAX_PART_CHARS`].
fn parts<'s>(lines: &'s [Line<'s>]) -> impl Iterator<Item = &'s [Line<'s>]> {
    let mut rest = lines;
    std::iter::from_fn(move || {
        let first = rest.first()?;
        let mut chars = 0usize;
        let mut end = 0;
        while end < rest.len() && end < MAX_PART_LINES && rest[end].page == first.page {
            chars += rest[end].raw().len();
            end += 1;
            if chars > MAX_PART_CHARS {
                break;
            }
        }
        let (part, tail) = rest.split_at(end);
        rest = tail;
        Some(part)
    })
}

/// Input line of each baseline of a part: baseline -> line number.
type Baselines = std::collections::BTreeMap<i32, u32>;

/// One part of a page as a glyph page, and which input line each baseline came from.
fn synthesize(lines: &[Line]) -> (Page, Baselines) {
    let mut page = empty_page(lines.first().map_or(1, |l| l.page));
    let mut baselines = Baselines::new();
    let mut y = LINE_HEIGHT;
    // Cell starts (columns) of the line above, when it held text.
    let mut above: Option<Vec<usize>> = None;
    for (k, line) in lines.iter().enumerate() {
        y -= LINE_HEIGHT;
        let starts = cell_starts(line.raw());
        if let Some(above) = &above {
            if starts_row(lines[k - 1].raw(), above, line.raw(), &starts) {
                y -= LINE_HEIGHT;
            }
        }
        above = (!starts.is_empty()).then_some(starts);
        baselines.insert(y as i32, line.number);
        for (column, c) in line.raw().chars().enumerate() {
            if c.is_whitespace() {
                continue;
            }
            let start = page.text.len() as u32;
            page.text.push(c);
            page.glyphs.push(Glyph {
                x: column as f32 * CHAR_WIDTH,
                y,
                size: SIZE,
                advance: CHAR_WIDTH,
                angle: 0,
                font: 0,
                // One "string shown" per input line.
                word: line.number,
                start,
                len: c.len_utf8() as u16,
            });
            page.media[2] = page.media[2].max((column + 1) as f32 * CHAR_WIDTH);
        }
        page.media[1] = page.media[1].min(y - LINE_HEIGHT);
    }
    (page, baselines)
}

/// Whether `raw` (cells at `starts`) starts a row of its own under the text line
/// `above_raw` (cells at `above`): in a PDF, a new table row or a heading of another
/// level is set apart by its size or a rule; here by the gap of an empty line. A row
/// starts in a column where the row above has no cell, or with a label beside its cell
/// ("Tav 2027  ≥ 95" stacked, "Tavoite 2027  Text" under a heading as wide as the
/// text), with a ministry code as its last cell, or with a row number.
fn starts_row(above_raw: &str, above: &[usize], raw: &str, starts: &[usize]) -> bool {
    let Some(first) = starts.first() else {
        return false;
    };
    let text = raw.trim_start();
    let lower = text.starts_with(char::is_lowercase);
    let labelled = starts.len() >= 2
        && (grammar::unit_label(text).is_some()
            || grammar::year_label(text).is_some()
            || grammar::target_label(text).is_some());
    (!lower && !above.contains(first))
        || labelled
        || coded_row(raw, starts)
        || numbered_row(above_raw, text)
}

/// A line opening with a row number ("1.1   Title"), but not with the tail of the
/// number above it, wrapped after a dot ("1.1.1." over "1   Title").
fn numbered_row(above_raw: &str, text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default();
    let dotted = grammar::number_ends_in_dot(above_raw);
    let tail = dotted && grammar::wrapped_number_tail(first, dotted).is_some();
    grammar::row_number(text).is_some() && !tail
}

/// A row of cells whose last is a known ministry code: an impact-goal table's row ("Goal
/// text      VM"), a row of its own like a labelled one.
fn coded_row(raw: &str, starts: &[usize]) -> bool {
    let Some(&last) = starts.last().filter(|_| starts.len() >= 2) else {
        return false;
    };
    let cell: String = raw.chars().skip(last).collect();
    grammar::ministry_cell(&cell).is_some()
}

/// Columns where a line's cells start: its first visible character, one after a gap wide
/// enough to part cells in the layout stage, and the text after a bullet (where the
/// bullet's wrapped lines hang).
fn cell_starts(raw: &str) -> Vec<usize> {
    let gap = (COLUMN_GAP * SIZE / CHAR_WIDTH).floor() as usize + 1;
    let mut out = Vec::new();
    // Leading white space, however short, ends at the first cell.
    let mut spaces = usize::MAX;
    for (column, c) in raw.chars().enumerate() {
        if c.is_whitespace() {
            spaces = spaces.saturating_add(1);
            continue;
        }
        if spaces >= gap {
            out.push(column);
        }
        spaces = 0;
    }
    if let Some(item) = grammar::bullet(raw.trim_start()) {
        if let Some(before) = raw.strip_suffix(item) {
            out.push(before.chars().count());
        }
    }
    out
}

fn empty_page(number: u32) -> Page {
    Page::empty(number, [0.0, 0.0, 0.0, LINE_HEIGHT])
}

/// Reads a `-layout` dump's lines into cell lines in reading order, each numbered with
/// the input line it came from: each part of a page laid out as a PDF's page is
/// (`laid_out`), then the breaks a PDF's sizes and spacing would show written in
/// (`with_breaks`).
pub fn assemble<'a>(lines: &Lines<'a>) -> Lines<'a> {
    let read = laid_out(lines);
    Lines {
        lines: with_breaks(lines, &read),
        pages: lines.pages,
        dialect: Dialect::PdftotextLayout,
    }
}

/// The dump's parts as the layout stage reads them: cell lines in reading order, each
/// numbered with its input line and indented from the dump's left text edge, an empty
/// line between parts.
fn laid_out(lines: &Lines) -> Vec<Line<'static>> {
    // Indentation is measured from the leftmost text of the whole dump, as the layout
    // stage measures it for a PDF; it reads each part on its own.
    let margin = lines
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Text)
        .map(|l| l.raw().chars().take_while(|c| c.is_whitespace()).count())
        .min()
        .unwrap_or(0) as f32
        * CHAR_WIDTH;
    let mut read: Vec<Line> = Vec::with_capacity(lines.lines.len());
    for part in parts(&lines.lines) {
        let (page, baselines) = synthesize(part);
        let assembled = layout::assemble(std::slice::from_ref(&page));
        let mut last_number = part[0].number;
        if let Some(last) = read.last().filter(|l| l.kind != LineKind::Empty) {
            let gap = gap(last, LineKind::Empty);
            read.push(gap);
        }
        for mut line in assembled.lines.lines {
            if let Some(b) = line.bbox {
                // The layout stage sets a row's box a quarter size below its lowest
                // baseline; a line it joined from several input lines (cells side by
                // side, wrapped) takes the first of them, as a warning must name it.
                let low = (b[1] + 0.25 * SIZE).round() as i32;
                let high = (b[3]).round() as i32;
                last_number = baselines
                    .range(low..=high.max(low))
                    .map(|(_, &n)| n)
                    .min()
                    .unwrap_or(last_number);
                line.indent = (b[0] - margin).max(0.0);
            }
            // An empty line (a block break) takes the number of the line before it.
            line.number = last_number;
            line.bold = None;
            read.push(line);
        }
    }
    read
}

/// `read`'s blocks with the breaks a dump of one size loses: a chapter heading's block
/// of its own, paragraphs inside a block (space-only lines), an indicator's row above
/// its grid. The boxes are dropped.
fn with_breaks<'a>(lines: &Lines, read: &[Line<'a>]) -> Vec<Line<'a>> {
    let blocks: Vec<&[Line]> = read
        .split(|l| l.kind == LineKind::Empty)
        .filter(|b| !b.is_empty())
        .collect();
    let edges = Edges::of(read, &blocks);
    let mut out: Vec<Line> = Vec::with_capacity(read.len() + read.len() / 8);
    // Inside a table: from a caption or a table label to the next chapter heading.
    let mut table = false;
    for (at, block) in blocks.iter().enumerate() {
        if !out.is_empty() {
            out.push(gap(&out[out.len() - 1], LineKind::Empty));
        }
        let unit_next = blocks
            .get(at + 1)
            .is_some_and(|b| grammar::unit_label(b[0].text()).is_some());
        let right = edges.wrap(&blocks, at, unit_next);
        // Where a paragraph starts (see `starts_paragraph`).
        let starts: Vec<bool> = (0..block.len())
            .map(|k| k > 0 && starts_paragraph(&block[k - 1], &block[k], right))
            .collect();
        for (k, line) in block.iter().enumerate() {
            if grammar::chapter_heading(line.text()).is_some() {
                table = false;
            } else if grammar::caption(line.text()).is_some() || grammar::is_row_label(line.text())
            {
                table = true;
            }
            if k > 0 {
                let above = &block[k - 1];
                // A heading's text opens with a capital letter; a line that does not
                // goes on with it ("Ministeriö" over "ja", a title over its years).
                let heading = grammar::chapter_heading(above.text()).is_some()
                    || (above.indent == 0.0
                        && spaced_before(lines, above)
                        && heading_like(above.text())
                        && line.text().starts_with(char::is_uppercase));
                if k == 1 && heading {
                    // A chapter heading is set larger than its text, which is what
                    // parts them in a PDF; in a dump of one size the heading line ends
                    // its block: a numbered one, or a heading-like line at the text's
                    // left edge with the space of two empty lines or more above it.
                    out.push(gap(above, LineKind::Empty));
                } else if starts[k] {
                    let kind = paragraph_gap(block, &starts, k, unit_next, table);
                    out.push(gap(above, kind));
                }
            }
            let mut line = line.clone();
            line.bbox = None;
            out.push(line);
        }
    }
    out
}

/// The right edges lines wrap at, per page: all text's, and the target texts' (where the
/// results table's text wraps).
struct Edges {
    page: HashMap<u32, f32>,
    targets: HashMap<u32, f32>,
}

impl Edges {
    fn of(read: &[Line], blocks: &[&[Line]]) -> Edges {
        let mut page: HashMap<u32, f32> = HashMap::new();
        for b in read.iter().filter_map(|l| l.bbox.map(|b| (l.page, b[2]))) {
            let r = page.entry(b.0).or_insert(b.1);
            *r = r.max(b.1);
        }
        let mut targets: HashMap<u32, f32> = HashMap::new();
        for b in blocks
            .iter()
            .filter(|b| grammar::target_label(b[0].text()).is_some())
        {
            let r = targets.entry(b[0].page).or_insert(f32::NEG_INFINITY);
            *r = r.max(right_edge(b));
        }
        Edges { page, targets }
    }

    /// The right edge a wrapped line of block `at` reaches: the block's own; above a
    /// grid, where short rows (a group heading, an indicator's name) stack, the page's;
    /// above a target, where short heading rows stack, the target text's, which wraps
    /// in the same table.
    fn wrap(&self, blocks: &[&[Line]], at: usize, unit_next: bool) -> f32 {
        let block = blocks[at];
        let page = block[0].page;
        if unit_next {
            return self.page.get(&page).copied().unwrap_or(0.0);
        }
        let Some(next) = blocks
            .get(at + 1)
            .filter(|b| grammar::target_label(b[0].text()).is_some())
        else {
            return right_edge(block);
        };
        // Headings may be set in a wider face than the text: a heading line wraps at a
        // share of the text's characters.
        let left = block[0].bbox.map_or(0.0, |b| b[0]);
        let text = self
            .targets
            .get(&page)
            .copied()
            .unwrap_or(f32::NEG_INFINITY);
        let text = text.max(right_edge(next));
        right_edge(block).max(left + EARLY_WRAP * (text - left))
    }
}

/// The break before paragraph start `k` of `block` (`starts`: where paragraphs start;
/// `unit_next`: a grid follows the block; `table`: inside a table).
fn paragraph_gap(
    block: &[Line],
    starts: &[bool],
    k: usize,
    unit_next: bool,
    table: bool,
) -> LineKind {
    let last = starts.iter().rposition(|&s| s) == Some(k);
    let sentence = block[block.len() - 1]
        .text()
        .ends_with(['.', '!', '?', ':']);
    // A paragraph of one heading-like line.
    let lone_heading = |i: usize| {
        (i == 0 || starts[i])
            && starts.get(i + 1).is_none_or(|&s| s)
            && heading_like(block[i].text())
    };
    if last && unit_next && !sentence {
        // Not a sentence but a name, right above the unit label: the indicator, under a
        // row of its own (a group heading).
        LineKind::Empty
    } else if table
        && lone_heading(k)
        && (lone_heading(k - 1) || grammar::ends_sentence(block[k - 1].text()))
    {
        // Headings stacked without space in a table, their levels shown by a style the
        // dump lost: a row each, after a heading or a description (sentences: what goes
        // on under a heading).
        LineKind::Empty
    } else {
        // A new paragraph of the same block (a description, a cell's next paragraph), as
        // a line of white space shows it in a text dump.
        LineKind::Space
    }
}

/// The right edge of the lines of `block` that have a box.
fn right_edge(block: &[Line]) -> f32 {
    block
        .iter()
        .filter_map(|l| l.bbox)
        .map(|b| b[2])
        .fold(f32::NEG_INFINITY, f32::max)
}

/// The two input lines above `line` hold no text: a heading's space before it (rows and
/// paragraphs have one empty line between them at most).
fn spaced_before(lines: &Lines, line: &Line) -> bool {
    let at = line.number as usize - 1;
    at >= 2
        && lines.lines[at - 2..at]
            .iter()
            .all(|l| l.kind != LineKind::Text)
}

/// One short line, capitalized, without closing punctuation: set like a heading.
fn heading_like(text: &str) -> bool {
    text.chars().count() <= 80
        && text.starts_with(char::is_uppercase)
        && !text.ends_with(['.', ':', ';', ',', '!', '?', ')'])
        && !grammar::is_row_label(text)
}

/// Whether `line` starts a paragraph rather than continuing `above` in the same block: a
/// bullet does; so does a line in the same column that starts with a capital letter when
/// its first word would have fitted at the end of `above`, so that the line above was
/// ended, not wrapped (`right`: the right edge a wrapped line reaches).
fn starts_paragraph(above: &Line, line: &Line, right: f32) -> bool {
    let text = line.text();
    if grammar::bullet(text).is_some() {
        return true;
    }
    if grammar::bare_label(above.text()) {
        // A label's content under it, as a stacked cell shows it.
        return false;
    }
    let (Some(a), Some(b)) = (above.bbox, line.bbox) else {
        return false;
    };
    if (a[0] - b[0]).abs() > 0.5 * CHAR_WIDTH || !text.starts_with(char::is_uppercase) {
        return false;
    }
    let word = text.split_whitespace().next().unwrap_or("").chars().count() as f32;
    a[2] + (1.0 + word + FIT_SLACK as f32) * CHAR_WIDTH <= right
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::split;

    fn rows(text: &str) -> Vec<(u32, String, f32)> {
        let l = split(text);
        assert_eq!(l.dialect, Dialect::PdftotextLayout);
        assemble(&l)
            .lines
            .iter()
            .map(|l| (l.number, l.raw().to_string(), l.indent))
            .collect()
    }

    /// The raw text of the lines a dump is read into.
    fn raws(text: &str) -> Vec<String> {
        let read = assemble(&split(text)).lines;
        read.iter().map(|l| l.raw().to_string()).collect()
    }

    #[test]
    fn columns_become_positions_and_cells() {
        let p = pages(&split("ab  c\n\n   d\n\u{c}e\n"));
        assert_eq!(p.len(), 2);
        let g: Vec<(f32, f32, &str)> = p[0]
            .glyphs
            .iter()
            .map(|g| (g.x, g.y, p[0].char(g)))
            .collect();
        assert_eq!(
            g,
            vec![
                (0.0, 0.0, "a"),
                (5.0, 0.0, "b"),
                (20.0, 0.0, "c"),
                (15.0, -24.0, "d")
            ]
        );
        assert_eq!((p[1].number, p[1].glyphs[0].y), (2, 0.0));
        assert!(!p[0].fonts_known);
    }

    #[test]
    fn label_and_text_cells_read_as_the_pdf_path_reads_them() {
        let text = "Otsikko\n\n\
                    \x20    Tavoite 2027      Ensimmäinen rivi\n\
                    \x20                      jatkuu.\n\
                    \n\
                    \x20                      Toinen kappale.\n\
                    \n\
                    \x20         Mittayksikkö    Tav 2027    Tav 2028\n\
                    \x20         kpl             5           6\n\
                    \u{c}";
        let got = rows(text);
        let texts: Vec<&str> = got.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Otsikko",
                "",
                "Tavoite 2027",
                "Ensimmäinen rivi",
                "jatkuu.",
                "",
                "Toinen kappale.",
                "",
                "Mittayksikkö",
                "kpl",
                "",
                "Tav 2027",
                "5",
                "",
                "Tav 2028",
                "6",
            ]
        );
        // Each cell line names the input line it was read from.
        let numbers: Vec<u32> = got.iter().map(|r| r.0).collect();
        assert_eq!(
            numbers,
            vec![1, 1, 3, 3, 4, 4, 6, 6, 8, 9, 9, 8, 9, 9, 8, 9]
        );
        // Indentation in points from the leftmost text: five per column.
        assert_eq!(got[2].2, 25.0);
        assert_eq!(got[3].2, 115.0);
        assert_eq!(got[8].2, 50.0);
    }

    #[test]
    fn lines_carry_one_size_and_no_weight_or_box() {
        let l = assemble(&split("  Rivi yksi\n  Rivi kaksi\n\u{c}"));
        let first = &l.lines[0];
        assert_eq!(
            (first.font_size, first.bold, first.bbox),
            (Some(SIZE), None, None)
        );
        assert_eq!(l.dialect, Dialect::PdftotextLayout);
        assert_eq!(l.pages, 1);
    }

    #[test]
    fn a_row_starting_where_the_row_above_has_no_cell_starts_a_block() {
        // Heading rows of a tight table, one indented deeper than the other, then a
        // label row whose text cell is continued by the next line.
        let text = "Linja\n\
                    \x20     Tavoite\n\
                    Tavoite 2027      Teksti alkaa ja menee pitkälle\n\
                    \x20                 Ja jatkuu isolla.\n\
                    \x20                 pienellä jatkuu\n\
                    • Luettelo jonka\n\
                    \x20 (YM)\n\u{c}";
        let got = rows(text);
        let texts: Vec<&str> = got.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Linja",
                "",
                "Tavoite",
                "",
                "Tavoite 2027",
                "Teksti alkaa ja menee pitkälle",
                "Ja jatkuu isolla.",
                "pienellä jatkuu",
                "",
                "• Luettelo jonka",
                "(YM)",
            ]
        );
        assert_eq!(cell_starts("  ab   cd ef    g"), vec![2, 7, 16]);
        assert_eq!(cell_starts("• Kohta  teksti"), vec![0, 2]);
        assert!(cell_starts("   ").is_empty());
    }

    #[test]
    fn ended_lines_bullets_and_chapter_headings_part_a_block() {
        // Indented a column, as `-layout` shows a page's text column.
        let text = " 2 Luku\n \
                    Lyhyt otsikko\n \
                    Kuvaus alkaa tässä ja jatkuu koko rivin\n \
                    Leveydeltä, joten rivi ei päättynyt.\n \
                    • Kohta\n\u{c}";
        let got = rows(text);
        let texts: Vec<&str> = got.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "2 Luku",
                "",
                "Lyhyt otsikko",
                " ",
                "Kuvaus alkaa tässä ja jatkuu koko rivin",
                "Leveydeltä, joten rivi ei päättynyt.",
                " ",
                "• Kohta",
            ]
        );
        let kinds: Vec<LineKind> = assemble(&split(text))
            .lines
            .iter()
            .map(|l| l.kind)
            .collect();
        assert_eq!(kinds[1], LineKind::Empty);
        assert_eq!(kinds[3], LineKind::Space);
    }

    #[test]
    fn stacked_grid_rows_are_rows_of_their_own() {
        let text = " Mittarin nimi\n Mittayksikkö       %\n Tav 2027           ≥ 95\n Tav 2028           ≥ 96\n\u{c}";
        let got = rows(text);
        let texts: Vec<&str> = got.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Mittarin nimi",
                "",
                "Mittayksikkö",
                "%",
                "",
                "Tav 2027",
                "≥ 95",
                "",
                "Tav 2028",
                "≥ 96",
            ]
        );
    }

    #[test]
    fn a_target_row_right_under_a_wide_heading_is_a_row_of_its_own() {
        // The heading reaches over the text column; without a gap its cell would take
        // the target's text and leave the label after it.
        let text = "Tavoitteen otsikko joka on pitkä ja ulottuu tekstin palstan yli\n\
                    Tavoite 2027         Ensimmäinen rivi jatkuu\n\
                    \x20                    ja päättyy.\n\u{c}";
        let got = rows(text);
        let texts: Vec<&str> = got.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Tavoitteen otsikko joka on pitkä ja ulottuu tekstin palstan yli",
                "",
                "Tavoite 2027",
                "Ensimmäinen rivi jatkuu",
                "ja päättyy.",
            ]
        );
    }

    #[test]
    fn numbered_rows_stacked_without_gaps_are_rows_of_their_own() {
        // A table numbering its rows in a column of their own, one row per line: the
        // number column would otherwise read as one cell "1. 1.1 1.1.1".
        let text = " 1.          Linja\n 1.1         Tavoite\n 1.1.1.1.1 Alatavoite\n\
                    \x20            Tavoite 2027    Teksti\n\u{c}";
        let got = rows(text);
        let texts: Vec<&str> = got.iter().map(|r| r.1.as_str()).collect();
        let breaks = texts.iter().filter(|t| t.is_empty()).count();
        assert!(breaks >= 3, "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("1. 1.1")), "{texts:?}");
        assert!(texts.contains(&"1.1.1.1.1 Alatavoite"), "{texts:?}");
        // A number wrapped after a dot goes on in the row it began.
        assert!(!numbered_row(" 1.1.1.   Otsikko", "1        Jatkuu"));
        assert!(numbered_row(" 1.1.1    Otsikko", "1.1.2    Seuraava"));
    }

    #[test]
    fn impact_goal_rows_ending_in_a_ministry_code_are_rows_of_their_own() {
        let text = " Vaikuttavuustavoite                     Ministeriö\n\
                    \x20Liikenne on turvallista                    VM\n\
                    \x20Ruokaketju on kilpailukykyinen            LVM\n\u{c}";
        let got = rows(text);
        let texts: Vec<&str> = got.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Vaikuttavuustavoite    Ministeriö",
                "",
                "Liikenne on turvallista    VM",
                "",
                "Ruokaketju on kilpailukykyinen    LVM",
            ]
        );
        assert!(!coded_row("Teksti    XYZ", &[0, 10]));
        assert!(!coded_row("VM", &[0]));
    }

    #[test]
    fn a_long_page_is_read_in_parts_with_one_margin() {
        // One page longer than a part; the lines after the first part are indented.
        let mut text = String::from("Alku\n");
        for k in 1..MAX_PART_LINES + 5 {
            text.push_str(if k < MAX_PART_LINES {
                "\n"
            } else {
                "  Sisennetty rivi\n"
            });
        }
        text.push('\u{c}');
        let l = split(&text);
        assert_eq!(l.dialect, Dialect::PdftotextLayout);
        assert_eq!(parts(&l.lines).count(), 2);
        let read = assemble(&l);
        let last = read.lines.last().expect("lines");
        assert_eq!(last.text(), "Sisennetty rivi");
        assert_eq!(last.number as usize, MAX_PART_LINES + 5);
        // Indented from the dump's leftmost text, which is in the first part.
        assert_eq!(last.indent, 2.0 * CHAR_WIDTH);
    }

    #[test]
    fn above_a_grid_a_name_is_a_row_and_a_sentence_a_description() {
        // A group heading and the first indicator's name, at one column above a grid.
        let group = " Sivun leveä tekstirivi, joka ulottuu oikeaan reunaan asti.\n\nRyhmän otsikko\nMittarin nimi\n\nMittayksikkö    Tav 2027\n%               5\n\u{c}";
        let texts = raws(group);
        assert!(
            texts
                .windows(3)
                .any(|w| w == ["Ryhmän otsikko", "", "Mittarin nimi"]),
            "{texts:?}"
        );
        let described = " Sivun leveä tekstirivi, joka ulottuu oikeaan reunaan asti.\n\nMittarin nimi\nKuvaus mittarista lauseena.\n\nMittayksikkö    Tav 2027\n%               5\n\u{c}";
        let texts = raws(described);
        assert!(
            texts
                .windows(3)
                .any(|w| w == ["Mittarin nimi", " ", "Kuvaus mittarista lauseena."]),
            "{texts:?}"
        );
    }

    #[test]
    fn a_heading_with_space_above_it_ends_its_block() {
        let text = " x\nEdellinen kappale päättyy tähän ja jatkuu pitkälle oikealle.\n\n\n\
                    Otsikko ilman numeroa\n\
                    Tekstiä otsikon alla, joka jatkuu pitkälle oikealle asti.\n\
                    \n\
                    Rivi yhden tyhjän jälkeen\n\
                    Tekstiä sen alla, joka jatkuu pitkälle oikealle asti myös.\n\u{c}";
        let texts = raws(text);
        assert!(
            texts.windows(2).any(|w| w == ["Otsikko ilman numeroa", ""]),
            "{texts:?}"
        );
        // One empty line above: a paragraph of the same block.
        assert!(
            texts
                .windows(2)
                .any(|w| w == ["Rivi yhden tyhjän jälkeen", " "]),
            "{texts:?}"
        );
        // A line that does not open with a capital goes on with the one above: a cover's
        // parties, a title over its years.
        let cover = " x\n\n\nMinisteriö\nja\nVirasto\n\n\nVälinen tulossopimus\n2026–2030\n\u{c}";
        let texts = raws(cover);
        assert!(
            !texts.windows(2).any(|w| w == ["Ministeriö", ""]),
            "{texts:?}"
        );
        assert!(
            !texts.windows(2).any(|w| w == ["Välinen tulossopimus", ""]),
            "{texts:?}"
        );
    }

    #[test]
    fn headings_stacked_without_space_in_a_table_are_rows_of_their_own() {
        // Levels shown by size or shading alone: in the dump, heading rows one under the
        // other in one column, and a description (a sentence) under the last.
        let text = "Taulukko: Tulostavoitteet\n\n\
                    Linja\n\
                    Tavoite\n\
                    Alatavoite\n\
                    Kuvaus alatavoitteesta lauseena.\n\
                    Toinen alatavoite\n\
                    Tavoite 2027    Ensimmäinen rivi, joka jatkuu pitkälle oikealle asti tässä.\n\u{c}";
        let texts = raws(text);
        for w in [
            ["Linja", ""],
            ["Tavoite", ""],
            ["Kuvaus alatavoitteesta lauseena.", ""],
        ] {
            assert!(texts.windows(2).any(|x| x == w), "{w:?} in {texts:?}");
        }
        assert!(
            texts
                .windows(3)
                .any(|w| w == ["Alatavoite", " ", "Kuvaus alatavoitteesta lauseena."]),
            "{texts:?}"
        );
        // Outside a table, such lines stay one block (a cover, a signature).
        let cover = " x\n\nLinja\nTavoite\nAlatavoite\n\u{c}";
        let texts = raws(cover);
        assert!(
            texts.windows(2).any(|w| w == ["Linja", "Tavoite"]),
            "{texts:?}"
        );
    }

    #[test]
    fn a_heading_wrapped_short_of_the_text_column_stays_one_row() {
        // A heading in a wider face wraps at fewer characters than the target text
        // beside it: its next line is no row of its own although its first word would
        // have fitted in the text's width.
        let text = "Taulukko: Tulostavoitteet\n\n\
                    Otsikko, joka on lihavoitu ja kapeampi kuin tekstin palsta ja\n\
                    Jatkuu\n\n\
                    Tavoite 2027    Ensimmäinen rivi, joka jatkuu pitkälle oikealle asti aina.\n\u{c}";
        let texts = raws(text);
        assert!(
            texts.windows(2).any(|w| w
                == [
                    "Otsikko, joka on lihavoitu ja kapeampi kuin tekstin palsta ja",
                    "Jatkuu"
                ]),
            "{texts:?}"
        );
    }

    #[test]
    fn year_labels_one_space_apart_are_cells_of_their_own() {
        // A narrow grid: pdftotext sets its labels a single space apart, the values
        // under them at their columns.
        let text = "Mittari\n\
                    \x20Mittayksikkö:    Tot 2022 Arv 2023 Arv 2024\n\
                    \x20kpl              13 150            88 600\n\u{c}";
        let texts = raws(text);
        for label in ["Tot 2022", "Arv 2023", "Arv 2024"] {
            assert!(texts.iter().any(|t| t == label), "{label} in {texts:?}");
        }
        let at = |t: &str| texts.iter().position(|x| x == t).expect(t);
        assert_eq!(at("13 150"), at("Tot 2022") + 1, "{texts:?}");
        assert_eq!(at("88 600"), at("Arv 2024") + 1, "{texts:?}");
    }
}
