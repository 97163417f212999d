//! Trend threads: main and sub themes whose count rises.
//!
//! Three tests, each where the data allow it:
//! - **Stap** (step test): the theme's share of the cases in the last three months up to the
//!   end of the period (or the peildatum) against its share before them: one-sided Fisher
//!   exact test on theme / rest of the intake by window / before. It needs at least three months of data before the window and works
//!   on short histories and partial quarters, because the total intake is the reference.
//! - **Poisson** trend test with the total intake per quarter as offset ([`poisson_trend`]),
//!   from [`MIN_POISSON_QUARTERS`] quarters: a steady growth of the share. Its factor per
//!   quarter is shown; it decides only where the step test cannot be used, because its
//!   likelihood-ratio p-value is too small on small counts (on samples without any rise it
//!   flagged a theme in one of ten).
//! - **EARS** (C1, C2 or C3 as configured) on the last full quarter overlapping the period,
//!   the history scaled to that quarter's intake (quarters with less than half the median
//!   intake left out); it needs `basis + 1` (C1), `basis + 3` (C2) or `basis + 5` (C3) full
//!   quarters. It is shown beside a rising theme but does not decide: its statistic, with a
//!   floor under the standard deviation, is no calibrated p-value, and without a correction
//!   for the number of themes it alarmed in one of four samples without any rise.
//!
//! The step test decides where it can be used, else the Poisson test (one pre-chosen test
//! per theme); Benjamini-Hochberg at `fdr_q` runs over the main and sub themes with at least
//! `min_casussen` cases that can reach significance at all: Tarone's rule on the smallest
//! p-value of each theme's step test (all its cases in the window), which depends on its
//! count only, keeps themes too small to ever pass out of the family. A rising theme also needs
//! `min_casussen` cases from `min_aandragers` helpers in the window. The analysis notes say
//! which tests could be used and why not.
//!
//! ```ignore
//! let mut notes = Vec::new();
//! let rising = trends(&cases, &period, reference_date, &quarters, cfg, &mut notes);
//! ```

use super::{
    finite, helper_of, new_thread, quarter_counts, stable_id, Statistic, Thread, ThreadKind,
};
use crate::analyse::methods::poisson::{poisson_trend, PoissonTrend};
use crate::analyse::methods::stats::{self, EarsMethod};
use crate::analyse::period::Period;
use crate::config::Config;
use crate::model::Case;
use crate::nl;
use chrono::{Duration, NaiveDate};
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
    (cfg.draden.ears_methode, cfg.draden.ears_methode.label())
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
                .entry(("thema", c.thema.to_string()))
                .or_default()
                .push(c);
        }
    }
    groups
}

/// Length of the recent window of the step test (three months).
pub const WINDOW_DAYS: i64 = 91;

/// One theme's evidence of a rise, per method.
struct Evidence<'a> {
    attr: &'static str,
    code: String,
    members: Vec<&'a Case>,
    /// Step test: cases in the window, expected there from the share before it, p.
    step: Option<(u64, f64, f64)>,
    /// The smallest p-value the step test can give this theme: all its cases in the window.
    step_min_p: Option<f64>,
    poisson: Option<PoissonTrend>,
    /// EARS at the last full quarter overlapping the period: value, threshold, baseline mean, p
    /// (shown beside the decision, not part of it).
    ears: Option<(f64, f64, f64, f64)>,
}

impl Evidence<'_> {
    /// The p-value that decides: the step test where it can be used, else the Poisson trend
    /// test; one pre-chosen test per theme, so no correction for several methods is needed.
    fn decisive(&self) -> Option<(f64, &'static str)> {
        match (&self.step, &self.poisson) {
            (Some((_, _, p)), _) => Some((*p, "stap")),
            (None, Some(f)) => Some((f.p, "poisson")),
            _ => None,
        }
    }
}

/// The evidence of every theme and the decision of the family.
struct Assessed<'a> {
    evidence: Vec<Evidence<'a>>,
    decisive: Vec<Option<(f64, &'static str)>>,
    ps: Vec<f64>,
    rejected: Vec<bool>,
    adjusted: Vec<f64>,
    window: Period,
    end: NaiveDate,
}

