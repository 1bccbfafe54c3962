//! PDF stage 2: glyphs -> lines with layout features, the type text dumps also reach.
//!
//! Per page and writing direction:
//! 1. fake bold (the same glyph drawn again a fraction of a point away) is folded into
//!    one glyph, which counts as bold;
//! 2. glyphs on one baseline form a row; a row splits into cells where the gap between
//!    two glyphs is wider than `COLUMN_GAP` times the font size (less before a table
//!    label, or after a target label where no space glyph fills the gap), and a space is
//!    put where the gap is wider than [`WORD_GAP`];
//! 3. cell lines stack into blocks: a line continues the block above it when it is in
//!    the same column, size and weight and no more than `LINE_GAP` font sizes below
//!    (a label's content may differ; a label starts a block); a value label with a value
//!    beside it is a cell of its own; blocks are read top to bottom, and blocks that
//!    start on the same band left to right, where grids are put together (labels head
//!    their content, values hang under labels, years make one row);
//! 4. pages are joined: values at the top of a page hang under the label row that
//!    ended the previous one;
//! 5. blocks become [`Line`]s separated by an empty line, which is what a block break
//!    looks like in a text dump, and paragraphs inside a block (wider line spacing,
//!    [`PARAGRAPH_SPACE`]) by a space-only line, so the block stage reads both the same
//!    way.
//!
//! Text in other directions (rotated) follows the page's ordinary text, read in its own
//! frame, and is listed so that the converter can warn about it.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use crate::glyphs::{Glyph, Page};
use crate::grammar;
use crate::lines::{Dialect, Line, LineKind, Lines};
use crate::metrics::{COLUMN_GAP, LINE_GAP, SAME_SIZE};

/// A gap wider than this many font sizes before a table label starts a new cell.
pub const LABEL_GAP: f32 = 0.5;
/// A gap wider than this many font sizes is a space between words.
pub const WORD_GAP: f32 = 0.15;
/// Space between two lines of a block wider than the block's line spacing by more than
/// this many font sizes separates two paragraphs.
pub const PARAGRAPH_SPACE: f32 = 0.15;

/// Between single-line cells joined into one line: a gap that the text grammar reads as
/// a column break (two or more spaces), as in text dumps.
pub const CELL_SEPARATOR: &str = "    ";

/// The lines of a PDF, and where they came from.
#[derive(Debug, Clone)]
pub struct Assembled {
    pub lines: Lines<'static>,
    /// Line numbers (1-based) of rotated text.
    pub rotated: Vec<u32>,
}

/// One cell line while it is assembled.
#[derive(Debug, Clone)]
struct Run {
    text: String,
    /// Left, bottom, right, top in the page's frame (points).
    bbox: [f32; 4],
    /// Baseline.
    y: f32,
    size: f32,
    bold: bool,
    italic: bool,
    trailing_space: bool,
    /// Hung under its label from the next page: its box is on another page.
    carried: bool,
    /// Luminance of the shading under the run, if any.
    shade: Option<u8>,
    /// Left and right of the cells joined into this run (`Line::parts`).
    parts: Vec<[f32; 2]>,
}

/// Assembles the pages' glyphs into lines.
pub fn assemble(pages: &[Page]) -> Assembled {
    let read = stack_pages(pages, page_rows(pages));
    let (lines, rotated) = into_lines(read, margin(pages));
    let pages = pages.last().map_or(0, |p| p.number);
    Assembled {
        lines: Lines {
            lines,
            pages,
            dialect: Dialect::PdfLayout,
        },
        rotated,
    }
}

/// Indentation is measured from the leftmost text of the whole document, so that it
/// means the same on every page.
fn margin(pages: &[Page]) -> f32 {
    let margin = pages
        .iter()
        .flat_map(|p| p.glyphs.iter().filter(|g| g.angle == 0).map(|g| g.x))
        .fold(f32::INFINITY, f32::min);
    if margin.is_finite() {
        margin
    } else {
        0.0
    }
}

/// Each page's rows of cells per direction of its text, ordinary text first. Rows and
/// cells depend on their page alone: they are built for all pages in parallel (most of
/// the work here), and stacked page after page afterwards, where a page takes the
/// labels that ended the one before it.
fn page_rows(pages: &[Page]) -> Vec<Vec<(i16, Vec<Run>)>> {
    use rayon::prelude::*;
    pages
        .par_iter()
        .map(|page| {
            let mut directions: Vec<i16> = page.glyphs.iter().map(|g| g.angle).collect();
            directions.sort_unstable();
            directions.dedup();
            directions.sort_by_key(|&a| a != 0);
            directions
                .into_iter()
                .map(|angle| {
                    let mut runs = rows(page, &placed(page, angle));
                    if angle == 0 {
                        shade_runs(page, &mut runs);
                    }
                    (angle, runs)
                })
                .collect()
        })
        .collect()
}

/// The blocks of one page in one direction.
struct PageBlocks<'p> {
    page: &'p Page,
    angle: i16,
    stacked: Stacked,
}

/// Every page's rows stacked into blocks, page after page: values at the top of a page
/// go under the labels that ended the page before's ordinary text.
fn stack_pages(pages: &[Page], page_rows: Vec<Vec<(i16, Vec<Run>)>>) -> Vec<PageBlocks<'_>> {
    let mut read: Vec<PageBlocks> = Vec::new();
    // The label row that ended the previous page's ordinary text: (x, block) per label.
    let mut carry: Vec<(f32, usize)> = Vec::new();
    let mut carry_from: Option<usize> = None;
    for (page, directions) in pages.iter().zip(page_rows) {
        let mut ordinary = false;
        for (angle, runs) in directions {
            if angle != 0 {
                let stacked = stack(runs, &[]);
                read.push(PageBlocks {
                    page,
                    angle,
                    stacked,
                });
                continue;
            }
            ordinary = true;
            let xs: Vec<f32> = carry.iter().map(|&(x, _)| x).collect();
            let mut stacked = stack(runs, &xs);
            // Values at the top of this page under the labels that ended the last one.
            if let Some(from) = carry_from {
                for (k, mut run) in std::mem::take(&mut stacked.hung) {
                    run.carried = true;
                    read[from].stacked.blocks[carry[k].1].push(run);
                }
            }
            carry = std::mem::take(&mut stacked.trailing_labels);
            carry_from = Some(read.len());
            read.push(PageBlocks {
                page,
                angle,
                stacked,
            });
        }
        if !ordinary {
            carry.clear();
            carry_from = None;
        }
    }
    read
}

/// The blocks as lines, an empty line between blocks and a space-only one before a
/// paragraph; with the numbers of the rotated lines.
fn into_lines(read: Vec<PageBlocks>, margin: f32) -> (Vec<Line<'static>>, Vec<u32>) {
    let mut lines: Vec<Line> = Vec::new();
    let mut rotated = Vec::new();
    for PageBlocks {
        page,
        angle,
        stacked,
    } in read
    {
        for block in stacked_years(stacked.blocks) {
            if !lines.is_empty() {
                push_empty(&mut lines, page.number);
            }
            let breaks = paragraph_breaks(&block);
            for (run, new_paragraph) in block.into_iter().zip(breaks) {
                if new_paragraph {
                    push_space(&mut lines, page.number);
                }
                let number = lines.len() as u32 + 1;
                if angle != 0 {
                    rotated.push(number);
                }
                lines.push(line_of(run, number, page.number, angle, margin));
            }
        }
    }
    (lines, rotated)
}

