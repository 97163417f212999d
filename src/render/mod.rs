//! Render: the Kamerrapportage and the internal quarterly analysis.
//!
//! One [`Report`](crate::protect::publication::Report), already protected, feeds every format through the [`Renderer`] trait:
//! HTML (one self-contained file), Markdown, PDF (typst, fonts embedded) and
//! XLSX (every table on its own sheet). Templates live in `templates/` and are
//! embedded in the binary; `[rapport] sjablonen = "map"` in the config points
//! at a copied folder to override them, as zola and mdBook allow.
//!
//! ```no_run
//! use rodedraad::render::{Templates, renderer_for, Format};
//! let t = Templates::load(None).unwrap();
//! # let report: rodedraad::protect::publication::Report = unimplemented!();
//! let files = renderer_for(Format::Markdown).render(&report, &t).unwrap();
//! assert_eq!(files[0].0, "rapport.md");
//! ```

pub mod charts;
pub mod pdf;

use crate::error::{Error, Result};
use crate::output::xlsx;
use crate::protect::publication::Report;
use std::path::Path;

/// An output format of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Html,
    Pdf,
    Markdown,
    Xlsx,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Format, String> {
        match s.trim().to_lowercase().as_str() {
            "html" => Ok(Format::Html),
            "pdf" => Ok(Format::Pdf),
            "md" | "markdown" => Ok(Format::Markdown),
            "xlsx" | "excel" => Ok(Format::Xlsx),
            o => Err(format!(
                "onbekend formaat \"{o}\"; kies uit html, pdf, md, xlsx"
            )),
        }
    }
}

/// Turns the report model into files (name, bytes).
pub trait Renderer {
    fn render(&self, report: &Report, templates: &Templates) -> Result<Vec<(String, Vec<u8>)>>;
}

/// The template set: embedded defaults, optionally replaced file by file from a folder.
pub struct Templates {
    tera: tera::Tera,
}

/// The embedded default templates: (name, source).
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("rapport.html", include_str!("../../templates/rapport.html")),
    ("rapport.md", include_str!("../../templates/rapport.md")),
    ("rapport.typ", include_str!("../../templates/rapport.typ")),
];

/// Escapes text for a typst string literal.
pub fn typst_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes text for a Markdown table cell or paragraph.
pub fn md_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('*', "\\*")
        .replace('_', "\\_")
}

impl Templates {
    /// Loads the defaults, replacing each template that exists in `dir`.
    pub fn load(dir: Option<&Path>) -> Result<Templates> {
        let mut tera = tera::Tera::new();
        tera.register_filter("typst", |s: &str, _: tera::Kwargs, _: &tera::State| {
            typst_string(s)
        });
        tera.register_filter("md", |s: &str, _: tera::Kwargs, _: &tera::State| {
            md_escape(s)
        });
        for (name, src) in DEFAULT_TEMPLATES {
            let (source, origin) = match dir.map(|d| d.join(name)).filter(|p| p.exists()) {
                Some(p) => (
                    std::fs::read_to_string(&p).map_err(|e| Error::Template {
                        template: p.display().to_string(),
                        message: format!("onleesbaar ({e})"),
                    })?,
                    p.display().to_string(),
                ),
                None => (src.to_string(), format!("templates/{name}")),
            };
            tera.add_raw_template(name, &source)
                .map_err(|e| template_error(&origin, &e))?;
        }
        Ok(Templates { tera })
    }

    /// Renders one template with the report as context.
    pub fn render(&self, name: &str, report: &Report) -> Result<String> {
        let mut value = serde_json::to_value(report).map_err(Error::internal)?;
        if let Some(charts) = value.get_mut("grafieken").and_then(|v| v.as_array_mut()) {
            for (json, chart) in charts.iter_mut().zip(&report.grafieken) {
                json["svg"] = serde_json::Value::String(charts::draw(chart));
            }
        }
        let ctx = tera::Context::from_serialize(&value).map_err(|e| template_error(name, &e))?;
        self.tera
            .render(name, &ctx)
            .map_err(|e| template_error(name, &e))
    }
}

/// A Dutch error that names the template and, where tera knows it, the line.
fn template_error(name: &str, e: &tera::Error) -> Error {
    let full = format!("{e}");
    let line = full
        .lines()
        .find_map(|l| {
            l.split_once(".html:")
                .or(l.split_once(".md:"))
                .or(l.split_once(".typ:"))
                .map(|(_, r)| r.split(':').next().unwrap_or("").to_string())
        })
        .filter(|n| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty());
    let melding = match line {
        Some(n) => format!(
            "fout op regel {n}: {}",
            full.lines().next().unwrap_or("").trim()
        ),
        None => format!("fout: {}", full.replace('\n', " ").trim()),
    };
    Error::Template {
        template: name.to_string(),
        message: melding,
    }
}

