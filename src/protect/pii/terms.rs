//! Terms shown from free text (cluster labels, frequent phrases): a term may be published
//! only when no detector flags it and none of its words is a name or a code.
//!
//! ```
//! use rodedraad::protect::pii::is_publishable_term;
//! assert!(is_publishable_term("terugvordering huurtoeslag"));
//! assert!(!is_publishable_term("pietersma"));
//! assert!(!is_publishable_term("Jansen"));
//! assert!(!is_publishable_term("dossier 2025AB17"));
//! ```

use super::{scan, words};

/// False for anything the detectors flag, for known first names and surnames (any case,
/// unless the word is also an ordinary Dutch word such as "groot"), for words shaped like
/// a surname ("-sma", "-stra"), and for words that look like a code (letters and digits
/// mixed, five or more digits, "@", "_" or "#"). An empty term is not publishable.
pub fn is_publishable_term(term: &str) -> bool {
    let term = term.trim();
    if term.is_empty() || !scan(term).is_empty() {
        return false;
    }
    term.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '/' | '(' | ')' | '"'))
        .filter(|w| !w.is_empty())
        .all(is_publishable_word)
}

fn is_publishable_word(word: &str) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() {
        return !word.contains(['@', '#', '_']);
    }
    if looks_like_code(word) {
        return false;
    }
    core.split(['-', '\'', '’', '.'])
        .filter(|p| !p.is_empty())
        .all(|part| {
            let lower = part.to_lowercase();
            !words::is_known_name(&lower) && !words::has_name_ending(&lower)
        })
}

fn looks_like_code(word: &str) -> bool {
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    word.contains(['@', '#', '_']) || (digits > 0 && letters > 0) || digits >= 5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_terms_pass() {
        for t in [
            "terugvordering",
            "huurtoeslag partner",
            "kastje naar de muur",
            "groot",
            "jong gezin",
            "2025",
            "box 3",
            "DigiD",
            "betalingsregeling",
        ] {
            assert!(is_publishable_term(t), "{t}");
        }
    }

    #[test]
    fn names_codes_and_detections_fail() {
        for t in [
            "",
            "pietersma",
            "Pietersma",
            "jansen",
            "JANSEN",
            "de vries",
            "fatima",
            "hoekstra",
            "schouten-de boer",
            "mevrouw jansen",
            "cas-2025-00123",
            "ab12cd",
            "06-12345678",
            "123456782",
            "jan@voorbeeld.nl",
            "1011 ab",
            "x_y",
        ] {
            assert!(!is_publishable_term(t), "{t}");
        }
    }
}