/// Tests every theme (see module docs); `notes` gets a Dutch line on the methods.
fn assess<'a>(
    cases: &[&'a Case],
    period: &Period,
    reference_date: NaiveDate,
    quarters: &[Period],
    cfg: &Config,
    notes: &mut Vec<String>,
) -> Assessed<'a> {
    let dc = &cfg.draden;
    let (method, name) = method_of(cfg);
    let needed = ears_quarters_needed(method, dc.ears_basis);
    let full = full_quarters(cases, quarters);
    let use_ears = full.len() >= needed;
    let use_poisson = quarters.len() >= MIN_POISSON_QUARTERS;
    let end = period.observed_end(reference_date);
    let window = Period::range(
        (end - Duration::days(WINDOW_DAYS - 1)).max(period.start),
        end,
    );
    let first = cases.iter().map(|c| c.ontvangen_op).min().unwrap_or(end);
    let use_step = (window.start - first).num_days() >= WINDOW_DAYS;
    notes.push(method_note(
        use_step,
        &window,
        use_poisson,
        quarters.len(),
        (use_ears, name, needed, full.len()),
    ));
    let all_dates: Vec<NaiveDate> = cases.iter().map(|c| c.ontvangen_op).collect();
    let totals: Vec<f64> = quarter_counts(&all_dates, quarters)
        .into_iter()
        .map(|x| x as f64)
        .collect();
    let full_totals = quarter_counts(&all_dates, &full);
    let intake = window_split(&all_dates, &window);
    let last_full = full
        .iter()
        .rposition(|q| q.end >= period.start && q.start <= period.end);
    let mut evidence: Vec<Evidence> = Vec::new();
    for ((attr, code), members) in groups(cases) {
        // A theme with fewer cases in all can never reach the minimum in the window: not tested
        // (this depends on the total only, not on how the cases fall in time).
        if members.len() < dc.min_casussen {
            continue;
        }
        let dates: Vec<NaiveDate> = members.iter().map(|c| c.ontvangen_op).collect();
        let step = use_step
            .then(|| step_test(&dates, &window, intake))
            .flatten();
        let step_min_p = step.map(|_| step_min_p(&dates, &window, intake));
        let poisson = use_poisson
            .then(|| {
                let counts: Vec<f64> = quarter_counts(&dates, quarters)
                    .into_iter()
                    .map(|x| x as f64)
                    .collect();
                poisson_trend(&counts, &totals)
            })
            .flatten();
        let ears = match (use_ears, last_full) {
            (true, Some(t)) => ears_at(&dates, &full, &full_totals, t, cfg, method),
            _ => None,
        };
        evidence.push(Evidence {
            attr,
            code,
            members,
            step,
            step_min_p,
            poisson,
            ears,
        });
    }
    let decisive: Vec<Option<(f64, &'static str)>> =
        evidence.iter().map(Evidence::decisive).collect();
    // Tarone's rule on the smallest p-value each theme's test can reach (from its total count
    // only, not from how its cases fall in time): themes that can never be significant do not
    // enter the Benjamini-Hochberg family.
    let min_ps: Vec<f64> = evidence
        .iter()
        .zip(&decisive)
        .map(|(ev, d)| match (d, ev.step_min_p) {
            (None, _) => f64::NAN,
            (Some(_), Some(m)) => m,
            (Some(_), None) => 0.0,
        })
        .collect();
    let (_, testable) = stats::tarone(&min_ps, dc.fdr_q);
    let family = testable.len();
    let ps: Vec<f64> = decisive
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            Some((p, _)) if testable.contains(&i) => *p,
            _ => f64::NAN,
        })
        .collect();
    let tested = ps.iter().filter(|p| !p.is_nan()).count();
    notes.push(format!(
        "Trend: {} van de {} thema's met minstens {} casussen kunnen de toets halen (regel van Tarone); Benjamini-Hochberg over die {}.",
        nl::int(tested as i64),
        nl::int(evidence.len() as i64),
        nl::int(dc.min_casussen as i64),
        nl::int(family as i64)
    ));
    let (rejected, adjusted) = stats::benjamini_hochberg_family(&ps, family, dc.fdr_q);
    Assessed {
        evidence,
        decisive,
        ps,
        rejected,
        adjusted,
        window,
        end,
    }
}

