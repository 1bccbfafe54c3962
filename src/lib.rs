//! tulossopimus: Finnish government performance agreements (tulossopimus) to
//! normalized, loss-free JSON.
//!
//! The pipeline, one module a stage (see ARCHITECTURE.md):
//!
//! bytes -> [`decode`] -> [`lines`] -> [`blocks`] -> [`structure`] -> [`normalize`] -> [`emit`]
//!
//! A PDF (recognized by content) goes through [`pdf`] instead of [`decode`]: its pages'
//! plain text, joined like a text dump, continues through the same stages.
//!
//! ```no_run
//! let bytes = std::fs::read("fixtures/keha-tulossopimus-2026-2029.txt").unwrap();
//! let doc = tulossopimus::convert_bytes("keha.txt", &bytes, &Default::default()).unwrap();
//! println!("{}", doc.agreements.len());
//! ```

pub mod batch;
pub mod blocks;
pub mod check;
mod contain;
pub mod content;
pub mod coverage;
pub mod decode;
pub mod diff;
pub mod editions;
pub mod emit;
mod error;
pub mod flow;
pub mod glyphs;
pub mod grammar;
pub mod layout;
pub mod limits;
pub mod lines;
pub mod model;
pub mod normalize;
pub mod pdf;
mod pdf_guard;
pub mod pdftotext;
mod scan;
pub mod score;
pub mod structure;
pub mod tables;
pub mod text;
pub mod worker;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use error::Error;
pub use limits::Limits;
pub use model::Document;

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

