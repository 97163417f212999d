//! `rodedraad audit`: an independent check of a finished output folder.
//!
//! The audit does not trust how the output was made: it reads the files back
//! (HTML, Markdown, CSV, JSON, XLSX, SVG, text, and PDF text through
//! `pdftotext` when present) and reports
//! - every personal-data hit in any text (kind and place, never the value);
//! - every shown count below `min_cel`;
//! - every percentage or statistic shown on a denominator below `min_noemer`;
//! - every hidden cell that can be recomputed from the shown cells and totals.
//!
//! Tables are read from the HTML (cells carry `data-soort`, `data-waarde`,
//! `data-noemer`, `data-onderdrukt`; total rows `data-totaal`, sub rows
//! `data-deel-van`) and from `tabellen.json`.
//!
//! ```no_run
//! let f = rodedraad::protect::audit::audit_dir(std::path::Path::new("reports/demo/kamer"), 5, 10).unwrap();
//! assert!(f.bevindingen.is_empty());
//! ```

use super::pii;
use super::suppress;
use super::tables::{linked_from_published, CellKind, PubCell, PubRow, PubTable};
use crate::error::{Error, Result};
use regex::Regex;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub bestand: String,
    pub soort: String,
    pub plek: String,
    pub melding: String,
}

/// The audit result.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditReport {
    pub gecontroleerd: Vec<String>,
    pub niet_gecontroleerd: Vec<String>,
    pub bevindingen: Vec<Finding>,
}

static TABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<table\b([^>]*)>(.*?)</table>").unwrap());
static ROW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<tr\b([^>]*)>(.*?)</tr>").unwrap());
static CELL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<t([dh])\b([^>]*)>(.*?)</t[dh]>").unwrap());
static ATTR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"([a-z-]+)="([^"]*)""#).unwrap());
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").unwrap());
static STYLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<(style|script)\b.*?</(style|script)>").unwrap());

fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    ATTR.captures_iter(attrs)
        .find(|c| &c[1] == name)
        .map(|c| c.get(2).unwrap().as_str())
}

/// Visible text of an HTML document (tags removed, entities decoded).
pub fn html_text(html: &str) -> String {
    let no_style = STYLE.replace_all(html, " ");
    let text = TAG.replace_all(&no_style, " ");
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

/// Tables of an HTML document that carry the disclosure annotations.
pub fn html_tables(html: &str) -> Vec<PubTable> {
    let mut out = Vec::new();
    for t in TABLE.captures_iter(html) {
        let (tattrs, body) = (&t[1], &t[2]);
        let id = attr(tattrs, "id").unwrap_or("(zonder id)").to_string();
        let mut rijen = Vec::new();
        for r in ROW.captures_iter(body) {
            let (rattrs, rbody) = (&r[1], &r[2]);
            let mut kop = String::new();
            let mut cellen = Vec::new();
            for c in CELL.captures_iter(rbody) {
                let (kind, cattrs, content) = (&c[1], &c[2], html_text(&c[3]).trim().to_string());
                if kind == "h" {
                    kop = content;
                    continue;
                }
                let soort = match attr(cattrs, "data-soort") {
                    Some("aantal") => CellKind::Aantal,
                    Some("percentage") => CellKind::Percentage,
                    Some("getal") => CellKind::Getal,
                    _ => CellKind::Tekst,
                };
                cellen.push(PubCell {
                    tekst: content,
                    soort,
                    waarde: attr(cattrs, "data-waarde").and_then(|v| v.parse().ok()),
                    noemer: attr(cattrs, "data-noemer").and_then(|v| v.parse().ok()),
                    onderdrukt: attr(cattrs, "data-onderdrukt") == Some("ja"),
                });
            }
            if cellen.is_empty() {
                continue; // header row
            }
            rijen.push(PubRow {
                kop,
                cellen,
                totaal: attr(rattrs, "data-totaal") == Some("ja"),
                deel_van: attr(rattrs, "data-deel-van").and_then(|v| v.parse().ok()),
            });
        }
        out.push(PubTable {
            id,
            titel: String::new(),
            kolommen: vec![],
            rijen,
            voetnoten: vec![],
            totaal_kolom: attr(tattrs, "data-totaal-kolom") == Some("ja"),
        });
    }
    out
}

/// Disclosure checks on one published table.
pub fn check_table(t: &PubTable, file: &str, min_cel: u64, min_noemer: u64) -> Vec<Finding> {
    let mut out = Vec::new();
    let f = |soort: &str, plek: String, melding: String| Finding {
        bestand: file.to_string(),
        soort: soort.into(),
        plek,
        melding,
    };
    for (i, r) in t.rijen.iter().enumerate() {
        for (j, c) in r.cellen.iter().enumerate() {
            if c.onderdrukt {
                continue;
            }
            let plek = format!("tabel {}, rij {} ({}), kolom {}", t.id, i + 1, r.kop, j + 2);
            match (c.soort, c.waarde) {
                (CellKind::Aantal, Some(v)) if v > 0.0 && v < min_cel as f64 => out.push(f(
                    "klein aantal",
                    plek,
                    format!("aantal kleiner dan {min_cel} getoond"),
                )),
                (CellKind::Percentage | CellKind::Getal, Some(_))
                    if c.noemer.is_some_and(|n| n < min_noemer) =>
                {
                    out.push(f(
                        "kleine noemer",
                        plek,
                        format!("percentage of kengetal op een noemer kleiner dan {min_noemer}"),
                    ))
                }
                (CellKind::Percentage, Some(_)) if c.noemer.is_none() => out.push(f(
                    "kleine noemer",
                    plek,
                    "percentage zonder opgegeven noemer".into(),
                )),
                _ => {}
            }
        }
    }
    if let Some((lt, hidden)) = linked_from_published(t) {
        for cell in suppress::recoverable_published(&lt, &hidden) {
            let ncols = t.rijen[0].cellen.len();
            let (i, j) = (cell / ncols, cell % ncols);
            out.push(f(
                "terug te rekenen",
                format!(
                    "tabel {}, rij {} ({}), kolom {}",
                    t.id,
                    i + 1,
                    t.rijen[i].kop,
                    j + 2
                ),
                "verborgen cel is uit de zichtbare cellen en de totalen terug te rekenen".into(),
            ));
        }
    }
    out
}

fn pii_findings(text: &str, file: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for h in pii::scan(text) {
        let line = text[..h.start].matches('\n').count() + 1;
        out.push(Finding {
            bestand: file.into(),
            soort: "persoonsgegevens".into(),
            plek: format!("regel {line}"),
            melding: format!(
                "mogelijk {} gevonden{}",
                h.kind.label(),
                if h.kind.is_warning_only() {
                    " (waarschuwing: namen zijn dubbelzinnig)"
                } else {
                    ""
                }
            ),
        });
    }
    out
}

fn xlsx_text(path: &Path) -> Option<String> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).ok()?;
    let mut text = String::new();
    for name in wb.sheet_names() {
        if let Ok(range) = wb.worksheet_range(&name) {
            for row in range.rows() {
                let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
                text.push_str(&cells.join(" \t "));
                text.push('\n');
            }
        }
    }
    Some(text)
}

