//! Chapters and prose: a chapter's body split into the prose before a table, the
//! table (read by [`super::table`]) and the prose after it; prose into chapters at
//! unnumbered headings, with the signing date and signatories, impact goals and the
//! evaluation scale picked out on the way.

use super::table::{read_table, table_kind};
use super::{short, Ctx};
use crate::grammar;
use crate::model::{Agreement, Chapter, ImpactGoal, Signatory, WarningCode};
use crate::text::push_para;

pub(super) struct ChapterHead {
    pub(super) number: Option<String>,
    pub(super) title: String,
    pub(super) first: usize,
    pub(super) last: usize,
}

/// A block that can be a table row: a cell-start indent, or a short heading-like block.
fn row_like(ctx: &Ctx, b: usize) -> bool {
    let block = &ctx.blocks[b];
    if block.leading_space {
        return true;
    }
    let text = ctx.block_text(b);
    block.para_count() == 1
        && block.line_indices().count() <= 3
        && !text.ends_with(['.', ':', ';', '!', '?'])
        // As the document reads its chapter headings: a numbered row set unlike them
        // is a row ("1.2 Title" in a table that numbers its rows).
        && ctx.headings[b].is_none()
}

/// A block of a value grid that has no label in it: a year alone or a row of years,
/// each line a year, a row of years or a value.
fn grid_part(ctx: &Ctx, b: usize) -> bool {
    let mut lines = ctx.blocks[b].line_indices().map(|i| ctx.text(i));
    let year = |t: &str| grammar::single_year(t).is_some() || grammar::is_bare_years(t);
    lines.next().is_some_and(year) && lines.all(|t| year(t) || grammar::is_value_like(t))
}

/// A block with a table-grammar line.
fn has_grammar(ctx: &Ctx, b: usize) -> bool {
    ctx.blocks[b]
        .line_indices()
        .any(|i| grammar::is_row_label(ctx.text(i)))
}

pub(super) fn chapter(ctx: &mut Ctx, a: &mut Agreement, head: Option<ChapterHead>, body: &[usize]) {
    let caption_at: Vec<usize> = (0..body.len())
        .filter(|&k| {
            ctx.single_line(body[k])
                .is_some_and(|t| grammar::caption(t).is_some())
        })
        .collect();
    let mut captions = Vec::new();
    for &k in &caption_at {
        captions.push(ctx.text(ctx.blocks[body[k]].first()).to_owned());
        ctx.place([ctx.blocks[body[k]].first()]);
    }
    let grammar_at: Vec<usize> = (0..body.len())
        .filter(|&k| has_grammar(ctx, body[k]))
        .collect();
    let (before, table, after): (Vec<usize>, Vec<usize>, Vec<usize>) =
        if let (Some(&g0), Some(&last)) = (grammar_at.first(), grammar_at.last()) {
            // The last indicator's grid goes on in cells of bare years and their values.
            let g1 = last
                + body[last + 1..]
                    .iter()
                    .take_while(|&&b| grid_part(ctx, b))
                    .count();
            let start = match caption_at.iter().rev().find(|&&c| c < g0) {
                Some(&c) => c + 1,
                None => {
                    // Without a caption the table starts with the row-like blocks before
                    // its first grammar row; a prose paragraph ends the search.
                    let mut s = g0;
                    while s > 0 && row_like(ctx, body[s - 1]) {
                        s -= 1;
                    }
                    s
                }
            };
            let keep = |k: &usize| !caption_at.contains(k);
            (
                (0..start).filter(keep).map(|k| body[k]).collect(),
                (start..=g1).filter(keep).map(|k| body[k]).collect(),
                (g1 + 1..body.len()).filter(keep).map(|k| body[k]).collect(),
            )
        } else {
            (
                (0..body.len())
                    .filter(|k| !caption_at.contains(k))
                    .map(|k| body[k])
                    .collect(),
                Vec::new(),
                Vec::new(),
            )
        };
    let kind_title = captions
        .first()
        .cloned()
        .or_else(|| head.as_ref().map(|h| h.title.clone()))
        .unwrap_or_default();
    let mut prose: Vec<usize> = before;
    let mut trailing: Vec<usize> = Vec::new();
    if !table.is_empty() {
        read_table(ctx, a, table_kind(&kind_title), &table);
        trailing = after;
    } else {
        prose.extend(after);
    }
    let Some(head) = head else {
        // Text before the first heading: a chapter only if it starts with a heading line.
        prose_chapters(ctx, a, None, &prose, captions);
        prose_chapters(ctx, a, None, &trailing, Vec::new());
        return;
    };
    prose_chapters(ctx, a, Some(head), &prose, captions);
    prose_chapters(ctx, a, None, &trailing, Vec::new());
}

/// An unnumbered heading: one short line, capitalized, without closing punctuation.
fn unnumbered_heading(ctx: &Ctx, b: usize) -> Option<String> {
    heading_line(ctx, b, ctx.single_line(b)?)
}

