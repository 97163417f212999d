//! The analysis files: the internal working files of one analysis run.
//!
//! `indicatoren.json`, `indicatoren.csv`, `indicatoren.xlsx`, `definities.json`,
//! `stroom-en-cohorten.json` (with the open cases in `open-casussen.csv`), `rode-draden.json`
//! (with the case ids of the threads in `rode-draden-casussen.csv`) and `rode-draden.csv`, plus the
//! accounting of the input. They are not protected: only a publication made by
//! [`crate::protect::publication`] may leave the research department.
//!
//! ```no_run
//! # fn demo(an: &rodedraad::analyse::Analysis, cfg: &rodedraad::config::Config) {
//! rodedraad::analyse::files::write(an, cfg, std::path::Path::new("analyse-2026-Q3")).unwrap();
//! # }
//! ```

use super::indicators::{self, Indicators, Record};
use super::threads;
use super::Analysis;
use crate::config::Config;
use crate::error::Result;
use crate::output::xlsx::{workbook_bytes, Cell, Sheet};
use std::path::Path;

/// Writes every analysis file into `out`.
pub fn write(an: &Analysis, cfg: &Config, out: &Path) -> Result<()> {
    let ind = &an.indicators;
    crate::output::write_json(&out.join("indicatoren.json"), &ind.records)?;
    crate::output::write_json(&out.join("definities.json"), &indicators::definition_docs())?;
    crate::output::write_json(
        &out.join("stroom-en-cohorten.json"),
        &serde_json::json!({
            "periode": ind.periode, "peildatum": ind.peildatum, "stroom": ind.stroom, "cohorten": ind.cohorten,
            "doelrealisatie": ind.doelrealisatie, "kaplan_meier": ind.kaplan_meier,
            "open_casussen": { "aantal": ind.open_casussen.len(), "bestand": OPEN_CASES_FILE },
            "escalaties_zonder_datum": ind.escalaties_zonder_datum,
        }),
    )?;
    write_open_cases(&ind.open_casussen, &out.join(OPEN_CASES_FILE))?;
    write_indicator_csv(&ind.records, &out.join("indicatoren.csv"))?;
    let bytes = workbook_bytes(&indicator_sheets(ind, cfg), ind.peildatum)?;
    crate::output::write_atomic(&out.join("indicatoren.xlsx"), &bytes)?;
    write_threads(&an.threads, out)?;
    threads::write_csv(&an.threads, &out.join("rode-draden.csv"))?;
    crate::output::write_json(
        &out.join("rode-draden-toelichting.json"),
        &an.thread_context,
    )?;
    an.check.write_check_files(out)
}

/// The case ids of the threads, one row per (thread, case): a CSV next to `rode-draden.json`,
/// which names this file instead of listing them (at a million cases one thread can hold a
/// hundred thousand cases).
pub const THREAD_CASES_FILE: &str = "rode-draden-casussen.csv";

/// The field of a thread in `rode-draden.json` that names [`THREAD_CASES_FILE`].
pub const THREAD_CASES_FIELD: &str = "casussen_bestand";

/// Writes `rode-draden.json` without the case ids (in their place the field
/// [`THREAD_CASES_FIELD`]) and the ids into [`THREAD_CASES_FILE`].
pub fn write_threads(all: &[threads::Thread], out: &Path) -> Result<()> {
    let rows: Vec<Vec<String>> = all
        .iter()
        .flat_map(|t| t.casus_ids.iter().map(|c| vec![t.id.clone(), c.clone()]))
        .collect();
    let header = ["draad_id".to_string(), "casus_id".to_string()];
    crate::output::write_csv(&out.join(THREAD_CASES_FILE), &header, &rows)?;
    let without: Vec<threads::Thread> = all
        .iter()
        .map(|t| {
            let mut t = t.clone();
            t.casus_ids = Vec::new();
            t
        })
        .collect();
    let json = serde_json::to_string_pretty(&without).map_err(crate::error::Error::internal)?;
    // The emptied field is one line per thread at the indentation of a thread's fields (a
    // string value cannot hold it unescaped); it becomes the pointer to the CSV, in place.
    let empty = "\n    \"casus_ids\": [],\n";
    let pointer = format!("\n    \"{THREAD_CASES_FIELD}\": \"{THREAD_CASES_FILE}\",\n");
    if json.matches(empty).count() != all.len() {
        return Err(crate::error::Error::internal(
            "rode-draden.json: het veld casus_ids staat niet één keer per draad",
        ));
    }
    let mut json = json.replace(empty, &pointer);
    json.push('\n');
    crate::output::write_atomic(&out.join("rode-draden.json"), json.as_bytes())
}

/// The per-case rows of the open cases: a CSV next to `stroom-en-cohorten.json`, which only
/// counts them (at a million cases the rows would make that summary tens of megabytes).
pub const OPEN_CASES_FILE: &str = "open-casussen.csv";

fn write_open_cases(rows: &[indicators::OpenCase], path: &Path) -> Result<()> {
    let header: Vec<String> = ["casus_id", "dienst", "fase", "leeftijd_dagen"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.casus_id.clone(),
                r.dienst.clone().unwrap_or_default(),
                r.fase.clone(),
                r.leeftijd_dagen.to_string(),
            ]
        })
        .collect();
    crate::output::write_csv(path, &header, &rows)
}

fn num(v: Option<f64>) -> String {
    v.map(|x| {
        if x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{}", x as i64)
        } else {
            format!("{x:.6}")
        }
    })
    .unwrap_or_default()
}

