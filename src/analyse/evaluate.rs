//! Evaluation of the rode draden against planted ground truth.
//!
//! A planted thread counts as found when a detected thread's case set has
//! Jaccard >= 0.5 with it. Precision: detected threads that match a planted
//! one, over all detected threads.
//!
//! ```
//! use rodedraad::analyse::evaluate::{score, Truth};
//! let truth = vec![Truth { id: "G1".into(), label: "x".into(), casus_ids: vec!["a".into(), "b".into()] }];
//! let ev = score(&truth, &[]);
//! assert_eq!(ev.recall, 0.0);
//! assert_eq!(ev.precisie, 1.0);
//! ```

use super::period::Period;
use super::threads::{self, Thread};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Case, Signal};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// A planted thread as written by `rodedraad sample`.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
pub fn score(truth: &[Truth], detected: &[Thread]) -> Evaluation {
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

/// Reads a `geplante-draden.json` as written by `rodedraad sample`.
pub fn read_truth(path: &Path) -> Result<Vec<Truth>> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("kan {} niet lezen: {e}", path.display())))?;
    serde_json::from_str(&src).map_err(|e| {
        Error::Usage(format!(
            "{} is geen geplante-draden.json ({e})",
            path.display()
        ))
    })
}

/// Detects threads as of the last intake date and scores them. The period (where a thread
/// must have cases to be listed) is `period`, or else the half year up to the last intake
/// date: planted threads spread over the whole export all have cases in it.
pub fn evaluate(
    cases: &[Case],
    signals: &[Signal],
    truth: &[Truth],
    period: Option<&Period>,
    cfg: &Config,
) -> Evaluation {
    let last = cases
        .iter()
        .map(|c| c.ontvangen_op)
        .max()
        .unwrap_or_default();
    let period = period
        .cloned()
        .unwrap_or_else(|| Period::range(last - chrono::Duration::days(182), last));
    let mut detected = threads::detect(cases, signals, &period, last, cfg);
    threads::describe(&mut detected, cfg);
    score(truth, &detected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{generate, SampleOptions};

    fn truth_of(data: &crate::sample::SampleData) -> Vec<Truth> {
        data.planted
            .iter()
            .map(|t| Truth {
                id: t.id.clone(),
                label: t.label.clone(),
                casus_ids: t.casus_ids.clone(),
            })
            .collect()
    }

    /// Twenty seeds of the sample with its seven planted kinds (codes, a small main theme, a
    /// rise, a text-only story), stock sentences and a workflow artefact, and twenty null
    /// samples with the same boilerplate. The floors are what the method reaches now (see
    /// the README table); the aim of issue 12 (mean recall 0,9, worst seed 0,75) is not met.
    #[test]
    fn twenty_seeds_recall_precision_and_quiet_null_samples() {
        let cfg = Config::default_config();
        let (mut recall, mut precision) = (Vec::new(), Vec::new());
        let mut null_max = 0;
        for seed in 1..=20 {
            let data = generate(&SampleOptions {
                seed,
                ..SampleOptions::default()
            });
            let ev = evaluate(&data.cases, &data.signals, &truth_of(&data), None, &cfg);
            recall.push(ev.recall);
            precision.push(ev.precisie);
            let null = generate(&SampleOptions {
                seed,
                planted: false,
                ..SampleOptions::default()
            });
            let ev = evaluate(&null.cases, &null.signals, &[], None, &cfg);
            null_max = null_max.max(ev.gedetecteerd);
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let worst = |v: &[f64]| v.iter().copied().fold(1.0, f64::min);
        eprintln!(
            "recall gem. {:.2} slechtst {:.2}; precisie gem. {:.2} slechtst {:.2}; nul max {null_max}",
            mean(&recall),
            worst(&recall),
            mean(&precision),
            worst(&precision)
        );
        assert!(mean(&recall) >= 0.8, "{recall:?}");
        assert!(mean(&precision) >= 0.8, "{precision:?}");
        assert!(worst(&recall) >= 0.5 && worst(&precision) >= 0.6);
        assert!(null_max <= 2, "null samples: at most {null_max} threads");
    }
}
