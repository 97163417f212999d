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

use super::text::regex;
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
    format!(r"(?i:{})", ts.join("|"))
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

/// Finds personal names: one pass over the words, each tried as the start of a title,
/// a first name or initials.
pub(crate) fn find_names(text: &str, out: &mut Vec<PiiHit>) {
    for_each_word(text, |at, word| {
        titled_at(text, at, word, out);
        first_and_surname_at(text, at, word, out);
        initials_and_surname_at(text, at, word, out);
    });
}

fn hit(start: usize, end: usize) -> PiiHit {
    PiiHit {
        kind: PiiKind::Name,
        start,
        end,
    }
}

/// Calls `f` with the start and the letters of every word (a letter that does not follow
/// a letter, digit or '_').
fn for_each_word(text: &str, mut f: impl FnMut(usize, &str)) {
    let mut prev_alnum = false;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_alphabetic() && !prev_alnum {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = iter.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                end = j + d.len_utf8();
                iter.next();
            }
            f(i, &text[i..end]);
            prev_alnum = true;
            continue;
        }
        prev_alnum = c.is_alphanumeric() || c == '_';
    }
}

/// The titles split into words, the first without its final dot
/// (("de", ["heer"]), ("mevr", [])).
fn title_words() -> &'static [(String, Vec<String>)] {
    static LIST: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    LIST.get_or_init(|| {
        words::titles()
            .iter()
            .map(|t| {
                let mut parts = t.split(' ').map(String::from);
                let first = parts.next().unwrap_or_default();
                (first.trim_end_matches('.').to_string(), parts.collect())
            })
            .collect()
    })
}

/// A title starts at `at`, whose first word is `word` ("mevrouw", "de" of "de heer").
fn title_at(text: &str, at: usize, word: &str) -> bool {
    title_words().iter().any(|(first, rest)| {
        if !(first.len() == word.len() && first.eq_ignore_ascii_case(word)) {
            return false;
        }
        let mut tail = &text[at + word.len()..];
        for p in rest {
            tail = tail.trim_start_matches(' ');
            let head = tail.as_bytes().get(..p.len());
            if !head.is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes())) {
                return false;
            }
            tail = &tail[p.len()..];
        }
        true
    })
}

/// Title + name: the span covers the name only, not the title.
fn titled_at(text: &str, at: usize, word: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, || {
        let p = particle_re();
        format!(
            r"^{} +((?:\p{{L}}\. ?){{0,4}}) *((?:{p} +)*)({ANY_WORD_RE})(?: +((?:{p} +)*)({CAP_RE}))?",
            title_re()
        )
    });
    {
        if !title_at(text, at, word) {
            return;
        }
        let Some(c) = re.captures(&text[at..]) else {
            return;
        };
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
        out.push(hit(at + first.start(), at + end));
    }
}

/// A first name from the list + a surname ("Jan de Vries", "Jan Willem van der Meer").
fn first_and_surname_at(text: &str, at: usize, word: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, || {
        let p = particle_re();
        let tail = format!(r"((?:{p} +)*)({CAP_RE})(?: +((?:{p} +)*)({CAP_RE}))?");
        format!(r"^(\p{{Lu}}\p{{Ll}}+(?:-\p{{Lu}}\p{{Ll}}+)?) +((?:\p{{Lu}}\. ?){{0,4}}) *{tail}")
    });
    {
        if !word.starts_with(char::is_uppercase)
            || !words::first_names().contains(&word.to_lowercase())
        {
            return;
        }
        let Some(c) = re.captures(&text[at..]) else {
            return;
        };
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
        out.push(hit(at + given.start(), at + end));
    }
}

fn is_first_name(m: Match) -> bool {
    words::first_names().contains(&m.as_str().to_lowercase())
}

/// Initials + a surname from the list ("A. Bakker", "J.P. de Vries").
fn initials_and_surname_at(text: &str, at: usize, word: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, || {
        let p = particle_re();
        format!(r"^((?:\p{{Lu}}\. ?){{1,4}}) *((?:{p} +)*)({CAP_RE})")
    });
    {
        let initial = word.chars().count() == 1
            && word.starts_with(char::is_uppercase)
            && text[at + word.len()..].starts_with('.');
        if !initial {
            return;
        }
        let Some(c) = re.captures(&text[at..]) else {
            return;
        };
        let (Some(m), Some(core)) = (c.get(0), c.get(3)) else {
            return;
        };
        let glued = text[at + m.end()..].starts_with(char::is_alphanumeric);
        if !glued && words::surname_cores().contains(&core.as_str().to_lowercase()) {
            out.push(hit(at + m.start(), at + m.end()));
        }
    }
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
