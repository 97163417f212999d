//! Internal reports: which audience a report folder is for, and whether an internal one says
//! so everywhere.
//!
//! The research department's internal analysis may show small counts and case numbers, so
//! the reader's attack on small counts does not apply to it; personal data is still not
//! allowed, and every part of it must carry the marking INTERN, so that no page, sheet or
//! file of it can pass for a public one. A folder is internal when its figure list
//! `tabellen.json` says so: an object with a `markering` field that holds "INTERN"
//! (a public figure list is a plain list of tables).
//!
//! What "everywhere" means, per file type (the audit's own readers):
//! - PDF: every page's text;
//! - XLSX: a cell on every sheet;
//! - Markdown: the first and the last line with text;
//! - HTML: at least twice in the text (the bar on top and the footer that prints on every
//!   page);
//! - JSON: a top-level `markering` field.
//!
//! ```
//! use rodedraad::protect::audit::marking::audience_of_figure_list;
//! use rodedraad::protect::tables::Audience;
//! let internal = r#"{"markering": "INTERN – niet voor publicatie", "tabellen": []}"#;
//! assert_eq!(audience_of_figure_list(internal), Audience::Internal);
//! assert_eq!(audience_of_figure_list("[]"), Audience::Parliament);
//! ```

use super::readers::Segment;
use crate::protect::tables::Audience;
use std::collections::BTreeMap;

/// The word every part of an internal report carries.
pub const MARK: &str = "INTERN";

/// The audience a figure list declares. Anything that is not an object with a `markering`
/// holding [`MARK`] is the public one (the Kamer report): when in doubt, every check applies.
pub fn audience_of_figure_list(src: &str) -> Audience {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(src) else {
        return Audience::Parliament;
    };
    match v.get("markering").and_then(|m| m.as_str()) {
        Some(m) if m.contains(MARK) => Audience::Internal,
        _ => Audience::Parliament,
    }
}

/// Where an internal report's file lacks the marking: one message per place, empty when
/// the file is marked as it should be. `ext` is lowercase without the dot; `bytes` are
/// the file's own bytes (for JSON), `segments` what the audit's reader made of them.
pub fn missing_marks(ext: &str, bytes: &[u8], segments: &[Segment]) -> Vec<(String, String)> {
    let marked = |t: &str| t.contains(MARK);
    match ext {
        "pdf" => pdf_pages(segments)
            .into_iter()
            .filter(|(_, text)| !marked(text))
            .map(|(page, _)| (page, "deze pagina draagt de markering INTERN niet".into()))
            .collect(),
        "xlsx" => unmarked_sheets(segments)
            .into_iter()
            .map(|sheet| {
                (
                    format!("blad {sheet}"),
                    "dit blad draagt de markering INTERN niet".into(),
                )
            })
            .collect(),
        "md" | "txt" => {
            let lines: Vec<&Segment> = segments
                .iter()
                .filter(|s| !s.text.trim().is_empty())
                .collect();
            let mut out = Vec::new();
            if !lines.first().is_some_and(|s| marked(&s.text)) {
                out.push((
                    "begin".into(),
                    "de eerste regel draagt de markering INTERN niet".into(),
                ));
            }
            if !lines.last().is_some_and(|s| marked(&s.text)) {
                out.push((
                    "einde".into(),
                    "de laatste regel draagt de markering INTERN niet".into(),
                ));
            }
            out
        }
        "html" | "htm" => {
            let body = html_body_segments(bytes);
            let mut out = Vec::new();
            if !body.first().is_some_and(|t| marked(t)) {
                out.push((
                    "begin".into(),
                    "de tekst begint niet met de markering INTERN".into(),
                ));
            }
            if !body.last().is_some_and(|t| marked(t)) {
                out.push(("einde".into(), "de tekst eindigt niet met de markering INTERN (de voet die op elke afgedrukte pagina staat)".into()));
            }
            out
        }
        "json" => {
            let v: Option<serde_json::Value> = serde_json::from_slice(bytes).ok();
            let top = v
                .as_ref()
                .and_then(|v| v.get("markering"))
                .and_then(|m| m.as_str());
            if top.is_some_and(marked) {
                Vec::new()
            } else {
                vec![(
                    "markering".into(),
                    "het bestand heeft geen veld 'markering' met INTERN".into(),
                )]
            }
        }
        _ => Vec::new(),
    }
}

/// The visible text blocks of an HTML file's body, in order (the title in the head is not
/// on the page).
fn html_body_segments(bytes: &[u8]) -> Vec<String> {
    let src = super::normalise::decode_bytes(bytes).unwrap_or_default();
    let from = src.to_lowercase().find("<body").unwrap_or(0);
    super::readers::markup::segments(&src[from..])
        .into_iter()
        .filter(|s| s.visible && !s.text.trim().is_empty())
        .map(|s| s.text)
        .collect()
}

