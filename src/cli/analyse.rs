//! `rodedraad analyse`: indicators and rode draden for one period.
//!
//! ```text
//! rodedraad analyse --casussen F [--signalen F] --periode P [--peildatum D] [--config F] --uitvoer MAP [--json]
//! ```
//! P is `2025`, `2026-H1`, `2026-Q3` or `2026-01-01..2026-06-30`. Writes
//! `indicatoren.json`, `indicatoren.csv`, `indicatoren.xlsx`, `definities.json`,
//! `rode-draden.json` and `rode-draden.csv`. These are internal working files:
//! only `rodedraad rapport --publiek kamer` makes public output.

use super::{InputArgs, PeriodArgs};
use crate::analyse::indicators::Record;
use crate::error::{Error, Result};
use crate::pipeline;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct AnalyseArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub when: PeriodArgs,
    /// Uitvoermap.
    #[arg(long = "uitvoer", alias = "out", value_name = "MAP")]
    pub out: PathBuf,
    /// Druk de kerncijfers als JSON af op stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: AnalyseArgs) -> Result<i32> {
    let cfg = super::load_config(a.input.config.as_deref())?;
    let (an, pb) = super::analyse_with_progress(&a.input, &a.when, &cfg)?;
    pb.finish_and_clear();
    pipeline::write_analysis(&an, &cfg, &a.out)?;
    super::check::print_summary(&an.check);
    if a.json {
        let key: Vec<&Record> = an
            .indicators
            .records
            .iter()
            .filter(|r| r.dimensie.is_none())
            .collect();
        let v = serde_json::json!({ "periode": an.indicators.periode, "peildatum": an.indicators.peildatum, "kerncijfers": key, "rode_draden": an.threads.len() });
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(Error::internal)?
        );
    } else {
        eprintln!(
            "analyse over {} geschreven naar {}: {} rode draden",
            a.when.period.title(),
            a.out.display(),
            an.threads.len()
        );
    }
    Ok(0)
}
