//! Size checks for the spreadsheet formats that the reader library reads as one whole
//! rectangle: `.xls` (BIFF in an OLE compound file) and `.ods` (OpenDocument). Both are
//! parsed into a dense grid from the first to the last used cell, so a file of a few KB
//! with one cell far away (or a `.xls` whose DIMENSIONS record claims a million rows)
//! would ask for gigabytes and abort the process. These checks read the file's own
//! structure first, without allocating the grid, and say how large it would be.
//! (`.xlsx` is read cell by cell and needs no such check.)
//!
//! ```
//! use rodedraad::ingest::sheet_size::{grid_size, MAX_CELLS};
//! // Not an xls or ods file: nothing to check.
//! assert_eq!(grid_size(b"casus_id,thema\n"), None);
//! assert!(MAX_CELLS >= 1_000_000);
//! ```

/// The most cells a `.xls` or `.ods` sheet may span (its rectangle, empty cells
/// included): 10 million, for example 100.000 rows of 100 columns. A larger grid would
/// cost hundreds of megabytes for what is not an export.
pub const MAX_CELLS: u64 = 10_000_000;

/// The largest grid a sheet of the file would be read into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// The sheet (for `.xls`: its number, 1 for the first).
    pub sheet: String,
    pub rows: u64,
    pub cols: u64,
    /// What makes the grid so large, in Dutch.
    pub cause: String,
}

impl Grid {
    pub fn cells(&self) -> u64 {
        self.rows.saturating_mul(self.cols)
    }
}

/// The largest grid of a `.xls` or `.ods` file, recognised by its content; `None` for
/// other files and for files whose structure cannot be followed (the reader then
/// refuses them itself).
pub fn grid_size(bytes: &[u8]) -> Option<Grid> {
    if bytes.starts_with(&CFB_MAGIC) {
        xls_grid(bytes)
    } else if bytes.starts_with(b"PK") {
        ods_grid(bytes)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------
// .ods: content.xml, read as a stream of tags.

/// The most bytes of `content.xml` that are read: a larger one is refused as a grid
/// of its own (a zip bomb must not fill the memory either).
const MAX_ODS_XML: u64 = 512 * 1024 * 1024;

/// The longest tag that is followed; a longer unfinished one ends the check.
const MAX_TAG: usize = 1 << 20;

/// Columns and rows as the reader library caps them.
const ODS_MAX_COLS: u64 = 16_384;
const ODS_MAX_ROWS: u64 = 1_048_576;

fn ods_grid(bytes: &[u8]) -> Option<Grid> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut file = zip.by_name("content.xml").ok()?;
    let mut scan = OdsScan::default();
    let mut buf = vec![0u8; 1 << 16];
    let mut carry: Vec<u8> = Vec::new();
    let mut read = 0u64;
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        read += n as u64;
        if read > MAX_ODS_XML {
            return Some(Grid {
                sheet: scan.sheet.clone(),
                rows: u64::MAX,
                cols: 1,
                cause: "content.xml is groter dan 512 MB".into(),
            });
        }
        carry.extend_from_slice(&buf[..n]);
        let used = scan.feed(&carry);
        carry.drain(..used);
        if carry.len() > MAX_TAG {
            return None; // not XML as a spreadsheet writes it: the reader decides
        }
    }
    scan.finish_sheet();
    scan.largest
}

/// The running state of one pass over `content.xml`.
#[derive(Default)]
struct OdsScan {
    sheet: String,
    sheets: u32,
    /// Row index (repeats counted) of the next row element.
    row: u64,
    /// Repeats of the row element being read.
    row_repeats: u64,
    /// Column of the next cell in the current row.
    col: u64,
    /// First and last used column of the current row.
    row_used: Option<(u64, u64)>,
    /// Whether the current cell element (not self-closing) has content.
    in_cell: Option<(u64, u64)>,
    /// Used rectangle of the sheet: rows and columns.
    rows_used: Option<(u64, u64)>,
    cols_used: Option<(u64, u64)>,
    /// Cells stored while reading (every cell element, repeats across columns expanded).
    stored: u64,
    largest: Option<Grid>,
}

