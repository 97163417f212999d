//! The raw table every reader fills: one text column per header (made unique, at most
//! [`MAX_COLUMNS`]) plus the row number, field count, extra fields and read problem of
//! each record.
//!
//! ```
//! use rodedraad::ingest::read::{read_csv_bytes, ROW};
//! let t = read_csv_bytes(b"a,a,\n1,2,3\n", ",", "auto", "t.csv".as_ref()).unwrap();
//! assert_eq!(t.headers, vec!["a", "a_2", "kolom_3"]);
//! assert_eq!(t.df.column(ROW).unwrap().u32().unwrap().get(0), Some(2));
//! ```

use super::{bad_file, EXTRA, FIELDS, READ_PROBLEM, ROW};
use crate::error::{Error, Result};
use polars::prelude::*;
use std::path::Path;

/// The fields of one record, however they were read: by the csv crate (a
/// [`csv::StringRecord`]) or cut directly from a plain line (text borrowed from the file).
pub(super) trait Fields {
    /// The number of fields.
    fn count(&self) -> usize;
    /// Field `j`, if the record has it.
    fn field(&self, j: usize) -> Option<&str>;
}

impl Fields for csv::StringRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, j: usize) -> Option<&str> {
        self.get(j)
    }
}

impl Fields for Vec<std::borrow::Cow<'_, str>> {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, j: usize) -> Option<&str> {
        self.get(j).map(|f| f.as_ref())
    }
}

/// Every field of a record, in order.
pub(super) fn all_fields(rec: &dyn Fields) -> impl Iterator<Item = &str> {
    (0..rec.count()).filter_map(|j| rec.field(j))
}

/// Column builders for a raw table, filled record by record.
pub(super) struct TableBuilder {
    headers: Vec<String>,
    cells: Vec<StringChunkedBuilder>,
    rows: Vec<u32>,
    fields: Vec<u32>,
    extra: StringChunkedBuilder,
    problems: StringChunkedBuilder,
    sep: String,
}

impl TableBuilder {
    pub(super) fn new(headers: Vec<String>, sep: String) -> TableBuilder {
        let capacity = if headers.len() > 64 { 16 } else { 1024 };
        let cells = headers
            .iter()
            .map(|h| StringChunkedBuilder::new(h.as_str().into(), capacity))
            .collect();
        TableBuilder {
            headers,
            cells,
            rows: Vec::new(),
            fields: Vec::new(),
            extra: StringChunkedBuilder::new(EXTRA.into(), 16),
            problems: StringChunkedBuilder::new(READ_PROBLEM.into(), 16),
            sep,
        }
    }

    /// Adds one record as the next row; a record of only empty fields is kept, with that as its problem.
    pub(super) fn push(&mut self, rec: &dyn Fields, problem: Option<String>) {
        let row = self.rows.len() as u32 + 2;
        self.push_at(rec, row, problem);
    }

    /// Adds one record with its own spreadsheet row number.
    pub(super) fn push_at(&mut self, rec: &dyn Fields, row: u32, problem: Option<String>) {
        let width = self.headers.len();
        for (j, b) in self.cells.iter_mut().enumerate() {
            match rec.field(j) {
                Some(v) if !v.is_empty() => b.append_value(v),
                _ => b.append_null(),
            }
        }
        if rec.count() > width {
            let rest: Vec<&str> = all_fields(rec).skip(width).collect();
            self.extra.append_value(rest.join(&self.sep));
        } else {
            self.extra.append_null();
        }
        let empty = all_fields(rec).all(|v| v.trim().is_empty());
        let problem = problem.or_else(|| {
            empty.then(|| {
                "lege rij: alle velden zijn leeg; verwijder de rij in de bron of vul hem in"
                    .to_string()
            })
        });
        self.problems.append_option(problem);
        self.rows.push(row);
        self.fields.push(rec.count() as u32);
    }

    pub(super) fn finish(self, path: &Path) -> Result<(Vec<String>, DataFrame)> {
        Self::finish_parts(vec![self], path)
    }

