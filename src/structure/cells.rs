//! Cells: a results table's blocks cut into cells where a line starts with a grammar
//! label, and in a PDF the descriptions a dump shows as a cell's second paragraph
//! joined onto their heading row or indicator name by their typography.

use super::typography::{Style, Typography};
use super::Ctx;
use crate::blocks::Block;
use crate::grammar;

/// A cell: part of a block, cut where a line starts with a grammar label. Its paragraphs
/// are pieces of the block's (a cut never joins lines), so they borrow them.
pub(super) struct Cell<'b> {
    pub(super) paras: Paras<'b>,
    pub(super) block: usize,
}

/// A cell's paragraphs, none of them empty: the first inline (most cells have only
/// one, and then nothing is allocated), the others in a vector.
#[derive(Default)]
pub(super) struct Paras<'b> {
    pub(super) first: &'b [usize],
    pub(super) rest: Vec<&'b [usize]>,
    /// Positions (as [`Paras::iter`] counts) of paragraphs that go on the one before:
    /// a paragraph cut by a page break, its pieces in two blocks.
    continues: Vec<usize>,
}

impl<'b> Paras<'b> {
    pub(super) fn push(&mut self, p: &'b [usize]) {
        debug_assert!(!p.is_empty());
        if self.first.is_empty() {
            self.first = p;
        } else {
            self.rest.push(p);
        }
    }
    pub(super) fn extend(&mut self, other: Paras<'b>) {
        self.extend_continuing(other, false);
    }
    /// Appends `other`, its first paragraph going on this one's last when `continues`.
    fn extend_continuing(&mut self, other: Paras<'b>, continues: bool) {
        let at = self.len();
        if continues && at > 0 {
            self.continues.push(at);
        }
        self.continues
            .extend(other.continues.iter().map(|k| k + at));
        for p in other.iter() {
            self.push(p);
        }
    }
    /// Whether the paragraph at `k` (as [`Paras::iter`] counts) goes on the one before.
    pub(super) fn continues(&self, k: usize) -> bool {
        self.continues.contains(&k)
    }
    pub(super) fn len(&self) -> usize {
        usize::from(!self.first.is_empty()) + self.rest.len()
    }
    pub(super) fn is_empty(&self) -> bool {
        self.first.is_empty()
    }
    pub(super) fn iter(&self) -> impl Iterator<Item = &'b [usize]> + '_ {
        std::iter::once(self.first)
            .filter(|p| !p.is_empty())
            .chain(self.rest.iter().copied())
    }
    pub(super) fn last(&self) -> &'b [usize] {
        self.rest.last().copied().unwrap_or(self.first)
    }
}

impl Cell<'_> {
    pub(super) fn first(&self) -> usize {
        self.paras.first[0]
    }
    pub(super) fn last(&self) -> usize {
        *self.paras.last().last().expect("line")
    }
    pub(super) fn lines(&self) -> impl Iterator<Item = usize> + '_ {
        self.paras.iter().flat_map(|p| p.iter().copied())
    }
    pub(super) fn line_count(&self) -> usize {
        self.paras.iter().map(|p| p.len()).sum()
    }
    pub(super) fn is_single_line(&self) -> bool {
        self.paras.len() == 1 && self.paras.first.len() == 1
    }
}

pub(super) fn cells<'b>(ctx: &Ctx<'b>, blocks: &[usize]) -> Vec<Cell<'b>> {
    let all: &'b [Block] = ctx.blocks;
    let mut out = Vec::new();
    for &b in blocks {
        let mut cell = Cell {
            paras: Paras::default(),
            block: b,
        };
        for para in all[b].paras() {
            let mut start = 0;
            for (k, &i) in para.iter().enumerate() {
                let starts = grammar::is_row_label(ctx.text(i))
                    || (k > 0 && names_after_label(ctx.text(para[k - 1]), ctx.text(i)));
                if starts && (k > start || !cell.paras.is_empty()) {
                    if k > start {
                        cell.paras.push(&para[start..k]);
                    }
                    start = k;
                    out.push(std::mem::replace(
                        &mut cell,
                        Cell {
                            paras: Paras::default(),
                            block: b,
                        },
                    ));
                }
            }
            if start < para.len() {
                cell.paras.push(&para[start..]);
            }
        }
        if !cell.paras.is_empty() {
            out.push(cell);
        }
    }
    let out = text_headings_cut(ctx, number_tails_joined(ctx, numbers_joined(ctx, out)));
    let out = dump_headings_parted(ctx, out);
    // A dump that marks cell starts has already told paragraphs from rows.
    let out = if marks_cell_starts(ctx, &out) {
        out
    } else {
        target_paragraphs_joined(ctx, out)
    };
    let out = bare_targets_joined(ctx, out);
    headings_described(ctx, describe(ctx, out))
}

/// Whether `line`, right under a year label without its value (`above`), is no value
/// but the next row's name: three words or more, from a capital, that read as no value.
fn names_after_label(above: &str, line: &str) -> bool {
    grammar::year_label(above).is_some_and(|(_, _, rest)| rest.is_empty())
        && line.starts_with(char::is_uppercase)
        && line.split_whitespace().count() >= 3
        && !grammar::is_value_like(line)
}

/// A pdf-extract dump writes a heading row and its description as one paragraph when
/// the producer set them in one text object: a first line that is no sentence and ended
/// early (the next line's first word would have fitted after it, within the dump's wrap
/// width), then sentences from a capital. The heading is the cell's first paragraph,
/// the sentences its next, as other dumps show them.
fn dump_headings_parted<'b>(ctx: &Ctx, mut cells: Vec<Cell<'b>>) -> Vec<Cell<'b>> {
    if ctx.lines.dialect != crate::lines::Dialect::PdfExtract {
        return cells;
    }
    let width = ctx.wrap_width();
    for cell in &mut cells {
        let para = cell.paras.first;
        if cell.paras.len() != 1 || para.len() < 2 {
            continue;
        }
        let (line, next) = (ctx.text(para[0]), ctx.text(para[1]));
        // A numbered row's title is read after its number.
        let head = grammar::row_number(line).map_or(line, |(_, title)| title);
        // Well within the width: a line of prose may wrap early before a long word.
        let fits = crate::metrics::with_next_word(line, next) as f32;
        let ended = fits <= crate::metrics::EARLY_WRAP * width as f32;
        let heading = head.starts_with(char::is_uppercase)
            && !grammar::ends_sentence(head)
            && !head.contains(". ")
            && !head.ends_with(':')
            && !grammar::is_row_label(head)
            && !grammar::is_value_like(head);
        if heading
            && ended
            && next.starts_with(char::is_uppercase)
            && grammar::ends_sentence(ctx.text(para[para.len() - 1]))
        {
            let (title, rest) = para.split_at(1);
            cell.paras.first = title;
            cell.paras.push(rest);
        }
    }
    cells
}

/// A row number set in a column of its own is a cell of its own ("1.2"), right before
/// its row's title: it joins that row as its first paragraph (see `head_cell`).
fn numbers_joined<'b>(ctx: &Ctx, cells: Vec<Cell<'b>>) -> Vec<Cell<'b>> {
    // The text is joined only for the few cells that start with a digit.
    let bare = |c: &Cell| {
        c.paras.len() == 1
            && ctx
                .text(c.first())
                .starts_with(|ch: char| ch.is_ascii_digit())
            && grammar::bare_row_number(&ctx.para(c.paras.first)).is_some()
    };
    let joins: Vec<bool> = (0..cells.len())
        .map(|i| {
            i > 0 && bare(&cells[i - 1]) && cells[i - 1].line_count() <= 2 && !bare(&cells[i]) && {
                let first = ctx.text(cells[i].first());
                !grammar::is_row_label(first) && !grammar::is_value_like(first)
            }
        })
        .collect();
    joined(cells, joins)
}

/// The depth of a numbered row's number: "1.2 Title" on its first line, or a number
/// in a column of its own that [`numbers_joined`] put before the title.
fn row_depth(ctx: &Ctx, c: &Cell) -> Option<u32> {
    let first = ctx.text(c.first());
    grammar::row_number(first)
        .map(|(depth, _)| depth)
        .or_else(|| grammar::bare_row_number(first).filter(|_| c.paras.len() > 1))
}

