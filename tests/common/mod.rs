//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rodedraad"));
    c.env("CI", "1");
    c
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus(name: &str) -> String {
    root().join("tests/corpus").join(name).display().to_string()
}

pub fn sample(name: &str) -> String {
    root().join("sample-data").join(name).display().to_string()
}

/// A fresh temporary folder for one test.
pub fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rodedraad-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Proptest settings for the attacker tests over generated exports: a fixed seed, so the
/// same exports run every time and a failure in CI can be replayed; the environment
/// variables `{prefix}_SEED` and `{prefix}_CASES` pick other exports and how many.
pub fn replayable(prefix: &str, seed: u64, cases: u32) -> proptest::test_runner::Config {
    let env = |k: String| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
    proptest::test_runner::Config {
        cases: env(format!("{prefix}_CASES")).map_or(cases, |c| c as u32),
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(
            env(format!("{prefix}_SEED")).unwrap_or(seed),
        ),
        ..proptest::test_runner::Config::default()
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn read_json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Runs `analyse` on the sample cases for `period` into `out` (exportdatum 31-10-2026) and
/// returns the rode draden it found.
pub fn analyse_sample(out: &Path, period: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["analyse", "--cases"];
    let cases = sample("casussen.csv");
    let out_s = out.display().to_string();
    args.push(&cases);
    args.extend([
        "--period",
        period,
        "--out",
        &out_s,
        "--exportdatum",
        "2026-10-31",
    ]);
    args.extend(extra);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    read_json(&out.join("rode-draden.json"))
}

/// Runs `report` on the sample cases and signals for 2026-H1 (exportdatum 31-10-2026)
/// into `out`, with `extra` arguments (a format, an audience, a ledger), and asserts
/// that it succeeds.
pub fn report_sample(out: &Path, extra: &[&str]) -> Output {
    let (cases, signals) = (sample("casussen.csv"), sample("signalen.csv"));
    let out_s = out.display().to_string();
    let mut args = vec![
        "report",
        "--cases",
        &cases,
        "--signals",
        &signals,
        "--period",
        "2026-H1",
        "--exportdatum",
        "2026-10-31",
        "--out",
        &out_s,
    ];
    args.extend(extra);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o
}

/// A generated export with a planted rising thread (D4) reported at a peildatum where the
/// trend detection finds it: returns the report folder.
pub fn rising_thread_report(d: &Path, seed: u64, period: &str) -> std::path::PathBuf {
    let data = d.join(format!("data-{seed}"));
    let seed = seed.to_string();
    let data_dir = data.display().to_string();
    let o = run(&[
        "sample", "--seed", &seed, "--out", &data_dir, "--excel", "false",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = d.join(format!("rapport-{seed}-{period}"));
    let cases = data.join("casussen.csv").display().to_string();
    let o = run(&[
        "report",
        "--cases",
        &cases,
        "--period",
        period,
        "--peildatum",
        "2026-10-31",
        "--exportdatum",
        "2026-10-31",
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}
