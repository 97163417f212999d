//! The intake tables protected as one linked system.
//!
//! Intake shows up five times: per helper type (`instroom-aandrager`, whose totals are
//! the period's intake), per quarter and dienst (`instroom-kwartaal`),
//! as the row totals of the cohorts (`cohorten`), per dienst for this period and the
//! previous one (`instroom-dienst`) and as the "ontvangen" column of the flow table
//! (`stroom`, with its balance open begin + ontvangen = afgehandeld + open einde).
//! Protected one at a time, a cell hidden in one table is shown in, or can be summed
//! from, another: the previous-period column of `instroom-dienst` is the sum of two
//! quarter rows. Here the four tables are one
//! [`LinkedSystem`](crate::protect::suppress::LinkedSystem): a quarter's intake is the
//! same cell in the quarter and cohort tables; a period's intake per dienst is the sum
//! of its quarters (when the period is made of whole quarters); the flow's "ontvangen"
//! per dienst is the same count as the period's intake. Every link is checked against
//! the counts before it is added, so a definition that differs simply leaves the link
//! out.

use super::{quarter_label, Case, Config, Indicators, Protector, PubRow, PubTable};
use crate::protect::suppress::{self, CellRef, CellStatus, LinkedTable, SystemBuilder, TableRef};
use crate::protect::tables::{Grid, MergedRows};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeSet, HashMap};

/// The four protected tables.
pub(super) struct IntakeTables {
    pub helper: PubTable,
    pub quarter: PubTable,
    pub cohort: PubTable,
    pub service: PubTable,
    pub flow: PubTable,
}

/// A table added to the system with its layout (rows and columns incl. totals).
struct Placed {
    table: LinkedTable,
    at: TableRef,
    cols: usize,
}

impl Placed {
    fn add(b: &mut SystemBuilder, name: &str, cells: &[Vec<u64>]) -> Placed {
        let (table, _, cols) = suppress::table_2d(cells);
        let at = b.add_table(name, &table);
        Placed { table, at, cols }
    }

    fn cell(&self, row: usize, col: usize) -> CellRef {
        self.at.cell(row * self.cols + col)
    }

    fn value(&self, row: usize, col: usize) -> u64 {
        self.table.values[row * self.cols + col]
    }
}

