//! Pure statistical functions used by the indicator and signal analyses: proportions with
//! Wilson intervals, order statistics, Kaplan-Meier survival for lead times, disproportionality
//! measures for 2x2 tables (IC, PRR, ROR, chi-square, Fisher), Benjamini-Hochberg FDR control and
//! EARS C1/C2/C3 aberration detection. No I/O, no allocation beyond result vectors, no panics on
//! degenerate input (see each function for what it returns then).
//!
//! ```ignore
//! use crate::analyse::methods::stats::{wilson, median, benjamini_hochberg};
//! let (lo, hi) = wilson(81, 263).unwrap(); // (0.2553, 0.3662)
//! assert!(lo < 81.0 / 263.0 && 81.0 / 263.0 < hi);
//! assert_eq!(median(&[1.0, 2.0, 4.0, 9.0]), Some(3.0));
//! let (rejected, adjusted) = benjamini_hochberg(&[0.001, 0.2, 0.03], 0.05);
//! assert_eq!(rejected, vec![true, false, true]); // adjusted: 0.003, 0.2, 0.045
//! ```
//!
//! Numerical helpers (`ln_gamma`, `erfc`, `norm_quantile`, and the regularised incomplete gamma
//! behind them) are implemented here from the textbook algorithms (Lanczos approximation,
//! series / continued fraction for the incomplete gamma, Halley-refined normal quantile), so
//! the crate needs no numerical dependency.

use std::f64::consts::PI;

/// 97.5% quantile of the standard normal distribution, used for all 95% intervals here.
const Z_95: f64 = 1.959964;

// ---------------------------------------------------------------------------------------------
// Proportions and order statistics
// ---------------------------------------------------------------------------------------------

/// 95% Wilson score interval for `k` successes out of `n` (z = 1.959964, Newcombe 1998 method 3).
///
/// Returns `None` when `n == 0` or when `k > n` (not a proportion). Bounds are clamped to
/// `[0, 1]` so that rounding never produces a bound just outside the unit interval.
pub fn wilson(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 || k > n {
        return None;
    }
    let nf = n as f64;
    let p = k as f64 / nf;
    let z2 = Z_95 * Z_95;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = Z_95 * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    let mut lo = (centre - half).max(0.0);
    let mut hi = (centre + half).min(1.0);
    // Exact endpoints for the boundary cases (the formula gives them up to rounding).
    if k == 0 {
        lo = 0.0;
    }
    if k == n {
        hi = 1.0;
    }
    Some((lo, hi))
}

/// Median of an ascending-sorted slice; the mean of the two middle values for an even count.
/// `None` for an empty slice. The caller must sort (NaN-free) beforehand.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    if n % 2 == 1 {
        Some(sorted[n / 2])
    } else {
        Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0)
    }
}

/// Quantile of an ascending-sorted slice by linear interpolation between order statistics
/// (Hyndman & Fan type 7, the default of R's `quantile()` and of numpy's `percentile`):
/// with `h = (n - 1) * p`, the result is `x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])`
/// (0-based indices). So `p = 0` gives the minimum, `p = 1` the maximum and `p = 0.5` the median.
///
/// `None` for an empty slice or when `p` is NaN or outside `[0, 1]`.
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    if lo + 1 >= n {
        return Some(sorted[n - 1]);
    }
    let frac = h - lo as f64;
    Some(sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]))
}

// ---------------------------------------------------------------------------------------------
// Kaplan-Meier
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Disproportionality
// ---------------------------------------------------------------------------------------------

/// A 2x2 contingency table: `a` = pattern and outcome, `b` = pattern without outcome,
/// `c` = outcome without pattern, `d` = neither.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoByTwo {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
}

/// All disproportionality measures for one 2x2 table (see [`disproportionality`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Disproportionality {
    pub expected: f64,
    pub ic: f64,
    pub ic025: f64,
    pub ic975: f64,
    pub prr: f64,
    pub prr_lo: f64,
    pub prr_hi: f64,
    pub ror: f64,
    pub ror_lo: f64,
    pub ror_hi: f64,
    pub chi2_yates: f64,
    pub p_chi2: f64,
    pub p_fisher: f64,
}

/// Disproportionality measures for a 2x2 table.
///
/// * `expected` E = (a+b)(a+c)/N with N = a+b+c+d.
/// * `ic` = log2((a+0.5)/(E+0.5)), the shrunk information component (Norén et al. 2006/2013).
/// * `ic025`/`ic975`: **exact** 2.5% and 97.5% quantiles of the posterior of the shrunk
///   observed-to-expected ratio, Gamma(shape a+0.5, rate E+0.5), on the log2 scale
///   (Norén, Hopstadius & Bate 2013). The closed-form approximation of that paper is available
///   as [`ic_interval_approx`] for comparison.
/// * `prr` = (a/(a+b)) / (c/(c+d)) with 95% CI exp(ln PRR ± 1.96·sqrt(1/a − 1/(a+b) + 1/c − 1/(c+d))).
/// * `ror` = ad/bc with 95% CI exp(ln ROR ± 1.96·sqrt(1/a + 1/b + 1/c + 1/d)).
/// * `chi2_yates`: Pearson chi-square with Yates' continuity correction, where (as in R's
///   `chisq.test`) the correction is capped at |ad − bc|/N so it never overshoots:
///   N·(|ad−bc| − min(N/2, |ad−bc|))² / ((a+b)(c+d)(a+c)(b+d)); `p_chi2` its upper tail
///   probability under 1 degree of freedom, erfc(sqrt(chi2/2)).
/// * `p_fisher`: one-sided ("greater") Fisher exact test, P(X >= a) for the hypergeometric
///   distribution with the observed margins, summed in log space via `ln_gamma`.
///
/// Degenerate tables never panic; they follow IEEE arithmetic and are documented here:
/// * a zero in a cell used by a CI's standard error (a or c for PRR; any cell for ROR) makes
///   that CI `(NaN, NaN)`; the point estimate is then 0, +inf or NaN (0/0) as arithmetic gives;
/// * a zero margin makes `chi2_yates` and `p_chi2` NaN; N = 0 makes `expected`, `ic` and its
///   interval NaN;
/// * `p_fisher` is NaN when a cell is negative, not finite, or not a whole number.
pub fn disproportionality(t: &TwoByTwo) -> Disproportionality {
    let TwoByTwo { a, b, c, d } = *t;
    let n = a + b + c + d;
    let expected = if n > 0.0 {
        (a + b) * (a + c) / n
    } else {
        f64::NAN
    };
    let ic = ((a + 0.5) / (expected + 0.5)).log2();
    let (ic025, ic975) = if expected.is_finite() && a >= 0.0 && expected >= 0.0 {
        let shape = a + 0.5;
        let rate = expected + 0.5;
        (
            (gamma_quantile(shape, 0.025) / rate).log2(),
            (gamma_quantile(shape, 0.975) / rate).log2(),
        )
    } else {
        (f64::NAN, f64::NAN)
    };

    let prr = (a / (a + b)) / (c / (c + d));
    let (prr_lo, prr_hi) = if a > 0.0 && c > 0.0 {
        let se = (1.0 / a - 1.0 / (a + b) + 1.0 / c - 1.0 / (c + d)).sqrt();
        log_ci(prr, se)
    } else {
        (f64::NAN, f64::NAN)
    };

    let ror = (a * d) / (b * c);
    let (ror_lo, ror_hi) = if a > 0.0 && b > 0.0 && c > 0.0 && d > 0.0 {
        let se = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
        log_ci(ror, se)
    } else {
        (f64::NAN, f64::NAN)
    };

    let margins = (a + b) * (c + d) * (a + c) * (b + d);
    let chi2_yates = if margins > 0.0 {
        let diff = (a * d - b * c).abs();
        let corrected = diff - (n / 2.0).min(diff);
        n * corrected * corrected / margins
    } else {
        f64::NAN
    };
    let p_chi2 = if chi2_yates.is_nan() {
        f64::NAN
    } else {
        chi2_upper_1df(chi2_yates)
    };

    Disproportionality {
        expected,
        ic,
        ic025,
        ic975,
        prr,
        prr_lo,
        prr_hi,
        ror,
        ror_lo,
        ror_hi,
        chi2_yates,
        p_chi2,
        p_fisher: fisher_greater(a, b, c, d),
    }
}

