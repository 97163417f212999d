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
    // The hash first: a CSV's bytes then become its text without a copy.
    let sha256 = crate::output::sha256_hex(&bytes);
    let mut t = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => {
            let sheet = sheet.or(Some(cfg.blad.as_str()).filter(|s| !s.is_empty()));
            read_spreadsheet(&bytes, path, sheet)?
        }
        "parquet" | "pq" => read_parquet(&bytes, path)?,
        _ => read_csv_owned(bytes, &cfg.scheidingsteken, cfg.codering.as_str(), path)?,
    };
    t.sha256 = sha256;
    Ok(t)
}

/// A decoded text file: the text, the name of its encoding and notes for the accounting.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// Dutch notes about the decoding (lines of a UTF-8 file read as Windows-1252).
    pub notes: Vec<String>,
}

fn cp1252(b: &[u8]) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(b)
        .0
        .into_owned()
}

/// UTF-16 and UTF-32 in either byte order.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Wide {
    fn name(self, bom: bool) -> &'static str {
        match (self, bom) {
            (Wide::Utf16Le, true) => "utf-16le (BOM)",
            (Wide::Utf16Le, false) => "utf-16le",
            (Wide::Utf16Be, true) => "utf-16be (BOM)",
            (Wide::Utf16Be, false) => "utf-16be",
            (Wide::Utf32Le, true) => "utf-32le (BOM)",
            (Wide::Utf32Le, false) => "utf-32le",
            (Wide::Utf32Be, true) => "utf-32be (BOM)",
            (Wide::Utf32Be, false) => "utf-32be",
        }
    }

    fn decode(self, b: &[u8]) -> String {
        match self {
            Wide::Utf16Le => encoding_rs::UTF_16LE
                .decode_without_bom_handling(b)
                .0
                .into_owned(),
            Wide::Utf16Be => encoding_rs::UTF_16BE
                .decode_without_bom_handling(b)
                .0
                .into_owned(),
            Wide::Utf32Le | Wide::Utf32Be => {
                let mut s: String = b
                    .chunks_exact(4)
                    .map(|c| {
                        let a = [c[0], c[1], c[2], c[3]];
                        let n = if self == Wide::Utf32Le {
                            u32::from_le_bytes(a)
                        } else {
                            u32::from_be_bytes(a)
                        };
                        char::from_u32(n).unwrap_or('\u{FFFD}')
                    })
                    .collect();
                if !b.len().is_multiple_of(4) {
                    s.push('\u{FFFD}');
                }
                s
            }
        }
    }
}

/// The byte-order mark at the start of `b`, if any, and its length.
fn bom(b: &[u8]) -> Option<(Option<Wide>, usize)> {
    if b.starts_with(&[0xFF, 0xFE, 0, 0]) {
        Some((Some(Wide::Utf32Le), 4))
    } else if b.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some((Some(Wide::Utf32Be), 4))
    } else if b.starts_with(b"\xEF\xBB\xBF") {
        Some((None, 3))
    } else if b.starts_with(&[0xFF, 0xFE]) {
        Some((Some(Wide::Utf16Le), 2))
    } else if b.starts_with(&[0xFE, 0xFF]) {
        Some((Some(Wide::Utf16Be), 2))
    } else {
        None
    }
}

/// Recognises UTF-16 or UTF-32 without a BOM by where the NUL bytes of mostly-Latin text fall.
fn sniff_wide(b: &[u8]) -> Option<Wide> {
    let n = b.len().min(4096) / 4 * 4;
    if n < 8 {
        return None;
    }
    let mut zeros = [0usize; 4];
    for (i, &x) in b[..n].iter().enumerate() {
        zeros[i % 4] += (x == 0) as usize;
    }
    let frac = |k: usize| zeros[k] as f64 / (n / 4) as f64;
    let (z0, z1, z2, z3) = (frac(0), frac(1), frac(2), frac(3));
    if z1 > 0.9 && z2 > 0.9 && z3 > 0.9 && z0 < 0.5 {
        Some(Wide::Utf32Le)
    } else if z0 > 0.9 && z1 > 0.9 && z2 > 0.9 && z3 < 0.5 {
        Some(Wide::Utf32Be)
    } else if (z1 + z3) / 2.0 > 0.6 && (z0 + z2) / 2.0 < 0.2 {
        Some(Wide::Utf16Le)
    } else if (z0 + z2) / 2.0 > 0.6 && (z1 + z3) / 2.0 < 0.2 {
        Some(Wide::Utf16Be)
    } else {
        None
    }
}

/// Whether `b` holds at least one valid multi-byte UTF-8 sequence.
fn has_utf8_sequences(b: &[u8]) -> bool {
    b.utf8_chunks().any(|c| !c.valid().is_ascii())
}

