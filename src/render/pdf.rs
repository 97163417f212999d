//! PDF through typst: the `rapport.typ` template is filled in by tera and
//! compiled in-process with the fonts embedded in the binary (no system fonts,
//! no network, no packages). Charts are passed in as SVG files.
//!
//! ```no_run
//! let pdf = rodedraad::render::pdf::compile_typst("= Titel\nTekst", &[]).unwrap();
//! assert!(pdf.starts_with(b"%PDF"));
//! ```

use super::{Renderer, Templates};
use crate::error::{Error, Result};
use crate::protect::publication::Report;
use typst_as_lib::typst_kit_options::TypstKitFontOptions;
use typst_as_lib::TypstEngine;

/// Renders `rapport.pdf`.
pub struct PdfRenderer;

impl Renderer for PdfRenderer {
    fn render(&self, report: &Report, templates: &Templates) -> Result<Vec<(String, Vec<u8>)>> {
        let source = templates.render("rapport.typ", report)?;
        let files: Vec<(String, Vec<u8>)> = report
            .grafieken
            .iter()
            .map(|g| (format!("{}.svg", g.id), super::charts::draw(g).into_bytes()))
            .collect();
        Ok(vec![(
            "rapport.pdf".into(),
            compile_typst(&source, &files)?,
        )])
    }
}

/// Compiles typst source (with extra binary files by name) to PDF bytes.
pub fn compile_typst(source: &str, files: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let binaries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let engine = TypstEngine::builder()
        .main_file(source.to_string())
        .with_static_file_resolver(binaries)
        .search_fonts_with(
            TypstKitFontOptions::default()
                .include_system_fonts(false)
                .include_embedded_fonts(true),
        )
        .build();
    let doc = engine.compile().output.map_err(|e| Error::Template {
        template: "rapport.typ".into(),
        message: format!("typst kon het document niet opmaken: {e}"),
    })?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| Error::Template {
        template: "rapport.typ".into(),
        message: format!("PDF maken mislukt: {e:?}"),
    })
}
