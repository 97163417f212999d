//! Dates of birth: a date (numeric "12-03-1961", "1961-03-12", or with a month name
//! "3 maart 1961", "3-mrt-1961") with a birth cue in the same clause, before it
//! ("geboren op 3 maart 1961", "geb. 1-2-61") or after it ("zij is op 3 maart 1961
//! geboren"). Dates without such a cue are ordinary dates and stay.
//!
//! ```ignore
//! let mut hits = Vec::new();
//! find_birth_dates("zij is op 3 maart 1961 geboren", &mut hits);
//! assert_eq!(hits.len(), 1);
//! ```

use super::text::{each_candidate, ends_sentence, left_ok, regex, right_ok};
use super::{words, PiiHit, PiiKind};
use regex::{Captures, Regex};
use std::sync::OnceLock;

/// Plain words allowed between a cue and the date.
const MAX_WORDS: usize = 3;

fn pattern() -> String {
    let mut names: Vec<&String> = words::months().keys().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
    format!(
        concat!(
            r"([0-9]{{1,2}})([-/.])([0-9]{{1,2}})([-/.])([0-9]{{4}}|[0-9]{{2}})",
            r"|([0-9]{{4}})-([0-9]{{2}})-([0-9]{{2}})",
            r"|([0-9]{{1,2}})(?:e|ste|de)?[ \-/]+((?i:{}))\.?[ \-/]+('?[0-9]{{4}}|'?[0-9]{{2}})\b",
        ),
        names.join("|")
    )
}

/// Finds dates of birth.
pub(crate) fn find_birth_dates(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, pattern);
    each_candidate(re, text, |c| {
        let Some(m) = c.get(0) else { return };
        let (s, e) = (m.start(), m.end());
        if !left_ok(text, s) || !right_ok(text, e) || !is_calendar_date(c) {
            return;
        }
        if has_birth_cue_before(&text[..s]) || has_birth_cue_after(&text[e..]) {
            out.push(PiiHit {
                kind: PiiKind::BirthDate,
                start: s,
                end: e,
            });
        }
    });
}

/// Day 1..=31, month 1..=12, a four-digit year in 1880..=2100; a numeric date needs the
/// same separator twice.
fn is_calendar_date(c: &Captures) -> bool {
    let num = |i: usize| {
        c.get(i)
            .and_then(|g| g.as_str().trim_start_matches('\'').parse::<u32>().ok())
    };
    let parts = if c.get(1).is_some() {
        let same_sep = c.get(2).map(|g| g.as_str()) == c.get(4).map(|g| g.as_str());
        let four = c.get(5).is_some_and(|g| g.len() == 4);
        same_sep.then(|| (num(1), num(3), if four { num(5) } else { None }))
    } else if c.get(6).is_some() {
        Some((num(8), num(7), num(6)))
    } else {
        let month = c
            .get(10)
            .and_then(|g| words::months().get(&g.as_str().to_lowercase()).copied());
        let four = c
            .get(11)
            .is_some_and(|g| g.as_str().trim_start_matches('\'').len() == 4);
        Some((num(9), month, if four { num(11) } else { None }))
    };
    let Some((Some(day), Some(month), year)) = parts else {
        return false;
    };
    (1..=31).contains(&day)
        && (1..=12).contains(&month)
        && year.is_none_or(|y| (1880..=2100).contains(&y))
}

fn is_date_token(tok: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        r"^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}$|^[0-9]{4}-[0-9]{2}-[0-9]{2}$".into()
    })
    .is_match(tok)
}

/// What one token means for the search of a birth cue.
enum Step {
    Cue,
    Stop,
    Word,
    Skip,
}

/// Classifies a token: a cue, the end of the clause (a clause word, another date, a
/// lowercase month name, another date of birth placeholder), a plain lowercase word
/// (counted), or something not counted (numbers, names, particles, placeholders).
fn step(tok: &str) -> Step {
    if tok.contains('[') || tok.contains(']') {
        return if tok.contains("[geboortedatum") {
            Step::Stop
        } else {
            Step::Skip
        };
    }
    let core = tok.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'');
    let lower = core.to_lowercase();
    let bare = lower.trim_end_matches('.');
    if words::birth_cues().contains(bare) {
        return Step::Cue;
    }
    let is_month = words::months().contains_key(bare);
    let lowercase = core.chars().all(|c| c.is_lowercase() || c == '.');
    if words::clause_breaks().contains(bare) || is_date_token(bare) || (is_month && lowercase) {
        return Step::Stop;
    }
    let plain = !bare.is_empty()
        && bare.chars().all(char::is_lowercase)
        && lowercase
        && !words::particles().contains(bare);
    if plain {
        Step::Word
    } else {
        Step::Skip
    }
}

/// A birth cue among the last few words before the date, within the same clause.
/// Only plain lowercase words count towards the distance (numbers, names, particles,
/// month names and placeholders do not), so masking other findings does not change it.
fn has_birth_cue_before(before: &str) -> bool {
    let mut counted = 0;
    for tok in before.split_whitespace().rev() {
        if ends_sentence(tok) {
            return false;
        }
        match step(tok) {
            Step::Cue => return true,
            Step::Stop => return false,
            Step::Word => {
                counted += 1;
                if counted > MAX_WORDS {
                    return false;
                }
            }
            Step::Skip => {}
        }
    }
    false
}

/// A birth cue among the first few words after the date, before the clause or
/// sentence ends ("op 3 maart 1961 geboren", "3-3-1961 is haar geboortedatum").
fn has_birth_cue_after(after: &str) -> bool {
    let mut counted = 0;
    if after.starts_with(['.', '!', '?', ';']) {
        return false;
    }
    for tok in after.split_whitespace() {
        match step(tok) {
            Step::Cue => return true,
            Step::Stop => return false,
            Step::Word => {
                counted += 1;
                if counted > MAX_WORDS {
                    return false;
                }
            }
            Step::Skip => {}
        }
        if ends_sentence(tok) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        find_birth_dates(text, &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn cue_before_or_after() {
        for (text, d) in [
            ("geboren op 3 maart 1961 in Zwolle", "3 maart 1961"),
            ("Mevrouw (geb. 12-03-1961) belde", "12-03-1961"),
            ("geboortedatum: 1/2/61", "1/2/61"),
            ("geb 01.02.1999", "01.02.1999"),
            ("zij is gebooren op 5 okt. 1930", "5 okt. 1930"),
            ("geboren in Utrecht op 1961-03-12", "1961-03-12"),
            ("zij is op 3 maart 1961 geboren", "3 maart 1961"),
            ("hij werd 3-3-1961 te Zwolle geboren.", "3-3-1961"),
            ("3 MAART 1961 is haar geboortedatum", "3 MAART 1961"),
            ("geboren 3-mrt-1961", "3-mrt-1961"),
        ] {
            assert_eq!(found(text), vec![d], "{text}");
        }
        for text in [
            "op 12-03-2025 ontving zij de aanslag",
            "Zij is geboren in Utrecht. Op 12-03-2025 kwam de brief",
            "geboren in 1961 en op 12-03-2025 ontving zij de aanslag",
            "op 12-03-2025 en niet eerder; zij is in Zwolle geboren",
            "geboren op 32-13-1961",
            "de termijn liep van 1 januari 2024 tot 3 maart 2024",
            "op 3 maart 2024. Geboren is zij in Zwolle",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
        assert_eq!(
            found("geboren 3 maart 1961, overleden 4 april 2020"),
            vec!["3 maart 1961"]
        );
    }
}
