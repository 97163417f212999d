//! Reading CSV text into a raw table, with every physical line accounted for: a record,
//! a record in quarantine as read (an unclosed or stray quote, a row of only empty
//! fields) or an empty line (noted). Quoted cells may span lines; a quote that would
//! swallow rows of their own quarantines one line and reading goes on at the next.
//! A plain line (no quote other than around whole fields on that line) is split directly;
//! the header and every other line are read by the csv crate, with the same result.
//!
//! ```
//! use rodedraad::ingest::read::{read_csv_bytes, READ_PROBLEM};
//! let t = read_csv_bytes(b"id,tekst\n1,\"open\n2,b\n", "auto", "auto", "t.csv".as_ref()).unwrap();
//! assert_eq!(t.df.height(), 2);
//! assert_eq!(t.df.column(READ_PROBLEM).unwrap().null_count(), 1);
//! ```

use super::decode::{decode, decode_owned, decode_owned_hashed, Decoded, FileHash};
use super::sniff::delimiter_byte;
use super::table::{all_fields, too_wide, unique_headers, Fields, TableBuilder, MAX_COLUMNS};
use super::{bad_file, RawTable};
use crate::error::{Error, Result};
use std::borrow::Cow;
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
    fields: &'a dyn Fields,
    problem: Option<String>,
}

/// The physical line of `span` that starts at byte `start`, without its terminator.
fn line_at(span: &[u8], start: usize) -> &[u8] {
    let rest = &span[start..];
    &rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())]
}

fn snippet(s: &str) -> String {
    let t: String = s.trim().chars().take(40).collect();
    if s.trim().chars().count() > 40 {
        format!("{t}…")
    } else {
        t
    }
}

/// Where reading starts: the byte offset of a record's own text (or 0), the number of
/// physical lines before it and, once the header is read, the header's width.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Start {
    offset: usize,
    line_base: usize,
    width_of_header: Option<usize>,
}

impl Start {
    const BEGIN: Start = Start {
        offset: 0,
        line_base: 0,
        width_of_header: None,
    };
}

/// Reads every record of `text` from `from`, the header first, and hands each to `emit`. A
/// record whose quoted cell is never closed, or that swallowed lines which are records of
/// their own (a stray quote), is not taken as one cell: its first physical line is handed
/// on with a problem (read without quoting) and reading starts again at the next line.
///
/// With `stop_at`, reading ends before the first record whose own text starts at or after
/// that byte, and returns where that record starts: reading on from there (a fresh reader
/// at a record's start) hands on exactly the records one reading would have.
/// Returns the number of physical lines the records took, and that start (if stopped).
fn read_records(
    text: &str,
    d: u8,
    from: Start,
    stop_at: Option<usize>,
    emit: &mut dyn FnMut(Emitted) -> Result<()>,
) -> Result<(usize, Option<Start>)> {
    let mut record_lines = 0usize;
    // The header's width, once the header is read.
    let mut width_of_header = from.width_of_header;
    let (mut offset, mut line_base) = (from.offset, from.line_base);
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
            if let Some(p) = stop_at {
                let lead = span_bytes
                    .iter()
                    .take_while(|&&b| b == b'\r' || b == b'\n')
                    .count();
                if offset + start + lead >= p {
                    let newlines = span_bytes[..lead].iter().filter(|&&b| b == b'\n').count();
                    return Ok((
                        record_lines,
                        Some(Start {
                            offset: offset + start + lead,
                            line_base: line_base + start_line - 1 + newlines,
                            width_of_header,
                        }),
                    ));
                }
            }
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
    Ok((record_lines, None))
}

