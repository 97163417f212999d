//! Writing tables to an XLSX workbook, one sheet per table.
//!
//! Used for `indicatoren.xlsx`, the report workbook and the IBTD overview.
//! Deterministic: the document date is fixed to the peildatum.
//!
//! ```
//! use rodedraad::output::xlsx::{Cell, Sheet, workbook_bytes};
//! let s = Sheet::new("Instroom", vec!["Dienst".into(), "Aantal".into()], vec![vec![Cell::text("Dienst Toeslagen"), Cell::Number(12.0)]]);
//! let d = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
//! assert_eq!(workbook_bytes(&[s.clone()], d).unwrap(), workbook_bytes(&[s], d).unwrap());
//! ```

use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// A header row from its Dutch column names.
pub fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    pub fn opt(v: Option<f64>) -> Cell {
        v.map(Cell::Number).unwrap_or(Cell::Empty)
    }
}

/// One table on its own sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Footnotes written under the table.
    pub notes: Vec<String>,
}

impl Sheet {
    pub fn new(name: &str, header: Vec<String>, rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet {
            name: name.to_string(),
            header,
            rows,
            notes: Vec::new(),
        }
    }
}

/// A valid, unique Excel sheet name: at most 31 characters (Excel's limit), none of
/// `[]:*?/\`, no apostrophe at either end, not the reserved "History"; a name that is
/// taken gets " 2", " 3", ... within the 31 characters.
fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    const MAX: usize = 31;
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'').trim();
    let mut base: String = clean
        .chars()
        .take(MAX)
        .collect::<String>()
        .trim_end()
        .to_string();
    if base.is_empty() || base.eq_ignore_ascii_case("history") {
        base = format!("{base} Blad").trim().to_string();
    }
    let mut n = 1;
    let mut candidate = base.clone();
    while used.iter().any(|u| u.eq_ignore_ascii_case(&candidate)) {
        n += 1;
        let suffix = format!(" {n}");
        let keep = MAX - suffix.chars().count();
        let head: String = base.chars().take(keep).collect();
        candidate = format!("{}{suffix}", head.trim_end());
    }
    used.push(candidate.clone());
    candidate
}

/// The workbook as bytes.
pub fn workbook_bytes(sheets: &[Sheet], date: NaiveDate) -> Result<Vec<u8>> {
    let x = |e: rust_xlsxwriter::XlsxError| Error::internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)
        .map_err(x)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&when)
            .set_author("rodedraad"),
    );
    let bold = Format::new().set_bold();
    let mut used = Vec::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&s.name, &mut used)).map_err(x)?;
        for (j, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(0, j as u16, h, &bold)
                .map_err(x)?;
        }
        for (i, row) in s.rows.iter().enumerate() {
            for (j, c) in row.iter().enumerate() {
                let (r, cc) = (i as u32 + 1, j as u16);
                match c {
                    Cell::Text(t) => {
                        ws.write_string(r, cc, t).map_err(x)?;
                    }
                    Cell::Number(n) if n.is_finite() => {
                        ws.write_number(r, cc, *n).map_err(x)?;
                    }
                    _ => {}
                }
            }
        }
        for (r, n) in (s.rows.len() as u32 + 2..).zip(s.notes.iter()) {
            ws.write_string(r, 0, n).map_err(x)?;
        }
        ws.set_freeze_panes(1, 0).map_err(x)?;
        for j in 0..s.header.len() {
            let w = std::iter::once(s.header[j].chars().count())
                .chain(s.rows.iter().map(|row| match row.get(j) {
                    Some(Cell::Text(t)) => t.chars().count().min(60),
                    Some(Cell::Number(_)) => 10,
                    _ => 0,
                }))
                .max()
                .unwrap_or(8);
            ws.set_column_width(j as u16, (w as f64 + 2.0).min(62.0))
                .map_err(x)?;
        }
    }
    if sheets.is_empty() {
        wb.add_worksheet();
    }
    wb.save_to_buffer().map_err(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = Vec::new();
        assert_eq!(sheet_name("Intake/dienst", &mut used), "Intake-dienst");
        assert_eq!(sheet_name("Intake/dienst", &mut used), "Intake-dienst 2");
        let long = sheet_name(&"x".repeat(40), &mut used);
        assert_eq!(long.chars().count(), 31);
        // Excel allows 31 characters: a 30-character title is kept whole
        let title = "Ontvangen casussen per dienst!";
        assert_eq!(title.chars().count(), 30);
        assert_eq!(sheet_name(title, &mut used), title);
        // two titles alike in their first 31 characters stay distinct and within the limit
        let a = sheet_name("Casussen per kwartaal: Toeslagen, huurtoeslag", &mut used);
        let b = sheet_name(
            "Casussen per kwartaal: Toeslagen, huurtoeslag bij ouderen",
            &mut used,
        );
        assert_eq!(a, "Casussen per kwartaal- Toeslage");
        assert_eq!(b, "Casussen per kwartaal- Toesla 2");
        assert_eq!(sheet_name("'History'", &mut used), "History Blad");
        assert_eq!(sheet_name("  ", &mut used), "Blad");
    }

    #[test]
    fn workbook_is_a_zip_and_deterministic() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let s = Sheet::new(
            "A",
            vec!["x".into()],
            vec![vec![Cell::Number(1.0)], vec![Cell::text("=1+1")]],
        );
        let a = workbook_bytes(std::slice::from_ref(&s), d).unwrap();
        assert_eq!(&a[..2], b"PK");
        assert_eq!(a, workbook_bytes(&[s], d).unwrap());
    }
}
