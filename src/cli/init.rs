//! `rodedraad inrichten`: write a starting `rodedraad.toml` for a new export.
//!
//! ```text
//! rodedraad inrichten --casussen F [--signalen F] [--uitvoer rodedraad.toml] [--overschrijven]
//! ```
//! Reads the files, lets `ingest::init` propose the mapping, writes it and
//! prints what is still to decide.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::init;
use crate::ingest::read::read_table;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Casusbestand waarvoor de mapping wordt gemaakt.
    #[arg(long = "casussen", alias = "cases", value_name = "BESTAND")]
    pub cases: PathBuf,
    /// Signaalbestand waarvoor de mapping wordt gemaakt.
    #[arg(long = "signalen", alias = "signals", value_name = "BESTAND")]
    pub signals: Option<PathBuf>,
    /// Te schrijven configuratiebestand.
    #[arg(
        long = "uitvoer",
        alias = "out",
        value_name = "BESTAND",
        default_value = "rodedraad.toml"
    )]
    pub out: PathBuf,
    /// Overschrijf een bestaand bestand.
    #[arg(long = "overschrijven")]
    pub overwrite: bool,
}

pub fn run(a: InitArgs) -> Result<i32> {
    if a.out.exists() && !a.overwrite {
        return Err(super::usage_error(format!(
            "{} bestaat al; kies een andere naam met --uitvoer of gebruik --overschrijven",
            a.out.display()
        )));
    }
    let cfg = Config::default_config();
    let cases = read_table(&a.cases, &cfg.invoer, None)?;
    let signals = a
        .signals
        .as_ref()
        .map(|p| read_table(p, &cfg.invoer, None))
        .transpose()?;
    let proposal = init::propose(&cases, signals.as_ref(), &cfg)?;
    // The proposal must itself be a valid configuration; nothing is written if it is not.
    Config::from_toml_str(&proposal.toml).map_err(|e| {
        Error::Internal(format!(
            "het voorstel van init is geen geldige configuratie ({e}); meld dit als fout"
        ))
    })?;
    crate::output::write_atomic(&a.out, proposal.toml.as_bytes())?;
    eprintln!(
        "{} geschreven: {} kolom(men) gekoppeld.",
        a.out.display(),
        proposal.matched.len()
    );
    if proposal.open.is_empty() {
        eprintln!("Niets meer te beslissen.");
    } else {
        eprintln!("Nog te beslissen (regels met '# BESLIS'):");
        for o in &proposal.open {
            eprintln!("  - {o}");
        }
    }
    eprintln!(
        "Draai daarna 'rodedraad controleer --casussen {} --config {}'.",
        a.cases.display(),
        a.out.display()
    );
    Ok(0)
}
