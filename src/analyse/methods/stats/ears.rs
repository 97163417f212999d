//! EARS C1/C2/C3 aberration detection on a series of counts.

use super::*;

/// EARS variant, as in R `surveillance::earsC`; a setting, so it is defined in `config`.
pub use crate::config::EarsMethod;

/// Result of one EARS evaluation at a time point.
///
/// `value` is the method's statistic (C1, C2 or C3, a standardised score), `threshold` is
/// z = qnorm(1 − alpha) and `alarm` is `value > threshold` (strict, as surveillance's
/// `observed > upperbound`). `baseline_mean` and `baseline_sd` describe the baseline window
/// of time t (for C3: the C2 window of t); `baseline_sd` is the sd actually used, i.e.
/// max(sample sd, min_sigma). For C1/C2 the alarm limit on the count scale is
/// [`EarsResult::upper_bound`] = baseline_mean + threshold · baseline_sd.
#[derive(Debug, Clone, PartialEq)]
pub struct EarsResult {
    pub method: &'static str,
    pub value: f64,
    pub threshold: f64,
    pub alarm: bool,
    pub baseline_mean: f64,
    pub baseline_sd: f64,
}

impl EarsResult {
    /// The count above which C1/C2 raise an alarm (surveillance's `upperbound`);
    /// `None` for C3, whose limit also depends on the two previous periods.
    pub fn upper_bound(&self) -> Option<f64> {
        match self.method {
            "C1" | "C2" => Some(self.baseline_mean + self.threshold * self.baseline_sd),
            _ => None,
        }
    }
}

/// Mean and sample sd (n − 1 denominator, as R's `sd`) of a window.
pub(super) fn mean_sd(window: &[f64]) -> (f64, f64) {
    let n = window.len() as f64;
    let mean = window.iter().sum::<f64>() / n;
    let ss: f64 = window.iter().map(|x| (x - mean) * (x - mean)).sum();
    (mean, (ss / (n - 1.0)).sqrt())
}

/// Standardised score (y − mean)/sd with 0/0 defined as 0 (an observation equal to a constant
/// baseline is not an excess); y > mean with sd = 0 gives +inf.
pub(super) fn zscore(y: f64, mean: f64, sd: f64) -> f64 {
    let num = y - mean;
    if num == 0.0 {
        0.0
    } else {
        num / sd
    }
}

/// EARS C1/C2/C3 aberration detection on a count series (one value per period, oldest first),
/// with the semantics of R `surveillance::earsC` (Fricker et al. 2008; Salmon et al. 2016):
///
/// * C1 at t: baseline = counts[t-baseline ..= t-1]; statistic (y_t − mean)/sd.
/// * C2 at t: baseline = counts[t-baseline-2 ..= t-3] (guard band of 2); same statistic.
/// * C3 at t: sum of max(0, C2(s) − 1) for s = t−2, t−1, t (the documented C3 statistic).
///
/// sd is the sample sd of the baseline replaced by `max(sd, min_sigma)` (Burkom suggests
/// min_sigma 0.5 or 1 for sparse counts); a zero numerator counts as score 0 even when the
/// sd is 0. The threshold is qnorm(1 − alpha); surveillance's defaults are alpha = 0.001 for
/// C1/C2 and 0.025 for C3, baseline 7.
///
/// The result has one entry per input period: `None` where there is not enough history
/// (t < baseline for C1, t < baseline + 2 for C2, t < baseline + 4 for C3), and everywhere when
/// `baseline < 3` (surveillance refuses such baselines) or `alpha` is not in (0, 1).
///
/// Note: for C1 and C2 the alarm is exactly surveillance's `observed > upperbound`. For C3
/// surveillance's code computes its upper bound from the observed count itself; this
/// function applies the documented rule C3(t) > z instead, so C3 alarms may differ from
/// surveillance in edge cases.
pub fn ears(
    counts: &[f64],
    method: EarsMethod,
    baseline: usize,
    min_sigma: f64,
    alpha: f64,
) -> Vec<Option<EarsResult>> {
    let n = counts.len();
    let mut out: Vec<Option<EarsResult>> = vec![None; n];
    if baseline < 3 || !(alpha > 0.0 && alpha < 1.0) {
        return out;
    }
    let z = norm_quantile(1.0 - alpha);
    let min_sigma = if min_sigma.is_nan() {
        0.0
    } else {
        min_sigma.max(0.0)
    };
    // Baseline statistics of C1 (lag 1) or C2 (lag 3) at time t, when available.
    let window_stats = |t: usize, lag: usize| -> Option<(f64, f64)> {
        if t < baseline + lag - 1 {
            return None;
        }
        let end = t + 1 - lag; // exclusive
        let (mean, sd) = mean_sd(&counts[end - baseline..end]);
        Some((mean, sd.max(min_sigma)))
    };
    for (t, slot) in out.iter_mut().enumerate() {
        let result = match method {
            EarsMethod::C1 | EarsMethod::C2 => {
                let lag = if method == EarsMethod::C1 { 1 } else { 3 };
                window_stats(t, lag).map(|(mean, sd)| {
                    let value = zscore(counts[t], mean, sd);
                    (value, mean, sd)
                })
            }
            EarsMethod::C3 => {
                if t < baseline + 4 {
                    None
                } else {
                    // C2 score and window of t-2, t-1 and t (all available once t >= baseline + 4).
                    let parts: Option<Vec<(f64, f64, f64)>> = (t - 2..=t)
                        .map(|s| {
                            window_stats(s, 3)
                                .map(|(mean, sd)| (zscore(counts[s], mean, sd), mean, sd))
                        })
                        .collect();
                    parts.map(|parts| {
                        let sum = parts.iter().map(|p| (p.0 - 1.0).max(0.0)).sum();
                        (sum, parts[2].1, parts[2].2)
                    })
                }
            }
        };
        *slot = result.map(|(value, mean, sd)| EarsResult {
            method: method.label(),
            value,
            threshold: z,
            alarm: value > z,
            baseline_mean: mean,
            baseline_sd: sd,
        });
    }
    out
}
