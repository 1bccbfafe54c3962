//! `tulossopimus export --parquet`: the seven tables as Parquet files, read back with the
//! parquet crate's own reader and held to the SQLite export of the same inputs (row
//! counts, column names and order, types, nullability and every value), so no Python or
//! DuckDB is needed. The same files were checked once with pyarrow and DuckDB (the
//! commit that added the export says so).
mod common;

use std::fs::File;
use std::path::Path;

use common::{run, s, scratch};
use parquet::basic::{LogicalType, Repetition, Type as PhysicalType};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use rusqlite::types::Value;
use rusqlite::Connection;

const SEED: &str = "fixtures/keha-tulossopimus-2026-2029.txt";
const ARKISTO: &str = "fixtures/arkisto-tulossopimus-2026-2029.txt";
const VESILAITOS: &str = "fixtures/vesilaitos-tulossopimus-2027-2030.txt";

fn reader(dir: &Path, table: &str) -> SerializedFileReader<File> {
    let path = dir.join(format!("{table}.parquet"));
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SerializedFileReader::new(file).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (name, declared type, not null) of each column of `table`, in order.
fn sqlite_columns(conn: &Connection, table: &str) -> Vec<(String, String, bool)> {
    conn.prepare("SELECT name, type, \"notnull\" FROM pragma_table_info(?1) ORDER BY cid")
        .expect("prepares")
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// The Parquet type a column of the SQLite export must have: dates (the only TEXT
/// column holding one is `agreements.signed`) as DATE, the rest by SQLite's type.
fn expected_type(table: &str, column: &str, sql: &str) -> (PhysicalType, Option<LogicalType>) {
    match (table, column, sql) {
        ("agreements", "signed", "TEXT") => (PhysicalType::INT32, Some(LogicalType::Date)),
        (_, _, "INTEGER") => (PhysicalType::INT64, None),
        (_, _, "REAL") => (PhysicalType::DOUBLE, None),
        (_, _, "TEXT") => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
        other => panic!("unexpected SQLite column {other:?}"),
    }
}

/// Every row of `table` in the SQLite export, in insertion order, a date column as the
/// days since 1970-01-01 that SQLite itself computes from the text.
fn sqlite_rows(conn: &Connection, table: &str) -> Vec<Vec<Value>> {
    let columns = sqlite_columns(conn, table);
    let select: Vec<String> = columns
        .iter()
        .map(|(name, _, _)| match (table, name.as_str()) {
            ("agreements", "signed") => {
                "CAST(julianday(signed) - julianday('1970-01-01') AS INTEGER)".to_owned()
            }
            _ => format!("\"{name}\""),
        })
        .collect();
    let sql = format!(
        "SELECT {} FROM \"{table}\" ORDER BY rowid",
        select.join(", ")
    );
    let n = columns.len();
    conn.prepare(&sql)
        .expect("prepares")
        .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// A Parquet field as the SQLite value it must equal.
fn as_sqlite(field: &Field) -> Value {
    match field {
        Field::Null => Value::Null,
        Field::Long(v) => Value::Integer(*v),
        Field::Date(days) => Value::Integer(i64::from(*days)),
        Field::Double(v) => Value::Real(*v),
        Field::Str(text) => Value::Text(text.clone()),
        other => panic!("a field of a type the export does not write: {other:?}"),
    }
}

/// Exports `inputs` as SQLite and Parquet and holds every Parquet table to its SQLite
/// table. Returns the number of rows per table.
fn same_as_sqlite(dir: &Path, inputs: &[&str]) -> Vec<usize> {
    let db = dir.join("tables.db");
    let parquet = dir.join("parquet");
    let out = run(&[
        &["export", "--sqlite", s(&db), "--parquet", s(&parquet)][..],
        inputs,
    ]
    .concat());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let conn = Connection::open(&db).expect("opens");
    // Every table of the database, in the order created: each must have its file.
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        .expect("prepares")
        .query_map([], |r| r.get(0))
        .expect("runs")
        .collect::<Result<_, _>>()
        .expect("names");
    assert_eq!(tables.len(), 7, "{tables:?}");
    let mut counts = Vec::new();
    for table in &tables {
        let table = table.as_str();
        let reader = reader(&parquet, table);
        let meta = reader.metadata();
        let count: i64 = conn
            .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                r.get(0)
            })
            .expect("count");
        assert_eq!(meta.file_metadata().num_rows(), count, "{table}: row count");

        let schema = meta.file_metadata().schema_descr();
        let columns = sqlite_columns(&conn, table);
        assert_eq!(schema.num_columns(), columns.len(), "{table}: columns");
        for (i, (name, sql, not_null)) in columns.iter().enumerate() {
            let column = schema.column(i);
            assert_eq!(column.name(), name, "{table}: column {i}");
            let found = (column.physical_type(), column.logical_type_ref().cloned());
            assert_eq!(found, expected_type(table, name, sql), "{table}.{name}");
            let repetition = column.self_type().get_basic_info().repetition();
            let expected = if *not_null {
                Repetition::REQUIRED
            } else {
                Repetition::OPTIONAL
            };
            assert_eq!(repetition, expected, "{table}.{name}: nullability");
        }

        let rows: Vec<Vec<Value>> = reader
            .get_row_iter(None)
            .expect("rows")
            .map(|row| {
                row.expect("a row")
                    .get_column_iter()
                    .map(|(_, field)| as_sqlite(field))
                    .collect()
            })
            .collect();
        let expected = sqlite_rows(&conn, table);
        assert_eq!(rows.len(), expected.len(), "{table}");
        for (i, (row, want)) in rows.iter().zip(&expected).enumerate() {
            assert_eq!(row, want, "{table}: row {}", i + 1);
        }
        counts.push(rows.len());
    }
    counts
}

#[test]
fn parquet_tables_read_back_as_the_sqlite_export() {
    let dir = scratch("same");
    let counts = same_as_sqlite(
        &dir,
        &[
            SEED,
            ARKISTO,
            VESILAITOS,
            "fixtures/pdf/vayla-tulossopimus-2026-2029.pdf",
        ],
    );
    // Every table has rows, so every column type was written and read, nulls included.
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    let conn = Connection::open(dir.join("tables.db")).expect("opens");
    let nulls_and_dates: (i64, i64) = conn
        .query_row(
            "SELECT count(*) - count(signed), count(signed) FROM agreements",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("counts");
    assert!(
        nulls_and_dates.0 > 0 && nulls_and_dates.1 > 0,
        "both a null and a set date are compared: {nulls_and_dates:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_date_is_a_parquet_date() {
    let dir = scratch("date");
    let out = run(&["export", "--parquet", s(&dir), ARKISTO]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let signed: Vec<Field> = reader(&dir, "agreements")
        .get_row_iter(None)
        .expect("rows")
        .map(|row| {
            let row = row.expect("a row");
            let (name, field) = row.get_column_iter().last().expect("a column");
            assert_eq!(name, "signed");
            field.clone()
        })
        .collect();
    // "Helsingissä 15.1.2026": 20,468 days after 1970-01-01.
    assert_eq!(signed, [Field::Date(20_468)]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn two_editions_load_side_by_side() {
    let dir = scratch("editions");
    // The arkisto agreement and its next edition (another period and signing date).
    let old = std::fs::read_to_string(ARKISTO).expect("fixture");
    let new = old.replace("2026–2029", "2027–2030").replacen(
        "Helsingissä 15.1.2026",
        "Helsingissä 14.1.2027",
        1,
    );
    let (a, b) = (dir.join("2026.txt"), dir.join("2027.txt"));
    std::fs::write(&a, old).expect("write");
    std::fs::write(&b, new).expect("write");
    let counts = same_as_sqlite(&dir, &[s(&a), s(&b)]);
    assert_eq!(counts[0], 2, "two agreements");
    // Each node id is there once per edition, under two agreement ids.
    let nodes = reader(&dir.join("parquet"), "nodes");
    let mut keys = std::collections::BTreeMap::<String, Vec<String>>::new();
    for row in nodes.get_row_iter(None).expect("rows") {
        let row = row.expect("a row");
        let mut fields = row.get_column_iter();
        let (Some((_, Field::Str(id))), Some(_), Some((_, Field::Str(agreement)))) =
            (fields.next(), fields.next(), fields.next())
        else {
            panic!("id, parent_id, agreement_id: {row:?}")
        };
        keys.entry(id.clone()).or_default().push(agreement.clone());
    }
    assert_eq!(keys.len() * 2, counts[1], "{keys:?}");
    assert!(
        keys.values().all(|a| a.len() == 2 && a[0] != a[1]),
        "{keys:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_empty_table_is_a_schema_and_a_bad_date_is_refused() {
    let dir = scratch("empty");
    // The arkisto agreement as JSON with its signatories left out.
    let mut doc: serde_json::Value =
        serde_json::from_str(&run(&["convert", ARKISTO]).stdout).expect("JSON");
    doc["agreements"][0]["signatories"] = serde_json::json!([]);
    let json = dir.join("arkisto.json");
    std::fs::write(&json, doc.to_string()).expect("write");
    let counts = same_as_sqlite(&dir, &[s(&json)]);
    assert_eq!(
        counts[6], 0,
        "no signatories: a file with the schema and no rows"
    );
    assert_eq!(
        reader(&dir.join("parquet"), "signatories")
            .metadata()
            .file_metadata()
            .schema_descr()
            .num_columns(),
        5
    );

    // A date that is not YYYY-MM-DD (JSON edited by hand) cannot be a DATE: refused,
    // naming the cell; the other outputs are still written, no partial file is left.
    doc["agreements"][0]["signed"] = "14.1.2027".into();
    std::fs::write(&json, doc.to_string()).expect("write");
    let bad = dir.join("bad");
    let tables = dir.join("bad-tables");
    let out = run(&[
        "export",
        "--parquet",
        s(&bad),
        "--tables",
        s(&tables),
        s(&json),
    ]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "error: {}: cannot write Parquet: agreements.signed: \"14.1.2027\" is not a date \
             (YYYY-MM-DD)",
            s(&bad.join("agreements.parquet"))
        )),
        "{}",
        out.stderr
    );
    let left: Vec<_> = std::fs::read_dir(&bad)
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(tables.join("agreements.csv").exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn export_needs_an_output_and_csv_bom_needs_tables() {
    let none = run(&["export", SEED]);
    assert_eq!(none.code, Some(2));
    assert!(
        none.stderr
            .contains("--tables <DIR>|--sqlite <FILE>|--parquet <DIR>"),
        "{}",
        none.stderr
    );
    let dir = scratch("bom");
    let bom = run(&["export", "--csv-bom", "--parquet", s(&dir), SEED]);
    assert_eq!(bom.code, Some(2));
    assert!(bom.stderr.contains("--tables"), "{}", bom.stderr);
    let _ = std::fs::remove_dir_all(dir);
}
