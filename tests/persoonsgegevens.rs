//! Personal-data corpus and properties of the detectors.
//!
//! `tests/corpus/persoonsgegevens/corpus.tsv` holds every form that must be found (and
//! the negatives that must not be), with the kinds expected per line and, for some lines,
//! the masked text. The properties generate the classes behind the corpus: any valid BSN
//! in any grouping, phone numbers, IBANs, postcodes and licence plates in any grouping
//! and case, and negatives (amounts, case numbers, serial numbers failing the elfproef,
//! ordinary dates, percentages, quarter labels).

use proptest::prelude::*;
use rodedraad::protect::pii::{is_publishable_term, is_valid_bsn, mask, scan, PiiKind};

const CORPUS: &str = include_str!("corpus/persoonsgegevens/corpus.tsv");

struct Line<'a> {
    nr: usize,
    kinds: Vec<PiiKind>,
    text: &'a str,
    masked: Option<&'a str>,
}

fn corpus() -> Vec<Line<'static>> {
    CORPUS
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let mut cols = l.split('\t');
            let kinds = cols.next().expect("kinds column");
            let text = cols
                .next()
                .unwrap_or_else(|| panic!("line {}: no text", i + 1));
            let kinds = if kinds == "-" {
                Vec::new()
            } else {
                kinds
                    .split(',')
                    .map(|k| {
                        PiiKind::from_code(k)
                            .unwrap_or_else(|| panic!("line {}: unknown kind {k}", i + 1))
                    })
                    .collect()
            };
            Line {
                nr: i + 1,
                kinds,
                text,
                masked: cols.next(),
            }
        })
        .collect()
}

#[test]
fn corpus_kinds_per_line() {
    let lines = corpus();
    assert!(lines.len() > 100);
    let mut failures = Vec::new();
    for l in &lines {
        let hits = scan(l.text);
        let got: Vec<PiiKind> = hits.iter().map(|h| h.kind).collect();
        if got != l.kinds {
            let spans: Vec<(&str, &str)> = hits
                .iter()
                .map(|h| (h.kind.code(), &l.text[h.start..h.end]))
                .collect();
            failures.push(format!(
                "regel {}: {:?}: verwacht {:?}, gevonden {spans:?}",
                l.nr, l.text, l.kinds
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn corpus_masks_read_naturally() {
    for l in corpus() {
        let masked = mask(l.text, &scan(l.text));
        if let Some(expected) = l.masked {
            assert_eq!(masked, expected, "regel {}", l.nr);
        }
        let again: Vec<PiiKind> = scan(&masked).iter().map(|h| h.kind).collect();
        assert!(
            again.is_empty(),
            "regel {}: {masked:?} still has {again:?}",
            l.nr
        );
    }
}

#[test]
fn every_form_from_the_issue_is_found() {
    for text in [
        "1234 56 782",
        "BSN123456782",
        "06-12-34-56-78",
        "+31-6-12345678",
        "1011 ab",
        "ab-12-cd",
        "AB 12 CD",
        "zij is op 3 maart 1961 geboren",
        "NL91-ABNA-0417-1643-00",
        "jan(at)voorbeeld.nl",
        "familie Jansen",
        "mevrouw jansen",
    ] {
        assert!(!scan(text).is_empty(), "{text}");
        assert!(!is_publishable_term(text), "{text}");
    }
}

#[test]
fn publishable_terms() {
    for t in [
        "terugvordering",
        "huurtoeslag partner",
        "kastje naar de muur",
        "groot gezin",
    ] {
        assert!(is_publishable_term(t), "{t}");
    }
    for t in [
        "pietersma",
        "Jansen",
        "de vries",
        "fatima",
        "cas-2025-00123",
        "ab12cd",
        "",
    ] {
        assert!(!is_publishable_term(t), "{t}");
    }
}

// ---------------------------------------------------------------------------------
// generators

/// Nine digits that pass the elfproef (not all zeros).
fn valid_bsn() -> impl Strategy<Value = String> {
    proptest::collection::vec(0u32..10, 8).prop_filter_map("check digit 10 or all zeros", |d| {
        let s: u32 = d.iter().enumerate().map(|(i, x)| (9 - i as u32) * x).sum();
        let check = s % 11;
        if check == 10 || (check == 0 && d.iter().all(|&x| x == 0)) {
            return None;
        }
        let digits: String = d.iter().chain([&check]).map(|x| x.to_string()).collect();
        Some(digits)
    })
}

/// Splits `digits` into groups at the given cut points, joined by the separators.
fn grouped(digits: &str, cuts: &[usize], seps: &[&str]) -> String {
    let mut cuts: Vec<usize> = cuts
        .iter()
        .map(|c| c % digits.len())
        .filter(|&c| c > 0)
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::new();
    let mut from = 0;
    for (i, &c) in cuts.iter().enumerate() {
        out.push_str(&digits[from..c]);
        out.push_str(seps[i % seps.len()]);
        from = c;
    }
    out.push_str(&digits[from..]);
    out
}

fn separators() -> impl Strategy<Value = Vec<&'static str>> {
    proptest::collection::vec(proptest::sample::select(vec![" ", "-", ".", "/"]), 1..5)
}

fn cuts() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0usize..20, 0..5)
}

/// A year, a dash or slash and the rest: the shape of a case number, not a BSN.
fn is_case_number_shape(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    parts.len() == 2
        && parts[0].len() == 4
        && parts[0]
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y))
        && parts[1].chars().all(|c| c.is_ascii_digit())
}

fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn with_kind(text: &str, kind: PiiKind) -> Vec<&str> {
    scan(text)
        .into_iter()
        .filter(|h| h.kind == kind)
        .map(|h| &text[h.start..h.end])
        .collect()
}

fn random_case(s: &str, upper: &[bool]) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if upper[i % upper.len()] {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

const SIDECODES: &[&str] = &[
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D", "D-LLL-DD",
    "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any valid BSN in any grouping with single separators is found, with or without a
    /// cue and with a word glued in front; masking removes every digit of it. (A year,
    /// dash and serial number without a BSN cue reads as a case number and is left.)
    #[test]
    fn any_valid_bsn_in_any_grouping_is_found(
        bsn in valid_bsn(),
        cuts in cuts(),
        seps in separators(),
        prefix in proptest::sample::select(vec!["", "BSN ", "bsn: ", "BSN", "klant ", "nummer ", "(", "Burgerservicenummer "]),
        suffix in proptest::sample::select(vec!["", ".", " belde", ", zie", ")"]),
    ) {
        let written = grouped(&bsn, &cuts, &seps);
        let cue = prefix.to_lowercase().contains("bsn") || prefix.to_lowercase().contains("burger");
        prop_assume!(cue || !is_case_number_shape(&written));
        let text = format!("{prefix}{written}{suffix}");
        let found = with_kind(&text, PiiKind::Bsn);
        prop_assert_eq!(found.iter().map(|s| digits_of(s)).collect::<Vec<_>>(), vec![bsn.clone()], "{:?}", text);
        let masked = mask(&text, &scan(&text));
        prop_assert!(!masked.chars().any(|c| c.is_ascii_digit()), "{:?} -> {:?}", text, masked);
    }

    /// Nine digits that fail the elfproef are never a BSN, in any grouping.
    #[test]
    fn serial_numbers_failing_the_elfproef_are_not_a_bsn(
        digits in "[0-9]{9}",
        cuts in cuts(),
        seps in separators(),
    ) {
        prop_assume!(!is_valid_bsn(&digits));
        let text = format!("serienummer {}", grouped(&digits, &cuts, &seps));
        prop_assert!(with_kind(&text, PiiKind::Bsn).is_empty(), "{:?}", text);
    }

    /// Dutch mobile and landline numbers in any grouping, national or +31/0031.
    #[test]
    fn phone_numbers_in_any_grouping(
        rest in "[1-9][0-9]{8}",
        cuts in cuts(),
        seps in separators(),
        form in 0usize..4,
    ) {
        let national = format!("0{rest}");
        let written = match form {
            0 => grouped(&national, &cuts, &seps),
            1 => format!("+31{}{}", seps[0], grouped(&rest, &cuts, &seps)),
            2 => format!("0031 {}", grouped(&rest, &cuts, &seps)),
            _ => format!("+31 (0){}", grouped(&rest, &cuts, &seps)),
        };
        let text = format!("bel {written} vandaag");
        let found = with_kind(&text, PiiKind::Phone);
        prop_assert_eq!(found, vec![written.as_str()], "{:?}", text);
    }

    /// IBANs with any separator, grouping and letter case.
    #[test]
    fn ibans_in_any_grouping_and_case(
        iban in proptest::sample::select(vec![
            "NL91ABNA0417164300", "NL20INGB0001234567", "GB82WEST12345698765432",
            "DE89370400440532013000", "BE68539007547034",
        ]),
        cuts in proptest::collection::vec(0usize..40, 0..8),
        sep in proptest::sample::select(vec![" ", "-", "."]),
        upper in proptest::collection::vec(any::<bool>(), 1..6),
    ) {
        let cuts: Vec<usize> = cuts.iter().map(|c| 2 + c % (iban.len() - 2)).collect();
        let written = random_case(&grouped(iban, &cuts, &[sep]), &upper);
        let text = format!("rekening {written} gebruikt");
        let found = with_kind(&text, PiiKind::Iban);
        prop_assert_eq!(found, vec![written.as_str()], "{:?}", text);
    }

    /// Postcodes in any case, with or without a space.
    #[test]
    fn postcodes_in_any_case_and_spacing(
        number in 1000u32..10000,
        letters in "[FHJQX]{2}",
        space in any::<bool>(),
        upper in proptest::collection::vec(any::<bool>(), 2),
    ) {
        let written = format!("{number}{}{}", if space { " " } else { "" }, random_case(&letters, &upper));
        let text = format!("woont op {written} in de stad");
        prop_assert_eq!(with_kind(&text, PiiKind::Postcode), vec![written.as_str()], "{:?}", text);
    }

    /// Licence plates of every side code, any case, any separator.
    #[test]
    fn plates_of_every_sidecode(
        code in proptest::sample::select(SIDECODES.to_vec()),
        letters in "[FGHJ]{3}",
        digits in "[0-9]{3}",
        sep in proptest::sample::select(vec!["-", " ", ".", ""]),
        upper in proptest::collection::vec(any::<bool>(), 1..4),
    ) {
        let (mut l, mut d) = (letters.chars().cycle(), digits.chars().cycle());
        let plate: String = code
            .split('-')
            .map(|g| g.chars().map(|c| if c == 'L' { l.next().unwrap() } else { d.next().unwrap() }).collect::<String>())
            .collect::<Vec<_>>()
            .join(sep);
        // written without separators, "1234AB" is a postcode
        prop_assume!(!(sep.is_empty() && code == "DD-DD-LL" && !digits.starts_with('0')));
        let written = random_case(&plate, &upper);
        let text = format!("de auto met {written} stond er");
        prop_assert_eq!(with_kind(&text, PiiKind::LicencePlate), vec![written.as_str()], "{:?}", text);
    }

    /// Amounts, case numbers, percentages, quarter labels, years and ordinary dates are
    /// never flagged.
    #[test]
    fn negatives_are_never_flagged(
        euros in 0u64..10_000_000_000,
        cents in 0u32..100,
        year in 1990u32..2040,
        serial in 0u32..100_000,
        quarter in 1u32..5,
        pct in 0u32..1000,
        day in 1u32..29,
        month in 1u32..13,
        form in 0usize..7,
    ) {
        let months = ["januari", "februari", "maart", "april", "mei", "juni", "juli",
            "augustus", "september", "oktober", "november", "december"];
        let amount = {
            let s = euros.to_string();
            let mut grouped = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    grouped.push('.');
                }
                grouped.push(c);
            }
            format!("€ {grouped},{cents:02}")
        };
        let text = match form {
            0 => format!("een schuld van {amount} bij de Belastingdienst"),
            1 => format!("zaak CAS-{year}-{serial:05} is afgerond"),
            2 => format!("{},{}% van de casussen in {year}", pct / 10, pct % 10),
            3 => format!("het kwartaal {year}-Q{quarter} liet een daling zien"),
            4 => format!("op {day}-{month:02}-{year} ontving zij de aanslag"),
            5 => format!("op {day} {} {year} kwam de brief", months[month as usize - 1]),
            _ => format!("in {year} en {} steeg het aantal", year + 1),
        };
        let hits = scan(&text);
        prop_assert!(hits.is_empty(), "{:?}: {:?}", text, hits);
    }

    /// Scanning never panics and masking is final, on any string.
    #[test]
    fn scan_never_panics_and_masking_is_final(text in "\\PC{0,120}") {
        let hits = scan(&text);
        let masked = mask(&text, &hits);
        let again: Vec<_> = scan(&masked).into_iter().filter(|h| !h.kind.is_warning_only()).collect();
        prop_assert!(again.is_empty(), "{:?} -> {:?}: {:?}", text, masked, again);
    }
}
