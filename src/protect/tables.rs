//! Published tables: every number a person reads passes through here.
//!
//! A [`PubTable`] is what the renderers print and what the audit reads back.
//! The builders apply the disclosure policy for the `kamer` audience: sparse
//! categories are merged into "overig" first, then small counts are hidden
//! (primary) and as few extra cells as needed so that nothing hidden can be
//! recomputed from the totals (secondary). Percentages and other statistics
//! are shown only on a large enough denominator. For `intern` nothing is
//! hidden, but the table is still marked.
//!
//! ```
//! use rodedraad::protect::tables::{Audience, Protector};
//! let p = Protector::new(Audience::Parliament, 5, 10, false);
//! let t = p.counts_2d("t", "Stroom", &["A".into(), "B".into()], &["x".into(), "y".into()], &[vec![2, 10], vec![8, 12]], "dienst");
//! // The 2 is hidden, and so are the three cells that would give it away through the totals.
//! assert!(t.rijen[0].cellen[0].onderdrukt && t.rijen[0].cellen[1].onderdrukt);
//! assert!(!t.rijen[2].cellen[2].onderdrukt); // the grand total stays
//! ```

use super::suppress::{self, CellStatus, Equation, LinkedTable, Policy};
use crate::nl;
use serde::{Deserialize, Serialize};

/// Who reads the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// The public report to the Tweede Kamer.
    #[serde(rename = "kamer")]
    Parliament,
    /// The internal quarterly analysis.
    #[serde(rename = "intern")]
    Internal,
}

/// What a cell holds (the audit checks counts and percentages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CellKind {
    #[serde(rename = "aantal")]
    Count,
    #[serde(rename = "percentage")]
    Percentage,
    #[serde(rename = "getal")]
    Number,
    #[serde(rename = "tekst")]
    Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PubCell {
    /// What is printed (Dutch formatting, "." when suppressed).
    pub tekst: String,
    pub soort: CellKind,
    /// The value when shown (a share for percentages).
    pub waarde: Option<f64>,
    /// Denominator of a percentage or statistic, when shown.
    pub noemer: Option<u64>,
    pub onderdrukt: bool,
}

impl PubCell {
    pub fn text(t: impl Into<String>) -> PubCell {
        PubCell {
            tekst: t.into(),
            soort: CellKind::Text,
            waarde: None,
            noemer: None,
            onderdrukt: false,
        }
    }
    pub fn hidden(soort: CellKind) -> PubCell {
        PubCell {
            tekst: ".".into(),
            soort,
            waarde: None,
            noemer: None,
            onderdrukt: true,
        }
    }
    pub fn count(v: u64) -> PubCell {
        PubCell {
            tekst: nl::int(v as i64),
            soort: CellKind::Count,
            waarde: Some(v as f64),
            noemer: None,
            onderdrukt: false,
        }
    }
    /// A cell with nothing to show ("-"), e.g. a share over zero cases.
    pub fn empty() -> PubCell {
        PubCell {
            tekst: "-".into(),
            soort: CellKind::Text,
            waarde: None,
            noemer: None,
            onderdrukt: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PubRow {
    pub kop: String,
    pub cellen: Vec<PubCell>,
    /// This row is the sum of the other rows (those without `deel_van`).
    pub totaal: bool,
    /// This row is a part of the subtotal in row `deel_van`.
    #[serde(default)]
    pub deel_van: Option<usize>,
}

/// A table as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PubTable {
    pub id: String,
    pub titel: String,
    /// Header of the row-label column, then of each value column.
    pub kolommen: Vec<String>,
    pub rijen: Vec<PubRow>,
    pub voetnoten: Vec<String>,
    /// The last column is the sum of the other count columns.
    pub totaal_kolom: bool,
}

impl PubTable {
    pub fn has_suppressed(&self) -> bool {
        self.rijen
            .iter()
            .any(|r| r.cellen.iter().any(|c| c.onderdrukt))
    }
}

/// Footnote on the "." symbol.
pub const NOTE_SUPPRESSED: &str = "Een punt (.) betekent: niet getoond, omdat het aantal te klein is of omdat het uit andere cellen terug te rekenen zou zijn (openbaarmakingsbeleid).";

/// A 2D count table to protect: rows by columns, totals added by the protection.
pub struct Grid<'a> {
    pub id: &'a str,
    pub titel: &'a str,
    pub row_labels: &'a [String],
    pub col_labels: &'a [String],
    pub cells: &'a [Vec<u64>],
    pub corner: &'a str,
}

/// Applies the disclosure policy to tables and figures.
#[derive(Debug, Clone)]
pub struct Protector {
    pub audience: Audience,
    pub min_cell: u64,
    pub min_denominator: u64,
    pub suppress_zero: bool,
}

/// A parent/child count table before protection (see [`Protector::hierarchy_table`]).
#[derive(Debug, Clone)]
pub struct HierarchyTable {
    /// Parents with their (merged) children, in table order.
    pub groups: Vec<(String, Vec<(String, u64)>)>,
    /// Cells and equations: per parent its cell then its children's; the grand total last.
    pub table: LinkedTable,
    /// Footnotes on merged children.
    pub notes: Vec<String>,
}

/// The rows of a two-period table after [`Protector::merge_small`]: label and the counts
/// of both periods, and the labels that went into "Overig".
#[derive(Debug, Clone, PartialEq)]
pub struct MergedRows {
    pub rows: Vec<(String, u64, u64)>,
    pub merged: Vec<String>,
}

impl Protector {
    pub fn new(
        audience: Audience,
        min_cell: u64,
        min_denominator: u64,
        suppress_zero: bool,
    ) -> Protector {
        Protector {
            audience,
            min_cell,
            min_denominator,
            suppress_zero,
        }
    }

