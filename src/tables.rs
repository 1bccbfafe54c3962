//! Flat tables for a data platform: the documents' agreements, results tree, targets,
//! indicators, indicator values, impact goals and signatories as rows with a fixed column
//! order, written as NDJSON and CSV (RFC 4180), and with the feature `export` as SQLite
//! (`write_sqlite`) and Parquet (`write_parquet`).
//!
//! Ids are the model's own, unchanged, so a load can upsert by them. A node id is unique
//! within its agreement (two editions of one agreement share node ids and differ in the
//! agreement id), so every table below `agreements` is keyed by its id together with
//! `agreement_id`. Rows are in document order; several documents append in the order given. Nothing is deduplicated here: the
//! same agreement given twice yields its rows twice ([`duplicate_agreements`] names such
//! ids so the caller can warn).

#[cfg(feature = "export")]
mod parquet_files;
#[cfg(feature = "export")]
mod sqlite;

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

#[cfg(feature = "export")]
pub use parquet_files::write_parquet;
#[cfg(feature = "export")]
pub use sqlite::write_sqlite;

use crate::model::{Agreement, Document, Goal, Indicator, Target};

/// Type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ColumnType {
    Integer,
    Real,
    Text,
    /// A calendar date, held as [`Cell::Text`] `YYYY-MM-DD`.
    Date,
}

impl ColumnType {
    /// The SQLite type name. A date is TEXT: SQLite has no date type, and its date
    /// functions read ISO 8601 text.
    pub fn sql(self) -> &'static str {
        match self {
            ColumnType::Integer => "INTEGER",
            ColumnType::Real => "REAL",
            ColumnType::Text | ColumnType::Date => "TEXT",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    /// Whether the column may hold null.
    pub nullable: bool,
}

/// `columns` hold a key of `table`'s columns `references` (as many, in the same order).
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    pub columns: &'static [&'static str],
    pub table: &'static str,
    pub references: &'static [&'static str],
}

/// Name, columns (in their fixed order) and keys of one table.
#[derive(Debug)]
pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [Column],
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
}

impl TableSpec {
    /// The column names in order.
    pub fn column_names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }

    /// The SQLite `CREATE TABLE` statement, with keys and NOT NULL constraints.
    pub fn create_sql(&self) -> String {
        let list = |names: &[&str]| {
            names
                .iter()
                .map(|n| quote(n))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts: Vec<String> = self
            .columns
            .iter()
            .map(|c| {
                let null = if c.nullable { "" } else { " NOT NULL" };
                format!("{} {}{null}", quote(c.name), c.ty.sql())
            })
            .collect();
        parts.push(format!("PRIMARY KEY ({})", list(self.primary_key)));
        for fk in self.foreign_keys {
            parts.push(format!(
                "FOREIGN KEY ({}) REFERENCES {} ({})",
                list(fk.columns),
                quote(fk.table),
                list(fk.references)
            ));
        }
        format!(
            "CREATE TABLE {} (\n  {}\n);",
            quote(self.name),
            parts.join(",\n  ")
        )
    }

    /// `CREATE INDEX` statements for the foreign keys whose columns the primary key's own
    /// index does not already lead with (joins and deletes by parent would scan the
    /// table otherwise). Named `<table>_<first column>_idx`.
    pub fn index_sql(&self) -> Vec<String> {
        self.foreign_keys
            .iter()
            .filter(|fk| !self.primary_key.starts_with(fk.columns))
            .map(|fk| {
                let columns: Vec<String> = fk.columns.iter().map(|c| quote(c)).collect();
                format!(
                    "CREATE INDEX {} ON {} ({});",
                    quote(&format!("{}_{}_idx", self.name, fk.columns[0])),
                    quote(self.name),
                    columns.join(", ")
                )
            })
            .collect()
    }
}

/// Quotes an identifier: `group` is an SQL keyword.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

const fn text(name: &'static str) -> Column {
    Column {
        name,
        ty: ColumnType::Text,
        nullable: false,
    }
}

const fn text_or_null(name: &'static str) -> Column {
    Column {
        name,
        ty: ColumnType::Text,
        nullable: true,
    }
}