/// The closed-form approximation of the IC credibility interval of Norén, Hopstadius & Bate
/// (2013): IC ± terms in (a + 0.5)^(-1/2) and (a + 0.5)^(-3/2):
/// IC025 ≈ IC − 3.3·(a+½)^(−½) − 2·(a+½)^(−3/2), IC975 ≈ IC + 2.4·(a+½)^(−½) − 0.5·(a+½)^(−3/2).
/// [`disproportionality`] uses exact gamma quantiles instead; this helper is for comparison.
pub fn ic_interval_approx(a: f64, expected: f64) -> (f64, f64) {
    let o = a + 0.5;
    let ic = (o / (expected + 0.5)).log2();
    (
        ic - 3.3 * o.powf(-0.5) - 2.0 * o.powf(-1.5),
        ic + 2.4 * o.powf(-0.5) - 0.5 * o.powf(-1.5),
    )
}

fn log_ci(estimate: f64, se: f64) -> (f64, f64) {
    let l = estimate.ln();
    ((l - 1.96 * se).exp(), (l + 1.96 * se).exp())
}

/// Upper-tail probability of the chi-square distribution with 1 degree of freedom.
fn chi2_upper_1df(x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else {
        erfc((x / 2.0).sqrt())
    }
}

fn ln_choose(n: f64, k: f64) -> f64 {
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
}

/// Upper tail of the binomial distribution: P(X >= x) for X ~ Binomial(n, p), summed exactly
/// in log space (R: `pbinom(x - 1, n, p, lower.tail = FALSE)`).
pub fn binomial_upper(x: u64, n: u64, p: f64) -> f64 {
    if x == 0 {
        return 1.0;
    }
    if x > n || !(0.0..=1.0).contains(&p) || p == 0.0 {
        return 0.0;
    }
    if p == 1.0 {
        return 1.0;
    }
    let (nf, lp, lq) = (n as f64, p.ln(), (1.0 - p).ln());
    let logs: Vec<f64> = (x..=n)
        .map(|k| {
            let k = k as f64;
            ln_choose(nf, k) + k * lp + (nf - k) * lq
        })
        .collect();
    let lmax = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let s: f64 = logs.iter().map(|&l| (l - lmax).exp()).sum();
    (lmax + s.ln()).exp().min(1.0)
}

/// One-sided (greater) Fisher exact test: P(X >= a) for X hypergeometric with the margins of
/// the table. NaN for cells that are not non-negative whole numbers.
fn fisher_greater(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let whole = |x: f64| x.is_finite() && x >= 0.0 && (x - x.round()).abs() < 1e-9;
    if !(whole(a) && whole(b) && whole(c) && whole(d)) {
        return f64::NAN;
    }
    let (a, b, c, d) = (a.round(), b.round(), c.round(), d.round());
    let row1 = a + b;
    let col1 = a + c;
    let n = a + b + c + d;
    let upper = row1.min(col1);
    let denom = ln_choose(n, row1);
    let col2 = b + d;
    // Mode of the hypergeometric distribution, used to stop summing once terms are negligible.
    let mode = ((row1 + 1.0) * (col1 + 1.0) / (n + 2.0)).floor();
    let mut logs: Vec<f64> = Vec::new();
    let mut lmax = f64::NEG_INFINITY;
    let mut x = a;
    while x <= upper {
        let lp = ln_choose(col1, x) + ln_choose(col2, row1 - x) - denom;
        if lp > lmax {
            lmax = lp;
        }
        logs.push(lp);
        if x > mode && lp < lmax - 745.0 {
            break;
        }
        x += 1.0;
    }
    if logs.is_empty() || lmax == f64::NEG_INFINITY {
        return 0.0;
    }
    let s: f64 = logs.iter().map(|&l| (l - lmax).exp()).sum();
    (lmax + s.ln()).exp().min(1.0)
}

// ---------------------------------------------------------------------------------------------
// Multiple testing
// ---------------------------------------------------------------------------------------------

/// Benjamini-Hochberg step-up procedure at false discovery rate `q`.
///
/// Returns, in input order, whether each hypothesis is rejected and its BH-adjusted p-value
/// `min(1, min over j >= rank of m·p(j)/j)` (monotone in p, as R's `p.adjust(method = "BH")`).
/// A hypothesis is rejected when its adjusted p-value is `<= q`, which is the same as the
/// step-up rule "reject the k smallest, k the largest rank with p(k) <= k·q/m". NaN p-values are
/// left out of m (as R does with NA), are never rejected and get a NaN adjusted value.
pub fn benjamini_hochberg(p: &[f64], q: f64) -> (Vec<bool>, Vec<f64>) {
    let mut order: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]));
    let m = order.len() as f64;
    let mut adjusted = vec![f64::NAN; p.len()];
    let mut running = f64::INFINITY;
    for (rank0, &i) in order.iter().enumerate().rev() {
        let rank = (rank0 + 1) as f64;
        // m/rank >= 1, so rounding never takes the product below p.
        let v = (p[i] * (m / rank)).min(1.0);
        if v < running {
            running = v;
        }
        adjusted[i] = running;
    }
    let rejected = adjusted.iter().map(|&a| a <= q).collect();
    (rejected, adjusted)
}

/// [`benjamini_hochberg`] over a family of `m` hypotheses of which only those in `p` may be
/// rejected; the others (not computed because they cannot become a finding, such as patterns
/// below the minimum count) count as p = 1. With `m <= p.len()` this is the plain procedure.
pub fn benjamini_hochberg_family(p: &[f64], m: usize, q: f64) -> (Vec<bool>, Vec<f64>) {
    let extra = m.saturating_sub(p.iter().filter(|x| !x.is_nan()).count());
    let mut all = p.to_vec();
    all.extend(std::iter::repeat_n(1.0, extra));
    let (r, adj) = benjamini_hochberg(&all, q);
    (r[..p.len()].to_vec(), adj[..p.len()].to_vec())
}

/// The smallest one-sided Fisher p-value a 2x2 table with these margins can reach: every
/// case of the smaller margin in the cell (Tarone 1990). `n_x`, `n_y` are the margins of
/// the pattern and the outcome in a population of `n`.
pub fn fisher_min_p(n_x: u64, n_y: u64, n: u64) -> f64 {
    if n_x > n || n_y > n || n_x == 0 || n_y == 0 {
        return 1.0;
    }
    let a = n_x.min(n_y);
    let (b, c) = (n_x - a, n_y - a);
    let Some(d) = n.checked_sub(a + b + c) else {
        return 1.0;
    };
    fisher_greater(a as f64, b as f64, c as f64, d as f64)
}

