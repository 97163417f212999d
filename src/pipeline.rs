//! The pipeline: sources -> analysis -> publication -> published folder.
//!
//! This is the one entry point of the library. Every command and the demo run
//! through it; a command file only turns its arguments into these calls and
//! prints the result.
//!
//! 1. [`Sources::load`]: read, map, validate and quarantine the exports
//!    ([`crate::ingest`]); every row accounted for.
//! 2. [`analyse`]: indicators and rode draden ([`crate::analyse`]).
//! 3. [`report`]: the protection stage turns the analysis into released figures
//!    ([`crate::protect::publication`]), the renderers turn those into files
//!    ([`crate::render`]), and [`publish`] stages, audits (public reports) and
//!    only then moves them into place. A public report is protected together with the
//!    public report of the previous period ([`prior_for`]): a reader has both.
//!
//! ```no_run
//! use rodedraad::pipeline::{self, ReportOptions, Sources};
//! use rodedraad::{config::Config, protect::tables::Audience, render::Format};
//! let cfg = Config::default_config();
//! let sources = Sources::new("casussen.csv", Some("signalen.csv"));
//! let period = "2026-H1".parse().unwrap();
//! let an = pipeline::analyse(&sources, &period, None, &cfg, &|_| {}).unwrap();
//! // a public report agrees with the report of the previous period (made again here)
//! let prior = pipeline::prior_for(&sources, &period, &cfg, Audience::Parliament, None, &|_| {})
//!     .unwrap()
//!     .prior;
//! let opts = ReportOptions { prior, ..ReportOptions::new(Audience::Parliament, vec![Format::Html]) };
//! pipeline::report(&an, &cfg, None, &opts, "rapport".as_ref()).unwrap();
//! ```

pub mod bench;
mod demo;
pub mod signals;

pub use demo::{demo, sample_export_date, SAMPLE};

use crate::analyse::period::Period;
use crate::analyse::{self, Analysis};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::output::staging::Staging;
use crate::protect::audit;
use crate::protect::publication::prior::Prior;
use crate::protect::publication::{self, ProtectLog};
use crate::protect::tables::{Audience, PubTable};
use crate::register::{Ledger, LedgerSignal};
use crate::render::{renderer_for, Format, Templates};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The marking on every page, sheet and file of an internal report.
pub const INTERN_MARKING: &str = "INTERN – niet voor publicatie";

/// The exports one run reads.
#[derive(Debug, Clone)]
pub struct Sources {
    pub cases: PathBuf,
    pub signals: Option<PathBuf>,
    /// No date in the data may be later; `None`: today, or the reference date when later.
    pub export_date: Option<NaiveDate>,
}

impl Sources {
    pub fn new(cases: impl Into<PathBuf>, signals: Option<impl Into<PathBuf>>) -> Sources {
        Sources {
            cases: cases.into(),
            signals: signals.map(Into::into),
            export_date: None,
        }
    }

    /// The export date used for validation when the analysis looks at `reference_date`.
    pub fn export_date_for(&self, reference_date: NaiveDate) -> NaiveDate {
        self.export_date
            .unwrap_or_else(|| chrono::Local::now().date_naive().max(reference_date))
    }

    /// Reads, maps, validates and quarantines both exports.
    pub fn load(&self, cfg: &Config, export_date: NaiveDate) -> Result<Dataset> {
        Dataset::load(&self.cases, self.signals.as_deref(), cfg, export_date)
    }
}

/// Loads the sources and analyses `period` as of `reference_date` (default: the period end).
pub fn analyse(
    sources: &Sources,
    period: &Period,
    reference_date: Option<NaiveDate>,
    cfg: &Config,
    progress: &dyn Fn(&str),
) -> Result<Analysis> {
    let reference = reference_date.unwrap_or(period.end);
    if reference < period.start {
        return Err(Error::Usage(format!(
            "de peildatum {} ligt vóór het begin van de periode {} ({}); op die datum is er nog niets te tellen. Kies een peildatum in of na de periode, of laat --peildatum weg (dan het einde van de periode)",
            crate::nl::date(reference),
            period.title(),
            crate::nl::date(period.start)
        )));
    }
    progress("invoer inlezen en controleren");
    let dataset = sources.load(cfg, sources.export_date_for(reference))?;
    analyse::run_with_progress(dataset, period, reference, cfg, progress)
}

/// Writes the internal analysis files of `an` into `out`, as one swap
/// ([`crate::output::staging`]).
pub fn write_analysis(an: &Analysis, cfg: &Config, out: &Path) -> Result<()> {
    let staging = Staging::begin(out, ANALYSIS_FILES, SUMMARY)?;
    analyse::files::write(an, cfg, staging.path())?;
    staging.commit().map(drop)
}