/// A row number too wide for its column wraps at a dot, and its tail (".1", or "1"
/// after "1.1.1.") stands on a line of its own below the numbered row: it belongs to
/// that row.
fn number_tails_joined<'b>(ctx: &Ctx, cells: Vec<Cell<'b>>) -> Vec<Cell<'b>> {
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    for cell in cells {
        let dotted = out
            .last()
            .is_some_and(|row| grammar::number_ends_in_dot(ctx.text(row.first())));
        let tail = cell.is_single_line()
            && grammar::wrapped_number_tail(ctx.text(cell.first()), dotted).is_some();
        match out.last_mut() {
            Some(row)
                if tail
                    && row.paras.len() == 1
                    && grammar::row_number(ctx.text(row.first())).is_some() =>
            {
                row.paras.extend(cell.paras)
            }
            _ => out.push(cell),
        }
    }
    out
}

/// A house style may set its deeper headings exactly like body text (one font and size,
/// only the outer levels bold), and then such a row runs on in the block of the target
/// text above it. A paragraph there is a row of its own when it reads as a heading (one
/// line starting with a capital, no sentence end, not an item after a colon) and what follows
/// opens under it: a target label or a unit (then it names an indicator), or another
/// such row that does, either right below it or after its description (smaller or
/// slanted sentences, one paragraph or several set alike). A dump keeps such rows apart
/// already.
fn text_headings_cut<'b>(ctx: &Ctx, cells: Vec<Cell<'b>>) -> Vec<Cell<'b>> {
    let lines = &ctx.lines.lines;
    if !cells.iter().any(|c| Style::of(&lines[c.first()]).is_some()) {
        return cells;
    }
    let opens = opening_rows(ctx, &cells);
    cut_before(ctx, cells, &opens)
}

/// For every paragraph of `cells` in order, whether it is a heading row that
/// [`text_headings_cut`] sets apart (plus one `false` past the end).
fn opening_rows(ctx: &Ctx, cells: &[Cell]) -> Vec<bool> {
    let lines = &ctx.lines.lines;
    // Every paragraph in order: (cell, paragraph).
    let flat: Vec<(usize, &[usize])> = cells
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.paras.iter().map(move |p| (i, p)))
        .collect();
    let text = |j: usize| ctx.text(flat[j].1[0]);
    let style = |j: usize| Style::of(&lines[flat[j].1[0]]);
    // What opens under a heading row or an indicator's name: a target, or the unit.
    let label = |j: usize| {
        j < flat.len()
            && (grammar::target_label(text(j)).is_some() || grammar::unit_label(text(j)).is_some())
    };
    let heading_like = |j: usize| {
        let t = text(j);
        j > 0
            && j < flat.len()
            && flat[j].1.len() == 1
            && style(j).is_some()
            && t.starts_with(char::is_uppercase)
            && !grammar::ends_sentence(t)
            && !ctx
                .text(*flat[j - 1].1.last().expect("line"))
                .ends_with(':')
            && !grammar::is_row_label(t)
            && !is_value_cell(t)
    };
    let describes = |j: usize, of: usize| match (j < flat.len()).then(|| (style(j), style(of))) {
        Some((Some(d), Some(h))) => {
            (d.size < h.size - crate::metrics::SAME_SIZE || (d.italic && !h.italic))
                && grammar::ends_sentence(ctx.text(*flat[j].1.last().expect("line")))
        }
        _ => false,
    };
    // The paragraph after row j's description, which may run over several paragraphs
    // set alike, each a sentence.
    let after_description = |j: usize| {
        let d = describes(j + 1, j).then(|| style(j + 1)).flatten()?;
        let mut k = j + 2;
        while k < flat.len()
            && style(k).is_some_and(|s| s.same(&d))
            && grammar::ends_sentence(ctx.text(*flat[k].1.last().expect("line")))
        {
            k += 1;
        }
        Some(k)
    };
    // From the end: whether paragraph j is such a row.
    let mut opens = vec![false; flat.len() + 1];
    for j in (0..flat.len()).rev() {
        opens[j] = heading_like(j)
            && (label(j + 1)
                || opens[j + 1]
                || after_description(j).is_some_and(|k| label(k) || opens[k]));
    }
    opens
}

/// The cells with a new cell started at every paragraph `opens` marks, unless the cell is
/// a numbered row.
fn cut_before<'b>(ctx: &Ctx, cells: Vec<Cell<'b>>, opens: &[bool]) -> Vec<Cell<'b>> {
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    let mut j = 0;
    for cell in cells {
        let n = cell.paras.len();
        // A numbered row's title follows its number, which a column of its own may set
        // apart: the row says its level itself.
        if !(j + 1..j + n).any(|k| opens[k]) || row_depth(ctx, &cell).is_some() {
            j += n;
            out.push(cell);
            continue;
        }
        let empty = || Cell {
            paras: Paras::default(),
            block: cell.block,
        };
        let mut current = empty();
        for (k, p) in cell.paras.iter().enumerate() {
            if k > 0 && opens[j] {
                out.push(std::mem::replace(&mut current, empty()));
            } else if cell.paras.continues(k) {
                current.paras.continues.push(current.paras.len());
            }
            current.paras.push(p);
            j += 1;
        }
        out.push(current);
    }
    out
}

/// Whether cell `i` is a heading row: no target, no value cell and no indicator name.
pub(super) fn is_heading_cell(ctx: &Ctx, cells: &[Cell], i: usize) -> bool {
    let c = &cells[i];
    let first = ctx.text(c.first());
    let value = c.is_single_line() && grammar::is_value_like(first);
    !(grammar::target_label(first).is_some()
        || is_value_cell(first)
        || value
        || names_indicator(ctx, cells, i))
}

/// In a PDF, a heading row's description is a paragraph in plain text (not bold; italic
/// only when it ends a sentence, as headings seldom do) right below the row, smaller than it or under a bold row, and no further in. A
/// deeper heading can look the same below its parent, so a style counts as a description's only
/// when every row set in it stands right below a heading row (or continues such a
/// description): a heading style also follows targets and indicators. Under a strategic
/// line, such a paragraph that goes straight on to a target or indicator is the line's
/// only goal. A text dump shows a description as the heading cell's next paragraph,
/// which is what this makes of it.
fn headings_described<'b>(ctx: &Ctx, cells: Vec<Cell<'b>>) -> Vec<Cell<'b>> {
    // The style first: a dump's lines have none, and then nothing here applies.
    let styles: Vec<Option<Style>> = (0..cells.len())
        .map(|i| {
            Style::of(&ctx.lines.lines[cells[i].first()])
                .filter(|_| is_heading_cell(ctx, &cells, i))
        })
        .collect();
    if styles.iter().all(Option::is_none) {
        return dump_described(ctx, cells);
    }
    let mut below = below_headings(ctx, &cells, &styles);
    // A heading row may hold its description as a second paragraph: the shape of the
    // row's own first paragraph is what tells a heading from a description.
    let sentences: Vec<bool> = cells
        .iter()
        .map(|c| {
            c.paras
                .first
                .last()
                .is_some_and(|&l| grammar::ends_sentence(ctx.text(l)))
        })
        .collect();
    let (class_of, describing) = describing_classes(&styles, &below, &sentences);
    only_goals_kept(ctx, &cells, &styles, &mut below, |i| {
        class_of[i].is_some_and(|c| describing[c])
    });
    let shape = sentence_descriptions(&styles, &sentences);
    let headed = classes_heading_elsewhere(&class_of, &below);
    let describes: Vec<bool> = (0..cells.len())
        .map(|i| {
            let by_style = below[i]
                && class_of[i].is_some_and(|c| describing[c])
                && !opens_on_target(ctx, &cells, i);
            let Some(under) = &shape else {
                return by_style;
            };
            // Where descriptions are sentences, a row that is none in a class some
            // headings share is one of those headings.
            let shared = class_of[i].is_some_and(|c| headed[c]);
            under[i] || (by_style && (sentences[i] || !shared))
        })
        .collect();
    let describes = match Shapes::of(ctx, &cells).numbered(ctx, &cells) {
        Some(numbered) => describes
            .iter()
            .zip(numbered)
            .map(|(&a, b)| a || b)
            .collect(),
        None => describes,
    };
    joined(cells, describes)
}

/// Per style class: whether some row of it stands elsewhere than right below a heading
/// row (after a target or an indicator: a heading's place).
fn classes_heading_elsewhere(class_of: &[Option<usize>], below: &[bool]) -> Vec<bool> {
    let mut headed = vec![false; class_of.iter().flatten().max().map_or(0, |&c| c + 1)];
    for (c, &below) in class_of.iter().zip(below) {
        if let (Some(c), false) = (c, below) {
            headed[*c] = true;
        }
    }
    headed
}

