//! The organisations that bring cases in: a fixed set of pseudonyms (`ORG-0042`), the same
//! for every seed, each with a type and a weight for how often it brings a case.
//!
//! ```ignore
//! let orgs = Orgs::new();
//! let (aandrager_type, aandrager_id) = orgs.draw_aandrager(&mut rng);
//! ```

use super::attributes::AANDRAGER_WEIGHTS;
use super::rng::Rng;
use crate::model::Code;
use std::collections::BTreeMap;

/// Organisations per aandrager_type (burger_zelf has none).
const ORG_COUNTS: &[(&str, usize)] = &[
    ("sociaal_raadslieden", 6),
    ("schuldhulpverlening", 5),
    ("maatschappelijk_werk", 4),
    ("wijkteam", 5),
    ("juridisch_loket", 3),
    ("belastingadviseur", 5),
    ("ouderenorganisatie", 4),
    ("vakbond", 2),
    ("belastingdienst", 3),
    ("dienst_toeslagen", 3),
    ("ibtd", 1),
    ("nationale_ombudsman", 1),
    ("overig", 3),
];

/// Aandrager types of first-line helpers: the organisations a planted thread without a
/// fixed aandrager_type comes in through.
const HELPER_TYPES: &[&str] = &[
    "sociaal_raadslieden",
    "schuldhulpverlening",
    "maatschappelijk_werk",
    "wijkteam",
    "juridisch_loket",
    "belastingadviseur",
    "ouderenorganisatie",
    "vakbond",
];

pub(super) struct Org {
    pub(super) id: Code,
    pub(super) typ: &'static str,
    pub(super) weight: f64,
}

pub(super) struct Orgs {
    all: Vec<Org>,
    /// Organisation indices per aandrager_type.
    by_type: BTreeMap<&'static str, Vec<usize>>,
}

impl Orgs {
    /// A fixed set of pseudonymous organisations (the same for every seed).
    pub(super) fn new() -> Orgs {
        let mut rng = Rng::stream(0x0A6, 0, 0);
        let total: usize = ORG_COUNTS.iter().map(|t| t.1).sum();
        let mut numbers: Vec<u32> = Vec::with_capacity(total);
        while numbers.len() < total {
            let x = rng.range(1, 120) as u32;
            if !numbers.contains(&x) {
                numbers.push(x);
            }
        }
        let mut all = Vec::with_capacity(total);
        let mut i = 0;
        for &(typ, count) in ORG_COUNTS {
            for _ in 0..count {
                all.push(Org {
                    id: Code::from(format!("ORG-{:04}", numbers[i])),
                    typ,
                    weight: 0.4 + 1.6 * rng.f64(),
                });
                i += 1;
            }
        }
        let mut by_type: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
        for (i, o) in all.iter().enumerate() {
            by_type.entry(o.typ).or_default().push(i);
        }
        Orgs { all, by_type }
    }

    /// The organisations a planted thread can come in through: those of its aandrager
    /// type, or all first-line helpers when it has none.
    pub(super) fn eligible(&self, aandrager_type: Option<&str>) -> Vec<&Org> {
        match aandrager_type {
            Some(t) => self
                .by_type
                .get(t)
                .map(|v| v.iter().map(|&i| &self.all[i]).collect())
                .unwrap_or_default(),
            None => self
                .all
                .iter()
                .filter(|o| HELPER_TYPES.contains(&o.typ))
                .collect(),
        }
    }

    /// Aandrager type and organisation through the general intake channels
    /// (no organisation for `burger_zelf`).
    pub(super) fn draw_aandrager(&self, rng: &mut Rng) -> (Code, Option<Code>) {
        let typ = rng.weighted(AANDRAGER_WEIGHTS);
        (Code::new(typ), self.pick_of_type(rng, typ))
    }

    /// An organisation of the given type.
    pub(super) fn draw_of_type(&self, rng: &mut Rng, typ: &str) -> (Code, Option<Code>) {
        (Code::new(typ), self.pick_of_type(rng, typ))
    }

    fn pick_of_type(&self, rng: &mut Rng, typ: &str) -> Option<Code> {
        let list = self.by_type.get(typ)?;
        let i = rng.weighted_index(list.iter().map(|&i| self.all[i].weight));
        Some(self.all[list[i]].id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{generate, SampleOptions};
    use std::collections::BTreeSet;

    #[test]
    fn organisations_are_fixed_pseudonyms() {
        let orgs = Orgs::new();
        assert_eq!(orgs.all.len(), 45);
        let ids: BTreeSet<&str> = orgs.all.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids.len(), 45);
        assert!(ids.iter().all(|i| i.len() == 8 && i.starts_with("ORG-0")));
        let data = generate(&SampleOptions::default());
        let mut type_of: BTreeMap<&str, &str> = BTreeMap::new();
        for c in &data.cases {
            if let Some(id) = c.aandrager_id.as_deref() {
                let t = type_of.entry(id).or_insert(c.aandrager_type.as_str());
                assert_eq!(*t, c.aandrager_type, "each organisation has one type");
            }
        }
        assert!(type_of.len() >= 30);
    }

    #[test]
    fn threads_without_a_type_come_in_through_helpers() {
        let orgs = Orgs::new();
        let helpers = orgs.eligible(None);
        assert_eq!(helpers.len(), 6 + 5 + 4 + 5 + 3 + 5 + 4 + 2);
        assert!(helpers.iter().all(|o| HELPER_TYPES.contains(&o.typ)));
        let vakbond = orgs.eligible(Some("vakbond"));
        assert_eq!(vakbond.len(), 2);
        assert!(orgs.eligible(Some("burger_zelf")).is_empty());
    }
}
