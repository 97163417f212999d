//! Date columns: one format per column, chosen from the values.
//!
//! A cell like `04/03/2025` means 4 March in the Netherlands and 3 April in the
//! United States. Trying formats cell by cell (the old way) reads one column in
//! two orders and gives wrong dates without a word. Here the format is chosen
//! once per *column*: every candidate format (`[invoer] datumformaten`, plus
//! Excel serial numbers for spreadsheets, see [`candidates`]) is tried on every distinct value; the format that fits
//! the most values wins, and the column is read in that format only.
//!
//! - A rival of the same shape (`%d/%m/%Y` against `%m/%d/%Y`) that fits the
//!   same values and reads one of them as another date makes the column
//!   *ambiguous*: it is refused, with the config line that settles it.
//! - A value that only the rival reads (`01/13/2025` in a column whose other
//!   values say day first) means the column *mixes two orders*: refused too.
//! - A value in another shape (`2025-03-01` among `01-03-2025`) is not guessed:
//!   the row goes to quarantine with a reason that names the column's format.
//!
//! A time part (`12:35:56 PM`, `T08:00:00Z`) is checked and dropped; the model
//! keeps days. Years outside 1900-2199 are not dates.
//!
//! ```
//! use rodedraad::ingest::dates::{sniff, parse_with, DateProblem};
//! let formats: Vec<String> = vec!["%d/%m/%Y".into(), "%m/%d/%Y".into()];
//! // "01/13/2025" can only be month first, so the whole column is month first.
//! let s = sniff(["01/13/2025 12:35:56 PM", "02/03/2025 08:00:00 AM"], &formats).unwrap().unwrap();
//! assert_eq!(s.format, "%m/%d/%Y");
//! assert_eq!(parse_with("02/03/2025", &s.format).unwrap().to_string(), "2025-02-03");
//! // Nothing above 12: both orders fit, and the column is refused.
//! assert!(matches!(sniff(["01/02/2025", "03/04/2025"], &formats), Err(DateProblem::Ambiguous { .. })));
//! ```

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::BTreeMap;

/// The pseudo-format of Excel serial day numbers (days since 1899-12-30).
pub const EXCEL: &str = "excel";

/// The earliest and latest year that counts as a date.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// The format chosen for a column, and what the values showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    /// A chrono format (date part) or [`EXCEL`].
    pub format: String,
    /// How many distinct values the format reads.
    pub fits: usize,
    /// Some value had a time part.
    pub time: bool,
    /// Some time part had AM/PM.
    pub am_pm: bool,
}

/// Why a column's format cannot be chosen. No value of such a column is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// Two formats of the same shape fit every value equally, and read some value differently.
    Ambiguous {
        /// The fitting formats, in candidate order.
        candidates: Vec<String>,
        /// A value they read differently.
        example: String,
        /// Some time part had AM/PM (a hint, not evidence).
        am_pm: bool,
    },
    /// Some values fit only one order, other values only its rival.
    MixedOrders {
        /// (format, a value only it reads) for both orders.
        first: (String, String),
        second: (String, String),
    },
    /// Two formats of different shapes fit equally many values.
    MixedShapes {
        first: (String, String),
        second: (String, String),
    },
}

/// Splits `value` into its date part and whether its time part (if any) is valid and AM/PM.
/// Returns `None` for a time part that is not a time.
fn split_time(value: &str) -> Option<(&str, Option<bool>)> {
    let v = value.trim();
    let cut = v.char_indices().find(|&(i, c)| {
        (c.is_whitespace() || c == 'T')
            && i > 0
            && v[i + c.len_utf8()..]
                .trim_start()
                .starts_with(|d: char| d.is_ascii_digit())
    });
    let Some((i, c)) = cut else {
        return Some((v, None));
    };
    let time = v[i + c.len_utf8()..].trim();
    parse_time(time).map(|am_pm| (&v[..i], Some(am_pm)))
}

