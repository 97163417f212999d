//! Trend threads: main and sub themes whose count rises.
//!
//! Two methods, a theme rises when either alarms:
//! - EARS (C1, C2 or C3 as configured) compares a quarter with earlier ones, the history
//!   scaled to the quarter's total intake; quarters with less than half the median intake
//!   (the first month of the data, a running quarter) are left out. EARS needs a baseline:
//!   C1 `basis + 1` full quarters, C2 `basis + 3`, C3 `basis + 5`.
//! - The Poisson trend test with the total intake as offset ([`poisson_trend`]) on all
//!   quarters, from [`MIN_POISSON_QUARTERS`] on, Benjamini-Hochberg over all themes at
//!   `fdr_q`: it works on short histories and partial quarters.
//!
//! The analysis notes say which methods could be used and why.
//!
//! ```ignore
//! let mut notes = Vec::new();
//! let rising = trends(&cases, &period, &quarters, cfg, &mut notes);
//! ```

use super::{helper_of, new_thread, quarter_counts, stable_id, Statistic, Thread, ThreadKind};
use crate::analyse::methods::poisson::poisson_trend;
use crate::analyse::methods::stats::{self, EarsMethod};
use crate::analyse::period::Period;
use crate::config::Config;
use crate::model::Case;
use crate::nl;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// The Poisson trend test needs at least this many quarters.
pub const MIN_POISSON_QUARTERS: usize = 4;

/// Quarters EARS needs before it can alarm.
pub fn ears_quarters_needed(method: EarsMethod, basis: usize) -> usize {
    match method {
        EarsMethod::C1 => basis + 1,
        EarsMethod::C2 => basis + 3,
        EarsMethod::C3 => basis + 5,
    }
}

fn method_of(cfg: &Config) -> (EarsMethod, &'static str) {
    match cfg.draden.ears_methode.to_uppercase().as_str() {
        "C1" => (EarsMethod::C1, "C1"),
        "C3" => (EarsMethod::C3, "C3"),
        _ => (EarsMethod::C2, "C2"),
    }
}

type Groups<'a> = BTreeMap<(&'static str, String), Vec<&'a Case>>;

fn groups<'a>(cases: &[&'a Case]) -> Groups<'a> {
    let mut groups: Groups = BTreeMap::new();
    for c in cases {
        groups
            .entry(("thema_hoofd", c.main_theme().to_string()))
            .or_default()
            .push(c);
        if c.thema.contains('.') {
            groups
                .entry(("thema", c.thema.clone()))
                .or_default()
                .push(c);
        }
    }
    groups
}

/// Trend threads (see module docs); `notes` gets a Dutch line on the method.
pub(super) fn trends(
    cases: &[&Case],
    period: &Period,
    quarters: &[Period],
    cfg: &Config,
    notes: &mut Vec<String>,
) -> Vec<Thread> {
    let (method, name) = method_of(cfg);
    let needed = ears_quarters_needed(method, cfg.draden.ears_basis);
    let full = full_quarters(cases, quarters);
    let k = full.len();
    let mut out = Vec::new();
    if k >= needed {
        notes.push(format!(
            "Trend: EARS {name} over {} kwartalen (minstens {} nodig; kwartalen met minder dan de helft van de gewone instroom, zoals een begonnen kwartaal, tellen niet mee).",
            nl::int(k as i64),
            nl::int(needed as i64)
        ));
        out = ears_trends(cases, period, &full, cfg, method);
    } else {
        notes.push(format!(
            "Trend: EARS {name} heeft minstens {} volledige kwartalen nodig en er zijn er {}; EARS kan dus nog niet alarmeren.",
            nl::int(needed as i64),
            nl::int(k as i64)
        ));
    }
    if quarters.len() >= MIN_POISSON_QUARTERS {
        notes.push(format!(
            "Trend: Poisson-trendtoets op het aandeel in de instroom over {} kwartalen (vanaf {} kwartalen bruikbaar).",
            nl::int(quarters.len() as i64),
            nl::int(MIN_POISSON_QUARTERS as i64)
        ));
        for t in poisson_trends(cases, period, quarters, cfg) {
            if !out.iter().any(|o| o.id == t.id) {
                out.push(t);
            }
        }
    } else {
        notes.push(format!(
            "Trend: te weinig kwartalen ({}) voor een trend; de Poisson-trendtoets heeft er minstens {} nodig.",
            nl::int(quarters.len() as i64),
            nl::int(MIN_POISSON_QUARTERS as i64)
        ));
    }
    // A main theme that rises because one of its sub-themes rises: keep the sub-theme only.
    let subs: Vec<String> = out
        .iter()
        .filter_map(|d| d.kenmerken.get("thema").cloned())
        .collect();
    out.retain(|d| match d.kenmerken.get("thema_hoofd") {
        Some(h) => !subs.iter().any(|s| s.split('.').next() == Some(h.as_str())),
        None => true,
    });
    out
}

/// The quarters with at least half the median intake: EARS scales history to the latest
/// quarter's intake, and a partial quarter (the first month of the data, a quarter still
/// running) would blow up or shrink every count.
fn full_quarters(cases: &[&Case], quarters: &[Period]) -> Vec<Period> {
    let dates: Vec<NaiveDate> = cases.iter().map(|c| c.ontvangen_op).collect();
    let totals = quarter_counts(&dates, quarters);
    let mut sorted: Vec<u64> = totals.iter().copied().filter(|&t| t > 0).collect();
    sorted.sort_unstable();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0);
    quarters
        .iter()
        .zip(&totals)
        .filter(|(_, &t)| t > 0 && 2 * t >= median)
        .map(|(q, _)| q.clone())
        .collect()
}