    fn public(&self) -> bool {
        self.audience == Audience::Parliament
    }

    /// Whether this protector works for the public (the Kamer report).
    pub fn is_public(&self) -> bool {
        self.public()
    }

    /// The suppression policy behind this protector.
    pub fn policy(&self) -> Policy {
        Policy {
            min_cell: self.min_cell,
            suppress_zero: self.suppress_zero,
            min_denominator: self.min_denominator,
            ..Policy::default()
        }
    }

    /// Whether a count may not be shown to this audience on its own (the one
    /// rule for "too small": [`Policy::is_primary`]).
    pub fn is_small(&self, v: u64) -> bool {
        self.public() && self.policy().is_primary(v)
    }

    /// Whether a share `teller / noemer` may be shown: the denominator is at
    /// least `min_noemer` and neither the numerator nor its complement is a
    /// small count (a percentage beside its denominator gives both away).
    pub fn share_allowed(&self, teller: u64, noemer: u64) -> bool {
        if !self.public() {
            return true;
        }
        let small = |v: u64| v != 0 && self.policy().is_primary(v);
        noemer >= self.min_denominator && !small(teller) && !small(noemer.saturating_sub(teller))
    }

    /// A lone count (not part of a table with totals).
    pub fn count(&self, v: u64) -> PubCell {
        if self.is_small(v) {
            PubCell::hidden(CellKind::Count)
        } else {
            PubCell::count(v)
        }
    }

    /// A share `teller / noemer`, shown with one decimal when the denominator is large enough.
    pub fn share(&self, teller: u64, noemer: u64) -> PubCell {
        if noemer == 0 {
            return PubCell::empty();
        }
        if !self.share_allowed(teller, noemer) {
            return PubCell::hidden(CellKind::Percentage);
        }
        let w = teller as f64 / noemer as f64;
        PubCell {
            tekst: nl::pct(w, 1),
            soort: CellKind::Percentage,
            waarde: Some(w),
            noemer: Some(noemer),
            onderdrukt: false,
        }
    }

    /// A statistic (median, mean, ...) resting on `n` cases.
    pub fn statistic(&self, v: Option<f64>, n: u64, decimals: usize, unit: &str) -> PubCell {
        match v {
            None => PubCell::empty(),
            Some(_) if self.public() && n < self.min_denominator => {
                PubCell::hidden(CellKind::Number)
            }
            Some(x) => PubCell {
                tekst: nl::quantity(x, decimals, unit),
                soort: CellKind::Number,
                waarde: Some(x),
                noemer: Some(n),
                onderdrukt: false,
            },
        }
    }

    /// One column of counts per category, with a total row when `additive`
    /// (categories are disjoint). Sparse categories are merged first (kamer).
    pub fn counts_1d(
        &self,
        id: &str,
        titel: &str,
        dim_label: &str,
        items: &[(String, u64)],
        multi_valued: bool,
    ) -> PubTable {
        let mut notes = Vec::new();
        let items: Vec<(String, u64)> = if self.public() {
            let (merged, which) = suppress::collapse_small(items, self.min_cell, "Overig");
            if !which.is_empty() {
                notes.push(format!(
                    "Samengevoegd tot \"Overig\": {}.",
                    which.join(", ")
                ));
            }
            merged
        } else {
            items.to_vec()
        };
        let total: u64 = items.iter().map(|(_, v)| v).sum();
        let mut rijen: Vec<PubRow>;
        if multi_valued {
            rijen = items
                .iter()
                .map(|(l, v)| PubRow {
                    kop: l.clone(),
                    cellen: vec![self.count(*v)],
                    totaal: false,
                    deel_van: None,
                })
                .collect();
            notes.push("Een casus kan in meer dan één groep vallen; de groepen tellen daarom niet op tot het totaal.".into());
        } else {
            let mut values: Vec<u64> = items.iter().map(|(_, v)| *v).collect();
            values.push(total);
            let n = items.len();
            let table = LinkedTable {
                values: values.clone(),
                equations: vec![Equation {
                    total: n,
                    parts: (0..n).collect(),
                }],
            };
            let status = self.statuses(&table);
            rijen = items
                .iter()
                .enumerate()
                .map(|(i, (l, v))| PubRow {
                    kop: l.clone(),
                    cellen: vec![self.cell(*v, status[i])],
                    totaal: false,
                    deel_van: None,
                })
                .collect();
            rijen.push(total_row(vec![self.cell(total, status[n])]));
        }
        self.single_column(id, titel, dim_label, rijen, notes)
    }

