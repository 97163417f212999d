//! Reporting periods: `2025`, `2026-H1`, `2026-Q3` or `2026-01-01..2026-06-30`.
//!
//! ```
//! use rodedraad::analyse::period::Period;
//! let p: Period = "2026-H1".parse().unwrap();
//! assert_eq!(p.start.to_string(), "2026-01-01");
//! assert_eq!(p.end.to_string(), "2026-06-30");
//! assert_eq!(p.previous().label, "2025-H2");
//! ```

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::str::FromStr;

/// An inclusive date range with the label it was asked by. In files it is
/// `{"label": ..., "begin": ..., "einde": ...}` (see the `Serialize` impl below).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    kind: Kind,
}

/// Files carry the period with Dutch keys: `label`, `begin`, `einde` (dates as jjjj-mm-dd).
impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Period", 3)?;
        st.serialize_field("label", &self.label)?;
        st.serialize_field("begin", &self.start)?;
        st.serialize_field("einde", &self.end)?;
        st.end()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Year,
    Half,
    Quarter,
    Range,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1).pred_opt().unwrap()
}

impl Period {
    pub fn year(y: i32) -> Period {
        Period {
            label: y.to_string(),
            start: ymd(y, 1, 1),
            end: ymd(y, 12, 31),
            kind: Kind::Year,
        }
    }

    pub fn half(y: i32, h: u32) -> Period {
        let m0 = (h - 1) * 6 + 1;
        Period {
            label: format!("{y}-H{h}"),
            start: ymd(y, m0, 1),
            end: month_end(y, m0 + 5),
            kind: Kind::Half,
        }
    }

    pub fn quarter(y: i32, q: u32) -> Period {
        let m0 = (q - 1) * 3 + 1;
        Period {
            label: format!("{y}-Q{q}"),
            start: ymd(y, m0, 1),
            end: month_end(y, m0 + 2),
            kind: Kind::Quarter,
        }
    }

    pub fn range(start: NaiveDate, end: NaiveDate) -> Period {
        Period {
            label: format!("{start}..{end}"),
            start,
            end,
            kind: Kind::Range,
        }
    }

    /// The quarter that contains `d`.
    pub fn quarter_of(d: NaiveDate) -> Period {
        Period::quarter(d.year(), d.month0() / 3 + 1)
    }

    /// The last complete half year on or before `d`.
    pub fn last_half_before(d: NaiveDate) -> Period {
        let y = d.year();
        [
            Period::half(y, 2),
            Period::half(y, 1),
            Period::half(y - 1, 2),
        ]
        .into_iter()
        .find(|h| h.end <= d)
        .expect("one of three half years ends before d")
    }

