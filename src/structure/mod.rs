//! Stage 4: blocks -> agreement tree.
//!
//! Splits the blocks into agreements (at a cover page, or where chapter numbering starts
//! again), agreements into chapters, and chapters into prose and tables. Tables are read
//! with the results-table grammar ("Tavoite YYYY", "Mittayksikkö", "Tav YYYY") and their
//! heading rows are given levels (see `Tree::place_chain`). Every line used is marked
//! placed; whatever cannot be read is named in a warning. Ids are left empty here and
//! assigned by [`crate::normalize`].

mod agreements;
mod cells;
mod chapters;
mod indicators;
mod levels;
mod table;
mod typography;

use crate::blocks::Block;
use crate::grammar;
use crate::lines::{Dialect, Lines};
use crate::model::{Agreement, Source, Warning, WarningCode};
use crate::text::para_text;

use agreements::{agreement, split_agreements, Part};

/// What this stage produced.
pub struct Built {
    pub agreements: Vec<Agreement>,
    pub warnings: Vec<Warning>,
    /// Per line: its text is in the output.
    pub placed: Vec<bool>,
    /// Per line: named by a specific warning.
    pub warned: Vec<bool>,
    /// Per line: a table's column headings ("Vaikuttavuustavoite  Ministeriö"), which
    /// the model's fields stand for: layout, like a running header.
    pub column_headings: Vec<bool>,
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
    /// See [`Built::column_headings`].
    column_headings: Vec<bool>,
    warnings: Vec<Warning>,
    max_depth: u32,
    too_deep: Option<(u32, u32)>,
    /// Right edges of a PDF's columns (empty for a text dump).
    edges: &'a std::collections::HashMap<i32, f32>,
    /// How this document sets an indicator name that follows another's values.
    name_styles: &'a [typography::Style],
    /// The document's wrap width, computed the first time a stage asks for it (see
    /// [`Ctx::wrap_width`]).
    wrap_width: &'a std::sync::OnceLock<usize>,
}