const fn int(name: &'static str) -> Column {
    Column {
        name,
        ty: ColumnType::Integer,
        nullable: false,
    }
}

const fn int_or_null(name: &'static str) -> Column {
    Column {
        name,
        ty: ColumnType::Integer,
        nullable: true,
    }
}

/// `agreement_id` references the agreement.
const AGREEMENT_FK: ForeignKey = ForeignKey {
    columns: &["agreement_id"],
    table: "agreements",
    references: &["id"],
};

/// `column` and `agreement_id` reference a row of `table` (keyed by id and agreement).
const fn fk(columns: &'static [&'static str; 2], table: &'static str) -> ForeignKey {
    ForeignKey {
        columns,
        table,
        references: &["id", "agreement_id"],
    }
}

/// One row per agreement.
pub const AGREEMENTS: TableSpec = TableSpec {
    name: "agreements",
    columns: &[
        text("id"),
        text("source_path"),
        text("source_sha256"),
        text_or_null("title"),
        text_or_null("ministry"),
        text_or_null("agency"),
        text_or_null("scope"),
        int_or_null("period_start"),
        int_or_null("period_end"),
        Column {
            name: "signed",
            ty: ColumnType::Date,
            nullable: true,
        },
    ],
    primary_key: &["id"],
    foreign_keys: &[],
};

/// Every strategic line (`kind` = `strategic_line`, level 0) and goal at any depth.
pub const NODES: TableSpec = TableSpec {
    name: "nodes",
    columns: &[
        text("id"),
        text_or_null("parent_id"),
        text("agreement_id"),
        text("kind"),
        int("level"),
        int("ordinal"),
        text("title"),
        text_or_null("description"),
        text("path"),
        int("source_line"),
        int_or_null("source_page"),
    ],
    primary_key: &["id", "agreement_id"],
    foreign_keys: &[fk(&["parent_id", "agreement_id"], "nodes"), AGREEMENT_FK],
};

/// Target texts by year, under the node that owns them.
pub const TARGETS: TableSpec = TableSpec {
    name: "targets",
    columns: &[
        text("id"),
        text("node_id"),
        text("agreement_id"),
        int("year"),
        text("text"),
        int("source_line"),
    ],
    primary_key: &["id", "agreement_id"],
    foreign_keys: &[fk(&["node_id", "agreement_id"], "nodes"), AGREEMENT_FK],
};

/// Indicators of the results tree (`owner_kind` = `node`), the resource chapter
/// (`resources`) and the monitoring appendix (`monitoring`).
pub const INDICATORS: TableSpec = TableSpec {
    name: "indicators",
    columns: &[
        text("id"),
        text("owner_id"),
        text("owner_kind"),
        text("agreement_id"),
        text_or_null("group"),
        text("name"),
        text_or_null("description"),
        text_or_null("unit"),
        int("source_line"),
    ],
    primary_key: &["id", "agreement_id"],
    foreign_keys: &[AGREEMENT_FK],
};

/// Every printed year cell of an indicator, set or not.
pub const INDICATOR_VALUES: TableSpec = TableSpec {
    name: "indicator_values",
    columns: &[
        text("indicator_id"),
        text("agreement_id"),
        int("ordinal"),
        int("year"),
        text_or_null("kind"),
        text_or_null("comparator"),
        Column {
            name: "value",
            ty: ColumnType::Real,
            nullable: true,
        },
        text_or_null("raw"),
    ],
    primary_key: &["indicator_id", "agreement_id", "ordinal"],
    foreign_keys: &[fk(&["indicator_id", "agreement_id"], "indicators")],
};

/// Societal impact goals with their ministry tag.
pub const IMPACT_GOALS: TableSpec = TableSpec {
    name: "impact_goals",
    columns: &[
        text("id"),
        text("agreement_id"),
        text_or_null("ministry"),
        text("text"),
        int("source_line"),
    ],
    primary_key: &["id", "agreement_id"],
    foreign_keys: &[AGREEMENT_FK],
};

