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
use crate::util::normalize::norm;
use std::collections::BTreeMap;

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

/// The two kinds of input; written as its Dutch plural (the key `soort` in `controle.json`
/// and the verantwoording).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Entity {
    #[serde(rename = "casussen")]
    Cases,
    #[serde(rename = "signalen")]
    Signals,
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.plural())
    }
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
    c("geescaleerd_op", Kind::Date, false),
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
    pub fn plural(self) -> &'static str {
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

/// The known codes of a dimension: the fixed contract list, else the configured taxonomy
/// (the configuration refuses a taxonomy for a fixed list).
pub fn known_codes(cfg: &Config, dimension: &str) -> Vec<String> {
    let fixed = model::fixed_codes(dimension);
    if !fixed.is_empty() {
        return fixed.iter().map(|s| s.to_string()).collect();
    }
    cfg.taxonomie
        .get(dimension)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Joins the parts of a composed column in the raw text (`[<section>.samengesteld]`);
/// [`compose`] turns the joined text into a code.
pub const PART_SEPARATOR: &str = "\u{1f}";

/// A code made from a value: lowercase ASCII letters, digits and `_` ("Pothole Repair" ->
/// "pothole_repair"); accents dropped, other characters become word breaks.
pub fn slug(value: &str) -> String {
    let n = norm(value);
    let mut out = String::with_capacity(n.len());
    for ch in n.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if matches!(ch, '\'' | '’') {
            // "Cont'd" -> "contd"
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let t = out.trim_end_matches('_');
    t.chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('_')
        .to_string()
}

/// The code of a composed value: the slugs of its parts joined by `.`, empty parts left
/// out ("Street Lights" + "Street Light Outage" -> "street_lights.street_light_outage").
pub fn compose(joined: &str) -> String {
    joined
        .split(PART_SEPARATOR)
        .map(slug)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(".")
}

/// A value mapping (`[<section>.waarden.<column>]`): exact values (compared after
/// normalising), patterns (keys starting with `^`, regular expressions on the trimmed
/// value) and the catch-all `"*"`. An exact value wins over a pattern.
#[derive(Debug, Clone, Default)]
pub struct ValueMap {
    exact: BTreeMap<String, String>,
    patterns: Vec<(regex::Regex, String)>,
    wildcard: Option<String>,
}

impl ValueMap {
    /// Builds the map; invalid patterns are refused when the configuration is loaded.
    pub fn new(mapping: Option<&BTreeMap<String, String>>) -> ValueMap {
        let mut m = ValueMap::default();
        for (k, v) in mapping.into_iter().flatten() {
            if k == "*" {
                m.wildcard = Some(v.clone());
            } else if k.starts_with('^') {
                if let Ok(r) = regex::Regex::new(k) {
                    m.patterns.push((r, v.clone()));
                }
            } else {
                m.exact.insert(norm(k), v.clone());
            }
        }
        m
    }

    /// The mapped value, `Ok(None)` when nothing but perhaps `"*"` applies, or a Dutch
    /// reason when patterns that match disagree.
    pub fn get(&self, raw: &str) -> std::result::Result<Option<&str>, String> {
        if let Some(v) = self.exact.get(&norm(raw)) {
            return Ok(Some(v));
        }
        let t = raw.trim();
        let mut hits = self.patterns.iter().filter(|(r, _)| r.is_match(t));
        let Some((first, target)) = hits.next() else {
            return Ok(None);
        };
        if let Some((other, o)) = hits.find(|(_, o)| o != target) {
            return Err(format!(
                "\"{t}\" past bij twee patronen met een andere code: \"{}\" = \"{target}\" en \"{}\" = \"{o}\"; maak de patronen scherper",
                first.as_str(),
                other.as_str()
            ));
        }
        Ok(Some(target))
    }

    /// The catch-all target (`"*"`).
    pub fn wildcard(&self) -> Option<&str> {
        self.wildcard.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entity_is_written_and_printed_as_its_plural() {
        for e in [Entity::Cases, Entity::Signals] {
            assert_eq!(
                serde_json::to_string(&e).unwrap(),
                format!("\"{}\"", e.plural())
            );
            assert_eq!(e.to_string(), e.plural());
        }
    }

    #[test]
    fn slugs_and_composed_codes() {
        assert_eq!(slug("Pothole Repair"), "pothole_repair");
        assert_eq!(
            slug("Cont'd attempts: collect/debt"),
            "contd_attempts_collect_debt"
        );
        assert_eq!(slug("Geëscaleerd!"), "geescaleerd");
        assert_eq!(slug("???"), "");
        let joined = ["Street Lights", "Street Light Outage"].join(PART_SEPARATOR);
        assert_eq!(compose(&joined), "street_lights.street_light_outage");
        assert_eq!(compose(&["Graffiti", ""].join(PART_SEPARATOR)), "graffiti");
    }

    #[test]
    fn value_map_exact_then_patterns_then_disagreement() {
        let mut m = BTreeMap::new();
        m.insert("Case Noted".to_string(), "lopend".to_string());
        m.insert("^Case Closed.*Resolved".to_string(), "opgelost".to_string());
        m.insert(
            "^Case Closed.*Invalid".to_string(),
            "ingetrokken".to_string(),
        );
        m.insert("*".to_string(), "niet_opgelost".to_string());
        let v = ValueMap::new(Some(&m));
        assert_eq!(v.get(" case noted ").unwrap(), Some("lopend"));
        assert_eq!(
            v.get("Case Closed. Case Resolved. Fixed").unwrap(),
            Some("opgelost")
        );
        assert_eq!(
            v.get("Case Closed. Case Invalid.").unwrap(),
            Some("ingetrokken")
        );
        assert_eq!(
            v.get("case closed. case resolved").unwrap(),
            None,
            "patterns are case-sensitive"
        );
        assert_eq!(v.wildcard(), Some("niet_opgelost"));
        let e = v.get("Case Closed. Invalid, Resolved").unwrap_err();
        assert!(e.contains("twee patronen"), "{e}");
    }

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
