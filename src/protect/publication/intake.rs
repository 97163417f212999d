//! The tables of section 2 protected as one linked system.
//!
//! Intake shows up five times: per helper type (`instroom-aandrager`, whose totals are
//! the period's intake), per quarter and dienst (`instroom-kwartaal`),
//! as the row totals of the cohorts (`cohorten`), per dienst for this period and the
//! previous one (`instroom-dienst`) and as the "ontvangen" column of the flow table
//! (`stroom`, with its balance open begin + ontvangen = afgehandeld + open einde); the
//! theme table (`instroom-thema`) adds up to the same intake. Triage decisions
//! (`triage`) and warm transfers per helper type (`warm-verwezen`, a percentage beside
//! its triaged cases) share their totals with each other and with the headline figures.
//! Protected one at a time, a cell hidden in one table is shown in, or can be summed
//! from, another: the previous-period column of `instroom-dienst` is the sum of two
//! quarter rows. Here all of them are one
//! [`LinkedSystem`](crate::protect::suppress::LinkedSystem): a quarter's intake is the
//! same cell in the quarter and cohort tables; a period's intake per dienst is the sum
//! of its quarters (when the period is made of whole quarters); the flow's "ontvangen"
//! per dienst is the same count as the period's intake. Counts the headline figures
//! show ([`Known`]) join as cells the optimiser must keep shown. Every link is checked
//! against the counts before it is added, so a definition that differs simply leaves
//! the link out.
//!
//! Two tables join through inequalities rather than sums. Intake per doelgroep
//! (`instroom-doelgroep`) counts a case once for each of its doelgroepen, so its rows do
//! not add up: each group is at most the period's intake, and all groups together (with
//! "Onbekend" for cases without one) are at least the intake. Progress on the yearly
//! target (`doelrealisatie`) counts the cases taken into treatment this year per dienst
//! (a case for both diensten counts for both): when the year so far lies within a
//! period of the triage table, each dienst's count is at most that period's "Behandelen"
//! decisions; the realisation percentage is a ratio over the target, which is public
//! and so a cell that must stay shown.

use super::prior::{Earlier, Prior, SolvedBlock};
use super::{quarter_label, Case, Config, Indicators, Protector, PubRow, PubTable};
use crate::protect::suppress::{self, CellRef, CellStatus, LinkedTable, SystemBuilder, TableRef};
use crate::protect::tables::{CellKind, PubCell};
use crate::protect::tables::{Grid, MergedRows};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The protected tables of the system.
pub(super) struct IntakeTables {
    pub helper: PubTable,
    pub quarter: PubTable,
    pub cohort: PubTable,
    pub service: PubTable,
    pub flow: PubTable,
    pub theme: PubTable,
    pub triage: PubTable,
    pub warm: PubTable,
    pub target_group: PubTable,
    /// `None` when no dienst has a yearly target.
    pub targets: Option<PubTable>,
    /// The solved system, for the report of the next period ([`super::prior`]); `None`
    /// for the internal report and when the counts contradict each other.
    pub block: Option<SolvedBlock>,
}

/// The breakdowns that join the intake tables in one system, counted by the caller.
pub(super) struct Breakdowns<'a> {
    /// Intake per helper type: label, this period, the previous one.
    pub helpers: &'a [(String, u64, u64)],
    /// Intake per main theme with its sub-themes (this period).
    pub themes: &'a [(String, Vec<(String, u64)>)],
    /// Triage decisions per decision: label, this period, the previous one.
    pub triage: &'a [(String, u64, u64)],
    /// Warm transfers per helper type: label, warm transfers, triaged cases.
    pub warm: &'a [(String, u64, u64)],
    /// Counts a reader knows exactly from the headline figures.
    pub known: &'a [Known],
    /// Whether the data covers the previous period; if not, its columns are not shown.
    pub previous_covered: bool,
    /// Intake of the period per doelgroep (a case in each of its groups; "Onbekend" for
    /// cases without one) and the intake total those counts are over.
    pub target_groups: &'a [(String, u64)],
    pub target_group_total: u64,
    /// Progress on the yearly targets, rows with a target only.
    pub targets: &'a [Target],
    /// The year-to-date window the targets count in, and the windows of this period and
    /// the previous one as the triage table counts them (start, last day seen).
    pub target_window: (NaiveDate, NaiveDate),
    pub triage_windows: [(NaiveDate, NaiveDate); 2],
    /// The triage table's label for the decision "behandelen".
    pub treat_label: String,
    /// Published rode draden about one doelgroep whose text prints their count in the
    /// period: the doelgroep's label and that count (at most the group's intake).
    pub thread_groups: &'a [(String, u64)],
}

/// Progress on one dienst's yearly target: label, cases taken into treatment, target.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Target {
    pub label: String,
    pub taken: u64,
    pub target: u64,
}

/// A count the headline figures publish: a reader knows it exactly.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Known {
    /// Figure id and part, e.g. `warm_verwezen_pct/teller`.
    pub name: String,
    /// Whether it is the previous period's.
    pub previous: bool,
    pub value: u64,
}

/// How much dearer hiding a headline-known count is than any other cell: the
/// optimiser must keep it shown, since the headline shows it anyway.
const KNOWN_PRIORITY: f64 = 1e6;

