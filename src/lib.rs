//! tulossopimus: Finnish government performance agreements (tulossopimus) to
//! normalized, loss-free JSON.
//!
//! ```no_run
//! let bytes = std::fs::read("fixtures/keha-tulossopimus-2026-2029.txt").unwrap();
//! let doc = tulossopimus::convert_bytes("keha.txt", &bytes, &Default::default()).unwrap();
//! println!("{}", doc.agreements.len());
//! ```
//!
//! # Public API
//!
//! Converting:
//! - [`convert_bytes`], [`convert_file`]: one input (a text dump or a PDF) to a
//!   [`Document`], in this process;
//! - [`Options`] (strict mode, a PDF's password, [`Limits`]);
//! - [`Error`]: the input's path and an [`ErrorKind`] with a stable
//!   [`code`](ErrorKind::code);
//! - [`model`]: the output, [`Document`] and everything in it (the JSON contract);
//! - [`emit`]: the document as JSON (as the command writes it), its JSON Schema, an
//!   outline;
//! - [`worker`]: the same conversion in worker processes with a time and memory limit,
//!   for untrusted PDFs (Unix; elsewhere it converts in this process and says so).
//!
//! Around it, what the command's other subcommands are made of:
//! - [`batch`]: a directory of inputs to a directory of outputs, resumable, with a
//!   report;
//! - [`check`] and [`diff`]: a conversion against a golden file, semantically;
//! - [`editions`]: what changed between two editions of an agreement;
//! - [`score`]: a conversion scored against an expected tree;
//! - [`tables`]: documents as row tables (NDJSON, CSV; SQLite and Parquet with the
//!   feature `export`);
//! - [`limits`]: the input limits' defaults and parsing.
//!
//! # Features
//!
//! - `cli` (default): the `tulossopimus` binary (clap, indicatif) and `export`;
//! - `export`: the SQLite and Parquet writers of [`tables`] (rusqlite, parquet).
//!
//! With `default-features = false` the library converts, renders, isolates and writes
//! NDJSON and CSV tables without either.
//!
//! # Inside
//!
//! The pipeline is a module a stage (see ARCHITECTURE.md): a text dump is decoded,
//! split into lines, brought to one form whatever extractor wrote it, read into blocks,
//! then into agreements, which get stable ids. A PDF (recognized by content) is read
//! glyph by glyph and laid out into the same lines. The stages are private; the few of
//! their items that the crate's benches, tests, examples and fuzz targets call are
//! re-exported in a module hidden from the documentation, which is not API and may
//! change in any release.

pub mod batch;
mod blocks;
pub mod check;
mod contain;
mod content;
mod coverage;
mod decode;
mod dialect;
pub mod diff;
pub mod editions;
pub mod emit;
mod error;
mod furniture;
mod glyphs;
mod grammar;
mod layout;
pub mod limits;
mod lines;
mod metrics;
pub mod model;
mod normalize;
mod pdf;
mod pdf_guard;
mod scan;
pub mod score;
mod structure;
pub mod tables;
mod text;
mod warning;
pub mod worker;

/// The stages' items that the crate's benches, tests, examples and fuzz targets call,
/// by stage: not API (hidden from the documentation; may change in any release).
#[doc(hidden)]
pub mod stages {
    pub mod blocks {
        pub use crate::blocks::build;
    }
    pub mod content {
        pub use crate::content::decode;
    }
    pub mod coverage {
        pub use crate::coverage::{LineWords, Reached};
    }
    pub mod decode {
        pub use crate::decode::decode;
    }
    pub mod dialect {
        pub use crate::dialect::{normalize, read, split};
    }
    pub mod layout {
        pub use crate::layout::assemble;
    }
    pub mod lines {
        pub use crate::lines::{LineKind, Lines};
    }
    pub mod normalize {
        pub use crate::normalize::{assign_ids, sha256_hex};
    }
    pub mod pdf {
        pub use crate::pdf::{extract, extract_pages, is_pdf, read, read_limited, HEADER_WINDOW};
    }
    pub mod structure {
        pub use crate::structure::build;
    }
}

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use error::{Error, ErrorKind};
pub use limits::Limits;
pub use model::Document;
use warning::{Note, WarningCode};

/// How to convert. Serializable so that a worker process gets the same options.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct Options {
    /// Any warning makes the conversion fail.
    pub strict: bool,
    /// Password that opens an encrypted PDF (ignored for text input).
    pub password: Option<String>,
    /// Input limits, enforced by [`convert_bytes`].
    pub limits: Limits,
}

impl std::fmt::Debug for Options {
    /// The password is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("strict", &self.strict)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("limits", &self.limits)
            .finish()
    }
}

