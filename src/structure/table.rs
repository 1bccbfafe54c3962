//! The results table (and the resource and monitoring tables): its cells read in
//! order as heading rows, targets and indicators, heading rows placed in the level
//! tree, and what cannot be read named in a warning.

use super::cells::{cells, dump_names_described, is_value_cell, names_indicator, Cell};
use super::indicators::indicator;
use super::levels::{head_cell, line_openers, typography, HeadCell, Tree};
use super::{short, Ctx};
use crate::grammar;
use crate::model::{Agreement, Indicator, MonitoringGroup, Orphan, Target, Warning, WarningCode};
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
    let cells = dump_names_described(ctx, cells(ctx, blocks), kind == TableKind::Monitoring);
    let mut reader = Reader {
        kind,
        tree: Tree {
            line_openers: line_openers(ctx, &cells),
            typography: if kind == TableKind::Results {
                typography(ctx, &cells)
            } else {
                None
            },
            // A `-layout` dump shows only indentation, in character columns: its rows
            // keep the ranking by indentation; a PDF's own styles decide per table.
            by_classes: ctx.lines.dialect == crate::lines::Dialect::PdfLayout,
            ..Tree::default()
        },
        pending: Vec::new(),
        group: None,
    };
    let mut i = 0;
    while i < cells.len() {
        i = reader.row(ctx, a, &cells, i);
    }
    reader.finish(ctx, a);
}

/// What reading a table's rows in order keeps between them.
struct Reader {
    kind: TableKind,
    /// The results tree (empty in the other tables).
    tree: Tree,
    /// Heading rows met since the last target or indicator.
    pending: Vec<HeadCell>,
    /// A resource table's group: its last heading row before an indicator.
    group: Option<String>,
}

