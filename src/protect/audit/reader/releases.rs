//! Two public reports of consecutive periods read side by side.
//!
//! A reader of the Kamerrapportage has the earlier ones too. The report of a period
//! prints the previous period beside its own figures (intake per type of helper, per
//! dienst, triage decisions, the key figures), and its quarter table holds the previous
//! period's quarters; the earlier report printed those same counts as its own. A count
//! hidden in one report but shown in the other, or hidden in both behind different
//! cells, can then be worked out from the two together. This module reads both reports
//! into one model, each as [`super::read_into`] reads it alone, and adds the counts they
//! share:
//! - a two-period table's column with the same title in both: the same row, the total,
//!   and an "Overig" row as the sum of the rows of its members in the other report (the
//!   members are named in the table's note);
//! - the quarter table: the same quarter and column;
//! - the cohort table: a quarter's intake (column "Ontvangen"), which no later
//!   peildatum changes;
//! - the flow table: open at the end of the earlier period is open at the start of the
//!   later one, per dienst;
//! - the key figures: the later report's "Vorige periode" column against the earlier
//!   report's own counts (a count, or a percentage of its numerator and base).
//!
//! Two counts both reports show with different values are not linked: the data changed
//! between the two reports, and the reader sees that they differ.
//!
//! ```no_run
//! use rodedraad::protect::audit::reader::releases::attack_releases;
//! use std::path::Path;
//! let leaks = attack_releases(Path::new("kamer-2025-H2"), Path::new("kamer-2026-H1"), 5).unwrap();
//! assert!(leaks.is_empty(), "{leaks:#?}");
//! ```

use super::model::{Leak, Model, Var};
use super::tables::Grid;
use super::text::ReportText;
use super::{read_into, report_text, Reading};
use crate::protect::audit::counts::{parse_tables, FigTable};
use crate::protect::audit::{Finding, FindingKind, FIGURE_LIST};
use std::collections::BTreeSet;
use std::path::Path;

/// Tables with a column per period (this one and the previous one).
const TWO_PERIOD_TABLES: &[&str] = &["instroom-aandrager", "instroom-dienst", "triage"];

/// The note that names the members of an "Overig" row.
const MERGED_NOTE: &str = "Samengevoegd tot \"Overig\": ";

/// One report as the pair reader has it: its figure list and text.
pub struct Release<'a> {
    /// How the report's files are named in leaks ("kamer-2025-H2").
    pub name: &'a str,
    pub tables: &'a [FigTable],
    pub text: Option<&'a ReportText>,
}

/// The model of two reports read together (`earlier` is the report of the period
/// before `later`'s): both reports' own links and the counts they share.
pub fn build_pair_model(earlier: &Release, later: &Release) -> Result<Model, String> {
    let mut m = Model::default();
    let a = read_into(&mut m, earlier.tables, earlier.text)?;
    name_files(&mut m, 0, earlier.name);
    let split = m.values.len();
    let b = read_into(&mut m, later.tables, later.text)?;
    name_files(&mut m, split, later.name);
    let sides = Sides {
        a: (earlier.tables, &a),
        b: (later.tables, &b),
    };
    sides.two_period_tables(&mut m);
    sides.same_cells(&mut m, "instroom-kwartaal", None);
    sides.same_cells(&mut m, "cohorten", Some("Ontvangen"));
    sides.flow(&mut m);
    sides.key_figures(&mut m);
    Ok(m)
}

/// The reader's attack on the reports in `earlier` and `later` together: every leak it
/// finds. `Err` when either report cannot be read.
pub fn attack_releases(earlier: &Path, later: &Path, min_cel: u64) -> Result<Vec<Leak>, String> {
    let read = |dir: &Path| -> Result<(Vec<FigTable>, Option<ReportText>), String> {
        let list = std::fs::read(dir.join(FIGURE_LIST))
            .map_err(|e| format!("{}: de cijferlijst is niet te lezen: {e}", dir.display()))?;
        Ok((
            parse_tables(&String::from_utf8_lossy(&list))?,
            report_text(dir)?,
        ))
    };
    let (ta, xa) = read(earlier)?;
    let (tb, xb) = read(later)?;
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let (na, nb) = (name(earlier), name(later));
    let m = build_pair_model(
        &Release {
            name: &na,
            tables: &ta,
            text: xa.as_ref(),
        },
        &Release {
            name: &nb,
            tables: &tb,
            text: xb.as_ref(),
        },
    )?;
    Ok(m.leaks(min_cel))
}

