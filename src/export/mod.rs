//! Export: the signal ledger and the exports to KSM and the IBTD.
//!
//! - [`write`]: the export files for one recipient, from the [`crate::register`].
//! - [`ksm_rows`]: the KSM layout, mapped through `[register.ksm_kolommen]`.
//! - [`ibtd_overview`]: the periodic overview for the consultation with the IBTD.
//!
//! Every export passes the protection rules: free text is scrubbed of personal
//! data, and counts below `min_cel` are suppressed in the overview tables.
//!
//! ```
//! use rodedraad::export::ksm_rows;
//! let cfg = rodedraad::config::Config::default_config();
//! let scrubber = rodedraad::protect::Scrubber::from_config(&cfg).unwrap();
//! let (header, rows) = ksm_rows(&[], &cfg, &scrubber);
//! assert_eq!(header[0], "SignaalID");
//! assert!(rows.is_empty());
//! ```

use crate::config::Config;
use crate::error::{Error, Result};
use crate::nl;
use crate::output::xlsx::{Cell, Sheet};
use crate::protect::Scrubber;
use crate::register::{Ledger, LedgerSignal, StatusOverview};
use chrono::NaiveDate;
use std::path::Path;

fn reg(e: impl std::fmt::Display) -> Error {
    Error::Ledger(e.to_string())
}

fn field(s: &crate::model::Signal, canon: &str) -> String {
    let d = |x: &Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    let o = |x: &Option<String>| x.clone().unwrap_or_default();
    let c = |x: Option<&str>| x.unwrap_or_default().to_string();
    let k = |x: Option<crate::model::Code>| x.map(String::from).unwrap_or_default();
    match canon {
        "signaal_id" => s.signaal_id.clone(),
        "gemeld_op" => s.gemeld_op.to_string(),
        "bron" => c(s.bron.map(|x| x.as_str())),
        "thema" => k(s.thema),
        "regeling" => k(s.regeling),
        "doelgroep" => s.doelgroep.join("|"),
        "omschrijving" => o(&s.omschrijving),
        "casus_ids" => s.casus_ids.join("|"),
        "status" => c(s.status.map(|x| x.as_str())),
        "doorgezet_naar" => c(s.doorgezet_naar.map(|x| x.as_str())),
        "doorgezet_op" => d(&s.doorgezet_op),
        "eigenaar" => o(&s.eigenaar),
        "reactie_verwacht_op" => d(&s.reactie_verwacht_op),
        "terugkoppeling" => o(&s.terugkoppeling),
        "terugkoppeling_op" => d(&s.terugkoppeling_op),
        _ => String::new(),
    }
}

/// Scrubs the free-text fields of a ledger signal for export.
fn scrubbed(l: &LedgerSignal, scrubber: &Scrubber) -> crate::model::Signal {
    let mut s = vec![l.signal.clone()];
    scrubber.scrub(&mut [], &mut s);
    s.pop().unwrap_or_default()
}

/// The KSM layout: header from the config mapping (in its order) and one row per signal.
/// Case ids are never exported to KSM (they are internal).
pub fn ksm_rows(
    signals: &[LedgerSignal],
    cfg: &Config,
    scrubber: &Scrubber,
) -> (Vec<String>, Vec<Vec<String>>) {
    let cols: Vec<(&String, &String)> = cfg
        .register
        .ksm_kolommen
        .iter()
        .filter(|(k, _)| k.as_str() != "casus_ids")
        .collect();
    let mut order: Vec<(&String, &String)> = cols;
    order.sort_by_key(|(k, _)| {
        crate::model::SIGNAL_COLUMNS
            .iter()
            .position(|c| c == k)
            .unwrap_or(99)
    });
    let header = order.iter().map(|(_, h)| h.to_string()).collect();
    let rows = signals
        .iter()
        .map(|l| {
            let s = scrubbed(l, scrubber);
            order.iter().map(|(canon, _)| field(&s, canon)).collect()
        })
        .collect();
    (header, rows)
}

