//! The audit's own detectors for personal data, broader than the scrubber's.
//!
//! Works on normalised text (see [`super::normalise`]) and reports a [`Suspect`] per hit:
//! its kind and byte offset, never the value. The class is deliberately wide:
//! - any 9 digits in any grouping (spaces, dots, dashes, underscores, brackets) that pass
//!   the elfproef, also glued to a word (`BSN123456782`), and any digits after a BSN cue;
//! - any IBAN shape (2 letters, 2 digits, 4 letters, 10 digits; any separators and case),
//!   and other IBANs that pass the mod-97 check;
//! - phone numbers: 10 digits starting with 0, `+31`/`0031` with 9 digits, any `+` number;
//! - postcodes, kentekens (every sidecode), e-mail (also `(at)`, `[at]`, `dot`);
//! - dates (and bare years) near a birth or death cue; titles and `familie` with a surname.
//!
//! ```
//! use rodedraad::protect::audit::detect::{scan, SuspectKind};
//! let kinds: Vec<SuspectKind> = scan("bel 06-12-34-56-78 of mail jan(at)voorbeeld.nl").iter().map(|s| s.kind).collect();
//! assert_eq!(kinds, vec![SuspectKind::Telefoon, SuspectKind::Email]);
//! ```

use regex::Regex;
use std::sync::LazyLock;

/// What a hit looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SuspectKind {
    Bsn,
    Iban,
    Telefoon,
    Postcode,
    Kenteken,
    Email,
    Geboortedatum,
    Aanhef,
}

impl SuspectKind {
    /// Dutch description for a finding.
    pub fn label(self) -> &'static str {
        match self {
            SuspectKind::Bsn => {
                "BSN-achtig nummer (9 cijfers die de elfproef halen, of cijfers na 'BSN')"
            }
            SuspectKind::Iban => "IBAN-achtig rekeningnummer",
            SuspectKind::Telefoon => "telefoonnummer",
            SuspectKind::Postcode => "postcode",
            SuspectKind::Kenteken => "kenteken",
            SuspectKind::Email => "e-mailadres (ook verhuld)",
            SuspectKind::Geboortedatum => "geboorte- of overlijdensdatum",
            SuspectKind::Aanhef => "aanhef of 'familie' met een achternaam",
        }
    }
}

/// One hit: kind and byte offset in the scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspect {
    pub kind: SuspectKind,
    pub start: usize,
}

/// A SHA-256 checksum (64 hex digits, as the report prints for each input file): its
/// digit runs are not numbers a person has.
static SHA256: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[0-9a-f]{64}\b").unwrap());

/// Every hit in `text` (normalised), ordered by position. Checksums are blanked first
/// (same length, so positions stay).
pub fn scan(text: &str) -> Vec<Suspect> {
    let blanked = SHA256.replace_all(text, |c: &regex::Captures| "x".repeat(c[0].len()));
    let text: &str = &blanked;
    let mut out = Vec::new();
    digit_runs(text, &mut out);
    regex_hits(text, &IBAN_NL, SuspectKind::Iban, |_| true, &mut out);
    regex_hits(text, &IBAN_ANY, SuspectKind::Iban, mod97_ok, &mut out);
    regex_hits(text, &BSN_CUE, SuspectKind::Bsn, |_| true, &mut out);
    postcodes(text, &mut out);
    kentekens(text, &mut out);
    regex_hits(text, &EMAIL, SuspectKind::Email, |_| true, &mut out);
    birth_dates(text, &mut out);
    titles(text, &mut out);
    out.sort_by_key(|s| (s.start, s.kind));
    out.dedup_by_key(|s| (s.start, s.kind));
    out
}

fn regex_hits(
    text: &str,
    re: &Regex,
    kind: SuspectKind,
    accept: impl Fn(&str) -> bool,
    out: &mut Vec<Suspect>,
) {
    for m in re.find_iter(text) {
        if accept(m.as_str()) {
            out.push(Suspect {
                kind,
                start: m.start(),
            });
        }
    }
}

