//! XLSX reader: opens the zip itself and reads every part.
//!
//! - sheet names and defined names from `xl/workbook.xml`;
//! - every cell (shared strings, inline strings, numbers, formulas) as "blad X, cel B3";
//! - `docProps/core.xml`, `docProps/app.xml`, `docProps/custom.xml` field by field;
//! - every other XML part (comments, drawings, headers, styles, ...) as raw strings;
//! - a part that is not XML (an image, a macro) is an error: the audit cannot read it.
//!
//! ```no_run
//! let bytes = std::fs::read("rapport.xlsx").unwrap();
//! let segs = rodedraad::protect::audit::readers::xlsx::read(&bytes).unwrap();
//! assert!(segs.iter().any(|s| s.place.starts_with("bladnaam")));
//! ```

use super::markup::{events, xml_strings, Event};
use super::Segment;
use std::collections::BTreeMap;
use std::io::Read;

/// Reads a workbook. `Err` when it is no zip or a part cannot be checked.
pub fn read(bytes: &[u8]) -> Result<Vec<Segment>, String> {
    let parts = unzip(bytes)?;
    let mut out = Vec::new();
    let shared = parts
        .get("xl/sharedStrings.xml")
        .map(|s| shared_strings(s))
        .unwrap_or_default();
    let sheets = sheet_files(&parts);
    let mut done: Vec<&str> = vec!["xl/sharedStrings.xml"];
    for (name, file) in &sheets {
        out.push(Segment::visible("bladnaam", name.clone()));
        if let Some(xml) = parts.get(file) {
            out.extend(cells(xml, name, &shared));
            done.push(file);
        }
    }
    for (i, s) in shared.iter().enumerate() {
        out.push(Segment::hidden(
            format!("gedeelde tekst nr. {}", i + 1),
            s.clone(),
        ));
    }
    for (part, xml) in &parts {
        if done.contains(&part.as_str()) {
            continue;
        }
        let plek = match part.as_str() {
            "docProps/core.xml" => "documenteigenschappen (core)".to_string(),
            "docProps/app.xml" => "documenteigenschappen (app)".to_string(),
            "docProps/custom.xml" => "documenteigenschappen (custom)".to_string(),
            "xl/workbook.xml" => "werkmap".to_string(),
            other => format!("onderdeel {other}"),
        };
        out.extend(xml_strings(xml, &plek));
    }
    Ok(out)
}

/// Every part as text; an error for a part that is not UTF-8 XML.
fn unzip(bytes: &[u8]) -> Result<BTreeMap<String, String>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("geen geldig XLSX-bestand (zip): {e}"))?;
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip
            .by_index(i)
            .map_err(|e| format!("onderdeel {i} niet te lezen: {e}"))?;
        if f.is_dir() {
            continue;
        }
        let name = f
            .name()
            .map_err(|e| format!("naam van onderdeel {i} niet te lezen: {e}"))?
            .to_string();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf)
            .map_err(|e| format!("onderdeel {name} niet uit te pakken: {e}"))?;
        let text = String::from_utf8(buf).map_err(|_| {
            format!("onderdeel {name} is geen tekst (afbeelding of binair) en niet te controleren")
        })?;
        let trimmed = text.trim_start_matches('\u{FEFF}').trim_start();
        if !trimmed.is_empty() && !trimmed.starts_with('<') {
            return Err(format!(
                "onderdeel {name} is geen XML en niet te controleren"
            ));
        }
        parts.insert(name, text);
    }
    Ok(parts)
}

