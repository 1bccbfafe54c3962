//! PDF stage 2: glyphs -> lines with layout features, the type text dumps also reach.
//!
//! Per page and writing direction:
//! 1. fake bold (the same glyph drawn again a fraction of a point away) is folded into
//!    one glyph, which counts as bold;
//! 2. glyphs on one baseline form a row; a row splits into cells where the gap between
//!    two glyphs is wider than [`COLUMN_GAP`] times the font size, and a space is put
//!    where the gap is wider than [`WORD_GAP`];
//! 3. cell lines stack into blocks: a line continues the block above it when it is in
//!    the same column, in the same size and no more than [`LINE_GAP`] font sizes below; blocks are read
//!    top to bottom, and blocks that start on the same band left to right;
//! 4. blocks become [`Line`]s separated by an empty line, which is what a block break
//!    looks like in a text dump, so the block stage reads both the same way.
//!
//! Text in other directions (rotated) follows the page's ordinary text, read in its own
//! frame, and is listed so that the converter can warn about it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::glyphs::{Glyph, Page};
use crate::grammar;
use crate::lines::{Dialect, Line, LineKind, Lines};

/// A gap wider than this many font sizes separates two cells of a row.
pub const COLUMN_GAP: f32 = 1.2;
/// A gap wider than this many font sizes before a table label starts a new cell.
pub const LABEL_GAP: f32 = 0.5;
/// A gap wider than this many font sizes is a space between words.
pub const WORD_GAP: f32 = 0.15;
/// A line more than this many font sizes below the previous one starts a new block.
pub const LINE_GAP: f32 = 1.6;

/// Sizes closer than this (points) are the same size; matrices leave float noise.
pub const SAME_SIZE: f32 = 0.25;

/// Between single-line cells joined into one line: a gap that the text grammar reads as
/// a column break (two or more spaces), as in text dumps.
pub const CELL_SEPARATOR: &str = "    ";

/// The lines of a PDF, and where they came from.
#[derive(Debug, Clone)]
pub struct Assembled {
    pub lines: Lines,
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
    trailing_space: bool,
}

/// Assembles the pages' glyphs into lines.
pub fn assemble(pages: &[Page]) -> Assembled {
    // Indentation is measured from the leftmost text of the whole document, so that it
    // means the same on every page.
    let margin = pages
        .iter()
        .flat_map(|p| p.glyphs.iter().filter(|g| g.angle == 0).map(|g| g.x))
        .fold(f32::INFINITY, f32::min);
    let margin = if margin.is_finite() { margin } else { 0.0 };
    let mut lines: Vec<Line> = Vec::new();
    let mut rotated = Vec::new();
    for page in pages {
        let mut directions: Vec<i16> = page.glyphs.iter().map(|g| g.angle).collect();
        directions.sort_unstable();
        directions.dedup();
        // Ordinary text first.
        directions.sort_by_key(|&a| a != 0);
        for angle in directions {
            let blocks = blocks_of(page, angle);
            for block in blocks {
                if !lines.is_empty() {
                    push_empty(&mut lines, page.number);
                }
                for run in block {
                    let number = lines.len() as u32 + 1;
                    if angle != 0 {
                        rotated.push(number);
                    }
                    lines.push(Line {
                        number,
                        page: page.number,
                        kind: if run.text.trim().is_empty() {
                            LineKind::Space
                        } else {
                            LineKind::Text
                        },
                        indent: if angle == 0 {
                            (run.bbox[0] - margin).max(0.0)
                        } else {
                            0.0
                        },
                        trailing_space: run.trailing_space,
                        font_size: Some(run.size),
                        bold: Some(run.bold),
                        bbox: Some(if angle == 0 {
                            run.bbox
                        } else {
                            unrotate(run.bbox, angle)
                        }),
                        raw: nfc(run.text),
                    });
                }
            }
        }
    }
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
    lines.push(Line {
        number: lines.len() as u32 + 1,
        page,
        raw: String::new(),
        kind: LineKind::Empty,
        indent: 0.0,
        trailing_space: false,
        font_size: None,
        bold: None,
        bbox: None,
    });
}