/// Splits one physical line (without its line end) into `rec` when it is a plain record: every
/// field either without a quote, or quoted from its first to its last byte (`""` inside for a
/// quote) and followed by the delimiter or the line's end. Such a line is one record on its
/// own, read by the csv crate into exactly these fields. `false` for any other line (a quote
/// that is not closed on the line, text after a closing quote, a quote inside an unquoted
/// field): those are left to [`read_records`].
fn plain_record<'t>(line: &'t str, d: u8, rec: &mut Vec<Cow<'t, str>>) -> bool {
    let b = line.as_bytes();
    rec.clear();
    let mut i = 0;
    loop {
        if b.get(i) == Some(&b'"') {
            let start = i + 1;
            let mut j = start;
            let mut doubled = false;
            let close = loop {
                match memchr::memchr(b'"', &b[j..]) {
                    None => return false,
                    Some(k) if b.get(j + k + 1) == Some(&b'"') => {
                        doubled = true;
                        j += k + 2;
                    }
                    Some(k) => break j + k,
                }
            };
            if doubled {
                rec.push(Cow::Owned(line[start..close].replace("\"\"", "\"")));
            } else {
                rec.push(Cow::Borrowed(&line[start..close]));
            }
            i = close + 1;
            if i == b.len() {
                return true;
            }
            if b[i] != d {
                return false;
            }
        } else {
            let end = memchr::memchr2(d, b'"', &b[i..]).map_or(b.len(), |k| i + k);
            if end < b.len() && b[end] == b'"' {
                return false;
            }
            rec.push(Cow::Borrowed(&line[i..end]));
            if end == b.len() {
                return true;
            }
            i = end;
        }
        // `b[i]` is a delimiter: a field follows (an empty one at the line's end).
        i += 1;
    }
}

/// How many bytes [`read_records_fast`] hands to the csv crate at a time, from a line that is
/// not a plain record on.
const CSV_CRATE_STRETCH: usize = 64 << 10;

/// [`read_records`], with plain lines (see [`plain_record`]) split directly: the same records,
/// problems, line count and stop. The header and every line that is not plain are read by
/// [`read_records`] (the csv crate), a stretch at a time, after which plain reading resumes
/// at the next record's start.
fn read_records_fast(
    text: &str,
    d: u8,
    from: Start,
    stop_at: Option<usize>,
    emit: &mut dyn FnMut(Emitted) -> Result<()>,
) -> Result<(usize, Option<Start>)> {
    read_records_fast_in(text, d, from, stop_at, CSV_CRATE_STRETCH, emit)
}

/// [`read_records_fast`] handing `stretch` bytes at a time to the csv crate.
fn read_records_fast_in(
    text: &str,
    d: u8,
    from: Start,
    stop_at: Option<usize>,
    stretch: usize,
    emit: &mut dyn FnMut(Emitted) -> Result<()>,
) -> Result<(usize, Option<Start>)> {
    let mut record_lines = 0usize;
    let mut at = from;
    // A delimiter that is a quote, a line end or not ASCII is left to the csv crate entirely.
    let plain_delimiter = d.is_ascii() && !matches!(d, b'"' | b'\n' | b'\r');
    let mut rec: Vec<Cow<str>> = Vec::new();
    while at.offset < text.len() {
        let pos = at.offset;
        let end = memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |k| pos + k);
        let line = &text[pos..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let next = Start {
            offset: (end + 1).min(text.len()),
            line_base: at.line_base + usize::from(end < text.len()),
            ..at
        };
        if line.is_empty() {
            at = next;
            continue;
        }
        // A record's own text starts here (blank lines before it are skipped, as the csv
        // crate skips them): stop before it when it lies at or after `stop_at`.
        if stop_at.is_some_and(|p| pos >= p) {
            return Ok((record_lines, Some(at)));
        }
        if plain_delimiter && at.width_of_header.is_some() && plain_record(line, d, &mut rec) {
            record_lines += 1;
            emit(Emitted {
                fields: &rec,
                problem: None,
            })?;
            at = next;
            continue;
        }
        let stop = pos.saturating_add(stretch);
        let stop = stop_at.map_or(stop, |p| p.min(stop));
        let (lines, ended) = read_records(text, d, at, Some(stop.max(pos + 1)), emit)?;
        record_lines += lines;
        match ended {
            Some(s) if stop_at.is_some_and(|p| s.offset >= p) => {
                return Ok((record_lines, Some(s)))
            }
            Some(s) => at = s,
            None => return Ok((record_lines, None)),
        }
    }
    Ok((record_lines, None))
}

/// Below this many bytes of text a CSV is read on one thread.
const PARALLEL_MIN_BYTES: usize = 8 << 20;

/// Into how many parts a text of `len` bytes is read at once.
fn parallel_chunks(len: usize) -> usize {
    if len < PARALLEL_MIN_BYTES {
        1
    } else {
        crate::util::parallel::threads_for(len, PARALLEL_MIN_BYTES, 8)
    }
}