/// A house style may set its descriptions exactly like its deepest headings (plain
/// text of one size), and no style class then tells them apart. Their shape still does,
/// as in a dump (`dump_described`): when at least three plain heading rows end a
/// sentence and 80% of them stand right below a heading row that does not (or continue
/// such a run), this table writes headings without a full stop and descriptions with
/// one. Then returns, per row, whether it is such a description. A table whose headings
/// are sentences has them after targets and indicators too, and gives `None`.
fn sentence_descriptions(styles: &[Option<Style>], sentences: &[bool]) -> Option<Vec<bool>> {
    let prose: Vec<bool> = styles
        .iter()
        .zip(sentences)
        .map(|(s, &sentence)| sentence && s.is_some_and(|s| !s.bold))
        .collect();
    let mut under = vec![false; prose.len()];
    for i in 1..prose.len() {
        under[i] = prose[i] && styles[i - 1].is_some() && (under[i - 1] || !prose[i - 1]);
    }
    let total = prose.iter().filter(|&&p| p).count();
    let placed = under.iter().filter(|&&u| u).count();
    (total >= 3 && placed * 10 >= total * 8).then_some(under)
}

/// A one-line row that reads as a heading (a capital, no sentence end) right before a
/// target: a row of its own even where the house style sets its descriptions alike.
fn opens_on_target(ctx: &Ctx, cells: &[Cell], i: usize) -> bool {
    let t = ctx.text(cells[i].first());
    cells[i].is_single_line()
        && t.starts_with(char::is_uppercase)
        && !grammar::ends_sentence(t)
        && cells
            .get(i + 1)
            .is_some_and(|n| grammar::target_label(ctx.text(n.first())).is_some())
}

/// Per cell: whether it is set as a description of the heading row right above it.
fn below_headings(ctx: &Ctx, cells: &[Cell], styles: &[Option<Style>]) -> Vec<bool> {
    // A numbered row's title starts after its number, and its description under the title.
    let numbered = |i: usize| row_depth(ctx, &cells[i]).is_some();
    let mut below = vec![false; cells.len()];
    for i in 1..cells.len() {
        let (Some(h), Some(d)) = (styles[i - 1], styles[i]) else {
            continue;
        };
        // Below a row that itself looked like a description, a row set alike goes on
        // with it; one set otherwise may describe that row (a deeper heading, which a
        // size-only house style also sets smaller than its parent).
        below[i] = (below[i - 1] && h.same(&d))
            || (!d.bold
                && (!d.italic || grammar::ends_sentence(ctx.text(cells[i].last())))
                && (d.size < h.size - crate::metrics::SAME_SIZE || h.bold)
                && (d.indent <= h.indent + 3.0 || numbered(i - 1))
                && !numbered(i));
    }
    below
}

/// Style classes (as in [`Typography`]): each cell's class, and per class whether it is
/// a description style. Nearly every row of a description style stands below a heading
/// row; a few may stand elsewhere (a description of an indicator, set alike). A heading
/// style also follows targets and indicators, and so stands below a heading far less;
/// and at least half of a description style's rows end a sentence.
fn describing_classes(
    styles: &[Option<Style>],
    below: &[bool],
    sentences: &[bool],
) -> (Vec<Option<usize>>, Vec<bool>) {
    // Per class: rows, rows below a heading row, rows that end a sentence.
    let mut classes: Vec<(Style, usize, usize, usize)> = Vec::new();
    let class_of = (0..styles.len())
        .map(|i| {
            let s = styles[i].as_ref()?;
            let c = match classes.iter().position(|(c, ..)| c.same(s)) {
                Some(c) => c,
                None => {
                    classes.push((*s, 0, 0, 0));
                    classes.len() - 1
                }
            };
            classes[c].1 += 1;
            classes[c].2 += usize::from(below[i]);
            classes[c].3 += usize::from(sentences[i]);
            Some(c)
        })
        .collect();
    // Descriptions are written as sentences, headings mostly not: a class of rows of
    // which most end without one is a deeper level standing under its parents.
    let describing = classes
        .iter()
        .map(|c| c.2 * 10 >= c.1 * 8 && c.3 * 2 >= c.1)
        .collect();
    (class_of, describing)
}

/// A strategic line seldom holds targets or indicators itself: plain text right below
/// a row in the table's outermost style that goes straight on to a target or an
/// indicator is the line's only goal rather than its description (`below` cleared).
/// Not a row in a description style (`describing`, by cell) that also stands right
/// below deeper rows: that is how this table writes descriptions at every level, and
/// its outermost style is shared by goals.
fn only_goals_kept(
    ctx: &Ctx,
    cells: &[Cell],
    styles: &[Option<Style>],
    below: &mut [bool],
    describing: impl Fn(usize) -> bool,
) {
    let Some(typography) = Typography::of(styles.iter().flatten().copied()) else {
        return;
    };
    // A numbered row says its level itself; styles can be the same at every level.
    let outermost = |i: usize| match row_depth(ctx, &cells[i]) {
        Some(depth) => depth == 1,
        None => styles[i].is_some_and(|s| typography.level(&s) == Some(0)),
    };
    let describes_deeper: Vec<Style> = (1..cells.len())
        .filter(|&i| below[i] && describing(i) && !outermost(i - 1))
        .filter_map(|i| styles[i])
        .collect();
    let mut i = 1;
    while i < cells.len() {
        if !below[i] || below[i - 1] {
            i += 1;
            continue;
        }
        let end = (i..cells.len())
            .take_while(|&k| below[k])
            .last()
            .unwrap_or(i);
        let leaf = end + 1 < cells.len() && styles[end + 1].is_none();
        if outermost(i - 1) && leaf {
            for k in i..=end {
                let shared = styles[k].is_some_and(|s| describes_deeper.iter().any(|d| d.same(&s)));
                below[k] &= shared;
            }
        }
        i = end + 1;
    }
}

/// In a text dump, which has no styles, the one shape a block shows is whether it ends a
/// sentence, and a dump may cut a description into paragraphs that look like heading
/// rows. So the same test as for a PDF's styles, on that shape: when at least three
/// heading cells end a sentence and 80% of them stand right below a heading cell that
/// does not (or continue such a run), this table writes headings without a full stop and
/// descriptions with one. A table whose headings are sentences has them after targets
/// and indicators too, and keeps every cell a row of its own.
fn dump_described<'b>(ctx: &Ctx, cells: Vec<Cell<'b>>) -> Vec<Cell<'b>> {
    if marks_cell_starts(ctx, &cells) {
        return cells;
    }
    let shapes = Shapes::of(ctx, &cells);
    let total = shapes.prose.iter().filter(|&&p| p).count();
    let under = shapes.describes.iter().filter(|&&b| b).count();
    let numbered = shapes.numbered(ctx, &cells);
    let mut describes = shapes.describes;
    if let Some(numbered) = numbered {
        describes = numbered;
    } else if total < 3 || under * 10 < total * 8 {
        // Three at least: one or two such rows are as likely goals written as sentences.
        describes.fill(false);
    }
    joined(cells, describes)
}

/// Per cell: whether it is a heading cell; one that ends a sentence (prose); and such a
/// cell right below a heading cell that is none (or continuing such a run).
struct Shapes {
    heading: Vec<bool>,
    prose: Vec<bool>,
    describes: Vec<bool>,
}

impl Shapes {
    fn of(ctx: &Ctx, cells: &[Cell]) -> Shapes {
        let heading: Vec<bool> = (0..cells.len())
            .map(|i| is_heading_cell(ctx, cells, i))
            .collect();
        let prose: Vec<bool> = cells
            .iter()
            .zip(&heading)
            .map(|(c, &h)| h && grammar::ends_sentence(ctx.text(c.last())))
            .collect();
        let mut describes = vec![false; cells.len()];
        for i in 1..cells.len() {
            describes[i] = prose[i] && heading[i - 1] && (describes[i - 1] || !prose[i - 1]);
        }
        Shapes {
            heading,
            prose,
            describes,
        }
    }

    /// In a table that numbers its rows (no unnumbered row among numbered ones), a
    /// sentence below a row is its description, however few there are, whatever its
    /// style: per cell, whether it is one. `None` when the table does not number its
    /// rows.
    fn numbered(&self, ctx: &Ctx, cells: &[Cell]) -> Option<Vec<bool>> {
        if !every_row_numbered(ctx, cells, &self.heading, &self.prose) {
            return None;
        }
        let unnumbered = |i: usize| row_depth(ctx, &cells[i]).is_none();
        Some(
            (0..cells.len())
                .map(|i| self.describes[i] && unnumbered(i))
                .collect(),
        )
    }
}

