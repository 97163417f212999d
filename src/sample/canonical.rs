//! The canonical cells of cases and signals, as the input contract wants them: ISO dates,
//! `ja`/`nee`, multi-valued cells joined with `|`, empty for a missing value.
//!
//! ```ignore
//! let row: Vec<String> = case_record(&case); // in CASE_COLUMNS order
//! ```

use crate::model::{Case, Signal};
use chrono::NaiveDate;

fn date_s(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn bool_s(b: Option<bool>) -> String {
    match b {
        Some(true) => "ja".to_string(),
        Some(false) => "nee".to_string(),
        None => String::new(),
    }
}

fn num_s(n: Option<u8>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn opt_s(s: &Option<impl ToString>) -> String {
    s.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The canonical cells of a case, in `CASE_COLUMNS` order.
pub(super) fn case_record(c: &Case) -> Vec<String> {
    vec![
        c.casus_id.clone(),
        date_s(Some(c.ontvangen_op)),
        c.aandrager_type.to_string(),
        opt_s(&c.aandrager_id),
        c.dienst.map(|x| x.as_str().to_string()).unwrap_or_default(),
        c.thema.to_string(),
        opt_s(&c.regeling),
        c.doelgroep.join("|"),
        opt_s(&c.levensgebeurtenis),
        num_s(c.complexiteit),
        bool_s(c.spoed),
        date_s(c.triage_op),
        c.triage_besluit
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        bool_s(c.warm_doorverwezen),
        opt_s(&c.doorverwezen_naar),
        date_s(c.zienswijze_op),
        c.zienswijze_reactie
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        bool_s(c.geescaleerd),
        date_s(c.geescaleerd_op),
        c.escalatie_niveau
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        bool_s(c.pauzeknop),
        c.uitkomst
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        date_s(c.afgerond_op),
        num_s(c.beleving_burger),
        num_s(c.beleving_eerstelijnshelper),
        num_s(c.beleving_helper_dienst),
        opt_s(&c.geleerde_les),
        opt_s(&c.samenvatting),
        bool_s(c.verhaal_vrijgegeven),
    ]
}

/// The canonical cells of a signal, in `SIGNAL_COLUMNS` order.
pub(super) fn signal_record(s: &Signal) -> Vec<String> {
    vec![
        s.signaal_id.clone(),
        date_s(Some(s.gemeld_op)),
        s.bron.map(|x| x.as_str().to_string()).unwrap_or_default(),
        opt_s(&s.thema),
        opt_s(&s.regeling),
        s.doelgroep.join("|"),
        opt_s(&s.omschrijving),
        s.casus_ids.join("|"),
        s.status.map(|x| x.as_str().to_string()).unwrap_or_default(),
        s.doorgezet_naar
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        date_s(s.doorgezet_op),
        opt_s(&s.eigenaar),
        date_s(s.reactie_verwacht_op),
        opt_s(&s.terugkoppeling),
        date_s(s.terugkoppeling_op),
    ]
}