/// Whether `t` is a time of day; `Some(true)` when it carries AM/PM.
fn parse_time(t: &str) -> Option<bool> {
    let mut t = t.trim();
    // A UTC marker or an offset ("Z", "+01:00", "-0500") says nothing about the day here.
    if let Some(s) = t.strip_suffix('Z').or_else(|| t.strip_suffix('z')) {
        t = s;
    } else if let Some(pos) = t.rfind(['+', '-']) {
        let off = &t[pos + 1..];
        if pos > 0 && off.len() >= 2 && off.chars().all(|c| c.is_ascii_digit() || c == ':') {
            t = &t[..pos];
        }
    }
    let upper = t.to_ascii_uppercase();
    let marker = ["AM", "PM", "A.M.", "P.M."]
        .iter()
        .find(|m| upper.ends_with(*m));
    let ok = match marker {
        Some(m) => {
            let clock = upper[..upper.len() - m.len()].trim();
            let suffix = &m[..1];
            ["%I:%M:%S %p", "%I:%M %p"]
                .iter()
                .any(|f| NaiveTime::parse_from_str(&format!("{clock} {suffix}M"), f).is_ok())
        }
        None => {
            // Fractional seconds: "08:00:00.123" (a comma is used too).
            let clock = upper.replace(',', ".");
            ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"]
                .iter()
                .any(|f| NaiveTime::parse_from_str(&clock, f).is_ok())
        }
    };
    let am_pm = marker.is_some();
    ok.then_some(am_pm)
}

fn plausible(d: NaiveDate) -> Option<NaiveDate> {
    YEARS.contains(&d.year()).then_some(d)
}

/// Whether a chrono format has a time-of-day field of its own.
fn has_time_field(format: &str) -> bool {
    ["%H", "%I", "%M", "%S", "%T", "%R", "%p"]
        .iter()
        .any(|f| format.contains(f))
}