/// Converts one input given as bytes; `path` names it in the output and in errors.
///
/// Runs in this process: a PDF that overflows the PDF reader's stack aborts it. To
/// convert untrusted PDFs, use a [`worker::Pool`].
pub fn convert_bytes(path: &str, bytes: &[u8], options: &Options) -> Result<Document, Error> {
    options.limits.check_size(path, bytes.len() as u64)?;
    // The source's digest needs none of the conversion: it is taken on another core.
    let (sha256, converted) = rayon::join(
        || normalize::sha256_hex(bytes),
        || convert_unhashed(path, bytes, options),
    );
    let mut doc = converted?;
    doc.source.sha256 = sha256;
    Ok(doc)
}

/// [`convert_bytes`] but for `source.sha256`, left empty: the input read into lines,
/// the stages that are the same for every input, the lines accounted for, strict mode.
fn convert_unhashed(path: &str, bytes: &[u8], options: &Options) -> Result<Document, Error> {
    // A text dump's lines borrow from its decoded text.
    let text: std::borrow::Cow<str>;
    let prepared = if pdf::is_pdf(bytes) {
        prepare_pdf(path, bytes, options)?
    } else {
        let decoded = decode::decode(path, bytes)?;
        text = decoded.text;
        prepare_text(
            path,
            &text,
            decoded.encoding,
            decoded.notes,
            &options.limits,
        )?
    };
    options
        .limits
        .check_pages(path, u64::from(prepared.lines.pages))?;
    let (encoding, format) = (prepared.encoding, prepared.format);
    let converted = build(path, prepared, options.limits.depth())?;
    let (lines, agreements, warnings, coverage) = account(converted);
    apply_strict(path, options, &warnings)?;
    Ok(Document {
        schema_version: model::SCHEMA_VERSION,
        generator: model::GENERATOR.into(),
        source: model::SourceFile {
            path: path.into(),
            sha256: String::new(),
            format,
            encoding,
            bytes: bytes.len() as u64,
            // A PDF knows its pages; a page without text leaves no trace in the joined text.
            pages: lines.pages,
            dialect: lines.dialect,
        },
        agreements,
        warnings,
        coverage,
    })
}

/// An input read into lines: what differs between a PDF and a text dump ends here.
struct Prepared<'a> {
    lines: lines::Lines<'a>,
    encoding: decode::Encoding,
    format: model::SourceFormat,
    /// In the order they become warnings (a PDF's whole-page notes first).
    notes: Vec<Note>,
}

/// A PDF's pages laid out into lines, with notes on what of them could not be read.
fn prepare_pdf(path: &str, bytes: &[u8], options: &Options) -> Result<Prepared<'static>, Error> {
    let limits = &options.limits;
    let pdf = pdf::read_limited(path, bytes, options.password.as_deref(), limits.max_pages)?;
    let mut notes = Vec::new();
    if let Some(how) = &pdf.repaired {
        notes.push(Note::page(WarningCode::PdfRepaired, how.clone(), None));
    }
    for (page, why) in &pdf.unreadable_pages {
        notes.push(Note::page(
            WarningCode::PageUnreadable,
            format!(
                "page {page} of {} cannot be read and is left out: {why}",
                pdf.pages.len()
            ),
            Some(*page),
        ));
    }
    let assembled = layout::assemble(&pdf.pages);
    for line in &assembled.lines.lines {
        limits.check_line(path, line.number, line.raw())?;
    }
    if pdf.glyphs.unmapped > 0 {
        let pages: Vec<String> = pdf.unmapped_pages.iter().map(u32::to_string).collect();
        notes.push(Note::new(WarningCode::UnmappedGlyphs,
            format!(
                "{} of {} glyphs have no Unicode mapping (page(s) {}); their characters are missing from the text",
                pdf.glyphs.unmapped,
                pdf.glyphs.glyphs,
                pages.join(", ")
            ),
            None,
        ));
    }
    notes.extend(rotated_notes(&assembled));
    let mut lines = assembled.lines;
    // PDFs without text pages still count their pages.
    lines.pages = lines.pages.max(pdf.pages.len() as u32);
    Ok(Prepared {
        lines,
        encoding: decode::Encoding::Pdf,
        format: model::SourceFormat::Pdf,
        notes,
    })
}

/// One note per page, at its first turned line: a page scanned or set sideways turns all
/// its lines, and a note for each would bury the others.
fn rotated_notes(assembled: &layout::Assembled) -> Vec<Note> {
    let page_of = |line: u32| {
        assembled
            .lines
            .lines
            .get(line as usize - 1)
            .map_or(0, |l| l.page)
    };
    assembled
        .rotated
        .chunk_by(|&a, &b| page_of(a) == page_of(b))
        .map(|run| {
            let (first, last) = (run[0], run[run.len() - 1]);
            let lines = if run.len() == 1 {
                format!("line {first}")
            } else {
                format!("lines {first}–{last} ({})", run.len())
            };
            Note::new(WarningCode::RotatedText,
                format!(
                    "page {}: {lines} set in another direction, read in their own direction after the page's upright text",
                    page_of(first)
                ),
                Some(first),
            )
        })
        .collect()
}

