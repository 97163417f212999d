//! Tests of the generator as a whole: every process rule for every case and signal, for
//! fixed and arbitrary options, and determinism down to the bytes. Also the helpers the
//! tests of the parts share.

use super::*;
use crate::model::{
    AdviceResponse, EscalationLevel, Outcome, Recipient, Service, SignalSource, SignalStatus,
    TriageDecision,
};
use chrono::{Datelike, Duration};
use excel::{
    codes, HELPER_TYPE_LABELS, LIFE_EVENT_LABELS, SCHEME_LABELS, TARGET_GROUP_LABELS, THEME_LABELS,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn opts(seed: u64, cases: Option<usize>, planted: bool) -> SampleOptions {
    SampleOptions {
        seed,
        cases,
        planted,
        ..SampleOptions::default()
    }
}

pub(super) fn tmp_dir(name: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("rodedraad-sample-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    p
}

/// Every process rule (docs/domein.md#voorbeelddata), for one case.
fn check_case(c: &Case, end: NaiveDate) {
    let id = &c.casus_id;
    let o = c.ontvangen_op;
    assert!(o >= start_date() && o <= end, "{id}: ontvangen_op");
    assert!(id.starts_with(&format!("C-{}-", o.year())), "{id}: id year");
    for x in [c.triage_op, c.zienswijze_op, c.afgerond_op]
        .into_iter()
        .flatten()
    {
        assert!(x <= end, "{id}: date after export");
    }
    assert!(
        codes(THEME_LABELS).contains(&c.thema.as_str()),
        "{id}: thema"
    );
    assert!(
        codes(HELPER_TYPE_LABELS).contains(&c.aandrager_type.as_str()),
        "{id}"
    );
    assert_eq!(
        c.aandrager_id.is_none(),
        c.aandrager_type == "burger_zelf",
        "{id}: aandrager_id"
    );
    let dienst = c.dienst.map(|x| x.as_str()).unwrap();
    assert!(Service::CODES.contains(&dienst));
    let regeling = c.regeling.as_deref();
    if let Some(r) = regeling {
        assert!(codes(SCHEME_LABELS).contains(&r), "{id}: regeling {r}");
    }
    for g in &c.doelgroep {
        assert!(
            codes(TARGET_GROUP_LABELS).contains(&g.as_str()),
            "{id}: doelgroep"
        );
    }
    if let Some(l) = c.levensgebeurtenis.as_deref() {
        assert!(codes(LIFE_EVENT_LABELS).contains(&l));
    }
    // Theme and service.
    match c.main_theme() {
        "toeslagen" => {
            assert_eq!(dienst, "dienst_toeslagen", "{id}");
            assert!(
                matches!(
                    regeling,
                    Some(
                        "huurtoeslag"
                            | "zorgtoeslag"
                            | "kinderopvangtoeslag"
                            | "kindgebonden_budget"
                    )
                ),
                "{id}: toeslagen regeling"
            );
        }
        "ondernemers" => {
            assert_eq!(dienst, "belastingdienst", "{id}");
            assert!(
                matches!(
                    regeling,
                    Some("btw" | "loonheffingen" | "inkomstenbelasting")
                ),
                "{id}"
            );
            assert!(
                c.doelgroep.iter().any(|g| g == "zzp" || g == "mkb"),
                "{id}: zzp/mkb"
            );
        }
        "douane" => assert_eq!(dienst, "douane", "{id}"),
        _ => assert_ne!(dienst, "douane", "{id}"),
    }
    if let Some(k) = c.complexiteit {
        assert!((1..=3).contains(&k));
    }
    assert!(
        c.samenvatting.as_deref().is_some_and(|s| s.len() > 40),
        "{id}: samenvatting"
    );
    // Process.
    let besluit = c.triage_besluit.map(|x| x.as_str());
    match c.triage_op {
        None => assert!(besluit.is_none() && c.uitkomst.is_none() && c.zienswijze_op.is_none()),
        Some(t) => {
            assert!(t >= o && (t - o).num_days() <= 21, "{id}: triage 0-21 days");
            assert!(TriageDecision::CODES.contains(&besluit.unwrap()));
        }
    }
    let behandelen = besluit == Some("behandelen");
    assert_eq!(
        c.warm_doorverwezen.is_some(),
        besluit == Some("doorverwijzen"),
        "{id}"
    );
    assert_eq!(
        c.doorverwezen_naar.is_some(),
        besluit == Some("doorverwijzen"),
        "{id}"
    );
    if let Some(z) = c.zienswijze_op {
        assert!(behandelen, "{id}: zienswijze only when behandelen");
        let t = c.triage_op.unwrap();
        assert!(
            z >= t && (z - t).num_days() <= 60,
            "{id}: zienswijze 10-60 days after triage"
        );
    }
    if let Some(r) = c.zienswijze_reactie.map(|x| x.as_str()) {
        assert!(c.zienswijze_op.is_some() && AdviceResponse::CODES.contains(&r));
    }
    assert_eq!(c.geescaleerd.is_some(), behandelen, "{id}: geescaleerd");
    assert_eq!(
        c.geescaleerd == Some(true),
        c.escalatie_niveau.is_some(),
        "{id}"
    );
    if let Some(n) = c.escalatie_niveau.map(|x| x.as_str()) {
        assert!(EscalationLevel::CODES.contains(&n) && c.zienswijze_reactie.is_some());
    }
    // Every escalation has its date, after the zienswijze and not after the closing.
    assert_eq!(
        c.geescaleerd_op.is_some(),
        c.geescaleerd == Some(true),
        "{id}"
    );
    if let Some(e) = c.geescaleerd_op {
        assert!(
            c.zienswijze_op.is_some_and(|z| z < e),
            "{id}: escalation after zienswijze"
        );
        assert!(
            c.afgerond_op.is_none_or(|a| e <= a),
            "{id}: escalation before closing"
        );
    }
    if c.pauzeknop == Some(true) {
        assert!(behandelen);
    }
    match c.afgerond_op {
        Some(a) => {
            assert!(behandelen, "{id}: only behandelen cases close");
            let days = (a - o).num_days();
            assert!((20..=200).contains(&days), "{id}: afgerond {days} days");
            assert!(a >= c.zienswijze_op.unwrap_or(o) && a >= c.triage_op.unwrap());
            let u = c.uitkomst.map(|x| x.as_str()).unwrap();
            assert!(
                Outcome::CODES.contains(&u) && u != "lopend",
                "{id}: final uitkomst"
            );
            assert!(c.verhaal_vrijgegeven.is_some());
        }
        None => {
            assert!(
                matches!(c.uitkomst.map(|x| x.as_str()), None | Some("lopend")),
                "{id}: open uitkomst"
            );
            if !behandelen {
                assert!(
                    c.uitkomst.is_none(),
                    "{id}: no uitkomst when not behandelen"
                );
            }
            assert!(c.beleving_burger.is_none() && c.beleving_eerstelijnshelper.is_none());
            assert!(c.beleving_helper_dienst.is_none() && c.geleerde_les.is_none());
            assert!(c.verhaal_vrijgegeven.is_none());
        }
    }
    for s in [
        c.beleving_burger,
        c.beleving_eerstelijnshelper,
        c.beleving_helper_dienst,
    ]
    .into_iter()
    .flatten()
    {
        assert!((1..=10).contains(&s));
    }
}

fn check_signal(s: &Signal, end: NaiveDate, case_dates: &BTreeMap<&str, NaiveDate>) {
    let id = &s.signaal_id;
    assert!(s.gemeld_op >= start_date() && s.gemeld_op <= end);
    assert!(id.starts_with(&format!("S-{}-", s.gemeld_op.year())));
    assert!(SignalSource::CODES.contains(&s.bron.map(|x| x.as_str()).unwrap()));
    assert!(SignalStatus::CODES.contains(&s.status.map(|x| x.as_str()).unwrap()));
    assert!(s.omschrijving.as_deref().is_some_and(|t| t.len() > 30));
    assert!(s.casus_ids.len() <= 4);
    for cid in &s.casus_ids {
        let o = case_dates
            .get(cid.as_str())
            .unwrap_or_else(|| panic!("{id}: unknown case {cid}"));
        assert!(*o <= s.gemeld_op, "{id}: case received after the signal");
    }
    if let Some(t) = s.thema.as_deref() {
        assert!(codes(THEME_LABELS).contains(&t));
    }
    assert_eq!(s.doorgezet_naar.is_some(), s.doorgezet_op.is_some());
    assert_eq!(s.doorgezet_naar.is_some(), s.eigenaar.is_some());
    if let Some(n) = s.doorgezet_naar.map(|x| x.as_str()) {
        assert!(Recipient::CODES.contains(&n));
        let dz = s.doorgezet_op.unwrap();
        assert!(dz >= s.gemeld_op && dz <= end);
        assert!(s.reactie_verwacht_op.unwrap() > dz);
        assert!(!matches!(
            s.status.map(|x| x.as_str()),
            Some("nieuw" | "in_analyse")
        ));
    }
    assert_eq!(s.terugkoppeling.is_some(), s.terugkoppeling_op.is_some());
    if let Some(f) = s.terugkoppeling_op {
        assert!(f >= s.doorgezet_op.unwrap_or(s.gemeld_op) && f <= end);
    }
}

pub(super) fn check_all(data: &SampleData, end: NaiveDate) {
    let mut ids = BTreeSet::new();
    for w in data.cases.windows(2) {
        assert!(
            w[0].ontvangen_op <= w[1].ontvangen_op,
            "cases sorted by receipt"
        );
    }
    for c in &data.cases {
        check_case(c, end);
        assert!(ids.insert(c.casus_id.as_str()), "duplicate id");
    }
    let dates: BTreeMap<&str, NaiveDate> = data
        .cases
        .iter()
        .map(|c| (c.casus_id.as_str(), c.ontvangen_op))
        .collect();
    let mut sids = BTreeSet::new();
    for s in &data.signals {
        check_signal(s, end, &dates);
        assert!(sids.insert(s.signaal_id.as_str()));
    }
    for t in &data.planted {
        for id in &t.casus_ids {
            assert!(ids.contains(id.as_str()));
        }
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = tmp_dir("det-a");
    let b = tmp_dir("det-b");
    let c = tmp_dir("det-c");
    write_canonical(&generate(&opts(11, None, true)), &a.join("canon")).unwrap();
    write_excel_style(&generate(&opts(11, None, true)), &a.join("excel")).unwrap();
    write_canonical(&generate(&opts(11, None, true)), &b.join("canon")).unwrap();
    write_excel_style(&generate(&opts(11, None, true)), &b.join("excel")).unwrap();
    write_canonical(&generate(&opts(12, None, true)), &c.join("canon")).unwrap();
    for f in [
        "canon/casussen.csv",
        "canon/signalen.csv",
        "canon/geplante-draden.json",
        "excel/casussen.csv",
        "excel/signalen.csv",
        "excel/rodedraad.toml",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    assert_ne!(
        std::fs::read(a.join("canon/casussen.csv")).unwrap(),
        std::fs::read(c.join("canon/casussen.csv")).unwrap()
    );
    // No temporary files are left behind.
    let left: Vec<_> = std::fs::read_dir(a.join("canon"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 3);
    for p in [a, b, c] {
        std::fs::remove_dir_all(p).unwrap();
    }
}

#[test]
fn process_rules_hold_for_every_case_and_signal() {
    for seed in 0..6 {
        for planted in [true, false] {
            let data = generate(&opts(seed, None, planted));
            check_all(&data, d(2026, 10, 31));
        }
    }
    let data = generate(&opts(3, Some(20_000), true));
    check_all(&data, d(2026, 10, 31));
}

#[test]
fn large_volumes_are_generated_in_parallel_deterministically() {
    let big = generate(&opts(5, Some(60_000), true));
    assert_eq!(
        big.cases[59_999].casus_id,
        format!(
            "C-2026-{:04}",
            big.cases
                .iter()
                .filter(|c| c.ontvangen_op.year() == 2026)
                .count()
        )
    );
    assert_eq!(big, generate(&opts(5, Some(60_000), true)));
}

#[test]
fn export_date_bounds_everything() {
    let end = d(2025, 9, 30);
    let data = generate(&SampleOptions {
        seed: 3,
        cases: None,
        export_date: end,
        planted: true,
    });
    // Mar-Sep 2025: 2+3+4+5+5+6+7 = 32.
    assert_eq!(data.cases.len(), 32);
    check_all(&data, end);
    let empty = generate(&SampleOptions {
        seed: 3,
        cases: Some(10),
        export_date: d(2025, 1, 1),
        planted: true,
    });
    assert!(empty.cases.is_empty() && empty.signals.is_empty() && empty.planted.is_empty());
}

#[test]
#[ignore = "timing run: cargo test --release -- --ignored"]
fn one_million_cases() {
    let t = std::time::Instant::now();
    let data = generate(&opts(1, Some(1_000_000), true));
    let secs = t.elapsed().as_secs_f64();
    println!(
        "generate 1_000_000 cases: {secs:.2} s, {} signals",
        data.signals.len()
    );
    assert_eq!(data.cases.len(), 1_000_000);
    assert!(data.cases.last().unwrap().casus_id.len() > 11);
    assert!(secs < 60.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn rules_hold_for_any_options(seed in any::<u64>(), n in 0usize..400, offset in -30i64..900, planted in any::<bool>()) {
        let end = start_date() + Duration::days(offset);
        let data = generate(&SampleOptions { seed, cases: Some(n), export_date: end, planted });
        if end < start_date() {
            prop_assert!(data.cases.is_empty());
        } else {
            prop_assert_eq!(data.cases.len(), n);
            check_all(&data, end);
        }
        if !planted {
            prop_assert!(data.planted.is_empty());
        }
    }
}
