//! Detection and masking of personal data in free Dutch text (case summaries, lessons,
//! signal descriptions) before anything is exported or published.
//!
//! [`scan`] finds BSNs (elfproef, any grouping, also with a word glued in front), IBANs
//! (mod 97, any case and grouping), phone numbers (Dutch and international, any
//! grouping), e-mail addresses (also written as "jan(at)voorbeeld.nl"), postcodes (any
//! case and spacing, with house number), dates of birth (only with a birth cue before or
//! after the date), Dutch licence plates (every side code, any case and separator) and
//! personal names ("mevrouw jansen", "familie De Vries", "Jan de Vries", "J. de Vries").
//! [`scan_with`] adds the patterns of `[bescherming] patronen`. [`mask`] replaces the
//! hits with placeholders such as `[BSN]`, so the text still reads naturally.
//! [`is_publishable_term`] decides whether a term taken from free text may be shown.
//!
//! The word lists (first names, surnames, titles, particles, cue words, ...) are plain
//! text files in this folder.
//!
//! ```
//! use rodedraad::protect::pii::{mask, scan, PiiKind};
//! let text = "Mevrouw De Vries (geb. 3 maart 1961, BSN 111.222.333) belde vanaf 06-12345678.";
//! let hits = scan(text);
//! let kinds: Vec<PiiKind> = hits.iter().map(|h| h.kind).collect();
//! assert_eq!(kinds, vec![PiiKind::Name, PiiKind::BirthDate, PiiKind::Bsn, PiiKind::Phone]);
//! assert_eq!(
//!     mask(text, &hits),
//!     "Mevrouw [naam] (geb. [geboortedatum], BSN [BSN]) belde vanaf [telefoon]."
//! );
//! assert_eq!(mask("mevrouw jansen belde", &scan("mevrouw jansen belde")), "mevrouw [naam] belde");
//! ```

mod checks;
mod dates;
mod email;
mod iban;
mod kenteken;
mod names;
mod numbers;
mod patterns;
mod postcode;
mod terms;
mod text;
mod words;

pub use checks::{is_valid_bsn, is_valid_iban};
pub use patterns::{PatternSpec, Patterns};
pub use terms::is_publishable_term;

/// Kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum PiiKind {
    #[serde(rename = "bsn")]
    Bsn,
    #[serde(rename = "iban")]
    Iban,
    #[serde(rename = "telefoon")]
    Phone,
    #[serde(rename = "email")]
    Email,
    #[serde(rename = "postcode")]
    Postcode,
    #[serde(rename = "geboortedatum")]
    BirthDate,
    #[serde(rename = "kenteken")]
    LicencePlate,
    #[serde(rename = "naam")]
    Name,
    /// Found by a configured pattern that fits none of the kinds above.
    #[serde(rename = "overig")]
    Other,
}