/// A glyph in the frame of its writing direction.
#[derive(Clone, Copy)]
struct Placed {
    x: f32,
    y: f32,
    size: f32,
    advance: f32,
    bold: bool,
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
/// standard SipHash of the cell key took most of the time of folding fake bold.
#[derive(Default)]
struct CellHasher(u64);

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
        self.0
    }
}

/// The page's glyphs of one direction, fake bold folded.
fn placed(page: &Page, angle: i16) -> Vec<Placed> {
    let mut out: Vec<Placed> = Vec::new();
    // Grid of kept glyphs by their rounded position, for finding a duplicate nearby:
    // each cell holds its first and last glyph (indices into `out`), and `next` chains
    // a cell's glyphs in the order they were kept. Hashed with `CellHasher` and
    // without a vector per cell: this runs for every glyph of the document.
    let mut grid: HashMap<(i32, i32), (usize, usize), BuildHasherDefault<CellHasher>> =
        HashMap::default();
    let mut next: Vec<usize> = Vec::new();
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
                    let Some(&(first, _)) = grid.get(&(cell.0 + dx, cell.1 + dy)) else {
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
            index,
        });
    }
    out
}

/// Cell lines of one direction, grouped into blocks in reading order.
fn blocks_of(page: &Page, angle: i16) -> Vec<Vec<Run>> {
    let glyphs = placed(page, angle);
    let runs = rows(page, &glyphs);
    stack(runs)
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
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        cells(page, &row, &mut out);
        i = j;
    }
    out
}

fn cells(page: &Page, row: &[&Placed], out: &mut Vec<Run>) {
    let mut run: Option<Run> = None;
    let mut bold_chars = 0usize;
    let mut chars = 0usize;
    // Right end of the last visible glyph: spaces do not bridge a column gap.
    let mut end = f32::NEG_INFINITY;
    let mut finish = |run: &mut Option<Run>, bold_chars: &mut usize, chars: &mut usize| {
        if let Some(mut r) = run.take() {
            r.bold = *chars > 0 && *bold_chars * 2 > *chars;
            r.trailing_space = r.text.ends_with(char::is_whitespace);
            r.text.truncate(r.text.trim_end().len());
            out.push(r);
        }
        *bold_chars = 0;
        *chars = 0;
    };
    for (at, g) in row.iter().enumerate() {
        let text = page.char(&page.glyphs[g.index]);
        let blank = text.trim().is_empty();
        let gap = g.x - end;
        // Grid cells can sit closer than a column gap; a table label ("Tav 2027") after
        // more than a word space still starts its own cell.
        let label_cell = gap > LABEL_GAP * g.size && starts_label(page, &row[at..]);
        if run.is_some() && !blank && (gap > COLUMN_GAP * g.size || label_cell) {
            finish(&mut run, &mut bold_chars, &mut chars);
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
            trailing_space: false,
        });
        if !blank
            && !r.text.is_empty()
            && !r.text.ends_with(char::is_whitespace)
            && gap > WORD_GAP * g.size
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
            chars += n;
            if g.bold {
                bold_chars += n;
            }
            end = g.x + g.advance;
        }
    }
    finish(&mut run, &mut bold_chars, &mut chars);
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

