//! Progress on the yearly targets: the count per dienst, the printed target and the
//! realisation percentage over it; each count at most the "Behandelen" decisions of a
//! triage period that holds the whole year so far, or of this period and the previous
//! one together when they follow each other and hold it together.
//!
//! ```
//! use rodedraad::protect::audit::counts::parse_tables;
//! use rodedraad::protect::audit::reader::{links::Published, model::Model, targets::read_targets};
//! let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
//! let t = parse_tables(r#"[{"id": "doelrealisatie", "kolommen": ["Dienst", "Genomen", "Jaardoel", "Realisatie"], "rijen": [
//!   {"kop": "Belastingdienst (2026)", "cellen": [{"soort": "aantal", "onderdrukt": true},
//!     {"soort": "tekst", "tekst": "400"}, {"soort": "tekst", "tekst": "1,0%"}]}]}]"#).unwrap();
//! let mut m = Model::default();
//! let p = Published::read(&mut m, &t);
//! let year = (d("2026-01-01"), d("2026-12-31"));
//! read_targets(&mut m, &p, year, (d("2025-01-01"), d("2025-12-31")), d("2026-12-31"));
//! // 1,0% of 400 is 3,8 to 4,2 cases: the hidden count is 4
//! assert!(m.leaks(5).iter().any(|l| l.name.contains("doelrealisatie")));
//! ```

use super::links::Published;
use super::model::{Model, Var};
use super::tables::cell_var;
use super::text::Span;
use crate::protect::audit::counts::place;
use crate::protect::audit::FIGURE_LIST;
use chrono::{Datelike, NaiveDate};

/// See the module documentation. `period` and `previous` are the report's periods,
/// `reference_date` its peildatum.
pub fn read_targets(
    m: &mut Model,
    p: &Published,
    (start, end): Span,
    (pstart, pend): Span,
    reference_date: NaiveDate,
) {
    let Some(t) = p.by_id.get("doelrealisatie") else {
        return;
    };
    let year = end.year();
    let (Some(jan1), Some(dec31)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return;
    };
    let ytd = (jan1, dec31.min(reference_date));
    let windows = [
        (start, end.min(reference_date)),
        (pstart, pend.min(reference_date)),
    ];
    let treat = |col: usize| p.grids.get("triage").and_then(|g| g.get("Behandelen", col));
    let holds = |w: &(NaiveDate, NaiveDate)| w.0 <= ytd.0 && ytd.1 <= w.1;
    for (i, row) in t.rijen.iter().enumerate() {
        let Some(c0) = row.cellen.first() else {
            continue;
        };
        let name = |part: &str| format!("doelrealisatie / {} / {part}", row.kop);
        let var = cell_var(t, &row.kop, i, 0);
        let Some(count) = m.cell(
            Var {
                name: name("in behandeling genomen"),
                ..var
            },
            c0,
        ) else {
            continue;
        };
        let target_text = row.cellen.get(1).map_or(".", |c| c.tekst.as_str());
        let target = m.text(
            Var::cell(
                &name("jaardoel"),
                FIGURE_LIST,
                &place(t, i, 1),
                &format!("tabel {}", t.id),
            ),
            target_text,
        );
        if let Some(shown) = row.cellen.get(2) {
            m.percentage(count, target, &shown.tekst);
        }
        for (col, w) in windows.iter().enumerate() {
            if let (Some(treat), true) = (treat(col), holds(w)) {
                m.at_most(vec![count], vec![treat]);
            }
        }
        // the year so far over two periods that follow each other: at most both
        // periods' "Behandelen" together
        let adjacent = windows[1].1.succ_opt() == Some(windows[0].0);
        if let (Some(now), Some(before), true) = (
            treat(0),
            treat(1),
            adjacent && holds(&(windows[1].0, windows[0].1)),
        ) {
            m.at_most(vec![count], vec![now, before]);
        }
    }
}
