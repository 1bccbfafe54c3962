//! Indicators: a name, its unit, and its values by year (years in a row, labelled
//! cells, side-by-side values split at wide gaps).

use super::cells::{is_value_cell, Cell};
use super::levels::head_cell;
use super::Ctx;
use crate::grammar;
use crate::model::{Indicator, Source, Value, ValueKind, WarningCode};

/// Reads the indicator named by `cells[i]`; returns it and the index after it.
pub(super) fn indicator(ctx: &mut Ctx, cells: &[Cell], i: usize) -> (Indicator, usize) {
    let name = head_cell(ctx, &cells[i]);
    let unit_cell = &cells[i + 1];
    if let Some(read) = header_row(ctx, cells, i) {
        let (unit, values, last, next) = read;
        let source = ctx.source(cells[i].first(), last);
        let indicator = Indicator {
            id: String::new(),
            name: name.title,
            description: name.description,
            unit,
            values,
            group: None,
            source,
        };
        return (indicator, next);
    }
    let unit = unit(ctx, unit_cell);
    ctx.place(unit_cell.lines());
    let mut rows = ValueRows {
        cells,
        at: i + 2,
        unit_at: i + 1,
        last: unit_cell.last(),
        values: Vec::new(),
        unit: Some(unit).filter(|u| !u.is_empty()),
        open: Vec::new(),
    };
    while rows.at < cells.len() {
        let c = &cells[rows.at];
        let lines = ctx.lines;
        let first = lines.lines[c.first()].text();
        if let Some(years) = grammar::bare_years(first).or_else(|| rows.lone_year(ctx)) {
            if !rows.years(ctx, years) {
                break;
            }
            continue;
        }
        let Some(label) = grammar::year_label(first) else {
            if rows.below_labels(ctx) {
                continue;
            }
            break;
        };
        rows.labelled(ctx, label);
    }
    let source = ctx.source(cells[i].first(), rows.last);
    (
        Indicator {
            id: String::new(),
            name: name.title,
            description: name.description,
            unit: rows.unit,
            values: rows.values,
            group: None,
            source,
        },
        rows.at,
    )
}

/// The left and right of line `l`, when it has a box.
fn span(ctx: &Ctx, l: usize) -> Option<[f32; 2]> {
    ctx.lines.lines[l].bbox.map(|b| [b[0], b[2]])
}

/// How far `x`, on line `l`, overlaps the column `col` of a label on line `label`,
/// when `l` stands below that label on its page or on the next (a row broken across
/// the page keeps its columns).
fn overlap(ctx: &Ctx, label: usize, col: [f32; 2], l: usize, x: [f32; 2]) -> Option<f32> {
    let (a, b) = (&ctx.lines.lines[label], &ctx.lines.lines[l]);
    let below = match b.page.checked_sub(a.page) {
        Some(0) => a.bbox?[1] > b.bbox?[3] - 1.0,
        Some(1) => b.bbox.is_some(),
        _ => false,
    };
    let width = col[1].min(x[1]) - col[0].max(x[0]);
    (below && width > 0.0).then_some(width)
}

/// Whether line `l` starts in the column of `label` (a line above it on the same page):
/// a heading further out overlaps the column too, but does not start in it.
fn starts_under(ctx: &Ctx, label: usize, l: usize) -> bool {
    let (Some(col), Some(x)) = (span(ctx, label), span(ctx, l)) else {
        return false;
    };
    overlap(ctx, label, col, l, x).is_some() && x[0] >= col[0] - 2.0 && x[0] < col[1]
}

/// The cells of line `l` with their left and right: those the PDF line joins (when its
/// text parts at wide gaps as many times), else the whole line.
fn units<'a>(ctx: &Ctx<'a>, l: usize) -> Vec<([f32; 2], &'a str)> {
    let lines: &'a crate::lines::Lines<'a> = ctx.lines;
    let line = &lines.lines[l];
    let parts = gap_parts(line.text());
    if line.parts.len() >= 2 && line.parts.len() == parts.len() {
        return line.parts.iter().copied().zip(parts).collect();
    }
    span(ctx, l).map(|x| (x, line.text())).into_iter().collect()
}

/// What [`header_row`] reads: the unit, the values, the last line read and the cell
/// after the grid.
type HeaderRow = (Option<String>, Vec<Value>, usize, usize);

