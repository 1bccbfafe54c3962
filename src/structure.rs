//! Stage 4: blocks -> agreement tree.
//!
//! Splits the blocks into agreements (at a cover page, or where chapter numbering starts
//! again), agreements into chapters, and chapters into prose and tables. Tables are read
//! with the results-table grammar ("Tavoite YYYY", "Mittayksikkö", "Tav YYYY") and their
//! heading rows are given levels (see `Tree::place_chain`). Every line used is marked
//! placed; whatever cannot be read is named in a warning. Ids are left empty here and
//! assigned by [`crate::normalize`].

use std::collections::HashSet;

use crate::blocks::Block;
use crate::grammar;
use crate::lines::{Dialect, Lines};
use crate::model::*;
use crate::scan;
use crate::text::{join_paras, para_text, push_para};

/// What this stage produced.
pub struct Built {
    pub agreements: Vec<Agreement>,
    pub warnings: Vec<Warning>,
    /// Per line: its text is in the output.
    pub placed: Vec<bool>,
    /// Per line: named by a specific warning.
    pub warned: Vec<bool>,
    /// A results table nested deeper than the limit: (its depth, the 1-based line of
    /// its first row past the limit). Such a table is left out of `agreements`.
    pub too_deep: Option<(u32, u32)>,
}

/// What the stage reads and, per agreement, what it decides about lines. Agreements
/// are built in parallel, each with its own `placed`, `warned` and `warnings`, merged
/// in document order afterwards.
struct Ctx<'a> {
    lines: &'a Lines<'a>,
    blocks: &'a [Block],
    /// Per block: its numbered chapter or appendix heading, read once.
    headings: &'a [Option<(String, String)>],
    placed: Vec<bool>,
    warned: Vec<bool>,
    warnings: Vec<Warning>,
    max_depth: u32,
    too_deep: Option<(u32, u32)>,
    /// Right edges of a PDF's columns (empty for a text dump).
    edges: &'a std::collections::HashMap<i32, f32>,
}

impl<'a> Ctx<'a> {
    /// The text of line `i`, borrowed from the lines rather than from the context.
    fn text(&self, i: usize) -> &'a str {
        self.lines.lines[i].text()
    }

    fn para(&self, p: &[usize]) -> String {
        para_text(self.lines, p)
    }

    fn place(&mut self, lines: impl IntoIterator<Item = usize>) {
        for i in lines {
            self.placed[i] = true;
        }
    }

    fn source(&self, first: usize, last: usize) -> Source {
        let page = self.lines.lines[first].page;
        let bbox = self.lines.lines[first..=last]
            .iter()
            .filter(|l| l.page == page)
            .filter_map(|l| l.bbox)
            .reduce(|a, b| {
                [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ]
            })
            // Hundredths of a point: more is noise from the float arithmetic.
            .map(|b| b.map(|v| (f64::from(v) * 100.0).round() / 100.0));
        Source {
            line: self.lines.lines[first].number,
            line_end: self.lines.lines[last].number,
            page: Some(page),
            bbox,
        }
    }

    /// A warning about a placed line (a decision or a value kept only as raw text).
    fn note(&mut self, code: &str, message: String, line: usize) {
        let l = &self.lines.lines[line];
        self.warnings.push(Warning {
            code: code.into(),
            message,
            line: Some(l.number),
            page: Some(l.page),
        });
    }

    /// A warning about `lines`, which are then not reported again as unplaced.
    fn warn(&mut self, code: &str, message: String, lines: &[usize]) {
        for &i in lines {
            self.warned[i] = true;
        }
        let first = lines.first().map(|&i| &self.lines.lines[i]);
        self.warnings.push(Warning {
            code: code.into(),
            message,
            line: first.map(|l| l.number),
            page: first.map(|l| l.page),
        });
    }

    /// A single-line block's text.
    fn single_line(&self, b: usize) -> Option<&'a str> {
        self.blocks[b].single_line().map(|i| self.text(i))
    }

    fn block_text(&self, b: usize) -> String {
        let paras: Vec<String> = self.blocks[b].paras().map(|p| self.para(p)).collect();
        paras.join(" ")
    }
}

/// Builds the agreements of one input, with the default depth limit.
pub fn build(lines: &Lines, blocks: &[Block]) -> Built {
    build_with_max_depth(lines, blocks, crate::limits::DEFAULT_MAX_DEPTH)
}