/// A decoded text dump split into lines.
fn prepare_text<'a>(
    path: &str,
    text: &'a str,
    encoding: decode::Encoding,
    notes: Vec<Note>,
    limits: &Limits,
) -> Result<Prepared<'a>, Error> {
    limits.check_lines(path, text)?;
    Ok(Prepared {
        lines: dialect::split(text),
        encoding,
        format: model::SourceFormat::Text,
        notes,
    })
}

/// The stages that are the same for every input, from the lines to agreements with ids.
struct Converted<'a> {
    /// The input's lines, and the page of each for the notes that name one, counted
    /// before a `-layout` dump's lines are read into cells (several to a line).
    input_lines: u32,
    page_of: Vec<u32>,
    notes: Vec<Note>,
    /// The lines the stages read (a `-layout` dump's cells, in reading order).
    lines: lines::Lines<'a>,
    blocks: blocks::Blocks,
    /// With ids assigned to its agreements.
    built: structure::Built,
    words: coverage::LineWords,
}

/// Runs the stages from the lines to the agreements with ids; refuses a tree too deep
/// and a file without evidence of an agreement.
fn build<'a>(path: &str, prepared: Prepared<'a>, max_depth: u32) -> Result<Converted<'a>, Error> {
    let input_lines = prepared.lines.lines.len() as u32;
    let page_of: Vec<u32> = prepared.lines.lines.iter().map(|l| l.page).collect();
    let lines = dialect::normalize(prepared.lines);
    let blocks = blocks::build(&lines);
    // The lines' words, for the coverage check, are hashed on the other core meanwhile.
    let (mut built, words) = rayon::join(
        || structure::build_with_max_depth(&lines, &blocks.blocks, max_depth),
        || coverage::LineWords::new(&lines),
    );
    if let Some((depth, line)) = built.too_deep {
        return Err(Error::new(
            path,
            ErrorKind::TooDeep {
                depth,
                line,
                limit: max_depth,
            },
        ));
    }
    if !built.agreements.iter().any(evidence) {
        return Err(not_an_agreement(path, &lines, &built, &prepared.notes));
    }
    normalize::assign_ids(&mut built.agreements);
    Ok(Converted {
        input_lines,
        page_of,
        notes: prepared.notes,
        lines,
        blocks,
        built,
        words,
    })
}

/// The refusal of a file none of whose agreements shows evidence of one. The agreement
/// may be on the pages left out: the refusal says so.
fn not_an_agreement(
    path: &str,
    lines: &lines::Lines,
    built: &structure::Built,
    notes: &[Note],
) -> Error {
    let left_out: Vec<u32> = notes
        .iter()
        .filter(|n| n.code == WarningCode::PageUnreadable)
        .filter_map(|n| n.page)
        .collect();
    let unread = match left_out.len() {
        0 => String::new(),
        _ => format!(
            "; page(s) {} could not be read and were left out",
            pdf::page_runs(&left_out)
        ),
    };
    Error::new(path, ErrorKind::NotAnAgreement { detail: format!(
            "{} lines, {} chapter heading(s); no target (Tavoite YYYY), no indicator (Mittayksikkö) and no cover with the agreement's title and both parties{unread}",
            lines.lines.len(),
            built.agreements.iter().map(|a| a.chapters.len()).sum::<usize>()
        ) })
}

/// Every warning, sorted, and the coverage: the notes and the structure's warnings,
/// then an `unplaced_line` for each content line whose text did not reach the output.
fn account(
    c: Converted,
) -> (
    lines::Lines,
    Vec<model::Agreement>,
    Vec<model::Warning>,
    model::Coverage,
) {
    let mut warnings: Vec<model::Warning> = c
        .notes
        .into_iter()
        .map(|n| warning_of(n, &c.page_of))
        .collect();
    // A structure warning about several lines names the first; the others get their
    // own `unplaced_line`, so that every warned line is named with its text.
    let named: std::collections::HashSet<u32> =
        c.built.warnings.iter().filter_map(|w| w.line).collect();
    warnings.extend(c.built.warnings);
    let reached =
        coverage::Reached::with_lines(&c.built.agreements, &c.lines, &c.words, &c.blocks.furniture);
    let mut state = vec![LineState::Blank; c.input_lines as usize + 1];
    for (i, line) in c.lines.lines.iter().enumerate() {
        if line.kind != lines::LineKind::Text {
            continue;
        }
        let s = if c.blocks.furniture[i] || c.built.column_headings[i] {
            LineState::Furniture
        } else if c.built.placed[i] && reached.line_at(&c.words, i, line.text()) {
            LineState::Placed
        } else {
            if !(c.built.warned[i] && named.contains(&line.number)) {
                warnings.push(unplaced(line, c.built.placed[i]));
            }
            LineState::Warned
        };
        if let Some(at) = state.get_mut(line.number as usize) {
            *at = (*at).max(s);
        }
    }
    warnings.sort_by_key(|w| (w.line.unwrap_or(0), w.code.as_str()));
    let coverage = coverage_of(c.input_lines, &state);
    (c.lines, c.built.agreements, warnings, coverage)
}