/// The renderer of a format.
pub fn renderer_for(f: Format) -> Box<dyn Renderer> {
    match f {
        Format::Html => Box::new(TemplateRenderer {
            template: "rapport.html",
            file: "rapport.html",
        }),
        Format::Markdown => Box::new(TemplateRenderer {
            template: "rapport.md",
            file: "rapport.md",
        }),
        Format::Pdf => Box::new(pdf::PdfRenderer),
        Format::Xlsx => Box::new(XlsxRenderer),
    }
}

/// Renders one text template into one file.
pub struct TemplateRenderer {
    pub template: &'static str,
    pub file: &'static str,
}

impl Renderer for TemplateRenderer {
    fn render(&self, report: &Report, templates: &Templates) -> Result<Vec<(String, Vec<u8>)>> {
        Ok(vec![(
            self.file.to_string(),
            templates.render(self.template, report)?.into_bytes(),
        )])
    }
}

/// Every table of the report on its own sheet.
pub struct XlsxRenderer;

impl Renderer for XlsxRenderer {
    fn render(&self, report: &Report, _: &Templates) -> Result<Vec<(String, Vec<u8>)>> {
        use xlsx::{Cell, Sheet};
        let mut tables: Vec<&crate::protect::tables::PubTable> = report.tabellen.iter().collect();
        tables.push(&report.draden_tabel);
        tables.extend(report.draden.iter().filter_map(|d| d.tabel.as_ref()));
        if !report.signalen_tabel.rijen.is_empty() {
            tables.push(&report.signalen_tabel);
        }
        if let Some(t) = &report.open_casussen {
            tables.push(t);
        }
        let mut sheets: Vec<Sheet> = tables
            .iter()
            .map(|t| {
                let rows = t
                    .rijen
                    .iter()
                    .map(|r| {
                        let mut row = vec![Cell::text(r.kop.clone())];
                        row.extend(r.cellen.iter().map(|c| match (c.soort, c.waarde) {
                            (crate::protect::tables::CellKind::Count, Some(v)) if !c.onderdrukt => {
                                Cell::Number(v)
                            }
                            _ => Cell::text(c.tekst.clone()),
                        }));
                        row
                    })
                    .collect();
                let mut s = Sheet::new(&t.titel, t.kolommen.clone(), rows);
                s.notes = t.voetnoten.clone();
                if report.intern {
                    s.notes.push("INTERN: niet voor publicatie.".into());
                }
                s
            })
            .collect();
        let h = crate::output::xlsx::header;
        // The signals one by one are a work list: only the internal report has them.
        if report.intern {
            sheets.push(Sheet::new(
                "Signalen",
                h(&[
                    "Signaal",
                    "Onderwerp",
                    "Ontvanger",
                    "Eigenaar",
                    "Status",
                    "Leeftijd",
                    "Reactie",
                ]),
                report
                    .signalen
                    .iter()
                    .map(|s| {
                        [
                            &s.id,
                            &s.onderwerp,
                            &s.ontvanger,
                            &s.eigenaar,
                            &s.status,
                            &s.leeftijd,
                            &s.reactie,
                        ]
                        .iter()
                        .map(|x| Cell::text(x.to_string()))
                        .collect()
                    })
                    .collect(),
            ));
        }
        sheets.push(Sheet::new(
            "Verantwoording",
            h(&[
                "Bron",
                "Bestand",
                "Gelezen",
                "Geaccepteerd",
                "In quarantaine",
                "SHA-256",
            ]),
            report
                .bronnen
                .iter()
                .map(|b| {
                    [
                        b.soort.plural(),
                        &b.bestand,
                        &b.gelezen,
                        &b.geaccepteerd,
                        &b.quarantaine,
                        &b.sha256,
                    ]
                    .iter()
                    .map(|x| Cell::text(x.to_string()))
                    .collect()
                })
                .collect(),
        ));
        if report.intern {
            // Every sheet of an internal workbook carries the marking, the extra sheets included.
            for s in sheets
                .iter_mut()
                .filter(|s| !s.notes.iter().any(|n| n.starts_with("INTERN")))
            {
                s.notes.push("INTERN: niet voor publicatie.".into());
            }
        }
        let date = chrono::NaiveDate::parse_from_str(&report.peildatum_iso, "%Y-%m-%d")
            .unwrap_or_default();
        Ok(vec![(
            "rapport.xlsx".into(),
            xlsx::workbook_bytes(&sheets, date)?,
        )])
    }
}
