//! The reader as attacker with two consecutive Kamerrapportages side by side.
//!
//! Every Kamerrapportage prints the previous period beside its own (intake per type of
//! helper and per dienst, triage decisions, key figures), its quarter table holds the
//! previous period's quarters, and its flow table starts with what the previous one
//! ended with. The reader of the later report has the earlier one too. The library's
//! pair reader ([`rodedraad::protect::audit::reader::releases`]) reads both public
//! folders into one system and attacks it; this file drives it:
//! - two reports made each on their own, as rodedraad made them before it agreed with
//!   the previous report: the reader works hidden small counts out (the attack can fail);
//! - the same export through `rodedraad rapport`, which makes the previous report again
//!   and takes its protection in: nothing;
//! - a published previous report (`--vorige-publicatie`), the same as the data gives it
//!   again, and one that differs (a warning, and still no leak of what both print);
//! - random exports of many sizes and seeds, with and without planted threads.

mod common;

use common::{run, stderr, tmp};
use proptest::prelude::*;
use rodedraad::pipeline::{self, ReportOptions, Sources};
use rodedraad::protect::audit::reader::{attack_report, releases::attack_releases};
use rodedraad::protect::tables::Audience;
use rodedraad::render::Format;
use std::path::{Path, PathBuf};

const MIN_CEL: u64 = 5;
const EXPORT: &str = "2026-10-31";
const PERIODS: [&str; 2] = ["2025-H2", "2026-H1"];

/// A synthetic export (`rodedraad voorbeeld`) in `dir`; its case file.
fn export(seed: u64, cases: Option<usize>, null: bool, dir: &Path) -> String {
    let out = dir.join("data").display().to_string();
    let seed = seed.to_string();
    let n = cases.map(|c| c.to_string());
    let mut args = vec!["sample", "--seed", &seed, "--out", &out, "--excel", "false"];
    if let Some(n) = &n {
        args.extend(["--cases", n]);
    }
    if null {
        args.push("--zonder-draden");
    }
    let o = run(&args);
    assert!(o.status.success(), "voorbeeld faalt: {}", stderr(&o));
    dir.join("data/casussen.csv").display().to_string()
}

/// `rodedraad rapport` (Markdown) of `period` into `out`, with `extra` arguments; stderr.
fn report(cases: &str, period: &str, out: &Path, extra: &[&str]) -> String {
    let out_s = out.display().to_string();
    let mut args = vec![
        "report",
        "--cases",
        cases,
        "--period",
        period,
        "--format",
        "md",
        "--exportdatum",
        EXPORT,
        "--out",
        &out_s,
    ];
    args.extend(extra);
    let o = run(&args);
    assert!(o.status.success(), "rapport faalt: {}", stderr(&o));
    stderr(&o)
}

/// Every leak of the pair, and of each report alone, as "file: name: what is learnt".
fn leaks(earlier: &Path, later: &Path) -> Vec<String> {
    let mut out: Vec<String> = attack_releases(earlier, later, MIN_CEL)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|l| format!("{}: {}: {}", l.file, l.name, l.detail))
        .collect();
    for dir in [earlier, later] {
        out.extend(
            attack_report(dir, MIN_CEL)
                .unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(|l| format!("{}: {}: {}", dir.display(), l.name, l.detail)),
        );
    }
    out
}

/// Both reports of `cases` made by the library, each on its own (no previous report).
fn each_on_its_own(cases: &str, dir: &Path) -> [PathBuf; 2] {
    let cfg = rodedraad::config::Config::default_config();
    let sources = Sources {
        cases: cases.into(),
        signals: None,
        export_date: Some(EXPORT.parse().unwrap()),
    };
    PERIODS.map(|p| {
        let period = p.parse().unwrap();
        let an = pipeline::analyse(&sources, &period, None, &cfg, &|_| {}).unwrap();
        let out = dir.join(format!("los-{p}"));
        let opts = ReportOptions::new(Audience::Parliament, vec![Format::Markdown]);
        assert!(opts.prior.is_none());
        pipeline::report(&an, &cfg, None, &opts, &out).unwrap();
        out
    })
}