fn pdf_text(path: &Path) -> Option<String> {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn json_strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Audits every file in `dir` (recursively).
pub fn audit_dir(dir: &Path, min_cel: u64, min_noemer: u64) -> Result<AuditReport> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} is geen map; geef de uitvoermap van een rapport op",
            dir.display()
        )));
    }
    let mut rep = AuditReport::default();
    for p in files(dir) {
        let name = p.strip_prefix(dir).unwrap_or(&p).display().to_string();
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_lowercase();
        let read = || std::fs::read_to_string(&p).unwrap_or_default();
        let text = match ext.as_str() {
            "html" | "htm" => {
                let html = read();
                for t in html_tables(&html) {
                    rep.bevindingen
                        .extend(check_table(&t, &name, min_cel, min_noemer));
                }
                Some(html_text(&html))
            }
            "svg" => Some(html_text(&read())),
            "md" | "txt" | "typ" | "csv" | "tsv" => Some(read()),
            "json" => {
                let src = read();
                let v: serde_json::Value =
                    serde_json::from_str(&src).unwrap_or(serde_json::Value::Null);
                if name.ends_with("tabellen.json") {
                    if let Ok(tables) = serde_json::from_value::<Vec<PubTable>>(v.clone()) {
                        for t in &tables {
                            rep.bevindingen
                                .extend(check_table(t, &name, min_cel, min_noemer));
                        }
                    }
                }
                let mut s = String::new();
                json_strings(&v, &mut s);
                Some(s)
            }
            "xlsx" | "xlsm" | "ods" => xlsx_text(&p),
            "pdf" => pdf_text(&p),
            _ => None,
        };
        match text {
            Some(t) => {
                rep.bevindingen.extend(pii_findings(&t, &name));
                rep.gecontroleerd.push(name);
            }
            None => rep.niet_gecontroleerd.push(match ext.as_str() {
                "pdf" => {
                    format!("{name} (pdftotext ontbreekt of faalde; installeer poppler-utils)")
                }
                _ => format!("{name} (onbekend bestandstype)"),
            }),
        }
    }
    Ok(rep)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTML: &str = r#"<table class="telling" id="t"><caption>x</caption><thead><tr><th>a</th><th>Aantal</th></tr></thead><tbody>
<tr><th scope="row">A</th><td data-soort="aantal" data-onderdrukt="ja">.</td></tr>
<tr><th scope="row">B</th><td data-soort="aantal" data-waarde="20">20</td></tr>
<tr class="totaal" data-totaal="ja"><th scope="row">Totaal</th><td data-soort="aantal" data-waarde="23">23</td></tr>
</tbody></table>"#;

    #[test]
    fn a_single_hidden_cell_under_a_total_is_found() {
        let t = &html_tables(HTML)[0];
        assert_eq!(t.rijen.len(), 3);
        let f = check_table(t, "r.html", 5, 10);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].soort, "terug te rekenen");
    }

    #[test]
    fn small_counts_and_small_denominators_are_found() {
        let html = r#"<table id="k"><tr><th>x</th><td data-soort="aantal" data-waarde="3">3</td><td data-soort="percentage" data-waarde="0.5" data-noemer="4">50%</td></tr></table>"#;
        let f = check_table(&html_tables(html)[0], "r.html", 5, 10);
        let kinds: Vec<&str> = f.iter().map(|x| x.soort.as_str()).collect();
        assert_eq!(kinds, vec!["klein aantal", "kleine noemer"]);
    }

    #[test]
    fn text_is_extracted_without_markup_and_styles() {
        let t = html_text("<style>p{color:red}</style><p>Bel &amp; mail</p>");
        assert!(t.contains("Bel & mail"));
        assert!(!t.contains("color"));
    }
}