/// Whether the table numbers its rows: three heading rows at least that are no
/// sentences, each with its number.
fn every_row_numbered(ctx: &Ctx, cells: &[Cell], heading: &[bool], prose: &[bool]) -> bool {
    let rows: Vec<usize> = (0..cells.len())
        .filter(|&i| heading[i] && !prose[i])
        .collect();
    rows.len() >= 3 && rows.iter().all(|&i| row_depth(ctx, &cells[i]).is_some())
}

/// In a text dump, an indicator's name and its description are one paragraph of the
/// name's cell, or two cells, when the dump does not part them as a cell's paragraphs
/// (pdf-extract does not): the name is one line that does not end a sentence, the
/// description sentences after it, starting with a capital letter and ending right
/// above the unit label. Becomes one cell of two paragraphs, as other dumps show it. Not
/// in a monitoring table (`grouped`), whose rows before a name are group headings.
pub(super) fn dump_names_described<'b>(
    ctx: &Ctx,
    mut cells: Vec<Cell<'b>>,
    grouped: bool,
) -> Vec<Cell<'b>> {
    if !matches!(
        ctx.lines.dialect,
        crate::lines::Dialect::PdfExtract | crate::lines::Dialect::Pdftotext
    ) {
        return cells;
    }
    let name_like = |t: &str| {
        t.starts_with(char::is_uppercase)
            && !grammar::ends_sentence(t)
            && !t.ends_with(':')
            && !grammar::is_row_label(t)
            && !grammar::is_value_like(t)
    };
    let mut joins = vec![false; cells.len()];
    for i in 0..cells.len() {
        if !names_indicator(ctx, &cells, i) || cells[i].paras.len() != 1 {
            continue;
        }
        let para = cells[i].paras.first;
        let described = grammar::ends_sentence(ctx.text(para[para.len() - 1]));
        if !described {
            continue;
        }
        let split = para.len() > 1
            && name_like(ctx.text(para[0]))
            && ctx.text(para[1]).starts_with(char::is_uppercase);
        if split {
            // One paragraph: the name its first line, the description from the next
            // line, which starts with a capital.
            let (name, rest) = para.split_at(1);
            cells[i].paras.first = name;
            cells[i].paras.push(rest);
            continue;
        }
        let above = i.checked_sub(1).map(|k| &cells[k]);
        let named_above =
            above.is_some_and(|a| !grouped && a.is_single_line() && name_like(ctx.text(a.first())));
        if named_above && ctx.text(para[0]).starts_with(char::is_uppercase) {
            joins[i] = true;
        }
    }
    joined(cells, joins)
}

/// How a cell is joined to the cell above.
#[derive(Clone, Copy, PartialEq)]
enum Join {
    No,
    /// As its next paragraphs.
    Paragraphs,
    /// Its first paragraph going on the above's last (cut by a page break).
    Continuing,
}

/// Each cell marked in `joins` appended to the cell above as its next paragraphs.
fn joined<'b>(cells: Vec<Cell<'b>>, joins: Vec<bool>) -> Vec<Cell<'b>> {
    let joins = joins
        .into_iter()
        .map(|j| if j { Join::Paragraphs } else { Join::No })
        .collect();
    joined_as(cells, joins)
}

fn joined_as<'b>(cells: Vec<Cell<'b>>, joins: Vec<Join>) -> Vec<Cell<'b>> {
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    for (cell, join) in cells.into_iter().zip(joins) {
        match out.last_mut() {
            Some(above) if join != Join::No => above
                .paras
                .extend_continuing(cell.paras, join == Join::Continuing),
            _ => out.push(cell),
        }
    }
    out
}

/// A target label alone in its cell ("Tavoite 2029" and nothing after it) has its text
/// in the next cell when a page or block break fell between them: a target without
/// text is implausible, and a sentence is no heading row. That next cell is the
/// target's text when it is a single paragraph that ends a sentence.
fn bare_targets_joined<'b>(ctx: &Ctx, cells: Vec<Cell<'b>>) -> Vec<Cell<'b>> {
    let bare = |c: &Cell| {
        c.is_single_line()
            && grammar::target_label(ctx.text(c.first())).is_some_and(|(_, rest)| rest.is_empty())
    };
    let mut joins = vec![false; cells.len()];
    for i in 1..cells.len() {
        let c = &cells[i];
        joins[i] = bare(&cells[i - 1])
            && c.paras.len() == 1
            && is_heading_cell(ctx, &cells, i)
            && grammar::ends_sentence(ctx.text(c.last()));
    }
    joined(cells, joins)
}

/// A target's text cut into paragraphs that look like heading rows (a dump's blocks, a
/// PDF's paragraphs set like the headings). Prose between two targets whose years go up
/// belongs to the first, since a heading there would start its own years again. When
/// the table shows such a paragraph and no prose row after a target that does start its
/// years again (a goal written as a sentence), every prose run after a target is that
/// target's text.
fn target_paragraphs_joined<'b>(ctx: &Ctx, cells: Vec<Cell<'b>>) -> Vec<Cell<'b>> {
    let year = |c: &Cell| grammar::target_label(ctx.text(c.first())).map(|(y, _)| y);
    // A row that holds its description as a next paragraph ends a sentence too, but its
    // own first paragraph (unless a number alone) does not.
    let titled = |c: &Cell| {
        let first = ctx.para(c.paras.first);
        c.paras.len() > 1
            && !grammar::ends_sentence(&first)
            && grammar::bare_row_number(&first).is_none()
    };
    let prose: Vec<bool> = (0..cells.len())
        .map(|i| {
            let c = &cells[i];
            is_heading_cell(ctx, &cells, i)
                && grammar::ends_sentence(ctx.text(c.last()))
                && !titled(c)
        })
        .collect();
    // Each prose run right after a target: (start, end, whether the years go on after it).
    let mut runs: Vec<(usize, usize, Option<bool>)> = Vec::new();
    let mut i = 1;
    while i < cells.len() {
        let Some(before) = year(&cells[i - 1]).filter(|_| prose[i]) else {
            i += 1;
            continue;
        };
        let end = (i..cells.len()).find(|&k| !prose[k]).unwrap_or(cells.len());
        let after = cells.get(end).and_then(year).map(|after| after > before);
        runs.push((i, end, after));
        i = end.max(i + 1);
    }
    let continued = runs.iter().any(|r| r.2 == Some(true));
    let restarted = runs.iter().any(|r| r.2 == Some(false));
    let mut joins = vec![Join::No; cells.len()];
    for (start, end, after) in runs {
        if after == Some(true) || (continued && !restarted) {
            for k in start..end {
                let (above, first) = (cells[k - 1].last(), cells[k].first());
                joins[k] = if goes_on(ctx, above, first) {
                    Join::Continuing
                } else {
                    Join::Paragraphs
                };
            }
        }
    }
    joined_as(cells, joins)
}

/// Whether line `first`, the first on its page, goes on the paragraph that line `above`
/// ends on an earlier page: that paragraph ends mid-sentence, or its last line had no
/// room for the next word (the column's edge in a PDF, where a dump's lines wrap in one).
fn goes_on(ctx: &Ctx, above: usize, first: usize) -> bool {
    let lines = &ctx.lines.lines;
    let (above, first) = (&lines[above], &lines[first]);
    if above.page == first.page {
        return false;
    }
    if !grammar::ends_sentence(above.text()) {
        return true;
    }
    if let Some(full) = crate::blocks::full_line(ctx.edges, above, first) {
        return full;
    }
    let width = ctx.wrap_width();
    let word = first
        .text()
        .split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count());
    width > 0 && above.text().chars().count() + 1 + word > width
}

/// Whether this dump marks where a cell starts: pdf-extract puts a space before the
/// first line of a text object, which some producers open per cell; the table's target
/// rows show whether this document's do. Then a paragraph without the mark already
/// continues the cell above, and one with it is a row of its own, whatever it ends with.
fn marks_cell_starts(ctx: &Ctx, cells: &[Cell]) -> bool {
    if ctx.lines.dialect != crate::lines::Dialect::PdfExtract {
        return false;
    }
    let lines = &ctx.lines.lines;
    let (marked, targets) = cells
        .iter()
        .filter(|c| grammar::target_label(ctx.text(c.first())).is_some())
        .fold((0, 0), |(m, t), c| {
            (m + usize::from(lines[c.first()].indent > 0.0), t + 1)
        });
    marked * 2 > targets
}