/// Builds the agreements of one input; a results table deeper than `max_depth` levels
/// (at most [`crate::limits::DEPTH_CEILING`]) is reported in `too_deep` and not built,
/// so that no later stage recurses through it.
pub fn build_with_max_depth(lines: &Lines, blocks: &[Block], max_depth: u32) -> Built {
    use rayon::prelude::*;
    // Only lines laid out from glyphs have boxes; a plain dump's have none to look at.
    let edges = match lines.dialect {
        Dialect::PdfExtract | Dialect::Pdftotext => Default::default(),
        Dialect::PdftotextLayout | Dialect::PdfLayout => crate::blocks::column_edges(lines),
    };
    let headings: Vec<Option<(String, String)>> = blocks
        .iter()
        .map(|b| grammar::chapter_heading(lines.lines[b.single_line()?].text()))
        .collect();
    let ctx = |placed: Vec<bool>, warned: Vec<bool>| Ctx {
        lines,
        blocks,
        headings: &headings,
        placed,
        warned,
        warnings: Vec::new(),
        max_depth: max_depth.min(crate::limits::DEPTH_CEILING),
        too_deep: None,
        edges: &edges,
    };
    let n = lines.lines.len();
    let parts: Vec<Part> = split_agreements(&ctx(Vec::new(), Vec::new()))
        .into_iter()
        .filter(|p| !p.cover.is_empty() || !p.items.is_empty())
        .collect();
    // Agreements share no lines: each is built on its own (in parallel when there are
    // several), then their line states and warnings are merged in document order.
    let built: Vec<(Agreement, Ctx)> = parts
        .into_par_iter()
        .map(|p| {
            let mut c = ctx(vec![false; n], vec![false; n]);
            (agreement(&mut c, p), c)
        })
        .collect();
    let mut out = Built {
        agreements: Vec::with_capacity(built.len()),
        warnings: Vec::new(),
        placed: vec![false; n],
        warned: vec![false; n],
        too_deep: None,
    };
    for (a, c) in built {
        out.agreements.push(a);
        out.warnings.extend(c.warnings);
        for (all, one) in [(&mut out.placed, c.placed), (&mut out.warned, c.warned)] {
            for (x, y) in all.iter_mut().zip(one) {
                *x |= y;
            }
        }
        out.too_deep = out.too_deep.or(c.too_deep);
    }
    out
}

// ---------------------------------------------------------------------------
// Agreements and chapters

#[derive(Default)]
struct Part {
    cover: Vec<usize>,
    items: Vec<Item>,
}

enum Item {
    Heading {
        number: Option<String>,
        title: String,
        block: usize,
    },
    Body(usize),
}

/// Per page (by number): whether it is a cover page: few blocks, no chapter heading,
/// one names the agreement.
fn cover_pages(ctx: &Ctx) -> Vec<bool> {
    let mut pages = vec![false; ctx.lines.pages as usize + 1];
    let mut i = 0;
    while i < ctx.blocks.len() {
        let page = ctx.blocks[i].page;
        let mut j = i;
        while j < ctx.blocks.len() && ctx.blocks[j].page == page {
            j += 1;
        }
        let on_page = i..j;
        let few = on_page.len() <= 8;
        let no_heading = || on_page.clone().all(|b| heading_of(ctx, b).is_none());
        let titled = || {
            on_page.clone().any(|b| {
                ctx.blocks[b].line_indices().count() <= 3
                    && ctx.blocks[b]
                        .line_indices()
                        .any(|i| grammar::names_agreement(ctx.text(i)))
                    && grammar::cover_title(&ctx.block_text(b)).is_some()
            })
        };
        if few && no_heading() && titled() {
            if let Some(p) = pages.get_mut(page as usize) {
                *p = true;
            }
        }
        i = j;
    }
    pages
}

/// A numbered chapter or appendix heading: a block of one line.
fn heading_of<'c>(ctx: &'c Ctx, b: usize) -> Option<&'c (String, String)> {
    ctx.headings[b].as_ref()
}

