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
pub mod decode;
pub mod diff;
pub mod editions;
pub mod emit;
mod error;
pub mod grammar;
pub mod lines;
pub mod model;
pub mod normalize;
pub mod pdf;
mod pdf_guard;
pub mod structure;
pub mod tables;
pub mod text;

use std::path::Path;

pub use error::Error;
pub use model::Document;

/// How to convert.
#[derive(Clone, Default)]
pub struct Options {
    /// Any warning makes the conversion fail.
    pub strict: bool,
    /// Password that opens an encrypted PDF (ignored for text input).
    pub password: Option<String>,
}

impl std::fmt::Debug for Options {
    /// The password is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("strict", &self.strict)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Converts one input given as bytes; `path` names it in the output and in errors.
pub fn convert_bytes(path: &str, bytes: &[u8], options: &Options) -> Result<Document, Error> {
    let (decoded, format, pdf_pages) = if pdf::is_pdf(bytes) {
        let pdf = pdf::extract(path, bytes, options.password.as_deref())?;
        let count = pdf.pages.len() as u32;
        // The pages joined by a blank line: the pdf-extract text-dump form.
        let mut text = decode::extracted(pdf.pages.join("\n\n"));
        if pdf.glyphs.unmapped > 0 {
            let pages: Vec<String> = pdf.unmapped_pages.iter().map(u32::to_string).collect();
            text.notes.push((
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
        (text, model::SourceFormat::Pdf, Some(count))
    } else {
        let text = decode::decode(path, bytes)?;
        (text, model::SourceFormat::Text, None)
    };
    let lines = lines::split(&decoded.text);
    let blocks = blocks::build(&lines);
    let built = structure::build(&lines, &blocks.blocks);
    let mut agreements = built.agreements;
    let found = agreements.iter().any(|a| {
        a.title.is_some()
            || !a.strategic_lines.is_empty()
            || !a.resource_indicators.is_empty()
            || !a.monitoring_indicators.is_empty()
            || !a.impact_goals.is_empty()
    });
    if !found {
        return Err(Error::NotAnAgreement {
            path: path.into(),
            detail: format!(
                "{} lines, {} chapter heading(s), no cover page, results table or impact goals",
                lines.lines.len(),
                agreements.iter().map(|a| a.chapters.len()).sum::<usize>()
            ),
        });
    }
    normalize::assign_ids(&mut agreements);

    let mut warnings: Vec<model::Warning> = decoded
        .notes
        .iter()
        .map(|(code, message, line)| model::Warning {
            code: (*code).into(),
            message: message.clone(),
            line: *line,
            page: line
                .and_then(|l| lines.lines.get(l as usize - 1))
                .map(|l| l.page),
        })
        .collect();
    // A structure warning about several lines names the first; the others get their
    // own `unplaced_line` below, so that every warned line is named with its text.
    let named: std::collections::HashSet<u32> =
        built.warnings.iter().filter_map(|w| w.line).collect();
    warnings.extend(built.warnings);
    let mut coverage = model::Coverage {
        lines: lines.lines.len() as u32,
        content_lines: 0,
        placed_lines: 0,
        furniture_lines: 0,
        warned_lines: 0,
    };
    for (i, line) in lines.lines.iter().enumerate() {
        if line.kind != lines::LineKind::Text {
            continue;
        }
        coverage.content_lines += 1;
        if blocks.furniture[i] {
            coverage.furniture_lines += 1;
        } else if built.placed[i] {
            coverage.placed_lines += 1;
        } else {
            coverage.warned_lines += 1;
            if !(built.warned[i] && named.contains(&line.number)) {
                warnings.push(model::Warning {
                    code: "unplaced_line".into(),
                    message: format!("line not placed in the tree: {:?}", line.text()),
                    line: Some(line.number),
                    page: Some(line.page),
                });
            }
        }
    }
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
            sha256: normalize::sha256_hex(bytes),
            format,
            encoding: decoded.encoding.name().into(),
            bytes: bytes.len() as u64,
            // A PDF knows its pages; a page without text leaves no trace in the joined text.
            pages: pdf_pages.unwrap_or(lines.pages),
            dialect: lines.dialect.name().into(),
        },
        agreements,
        warnings,
        coverage,
    })
}

/// Reads and converts one file; the path is reported as given.
pub fn convert_file(path: &Path, options: &Options) -> Result<Document, Error> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: name.clone(),
        source,
    })?;
    convert_bytes(&name, &bytes, options)
}
