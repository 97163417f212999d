//! Detection and masking of personal data in free Dutch text (case summaries, lessons,
//! signal descriptions) before anything is exported or published.
//!
//! [`scan`] finds BSNs (elfproef), IBANs (mod 97), Dutch phone numbers, e-mail
//! addresses, postcodes (with house number), dates of birth (only with a birth cue such
//! as "geboren op"), Dutch licence plates and, as warnings only, personal names
//! ("mevrouw Jansen", "Jan de Vries", "J. de Vries"). [`mask`] replaces the hits with
//! placeholders such as `[BSN]`.
//!
//! ```
//! use rodedraad::protect::pii::{mask, scan, PiiKind};
//! let text = "Mevrouw De Vries (geb. 3 maart 1961, BSN 111.222.333) belde vanaf 06-12345678.";
//! let hits = scan(text);
//! let kinds: Vec<PiiKind> = hits.iter().map(|h| h.kind).collect();
//! assert_eq!(kinds, vec![PiiKind::Naam, PiiKind::Geboortedatum, PiiKind::Bsn, PiiKind::Telefoon]);
//! assert_eq!(
//!     mask(text, &hits),
//!     "Mevrouw [naam] (geb. [geboortedatum], BSN [BSN]) belde vanaf [telefoon]."
//! );
//! ```

use regex::{Captures, Regex};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    Bsn,
    Iban,
    Telefoon,
    Email,
    Postcode,
    Geboortedatum,
    Kenteken,
    Naam,
}

impl PiiKind {
    /// Dutch label for reports.
    pub fn label(self) -> &'static str {
        match self {
            PiiKind::Bsn => "BSN",
            PiiKind::Iban => "IBAN",
            PiiKind::Telefoon => "telefoonnummer",
            PiiKind::Email => "e-mailadres",
            PiiKind::Postcode => "postcode",
            PiiKind::Geboortedatum => "geboortedatum",
            PiiKind::Kenteken => "kenteken",
            PiiKind::Naam => "naam",
        }
    }

    /// Names are only a warning (the list-based detection is uncertain).
    pub fn is_warning_only(self) -> bool {
        matches!(self, PiiKind::Naam)
    }

    /// The text that [`mask`] puts in place of a hit.
    pub fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Bsn => "[BSN]",
            PiiKind::Iban => "[IBAN]",
            PiiKind::Telefoon => "[telefoon]",
            PiiKind::Email => "[e-mail]",
            PiiKind::Postcode => "[postcode]",
            PiiKind::Geboortedatum => "[geboortedatum]",
            PiiKind::Kenteken => "[kenteken]",
            PiiKind::Naam => "[naam]",
        }
    }

    /// Lower is more specific; wins when hits overlap.
    fn specificity(self) -> u8 {
        match self {
            PiiKind::Iban => 0,
            PiiKind::Email => 1,
            PiiKind::Bsn => 2,
            PiiKind::Telefoon => 3,
            PiiKind::Geboortedatum => 4,
            PiiKind::Kenteken => 5,
            PiiKind::Postcode => 6,
            PiiKind::Naam => 7,
        }
    }
}

/// One finding: byte offsets `start..end` into the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiiHit {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// All findings, sorted by start and non-overlapping (on overlap the more specific kind
/// wins: IBAN, e-mail, BSN, phone, date of birth, licence plate, postcode, name).
pub fn scan(text: &str) -> Vec<PiiHit> {
    let mut cands = Vec::new();
    find_iban(text, &mut cands);
    find_email(text, &mut cands);
    find_bsn(text, &mut cands);
    find_phone(text, &mut cands);
    find_birth_dates(text, &mut cands);
    find_plates(text, &mut cands);
    find_postcodes(text, &mut cands);
    find_names(text, &mut cands);
    cands.sort_by_key(|h| {
        (
            h.kind.specificity(),
            std::cmp::Reverse(h.end - h.start),
            h.start,
        )
    });
    let mut taken: Vec<PiiHit> = Vec::new();
    for h in cands {
        if taken.iter().all(|t| h.end <= t.start || h.start >= t.end) {
            taken.push(h);
        }
    }
    taken.sort_by_key(|h| (h.start, h.end));
    taken
}

