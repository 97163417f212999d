//! Extra detectors from the configuration (`[bescherming] patronen`), for exports from
//! elsewhere: each a regular expression with the kind of personal data it finds. The
//! configuration checks them when it is read (a wrong kind or expression is a configuration
//! error in Dutch); [`Patterns::new`] compiles them for the scrubber.
//!
//! ```
//! use rodedraad::protect::pii::{scan_with, Patterns, PatternSpec, PiiKind};
//! let extra = Patterns::new(vec![PatternSpec {
//!     soort: "overig".into(),
//!     patroon: r"\b[0-9]{2}\.[0-9]{2}\.[0-9]{2}-[0-9]{3}\.[0-9]{2}\b".into(),
//! }])
//! .unwrap();
//! let hits = scan_with("rijksregisternummer 85.07.30-033.28 bekend", &extra);
//! assert_eq!(hits[0].kind, PiiKind::Other);
//! ```

use super::{PiiHit, PiiKind};
use regex::Regex;

pub use crate::config::PatternSpec;

#[derive(Debug, Clone)]
struct Compiled {
    spec: PatternSpec,
    kind: PiiKind,
    re: Regex,
}

/// The compiled extra patterns; empty by default.
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    items: Vec<Compiled>,
}

impl Patterns {
    /// Compiles the patterns; the error names the pattern and what is wrong, in Dutch.
    pub fn new(specs: Vec<PatternSpec>) -> Result<Patterns, String> {
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
        Ok(Patterns { items })
    }

    /// No extra patterns configured.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The patterns as configured.
    pub fn specs(&self) -> Vec<PatternSpec> {
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

impl PartialEq for Patterns {
    fn eq(&self, other: &Self) -> bool {
        self.specs() == other.specs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(soort: &str, patroon: &str) -> PatternSpec {
        PatternSpec {
            soort: soort.into(),
            patroon: patroon.into(),
        }
    }

    #[test]
    fn compiles_and_finds() {
        let p = Patterns::new(vec![spec("telefoon", r"\+32 ?4[0-9]{2}(?: ?[0-9]{2}){3}")]).unwrap();
        let mut hits = Vec::new();
        p.find("gsm +32 470123456 of", &mut hits);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, PiiKind::Phone);
        assert!(!p.is_empty());
        assert!(Patterns::default().is_empty());
    }

    #[test]
    fn errors_in_dutch() {
        let e = Patterns::new(vec![spec("adres", "x")]).unwrap_err();
        assert!(e.contains("onbekende soort \"adres\""), "{e}");
        assert!(e.contains("telefoon"), "{e}");
        let e = Patterns::new(vec![spec("naam", "(")]).unwrap_err();
        assert!(e.contains("geen geldige reguliere expressie"), "{e}");
    }

    #[test]
    fn the_configuration_checks_and_carries_the_patterns() {
        let cfg = crate::config::Config::from_toml_str(
            "[bescherming]\npatronen = [{ soort = \"overig\", patroon = '\\bX[0-9]{6}\\b' }]\n",
        )
        .unwrap();
        let extra = Patterns::new(cfg.bescherming.patronen.clone()).unwrap();
        assert_eq!(extra.specs()[0].soort, "overig");
        assert_eq!(
            super::super::scan_with("code X123456 bekend", &extra).len(),
            1
        );
        let bad = crate::config::Config::from_toml_str(
            "[bescherming]\npatronen = [{ soort = \"x\", patroon = \"y\" }]\n",
        );
        assert!(bad.unwrap_err().to_string().contains("onbekende soort"));
        let bad = crate::config::Config::from_toml_str(
            "[bescherming]\npatronen = [{ soort = \"naam\", patroon = \"(\" }]\n",
        );
        assert!(bad
            .unwrap_err()
            .to_string()
            .contains("geen geldige reguliere expressie"));
    }
}
