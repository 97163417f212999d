//! `rodedraad evaluate`: the detection finds the planted threads and stays quiet on the null sample.

mod common;
use common::*;

fn evaluate(dir: &str) -> serde_json::Value {
    let o = run(&[
        "evaluate",
        "--cases",
        &sample(&format!("{dir}casussen.csv")),
        "--signals",
        &sample(&format!("{dir}signalen.csv")),
        "--truth",
        &sample(&format!("{dir}geplante-draden.json")),
        "--exportdatum",
        "2026-10-31",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn planted_threads_are_found_with_high_recall_and_precision() {
    let ev = evaluate("");
    let recall = ev["recall"].as_f64().unwrap();
    let precision = ev["precisie"].as_f64().unwrap();
    assert!(recall >= 0.9, "recall {recall}: {ev}");
    assert!(precision >= 0.8, "precision {precision}: {ev}");
}

#[test]
fn the_null_sample_stays_almost_quiet() {
    let ev = evaluate("nul/");
    let n = ev["gedetecteerd"].as_u64().unwrap();
    assert!(n <= 2, "{n} threads on independent attributes: {ev}");
}

#[test]
fn thread_ids_are_stable_when_a_quarter_is_added() {
    let out = tmp("stable");
    let ids = |period: &str, reference_date: &str| -> Vec<String> {
        analyse_sample(&out.join(period), period, &["--peildatum", reference_date])
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["soort"] == "structuur")
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    };
    let before = ids("2026-Q2", "2026-06-30");
    let after = ids("2026-Q3", "2026-09-30");
    let kept = before.iter().filter(|id| after.contains(id)).count();
    assert!(!before.is_empty());
    assert!(
        kept * 2 >= before.len(),
        "most threads keep their id when a quarter is added: {before:?} -> {after:?}"
    );
}