fn split_agreements(ctx: &Ctx) -> Vec<Part> {
    let covers = cover_pages(ctx);
    let mut parts = vec![Part::default()];
    let mut top = 0u32;
    for b in 0..ctx.blocks.len() {
        let part = parts.last_mut().expect("one part");
        if covers.get(ctx.blocks[b].page as usize) == Some(&true) {
            if !part.items.is_empty() {
                parts.push(Part::default());
                top = 0;
            }
            parts.last_mut().expect("part").cover.push(b);
            continue;
        }
        if let Some((number, title)) = heading_of(ctx, b).cloned() {
            if grammar::chapter_level(&number) == 1 {
                if let Ok(n) = number.parse::<u32>() {
                    // Numbering that starts again is a new agreement without a cover.
                    if n == 1 && top >= 2 {
                        parts.push(Part::default());
                    }
                    top = if n == 1 && top >= 2 { 1 } else { top.max(n) };
                }
            }
            parts.last_mut().expect("part").items.push(Item::Heading {
                number: Some(number),
                title,
                block: b,
            });
        } else {
            part.items.push(Item::Body(b));
        }
    }
    parts
}

struct ChapterHead {
    number: Option<String>,
    title: String,
    first: usize,
    last: usize,
}

fn agreement(ctx: &mut Ctx, part: Part) -> Agreement {
    let mut a = Agreement {
        id: String::new(),
        title: None,
        ministry: None,
        agency: None,
        scope: None,
        period: None,
        signed: None,
        signatories: Vec::new(),
        chapters: Vec::new(),
        impact_goals: Vec::new(),
        strategic_lines: Vec::new(),
        resource_indicators: Vec::new(),
        monitoring_indicators: Vec::new(),
        evaluation_scale: Vec::new(),
        source: Source {
            line: 0,
            line_end: 0,
            page: None,
            bbox: None,
        },
    };
    let all: Vec<usize> = part
        .cover
        .iter()
        .copied()
        .chain(part.items.iter().map(|i| match i {
            Item::Heading { block, .. } | Item::Body(block) => *block,
        }))
        .collect();
    let first = ctx.blocks[all[0]].first();
    let last = ctx.blocks[*all.last().expect("block")].last();
    a.source = ctx.source(first, last);
    if !part.cover.is_empty() {
        cover(ctx, &mut a, &part.cover);
    }
    // Group items into chapters; a heading repeated at once (a banner and the heading
    // proper) is one chapter.
    let mut groups: Vec<(Option<ChapterHead>, Vec<usize>)> = vec![(None, Vec::new())];
    for item in part.items {
        match item {
            Item::Heading {
                number,
                title,
                block,
            } => {
                let (bf, bl) = (ctx.blocks[block].first(), ctx.blocks[block].last());
                ctx.place(ctx.blocks[block].line_indices().collect::<Vec<_>>());
                let last = groups.last_mut().expect("group");
                if let (Some(h), true) = (&mut last.0, last.1.is_empty()) {
                    if h.number == number && h.title == title {
                        h.last = bl;
                        continue;
                    }
                }
                groups.push((
                    Some(ChapterHead {
                        number,
                        title,
                        first: bf,
                        last: bl,
                    }),
                    Vec::new(),
                ));
            }
            Item::Body(b) => groups.last_mut().expect("group").1.push(b),
        }
    }
    for (head, body) in groups {
        chapter(ctx, &mut a, head, &body);
    }
    a
}

/// Cover page: parties, then the title (or the other way round).
fn cover(ctx: &mut Ctx, a: &mut Agreement, blocks: &[usize]) {
    let mut party_lines: Vec<usize> = Vec::new();
    for &b in blocks {
        let text = ctx.block_text(b);
        if a.title.is_none() {
            if let Some(period) = grammar::cover_title(&text) {
                a.title = Some(text);
                a.period = Some(period);
                ctx.place(ctx.blocks[b].line_indices().collect::<Vec<_>>());
                continue;
            }
        }
        party_lines.extend(ctx.blocks[b].line_indices());
    }
    if party_lines.is_empty() {
        return;
    }
    // A line "ja" alone separates ministry and agency; else the ministry is the part
    // before a " ja " that ends in a ministry's name.
    let texts: Vec<String> = party_lines
        .iter()
        .map(|&i| ctx.text(i).to_owned())
        .collect();
    let join = |range: &[usize]| ctx.para(range);
    let (ministry, agency) = if let Some(k) = texts.iter().position(|t| t == "ja" || t == "och") {
        (Some(join(&party_lines[..k])), join(&party_lines[k + 1..]))
    } else {
        let all = join(&party_lines);
        match split_parties(&all) {
            Some((m, rest)) => (Some(m.to_owned()), rest.to_owned()),
            None => (None, all),
        }
    };
    a.ministry = ministry.filter(|m| !m.is_empty());
    if let Some((agency, scope)) = agency.split_once(", ") {
        a.agency = Some(agency.trim().to_owned());
        a.scope = Some(scope.trim().to_owned()).filter(|s| !s.is_empty());
    } else if !agency.is_empty() {
        a.agency = Some(agency);
    }
    ctx.place(party_lines);
}

