//! IBANs in any letter case and grouping: "NL91ABNA0417164300", "nl91 abna 0417 1643 00",
//! "NL91-ABNA-0417-1643-00". The characters are read with single spaces, dashes or dots
//! between them; every group end is tried and the longest valid IBAN (country length
//! and mod 97) wins.
//!
//! ```ignore
//! let mut hits = Vec::new();
//! find_iban("rek. NL91-ABNA-0417-1643-00.", &mut hits);
//! assert_eq!(hits.len(), 1);
//! ```

use super::checks::is_valid_iban;
use super::text::{is_wordish, prev_char, right_ok};
use super::{words, PiiHit, PiiKind};

const MAX_LEN: usize = 34;

fn is_iban_sep(c: u8) -> bool {
    matches!(c, b' ' | b'-' | b'.')
}

/// Finds IBANs.
pub(crate) fn find_iban(text: &str, out: &mut Vec<PiiHit>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        if starts_iban(text, i) {
            if let Some(end) = longest_iban(text, i) {
                out.push(PiiHit {
                    kind: PiiKind::Iban,
                    start: i,
                    end,
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
}

/// Two letters at a word start, then two digits (each after at most one separator).
fn starts_iban(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    if !(b[i].is_ascii_alphabetic() && b[i + 1].is_ascii_alphabetic()) {
        return false;
    }
    if prev_char(text, i).is_some_and(|c| is_wordish(c) || c == '@') {
        return false;
    }
    let mut j = i + 2;
    for _ in 0..2 {
        if j < b.len() && is_iban_sep(b[j]) {
            j += 1;
        }
        if !(j < b.len() && b[j].is_ascii_digit()) {
            return false;
        }
        j += 1;
    }
    true
}

/// The end of the longest valid IBAN starting at `i`.
fn longest_iban(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let country = text[i..i + 2].to_ascii_uppercase();
    let known = words::iban_lengths().contains_key(&country);
    let mut compact = String::with_capacity(MAX_LEN);
    let mut j = i;
    let mut best = None;
    while j < b.len() && compact.len() < MAX_LEN {
        if b[j].is_ascii_alphanumeric() {
            compact.push(b[j] as char);
            j += 1;
            let group_end = j == b.len() || !b[j].is_ascii_alphanumeric();
            if group_end && compact.len() >= 15 && right_ok(text, j) {
                let upper_plain = compact.bytes().all(|x| !x.is_ascii_lowercase())
                    && !text[i..j].bytes().any(is_iban_sep);
                if (known || upper_plain) && is_valid_iban(&compact) {
                    best = Some(j);
                }
            }
        } else if is_iban_sep(b[j]) && j + 1 < b.len() && b[j + 1].is_ascii_alphanumeric() {
            j += 1;
        } else {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        find_iban(text, &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn groupings_and_case() {
        for (text, iban) in [
            ("rekening NL91ABNA0417164300.", "NL91ABNA0417164300"),
            (
                "IBAN NL91 ABNA 0417 1643 00 op naam",
                "NL91 ABNA 0417 1643 00",
            ),
            ("NL91-ABNA-0417-1643-00", "NL91-ABNA-0417-1643-00"),
            ("nl91abna0417164300", "nl91abna0417164300"),
            (
                "naar nl 91 abna 041 716 4300 gestort",
                "nl 91 abna 041 716 4300",
            ),
            ("NL91.ABNA.0417.1643.00", "NL91.ABNA.0417.1643.00"),
            (
                "via GB82 WEST 1234 5698 7654 32",
                "GB82 WEST 1234 5698 7654 32",
            ),
            ("BE68 5390 0754 7034 en meer", "BE68 5390 0754 7034"),
        ] {
            assert_eq!(found(text), vec![iban], "{text}");
        }
        for text in [
            "rekening NL91ABNA0417164301",
            "XNL91ABNA0417164300",
            "NL91ABNA0417164300X",
            "code NL12 ABCD 1234",
            "de 12 maart 2025 op 1 april",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
