//! Poisson trend test with an offset: does a theme's share of the intake grow from quarter
//! to quarter? Works on short histories (from 4 quarters), where EARS C2 (which needs a
//! baseline of several earlier quarters plus a gap) cannot alarm yet.
//!
//! Model: `y_t ~ Poisson(T_t · exp(b0 + b1 · t))`, `t = 0, 1, ..., k−1`, with `T_t` the
//! total intake of quarter `t` as offset, so growth of the whole intake is not a trend.
//! Fitted by Newton-Raphson (for the canonical log link the same as IRLS). The test of
//! `b1 > 0` uses the signed root of the likelihood-ratio statistic against `b1 = 0`,
//! `r = sign(b1)·sqrt(2·(l1 − l0))`, one-sided `p = 1 − Φ(r)`; this stays usable when the
//! counts are small or the first quarters are zero (where the Wald statistic breaks down).
//! A partial first quarter needs no special care: its small total is its offset.
//!
//! ```
//! use rodedraad::analyse::methods::poisson::poisson_trend;
//! let t = poisson_trend(&[2.0, 3.0, 6.0, 12.0], &[100.0, 100.0, 100.0, 100.0]).unwrap();
//! assert!(t.rate_ratio > 1.5 && t.p < 0.01);
//! ```

use super::stats::norm_cdf;

/// The fitted trend (see module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoissonTrend {
    /// Intercept on the log scale (share of the intake in quarter 0).
    pub b0: f64,
    /// Log rate ratio per quarter.
    pub b1: f64,
    /// Standard error of `b1` from the observed information (infinite when not estimable).
    pub se: f64,
    /// `exp(b1)`: factor by which the share grows per quarter.
    pub rate_ratio: f64,
    /// Likelihood-ratio statistic against no trend.
    pub lr: f64,
    /// One-sided p-value of a rising trend.
    pub p: f64,
}

