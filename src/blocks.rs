//! Stage 3: lines -> blocks.
//!
//! A block is what the page shows as one unit: a prose paragraph group or a table row.
//! In a pdf-extract dump, blocks are separated by empty lines and, inside a table cell,
//! paragraphs by lines holding only spaces. This stage drops page furniture (running
//! headers, footers, page numbers: `crate::furniture`), and mends what the page layout split:
//! - a block that starts in lower case continues the previous one; when no page break
//!   lies between, the split came from line spacing, i.e. a larger font (`spaced_wrap`);
//! - a cell whose last line was followed by a space-only line before a page break goes
//!   on, as a new paragraph, on the next page.

use std::collections::HashMap;

use crate::grammar;
use crate::lines::{Line, LineKind, Lines};

/// One block of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Indices into [`Lines::lines`] of its text lines, in order, paragraph after
    /// paragraph; at least one.
    lines: Vec<usize>,
    /// Where in `lines` each paragraph but the first starts (empty for one paragraph:
    /// most blocks, and then no allocation).
    para_starts: Vec<usize>,
    /// Page of the first line.
    pub page: u32,
    /// Page of the last line.
    pub last_page: u32,
    /// The first line started with white space (pdf-extract: a table row).
    pub leading_space: bool,
    /// First block of its page.
    pub after_break: bool,
    /// Wrapped lines were separated by empty lines on the same page: a larger font.
    pub spaced_wrap: bool,
    /// The last text line was followed directly by a space-only line: the cell may go on.
    pub open_end: bool,
}

impl Block {
    /// Index of the first line.
    pub fn first(&self) -> usize {
        self.lines[0]
    }

    /// Index of the last line.
    pub fn last(&self) -> usize {
        *self.lines.last().expect("non-empty block")
    }

    /// All line indices.
    pub fn line_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.lines.iter().copied()
    }

    /// The line of a block of one line.
    pub fn single_line(&self) -> Option<usize> {
        (self.lines.len() == 1).then(|| self.first())
    }

    /// Paragraphs, each the indices of at least one text line.
    pub fn paras(&self) -> impl Iterator<Item = &[usize]> + '_ {
        let ends = self.para_starts.iter().copied();
        let starts = std::iter::once(0).chain(ends.clone());
        starts
            .zip(ends.chain(std::iter::once(self.lines.len())))
            .map(|(s, e)| &self.lines[s..e])
    }

    /// The number of paragraphs.
    pub fn para_count(&self) -> usize {
        self.para_starts.len() + 1
    }

    /// Appends `lines` as a new paragraph.
    fn push_para(&mut self, lines: &[usize]) {
        self.para_starts.push(self.lines.len());
        self.lines.extend_from_slice(lines);
    }
}

/// The blocks of an input, and which lines were page furniture.
#[derive(Debug, Clone)]
pub struct Blocks {
    pub blocks: Vec<Block>,
    /// Per line: a running header, footer or page number.
    pub furniture: Vec<bool>,
}

/// Groups lines into blocks.
pub fn build(lines: &Lines) -> Blocks {
    let furniture = crate::furniture::flags(lines);
    let raw = raw_blocks(lines, &furniture);
    let blocks = mend(lines, raw);
    Blocks { blocks, furniture }
}