impl PiiKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [PiiKind; 9] = [
        PiiKind::Bsn,
        PiiKind::Iban,
        PiiKind::Phone,
        PiiKind::Email,
        PiiKind::Postcode,
        PiiKind::BirthDate,
        PiiKind::LicencePlate,
        PiiKind::Name,
        PiiKind::Other,
    ];

    /// Dutch label for reports.
    pub fn label(self) -> &'static str {
        match self {
            PiiKind::Bsn => "BSN",
            PiiKind::Iban => "IBAN",
            PiiKind::Phone => "telefoonnummer",
            PiiKind::Email => "e-mailadres",
            PiiKind::Postcode => "postcode",
            PiiKind::BirthDate => "geboortedatum",
            PiiKind::LicencePlate => "kenteken",
            PiiKind::Name => "naam",
            PiiKind::Other => "persoonsgegeven",
        }
    }

    /// The code used in the configuration and in serialized output ("telefoon").
    pub fn code(self) -> &'static str {
        match self {
            PiiKind::Bsn => "bsn",
            PiiKind::Iban => "iban",
            PiiKind::Phone => "telefoon",
            PiiKind::Email => "email",
            PiiKind::Postcode => "postcode",
            PiiKind::BirthDate => "geboortedatum",
            PiiKind::LicencePlate => "kenteken",
            PiiKind::Name => "naam",
            PiiKind::Other => "overig",
        }
    }

    /// The kind with this [`code`](PiiKind::code) (any case).
    pub fn from_code(code: &str) -> Option<PiiKind> {
        let code = code.trim().to_lowercase();
        PiiKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Names are only a warning (the list-based detection is uncertain).
    pub fn is_warning_only(self) -> bool {
        matches!(self, PiiKind::Name)
    }

    /// The text that [`mask`] puts in place of a hit.
    pub fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Bsn => "[BSN]",
            PiiKind::Iban => "[IBAN]",
            PiiKind::Phone => "[telefoon]",
            PiiKind::Email => "[e-mail]",
            PiiKind::Postcode => "[postcode]",
            PiiKind::BirthDate => "[geboortedatum]",
            PiiKind::LicencePlate => "[kenteken]",
            PiiKind::Name => "[naam]",
            PiiKind::Other => "[persoonsgegeven]",
        }
    }

    /// Lower is more specific; wins when hits overlap.
    fn specificity(self) -> u8 {
        match self {
            PiiKind::Iban => 0,
            PiiKind::Email => 1,
            PiiKind::Bsn => 2,
            PiiKind::Phone => 3,
            PiiKind::BirthDate => 4,
            PiiKind::LicencePlate => 5,
            PiiKind::Postcode => 6,
            PiiKind::Other => 7,
            PiiKind::Name => 8,
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

/// All findings of the built-in detectors, sorted by start and non-overlapping (on
/// overlap the more specific kind wins: IBAN, e-mail, BSN, phone, date of birth, licence
/// plate, postcode, other, name; then the longer hit).
pub fn scan(text: &str) -> Vec<PiiHit> {
    resolve(candidates(text))
}

/// [`scan`] plus the configured extra patterns.
pub fn scan_with(text: &str, extra: &Patterns) -> Vec<PiiHit> {
    let mut cands = candidates(text);
    extra.find(text, &mut cands);
    resolve(cands)
}

fn candidates(text: &str) -> Vec<PiiHit> {
    let mut cands = Vec::new();
    if text.is_empty() {
        return cands;
    }
    iban::find_iban(text, &mut cands);
    email::find_email(text, &mut cands);
    numbers::find_numbers(text, &mut cands);
    dates::find_birth_dates(text, &mut cands);
    kenteken::find_plates(text, &mut cands);
    postcode::find_postcodes(text, &mut cands);
    names::find_names(text, &mut cands);
    cands
}

/// Keeps the most specific, then longest, then leftmost of overlapping candidates.
fn resolve(mut cands: Vec<PiiHit>) -> Vec<PiiHit> {
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
/// `[postcode]`, `[geboortedatum]`, `[kenteken]`, `[naam]`, `[persoonsgegeven]`). Hits
/// that overlap an earlier hit or do not fall on character boundaries are skipped.
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

    #[test]
    fn labels_codes_and_warning() {
        assert_eq!(PiiKind::Bsn.label(), "BSN");
        assert_eq!(PiiKind::Phone.label(), "telefoonnummer");
        assert!(PiiKind::Name.is_warning_only());
        assert!(!PiiKind::Bsn.is_warning_only());
        for k in PiiKind::ALL {
            assert_eq!(PiiKind::from_code(k.code()), Some(k));
            assert!(
                crate::config::PII_KIND_CODES.contains(&k.code()),
                "{}",
                k.code()
            );
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.code())
            );
        }
        assert_eq!(PiiKind::from_code("Telefoon"), Some(PiiKind::Phone));
        assert_eq!(PiiKind::from_code("adres"), None);
    }

    #[test]
    fn the_iban_wins_over_the_digits_inside_it() {
        assert_eq!(
            found("NL20INGB0001234567"),
            vec![(PiiKind::Iban, "NL20INGB0001234567")]
        );
        assert_eq!(
            found("NL91-ABNA-0417-1643-00"),
            vec![(PiiKind::Iban, "NL91-ABNA-0417-1643-00")]
        );
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
                PiiKind::Name,
                PiiKind::Postcode,
                PiiKind::Phone,
                PiiKind::Email,
                PiiKind::Iban,
                PiiKind::Bsn,
                PiiKind::LicencePlate,
                PiiKind::BirthDate,
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
                kind: PiiKind::Name,
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
    fn extra_patterns_join_the_scan() {
        let extra = Patterns::new(vec![PatternSpec {
            soort: "overig".into(),
            patroon: r"\bKL-[0-9]{4}\b".into(),
        }])
        .unwrap();
        let text = "klant KL-4711 belde 06-12345678";
        let kinds: Vec<PiiKind> = scan_with(text, &extra).iter().map(|h| h.kind).collect();
        assert_eq!(kinds, vec![PiiKind::Other, PiiKind::Phone]);
        assert_eq!(scan(text).len(), 1);
        assert_eq!(scan_with(text, &Patterns::default()), scan(text));
    }

    #[test]
    fn multibyte_text_does_not_break_offsets() {
        let text = "Zoë Öztürk — tel 06-12345678 “geboren 3 maart 1961” ñ";
        let got = found(text);
        assert!(got.contains(&(PiiKind::Phone, "06-12345678")));
        assert!(got.contains(&(PiiKind::BirthDate, "3 maart 1961")));
        assert!(got.contains(&(PiiKind::Name, "Zoë Öztürk")));
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
            "ab",
            "1234AB",
            "12-ABC-3",
            "AB-12",
            "mevrouw",
            "familie",
            "Jan",
            "jansen",
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
            "(at)",
            " at ",
            "+31",
            "0031",
            "6",
            "(0)20",
            "@",
            "jan@example.nl",
            "x.nl",
            "€",
            "2025-000123",
            "CAS-",
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
            "\u{a0}",
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
