//! `rodedraad analyse` on a hand-made fixture whose every indicator is worked out by hand
//! (tests/fixtures/handwerk.csv, period 2026-H1, peildatum 30 June 2026), and on the samples.

mod common;
use common::*;
use serde_json::Value;

fn analyse_fixture() -> (std::path::PathBuf, Vec<Value>) {
    let out = tmp("analyse-hand");
    let f = root().join("tests/fixtures/handwerk.csv");
    let o = run(&[
        "analyse",
        "--cases",
        f.to_str().unwrap(),
        "--period",
        "2026-H1",
        "--out",
        out.to_str().unwrap(),
        "--exportdatum",
        "2026-10-31",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let recs = read_json(&out.join("indicatoren.json"))
        .as_array()
        .unwrap()
        .clone();
    (out, recs)
}

fn get<'a>(recs: &'a [Value], id: &str, dim: Option<&str>, group: Option<&str>) -> &'a Value {
    recs.iter()
        .find(|r| r["id"] == id && r["dimensie"].as_str() == dim && r["groep"].as_str() == group)
        .unwrap_or_else(|| panic!("no record {id} {dim:?} {group:?}"))
}

fn tn(r: &Value) -> (f64, u64) {
    (r["teller"].as_f64().unwrap(), r["noemer"].as_u64().unwrap())
}