/// A table added to the system with its layout (rows and columns incl. totals).
struct Placed {
    table: LinkedTable,
    at: TableRef,
    cols: usize,
}

impl Placed {
    /// A grid of `width` count columns (plus its totals), also when it has no rows.
    fn add(b: &mut SystemBuilder, name: &str, cells: &[Vec<u64>], width: usize) -> Placed {
        let (table, _, cols) = suppress::table_2d_wide(cells, width);
        let at = b.add_table(name, &table);
        Placed { table, at, cols }
    }

    /// A table whose layout is not a grid (a hierarchy: one column of cells).
    fn linked(b: &mut SystemBuilder, name: &str, table: LinkedTable) -> Placed {
        let at = b.add_table(name, &table);
        Placed { table, at, cols: 1 }
    }

    fn cell(&self, row: usize, col: usize) -> CellRef {
        self.at.cell(row * self.cols + col)
    }

    fn value(&self, row: usize, col: usize) -> u64 {
        self.table.values[row * self.cols + col]
    }
}

/// A count of the previous period this report prints: its table and (row, column), and
/// where the earlier report printed it (table id, row head, column title).
type Shared<'a> = (&'a Placed, (usize, usize), (&'static str, String, String));

/// The name of the earlier report's block in this report's system.
const EARLIER_BLOCK: &str = "vorig rapport";

/// This report's side of the agreement with the report of the previous period
/// ([`super::prior`]): a count that report showed with the same value is a count the
/// reader has (shown here too, and kept out of every protection as a count a reader
/// knows), a count it hid stays hidden.
struct Agreement<'a> {
    prior: &'a Prior,
    public: &'a mut Vec<CellRef>,
}

impl Agreement<'_> {
    /// Cell `(row, col)` of `t`, printed as `(table, row, column)` in the earlier report.
    fn cell(
        &mut self,
        b: &mut SystemBuilder,
        t: &Placed,
        (row, col): (usize, usize),
        (table, row_head, column): (&str, &str, &str),
    ) {
        let value = t.value(row, col);
        let cell = t.cell(row, col);
        match self.prior.get(table, row_head, column) {
            Some(Earlier::Shown(v)) if v == value => {
                b.prefer_shown(cell, KNOWN_PRIORITY);
                self.public.push(cell);
            }
            // hidden here too, and protected as a small count is: the earlier report's
            // protection rests on it staying unknown
            Some(Earlier::Hidden) => b.protect(cell),
            _ => {}
        }
    }
}

/// Puts the earlier report's solved intake block into this report's system: its
/// counts, links and shown ratios as the reader has them. A count both reports print
/// (`shared`, with the same value) is one cell. What the earlier report showed the reader
/// knows (kept shown, as a count a reader knows); what it hid as too small stays
/// protected as such; what it hid to protect another is protected too where this report
/// prints it, and stays unknown where it does not.
fn link_block(
    b: &mut SystemBuilder,
    block: &SolvedBlock,
    shared: &[Shared],
    public: &mut Vec<CellRef>,
) {
    let earlier = b.add_system(EARLIER_BLOCK, &block.system, &block.ratios_shown);
    let mut printed_here = vec![false; block.status.len()];
    for (t, (r, c), (id, row, title)) in shared {
        let Some(a) = block.cell_of(id, row, title) else {
            continue;
        };
        if block.system.table.values[a] == t.value(*r, *c) {
            b.same(t.cell(*r, *c), earlier.cell(a));
            printed_here[a] = true;
        }
    }
    for (a, status) in block.status.iter().enumerate() {
        let cell = earlier.cell(a);
        match status {
            CellStatus::Shown => {
                b.prefer_shown(cell, KNOWN_PRIORITY);
                public.push(cell);
            }
            CellStatus::Primary => b.protect(cell),
            CellStatus::Secondary if printed_here[a] => b.protect(cell),
            CellStatus::Secondary => b.unpublished(cell),
            CellStatus::Unpublished => {}
        }
    }
}

/// The columns of the triage table whose "Behandelen" decisions together bound each
/// dienst's count of cases taken into treatment this year: every such case was triaged
/// with that decision inside `year` (the year so far). A triage period (this one,
/// column 0, or the previous one, column 1, when the data covers it) that holds the
/// whole of `year` bounds it alone; when neither does but the two periods follow each
/// other without a gap and hold `year` together, their sum bounds it.
fn treat_links(
    year: (NaiveDate, NaiveDate),
    windows: [(NaiveDate, NaiveDate); 2],
    previous_covered: bool,
) -> Vec<Vec<usize>> {
    let holds = |w: (NaiveDate, NaiveDate)| w.0 <= year.0 && year.1 <= w.1;
    let usable = |col: usize| col == 0 || previous_covered;
    let single: Vec<Vec<usize>> = (0..2)
        .filter(|&col| usable(col) && holds(windows[col]))
        .map(|col| vec![col])
        .collect();
    let [now, before] = windows;
    let adjacent = before.1.succ_opt() == Some(now.0);
    if single.is_empty() && previous_covered && adjacent && holds((before.0, now.1)) {
        vec![vec![0, 1]]
    } else {
        single
    }
}

