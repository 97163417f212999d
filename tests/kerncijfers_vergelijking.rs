//! The headline indicators of rodedraad equal an independent computation over the same CSV.
//!
//! On small generated exports (planted threads and a null sample, several seeds, a period whose
//! end lies before the export date so the "as of the peildatum" rule matters) rodedraad's
//! ontvangen, afgerond, % opgelost, % geëscaleerd, % advies overgenomen, median lead time of the
//! closed cases and intake per aandrager_type are compared with:
//!
//! 1. a plain row-by-row computation here (the csv crate only, none of rodedraad's ingest or
//!    polars code), always;
//! 2. `scripts/duckdb_vergelijking.py --motor python` when `python3` is present;
//! 3. the same script with DuckDB when DuckDB is already installed (its cache venv or the
//!    system Python); set `RODEDRAAD_DUCKDB=1` to let the script install it.
//!
//! When 2 or 3 cannot run, the test says so loudly on stderr.

use chrono::NaiveDate;
use rodedraad::analyse::indicators::{self, Indicators};
use rodedraad::analyse::period::Period;
use rodedraad::config::Config;
use rodedraad::ingest::Dataset;
use rodedraad::sample::{generate, write_canonical, SampleOptions};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn export_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()
}

/// A generated export in a fresh temporary folder.
fn export(seed: u64, cases: usize, planted: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "rodedraad-kerncijfers-{}-{seed}-{cases}-{planted}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let opts = SampleOptions {
        seed,
        cases: Some(cases),
        export_date: export_date(),
        planted,
    };
    write_canonical(&generate(&opts), &dir).unwrap();
    dir.join("casussen.csv")
}

/// The headline figures as one JSON object (the script's field names).
fn rodedraad_figures(ind: &Indicators) -> Value {
    let total = |id: &str| ind.total(id).unwrap_or_else(|| panic!("{id} ontbreekt"));
    let whole = |x: Option<f64>| x.map(|v| v.round() as u64);
    let per_type: BTreeMap<String, u64> = ind
        .by("ontvangen_aantal", "aandrager_type")
        .into_iter()
        .filter(|r| r.teller.unwrap_or(0.0) > 0.0)
        .map(|r| (r.groep.clone().unwrap(), whole(r.teller).unwrap()))
        .collect();
    json!({
        "ontvangen": whole(total("ontvangen_aantal").teller),
        "afgerond": whole(total("afgerond_aantal").teller),
        "opgelost_teller": whole(total("oplossing_pct").teller),
        "opgelost_noemer": total("oplossing_pct").noemer,
        "geescaleerd_teller": whole(total("geescaleerd_pct").teller),
        "geescaleerd_noemer": total("geescaleerd_pct").noemer,
        "advies_teller": whole(total("advies_overgenomen_pct").teller),
        "advies_noemer": total("advies_overgenomen_pct").noemer,
        "doorlooptijd_mediaan": total("afgerond_doorlooptijd_mediaan_dagen").waarde,
        "ontvangen_per_aandrager_type": per_type,
    })
}

/// The same figures row by row from the CSV text, following docs/indicatoren.md: everything as
/// it stood on the peildatum `reference_date`, P = [start, end].
fn independent_figures(
    path: &Path,
    start: NaiveDate,
    end: NaiveDate,
    reference_date: NaiveDate,
) -> Value {
    let mut rd = csv::Reader::from_path(path).unwrap();
    let headers = rd.headers().unwrap().clone();
    let idx = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (o_i, t_i, b_i, a_i, u_i, z_i, r_i, e_i, eo_i, at_i) = (
        idx("ontvangen_op"),
        idx("triage_op"),
        idx("triage_besluit"),
        idx("afgerond_op"),
        idx("uitkomst"),
        idx("zienswijze_op"),
        idx("zienswijze_reactie"),
        idx("geescaleerd"),
        idx("geescaleerd_op"),
        idx("aandrager_type"),
    );
    let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let in_p = |d: NaiveDate| start <= d && d <= end;
    let mut c = BTreeMap::<&str, u64>::new();
    let mut lead: Vec<i64> = Vec::new();
    let mut per_type = BTreeMap::<String, u64>::new();
    for row in rd.records() {
        let row = row.unwrap();
        let Some(o) = date(&row[o_i]).filter(|o| *o <= reference_date) else {
            continue;
        };
        let later = |d: Option<NaiveDate>| d.is_some_and(|d| d > reference_date);
        let (t, a, z, eo) = (
            date(&row[t_i]),
            date(&row[a_i]),
            date(&row[z_i]),
            date(&row[eo_i]),
        );
        let besluit = text(&row[b_i]).filter(|_| !later(t));
        let (a, uitkomst) = if later(a) {
            (None, None)
        } else {
            (a, text(&row[u_i]))
        };
        let reactie = text(&row[r_i]).filter(|_| !later(z));
        let escalated = matches!(row[e_i].trim(), "ja" | "true" | "1")
            && match eo {
                Some(d) => d <= reference_date,
                None => a.is_some(),
            };
        if in_p(o) {
            *c.entry("ontvangen").or_default() += 1;
            let at = text(&row[at_i]).unwrap_or_else(|| "onbekend".into());
            *per_type.entry(at).or_default() += 1;
        }
        let closed = besluit.as_deref() == Some("behandelen") && a.is_some_and(in_p);
        if !closed {
            continue;
        }
        *c.entry("afgerond").or_default() += 1;
        if uitkomst.as_deref() != Some("ingetrokken") {
            *c.entry("opgelost_noemer").or_default() += 1;
            if matches!(uitkomst.as_deref(), Some("opgelost" | "deels_opgelost")) {
                *c.entry("opgelost_teller").or_default() += 1;
            }
        }
        *c.entry("geescaleerd_noemer").or_default() += 1;
        if escalated {
            *c.entry("geescaleerd_teller").or_default() += 1;
        }
        let r = reactie.as_deref();
        if matches!(
            r,
            Some("overgenomen" | "deels_overgenomen" | "niet_overgenomen")
        ) {
            *c.entry("advies_noemer").or_default() += 1;
            if matches!(r, Some("overgenomen" | "deels_overgenomen")) {
                *c.entry("advies_teller").or_default() += 1;
            }
        }
        lead.push((a.unwrap() - o).num_days());
    }
    lead.sort_unstable();
    let median = match lead.len() {
        0 => None,
        n if n % 2 == 1 => Some(lead[n / 2] as f64),
        n => Some((lead[n / 2 - 1] + lead[n / 2]) as f64 / 2.0),
    };
    let get = |k: &str| c.get(k).copied().unwrap_or(0);
    json!({
        "ontvangen": get("ontvangen"),
        "afgerond": get("afgerond"),
        "opgelost_teller": get("opgelost_teller"),
        "opgelost_noemer": get("opgelost_noemer"),
        "geescaleerd_teller": get("geescaleerd_teller"),
        "geescaleerd_noemer": get("geescaleerd_noemer"),
        "advies_teller": get("advies_teller"),
        "advies_noemer": get("advies_noemer"),
        "doorlooptijd_mediaan": median,
        "ontvangen_per_aandrager_type": per_type,
    })
}

