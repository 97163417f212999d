//! The links between the tables of one report that its printed definitions give a
//! reader: the flow balance, the headline totals against the tables' totals, the intake
//! per dienst as the flow table's "Ontvangen" column, the intake per quarter against the
//! period and against the cohorts, the definitions between key figures (oplossing =
//! volledig + deels = minnelijk + na escalatie; withdrawn = afgerond − noemer van
//! oplossing; escalation levels against the escalated), warm transfers per helper type,
//! and the doelgroepen as inequalities.
//!
//! ```
//! use rodedraad::protect::audit::counts::parse_tables;
//! use rodedraad::protect::audit::reader::{links::Published, model::Model};
//! let t = parse_tables(r#"[{"id": "instroom-dienst", "kolommen": ["Dienst", "Nu"], "rijen": [
//!   {"kop": "A", "cellen": [{"soort": "aantal", "onderdrukt": true}]},
//!   {"kop": "Totaal", "totaal": true, "cellen": [{"soort": "aantal", "waarde": 33}]}]},
//!   {"id": "stroom", "kolommen": ["Dienst", "Open", "Ontvangen"], "rijen": [
//!   {"kop": "A", "cellen": [{"soort": "aantal", "waarde": 3}, {"soort": "aantal", "waarde": 3}]}]}]"#).unwrap();
//! let mut m = Model::default();
//! let p = Published::read(&mut m, &t);
//! p.table_links(&mut m);
//! assert!(m.leaks(5).iter().any(|l| l.name.starts_with("instroom-dienst / A")));
//! ```

use super::model::{Model, Var};
use super::tables::{read_key_table, read_table, Grid, KeyFigures};
use super::text::Span;
use crate::protect::audit::counts::FigTable;
use crate::protect::audit::FIGURE_LIST;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Tables not read as count grids (their cells are read by their own family).
const OWN_READERS: &[&str] = &[
    "kerncijfers",
    "rode-draden",
    "kaplan-meier",
    "doelrealisatie",
    "warm-verwezen",
];

/// The published tables as the model has them.
pub struct Published<'a> {
    pub by_id: BTreeMap<&'a str, &'a FigTable>,
    pub grids: BTreeMap<&'a str, Grid>,
    pub key: KeyFigures,
}

/// An unprinted count the reader knows exists, placed at the table it belongs to.
fn derived(name: &str, table: &str, what: &str) -> Var {
    Var::cell(
        name,
        FIGURE_LIST,
        &format!("tabel {table}, {what} (niet gedrukt)"),
        &format!("tabel {table}"),
    )
}