/// Signatures in document order.
pub const SIGNATORIES: TableSpec = TableSpec {
    name: "signatories",
    columns: &[
        text("agreement_id"),
        int("ordinal"),
        text_or_null("organization"),
        text("name"),
        text_or_null("title"),
    ],
    primary_key: &["agreement_id", "ordinal"],
    foreign_keys: &[AGREEMENT_FK],
};

/// Every table, in load order: a table references only tables before it.
pub const SPECS: [&TableSpec; 7] = [
    &AGREEMENTS,
    &NODES,
    &TARGETS,
    &INDICATORS,
    &INDICATOR_VALUES,
    &IMPACT_GOALS,
    &SIGNATORIES,
];

/// One field of a row.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Cell {
    Null,
    Integer(i64),
    /// Always finite: a non-finite number becomes [`Cell::Null`].
    Real(f64),
    Text(String),
}

impl Cell {
    fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    fn text_or_null(s: Option<&str>) -> Cell {
        s.map_or(Cell::Null, Cell::text)
    }

    fn real(v: Option<f64>) -> Cell {
        match v {
            Some(v) if v.is_finite() => Cell::Real(v),
            _ => Cell::Null,
        }
    }

    fn int(v: impl Into<i64>) -> Cell {
        Cell::Integer(v.into())
    }

    /// A 1-based position.
    fn ordinal(index: usize) -> Cell {
        Cell::Integer(i64::try_from(index).map_or(i64::MAX, |i| i.saturating_add(1)))
    }

    /// The number as JSON writes it (`30.0`), so CSV and NDJSON agree.
    fn real_text(v: f64) -> String {
        serde_json::Number::from_f64(v).map_or_else(String::new, |n| n.to_string())
    }
}

/// A table's rows; every row has one cell per column of `spec`, in column order.
#[derive(Debug, Clone)]
pub struct Table {
    pub spec: &'static TableSpec,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(spec: &'static TableSpec) -> Table {
        Table {
            spec,
            rows: Vec::new(),
        }
    }
}

/// The seven tables of a set of documents.
#[derive(Debug, Clone)]
pub struct Tables {
    pub agreements: Table,
    pub nodes: Table,
    pub targets: Table,
    pub indicators: Table,
    pub indicator_values: Table,
    pub impact_goals: Table,
    pub signatories: Table,
}

impl Tables {
    /// All tables in load order (the order of [`SPECS`]).
    pub fn all(&self) -> [&Table; 7] {
        [
            &self.agreements,
            &self.nodes,
            &self.targets,
            &self.indicators,
            &self.indicator_values,
            &self.impact_goals,
            &self.signatories,
        ]
    }
}

/// Builds the rows of every table from `docs`, in document order.
pub fn build(docs: &[Document]) -> Tables {
    let mut t = Tables {
        agreements: Table::new(&AGREEMENTS),
        nodes: Table::new(&NODES),
        targets: Table::new(&TARGETS),
        indicators: Table::new(&INDICATORS),
        indicator_values: Table::new(&INDICATOR_VALUES),
        impact_goals: Table::new(&IMPACT_GOALS),
        signatories: Table::new(&SIGNATORIES),
    };
    for doc in docs {
        for a in &doc.agreements {
            t.agreement(doc, a);
        }
    }
    t
}

