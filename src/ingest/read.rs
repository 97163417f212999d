//! Reading an export file into a raw table of text cells.
//!
//! CSV (delimiter detected among `,` `;` tab `|`, quoted fields with embedded
//! newlines, UTF-8 with or without BOM or Windows-1252), XLSX (first or named
//! sheet; dates become ISO text) and Parquet all end up as one [`RawTable`]:
//! a polars frame of `String` columns under the file's own headers, plus the
//! row number as the user sees it in Excel (header = row 1).
//!
//! ```
//! use rodedraad::ingest::read::read_csv_bytes;
//! let t = read_csv_bytes("a;b\n1;\"x\ny\"\n".as_bytes(), "auto", "auto", std::path::Path::new("t.csv")).unwrap();
//! assert_eq!(t.headers, vec!["a", "b"]);
//! assert_eq!(t.df.height(), 1);
//! assert_eq!(t.delimiter, Some(b';'));
//! ```

use crate::error::{Error, Result};
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// Column with the spreadsheet row number of each record.
pub const ROW: &str = "__rij";
/// Column with the number of fields found in each record (ragged rows).
pub const FIELDS: &str = "__velden";
/// Column with fields beyond the header's width, joined by the delimiter.
pub const EXTRA: &str = "__extra";

/// A file read as text cells, before mapping and validation.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub path: PathBuf,
    /// The file's own headers, made unique.
    pub headers: Vec<String>,
    /// One `String` column per header plus [`ROW`], [`FIELDS`] and [`EXTRA`].
    pub df: DataFrame,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    pub delimiter: Option<u8>,
    pub encoding: &'static str,
    /// Numbers in date columns may be Excel serial dates.
    pub from_spreadsheet: bool,
}

fn bad_file(path: &Path, melding: impl Into<String>, advies: impl Into<String>) -> Error {
    Error::Input {
        path: path.to_path_buf(),
        message: melding.into(),
        advice: advies.into(),
    }
}

/// Reads a CSV, XLSX or Parquet file (by extension; anything else is read as CSV).
pub fn read_table(
    path: &Path,
    cfg: &crate::config::InputSettings,
    sheet: Option<&str>,
) -> Result<RawTable> {
    let bytes = std::fs::read(path).map_err(|e| {
        bad_file(
            path,
            format!("kan het bestand niet lezen ({e})"),
            "Controleer de naam en de rechten van het bestand.",
        )
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let mut t = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => {
            let sheet = sheet.or(Some(cfg.blad.as_str()).filter(|s| !s.is_empty()));
            read_spreadsheet(&bytes, path, sheet)?
        }
        "parquet" | "pq" => read_parquet(&bytes, path)?,
        _ => read_csv_bytes(&bytes, &cfg.scheidingsteken, &cfg.codering, path)?,
    };
    t.sha256 = crate::output::sha256_hex(&bytes);
    Ok(t)
}

/// Decodes bytes as UTF-8 (BOM stripped) or Windows-1252.
pub fn decode(bytes: &[u8], encoding: &str) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "utf-8 (BOM)");
    }
    let cp1252 = |b: &[u8]| {
        encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(b)
            .0
            .into_owned()
    };
    match encoding {
        "windows-1252" => (cp1252(bytes), "windows-1252"),
        "utf-8" => (String::from_utf8_lossy(bytes).into_owned(), "utf-8"),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), "utf-8"),
            Err(_) => (cp1252(bytes), "windows-1252"),
        },
    }
}

/// Picks the delimiter among `,` `;` tab `|` that splits the first records most consistently.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for d in [b';', b',', b'\t', b'|'] {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut counts = Vec::new();
        for rec in rdr.records().take(25) {
            match rec {
                Ok(r) => counts.push(r.len()),
                Err(_) => break,
            }
        }
        let Some(&width) = counts.first() else {
            continue;
        };
        if width < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == width).count();
        if (consistent, width) > (best.1, best.2) {
            best = (d, consistent, width);
        }
    }
    best.0
}

