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
use crate::util::sets::jaccard;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// A planted thread as written by `rodedraad voorbeeld`.
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

/// Reads a `geplante-draden.json` as written by `rodedraad voorbeeld`.
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

/// Recall and precision over a set of seeds of `rodedraad voorbeeld`, with the number of threads
/// found in the null samples of the same seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedScores {
    pub recall: Vec<f64>,
    pub precision: Vec<f64>,
    pub null_threads: Vec<usize>,
}

impl SeedScores {
    pub fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len().max(1) as f64
    }
    pub fn worst(v: &[f64]) -> f64 {
        v.iter().copied().fold(1.0, f64::min)
    }
    /// A Dutch table row: mean and worst recall and precision, null samples (max and total).
    pub fn row(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {} | {} | {} | {} ({} in totaal) |",
            crate::nl::dec(Self::mean(&self.recall), 2),
            crate::nl::dec(Self::worst(&self.recall), 2),
            crate::nl::dec(Self::mean(&self.precision), 2),
            crate::nl::dec(Self::worst(&self.precision), 2),
            self.null_threads.iter().max().copied().unwrap_or(0),
            self.null_threads.iter().sum::<usize>()
        )
    }
}

/// The planted threads of a generated sample as the truth to score against.
pub fn planted_truth(data: &crate::sample::SampleData) -> Vec<Truth> {
    data.planted
        .iter()
        .map(|t| Truth {
            id: t.id.clone(),
            label: t.label.clone(),
            casus_ids: t.casus_ids.clone(),
        })
        .collect()
}