impl<'a> Ctx<'a> {
    /// The text of line `i`, borrowed from the lines rather than from the context.
    fn text(&self, i: usize) -> &'a str {
        self.lines.lines[i].text()
    }

    fn para(&self, p: &[usize]) -> String {
        para_text(self.lines, p)
    }

    /// The width the document's lines wrap at ([`crate::dialect::flow::wrap_width`] of
    /// all its lines), read once per document: tables and agreements ask for it again.
    fn wrap_width(&self) -> usize {
        *self
            .wrap_width
            .get_or_init(|| crate::dialect::flow::wrap_width(&self.lines.lines))
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
    fn note(&mut self, code: WarningCode, message: String, line: usize) {
        let l = &self.lines.lines[line];
        self.warnings.push(Warning {
            code,
            message,
            line: Some(l.number),
            page: Some(l.page),
        });
    }

    /// A warning about `lines`, which are then not reported again as unplaced.
    fn warn(&mut self, code: WarningCode, message: String, lines: &[usize]) {
        for &i in lines {
            self.warned[i] = true;
        }
        // The first in the input: a `-layout` dump's cells can come out of order.
        let first = lines
            .iter()
            .map(|&i| &self.lines.lines[i])
            .min_by_key(|l| l.number);
        self.warnings.push(Warning {
            code,
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

/// In a document that shows typography, a chapter heading of one level is set like the
/// first heading of that level: a numbered line set otherwise (a numbered results-table
/// row, a numbered list item) is not a chapter heading. Text dumps show no typography,
/// and keep every candidate.
fn drop_off_style_headings(
    lines: &Lines,
    blocks: &[Block],
    headings: &mut [Option<(String, String)>],
) {
    let mut first: Vec<(u32, f32, bool)> = Vec::new();
    // Styles already shown not to be a heading's: a deeper level met for the first time
    // in one of them is no heading either ("2.1.1 …" set like the rows "1. …", "1.1 …").
    let mut refused: Vec<(f32, bool)> = Vec::new();
    for (b, heading) in blocks.iter().zip(headings.iter_mut()) {
        let Some((number, _)) = heading.as_ref().filter(|h| !h.0.starts_with("Liite")) else {
            continue;
        };
        let line = &lines.lines[b.first()];
        let (Some(size), Some(bold)) = (line.font_size, line.bold) else {
            continue;
        };
        let level = grammar::chapter_level(number);
        let like = |s: f32, w: bool| (s - size).abs() <= 0.5 && w == bold;
        match first.iter().find(|f| f.0 == level) {
            Some(&(_, s, w)) if !like(s, w) => {
                refused.push((size, bold));
                *heading = None;
            }
            Some(_) => {}
            None if refused.iter().any(|&(s, w)| like(s, w)) => *heading = None,
            None => first.push((level, size, bold)),
        }
    }
}

/// In a text dump, which shows no typography, a results table's numbered rows ("1.",
/// "1.1", "2.") read as chapter headings. The dump's own grammar and sequence tell them
/// apart: after a table caption, up to the next chapter heading, a "1" written otherwise
/// than the document writes its chapters ("1." among "1 Title", "3 Title") starts the
/// table's rows, and a number under a row's number or next to it is a row too ("1.1"
/// or "2." after the row "1.", a top-level one written alike). Anything else stays a
/// chapter heading, as before: only what the document shows to be a row is taken.
fn drop_rows_numbered_in_tables(
    lines: &Lines,
    blocks: &[Block],
    headings: &mut [Option<(String, String)>],
) {
    // How the document writes its top-level chapter numbers: "1 Title" or "1. Title".
    let mut dotted: Option<bool> = None;
    // The last row dropped, and how the table writes its top-level row numbers.
    let mut row: Option<Vec<u32>> = None;
    let mut row_dot: Option<bool> = None;
    let mut in_table = false;
    // The number of the last chapter heading kept.
    let mut chapter: Option<Vec<u32>> = None;
    // The block above opened with a number ending in a dot ("1.1.1."), where a number
    // too wide for its column wraps.
    let mut above_dotted = false;
    for (b, heading) in blocks.iter().zip(headings.iter_mut()) {
        let line = &lines.lines[b.first()];
        // Weight is what a PDF's lines show and a dump's never do.
        if line.bold.is_some() {
            return;
        }
        let wrapped =
            std::mem::replace(&mut above_dotted, grammar::number_ends_in_dot(line.text()));
        let Some((number, _)) = heading.as_ref() else {
            let single = b.single_line().is_some();
            in_table |= single && grammar::caption(line.text()).is_some();
            let Some(number) = bare_number(line.text()).filter(|_| single) else {
                continue;
            };
            let tail = wrapped && grammar::wrapped_number_tail(line.text(), true).is_some();
            if let Some(r) = row.as_mut().filter(|_| tail) {
                // The tail of the row number above ("1.1" under "6.1.1."): the row goes
                // deeper, its numbering stays.
                r.extend(number);
            } else if in_table {
                // A row's number in a column of its own, beside its title: a row too.
                if number.len() == 1 {
                    row_dot = Some(true);
                }
                row = Some(number);
            }
            continue;
        };
        if number.starts_with("Liite") {
            (row, row_dot, in_table) = (None, None, false);
            continue;
        }
        let Some(parts) = grammar::number_parts(number) else {
            continue;
        };
        let dot = line.text().trim_start()[number.len()..].starts_with('.');
        let k = parts.len();
        let row_like = row.as_ref().is_some_and(|r| {
            let under = parts.starts_with(r);
            let next = k <= r.len() && parts[..k - 1] == r[..k - 1] && parts[k - 1] == r[k - 1] + 1;
            (under || next) && (k > 1 || row_dot == Some(dot))
        });
        // Rows are numbered from 1; a chapter written otherwise elsewhere is no row.
        let other_format = parts == [1] && dotted.is_some_and(|d| d != dot);
        // A "1" restarts the numbering, as the next agreement of a file does.
        let out_of_sequence = parts != [1] && chapter.as_ref().is_some_and(|c| !follows(c, &parts));
        if in_table && (row_like || other_format || out_of_sequence) {
            *heading = None;
            if k == 1 {
                row_dot = Some(dot);
            }
            row = Some(parts);
            continue;
        }
        if k == 1 {
            dotted = dotted.or(Some(dot));
        }
        chapter = Some(parts);
        (row, row_dot, in_table) = (None, None, false);
    }
}

/// The parts of a row number standing alone ("4.", "4.1.2"; see
/// [`grammar::bare_row_number`]).
fn bare_number(text: &str) -> Option<Vec<u32>> {
    grammar::bare_row_number(text)?;
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    grammar::number_parts(&digits)
}

/// Whether chapter number `next` can follow `last`: its first subchapter ("4" -> "4.1")
/// or a later sibling of it or of a chapter above it ("4.2" -> "4.3", "5"; numbers may
/// be skipped).
fn follows(last: &[u32], next: &[u32]) -> bool {
    let k = next.len();
    let child = k == last.len() + 1 && next.starts_with(last) && next[k - 1] == 1;
    let sibling = k <= last.len() && next[..k - 1] == last[..k - 1] && next[k - 1] > last[k - 1];
    child || sibling
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
    let mut headings: Vec<Option<(String, String)>> = blocks
        .iter()
        .map(|b| grammar::chapter_heading(lines.lines[b.single_line()?].text()))
        .collect();
    drop_off_style_headings(lines, blocks, &mut headings);
    drop_rows_numbered_in_tables(lines, blocks, &mut headings);
    let name_styles = cells::document_name_styles(lines, blocks);
    let wrap_width = std::sync::OnceLock::new();
    let ctx = |placed: Vec<bool>, warned: Vec<bool>| Ctx {
        lines,
        blocks,
        headings: &headings,
        column_headings: vec![false; placed.len()],
        placed,
        warned,
        warnings: Vec::new(),
        max_depth: max_depth.min(crate::limits::DEPTH_CEILING),
        too_deep: None,
        edges: &edges,
        name_styles: &name_styles,
        wrap_width: &wrap_width,
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
        column_headings: vec![false; n],
        too_deep: None,
    };
    for (a, c) in built {
        out.agreements.push(a);
        out.warnings.extend(c.warnings);
        for (all, one) in [
            (&mut out.placed, c.placed),
            (&mut out.warned, c.warned),
            (&mut out.column_headings, c.column_headings),
        ] {
            for (x, y) in all.iter_mut().zip(one) {
                *x |= y;
            }
        }
        out.too_deep = out.too_deep.or(c.too_deep);
    }
    out
}

fn short(text: &str) -> String {
    let mut s: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod test_support {
    use super::build;
    use crate::lines::{Dialect, Line, LineKind, Lines};
    use crate::model::Agreement;

    /// A PDF-like results table: `rows` are (text, size, face, indent) lines, the face
    /// any of "b" (bold), "i" (italic) and "s" (shaded), "" a block break, after a cover and a chapter heading in plain 10 pt.
    pub(super) fn table(rows: &[(&str, f32, &str, f32)]) -> Agreement {
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
                // "s": on a dark fill.
                line.shade = face.contains('s').then_some(60);
                // 5 pt per character, 12 pt per line down the page.
                let top = 800.0 - 12.0 * n as f32;
                // Cells joined at wide gaps ("2024    2025"), as the layout stage keeps
                // them: 5 pt per character from the indent.
                if text.contains("    ") {
                    let mut at = 0;
                    for part in text.split("    ") {
                        let lead = part.len() - part.trim_start().len();
                        let left = indent + 5.0 * (at + lead) as f32;
                        let width = 5.0 * part.trim().chars().count() as f32;
                        if !part.trim().is_empty() {
                            line.parts.push([left, left + width]);
                        }
                        at += part.chars().count() + 4;
                    }
                }
                line.bbox = (!text.is_empty()).then(|| {
                    [
                        indent,
                        top - 10.0,
                        indent + 5.0 * text.chars().count() as f32,
                        top,
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

    pub(super) const BREAK: (&str, f32, &str, f32) = ("", 0.0, "", 0.0);
}

#[cfg(test)]
mod tests {
    use crate::{convert_bytes, Options};

    #[test]
    fn in_a_dump_a_tables_numbered_rows_are_rows_and_the_next_chapter_a_chapter() {
        let text = "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
                    1 Tehtävät\n\nProosaa.\n\n3 Tulostavoitteet\n\nTaulukko: Tulostavoitteet\n\n\
                    1. Linja yksi\n\n1.1 Tavoite\n\nTavoite 2027 Teksti.\n\n\
                    2. Linja kaksi\n\n2.1 Tavoite\n\nTavoite 2027 Teksti.\n\n\
                    4 Voimavarojen hallinta\n\nProosaa.\n\n";
        let doc = convert_bytes("d.txt", text.as_bytes(), &Options::default()).expect("converts");
        assert_eq!(doc.agreements.len(), 1);
        let a = &doc.agreements[0];
        let lines: Vec<&str> = a.strategic_lines.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(lines, ["Linja yksi", "Linja kaksi"]);
        assert_eq!(a.strategic_lines[1].goals[0].targets.len(), 1);
        let chapters: Vec<Option<&str>> = a.chapters.iter().map(|c| c.number.as_deref()).collect();
        assert_eq!(chapters, [Some("1"), Some("3"), Some("4")]);
    }

    #[test]
    fn a_row_number_in_a_column_of_its_own_keeps_the_rows_numbering() {
        // Top-level row numbers stand alone beside their titles: without them, the
        // row "5." after "4.1" would be the chapter after "3 Tulostavoitteet".
        let mut text = String::from(
            "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
             1 Tehtävät\n\nProosaa.\n\n3 Tulostavoitteet\n\nTaulukko: Tulostavoitteet\n\n",
        );
        for n in 1..=4 {
            text += &format!("{n}.\n\nLinja {n}\n\n{n}.1 Tavoite\n\nTavoite 2027 Teksti.\n\n");
        }
        text += "5. Linja viisi\n\n5.1 Tavoite\n\nTavoite 2027 Teksti.\n\n\
                 4 Voimavarojen hallinta\n\nProosaa.\n\n";
        let doc = convert_bytes("d.txt", text.as_bytes(), &Options::default()).expect("converts");
        let a = &doc.agreements[0];
        let chapters: Vec<Option<&str>> = a.chapters.iter().map(|c| c.number.as_deref()).collect();
        assert_eq!(chapters, [Some("1"), Some("3"), Some("4")]);
        let lines: Vec<&str> = a.strategic_lines.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(lines.last(), Some(&"Linja viisi"), "{lines:?}");
    }

    #[test]
    fn a_wrapped_row_number_tail_keeps_the_rows_numbering() {
        // "3.1.1." wrapped, its tail "1.2" on a line of its own: the row is 3.1.1.1.2,
        // and the numbering goes on, so that "4." is a row, not the chapter after
        // "2 Tulostavoitteet".
        let mut text = String::from(
            "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
             1 Tehtävät\n\nProosaa.\n\n2 Tulostavoitteet\n\nTaulukko: Tulostavoitteet\n\n",
        );
        for n in 1..=2 {
            text += &format!("{n}. Linja {n}\n\n{n}.1 Tavoite\n\nTavoite 2027 Teksti.\n\n");
        }
        text += "3. Linja 3\n\n3.1 Tavoite\n\n3.1.1 Alatavoite\n\n3.1.1. Syvä tavoite\n\n1.2\n\n\
                 Tavoite 2027 Teksti.\n\n\
                 4. Linja 4\n\n4.1 Tavoite\n\nTavoite 2027 Teksti.\n\n\
                 3 Voimavarojen hallinta\n\nProosaa.\n\n";
        let doc = convert_bytes("d.txt", text.as_bytes(), &Options::default()).expect("converts");
        let a = &doc.agreements[0];
        let chapters: Vec<Option<&str>> = a.chapters.iter().map(|c| c.number.as_deref()).collect();
        assert_eq!(chapters, [Some("1"), Some("2"), Some("3")]);
        let lines: Vec<&str> = a.strategic_lines.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(lines.last(), Some(&"Linja 4"), "{lines:?}");
    }

    #[test]
    fn a_cover_line_that_ends_early_ends_the_agencys_name_and_starts_its_scope() {
        let cover = |agency: &str| {
            let text = format!(
                "Ministeriö\nja\n{agency}\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
                 1 Tehtävät\n\nViraston tehtävänä on hoitaa sille säädetyt tehtävät tehokkaasti ja\n\
                 asiakaslähtöisesti yhteistyössä muiden viranomaisten kanssa koko maassa ja\n\
                 kansainvälisesti niin, että palvelut ovat saatavilla kaikille tasapuolisesti.\n\n"
            );
            let doc =
                convert_bytes("d.txt", text.as_bytes(), &Options::default()).expect("converts");
            let a = doc.agreements.into_iter().next().expect("agreement");
            (a.agency, a.scope)
        };
        let some = |a: &str, s: Option<&str>| (Some(a.to_owned()), s.map(str::to_owned));
        // "Valvonta" would have fitted after "Virasto": the break was set on purpose.
        assert_eq!(
            cover("Virasto\nValvonta-ala"),
            some("Virasto", Some("Valvonta-ala"))
        );
        assert_eq!(
            cover("Virasto, valvonta-ala"),
            some("Virasto", Some("valvonta-ala"))
        );
        // Without the page, a short line going on in lower case may be a narrow cover's
        // wrap: one name.
        assert_eq!(
            cover("Virasto\nvalvonta-ala"),
            some("Virasto valvonta-ala", None)
        );
    }

    #[test]
    fn in_a_table_that_numbers_its_rows_a_sentence_below_a_row_describes_it() {
        let text = "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
                    1 Tehtävät\n\nProosaa.\n\n3 Tulostavoitteet\n\nTaulukko: Tulostavoitteet\n\n\
                    1.\n\nLinja yksi\n\nLinjan kuvaus on lause.\n\n1.1\n\nTavoite alin\n\nTavoite 2027 Teksti.\n\n\
                    2.\n\nLinja kaksi\n\n2.1\n\nToinen tavoite\n\nTavoite 2027 Teksti.\n\n\
                    4 Voimavarojen hallinta\n\nProosaa.\n\n";
        let doc = convert_bytes("d.txt", text.as_bytes(), &Options::default()).expect("converts");
        let a = &doc.agreements[0];
        let line = &a.strategic_lines[0];
        assert_eq!(line.description.as_deref(), Some("Linjan kuvaus on lause."));
        let goals: Vec<&str> = line.goals.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(goals, ["Tavoite alin"]);
    }

    #[test]
    fn a_grid_of_bare_years_that_ends_the_table_is_its_last_indicators() {
        // No label after the last unit label: the years below it, one cell or one line
        // each, and their values are still the table's.
        let text = "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
                    1 Tehtävät\n\nProosaa.\n\n4 Liitteet\n\nLiite 1 Seurantamittarit\n\nRyhmä\n\n\
                    Mittari yksi\nMittayksikkö:\nkpl\n\nTot 2026\n5\n\n\
                    Mittari kaksi\nMittayksikkö:\n%\n\n2026\n\n2027\n19500\n\n2028\n\n2029\n2030\n";
        let doc = convert_bytes("d.txt", text.as_bytes(), &Options::default()).expect("converts");
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        let last = &doc.agreements[0].monitoring_indicators[0].indicators[1];
        let values: Vec<(i32, Option<&str>)> = last
            .values
            .iter()
            .map(|v| (v.year, v.raw.as_deref()))
            .collect();
        assert_eq!(
            values,
            [
                (2026, None),
                (2027, Some("19500")),
                (2028, None),
                (2029, None),
                (2030, None)
            ]
        );
    }

    #[test]
    fn a_name_right_under_a_lone_year_label_is_the_next_indicators() {
        // A grid stacked label by label, its last value unset, the next indicator's
        // name on the line below it.
        let text = "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
                    1 Tehtävät\n\nProosaa.\n\n3 Tulostavoitteet\n\nTaulukko: Tulostavoitteet\n\n\
                    Linja\n\nTavoite\n\nTavoite 2027 Teksti.\n\n\
                    Ensimmäinen mittari\nMittayksikkö %\nTav 2027 79\nTav 2028\n\
                    Avattujen tietoaineistojen määrä: valvonta\nMittayksikkö lkm\nTav 2027 65\n\n\
                    4 Voimavarojen hallinta\n\nProosaa.\n\n";
        let doc = convert_bytes("d.txt", text.as_bytes(), &Options::default()).expect("converts");
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        let goal = &doc.agreements[0].strategic_lines[0].goals[0];
        let names: Vec<&str> = goal.indicators.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Ensimmäinen mittari",
                "Avattujen tietoaineistojen määrä: valvonta"
            ]
        );
        assert_eq!(goal.indicators[0].values[1].raw, None);
    }

    #[test]
    fn a_number_out_of_the_chapters_sequence_is_a_row() {
        // The table's rows take their numbers alone on a line ("1."), so the first
        // heading-like row is "1.1.1 …": no chapter can follow "3" with that.
        let text = "Ministeriö ja Virasto\n\nMinisteriön ja viraston välinen tulossopimus 2027–2030\n\n\n\n\n\
                    1 Tehtävät\n\nProosaa.\n\n3 Tulostavoitteet\n\nTaulukko: Tulostavoitteet\n\n\
                    1.1.1 Tavoite alin\n\nTavoite 2027 Teksti.\n\n\
                    4 Voimavarojen hallinta\n\nProosaa.\n\n";
        let doc = convert_bytes("d.txt", text.as_bytes(), &Options::default()).expect("converts");
        let a = &doc.agreements[0];
        let chapters: Vec<Option<&str>> = a.chapters.iter().map(|c| c.number.as_deref()).collect();
        assert_eq!(chapters, [Some("1"), Some("3"), Some("4")]);
        assert_eq!(a.strategic_lines[0].title, "Tavoite alin");
    }

    #[test]
    fn chapter_numbers_follow_by_a_first_child_or_a_later_sibling() {
        use super::follows;
        assert!(follows(&[4], &[4, 1]));
        assert!(follows(&[4], &[5]));
        assert!(follows(&[4], &[6]), "numbers may be skipped");
        assert!(follows(&[4, 2], &[4, 3]));
        assert!(follows(&[4, 2, 1], &[5]));
        assert!(!follows(&[4], &[1, 1, 1]));
        assert!(!follows(&[4], &[4, 2]));
        assert!(!follows(&[4, 2], &[4, 1]));
        assert!(!follows(&[4], &[3]));
    }
}
