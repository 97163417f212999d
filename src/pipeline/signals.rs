//! The signal-ledger steps of the pipeline: open, import an export, promote a rode draad.
//!
//! They join [`crate::ingest`] (reading and validating a signal export) and
//! [`crate::analyse`] (a thread) to the [`crate::register`], which knows neither.
//!
//! ```no_run
//! use rodedraad::pipeline::signals::{import, open_ledger};
//! let cfg = rodedraad::config::Config::default_config();
//! let mut ledger = open_ledger(None, &cfg).unwrap();
//! let d = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
//! println!("{}", import(&mut ledger, "signalen.csv".as_ref(), &cfg, d, "controle".as_ref()).unwrap());
//! ```

use crate::analyse::files::{THREAD_CASES_FIELD, THREAD_CASES_FILE};
use crate::analyse::threads::Thread;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::read::read_table;
use crate::ingest::spec::Entity;
use crate::ingest::validate::validate;
use crate::ingest::{signals_from_frame, write_quarantine};
use crate::model::Recipient;
use crate::nl;
use crate::output::staging::Staging;
use crate::register::{Ledger, Promotion};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::Path;

/// A ledger error as a Dutch error (exit code 8).
pub fn reg(e: impl std::fmt::Display) -> Error {
    Error::Ledger(e.to_string())
}

/// The ledger file named by `--register`, or else `[register] pad` of the config,
/// resolved relative to the config file's folder (without `--config`: the working folder).
pub fn ledger_path(register: Option<&Path>, cfg: &Config) -> std::path::PathBuf {
    register
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cfg.resolve(&cfg.register.pad))
}

/// Refuses a ledger path that is not an existing file (exit code 8), with a Dutch
/// message naming the path and what to do: a mistyped `--register` must never read as
/// an empty ledger.
pub fn require_ledger_file(path: &Path) -> Result<()> {
    if path.is_file() {
        return Ok(());
    }
    Err(Error::Ledger(format!(
        "{} bestaat niet{}; controleer --register of [register] pad (een relatief pad geldt vanaf de map van het configuratiebestand). Een nieuw register ontstaat bij 'rodedraad signalen importeer' of 'promote'",
        path.display(),
        if path.is_dir() { " als bestand (het is een map)" } else { "" }
    )))
}

/// Opens an existing ledger: reading one (`status`, `export`, `overgang`) never makes a
/// new, empty ledger out of a mistyped path.
pub fn open_existing_ledger(register: Option<&Path>, cfg: &Config) -> Result<Ledger> {
    let path = ledger_path(register, cfg);
    require_ledger_file(&path)?;
    Ledger::open(&path).map_err(reg)
}

/// Writes the export for `naar` into `out` through a staging folder
/// ([`crate::output::staging`]): a failed or killed export leaves the earlier export
/// whole, never half a new one. The files of the other recipient in the same folder
/// stay. Returns the names of the files written.
pub fn export(
    ledger: &Ledger,
    naar: &str,
    since: Option<NaiveDate>,
    reference_date: NaiveDate,
    cfg: &Config,
    out: &Path,
) -> Result<Vec<String>> {
    let to = crate::export::Destination::parse(naar)?;
    let staging = Staging::begin(out, to.files(), &[])?;
    crate::export::write(ledger, to, since, reference_date, cfg, staging.path())?;
    staging.commit()
}

/// Refuses a date for a status change that cannot be true: before the signal was
/// reported, before its last recorded status change (the history must stay in order: the
/// age of a status counts from it), or after `today`.
///
/// The upper bound is the system date and not a peildatum of the data: a status change
/// is a fact of the real world recorded after it happened, and it may well happen after
/// the last import (whose date only says how old the imported export was). The lower
/// bounds come from the ledger itself, so they hold whatever the clock says.
pub fn check_transition_date(
    ledger: &Ledger,
    signaal_id: &str,
    op: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    let Some(s) = ledger.get(signaal_id).map_err(reg)? else {
        return Ok(()); // the ledger itself reports an unknown signal
    };
    if op < s.signal.gemeld_op {
        return Err(Error::Usage(format!(
            "--op {} ligt vóór de melddatum van signaal {signaal_id} ({}); een statuswijziging kan niet eerder zijn dan het signaal",
            nl::date(op),
            nl::date(s.signal.gemeld_op)
        )));
    }
    let history = ledger.history(signaal_id).map_err(reg)?;
    if let Some(last) = history
        .iter()
        .filter(|h| h.veld == "status" && h.op > op)
        .max_by_key(|h| h.op)
    {
        return Err(Error::Usage(format!(
            "--op {} ligt vóór de laatste statuswijziging van signaal {signaal_id} ({}, naar {}); leg statuswijzigingen in de volgorde vast waarin ze gebeurden",
            nl::date(op),
            nl::date(last.op),
            last.nieuw.as_deref().unwrap_or("-")
        )));
    }
    if op > today {
        return Err(Error::Usage(format!(
            "--op {} ligt in de toekomst (vandaag is {}); leg een statuswijziging vast op of na de dag dat hij gebeurde",
            nl::date(op),
            nl::date(today)
        )));
    }
    Ok(())
}

