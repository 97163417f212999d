//! BSNs and phone numbers: runs of digit groups in any grouping, with spaces, dashes,
//! dots, slashes or brackets between the groups ("1234 56 782", "06-12-34-56-78",
//! "+31 (0)20 123 45 67").
//!
//! A run is cut into tokens at the separators that contain a space. A BSN is the whole
//! run or one token with 9 digits that pass the elfproef (8 digits only right after a BSN
//! cue); a word glued in front ("BSN123456782") is allowed, a code prefix with a dash
//! ("CAS-2025-00123") is not. A phone number is the whole run or consecutive tokens
//! with the digits of a Dutch or international number.
//!
//! ```ignore
//! let mut hits = Vec::new();
//! find_numbers("bel 06-12-34-56-78", &mut hits);
//! assert_eq!(hits[0].kind, PiiKind::Phone);
//! ```

use super::text::{left_ok, next_char, prev_char, right_ok, word_before};
use super::{words, PiiHit, PiiKind};

/// A group of digits and the separator that follows it.
#[derive(Debug)]
struct Group {
    start: usize,
    end: usize,
    /// Separator after this group ("" for the last group).
    sep: String,
}

/// A maximal run of digit groups.
#[derive(Debug)]
struct Run {
    start: usize,
    end: usize,
    plus: bool,
    groups: Vec<Group>,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn is_sep(c: char) -> bool {
    is_space(c) || matches!(c, '-' | '.' | '/' | '(' | ')')
}

/// The separator starting at `i` when a digit follows it: at most three characters of
/// which at most one is not a bracket or a space (" ", "-", " - ", ") ", "(").
fn separator_at(text: &str, i: usize) -> Option<(usize, String)> {
    let mut sep = String::new();
    let mut j = i;
    let mut plain = 0;
    for c in text[i..].chars() {
        if c.is_ascii_digit() {
            break;
        }
        if !is_sep(c) {
            return None;
        }
        if !matches!(c, '(' | ')') && !is_space(c) {
            plain += 1;
        }
        sep.push(c);
        j += c.len_utf8();
        if plain > 1 || sep.chars().count() > 3 || sep.chars().filter(|&c| is_space(c)).count() > 2
        {
            return None;
        }
    }
    let ok = !sep.is_empty() && next_char(text, j).is_some_and(|c| c.is_ascii_digit());
    ok.then_some((j, sep))
}

fn digits_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// The run that starts at `i` ("+", "(" or a digit), if any.
fn run_at(text: &str, i: usize) -> Option<Run> {
    let b = text.as_bytes();
    let mut pos = i;
    let plus = b[pos] == b'+';
    if plus {
        pos += 1;
    }
    if pos < b.len() && b[pos] == b'(' {
        pos += 1;
    }
    if pos >= b.len() || !b[pos].is_ascii_digit() {
        return None;
    }
    let mut groups = Vec::new();
    loop {
        let end = digits_end(b, pos);
        match separator_at(text, end) {
            Some((next, sep)) => {
                groups.push(Group {
                    start: pos,
                    end,
                    sep,
                });
                pos = next;
            }
            None => {
                groups.push(Group {
                    start: pos,
                    end,
                    sep: String::new(),
                });
                break;
            }
        }
    }
    let end = groups.last().map_or(pos, |g| g.end);
    Some(Run {
        start: i,
        end,
        plus,
        groups,
    })
}

/// All maximal runs of digit groups in `text`.
fn runs(text: &str) -> Vec<Run> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = match b[i] {
            b'0'..=b'9' => true,
            b'+' | b'(' => b
                .get(i + 1)
                .is_some_and(|x| x.is_ascii_digit() || *x == b'('),
            _ => false,
        };
        let glued_digit = i > 0 && b[i - 1].is_ascii_digit();
        if starts && !glued_digit {
            if let Some(r) = run_at(text, i) {
                i = r.end.max(i + 1);
                out.push(r);
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Token ranges (indices into `groups`, end exclusive): a separator with a space ends a token.
fn tokens(groups: &[Group]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    for (k, g) in groups.iter().enumerate() {
        if g.sep.is_empty() || g.sep.chars().any(is_space) {
            out.push((from, k + 1));
            from = k + 1;
        }
    }
    out
}

fn digits_of(text: &str, groups: &[Group]) -> String {
    groups.iter().map(|g| &text[g.start..g.end]).collect()
}

/// Finds BSNs and phone numbers.
pub(crate) fn find_numbers(text: &str, out: &mut Vec<PiiHit>) {
    for run in runs(text) {
        let toks = tokens(&run.groups);
        let first_phone = out.len();
        find_phones(text, &run, &toks, out);
        let phones: Vec<(usize, usize)> = out[first_phone..]
            .iter()
            .map(|h| (h.start, h.end))
            .collect();
        find_bsns(text, &run, &toks, &phones, out);
    }
}

// ---------------------------------------------------------------------------------
// phone numbers

/// Dutch numbers (10 digits from 0[1-9], service numbers 0800/0900/0906/0909 with 4 or
/// 7 digits), +31 / 0031 with 9 digits (an "(0)" is dropped), other countries with
/// "+" or "00" and 8..=15 digits.
fn is_phone_digits(d: &str, plus: bool) -> bool {
    let b = d.as_bytes();
    let national = |r: &str| {
        let r = if r.len() == 10 && r.starts_with('0') {
            &r[1..]
        } else {
            r
        };
        r.len() == 9 && !r.starts_with('0')
    };
    let international = |r: &str| {
        if let Some(nl) = r.strip_prefix("31") {
            national(nl)
        } else {
            (8..=15).contains(&r.len()) && !r.starts_with('0')
        }
    };
    if plus {
        return international(d);
    }
    if let Some(r) = d.strip_prefix("00") {
        return d.len() >= 11 && international(r);
    }
    if b.len() < 2 || b[0] != b'0' || b[1] == b'0' {
        return false;
    }
    let service = ["0800", "0900", "0906", "0909"]
        .iter()
        .any(|p| d.starts_with(p));
    d.len() == 10 || (service && (d.len() == 8 || d.len() == 11))
}

/// Phone numbers in a run: the whole run or consecutive tokens; a window inside a
/// longer one is left out.
fn find_phones(text: &str, run: &Run, toks: &[(usize, usize)], out: &mut Vec<PiiHit>) {
    let mut found: Vec<PiiHit> = Vec::new();
    for (ti, &(from, _)) in toks.iter().enumerate() {
        let at_run_start = from == 0;
        let start = if at_run_start {
            run.start
        } else {
            run.groups[from].start
        };
        for &(_, to) in &toks[ti..] {
            let digits = digits_of(text, &run.groups[from..to]);
            if digits.len() > 17 {
                break;
            }
            let end = run.groups[to - 1].end;
            if is_phone_digits(&digits, run.plus && at_run_start)
                && left_ok(text, start)
                && right_ok(text, end)
            {
                found.push(PiiHit {
                    kind: PiiKind::Phone,
                    start,
                    end,
                });
            }
        }
    }
    let contained = |h: &PiiHit| {
        found
            .iter()
            .any(|o| o != h && o.start <= h.start && h.end <= o.end)
    };
    let keep: Vec<PiiHit> = found.iter().filter(|h| !contained(h)).cloned().collect();
    out.extend(keep);
}

// ---------------------------------------------------------------------------------
// BSN

/// BSNs: the whole run, or one token of it that is not part of a phone number.
fn find_bsns(
    text: &str,
    run: &Run,
    toks: &[(usize, usize)],
    phones: &[(usize, usize)],
    out: &mut Vec<PiiHit>,
) {
    if run.plus {
        return;
    }
    let mut windows = vec![(0, run.groups.len())];
    if toks.len() > 1 {
        windows.extend_from_slice(toks);
    }
    for (k, (from, to)) in windows.into_iter().enumerate() {
        let groups = &run.groups[from..to];
        let (start, end) = (groups[0].start, groups[groups.len() - 1].end);
        let in_phone = k > 0 && phones.iter().any(|&(s, e)| s <= start && end <= e);
        if !in_phone && is_bsn(text, groups) {
            // a word glued in front ("BSN123456782") is masked with the number
            let glued = word_before(text, start).len();
            out.push(PiiHit {
                kind: PiiKind::Bsn,
                start: start - glued,
                end,
            });
        }
    }
}

fn is_bsn(text: &str, groups: &[Group]) -> bool {
    let (s, e) = (groups[0].start, groups[groups.len() - 1].end);
    let inner_brackets = groups[..groups.len() - 1]
        .iter()
        .any(|g| g.sep.contains(['(', ')']));
    if inner_brackets || !right_ok(text, e) || looks_like_amount(text, s, e) {
        return false;
    }
    let glued = word_before(text, s);
    let cue = if glued.is_empty() {
        if !left_ok(text, s) {
            return false;
        }
        let code = code_prefix(text, s);
        if code.is_some_and(|w| !is_bsn_cue(w)) {
            return false; // "CAS-123456782"
        }
        code.is_some() || has_bsn_cue(&text[..s])
    } else {
        is_bsn_cue(glued)
    };
    if !cue && looks_like_case_number(text, groups) {
        return false;
    }
    let digits = digits_of(text, groups);
    match digits.len() {
        9 => is_valid_bsn_digits(&digits),
        8 => cue && is_valid_bsn_digits(&digits),
        _ => false,
    }
}

fn is_valid_bsn_digits(d: &str) -> bool {
    super::checks::is_valid_bsn(d)
}

fn is_bsn_cue(word: &str) -> bool {
    words::bsn_cues().contains(&word.to_lowercase())
}

/// The letters word of a code prefix glued with "-", "/" or "_" before `s` ("CAS-").
fn code_prefix(text: &str, s: usize) -> Option<&str> {
    let c = prev_char(text, s)?;
    if !matches!(c, '-' | '/' | '_') {
        return None;
    }
    let w = word_before(text, s - c.len_utf8());
    (!w.is_empty()).then_some(w)
}

/// "2025-00123", "2024/123456": a year, a dash or slash, then a serial number.
fn looks_like_case_number(text: &str, groups: &[Group]) -> bool {
    let first = &text[groups[0].start..groups[0].end];
    groups.len() == 2
        && first.len() == 4
        && first
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y))
        && matches!(groups[0].sep.as_str(), "-" | "/")
}

/// An 8-digit BSN is only taken right after "BSN", "burgerservicenummer" or
/// "sofinummer" (optionally followed by "nr", "nummer" or "is").
fn has_bsn_cue(before: &str) -> bool {
    let norm = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
            .to_lowercase()
    };
    let mut words_rev =
        before
            .split_whitespace()
            .rev()
            .map(|w| if w.contains(['[', ']']) { "" } else { w });
    match words_rev.next().map(norm) {
        Some(w) if is_bsn_cue(&w) => true,
        Some(w) if matches!(w.as_str(), "nr" | "nummer" | "is") => {
            words_rev.next().map(norm).is_some_and(|w| is_bsn_cue(&w))
        }
        _ => false,
    }
}