/// Tarone's rule for a family of tests with discrete p-values: the smallest `k` such that at
/// most `k` hypotheses have a minimum achievable p-value `<= alpha / k`. Returns `k` and the
/// indices of those testable hypotheses; only they enter the multiple-testing family, so the
/// family no longer depends on the observed cells.
pub fn tarone(min_p: &[f64], alpha: f64) -> (usize, Vec<usize>) {
    let mut sorted: Vec<f64> = min_p.iter().copied().filter(|p| !p.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    let mut k = 1usize;
    loop {
        let testable = sorted.partition_point(|&p| p <= alpha / k as f64);
        if testable <= k {
            break;
        }
        k += 1;
    }
    let idx = (0..min_p.len())
        .filter(|&i| min_p[i] <= alpha / k as f64)
        .collect();
    (k, idx)
}

/// Upper-tail p-value of Pearson's chi-square goodness of fit of `observed` against
/// `expected` (same total); cells with expected count 0 are left out. 1 when fewer than two
/// cells remain.
pub fn chi_square_gof(observed: &[f64], expected: &[f64]) -> f64 {
    let cells: Vec<(f64, f64)> = observed
        .iter()
        .zip(expected)
        .filter(|(_, &e)| e > 0.0)
        .map(|(&o, &e)| (o, e))
        .collect();
    if cells.len() < 2 {
        return 1.0;
    }
    let x2: f64 = cells.iter().map(|(o, e)| (o - e) * (o - e) / e).sum();
    let df = (cells.len() - 1) as f64;
    gamma_q(df / 2.0, x2 / 2.0)
}

/// Two-sided p-value of the Wilcoxon rank-sum test (normal approximation with tie
/// correction) of whether the values at `members` are shifted against all `values`. The
/// members are a subset of the population, so the test compares them with the rest.
pub fn rank_sum_p(values: &[u32], members: &[usize]) -> f64 {
    let n = values.len();
    let m = members.len();
    if m == 0 || m >= n {
        return 1.0;
    }
    // Mid-ranks per distinct value.
    let mut counts: std::collections::BTreeMap<u32, f64> = Default::default();
    for &v in values {
        *counts.entry(v).or_default() += 1.0;
    }
    let mut rank_of: std::collections::HashMap<u32, f64> = Default::default();
    let mut below = 0.0;
    let mut ties = 0.0;
    for (&v, &c) in &counts {
        rank_of.insert(v, below + (c + 1.0) / 2.0);
        below += c;
        ties += c * c * c - c;
    }
    let w: f64 = members.iter().map(|&i| rank_of[&values[i]]).sum();
    let (nf, mf) = (n as f64, m as f64);
    let rest = nf - mf;
    let mean = mf * (nf + 1.0) / 2.0;
    let var = mf * rest / 12.0 * ((nf + 1.0) - ties / (nf * (nf - 1.0)));
    if var <= 0.0 {
        return 1.0;
    }
    let z = (w - mean).abs() / var.sqrt();
    (2.0 * (1.0 - norm_cdf(z))).min(1.0)
}

/// Bias-corrected Cramér's V (Bergsma 2013) of a contingency table given as (row, column) ->
/// count: `φ² = χ²/N`, `φ²' = max(0, φ² − (r−1)(c−1)/(N−1))`, `r' = r − (r−1)²/(N−1)`,
/// `c' = c − (c−1)²/(N−1)`, `V = sqrt(φ²' / min(r'−1, c'−1))`. The correction matters with
/// many themes and few cases, where plain V is far above 0 under independence.
/// 0 for a table with a single row or column.
pub fn cramers_v(cells: &std::collections::HashMap<(u32, u32), u64>) -> f64 {
    let mut rows: std::collections::HashMap<u32, f64> = Default::default();
    let mut cols: std::collections::HashMap<u32, f64> = Default::default();
    let mut n = 0.0;
    for (&(r, c), &v) in cells {
        *rows.entry(r).or_default() += v as f64;
        *cols.entry(c).or_default() += v as f64;
        n += v as f64;
    }
    let k = rows.len().min(cols.len());
    if k < 2 || n == 0.0 {
        return 0.0;
    }
    // chi² = N (sum o²/(r c) − 1), summing over the non-empty cells only.
    let s: f64 = cells
        .iter()
        .map(|(&(r, c), &v)| (v as f64).powi(2) / (rows[&r] * cols[&c]))
        .sum();
    let phi2 = (s - 1.0).max(0.0);
    let (r, c) = (rows.len() as f64, cols.len() as f64);
    let phi2c = (phi2 - (r - 1.0) * (c - 1.0) / (n - 1.0)).max(0.0);
    let rc = r - (r - 1.0).powi(2) / (n - 1.0);
    let cc = c - (c - 1.0).powi(2) / (n - 1.0);
    let denom = (rc - 1.0).min(cc - 1.0);
    if denom <= 0.0 || n < 2.0 {
        return 0.0;
    }
    (phi2c / denom).sqrt().min(1.0)
}

// ---------------------------------------------------------------------------------------------
// EARS aberration detection
// ---------------------------------------------------------------------------------------------

/// EARS variant, as in R `surveillance::earsC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarsMethod {
    /// Baseline: the `baseline` periods immediately before t (t-baseline ..= t-1).
    C1,
    /// Baseline with a guard band of 2: periods t-baseline-2 ..= t-3.
    C2,
    /// Sum of max(0, C2 − 1) over t, t−1 and t−2.
    C3,
}

impl EarsMethod {
    fn label(self) -> &'static str {
        match self {
            EarsMethod::C1 => "C1",
            EarsMethod::C2 => "C2",
            EarsMethod::C3 => "C3",
        }
    }
}

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
fn mean_sd(window: &[f64]) -> (f64, f64) {
    let n = window.len() as f64;
    let mean = window.iter().sum::<f64>() / n;
    let ss: f64 = window.iter().map(|x| (x - mean) * (x - mean)).sum();
    (mean, (ss / (n - 1.0)).sqrt())
}

