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
            Error::Strict { .. } => "strict",
        }
    }
}