impl<'a> Published<'a> {
    /// Reads every table into `m` with its own sums.
    pub fn read(m: &mut Model, tables: &'a [FigTable]) -> Published<'a> {
        let by_id: BTreeMap<&str, &FigTable> = tables.iter().map(|t| (t.id.as_str(), t)).collect();
        let key = by_id
            .get("kerncijfers")
            .map(|t| read_key_table(m, t))
            .unwrap_or_default();
        let grids = by_id
            .iter()
            .filter(|(id, _)| !OWN_READERS.contains(id))
            .map(|(id, t)| (*id, read_table(m, t)))
            .collect();
        Published { by_id, grids, key }
    }

    /// A key figure's numerator (`part` 0) or denominator (1).
    pub fn k(&self, name: &str, part: usize) -> Option<usize> {
        self.key
            .get(name)
            .and_then(|(num, den)| if part == 0 { *num } else { *den })
    }

    pub fn total_of(&self, id: &str, col: usize) -> Option<usize> {
        self.grids.get(id).and_then(|g| g.total(col))
    }

    /// The flow balance, per row: open begin + ontvangen = afgehandeld + open einde.
    pub fn flow_balance(&self, m: &mut Model) {
        let Some(g) = self.grids.get("stroom") else {
            return;
        };
        for k in &g.keys {
            let c: Option<Vec<usize>> = (0..4).map(|j| g.get(k, j)).collect();
            if let Some(c) = c {
                m.balance(vec![c[0], c[1]], vec![c[2], c[3]]);
            }
        }
    }

    /// The headline totals against the tables' totals: the received cases are the total
    /// intake per aandrager type, dienst and theme; the triaged cases the triage total.
    pub fn headline_totals(&self, m: &mut Model) {
        let received = self.k("Ontvangen casussen", 0);
        for id in ["instroom-aandrager", "instroom-dienst", "instroom-thema"] {
            if let (Some(a), Some(b)) = (received, self.total_of(id, 0)) {
                m.eq(a, vec![b]);
            }
        }
        if let (Some(a), Some(b)) = (self.k("Getrieerde casussen", 0), self.total_of("triage", 0)) {
            m.eq(a, vec![b]);
        }
    }

    /// The same figure in two tables, by the report's definitions: the intake per dienst
    /// is the flow table's "Ontvangen" column (row by row), and the intake per aandrager
    /// type and per theme add up to the intake per dienst. A link whose shown cells
    /// disagree is not what the definition says and is left out.
    pub fn table_links(&self, m: &mut Model) {
        // (table a, column a, table b, column b, totals only)
        let links = [
            ("instroom-dienst", 0, "stroom", 1, false),
            ("instroom-aandrager", 0, "instroom-dienst", 0, true),
            ("instroom-thema", 0, "instroom-dienst", 0, true),
        ];
        for (a, ca, b, cb, totals_only) in links {
            let (Some(ga), Some(gb)) = (self.grids.get(a), self.grids.get(b)) else {
                continue;
            };
            let pairs: Vec<(usize, usize)> = if totals_only {
                ga.total(ca).zip(gb.total(cb)).into_iter().collect()
            } else {
                let (ta, tb) = (self.by_id[a], self.by_id[b]);
                ta.rijen
                    .iter()
                    .zip(&ga.keys)
                    .filter_map(|(r, key)| {
                        let j = tb
                            .rijen
                            .iter()
                            .position(|s| s.kop == r.kop && s.totaal == r.totaal)?;
                        Some((ga.get(key, ca)?, gb.get(&gb.keys[j], cb)?))
                    })
                    .collect()
            };
            let agree = pairs
                .iter()
                .all(|&(x, y)| m.hidden[x] || m.hidden[y] || m.values[x] == m.values[y]);
            if agree {
                for (x, y) in pairs {
                    m.eq(x, vec![y]);
                }
            }
        }
    }

    /// Warm transfers: per helper type a percentage of its triaged cases; the triaged
    /// cases add up to the headline's denominator, the transfers to its numerator.
    pub fn warm_transfers(&self, m: &mut Model) {
        let Some(t) = self.by_id.get("warm-verwezen") else {
            return;
        };
        let (mut nums, mut dens, mut complete) = (Vec::new(), Vec::new(), true);
        for (i, row) in t.rijen.iter().enumerate() {
            let name = |part: &str| format!("warm-verwezen / {} / {part}", row.kop);
            let Some(c1) = row.cellen.get(1) else {
                complete = false;
                continue;
            };
            let var = super::tables::cell_var(t, &row.kop, i, 1);
            let Some(den) = m.cell(
                Var {
                    name: name("getrieerd"),
                    ..var
                },
                c1,
            ) else {
                complete = false;
                continue;
            };
            let what = format!("rij {} ({})", i + 1, row.kop);
            let num = m.unknown(derived(
                &name("warm"),
                &t.id,
                &format!("{what}, warm verwezen"),
            ));
            let rest = m.unknown(derived(
                &name("niet warm"),
                &t.id,
                &format!("{what}, niet warm verwezen"),
            ));
            m.eq(den, vec![num, rest]);
            if let Some(c0) = row.cellen.first().filter(|c| !c.onderdrukt) {
                m.percentage(num, den, &c0.tekst);
            }
            nums.push(num);
            dens.push(den);
        }
        if complete && !dens.is_empty() {
            if let Some(d) = self.k("Warm doorverwezen", 1) {
                m.eq(d, dens);
            }
            if let Some(n) = self.k("Warm doorverwezen", 0) {
                m.eq(n, nums);
            }
        }
    }

    /// The intake per quarter: the period's quarters (and the previous period's) summed
    /// against the intake per dienst, the aandrager total and the flow table's
    /// "Ontvangen"; the cohort rows as the same quarters' intake.
    pub fn quarters(&self, m: &mut Model, period: Span, previous: Span) {
        let (Some(q), Some(t)) = (
            self.grids.get("instroom-kwartaal"),
            self.by_id.get("instroom-kwartaal"),
        ) else {
            return;
        };
        let cols: Vec<String> = t.kolommen.iter().skip(1).cloned().collect();
        for (p, col) in [(period, 0usize), (previous, 1)] {
            let Some(qs) = quarters_of(p) else { continue };
            for (j, name) in cols.iter().enumerate() {
                let parts: Option<Vec<usize>> = qs.iter().map(|qq| q.get(qq, j)).collect();
                let Some(parts) = parts else { continue };
                if name == "Totaal" {
                    for id in ["instroom-aandrager", "instroom-dienst"] {
                        if let Some(tot) = self.total_of(id, col) {
                            m.eq(tot, parts.clone());
                        }
                    }
                } else if let Some(d) = self
                    .grids
                    .get("instroom-dienst")
                    .and_then(|g| g.get(name, col))
                {
                    m.eq(d, parts.clone());
                }
                // the flow table's "ontvangen" per dienst is the same intake
                if col == 0 {
                    if let Some(f) = self.grids.get("stroom").and_then(|g| g.get(name, 1)) {
                        m.eq(f, parts);
                    }
                }
            }
        }
        // cohort rows: the same quarters' intake
        let (Some(c), Some(ct)) = (self.grids.get("cohorten"), self.by_id.get("cohorten")) else {
            return;
        };
        let (Some(ncols), Some(qcols)) =
            (ct.kolommen.len().checked_sub(2), cols.len().checked_sub(1))
        else {
            return;
        };
        for key in &q.keys {
            let ckey = if key == "Totaal" {
                key.clone()
            } else {
                key.replace("-Q", " kw. ")
            };
            if let (Some(a), Some(b)) = (q.get(key, qcols), c.get(&ckey, ncols)) {
                m.eq(a, vec![b]);
            }
        }
    }

    /// The definitions between key figures: oplossing = volledig + deels = minnelijk +
    /// na escalatie (same denominator), withdrawn = afgerond − noemer van oplossing,
    /// the closed cases as the denominator of the lead times, the escalation levels and
    /// the escalated cases solved or not.
    pub fn key_definitions(&self, m: &mut Model) {
        let k = |n: &str, p: usize| self.k(n, p);
        for b in ["Volledig opgelost", "Deels opgelost"] {
            if let (Some(x), Some(y)) = (k("Oplossing gevonden", 1), k(b, 1)) {
                m.eq(x, vec![y]);
            }
        }
        for (a, b) in [
            ("Volledig opgelost", "Deels opgelost"),
            ("Minnelijk opgelost", "Opgelost na escalatie"),
        ] {
            if let (Some(t), Some(x), Some(y)) = (k("Oplossing gevonden", 0), k(a, 0), k(b, 0)) {
                m.eq(t, vec![x, y]);
            }
        }
        if let (Some(closed), Some(den)) = (k("Afgeronde casussen", 0), k("Oplossing gevonden", 1))
        {
            let withdrawn = m.unknown(derived(
                "ingetrokken (afgerond − noemer van oplossing)",
                "kerncijfers",
                "ingetrokken casussen (afgerond min noemer van oplossing)",
            ));
            m.eq(closed, vec![den, withdrawn]);
        }
        for name in [
            "Geëscaleerd",
            "Binnen 8 weken afgerond",
            "Binnen 3 maanden afgerond",
            "Binnen 5 maanden afgerond",
            "Doorlooptijd (mediaan)",
            "Doorlooptijd (80e percentiel)",
        ] {
            if let (Some(closed), Some(den)) = (k("Afgeronde casussen", 0), k(name, 1)) {
                m.eq(closed, vec![den]);
            }
        }
        if let (Some(esc), Some(g)) = (k("Geëscaleerd", 0), self.grids.get("escalatie")) {
            let levels: Vec<usize> = g.cells.values().copied().collect();
            if !levels.is_empty() {
                let unknown_level = m.unknown(derived(
                    "geëscaleerd, niveau niet in de tabel",
                    "escalatie",
                    "geëscaleerd zonder niveau in de tabel",
                ));
                let mut parts = levels;
                parts.push(unknown_level);
                m.eq(esc, parts);
            }
        }
        if let (Some(esc), Some(after)) = (k("Geëscaleerd", 0), k("Opgelost na escalatie", 0)) {
            let rest = m.unknown(derived(
                "geëscaleerd zonder oplossing",
                "kerncijfers",
                "geëscaleerd zonder oplossing",
            ));
            m.eq(esc, vec![after, rest]);
        }
    }

    /// The doelgroepen: each at most the intake, all together at least the intake (a
    /// case can be in several). Returns the groups (row head, variable).
    pub fn doelgroepen(&self, m: &mut Model) -> Vec<(String, usize)> {
        let intake = self
            .k("Ontvangen casussen", 0)
            .or_else(|| self.total_of("instroom-dienst", 0));
        let groups: Vec<(String, usize)> = self
            .grids
            .get("instroom-doelgroep")
            .map(|g| {
                g.cells
                    .iter()
                    .map(|((kop, _), &c)| (kop.clone(), c))
                    .collect()
            })
            .unwrap_or_default();
        if let (Some(total), false) = (intake, groups.is_empty()) {
            for (kop, c) in &groups {
                if kop != "Overig" {
                    m.at_most(vec![*c], vec![total]);
                }
            }
            m.at_most(vec![total], groups.iter().map(|g| g.1).collect());
        }
        groups
    }

    /// Whether a family needs the period (the intake per quarter, thread tables, targets).
    pub fn needs_period(&self) -> bool {
        self.by_id.contains_key("instroom-kwartaal")
            || self.by_id.contains_key("doelrealisatie")
            || self.by_id.keys().any(|id| is_thread_table(id))
    }
}

/// A rode draad's quarter table ("draad-RD-1-kwartalen").
pub fn is_thread_table(id: &str) -> bool {
    id.starts_with("draad-") && id.ends_with("-kwartalen")
}

/// The first day of a quarter label ("2026-Q1").
pub fn quarter_start(label: &str) -> Option<NaiveDate> {
    let (y, q) = label.split_once("-Q")?;
    let q: u32 = q.parse().ok()?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, 3 * q.checked_sub(1)? + 1, 1)
}

/// The last day of the quarter starting on `d`.
pub fn quarter_end(d: NaiveDate) -> NaiveDate {
    let next = if d.month() >= 10 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 3, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(d)
}

/// The quarter labels that make up a period exactly ("2026-Q1", "2026-Q2" of the first
/// half of 2026); `None` when it is not made of whole quarters (then no quarter sums
/// to it).
pub fn quarters_of((start, end): Span) -> Option<Vec<String>> {
    if start.day() != 1 || (start.month0() % 3) != 0 || quarter_end(start) > end {
        return None;
    }
    let mut out = Vec::new();
    let mut s = start;
    while s <= end {
        let e = quarter_end(s);
        if e > end {
            return None;
        }
        out.push(format!("{}-Q{}", s.year(), s.month0() / 3 + 1));
        s = e.succ_opt()?;
    }
    Some(out)
}
