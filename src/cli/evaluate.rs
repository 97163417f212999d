//! `rodedraad evalueer`: precision and recall of the rode draden against planted ground truth.
//!
//! ```text
//! rodedraad evalueer --casussen F [--signalen F] --geplant geplante-draden.json [--periode P] [--config F] [--json]
//! ```
//! The scoring itself is [`crate::analyse::evaluate`].

use super::InputArgs;
use crate::analyse::evaluate::{evaluate, read_truth};
use crate::analyse::period::Period;
use crate::error::{Error, Result};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct EvaluateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// geplante-draden.json met de ware draden.
    #[arg(long = "geplant", alias = "truth", value_name = "BESTAND")]
    pub truth: PathBuf,
    /// Periode waarin een draad casussen moet hebben; standaard het half jaar tot en met de laatste casus.
    #[arg(long = "periode", alias = "period", value_name = "P")]
    pub period: Option<Period>,
    /// Als JSON op stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: EvaluateArgs) -> Result<i32> {
    let cfg = super::load_config(a.input.config.as_deref())?;
    let truth = read_truth(&a.truth)?;
    let ds = a.input.sources().load(&cfg, a.input.export_date())?;
    let ev = evaluate(
        &ds.case_structs()?,
        &ds.signal_structs()?,
        &truth,
        a.period.as_ref(),
        &cfg,
    );
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&ev).map_err(Error::internal)?
        );
    } else {
        for p in &ev.per_draad {
            println!(
                "{} {:<60} {} (Jaccard {})",
                if p.gevonden {
                    "gevonden    "
                } else {
                    "NIET gevonden"
                },
                p.label,
                p.beste_draad.as_deref().unwrap_or("-"),
                crate::nl::dec(p.jaccard, 2)
            );
        }
        println!(
            "recall {} ({} van {}), precisie {} ({} van {} gevonden draden komen overeen met een geplante)",
            crate::nl::dec(ev.recall, 2),
            ev.per_draad.iter().filter(|p| p.gevonden).count(),
            ev.per_draad.len(),
            crate::nl::dec(ev.precisie, 2),
            ev.juist_gedetecteerd,
            ev.gedetecteerd
        );
    }
    Ok(0)
}
