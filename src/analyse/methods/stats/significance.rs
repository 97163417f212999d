//! Tests and multiple testing: exact binomial tail, Benjamini-Hochberg, Tarone, chi-square
//! goodness of fit, rank sum and Cramér's V.

use super::*;

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
    // chi² = N (sum o²/(r c) − 1), summing over the non-empty cells only, in key order:
    // a HashMap's own order changes from run to run, and so would the last bits of V.
    let mut keyed: Vec<(&(u32, u32), &u64)> = cells.iter().collect();
    keyed.sort_unstable_by_key(|(k, _)| **k);
    let s: f64 = keyed
        .into_iter()
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