/// Builds, protects and renders the four intake tables.
pub(super) fn intake_tables(
    cases: &[Case],
    ind: &Indicators,
    p: &Protector,
    cfg: &Config,
    names: [&str; 2],
    parts: &Breakdowns,
    prior: Option<&Prior>,
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
    } = p.merge_small(parts.helpers);
    let helper_labels: Vec<String> = helper_rows.iter().map(|r| r.0.clone()).collect();
    let helper_cells: Vec<Vec<u64>> = helper_rows.iter().map(|r| vec![r.1, r.2]).collect();
    let mut b = SystemBuilder::new();
    let hp = Placed::add(&mut b, "instroom-aandrager", &helper_cells, 2);
    let q = Placed::add(&mut b, "instroom-kwartaal", &intake, codes.len());
    let co = Placed::add(&mut b, "cohorten", &cohort_cells, cohort_cols.len());
    let sv = Placed::add(&mut b, "instroom-dienst", &service_cells, 2);
    let fl = Placed::add(&mut b, "stroom", &flow_cells, 4);
    let labels: Vec<String> = codes.iter().map(|d| cfg.label("dienst", d)).collect();
    // A count of the previous period the earlier report showed, with the same value: the
    // reader has it, printed here or not ([`Agreement`]).
    let shown_earlier = |id: &str, heads: &[String], t: &Placed, r: usize| {
        let head = heads.get(r).map_or("Totaal", String::as_str);
        prior.and_then(|pr| pr.get(id, head, names[1])) == Some(Earlier::Shown(t.value(r, 1)))
    };
    // cells the tables do not print: the sum of two periods, the sum of a flow row, and
    // the previous period when the data does not cover it (unless the reader has it)
    for r in 0..=codes.len() {
        b.unpublished(sv.cell(r, 2));
        if !parts.previous_covered && !shown_earlier("instroom-dienst", &labels, &sv, r) {
            b.unpublished(sv.cell(r, 1));
        }
    }
    for r in 0..=helper_labels.len() {
        b.unpublished(hp.cell(r, 2));
        if !parts.previous_covered && !shown_earlier("instroom-aandrager", &helper_labels, &hp, r) {
            b.unpublished(hp.cell(r, 1));
        }
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

    // themes: the grand total is the period's intake
    let themes = p.hierarchy_table(parts.themes);
    let theme_total = themes.table.values.len() - 1;
    let th = Placed::linked(&mut b, "instroom-thema", themes.table.clone());
    if th.value(theme_total, 0) == sv.value(codes.len(), 0) {
        b.same(th.cell(theme_total, 0), sv.cell(codes.len(), 0));
    }
    // triage decisions in both periods (the row sums are not printed)
    let MergedRows {
        rows: triage_rows,
        merged: triage_merged,
    } = p.merge_small(parts.triage);
    let nt = triage_rows.len();
    let tr = Placed::add(&mut b, "triage", &two_columns(&triage_rows), 2);
    let triage_labels: Vec<String> = triage_rows.iter().map(|r| r.0.clone()).collect();
    for r in 0..=nt {
        b.unpublished(tr.cell(r, 2));
        if !parts.previous_covered && !shown_earlier("triage", &triage_labels, &tr, r) {
            b.unpublished(tr.cell(r, 1));
        }
    }
    // warm transfers per helper type: the triaged cases are printed, the transfers
    // only as a percentage of them; no total row
    let nw = parts.warm.len();
    let wm = Placed::add(&mut b, "warm-verwezen", &two_columns(parts.warm), 2);
    for r in 0..=nw {
        b.unpublished(wm.cell(r, 0));
        b.unpublished(wm.cell(r, 2));
    }
    b.unpublished(wm.cell(nw, 1));
    let warm_ratios: Vec<usize> = (0..nw)
        .map(|r| b.percentage(wm.cell(r, 0), wm.cell(r, 1), 1))
        .collect();
    if wm.value(nw, 1) == tr.value(nt, 0) {
        b.same(wm.cell(nw, 1), tr.cell(nt, 0));
    }
    // doelgroep: multi-valued, so inequalities to the period's intake
    let (dg_rows, dg_merged) = if p.is_public() {
        suppress::collapse_small(parts.target_groups, p.min_cell, "Overig")
    } else {
        (parts.target_groups.to_vec(), Vec::new())
    };
    let dg = Placed::linked(
        &mut b,
        "instroom-doelgroep",
        LinkedTable {
            values: dg_rows.iter().map(|r| r.1).collect(),
            equations: Vec::new(),
        },
    );
    link_doelgroep(
        &mut b,
        &dg,
        &dg_rows,
        parts.target_group_total,
        (&sv, codes.len()),
    );
    // yearly targets: the count, the public target and the percentage between them
    let tg = Placed::add(
        &mut b,
        "doelrealisatie",
        &parts
            .targets
            .iter()
            .map(|t| vec![t.taken, t.target])
            .collect::<Vec<_>>(),
        2,
    );
    let nd = parts.targets.len();
    for r in 0..=nd {
        b.unpublished(tg.cell(r, 2));
        if r == nd {
            b.unpublished(tg.cell(r, 0));
            b.unpublished(tg.cell(r, 1));
        }
    }
    let target_ratios: Vec<usize> = parts
        .targets
        .iter()
        .enumerate()
        .map(|(r, t)| {
            let (value, half) = shown_percentage(t.taken, t.target);
            b.shown_ratio(tg.cell(r, 0), tg.cell(r, 1), value, half)
        })
        .collect();
    let mut public_cells: Vec<CellRef> = (0..nd).map(|r| tg.cell(r, 1)).collect();
    if let Some(treat) = triage_rows.iter().position(|r| r.0 == parts.treat_label) {
        let links = treat_links(
            parts.target_window,
            parts.triage_windows,
            parts.previous_covered,
        );
        for cols in links {
            let treated: Vec<CellRef> = cols.iter().map(|&col| tr.cell(treat, col)).collect();
            let sum: u64 = cols.iter().map(|&col| tr.value(treat, col)).sum();
            for r in 0..nd {
                if tg.value(r, 0) <= sum {
                    b.at_most(&[tg.cell(r, 0)], &treated);
                }
            }
        }
    }
    public_cells.extend(link_threads(&mut b, &dg, &dg_rows, parts.thread_groups));
    for &c in &public_cells {
        b.prefer_shown(c, KNOWN_PRIORITY);
    }
    // What the headline shows, a reader knows: such a count joins every total of the
    // same value (a coincidence only makes the attacker stronger, never weaker).
    let mut known_cells = Vec::new();
    for k in parts.known {
        let c = b.add_figure(&format!("kop:{}:{}", k.name, k.previous), k.value);
        b.prefer_shown(c, KNOWN_PRIORITY);
        known_cells.push(c);
        let col = usize::from(k.previous);
        let mut totals = vec![
            (sv.cell(codes.len(), col), sv.value(codes.len(), col)),
            (tr.cell(nt, col), tr.value(nt, col)),
        ];
        if !k.previous {
            totals.push((wm.cell(nw, 0), wm.value(nw, 0)));
            totals.push((wm.cell(nw, 1), wm.value(nw, 1)));
            // a doelgroep row (not "Overig", a sum) of the same value, as a total
            totals.extend(
                (0..dg_rows.len())
                    .filter(|&i| dg_rows[i].0 != "Overig")
                    .map(|i| (dg.cell(i, 0), dg.value(i, 0))),
            );
        }
        for (cell, v) in totals {
            if v == k.value {
                b.same(c, cell);
            }
        }
    }
    public_cells.extend(known_cells);
    let flow_labels: Vec<String> = flows
        .iter()
        .map(|f| cfg.label("dienst", &f.dienst))
        .collect();
    if let Some(prior) = prior {
        let total = |labels: &[String]| -> Vec<String> {
            labels
                .iter()
                .cloned()
                .chain(["Totaal".to_string()])
                .collect()
        };
        // Every count of the previous period this report prints, with the place the
        // earlier report printed it at: (table, cell, (table id, row head, column title)).
        let mut shared: Vec<Shared> = Vec::new();
        for (t, id, rows) in [
            (&hp, "instroom-aandrager", total(&helper_labels)),
            (&sv, "instroom-dienst", total(&labels)),
            (&tr, "triage", total(&triage_labels)),
        ] {
            for (r, row) in rows.iter().enumerate() {
                for (col, title) in names.iter().enumerate() {
                    shared.push((t, (r, col), (id, row.clone(), title.to_string())));
                }
            }
        }
        // the quarters (not the total row: it sums the quarters each report has)
        let quarter_cols = total(&labels);
        for (r, row) in quarters.iter().enumerate() {
            for (col, title) in quarter_cols.iter().enumerate() {
                shared.push((
                    &q,
                    (r, col),
                    ("instroom-kwartaal", row.clone(), title.clone()),
                ));
            }
        }
        // a quarter's intake in the cohort table
        for (r, row) in cohort_labels.iter().enumerate() {
            let col = (r, cohort_cols.len());
            shared.push((&co, col, ("cohorten", row.clone(), "Ontvangen".into())));
        }
        // open at the start of this period: open at the end of the previous one
        for (r, row) in total(&flow_labels).iter().enumerate() {
            shared.push((
                &fl,
                (r, 0),
                ("stroom", row.clone(), "Open bij einde".into()),
            ));
        }
        match prior.block() {
            Some(block) => link_block(&mut b, block, &shared, &mut public_cells),
            None => {
                let mut agree = Agreement {
                    prior,
                    public: &mut public_cells,
                };
                for (t, at, (id, row, title)) in &shared {
                    agree.cell(&mut b, t, *at, (id, row, title));
                }
            }
        }
    }

    let placed = [&hp, &q, &co, &sv, &fl, &th, &tr, &wm, &dg, &tg];
    let n_ratios = nw + nd;
    let all = |s: CellStatus| -> Vec<Vec<CellStatus>> {
        placed
            .iter()
            .map(|t| vec![s; t.table.values.len()])
            .collect()
    };
    let mut solved: Option<(suppress::LinkedSystem, Vec<CellStatus>, Vec<bool>)> = None;
    let (statuses, ratios_shown): (Vec<Vec<CellStatus>>, Vec<bool>) = if !p.is_public() {
        (all(CellStatus::Shown), vec![true; n_ratios])
    } else {
        match b.build() {
            Ok(sys) => {
                let outcome = sys.protect(&p.policy());
                let st = sys.table_statuses(&outcome);
                let public_shown = public_cells
                    .iter()
                    .all(|&c| outcome.cells[sys.cell(c)] == CellStatus::Shown);
                if public_shown {
                    let shown = warm_ratios
                        .iter()
                        .chain(&target_ratios)
                        .map(|&i| outcome.ratios_shown[i])
                        .collect();
                    solved = Some((sys, outcome.cells, outcome.ratios_shown));
                    (st, shown)
                } else {
                    // The optimiser hid a count the headline (or the configuration)
                    // shows: its protection rests on something a reader has, so publish
                    // none of it.
                    let hidden = sys
                        .unpublished
                        .iter()
                        .map(|&u| {
                            if u {
                                CellStatus::Unpublished
                            } else {
                                CellStatus::Secondary
                            }
                        })
                        .collect();
                    let no_ratios = vec![false; sys.ratios.len()];
                    solved = Some((sys, hidden, no_ratios));
                    (all(CellStatus::Secondary), vec![false; n_ratios])
                }
            }
            // Fail closed: counts that contradict each other are not published.
            Err(_) => (all(CellStatus::Secondary), vec![false; n_ratios]),
        }
    };
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
    let mut service = two_period_table(
        p,
        &sv,
        &statuses[3],
        &labels,
        ("instroom-dienst", "Ontvangen casussen per dienst"),
        ["Dienst", names[0], names[1]],
        parts.previous_covered,
    );
    service.voetnoten.insert(
        0,
        "Beschermd samen met de instroom per kwartaal, de cohorten en de stroomtabel.".into(),
    );
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
    let mut helper = two_period_table(
        p,
        &hp,
        &statuses[0],
        &helper_labels,
        (
            "instroom-aandrager",
            "Ontvangen casussen per type aandrager",
        ),
        ["Type aandrager", names[0], names[1]],
        parts.previous_covered,
    );
    if !merged.is_empty() {
        helper.voetnoten.insert(
            0,
            format!("Samengevoegd tot \"Overig\": {}.", merged.join(", ")),
        );
    }
    let theme = p.render_hierarchy(
        ("instroom-thema", "Ontvangen casussen per thema", "Thema"),
        &themes,
        &statuses[5],
    );
    let mut triage = two_period_table(
        p,
        &tr,
        &statuses[6],
        &triage_labels,
        ("triage", "Triagebesluiten in de periode"),
        ["Besluit", names[0], names[1]],
        parts.previous_covered,
    );
    if !triage_merged.is_empty() {
        triage.voetnoten.insert(
            0,
            format!("Samengevoegd tot \"Overig\": {}.", triage_merged.join(", ")),
        );
    }
    let warm = warm_table(p, parts.warm, &wm, &statuses[7], &ratios_shown[..nw]);
    let target_group = doelgroep_table(p, &dg_rows, &dg_merged, &statuses[8]);
    let targets = (nd > 0).then(|| target_table(p, parts.targets, &tg, &statuses[9]));
    let block = solved.map(|(system, status, ratios_shown)| {
        // The whole system, the earlier report's block in it included: with only this
        // report's own cells the next report missed what this one rested on (the pair
        // reader found a leak on a random export, seed 854222).
        // Every printed count of the tables a later report prints again, by place:
        let mut printed = BTreeMap::new();
        for (t, table) in [
            (&hp, &helper),
            (&sv, &service),
            (&tr, &triage),
            (&q, &quarter),
            (&co, &cohort),
            (&fl, &flow),
        ] {
            for (i, row) in table.rijen.iter().enumerate() {
                for (j, title) in table
                    .kolommen
                    .iter()
                    .skip(1)
                    .enumerate()
                    .take(row.cellen.len())
                {
                    let cell = system.cell(t.cell(i, j));
                    printed.insert((table.id.clone(), row.kop.clone(), title.clone()), cell);
                }
            }
        }
        SolvedBlock {
            system,
            status,
            ratios_shown,
            printed,
        }
    });
    IntakeTables {
        helper,
        quarter,
        cohort,
        service,
        flow,
        theme,
        triage,
        warm,
        target_group,
        targets,
        block,
    }
}

