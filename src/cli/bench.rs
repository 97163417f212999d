//! `rodedraad meet`: measure every stage of the pipeline on one case file.
//!
//! ```text
//! rodedraad meet --casussen /tmp/1m/casussen.csv --periode 2025 [--json]
//! rodedraad meet --aantal 100000 --map /tmp/bench    (generates the file once)
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
    #[arg(long = "casussen", value_name = "BESTAND", alias = "cases")]
    pub cases: Option<PathBuf>,
    /// Aantal synthetische casussen (alleen zonder --casussen).
    #[arg(long = "aantal", default_value_t = 1_000_000)]
    pub count: usize,
    /// Map voor de synthetische set (eenmaal gemaakt, daarna hergebruikt).
    #[arg(long = "map", value_name = "MAP", default_value = "target/bench-data")]
    pub dir: PathBuf,
    /// Periode; standaard het laatste hele halfjaar vóór de exportdatum.
    #[arg(long = "periode", alias = "period")]
    pub period: Option<String>,
    /// Exportdatum (jjjj-mm-dd); standaard die van de synthetische set (31-10-2026).
    #[arg(long = "exportdatum")]
    pub export_date: Option<NaiveDate>,
    /// Druk het resultaat als JSON af.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: BenchArgs) -> Result<i32> {
    let cfg = Config::default_config();
    let export = a
        .export_date
        .unwrap_or(SampleOptions::default().export_date);
    let file = match a.cases {
        Some(f) => f,
        None => generated(a.count, &a.dir, export)?,
    };
    let period = match &a.period {
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
