//! The output model, v1: the JSON contract other systems load.
//!
//! Keys are English snake_case, values the document's own (Finnish) text. Fields are
//! only ever added, never renamed. What the document does not state is `null`. The JSON
//! Schema (`tulossopimus schema`, `schema/tulossopimus-v1.schema.json`) is generated from
//! these types.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::warning::WarningCode;

/// Version of this model; bumped only on a breaking change.
pub const SCHEMA_VERSION: u32 = 1;

/// `Document::generator` of this build.
/// An ISO 8601 calendar date, `YYYY-MM-DD` (the schema's pattern for dates).
pub const DATE_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

/// The schema's pattern for the ids of one kind (docs/model.md, "Ids").
macro_rules! id_pattern {
    ($prefix:literal) => {
        concat!("^", $prefix, "-[0-9a-f]{12}(-[1-9][0-9]*)?$")
    };
}

pub const GENERATOR: &str = concat!("tulossopimus ", env!("CARGO_PKG_VERSION"));

/// One converted input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// Always 1 for this model.
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The converter and its version, e.g. "tulossopimus 0.1.0": a batch reconverts an
    /// output made by another version.
    #[schemars(extend("pattern" = "^tulossopimus [0-9]+\\.[0-9]+\\.[0-9]+"))]
    pub generator: String,
    /// The input file.
    pub source: SourceFile,
    /// The agreements found in the file, in document order (a dump may hold several).
    pub agreements: Vec<Agreement>,
    /// Everything the converter could not place or had to decide without evidence.
    pub warnings: Vec<Warning>,
    /// Accounting of every input line.
    pub coverage: Coverage,
}

/// The input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceFile {
    /// The path as given to the converter (`-` for standard input).
    pub path: String,
    /// SHA-256 of the input bytes, lower-case hex.
    #[schemars(extend("pattern" = "^[0-9a-f]{64}$"))]
    pub sha256: String,
    /// `text` for a text dump, `pdf` for a PDF.
    pub format: SourceFormat,
    /// Encoding the text was decoded from: `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `windows-1252`; `pdf` for text extracted from a PDF.
    pub encoding: Encoding,
    /// Size of the input in bytes.
    pub bytes: u64,
    /// Number of pages (the PDF's pages; page breaks + 1 in a text dump).
    pub pages: u32,
    /// How the text was read: a dump's extractor (`pdf-extract`, `pdftotext`, `pdftotext-layout`), or `pdf-layout` for a PDF read glyph by glyph.
    pub dialect: Dialect,
}

/// Encoding an input was decoded from (`source.encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
// Inline in the schema, described by the field, as when the field was a string.
#[schemars(inline)]
#[non_exhaustive]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    #[serde(rename = "windows-1252")]
    Windows1252,
    // Text extracted from a PDF (no encoding of its own).
    #[serde(rename = "pdf")]
    Pdf,
}

impl Encoding {
    /// The name in the output (`source.encoding`), as serde writes it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Pdf => "pdf",
        }
    }
}

/// Which extractor produced a text dump, or a PDF read glyph by glyph
/// (`source.dialect`); for a dump, it decides how pages are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
// Inline in the schema, described by the field, as when the field was a string.
#[schemars(inline)]
#[non_exhaustive]
pub enum Dialect {
    // pdf-extract plain text: pages joined by a blank line, cells start with a space.
    #[serde(rename = "pdf-extract")]
    PdfExtract,
    // poppler's pdftotext (default mode): pages end with a form feed; reading order,
    // no indentation, table cells as separate paragraphs.
    #[serde(rename = "pdftotext")]
    Pdftotext,
    // poppler's `pdftotext -layout`: pages end with a form feed; text kept at its
    // column by padding with spaces (indentation, cells side by side).
    #[serde(rename = "pdftotext-layout")]
    PdftotextLayout,
    // A PDF read glyph by glyph: lines carry position, size and weight.
    #[serde(rename = "pdf-layout")]
    PdfLayout,
}