    /// The flow table: per row open at start + received = handled + open at end, and a
    /// total row. The balance is protected as well, though it is not printed as a column.
    pub fn flow(
        &self,
        id: &str,
        titel: &str,
        row_labels: &[String],
        col_labels: &[String],
        cells: &[[u64; 4]],
        corner: &str,
    ) -> PubTable {
        // Layout per row: 4 cells plus a virtual balance cell; the last row holds the totals.
        let r = cells.len();
        let w = 5;
        let mut values = vec![0u64; (r + 1) * w];
        for (i, row) in cells.iter().enumerate() {
            for j in 0..4 {
                values[i * w + j] = row[j];
                values[r * w + j] += row[j];
            }
            values[i * w + 4] = row[0] + row[1];
            values[r * w + 4] += row[0] + row[1];
        }
        let mut equations = Vec::new();
        for j in 0..w {
            equations.push(Equation {
                total: r * w + j,
                parts: (0..r).map(|i| i * w + j).collect(),
            });
        }
        for i in 0..=r {
            equations.push(Equation {
                total: i * w + 4,
                parts: vec![i * w, i * w + 1],
            });
            equations.push(Equation {
                total: i * w + 4,
                parts: vec![i * w + 2, i * w + 3],
            });
        }
        let table = LinkedTable { values, equations };
        let never: Vec<bool> = (0..(r + 1) * w).map(|c| c % w == 4).collect();
        let status = self.statuses_with_hidden(&table, &never);
        let rijen = (0..=r)
            .map(|i| PubRow {
                kop: if i < r {
                    row_labels[i].clone()
                } else {
                    "Totaal".into()
                },
                cellen: (0..4)
                    .map(|j| self.cell(table.values[i * w + j], status[i * w + j]))
                    .collect(),
                totaal: i == r,
                deel_van: None,
            })
            .collect();
        let mut kolommen = vec![corner.to_string()];
        kolommen.extend(col_labels.iter().cloned());
        self.with_note(PubTable {
            id: id.into(),
            titel: titel.into(),
            kolommen,
            rijen,
            voetnoten: vec![],
            totaal_kolom: false,
        })
    }

    /// Counts per category for this period and the previous one side by side, with a total
    /// row. A category that is small in this period is merged into "Overig" first (kamer);
    /// what stays small (also in the previous period) is suppressed, protected through the
    /// column totals.
    pub fn counts_two_periods(
        &self,
        id: &str,
        titel: &str,
        dim_label: &str,
        rows: &[(String, u64, u64)],
        periods: [&str; 2],
    ) -> PubTable {
        let MergedRows { rows: kept, merged } = self.merge_small(rows);
        // Only the column totals are published, so only they link the cells.
        let r = kept.len();
        let mut values: Vec<u64> = kept.iter().flat_map(|k| [k.1, k.2]).collect();
        values.push(kept.iter().map(|k| k.1).sum());
        values.push(kept.iter().map(|k| k.2).sum());
        let equations = (0..2)
            .map(|j| Equation {
                total: r * 2 + j,
                parts: (0..r).map(|i| i * 2 + j).collect(),
            })
            .collect();
        let table = LinkedTable { values, equations };
        let status = self.statuses(&table);
        let rijen = (0..=r)
            .map(|i| PubRow {
                kop: if i < r {
                    kept[i].0.clone()
                } else {
                    "Totaal".into()
                },
                cellen: (0..2)
                    .map(|j| self.cell(table.values[i * 2 + j], status[i * 2 + j]))
                    .collect(),
                totaal: i == r,
                deel_van: None,
            })
            .collect();
        let mut t = self.with_note(PubTable {
            id: id.into(),
            titel: titel.into(),
            kolommen: vec![
                dim_label.to_string(),
                periods[0].to_string(),
                periods[1].to_string(),
            ],
            rijen,
            voetnoten: vec![],
            totaal_kolom: false,
        });
        if !merged.is_empty() {
            t.voetnoten.insert(
                0,
                format!("Samengevoegd tot \"Overig\": {}.", merged.join(", ")),
            );
        }
        t
    }