/// Where the tag that starts `b` ends (its `>`), outside quoted attribute values.
fn tag_end(b: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (i, &x) in b.iter().enumerate() {
        match (quote, x) {
            (None, b'"' | b'\'') => quote = Some(x),
            (Some(q), _) if x == q => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn attr(tag: &[u8], name: &[u8]) -> Option<u64> {
    let at = tag.windows(name.len() + 2).position(|w| {
        w.starts_with(name) && w[name.len()] == b'=' && matches!(w[name.len() + 1], b'"' | b'\'')
    })?;
    let rest = &tag[at + name.len() + 2..];
    let end = rest.iter().position(|&b| b == b'"' || b == b'\'')?;
    std::str::from_utf8(&rest[..end]).ok()?.trim().parse().ok()
}

fn has_attr(tag: &[u8], name: &[u8]) -> bool {
    tag.windows(name.len() + 1)
        .any(|w| w.starts_with(name) && w[name.len()] == b'=')
}

impl OdsScan {
    /// Handles every complete tag in `b`; returns how many bytes were used.
    fn feed(&mut self, b: &[u8]) -> usize {
        let mut i = 0;
        while let Some(lt) = b[i..].iter().position(|&x| x == b'<') {
            let start = i + lt;
            let Some(gt) = tag_end(&b[start..]) else {
                return start;
            };
            self.tag(&b[start + 1..start + gt]);
            i = start + gt + 1;
        }
        b.len()
    }

    fn tag(&mut self, t: &[u8]) {
        let self_closing = t.ends_with(b"/");
        // The name ends at a space or at the `/` of `<a/>` (not at the `/` of `</a>`).
        let name_end = t
            .iter()
            .skip(1)
            .position(|&x| x.is_ascii_whitespace() || x == b'/')
            .map_or(t.len(), |p| p + 1);
        let name = &t[..name_end];
        match name {
            b"table:table" => {
                self.finish_sheet();
                self.sheets += 1;
                self.sheet = format!("{}", self.sheets);
            }
            b"/table:table" => self.finish_sheet(),
            b"table:table-row" => {
                self.row_repeats = attr(t, b"table:number-rows-repeated")
                    .unwrap_or(1)
                    .clamp(1, ODS_MAX_ROWS);
                self.col = 0;
                self.row_used = None;
                if self_closing {
                    self.end_row();
                }
            }
            b"/table:table-row" => self.end_row(),
            b"table:table-cell" | b"table:covered-table-cell" => {
                let repeats = attr(t, b"table:number-columns-repeated")
                    .unwrap_or(1)
                    .clamp(1, ODS_MAX_COLS);
                let (from, to) = (self.col, self.col.saturating_add(repeats - 1));
                self.col = self.col.saturating_add(repeats).min(ODS_MAX_COLS);
                self.stored = self.stored.saturating_add(repeats);
                if has_attr(t, b"office:value-type") {
                    self.use_cols(from, to);
                } else if !self_closing {
                    self.in_cell = Some((from, to));
                }
            }
            b"/table:table-cell" | b"/table:covered-table-cell" => self.in_cell = None,
            // Content inside a cell without a value type (text only) still counts.
            _ if !name.starts_with(b"/") => {
                if let Some((from, to)) = self.in_cell.take() {
                    self.use_cols(from, to);
                }
            }
            _ => {}
        }
    }

    fn use_cols(&mut self, from: u64, to: u64) {
        let (a, b) = self.row_used.unwrap_or((from, to));
        self.row_used = Some((a.min(from), b.max(to)));
    }

    fn end_row(&mut self) {
        if let Some((a, b)) = self.row_used.take() {
            let last = self.row.saturating_add(self.row_repeats - 1);
            let (r0, _) = self.rows_used.unwrap_or((self.row, last));
            self.rows_used = Some((r0, last));
            let (c0, c1) = self.cols_used.unwrap_or((a, b));
            self.cols_used = Some((c0.min(a), c1.max(b)));
        }
        self.row = self.row.saturating_add(self.row_repeats);
        self.row_repeats = 1;
    }

    fn finish_sheet(&mut self) {
        let grid = match (self.rows_used, self.cols_used) {
            (Some((r0, r1)), Some((c0, c1))) => Some(Grid {
                sheet: self.sheet.clone(),
                rows: r1 - r0 + 1,
                cols: c1 - c0 + 1,
                cause: "de gebruikte cellen liggen ver uit elkaar".into(),
            }),
            _ => None,
        };
        // Every cell element is kept while reading, also outside the used rectangle.
        let stored = (self.stored > 0).then(|| Grid {
            sheet: self.sheet.clone(),
            rows: self.stored,
            cols: 1,
            cause: "het werkblad herhaalt lege cellen over veel kolommen".into(),
        });
        for g in grid.into_iter().chain(stored) {
            if self.largest.as_ref().is_none_or(|l| g.cells() > l.cells()) {
                self.largest = Some(g);
            }
        }
        self.row = 0;
        self.rows_used = None;
        self.cols_used = None;
        self.stored = 0;
    }
}

// ---------------------------------------------------------------------------------
// .xls: the Workbook stream of the compound file, read as BIFF records.

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// A minimal reader of an OLE compound file: just enough to find one stream.
struct Cfb<'a> {
    bytes: &'a [u8],
    shift: u32,
    fat: Vec<u32>,
}

impl<'a> Cfb<'a> {
    fn open(bytes: &'a [u8]) -> Option<Cfb<'a>> {
        let shift = u32::from(u16_at(bytes, 30)?);
        if shift != 9 && shift != 12 {
            return None;
        }
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|k| u32_at(bytes, 76 + 4 * k))
            .filter(|&s| s < END_OF_CHAIN)
            .collect();
        let in_file = (bytes.len() >> shift) as u32;
        let (mut difat, mut n) = (u32_at(bytes, 68)?, u32_at(bytes, 72)?.min(in_file));
        let per = (1usize << shift) / 4 - 1;
        let mut cfb = Cfb {
            bytes,
            shift,
            fat: Vec::new(),
        };
        while difat < END_OF_CHAIN && n > 0 {
            let s = cfb.sector(difat)?;
            fat_sectors.extend(
                (0..per)
                    .filter_map(|k| u32_at(s, 4 * k))
                    .filter(|&x| x < END_OF_CHAIN),
            );
            difat = u32_at(s, 4 * per)?;
            n -= 1;
        }
        fat_sectors.truncate(in_file as usize);
        for f in fat_sectors {
            let s = cfb.sector(f)?;
            cfb.fat
                .extend(s.chunks_exact(4).filter_map(|c| u32_at(c, 0)));
        }
        Some(cfb)
    }

    fn sector(&self, i: u32) -> Option<&'a [u8]> {
        let size = 1usize << self.shift;
        let start = (i as usize).checked_add(1)?.checked_mul(size)?;
        self.bytes.get(start..start.checked_add(size)?)
    }

    /// The bytes of the chain from `start` in `fat`, read with `sector` (at most `len`);
    /// a chain that loops or points outside the file ends it.
    fn chain(
        &self,
        start: u32,
        len: u64,
        fat: &[u32],
        sector: impl Fn(u32) -> Option<&'a [u8]>,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut s = start;
        let mut steps = 0usize;
        // A chain that does not loop has at most one step per sector of the file.
        let most = self.bytes.len() >> self.shift;
        while s < END_OF_CHAIN && (out.len() as u64) < len && steps <= most {
            let Some(b) = sector(s) else { break };
            out.extend_from_slice(b);
            s = fat.get(s as usize).copied().unwrap_or(END_OF_CHAIN);
            steps += 1;
        }
        out.truncate(len.min(out.len() as u64) as usize);
        out
    }

    /// The stream named one of `names` (the workbook), from regular or mini sectors.
    fn stream(&self, names: &[&str]) -> Option<Vec<u8>> {
        let dir = self.chain(u32_at(self.bytes, 48)?, u64::MAX, &self.fat, |s| {
            self.sector(s)
        });
        let (mut root, mut wb) = (None, None);
        for e in dir.chunks_exact(128) {
            if e[66] == 5 && root.is_none() {
                root = Some(e);
            } else if e[66] == 2 && wb.is_none() && names.contains(&entry_name(e).as_str()) {
                wb = Some(e);
            }
        }
        let (root, wb) = (root?, wb?);
        let (start, size) = (u32_at(wb, 116)?, u64::from(u32_at(wb, 120)?));
        let cutoff = u64::from(u32_at(self.bytes, 56)?);
        if size >= cutoff {
            return Some(self.chain(start, size, &self.fat, |s| self.sector(s)));
        }
        let mini_stream = self.chain(
            u32_at(root, 116)?,
            u64::from(u32_at(root, 120)?),
            &self.fat,
            |s| self.sector(s),
        );
        let mini_fat: Vec<u32> = self
            .chain(u32_at(self.bytes, 60)?, u64::MAX, &self.fat, |s| {
                self.sector(s)
            })
            .chunks_exact(4)
            .filter_map(|c| u32_at(c, 0))
            .collect();
        let mini = |s: u32| {
            let a = (s as usize).checked_mul(64)?;
            mini_stream.get(a..a.checked_add(64)?)
        };
        // The mini sectors borrow from `mini_stream`, which lives in this function.
        let mut out = Vec::new();
        let mut s = start;
        let mut steps = 0usize;
        while s < END_OF_CHAIN && (out.len() as u64) < size && steps <= mini_stream.len() / 64 {
            let Some(b) = mini(s) else { break };
            out.extend_from_slice(b);
            s = mini_fat.get(s as usize).copied().unwrap_or(END_OF_CHAIN);
            steps += 1;
        }
        out.truncate(size.min(out.len() as u64) as usize);
        Some(out)
    }
}

/// The name of a directory entry (UTF-16, with its length in bytes at offset 64).
fn entry_name(e: &[u8]) -> String {
    let n = (u16_at(e, 64).unwrap_or(0) as usize).min(64) / 2;
    let units: Vec<u16> = (0..n.saturating_sub(1))
        .filter_map(|k| u16_at(e, 2 * k))
        .collect();
    String::from_utf16_lossy(&units)
}

/// The used rectangle of one worksheet substream.
#[derive(Default)]
struct XlsSheet {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
    claimed: u64,
}

impl XlsSheet {
    fn cell(&mut self, r: u32, c0: u32, c1: u32) {
        let (a, b) = self.rows.unwrap_or((r, r));
        self.rows = Some((a.min(r), b.max(r)));
        let (a, b) = self.cols.unwrap_or((c0, c1));
        self.cols = Some((a.min(c0), b.max(c1)));
    }

    /// The DIMENSIONS record, counted the way the reader library reserves room for it.
    fn dimensions(&mut self, d: &[u8]) {
        let v = match d.len() {
            10 => (0..4).map(|k| u16_at(d, 2 * k).map(u32::from)).collect(),
            14 | 16 => [
                u32_at(d, 0),
                u32_at(d, 4),
                u16_at(d, 8).map(u32::from),
                u16_at(d, 10).map(u32::from),
            ]
            .into_iter()
            .collect(),
            _ => None,
        };
        let Some::<Vec<u32>>(v) = v else { return };
        let (rf, rl, mut cf, cl) = (v[0], v[1], v[2], v[3]);
        if cf > 0xFF || cl < cf {
            cf = 0;
        }
        if rl >= 1 && cl >= 1 {
            let rows = u64::from((rl - 1).wrapping_sub(rf).wrapping_add(1));
            let cols = u64::from((cl - 1).wrapping_sub(cf).wrapping_add(1));
            self.claimed = self.claimed.max(rows.saturating_mul(cols));
        }
    }

    fn grids(&self, n: usize) -> Vec<Grid> {
        let mut out = Vec::new();
        if let (Some((r0, r1)), Some((c0, c1))) = (self.rows, self.cols) {
            out.push(Grid {
                sheet: n.to_string(),
                rows: u64::from(r1 - r0) + 1,
                cols: u64::from(c1 - c0) + 1,
                cause: "de gebruikte cellen liggen ver uit elkaar".into(),
            });
        }
        if self.claimed > 0 {
            out.push(Grid {
                sheet: n.to_string(),
                rows: self.claimed,
                cols: 1,
                cause: "het DIMENSIONS-record van het werkblad claimt zoveel cellen".into(),
            });
        }
        out
    }
}

fn xls_grid(bytes: &[u8]) -> Option<Grid> {
    let cfb = Cfb::open(bytes)?;
    let wb = cfb.stream(&["Workbook", "Book"])?;
    let mut sheets: Vec<XlsSheet> = Vec::new();
    let mut i = 0usize;
    while i + 4 <= wb.len() {
        let typ = u16_at(&wb, i)?;
        let len = usize::from(u16_at(&wb, i + 2)?);
        let d = &wb[i + 4..(i + 4 + len).min(wb.len())];
        i += 4 + len;
        let pos = || Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)));
        match typ {
            0x0809 => sheets.push(XlsSheet::default()),
            0x0200 => {
                if let Some(s) = sheets.last_mut() {
                    s.dimensions(d);
                }
            }
            // Number, Label, RString, BoolErr, RK, LabelSst, Formula.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some((r, c)), Some(s)) = (pos(), sheets.last_mut()) {
                    s.cell(r, c, c);
                }
            }
            // MulRk: a row of RK values from the first to the last column.
            0x00BD if d.len() >= 6 => {
                if let (Some((r, c)), Some(last), Some(s)) =
                    (pos(), u16_at(d, d.len() - 2), sheets.last_mut())
                {
                    s.cell(r, c, u32::from(last).max(c));
                }
            }
            _ => {}
        }
    }
    sheets
        .iter()
        .enumerate()
        .flat_map(|(k, s)| s.grids(k))
        .max_by_key(Grid::cells)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An .ods file with the given content.xml body (inside office:spreadsheet).
    pub(crate) fn ods(tables: &str) -> Vec<u8> {
        use std::io::Write;
        let mut out = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file(
            "META-INF/manifest.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)
            .unwrap();
        z.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        write!(
            z,
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
        )
        .unwrap();
        z.finish().unwrap();
        out.into_inner()
    }

    pub(crate) fn text_cell(s: &str) -> String {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#
        )
    }

    #[test]
    fn ods_trailing_empty_repeats_do_not_count() {
        // What LibreOffice writes: the used cells, then empty rows and columns to the end.
        let body = format!(
            r#"<table:table table:name="Blad1"><table:table-row>{}{}<table:table-cell table:number-columns-repeated="1022"/></table:table-row><table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#,
            text_cell("a"),
            text_cell("b"),
            text_cell("1"),
            text_cell("2")
        );
        let g = grid_size(&ods(&body)).unwrap();
        // The 1.048.574 empty rows are not multiplied out; only the stored cells count.
        assert!(g.cells() < 10_000, "{g:?}");
    }

    #[test]
    fn ods_a_far_cell_spans_a_huge_grid() {
        let body = format!(
            r#"<table:table table:name="Blad1"><table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16000"/>{}</table:table-row></table:table>"#,
            text_cell("a"),
            text_cell("ver weg")
        );
        let g = grid_size(&ods(&body)).unwrap();
        assert_eq!((g.rows, g.cols), (1_048_002, 16_001));
        assert!(g.cells() > MAX_CELLS);
    }

    #[test]
    fn ods_text_only_cell_counts_as_used() {
        let body = r#"<table:table table:name="B"><table:table-row><table:table-cell table:number-columns-repeated="5000"/><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="5000"><table:table-cell/></table:table-row><table:table-row><table:table-cell><text:p>y</text:p></table:table-cell></table:table-row></table:table>"#;
        let g = grid_size(&ods(body)).unwrap();
        assert_eq!((g.rows, g.cols), (5_002, 5_001));
    }

    /// A compound file with one stream `Workbook` of `wb` bytes (padded to 4.096 or more,
    /// so it lies in regular sectors) or, with `mini`, in the mini stream.
    pub(crate) fn cfb(wb: &[u8], mini: bool) -> Vec<u8> {
        let ss = 512usize;
        let sectors = |n: usize| n.div_ceil(ss).max(1);
        let mut h = vec![0u8; 512];
        h[..8].copy_from_slice(&CFB_MAGIC);
        h[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
        h[26..28].copy_from_slice(&3u16.to_le_bytes());
        h[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
        h[30..32].copy_from_slice(&9u16.to_le_bytes());
        h[32..34].copy_from_slice(&6u16.to_le_bytes());
        h[44..48].copy_from_slice(&1u32.to_le_bytes()); // one FAT sector
        h[56..60].copy_from_slice(&4096u32.to_le_bytes());
        h[68..72].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        for k in 0..109 {
            h[76 + 4 * k..80 + 4 * k].copy_from_slice(&u32::MAX.to_le_bytes());
        }
        // Sector 0: FAT; 1: directory; 2: mini FAT (if mini); then the data.
        let mut fat = vec![0xFFFF_FFFDu32, END_OF_CHAIN];
        let data_start = if mini { 3 } else { 2 };
        if mini {
            fat.push(END_OF_CHAIN);
        }
        let n = sectors(if mini {
            wb.len().div_ceil(64) * 64
        } else {
            wb.len()
        });
        for k in 0..n {
            let s = (data_start + k) as u32;
            fat.push(if k + 1 == n { END_OF_CHAIN } else { s + 1 });
        }
        h[48..52].copy_from_slice(&1u32.to_le_bytes());
        h[60..64].copy_from_slice(&(if mini { 2u32 } else { END_OF_CHAIN }).to_le_bytes());
        h[64..68].copy_from_slice(&(u32::from(mini)).to_le_bytes());
        h[76..80].copy_from_slice(&0u32.to_le_bytes());
        let mut fat_sector = vec![0xFFu8; ss];
        for (k, v) in fat.iter().enumerate() {
            fat_sector[4 * k..4 * k + 4].copy_from_slice(&v.to_le_bytes());
        }
        let entry = |name: &str, typ: u8, start: u32, size: u32| {
            let mut e = vec![0u8; 128];
            let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
            for (k, u) in units.iter().enumerate() {
                e[2 * k..2 * k + 2].copy_from_slice(&u.to_le_bytes());
            }
            e[64..66].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
            e[66] = typ;
            e[116..120].copy_from_slice(&start.to_le_bytes());
            e[120..124].copy_from_slice(&size.to_le_bytes());
            e
        };
        let mut dir = Vec::new();
        if mini {
            let len = (wb.len().div_ceil(64) * 64) as u32;
            dir.extend(entry("Root Entry", 5, data_start as u32, len));
            dir.extend(entry("Workbook", 2, 0, wb.len() as u32));
        } else {
            dir.extend(entry("Root Entry", 5, END_OF_CHAIN, 0));
            dir.extend(entry("Workbook", 2, data_start as u32, wb.len() as u32));
        }
        dir.resize(ss, 0);
        let mut out = h;
        out.extend(fat_sector);
        out.extend(dir);
        if mini {
            let mut mf = vec![0xFFu8; ss];
            let m = wb.len().div_ceil(64);
            for k in 0..m {
                let v = if k + 1 == m {
                    END_OF_CHAIN
                } else {
                    k as u32 + 1
                };
                mf[4 * k..4 * k + 4].copy_from_slice(&v.to_le_bytes());
            }
            out.extend(mf);
        }
        let mut data = wb.to_vec();
        data.resize(n * ss, 0);
        out.extend(data);
        out
    }

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 10]);
        rec(0x0203, &d)
    }

    pub(crate) fn biff(cells: &[(u16, u16)], dims: Option<(u32, u32, u16, u16)>) -> Vec<u8> {
        let mut wb = rec(0x0809, &[0, 6, 5, 0, 0, 0, 0, 0]);
        wb.extend(rec(0x000A, &[]));
        wb.extend(rec(0x0809, &[0, 6, 16, 0, 0, 0, 0, 0]));
        if let Some((rf, rl, cf, cl)) = dims {
            let mut d = rf.to_le_bytes().to_vec();
            d.extend(rl.to_le_bytes());
            d.extend(cf.to_le_bytes());
            d.extend(cl.to_le_bytes());
            d.extend([0, 0]);
            wb.extend(rec(0x0200, &d));
        }
        for &(r, c) in cells {
            wb.extend(number(r, c));
        }
        wb.extend(rec(0x000A, &[]));
        wb
    }

    #[test]
    fn xls_far_cell_in_regular_and_mini_sectors() {
        let mut wb = biff(&[(0, 0), (65535, 255)], None);
        let small = wb.clone();
        wb.resize(5000, 0); // padding after the last EOF: ignored
        for file in [cfb(&wb, false), cfb(&small, true)] {
            let g = grid_size(&file).unwrap();
            assert_eq!((g.rows, g.cols), (65_536, 256), "{g:?}");
            assert!(g.cells() > MAX_CELLS);
        }
    }

    #[test]
    fn xls_dimensions_claim_counts_even_without_cells() {
        let wb = biff(&[(0, 0)], Some((0, 4_000_000, 0, 200)));
        let g = grid_size(&cfb(&wb, true)).unwrap();
        assert_eq!(g.cells(), 800_000_000);
        // A reversed claim wraps around in the reader library: huge as well.
        let wb = biff(&[(0, 0)], Some((10, 5, 0, 3)));
        assert!(grid_size(&cfb(&wb, true)).unwrap().cells() > MAX_CELLS);
    }

    #[test]
    fn xls_a_normal_sheet_is_small() {
        let cells: Vec<(u16, u16)> = (0..50).flat_map(|r| (0..6).map(move |c| (r, c))).collect();
        let wb = biff(&cells, Some((0, 50, 0, 6)));
        let g = grid_size(&cfb(&wb, false)).unwrap();
        assert_eq!(g.cells(), 300);
    }

    #[test]
    fn broken_containers_give_no_grid_and_no_panic() {
        let good = cfb(&biff(&[(0, 0), (9, 9)], None), true);
        for cut in [8, 100, 512, 700, 1100, good.len() - 10] {
            let _ = grid_size(&good[..cut]);
        }
        let mut looped = good.clone();
        // FAT entry of the directory sector points at itself.
        looped[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
        let _ = grid_size(&looped);
        assert_eq!(grid_size(b"PK\x03\x04 not a zip"), None);
    }
}