/// The last quarter overlapping the period, with the group's count in it, when enough helpers.
fn enough_helpers(members: &[&Case], q: &Period, cfg: &Config) -> bool {
    let helpers: BTreeSet<&str> = members
        .iter()
        .filter(|c| q.contains(c.ontvangen_op))
        .map(|c| helper_of(c))
        .collect();
    helpers.len() >= cfg.draden.min_aandragers
}

fn trend_thread(
    attr: &str,
    code: &str,
    q: &Period,
    members: &[&Case],
    statistiek: Statistic,
    score: f64,
) -> Thread {
    let id = stable_id("trend", &[(attr, code)]);
    let mut kenmerken = BTreeMap::new();
    kenmerken.insert(attr.to_string(), code.to_string());
    kenmerken.insert("kwartaal".into(), q.label.clone());
    let ids: Vec<String> = members.iter().map(|c| c.casus_id.clone()).collect();
    new_thread(id, ThreadKind::Trend, kenmerken, ids, statistiek, score)
}

fn poisson_trends(
    cases: &[&Case],
    period: &Period,
    quarters: &[Period],
    cfg: &Config,
) -> Vec<Thread> {
    let dc = &cfg.draden;
    let all_dates: Vec<NaiveDate> = cases.iter().map(|c| c.ontvangen_op).collect();
    let totals: Vec<f64> = quarter_counts(&all_dates, quarters)
        .into_iter()
        .map(|x| x as f64)
        .collect();
    let Some(last) = quarters
        .iter()
        .rposition(|q| q.end >= period.start && q.start <= period.end)
    else {
        return Vec::new();
    };
    let groups = groups(cases);
    let mut fits = Vec::new();
    for ((attr, code), members) in &groups {
        let dates: Vec<NaiveDate> = members.iter().map(|c| c.ontvangen_op).collect();
        let counts: Vec<f64> = quarter_counts(&dates, quarters)
            .into_iter()
            .map(|x| x as f64)
            .collect();
        if let Some(fit) = poisson_trend(&counts, &totals) {
            fits.push((*attr, code.clone(), members, counts[last], fit));
        }
    }
    let ps: Vec<f64> = fits.iter().map(|f| f.4.p).collect();
    let (rejected, adjusted) = stats::benjamini_hochberg(&ps, dc.fdr_q);
    let mut out = Vec::new();
    for ((attr, code, members, n_last, fit), (r, q)) in
        fits.into_iter().zip(rejected.into_iter().zip(adjusted))
    {
        let quarter = &quarters[last];
        if !r
            || fit.b1 <= 0.0
            || n_last < dc.min_casussen as f64
            || !enough_helpers(members, quarter, cfg)
        {
            continue;
        }
        let expected_last = totals[last] * (fit.b0 + fit.b1 * (last as f64)).exp();
        let statistiek = Statistic {
            populatie: Some("alle casussen".into()),
            a: Some(n_last),
            verwacht: Some(expected_last / fit.rate_ratio),
            p: Some(fit.p),
            p_bh: Some(q),
            trend_methode: Some("poisson".into()),
            trend_factor: Some(fit.rate_ratio),
            ..Default::default()
        };
        let score = -q.max(1e-12).log10() + n_last.sqrt();
        out.push(trend_thread(
            attr, &code, quarter, members, statistiek, score,
        ));
    }
    out
}

fn ears_trends(
    cases: &[&Case],
    period: &Period,
    quarters: &[Period],
    cfg: &Config,
    method: EarsMethod,
) -> Vec<Thread> {
    let dc = &cfg.draden;
    let all_dates: Vec<NaiveDate> = cases.iter().map(|c| c.ontvangen_op).collect();
    let totals = quarter_counts(&all_dates, quarters);
    let Some(&last_total) = totals.last() else {
        return Vec::new();
    };
    let groups = groups(cases);
    let mut out = Vec::new();
    for ((attr, code), members) in groups {
        let dates: Vec<NaiveDate> = members.iter().map(|c| c.ontvangen_op).collect();
        let counts = quarter_counts(&dates, quarters);
        // Scale history to the current total intake so that growth alone does not alarm.
        let scaled: Vec<f64> = counts
            .iter()
            .zip(&totals)
            .map(|(&n, &t)| {
                if t == 0 {
                    0.0
                } else {
                    n as f64 * last_total as f64 / t as f64
                }
            })
            .collect();
        let res = stats::ears(
            &scaled,
            method,
            dc.ears_basis,
            dc.ears_min_sigma,
            dc.ears_alpha,
        );
        let alarm = quarters
            .iter()
            .zip(&res)
            .zip(&counts)
            .rev()
            .find(|((q, r), n)| {
                q.end >= period.start
                    && q.start <= period.end
                    && r.as_ref().is_some_and(|r| r.alarm)
                    && **n >= dc.min_casussen as u64
            });
        let Some(((q, Some(r)), n)) = alarm else {
            continue;
        };
        if !enough_helpers(&members, q, cfg) {
            continue;
        }
        let statistiek = Statistic {
            populatie: Some("alle casussen".into()),
            ears_waarde: Some(r.value),
            ears_drempel: Some(r.threshold),
            a: Some(*n as f64),
            verwacht: Some(r.baseline_mean),
            trend_methode: Some("ears".into()),
            ..Default::default()
        };
        let score = (r.value - r.threshold).max(0.0) + (*n as f64).sqrt();
        out.push(trend_thread(attr, &code, q, &members, statistiek, score));
    }
    out
}
