//! `rodedraad signals`: the signal ledger and the exports to KSM and the IBTD.
//!
//! ```text
//! rodedraad signals import  --signals F [--cases F] [--config F] [--register F] [--op D]
//! rodedraad signals promote --draad ID --draden rode-draden.json [--naar ksm|ibtd|...] [--eigenaar NAAM] [--op D]
//! rodedraad signals overgang --signaal ID --naar STATUS [--reden TEKST] [--door NAAM] [--op D]
//! rodedraad signals status  [--peildatum D] [--json]
//! rodedraad signals export  --naar ksm|ibtd [--sinds D] [--peildatum D] --out MAP
//! ```
//! The ledger file comes from `--register` or `[register] pad` in the config; a relative
//! `pad` counts from the config file's folder (without `--config`: the working folder).
//! `import` and `promote` make a missing ledger; `overgang`, `status` and `export` refuse
//! one (exit 8), so a mistyped path never reads as an empty ledger. `export` writes
//! through a staging folder: a failed export leaves the earlier one whole.
//!
//! `overgang --op` must lie on or after the signal's melddatum and its last status
//! change (the history stays in order), and not after today (the system date): a status
//! change is recorded after it happened.

use crate::error::{Error, Result};
use crate::nl;
use crate::pipeline::signals::{
    check_transition_date, import, open_existing_ledger, open_ledger, promote, read_threads, reg,
};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct SignalsArgs {
    #[command(subcommand)]
    pub cmd: SignalsCmd,
    /// Configuratiebestand.
    #[arg(long, global = true, value_name = "BESTAND")]
    pub config: Option<PathBuf>,
    /// Signalenregister (SQLite); standaard [register] pad uit de configuratie.
    #[arg(long, global = true, value_name = "BESTAND")]
    pub register: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum SignalsCmd {
    /// Voeg een signaalexport (KSM of eigen) samen met het register.
    Import {
        /// Signaalbestand (CSV, XLSX of Parquet).
        #[arg(long = "signals", visible_alias = "signalen", value_name = "BESTAND")]
        signals: PathBuf,
        /// Datum van de import (standaard vandaag).
        #[arg(long, value_name = "DATUM", value_parser = super::parse_date_arg)]
        op: Option<NaiveDate>,
        /// Map voor de quarantaine van afgekeurde rijen.
        #[arg(long, value_name = "MAP", default_value = ".")]
        out: PathBuf,
    },
    /// Maak van een rode draad een signaal.
    Promote {
        /// Id van de rode draad (RD-...).
        #[arg(long, value_name = "ID")]
        draad: String,
        /// rode-draden.json uit 'rodedraad analyse'.
        #[arg(long, value_name = "BESTAND")]
        draden: PathBuf,
        /// Ontvanger: ibtd, ksm, belastingdienst, dienst_toeslagen, ministerie of wetgever.
        #[arg(long, value_name = "ONTVANGER")]
        naar: Option<String>,
        /// Signaaleigenaar.
        #[arg(long, value_name = "NAAM")]
        eigenaar: Option<String>,
        /// Datum (standaard vandaag).
        #[arg(long, value_name = "DATUM", value_parser = super::parse_date_arg)]
        op: Option<NaiveDate>,
    },
    /// Zet een signaal in een nieuwe status (overslaan of teruggaan alleen met een reden).
    Overgang {
        /// Id van het signaal.
        #[arg(long, value_name = "ID")]
        signaal: String,
        /// Nieuwe status: nieuw, in_analyse, doorgezet, in_behandeling, opgepakt, niet_opgepakt of afgerond.
        #[arg(long, value_name = "STATUS")]
        naar: String,
        /// Reden (verplicht als een stap wordt overgeslagen of teruggegaan).
        #[arg(long, value_name = "TEKST")]
        reden: Option<String>,
        /// Wie de wijziging doet.
        #[arg(long, value_name = "NAAM", default_value = "onbekend")]
        door: String,
        /// Datum (standaard vandaag).
        #[arg(long, value_name = "DATUM", value_parser = super::parse_date_arg)]
        op: Option<NaiveDate>,
    },
    /// Overzicht per ontvanger en eigenaar: open, te laat, zonder terugkoppeling, herhalingen.
    Status {
        /// Peildatum (standaard vandaag).
        #[arg(long, value_name = "DATUM", value_parser = super::parse_date_arg)]
        peildatum: Option<NaiveDate>,
        /// Als JSON op stdout.
        #[arg(long)]
        json: bool,
    },
    /// Exporteer voor KSM (CSV en JSON) of de IBTD (CSV, JSON en XLSX).
    Export {
        /// ksm of ibtd.
        #[arg(long, value_name = "ONTVANGER")]
        naar: String,
        /// Alleen nieuwe of gewijzigde signalen vanaf deze datum.
        #[arg(long, value_name = "DATUM", value_parser = super::parse_date_arg)]
        sinds: Option<NaiveDate>,
        /// Peildatum (standaard vandaag).
        #[arg(long, value_name = "DATUM", value_parser = super::parse_date_arg)]
        peildatum: Option<NaiveDate>,
        /// Uitvoermap.
        #[arg(long, value_name = "MAP")]
        out: PathBuf,
    },
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn run(a: SignalsArgs) -> Result<i32> {
    let cfg = super::load_config(a.config.as_deref())?;
    let mut ledger = match a.cmd {
        SignalsCmd::Import { .. } | SignalsCmd::Promote { .. } => {
            open_ledger(a.register.as_deref(), &cfg)?
        }
        _ => open_existing_ledger(a.register.as_deref(), &cfg)?,
    };
    match a.cmd {
        SignalsCmd::Import { signals, op, out } => {
            let op = op.unwrap_or_else(today);
            let s = import(&mut ledger, &signals, &cfg, op, &out)?;
            eprintln!("{s}");
        }
        SignalsCmd::Promote {
            draad,
            draden,
            naar,
            eigenaar,
            op,
        } => {
            let all = read_threads(&draden)?;
            let d = all.iter().find(|d| d.id == draad).ok_or_else(|| {
                Error::Usage(format!(
                    "rode draad {draad} staat niet in {}; kies een id uit dat bestand",
                    draden.display()
                ))
            })?;
            let id = promote(&mut ledger, d, naar, eigenaar, op.unwrap_or_else(today))?;
            eprintln!("rode draad {draad} staat in het register als signaal {id}");
        }
        SignalsCmd::Overgang {
            signaal,
            naar,
            reden,
            door,
            op,
        } => {
            let op = op.unwrap_or_else(today);
            check_transition_date(&ledger, &signaal, op, today())?;
            ledger
                .transition(&signaal, &naar, reden.as_deref(), &door, op)
                .map_err(reg)?;
            for h in ledger.history(&signaal).map_err(reg)?.iter().rev().take(1) {
                eprintln!(
                    "{signaal}: {} -> {} op {}{}",
                    h.oud.as_deref().unwrap_or("-"),
                    h.nieuw.as_deref().unwrap_or("-"),
                    crate::nl::date(h.op),
                    h.reden
                        .as_deref()
                        .map(|r| format!(" (reden: {r})"))
                        .unwrap_or_default()
                );
            }
        }
        SignalsCmd::Status { peildatum, json } => {
            let st = ledger
                .status(peildatum.unwrap_or_else(today))
                .map_err(reg)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&st).map_err(Error::internal)?
                );
            } else {
                for r in &st.per_ontvanger {
                    println!(
                        "{} / {}: {} open (gemiddeld {}, oudste {}), {} over termijn, {} zonder terugkoppeling, {} afgerond",
                        r.ontvanger,
                        r.eigenaar.as_deref().unwrap_or("geen eigenaar"),
                        r.open,
                        nl::quantity(r.gemiddelde_leeftijd_dagen, 0, " dagen"),
                        nl::days(r.oudste_dagen),
                        r.te_laat,
                        r.zonder_terugkoppeling,
                        r.afgerond
                    );
                }
                println!("herhaalde signalen: {}", st.herhalingen.len());
            }
        }
        SignalsCmd::Export {
            naar,
            sinds,
            peildatum,
            out,
        } => {
            let files = crate::pipeline::signals::export(
                &ledger,
                &naar,
                sinds,
                peildatum.unwrap_or_else(today),
                &cfg,
                &out,
            )?;
            eprintln!("geschreven: {}", files.join(", "));
        }
    }
    Ok(0)
}
