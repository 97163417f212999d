//! `rodedraad evaluate`: precision and recall of the rode draden against planted ground truth.
//!
//! ```text
//! rodedraad evaluate --cases F [--signals F] --truth geplante-draden.json [--period P] [--config F] [--json]
//! ```
//! A planted thread counts as found when a detected thread's case set has
//! Jaccard >= 0.5 with it. Precision: detected threads that match a planted
//! one, over all detected threads.

use super::InputArgs;
use crate::analyse::draden::{self, Draad};
use crate::analyse::period::Period;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use clap::Args;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct EvaluateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// geplante-draden.json met de ware draden.
    #[arg(long, value_name = "BESTAND")]
    pub truth: PathBuf,
    /// Periode voor de trendindeling; standaard het kwartaal van de laatste casus (ook als dat nog loopt).
    #[arg(long = "period", visible_alias = "periode", value_name = "P")]
    pub period: Option<Period>,
    /// Als JSON op stdout.
    #[arg(long)]
    pub json: bool,
}

/// A planted thread as written by `rodedraad sample`.
#[derive(Debug, Clone, Deserialize)]
pub struct Truth {
    pub id: String,
    pub label: String,
    pub casus_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreadScore {
    pub geplant: String,
    pub label: String,
    pub gevonden: bool,
    pub beste_draad: Option<String>,
    pub jaccard: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub per_draad: Vec<ThreadScore>,
    pub gedetecteerd: usize,
    pub juist_gedetecteerd: usize,
    pub recall: f64,
    pub precisie: f64,
}

fn jaccard(a: &BTreeSet<&str>, b: &BTreeSet<&str>) -> f64 {
    let u = a.union(b).count();
    if u == 0 {
        0.0
    } else {
        a.intersection(b).count() as f64 / u as f64
    }
}

/// Scores detected threads against the truth.
pub fn score(truth: &[Truth], detected: &[Draad]) -> Evaluation {
    let sets: Vec<BTreeSet<&str>> = detected
        .iter()
        .map(|d| d.casus_ids.iter().map(String::as_str).collect())
        .collect();
    let per_draad: Vec<ThreadScore> = truth
        .iter()
        .map(|t| {
            let ts: BTreeSet<&str> = t.casus_ids.iter().map(String::as_str).collect();
            let best = sets
                .iter()
                .enumerate()
                .map(|(i, s)| (jaccard(&ts, s), i))
                .max_by(|a, b| a.0.partial_cmp(&b.0).unwrap().then(b.1.cmp(&a.1)));
            ThreadScore {
                geplant: t.id.clone(),
                label: t.label.clone(),
                gevonden: best.is_some_and(|(j, _)| j >= 0.5),
                beste_draad: best.map(|(_, i)| detected[i].id.clone()),
                jaccard: best.map(|(j, _)| j).unwrap_or(0.0),
            }
        })
        .collect();
    let truth_sets: Vec<BTreeSet<&str>> = truth
        .iter()
        .map(|t| t.casus_ids.iter().map(String::as_str).collect())
        .collect();
    let correct = sets
        .iter()
        .filter(|s| truth_sets.iter().any(|t| jaccard(s, t) >= 0.5))
        .count();
    let found = per_draad.iter().filter(|p| p.gevonden).count();
    Evaluation {
        gedetecteerd: detected.len(),
        juist_gedetecteerd: correct,
        recall: if truth.is_empty() {
            1.0
        } else {
            found as f64 / truth.len() as f64
        },
        precisie: if detected.is_empty() {
            1.0
        } else {
            correct as f64 / detected.len() as f64
        },
        per_draad,
    }
}

pub fn run(a: EvaluateArgs) -> Result<i32> {
    let cfg = super::load_config(a.input.config.as_deref())?;
    let src = std::fs::read_to_string(&a.truth)
        .map_err(|e| Error::Gebruik(format!("kan {} niet lezen: {e}", a.truth.display())))?;
    let truth: Vec<Truth> = serde_json::from_str(&src).map_err(|e| {
        Error::Gebruik(format!(
            "{} is geen geplante-draden.json ({e})",
            a.truth.display()
        ))
    })?;
    let export = a.input.export_date();
    let ds = Dataset::load(&a.input.cases, a.input.signals.as_deref(), &cfg, export)?;
    let cases = ds.case_structs()?;
    let last = cases.iter().map(|c| c.ontvangen_op).max().unwrap_or(export);
    let period = a.period.clone().unwrap_or_else(|| Period::quarter_of(last));
    let mut detected = draden::detect(&cases, &ds.signal_structs()?, &period, last, &cfg);
    draden::describe(&mut detected, &cfg);
    let ev = score(&truth, &detected);
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&ev).map_err(Error::intern)?
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