/// The audit's findings for the reports in `earlier` and `later` read together: each
/// leak once (per file and place); reports that cannot be read together as one finding.
pub fn audit_releases(earlier: &Path, later: &Path, min_cel: u64) -> Vec<Finding> {
    let leaks = match attack_releases(earlier, later, min_cel) {
        Ok(leaks) => leaks,
        Err(why) => {
            return vec![Finding {
                bestand: FIGURE_LIST.into(),
                soort: FindingKind::Unreadable,
                plek: "model van de lezer van twee rapporten".into(),
                melding: why,
            }]
        }
    };
    let mut out: Vec<Finding> = Vec::new();
    for l in &leaks {
        let f = super::finding(l, min_cel);
        if !out
            .iter()
            .any(|g| g.bestand == f.bestand && g.plek == f.plek)
        {
            out.push(f);
        }
    }
    out
}

/// Prefixes the file of every count from `from` on with the report's name.
fn name_files(m: &mut Model, from: usize, name: &str) {
    if name.is_empty() {
        return;
    }
    for v in &mut m.vars[from..] {
        if !v.file.is_empty() {
            v.file = format!("{name}/{}", v.file);
        }
    }
}

/// Links two counts that are the same count in two reports: when one of them is
/// hidden (two shown counts teach the reader nothing, and two different shown values
/// say the data changed between the reports).
fn link(m: &mut Model, a: usize, b: usize) {
    if m.hidden[a] || m.hidden[b] {
        m.eq(a, vec![b]);
    }
}