/// An unnumbered heading set in one block with its chapter's text, as a dump may set
/// them (no size or space parts them): the block's first paragraph is one line that
/// reads as a heading, and sentences follow it in paragraphs of their own.
fn heading_over_text(ctx: &Ctx, b: usize) -> Option<String> {
    let mut paras = ctx.blocks[b].paras();
    let head = paras.next().filter(|p| p.len() == 1)?;
    let mut rest = paras.peekable();
    let opens = rest.peek()?.first().map(|&i| ctx.text(i))?;
    let sentences = rest.any(|p| p.iter().any(|&i| ctx.text(i).ends_with('.')));
    if !opens.starts_with(char::is_uppercase) || !sentences {
        return None;
    }
    heading_line(ctx, b, ctx.text(head[0]))
}

/// Whether `t`, the first line of block `b`, reads as an unnumbered heading: short,
/// capitalized, without closing punctuation, one cell.
fn heading_line(ctx: &Ctx, b: usize, t: &str) -> Option<String> {
    let raw = ctx.lines.lines[ctx.blocks[b].first()].raw().trim();
    let ok = t.chars().count() <= 80
        && t.chars().next().is_some_and(char::is_uppercase)
        && !t.ends_with(['.', ':', ';', ',', '!', '?', '”', '"', ')'])
        && !raw.contains("  ")
        && !raw.contains('\t')
        && grammar::bullet(t).is_none()
        && grammar::date(t).is_none();
    ok.then(|| grammar::collapse(t))
}

struct Chap {
    head: Option<ChapterHead>,
    /// The paragraphs so far, joined with blank lines.
    text: String,
    captions: Vec<String>,
    first: Option<usize>,
    last: Option<usize>,
    /// The last paragraph when it was not an impact goal: where it starts in `text`
    /// (its separator included) and its first line.
    prev_para: Option<(usize, usize)>,
    /// Where the last paragraph starts in `text` when it was a row of several cells and
    /// not an impact goal: a goal table's header if a goal row follows.
    /// A row of several cells just read: its start in `text`, its first and last line.
    header_row: Option<(usize, usize, usize)>,
}

/// An impact chapter: its title names impact (vaikuttavuus).
fn impact_title(head: &Option<ChapterHead>) -> bool {
    head.as_ref()
        .is_some_and(|h| h.title.to_lowercase().contains("vaikuttavuu"))
}

/// Prose blocks into chapters: `head`'s, then one per unnumbered heading. Picks out on
/// the way the signing date and signatories, impact goals (bullets in an impact
/// chapter) and the evaluation scale; text before any heading is warned about.
fn prose_chapters(
    ctx: &mut Ctx,
    a: &mut Agreement,
    head: Option<ChapterHead>,
    blocks: &[usize],
    captions: Vec<String>,
) {
    let mut cur = Chap {
        first: head.as_ref().map(|h| h.first),
        last: head.as_ref().map(|h| h.last),
        head,
        text: String::new(),
        captions,
        prev_para: None,
        header_row: None,
    };
    let mut impact = impact_title(&cur.head);
    let mut after_date = false;
    let mut skip = 0;
    for (k, &b) in blocks.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let signed = signing(ctx, a, &blocks[k..], &mut after_date);
        if signed > 0 {
            skip = signed - 1;
            continue;
        }
        let code_next = blocks.get(k + 1).and_then(|&n| ctx.single_line(n));
        // A goal table's cells, its header's too, are no headings.
        let goal_cell = impact
            && (code_next.and_then(grammar::ministry_cell).is_some()
                || coded(ctx, b)
                || goal_table_header(ctx, &blocks[k..]) > 0);
        let over_text = || heading_over_text(ctx, b).filter(|_| cur.head.is_none());
        let (heading, text_follows) = match unnumbered_heading(ctx, b) {
            Some(title) => (Some(title), false),
            None => (over_text(), true),
        };
        if let Some(title) = heading.filter(|_| !goal_cell) {
            let first = ctx.blocks[b].first();
            ctx.place([first]);
            let next = Chap {
                head: Some(ChapterHead {
                    number: None,
                    title,
                    first,
                    last: first,
                }),
                text: String::new(),
                captions: Vec::new(),
                first: Some(first),
                last: Some(first),
                prev_para: None,
                header_row: None,
            };
            emit_chapter(ctx, a, std::mem::replace(&mut cur, next));
            impact = impact_title(&cur.head);
            if text_follows {
                prose_block(ctx, a, &mut cur, impact, b, 1);
            }
            continue;
        }
        if cur.head.is_none() {
            let lines: Vec<usize> = ctx.blocks[b].line_indices().collect();
            ctx.warn(
                WarningCode::TextBeforeFirstChapter,
                format!(
                    "text before the first chapter heading: {:?}",
                    short(&ctx.block_text(b))
                ),
                &lines,
            );
            continue;
        }
        prose_block(ctx, a, &mut cur, impact, b, 0);
    }
    emit_chapter(ctx, a, cur);
}