/// Standardised score (y − mean)/sd with 0/0 defined as 0 (an observation equal to a constant
/// baseline is not an excess); y > mean with sd = 0 gives +inf.
fn zscore(y: f64, mean: f64, sd: f64) -> f64 {
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

// ---------------------------------------------------------------------------------------------
// Special functions
// ---------------------------------------------------------------------------------------------

/// Lanczos coefficients (g = 7, n = 9).
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// Natural logarithm of |Γ(x)| (Lanczos approximation, g = 7, with the reflection formula for
/// x < 0.5). +inf at 0 and the negative integers, NaN for NaN. Relative accuracy ~1e-15.
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    if x < 0.5 {
        if x == x.floor() {
            return f64::INFINITY;
        }
        // Γ(x)Γ(1−x) = π / sin(πx)
        return (PI / (PI * x).sin().abs()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = LANCZOS[0];
    for (i, &c) in LANCZOS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

const EPS: f64 = 1e-16;
const TINY: f64 = 1e-300;
const MAX_ITER: usize = 1_000_000;

/// Prefactor x^a e^(−x) / Γ(a) of the incomplete gamma expansions, computed in log space.
fn gamma_prefactor(a: f64, x: f64) -> f64 {
    (a * x.ln() - x - ln_gamma(a)).exp()
}

/// Series for the regularised lower incomplete gamma P(a, x); best for x < a + 1.
fn gamma_p_series(a: f64, x: f64) -> f64 {
    let mut term = 1.0 / a;
    let mut sum = term;
    let mut ap = a;
    for _ in 0..MAX_ITER {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if term.abs() < sum.abs() * EPS {
            break;
        }
    }
    sum * gamma_prefactor(a, x)
}

/// Continued fraction (modified Lentz) for the regularised upper incomplete gamma Q(a, x);
/// best for x >= a + 1.
fn gamma_q_cf(a: f64, x: f64) -> f64 {
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..MAX_ITER {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h * gamma_prefactor(a, x)
}

/// Regularised lower incomplete gamma function P(a, x) for a > 0, x >= 0.
pub fn gamma_p(a: f64, x: f64) -> f64 {
    if a.is_nan() || x.is_nan() || a <= 0.0 || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        0.0
    } else if x == f64::INFINITY {
        1.0
    } else if x < a + 1.0 {
        gamma_p_series(a, x)
    } else {
        1.0 - gamma_q_cf(a, x)
    }
}

/// Regularised upper incomplete gamma function Q(a, x) = 1 − P(a, x), accurate in the upper tail.
pub fn gamma_q(a: f64, x: f64) -> f64 {
    if a.is_nan() || x.is_nan() || a <= 0.0 || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        1.0
    } else if x == f64::INFINITY {
        0.0
    } else if x < a + 1.0 {
        1.0 - gamma_p_series(a, x)
    } else {
        gamma_q_cf(a, x)
    }
}

/// Quantile of the Gamma(shape, rate 1) distribution: x with P(shape, x) = p, by Newton's
/// method safeguarded with bisection. Scale the result by 1/rate for another rate.
pub fn gamma_quantile(shape: f64, p: f64) -> f64 {
    if shape.is_nan() || p.is_nan() || shape <= 0.0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return 0.0;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    // Wilson-Hilferty starting value.
    let z = norm_quantile(p);
    let w = 1.0 / (9.0 * shape);
    let mut x = shape * (1.0 - w + z * w.sqrt()).powi(3);
    if x.is_nan() || x <= 0.0 || !x.is_finite() {
        x = shape.max(1e-3);
    }
    // Bracket [lo, hi] with P(lo) < p < P(hi).
    let mut lo = 0.0;
    let mut hi = x.max(1.0);
    while gamma_p(shape, hi) < p {
        lo = hi;
        hi *= 2.0;
        if !hi.is_finite() {
            return f64::INFINITY;
        }
    }
    for _ in 0..200 {
        let f = gamma_p(shape, x) - p;
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = lo.max(x);
        } else {
            hi = hi.min(x);
        }
        let density = ((shape - 1.0) * x.ln() - x - ln_gamma(shape)).exp();
        let mut next = x - f / density;
        if !(next > lo && next < hi && next.is_finite()) {
            next = 0.5 * (lo + hi);
        }
        if (next - x).abs() <= 1e-15 * x.abs().max(1e-300) {
            return next;
        }
        x = next;
    }
    x
}

/// Complementary error function erfc(x) = 1 − erf(x), computed as Q(1/2, x²) for x >= 0
/// (relative accuracy ~1e-15 also deep in the tail) and 2 − erfc(−x) for x < 0.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x >= 0.0 {
        if x > 27.3 {
            // erfc(27.3) < 1e-325: underflows to 0.
            return 0.0;
        }
        gamma_q(0.5, x * x)
    } else {
        if x < -6.0 {
            return 2.0;
        }
        1.0 + gamma_p(0.5, x * x)
    }
}

/// Standard normal cumulative distribution function.
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Quantile of the standard normal distribution (inverse of [`norm_cdf`]).
///
/// Starts from the Abramowitz & Stegun 26.2.23 rational approximation (error < 4.5e-4) and
/// refines with three Halley steps on `norm_cdf`, giving close to full double precision.
/// −inf at 0, +inf at 1, NaN outside [0, 1].
pub fn norm_quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    if p == 0.5 {
        return 0.0;
    }
    if p > 0.5 {
        return -norm_quantile(1.0 - p);
    }
    let t = (-2.0 * p.ln()).sqrt();
    let num = 2.515_517 + 0.802_853 * t + 0.010_328 * t * t;
    let den = 1.0 + 1.432_788 * t + 0.189_269 * t * t + 0.001_308 * t * t * t;
    let mut x = -(t - num / den);
    let sqrt_2pi = (2.0 * PI).sqrt();
    for _ in 0..3 {
        let e = norm_cdf(x) - p;
        let u = e * sqrt_2pi * (x * x / 2.0).exp();
        let step = u / (1.0 + x * u / 2.0);
        if !step.is_finite() {
            break;
        }
        x -= step;
    }
    x
}

#[cfg(test)]
mod tests {

    #[test]
    fn binomial_upper_tail() {
        // Exact values: 56/1024 and 3·0,1²·0,9 + 0,1³ (R: pbinom(7, 10, 0.5, lower.tail = FALSE)).
        assert!((binomial_upper(8, 10, 0.5) - 56.0 / 1024.0).abs() < 1e-12);
        assert!((binomial_upper(2, 3, 0.1) - 0.028).abs() < 1e-12);
        assert_eq!(binomial_upper(0, 5, 0.3), 1.0);
        assert_eq!(binomial_upper(6, 5, 0.3), 0.0);
        // The exact sum of C(16, k)·0,3^k·0,7^(16−k) for k = 11..=16 is 0,001566320151...
        assert!((binomial_upper(11, 16, 0.3) - 0.001_566_320_151_395_7).abs() < 1e-12);
    }

    #[test]
    fn fisher_min_p_and_tarone() {
        // Margins 3 and 3 of 10: all three in the cell, 1 / C(10,3) = 1/120.
        assert!((fisher_min_p(3, 3, 10) - 1.0 / 120.0).abs() < 1e-12);
        assert_eq!(fisher_min_p(0, 3, 10), 1.0);
        // Tarone: min p-values 0.001, 0.004, 0.02, 0.3, 0.6 at alpha 0.05:
        // k=1: 4 <= 0.05 (too many); k=2: 3 <= 0.025; k=3: 2 <= 0.0167 -> k = 3.
        let (k, idx) = tarone(&[0.001, 0.3, 0.004, 0.6, 0.02], 0.05);
        assert_eq!(k, 3);
        assert_eq!(idx, vec![0, 2]);
    }

    #[test]
    fn bh_family_counts_uncomputed_hypotheses_as_one() {
        // p = 0.01, 0.02 among m = 10: adjusted 0.1 each (R: p.adjust(c(.01,.02,rep(1,8)), "BH")).
        let (r, adj) = benjamini_hochberg_family(&[0.01, 0.02], 10, 0.1);
        assert!((adj[0] - 0.1).abs() < 1e-12 && (adj[1] - 0.1).abs() < 1e-12);
        assert_eq!(r, vec![true, true]);
        let (r, _) = benjamini_hochberg_family(&[0.01, 0.02], 30, 0.1);
        assert_eq!(r, vec![false, false]);
    }

    #[test]
    fn rank_sum_golden() {
        // Members {4, 5} against the rest {1, 2, 3}: W = 4 + 5 = 9, mean 2·6/2 = 6,
        // var = 2·3·6/12 = 3, z = 3/sqrt(3) = 1.7320508, p = 2·(1 − Φ(z)) = 0.0832645.
        let p = rank_sum_p(&[1, 2, 3, 4, 5], &[3, 4]);
        assert!((p - 0.0832645).abs() < 1e-6, "{p}");
        assert_eq!(rank_sum_p(&[1, 2], &[]), 1.0);
        assert_eq!(rank_sum_p(&[7, 7, 7], &[0]), 1.0, "all tied");
    }

