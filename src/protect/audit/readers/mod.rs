//! The audit's own readers, one per file type the tool writes.
//!
//! Each reader turns the bytes of one file into [`Segment`]s: a piece of text and where it
//! is (line, sheet and cell, page, metadata field). A file the reader cannot read
//! completely is an error, which the audit reports as a finding: nothing is skipped.
//!
//! | type | reader |
//! |---|---|
//! | `.html`, `.htm`, `.svg` | [`markup::segments`]: text per block, attributes, comments, scripts |
//! | `.md`, `.txt` | [`markdown`]: paragraphs with inline HTML, UTF-8 or Windows-1252 |
//! | `.csv` | [`csv_cells`]: every cell |
//! | `.json` | [`json_values`]: every string and number with its path |
//! | `.xlsx` | [`xlsx::read`]: cells, sheet names, document properties, every other part |
//! | `.pdf` | [`pdf::read`]: page text, metadata, annotations, every string object |
//!
//! ```
//! use rodedraad::protect::audit::readers::read;
//! let segs = read("md", "Tekst met <!-- 1 -->\nop twee regels".as_bytes()).unwrap();
//! assert!(segs.iter().any(|s| s.text == "Tekst met op twee regels"));
//! ```

pub mod markup;
pub mod pdf;
pub mod xlsx;

use super::normalise::decode_bytes;

/// A piece of text and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Place in the file, in Dutch: "regel 12", "blad Instroom, cel B3", "pagina 2".
    pub place: String,
    pub text: String,
    /// Shown as running text to a reader (numbers in it are checked for small counts).
    pub visible: bool,
}

impl Segment {
    pub fn visible(plek: impl Into<String>, tekst: impl Into<String>) -> Segment {
        Segment {
            place: plek.into(),
            text: tekst.into(),
            visible: true,
        }
    }
    pub fn hidden(plek: impl Into<String>, tekst: impl Into<String>) -> Segment {
        Segment {
            place: plek.into(),
            text: tekst.into(),
            visible: false,
        }
    }
}

/// The extensions the audit can read.
pub const KNOWN: &[&str] = &[
    "html", "htm", "svg", "md", "txt", "csv", "json", "xlsx", "pdf",
];

/// Reads one file of type `ext` (lowercase, without dot). `Err` says why it cannot be read.
pub fn read(ext: &str, bytes: &[u8]) -> Result<Vec<Segment>, String> {
    match ext {
        "html" | "htm" | "svg" => Ok(markup::segments(&decode_bytes(bytes)?)),
        "md" | "txt" => Ok(markdown(&decode_bytes(bytes)?)),
        "csv" => csv_cells(&decode_bytes(bytes)?),
        "json" => json_values(&decode_bytes(bytes)?),
        "xlsx" => xlsx::read(bytes),
        "pdf" => pdf::read(bytes),
        other => Err(format!("onbekend bestandstype '.{other}'")),
    }
}

/// Starts a new Markdown block (heading, list item, table row, quote, rule, fence).
fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#')
        || t.starts_with('|')
        || t.starts_with('>')
        || t.starts_with("- ")
        || t.starts_with("* ")
        || t.starts_with("+ ")
        || t.starts_with("```")
        || t.starts_with("---")
        || t.split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Markdown: lines of one paragraph are joined (a renderer shows them on one line), then
/// read as HTML (inline tags, comments, entities). Emphasis and escape characters go.
pub fn markdown(src: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut para = String::new();
    let mut para_line = 0;
    let flush = |para: &mut String, line: usize, out: &mut Vec<Segment>| {
        if para.trim().is_empty() {
            para.clear();
            return;
        }
        for s in markup::segments(para) {
            let place = s.place.replacen("regel 1", &format!("regel {line}"), 1);
            let text: String = s
                .text
                .chars()
                .filter(|c| !matches!(c, '*' | '`' | '\\' | '~'))
                .collect();
            out.push(Segment {
                place,
                text,
                visible: s.visible,
            });
        }
        para.clear();
    };
    for (i, line) in src.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() || starts_block(line) {
            flush(&mut para, para_line, &mut out);
        }
        if line.trim().is_empty() {
            continue;
        }
        if para.is_empty() {
            para_line = n;
        } else {
            para.push(' ');
        }
        para.push_str(line);
        if starts_block(line) {
            flush(&mut para, para_line, &mut out);
        }
    }
    flush(&mut para, para_line, &mut out);
    out
}

/// Every cell of a CSV file (any delimiter among `,` `;` tab, ragged rows allowed).
pub fn csv_cells(src: &str) -> Result<Vec<Segment>, String> {
    let first = src.lines().next().unwrap_or("");
    let delim = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| first.matches(*d as char).count())
        .unwrap_or(b',');
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(src.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("ongeldige CSV: {e}"))?;
        let line = rec.position().map_or(i as u64 + 1, |p| p.line());
        for (j, cell) in rec.iter().enumerate() {
            if !cell.trim().is_empty() {
                out.push(Segment::hidden(
                    format!("regel {line}, kolom {}", j + 1),
                    cell.to_string(),
                ));
            }
        }
    }
    Ok(out)
}

/// Every string and number in a JSON document, with its path (`/0/rijen/2/kop`).
pub fn json_values(src: &str) -> Result<Vec<Segment>, String> {
    let v: serde_json::Value =
        serde_json::from_str(src).map_err(|e| format!("ongeldige JSON: {e}"))?;
    let mut out = Vec::new();
    walk_json(&v, &mut String::new(), &mut out);
    Ok(out)
}

fn walk_json(v: &serde_json::Value, path: &mut String, out: &mut Vec<Segment>) {
    use serde_json::Value;
    let here = |p: &str| format!("pad {}", if p.is_empty() { "/" } else { p });
    match v {
        Value::String(s) => out.push(Segment::hidden(here(path), s.clone())),
        Value::Number(n) => out.push(Segment::hidden(here(path), n.to_string())),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("/{i}"));
                walk_json(x, path, out);
                path.truncate(len);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                out.push(Segment::hidden(here(path), k.clone()));
                let len = path.len();
                path.push_str(&format!("/{k}"));
                walk_json(x, path, out);
                path.truncate(len);
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_joins_paragraph_lines_and_keeps_blocks_apart() {
        let s = markdown("# Kop\nregel een\nregel 1234\n56782\n\n- a\n- b\n| x | y |\n");
        let t: Vec<(&str, &str)> = s
            .iter()
            .map(|x| (x.place.as_str(), x.text.as_str()))
            .collect();
        assert_eq!(
            t,
            vec![
                ("regel 1", "# Kop"),
                ("regel 2", "regel een regel 1234 56782"),
                ("regel 6", "- a"),
                ("regel 7", "- b"),
                ("regel 8", "| x | y |")
            ]
        );
    }

    #[test]
    fn markdown_drops_emphasis_between_digits() {
        let s = markdown("nummer 1234**5**6782");
        assert_eq!(s[0].text, "nummer 123456782");
    }

    #[test]
    fn json_paths_and_csv_cells() {
        let j = json_values(r#"[{"a": "x", "n": 123456782}]"#).unwrap();
        assert!(j
            .iter()
            .any(|s| s.place == "pad /0/n" && s.text == "123456782"));
        let c = csv_cells("a;b\n1;\"2\n3\"\n").unwrap();
        assert_eq!(c.len(), 4);
        assert!(json_values("{").is_err());
    }
}