    /// Categories small in the current period (the first count) merged into one row
    /// "Overig" at the end, in the public report only; an existing category "Overig"
    /// joins the group, so the table never has two rows of that name. The internal
    /// report gets the rows unchanged.
    pub fn merge_small(&self, rows: &[(String, u64, u64)]) -> MergedRows {
        let small = |v: u64| v != 0 && self.is_small(v);
        let merging = self.public() && rows.iter().any(|r| small(r.1));
        let is_rest = |l: &str| l.eq_ignore_ascii_case("overig");
        let mut kept = Vec::new();
        let mut rest = (0u64, 0u64);
        let mut merged = Vec::new();
        for (l, a, b) in rows {
            if merging && (small(*a) || is_rest(l)) {
                rest.0 += a;
                rest.1 += b;
                if !is_rest(l) {
                    merged.push(l.clone());
                }
            } else {
                kept.push((l.clone(), *a, *b));
            }
        }
        if merging {
            kept.push(("Overig".into(), rest.0, rest.1));
        }
        MergedRows { rows: kept, merged }
    }

    /// An r x c table of counts with row totals (last column) and a total row.
    pub fn counts_2d(
        &self,
        id: &str,
        titel: &str,
        row_labels: &[String],
        col_labels: &[String],
        cells: &[Vec<u64>],
        corner: &str,
    ) -> PubTable {
        let grid = Grid {
            id,
            titel,
            row_labels,
            col_labels,
            cells,
            corner,
        };
        self.counts_2d_joint(&[grid], &[]).remove(0)
    }

    /// Several 2D count tables protected as one system: `same_row_totals` names row
    /// totals that are the same count in two tables, `(grid a, row a, grid b, row b)`
    /// (intake per quarter by dienst and the cohort table by outcome, say). A hidden cell
    /// can then not be recovered by combining the tables. A link between totals that
    /// differ is a bug in the caller and is refused.
    pub fn counts_2d_joint(
        &self,
        grids: &[Grid],
        same_row_totals: &[(usize, usize, usize, usize)],
    ) -> Vec<PubTable> {
        let tables: Vec<(LinkedTable, usize, usize)> =
            grids.iter().map(|g| suppress::table_2d(g.cells)).collect();
        let statuses: Vec<Vec<CellStatus>> = if !self.public() {
            tables
                .iter()
                .map(|(t, _, _)| vec![CellStatus::Shown; t.values.len()])
                .collect()
        } else {
            let mut builder = suppress::SystemBuilder::new();
            let refs: Vec<suppress::TableRef> = tables
                .iter()
                .zip(grids)
                .map(|((t, _, _), g)| builder.add_table(g.id, t))
                .collect();
            let row_total = |k: usize, row: usize| {
                let (_, _, cols) = tables[k];
                row * cols + cols - 1
            };
            for &(ga, ra, gb, rb) in same_row_totals {
                let (ca, cb) = (row_total(ga, ra), row_total(gb, rb));
                assert_eq!(
                    tables[ga].0.values[ca], tables[gb].0.values[cb],
                    "linked totals must be the same count"
                );
                builder.same(refs[ga].cell(ca), refs[gb].cell(cb));
            }
            match builder.build() {
                Ok(system) => {
                    let outcome = system.protect(&self.policy());
                    system.table_statuses(&outcome)
                }
                // Fail closed: a system that cannot be built hides every small cell and
                // every total of the tables.
                Err(_) => tables
                    .iter()
                    .map(|(t, _, _)| vec![CellStatus::Secondary; t.values.len()])
                    .collect(),
            }
        };
        grids
            .iter()
            .zip(&tables)
            .zip(&statuses)
            .map(|((g, (table, rows, cols)), status)| {
                self.render_2d(g, table, *rows, *cols, status)
            })
            .collect()
    }

    /// Renders a 2D count table with its totals from the statuses of its cells.
    pub fn render_2d(
        &self,
        g: &Grid,
        table: &LinkedTable,
        rows: usize,
        cols: usize,
        status: &[CellStatus],
    ) -> PubTable {
        let (r, c) = (rows - 1, cols - 1);
        let mut rijen = Vec::new();
        for i in 0..=r {
            let kop = if i < r {
                g.row_labels[i].clone()
            } else {
                "Totaal".into()
            };
            let cellen = (0..=c)
                .map(|j| self.cell(table.values[i * (c + 1) + j], status[i * (c + 1) + j]))
                .collect();
            rijen.push(PubRow {
                kop,
                cellen,
                totaal: i == r,
                deel_van: None,
            });
        }
        let mut kolommen = vec![g.corner.to_string()];
        kolommen.extend(g.col_labels.iter().cloned());
        kolommen.push("Totaal".into());
        self.with_note(PubTable {
            id: g.id.into(),
            titel: g.titel.into(),
            kolommen,
            rijen,
            voetnoten: vec![],
            totaal_kolom: true,
        })
    }