#[test]
fn every_indicator_matches_the_hand_calculation() {
    let (out, r) = analyse_fixture();
    let w = |id: &str| get(&r, id, None, None)["waarde"].as_f64().unwrap();
    // Intake: B C D E F G H J received in 2026-H1.
    assert_eq!(w("ontvangen_aantal"), 8.0);
    assert_eq!(
        get(
            &r,
            "ontvangen_aantal",
            Some("aandrager_type"),
            Some("sociaal_raadslieden")
        )["teller"],
        3.0
    );
    assert_eq!(
        get(
            &r,
            "ontvangen_aantal",
            Some("aandrager_type"),
            Some("wijkteam")
        )["teller"],
        3.0
    );
    assert_eq!(
        get(
            &r,
            "ontvangen_aantal",
            Some("aandrager_type"),
            Some("juridisch_loket")
        )["teller"],
        2.0
    );
    // Triage in P: B C D E F J (H's triage lies after the peildatum).
    assert_eq!(w("triage_aantal"), 6.0);
    assert_eq!(
        get(
            &r,
            "triage_aantal",
            Some("triage_besluit"),
            Some("behandelen")
        )["teller"],
        3.0
    );
    assert_eq!(
        get(
            &r,
            "triage_aantal",
            Some("triage_besluit"),
            Some("doorverwijzen")
        )["teller"],
        2.0
    );
    assert_eq!(
        get(
            &r,
            "triage_aantal",
            Some("triage_besluit"),
            Some("niet_behandelen")
        )["teller"],
        1.0
    );
    // Warm referral: C of B C D E F J.
    assert_eq!(tn(get(&r, "warm_verwezen_pct", None, None)), (1.0, 6));
    assert_eq!(
        tn(get(
            &r,
            "warm_verwezen_pct",
            Some("aandrager_type"),
            Some("sociaal_raadslieden")
        )),
        (1.0, 2)
    );
    assert_eq!(
        tn(get(
            &r,
            "warm_verwezen_pct",
            Some("aandrager_type"),
            Some("wijkteam")
        )),
        (0.0, 3)
    );
    // In treatment during P: A B E F (I closed before P, H not yet triaged on the peildatum).
    assert_eq!(w("behandeld_aantal"), 4.0);
    // Closed in P: A B E (F closes after the peildatum).
    assert_eq!(w("afgerond_aantal"), 3.0);
    assert_eq!(tn(get(&r, "oplossing_pct", None, None)), (2.0, 2));
    assert_eq!(tn(get(&r, "volledig_opgelost_pct", None, None)), (1.0, 2));
    assert_eq!(tn(get(&r, "deels_opgelost_pct", None, None)), (1.0, 2));
    assert_eq!(tn(get(&r, "advies_overgenomen_pct", None, None)), (1.0, 2));
    assert_eq!(tn(get(&r, "geescaleerd_pct", None, None)), (1.0, 3));
    assert_eq!(
        tn(get(
            &r,
            "geescaleerd_pct",
            Some("escalatie_niveau"),
            Some("directeur")
        )),
        (1.0, 3)
    );
    assert_eq!(w("minnelijk_opgelost_aantal"), 1.0);
    assert_eq!(w("na_escalatie_opgelost_aantal"), 1.0);
    // Closed-only (the version-1 figures, now `afgerond_*`): lead times of A B E 71, 55, 106:
    // median 71; p80 (type 7) 71 + 0.6 * 35 = 92; within 56 days: B, 1 of 3.
    assert_eq!(w("afgerond_doorlooptijd_mediaan_dagen"), 71.0);
    assert!((w("afgerond_doorlooptijd_p80_dagen") - 92.0).abs() < 1e-9);
    assert_eq!(
        tn(get(&r, "afgerond_binnen_8_weken_pct", None, None)),
        (1.0, 3)
    );
    // Version 2: Kaplan-Meier over the intake cohort (received in 2026-H1 and taken on by the
    // peildatum): B 55 (closed), F 90 (open on 30 June: censored), E 106 (closed). H is taken on
    // only after the peildatum; A and I were received in 2025.
    // t=55: 3 at risk, 1 closes -> S = 2/3; t=90 censored; t=106: 1 at risk, 1 closes -> S = 0.
    // Median and p80: the first step with 1 - S >= 0,5 (0,8) is 106, not on a flat -> 106.
    assert_eq!(w("doorlooptijd_mediaan_dagen"), 106.0);
    assert_eq!(
        get(&r, "doorlooptijd_mediaan_dagen", None, None)["noemer"],
        3
    );
    assert_eq!(w("doorlooptijd_p80_dagen"), 106.0);
    // 1 - S(56) = 1/3 (B seen closing, of 3); 1 - S(91) = 1/3; 1 - S(152) = 1 (B and E).
    let b8 = get(&r, "binnen_8_weken_pct", None, None);
    assert_eq!(b8["eenheid"], "geschat_aandeel");
    assert_eq!(tn(b8), (1.0, 3));
    assert!((w("binnen_8_weken_pct") - 1.0 / 3.0).abs() < 1e-12);
    // Greenwood (log) at 56: sum = 1/(3*2), se = 0,408248; S = 2/3 * exp(-/+ 0,800152)
    // = 0,299507 and 1,48 -> 1; so 1 - S lies in [0; 0,700493].
    assert!((b8["ci_laag"].as_f64().unwrap() - 0.0).abs() < 1e-9, "{b8}");
    assert!(
        (b8["ci_hoog"].as_f64().unwrap() - 0.700493).abs() < 1e-5,
        "{b8}"
    );
    assert_eq!(tn(get(&r, "binnen_3_maanden_pct", None, None)), (1.0, 3));
    assert!((w("binnen_3_maanden_pct") - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(tn(get(&r, "binnen_5_maanden_pct", None, None)), (2.0, 3));
    assert_eq!(w("binnen_5_maanden_pct"), 1.0);
    // Previous period 2025-H2 as it stood on 31 December 2025: intake cohort A (taken on
    // 20 Nov, open then: censored at 51 days) and I (closed after 19 days). S = 1/2 from day 19
    // to the end of the curve (51): median (19 + 51) / 2 = 35, R survival's midpoint rule.
    assert_eq!(
        get(&r, "doorlooptijd_mediaan_dagen", None, None)["vorige_waarde"],
        35.0
    );
    // Triage lead times 1 2 4 5 5 10: median 4.5.
    assert_eq!(w("triage_doorlooptijd_mediaan_dagen"), 4.5);
    assert_eq!(w("beleving_burger"), 7.0);
    assert_eq!(
        tn(get(&r, "beleving_burger_7plus_pct", None, None)),
        (1.0, 2)
    );
    assert_eq!(w("geleerde_lessen_aantal"), 1.0);
    // Previous period 2025-H2: A and I received.
    assert_eq!(
        get(&r, "ontvangen_aantal", None, None)["vorige_waarde"],
        2.0
    );
    // Wilson interval on 1/6.
    let ww = get(&r, "warm_verwezen_pct", None, None);
    assert!(
        (ww["ci_laag"].as_f64().unwrap() - 0.0300).abs() < 1e-3,
        "{ww}"
    );
    assert!(
        (ww["ci_hoog"].as_f64().unwrap() - 0.5635).abs() < 1e-3,
        "{ww}"
    );

    let flow = read_json(&out.join("stroom-en-cohorten.json"));
    let total = flow["stroom"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["dienst"] == "totaal")
        .unwrap()
        .clone();
    assert_eq!(
        (
            total["open_begin"].as_u64(),
            total["ontvangen"].as_u64(),
            total["afgehandeld"].as_u64(),
            total["open_eind"].as_u64()
        ),
        (Some(1), Some(8), Some(6), Some(3))
    );
    assert_eq!(
        (
            total["waarvan_bij_triage"].as_u64(),
            total["waarvan_na_behandeling"].as_u64()
        ),
        (Some(3), Some(3))
    );
    let targets = flow["doelrealisatie"].as_array().unwrap();
    assert_eq!(targets[0]["in_behandeling_genomen"], 1);
    assert_eq!(targets[1]["in_behandeling_genomen"], 2);
    // The open cases themselves are in a CSV; the summary only counts them.
    assert_eq!(flow["open_casussen"]["aantal"], 3);
    assert_eq!(flow["open_casussen"]["bestand"], "open-casussen.csv");
    let csv = std::fs::read_to_string(out.join("open-casussen.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("casus_id,dienst,fase,leeftijd_dagen"));
    let open: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(open.len(), 3);
    assert!(open.contains(&"F") && open.contains(&"G") && open.contains(&"H"));
    let cohorts = flow["cohorten"].as_array().unwrap();
    assert_eq!(
        cohorts
            .iter()
            .map(|c| c["ontvangen"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        vec![2, 5, 3]
    );
}

#[test]
fn breakdowns_sum_to_the_total_and_shares_stay_in_range() {
    let (_, r) = analyse_fixture();
    for dim in ["aandrager_type", "dienst", "thema_hoofd", "complexiteit"] {
        let sum: f64 = r
            .iter()
            .filter(|x| x["id"] == "ontvangen_aantal" && x["dimensie"] == dim)
            .map(|x| x["teller"].as_f64().unwrap())
            .sum();
        assert_eq!(sum, 8.0, "{dim}");
    }
    for x in &r {
        if x["eenheid"] == "aandeel" {
            if let Some(v) = x["waarde"].as_f64() {
                assert!((0.0..=1.0).contains(&v), "{x}");
            }
        }
    }
}

#[test]
fn an_empty_period_gives_zero_without_division_by_zero() {
    let out = tmp("analyse-empty");
    let f = root().join("tests/fixtures/handwerk.csv");
    let o = run(&[
        "analyse",
        "--cases",
        f.to_str().unwrap(),
        "--period",
        "2020",
        "--out",
        out.to_str().unwrap(),
        "--exportdatum",
        "2026-10-31",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = read_json(&out.join("indicatoren.json"));
    for x in r
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["dimensie"].is_null())
    {
        if x["eenheid"] == "aantal" {
            assert_eq!(x["waarde"], 0.0, "{x}");
        }
        if x["eenheid"] == "aandeel" {
            assert_eq!(x["noemer"], 0, "{x}");
            assert!(x["waarde"].is_null(), "{x}");
        }
    }
}

#[test]
fn analyse_runs_on_the_sample_the_excel_export_and_cfpb() {
    let cases = [
        (sample("casussen.csv"), None, "2026-H1"),
        (
            sample("excel/casussen.csv"),
            Some(sample("excel/rodedraad.toml")),
            "2026-H1",
        ),
        (
            sample("cfpb/klachten.csv"),
            Some(sample("cfpb/rodedraad.toml")),
            "2016-09-01..2016-09-30",
        ),
    ];
    for (i, (c, cfg, p)) in cases.iter().enumerate() {
        assert!(std::path::Path::new(c).exists(), "{c} ontbreekt");
        let out = tmp(&format!("analyse-{i}"));
        let mut args = vec![
            "analyse",
            "--cases",
            c,
            "--period",
            p,
            "--out",
            out.to_str().unwrap(),
            "--exportdatum",
            "2026-10-31",
        ];
        if let Some(cfg) = cfg {
            args.extend(["--config", cfg]);
        }
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{c}: {}", stderr(&o));
        for f in [
            "indicatoren.json",
            "indicatoren.csv",
            "indicatoren.xlsx",
            "definities.json",
            "rode-draden.json",
            "rode-draden.csv",
        ] {
            assert!(out.join(f).exists(), "{c}: {f}");
        }
        let defs = read_json(&out.join("definities.json"));
        assert!(defs
            .as_array()
            .unwrap()
            .iter()
            .all(|d| (d["versie"] == 1 || d["versie"] == 2) && d["teller"].is_string()));
        let version = |id: &str| {
            defs.as_array()
                .unwrap()
                .iter()
                .find(|d| d["id"] == id)
                .map(|d| d["versie"].clone())
        };
        assert_eq!(version("binnen_8_weken_pct"), Some(2.into()));
        assert_eq!(version("afgerond_binnen_8_weken_pct"), Some(1.into()));
    }
}

/// Cases for the peildatum test: per quarter from 2024-Q4 to 2025-Q4 six cases on
/// invordering.uitstel and six on toeslagen.terugvordering; in 2026-Q1 six and twenty; in
/// 2026-Q2 (after the peildatum of 31 March 2026) five more on invordering.uitstel.
fn mid_period_fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let mut csv = String::from("casus_id,ontvangen_op,aandrager_type,aandrager_id,thema\n");
    let quarters = [
        ("2024-11-15", 6, 2),
        ("2025-02-15", 6, 2),
        ("2025-05-15", 6, 2),
        ("2025-08-15", 6, 2),
        ("2025-11-15", 6, 2),
        ("2026-02-15", 6, 20),
        ("2026-05-15", 5, 0),
    ];
    let mut n = 0;
    for (date, a, b) in quarters {
        for (count, thema) in [(a, "invordering.uitstel"), (b, "toeslagen.terugvordering")] {
            for _ in 0..count {
                n += 1;
                csv.push_str(&format!("M{n},{date},wijkteam,ORG-{},{thema}\n", n % 7));
            }
        }
    }
    let f = dir.join("midden.csv");
    std::fs::write(&f, csv).unwrap();
    f
}

#[test]
fn a_peildatum_in_the_middle_of_the_period_holds_for_every_table_and_the_trend_series() {
    // Period 2026-H1, peildatum 31 March 2026: the five cases of May do not exist yet.
    // Received in P as of the peildatum: 6 + 20 = 26 (not 31) in the headline figure, the
    // intake tables and the theme table alike.
    // Trend (the step test: the three months up to the peildatum against the share before):
    // the series ends with 2026-Q1, the quarter of the peildatum. toeslagen.terugvordering
    // was 10 of the 40 cases before 2026 and is 20 of the 26 in 2026-Q1: binomial
    // P(X >= 20 | 30, 26/66) = 0,0023, a rising theme in 2026-Q1. With the window running to
    // the period end, 2026-Q2 (no cases yet) would be the window and nothing could rise.
    let dir = tmp("mid-period");
    let f = mid_period_fixture(&dir);
    let out = dir.join("analyse");
    let common = [
        "--cases",
        f.to_str().unwrap(),
        "--period",
        "2026-H1",
        "--peildatum",
        "2026-03-31",
        "--exportdatum",
        "2026-10-31",
    ];
    let mut args = vec!["analyse", "--out", out.to_str().unwrap()];
    args.extend(common);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let recs = read_json(&out.join("indicatoren.json"));
    let recs = recs.as_array().unwrap();
    assert_eq!(get(recs, "ontvangen_aantal", None, None)["waarde"], 26.0);
    let threads = read_json(&out.join("rode-draden.json"));
    let rising: Vec<&Value> = threads
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kenmerken"]["kwartaal"] == "2026-Q1")
        .collect();
    assert!(!rising.is_empty(), "no trend in 2026-Q1: {threads}");
    for t in threads.as_array().unwrap() {
        let series = t["statistiek"]["per_kwartaal"].as_array().unwrap();
        assert_eq!(series.last().unwrap()[0], "2026-Q1", "{t}");
    }

    let rep = dir.join("rapport");
    let mut args = vec![
        "report",
        "--publiek",
        "intern",
        "--format",
        "md",
        "--out",
        rep.to_str().unwrap(),
    ];
    args.extend(common);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let tables = read_json(&rep.join("tabellen.json"));
    let tables = tables["tabellen"].as_array().unwrap();
    for id in ["instroom-aandrager", "instroom-dienst", "instroom-thema"] {
        let t = tables.iter().find(|t| t["id"] == id).unwrap();
        let total = t["rijen"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["totaal"] == true)
            .unwrap();
        assert_eq!(total["cellen"][0]["waarde"], 26.0, "{id}");
    }
}
