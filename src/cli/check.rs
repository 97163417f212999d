//! `rodedraad controleer`: validate exports and account for every row.
//!
//! ```text
//! rodedraad controleer --casussen F [--signalen F] [--config F] [--uitvoer MAP] [--json] [--exportdatum D]
//! ```
//! Writes `quarantaine-casussen.csv`, `quarantaine-signalen.csv` and
//! `controle.json` into `--uitvoer` (default: the current folder). Exit 0 when the
//! run completed, also when rows went to quarantine.

use super::InputArgs;
use crate::error::Result;
use crate::ingest::CheckOutcome;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Map voor quarantaine en controle.json.
    #[arg(
        long = "uitvoer",
        alias = "out",
        value_name = "MAP",
        default_value = "."
    )]
    pub out: PathBuf,
    /// Druk de samenvatting als JSON af op stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: CheckArgs) -> Result<i32> {
    let cfg = super::load_config(a.input.config.as_deref())?;
    let pb = super::progress("invoer inlezen en controleren");
    let ds = a.input.sources().load(&cfg, a.input.export_date())?;
    crate::pipeline::write_check(&ds, &a.out)?;
    pb.finish_and_clear();
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&ds.check.report)
                .map_err(crate::error::Error::internal)?
        );
    } else {
        print_summary(&ds.check);
    }
    Ok(0)
}

/// Prints the accounting of every file on stderr (stdout stays free for data).
pub fn print_summary(check: &CheckOutcome) {
    for line in check.summary_lines() {
        eprintln!("{line}");
    }
}