/// Reads a UTF-8 file with invalid bytes line by line: valid lines as UTF-8, the others as
/// Windows-1252, each named in a note.
fn decode_mixed(b: &[u8]) -> Decoded {
    let mut text = String::with_capacity(b.len());
    let mut odd: Vec<usize> = Vec::new();
    for (i, line) in b.split_inclusive(|&x| x == b'\n').enumerate() {
        match std::str::from_utf8(line) {
            Ok(s) => text.push_str(s),
            Err(_) => {
                text.push_str(&cp1252(line));
                odd.push(i + 1);
            }
        }
    }
    let shown: Vec<String> = odd.iter().take(10).map(|l| l.to_string()).collect();
    let more = if odd.len() > 10 { ", ..." } else { "" };
    Decoded {
        text,
        encoding: "utf-8 (gemengd)",
        notes: vec![format!(
            "het bestand is UTF-8, maar {} regel(s) bevatten tekens die geen geldige UTF-8 zijn; die regels zijn gelezen als Windows-1252: regel {}{more}. Controleer de tekens in die regels, of sla het bestand opnieuw op als UTF-8",
            odd.len(),
            shown.join(", ")
        )],
    }
}

/// Decodes a text file. A BOM decides (UTF-8, UTF-16, UTF-32); without one, UTF-16 and
/// UTF-32 are recognised by their NUL bytes. Then `encoding` ("auto", "utf-8",
/// "windows-1252"): valid UTF-8 is read as UTF-8; in "auto" a file without a single
/// UTF-8 sequence is Windows-1252. A UTF-8 file with a few invalid bytes is neither read
/// entirely as Windows-1252 nor silently garbled: only the lines that are not UTF-8 are
/// read as Windows-1252, and a note names them. Text with NUL characters is refused.
pub fn decode(bytes: &[u8], encoding: &str, path: &Path) -> Result<Decoded> {
    let plain = |text: String, encoding| Decoded {
        text,
        encoding,
        notes: Vec::new(),
    };
    let decoded = match bom(bytes) {
        Some((Some(w), n)) => plain(w.decode(&bytes[n..]), w.name(true)),
        Some((None, n)) => match std::str::from_utf8(&bytes[n..]) {
            Ok(s) => plain(s.to_string(), "utf-8 (BOM)"),
            Err(_) => decode_mixed(&bytes[n..]),
        },
        None => match sniff_wide(bytes) {
            Some(w) => plain(w.decode(bytes), w.name(false)),
            None => match (encoding, std::str::from_utf8(bytes)) {
                ("windows-1252", _) => plain(cp1252(bytes), "windows-1252"),
                (_, Ok(s)) => plain(s.to_string(), "utf-8"),
                ("utf-8", Err(_)) => decode_mixed(bytes),
                (_, Err(_)) if has_utf8_sequences(bytes) => decode_mixed(bytes),
                (_, Err(_)) => plain(cp1252(bytes), "windows-1252"),
            },
        },
    };
    refuse_nul(decoded, path)
}

/// [`decode`] of a buffer it may keep: UTF-8 (with or without a BOM) becomes the text without
/// a copy, so a large file is not held twice while it is read. Everything else goes through
/// [`decode`], with the same outcome.
pub fn decode_owned(bytes: Vec<u8>, encoding: &str, path: &Path) -> Result<Decoded> {
    let plain = |text: String, encoding| Decoded {
        text,
        encoding,
        notes: Vec::new(),
    };
    match bom(&bytes) {
        Some((None, n)) => {
            let mut rest = bytes;
            rest.drain(..n);
            match String::from_utf8(rest) {
                Ok(text) => refuse_nul(plain(text, "utf-8 (BOM)"), path),
                Err(e) => refuse_nul(decode_mixed(e.as_bytes()), path),
            }
        }
        None if sniff_wide(&bytes).is_none() && encoding != "windows-1252" => {
            match String::from_utf8(bytes) {
                Ok(text) => refuse_nul(plain(text, "utf-8"), path),
                Err(e) => decode(e.as_bytes(), encoding, path),
            }
        }
        _ => decode(&bytes, encoding, path),
    }
}