/// Reads an Excel serial day number (a fraction is the time of day).
fn excel_serial(s: &str) -> Option<NaiveDate> {
    let n: f64 = s.trim().replace(',', ".").parse().ok()?;
    if !n.is_finite() || n < 1.0 {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    // Serials before 1950 or after 2100 are far more often counts, years or ids than dates.
    base.checked_add_days(chrono::Days::new(n.floor() as u64))
        .filter(|d| (1950..=2100).contains(&d.year()))
        .and_then(plausible)
}

/// Reads one cell in one format: the date part with `format`, an optional time part
/// checked and dropped. `None` when the cell is not a date in that format.
pub fn parse_with(value: &str, format: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if format == EXCEL {
        return excel_serial(v).filter(|_| !v.contains(['-', '/', ':']));
    }
    if has_time_field(format) {
        return NaiveDateTime::parse_from_str(v, format)
            .ok()
            .map(|t| t.date())
            .or_else(|| NaiveDate::parse_from_str(v, format).ok())
            .and_then(plausible);
    }
    let (date, _) = split_time(v)?;
    NaiveDate::parse_from_str(date, format)
        .ok()
        .and_then(plausible)
}

/// The shape of a format: the same with day and month made indistinguishable.
/// Two formats of one shape can read one text as two different dates.
pub fn shape(format: &str) -> String {
    format
        .replace("%d", "%_")
        .replace("%e", "%_")
        .replace("%m", "%_")
}

/// The candidate formats for a file: the configured ones, and Excel serial numbers when
/// the file is a spreadsheet (in a CSV an Excel serial is only read when configured, since
/// a column of ids like 45123 would look like dates).
pub fn candidates(configured: &[String], spreadsheet: bool) -> Vec<String> {
    let mut out = configured.to_vec();
    if spreadsheet && !out.iter().any(|f| f == EXCEL) {
        out.push(EXCEL.to_string());
    }
    out
}

/// Chooses the format of a column from its values (see the module docs).
///
/// `Ok(None)` when no value is a date in any candidate format (every row is then
/// quarantined with its own reason). Blank values are ignored.
pub fn sniff<'a>(
    values: impl IntoIterator<Item = &'a str>,
    candidates: &[String],
) -> std::result::Result<Option<Sniffed>, DateProblem> {
    let formats: Vec<&str> = candidates.iter().map(String::as_str).collect();
    // Distinct values only, each with what every format makes of it.
    let mut seen: BTreeMap<&str, Vec<Option<NaiveDate>>> = BTreeMap::new();
    let (mut time, mut am_pm) = (false, false);
    for v in values {
        let v = v.trim();
        if v.is_empty() || seen.contains_key(v) {
            continue;
        }
        if let Some((_, t)) = split_time(v) {
            time |= t.is_some();
            am_pm |= t == Some(true);
        }
        seen.insert(v, formats.iter().map(|f| parse_with(v, f)).collect());
    }
    let support: Vec<usize> = (0..formats.len())
        .map(|i| seen.values().filter(|r| r[i].is_some()).count())
        .collect();
    let Some(best) =
        (0..formats.len()).max_by(|&a, &b| support[a].cmp(&support[b]).then(b.cmp(&a)))
    else {
        return Ok(None);
    };
    if support[best] == 0 {
        return Ok(None);
    }
    let only = |i: usize, not: usize| {
        seen.iter()
            .find(|(_, r)| r[i].is_some() && r[not].is_none())
            .map(|(v, _)| v.to_string())
    };
    let differs = |i: usize, j: usize| {
        seen.iter()
            .find(|(_, r)| r[i].is_some() && r[j].is_some() && r[i] != r[j])
            .map(|(v, _)| v.to_string())
    };
    let best_shape = shape(formats[best]);
    let mut ambiguous = vec![formats[best].to_string()];
    let mut example = None;
    for (j, f) in formats.iter().enumerate().filter(|&(j, _)| j != best) {
        if shape(f) == best_shape {
            if let Some(v) = only(j, best) {
                let w = only(best, j).unwrap_or_default();
                return Err(DateProblem::MixedOrders {
                    first: (formats[best].to_string(), w),
                    second: (f.to_string(), v),
                });
            }
            if support[j] == support[best] {
                if let Some(v) = differs(best, j) {
                    ambiguous.push(f.to_string());
                    example.get_or_insert(v);
                }
            }
        } else if support[j] == support[best] && only(j, best).is_some() {
            return Err(DateProblem::MixedShapes {
                first: (formats[best].to_string(), only(best, j).unwrap_or_default()),
                second: (f.to_string(), only(j, best).unwrap_or_default()),
            });
        }
    }
    if let Some(example) = example {
        return Err(DateProblem::Ambiguous {
            candidates: ambiguous,
            example,
            am_pm,
        });
    }
    Ok(Some(Sniffed {
        format: formats[best].to_string(),
        fits: support[best],
        time,
        am_pm,
    }))
}

/// A format in words: `%d-%m-%Y` -> "dag-maand-jaar", [`EXCEL`] -> "Excel-serienummer".
pub fn describe(format: &str) -> String {
    if format == EXCEL {
        return "Excel-serienummer (dagen sinds 30-12-1899)".into();
    }
    [
        ("%Y", "jaar"),
        ("%y", "jaar (2 cijfers)"),
        ("%m", "maand"),
        ("%d", "dag"),
        ("%e", "dag"),
        ("%b", "maandnaam"),
        ("%B", "maandnaam"),
        ("%H", "uur"),
        ("%I", "uur"),
        ("%M", "minuut"),
        ("%S", "seconde"),
        ("%p", "AM/PM"),
    ]
    .iter()
    .fold(format.to_string(), |s, (code, word)| s.replace(code, word))
}