/// The honest links of the doelgroep counts: each group (not "Overig", a sum of groups)
/// at most the period's intake, all groups together at least the intake. The intake is
/// the system's intake total when it is the same count; each link is checked first.
fn link_doelgroep(
    b: &mut SystemBuilder,
    dg: &Placed,
    rows: &[(String, u64)],
    total: u64,
    (sv, total_row): (&Placed, usize),
) {
    if rows.is_empty() || sv.value(total_row, 0) != total {
        return;
    }
    let intake = sv.cell(total_row, 0);
    for (i, (label, v)) in rows.iter().enumerate() {
        if label != "Overig" && *v <= total {
            b.at_most(&[dg.cell(i, 0)], &[intake]);
        }
    }
    if rows.iter().map(|r| r.1).sum::<u64>() >= total {
        let all: Vec<CellRef> = (0..rows.len()).map(|i| dg.cell(i, 0)).collect();
        b.at_most(&[intake], &all);
    }
}

/// The links of the rode draden to the doelgroep table: a thread about one doelgroep
/// prints its count in the period, and that count is at most the group's intake. Each
/// count joins as a figure the optimiser must keep shown (the thread's text prints it);
/// a link is added only when the group has its own row and the count fits under it.
/// Returns the figures.
fn link_threads(
    b: &mut SystemBuilder,
    dg: &Placed,
    rows: &[(String, u64)],
    threads: &[(String, u64)],
) -> Vec<CellRef> {
    let mut out = Vec::new();
    for (label, count) in threads {
        let Some(i) = rows.iter().position(|r| &r.0 == label && r.0 != "Overig") else {
            continue;
        };
        if *count > rows[i].1 {
            continue;
        }
        let c = b.add_figure(&format!("draad:{label}"), *count);
        b.at_most(&[c], &[dg.cell(i, 0)]);
        out.push(c);
    }
    out
}