/// The records read from one part of the text: into a table of their own, with the lines
/// they took and where the next part must start (`None`: the end of the text, or an error).
struct Part {
    /// Where this part started.
    from: Start,
    table: Option<TableBuilder>,
    header_problem: Option<String>,
    lines: usize,
    ended: Option<Start>,
    result: Result<()>,
}

/// Reads records from `from` until `stop_at` into `table`; without a table the first
/// record is the header and makes it.
fn read_part(
    text: &str,
    d: u8,
    sep: &str,
    path: &Path,
    from: Start,
    stop_at: Option<usize>,
    mut table: Option<TableBuilder>,
) -> Part {
    let mut header_problem = None;
    let read = read_records_fast(text, d, from, stop_at, &mut |e: Emitted| {
        match table.as_mut() {
            None => {
                if let Some(p) = e.problem {
                    header_problem = Some(p);
                    return Err(Error::Usage(String::new()));
                }
                if e.fields.count() > MAX_COLUMNS {
                    return Err(too_wide(path, e.fields.count()));
                }
                let headers =
                    unique_headers(all_fields(e.fields).map(|h| h.trim().to_string()).collect());
                table = Some(TableBuilder::new(headers, sep.to_string()));
            }
            Some(t) => t.push(e.fields, e.problem),
        }
        Ok(())
    });
    let (lines, ended, result) = match read {
        Ok((lines, ended)) => (lines, ended, Ok(())),
        Err(e) => (0, None, Err(e)),
    };
    Part {
        from,
        table,
        header_problem,
        lines,
        ended,
        result,
    }
}

/// The header's cells (made unique) and width, when the first record reads as a header.
fn header_of(text: &str, d: u8) -> Option<(Vec<String>, usize)> {
    let mut header = None;
    let _ = read_records(text, d, Start::BEGIN, None, &mut |e: Emitted| {
        if e.problem.is_none() && e.fields.count() <= MAX_COLUMNS {
            let cells = all_fields(e.fields).map(|h| h.trim().to_string()).collect();
            header = Some((unique_headers(cells), e.fields.count()));
        }
        // Only the header is wanted: stop reading.
        Err(Error::Usage(String::new()))
    });
    header
}

/// The start of the first line at or after byte `from` that holds text and reads as a
/// record of `width` fields on its own (of the next 64 lines; else the first that holds
/// text), or `None` past the end. A line inside a multi-line cell rarely reads as a whole
/// record, so a part seldom starts inside one.
fn part_start(text: &str, from: usize, d: u8, width: usize) -> Option<usize> {
    let b = text.as_bytes();
    let line_start_from = |i: usize| -> Option<usize> {
        let mut p = i + b.get(i..)?.iter().position(|&c| c == b'\n')? + 1;
        while p < b.len() && (b[p] == b'\n' || b[p] == b'\r') {
            p += 1;
        }
        (p < b.len()).then_some(p)
    };
    let first = line_start_from(from)?;
    let mut p = first;
    for _ in 0..64 {
        if looks_like_record(line_at(b, p), d, width, None) {
            return Some(p);
        }
        match line_start_from(p) {
            Some(q) => p = q,
            None => break,
        }
    }
    Some(first)
}

/// How a text is cut into parts that are read at once.
#[derive(Debug, Clone, PartialEq)]
enum Split {
    /// This many parts of about equal size, each from a line that reads as a record on.
    Parts(usize),
    /// The later parts from these rising line starts on, wherever they fall (tests place
    /// them in awkward spots: inside a multi-line cell, on a blank line).
    #[cfg(test)]
    At(Vec<usize>),
}

impl Split {
    /// The number of parts.
    fn count(&self) -> usize {
        match self {
            Split::Parts(n) => *n,
            #[cfg(test)]
            Split::At(offsets) => offsets.len() + 1,
        }
    }
}

