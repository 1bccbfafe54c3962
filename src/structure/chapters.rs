//! Chapters and prose: a chapter's body split into the prose before a table, the
//! table (read by [`super::table`]) and the prose after it; prose into chapters at
//! unnumbered headings, with the signing date and signatories, impact goals and the
//! evaluation scale picked out on the way.

use super::table::{read_table, table_kind};
use super::{short, Ctx};
use crate::grammar;
use crate::model::{Agreement, Chapter, ImpactGoal, Signatory};
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
        && grammar::chapter_heading(&text).is_none()
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
        if let (Some(&g0), Some(&g1)) = (grammar_at.first(), grammar_at.last()) {
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
    let t = ctx.single_line(b)?;
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
    };
    let mut impact = impact_title(&cur.head);
    let mut after_date = false;
    for &b in blocks {
        if signing(ctx, a, b, &mut after_date) {
            continue;
        }
        if let Some(title) = unnumbered_heading(ctx, b) {
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
            };
            emit_chapter(ctx, a, std::mem::replace(&mut cur, next));
            impact = impact_title(&cur.head);
            continue;
        }
        if cur.head.is_none() {
            let lines: Vec<usize> = ctx.blocks[b].line_indices().collect();
            ctx.warn(
                "text_before_first_chapter",
                format!(
                    "text before the first chapter heading: {:?}",
                    short(&ctx.block_text(b))
                ),
                &lines,
            );
            continue;
        }
        prose_block(ctx, a, &mut cur, impact, b);
    }
    emit_chapter(ctx, a, cur);
}

/// Whether block `b` is the signing date (the agreement's first date alone on a line)
/// or, after it, a signatory's line; it is then read into `a`.
fn signing(ctx: &mut Ctx, a: &mut Agreement, b: usize, after_date: &mut bool) -> bool {
    let Some(t) = ctx.single_line(b) else {
        return false;
    };
    if let Some(date) = grammar::date(t) {
        if a.signed.is_none() {
            a.signed = Some(date);
            *after_date = true;
            ctx.place([ctx.blocks[b].first()]);
            return true;
        }
    }
    if *after_date {
        if let Some(s) = signatory(ctx, ctx.blocks[b].first()) {
            a.signatories.push(s);
            ctx.place([ctx.blocks[b].first()]);
            return true;
        }
    }
    false
}

/// Block `b`'s paragraphs joined onto the chapter's text; in an impact chapter
/// (`impact`) a bulleted paragraph is an impact goal instead. The first evaluation
/// scale met is the agreement's.
fn prose_block(ctx: &mut Ctx, a: &mut Agreement, cur: &mut Chap, impact: bool, b: usize) {
    let all_blocks = ctx.blocks;
    for p in all_blocks[b].paras() {
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
            if let Some(item) = grammar::list_item(text) {
                a.impact_goals.push(impact_goal(ctx, item, p));
                cur.last = Some(p[p.len() - 1]);
                cur.text.truncate(before);
                continue;
            }
        }
    }
    cur.first = cur.first.or(Some(ctx.blocks[b].first()));
    cur.last = Some(ctx.blocks[b].last());
}

fn impact_goal(ctx: &mut Ctx, item: &str, p: &[usize]) -> ImpactGoal {
    let (text, ministry) = match grammar::ministry_tag(item) {
        Some((text, code)) => {
            if !grammar::MINISTRY_CODES.contains(&code) {
                let message = format!("impact goal tagged ({code}), not a known ministry code");
                ctx.note("unknown_ministry_code", message, p[0]);
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

/// "Organisation<gap>Name, title", or "Name, title".
fn signatory(ctx: &Ctx, line: usize) -> Option<Signatory> {
    let raw = ctx.lines.lines[line].raw().trim();
    let cols: Vec<&str> = gap_split(raw)
        .into_iter()
        .filter(|c| !c.trim().is_empty())
        .collect();
    let (organization, person) = match cols.as_slice() {
        [person] => (None, *person),
        [org, person] => (Some(grammar::collapse(org)), *person),
        [org, rest @ ..] => (Some(grammar::collapse(org)), *rest.last()?),
        [] => return None,
    };
    let (name, title) = match person.split_once(',') {
        Some((n, t)) => (grammar::collapse(n), Some(grammar::collapse(t))),
        None if organization.is_some() => (grammar::collapse(person), None),
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

#[cfg(test)]
mod tests {
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
