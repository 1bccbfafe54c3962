//! The level tree: heading rows placed at their levels (`Tree::place_group` by
//! typography, `Tree::place_chain` by layout, grammar and sequence), the targets and
//! indicators hung under the open leaf, and the arena turned into strategic lines.

use std::collections::HashSet;

use super::cells::{is_heading_cell, is_value_cell, Cell};
use super::typography::{Style, Typography};
use super::Ctx;
use crate::grammar;
use crate::model::{Goal, Indicator, LevelEvidence, Source, StrategicLine, Target};
use crate::text::join_paras;

/// The most heading rows a chain is read to by its sequence alone, each the parent of
/// the next: twice as many levels as any agreement writes (six at most). A longer run
/// of heading rows without a target is look-alike rows whose targets are missing (left
/// out, or pages shuffled), not levels.
const LONGEST_CHAIN: u32 = 12;

/// A heading row waiting for its place in the tree.
pub(super) struct HeadCell {
    pub(super) title: String,
    pub(super) description: Option<String>,
    pub(super) spaced: bool,
    /// Typography of the first line, when the source has it (PDF).
    pub(super) style: Option<Style>,
    /// Index of the first line.
    pub(super) line: usize,
    pub(super) source: Source,
    /// The depth of the row's number, in a table that numbers its rows ("1.2 Title").
    pub(super) numbered: Option<u32>,
}

pub(super) fn head_cell(ctx: &mut Ctx, c: &Cell) -> HeadCell {
    let mut title = ctx.para(c.paras.first);
    let dotted = grammar::number_ends_in_dot(&title);
    let mut paras = c.paras.rest.as_slice();
    // A number in a column of its own comes first, the title as the next paragraph.
    let bare = grammar::bare_row_number(&title).filter(|_| !paras.is_empty());
    if bare.is_some() {
        title = ctx.para(paras[0]);
        paras = &paras[1..];
    }
    let numbered = grammar::row_number(&title).map(|(depth, rest)| (depth, rest.to_owned()));
    let numbered = numbered.map(|(depth, rest)| {
        title = rest;
        depth
    });
    let numbered = bare.or(numbered);
    // A row number too wide for its column goes on below the title, as a paragraph of
    // its own (`cells` joins it to this row).
    let mut tail = 0;
    let skipped = c.paras.rest.len() - paras.len();
    let mut rest: Vec<String> = Vec::with_capacity(paras.len());
    for (k, p) in paras.iter().enumerate() {
        let text = ctx.para(p);
        match (grammar::wrapped_number_tail(&text, dotted), rest.last_mut()) {
            (Some(levels), None) if numbered.is_some() => tail += levels,
            (_, Some(last)) if c.paras.continues(skipped + k + 1) => {
                last.push(' ');
                last.push_str(&text);
            }
            _ => rest.push(text),
        }
    }
    let numbered = numbered.map(|depth| depth + tail);
    let description = join_paras(rest);
    ctx.place(c.lines());
    HeadCell {
        title,
        description,
        spaced: ctx.blocks[c.block].spaced_wrap && c.first() == ctx.blocks[c.block].first(),
        style: Style::of(&ctx.lines.lines[c.first()]),
        line: c.first(),
        source: ctx.source(c.first(), c.last()),
        numbered,
    }
}

pub(super) struct Node {
    pub(super) head: HeadCell,
    pub(super) level: u32,
    pub(super) evidence: LevelEvidence,
    pub(super) children: Vec<usize>,
    pub(super) targets: Vec<Target>,
    pub(super) indicators: Vec<Indicator>,
}

/// The results tree while it is read: an arena of heading nodes and the open path.
#[derive(Default)]
pub(super) struct Tree {
    pub(super) nodes: Vec<Node>,
    pub(super) roots: Vec<usize>,
    /// Open path: stack[0] is the strategic line, stack[k] the node at level k.
    pub(super) stack: Vec<usize>,
    /// Deepest level that has received targets or indicators in this table.
    pub(super) max_depth: u32,
    /// First words that open at least two of the table's evident strategic lines (set
    /// in a larger font, or the first row): the table's own way of phrasing them.
    pub(super) line_openers: HashSet<String>,
    /// Heading-row styles ranked into levels, when the source shows them (PDF).
    pub(super) typography: Option<Typography>,
    /// Style classes used at each level so far.
    pub(super) seen: Vec<Vec<usize>>,
    /// Each node's style class, when the table has typography.
    pub(super) node_class: Vec<Option<usize>>,
    /// First lines of groups whose level more than one choice fitted equally.
    pub(super) ambiguous: Vec<usize>,
    /// Levels from the table's own use of its style classes (a PDF); otherwise from
    /// the ranking of its styles (a `-layout` dump's indentation).
    pub(super) by_classes: bool,
    /// Rows whose ranked level the row sequence disagrees with: (line, message).
    pub(super) disagreements: Vec<(usize, String)>,
}