/// Reads the records of `text` in `split` parts at once, each from a line start on, and
/// keeps the parts whose start is where the part before it stopped: there a fresh reader
/// reads what one reading would have read. When a part before stopped elsewhere (its last
/// record runs on past the next part's start), reading goes on from there on one thread and
/// the later parts are dropped. Row numbers follow from the parts' order, line numbers in
/// messages from the lines before each part; both are those of one reading.
fn read_parts(text: &str, d: u8, sep: &str, path: &Path, split: &Split) -> Vec<Part> {
    let whole = || vec![read_part(text, d, sep, path, Start::BEGIN, None, None)];
    if split.count() < 2 {
        return whole();
    }
    let Some((headers, width)) = header_of(text, d) else {
        return whole();
    };
    let chunks = match split {
        Split::Parts(n) => *n,
        #[cfg(test)]
        Split::At(offsets) => {
            return read_parts_from(text, d, sep, path, (&headers, width), offsets)
        }
    };
    let mut offsets = Vec::new();
    let mut from = 0usize;
    for i in 1..chunks {
        let Some(p) = part_start(text, (text.len() / chunks * i).max(from), d, width) else {
            break;
        };
        from = p;
        offsets.push(p);
    }
    read_parts_from(text, d, sep, path, (&headers, width), &offsets)
}

/// [`read_parts`] with the later parts starting at `offsets` (rising line starts; any
/// line start will do, even one inside a multi-line cell: that part is then dropped).
fn read_parts_from(
    text: &str,
    d: u8,
    sep: &str,
    path: &Path,
    (headers, width): (&[String], usize),
    offsets: &[usize],
) -> Vec<Part> {
    let mut starts = vec![Start::BEGIN];
    let (mut from, mut lines) = (0usize, 0usize);
    for &p in offsets {
        lines += count_newlines(&text.as_bytes()[from..p]);
        from = p;
        starts.push(Start {
            offset: p,
            line_base: lines,
            width_of_header: Some(width),
        });
    }
    let stops: Vec<Option<usize>> = starts
        .iter()
        .skip(1)
        .map(|s| Some(s.offset))
        .chain([None])
        .collect();
    let mut parts: Vec<Part> = std::thread::scope(|s| {
        let handles: Vec<_> = starts
            .iter()
            .zip(&stops)
            .enumerate()
            .map(|(i, (&start, &stop))| {
                let table = (i > 0).then(|| TableBuilder::new(headers.to_vec(), sep.to_string()));
                s.spawn(move || read_part(text, d, sep, path, start, stop, table))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a CSV part panicked"))
            .collect()
    });
    let mut later = parts.split_off(1).into_iter();
    let mut cur = parts.pop().expect("the first part");
    let mut done = Vec::new();
    while let (Some(stop), Ok(())) = (cur.ended, &cur.result) {
        match later.next() {
            Some(next) if next.from == stop => {
                done.push(cur);
                cur = next;
            }
            _ => {
                // Read on from where this part stopped, into its own table.
                let rest = read_part(text, d, sep, path, stop, None, cur.table.take());
                cur = Part {
                    lines: cur.lines + rest.lines,
                    header_problem: cur.header_problem.or(rest.header_problem),
                    ..rest
                };
            }
        }
    }
    done.push(cur);
    done
}

/// The number of `\n` bytes, counted in blocks the compiler can vectorise.
fn count_newlines(b: &[u8]) -> usize {
    b.chunks(255)
        .map(|c| c.iter().map(|&x| u8::from(x == b'\n')).sum::<u8>() as usize)
        .sum()
}

/// The physical lines of `text` and how many of them are empty (a `\r` aside).
fn physical_and_empty_lines(text: &str) -> (usize, usize) {
    let (mut total, mut empty) = (0usize, 0usize);
    for line in text.split('\n') {
        total += 1;
        empty += usize::from(line.trim_end_matches('\r').is_empty());
    }
    // A text that ends with a line end has no line after it.
    if text.ends_with('\n') || text.is_empty() {
        total -= 1;
        empty -= 1;
    }
    (total, empty)
}

/// What one look at the whole text finds before its records are read: whether a CR stands
/// without an LF after it, how many BOMs stand inside it, and its physical and empty lines
/// (as [`physical_and_empty_lines`] counts them).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct TextFacts {
    lone_cr: bool,
    stray_boms: usize,
    lines: usize,
    empty: usize,
}

/// The [`TextFacts`] of `text`, looked for in `parts` parts at once (cut at character
/// boundaries, so a BOM never straddles two parts; a line end is judged by the bytes around
/// it in the whole text, wherever the cut falls).
fn text_facts(text: &str, parts: usize) -> TextFacts {
    let b = text.as_bytes();
    let mut cuts = vec![0];
    for i in 1..parts.max(1) {
        let mut p = (b.len() / parts * i).max(*cuts.last().unwrap_or(&0));
        while !text.is_char_boundary(p) {
            p += 1;
        }
        cuts.push(p);
    }
    cuts.push(b.len());
    let spans: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let found: Vec<TextFacts> = if spans.len() < 2 {
        spans.iter().map(|&(a, z)| facts_of_span(b, a, z)).collect()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = spans
                .iter()
                .map(|&(a, z)| s.spawn(move || facts_of_span(b, a, z)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("looking at the text panicked"))
                .collect()
        })
    };
    let mut all = found
        .into_iter()
        .fold(TextFacts::default(), |a, f| TextFacts {
            lone_cr: a.lone_cr || f.lone_cr,
            stray_boms: a.stray_boms + f.stray_boms,
            lines: a.lines + f.lines,
            empty: a.empty + f.empty,
        });
    // The piece after the last line end is a line of its own unless the text ends with a
    // line end (or is empty).
    let last = text.rsplit('\n').next().unwrap_or("");
    if !(text.ends_with('\n') || text.is_empty()) {
        all.lines += 1;
        all.empty += usize::from(last.trim_end_matches('\r').is_empty());
    }
    all
}