impl Tables {
    fn agreement(&mut self, doc: &Document, a: &Agreement) {
        self.agreements.rows.push(vec![
            Cell::text(&a.id),
            Cell::text(&doc.source.path),
            Cell::text(&doc.source.sha256),
            Cell::text_or_null(a.title.as_deref()),
            Cell::text_or_null(a.ministry.as_deref()),
            Cell::text_or_null(a.agency.as_deref()),
            Cell::text_or_null(a.scope.as_deref()),
            a.period.as_ref().map_or(Cell::Null, |p| Cell::int(p.start)),
            a.period.as_ref().map_or(Cell::Null, |p| Cell::int(p.end)),
            Cell::text_or_null(a.signed.as_deref()),
        ]);
        for (i, sl) in a.strategic_lines.iter().enumerate() {
            self.nodes.rows.push(vec![
                Cell::text(&sl.id),
                Cell::Null,
                Cell::text(&a.id),
                Cell::text("strategic_line"),
                Cell::int(0),
                Cell::ordinal(i),
                Cell::text(&sl.title),
                Cell::text_or_null(sl.description.as_deref()),
                Cell::text(&sl.title),
                Cell::int(sl.source.line),
                sl.source.page.map_or(Cell::Null, Cell::int),
            ]);
            self.node_contents(&a.id, &sl.id, &sl.targets, &sl.indicators);
            for (j, goal) in sl.goals.iter().enumerate() {
                self.goal(&a.id, &sl.id, j, goal, &sl.title);
            }
        }
        for ind in &a.resource_indicators {
            self.indicator(&a.id, &a.id, "resources", ind.group.as_deref(), ind);
        }
        for group in &a.monitoring_indicators {
            for ind in &group.indicators {
                self.indicator(&a.id, &a.id, "monitoring", group.group.as_deref(), ind);
            }
        }
        for ig in &a.impact_goals {
            self.impact_goals.rows.push(vec![
                Cell::text(&ig.id),
                Cell::text(&a.id),
                Cell::text_or_null(ig.ministry.as_deref()),
                Cell::text(&ig.text),
                Cell::int(ig.source.line),
            ]);
        }
        for (i, s) in a.signatories.iter().enumerate() {
            self.signatories.rows.push(vec![
                Cell::text(&a.id),
                Cell::ordinal(i),
                Cell::text_or_null(s.organization.as_deref()),
                Cell::text(&s.name),
                Cell::text_or_null(s.title.as_deref()),
            ]);
        }
    }

    fn goal(
        &mut self,
        agreement: &str,
        parent: &str,
        index: usize,
        goal: &Goal,
        parent_path: &str,
    ) {
        let path = format!("{parent_path} > {}", goal.title);
        self.nodes.rows.push(vec![
            Cell::text(&goal.id),
            Cell::text(parent),
            Cell::text(agreement),
            Cell::text("goal"),
            Cell::int(goal.level),
            Cell::ordinal(index),
            Cell::text(&goal.title),
            Cell::text_or_null(goal.description.as_deref()),
            Cell::text(&path),
            Cell::int(goal.source.line),
            goal.source.page.map_or(Cell::Null, Cell::int),
        ]);
        self.node_contents(agreement, &goal.id, &goal.targets, &goal.indicators);
        for (i, sub) in goal.goals.iter().enumerate() {
            self.goal(agreement, &goal.id, i, sub, &path);
        }
    }

    fn node_contents(
        &mut self,
        agreement: &str,
        node: &str,
        targets: &[Target],
        indicators: &[Indicator],
    ) {
        for t in targets {
            self.targets.rows.push(vec![
                Cell::text(&t.id),
                Cell::text(node),
                Cell::text(agreement),
                Cell::int(t.year),
                Cell::text(&t.text),
                Cell::int(t.source.line),
            ]);
        }
        for ind in indicators {
            self.indicator(agreement, node, "node", ind.group.as_deref(), ind);
        }
    }

    fn indicator(
        &mut self,
        agreement: &str,
        owner: &str,
        owner_kind: &str,
        group: Option<&str>,
        ind: &Indicator,
    ) {
        self.indicators.rows.push(vec![
            Cell::text(&ind.id),
            Cell::text(owner),
            Cell::text(owner_kind),
            Cell::text(agreement),
            Cell::text_or_null(group),
            Cell::text(&ind.name),
            Cell::text_or_null(ind.description.as_deref()),
            Cell::text_or_null(ind.unit.as_deref()),
            Cell::int(ind.source.line),
        ]);
        for (i, v) in ind.values.iter().enumerate() {
            self.indicator_values.rows.push(vec![
                Cell::text(&ind.id),
                Cell::text(agreement),
                Cell::ordinal(i),
                Cell::int(v.year),
                Cell::text_or_null(v.kind.as_ref().and_then(serde_name).as_deref()),
                Cell::text_or_null(v.comparator.as_ref().and_then(serde_name).as_deref()),
                Cell::real(v.value),
                Cell::text_or_null(v.raw.as_deref()),
            ]);
        }
    }
}