impl Reader {
    /// Reads the row that starts at `cells[i]`: a target, a value cell without a name,
    /// a heading row, or an indicator (its name, unit and values). Returns the index
    /// after it.
    fn row(&mut self, ctx: &mut Ctx, a: &mut Agreement, cells: &[Cell], i: usize) -> usize {
        let c = &cells[i];
        let lines = ctx.lines;
        let first = lines.lines[c.first()].text();
        if let Some((year, _)) = grammar::target_label(first) {
            self.target(ctx, a, c, year);
            return i + 1;
        }
        if is_value_cell(first) || (c.is_single_line() && grammar::is_value_like(first)) {
            orphan(
                ctx,
                a,
                c,
                "an indicator cell without an indicator name before it",
            );
            return i + 1;
        }
        if !names_indicator(ctx, cells, i) {
            self.pending.push(head_cell(ctx, c));
            return i + 1;
        }
        let (indicator, next) = indicator(ctx, cells, i);
        match self.kind {
            TableKind::Results => self.result_indicator(ctx, a, indicator, &cells[i..next]),
            TableKind::Resources => {
                if let Some(h) = self.pending.drain(..).next_back() {
                    self.group = Some(h.title);
                }
                a.resource_indicators.push(Indicator {
                    group: self.group.clone(),
                    ..indicator
                });
            }
            TableKind::Monitoring => {
                for h in self.pending.drain(..) {
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
        next
    }

    /// A target row: under the open leaf of a results table, else an orphan.
    fn target(&mut self, ctx: &mut Ctx, a: &mut Agreement, c: &Cell, year: i32) {
        if self.kind != TableKind::Results {
            orphan(ctx, a, c, "a target row in a table of indicators");
            return;
        }
        self.tree.place_group(std::mem::take(&mut self.pending));
        match self.tree.leaf_owner() {
            Some(owner) => {
                let target = target(ctx, c, year);
                self.tree.nodes[owner].targets.push(target);
            }
            None => orphan(ctx, a, c, "a target row before any heading row"),
        }
    }

    /// An indicator of a results table, under the open leaf. Before any heading row,
    /// its cells (`read`) are kept as an orphan and named in an `orphan_indicator`
    /// warning.
    fn result_indicator(
        &mut self,
        ctx: &mut Ctx,
        a: &mut Agreement,
        indicator: Indicator,
        read: &[Cell],
    ) {
        self.tree.place_group(std::mem::take(&mut self.pending));
        match self.tree.leaf_owner() {
            Some(owner) => self.tree.nodes[owner].indicators.push(indicator),
            None => {
                let lines: Vec<usize> = read.iter().flat_map(|c| c.lines()).collect();
                ctx.warn(
                    WarningCode::OrphanIndicator,
                    format!("indicator {:?} before any heading row", indicator.name),
                    &lines,
                );
                keep_orphan(ctx, a, read);
            }
        }
    }

    /// After the last row: the heading rows still pending, and the results tree into
    /// the agreement (or, deeper than the limit, into `ctx.too_deep`).
    fn finish(self, ctx: &mut Ctx, a: &mut Agreement) {
        let kind = self.kind;
        match kind {
            TableKind::Results => {
                let mut tree = self.tree;
                tree.place_group(self.pending);
                for (line, message) in std::mem::take(&mut tree.disagreements) {
                    ctx.note(WarningCode::LevelByLayout, message, line);
                }
                if let Some(&line) = tree.ambiguous.first() {
                    let n = tree.ambiguous.len();
                    let message = format!(
                        "{n} group(s) of heading rows fit more than one level by their styles; each was placed where the row sequence puts it (as a dump would be read), else as deep as it can stand"
                    );
                    ctx.note(WarningCode::LevelAmbiguous, message, line);
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
                for h in self.pending {
                    if kind == TableKind::Monitoring {
                        a.monitoring_indicators.push(MonitoringGroup {
                            group: Some(h.title),
                            indicators: Vec::new(),
                        });
                    } else {
                        ctx.warnings.push(Warning {
                            code: WarningCode::HeadingWithoutIndicators,
                            message: format!(
                                "resource table heading {:?} has no indicators",
                                h.title
                            ),
                            line: Some(h.source.line),
                            page: h.source.page,
                        });
                    }
                }
            }
        }
    }
}

/// A cell that fits nowhere: named in a warning and kept, as printed, in the
/// agreement's orphans.
fn orphan(ctx: &mut Ctx, a: &mut Agreement, c: &Cell, what: &str) {
    let lines: Vec<usize> = c.lines().collect();
    let text = short(&ctx.para(c.paras.first));
    ctx.warn(WarningCode::OrphanCell, format!("{what}: {text:?}"), &lines);
    keep_orphan(ctx, a, std::slice::from_ref(c));
}

/// `cells` into the agreement's orphans, their paragraphs joined with a blank line.
fn keep_orphan(ctx: &mut Ctx, a: &mut Agreement, cells: &[Cell]) {
    let (Some(first), Some(last)) = (cells.first(), cells.last()) else {
        return;
    };
    let mut text = String::new();
    for c in cells {
        for p in c.paras.iter() {
            let parts = p.iter().map(|&i| {
                let l = &ctx.lines.lines[i];
                (l.raw(), l.trailing_space)
            });
            push_para(&mut text, parts);
        }
    }
    ctx.place(cells.iter().flat_map(|c| c.lines()));
    a.orphans.push(Orphan {
        text,
        source: ctx.source(first.first(), last.last()),
    });
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
    let mut parts = Vec::new();
    for (n, p) in c.paras.iter().enumerate() {
        if n > 0 && !c.paras.continues(n) {
            push_para(&mut text, parts.drain(..));
        }
        parts.extend(p.iter().enumerate().map(|(k, &i)| {
            let l = &ctx.lines.lines[i];
            let text = if n == 0 && k == 0 {
                grammar::target_label(l.text()).map_or("", |(_, rest)| rest)
            } else {
                l.raw()
            };
            (text, l.trailing_space)
        }));
    }
    push_para(&mut text, parts);
    ctx.place(c.lines());
    Target {
        id: String::new(),
        year,
        text,
        source: ctx.source(c.first(), c.last()),
    }
}