/// [`TextFacts`] of the bytes `b[from..to]`: the lines are those that end there with an LF.
fn facts_of_span(b: &[u8], from: usize, to: usize) -> TextFacts {
    let span = &b[from..to];
    let mut f = TextFacts {
        lone_cr: memchr::memchr_iter(b'\r', span).any(|i| b.get(from + i + 1) != Some(&b'\n')),
        stray_boms: memchr::memmem::find_iter(span, "\u{feff}".as_bytes()).count(),
        ..TextFacts::default()
    };
    for i in memchr::memchr_iter(b'\n', span).map(|i| from + i) {
        f.lines += 1;
        // The line before this LF is empty: nothing but CRs since the previous LF.
        let mut j = i;
        while j > 0 && b[j - 1] == b'\r' {
            j -= 1;
        }
        f.empty += usize::from(j == 0 || b[j - 1] == b'\n');
    }
    f
}

fn read_one(
    rdr: &mut csv::Reader<&[u8]>,
    r: &mut csv::StringRecord,
    line_base: usize,
) -> Result<bool> {
    rdr.read_record(r)
        .map_err(|e| Error::Internal(format!("CSV-lezer: {e} (na regel {line_base})")))
}

/// Whether a CR stands somewhere without an LF after it.
fn has_lone_cr(text: &str) -> bool {
    let b = text.as_bytes();
    text.match_indices('\r')
        .any(|(i, _)| b.get(i + 1) != Some(&b'\n'))
}