/// Reads CSV bytes (see module docs). `delimiter` and `encoding` may be `"auto"`.
pub fn read_csv_bytes(
    bytes: &[u8],
    delimiter: &str,
    encoding: &str,
    path: &Path,
) -> Result<RawTable> {
    let (text, enc) = decode(bytes, encoding);
    if text.trim().is_empty() {
        return Err(bad_file(
            path,
            "het bestand is leeg",
            "Lever een export aan met een kopregel en minstens één rij.",
        ));
    }
    let d = match delimiter {
        "auto" | "" => detect_delimiter(&text),
        "\\t" | "tab" => b'\t',
        s => s.as_bytes()[0],
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(d)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(bad_file(
                path,
                format!("de kopregel is onleesbaar ({e})"),
                "Sla het bestand opnieuw op als CSV.",
            ))
        }
        None => {
            return Err(bad_file(
                path,
                "het bestand is leeg",
                "Lever een export aan met een kopregel.",
            ))
        }
    };
    let headers = unique_headers(header.iter().map(|h| h.trim().to_string()).collect());
    let width = headers.len();
    let mut builders: Vec<StringChunkedBuilder> = headers
        .iter()
        .map(|h| StringChunkedBuilder::new(h.as_str().into(), 1024))
        .collect();
    let mut rows: Vec<u32> = Vec::new();
    let mut fields: Vec<u32> = Vec::new();
    let mut extra = StringChunkedBuilder::new(EXTRA.into(), 16);
    let sep = (d as char).to_string();
    for (i, rec) in records.enumerate() {
        let rec = rec.map_err(|e| {
            bad_file(
                path,
                format!("rij {} is onleesbaar ({e})", i + 2),
                "Controleer aanhalingstekens in die rij, of sla het bestand opnieuw op als CSV.",
            )
        })?;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue; // a blank line in the sheet: nothing to account for
        }
        for (j, b) in builders.iter_mut().enumerate() {
            match rec.get(j) {
                Some(v) if !v.is_empty() => b.append_value(v),
                _ => b.append_null(),
            }
        }
        if rec.len() > width {
            extra.append_value(rec.iter().skip(width).collect::<Vec<_>>().join(&sep));
        } else {
            extra.append_null();
        }
        rows.push(i as u32 + 2);
        fields.push(rec.len() as u32);
    }
    if rows.is_empty() {
        return Err(bad_file(
            path,
            "het bestand bevat alleen een kopregel en geen rijen",
            "Controleer of de export gelukt is; een lege export valt niet te verwerken.",
        ));
    }
    let df = finish_frame(builders, rows, fields, extra)?;
    Ok(RawTable {
        path: path.to_path_buf(),
        headers,
        df,
        sha256: String::new(),
        delimiter: Some(d),
        encoding: enc,
        from_spreadsheet: false,
    })
}

fn finish_frame(
    builders: Vec<StringChunkedBuilder>,
    rows: Vec<u32>,
    fields: Vec<u32>,
    extra: StringChunkedBuilder,
) -> Result<DataFrame> {
    let height = rows.len();
    let mut cols: Vec<Column> = builders
        .into_iter()
        .map(|b| b.finish().into_series().into_column())
        .collect();
    cols.push(Column::new(ROW.into(), rows));
    cols.push(Column::new(FIELDS.into(), fields));
    cols.push(extra.finish().into_series().into_column());
    Ok(DataFrame::new(height, cols)?)
}

fn unique_headers(raw: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for (i, h) in raw.into_iter().enumerate() {
        let base = if h.is_empty() {
            format!("kolom_{}", i + 1)
        } else {
            h
        };
        let mut name = base.clone();
        let mut n = 2;
        while out.contains(&name) || name.starts_with("__") {
            name = format!("{base}_{n}");
            n += 1;
        }
        out.push(name);
    }
    out
}

