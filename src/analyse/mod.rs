//! Analyse: the outcome indicators and the rode draden of one period.
//!
//! [`run`] takes a loaded [`Dataset`] and returns an [`Analysis`]: the cases and
//! signals as domain structs (converted once, here), the indicators and the
//! threads. Nothing in an `Analysis` is protected yet; that is the next stage
//! ([`crate::protect::publication`]).
//!
//! - [`period`]: reporting periods and their predecessors.
//! - [`indicators`]: the versioned indicator set, flow, cohorts, process information.
//! - [`threads`]: recurring threads: structural, over time and in the text.
//! - [`evaluate`]: recall and precision of the threads against planted ones.
//! - [`files`]: the internal analysis files.
//! - [`methods`]: the methods they rest on (`stats`, `itemsets`, `text`), each
//!   tested against published numbers.
//!
//! ```no_run
//! use rodedraad::{analyse, analyse::period::Period, config::Config, ingest::Dataset};
//! let cfg = Config::default_config();
//! let d = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
//! let ds = Dataset::load("casussen.csv".as_ref(), None, &cfg, d).unwrap();
//! let period: Period = "2026-Q3".parse().unwrap();
//! let an = analyse::run(ds, &period, period.end, &cfg).unwrap();
//! println!("{} rode draden", an.threads.len());
//! ```

pub mod evaluate;
pub mod files;
pub mod indicators;
pub mod methods;
pub mod period;
pub mod threads;

use crate::config::Config;
use crate::error::Result;
use crate::ingest::{CheckOutcome, Dataset};
use crate::model::{Case, Signal};
use chrono::NaiveDate;
use indicators::Indicators;
use period::Period;
use threads::Thread;

/// What one analysis run produced.
pub struct Analysis {
    /// The outcome of the check: quarantine and the accounting of every input file.
    pub check: CheckOutcome,
    /// The accepted cases, converted from the data frame once.
    pub cases: Vec<Case>,
    /// The accepted signals (empty without a signal file).
    pub signals: Vec<Signal>,
    pub indicators: Indicators,
    pub threads: Vec<Thread>,
    /// Stock sentences, workflow dimensions and method notes of the thread detection.
    pub thread_context: threads::Context,
}

/// Computes the indicators and the rode draden of `period` as of `reference_date`.
pub fn run(
    dataset: Dataset,
    period: &Period,
    reference_date: NaiveDate,
    cfg: &Config,
) -> Result<Analysis> {
    run_with_progress(dataset, period, reference_date, cfg, &|_| {})
}

/// [`run`], reporting each step to `progress` (for a spinner on a terminal).
pub fn run_with_progress(
    dataset: Dataset,
    period: &Period,
    reference_date: NaiveDate,
    cfg: &Config,
    progress: &dyn Fn(&str),
) -> Result<Analysis> {
    progress("indicatoren berekenen");
    let indicators = indicators::compute(&dataset.cases, period, reference_date, cfg)?;
    progress("rode draden zoeken");
    // From here on the structs are the data: the frames are dropped.
    let (cases, signals, check) = dataset.into_structs()?;
    let (mut draden, thread_context) =
        threads::detect_with_context(&cases, &signals, period, reference_date, cfg);
    threads::describe(&mut draden, cfg);
    Ok(Analysis {
        check,
        cases,
        signals,
        indicators,
        threads: draden,
        thread_context,
    })
}
