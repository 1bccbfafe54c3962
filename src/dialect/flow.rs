//! Default-mode `pdftotext` dumps -> the block layout the text-dump stages read.
//!
//! poppler's default mode writes text in reading order, one line per printed line, with
//! an empty line between the blocks it finds; it keeps no indentation, so a table's rows
//! run together: heading rows one after another, a target label on its own line above its
//! text, a value grid as its labels followed by its values. pdf-extract's dumps, which the
//! later stages were written for, show every row as a block, a cell's paragraphs parted
//! by a line of white space and a grid as label/value pairs. This pass rewrites the
//! block breaks (empty and space-only lines, which are not content) and puts a grid's
//! values under their labels, from what the dump does carry:
//! - the genre's labels: a bare `Tavoite YYYY` heads the text that follows it up to the
//!   next empty line or label (a cell); `Mittayksikkö` starts a grid whose year labels,
//!   unit and values are paired in their order;
//! - line ends: a line that starts with a capital letter, when its first word would have
//!   fitted at the end of the line above (in the page's width, counted in characters),
//!   follows a line that was ended, not wrapped: a new row, or a new paragraph when it is
//!   a cell's next paragraph or an indicator's description (a sentence running into the
//!   unit label); in a table (caption to chapter heading) every capitalised line starts a
//!   row, and a row that wrapped well short of the text's wrap width was set larger, which
//!   is written as pdf-extract shows it (an empty line between its wrapped lines);
//! - chapter headings, captions and bullets start something new;
//! - a `-layout` dump read here (tables set flat) shows a cell's paragraph spacing as
//!   empty lines, so a cell goes on over them with a paragraph of prose.
//!
//! Every text line is kept with its number; lines of a grid are reordered within their
//! page only, and a running footer that reading order put amid a page's text is moved to
//! the page's end, where the block stage finds page furniture.

use std::collections::HashSet;

use super::gap;
use crate::grammar;
use crate::lines::{Line, LineKind, Lines};
use crate::metrics::{with_next_word, EARLY_WRAP};

/// Rewrites a default-mode dump's block breaks (see the module comment).
pub fn regroup(lines: Lines) -> Lines {
    // A `-layout` dump read in reading order (its tables set flat) shows a cell's paragraph
    // spacing as empty lines; the default mode writes a cell's paragraphs tight.
    let spaced_cells = lines.dialect == crate::lines::Dialect::PdftotextLayout;
    let (src, furniture) = &prepared(&lines, spaced_cells);
    let n = src.len();
    let width = page_widths(src);
    let wrap_width = wrap_width(src);
    let para_end = paragraph_ends(src, &width);
    let mut out: Vec<Line> = Vec::with_capacity(n + n / 4);
    // Inside a table: from a caption or a table label to the next chapter heading.
    let mut table = false;
    let mut i = 0;
    while i < n {
        let line = &src[i];
        if line.kind != LineKind::Text {
            out.push(line.clone());
            i += 1;
            continue;
        }
        let text = line.text();
        if grammar::chapter_heading(text).is_some() {
            table = false;
        } else if grammar::caption(text).is_some() || grammar::is_row_label(text) {
            table = true;
        }
        if grammar::unit_label(text).is_some() {
            i = grid(src, furniture, i, &mut out);
            continue;
        }
        if grammar::target_label(text).is_some_and(|(_, rest)| rest.is_empty()) {
            i = cell(src, &width, furniture, spaced_cells, i, &mut out);
            continue;
        }
        let opens = out.len() < 2 || out[out.len() - 2].kind != LineKind::Text;
        if let Some(above) = out.last().filter(|l| l.kind == LineKind::Text) {
            if let Some(kind) =
                row_break(src, &width, &para_end, wrap_width, above, opens, i, table)
            {
                let gap = gap(above, kind);
                out.push(gap);
            }
        }
        out.push(line.clone());
        i += 1;
    }
    Lines {
        lines: out,
        pages: lines.pages,
        dialect: lines.dialect,
    }
}

/// The lines in the order the regrouping reads them (running footers last on their page;
/// in the default mode label rows parted and row numbers moved to their titles), with
/// whether each is page furniture.
fn prepared<'a>(lines: &Lines<'a>, spaced_cells: bool) -> (Vec<Line<'a>>, Vec<bool>) {
    let flagged = crate::furniture::flags(lines);
    let furniture_lines: HashSet<u32> = (lines.lines.iter().zip(&flagged))
        .filter(|(_, &f)| f)
        .map(|(l, _)| l.number)
        .collect();
    let mut src = furniture_last(lines, &flagged);
    if !spaced_cells {
        src = numbers_to_titles(part_label_rows(&src));
    }
    let furniture = src
        .iter()
        .map(|l| l.kind == LineKind::Text && furniture_lines.contains(&l.number))
        .collect();
    (src, furniture)
}

/// Width of each line's page: its longest line, in characters. Rows of a table span it;
/// a row that ends well short of it was ended.
fn page_widths(src: &[Line]) -> Vec<usize> {
    let n = src.len();
    let mut width = vec![0usize; n];
    let mut i = 0;
    while i < n {
        let page = src[i].page;
        let j = (i..n).find(|&j| src[j].page != page).unwrap_or(n);
        let w = src[i..j].iter().map(chars).max().unwrap_or(0);
        width[i..j].fill(w);
        i = j;
    }
    width
}

/// For each line, where the paragraph going on from it ends: the first line from it on
/// that is no text, starts structure or follows an ended line (one pass from the end, so
/// that looking ahead stays linear).
fn paragraph_ends(src: &[Line], width: &[usize]) -> Vec<usize> {
    let n = src.len();
    let mut para_end = vec![n; n + 1];
    for j in (0..n).rev() {
        let stops = src[j].kind != LineKind::Text
            || starts_structure(src[j].text())
            || (j > 0 && after_ended(&src[j - 1], &src[j], width[j]));
        para_end[j] = if stops { j } else { para_end[j + 1] };
    }
    para_end
}

/// The lines with each row of year labels ("Tav 2025 Tav 2026 Tav 2027", a grid's
/// header that the default mode joined into one line, its values one per line under
/// it) written as one line per label, each numbered as the row: the grid pass pairs
/// labels with values one by one.
fn part_label_rows<'a>(src: &[Line<'a>]) -> Vec<Line<'a>> {
    let mut out = Vec::with_capacity(src.len());
    for line in src {
        let labels = (line.kind == LineKind::Text)
            .then(|| label_row(line.text()))
            .flatten();
        match labels {
            Some(labels) => out.extend(labels.into_iter().map(|l| {
                let mut part = line.clone();
                part.set_raw(l.to_owned());
                part
            })),
            None => out.push(line.clone()),
        }
    }
    out
}