/// The name an enum variant has in the JSON model, so tables and JSON cannot disagree.
fn serde_name<T: serde::Serialize>(v: &T) -> Option<String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}

/// An agreement id held by more than one input (or twice in one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateAgreement {
    pub id: String,
    /// `source.path` of the document that held it first.
    pub first: String,
    /// `source.path` of the later document.
    pub again: String,
}

/// Agreement ids that occur more than once in `docs`, one entry per repetition.
pub fn duplicate_agreements(docs: &[Document]) -> Vec<DuplicateAgreement> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut dups = Vec::new();
    for doc in docs {
        for a in &doc.agreements {
            match seen.get(a.id.as_str()) {
                Some(first) => dups.push(DuplicateAgreement {
                    id: a.id.clone(),
                    first: (*first).to_owned(),
                    again: doc.source.path.clone(),
                }),
                None => {
                    seen.insert(&a.id, &doc.source.path);
                }
            }
        }
    }
    dups
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// An input could not be read or converted.
    #[error(transparent)]
    Input(#[from] crate::Error),
    /// Valid JSON that is not a `convert` document (the text converter cannot read it either).
    #[error("{path}: JSON, but not a tulossopimus document: {detail}")]
    NotADocument { path: String, detail: String },
    /// An output could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// Two rows with the same primary key, which a database cannot hold.
    #[cfg(feature = "export")]
    #[error(
        "{}: duplicate key ({key}) in table {table}: ids must be unique in a database \
         (the same agreement given twice?); the database was not written",
        path.display()
    )]
    DuplicateKey {
        path: PathBuf,
        table: &'static str,
        key: String,
    },
    /// SQLite refused the data.
    #[cfg(feature = "export")]
    #[error("{}: SQLite: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// A Parquet file could not be written, or a cell does not fit its typed column.
    #[cfg(feature = "export")]
    #[error("{}: cannot write Parquet: {detail}", path.display())]
    Parquet { path: PathBuf, detail: String },
}

/// What an export input turned out to be.
#[derive(Debug)]
#[non_exhaustive]
pub enum Input {
    /// JSON written by `convert`: one document, or a stream of them.
    Json(Vec<Document>),
    /// Anything else, converted now.
    Converted(Document),
}

impl Input {
    /// The documents of the input.
    pub fn into_documents(self) -> Vec<Document> {
        match self {
            Input::Json(docs) => docs,
            Input::Converted(doc) => vec![doc],
        }
    }
}

/// Reads one input by content: JSON `Document`s as they are, anything else through
/// [`crate::convert_bytes`] with the default options. `path` names the input in errors.
pub fn load_input(path: &str, bytes: &[u8]) -> Result<Input, ExportError> {
    load_input_with(path, bytes, &crate::Options::default())
}

/// [`load_input`] converting with `options` (a PDF's password, the input limits).
pub fn load_input_with(
    path: &str,
    bytes: &[u8],
    options: &crate::Options,
) -> Result<Input, ExportError> {
    let json = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // `convert` with several inputs writes a stream of documents, one per line.
    let docs = serde_json::Deserializer::from_slice(json)
        .into_iter::<Document>()
        .collect::<Result<Vec<_>, _>>();
    let doc_error = match docs {
        Ok(docs) if !docs.is_empty() => return Ok(Input::Json(docs)),
        Ok(_) => None,
        Err(e) => Some(e),
    };
    match crate::convert_bytes(path, bytes, options) {
        Ok(doc) => Ok(Input::Converted(doc)),
        Err(convert_error) => {
            // Reporting "no agreement found" for a JSON file would hide the real cause.
            let is_json = serde_json::Deserializer::from_slice(json)
                .into_iter::<serde::de::IgnoredAny>()
                .all(|v| v.is_ok());
            match doc_error {
                Some(e) if is_json => Err(ExportError::NotADocument {
                    path: path.to_owned(),
                    detail: e.to_string(),
                }),
                _ => Err(convert_error.into()),
            }
        }
    }
}