/// How many of `blocks` (from the first) are an impact-goal table's header cells read
/// one block each (a dump writes "Vaikuttavuustavoite", "Ministeriö" one under the
/// other): one or two short lines that are no sentence, right before the first goal
/// row (a goal's text and its ministry code). They stay the chapter's text.
fn goal_table_header(ctx: &Ctx, blocks: &[usize]) -> usize {
    let cell = |b: usize| {
        ctx.single_line(b)
            .filter(|t| t.chars().count() <= 40 && !t.ends_with(['.', ':', ';']))
    };
    let code = |b: Option<&usize>| {
        b.and_then(|&b| ctx.single_line(b))
            .and_then(grammar::ministry_cell)
            .is_some()
    };
    let goal_row = |n: usize| {
        let at = blocks.get(n);
        !code(at) && (at.is_some_and(|&b| coded(ctx, b)) || code(blocks.get(n + 1)))
    };
    (1..=2)
        .find(|&n| {
            blocks.len() > n
                // A code alone is `coded` too.
                && blocks[..n].iter().all(|&b| cell(b).is_some() && !coded(ctx, b))
                && goal_row(n)
        })
        .unwrap_or(0)
}

/// A block whose last line ends in a known ministry code, after a gap, in a tag or
/// after one space (pdf-extract parts cells so): an impact-goal row.
fn coded(ctx: &Ctx, b: usize) -> bool {
    let raw = ctx.lines.lines[ctx.blocks[b].last()].raw().trim();
    ends_in_code(raw) || code_after_space(raw).is_some()
}

/// "Goal text VM": the text and the known ministry code after its last space.
fn code_after_space(cell: &str) -> Option<(&str, &'static str)> {
    let (goal, tail) = cell.trim_end().rsplit_once(' ')?;
    let code = grammar::ministry_cell(tail)?;
    (!goal.trim().is_empty()).then_some((goal, code))
}

/// How many of `blocks` (from the first) are the signing date (the agreement's first
/// date alone on a line) or, after it, signatories; they are then read into `a`.
fn signing(ctx: &mut Ctx, a: &mut Agreement, blocks: &[usize], after_date: &mut bool) -> usize {
    let b = blocks[0];
    if let Some(date) = ctx.single_line(b).and_then(grammar::date) {
        if a.signed.is_none() {
            a.signed = Some(date);
            *after_date = true;
            ctx.place([ctx.blocks[b].first()]);
            return 1;
        }
    }
    if !*after_date {
        return 0;
    }
    if let Some(s) = ctx
        .single_line(b)
        .and(signatory(ctx, a, ctx.blocks[b].first()))
    {
        a.signatories.push(s);
        ctx.place([ctx.blocks[b].first()]);
        return 1;
    }
    signature_block(ctx, a, blocks)
}

/// The blocks from the first made of short lines only (no sentence, no date), and their
/// lines.
fn short_line_run(ctx: &Ctx, blocks: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut ends = Vec::new();
    for &b in blocks {
        let block: Vec<usize> = ctx.blocks[b].line_indices().collect();
        let short = |i: &usize| {
            let t = ctx.text(*i);
            t.chars().count() <= 100
                && (grammar::is_rule_line(t) || !t.ends_with(['.', ':', ';', '!', '?']))
                && grammar::date(t).is_none()
        };
        if !block.iter().all(short) {
            break;
        }
        lines.extend(block);
        ends.push(lines.len());
    }
    (lines, ends)
}