/// Refuses text with NUL characters (not a text file, or an unknown encoding).
fn refuse_nul(decoded: Decoded, path: &Path) -> Result<Decoded> {
    if decoded.text.contains('\0') {
        return Err(bad_file(
            path,
            "het bestand bevat NUL-tekens: het is geen tekstbestand, of het staat in een codering die rodedraad niet herkent (herkend worden UTF-8, Windows-1252, UTF-16 en UTF-32)",
            "Sla de export opnieuw op als CSV in UTF-8, of lever XLSX of Parquet aan.",
        ));
    }
    Ok(decoded)
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

/// Where one CSV record's own text ends, scanned as the csv crate reads it: a quote opens
/// a quoted field only at the start of a field, and `""` inside quotes is one quote.
#[derive(Debug)]
struct Scan {
    /// Byte offset (within the record's span) where each physical line of the record starts.
    line_starts: Vec<usize>,
    /// The span ended inside a quoted field: a quote that is never closed.
    open: bool,
    /// A closing quote followed by something other than a delimiter or the line's end
    /// (`"a"b`): not how a spreadsheet writes a cell.
    malformed: bool,
    /// Byte offset of the last closing quote.
    last_close: Option<usize>,
}

fn scan_record(span: &[u8], d: u8) -> Scan {
    let (mut in_quotes, mut at_start, mut i) = (false, true, 0);
    let mut line_starts = vec![0];
    let mut malformed = false;
    let mut last_close = None;
    while i < span.len() {
        let b = span[i];
        if in_quotes {
            if b == b'"' {
                if span.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                in_quotes = false;
                last_close = Some(i);
                if !matches!(span.get(i + 1), None | Some(b'\r' | b'\n'))
                    && span.get(i + 1) != Some(&d)
                {
                    malformed = true;
                }
            } else if b == b'\n' {
                line_starts.push(i + 1);
            }
        } else if b == b'\n' || b == b'\r' {
            break;
        } else if b == b'"' && at_start {
            in_quotes = true;
            at_start = false;
        } else {
            at_start = b == d;
        }
        i += 1;
    }
    Scan {
        line_starts,
        open: in_quotes,
        malformed,
        last_close,
    }
}

/// Whether one physical line reads as a complete record of `width` fields on its own,
/// read as the csv crate reads it (a quote opens a quoted field only at a field's start;
/// the last field may open a quote that the line does not close). Such a line inside a
/// multi-line cell means an earlier quote swallowed it. `closing` is where, in this line,
/// the multi-line cell's closing quote stands: when that lies in the line's first field,
/// the line is the tail of a cell that began on an earlier line, not a row of its own;
/// elsewhere in the last line the tail of a real cell leaves fewer than `width` fields,
/// so there more than `width` fields also betray a row of its own.
fn looks_like_record(line: &[u8], d: u8, width: usize, closing: Option<usize>) -> bool {
    if width < 3 {
        return false;
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let (mut in_quotes, mut at_start, mut fields, mut i) = (false, true, 1usize, 0);
    while i < line.len() {
        let b = line[i];
        if closing == Some(i) && fields == 1 {
            return false;
        }
        if in_quotes {
            if b == b'"' {
                if line.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                in_quotes = false;
            }
        } else if b == d {
            fields += 1;
            at_start = true;
            i += 1;
            continue;
        } else if b == b'"' && at_start {
            in_quotes = true;
        }
        at_start = false;
        i += 1;
    }
    fields == width || (closing.is_some() && fields > width)
}

/// One record as handed to the table: its fields and, for a record that goes to
/// quarantine as read, the reason.
struct Emitted<'a> {
    fields: &'a csv::StringRecord,
    problem: Option<String>,
}

/// The physical line of `span` that starts at byte `start`, without its terminator.
fn line_at(span: &[u8], start: usize) -> &[u8] {
    let rest = &span[start..];
    &rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())]
}

fn physical_lines(text: &str) -> usize {
    let n = text.bytes().filter(|&b| b == b'\n').count();
    n + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// Physical lines without any character (a `\r` aside).
fn empty_lines(text: &str) -> usize {
    let mut pieces: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') {
        pieces.pop();
    }
    pieces
        .iter()
        .filter(|l| l.trim_end_matches('\r').is_empty())
        .count()
}

fn snippet(s: &str) -> String {
    let t: String = s.trim().chars().take(40).collect();
    if s.trim().chars().count() > 40 {
        format!("{t}…")
    } else {
        t
    }
}