/// The realisation as printed (`nl::pct` with no decimals) as a fraction, with half its
/// rounding step: what a reader reads off "105%".
fn shown_percentage(taken: u64, target: u64) -> (f64, f64) {
    if target == 0 {
        return (0.0, f64::INFINITY);
    }
    let text = crate::nl::dec(taken as f64 / target as f64 * 100.0, 0).replace('.', "");
    match text.parse::<f64>() {
        Ok(v) => (v / 100.0, 0.005),
        Err(_) => (0.0, f64::INFINITY),
    }
}

/// Intake per doelgroep as released by the system.
fn doelgroep_table(
    p: &Protector,
    rows: &[(String, u64)],
    merged: &[String],
    status: &[CellStatus],
) -> PubTable {
    let mut voetnoten = Vec::new();
    if !merged.is_empty() {
        voetnoten.push(format!(
            "Samengevoegd tot \"Overig\": {}.",
            merged.join(", ")
        ));
    }
    voetnoten.push("Een casus kan in meer dan één groep vallen; de groepen tellen daarom niet op tot het totaal.".into());
    if p.is_public() {
        voetnoten.push("Beschermd samen met de instroom: elke groep is hoogstens de instroom van de periode, alle groepen samen minstens.".into());
    }
    p.with_note(PubTable {
        id: "instroom-doelgroep".into(),
        titel: "Ontvangen casussen per doelgroep".into(),
        kolommen: vec!["Doelgroep".into(), "Aantal".into()],
        rijen: rows
            .iter()
            .enumerate()
            .map(|(i, (label, v))| PubRow {
                kop: label.clone(),
                cellen: vec![p.cell(*v, status[i])],
                totaal: false,
                deel_van: None,
            })
            .collect(),
        voetnoten,
        totaal_kolom: false,
    })
}