/// The text of each PDF page ("pagina N"), its own segments joined.
fn pdf_pages(segments: &[Segment]) -> BTreeMap<String, String> {
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    for s in segments {
        if s.place.starts_with("pagina ") && !s.place.contains(',') {
            let text = pages.entry(s.place.clone()).or_default();
            text.push_str(&s.text);
            text.push('\n');
        }
    }
    pages
}

/// The sheets of a workbook without a cell that carries the marking.
fn unmarked_sheets(segments: &[Segment]) -> Vec<String> {
    segments
        .iter()
        .filter(|s| s.place.starts_with("bladnaam"))
        .map(|s| s.text.clone())
        .filter(|sheet| {
            let prefix = format!("blad {sheet}, cel");
            !segments
                .iter()
                .any(|s| s.place.starts_with(&prefix) && s.text.contains(MARK))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(place: &str, text: &str) -> Segment {
        Segment::visible(place, text)
    }

    #[test]
    fn only_a_marked_object_is_internal() {
        assert_eq!(audience_of_figure_list("[]"), Audience::Parliament);
        assert_eq!(audience_of_figure_list("{"), Audience::Parliament);
        assert_eq!(
            audience_of_figure_list(r#"{"markering": "openbaar", "tabellen": []}"#),
            Audience::Parliament
        );
        assert_eq!(
            audience_of_figure_list(r#"{"tabellen": [], "x": "INTERN"}"#),
            Audience::Parliament
        );
        assert_eq!(
            audience_of_figure_list(r#"{"markering": "INTERN", "tabellen": []}"#),
            Audience::Internal
        );
    }

    #[test]
    fn a_pdf_page_without_the_mark_is_named() {
        let segs = vec![
            seg("pagina 1", "INTERN kop"),
            seg("pagina 1", "tekst"),
            seg("pagina 2", "tekst zonder"),
            seg("pagina 2, annotatie", "INTERN"),
            seg("pagina 3", "voet INTERN"),
        ];
        let m = missing_marks("pdf", b"", &segs);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].0, "pagina 2");
    }

    #[test]
    fn an_xlsx_sheet_without_the_mark_is_named() {
        let segs = vec![
            seg("bladnaam 1", "Tabellen"),
            seg("bladnaam 2", "Signalen"),
            seg("blad Tabellen, cel A1", "INTERN – niet voor publicatie"),
            seg("blad Signalen, cel A1", "Signaal"),
        ];
        let m = missing_marks("xlsx", b"", &segs);
        assert_eq!(
            m,
            vec![(
                "blad Signalen".to_string(),
                "dit blad draagt de markering INTERN niet".to_string()
            )]
        );
    }

    #[test]
    fn markdown_needs_the_mark_at_top_and_bottom() {
        let top_only = vec![
            seg("regel 1", "> INTERN"),
            seg("regel 3", "Tekst"),
            seg("regel 5", " "),
        ];
        let m = missing_marks("md", b"", &top_only);
        assert_eq!(
            m.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            vec!["einde"]
        );
        let both = vec![
            seg("regel 1", "> INTERN"),
            seg("regel 3", "Tekst"),
            seg("regel 5", "INTERN"),
        ];
        assert!(missing_marks("md", b"", &both).is_empty());
    }

    #[test]
    fn html_needs_the_mark_at_top_and_bottom_of_the_body_and_json_a_field() {
        let page = |body: &str| {
            format!("<html><head><title>R (INTERN)</title></head><body>{body}</body></html>")
        };
        let both = page(
            "<div>INTERN – niet voor publicatie</div><p>Tekst</p><div class=\"voet\">INTERN</div>",
        );
        assert!(missing_marks("html", both.as_bytes(), &[]).is_empty());
        // the title is not on the page; a comment is not text
        let top_only = page("<div>INTERN</div><p>Tekst</p><!-- INTERN -->");
        let m = missing_marks("html", top_only.as_bytes(), &[]);
        assert_eq!(
            m.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            vec!["einde"]
        );
        let none = page("<p>Tekst</p>");
        assert_eq!(missing_marks("html", none.as_bytes(), &[]).len(), 2);
        assert!(missing_marks("json", br#"{"markering": "INTERN", "x": 1}"#, &[]).is_empty());
        assert_eq!(missing_marks("json", br#"{"x": "INTERN"}"#, &[]).len(), 1);
        assert_eq!(missing_marks("json", b"[\"INTERN\"]", &[]).len(), 1);
    }
}
