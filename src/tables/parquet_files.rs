//! The tables as Parquet files (feature `export`: the parquet crate).

use std::io::BufWriter;
use std::path::Path;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use parquet::schema::types::Type as ParquetType;

use super::{Cell, Column, ColumnType, ExportError, Table, TableSpec, Tables};

/// Rows per Parquet row group: the parquet crate's own default maximum. Readers scan a
/// row group at a time, so a very large export stays within their memory.
const PARQUET_ROW_GROUP_ROWS: usize = 1024 * 1024;

/// Writes every table as `<table>.parquet` into `dir`, creating it: typed columns
/// (INTEGER as INT64, REAL as DOUBLE, TEXT as UTF-8 strings, dates as DATE), required
/// where the column is never null, snappy-compressed.
///
/// Each file is written beside its final name and renamed when complete, so a reader
/// never sees a truncated file and a failed export leaves the previous one as it was.
pub fn write_parquet(tables: &Tables, dir: &Path) -> Result<(), ExportError> {
    write_parquet_in_groups(tables, dir, PARQUET_ROW_GROUP_ROWS)
}

fn write_parquet_in_groups(
    tables: &Tables,
    dir: &Path,
    group_rows: usize,
) -> Result<(), ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
        path: dir.to_owned(),
        source,
    })?;
    for table in tables.all() {
        let path = dir.join(format!("{}.parquet", table.spec.name));
        let tmp = dir.join(format!(
            ".{}.parquet.tmp-{}",
            table.spec.name,
            std::process::id()
        ));
        let written = std::fs::File::create(&tmp)
            .map_err(|e| e.to_string())
            .and_then(|f| write_parquet_table(table, f, group_rows))
            .and_then(|()| std::fs::rename(&tmp, &path).map_err(|e| e.to_string()));
        if let Err(detail) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(ExportError::Parquet { path, detail });
        }
    }
    Ok(())
}

/// The Parquet schema of a table: one flat message, a column per column of `spec`.
fn parquet_schema(spec: &TableSpec) -> parquet::errors::Result<ParquetType> {
    let fields = spec
        .columns
        .iter()
        .map(|c| {
            let (physical, logical) = match c.ty {
                ColumnType::Integer => (PhysicalType::INT64, None),
                ColumnType::Real => (PhysicalType::DOUBLE, None),
                ColumnType::Text => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
                ColumnType::Date => (PhysicalType::INT32, Some(LogicalType::Date)),
            };
            let repetition = if c.nullable {
                Repetition::OPTIONAL
            } else {
                Repetition::REQUIRED
            };
            ParquetType::primitive_type_builder(c.name, physical)
                .with_repetition(repetition)
                .with_logical_type(logical)
                .build()
                .map(std::sync::Arc::new)
        })
        .collect::<parquet::errors::Result<Vec<_>>>()?;
    ParquetType::group_type_builder(spec.name)
        .with_fields(fields)
        .build()
}

fn write_parquet_table(table: &Table, out: std::fs::File, group_rows: usize) -> Result<(), String> {
    let schema = std::sync::Arc::new(parquet_schema(table.spec).map_err(parquet_detail)?);
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer = SerializedFileWriter::new(BufWriter::new(out), schema, props.into())
        .map_err(parquet_detail)?;
    // No rows, no row group: the file holds the schema alone, which readers take as an
    // empty table.
    for rows in table.rows.chunks(group_rows.max(1)) {
        let mut group = writer.next_row_group().map_err(parquet_detail)?;
        for (i, column) in table.spec.columns.iter().enumerate() {
            let mut writer = group
                .next_column()
                .map_err(parquet_detail)?
                .ok_or("fewer columns than the schema")?;
            let cells = rows.iter().map(|r| r.get(i).unwrap_or(&Cell::Null));
            write_parquet_column(&mut writer, table.spec.name, column, cells)?;
            writer.close().map_err(parquet_detail)?;
        }
        group.close().map_err(parquet_detail)?;
    }
    let file = writer
        .into_inner()
        .map_err(parquet_detail)?
        .into_inner()
        .map_err(|e| e.into_error().to_string())?;
    file.sync_all().map_err(|e| e.to_string())
}

/// ParquetError's text without its "Parquet error: " prefix (the message says Parquet).
fn parquet_detail(e: parquet::errors::ParquetError) -> String {
    let text = e.to_string();
    text.strip_prefix("Parquet error: ")
        .map_or_else(|| text.clone(), str::to_owned)
}

