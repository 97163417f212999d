//! Dutch formatting of numbers, percentages and dates.
//!
//! Everything a person reads uses these: thousands with a dot, decimals with
//! a comma, dates written out.
//!
//! ```
//! use rodedraad::nl;
//! assert_eq!(nl::int(1234), "1.234");
//! assert_eq!(nl::pct(0.125, 1), "12,5%");
//! let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
//! assert_eq!(nl::date(d), "1 maart 2025");
//! assert_eq!(nl::count(1, "signaal", "signalen"), "1 signaal");
//! assert_eq!(nl::count(1200, "signaal", "signalen"), "1.200 signalen");
//! assert_eq!(nl::list(&["a", "b", "c"]), "a, b en c");
//! assert_eq!(nl::days(1), "1 dag");
//! assert_eq!(nl::quantity(1.0, 0, " dagen"), "1 dag");
//! assert_eq!(nl::quantity(1.5, 1, " dagen"), "1,5 dagen");
//! ```

use chrono::{Datelike, NaiveDate};

pub const MONTHS: [&str; 12] = [
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
];

/// A number with its noun in the right form: "1 signaal", "0 signalen", "12 signalen".
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    format!(
        "{} {}",
        int(n as i64),
        if n == 1 { singular } else { plural }
    )
}

/// The text with its first letter in upper case ("oplossing gevonden" -> "Oplossing
/// gevonden"); the rest keeps its case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A number of days: "1 dag", "0 dagen", "14 dagen".
pub fn days(n: i64) -> String {
    format!("{} {}", int(n), if n.abs() == 1 { "dag" } else { "dagen" })
}

/// Units written in the plural with their singular, for [`quantity`].
const UNITS: &[(&str, &str)] = &[(" dagen", " dag"), (" casussen", " casus")];

/// A number with `decimals` digits and its unit (" dagen"), singular when the number reads
/// as exactly 1: "1 dag", "1,5 dagen", "40 dagen". A unit not in the list stays as given.
pub fn quantity(x: f64, decimals: usize, unit: &str) -> String {
    let n = dec(x, decimals);
    let unit = match UNITS.iter().find(|(plural, _)| *plural == unit) {
        Some((_, singular)) if n == "1" || n == "-1" => singular,
        _ => unit,
    };
    format!("{n}{unit}")
}

/// A Dutch enumeration: "a", "a en b", "a, b en c" (no comma before "en").
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} en {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// An integer with a dot as thousands separator.
pub fn int(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A decimal number with `decimals` digits, comma as decimal separator.
pub fn dec(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s.as_str(), None),
    };
    let w: i64 = whole.parse().unwrap_or(0);
    let neg = x < 0.0 && s.chars().any(|c| c != '0' && c != '.');
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&int(w));
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// A share (0..=1) as a percentage with `decimals` digits: `0.125` -> `12,5%`.
pub fn pct(share: f64, decimals: usize) -> String {
    format!("{}%", dec(share * 100.0, decimals))
}

/// A date written out: `1 maart 2025`.
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// A short numeric Dutch date: `01-03-2025`.
pub fn date_short(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_quantities_in_the_right_form() {
        assert_eq!(days(1), "1 dag");
        assert_eq!(days(-1), "-1 dag");
        assert_eq!(days(0), "0 dagen");
        assert_eq!(days(1200), "1.200 dagen");
        assert_eq!(quantity(1.0, 0, " dagen"), "1 dag");
        assert_eq!(quantity(1.4, 0, " dagen"), "1 dag");
        assert_eq!(quantity(1.0, 1, " dagen"), "1,0 dagen");
        assert_eq!(quantity(2.0, 0, " dagen"), "2 dagen");
        assert_eq!(quantity(1.0, 0, " casussen"), "1 casus");
        assert_eq!(quantity(1.0, 1, ""), "1,0");
    }

    #[test]
    fn singular_and_plural() {
        assert_eq!(count(0, "casus", "casussen"), "0 casussen");
        assert_eq!(count(1, "casus", "casussen"), "1 casus");
        assert_eq!(count(2, "casus", "casussen"), "2 casussen");
        assert_eq!(count(1001, "cel", "cellen"), "1.001 cellen");
    }

    #[test]
    fn lists_join_with_en() {
        assert_eq!(list::<&str>(&[]), "");
        assert_eq!(list(&["ouderen"]), "ouderen");
        assert_eq!(list(&["ouderen", "jongeren"]), "ouderen en jongeren");
        assert_eq!(
            list(&["IBTD".to_string(), "KSM".into(), "Belastingdienst".into()]),
            "IBTD, KSM en Belastingdienst"
        );
    }

    #[test]
    fn integers() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1.000");
        assert_eq!(int(1234567), "1.234.567");
        assert_eq!(int(-1234), "-1.234");
    }

    #[test]
    fn decimals_and_percentages() {
        assert_eq!(dec(1234.5, 1), "1.234,5");
        assert_eq!(dec(-0.04, 1), "0,0");
        assert_eq!(dec(-2.25, 2), "-2,25");
        assert_eq!(pct(0.125, 1), "12,5%");
        assert_eq!(pct(1.0, 0), "100%");
        assert_eq!(dec(f64::NAN, 1), "-");
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(date(d), "31 december 2026");
        assert_eq!(date_short(d), "31-12-2026");
    }
}
