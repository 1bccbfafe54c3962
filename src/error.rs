//! Errors: one input that cannot be converted, named by its path and its cause.
//!
//! An [`Error`] is the input's path and an [`ErrorKind`]. The kind's `code` (`empty`,
//! `pdf_damaged`, ...) is written once per kind, in `error_kinds!`'s list below, which
//! makes both the serde tag and [`ErrorKind::code`]. An error crosses the pipe from a
//! worker process (`crate::worker`) as JSON, `{"path", "code", ...}`, and comes back as
//! the same kind with the same message.

use serde::{Deserialize, Serialize};
use thiserror::Error;

// Declares `ErrorKind` from one list of `"code" => Variant { fields }`, each code
// written once: it is the variant's serde tag and what `ErrorKind::code` returns.
macro_rules! error_kinds {
    ($(
        $(#[$attr:meta])*
        $code:literal => $variant:ident $({ $($field:tt)* })?,
    )*) => {
        /// Why one input could not be converted ([`Error::kind`]); its `Display` is the
        /// message without the path.
        ///
        /// New kinds may be added: match with a wildcard arm, or compare
        /// [`ErrorKind::code`].
        #[derive(Debug, Error, Serialize, Deserialize)]
        #[serde(tag = "code")]
        #[non_exhaustive]
        pub enum ErrorKind {
            $(
                $(#[$attr])*
                #[serde(rename = $code)]
                $variant $({ $($field)* })?,
            )*
        }

        impl ErrorKind {
            /// A short stable code for reports (`empty`, `binary`, ...): the `code` the
            /// kind is tagged with in JSON.
            pub fn code(&self) -> &'static str {
                match self {
                    $(ErrorKind::$variant { .. } => $code,)*
                }
            }
        }
    };
}

error_kinds! {
    /// The file could not be read.
    #[error("cannot read: {source}")]
    "io" => Io {
        #[source]
        #[serde(with = "io_text")]
        source: std::io::Error,
    },
    /// Zero bytes, or nothing but white space.
    #[error("the input is empty")]
    "empty" => Empty,
    /// Bytes that are not text in any encoding we read (NUL bytes, control characters).
    #[error("binary data, not a text dump ({detail})")]
    "binary" => Binary { detail: String },
    /// A UTF-16 byte order mark followed by bytes that are not UTF-16.
    #[error("invalid UTF-16 ({detail})")]
    "invalid_utf16" => InvalidUtf16 { detail: String },
    /// Bytes that claim to be a PDF (`%PDF-` near the start) but do not parse as one.
    #[error("starts like a PDF but cannot be read as one ({detail})")]
    "not_pdf" => NotPdf { detail: String },
    /// A PDF that opens but cannot be read: a broken object or page, or a panic inside
    /// the PDF library. The detail names the page when one is to blame.
    #[error("damaged PDF: {detail}")]
    "pdf_damaged" => PdfDamaged { detail: String },
    /// An encrypted PDF and no password, or the wrong one.
    #[error("encrypted PDF: {detail}")]
    "pdf_encrypted" => PdfEncrypted { detail: String },
    /// A PDF whose pages show no text at all: scanned images or drawings.
    #[error(
        "the PDF has no text layer ({pages} page(s) of images or drawings only); it needs OCR (text recognition) before it can be converted"
    )]
    "pdf_no_text" => PdfNoText { pages: u32 },
    /// A PDF whose text does not map to Unicode (fonts without ToUnicode): extracting it
    /// would give NUL, control or replacement characters instead of letters.
    #[error(
        "the PDF's text is garbled: {unmapped} of {glyphs} characters have no Unicode mapping (fonts without ToUnicode), so the text cannot be read reliably; it needs OCR or a PDF exported with Unicode fonts"
    )]
    "pdf_garbled" => PdfGarbled {
        glyphs: usize,
        unmapped: usize,
    },
    /// Text with no agreement structure: no chapter, no results table, no cover.
    #[error("no performance agreement found ({detail})")]
    "not_an_agreement" => NotAnAgreement { detail: String },
    /// More bytes than [`crate::Limits::max_input_bytes`].
    #[error("the input is {bytes} bytes, more than the limit of {limit} bytes (--max-input-size)")]
    "too_large" => TooLarge {
        bytes: u64,
        limit: u64,
    },
    /// More pages than [`crate::Limits::max_pages`] (a PDF's page tree, or a dump's pages).
    #[error("{pages} pages, more than the limit of {limit} (--max-pages)")]
    "too_many_pages" => TooManyPages {
        pages: u64,
        limit: u32,
    },
    /// A line longer than [`crate::Limits::max_line_chars`].
    #[error("line {line} is {chars} characters long, more than the limit of {limit} (--max-line-length); not a text dump of an agreement")]
    "line_too_long" => LineTooLong {
        line: u32,
        chars: u64,
        limit: u64,
    },
    /// Heading rows nested deeper than [`crate::Limits::max_depth`] in a results table.
    #[error("the results table nests {depth} levels deep at line {line}, more than the limit of {limit} (--max-depth)")]
    "too_deep" => TooDeep {
        depth: u32,
        line: u32,
        limit: u32,
    },
    /// The worker process converting this input ran past the wall-clock limit and was killed.
    #[error("conversion took longer than the time limit of {seconds} s (--timeout); it was stopped")]
    "timeout" => Timeout { seconds: f64 },
    /// The worker process ran out of its address-space limit (an allocation failed).
    #[error("conversion needs more memory than the limit of {limit} bytes (--max-memory){detail}")]
    "memory_limit" => MemoryLimit {
        limit: u64,
        detail: String,
    },
    /// The PDF reader recursed until the worker's stack overflowed (a Form XObject that
    /// draws itself, or structures nested without end).
    #[error("the PDF reader ran out of stack (a self-referencing or endlessly nested structure, such as a Form XObject that draws itself)")]
    "stack_overflow" => StackOverflow,
    /// The worker process died otherwise: a signal, or an internal error.
    #[error("the conversion process crashed: {detail}")]
    "crashed" => Crashed { detail: String },
    /// No worker process could be started or understood.
    #[error("the conversion worker failed: {detail}")]
    "worker" => Worker { detail: String },
    /// `--strict` and the conversion raised warnings.
    #[error("{count} warning(s) in strict mode; first: line {line}: {first}")]
    "strict" => Strict {
        count: usize,
        line: String,
        first: String,
    },
}