impl Dialect {
    /// The name in the output (`source.dialect`), as serde writes it.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::PdfExtract => "pdf-extract",
            Dialect::Pdftotext => "pdftotext",
            Dialect::PdftotextLayout => "pdftotext-layout",
            Dialect::PdfLayout => "pdf-layout",
        }
    }
}

/// Kind of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SourceFormat {
    Text,
    Pdf,
}

/// One performance agreement between a ministry and an agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Agreement {
    /// Stable id: from ministry, agency and scope, the period and the signing date (see
    /// docs/model.md, "Ids"); the same in every conversion of the same agreement.
    #[schemars(extend("pattern" = id_pattern!("a")))]
    pub id: String,
    /// Title from the cover page, e.g. "Ministeriön ja viraston välinen tulossopimus 2026–2029".
    pub title: Option<String>,
    /// The steering ministry, from the cover page.
    pub ministry: Option<String>,
    /// The agency, from the cover page.
    pub agency: Option<String>,
    /// What part of the agency's work the agreement covers, when the cover names it.
    pub scope: Option<String>,
    /// The years the agreement covers, from the title.
    pub period: Option<Period>,
    /// Signing date, ISO 8601 (`YYYY-MM-DD`).
    #[schemars(extend("pattern" = DATE_PATTERN))]
    pub signed: Option<String>,
    /// Who signed, in document order.
    pub signatories: Vec<Signatory>,
    /// Prose chapters and sections, flat, in document order.
    pub chapters: Vec<Chapter>,
    /// Societal impact goals, each tagged with its ministry.
    pub impact_goals: Vec<ImpactGoal>,
    /// The results table as a tree.
    pub strategic_lines: Vec<StrategicLine>,
    /// Resource-management indicators (chapter "Voimavarojen hallinta").
    pub resource_indicators: Vec<Indicator>,
    /// Monitoring indicators of the appendix, by group.
    pub monitoring_indicators: Vec<MonitoringGroup>,
    /// The evaluation scale (traffic-light model).
    pub evaluation_scale: Vec<ScaleStep>,
    /// Text read but fitting nowhere in the tree (a target or value cell before any
    /// heading row, an indicator before any heading row), in document order, each also
    /// named by a warning. Left out of the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orphans: Vec<Orphan>,
    /// Lines the agreement spans.
    pub source: Source,
}

/// Text that fits nowhere in the tree, as printed (labels included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Orphan {
    /// The cells' paragraphs joined with a blank line.
    pub text: String,
    pub source: Source,
}

/// First and last year of the agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Period {
    pub start: i32,
    pub end: i32,
}

/// One signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Signatory {
    pub organization: Option<String>,
    pub name: String,
    pub title: Option<String>,
    pub source: Source,
}

/// A prose chapter or section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Chapter {
    #[schemars(extend("pattern" = id_pattern!("c")))]
    pub id: String,
    /// The number as printed, normalized (`1.1`, `Liite 0`); null when unnumbered.
    pub number: Option<String>,
    pub title: String,
    /// Paragraphs joined with a blank line; null when the chapter has no prose of its own.
    pub text: Option<String>,
    /// 1 for a chapter, 2 for a section (1.1), ...
    pub level: u32,
    /// Table captions in the chapter ("Taulukko: Tulostavoitteet").
    pub captions: Vec<String>,
    pub source: Source,
}

/// A societal impact goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ImpactGoal {
    #[schemars(extend("pattern" = id_pattern!("ig")))]
    pub id: String,
    /// The goal, without its ministry tag.
    pub text: String,
    /// Ministry code from the tag, e.g. `OKM`.
    pub ministry: Option<String>,
    pub source: Source,
}

/// Top row of the results table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StrategicLine {
    #[schemars(extend("pattern" = id_pattern!("sl")))]
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub goals: Vec<Goal>,
    /// Indicators placed directly under the strategic line.
    pub indicators: Vec<Indicator>,
    /// Targets placed directly under the strategic line (rare).
    pub targets: Vec<Target>,
    /// What decided that this row is a strategic line: `layout`, `sequence` or `grammar`.
    pub level_evidence: LevelEvidence,
    pub source: Source,
}