fn looks_like_amount(text: &str, s: usize, e: usize) -> bool {
    let tail: String = text[..s]
        .chars()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let head: String = text[e..].chars().take(12).collect();
    let before = tail.trim_end().to_lowercase();
    let after = head.trim_start().to_lowercase();
    before.ends_with('€')
        || before.ends_with("eur")
        || before.ends_with("euro")
        || after.starts_with(",-")
        || after.starts_with("euro")
        || after.starts_with("eur ")
        || after == "eur"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, kind: PiiKind) -> Vec<&str> {
        let mut hits = Vec::new();
        find_numbers(text, &mut hits);
        hits.into_iter()
            .filter(|h| h.kind == kind)
            .map(|h| &text[h.start..h.end])
            .collect()
    }

    #[test]
    fn runs_and_tokens() {
        let r = runs("bel +31 (0)20 123 45 67 of 1234-56-782.");
        assert_eq!(r.len(), 2);
        assert!(r[0].plus);
        assert_eq!(tokens(&r[1].groups), vec![(0, 3)]);
        assert_eq!(
            &"bel +31 (0)20 123 45 67 of 1234-56-782."[r[1].start..r[1].end],
            "1234-56-782"
        );
    }

    #[test]
    fn bsn_groupings() {
        for (text, bsn) in [
            ("1234 56 782", "1234 56 782"),
            ("BSN123456782", "BSN123456782"),
            ("bsn-123456782", "123456782"),
            ("nr. 12-345-67-82 staat", "12-345-67-82"),
            ("BSN 12345672 (oud)", "12345672"),
            ("bsn 123456782 3 keer gebeld", "123456782"),
        ] {
            assert_eq!(found(text, PiiKind::Bsn), vec![bsn], "{text}");
        }
        for text in [
            "CAS-2025-00123",
            "zaak 2025-00123",
            "€ 1.234,56",
            "nummer 123456789",
            "oude code 12345672 zonder aanduiding",
            "+123456782",
        ] {
            assert!(found(text, PiiKind::Bsn).is_empty(), "{text}");
        }
    }

    #[test]
    fn phone_groupings() {
        for (text, tel) in [
            ("06-12-34-56-78", "06-12-34-56-78"),
            ("+31-6-12345678", "+31-6-12345678"),
            ("+31 (0)20 123 45 67", "+31 (0)20 123 45 67"),
            ("(020) 1234567", "(020) 1234567"),
            ("+32 470 12 34 56", "+32 470 12 34 56"),
            ("bel 06 1234 5678 3 keer", "06 1234 5678"),
            ("tel. 020 - 123 45 67", "020 - 123 45 67"),
        ] {
            assert_eq!(found(text, PiiKind::Phone), vec![tel], "{text}");
        }
        for text in ["12-03-1961", "0012345678", "abc0612345678", "2025-000123"] {
            assert!(found(text, PiiKind::Phone).is_empty(), "{text}");
        }
    }
}