/// Seed 11 at the sample's own volume: the earlier report hides the cases of both
/// Belastingdienst and Dienst Toeslagen and Dienst Toeslagen, the later one (its previous
/// period) the pair and Belastingdienst; the total, Belastingdienst in one and Dienst
/// Toeslagen in the other give the pair, 3, away.
#[test]
fn reports_made_each_on_their_own_give_a_small_count_away() {
    let d = tmp("releases-los");
    let cases = export(11, None, false, &d);
    let [a, b] = each_on_its_own(&cases, &d);
    // each alone is safe
    for dir in [&a, &b] {
        let alone = attack_report(dir, MIN_CEL).unwrap();
        assert!(alone.is_empty(), "{alone:#?}");
    }
    let pair = attack_releases(&a, &b, MIN_CEL).unwrap();
    assert!(
        pair.iter().any(|l| l.name
            == "instroom-dienst / Belastingdienst en Dienst Toeslagen / kolom 1"
            && l.file.starts_with("los-2025-H2/")
            && l.detail.contains("tussen 3 en 3")),
        "{pair:#?}"
    );
    // `rodedraad audit` of the later report with the earlier one finds it too (exit 5)
    let audit = |earlier: &Path, later: &Path| {
        run(&[
            "audit",
            &later.display().to_string(),
            "--vorige-publicatie",
            &earlier.display().to_string(),
        ])
    };
    let o = audit(&a, &b);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "los-2025-H2/tabellen.json: terug te rekenen (tabel instroom-dienst, rij 1 (Belastingdienst en Dienst Toeslagen)"
        ),
        "{}",
        stderr(&o)
    );
    // the same export through `rodedraad rapport`: the previous report is made again
    // and its protection taken in
    let [ra, rb] = PERIODS.map(|p| d.join(format!("rapport-{p}")));
    report(&cases, PERIODS[0], &ra, &[]);
    report(&cases, PERIODS[1], &rb, &[]);
    let found = leaks(&ra, &rb);
    assert!(found.is_empty(), "{found:#?}");
    let o = audit(&ra, &rb);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A published previous report that is the one the data gives again is used whole; one
/// that differs is used for what both reports print, with a warning.
#[test]
fn a_published_previous_report_is_compared_with_the_data() {
    let d = tmp("releases-gepubliceerd");
    let cases = export(12, None, false, &d);
    let a = d.join("gepubliceerd");
    report(&cases, PERIODS[0], &a, &[]);
    let b = d.join("later");
    let a_s = a.display().to_string();
    let said = report(&cases, PERIODS[1], &b, &["--vorige-publicatie", &a_s]);
    assert!(!said.contains("let op: het rapport in"), "{said}");
    let found = leaks(&a, &b);
    assert!(found.is_empty(), "{found:#?}");
    // the same output as without the option: the earlier report is the one made again
    let c = d.join("zonder");
    report(&cases, PERIODS[1], &c, &[]);
    assert_eq!(
        std::fs::read(b.join("tabellen.json")).unwrap(),
        std::fs::read(c.join("tabellen.json")).unwrap()
    );

    // a published report the data no longer gives: one shown count changed
    let changed = d.join("anders");
    std::fs::create_dir_all(&changed).unwrap();
    let list = std::fs::read_to_string(a.join("tabellen.json")).unwrap();
    let mut tables: serde_json::Value = serde_json::from_str(&list).unwrap();
    let cell = tables
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["id"] == "instroom-dienst")
        .and_then(|t| {
            t["rijen"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .flat_map(|r| r["cellen"].as_array_mut().unwrap().iter_mut())
                .find(|c| c["onderdrukt"] == false)
        })
        .expect("a shown cell");
    cell["waarde"] = serde_json::json!(cell["waarde"].as_f64().unwrap() + 1.0);
    std::fs::write(changed.join("tabellen.json"), tables.to_string()).unwrap();
    let changed_s = changed.display().to_string();
    let said = report(
        &cases,
        PERIODS[1],
        &d.join("na-wijziging"),
        &["--vorige-publicatie", &changed_s],
    );
    assert!(said.contains("let op: het rapport in"), "{said}");

    // a folder without a figure list: a usage error that names the option
    let o = run(&[
        "report",
        "--cases",
        &cases,
        "--period",
        PERIODS[1],
        "--format",
        "md",
        "--exportdatum",
        EXPORT,
        "--out",
        &d.join("fout").display().to_string(),
        "--vorige-publicatie",
        &d.join("bestaat-niet").display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--vorige-publicatie"), "{}", stderr(&o));
}

/// The same 6 exports on every run. Other exports: `RELEASES_SEED=<n> RELEASES_CASES=<n>
/// cargo test --release --test aanvaller_releases`.
fn pair_config() -> ProptestConfig {
    common::replayable("RELEASES", 20261201, 6)
}

proptest! {
    #![proptest_config(pair_config())]

    /// Random exports of many sizes and seeds, with and without planted threads: the two
    /// consecutive reports together give no small count away.
    #[test]
    fn consecutive_reports_give_no_small_count_away(
        seed in 1u64..1_000_000,
        cases in prop::option::of(60usize..500),
        null in any::<bool>(),
    ) {
        let d = tmp(&format!("releases-{seed}"));
        let file = export(seed, cases, null, &d);
        let [a, b] = PERIODS.map(|p| d.join(p));
        report(&file, PERIODS[0], &a, &[]);
        report(&file, PERIODS[1], &b, &[]);
        let found = leaks(&a, &b);
        prop_assert!(found.is_empty(), "seed {} cases {:?}: {:#?}", seed, cases, found);
        let _ = std::fs::remove_dir_all(&d);
    }
}