fn raw_blocks(lines: &Lines, furniture: &[bool]) -> Vec<Block> {
    // Blocks average a few lines (five is on the high side, so no regrowing).
    let mut out: Vec<Block> = Vec::with_capacity(lines.lines.len() / 5 + 1);
    // The block being read: its lines and where its paragraphs start; `open` while its
    // last paragraph takes more lines.
    let mut block: Vec<usize> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut open = false;
    let mut open_end = false;
    let mut last_page = 0;
    let flush =
        |block: &mut Vec<usize>, starts: &mut Vec<usize>, open_end: bool, out: &mut Vec<Block>| {
            if block.is_empty() {
                return;
            }
            let first = &lines.lines[block[0]];
            let last = &lines.lines[*block.last().expect("line")];
            let after_break = out.last().is_none_or(|b| b.last_page != first.page);
            out.push(Block {
                page: first.page,
                last_page: last.page,
                leading_space: first.indent > 0.0,
                after_break,
                spaced_wrap: false,
                open_end,
                // Sized exactly: most blocks are a few lines, and they are kept to the end.
                lines: block.as_slice().into(),
                para_starts: std::mem::take(starts),
            });
            block.clear();
        };
    for (i, line) in lines.lines.iter().enumerate() {
        let kind = if furniture[i] {
            LineKind::Empty
        } else {
            line.kind
        };
        if line.page != last_page {
            flush(&mut block, &mut starts, open_end, &mut out);
            open = false;
            last_page = line.page;
        }
        match kind {
            LineKind::Text => {
                if !open && !block.is_empty() {
                    starts.push(block.len());
                }
                block.push(i);
                open = true;
                open_end = false;
            }
            LineKind::Space => {
                if open {
                    open_end = true;
                    open = false;
                }
            }
            LineKind::Empty => {
                flush(&mut block, &mut starts, open_end, &mut out);
                open = false;
                open_end = false;
            }
        }
    }
    flush(&mut block, &mut starts, open_end, &mut out);
    out
}

/// Cells whose trailing space-only line is their (empty) value cannot go on.
fn is_value_cell(text: &str) -> bool {
    grammar::unit_label(text).is_some()
        || grammar::year_label(text).is_some()
        || grammar::is_bare_years(text)
}

/// Lines that always start something new.
fn starts_structure(text: &str) -> bool {
    grammar::is_row_label(text)
        || grammar::chapter_heading(text).is_some()
        || grammar::caption(text).is_some()
        || grammar::bullet(text).is_some()
}

fn mend(lines: &Lines, raw: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(raw.len());
    let mut raw = raw.into_iter().peekable();
    // Column edges, computed when first needed (PDFs only).
    let mut edges: Option<HashMap<i32, f32>> = None;
    while let Some(block) = raw.next() {
        // A paragraph followed by a unit label names an indicator.
        let names_indicator = raw
            .peek()
            .is_some_and(|n| grammar::unit_label(lines.lines[n.first()].text()).is_some());
        if let Some(prev) = out.last_mut() {
            let first = lines.lines[block.first()].text();
            let prev_first = lines.lines[prev.first()].text();
            let page_break = block.page != prev.last_page;
            let continues_sentence = grammar::starts_lowercase(first)
                && !starts_structure(first)
                && !is_value_cell(prev_first);
            let continues_cell = page_break
                && prev.open_end
                && !starts_structure(first)
                && !is_value_cell(prev_first);
            let continues_target = !names_indicator && continues_target_cell(lines, prev, &block);
            if continues_sentence || continues_cell || continues_target {
                // A target cell's paragraph cut by the page break goes on where its last
                // line left no room for the next word.
                let same_para = continues_target
                    && page_break
                    && fills_its_line(
                        lines,
                        edges.get_or_insert_with(|| column_edges(lines)),
                        prev,
                        &block,
                    );
                let mut paras = block.paras();
                if continues_sentence || same_para {
                    let head = paras.next().expect("non-empty block");
                    prev.lines.extend_from_slice(head);
                    if !page_break {
                        prev.spaced_wrap = true;
                    }
                }
                for p in paras {
                    prev.push_para(p);
                }
                prev.open_end = block.open_end;
                prev.last_page = block.last_page;
                continue;
            }
        }
        out.push(block);
    }
    out
}