/// Progress on the yearly targets as released by the system: the count, the public
/// target and the realisation beside a shown count.
///
/// The realisation is not a share of cases: the target is a number from the
/// configuration, so "target minus count" counts nobody, and the percentage rules for a
/// share (a complement of at least `min_cel`, a denominator of at least `min_noemer`) do
/// not apply. Beside a shown count and the public target it tells a reader nothing he
/// cannot divide himself; beside a hidden count it would give the count away up to
/// rounding, so it is hidden with the count. (The ratio stays in the system, so the
/// attacker and the optimiser still see it wherever it is shown.)
fn target_table(p: &Protector, rows: &[Target], t: &Placed, status: &[CellStatus]) -> PubTable {
    let rijen = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let count = p.cell(row.taken, status[i * t.cols]);
            let share = if count.onderdrukt {
                ".".to_string()
            } else {
                crate::nl::pct(row.taken as f64 / row.target as f64, 0)
            };
            PubRow {
                kop: row.label.clone(),
                cellen: vec![
                    count,
                    PubCell::text(crate::nl::int(row.target as i64)),
                    PubCell::text(share),
                ],
                totaal: false,
                deel_van: None,
            }
        })
        .collect();
    let mut voetnoten = vec!["Casussen over beide diensten tellen voor beide mee.".to_string()];
    if p.is_public() {
        voetnoten.push("Beschermd samen met de triagebesluiten: een dienst telt hoogstens de casussen die in de periode in behandeling zijn genomen, als het jaar tot nu toe in die periode valt.".into());
    }
    p.with_note(PubTable {
        id: "doelrealisatie".into(),
        titel: "Voortgang op het jaardoel: in behandeling genomen casussen".into(),
        kolommen: vec![
            "Dienst".into(),
            "In behandeling genomen".into(),
            "Jaardoel".into(),
            "Realisatie".into(),
        ],
        rijen,
        voetnoten,
        totaal_kolom: false,
    })
}

/// Rows of (label, a, b) as a two-column grid.
fn two_columns(rows: &[(String, u64, u64)]) -> Vec<Vec<u64>> {
    rows.iter().map(|r| vec![r.1, r.2]).collect()
}