/// The text of every `<si>` item (rich-text runs joined).
fn shared_strings(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut in_t = false;
    let mut in_phonetic = false;
    for (_, ev) in events(xml) {
        match ev {
            Event::Tag {
                name,
                closing,
                empty,
                ..
            } => match (local(&name), closing) {
                ("si", false) if !empty => current = Some(String::new()),
                ("si", true) => out.extend(current.take()),
                ("rph", c) => in_phonetic = !c,
                ("t", c) => in_t = !c && !empty,
                _ => {}
            },
            Event::Text(t) if in_t && !in_phonetic => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| local(k) == name)
        .map(|(_, v)| v.as_str())
}

/// (sheet name, part path) in workbook order.
fn sheet_files(parts: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let mut rels = BTreeMap::new();
    if let Some(xml) = parts.get("xl/_rels/workbook.xml.rels") {
        for (_, ev) in events(xml) {
            if let Event::Tag { name, attrs, .. } = ev {
                if local(&name) == "relationship" {
                    if let (Some(id), Some(t)) = (attr(&attrs, "id"), attr(&attrs, "target")) {
                        let path = t.trim_start_matches('/');
                        let path = if path.starts_with("xl/") {
                            path.to_string()
                        } else {
                            format!("xl/{path}")
                        };
                        rels.insert(id.to_string(), path);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Some(xml) = parts.get("xl/workbook.xml") {
        for (_, ev) in events(xml) {
            if let Event::Tag {
                name,
                attrs,
                closing: false,
                ..
            } = ev
            {
                if local(&name) == "sheet" {
                    let n = attr(&attrs, "name").unwrap_or("").to_string();
                    let file = attr(&attrs, "id")
                        .and_then(|id| rels.get(id).cloned())
                        .unwrap_or_default();
                    out.push((n, file));
                }
            }
        }
    }
    out
}

/// Every cell of one worksheet (as "blad X, cel B3"), then any other text in the part.
fn cells(xml: &str, sheet: &str, shared: &[String]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut cell: Option<(String, String)> = None; // (reference, type)
    let mut value = String::new();
    let mut inline = String::new();
    let mut in_v = false;
    let mut in_t = false;
    let mut in_f = false;
    let mut formula = String::new();
    let mut other: Vec<(usize, String)> = Vec::new();
    for (line, ev) in events(xml) {
        match ev {
            Event::Tag {
                name,
                attrs,
                closing,
                empty,
            } => match (local(&name), closing) {
                ("c", false) => {
                    cell = Some((
                        attr(&attrs, "r").unwrap_or("?").to_string(),
                        attr(&attrs, "t").unwrap_or("n").to_string(),
                    ));
                    value.clear();
                    inline.clear();
                    formula.clear();
                    if empty {
                        cell = None;
                    }
                }
                ("c", true) => {
                    if let Some((r, t)) = cell.take() {
                        let plek = format!("blad {sheet}, cel {r}");
                        let text = match t.as_str() {
                            "s" => value
                                .trim()
                                .parse::<usize>()
                                .ok()
                                .and_then(|i| shared.get(i).cloned())
                                .unwrap_or_else(|| value.clone()),
                            "inlineStr" => inline.clone(),
                            _ => value.clone(),
                        };
                        if !text.trim().is_empty() {
                            out.push(Segment::visible(plek.clone(), text));
                        }
                        if !formula.trim().is_empty() {
                            out.push(Segment::hidden(format!("{plek}, formule"), formula.clone()));
                        }
                    }
                }
                ("v", c) => in_v = !c && !empty,
                ("t", c) => in_t = !c && !empty,
                ("f", c) => in_f = !c && !empty,
                (_, false) => {
                    for (a, v) in attrs {
                        if !a.starts_with("xmlns")
                            && matches!(
                                local(&a),
                                "name" | "display" | "tooltip" | "location" | "text"
                            )
                        {
                            other.push((line, v));
                        }
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if in_v {
                    value.push_str(&t);
                } else if in_t && cell.is_some() {
                    inline.push_str(&t);
                } else if in_f {
                    formula.push_str(&t);
                } else if !t.trim().is_empty() {
                    other.push((line, t));
                }
            }
            Event::Comment(c) => other.push((line, c)),
            Event::Declaration(_) => {}
        }
    }
    for (line, t) in other {
        out.push(Segment::hidden(format!("blad {sheet}, regel {line}"), t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_join_runs() {
        let s = shared_strings(
            "<sst><si><t>a</t></si><si><r><t>12345</t></r><r><t>6782</t></r></si></sst>",
        );
        assert_eq!(s, vec!["a".to_string(), "123456782".to_string()]);
    }

    #[test]
    fn cells_resolve_shared_inline_and_numbers() {
        let shared = vec!["x".to_string()];
        let c = cells(
            r#"<sheetData><row><c r="A1" t="s"><v>0</v></c><c r="B1"><v>123456782</v></c><c r="C1" t="inlineStr"><is><t>y</t></is></c></row></sheetData><headerFooter><oddHeader>kop</oddHeader></headerFooter>"#,
            "Blad1",
            &shared,
        );
        let t: Vec<(&str, &str)> = c
            .iter()
            .map(|s| (s.place.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            t,
            vec![
                ("blad Blad1, cel A1", "x"),
                ("blad Blad1, cel B1", "123456782"),
                ("blad Blad1, cel C1", "y"),
                ("blad Blad1, regel 1", "kop")
            ]
        );
    }

    #[test]
    fn not_a_zip_is_an_error() {
        assert!(read(b"not a zip").is_err());
    }
}
