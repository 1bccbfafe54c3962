//! Default-mode `pdftotext` dumps -> the block layout the text-dump stages read.
//!
//! poppler's default mode writes text in reading order, one line per printed line, with
//! an empty line between the blocks it finds; it keeps no indentation, so a table's rows
//! run together: heading rows one after another, a target label on its own line above its
//! text, a value grid as its labels followed by its values. pdf-extract's dumps, which the
//! later stages were written for, show every row as a block, a cell's paragraphs parted
//! by a line of white space and a grid as label/value pairs. This pass rewrites the
//! block breaks (empty and space-only lines, which are not content) and puts a grid's
//! values under their labels, from what the dump does carry:
//! - the genre's labels: a bare `Tavoite YYYY` heads the text that follows it up to the
//!   next empty line or label (a cell); `Mittayksikkö` starts a grid whose year labels,
//!   unit and values are paired in their order;
//! - line ends: a line that starts with a capital letter, when its first word would have
//!   fitted at the end of the line above (in the page's width, counted in characters),
//!   follows a line that was ended, not wrapped: a new row, or a new paragraph when it is
//!   a cell's next paragraph or an indicator's description (followed by the unit label);
//! - chapter headings, captions and bullets start something new.
//!
//! Every text line is kept with its number; lines of a grid are reordered within their
//! page only, so that page furniture stays where it was.

use crate::grammar;
use crate::lines::{Line, LineKind, Lines};

/// Characters of room a line's end must leave for the next line's first word to count
/// as fitting: character counts are an estimate of proportional text.
const FIT_SLACK: usize = 2;

/// Rewrites a default-mode dump's block breaks (see the module comment).
pub fn regroup(lines: Lines) -> Lines {
    let src = &lines.lines;
    let n = src.len();
    // Width of each line's page: its longest line, in characters. Rows of a table span
    // it; a row that ends well short of it was ended.
    let mut width = vec![0usize; n];
    let mut i = 0;
    while i < n {
        let page = src[i].page;
        let j = (i..n).find(|&j| src[j].page != page).unwrap_or(n);
        let w = src[i..j].iter().map(chars).max().unwrap_or(0);
        width[i..j].fill(w);
        i = j;
    }
    let mut out: Vec<Line> = Vec::with_capacity(n + n / 4);
    let mut i = 0;
    while i < n {
        let line = &src[i];
        if line.kind != LineKind::Text {
            out.push(line.clone());
            i += 1;
            continue;
        }
        let text = line.text();
        if grammar::unit_label(text).is_some() {
            i = grid(src, i, &mut out);
            continue;
        }
        if grammar::target_label(text).is_some_and(|(_, rest)| rest.is_empty()) {
            i = cell(src, &width, i, &mut out);
            continue;
        }
        if let Some(above) = out.last().filter(|l| l.kind == LineKind::Text) {
            if let Some(kind) = row_break(src, &width, above, i) {
                let gap = gap(above, kind);
                out.push(gap);
            }
        }
        out.push(line.clone());
        i += 1;
    }
    Lines {
        lines: out,
        pages: lines.pages,
        dialect: lines.dialect,
    }
}

fn chars(line: &Line) -> usize {
    line.text().chars().count()
}

/// Lines that always start something new.
fn starts_structure(text: &str) -> bool {
    grammar::is_row_label(text)
        || grammar::chapter_heading(text).is_some()
        || grammar::caption(text).is_some()
        || grammar::bullet(text).is_some()
}

/// `line` starts with a capital letter and its first word would have fitted at the end
/// of `above` within `width` characters: `above` was ended, not wrapped.
fn after_ended(above: &Line, line: &Line, width: usize) -> bool {
    let text = line.text();
    if !text.starts_with(char::is_uppercase) {
        return false;
    }
    let word = text
        .split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count());
    chars(above) + 1 + word + FIT_SLACK <= width
}

