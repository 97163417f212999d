//! `rodedraad audit`: check a finished output folder, independently of how it was made.
//!
//! ```text
//! rodedraad audit MAP [--config F] [--json] [--vorige-publicatie MAP]
//! ```
//! Exit 0 when every file was read and nothing was found; 5 otherwise (a file that cannot
//! be read is a finding too). A folder whose figure list says INTERN is checked as an
//! internal report: personal data and the marking on every page, sheet and file, not the
//! small counts (which it may show).

use crate::error::{Error, Result};
use crate::protect::audit::audit_dir;
use crate::protect::audit::reader::releases::audit_releases;
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
    /// Map van het openbare rapport van de vorige periode: controleer ook of de twee
    /// rapporten naast elkaar een klein aantal verraden.
    #[arg(long = "vorige-publicatie", value_name = "MAP")]
    pub previous_publication: Option<PathBuf>,
}

pub fn run(a: AuditArgs) -> Result<i32> {
    let cfg = super::load_config(a.config.as_deref())?;
    let start = std::time::Instant::now();
    let mut rep = audit_dir(&a.dir, cfg.bescherming.min_cel, cfg.bescherming.min_noemer)?;
    if let Some(earlier) = &a.previous_publication {
        rep.bevindingen
            .extend(audit_releases(earlier, &a.dir, cfg.bescherming.min_cel));
    }
    let seconds = start.elapsed().as_secs_f64();
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&rep).map_err(Error::internal)?
        );
    }
    if rep.publiek == crate::protect::tables::Audience::Internal {
        eprintln!(
            "intern rapport (niet voor publicatie): gecontroleerd op persoonsgegevens en op de markering INTERN; kleine aantallen mogen hierin staan en zijn niet getoetst"
        );
    }
    for f in &rep.bevindingen {
        eprintln!("{}: {} ({}): {}", f.bestand, f.soort, f.plek, f.melding);
    }
    eprintln!(
        "{} bestand(en) gecontroleerd, {} niet te controleren, {} bevinding(en) ({} s)",
        crate::nl::int(rep.gecontroleerd.len() as i64),
        crate::nl::int(rep.niet_gecontroleerd.len() as i64),
        crate::nl::int(rep.bevindingen.len() as i64),
        crate::nl::dec(seconds, 2)
    );
    Ok(if rep.passed() { 0 } else { 5 })
}
