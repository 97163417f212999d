//! Lessons learned from closed cases, grouped: the same lesson written again is
//! shown once with the number of cases it comes from (protected).
//!
//! ```text
//! "Vroeg contact met de aandrager versnelt de triage (uit 7 casussen)."
//! ```

use super::texts::Texts;
use crate::model::Case;
use crate::nl;
use crate::protect::tables::Protector;
use crate::util::sets::jaccard;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Lessons learned from cases closed in the period, grouped: the same lesson written
/// again (other case, other capitals or punctuation, a word more or less) is shown once,
/// with how many cases it comes from, most frequent first. The public report gives
/// counts below `min_cel` as "minder dan ..."; the internal one shows every group.
pub(super) fn lessons<'a>(
    cases: &'a [Case],
    start: NaiveDate,
    end: NaiveDate,
    p: &Protector,
    texts: &Texts<'a>,
) -> Vec<String> {
    let closed = cases
        .iter()
        .filter(|c| c.afgerond_op.is_some_and(|d| d >= start && d <= end));
    // exact groups first (cheap on any number of cases) ...
    // A lesson field often holds two lessons ("X. Vroeg contact ... versnelt de triage."):
    // each sentence counts on its own, once per case.
    // Lesson texts repeat: each distinct text is split into its sentences once, and
    // counted by the number of cases that have it; texts in the order of their first
    // case, so a sentence keeps the wording of the first case that has it.
    let mut per_text: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, l) in closed.filter_map(|c| texts.lesson(c)).enumerate() {
        per_text.entry(l).or_insert((i, 0)).1 += 1;
    }
    let mut per_text: Vec<(String, (usize, usize))> = per_text.into_iter().collect();
    per_text.sort_by_key(|(_, (first, _))| *first);
    let mut exact: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for (l, (_, n)) in per_text {
        let mut in_case = BTreeSet::new();
        for sentence in sentences(&l) {
            let key = lesson_words(sentence).join(" ");
            if key.is_empty() || !in_case.insert(key.clone()) {
                continue;
            }
            exact
                .entry(key)
                .or_insert_with(|| (sentence.trim().to_string(), 0))
                .1 += n;
        }
    }
    let mut groups: Vec<(String, usize, BTreeSet<String>)> = exact
        .into_values()
        .map(|(text, n)| {
            let words = lesson_words(&text).into_iter().collect();
            (text, n, words)
        })
        .collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // ... then near duplicates among the most frequent ones
    groups.truncate(200);
    let mut merged: Vec<(String, usize, BTreeSet<String>)> = Vec::new();
    for g in groups {
        match merged.iter_mut().find(|m| jaccard(&m.2, &g.2) >= 0.75) {
            Some(m) => m.1 += g.1,
            None => merged.push(g),
        }
    }
    merged.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let limit = if p.is_public() { 10 } else { 25 };
    merged
        .into_iter()
        .take(limit)
        .map(|(text, n, _)| {
            let n = n as u64;
            let from = if p.is_small(n) {
                format!("minder dan {} casussen", p.min_cell)
            } else {
                nl::count(n, "casus", "casussen")
            };
            let text = text.trim_end_matches('.');
            format!("{text} (uit {from}).")
        })
        .collect()
}

/// The sentences of a text: split after ".", "!" or "?" followed by a space.
pub(super) fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next_is_space = chars.get(k + 1).is_none_or(|&(_, n)| n.is_whitespace());
        if matches!(c, '.' | '!' | '?') && next_is_space {
            let end = i + c.len_utf8();
            if !text[start..end].trim().is_empty() {
                out.push(text[start..end].trim());
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

/// The lower-case words of a lesson, for grouping.
pub(super) fn lesson_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::tables::Audience;
    use crate::protect::Scrubber;

    #[test]
    fn lessons_are_grouped_once_with_their_count() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let texts = [
            "Vroeg contact met de aandrager versnelt de triage.",
            "vroeg contact met de aandrager versnelt de triage",
            "Vroeg contact met de aandrager versnelt de triage!",
            "Vroeg contact met de aandrager versnelt de triage.",
            "Vroeg contact met de aandrager versnelt triage.",
            "Vroeg contact met de aandrager versnelt de triage.",
            // a field with two lessons counts for both
            "Een vast aanspreekpunt bij de dienst scheelt weken. Vroeg contact met de aandrager versnelt de triage.",
        ];
        let cases: Vec<Case> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Case {
                casus_id: format!("C{i}"),
                afgerond_op: Some(day),
                geleerde_les: Some(t.to_string()),
                ..Case::default()
            })
            .collect();
        let kamer = Protector::new(Audience::Parliament, 5, 10, false);
        let got = lessons(&cases, day, day, &kamer, &Texts::new(&Scrubber::default()));
        assert_eq!(
            got,
            vec![
                "Vroeg contact met de aandrager versnelt de triage (uit 7 casussen).",
                "Een vast aanspreekpunt bij de dienst scheelt weken (uit minder dan 5 casussen).",
            ]
        );
        let intern = Protector::new(Audience::Internal, 5, 10, false);
        assert_eq!(
            lessons(&cases, day, day, &intern, &Texts::new(&Scrubber::default()))[1],
            "Een vast aanspreekpunt bij de dienst scheelt weken (uit 1 casus)."
        );
    }
}