/// A grid whose unit label heads a row of year labels ("Mittayksikkö Tav 2028 Tav
/// 2029"), the unit and the values in the row below it ("% ≥ 95 ≥ 96"): a plain dump
/// writes each row of a side-by-side grid on one line. The values row is the unit
/// cell's next line or the next cell, one line. Fewer values than years leave the
/// dump no trace of which cells were empty: they are placed in order, a value with
/// a comparator only under a target year, and named in a note.
fn header_row(ctx: &mut Ctx, cells: &[Cell], i: usize) -> Option<HeaderRow> {
    let unit_cell = &cells[i + 1];
    let labels = header_labels(grammar::unit_label(ctx.text(unit_cell.first()))?)?;
    let first = unit_cell.first();
    let row = match unit_cell.lines().nth(1) {
        Some(l) => Some((l, i + 2)),
        None => cells
            .get(i + 2)
            .filter(|c| c.is_single_line())
            .map(|c| (c.first(), i + 3)),
    };
    let read = row
        .filter(|_| unit_cell.line_count() <= 2)
        .and_then(|(l, next)| {
            let text = ctx.text(l);
            if grammar::is_row_label(text) {
                return None;
            }
            let (unit, raws) = values_row(text, labels.len())?;
            if raws.is_empty() && !is_unit(&unit) {
                return None;
            }
            Some((l, next, unit, place_values(&labels, &raws)?, raws.len()))
        });
    // No values row: a row of empty cells and no unit, which a dump leaves out.
    let (row_line, next, unit, placed, found) =
        read.unwrap_or((first, i + 2, String::new(), vec![None; labels.len()], 0));
    if unit_cell.line_count() > 1 && row_line == first {
        return None;
    }
    if found < labels.len() && found > 0 {
        let message = format!(
            "{found} values under {} year labels in one row: the dump does not show which cells are empty; values placed in order",
            labels.len()
        );
        ctx.note(WarningCode::ValuesUnaligned, message, row_line);
    }
    let source = ctx.source(first, row_line);
    let values = labels
        .iter()
        .zip(placed)
        .map(|(&(kind, year), raw)| value(ctx, kind, year, raw, source, first))
        .collect();
    ctx.place([first, row_line]);
    let unit = Some(unit).filter(|u| !u.is_empty());
    Some((unit, values, row_line, next))
}

/// The year labels of a header row: labelled ("Tav 2028 Tot 2026") or bare years, and
/// nothing else.
fn header_labels(text: &str) -> Option<Vec<(Option<ValueKind>, i32)>> {
    if let Some(years) = grammar::bare_years(text) {
        return Some(years.into_iter().map(|y| (None, y)).collect());
    }
    let mut labels = Vec::new();
    let mut rest = text;
    while let Some((kind, year, after)) = grammar::year_label(rest) {
        labels.push((Some(kind), year));
        rest = after;
    }
    (!labels.is_empty() && rest.is_empty()).then_some(labels)
}

/// A unit alone on a values row whose values are all empty: short, not a sentence,
/// and not set like a title unless it holds a digit ("Asteikko 1-5").
fn is_unit(text: &str) -> bool {
    let mut c = text.chars();
    let title =
        c.next().is_some_and(char::is_uppercase) && c.next().is_some_and(char::is_lowercase);
    let digit = text.chars().any(|c| c.is_ascii_digit());
    !text.is_empty()
        && text.split_whitespace().count() <= 3
        && !text.ends_with(['.', ':'])
        && (!title || digit)
}

/// A values row: its unit (the words before the first value) and up to `n` values. A
/// space both parts values and groups thousands ("1 200 1 300"): of the readings, one
/// with exactly `n` values (a full row) is preferred, the values grouped as far left
/// as they can be; else the reading that groups most. `None` when no reading has `n`
/// values or fewer.
fn values_row(text: &str, n: usize) -> Option<(String, Vec<String>)> {
    let words = value_words(text);
    let start = words
        .iter()
        .position(|w| is_comparator(w) || is_number_word(w))
        .unwrap_or(words.len());
    let unit = words[..start].join(" ");
    let words = &words[start..];
    let ends = |at: usize| value_ends(words, at);
    let mut memo = std::collections::HashMap::new();
    let full = segment(words, 0, n, &ends, &mut memo);
    let values = match full {
        Some(v) => v,
        None => {
            // Grouping as much as can be: the longest value at each step.
            let mut at = 0;
            let mut out = Vec::new();
            while at < words.len() {
                let end = *ends(at).first()?;
                out.push(words[at..end].join(" "));
                at = end;
            }
            out
        }
    };
    (values.len() <= n).then_some((unit, values))
}

/// The words of a values row, a comparator set close to its number ("≥95") parted
/// from it.
fn value_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in text.split_whitespace() {
        match COMPARATORS
            .iter()
            .find(|c| w.len() > c.len() && w.starts_with(*c))
        {
            Some(c) if is_number_word(&w[c.len()..]) => {
                out.push(&w[..c.len()]);
                out.push(&w[c.len()..]);
            }
            _ => out.push(w),
        }
    }
    out
}

const COMPARATORS: [&str; 7] = [">=", "<=", "≥", "≤", ">", "<", "="];

fn is_comparator(w: &str) -> bool {
    COMPARATORS.contains(&w)
}