/// The IBTD overview: new signals since `since`, threads that may concern the inspectorate,
/// and the status of everything passed on before; as workbook sheets and JSON.
pub fn ibtd_overview(
    all: &[LedgerSignal],
    status: &StatusOverview,
    since: Option<NaiveDate>,
    reference_date: NaiveDate,
    cfg: &Config,
    scrubber: &Scrubber,
) -> (Vec<Sheet>, serde_json::Value) {
    let h = crate::output::xlsx::header;
    let new: Vec<crate::model::Signal> = all
        .iter()
        .filter(|l| {
            since.is_none_or(|d| l.signal.gemeld_op >= d) && l.signal.gemeld_op <= reference_date
        })
        .map(|l| scrubbed(l, scrubber))
        .collect();
    let ibtd: Vec<crate::model::Signal> = all
        .iter()
        .filter(|l| l.signal.doorgezet_naar == Some(crate::model::Recipient::Ibtd))
        .map(|l| scrubbed(l, scrubber))
        .collect();
    let row = |s: &crate::model::Signal| -> Vec<Cell> {
        vec![
            Cell::text(s.signaal_id.clone()),
            Cell::text(nl::date_short(s.gemeld_op)),
            Cell::text(
                s.thema
                    .as_deref()
                    .map(|t| cfg.label("thema", t))
                    .unwrap_or_default(),
            ),
            Cell::text(
                s.omschrijving
                    .clone()
                    .unwrap_or_else(|| "(weggelaten)".into()),
            ),
            Cell::text(
                s.status
                    .map(|x| x.as_str())
                    .map(|x| cfg.label("status", x))
                    .unwrap_or_default(),
            ),
            Cell::text(
                s.doorgezet_naar
                    .map(|x| x.as_str())
                    .map(|x| cfg.label("doorgezet_naar", x))
                    .unwrap_or_default(),
            ),
            Cell::text(s.eigenaar.clone().unwrap_or_default()),
            Cell::text(s.terugkoppeling.clone().unwrap_or_default()),
        ]
    };
    let cols = h(&[
        "Signaal",
        "Gemeld",
        "Thema",
        "Omschrijving",
        "Status",
        "Doorgezet naar",
        "Eigenaar",
        "Terugkoppeling",
    ]);
    let prot = crate::protect::tables::Protector::new(
        crate::protect::tables::Audience::Parliament,
        cfg.bescherming.min_cel,
        cfg.bescherming.min_noemer,
        cfg.bescherming.nul_onderdrukken,
    );
    let status_rows: Vec<Vec<Cell>> = status
        .per_ontvanger
        .iter()
        .map(|r| {
            let c = |n: usize| {
                let p = prot.count(n as u64);
                if p.onderdrukt {
                    Cell::text(".")
                } else {
                    Cell::Number(n as f64)
                }
            };
            vec![
                Cell::text(cfg.label("doorgezet_naar", &r.ontvanger)),
                Cell::text(r.eigenaar.clone().unwrap_or_default()),
                c(r.open),
                Cell::text(nl::dec(r.gemiddelde_leeftijd_dagen, 0)),
                c(r.te_laat),
                c(r.zonder_terugkoppeling),
                c(r.afgerond),
            ]
        })
        .collect();
    let mut status_sheet = Sheet::new(
        "Status per ontvanger",
        h(&[
            "Ontvanger",
            "Eigenaar",
            "Open",
            "Gemiddelde leeftijd (dagen)",
            "Over reactietermijn",
            "Zonder terugkoppeling",
            "Afgerond",
        ]),
        status_rows,
    );
    status_sheet
        .notes
        .push(crate::protect::tables::NOTE_SUPPRESSED.into());
    let sheets = vec![
        Sheet::new(
            "Nieuwe signalen",
            cols.clone(),
            new.iter().map(row).collect(),
        ),
        Sheet::new("Doorgezet naar IBTD", cols, ibtd.iter().map(row).collect()),
        status_sheet,
    ];
    let json = serde_json::json!({
        "peildatum": reference_date,
        "sinds": since,
        "nieuwe_signalen": new,
        "doorgezet_naar_ibtd": ibtd,
        "status_per_ontvanger": status.per_ontvanger.iter().map(|r| {
            let c = |n: usize| if prot.count(n as u64).onderdrukt { serde_json::Value::String(".".into()) } else { serde_json::json!(n) };
            serde_json::json!({
                "ontvanger": r.ontvanger, "eigenaar": r.eigenaar, "open": c(r.open),
                "gemiddelde_leeftijd_dagen": r.gemiddelde_leeftijd_dagen, "te_laat": c(r.te_laat),
                "zonder_terugkoppeling": c(r.zonder_terugkoppeling), "afgerond": c(r.afgerond),
            })
        }).collect::<Vec<_>>(),
        "herhaalde_signalen": status.herhalingen,
    });
    (sheets, json)
}

