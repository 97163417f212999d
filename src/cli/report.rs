//! `rodedraad report`: the Kamerrapportage or the internal quarterly analysis.
//!
//! ```text
//! rodedraad report --cases F [--signals F] --period P [--peildatum D] [--publiek kamer|intern]
//!                  [--format html,pdf,md,xlsx] --out MAP [--config F] [--register F] [--strikt]
//!                  [--vorige-definities F]
//! ```
//! The report is written to a staging folder first. For `kamer` the audit runs
//! on it; a report that fails the audit is removed and the run exits with 5.
//! Only then are the files moved into `--out`.

use super::analyse::{analyse, Analysis};
use super::InputArgs;
use crate::analyse::period::Period;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::export::ledger::{Ledger, LedgerSignal};
use crate::protect::audit;
use crate::protect::tables::Audience;
use crate::render::model::{build, Inputs, ProtectLog};
use crate::render::{renderer_for, Format, Templates};
use clap::Args;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Periode: 2025, 2026-H1, 2026-Q3 of 2026-01-01..2026-06-30.
    #[arg(long = "period", visible_alias = "periode", value_name = "P")]
    pub period: Period,
    /// Peildatum (jjjj-mm-dd); standaard het einde van de periode.
    #[arg(long, value_name = "DATUM", value_parser = super::parse_date_arg)]
    pub peildatum: Option<chrono::NaiveDate>,
    /// Publiek: kamer (openbaar, alle regels) of intern (onderzoeksafdeling).
    #[arg(long, value_name = "PUBLIEK", default_value = "kamer", value_parser = parse_audience)]
    pub publiek: Audience,
    /// Formaten, met komma's gescheiden: html, pdf, md, xlsx.
    #[arg(
        long,
        value_name = "LIJST",
        default_value = "html,pdf,md,xlsx",
        value_delimiter = ','
    )]
    pub format: Vec<Format>,
    /// Uitvoermap.
    #[arg(long, value_name = "MAP")]
    pub out: PathBuf,
    /// Signalenregister (SQLite); standaard het pad uit de configuratie, als dat bestaat.
    #[arg(long, value_name = "BESTAND")]
    pub register: Option<PathBuf>,
    /// Stop bij elke gevonden persoonsgegeven in de invoertekst.
    #[arg(long)]
    pub strikt: bool,
    /// definities.json van het vorige rapport, om gewijzigde definities te markeren.
    #[arg(long, value_name = "BESTAND")]
    pub vorige_definities: Option<PathBuf>,
}

pub fn parse_audience(s: &str) -> std::result::Result<Audience, String> {
    match s {
        "kamer" => Ok(Audience::Kamer),
        "intern" => Ok(Audience::Intern),
        o => Err(format!("onbekend publiek \"{o}\"; kies kamer of intern")),
    }
}

pub fn run(a: ReportArgs) -> Result<i32> {
    let cfg = super::load_config(a.input.config.as_deref())?;
    let an = analyse(&a.input, &a.period, a.peildatum, &cfg)?;
    let register = a
        .register
        .clone()
        .unwrap_or_else(|| cfg.resolve(&cfg.register.pad));
    let ledger = read_ledger(&register)?;
    let previous = a
        .vorige_definities
        .as_deref()
        .map(previous_versions)
        .transpose()?;
    let opts = ReportOptions {
        audience: a.publiek,
        formats: a.format.clone(),
        strict: a.strikt,
        previous_versions: previous,
    };
    let written = make_report(&an, &cfg, ledger.as_deref(), &opts, &a.out)?;
    super::check::print_summary(&an.dataset);
    eprintln!(
        "rapport geschreven naar {}: {}",
        a.out.display(),
        written.join(", ")
    );
    Ok(0)
}

/// Report options beyond the analysis.
pub struct ReportOptions {
    pub audience: Audience,
    pub formats: Vec<Format>,
    pub strict: bool,
    pub previous_versions: Option<BTreeMap<String, u32>>,
}

/// Reads all signals from the ledger at `path`, when it exists.
pub fn read_ledger(path: &Path) -> Result<Option<Vec<LedgerSignal>>> {
    if !path.exists() {
        return Ok(None);
    }
    let l = Ledger::open(path).map_err(|e| Error::Register(e.to_string()))?;
    Ok(Some(l.all().map_err(|e| Error::Register(e.to_string()))?))
}

