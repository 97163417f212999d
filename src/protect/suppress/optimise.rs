//! Secondary suppression chosen by a linear programme and proved by the LP attacker.
//!
//! For each primary cell the attacker ([`super::attack`]) computes the interval a reader
//! can derive. While that interval is narrower than the protection width, one LP picks
//! the cheapest set of extra cells to hide: it looks for a change `d` of the table that
//! keeps every equation and shown ratio true and every cell non-negative, moves the
//! primary cell up by the missing width, and costs `weight(c) * |d_c|` for every visible
//! cell it touches (hidden cells are free). Hiding the cells it touches makes "true
//! table + d" a table the reader cannot rule out, so the primary's interval grows by
//! at least that width. When no such change exists (a shown ratio pins it), the ratios
//! around the cell are hidden; when the solver fails, every visible cell linked to the
//! primary is hidden: the optimiser never fails open. Afterwards each secondary cell
//! is shown again when the attacker still proves every primary cell safe without it
//! (largest cost first), and secondary cells the reader can work out exactly anyway
//! are shown.
//!
//! ```
//! use rodedraad::protect::suppress::{table_2d, LinkedSystem, Policy};
//! let (t, _, _) = table_2d(&[vec![2, 10, 15], vec![8, 12, 20], vec![9, 11, 30]]);
//! let system = LinkedSystem::from_table(&t);
//! let policy = Policy::default();
//! let outcome = system.protect(&policy);
//! assert!(system.violations(&policy, &outcome).is_empty());
//! ```

use super::attack::{is_protected, Model};
use super::lp::{solve, Outcome, Row, Sense};
use super::system::LinkedSystem;
use super::{CellStatus, Policy, SecondaryCost};

/// Cost of a deviation in a cell that is hidden already (keeps solutions tidy).
const HIDDEN_COST: f64 = 1e-4;
/// A deviation this small counts as none.
const SUPPORT_TOL: f64 = 1e-7;

/// Result of protecting a [`LinkedSystem`].
#[derive(Debug, Clone, PartialEq)]
pub struct Protection {
    /// Status of every system cell.
    pub cells: Vec<CellStatus>,
    /// Per ratio of the system: whether it may be shown.
    pub ratios_shown: Vec<bool>,
}

impl Protection {
    /// Which cells are not published.
    pub fn hidden(&self) -> Vec<bool> {
        self.cells.iter().map(|s| *s != CellStatus::Shown).collect()
    }
}

/// Why a ratio is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RatioState {
    Shown,
    /// The percentage rule forbids it.
    Rule,
    /// Hidden by the optimiser to protect a cell.
    Secondary,
}

struct Optimiser<'a> {
    sys: &'a LinkedSystem,
    model: Model,
    width: u64,
    status: Vec<CellStatus>,
    ratios: Vec<RatioState>,
    weight: Vec<f64>,
}

impl LinkedSystem {
    /// Primary and optimised secondary suppression of every cell and ratio; see the
    /// module documentation of [`super::optimise`](self) for the method.
    pub fn protect(&self, policy: &Policy) -> Protection {
        let mut opt = Optimiser::new(self, policy);
        if opt.primaries().is_empty() {
            return opt.result();
        }
        opt.secure();
        opt.prune();
        opt.show_pinned();
        // the attacker has the last word: anything still open is closed by hiding more
        opt.secure();
        opt.result()
    }

    /// Primary cells whose interval under `outcome` is narrower than the protection
    /// width, with the interval (an independent check of [`LinkedSystem::protect`]).
    pub fn violations(&self, policy: &Policy, outcome: &Protection) -> Vec<(usize, (f64, f64))> {
        let model = Model::new(self);
        let hidden = outcome.hidden();
        let iv = model.attack(&hidden, &outcome.ratios_shown);
        (0..self.table.values.len())
            .filter(|&c| outcome.cells[c] == CellStatus::Primary)
            .filter_map(|c| {
                let b = iv[c].unwrap_or((self.table.values[c] as f64, self.table.values[c] as f64));
                (!is_protected(b, policy.required_width())).then_some((c, b))
            })
            .collect()
    }
}