// ---------- digit groups: BSN and phone numbers ----------

/// A maximal digit run and the separator text before it.
struct Group {
    start: usize,
    digits: String,
    sep_before: String,
}

const SEPARATORS: &[char] = &[' ', '.', '-', '_', '(', ')', ','];

/// Splits text into runs of digit groups joined by at most three separator characters.
fn group_runs(text: &str) -> Vec<Vec<Group>> {
    let mut runs: Vec<Vec<Group>> = Vec::new();
    let mut current: Vec<Group> = Vec::new();
    let mut sep = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_ascii_digit() {
            let mut digits = String::from(c);
            while let Some(&(_, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                digits.push(d);
                chars.next();
            }
            current.push(Group {
                start: i,
                digits,
                sep_before: std::mem::take(&mut sep),
            });
        } else if SEPARATORS.contains(&c) && sep.chars().count() < 3 && !current.is_empty() {
            sep.push(c);
        } else {
            if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
            sep.clear();
            if SEPARATORS.contains(&c) {
                sep.push(c);
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The Dutch elfproef for a BSN: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11, not all zero.
pub fn elfproef(digits: &str) -> bool {
    let d: Vec<i64> = digits.bytes().map(|b| (b - b'0') as i64).collect();
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i64 = (0..8).map(|i| (9 - i as i64) * d[i]).sum::<i64>() - d[8];
    sum % 11 == 0
}

fn digit_runs(text: &str, out: &mut Vec<Suspect>) {
    for run in group_runs(text) {
        for i in 0..run.len() {
            let mut joined = String::new();
            for g in &run[i..] {
                joined.push_str(&g.digits);
                if joined.len() > 13 {
                    break;
                }
                let start = run[i].start;
                if joined.len() == 9 && elfproef(&joined) {
                    out.push(Suspect {
                        kind: SuspectKind::Bsn,
                        start,
                    });
                }
                if is_phone(&joined, &run[i], text) {
                    out.push(Suspect {
                        kind: SuspectKind::Telefoon,
                        start,
                    });
                }
            }
        }
    }
}

/// `digits` (joined from a window that starts at `first`) has the shape of a phone number.
fn is_phone(digits: &str, first: &Group, text: &str) -> bool {
    let plus = first.sep_before.is_empty() && text[..first.start].ends_with('+');
    if plus {
        return (10..=13).contains(&digits.len());
    }
    if let Some(rest) = digits.strip_prefix("0031") {
        return rest.len() == 9 || (rest.len() == 10 && rest.starts_with('0'));
    }
    digits.len() == 10 && digits.starts_with('0') && !digits.starts_with("00")
}

// ---------- IBAN ----------

static IBAN_NL: LazyLock<Regex> = LazyLock::new(|| {
    let s = r"[\s.\-_/]{0,3}";
    Regex::new(&format!(
        r"(?i)[a-z]{s}[a-z]{s}\d{s}\d{s}[a-z]{s}[a-z]{s}[a-z]{s}[a-z]{s}(?:\d{s}){{9}}\d"
    ))
    .unwrap()
});

static IBAN_ANY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,4})?\b").unwrap()
});

/// The IBAN check: move the first four characters to the end, letters to numbers, mod 97 = 1.
fn mod97_ok(s: &str) -> bool {
    let compact: Vec<char> = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if compact.len() < 15 {
        return false;
    }
    let rotated = compact[4..].iter().chain(compact[..4].iter());
    let mut rem: u64 = 0;
    for c in rotated {
        let v = c.to_digit(36).unwrap_or(0) as u64;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

static BSN_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:bsn|burgerservicenummer|sofi-?nummer|sofinr)\b[^\d\n]{0,15}\d(?:[\s.\-]?\d){6,9}")
        .unwrap()
});

// ---------- postcode and kenteken ----------