/// In a PDF, a paragraph set exactly like the text of the target cell above it (same
/// column, size and weight) is that cell's next paragraph; a text dump shows the same
/// with a space-only line. Heading rows differ from target text in indentation, size,
/// weight or shading, which is how the page shows the reader where the cell ends.
fn continues_target_cell(lines: &Lines, prev: &Block, block: &Block) -> bool {
    let first = &lines.lines[block.first()];
    let last = &lines.lines[prev.last()];
    let (Some(size), Some(last_size)) = (first.font_size, last.font_size) else {
        return false;
    };
    grammar::target_label(lines.lines[prev.first()].text()).is_some()
        && !starts_structure(first.text())
        && (first.indent - last.indent).abs() <= 2.0
        && (size - last_size).abs() <= crate::metrics::SAME_SIZE
        && first.bold == last.bold
        && same_shade(first.shade, last.shade)
}

/// Shading alike: none on either, or luminances within 12 (a house style may tell its
/// heading rows from the text only by their fill).
pub(crate) fn same_shade(a: Option<u8>, b: Option<u8>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.abs_diff(b) <= 12,
        _ => false,
    }
}

/// Right edges of a PDF's columns: per indentation (whole points), the furthest right
/// a line starting there reaches anywhere in the document.
pub(crate) fn column_edges(lines: &Lines) -> HashMap<i32, f32> {
    let mut edges: HashMap<i32, f32> = HashMap::new();
    for l in &lines.lines {
        if let (LineKind::Text, Some(b)) = (l.kind, l.bbox) {
            let e = edges.entry(l.indent.round() as i32).or_insert(b[2]);
            *e = e.max(b[2]);
        }
    }
    edges
}

/// Whether `line` is full: the first word of `next` would not have fitted after it
/// within its column's right edge (see [`column_edges`]). `None` without the boxes or
/// the edge to tell.
pub(crate) fn full_line(edges: &HashMap<i32, f32>, line: &Line, next: &Line) -> Option<bool> {
    let (end, next_box) = (line.bbox?, next.bbox?);
    let at = line.indent.round() as i32;
    let edge = (at - 2..=at + 2)
        .filter_map(|k| edges.get(&k))
        .fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let text = next.text();
    let chars = text.chars().count();
    if !edge.is_finite() || chars == 0 {
        return None;
    }
    let per_char = (next_box[2] - next_box[0]) / chars as f32;
    let word = text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .count();
    Some(end[2] + (word + 1) as f32 * per_char > edge)
}