/// A row number in a column of its own that reading order put before the rest of the
/// row above it (a target label or sentence follows it, not a title), moved to right
/// before its title: the next line set like a title, after an empty line or a sentence,
/// with a target label right under it, before any other row number.
fn numbers_to_titles(src: Vec<Line<'_>>) -> Vec<Line<'_>> {
    let mut moves: Vec<(usize, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let Some(end) = number_cell(&src, i) else {
            i += 1;
            continue;
        };
        let next = (end..src.len()).find(|&k| src[k].kind == LineKind::Text);
        let misplaced = next.is_some_and(|k| {
            let t = src[k].text();
            grammar::target_label(t).is_some() || grammar::ends_sentence(t)
        });
        if let Some(title) = next
            .filter(|_| misplaced)
            .and_then(|k| title_after(&src, k))
        {
            moves.push((i, end, title));
        }
        i = end;
    }
    if moves.is_empty() {
        return src;
    }
    let mut skip = vec![false; src.len()];
    for &(from, to, _) in &moves {
        skip[from..to].fill(true);
    }
    moves.sort_by_key(|m| m.2);
    let mut moves = moves.into_iter().peekable();
    let mut out = Vec::with_capacity(src.len() + moves.len());
    for (k, line) in src.iter().enumerate() {
        while let Some((from, to, _)) = moves.next_if(|m| m.2 == k) {
            out.extend(src[from..to].iter().cloned());
            out.push(gap(&src[to - 1], LineKind::Empty));
        }
        if !skip[k] {
            out.push(line.clone());
        }
    }
    out
}

/// A row number alone at line `i` ("1.2", or "1.1.1." and its tail "1" on the next
/// line): the index after it.
fn number_cell(src: &[Line], i: usize) -> Option<usize> {
    let text = (src[i].kind == LineKind::Text).then(|| src[i].text())?;
    grammar::bare_row_number(text)?;
    // The tail of the number above, wrapped after a dot under its title ("4.1.1. Title"
    // over "1.1"), is no number of its own.
    let above = i.checked_sub(1).map(|k| &src[k]);
    if above.is_some_and(|a| a.kind == LineKind::Text && grammar::number_ends_in_dot(a.text())) {
        return None;
    }
    let tail = src.get(i + 1).is_some_and(|l| {
        l.kind == LineKind::Text
            && grammar::wrapped_number_tail(l.text(), grammar::number_ends_in_dot(text)).is_some()
    });
    Some(i + 1 + usize::from(tail))
}

/// The title a misplaced row number belongs to, searched from line `from` (see
/// [`numbers_to_titles`]).
fn title_after(src: &[Line], from: usize) -> Option<usize> {
    let label = |k: usize| {
        src.get(k)
            .is_some_and(|l| l.kind == LineKind::Text && grammar::target_label(l.text()).is_some())
    };
    for k in from..src.len().min(from + 80) {
        if src[k].kind != LineKind::Text {
            continue;
        }
        let t = src[k].text();
        if number_cell(src, k).is_some() || grammar::chapter_heading(t).is_some() {
            return None;
        }
        let after_break =
            src[k - 1].kind != LineKind::Text || grammar::ends_sentence(src[k - 1].text());
        let titled = t.starts_with(char::is_uppercase)
            && !grammar::ends_sentence(t)
            && !grammar::is_row_label(t)
            && !grammar::is_value_like(t);
        if titled && after_break && label(k + 1) {
            return Some(k);
        }
    }
    None
}

/// Two or more bare year labels in a row, and nothing else: each label.
fn label_row(text: &str) -> Option<Vec<&str>> {
    let mut labels = Vec::new();
    let mut t = text;
    loop {
        let (_, _, rest) = grammar::year_label(t)?;
        labels.push(t[..t.len() - rest.len()].trim());
        if rest.is_empty() {
            break;
        }
        t = rest;
    }
    (labels.len() >= 2).then_some(labels)
}

/// Where the dump's text wraps, in characters: the median length of the lines that
/// wrapped (the next line on the page goes on in lower case).
pub(crate) fn wrap_width(src: &[Line]) -> usize {
    let mut lengths: Vec<usize> = src
        .windows(2)
        .filter(|w| {
            w[0].kind == LineKind::Text
                && w[1].kind == LineKind::Text
                && w[0].page == w[1].page
                && !w[0].text().ends_with('-')
                && grammar::starts_lowercase(w[1].text())
        })
        .map(|w| chars(&w[0]))
        .collect();
    if lengths.is_empty() {
        return 0;
    }
    let mid = lengths.len() / 2;
    *lengths.select_nth_unstable(mid).1
}

/// Key of a running header or footer: white space collapsed, every run of digits one `#`
/// (as the block stage compares them).
fn furniture_key(text: &str) -> String {
    let mut k = String::new();
    for c in grammar::collapse(text).chars() {
        if !c.is_ascii_digit() {
            k.push(c);
        } else if !k.ends_with('#') {
            k.push('#');
        }
    }
    k
}

/// The lines with each page's running header or footer line that reading order put amid
/// the page's text (a footer left of a table's last column comes before that column) moved
/// to the page's end, where the block stage looks for them: a line whose text, digits
/// aside, is what the block stage finds as furniture elsewhere.
fn furniture_last<'a>(lines: &Lines<'a>, flagged: &[bool]) -> Vec<Line<'a>> {
    let keys: HashSet<String> = lines
        .lines
        .iter()
        .zip(flagged)
        .filter(|(_, &f)| f)
        .map(|(l, _)| furniture_key(l.text()))
        .collect();
    let src = &lines.lines;
    if keys.is_empty() {
        return src.clone();
    }
    // The keys flagged on each page: a line repeating one of them on its own page is
    // content (a cover's title under a running header that prints the same title).
    let on_page: HashSet<(u32, String)> = src
        .iter()
        .zip(flagged)
        .filter(|(_, &f)| f)
        .map(|(l, _)| (l.page, furniture_key(l.text())))
        .collect();
    let mut out: Vec<Line> = Vec::with_capacity(src.len() + 8);
    let mut moved: Vec<&Line> = Vec::new();
    for (i, line) in src.iter().enumerate() {
        let runs =
            line.kind == LineKind::Text && !flagged[i] && !grammar::is_row_label(line.text()) && {
                let key = furniture_key(line.text());
                keys.contains(&key) && !on_page.contains(&(line.page, key))
            };
        if runs {
            moved.push(line);
        } else {
            out.push(line.clone());
        }
        let page_ends = src.get(i + 1).is_none_or(|next| next.page != line.page);
        if page_ends {
            for m in moved.drain(..) {
                out.push(gap(m, LineKind::Empty));
                out.push(m.clone());
            }
        }
    }
    out
}

fn chars(line: &Line) -> usize {
    line.text().chars().count()
}

/// Lines that always start something new; a date alone on a line (where and when an
/// agreement was signed) is a block of its own.
fn starts_structure(text: &str) -> bool {
    grammar::is_row_label(text)
        || grammar::chapter_heading(text).is_some()
        || grammar::caption(text).is_some()
        || grammar::bullet(text).is_some()
        || grammar::date(text).is_some()
}

