//! Warning codes, and what the reading stages note before the tree exists.
//!
//! A leaf module: `decode` and `lib.rs` make notes, `model` holds the warnings they
//! become and every stage names a code, so it depends on none of them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares [`WarningCode`] with the string each variant is written as, once.
macro_rules! warning_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// A warning's stable machine-readable code; this is the one list of them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        #[non_exhaustive]
        pub enum WarningCode {
            $($(#[doc = $doc])* #[serde(rename = $name)] $variant,)*
        }

        impl WarningCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [WarningCode] = &[$(WarningCode::$variant,)*];

            /// The code as written in the output (its serialized form).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(WarningCode::$variant => $name,)*
                }
            }
        }
    };
}

warning_codes! {
    // Decoding a text dump (`decode.rs`).
    /// No byte order mark; decoded as UTF-16 from the pattern of zero bytes.
    Utf16WithoutBom = "utf16_without_bom",
    /// Control characters removed from a PDF's extracted text.
    ControlCharacters = "control_characters",
    /// Not valid UTF-8; the whole input decoded as Windows-1252.
    DecodedWindows1252 = "decoded_windows_1252",
    /// A line's invalid UTF-8 sequences replaced by U+FFFD.
    InvalidUtf8 = "invalid_utf8",
    /// NUL characters removed.
    NulBytes = "nul_bytes",
    // Reading a PDF (`lib.rs`, from `pdf.rs` and `layout.rs`).
    /// A broken cross-reference table rebuilt by scanning for objects.
    PdfRepaired = "pdf_repaired",
    /// A page that could not be read, left out.
    PageUnreadable = "page_unreadable",
    /// Glyphs without a Unicode mapping, their characters missing.
    UnmappedGlyphs = "unmapped_glyphs",
    /// Lines set in another direction, read after the page's upright text.
    RotatedText = "rotated_text",
    // The structure stage (`structure/`).
    /// Text before the first chapter heading.
    TextBeforeFirstChapter = "text_before_first_chapter",
    /// An impact goal's tag that is not a known ministry code.
    UnknownMinistryCode = "unknown_ministry_code",
    /// An indicator before any heading row.
    OrphanIndicator = "orphan_indicator",
    /// A heading placed by the ranking of its style where the row sequence alone would
    /// place it at another level.
    LevelByLayout = "level_by_layout",
    /// Two heading levels fitted equally; the row sequence decided.
    LevelAmbiguous = "level_ambiguous",
    /// A resource table heading with no indicators under it.
    HeadingWithoutIndicators = "heading_without_indicators",
    /// A cell that fits nowhere in the tree, kept in the agreement's `orphans`.
    OrphanCell = "orphan_cell",
    /// Fewer values than year labels in a dump's row: placed in order.
    ValuesUnaligned = "values_unaligned",
    /// Year cells side by side whose values do not split into as many.
    UnsplitValues = "unsplit_values",
    /// A value kept only as its raw text.
    UnparsedValue = "unparsed_value",
    // Coverage (`lib.rs`).
    /// A content line whose text did not reach the output.
    UnplacedLine = "unplaced_line",
    // No longer written; kept so that documents written before still read back
    // (`export`, `outline`, `diff` read the tool's own JSON).
    /// No longer written (the font of each glyph now comes from pdf-extract).
    FontsUnknown = "fonts_unknown",
    /// No longer written (a heading row nested too deep was placed at the deepest level).
    NestingLimit = "nesting_limit",
}

impl std::fmt::Display for WarningCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code equals its string, as tests and callers that matched on strings compare it.
impl PartialEq<str> for WarningCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for WarningCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A warning noted while an input is read into lines (decoding, a PDF's pages), before
/// the tree exists; it becomes a warning when the conversion's warnings are merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub code: WarningCode,
    pub message: String,
    /// The input line (1-based) it is about, if one.
    pub line: Option<u32>,
    /// Set only for a note about a whole page (none of whose lines are in the input);
    /// a line's page is looked up when the note becomes a warning.
    pub page: Option<u32>,
}

impl Note {
    /// A note about `line`, or about the whole input.
    pub fn new(code: WarningCode, message: String, line: Option<u32>) -> Note {
        Note {
            code,
            message,
            line,
            page: None,
        }
    }

    /// A note about a whole page.
    pub fn page(code: WarningCode, message: String, page: Option<u32>) -> Note {
        Note {
            code,
            message,
            line: None,
            page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_serializes_as_its_string_and_reads_back() {
        let mut seen = std::collections::HashSet::new();
        for &code in WarningCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.starts_with(|c: char| c.is_ascii_lowercase())
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{s}"
            );
            let json = serde_json::to_string(&code).expect("serializes");
            assert_eq!(json, format!("\"{s}\""));
            let back: WarningCode = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, code);
            assert_eq!(code.to_string(), s);
        }
        assert!(serde_json::from_str::<WarningCode>("\"no_such_code\"").is_err());
    }
}