/// In a PDF, a paragraph set smaller than the (regular-weight) indicator name just above
/// it, and followed by the unit, is the indicator's description; a text dump shows the
/// same as a second paragraph of the name's cell.
fn describe<'b>(ctx: &Ctx, mut cells: Vec<Cell<'b>>) -> Vec<Cell<'b>> {
    // Both rules read the typography: without column edges no name ends early, and
    // without font sizes no row is lighter (a text dump has neither).
    let sized = cells
        .iter()
        .any(|c| ctx.lines.lines[c.first()].font_size.is_some());
    if ctx.edges.is_empty() && !sized {
        return cells;
    }
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    let names_unit: Vec<bool> = (0..cells.len())
        .map(|i| names_indicator(ctx, &cells, i))
        .collect();
    for (cell, _) in cells.iter_mut().zip(&names_unit).filter(|(_, &n)| n) {
        name_ends_early(ctx, cell);
    }
    let mut name_styles = name_styles(ctx, &cells, &names_unit);
    name_styles.extend(ctx.name_styles.iter().cloned());
    let is_name_style = |c: &Cell| {
        Style::of(&ctx.lines.lines[c.first()])
            .is_some_and(|s| name_styles.iter().any(|n| n.same(&s)))
    };
    for (i, cell) in cells.into_iter().enumerate() {
        if let Some(head) = out.last_mut() {
            let h = &ctx.lines.lines[head.first()];
            let d = &ctx.lines.lines[cell.first()];
            let lighter = match (h.font_size, d.font_size) {
                // Only between an indicator name and its unit: elsewhere a lighter row
                // can be a deeper heading or a group's first indicator.
                (Some(hs), Some(ds)) => {
                    names_unit[i]
                        && ds < hs - crate::metrics::SAME_SIZE
                        && d.bold != Some(true)
                        && h.bold != Some(true)
                }
                _ => false,
            };
            let labels = |c: &Cell| {
                let t = ctx.text(c.first());
                grammar::is_row_label(t) || (c.is_single_line() && grammar::is_value_like(t))
            };
            // A row set like the names that follow other indicators' values is a name
            // itself, under a group row set otherwise: not that row's description.
            let own_name = is_name_style(&cell) && !is_name_style(head);
            if lighter && !own_name && head.paras.len() == 1 && !labels(head) && !labels(&cell) {
                head.paras.extend(cell.paras);
                continue;
            }
        }
        out.push(cell);
    }
    out
}

/// In a PDF, an indicator name set like its description ends where its line ends early
/// (the next line's first word would have fitted after it) and the next line does not
/// start in lower case: the rest of the cell's paragraph is the description, which a
/// text dump shows as a second paragraph.
fn name_ends_early(ctx: &Ctx, cell: &mut Cell) {
    if cell.paras.len() != 1 {
        return;
    }
    let para = cell.paras.first;
    let lines = &ctx.lines.lines;
    // A name wrapped short of the edge goes on in lower case; a description starts anew.
    let cut = para.windows(2).position(|w| {
        crate::blocks::full_line(ctx.edges, &lines[w[0]], &lines[w[1]]) == Some(false)
            && !grammar::starts_lowercase(lines[w[1]].text())
    });
    if let Some(k) = cut {
        let (name, rest) = para.split_at(k + 1);
        cell.paras.first = name;
        cell.paras.push(rest);
    }
}

pub(super) fn is_value_cell(text: &str) -> bool {
    grammar::unit_label(text).is_some()
        || grammar::year_label(text).is_some()
        || grammar::is_bare_years(text)
}

/// The styles of indicator names that come right after another indicator's values: the
/// table's own way of setting a name.
fn name_styles(ctx: &Ctx, cells: &[Cell], names_unit: &[bool]) -> Vec<Style> {
    (1..cells.len())
        .filter(|&i| names_unit[i])
        .filter(|&i| {
            let prev = ctx.text(cells[i - 1].first());
            is_value_cell(prev) || grammar::is_value_like(prev)
        })
        .filter_map(|i| Style::of(&ctx.lines.lines[cells[i].first()]))
        .collect()
}

/// The same over the whole document, from its paragraphs: a paragraph between one that
/// ends in a value and one that opens with the unit label. A table whose groups each hold
/// one indicator shows no name after values, the results table before it does.
pub(super) fn document_name_styles(lines: &crate::lines::Lines, blocks: &[Block]) -> Vec<Style> {
    let paras: Vec<&[usize]> = blocks.iter().flat_map(|b| b.paras()).collect();
    let text = |i: usize| lines.lines[i].text();
    paras
        .windows(3)
        .filter(|w| grammar::unit_label(text(w[2][0])).is_some())
        .filter(|w| {
            let prev = text(*w[0].last().expect("a paragraph has lines"));
            is_value_cell(prev) || grammar::is_value_like(prev)
        })
        .filter_map(|w| Style::of(&lines.lines[w[1][0]]))
        .collect()
}

/// Whether cell `i` names an indicator: the cell after it gives the unit.
pub(super) fn names_indicator(ctx: &Ctx, cells: &[Cell], i: usize) -> bool {
    cells
        .get(i + 1)
        .is_some_and(|n| grammar::unit_label(ctx.text(n.first())).is_some())
}

#[cfg(test)]
mod tests {
    use crate::structure::test_support::{table, BREAK};

    #[test]
    fn in_a_dump_a_name_line_above_sentences_names_the_indicator_they_describe() {
        // pdf-extract: the description in the name's paragraph, or a block of its own.
        let text = "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
             3 Tulostavoitteet\n\nTaulukko: Tulostavoitteet\n\nLinja\n\nTavoite\n\n\
             Tavoite 2027 Teksti.\n\n\
             Mittari yksi\nSe kuvataan lauseella.\nMittayksikkö %\nTav 2027 5\n\n\
             Mittari kaksi\n\nToinen kuvaus on\nkahdella rivillä.\nMittayksikkö %\nTav 2027 6\n\n";
        let doc = crate::convert_bytes("d.txt", text.as_bytes(), &crate::Options::default())
            .expect("converts");
        let goal = &doc.agreements[0].strategic_lines[0].goals[0];
        let named: Vec<(&str, Option<&str>)> = goal
            .indicators
            .iter()
            .map(|i| (i.name.as_str(), i.description.as_deref()))
            .collect();
        assert_eq!(
            named,
            [
                ("Mittari yksi", Some("Se kuvataan lauseella.")),
                ("Mittari kaksi", Some("Toinen kuvaus on kahdella rivillä.")),
            ]
        );
        assert!(goal.goals.is_empty());
    }

    #[test]
    fn in_a_dump_a_heading_line_that_ends_early_over_sentences_is_described_by_them() {
        // pdf-extract: a row and its description in one paragraph. A line of prose
        // that wraps before a capitalised word does not end early.
        let text = "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
             3 Tulostavoitteet\n\nTaulukko: Tulostavoitteet\n\n\
             Linja yksi\nLinjan kuvaus on lause.\n\nTavoite\n\n\
             Tavoite 2027 Teksti alkaa tässä ja jatkuu pitkään niin, että rivi täyttyy melkein\n\
             kokonaan ennen kuin se päättyy ja yhteistyö jatkuu pitkään koko alueella ja maassa\n\
             Lupa- ja valvontaviraston kanssa.\n\n";
        let doc = crate::convert_bytes("d.txt", text.as_bytes(), &crate::Options::default())
            .expect("converts");
        let line = &doc.agreements[0].strategic_lines[0];
        assert_eq!(
            (line.title.as_str(), line.description.as_deref()),
            ("Linja yksi", Some("Linjan kuvaus on lause."))
        );
        let target = &line.goals[0].targets[0];
        assert!(
            target
                .text
                .ends_with("maassa Lupa- ja valvontaviraston kanssa."),
            "{}",
            target.text
        );
        // A numbered row: its title is read after its number.
        let numbered = text
            .replace("Linja yksi\n", "1. Linja yksi\n")
            .replace("Tavoite\n\nTavoite 2027", "1.1 Tavoite\n\nTavoite 2027");
        let doc = crate::convert_bytes("d.txt", numbered.as_bytes(), &crate::Options::default())
            .expect("converts");
        let line = &doc.agreements[0].strategic_lines[0];
        assert_eq!(
            (line.title.as_str(), line.description.as_deref()),
            ("Linja yksi", Some("Linjan kuvaus on lause."))
        );
    }

