//! What each canonical column must hold: its kind and whether it is required.
//!
//! ```
//! use rodedraad::ingest::spec::{Entity, Kind};
//! let s = Entity::Cases.spec();
//! assert!(s.iter().any(|c| c.name == "casus_id" && c.required));
//! assert!(matches!(Entity::Cases.column("complexiteit").unwrap().kind, Kind::Int(1, 3)));
//! ```

use crate::config::{Config, Mapping};
use crate::model;

/// The kind of a canonical column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Required, unique text id.
    Id,
    Date,
    /// A code from a taxonomy dimension or a fixed contract list.
    Code(&'static str),
    /// Several codes in one cell.
    MultiCode(&'static str),
    /// Several free values in one cell (ids).
    MultiText,
    Bool,
    /// Whole number in an inclusive range.
    Int(i64, i64),
    Text,
}

#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

/// The two kinds of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Cases,
    Signals,
}

const fn c(name: &'static str, kind: Kind, required: bool) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        required,
    }
}

const CASES: &[ColumnSpec] = &[
    c("casus_id", Kind::Id, true),
    c("ontvangen_op", Kind::Date, true),
    c("aandrager_type", Kind::Code("aandrager_type"), true),
    c("aandrager_id", Kind::Text, false),
    c("dienst", Kind::Code("dienst"), false),
    c("thema", Kind::Code("thema"), true),
    c("regeling", Kind::Code("regeling"), false),
    c("doelgroep", Kind::MultiCode("doelgroep"), false),
    c("levensgebeurtenis", Kind::Code("levensgebeurtenis"), false),
    c("complexiteit", Kind::Int(1, 3), false),
    c("spoed", Kind::Bool, false),
    c("triage_op", Kind::Date, false),
    c("triage_besluit", Kind::Code("triage_besluit"), false),
    c("warm_doorverwezen", Kind::Bool, false),
    c("doorverwezen_naar", Kind::Text, false),
    c("zienswijze_op", Kind::Date, false),
    c(
        "zienswijze_reactie",
        Kind::Code("zienswijze_reactie"),
        false,
    ),
    c("geescaleerd", Kind::Bool, false),
    c("escalatie_niveau", Kind::Code("escalatie_niveau"), false),
    c("pauzeknop", Kind::Bool, false),
    c("uitkomst", Kind::Code("uitkomst"), false),
    c("afgerond_op", Kind::Date, false),
    c("beleving_burger", Kind::Int(1, 10), false),
    c("beleving_eerstelijnshelper", Kind::Int(1, 10), false),
    c("beleving_helper_dienst", Kind::Int(1, 10), false),
    c("geleerde_les", Kind::Text, false),
    c("samenvatting", Kind::Text, false),
    c("verhaal_vrijgegeven", Kind::Bool, false),
];

const SIGNALS: &[ColumnSpec] = &[
    c("signaal_id", Kind::Id, true),
    c("gemeld_op", Kind::Date, true),
    c("bron", Kind::Code("bron"), false),
    c("thema", Kind::Code("thema"), false),
    c("regeling", Kind::Code("regeling"), false),
    c("doelgroep", Kind::MultiCode("doelgroep"), false),
    c("omschrijving", Kind::Text, false),
    c("casus_ids", Kind::MultiText, false),
    c("status", Kind::Code("status"), false),
    c("doorgezet_naar", Kind::Code("doorgezet_naar"), false),
    c("doorgezet_op", Kind::Date, false),
    c("eigenaar", Kind::Text, false),
    c("reactie_verwacht_op", Kind::Date, false),
    c("terugkoppeling", Kind::Text, false),
    c("terugkoppeling_op", Kind::Date, false),
];

impl Entity {
    pub fn spec(self) -> &'static [ColumnSpec] {
        match self {
            Entity::Cases => CASES,
            Entity::Signals => SIGNALS,
        }
    }

    pub fn column(self, name: &str) -> Option<&'static ColumnSpec> {
        self.spec().iter().find(|c| c.name == name)
    }

    pub fn id_column(self) -> &'static str {
        self.spec()[0].name
    }

    /// Dutch plural used in messages and file names ("casussen", "signalen").
    pub fn dutch(self) -> &'static str {
        match self {
            Entity::Cases => "casussen",
            Entity::Signals => "signalen",
        }
    }

    /// The date columns that must appear in this order (earlier <= later).
    pub fn date_order(self) -> &'static [&'static str] {
        match self {
            Entity::Cases => &["ontvangen_op", "triage_op", "zienswijze_op", "afgerond_op"],
            Entity::Signals => &["gemeld_op", "doorgezet_op", "terugkoppeling_op"],
        }
    }

    pub fn mapping(self, cfg: &Config) -> &Mapping {
        match self {
            Entity::Cases => &cfg.casussen,
            Entity::Signals => &cfg.signalen,
        }
    }
}

/// The known codes of a dimension: the configured taxonomy, else the fixed contract list.
pub fn known_codes(cfg: &Config, dimension: &str) -> Vec<String> {
    if let Some(m) = cfg.taxonomie.get(dimension) {
        return m.keys().cloned().collect();
    }
    let fixed: &[&str] = match dimension {
        "triage_besluit" => model::BESLUITEN,
        "zienswijze_reactie" => model::REACTIES,
        "escalatie_niveau" => model::ESCALATIE_NIVEAUS,
        "uitkomst" => model::UITKOMSTEN,
        "status" => model::SIGNAAL_STATUSSEN,
        "doorgezet_naar" => model::ONTVANGERS,
        "dienst" => model::DIENSTEN,
        "bron" => model::BRONNEN,
        _ => &[],
    };
    fixed.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The configuration recognises date columns by their "_op" ending (it sits below
    /// ingest and cannot read this spec); this keeps that true.
    #[test]
    fn a_column_is_a_date_exactly_when_its_name_ends_in_op() {
        for entity in [Entity::Cases, Entity::Signals] {
            for c in entity.spec() {
                assert_eq!(c.kind == Kind::Date, c.name.ends_with("_op"), "{}", c.name);
            }
        }
    }
}