/// Whether the last line of `prev` is full before the first of `block`.
fn fills_its_line(lines: &Lines, edges: &HashMap<i32, f32>, prev: &Block, block: &Block) -> bool {
    full_line(
        edges,
        &lines.lines[prev.last()],
        &lines.lines[block.first()],
    )
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::split;

    fn texts(lines: &Lines, b: &Block) -> Vec<Vec<String>> {
        b.paras()
            .map(|p| {
                p.iter()
                    .map(|&i| lines.lines[i].text().to_owned())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn rows_and_cell_paragraphs() {
        let l = split(" Heading \n\n Tavoite 2026 One \ntwo \n \nThree \n\n Next ");
        let b = build(&l);
        assert_eq!(b.blocks.len(), 3);
        assert_eq!(
            texts(&l, &b.blocks[1]),
            vec![vec!["Tavoite 2026 One", "two"], vec!["Three"]]
        );
        assert!(b.blocks[0].leading_space);
    }

    #[test]
    fn lower_case_block_continues_a_large_heading() {
        let l = split(" Strateginen linja joka \n\njatkuu tässä. \n\n Tavoite 2026 x");
        let b = build(&l);
        assert_eq!(b.blocks.len(), 2);
        assert!(b.blocks[0].spaced_wrap);
        assert_eq!(
            texts(&l, &b.blocks[0]),
            vec![vec!["Strateginen linja joka", "jatkuu tässä."]]
        );
    }

    #[test]
    fn cell_goes_on_after_page_break_only_when_left_open() {
        let open = " Tavoite 2026 Eka. \n \n\n\n\n   \n\nToka kappale. \n\n Uusi rivi ";
        let l = split(open);
        let b = build(&l);
        assert_eq!(b.blocks.len(), 2, "{:?}", b.blocks);
        assert_eq!(
            texts(&l, &b.blocks[0]),
            vec![vec!["Tavoite 2026 Eka."], vec!["Toka kappale."]]
        );
        assert!(!b.blocks[0].spaced_wrap);
        let closed = " Tavoite 2026 Eka. \n\n \n\n\n\n   \n\nOtsikko \n\n Tavoite 2026 x";
        let l = split(closed);
        assert_eq!(build(&l).blocks.len(), 3);
    }

    #[test]
    fn empty_value_cell_does_not_swallow_next_page() {
        let l = split("Tav 2029 \n \n\n\n\nOtsikko \n\n Tavoite 2026 x");
        assert_eq!(build(&l).blocks.len(), 3);
    }

    /// PDF-like lines: (page, indent, text, right edge); "" is a block break.
    fn pdf(rows: &[(u32, f32, &str, f32)]) -> Lines<'static> {
        let lines = rows
            .iter()
            .enumerate()
            .map(|(n, &(page, indent, text, right))| {
                let kind = if text.is_empty() {
                    LineKind::Empty
                } else {
                    LineKind::Text
                };
                let mut line = crate::lines::Line::new(n as u32 + 1, page, text.to_owned(), kind);
                line.indent = indent;
                line.font_size = Some(10.0);
                line.bold = Some(false);
                line.italic = Some(false);
                line.bbox = Some([indent, 0.0, right, 10.0]);
                line
            })
            .collect();
        Lines {
            lines,
            pages: 2,
            dialect: crate::lines::Dialect::PdfLayout,
        }
    }

    #[test]
    fn a_full_line_before_a_page_break_goes_on_in_the_same_paragraph() {
        // Lines of 5 pt per character; the column reaches 500.
        let rows = |end: f32| {
            pdf(&[
                (1, 0.0, "Tavoite 2027", 60.0),
                (
                    1,
                    100.0,
                    "Pitkä rivi joka täyttää palstan leveyden aivan reunaan",
                    500.0,
                ),
                (1, 100.0, "Lause päättyy.", end),
                (1, 0.0, "", 0.0),
                (2, 100.0, "Seuraava lause.", 175.0),
            ])
        };
        // "Seuraava" (8 characters and a space, 45 pt) does not fit after 470.
        let l = rows(470.0);
        let b = build(&l);
        assert_eq!(b.blocks.len(), 1);
        assert_eq!(
            texts(&l, &b.blocks[0]),
            vec![vec![
                "Tavoite 2027",
                "Pitkä rivi joka täyttää palstan leveyden aivan reunaan",
                "Lause päättyy.",
                "Seuraava lause."
            ]]
        );
        // After 300 it would have: a new paragraph of the same cell.
        let l = rows(300.0);
        let b = build(&l);
        assert_eq!(b.blocks.len(), 1);
        assert_eq!(b.blocks[0].para_count(), 2);
    }

    #[test]
    fn running_footer_is_furniture() {
        let mut text = String::new();
        for p in 8..=11 {
            text.push_str(&format!(
                "{} \n\nTulossopimus 2027 \n\nSivu {p} \n\n\n\n",
                ["Eka", "Toka", "Kolmas", "Neljäs"][p - 8]
            ));
        }
        let l = split(&text);
        let b = build(&l);
        let furniture: Vec<&str> = l
            .lines
            .iter()
            .zip(&b.furniture)
            .filter(|(_, &f)| f)
            .map(|(l, _)| l.text())
            .collect();
        assert_eq!(furniture.len(), 8, "{furniture:?}");
        assert!(furniture
            .iter()
            .all(|t| t.starts_with("Sivu") || t.starts_with("Tulos")));
        assert_eq!(b.blocks.len(), 4);
    }
}