/// The warm-transfer table: per helper type the share warmly transferred and the
/// triaged cases it rests on, as the system released them.
fn warm_table(
    p: &Protector,
    rows: &[(String, u64, u64)],
    t: &Placed,
    status: &[CellStatus],
    ratios_shown: &[bool],
) -> PubTable {
    let rijen = rows
        .iter()
        .enumerate()
        .map(|(i, (label, warm, triaged))| {
            let den = p.cell(*triaged, status[i * t.cols + 1]);
            let share = if *triaged == 0 {
                PubCell::empty()
            } else if den.onderdrukt || !ratios_shown[i] {
                PubCell::hidden(CellKind::Percentage)
            } else {
                p.share(*warm, *triaged)
            };
            PubRow {
                kop: label.clone(),
                cellen: vec![share, den],
                totaal: false,
                deel_van: None,
            }
        })
        .collect();
    let mut t = p.with_note(PubTable {
        id: "warm-verwezen".into(),
        titel: "Warm doorverwezen per type aandrager".into(),
        kolommen: vec![
            "Type aandrager".into(),
            "Warm doorverwezen".into(),
            "Getrieerde casussen".into(),
        ],
        rijen,
        voetnoten: vec![],
        totaal_kolom: false,
    });
    if p.is_public() {
        t.voetnoten
            .push("Beschermd samen met de triagebesluiten en de kerncijfers.".into());
    }
    t
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

/// A table of this period and the previous one; only this period's column when the
/// data does not cover the previous period (its cells are then unpublished in the
/// system).
fn two_period_table(
    p: &Protector,
    t: &Placed,
    status: &[CellStatus],
    labels: &[String],
    id_titel: (&str, &str),
    [dim, now, before]: [&str; 3],
    previous_covered: bool,
) -> PubTable {
    if previous_covered {
        columns_table(p, t, status, labels, 2, id_titel, [dim, now, before])
    } else {
        columns_table(p, t, status, labels, 1, id_titel, [dim, now])
    }
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
/// cases), up to the period end. One pass over the cases, without a string per case: a
/// case is placed by its quarter number (`year * 4 + quarter - 1`) and its dienst code.
fn intake_grid(
    cases: &[Case],
    ind: &Indicators,
    quarters: &[String],
) -> (Vec<String>, Vec<Vec<u64>>) {
    let row: HashMap<i32, usize> = quarters
        .iter()
        .enumerate()
        .filter_map(|(i, q)| Some((quarter_number(q)?, i)))
        .collect();
    let end = ind.periode.observed_end(ind.peildatum);
    // per dienst code (as `service_code` gives it) a column of counts per quarter row
    let mut by_code: BTreeMap<&'static str, Vec<u64>> = BTreeMap::new();
    let mut seen: BTreeSet<&'static str> = BTreeSet::new();
    for c in cases {
        if let Some(d) = c.dienst {
            seen.insert(d.as_str());
        }
        if c.ontvangen_op > end {
            continue;
        }
        let q = c.ontvangen_op.year() * 4 + c.ontvangen_op.month0() as i32 / 3;
        if let Some(&i) = row.get(&q) {
            by_code
                .entry(service_code(c))
                .or_insert_with(|| vec![0; quarters.len()])[i] += 1;
        }
    }
    // every known code in order, "onbekend" last; only columns with cases are kept
    let codes: Vec<&str> = seen.into_iter().chain(["onbekend"]).collect();
    let kept: Vec<(&str, &Vec<u64>)> = codes
        .iter()
        .filter_map(|&d| {
            by_code
                .get(d)
                .filter(|v| v.iter().any(|&n| n > 0))
                .map(|v| (d, v))
        })
        .collect();
    let cells = (0..quarters.len())
        .map(|i| kept.iter().map(|(_, v)| v[i]).collect())
        .collect();
    (kept.iter().map(|(d, _)| d.to_string()).collect(), cells)
}

/// The quarter number (`year * 4 + quarter - 1`) of a label "2026-Q1".
fn quarter_number(label: &str) -> Option<i32> {
    let (year, q) = label.split_once("-Q")?;
    let (year, q): (i32, i32) = (year.parse().ok()?, q.parse().ok()?);
    (1..=4).contains(&q).then_some(year * 4 + q - 1)
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
    use crate::protect::tables::Audience;

    #[test]
    fn a_realisation_is_shown_beside_a_shown_count() {
        // 38 of a target of 40: the complement 2 counts nobody (the target is a number
        // from the configuration), so 95% is printed beside the 38; beside a hidden 3
        // the percentage would give the 3 away and is hidden with it
        let p = Protector::new(Audience::Parliament, 5, 10, false);
        let rows = vec![
            Target {
                label: "Belastingdienst (2026)".into(),
                taken: 38,
                target: 40,
            },
            Target {
                label: "Dienst Toeslagen (2026)".into(),
                taken: 3,
                target: 40,
            },
        ];
        let mut b = SystemBuilder::new();
        let tg = Placed::add(&mut b, "doelrealisatie", &[vec![38, 40], vec![3, 40]], 2);
        let mut status = vec![CellStatus::Shown; tg.table.values.len()];
        status[tg.cols] = CellStatus::Primary;
        let t = target_table(&p, &rows, &tg, &status);
        assert_eq!(t.rijen[0].cellen[0].tekst, "38");
        assert_eq!(t.rijen[0].cellen[2].tekst, "95%");
        assert!(t.rijen[1].cellen[0].onderdrukt);
        assert_eq!(t.rijen[1].cellen[2].tekst, ".");
        // the rule for shares would have hidden the 95% (complement 2)
        assert!(!p.policy().ratio_allowed(38, 40));
    }

    /// The grid as it was computed first: a quarter label and a dienst code per case.
    fn intake_grid_by_labels(
        cases: &[Case],
        end: NaiveDate,
        quarters: &[String],
    ) -> (Vec<String>, Vec<Vec<u64>>) {
        let mut codes: Vec<String> = cases
            .iter()
            .filter_map(|c| c.dienst.map(|d| d.as_str().to_string()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        codes.push("onbekend".into());
        let mut cells = vec![vec![0u64; codes.len()]; quarters.len()];
        for c in cases.iter().filter(|c| c.ontvangen_op <= end) {
            let i = quarters
                .iter()
                .position(|q| *q == quarter_label(c.ontvangen_op));
            let j = codes.iter().position(|d| d == service_code(c));
            if let (Some(i), Some(j)) = (i, j) {
                cells[i][j] += 1;
            }
        }
        let keep: Vec<usize> = (0..codes.len())
            .filter(|&j| cells.iter().any(|r| r[j] > 0))
            .collect();
        (
            keep.iter().map(|&j| codes[j].clone()).collect(),
            cells
                .iter()
                .map(|r| keep.iter().map(|&j| r[j]).collect())
                .collect(),
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, failure_persistence: None, ..Default::default() })]

        /// Cases before, in and after the quarters of the table, after the peildatum, with
        /// and without a dienst: the grid is the one counted by labels.
        #[test]
        fn the_intake_grid_counts_as_by_labels(
            recs in proptest::collection::vec((0i64..1200, proptest::option::of(0usize..5)), 0..80),
            first in 0i32..8,
            len in 0usize..8,
            peil in 0i64..1200,
        ) {
            use crate::model::Service;
            let day0 = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
            let services = [Service::Belastingdienst, Service::DienstToeslagen, Service::Both, Service::Customs, Service::Other];
            let cases: Vec<Case> = recs
                .iter()
                .map(|&(day, s)| Case {
                    ontvangen_op: day0 + chrono::Duration::days(day),
                    dienst: s.map(|i| services[i]),
                    ..Case::default()
                })
                .collect();
            let quarters: Vec<String> = (0..len as i32)
                .map(|i| {
                    let q = 2024 * 4 + first + i;
                    format!("{}-Q{}", q.div_euclid(4), q.rem_euclid(4) + 1)
                })
                .collect();
            let period = crate::analyse::period::Period::year(2025);
            let ind = Indicators {
                vorige_periode: period.previous(),
                periode: period,
                peildatum: day0 + chrono::Duration::days(peil),
                definitieversie: 1,
                records: Vec::new(),
                stroom: Vec::new(),
                cohorten: Vec::new(),
                open_casussen: Vec::new(),
                doelrealisatie: Vec::new(),
                kaplan_meier: Vec::new(),
                escalaties_zonder_datum: Default::default(),
            };
            let end = ind.periode.observed_end(ind.peildatum);
            proptest::prop_assert_eq!(
                intake_grid(&cases, &ind, &quarters),
                intake_grid_by_labels(&cases, end, &quarters)
            );
        }
    }

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

    #[test]
    fn a_year_over_two_periods_is_bounded_by_both() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let h1 = (d(2026, 1, 1), d(2026, 6, 30));
        // 2026-H1 with the year so far up to the peildatum in June: this period alone
        assert_eq!(
            treat_links(
                (d(2026, 1, 1), d(2026, 6, 15)),
                [(h1.0, d(2026, 6, 15)), (d(2025, 7, 1), d(2025, 12, 31))],
                true
            ),
            vec![vec![0]]
        );
        // 2026-H2 up to 31 October: the year lies in H1 and H2 together
        let h2 = (d(2026, 7, 1), d(2026, 10, 31));
        assert_eq!(
            treat_links((d(2026, 1, 1), d(2026, 10, 31)), [h2, h1], true),
            vec![vec![0, 1]]
        );
        // not when the data does not cover H1, or when the periods leave a gap
        assert!(treat_links((d(2026, 1, 1), d(2026, 10, 31)), [h2, h1], false).is_empty());
        let q2 = (d(2026, 4, 1), d(2026, 6, 30));
        let q3 = (d(2026, 7, 1), d(2026, 9, 30));
        assert!(treat_links((d(2026, 1, 1), d(2026, 9, 30)), [q3, q2], true).is_empty());
        let gap = (d(2026, 1, 1), d(2026, 5, 31));
        assert!(treat_links((d(2026, 1, 1), d(2026, 10, 31)), [h2, gap], true).is_empty());
        // a whole year as the period: the year itself
        let y = (d(2025, 1, 1), d(2025, 12, 31));
        assert_eq!(
            treat_links(y, [y, (d(2024, 1, 1), d(2024, 12, 31))], true),
            vec![vec![0]]
        );
    }
}