/// A number written without spaces: `[-+−]?\d+(?:[,.]\d+)?%?`.
fn is_number_word(w: &str) -> bool {
    let w = w.strip_suffix('%').unwrap_or(w);
    let w = w.strip_prefix(['-', '+', '−']).unwrap_or(w);
    let (int, frac) = match w.find([',', '.']) {
        Some(k) => (&w[..k], Some(&w[k + 1..])),
        None => (w, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits)
}

/// Where a value starting at word `at` may end (exclusive), longest first: a comparator,
/// a number, its groups of three digits (the last with decimals) when the number has one
/// to three digits, and a `%` word.
fn value_ends(words: &[&str], at: usize) -> Vec<usize> {
    let mut k = at;
    if words.get(k).is_some_and(|w| is_comparator(w)) {
        k += 1;
    }
    let Some(first) = words.get(k).filter(|w| is_number_word(w)) else {
        return Vec::new();
    };
    let plain = |w: &str| w.bytes().all(|b| b.is_ascii_digit());
    let leading = first.trim_start_matches(['-', '+', '−']);
    let mut ends = vec![k + 1];
    if plain(leading) && (1..=3).contains(&leading.len()) {
        let mut g = k + 1;
        while let Some(w) = words.get(g) {
            let (int, frac) = match w.find(',') {
                Some(c) => (&w[..c], Some(&w[c + 1..])),
                None => (*w, None),
            };
            let group = int.len() == 3 && plain(int);
            let decimals = frac.is_none_or(|f| !f.is_empty() && plain(f));
            if !(group && decimals) {
                break;
            }
            g += 1;
            ends.push(g);
            if frac.is_some() {
                break;
            }
        }
    }
    let mut ends: Vec<usize> = ends
        .into_iter()
        .map(|e| if words.get(e) == Some(&"%") { e + 1 } else { e })
        .collect();
    ends.reverse();
    ends
}

/// A reading of `words[at..]` as exactly `n` values, each as long as it can be.
fn segment(
    words: &[&str],
    at: usize,
    n: usize,
    ends: &dyn Fn(usize) -> Vec<usize>,
    memo: &mut std::collections::HashMap<(usize, usize), bool>,
) -> Option<Vec<String>> {
    if at == words.len() {
        return (n == 0).then(Vec::new);
    }
    if n == 0 || memo.get(&(at, n)) == Some(&false) {
        return None;
    }
    for end in ends(at) {
        if let Some(mut rest) = segment(words, end, n - 1, ends, memo) {
            rest.insert(0, words[at..end].join(" "));
            return Some(rest);
        }
    }
    memo.insert((at, n), false);
    None
}

/// Values placed under `labels` in order, fewer values than labels leaving cells
/// empty: each value under the first label left that can take it (a comparator is a
/// target's, so not under a `Tot` or `Arv` label) with room for the values after it.
/// `None` when they do not fit.
fn place_values(
    labels: &[(Option<ValueKind>, i32)],
    raws: &[String],
) -> Option<Vec<Option<String>>> {
    let takes = |label: usize, raw: &str| {
        let compared = raw.starts_with(|c: char| "<>=≤≥".contains(c));
        !compared || matches!(labels[label].0, None | Some(ValueKind::Target))
    };
    let mut out = vec![None; labels.len()];
    let mut at = 0;
    for (k, raw) in raws.iter().enumerate() {
        let room = labels.len() - (raws.len() - k);
        let label = (at..=room).find(|&l| takes(l, raw))?;
        out[label] = Some(raw.clone());
        at = label + 1;
    }
    Some(out)
}

/// The unit: after the unit label on its line, else the rest of the cell.
fn unit(ctx: &Ctx, unit_cell: &Cell) -> String {
    let on_label = grammar::unit_label(ctx.text(unit_cell.first())).unwrap_or("");
    if on_label.is_empty() {
        if unit_cell.paras.len() == 1 {
            ctx.para(&unit_cell.paras.first[1..])
        } else {
            ctx.para(&unit_cell.lines().skip(1).collect::<Vec<_>>())
        }
    } else {
        grammar::collapse(on_label)
    }
}

/// An indicator's value rows while they are read.
struct ValueRows<'c, 'b> {
    cells: &'c [Cell<'b>],
    /// The next cell to read.
    at: usize,
    /// The unit's cell.
    unit_at: usize,
    /// The indicator's last line so far.
    last: usize,
    values: Vec<Value>,
    /// The unit: the unit cell's, else the first words of a values row.
    unit: Option<String>,
    /// Values whose label stood alone: a grid may set the values in a row of their own
    /// below a row of labels.
    open: Vec<Open>,
}

/// A value whose label stood alone: its index in `values`, the label's line, and the
/// label's column (left, right).
#[derive(Clone, Copy)]
struct Open {
    at: usize,
    line: usize,
    x: [f32; 2],
}