/// Where `signals export` sends signals: the Belastingdienst's Klantsignaal Management
/// Systeem or the inspectorate IBTD. Each destination has a fixed set of files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Ksm,
    Ibtd,
}

impl Destination {
    /// The destination for `--naar` ("ksm" or "ibtd", any case).
    pub fn parse(naar: &str) -> Result<Self> {
        match naar.trim().to_ascii_lowercase().as_str() {
            "ksm" => Ok(Self::Ksm),
            "ibtd" => Ok(Self::Ibtd),
            _ => Err(Error::Usage(format!(
                "onbekende bestemming \"{naar}\"; kies ksm of ibtd"
            ))),
        }
    }

    /// The files an export to this destination writes, in the order written.
    pub fn files(self) -> &'static [&'static str] {
        match self {
            Self::Ksm => &["ksm-export.csv", "ksm-export.json"],
            Self::Ibtd => &[
                "ibtd-overzicht.xlsx",
                "ibtd-overzicht.json",
                "ibtd-nieuwe-signalen.csv",
            ],
        }
    }
}

/// Writes the KSM or IBTD export into `out`; returns the file names
/// ([`Destination::files`]).
pub fn write(
    ledger: &Ledger,
    to: Destination,
    since: Option<NaiveDate>,
    reference_date: NaiveDate,
    cfg: &Config,
    out: &Path,
) -> Result<Vec<String>> {
    match to {
        Destination::Ksm => {
            let signals = ledger.changed_since(since).map_err(reg)?;
            let (header, rows) = ksm_rows(&signals, cfg, &Scrubber::from_config(cfg)?);
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
        }
        Destination::Ibtd => {
            let all = ledger.all().map_err(reg)?;
            let status = ledger.status(reference_date).map_err(reg)?;
            let (sheets, json) = ibtd_overview(
                &all,
                &status,
                since,
                reference_date,
                cfg,
                &Scrubber::from_config(cfg)?,
            );
            crate::output::write_atomic(
                &out.join("ibtd-overzicht.xlsx"),
                &crate::output::xlsx::workbook_bytes(&sheets, reference_date)?,
            )?;
            crate::output::write_json(&out.join("ibtd-overzicht.json"), &json)?;
            let first = &sheets[0];
            let rows: Vec<Vec<String>> = first
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            crate::output::xlsx::Cell::Text(t) => t.clone(),
                            crate::output::xlsx::Cell::Number(n) => n.to_string(),
                            crate::output::xlsx::Cell::Empty => String::new(),
                        })
                        .collect()
                })
                .collect();
            crate::output::write_csv(&out.join("ibtd-nieuwe-signalen.csv"), &first.header, &rows)?;
        }
    }
    Ok(to.files().iter().map(|f| f.to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::Destination;

    #[test]
    fn destinations_parse_in_any_case_and_name_their_files() {
        assert_eq!(Destination::parse("KSM").unwrap(), Destination::Ksm);
        assert_eq!(Destination::parse(" ibtd ").unwrap(), Destination::Ibtd);
        assert_eq!(Destination::Ksm.files().len(), 2);
        assert!(Destination::Ibtd
            .files()
            .iter()
            .all(|f| f.starts_with("ibtd-")));
    }

    #[test]
    fn an_unknown_destination_says_what_to_choose() {
        let e = Destination::parse("ibdt").unwrap_err().to_string();
        assert!(e.contains("ibdt") && e.contains("kies ksm of ibtd"), "{e}");
    }
}
