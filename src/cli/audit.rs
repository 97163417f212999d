//! `rodedraad audit`: check a finished output folder, independently of how it was made.
//!
//! ```text
//! rodedraad audit MAP [--config F] [--json]
//! ```
//! Exit 0 when nothing is found, 5 when anything is found.

use crate::error::{Error, Result};
use crate::protect::audit::audit_dir;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// De map met het rapport.
    #[arg(value_name = "MAP")]
    pub dir: PathBuf,
    /// Configuratiebestand (voor min_cel en min_noemer).
    #[arg(long, value_name = "BESTAND")]
    pub config: Option<PathBuf>,
    /// Druk het resultaat als JSON af op stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: AuditArgs) -> Result<i32> {
    let cfg = super::load_config(a.config.as_deref())?;
    let rep = audit_dir(&a.dir, cfg.bescherming.min_cel, cfg.bescherming.min_noemer)?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&rep).map_err(Error::internal)?
        );
    }
    for f in &rep.bevindingen {
        eprintln!("{}: {} ({}): {}", f.bestand, f.soort, f.plek, f.melding);
    }
    for n in &rep.niet_gecontroleerd {
        eprintln!("niet gecontroleerd: {n}");
    }
    eprintln!(
        "{} bestand(en) gecontroleerd, {} bevinding(en)",
        crate::nl::int(rep.gecontroleerd.len() as i64),
        crate::nl::int(rep.bevindingen.len() as i64)
    );
    Ok(if rep.bevindingen.is_empty() { 0 } else { 5 })
}