/// Writes one column chunk: the non-null values, and for a nullable column a
/// definition level per row (1 set, 0 null).
fn write_parquet_column<'a>(
    writer: &mut SerializedColumnWriter<'_>,
    table: &str,
    column: &Column,
    cells: impl Iterator<Item = &'a Cell>,
) -> Result<(), String> {
    let mut levels = Vec::new();
    let mut ints = Vec::new();
    let mut reals = Vec::new();
    let mut texts = Vec::new();
    let mut dates = Vec::new();
    for cell in cells {
        levels.push(i16::from(*cell != Cell::Null));
        match (column.ty, cell) {
            (_, Cell::Null) if column.nullable => {}
            (ColumnType::Integer, Cell::Integer(v)) => ints.push(*v),
            (ColumnType::Real, Cell::Real(v)) => reals.push(*v),
            (ColumnType::Text, Cell::Text(s)) => texts.push(ByteArray::from(s.as_str())),
            (ColumnType::Date, Cell::Text(s)) => dates.push(epoch_days(s).ok_or_else(|| {
                format!("{table}.{}: {s:?} is not a date (YYYY-MM-DD)", column.name)
            })?),
            (ty, cell) => {
                return Err(format!(
                    "{table}.{}: {cell:?} does not fit a {ty:?} column",
                    column.name
                ))
            }
        }
    }
    let levels = column.nullable.then_some(levels.as_slice());
    match column.ty {
        ColumnType::Integer => writer.typed::<Int64Type>().write_batch(&ints, levels, None),
        ColumnType::Real => writer
            .typed::<DoubleType>()
            .write_batch(&reals, levels, None),
        ColumnType::Text => writer
            .typed::<ByteArrayType>()
            .write_batch(&texts, levels, None),
        ColumnType::Date => writer
            .typed::<Int32Type>()
            .write_batch(&dates, levels, None),
    }
    .map(|_| ())
    .map_err(parquet_detail)
}

/// Days from 1970-01-01 to a proleptic Gregorian `YYYY-MM-DD` (Parquet's DATE), or
/// `None` when the text is not exactly such a date.
fn epoch_days(date: &str) -> Option<i32> {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r)?.iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=month_days).contains(&day) {
        return None;
    }
    // Howard Hinnant's days_from_civil: years counted from March, so the leap day ends
    // a year.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    i32::try_from(era * 146_097 + day_of_era - 719_468).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::build;

    #[test]
    fn epoch_days_are_parquet_dates_of_real_days_only() {
        assert_eq!(epoch_days("1970-01-01"), Some(0));
        assert_eq!(epoch_days("1969-12-31"), Some(-1));
        assert_eq!(epoch_days("2000-03-01"), Some(11_017));
        assert_eq!(epoch_days("2026-02-13"), Some(20_497));
        assert_eq!(epoch_days("2024-02-29"), Some(19_782));
        assert_eq!(epoch_days("2000-02-29"), Some(11_016));
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "13.2.2026",
            "2026-2-13",
            "2026-02-13T00:00",
            "+026-02-13",
            "",
        ] {
            assert_eq!(epoch_days(bad), None, "{bad}");
        }
    }

    #[test]
    fn parquet_splits_rows_into_row_groups_in_order() {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        let rows: Vec<Vec<Cell>> = (0..10)
            .map(|i| {
                vec![
                    Cell::text("a-1"),
                    Cell::ordinal(i),
                    if i % 3 == 0 {
                        Cell::Null
                    } else {
                        Cell::text("TEM")
                    },
                    Cell::Text(format!("Nimi {i}")),
                    Cell::Null,
                ]
            })
            .collect();
        let mut tables = build(&[]);
        tables.signatories.rows = rows;
        let dir = std::env::temp_dir().join(format!("tulossopimus-groups-{}", std::process::id()));
        write_parquet_in_groups(&tables, &dir, 4).expect("writes");
        let file = std::fs::File::open(dir.join("signatories.parquet")).expect("written");
        let reader = SerializedFileReader::new(file).expect("reads");
        let sizes: Vec<i64> = reader
            .metadata()
            .row_groups()
            .iter()
            .map(|g| g.num_rows())
            .collect();
        assert_eq!(sizes, [4, 4, 2]);
        let names: Vec<String> = reader
            .get_row_iter(None)
            .expect("rows")
            .map(|r| {
                use parquet::record::RowAccessor;
                r.expect("row").get_string(3).expect("name").clone()
            })
            .collect();
        let expected: Vec<String> = (0..10).map(|i| format!("Nimi {i}")).collect();
        assert_eq!(names, expected);
        let empty = std::fs::File::open(dir.join("nodes.parquet")).expect("written");
        let empty = SerializedFileReader::new(empty).expect("reads");
        assert_eq!(empty.metadata().num_row_groups(), 0);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_cell_that_does_not_fit_its_parquet_column_is_refused() {
        let mut tables = build(&[]);
        tables.signatories.rows = vec![vec![
            Cell::text("a-1"),
            Cell::Integer(1),
            Cell::Null,
            Cell::Null,
            Cell::Null,
        ]];
        let dir = std::env::temp_dir().join(format!("tulossopimus-misfit-{}", std::process::id()));
        let err = write_parquet(&tables, &dir).expect_err("name is never null");
        assert!(
            err.to_string().ends_with(
                "signatories.parquet: cannot write Parquet: signatories.name: Null \
                            does not fit a Text column"
            ),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
