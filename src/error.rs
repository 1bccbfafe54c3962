//! Errors: one input that cannot be converted, named by its path and its cause.

use thiserror::Error;

/// Why one input could not be converted. Every variant names the input.
#[derive(Debug, Error)]
pub enum Error {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
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
    /// A PDF file; PDF input needs the PDF reader, which this build does not have yet.
    #[error("{path}: this is a PDF; PDF input is not supported yet, convert a text dump of it")]
    PdfUnsupported { path: String },
    /// Text with no agreement structure: no chapter, no results table, no cover.
    #[error("{path}: no performance agreement found ({detail})")]
    NotAnAgreement { path: String, detail: String },
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
            | Error::PdfUnsupported { path }
            | Error::NotAnAgreement { path, .. }
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
            Error::PdfUnsupported { .. } => "pdf_unsupported",
            Error::NotAnAgreement { .. } => "not_an_agreement",
            Error::Strict { .. } => "strict",
        }
    }
}