    /// Main categories with their sub-categories (parent = sum of children) and a grand total.
    /// Sparse sub-categories are merged into "overig" within their parent first.
    pub fn hierarchy(
        &self,
        id: &str,
        titel: &str,
        dim_label: &str,
        parents: &[(String, Vec<(String, u64)>)],
    ) -> PubTable {
        let h = self.hierarchy_table(parents);
        let status = self.statuses(&h.table);
        self.render_hierarchy((id, titel, dim_label), &h, &status)
    }

    /// The linked table of [`Protector::hierarchy`] before protection, for a caller that
    /// protects it together with other tables. Layout: per parent the parent cell, then
    /// its children; the grand total last.
    pub fn hierarchy_table(&self, parents: &[(String, Vec<(String, u64)>)]) -> HierarchyTable {
        let mut notes = Vec::new();
        let mut groups: Vec<(String, Vec<(String, u64)>)> = Vec::new();
        for (p, kids) in parents {
            let kids = if self.public() {
                let (m, which) =
                    suppress::collapse_small(kids, self.min_cell, &format!("{p}: overig"));
                if !which.is_empty() {
                    notes.push(format!(
                        "{p}: samengevoegd tot \"overig\": {}.",
                        which.join(", ")
                    ));
                }
                m
            } else {
                kids.clone()
            };
            groups.push((p.clone(), kids));
        }
        let spec: Vec<(u64, Vec<u64>)> = groups
            .iter()
            .map(|(_, k)| (k.iter().map(|x| x.1).sum(), k.iter().map(|x| x.1).collect()))
            .collect();
        HierarchyTable {
            table: suppress::hierarchy(&spec),
            groups,
            notes,
        }
    }

    /// Renders a [`HierarchyTable`] with the status of each of its cells.
    pub fn render_hierarchy(
        &self,
        (id, titel, dim_label): (&str, &str, &str),
        h: &HierarchyTable,
        status: &[CellStatus],
    ) -> PubTable {
        let table = &h.table;
        let mut rijen = Vec::new();
        let mut idx = 0;
        for (p, kids) in &h.groups {
            let parent_row = rijen.len();
            rijen.push(PubRow {
                kop: p.clone(),
                cellen: vec![self.cell(table.values[idx], status[idx])],
                totaal: false,
                deel_van: None,
            });
            let parent_idx = idx;
            idx += 1;
            // A main theme without sub-themes has one child, itself ("Bulky Items" under
            // "Bulky Items"): that row would only repeat the parent, so it is left out.
            let only_itself = matches!(kids.as_slice(), [(k, _)] if k == p)
                && status[parent_idx] == status[idx]
                && table.values[parent_idx] == table.values[idx];
            if only_itself {
                idx += 1;
                continue;
            }
            for (k, _) in kids {
                rijen.push(PubRow {
                    kop: format!("– {k}"),
                    cellen: vec![self.cell(table.values[idx], status[idx])],
                    totaal: false,
                    deel_van: Some(parent_row),
                });
                idx += 1;
            }
        }
        rijen.push(total_row(vec![self.cell(table.values[idx], status[idx])]));
        self.single_column(id, titel, dim_label, rijen, h.notes.clone())
    }

    /// Suppression on a linked table with extra cells that are never published
    /// (`never_shown`, e.g. a balance that is not printed): small cells are hidden, then
    /// the smallest visible neighbour of any recoverable cell, until nothing published
    /// can be worked out. Returns the status of every cell.
    pub fn statuses_with_hidden(
        &self,
        table: &LinkedTable,
        never_shown: &[bool],
    ) -> Vec<CellStatus> {
        let n = table.values.len();
        if !self.public() {
            return vec![CellStatus::Shown; n];
        }
        let small = |v: u64| self.policy().is_primary(v);
        let mut status: Vec<CellStatus> = (0..n)
            .map(|i| {
                if !never_shown[i] && small(table.values[i]) {
                    CellStatus::Primary
                } else {
                    CellStatus::Shown
                }
            })
            .collect();
        let touching = |c: usize| -> Vec<usize> {
            table
                .equations
                .iter()
                .filter(|e| e.total == c || e.parts.contains(&c))
                .flat_map(|e| std::iter::once(e.total).chain(e.parts.iter().copied()))
                .filter(|&x| x != c)
                .collect()
        };
        loop {
            let hidden: Vec<bool> = (0..n)
                .map(|i| never_shown[i] || status[i] != CellStatus::Shown)
                .collect();
            let rec: Vec<usize> = suppress::recoverable(table, &hidden)
                .into_iter()
                .filter(|&c| !never_shown[c])
                .collect();
            if rec.is_empty() {
                break;
            }
            // The smallest visible cell sharing an equation with a recoverable cell, else two steps away.
            let near: Vec<usize> = rec
                .iter()
                .flat_map(|&r| touching(r))
                .filter(|&c| !hidden[c])
                .collect();
            let far: Vec<usize> = rec
                .iter()
                .flat_map(|&r| touching(r))
                .flat_map(&touching)
                .filter(|&c| !hidden[c])
                .collect();
            let pick = if near.is_empty() { far } else { near };
            match pick
                .into_iter()
                .min_by_key(|&c| (table.values[c] == 0, table.values[c], c))
            {
                Some(c) => status[c] = CellStatus::Secondary,
                None => {
                    // Nothing left to hide around it: hide every visible cell (safe, if blunt).
                    for c in 0..n {
                        if !hidden[c] {
                            status[c] = CellStatus::Secondary;
                        }
                    }
                    break;
                }
            }
        }
        status
    }