/// Reads every record of `text`, the header first, and hands each to `emit`. A record
/// whose quoted cell is never closed, or that swallowed lines which are records of their
/// own (a stray quote), is not taken as one cell: its first physical line is handed on
/// with a problem (read without quoting) and reading starts again at the next line.
/// Returns the number of physical lines the records took.
fn read_records(text: &str, d: u8, emit: &mut dyn FnMut(Emitted) -> Result<()>) -> Result<usize> {
    let mut record_lines = 0usize;
    // The header's width, once the header is read.
    let mut width_of_header: Option<usize> = None;
    let (mut offset, mut line_base) = (0usize, 0usize);
    'restart: loop {
        let slice = &text[offset..];
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .flexible(true)
            .has_headers(false)
            .from_reader(slice.as_bytes());
        let (mut cur, mut next) = (csv::StringRecord::new(), csv::StringRecord::new());
        if !read_one(&mut rdr, &mut cur, line_base)? {
            break;
        }
        loop {
            let more = read_one(&mut rdr, &mut next, line_base)?;
            let start = cur.position().map(|p| p.byte() as usize).unwrap_or(0);
            let start_line = cur.position().map(|p| p.line() as usize).unwrap_or(1);
            let (stop, stop_line) = match (more, next.position()) {
                (true, Some(p)) => (p.byte() as usize, p.line() as usize),
                _ => (slice.len(), usize::MAX),
            };
            let span_bytes = &slice.as_bytes()[start..stop];
            // The one line end between two record starts lies at either end of the span
            // (LF after the record, or the LF of the previous CRLF before it).
            let single_line = stop_line == start_line + 1
                && (span_bytes.first() == Some(&b'\n') || span_bytes.last() == Some(&b'\n'));
            if single_line {
                // The common case: one record on one line, directly followed by the next.
                record_lines += 1;
                emit(Emitted {
                    fields: &cur,
                    problem: None,
                })?;
                width_of_header.get_or_insert(cur.len());
            } else {
                // The csv crate's position may point at the end of the previous line's
                // terminator (CRLF); the record's own text starts after it.
                let all = &slice.as_bytes()[start..stop];
                let lead = all
                    .iter()
                    .take_while(|&&b| b == b'\r' || b == b'\n')
                    .count();
                let line =
                    line_base + start_line + all[..lead].iter().filter(|&&b| b == b'\n').count();
                let start = start + lead;
                let span = &all[lead..];
                let scan = scan_record(span, d);
                let width = width_of_header.unwrap_or(cur.len());
                // A cell may span lines only in a well-formed row of the header's width
                // whose continuation lines are not rows of their own.
                let multi_line = scan.line_starts.len() > 1;
                // The header itself may have a cell over two lines (Alt+Enter in Excel);
                // it has no width to check against yet.
                let is_header = width_of_header.is_none();
                let swallowed = scan.open
                    || (multi_line
                        && (scan.malformed
                            || (!is_header
                                && (cur.len() != width
                                    || scan.line_starts[1..].iter().any(|&l| {
                                        let closing =
                                            scan.last_close.and_then(|c| c.checked_sub(l));
                                        looks_like_record(line_at(span, l), d, width, closing)
                                    })))));
                if swallowed {
                    let first_end = span.iter().position(|&b| b == b'\n').unwrap_or(span.len());
                    let raw_line = &slice[start..start + first_end];
                    let raw_line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
                    let unquoted = csv::ReaderBuilder::new()
                        .delimiter(d)
                        .flexible(true)
                        .has_headers(false)
                        .quoting(false)
                        .from_reader(raw_line.as_bytes())
                        .records()
                        .next()
                        .and_then(|r| r.ok())
                        .unwrap_or_default();
                    let why = if scan.open {
                        "een cel begint met een aanhalingsteken dat nergens wordt gesloten"
                    } else {
                        "een cel begint met een aanhalingsteken dat pas regels later wordt gesloten, zodat de rijen daartussen erin zouden verdwijnen"
                    };
                    record_lines += 1;
                    emit(Emitted {
                        fields: &unquoted,
                        problem: Some(format!(
                            "regel {line} van het bestand: {why} (\"{}\"); de rij staat ongesplitst in quarantaine en het lezen gaat verder op de volgende regel. Zet de aanhalingstekens in de bron recht",
                            snippet(raw_line)
                        )),
                    })?;
                    width_of_header.get_or_insert(unquoted.len());
                    offset += start + first_end + usize::from(first_end < span.len());
                    line_base = line;
                    if offset >= text.len() {
                        break 'restart;
                    }
                    continue 'restart;
                }
                record_lines += scan.line_starts.len();
                emit(Emitted {
                    fields: &cur,
                    problem: None,
                })?;
                width_of_header.get_or_insert(cur.len());
            }
            if !more {
                break 'restart;
            }
            std::mem::swap(&mut cur, &mut next);
        }
    }
    Ok(record_lines)
}

fn read_one(
    rdr: &mut csv::Reader<&[u8]>,
    r: &mut csv::StringRecord,
    line_base: usize,
) -> Result<bool> {
    rdr.read_record(r)
        .map_err(|e| Error::Internal(format!("CSV-lezer: {e} (na regel {line_base})")))
}

