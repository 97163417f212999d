//! `rodedraad voorbeeld`: a deterministic generator of realistic synthetic data.
//!
//! ```text
//! rodedraad voorbeeld --seed N --uitvoer MAP [--aantal N] [--exportdatum D] [--zonder-draden]
//! ```
//! Writes `casussen.csv`, `signalen.csv` and `geplante-draden.json` (canonical),
//! and the same data as Excel writes it under `MAP/excel/` with its mapping file.
//! `--zonder-draden` makes a null sample: independent attributes, nothing planted.

use crate::error::{Error, Result};
use crate::sample::{generate, write_canonical, write_excel_style, SampleOptions};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// Startwaarde van de toevalsgenerator (zelfde waarde = zelfde bestanden).
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// Uitvoermap.
    #[arg(long = "uitvoer", alias = "out", value_name = "MAP")]
    pub out: PathBuf,
    /// Aantal casussen (standaard: realistisch volume, zo'n 60 in 2025 en 250 per jaar in 2026).
    #[arg(long = "aantal", alias = "cases", value_name = "N")]
    pub cases: Option<usize>,
    /// Exportdatum: de laatste datum in de data.
    #[arg(long = "exportdatum", value_name = "DATUM", value_parser = super::parse_date_arg)]
    pub export_date: Option<chrono::NaiveDate>,
    /// Geen geplante rode draden: alle kenmerken onafhankelijk (nulsteekproef).
    #[arg(long = "zonder-draden")]
    pub no_threads: bool,
    /// Schrijf ook de Excel-variant (puntkomma, dd-mm-jjjj, Windows-1252) met mapping.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub excel: bool,
}

pub fn run(a: SampleArgs) -> Result<i32> {
    let mut opts = SampleOptions {
        seed: a.seed,
        cases: a.cases,
        planted: !a.no_threads,
        ..SampleOptions::default()
    };
    if let Some(d) = a.export_date {
        opts.export_date = d;
    }
    let pb = super::progress("voorbeelddata maken");
    let data = generate(&opts);
    let w = |e: std::io::Error| Error::Write {
        path: a.out.clone(),
        message: e.to_string(),
    };
    write_canonical(&data, &a.out).map_err(w)?;
    if a.excel {
        write_excel_style(&data, &a.out.join("excel")).map_err(w)?;
    }
    pb.finish_and_clear();
    eprintln!(
        "{} casussen, {} signalen en {} geplante rode draden geschreven naar {}",
        crate::nl::int(data.cases.len() as i64),
        crate::nl::int(data.signals.len() as i64),
        data.planted.len(),
        a.out.display()
    );
    Ok(0)
}
