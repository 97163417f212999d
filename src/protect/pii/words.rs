//! The word lists of the detectors, kept as plain text files beside this module (one entry
//! a line, `#` starts a comment) and compiled into the binary with `include_str!`.
//!
//! ```ignore
//! assert!(words::first_names().contains("jan"));
//! assert!(words::is_short_word("en"));
//! ```

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const FIRST_NAMES: &str = include_str!("voornamen.txt");
const SURNAMES: &str = include_str!("achternamen.txt");
const TITLES: &str = include_str!("aanspreekvormen.txt");
const PARTICLES: &str = include_str!("tussenvoegsels.txt");
const NOT_NAMES: &str = include_str!("geen-namen.txt");
const BIRTH_CUES: &str = include_str!("geboorte-signalen.txt");
const CLAUSE_BREAKS: &str = include_str!("zinsgrenzen.txt");
const ABBREVIATIONS: &str = include_str!("afkortingen.txt");
const MONTHS: &str = include_str!("maanden.txt");
const BSN_CUES: &str = include_str!("bsn-signalen.txt");
const SHORT_WORDS: &str = include_str!("korte-woorden.txt");
const ORDINARY_WORDS: &str = include_str!("ook-gewone-woorden.txt");
const NAME_ENDINGS: &str = include_str!("naam-uitgangen.txt");
const TLDS: &str = include_str!("topdomeinen.txt");
const IBAN_LENGTHS: &str = include_str!("iban-lengtes.txt");
const YEAR_ABBREVIATIONS: &str = include_str!("jaar-afkortingen.txt");

/// The entries of a list file: trimmed, without blank lines and comments.
pub(crate) fn entries(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

type Set = HashSet<String>;

fn lower_set(src: &'static str) -> Set {
    entries(src).map(str::to_lowercase).collect()
}

macro_rules! lower_list {
    ($(#[$doc:meta])* $name:ident, $src:expr) => {
        $(#[$doc])*
        pub(crate) fn $name() -> &'static Set {
            static SET: OnceLock<Set> = OnceLock::new();
            SET.get_or_init(|| lower_set($src))
        }
    };
}

lower_list!(
    /// Known first names, lowercased.
    first_names,
    FIRST_NAMES
);
lower_list!(
    /// Name particles ("van", "de", ...).
    particles,
    PARTICLES
);
lower_list!(
    /// Capitalised words that are not names.
    not_names,
    NOT_NAMES
);
lower_list!(
    /// Words that announce a date of birth.
    birth_cues,
    BIRTH_CUES
);
lower_list!(
    /// Words that start another clause.
    clause_breaks,
    CLAUSE_BREAKS
);
lower_list!(
    /// Abbreviations ending in a dot that do not end a sentence.
    abbreviations,
    ABBREVIATIONS
);
lower_list!(
    /// Words that announce a BSN.
    bsn_cues,
    BSN_CUES
);
lower_list!(
    /// Ordinary short words and units.
    short_words,
    SHORT_WORDS
);
lower_list!(
    /// Names that are also ordinary Dutch words.
    ordinary_words,
    ORDINARY_WORDS
);
lower_list!(
    /// Top-level domains accepted in spelled-out e-mail addresses.
    tlds,
    TLDS
);

lower_list!(
    /// Abbreviations that follow a year in tax texts ("2021 IB").
    year_abbreviations,
    YEAR_ABBREVIATIONS
);

/// Titles, lowercased, multi-word titles with single spaces.
pub(crate) fn titles() -> &'static [String] {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    LIST.get_or_init(|| entries(TITLES).map(str::to_lowercase).collect())
}

/// Surname cores: each surname without its particles, lowercased ("de Vries" -> "vries").
pub(crate) fn surname_cores() -> &'static Set {
    static SET: OnceLock<Set> = OnceLock::new();
    SET.get_or_init(|| {
        entries(SURNAMES)
            .filter_map(|n| {
                n.split_whitespace()
                    .find(|w| !particles().contains(&w.to_lowercase()))
                    .map(str::to_lowercase)
            })
            .collect()
    })
}

/// Endings that mark a word as a surname ("-sma", "-stra").
pub(crate) fn name_endings() -> &'static [String] {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    LIST.get_or_init(|| entries(NAME_ENDINGS).map(str::to_lowercase).collect())
}

/// Month names and abbreviations with their number.
pub(crate) fn months() -> &'static HashMap<String, u32> {
    static MAP: OnceLock<HashMap<String, u32>> = OnceLock::new();
    MAP.get_or_init(|| {
        entries(MONTHS)
            .filter_map(|l| {
                let (name, n) = l.split_once(' ')?;
                Some((name.to_lowercase(), n.trim().parse().ok()?))
            })
            .collect()
    })
}

/// IBAN length per country code (upper case).
pub(crate) fn iban_lengths() -> &'static HashMap<String, usize> {
    static MAP: OnceLock<HashMap<String, usize>> = OnceLock::new();
    MAP.get_or_init(|| {
        entries(IBAN_LENGTHS)
            .filter_map(|l| {
                let (cc, n) = l.split_once(' ')?;
                Some((cc.to_uppercase(), n.trim().parse().ok()?))
            })
            .collect()
    })
}

/// Short ordinary word or unit (any case).
pub(crate) fn is_short_word(word: &str) -> bool {
    short_words().contains(&word.to_lowercase())
}

/// The lowercased word is a known first name or surname that is not also an ordinary word.
pub(crate) fn is_known_name(lower: &str) -> bool {
    (first_names().contains(lower) || surname_cores().contains(lower))
        && !ordinary_words().contains(lower)
}

/// A lowercased word of six letters or more with a typical surname ending ("pietersma").
pub(crate) fn has_name_ending(lower: &str) -> bool {
    lower.chars().count() >= 6
        && lower.chars().all(char::is_alphabetic)
        && !ordinary_words().contains(lower)
        && name_endings().iter().any(|e| lower.ends_with(e.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_without_comments() {
        assert!(first_names().contains("jan"));
        assert!(!first_names().iter().any(|n| n.starts_with('#')));
        assert!(surname_cores().contains("vries"));
        assert!(surname_cores().contains("jansen"));
        assert!(!surname_cores().contains("de"));
        assert_eq!(months().get("maart"), Some(&3));
        assert_eq!(iban_lengths().get("NL"), Some(&18));
        assert!(titles().iter().any(|t| t == "de heer"));
        assert!(is_short_word("EN"));
    }

    #[test]
    fn names_and_ordinary_words() {
        assert!(is_known_name("jansen"));
        assert!(!is_known_name("jong"));
        assert!(!is_known_name("aanslag"));
        assert!(has_name_ending("pietersma"));
        assert!(has_name_ending("wiersma"));
        assert!(!has_name_ending("plasma"));
        assert!(!has_name_ending("sma"));
        assert!(!has_name_ending("terugvordering"));
    }
}
