//! `rodedraad signalen`: the signal ledger and the exports to KSM and the IBTD.
//!
//! ```text
//! rodedraad signalen importeer  --signalen F [--casussen F] [--config F] [--register F] [--op D]
//! rodedraad signalen doorzetten --draad ID --draden rode-draden.json [--naar ksm|ibtd|...] [--eigenaar NAAM] [--op D]
//! rodedraad signalen overgang --signaal ID --naar STATUS [--reden TEKST] [--door NAAM] [--op D]
//! rodedraad signalen status  [--peildatum D] [--json]
//! rodedraad signalen exporteer  --naar ksm|ibtd [--sinds D] [--peildatum D] --uitvoer MAP
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
    #[command(name = "importeer", alias = "import")]
    Import {
        /// Signaalbestand (CSV, XLSX of Parquet).
        #[arg(long = "signalen", alias = "signals", value_name = "BESTAND")]
        signals: PathBuf,
        /// Datum van de import (standaard vandaag).
        #[arg(long = "op", value_name = "DATUM", value_parser = super::parse_date_arg)]
        on: Option<NaiveDate>,
        /// Map voor de quarantaine van afgekeurde rijen.
        #[arg(
            long = "uitvoer",
            alias = "out",
            value_name = "MAP",
            default_value = "."
        )]
        out: PathBuf,
    },
    /// Maak van een rode draad een signaal.
    #[command(name = "doorzetten", alias = "promote")]
    Promote {
        /// Id van de rode draad (RD-...).
        #[arg(long = "draad", value_name = "ID")]
        thread: String,
        /// rode-draden.json uit 'rodedraad analyse'.
        #[arg(long = "draden", value_name = "BESTAND")]
        threads: PathBuf,
        /// Ontvanger: ibtd, ksm, belastingdienst, dienst_toeslagen, ministerie of wetgever.
        #[arg(long = "naar", value_name = "ONTVANGER")]
        to: Option<String>,
        /// Signaaleigenaar.
        #[arg(long = "eigenaar", value_name = "NAAM")]
        owner: Option<String>,
        /// Datum (standaard vandaag).
        #[arg(long = "op", value_name = "DATUM", value_parser = super::parse_date_arg)]
        on: Option<NaiveDate>,
    },
    /// Zet een signaal in een nieuwe status (overslaan of teruggaan alleen met een reden).
    #[command(name = "overgang", alias = "transition")]
    Transition {
        /// Id van het signaal.
        #[arg(long = "signaal", value_name = "ID")]
        signal: String,
        /// Nieuwe status: nieuw, in_analyse, doorgezet, in_behandeling, opgepakt, niet_opgepakt of afgerond.
        #[arg(long = "naar", value_name = "STATUS")]
        to: String,
        /// Reden (verplicht als een stap wordt overgeslagen of teruggegaan).
        #[arg(long = "reden", value_name = "TEKST")]
        reason: Option<String>,
        /// Wie de wijziging doet.
        #[arg(long = "door", value_name = "NAAM", default_value = "onbekend")]
        by: String,
        /// Datum (standaard vandaag).
        #[arg(long = "op", value_name = "DATUM", value_parser = super::parse_date_arg)]
        on: Option<NaiveDate>,
    },
    /// Overzicht per ontvanger en eigenaar: open, te laat, zonder terugkoppeling, herhalingen.
    Status {
        /// Peildatum (standaard vandaag).
        #[arg(long = "peildatum", value_name = "DATUM", value_parser = super::parse_date_arg)]
        reference_date: Option<NaiveDate>,
        /// Als JSON op stdout.
        #[arg(long)]
        json: bool,
    },
    /// Exporteer voor KSM (CSV en JSON) of de IBTD (CSV, JSON en XLSX).
    #[command(name = "exporteer", alias = "export")]
    Export {
        /// ksm of ibtd.
        #[arg(long = "naar", value_name = "ONTVANGER")]
        to: String,
        /// Alleen nieuwe of gewijzigde signalen vanaf deze datum.
        #[arg(long = "sinds", value_name = "DATUM", value_parser = super::parse_date_arg)]
        since: Option<NaiveDate>,
        /// Peildatum (standaard vandaag).
        #[arg(long = "peildatum", value_name = "DATUM", value_parser = super::parse_date_arg)]
        reference_date: Option<NaiveDate>,
        /// Uitvoermap.
        #[arg(long = "uitvoer", alias = "out", value_name = "MAP")]
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
        SignalsCmd::Import { signals, on, out } => {
            let on = on.unwrap_or_else(today);
            let s = import(&mut ledger, &signals, &cfg, on, &out)?;
            eprintln!("{s}");
        }
        SignalsCmd::Promote {
            thread,
            threads,
            to,
            owner,
            on,
        } => {
            let all = read_threads(&threads)?;
            let d = all.iter().find(|d| d.id == thread).ok_or_else(|| {
                Error::Usage(format!(
                    "rode draad {thread} staat niet in {}; kies een id uit dat bestand",
                    threads.display()
                ))
            })?;
            let id = promote(&mut ledger, d, to, owner, on.unwrap_or_else(today))?;
            eprintln!("rode draad {thread} staat in het register als signaal {id}");
        }
        SignalsCmd::Transition {
            signal,
            to,
            reason,
            by,
            on,
        } => {
            let on = on.unwrap_or_else(today);
            check_transition_date(&ledger, &signal, on, today())?;
            ledger
                .transition(&signal, &to, reason.as_deref(), &by, on)
                .map_err(reg)?;
            for h in ledger.history(&signal).map_err(reg)?.iter().rev().take(1) {
                eprintln!(
                    "{signal}: {} -> {} op {}{}",
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
        SignalsCmd::Status {
            reference_date,
            json,
        } => {
            let st = ledger
                .status(reference_date.unwrap_or_else(today))
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
            to,
            since,
            reference_date,
            out,
        } => {
            let files = crate::pipeline::signals::export(
                &ledger,
                &to,
                since,
                reference_date.unwrap_or_else(today),
                &cfg,
                &out,
            )?;
            eprintln!("geschreven: {}", files.join(", "));
        }
    }
    Ok(0)
}