    fn statuses(&self, table: &LinkedTable) -> Vec<CellStatus> {
        if self.public() {
            suppress::suppress(table, &self.policy())
        } else {
            vec![CellStatus::Shown; table.values.len()]
        }
    }

    /// A count cell as published under its status.
    pub fn cell(&self, v: u64, s: CellStatus) -> PubCell {
        match s {
            CellStatus::Shown => PubCell::count(v),
            _ => PubCell::hidden(CellKind::Count),
        }
    }

    /// A table of one count column under a category column, with the "." footnote when needed.
    fn single_column(
        &self,
        id: &str,
        titel: &str,
        dim_label: &str,
        rijen: Vec<PubRow>,
        voetnoten: Vec<String>,
    ) -> PubTable {
        self.with_note(PubTable {
            id: id.into(),
            titel: titel.into(),
            kolommen: vec![dim_label.into(), "Aantal".into()],
            rijen,
            voetnoten,
            totaal_kolom: false,
        })
    }

    /// Adds the "." footnote when anything is hidden.
    pub fn with_note(&self, mut t: PubTable) -> PubTable {
        if t.has_suppressed() && !t.voetnoten.iter().any(|n| n == NOTE_SUPPRESSED) {
            t.voetnoten.push(NOTE_SUPPRESSED.into());
        }
        t
    }
}

/// The "Totaal" row of a table.
fn total_row(cellen: Vec<PubCell>) -> PubRow {
    PubRow {
        kop: "Totaal".into(),
        cellen,
        totaal: true,
        deel_van: None,
    }
}

/// Rebuilds the additive structure of a published table with only its shown counts,
/// for the audit: returns the linked table and which cells are hidden.
pub fn linked_from_published(t: &PubTable) -> Option<(LinkedTable, Vec<bool>)> {
    let ncols = t.rijen.first()?.cellen.len();
    let idx = |r: usize, c: usize| r * ncols + c;
    let mut values = Vec::new();
    let mut hidden = Vec::new();
    for r in &t.rijen {
        if r.cellen.len() != ncols {
            return None;
        }
        for c in &r.cellen {
            values.push(c.waarde.map(|v| v.max(0.0) as u64).unwrap_or(0));
            hidden.push(c.onderdrukt);
        }
    }
    let mut equations = Vec::new();
    let count_cols: Vec<usize> = (0..ncols)
        .filter(|&c| {
            t.rijen
                .iter()
                .all(|r| matches!(r.cellen[c].soort, CellKind::Count))
        })
        .collect();
    if let Some(tot) = t.rijen.iter().position(|r| r.totaal) {
        let plain: Vec<usize> = (0..t.rijen.len())
            .filter(|&r| r != tot && t.rijen[r].deel_van.is_none())
            .collect();
        for &c in &count_cols {
            equations.push(Equation {
                total: idx(tot, c),
                parts: plain.iter().map(|&r| idx(r, c)).collect(),
            });
        }
    }
    let parents: std::collections::BTreeSet<usize> =
        t.rijen.iter().filter_map(|r| r.deel_van).collect();
    for p in parents {
        let parts: Vec<usize> = (0..t.rijen.len())
            .filter(|&r| t.rijen[r].deel_van == Some(p))
            .collect();
        for &c in &count_cols {
            equations.push(Equation {
                total: idx(p, c),
                parts: parts.iter().map(|&r| idx(r, c)).collect(),
            });
        }
    }
    if t.totaal_kolom && count_cols.len() >= 2 {
        let last = *count_cols.last().unwrap();
        for r in 0..t.rijen.len() {
            equations.push(Equation {
                total: idx(r, last),
                parts: count_cols[..count_cols.len() - 1]
                    .iter()
                    .map(|&c| idx(r, c))
                    .collect(),
            });
        }
    }
    if equations.is_empty() {
        return None;
    }
    Some((LinkedTable { values, equations }, hidden))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_overig_category_joins_the_merged_group() {
        let p = Protector::new(Audience::Parliament, 5, 10, false);
        let rows = vec![
            ("Wijkteam".to_string(), 20, 9),
            ("Overig".to_string(), 6, 2),
            ("Vakbond".to_string(), 2, 3),
        ];
        let t = p.counts_two_periods("x", "x", "Type", &rows, ["nu", "vorige"]);
        let heads: Vec<&str> = t.rijen.iter().map(|r| r.kop.as_str()).collect();
        assert_eq!(heads, vec!["Wijkteam", "Overig", "Totaal"]);
        assert_eq!(t.rijen[1].cellen[0].tekst, "8");
        assert!(t
            .voetnoten
            .iter()
            .any(|n| n.contains("Vakbond") && !n.contains("Overig,")));
    }

    #[test]
    fn a_main_theme_without_sub_themes_is_one_row() {
        let p = Protector::new(Audience::Internal, 5, 10, false);
        let kid = |k: &str, n: u64| (k.to_string(), n);
        let parents = vec![
            ("Bulky Items".to_string(), vec![kid("Bulky Items", 12)]),
            (
                "Street Lights".to_string(),
                vec![kid("Street Light Outage", 9)],
            ),
            (
                "Overig".to_string(),
                vec![kid("Overig", 7), kid("Anders", 8)],
            ),
        ];
        let t = p.hierarchy("thema", "Thema", "Thema", &parents);
        let heads: Vec<&str> = t.rijen.iter().map(|r| r.kop.as_str()).collect();
        assert_eq!(
            heads,
            [
                "Bulky Items",
                "Street Lights",
                "– Street Light Outage",
                "Overig",
                "– Overig",
                "– Anders",
                "Totaal"
            ]
        );
        assert_eq!(t.rijen[0].cellen[0].tekst, "12");
        assert_eq!(t.rijen[0].deel_van, None);
        assert_eq!(t.rijen[2].deel_van, Some(1));
        assert_eq!(t.rijen[6].cellen[0].tekst, "36");
    }

    #[test]
    fn intern_shows_everything() {
        let p = Protector::new(Audience::Internal, 5, 10, false);
        let t = p.counts_1d("t", "T", "x", &[("a".into(), 1), ("b".into(), 2)], false);
        assert!(!t.has_suppressed());
        assert_eq!(t.rijen.len(), 3);
    }

    #[test]
    fn one_small_cell_with_a_total_takes_a_second_cell_along() {
        let p = Protector::new(Audience::Parliament, 5, 10, false);
        // No merging possible to a safe overig? 3 alone merges with the next smallest (6) into overig = 9.
        let t = p.counts_1d(
            "t",
            "T",
            "x",
            &[("a".into(), 20), ("b".into(), 3), ("c".into(), 6)],
            false,
        );
        assert!(!t.has_suppressed(), "merging made it safe: {:?}", t.rijen);
        assert!(t.voetnoten.iter().any(|n| n.contains("Samengevoegd")));
        let (lt, hidden) = linked_from_published(&t).unwrap();
        assert!(suppress::recoverable_published(&lt, &hidden).is_empty());
    }

    #[test]
    fn two_d_tables_hide_nothing_recoverable() {
        let p = Protector::new(Audience::Parliament, 5, 10, false);
        let t = p.counts_2d(
            "f",
            "Stroom",
            &["A".into(), "B".into()],
            &["x".into(), "y".into()],
            &[vec![2, 10], vec![8, 12]],
            "dienst",
        );
        assert!(t.rijen[0].cellen[0].onderdrukt);
        let (lt, hidden) = linked_from_published(&t).unwrap();
        assert!(suppress::recoverable_published(&lt, &hidden).is_empty());
        assert!(t.voetnoten.contains(&NOTE_SUPPRESSED.to_string()));
    }

    #[test]
    fn shares_and_statistics_need_a_denominator() {
        let p = Protector::new(Audience::Parliament, 5, 10, false);
        assert!(p.share(3, 9).onderdrukt);
        // "25,0% of 12" gives away 3: a small numerator hides the share ...
        assert!(p.share(3, 12).onderdrukt);
        // ... and so does a small complement ("86,7% of 15": 2 without a solution).
        assert!(p.share(13, 15).onderdrukt);
        assert_eq!(p.share(6, 24).tekst, "25,0%");
        assert_eq!(p.share(0, 12).tekst, "0,0%");
        assert_eq!(p.share(12, 12).tekst, "100,0%");
        // The internal audience sees everything.
        let intern = Protector::new(Audience::Internal, 5, 10, false);
        assert_eq!(intern.share(3, 12).tekst, "25,0%");
        assert!(p.statistic(Some(40.0), 4, 0, " dagen").onderdrukt);
        assert_eq!(p.statistic(Some(40.5), 40, 1, " dagen").tekst, "40,5 dagen");
        assert!(p.count(4).onderdrukt);
        assert!(!p.count(0).onderdrukt);
    }
}

#[cfg(test)]
mod regression {
    use super::*;

