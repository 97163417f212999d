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
    let period = period.cloned().unwrap_or_else(|| {
        Period::range(last - chrono::Duration::days(182), last)
    });
    let mut detected = threads::detect(cases, signals, &period, last, cfg);
    threads::describe(&mut detected, cfg);
    score(truth, &detected)
}
