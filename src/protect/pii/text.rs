//! Shared helpers of the detectors: where a match may begin and end, how to walk over
//! overlapping regex candidates, and when a token ends a sentence.
//!
//! ```ignore
//! assert!(left_ok("bel 0612345678", 4));
//! assert!(!left_ok("x0612345678", 1));
//! ```

use super::words;
use regex::{Captures, Regex};
use std::sync::OnceLock;

/// Characters that glue a match to its neighbour. Brackets count as well, so that a
/// placeholder written by `mask` behaves like the text it replaced.
pub(crate) fn is_wordish(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '[' || c == ']'
}

fn glues_numbers(c: char) -> bool {
    c.is_ascii_digit() || c == '[' || c == ']'
}

const CONNECTORS: &[char] = &['-', '.', ',', '/', '+', ':'];

pub(crate) fn prev_char(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

pub(crate) fn next_char(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

/// The match may start at `start`: no word character or '@' before it, and no
/// connector ("-", ".", ",", "/", "+", ":") glued to a digit before that.
pub(crate) fn left_ok(text: &str, start: usize) -> bool {
    match prev_char(text, start) {
        None => true,
        Some(c) if is_wordish(c) || c == '@' => false,
        Some(c) if CONNECTORS.contains(&c) => {
            !matches!(prev_char(text, start - c.len_utf8()), Some(d) if glues_numbers(d))
        }
        _ => true,
    }
}

/// Mirror image of [`left_ok`] at the end of a match.
pub(crate) fn right_ok(text: &str, end: usize) -> bool {
    match next_char(text, end) {
        None => true,
        Some(c) if is_wordish(c) || c == '@' => false,
        Some(c) if CONNECTORS.contains(&c) => {
            !matches!(next_char(text, end + c.len_utf8()), Some(d) if glues_numbers(d))
        }
        _ => true,
    }
}

pub(crate) fn next_boundary(text: &str, i: usize) -> usize {
    i + next_char(text, i).map_or(1, char::len_utf8)
}

/// Runs `f` on the leftmost match at or after every start position: after each match
/// (accepted or not) scanning resumes one character after its start, so overlapping
/// candidates are all seen and `scan` can choose among them.
pub(crate) fn each_candidate(re: &Regex, text: &str, mut f: impl FnMut(&Captures)) {
    let mut pos = 0;
    while pos <= text.len() {
        let Some(caps) = re.captures_at(text, pos) else {
            break;
        };
        let start = caps.get(0).map_or(pos, |m| m.start());
        f(&caps);
        pos = next_boundary(text, start);
    }
}

/// A built-in regex, compiled once.
pub(crate) fn regex(
    cell: &'static OnceLock<Regex>,
    pattern: impl FnOnce() -> String,
) -> &'static Regex {
    cell.get_or_init(|| Regex::new(&pattern()).expect("valid built-in regex"))
}

/// The token ends a sentence: its last character (before closing quotes and brackets)
/// is ".", "!", "?" or ";", and a final dot does not close an initial ("J.", "o.a.") or
/// a known abbreviation ("geb.", "dhr.", "mrt.").
pub(crate) fn ends_sentence(tok: &str) -> bool {
    let t = tok.trim_end_matches([')', '"', '\'', '’', '”']);
    let Some(last) = t.chars().next_back() else {
        return false;
    };
    match last {
        '!' | '?' | ';' => true,
        '.' => {
            let body = &t[..t.len() - 1];
            let word: String = body
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let n = word.chars().count();
            !(n == 1 || (n > 1 && words::abbreviations().contains(&word.to_lowercase())))
        }
        _ => false,
    }
}

/// The word made of letters that ends right at `i` (empty when none).
pub(crate) fn word_before(text: &str, i: usize) -> &str {
    let head = &text[..i];
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(i, |(j, _)| j);
    &head[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert!(left_ok("bel 0612345678", 4));
        assert!(!left_ok("x0612345678", 1));
        assert!(!left_ok("1.234", 2));
        assert!(left_ok("zie: 123", 5));
        assert!(right_ok("123, en", 3));
        assert!(!right_ok("123,45", 3));
        assert_eq!(word_before("BSN123", 3), "BSN");
        assert_eq!(word_before("a 123", 2), "");
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("klaar."));
        assert!(ends_sentence("klaar?)"));
        assert!(!ends_sentence("J."));
        assert!(!ends_sentence("geb."));
        assert!(!ends_sentence("woord"));
    }
}