/// Report options beyond the analysis.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub audience: Audience,
    pub formats: Vec<Format>,
    /// Stop when the input text holds personal data.
    pub strict: bool,
    /// Definition versions of the previous report (id -> version), to mark changes.
    pub previous_versions: Option<BTreeMap<String, u32>>,
    /// What the public report of the previous period published ([`previous_publication`]
    /// or [`recompute_previous`]): a public report agrees with it on what is hidden.
    pub prior: Option<Prior>,
}

impl ReportOptions {
    pub fn new(audience: Audience, formats: Vec<Format>) -> ReportOptions {
        ReportOptions {
            audience,
            formats,
            strict: false,
            previous_versions: None,
            prior: None,
        }
    }
}

/// Reads all signals from the ledger at `path`, when it exists.
pub fn read_ledger(path: &Path) -> Result<Option<Vec<LedgerSignal>>> {
    if !path.exists() {
        return Ok(None);
    }
    let l = Ledger::open(path).map_err(|e| Error::Ledger(e.to_string()))?;
    Ok(Some(l.all().map_err(|e| Error::Ledger(e.to_string()))?))
}

/// Reads the definition versions (id -> version) from an earlier `definities.json`.
pub fn previous_versions(path: &Path) -> Result<BTreeMap<String, u32>> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("kan {} niet lezen: {e}", path.display())))?;
    let v: Vec<serde_json::Value> = serde_json::from_str(&src)
        .map_err(|e| Error::Usage(format!("{} is geen definities.json: {e}", path.display())))?;
    Ok(v.iter()
        .filter_map(|d| {
            Some((
                d.get("id")?.as_str()?.to_string(),
                d.get("versie")?.as_u64()? as u32,
            ))
        })
        .collect())
}

/// What the public report in `dir` published: its figure list (`tabellen.json`), for
/// [`ReportOptions::prior`].
pub fn previous_publication(dir: &Path) -> Result<Prior> {
    let path = dir.join("tabellen.json");
    let src = std::fs::read_to_string(&path).map_err(|e| {
        Error::Usage(format!(
            "kan {} niet lezen ({e}); geef met --vorige-publicatie de map van het gepubliceerde rapport van de vorige periode",
            path.display()
        ))
    })?;
    let tables: Vec<PubTable> = serde_json::from_str(&src).map_err(|e| {
        Error::Usage(format!(
            "{} is niet de cijferlijst van een openbaar rapport ({e}); geef de map van de gepubliceerde Kamerrapportage, niet die van een interne analyse",
            path.display()
        ))
    })?;
    Ok(Prior::from_tables(&tables))
}

/// What a report must agree with, and a warning for the person running it.
#[derive(Debug, Clone, Default)]
pub struct PriorChoice {
    pub prior: Option<Prior>,
    /// Said when the published report is not the one the data gives now.
    pub warning: Option<String>,
}

/// What a report for `audience` over `period` must agree with: nothing for the internal
/// report (no reader outside has it); for a public one the report of the previous period
/// made again from the data ([`recompute_previous`]), whose whole protection this
/// report's then takes in. With `published` (the folder of that report as published) the
/// two are compared: the same figures, the same hidden cells, and the one made again is
/// used; where they differ (the data or the configuration changed since), the published
/// one is ([`previous_publication`]), with a warning: then only the counts both reports
/// print are agreed on.
pub fn prior_for(
    sources: &Sources,
    period: &Period,
    cfg: &Config,
    audience: Audience,
    published: Option<&Path>,
    progress: &dyn Fn(&str),
) -> Result<PriorChoice> {
    if audience == Audience::Internal {
        return Ok(PriorChoice::default());
    }
    let again = recompute_previous(sources, period, cfg, progress)?;
    let Some(dir) = published else {
        return Ok(PriorChoice {
            prior: Some(again),
            warning: None,
        });
    };
    let published = previous_publication(dir)?;
    if published.prints_as(&again) {
        return Ok(PriorChoice {
            prior: Some(again),
            warning: None,
        });
    }
    Ok(PriorChoice {
        prior: Some(published),
        warning: Some(format!(
            "let op: het rapport in {} wijkt af van wat de data nu voor {} geven (andere data of instellingen); dit rapport houdt verborgen wat daar verborgen was en toont wat daar getoond was, maar de bescherming over beide rapporten samen is alleen voor gelijk gebleven cijfers volledig na te rekenen",
            dir.display(),
            period.previous().title()
        )),
    })
}