/// Turns every CR that is not followed by LF into LF (a text without one is kept as is).
fn lone_cr_to_lf(text: String) -> String {
    if !has_lone_cr(&text) {
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

/// [`read_csv_owned`] of a whole file, with [`RawTable::sha256`] set: the file's hash.
pub(super) fn read_csv_file(
    bytes: Vec<u8>,
    delimiter: &str,
    encoding: &str,
    path: &Path,
) -> Result<RawTable> {
    let (decoded, hash) = decode_owned_hashed(bytes, encoding, path)?;
    let split = Split::Parts(parallel_chunks(decoded.text.len()));
    read_csv_text_in(decoded, delimiter, path, &split, Some(hash))
}

/// Reads decoded CSV text into a raw table (a large text in parts at once).
fn read_csv_text(decoded: Decoded, delimiter: &str, path: &Path) -> Result<RawTable> {
    let split = Split::Parts(parallel_chunks(decoded.text.len()));
    read_csv_text_in(decoded, delimiter, path, &split, None)
}

/// [`read_csv_text`] in `split` parts; with `hash`, [`RawTable::sha256`] is the file's hash.
fn read_csv_text_in(
    decoded: Decoded,
    delimiter: &str,
    path: &Path,
    split: &Split,
    hash: Option<FileHash>,
) -> Result<RawTable> {
    let Decoded {
        text,
        encoding: enc,
        mut notes,
    } = decoded;
    // Looked for once (a large text in parts at once): a lone CR and a BOM inside the text
    // both change the text; the line counts are those of the text as read when it stays.
    let facts = text_facts(&text, split.count());
    let (lone_cr, stray_boms) = (facts.lone_cr, facts.stray_boms);
    // The file's hash, when the text is about to change (a lone CR, a stray BOM).
    let mut sha256 = match hash {
        Some(FileHash::SameAsText) if lone_cr || stray_boms > 0 => {
            Some(crate::output::sha256_hex(text.as_bytes()))
        }
        Some(FileHash::SameAsText) => None,
        Some(FileHash::Known(sha)) => Some(sha),
        None => Some(String::new()),
    };
    // A CR alone ends a line too (old Mac files, a stray CR): the csv crate reads it
    // as a record's end, so the line count must too.
    let text = if lone_cr { lone_cr_to_lf(text) } else { text };
    // A BOM inside the text (files glued together, a copy from a Word document) is a
    // zero-width character, never data; the csv crate skips one that starts a record it
    // reads first, which would shift the line count. Taken out, and said.
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
    // The line counts of the cross-check: of the changed text, if it changed.
    let (total, empty) = if lone_cr || stray_boms > 0 {
        physical_and_empty_lines(&text)
    } else {
        (facts.lines, facts.empty)
    };
    // Next to the records: the hash still to take.
    let parts = std::thread::scope(|s| {
        let side = sha256
            .is_none()
            .then(|| s.spawn(|| crate::output::sha256_hex(text.as_bytes())));
        let parts = read_parts(&text, d, &sep, path, split);
        if let Some(side) = side {
            sha256 = Some(side.join().expect("hashing panicked"));
        }
        parts
    });
    let first = parts.first().expect("one part at least");
    if let Some(p) = &first.header_problem {
        return Err(bad_file(
            path,
            format!("de kopregel is onleesbaar: {p}"),
            "Herstel de kopregel en sla het bestand opnieuw op als CSV.",
        ));
    }
    let mut record_lines = 0;
    let mut tables = Vec::with_capacity(parts.len());
    for part in parts {
        part.result?;
        record_lines += part.lines;
        tables.extend(part.table);
    }
    if tables.is_empty() {
        return Err(bad_file(
            path,
            "het bestand is leeg",
            "Lever een export aan met een kopregel.",
        ));
    }
    // The cross-check: the lines no record took must all be empty lines.
    let blank = total.checked_sub(record_lines);
    if blank.is_none_or(|b| b > empty) {
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
    let (headers, df) = TableBuilder::finish_parts(tables, path)?;
    Ok(RawTable {
        path: path.to_path_buf(),
        headers,
        df,
        sha256: sha256.unwrap_or_default(),
        delimiter: Some(d),
        encoding: enc,
        from_spreadsheet: false,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{column, csv, problems, row_numbers};
    use super::super::{EXTRA, FIELDS};
    use super::*;

    /// Reads `text` in `chunks` parts, whatever its size.
    pub(super) fn in_parts(text: &str, chunks: usize) -> Result<RawTable> {
        split_at(text, &Split::Parts(chunks))
    }

    /// Reads `text` cut as `split` says, whatever its size.
    pub(super) fn split_at(text: &str, split: &Split) -> Result<RawTable> {
        let decoded = Decoded {
            text: text.to_string(),
            encoding: "utf-8",
            notes: Vec::new(),
        };
        let t = read_csv_text_in(
            decoded,
            "auto",
            Path::new("t.csv"),
            split,
            Some(FileHash::SameAsText),
        );
        if let Ok(t) = &t {
            assert_eq!(t.sha256, crate::output::sha256_hex(text.as_bytes()));
        }
        t
    }

    /// Whether two readings gave the same table (or the same error).
    pub(super) fn same(a: &Result<RawTable>, b: &Result<RawTable>) -> bool {
        match (a, b) {
            (Ok(a), Ok(b)) => {
                a.headers == b.headers
                    && a.notes == b.notes
                    && a.delimiter == b.delimiter
                    && a.df.equals_missing(&b.df)
            }
            (Err(a), Err(b)) => a.to_string() == b.to_string(),
            _ => false,
        }
    }

    /// Rows of which every `every`-th holds a quoted cell over three lines, the middle one
    /// reading like a row of its own when `tricky`.
    fn multi_line_rows(n: usize, every: usize, tricky: bool) -> String {
        let mut s = String::from("id,datum,tekst,code\n");
        for i in 1..=n {
            if i % every == 0 {
                let middle = if tricky { "x,y,z,w" } else { "tweede regel" };
                s.push_str(&format!("{i},2025-01-01,\"een, twee\n{middle}\nslot\",c\n"));
            } else {
                s.push_str(&format!("{i},2025-01-02,gewoon,c\n"));
            }
        }
        s
    }

    #[test]
    fn reading_in_parts_equals_reading_at_once() {
        let mut texts = vec![
            rows_of(300, None),
            rows_of(300, Some((150, "\"Bewoner zegt: \"\"ik snap het niet"))),
            rows_of(300, Some((140, "\"begin zonder einde"))),
            multi_line_rows(300, 3, false),
            multi_line_rows(300, 2, true),
            multi_line_rows(300, 1, false),
            "a,b,c\n1,2,3\n,,\n\n\n4,5,6\n , \n".repeat(40),
            format!("{}a,b\n1,2\n", "\n".repeat(200)),
            "a,b\n".to_string(),
            "a,b\n\"1,2\n3,4\n5,6\n".to_string(),
            "\"a,b\n1,2\n3,4\n5,6\n".to_string(),
            "a,b\r1,2\r3,4\r".repeat(50),
            "a,b\n1,\u{feff}2\n".repeat(50),
        ];
        let crlf: Vec<String> = texts.iter().map(|t| t.replace('\n', "\r\n")).collect();
        texts.extend(crlf);
        for text in &texts {
            let once = in_parts(text, 1);
            for chunks in 2..=5 {
                let parts = in_parts(text, chunks);
                assert!(same(&once, &parts), "{chunks} delen: {text:?}");
            }
        }
    }

    #[test]
    fn parts_that_start_where_the_one_before_stopped_are_all_kept() {
        for text in [
            multi_line_rows(3000, 7, false),
            multi_line_rows(3000, 7, false).replace('\n', "\r\n"),
        ] {
            let parts = read_parts(&text, b',', ",", Path::new("t.csv"), &Split::Parts(3));
            assert_eq!(parts.len(), 3);
            let rows: usize = parts
                .iter()
                .map(|p| p.table.as_ref().map_or(0, TableBuilder::height))
                .sum();
            assert_eq!(rows, 3000);
            assert!(same(&in_parts(&text, 1), &in_parts(&text, 3)));
        }
    }

    #[test]
    fn plain_lines_are_split_as_the_csv_crate_splits_them() {
        let mut rec: Vec<Cow<str>> = Vec::new();
        let plain = [
            ("1,2,3", vec!["1", "2", "3"]),
            ("1,,", vec!["1", "", ""]),
            ("\"a, b\",c", vec!["a, b", "c"]),
            ("\"zegt \"\"nee\"\"\",\"\"", vec!["zegt \"nee\"", ""]),
            ("\"\"\"\"", vec!["\""]),
            (" ", vec![" "]),
            ("x,\"\"", vec!["x", ""]),
        ];
        for (line, want) in plain {
            assert!(plain_record(line, b',', &mut rec), "{line:?}");
            let got: Vec<&str> = rec.iter().map(|f| f.as_ref()).collect();
            assert_eq!(got, want, "{line:?}");
            let by_crate = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(line.as_bytes())
                .records()
                .next()
                .unwrap()
                .unwrap();
            assert_eq!(by_crate.iter().collect::<Vec<_>>(), want, "{line:?}");
        }
        // Left to the csv crate: an unclosed quote, text after a closing quote, a quote
        // inside an unquoted field, a quote after a leading space.
        for line in [
            "1,\"open", "\"a\"b,c", "ab\"c,d", " \"a\",b", "\"a\"\"", "a,\"b\" ",
        ] {
            assert!(!plain_record(line, b',', &mut rec), "{line:?}");
        }
    }

    #[test]
    fn quoted_newlines_and_row_numbers() {
        let t = csv(b"id,tekst\n1,\"regel een\nregel twee\"\n2,x\n").unwrap();
        assert_eq!(t.df.height(), 2);
        let rows = row_numbers(&t);
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

    /// Three cells per row under a header "a,b,c", with CRLF line ends if asked.
    fn csv_text(cells: &[String], crlf: bool) -> String {
        let mut text = String::from("a,b,c\n");
        for c in cells.chunks(3) {
            text.push_str(&c.join(","));
            text.push('\n');
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        text
    }
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

        /// CSV-like text with random quotes, delimiters, blank lines and line ends gives
        /// the same table read in parts as read at once.
        #[test]
        fn reading_in_parts_equals_reading_at_once(cells in proptest::collection::vec("[a-z0-9\";,\n ]{0,6}", 3..150), crlf in any::<bool>(), chunks in 2usize..5) {
            let text = csv_text(&cells, crlf);
            let once = tests::in_parts(&text, 1);
            prop_assert!(tests::same(&once, &tests::in_parts(&text, chunks)), "{:?}", text);
        }

        /// Parts that start at any line start (inside a multi-line cell, on a blank line,
        /// right after a stray quote, several at one line) read, after the parts are joined,
        /// the same records, row numbers and quarantine reasons as one reading: on rows with
        /// random quotes, doubled quotes, multi-line cells whose inner lines read as rows,
        /// extra fields, blank lines and CRLF.
        #[test]
        fn parts_cut_at_any_line_read_as_one_reading(
            cells in proptest::collection::vec("[a-z0-9\";,\n ]{0,6}|\"[a-z, \n]{0,8}\"|\"[a-z]{0,2}\n[a-z]{0,2},[a-z]{0,2},[a-z]{0,2}\n[a-z]{0,2}\"|\"[a-z]{0,3}\"\"[a-z]{0,3}\"", 3..150),
            crlf in any::<bool>(),
            cuts in proptest::collection::vec(0usize..1000, 1..6),
        ) {
            let text = csv_text(&cells, crlf);
            let mut offsets: Vec<usize> = cuts
                .iter()
                .filter_map(|&c| {
                    let from = text.len() * c / 1000;
                    let lf = text.as_bytes()[from..].iter().position(|&b| b == b'\n')?;
                    Some(from + lf + 1).filter(|&p| p < text.len())
                })
                .collect();
            offsets.sort_unstable();
            let once = tests::in_parts(&text, 1);
            let cut = tests::split_at(&text, &Split::At(offsets.clone()));
            prop_assert!(tests::same(&once, &cut), "{:?} {:?}", text, offsets);
        }

        /// The facts looked for in parts at once are those of the whole text: on text of
        /// CRs, LFs, BOMs and multi-byte characters, cut anywhere.
        #[test]
        fn text_facts_in_parts_equal_those_of_the_whole(
            text in prop_oneof!["(\r\n|\n|a|é|\u{feff}|,){0,40}", "(\r\n|\n|a|é|\u{feff}|,|\r){0,40}"],
            parts in 1usize..7,
        ) {
            let (lines, empty) = physical_and_empty_lines(&text);
            let want = TextFacts {
                lone_cr: has_lone_cr(&text),
                stray_boms: text.matches('\u{feff}').count(),
                lines,
                empty,
            };
            prop_assert_eq!(text_facts(&text, parts), want, "{:?}", text);
        }

        /// Plain lines split directly give the same records, problems, line count and stop
        /// as the csv crate reading every line: on text with random quotes, doubled quotes,
        /// delimiters, blank lines and CRLF, read at once and up to a random line start.
        #[test]
        fn plain_lines_read_as_the_csv_crate_reads_them(
            cells in proptest::collection::vec("[a-z0-9\";,\n ]{0,6}|\"[a-z, ]{0,8}\"|\"[a-z]{0,3}\"\"[a-z]{0,3}\"", 3..150),
            crlf in any::<bool>(),
            d in prop::sample::select(vec![b',', b';']),
            cut in 0usize..1000,
            stretch in 1usize..200,
        ) {
            let text = csv_text(&cells, crlf);
            let starts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < text.len()).collect();
            let stop = starts.get(cut % starts.len().max(1)).copied();
            for stop_at in [None, stop] {
                let mut slow = Vec::new();
                let a = read_records(&text, d, Start::BEGIN, stop_at, &mut |e: Emitted| {
                    slow.push((all_fields(e.fields).map(str::to_string).collect::<Vec<_>>(), e.problem));
                    Ok(())
                }).map_err(|e| e.to_string());
                let mut fast = Vec::new();
                let b = read_records_fast_in(&text, d, Start::BEGIN, stop_at, stretch, &mut |e: Emitted| {
                    fast.push((all_fields(e.fields).map(str::to_string).collect::<Vec<_>>(), e.problem));
                    Ok(())
                }).map_err(|e| e.to_string());
                prop_assert_eq!(a, b, "{:?} {:?}", text, stop_at);
                prop_assert_eq!(&slow, &fast, "{:?} {:?}", text, stop_at);
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
