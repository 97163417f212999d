//! The charts of the report, built from released values only: a hidden cell is
//! `None` in [`ChartData`] and is not drawn. Each chart's table joins the report's tables.
//!
//! ```text
//! charts_for(intake, &cases, ind, &head, &labelled, &p, &mut tabellen) -> Vec<Chart>
//! ```

use super::{rec, Bar, Chart, ChartData, Headline, Series};
use crate::analyse::indicators::{Indicators, KmPoint};
use crate::analyse::threads::Thread;
use crate::model::Case;
use crate::nl;
use crate::protect::tables::{Audience, Protector, PubRow, PubTable};

/// The days of the Kaplan-Meier table: day 56 is "binnen 8 weken", 91 and 152 the 3 and 5
/// months of the indicators.
const KM_DAYS: [f64; 8] = [30.0, 56.0, 91.0, 122.0, 152.0, 183.0, 274.0, 365.0];

/// The cases still followed after day `t`: those at risk just before the first step after
/// `t` (0 when no step follows).
fn followed_after(km: &[KmPoint], t: f64) -> u64 {
    km.iter()
        .find(|k| k.dagen > t)
        .map(|k| k.in_risico)
        .unwrap_or(0)
}

/// The table behind the curve: the share still open after each of [`KM_DAYS`] (before the
/// last step), with the number of cases still followed then. For the public the share is
/// shown only when at least `min_noemer` cases are still followed.
fn km_rows(km: &[KmPoint], p: &Protector) -> Vec<PubRow> {
    let last = km.last().map(|k| k.dagen).unwrap_or(0.0);
    KM_DAYS
        .iter()
        .filter(|&&t| t < last)
        .map(|&t| {
            let s = km
                .iter()
                .take_while(|k| k.dagen <= t)
                .last()
                .map(|k| k.nog_open)
                .unwrap_or(1.0);
            let at_risk = followed_after(km, t);
            PubRow {
                kop: nl::days(t as i64),
                cellen: vec![
                    p.statistic(Some(s * 100.0), at_risk.max(1), 1, "%"),
                    p.count(at_risk),
                ],
                totaal: false,
                deel_van: None,
            }
        })
        .collect()
}

/// The points of the curve. For the public, by the table's own rule: a step is drawn only
/// while at least `min_noemer` cases are still followed after it, so the curve never shows
/// a share the table hides (the line ends at its last point: it is not drawn on).
fn km_curve(km: &[KmPoint], p: &Protector) -> Vec<(f64, f64)> {
    // Steps fall on distinct days, so the cases followed after a step are those at risk at
    // the next one (none after the last).
    let next_at_risk = km.iter().skip(1).map(|k| k.in_risico).chain([0]);
    km.iter()
        .zip(next_at_risk)
        .take_while(|(_, next)| p.audience == Audience::Internal || *next >= p.min_denominator)
        .map(|(k, _)| (k.dagen, k.nog_open))
        .collect()
}