impl ValueRows<'_, '_> {
    /// A row of bare years (`2024 2025`) at `self.at`, and the lone next years that
    /// continue it past a page break. `false` when the cell goes on below the years:
    /// the indicator ends there, and that cell is read again as the table's next row.
    fn years(&mut self, ctx: &mut Ctx, years: Vec<i32>) -> bool {
        let c = &self.cells[self.at];
        let first_line = c.first();
        // A transposed grid: each year with its value below it in the cell.
        let below: Vec<usize> = c.lines().skip(1).collect();
        // The values: below the years in their cell, else a row in the next cell.
        let (raws, last, row_after) = match values_below(ctx, &below, years.len()) {
            Some(r) => (
                r.into_iter().map(Some).collect(),
                *below.last().expect("values"),
                false,
            ),
            None => match self.row_after_years(ctx, &years) {
                Some((row, raws)) => (raws, row, true),
                None => (vec![None; years.len()], first_line, false),
            },
        };
        let source = ctx.source(first_line, last);
        // Years set in cells of their own, no values yet: the values may follow in a
        // row below, any cell of it empty.
        let lines = ctx.lines;
        let parts = &lines.lines[first_line].parts;
        let columns = (last == first_line && parts.len() == years.len()).then_some(parts);
        for (k, (year, raw)) in years.into_iter().zip(raws).enumerate() {
            if let Some(columns) = &columns {
                self.open.push(Open {
                    at: self.values.len(),
                    line: first_line,
                    x: columns[k],
                });
            }
            let v = value(ctx, None, year, raw, source, first_line);
            self.values.push(v);
        }
        let read_below = below.iter().copied().filter(|_| last != first_line);
        ctx.place(
            std::iter::once(first_line)
                .chain(read_below)
                .chain(row_after.then_some(last)),
        );
        self.last = last;
        if last == first_line && c.line_count() > 1 {
            return false;
        }
        self.at += 1 + usize::from(row_after);
        // The row goes on past a page break: lone years next in the sequence, one cell
        // or one line each.
        while let Some(c) = self.cells.get(self.at) {
            let lines: Vec<usize> = c.lines().collect();
            let Some(years) = self.next_years(ctx, &lines) else {
                break;
            };
            for (l, year) in lines.into_iter().zip(years) {
                let source = ctx.source(l, l);
                self.values.push(Value {
                    year,
                    kind: None,
                    raw: None,
                    comparator: None,
                    value: None,
                    source,
                });
                ctx.place([l]);
                self.last = l;
            }
            self.at += 1;
        }
        true
    }

    /// The years of `lines` when each is a year alone, next in the sequence.
    fn next_years(&self, ctx: &Ctx, lines: &[usize]) -> Option<Vec<i32>> {
        let first = self.values.last()?.year + 1;
        (first..)
            .zip(lines)
            .map(|(next, &l)| grammar::single_year(ctx.text(l)).filter(|&y| y == next))
            .collect()
    }

    /// The values row in the cell after a row of bare years that stands alone (a grid
    /// whose header and values a PDF sets apart): one line with a value for every year,
    /// led by the unit when the unit cell had none. `None` when that cell is no such row.
    fn row_after_years(
        &mut self,
        ctx: &mut Ctx,
        years: &[i32],
    ) -> Option<(usize, Vec<Option<String>>)> {
        // A lone year is a transposed grid's row (`lone_year`), its value beside it.
        if years.len() < 2 {
            return None;
        }
        let c = self.cells.get(self.at + 1).filter(|c| c.is_single_line())?;
        let (line, text) = (c.first(), ctx.text(c.first()));
        // Years go on past a page break as a lone next year: not a value.
        if grammar::is_row_label(text)
            || grammar::is_bare_years(text)
            || grammar::single_year(text).is_some()
        {
            return None;
        }
        let (unit, raws) = cells_by_gap(text).unwrap_or(values_row(text, years.len())?);
        let unit_ok = unit.is_empty() || (self.unit.is_none() && is_unit(&unit));
        // Fewer values than years would be placed by guess: a PDF's row may leave any
        // cell empty, and the line keeps no trace of which.
        if raws.len() != years.len() || !unit_ok {
            return None;
        }
        if !unit.is_empty() {
            self.unit = Some(unit);
        }
        Some((line, raws.into_iter().map(Some).collect()))
    }

    /// A single year at `self.at` that opens or continues a grid of bare years (a grid
    /// transposed, or stacked one year per line): the first row after the unit, or the
    /// next year after bare years. Alone in its cell or over its values.
    fn lone_year(&self, ctx: &Ctx) -> Option<Vec<i32>> {
        let c = &self.cells[self.at];
        let text = ctx.text(c.first());
        let year_like = grammar::single_year(text).is_some();
        let year: i32 = text.parse().ok().filter(|_| year_like)?;
        let opens = self.values.is_empty() && self.at == self.unit_at + 1;
        let continues = self
            .values
            .last()
            .is_some_and(|v| v.kind.is_none() && v.year < year);
        let below: Vec<usize> = c.lines().skip(1).collect();
        let alone = below.is_empty() || values_below(ctx, &below, 1).is_some();
        ((opens || continues) && alone).then(|| vec![year])
    }

    /// A row of one or more year labels (`Tav 2027`, side by side) at `self.at`, the
    /// first one `label`, with its value cell.
    fn labelled(&mut self, ctx: &mut Ctx, label: (ValueKind, i32, &str)) {
        let (kind, year, rest) = label;
        let first_line = self.cells[self.at].first();
        let mut labels = vec![(kind, year)];
        let mut rest = rest;
        while let Some((k, y, r)) = grammar::year_label(rest) {
            labels.push((k, y));
            rest = r;
        }
        let mut used = vec![first_line];
        let raw = self.value_cell(ctx, rest.to_owned(), &mut used);
        let source = ctx.source(first_line, *used.last().expect("line"));
        if labels.len() == 1 {
            if let Some(x) = span(ctx, first_line).filter(|_| raw.is_none()) {
                self.open.push(Open {
                    at: self.values.len(),
                    line: first_line,
                    x,
                });
            }
            self.values
                .push(value(ctx, Some(kind), year, raw, source, first_line));
        } else {
            self.side_by_side(ctx, labels, raw, source, &mut used);
        }
        ctx.place(used.iter().copied());
        self.last = *used.last().expect("line");
        self.at += 1;
    }

