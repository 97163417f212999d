//! When things happen: the intake per month from 1 March 2025, daily sampling of dates
//! and sequence numbers within a year.
//!
//! ```ignore
//! let cdf = DayCdf::new(start_date(), export_date, case_month_weight);
//! let ontvangen = cdf.sample(&mut rng);
//! ```

use super::rng::Rng;
use chrono::{Datelike, Duration, NaiveDate};

/// The first day of the generated data.
pub(super) fn start_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 1).expect("valid date")
}

/// `n` days after `d`.
pub(super) fn day(d: NaiveDate, n: i64) -> NaiveDate {
    d + Duration::days(n)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let first_next = NaiveDate::from_ymd_opt(ny, nm, 1).expect("valid date");
    let first = NaiveDate::from_ymd_opt(y, m, 1).expect("valid date");
    (first_next - first).num_days() as u32
}

/// Months since March 2025 (0 = March 2025).
fn month_index(y: i32, m: u32) -> i64 {
    (y as i64 - 2025) * 12 + m as i64 - 3
}

/// Expected cases per month: 60 in March-December 2025, 250 in 2026, then +1.5 a month.
pub(super) fn case_month_weight(y: i32, m: u32) -> f64 {
    const TABLE: [f64; 22] = [
        2.0, 3.0, 4.0, 5.0, 5.0, 6.0, 7.0, 8.0, 9.0, 11.0, // 2025
        14.0, 15.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 25.0, 27.0, 29.0, // 2026
    ];
    match month_index(y, m) {
        i if i < 0 => 0.0,
        i if (i as usize) < TABLE.len() => TABLE[i as usize],
        i => 29.0 + 1.5 * (i - 21) as f64,
    }
}

/// Expected signals per month: 162 in March-December 2025, 330 in 2026.
pub(super) fn signal_month_weight(y: i32, m: u32) -> f64 {
    match month_index(y, m) {
        i if i < 0 => 0.0,
        i if i < 10 => [10.0, 12.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0][i as usize],
        i => 22.0 + (i - 10) as f64,
    }
}

/// Cumulative daily intensity from the start date to the export date.
pub(super) struct DayCdf {
    start: NaiveDate,
    cum: Vec<f64>,
    /// Expected number of items over the whole span.
    pub(super) total: f64,
}

impl DayCdf {
    pub(super) fn new(
        start: NaiveDate,
        end: NaiveDate,
        month_weight: fn(i32, u32) -> f64,
    ) -> DayCdf {
        let mut cum = Vec::new();
        let mut total = 0.0;
        let mut d = start;
        while d <= end {
            total += month_weight(d.year(), d.month()) / days_in_month(d.year(), d.month()) as f64;
            cum.push(total);
            d += Duration::days(1);
        }
        DayCdf { start, cum, total }
    }

    /// A day drawn with probability proportional to its intensity.
    pub(super) fn sample(&self, rng: &mut Rng) -> NaiveDate {
        let x = rng.f64() * self.total;
        let i = self
            .cum
            .partition_point(|&c| c <= x)
            .min(self.cum.len() - 1);
        self.start + Duration::days(i as i64)
    }
}

/// Sequence number within the year of each date (dates sorted).
pub(super) fn year_sequence(dates: impl Iterator<Item = NaiveDate>) -> Vec<u32> {
    let mut year = i32::MIN;
    let mut seq = 0;
    dates
        .map(|d| {
            if d.year() != year {
                year = d.year();
                seq = 0;
            }
            seq += 1;
            seq
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_weights_give_60_and_250() {
        let y2025: f64 = (3..=12).map(|m| case_month_weight(2025, m)).sum();
        let y2026: f64 = (1..=12).map(|m| case_month_weight(2026, m)).sum();
        assert_eq!((y2025, y2026), (60.0, 250.0));
        assert_eq!(case_month_weight(2025, 2), 0.0);
        let cdf = DayCdf::new(start_date(), d(2026, 10, 31), case_month_weight);
        // 60 + Jan-Oct 2026 (14+15+17+18+19+20+21+22+23+25 = 194).
        assert!((cdf.total - 254.0).abs() < 1e-9);
        let s = DayCdf::new(start_date(), d(2026, 10, 31), signal_month_weight);
        assert!((s.total - (162.0 + 265.0)).abs() < 1e-9);
    }

    #[test]
    fn sequences_restart_each_year() {
        let seq = year_sequence(
            [
                d(2025, 3, 1),
                d(2025, 3, 1),
                d(2025, 12, 31),
                d(2026, 1, 1),
                d(2026, 2, 1),
            ]
            .into_iter(),
        );
        assert_eq!(seq, [1, 2, 3, 1, 2]);
    }
}