/// The break to put between `above` (the last line written) and line `i`, if any.
fn row_break(src: &[Line], width: &[usize], above: &Line, i: usize) -> Option<LineKind> {
    let line = &src[i];
    let text = line.text();
    if line.page != above.page {
        return None;
    }
    if grammar::bullet(text).is_some() {
        return Some(LineKind::Space);
    }
    if starts_structure(text) || grammar::chapter_heading(above.text()).is_some() {
        return Some(LineKind::Empty);
    }
    if !after_ended(above, line, width[i]) {
        return None;
    }
    // A paragraph that runs into a unit label describes the indicator named above it.
    let mut j = i + 1;
    while j < src.len()
        && src[j].kind == LineKind::Text
        && !starts_structure(src[j].text())
        && !after_ended(&src[j - 1], &src[j], width[j])
    {
        j += 1;
    }
    let describes = src
        .get(j)
        .is_some_and(|l| grammar::unit_label(l.text()).is_some());
    Some(if describes {
        LineKind::Space
    } else {
        LineKind::Empty
    })
}

/// A line without text after `above`, numbered as it.
fn gap(above: &Line, kind: LineKind) -> Line {
    Line {
        number: above.number,
        page: above.page,
        raw: if kind == LineKind::Space {
            " ".into()
        } else {
            String::new()
        },
        kind,
        indent: 0.0,
        trailing_space: false,
        font_size: None,
        bold: None,
        bbox: None,
    }
}

/// Ends the block being written, if a text line ends it.
fn end_block(out: &mut Vec<Line>) {
    if let Some(last) = out.last().filter(|l| l.kind == LineKind::Text) {
        let gap = gap(last, LineKind::Empty);
        out.push(gap);
    }
}

/// A bare target label at `i` and its text: the lines after it (past empty lines) up to
/// the next empty line or structure, paragraphs parted where a line was ended. Returns
/// the index after the cell.
fn cell(src: &[Line], width: &[usize], i: usize, out: &mut Vec<Line>) -> usize {
    end_block(out);
    let label = &src[i];
    out.push(label.clone());
    let n = src.len();
    let mut k = i + 1;
    while k < n && src[k].kind != LineKind::Text && src[k].page == label.page {
        k += 1;
    }
    let opens = k < n
        && src[k].kind == LineKind::Text
        && src[k].page == label.page
        && !starts_structure(src[k].text());
    if !opens {
        end_block(out);
        return i + 1;
    }
    let mut j = k;
    while j < n && src[j].kind == LineKind::Text && !starts_structure(src[j].text()) {
        if j > k && after_ended(&src[j - 1], &src[j], width[j]) {
            let gap = gap(&src[j - 1], LineKind::Space);
            out.push(gap);
        }
        out.push(src[j].clone());
        j += 1;
    }
    end_block(out);
    j
}

/// What a line of a grid is.
#[derive(PartialEq)]
enum GridLine {
    Label,
    Value,
    Unit,
    Blank,
}