/// Fits the trend; `None` with fewer than 2 quarters, no cases at all, or a total of 0
/// where the count is positive.
pub fn poisson_trend(counts: &[f64], totals: &[f64]) -> Option<PoissonTrend> {
    let k = counts.len();
    if k < 2 || totals.len() != k {
        return None;
    }
    if counts
        .iter()
        .zip(totals)
        .any(|(&y, &t)| y < 0.0 || t < 0.0 || (t == 0.0 && y > 0.0))
    {
        return None;
    }
    let sum_y: f64 = counts.iter().sum();
    let sum_t: f64 = totals.iter().sum();
    if sum_y <= 0.0 || sum_t <= 0.0 {
        return None;
    }
    let ll = |b0: f64, b1: f64| -> f64 {
        counts
            .iter()
            .zip(totals)
            .enumerate()
            .filter(|(_, (_, &t))| t > 0.0)
            .map(|(i, (&y, &t))| {
                let eta = t.ln() + b0 + b1 * i as f64;
                y * eta - eta.exp()
            })
            .sum()
    };
    let b0_null = (sum_y / sum_t).ln();
    let l0 = ll(b0_null, 0.0);
    let (mut b0, mut b1) = (b0_null, 0.0f64);
    let mut se = f64::INFINITY;
    for _ in 0..100 {
        let (mut u0, mut u1, mut i00, mut i01, mut i11) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (i, (&y, &t)) in counts.iter().zip(totals).enumerate() {
            if t <= 0.0 {
                continue;
            }
            let x = i as f64;
            let mu = (t.ln() + b0 + b1 * x).exp();
            u0 += y - mu;
            u1 += x * (y - mu);
            i00 += mu;
            i01 += x * mu;
            i11 += x * x * mu;
        }
        let det = i00 * i11 - i01 * i01;
        if !(det.is_finite() && det > 0.0) {
            break;
        }
        se = (i00 / det).sqrt();
        let d0 = (i11 * u0 - i01 * u1) / det;
        let d1 = (i00 * u1 - i01 * u0) / det;
        // Step halving keeps the likelihood rising when counts start at zero.
        let before = ll(b0, b1);
        let mut step = 1.0;
        while step > 1e-6 && ll(b0 + step * d0, b1 + step * d1) < before - 1e-12 {
            step /= 2.0;
        }
        b0 += step * d0;
        b1 += step * d1;
        if (step * d0).abs() < 1e-10 && (step * d1).abs() < 1e-10 {
            break;
        }
        if b1.abs() > 30.0 {
            break;
        }
    }
    let lr = (2.0 * (ll(b0, b1) - l0)).max(0.0);
    let r = b1.signum() * lr.sqrt();
    Some(PoissonTrend {
        b0,
        b1,
        se,
        rate_ratio: b1.exp(),
        lr,
        p: 1.0 - norm_cdf(r),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Golden values from statsmodels 0.15.0 (`sm.GLM(y, sm.add_constant(t),
    // family=sm.families.Poisson(), offset=np.log(T)).fit(tol=1e-13)`, with LR twice the
    // difference of `llf` against the intercept-only fit and p = 1 - norm.cdf(sign(b1)·sqrt(LR))
    // from scipy); they agree to 7 digits with the Newton-Raphson written out by hand in plain
    // Python that first gave them:
    //   y = [4, 6, 9, 15], T = [60, 70, 80, 90]:
    //     b0 = -2.7615444, b1 = 0.3153158, se(b1) = 0.1670215, LR = 3.7932623, p = 0.0257296
    //   y = [1, 0, 2, 3, 9], T = [20, 55, 60, 70, 80] (a partial first quarter):
    //     b0 = -4.7084008, b1 = 0.6071523, se(b1) = 0.2653235, LR = 6.5820720, p = 0.0051505
    //   y = [10, 10, 10, 10], T = [100, 100, 100, 100]: b1 = 0, LR = 0, p = 0.5
    #[test]
    fn golden_values() {
        let t = poisson_trend(&[4.0, 6.0, 9.0, 15.0], &[60.0, 70.0, 80.0, 90.0]).unwrap();
        assert!((t.b0 - -2.7615444).abs() < 1e-6, "{t:?}");
        assert!((t.b1 - 0.3153158).abs() < 1e-6, "{t:?}");
        assert!((t.se - 0.1670215).abs() < 1e-6, "{t:?}");
        assert!((t.lr - 3.7932623).abs() < 1e-5, "{t:?}");
        assert!((t.p - 0.0257296).abs() < 1e-6, "{t:?}");
        let t = poisson_trend(&[1.0, 0.0, 2.0, 3.0, 9.0], &[20.0, 55.0, 60.0, 70.0, 80.0]).unwrap();
        assert!((t.b0 - -4.7084008).abs() < 1e-6, "{t:?}");
        assert!((t.b1 - 0.6071523).abs() < 1e-6, "{t:?}");
        assert!((t.se - 0.2653235).abs() < 1e-6, "{t:?}");
        assert!((t.lr - 6.5820720).abs() < 1e-5, "{t:?}");
        assert!((t.p - 0.0051505).abs() < 1e-6, "{t:?}");
        let flat = poisson_trend(&[10.0; 4], &[100.0; 4]).unwrap();
        assert!(flat.b1.abs() < 1e-9 && flat.lr < 1e-9 && (flat.p - 0.5).abs() < 1e-6);
    }

    #[test]
    fn growth_of_the_intake_alone_is_no_trend() {
        // The theme keeps 10% of an intake that doubles every quarter.
        let t = poisson_trend(&[5.0, 10.0, 20.0, 40.0], &[50.0, 100.0, 200.0, 400.0]).unwrap();
        assert!(t.b1.abs() < 1e-8 && t.p > 0.4, "{t:?}");
        // A falling share gives a large one-sided p.
        let t = poisson_trend(&[20.0, 12.0, 8.0, 3.0], &[100.0; 4]).unwrap();
        assert!(t.b1 < 0.0 && t.p > 0.99, "{t:?}");
    }

    #[test]
    fn zero_history_and_degenerate_input() {
        let t = poisson_trend(&[0.0, 0.0, 0.0, 8.0], &[50.0, 60.0, 70.0, 80.0]).unwrap();
        assert!(t.b1 > 2.0 && t.p < 0.001, "{t:?}");
        assert!(poisson_trend(&[1.0], &[1.0]).is_none());
        assert!(poisson_trend(&[0.0, 0.0], &[5.0, 5.0]).is_none());
        assert!(poisson_trend(&[1.0, 2.0], &[0.0, 5.0]).is_none());
    }
}