/// Builds, protects and renders the four intake tables.
pub(super) fn intake_tables(
    cases: &[Case],
    ind: &Indicators,
    p: &Protector,
    cfg: &Config,
    names: [&str; 2],
    helpers: &[(String, u64, u64)],
) -> IntakeTables {
    let quarters: Vec<String> = ind.cohorten.iter().map(|c| c.kwartaal.clone()).collect();
    let (codes, intake) = intake_grid(cases, ind, &quarters);
    let (cohort_labels, cohort_cols, cohort_cells) = super::cohort_grid(ind);
    let period = &ind.periode;
    let prev = &ind.vorige_periode;
    let service_cells = service_grid(cases, ind, &codes);
    let flows: Vec<&crate::analyse::indicators::FlowRow> =
        ind.stroom.iter().filter(|f| f.dienst != "totaal").collect();
    let flow_cells: Vec<Vec<u64>> = flows
        .iter()
        .map(|f| vec![f.open_begin, f.ontvangen, f.afgehandeld, f.open_eind])
        .collect();

    let MergedRows {
        rows: helper_rows,
        merged,
    } = p.merge_small(helpers);
    let helper_labels: Vec<String> = helper_rows.iter().map(|r| r.0.clone()).collect();
    let helper_cells: Vec<Vec<u64>> = helper_rows.iter().map(|r| vec![r.1, r.2]).collect();
    let mut b = SystemBuilder::new();
    let hp = Placed::add(&mut b, "instroom-aandrager", &helper_cells);
    let q = Placed::add(&mut b, "instroom-kwartaal", &intake);
    let co = Placed::add(&mut b, "cohorten", &cohort_cells);
    let sv = Placed::add(&mut b, "instroom-dienst", &service_cells);
    let fl = Placed::add(&mut b, "stroom", &flow_cells);
    // cells the tables do not print: the sum of two periods, the sum of a flow row
    for r in 0..=codes.len() {
        b.unpublished(sv.cell(r, 2));
    }
    for r in 0..=helper_labels.len() {
        b.unpublished(hp.cell(r, 2));
    }
    // intake per helper type and per dienst: the same total in each period
    for col in 0..2 {
        if hp.value(helper_labels.len(), col) == sv.value(codes.len(), col) {
            b.same(hp.cell(helper_labels.len(), col), sv.cell(codes.len(), col));
        }
    }
    for r in 0..=flows.len() {
        b.unpublished(fl.cell(r, 4));
        b.balance(
            &[fl.cell(r, 0), fl.cell(r, 1)],
            &[fl.cell(r, 2), fl.cell(r, 3)],
        );
    }
    // a quarter's intake: the same count in the quarter and the cohort table
    let nq = quarters.len();
    for i in 0..nq {
        if i < cohort_cells.len() && q.value(i, codes.len()) == co.value(i, cohort_cols.len()) {
            b.same(q.cell(i, codes.len()), co.cell(i, cohort_cols.len()));
        }
    }
    // a period of whole quarters: its intake per dienst is the sum of its quarters
    for (col, per) in [period, prev].iter().enumerate() {
        let Some(rows) = quarter_rows(per.start, per.end, &quarters) else {
            continue;
        };
        for j in 0..=codes.len() {
            let parts: Vec<CellRef> = rows.iter().map(|&i| q.cell(i, j)).collect();
            let sum: u64 = rows.iter().map(|&i| q.value(i, j)).sum();
            if sum == sv.value(j, col) && !parts.is_empty() {
                b.equation(sv.cell(j, col), &parts);
            }
        }
    }
    // the flow's "ontvangen" per dienst is the period's intake of that dienst
    for (i, f) in flows.iter().enumerate() {
        if let Some(j) = codes.iter().position(|c| *c == f.dienst) {
            if sv.value(j, 0) == f.ontvangen {
                b.same(fl.cell(i, 1), sv.cell(j, 0));
            }
        }
    }
    if sv.value(codes.len(), 0) == fl.value(flows.len(), 1) {
        b.same(fl.cell(flows.len(), 1), sv.cell(codes.len(), 0));
    }

    let statuses: Vec<Vec<CellStatus>> = if !p.is_public() {
        [&hp, &q, &co, &sv, &fl]
            .iter()
            .map(|t| vec![CellStatus::Shown; t.table.values.len()])
            .collect()
    } else {
        match b.build() {
            Ok(sys) => {
                let outcome = sys.protect(&p.policy());
                sys.table_statuses(&outcome)
            }
            // Fail closed: counts that contradict each other are not published.
            Err(_) => [&hp, &q, &co, &sv, &fl]
                .iter()
                .map(|t| vec![CellStatus::Secondary; t.table.values.len()])
                .collect(),
        }
    };
    let labels: Vec<String> = codes.iter().map(|d| cfg.label("dienst", d)).collect();
    let quarter = p.render_2d(
        &Grid {
            id: "instroom-kwartaal",
            titel: "Ontvangen casussen per kwartaal en dienst",
            row_labels: &quarters,
            col_labels: &labels,
            cells: &intake,
            corner: "Kwartaal",
        },
        &q.table,
        nq + 1,
        q.cols,
        &statuses[1],
    );
    let mut cohort = p.render_2d(
        &Grid {
            id: "cohorten",
            titel: "Cohorten: casussen per kwartaal van ontvangst, zoals ze op de peildatum staan",
            row_labels: &cohort_labels,
            col_labels: &cohort_cols,
            cells: &cohort_cells,
            corner: "Ontvangen in",
        },
        &co.table,
        cohort_cells.len() + 1,
        co.cols,
        &statuses[2],
    );
    if let Some(last) = cohort.kolommen.last_mut() {
        *last = "Ontvangen".into();
    }
    cohort.voetnoten.insert(
        0,
        "Open casussen blijven zichtbaar als open; ze vallen niet weg uit de cijfers. Niet in behandeling omvat casussen die vóór de triage zijn ingetrokken.".into(),
    );
    let mut service = columns_table(
        p,
        &sv,
        &statuses[3],
        &labels,
        2,
        ("instroom-dienst", "Ontvangen casussen per dienst"),
        ["Dienst", names[0], names[1]],
    );
    service.voetnoten.insert(
        0,
        "Beschermd samen met de instroom per kwartaal, de cohorten en de stroomtabel.".into(),
    );
    let flow_labels: Vec<String> = flows
        .iter()
        .map(|f| cfg.label("dienst", &f.dienst))
        .collect();
    let mut flow = columns_table(
        p,
        &fl,
        &statuses[4],
        &flow_labels,
        4,
        (
            "stroom",
            "Stroomtabel: open bij begin, ontvangen, afgehandeld en open bij einde, per dienst",
        ),
        [
            "Dienst",
            "Open bij begin",
            "Ontvangen",
            "Afgehandeld",
            "Open bij einde",
        ],
    );
    flow.voetnoten.insert(0, "Afgehandeld omvat casussen die na triage zijn doorverwezen of niet in behandeling zijn genomen, en casussen die vóór de triage zijn ingetrokken. Open bij begin + ontvangen = afgehandeld + open bij einde.".into());
    let mut helper = columns_table(
        p,
        &hp,
        &statuses[0],
        &helper_labels,
        2,
        (
            "instroom-aandrager",
            "Ontvangen casussen per type aandrager",
        ),
        ["Type aandrager", names[0], names[1]],
    );
    if !merged.is_empty() {
        helper.voetnoten.insert(
            0,
            format!("Samengevoegd tot \"Overig\": {}.", merged.join(", ")),
        );
    }
    IntakeTables {
        helper,
        quarter,
        cohort,
        service,
        flow,
    }
}