/// A run as line `number` of the document.
fn line_of(run: Run, number: u32, page: u32, angle: i16, margin: f32) -> Line<'static> {
    let kind = if run.text.trim().is_empty() {
        LineKind::Space
    } else {
        LineKind::Text
    };
    let mut line = Line::new(number, page, nfc(run.text), kind);
    line.indent = if angle == 0 {
        (run.bbox[0] - margin).max(0.0)
    } else {
        0.0
    };
    line.trailing_space = run.trailing_space;
    line.font_size = Some(run.size);
    line.bold = Some(run.bold);
    line.italic = Some(run.italic);
    line.shade = run.shade;
    // Cell edges are kept only for upright text, in the page's own frame.
    if angle == 0 && !run.carried {
        line.parts = run.parts;
    }
    // A value carried over from the next page is reported on its cell's page, without a
    // box there.
    line.bbox = if run.carried {
        None
    } else if angle == 0 {
        Some(run.bbox)
    } else {
        Some(unrotate(run.bbox, angle))
    };
    line
}

/// Each run's shading: the topmost fill under the middle of its first line, unless the
/// fill covers most of the page (a page background says nothing about the run).
fn shade_runs(page: &Page, runs: &mut [Run]) {
    if page.fills.is_empty() {
        return;
    }
    let [x0, y0, x1, y1] = page.media;
    let page_area = ((x1 - x0) * (y1 - y0)).abs();
    for run in runs {
        let x = (run.bbox[0] + run.bbox[2]) / 2.0;
        let y = run.y + 0.3 * run.size;
        run.shade = page
            .fills
            .iter()
            .rev()
            .find(|f| {
                let [l, b, r, t] = f.bbox;
                (l..=r).contains(&x) && (b..=t).contains(&y) && (r - l) * (t - b) < 0.5 * page_area
            })
            .map(|f| f.shade);
    }
}

/// Text dumps are decoded to NFC; PDF text is brought to the same form.
fn nfc(text: String) -> String {
    use unicode_normalization::{is_nfc, UnicodeNormalization};
    if is_nfc(&text) {
        text
    } else {
        text.nfc().collect()
    }
}

fn push_empty(lines: &mut Vec<Line>, page: u32) {
    lines.push(Line::new(lines.len() as u32 + 1, page, "", LineKind::Empty));
}

/// A paragraph break inside a block: a space-only line, as a text dump shows one.
fn push_space(lines: &mut Vec<Line>, page: u32) {
    push_empty(lines, page);
    let line = lines.last_mut().expect("just pushed");
    line.set_raw(" ");
    line.kind = LineKind::Space;
}

/// Per line of a block: whether a new paragraph starts there. Paragraphs of one block
/// are set with more space between them than between their lines: a line further below
/// the previous one than the block's closest line spacing by more than
/// [`PARAGRAPH_SPACE`] font sizes starts one. A block of two lines has no spacing to
/// compare with and stays one paragraph. A line set upright after a slanted one, or
/// slanted after an upright one, starts a paragraph too (a heading set like the text,
/// its description in italics right below it).
fn paragraph_breaks(block: &[Run]) -> Vec<bool> {
    let gaps: Vec<f32> = block.windows(2).map(|w| w[0].y - w[1].y).collect();
    let pitch = gaps
        .iter()
        .copied()
        .filter(|&g| g > 0.0)
        .fold(f32::INFINITY, f32::min);
    let mut out = vec![false; block.len()];
    for (k, w) in block.windows(2).enumerate() {
        out[k + 1] = w[0].italic != w[1].italic;
    }
    if gaps.iter().filter(|&&g| g > 0.0).count() < 2 {
        return out;
    }
    for (k, &gap) in gaps.iter().enumerate() {
        let size = block[k + 1].size;
        out[k + 1] |= gap > pitch + PARAGRAPH_SPACE * size;
    }
    out
}

/// A glyph in the frame of its writing direction.
#[derive(Clone, Copy)]
struct Placed {
    x: f32,
    y: f32,
    size: f32,
    advance: f32,
    bold: bool,
    italic: bool,
    index: usize,
}

fn rotate(x: f32, y: f32, angle: i16) -> (f32, f32) {
    let (s, c) = (f32::from(angle)).to_radians().sin_cos();
    (x * c + y * s, -x * s + y * c)
}

/// A box from a direction's frame back to the page's (the bounding box of its corners).
fn unrotate(b: [f32; 4], angle: i16) -> [f32; 4] {
    let corners = [(b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3])];
    let mut out = [
        f32::INFINITY,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NEG_INFINITY,
    ];
    for (x, y) in corners {
        let (x, y) = rotate(x, y, -angle);
        out = [out[0].min(x), out[1].min(y), out[2].max(x), out[3].max(y)];
    }
    out
}

/// Hashes a grid cell (two `i32`s) with one multiply each (the FxHash step): the
/// standard SipHash of the cell key took most of the time of folding fake bold. The
/// cells are glyph positions, chosen by the PDF, so the hash starts from a seed drawn
/// once per process ([`CellState`]): a file cannot be made of cells that collide on
/// every run.
struct CellHasher(u64);

/// Builds [`CellHasher`]s from the process's seed.
#[derive(Clone, Copy)]
struct CellState(u64);

impl Default for CellState {
    fn default() -> Self {
        static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        CellState(
            *SEED.get_or_init(|| std::collections::hash_map::RandomState::new().hash_one(0u64)),
        )
    }
}

impl BuildHasher for CellState {
    type Hasher = CellHasher;
    fn build_hasher(&self) -> CellHasher {
        CellHasher(self.0)
    }
}

impl Hasher for CellHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_i32(&mut self, n: i32) {
        self.write_u64(u64::from(n as u32));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        // The well-mixed high bits pick the bucket (as rustc-hash 2 does), not low bits
        // that depend on the cells' low bits alone.
        self.0.rotate_left(26)
    }
}

/// Bits of the filter of occupied cells in [`placed`] (a power of two; 8 kB).
const OCCUPIED_BITS: usize = 1 << 16;

