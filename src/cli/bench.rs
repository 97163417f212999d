//! `rodedraad bench`: measure every stage of the pipeline on one case file.
//!
//! ```text
//! rodedraad bench --casussen /tmp/1m/casussen.csv --periode 2025 [--json]
//! rodedraad bench --aantal 100000 --map /tmp/bench    (generates the file once)
//! ```
//! The work is [`crate::pipeline::bench`]; this file parses and prints.

use crate::analyse::period::Period;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::pipeline::bench;
use crate::sample::{generate, write_canonical, SampleOptions};
use chrono::NaiveDate;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Casusbestand om te meten; zonder: een synthetische set van --aantal casussen in --map.
    #[arg(long, value_name = "BESTAND", alias = "cases")]
    pub casussen: Option<PathBuf>,
    /// Aantal synthetische casussen (alleen zonder --casussen).
    #[arg(long, default_value_t = 1_000_000)]
    pub aantal: usize,
    /// Map voor de synthetische set (eenmaal gemaakt, daarna hergebruikt).
    #[arg(long, value_name = "MAP", default_value = "target/bench-data")]
    pub map: PathBuf,
    /// Periode; standaard het laatste hele halfjaar vóór de exportdatum.
    #[arg(long, alias = "period")]
    pub periode: Option<String>,
    /// Exportdatum (jjjj-mm-dd); standaard die van de synthetische set (31-10-2026).
    #[arg(long)]
    pub exportdatum: Option<NaiveDate>,
    /// Druk het resultaat als JSON af.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: BenchArgs) -> Result<i32> {
    let cfg = Config::default_config();
    let export = a
        .exportdatum
        .unwrap_or(SampleOptions::default().export_date);
    let file = match a.casussen {
        Some(f) => f,
        None => generated(a.aantal, &a.map, export)?,
    };
    let period = match &a.periode {
        Some(p) => p.parse::<Period>().map_err(Error::Usage)?,
        None => Period::last_half_before(export),
    };
    let report = bench::run(&file, &period, export, &cfg)?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(Error::internal)?
        );
    } else {
        for l in bench::lines(&report) {
            println!("{l}");
        }
    }
    Ok(0)
}

/// The synthetic case file of `cases` cases under `dir`, generated when absent.
fn generated(cases: usize, dir: &std::path::Path, export: NaiveDate) -> Result<PathBuf> {
    let dir = dir.join(cases.to_string());
    let file = dir.join("casussen.csv");
    if !file.exists() {
        let opts = SampleOptions {
            seed: 7,
            cases: Some(cases),
            export_date: export,
            ..SampleOptions::default()
        };
        write_canonical(&generate(&opts), &dir).map_err(|e| Error::Write {
            path: dir.clone(),
            message: e.to_string(),
        })?;
    }
    Ok(file)
}
