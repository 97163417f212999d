//! Errors and exit codes.
//!
//! Every error a person sees is Dutch and says what to do. Each variant maps
//! to one documented exit code (see the README, "Afsluitcodes").
//!
//! ```
//! use rodedraad::error::Error;
//! let e = Error::Input { path: "casussen.csv".into(), message: "leeg bestand".into(), advice: "lever een export met kopregel en rijen aan".into() };
//! assert_eq!(e.exit_code(), 3);
//! assert!(e.to_string().contains("casussen.csv"));
//! ```

use std::fmt;
use std::path::PathBuf;

/// The error type of rodedraad.
#[derive(Debug)]
pub enum Error {
    /// A whole input file cannot be used (unreadable, empty, missing required column).
    Input {
        path: PathBuf,
        message: String,
        advice: String,
    },
    /// The configuration file is wrong.
    Config {
        path: Option<PathBuf>,
        message: String,
    },
    /// Wrong use of the command line (beyond what clap catches).
    Usage(String),
    /// Output could not be written.
    Write { path: PathBuf, message: String },
    /// A template failed to parse or render.
    Template { template: String, message: String },
    /// The disclosure audit or a strict personal-data check found problems.
    Audit(String),
    /// The signal ledger failed.
    Ledger(String),
    /// A bug or an unexpected failure in a library.
    Internal(String),
}

impl Error {
    /// The process exit code for this error (documented in the README).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Input { .. } => 3,
            Error::Config { .. } => 4,
            Error::Audit(_) => 5,
            Error::Write { .. } => 6,
            Error::Template { .. } => 7,
            Error::Ledger(_) => 8,
            Error::Internal(_) => 1,
        }
    }

    pub fn internal(m: impl fmt::Display) -> Error {
        Error::Internal(m.to_string())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input {
                path,
                message,
                advice,
            } => {
                write!(f, "{}: {}. {}", path.display(), message, advice)
            }
            Error::Config {
                path: Some(b),
                message,
            } => {
                write!(f, "configuratie {}: {}", b.display(), message)
            }
            Error::Config {
                path: None,
                message,
            } => write!(f, "configuratie: {message}"),
            Error::Usage(m) => write!(f, "{m}"),
            Error::Write { path, message } => write!(
                f,
                "kan {} niet schrijven: {}. Controleer of de map bestaat en schrijfbaar is.",
                path.display(),
                message
            ),
            Error::Template { template, message } => {
                write!(f, "sjabloon {template}: {message}. Herstel het sjabloon of verwijder de eigen sjabloonmap uit de configuratie.")
            }
            Error::Audit(m) => write!(f, "controle mislukt: {m}"),
            Error::Ledger(m) => write!(f, "signalenregister: {m}"),
            Error::Internal(m) => write!(
                f,
                "interne fout: {m}. Meld dit aan het ontwikkelteam met de gebruikte invoer."
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<polars::prelude::PolarsError> for Error {
    fn from(e: polars::prelude::PolarsError) -> Self {
        Error::Internal(format!("tabelbewerking: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, Error>;