/// A signature block set as lines: organisations, signature rules, names and titles
/// (side by side in cells, or one under another). Returns how many of `blocks` it took.
fn signature_block(ctx: &mut Ctx, a: &mut Agreement, blocks: &[usize]) -> usize {
    let (lines, ends) = short_line_run(ctx, blocks);
    let cells: Vec<Vec<&str>> = lines
        .iter()
        .map(|&i| {
            gap_split(ctx.lines.lines[i].raw().trim())
                .into_iter()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    let rows = organisations_unwrapped(cells, &ends);
    let rows: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let (used, people) = read_signatures(&rows);
    if people.is_empty() {
        return 0;
    }
    for p in people {
        a.signatories.push(Signatory {
            organization: p.organization,
            name: p.name,
            title: p.title,
            source: ctx.source(lines[p.rows.0], lines[p.rows.1]),
        });
    }
    let taken = ends
        .iter()
        .position(|&e| e >= used)
        .map_or(ends.len(), |p| p + 1);
    let last = ends[taken - 1];
    ctx.place(lines[..last].iter().copied());
    taken
}

/// Rows of cells with an organisation's name that wraps onto the next line of its block
/// (a lone cell going on in lower case under a lone cell that is no person's name or
/// title) joined
/// into its first row, which the wrapped line's row becomes an empty copy of: row
/// indices stay the lines'. `ends`: where each block's lines end.
fn organisations_unwrapped(rows: Vec<Vec<&str>>, ends: &[usize]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    let mut head: Option<usize> = None;
    for (r, row) in rows.iter().enumerate() {
        let block_start = r == 0 || ends.contains(&r);
        let wraps = match (head, row.as_slice()) {
            (Some(h), [cell]) if !block_start => {
                let above = &out[h][0];
                grammar::starts_lowercase(cell)
                    && !grammar::person_name(above)
                    && !grammar::person_title(above)
                    && name_and_title(above).is_none()
            }
            _ => false,
        };
        if let (true, Some(h)) = (wraps, head) {
            let joined = format!("{} {}", out[h][0], row[0]);
            out[h][0] = joined;
            out.push(Vec::new());
            continue;
        }
        head = (row.len() == 1).then_some(r);
        out.push(row.iter().map(|c| (*c).to_owned()).collect());
    }
    out
}

/// A signatory read from rows of cells, with the rows of its name and title.
#[derive(Debug, PartialEq)]
struct Signer {
    organization: Option<String>,
    name: String,
    title: Option<String>,
    rows: (usize, usize),
}

/// Signatories in rows of cells: a row of names with a row of titles under it is that
/// many people (a name with its title in one cell, "Name, title", is one); any other
/// row before them names their organisations, in order (a person after the list is
/// used up signs for the last one named); rules are skipped. Returns how many rows the
/// signatories take (rows after the last person are left).
fn read_signatures(rows: &[Vec<&str>]) -> (usize, Vec<Signer>) {
    let is_rule = |r: &Vec<&str>| r.iter().all(|c| grammar::is_rule_line(c));
    let mut orgs = std::collections::VecDeque::new();
    let mut last_org: Option<String> = None;
    let (mut used, mut out) = (0, Vec::new());
    let mut r = 0;
    while r < rows.len() {
        let row = &rows[r];
        let next = (r + 1..rows.len()).find(|&j| !is_rule(&rows[j]));
        let titles = next.filter(|&j| {
            rows[j].len() == row.len() && rows[j].iter().all(|c| grammar::person_title(c))
        });
        if is_rule(row) {
            r += 1;
            continue;
        }
        let found = match titles {
            Some(j) if row.iter().all(|c| grammar::person_name(c)) => Some((
                row.iter()
                    .zip(&rows[j])
                    .map(|(n, t)| (grammar::collapse(n), Some(grammar::collapse(t))))
                    .collect::<Vec<_>>(),
                j,
            )),
            _ => row
                .iter()
                .map(|c| name_and_title(c))
                .collect::<Option<Vec<_>>>()
                .map(|people| (people, r)),
        };
        let Some((people, end)) = found else {
            if row.iter().any(|c| grammar::person_title(c)) {
                break;
            }
            orgs.extend(row.iter().map(|c| grammar::collapse(c)));
            r += 1;
            continue;
        };
        for (name, title) in people {
            let organization = orgs.pop_front().or_else(|| last_org.clone());
            last_org.clone_from(&organization);
            out.push(Signer {
                organization,
                name,
                title,
                rows: (r, end),
            });
        }
        (used, r) = (end + 1, end + 1);
    }
    (used, out)
}

/// "Name, title" in one cell.
fn name_and_title(cell: &str) -> Option<(String, Option<String>)> {
    let (name, title) = cell.split_once(',')?;
    (grammar::person_name(name) && grammar::person_title(title))
        .then(|| (grammar::collapse(name), Some(grammar::collapse(title))))
}

/// Block `b`'s paragraphs joined onto the chapter's text; in an impact chapter
/// (`impact`) a bulleted paragraph is an impact goal instead. The first evaluation
/// scale met is the agreement's.
/// Block `b`'s paragraphs from the `from`-th on into the chapter `cur`.
fn prose_block(
    ctx: &mut Ctx,
    a: &mut Agreement,
    cur: &mut Chap,
    impact: bool,
    b: usize,
    from: usize,
) {
    let all_blocks = ctx.blocks;
    let paras = all_blocks[b].paras().skip(from);
    let paras: Vec<&[usize]> = if impact {
        paras.flat_map(|p| goal_lines(ctx, p)).collect()
    } else {
        paras.collect()
    };
    for p in paras {
        // Joined straight onto the chapter's text (an empty one adds nothing), and
        // taken off again when it is an impact goal.
        let before = cur.text.len();
        let lines = ctx.lines;
        let parts = p
            .iter()
            .map(|&i| (lines.lines[i].raw(), lines.lines[i].trailing_space));
        let text = push_para(&mut cur.text, parts).map_or("", |r| &cur.text[r]);
        ctx.place(p.iter().copied());
        if a.evaluation_scale.is_empty() {
            let steps = grammar::scale_steps(text);
            if steps.len() >= 2 {
                a.evaluation_scale = steps;
            }
        }
        if impact {
            impact_para(ctx, a, cur, p, before);
        }
    }
    cur.first = cur.first.or(Some(ctx.blocks[b].first()));
    cur.last = Some(ctx.blocks[b].last());
}

/// Paragraph `p` of an impact chapter cut where its lines say a goal starts or ends: a
/// line that is a list item starts one, a line ending in a known ministry code (a tag or
/// a cell) ends one (a dump may set the list right under the text that opens it).
fn goal_lines<'p>(ctx: &Ctx, p: &'p [usize]) -> Vec<&'p [usize]> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (k, &i) in p.iter().enumerate() {
        if k > start && grammar::list_item(ctx.text(i)).is_some() {
            pieces.push(&p[start..k]);
            start = k;
        }
        if ends_in_code(ctx.lines.lines[i].raw()) {
            pieces.push(&p[start..=k]);
            start = k + 1;
        }
    }
    if start < p.len() {
        pieces.push(&p[start..]);
    }
    pieces
}

/// A line ending in a known ministry code: a tag "(VM)", or a last cell "VM".
fn ends_in_code(raw: &str) -> bool {
    let raw = raw.trim();
    grammar::ministry_tag(raw).is_some_and(|(_, c)| grammar::ministry_cell(c).is_some())
        || gap_split(raw)
            .last()
            .is_some_and(|c| grammar::ministry_cell(c).is_some())
}