// Long: the layout stage's loop over every glyph of the document, with its duplicate
// grid inline; a split (the grid as a type of its own) should be measured with
// `benches/stages.rs` first.
/// The page's glyphs of one direction, fake bold folded.
fn placed(page: &Page, angle: i16) -> Vec<Placed> {
    // Sized for the page's glyphs up front: growing the grid rehashes it every time.
    let mut out: Vec<Placed> = Vec::with_capacity(page.glyphs.len());
    // Grid of kept glyphs by their rounded position, for finding a duplicate nearby:
    // each cell holds its first and last glyph (indices into `out`), and `next` chains
    // a cell's glyphs in the order they were kept. Hashed with `CellHasher` and
    // without a vector per cell: this runs for every glyph of the document.
    let mut grid: HashMap<(i32, i32), (usize, usize), CellState> =
        HashMap::with_capacity_and_hasher(page.glyphs.len(), Default::default());
    let mut next: Vec<usize> = Vec::with_capacity(page.glyphs.len());
    // Which cells may be in the grid, one bit per hashed cell: most neighbouring cells
    // are empty, and a clear bit answers that without a lookup (a set bit is checked).
    let mut occupied = vec![0u64; OCCUPIED_BITS / 64];
    let bit = |cell: (i32, i32)| {
        let h = (u64::from(cell.0 as u32).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ^ u64::from(cell.1 as u32))
        .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        (h >> (64 - OCCUPIED_BITS.trailing_zeros())) as usize
    };
    for (index, g) in page
        .glyphs
        .iter()
        .enumerate()
        .filter(|(_, g)| g.angle == angle)
    {
        let (x, y) = rotate(g.x, g.y, angle);
        let cell = ((x / 2.0).round() as i32, (y / 2.0).round() as i32);
        let text = page.char(g);
        if !text.trim().is_empty() {
            let is_copy = |k: usize| {
                let o: &Placed = &out[k];
                let other: &Glyph = &page.glyphs[o.index];
                other.word != g.word
                    && page.char(other) == text
                    && (o.x - x).abs() < 0.1 * g.size
                    && (o.y - y).abs() < 0.1 * g.size
            };
            // The neighbouring cells in order, each cell's glyphs in the order kept.
            let mut near = None;
            'cells: for dx in -1..=1 {
                for dy in -1..=1 {
                    let near_cell = (cell.0 + dx, cell.1 + dy);
                    let b = bit(near_cell);
                    if occupied[b / 64] & (1 << (b % 64)) == 0 {
                        continue;
                    }
                    let Some(&(first, _)) = grid.get(&near_cell) else {
                        continue;
                    };
                    let mut k = first;
                    while k != usize::MAX {
                        if is_copy(k) {
                            near = Some(k);
                            break 'cells;
                        }
                        k = next[k];
                    }
                }
            }
            if let Some(k) = near {
                out[k].bold = true;
                continue;
            }
        }
        let kept = out.len();
        next.push(usize::MAX);
        let b = bit(cell);
        occupied[b / 64] |= 1 << (b % 64);
        grid.entry(cell)
            .and_modify(|(_, last)| {
                next[*last] = kept;
                *last = kept;
            })
            .or_insert((kept, kept));
        out.push(Placed {
            x,
            y,
            size: g.size,
            advance: g.advance,
            bold: page.font(g).bold,
            italic: page.font(g).italic,
            index,
        });
    }
    out
}

/// Glyphs on one baseline, split into cells at wide gaps.
fn rows(page: &Page, glyphs: &[Placed]) -> Vec<Run> {
    let mut order: Vec<usize> = (0..glyphs.len()).collect();
    // Top to bottom, then left to right.
    order.sort_by(|&a, &b| {
        glyphs[b]
            .y
            .total_cmp(&glyphs[a].y)
            .then(glyphs[a].x.total_cmp(&glyphs[b].x))
    });
    let mut out = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let first = &glyphs[order[i]];
        let tolerance = 0.3 * first.size;
        let mut j = i + 1;
        while j < order.len() && (first.y - glyphs[order[j]].y).abs() <= tolerance {
            j += 1;
        }
        let mut row: Vec<&Placed> = order[i..j].iter().map(|&k| &glyphs[k]).collect();
        let starts_inside = in_string_order(page, &mut row);
        cells(page, &row, &starts_inside, &mut out);
        i = j;
    }
    out
}

/// Left to right by the strings the glyphs were shown in: each string from where it
/// starts, its glyphs together. A string that overlaps the next one (a row number too
/// wide for its column, running into the title) keeps its glyphs, as pdftotext's words
/// do, instead of interleaving with the other's.
/// Returns where, in the new order, a string starts left of the last glyph of the
/// string before it (glyph origins, which are exact: advances are not always).
fn in_string_order(page: &Page, row: &mut [&Placed]) -> Vec<usize> {
    row.sort_by(|a, b| a.x.total_cmp(&b.x));
    let word = |g: &Placed| page.glyphs[g.index].word;
    // Strings shown left to right, as nearly always: none can resume after another.
    if row.windows(2).all(|w| word(w[0]) <= word(w[1])) {
        return Vec::new();
    }
    // Interleaved: a string's glyphs resume after another string's began.
    let mut passed = std::collections::HashSet::new();
    let interleaved = row.windows(2).any(|w| {
        if word(w[0]) != word(w[1]) {
            passed.insert(word(w[0]));
        }
        passed.contains(&word(w[1]))
    });
    if !interleaved {
        return Vec::new();
    }
    let mut starts: HashMap<u32, f32> = HashMap::new();
    for g in row.iter() {
        starts.entry(word(g)).or_insert(g.x);
    }
    row.sort_by(|a, b| {
        starts[&word(a)]
            .total_cmp(&starts[&word(b)])
            .then(word(a).cmp(&word(b)))
            .then(a.x.total_cmp(&b.x))
    });
    (1..row.len())
        .filter(|&k| word(row[k - 1]) != word(row[k]) && row[k].x < row[k - 1].x)
        .collect()
}

/// `starts_inside`: positions in `row` where a string starts inside the one before it.
fn cells(page: &Page, row: &[&Placed], starts_inside: &[usize], out: &mut Vec<Run>) {
    let mut run: Option<Run> = None;
    // Characters: bold, italic, all.
    let mut counts = [0usize; 3];
    // Right end of the last visible glyph: spaces do not bridge a column gap.
    let mut end = f32::NEG_INFINITY;
    let mut finish = |run: &mut Option<Run>, counts: &mut [usize; 3]| {
        if let Some(mut r) = run.take() {
            let [bold, italic, chars] = *counts;
            r.bold = chars > 0 && bold * 2 > chars;
            r.italic = chars > 0 && italic * 2 > chars;
            r.trailing_space = r.text.ends_with(char::is_whitespace);
            r.text.truncate(r.text.trim_end().len());
            out.push(r);
        }
        *counts = [0; 3];
    };
    for (at, g) in row.iter().enumerate() {
        let text = page.char(&page.glyphs[g.index]);
        let blank = text.trim().is_empty();
        let gap = g.x - end;
        if let Some(r) = run.as_ref().filter(|_| !blank) {
            if parts_cells(page, &row[at..], gap, g.size, r) {
                finish(&mut run, &mut counts);
            }
        }
        if blank && run.as_ref().is_none_or(|r| r.text.is_empty()) {
            // Leading white space carries no text; indentation comes from the first
            // visible glyph.
            continue;
        }
        let r = run.get_or_insert_with(|| Run {
            text: String::new(),
            bbox: [g.x, g.y - 0.25 * g.size, g.x, g.y + 0.8 * g.size],
            y: g.y,
            size: 0.0,
            bold: false,
            italic: false,
            trailing_space: false,
            carried: false,
            shade: None,
            parts: Vec::new(),
        });
        // A string that starts back inside the last one (they overlap) is a word of
        // its own, as in pdftotext.
        let overlaps = starts_inside.contains(&at);
        if !blank
            && !r.text.is_empty()
            && !r.text.ends_with(char::is_whitespace)
            && (gap > WORD_GAP * g.size || overlaps)
        {
            r.text.push(' ');
        }
        r.text.push_str(text);
        if !blank {
            r.bbox[2] = r.bbox[2].max(g.x + g.advance);
            r.bbox[1] = r.bbox[1].min(g.y - 0.25 * g.size);
            r.bbox[3] = r.bbox[3].max(g.y + 0.8 * g.size);
            r.size = r.size.max(g.size);
            let n = text.chars().count();
            counts[2] += n;
            if g.bold {
                counts[0] += n;
            }
            if g.italic {
                counts[1] += n;
            }
            end = g.x + g.advance;
        }
    }
    finish(&mut run, &mut counts);
}