/// Column builders for a raw table, filled record by record.
struct TableBuilder {
    headers: Vec<String>,
    cells: Vec<StringChunkedBuilder>,
    rows: Vec<u32>,
    fields: Vec<u32>,
    extra: StringChunkedBuilder,
    problems: StringChunkedBuilder,
    sep: String,
}

impl TableBuilder {
    fn new(headers: Vec<String>, sep: String) -> TableBuilder {
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
    fn push(&mut self, rec: &csv::StringRecord, problem: Option<String>) {
        let row = self.rows.len() as u32 + 2;
        self.push_at(rec, row, problem);
    }

    /// Adds one record with its own spreadsheet row number.
    fn push_at(&mut self, rec: &csv::StringRecord, row: u32, problem: Option<String>) {
        let width = self.headers.len();
        for (j, b) in self.cells.iter_mut().enumerate() {
            match rec.get(j) {
                Some(v) if !v.is_empty() => b.append_value(v),
                _ => b.append_null(),
            }
        }
        if rec.len() > width {
            let rest: Vec<&str> = rec.iter().skip(width).collect();
            self.extra.append_value(rest.join(&self.sep));
        } else {
            self.extra.append_null();
        }
        let empty = rec.iter().all(|v| v.trim().is_empty());
        let problem = problem.or_else(|| {
            empty.then(|| {
                "lege rij: alle velden zijn leeg; verwijder de rij in de bron of vul hem in"
                    .to_string()
            })
        });
        self.problems.append_option(problem);
        self.rows.push(row);
        self.fields.push(rec.len() as u32);
    }

    fn finish(self, path: &Path) -> Result<(Vec<String>, DataFrame)> {
        if self.rows.is_empty() {
            return Err(bad_file(
                path,
                "het bestand bevat alleen een kopregel en geen rijen",
                "Controleer of de export gelukt is; een lege export valt niet te verwerken.",
            ));
        }
        let height = self.rows.len();
        let mut cols: Vec<Column> = self
            .cells
            .into_iter()
            .map(|b| b.finish().into_series().into_column())
            .collect();
        cols.push(Column::new(ROW.into(), self.rows));
        cols.push(Column::new(FIELDS.into(), self.fields));
        cols.push(self.extra.finish().into_series().into_column());
        cols.push(self.problems.finish().into_series().into_column());
        Ok((self.headers, DataFrame::new(height, cols)?))
    }
}

/// Turns every CR that is not followed by LF into LF.
fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\r' && b.get(i + 1) != Some(&b'\n') {
            out.push_str(&text[last..i]);
            out.push('\n');
            last = i + 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// The delimiter byte from the setting (`auto` detects it).
fn delimiter_byte(setting: &str, text: &str, path: &Path) -> Result<u8> {
    match setting {
        "auto" | "" => Ok(detect_delimiter(text)),
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        s if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        s => Err(Error::Config {
            path: None,
            message: format!(
                "[invoer] scheidingsteken = \"{s}\" kan {} niet splitsen; gebruik \"auto\", \"tab\" of één teken zoals \";\"",
                path.display()
            ),
        }),
    }
}

/// Reads CSV bytes (see module docs). `delimiter` and `encoding` may be `"auto"`.
///
/// Every physical line is accounted for: a record, a record in quarantine as read (an
/// unclosed quote, a row of only empty fields) or an empty line (noted). The lines are
/// counted again at the end; a difference is an internal error, never a silent loss.
pub fn read_csv_bytes(
    bytes: &[u8],
    delimiter: &str,
    encoding: &str,
    path: &Path,
) -> Result<RawTable> {
    read_csv_text(decode(bytes, encoding, path)?, delimiter, path)
}

/// [`read_csv_bytes`] of a buffer it may keep (see [`decode_owned`]).
pub fn read_csv_owned(
    bytes: Vec<u8>,
    delimiter: &str,
    encoding: &str,
    path: &Path,
) -> Result<RawTable> {
    read_csv_text(decode_owned(bytes, encoding, path)?, delimiter, path)
}

/// Reads decoded CSV text into a raw table.
fn read_csv_text(decoded: Decoded, delimiter: &str, path: &Path) -> Result<RawTable> {
    let Decoded {
        text,
        encoding: enc,
        mut notes,
    } = decoded;
    // A CR alone ends a line too (old Mac files, a stray CR): the csv crate reads it
    // as a record's end, so the line count must too.
    let text = lone_cr_to_lf(text);
    // A BOM inside the text (files glued together, a copy from a Word document) is a
    // zero-width character, never data; the csv crate skips one that starts a record it
    // reads first, which would shift the line count. Taken out, and said.
    let stray_boms = text.matches('\u{feff}').count();
    let text = if stray_boms > 0 {
        notes.push(format!(
            "{stray_boms} onzichtbare BOM-teken(s) (U+FEFF) midden in het bestand weggelaten"
        ));
        text.replace('\u{feff}', "")
    } else {
        text
    };
    if text.trim().is_empty() {
        return Err(bad_file(
            path,
            "het bestand is leeg",
            "Lever een export aan met een kopregel en minstens één rij.",
        ));
    }
    let d = delimiter_byte(delimiter, &text, path)?;
    let sep = (d as char).to_string();
    let mut table: Option<TableBuilder> = None;
    let mut header_problem: Option<String> = None;
    let counts = read_records(&text, d, &mut |e: Emitted| {
        match table.as_mut() {
            None => {
                if let Some(p) = e.problem {
                    header_problem = Some(p);
                    return Err(Error::Usage(String::new()));
                }
                if e.fields.len() > MAX_COLUMNS {
                    return Err(too_wide(path, e.fields.len()));
                }
                let headers =
                    unique_headers(e.fields.iter().map(|h| h.trim().to_string()).collect());
                table = Some(TableBuilder::new(headers, sep.clone()));
            }
            Some(t) => t.push(e.fields, e.problem),
        }
        Ok(())
    });
    if let Some(p) = header_problem {
        return Err(bad_file(
            path,
            format!("de kopregel is onleesbaar: {p}"),
            "Herstel de kopregel en sla het bestand opnieuw op als CSV.",
        ));
    }
    let record_lines = counts?;
    let Some(table) = table else {
        return Err(bad_file(
            path,
            "het bestand is leeg",
            "Lever een export aan met een kopregel.",
        ));
    };
    // The cross-check: the lines no record took must all be empty lines.
    let total = physical_lines(&text);
    let blank = total.checked_sub(record_lines);
    if blank.is_none_or(|b| b > empty_lines(&text)) {
        return Err(Error::Internal(format!(
            "{}: het bestand heeft {total} regels, de rijen namen er {record_lines}, en de rest is niet leeg; er zou tekst verloren gaan",
            path.display()
        )));
    }
    let blank = blank.unwrap_or(0);
    if blank > 0 {
        notes.push(format!(
            "{} lege regel(s) zonder velden overgeslagen",
            crate::nl::int(blank as i64)
        ));
    }
    let (headers, df) = table.finish(path)?;
    Ok(RawTable {
        path: path.to_path_buf(),
        headers,
        df,
        sha256: String::new(),
        delimiter: Some(d),
        encoding: enc,
        from_spreadsheet: false,
        notes,
    })
}

/// Header names made unique and usable: an empty header becomes `kolom_N`, a repeated one
/// gets `_2`, `_3`, ... A header that starts with `__` (the prefix of the reader's own
/// columns, such as [`ROW`]) keeps one leading underscore: `__rij` becomes `_rij`.
///
/// Every name is final after one look-up in the names already taken, so a header row of
/// any content ends; an earlier version added suffixes to `__x` for ever (`__x_2` still
/// starts with `__`), and a fuzzed CSV hung the test run.
fn unique_headers(raw: Vec<String>) -> Vec<String> {
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

fn too_wide(path: &Path, n: usize) -> Error {
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
/// [`sheet_size::MAX_CELLS`] cells (the reader library allocates the whole rectangle from
/// the first to the last used cell): checked on the file's own structure, before any grid
/// is allocated, so a small file with one far cell is a clear error, not an abort.
fn refuse_huge_grid(bytes: &[u8], path: &Path) -> Result<()> {
    let Some(g) = super::sheet_size::grid_size(bytes) else {
        return Ok(());
    };
    if g.cells() <= super::sheet_size::MAX_CELLS {
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
            crate::nl::int(super::sheet_size::MAX_CELLS as i64)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(s: &[u8]) -> Result<RawTable> {
        read_csv_bytes(s, "auto", "auto", Path::new("t.csv"))
    }

    #[test]
    fn decoding_an_owned_buffer_equals_decoding_a_borrowed_one() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a;b\n1;é\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let inputs: Vec<Vec<u8>> = vec![
            "a;b\n1;é\n".into(),
            [b"\xEF\xBB\xBF".as_slice(), "a;b\n1;é\n".as_bytes()].concat(),
            [b"\xEF\xBB\xBF".as_slice(), b"a;b\n1;\xE9\n"].concat(),
            b"a;b\n1;\xE9\n2;caf\xC3\xA9\n".to_vec(),
            b"a;b\n1;\xE9\n".to_vec(),
            b"a;b\n1;\x00\n".to_vec(),
            [b"\xEF\xBB\xBF".as_slice(), b"a\x00"].concat(),
            utf16,
            Vec::new(),
        ];
        let path = Path::new("t.csv");
        for bytes in inputs {
            for enc in ["auto", "utf-8", "windows-1252"] {
                let want = decode(&bytes, enc, path);
                let got = decode_owned(bytes.clone(), enc, path);
                match (want, got) {
                    (Ok(w), Ok(g)) => {
                        assert_eq!(
                            (w.text, w.encoding, w.notes),
                            (g.text, g.encoding, g.notes),
                            "{bytes:?} {enc}"
                        );
                    }
                    (Err(w), Err(g)) => assert_eq!(w.to_string(), g.to_string()),
                    (w, g) => panic!("{bytes:?} {enc}: {w:?} tegen {g:?}"),
                }
            }
        }
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

    fn problems(t: &RawTable) -> Vec<(u32, String)> {
        let rows = t.df.column(ROW).unwrap().u32().unwrap().clone();
        let p = t.df.column(READ_PROBLEM).unwrap().str().unwrap().clone();
        rows.iter()
            .zip(p.iter())
            .filter_map(|(r, p)| Some((r?, p?.to_string())))
            .collect()
    }

    fn column(t: &RawTable, name: &str) -> Vec<Option<String>> {
        t.df.column(name)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect()
    }

    fn rows_of(n: usize, bad: Option<(usize, &str)>) -> String {
        let mut s = String::from("id,datum,tekst,code\n");
        for i in 1..=n {
            match bad {
                Some((b, cell)) if b == i => {
                    s.push_str(&format!("{i},2025-01-0{},{cell},x\n", i % 9 + 1))
                }
                _ if i % 2 == 0 => s.push_str(&format!("{i},2025-01-0{},gewoon,x\n", i % 9 + 1)),
                _ => s.push_str(&format!("{i},2025-01-0{},'gewoon; zonder',x\n", i % 9 + 1)),
            }
        }
        s
    }

    #[test]
    fn an_unclosed_quote_quarantines_one_row_and_reading_goes_on() {
        let text = rows_of(1000, Some((3, "\"Bewoner zegt: \"\"ik snap het niet")));
        let t = csv(text.as_bytes()).unwrap();
        assert_eq!(t.df.height(), 1000);
        let p = problems(&t);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, 4);
        assert!(p[0].1.contains("regel 4 van het bestand"), "{}", p[0].1);
        assert!(p[0].1.contains("nergens wordt gesloten"), "{}", p[0].1);
        // The row after it is read on its own, not swallowed.
        assert_eq!(column(&t, "id")[3].as_deref(), Some("4"));
        assert_eq!(column(&t, "tekst")[999].as_deref(), Some("gewoon"));
    }

    #[test]
    fn a_stray_quote_closed_rows_later_swallows_nothing() {
        let mut text = rows_of(8, Some((2, "\"begin zonder einde")));
        text.push_str("9b,2025-01-01,\"met, komma\",x\n");
        text.push_str("9,2025-02-01,\"nog een\" en meer,x\n10,2025-02-02,y,x\n");
        let t = csv(text.as_bytes()).unwrap();
        assert_eq!(t.df.height(), 11);
        let p = problems(&t);
        assert!(
            p.iter().any(|(r, m)| *r == 3 && m.contains("regels later")),
            "{p:?}"
        );
        let ids = column(&t, "id");
        for i in 3..=8 {
            assert!(ids.contains(&Some(i.to_string())), "row {i} lost: {ids:?}");
        }
    }

    #[test]
    fn a_real_multi_line_cell_stays_one_cell() {
        let text = "id,datum,tekst,code\n1,2025-01-01,\"regel een, twee\nregel drie\nslot\",x\n2,2025-01-02,y,x\n";
        let t = csv(text.as_bytes()).unwrap();
        assert_eq!(t.df.height(), 2);
        assert!(problems(&t).is_empty());
        assert_eq!(
            column(&t, "tekst")[0].as_deref(),
            Some("regel een, twee\nregel drie\nslot")
        );
    }

    #[test]
    fn empty_rows_are_counted_and_blank_lines_noted() {
        let t = csv(b"a,b,c\n1,2,3\n,,\n\n\n4,5,6\n , \n").unwrap();
        // ",," and " , " are rows of empty fields; the blank lines are not rows.
        assert_eq!(t.df.height(), 4);
        let p = problems(&t);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].1.starts_with("lege rij"));
        assert!(
            t.notes.iter().any(|n| n.contains("2 lege regel")),
            "{:?}",
            t.notes
        );
    }

    #[test]
    fn every_physical_line_is_accounted_for() {
        for text in [
            "a,b\n1,2",
            "a,b\r\n1,2\r\n\r\n3,4\r\n",
            "\n\na,b\n1,\"x\ny\"\n\n",
            "a,b\r1,2\r3,4\r",
            "a,b\n1\r,2\n3,4\r\n",
            "a,b,c\n1,\"open\n2,3,4\n5,6,7\n",
        ] {
            let t = csv(text.as_bytes()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert!(t.df.height() >= 1, "{text:?}");
        }
    }

    #[test]
    fn utf16_and_utf32_with_and_without_bom() {
        let text = "naam;plaats\nJosé;Zoë\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let l32: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let b32: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        for (bytes, enc) in [
            ([vec![0xFF, 0xFE], le.clone()].concat(), "utf-16le (BOM)"),
            (le, "utf-16le"),
            ([vec![0xFE, 0xFF], be.clone()].concat(), "utf-16be (BOM)"),
            (be, "utf-16be"),
            (
                [vec![0xFF, 0xFE, 0, 0], l32.clone()].concat(),
                "utf-32le (BOM)",
            ),
            (l32, "utf-32le"),
            (
                [vec![0, 0, 0xFE, 0xFF], b32.clone()].concat(),
                "utf-32be (BOM)",
            ),
            (b32, "utf-32be"),
        ] {
            let t = csv(&bytes).unwrap_or_else(|e| panic!("{enc}: {e}"));
            assert_eq!(t.encoding, enc);
            assert_eq!(t.headers, vec!["naam", "plaats"], "{enc}");
            assert_eq!(column(&t, "plaats")[0].as_deref(), Some("Zoë"), "{enc}");
        }
    }

    #[test]
    fn one_latin1_byte_does_not_turn_a_utf8_file_into_windows_1252() {
        let mut bytes = "id;tekst\n1;vóór de termijn\n2;".as_bytes().to_vec();
        bytes.extend_from_slice(b"caf\xE9\n3;na\xC3\xAFef\n");
        let t = csv(&bytes).unwrap();
        assert_eq!(t.encoding, "utf-8 (gemengd)");
        let v = column(&t, "tekst");
        assert_eq!(v[0].as_deref(), Some("vóór de termijn"));
        assert_eq!(v[1].as_deref(), Some("café"));
        assert_eq!(v[2].as_deref(), Some("naïef"));
        assert!(t.notes[0].contains("regel 3"), "{:?}", t.notes);
    }

    #[test]
    fn nul_bytes_are_refused_without_printing_them() {
        let e = csv(b"a,b\n1,\x00\x00\x01\x02\n").unwrap_err();
        assert_eq!(e.exit_code(), 3);
        let m = e.to_string();
        assert!(m.contains("NUL-tekens"), "{m}");
        assert!(!m.contains('\0'));
    }

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
        let rows: Vec<u32> =
            t.df.column(ROW)
                .unwrap()
                .u32()
                .unwrap()
                .no_null_iter()
                .collect();
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
    fn duplicate_and_empty_headers_are_made_unique() {
        let t = csv(b"a,a,\n1,2,3\n").unwrap();
        assert_eq!(t.headers, vec!["a", "a_2", "kolom_3"]);
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

        /// Rows with random quotes and delimiters: every line that reads as a row of the
        /// header's width on its own starts its own table row (read normally, or
        /// quarantined as read); a stray quote never swallows such a row. (Two rows that
        /// each hold a stray quote can together form valid CSV with a multi-line cell;
        /// then neither reads as a row of its own, and the reader cannot know better.)
        #[test]
        fn stray_quotes_never_swallow_rows(cells in proptest::collection::vec("[a-z \",]{0,6}", 3..90)) {
            let mut text = String::from("a,b,c\n");
            let mut own_rows = Vec::new();
            for (i, c) in cells.chunks_exact(3).enumerate() {
                let line = format!("r{i},{},{}", c[1], c[2]);
                let alone = csv::ReaderBuilder::new().has_headers(false).flexible(true)
                    .from_reader(line.as_bytes()).records().next().and_then(|r| r.ok()).map(|r| r.len());
                if alone == Some(3) {
                    own_rows.push(format!("r{i}"));
                }
                text.push_str(&line);
                text.push('\n');
            }
            let t = read_csv_bytes(text.as_bytes(), ",", "auto", Path::new("x.csv")).unwrap();
            let ids: Vec<String> = t.df.column("a").unwrap().str().unwrap().iter().flatten().map(str::to_string).collect();
            for id in &own_rows {
                prop_assert!(ids.contains(id), "row {} swallowed in {:?}", id, text);
            }
        }

        /// Arbitrary bytes as an xlsx file are refused with an error, never a panic.
        #[test]
        fn arbitrary_spreadsheet_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = read_spreadsheet(&bytes, Path::new("x.xlsx"), None);
        }
    }
}
