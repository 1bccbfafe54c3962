//! Indicators: a name, its unit, and its values by year (years in a row, labelled
//! cells, side-by-side values split at wide gaps).

use super::cells::{is_value_cell, Cell};
use super::levels::head_cell;
use super::Ctx;
use crate::grammar;
use crate::model::{Indicator, Source, Value, ValueKind};

/// Reads the indicator named by `cells[i]`; returns it and the index after it.
pub(super) fn indicator(ctx: &mut Ctx, cells: &[Cell], i: usize) -> (Indicator, usize) {
    let name = head_cell(ctx, &cells[i]);
    let unit_cell = &cells[i + 1];
    let unit = unit(ctx, unit_cell);
    ctx.place(unit_cell.lines());
    let mut rows = ValueRows {
        cells,
        at: i + 2,
        unit_at: i + 1,
        last: unit_cell.last(),
        values: Vec::new(),
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
            unit: Some(unit).filter(|u| !u.is_empty()),
            values: rows.values,
            group: None,
            source,
        },
        rows.at,
    )
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
        let raws = values_below(ctx, &below, years.len());
        let last = match &raws {
            Some(_) => *below.last().expect("values"),
            None => first_line,
        };
        let source = ctx.source(first_line, last);
        let raws = raws.map_or_else(
            || vec![None; years.len()],
            |r| r.into_iter().map(Some).collect(),
        );
        for (year, raw) in years.into_iter().zip(raws) {
            let v = value(ctx, None, year, raw, source, first_line);
            self.values.push(v);
        }
        ctx.place(
            std::iter::once(first_line).chain(below.iter().copied().filter(|_| last != first_line)),
        );
        self.last = last;
        if last == first_line && c.line_count() > 1 {
            return false;
        }
        self.at += 1;
        // The row goes on past a page break: a lone year next in the sequence.
        while let Some(c) = self.cells.get(self.at) {
            let next = self.values.last().map(|v| v.year + 1);
            let year = ctx.text(c.first()).parse::<i32>().ok();
            if !(c.is_single_line() && year.is_some() && year == next) {
                break;
            }
            let year = year.expect("checked");
            let source = ctx.source(c.first(), c.first());
            self.values.push(Value {
                year,
                kind: None,
                raw: None,
                comparator: None,
                value: None,
                source,
            });
            ctx.place([c.first()]);
            self.last = c.first();
            self.at += 1;
        }
        true
    }

    /// A single year at `self.at` that opens or continues a grid of bare years (a grid
    /// transposed, or stacked one year per line): the first row after the unit, or the
    /// next year after bare years. Alone in its cell or over its values.
    fn lone_year(&self, ctx: &Ctx) -> Option<Vec<i32>> {
        let c = &self.cells[self.at];
        let text = ctx.text(c.first());
        let year_like = text.len() == 4
            && (text.starts_with("19") || text.starts_with("20"))
            && text.bytes().all(|b| b.is_ascii_digit());
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
            self.values
                .push(value(ctx, Some(kind), year, raw, source, first_line));
        } else {
            self.side_by_side(ctx, labels, raw, source, &mut used);
        }
        ctx.place(used.iter().copied());
        self.last = *used.last().expect("line");
        self.at += 1;
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
                ctx.warn("unsplit_values", message, &value_lines);
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
    let by_gap: Vec<String> = line
        .split("  ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    if by_gap.len() == n {
        return Some(by_gap);
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
    if let (Some(r), None) = (&raw, parsed) {
        if !matches!(r.as_str(), "-" | "–" | "—") {
            let message = format!("value {r:?} for {year} is not a number; kept as raw");
            ctx.note("unparsed_value", message, line);
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
    use crate::structure::test_support::{table, BREAK};

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