    /// The cohort table of the demo data: suppression must leave nothing recoverable, as the audit reads it.
    #[test]
    fn cohort_table_of_the_demo_survives_the_audit_reading() {
        let p = Protector::new(Audience::Parliament, 5, 10, false);
        let cells = vec![
            vec![0, 0, 1, 0, 0],
            vec![6, 0, 3, 2, 1],
            vec![14, 0, 9, 3, 2],
            vec![8, 0, 11, 3, 0],
            vec![19, 0, 17, 3, 2],
            vec![24, 0, 19, 6, 3],
            vec![23, 7, 7, 0, 29],
        ];
        let labels: Vec<String> = (0..7).map(|i| format!("q{i}")).collect();
        let cols: Vec<String> = (0..5).map(|i| format!("c{i}")).collect();
        let t = p.counts_2d("c", "c", &labels, &cols, &cells, "k");
        let (lt, hidden) = linked_from_published(&t).unwrap();
        let rec = suppress::recoverable_published(&lt, &hidden);
        assert!(
            rec.is_empty(),
            "recoverable: {rec:?}\n{:#?}",
            t.rijen
                .iter()
                .map(|r| r.cellen.iter().map(|c| c.tekst.clone()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        );
    }
}

#[cfg(test)]
mod two_periods {
    use super::*;

    #[test]
    fn two_periods_merge_on_the_current_period_and_protect_the_previous_one() {
        let p = Protector::new(Audience::Parliament, 5, 10, false);
        let rows = vec![
            ("A".to_string(), 20, 3),
            ("B".to_string(), 12, 9),
            ("C".to_string(), 2, 7),
            ("D".to_string(), 8, 6),
        ];
        let t = p.counts_two_periods("t", "T", "x", &rows, ["nu", "vorige"]);
        // C is small now: merged into Overig (2 -> still small, hidden with a partner).
        assert!(t
            .voetnoten
            .iter()
            .any(|n| n.contains("Samengevoegd") && n.contains('C')));
        // A's previous 3 is hidden and a second cell in that column too.
        assert!(t.rijen[0].cellen[1].onderdrukt);
        assert!(t.rijen.iter().filter(|r| r.cellen[1].onderdrukt).count() >= 2);
        // Current-period counts of large groups stay visible.
        assert_eq!(t.rijen[0].cellen[0].tekst, "20");
        let (lt, hidden) = linked_from_published(&t).unwrap();
        assert!(suppress::recoverable_published(&lt, &hidden).is_empty());
        for r in &t.rijen {
            for c in &r.cellen {
                if let Some(v) = c.waarde {
                    assert!(v == 0.0 || v >= 5.0, "{r:?}");
                }
            }
        }
    }
}

#[cfg(test)]
mod joint {
    use super::*;
    use crate::util::rng::SplitMix64;

    fn grid<'a>(
        id: &'a str,
        rows: &'a [String],
        cols: &'a [String],
        cells: &'a [Vec<u64>],
    ) -> Grid<'a> {
        Grid {
            id,
            titel: id,
            row_labels: rows,
            col_labels: cols,
            cells,
            corner: "",
        }
    }