impl<'a> Optimiser<'a> {
    fn new(sys: &'a LinkedSystem, policy: &Policy) -> Optimiser<'a> {
        let values = &sys.table.values;
        let status: Vec<CellStatus> = values
            .iter()
            .zip(&sys.unpublished)
            .map(|(&v, &unpublished)| {
                if unpublished {
                    CellStatus::Unpublished
                } else if policy.is_primary(v) {
                    CellStatus::Primary
                } else {
                    CellStatus::Shown
                }
            })
            .collect();
        let ratios = sys
            .ratios
            .iter()
            .map(|r| {
                let (num, den) = (values[r.num], values[r.den]);
                if num <= den && policy.ratio_allowed(num, den) {
                    RatioState::Shown
                } else {
                    RatioState::Rule
                }
            })
            .collect();
        let max = values.iter().copied().max().unwrap_or(0) as f64;
        let weight = values
            .iter()
            .map(|&v| match policy.cost {
                SecondaryCost::Value => v as f64 + 1.0,
                // one cell always costs less than two; the smaller value wins a tie
                SecondaryCost::Count => 1.0 + 0.5 * v as f64 / (max + 1.0),
            })
            .collect();
        Optimiser {
            sys,
            model: Model::new(sys),
            width: policy.required_width(),
            status,
            ratios,
            weight,
        }
    }

    fn result(&self) -> Protection {
        Protection {
            cells: self.status.clone(),
            ratios_shown: self.ratios_shown(),
        }
    }

    fn primaries(&self) -> Vec<usize> {
        (0..self.status.len())
            .filter(|&c| self.status[c] == CellStatus::Primary)
            .collect()
    }

    fn hidden(&self) -> Vec<bool> {
        self.status
            .iter()
            .map(|s| *s != CellStatus::Shown)
            .collect()
    }

    fn ratios_shown(&self) -> Vec<bool> {
        self.ratios
            .iter()
            .map(|r| *r == RatioState::Shown)
            .collect()
    }

    /// The attacker's bounds of one hidden cell.
    fn bounds(&self, c: usize) -> (f64, f64) {
        let (hidden, shown) = (self.hidden(), self.ratios_shown());
        let comp = self.model.component(c, &hidden, &shown);
        self.model.bounds(&comp, &[c], &hidden, &shown)[0]
    }

    /// Whether every primary cell linked to `start` (through hidden cells) is protected.
    fn primaries_safe_around(&self, start: usize) -> bool {
        let (hidden, shown) = (self.hidden(), self.ratios_shown());
        let comp = self.model.component(start, &hidden, &shown);
        let targets: Vec<usize> = comp
            .iter()
            .copied()
            .filter(|&c| self.status[c] == CellStatus::Primary)
            .collect();
        self.model
            .bounds(&comp, &targets, &hidden, &shown)
            .into_iter()
            .all(|b| is_protected(b, self.width))
    }

    /// Hides cells (and ratios) until every primary cell is protected.
    fn secure(&mut self) {
        for p in self.primaries() {
            loop {
                let b = self.bounds(p);
                if is_protected(b, self.width) {
                    break;
                }
                if !self.widen(p, b) {
                    break; // nothing left to hide around p
                }
            }
        }
    }

    /// One step for an unprotected primary cell: hide the cells the deviation LP picks,
    /// else the shown ratios around it, else every visible cell linked to it. Returns
    /// false when there was nothing left to hide.
    fn widen(&mut self, p: usize, (lo, _): (f64, f64)) -> bool {
        let value = self.model.values[p];
        let below = if lo.is_nan() {
            0.0
        } else {
            (value - (lo - 1e-6).ceil()).max(0.0)
        };
        let need = (self.width as f64 - below).max(1.0);
        let shown = self.ratios_shown();
        let region = self.model.reach(p, &shown, |_| true);
        if let Some(cells) = self.deviation(p, need, &region) {
            if !cells.is_empty() {
                for c in cells {
                    self.status[c] = CellStatus::Secondary;
                }
                return true;
            }
        }
        // no change of the table can move p: a shown ratio around it pins it
        let mut changed = false;
        for &c in &region {
            for k in self.model.active_rows(c, &shown) {
                if let Some(r) = self.model.row_ratio(k) {
                    self.ratios[r] = RatioState::Secondary;
                    changed = true;
                }
            }
        }
        if changed {
            return true;
        }
        for c in region {
            if self.status[c] == CellStatus::Shown {
                self.status[c] = CellStatus::Secondary;
                changed = true;
            }
        }
        changed
    }

    /// The deviation LP: the cheapest change `d` over `region` with `d_p = need`, every
    /// known row still true and every cell non-negative. Returns the visible cells it
    /// touches, or `None` when there is no such change (or the solver fails).
    fn deviation(&self, p: usize, need: f64, region: &[usize]) -> Option<Vec<usize>> {
        let n = self.model.len();
        let mut local = vec![usize::MAX; n];
        for (j, &c) in region.iter().enumerate() {
            local[c] = j;
        }
        // variables: up (2j) and down (2j + 1) per cell
        let mut bounds = Vec::with_capacity(2 * region.len());
        let mut obj = Vec::with_capacity(2 * region.len());
        for (j, &c) in region.iter().enumerate() {
            let value = self.model.values[c];
            if c == p {
                bounds.push((need, need));
                bounds.push((0.0, 0.0));
            } else {
                bounds.push((0.0, f64::INFINITY));
                bounds.push((0.0, value));
            }
            let w = if self.status[c] == CellStatus::Shown {
                self.weight[c]
            } else {
                HIDDEN_COST
            };
            obj.push((2 * j, w));
            obj.push((2 * j + 1, w));
        }
        let shown = self.ratios_shown();
        let mut row_ids: Vec<usize> = region
            .iter()
            .flat_map(|&c| self.model.active_rows(c, &shown))
            .collect();
        row_ids.sort_unstable();
        row_ids.dedup();
        let rows: Vec<Row> = row_ids
            .iter()
            .map(|&k| {
                let row = self.model.row(k);
                let at_truth: f64 = row
                    .terms
                    .iter()
                    .map(|&(c, coef)| coef * self.model.values[c])
                    .sum();
                let terms = row
                    .terms
                    .iter()
                    .flat_map(|&(c, coef)| [(2 * local[c], coef), (2 * local[c] + 1, -coef)]);
                Row::new(terms, row.lo - at_truth, row.hi - at_truth)
            })
            .collect();
        let Outcome::Optimal { x, .. } = solve(&bounds, &rows, &obj, Sense::Min) else {
            return None;
        };
        Some(
            region
                .iter()
                .enumerate()
                .filter(|&(j, &c)| {
                    self.status[c] == CellStatus::Shown && x[2 * j] + x[2 * j + 1] > SUPPORT_TOL
                })
                .map(|(_, &c)| c)
                .collect(),
        )
    }

    /// Shows secondary cells and ratios again while every primary stays protected,
    /// the most expensive first.
    fn prune(&mut self) {
        let mut secondary: Vec<usize> = (0..self.status.len())
            .filter(|&c| self.status[c] == CellStatus::Secondary)
            .collect();
        secondary.sort_by(|&a, &b| self.weight[b].total_cmp(&self.weight[a]).then(a.cmp(&b)));
        for s in secondary {
            // the primaries that could lose: those linked to s while it is hidden
            let hidden = self.hidden();
            let shown = self.ratios_shown();
            let comp = self.model.component(s, &hidden, &shown);
            self.status[s] = CellStatus::Shown;
            let safe = comp
                .iter()
                .filter(|&&c| c != s && self.status[c] == CellStatus::Primary)
                .all(|&c| is_protected(self.bounds(c), self.width));
            if !safe {
                self.status[s] = CellStatus::Secondary;
            }
        }
        for r in 0..self.ratios.len() {
            if self.ratios[r] != RatioState::Secondary {
                continue;
            }
            self.ratios[r] = RatioState::Shown;
            let ratio = &self.sys.ratios[r];
            let safe = [ratio.num, ratio.den]
                .into_iter()
                .filter(|&c| self.status[c] != CellStatus::Shown)
                .all(|c| self.primaries_safe_around(c));
            if !safe {
                self.ratios[r] = RatioState::Secondary;
            }
        }
    }

    /// Shows secondary cells that the reader can work out exactly anyway: showing them
    /// changes nothing the reader can derive, and a hidden cell should not be exact.
    fn show_pinned(&mut self) {
        let iv = self.model.attack(&self.hidden(), &self.ratios_shown());
        for (c, b) in iv.into_iter().enumerate() {
            if self.status[c] != CellStatus::Secondary {
                continue;
            }
            if let Some((lo, hi)) = b {
                if hi - lo < SUPPORT_TOL && (lo - self.model.values[c]).abs() < 1e-6 {
                    self.status[c] = CellStatus::Shown;
                }
            }
        }
    }
}