/// Reads the first (or the named) sheet of a spreadsheet.
pub fn read_spreadsheet(bytes: &[u8], path: &Path, sheet: Option<&str>) -> Result<RawTable> {
    use calamine::{Data, Reader};
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| {
            bad_file(
                path,
                format!("geen leesbaar spreadsheetbestand ({e})"),
                "Sla het bestand opnieuw op als .xlsx.",
            )
        })?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                bad_file(
                    path,
                    format!("werkblad \"{s}\" bestaat niet"),
                    format!("Kies een van: {}.", names.join(", ")),
                )
            })?,
        None => names.first().cloned().ok_or_else(|| {
            bad_file(
                path,
                "het bestand heeft geen werkbladen",
                "Lever een werkmap met gegevens aan.",
            )
        })?,
    };
    let range = wb.worksheet_range(&name).map_err(|e| {
        bad_file(
            path,
            format!("werkblad \"{name}\" is onleesbaar ({e})"),
            "Sla het bestand opnieuw op als .xlsx.",
        )
    })?;
    let first_row = range.start().map(|(r, _)| r).unwrap_or(0);
    let mut rows_iter = range.rows();
    let Some(header) = rows_iter.next() else {
        return Err(bad_file(
            path,
            format!("werkblad \"{name}\" is leeg"),
            "Lever een werkblad met een kopregel en rijen aan.",
        ));
    };
    let cell_text = |c: &Data| -> Option<String> {
        match c {
            Data::Empty => None,
            Data::String(s) if s.is_empty() => None,
            Data::String(s) => Some(s.clone()),
            Data::Int(i) => Some(i.to_string()),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", *f as i64)),
            Data::Float(f) => Some(f.to_string()),
            Data::Bool(b) => Some(if *b { "ja" } else { "nee" }.into()),
            Data::DateTime(dt) => {
                // Excel serial date (1900 system): days since 1899-12-30.
                let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                base.checked_add_days(chrono::Days::new(dt.as_f64().floor().max(0.0) as u64))
                    .map(|d| d.format("%Y-%m-%d").to_string())
            }
            Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
            Data::Error(e) => Some(format!("#{e:?}")),
        }
    };
    let headers = unique_headers(
        header
            .iter()
            .map(|c| cell_text(c).unwrap_or_default().trim().to_string())
            .collect(),
    );
    let mut builders: Vec<StringChunkedBuilder> = headers
        .iter()
        .map(|h| StringChunkedBuilder::new(h.as_str().into(), 1024))
        .collect();
    let (mut rows, mut fields) = (Vec::new(), Vec::new());
    let mut extra = StringChunkedBuilder::new(EXTRA.into(), 16);
    for (i, r) in rows_iter.enumerate() {
        let texts: Vec<Option<String>> = r.iter().map(cell_text).collect();
        if texts.iter().all(Option::is_none) {
            continue;
        }
        for (j, b) in builders.iter_mut().enumerate() {
            b.append_option(texts.get(j).cloned().flatten());
        }
        extra.append_null();
        rows.push(first_row + i as u32 + 2);
        fields.push(headers.len() as u32);
    }
    if rows.is_empty() {
        return Err(bad_file(
            path,
            "het werkblad bevat alleen een kopregel en geen rijen",
            "Controleer of de export gelukt is.",
        ));
    }
    let df = finish_frame(builders, rows, fields, extra)?;
    Ok(RawTable {
        path: path.to_path_buf(),
        headers,
        df,
        sha256: String::new(),
        delimiter: None,
        encoding: "xlsx",
        from_spreadsheet: true,
    })
}