    /// Two tables whose row totals are the same counts (intake per quarter by dienst and
    /// by outcome), over many random seeds: a total is shown in both or hidden in both, so
    /// one table never gives away what the other hides.
    #[test]
    fn linked_totals_share_their_fate() {
        let p = Protector::new(Audience::Parliament, 5, 10, false);
        let rows: Vec<String> = (0..4).map(|i| format!("q{i}")).collect();
        let cols_a: Vec<String> = vec!["a".into(), "b".into(), "c".into()];
        let cols_b: Vec<String> = vec!["x".into(), "y".into()];
        for seed in 0..40 {
            let mut r = SplitMix64::new(seed);
            let a: Vec<Vec<u64>> = (0..4)
                .map(|_| (0..3).map(|_| r.below(12) as u64).collect())
                .collect();
            // Split each row total of `a` over two outcome columns.
            let b: Vec<Vec<u64>> = a
                .iter()
                .map(|row| {
                    let t: u64 = row.iter().sum();
                    let x = if t == 0 {
                        0
                    } else {
                        r.below(t as usize + 1) as u64
                    };
                    vec![x, t - x]
                })
                .collect();
            let links: Vec<_> = (0..4).map(|i| (0, i, 1, i)).collect();
            let out = p.counts_2d_joint(
                &[grid("a", &rows, &cols_a, &a), grid("b", &rows, &cols_b, &b)],
                &links,
            );
            for i in 0..4 {
                let ta = out[0].rijen[i].cellen.last().unwrap();
                let tb = out[1].rijen[i].cellen.last().unwrap();
                assert_eq!(
                    ta.onderdrukt, tb.onderdrukt,
                    "seed {seed}, row {i}: {a:?} {b:?}"
                );
            }
            // Every small count is hidden in both tables.
            for t in &out {
                for row in &t.rijen {
                    for c in &row.cellen {
                        if let Some(v) = c.waarde {
                            assert!(!(1.0..5.0).contains(&v), "seed {seed}: small {v} shown");
                        }
                    }
                }
            }
        }
    }
}