/// Opens the ledger named by the arguments or the config, making it when missing.
pub fn open_ledger(register: Option<&Path>, cfg: &Config) -> Result<Ledger> {
    let path = ledger_path(register, cfg);
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::Write {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
    }
    Ledger::open(&path).map_err(reg)
}

/// Validates a signal export and merges it into the ledger (one transaction).
pub fn import(
    ledger: &mut Ledger,
    path: &Path,
    cfg: &Config,
    op: NaiveDate,
    quarantine_dir: &Path,
) -> Result<String> {
    let raw = read_table(path, &cfg.invoer, None)?;
    let v = validate(&raw, Entity::Signals, cfg, op)?;
    if v.quarantine.height() > 0 {
        write_quarantine(
            &v.quarantine,
            &quarantine_dir.join("quarantaine-signalen.csv"),
        )?;
    }
    let signals = signals_from_frame(&v.accepted)?;
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let s = ledger.import(&signals, &name, op).map_err(reg)?;
    Ok(format!(
        "{}: {} gelezen, {} in quarantaine; register: {} nieuw, {} gewijzigd, {} ongewijzigd",
        name,
        nl::int(v.summary.gelezen as i64),
        nl::int(v.summary.in_quarantaine as i64),
        nl::int(s.nieuw as i64),
        nl::int(s.gewijzigd as i64),
        nl::int(s.ongewijzigd as i64)
    ))
}

/// Reads `rode-draden.json` with the case ids of its threads: from the file named in a
/// thread's `casussen_bestand` (`rode-draden-casussen.csv`, next to it), or from the thread
/// itself in a file written before the ids moved out.
pub fn read_threads(path: &Path) -> Result<Vec<Thread>> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("kan {} niet lezen: {e}", path.display())))?;
    let not_threads = |e: &dyn std::fmt::Display| {
        Error::Usage(format!("{} is geen rode-draden.json ({e})", path.display()))
    };
    let mut all: Vec<serde_json::Value> =
        serde_json::from_str(&src).map_err(|e| not_threads(&e))?;
    let mut ids: Option<BTreeMap<String, Vec<String>>> = None;
    for t in &mut all {
        let Some(obj) = t.as_object_mut() else {
            continue;
        };
        let Some(file) = obj.remove(THREAD_CASES_FIELD) else {
            continue;
        };
        let file = file.as_str().unwrap_or(THREAD_CASES_FILE);
        if ids.is_none() {
            let dir = path.parent().unwrap_or(Path::new("."));
            ids = Some(read_thread_cases(&dir.join(file))?);
        }
        let id = obj.get("id").and_then(|v| v.as_str()).unwrap_or_default();
        let list = ids
            .as_ref()
            .and_then(|m| m.get(id))
            .cloned()
            .unwrap_or_default();
        obj.insert("casus_ids".into(), serde_json::json!(list));
    }
    all.into_iter()
        .map(|t| serde_json::from_value(t).map_err(|e| not_threads(&e)))
        .collect()
}

/// The case ids per thread from `rode-draden-casussen.csv` (columns `draad_id`, `casus_id`),
/// in file order. A cell that the writer neutralised for spreadsheets (a quote before `=`,
/// `+`, `-`, `@`) is read back as written by the analysis.
fn read_thread_cases(path: &Path) -> Result<BTreeMap<String, Vec<String>>> {
    let usage = |e: &dyn std::fmt::Display| {
        Error::Usage(format!(
            "kan de casussen van de rode draden niet lezen uit {} ({e}); die staan naast rode-draden.json",
            path.display()
        ))
    };
    let mut r = csv::Reader::from_path(path).map_err(|e| usage(&e))?;
    let header = r.headers().map_err(|e| usage(&e))?.clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| usage(&format!("kolom {name} ontbreekt")))
    };
    let (draad, casus) = (col("draad_id")?, col("casus_id")?);
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| usage(&e))?;
        let cell = |k: usize| unneutralised(rec.get(k).unwrap_or_default());
        out.entry(cell(draad)).or_default().push(cell(casus));
    }
    Ok(out)
}