/// A grid from the unit label at `i` on: its year labels, unit and values, in their
/// order, as long as the page and the grid's lines go on; written as label/value pairs.
/// Returns the index after the grid.
fn grid(src: &[Line], i: usize, out: &mut Vec<Line>) -> usize {
    end_block(out);
    let head = &src[i];
    let mut unit: Option<&Line> = None;
    let has_unit = grammar::unit_label(head.text()).is_some_and(|u| !u.is_empty());
    let mut labels: Vec<&Line> = Vec::new();
    let mut values: Vec<&Line> = Vec::new();
    let mut j = i + 1;
    while j < src.len() && src[j].page == head.page {
        let line = &src[j];
        let text = line.text();
        let kind = if line.kind != LineKind::Text {
            GridLine::Blank
        } else if grammar::year_label(text).is_some_and(|(_, _, rest)| rest.is_empty())
            || grammar::bare_years(text).is_some()
        {
            GridLine::Label
        } else if grammar::is_value_like(text) {
            GridLine::Value
        } else if !has_unit && unit.is_none() && values.is_empty() && looks_like_unit(text) {
            GridLine::Unit
        } else {
            break;
        };
        match kind {
            GridLine::Label => labels.push(line),
            GridLine::Value => values.push(line),
            GridLine::Unit => unit = Some(line),
            GridLine::Blank => {}
        }
        j += 1;
    }
    // Empty lines at the end belong to what follows.
    while j > i + 1 && src[j - 1].kind != LineKind::Text {
        j -= 1;
    }
    if labels.is_empty() {
        // Not a grid after all: the lines as they were.
        out.extend(src[i..j].iter().cloned());
        return j;
    }
    out.push(head.clone());
    if let Some(u) = unit {
        out.push(u.clone());
    }
    let mut values = values.into_iter();
    for label in labels {
        end_block(out);
        out.push(label.clone());
        if let Some(v) = values.next() {
            out.push(v.clone());
        }
    }
    // Values beyond the labels stay, as lines of their own.
    for v in values {
        end_block(out);
        out.push(v.clone());
    }
    end_block(out);
    j
}

/// A unit cell: short, and not set like a title (a capital followed by lower case).
fn looks_like_unit(text: &str) -> bool {
    let mut c = text.chars();
    let title =
        c.next().is_some_and(char::is_uppercase) && c.next().is_some_and(char::is_lowercase);
    !title && text.split_whitespace().count() <= 3 && !text.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::{split, Dialect};

    fn regrouped(text: &str) -> Vec<String> {
        let l = split(text);
        assert_eq!(l.dialect, Dialect::Pdftotext);
        regroup(l)
            .lines
            .iter()
            .map(|l| format!("{}:{}", l.number, l.raw))
            .collect()
    }

    #[test]
    fn heading_rows_part_and_a_target_label_heads_its_cell() {
        let text = "Linja yksi\n\
                    Tavoite kaksi jatkuu pitkälle oikealle\n\
                    ja rivittyy\n\
                    Tavoite 2027\n\
                    \n\
                    Teksti joka on pitkä ja täyttää rivin koko leveydeltään ja\n\
                    vähän lisää.\n\
                    Uusi kappale.\n\
                    \n\
                    Seuraava rivi\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Linja yksi",
                "1:",
                "2:Tavoite kaksi jatkuu pitkälle oikealle",
                "3:ja rivittyy",
                "3:",
                "4:Tavoite 2027",
                "6:Teksti joka on pitkä ja täyttää rivin koko leveydeltään ja",
                "7:vähän lisää.",
                "7: ",
                "8:Uusi kappale.",
                "8:",
                "9:",
                "10:Seuraava rivi",
            ]
        );
    }

    #[test]
    fn a_grid_pairs_labels_with_values_in_order() {
        let text = "Mittari ja sen nimi\n\
                    Kuvaus mittarista, joka on pitkä ja kertoo paljon asioita.\n\
                    Mittayksikkö\n\
                    Tav 2027\n\
                    Tav 2028\n\
                    \n\
                    %\n\
                    ≥ 95\n\
                    \n\
                    Seuraava mittari\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Mittari ja sen nimi",
                "1: ",
                "2:Kuvaus mittarista, joka on pitkä ja kertoo paljon asioita.",
                "2:",
                "3:Mittayksikkö",
                "7:%",
                "7:",
                "4:Tav 2027",
                "8:≥ 95",
                "8:",
                "5:Tav 2028",
                "5:",
                "9:",
                "10:Seuraava mittari",
            ]
        );
        // A title-like line after the labels is the next indicator, not a unit.
        let text = "Mittayksikkö\nTav 2027\nSairauspoissaolot\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Mittayksikkö",
                "1:",
                "2:Tav 2027",
                "2:",
                "3:Sairauspoissaolot"
            ]
        );
    }
}