/// One input that could not be converted: its path (as given) and why.
///
/// `Display` is `path: message`; [`Error::code`] is the kind's stable code.
#[derive(Debug, Serialize, Deserialize)]
pub struct Error {
    path: String,
    #[serde(flatten)]
    kind: ErrorKind,
}

impl Error {
    /// The error `kind` for the input `path`.
    pub fn new(path: impl Into<String>, kind: ErrorKind) -> Error {
        Error {
            path: path.into(),
            kind,
        }
    }

    /// The input this error is about.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Why it could not be converted.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// A short stable code for reports (`empty`, `binary`, ...): [`ErrorKind::code`].
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

impl std::error::Error for Error {
    /// The kind's source (an I/O error), not the kind: the kind's message is already
    /// in this error's.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
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
            Error::new(
                path(),
                ErrorKind::Io {
                    source: std::io::Error::other("gone"),
                },
            ),
            Error::new(path(), ErrorKind::Empty),
            Error::new(path(), ErrorKind::Binary { detail: detail() }),
            Error::new(path(), ErrorKind::InvalidUtf16 { detail: detail() }),
            Error::new(path(), ErrorKind::NotPdf { detail: detail() }),
            Error::new(path(), ErrorKind::PdfDamaged { detail: detail() }),
            Error::new(path(), ErrorKind::PdfEncrypted { detail: detail() }),
            Error::new(path(), ErrorKind::PdfNoText { pages: 2 }),
            Error::new(
                path(),
                ErrorKind::PdfGarbled {
                    glyphs: 9,
                    unmapped: 8,
                },
            ),
            Error::new(path(), ErrorKind::NotAnAgreement { detail: detail() }),
            Error::new(path(), ErrorKind::TooLarge { bytes: 9, limit: 8 }),
            Error::new(path(), ErrorKind::TooManyPages { pages: 9, limit: 8 }),
            Error::new(
                path(),
                ErrorKind::LineTooLong {
                    line: 3,
                    chars: 9,
                    limit: 8,
                },
            ),
            Error::new(
                path(),
                ErrorKind::TooDeep {
                    depth: 9,
                    line: 3,
                    limit: 8,
                },
            ),
            Error::new(path(), ErrorKind::Timeout { seconds: 1.5 }),
            Error::new(
                path(),
                ErrorKind::MemoryLimit {
                    limit: 8,
                    detail: detail(),
                },
            ),
            Error::new(path(), ErrorKind::StackOverflow),
            Error::new(path(), ErrorKind::Crashed { detail: detail() }),
            Error::new(path(), ErrorKind::Worker { detail: detail() }),
            Error::new(
                path(),
                ErrorKind::Strict {
                    count: 1,
                    line: "3".into(),
                    first: detail(),
                },
            ),
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
