//! What the reading stages note for the output's warnings before the tree exists.
//!
//! A leaf module: `decode` and `lib.rs` make notes, `model` holds the warnings they
//! become, and neither may depend on the other for it.

use crate::model::Warning;

/// A warning noted while an input is read into lines (decoding, a PDF's pages), before
/// the tree exists; it becomes a [`Warning`] when the conversion's warnings are merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub code: &'static str,
    pub message: String,
    /// The input line (1-based) it is about, if one.
    pub line: Option<u32>,
    /// Set only for a note about a whole page (none of whose lines are in the input);
    /// a line's page is looked up when the note becomes a warning.
    pub page: Option<u32>,
}

impl Note {
    /// A note about `line`, or about the whole input.
    pub fn new(code: &'static str, message: String, line: Option<u32>) -> Note {
        Note {
            code,
            message,
            line,
            page: None,
        }
    }

    /// A note about a whole page.
    pub fn page(code: &'static str, message: String, page: Option<u32>) -> Note {
        Note {
            code,
            message,
            line: None,
            page,
        }
    }

    /// The warning, with the page of its line from `page_of` (per input line, 0-based).
    pub fn into_warning(self, page_of: &[u32]) -> Warning {
        let page = self
            .page
            .or_else(|| self.line.and_then(|l| page_of.get(l as usize - 1).copied()));
        Warning {
            code: self.code.into(),
            message: self.message,
            line: self.line,
            page,
        }
    }
}