/// Scores the detection on the generated sample and the null sample of every seed.
pub fn seed_scores(seeds: impl Iterator<Item = u64>, cfg: &Config) -> SeedScores {
    use crate::sample::{generate, SampleOptions};
    let mut out = SeedScores {
        recall: Vec::new(),
        precision: Vec::new(),
        null_threads: Vec::new(),
    };
    for seed in seeds {
        let data = generate(&SampleOptions {
            seed,
            ..SampleOptions::default()
        });
        let truth = planted_truth(&data);
        let ev = evaluate(&data.cases, &data.signals, &truth, None, cfg);
        out.recall.push(ev.recall);
        out.precision.push(ev.precisie);
        let null = generate(&SampleOptions {
            seed,
            planted: false,
            ..SampleOptions::default()
        });
        out.null_threads
            .push(evaluate(&null.cases, &null.signals, &[], None, cfg).gedetecteerd);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twenty seeds of the sample with its seven planted kinds (codes, a small main theme, a
    /// rise, a text-only story), stock sentences and a workflow artefact, and their null
    /// samples with the same boilerplate; then three more disjoint sets of twenty seeds that
    /// played no part in choosing the method (101-120 confirmed it, 201-220 and 301-320 were
    /// each run fresh once, and then kept to confirm later changes; 401-420 was run fresh at
    /// the end and is in the README only). The issue's aims hold on all four: mean recall 0,9
    /// and precision 0,8, worst seed 0,75 each, null samples at most 1 thread (README, "Rode
    /// draden").
    #[test]
    fn forty_seeds_recall_precision_and_quiet_null_samples() {
        let cfg = Config::default_config();
        let sets = [
            ("1-20", seed_scores(1..=20, &cfg)),
            ("101-120", seed_scores(101..=120, &cfg)),
            ("201-220", seed_scores(201..=220, &cfg)),
            ("301-320", seed_scores(301..=320, &cfg)),
        ];
        eprintln!("| seeds | recall gem. | recall slechtst | precisie gem. | precisie slechtst | nulsteekproef max |");
        for (name, s) in &sets {
            eprintln!("{}", s.row(name));
        }
        for (name, s) in &sets {
            let (r, p) = (&s.recall, &s.precision);
            assert!(SeedScores::mean(r) >= 0.9, "{name}: {r:?}");
            assert!(SeedScores::worst(r) >= 0.75, "{name}: {r:?}");
            assert!(SeedScores::mean(p) >= 0.8, "{name}: {p:?}");
            assert!(SeedScores::worst(p) >= 0.75, "{name}: {p:?}");
            assert!(
                s.null_threads.iter().all(|&n| n <= 1),
                "{name}: null samples {:?}",
                s.null_threads
            );
        }
    }
}

#[cfg(test)]
mod diagnose {
    use super::*;

    /// Per seed: the planted threads missed, the detected threads that match none (with their
    /// pattern and table), the text clusters near the text-only thread and near every missed
    /// thread with how far they got, and the threads of the null
    /// sample (run by hand: `RD_SEED_FROM=101 RD_SEED_TO=120 cargo test --release --lib
    /// diagnose -- --ignored --nocapture`; seeds 1-20 by default).
    #[test]
    #[ignore]
    fn print_misses_per_seed() {
        use crate::sample::{generate, SampleOptions};
        let cfg = Config::default_config();
        let from: u64 = std::env::var("RD_SEED_FROM")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        let to: u64 = std::env::var("RD_SEED_TO")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(20);
        for seed in from..=to {
            let data = generate(&SampleOptions {
                seed,
                ..SampleOptions::default()
            });
            let truth = planted_truth(&data);
            let last = data.cases.iter().map(|c| c.ontvangen_op).max().unwrap();
            let period = Period::range(last - chrono::Duration::days(182), last);
            let (mut detected, ctx) =
                threads::detect_with_context(&data.cases, &data.signals, &period, last, &cfg);
            threads::describe(&mut detected, &cfg);
            let ev = score(&truth, &detected);
            let missed: Vec<String> = ev
                .per_draad
                .iter()
                .filter(|p| !p.gevonden)
                .map(|p| format!("{}({:.2})", p.geplant, p.jaccard))
                .collect();
            eprintln!(
                "seed {seed}: recall {:.2} precision {:.2} missed {:?}",
                ev.recall, ev.precisie, missed
            );
            for d in &detected {
                let set: BTreeSet<&str> = d.casus_ids.iter().map(String::as_str).collect();
                let ok = truth.iter().any(|t| {
                    jaccard(&set, &t.casus_ids.iter().map(String::as_str).collect()) >= 0.5
                });
                if !ok {
                    let st = &d.statistiek;
                    eprintln!(
                        "   false {:?} {} n={} p_bh={:?} kenmerken={:?} populatie={:?} table={:?}",
                        d.soort,
                        d.label,
                        d.n_casussen,
                        st.p_bh,
                        d.kenmerken,
                        st.populatie,
                        (st.a, st.b, st.c, st.d)
                    );
                }
            }
            let refs: Vec<&crate::model::Case> = data
                .cases
                .iter()
                .filter(|c| c.ontvangen_op <= last)
                .collect();
            let quarters = threads::quarter_axis(&refs, &period, last);
            let found = threads::text::text_threads(&refs, &quarters, &period, &cfg);
            let workflow = threads::structural::workflow(&refs, &cfg);
            for p in data.planted.iter().filter(|p| {
                ev.per_draad
                    .iter()
                    .any(|s| s.geplant == p.id && !s.gevonden)
            }) {
                eprintln!("   MISSED {} pattern {:?}", p.id, p.patroon);
                if !p.patroon.is_empty() {
                    for l in threads::structural::explain(&refs, &cfg, &workflow, &p.patroon) {
                        eprintln!("     {l}");
                    }
                    if let Some(thema) = p.patroon.get("thema") {
                        for l in
                            threads::trend::explain(&refs, &period, last, &quarters, &cfg, thema)
                        {
                            eprintln!("     {l}");
                        }
                    }
                }
            }
            let by_id: std::collections::HashMap<&str, &crate::model::Case> = data
                .cases
                .iter()
                .map(|c| (c.casus_id.as_str(), c))
                .collect();
            let with_text = threads::text::cases_with_summary(&refs);
            let base = threads::text::code_counts(&with_text);
            let missed_or_text = |t: &&Truth| {
                t.id == "D7"
                    || ev
                        .per_draad
                        .iter()
                        .any(|s| s.geplant == t.id && !s.gevonden)
            };
            for t in truth.iter().filter(missed_or_text) {
                let ts: BTreeSet<&str> = t.casus_ids.iter().map(String::as_str).collect();
                for c in &found.candidates {
                    let cs: BTreeSet<&str> = c.casus_ids.iter().map(String::as_str).collect();
                    let j = jaccard(&ts, &cs);
                    if j >= 0.2 {
                        let members: Vec<&crate::model::Case> =
                            cs.iter().map(|i| by_id[i]).collect();
                        let helpers: BTreeSet<&str> = members
                            .iter()
                            .map(|c| c.aandrager_id.as_deref().unwrap_or(&c.aandrager_type))
                            .collect();
                        eprintln!(
                            "   {} cand n={} overlap={} j={j:.2} p={:.3} {} dominant={:?} helpers={}",
                            t.id,
                            cs.len(),
                            ts.intersection(&cs).count(),
                            c.p,
                            c.fate,
                            threads::text::dominant_code(&members, (&base, with_text.len()), cfg.draden.tekst_max_hoofdthema),
                            helpers.len()
                        );
                    }
                }
            }
            let null = generate(&SampleOptions {
                seed,
                planted: false,
                ..SampleOptions::default()
            });
            let nlast = null.cases.iter().map(|c| c.ontvangen_op).max().unwrap();
            let nperiod = Period::range(nlast - chrono::Duration::days(182), nlast);
            let (mut nd, _) =
                threads::detect_with_context(&null.cases, &null.signals, &nperiod, nlast, &cfg);
            threads::describe(&mut nd, &cfg);
            for d in &nd {
                eprintln!(
                    "   NULL {:?} {} n={} h={} p_bh={:?} kenmerken={:?}",
                    d.soort, d.label, d.n_casussen, d.n_aandragers, d.statistiek.p_bh, d.kenmerken
                );
            }
            if std::env::var("RD_NOTES").is_ok() {
                for o in &ctx.opmerkingen {
                    eprintln!("   note {o}");
                }
            }
        }
    }
}