impl Tree {
    /// Places the heading rows met since the last target or indicator.
    pub(super) fn place_group(&mut self, group: Vec<HeadCell>) {
        if group.is_empty() {
            return;
        }
        if group.iter().all(|h| h.numbered.is_some()) {
            self.place_numbered(group);
            return;
        }
        let classes: Option<Vec<usize>> = self.typography.as_ref().and_then(|t| {
            group
                .iter()
                .map(|h| h.style.as_ref().and_then(|s| t.class(s)))
                .collect()
        });
        if let Some(classes) = classes {
            if self.by_classes {
                self.place_by_classes(group, &classes);
            } else {
                self.place_by_rank(group);
            }
            return;
        }
        let mut rest = group;
        while !rest.is_empty() {
            let tail = rest.split_off(chain_len(&rest));
            self.place_chain(rest);
            rest = tail;
        }
    }

    /// Places a group whose rows each have a style class, by this table's own use of
    /// its styles rather than a fixed ranking of them.
    ///
    /// The rows of a group are a chain (each the parent of the next: targets and
    /// indicators hang only under the last), so only the first row's level is chosen:
    /// from 0 down to a child of the row before the group. Each choice costs one for every row whose class differs from the class
    /// the table has used at that level (on the open path first: siblings share a style;
    /// else anywhere before), half where that level has no class yet. The cheapest
    /// wins; a tie goes to the row sequence's choice (as in a dump) when it is among the
    /// tied, else to the deepest, and is remembered for one warning per table.
    fn place_by_classes(&mut self, group: Vec<HeadCell>, classes: &[usize]) {
        let open = self.stack.len();
        let by_sequence = self.sequence_levels(&group)[0];
        // Down to a child of the row before: a strategic line can hold indicators of
        // its own and still have goals after them.
        let costs: Vec<(u32, f32)> = (0..=open as u32)
            .map(|start| (start, self.chain_cost(start, classes)))
            .collect();
        let best = costs.iter().map(|c| c.1).fold(f32::INFINITY, f32::min);
        let tied: Vec<u32> = costs.iter().filter(|c| c.1 <= best).map(|c| c.0).collect();
        let start = if tied.contains(&by_sequence) {
            by_sequence
        } else {
            *tied.last().expect("one candidate")
        };
        if tied.len() > 1 {
            self.ambiguous.push(group[0].line);
        }
        self.stack.truncate(start as usize);
        let deepest = Tree::deepest_chained(start);
        for (n, (head, &class)) in group.into_iter().zip(classes).enumerate() {
            let level = (start + n as u32).min(deepest);
            self.stack.truncate(level as usize);
            let seen = &mut self.seen;
            if seen.len() <= level as usize {
                seen.resize(level as usize + 1, Vec::new());
            }
            if !seen[level as usize].contains(&class) {
                seen[level as usize].push(class);
            }
            self.push(head, level, LevelEvidence::Layout);
        }
    }

    /// Places each row at its style's rank (see [`Typography`]), noting where the row
    /// sequence alone would put it elsewhere.
    fn place_by_rank(&mut self, group: Vec<HeadCell>) {
        let by_sequence = self.sequence_levels(&group);
        for (head, sequence) in group.into_iter().zip(by_sequence) {
            let ranked = head
                .style
                .as_ref()
                .and_then(|s| self.typography.as_ref()?.level(s));
            // A level can only hang under an open parent.
            let level = ranked.unwrap_or(sequence).min(self.stack.len() as u32);
            if level != sequence {
                self.disagreements.push((
                    head.line,
                    format!(
                        "layout puts {:?} at level {level}; the row sequence alone would put it at level {sequence}",
                        head.title
                    ),
                ));
            }
            self.stack.truncate(level as usize);
            self.push(head, level, LevelEvidence::Layout);
        }
    }

    /// Places rows that carry their place in the tree as a number: "1.2.1" is a goal at
    /// level 2, under the open row one level up (or as deep as the open path goes).
    fn place_numbered(&mut self, group: Vec<HeadCell>) {
        for head in group {
            let depth = head.numbered.unwrap_or(1);
            let level = (depth - 1).min(self.stack.len() as u32);
            self.stack.truncate(level as usize);
            self.push(head, level, LevelEvidence::Grammar);
        }
    }

