//! The Dutch phrase banks of the generator, kept as text files in `zinnen/` and compiled
//! into the binary. Each file holds one phrase per line, grouped in sections:
//!
//! ```text
//! # a comment
//! [toeslagen]
//! Eerdere contacten met Dienst Toeslagen hebben geen oplossing opgeleverd.
//! [*]
//! Geen van de betrokken organisaties voelt zich eigenaar van het probleem.
//! ```
//!
//! A section is named after the code it belongs to; `[*]` holds the phrases for every
//! other code. Lines before the first section form the unnamed section (`Bank::all`). The
//! order of the phrases matters: the generator picks them by position, so reordering a
//! file changes the generated data.

use std::sync::LazyLock;

/// The section for codes without a section of their own.
const ANY: &str = "*";

/// One section of a bank: `[key]` or `[key qualifier]`.
struct Section {
    name: &'static str,
    key: &'static str,
    qualifier: Option<&'static str>,
    phrases: Vec<&'static str>,
}

/// One phrase bank: its sections in file order, borrowed from the embedded file. Banks
/// are small (at most a few dozen sections), so a lookup is a linear scan.
pub(super) struct Bank {
    sections: Vec<Section>,
}

impl Bank {
    /// Parses a bank; a malformed file is a programming error, so this panics.
    fn parse(file: &str, text: &'static str) -> Bank {
        let mut sections: Vec<Section> = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                assert!(
                    sections.iter().all(|s| s.name != name),
                    "zinnen/{file}: section [{name}] twice"
                );
                let (key, qualifier) = match name.split_once(' ') {
                    Some((k, q)) => (k, Some(q)),
                    None => (name, None),
                };
                sections.push(Section {
                    name,
                    key,
                    qualifier,
                    phrases: Vec::new(),
                });
            } else {
                if sections.is_empty() {
                    sections.push(Section {
                        name: "",
                        key: "",
                        qualifier: None,
                        phrases: Vec::new(),
                    });
                }
                sections.last_mut().expect("a section").phrases.push(line);
            }
        }
        for s in &sections {
            assert!(
                !s.phrases.is_empty(),
                "zinnen/{file}: section [{}] is empty",
                s.name
            );
        }
        Bank { sections }
    }

    fn find(&self, key: &str, qualifier: Option<&str>) -> Option<&[&'static str]> {
        self.sections
            .iter()
            .find(|s| s.key == key && s.qualifier == qualifier)
            .map(|s| s.phrases.as_slice())
    }

    /// The phrases of section `key`, if there is one.
    pub(super) fn exact(&self, key: &str) -> Option<&[&'static str]> {
        self.find(key, None)
    }

    /// The phrases of section `key`, or else of `[*]`.
    pub(super) fn get(&self, key: &str) -> &[&'static str] {
        self.exact(key)
            .or_else(|| self.exact(ANY))
            .unwrap_or_else(|| panic!("phrase bank has no section [{key}] and no [*]"))
    }

    /// Like `get`, but a section `[key qualifier]` (say `[ksm toeslagen]`) comes first
    /// and `[* qualifier]` comes before `[*]`.
    pub(super) fn get_for(&self, key: &str, qualifier: Option<&str>) -> &[&'static str] {
        let qualified = |k: &str| qualifier.and_then(|q| self.find(k, Some(q)));
        qualified(key)
            .or_else(|| self.exact(key))
            .or_else(|| qualified(ANY))
            .unwrap_or_else(|| self.get(key))
    }

    /// The phrases before the first section.
    pub(super) fn all(&self) -> &[&'static str] {
        self.get("")
    }

    /// Section names (`ksm toeslagen`) and their phrases, in file order.
    #[cfg(test)]
    pub(super) fn sections(&self) -> impl Iterator<Item = (&'static str, &[&'static str])> {
        self.sections.iter().map(|s| (s.name, s.phrases.as_slice()))
    }
}