/// `(?i)^(.*?(?:ministeriö|kanslia|departementet|kansliet))\s+(?:ja|och)\s+(.+)$`:
/// the ministry and the agency.
fn split_parties(text: &str) -> Option<(&str, &str)> {
    const MINISTRY: [&str; 4] = ["ministeriö", "kanslia", "departementet", "kansliet"];
    // `.*?`: the shortest head that ends in a ministry word and is followed by the rest;
    // `.` stops at a newline.
    let head_end = text.find('\n').unwrap_or(text.len());
    // The agency runs to the end without a newline: it starts after the last one. (Asked
    // by position, not by searching each candidate's rest, which a line repeating
    // "ministeriö ja" would make quadratic.)
    let agency_from = text.rfind('\n').map_or(0, |nl| nl + 1);
    text[..head_end].char_indices().find_map(|(i, _)| {
        let after_word = MINISTRY
            .iter()
            .find_map(|w| scan::strip_word_ci(&text[i..], w))?;
        let ministry = &text[..text.len() - after_word.len()];
        let rest = scan::spaces(after_word)?;
        let rest = scan::strip_word_ci(rest, "ja").or_else(|| scan::strip_word_ci(rest, "och"))?;
        let agency = agency_after(rest)?;
        (text.len() - agency.len() >= agency_from).then_some((ministry, agency))
    })
}

/// `\s+(.+)` at the start of `s`: the agency, to the end of `s` (whether it holds a
/// newline is for the caller to ask).
fn agency_after(s: &str) -> Option<&str> {
    let agency = scan::spaces(s)?;
    if agency.is_empty() {
        // `\s+` gives its last character back to `.+`.
        let last = s.chars().next_back()?;
        return s
            .chars()
            .nth(1)
            .is_some()
            .then(|| &s[s.len() - last.len_utf8()..]);
    }
    Some(agency)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TableKind {
    Results,
    Resources,
    Monitoring,
}

fn table_kind(title: &str) -> TableKind {
    let t = title.to_lowercase();
    if t.contains("voimavar") {
        TableKind::Resources
    } else if t.contains("seurantamittar") || (t.contains("seuranta") && t.contains("mittar")) {
        TableKind::Monitoring
    } else {
        TableKind::Results
    }
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

fn chapter(ctx: &mut Ctx, a: &mut Agreement, head: Option<ChapterHead>, body: &[usize]) {
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

fn prose_chapters(
    ctx: &mut Ctx,
    a: &mut Agreement,
    head: Option<ChapterHead>,
    blocks: &[usize],
    captions: Vec<String>,
) {
    let impact_title = |h: &Option<ChapterHead>| {
        h.as_ref()
            .is_some_and(|h| h.title.to_lowercase().contains("vaikuttavuu"))
    };
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
        if let Some(t) = ctx.single_line(b) {
            if let Some(date) = grammar::date(t) {
                if a.signed.is_none() {
                    a.signed = Some(date);
                    after_date = true;
                    ctx.place([ctx.blocks[b].first()]);
                    continue;
                }
            }
            if after_date {
                if let Some(s) = signatory(ctx, ctx.blocks[b].first()) {
                    a.signatories.push(s);
                    ctx.place([ctx.blocks[b].first()]);
                    continue;
                }
            }
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
                if let Some(item) = grammar::bullet(text) {
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
    emit_chapter(ctx, a, cur);
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

fn short(text: &str) -> String {
    let mut s: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        s.push('…');
    }
    s
}

// ---------------------------------------------------------------------------
// Tables

/// A cell: part of a block, cut where a line starts with a grammar label. Its paragraphs
/// are pieces of the block's (a cut never joins lines), so they borrow them.
struct Cell<'b> {
    paras: Paras<'b>,
    block: usize,
}

/// A cell's paragraphs, none of them empty: the first inline (most cells have only
/// one, and then nothing is allocated), the others in a vector.
#[derive(Default)]
struct Paras<'b> {
    first: &'b [usize],
    rest: Vec<&'b [usize]>,
}

impl<'b> Paras<'b> {
    fn push(&mut self, p: &'b [usize]) {
        debug_assert!(!p.is_empty());
        if self.first.is_empty() {
            self.first = p;
        } else {
            self.rest.push(p);
        }
    }
    fn extend(&mut self, other: Paras<'b>) {
        for p in other.iter() {
            self.push(p);
        }
    }
    fn len(&self) -> usize {
        usize::from(!self.first.is_empty()) + self.rest.len()
    }
    fn is_empty(&self) -> bool {
        self.first.is_empty()
    }
    fn iter(&self) -> impl Iterator<Item = &'b [usize]> + '_ {
        std::iter::once(self.first)
            .filter(|p| !p.is_empty())
            .chain(self.rest.iter().copied())
    }
    fn last(&self) -> &'b [usize] {
        self.rest.last().copied().unwrap_or(self.first)
    }
}

impl Cell<'_> {
    fn first(&self) -> usize {
        self.paras.first[0]
    }
    fn last(&self) -> usize {
        *self.paras.last().last().expect("line")
    }
    fn lines(&self) -> impl Iterator<Item = usize> + '_ {
        self.paras.iter().flat_map(|p| p.iter().copied())
    }
    fn line_count(&self) -> usize {
        self.paras.iter().map(|p| p.len()).sum()
    }
    fn is_single_line(&self) -> bool {
        self.paras.len() == 1 && self.paras.first.len() == 1
    }
}