    /// What placing a chain of rows of these classes from level `start` costs.
    fn chain_cost(&self, start: u32, classes: &[usize]) -> f32 {
        let class_of = |level: usize| -> Option<usize> {
            let node = *self.stack.get(level)?;
            self.node_class.get(node).copied().flatten()
        };
        classes
            .iter()
            .enumerate()
            .map(|(n, &class)| {
                let level = start as usize + n;
                if let Some(open) = class_of(level) {
                    return if open == class { 0.0 } else { 1.0 };
                }
                match self.seen.get(level).filter(|s| !s.is_empty()) {
                    Some(s) if s.contains(&class) => 0.0,
                    Some(_) => 1.0,
                    None if self.seen.iter().any(|s| s.contains(&class)) => 1.0,
                    None => 0.5,
                }
            })
            .sum()
    }

    /// Gives a chain of k heading rows (each the parent of the next) its levels.
    ///
    /// A dump cannot always show which rows start a strategic line, so the chain keeps
    /// the depth the table already has: k rows after a leaf at level L replace levels
    /// L-k+1..=L when k <= L, and start a new strategic line when k > L. Layout
    /// (a larger font) or being the table's first row decides first.
    fn place_chain(&mut self, chain: Vec<HeadCell>) {
        let (start, evidence) = self.chain_start(&chain, self.stack.len());
        self.stack.truncate(start as usize);
        let deepest = Tree::deepest_chained(start);
        for (n, head) in chain.into_iter().enumerate() {
            let evidence = if n == 0 {
                evidence
            } else {
                LevelEvidence::Sequence
            };
            let level = (start + n as u32).min(deepest);
            self.stack.truncate(level as usize);
            self.push(head, level, evidence);
        }
    }

    /// The deepest level a chain of heading rows starting at `start` reaches before its
    /// further rows are read as siblings. A chain says each row is the parent of the
    /// next, which holds for a few levels: a goal with no target, no indicator and no
    /// sub-goal is implausible. Dozens of rows without a target between them
    /// are not dozens of levels, though: past [`LONGEST_CHAIN`] rows, the rest are
    /// siblings of the last row chained.
    fn deepest_chained(start: u32) -> u32 {
        start + (LONGEST_CHAIN - 1)
    }

    /// The levels [`Tree::place_group`] gives a group without layout, computed without
    /// placing it.
    fn sequence_levels(&self, group: &[HeadCell]) -> Vec<u32> {
        let mut out = Vec::with_capacity(group.len());
        let mut open = self.stack.len();
        let mut rest = group;
        while !rest.is_empty() {
            let (chain, tail) = rest.split_at(chain_len(rest));
            let (start, _) = self.chain_start(chain, open);
            out.extend((0..chain.len() as u32).map(|n| start + n));
            open = start as usize + chain.len();
            rest = tail;
        }
        out
    }

    /// Level of a chain's first row when `open` levels are open, and what decided it.
    fn chain_start(&self, chain: &[HeadCell], open: usize) -> (u32, LevelEvidence) {
        let k = chain.len() as u32;
        let leaf = open.saturating_sub(1) as u32;
        if chain[0].spaced {
            (0, LevelEvidence::Layout)
        } else if open == 0 {
            (0, LevelEvidence::Grammar)
        } else if leaf == 0 {
            // The strategic line itself held leaves: rows after it are its goals when
            // earlier strategic lines were that deep.
            (u32::from(k <= self.max_depth), LevelEvidence::Sequence)
        } else if k == leaf && k >= 2 && self.line_openers.contains(&first_word(&chain[0].title)) {
            // k rows after a leaf at depth k read as a goal chain or as a new strategic
            // line alike; a row worded like the table's strategic lines is one.
            (0, LevelEvidence::Grammar)
        } else if k <= leaf {
            (leaf - k + 1, LevelEvidence::Sequence)
        } else {
            (0, LevelEvidence::Sequence)
        }
    }

    /// Adds a heading row at `level` under the open path and opens it.
    fn push(&mut self, head: HeadCell, level: u32, evidence: LevelEvidence) {
        let id = self.nodes.len();
        let class = self
            .typography
            .as_ref()
            .and_then(|t| head.style.as_ref().and_then(|s| t.class(s)));
        self.node_class.push(class);
        self.nodes.push(Node {
            head,
            level,
            evidence,
            children: Vec::new(),
            targets: Vec::new(),
            indicators: Vec::new(),
        });
        match self.stack.last() {
            Some(&parent) => self.nodes[parent].children.push(id),
            None => self.roots.push(id),
        }
        self.stack.push(id);
    }