/// A goal or sub-goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Goal {
    #[schemars(extend("pattern" = id_pattern!("g")))]
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// Depth below the strategic line: 1 for a goal, 2 for a sub-goal, ...
    pub level: u32,
    pub goals: Vec<Goal>,
    pub targets: Vec<Target>,
    pub indicators: Vec<Indicator>,
    /// What decided this row's level.
    pub level_evidence: LevelEvidence,
    pub source: Source,
}

/// What decided the level of a heading row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum LevelEvidence {
    /// Typography: font size or weight, or a wrap that shows them.
    Layout,
    /// Position among the rows: the depth the table already established.
    Sequence,
    /// The row's own grammar (first row of a table, a row that owns targets).
    Grammar,
}

/// A target text for one year ("Tavoite 2026 ...").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Target {
    #[schemars(extend("pattern" = id_pattern!("t")))]
    pub id: String,
    pub year: i32,
    /// Paragraphs joined with a blank line.
    pub text: String,
    pub source: Source,
}

/// An indicator (mittari) with its unit and year values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Indicator {
    #[schemars(extend("pattern" = id_pattern!("i")))]
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Unit of measure (Mittayksikkö), e.g. "Asteikko 1-5", "pv", "%".
    pub unit: Option<String>,
    /// Every printed year cell, set or not.
    pub values: Vec<Value>,
    /// Heading the indicator stands under in a resource table; null elsewhere.
    pub group: Option<String>,
    pub source: Source,
}

/// One year cell of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Value {
    pub year: i32,
    /// From the column label: Tav = target, Tot = actual, Arv = estimate; null for a bare year.
    pub kind: Option<ValueKind>,
    /// The cell as printed; null when the cell is empty.
    pub raw: Option<String>,
    pub comparator: Option<Comparator>,
    pub value: Option<f64>,
    pub source: Source,
}

/// Kind of a year value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ValueKind {
    Target,
    Actual,
    Estimate,
}

/// Comparator of a value, normalized to ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub enum Comparator {
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "=")]
    Eq,
}

/// A group of monitoring indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MonitoringGroup {
    /// Group heading; null for indicators before any group heading.
    pub group: Option<String>,
    pub indicators: Vec<Indicator>,
}

/// One step of the evaluation scale, e.g. VIHREÄ (3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScaleStep {
    pub score: i32,
    pub label: String,
    pub meaning: String,
}

/// Where a node comes from: 1-based input lines and page, and for a PDF the box its
/// lines cover on that page.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    pub line: u32,
    pub line_end: u32,
    pub page: Option<u32>,
    /// x0, y0, x1, y1 in PDF points (origin bottom left), over the node's lines on its
    /// first page; null for text dumps.
    pub bbox: Option<[f64; 4]>,
}

/// Something the converter could not place, or decided without evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    /// Stable machine-readable code, e.g. `unplaced_line`.
    pub code: WarningCode,
    pub message: String,
    pub line: Option<u32>,
    pub page: Option<u32>,
}

/// Accounting of input lines. `content_lines = placed_lines + furniture_lines + warned_lines`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Coverage {
    /// All input lines.
    pub lines: u32,
    /// Lines with anything but white space.
    pub content_lines: u32,
    /// Content lines whose text is in the output.
    pub placed_lines: u32,
    /// Running headers, footers and page numbers, and a table's row of column headings.
    pub furniture_lines: u32,
    /// Content lines not placed, each named by a warning.
    pub warned_lines: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_what_serde_writes() {
        use Dialect::*;
        use Encoding::*;
        for e in [Utf8, Utf8Bom, Utf16Le, Utf16Be, Windows1252, Pdf] {
            let json = serde_json::to_value(e).expect("serializes");
            assert_eq!(json, e.name());
            assert_eq!(serde_json::from_value::<Encoding>(json).ok(), Some(e));
        }
        for d in [PdfExtract, Pdftotext, PdftotextLayout, PdfLayout] {
            let json = serde_json::to_value(d).expect("serializes");
            assert_eq!(json, d.name());
            assert_eq!(serde_json::from_value::<Dialect>(json).ok(), Some(d));
        }
    }
}
