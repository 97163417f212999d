//! rodedraad: signal analysis and reporting for the *Belangenbehartiger voor
//! Belastingplichtigen en Toeslaggerechtigden*.
//!
//! The pipeline runs one way through the modules:
//!
//! 1. [`ingest`]: read exports (CSV, XLSX, Parquet), map them onto the
//!    canonical [`model`], validate, quarantine; nothing lost.
//! 2. [`analyse`]: outcome indicators and the rode draden.
//! 3. [`protect`]: personal data in text and disclosure control on tables.
//! 4. [`render`]: the Kamerrapportage and the internal quarterly analysis.
//! 5. [`export`]: the signal ledger and the exports to KSM and the IBTD.
//!
//! [`config`] holds `rodedraad.toml`; [`cli`] is one module per subcommand;
//! [`sample`] makes synthetic data with planted threads.

pub mod analyse;
pub mod cli;
pub mod config;
pub mod error;
pub mod export;
pub mod ingest;
pub mod labels;
pub mod model;
pub mod nl;
pub mod output;
pub mod pipeline;
pub mod protect;
pub mod register;
pub mod render;
pub mod sample;
pub mod util;