/// Reports at most this far back are made again by [`recompute_previous`]: the previous
/// report and the one before it. Each report's system holds the one before it, nested; a
/// longer chain made a public quarterly report over 255 cases take minutes (six earlier
/// quarters: 6 min 52 s). The oldest report made again has no previous report of its own,
/// so it can differ from the one published then; `--vorige-publicatie` says so.
const MAX_EARLIER_REPORTS: usize = 2;

/// The public report of the period before `period`, made again from `sources`: what it
/// published, for [`ReportOptions::prior`]. Each public report agrees with the one before
/// it, so that one is made with its own previous report in turn (at most
/// [`MAX_EARLIER_REPORTS`] back, and not before the first period with cases). This is the report as the data
/// gives it now: where the data or the configuration changed since the real one was
/// published, [`previous_publication`] of the published folder is the one to use.
pub fn recompute_previous(
    sources: &Sources,
    period: &Period,
    cfg: &Config,
    progress: &dyn Fn(&str),
) -> Result<Prior> {
    let last = period.previous();
    progress(&format!("vorig rapport opnieuw maken: {}", last.title()));
    let last_an = analyse(sources, &last, None, cfg, &|_| {})?;
    let Some(first) = last_an.cases.iter().map(|c| c.ontvangen_op).min() else {
        return Ok(Prior::default());
    };
    // the periods before the last one with cases, oldest first
    let mut older = Vec::new();
    let mut p = last.previous();
    while p.end >= first && older.len() + 1 < MAX_EARLIER_REPORTS {
        older.push(p.clone());
        p = p.previous();
    }
    older.reverse();
    let mut prior: Option<Prior> = None;
    let build = |an: &Analysis, prior: &mut Option<Prior>| -> Result<()> {
        let (released, _) = publication::build(&publication::Inputs {
            analysis: an,
            cfg,
            audience: Audience::Parliament,
            ledger: None,
            previous_versions: None,
            scan_all: false,
            prior: prior.as_ref(),
        })?;
        *prior = Some(Prior::with_block(&released.tabellen, released.intake_block));
        Ok(())
    };
    for p in &older {
        progress(&format!("vorig rapport opnieuw maken: {}", p.title()));
        build(&analyse(sources, p, None, cfg, &|_| {})?, &mut prior)?;
    }
    build(&last_an, &mut prior)?;
    Ok(prior.unwrap_or_default())
}

/// Protects, renders, audits (public reports) and publishes the report into `out`.
/// Returns the names of the files written.
pub fn report(
    an: &Analysis,
    cfg: &Config,
    ledger: Option<&[LedgerSignal]>,
    opts: &ReportOptions,
    out: &Path,
) -> Result<Vec<String>> {
    // Protection stage: from here on only released figures exist.
    let (released, log) = publication::build(&publication::Inputs {
        analysis: an,
        cfg,
        audience: opts.audience,
        ledger,
        previous_versions: opts.previous_versions.clone(),
        scan_all: opts.strict,
        prior: opts.prior.as_ref(),
    })?;
    if opts.strict && !log.persoonsgegevens.is_empty() {
        // Where, never what: the kind, the file and field, and the record id.
        let mut per: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for e in &log.persoonsgegevens {
            per.entry(format!("{} in {}.{}", e.soort.label(), e.bron, e.veld))
                .or_default()
                .push(&e.id);
        }
        let lines: Vec<String> = per
            .iter()
            .map(|(k, ids)| {
                let shown: Vec<&str> = ids.iter().take(5).copied().collect();
                let more = ids.len().saturating_sub(shown.len());
                let more = if more > 0 {
                    format!(" en {more} meer")
                } else {
                    String::new()
                };
                format!("{k}: {}{more}", shown.join(", "))
            })
            .collect();
        return Err(Error::Audit(format!(
            "--strikt: {} mogelijke persoonsgegeven(s) in de invoertekst; er is niets geschreven. Verwijder ze uit de export of draai zonder --strikt (dan worden ze weggelaten of gemaskeerd).\n  {}",
            log.persoonsgegevens.len(),
            lines.join("\n  ")
        )));
    }
    let dir = (!cfg.rapport.sjablonen.is_empty()).then(|| cfg.resolve(&cfg.rapport.sjablonen));
    let templates = Templates::load(dir.as_deref())?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut formats = opts.formats.clone();
    formats.sort();
    formats.dedup();
    for f in formats {
        files.extend(renderer_for(f).render(&released, &templates)?);
    }
    let mut tables = released.tabellen.clone();
    tables.push(released.draden_tabel.clone());
    tables.push(released.signalen_tabel.clone());
    // The trend tables of the rode draden: every charted figure is in the figure list.
    tables.extend(released.draden.iter().filter_map(|d| d.tabel.clone()));
    if opts.audience == Audience::Internal {
        // Every file of an internal report carries the marking, the JSON files included.
        let marked = |key: &str, v: serde_json::Value| serde_json::json!({ "markering": INTERN_MARKING, key: v });
        let tables = serde_json::to_value(&tables).map_err(Error::internal)?;
        let log = serde_json::to_value(&log).map_err(Error::internal)?;
        files.push((
            "tabellen.json".into(),
            json_bytes(&marked("tabellen", tables))?,
        ));
        files.push((
            "beschermingslog.json".into(),
            json_bytes(&marked("beschermingslog", log))?,
        ));
    } else {
        files.push(("tabellen.json".into(), json_bytes(&tables)?));
    }
    publish(&files, opts.audience, cfg, &log, out)
}