    #[test]
    fn chi_square_gof_and_cramers_v_golden() {
        // R: chisq.test(c(10, 20, 30), p = c(1,1,1)/3)$p.value = 0.006737947 (X² = 10, df 2).
        let p = chi_square_gof(&[10.0, 20.0, 30.0], &[20.0, 20.0, 20.0]);
        assert!((p - 0.006737947).abs() < 1e-8, "{p}");
        assert_eq!(chi_square_gof(&[5.0], &[5.0]), 1.0);
        let mut t = std::collections::HashMap::new();
        // A diagonal table: V = 1; an independent one: V = 0.
        t.insert((0, 0), 10);
        t.insert((1, 1), 10);
        assert!((cramers_v(&t) - 1.0).abs() < 1e-12);
        let mut u = std::collections::HashMap::new();
        for r in 0..2 {
            for c in 0..3 {
                u.insert((r, c), 7);
            }
        }
        assert!(cramers_v(&u).abs() < 1e-12);
        // 2x2 [[20, 5], [5, 20]]: phi² = 0.36, corrected 0.36 − 1/49, r' − 1 = 1 − 1/49:
        // V = sqrt((0.36 − 1/49) / (48/49)) = 0.5887841.
        let mut w = std::collections::HashMap::new();
        w.insert((0, 0), 20);
        w.insert((0, 1), 5);
        w.insert((1, 0), 5);
        w.insert((1, 1), 20);
        assert!(
            (cramers_v(&w) - 0.5887841).abs() < 1e-6,
            "{}",
            cramers_v(&w)
        );
    }
    use super::*;
    use proptest::prelude::*;

    fn close(actual: f64, expected: f64, tol: f64) {
        assert!(
            (actual - expected).abs() <= tol,
            "expected {expected}, got {actual} (tol {tol})"
        );
    }

    #[test]
    fn module_doc_example() {
        let (lo, hi) = wilson(81, 263).unwrap();
        assert!(lo < 81.0 / 263.0 && 81.0 / 263.0 < hi);
        assert_eq!(median(&[1.0, 2.0, 4.0, 9.0]), Some(3.0));
        // m = 3: adjusted 0.001*3/1 = 0.003, 0.03*3/2 = 0.045, 0.2*3/3 = 0.2.
        let (rejected, adjusted) = benjamini_hochberg(&[0.001, 0.2, 0.03], 0.05);
        close(adjusted[0], 0.003, 1e-15);
        close(adjusted[1], 0.2, 1e-15);
        close(adjusted[2], 0.045, 1e-15);
        assert_eq!(rejected, vec![true, false, true]);
    }

    // --- Wilson (Newcombe 1998, Table I, method 3) ---

    #[test]
    fn wilson_newcombe_golden() {
        let cases = [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ];
        for (k, n, lo, hi) in cases {
            let (l, h) = wilson(k, n).unwrap();
            close(l, lo, 5e-5);
            close(h, hi, 5e-5);
        }
    }