/// Whether the row from this glyph on starts with a results-table label.
fn starts_label(page: &Page, rest: &[&Placed]) -> bool {
    let mut text = String::new();
    let mut end = f32::NEG_INFINITY;
    for g in rest.iter().take(16) {
        if !text.is_empty() && g.x - end > WORD_GAP * g.size {
            text.push(' ');
        }
        text.push_str(page.char(&page.glyphs[g.index]));
        end = g.x + g.advance;
    }
    let text = text.trim();
    grammar::target_label(text).is_some()
        || grammar::unit_label(text).is_some()
        || grammar::year_label(text).is_some()
}

/// Whether a gap of `gap` before the glyphs `rest` (of `size`) ends the cell `run`: a
/// column gap does.
fn parts_cells(page: &Page, rest: &[&Placed], gap: f32, size: f32, run: &Run) -> bool {
    // Grid cells can sit closer than a column gap; a table label ("Tav 2027") after
    // more than a word space still starts its own cell, and a year label right after
    // another, however close: a narrow grid's "Tot 2022 Arv 2023" is two labels.
    let label_cell = (gap > LABEL_GAP * size
        || gap > WORD_GAP * size && ends_in_year_label(&run.text))
        && starts_label(page, rest);
    // A target's label ("Tavoite 2027") then a gap that no space glyph fills: the text
    // is in the next cell, however narrow the label's column.
    let after_label = gap > WORD_GAP * size
        && !run.text.ends_with(char::is_whitespace)
        && bare_target_label(&run.text);
    gap > COLUMN_GAP * size || label_cell || after_label
}

/// Whether `text` ends with a whole year label ("... Tot 2022").
fn ends_in_year_label(text: &str) -> bool {
    let text = text.trim_end();
    let Some(space) = text.rfind(' ') else {
        return false;
    };
    let year = &text[space + 1..];
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let label = text[..space].rfind(' ').map_or(0, |i| i + 1);
    grammar::year_label(&text[label..]).is_some()
}

fn is_year(text: &str) -> bool {
    grammar::single_year(text).is_some() && text.len() == 4
}

/// A row of one or more years, rising ("2027", "2027 2028"): a value of four digits
/// beside a year ("2023 6100") is no year header.
fn years(text: &str) -> bool {
    let mut last = None;
    text.split(' ').all(|w| {
        let rises = is_year(w) && last.is_none_or(|l| l < w);
        last = Some(w);
        rises
    })
}

/// Whether the years of `next` go on after those of `row` (both rows of years).
fn years_go_on(row: &str, next: &str) -> bool {
    let last = row.rsplit(' ').next();
    let first = next.split(' ').next();
    years(row) && years(next) && last < first
}

/// One page's blocks, and what a grid split by the page break needs.
struct Stacked {
    blocks: Vec<Vec<Run>>,
    /// Values at the top of the page (after at most a running header) under the labels
    /// that ended the previous page: (index of the label, value).
    hung: Vec<(usize, Run)>,
    /// A row of table labels that ends the page (before at most a footer), its values
    /// to come on the next: (x, block) per label.
    trailing_labels: Vec<(f32, usize)>,
}

/// At most this many single-line blocks (a running header or footer) may stand between
/// a grid's label row and its values on the next page.
const FURNITURE_BLOCKS: usize = 2;

/// Cell lines into blocks: a line joins the block whose last line is just above it in
/// the same column. `carry`: the x of each label in a label row that ended the previous
/// page.
fn stack(runs: Vec<Run>, carry: &[f32]) -> Stacked {
    let mut stacker = Stacker {
        carry,
        out: Vec::new(),
        hung: Vec::new(),
        previous: Vec::new(),
        label_row: None,
    };
    for band in bands(columns(runs)) {
        stacker.band(band);
    }
    stacker.finish()
}

/// Runs, top to bottom, into blocks: each joins the open block whose last line is just
/// above it in the same column, with the same size and weight (but for labels).
fn columns(runs: Vec<Run>) -> Vec<Vec<Run>> {
    let mut blocks: Vec<Vec<Run>> = Vec::new();
    // Blocks still open for a next line: index into `blocks`.
    let mut open: Vec<usize> = Vec::new();
    for (run, value) in label_values(runs) {
        let y = run.y;
        if let Some(value) = value {
            // A value label and its value side by side: one cell of a stacked grid,
            // closed, as a text dump gives it (label, then value).
            blocks.push(vec![run, value]);
            continue;
        }
        let joins = open.iter().position(|&b| continues(&blocks[b], &run));
        match joins {
            Some(k) => blocks[open[k]].push(run),
            None => {
                open.push(blocks.len());
                blocks.push(vec![run]);
            }
        }
        // Runs come top to bottom: a block whose last line lies far above this one is
        // closed for good.
        open.retain(|&b| {
            let last = blocks[b].last().expect("non-empty block");
            last.y - y <= 2.0 * LINE_GAP * last.size
        });
    }
    blocks
}

/// Whether `run` goes on in `block`, just below its last line in the same column.
fn continues(block: &[Run], run: &Run) -> bool {
    let last = block.last().expect("non-empty block");
    let below = last.y - run.y;
    let same_column = run.bbox[0] < last.bbox[2] && last.bbox[0] < run.bbox[2];
    below > 0.0
        && below <= LINE_GAP * last.size.max(run.size)
        && same_column
        // A change of size or weight is a heading meeting its text; a label heads its
        // cell whatever the weight of its content (a target's label whatever its size
        // too), and starts a new one (labels stacked one per line).
        && (bare_target_label(&last.text)
            || ((run.size - last.size).abs() <= SAME_SIZE
                && (run.bold == last.bold || grammar::is_row_label(&last.text))))
        && !grammar::is_row_label(&run.text)
        && !value_label(&run.text)
}

