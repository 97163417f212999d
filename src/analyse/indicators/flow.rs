//! Flow, cohorts, open cases, targets and undated escalations: the tables next to the
//! indicator records, each one polars aggregation over the frame prepared by [`super::as_of`].
//!
//! ```no_run
//! # let cases = polars::prelude::DataFrame::empty();
//! let p: rodedraad::analyse::period::Period = "2026-H1".parse().unwrap();
//! let cfg = rodedraad::config::Config::default_config();
//! let out = rodedraad::analyse::indicators::compute(&cases, &p, p.end, &cfg).unwrap();
//! println!("{} rijen in de stroomtabel", out.stroom.len());
//! ```

use super::definitions::is_in;
use super::{flag, CohortRow, Ctx, EscalationDates, FlowRow, OpenCase, Target, SOLVED};
use crate::analyse::period::Period;
use crate::config::Config;
use crate::error::Result;
use crate::ingest::validate::days;
use chrono::NaiveDate;
use polars::prelude::*;

/// How many escalations of cases closed in the period had no date, and how many escalated
/// cases without a date were left out because they were still open on the peildatum.
pub(super) fn escalation_dates(lf: &LazyFrame, ctx: &Ctx) -> Result<EscalationDates> {
    let cnt = |e: Expr| e.fill_null(lit(false)).cast(DataType::UInt32).sum();
    let undated = col("escalatie_zonder_datum");
    let df = lf
        .clone()
        .select([
            cnt(undated.clone().and(ctx.closed())).alias("geteld"),
            cnt(undated.and(col("afgerond_op").is_null())).alias("niet_geteld"),
        ])
        .collect()?;
    Ok(EscalationDates {
        zonder_datum_afgerond: u64s(&df, "geteld")?[0],
        zonder_datum_open: u64s(&df, "niet_geteld")?[0],
    })
}

pub(super) fn u64s(df: &DataFrame, c: &str) -> Result<Vec<u64>> {
    Ok(df
        .column(c)?
        .cast(&DataType::UInt64)?
        .u64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect())
}

