//! Golden values and properties of the statistical functions.

use super::*;
use proptest::prelude::*;
use std::f64::consts::PI;

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
    0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
    0.6528, 0.7590, 1.000,
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

proptest! {
    /// The table-based Fisher test gives the very bits of the direct one, on tables that fit
    /// the table of ln k!, on larger ones (computed the slow way) and on cells that are no
    /// whole numbers (NaN both).
    #[test]
    fn fisher_from_ln_factorials_is_bit_identical(
        a in 0u64..400,
        b in 0u64..3000,
        c in 0u64..3000,
        d in 0u64..30_000,
        size in 0usize..40_000,
        half in proptest::bool::ANY,
    ) {
        let lf = LnFactorials::new(size);
        let t = TwoByTwo { a: a as f64, b: b as f64, c: c as f64, d: d as f64 };
        prop_assert_eq!(lf.fisher_p(&t).to_bits(), fisher_p(&t).to_bits(), "{:?}", t);
        prop_assert_eq!(
            fisher_p(&t).to_bits(),
            disproportionality(&t).p_fisher.to_bits()
        );
        if half {
            let odd = TwoByTwo { a: a as f64 + 0.5, ..t };
            prop_assert!(lf.fisher_p(&odd).is_nan());
        }
    }

    /// `ic025_with` with the gamma quantile is the IC025 of the full measures, to the bit.
    #[test]
    fn ic025_alone_is_bit_identical(
        a in 0u64..2000,
        b in 0u64..5000,
        c in 0u64..5000,
        d in 0u64..50_000,
    ) {
        let t = TwoByTwo { a: a as f64, b: b as f64, c: c as f64, d: d as f64 };
        let alone = ic025_with(&t, |shape| gamma_quantile(shape, 0.025));
        prop_assert_eq!(alone.to_bits(), disproportionality(&t).ic025.to_bits());
    }
}

#[test]
fn ln_factorials_hold_ln_gamma_on_both_halves() {
    // Above 100.000 the table is built on two threads; both halves and the seam.
    let n = 250_001;
    let lf = LnFactorials::new(n);
    for k in [0usize, 1, 2, 124_999, 125_000, 125_001, n - 1, n] {
        let expected = ln_gamma(k as f64 + 1.0);
        assert_eq!(
            lf.get(k).map(f64::to_bits),
            Some(expected.to_bits()),
            "k={k}"
        );
    }
    assert_eq!(lf.get(n + 1), None);
    // Tables whose ln k! terms come from both halves.
    for [a, b, c, d] in [
        [40.0, 60_000.0, 70_000.0, 120_000.0],
        [70_000.0, 1_000.0, 2_000.0, 177_001.0],
    ] {
        let t = TwoByTwo { a, b, c, d };
        assert_eq!(lf.fisher_p(&t).to_bits(), fisher_p(&t).to_bits(), "{t:?}");
    }
}

#[test]
fn cramers_v_does_not_depend_on_the_order_of_the_table() {
    // Every HashMap has its own random hash seed, so its cells come out in a different
    // order; V is printed in the analysis (workflow), so it must be the same bits each time.
    let mut rng = crate::util::rng::SplitMix64::new(14);
    let cells: Vec<((u32, u32), u64)> = (0..40u32)
        .flat_map(|r| (0..6u32).map(move |c| (r, c)))
        .map(|k| (k, 1 + rng.below(997) as u64))
        .collect();
    let first = cramers_v(&cells.iter().copied().collect());
    for _ in 0..50 {
        let again: std::collections::HashMap<(u32, u32), u64> = cells.iter().copied().collect();
        assert_eq!(cramers_v(&again).to_bits(), first.to_bits());
    }
}