/// A block with what places it in reading order: the top and left of its first line,
/// and that line's size.
struct Keyed {
    top: f32,
    left: f32,
    size: f32,
    runs: Vec<Run>,
}

impl Keyed {
    fn new(runs: Vec<Run>) -> Keyed {
        Keyed {
            top: runs[0].bbox[3],
            left: runs[0].bbox[0],
            size: runs[0].size,
            runs,
        }
    }

    /// The text of its first line.
    fn first(&self) -> &str {
        &self.runs[0].text
    }

    /// Its one line, when it has no other.
    fn single(&self) -> Option<&Run> {
        match self.runs.as_slice() {
            [run] => Some(run),
            _ => None,
        }
    }

    /// Its first line, for a block known to have one line.
    fn into_line(self) -> Run {
        self.runs.into_iter().next().expect("one line")
    }
}

/// Blocks in reading order: bands of blocks whose tops lie within half the first one's
/// size, top to bottom, each band left to right with its year headers and bare labels
/// joined as a text dump shows them.
fn bands(blocks: Vec<Vec<Run>>) -> Vec<Vec<Keyed>> {
    let mut keyed: Vec<Keyed> = blocks.into_iter().map(Keyed::new).collect();
    keyed.sort_by(|a, b| b.top.total_cmp(&a.top));
    let mut bands = Vec::new();
    let mut rest = keyed.into_iter().peekable();
    while let Some(first) = rest.next() {
        let (top, reach) = (first.top, 0.5 * first.size);
        let mut band = vec![first];
        while let Some(next) = rest.next_if(|k| top - k.top <= reach) {
            band.push(next);
        }
        band.sort_by(|a, b| a.left.total_cmp(&b.left));
        join_years(&mut band);
        join_bare_labels(&mut band);
        bands.push(band);
    }
    bands
}

/// Year column headers side by side read as one row of years ("2024 2025"), as text
/// dumps give them.
fn join_years(band: &mut Vec<Keyed>) {
    let year = |g: &Keyed| g.single().is_some_and(|r| years(&r.text));
    let mut k = 0;
    while k + 1 < band.len() {
        if year(&band[k]) && year(&band[k + 1]) && years_go_on(band[k].first(), band[k + 1].first())
        {
            let next = band.remove(k + 1).into_line();
            let row = &mut band[k].runs[0];
            row.text.push(' ');
            row.text.push_str(&next.text);
            join_parts(row, &next);
            row.bbox = union(row.bbox, next.bbox);
        } else {
            k += 1;
        }
    }
}

/// A label alone in its cell ("Tavoite 2026") heads the cell to its right, as a text
/// dump shows them: label first, then its content.
fn join_bare_labels(band: &mut Vec<Keyed>) {
    let mut k = 0;
    while k + 1 < band.len() {
        let label = band[k]
            .single()
            .is_some_and(|r| grammar::bare_label(&r.text));
        let content = !grammar::is_row_label(band[k + 1].first());
        if label && content {
            let mut lines = band.remove(k).runs;
            lines.append(&mut band[k].runs);
            band[k].runs = lines;
        }
        k += 1;
    }
}

/// A block emitted in the band just read: its left edge, its bottom, its index in the
/// page's blocks.
#[derive(Clone, Copy)]
struct Emitted {
    left: f32,
    bottom: f32,
    block: usize,
}

/// The page's blocks as the bands are read, and what a value grid needs of the bands
/// before: the band just emitted, the last row of labels.
struct Stacker<'c> {
    carry: &'c [f32],
    out: Vec<Vec<Run>>,
    hung: Vec<(usize, Run)>,
    previous: Vec<Emitted>,
    /// The last row of labels met: (x, block) per label, and the block count after it.
    label_row: Option<(Vec<(f32, usize)>, usize)>,
}

impl Stacker<'_> {
    /// One band: values hung under the last page's labels, values under this page's
    /// labels, or blocks of their own.
    fn band(&mut self, band: Vec<Keyed>) {
        if self.carried(&band) {
            for g in band {
                let k = self
                    .carry
                    .iter()
                    .position(|&x| (g.left - x).abs() <= 3.0)
                    .expect("matched above");
                self.hung.push((k, g.into_line()));
            }
            return;
        }
        if let Some(labels) = self.under_labels(&band) {
            for (g, b) in band.into_iter().zip(labels) {
                self.out[b].push(g.into_line());
            }
            // The grid is filled: what comes below is something else.
            self.previous.clear();
            self.label_row = None;
            return;
        }
        self.emit(band);
    }

    /// The first row of a page, under at most a running header, under the labels that
    /// ended the last page: their values, split from them by the page break.
    fn carried(&self, band: &[Keyed]) -> bool {
        let page_top = self.out.len() <= FURNITURE_BLOCKS && self.out.iter().all(|b| b.len() == 1);
        page_top
            && self.hung.is_empty()
            && band.len() >= 2
            && band.iter().all(|g| {
                g.runs.len() == 1
                    && !grammar::is_row_label(g.first())
                    && self.carry.iter().any(|&x| (g.left - x).abs() <= 3.0)
            })
    }

    /// A row of single-line cells under a row of table labels, each cell under one of
    /// them: the values of a grid, read column by column as text dumps do; the label's
    /// block for each cell. A single cell (the other values unset) only under a row of
    /// nothing but labels, and set no larger than the labels.
    fn under_labels(&self, band: &[Keyed]) -> Option<Vec<usize>> {
        let out = &self.out;
        let single = band.len() == 1;
        let all_labels = || {
            self.previous
                .iter()
                .all(|p| grammar::is_row_label(&out[p.block][0].text))
        };
        let label_above = |g: &Keyed| {
            self.previous.iter().find_map(|p| {
                // A label that holds its value already takes no other.
                // A lone value sits right under its label; a row of values may stand
                // a little apart as a whole.
                let reach = if single { 1.5 } else { 3.0 };
                let label = &out[p.block];
                let takes = (g.left - p.left).abs() <= 3.0
                    && p.bottom - g.top <= reach * g.size
                    && label.len() == 1
                    && grammar::is_row_label(&label[0].text)
                    && (!single || g.runs[0].size <= label[0].size + SAME_SIZE);
                takes.then_some(p.block)
            })
        };
        let values = band
            .iter()
            .all(|g| g.runs.len() == 1 && !grammar::is_row_label(g.first()));
        if self.previous.len() >= 2 && (!single || all_labels()) && values {
            band.iter().map(label_above).collect()
        } else {
            None
        }
    }

    /// A band as blocks of its own: single-line cells side by side as one line, else
    /// each block; remembered as the band above the next, and as a label row if it is one.
    fn emit(&mut self, band: Vec<Keyed>) {
        let first_new = self.out.len();
        let one_row = band.len() > 1
            && !band.iter().any(|g| grammar::is_row_label(g.first()))
            && band.iter().all(|g| {
                g.runs.len() == 1 && (g.runs[0].y - band[0].runs[0].y).abs() <= 0.3 * g.size
            });
        if one_row {
            self.out.push(vec![one_line(band)]);
        } else {
            self.out.extend(band.into_iter().map(|g| g.runs));
        }
        let out = &self.out;
        self.previous = out[first_new..]
            .iter()
            .enumerate()
            .map(|(k, b)| Emitted {
                left: b[0].bbox[0],
                bottom: b.iter().map(|r| r.bbox[1]).fold(f32::INFINITY, f32::min),
                block: first_new + k,
            })
            .collect();
        let labels = self.previous.len() >= 2
            && self
                .previous
                .iter()
                .all(|p| out[p.block].len() == 1 && grammar::is_row_label(&out[p.block][0].text));
        if labels {
            let row = self.previous.iter().map(|p| (p.left, p.block)).collect();
            self.label_row = Some((row, out.len()));
        }
    }

    /// The page's blocks, and the label row that ends it, if one does (before at most a
    /// footer).
    fn finish(self) -> Stacked {
        let out = self.out;
        let trailing_labels = match self.label_row {
            Some((row, end))
                if out.len() - end <= FURNITURE_BLOCKS
                    && out[end..].iter().all(|b| b.len() == 1) =>
            {
                row
            }
            _ => Vec::new(),
        };
        Stacked {
            blocks: out,
            hung: self.hung,
            trailing_labels,
        }
    }
}