/// Writes every table as `<table>.ndjson` and `<table>.csv` into `dir`, creating it.
pub fn write_files(tables: &Tables, dir: &Path) -> Result<(), ExportError> {
    write_files_with(tables, dir, false)
}

/// [`write_files`]; with `csv_bom`, every CSV starts with a UTF-8 byte order mark
/// (EF BB BF), which spreadsheet programs such as Excel need to read UTF-8.
pub fn write_files_with(tables: &Tables, dir: &Path, csv_bom: bool) -> Result<(), ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
        path: dir.to_owned(),
        source,
    })?;
    for table in tables.all() {
        for (ext, write) in [
            (
                "ndjson",
                write_ndjson as fn(&Table, &mut dyn Write) -> io::Result<()>,
            ),
            ("csv", write_csv),
        ] {
            let path = dir.join(format!("{}.{ext}", table.spec.name));
            let written = std::fs::File::create(&path).and_then(|f| {
                let mut out = BufWriter::new(f);
                if csv_bom && ext == "csv" {
                    out.write_all(b"\xEF\xBB\xBF")?;
                }
                write(table, &mut out)?;
                out.flush()
            });
            written.map_err(|source| ExportError::Write { path, source })?;
        }
    }
    Ok(())
}

/// Writes one compact JSON object per row, keys in column order, each line ending in `\n`.
pub fn write_ndjson(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    for row in &table.rows {
        out.write_all(b"{")?;
        for (i, (col, cell)) in table.spec.columns.iter().zip(row).enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, col.name)?;
            out.write_all(b":")?;
            match cell {
                Cell::Null => out.write_all(b"null")?,
                Cell::Integer(v) => write!(out, "{v}")?,
                Cell::Real(v) => out.write_all(Cell::real_text(*v).as_bytes())?,
                Cell::Text(s) => serde_json::to_writer(&mut *out, s)?,
            }
        }
        out.write_all(b"}\n")?;
    }
    Ok(())
}

/// Writes RFC 4180 CSV: a header row, `,` between fields, CRLF after every row, UTF-8
/// without BOM. A field is quoted when it holds `,`, `"`, CR or LF (quotes doubled). Null
/// is an empty field and the empty string is `""`, so loaders that read an unquoted empty
/// field as NULL (PostgreSQL `COPY`) keep the two apart.
pub fn write_csv(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<Cell> = table
        .spec
        .columns
        .iter()
        .map(|c| Cell::text(c.name))
        .collect();
    for row in std::iter::once(&header).chain(&table.rows) {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            match cell {
                Cell::Null => {}
                Cell::Integer(v) => write!(out, "{v}")?,
                Cell::Real(v) => out.write_all(Cell::real_text(*v).as_bytes())?,
                Cell::Text(s) => write_csv_field(out, s)?,
            }
        }
        out.write_all(b"\r\n")?;
    }
    Ok(())
}