/// A table of `shown` count columns per row plus a total row (its row-total column is
/// not printed).
fn columns_table<const N: usize>(
    p: &Protector,
    t: &Placed,
    status: &[CellStatus],
    labels: &[String],
    shown: usize,
    (id, titel): (&str, &str),
    kolommen: [&str; N],
) -> PubTable {
    let rows = labels.len();
    let rijen = (0..=rows)
        .map(|i| PubRow {
            kop: labels.get(i).cloned().unwrap_or_else(|| "Totaal".into()),
            cellen: (0..shown)
                .map(|j| p.cell(t.value(i, j), status[i * t.cols + j]))
                .collect(),
            totaal: i == rows,
            deel_van: None,
        })
        .collect();
    p.with_note(PubTable {
        id: id.into(),
        titel: titel.into(),
        kolommen: kolommen.iter().map(|k| k.to_string()).collect(),
        rijen,
        voetnoten: vec![],
        totaal_kolom: false,
    })
}

/// The rows of `quarters` that make up `start..=end`, when the span is whole quarters
/// that are all in the table.
fn quarter_rows(start: NaiveDate, end: NaiveDate, quarters: &[String]) -> Option<Vec<usize>> {
    let first_of_quarter = start.day() == 1 && (start.month() - 1).is_multiple_of(3);
    let next = end.succ_opt()?;
    let last_of_quarter = next.day() == 1 && (next.month() - 1).is_multiple_of(3);
    if !first_of_quarter || !last_of_quarter || end < start {
        return None;
    }
    let mut rows = Vec::new();
    let mut d = start;
    while d <= end {
        let label = quarter_label(d);
        rows.push(quarters.iter().position(|q| *q == label)?);
        d = d.checked_add_months(chrono::Months::new(3))?;
    }
    Some(rows)
}

/// A case's dienst code, "onbekend" when it has none.
fn service_code(c: &Case) -> &'static str {
    c.dienst.map(|x| x.as_str()).unwrap_or("onbekend")
}

/// Intake per quarter (rows, as the cohorts) by dienst code (columns, only those with
/// cases), up to the period end. One pass over the cases.
fn intake_grid(
    cases: &[Case],
    ind: &Indicators,
    quarters: &[String],
) -> (Vec<String>, Vec<Vec<u64>>) {
    let mut codes: Vec<String> = cases
        .iter()
        .filter_map(|c| c.dienst.map(|d| d.as_str().to_string()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    codes.push("onbekend".into());
    let col: HashMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(j, d)| (d.as_str(), j))
        .collect();
    let row: HashMap<&str, usize> = quarters
        .iter()
        .enumerate()
        .map(|(i, q)| (q.as_str(), i))
        .collect();
    let end = ind.periode.observed_end(ind.peildatum);
    let mut cells = vec![vec![0u64; codes.len()]; quarters.len()];
    for c in cases.iter().filter(|c| c.ontvangen_op <= end) {
        if let (Some(&i), Some(&j)) = (
            row.get(quarter_label(c.ontvangen_op).as_str()),
            col.get(service_code(c)),
        ) {
            cells[i][j] += 1;
        }
    }
    let keep: Vec<usize> = (0..codes.len())
        .filter(|&j| cells.iter().any(|r| r[j] > 0))
        .collect();
    let codes = keep.iter().map(|&j| codes[j].clone()).collect();
    let cells = cells
        .iter()
        .map(|r| keep.iter().map(|&j| r[j]).collect())
        .collect();
    (codes, cells)
}

/// Intake per dienst code (rows, as `codes`) in this period and the previous one
/// (columns). One pass over the cases.
fn service_grid(cases: &[Case], ind: &Indicators, codes: &[String]) -> Vec<Vec<u64>> {
    let row: HashMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), i))
        .collect();
    let periods = [&ind.periode, &ind.vorige_periode];
    let mut cells = vec![vec![0u64; 2]; codes.len()];
    for c in cases {
        let Some(&i) = row.get(service_code(c)) else {
            continue;
        };
        for (j, q) in periods.iter().enumerate() {
            if q.counts_on(c.ontvangen_op, ind.peildatum) {
                cells[i][j] += 1;
            }
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_quarters_only() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let qs: Vec<String> = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            quarter_rows(d(2026, 1, 1), d(2026, 6, 30), &qs),
            Some(vec![2, 3])
        );
        assert_eq!(
            quarter_rows(d(2025, 7, 1), d(2025, 12, 31), &qs),
            Some(vec![0, 1])
        );
        assert_eq!(
            quarter_rows(d(2026, 4, 1), d(2026, 6, 30), &qs),
            Some(vec![3])
        );
        // not whole quarters, or quarters missing from the table
        assert_eq!(quarter_rows(d(2026, 1, 1), d(2026, 2, 15), &qs), None);
        assert_eq!(quarter_rows(d(2026, 2, 1), d(2026, 6, 30), &qs), None);
        assert_eq!(quarter_rows(d(2025, 1, 1), d(2025, 12, 31), &qs), None);
    }
}
