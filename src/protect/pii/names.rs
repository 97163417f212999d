//! Personal names: a title followed by a surname in any case ("mevrouw Jansen", "mevrouw
//! jansen", "familie De Vries", "dhr. J.P. de Vries", "fam. pietersma"), a known first name
//! followed by a surname ("Jan de Vries"), and initials followed by a known surname
//! ("A. Bakker"). The hit covers the name only, so masking keeps the title: "mevrouw
//! [naam] belde".
//!
//! A lowercase word after a title counts as a surname only when it is a known first name
//! or surname or has a typical surname ending ("-sma", "-stra"); so "mevrouw belde" stays.
//!
//! ```ignore
//! let mut hits = Vec::new();
//! find_names("mevrouw jansen belde", &mut hits);
//! assert_eq!(hits.len(), 1);
//! ```

use super::text::{each_candidate, regex};
use super::{words, PiiHit, PiiKind};
use regex::{Match, Regex};
use std::sync::OnceLock;

const CAP_RE: &str = r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)*";
const ANY_WORD_RE: &str = r"\p{L}[\p{Ll}\p{Lu}'’]*(?:-\p{L}+)*";

/// The particles as a case-insensitive alternation.
fn particle_re() -> String {
    let mut ps: Vec<String> = words::particles()
        .iter()
        .map(|p| regex::escape(p))
        .collect();
    ps.sort_by_key(|p| std::cmp::Reverse(p.len()));
    format!("(?i:{})", ps.join("|"))
}

/// The titles as an alternation (case-insensitive, spaces as one or more spaces).
fn title_re() -> String {
    let mut ts: Vec<String> = words::titles()
        .iter()
        .map(|t| {
            t.split(' ')
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(" +")
        })
        .collect();
    ts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    format!(r"(?i:\b(?:{}))", ts.join("|"))
}

fn is_stop_cap(word: &str) -> bool {
    let w = word.to_lowercase();
    words::not_names().contains(&w) || words::particles().contains(&w)
}

/// A surname written after a title: capitalised and not a stop word, or in lower case
/// and a known name or shaped like one.
fn is_surname_after_title(word: &str) -> bool {
    if word.chars().next().is_some_and(char::is_uppercase) {
        return !is_stop_cap(word);
    }
    let lower = word.to_lowercase();
    !is_stop_cap(word)
        && (words::surname_cores().contains(&lower)
            || words::first_names().contains(&lower)
            || words::has_name_ending(&lower))
}

/// Finds personal names.
pub(crate) fn find_names(text: &str, out: &mut Vec<PiiHit>) {
    find_titled(text, out);
    find_first_and_surname(text, out);
    find_initials_and_surname(text, out);
}

fn hit(start: usize, end: usize) -> PiiHit {
    PiiHit {
        kind: PiiKind::Naam,
        start,
        end,
    }
}

/// Title + name: the span covers the name only, not the title.
fn find_titled(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, || {
        let p = particle_re();
        format!(
            r"{} +((?:\p{{L}}\. ?){{0,4}}) *((?:{p} +)*)({ANY_WORD_RE})(?: +((?:{p} +)*)({CAP_RE}))?",
            title_re()
        )
    });
    each_candidate(re, text, |c| {
        let Some(core) = c.get(3) else { return };
        if !is_surname_after_title(core.as_str()) {
            return;
        }
        let first = [c.get(1), c.get(2), c.get(3)]
            .into_iter()
            .flatten()
            .find(|g| !g.as_str().is_empty());
        let Some(first) = first else { return };
        let end = match c.get(5) {
            Some(second) if !is_stop_cap(second.as_str()) => second.end(),
            _ => core.end(),
        };
        out.push(hit(first.start(), end));
    });
}

/// A first name from the list + a surname ("Jan de Vries", "Jan Willem van der Meer").
fn find_first_and_surname(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, || {
        let p = particle_re();
        let tail = format!(r"((?:{p} +)*)({CAP_RE})(?: +((?:{p} +)*)({CAP_RE}))?\b");
        format!(r"\b(\p{{Lu}}\p{{Ll}}+(?:-\p{{Lu}}\p{{Ll}}+)?) +((?:\p{{Lu}}\. ?){{0,4}}) *{tail}")
    });
    each_candidate(re, text, |c| {
        let (Some(given), Some(core)) = (c.get(1), c.get(4)) else {
            return;
        };
        if !is_first_name(given) || is_stop_cap(core.as_str()) {
            return;
        }
        let core_is_given = words::first_names().contains(&core.as_str().to_lowercase())
            && c.get(3).is_some_and(|p| p.as_str().is_empty());
        let end = match c.get(6) {
            Some(second) if core_is_given && !is_stop_cap(second.as_str()) => second.end(),
            _ => core.end(),
        };
        out.push(hit(given.start(), end));
    });
}

fn is_first_name(m: Match) -> bool {
    words::first_names().contains(&m.as_str().to_lowercase())
}

/// Initials + a surname from the list ("A. Bakker", "J.P. de Vries").
fn find_initials_and_surname(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, || {
        let p = particle_re();
        format!(r"\b((?:\p{{Lu}}\. ?){{1,4}}) *((?:{p} +)*)({CAP_RE})\b")
    });
    each_candidate(re, text, |c| {
        let (Some(m), Some(core)) = (c.get(0), c.get(3)) else {
            return;
        };
        if words::surname_cores().contains(&core.as_str().to_lowercase()) {
            out.push(hit(m.start(), m.end()));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        find_names(text, &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn titles_with_any_case() {
        for (text, n) in [
            ("Gesprek met mevrouw Jansen over de schuld", "Jansen"),
            ("mevrouw jansen belde", "jansen"),
            ("familie Jansen", "Jansen"),
            ("de familie de vries", "de vries"),
            ("fam. pietersma kwam langs", "pietersma"),
            ("de heer Van der Berg belde", "Van der Berg"),
            ("dhr. J.P. de Vries", "J.P. de Vries"),
            ("Mw. Yilmaz kwam langs", "Yilmaz"),
            ("MEVROUW JANSEN", "JANSEN"),
        ] {
            assert!(found(text).contains(&n), "{text}: {:?}", found(text));
        }
        for text in [
            "mevrouw belde",
            "mevrouw en meneer zonder naam",
            "de familie heeft geen geld",
            "familie en vrienden hielpen",
            "de heer des huizes",
            "Volgens de Belastingdienst klopt het",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn first_names_and_initials() {
        for (text, n) in [
            ("Jan de Vries kreeg een aanslag", "Jan de Vries"),
            ("volgens Fatima El Amrani klopt het", "Fatima El Amrani"),
            ("Jan Willem van der Meer", "Jan Willem van der Meer"),
            ("brief aan A. Bakker", "A. Bakker"),
            ("Anna Schouten-de Boer", "Anna Schouten"),
        ] {
            assert!(found(text).contains(&n), "{text}: {:?}", found(text));
        }
        for text in [
            "de Jong in het midden van een zin",
            "In Den Haag was het druk",
            "Het Wijkteam belde",
            "B. Belastingkantoor",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