/// Single-line cells side by side (a signature line, a label and its value) read as one
/// line with a wide gap, as text dumps show them.
/// Records the cells of `row` and `next`, about to be joined, in `row.parts`.
fn join_parts(row: &mut Run, next: &Run) {
    let own = |r: &Run| vec![[r.bbox[0], r.bbox[2]]];
    if row.parts.is_empty() {
        row.parts = own(row);
    }
    if next.parts.is_empty() {
        row.parts.extend(own(next));
    } else {
        row.parts.extend(next.parts.iter().copied());
    }
}

fn one_line(band: Vec<Keyed>) -> Run {
    let mut cells = band.into_iter().map(Keyed::into_line);
    let mut row = cells.next().expect("two cells");
    for cell in cells {
        row.text.push_str(CELL_SEPARATOR);
        row.text.push_str(&cell.text);
        join_parts(&mut row, &cell);
        row.bbox = union(row.bbox, cell.bbox);
        row.size = row.size.max(cell.size);
        row.bold &= cell.bold;
        row.italic &= cell.italic;
        row.trailing_space = cell.trailing_space;
    }
    row
}

/// Year column headers stacked one per line in one column, without values (a grid
/// printed label by label), read as one row of years, as side by side.
fn stacked_years(blocks: Vec<Vec<Run>>) -> Vec<Vec<Run>> {
    let mut out: Vec<Vec<Run>> = Vec::with_capacity(blocks.len());
    for block in blocks {
        if let (Some(prev), [next]) = (out.last_mut(), block.as_slice()) {
            if let [row] = prev.as_mut_slice() {
                let below = row.y - next.y;
                if years(&row.text)
                    && is_year(&next.text)
                    && years_go_on(&row.text, &next.text)
                    && (row.bbox[0] - next.bbox[0]).abs() <= 3.0
                    && below > 0.0
                    && below <= LINE_GAP * row.size.max(next.size)
                {
                    row.text.push(' ');
                    row.text.push_str(&next.text);
                    row.bbox = union(row.bbox, next.bbox);
                    row.y = next.y;
                    continue;
                }
            }
        }
        out.push(block);
    }
    out
}

/// "Tavoite 2027" alone on its line: the target's text follows below.
fn bare_target_label(text: &str) -> bool {
    grammar::target_label(text).is_some_and(|(_, rest)| rest.is_empty())
}

/// Whether a line is a label of an indicator's value grid ("Mittayksikkö", "Tav 2027",
/// "2027"), which a value can follow on the same line.
fn value_label(text: &str) -> bool {
    grammar::unit_label(text).is_some_and(str::is_empty)
        || grammar::year_label(text).is_some_and(|(_, _, rest)| rest.is_empty())
        || is_year(text)
}

/// Pairs each value label with the value cell just right of it on the same baseline
/// (a grid stacked one label per line: "Tav 2027   ≥ 95"). A label with no cell beside
/// it (an unset value) or beside another label (a grid laid out side by side) stays
/// alone.
fn label_values(runs: Vec<Run>) -> Vec<(Run, Option<Run>)> {
    let mut out: Vec<(Run, Option<Run>)> = Vec::with_capacity(runs.len());
    let mut runs = runs.into_iter().peekable();
    while let Some(run) = runs.next() {
        let value = if value_label(&run.text) {
            runs.next_if(|next| {
                (next.y - run.y).abs() <= 0.3 * run.size
                    && next.bbox[0] > run.bbox[2]
                    && !grammar::is_row_label(&next.text)
                    && !value_label(&next.text)
            })
        } else {
            None
        };
        out.push((run, value));
    }
    out
}