    /// A cell of a values row set below a row of lone labels (a grid whose cells each
    /// hold a label or a value): each line is the value of the label above whose column
    /// it overlaps most, or the unit under a unit label that had none. Only when every
    /// line finds its own column. The unit only in the grid's first row below the
    /// labels, before any value, alone or as the row's first cell (a grid whose unit
    /// column heads its own row of years).
    fn below_labels(&mut self, ctx: &mut Ctx) -> bool {
        let c = &self.cells[self.at];
        let unit_label = self.cells[self.unit_at].first();
        let mut found: Vec<(usize, usize, &str)> = Vec::new();
        let mut unit = None;
        for l in c.lines() {
            let units = units(ctx, l);
            if units.is_empty() {
                return false;
            }
            for (n, &(x, t)) in units.iter().enumerate() {
                if is_value_cell(t) {
                    return false;
                }
                if grammar::is_value_like(t) {
                    let Some(best) = self.column_above(ctx, l, x, &found) else {
                        return false;
                    };
                    found.push((best, l, t));
                } else if n == 0
                    && self.unit.is_none()
                    && unit.is_none()
                    && self.open.len() == self.values.len()
                    && is_unit(t)
                    && starts_under(ctx, unit_label, l)
                {
                    unit = Some(t.to_owned());
                } else {
                    return false;
                }
            }
        }
        for &(k, l, t) in &found {
            let open = self.open[k];
            let v = &self.values[open.at];
            let (kind, year) = (v.kind, v.year);
            let source = ctx.source(open.line, l);
            self.values[open.at] = value(ctx, kind, year, Some(t.to_owned()), source, l);
        }
        self.open = (0..self.open.len())
            .filter(|k| !found.iter().any(|f| f.0 == *k))
            .map(|k| self.open[k])
            .collect();
        self.unit = self.unit.take().or(unit);
        ctx.place(c.lines());
        self.last = self.last.max(c.last());
        self.at += 1;
        true
    }