/// `line` starts with a capital letter and its first word would have fitted at the end
/// of `above` within `width` characters: `above` was ended, not wrapped.
fn after_ended(above: &Line, line: &Line, width: usize) -> bool {
    let text = line.text();
    text.starts_with(char::is_uppercase) && with_next_word(above.text(), text) <= width
}

/// The break to put between `above` (the last line written) and line `i`, if any. In a
/// table, rows are short and set one under the other: any line that starts with a
/// capital letter after a line not ended by a hyphen is a new row.
#[allow(clippy::too_many_arguments)]
fn row_break(
    src: &[Line],
    width: &[usize],
    para_end: &[usize],
    wrap_width: usize,
    above: &Line,
    above_opens: bool,
    i: usize,
    table: bool,
) -> Option<LineKind> {
    let line = &src[i];
    let text = line.text();
    if line.page != above.page {
        return None;
    }
    if table && above_opens && grammar::starts_lowercase(text) && !above.text().ends_with('-') {
        // A table row wrapped although its next word would have fitted well within the
        // width where the dump's text wraps: set larger than the text. A dump from pdf-extract shows that with an
        // empty line between the wrapped lines, which the block stage reads as a
        // heading in a larger font (`spaced_wrap`); so it is written here.
        if (with_next_word(above.text(), text) as f32) <= EARLY_WRAP * wrap_width as f32 {
            return Some(LineKind::Empty);
        }
    }
    if grammar::bullet(text).is_some() {
        return Some(LineKind::Space);
    }
    if starts_structure(text) || grammar::chapter_heading(above.text()).is_some() {
        return Some(LineKind::Empty);
    }
    let capital_row =
        table && text.starts_with(char::is_uppercase) && !above.text().ends_with(['-', '–', ',']);
    if !capital_row && !after_ended(above, line, width[i]) {
        return None;
    }
    // A paragraph that runs into a unit label describes the indicator named above it.
    let j = para_end[i + 1];
    // ... when it is a sentence; a name there is the indicator's, under a row of its own
    // (a group heading).
    let sentence = src[j - 1].text().ends_with(['.', '!', '?', ':']);
    let describes = sentence
        && src
            .get(j)
            .is_some_and(|l| grammar::unit_label(l.text()).is_some());
    Some(if describes {
        LineKind::Space
    } else {
        LineKind::Empty
    })
}

/// Ends the block being written, if a text line ends it.
fn end_block(out: &mut Vec<Line>) {
    if let Some(last) = out.last().filter(|l| l.kind == LineKind::Text) {
        let gap = gap(last, LineKind::Empty);
        out.push(gap);
    }
}

/// A bare target label at `i` and its text: the lines after it (past empty lines) up to
/// the next empty line or structure, paragraphs parted where a line was ended; with
/// `spaced_cells`, also the paragraphs after empty lines that go on with it
/// ([`next_paragraph`]). Returns the index after the cell.
fn cell<'a>(
    src: &[Line<'a>],
    width: &[usize],
    furniture: &[bool],
    spaced_cells: bool,
    i: usize,
    out: &mut Vec<Line<'a>>,
) -> usize {
    end_block(out);
    let label = &src[i];
    out.push(label.clone());
    let n = src.len();
    let mut k = i + 1;
    while k < n && src[k].kind != LineKind::Text && src[k].page == label.page {
        k += 1;
    }
    // A row number alone right after the label is the next row's, which reading order
    // put there (its column is left of the text's): written after the cell.
    let row_number = |t: &str| grammar::bare_row_number(t).is_some();
    let number = (k < n && row_number(src[k].text()))
        .then(|| next_text(src, k + 1, label.page))
        .flatten()
        .filter(|&t| !starts_structure(src[t].text()) && !row_number(src[t].text()))
        .map(|t| std::mem::replace(&mut k, t));
    let opens = k < n
        && src[k].kind == LineKind::Text
        && src[k].page == label.page
        && !starts_structure(src[k].text());
    if !opens {
        end_block(out);
        return i + 1;
    }
    let mut j = k;
    loop {
        while j < n
            && src[j].kind == LineKind::Text
            && !starts_structure(src[j].text())
            && !(j > k
                && (names_grid(src, j)
                    || heads_row(src, furniture, j)
                    || names_described_grid(src, width, j)))
        {
            if j > k && after_ended(&src[j - 1], &src[j], width[j]) {
                let gap = gap(&src[j - 1], LineKind::Space);
                out.push(gap);
            }
            out.push(src[j].clone());
            j += 1;
        }
        let next = if spaced_cells {
            next_paragraph(src, width, j)
        } else {
            None
        };
        match next {
            Some(next) => {
                let gap = gap(&src[j - 1], LineKind::Space);
                out.push(gap);
                j = next;
            }
            None => break,
        }
    }
    end_block(out);
    if let Some(at) = number {
        out.push(src[at].clone());
        end_block(out);
    }
    j
}

/// The first text line from `from` on, past lines without text, on `page`.
fn next_text(src: &[Line], from: usize, page: u32) -> Option<usize> {
    (from..src.len())
        .take_while(|&t| src[t].page == page)
        .find(|&t| src[t].kind == LineKind::Text)
}

/// Whether line `j` starts an indicator's name: the name's lines run into a unit label
/// (a name wrapped onto a second line goes on in lower case or in brackets).
fn names_grid(src: &[Line], j: usize) -> bool {
    let unit = |l: Option<&Line>| l.is_some_and(|l| grammar::unit_label(l.text()).is_some());
    let goes_on = |t: &str| grammar::starts_lowercase(t) || t.starts_with('(');
    let text = src[j].text();
    if grammar::ends_sentence(text) || goes_on(text) {
        return false;
    }
    unit(src.get(j + 1))
        || src
            .get(j + 1)
            .is_some_and(|l| l.kind == LineKind::Text && goes_on(l.text()))
            && unit(src.get(j + 2))
}