/// Paragraph `p` of an impact chapter, its text in `cur.text` from `before`: an impact
/// goal when it is a list item, a row whose last cell is a known ministry code, or text
/// ending in a known code's tag; a code alone makes the paragraph before it a goal (a
/// dump reads a row's cells one after the other). A row of several cells right before a
/// goal row is the goal table's header: it leaves the chapter's text with the goal.
fn impact_para(ctx: &mut Ctx, a: &mut Agreement, cur: &mut Chap, p: &[usize], before: usize) {
    let text = cur.text[before..].trim_start_matches('\n').to_owned();
    let last = p[p.len() - 1];
    let (goal, cut) = if let Some(item) = grammar::list_item(&text) {
        (Some(impact_goal(ctx, item, p)), before)
    } else if let Some((goal, code)) = row_goal(ctx, p) {
        let goal = tagged_goal(ctx, goal, code, p[0], last);
        (Some(goal), header_cut(ctx, cur, before))
    } else if let (Some(code), Some((start, first))) =
        (grammar::ministry_cell(&text), cur.prev_para)
    {
        let goal = grammar::collapse(cur.text[start..before].trim_start_matches('\n'));
        (Some(tagged_goal(ctx, goal, code, first, last)), start)
    } else if let Some((goal, code)) = grammar::ministry_tag(&text)
        .and_then(|(t, c)| Some((t.to_owned(), grammar::ministry_cell(c)?)))
    {
        let goal = tagged_goal(ctx, goal, code, p[0], last);
        (Some(goal), header_cut(ctx, cur, before))
    } else {
        (None, before)
    };
    let Some(goal) = goal else {
        cur.prev_para = Some((before, p[0]));
        let cells = gap_split(ctx.lines.lines[p[0]].raw().trim());
        cur.header_row = (cells.len() >= 2).then_some((before, p[0], last));
        return;
    };
    a.impact_goals.push(goal);
    cur.last = Some(last);
    cur.text.truncate(cut);
    (cur.prev_para, cur.header_row) = (None, None);
}

/// Where the text is cut before a goal row: before the goal table's header row, whose
/// lines are the table's column headings, when one was just read.
fn header_cut(ctx: &mut Ctx, cur: &Chap, before: usize) -> usize {
    match cur.header_row {
        Some((at, first, last)) => {
            ctx.column_headings[first..=last].fill(true);
            at
        }
        None => before,
    }
}

/// A paragraph read as a table row: its cells (at gaps, and its lines) with exactly one
/// a known ministry code, the last of its line: the other cells joined, and the code.
fn row_goal(ctx: &Ctx, p: &[usize]) -> Option<(String, &'static str)> {
    let mut cells = Vec::new();
    let mut code = None;
    for &i in p {
        let line: Vec<&str> = gap_split(ctx.lines.lines[i].raw().trim())
            .into_iter()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        for (k, cell) in line.iter().enumerate() {
            match grammar::ministry_cell(cell) {
                Some(c) if code.is_none() && k + 1 == line.len() => code = Some(c),
                Some(_) => return None,
                None => cells.push(*cell),
            }
        }
    }
    if code.is_none() {
        // pdf-extract parts a row's last cell by one space: "Goal text VM".
        let (goal, c) = code_after_space(cells.pop()?)?;
        code = Some(c);
        cells.push(goal);
    }
    let code = code?;
    (!cells.is_empty()).then(|| (grammar::collapse(&cells.join(" ")), code))
}

fn tagged_goal(ctx: &Ctx, text: String, code: &str, first: usize, last: usize) -> ImpactGoal {
    ImpactGoal {
        id: String::new(),
        text,
        ministry: Some(code.to_owned()),
        source: ctx.source(first, last),
    }
}

fn impact_goal(ctx: &mut Ctx, item: &str, p: &[usize]) -> ImpactGoal {
    let (text, ministry) = match grammar::ministry_tag(item) {
        Some((text, code)) => {
            if !grammar::MINISTRY_CODES.contains(&code) {
                let message = format!("impact goal tagged ({code}), not a known ministry code");
                ctx.note(WarningCode::UnknownMinistryCode, message, p[0]);
            }
            (text.to_owned(), Some(code.to_owned()))
        }
        None => (item.to_owned(), None),
    };
    ImpactGoal {
        id: String::new(),
        text,
        ministry,
        source: ctx.source(p[0], p[p.len() - 1]),
    }
}

fn emit_chapter(ctx: &mut Ctx, a: &mut Agreement, c: Chap) {
    let Some(head) = c.head else { return };
    let level = head.number.as_deref().map_or(1, grammar::chapter_level);
    let (first, last) = (c.first.unwrap_or(head.first), c.last.unwrap_or(head.last));
    a.chapters.push(Chapter {
        id: String::new(),
        number: head.number,
        title: head.title,
        text: (!c.text.is_empty()).then_some(c.text),
        level,
        captions: c.captions,
        source: ctx.source(first, last.max(first)),
    });
}

