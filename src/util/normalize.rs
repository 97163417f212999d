//! Normalising coded values before matching, and suggesting the nearest code.
//!
//! Matching ignores case, surrounding and inner spaces, diacritics and the
//! difference between `-`, `_`, `/` and a space, so `Dienst Toeslagen`,
//! `dienst-toeslagen` and `DIENST_TOESLAGEN` all match `dienst_toeslagen`.
//!
//! ```
//! use rodedraad::util::normalize::{norm, nearest};
//! assert_eq!(norm(" Geëscaleerd-Niveau "), "geescaleerd_niveau");
//! assert_eq!(nearest("huurtoeslg", ["huurtoeslag", "zorgtoeslag"].iter().copied()), Some("huurtoeslag".to_string()));
//! ```

use unicode_normalization::UnicodeNormalization;

/// Lowercase, without diacritics, with runs of space/`-`/`_`/`/` turned into one `_`.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut sep = false;
    for ch in s.trim().nfd() {
        if unicode_normalization::char::is_combining_mark(ch) {
            continue;
        }
        if ch.is_whitespace() || matches!(ch, '-' | '_' | '/') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('_');
        }
        sep = false;
        out.extend(ch.to_lowercase());
    }
    out
}

/// Levenshtein distance on chars.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Similarity in [0, 1] of two normalised strings: 1 - distance / longest length,
/// raised when one contains the other (headers like "Datum ontvangen" vs "ontvangen_op").
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (norm(a), norm(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let longest = a.chars().count().max(b.chars().count()) as f64;
    let lev = 1.0 - levenshtein(&a, &b) as f64 / longest;
    let words_a: Vec<&str> = a.split('_').filter(|w| w.len() > 2).collect();
    let words_b: Vec<&str> = b.split('_').filter(|w| w.len() > 2).collect();
    let shared = words_a
        .iter()
        .filter(|w| {
            words_b
                .iter()
                .any(|v| v.starts_with(*w) || w.starts_with(v))
        })
        .count();
    let overlap = if words_a.is_empty() || words_b.is_empty() {
        0.0
    } else {
        shared as f64 / words_a.len().max(words_b.len()) as f64
    };
    lev.max(overlap * 0.9)
}

/// The known code nearest to `value`, when it is reasonably close.
pub fn nearest<'a>(value: &str, known: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let s = similarity(value, k);
        if best.is_none_or(|(b, bk)| s > b || (s == b && k < bk)) {
            best = Some((s, k));
        }
    }
    best.filter(|(s, _)| *s >= 0.5).map(|(_, k)| k.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_ignores_case_space_diacritics_and_dashes() {
        assert_eq!(norm("Dienst Toeslagen"), "dienst_toeslagen");
        assert_eq!(norm("dienst-toeslagen"), "dienst_toeslagen");
        assert_eq!(norm("  DIENST__TOESLAGEN "), "dienst_toeslagen");
        assert_eq!(norm("Geëscaleerd"), "geescaleerd");
        assert_eq!(norm("Casuïstiek / eigen"), "casuistiek_eigen");
        assert_eq!(norm(""), "");
    }

    #[test]
    fn nearest_code_suggestions() {
        let codes = ["sociaal_raadslieden", "schuldhulpverlening", "wijkteam"];
        assert_eq!(
            nearest("Sociaal raadsman", codes.iter().copied()).as_deref(),
            Some("sociaal_raadslieden")
        );
        assert_eq!(
            nearest("schuldhulp", codes.iter().copied()).as_deref(),
            Some("schuldhulpverlening")
        );
        assert_eq!(nearest("xyz", codes.iter().copied()), None);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }

    #[test]
    fn header_similarity_prefers_the_right_column() {
        assert!(
            similarity("Datum ontvangen", "ontvangen_op")
                > similarity("Datum ontvangen", "afgerond_op")
        );
        assert!(similarity("Casusnummer", "casus_id") > 0.4);
    }
}
