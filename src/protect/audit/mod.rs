//! `rodedraad audit`: an independent second line of defence over a finished output folder.
//!
//! The audit trusts nothing about how the output was made and shares no detector with the
//! scrubber. It reads every file back with its own readers ([`readers`]), normalises the text
//! as a reader would see it ([`normalise`]), looks for personal data with a broader class
//! of detectors ([`detect`]) and runs the reader's attack on small counts ([`counts`]) on the
//! figure list `tabellen.json` (each table) and on every text a reader sees (HTML, SVG and
//! Markdown text, XLSX cells, PDF page text). Beside each figure list it runs the reader's
//! whole link model ([`reader`]): the tables, the report's definitions and the thread texts
//! of the Markdown (or HTML) report as one system, attacked over the reals and the integers.
//!
//! It fails closed: a file of an unknown type, a file that cannot be read or decoded, a PDF
//! whose text cannot be extracted reliably, or a report without its figure list is a
//! finding. Findings name file, place and kind, never the value.
//!
//! ```no_run
//! let r = rodedraad::protect::audit::audit_dir(std::path::Path::new("reports/demo/kamer"), 5, 10).unwrap();
//! for f in &r.bevindingen {
//!     println!("{}: {} ({}): {}", f.bestand, f.soort, f.plek, f.melding);
//! }
//! assert!(r.bevindingen.is_empty());
//! ```

pub mod counts;
pub mod detect;
pub mod marking;
pub mod normalise;
pub mod reader;
pub mod readers;

use crate::error::{Error, Result};
use crate::protect::tables::Audience;
use readers::Segment;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One finding: file, kind, place, message. Never the value found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub bestand: String,
    pub soort: FindingKind,
    pub plek: String,
    pub melding: String,
}

/// The kinds of finding; written (and printed) as their Dutch label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FindingKind {
    /// A report without its figure list `tabellen.json`.
    #[serde(rename = "cijferlijst ontbreekt")]
    MissingFigureList,
    /// A file that cannot be read, decoded or fully extracted.
    #[serde(rename = "niet te controleren")]
    Unreadable,
    /// Something that looks like personal data.
    #[serde(rename = "persoonsgegevens")]
    PersonalData,
    /// A hidden cell whose value or denominator is still in the figure list.
    #[serde(rename = "verborgen waarde in bestand")]
    HiddenValueInFile,
    /// A shown count in 1..min_cel-1.
    #[serde(rename = "klein aantal")]
    SmallCount,
    /// A percentage or statistic on a denominator below min_noemer or without one.
    #[serde(rename = "kleine noemer")]
    SmallDenominator,
    /// Percentage times denominator gives a small count or complement.
    #[serde(rename = "af te leiden uit percentage")]
    FromPercentage,
    /// A confidence interval beside its denominator pins a small count.
    #[serde(rename = "af te leiden uit interval")]
    FromInterval,
    /// A hidden cell recomputable from the shown cells and the totals.
    #[serde(rename = "terug te rekenen")]
    Recomputable,
    /// A hidden cell bounded by the totals to a range narrower than min_cel.
    #[serde(rename = "te nauw begrensd")]
    TooNarrow,
    /// A small count readable from running text.
    #[serde(rename = "klein aantal in tekst")]
    SmallCountInText,
    /// A statistic made of counts (a mean over quarters) printed beside hidden ones.
    #[serde(rename = "kengetal naast verborgen aantallen")]
    StatisticBesideHidden,
    /// A page, sheet or file of an internal report without the marking INTERN.
    #[serde(rename = "markering INTERN ontbreekt")]
    MissingMarking,
}

impl FindingKind {
    /// Every kind, in the order above.
    pub const ALL: [FindingKind; 13] = [
        FindingKind::MissingFigureList,
        FindingKind::Unreadable,
        FindingKind::PersonalData,
        FindingKind::HiddenValueInFile,
        FindingKind::SmallCount,
        FindingKind::SmallDenominator,
        FindingKind::FromPercentage,
        FindingKind::FromInterval,
        FindingKind::Recomputable,
        FindingKind::TooNarrow,
        FindingKind::SmallCountInText,
        FindingKind::StatisticBesideHidden,
        FindingKind::MissingMarking,
    ];

    /// The Dutch label, the same as the serialized value.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::MissingFigureList => "cijferlijst ontbreekt",
            FindingKind::Unreadable => "niet te controleren",
            FindingKind::PersonalData => "persoonsgegevens",
            FindingKind::HiddenValueInFile => "verborgen waarde in bestand",
            FindingKind::SmallCount => "klein aantal",
            FindingKind::SmallDenominator => "kleine noemer",
            FindingKind::FromPercentage => "af te leiden uit percentage",
            FindingKind::FromInterval => "af te leiden uit interval",
            FindingKind::Recomputable => "terug te rekenen",
            FindingKind::TooNarrow => "te nauw begrensd",
            FindingKind::SmallCountInText => "klein aantal in tekst",
            FindingKind::StatisticBesideHidden => "kengetal naast verborgen aantallen",
            FindingKind::MissingMarking => "markering INTERN ontbreekt",
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The audit result. Any finding means the folder must not be published.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    /// Who the folder is for: `kamer`, or `intern` when its figure list says INTERN (an
    /// internal report is not checked for small counts, but must carry the marking everywhere).
    pub publiek: Audience,
    /// Files read completely.
    pub gecontroleerd: Vec<String>,
    /// Files that could not be read; each also has a finding.
    pub niet_gecontroleerd: Vec<String>,
    pub bevindingen: Vec<Finding>,
}

