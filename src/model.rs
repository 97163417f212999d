//! Domain types shared by every stage of the pipeline.
//!
//! The canonical model of the input contract (DOMAIN.md §7): one [`Case`] per
//! casus and one [`Signal`] per signaal, after column and value mapping and
//! validation. Codes from the taxonomy stay plain strings (the users edit the
//! taxonomy in `rodedraad.toml`); process codes fixed by the contract are
//! checked against the constants below.
//!
//! ```
//! use rodedraad::model::{Case, CASE_COLUMNS};
//! assert_eq!(CASE_COLUMNS[0], "casus_id");
//! let c = Case::default();
//! assert!(c.afgerond_op.is_none());
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Canonical case columns, in contract order.
pub const CASE_COLUMNS: &[&str] = &[
    "casus_id",
    "ontvangen_op",
    "aandrager_type",
    "aandrager_id",
    "dienst",
    "thema",
    "regeling",
    "doelgroep",
    "levensgebeurtenis",
    "complexiteit",
    "spoed",
    "triage_op",
    "triage_besluit",
    "warm_doorverwezen",
    "doorverwezen_naar",
    "zienswijze_op",
    "zienswijze_reactie",
    "geescaleerd",
    "escalatie_niveau",
    "pauzeknop",
    "uitkomst",
    "afgerond_op",
    "beleving_burger",
    "beleving_eerstelijnshelper",
    "beleving_helper_dienst",
    "geleerde_les",
    "samenvatting",
    "verhaal_vrijgegeven",
];

/// Canonical signal columns, in contract order.
pub const SIGNAL_COLUMNS: &[&str] = &[
    "signaal_id",
    "gemeld_op",
    "bron",
    "thema",
    "regeling",
    "doelgroep",
    "omschrijving",
    "casus_ids",
    "status",
    "doorgezet_naar",
    "doorgezet_op",
    "eigenaar",
    "reactie_verwacht_op",
    "terugkoppeling",
    "terugkoppeling_op",
];

pub const DIENSTEN: &[&str] = &[
    "belastingdienst",
    "dienst_toeslagen",
    "beide",
    "douane",
    "anders",
];
pub const BESLUITEN: &[&str] = &["behandelen", "doorverwijzen", "niet_behandelen"];
pub const REACTIES: &[&str] = &[
    "overgenomen",
    "deels_overgenomen",
    "niet_overgenomen",
    "geen_reactie",
];
pub const ESCALATIE_NIVEAUS: &[&str] = &["teamleider", "directeur", "directeur_generaal"];
pub const UITKOMSTEN: &[&str] = &[
    "opgelost",
    "deels_opgelost",
    "niet_opgelost",
    "ingetrokken",
    "lopend",
];
pub const BRONNEN: &[&str] = &[
    "eigen_casuistiek",
    "ksm",
    "ibtd",
    "maatschappelijke_partner",
    "belastingdienst",
    "dienst_toeslagen",
    "nationale_ombudsman",
];
pub const SIGNAAL_STATUSSEN: &[&str] = &[
    "nieuw",
    "in_analyse",
    "doorgezet",
    "in_behandeling",
    "opgepakt",
    "niet_opgepakt",
    "afgerond",
];
pub const ONTVANGERS: &[&str] = &[
    "ibtd",
    "ksm",
    "belastingdienst",
    "dienst_toeslagen",
    "ministerie",
    "wetgever",
];

/// One validated case. Multi-valued `doelgroep` is split on `|`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub casus_id: String,
    pub ontvangen_op: NaiveDate,
    pub aandrager_type: String,
    pub aandrager_id: Option<String>,
    pub dienst: Option<String>,
    /// Two-level theme code, e.g. `toeslagen.terugvordering`.
    pub thema: String,
    pub regeling: Option<String>,
    pub doelgroep: Vec<String>,
    pub levensgebeurtenis: Option<String>,
    pub complexiteit: Option<u8>,
    pub spoed: Option<bool>,
    pub triage_op: Option<NaiveDate>,
    pub triage_besluit: Option<String>,
    pub warm_doorverwezen: Option<bool>,
    pub doorverwezen_naar: Option<String>,
    pub zienswijze_op: Option<NaiveDate>,
    pub zienswijze_reactie: Option<String>,
    pub geescaleerd: Option<bool>,
    pub escalatie_niveau: Option<String>,
    pub pauzeknop: Option<bool>,
    pub uitkomst: Option<String>,
    pub afgerond_op: Option<NaiveDate>,
    pub beleving_burger: Option<u8>,
    pub beleving_eerstelijnshelper: Option<u8>,
    pub beleving_helper_dienst: Option<u8>,
    pub geleerde_les: Option<String>,
    pub samenvatting: Option<String>,
    pub verhaal_vrijgegeven: Option<bool>,
}

impl Case {
    /// Level-1 theme: the part of `thema` before the first dot.
    pub fn thema_hoofd(&self) -> &str {
        self.thema.split('.').next().unwrap_or(&self.thema)
    }
}

/// One validated signal. Multi-valued `doelgroep` and `casus_ids` are split on `|`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub signaal_id: String,
    pub gemeld_op: NaiveDate,
    pub bron: Option<String>,
    pub thema: Option<String>,
    pub regeling: Option<String>,
    pub doelgroep: Vec<String>,
    pub omschrijving: Option<String>,
    pub casus_ids: Vec<String>,
    pub status: Option<String>,
    pub doorgezet_naar: Option<String>,
    pub doorgezet_op: Option<NaiveDate>,
    pub eigenaar: Option<String>,
    pub reactie_verwacht_op: Option<NaiveDate>,
    pub terugkoppeling: Option<String>,
    pub terugkoppeling_op: Option<NaiveDate>,
}
