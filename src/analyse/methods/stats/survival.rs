//! Kaplan-Meier survival for lead times: the curve, its quantiles and Greenwood intervals.

use super::*;

/// One step of a Kaplan-Meier curve: at event time `t`, `at_risk` cases were still open
/// (time >= t), `events` of them closed at `t`, and `survival` is the estimated share still
/// open just after `t`.
#[derive(Debug, Clone, PartialEq)]
pub struct KmStep {
    pub t: f64,
    pub at_risk: u64,
    pub events: u64,
    pub survival: f64,
}

/// Kaplan-Meier product-limit estimate. `times[i]` is the (lead) time of case `i`, `event[i]`
/// is `true` when the case was closed at that time and `false` when it was still open
/// (right-censored). Steps are emitted only at times with at least one event, in ascending order.
///
/// Conventions: a case censored at the same time as an event counts as at risk at that time
/// (the usual convention); pairs are taken up to the shorter of the two slices; NaN times are
/// ignored. Survival reaches 0 only when the last remaining case closes.
pub fn kaplan_meier(times: &[f64], event: &[bool]) -> Vec<KmStep> {
    let mut obs: Vec<(f64, bool)> = times
        .iter()
        .zip(event.iter())
        .filter(|(t, _)| !t.is_nan())
        .map(|(&t, &e)| (t, e))
        .collect();
    obs.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut at_risk = obs.len() as u64;
    let mut survival = 1.0;
    let mut steps = Vec::new();
    let mut i = 0;
    while i < obs.len() {
        let t = obs[i].0;
        let mut j = i;
        let mut events = 0u64;
        while j < obs.len() && obs[j].0 == t {
            if obs[j].1 {
                events += 1;
            }
            j += 1;
        }
        if events > 0 {
            survival *= 1.0 - events as f64 / at_risk as f64;
            steps.push(KmStep {
                t,
                at_risk,
                events,
                survival,
            });
        }
        at_risk -= (j - i) as u64;
        i = j;
    }
    steps
}

/// Median survival time as R `survival` computes it: [`km_quantile`] at 0,5.
pub fn km_median(steps: &[KmStep], last_time: f64) -> Option<f64> {
    km_quantile(steps, 0.5, last_time)
}

/// The time by which a share `p` of the cases has closed (`1 - S(t) >= p`), as R `survival`
/// (`quantile.survfit`) computes it: the first step where the curve reaches `1 - p`; when the
/// curve lies *exactly* at `1 - p` over an interval, the midpoint of that interval (the next
/// step, or `last_time`, the largest observed time, when the flat runs to the end of the
/// curve). `None` when the curve never gets there (too many cases still open).
///
/// Uncensored times 10, 20, 30, 40: S = 0,75 0,5 0,25 0, so the median is (20 + 30) / 2 = 25,
/// the same as the ordinary median of the four times.
pub fn km_quantile(steps: &[KmStep], p: f64, last_time: f64) -> Option<f64> {
    // R uses sqrt(.Machine$double.eps) as the tolerance for "exactly on the flat".
    let tol = f64::EPSILON.sqrt();
    let i = steps.iter().position(|s| 1.0 - s.survival + tol >= p)?;
    let on_flat = 1.0 - steps[i].survival - tol < p;
    if !on_flat {
        return Some(steps[i].t);
    }
    let next = steps.get(i + 1).map(|s| s.t).unwrap_or(last_time);
    Some((steps[i].t + next) / 2.0)
}

/// S(t): the estimated share still open just after `t` (1 before the first step).
pub fn km_survival_at(steps: &[KmStep], t: f64) -> f64 {
    steps
        .iter()
        .take_while(|s| s.t <= t)
        .last()
        .map(|s| s.survival)
        .unwrap_or(1.0)
}

/// 95% interval of S(t) with Greenwood's variance on the log scale (R `survfit`'s default
/// `conf.type = "log"`): S * exp(±z * sqrt(sum d / (n (n - d)))) over the steps up to `t`,
/// the upper bound clamped to 1. `None` when S(t) is 0 (every case at risk closed), where the
/// log interval is undefined.
pub fn km_interval_at(steps: &[KmStep], t: f64) -> Option<(f64, f64)> {
    let s = km_survival_at(steps, t);
    if s <= 0.0 {
        return None;
    }
    let var: f64 = steps
        .iter()
        .take_while(|x| x.t <= t)
        .map(|x| x.events as f64 / (x.at_risk as f64 * (x.at_risk - x.events) as f64))
        .sum();
    let half = Z_95 * var.sqrt();
    Some((s * (-half).exp(), (s * half.exp()).min(1.0)))
}