/// A Dutch reading of `value` in `format`, e.g. `"4 maart 2025"`.
fn reading(value: &str, format: &str) -> String {
    parse_with(value, format)
        .map(crate::nl::date)
        .unwrap_or_else(|| "geen datum".into())
}

/// The message and the advice for a column whose format cannot be chosen.
/// `column` is the canonical column, `header` the export's own header, `section`
/// "casussen" or "signalen".
pub fn problem_text(
    problem: &DateProblem,
    column: &str,
    header: &str,
    section: &str,
) -> (String, String) {
    let fix = |f: &str| format!("[{section}.datumformaat]\n{column} = \"{f}\"");
    match problem {
        DateProblem::Ambiguous {
            candidates,
            example,
            am_pm,
        } => {
            let options: Vec<String> = candidates
                .iter()
                .map(|f| {
                    format!(
                        "\"{f}\" ({}: \"{example}\" is {})",
                        describe(f),
                        reading(example, f)
                    )
                })
                .collect();
            let hint = if *am_pm {
                " De tijden met AM/PM wijzen op een Amerikaanse export (maand eerst), maar dat bewijst de volgorde niet."
            } else {
                ""
            };
            (
                format!(
                    "kolom \"{header}\" ({column}): de datums passen bij meer dan één notatie: {}; geen enkele waarde laat zien welke het is (geen dag boven 12), dus rodedraad leest de kolom niet",
                    options.join(" of ")
                ),
                format!(
                    "Zet de juiste notatie in rodedraad.toml, bijvoorbeeld:\n{}\n(of met \"{}\" als de export die volgorde heeft).{hint}",
                    fix(&candidates[0]),
                    candidates[1..].join("\" of \"")
                ),
            )
        }
        DateProblem::MixedOrders { first, second } => (
            format!(
                "kolom \"{header}\" ({column}) mengt twee volgordes: \"{}\" kan alleen {} zijn, \"{}\" alleen {}; bij de andere waarden is niet te zien welke volgorde bedoeld is, dus rodedraad leest de kolom niet",
                first.1,
                describe(&first.0),
                second.1,
                describe(&second.0)
            ),
            format!(
                "Corrigeer de export zodat de hele kolom één notatie heeft, en zet die in rodedraad.toml, bijvoorbeeld:\n{}",
                fix(&first.0)
            ),
        ),
        DateProblem::MixedShapes { first, second } => (
            format!(
                "kolom \"{header}\" ({column}) heeft evenveel datums in twee notaties: \"{}\" ({}) en \"{}\" ({}); rodedraad leest een kolom in één notatie en kan hier niet kiezen",
                first.1,
                describe(&first.0),
                second.1,
                describe(&second.0)
            ),
            format!(
                "Kies de notatie in rodedraad.toml; waarden in de andere notatie gaan dan met reden in quarantaine:\n{}",
                fix(&first.0)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Vec<String> {
        crate::config::Config::default_config().invoer.datumformaten
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fmt(values: &[&str]) -> String {
        sniff(values.iter().copied(), &defaults())
            .unwrap()
            .unwrap()
            .format
    }

    #[test]
    fn us_dates_with_am_pm_are_month_first() {
        let v = [
            "01/07/2015 12:35:56 PM",
            "01/13/2015 08:01:00 AM",
            "12/31/2015 11:59:59 PM",
        ];
        let s = sniff(v, &defaults()).unwrap().unwrap();
        assert_eq!(s.format, "%m/%d/%Y");
        assert!(s.time && s.am_pm);
        assert_eq!(parse_with(v[0], &s.format), Some(d(2015, 1, 7)));
    }

    #[test]
    fn dutch_dates_with_and_without_time_are_day_first() {
        assert_eq!(fmt(&["13-01-2025", "02-03-2025 14:00"]), "%d-%m-%Y");
        assert_eq!(fmt(&["13/01/2025", "02/03/2025"]), "%d/%m/%Y");
        assert_eq!(fmt(&["1.3.2025", "31.12.2025 23:59:59"]), "%d.%m.%Y");
        assert_eq!(
            parse_with("02-03-2025 14:00", "%d-%m-%Y"),
            Some(d(2025, 3, 2))
        );
    }

    #[test]
    fn iso_with_and_without_time() {
        let v = [
            "2025-03-01",
            "2025-03-02T08:00:00Z",
            "2025-03-03 08:00:00.123+01:00",
        ];
        let s = sniff(v, &defaults()).unwrap().unwrap();
        assert_eq!(s.format, "%Y-%m-%d");
        assert!(s.time && !s.am_pm);
        assert_eq!(parse_with(v[2], &s.format), Some(d(2025, 3, 3)));
        assert_eq!(fmt(&["20250301", "20251231"]), "%Y%m%d");
    }

    #[test]
    fn excel_serials() {
        let s = sniff(["45717", "45718.5", ""], &candidates(&defaults(), true))
            .unwrap()
            .unwrap();
        assert_eq!(s.format, EXCEL);
        // In a CSV only when configured: ids are not dates.
        assert_eq!(
            sniff(["45717", "45718"], &candidates(&defaults(), false)),
            Ok(None)
        );
        assert_eq!(parse_with("45717", EXCEL), Some(d(2025, 3, 1)));
        assert_eq!(parse_with("45718.5", EXCEL), Some(d(2025, 3, 2)));
        assert_eq!(parse_with("2025-03-01", EXCEL), None);
    }

    #[test]
    fn ambiguous_column_is_refused_with_both_candidates() {
        let e = sniff(["01/02/2025", "03/04/2025 10:00 AM"], &defaults()).unwrap_err();
        let DateProblem::Ambiguous {
            candidates, am_pm, ..
        } = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!(candidates, &["%d/%m/%Y", "%m/%d/%Y"]);
        assert!(am_pm);
        let (msg, advice) = problem_text(&e, "ontvangen_op", "Created Date", "casussen");
        assert!(msg.contains("\"Created Date\" (ontvangen_op)"), "{msg}");
        assert!(
            msg.contains("1 februari 2025") && msg.contains("2 januari 2025"),
            "{msg}"
        );
        assert!(
            advice.contains("[casussen.datumformaat]\nontvangen_op = \"%d/%m/%Y\""),
            "{advice}"
        );
        assert!(advice.contains("AM/PM"), "{advice}");
    }

    #[test]
    fn equal_day_and_month_everywhere_is_not_ambiguous() {
        // Both orders read every value as the same date: nothing can go wrong.
        assert_eq!(fmt(&["01/01/2025", "02/02/2025"]), "%d/%m/%Y");
    }

    #[test]
    fn mixed_orders_are_refused() {
        let e = sniff(["13/01/2025", "01/13/2025", "02/03/2025"], &defaults()).unwrap_err();
        assert!(matches!(e, DateProblem::MixedOrders { .. }), "{e:?}");
        let (msg, _) = problem_text(&e, "afgerond_op", "Closed", "casussen");
        assert!(msg.contains("mengt twee volgordes"), "{msg}");
        assert!(
            msg.contains("13/01/2025") && msg.contains("01/13/2025"),
            "{msg}"
        );
    }

    #[test]
    fn another_shape_is_left_to_quarantine_but_a_tie_is_refused() {
        let s = sniff(["2025-03-01", "2025-03-02", "13-03-2025"], &defaults())
            .unwrap()
            .unwrap();
        assert_eq!(s.format, "%Y-%m-%d");
        assert_eq!(parse_with("13-03-2025", &s.format), None);
        let e = sniff(["2025-03-01", "13-03-2025"], &defaults()).unwrap_err();
        assert!(matches!(e, DateProblem::MixedShapes { .. }), "{e:?}");
    }

    #[test]
    fn impossible_dates_and_years_and_times() {
        assert_eq!(parse_with("31-02-2025", "%d-%m-%Y"), None);
        assert_eq!(parse_with("0000-01-01", "%Y-%m-%d"), None);
        assert_eq!(parse_with("-2025-01-01", "%Y-%m-%d"), None);
        assert_eq!(parse_with("01-03-25", "%d-%m-%Y"), None);
        assert_eq!(parse_with("2025-03-01 25:00", "%Y-%m-%d"), None);
        assert_eq!(parse_with("2025-03-01 gisteren", "%Y-%m-%d"), None);
        assert_eq!(sniff(["gisteren", ""], &defaults()), Ok(None));
        assert_eq!(
            parse_with("01-03-2025 10:00", "%d-%m-%Y %H:%M"),
            Some(d(2025, 3, 1))
        );
    }

    #[test]
    fn formats_in_words() {
        assert_eq!(describe("%d-%m-%Y"), "dag-maand-jaar");
        assert_eq!(describe("%m/%d/%Y"), "maand/dag/jaar");
        assert_eq!(shape("%d/%m/%Y"), shape("%m/%d/%Y"));
        assert_ne!(shape("%d/%m/%Y"), shape("%d-%m-%Y"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Every supported written form, and the order of day and month it uses.
    const FORMS: &[(&str, bool)] = &[
        ("%Y-%m-%d", false),
        ("%d-%m-%Y", true),
        ("%m-%d-%Y", true),
        ("%d/%m/%Y", true),
        ("%m/%d/%Y", true),
        // No month-first form with dots is a candidate, so dots need no evidence.
        ("%d.%m.%Y", false),
        ("%Y/%m/%d", false),
        ("%Y%m%d", false),
    ];
    const TIMES: &[&str] = &["", " %H:%M", " %H:%M:%S", " %I:%M:%S %p", "T%H:%M:%SZ"];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// A column of random dates written in one form: when a value tells day from month
        /// the column is read in that form and every date comes back; when none does (and
        /// the two readings differ), the column is refused. Never a wrong date.
        #[test]
        fn a_column_is_read_right_or_refused(
            form in 0..FORMS.len(),
            time in 0..TIMES.len(),
            days in proptest::collection::vec((1990i32..2030, 1u32..=12, 1u32..=31, 0u32..86400), 1..40),
        ) {
            let (f, day_month) = FORMS[form];
            let dates: Vec<(NaiveDate, u32)> = days
                .iter()
                .filter_map(|&(y, m, d, s)| NaiveDate::from_ymd_opt(y, m, d).map(|x| (x, s)))
                .collect();
            prop_assume!(!dates.is_empty());
            let written: Vec<String> = dates
                .iter()
                .map(|(d, s)| {
                    let t = d.and_time(NaiveTime::from_num_seconds_from_midnight_opt(*s, 0).unwrap());
                    t.format(&format!("{f}{}", TIMES[time])).to_string()
                })
                .collect();
            let tells = dates.iter().any(|(d, _)| d.day() > 12);
            let differs = dates.iter().any(|(d, _)| d.day() != d.month());
            let candidates = crate::config::Config::default_config().invoer.datumformaten;
            match sniff(written.iter().map(String::as_str), &candidates) {
                Ok(Some(s)) => {
                    prop_assert!(!day_month || tells || !differs, "accepted without evidence: {:?}", written);
                    for ((d, _), w) in dates.iter().zip(&written) {
                        prop_assert_eq!(parse_with(w, &s.format), Some(*d), "{} as {}", w, s.format);
                    }
                }
                Ok(None) => prop_assert!(false, "no format for {:?}", written),
                Err(e) => {
                    prop_assert!(day_month && !tells && differs, "refused {:?}: {:?}", written, e);
                    let is_ambiguous = matches!(e, DateProblem::Ambiguous { .. });
                    prop_assert!(is_ambiguous, "{:?}", e);
                }
            }
        }
    }
}