/// Whether line `j` heads a described row: an indicator's name whose description runs
/// in sentences between it and the unit label, or (after a sentence) a heading row whose
/// description runs up to an empty line before its target label. The name or heading is
/// a capitalised line that is no sentence and ended early (the next line's first word
/// would have fitted after it), then a few lines, the last ending a sentence.
fn names_described_grid(src: &[Line], width: &[usize], j: usize) -> bool {
    let text = src[j].text();
    let Some(next) = src.get(j + 1) else {
        return false;
    };
    let name = text.starts_with(char::is_uppercase)
        && !grammar::ends_sentence(text)
        && !text.ends_with([':', ','])
        && !text.contains(". ")
        && !starts_structure(text)
        && next.kind == LineKind::Text
        && after_ended(&src[j], next, width[j + 1]);
    if !name {
        return false;
    }
    let after_sentence = j > 0 && grammar::ends_sentence(src[j - 1].text());
    // A description of a few lines at most.
    for k in j + 1..(j + 8).min(src.len()) {
        let l = &src[k];
        if l.kind != LineKind::Text || l.page != src[j].page || starts_structure(l.text()) {
            return false;
        }
        if !grammar::ends_sentence(l.text()) {
            continue;
        }
        let unit_next = src
            .get(k + 1)
            .is_some_and(|u| grammar::unit_label(u.text()).is_some());
        let target_after_gap = after_sentence
            && src.get(k + 1).is_some_and(|g| g.kind != LineKind::Text)
            && next_text(src, k + 1, l.page)
                .is_some_and(|t| grammar::target_label(src[t].text()).is_some());
        if unit_next || target_after_gap {
            return true;
        }
    }
    false
}

/// Whether line `j`, after a line that ends a sentence, starts heading rows: it and the
/// lines up to the next row label (a target or unit label) are all capitalised (or
/// numbered) or continued titles, none ending a sentence. Target text is sentences; a line of it
/// that does not end one wraps into a line that does.
fn heads_row(src: &[Line], furniture: &[bool], j: usize) -> bool {
    let text = src[j].text();
    let after_sentence = j > 0 && grammar::ends_sentence(src[j - 1].text());
    let title = text.starts_with(char::is_uppercase) || grammar::row_number(text).is_some();
    if !after_sentence || grammar::ends_sentence(text) || !title {
        return false;
    }
    let opens = |t: &str| grammar::unit_label(t).is_some() || grammar::target_label(t).is_some();
    for (k, l) in src.iter().enumerate().skip(j + 1) {
        if l.kind != LineKind::Text || l.page != src[j].page {
            // The page ends under the row: its row label opens the next page.
            return next_page_opens(src, furniture, k, src[j].page).is_some_and(opens);
        }
        let t = l.text();
        if opens(t) {
            return true;
        }
        if grammar::ends_sentence(t) || starts_structure(t) {
            return false;
        }
    }
    false
}

/// The first text of the page after `page`, when only page furniture (running headers
/// and footers, page numbers) and empty lines stand between `from` and there.
fn next_page_opens<'s>(
    src: &'s [Line],
    furniture: &[bool],
    from: usize,
    page: u32,
) -> Option<&'s str> {
    for (l, &f) in src[from..].iter().zip(&furniture[from..]) {
        if l.kind != LineKind::Text || f {
            continue;
        }
        return (l.page == page + 1).then(|| l.text());
    }
    None
}

/// After a cell's text that stops at line `j` (an empty line), the start of a paragraph
/// that goes on with the cell, when there is one: on the same page, past empty lines, a
/// paragraph of prose (every line wrapped, none ended, the last ending a sentence), of more than one
/// line or not followed directly by a target label (a one-line sentence right above a
/// label is a goal's heading row, as a row set with space after a cell shows it).
fn next_paragraph(src: &[Line], width: &[usize], j: usize) -> Option<usize> {
    let n = src.len();
    let page = src.get(j.checked_sub(1)?)?.page;
    let mut k = j;
    while k < n && src[k].kind != LineKind::Text && src[k].page == page {
        k += 1;
    }
    if k == j || k >= n || src[k].page != page || starts_structure(src[k].text()) {
        return None;
    }
    let mut end = k;
    while end < n && src[end].kind == LineKind::Text && !starts_structure(src[end].text()) {
        end += 1;
    }
    let para = &src[k..end];
    let wrapped = (k + 1..end).all(|t| {
        let above = src[t - 1].text();
        !grammar::ends_sentence(above)
            && !above.ends_with(':')
            && !after_ended(&src[t - 1], &src[t], width[t])
    });
    let prose = wrapped && grammar::ends_sentence(para[para.len() - 1].text());
    let heads_target = src
        .get(end)
        .is_some_and(|l| grammar::target_label(l.text()).is_some());
    (prose && (para.len() > 1 || !heads_target)).then_some(k)
}

/// Right above a grid: when the last block written is one paragraph of sentences and
/// the block before it one line that is not (a name), the two are the indicator's name
/// and its description, which the dump set apart by an empty line: they become one block
/// of two paragraphs, as a name cell shows them.
fn describe_indicator(out: &mut [Line]) {
    let text_end = match out.iter().rposition(|l| l.kind == LineKind::Text) {
        Some(e) => e,
        None => return,
    };
    let Some(gap) = out[..text_end]
        .iter()
        .rposition(|l| l.kind != LineKind::Text)
    else {
        return;
    };
    let sentence = grammar::ends_sentence(out[text_end].text());
    let before = gap
        .checked_sub(1)
        .filter(|&b| out[b].kind == LineKind::Text);
    let Some(name) = before else { return };
    let name_alone = name == 0 || out[name - 1].kind == LineKind::Empty;
    let name_text = out[name].text();
    let named = !grammar::ends_sentence(name_text)
        && !name_text.ends_with(':')
        && !starts_structure(name_text)
        && name_text.starts_with(char::is_uppercase);
    // Lines `gap + 1..=text_end` are all text: one paragraph.
    if sentence && name_alone && named && out[gap].kind == LineKind::Empty {
        out[gap].kind = LineKind::Space;
        out[gap].set_raw(" ");
    }
}

/// What a line of a grid is.
#[derive(PartialEq)]
enum GridLine {
    /// A year label alone ("Tav 2027") or a row of bare years.
    Label,
    /// A year label with its value on the line ("Tav 2027 ≥ 95").
    Filled,
    Value,
    Unit,
    Blank,
}