/// Replaces each hit by its placeholder (`[BSN]`, `[IBAN]`, `[telefoon]`, `[e-mail]`,
/// `[postcode]`, `[geboortedatum]`, `[kenteken]`, `[naam]`). Hits that overlap an
/// earlier hit or do not fall on character boundaries are skipped.
pub fn mask(text: &str, hits: &[PiiHit]) -> String {
    let mut sorted: Vec<&PiiHit> = hits.iter().collect();
    sorted.sort_by_key(|h| (h.start, h.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for h in sorted {
        if h.start < pos
            || h.start >= h.end
            || h.end > text.len()
            || !text.is_char_boundary(h.start)
            || !text.is_char_boundary(h.end)
        {
            continue;
        }
        out.push_str(&text[pos..h.start]);
        out.push_str(h.kind.placeholder());
        pos = h.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Elfproef for a BSN: 9 digits (8 digits get a leading 0; dots and spaces are
/// ignored), `9a + 8b + 7c + 6d + 5e + 4f + 3g + 2h - i` divisible by 11, not all zeros.
pub fn is_valid_bsn(digits: &str) -> bool {
    let mut d: Vec<i32> = Vec::with_capacity(9);
    for c in digits.chars() {
        match c {
            '0'..='9' => d.push(c as i32 - '0' as i32),
            '.' | ' ' => {}
            _ => return false,
        }
    }
    if d.len() == 8 {
        d.insert(0, 0);
    }
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i32 = (0..8).map(|i| (9 - i as i32) * d[i]).sum::<i32>() - d[8];
    sum.rem_euclid(11) == 0
}

/// IBAN check: spaces allowed, country code + 2 check digits, length 18 for NL (and 4
/// letters + 10 digits after the check digits), the official length for a few other
/// common countries, 15..=34 otherwise, and mod 97 == 1.
pub fn is_valid_iban(s: &str) -> bool {
    let c: String = s
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_ascii_uppercase();
    let b = c.as_bytes();
    if !(15..=34).contains(&b.len()) || !b.iter().all(|x| x.is_ascii_alphanumeric()) {
        return false;
    }
    if !(b[0].is_ascii_alphabetic()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit())
    {
        return false;
    }
    let country = &c[..2];
    if let Some(&(_, len)) = IBAN_LENGTHS.iter().find(|(cc, _)| *cc == country) {
        if b.len() != len {
            return false;
        }
    }
    if country == "NL"
        && !(b[4..8].iter().all(|x| x.is_ascii_alphabetic())
            && b[8..].iter().all(|x| x.is_ascii_digit()))
    {
        return false;
    }
    let mut r: u32 = 0;
    for &x in b[4..].iter().chain(&b[..4]) {
        if x.is_ascii_digit() {
            r = (r * 10 + (x - b'0') as u32) % 97;
        } else {
            r = (r * 100 + (x - b'A') as u32 + 10) % 97;
        }
    }
    r == 1
}

const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AT", 20),
    ("BE", 16),
    ("CH", 21),
    ("DE", 22),
    ("DK", 18),
    ("ES", 24),
    ("FI", 18),
    ("FR", 27),
    ("GB", 22),
    ("IE", 22),
    ("IT", 27),
    ("LU", 20),
    ("MA", 28),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("SE", 24),
    ("TR", 26),
];

// ---------------------------------------------------------------------------------
// boundaries

/// Characters that glue a match to its neighbour. Brackets count as well, so that a
/// placeholder written by [`mask`] behaves like the text it replaced.
fn is_wordish(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '[' || c == ']'
}

fn glues_numbers(c: char) -> bool {
    c.is_ascii_digit() || c == '[' || c == ']'
}

const CONNECTORS: &[char] = &['-', '.', ',', '/', '+', ':'];

fn prev_char(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

fn next_char(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

/// The match may start at `start`: no word character or '@' before it, and no
/// connector ("-", ".", ",", "/", "+", ":") glued to a digit before that.
fn left_ok(text: &str, start: usize) -> bool {
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
fn right_ok(text: &str, end: usize) -> bool {
    match next_char(text, end) {
        None => true,
        Some(c) if is_wordish(c) || c == '@' => false,
        Some(c) if CONNECTORS.contains(&c) => {
            !matches!(next_char(text, end + c.len_utf8()), Some(d) if glues_numbers(d))
        }
        _ => true,
    }
}

fn next_boundary(text: &str, i: usize) -> usize {
    i + next_char(text, i).map_or(1, |c| c.len_utf8())
}

/// Runs `f` on the leftmost match at or after every start position: after each match
/// (accepted or not) scanning resumes one character after its start, so overlapping
/// candidates are all seen and [`scan`] can choose among them. `f` returns `Some` for
/// an accepted candidate (the value is informational).
fn each_candidate(re: &Regex, text: &str, mut f: impl FnMut(&Captures) -> Option<usize>) {
    let mut pos = 0;
    while pos <= text.len() {
        let Some(caps) = re.captures_at(text, pos) else {
            break;
        };
        let start = caps.get(0).map_or(pos, |m| m.start());
        let _accepted = f(&caps);
        pos = next_boundary(text, start);
    }
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in regex"))
}

// ---------------------------------------------------------------------------------
// detectors

fn find_iban(text: &str, out: &mut Vec<PiiHit>) {
    let b = text.as_bytes();
    let run_end = |s: usize| {
        let mut e = s;
        while e < b.len() && b[e].is_ascii_alphanumeric() {
            e += 1;
        }
        e
    };
    let mut i = 0;
    while i + 4 <= b.len() {
        let head = b[i].is_ascii_alphabetic()
            && b[i + 1].is_ascii_alphabetic()
            && b[i + 2].is_ascii_digit()
            && b[i + 3].is_ascii_digit();
        if head && left_ok(text, i) {
            let e1 = run_end(i);
            let mut best = None;
            if e1 - i >= 15 {
                if right_ok(text, e1) && is_valid_iban(&text[i..e1]) {
                    best = Some(e1);
                }
            } else if e1 - i == 4 {
                // groups of four separated by single spaces, the last one may be shorter
                let mut end = e1;
                while end + 1 < b.len() && b[end] == b' ' && b[end + 1].is_ascii_alphanumeric() {
                    let e = run_end(end + 1);
                    let len = e - end - 1;
                    if len > 4 {
                        break;
                    }
                    end = e;
                    if right_ok(text, end) && is_valid_iban(&text[i..end]) {
                        best = Some(end);
                    }
                    if len < 4 {
                        break;
                    }
                }
            }
            if let Some(e) = best {
                out.push(PiiHit {
                    kind: PiiKind::Iban,
                    start: i,
                    end: e,
                });
            }
        }
        i += 1;
    }
}

fn find_email(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &RE,
        r"[A-Za-z0-9_%+][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}",
    );
    each_candidate(re, text, |c| {
        let m = c.get(0)?;
        if !left_ok(text, m.start()) || !right_ok(text, m.end()) {
            return None;
        }
        out.push(PiiHit {
            kind: PiiKind::Email,
            start: m.start(),
            end: m.end(),
        });
        Some(m.end())
    });
}

fn find_bsn(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &RE,
        r"[0-9]{4}\.[0-9]{2}\.[0-9]{3}|[0-9]{3}([. ])[0-9]{3}([. ])[0-9]{3}|[0-9]{8,9}",
    );
    each_candidate(re, text, |c| {
        let m = c.get(0)?;
        let (s, e) = (m.start(), m.end());
        if !left_ok(text, s) || !right_ok(text, e) {
            return None;
        }
        if let (Some(a), Some(b)) = (c.get(1), c.get(2)) {
            if a.as_str() != b.as_str() {
                return None;
            }
            if a.as_str() == " " {
                // "12 123 456 782": part of a longer spaced number
                let before = text[..s].strip_suffix(' ');
                let after = text[e..].strip_prefix(' ');
                if before.is_some_and(|t| t.ends_with(|x: char| x.is_ascii_digit()))
                    || after.is_some_and(|t| t.starts_with(|x: char| x.is_ascii_digit()))
                {
                    return None;
                }
            }
        }
        let digits: String = m.as_str().chars().filter(|x| x.is_ascii_digit()).collect();
        if digits.len() == 8 && !has_bsn_cue(&text[..s]) {
            return None;
        }
        if looks_like_amount(text, s, e) || !is_valid_bsn(&digits) {
            return None;
        }
        out.push(PiiHit {
            kind: PiiKind::Bsn,
            start: s,
            end: e,
        });
        Some(e)
    });
}

/// An 8-digit BSN is only taken right after "BSN", "burgerservicenummer" or
/// "sofinummer" (optionally followed by "nr", "nummer" or "is").
fn has_bsn_cue(before: &str) -> bool {
    let norm = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let is_cue = |w: &str| {
        matches!(
            w,
            "bsn" | "burgerservicenummer" | "sofinummer" | "sofi-nummer"
        )
    };
    let mut words =
        before
            .split_whitespace()
            .rev()
            .map(|w| if w.contains(['[', ']']) { "" } else { w });
    match words.next().map(norm) {
        Some(w) if is_cue(&w) => true,
        Some(w) if matches!(w.as_str(), "nr" | "nummer" | "is") => {
            words.next().map(norm).is_some_and(|w| is_cue(&w))
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

fn find_phone(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &RE,
        concat!(
            r"(?:\+31|0031)[ -]?(?:\(0\)[ -]?)?[1-9](?:[ -]?[0-9]){8}",
            r"|0(?:800|900|906|909)[ -]?[0-9]{4}(?:[0-9]{3})?",
            r"|\(0[1-9]\)[ -]?[0-9](?:[ -]?[0-9]){7}",
            r"|\(0[1-9][0-9]\)[ -]?[0-9](?:[ -]?[0-9]){6}",
            r"|\(0[1-9][0-9]{2}\)[ -]?[0-9](?:[ -]?[0-9]){5}",
            r"|0[1-9](?:[ -]?[0-9]){8}",
        ),
    );
    each_candidate(re, text, |c| {
        let m = c.get(0)?;
        let (s, e) = (m.start(), m.end());
        if !left_ok(text, s) || !right_ok(text, e) || m.as_str().matches('-').count() > 1 {
            return None;
        }
        out.push(PiiHit {
            kind: PiiKind::Telefoon,
            start: s,
            end: e,
        });
        Some(e)
    });
}

fn find_postcodes(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    static HOUSE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, r"[1-9][0-9]{3}(?: ?([A-Z]{2})|([a-z]{2}))");
    let house = regex(&HOUSE, r"^ [1-9][0-9]{0,4}[A-Za-z]?");
    each_candidate(re, text, |c| {
        let m = c.get(0)?;
        let (s, e) = (m.start(), m.end());
        if !left_ok(text, s) || !right_ok(text, e) {
            return None;
        }
        let letters = c.get(1).or(c.get(2))?.as_str().to_ascii_uppercase();
        if matches!(letters.as_str(), "SS" | "SA" | "SD") {
            return None;
        }
        let number: u32 = m.as_str()[..4].parse().ok()?;
        if (1900..=2100).contains(&number) && YEAR_ABBREVIATIONS.contains(&letters.as_str()) {
            return None; // "aanslag 2021 IB", "2024 BV"
        }
        // with the house number when there is one; the bare postcode is a candidate too,
        // in case the longer span loses against a more specific overlapping hit
        out.push(PiiHit {
            kind: PiiKind::Postcode,
            start: s,
            end: e,
        });
        let mut end = e;
        if let Some(h) = house.find(&text[e..]) {
            if right_ok(text, e + h.end()) {
                end = e + h.end();
                out.push(PiiHit {
                    kind: PiiKind::Postcode,
                    start: s,
                    end,
                });
            }
        }
        Some(end)
    });
}

/// Two-letter abbreviations that follow a year in tax texts more often than they are
/// postcode letters.
const YEAR_ABBREVIATIONS: &[&str] = &[
    "AD", "BV", "CV", "EU", "IB", "KG", "LH", "NV", "OB", "VA", "VB", "VH", "VS",
];

fn find_plates(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, r"[A-Z0-9]{1,3}-[A-Z0-9]{2,3}-[A-Z0-9]{1,3}");
    each_candidate(re, text, |c| {
        let m = c.get(0)?;
        let (s, e) = (m.start(), m.end());
        if !left_ok(text, s)
            || !right_ok(text, e)
            || prev_char(text, s) == Some('-')
            || next_char(text, e) == Some('-')
        {
            return None;
        }
        let shape: String = m
            .as_str()
            .chars()
            .map(|ch| match ch {
                '0'..='9' => 'D',
                'A'..='Z' => 'L',
                _ => '-',
            })
            .collect();
        if !SIDECODES.contains(&shape.as_str()) {
            return None;
        }
        out.push(PiiHit {
            kind: PiiKind::Kenteken,
            start: s,
            end: e,
        });
        Some(e)
    });
}

/// Dutch licence-plate side codes 1 to 14 (L = letter, D = digit).
const SIDECODES: &[&str] = &[
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D", "D-LLL-DD",
    "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D",
];

const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("april", 4),
    ("mei", 5),
    ("juni", 6),
    ("juli", 7),
    ("augustus", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mrt", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("okt", 10),
    ("nov", 11),
    ("dec", 12),
];

fn find_birth_dates(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &RE,
        concat!(
            r"([0-9]{1,2})([-/.])([0-9]{1,2})([-/.])([0-9]{4}|[0-9]{2})",
            r"|([0-9]{4})-([0-9]{2})-([0-9]{2})",
            r"|([0-9]{1,2}) +((?i:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec))\.? +([0-9]{4})",
        ),
    );
    each_candidate(re, text, |c| {
        let m = c.get(0)?;
        let (s, e) = (m.start(), m.end());
        if !left_ok(text, s) || !right_ok(text, e) {
            return None;
        }
        let num = |i: usize| c.get(i).and_then(|g| g.as_str().parse::<u32>().ok());
        let (day, month, year) = if c.get(1).is_some() {
            if c.get(2)?.as_str() != c.get(4)?.as_str() {
                return None;
            }
            let y = num(5)?;
            (
                num(1)?,
                num(3)?,
                if c.get(5)?.len() == 4 { Some(y) } else { None },
            )
        } else if c.get(6).is_some() {
            (num(8)?, num(7)?, num(6))
        } else {
            let name = c.get(10)?.as_str().to_lowercase();
            let month = MONTHS.iter().find(|(n, _)| *n == name)?.1;
            (num(9)?, month, num(11))
        };
        if !(1..=31).contains(&day)
            || !(1..=12).contains(&month)
            || year.is_some_and(|y| !(1880..=2100).contains(&y))
        {
            return None;
        }
        if !has_birth_cue(&text[..s]) {
            return None;
        }
        out.push(PiiHit {
            kind: PiiKind::Geboortedatum,
            start: s,
            end: e,
        });
        Some(e)
    });
}

const BIRTH_CUES: &[&str] = &[
    "geboren",
    "gebooren",
    "geb",
    "geboortedatum",
    "geboortedag",
    "geb.datum",
    "geb.dat",
    "geboorte",
];

/// Words that end the clause in which a birth cue is valid.
const CLAUSE_BREAKS: &[&str] = &[
    "en",
    "maar",
    "toen",
    "nadat",
    "omdat",
    "want",
    "dus",
    "sinds",
    "vanaf",
    "tot",
    "per",
    "waarna",
    "terwijl",
    "daarna",
    "later",
    "overleden",
    "overlijden",
    "ontving",
    "ontvangen",
];

/// Abbreviations that end in a dot without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "dhr", "mevr", "mw", "mr", "dr", "drs", "ir", "ing", "nr", "bijv", "o.a", "ca", "jl", "e.d",
    "etc", "st", "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov",
    "dec", "tel", "art", "z.g", "i.v.m", "m.b.t", "t.a.v",
];

/// Name particles (never counted as words between a cue and a date).
const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "in", "op", "la", "le", "du",
    "von", "el",
];

/// A birth cue among the last few words before the date, within the same clause.
/// Only plain lowercase words count towards the distance (numbers, names, particles,
/// month names and placeholders do not), so masking other findings does not change it.
fn has_birth_cue(before: &str) -> bool {
    static DATE_TOKEN: OnceLock<Regex> = OnceLock::new();
    let date_token = regex(
        &DATE_TOKEN,
        r"^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}$|^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    );
    const MAX_WORDS: usize = 3;
    let mut counted = 0;
    for tok in before.split_whitespace().rev() {
        if tok.contains('[') || tok.contains(']') {
            // a placeholder left by `mask`: another date of birth ends the clause, other
            // placeholders are neither cues nor counted words
            if tok.contains("[geboortedatum") || ends_sentence(tok) {
                return false;
            }
            continue;
        }
        let core = tok.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'');
        let lower = core.to_lowercase();
        let bare = lower.trim_end_matches('.');
        if BIRTH_CUES.contains(&bare) {
            return true;
        }
        let is_month = MONTHS.iter().any(|(n, _)| *n == bare);
        if CLAUSE_BREAKS.contains(&bare)
            || date_token.is_match(bare)
            || (is_month && core.chars().all(|c| c.is_lowercase() || c == '.'))
        {
            // another clause, or another date between the cue and this one
            return false;
        }
        if ends_sentence(tok) {
            return false;
        }
        let plain_word = !bare.is_empty() && bare.chars().all(|c| c.is_lowercase());
        if plain_word
            && core.chars().all(|c| c.is_lowercase() || c == '.')
            && !is_month
            && !PARTICLES.contains(&bare)
        {
            counted += 1;
            if counted > MAX_WORDS {
                return false;
            }
        }
    }
    false
}

/// The token ends a sentence: its last character (before closing quotes and brackets)
/// is ".", "!", "?" or ";", and a final dot does not close an initial ("J.", "o.a.") or
/// a known abbreviation ("geb.", "dhr.", "mrt.").
fn ends_sentence(tok: &str) -> bool {
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
            !(n == 1 || (n > 1 && ABBREVIATIONS.contains(&word.to_lowercase().as_str())))
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------
// names

const PREFIX_RE: &str = r"(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|[Tt]e|[Hh]et|'t|[Ii]n|[Oo]p|[Ll]a|[Ll]e|[Dd]u|[Vv]on|[Ee]l)";
const CAP_RE: &str = r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)*";

/// Capitalised words that are not names.
const STOP_CAPS: &[&str] = &[
    "de",
    "het",
    "een",
    "en",
    "of",
    "maar",
    "ik",
    "jij",
    "je",
    "u",
    "hij",
    "zij",
    "ze",
    "wij",
    "we",
    "jullie",
    "dit",
    "dat",
    "die",
    "deze",
    "daar",
    "hier",
    "er",
    "toen",
    "dan",
    "als",
    "omdat",
    "want",
    "dus",
    "ook",
    "nog",
    "niet",
    "wel",
    "geen",
    "in",
    "op",
    "bij",
    "met",
    "voor",
    "na",
    "naar",
    "om",
    "over",
    "uit",
    "van",
    "tot",
    "door",
    "per",
    "sinds",
    "vanaf",
    "volgens",
    "namens",
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "belastingdienst",
    "toeslagen",
    "douane",
    "gemeente",
    "bsn",
    "iban",
];

/// Common Dutch first names (and a few frequent names of other origin).
pub const FIRST_NAMES: &[&str] = &[
    "Aad",
    "Abdel",
    "Abraham",
    "Ad",
    "Adriaan",
    "Adriana",
    "Adrianus",
    "Ahmed",
    "Aisha",
    "Albert",
    "Ali",
    "Amber",
    "Anita",
    "Anja",
    "Anna",
    "Anne",
    "Anneke",
    "Annemarie",
    "Annemieke",
    "Annie",
    "Anouk",
    "Ans",
    "Anton",
    "Antonius",
    "Arie",
    "Arjan",
    "Arjen",
    "Arnold",
    "Astrid",
    "Ayoub",
    "Bart",
    "Bas",
    "Bauke",
    "Bep",
    "Bernard",
    "Bert",
    "Bianca",
    "Bilal",
    "Bram",
    "Brenda",
    "Carla",
    "Caroline",
    "Casper",
    "Catharina",
    "Chantal",
    "Charlotte",
    "Chris",
    "Christiaan",
    "Claudia",
    "Cor",
    "Cornelia",
    "Cornelis",
    "Corrie",
    "Daan",
    "Daniel",
    "Daniël",
    "Daphne",
    "David",
    "Debby",
    "Demi",
    "Denise",
    "Dennis",
    "Dewi",
    "Diana",
    "Dianne",
    "Dick",
    "Diny",
    "Dirk",
    "Dorien",
    "Douwe",
    "Durk",
    "Edwin",
    "Eline",
    "Elisabeth",
    "Elise",
    "Ellen",
    "Elly",
    "Els",
    "Emily",
    "Emma",
    "Eric",
    "Erica",
    "Erik",
    "Ernst",
    "Esmee",
    "Esther",
    "Eva",
    "Eveline",
    "Evert",
    "Evi",
    "Fatima",
    "Femke",
    "Fenna",
    "Fenne",
    "Ferdinand",
    "Finn",
    "Fleur",
    "Floor",
    "Floris",
    "Francien",
    "Frank",
    "Frans",
    "Frits",
    "Geert",
    "Geertruida",
    "Gerard",
    "Gerben",
    "Gerda",
    "Gerrit",
    "Gert",
    "Gijs",
    "Greet",
    "Guus",
    "Hamza",
    "Hanna",
    "Hannah",
    "Hanneke",
    "Hans",
    "Harm",
    "Harry",
    "Hassan",
    "Hatice",
    "Heleen",
    "Hendrik",
    "Hendrika",
    "Hendrikus",
    "Henk",
    "Henri",
    "Herman",
    "Hidde",
    "Hugo",
    "Huib",
    "Ibrahim",
    "Ilse",
    "Ineke",
    "Inge",
    "Ingrid",
    "Irene",
    "Iris",
    "Isa",
    "Ivo",
    "Jaap",
    "Jacob",
    "Jacobus",
    "Jacqueline",
    "Jan",
    "Jan-Willem",
    "Janneke",
    "Jannie",
    "Jantine",
    "Jasmijn",
    "Jasper",
    "Jayden",
    "Jelle",
    "Jens",
    "Jeroen",
    "Jesse",
    "Jessica",
    "Jet",
    "Johan",
    "Johanna",
    "Johannes",
    "Joke",
    "Jolanda",
    "Joop",
    "Joost",
    "Jop",
    "Joris",
    "Jos",
    "José",
    "Jouke",
    "Jozef",
    "Judith",
    "Julia",
    "Julian",
    "Julie",
    "Jurgen",
    "Karim",
    "Karin",
    "Karlijn",
    "Kees",
    "Kevin",
    "Khadija",
    "Kim",
    "Klaas",
    "Koen",
    "Koos",
    "Lars",
    "Laura",
    "Leendert",
    "Lena",
    "Levi",
    "Liesbeth",
    "Lieke",
    "Lieve",
    "Linda",
    "Lisa",
    "Lisanne",
    "Liv",
    "Lodewijk",
    "Loes",
    "Lonneke",
    "Lotte",
    "Lucas",
    "Lucia",
    "Luuk",
    "Maaike",
    "Maarten",
    "Malika",
    "Manon",
    "Marcel",
    "Marco",
    "Margreet",
    "Maria",
    "Marianne",
    "Marie",
    "Marieke",
    "Marjolein",
    "Mark",
    "Marleen",
    "Marloes",
    "Martijn",
    "Martin",
    "Martine",
    "Mathijs",
    "Matthijs",
    "Maurits",
    "Mees",
    "Mehmet",
    "Meike",
    "Melissa",
    "Merel",
    "Michel",
    "Michiel",
    "Mien",
    "Milan",
    "Miriam",
    "Mirjam",
    "Mohamed",
    "Mohammed",
    "Monica",
    "Monique",
    "Mustafa",
    "Myrthe",
    "Nadia",
    "Naomi",
    "Natasja",
    "Nick",
    "Nico",
    "Nicole",
    "Niels",
    "Nina",
    "Noa",
    "Noah",
    "Noor",
    "Nora",
    "Olaf",
    "Olivia",
    "Omar",
    "Onno",
    "Oscar",
    "Otto",
    "Patricia",
    "Patrick",
    "Paul",
    "Paula",
    "Peter",
    "Petra",
    "Petrus",
    "Piet",
    "Pieter",
    "Pim",
    "Priscilla",
    "Quinten",
    "Reinier",
    "Remco",
    "Renate",
    "René",
    "Ria",
    "Rianne",
    "Richard",
    "Riek",
    "Riet",
    "Rik",
    "Rick",
    "Rob",
    "Robert",
    "Robin",
    "Roel",
    "Ronald",
    "Roos",
    "Rosa",
    "Ruben",
    "Rudolf",
    "Rutger",
    "Ruud",
    "Saar",
    "Sabine",
    "Sam",
    "Samira",
    "Sander",
    "Sandra",
    "Sanne",
    "Sara",
    "Sarah",
    "Saskia",
    "Sebastiaan",
    "Sem",
    "Siem",
    "Sietse",
    "Simon",
    "Simone",
    "Sjoerd",
    "Sofie",
    "Sophia",
    "Sophie",
    "Stefan",
    "Stijn",
    "Suzanne",
    "Sven",
    "Tamara",
    "Tanja",
    "Tess",
    "Teun",
    "Thea",
    "Theo",
    "Thijmen",
    "Thijs",
    "Thomas",
    "Tim",
    "Tineke",
    "Tjeerd",
    "Tom",
    "Ton",
    "Trijntje",
    "Truus",
    "Twan",
    "Tygo",
    "Vera",
    "Victor",
    "Vincent",
    "Wendy",
    "Wessel",
    "Wiebe",
    "Wilco",
    "Wilhelmina",
    "Willem",
    "Willemijn",
    "Wilma",
    "Wim",
    "Wouter",
    "Yannick",
    "Yara",
    "Yasmina",
    "Youssef",
    "Yvonne",
    "Zeynep",
    "Zoë",
];

/// Common Dutch surnames, with their particles.
pub const SURNAMES: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Bruin",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "de Jonge",
    "Kuipers",
    "van Veen",
    "Post",
    "Kuiper",
    "Veenstra",
    "Kramer",
    "van den Brink",
    "Scholten",
    "van Wijk",
    "Postma",
    "Martens",
    "Vink",
    "de Ruiter",
    "Timmermans",
    "Groen",
    "Gerritsen",
    "Jonker",
    "van Loon",
    "Boer",
    "van der Velde",
    "Willemsen",
    "Smeets",
    "de Lange",
    "de Vos",
    "Bosch",
    "van Dongen",
    "Schipper",
    "de Koning",
    "van der Laan",
    "Koning",
    "van der Velden",
    "Driessen",
    "van Doorn",
    "Hermans",
    "Evers",
    "van den Bosch",
    "van der Meulen",
    "Hofman",
    "Bosman",
    "Wolters",
    "Sanders",
    "van der Horst",
    "Mol",
    "Kuijpers",
    "Molenaar",
    "van de Pol",
    "de Leeuw",
    "Verbeek",
    "Hoogendoorn",
    "Verschuren",
    "Claassen",
    "van Rijn",
    "Zwart",
    "Wouters",
    "Bouwman",
    "Mertens",
    "Goossens",
    "Aarts",
    "Dijkman",
    "Verbruggen",
    "Hendriksen",
    "Klein",
    "Koopman",
    "van Os",
    "de Ridder",
    "Veldman",
    "Beekman",
    "Meijers",
    "Schut",
    "Stam",
    "Wessels",
    "van der Poel",
    "Dirks",
    "van Essen",
    "Kroon",
    "Verhagen",
    "Boom",
    "Rutten",
    "van der Hoek",
    "Groot",
    "de Kok",
    "de Kort",
    "Nijhuis",
    "Brink",
    "van Rooij",
    "Pieters",
    "van Wijngaarden",
    "van der Kooij",
    "Bouma",
    "Visscher",
    "Heijnen",
    "Franken",
    "Hendrix",
    "Bruins",
    "Steenbergen",
    "Zijlstra",
    "Terpstra",
    "Sluiter",
    "van Dijken",
    "de Jager",
    "Jager",
    "Huizinga",
    "Reijnders",
    "Kamphuis",
    "Oosterhuis",
    "Mulders",
    "Brinkman",
    "Tol",
    "van Zanten",
    "Wolff",
    "de Wolf",
    "Koch",
    "Kuijper",
    "van Kampen",
    "van der Bijl",
    "Boon",
    "Beukers",
    "Hoogland",
    "Lammers",
    "van Gils",
    "Derksen",
    "Arts",
    "Cornelissen",
    "Geerts",
    "Lubbers",
    "Pronk",
    "Rietveld",
    "van Vugt",
    "Hoekman",
    "de Heer",
    "Wijnen",
    "van Schaik",
    "van Hout",
    "Bakkers",
    "Bekker",
    "Boers",
    "Bijlsma",
    "Brands",
    "Bruggeman",
    "Dam",
    "van Deursen",
    "Dijk",
    "Doorn",
    "Eijk",
    "van Eijk",
    "Elzinga",
    "Faber",
    "Fransen",
    "Gerrits",
    "Geurts",
    "Goudsmit",
    "de Goede",
    "Haverkamp",
    "Heemskerk",
    "van Herwaarden",
    "Hoeks",
    "Hofstede",
    "Holleman",
    "Hoving",
    "Huijbregts",
    "Jacobse",
    "Jongsma",
    "Kersten",
    "Keizer",
    "Kemper",
    "Klaassen",
    "Knoop",
    "Kolk",
    "van der Kolk",
    "Koopmans",
    "Kortekaas",
    "Kremer",
    "Kruijt",
    "Kuijt",
    "Laan",
    "Lambers",
    "Langeveld",
    "Leenders",
    "Lodewijks",
    "Looman",
    "Maassen",
    "Meulenbroek",
    "Mooij",
    "Mostert",
    "Nieuwenhuis",
    "Nijland",
    "Noordhuis",
    "Oosterveld",
    "van Oort",
    "Ouwehand",
    "Pauw",
    "Plas",
    "van der Plas",
    "Poels",
    "Polman",
    "Raaijmakers",
    "Remmers",
    "Roelofs",
    "Roos",
    "Ruiter",
    "Schaap",
    "Schilder",
    "Schreuder",
    "Siebers",
    "Sijbesma",
    "Sloot",
    "Snel",
    "Spaans",
    "Spijker",
    "Staal",
    "van Steen",
    "Stevens",
    "Swart",
    "Teunissen",
    "Thijssen",
    "Tromp",
    "Uijttewaal",
    "Valk",
    "de Valk",
    "Veenman",
    "van der Ven",
    "Verheij",
    "Verhoef",
    "Vermeer",
    "Verweij",
    "Vissers",
    "Vlaar",
    "de Vlieger",
    "Vogel",
    "Vogels",
    "Vonk",
    "Vrolijk",
    "de Waal",
    "Wagenaar",
    "Westerhof",
    "van Wezel",
    "Wiersma",
    "Wijers",
    "Wijnands",
    "Winkel",
    "Witteveen",
    "van Zon",
    "Zuidema",
    "van der Zee",
    "Yilmaz",
    "El Amrani",
    "Bulut",
    "Kaya",
    "Demir",
    "Öztürk",
];

fn first_names() -> &'static BTreeSet<String> {
    static SET: OnceLock<BTreeSet<String>> = OnceLock::new();
    SET.get_or_init(|| FIRST_NAMES.iter().map(|n| n.to_lowercase()).collect())
}