pub(super) fn charts_for(
    intake: PubTable,
    cases: &[Case],
    ind: &Indicators,
    head: &Headline,
    draden: &[(String, &Thread)],
    p: &Protector,
    tables: &mut Vec<PubTable>,
) -> Vec<Chart> {
    let mut out = Vec::new();
    // 1. Intake per quarter by dienst, from the protected 2D table.
    let quarters: Vec<String> = ind.cohorten.iter().map(|c| c.kwartaal.clone()).collect();
    let labels: Vec<String> = intake.kolommen[1..intake.kolommen.len() - 1].to_vec();
    let t = intake;
    let series: Vec<Series> = (0..labels.len())
        .map(|j| Series {
            name: labels[j].clone(),
            values: t
                .rijen
                .iter()
                .filter(|r| !r.totaal)
                .map(|r| r.cellen[j].waarde)
                .collect(),
        })
        .collect();
    out.push(Chart {
        id: "grafiek-instroom".into(),
            onderdeel: "kerncijfers".into(),
        titel: "Instroom per kwartaal, naar dienst".into(),
        heading: "Instroom per kwartaal, naar dienst".into(),
        data: ChartData::StackedBars { categories: quarters.clone(), series, unit: "casussen".into() },
        alt: format!("Gestapelde staafgrafiek van het aantal ontvangen casussen per kwartaal van {} tot en met {}, per dienst. De cijfers staan in de tabel eronder.", quarters.first().cloned().unwrap_or_default(), quarters.last().cloned().unwrap_or_default()),
        tabel: t.id.clone(),
    });
    // The table the chart is drawn from goes into the report, right after the intake tables.
    let pos = tables
        .iter()
        .position(|x| x.id == "instroom-thema")
        .map(|i| i + 1)
        .unwrap_or(tables.len());
    tables.insert(pos, t);
    // 2. Funnel.
    let zienswijzen = cases
        .iter()
        .filter(|c| {
            c.zienswijze_op
                .is_some_and(|d| ind.periode.counts_on(d, ind.peildatum))
        })
        .count() as u64;
    // The funnel's counts are headline figures: released as the key table releases them.
    let steps = [
        ("Aangedragen", head.value("ontvangen_aantal", false)),
        ("Getrieerd", head.value("triage_aantal", false)),
        ("In behandeling", head.value("behandeld_aantal", false)),
        ("Zienswijze uitgebracht", p.count(zienswijzen)),
        ("Afgerond", head.value("afgerond_aantal", false)),
    ];
    let bars: Vec<Bar> = steps
        .iter()
        .map(|(l, v)| Bar {
            label: l.to_string(),
            value: v.waarde,
            group: 0,
        })
        .collect();
    out.push(Chart {
        id: "grafiek-trechter".into(),
        onderdeel: "kerncijfers".into(),
        titel: "Van aangedragen tot afgerond".into(),
        heading: "Van aangedragen tot afgerond".into(),
        data: ChartData::HorizontalBars {
            bars: bars.clone(),
            x_label: "casussen in de periode".into(),
        },
        alt: format!(
            "Trechter van het aantal casussen per stap in de periode: {}.",
            bars.iter()
                .map(|b| format!(
                    "{} {}",
                    b.label.to_lowercase(),
                    b.value
                        .map(|v| nl::int(v as i64))
                        .unwrap_or_else(|| ".".into())
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        tabel: String::new(),
    });
    // 3. Kaplan-Meier.
    let km_n = rec(ind, "doorlooptijd_mediaan_dagen")
        .and_then(|r| r.noemer)
        .unwrap_or(0);
    if p.audience == Audience::Internal || km_n >= p.min_denominator {
        tables.push(p.with_note(PubTable {
            id: "kaplan-meier".into(),
            titel: "Tijd tot afronding (Kaplan-Meier): aandeel nog niet afgerond".into(),
            kolommen: vec!["Na".into(), "Nog niet afgerond".into(), "Nog gevolgd".into()],
            rijen: km_rows(&ind.kaplan_meier, p),
            voetnoten: vec!["Casussen die in de periode zijn ontvangen en in behandeling genomen; open casussen tellen mee tot de peildatum.".into()],
            totaal_kolom: false,
        }));
        let pts = km_curve(&ind.kaplan_meier, p);
        let median = rec(ind, "doorlooptijd_mediaan_dagen").and_then(|r| r.waarde);
        out.push(Chart {
            id: "grafiek-km".into(),
            onderdeel: "kerncijfers".into(),
            titel: "Tijd tot afronding (Kaplan-Meier)".into(),
            heading: "Tijd tot afronding (Kaplan-Meier)".into(),
            data: ChartData::StepCurve { points: pts, x_label: "dagen sinds ontvangst".into(), y_label: "nog niet afgerond".into() },
            alt: format!(
                "Kaplan-Meier-curve van het aandeel casussen in behandeling dat na een aantal dagen nog niet is afgerond, over {} casussen; de mediaan ligt bij {}. De tabel met de curve staat bij de kerncijfers.",
                nl::int(km_n as i64),
                median.map(|m| nl::quantity(m, 0, " dagen")).unwrap_or_else(|| "nog niet bereikt".into())
            ),
            tabel: String::new(),
        });
    }
    // 4. Rode draden by size and trend, under their released labels.
    let shown: Vec<&(String, &Thread)> = draden
        .iter()
        .filter(|(_, d)| p.audience == Audience::Internal || d.n_casussen as u64 >= p.min_cell)
        .take(12)
        .collect();
    if !shown.is_empty() {
        let bars: Vec<Bar> = shown
            .iter()
            .map(|(label, d)| Bar {
                label: label.clone(),
                value: Some(d.n_casussen as f64),
                group: match d.trend {
                    crate::analyse::threads::Trend::New => 4,
                    crate::analyse::threads::Trend::Rising => 1,
                    crate::analyse::threads::Trend::Stable => 0,
                    crate::analyse::threads::Trend::Falling => 2,
                },
            })
            .collect();
        out.push(Chart {
            id: "grafiek-draden".into(),
            onderdeel: "draden".into(),
            titel: "Rode draden naar omvang en trend".into(),
            heading: "Rode draden naar omvang en trend (kleur: rood stijgend, paars nieuw, blauw stabiel, groen dalend)".into(),
            data: ChartData::HorizontalBars { bars, x_label: "casussen".into() },
            alt: format!("Staafgrafiek van de {} sterkste rode draden naar aantal casussen; de kleur geeft de trend. De cijfers staan in de tabel met rode draden.", shown.len()),
            tabel: "rode-draden".into(),
        });
    }
    out
}

/// The small trend chart of one rode draad, drawn from its released quarter table (the
/// total row left out); a hidden quarter stays `None`.
pub(super) fn thread_chart(t: &PubTable, label: &str) -> Chart {
    let rows: Vec<&PubRow> = t.rijen.iter().filter(|r| !r.totaal).collect();
    let categories: Vec<String> = rows.iter().map(|r| r.kop.clone()).collect();
    let values: Vec<Option<f64>> = rows
        .iter()
        .map(|r| {
            r.cellen
                .first()
                .and_then(|c| if c.onderdrukt { None } else { c.waarde })
        })
        .collect();
    let hidden: Vec<&str> = rows
        .iter()
        .filter(|r| r.cellen.first().is_some_and(|c| c.onderdrukt))
        .map(|r| r.kop.as_str())
        .collect();
    let shown: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let c = r.cellen.first()?;
            (!c.onderdrukt).then(|| format!("{} {}", r.kop, c.tekst))
        })
        .collect();
    let mut alt = format!(
        "Staafgrafiek van de casussen van deze rode draad per kwartaal, van {} tot en met {}.",
        categories.first().cloned().unwrap_or_default(),
        categories.last().cloned().unwrap_or_default()
    );
    if !shown.is_empty() {
        alt.push_str(&format!(" {}.", nl::list(&shown)));
    }
    if !hidden.is_empty() {
        alt.push_str(&format!(
            " Niet getoond (te weinig casussen): {}.",
            nl::list(&hidden)
        ));
    }
    Chart {
        id: format!("grafiek-{}", t.id),
        onderdeel: "draad".into(),
        titel: format!("Casussen per kwartaal: {label}"),
        heading: "Casussen per kwartaal".into(),
        data: ChartData::Columns {
            categories,
            values,
            unit: "casussen".into(),
        },
        alt,
        tabel: t.id.clone(),
    }
}

/// The chart of earlier signals by status, from the total row of the released signal
/// table; `None` when there is no such table.
pub(super) fn signal_chart(t: &PubTable) -> Option<Chart> {
    let total = t.rijen.iter().find(|r| r.totaal)?;
    let bars: Vec<Bar> = t
        .kolommen
        .iter()
        .skip(1)
        .zip(&total.cellen)
        .filter(|(k, _)| !k.eq_ignore_ascii_case("totaal"))
        .enumerate()
        .map(|(i, (k, c))| Bar {
            label: k.clone(),
            value: if c.onderdrukt { None } else { c.waarde },
            group: i,
        })
        .collect();
    if bars.is_empty() {
        return None;
    }
    let parts: Vec<String> = bars
        .iter()
        .map(|b| match b.value {
            Some(v) => format!("{} {}", b.label.to_lowercase(), nl::dec(v, 0)),
            None => format!("{} niet getoond", b.label.to_lowercase()),
        })
        .collect();
    Some(Chart {
        id: "grafiek-signalen".into(),
        onderdeel: "signalen".into(),
        titel: "Eerder doorgezette signalen naar status".into(),
        heading: "Eerder doorgezette signalen naar status".into(),
        data: ChartData::HorizontalBars {
            bars,
            x_label: "signalen".into(),
        },
        alt: format!(
            "Staafgrafiek van de eerder doorgezette signalen naar hun status op de peildatum: {}. De cijfers staan in de tabel eronder.",
            nl::list(&parts)
        ),
        tabel: t.id.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn km(steps: &[(f64, f64, u64)]) -> Vec<KmPoint> {
        steps
            .iter()
            .map(|&(dagen, nog_open, in_risico)| KmPoint {
                dagen,
                nog_open,
                in_risico,
            })
            .collect()
    }

    /// The hidden shares of the table, by day, and the last day the curve reaches.
    fn hidden_days_and_curve_end(km: &[KmPoint], p: &Protector) -> (Vec<f64>, Option<f64>) {
        let hidden = KM_DAYS
            .iter()
            .zip(km_rows(km, p))
            .filter(|(_, r)| r.cellen[0].onderdrukt)
            .map(|(&t, _)| t)
            .collect();
        (hidden, km_curve(km, p).last().map(|pt| pt.0))
    }

    #[test]
    fn the_curve_stops_before_the_first_day_the_table_hides() {
        let p = Protector::new(Audience::Parliament, 5, 10, false);
        // A step exactly on day 91 with 12 at risk, then only 3 still followed: the table
        // hides day 91, so the curve may not show the step at 91 either.
        let k = km(&[
            (10.0, 0.9, 30),
            (40.0, 0.8, 20),
            (91.0, 0.6, 12),
            (100.0, 0.4, 3),
        ]);
        let (hidden, end) = hidden_days_and_curve_end(&k, &p);
        assert_eq!(hidden, vec![91.0]);
        assert_eq!(end, Some(40.0));
        // Internal: everything.
        let internal = Protector::new(Audience::Internal, 5, 10, false);
        assert_eq!(km_curve(&k, &internal).len(), 4);
    }

    #[test]
    fn random_curves_never_show_a_hidden_share() {
        // Random curves (a fixed LCG, 2.000 of them): at-risk counts fall, steps at whole
        // days. No curve point may lie at or after a day whose share the table hides.
        let p = Protector::new(Audience::Parliament, 5, 10, false);
        let mut state: u64 = 20261201;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        let mut hidden_seen = 0;
        for _ in 0..2000 {
            let mut at_risk = 5 + next(60);
            let (mut day, mut s) = (0.0, 1.0);
            let mut steps = Vec::new();
            while at_risk > 0 {
                day += (1 + next(40)) as f64;
                s *= 1.0 - 1.0 / at_risk as f64;
                steps.push((day, s, at_risk));
                at_risk -= 1 + next(3).min(at_risk - 1);
            }
            let k = km(&steps);
            let (hidden, end) = hidden_days_and_curve_end(&k, &p);
            hidden_seen += hidden.len();
            if let (Some(first), Some(end)) = (hidden.first(), end) {
                assert!(
                    end < *first,
                    "curve reaches {end}, table hides {first}: {steps:?}"
                );
            }
        }
        assert!(
            hidden_seen > 100,
            "the random curves hid only {hidden_seen} shares"
        );
    }
}
