//! Reading a spreadsheet (`.xlsx`, `.xlsm`, `.xls`, `.ods`) into a raw table: the first
//! or the named sheet, the first row with a value as the header, dates as ISO text, a
//! value right of the header as an extra field, and the row numbers as Excel shows them.
//! A sheet that would be read as a huge grid is refused before the grid is made.
//!
//! ```
//! use rodedraad::ingest::read::column_letters;
//! assert_eq!(column_letters(0), "A");
//! assert_eq!(column_letters(16_383), "XFD");
//! ```

use super::table::{too_wide, unique_headers, TableBuilder, MAX_COLUMNS};
use super::{bad_file, RawTable};
use crate::error::Result;
use std::path::Path;

/// Excel's column letters for a 0-based column index (0 -> A, 16383 -> XFD).
pub fn column_letters(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn cell_text(c: &calamine::Data) -> Option<String> {
    use calamine::Data;
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
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
            let days = dt.as_f64();
            if !days.is_finite() || !(0.0..=2_958_465.0).contains(&days) {
                return Some(days.to_string());
            }
            base.checked_add_days(chrono::Days::new(days.floor() as u64))
                .map(|d| d.format("%Y-%m-%d").to_string())
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(format!("#{e:?}")),
    }
}

/// The non-empty cells of a sheet as (row, column, text), in reading order. An `.xlsx`
/// sheet is read cell by cell, so a stray cell at XFD1048576 costs one cell, not the
/// 17 billion of the rectangle it spans; other formats are read as a range.
fn sheet_cells<RS>(
    wb: &mut calamine::Sheets<RS>,
    name: &str,
    path: &Path,
) -> Result<Vec<(u32, u32, String)>>
where
    RS: std::io::Read + std::io::Seek,
{
    use calamine::Reader;
    let unreadable = |e: String| {
        bad_file(
            path,
            format!("werkblad \"{name}\" is onleesbaar ({e})"),
            "Sla het bestand opnieuw op als .xlsx.",
        )
    };
    let mut out = Vec::new();
    match wb {
        calamine::Sheets::Xlsx(x) => {
            let mut cells = x
                .worksheet_cells_reader(name)
                .map_err(|e| unreadable(e.to_string()))?;
            while let Some(cell) = cells.next_cell().map_err(|e| unreadable(e.to_string()))? {
                let (r, c) = cell.get_position();
                if let Some(t) = cell_text(&calamine::Data::from(cell.get_value().clone())) {
                    out.push((r, c, t));
                }
            }
        }
        other => {
            let range = other
                .worksheet_range(name)
                .map_err(|e| unreadable(e.to_string()))?;
            for (r, c, v) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                if let Some(t) = cell_text(v) {
                    out.push((r0 + r as u32, c0 + c as u32, t));
                }
            }
        }
    }
    out.sort_by_key(|&(r, c, _)| (r, c));
    Ok(out)
}

/// Refuses a `.xls` or `.ods` file whose sheet would be read as a grid of more than
/// [`MAX_CELLS`](crate::ingest::sheet_size::MAX_CELLS) cells (the reader library allocates
/// the whole rectangle from the first to the last used cell): checked on the file's own structure, before any grid
/// is allocated, so a small file with one far cell is a clear error, not an abort.
fn refuse_huge_grid(bytes: &[u8], path: &Path) -> Result<()> {
    let Some(g) = crate::ingest::sheet_size::grid_size(bytes) else {
        return Ok(());
    };
    if g.cells() <= crate::ingest::sheet_size::MAX_CELLS {
        return Ok(());
    }
    let size = if g.cols == 1 {
        format!(
            "{} cellen",
            crate::nl::int(g.rows.min(i64::MAX as u64) as i64)
        )
    } else {
        format!(
            "{} rijen bij {} kolommen",
            crate::nl::int(g.rows as i64),
            crate::nl::int(g.cols as i64)
        )
    };
    Err(bad_file(
        path,
        format!(
            "werkblad {} zou als één blok van {size} worden gelezen ({}); .xls en .ods worden als één blok gelezen, en rodedraad leest hoogstens {} cellen per werkblad",
            g.sheet,
            g.cause,
            crate::nl::int(crate::ingest::sheet_size::MAX_CELLS as i64)
        ),
        "Verwijder de verre of lege opgemaakte cellen, of sla het bestand op als .xlsx (dat wordt cel voor cel gelezen).",
    ))
}