/// Surname cores: the surnames without their particles, lowercased.
fn surname_cores() -> &'static BTreeSet<String> {
    static SET: OnceLock<BTreeSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        SURNAMES
            .iter()
            .filter_map(|n| {
                n.split_whitespace()
                    .find(|w| !PARTICLES.contains(&w.to_lowercase().as_str()))
                    .map(|w| w.to_lowercase())
            })
            .collect()
    })
}

fn is_stop_cap(word: &str) -> bool {
    let w = word.to_lowercase();
    STOP_CAPS.contains(&w.as_str()) || PARTICLES.contains(&w.as_str())
}

fn find_names(text: &str, out: &mut Vec<PiiHit>) {
    static TITLE: OnceLock<Regex> = OnceLock::new();
    static FIRST: OnceLock<Regex> = OnceLock::new();
    static INITIALS: OnceLock<Regex> = OnceLock::new();
    let tail = format!(r"((?:{PREFIX_RE} +)*)({CAP_RE})(?: +((?:{PREFIX_RE} +)*)({CAP_RE}))?\b");
    let title = regex(
        &TITLE,
        &format!(
            r"(?i:\b(?:mevrouw|meneer|mevr\.|mevr|mw\.|mw|dhr\.|dhr|de +heer)) +((?:\p{{Lu}}\. ?){{0,4}}) *{tail}"
        ),
    );
    let first = regex(
        &FIRST,
        &format!(
            r"\b(\p{{Lu}}\p{{Ll}}+(?:-\p{{Lu}}\p{{Ll}}+)?) +((?:\p{{Lu}}\. ?){{0,4}}) *{tail}"
        ),
    );
    let initials = regex(
        &INITIALS,
        &format!(r"\b((?:\p{{Lu}}\. ?){{1,4}}) *((?:{PREFIX_RE} +)*)({CAP_RE})\b"),
    );

    // title + name: span covers the name only, not the title
    each_candidate(title, text, |c| {
        let core = c.get(3)?;
        if is_stop_cap(core.as_str()) {
            return None;
        }
        let start = [c.get(1), c.get(2), c.get(3)]
            .into_iter()
            .flatten()
            .find(|g| !g.as_str().is_empty())?
            .start();
        let end = match c.get(5) {
            Some(second) if !is_stop_cap(second.as_str()) => second.end(),
            _ => core.end(),
        };
        out.push(PiiHit {
            kind: PiiKind::Naam,
            start,
            end,
        });
        Some(end)
    });
    // first name from the list + surname
    each_candidate(first, text, |c| {
        let given = c.get(1)?;
        let core = c.get(4)?;
        if !first_names().contains(&given.as_str().to_lowercase()) || is_stop_cap(core.as_str()) {
            return None;
        }
        let core_is_given = first_names().contains(&core.as_str().to_lowercase())
            && c.get(3).is_some_and(|p| p.as_str().is_empty());
        let end = match c.get(6) {
            Some(second) if core_is_given && !is_stop_cap(second.as_str()) => second.end(),
            _ => core.end(),
        };
        out.push(PiiHit {
            kind: PiiKind::Naam,
            start: given.start(),
            end,
        });
        Some(end)
    });
    // initials + a surname from the list
    each_candidate(initials, text, |c| {
        let m = c.get(0)?;
        let core = c.get(3)?;
        if !surname_cores().contains(&core.as_str().to_lowercase()) {
            return None;
        }
        out.push(PiiHit {
            kind: PiiKind::Naam,
            start: m.start(),
            end: m.end(),
        });
        Some(m.end())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (kind, matched text) for every hit.
    fn found(text: &str) -> Vec<(PiiKind, &str)> {
        scan(text)
            .into_iter()
            .map(|h| (h.kind, &text[h.start..h.end]))
            .collect()
    }

    fn found_kind(text: &str, kind: PiiKind) -> Vec<&str> {
        found(text)
            .into_iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, s)| s)
            .collect()
    }

    fn assert_hits(kind: PiiKind, text: &str, expected: &str) {
        assert_eq!(found_kind(text, kind), vec![expected], "in {text:?}");
    }

    fn assert_no_hit(kind: PiiKind, text: &str) {
        assert!(
            found_kind(text, kind).is_empty(),
            "unexpected {kind:?} in {text:?}: {:?}",
            found(text)
        );
    }

    #[test]
    fn labels_and_warning() {
        assert_eq!(PiiKind::Bsn.label(), "BSN");
        assert_eq!(PiiKind::Telefoon.label(), "telefoonnummer");
        assert_eq!(PiiKind::Email.label(), "e-mailadres");
        assert!(PiiKind::Naam.is_warning_only());
        assert!(!PiiKind::Bsn.is_warning_only());
        assert!(!PiiKind::Geboortedatum.is_warning_only());
        assert_eq!(
            serde_json::to_string(&PiiKind::Geboortedatum).unwrap(),
            "\"geboortedatum\""
        );
    }

    #[test]
    fn bsn_elfproef() {
        for ok in [
            "111222333",
            "123456782",
            "012345672",
            "12345672",
            "999999990",
            "100000009",
        ] {
            assert!(is_valid_bsn(ok), "{ok}");
        }
        for bad in [
            "123456789",
            "234567891",
            "987654321",
            "000000000",
            "12345678",
            "1234567",
            "12345678a",
            "1234567820",
        ] {
            assert!(!is_valid_bsn(bad), "{bad}");
        }
        assert!(is_valid_bsn("123.456.782"));
    }

    #[test]
    fn bsn_in_text() {
        assert_hits(PiiKind::Bsn, "BSN 111222333 van klant", "111222333");
        assert_hits(PiiKind::Bsn, "bsn: 123.456.782.", "123.456.782");
        assert_hits(PiiKind::Bsn, "nummer 123 456 782, zie", "123 456 782");
        assert_hits(
            PiiKind::Bsn,
            "burgerservicenummer 1234.56.782",
            "1234.56.782",
        );
        assert_hits(PiiKind::Bsn, "(999999990)", "999999990");
        assert_hits(PiiKind::Bsn, "BSN 12345672 (oud)", "12345672");
        // negatives
        assert_no_hit(PiiKind::Bsn, "nummer 123456789 faalt de elfproef");
        assert_no_hit(PiiKind::Bsn, "zaak 1111222333 is te lang");
        assert_no_hit(PiiKind::Bsn, "bedrag € 111.222.333 gevorderd");
        assert_no_hit(PiiKind::Bsn, "123.456-782 gemengde scheiding");
        assert_no_hit(PiiKind::Bsn, "oude code 12345672 zonder aanduiding");
        assert_no_hit(PiiKind::Bsn, "kenmerk 2025-000123 en € 1.234,56");
        assert_no_hit(PiiKind::Bsn, "111222333,50 euro");
        // the placeholder written by mask is not a cue for an 8-digit number
        assert_no_hit(PiiKind::Bsn, "[BSN] 12345672");
        assert_no_hit(PiiKind::Bsn, "BSN 06 1234 5678 12345672");
    }

    #[test]
    fn iban_check() {
        for ok in [
            "NL91ABNA0417164300",
            "NL91 ABNA 0417 1643 00",
            "GB82WEST12345698765432",
            "DE89370400440532013000",
            "BE68539007547034",
            "FR1420041010050500013M02606",
            "nl91abna0417164300",
        ] {
            assert!(is_valid_iban(ok), "{ok}");
        }
        for bad in [
            "NL91ABNA0417164301",
            "NL91ABNA041716430",
            "GB82WEST12345698765433",
            "DE8937040044053201300",
            "NL9112340417164300",
            "XX",
        ] {
            assert!(!is_valid_iban(bad), "{bad}");
        }
    }

    #[test]
    fn iban_in_text() {
        assert_hits(
            PiiKind::Iban,
            "rekening NL91ABNA0417164300.",
            "NL91ABNA0417164300",
        );
        assert_hits(
            PiiKind::Iban,
            "IBAN NL91 ABNA 0417 1643 00 op naam",
            "NL91 ABNA 0417 1643 00",
        );
        assert_hits(
            PiiKind::Iban,
            "via GB82 WEST 1234 5698 7654 32",
            "GB82 WEST 1234 5698 7654 32",
        );
        assert_hits(
            PiiKind::Iban,
            "(DE89370400440532013000)",
            "DE89370400440532013000",
        );
        assert_hits(
            PiiKind::Iban,
            "BE68 5390 0754 7034 en meer",
            "BE68 5390 0754 7034",
        );
        assert_no_hit(PiiKind::Iban, "rekening NL91ABNA0417164301");
        assert_no_hit(PiiKind::Iban, "XNL91ABNA0417164300");
        assert_no_hit(PiiKind::Iban, "NL91ABNA0417164300X");
        assert_no_hit(PiiKind::Iban, "code NL12 ABCD 1234");
        assert_no_hit(PiiKind::Iban, "box NL20 en 2025-000123");
        // the IBAN wins over the digits inside it
        assert_eq!(
            found("NL20INGB0001234567"),
            vec![(PiiKind::Iban, "NL20INGB0001234567")]
        );
    }

    #[test]
    fn phone_numbers() {
        for (text, num) in [
            ("bel 06-12345678 na vijf", "06-12345678"),
            ("bel 06 1234 5678.", "06 1234 5678"),
            ("bel 0612345678", "0612345678"),
            ("tel. 020-1234567", "020-1234567"),
            ("tel 010 123 45 67 (werk)", "010 123 45 67"),
            ("mobiel +31 6 12345678", "+31 6 12345678"),
            ("+31(0)20 1234567 kantoor", "+31(0)20 1234567"),
            ("0031 6 12345678", "0031 6 12345678"),
            ("gratis 0800-0543", "0800-0543"),
            ("info 0900-1234567", "0900-1234567"),
            ("(020) 1234567", "(020) 1234567"),
            ("+31612345678", "+31612345678"),
        ] {
            assert_hits(PiiKind::Telefoon, text, num);
        }
        for text in [
            "kenmerk 2025-000123",
            "bedrag € 1.234,56",
            "nummer 061234567 is te kort",
            "nummer 06123456789 is te lang",
            "0012345678 begint met 00",
            "datum 12-03-1961",
            "06-12-34-5678 te veel streepjes",
            "abc0612345678",
        ] {
            assert_no_hit(PiiKind::Telefoon, text);
        }
    }

    #[test]
    fn emails() {
        for (text, addr) in [
            ("mail jan@example.nl.", "jan@example.nl"),
            (
                "<j.de.vries+bb@sub.voorbeeld.com>",
                "j.de.vries+bb@sub.voorbeeld.com",
            ),
            ("a_b@x-y.org,", "a_b@x-y.org"),
            ("INFO@BEDRIJF.NL", "INFO@BEDRIJF.NL"),
            (
                "(piet.jansen@gemeente.utrecht.nl)",
                "piet.jansen@gemeente.utrecht.nl",
            ),
        ] {
            assert_hits(PiiKind::Email, text, addr);
        }
        for text in [
            "jan@",
            "@example.nl",
            "jan@example",
            "jan at example.nl",
            "jan@example.n1",
        ] {
            assert_no_hit(PiiKind::Email, text);
        }
    }

    #[test]
    fn postcodes() {
        for (text, pc) in [
            ("woont in 1234 AB Utrecht", "1234 AB"),
            ("adres 1234AB", "1234AB"),
            ("2511 CV 12 Den Haag", "2511 CV 12"),
            ("9711ab, Groningen", "9711ab"),
            ("postcode 3511 LK 7a.", "3511 LK 7a"),
        ] {
            assert_hits(PiiKind::Postcode, text, pc);
        }
        for text in [
            "1234 SS Plaats",
            "0123 AB begint met nul",
            "12345 AB te veel cijfers",
            "aanslag 2021 IB",
            "in 2024 EU-breed",
            "1234 ab met spatie en kleine letters",
            "1234ABC",
        ] {
            assert_no_hit(PiiKind::Postcode, text);
        }
    }

    #[test]
    fn birth_dates() {
        for (text, d) in [
            ("geboren op 3 maart 1961 in Zwolle", "3 maart 1961"),
            ("Mevrouw (geb. 12-03-1961) belde", "12-03-1961"),
            ("geboortedatum: 1/2/61", "1/2/61"),
            ("geb 01.02.1999", "01.02.1999"),
            ("zij is gebooren op 5 okt. 1930", "5 okt. 1930"),
            ("geboren in Utrecht op 1961-03-12", "1961-03-12"),
            ("Geboren de Vries, op 7 mei 1950", "7 mei 1950"),
        ] {
            assert_hits(PiiKind::Geboortedatum, text, d);
        }
        // (text, a date in it that is not a date of birth)
        for (text, date) in [
            ("op 12-03-2025 ontving zij de aanslag", "12-03-2025"),
            (
                "Zij is geboren in Utrecht. Op 12-03-2025 kwam de brief",
                "12-03-2025",
            ),
            (
                "geboren in 1961 en op 12-03-2025 ontving zij de aanslag",
                "12-03-2025",
            ),
            (
                "geboren 3 maart 1961, overleden 4 april 2020",
                "4 april 2020",
            ),
            (
                "geboren en getogen, woonde zij lang alleen op 12-03-1990",
                "12-03-1990",
            ),
            ("geboren op 32-13-1961", "32-13-1961"),
            (
                "(geb. 3 maart 1961) belde op 12-03-2025 over de aanslag",
                "12-03-2025",
            ),
            (
                "de termijn liep van 1 januari 2024 tot 3 maart 2024",
                "3 maart 2024",
            ),
            (
                "de termijn liep van 1 januari 2024 tot 3 maart 2024",
                "1 januari 2024",
            ),
        ] {
            let hits = found_kind(text, PiiKind::Geboortedatum);
            assert!(!hits.contains(&date), "{text:?}: {hits:?}");
        }
        assert_eq!(
            found_kind(
                "geboren 3 maart 1961, overleden 4 april 2020",
                PiiKind::Geboortedatum
            ),
            vec!["3 maart 1961"]
        );
    }

    #[test]
    fn licence_plates() {
        for (text, p) in [
            ("auto 12-ABC-3 gezien", "12-ABC-3"),
            ("kenteken AB-123-C.", "AB-123-C"),
            ("1-ABC-23", "1-ABC-23"),
            ("(XX-99-99)", "XX-99-99"),
            ("GB-12-HJ", "GB-12-HJ"),
            ("wagen 99-XX-99 en", "99-XX-99"),
        ] {
            assert_hits(PiiKind::Kenteken, text, p);
        }
        for text in [
            "BOX-3 heffing",
            "ABC-123-DEF",
            "12-03-1961",
            "AB-CD-EF",
            "ab-123-c",
            "NL-12-AB-34",
            "2025-000123",
        ] {
            assert_no_hit(PiiKind::Kenteken, text);
        }
    }

    #[test]
    fn names_are_warnings() {
        for (text, n) in [
            ("Gesprek met mevrouw Jansen over de schuld", "Jansen"),
            ("de heer Van der Berg belde", "Van der Berg"),
            ("dhr. J.P. de Vries", "J.P. de Vries"),
            ("Jan de Vries kreeg een aanslag", "Jan de Vries"),
            ("volgens Fatima El Amrani klopt het", "Fatima El Amrani"),
            ("Jan Willem van der Meer", "Jan Willem van der Meer"),
            ("brief aan A. Bakker", "A. Bakker"),
            ("Mw. Yilmaz kwam langs", "Yilmaz"),
            ("Anna Schouten-de Boer", "Anna Schouten"),
        ] {
            assert_hits(PiiKind::Naam, text, n);
        }
        for text in [
            "de Jong in het midden van een zin",
            "Volgens de Belastingdienst klopt het",
            "In Den Haag was het druk",
            "mevrouw en meneer zonder naam",
            "Het Wijkteam belde",
            "B. Belastingkantoor",
            "Bij Toeslagen lag het dossier",
        ] {
            assert_no_hit(PiiKind::Naam, text);
        }
    }

    #[test]
    fn mixed_text_and_mask() {
        let text = "Dhr. P. Jansen, 1234 AB 5, tel 06-12345678, jan@x.nl, NL91ABNA0417164300, \
                    BSN 111222333, auto 12-ABC-3, geboren 1-2-1960. Op 12-03-2025 kwam de aanslag \
                    van € 1.234,56 (kenmerk 2025-000123).";
        let kinds: Vec<PiiKind> = scan(text).iter().map(|h| h.kind).collect();
        assert_eq!(
            kinds,
            vec![
                PiiKind::Naam,
                PiiKind::Postcode,
                PiiKind::Telefoon,
                PiiKind::Email,
                PiiKind::Iban,
                PiiKind::Bsn,
                PiiKind::Kenteken,
                PiiKind::Geboortedatum,
            ]
        );
        assert_eq!(
            mask(text, &scan(text)),
            "Dhr. [naam], [postcode], tel [telefoon], [e-mail], [IBAN], \
             BSN [BSN], auto [kenteken], geboren [geboortedatum]. Op 12-03-2025 kwam de aanslag \
             van € 1.234,56 (kenmerk 2025-000123)."
        );
        // overlapping or broken hits are skipped by mask
        let hits = vec![
            PiiHit {
                kind: PiiKind::Bsn,
                start: 0,
                end: 4,
            },
            PiiHit {
                kind: PiiKind::Naam,
                start: 2,
                end: 6,
            },
            PiiHit {
                kind: PiiKind::Email,
                start: 8,
                end: 100,
            },
        ];
        assert_eq!(mask("abcdefghij", &hits), "[BSN]efghij");
    }

    #[test]
    fn multibyte_text_does_not_break_offsets() {
        let text = "Zoë Öztürk — tel 06-12345678 “geboren 3 maart 1961” ñ";
        let got = found(text);
        assert!(got.contains(&(PiiKind::Telefoon, "06-12345678")));
        assert!(got.contains(&(PiiKind::Geboortedatum, "3 maart 1961")));
        assert!(got.contains(&(PiiKind::Naam, "Zoë Öztürk")));
    }

    fn fragment() -> impl Strategy<Value = String> {
        let vocab = vec![
            "geboren",
            "geb.",
            "op",
            "06-12345678",
            "0612345678",
            "111222333",
            "123.456.782",
            "NL91ABNA0417164300",
            "NL91",
            "ABNA",
            "0417",
            "1643",
            "00",
            "1234",
            "AB",
            "1234AB",
            "12-ABC-3",
            "AB-12",
            "mevrouw",
            "Jan",
            "de",
            "van der",
            "Vries",
            "J.",
            "3 maart 1961",
            "maart",
            "12-03-1961",
            "1961",
            ".",
            ",",
            "-",
            "[",
            "]",
            "(",
            ")",
            "+31",
            "0031",
            "6",
            "(0)20",
            "@",
            "jan@example.nl",
            "x.nl",
            "€",
            "2025-000123",
            "020",
            "1234567",
            "12",
            "3",
            "0800",
            "[naam]",
            "[BSN]",
            "en",
            "Zoë",
            "ß",
            "\n",
        ];
        prop_oneof![
            "\\PC{0,6}",
            proptest::sample::select(vocab).prop_map(String::from),
        ]
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            (
                fragment(),
                proptest::sample::select(vec!["", " ", " ", "  ", "-", "."]),
            ),
            0..14,
        )
        .prop_map(|parts| parts.into_iter().map(|(f, s)| f + s).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn scan_is_total_and_masking_is_final(text in text_strategy()) {
            let hits = scan(&text);
            let mut last_end = 0;
            for h in &hits {
                prop_assert!(h.start < h.end && h.end <= text.len());
                prop_assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
                prop_assert!(h.start >= last_end);
                last_end = h.end;
            }
            let masked = mask(&text, &hits);
            let again: Vec<PiiHit> = scan(&masked)
                .into_iter()
                .filter(|h| !h.kind.is_warning_only())
                .collect();
            prop_assert!(again.is_empty(), "{:?} -> {:?}: {:?}", text, masked, again);
        }

        #[test]
        fn scan_never_panics_on_any_string(text in "\\PC{0,80}") {
            let hits = scan(&text);
            let _ = mask(&text, &hits);
        }
    }
}
