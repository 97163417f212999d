//! Extra detectors from the configuration (`[bescherming] patronen`), for exports from
//! elsewhere: each a regular expression with the kind of personal data it finds. They are
//! compiled once, when the configuration is read; a wrong kind or expression is a
//! configuration error in Dutch.
//!
//! ```
//! use rodedraad::protect::pii::{scan_with, Patronen, PatroonSpec, PiiKind};
//! let extra = Patronen::new(vec![PatroonSpec {
//!     soort: "overig".into(),
//!     patroon: r"\b[0-9]{2}\.[0-9]{2}\.[0-9]{2}-[0-9]{3}\.[0-9]{2}\b".into(),
//! }])
//! .unwrap();
//! let hits = scan_with("rijksregisternummer 85.07.30-033.28 bekend", &extra);
//! assert_eq!(hits[0].kind, PiiKind::Overig);
//! ```

use super::{PiiHit, PiiKind};
use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One configured pattern as written in the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatroonSpec {
    /// Kind of personal data: bsn, iban, telefoon, email, postcode, geboortedatum,
    /// kenteken, naam or overig.
    pub soort: String,
    /// Regular expression (Rust `regex` syntax).
    pub patroon: String,
}

#[derive(Debug, Clone)]
struct Compiled {
    spec: PatroonSpec,
    kind: PiiKind,
    re: Regex,
}

/// The compiled extra patterns; empty by default.
#[derive(Debug, Clone, Default)]
pub struct Patronen {
    items: Vec<Compiled>,
}

impl Patronen {
    /// Compiles the patterns; the error names the pattern and what is wrong, in Dutch.
    pub fn new(specs: Vec<PatroonSpec>) -> Result<Patronen, String> {
        let items = specs
            .into_iter()
            .map(|spec| {
                let kind = PiiKind::from_code(&spec.soort).ok_or_else(|| {
                    format!(
                        "[bescherming] patronen: onbekende soort \"{}\"; kies uit: {}",
                        spec.soort,
                        PiiKind::ALL.map(PiiKind::code).join(", ")
                    )
                })?;
                let re = Regex::new(&spec.patroon).map_err(|e| {
                    format!(
                        "[bescherming] patronen: \"{}\" is geen geldige reguliere expressie ({})",
                        spec.patroon,
                        e.to_string().lines().last().unwrap_or("").trim()
                    )
                })?;
                Ok(Compiled { spec, kind, re })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Patronen { items })
    }

    /// No extra patterns configured.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The patterns as configured.
    pub fn specs(&self) -> Vec<PatroonSpec> {
        self.items.iter().map(|c| c.spec.clone()).collect()
    }

    /// Adds every non-empty match of every pattern.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<PiiHit>) {
        for c in &self.items {
            for m in c.re.find_iter(text) {
                if m.start() < m.end() {
                    out.push(PiiHit {
                        kind: c.kind,
                        start: m.start(),
                        end: m.end(),
                    });
                }
            }
        }
    }
}

impl PartialEq for Patronen {
    fn eq(&self, other: &Self) -> bool {
        self.specs() == other.specs()
    }
}

impl Serialize for Patronen {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.specs().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Patronen {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let specs = Vec::<PatroonSpec>::deserialize(d)?;
        Patronen::new(specs).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(soort: &str, patroon: &str) -> PatroonSpec {
        PatroonSpec {
            soort: soort.into(),
            patroon: patroon.into(),
        }
    }

    #[test]
    fn compiles_and_finds() {
        let p = Patronen::new(vec![spec("telefoon", r"\+32 ?4[0-9]{2}(?: ?[0-9]{2}){3}")]).unwrap();
        let mut hits = Vec::new();
        p.find("gsm +32 470123456 of", &mut hits);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, PiiKind::Telefoon);
        assert!(!p.is_empty());
        assert!(Patronen::default().is_empty());
    }

    #[test]
    fn errors_in_dutch() {
        let e = Patronen::new(vec![spec("adres", "x")]).unwrap_err();
        assert!(e.contains("onbekende soort \"adres\""), "{e}");
        assert!(e.contains("telefoon"), "{e}");
        let e = Patronen::new(vec![spec("naam", "(")]).unwrap_err();
        assert!(e.contains("geen geldige reguliere expressie"), "{e}");
    }

    #[test]
    fn round_trips_through_toml() {
        #[derive(Serialize, Deserialize)]
        struct Wrap {
            patronen: Patronen,
        }
        let w: Wrap =
            toml::from_str(r#"patronen = [{ soort = "overig", patroon = '\bX[0-9]{6}\b' }]"#)
                .unwrap();
        assert_eq!(w.patronen.specs()[0].soort, "overig");
        let back = toml::to_string(&w).unwrap();
        let again: Wrap = toml::from_str(&back).unwrap();
        assert!(w.patronen == again.patronen);
        let bad = toml::from_str::<Wrap>(r#"patronen = [{ soort = "x", patroon = "y" }]"#);
        assert!(bad.is_err());
    }
}
