//! Proportions with Wilson intervals, and order statistics (median, quantiles).

/// 97.5% quantile of the standard normal distribution, used for all 95% intervals here.
pub(super) const Z_95: f64 = 1.959964;

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