/// The warning a note becomes, with the page of its line from `page_of` (per input
/// line, 0-based) unless it is about a whole page.
fn warning_of(note: Note, page_of: &[u32]) -> model::Warning {
    let page = note
        .page
        .or_else(|| note.line.and_then(|l| page_of.get(l as usize - 1).copied()));
    model::Warning {
        code: note.code,
        message: note.message,
        line: note.line,
        page,
    }
}

/// What coverage counts an input line as. A line read into several cells (`-layout`)
/// counts as the greatest of its cells': warned when any of them is, else placed when
/// any is, else furniture. A line counts as placed only when its words reached the
/// output (`coverage`): what a stage meant to place is not enough.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum LineState {
    Blank,
    Furniture,
    Placed,
    Warned,
}

/// The warning for a content line whose text is not in the output.
fn unplaced(line: &lines::Line, placed: bool) -> model::Warning {
    let message = if placed {
        format!(
            "line read, but its text is not in the output: {:?}",
            line.text()
        )
    } else {
        format!("line not placed in the tree: {:?}", line.text())
    };
    model::Warning {
        code: WarningCode::UnplacedLine,
        message,
        line: Some(line.number),
        page: Some(line.page),
    }
}

/// The coverage of the input lines, from the state of each (index 0 unused).
fn coverage_of(input_lines: u32, state: &[LineState]) -> model::Coverage {
    let count = |s: LineState| state.iter().filter(|&&x| x == s).count() as u32;
    model::Coverage {
        lines: input_lines,
        content_lines: state.iter().filter(|&&x| x != LineState::Blank).count() as u32,
        placed_lines: count(LineState::Placed),
        furniture_lines: count(LineState::Furniture),
        warned_lines: count(LineState::Warned),
    }
}

/// In strict mode, any warning fails the conversion, named by the first.
fn apply_strict(path: &str, options: &Options, warnings: &[model::Warning]) -> Result<(), Error> {
    match warnings.first() {
        Some(w) if options.strict => Err(Error::new(
            path,
            ErrorKind::Strict {
                count: warnings.len(),
                line: w.line.map_or("-".into(), |l| l.to_string()),
                first: format!("{}: {}", w.code, w.message),
            },
        )),
        _ => Ok(()),
    }
}

/// Real evidence that `a` is a performance agreement, which a file needs in at least
/// one of its agreements to be converted (issue 17): its results table, that is a
/// target (`Tavoite YYYY`) or an indicator (read only where a `Mittayksikkö` cell
/// follows its name) anywhere, or its cover: the title that names the agreement and its
/// years, with both parties (the ministry and the agency; a cover reads any block after
/// the title as the agency, so the ministry is what shows the parties). Headings,
/// chapters, impact goals or a title alone are what other documents have too: a
/// financial statement read as one strategic line with nothing under it, a bill's
/// numbered chapters.
fn evidence(a: &model::Agreement) -> bool {
    fn goal_has(g: &model::Goal) -> bool {
        !g.targets.is_empty() || !g.indicators.is_empty() || g.goals.iter().any(goal_has)
    }
    let table = a
        .strategic_lines
        .iter()
        .any(|l| !l.targets.is_empty() || !l.indicators.is_empty() || l.goals.iter().any(goal_has));
    let indicators = !a.resource_indicators.is_empty()
        || a.monitoring_indicators
            .iter()
            .any(|g| !g.indicators.is_empty());
    let cover = a.title.is_some() && a.ministry.is_some() && a.agency.is_some();
    table || indicators || cover
}

/// Reads and converts one file; the path is reported as given. A file over
/// [`Limits::max_input_bytes`] is refused before it is read.
pub fn convert_file(path: &Path, options: &Options) -> Result<Document, Error> {
    let name = path.display().to_string();
    let bytes = options.limits.read_file(&name, path)?;
    convert_bytes(&name, &bytes, options)
}
