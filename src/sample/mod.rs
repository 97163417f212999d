//! Deterministic generator of realistic synthetic cases and signals.
//!
//! Used for demos, tests and the evaluation of the thread finder: it draws casussen and
//! signalen that follow the process of the Belangenbehartiger (triage, zienswijze,
//! escalatie, afronding), the taxonomy of themes, doelgroepen and aandragers, and a rising
//! intake from 1 March 2025 up to the export date. With `planted = true` five rode draden
//! (combinations of attribute values with their own vocabulary) are planted; their case ids
//! are the ground truth. With `planted = false` every attribute is drawn independently
//! from its marginal distribution (the null sample).
//!
//! Output comes in two shapes: the canonical CSV files of the input contract
//! (`write_canonical`) and the files as a spreadsheet user saves them from Excel, with a
//! `rodedraad.toml` mapping beside them (`write_excel_style`).
//!
//! ```no_run
//! use rodedraad::sample::{generate, write_canonical, SampleOptions};
//! let data = generate(&SampleOptions { seed: 7, ..SampleOptions::default() });
//! assert_eq!(data.planted.len(), 5);
//! write_canonical(&data, std::path::Path::new("voorbeeld")).unwrap();
//! ```
//!
//! The parts, in the order the data is made:
//! - `calendar`: intake per month, sampling of dates, sequence numbers per year;
//! - `attributes`, `orgs`: marginal distributions and the organisations of the aandragers;
//! - `planted`: the planted threads and their ground truth;
//! - `cases`, `process`: receipt order and attributes of the cases, their path through the process;
//! - `signals`: signals, linked to earlier cases or not, and their status;
//! - `text`, `phrases`: the Dutch free texts, from the phrase banks in `zinnen/`;
//! - `canonical`, `excel`, `files`: the cells and the files of both shapes;
//! - `rng`, `parallel`: random streams and spreading the work over cores.
//!
//! Every item draws from its own random stream, so the data depends only on the options,
//! never on the number of cores.

mod attributes;
mod calendar;
mod canonical;
mod cases;
mod excel;
mod files;
mod orgs;
mod parallel;
mod phrases;
mod planted;
mod process;
mod rng;
mod signals;
mod text;

#[cfg(test)]
mod tests;

use crate::model::{Case, Signal, CASE_COLUMNS, SIGNAL_COLUMNS};
use calendar::{case_month_weight, signal_month_weight, start_date, DayCdf};
use canonical::{case_record, signal_record};
use chrono::NaiveDate;
use excel::{excel_record, headers, mapping_toml, CASE_SPECS, SIGNAL_SPECS};
use files::{write_atomic, write_csv, CANONICAL, EXCEL};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// Options of the generator.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleOptions {
    pub seed: u64,
    /// `None` = realistic default volume (about 60 cases in 2025, about 250 a year in 2026).
    pub cases: Option<usize>,
    /// Last day of the export; no generated date lies after it (default 2026-10-31).
    pub export_date: NaiveDate,
    /// `true` = plant five rode draden; `false` = null sample with independent attributes.
    pub planted: bool,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            seed: 1,
            cases: None,
            export_date: NaiveDate::from_ymd_opt(2026, 10, 31).expect("valid date"),
            planted: true,
        }
    }
}

/// One planted rode draad: the ground truth for the thread finder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlantedThread {
    pub id: String,
    /// Dutch label.
    pub label: String,
    /// Attribute -> code that all cases of the thread share (`patroon`; files written before
    /// December 2026 say `pattern`).
    #[serde(alias = "pattern")]
    pub patroon: BTreeMap<String, String>,
    pub casus_ids: Vec<String>,
}

/// Generated cases (sorted by receipt date), signals and planted threads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleData {
    pub cases: Vec<Case>,
    pub signals: Vec<Signal>,
    pub planted: Vec<PlantedThread>,
}

/// Generates cases, signals and (if asked) planted threads; same options give the same data.
pub fn generate(opts: &SampleOptions) -> SampleData {
    let end = opts.export_date;
    if end < start_date() {
        return SampleData::default();
    }
    let case_cdf = DayCdf::new(start_date(), end, case_month_weight);
    let signal_cdf = DayCdf::new(start_date(), end, signal_month_weight);
    let n_default = case_cdf.total.round() as usize;
    let n = opts.cases.unwrap_or(n_default);
    let n_signals = match opts.cases {
        None => signal_cdf.total.round() as usize,
        Some(n) => (n as f64 * signal_cdf.total / case_cdf.total).round() as usize,
    };
    let specs = planted::thread_specs();
    let counts = if opts.planted {
        planted::planted_counts(&specs, n, n_default)
    } else {
        vec![0; specs.len()]
    };
    let intake = cases::intake(opts.seed, &case_cdf, end, &specs, &counts, n);
    let cases = cases::make_cases(opts.seed, &intake, &specs, end);
    let signals = signals::make_signals(opts.seed, n_signals, &signal_cdf, &cases, end);
    let planted = planted::ground_truth(&specs, &cases, &intake);
    SampleData {
        cases,
        signals,
        planted,
    }
}

/// Writes `casussen.csv`, `signalen.csv` (canonical columns, UTF-8, comma, ISO dates,
/// multi-valued cells joined with `|`, ja/nee) and `geplante-draden.json`.
pub fn write_canonical(data: &SampleData, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let cases = data.cases.iter().map(case_record);
    write_csv(&dir.join("casussen.csv"), CASE_COLUMNS, cases, &CANONICAL)?;
    let signals = data.signals.iter().map(signal_record);
    write_csv(
        &dir.join("signalen.csv"),
        SIGNAL_COLUMNS,
        signals,
        &CANONICAL,
    )?;
    let json = planted::ground_truth_json(&data.planted)?;
    write_atomic(&dir.join("geplante-draden.json"), &json)
}

/// Writes `casussen.csv` and `signalen.csv` as Excel saves them (semicolon, CRLF,
/// dd-mm-jjjj, Windows-1252 without BOM, Dutch headers and values) plus `rodedraad.toml`,
/// the mapping back to the canonical model.
pub fn write_excel_style(data: &SampleData, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let cases = data
        .cases
        .iter()
        .map(|c| excel_record(&case_record(c), CASE_SPECS));
    write_csv(
        &dir.join("casussen.csv"),
        &headers(CASE_SPECS),
        cases,
        &EXCEL,
    )?;
    let signals = data
        .signals
        .iter()
        .map(|s| excel_record(&signal_record(s), SIGNAL_SPECS));
    write_csv(
        &dir.join("signalen.csv"),
        &headers(SIGNAL_SPECS),
        signals,
        &EXCEL,
    )?;
    write_atomic(&dir.join("rodedraad.toml"), mapping_toml().as_bytes())
}