fn previous_versions(path: &Path) -> Result<BTreeMap<String, u32>> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| Error::Gebruik(format!("kan {} niet lezen: {e}", path.display())))?;
    let v: Vec<serde_json::Value> = serde_json::from_str(&src)
        .map_err(|e| Error::Gebruik(format!("{} is geen definities.json: {e}", path.display())))?;
    Ok(v.iter()
        .filter_map(|d| {
            Some((
                d.get("id")?.as_str()?.to_string(),
                d.get("versie")?.as_u64()? as u32,
            ))
        })
        .collect())
}

/// Builds, renders, audits (kamer) and writes the report into `out`. Returns the file names.
pub fn make_report(
    an: &Analysis,
    cfg: &Config,
    ledger: Option<&[LedgerSignal]>,
    opts: &ReportOptions,
    out: &Path,
) -> Result<Vec<String>> {
    let (report, log) = build(&Inputs {
        analysis: an,
        cfg,
        audience: opts.audience,
        ledger,
        previous_versions: opts.previous_versions.clone(),
    });
    if opts.strict && !log.persoonsgegevens.is_empty() {
        return Err(Error::Controle(format!(
            "--strikt: {} mogelijke persoonsgegeven(s) in de invoertekst (zie het beschermingslog); er is niets geschreven",
            log.persoonsgegevens.len()
        )));
    }
    let dir = (!cfg.rapport.sjablonen.is_empty()).then(|| cfg.resolve(&cfg.rapport.sjablonen));
    let templates = Templates::load(dir.as_deref())?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut formats = opts.formats.clone();
    formats.sort();
    formats.dedup();
    for f in formats {
        files.extend(renderer_for(f).render(&report, &templates)?);
    }
    let mut tables = report.tabellen.clone();
    tables.push(report.draden_tabel.clone());
    files.push((
        "tabellen.json".into(),
        (serde_json::to_string_pretty(&tables).map_err(Error::intern)? + "\n").into_bytes(),
    ));
    if opts.audience == Audience::Intern {
        files.push(("beschermingslog.json".into(), log_json(&log)?));
    }
    // Stage, audit, then move.
    let staging = out.with_file_name(format!(
        ".{}.staging-{}",
        out.file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&staging);
    for (name, bytes) in &files {
        crate::output::write_atomic(&staging.join(name), bytes)?;
    }
    if opts.audience == Audience::Kamer {
        let rep = audit::audit_dir(
            &staging,
            cfg.bescherming.min_cel,
            cfg.bescherming.min_noemer,
        )?;
        if !rep.bevindingen.is_empty() {
            let _ = std::fs::remove_dir_all(&staging);
            let list: Vec<String> = rep
                .bevindingen
                .iter()
                .take(20)
                .map(|f| format!("{} ({}, {}): {}", f.bestand, f.soort, f.plek, f.melding))
                .collect();
            return Err(Error::Controle(format!(
                "het openbare rapport doorstaat de controle niet ({} bevinding(en)); er is niets achtergelaten.\n  {}",
                rep.bevindingen.len(),
                list.join("\n  ")
            )));
        }
        let logfile = out.with_file_name(format!(
            "{}-beschermingslog.json",
            out.file_name()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default()
        ));
        crate::output::write_atomic(&logfile, &log_json(&log)?)?;
    }
    std::fs::create_dir_all(out).map_err(|e| Error::Schrijven {
        bestand: out.to_path_buf(),
        melding: e.to_string(),
    })?;
    let mut names = Vec::new();
    for (name, _) in &files {
        std::fs::rename(staging.join(name), out.join(name)).map_err(|e| Error::Schrijven {
            bestand: out.join(name),
            melding: e.to_string(),
        })?;
        names.push(name.clone());
    }
    let _ = std::fs::remove_dir_all(&staging);
    Ok(names)
}

fn log_json(log: &ProtectLog) -> Result<Vec<u8>> {
    Ok((serde_json::to_string_pretty(log).map_err(Error::intern)? + "\n").into_bytes())
}