impl AuditReport {
    /// True when the folder may be published.
    pub fn passed(&self) -> bool {
        self.bevindingen.is_empty() && self.niet_gecontroleerd.is_empty()
    }
}

/// The figure list every report carries.
pub const FIGURE_LIST: &str = "tabellen.json";

/// Files below `dir`, sorted; directories that cannot be listed are returned as errors.
fn files(dir: &Path) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd = match std::fs::read_dir(&d) {
            Ok(rd) => rd,
            Err(e) => {
                errors.push((d, e.to_string()));
                continue;
            }
        };
        for e in rd {
            match e {
                Ok(e) => {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else {
                        out.push(p);
                    }
                }
                Err(e) => errors.push((d.clone(), e.to_string())),
            }
        }
    }
    out.sort();
    (out, errors)
}

fn extension(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase()
}

/// Audits every file in `dir` (recursively) against `min_cel` and `min_noemer`.
pub fn audit_dir(dir: &Path, min_cel: u64, min_noemer: u64) -> Result<AuditReport> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} is geen map; geef de uitvoermap van een rapport op",
            dir.display()
        )));
    }
    let (paths, errors) = files(dir);
    let audience = audience_of(dir);
    let mut rep = AuditReport {
        publiek: audience,
        gecontroleerd: Vec::new(),
        niet_gecontroleerd: Vec::new(),
        bevindingen: Vec::new(),
    };
    for (d, e) in errors {
        let name = d.strip_prefix(dir).unwrap_or(&d).display().to_string();
        unreadable(&mut rep, &name, &format!("map niet te lezen: {e}"));
    }
    let mut report_files = 0;
    for p in &paths {
        let name = p.strip_prefix(dir).unwrap_or(p).display().to_string();
        let ext = extension(p);
        if matches!(ext.as_str(), "html" | "htm" | "md" | "pdf" | "xlsx") {
            report_files += 1;
        }
        audit_file(&mut rep, p, &name, &ext, audience, min_cel, min_noemer);
    }
    let has_list = paths
        .iter()
        .any(|p| p.file_name().is_some_and(|n| n == FIGURE_LIST));
    if report_files > 0 && !has_list {
        rep.bevindingen.push(Finding {
            bestand: FIGURE_LIST.into(),
            soort: FindingKind::MissingFigureList,
            plek: "map".into(),
            melding:
                "het rapport heeft geen tabellen.json; de kleine aantallen zijn niet na te rekenen"
                    .into(),
        });
    }
    Ok(rep)
}

/// The audience the folder's own figure list declares; public when there is none or it
/// cannot be read (then every check applies).
fn audience_of(dir: &Path) -> Audience {
    std::fs::read(dir.join(FIGURE_LIST))
        .ok()
        .and_then(|b| normalise::decode_bytes(&b).ok())
        .map(|src| marking::audience_of_figure_list(&src))
        .unwrap_or(Audience::Parliament)
}

fn unreadable(rep: &mut AuditReport, name: &str, why: &str) {
    rep.niet_gecontroleerd.push(format!("{name} ({why})"));
    rep.bevindingen.push(Finding {
        bestand: name.into(),
        soort: FindingKind::Unreadable,
        plek: "bestand".into(),
        melding: why.into(),
    });
}

fn audit_file(
    rep: &mut AuditReport,
    p: &Path,
    name: &str,
    ext: &str,
    audience: Audience,
    min_cel: u64,
    min_noemer: u64,
) {
    if !readers::KNOWN.contains(&ext) {
        let what = if ext.is_empty() {
            "bestand zonder extensie".to_string()
        } else {
            format!("onbekend bestandstype '.{ext}'")
        };
        unreadable(
            rep,
            name,
            &format!("{what}; de controle kan het niet lezen"),
        );
        return;
    }
    let bytes = match std::fs::read(p) {
        Ok(b) => b,
        Err(e) => return unreadable(rep, name, &format!("niet te lezen: {e}")),
    };
    let segments = match readers::read(ext, &bytes) {
        Ok(s) => s,
        Err(why) => return unreadable(rep, name, &why),
    };
    if audience == Audience::Internal {
        // Small counts are allowed inside; the marking must be everywhere.
        for (plek, melding) in marking::missing_marks(ext, &bytes, &segments) {
            rep.bevindingen.push(Finding {
                bestand: name.into(),
                soort: FindingKind::MissingMarking,
                plek,
                melding,
            });
        }
        for seg in &segments {
            scan_segment(rep, seg, name, None);
        }
        rep.gecontroleerd.push(name.to_string());
        return;
    }
    if p.file_name().is_some_and(|n| n == FIGURE_LIST) {
        figure_list(rep, p, &bytes, name, min_cel, min_noemer);
    }
    if matches!(ext, "html" | "htm") {
        let src = normalise::decode_bytes(&bytes).unwrap_or_default();
        for t in counts::html_tables(&src) {
            push_counts(rep, name, counts::check_table(&t, min_cel, min_noemer));
        }
    }
    for seg in &segments {
        scan_segment(rep, seg, name, Some(min_cel));
    }
    rep.gecontroleerd.push(name.to_string());
}