/// Reads the first (or the named) sheet of a spreadsheet. The first row with a value is
/// the header; a value right of the header's last column is kept as an extra field (the
/// row then goes to quarantine); a row whose cells are all blank is quarantined as empty.
pub fn read_spreadsheet(bytes: &[u8], path: &Path, sheet: Option<&str>) -> Result<RawTable> {
    use calamine::Reader;
    refuse_huge_grid(bytes, path)?;
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
    let cells = sheet_cells(&mut wb, &name, path)?;
    let Some(&(header_row, _, _)) = cells.first() else {
        return Err(bad_file(
            path,
            format!("werkblad \"{name}\" is leeg"),
            "Lever een werkblad met een kopregel en rijen aan.",
        ));
    };
    let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let header_cells: Vec<&(u32, u32, String)> =
        cells.iter().take_while(|c| c.0 == header_row).collect();
    let width = header_cells
        .iter()
        .map(|c| (c.1 - first_col) as usize + 1)
        .max()
        .unwrap_or(0);
    if width > MAX_COLUMNS {
        return Err(too_wide(path, width));
    }
    let mut raw_headers = vec![String::new(); width];
    for (_, c, t) in &header_cells {
        raw_headers[(c - first_col) as usize] = t.trim().to_string();
    }
    let mut table = TableBuilder::new(unique_headers(raw_headers), " | ".into());
    let mut rest = cells[header_cells.len()..].iter().peekable();
    while let Some(&&(r, _, _)) = rest.peek() {
        let mut fields = vec![String::new(); width];
        let mut extra: Vec<String> = Vec::new();
        while let Some((_, c, t)) = rest.next_if(|x| x.0 == r) {
            let j = (c - first_col) as usize;
            if j < width {
                fields[j] = t.clone();
            } else {
                extra.push(format!("{}{}: {t}", column_letters(*c), r + 1));
            }
        }
        fields.extend(extra);
        table.push_at(&csv::StringRecord::from(fields), r + 1, None);
    }
    let (headers, df) = table.finish(path)?;
    Ok(RawTable {
        path: path.to_path_buf(),
        headers,
        df,
        sha256: String::new(),
        delimiter: None,
        encoding: "xlsx",
        from_spreadsheet: true,
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{column, row_numbers};
    use super::super::EXTRA;
    use super::*;

    #[test]
    fn a_cell_at_xfd1048576_costs_one_cell() {
        use rust_xlsxwriter::Workbook;
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (j, h) in ["casus_id", "thema"].iter().enumerate() {
            ws.write_string(0, j as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "C-1").unwrap();
        ws.write_string(1, 1, "toeslagen").unwrap();
        ws.write_string(1_048_575, 16_383, "ver weg").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let t = read_spreadsheet(&bytes, Path::new("x.xlsx"), None).unwrap();
        assert_eq!(t.headers, vec!["casus_id", "thema"]);
        assert_eq!(t.df.height(), 2);
        let rows = row_numbers(&t);
        assert_eq!(rows, vec![2, 1_048_576]);
        assert_eq!(
            t.df.column(EXTRA).unwrap().str().unwrap().get(1),
            Some("XFD1048576: ver weg")
        );
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
    }

    #[test]
    fn ods_is_read_and_a_far_cell_in_ods_or_xls_is_refused_before_the_grid_is_made() {
        use crate::ingest::sheet_size::tests::{biff, cfb, ods, text_cell};
        let row = |cells: &[&str]| {
            let c: String = cells.iter().map(|s| text_cell(s)).collect();
            format!("<table:table-row>{c}</table:table-row>")
        };
        let normal = format!(
            r#"<table:table table:name="Blad1">{}{}<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#,
            row(&["casus_id", "thema"]),
            row(&["C-1", "invordering"])
        );
        let t = read_spreadsheet(&ods(&normal), Path::new("x.ods"), None).unwrap();
        assert_eq!(t.headers, vec!["casus_id", "thema"]);
        assert_eq!(column(&t, "thema"), vec![Some("invordering".to_string())]);
        let far = format!(
            r#"<table:table table:name="Blad1">{}<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16000"/>{}</table:table-row></table:table>"#,
            row(&["casus_id", "thema"]),
            text_cell("ver weg")
        );
        let e = read_spreadsheet(&ods(&far), Path::new("x.ods"), None).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert!(
            e.to_string()
                .contains("werkblad 1 zou als één blok van 1.048.002 rijen bij 16.001 kolommen worden gelezen"),
            "{e}"
        );
        let xls = cfb(&biff(&[(0, 0), (65535, 255)], None), true);
        let e = read_spreadsheet(&xls, Path::new("x.xls"), None).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert!(
            e.to_string().contains("65.536 rijen bij 256 kolommen"),
            "{e}"
        );
        let xls = cfb(&biff(&[(0, 0)], Some((0, 1_000_000, 0, 200))), true);
        let e = read_spreadsheet(&xls, Path::new("x.xls"), None).unwrap_err();
        assert!(e.to_string().contains("DIMENSIONS"), "{e}");
        if let Ok(d) = std::env::var("RD_WRITE_CORPUS") {
            std::fs::write(format!("{d}/ver-weg.ods"), ods(&far)).unwrap();
            std::fs::write(
                format!("{d}/ver-weg.xls"),
                cfb(&biff(&[(0, 0), (65535, 255)], None), true),
            )
            .unwrap();
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Arbitrary bytes as an xlsx file are refused with an error, never a panic.
        #[test]
        fn arbitrary_spreadsheet_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = read_spreadsheet(&bytes, Path::new("x.xlsx"), None);
        }
    }
}
