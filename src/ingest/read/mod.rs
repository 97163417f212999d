//! Reading an export file into a raw table of text cells.
//!
//! CSV (delimiter detected among `,` `;` tab `|`, quoted fields with embedded
//! newlines, UTF-8 with or without BOM or Windows-1252), XLSX (first or named
//! sheet; dates become ISO text) and Parquet all end up as one [`RawTable`]:
//! a polars frame of `String` columns under the file's own headers, plus the
//! row number as the user sees it in Excel (header = row 1).
//!
//! One submodule per step or format: `decode` (bytes to text), `sniff` (the delimiter),
//! `csv`, `spreadsheet` and `parquet` (the readers) and `table` (the raw table they fill).
//!
//! ```
//! use rodedraad::ingest::read::read_csv_bytes;
//! let t = read_csv_bytes("a;b\n1;\"x\ny\"\n".as_bytes(), "auto", "auto", std::path::Path::new("t.csv")).unwrap();
//! assert_eq!(t.headers, vec!["a", "b"]);
//! assert_eq!(t.df.height(), 1);
//! assert_eq!(t.delimiter, Some(b';'));
//! ```

mod csv;
mod decode;
mod parquet;
mod sniff;
mod spreadsheet;
mod table;

pub use self::csv::{read_csv_bytes, read_csv_owned};
pub use decode::{decode, decode_owned, decode_owned_hashed, Decoded, FileHash};
pub use parquet::read_parquet;
pub use sniff::detect_delimiter;
pub use spreadsheet::{column_letters, read_spreadsheet};
pub use table::MAX_COLUMNS;

use crate::error::{Error, Result};
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// Column with the spreadsheet row number of each record.
pub const ROW: &str = "__rij";
/// Column with the number of fields found in each record (ragged rows).
pub const FIELDS: &str = "__velden";
/// Column with fields beyond the header's width, joined by the delimiter.
pub const EXTRA: &str = "__extra";
/// Column with the reason a record goes to quarantine as read (an unclosed quote, a row
/// of only empty fields); null for a record that was read normally.
pub const READ_PROBLEM: &str = "__leesprobleem";

/// A file read as text cells, before mapping and validation.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub path: PathBuf,
    /// The file's own headers, made unique.
    pub headers: Vec<String>,
    /// One `String` column per header plus [`ROW`], [`FIELDS`], [`EXTRA`] and [`READ_PROBLEM`].
    pub df: DataFrame,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    pub delimiter: Option<u8>,
    pub encoding: &'static str,
    /// Numbers in date columns may be Excel serial dates.
    pub from_spreadsheet: bool,
    /// Dutch notes for the accounting (decoding, empty lines skipped).
    pub notes: Vec<String>,
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
    let bytes = read_file(path).map_err(|e| {
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
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => {
            let sheet = sheet.or(Some(cfg.blad.as_str()).filter(|s| !s.is_empty()));
            let sha256 = crate::output::sha256_hex(&bytes);
            Ok(RawTable {
                sha256,
                ..read_spreadsheet(&bytes, path, sheet)?
            })
        }
        "parquet" | "pq" => {
            let sha256 = crate::output::sha256_hex(&bytes);
            Ok(RawTable {
                sha256,
                ..read_parquet(&bytes, path)?
            })
        }
        // The bytes of a CSV become its text without a copy; the hash is taken next to
        // reading the records.
        _ => csv::read_csv_file(bytes, &cfg.scheidingsteken, cfg.codering.as_str(), path),
    }
}

/// Below this many bytes a file is read on one thread.
const PARALLEL_READ_MIN_BYTES: u64 = 8 << 20;

/// The bytes of a file, as [`std::fs::read`] gives them; a large file is read in parts at
/// once (each part's page faults and copy on its own core).
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let len = std::fs::metadata(path)?.len();
    let parts = if len < PARALLEL_READ_MIN_BYTES {
        1
    } else {
        crate::util::parallel::threads_for(len as usize, PARALLEL_READ_MIN_BYTES as usize, 8)
    };
    read_file_in(path, parts)
}

/// [`read_file`] in `parts` parts. The file's length is taken when it is opened; a file
/// that grows meanwhile is read on to its end, one that shrinks is read again whole, so the
/// bytes are always those one read gives.
#[cfg(unix)]
fn read_file_in(path: &Path, parts: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::FileExt;
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    if parts < 2 || !meta.is_file() || len == usize::MAX {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    // Zeroed without touching the pages: a block this large comes fresh from the system.
    let mut bytes = vec![0u8; len];
    let per = len.div_ceil(parts).max(1);
    let file_ref = &file;
    let read: std::io::Result<()> = std::thread::scope(|s| {
        let handles: Vec<_> = bytes
            .chunks_mut(per)
            .enumerate()
            .map(|(i, part)| s.spawn(move || file_ref.read_exact_at(part, (i * per) as u64)))
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().expect("reading a file part panicked"))
    });
    match read {
        Ok(()) => {
            // Whatever was appended since the length was taken.
            std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(len as u64))?;
            file.read_to_end(&mut bytes)?;
            Ok(bytes)
        }
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => std::fs::read(path),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn read_file_in(path: &Path, _parts: usize) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
}

/// Helpers shared by the readers' tests.
#[cfg(test)]
mod testing {
    use super::*;

    pub(super) fn csv(s: &[u8]) -> Result<RawTable> {
        read_csv_bytes(s, "auto", "auto", Path::new("t.csv"))
    }

    pub(super) fn problems(t: &RawTable) -> Vec<(u32, String)> {
        let rows = t.df.column(ROW).unwrap().u32().unwrap().clone();
        let p = t.df.column(READ_PROBLEM).unwrap().str().unwrap().clone();
        rows.iter()
            .zip(p.iter())
            .filter_map(|(r, p)| Some((r?, p?.to_string())))
            .collect()
    }

    /// The source row number of every row read.
    pub(super) fn row_numbers(t: &RawTable) -> Vec<u32> {
        t.df.column(ROW)
            .unwrap()
            .u32()
            .unwrap()
            .no_null_iter()
            .collect()
    }

    pub(super) fn column(t: &RawTable, name: &str) -> Vec<Option<String>> {
        t.df.column(name)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A file of `bytes` in the temporary folder, removed when dropped.
    struct TempFile(PathBuf);

    impl TempFile {
        fn with(bytes: &[u8]) -> TempFile {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir()
                .join(format!("rodedraad-lezen-{}-{n}.csv", std::process::id()));
            std::fs::write(&path, bytes).unwrap();
            TempFile(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// A file read in parts at once holds the bytes one read gives, whatever its
        /// length against the number of parts (empty, shorter than the parts, uneven).
        #[test]
        fn a_file_read_in_parts_is_the_file(
            bytes in proptest::collection::vec(any::<u8>(), 0..3000),
            parts in 1usize..7,
        ) {
            let file = TempFile::with(&bytes);
            prop_assert_eq!(read_file_in(&file.0, parts).unwrap(), bytes);
        }
    }

    #[test]
    fn a_missing_file_is_an_error_not_an_empty_read() {
        let gone = std::env::temp_dir().join("rodedraad-bestaat-niet.csv");
        for parts in [1, 2] {
            assert!(read_file_in(&gone, parts).is_err());
        }
    }
}