/// `text` split at each `\s{2,}|\t`: at runs of two or more white-space characters
/// and at lone tabs.
fn gap_split(text: &str) -> Vec<&str> {
    let mut cols = Vec::new();
    let mut col_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !c.is_whitespace() {
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut run = 1;
        while let Some(&(j, d)) = chars.peek().filter(|(_, d)| d.is_whitespace()) {
            end = j + d.len_utf8();
            run += 1;
            chars.next();
        }
        if run >= 2 || c == '\t' {
            cols.push(&text[col_start..i]);
            col_start = end;
        }
    }
    cols.push(&text[col_start..]);
    cols
}

/// `Organisation<gap>Name, title`, or `Name, title`; `Organisation Name, title` when the
/// organisation is one the agreement names (its parties, an earlier signatory's).
fn signatory(ctx: &Ctx, a: &Agreement, line: usize) -> Option<Signatory> {
    let raw = ctx.lines.lines[line].raw().trim();
    let cols: Vec<&str> = gap_split(raw)
        .into_iter()
        .filter(|c| !c.trim().is_empty())
        .collect();
    let (organization, person) = match cols.as_slice() {
        [person] => {
            match known_party(parties(a), person).or_else(|| leading_organisation(person)) {
                Some((org, rest)) => (Some(org), rest),
                None => (None, *person),
            }
        }
        [org, person] => (Some(grammar::collapse(org)), *person),
        [org, rest @ ..] => (Some(grammar::collapse(org)), *rest.last()?),
        [] => return None,
    };
    let (name, title) = match person.split_once(',') {
        Some((n, t)) => (grammar::collapse(n), Some(grammar::collapse(t))),
        None if organization.is_some() && grammar::person_name(person) => {
            (grammar::collapse(person), None)
        }
        None => return None,
    };
    let words = name.split_whitespace().count();
    if !(2..=5).contains(&words) || !name.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    Some(Signatory {
        organization,
        name,
        title: title.filter(|t| !t.is_empty()),
        source: ctx.source(line, line),
    })
}

/// The organisations an agreement names: its parties and its signatories' so far.
fn parties(a: &Agreement) -> impl Iterator<Item = &str> {
    let named = a
        .signatories
        .iter()
        .filter_map(|s| s.organization.as_deref());
    [a.ministry.as_deref(), a.agency.as_deref()]
        .into_iter()
        .flatten()
        .chain(named)
}

/// `text` opened by one of `orgs`, a space after it: the organisation and the rest. The
/// longest name wins.
fn known_party<'a, 't>(
    orgs: impl Iterator<Item = &'a str>,
    text: &'t str,
) -> Option<(String, &'t str)> {
    let text = text.trim_start();
    orgs.filter_map(|org| {
        let rest = text.strip_prefix(org)?;
        rest.starts_with(char::is_whitespace)
            .then(|| (org.to_owned(), rest.trim_start()))
    })
    .max_by_key(|(org, _)| org.len())
}

/// `Organisation First Last, title` with an organisation the agreement does not name:
/// the two words before the comma are the person when the words before them read as
/// an organisation's name (a lower-case word, or one long or hyphenated compound),
/// which a first name is not.
fn leading_organisation(text: &str) -> Option<(String, &str)> {
    let (before, _) = text.split_once(',')?;
    let words: Vec<&str> = before.split_whitespace().collect();
    let k = words.len().checked_sub(2).filter(|&k| k > 0)?;
    let org = &words[..k];
    let compound = |w: &str| w.contains('-') || w.chars().count() >= 12;
    let org_like =
        org.iter().any(|w| grammar::starts_lowercase(w)) || (org.len() == 1 && compound(org[0]));
    if !org_like || !grammar::person_name(&words[k..].join(" ")) {
        return None;
    }
    // The person's first word: the second-to-last word before the comma.
    let at = before.trim_end().rfind(char::is_whitespace)?;
    let at = before[..at].trim_end().rfind(char::is_whitespace)? + 1;
    Some((grammar::collapse(&text[..at]), &text[at..]))
}

#[cfg(test)]
mod tests {
    use super::{organisations_unwrapped, read_signatures};
    use crate::{convert_bytes, Options};

    /// Organisation, name, title.
    type Who = (Option<String>, String, Option<String>);