/// A grid from the unit label at `i` on: its year labels, unit and values, as long as
/// the page and the grid's lines go on; written as label/value pairs. A value right under
/// its label stays with it; the others fill the labels still empty, in order (the dump
/// does not show which cell an empty one was; values come left-aligned). Returns the
/// index after the grid.
// Long: one pass over the grid's lines whose state (labels, loose values, the unit, the
// line before) every branch reads; the writing is `write_grid`.
fn grid<'a>(src: &[Line<'a>], furniture: &[bool], i: usize, out: &mut Vec<Line<'a>>) -> usize {
    describe_indicator(out);
    end_block(out);
    let head = &src[i];
    let mut unit: Option<&Line> = None;
    let has_unit = grammar::unit_label(head.text()).is_some_and(|u| !u.is_empty());
    // Labels with the value found right under them (or on their line: `filled`).
    let mut labels: Vec<GridLabel> = Vec::new();
    let mut loose: Vec<&Line> = Vec::new();
    // The line before was a bare label, without an empty line between.
    let mut under_label = false;
    // The last text line of the grid was a bare label.
    let mut prev_label = false;
    // Page breaks inside the grid: where in its labels, and the lines that stood there.
    let mut breaks: Vec<(usize, &[Line<'a>])> = Vec::new();
    let mut page = head.page;
    let mut j = i + 1;
    while j < src.len() {
        if src[j].page != page || furniture[j] {
            let pending = labels.iter().any(|l| l.1.is_none() && !l.2);
            match grid_goes_on(src, furniture, j, page, pending) {
                Some(k) => {
                    // Values read so far are the labels' so far: a row does not go on
                    // across a page, only the grid's rows do.
                    let mut waiting = labels.iter_mut().filter(|l| l.1.is_none() && !l.2);
                    while let (false, Some(label)) = (loose.is_empty(), waiting.next()) {
                        label.1 = Some(loose.remove(0));
                    }
                    breaks.push((labels.len(), &src[j..k]));
                    (page, j) = (src[k].page, k);
                    continue;
                }
                None => break,
            }
        }
        let line = &src[j];
        let text = line.text();
        let kind = if line.kind != LineKind::Text {
            GridLine::Blank
        } else if let Some((_, _, rest)) = grammar::year_label(text) {
            if rest.is_empty() {
                GridLine::Label
            } else {
                GridLine::Filled
            }
        } else if grammar::is_bare_years(text) {
            GridLine::Label
        } else if let Some(goes_on) = next_bare_year(&labels, text) {
            if !goes_on {
                // The bare years start over: another grid's, as reading order put them.
                break;
            }
            GridLine::Label
        } else if year_and_value(line.raw()) {
            GridLine::Filled
        } else if grammar::is_value_like(text) {
            GridLine::Value
        } else if !has_unit
            && unit.is_none()
            && loose.is_empty()
            && labels.iter().all(|l| l.1.is_none() && !l.2)
            // Right under the unit label, or amid the grid's cells (a value or year
            // label next), the unit whatever it looks like.
            && (j == i + 1 || looks_like_unit(text) || amid_grid(src, j))
        {
            GridLine::Unit
        } else {
            break;
        };
        // A value alone in its block right after a block of labels is the last label's
        // (pairs set apart by empty lines, a label without a value right above the
        // next); a block of values after a block of labels is a column of them.
        let alone = || {
            prev_label
                && loose.is_empty()
                && !next_text(src, j + 1, page).is_some_and(|n| {
                    let t = src[n].text();
                    grammar::is_value_like(t) && next_bare_year(&labels, t) != Some(true)
                })
        };
        // One of a row of labels ([`part_label_rows`]): the values under the row are a
        // column of them, not the last label's.
        let in_row =
            kind == GridLine::Label && labels.last().is_some_and(|l| l.0.number == line.number);
        match kind {
            GridLine::Label => labels.push((line, None, false)),
            GridLine::Filled => labels.push((line, None, true)),
            GridLine::Value if under_label || alone() => {
                if let Some(last) = labels.last_mut() {
                    last.1 = Some(line);
                }
            }
            GridLine::Value => loose.push(line),
            GridLine::Unit => unit = Some(line),
            GridLine::Blank => {}
        }
        under_label = kind == GridLine::Label && !in_row;
        if kind != GridLine::Blank {
            prev_label = kind == GridLine::Label;
        }
        j += 1;
    }
    // Empty lines at the end belong to what follows.
    while j > i + 1 && src[j - 1].kind != LineKind::Text {
        j -= 1;
    }
    if labels.is_empty() {
        // Not a grid after all: the lines as they were.
        out.extend(src[i..j].iter().cloned());
        return j;
    }
    write_grid(out, head, unit, labels, loose, &breaks);
    j
}

/// At line `j`, where page `page` ends or its furniture starts inside a grid: the index
/// of the grid's next line when the next page opens with more of it (a year label, or a
/// value while labels still wait for theirs, `pending`) after only furniture and empty
/// lines.
fn grid_goes_on(
    src: &[Line],
    furniture: &[bool],
    j: usize,
    page: u32,
    pending: bool,
) -> Option<usize> {
    let k = (j..src.len()).find(|&k| src[k].kind == LineKind::Text && !furniture[k])?;
    let text = src[k].text();
    let more = grammar::year_label(text).is_some()
        || grammar::is_bare_years(text)
        || (pending && grammar::is_value_like(text));
    (src[k].page == page + 1 && more).then_some(k)
}

/// A year alone on a line among a grid's bare years (no `Tav`/`Tot`/`Arv` label yet):
/// whether it goes on them (later than the last), a column's year label where a value
/// would otherwise have been read (pdftotext writes a row of bare years one per line);
/// `None` when the line is no year alone or the grid has other labels.
fn next_bare_year(labels: &[GridLabel], text: &str) -> Option<bool> {
    let year = grammar::single_year(text)?;
    let bare = |l: &GridLabel| grammar::single_year(l.0.text());
    if !labels.iter().all(|l| bare(l).is_some()) {
        return None;
    }
    Some(labels.last().and_then(bare).is_none_or(|last| last < year))
}

/// `2026      9 600`: a bare year and its value on one line, parted by a gap (a
/// `-layout` dump's grid read here).
fn year_and_value(raw: &str) -> bool {
    let t = raw.trim();
    t.split_once("  ").is_some_and(|(year, value)| {
        grammar::single_year(year).is_some() && grammar::is_value_like(value.trim())
    })
}

/// A year label of a grid, the value found right under it, and whether the value is on
/// its own line (`Tav 2027 ≥ 95`, filled).
type GridLabel<'s, 'a> = (&'s Line<'a>, Option<&'s Line<'a>>, bool);

/// Writes a grid read by [`grid`] as label/value pairs: the unit label and unit, then
/// each year label with the value under it or, when none was and it is not filled, the
/// next loose value; values beyond the labels as lines of their own.
fn write_grid<'a>(
    out: &mut Vec<Line<'a>>,
    head: &Line<'a>,
    unit: Option<&Line<'a>>,
    labels: Vec<GridLabel<'_, 'a>>,
    loose: Vec<&Line<'a>>,
    breaks: &[(usize, &[Line<'a>])],
) {
    out.push(head.clone());
    if let Some(u) = unit {
        out.push(u.clone());
    }
    let mut loose = loose.into_iter();
    let n = labels.len();
    for (k, (label, value, filled)) in labels.into_iter().enumerate() {
        end_block(out);
        // A page break inside the grid stays where it was, its furniture with it.
        for (_, lines) in breaks.iter().filter(|b| b.0 == k) {
            out.extend(lines.iter().cloned());
            end_block(out);
        }
        out.push(label.clone());
        if let Some(v) = value.or_else(|| if filled { None } else { loose.next() }) {
            out.push(v.clone());
        }
    }
    for (_, lines) in breaks.iter().filter(|b| b.0 >= n) {
        end_block(out);
        out.extend(lines.iter().cloned());
    }
    // Values beyond the labels stay, as lines of their own.
    for v in loose {
        end_block(out);
        out.push(v.clone());
    }
    end_block(out);
}

/// The next text line on the page after line `j` is a grid's: a year label or a value.
fn amid_grid(src: &[Line], j: usize) -> bool {
    next_text(src, j + 1, src[j].page).is_some_and(|n| {
        let t = src[n].text();
        grammar::year_label(t).is_some() || grammar::is_bare_years(t) || grammar::is_value_like(t)
    })
}

/// A unit cell: short, and not set like a title (a capital followed by lower case).
fn looks_like_unit(text: &str) -> bool {
    let mut c = text.chars();
    let title =
        c.next().is_some_and(char::is_uppercase) && c.next().is_some_and(char::is_lowercase);
    !title && text.split_whitespace().count() <= 3 && !text.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{dialect::split, lines::Dialect};

    fn regrouped(text: &str) -> Vec<String> {
        let l = split(text);
        assert_eq!(l.dialect, Dialect::Pdftotext);
        regroup(l)
            .lines
            .iter()
            .map(|l| format!("{}:{}", l.number, l.raw()))
            .collect()
    }

    #[test]
    fn heading_rows_part_and_a_target_label_heads_its_cell() {
        let text = "Linja yksi\n\
                    Tavoite kaksi jatkuu pitkälle oikealle\n\
                    ja rivittyy\n\
                    Tavoite 2027\n\
                    \n\
                    Teksti joka on pitkä ja täyttää rivin koko leveydeltään ja\n\
                    vähän lisää.\n\
                    Uusi kappale.\n\
                    \n\
                    Seuraava rivi\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Linja yksi",
                "1:",
                "2:Tavoite kaksi jatkuu pitkälle oikealle",
                "3:ja rivittyy",
                "3:",
                "4:Tavoite 2027",
                "6:Teksti joka on pitkä ja täyttää rivin koko leveydeltään ja",
                "7:vähän lisää.",
                "7: ",
                "8:Uusi kappale.",
                "8:",
                "9:",
                "10:Seuraava rivi",
            ]
        );
    }

    #[test]
    fn a_date_alone_on_a_line_is_a_block_of_its_own() {
        let text = "Sopimusta tarkistetaan vuosittain talousarvioprosessin yhteydessä.\n\
                    15.2.2025\n\
                    \n\
                    Valtiovarainministeriö\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Sopimusta tarkistetaan vuosittain talousarvioprosessin yhteydessä.",
                "1:",
                "2:15.2.2025",
                "3:",
                "4:Valtiovarainministeriö",
            ]
        );
    }

    #[test]
    fn bare_years_one_per_line_are_a_grids_labels() {
        // A value alone after a block of years is the last year's; years that start
        // over end the grid.
        let text = "Mittari\nMittayksikkö:\n\nkpl\n\n2024\n2025\n\n17 200\n\n2026\n\n\
                    2024\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Mittari",
                "1:",
                "2:Mittayksikkö:",
                "4:kpl",
                "4:",
                "6:2024",
                "6:",
                "7:2025",
                "9:17 200",
                "9:",
                "11:2026",
                "11:",
                "12:",
                "13:2024",
            ]
        );
    }

    #[test]
    fn a_year_and_its_value_parted_by_a_gap_is_a_filled_label() {
        assert!(year_and_value("   2026      9 600"));
        assert!(!year_and_value("2026 9 600"));
        assert!(!year_and_value("Tav 2026      9 600"));
        assert!(!year_and_value("2026      teksti"));
    }

    #[test]
    fn a_row_of_labels_on_one_line_takes_the_values_under_it_in_order() {
        let text = "Mittari\nMittayksikkö\n%\n\nTav 2025 Tav 2026 Tav 2027\n> 3,14\n> 3,18\n\
                    ≥ 3,59\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Mittari",
                "1:",
                "2:Mittayksikkö",
                "3:%",
                "3:",
                "5:Tav 2025",
                "6:> 3,14",
                "6:",
                "5:Tav 2026",
                "7:> 3,18",
                "7:",
                "5:Tav 2027",
                "8:≥ 3,59",
                "8:",
            ]
        );
        assert_eq!(
            label_row("Tav 2025 Tav 2026"),
            Some(vec!["Tav 2025", "Tav 2026"])
        );
        assert_eq!(label_row("Tav 2025 > 3,14"), None);
        assert_eq!(label_row("Tav 2025"), None);
    }

    #[test]
    fn a_heading_and_its_description_after_target_text_end_its_cell() {
        // After the target's last sentence: a heading that ended early, its description,
        // an empty line, its target.
        let text = "Tavoite 2027\nEnsimmäinen lause on pitkä ja jatkuu rivin loppuun asti.\n\
                    Seuraava tavoite\nKuvaus on lause.\n\n\
                    Tavoite 2028\nToinen lause.\n\u{c}";
        let lines = regrouped(text);
        let at = |t: &str| lines.iter().position(|l| l.ends_with(t)).expect("line");
        assert_eq!(lines[at(":Seuraava tavoite") - 1], "2:", "{lines:?}");
    }

    #[test]
    fn a_row_that_ends_its_page_ends_the_target_cell_above_it() {
        // The row's target label opens the next page, under its running header.
        let text = "Otsake\n\nTavoite 2027\nTeksti on lause.\nSeuraava tavoite\n\nSivu 1\n\u{c}\
                    Otsake\n\nTavoite 2027\nToinen lause.\n\nSivu 2\n\u{c}\
                    Otsake\n\nKolmas lause.\n\nSivu 3\n\u{c}\
                    Otsake\n\nLoppu.\n\nSivu 4\n\u{c}";
        let lines = regrouped(text);
        let row = lines.iter().position(|l| l == "5:Seuraava tavoite");
        assert_eq!(row.map(|k| lines[k - 1].as_str()), Some("4:"), "{lines:?}");
    }

    #[test]
    fn a_grid_broken_by_a_page_keeps_its_values_under_their_labels() {
        // The labels end page 1 above its footer; the values open page 2 under its
        // running header, which stays the page's furniture.
        let text = "Otsake\n\nMittari\nMittayksikkö\n\nTav 2027\n\nTav 2028\n\nSivu 1\n\u{c}\
                    Otsake\n\n≥ 95\n\n≥ 96\n\nSeuraava rivi\n\nSivu 2\n\u{c}\
                    Otsake\n\nLoppu.\n\nSivu 3\n\u{c}";
        let lines = regrouped(text);
        let label = lines.iter().position(|l| l == "6:Tav 2027");
        assert_eq!(
            label.map(|k| lines[k + 1].as_str()),
            Some("13:≥ 95"),
            "{lines:?}"
        );
        let label = lines.iter().position(|l| l == "8:Tav 2028");
        assert_eq!(
            label.map(|k| lines[k + 1].as_str()),
            Some("15:≥ 96"),
            "{lines:?}"
        );
        let read = crate::dialect::read(text);
        let flags = crate::furniture::flags(&read);
        let header = read.lines.iter().position(|l| l.number == 11);
        assert_eq!(header.map(|k| flags[k]), Some(true), "{lines:?}");
        // A value read before the page break is its labels'.
        let text =
            "Otsake\n\nMittari\nMittayksikkö\nTav 2027\nTav 2028\n\n%\n= 25\n\nSivu 1\n\u{c}\
                    Otsake\n\nTav 2029\n\n< 11\n\nSivu 2\n\u{c}\
                    Otsake\n\nLoppu.\n\nSivu 3\n\u{c}";
        let lines = regrouped(text);
        let label = lines.iter().position(|l| l == "5:Tav 2027");
        assert_eq!(
            label.map(|k| lines[k + 1].as_str()),
            Some("9:= 25"),
            "{lines:?}"
        );
        let label = lines.iter().position(|l| l == "14:Tav 2029");
        assert_eq!(
            label.map(|k| lines[k + 1].as_str()),
            Some("16:< 11"),
            "{lines:?}"
        );
    }

    #[test]
    fn a_row_number_read_before_the_row_above_ends_goes_to_its_title() {
        // Reading order put the number "1.1.1.2" (wrapped after a dot) before the last
        // target of the row above; its title comes after that target, over its label.
        let text = "1.1.1.\n1\n\nEnsimmäinen otsikko\n\n1.1.1.\n2\n\nTavoite 2028\n\n\
                    Ensimmäisen lause.\n\nToinen otsikko\nTavoite 2029\n\nToisen lause.\n\u{c}";
        let lines = regrouped(text);
        let at = |t: &str| lines.iter().position(|l| l == t);
        let (number, title, label) = (
            at("6:1.1.1."),
            at("13:Toinen otsikko"),
            at("9:Tavoite 2028"),
        );
        assert!(label < number && number < title, "{lines:?}");
        assert_eq!(
            number.map(|k| &lines[k + 1]),
            Some(&"7:2".to_string()),
            "{lines:?}"
        );
        // The tail of a number wrapped under its title stays where it is.
        let text = "4.1.1. Otsikko\n1.1\nTavoite 2028\nLause.\n\nToinen otsikko\nTavoite 2029\nLause.\n\u{c}";
        let lines = regrouped(text);
        let at = |t: &str| lines.iter().position(|l| l == t);
        assert!(at("2:1.1") < at("3:Tavoite 2028"), "{lines:?}");
    }

    #[test]
    fn an_indicators_name_and_description_after_a_target_end_its_cell() {
        // The name ended early; its description runs in sentences up to the unit.
        let text = "Tavoite 2030\nToimintamallia on pilotoitu kahdessa toimipisteessä ja se on otettu käyttöön.\n\
                    Kustannukset asiaa kohden\nKustannuksia on seurattu kuukausittain.\nMittayksikkö\n\u{c}";
        let lines = regrouped(text);
        let name = lines
            .iter()
            .position(|l| l == "3:Kustannukset asiaa kohden");
        assert_eq!(name.map(|k| lines[k - 1].as_str()), Some("2:"), "{lines:?}");
    }

    #[test]
    fn a_numbered_title_after_a_targets_last_sentence_starts_a_row() {
        // The number runs into the title (too wide for its column), and the page break
        // left no empty line before it.
        let text = "Tavoite 2031\nTeksti jatkuu\nja päättyy.\n2.1.1.1.2Seuraava tavoite\nTavoite 2028\nLause.\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Tavoite 2031",
                "2:Teksti jatkuu",
                "3:ja päättyy.",
                "3:",
                "4:2.1.1.1.2Seuraava tavoite",
                "4:",
                "5:Tavoite 2028",
                "6:Lause.",
                "6:",
            ]
        );
    }

    #[test]
    fn a_row_number_read_right_after_a_target_label_goes_after_its_cell() {
        let text = "Tavoite 2031\n2.\n\nTeksti on lause.\n\nSeuraava linja\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Tavoite 2031",
                "4:Teksti on lause.",
                "4:",
                "2:2.",
                "2:",
                "5:",
                "6:Seuraava linja",
            ]
        );
        let bare_row_number = |t| grammar::bare_row_number(t).is_some();
        assert!(bare_row_number("2.") && bare_row_number("2.1") && bare_row_number("1.1.1."));
        assert!(!bare_row_number("2") && !bare_row_number("2028") && !bare_row_number("2.5 %"));
    }

    #[test]
    fn a_grid_pairs_labels_with_values_in_order() {
        let text = "Mittari ja sen nimi\n\
                    Kuvaus mittarista, joka on pitkä ja kertoo paljon asioita.\n\
                    Mittayksikkö\n\
                    Tav 2027\n\
                    Tav 2028\n\
                    \n\
                    %\n\
                    ≥ 95\n\
                    \n\
                    Seuraava mittari\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Mittari ja sen nimi",
                "1: ",
                "2:Kuvaus mittarista, joka on pitkä ja kertoo paljon asioita.",
                "2:",
                "3:Mittayksikkö",
                "7:%",
                "7:",
                "4:Tav 2027",
                "8:≥ 95",
                "8:",
                "5:Tav 2028",
                "5:",
                "9:",
                "10:Seuraava mittari",
            ]
        );
        // A title-like line after the labels is the next indicator, not a unit.
        let text = "Mittayksikkö\nTav 2027\nSairauspoissaolot\n\u{c}";
        assert_eq!(
            regrouped(text),
            vec![
                "1:Mittayksikkö",
                "1:",
                "2:Tav 2027",
                "2:",
                "3:Sairauspoissaolot"
            ]
        );
    }

    #[test]
    fn a_value_right_under_its_label_stays_with_it() {
        // The unit is set like a title, but right under its label; 2027 is empty.
        let text =
            "Mittayksikkö\nAsteikko 1-5\n\nTav 2026\n> 4,0\n\nTav 2027\n\nTav 2028\n≥ 5\n\u{c}";
        let texts: Vec<String> = regrouped(text)
            .into_iter()
            .filter(|l| !l.ends_with(':'))
            .collect();
        assert_eq!(
            texts,
            vec![
                "1:Mittayksikkö",
                "2:Asteikko 1-5",
                "4:Tav 2026",
                "5:> 4,0",
                "7:Tav 2027",
                "9:Tav 2028",
                "10:≥ 5",
            ]
        );
    }

    #[test]
    fn a_cover_title_under_a_header_printing_it_stays_in_place() {
        // A browser's running header prints the document's title on every page, the
        // cover's own title too: the second one on the cover is content.
        let page =
            |n: u32, body: &str| format!("Otsikko 2028\n\n{body}\n\nosoite\n\nSivu {n}\n\u{c}");
        let text = page(1, "Ministeriö\n\nOtsikko 2028") + &page(2, "Teksti.") + &page(3, "Lisää.");
        let got = regrouped(&text);
        let at = |s: &str| got.iter().position(|l| l == s).expect(s);
        assert!(at("5:Otsikko 2028") < at("7:osoite"), "{got:?}");
    }

    #[test]
    fn a_running_footer_amid_the_text_moves_to_its_page_end() {
        let mut text = String::new();
        for p in 1..=4 {
            text.push_str(&format!(
                "Otsikko {p}\nTekstiä\n\nLisää tekstiä\nSivu {p}\n\u{c}"
            ));
        }
        // On the last page the footer comes before the page's last line.
        text.push_str("Eka\nToka\nKolmas\nSivu 5\n\nLoppu\nToinen loppu\nKolmas loppu\n\u{c}");
        let l = regroup(split(&text));
        let last: Vec<&str> = l
            .lines
            .iter()
            .filter(|l| l.page == 5 && l.kind == LineKind::Text)
            .map(|l| l.text())
            .collect();
        assert_eq!(
            last,
            vec![
                "Eka",
                "Toka",
                "Kolmas",
                "Loppu",
                "Toinen loppu",
                "Kolmas loppu",
                "Sivu 5"
            ]
        );
        let flagged = crate::furniture::flags(&l);
        let footers = l
            .lines
            .iter()
            .zip(&flagged)
            .filter(|(l, &f)| f && l.text().starts_with("Sivu"));
        assert_eq!(footers.count(), 5);
    }

    #[test]
    fn a_name_above_the_grid_is_a_row_and_a_unit_amid_the_grid_is_the_unit() {
        let wide = "Leveä tekstirivi, joka ulottuu sivun oikeaan reunaan asti ja vähän yli.";
        let text = format!(
            "{wide}\n\nRyhmän otsikko\nMittarin nimi\nMittayksikkö\n\nTav 2026\n\nAsteikko 1-5\n\n> 4,0\n\u{c}"
        );
        let got = regrouped(&text);
        assert!(
            got.windows(3)
                .any(|w| w == ["3:Ryhmän otsikko", "3:", "4:Mittarin nimi"]),
            "{got:?}"
        );
        let grid: Vec<&str> = got
            .iter()
            .map(String::as_str)
            .skip_while(|l| *l != "5:Mittayksikkö")
            .filter(|l| !l.ends_with(':'))
            .collect();
        assert_eq!(
            grid,
            vec!["5:Mittayksikkö", "9:Asteikko 1-5", "7:Tav 2026", "11:> 4,0"]
        );
    }

    #[test]
    fn a_description_set_apart_from_its_name_joins_it_above_the_grid() {
        let text =
            "Mittarin nimi\n\nKuvaus, joka on lause.\nMittayksikkö\n\nTav 2027\n\n%\n\n5\n\u{c}";
        let got = regrouped(text);
        assert_eq!(
            &got[..4],
            &["1:Mittarin nimi", "2: ", "3:Kuvaus, joka on lause.", "3:"]
        );
        // A name under a name stays a row of its own.
        let text = "Ryhmä\n\nMittarin nimi\nMittayksikkö\n\nTav 2027\n\n%\n\n5\n\u{c}";
        assert_eq!(&regrouped(text)[..3], &["1:Ryhmä", "2:", "3:Mittarin nimi"]);
    }

    #[test]
    fn a_value_alone_after_a_block_of_labels_is_the_last_labels() {
        // Pairs set apart by empty lines; a label without a value right above the next.
        let text = "Mittari\nMittayksikkö\n\nlkm\n\nTot 2023\n\n111,6\n\nArv 2024\nTav 2025\n\n\
                    > 109,4\n\nTav 2026\n\nSeuraava rivi\n\u{c}";
        let got = regrouped(text);
        let at = |t: &str| got.iter().position(|l| l.ends_with(t)).expect(t);
        assert_eq!(got[at("Tot 2023") + 1], "8:111,6");
        assert_eq!(got[at("Arv 2024") + 1], "10:");
        assert_eq!(got[at("Tav 2025") + 1], "13:> 109,4");
        // A block of values after a block of labels fills them in order.
        let text = "Mittari\nMittayksikkö\n\nTav 2025\nTav 2026\n\n5\n6\n\nSeuraava rivi\n\u{c}";
        let got = regrouped(text);
        let at = |t: &str| got.iter().position(|l| l.ends_with(t)).expect(t);
        assert_eq!(got[at("Tav 2025") + 1], "7:5");
        assert_eq!(got[at("Tav 2026") + 1], "8:6");
    }

    #[test]
    fn a_target_cell_ends_before_heading_rows_that_run_into_a_target_label() {
        let text = "Tavoite 2027\nTeksti loppuu tähän.\nToinen tavoite\nSen alatavoite\n\
                    Tavoite 2027\nTeksti, joka jatkuu\nToiselle riville.\n\u{c}";
        let got = regrouped(text);
        let at = |t: &str| got.iter().position(|l| l.ends_with(t)).expect(t);
        assert_eq!(got[at("tähän.") + 1], "2:");
        // Target text that goes on over a capitalised line stays one cell.
        assert_eq!(got[at("jatkuu") + 1], "7:Toiselle riville.");
    }

    #[test]
    fn a_target_cell_ends_before_the_name_of_an_indicator() {
        let text =
            "Tavoite 2027\nTeksti loppuu tähän.\nMittarin nimi\n(tarkenne)\nMittayksikkö\n\n\
                    Tav 2027\n\n%\n\n5\n\u{c}";
        let got = regrouped(text);
        let at = |t: &str| got.iter().position(|l| l.ends_with(t)).expect(t);
        assert_eq!(got[at("tähän.") + 1], "2:");
        assert_eq!(got[at("nimi") + 1], "4:(tarkenne)");
    }

    #[test]
    fn a_table_row_wrapped_early_is_marked_as_set_larger() {
        let prose = "Tekstiä joka rivittyy aina noin kuudenkymmenen merkin kohdalla\n\
                     seuraavalle riville ja jatkuu taas lähes yhtä pitkälle tässä\n\
                     kappaleessa, jonka rivit ovat kaikki suunnilleen yhtä pitkiä\n\
                     loppuun asti.\n\n";
        let text = format!(
            "1 Luku\n{prose}Taulukko: Tulostavoitteet\n\n\
             Lyhyt strateginen linja joka\n\
             jatkuu\n\
             Tavoitteen otsikko joka on pitkä ja rivittyy vasta lähellä\n\
             reunaa\n\
             Tavoite 2026\n\nTeksti.\n\u{c}"
        );
        let got = regrouped(&text);
        let at = |t: &str| got.iter().position(|l| l.ends_with(t)).expect(t);
        // An empty line between the wrapped lines of the early row only.
        assert_eq!(got[at("linja joka") + 1], "9:");
        assert_eq!(got[at("lähellä") + 1], "12:reunaa");
        assert!(wrap_width(&split(&text).lines) >= 58);
    }
}
