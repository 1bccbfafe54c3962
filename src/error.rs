//! Errors: one input that cannot be converted, named by its path and its cause.
//!
//! An error crosses the pipe from a worker process (`crate::worker`) as JSON, tagged
//! with its [`Error::code`], and comes back as the same variant with the same message.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why one input could not be converted. Every variant names the input.
#[derive(Debug, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Error {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        #[serde(with = "io_text")]
        source: std::io::Error,
    },
    /// Zero bytes, or nothing but white space.
    #[error("{path}: the input is empty")]
    Empty { path: String },
    /// Bytes that are not text in any encoding we read (NUL bytes, control characters).
    #[error("{path}: binary data, not a text dump ({detail})")]
    Binary { path: String, detail: String },
    /// A UTF-16 byte order mark followed by bytes that are not UTF-16.
    #[error("{path}: invalid UTF-16 ({detail})")]
    InvalidUtf16 { path: String, detail: String },
    /// Bytes that claim to be a PDF (`%PDF-` near the start) but do not parse as one.
    #[error("{path}: starts like a PDF but cannot be read as one ({detail})")]
    NotPdf { path: String, detail: String },
    /// A PDF that opens but cannot be read: a broken object or page, or a panic inside
    /// the PDF library. The detail names the page when one is to blame.
    #[error("{path}: damaged PDF: {detail}")]
    PdfDamaged { path: String, detail: String },
    /// An encrypted PDF and no password, or the wrong one.
    #[error("{path}: encrypted PDF: {detail}")]
    PdfEncrypted { path: String, detail: String },
    /// A PDF whose pages show no text at all: scanned images or drawings.
    #[error(
        "{path}: the PDF has no text layer ({pages} page(s) of images or drawings only); it needs OCR (text recognition) before it can be converted"
    )]
    PdfNoText { path: String, pages: u32 },
    /// A PDF whose text does not map to Unicode (fonts without ToUnicode): extracting it
    /// would give NUL, control or replacement characters instead of letters.
    #[error(
        "{path}: the PDF's text is garbled: {unmapped} of {glyphs} characters have no Unicode mapping (fonts without ToUnicode), so the text cannot be read reliably; it needs OCR or a PDF exported with Unicode fonts"
    )]
    PdfGarbled {
        path: String,
        glyphs: usize,
        unmapped: usize,
    },
    /// Text with no agreement structure: no chapter, no results table, no cover.
    #[error("{path}: no performance agreement found ({detail})")]
    NotAnAgreement { path: String, detail: String },
    /// More bytes than [`crate::Limits::max_input_bytes`].
    #[error("{path}: the input is {bytes} bytes, more than the limit of {limit} bytes (--max-input-size)")]
    TooLarge {
        path: String,
        bytes: u64,
        limit: u64,
    },
    /// More pages than [`crate::Limits::max_pages`] (a PDF's page tree, or a dump's pages).
    #[error("{path}: {pages} pages, more than the limit of {limit} (--max-pages)")]
    TooManyPages {
        path: String,
        pages: u64,
        limit: u32,
    },
    /// A line longer than [`crate::Limits::max_line_chars`].
    #[error("{path}: line {line} is {chars} characters long, more than the limit of {limit} (--max-line-length); not a text dump of an agreement")]
    LineTooLong {
        path: String,
        line: u32,
        chars: u64,
        limit: u64,
    },
    /// Heading rows nested deeper than [`crate::Limits::max_depth`] in a results table.
    #[error("{path}: the results table nests {depth} levels deep at line {line}, more than the limit of {limit} (--max-depth)")]
    TooDeep {
        path: String,
        depth: u32,
        line: u32,
        limit: u32,
    },
    /// The worker process converting this input ran past the wall-clock limit and was killed.
    #[error("{path}: conversion took longer than the time limit of {seconds} s (--timeout); it was stopped")]
    Timeout { path: String, seconds: f64 },
    /// The worker process ran out of its address-space limit (an allocation failed).
    #[error("{path}: conversion needs more memory than the limit of {limit} bytes (--max-memory){detail}")]
    MemoryLimit {
        path: String,
        limit: u64,
        detail: String,
    },
    /// The PDF reader recursed until the worker's stack overflowed (a Form XObject that
    /// draws itself, or structures nested without end).
    #[error("{path}: the PDF reader ran out of stack (a self-referencing or endlessly nested structure, such as a Form XObject that draws itself)")]
    StackOverflow { path: String },
    /// The worker process died otherwise: a signal, or an internal error.
    #[error("{path}: the conversion process crashed: {detail}")]
    Crashed { path: String, detail: String },
    /// No worker process could be started or understood.
    #[error("{path}: the conversion worker failed: {detail}")]
    Worker { path: String, detail: String },
    /// `--strict` and the conversion raised warnings.
    #[error("{path}: {count} warning(s) in strict mode; first: line {line}: {first}")]
    Strict {
        path: String,
        count: usize,
        line: String,
        first: String,
    },
}