macro_rules! banks {
    ($($(#[$doc:meta])* $name:ident = $file:literal;)*) => {
        $(
            $(#[$doc])*
            pub(super) static $name: LazyLock<Bank> =
                LazyLock::new(|| Bank::parse($file, include_str!(concat!("zinnen/", $file))));
        )*

        /// Every bank with its file name.
        #[cfg(test)]
        pub(super) fn all_banks() -> Vec<(&'static str, &'static Bank)> {
            vec![$(($file, &*$name)),*]
        }
    };
}

banks! {
    /// Opening of a case summary, per aandrager_type.
    INTRO = "intro.txt";
    /// The aandrager (`{A}`), per aandrager_type.
    AANDRAGERS = "aandragers.txt";
    /// The person (`{P}`), per doelgroep.
    PERSONEN = "personen.txt";
    /// A doelgroep in the plural (`{G}`), one per doelgroep.
    GROEPEN = "groepen.txt";
    /// A regeling with its article (`{R}`), one per regeling.
    REGELINGEN = "regelingen.txt";
    /// A sentence about the life event, per levensgebeurtenis (none for `geen`).
    LEVENSGEBEURTENISSEN = "levensgebeurtenissen.txt";
    /// The problem, per theme.
    PROBLEMEN = "problemen.txt";
    /// What went wrong, per main theme, and `[algemeen]`.
    MISGEGAAN = "misgegaan.txt";
    /// What is needed, per main theme, and `[algemeen]`.
    NODIG = "nodig.txt";
    /// The lesson learned, per main theme, and `[algemeen]`.
    LESSEN = "lessen.txt";
    /// `[complex]` and `[spoed]`.
    OMSTANDIGHEDEN = "omstandigheden.txt";
    /// Boilerplate of any theme: `[werkwijze]`, `[afsluiting]` (closed cases), `[handtekening]`.
    STANDAARD = "standaard.txt";
    /// The distinctive sentences of each planted thread, per thread id.
    DRADEN = "draden.txt";
    /// Opening of a signal description, per bron.
    SIGNAAL_AANLEIDING = "signaal-aanleiding.txt";
    /// `[groep]` (with `{G}`) and `[algemeen]`.
    SIGNAAL_IMPACT = "signaal-impact.txt";
    /// `[één]` and `[meerdere]` linked cases.
    SIGNAAL_CASUSSEN = "signaal-casussen.txt";
    /// The request that ends a signal description.
    SIGNAAL_VERZOEK = "signaal-verzoek.txt";
    /// Feedback of the recipient, per signal status.
    TERUGKOPPELING = "terugkoppeling.txt";
    /// The signal owner, per recipient.
    EIGENAREN = "eigenaren.txt";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_defaults_and_qualifiers() {
        let b = Bank::parse(
            "test",
            "# kop\nlos\n\n[ksm]\nk1\nk2\r\n[ksm toeslagen]\nkt\n[* toeslagen]\nt\n[*]\nrest\n",
        );
        assert_eq!(b.all(), ["los"]);
        assert_eq!(b.get("ksm"), ["k1", "k2"]);
        assert_eq!(b.get("ibtd"), ["rest"]);
        assert_eq!(b.exact("ibtd"), None);
        assert_eq!(b.get_for("ksm", Some("toeslagen")), ["kt"]);
        assert_eq!(b.get_for("ksm", Some("douane")), ["k1", "k2"]);
        assert_eq!(b.get_for("ksm", None), ["k1", "k2"]);
        assert_eq!(b.get_for("ibtd", Some("toeslagen")), ["t"]);
        assert_eq!(b.get_for("ibtd", Some("douane")), ["rest"]);
    }

    #[test]
    #[should_panic(expected = "section [a] twice")]
    fn a_section_twice_is_refused() {
        Bank::parse("test", "[a]\nx\n[a]\ny\n");
    }

    #[test]
    #[should_panic(expected = "section [b] is empty")]
    fn an_empty_section_is_refused() {
        Bank::parse("test", "[a]\nx\n[b]\n");
    }

    #[test]
    fn every_file_parses_into_clean_phrases() {
        for (file, bank) in all_banks() {
            for (name, phrases) in bank.sections() {
                for p in phrases {
                    assert!(!p.contains(['[', ']', '\t']), "{file} [{name}]: {p}");
                    let (_, _, bad) = encoding_rs::WINDOWS_1252.encode(p);
                    assert!(!bad, "{file}: not Windows-1252: {p}");
                }
            }
        }
    }
}