    #[test]
    fn plain_text_under_a_heading_row_describes_it() {
        let a = table(&[
            ("Linja", 10.0, "b", 4.0),
            BREAK,
            ("Linjan kuvaus.", 10.0, "", 4.0),
            BREAK,
            ("Tavoite yksi", 10.0, "b", 22.0),
            BREAK,
            ("Tavoitteen kuvaus.", 10.0, "", 22.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 40.0),
            ("Teksti.", 10.0, "", 110.0),
            BREAK,
            ("Tavoite kaksi", 10.0, "b", 22.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 40.0),
            ("Teksti.", 10.0, "", 110.0),
        ]);
        let sl = &a.strategic_lines[0];
        assert_eq!(sl.description.as_deref(), Some("Linjan kuvaus."));
        let titles: Vec<&str> = sl.goals.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["Tavoite yksi", "Tavoite kaksi"]);
        assert_eq!(
            sl.goals[0].description.as_deref(),
            Some("Tavoitteen kuvaus.")
        );
        assert_eq!(sl.goals[1].description, None);
    }

    #[test]
    fn a_heading_row_told_from_the_text_only_by_its_fill_starts_a_row() {
        // Goals in the targets' own size and weight, on a dark fill.
        let a = table(&[
            ("Linja", 12.0, "bs", 4.0),
            BREAK,
            ("Ensimmäinen tavoite", 10.0, "s", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti.", 10.0, "", 4.0),
            BREAK,
            ("Toinen tavoite", 10.0, "s", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti.", 10.0, "", 4.0),
        ]);
        let titles: Vec<&str> = a.strategic_lines[0]
            .goals
            .iter()
            .map(|g| g.title.as_str())
            .collect();
        assert_eq!(titles, ["Ensimmäinen tavoite", "Toinen tavoite"]);
        assert_eq!(a.strategic_lines[0].goals[0].targets[0].text, "Teksti.");
    }

    #[test]
    fn a_description_under_a_heading_that_is_smaller_than_its_parent_describes_it() {
        // Size only: every level smaller than the one above, descriptions the smallest,
        // in italics; the first goal stands right below its line, as a description
        // would, and its own description below it.
        let a = table(&[
            ("Linja", 14.0, "", 4.0),
            BREAK,
            ("Tavoite yksi", 12.5, "", 4.0),
            BREAK,
            ("Ensimmäinen kuvaus on lause.", 9.0, "i", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti.", 10.0, "", 4.0),
            BREAK,
            ("Tavoite kaksi", 12.5, "", 4.0),
            BREAK,
            ("Toinen kuvaus on lause.", 9.0, "i", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti.", 10.0, "", 4.0),
        ]);
        let goals = &a.strategic_lines[0].goals;
        let got: Vec<(&str, Option<&str>)> = goals
            .iter()
            .map(|g| (g.title.as_str(), g.description.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("Tavoite yksi", Some("Ensimmäinen kuvaus on lause.")),
                ("Tavoite kaksi", Some("Toinen kuvaus on lause.")),
            ]
        );
    }

    #[test]
    fn descriptions_set_like_the_deepest_headings_are_told_by_their_sentences() {
        // Size and weight: the deepest goals in the text's plain 10 pt, and every
        // description too, so that the style is mostly a description's. Only the shape
        // tells them apart: descriptions are sentences, titles are not.
        let a = table(&[
            ("Linja", 14.0, "b", 4.0),
            BREAK,
            ("Linjan kuvaus on lause.", 10.0, "", 4.0),
            BREAK,
            ("Tavoite", 12.0, "b", 4.0),
            BREAK,
            ("Tavoitteen kuvaus on lause.", 10.0, "", 4.0),
            BREAK,
            ("Alatavoite", 11.0, "bi", 4.0),
            BREAK,
            ("Alatavoitteen kuvaus on lause.", 10.0, "", 4.0),
            BREAK,
            ("Kolmas taso", 10.5, "i", 4.0),
            BREAK,
            ("Kolmannen kuvaus on lause.", 10.0, "", 4.0),
            BREAK,
            ("Neljäs taso", 10.0, "", 4.0),
            BREAK,
            ("Neljännen kuvaus on lause.", 10.0, "", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti.", 10.0, "", 80.0),
            BREAK,
            ("Toinen neljäs", 10.0, "", 4.0),
            BREAK,
            ("Toisen kuvaus on lause.", 10.0, "", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti.", 10.0, "", 80.0),
            BREAK,
            ("Toinen linja", 14.0, "b", 4.0),
            BREAK,
            ("Toisen linjan kuvaus on lause.", 10.0, "", 4.0),
            BREAK,
            ("Sen tavoite", 12.0, "b", 4.0),
            BREAK,
            ("Sen kuvaus on lause.", 10.0, "", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti.", 10.0, "", 80.0),
        ]);
        let sl = &a.strategic_lines[0];
        assert_eq!(sl.description.as_deref(), Some("Linjan kuvaus on lause."));
        let third = &sl.goals[0].goals[0].goals[0];
        assert_eq!(third.title, "Kolmas taso");
        assert_eq!(
            third.description.as_deref(),
            Some("Kolmannen kuvaus on lause.")
        );
        let got: Vec<(&str, Option<&str>)> = third
            .goals
            .iter()
            .map(|g| (g.title.as_str(), g.description.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("Neljäs taso", Some("Neljännen kuvaus on lause.")),
                ("Toinen neljäs", Some("Toisen kuvaus on lause.")),
            ]
        );
    }

    #[test]
    fn row_numbers_in_a_column_of_their_own_give_the_levels() {
        // The number in the first column, the title in the second, one style: the
        // numbers alone tell the levels, and none of them is a value.
        let a = table(&[
            ("1.", 10.0, "", 0.0),
            BREAK,
            ("Linja", 10.0, "", 34.0),
            BREAK,
            ("1.1", 10.0, "", 0.0),
            BREAK,
            ("Tavoite", 10.0, "", 34.0),
            BREAK,
            ("Tavoitteen kuvaus on lause.", 9.0, "i", 34.0),
            BREAK,
            ("1.1.1", 10.0, "", 0.0),
            BREAK,
            ("Alatavoite", 10.0, "", 34.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 34.0),
            ("Teksti.", 10.0, "", 104.0),
            BREAK,
            ("1.2", 10.0, "", 0.0),
            BREAK,
            ("Toinen tavoite", 10.0, "", 34.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 34.0),
            ("Teksti.", 10.0, "", 104.0),
        ]);
        let sl = &a.strategic_lines[0];
        assert_eq!(sl.title, "Linja");
        let titles: Vec<&str> = sl.goals.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["Tavoite", "Toinen tavoite"]);
        // Its description stands in the title's column, further in than the number.
        assert_eq!(
            sl.goals[0].description.as_deref(),
            Some("Tavoitteen kuvaus on lause.")
        );
        assert_eq!(sl.goals[0].goals[0].title, "Alatavoite");
        assert_eq!(sl.goals[0].goals[0].targets.len(), 1);
    }

    #[test]
    fn numbered_rows_in_one_style_keep_descriptions_and_wrapped_numbers() {
        // Every level in one regular style, told apart by its number; a description in
        // smaller italics under the title (further in than the number); a number too
        // wide for its column wrapped at a dot onto a line of its own.
        let a = table(&[
            ("1. Linja yksi", 10.0, "", 3.0),
            BREAK,
            ("Linjan kuvaus on lause.", 9.0, "i", 37.0),
            BREAK,
            ("1.1 Tavoite yksi", 10.0, "", 3.0),
            BREAK,
            ("Tavoitteen kuvaus on lause.", 9.0, "i", 37.0),
            BREAK,
            ("1.1 Alatavoite", 10.0, "", 3.0),
            BREAK,
            (".1", 9.5, "", 3.0),
            BREAK,
            ("Alatavoitteen kuvaus on lause.", 9.0, "i", 37.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 37.0),
            ("Teksti.", 10.0, "", 110.0),
        ]);
        let sl = &a.strategic_lines[0];
        assert_eq!(sl.title, "Linja yksi");
        assert_eq!(sl.description.as_deref(), Some("Linjan kuvaus on lause."));
        let goal = &sl.goals[0];
        assert_eq!(goal.title, "Tavoite yksi");
        assert_eq!(
            goal.description.as_deref(),
            Some("Tavoitteen kuvaus on lause.")
        );
        let sub = &goal.goals[0];
        assert_eq!(sub.title, "Alatavoite");
        assert_eq!(
            sub.description.as_deref(),
            Some("Alatavoitteen kuvaus on lause.")
        );
        assert_eq!(sub.targets.len(), 1);
    }

    #[test]
    fn in_a_numbered_table_a_sentence_below_a_row_describes_it_whatever_its_style() {
        // One style for all (a -layout dump's lines): the levels in the numbers, one
        // description under one row, set like the target text, further in.
        let a = table(&[
            ("1. Linja", 10.0, "", 3.0),
            BREAK,
            ("1.1 Tavoite", 10.0, "", 3.0),
            BREAK,
            ("Tavoitteen kuvaus on lause.", 10.0, "", 40.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 40.0),
            ("Teksti.", 10.0, "", 110.0),
            BREAK,
            ("1.2 Toinen tavoite", 10.0, "", 3.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 40.0),
            ("Teksti.", 10.0, "", 110.0),
        ]);
        let goals = &a.strategic_lines[0].goals;
        let titles: Vec<&str> = goals.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["Tavoite", "Toinen tavoite"]);
        assert_eq!(
            goals[0].description.as_deref(),
            Some("Tavoitteen kuvaus on lause.")
        );
    }

    #[test]
    fn a_heading_set_like_the_text_with_a_description_of_two_paragraphs_is_a_row() {
        // Weight only: goals below the first level in the text's regular 10 pt. After a
        // target, such a row with a description of two paragraphs before its own target
        // is a row of its own, not the target's last words.
        let text = |t: &'static str| (t, 10.0, "", 4.0);
        let a = table(&[
            ("Linja", 10.0, "b", 4.0),
            BREAK,
            ("Tavoite yksi", 10.0, "b", 4.0),
            BREAK,
            text("Alatavoite yksi"),
            BREAK,
            text("Tavoite 2027"),
            text("Teksti on lause."),
            BREAK,
            text("Alatavoite kaksi"),
            BREAK,
            ("Kuvauksen alku on lause.", 9.0, "i", 4.0),
            BREAK,
            ("Kuvauksen jatko on lause.", 9.0, "i", 4.0),
            BREAK,
            text("Tavoite 2028"),
            text("Toinen teksti on lause."),
        ]);
        let goal = &a.strategic_lines[0].goals[0];
        let first = &goal.goals[0];
        assert_eq!(first.targets[0].text, "Teksti on lause.");
        let second = &goal.goals[1];
        assert_eq!(second.title, "Alatavoite kaksi");
        assert_eq!(
            second.description.as_deref(),
            Some("Kuvauksen alku on lause.\n\nKuvauksen jatko on lause.")
        );
        assert_eq!(second.targets[0].year, 2028);
    }

    #[test]
    fn a_target_label_alone_takes_the_sentence_after_a_break_as_its_text() {
        // The label above its text, a block break between them, the text in the style
        // of the deepest goals; then the next goal.
        let text = |t: &'static str| (t, 10.0, "", 4.0);
        let a = table(&[
            ("Linja", 14.0, "b", 4.0),
            BREAK,
            ("Tavoite yksi", 12.0, "b", 4.0),
            BREAK,
            text("Alatavoite"),
            BREAK,
            ("Tavoite 2028", 10.0, "b", 4.0),
            text("Ensimmäinen teksti on lause."),
            BREAK,
            ("Tavoite 2029", 10.0, "b", 4.0),
            BREAK,
            text("Toinen teksti on lause."),
            BREAK,
            ("Tavoite kaksi", 12.0, "b", 4.0),
            BREAK,
            text("Toinen alatavoite"),
            BREAK,
            ("Tavoite 2028", 10.0, "b", 4.0),
            text("Kolmas teksti on lause."),
        ]);
        let goals = &a.strategic_lines[0].goals;
        let titles: Vec<&str> = goals.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["Tavoite yksi", "Tavoite kaksi"]);
        let texts: Vec<(i32, &str)> = goals[0].goals[0]
            .targets
            .iter()
            .map(|t| (t.year, t.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (2028, "Ensimmäinen teksti on lause."),
                (2029, "Toinen teksti on lause.")
            ]
        );
    }

    #[test]
    fn deeper_headings_set_like_the_text_are_rows_of_their_own() {
        // Weight only: the line and its goals bold, sub-goals in the text's own regular
        // 10 pt; one after a target runs on in that target's block.
        let text = |t: &'static str| (t, 10.0, "", 4.0);
        let a = table(&[
            ("Linja", 10.0, "b", 4.0),
            BREAK,
            ("Tavoite yksi", 10.0, "b", 4.0),
            BREAK,
            text("Alatavoite yksi"),
            BREAK,
            text("Tavoite 2027"),
            text("Teksti on lause."),
            BREAK,
            text("Alatavoite kaksi"),
            BREAK,
            ("Alatavoitteen kuvaus on lause.", 9.0, "", 4.0),
            BREAK,
            text("Tavoite 2028"),
            text("Toinen teksti on lause."),
            BREAK,
            // A target's item after a colon, and its last paragraph: text, not rows.
            text("Tavoite 2029"),
            text("Kolmas teksti luettelee:"),
            BREAK,
            text("Ensimmäinen kohta"),
            BREAK,
            text("Tavoite 2030"),
            text("Neljäs teksti ilman pistettä"),
            BREAK,
            text("Jatkokappale on lause."),
        ]);
        let goal = &a.strategic_lines[0].goals[0];
        assert_eq!(goal.title, "Tavoite yksi");
        assert_eq!(goal.description, None);
        let subs: Vec<(&str, Option<&str>, Vec<i32>)> = goal
            .goals
            .iter()
            .map(|g| {
                let years = g.targets.iter().map(|t| t.year).collect();
                (g.title.as_str(), g.description.as_deref(), years)
            })
            .collect();
        assert_eq!(
            subs,
            [
                ("Alatavoite yksi", None, vec![2027]),
                (
                    "Alatavoite kaksi",
                    Some("Alatavoitteen kuvaus on lause."),
                    vec![2028, 2029, 2030]
                ),
            ]
        );
        let texts: Vec<&str> = goal.goals[1]
            .targets
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        assert!(texts[1].ends_with("Ensimmäinen kohta"), "{texts:?}");
        assert!(texts[2].ends_with("Jatkokappale on lause."), "{texts:?}");
    }

    #[test]
    fn an_indicator_name_set_like_the_text_after_a_target_names_it() {
        let a = table(&[
            ("Linja", 10.0, "b", 4.0),
            BREAK,
            ("Tavoite", 10.0, "b", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti on lause.", 10.0, "", 4.0),
            BREAK,
            ("Tarkastusten määrä", 10.0, "", 4.0),
            BREAK,
            ("Mittarin kuvaus on lause.", 9.0, "i", 4.0),
            BREAK,
            ("Mittayksikkö", 9.0, "b", 4.0),
            ("kpl", 9.0, "", 84.0),
            BREAK,
            ("Tav 2027", 9.0, "b", 4.0),
            ("5", 9.0, "", 84.0),
        ]);
        let goal = &a.strategic_lines[0].goals[0];
        assert_eq!(goal.targets[0].text, "Teksti on lause.");
        let i = &goal.indicators[0];
        assert_eq!(
            (i.name.as_str(), i.description.as_deref(), i.unit.as_deref()),
            (
                "Tarkastusten määrä",
                Some("Mittarin kuvaus on lause."),
                Some("kpl")
            )
        );
    }

    #[test]
    fn a_heading_like_paragraph_that_ends_the_table_stays_text() {
        let a = table(&[
            ("Linja", 10.0, "b", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti on lause.", 10.0, "", 4.0),
            BREAK,
            ("Viimeinen rivi", 10.0, "", 4.0),
        ]);
        let target = &a.strategic_lines[0].targets[0];
        assert!(target.text.ends_with("Viimeinen rivi"), "{:?}", target.text);
    }

    #[test]
    fn a_name_set_as_names_elsewhere_under_a_half_point_heavier_row_is_no_description() {
        // Numbered styles: a resource group row in 10 pt over its one indicator's name
        // in 9.5 pt, the size every name has after another indicator's values.
        let a = table(&[
            ("Taulukko: Tulostavoitteet", 9.0, "i", 0.0),
            BREAK,
            ("Linja", 10.0, "b", 4.0),
            BREAK,
            ("Tavoite 2027", 9.5, "", 4.0),
            ("Teksti.", 9.5, "", 4.0),
            BREAK,
            ("Mittari yksi", 9.5, "", 4.0),
            BREAK,
            ("Mittayksikkö", 8.0, "b", 4.0),
            ("kpl", 8.0, "", 4.0),
            BREAK,
            ("Tav 2027", 8.0, "b", 4.0),
            ("5", 8.0, "", 4.0),
            BREAK,
            ("Mittari kaksi", 9.5, "", 4.0),
            BREAK,
            ("Mittayksikkö", 8.0, "b", 4.0),
            ("kpl", 8.0, "", 4.0),
            BREAK,
            ("4 Voimavarojen hallinta", 14.0, "b", 0.0),
            BREAK,
            ("Taulukko: Voimavarojen hallinnan tavoitteet", 9.0, "i", 0.0),
            BREAK,
            ("Talous", 10.0, "", 4.0),
            BREAK,
            ("Osaaminen-indeksi", 9.5, "", 4.0),
            BREAK,
            ("Mittayksikkö", 8.0, "b", 4.0),
            ("indeksi", 8.0, "", 4.0),
            BREAK,
            ("Tav 2027", 8.0, "b", 4.0),
            ("3,5", 8.0, "", 4.0),
        ]);
        let r = &a.resource_indicators;
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(
            (
                r[0].name.as_str(),
                r[0].description.as_deref(),
                r[0].group.as_deref()
            ),
            ("Osaaminen-indeksi", None, Some("Talous"))
        );
    }

    #[test]
    fn a_heading_line_right_before_a_target_is_a_row_where_descriptions_look_alike() {
        // Descriptions and the deepest headings both in plain 10 pt under a 10.5 pt
        // italic row: the sentence describes, the heading line before a target opens.
        let a = table(&[
            ("Linja", 12.0, "b", 4.0),
            BREAK,
            ("Tavoite", 10.5, "i", 4.0),
            BREAK,
            ("Kuvaus on lause.", 10.0, "", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti.", 10.0, "", 4.0),
            BREAK,
            ("Toinen tavoite", 10.5, "i", 4.0),
            BREAK,
            ("Alatavoite", 10.0, "", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 4.0),
            ("Teksti.", 10.0, "", 4.0),
        ]);
        let goals = &a.strategic_lines[0].goals;
        assert_eq!(goals[0].description.as_deref(), Some("Kuvaus on lause."));
        assert_eq!(goals[1].description, None);
        assert_eq!(goals[1].goals[0].title, "Alatavoite");
    }

    #[test]
    fn lighter_rows_right_below_their_parents_that_are_not_sentences_are_levels() {
        // Size and weight: every deeper level lighter and standing right below its
        // parent, as a description would; but headings, not sentences. The description
        // style (sentences) is still one.
        let a = table(&[
            ("Linja", 14.0, "b", 4.0),
            BREAK,
            ("Tavoite", 12.5, "b", 4.0),
            BREAK,
            ("Alatavoite", 11.5, "", 4.0),
            BREAK,
            ("Kuvaus on lause.", 9.0, "", 4.0),
            BREAK,
            ("Alin tavoite", 10.8, "", 4.0),
            BREAK,
            ("Tavoite 2027", 9.5, "", 4.0),
            ("Teksti.", 9.5, "", 4.0),
            BREAK,
            ("Toinen tavoite", 12.5, "b", 4.0),
            BREAK,
            ("Toinen alatavoite", 11.5, "", 4.0),
            BREAK,
            ("Toisen kuvaus on lause.", 9.0, "", 4.0),
            BREAK,
            ("Tavoite 2027", 9.5, "", 4.0),
            ("Teksti.", 9.5, "", 4.0),
        ]);
        let goals = &a.strategic_lines[0].goals;
        assert_eq!(goals.len(), 2);
        assert_eq!(goals[0].description, None);
        let sub = &goals[0].goals[0];
        assert_eq!(
            (sub.title.as_str(), sub.description.as_deref()),
            ("Alatavoite", Some("Kuvaus on lause."))
        );
        assert_eq!(sub.goals[0].title, "Alin tavoite");
        assert_eq!(
            goals[1].goals[0].description.as_deref(),
            Some("Toisen kuvaus on lause.")
        );
    }

    #[test]
    fn a_lighter_style_that_also_follows_targets_is_a_level() {
        // Goals in plain 10 pt under a larger bold line: the first stands right under
        // the line, but the second follows a target, so the style is a level.
        let a = table(&[
            ("Linja", 12.0, "b", 4.0),
            BREAK,
            ("Tavoite yksi", 10.0, "", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 40.0),
            ("Teksti.", 10.0, "", 110.0),
            BREAK,
            ("Tavoite kaksi", 10.0, "", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 40.0),
            ("Teksti.", 10.0, "", 110.0),
        ]);
        let sl = &a.strategic_lines[0];
        assert_eq!(sl.description, None);
        assert_eq!(sl.goals.len(), 2);
    }

    #[test]
    fn a_row_set_like_the_other_names_is_a_name_not_a_description() {
        let indicator = |name: &'static str, value: &'static str| {
            [
                (name, 9.0, "", 4.0),
                BREAK,
                ("Mittayksikkö", 9.0, "", 4.0),
                ("kpl", 9.0, "", 84.0),
                BREAK,
                ("Tav 2027", 9.0, "", 4.0),
                (value, 9.0, "", 84.0),
                BREAK,
            ]
        };
        let mut rows = vec![("Linja", 13.0, "b", 4.0), BREAK];
        rows.extend(indicator("Ensimmäinen mittari", "5"));
        // Right after a value: the table's way of setting a name.
        rows.extend(indicator("Toinen mittari", "6"));
        // A lighter row under a heading row, then the unit: set like that name, so a
        // name of its own.
        rows.extend([("Toinen ryhmä", 10.0, "", 4.0), BREAK]);
        rows.extend(indicator("Kolmas mittari", "7"));
        let a = table(&rows);
        let names: Vec<_> = a
            .strategic_lines
            .iter()
            .flat_map(|l| {
                l.indicators
                    .iter()
                    .chain(l.goals.iter().flat_map(|g| g.indicators.iter()))
            })
            .map(|i| (i.name.as_str(), i.description.as_deref()))
            .collect();
        assert!(names.contains(&("Kolmas mittari", None)), "{names:?}");
    }

    #[test]
    fn an_indicator_name_ends_where_its_line_ends_early() {
        let rows = |second: &'static str| {
            table(&[
                ("Linja", 13.0, "b", 4.0),
                BREAK,
                ("Tavoite 2027", 10.0, "b", 4.0),
                (
                    "Pitkä tavoiteteksti joka ulottuu palstan oikeaan reunaan asti",
                    10.0,
                    "",
                    4.0,
                ),
                BREAK,
                ("Mittarin nimi", 10.0, "", 4.0),
                (second, 10.0, "", 4.0),
                BREAK,
                ("Mittayksikkö", 9.5, "", 4.0),
                ("kpl", 9.5, "", 84.0),
                BREAK,
                ("Tav 2027", 9.5, "", 4.0),
                ("5", 9.5, "", 84.0),
            ])
        };
        // "Kuvaus" would have fitted after the name: a new paragraph, the description.
        let a = rows("Kuvaus mittarista.");
        let i = &a.strategic_lines[0].indicators[0];
        assert_eq!(
            (i.name.as_str(), i.description.as_deref()),
            ("Mittarin nimi", Some("Kuvaus mittarista."))
        );
        // A name that goes on in lower case is one name, however short its line.
        let a = rows("jatkuu toisella rivillä");
        let i = &a.strategic_lines[0].indicators[0];
        assert_eq!(
            (i.name.as_str(), i.description.as_deref()),
            ("Mittarin nimi jatkuu toisella rivillä", None)
        );
        // A word as long as the rest of the line would not have: the name wraps.
        let a = rows("jatkuupitkälläsanallajokaeimahtunutedelliselleriville");
        let i = &a.strategic_lines[0].indicators[0];
        assert_eq!(
            (i.name.as_str(), i.description.as_deref()),
            (
                "Mittarin nimi jatkuupitkälläsanallajokaeimahtunutedelliselleriville",
                None
            )
        );
    }

    #[test]
    fn plain_rows_under_strategic_lines_that_go_on_to_targets_are_goals() {
        // One goal per strategic line, in plain text right below it: every such row
        // stands right below a heading row, but a line seldom holds targets itself.
        let a = table(&[
            ("Ensimmäinen linja", 12.0, "b", 4.0),
            BREAK,
            ("Ainoa tavoite", 10.0, "", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 40.0),
            ("Teksti.", 10.0, "", 110.0),
            BREAK,
            ("Toinen linja", 12.0, "b", 4.0),
            BREAK,
            ("Toinen tavoite", 10.0, "", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "", 40.0),
            ("Teksti.", 10.0, "", 110.0),
        ]);
        for sl in &a.strategic_lines {
            assert_eq!(sl.description, None, "{}", sl.title);
            assert_eq!(sl.goals.len(), 1, "{}", sl.title);
            assert!(sl.targets.is_empty());
        }
    }
}