/// Count columns of a small aggregated frame, read by name: the flow and cohort rows are
/// built field by field from these, so a column can never be taken from the wrong
/// position.
struct Counts(std::collections::HashMap<&'static str, Vec<u64>>);

impl Counts {
    fn read(df: &DataFrame, names: &[&'static str]) -> Result<Self> {
        names
            .iter()
            .map(|&n| Ok((n, u64s(df, n)?)))
            .collect::<Result<_>>()
            .map(Counts)
    }

    /// The count of column `name` in row `i`; `name` is one of the names read (a name
    /// that was not read is a programming error, caught by every test of the tables).
    fn get(&self, name: &str, i: usize) -> u64 {
        self.0[name][i]
    }
}

pub(super) fn strings(df: &DataFrame, c: &str) -> Result<Vec<String>> {
    Ok(df
        .column(c)?
        .cast(&DataType::String)?
        .str()?
        .iter()
        .map(|v| v.unwrap_or("onbekend").to_string())
        .collect())
}

/// The count columns of the flow aggregation.
const FLOW_COLUMNS: &[&str] = &[
    "open_begin",
    "ontvangen",
    "afgehandeld",
    "waarvan_bij_triage",
    "waarvan_na_behandeling",
    "open_eind",
    "waarvan_ingetrokken_voor_triage",
];

/// The count columns of the cohort aggregation.
const COHORT_COLUMNS: &[&str] = &[
    "ontvangen",
    "niet_in_behandeling",
    "wacht_op_triage",
    "in_behandeling_genomen",
    "opgelost",
    "anders_afgerond",
    "nog_open",
    "ingetrokken_voor_triage",
];

pub(super) fn flow(lf: &LazyFrame, ctx: &Ctx) -> Result<Vec<FlowRow>> {
    let cnt = |e: Expr| e.fill_null(lit(false)).cast(DataType::UInt32).sum();
    let open_at = |day: i32, strict: bool| {
        let started = if strict {
            col("ontvangen_op").lt(lit(day))
        } else {
            col("ontvangen_op").lt_eq(lit(day))
        };
        let ended_after = if strict {
            col("eind").gt_eq(lit(day))
        } else {
            col("eind").gt(lit(day))
        };
        started.and(col("eind").is_null().or(ended_after))
    };
    let in_p = |c: &str| col(c).gt_eq(lit(ctx.start)).and(col(c).lt_eq(lit(ctx.end)));
    let aggs = [
        cnt(open_at(ctx.start, true)).alias("open_begin"),
        cnt(in_p("ontvangen_op")).alias("ontvangen"),
        cnt(in_p("eind")).alias("afgehandeld"),
        cnt(in_p("eind")
            .and(col("behandelen").not())
            .and(col("ingetrokken_voor_triage").not()))
        .alias("waarvan_bij_triage"),
        cnt(in_p("eind").and(col("ingetrokken_voor_triage")))
            .alias("waarvan_ingetrokken_voor_triage"),
        cnt(in_p("eind").and(col("behandelen"))).alias("waarvan_na_behandeling"),
        cnt(open_at(ctx.end, false)).alias("open_eind"),
    ];
    let per = lf
        .clone()
        .group_by([col("dienst")])
        .agg(aggs.clone())
        .sort(
            ["dienst"],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .collect()?;
    let tot = lf
        .clone()
        .select(aggs)
        .with_column(lit("totaal").alias("dienst"))
        .collect()?;
    let mut rows = Vec::new();
    for df in [&per, &tot] {
        let d = strings(df, "dienst")?;
        let c = Counts::read(df, FLOW_COLUMNS)?;
        rows.extend((0..df.height()).map(|i| FlowRow {
            dienst: d[i].clone(),
            open_begin: c.get("open_begin", i),
            ontvangen: c.get("ontvangen", i),
            afgehandeld: c.get("afgehandeld", i),
            waarvan_bij_triage: c.get("waarvan_bij_triage", i),
            waarvan_na_behandeling: c.get("waarvan_na_behandeling", i),
            waarvan_ingetrokken_voor_triage: c.get("waarvan_ingetrokken_voor_triage", i),
            open_eind: c.get("open_eind", i),
        }));
    }
    Ok(rows)
}

pub(super) fn cohorts(lf: &LazyFrame, ctx: &Ctx) -> Result<Vec<CohortRow>> {
    let cnt = |e: Expr| e.fill_null(lit(false)).cast(DataType::UInt32).sum();
    let df = lf
        .clone()
        .filter(col("ontvangen_op").lt_eq(lit(ctx.end)))
        .with_column(col("ontvangen_op").cast(DataType::Date).alias("d"))
        .with_column(
            concat_str(
                [
                    col("d").dt().year().cast(DataType::String),
                    lit("-Q"),
                    col("d").dt().quarter().cast(DataType::String),
                ],
                "",
                false,
            )
            .alias("kwartaal"),
        )
        .group_by([col("kwartaal")])
        .agg([
            len().alias("ontvangen"),
            cnt(is_in(
                "triage_besluit",
                &["doorverwijzen", "niet_behandelen"],
            ))
            .alias("niet_in_behandeling"),
            cnt(col("ingetrokken_voor_triage")).alias("ingetrokken_voor_triage"),
            cnt(col("triage_besluit")
                .is_null()
                .and(col("ingetrokken_voor_triage").not()))
            .alias("wacht_op_triage"),
            cnt(col("behandelen")).alias("in_behandeling_genomen"),
            cnt(col("behandelen")
                .and(col("afgerond_op").is_not_null())
                .and(is_in("uitkomst", &SOLVED)))
            .alias("opgelost"),
            cnt(col("behandelen")
                .and(col("afgerond_op").is_not_null())
                .and(is_in("uitkomst", &SOLVED).not()))
            .alias("anders_afgerond"),
            cnt(col("eind").is_null()).alias("nog_open"),
        ])
        .sort(["kwartaal"], Default::default())
        .collect()?;
    let k = strings(&df, "kwartaal")?;
    let c = Counts::read(&df, COHORT_COLUMNS)?;
    Ok((0..df.height())
        .map(|i| CohortRow {
            kwartaal: k[i].clone(),
            ontvangen: c.get("ontvangen", i),
            niet_in_behandeling: c.get("niet_in_behandeling", i),
            ingetrokken_voor_triage: c.get("ingetrokken_voor_triage", i),
            wacht_op_triage: c.get("wacht_op_triage", i),
            in_behandeling_genomen: c.get("in_behandeling_genomen", i),
            opgelost: c.get("opgelost", i),
            anders_afgerond: c.get("anders_afgerond", i),
            nog_open: c.get("nog_open", i),
        })
        .collect())
}

pub(super) fn open_cases(lf: &LazyFrame, ctx: &Ctx) -> Result<Vec<OpenCase>> {
    let df = lf
        .clone()
        .filter(col("eind").is_null())
        .select([
            col("casus_id"),
            col("dienst"),
            when(col("triage_besluit").is_null())
                .then(lit("wacht op triage"))
                .when(flag("geescaleerd"))
                .then(lit("geëscaleerd"))
                .when(col("zienswijze_op").is_not_null())
                .then(lit("zienswijze uit"))
                .otherwise(lit("in behandeling"))
                .alias("fase"),
            (lit(ctx.reference_date) - col("ontvangen_op"))
                .cast(DataType::Int64)
                .alias("leeftijd"),
        ])
        .sort(
            ["leeftijd", "casus_id"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let ids = strings(&df, "casus_id")?;
    let dienst: Vec<Option<String>> = df
        .column("dienst")?
        .str()?
        .iter()
        .map(|v| v.map(str::to_string))
        .collect();
    let fase = strings(&df, "fase")?;
    let age: Vec<i64> = df
        .column("leeftijd")?
        .i64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect();
    Ok((0..df.height())
        .map(|i| OpenCase {
            casus_id: ids[i].clone(),
            dienst: dienst[i].clone(),
            fase: fase[i].clone(),
            leeftijd_dagen: age[i],
        })
        .collect())
}

pub(super) fn targets(
    lf: &LazyFrame,
    period: &Period,
    reference_date: NaiveDate,
    cfg: &Config,
) -> Result<Vec<Target>> {
    use chrono::Datelike;
    let year = period.end.year();
    let (ys, ye) = (
        days(NaiveDate::from_ymd_opt(year, 1, 1).unwrap()),
        days(
            NaiveDate::from_ymd_opt(year, 12, 31)
                .unwrap()
                .min(reference_date),
        ),
    );
    let taken = col("behandelen")
        .and(col("triage_op").gt_eq(lit(ys)))
        .and(col("triage_op").lt_eq(lit(ye)))
        .fill_null(lit(false));
    let cnt = |e: Expr| e.cast(DataType::UInt32).sum();
    let df = lf
        .clone()
        .select([
            cnt(taken
                .clone()
                .and(is_in("dienst", &["belastingdienst", "beide"])))
            .alias("bd"),
            cnt(taken.and(is_in("dienst", &["dienst_toeslagen", "beide"]))).alias("dt"),
        ])
        .collect()?;
    let bd = u64s(&df, "bd")?[0];
    let dt = u64s(&df, "dt")?[0];
    let mk = |dienst: &str, n: u64, doel: u32| Target {
        jaar: year,
        dienst: dienst.to_string(),
        in_behandeling_genomen: n,
        doel: doel as u64,
        aandeel: if doel == 0 {
            0.0
        } else {
            n as f64 / doel as f64
        },
    };
    Ok(vec![
        mk("belastingdienst", bd, cfg.indicatoren.doel_belastingdienst),
        mk(
            "dienst_toeslagen",
            dt,
            cfg.indicatoren.doel_dienst_toeslagen,
        ),
    ])
}
