//! Dutch licence plates of every side code, in any case, with dashes, spaces, dots or
//! nothing between the groups: "AB-12-CD", "ab-12-cd", "AB 12 CD", "12ABC3".
//!
//! A plate is six letters and digits in three groups that match a side code (L = letter,
//! D = digit). Groups split by spaces in lowercase text must not be ordinary words
//! ("op 12 en"); a month name never counts as a letter group ("1-mei-61").
//!
//! ```ignore
//! let mut hits = Vec::new();
//! find_plates("auto ab-12-cd", &mut hits);
//! assert_eq!(hits.len(), 1);
//! ```

use super::text::{is_wordish, next_char, prev_char, right_ok};
use super::{words, PiiHit, PiiKind};

/// Dutch licence-plate side codes 1 to 14 (L = letter, D = digit).
const SIDECODES: &[&str] = &[
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D", "D-LLL-DD",
    "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D",
];

/// The side codes written without separators ("LLDDDD").
const GLUED_SIDECODES: &[&str] = &[
    "LLDDDD", "DDDDLL", "DDLLDD", "LLDDLL", "LLLLDD", "DDLLLL", "DDLLLD", "DLLLDD", "LLDDDL",
    "LDDDLL", "LLLDDL", "LDDLLL", "DLLDDD", "DDDLLD",
];

/// Finds licence plates.
pub(crate) fn find_plates(text: &str, out: &mut Vec<PiiHit>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let mut word_end = i;
        while word_end < b.len() && b[word_end].is_ascii_alphanumeric() {
            word_end += 1;
        }
        let short = word_end - i <= 3 || word_end - i == 6;
        if short && starts_word(text, i) {
            if let Some(end) = plate_at(text, i, word_end) {
                out.push(PiiHit {
                    kind: PiiKind::LicencePlate,
                    start: i,
                    end,
                });
            }
        }
        i = word_end;
    }
}

fn starts_word(text: &str, i: usize) -> bool {
    !prev_char(text, i).is_some_and(|c| is_wordish(c) || c == '-' || c == '@')
}

/// The end of a plate starting at `i` (whose letters and digits run to `word_end`).
fn plate_at(text: &str, i: usize, word_end: usize) -> Option<usize> {
    if word_end - i == 6 {
        return ends_word(text, word_end)
            .then(|| glued_plate(text, i, word_end))
            .flatten();
    }
    separated_plate(text, i)
}

fn is_plate_sep(c: u8) -> bool {
    matches!(c, b'-' | b' ' | b'.')
}

/// Nothing glued after `end` (a dash counts as glue, a sentence dot does not).
fn ends_word(text: &str, end: usize) -> bool {
    !next_char(text, end).is_some_and(|c| is_wordish(c) || c == '-' || c == '@')
        && right_ok(text, end)
}

fn class(c: u8) -> u8 {
    if c.is_ascii_digit() {
        b'D'
    } else {
        b'L'
    }
}

/// Six letters and digits without separators ("HJ12KL", "12ABC3"). "1234AB" is left to
/// the postcode detector (a plate with four digits first then starts with 0), and a tax
/// abbreviation with a year ("IB2023") is no plate.
fn glued_plate(text: &str, i: usize, end: usize) -> Option<usize> {
    let b = &text.as_bytes()[i..end];
    if b.iter().all(u8::is_ascii_alphabetic) || b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut shape = [0u8; 6];
    for (s, &c) in shape.iter_mut().zip(b) {
        *s = class(c);
    }
    if !GLUED_SIDECODES.iter().any(|g| g.as_bytes() == shape) {
        return None;
    }
    if &shape == b"DDDDLL" && b[0] != b'0' {
        return None; // postcode-shaped
    }
    let year = text[i + 2..end]
        .parse::<u32>()
        .is_ok_and(|y| (1900..=2100).contains(&y));
    if &shape == b"LLDDDD"
        && year
        && words::year_abbreviations().contains(&text[i..i + 2].to_lowercase())
    {
        return None;
    }
    let mut letters: Vec<&str> = Vec::new();
    let mut k = 0;
    while k < b.len() {
        let run_start = k;
        while k < b.len() && class(b[k]) == class(b[run_start]) {
            k += 1;
        }
        if class(b[run_start]) == b'L' {
            letters.push(&text[i + run_start..i + k]);
        }
    }
    (!has_month(&letters)).then_some(end)
}

fn has_month(letters: &[&str]) -> bool {
    letters
        .iter()
        .any(|w| words::months().contains_key(&w.to_lowercase()))
}

/// Three groups of one class each, split by the same separator ("AB-12-CD", "ab 12 cd").
fn separated_plate(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut groups = [(0usize, 0usize); 3];
    let mut sep = None;
    let mut j = i;
    for (n, group) in groups.iter_mut().enumerate() {
        if n > 0 {
            let c = *b.get(j).filter(|&&c| is_plate_sep(c))?;
            if sep.is_some_and(|s| s != c) {
                return None;
            }
            sep = Some(c);
            j += 1;
        }
        let start = j;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        let len = j - start;
        if len == 0 || len > 3 || b[start..j].iter().any(|&c| class(c) != class(b[start])) {
            return None;
        }
        *group = (start, j);
    }
    let end = j;
    let alnum: usize = groups.iter().map(|(s, e)| e - s).sum();
    if alnum != 6 || !ends_word(text, end) {
        return None;
    }
    let shape: String = groups
        .iter()
        .map(|&(s, e)| (class(b[s]) as char).to_string().repeat(e - s))
        .collect::<Vec<_>>()
        .join("-");
    if !SIDECODES.contains(&shape.as_str()) {
        return None;
    }
    let letters: Vec<&str> = groups
        .iter()
        .filter(|&&(s, _)| class(b[s]) == b'L')
        .map(|&(s, e)| &text[s..e])
        .collect();
    if has_month(&letters) {
        return None;
    }
    let spaced_lowercase = sep == Some(b' ')
        && letters
            .iter()
            .any(|w| w.bytes().any(|x| x.is_ascii_lowercase()));
    let ordinary = |w: &&str| {
        words::is_short_word(w)
            || (w.len() == 1 && "aeiouxy".contains(w.to_ascii_lowercase().as_str()))
    };
    if spaced_lowercase && letters.iter().any(ordinary) {
        return None;
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        find_plates(text, &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn every_sidecode_case_and_separator() {
        for (text, p) in [
            ("auto 12-ABC-3 gezien", "12-ABC-3"),
            ("kenteken AB-123-C.", "AB-123-C"),
            ("(XX-99-99)", "XX-99-99"),
            ("ab-12-cd", "ab-12-cd"),
            ("AB 12 CD", "AB 12 CD"),
            ("ab 12 cd", "ab 12 cd"),
            ("ab-123-c", "ab-123-c"),
            ("kenteken 12ABC3", "12ABC3"),
            ("kenteken hj1234.", "hj1234"),
            ("AB.12.CD", "AB.12.CD"),
            ("wagen 99-XX-99 en", "99-XX-99"),
        ] {
            assert_eq!(found(text), vec![p], "{text}");
        }
        for text in [
            "BOX-3 heffing",
            "ABC-123-DEF",
            "12-03-1961",
            "AB-CD-EF",
            "NL-12-AB-34",
            "2025-000123",
            "2026-Q1",
            "CAS-2025-00123",
            "op 12 en 13 maart",
            "1-mei-61",
            "AB-12 CD",
            "het is 12 uur",
            "aanslag IB2023",
            "adres 1234AB",
            "code ABCDEF",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
