//! The breakdown tables of section 2 besides the headline and intake tables:
//! themes, warm transfers, escalations, the cohort grid and (internal only) the open
//! cases.
//!
//! ```text
//! theme_parents(&cases, period, reference_date, cfg)  -> intake per main theme and sub-theme
//! ```

use super::{escalation_date_note, Headline};
use crate::analyse::indicators::Indicators;
use crate::config::Config;
use crate::model::Case;
use crate::nl;
use crate::protect::tables::{Protector, PubCell, PubRow, PubTable};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Intake of the period per main theme with its sub-themes, labelled.
pub(super) fn theme_parents(
    cases: &[Case],
    period: &crate::analyse::period::Period,
    reference_date: NaiveDate,
    cfg: &Config,
) -> Vec<(String, Vec<(String, u64)>)> {
    let mut tree: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for c in cases
        .iter()
        .filter(|c| period.counts_on(c.ontvangen_op, reference_date))
    {
        *tree
            .entry(c.main_theme().to_string())
            .or_default()
            .entry(c.thema.to_string())
            .or_default() += 1;
    }
    tree.into_iter()
        .map(|(h, kids)| {
            (
                cfg.label("thema", &h),
                kids.into_iter()
                    .map(|(k, n)| (cfg.label("thema", &k), n))
                    .collect(),
            )
        })
        .collect()
}

/// Warm transfers per helper type: label, warm transfers, triaged cases.
pub(super) fn warm_rows(ind: &Indicators, cfg: &Config) -> Vec<(String, u64, u64)> {
    ind.by("warm_verwezen_pct", "aandrager_type")
        .iter()
        .map(|r| {
            (
                cfg.label("aandrager_type", r.groep.as_deref().unwrap_or("onbekend")),
                r.teller.unwrap_or(0.0) as u64,
                r.noemer.unwrap_or(0),
            )
        })
        .collect()
}

pub(super) fn escalation_table(head: &Headline, ind: &Indicators, p: &Protector) -> PubTable {
    let rijen = head
        .escalation()
        .iter()
        .map(|(label, cell)| PubRow {
            kop: label.clone(),
            cellen: vec![cell.clone()],
            totaal: false,
            deel_van: None,
        })
        .collect();
    let mut t = p.with_note(PubTable {
        id: "escalatie".into(),
        titel: "Geëscaleerde afgeronde casussen naar niveau".into(),
        kolommen: vec!["Escalatieniveau".into(), "Aantal".into()],
        rijen,
        voetnoten: vec![],
        totaal_kolom: false,
    });
    t.voetnoten.insert(
        0,
        "Hoogste niveau waarop is geëscaleerd, voor casussen die in de periode zijn afgerond. \
         Beschermd samen met de kerncijfers: de niveaus tellen op tot het aantal geëscaleerde casussen."
            .into(),
    );
    t.voetnoten.extend(escalation_date_note(ind));
    t
}

/// The cohort table's rows, columns and cells.
pub(super) fn cohort_grid(ind: &Indicators) -> (Vec<String>, Vec<String>, Vec<Vec<u64>>) {
    let labels: Vec<String> = ind
        .cohorten
        .iter()
        .map(|c| c.kwartaal.replace("-Q", " kw. "))
        .collect();
    let cols = vec![
        "Niet in behandeling".to_string(),
        "Wacht op triage".into(),
        "Opgelost".into(),
        "Anders afgerond".into(),
        "In behandeling, open".into(),
    ];
    let cells: Vec<Vec<u64>> = ind
        .cohorten
        .iter()
        .map(|c| {
            let open_in = c
                .in_behandeling_genomen
                .saturating_sub(c.opgelost + c.anders_afgerond);
            vec![
                c.niet_in_behandeling + c.ingetrokken_voor_triage,
                c.wacht_op_triage,
                c.opgelost,
                c.anders_afgerond,
                open_in,
            ]
        })
        .collect();
    (labels, cols, cells)
}

pub(super) fn open_case_table(ind: &Indicators, cfg: &Config) -> PubTable {
    PubTable {
        id: "open-casussen".into(),
        titel: format!(
            "Open casussen op de peildatum ({}), naar fase en leeftijd",
            nl::int(ind.open_casussen.len() as i64)
        ),
        kolommen: vec![
            "Casus".into(),
            "Dienst".into(),
            "Fase".into(),
            "Leeftijd".into(),
        ],
        rijen: ind
            .open_casussen
            .iter()
            .map(|o| PubRow {
                kop: o.casus_id.clone(),
                cellen: vec![
                    PubCell::text(
                        o.dienst
                            .as_deref()
                            .map(|d| cfg.label("dienst", d))
                            .unwrap_or_default(),
                    ),
                    PubCell::text(o.fase.clone()),
                    PubCell::text(nl::days(o.leeftijd_dagen)),
                ],
                totaal: false,
                deel_van: None,
            })
            .collect(),
        voetnoten: vec![],
        totaal_kolom: false,
    }
}
