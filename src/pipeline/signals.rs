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
        "{} bestaat niet{}; controleer --register of [register] pad (een relatief pad geldt vanaf de map van het configuratiebestand). Een nieuw register ontstaat bij 'rodedraad signals import' of 'promote'",
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
    peil: NaiveDate,
    cfg: &Config,
    out: &Path,
) -> Result<Vec<String>> {
    let to = crate::export::Destination::parse(naar)?;
    let staging = Staging::begin(out, to.files(), &[])?;
    crate::export::write(ledger, to, since, peil, cfg, staging.path())?;
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

/// Reads `rode-draden.json`.
pub fn read_threads(path: &Path) -> Result<Vec<Thread>> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("kan {} niet lezen: {e}", path.display())))?;
    serde_json::from_str(&src)
        .map_err(|e| Error::Usage(format!("{} is geen rode-draden.json ({e})", path.display())))
}

/// Turns a draad into a signal in the ledger.
pub fn promote(
    ledger: &mut Ledger,
    d: &Thread,
    naar: Option<String>,
    eigenaar: Option<String>,
    op: NaiveDate,
) -> Result<String> {
    let naar = naar
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
        draad_id: d.id.clone(),
        label: format!("{} {}", d.label, d.uitleg).trim().to_string(),
        pattern: d.kenmerken.clone(),
        casus_ids: d.casus_ids.clone(),
        naar,
        eigenaar,
        thema: d.kenmerken.get("thema").cloned(),
        regeling: d.kenmerken.get("regeling").cloned(),
        doelgroep: d.kenmerken.get("doelgroep").cloned().into_iter().collect(),
    };
    ledger.promote(&p, op).map_err(reg)
}