/// The figure list `name` at `path`: each table on its own, then the reader's whole
/// model of the report folder it is in (a cell already found in its own table is not
/// found twice).
fn figure_list(
    rep: &mut AuditReport,
    path: &Path,
    bytes: &[u8],
    name: &str,
    min_cel: u64,
    min_noemer: u64,
) {
    let text = String::from_utf8_lossy(bytes);
    match counts::parse_tables(&text) {
        Ok(tables) => {
            for t in &tables {
                push_counts(rep, name, counts::check_table(t, min_cel, min_noemer));
            }
            let dir = path.parent().unwrap_or(Path::new("."));
            for f in reader::audit_report(dir, name, &tables, min_cel) {
                if !rep
                    .bevindingen
                    .iter()
                    .any(|g| g.bestand == f.bestand && g.plek == f.plek)
                {
                    rep.bevindingen.push(f);
                }
            }
        }
        Err(why) => rep.bevindingen.push(Finding {
            bestand: name.into(),
            soort: FindingKind::Unreadable,
            plek: "bestand".into(),
            melding: why,
        }),
    }
}

fn push_counts(rep: &mut AuditReport, name: &str, found: Vec<counts::CountFinding>) {
    for f in found {
        rep.bevindingen.push(Finding {
            bestand: name.into(),
            soort: f.kind,
            plek: f.place,
            melding: f.message,
        });
    }
}

/// Place of a byte offset: the segment's place, with the line inside it when it has several.
fn place(seg: &Segment, text: &str, at: usize) -> String {
    if !text.contains('\n') {
        return seg.place.clone();
    }
    let line = text[..at].matches('\n').count() + 1;
    format!("{}, regel {line}", seg.place)
}

/// Personal data in every segment; small counts (when `min_cel` is given: a public report)
/// in the segments a reader sees as text (HTML, SVG and Markdown text, XLSX cells and sheet
/// names, PDF page text).
fn scan_segment(rep: &mut AuditReport, seg: &Segment, name: &str, min_cel: Option<u64>) {
    let text = normalise::normalise(&seg.text);
    for hit in detect::scan(&text) {
        let f = Finding {
            bestand: name.into(),
            soort: FindingKind::PersonalData,
            plek: place(seg, &text, hit.start),
            melding: format!("mogelijk {}", hit.kind.label()),
        };
        if !rep.bevindingen.contains(&f) {
            rep.bevindingen.push(f);
        }
    }
    let Some(min_cel) = min_cel else { return };
    if seg.visible {
        for f in counts::text_findings(&text, min_cel) {
            rep.bevindingen.push(Finding {
                bestand: name.into(),
                soort: f.kind,
                plek: seg.place.clone(),
                melding: f.message,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_kind_is_written_as_its_label_and_labels_differ() {
        let mut seen = std::collections::BTreeSet::new();
        for k in FindingKind::ALL {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.label())
            );
            assert!(seen.insert(k.label()), "label twice: {}", k.label());
        }
    }

    fn dir_with(files: &[(&str, &[u8])]) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "rodedraad-audit-unit-{}-{}",
            std::process::id(),
            files.first().map(|f| f.0).unwrap_or("leeg")
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        for (n, b) in files {
            std::fs::write(d.join(n), b).unwrap();
        }
        d
    }

    #[test]
    fn unknown_and_broken_files_are_findings() {
        let d = dir_with(&[("a.bin", b"x"), ("b.json", b"{"), ("c.md", b"ok")]);
        let r = audit_dir(&d, 5, 10).unwrap();
        let kinds: Vec<(&str, &str)> = r
            .bevindingen
            .iter()
            .map(|f| (f.bestand.as_str(), f.soort.label()))
            .collect();
        assert!(
            kinds.contains(&("a.bin", "niet te controleren")),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&("b.json", "niet te controleren")),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&("tabellen.json", "cijferlijst ontbreekt")),
            "{kinds:?}"
        );
        assert!(!r.passed());
        let _ = std::fs::remove_dir_all(d);
    }

    #[test]
    fn findings_name_the_place_not_the_value() {
        let d = dir_with(&[
            ("r.md", "# Kop\n\nBel 06-12345678.\n".as_bytes()),
            ("tabellen.json", b"[]"),
        ]);
        let r = audit_dir(&d, 5, 10).unwrap();
        assert_eq!(r.bevindingen.len(), 1, "{:?}", r.bevindingen);
        let f = &r.bevindingen[0];
        assert_eq!(
            (f.plek.as_str(), f.soort.label()),
            ("regel 3", "persoonsgegevens")
        );
        assert!(!f.melding.contains("12345678"));
        let _ = std::fs::remove_dir_all(d);
    }
}