    /// The last complete quarter on or before `d`.
    pub fn last_quarter_before(d: NaiveDate) -> Period {
        let q = Period::quarter_of(d);
        if q.end == d {
            q
        } else {
            q.previous()
        }
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        match self.kind {
            Kind::Year => Period::year(self.start.year() - 1),
            Kind::Half => {
                let h = if self.start.month() == 1 { 2 } else { 1 };
                let y = if h == 2 {
                    self.start.year() - 1
                } else {
                    self.start.year()
                };
                Period::half(y, h)
            }
            Kind::Quarter => {
                let q = self.start.month0() / 3 + 1;
                if q == 1 {
                    Period::quarter(self.start.year() - 1, 4)
                } else {
                    Period::quarter(self.start.year(), q - 1)
                }
            }
            Kind::Range => {
                let len = (self.end - self.start).num_days() + 1;
                let end = self.start.pred_opt().unwrap();
                Period::range(end - chrono::Duration::days(len - 1), end)
            }
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    /// The one "as of the peildatum" rule for every table, figure and trend series: an event
    /// dated `d` counts in this period, as the data stood on `reference_date`, when `d` lies in the
    /// period and not after `reference_date` (an event after the peildatum has not happened yet).
    ///
    /// ```
    /// use rodedraad::analyse::period::Period;
    /// let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    /// let h1: Period = "2026-H1".parse().unwrap();
    /// assert!(h1.counts_on(d("2026-03-01"), d("2026-03-31")));
    /// assert!(!h1.counts_on(d("2026-05-01"), d("2026-03-31")));
    /// ```
    pub fn counts_on(&self, d: NaiveDate, reference_date: NaiveDate) -> bool {
        self.contains(d) && d <= reference_date
    }

    /// The last day of the period that can be seen on `reference_date`: the end, or the peildatum when
    /// that comes first.
    pub fn observed_end(&self, reference_date: NaiveDate) -> NaiveDate {
        self.end.min(reference_date)
    }

    /// Dutch description: "1 januari 2026 tot en met 30 juni 2026".
    pub fn date_range(&self) -> String {
        format!(
            "{} tot en met {}",
            crate::nl::date(self.start),
            crate::nl::date(self.end)
        )
    }

    /// Dutch title: "eerste halfjaar 2026", "derde kwartaal 2026", "2025".
    pub fn title(&self) -> String {
        let y = self.start.year();
        match self.kind {
            Kind::Year => format!("{y}"),
            Kind::Half if self.start.month() == 1 => format!("eerste halfjaar {y}"),
            Kind::Half => format!("tweede halfjaar {y}"),
            Kind::Quarter => {
                let n = ["eerste", "tweede", "derde", "vierde"][(self.start.month0() / 3) as usize];
                format!("{n} kwartaal {y}")
            }
            Kind::Range => self.date_range(),
        }
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Period, String> {
        let bad = || {
            format!("\"{s}\" is geen periode; gebruik bijvoorbeeld 2025, 2026-H1, 2026-Q3 of 2026-01-01..2026-06-30")
        };
        let s = s.trim();
        if let Some((a, b)) = s.split_once("..") {
            let a = NaiveDate::parse_from_str(a, "%Y-%m-%d").map_err(|_| bad())?;
            let b = NaiveDate::parse_from_str(b, "%Y-%m-%d").map_err(|_| bad())?;
            if b < a {
                return Err(format!("periode {s}: het einde ligt vóór het begin"));
            }
            return Ok(Period::range(a, b));
        }
        if let Ok(y) = s.parse::<i32>() {
            return (1900..=2200)
                .contains(&y)
                .then(|| Period::year(y))
                .ok_or_else(bad);
        }
        let (y, rest) = s.split_once('-').ok_or_else(bad)?;
        let y: i32 = y.parse().map_err(|_| bad())?;
        let up = rest.to_uppercase();
        match (up.chars().next(), up[1..].parse::<u32>()) {
            (Some('H'), Ok(h @ 1..=2)) => Ok(Period::half(y, h)),
            (Some('Q' | 'K'), Ok(q @ 1..=4)) => Ok(Period::quarter(y, q)),
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!("2025".parse::<Period>().unwrap().end, ymd(2025, 12, 31));
        assert_eq!("2026-Q3".parse::<Period>().unwrap().start, ymd(2026, 7, 1));
        assert_eq!("2026-q3".parse::<Period>().unwrap().end, ymd(2026, 9, 30));
        assert_eq!("2024-Q1".parse::<Period>().unwrap().end, ymd(2024, 3, 31));
        let r: Period = "2026-01-01..2026-06-30".parse().unwrap();
        assert_eq!((r.start, r.end), (ymd(2026, 1, 1), ymd(2026, 6, 30)));
        assert!("2026-H3".parse::<Period>().is_err());
        assert!("juni".parse::<Period>().is_err());
        assert!("2026-06-30..2026-01-01".parse::<Period>().is_err());
    }

    #[test]
    fn previous_periods_have_the_same_length() {
        assert_eq!(
            "2026-H1".parse::<Period>().unwrap().previous(),
            Period::half(2025, 2)
        );
        assert_eq!(
            "2026-Q1".parse::<Period>().unwrap().previous(),
            Period::quarter(2025, 4)
        );
        assert_eq!(
            "2026".parse::<Period>().unwrap().previous(),
            Period::year(2025)
        );
        let r: Period = "2026-01-11..2026-01-20".parse().unwrap();
        let p = r.previous();
        assert_eq!((p.start, p.end), (ymd(2026, 1, 1), ymd(2026, 1, 10)));
    }

    #[test]
    fn an_event_counts_only_in_the_period_and_up_to_the_peildatum() {
        // Period 2026-H1 with the peildatum in the middle (31 March 2026).
        let h1 = Period::half(2026, 1);
        let reference_date = ymd(2026, 3, 31);
        assert!(h1.counts_on(ymd(2026, 1, 1), reference_date));
        assert!(h1.counts_on(ymd(2026, 3, 31), reference_date));
        assert!(
            !h1.counts_on(ymd(2026, 4, 1), reference_date),
            "after the peildatum"
        );
        assert!(
            !h1.counts_on(ymd(2025, 12, 31), reference_date),
            "before the period"
        );
        assert_eq!(h1.observed_end(reference_date), reference_date);
        // With the peildatum after the end, the period end bounds it.
        let late = ymd(2026, 10, 31);
        assert!(h1.counts_on(ymd(2026, 6, 30), late));
        assert!(!h1.counts_on(ymd(2026, 7, 1), late));
        assert_eq!(h1.observed_end(late), h1.end);
    }

    #[test]
    fn titles_and_last_complete_periods() {
        assert_eq!(Period::half(2026, 1).title(), "eerste halfjaar 2026");
        assert_eq!(Period::quarter(2026, 3).title(), "derde kwartaal 2026");
        assert_eq!(
            Period::last_half_before(ymd(2026, 10, 31)),
            Period::half(2026, 1)
        );
        assert_eq!(
            Period::last_half_before(ymd(2026, 3, 31)),
            Period::half(2025, 2)
        );
        assert_eq!(
            Period::last_half_before(ymd(2026, 12, 31)),
            Period::half(2026, 2)
        );
        assert_eq!(
            Period::last_quarter_before(ymd(2026, 10, 31)),
            Period::quarter(2026, 3)
        );
        assert_eq!(
            Period::last_quarter_before(ymd(2026, 9, 30)),
            Period::quarter(2026, 3)
        );
    }
}