fn cells<'b>(ctx: &Ctx<'b>, blocks: &[usize]) -> Vec<Cell<'b>> {
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
                if grammar::is_row_label(ctx.text(i)) && (k > start || !cell.paras.is_empty()) {
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
    headings_described(ctx, describe(ctx, out))
}

/// Whether cell `i` is a heading row: no target, no value cell and no indicator name.
fn is_heading_cell(ctx: &Ctx, cells: &[Cell], i: usize) -> bool {
    let c = &cells[i];
    let first = ctx.text(c.first());
    let value = c.is_single_line() && grammar::is_value_like(first);
    !(grammar::target_label(first).is_some()
        || is_value_cell(first)
        || value
        || names_indicator(ctx, cells, i))
}

/// In a PDF, a heading row's description is a paragraph in plain text (neither bold nor
/// italic) right below the row, smaller than it or under a bold row, and no further in. A
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
        return cells;
    }
    let mut below = vec![false; cells.len()];
    for i in 1..cells.len() {
        let (Some(h), Some(d)) = (styles[i - 1], styles[i]) else {
            continue;
        };
        below[i] = if below[i - 1] {
            h.same(&d)
        } else {
            !d.bold
                && !d.italic
                && (d.size < h.size - crate::layout::SAME_SIZE || h.bold)
                && d.indent <= h.indent + 3.0
        };
    }
    // A strategic line seldom holds targets or indicators itself: plain text right below
    // a row in the table's outermost style that goes straight on to a target or an
    // indicator is the line's only goal rather than its description.
    if let Some(typography) = Typography::of(styles.iter().flatten().copied()) {
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
            let outermost = styles[i - 1].is_some_and(|s| typography.level(&s) == Some(0));
            let leaf = end + 1 < cells.len() && styles[end + 1].is_none();
            if outermost && leaf {
                below[i..=end].iter_mut().for_each(|b| *b = false);
            }
            i = end + 1;
        }
    }
    // Style classes (as in [`Typography`]) and whether every row in each stands below a
    // heading row.
    let mut classes: Vec<(Style, bool)> = Vec::new();
    let class_of: Vec<Option<usize>> = styles
        .iter()
        .zip(&below)
        .map(|(s, &below)| {
            let s = s.as_ref()?;
            let c = match classes.iter().position(|(c, _)| c.same(s)) {
                Some(c) => c,
                None => {
                    classes.push((*s, true));
                    classes.len() - 1
                }
            };
            classes[c].1 &= below;
            Some(c)
        })
        .collect();
    let describes: Vec<bool> = class_of
        .iter()
        .zip(&below)
        .map(|(c, &below)| below && c.is_some_and(|c| classes[c].1))
        .collect();
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    for (cell, describes) in cells.into_iter().zip(describes) {
        match out.last_mut() {
            Some(head) if describes => head.paras.extend(cell.paras),
            _ => out.push(cell),
        }
    }
    out
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
    for (i, cell) in cells.into_iter().enumerate() {
        if let Some(head) = out.last_mut() {
            let h = &ctx.lines.lines[head.first()];
            let d = &ctx.lines.lines[cell.first()];
            let lighter = match (h.font_size, d.font_size) {
                // Only between an indicator name and its unit: elsewhere a lighter row
                // can be a deeper heading or a group's first indicator.
                (Some(hs), Some(ds)) => {
                    names_unit[i]
                        && ds < hs - crate::layout::SAME_SIZE
                        && d.bold != Some(true)
                        && h.bold != Some(true)
                }
                _ => false,
            };
            let labels = |c: &Cell| {
                let t = ctx.text(c.first());
                grammar::is_row_label(t) || (c.is_single_line() && grammar::is_value_like(t))
            };
            if lighter && head.paras.len() == 1 && !labels(head) && !labels(&cell) {
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

/// A heading row waiting for its place in the tree.
struct HeadCell {
    title: String,
    description: Option<String>,
    spaced: bool,
    /// Typography of the first line, when the source has it (PDF).
    style: Option<Style>,
    /// Index of the first line.
    line: usize,
    source: Source,
}

/// How a heading row is set: what a PDF shows of its level.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    size: f32,
    bold: bool,
    italic: bool,
    indent: f32,
}

impl Style {
    fn of(line: &crate::lines::Line) -> Option<Style> {
        Some(Style {
            size: line.font_size?,
            bold: line.bold.unwrap_or(false),
            italic: line.italic.unwrap_or(false),
            indent: line.indent,
        })
    }

    /// Same class: sizes within half a point, the same weight and slant, indents within
    /// three points.
    fn same(&self, other: &Style) -> bool {
        (self.size - other.size).abs() <= 0.5
            && self.bold == other.bold
            && self.italic == other.italic
            && (self.indent - other.indent).abs() <= 3.0
    }

    fn describe(&self) -> String {
        format!(
            "{:.1} pt{}{}, indent {:.0} pt",
            self.size,
            if self.bold { " bold" } else { "" },
            if self.italic { " italic" } else { "" },
            self.indent
        )
    }
}

/// The heading-row styles of a table, outermost first: larger, then bold, then less
/// indented, then italic (an italic row outranks an upright one set the same). A row's
/// level is the rank of its style.
#[derive(Debug, Default)]
struct Typography {
    classes: Vec<Style>,
}

impl Typography {
    /// The ranking, when the rows are set in at least two styles (one style tells
    /// nothing about levels).
    fn of(styles: impl IntoIterator<Item = Style>) -> Option<Typography> {
        let mut classes: Vec<Style> = Vec::new();
        for s in styles {
            if !classes.iter().any(|c| c.same(&s)) {
                classes.push(s);
            }
        }
        if classes.len() < 2 {
            return None;
        }
        classes.sort_by(|a, b| {
            b.size
                .total_cmp(&a.size)
                .then(b.bold.cmp(&a.bold))
                .then(a.indent.total_cmp(&b.indent))
                .then(b.italic.cmp(&a.italic))
        });
        Some(Typography { classes })
    }

    fn level(&self, style: &Style) -> Option<u32> {
        self.classes
            .iter()
            .position(|c| c.same(style))
            .map(|p| p as u32)
    }
}

fn head_cell(ctx: &mut Ctx, c: &Cell) -> HeadCell {
    let title = ctx.para(c.paras.first);
    let description = join_paras(c.paras.rest.iter().map(|p| ctx.para(p)).collect());
    ctx.place(c.lines());
    HeadCell {
        title,
        description,
        spaced: ctx.blocks[c.block].spaced_wrap && c.first() == ctx.blocks[c.block].first(),
        style: Style::of(&ctx.lines.lines[c.first()]),
        line: c.first(),
        source: ctx.source(c.first(), c.last()),
    }
}

struct Node {
    head: HeadCell,
    level: u32,
    evidence: LevelEvidence,
    children: Vec<usize>,
    targets: Vec<Target>,
    indicators: Vec<Indicator>,
}

/// The results tree while it is read: an arena of heading nodes and the open path.
#[derive(Default)]
struct Tree {
    nodes: Vec<Node>,
    roots: Vec<usize>,
    /// Open path: stack[0] is the strategic line, stack[k] the node at level k.
    stack: Vec<usize>,
    /// Deepest level that has received targets or indicators in this table.
    max_depth: u32,
    /// First words that open at least two of the table's evident strategic lines (set
    /// in a larger font, or the first row): the table's own way of phrasing them.
    line_openers: HashSet<String>,
    /// Heading-row styles ranked into levels, when the source shows them (PDF).
    typography: Option<Typography>,
    /// Rows whose level layout decided against the row sequence: (line, message).
    disagreements: Vec<(usize, String)>,
}

impl Tree {
    /// Places the heading rows met since the last target or indicator.
    fn place_group(&mut self, group: Vec<HeadCell>) {
        if group.is_empty() {
            return;
        }
        let by_layout: Option<Vec<u32>> = self.typography.as_ref().and_then(|t| {
            group
                .iter()
                .map(|h| h.style.as_ref().and_then(|s| t.level(s)))
                .collect()
        });
        if let Some(levels) = by_layout {
            let by_sequence = self.sequence_levels(&group);
            for ((head, level), sequence) in group.into_iter().zip(levels).zip(by_sequence) {
                // A level can only hang under an open parent.
                let level = level.min(self.stack.len() as u32);
                if level != sequence {
                    let style = head.style.map(|s| s.describe()).unwrap_or_default();
                    self.disagreements.push((
                        head.line,
                        format!(
                            "layout ({style}) puts {:?} at level {level}; the row sequence alone would put it at level {sequence}",
                            head.title
                        ),
                    ));
                }
                self.stack.truncate(level as usize);
                self.push(head, level, LevelEvidence::Layout);
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

    /// Gives a chain of k heading rows (each the parent of the next) its levels.
    ///
    /// A dump cannot always show which rows start a strategic line, so the chain keeps
    /// the depth the table already has: k rows after a leaf at level L replace levels
    /// L-k+1..=L when k <= L, and start a new strategic line when k > L. Layout
    /// (a larger font) or being the table's first row decides first.
    fn place_chain(&mut self, chain: Vec<HeadCell>) {
        let (start, evidence) = self.chain_start(&chain, self.stack.len());
        self.stack.truncate(start as usize);
        for (n, head) in chain.into_iter().enumerate() {
            let evidence = if n == 0 {
                evidence
            } else {
                LevelEvidence::Sequence
            };
            self.push(head, start + n as u32, evidence);
        }
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
    fn leaf_owner(&mut self) -> Option<usize> {
        let owner = *self.stack.last()?;
        self.max_depth = self.max_depth.max(self.stack.len() as u32 - 1);
        Some(owner)
    }

    fn into_strategic_lines(mut self) -> Vec<StrategicLine> {
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

fn is_value_cell(text: &str) -> bool {
    grammar::unit_label(text).is_some()
        || grammar::year_label(text).is_some()
        || grammar::is_bare_years(text)
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
fn line_openers(ctx: &Ctx, cells: &[Cell]) -> HashSet<String> {
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
fn typography(ctx: &Ctx, cells: &[Cell]) -> Option<Typography> {
    // The style first: a dump's lines have none, and then no cell need be looked at.
    let styles = (0..cells.len()).filter_map(|i| {
        Style::of(&ctx.lines.lines[cells[i].first()]).filter(|_| is_heading_cell(ctx, cells, i))
    });
    Typography::of(styles)
}

/// Whether cell `i` names an indicator: the cell after it gives the unit.
fn names_indicator(ctx: &Ctx, cells: &[Cell], i: usize) -> bool {
    cells
        .get(i + 1)
        .is_some_and(|n| grammar::unit_label(ctx.text(n.first())).is_some())
}

fn read_table(ctx: &mut Ctx, a: &mut Agreement, kind: TableKind, blocks: &[usize]) {
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

/// Reads the indicator named by `cells[i]`; returns it and the index after it.
fn indicator(ctx: &mut Ctx, cells: &[Cell], i: usize) -> (Indicator, usize) {
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
    use super::*;
    use crate::lines::{Dialect, Line, LineKind};

    /// A PDF-like results table: `rows` are (text, size, "b"/"i"/"bi"/"", indent) lines,
    /// "" a block break, after a cover and a chapter heading in plain 10 pt.
    fn table(rows: &[(&str, f32, &str, f32)]) -> Agreement {
        let mut spec: Vec<(&str, f32, &str, f32)> = vec![
            ("Ministeriö ja Virasto", 10.0, "", 0.0),
            ("", 0.0, "", 0.0),
            (
                "Ministeriön ja viraston välinen tulossopimus 2027–2030",
                10.0,
                "",
                0.0,
            ),
            ("", 0.0, "", 0.0),
            ("3 Tulostavoitteet", 14.0, "b", 0.0),
            ("", 0.0, "", 0.0),
        ];
        spec.extend_from_slice(rows);
        let lines: Vec<Line> = spec
            .iter()
            .enumerate()
            .map(|(n, &(text, size, face, indent))| {
                let kind = if text.is_empty() {
                    LineKind::Empty
                } else {
                    LineKind::Text
                };
                let mut line = Line::new(n as u32 + 1, 1, text.to_owned(), kind);
                line.indent = indent;
                line.font_size = (!text.is_empty()).then_some(size);
                line.bold = (!text.is_empty()).then_some(face.contains('b'));
                line.italic = (!text.is_empty()).then_some(face.contains('i'));
                // 5 pt per character.
                line.bbox = (!text.is_empty()).then(|| {
                    [
                        indent,
                        0.0,
                        indent + 5.0 * text.chars().count() as f32,
                        10.0,
                    ]
                });
                line
            })
            .collect();
        let lines = Lines {
            lines,
            pages: 1,
            dialect: Dialect::PdfLayout,
        };
        let blocks = crate::blocks::build(&lines);
        let built = build(&lines, &blocks.blocks);
        assert!(built.warned.iter().all(|w| !w), "{:?}", built.warnings);
        built.agreements.into_iter().next().expect("an agreement")
    }

    const BREAK: (&str, f32, &str, f32) = ("", 0.0, "", 0.0);

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
    fn an_italic_row_under_a_bold_italic_one_is_a_deeper_goal() {
        // Levels by size and face at one indentation; the italic row is an only child.
        let a = table(&[
            ("Linja", 13.0, "b", 4.0),
            BREAK,
            ("Tavoite", 11.0, "b", 4.0),
            BREAK,
            ("Alatavoite", 10.0, "bi", 4.0),
            BREAK,
            ("Alempi tavoite", 10.0, "i", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "b", 4.0),
            ("Teksti.", 10.0, "", 4.0),
        ]);
        let g = &a.strategic_lines[0].goals[0].goals[0];
        assert_eq!(g.title, "Alatavoite");
        assert_eq!(g.description, None);
        assert_eq!(g.goals[0].title, "Alempi tavoite");
        assert_eq!(g.goals[0].level, 3);
        assert_eq!(g.goals[0].targets[0].text, "Teksti.");
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

    /// The hand-written parties and signature-column patterns give what their regexes
    /// gave.
    mod same_as_the_original_patterns {
        use super::super::*;
        use proptest::prelude::*;
        use regex::Regex;
        use std::sync::LazyLock;

        static PARTIES: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?i)^(.*?(?:ministeriö|kanslia|departementet|kansliet))\s+(?:ja|och)\s+(.+)$",
            )
            .expect("valid regex")
        });
        static GAP: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\s{2,}|\t").expect("valid regex"));

        fn parties_text() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                Just("ministeriö".to_owned()),
                Just("MINISTERIÖ".to_owned()),
                Just("kanſlia".to_owned()),
                Just("\u{212A}ansliet".to_owned()),
                Just("departementet".to_owned()),
                Just("Kanslia".to_owned()),
                Just("ja".to_owned()),
                Just("JA".to_owned()),
                Just("och".to_owned()),
                "[ \t\n\u{a0}a-zA-Zäö.-]{1,3}",
            ];
            let free = prop::collection::vec(piece, 0..10).prop_map(|p| p.concat());
            let shaped = (
                "[a-zA-Z \n]{0,4}",
                "ministeriö|MINISTERIÖ|kanſlia|\u{212A}ansliet|departementet|Kanslia|ministeri",
                "[ \t\n\u{a0}]{0,2}",
                "ja|JA|och|Och|jo",
                "[ \t\n\u{a0}]{0,3}",
                "[a-zA-Z \n]{0,5}",
            )
                .prop_map(|(a, b, c, d, e, f)| [a, b, c, d, e, f].concat());
            prop_oneof![1 => free, 3 => shaped]
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

            #[test]
            fn parties_same(t in parties_text()) {
                let regex = PARTIES
                    .captures(&t)
                    .map(|c| (c[1].to_owned(), c[2].to_owned()));
                let ours = split_parties(&t).map(|(a, b)| (a.to_owned(), b.to_owned()));
                prop_assert_eq!(ours, regex);
            }

            #[test]
            fn gap_split_same(t in "[ \t\n\u{a0}\u{3000}ab,]{0,12}") {
                prop_assert_eq!(gap_split(&t), GAP.split(&t).collect::<Vec<_>>());
            }
        }
    }
}