    /// One table of parts filled one after another with [`TableBuilder::push`]: the rows of
    /// each part are numbered on from the part before it. A column keeps each part's
    /// strings as a chunk of its own (no copy).
    pub(super) fn finish_parts(
        parts: Vec<TableBuilder>,
        path: &Path,
    ) -> Result<(Vec<String>, DataFrame)> {
        let mut parts = parts.into_iter();
        let first = parts
            .next()
            .ok_or_else(|| Error::Internal("een tabel zonder delen".into()))?;
        let headers = first.headers.clone();
        let (mut cells, mut rows, mut fields, mut extra, mut problems) = first.into_columns();
        for part in parts {
            let offset = rows.len() as u32;
            let (c, r, f, e, p) = part.into_columns();
            for (all, more) in cells.iter_mut().zip(&c) {
                all.append(more)?;
            }
            rows.extend(r.into_iter().map(|row| row + offset));
            fields.extend(f);
            extra.append(&e)?;
            problems.append(&p)?;
        }
        if rows.is_empty() {
            return Err(bad_file(
                path,
                "het bestand bevat alleen een kopregel en geen rijen",
                "Controleer of de export gelukt is; een lege export valt niet te verwerken.",
            ));
        }
        let height = rows.len();
        let mut cols: Vec<Column> = cells.into_iter().map(Series::into_column).collect();
        cols.push(Column::new(ROW.into(), rows));
        cols.push(Column::new(FIELDS.into(), fields));
        cols.push(extra.into_column());
        cols.push(problems.into_column());
        Ok((headers, DataFrame::new(height, cols)?))
    }

    /// The number of records pushed so far.
    #[cfg(test)]
    pub(super) fn height(&self) -> usize {
        self.rows.len()
    }

    /// The finished cell columns, row numbers, field counts, extra fields and problems.
    fn into_columns(self) -> (Vec<Series>, Vec<u32>, Vec<u32>, Series, Series) {
        let cells = self
            .cells
            .into_iter()
            .map(|b| b.finish().into_series())
            .collect();
        (
            cells,
            self.rows,
            self.fields,
            self.extra.finish().into_series(),
            self.problems.finish().into_series(),
        )
    }
}

/// Header names made unique and usable: an empty header becomes `kolom_N`, a repeated one
/// gets `_2`, `_3`, ... A header that starts with `__` (the prefix of the reader's own
/// columns, such as [`ROW`]) keeps one leading underscore: `__rij` becomes `_rij`.
///
/// Every name is final after one look-up in the names already taken, so a header row of
/// any content ends; an earlier version added suffixes to `__x` for ever (`__x_2` still
/// starts with `__`), and a fuzzed CSV hung the test run.
pub(super) fn unique_headers(raw: Vec<String>) -> Vec<String> {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    // The next suffix to try per base name, so 4.096 equal headers cost 4.096 steps.
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for (i, h) in raw.into_iter().enumerate() {
        let base = if h.is_empty() {
            format!("kolom_{}", i + 1)
        } else if h.starts_with("__") {
            format!("_{}", h.trim_start_matches('_'))
        } else {
            h
        };
        let mut name = base.clone();
        let n = next.entry(base.clone()).or_insert(2);
        while taken.contains(&name) {
            name = format!("{base}_{n}");
            *n += 1;
        }
        taken.insert(name.clone());
        out.push(name);
    }
    out
}

/// The most columns a header may have: more is not an export but a damaged or
/// hand-made file, and would cost memory for nothing.
pub const MAX_COLUMNS: usize = 4096;

pub(super) fn too_wide(path: &Path, n: usize) -> Error {
    bad_file(
        path,
        format!(
            "de kopregel heeft {} kolommen; rodedraad leest er hoogstens {}",
            crate::nl::int(n as i64),
            crate::nl::int(MAX_COLUMNS as i64)
        ),
        "Controleer of de kopregel klopt en lever alleen de kolommen van de export aan.",
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{column, csv};
    use super::*;

    #[test]
    fn duplicate_and_empty_headers_are_made_unique() {
        let t = csv(b"a,a,\n1,2,3\n").unwrap();
        assert_eq!(t.headers, vec!["a", "a_2", "kolom_3"]);
    }

    /// Runs `f` on a thread and fails when it takes more than 10 s: a regression to an
    /// endless loop fails the test instead of hanging the suite.
    fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(f()));
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("did not finish within 10 s: endless loop")
    }

    #[test]
    fn headers_with_the_internal_prefix_end_and_stay_apart_from_internal_columns() {
        // Found by fuzzing: a header starting with "__" looped for ever.
        let t = within_seconds(|| csv(b"__rij,__x,_x,__\n1,2,3,4\n").unwrap());
        assert_eq!(t.headers, vec!["_rij", "_x", "_x_2", "_"]);
        assert!(t.headers.iter().all(|h| !h.starts_with("__")));
        assert_eq!(t.df.height(), 1);
        assert_eq!(column(&t, "_rij"), vec![Some("1".to_string())]);
        // Many repeats still end, each with its own name.
        let many: Vec<String> = (0..3000)
            .map(|i| ["__a", "_a", "a"][i % 3].to_string())
            .collect();
        let out = within_seconds(move || unique_headers(many));
        let distinct: std::collections::HashSet<&String> = out.iter().collect();
        assert_eq!(distinct.len(), 3000);
    }
}