fn union(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glyphs::{Font, Glyph};

    /// A page from (x, y, size, text, bold) strings laid out glyph by glyph with a fixed
    /// advance of half the size.
    fn page(strings: &[(f32, f32, f32, &str, bool)]) -> Page {
        let mut p = Page {
            number: 1,
            media: [0.0, 0.0, 595.0, 842.0],
            glyphs: Vec::new(),
            text: String::new(),
            fonts: vec![
                Font {
                    name: "Helvetica".into(),
                    bold: false,
                    italic: false,
                },
                Font {
                    name: "Helvetica-Bold".into(),
                    bold: true,
                    italic: false,
                },
            ],
            count: Default::default(),
            fonts_known: true,
            fills: Vec::new(),
        };
        for (w, &(x, y, size, s, bold)) in strings.iter().enumerate() {
            let mut x = x;
            for c in s.chars() {
                let start = p.text.len() as u32;
                p.text.push(c);
                p.glyphs.push(Glyph {
                    x,
                    y,
                    size,
                    advance: size * 0.5,
                    angle: 0,
                    font: u16::from(bold),
                    word: w as u32 + 1,
                    start,
                    len: c.len_utf8() as u16,
                });
                x += size * 0.5;
            }
        }
        p
    }

    fn texts(a: &Assembled) -> Vec<&str> {
        a.lines.lines.iter().map(|l| l.raw()).collect()
    }

    #[test]
    fn a_line_takes_the_topmost_shading_under_it_but_not_a_page_background() {
        use crate::glyphs::Fill;
        let mut p = page(&[
            (72.0, 700.0, 10.0, "Otsikko", true),
            (72.0, 650.0, 10.0, "Tavallinen", false),
            (72.0, 600.0, 10.0, "Vaalea", false),
        ]);
        p.fills = vec![
            // The whole page: a background, not shading.
            Fill {
                bbox: [0.0, 0.0, 595.0, 842.0],
                shade: 200,
            },
            Fill {
                bbox: [60.0, 690.0, 400.0, 715.0],
                shade: 40,
            },
            Fill {
                bbox: [60.0, 590.0, 400.0, 615.0],
                shade: 230,
            },
            // Drawn later, on top of the one before it.
            Fill {
                bbox: [60.0, 595.0, 300.0, 610.0],
                shade: 120,
            },
        ];
        let a = assemble(&[p]);
        let shades: Vec<_> = a
            .lines
            .lines
            .iter()
            .filter(|l| !l.raw().is_empty())
            .map(|l| l.shade)
            .collect();
        assert_eq!(shades, [Some(40), None, Some(120)]);
    }

    #[test]
    fn rows_cells_and_blocks_in_reading_order() {
        let p = page(&[
            (72.0, 700.0, 10.0, "Mittayksikkö", true),
            (200.0, 700.0, 10.0, "Tav 2026", true),
            (300.0, 700.0, 10.0, "Tav 2027", true),
            (72.0, 688.0, 10.0, "kpl", false),
            (200.0, 688.0, 10.0, "5", false),
            (300.0, 688.0, 10.0, "6", false),
            (72.0, 650.0, 10.0, "Seuraava", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(
            texts(&a),
            vec![
                "Mittayksikkö",
                "kpl",
                "",
                "Tav 2026",
                "5",
                "",
                "Tav 2027",
                "6",
                "",
                "Seuraava"
            ]
        );
        let l = &a.lines.lines[0];
        assert_eq!(
            (l.bold, l.font_size, l.indent),
            (Some(true), Some(10.0), 0.0)
        );
        assert_eq!(a.lines.lines[3].indent, 128.0);
        assert_eq!(a.lines.lines[4].bold, Some(false));
    }

    #[test]
    fn a_string_running_into_the_next_keeps_its_glyphs() {
        // A row number too wide for its column: "1.1.1.1.1" (5 pt a glyph) ends at 117,
        // the title starts at 100; read in x order the glyphs would interleave.
        let p = page(&[
            (72.0, 700.0, 10.0, "1.1.1.1.1", false),
            (100.0, 700.0, 10.0, "Talous", false),
        ]);
        assert_eq!(texts(&assemble(&[p])), vec!["1.1.1.1.1 Talous"]);
        // Ordinary strings side by side are untouched.
        let p = page(&[
            (72.0, 700.0, 10.0, "1.1", false),
            (90.0, 700.0, 10.0, "Talous", false),
        ]);
        assert_eq!(texts(&assemble(&[p])), vec!["1.1 Talous"]);
    }

    #[test]
    fn word_gaps_become_spaces_and_fake_bold_folds() {
        // "Tavoite" drawn twice 0.3 pt apart, then "2026" a word gap away.
        let p = page(&[
            (72.0, 700.0, 10.0, "Tavoite", false),
            (72.3, 700.0, 10.0, "Tavoite", false),
            (72.0 + 7.0 * 5.0 + 2.5, 700.0, 10.0, "2026", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(texts(&a), vec!["Tavoite 2026"]);
        assert_eq!(a.lines.lines[0].bold, Some(true), "7 of 11 letters bold");
        let p = page(&[
            (72.0, 700.0, 10.0, "Otsikko", false),
            (72.2, 700.1, 10.0, "Otsikko", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(texts(&a), vec!["Otsikko"]);
        assert_eq!(a.lines.lines[0].bold, Some(true));
    }

    #[test]
    fn wrapped_lines_stay_one_block_and_a_gap_starts_another() {
        let p = page(&[
            (72.0, 700.0, 10.0, "Ensimmäinen rivi", false),
            (72.0, 688.0, 10.0, "jatkuu tässä.", false),
            (72.0, 660.0, 10.0, "Uusi kappale.", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(
            texts(&a),
            vec!["Ensimmäinen rivi", "jatkuu tässä.", "", "Uusi kappale."]
        );
        let b = a.lines.lines[0].bbox.expect("bbox");
        assert_eq!((b[0], b[2]), (72.0, 72.0 + 16.0 * 5.0));
    }

    #[test]
    fn a_change_of_weight_starts_a_block_but_not_under_a_label() {
        let p = page(&[
            (72.0, 700.0, 10.0, "Otsikko", true),
            (72.0, 688.0, 10.0, "Kuvaus alla.", false),
            (72.0, 650.0, 10.0, "Tavoite 2027", true),
            (72.0, 638.0, 10.0, "Teksti.", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(
            texts(&a),
            vec!["Otsikko", "", "Kuvaus alla.", "", "Tavoite 2027", "Teksti."]
        );
        // A target's label heads its text in a smaller size too; another line does not.
        let p = page(&[
            (72.0, 700.0, 10.0, "Tavoite 2027", true),
            (72.0, 687.0, 9.5, "Teksti.", false),
            (72.0, 650.0, 10.0, "Rivi", false),
            (72.0, 637.0, 9.5, "Pienempi.", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(
            texts(&a),
            vec!["Tavoite 2027", "Teksti.", "", "Rivi", "", "Pienempi."]
        );
    }

    #[test]
    fn stacked_labels_take_the_value_beside_them() {
        // One label per line, its value to the right; "Tav 2029" is unset.
        let p = page(&[
            (72.0, 700.0, 9.5, "Mittayksikkö", false),
            (152.0, 700.0, 9.5, "kpl", false),
            (72.0, 687.0, 9.5, "Tav 2028", false),
            (152.0, 687.0, 9.5, "≥ 5", false),
            (72.0, 674.0, 9.5, "Tav 2029", false),
            (72.0, 661.0, 9.5, "Tav 2030", false),
            (152.0, 661.0, 9.5, "7", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(
            texts(&a),
            vec![
                "Mittayksikkö",
                "kpl",
                "",
                "Tav 2028",
                "≥ 5",
                "",
                "Tav 2029",
                "",
                "Tav 2030",
                "7"
            ]
        );
    }

    #[test]
    fn stacked_years_without_values_read_as_one_row() {
        let p = page(&[
            (72.0, 700.0, 9.5, "Mittayksikkö:", false),
            (72.0, 687.0, 9.5, "2025", false),
            (72.0, 674.0, 9.5, "2026", false),
            (72.0, 661.0, 9.5, "2027", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(texts(&a), vec!["Mittayksikkö:", "", "2025 2026 2027"]);
    }

    #[test]
    fn a_value_of_four_digits_beside_a_year_is_no_row_of_years() {
        // Years stacked with their values, two of them unset: "6100" reads like a year
        // but follows none, so the unset years below do not join it.
        let p = page(&[
            (72.0, 700.0, 9.5, "Mittayksikkö:", false),
            (72.0, 687.0, 9.5, "2023", false),
            (152.0, 687.0, 9.5, "6100", false),
            (72.0, 674.0, 9.5, "2024", false),
            (72.0, 661.0, 9.5, "2025", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(
            texts(&a),
            vec!["Mittayksikkö:", "", "2023", "6100", "", "2024 2025"]
        );
    }

    #[test]
    fn a_change_of_slant_inside_a_block_starts_a_paragraph() {
        let run = |y: f32, text: &str, italic: bool| Run {
            text: text.to_owned(),
            bbox: [72.0, y - 2.5, 300.0, y + 8.0],
            y,
            size: 10.0,
            bold: false,
            italic,
            trailing_space: false,
            carried: false,
            shade: None,
            parts: Vec::new(),
        };
        // A heading set like the text, its description in italics right below it: two
        // lines at one pitch, which spacing alone cannot part.
        let block = [
            run(700.0, "Tavoitteen otsikko", false),
            run(688.0, "Kuvaus alkaa", true),
            run(676.0, "ja jatkuu.", true),
        ];
        assert_eq!(paragraph_breaks(&block), [false, true, false]);
        let upright = [run(700.0, "Eka", false), run(688.0, "toka", false)];
        assert_eq!(paragraph_breaks(&upright), [false, false]);
    }

    #[test]
    fn wider_spacing_inside_a_block_separates_paragraphs() {
        // Lines 13 pt apart, a paragraph 16 pt below: still one block (under 1.6 em),
        // two paragraphs.
        let p = page(&[
            (72.0, 700.0, 10.0, "Eka rivi", false),
            (72.0, 687.0, 10.0, "toka rivi.", false),
            (72.0, 671.0, 10.0, "Uusi kappale", false),
            (72.0, 658.0, 10.0, "jatkuu.", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(
            texts(&a),
            vec!["Eka rivi", "toka rivi.", " ", "Uusi kappale", "jatkuu."]
        );
        assert_eq!(a.lines.lines[2].kind, LineKind::Space);
        // Two lines alone have no spacing to compare with.
        let p = page(&[
            (72.0, 700.0, 10.0, "Eka rivi", false),
            (72.0, 684.0, 10.0, "Toinen.", false),
        ]);
        assert_eq!(texts(&assemble(&[p])), vec!["Eka rivi", "Toinen."]);
    }

    #[test]
    fn years_side_by_side_read_as_one_row_whatever_their_number() {
        let p = page(&[
            (72.0, 700.0, 9.0, "Mittayksikkö:", true),
            (200.0, 700.0, 9.0, "2025", true),
            (248.0, 700.0, 9.0, "2026", true),
            (296.0, 700.0, 9.0, "2027", true),
            (344.0, 700.0, 9.0, "2028", true),
            (392.0, 700.0, 9.0, "2029", true),
        ]);
        let a = assemble(&[p]);
        assert_eq!(
            texts(&a),
            vec!["Mittayksikkö:", "", "2025 2026 2027 2028 2029"]
        );
    }

    #[test]
    fn values_on_the_next_page_hang_under_the_labels_that_ended_the_last() {
        let first = page(&[
            (72.0, 700.0, 10.0, "Mittari", false),
            (72.0, 100.0, 8.0, "Mittayksikkö", true),
            (172.0, 100.0, 8.0, "Tav 2026", true),
            (272.0, 100.0, 8.0, "Tav 2027", true),
            (300.0, 40.0, 8.0, "Sivu 1", false),
        ]);
        let mut second = page(&[
            (72.0, 800.0, 8.0, "Otsake", false),
            (72.0, 760.0, 8.0, "kpl", false),
            (172.0, 760.0, 8.0, "12", false),
            (72.0, 700.0, 10.0, "Seuraava", false),
        ]);
        second.number = 2;
        let a = assemble(&[first, second]);
        assert_eq!(
            texts(&a),
            vec![
                "Mittari",
                "",
                "Mittayksikkö",
                "kpl",
                "",
                "Tav 2026",
                "12",
                "",
                "Tav 2027",
                "",
                "Sivu 1",
                "",
                "Otsake",
                "",
                "Seuraava"
            ]
        );
        // Reported on the cell's page, without a box from the other page.
        let kpl = &a.lines.lines[3];
        assert_eq!((kpl.page, kpl.bbox), (1, None));
        // Without the label row at the page's end, the row stays where it is.
        let first = page(&[
            (72.0, 100.0, 8.0, "Mittayksikkö", true),
            (172.0, 100.0, 8.0, "Tav 2026", true),
            (72.0, 80.0, 10.0, "Muuta tekstiä", false),
            (72.0, 60.0, 10.0, "ja lisää", false),
            (72.0, 40.0, 10.0, "ja vielä", false),
        ]);
        let mut second = page(&[
            (72.0, 760.0, 8.0, "kpl", false),
            (172.0, 760.0, 8.0, "12", false),
        ]);
        second.number = 2;
        let a = assemble(&[first, second]);
        assert_eq!(a.lines.lines.last().map(|l| l.raw()), Some("kpl    12"));
    }

    #[test]
    fn a_lone_value_hangs_under_a_label_row_and_the_filled_grid_takes_no_more() {
        // The unit alone (every year unset), further below than a block goes on; then
        // the next indicator's name at the unit's x.
        let p = page(&[
            (72.0, 700.0, 9.0, "Mittayksikkö:", true),
            (200.0, 700.0, 9.0, "2025", true),
            (248.0, 700.0, 9.0, "2026", true),
            (72.0, 685.0, 9.0, "%", false),
            (72.0, 665.0, 9.0, "Seuraava mittari", false),
        ]);
        let a = assemble(&[p]);
        assert_eq!(
            texts(&a),
            vec![
                "Mittayksikkö:",
                "%",
                "",
                "2025 2026",
                "",
                "Seuraava mittari"
            ]
        );
    }

    #[test]
    fn a_target_label_ends_its_cell_at_a_gap_no_space_fills() {
        // The label's column is narrow: its text starts less than a column gap after it.
        let mut strings = vec![(72.0, 700.0, 10.0, "Tavoite 2027", false)];
        strings.push((72.0 + 12.0 * 5.0 + 4.0, 700.0, 10.0, "Teksti alkaa", false));
        let a = assemble(&[page(&strings)]);
        assert_eq!(texts(&a), vec!["Tavoite 2027", "Teksti alkaa"]);
        // With a space glyph between, label and text are one line, as a dump gives.
        let a = assemble(&[page(&[(72.0, 700.0, 10.0, "Tavoite 2027 Teksti", false)])]);
        assert_eq!(texts(&a), vec!["Tavoite 2027 Teksti"]);
    }

    #[test]
    fn rotated_text_is_read_in_its_own_frame_and_listed() {
        let mut p = page(&[(72.0, 700.0, 10.0, "Vaaka", false)]);
        // "Pysty" running upwards at x = 20.
        let mut y = 300.0;
        for c in "Pysty".chars() {
            let start = p.text.len() as u32;
            p.text.push(c);
            p.glyphs.push(Glyph {
                x: 20.0,
                y,
                size: 10.0,
                advance: 5.0,
                angle: 90,
                font: 0,
                word: 9,
                start,
                len: 1,
            });
            y += 5.0;
        }
        let a = assemble(&[p]);
        assert_eq!(texts(&a), vec!["Vaaka", "", "Pysty"]);
        assert_eq!(a.rotated, vec![3]);
        let b = a.lines.lines[2].bbox.expect("bbox");
        assert!(
            (b[1] - 300.0).abs() < 0.01 && (b[3] - 325.0).abs() < 0.01,
            "{b:?}"
        );
    }
}
