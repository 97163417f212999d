//! Kaplan-Meier figures of the indicators: lead times to closing (open cases censored at the
//! peildatum) per group, and the statistic one indicator reads from the curve.
//!
//! ```
//! use rodedraad::analyse::indicators::{km_figure, KmStat};
//! let (closed, n, median, _) = km_figure(&[10.0, 20.0, 30.0], &[true, true, false], KmStat::Quantile(0.5));
//! assert_eq!((closed, n, median), (2.0, 3, Some(20.0)));
//! ```

use super::{KmStat, Raw};
use crate::analyse::methods::stats;
use crate::error::Result;
use polars::prelude::*;

/// Kaplan-Meier input of the rows where `filter` holds: lead time in days to closing, or to the
/// peildatum (censored) for a case still open; with the group of `dim` when given.
pub(super) fn km_input(
    lf: &LazyFrame,
    filter: &Expr,
    reference_date: i32,
    dim: Option<&str>,
) -> Result<KmInput> {
    let group = match dim {
        Some(d) => col(d).cast(DataType::String).fill_null(lit("onbekend")),
        None => lit(""),
    };
    let df = lf
        .clone()
        .filter(filter.clone().fill_null(lit(false)))
        .select([
            group.alias("g"),
            when(col("afgerond_op").is_not_null())
                .then(col("afgerond_op") - col("ontvangen_op"))
                .otherwise(lit(reference_date) - col("ontvangen_op"))
                .cast(DataType::Float64)
                .alias("t"),
            col("afgerond_op").is_not_null().alias("e"),
        ])
        .collect()?;
    let g = df.column("g")?.str()?.clone();
    let t = df.column("t")?.f64()?.clone();
    let e = df.column("e")?.bool()?.clone();
    let mut out: KmInput = std::collections::BTreeMap::new();
    for ((g, t), e) in g.iter().zip(t.iter()).zip(e.iter()) {
        let entry = out.entry(g.unwrap_or("onbekend").to_string()).or_default();
        entry.0.push(t.unwrap_or(f64::NAN));
        entry.1.push(e.unwrap_or(false));
    }
    Ok(out)
}

/// Lead times and event flags per group.
pub(super) type KmInput = std::collections::BTreeMap<String, (Vec<f64>, Vec<bool>)>;

/// One Kaplan-Meier figure from lead times and event flags: (teller, noemer, waarde, interval).
/// The teller is the number of closures seen (within the term, for [`KmStat::ClosedWithin`]).
pub fn km_figure(
    times: &[f64],
    events: &[bool],
    stat: KmStat,
) -> (f64, u64, Option<f64>, Option<(f64, f64)>) {
    let steps = stats::kaplan_meier(times, events);
    let last = times.iter().copied().fold(0.0, f64::max);
    let n = times.len() as u64;
    match stat {
        KmStat::Quantile(q) => {
            let closed = events.iter().filter(|e| **e).count() as f64;
            (closed, n, stats::km_quantile(&steps, q, last), None)
        }
        KmStat::ClosedWithin(days) => {
            let closed = times
                .iter()
                .zip(events)
                .filter(|(t, e)| **e && **t <= days)
                .count() as f64;
            let w = (n > 0).then(|| 1.0 - stats::km_survival_at(&steps, days));
            let ci = stats::km_interval_at(&steps, days).map(|(lo, hi)| (1.0 - hi, 1.0 - lo));
            (closed, n, w, ci)
        }
    }
}

/// The rows (total, or one per group of `dim`) of a Kaplan-Meier indicator.
pub(super) fn km_rows(
    lf: &LazyFrame,
    filter: &Expr,
    stat: KmStat,
    reference_date: i32,
    dim: Option<&str>,
) -> Result<Vec<Raw>> {
    let mut input = km_input(lf, filter, reference_date, dim)?;
    if dim.is_none() && input.is_empty() {
        input.insert(String::new(), (Vec::new(), Vec::new()));
    }
    Ok(input
        .into_iter()
        .map(|(g, (t, e))| {
            let (teller, n, w, ci) = km_figure(&t, &e, stat);
            Raw {
                dim: dim.map(str::to_string),
                group: dim.map(|_| g),
                t: Some(teller),
                n: Some(n),
                w,
                ci,
            }
        })
        .collect())
}