/// Where the protection log of a public report goes: beside the report folder, not in
/// it, because the folder is published and the log is not (`rapporten/kamer` gives
/// `rapporten/kamer-beschermingslog.json`).
pub fn protection_log_path(out: &Path) -> PathBuf {
    let folder = out
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    out.with_file_name(format!("{folder}-beschermingslog.json"))
}

fn json_bytes<T: serde::Serialize>(v: &T) -> Result<Vec<u8>> {
    Ok((serde_json::to_string_pretty(v).map_err(Error::internal)? + "\n").into_bytes())
}

/// Every file a report folder may hold (all formats, both audiences).
pub const REPORT_FILES: &[&str] = &[
    "rapport.html",
    "rapport.pdf",
    "rapport.md",
    "rapport.xlsx",
    "tabellen.json",
    "beschermingslog.json",
];

/// Every file an analysis folder holds.
pub const ANALYSIS_FILES: &[&str] = &[
    "indicatoren.json",
    "indicatoren.csv",
    "indicatoren.xlsx",
    "definities.json",
    "stroom-en-cohorten.json",
    "open-casussen.csv",
    "rode-draden.json",
    "rode-draden-casussen.csv",
    "rode-draden.csv",
    "quarantaine-casussen.csv",
    "quarantaine-signalen.csv",
    "controle.json",
];

/// The files of `check`; `controle.json` describes the others.
pub const CHECK_FILES: &[&str] = &[
    "quarantaine-casussen.csv",
    "quarantaine-signalen.csv",
    "controle.json",
];

/// The file that describes the others in a check or analysis folder.
const SUMMARY: &[&str] = &["controle.json"];

/// Writes the quarantine files and `controle.json` of `ds` into `out`, as one swap
/// ([`crate::output::staging`]): `controle.json` never describes files of another run.
pub fn write_check(ds: &Dataset, out: &Path) -> Result<()> {
    let staging = Staging::begin(out, CHECK_FILES, SUMMARY)?;
    ds.check.write_check_files(staging.path())?;
    staging.commit().map(drop)
}

/// Writes `files` to a staging folder beside `out`, audits a public report there
/// (nothing is left behind when it fails), then swaps the staging folder in with one
/// rename ([`crate::output::staging`]): no file of an earlier run stays beside the new
/// ones, and a killed run leaves the previous report whole.
pub fn publish(
    files: &[(String, Vec<u8>)],
    audience: Audience,
    cfg: &Config,
    log: &ProtectLog,
    out: &Path,
) -> Result<Vec<String>> {
    let staging = Staging::begin(out, REPORT_FILES, &[])?;
    for (name, bytes) in files {
        crate::output::write_atomic(&staging.path().join(name), bytes)?;
    }
    if audience == Audience::Parliament {
        let rep = audit::audit_dir(
            staging.path(),
            cfg.bescherming.min_cel,
            cfg.bescherming.min_noemer,
        )?;
        // fail closed: a file the audit could not read counts as a finding
        if !rep.passed() {
            let list: Vec<String> = rep
                .bevindingen
                .iter()
                .take(20)
                .map(|f| format!("{} ({}, {}): {}", f.bestand, f.soort, f.plek, f.melding))
                .collect();
            return Err(Error::Audit(format!(
                "het openbare rapport doorstaat de controle niet ({} bevinding(en)); er is niets achtergelaten.\n  {}",
                rep.bevindingen.len(),
                list.join("\n  ")
            )));
        }
    }
    staging.commit()?;
    if audience == Audience::Parliament {
        crate::output::write_atomic(&protection_log_path(out), &json_bytes(log)?)?;
    }
    Ok(files.iter().map(|(n, _)| n.clone()).collect())
}