fn write_indicator_csv(records: &[Record], path: &Path) -> Result<()> {
    let header: Vec<String> = [
        "id",
        "versie",
        "periode",
        "dimensie",
        "groep",
        "eenheid",
        "teller",
        "noemer",
        "waarde",
        "ci_laag",
        "ci_hoog",
        "vorige_periode",
        "vorige_teller",
        "vorige_noemer",
        "vorige_waarde",
        "verschil",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.versie.to_string(),
                r.periode.clone(),
                r.dimensie.clone().unwrap_or_default(),
                r.groep.clone().unwrap_or_default(),
                serde_json::to_value(r.eenheid)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                num(r.teller),
                r.noemer.map(|n| n.to_string()).unwrap_or_default(),
                num(r.waarde),
                num(r.ci_laag),
                num(r.ci_hoog),
                r.vorige_periode.clone(),
                num(r.vorige_teller),
                r.vorige_noemer.map(|n| n.to_string()).unwrap_or_default(),
                num(r.vorige_waarde),
                num(r.verschil),
            ]
        })
        .collect();
    crate::output::write_csv(path, &header, &rows)
}

/// The indicator workbook: one sheet per indicator group, plus flow, cohorts and target.
pub fn indicator_sheets(ind: &Indicators, cfg: &Config) -> Vec<Sheet> {
    let defs = indicators::definitions();
    let mut groups: Vec<&str> = Vec::new();
    for d in &defs {
        if !groups.contains(&d.group) {
            groups.push(d.group);
        }
    }
    let header: Vec<String> = [
        "Indicator",
        "Uitsplitsing",
        "Groep",
        "Teller",
        "Noemer",
        "Waarde",
        "95%-interval laag",
        "95%-interval hoog",
        "Vorige periode",
        "Waarde vorige periode",
        "Verschil",
        "Versie",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut sheets: Vec<Sheet> = groups
        .iter()
        .map(|g| {
            let rows = ind
                .records
                .iter()
                .filter(|r| defs.iter().any(|d| d.id == r.id && d.group == *g))
                .map(|r| {
                    let naam = defs
                        .iter()
                        .find(|d| d.id == r.id)
                        .map(|d| d.name)
                        .unwrap_or("");
                    vec![
                        Cell::text(naam),
                        Cell::text(r.dimensie.clone().unwrap_or_else(|| "totaal".into())),
                        Cell::text(
                            r.groep
                                .as_ref()
                                .map(|g| cfg.label(r.dimensie.as_deref().unwrap_or(""), g))
                                .unwrap_or_default(),
                        ),
                        Cell::opt(r.teller),
                        Cell::opt(r.noemer.map(|n| n as f64)),
                        Cell::opt(r.waarde),
                        Cell::opt(r.ci_laag),
                        Cell::opt(r.ci_hoog),
                        Cell::text(r.vorige_periode.clone()),
                        Cell::opt(r.vorige_waarde),
                        Cell::opt(r.verschil),
                        Cell::Number(r.versie as f64),
                    ]
                })
                .collect();
            Sheet::new(g, header.clone(), rows)
        })
        .collect();
    let h = crate::output::xlsx::header;
    sheets.push(Sheet::new(
        "Stroom",
        h(&[
            "Dienst",
            "Open bij begin",
            "Ontvangen",
            "Afgehandeld",
            "waarvan bij triage",
            "waarvan na behandeling",
            "waarvan ingetrokken vóór triage",
            "Open bij einde",
        ]),
        ind.stroom
            .iter()
            .map(|f| {
                vec![
                    Cell::text(if f.dienst == "totaal" {
                        "Totaal".to_string()
                    } else {
                        cfg.label("dienst", &f.dienst)
                    }),
                    Cell::Number(f.open_begin as f64),
                    Cell::Number(f.ontvangen as f64),
                    Cell::Number(f.afgehandeld as f64),
                    Cell::Number(f.waarvan_bij_triage as f64),
                    Cell::Number(f.waarvan_na_behandeling as f64),
                    Cell::Number(f.waarvan_ingetrokken_voor_triage as f64),
                    Cell::Number(f.open_eind as f64),
                ]
            })
            .collect(),
    ));
    sheets.push(Sheet::new(
        "Cohorten",
        h(&[
            "Kwartaal van ontvangst",
            "Ontvangen",
            "Niet in behandeling",
            "Ingetrokken vóór triage",
            "Wacht op triage",
            "In behandeling genomen",
            "Opgelost",
            "Anders afgerond",
            "Nog open",
        ]),
        ind.cohorten
            .iter()
            .map(|c| {
                let mut r = vec![Cell::text(c.kwartaal.clone())];
                r.extend(
                    [
                        c.ontvangen,
                        c.niet_in_behandeling,
                        c.ingetrokken_voor_triage,
                        c.wacht_op_triage,
                        c.in_behandeling_genomen,
                        c.opgelost,
                        c.anders_afgerond,
                        c.nog_open,
                    ]
                    .iter()
                    .map(|v| Cell::Number(*v as f64)),
                );
                r
            })
            .collect(),
    ));
    sheets.push(Sheet::new(
        "Doelrealisatie",
        h(&[
            "Jaar",
            "Dienst",
            "In behandeling genomen",
            "Doel",
            "Realisatie",
        ]),
        ind.doelrealisatie
            .iter()
            .map(|t| {
                vec![
                    Cell::Number(t.jaar as f64),
                    Cell::text(cfg.label("dienst", &t.dienst)),
                    Cell::Number(t.in_behandeling_genomen as f64),
                    Cell::Number(t.doel as f64),
                    Cell::Number(t.aandeel),
                ]
            })
            .collect(),
    ));
    sheets
}