    /// The open label above `x` on line `l` whose column overlaps it most, not one
    /// already `found`.
    fn column_above(
        &self,
        ctx: &Ctx,
        l: usize,
        x: [f32; 2],
        found: &[(usize, usize, &str)],
    ) -> Option<usize> {
        (0..self.open.len())
            .filter(|k| !found.iter().any(|f| f.0 == *k))
            .filter_map(|k| {
                let o = self.open[k];
                Some((k, overlap(ctx, o.line, o.x, l, x)?))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| k)
    }

    /// The value cell of the labels at `self.at`, `rest` after them on their line: that
    /// rest, else the lines below it in the same cell, else alone in the next block
    /// (appendix layout; `self.at` then moves onto it). Kept with its spacing:
    /// side-by-side values are told apart by wide gaps. Its lines are added to `used`.
    fn value_cell(&mut self, ctx: &Ctx, rest: String, used: &mut Vec<usize>) -> Option<String> {
        let c = &self.cells[self.at];
        let mut raw: Option<String> = Some(rest).filter(|r| !r.is_empty());
        if raw.is_none() && c.line_count() > 1 {
            let below: Vec<&str> = c.lines().skip(1).map(|l| ctx.text(l)).collect();
            raw = Some(below.join("  "));
            used.extend(c.lines().skip(1));
        }
        if raw.is_none() {
            if let Some(n) = self.cells.get(self.at + 1) {
                let t = ctx.text(n.first());
                if n.is_single_line() && grammar::is_value_like(t) && !is_value_cell(t) {
                    raw = Some(t.to_owned());
                    used.push(n.first());
                    self.at += 1;
                }
            }
        }
        raw
    }

    /// The values of several year labels side by side, split from one value cell.
    /// Values that do not split into one per label stay out of the tree and are named
    /// instead of guessed: their lines are taken out of `used`.
    fn side_by_side(
        &mut self,
        ctx: &mut Ctx,
        labels: Vec<(ValueKind, i32)>,
        raw: Option<String>,
        source: Source,
        used: &mut Vec<usize>,
    ) {
        let first_line = used[0];
        let parts = raw.as_deref().map(|r| split_values(r, labels.len()));
        match parts {
            Some(None) => {
                let message = format!(
                    "{} year cells side by side, values {:?} do not split into as many",
                    labels.len(),
                    raw.as_deref().unwrap_or_default()
                );
                let value_lines = used[1..].to_vec();
                ctx.warn(WarningCode::UnsplitValues, message, &value_lines);
                used.truncate(1);
                for (k, y) in labels {
                    self.values
                        .push(value(ctx, Some(k), y, None, source, first_line));
                }
            }
            Some(Some(parts)) => {
                for ((k, y), r) in labels.into_iter().zip(parts) {
                    self.values
                        .push(value(ctx, Some(k), y, Some(r), source, first_line));
                }
            }
            None => {
                for (k, y) in labels {
                    self.values
                        .push(value(ctx, Some(k), y, None, source, first_line));
                }
            }
        }
    }
}

/// A row whose cells a PDF line keeps apart by wide gaps ("kpl    891    46 300"): the
/// unit (a first cell that is no value) and the values, so that a space inside a
/// number is never taken for a cell's end. `None` without such gaps, or when a cell
/// after the unit is no value.
fn cells_by_gap(text: &str) -> Option<(String, Vec<String>)> {
    let mut parts = gap_parts(text);
    if parts.len() < 2 {
        return None;
    }
    let unit = if grammar::is_value_like(parts[0]) {
        String::new()
    } else {
        parts.remove(0).to_owned()
    };
    parts
        .iter()
        .all(|p| grammar::is_value_like(p))
        .then(|| (unit, parts.iter().map(|p| (*p).to_owned()).collect()))
}

/// The parts of a line between wide gaps (two spaces or more).
fn gap_parts(line: &str) -> Vec<&str> {
    line.split("  ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The values of `n` years in the lines below them in their cell (a transposed grid:
/// "2025" over "52 900"), one per year; `None` when the lines are not all values or do
/// not split into as many.
fn values_below(ctx: &Ctx, below: &[usize], n: usize) -> Option<Vec<String>> {
    let value = |t: &str| grammar::is_value_like(t) && !is_value_cell(t);
    if below.is_empty() || !below.iter().all(|&l| value(ctx.text(l))) {
        return None;
    }
    let joined: Vec<&str> = below.iter().map(|&l| ctx.text(l)).collect();
    split_values(&joined.join("  "), n)
}

/// Splits a line of side-by-side values into `n`: at wide gaps, else at each value.
fn split_values(line: &str, n: usize) -> Option<Vec<String>> {
    let by_gap = gap_parts(line);
    if by_gap.len() == n {
        return Some(by_gap.into_iter().map(str::to_owned).collect());
    }
    let tokens = grammar::value_tokens(line);
    (tokens.len() == n).then_some(tokens)
}

fn value(
    ctx: &mut Ctx,
    kind: Option<ValueKind>,
    year: i32,
    raw: Option<String>,
    source: Source,
    line: usize,
) -> Value {
    let raw = raw.map(|r| grammar::collapse(&r)).filter(|r| !r.is_empty());
    let parsed = raw.as_deref().and_then(grammar::parse_value);
    // Extractors differ on the narrow gap after a comparator ("≤6", "≤ 6"): one space.
    let raw = match (raw, parsed) {
        (Some(r), Some((Some(_), _))) => Some(grammar::comparator_spaced(r)),
        (raw, _) => raw,
    };
    if let (Some(r), None) = (&raw, parsed) {
        if !matches!(r.as_str(), "-" | "–" | "—") {
            let message = format!("value {r:?} for {year} is not a number; kept as raw");
            ctx.note(WarningCode::UnparsedValue, message, line);
        }
    }
    Value {
        year,
        kind,
        raw,
        comparator: parsed.and_then(|p| p.0),
        value: parsed.map(|p| p.1),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::{place_values, values_row};
    use crate::model::{Indicator, ValueKind};
    use crate::structure::test_support::{table, BREAK};
    use crate::{convert_bytes, Options};

    /// The first indicator of a PDF-like table: a line, a target, "Mittari" whose grid
    /// is `grid`, and a second indicator after it.
    fn grid_indicator(grid: &[(&'static str, f32, &'static str, f32)]) -> Indicator {
        let mut rows = vec![
            ("Linja", 13.0, "b", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "b", 4.0),
            ("Teksti.", 10.0, "", 4.0),
            BREAK,
            ("Mittari", 10.0, "", 4.0),
            BREAK,
        ];
        rows.extend_from_slice(grid);
        rows.extend_from_slice(&[
            BREAK,
            ("Toinen mittari", 10.0, "", 4.0),
            BREAK,
            ("Mittayksikkö", 9.0, "b", 4.0),
            ("kpl", 9.0, "", 4.0),
        ]);
        table(&rows).strategic_lines[0].indicators[0].clone()
    }

    #[test]
    fn values_in_a_row_below_a_row_of_lone_labels_go_to_the_label_above_them() {
        // Labels side by side, each cell's value wrapped to a row of its own below; the
        // middle one empty.
        let i = grid_indicator(&[
            ("Mittayksikkö", 9.0, "b", 4.0),
            ("kpl", 9.0, "", 4.0),
            BREAK,
            ("Tav 2027", 9.0, "b", 100.0),
            BREAK,
            ("Tav 2028", 9.0, "b", 150.0),
            BREAK,
            ("Tav 2029", 9.0, "b", 200.0),
            BREAK,
            ("1 200", 9.0, "", 100.0),
            ("11 800", 9.0, "", 200.0),
        ]);
        assert_eq!(
            cells(&i),
            [(2027, Some("1 200")), (2028, None), (2029, Some("11 800"))]
        );
    }

    #[test]
    fn a_grid_row_below_its_labels_gives_the_unit_under_the_unit_label() {
        // Every cell a paragraph of its own: the header row, then the values row.
        let i = grid_indicator(&[
            ("Mittayksikkö:", 9.0, "b", 20.0),
            BREAK,
            ("Tot 2026", 9.0, "b", 100.0),
            BREAK,
            ("Tav 2027", 9.0, "b", 150.0),
            BREAK,
            ("kpl", 9.0, "", 20.0),
            BREAK,
            ("34 500", 9.0, "", 100.0),
            BREAK,
            ("1200", 9.0, "", 150.0),
        ]);
        assert_eq!(i.unit.as_deref(), Some("kpl"));
        assert_eq!(cells(&i), [(2026, Some("34 500")), (2027, Some("1200"))]);
    }

    #[test]
    fn a_partly_empty_row_below_years_in_cells_of_their_own_goes_by_column() {
        // Years in four cells, then values under the first, third and fourth only.
        let i = grid_indicator(&[
            ("Mittayksikkö", 9.0, "b", 4.0),
            ("kpl", 9.0, "", 4.0),
            BREAK,
            ("2024    2025    2026    2027", 9.0, "b", 100.0),
            BREAK,
            ("26 100            39 971    48 400", 9.0, "", 95.0),
        ]);
        assert_eq!(
            cells(&i),
            [
                (2024, Some("26 100")),
                (2025, None),
                (2026, Some("39 971")),
                (2027, Some("48 400"))
            ]
        );
    }

    #[test]
    fn a_values_row_led_by_its_unit_under_the_unit_label_goes_by_column() {
        // The unit label heads a row of years in cells of their own; the row below
        // holds the unit under that label and values under three of the four years.
        let i = grid_indicator(&[
            ("Mittayksikkö:", 9.0, "b", 20.0),
            BREAK,
            ("2024    2025    2026    2027", 9.0, "b", 100.0),
            BREAK,
            (
                "pv              26 100         39 971    48 400",
                9.0,
                "",
                20.0,
            ),
        ]);
        assert_eq!(i.unit.as_deref(), Some("pv"));
        assert_eq!(
            cells(&i),
            [
                (2024, Some("26 100")),
                (2025, None),
                (2026, Some("39 971")),
                (2027, Some("48 400"))
            ]
        );
    }

    /// The indicators of a pdf-extract dump whose results table holds `rows`.
    fn dump_indicators(rows: &str) -> (Vec<Indicator>, Vec<String>) {
        let text = format!(
            "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
             3 Tulostavoitteet\n\nTaulukko: Tulostavoitteet\n\nLinja\n\nTavoite\n\n\
             Tavoite 2027 Teksti.\n\n{rows}"
        );
        let doc = convert_bytes("d.txt", text.as_bytes(), &Options::default()).expect("converts");
        let codes = doc.warnings.iter().map(|w| w.code.to_string()).collect();
        let a = &doc.agreements[0];
        (a.strategic_lines[0].goals[0].indicators.clone(), codes)
    }

    fn cells(i: &Indicator) -> Vec<(i32, Option<&str>)> {
        i.values
            .iter()
            .map(|v| (v.year, v.raw.as_deref()))
            .collect()
    }

    #[test]
    fn a_header_row_of_year_labels_takes_the_unit_and_values_below_it() {
        let (found, codes) = dump_indicators(
            "Mittari\nMittayksikkö Tot 2025 Tav 2026 Tav 2027\n\nHBaro 1-4 3,1 > 3,28 ≥ 3,30\n\n\
             Toinen mittari\nMittayksikkö Tav 2026 Tav 2027 Tav 2028\n\n% ≥ 1 200\n\n\
             Kolmas mittari\nMittayksikkö Tav 2026 Tav 2027\n\nkpl\n\n",
        );
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].unit.as_deref(), Some("HBaro 1-4"));
        assert_eq!(
            cells(&found[0]),
            [
                (2025, Some("3,1")),
                (2026, Some("> 3,28")),
                (2027, Some("≥ 3,30"))
            ]
        );
        assert_eq!(found[0].values[0].kind, Some(ValueKind::Actual));
        // One value under two labels: placed first, and the doubt named.
        assert_eq!(
            cells(&found[1]),
            [(2026, Some("≥ 1 200")), (2027, None), (2028, None)]
        );
        assert_eq!(codes.iter().filter(|c| *c == "values_unaligned").count(), 1);
        assert_eq!(found[2].unit.as_deref(), Some("kpl"));
        assert_eq!(cells(&found[2]), [(2026, None), (2027, None)]);
    }

    #[test]
    fn a_values_row_below_a_row_of_bare_years_gives_unit_and_values() {
        // The unit label alone, the years on a row of their own, then the unit and the
        // values on one row: a grid whose header and values stand apart.
        let (found, codes) = dump_indicators(
            "Mittari\nMittayksikkö:\n\n2026 2027 2028\n\nkpl 891 46 300 88 600\n\n\
             Toinen mittari\nMittayksikkö:\n%\n\n2026 2027 2028\n\n95,5 96,5 97,5\n\n\
             Kolmas mittari\nMittayksikkö:\n%\n\n2026 2027\n\nTavoite 2028 Teksti.\n\n",
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].unit.as_deref(), Some("kpl"));
        assert_eq!(
            cells(&found[0]),
            [
                (2026, Some("891")),
                (2027, Some("46 300")),
                (2028, Some("88 600"))
            ]
        );
        assert_eq!(found[1].unit.as_deref(), Some("%"));
        assert_eq!(
            cells(&found[1]),
            [
                (2026, Some("95,5")),
                (2027, Some("96,5")),
                (2028, Some("97,5"))
            ]
        );
        assert!(codes.is_empty(), "{codes:?}");
        // A target after the years is no values row (nor is a lone next year after a
        // page break: keha-typo.pdf's monitoring appendix, tests/layout.rs).
        assert_eq!(cells(&found[2]), [(2026, None), (2027, None)]);
    }

    #[test]
    fn a_values_row_is_read_as_its_unit_and_as_many_values_as_fit() {
        let row = |t: &str, n| values_row(t, n).map(|(u, v)| (u, v.join("|")));
        assert_eq!(
            row("% 1,6 2,5 < 3,2", 3),
            Some(("%".into(), "1,6|2,5|< 3,2".into()))
        );
        // A space groups thousands or parts values: a full row wins.
        assert_eq!(row("1 200 300", 2), Some(("".into(), "1 200|300".into())));
        assert_eq!(row("12 345 678", 3), Some(("".into(), "12|345|678".into())));
        assert_eq!(
            row("pv 58900 87 800", 6),
            Some(("pv".into(), "58900|87 800".into()))
        );
        assert_eq!(
            row("milj. euroa ≤36,4", 4),
            Some(("milj. euroa".into(), "≤ 36,4".into()))
        );
        assert_eq!(row("1 2 3", 2), None);
    }

    #[test]
    fn a_compared_value_is_placed_under_a_target_year_only() {
        let labels = [
            (Some(ValueKind::Actual), 2025),
            (Some(ValueKind::Estimate), 2026),
            (Some(ValueKind::Target), 2027),
        ];
        let placed = place_values(&labels, &["≥ 5".to_owned()]).expect("fits");
        assert_eq!(placed, [None, None, Some("≥ 5".to_owned())]);
        let placed = place_values(&labels, &["4".to_owned(), "≥ 5".to_owned()]).expect("fits");
        assert_eq!(placed, [Some("4".to_owned()), None, Some("≥ 5".to_owned())]);
    }

    #[test]
    fn a_lone_next_year_continues_a_row_of_years() {
        let a = table(&[
            ("Linja", 13.0, "b", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "b", 4.0),
            ("Teksti.", 10.0, "", 4.0),
            BREAK,
            ("Mittari", 10.0, "", 4.0),
            BREAK,
            ("Mittayksikkö", 9.5, "", 4.0),
            BREAK,
            ("2024 2025", 9.5, "", 4.0),
            BREAK,
            ("2026", 9.5, "", 4.0),
            BREAK,
            ("Toinen mittari", 10.0, "", 4.0),
            BREAK,
            ("Mittayksikkö", 9.5, "", 4.0),
            BREAK,
            ("2024 2025", 9.5, "", 4.0),
        ]);
        let years: Vec<i32> = a.strategic_lines[0].indicators[0]
            .values
            .iter()
            .map(|v| v.year)
            .collect();
        assert_eq!(years, [2024, 2025, 2026]);
    }

    #[test]
    fn lone_years_over_their_values_are_a_transposed_grid() {
        let a = table(&[
            ("Linja", 13.0, "b", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "b", 4.0),
            ("Teksti.", 10.0, "", 4.0),
            BREAK,
            ("Mittari", 10.0, "", 4.0),
            BREAK,
            ("Mittayksikkö", 9.5, "", 4.0),
            ("%", 9.5, "", 84.0),
            BREAK,
            ("2025", 9.5, "", 4.0),
            ("52 900", 9.5, "", 84.0),
            BREAK,
            ("2026", 9.5, "", 4.0),
            BREAK,
            ("2027", 9.5, "", 4.0),
            ("12", 9.5, "", 84.0),
            BREAK,
            ("Toinen mittari", 10.0, "", 4.0),
            BREAK,
            ("Mittayksikkö", 9.5, "", 4.0),
            ("kpl", 9.5, "", 84.0),
            BREAK,
            ("Tav 2027", 9.5, "", 4.0),
            ("5", 9.5, "", 84.0),
        ]);
        let values: Vec<(i32, Option<&str>)> = a.strategic_lines[0].indicators[0]
            .values
            .iter()
            .map(|v| (v.year, v.raw.as_deref()))
            .collect();
        assert_eq!(
            values,
            [(2025, Some("52 900")), (2026, None), (2027, Some("12"))]
        );
        assert!(a.strategic_lines[0].indicators[0].values[0].kind.is_none());
    }
}
