//! Disproportionality measures for a 2x2 table: IC, PRR, ROR, chi-square and Fisher.

use super::*;

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
    let expected = expected_count(t);
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

pub(super) fn log_ci(estimate: f64, se: f64) -> (f64, f64) {
    let l = estimate.ln();
    ((l - 1.96 * se).exp(), (l + 1.96 * se).exp())
}

/// Upper-tail probability of the chi-square distribution with 1 degree of freedom.
pub(super) fn chi2_upper_1df(x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else {
        erfc((x / 2.0).sqrt())
    }
}

pub(super) fn ln_choose(n: f64, k: f64) -> f64 {
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

/// The one-sided Fisher p of a table alone: [`Disproportionality::p_fisher`] without the
/// other measures (the same number, for callers that need only the p-value).
pub fn fisher_p(t: &TwoByTwo) -> f64 {
    fisher_greater(t.a, t.b, t.c, t.d)
}

/// One-sided (greater) Fisher exact test: P(X >= a) for X hypergeometric with the margins of
/// the table. NaN for cells that are not non-negative whole numbers.
pub(super) fn fisher_greater(a: f64, b: f64, c: f64, d: f64) -> f64 {
    fisher_greater_by(a, b, c, d, &ln_choose)
}

/// ln k! for k = 0..=n (each `ln_gamma(k + 1)`), for many Fisher tests on tables of at most
/// n cases: [`LnFactorials::fisher_p`] then looks the log-factorials up instead of computing
/// six log-gamma values per term, with the same result to the bit.
#[derive(Debug, Clone)]
pub struct LnFactorials(Vec<f64>);

impl LnFactorials {
    /// The table for tables of at most `n` cases (on two cores from about 100.000).
    pub fn new(n: usize) -> Self {
        let value = |k: usize| ln_gamma(k as f64 + 1.0);
        let threads = crate::util::parallel::threads_for(n, 100_000, 2);
        if threads == 1 {
            return LnFactorials((0..=n).map(value).collect());
        }
        let half = n / 2;
        let (lo, hi) = std::thread::scope(|s| {
            let hi = s.spawn(move || (half..=n).map(value).collect::<Vec<f64>>());
            let lo: Vec<f64> = (0..half).map(value).collect();
            (lo, hi.join().expect("rekenthread voor ln k! faalde"))
        });
        let mut v = lo;
        v.extend(hi);
        LnFactorials(v)
    }

    /// ln k! as held in the table (None beyond it).
    pub fn get(&self, k: usize) -> Option<f64> {
        self.0.get(k).copied()
    }

    /// [`fisher_p`] of `t`, bit for bit; a table of more cases than the table holds is
    /// computed the slow way.
    pub fn fisher_p(&self, t: &TwoByTwo) -> f64 {
        let n = t.a.round() + t.b.round() + t.c.round() + t.d.round();
        if !(n >= 0.0 && n < self.0.len() as f64) {
            return fisher_p(t);
        }
        let lf = &self.0;
        fisher_greater_by(t.a, t.b, t.c, t.d, &|n: f64, k: f64| {
            let (n, k) = (n as usize, k as usize);
            lf[n] - lf[k] - lf[n - k]
        })
    }
}

/// [`Disproportionality::ic025`] alone, bit for bit, with the 2,5% gamma quantile of shape
/// `a + 0.5` from `lower_quantile` (so that a caller can remember it per `a`).
pub fn ic025_with(t: &TwoByTwo, lower_quantile: impl FnOnce(f64) -> f64) -> f64 {
    let expected = expected_count(t);
    if expected.is_finite() && t.a >= 0.0 && expected >= 0.0 {
        (lower_quantile(t.a + 0.5) / (expected + 0.5)).log2()
    } else {
        f64::NAN
    }
}

/// The count expected in cell `a` under independence, `(a + b)(a + c) / N`; NaN when N = 0.
fn expected_count(t: &TwoByTwo) -> f64 {
    let TwoByTwo { a, b, c, d } = *t;
    let n = a + b + c + d;
    if n > 0.0 {
        (a + b) * (a + c) / n
    } else {
        f64::NAN
    }
}

/// [`fisher_greater`] with the log binomial coefficient from `ln_choose` (called only with
/// whole numbers `0 <= k <= n`, `n` at most the table's total).
fn fisher_greater_by(a: f64, b: f64, c: f64, d: f64, ln_choose: &impl Fn(f64, f64) -> f64) -> f64 {
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