impl Error {
    /// The input this error is about.
    pub fn path(&self) -> &str {
        match self {
            Error::Io { path, .. }
            | Error::Empty { path }
            | Error::Binary { path, .. }
            | Error::InvalidUtf16 { path, .. }
            | Error::NotPdf { path, .. }
            | Error::PdfDamaged { path, .. }
            | Error::PdfEncrypted { path, .. }
            | Error::PdfNoText { path, .. }
            | Error::PdfGarbled { path, .. }
            | Error::NotAnAgreement { path, .. }
            | Error::TooLarge { path, .. }
            | Error::TooManyPages { path, .. }
            | Error::LineTooLong { path, .. }
            | Error::TooDeep { path, .. }
            | Error::Timeout { path, .. }
            | Error::MemoryLimit { path, .. }
            | Error::StackOverflow { path }
            | Error::Crashed { path, .. }
            | Error::Worker { path, .. }
            | Error::Strict { path, .. } => path,
        }
    }

    /// A short stable code for reports (`empty`, `binary`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Empty { .. } => "empty",
            Error::Binary { .. } => "binary",
            Error::InvalidUtf16 { .. } => "invalid_utf16",
            Error::NotPdf { .. } => "not_pdf",
            Error::PdfDamaged { .. } => "pdf_damaged",
            Error::PdfEncrypted { .. } => "pdf_encrypted",
            Error::PdfNoText { .. } => "pdf_no_text",
            Error::PdfGarbled { .. } => "pdf_garbled",
            Error::NotAnAgreement { .. } => "not_an_agreement",
            Error::TooLarge { .. } => "too_large",
            Error::TooManyPages { .. } => "too_many_pages",
            Error::LineTooLong { .. } => "line_too_long",
            Error::TooDeep { .. } => "too_deep",
            Error::Timeout { .. } => "timeout",
            Error::MemoryLimit { .. } => "memory_limit",
            Error::StackOverflow { .. } => "stack_overflow",
            Error::Crashed { .. } => "crashed",
            Error::Worker { .. } => "worker",
            Error::Strict { .. } => "strict",
        }
    }
}

/// An I/O error as its message: the kind does not survive the pipe, the text does.
mod io_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(e: &std::io::Error, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&e.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<std::io::Error, D::Error> {
        Ok(std::io::Error::other(String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Error> {
        let path = || "a.pdf".to_string();
        let detail = || "d".to_string();
        vec![
            Error::Io {
                path: path(),
                source: std::io::Error::other("gone"),
            },
            Error::Empty { path: path() },
            Error::Binary {
                path: path(),
                detail: detail(),
            },
            Error::InvalidUtf16 {
                path: path(),
                detail: detail(),
            },
            Error::NotPdf {
                path: path(),
                detail: detail(),
            },
            Error::PdfDamaged {
                path: path(),
                detail: detail(),
            },
            Error::PdfEncrypted {
                path: path(),
                detail: detail(),
            },
            Error::PdfNoText {
                path: path(),
                pages: 2,
            },
            Error::PdfGarbled {
                path: path(),
                glyphs: 9,
                unmapped: 8,
            },
            Error::NotAnAgreement {
                path: path(),
                detail: detail(),
            },
            Error::TooLarge {
                path: path(),
                bytes: 9,
                limit: 8,
            },
            Error::TooManyPages {
                path: path(),
                pages: 9,
                limit: 8,
            },
            Error::LineTooLong {
                path: path(),
                line: 3,
                chars: 9,
                limit: 8,
            },
            Error::TooDeep {
                path: path(),
                depth: 9,
                line: 3,
                limit: 8,
            },
            Error::Timeout {
                path: path(),
                seconds: 1.5,
            },
            Error::MemoryLimit {
                path: path(),
                limit: 8,
                detail: detail(),
            },
            Error::StackOverflow { path: path() },
            Error::Crashed {
                path: path(),
                detail: detail(),
            },
            Error::Worker {
                path: path(),
                detail: detail(),
            },
            Error::Strict {
                path: path(),
                count: 1,
                line: "3".into(),
                first: detail(),
            },
        ]
    }

    #[test]
    fn errors_cross_the_pipe_with_their_code_and_message() {
        for e in samples() {
            let json = serde_json::to_value(&e).expect("serializes");
            assert_eq!(json["code"], e.code(), "{json}");
            let back: Error = serde_json::from_value(json).expect("deserializes");
            assert_eq!(back.code(), e.code());
            assert_eq!(back.to_string(), e.to_string());
            assert_eq!(back.path(), "a.pdf");
            assert!(e.to_string().starts_with("a.pdf: "), "{e}");
        }
    }
}
