//! `rodedraad signals`: the signal ledger and the exports to KSM and the IBTD.
//!
//! ```text
//! rodedraad signals import  --signals F [--cases F] [--config F] [--register F] [--op D]
//! rodedraad signals promote --draad ID --draden rode-draden.json [--naar ksm|ibtd|...] [--eigenaar NAAM] [--op D]
//! rodedraad signals overgang --signaal ID --naar STATUS [--reden TEKST] [--door NAAM] [--op D]
//! rodedraad signals status  [--peildatum D] [--json]
//! rodedraad signals export  --naar ksm|ibtd [--sinds D] [--peildatum D] --out MAP
//! ```
//! The ledger file comes from `--register` or `[register] pad` in the config.

use crate::analyse::draden::Draad;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::export::ledger::{Ledger, Promotion};
use crate::export::{ibtd_overview, ksm_rows};
use crate::ingest::read::read_table;
use crate::ingest::spec::Entity;
use crate::ingest::validate::validate;
use crate::ingest::{signals_from_frame, write_quarantine};
use crate::nl;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

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

fn reg(e: impl std::fmt::Display) -> Error {
    Error::Register(e.to_string())
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Opens the ledger named by the arguments or the config.
pub fn open_ledger(register: Option<&Path>, cfg: &Config) -> Result<Ledger> {
    let path = register
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cfg.resolve(&cfg.register.pad));
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::Schrijven {
            bestand: dir.to_path_buf(),
            melding: e.to_string(),
        })?;
    }
    Ledger::open(&path).map_err(reg)
}

pub fn run(a: SignalsArgs) -> Result<i32> {
    let cfg = super::load_config(a.config.as_deref())?;
    let mut ledger = open_ledger(a.register.as_deref(), &cfg)?;
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
            let all = read_draden(&draden)?;
            let d = all.iter().find(|d| d.id == draad).ok_or_else(|| {
                Error::Gebruik(format!(
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
            ledger
                .transition(
                    &signaal,
                    &naar,
                    reden.as_deref(),
                    &door,
                    op.unwrap_or_else(today),
                )
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
                    serde_json::to_string_pretty(&st).map_err(Error::intern)?
                );
            } else {
                for r in &st.per_ontvanger {
                    println!(
                        "{} / {}: {} open (gemiddeld {} dagen, oudste {}), {} over termijn, {} zonder terugkoppeling, {} afgerond",
                        r.ontvanger,
                        r.eigenaar.as_deref().unwrap_or("geen eigenaar"),
                        r.open,
                        nl::dec(r.gemiddelde_leeftijd_dagen, 0),
                        r.oudste_dagen,
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
            let files = export(
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

/// Validates a signal export and merges it into the ledger (one transaction).
pub fn import(
    ledger: &mut Ledger,
    path: &Path,
    cfg: &Config,
    op: NaiveDate,
    quarantine_dir: &Path,
) -> Result<String> {
    let raw = read_table(path, &cfg.invoer, None)?;
    let v = validate(&raw, Entity::Signals, cfg, op)?;
    if v.quarantine.height() > 0 {
        write_quarantine(
            &v.quarantine,
            &quarantine_dir.join("quarantaine-signalen.csv"),
        )?;
    }
    let signals = signals_from_frame(&v.accepted)?;
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let s = ledger.import(&signals, &name, op).map_err(reg)?;
    Ok(format!(
        "{}: {} gelezen, {} in quarantaine; register: {} nieuw, {} gewijzigd, {} ongewijzigd",
        name,
        nl::int(v.summary.gelezen as i64),
        nl::int(v.summary.in_quarantaine as i64),
        nl::int(s.nieuw as i64),
        nl::int(s.gewijzigd as i64),
        nl::int(s.ongewijzigd as i64)
    ))
}

/// Reads `rode-draden.json`.
pub fn read_draden(path: &Path) -> Result<Vec<Draad>> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| Error::Gebruik(format!("kan {} niet lezen: {e}", path.display())))?;
    serde_json::from_str(&src)
        .map_err(|e| Error::Gebruik(format!("{} is geen rode-draden.json ({e})", path.display())))
}

/// Turns a draad into a signal in the ledger.
pub fn promote(
    ledger: &mut Ledger,
    d: &Draad,
    naar: Option<String>,
    eigenaar: Option<String>,
    op: NaiveDate,
) -> Result<String> {
    if let Some(n) = &naar {
        if !crate::model::ONTVANGERS.contains(&n.as_str()) {
            return Err(Error::Gebruik(format!(
                "onbekende ontvanger \"{n}\"; kies uit {}",
                crate::model::ONTVANGERS.join(", ")
            )));
        }
    }
    let p = Promotion {
        draad_id: d.id.clone(),
        label: format!("{} {}", d.label, d.uitleg).trim().to_string(),
        pattern: d.kenmerken.clone(),
        casus_ids: d.casus_ids.clone(),
        naar,
        eigenaar,
        thema: d.kenmerken.get("thema").cloned(),
        regeling: d.kenmerken.get("regeling").cloned(),
        doelgroep: d.kenmerken.get("doelgroep").cloned().into_iter().collect(),
    };
    ledger.promote(&p, op).map_err(reg)
}

/// Writes the KSM or IBTD export into `out`; returns the file names.
pub fn export(
    ledger: &Ledger,
    naar: &str,
    since: Option<NaiveDate>,
    peil: NaiveDate,
    cfg: &Config,
    out: &Path,
) -> Result<Vec<String>> {
    match naar {
        "ksm" => {
            let signals = ledger.changed_since(since).map_err(reg)?;
            let (header, rows) = ksm_rows(&signals, cfg);
            crate::output::write_csv(&out.join("ksm-export.csv"), &header, &rows)?;
            let json: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|r| {
                    header
                        .iter()
                        .cloned()
                        .zip(r.iter().map(|v| serde_json::Value::String(v.clone())))
                        .collect()
                })
                .collect();
            crate::output::write_json(&out.join("ksm-export.json"), &json)?;
            Ok(vec!["ksm-export.csv".into(), "ksm-export.json".into()])
        }
        "ibtd" => {
            let all = ledger.all().map_err(reg)?;
            let status = ledger.status(peil).map_err(reg)?;
            let (sheets, json) = ibtd_overview(&all, &status, since, peil, cfg);
            crate::output::write_atomic(
                &out.join("ibtd-overzicht.xlsx"),
                &crate::render::xlsx::workbook_bytes(&sheets, peil)?,
            )?;
            crate::output::write_json(&out.join("ibtd-overzicht.json"), &json)?;
            let first = &sheets[0];
            let rows: Vec<Vec<String>> = first
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            crate::render::xlsx::Cell::Text(t) => {
                                crate::output::spreadsheet_safe(t)
                            }
                            crate::render::xlsx::Cell::Number(n) => n.to_string(),
                            crate::render::xlsx::Cell::Empty => String::new(),
                        })
                        .collect()
                })
                .collect();
            crate::output::write_csv(&out.join("ibtd-nieuwe-signalen.csv"), &first.header, &rows)?;
            Ok(vec![
                "ibtd-overzicht.xlsx".into(),
                "ibtd-overzicht.json".into(),
                "ibtd-nieuwe-signalen.csv".into(),
            ])
        }
        o => Err(Error::Gebruik(format!(
            "onbekende bestemming \"{o}\"; kies ksm of ibtd"
        ))),
    }
}