/// [`convert_bytes`] but for `source.sha256`, left empty.
fn convert_unhashed(path: &str, bytes: &[u8], options: &Options) -> Result<Document, Error> {
    let limits = &options.limits;
    // A text dump's lines borrow from its decoded text.
    let text: std::borrow::Cow<str>;
    // Warnings about whole pages of a PDF (not read, or read from a repaired file).
    let mut page_warnings: Vec<model::Warning> = Vec::new();
    let (lines, encoding, notes, format) = if pdf::is_pdf(bytes) {
        let pdf = pdf::read_limited(path, bytes, options.password.as_deref(), limits.max_pages)?;
        if let Some(how) = &pdf.repaired {
            page_warnings.push(model::Warning {
                code: "pdf_repaired".into(),
                message: how.clone(),
                line: None,
                page: None,
            });
        }
        for (page, why) in &pdf.unreadable_pages {
            page_warnings.push(model::Warning {
                code: "page_unreadable".into(),
                message: format!(
                    "page {page} of {} cannot be read and is left out: {why}",
                    pdf.pages.len()
                ),
                line: None,
                page: Some(*page),
            });
        }
        let assembled = layout::assemble(&pdf.pages);
        for line in &assembled.lines.lines {
            limits.check_line(path, line.number, line.raw())?;
        }
        let mut notes: Vec<(&'static str, String, Option<u32>)> = Vec::new();
        if pdf.glyphs.unmapped > 0 {
            let pages: Vec<String> = pdf.unmapped_pages.iter().map(u32::to_string).collect();
            notes.push((
                "unmapped_glyphs",
                format!(
                    "{} of {} glyphs have no Unicode mapping (page(s) {}); their characters are missing from the text",
                    pdf.glyphs.unmapped,
                    pdf.glyphs.glyphs,
                    pages.join(", ")
                ),
                None,
            ));
        }
        // One warning per page, at its first turned line: a page scanned or set sideways
        // turns all its lines, and a warning for each would bury the others.
        let page_of = |line: u32| {
            assembled
                .lines
                .lines
                .get(line as usize - 1)
                .map_or(0, |l| l.page)
        };
        for run in assembled
            .rotated
            .chunk_by(|&a, &b| page_of(a) == page_of(b))
        {
            let (first, last) = (run[0], run[run.len() - 1]);
            let lines = if run.len() == 1 {
                format!("line {first}")
            } else {
                format!("lines {first}–{last} ({})", run.len())
            };
            notes.push((
                "rotated_text",
                format!(
                    "page {}: {lines} set in another direction, read in their own direction after the page's upright text",
                    page_of(first)
                ),
                Some(first),
            ));
        }
        let mut lines = assembled.lines;
        // PDFs without text pages still count their pages.
        lines.pages = lines.pages.max(pdf.pages.len() as u32);
        (
            lines,
            decode::Encoding::Pdf,
            notes,
            model::SourceFormat::Pdf,
        )
    } else {
        let decoded = decode::decode(path, bytes)?;
        text = decoded.text;
        limits.check_lines(path, &text)?;
        (
            lines::split(&text),
            decoded.encoding,
            decoded.notes,
            model::SourceFormat::Text,
        )
    };
    limits.check_pages(path, u64::from(lines.pages))?;
    // The input's lines and the page of each, for the notes that name one, before a
    // `-layout` dump's lines are read into cells (several to a line, in reading order).
    let input_lines = lines.lines.len() as u32;
    let page_of: Vec<u32> = lines.lines.iter().map(|l| l.page).collect();
    let lines = pdftotext::cells(lines);
    let blocks = blocks::build(&lines);
    // The lines' words, for the coverage check, are hashed on the other core meanwhile.
    let (built, words) = rayon::join(
        || structure::build_with_max_depth(&lines, &blocks.blocks, limits.depth()),
        || coverage::LineWords::new(&lines),
    );
    if let Some((depth, line)) = built.too_deep {
        return Err(Error::TooDeep {
            path: path.into(),
            depth,
            line,
            limit: limits.depth(),
        });
    }
    let mut agreements = built.agreements;
    let found = agreements.iter().any(evidence);
    if !found {
        // The agreement may be on the pages left out: the refusal says so.
        let left_out: Vec<u32> = page_warnings
            .iter()
            .filter(|w| w.code == "page_unreadable")
            .filter_map(|w| w.page)
            .collect();
        let unread = match left_out.len() {
            0 => String::new(),
            _ => format!(
                "; page(s) {} could not be read and were left out",
                pdf::page_runs(&left_out)
            ),
        };
        return Err(Error::NotAnAgreement {
            path: path.into(),
            detail: format!(
                "{} lines, {} chapter heading(s); no target (Tavoite YYYY), no indicator (Mittayksikkö) and no cover with the agreement's title and both parties{unread}",
                lines.lines.len(),
                agreements.iter().map(|a| a.chapters.len()).sum::<usize>()
            ),
        });
    }
    normalize::assign_ids(&mut agreements);

    let mut warnings: Vec<model::Warning> = page_warnings;
    warnings.extend(notes.iter().map(|(code, message, line)| model::Warning {
        code: (*code).into(),
        message: message.clone(),
        line: *line,
        page: line.and_then(|l| page_of.get(l as usize - 1).copied()),
    }));
    // A structure warning about several lines names the first; the others get their
    // own `unplaced_line` below, so that every warned line is named with its text.
    let named: std::collections::HashSet<u32> =
        built.warnings.iter().filter_map(|w| w.line).collect();
    warnings.extend(built.warnings);
    // Coverage counts input lines: a line read into several cells (`-layout`) is warned
    // when any of its cells is, else placed when any is, else furniture. A line counts
    // as placed only when its words reached the output (`coverage`): what a stage
    // meant to place is not enough.
    const FURNITURE: u8 = 1;
    const PLACED: u8 = 2;
    const WARNED: u8 = 3;
    let mut state = vec![0u8; input_lines as usize + 1];
    let reached = coverage::Reached::new(&agreements);
    for (i, line) in lines.lines.iter().enumerate() {
        if line.kind != lines::LineKind::Text {
            continue;
        }
        let s = if blocks.furniture[i] {
            FURNITURE
        } else if built.placed[i] && reached.line_at(&words, i, line.text()) {
            PLACED
        } else {
            if !(built.warned[i] && named.contains(&line.number)) {
                let message = if built.placed[i] {
                    format!(
                        "line read, but its text is not in the output: {:?}",
                        line.text()
                    )
                } else {
                    format!("line not placed in the tree: {:?}", line.text())
                };
                warnings.push(model::Warning {
                    code: "unplaced_line".into(),
                    message,
                    line: Some(line.number),
                    page: Some(line.page),
                });
            }
            WARNED
        };
        if let Some(at) = state.get_mut(line.number as usize) {
            *at = (*at).max(s);
        }
    }
    let count = |s: u8| state.iter().filter(|&&x| x == s).count() as u32;
    let coverage = model::Coverage {
        lines: input_lines,
        content_lines: state.iter().filter(|&&x| x > 0).count() as u32,
        placed_lines: count(PLACED),
        furniture_lines: count(FURNITURE),
        warned_lines: count(WARNED),
    };
    warnings.sort_by_key(|w| (w.line.unwrap_or(0), w.code.clone()));
    if options.strict && !warnings.is_empty() {
        let w = &warnings[0];
        return Err(Error::Strict {
            path: path.into(),
            count: warnings.len(),
            line: w.line.map_or("-".into(), |l| l.to_string()),
            first: format!("{}: {}", w.code, w.message),
        });
    }
    Ok(Document {
        schema_version: model::SCHEMA_VERSION,
        generator: model::GENERATOR.into(),
        source: model::SourceFile {
            path: path.into(),
            sha256: String::new(),
            format,
            encoding: encoding.name().into(),
            bytes: bytes.len() as u64,
            // A PDF knows its pages; a page without text leaves no trace in the joined text.
            pages: lines.pages,
            dialect: lines.dialect.name().into(),
        },
        agreements,
        warnings,
        coverage,
    })
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