    #[test]
    fn wilson_degenerate() {
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson(5, 4), None);
        let (lo, hi) = wilson(20, 20).unwrap();
        assert_eq!(hi, 1.0);
        close(lo, 1.0 - 0.1611, 5e-5); // mirror image of 0/20
    }

    proptest! {
        #[test]
        fn wilson_bounds_contain_estimate(n in 1u64..100_000, frac in 0.0f64..=1.0) {
            let k = ((n as f64) * frac).floor() as u64;
            let (lo, hi) = wilson(k, n).unwrap();
            let p = k as f64 / n as f64;
            prop_assert!((0.0..=1.0).contains(&lo));
            prop_assert!((0.0..=1.0).contains(&hi));
            prop_assert!(lo <= p && p <= hi);
            prop_assert!(lo < hi);
        }
    }

    // --- median / quantile ---

    #[test]
    fn median_and_quantile() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 7.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 9.0]), Some(3.0));
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        // R: quantile(c(1,2,3,4,10), c(0, .1, .25, .5, .9, 1)) = 1, 1.4, 2, 3, 7.6, 10
        assert_eq!(quantile(&x, 0.0), Some(1.0));
        close(quantile(&x, 0.1).unwrap(), 1.4, 1e-12);
        assert_eq!(quantile(&x, 0.25), Some(2.0));
        assert_eq!(quantile(&x, 0.5), Some(3.0));
        close(quantile(&x, 0.9).unwrap(), 7.6, 1e-12);
        assert_eq!(quantile(&x, 1.0), Some(10.0));
        assert_eq!(quantile(&x, 1.5), None);
        assert_eq!(quantile(&x, f64::NAN), None);
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[4.0, 6.0], 0.5), median(&[4.0, 6.0]));
    }

    // --- Kaplan-Meier ---

    #[test]
    fn kaplan_meier_hand_worked() {
        // Times 1,2,2,3,4,5 (days); closed = event, "open" = censored.
        // t=1: 6 at risk, 1 closes  -> S = 5/6          = 0.833333
        // t=2: 5 at risk, 1 closes, 1 censored at 2 -> S = 5/6 * 4/5 = 0.666667
        // t=3: 3 at risk, 1 closes  -> S = 2/3 * 2/3    = 0.444444
        // t=4: censored only, no step
        // t=5: 1 at risk, 1 closes  -> S = 0
        let times = [3.0, 1.0, 2.0, 2.0, 5.0, 4.0];
        let event = [true, true, true, false, true, false];
        let steps = kaplan_meier(&times, &event);
        assert_eq!(steps.len(), 4);
        let expect = [
            (1.0, 6, 1, 5.0 / 6.0),
            (2.0, 5, 1, 2.0 / 3.0),
            (3.0, 3, 1, 4.0 / 9.0),
            (5.0, 1, 1, 0.0),
        ];
        for (s, (t, r, e, surv)) in steps.iter().zip(expect) {
            assert_eq!(s.t, t);
            assert_eq!(s.at_risk, r);
            assert_eq!(s.events, e);
            close(s.survival, surv, 1e-12);
        }
        assert_eq!(km_median(&steps, 5.0), Some(3.0));
    }

    #[test]
    fn km_median_takes_the_midpoint_of_an_exact_half_plateau() {
        // Uncensored 10, 20, 30, 40: S = 3/4, 1/2, 1/4, 0. S is exactly 1/2 from 20 to 30, so
        // R survival gives (20 + 30) / 2 = 25, like the ordinary median of the four times.
        let steps = kaplan_meier(&[10.0, 20.0, 30.0, 40.0], &[true; 4]);
        assert_eq!(km_median(&steps, 40.0), Some(25.0));
        assert_eq!(km_median(&steps, 40.0), median(&[10.0, 20.0, 30.0, 40.0]));
        // The flat at 1/2 runs to the end of the curve: 1 closes at 1, 1 is open at 2.
        // R: (1 + largest observed time 2) / 2 = 1,5.
        let steps = kaplan_meier(&[1.0, 2.0], &[true, false]);
        assert_eq!(km_median(&steps, 2.0), Some(1.5));
        // p80 of 10, 20, 30, 40, 50 uncensored: S = 0,8 0,6 0,4 0,2 0; 1 - S = 0,8 exactly at
        // 40 up to 50, so (40 + 50) / 2 = 45.
        let steps = kaplan_meier(&[10.0, 20.0, 30.0, 40.0, 50.0], &[true; 5]);
        assert_eq!(km_quantile(&steps, 0.8, 50.0), Some(45.0));
        // Not on a flat: the first step past the level.
        assert_eq!(km_quantile(&steps, 0.5, 50.0), Some(30.0));
    }

    #[test]
    fn kaplan_meier_golden_values_match_r_survival() {
        // R: fit <- survfit(Surv(1:6, c(1, 0, 1, 1, 0, 1)) ~ 1); summary(fit); quantile(fit)
        // Times 1..6, censored at 2 and 5 (product-limit by hand):
        // t=1: n=6, d=1 -> S = 5/6                = 0,833333
        // t=2: censored; 4 remain at risk
        // t=3: n=4, d=1 -> S = 5/6 * 3/4 = 5/8    = 0,625
        // t=4: n=3, d=1 -> S = 5/8 * 2/3 = 5/12   = 0,416667
        // t=5: censored; 1 remains at risk
        // t=6: n=1, d=1 -> S = 0
        // median: first S <= 0,5 at t=4 (no flat at exactly 0,5) -> 4; p80 (S <= 0,2) -> 6.
        // Greenwood on the log scale at t=4: sum d/(n(n-d)) = 1/30 + 1/12 + 1/6 = 17/60,
        // se = sqrt(17/60) = 0,532291; S * exp(-1,959964 * se) = 0,416667 * 0,352301 = 0,146792,
        // upper 0,416667 * 2,838485 = 1,182702 -> clamped to 1 (R prints 0.1468 and 1.000).
        // At t=3: sum = 1/30 + 1/12 = 7/60, se = 0,341565; 0,625 * exp(-/+ 0,669455)
        // = 0,319992 and 1,220733 -> 1 (R: 0.3200, 1.000).
        let steps = kaplan_meier(
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            &[true, false, true, true, false, true],
        );
        let s: Vec<(f64, u64, u64, f64)> = steps
            .iter()
            .map(|x| (x.t, x.at_risk, x.events, x.survival))
            .collect();
        let want = [
            (1.0, 6, 1, 5.0 / 6.0),
            (3.0, 4, 1, 5.0 / 8.0),
            (4.0, 3, 1, 5.0 / 12.0),
            (6.0, 1, 1, 0.0),
        ];
        assert_eq!(s.len(), want.len());
        for (have, want) in s.iter().zip(want) {
            assert_eq!((have.0, have.1, have.2), (want.0, want.1, want.2));
            close(have.3, want.3, 1e-12);
        }
        assert_eq!(km_median(&steps, 6.0), Some(4.0));
        assert_eq!(km_quantile(&steps, 0.8, 6.0), Some(6.0));
        close(km_survival_at(&steps, 2.0), 5.0 / 6.0, 1e-12);
        close(km_survival_at(&steps, 0.5), 1.0, 1e-12);
        let (lo, hi) = km_interval_at(&steps, 4.0).unwrap();
        close(lo, 0.146792, 1e-5);
        assert_eq!(hi, 1.0);
        let (lo, hi) = km_interval_at(&steps, 3.0).unwrap();
        close(lo, 0.319992, 1e-5);
        assert_eq!(hi, 1.0);
        assert_eq!(km_interval_at(&steps, 6.0), None);
    }

    #[test]
    fn kaplan_meier_median_not_reached() {
        // 4 cases, one closes at t=2, the others are still open: S = 3/4 > 0.5.
        let steps = kaplan_meier(&[2.0, 5.0, 6.0, 7.0], &[true, false, false, false]);
        assert_eq!(steps.len(), 1);
        close(steps[0].survival, 0.75, 1e-12);
        assert_eq!(km_median(&steps, 7.0), None);
        assert!(kaplan_meier(&[], &[]).is_empty());
        // Ties of events: 2 of 4 close at t=1 -> S = 0.5 exactly until the next close at
        // t=3 (S = 0.25): median = (1 + 3) / 2 = 2, as in R survival.
        let steps = kaplan_meier(&[1.0, 1.0, 3.0, 4.0], &[true, true, true, false]);
        assert_eq!(steps[0].events, 2);
        assert_eq!(km_median(&steps, 4.0), Some(2.0));
    }

    // --- Disproportionality (Norén et al. 2006, Table III) ---

    #[test]
    fn disproportionality_noren_golden() {
        let r = disproportionality(&TwoByTwo {
            a: 25.0,
            b: 1101.0,
            c: 62.0,
            d: 571385.0,
        });
        close(r.expected, 0.17109, 5e-6);
        close(r.ic, 5.24785, 5e-6);
        close(r.prr, 204.64, 5e-3);
        close(r.prr_lo, 129.10, 5e-3);
        close(r.prr_hi, 324.38, 5e-3);
        close(r.ror, 209.26, 5e-3);
        close(r.ror_lo, 131.04, 5e-3);
        close(r.ror_hi, 334.18, 5e-3);
        close(r.chi2_yates, 3466.9, 0.05);
        assert!(r.p_chi2 < 1e-300);
        assert!(r.p_fisher > 0.0 && r.p_fisher < 1e-40);
        // Exact gamma credibility interval (reference values from mpmath, 40 digits):
        // Gamma(25.5, rate 0.6710908) quantiles on log2 scale.
        close(r.ic025, 4.626_869_832_152_33, 1e-9);
        close(r.ic975, 5.757_635_416_610_21, 1e-9);
        // Fisher reference (mpmath exact hypergeometric sum): 6.4834336647e-47.
        assert!((r.p_fisher / 6.483_433_664_747_28e-47 - 1.0).abs() < 1e-7);
        // The Norén 2013 closed-form approximation is within 0.05 bit of the exact interval.
        let (lo, hi) = ic_interval_approx(25.0, r.expected);
        close(lo, 4.578_816, 1e-6);
        close(hi, 5.719_233, 1e-6);
        close(r.ic025, lo, 0.05);
        close(r.ic975, hi, 0.05);
        assert!(r.ic025 < r.ic && r.ic < r.ic975);
    }

    #[test]
    fn disproportionality_moderate_table() {
        // a=7, b=40, c=30, d=900; reference values computed with mpmath (exact arithmetic).
        let r = disproportionality(&TwoByTwo {
            a: 7.0,
            b: 40.0,
            c: 30.0,
            d: 900.0,
        });
        close(r.expected, 47.0 * 37.0 / 977.0, 1e-12);
        close(r.ic, 1.717_895_631_167_619, 1e-12);
        close(r.ic025, 0.457_660_290_129_318, 1e-9);
        close(r.ic975, 2.591_755_691_145_296, 1e-9);
        close(r.chi2_yates, 13.666_855_590_403_266, 1e-9);
        close(r.p_chi2, 2.182_731_384_225_711e-4, 1e-15);
        close(r.p_fisher, 1.297_415_030_323_698e-3, 1e-12);
        close(r.prr, (7.0 / 47.0) / (30.0 / 930.0), 1e-12);
        close(r.ror, 5.25, 1e-12);
    }

    #[test]
    fn ic_interval_is_gamma_quantile() {
        // With a = 0 and E = 0 the posterior is Gamma(0.5, 0.5) = chi-square(1):
        // quantiles 0.000982069 and 5.023886, so IC025 = log2(0.000982069), IC975 = log2(5.023886).
        let r = disproportionality(&TwoByTwo {
            a: 0.0,
            b: 0.0,
            c: 10.0,
            d: 10.0,
        });
        assert_eq!(r.expected, 0.0);
        assert_eq!(r.ic, 0.0);
        close(r.ic025, 0.000_982_069_f64.log2(), 1e-5);
        close(r.ic975, 5.023_886_f64.log2(), 1e-6);
    }

    #[test]
    fn fisher_tea_tasting() {
        // a=3,b=1,c=1,d=3: P(X>=3) = [C(4,3)C(4,1) + C(4,4)C(4,0)] / C(8,4) = 17/70.
        let r = disproportionality(&TwoByTwo {
            a: 3.0,
            b: 1.0,
            c: 1.0,
            d: 3.0,
        });
        close(r.p_fisher, 17.0 / 70.0, 1e-12);
        // Yates: N(|ad-bc| - N/2)^2 / margins = 8 * (8-4)^2 / 256 = 0.5; p = erfc(0.5) = 0.4795001.
        close(r.chi2_yates, 0.5, 1e-12);
        close(r.p_chi2, 0.479_500_122_186_953_5, 1e-12);
        // ROR = 9, CI exp(ln 9 ± 1.96*sqrt(1/3 + 1 + 1 + 1/3)) = exp(ln 9 ± 1.96*sqrt(8/3)) = 0.3666 .. 220.94.
        close(r.ror, 9.0, 1e-12);
        close(
            r.ror_lo,
            (9f64.ln() - 1.96 * (8.0f64 / 3.0).sqrt()).exp(),
            1e-12,
        );
        close(r.ror_lo, 0.3666, 5e-5);
        close(r.ror_hi, 220.94, 5e-3);
        // Observed below expectation: P(X >= 0) = 1.
        let r = disproportionality(&TwoByTwo {
            a: 0.0,
            b: 4.0,
            c: 4.0,
            d: 0.0,
        });
        close(r.p_fisher, 1.0, 1e-12);
        // a = 1, b = 3, c = 3, d = 1: P(X >= 1) = 1 - P(X = 0) = 1 - 1/70.
        let r = disproportionality(&TwoByTwo {
            a: 1.0,
            b: 3.0,
            c: 3.0,
            d: 1.0,
        });
        close(r.p_fisher, 69.0 / 70.0, 1e-12);
        // |ad - bc| = 8 = N: Yates correction capped, chi2 = 8 * (8 - 4)^2 / 256 = 0.5.
        close(r.chi2_yates, 0.5, 1e-12);
    }

    #[test]
    fn disproportionality_zero_cells_do_not_panic() {
        let r = disproportionality(&TwoByTwo {
            a: 0.0,
            b: 10.0,
            c: 0.0,
            d: 10.0,
        });
        assert!(r.prr.is_nan()); // 0/0
        assert!(r.prr_lo.is_nan() && r.ror_hi.is_nan());
        assert!(r.chi2_yates.is_nan() && r.p_chi2.is_nan()); // margin a+c = 0
        close(r.p_fisher, 1.0, 1e-12);
        let r = disproportionality(&TwoByTwo {
            a: 5.0,
            b: 0.0,
            c: 5.0,
            d: 5.0,
        });
        assert_eq!(r.ror, f64::INFINITY);
        assert!(r.ror_lo.is_nan());
        let r = disproportionality(&TwoByTwo {
            a: 0.0,
            b: 0.0,
            c: 0.0,
            d: 0.0,
        });
        assert!(r.expected.is_nan() && r.ic.is_nan() && r.ic025.is_nan());
        let r = disproportionality(&TwoByTwo {
            a: 2.5,
            b: 1.0,
            c: 1.0,
            d: 1.0,
        });
        assert!(r.p_fisher.is_nan());
    }

    // --- Benjamini-Hochberg ---

    const BH_P: [f64; 15] = [
        0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
        0.5719, 0.6528, 0.7590, 1.000,
    ];

    #[test]
    fn bh_golden() {
        let (rej, adj) = benjamini_hochberg(&BH_P, 0.05);
        assert_eq!(rej.iter().filter(|&&r| r).count(), 4);
        assert!(rej[..4].iter().all(|&r| r));
        let (rej, _) = benjamini_hochberg(&BH_P, 0.10);
        assert_eq!(rej.iter().filter(|&&r| r).count(), 9);
        assert!(rej[..9].iter().all(|&r| r));
        // Adjusted values by hand: p(1)*15/1 = 0.0015; p(4)*15/4 = 0.035625;
        // rank 5: min(0.0201*15/5 = 0.0603, later ranks 0.0695, 0.0639, 0.0645, 0.0765, ...) = 0.0603;
        // rank 9: 0.0459*15/9 = 0.0765 (rank 10 gives 0.486); p(15) = 1.
        close(adj[0], 0.0015, 1e-12);
        close(adj[3], 0.035625, 1e-12);
        close(adj[4], 0.0603, 1e-12);
        close(adj[8], 0.0765, 1e-12);
        close(adj[14], 1.0, 1e-12);
        // Input order is preserved.
        let mut rev = BH_P.to_vec();
        rev.reverse();
        let (rej_rev, adj_rev) = benjamini_hochberg(&rev, 0.05);
        assert!(rej_rev[11..].iter().all(|&r| r));
        assert_eq!(rej_rev.iter().filter(|&&r| r).count(), 4);
        close(adj_rev[14], 0.0015, 1e-12);
    }

    #[test]
    fn bh_nan_is_skipped() {
        let (rej, adj) = benjamini_hochberg(&[0.01, f64::NAN, 0.04], 0.05);
        assert_eq!(rej, vec![true, false, true]);
        assert!(adj[1].is_nan());
        close(adj[0], 0.02, 1e-12);
        close(adj[2], 0.04, 1e-12);
    }

    proptest! {
        #[test]
        fn bh_rejected_set_is_prefix(p in proptest::collection::vec(0.0f64..=1.0, 0..60), q in 0.001f64..0.5) {
            let (rej, adj) = benjamini_hochberg(&p, q);
            for i in 0..p.len() {
                for j in 0..p.len() {
                    if rej[i] && p[j] <= p[i] {
                        prop_assert!(rej[j]);
                    }
                    if p[j] <= p[i] {
                        prop_assert!(adj[j] <= adj[i]);
                    }
                }
                prop_assert!(adj[i] >= p[i] && adj[i] <= 1.0);
            }
            // Step-up definition, computed independently.
            let mut sorted = p.clone();
            sorted.sort_by(|a, b| a.total_cmp(b));
            let m = sorted.len() as f64;
            let k = sorted.iter().enumerate().filter(|(i, &v)| v <= (*i as f64 + 1.0) * q / m).map(|(i, _)| i + 1).max().unwrap_or(0);
            prop_assert_eq!(rej.iter().filter(|&&r| r).count(), k);
        }
    }

    // --- EARS ---

    /// Period-7 pattern: every window of 7 consecutive values has mean 2 and sum of squared
    /// deviations 4, so sd = sqrt(4/6) = 0.8164966.
    const PATTERN: [f64; 7] = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 2.0];

    #[test]
    fn ears_c1_spike() {
        let mut y = PATTERN.to_vec();
        y.push(9.0);
        let r = ears(&y, EarsMethod::C1, 7, 0.0, 0.001);
        assert_eq!(r.len(), 8);
        assert!(r[..7].iter().all(|x| x.is_none()));
        let last = r[7].as_ref().unwrap();
        // C1 = (9 - 2) / 0.8164966 = 8.573214; z(0.999) = 3.090232; upper bound 2 + 3.090232 * 0.8164966.
        assert_eq!(last.method, "C1");
        close(last.baseline_mean, 2.0, 1e-12);
        close(last.baseline_sd, (2.0f64 / 3.0).sqrt(), 1e-12);
        close(last.value, 8.573214, 1e-6);
        close(last.threshold, 3.090232, 1e-6);
        assert!(last.alarm);
        close(last.upper_bound().unwrap(), 4.523164, 1e-6);
        // A count of 4 stays below the bound 4.523164: no alarm, C1 = 2 / 0.8164966 = 2.449490.
        y[7] = 4.0;
        let r = ears(&y, EarsMethod::C1, 7, 0.0, 0.001);
        let last = r[7].as_ref().unwrap();
        close(last.value, 2.449490, 1e-6);
        assert!(!last.alarm);
    }

    #[test]
    fn ears_c2_guard_band() {
        // Baseline of t=9 is indices 0..=6 (the pattern), t-1 and t-2 (value 5) are skipped.
        let mut y = PATTERN.to_vec();
        y.extend([5.0, 5.0, 9.0]);
        let r = ears(&y, EarsMethod::C2, 7, 0.0, 0.001);
        assert!(r[..9].iter().all(|x| x.is_none()));
        let last = r[9].as_ref().unwrap();
        close(last.baseline_mean, 2.0, 1e-12);
        close(last.value, 8.573214, 1e-6);
        assert!(last.alarm);
        // C1 on the same series sees the 5s in its baseline: mean (14-1-2+10)/7 = 3.
        let c1 = ears(&y, EarsMethod::C1, 7, 0.0, 0.001);
        close(c1[9].as_ref().unwrap().baseline_mean, 3.0, 1e-12);
    }

    #[test]
    fn ears_c3_sum_of_three() {
        // Indices 0..=8 follow the pattern; 9, 10, 11 are 4, 5, 3. Each C2 window (t-9..=t-3)
        // is a run of 7 pattern values: mean 2, sd sqrt(2/3).
        // C2(9) = 2/sd = sqrt(6) = 2.449490, C2(10) = 3/sd = 3.674235, C2(11) = 1/sd = 1.224745.
        // C3(11) = 1.449490 + 2.674235 + 0.224745 = 3*sqrt(6) - 3 = 4.348469 > z(0.975) = 1.959964.
        let mut y = PATTERN.to_vec();
        y.extend([1.0, 2.0, 4.0, 5.0, 3.0]);
        let r = ears(&y, EarsMethod::C3, 7, 0.0, 0.025);
        assert_eq!(r.len(), 12);
        assert!(r[..11].iter().all(|x| x.is_none()));
        let last = r[11].as_ref().unwrap();
        assert_eq!(last.method, "C3");
        close(last.value, 3.0 * 6f64.sqrt() - 3.0, 1e-9);
        close(last.threshold, 1.959964, 1e-6);
        assert!(last.alarm);
        assert_eq!(last.upper_bound(), None);
    }

    #[test]
    fn ears_min_sigma_quiets_sparse_counts() {
        // Seven zeros then a single case: sd = 0. Without min_sigma the score is +inf (alarm);
        // with min_sigma = 1 the score is (1 - 0)/1 = 1 < 3.09 (no alarm).
        let y = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0];
        let raw = ears(&y, EarsMethod::C1, 7, 0.0, 0.001);
        let raw = raw[7].as_ref().unwrap();
        assert_eq!(raw.value, f64::INFINITY);
        assert!(raw.alarm);
        let damped = ears(&y, EarsMethod::C1, 7, 1.0, 0.001);
        let damped = damped[7].as_ref().unwrap();
        close(damped.value, 1.0, 1e-12);
        assert_eq!(damped.baseline_sd, 1.0);
        assert!(!damped.alarm);
        // A 0/1 series with min_sigma 1 never alarms under C1, C2 or C3.
        let y: Vec<f64> = (0..40)
            .map(|i| if i % 5 == 0 { 1.0 } else { 0.0 })
            .collect();
        for (m, alpha) in [
            (EarsMethod::C1, 0.001),
            (EarsMethod::C2, 0.001),
            (EarsMethod::C3, 0.025),
        ] {
            let r = ears(&y, m, 7, 1.0, alpha);
            assert!(r.iter().flatten().all(|x| !x.alarm), "{m:?}");
            assert!(r.iter().flatten().count() > 20);
        }
        // A constant series equal to its baseline scores 0, not NaN.
        let flat = ears(&[3.0; 8], EarsMethod::C1, 7, 0.0, 0.001);
        assert_eq!(flat[7].as_ref().unwrap().value, 0.0);
    }

    #[test]
    fn ears_invalid_parameters() {
        let y = [1.0; 20];
        assert!(ears(&y, EarsMethod::C1, 2, 0.0, 0.001)
            .iter()
            .all(|x| x.is_none()));
        assert!(ears(&y, EarsMethod::C1, 7, 0.0, 0.0)
            .iter()
            .all(|x| x.is_none()));
        assert!(ears(&[1.0; 5], EarsMethod::C3, 7, 0.0, 0.025)
            .iter()
            .all(|x| x.is_none()));
    }

    // --- special functions ---

    #[test]
    fn ln_gamma_values() {
        close(ln_gamma(1.0), 0.0, 1e-14);
        close(ln_gamma(2.0), 0.0, 1e-14);
        close(ln_gamma(0.5), PI.sqrt().ln(), 1e-14);
        close(ln_gamma(11.0), 3_628_800f64.ln(), 1e-12); // 10!
        close(ln_gamma(101.0), 363.739_375_555_563_5, 1e-10); // ln(100!)
        close(ln_gamma(-0.5), (2.0 * PI.sqrt()).ln(), 1e-13); // |Γ(-1/2)| = 2√π
        assert_eq!(ln_gamma(0.0), f64::INFINITY);
        assert_eq!(ln_gamma(-3.0), f64::INFINITY);
    }

    #[test]
    fn erfc_values() {
        close(erfc(0.0), 1.0, 1e-15);
        close(erfc(0.5), 0.479_500_122_186_953_5, 1e-15);
        close(erfc(1.0), 0.157_299_207_050_285_13, 1e-15);
        close(erfc(-1.0), 1.842_700_792_949_715, 1e-15);
        let tail = erfc(5.0);
        assert!((tail / 1.537_459_794_428_034_8e-12 - 1.0).abs() < 1e-12);
        let deep = erfc(20.0);
        assert!((deep / 5.395_865_611_607_901e-176 - 1.0).abs() < 1e-11);
        assert_eq!(erfc(30.0), 0.0);
    }

    #[test]
    fn norm_quantile_values() {
        close(norm_quantile(0.975), 1.959_963_984_540_054, 1e-12);
        close(norm_quantile(0.999), 3.090_232_306_167_813_5, 1e-12);
        close(norm_quantile(0.025), -1.959_963_984_540_054, 1e-12);
        close(norm_quantile(1e-10), -6.361_340_902_404_056, 1e-9);
        assert_eq!(norm_quantile(0.5), 0.0);
        assert_eq!(norm_quantile(0.0), f64::NEG_INFINITY);
        assert!(norm_quantile(1.5).is_nan());
        for p in [0.001, 0.1, 0.3, 0.7, 0.95] {
            close(norm_cdf(norm_quantile(p)), p, 1e-14);
        }
    }

    #[test]
    fn gamma_quantile_values() {
        // Gamma(1) is Exp(1): quantile -ln(1 - p).
        close(gamma_quantile(1.0, 0.5), 2f64.ln(), 1e-12);
        close(gamma_quantile(1.0, 0.975), -(0.025f64.ln()), 1e-11);
        // Chi-square(2 k) / 2: chi-square(10) 97.5% quantile = 20.48318.
        close(2.0 * gamma_quantile(5.0, 0.975), 20.483_177_350_807_4, 1e-8);
        close(gamma_p(5.0, gamma_quantile(5.0, 0.025)), 0.025, 1e-13);
        close(gamma_p(25.5, gamma_quantile(25.5, 0.025)), 0.025, 1e-13);
    }
}