fn is_year(text: &str) -> bool {
    text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Cell lines into blocks: a line joins the block whose last line is just above it in
/// the same column.
fn stack(runs: Vec<Run>) -> Vec<Vec<Run>> {
    let mut blocks: Vec<Vec<Run>> = Vec::new();
    // Blocks still open for a next line: index into `blocks`.
    let mut open: Vec<usize> = Vec::new();
    for run in runs {
        let y = run.y;
        let joins = open.iter().position(|&b| {
            let last = blocks[b].last().expect("non-empty block");
            let below = last.y - run.y;
            let same_column = run.bbox[0] < last.bbox[2] && last.bbox[0] < run.bbox[2];
            below > 0.0
                && below <= LINE_GAP * last.size.max(run.size)
                && same_column
                // A change of size is a heading meeting its text.
                && (run.size - last.size).abs() <= SAME_SIZE
        });
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
    // Reading order: by the top of the first line; blocks starting on one band left to
    // right.
    let mut keyed: Vec<(f32, f32, f32, Vec<Run>)> = blocks
        .into_iter()
        .map(|b| (b[0].bbox[3], b[0].bbox[0], b[0].size, b))
        .collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<Vec<Run>> = Vec::with_capacity(keyed.len());
    let mut rest = keyed.into_iter().peekable();
    // Blocks of the band just emitted: left edge, bottom, index in `out`.
    let mut previous: Vec<(f32, f32, usize)> = Vec::new();
    while let Some(first) = rest.next() {
        let (top, band) = (first.0, 0.5 * first.2);
        let mut group = vec![first];
        while let Some(next) = rest.next_if(|k| top - k.0 <= band) {
            group.push(next);
        }
        group.sort_by(|a, b| a.1.total_cmp(&b.1));
        // Year column headers side by side read as one row of years ("2024 2025"),
        // as text dumps give them.
        let mut k = 0;
        while k + 1 < group.len() {
            let year = |g: &(f32, f32, f32, Vec<Run>)| g.3.len() == 1 && is_year(&g.3[0].text);
            if year(&group[k]) && year(&group[k + 1]) {
                let (_, _, _, next) = group.remove(k + 1);
                let next = next.into_iter().next().expect("one line");
                let row = &mut group[k].3[0];
                row.text.push(' ');
                row.text.push_str(&next.text);
                row.bbox = union(row.bbox, next.bbox);
            } else {
                k += 1;
            }
        }
        // A label alone in its cell ("Tavoite 2026") heads the cell to its right, as a
        // text dump shows them: label first, then its content.
        let mut k = 0;
        while k + 1 < group.len() {
            let label = group[k].3.len() == 1 && grammar::bare_label(&group[k].3[0].text);
            let content = !grammar::is_row_label(&group[k + 1].3[0].text);
            if label && content {
                let (_, _, _, mut lines) = group.remove(k);
                lines.append(&mut group[k].3);
                group[k].3 = lines;
            }
            k += 1;
        }
        // A row of single-line cells under a row of table labels, each cell under one
        // of them: the values of a grid, read column by column as text dumps do.
        let under_labels = previous.len() >= 2
            && group.len() >= 2
            && group.iter().all(|g| {
                g.3.len() == 1
                    && !grammar::is_row_label(&g.3[0].text)
                    && previous.iter().any(|&(x, bottom, b)| {
                        (g.1 - x).abs() <= 3.0
                            && bottom - g.0 <= 3.0 * g.2
                            && grammar::is_row_label(&out[b][0].text)
                    })
            });
        if under_labels {
            for g in group {
                let cell = g.3.into_iter().next().expect("one line");
                let &(_, _, b) = previous
                    .iter()
                    .find(|&&(x, _, _)| (g.1 - x).abs() <= 3.0)
                    .expect("matched above");
                out[b].push(cell);
            }
            continue;
        }
        let first_new = out.len();
        let one_row = group.len() > 1
            && !group.iter().any(|g| grammar::is_row_label(&g.3[0].text))
            && group
                .iter()
                .all(|g| g.3.len() == 1 && (g.3[0].y - group[0].3[0].y).abs() <= 0.3 * g.2);
        if one_row {
            // Single-line cells side by side (a signature line, a label and its value)
            // read as one line with a wide gap, as text dumps show them.
            let mut cells = group
                .into_iter()
                .map(|g| g.3.into_iter().next().expect("one line"));
            let mut row = cells.next().expect("two cells");
            for cell in cells {
                row.text.push_str(CELL_SEPARATOR);
                row.text.push_str(&cell.text);
                row.bbox = union(row.bbox, cell.bbox);
                row.size = row.size.max(cell.size);
                row.bold &= cell.bold;
                row.trailing_space = cell.trailing_space;
            }
            out.push(vec![row]);
        } else {
            out.extend(group.into_iter().map(|g| g.3));
        }
        previous = out[first_new..]
            .iter()
            .enumerate()
            .map(|(k, b)| {
                let bottom = b.iter().map(|r| r.bbox[1]).fold(f32::INFINITY, f32::min);
                (b[0].bbox[0], bottom, first_new + k)
            })
            .collect();
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
                },
                Font {
                    name: "Helvetica-Bold".into(),
                    bold: true,
                },
            ],
            count: Default::default(),
            fonts_known: true,
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
        a.lines.lines.iter().map(|l| l.raw.as_str()).collect()
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