/// Numbers compared as numbers (the script prints 3.0 where Rust has 3).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() < 1e-9
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/duckdb_vergelijking.py")
}

/// The figures of the script with `engine`, or the reason it could not run.
fn script_figures(csv: &Path, period: &str, engine: &str) -> Result<Value, String> {
    let mut cmd = Command::new("python3");
    cmd.arg(script())
        .args(["--casussen"])
        .arg(csv)
        .args(["--periode", period, "--alleen-cijfers", "--json"])
        .args(["--motor", engine]);
    if std::env::var_os("RODEDRAAD_DUCKDB").is_none() {
        cmd.arg("--geen-installatie");
    }
    let out = cmd
        .output()
        .map_err(|e| format!("python3 kon niet starten ({e})"))?;
    if out.status.code() == Some(3) {
        return Err("DuckDB is niet geïnstalleerd (zet RODEDRAAD_DUCKDB=1 om het script het te laten installeren)".into());
    }
    assert!(
        out.status.success(),
        "het script faalde: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    Ok(v["motoren"][engine]["cijfers"].clone())
}

fn check(seed: u64, cases: usize, planted: bool, period: &str) {
    let csv = export(seed, cases, planted);
    let cfg = Config::default_config();
    let ds = Dataset::load(&csv, None, &cfg, export_date()).unwrap();
    assert_eq!(
        ds.check.quarantine_cases.height(),
        0,
        "de gegenereerde export hoort schoon te zijn"
    );
    let p: Period = period.parse().unwrap();
    let ind = indicators::compute(&ds.cases, &p, p.end, &cfg).unwrap();
    let ours = rodedraad_figures(&ind);
    let theirs = independent_figures(&csv, p.start, p.end, p.end);
    assert!(
        same(&ours, &theirs),
        "seed {seed}, {period}:\nrodedraad   {ours}\nonafhankelijk {theirs}"
    );
    assert!(
        ours["afgerond"].as_u64().unwrap() > 0,
        "de test moet afgeronde casussen hebben"
    );
    for engine in ["python", "duckdb"] {
        match script_figures(&csv, period, engine) {
            Ok(v) => assert!(
                same(&ours, &v),
                "seed {seed}, {period}, {engine}:\nrodedraad {ours}\n{engine} {v}"
            ),
            Err(why) => {
                eprintln!("\n!!! LET OP: vergelijking met {engine} NIET uitgevoerd: {why} !!!\n")
            }
        }
    }
    let _ = std::fs::remove_dir_all(csv.parent().unwrap());
}

#[test]
fn headline_figures_equal_an_independent_computation_with_planted_threads() {
    check(3, 4000, true, "2025");
}

#[test]
fn headline_figures_equal_an_independent_computation_on_a_null_sample_before_the_export() {
    // The period ends months before the export date: later triage, closing and escalation
    // dates must count as not yet happened.
    check(11, 3000, false, "2026-H1");
}

#[test]
fn the_comparison_notices_a_changed_definition() {
    // Guard against a comparison that cannot fail: counting one closed case less must differ.
    let csv = export(5, 1500, true);
    let p: Period = "2025".parse().unwrap();
    let theirs = independent_figures(&csv, p.start, p.end, p.end);
    let mut changed = theirs.clone();
    changed["afgerond"] = json!(theirs["afgerond"].as_u64().unwrap() - 1);
    assert!(!same(&theirs, &changed));
    let earlier = independent_figures(&csv, p.start, p.end, p.end.pred_opt().unwrap());
    assert!(
        !same(&theirs, &earlier) || theirs["afgerond"] == json!(0),
        "een dag eerder als peildatum hoort iets te veranderen"
    );
    let _ = std::fs::remove_dir_all(csv.parent().unwrap());
}