    fn people(rows: &[&[&str]]) -> (usize, Vec<Who>) {
        let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.to_vec()).collect();
        let (used, found) = read_signatures(&rows);
        let found = found
            .into_iter()
            .map(|s| (s.organization, s.name, s.title))
            .collect();
        (used, found)
    }

    fn who(org: &str, name: &str, title: &str) -> Who {
        (Some(org.into()), name.into(), Some(title.into()))
    }

    #[test]
    fn an_organisation_run_into_a_name_is_split_off() {
        use super::{known_party, leading_organisation};
        let orgs = [
            "Valtiovarainministeriö",
            "Valtion talous- ja henkilöstöhallinnon palvelukeskus",
        ];
        let line = "Valtiovarainministeriö Jyrki Nieminen, hallitusneuvos";
        let known = |t| known_party(orgs.iter().copied(), t);
        assert_eq!(
            known(line),
            Some((orgs[0].to_owned(), "Jyrki Nieminen, hallitusneuvos"))
        );
        assert_eq!(known("Valtiovarainministeriön Jyrki, x"), None);
        let line = "Valtion talous- ja henkilöstöhallinnon palvelukeskus Elina Aaltonen, johtaja";
        assert_eq!(
            leading_organisation(line),
            Some((orgs[1].to_owned(), "Elina Aaltonen, johtaja"))
        );
        assert_eq!(
            leading_organisation("KEHA-keskus Anu Karjalainen, johtaja"),
            Some(("KEHA-keskus".to_owned(), "Anu Karjalainen, johtaja"))
        );
        // A first name is no organisation; a name alone has none.
        assert_eq!(leading_organisation("Anna Maija Virtanen, johtaja"), None);
        assert_eq!(leading_organisation("Maija Virtanen, johtaja"), None);
    }

    #[test]
    fn an_organisation_wrapped_in_its_cell_is_one_organisation() {
        // Each line a row; blocks end after rows 2 and 3 and 5 and 6. A name with its
        // title and a title under a name never take the line below.
        let rows: Vec<Vec<&str>> = [
            &["Valtion talous- ja henkilöstöhallinnon"][..],
            &["palvelukeskus"],
            &["Markku Heinonen, pääjohtaja"],
            &["Leena Koskinen"],
            &["talousjohtaja"],
            &["file:///tmp/x.html"],
        ]
        .iter()
        .map(|r| r.to_vec())
        .collect();
        let rows = organisations_unwrapped(rows, &[2, 3, 6]);
        let rows: Vec<Vec<&str>> = rows
            .iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        let (_, found) = read_signatures(&rows);
        assert_eq!(found[0].rows, (2, 2), "rows stay the lines'");
        let found: Vec<Who> = found
            .into_iter()
            .map(|s| (s.organization, s.name, s.title))
            .collect();
        let org = "Valtion talous- ja henkilöstöhallinnon palvelukeskus";
        assert_eq!(
            found,
            [
                who(org, "Markku Heinonen", "pääjohtaja"),
                who(org, "Leena Koskinen", "talousjohtaja"),
            ]
        );
    }

    #[test]
    fn signature_lines_one_under_another() {
        let (used, found) = people(&[
            &["Oikeusministeriö"],
            &["__________"],
            &["Petri Karjalainen"],
            &["hallitusneuvos"],
            &["Rikosseuraamuslaitos"],
            &["Ville Väisänen"],
            &["vastuualueen johtaja"],
            &["Jyrki Salminen"],
            &["hallintojohtaja"],
            &["Liitteet"],
        ]);
        assert_eq!(used, 9, "the heading after the block is left");
        assert_eq!(
            found,
            [
                who("Oikeusministeriö", "Petri Karjalainen", "hallitusneuvos"),
                who(
                    "Rikosseuraamuslaitos",
                    "Ville Väisänen",
                    "vastuualueen johtaja"
                ),
                who("Rikosseuraamuslaitos", "Jyrki Salminen", "hallintojohtaja"),
            ]
        );
    }

    #[test]
    fn signature_cells_side_by_side() {
        let (used, found) = people(&[
            &["Työ- ja elinkeinoministeriö", "KEHA-keskus"],
            &["Heikki Järvinen", "Kaisa Aaltonen"],
            &["ylijohtaja", "talousjohtaja"],
        ]);
        assert_eq!(used, 3);
        assert_eq!(
            found,
            [
                who(
                    "Työ- ja elinkeinoministeriö",
                    "Heikki Järvinen",
                    "ylijohtaja"
                ),
                who("KEHA-keskus", "Kaisa Aaltonen", "talousjohtaja"),
            ]
        );
        // Cells read one after another give the same people.
        let (_, flat) = people(&[
            &["Työ- ja elinkeinoministeriö", "KEHA-keskus"],
            &["Heikki Järvinen"],
            &["ylijohtaja"],
            &["Kaisa Aaltonen"],
            &["talousjohtaja"],
        ]);
        assert_eq!(flat, found);
    }

    #[test]
    fn short_lines_without_people_are_no_signatures() {
        assert_eq!(people(&[&["Liitteet"], &["Seurantamittarit"]]), (0, vec![]));
        // A title with no name before it ends the block.
        assert_eq!(people(&[&["Virasto"], &["ylijohtaja"]]).1, vec![]);
    }

    fn impact(body: &str) -> (Vec<(String, Option<String>)>, Option<String>) {
        let text = format!(
            "Ministeriö ja Virasto \n\nMinisteriön ja viraston välinen tulossopimus 2027 \n\n\n\n \n\n\
             1 Tehtävät \n\nProosaa. \n\n2 Yhteiskunnallinen vaikuttavuus \n\nJohdanto: \n\n{body}\
             3 Muut asiat \n\nLoppu. \n"
        );
        let doc = convert_bytes("i.txt", text.as_bytes(), &Options::default()).expect("converts");
        let a = &doc.agreements[0];
        let goals = a
            .impact_goals
            .iter()
            .map(|g| (g.text.clone(), g.ministry.clone()));
        (goals.collect(), a.chapters[1].text.clone())
    }

    #[test]
    fn an_impact_tables_header_row_is_layout_not_a_lost_line() {
        let text = "Ministeriö ja Virasto \n\nMinisteriön ja viraston välinen tulossopimus 2027 \n\n\n\n \n\n\
             1 Tehtävät \n\nProosaa. \n\n2 Yhteiskunnallinen vaikuttavuus \n\nJohdanto: \n\n\
             Vaikuttavuustavoite    Ministeriö \n\nTyöllisyys kasvaa    VM \n\n3 Muut asiat \n\nLoppu. \n";
        let doc = convert_bytes("i.txt", text.as_bytes(), &Options::default()).expect("converts");
        assert_eq!(doc.warnings, [], "a correct conversion has no warnings");
        assert_eq!(doc.coverage.furniture_lines, 1);
    }

    fn goal(text: &str, code: &str) -> (String, Option<String>) {
        (text.into(), Some(code.into()))
    }

    #[test]
    fn impact_table_rows_end_in_a_ministry_code() {
        let (goals, text) = impact(
            "Vaikuttavuustavoite    Ministeriö \n\nTyöllisyys kasvaa    VM \n\n\
             Kulttuuri säilyy    (TEM) \n\n",
        );
        assert_eq!(
            goals,
            [
                goal("Työllisyys kasvaa", "VM"),
                goal("Kulttuuri säilyy", "TEM")
            ]
        );
        assert_eq!(
            text.as_deref(),
            Some("Johdanto:"),
            "the header row leaves the text"
        );
        // Not a known code: prose.
        let (goals, _) = impact("Työllisyys kasvaa    XYZ \n\n");
        assert_eq!(goals, []);
    }

    #[test]
    fn impact_goals_by_tag_without_a_bullet_or_with_the_code_alone() {
        let (goals, text) = impact(
            "Työllisyys kasvaa (VM) \n\nKulttuuri säilyy \n\n(TEM) \n\nMuu teksti (XYZ) \n\n",
        );
        assert_eq!(
            goals,
            [
                goal("Työllisyys kasvaa", "VM"),
                goal("Kulttuuri säilyy", "TEM")
            ]
        );
        assert_eq!(text.as_deref(), Some("Johdanto:\n\nMuu teksti (XYZ)"));
    }

    #[test]
    fn impact_table_cells_one_block_each_or_parted_by_one_space() {
        // pdftotext writes each cell as a block; pdf-extract parts cells by a space.
        let (goals, text) = impact(
            "Vaikuttavuustavoite \n\nMinisteriö \n\nLiikenne on turvallista \n\nLVM \n\n\
             Ruokaketju on kilpailukykyinen VM \n\n",
        );
        assert_eq!(
            goals,
            [
                goal("Liikenne on turvallista", "LVM"),
                goal("Ruokaketju on kilpailukykyinen", "VM")
            ]
        );
        let header = "Johdanto:\n\nVaikuttavuustavoite\n\nMinisteriö";
        assert_eq!(text.as_deref(), Some(header), "the header cells stay text");
        let (goals, text) =
            impact("Vaikuttavuustavoite Ministeriö \n\nLiikenne on turvallista LVM \n\n");
        assert_eq!(goals, [goal("Liikenne on turvallista", "LVM")]);
        let header = "Johdanto:\n\nVaikuttavuustavoite Ministeriö";
        assert_eq!(text.as_deref(), Some(header));
    }

    #[test]
    fn impact_list_right_under_its_opening_text() {
        let (goals, text) =
            impact("Johdanto jatkuu: \n1. Työllisyys kasvaa (VM) \n2. Kulttuuri säilyy (TEM) \n\n");
        assert_eq!(
            goals,
            [
                goal("Työllisyys kasvaa", "VM"),
                goal("Kulttuuri säilyy", "TEM")
            ]
        );
        assert_eq!(text.as_deref(), Some("Johdanto:\n\nJohdanto jatkuu:"));
    }

    #[test]
    fn a_heading_in_one_block_with_its_text_after_a_table_opens_a_chapter() {
        // A dump sets the closing chapter's heading right under the table's last grid
        // and its text right under the heading: one block, two paragraphs.
        let text = "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
                    3 Tulostavoitteet\n\nTaulukko: Tulostavoitteet\n\nLinja\n\nTavoite\n\n\
                    Tavoite 2027 Teksti.\n\nMittari\nMittayksikkö %\nTav 2027 5\n\n\
                    Seuranta ja arviointi\n \nArvioinnissa: VIHREÄ (3) = hyvä, KELTAINEN (2) = \
                    osittain, PUNAINEN (1) = ei.\n \nRaportointi tehdään kahdesti.\n\n";
        let doc = convert_bytes("d.txt", text.as_bytes(), &Options::default()).expect("converts");
        let a = &doc.agreements[0];
        let last = a.chapters.last().expect("chapters");
        assert_eq!(last.title, "Seuranta ja arviointi");
        let body = last.text.as_deref().unwrap_or("");
        assert!(body.ends_with("Raportointi tehdään kahdesti."), "{body}");
        assert_eq!(a.evaluation_scale.len(), 3);
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    }

    /// The hand-written signature-column pattern gives what its regex gave.
    mod same_as_the_original_patterns {
        use super::super::*;
        use proptest::prelude::*;
        use regex::Regex;
        use std::sync::LazyLock;

        static GAP: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\s{2,}|\t").expect("valid regex"));

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

            #[test]
            fn gap_split_same(t in "[ \t\n\u{a0}\u{3000}ab,]{0,12}") {
                prop_assert_eq!(gap_split(&t), GAP.split(&t).collect::<Vec<_>>());
            }
        }
    }
}
