//! Tests of the thread detection as a whole: unique and stable ids, one period at a time.

use super::*;
use crate::sample::{generate, SampleOptions};

fn sample(seed: u64, planted: bool) -> Vec<Case> {
    generate(&SampleOptions {
        seed,
        planted,
        ..SampleOptions::default()
    })
    .cases
}

fn detect_in(cases: &[Case], period: &Period) -> Vec<Thread> {
    let cfg = Config::default_config();
    let mut t = detect(cases, &[], period, period.end, &cfg);
    describe(&mut t, &cfg);
    t
}

#[test]
fn no_output_repeats_an_id() {
    for seed in 0..6 {
        for planted in [true, false] {
            let cases = sample(seed, planted);
            for period in [
                Period::quarter(2026, 2),
                Period::quarter(2026, 3),
                Period::half(2026, 1),
                Period::range(
                    chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
                    chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
                ),
            ] {
                let t = detect_in(&cases, &period);
                let ids: BTreeSet<&str> = t.iter().map(|d| d.id.as_str()).collect();
                assert_eq!(
                    ids.len(),
                    t.len(),
                    "seed {seed} {}: {:?}",
                    period.label,
                    t.iter().map(|d| &d.id).collect::<Vec<_>>()
                );
            }
        }
    }
}

#[test]
fn duplicate_ids_are_made_unique_and_stay_stable() {
    let mk = |id: &str, first: &str| {
        let mut t = new_thread(
            id.into(),
            ThreadKind::Text,
            BTreeMap::new(),
            vec![first.into(), "Z".into()],
            Statistic::default(),
            1.0,
        );
        t.casus_ids.sort();
        t
    };
    let mut v = vec![mk("RD-1", "A"), mk("RD-1", "B"), mk("RD-1", "B")];
    make_ids_unique(&mut v);
    let ids: BTreeSet<&str> = v.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(v[0].id, "RD-1");
    let mut again = vec![mk("RD-1", "A"), mk("RD-1", "B")];
    make_ids_unique(&mut again);
    assert_eq!(
        again[1].id, v[1].id,
        "derived from the thread's earliest case"
    );
}

#[test]
fn ids_survive_adding_a_quarter() {
    let mut matched = 0;
    for seed in [1, 2, 3] {
        let cases = sample(seed, true);
        let before = detect_in(&cases, &Period::quarter(2026, 2));
        let after = detect_in(&cases, &Period::quarter(2026, 3));
        // A thread found again with the same pattern keeps its id, whatever cases the new
        // quarter adds; a different pattern over similar cases is another thread.
        for b in &before {
            if let Some(a) = after.iter().find(|a| {
                a.soort == b.soort && a.kenmerken == b.kenmerken && !b.kenmerken.is_empty()
            }) {
                matched += 1;
                assert_eq!(a.id, b.id, "seed {seed}: {} became {}", b.label, a.label);
            }
        }
    }
    assert!(
        matched > 0,
        "no thread was found in both quarters: the test proves nothing"
    );
}

#[test]
fn a_period_lists_only_threads_with_cases_in_it() {
    let cases = sample(2, true);
    for period in [
        Period::quarter(2026, 1),
        Period::quarter(2026, 4),
        Period::half(2025, 2),
    ] {
        for t in detect_in(&cases, &period) {
            let in_period = t
                .casus_ids
                .iter()
                .filter(|id| {
                    cases
                        .iter()
                        .any(|c| &c.casus_id == *id && period.contains(c.ontvangen_op))
                })
                .count() as u64;
            assert!(
                in_period > 0,
                "{}: {} has no cases in the period",
                period.label,
                t.id
            );
            assert_eq!(t.statistiek.in_periode, in_period);
            assert_eq!(
                t.statistiek.in_periode + t.statistiek.eerder,
                t.casus_ids.len() as u64,
                "all cases received up to the end of the period"
            );
            assert!(t.uitleg.contains("in de periode"), "{}", t.uitleg);
        }
    }
}
