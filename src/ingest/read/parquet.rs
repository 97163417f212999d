//! Reading a Parquet file into a raw table: every column becomes text (dates as ISO),
//! after the schema is checked, so a column that cannot become text (decimal, time zone,
//! duration, list, binary, struct) is refused with its name.
//!
//! ```no_run
//! use rodedraad::ingest::read::read_parquet;
//! let bytes = std::fs::read("casussen.parquet").unwrap();
//! let t = read_parquet(&bytes, "casussen.parquet".as_ref()).unwrap();
//! println!("{} rijen, kolommen {:?}", t.df.height(), t.headers);
//! ```

use super::table::{too_wide, MAX_COLUMNS};
use super::{bad_file, RawTable, EXTRA, FIELDS, READ_PROBLEM, ROW};
use crate::error::Result;
use polars::prelude::*;
use polars_io::prelude::{ParquetReader, SerReader};
use std::path::Path;

/// Why a Parquet column type cannot be read as text, in Dutch (`None`: it can).
fn unreadable_parquet_type(dt: &ArrowDataType) -> Option<String> {
    use ArrowDataType as A;
    match dt {
        A::Null
        | A::Boolean
        | A::Int8
        | A::Int16
        | A::Int32
        | A::Int64
        | A::UInt8
        | A::UInt16
        | A::UInt32
        | A::UInt64
        | A::Float32
        | A::Float64
        | A::Utf8
        | A::LargeUtf8
        | A::Utf8View
        | A::Date32
        | A::Timestamp(_, None) => None,
        A::Timestamp(_, Some(tz)) => Some(format!(
            "een tijdstip met tijdzone ({tz}); sla de kolom op als datum of als tijdstip zonder tijdzone"
        )),
        A::Decimal(..) | A::Decimal32(..) | A::Decimal64(..) | A::Decimal256(..) => Some(
            "een decimaal getal (decimal); sla de kolom op als kommagetal (double), geheel getal of tekst".into(),
        ),
        A::Duration(_) | A::Interval(_) => {
            Some("een tijdsduur; sla de kolom op als datum, getal of tekst".into())
        }
        A::List(_) | A::LargeList(_) | A::FixedSizeList(..) => Some(
            "een lijst; sla meerdere waarden op als tekst, gescheiden door |".into(),
        ),
        A::Binary | A::LargeBinary | A::FixedSizeBinary(_) | A::BinaryView => {
            Some("binaire gegevens; sla de kolom op als tekst".into())
        }
        A::Struct(_) | A::Map(..) | A::Union(_) => Some(
            "een samengestelde waarde (struct of map); sla elk onderdeel op als eigen kolom".into(),
        ),
        A::Dictionary(..) => Some(
            "een categoriekolom (dictionary); sla de kolom op als gewone tekst".into(),
        ),
        other => Some(format!(
            "het type {other:?}, dat rodedraad niet leest; sla de kolom op als tekst, getal of datum"
        )),
    }
}

/// Reads a Parquet file; every column is turned into text (dates as ISO). The schema is
/// checked first: a column of a type that cannot become text (decimal, time zone,
/// duration, list, binary, struct) is refused, naming the file and the column.
pub fn read_parquet(bytes: &[u8], path: &Path) -> Result<RawTable> {
    let unreadable = |e: PolarsError| {
        bad_file(
            path,
            format!(
                "geen leesbaar Parquet-bestand ({})",
                first_line(&e.to_string())
            ),
            "Schrijf het bestand opnieuw weg als Parquet.",
        )
    };
    let mut reader = ParquetReader::new(std::io::Cursor::new(bytes.to_vec()));
    let schema = reader.schema().map_err(unreadable)?;
    for field in schema.iter_values() {
        if let Some(why) = unreadable_parquet_type(&field.dtype) {
            return Err(bad_file(
                path,
                format!("kolom \"{}\" bevat {why}", field.name),
                "Of laat de kolom weg uit de export: rodedraad leest alleen tekst, getallen, ja/nee en datums.",
            ));
        }
    }
    if schema.len() > MAX_COLUMNS {
        return Err(too_wide(path, schema.len()));
    }
    let df = reader.finish().map_err(unreadable)?;
    if df.height() == 0 {
        return Err(bad_file(
            path,
            "het bestand bevat geen rijen",
            "Controleer of de export gelukt is.",
        ));
    }
    let headers: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let height = df.height();
    let exprs: Vec<Expr> = headers
        .iter()
        .map(|h| col(h.as_str()).cast(DataType::String))
        .collect();
    let mut df = df.lazy().select(exprs).collect().map_err(unreadable)?;
    let rows: Vec<u32> = (0..height as u32).map(|i| i + 2).collect();
    df.with_column(Column::new(ROW.into(), rows))?;
    df.with_column(Column::new(
        FIELDS.into(),
        vec![headers.len() as u32; height],
    ))?;
    df.with_column(Column::full_null(EXTRA.into(), height, &DataType::String))?;
    df.with_column(Column::full_null(
        READ_PROBLEM.into(),
        height,
        &DataType::String,
    ))?;
    Ok(RawTable {
        path: path.to_path_buf(),
        headers,
        df,
        sha256: String::new(),
        delimiter: None,
        encoding: "parquet",
        from_spreadsheet: false,
        notes: Vec::new(),
    })
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}
