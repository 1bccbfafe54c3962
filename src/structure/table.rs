//! The results table (and the resource and monitoring tables): its cells read in
//! order as heading rows, targets and indicators, heading rows placed in the level
//! tree, and what cannot be read named in a warning.

use super::cells::{cells, is_value_cell, names_indicator, Cell};
use super::indicators::indicator;
use super::levels::{head_cell, line_openers, typography, HeadCell, Tree};
use super::{short, Ctx};
use crate::grammar;
use crate::model::{Agreement, Indicator, MonitoringGroup, Target, Warning};
use crate::text::push_para;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TableKind {
    Results,
    Resources,
    Monitoring,
}

pub(super) fn table_kind(title: &str) -> TableKind {
    let t = title.to_lowercase();
    if t.contains("voimavar") {
        TableKind::Resources
    } else if t.contains("seurantamittar") || (t.contains("seuranta") && t.contains("mittar")) {
        TableKind::Monitoring
    } else {
        TableKind::Results
    }
}

pub(super) fn read_table(ctx: &mut Ctx, a: &mut Agreement, kind: TableKind, blocks: &[usize]) {
    let cells = cells(ctx, blocks);
    let mut tree = Tree {
        line_openers: line_openers(ctx, &cells),
        typography: if kind == TableKind::Results {
            typography(ctx, &cells)
        } else {
            None
        },
        ..Tree::default()
    };
    let mut pending: Vec<HeadCell> = Vec::new();
    let mut group: Option<String> = None;
    let mut i = 0;
    while i < cells.len() {
        let c = &cells[i];
        let lines = ctx.lines;
        let first = lines.lines[c.first()].text();
        if let Some((year, _)) = grammar::target_label(first) {
            if kind == TableKind::Results {
                tree.place_group(std::mem::take(&mut pending));
                let target = target(ctx, c, year);
                match tree.leaf_owner() {
                    Some(owner) => tree.nodes[owner].targets.push(target),
                    None => orphan(ctx, c, "a target row before any heading row"),
                }
            } else {
                orphan(ctx, c, "a target row in a table of indicators");
            }
            i += 1;
            continue;
        }
        if is_value_cell(first) || (c.is_single_line() && grammar::is_value_like(first)) {
            orphan(
                ctx,
                c,
                "an indicator cell without an indicator name before it",
            );
            i += 1;
            continue;
        }
        if !names_indicator(ctx, &cells, i) {
            pending.push(head_cell(ctx, c));
            i += 1;
            continue;
        }
        let (indicator, next) = indicator(ctx, &cells, i);
        i = next;
        match kind {
            TableKind::Results => {
                tree.place_group(std::mem::take(&mut pending));
                match tree.leaf_owner() {
                    Some(owner) => tree.nodes[owner].indicators.push(indicator),
                    None => {
                        let lines: Vec<usize> =
                            cells[..next].iter().flat_map(|c| c.lines()).collect();
                        for &l in &lines {
                            ctx.placed[l] = false;
                        }
                        ctx.warn(
                            "orphan_indicator",
                            format!("indicator {:?} before any heading row", indicator.name),
                            &lines,
                        );
                    }
                }
            }
            TableKind::Resources => {
                if let Some(h) = pending.drain(..).next_back() {
                    group = Some(h.title);
                }
                a.resource_indicators.push(Indicator {
                    group: group.clone(),
                    ..indicator
                });
            }
            TableKind::Monitoring => {
                for h in pending.drain(..) {
                    a.monitoring_indicators.push(MonitoringGroup {
                        group: Some(h.title),
                        indicators: Vec::new(),
                    });
                }
                if a.monitoring_indicators.is_empty() {
                    a.monitoring_indicators.push(MonitoringGroup {
                        group: None,
                        indicators: Vec::new(),
                    });
                }
                let g = a.monitoring_indicators.last_mut().expect("group");
                g.indicators.push(indicator);
            }
        }
    }
    match kind {
        TableKind::Results => {
            tree.place_group(pending);
            for (line, message) in std::mem::take(&mut tree.disagreements) {
                ctx.note("level_by_layout", message, line);
            }
            // Levels are 0-based (a strategic line is level 0, depth 1).
            match tree.nodes.iter().find(|n| n.level >= ctx.max_depth) {
                Some(n) if ctx.too_deep.is_none() => {
                    let depth = tree.nodes.iter().map(|n| n.level + 1).max().unwrap_or(0);
                    ctx.too_deep = Some((depth, n.head.source.line));
                }
                Some(_) => {}
                None => a.strategic_lines.extend(tree.into_strategic_lines()),
            }
        }
        TableKind::Resources | TableKind::Monitoring => {
            for h in pending {
                if kind == TableKind::Monitoring {
                    a.monitoring_indicators.push(MonitoringGroup {
                        group: Some(h.title),
                        indicators: Vec::new(),
                    });
                } else {
                    ctx.warnings.push(Warning {
                        code: "heading_without_indicators".into(),
                        message: format!("resource table heading {:?} has no indicators", h.title),
                        line: Some(h.source.line),
                        page: h.source.page,
                    });
                }
            }
        }
    }
}

fn orphan(ctx: &mut Ctx, c: &Cell, what: &str) {
    let lines: Vec<usize> = c.lines().collect();
    let text = short(&ctx.para(c.paras.first));
    ctx.warn("orphan_cell", format!("{what}: {text:?}"), &lines);
}

fn target(ctx: &mut Ctx, c: &Cell, year: i32) -> Target {
    // The paragraphs joined with a blank line, empty ones left out, in one string, sized
    // once: never longer than the lines, a space each and a blank line per paragraph.
    let cap = c
        .lines()
        .map(|i| ctx.lines.lines[i].raw().len() + 1)
        .sum::<usize>()
        + 2 * c.paras.len();
    let mut text = String::with_capacity(cap);
    for (n, p) in c.paras.iter().enumerate() {
        let parts = p.iter().enumerate().map(|(k, &i)| {
            let l = &ctx.lines.lines[i];
            let text = if n == 0 && k == 0 {
                grammar::target_label(l.text()).map_or("", |(_, rest)| rest)
            } else {
                l.raw()
            };
            (text, l.trailing_space)
        });
        push_para(&mut text, parts);
    }
    ctx.place(c.lines());
    Target {
        id: String::new(),
        year,
        text,
        source: ctx.source(c.first(), c.last()),
    }
}
