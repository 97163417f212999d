//! Personal data in free Dutch text (interim detector set; see the protect issue).

use regex::Regex;
use std::sync::LazyLock;

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
    pub fn is_warning_only(self) -> bool {
        self == PiiKind::Naam
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiiHit {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

pub fn is_valid_bsn(digits: &str) -> bool {
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 9 || d.iter().all(|x| *x == 0) {
        return false;
    }
    let s: i64 = (0..8).map(|i| (9 - i as i64) * d[i] as i64).sum::<i64>() - d[8] as i64;
    s % 11 == 0
}

pub fn is_valid_iban(s: &str) -> bool {
    let c: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if c.len() < 15 || c.len() > 34 || (c.starts_with("NL") && c.len() != 18) {
        return false;
    }
    let (head, tail) = c.split_at(4);
    let mut rem: u64 = 0;
    for ch in tail.chars().chain(head.chars()) {
        let v = match ch.to_digit(36) {
            Some(v) => v as u64,
            None => return false,
        };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

static BSN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d{3}[. ]?\d{3}[. ]?\d{3}\b|\b\d{9}\b").unwrap());
static IBAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b").unwrap());
static EMAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b").unwrap());
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\+31|0031)[ -]?(?:\(0\))?[ -]?\d(?:[ -]?\d){8}\b|\b0\d(?:[ -]?\d){8}\b").unwrap());
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[1-9]\d{3} ?(?:[A-RT-Z][A-Z]|S[BCE-RT-Z])\b").unwrap());

pub fn scan(text: &str) -> Vec<PiiHit> {
    let mut hits = Vec::new();
    for m in IBAN.find_iter(text) {
        if is_valid_iban(m.as_str()) {
            hits.push(PiiHit { kind: PiiKind::Iban, start: m.start(), end: m.end() });
        }
    }
    for m in EMAIL.find_iter(text) {
        hits.push(PiiHit { kind: PiiKind::Email, start: m.start(), end: m.end() });
    }
    for m in BSN.find_iter(text) {
        if is_valid_bsn(m.as_str()) {
            hits.push(PiiHit { kind: PiiKind::Bsn, start: m.start(), end: m.end() });
        }
    }
    for m in PHONE.find_iter(text) {
        hits.push(PiiHit { kind: PiiKind::Telefoon, start: m.start(), end: m.end() });
    }
    for m in POSTCODE.find_iter(text) {
        hits.push(PiiHit { kind: PiiKind::Postcode, start: m.start(), end: m.end() });
    }
    hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut out: Vec<PiiHit> = Vec::new();
    for h in hits {
        if out.last().is_none_or(|l| h.start >= l.end) {
            out.push(h);
        }
    }
    out
}

pub fn mask(text: &str, hits: &[PiiHit]) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for h in hits {
        out.push_str(&text[pos..h.start]);
        out.push_str(match h.kind {
            PiiKind::Bsn => "[BSN]",
            PiiKind::Iban => "[IBAN]",
            PiiKind::Telefoon => "[telefoon]",
            PiiKind::Email => "[e-mail]",
            PiiKind::Postcode => "[postcode]",
            PiiKind::Geboortedatum => "[geboortedatum]",
            PiiKind::Kenteken => "[kenteken]",
            PiiKind::Naam => "[naam]",
        });
        pos = h.end;
    }
    out.push_str(&text[pos..]);
    out
}
