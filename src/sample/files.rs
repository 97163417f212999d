//! Writing the sample files: CSV in the canonical or the Excel style, atomically.
//!
//! ```ignore
//! write_csv(&dir.join("casussen.csv"), CASE_COLUMNS, rows, &CANONICAL)?;
//! ```

use std::io;
use std::path::Path;

/// How a CSV file is written.
pub(super) struct CsvStyle {
    delimiter: u8,
    terminator: csv::Terminator,
    /// Windows-1252 instead of UTF-8 (no BOM either way).
    windows_1252: bool,
}

/// The input contract: comma, LF, UTF-8.
pub(super) const CANONICAL: CsvStyle = CsvStyle {
    delimiter: b',',
    terminator: csv::Terminator::Any(b'\n'),
    windows_1252: false,
};

/// As Excel saves a CSV file in a Dutch locale: semicolon, CRLF, Windows-1252.
pub(super) const EXCEL: CsvStyle = CsvStyle {
    delimiter: b';',
    terminator: csv::Terminator::CRLF,
    windows_1252: true,
};

/// Writes a header and rows to `path` in `style`.
pub(super) fn write_csv<I>(
    path: &Path,
    headers: &[&str],
    rows: I,
    style: &CsvStyle,
) -> io::Result<()>
where
    I: Iterator<Item = Vec<String>>,
{
    let bytes = csv_bytes(headers, rows, style)?;
    if style.windows_1252 {
        write_atomic(path, &to_windows_1252(&bytes)?)
    } else {
        write_atomic(path, &bytes)
    }
}

fn csv_bytes<I>(headers: &[&str], rows: I, style: &CsvStyle) -> io::Result<Vec<u8>>
where
    I: Iterator<Item = Vec<String>>,
{
    let mut w = csv::WriterBuilder::new()
        .delimiter(style.delimiter)
        .terminator(style.terminator)
        .from_writer(Vec::new());
    w.write_record(headers).map_err(io::Error::other)?;
    for row in rows {
        w.write_record(&row).map_err(io::Error::other)?;
    }
    w.into_inner().map_err(|e| io::Error::other(e.to_string()))
}

fn to_windows_1252(utf8: &[u8]) -> io::Result<Vec<u8>> {
    let text = std::str::from_utf8(utf8).map_err(io::Error::other)?;
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "tekst bevat tekens die niet in Windows-1252 passen",
        ));
    }
    Ok(bytes.into_owned())
}

/// Writes to a temporary name in the same directory, then renames.
pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "ongeldige bestandsnaam"))?;
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_differ_in_delimiter_line_end_and_encoding() {
        let dir = crate::sample::tests::tmp_dir("files");
        std::fs::create_dir_all(&dir).unwrap();
        let rows = || vec![vec!["Geëscaleerd".to_string(), "a,b".to_string()]].into_iter();
        write_csv(&dir.join("c.csv"), &["x", "y"], rows(), &CANONICAL).unwrap();
        write_csv(&dir.join("e.csv"), &["x", "y"], rows(), &EXCEL).unwrap();
        assert_eq!(
            std::fs::read(dir.join("c.csv")).unwrap(),
            "x,y\nGeëscaleerd,\"a,b\"\n".as_bytes()
        );
        assert_eq!(
            std::fs::read(dir.join("e.csv")).unwrap(),
            b"x;y\r\nGe\xEBscaleerd;a,b\r\n"
        );
        let err = write_csv(
            &dir.join("f.csv"),
            &["x"],
            vec![vec!["€ ok, ✓ niet".to_string()]].into_iter(),
            &EXCEL,
        )
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 2, "nothing written for the refused file");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
