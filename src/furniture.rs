//! Page furniture: running headers, footers and page numbers, found by repetition.
//!
//! The block stage leaves the lines flagged here out of its blocks; a default-mode
//! pdftotext dump (`dialect::flow`) reads the same flags first, to move a footer that
//! reading order put amid a page's text to the page's end.

use std::collections::HashMap;

use crate::grammar;
use crate::lines::{LineKind, Lines};

/// Running headers and footers: the same text (digits aside) in the first or last two
/// lines of at least half the pages, and at least three.
pub(crate) fn flags(lines: &Lines) -> Vec<bool> {
    let mut flags = vec![false; lines.lines.len()];
    // Per page: how many text lines, the first two and the last two (by line index),
    // and the two of each with the lowest and highest input line numbers: where the
    // extractor wrote them, when a dialect stage moved them (a grid's values under
    // their labels across a page break).
    #[derive(Clone, Copy, Default)]
    struct Zone {
        n: usize,
        first: [usize; 2],
        last: [usize; 2],
        low: [Option<usize>; 2],
        high: [Option<usize>; 2],
    }
    let mut zones = vec![Zone::default(); lines.pages as usize + 1];
    for (i, l) in lines.lines.iter().enumerate() {
        if l.kind == LineKind::Text {
            let z = &mut zones[l.page as usize];
            if z.n < 2 {
                z.first[z.n] = i;
            }
            z.last = [z.last[1], i];
            z.n += 1;
            keep_two(&mut z.low, i, |j| l.number < lines.lines[j].number);
            keep_two(&mut z.high, i, |j| l.number > lines.lines[j].number);
        }
    }
    let content_pages = zones.iter().filter(|z| z.n > 0).count();
    if content_pages < 3 {
        return flags;
    }
    // Page numbers differ from page to page: every run of digits counts as one '#'.
    // White space runs count as one space (the text collapsed). All keys go into one
    // string; each zone line gets (page, line, its key's range).
    let mut keys = String::new();
    let mut words = String::new();
    let mut spans: Vec<(u32, usize, std::ops::Range<usize>)> = Vec::with_capacity(zones.len() * 4);
    for (p, z) in zones.iter().enumerate() {
        // The first two lines and, after them, the last two: one line of a 3-line page is
        // both the third and the second to last.
        let tail = z.n.saturating_sub(2).max(2);
        let firsts = z.first[..z.n.min(2)].iter().copied();
        let by_number = z.low.iter().chain(&z.high).flatten().copied();
        let by_place = firsts.chain((tail..z.n).map(|k| z.last[k + 2 - z.n]));
        let mut zone: Vec<usize> = by_place.chain(by_number).collect();
        zone.sort_unstable();
        zone.dedup();
        for i in zone {
            let start = keys.len();
            push_key(&mut keys, &mut words, lines.lines[i].text());
            spans.push((p as u32, i, start..keys.len()));
        }
    }
    // Per key: the last page it was seen on and on how many pages.
    let mut pages_of: HashMap<&str, (u32, usize)> = HashMap::with_capacity(spans.len());
    for (p, _, k) in &spans {
        let seen = pages_of.entry(&keys[k.clone()]).or_insert((u32::MAX, 0));
        if seen.0 != *p {
            *seen = (*p, seen.1 + 1);
        }
    }
    for (_, i, k) in &spans {
        let text = lines.lines[*i].text();
        let n = pages_of[&keys[k.clone()]].1;
        let short = text.chars().count() <= 160;
        if n >= 3 && n * 2 >= content_pages && short && !grammar::is_row_label(text) {
            flags[*i] = true;
        }
    }
    shared_lines_are_content(lines, &mut flags);
    flags
}

/// Keeps in `two` the two best indices so far, best first, with `i` offered: `before(j)`
/// tells whether `i` is better than `j`.
fn keep_two(two: &mut [Option<usize>; 2], i: usize, before: impl Fn(usize) -> bool) {
    if two[0].is_none_or(&before) {
        *two = [Some(i), two[0]];
    } else if two[1].is_none_or(&before) {
        two[1] = Some(i);
    }
}

/// A `-layout` dump's line read into several cells is furniture only as a whole: a
/// running footer fills its line, while a value cell at a page's foot ("61 200", the
/// same key as a page number's) stands beside its label's cell.
fn shared_lines_are_content(lines: &Lines, flags: &mut [bool]) {
    if !flags.contains(&true) {
        return;
    }
    // Cells of one line need not be neighbours: a page is read column by column.
    let n = lines.lines.iter().map(|l| l.number).max().unwrap_or(0) as usize;
    let mut content = vec![false; n + 1];
    for (l, &f) in lines.lines.iter().zip(flags.iter()) {
        content[l.number as usize] |= !f && l.kind == LineKind::Text;
    }
    for (l, f) in lines.lines.iter().zip(flags.iter_mut()) {
        *f &= !content[l.number as usize];
    }
}

/// Appends the furniture key of `text` to `keys`: white space runs as one space, every
/// run of digits as one `#` (none right after a `#`). `words` is scratch space.
fn push_key(keys: &mut String, words: &mut String, text: &str) {
    let start = keys.len();
    words.clear();
    crate::text::push_words(words, text, false);
    // Digits are ASCII: the text between runs of them is copied whole.
    let mut rest = words.as_str();
    while let Some(d) = rest.bytes().position(|b| b.is_ascii_digit()) {
        keys.push_str(&rest[..d]);
        if !keys[start..].ends_with('#') {
            keys.push('#');
        }
        rest = rest[d..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    keys.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn key_is_words_with_digit_runs_as_one_mark(text in "([0-9# a\t\u{a0}ä–]|\\PC){0,30}") {
            // The key as first written: word by word, character by character.
            let mut want = String::new();
            for (w, word) in text.split_whitespace().enumerate() {
                if w > 0 {
                    want.push(' ');
                }
                for c in word.chars() {
                    if !c.is_ascii_digit() {
                        want.push(c);
                    } else if !want.ends_with('#') {
                        want.push('#');
                    }
                }
            }
            let mut keys = String::from("x");
            push_key(&mut keys, &mut String::new(), &text);
            proptest::prop_assert_eq!(&keys[1..], want.as_str());
        }
    }
}