fn write_csv_field(out: &mut dyn Write, s: &str) -> io::Result<()> {
    if !s.is_empty() && !s.contains([',', '"', '\r', '\n']) {
        return out.write_all(s.as_bytes());
    }
    out.write_all(b"\"")?;
    out.write_all(s.replace('"', "\"\"").as_bytes())?;
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: Vec<Vec<Cell>>) -> Table {
        Table {
            spec: &SIGNATORIES,
            rows,
        }
    }

    fn csv(t: &Table) -> String {
        let mut out = Vec::new();
        write_csv(t, &mut out).expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    fn ndjson(t: &Table) -> String {
        let mut out = Vec::new();
        write_ndjson(t, &mut out).expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn csv_quotes_only_what_needs_it_and_tells_null_from_empty() {
        let t = table(vec![vec![
            Cell::text("a-1"),
            Cell::Integer(2),
            Cell::text("Työ- ja elinkeinoministeriö, TEM"),
            Cell::text("Sanoi \"hei\"\r\nja lähti"),
            Cell::Null,
        ]]);
        let mut row = t.rows[0].clone();
        row[2] = Cell::text("");
        let t2 = table(vec![row]);
        assert_eq!(
            csv(&t),
            "agreement_id,ordinal,organization,name,title\r\n\
             a-1,2,\"Työ- ja elinkeinoministeriö, TEM\",\"Sanoi \"\"hei\"\"\r\nja lähti\",\r\n"
        );
        assert!(csv(&t2).ends_with("a-1,2,\"\",\"Sanoi \"\"hei\"\"\r\nja lähti\",\r\n"));
    }

    #[test]
    fn ndjson_keeps_column_order_and_json_numbers() {
        let t = Table {
            spec: &INDICATOR_VALUES,
            rows: vec![vec![
                Cell::text("i-1"),
                Cell::text("a-1"),
                Cell::Integer(1),
                Cell::Integer(2026),
                Cell::text("target"),
                Cell::text("<="),
                Cell::real(Some(30.0)),
                Cell::text("≤ 30,0\n\"x\""),
            ]],
        };
        assert_eq!(
            ndjson(&t),
            "{\"indicator_id\":\"i-1\",\"agreement_id\":\"a-1\",\"ordinal\":1,\"year\":2026,\"kind\":\"target\",\
             \"comparator\":\"<=\",\"value\":30.0,\"raw\":\"≤ 30,0\\n\\\"x\\\"\"}\n"
        );
        assert!(csv(&t).ends_with("i-1,a-1,1,2026,target,<=,30.0,\"≤ 30,0\n\"\"x\"\"\"\r\n"));
    }

    #[test]
    fn non_finite_values_are_null() {
        assert_eq!(Cell::real(Some(f64::NAN)), Cell::Null);
        assert_eq!(Cell::real(Some(f64::INFINITY)), Cell::Null);
        assert_eq!(Cell::real(Some(1.5)), Cell::Real(1.5));
    }

    #[test]
    fn foreign_keys_name_existing_columns_of_earlier_tables() {
        for (i, spec) in SPECS.iter().enumerate() {
            for key in spec.primary_key {
                assert!(spec.column_names().contains(key), "{}.{key}", spec.name);
            }
            for fk in spec.foreign_keys {
                assert!(fk.columns.iter().all(|c| spec.column_names().contains(c)));
                let target = SPECS[..=i]
                    .iter()
                    .find(|s| s.name == fk.table)
                    .unwrap_or_else(|| panic!("{} references a later table", spec.name));
                // SQLite wants the referenced columns to be the target's whole key.
                assert_eq!(fk.references, target.primary_key, "{}", spec.name);
                assert_eq!(fk.columns.len(), fk.references.len());
            }
        }
    }

    #[test]
    fn create_sql_quotes_names_and_declares_keys() {
        let sql = INDICATORS.create_sql();
        assert!(sql.contains("\"group\" TEXT,"), "{sql}");
        assert!(sql.contains("\"name\" TEXT NOT NULL,"), "{sql}");
        assert!(
            sql.contains("PRIMARY KEY (\"id\", \"agreement_id\")"),
            "{sql}"
        );
        let sql = INDICATOR_VALUES.create_sql();
        assert!(sql.contains("\"value\" REAL,"), "{sql}");
        assert!(
            sql.contains("PRIMARY KEY (\"indicator_id\", \"agreement_id\", \"ordinal\")"),
            "{sql}"
        );
        assert!(sql.contains(
            "FOREIGN KEY (\"indicator_id\", \"agreement_id\") \
             REFERENCES \"indicators\" (\"id\", \"agreement_id\")"
        ));
    }

    #[test]
    fn json_that_is_not_a_document_says_so() {
        let err = load_input("x.json", br#"{"schema_version": 1}"#).expect_err("not a document");
        let msg = err.to_string();
        assert!(
            msg.starts_with("x.json: JSON, but not a tulossopimus document: missing field"),
            "{msg}"
        );
        let err = load_input("y.txt", b"just some words\n").expect_err("not an agreement");
        assert!(matches!(err, ExportError::Input(_)), "{err}");
    }
}