/// Two- and three-letter words and abbreviations that follow a number in ordinary Dutch text.
const SHORT_WORDS: &[&str] = &[
    "en", "de", "in", "is", "op", "te", "om", "na", "of", "al", "er", "ze", "zo", "nu", "je", "we",
    "ik", "nl", "kw", "dh", "ca", "bv", "eg", "uu", "mm", "cm", "km", "kg", "ct", "pp", "tm", "vs",
    "ex", "ja", "id", "nr", "no", "mt", "mn", "pt", "st", "sr", "jr", "hr", "wk", "hm", "dm", "ml",
    "cl", "dl", "ha", "ma", "di", "wo", "do", "vr", "za", "zo", "an", "at", "to", "on", "by", "or",
    "as", "be", "if", "it", "et", "la", "le", "du", "am", "pm", "het", "een", "van", "dat", "die",
    "wat", "wie", "hoe", "nog", "ook", "aan", "bij", "tot", "uit", "met", "per", "via", "dan",
    "als", "zij", "hun", "wel", "mee", "wij", "jij", "hij", "ons", "der", "den", "ter", "ten",
    "the", "and", "for", "kwt", "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep",
    "okt", "nov", "dec", "uur", "min", "sec", "dag", "eur",
];

fn is_short_word(s: &str) -> bool {
    let l = s.to_lowercase();
    SHORT_WORDS.contains(&l.as_str())
}

static POSTCODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)([1-9]\d{3}) ?([a-z]{2})\b").unwrap());

fn postcodes(text: &str, out: &mut Vec<Suspect>) {
    for c in POSTCODE.captures_iter(text) {
        let m = c.get(0).unwrap();
        if text[..m.start()].ends_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        let letters = &c[2];
        let upper = letters.chars().all(|ch| ch.is_ascii_uppercase());
        if upper || !is_short_word(letters) {
            out.push(Suspect {
                kind: SuspectKind::Postcode,
                start: m.start(),
            });
        }
    }
}

/// Dutch sidecodes: L = letter group, D = digit group, by group sizes.
const SIDECODES: &[&str] = &[
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D", "D-LLL-DD",
    "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "D-LL-DDD", "L-DD-LLL", "DDD-LL-D",
];

static KENTEKEN: LazyLock<Regex> = LazyLock::new(|| {
    let alts: Vec<String> = SIDECODES
        .iter()
        .map(|code| {
            code.split('-')
                .map(|g| {
                    let class = if g.starts_with('L') { "[a-z]" } else { r"\d" };
                    format!("({class}{{{}}})", g.len())
                })
                .collect::<Vec<_>>()
                .join("([- ]?)")
        })
        .collect();
    Regex::new(&format!(r"(?i)(?:{})", alts.join("|"))).unwrap()
});

fn kentekens(text: &str, out: &mut Vec<Suspect>) {
    // Every start position is tried: a rejected match ("to ab-12") must not hide a later one.
    let mut pos = 0;
    while pos < text.len() {
        let Some(c) = KENTEKEN.captures_at(text, pos) else {
            break;
        };
        let m = c.get(0).unwrap();
        if kenteken_accepted(text, &c) {
            out.push(Suspect {
                kind: SuspectKind::Kenteken,
                start: m.start(),
            });
            pos = m.end();
        } else {
            pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        }
    }
}

fn kenteken_accepted(text: &str, c: &regex::Captures) -> bool {
    let m = c.get(0).unwrap();
    let before = text[..m.start()].chars().next_back();
    let after = text[m.end()..].chars().next();
    if before.is_some_and(|ch| ch.is_alphanumeric()) || after.is_some_and(|ch| ch.is_alphanumeric())
    {
        return false;
    }
    let groups: Vec<&str> = c.iter().skip(1).flatten().map(|g| g.as_str()).collect();
    let seps: Vec<&str> = groups.iter().skip(1).step_by(2).copied().collect();
    let parts: Vec<&str> = groups.iter().step_by(2).copied().collect();
    let letters: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| p.chars().all(|ch| ch.is_ascii_alphabetic()))
        .collect();
    let upper = letters
        .iter()
        .all(|l| l.chars().all(|ch| ch.is_ascii_uppercase()));
    let dashed = seps.iter().all(|s| *s == "-");
    let spaced_words = seps.iter().all(|s| *s == " ") && !letters.iter().any(|l| is_short_word(l));
    dashed || upper || spaced_words
}

