//! Reading CSV text into a raw table, with every physical line accounted for: a record,
//! a record in quarantine as read (an unclosed or stray quote, a row of only empty
//! fields) or an empty line (noted). Quoted cells may span lines; a quote that would
//! swallow rows of their own quarantines one line and reading goes on at the next.
//!
//! ```
//! use rodedraad::ingest::read::{read_csv_bytes, READ_PROBLEM};
//! let t = read_csv_bytes(b"id,tekst\n1,\"open\n2,b\n", "auto", "auto", "t.csv".as_ref()).unwrap();
//! assert_eq!(t.df.height(), 2);
//! assert_eq!(t.df.column(READ_PROBLEM).unwrap().null_count(), 1);
//! ```

use super::decode::{decode, decode_owned, Decoded};
use super::sniff::delimiter_byte;
use super::table::{too_wide, unique_headers, TableBuilder, MAX_COLUMNS};
use super::{bad_file, RawTable};
use crate::error::{Error, Result};
use std::path::Path;

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

#[cfg(test)]
mod tests {
    use super::super::testing::{column, csv, problems};
    use super::super::{EXTRA, FIELDS, ROW};

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
}

#[cfg(test)]
mod properties {
    use super::super::ROW;
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
    }
}