/// The members of a table's "Overig" row, from its note.
fn merged_members(t: &FigTable) -> Option<BTreeSet<String>> {
    let note = t
        .voetnoten
        .iter()
        .find_map(|n| n.strip_prefix(MERGED_NOTE))?;
    Some(
        note.trim_end_matches('.')
            .split(", ")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// The categories a row of `t` counts: its own label, or for "Overig" the members its
/// note names plus the category "Overig" itself (an existing category of that name joins
/// the merged group); `None` for the total row and for an "Overig" whose members are not
/// named.
fn row_set(t: &FigTable, g: &Grid, key: &str) -> Option<BTreeSet<String>> {
    if g.total_key.as_deref() == Some(key) {
        return None;
    }
    if key == "Overig" {
        let mut members = merged_members(t)?;
        members.insert(OVERIG.to_string());
        return Some(members);
    }
    Some(BTreeSet::from([key.to_string()]))
}

/// The merged row, and the category of that name.
const OVERIG: &str = "Overig";

/// The two reports: each one's figure list and what [`read_into`] placed.
struct Sides<'a> {
    a: (&'a [FigTable], &'a Reading),
    b: (&'a [FigTable], &'a Reading),
}

/// A table of one report with its grid.
type Side<'a> = (&'a FigTable, &'a Grid);

impl<'a> Sides<'a> {
    /// Table `id` in both reports, with its grid, when both have it.
    fn both(&self, id: &str) -> Option<(Side<'a>, Side<'a>)> {
        let find = |(tables, reading): (&'a [FigTable], &'a Reading)| {
            let t = tables.iter().find(|t| t.id == id)?;
            Some((t, reading.grids.get(id)?))
        };
        Some((find(self.a)?, find(self.b)?))
    }

    /// The columns (value column index in `a`, in `b`) both tables title alike.
    fn common_columns(a: &FigTable, b: &FigTable) -> Vec<(usize, usize)> {
        let cols = |t: &FigTable| t.kolommen.iter().skip(1).cloned().collect::<Vec<_>>();
        let (ca, cb) = (cols(a), cols(b));
        ca.iter()
            .enumerate()
            .filter_map(|(i, c)| cb.iter().position(|d| d == c).map(|j| (i, j)))
            .collect()
    }

    /// Per column both two-period tables title alike: the same rows, the totals, and a
    /// row of one report as the sum of rows of the other whose categories make it up.
    fn two_period_tables(&self, m: &mut Model) {
        for id in TWO_PERIOD_TABLES {
            let Some(((ta, ga), (tb, gb))) = self.both(id) else {
                continue;
            };
            for (ca, cb) in Self::common_columns(ta, tb) {
                if let (Some(x), Some(y)) = (ga.total(ca), gb.total(cb)) {
                    link(m, x, y);
                }
                Self::rows_as_sums(m, (ta, ga, ca), (tb, gb, cb));
                Self::rows_as_sums(m, (tb, gb, cb), (ta, ga, ca));
            }
        }
    }

    /// Each row of `one` whose categories are exactly those of some rows of `other`: the
    /// same count as one row, the sum of them as several.
    fn rows_as_sums(
        m: &mut Model,
        one: (&FigTable, &Grid, usize),
        other: (&FigTable, &Grid, usize),
    ) {
        let (t1, g1, c1) = one;
        let (t2, g2, c2) = other;
        let sets: Vec<(BTreeSet<String>, usize)> = g2
            .keys
            .iter()
            .filter_map(|k| Some((row_set(t2, g2, k)?, g2.get(k, c2)?)))
            .collect();
        // a category "Overig" the other report has in no row had no cases there
        let other_has_overig = sets.iter().any(|(s, _)| s.contains(OVERIG));
        for k in &g1.keys {
            let (Some(mut want), Some(x)) = (row_set(t1, g1, k), g1.get(k, c1)) else {
                continue;
            };
            if !other_has_overig {
                want.remove(OVERIG);
            }
            let parts: Vec<&(BTreeSet<String>, usize)> =
                sets.iter().filter(|(s, _)| s.is_subset(&want)).collect();
            let covered: usize = parts.iter().map(|(s, _)| s.len()).sum();
            let union: BTreeSet<&String> = parts.iter().flat_map(|(s, _)| s.iter()).collect();
            if parts.is_empty() || covered != want.len() || union.len() != want.len() {
                continue;
            }
            if let [(_, y)] = parts.as_slice() {
                link(m, x, *y);
                continue;
            }
            let ys: Vec<usize> = parts.iter().map(|(_, y)| *y).collect();
            if m.hidden[x] || ys.iter().any(|&y| m.hidden[y]) {
                m.eq(x, ys);
            }
        }
    }

    /// Table `id`: the cells with the same row and column title in both reports (only
    /// column `only`, when given).
    fn same_cells(&self, m: &mut Model, id: &str, only: Option<&str>) {
        let Some(((ta, ga), (tb, gb))) = self.both(id) else {
            return;
        };
        for (ca, cb) in Self::common_columns(ta, tb) {
            if only.is_some_and(|o| ta.kolommen.get(ca + 1).map(String::as_str) != Some(o)) {
                continue;
            }
            // the total row sums the quarters each report has, which differ
            for k in ga.keys.iter().filter(|k| ga.total_key.as_ref() != Some(*k)) {
                if let (Some(x), Some(y)) = (ga.get(k, ca), gb.get(k, cb)) {
                    link(m, x, y);
                }
            }
        }
    }

    /// Open at the end of the earlier period is open at the start of the later one.
    fn flow(&self, m: &mut Model) {
        let Some(((ta, ga), (tb, gb))) = self.both("stroom") else {
            return;
        };
        let col = |t: &FigTable, name: &str| t.kolommen.iter().skip(1).position(|c| c == name);
        let (Some(end), Some(start)) = (col(ta, "Open bij einde"), col(tb, "Open bij begin"))
        else {
            return;
        };
        for k in &ga.keys {
            if let (Some(x), Some(y)) = (ga.get(k, end), gb.get(k, start)) {
                link(m, x, y);
            }
        }
    }

    /// The later report's "Vorige periode" key figures against the earlier report's own.
    fn key_figures(&self, m: &mut Model) {
        let Some(tb) = self.b.0.iter().find(|t| t.id == "kerncijfers") else {
            return;
        };
        let Some(prev) = tb
            .kolommen
            .iter()
            .skip(1)
            .position(|c| c == "Vorige periode")
        else {
            return;
        };
        for (i, row) in tb.rijen.iter().enumerate() {
            let Some(cell) = row.cellen.get(prev) else {
                continue;
            };
            let Some(&(num, den)) = self.a.1.key.get(&row.kop) else {
                continue;
            };
            if cell.onderdrukt {
                continue;
            }
            let var = Var::cell(
                &format!("kerncijfers / {} / vorige periode", row.kop),
                FIGURE_LIST,
                &format!(
                    "tabel kerncijfers, rij {} ({}), kolom Vorige periode",
                    i + 1,
                    row.kop
                ),
                "tabel kerncijfers",
            );
            match (num, den, cell.soort.as_str()) {
                (Some(v), None, "aantal") => {
                    let Some(w) = cell.waarde else { continue };
                    let y = m.known(var, w.max(0.0).round() as u64);
                    link(m, v, y);
                }
                (Some(n), Some(d), "percentage") => m.percentage(n, d, &cell.tekst),
                _ => {}
            }
        }
    }
}

/// Keeps the names of the categories of a row set readable in test failures.
#[cfg(test)]
fn names(s: &BTreeSet<String>) -> String {
    s.iter().cloned().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(src: &str) -> Vec<FigTable> {
        parse_tables(src).unwrap()
    }

    /// The figure list of one table (see [`service`]).
    fn one_table(
        id: &str,
        cols: &[&str],
        rows: &[(&str, &[Option<u64>])],
        note: Option<&str>,
    ) -> Vec<FigTable> {
        fig(&format!("[{}]", service(id, cols, rows, note)))
    }

    fn release<'a>(name: &'a str, tables: &'a [FigTable]) -> Release<'a> {
        Release {
            name,
            tables,
            text: None,
        }
    }

    fn service(
        id: &str,
        cols: &[&str],
        rows: &[(&str, &[Option<u64>])],
        note: Option<&str>,
    ) -> String {
        let cell = |v: &Option<u64>| match v {
            Some(v) => format!(r#"{{"soort": "aantal", "waarde": {v}}}"#),
            None => r#"{"soort": "aantal", "onderdrukt": true}"#.to_string(),
        };
        let rows: Vec<String> = rows
            .iter()
            .map(|(k, cells)| {
                let cells: Vec<String> = cells.iter().map(cell).collect();
                format!(
                    r#"{{"kop": "{k}", "totaal": {}, "cellen": [{}]}}"#,
                    *k == "Totaal",
                    cells.join(", ")
                )
            })
            .collect();
        let cols: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
        let notes = note.map_or(String::new(), |n| format!(r#", "voetnoten": ["{n}"]"#));
        format!(
            r#"{{"id": "{id}", "kolommen": [{}], "rijen": [{}]{notes}}}"#,
            cols.join(", "),
            rows.join(", ")
        )
    }

    /// The leak of seed 11: the earlier report hides the pair and Dienst Toeslagen, the
    /// later one the pair and Belastingdienst; together the pair is 43 - 21 - 19 - 0.
    #[test]
    fn a_count_hidden_behind_different_cells_in_two_reports_is_found() {
        let a = one_table(
            "instroom-dienst",
            &["Dienst", "Tweede halfjaar 2025"],
            &[
                ("Beide", &[None]),
                ("Belastingdienst", &[Some(21)]),
                ("Dienst Toeslagen", &[None]),
                ("Totaal", &[Some(43)]),
            ],
            None,
        );
        let b = one_table(
            "instroom-dienst",
            &["Dienst", "Eerste halfjaar 2026", "Tweede halfjaar 2025"],
            &[
                ("Beide", &[None, None]),
                ("Belastingdienst", &[None, None]),
                ("Dienst Toeslagen", &[Some(45), Some(19)]),
                ("Douane", &[Some(5), Some(0)]),
                ("Totaal", &[Some(95), Some(43)]),
            ],
            None,
        );
        for t in [&a, &b] {
            let alone = super::super::build_model(t, None).unwrap().leaks(5);
            assert!(alone.is_empty(), "{alone:#?}");
        }
        let m = build_pair_model(&release("a", &a), &release("b", &b)).unwrap();
        let leaks = m.leaks(5);
        assert!(
            leaks
                .iter()
                .any(|l| l.name.contains("Beide") && l.file == "a/tabellen.json"),
            "{leaks:#?}"
        );
    }

    /// An "Overig" of nine helper types in the earlier report is the sum of those nine
    /// in the later one: with one of them hidden there, it is worked out.
    #[test]
    fn an_overig_row_is_the_sum_of_its_members_in_the_other_report() {
        let a = one_table(
            "instroom-aandrager",
            &["Type aandrager", "Tweede halfjaar 2025"],
            &[
                ("A", &[Some(20)]),
                ("Overig", &[Some(9)]),
                ("Totaal", &[Some(29)]),
            ],
            Some("Samengevoegd tot \\\"Overig\\\": B, C."),
        );
        let b = one_table(
            "instroom-aandrager",
            &[
                "Type aandrager",
                "Eerste halfjaar 2026",
                "Tweede halfjaar 2025",
            ],
            &[
                ("A", &[Some(30), None]),
                ("B", &[Some(10), Some(6)]),
                ("C", &[Some(12), None]),
                ("Totaal", &[Some(52), Some(29)]),
            ],
            None,
        );
        assert_eq!(
            merged_members(&a[0]).map(|s| names(&s)).as_deref(),
            Some("B, C")
        );
        let m = build_pair_model(&release("a", &a), &release("b", &b)).unwrap();
        let leaks = m.leaks(5);
        assert!(
            leaks
                .iter()
                .any(|l| l.name.contains("/ C /") && l.file == "b/tabellen.json"),
            "{leaks:#?}"
        );
    }

    /// An existing category "Overig" joins the merged group: when both reports have an
    /// "Overig" row, neither is the sum of the other's members (seed 660977: 19 against
    /// 8 hidden types in the later report, one case of the category "overig" in both
    /// groups). No link, so no contradiction.
    #[test]
    fn an_overig_with_its_own_category_is_not_the_sum_of_its_members() {
        let a = one_table(
            "instroom-aandrager",
            &["Type aandrager", "Tweede halfjaar 2025"],
            &[
                ("A", &[Some(20)]),
                ("Overig", &[Some(10)]),
                ("Totaal", &[Some(30)]),
            ],
            Some("Samengevoegd tot \\\"Overig\\\": B, C."),
        );
        let b = one_table(
            "instroom-aandrager",
            &[
                "Type aandrager",
                "Eerste halfjaar 2026",
                "Tweede halfjaar 2025",
            ],
            &[
                ("B", &[Some(10), None]),
                ("C", &[Some(12), None]),
                ("Overig", &[Some(9), Some(21)]),
                ("Totaal", &[Some(31), Some(30)]),
            ],
            Some("Samengevoegd tot \\\"Overig\\\": A."),
        );
        let m = build_pair_model(&release("a", &a), &release("b", &b)).unwrap();
        let leaks = m.leaks(5);
        assert!(leaks.is_empty(), "{leaks:#?}");
    }

    /// Two shown counts that differ are not the same count: no link, no contradiction.
    #[test]
    fn counts_that_changed_between_the_reports_are_not_linked() {
        let one = |v: u64| {
            one_table(
                "instroom-dienst",
                &["Dienst", "Tweede halfjaar 2025"],
                &[
                    ("A", &[Some(v)]),
                    ("B", &[Some(20)]),
                    ("Totaal", &[Some(v + 20)]),
                ],
                None,
            )
        };
        let (a, b) = (one(10), one(11));
        let m = build_pair_model(&release("a", &a), &release("b", &b)).unwrap();
        assert!(m.leaks(5).is_empty());
        assert!(m.equations.len() == 2, "only each table's own total");
    }
}