// ---------- e-mail ----------

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    let at =
        r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|@|apenstaartje)\s*[)\]}>]\s*|\s+(?:at|apenstaartje)\s+)";
    let dot = r"(?:\s*\.\s*|\s*[(\[{<]\s*(?:dot|punt|\.)\s*[)\]}>]\s*|\s+(?:dot|punt)\s+)";
    Regex::new(&format!(
        r"(?i)[a-z0-9][a-z0-9._%+\-]*{at}[a-z0-9\-]+(?:{dot}[a-z0-9\-]+)*{dot}[a-z]{{2,24}}\b"
    ))
    .unwrap()
});

// ---------- dates near a birth cue ----------

static BIRTH_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:geboren|geb\.?|geboorte\w*|jarig|verjaardag|overleden|overlijden\w*|sterfdatum|date of birth|born|dob)\b")
        .unwrap()
});

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:jan(?:uari)?|feb(?:ruari)?|maa(?:rt)?|mrt|apr(?:il)?|mei|jun(?:i)?|jul(?:i)?|aug(?:ustus)?|sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
    Regex::new(&format!(
        r"(?i)\b(?:\d{{1,2}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{2,4}}|\d{{4}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{1,2}}|\d{{1,2}}(?:e|ste|de)?\s+{month}(?:\s+\d{{2,4}})?|{month}\s+\d{{4}}|(?:19|20)\d{{2}})\b"
    ))
    .unwrap()
});

fn birth_dates(text: &str, out: &mut Vec<Suspect>) {
    for cue in BIRTH_CUE.find_iter(text) {
        let line_start = text[..cue.start()].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[cue.end()..]
            .find('\n')
            .map_or(text.len(), |i| cue.end() + i);
        let lo = floor_boundary(text, cue.start().saturating_sub(60).max(line_start));
        let hi = ceil_boundary(text, (cue.end() + 60).min(line_end));
        if let Some(d) = DATE.find(&text[lo..hi]) {
            out.push(Suspect {
                kind: SuspectKind::Geboortedatum,
                start: lo + d.start(),
            });
        }
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

// ---------- titles and 'familie' with a surname ----------

static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:dhr|mevr|mw|mr|dr|drs|ir|ing|prof|fam)\.?\s+",
        r"|\b(?:de\s+heer|heer|meneer|mevrouw|mejuffrouw|juffrouw|familie|weduwe|wed\.)\s+"
    ))
    .unwrap()
});

static SURNAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:(?:[a-z]\.\s*)+)?",
        r"(?:(?:van|de|der|den|ter|ten|te|la|le|du|d'|in 't|op 't|'t)\s+)*",
        r"([a-zà-ÿ][a-zà-ÿ'\-]{1,})"
    ))
    .unwrap()
});

/// Words after a title or 'familie' that are not a surname.
const NOT_SURNAME: &[&str] = &[
    "de",
    "het",
    "een",
    "en",
    "of",
    "die",
    "dat",
    "is",
    "was",
    "van",
    "voor",
    "met",
    "in",
    "op",
    "aan",
    "bij",
    "uit",
    "naar",
    "om",
    "te",
    "ook",
    "nog",
    "niet",
    "wel",
    "zijn",
    "haar",
    "hun",
    "heeft",
    "had",
    "hebben",
    "wordt",
    "werd",
    "kan",
    "kon",
    "zal",
    "zou",
    "dit",
    "deze",
    "wil",
    "moet",
    "of",
    "als",
    "maar",
    "dan",
    "die",
    "wie",
    "er",
    "hier",
    "daar",
    "zelf",
    "ouders",
    "ouder",
    "kinderen",
    "kind",
    "partner",
    "cliënt",
    "client",
    "klant",
    "aanvrager",
    "aanvraagster",
    "belastingplichtige",
    "toeslaggerechtigde",
    "leden",
    "lid",
    "situatie",
    "omstandigheden",
    "zaken",
    "gezin",
    "huishouden",
    "betrokkene",
];