/// The inverse of [`crate::output::spreadsheet_safe`].
fn unneutralised(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if crate::output::spreadsheet_safe(rest) == cell => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// Turns a draad into a signal in the ledger.
pub fn promote(
    ledger: &mut Ledger,
    d: &Thread,
    to: Option<String>,
    owner: Option<String>,
    on: NaiveDate,
) -> Result<String> {
    let to = to
        .map(|n| {
            Recipient::parse(&n).ok_or_else(|| {
                Error::Usage(format!(
                    "onbekende ontvanger \"{n}\"; kies uit {}",
                    Recipient::CODES.join(", ")
                ))
            })
        })
        .transpose()?;
    let p = Promotion {
        thread_id: d.id.clone(),
        label: format!("{} {}", d.label, d.uitleg).trim().to_string(),
        pattern: d.kenmerken.clone(),
        case_ids: d.casus_ids.clone(),
        to,
        owner,
        theme: d.kenmerken.get("thema").cloned(),
        scheme: d.kenmerken.get("regeling").cloned(),
        target_groups: d.kenmerken.get("doelgroep").cloned().into_iter().collect(),
    };
    ledger.promote(&p, on).map_err(reg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::files::write_threads;
    use crate::analyse::threads;
    use crate::sample::{generate, SampleOptions};

    /// What must survive the trip: which threads, their pattern and their case ids (the
    /// statistics are floats that JSON does not carry bit for bit).
    type Key = (String, BTreeMap<String, String>, Vec<String>, usize);

    fn key(all: &[Thread]) -> Vec<Key> {
        all.iter()
            .map(|t| {
                let ids = t.casus_ids.clone();
                (t.id.clone(), t.kenmerken.clone(), ids, t.n_casussen)
            })
            .collect()
    }

    fn tmp(name: &str) -> std::path::PathBuf {
        let d =
            std::env::temp_dir().join(format!("rodedraad-draden-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Threads found in a generated sample, with case ids a spreadsheet would run as a formula.
    fn sample_threads(seed: u64) -> Vec<Thread> {
        let data = generate(&SampleOptions {
            seed,
            cases: Some(1500),
            ..SampleOptions::default()
        });
        let cfg = Config::default_config();
        let period: crate::analyse::period::Period = "2026-H1".parse().unwrap();
        let mut found = threads::detect(&data.cases, &[], &period, period.end, &cfg);
        assert!(
            !found.is_empty(),
            "seed {seed}: geen draden om mee te toetsen"
        );
        let odd = [
            "=SOM(A1)",
            "-12a",
            "+31 6",
            "@x",
            "-12",
            "'gewoon",
            "C,met\"komma",
        ];
        for (k, id) in found[0].casus_ids.iter_mut().enumerate().take(odd.len()) {
            *id = odd[k].to_string();
        }
        found
    }

    #[test]
    fn case_ids_come_back_from_the_separate_file() {
        for seed in [3, 8] {
            let found = sample_threads(seed);
            let dir = tmp(&format!("los-{seed}"));
            write_threads(&found, &dir).unwrap();
            let json = std::fs::read_to_string(dir.join("rode-draden.json")).unwrap();
            assert!(
                !json.contains("casus_ids"),
                "de id's horen in het CSV-bestand"
            );
            assert!(json.contains(THREAD_CASES_FIELD));
            let back = read_threads(&dir.join("rode-draden.json")).unwrap();
            assert_eq!(key(&back), key(&found));
        }
    }

    #[test]
    fn a_file_with_the_ids_inside_is_still_read() {
        let found = sample_threads(5);
        let dir = tmp("binnen");
        crate::output::write_json(&dir.join("rode-draden.json"), &found).unwrap();
        let back = read_threads(&dir.join("rode-draden.json")).unwrap();
        assert_eq!(key(&back), key(&found));
    }

    #[test]
    fn a_missing_case_file_is_a_clear_error() {
        let found = sample_threads(3);
        let dir = tmp("zonder");
        write_threads(&found, &dir).unwrap();
        std::fs::remove_file(dir.join(THREAD_CASES_FILE)).unwrap();
        let e = read_threads(&dir.join("rode-draden.json")).unwrap_err();
        assert!(e.to_string().contains(THREAD_CASES_FILE), "{e}");
    }

    #[test]
    fn unneutralised_inverts_the_spreadsheet_guard() {
        for id in [
            "=1+1", "-x", "+y", "@z", "\tt", "-12", "+3", "C-1", "", "'", "a'",
        ] {
            assert_eq!(unneutralised(&crate::output::spreadsheet_safe(id)), id);
        }
    }
}
