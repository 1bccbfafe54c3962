//! Agreements and covers: where one agreement of a file ends and the next begins (a
//! cover page, or chapter numbering that starts again), its cover (parties, title,
//! period), and its items grouped into chapters for [`super::chapters`].

use super::chapters::{chapter, ChapterHead};
use super::Ctx;
use crate::grammar;
use crate::model::{Agreement, Source};
use crate::scan;

#[derive(Default)]
pub(super) struct Part {
    pub(super) cover: Vec<usize>,
    pub(super) items: Vec<Item>,
}

pub(super) enum Item {
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

pub(super) fn split_agreements(ctx: &Ctx) -> Vec<Part> {
    let covers = cover_pages(ctx);
    let mut parts = vec![Part::default()];
    let mut top = 0u32;
    // How this document writes a top-level chapter number: "1 Title" or "1. Title".
    let mut dotted: Option<bool> = None;
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
                    let dot = ctx
                        .single_line(b)
                        .is_some_and(|t| t.trim_start()[number.len()..].starts_with('.'));
                    // Numbering that starts again, written as the document writes its
                    // chapter numbers, is a new agreement without a cover ("1." after
                    // chapters "1", "2", "3" is a numbered row or list item).
                    let restart = n == 1 && top >= 2 && dotted.is_none_or(|d| d == dot);
                    if restart {
                        parts.push(Part::default());
                    }
                    dotted = dotted.or(Some(dot));
                    top = if restart { 1 } else { top.max(n) };
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

pub(super) fn agreement(ctx: &mut Ctx, part: Part) -> Agreement {
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
        orphans: Vec::new(),
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
    let ja = texts.iter().position(|t| t == "ja" || t == "och");
    let agency_lines = ja.map(|k| &party_lines[k + 1..]);
    let (ministry, agency) = if let Some(k) = ja {
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
    } else if let Some((ls, k)) = agency_lines.and_then(|ls| Some((ls, scope_break(ctx, ls)?))) {
        a.agency = Some(join(&ls[..k]));
        a.scope = Some(join(&ls[k..]));
    } else if !agency.is_empty() {
        a.agency = Some(agency);
    }
    ctx.place(party_lines);
}

/// Where the agency's name ends and its scope starts on a line of its own: a line that
/// had room for the next one's first word ends early, a break the producer set on
/// purpose (a wrapped name fills its line or goes on in lower case).
fn scope_break(ctx: &Ctx, lines: &[usize]) -> Option<usize> {
    let ls = &ctx.lines.lines;
    let width = ctx.wrap_width();
    let breaks = |w: &[usize]| {
        let (line, next) = (&ls[w[0]], &ls[w[1]]);
        if let Some(full) = crate::blocks::full_line(ctx.edges, line, next) {
            return !full;
        }
        // Without the page's geometry a short line is no proof where the next one
        // starts in lower case: covers are narrow, and set larger than the text (half
        // the text's wrap width counts as room).
        let room = 2 * crate::metrics::with_next_word(line.text(), next.text()) <= width;
        room && !grammar::starts_lowercase(next.text())
    };
    lines.windows(2).position(breaks).map(|k| k + 1)
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

#[cfg(test)]
mod tests {
    /// The hand-written parties pattern gives what its regex gave.
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
        }
    }
}
