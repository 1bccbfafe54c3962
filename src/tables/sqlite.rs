//! The tables as a SQLite database (feature `export`: rusqlite, with SQLite built in).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::Connection;

use super::{quote, Cell, ExportError, TableSpec, Tables};

impl rusqlite::ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Cell::Null => ValueRef::Null,
            Cell::Integer(v) => ValueRef::Integer(*v),
            Cell::Real(v) => ValueRef::Real(*v),
            Cell::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

/// Writes every table into a new SQLite database at `path`, replacing an existing file,
/// with primary and foreign keys enforced, in one transaction.
///
/// The database is built beside `path` and renamed over it only when complete, so a
/// failed export leaves any previous database as it was.
pub fn write_sqlite(tables: &Tables, path: &Path) -> Result<(), ExportError> {
    check_unique_keys(tables, path)?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    // A run killed midway may have left one.
    let _ = std::fs::remove_file(&tmp);
    let result = fill_sqlite(tables, &tmp)
        .map_err(|source| ExportError::Sqlite {
            path: path.to_owned(),
            source,
        })
        .and_then(|()| {
            std::fs::rename(&tmp, path).map_err(|source| ExportError::Write {
                path: path.to_owned(),
                source,
            })
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn fill_sqlite(tables: &Tables, path: &Path) -> rusqlite::Result<()> {
    let mut conn = Connection::open(path)?;
    // Must be set outside a transaction; SQLite ignores it inside one.
    conn.pragma_update(None, "foreign_keys", true)?;
    let tx = conn.transaction()?;
    for table in tables.all() {
        tx.execute_batch(&table.spec.create_sql())?;
        let mut insert = tx.prepare(&insert_sql(table.spec))?;
        for row in &table.rows {
            insert.execute(rusqlite::params_from_iter(row))?;
        }
        // After the rows: one sorted build instead of an update per insert.
        for index in table.spec.index_sql() {
            tx.execute_batch(&index)?;
        }
    }
    tx.commit()?;
    conn.close().map_err(|(_, e)| e)
}

/// Finds a repeated primary key before SQLite does, to name the table and the key.
fn check_unique_keys(tables: &Tables, path: &Path) -> Result<(), ExportError> {
    for table in tables.all() {
        let spec = table.spec;
        let key_columns: Vec<usize> = spec
            .primary_key
            .iter()
            .filter_map(|k| spec.columns.iter().position(|c| c.name == *k))
            .collect();
        let mut seen = HashSet::new();
        for row in &table.rows {
            let key = key_columns
                .iter()
                .map(|&i| match row.get(i) {
                    Some(Cell::Text(s)) => s.clone(),
                    Some(Cell::Integer(v)) => v.to_string(),
                    Some(Cell::Real(v)) => Cell::real_text(*v),
                    Some(Cell::Null) | None => "null".to_owned(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            if !seen.insert(key.clone()) {
                return Err(ExportError::DuplicateKey {
                    path: path.to_owned(),
                    table: spec.name,
                    key,
                });
            }
        }
    }
    Ok(())
}

/// The `INSERT` statement of a row of `spec`, its values numbered parameters.
fn insert_sql(spec: &TableSpec) -> String {
    let names: Vec<String> = spec.columns.iter().map(|c| quote(c.name)).collect();
    let marks: Vec<String> = (1..=spec.columns.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote(spec.name),
        names.join(", "),
        marks.join(", ")
    )
}
