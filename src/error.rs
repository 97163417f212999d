//! Errors and exit codes.
//!
//! Every error a person sees is Dutch and says what to do. Each variant maps
//! to one documented exit code (see the README, "Afsluitcodes").
//!
//! ```
//! use rodedraad::error::Error;
//! let e = Error::Bestand { bestand: "casussen.csv".into(), melding: "leeg bestand".into(), advies: "lever een export met kopregel en rijen aan".into() };
//! assert_eq!(e.exit_code(), 3);
//! assert!(e.to_string().contains("casussen.csv"));
//! ```

use std::fmt;
use std::path::PathBuf;

/// The error type of rodedraad.
#[derive(Debug)]
pub enum Error {
    /// A whole input file cannot be used (unreadable, empty, missing required column).
    Bestand {
        bestand: PathBuf,
        melding: String,
        advies: String,
    },
    /// The configuration file is wrong.
    Config {
        bestand: Option<PathBuf>,
        melding: String,
    },
    /// Wrong use of the command line (beyond what clap catches).
    Gebruik(String),
    /// Output could not be written.
    Schrijven { bestand: PathBuf, melding: String },
    /// A template failed to parse or render.
    Sjabloon { sjabloon: String, melding: String },
    /// The disclosure audit or a strict personal-data check found problems.
    Controle(String),
    /// The signal ledger failed.
    Register(String),
    /// A bug or an unexpected failure in a library.
    Intern(String),
}

impl Error {
    /// The process exit code for this error (documented in the README).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Gebruik(_) => 2,
            Error::Bestand { .. } => 3,
            Error::Config { .. } => 4,
            Error::Controle(_) => 5,
            Error::Schrijven { .. } => 6,
            Error::Sjabloon { .. } => 7,
            Error::Register(_) => 8,
            Error::Intern(_) => 1,
        }
    }

    pub fn intern(m: impl fmt::Display) -> Error {
        Error::Intern(m.to_string())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Bestand {
                bestand,
                melding,
                advies,
            } => {
                write!(f, "{}: {}. {}", bestand.display(), melding, advies)
            }
            Error::Config {
                bestand: Some(b),
                melding,
            } => {
                write!(f, "configuratie {}: {}", b.display(), melding)
            }
            Error::Config {
                bestand: None,
                melding,
            } => write!(f, "configuratie: {melding}"),
            Error::Gebruik(m) => write!(f, "{m}"),
            Error::Schrijven { bestand, melding } => write!(
                f,
                "kan {} niet schrijven: {}. Controleer of de map bestaat en schrijfbaar is.",
                bestand.display(),
                melding
            ),
            Error::Sjabloon { sjabloon, melding } => {
                write!(f, "sjabloon {sjabloon}: {melding}. Herstel het sjabloon of verwijder de eigen sjabloonmap uit de configuratie.")
            }
            Error::Controle(m) => write!(f, "controle mislukt: {m}"),
            Error::Register(m) => write!(f, "signalenregister: {m}"),
            Error::Intern(m) => write!(
                f,
                "interne fout: {m}. Meld dit aan het ontwikkelteam met de gebruikte invoer."
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<polars::prelude::PolarsError> for Error {
    fn from(e: polars::prelude::PolarsError) -> Self {
        Error::Intern(format!("tabelbewerking: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, Error>;
