//! Writing output files: atomically (temp file + rename) and deterministically.
//!
//! ```
//! let dir = std::env::temp_dir().join("rodedraad-doc-output");
//! std::fs::create_dir_all(&dir).unwrap();
//! let f = dir.join("x.txt");
//! rodedraad::output::write_atomic(&f, b"hallo").unwrap();
//! assert_eq!(std::fs::read(&f).unwrap(), b"hallo");
//! ```

pub mod staging;
pub mod xlsx;

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` via a temporary file in the same folder and a rename,
/// so a reader never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        // A full disk leaves no half-written temporary file behind.
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}

/// Serialises `value` as pretty JSON (with a final newline) and writes it atomically.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    let mut s = serde_json::to_string_pretty(value).map_err(Error::internal)?;
    s.push('\n');
    write_atomic(path, s.as_bytes())
}

/// Writes rows as CSV (UTF-8, comma, header first) atomically. Every cell that a
/// spreadsheet would run as a formula is neutralised ([`spreadsheet_safe`]).
pub fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) -> Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let safe = |r: &[String]| r.iter().map(|c| spreadsheet_safe(c)).collect::<Vec<_>>();
    w.write_record(safe(header)).map_err(Error::internal)?;
    for r in rows {
        w.write_record(safe(r)).map_err(Error::internal)?;
    }
    let bytes = w.into_inner().map_err(Error::internal)?;
    write_atomic(path, &bytes)
}

/// Hex SHA-256 of a file's bytes (for the verantwoording).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Prefixes text that a spreadsheet would run as a formula with a quote (CSV
/// injection, OWASP): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return. Numbers stay numbers (`-12`, `+3,5` is text and is neutralised).
pub fn spreadsheet_safe(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if s.parse::<f64>().is_err() => format!("'{s}"),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("rodedraad-out-{}", std::process::id()));
        let f = dir.join("a.txt");
        write_atomic(&f, b"een").unwrap();
        write_atomic(&f, b"twee").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"twee");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn formulas_are_neutralised_but_numbers_kept() {
        assert_eq!(spreadsheet_safe("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(spreadsheet_safe("-12"), "-12");
        assert_eq!(spreadsheet_safe("gewoon"), "gewoon");
        assert_eq!(sha256_hex(b"abc").len(), 64);
    }
}
