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
    let on_label = grammar::unit_label(ctx.text(unit_cell.first())).unwrap_or("");
    let unit = if on_label.is_empty() {
        if unit_cell.paras.len() == 1 {
            ctx.para(&unit_cell.paras.first[1..])
        } else {
            ctx.para(&unit_cell.lines().skip(1).collect::<Vec<_>>())
        }
    } else {
        grammar::collapse(on_label)
    };
    ctx.place(unit_cell.lines());
    let mut last = unit_cell.last();
    let mut values = Vec::new();
    let mut j = i + 2;
    while j < cells.len() {
        let c = &cells[j];
        let first_line = c.first();
        let all_lines = ctx.lines;
        let first = all_lines.lines[first_line].text();
        if let Some(years) = grammar::bare_years(first) {
            for year in years {
                values.push(Value {
                    year,
                    kind: None,
                    raw: None,
                    comparator: None,
                    value: None,
                    source: ctx.source(first_line, first_line),
                });
            }
            ctx.place([first_line]);
            last = first_line;
            if c.line_count() > 1 {
                break;
            }
            j += 1;
            // The row goes on past a page break: a lone year next in the sequence.
            while let Some(c) = cells.get(j) {
                let next = values.last().map(|v| v.year + 1);
                let year = ctx.text(c.first()).parse::<i32>().ok();
                if !(c.is_single_line() && year.is_some() && year == next) {
                    break;
                }
                let year = year.expect("checked");
                let source = ctx.source(c.first(), c.first());
                values.push(Value {
                    year,
                    kind: None,
                    raw: None,
                    comparator: None,
                    value: None,
                    source,
                });
                ctx.place([c.first()]);
                last = c.first();
                j += 1;
            }
            continue;
        }
        let Some((kind, year, rest)) = grammar::year_label(first) else {
            break;
        };
        let mut labels = vec![(kind, year)];
        let mut rest = rest;
        while let Some((k, y, r)) = grammar::year_label(rest) {
            labels.push((k, y));
            rest = r;
        }
        let rest = rest.to_owned();
        // The value cell: after the label on its line, below it in the same cell, or
        // alone in the next block (appendix layout). Kept with its spacing: side-by-side
        // values are told apart by wide gaps.
        let mut used = vec![first_line];
        let mut raw: Option<String> = Some(rest).filter(|r| !r.is_empty());
        if raw.is_none() && c.line_count() > 1 {
            let below: Vec<&str> = c.lines().skip(1).map(|l| ctx.text(l)).collect();
            raw = Some(below.join("  "));
            used.extend(c.lines().skip(1));
        }
        if raw.is_none() {
            if let Some(n) = cells.get(j + 1) {
                let t = ctx.text(n.first());
                if n.is_single_line() && grammar::is_value_like(t) && !is_value_cell(t) {
                    raw = Some(t.to_owned());
                    used.push(n.first());
                    j += 1;
                }
            }
        }
        let source = ctx.source(first_line, *used.last().expect("line"));
        if labels.len() == 1 {
            values.push(value(ctx, kind, year, raw, source, first_line));
        } else {
            let parts = raw.as_deref().map(|r| split_values(r, labels.len()));
            match parts {
                Some(None) => {
                    // Values that do not split into one per label stay out of the tree
                    // and are named instead of guessed.
                    let message = format!(
                        "{} year cells side by side, values {:?} do not split into as many",
                        labels.len(),
                        raw.as_deref().unwrap_or_default()
                    );
                    let value_lines = used[1..].to_vec();
                    ctx.warn("unsplit_values", message, &value_lines);
                    used.truncate(1);
                    for (k, y) in labels {
                        values.push(value(ctx, k, y, None, source, first_line));
                    }
                }
                Some(Some(parts)) => {
                    for ((k, y), r) in labels.into_iter().zip(parts) {
                        values.push(value(ctx, k, y, Some(r), source, first_line));
                    }
                }
                None => {
                    for (k, y) in labels {
                        values.push(value(ctx, k, y, None, source, first_line));
                    }
                }
            }
        }
        ctx.place(used.iter().copied());
        last = *used.last().expect("line");
        j += 1;
    }
    let source = ctx.source(cells[i].first(), last);
    (
        Indicator {
            id: String::new(),
            name: name.title,
            description: name.description,
            unit: Some(unit).filter(|u| !u.is_empty()),
            values,
            group: None,
            source,
        },
        j,
    )
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
    kind: ValueKind,
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
        kind: Some(kind),
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
}
