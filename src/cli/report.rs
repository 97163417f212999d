//! `rodedraad rapport`: the Kamerrapportage or the internal quarterly analysis.
//!
//! ```text
//! rodedraad rapport --casussen F [--signalen F] --periode P [--peildatum D] [--publiek kamer|intern]
//!                  [--formaat html,pdf,md,xlsx] --uitvoer MAP [--config F] [--register F] [--strikt]
//!                  [--vorige-definities F]
//! ```
//! The report is written to a staging folder first. For `kamer` the audit runs
//! on it; a report that fails the audit is removed and the run exits with 5.
//! Only then are the files moved into `--uitvoer`.

use super::{InputArgs, PeriodArgs};
use crate::error::Result;
use crate::pipeline::{self, ReportOptions};
use crate::protect::tables::Audience;
use crate::render::Format;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub when: PeriodArgs,
    /// Publiek: kamer (openbaar, alle regels) of intern (onderzoeksafdeling).
    #[arg(long = "publiek", value_name = "PUBLIEK", default_value = "kamer", value_parser = parse_audience)]
    pub audience: Audience,
    /// Formaten, met komma's gescheiden: html, pdf, md, xlsx.
    #[arg(
        long = "formaat",
        alias = "format",
        value_name = "LIJST",
        default_value = "html,pdf,md,xlsx",
        value_delimiter = ','
    )]
    pub formats: Vec<Format>,
    /// Uitvoermap.
    #[arg(long = "uitvoer", alias = "out", value_name = "MAP")]
    pub out: PathBuf,
    /// Signalenregister (SQLite), dat moet bestaan; zonder deze optie het pad uit de
    /// configuratie, als dat bestaat.
    #[arg(long, value_name = "BESTAND")]
    pub register: Option<PathBuf>,
    /// Stop bij elke gevonden persoonsgegeven in de invoertekst.
    #[arg(long = "strikt")]
    pub strict: bool,
    /// definities.json van het vorige rapport, om gewijzigde definities te markeren.
    #[arg(long = "vorige-definities", value_name = "BESTAND")]
    pub previous_definitions: Option<PathBuf>,
    /// Map van de gepubliceerde Kamerrapportage van de vorige periode (met tabellen.json).
    /// Wat daar verborgen was, blijft verborgen. Zonder deze optie wordt dat rapport
    /// opnieuw gemaakt uit dezelfde data; met, wordt het daarmee vergeleken.
    #[arg(long = "vorige-publicatie", value_name = "MAP")]
    pub previous_publication: Option<PathBuf>,
}

pub fn parse_audience(s: &str) -> std::result::Result<Audience, String> {
    match s {
        "kamer" => Ok(Audience::Parliament),
        "intern" => Ok(Audience::Internal),
        o => Err(format!("onbekend publiek \"{o}\"; kies kamer of intern")),
    }
}

pub fn run(a: ReportArgs) -> Result<i32> {
    let cfg = super::load_config(a.input.config.as_deref())?;
    // A ledger named on the command line must exist: a mistyped path would otherwise
    // publish section 4 without signals (exit 8, before any work).
    if let Some(r) = &a.register {
        pipeline::signals::require_ledger_file(r)?;
    }
    let (an, pb) = super::analyse_with_progress(&a.input, &a.when, &cfg)?;
    pb.set_message("rapport maken");
    let register = a
        .register
        .clone()
        .unwrap_or_else(|| cfg.resolve(&cfg.register.pad));
    let ledger = pipeline::read_ledger(&register)?;
    let previous = a
        .previous_definitions
        .as_deref()
        .map(pipeline::previous_versions)
        .transpose()?;
    let choice = pipeline::prior_for(
        &a.input.sources(),
        &a.when.period,
        &cfg,
        a.audience,
        a.previous_publication.as_deref(),
        &|m| pb.set_message(m.to_string()),
    )?;
    if let Some(w) = &choice.warning {
        pb.suspend(|| eprintln!("{w}"));
    }
    pb.set_message("rapport maken");
    let opts = ReportOptions {
        audience: a.audience,
        formats: a.formats.clone(),
        strict: a.strict,
        previous_versions: previous,
        prior: choice.prior,
    };
    let written = pipeline::report(&an, &cfg, ledger.as_deref(), &opts, &a.out)?;
    pb.finish_and_clear();
    super::check::print_summary(&an.check);
    eprintln!(
        "rapport geschreven naar {}: {}",
        a.out.display(),
        written.join(", ")
    );
    if opts.audience == Audience::Parliament {
        eprintln!(
            "beschermingslog (intern, niet publiceren) geschreven naar {}",
            pipeline::protection_log_path(&a.out).display()
        );
    }
    Ok(0)
}