/// Trend threads (see module docs); `notes` gets a Dutch line on the methods.
pub(super) fn trends(
    cases: &[&Case],
    period: &Period,
    reference_date: NaiveDate,
    quarters: &[Period],
    cfg: &Config,
    notes: &mut Vec<String>,
) -> Vec<Thread> {
    let dc = &cfg.draden;
    let a = assess(cases, period, reference_date, quarters, cfg, notes);
    let label_quarter = Period::quarter_of(a.end);
    let mut out = Vec::new();
    for (i, ev) in a.evidence.iter().enumerate() {
        let Some((p, method)) = a.decisive[i] else {
            continue;
        };
        if p.is_nan() || a.ps[i].is_nan() {
            continue;
        }
        let in_window: Vec<&Case> = ev
            .members
            .iter()
            .copied()
            .filter(|c| a.window.contains(c.ontvangen_op))
            .collect();
        if !a.rejected[i]
            || in_window.len() < dc.min_casussen
            || !enough_helpers(&in_window, &a.window, cfg)
        {
            continue;
        }
        let (count, verwacht) = ev
            .step
            .map(|(x, e, _)| (x as f64, e))
            .unwrap_or((in_window.len() as f64, f64::NAN));
        let statistiek = Statistic {
            populatie: Some("alle casussen".into()),
            a: Some(count),
            verwacht: finite(verwacht),
            p: Some(p),
            p_bh: Some(a.adjusted[i]),
            trend_methode: Some(method.into()),
            trend_factor: ev.poisson.map(|f| f.rate_ratio),
            ears_waarde: ev.ears.map(|e| e.0),
            ears_drempel: ev.ears.map(|e| e.1),
            ..Default::default()
        };
        let score = -a.adjusted[i].max(1e-12).log10() + count.sqrt();
        out.push(trend_thread(
            ev.attr,
            &ev.code,
            &label_quarter,
            &ev.members,
            statistiek,
            score,
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

/// For the evaluation: the evidence of one theme (code at either level) and the family.
#[cfg(test)]
pub(crate) fn explain(
    cases: &[&Case],
    period: &Period,
    reference_date: NaiveDate,
    quarters: &[Period],
    cfg: &Config,
    code: &str,
) -> Vec<String> {
    let mut notes = Vec::new();
    let a = assess(cases, period, reference_date, quarters, cfg, &mut notes);
    let family = a.ps.iter().filter(|p| !p.is_nan()).count();
    let mut out = vec![format!(
        "trend window {} family {family} rejected {}",
        a.window.date_range(),
        a.rejected.iter().filter(|r| **r).count()
    )];
    for (i, ev) in a.evidence.iter().enumerate() {
        if ev.code != code && ev.code != code.split('.').next().unwrap_or("") {
            continue;
        }
        let in_window = ev
            .members
            .iter()
            .filter(|c| a.window.contains(c.ontvangen_op))
            .count();
        out.push(format!(
            "  {}={} n={} window={in_window} step={:?} step_min_p={:?} poisson={:?} decisive={:?} in_family={} adj={:.3} rejected={}",
            ev.attr,
            ev.code,
            ev.members.len(),
            ev.step,
            ev.step_min_p,
            ev.poisson.map(|f| (f.rate_ratio, f.p)),
            a.decisive[i],
            !a.ps[i].is_nan(),
            a.adjusted[i],
            a.rejected[i]
        ));
    }
    out
}

/// The Dutch note on which trend methods could be used and why.
fn method_note(
    use_step: bool,
    window: &Period,
    use_poisson: bool,
    n_quarters: usize,
    (use_ears, name, needed, full): (bool, &str, usize, usize),
) -> String {
    let step = if use_step {
        format!(
            "stap-toets op de laatste drie maanden ({}) tegen het aandeel in de instroom daarvoor",
            window.date_range()
        )
    } else {
        "geen stap-toets (minder dan drie maanden gegevens vóór de laatste drie maanden)"
            .to_string()
    };
    let poisson = if use_poisson {
        format!(
            "Poisson-trendtoets over {} kwartalen",
            nl::int(n_quarters as i64)
        )
    } else {
        format!(
            "geen Poisson-trendtoets ({} kwartalen, minstens {} nodig)",
            nl::int(n_quarters as i64),
            nl::int(MIN_POISSON_QUARTERS as i64)
        )
    };
    let ears = if use_ears {
        format!(
            "EARS {name} over {} volledige kwartalen",
            nl::int(full as i64)
        )
    } else {
        format!(
            "geen EARS {name} (minstens {} volledige kwartalen nodig, er zijn er {})",
            nl::int(needed as i64),
            nl::int(full as i64)
        )
    };
    format!(
        "Trend: {step}; {poisson}; {ears}. De stap-toets beslist (zonder stap-toets de Poisson-toets), met Benjamini-Hochberg over de thema's; de Poisson-factor en EARS staan er ter informatie bij."
    )
}

/// Total intake in the window and before it.
fn window_split(dates: &[NaiveDate], window: &Period) -> (u64, u64) {
    let inside = dates.iter().filter(|d| window.contains(**d)).count() as u64;
    let before = dates.iter().filter(|d| **d < window.start).count() as u64;
    (inside, before)
}

/// The step test: given a theme's cases in and before the window, is its share of the cases
/// in the window larger than its share before it? The 2x2 table theme / rest of the intake by
/// window / before, one-sided Fisher exact test (conditional on the theme's count and the
/// window's intake, so the comparison with the rest of the intake is exact). Returns the count
/// in the window, the count expected there (`n · T_in / T`) and p.
fn step_test(
    dates: &[NaiveDate],
    window: &Period,
    (t_in, t_before): (u64, u64),
) -> Option<(u64, f64, f64)> {
    let (x, before) = window_split(dates, window);
    let n = x + before;
    if n == 0 || t_in <= x || t_before <= before {
        return None;
    }
    let table = stats::TwoByTwo {
        a: x as f64,
        b: before as f64,
        c: (t_in - x) as f64,
        d: (t_before - before) as f64,
    };
    let expected = n as f64 * t_in as f64 / (t_in + t_before) as f64;
    Some((x, expected, stats::disproportionality(&table).p_fisher))
}

/// The smallest p-value of [`step_test`] for a theme with these cases: all of them in the
/// window (Tarone). It depends on the theme's count and the intake only.
fn step_min_p(dates: &[NaiveDate], window: &Period, (t_in, t_before): (u64, u64)) -> f64 {
    let (x, before) = window_split(dates, window);
    stats::fisher_min_p(x + before, t_in, t_in + t_before)
}

/// EARS at quarter `t` of the full quarters, the history scaled to that quarter's intake;
/// the p-value is that of the EARS statistic read as a z-score.
fn ears_at(
    dates: &[NaiveDate],
    full: &[Period],
    totals: &[u64],
    t: usize,
    cfg: &Config,
    method: EarsMethod,
) -> Option<(f64, f64, f64, f64)> {
    let dc = &cfg.draden;
    let counts = quarter_counts(dates, full);
    let now = totals[t];
    let scaled: Vec<f64> = counts[..=t]
        .iter()
        .zip(&totals[..=t])
        .map(|(&n, &tt)| {
            if tt == 0 {
                0.0
            } else {
                n as f64 * now as f64 / tt as f64
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
    let r = res.get(t)?.as_ref()?;
    let p = if r.value.is_finite() {
        1.0 - stats::norm_cdf(r.value)
    } else if r.value > 0.0 {
        0.0
    } else {
        1.0
    };
    Some((r.value, r.threshold, r.baseline_mean, p))
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