/// Reads a Parquet file; every column is turned into text (dates as ISO).
pub fn read_parquet(bytes: &[u8], path: &Path) -> Result<RawTable> {
    let df = ParquetReader::new(std::io::Cursor::new(bytes.to_vec()))
        .finish()
        .map_err(|e| {
            bad_file(
                path,
                format!("geen leesbaar Parquet-bestand ({e})"),
                "Schrijf het bestand opnieuw weg als Parquet.",
            )
        })?;
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
    let mut df = df.lazy().select(exprs).collect()?;
    let rows: Vec<u32> = (0..height as u32).map(|i| i + 2).collect();
    df.with_column(Column::new(ROW.into(), rows))?;
    df.with_column(Column::new(
        FIELDS.into(),
        vec![headers.len() as u32; height],
    ))?;
    df.with_column(Column::full_null(EXTRA.into(), height, &DataType::String))?;
    Ok(RawTable {
        path: path.to_path_buf(),
        headers,
        df,
        sha256: String::new(),
        delimiter: None,
        encoding: "parquet",
        from_spreadsheet: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(s: &[u8]) -> Result<RawTable> {
        read_csv_bytes(s, "auto", "auto", Path::new("t.csv"))
    }

    #[test]
    fn detects_each_delimiter() {
        for d in [",", ";", "\t", "|"] {
            let text = format!("a{d}b{d}c\n1{d}2{d}3\n4{d}5{d}6\n");
            let t = csv(text.as_bytes()).unwrap();
            assert_eq!(t.delimiter, Some(d.as_bytes()[0]), "delimiter {d:?}");
            assert_eq!(t.headers, vec!["a", "b", "c"]);
        }
    }

    #[test]
    fn bom_and_windows_1252() {
        let t = csv(b"\xEF\xBB\xBFnaam;plaats\nJos\xC3\xA9;X\n").unwrap();
        assert_eq!(t.encoding, "utf-8 (BOM)");
        assert_eq!(t.headers[0], "naam");
        let t = csv(b"naam;plaats\nGe\xEBscaleerd;X\n").unwrap();
        assert_eq!(t.encoding, "windows-1252");
        let v =
            t.df.column("naam")
                .unwrap()
                .str()
                .unwrap()
                .get(0)
                .unwrap()
                .to_string();
        assert_eq!(v, "Geëscaleerd");
    }

    #[test]
    fn quoted_newlines_and_row_numbers() {
        let t = csv(b"id,tekst\n1,\"regel een\nregel twee\"\n2,x\n").unwrap();
        assert_eq!(t.df.height(), 2);
        let rows: Vec<u32> =
            t.df.column(ROW)
                .unwrap()
                .u32()
                .unwrap()
                .no_null_iter()
                .collect();
        assert_eq!(rows, vec![2, 3]);
    }

    #[test]
    fn ragged_rows_are_kept_with_their_field_count() {
        let t = csv(b"a,b,c\n1,2\n1,2,3,4\n").unwrap();
        let f: Vec<u32> =
            t.df.column(FIELDS)
                .unwrap()
                .u32()
                .unwrap()
                .no_null_iter()
                .collect();
        assert_eq!(f, vec![2, 4]);
        assert_eq!(t.df.column(EXTRA).unwrap().str().unwrap().get(1), Some("4"));
    }

    #[test]
    fn empty_and_header_only_files_are_refused() {
        assert_eq!(csv(b"").unwrap_err().exit_code(), 3);
        assert_eq!(csv(b"  \n").unwrap_err().exit_code(), 3);
        let e = csv(b"a;b\n").unwrap_err();
        assert!(e.to_string().contains("alleen een kopregel"));
    }

    #[test]
    fn duplicate_and_empty_headers_are_made_unique() {
        let t = csv(b"a,a,\n1,2,3\n").unwrap();
        assert_eq!(t.headers, vec!["a", "a_2", "kolom_3"]);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Arbitrary bytes never panic the reader: they give a table or a clear error.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = read_csv_bytes(&bytes, "auto", "auto", Path::new("x.csv"));
        }

        /// CSV-like text with random delimiters, quotes and newlines: every record is accounted for.
        #[test]
        fn csv_like_text_is_read_or_refused(cells in proptest::collection::vec("[a-z0-9\";,|\t\n ]{0,8}", 1..40), d in prop::sample::select(vec![',', ';', '|', '\t'])) {
            let text: String = cells.chunks(3).map(|c| c.join(&d.to_string())).collect::<Vec<_>>().join("\n");
            if let Ok(t) = read_csv_bytes(format!("a{d}b{d}c\n{text}").as_bytes(), "auto", "auto", Path::new("x.csv")) {
                prop_assert_eq!(t.df.height(), t.df.column(ROW).unwrap().len());
            }
        }

        /// Arbitrary bytes as an xlsx file are refused with an error, never a panic.
        #[test]
        fn arbitrary_spreadsheet_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = read_spreadsheet(&bytes, Path::new("x.xlsx"), None);
        }
    }
}
