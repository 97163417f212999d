//! Dutch postcodes in any case and spacing ("1234 AB", "1234ab", "1011 ab"), with the
//! house number when one follows. Lowercase letters that form an ordinary short word or
//! unit ("1500 en", "2000 km") and year abbreviations ("aanslag 2021 IB") are no postcode.
//!
//! ```ignore
//! let mut hits = Vec::new();
//! find_postcodes("woont op 1011 ab 12", &mut hits);
//! assert!(!hits.is_empty());
//! ```

use super::text::{each_candidate, left_ok, regex, right_ok};
use super::{words, PiiHit, PiiKind};
use regex::Regex;
use std::sync::OnceLock;

/// Finds postcodes (a bare one and, when a house number follows, one with it).
pub(crate) fn find_postcodes(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    static HOUSE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, || r"[1-9][0-9]{3}[ \u{a0}]?([A-Za-z]{2})".into());
    let house = regex(&HOUSE, || r"^ [1-9][0-9]{0,4}[A-Za-z]?".into());
    each_candidate(re, text, |c| {
        let (Some(m), Some(l)) = (c.get(0), c.get(1)) else {
            return;
        };
        let (s, e) = (m.start(), m.end());
        if !left_ok(text, s)
            || !right_ok(text, e)
            || !plausible_letters(&m.as_str()[..4], l.as_str())
        {
            return;
        }
        out.push(PiiHit {
            kind: PiiKind::Postcode,
            start: s,
            end: e,
        });
        if let Some(h) = house.find(&text[e..]) {
            if right_ok(text, e + h.end()) {
                out.push(PiiHit {
                    kind: PiiKind::Postcode,
                    start: s,
                    end: e + h.end(),
                });
            }
        }
    });
}

/// The two letters after the four digits can be postcode letters here.
fn plausible_letters(number: &str, letters: &str) -> bool {
    let upper = letters.to_ascii_uppercase();
    if matches!(upper.as_str(), "SS" | "SA" | "SD") {
        return false; // never issued
    }
    let year = number
        .parse::<u32>()
        .is_ok_and(|n| (1900..=2100).contains(&n));
    if year && words::year_abbreviations().contains(&letters.to_lowercase()) {
        return false;
    }
    letters == upper || !words::is_short_word(letters)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        find_postcodes(text, &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn any_case_and_spacing() {
        for (text, pc) in [
            ("woont in 1234 AB Utrecht", "1234 AB"),
            ("adres 1234AB", "1234AB"),
            ("9711ab, Groningen", "9711ab"),
            ("1011 ab", "1011 ab"),
            ("1011 Ab", "1011 Ab"),
        ] {
            assert_eq!(found(text).first().copied(), Some(pc), "{text}");
        }
        assert_eq!(found("2511 CV 12 Den Haag"), vec!["2511 CV", "2511 CV 12"]);
        for text in [
            "1234 SS Plaats",
            "0123 AB begint met nul",
            "12345 AB te veel cijfers",
            "aanslag 2021 IB",
            "in 2024 EU-breed",
            "1234ABC",
            "ze kreeg 1500 en later 2000 op haar rekening",
            "1200 km gereden",
            "in 2024 is het mis",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