    /// The node that receives the next target or indicator.
    pub(super) fn leaf_owner(&mut self) -> Option<usize> {
        let owner = *self.stack.last()?;
        self.max_depth = self.max_depth.max(self.stack.len() as u32 - 1);
        Some(owner)
    }

    pub(super) fn into_strategic_lines(mut self) -> Vec<StrategicLine> {
        let roots = std::mem::take(&mut self.roots);
        let mut nodes: Vec<Option<Node>> = self.nodes.into_iter().map(Some).collect();
        roots
            .into_iter()
            .map(|r| {
                let n = nodes[r].take().expect("node once");
                StrategicLine {
                    id: String::new(),
                    title: n.head.title,
                    description: n.head.description,
                    goals: n.children.iter().map(|&c| goal(&mut nodes, c)).collect(),
                    indicators: n.indicators,
                    targets: n.targets,
                    level_evidence: n.evidence,
                    source: n.head.source,
                }
            })
            .collect()
    }
}

/// Length of the chain that starts a group of heading rows: a row in a larger font
/// (layout) starts a strategic line wherever it stands, so it starts the next chain.
fn chain_len(rows: &[HeadCell]) -> usize {
    rows.iter()
        .skip(1)
        .position(|h| h.spaced)
        .map_or(rows.len(), |p| p + 1)
}

fn goal(nodes: &mut [Option<Node>], i: usize) -> Goal {
    let n = nodes[i].take().expect("node once");
    Goal {
        id: String::new(),
        title: n.head.title,
        description: n.head.description,
        level: n.level,
        goals: n.children.iter().map(|&c| goal(nodes, c)).collect(),
        targets: n.targets,
        indicators: n.indicators,
        level_evidence: n.evidence,
        source: n.head.source,
    }
}

/// Lower-cased first word of a title, without punctuation.
fn first_word(title: &str) -> String {
    title
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// First words shared by at least two rows that are evidently strategic lines: rows set
/// in a larger font, and the first heading row of the table.
pub(super) fn line_openers(ctx: &Ctx, cells: &[Cell]) -> HashSet<String> {
    let heading = |c: &Cell| {
        !is_value_cell(ctx.text(c.first())) && grammar::target_label(ctx.text(c.first())).is_none()
    };
    let first = cells.iter().position(heading);
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (n, c) in cells.iter().enumerate() {
        let block = &ctx.blocks[c.block];
        let spaced = block.spaced_wrap && c.first() == block.first();
        if spaced || Some(n) == first {
            let word = first_word(ctx.text(c.first()));
            if word.chars().count() >= 3 {
                *counts.entry(word).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter(|&(_, n)| n >= 2)
        .map(|(w, _)| w)
        .collect()
}

/// The heading-row styles of a results table, ranked (see [`Typography`]). Heading
/// rows are the cells that are no target, no value cell and no indicator name.
pub(super) fn typography(ctx: &Ctx, cells: &[Cell]) -> Option<Typography> {
    // The style first: a dump's lines have none, and then no cell need be looked at.
    let styles = (0..cells.len()).filter_map(|i| {
        Style::of(&ctx.lines.lines[cells[i].first()]).filter(|_| is_heading_cell(ctx, cells, i))
    });
    Typography::of(styles)
}

#[cfg(test)]
mod tests {
    use crate::structure::test_support::{table, BREAK};

    #[test]
    fn a_long_run_of_look_alike_heading_rows_chains_twelve_levels_then_siblings() {
        // Fifteen rows in one style and no target between them (targets left out):
        // levels 1 to 11 as a chain, then siblings at level 11, the target under the last.
        let mut rows = vec![("Linja", 13.0, "b", 4.0), BREAK];
        let titles: Vec<String> = (1..=15).map(|n| format!("Otsikko {n}")).collect();
        for t in &titles {
            rows.push((t.as_str(), 10.0, "", 4.0));
            rows.push(BREAK);
        }
        rows.push(("Tavoite 2027", 10.0, "", 4.0));
        rows.push(("Teksti.", 10.0, "", 80.0));
        let a = table(&rows);
        let mut g = &a.strategic_lines[0].goals[0];
        while g.goals.len() == 1 {
            g = &g.goals[0];
        }
        assert_eq!(g.title, "Otsikko 10");
        let levels: Vec<(u32, &str)> = g
            .goals
            .iter()
            .map(|c| (c.level, c.title.as_str()))
            .collect();
        assert_eq!(
            levels,
            [
                (11, "Otsikko 11"),
                (11, "Otsikko 12"),
                (11, "Otsikko 13"),
                (11, "Otsikko 14"),
                (11, "Otsikko 15")
            ]
        );
        assert_eq!(g.goals[4].targets.len(), 1);
    }
}