fn titles(text: &str, out: &mut Vec<Suspect>) {
    for m in TITLE.find_iter(text) {
        let rest = text[m.end()..].to_lowercase();
        let Some(c) = SURNAME.captures(&rest) else {
            continue;
        };
        let word = &c[1];
        if !NOT_SURNAME.contains(&word) {
            out.push(Suspect {
                kind: SuspectKind::Aanhef,
                start: m.start(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<SuspectKind> {
        let mut k: Vec<SuspectKind> = scan(s).iter().map(|h| h.kind).collect();
        k.dedup();
        k
    }

    #[test]
    fn a_checksum_is_not_a_bsn_but_a_bsn_beside_it_is() {
        // ends in 660161059 (passes the elfproef) inside a SHA-256 of an input file
        let sha = "e09ba5a3d5522b89c3739b57a3ce7f672ccc26ac99ff6c50de0847b660161059";
        assert!(scan(&format!("invoer {sha}")).is_empty());
        assert!(!scan(&format!("invoer {sha} en 111222333")).is_empty());
        assert!(!scan("660161059").is_empty());
    }

    #[test]
    fn the_issue_list_is_caught() {
        use SuspectKind::*;
        for (text, kind) in [
            ("nummer 1234 56 782 hier", Bsn),
            ("BSN123456782", Bsn),
            ("123.456.782", Bsn),
            ("bsn: 12345678", Bsn),
            ("bel 06-12-34-56-78", Telefoon),
            ("bel +31-6-12345678", Telefoon),
            ("bel 0031 6 1234 5678", Telefoon),
            ("bel 020 123 4567", Telefoon),
            ("postcode 1011 ab", Postcode),
            ("1011AB Amsterdam", Postcode),
            ("auto ab-12-cd", Kenteken),
            ("auto AB 12 CD", Kenteken),
            ("zij is op 3 maart 1961 geboren", Geboortedatum),
            ("geb. 03-03-1961", Geboortedatum),
            ("NL91-ABNA-0417-1643-00", Iban),
            ("nl91 abna 0417 1643 00", Iban),
            ("BE71 0961 2345 6769", Iban),
            ("jan(at)voorbeeld.nl", Email),
            ("jan [at] voorbeeld [dot] nl", Email),
            ("jan.jansen@voorbeeld.nl", Email),
            ("familie Jansen", Aanhef),
            ("mevrouw jansen", Aanhef),
            ("dhr. A.B. van der Berg", Aanhef),
        ] {
            assert!(kinds(text).contains(&kind), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn ordinary_report_text_is_not_suspect() {
        for text in [
            "In 2026 kw. 1 zijn 1.234 casussen ontvangen, 12,5% meer dan in 2025 en 38 van de 40 afgerond.",
            "Periode 2026-01-01 tot en met 2026-06-30; peildatum 30 juni 2026.",
            "Casus C-2026-0145 en signaal S-2026-014 over 1.250 euro.",
            "Bedrag 123456789 faalt de elfproef; zaaknummer 987654321.",
            "De familie en het gezin; mevrouw de aanvrager.",
            "Mediane doorlooptijd 45 dagen (95%-interval 38–52).",
            "Geboren in de regio.",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn elfproef_is_the_dutch_one() {
        assert!(elfproef("123456782"));
        assert!(!elfproef("123456789"));
        assert!(!elfproef("000000000"));
    }
}
