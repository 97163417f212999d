//! The LP attacker: for every hidden cell, the smallest and largest value a reader can
//! derive from the published cells, all equations and inequalities, the shown ratios and
//! non-negativity.
//!
//! Visible cells are constants. Hidden cells linked through equations or ratios form
//! independent components; for each hidden cell two linear programmes over its
//! component give the bounds (integrality is not used, so the bounds enclose every
//! integer answer). An interval that the solver cannot prove is reported as NaN, which
//! every check treats as unprotected: the attacker fails closed.
//!
//! [`attack_system_integer`] is the exact attacker over whole numbers on every component:
//! each side starts from the LP optimum (final when it is a whole-number point) and is
//! otherwise decided by branch and bound within [`NODE_BUDGET`] nodes, falling back to
//! the whole-number points it found (never a wider interval than the truth).
//!
//! ```
//! use rodedraad::protect::suppress::{attack, table_2d};
//! //  2 10 | 12     the four inner cells hidden, totals shown:
//! //  8 12 | 20     x = 2 + t, 10 - t, 8 - t, 12 + t with every cell >= 0,
//! // 10 22 | 32     so t in [-2, 8] and the 2 lies in [0, 10]
//! let (t, _, _) = table_2d(&[vec![2, 10], vec![8, 12]]);
//! let mut hidden = vec![false; 9];
//! for c in [0, 1, 3, 4] {
//!     hidden[c] = true;
//! }
//! let iv = attack(&t, &hidden);
//! let (lo, hi) = iv[0].unwrap();
//! assert!(lo.abs() < 1e-9 && (hi - 10.0).abs() < 1e-9);
//! assert!(iv[2].is_none()); // a visible cell has no interval
//! ```

use super::lp::{solve, solve_integer, IntegerOutcome, Outcome, Row, Sense};
use super::system::LinkedSystem;
use super::LinkedTable;

/// Tolerance for comparing LP bounds with integers.
const TOL: f64 = 1e-6;

/// Every relation of a system, with per cell the rows it occurs in.
#[derive(Debug, Clone)]
pub(super) struct Model {
    rows: Vec<Row>,
    /// The ratio a row comes from (`None` for an equation or inequality); it counts only
    /// when shown.
    row_ratio: Vec<Option<usize>>,
    cell_rows: Vec<Vec<usize>>,
    pub values: Vec<f64>,
}

impl Model {
    pub fn new(sys: &LinkedSystem) -> Model {
        let n = sys.table.values.len();
        let mut rows = Vec::new();
        let mut row_ratio = Vec::new();
        for e in &sys.table.equations {
            if e.total < n && e.parts.iter().all(|&p| p < n) {
                let terms =
                    std::iter::once((e.total, 1.0)).chain(e.parts.iter().map(|&p| (p, -1.0)));
                rows.push(Row::new(terms, 0.0, 0.0));
                row_ratio.push(None);
            }
        }
        for q in &sys.inequalities {
            if q.smaller.iter().chain(&q.larger).all(|&c| c < n) {
                rows.push(q.row());
                row_ratio.push(None);
            }
        }
        for (r, ratio) in sys.ratios.iter().enumerate() {
            if ratio.num < n && ratio.den < n {
                for row in ratio.rows() {
                    rows.push(row);
                    row_ratio.push(Some(r));
                }
            }
        }
        let mut cell_rows = vec![Vec::new(); n];
        for (k, row) in rows.iter().enumerate() {
            for &(c, _) in &row.terms {
                cell_rows[c].push(k);
            }
        }
        Model {
            rows,
            row_ratio,
            cell_rows,
            values: sys.table.values.iter().map(|&v| v as f64).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn row(&self, k: usize) -> &Row {
        &self.rows[k]
    }

    pub fn row_ratio(&self, k: usize) -> Option<usize> {
        self.row_ratio[k]
    }

    /// Rows a reader knows that contain cell `c`.
    pub fn active_rows<'a>(
        &'a self,
        c: usize,
        ratios_shown: &'a [bool],
    ) -> impl Iterator<Item = usize> + 'a {
        self.cell_rows[c]
            .iter()
            .copied()
            .filter(move |&k| self.row_ratio[k].is_none_or(|r| ratios_shown[r]))
    }

    /// Cells reachable from `start` through known rows, stepping only onto cells for
    /// which `step` holds (`start` itself is always included).
    pub fn reach(
        &self,
        start: usize,
        ratios_shown: &[bool],
        step: impl Fn(usize) -> bool,
    ) -> Vec<usize> {
        let mut seen = vec![false; self.len()];
        seen[start] = true;
        let mut out = vec![start];
        let mut i = 0;
        while i < out.len() {
            let c = out[i];
            i += 1;
            for k in self.active_rows(c, ratios_shown) {
                for &(d, _) in &self.rows[k].terms {
                    if !seen[d] && step(d) {
                        seen[d] = true;
                        out.push(d);
                    }
                }
            }
        }
        out
    }

    /// Hidden cells linked to hidden cell `start` (its attack component).
    pub fn component(&self, start: usize, hidden: &[bool], ratios_shown: &[bool]) -> Vec<usize> {
        self.reach(start, ratios_shown, |d| hidden[d])
    }

    /// The rows a reader knows over one hidden component, in local variables (the
    /// position of a cell in `comp`), visible cells moved to the bounds.
    fn component_rows(
        &self,
        comp: &[usize],
        hidden: &[bool],
        ratios_shown: &[bool],
    ) -> (Vec<Row>, Vec<usize>) {
        let mut local = vec![usize::MAX; self.len()];
        for (j, &c) in comp.iter().enumerate() {
            local[c] = j;
        }
        let mut row_ids: Vec<usize> = comp
            .iter()
            .flat_map(|&c| self.active_rows(c, ratios_shown))
            .collect();
        row_ids.sort_unstable();
        row_ids.dedup();
        let rows = row_ids
            .iter()
            .map(|&k| self.substitute(&self.rows[k], &local, hidden))
            .collect();
        (rows, local)
    }

    /// LP bounds `(lo, hi)` of each target over one hidden component; `hi` is infinite
    /// when unbounded, both NaN when the solver fails.
    pub fn bounds(
        &self,
        comp: &[usize],
        targets: &[usize],
        hidden: &[bool],
        ratios_shown: &[bool],
    ) -> Vec<(f64, f64)> {
        let (rows, local) = self.component_rows(comp, hidden, ratios_shown);
        let vars = vec![(0.0, f64::INFINITY); comp.len()];
        targets
            .iter()
            .map(|&t| {
                let lo = extreme(&vars, &rows, local[t], Sense::Min);
                let hi = extreme(&vars, &rows, local[t], Sense::Max);
                if lo.is_nan() || hi.is_nan() {
                    (f64::NAN, f64::NAN)
                } else {
                    (lo, hi)
                }
            })
            .collect()
    }

    /// Whether each target keeps an interval of at least `width`. The true value lies
    /// in the interval, so a maximum `width` above it settles the question without the
    /// minimum; only the other cases solve both programmes.
    pub fn safe(
        &self,
        comp: &[usize],
        targets: &[usize],
        hidden: &[bool],
        ratios_shown: &[bool],
        width: u64,
    ) -> bool {
        let (rows, local) = self.component_rows(comp, hidden, ratios_shown);
        let vars = vec![(0.0, f64::INFINITY); comp.len()];
        targets.iter().all(|&t| {
            let hi = extreme(&vars, &rows, local[t], Sense::Max);
            if is_protected((self.values[t], hi), width) {
                return true;
            }
            let lo = extreme(&vars, &rows, local[t], Sense::Min);
            is_protected((lo, hi), width)
        })
    }

    /// A row over the hidden cells of a component, visible cells moved to the bounds.
    fn substitute(&self, row: &Row, local: &[usize], hidden: &[bool]) -> Row {
        let mut known = 0.0;
        let mut terms = Vec::new();
        for &(c, coef) in &row.terms {
            if hidden[c] {
                terms.push((local[c], coef));
            } else {
                known += coef * self.values[c];
            }
        }
        Row::new(terms, row.lo - known, row.hi - known)
    }

    /// Bounds of every hidden cell (`None` for visible cells).
    pub fn attack(&self, hidden: &[bool], ratios_shown: &[bool]) -> Vec<Option<(f64, f64)>> {
        let mut out = vec![None; self.len()];
        for c in 0..self.len() {
            if !hidden[c] || out[c].is_some() {
                continue;
            }
            let comp = self.component(c, hidden, ratios_shown);
            let bounds = self.bounds(&comp, &comp, hidden, ratios_shown);
            for (&d, b) in comp.iter().zip(bounds) {
                out[d] = Some(b);
            }
        }
        out
    }

    /// Bounds of every hidden cell over whole numbers, component by component.
    fn integer_attack(
        &self,
        hidden: &[bool],
        ratios_shown: &[bool],
        node_budget: u64,
    ) -> IntegerAttack {
        let n = self.len();
        let mut bounds = vec![None; n];
        let mut exact = vec![false; n];
        let mut done = vec![false; n];
        for c in 0..n {
            if !hidden[c] || done[c] {
                continue;
            }
            let comp = self.component(c, hidden, ratios_shown);
            let whole = self.whole_bounds(&comp, hidden, ratios_shown, node_budget);
            for (&d, w) in comp.iter().zip(whole) {
                done[d] = true;
                bounds[d] = Some(w.bounds);
                exact[d] = w.exact;
            }
        }
        IntegerAttack { bounds, exact }
    }

    /// Bounds over whole numbers of each cell of one hidden component. Each side starts
    /// from the LP optimum: reached at a whole-number point it is the answer, else a
    /// branch and bound inside the LP bounds of every cell decides it, within
    /// `node_budget` nodes. A programme that runs out of nodes gives the best
    /// whole-number value it found (a point the reader cannot rule out), so the interval
    /// can only come out narrower than the truth, never wider: protection judged on it is
    /// safe. Nothing found, or a failing solver, gives NaN (unprotected).
    pub fn whole_bounds(
        &self,
        comp: &[usize],
        hidden: &[bool],
        ratios_shown: &[bool],
        node_budget: u64,
    ) -> Vec<WholeBounds> {
        let (rows, _) = self.component_rows(comp, hidden, ratios_shown);
        let reals = vec![(0.0, f64::INFINITY); comp.len()];
        let relaxed: Vec<[Extreme; 2]> = (0..comp.len())
            .map(|j| [Sense::Min, Sense::Max].map(|s| extreme_point(&reals, &rows, j, s)))
            .collect();
        if relaxed.iter().flatten().any(|e| e.value.is_nan()) {
            return vec![WholeBounds::UNKNOWN; comp.len()];
        }
        // Every whole answer lies inside the LP bounds; an unbounded cell gets a cap far
        // above any count (its own maximum stays infinite).
        let boxes: Vec<(i64, i64)> = relaxed
            .iter()
            .map(|[lo, hi]| {
                let top = if hi.value.is_finite() {
                    (hi.value + TOL).floor() as i64
                } else {
                    UNBOUNDED_CAP
                };
                (((lo.value - TOL).ceil() as i64).max(0), top)
            })
            .collect();
        // the published values as a starting point: the reader's model holds them when
        // they are the truth (the protection stage); otherwise the solver ignores them
        let hint: Vec<f64> = comp.iter().map(|&c| self.values[c]).collect();
        let side = |j: usize, sense: Sense, relaxed: &Extreme| -> (f64, bool) {
            if relaxed.value.is_infinite() {
                (relaxed.value, true)
            } else if relaxed.whole {
                (relaxed.value.round(), true)
            } else {
                match solve_integer(&boxes, &rows, &[(j, 1.0)], sense, node_budget, Some(&hint)) {
                    IntegerOutcome::Optimal(v) => (v.round(), true),
                    IntegerOutcome::Limited(Some(v)) => (v.round(), false),
                    IntegerOutcome::Limited(None) | IntegerOutcome::Failed => (f64::NAN, false),
                }
            }
        };
        relaxed
            .iter()
            .enumerate()
            .map(|(j, [lo, hi])| {
                let (lo, lo_exact) = side(j, Sense::Min, lo);
                let (hi, hi_exact) = side(j, Sense::Max, hi);
                if lo.is_nan() || hi.is_nan() {
                    WholeBounds::UNKNOWN
                } else {
                    WholeBounds {
                        bounds: (lo, hi),
                        exact: lo_exact && hi_exact,
                    }
                }
            })
            .collect()
    }
}

/// The upper bound given to a cell the LP leaves unbounded, in the integer programmes.
const UNBOUNDED_CAP: i64 = 10_000_000;

/// Branch and bound nodes allowed per integer programme of the exact attacker (per side
/// of each hidden cell). Every programme of the demo reports and of random small exports
/// finished well within it; when it runs out the attacker answers with the whole-number
/// points it found ([`IntegerAttack::exact`] false).
pub const NODE_BUDGET: u64 = 2_000;

/// The bounds of one hidden cell over whole numbers and whether they are proven.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WholeBounds {
    /// `(lo, hi)`; NaN when nothing is known (unprotected).
    pub bounds: (f64, f64),
    /// Both sides proven optimal. When false the bounds are values whole-number points
    /// reach (the true interval is at least as wide).
    pub exact: bool,
}

impl WholeBounds {
    const UNKNOWN: WholeBounds = WholeBounds {
        bounds: (f64::NAN, f64::NAN),
        exact: false,
    };
}

/// One side of a cell's LP bounds and whether the optimum found is a whole-number point
/// (then it is the optimum over whole numbers too).
#[derive(Debug, Clone, Copy)]
struct Extreme {
    value: f64,
    whole: bool,
}

/// [`extreme`] with the point it reaches: infinite when unbounded, NaN on failure.
fn extreme_point(vars: &[(f64, f64)], rows: &[Row], var: usize, sense: Sense) -> Extreme {
    match solve(vars, rows, &[(var, 1.0)], sense) {
        Outcome::Optimal { value, x } => Extreme {
            value,
            whole: x.iter().all(|v| (v - v.round()).abs() < TOL),
        },
        Outcome::Unbounded if sense == Sense::Max => Extreme {
            value: f64::INFINITY,
            whole: false,
        },
        _ => Extreme {
            value: f64::NAN,
            whole: false,
        },
    }
}

/// What the exact integer attacker found: per cell its bounds (`None` for visible cells)
/// and whether they are proven over whole numbers (`false` where a programme ran out of
/// its node budget: the bounds are then values whole-number points reach, an interval
/// inside the true one, or NaN when none was found).
#[derive(Debug, Clone, PartialEq)]
pub struct IntegerAttack {
    pub bounds: Vec<Option<(f64, f64)>>,
    pub exact: Vec<bool>,
}

/// The attacker over whole numbers: for every hidden cell the smallest and largest count
/// a reader can derive when he also uses that counts are integers (a branch and bound
/// per cell, inside the LP bounds). It sees what the relaxation misses, such as a shown
/// percentage that only some numerators round to. Every component is attacked, whatever
/// its size; each programme may use `node_budget` branch and bound nodes (see
/// [`NODE_BUDGET`]), and where that runs out the cell keeps the safe answer described at
/// [`IntegerAttack`].
///
/// ```
/// use rodedraad::protect::suppress::{attack_system_integer, table_2d, LinkedSystem, NODE_BUDGET};
/// //  2 10 | 12   the four inner cells hidden: over the integers too the 2 lies in [0, 10]
/// //  8 12 | 20
/// let (t, _, _) = table_2d(&[vec![2, 10], vec![8, 12]]);
/// let mut hidden = vec![false; 9];
/// for c in [0, 1, 3, 4] {
///     hidden[c] = true;
/// }
/// let out = attack_system_integer(&LinkedSystem::from_table(&t), &hidden, &[], NODE_BUDGET);
/// assert!(out.exact[0]);
/// assert_eq!(out.bounds[0], Some((0.0, 10.0)));
/// ```
pub fn attack_system_integer(
    sys: &LinkedSystem,
    hidden: &[bool],
    ratios_shown: &[bool],
    node_budget: u64,
) -> IntegerAttack {
    let hidden = padded(hidden, sys.table.values.len());
    let shown = padded(ratios_shown, sys.ratios.len());
    Model::new(sys).integer_attack(&hidden, &shown, node_budget)
}

/// A mask of length `n`; positions past the end of `mask` count as false.
fn padded(mask: &[bool], n: usize) -> Vec<bool> {
    (0..n)
        .map(|i| mask.get(i).copied().unwrap_or(false))
        .collect()
}

/// The optimum of one cell (a local variable): infinite when unbounded, NaN on failure.
fn extreme(vars: &[(f64, f64)], rows: &[Row], var: usize, sense: Sense) -> f64 {
    match solve(vars, rows, &[(var, 1.0)], sense) {
        Outcome::Optimal { value, .. } => value,
        Outcome::Unbounded if sense == Sense::Max => f64::INFINITY,
        _ => f64::NAN,
    }
}

/// The width a reader cannot narrow: `floor(hi) - ceil(lo)` (counts are whole), infinite
/// when unbounded, 0 when the bounds are unknown (NaN).
pub fn protected_width((lo, hi): (f64, f64)) -> f64 {
    if lo.is_nan() || hi.is_nan() {
        0.0
    } else if hi.is_infinite() {
        f64::INFINITY
    } else {
        ((hi + TOL).floor() - (lo - TOL).ceil()).max(0.0)
    }
}

/// Whether the bounds leave a hidden cell an interval of at least `width`.
pub fn is_protected(bounds: (f64, f64), width: u64) -> bool {
    protected_width(bounds) >= width.max(1) as f64
}

/// LP attack on one table: for each hidden cell the min and max a reader derives from
/// the visible cells, the equations and non-negativity (`None` for visible cells).
/// Only visible values of `table` are read. `hidden` shorter than the table counts as
/// visible.
pub fn attack(table: &LinkedTable, hidden: &[bool]) -> Vec<Option<(f64, f64)>> {
    attack_system(&LinkedSystem::from_table(table), hidden, &[])
}

/// [`attack`] on a linked system, using the ratios marked in `ratios_shown` too.
pub fn attack_system(
    sys: &LinkedSystem,
    hidden: &[bool],
    ratios_shown: &[bool],
) -> Vec<Option<(f64, f64)>> {
    let hidden = padded(hidden, sys.table.values.len());
    let shown = padded(ratios_shown, sys.ratios.len());
    Model::new(sys).attack(&hidden, &shown)
}

#[cfg(test)]
mod tests {
    use super::super::{hierarchy, table_2d};
    use super::*;

    fn hide(n: usize, cells: &[usize]) -> Vec<bool> {
        let mut h = vec![false; n];
        for &c in cells {
            h[c] = true;
        }
        h
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn widths() {
        assert_eq!(protected_width((0.0, 10.0)), 10.0);
        // fractional LP bounds shrink to whole counts: [0.5, 5.5] holds only 1..=5
        assert_eq!(protected_width((0.5, 5.5)), 4.0);
        assert_eq!(protected_width((2.0, 2.0)), 0.0);
        assert_eq!(protected_width((3.0, f64::INFINITY)), f64::INFINITY);
        assert!(!is_protected((f64::NAN, f64::NAN), 5));
        assert!(is_protected((0.0, 5.0), 5));
        assert!(!is_protected((0.0, 4.9), 5));
        // width 0 is never enough, whatever the policy says
        assert!(!is_protected((2.0, 2.0), 0));
    }

    #[test]
    fn lone_primary_in_a_row_is_pinned() {
        //  2 10 15 | 27   only the 2 hidden: 27 - 10 - 15 = 2 exactly
        let (t, _, _) = table_2d(&[vec![2, 10, 15], vec![8, 12, 20], vec![9, 11, 30]]);
        let iv = attack(&t, &hide(16, &[0]));
        let (lo, hi) = iv[0].unwrap();
        assert!(close(lo, 2.0) && close(hi, 2.0));
    }

    #[test]
    fn rectangle_bounds_worked_by_hand() {
        //  2 10 15 | 27   hidden 2, 10, 8, 12: 2 + t, 10 - t, 8 - t, 12 + t,
        //  8 12 20 | 40   each >= 0 gives t in [-2, 8]:
        //  9 11 30 | 50   2 in [0, 10], 10 in [2, 12], 8 in [0, 10], 12 in [10, 20]
        let (t, _, _) = table_2d(&[vec![2, 10, 15], vec![8, 12, 20], vec![9, 11, 30]]);
        let iv = attack(&t, &hide(16, &[0, 1, 4, 5]));
        let want = [
            (0, 0.0, 10.0),
            (1, 2.0, 12.0),
            (4, 0.0, 10.0),
            (5, 10.0, 20.0),
        ];
        for (c, lo, hi) in want {
            let (l, h) = iv[c].unwrap();
            assert!(close(l, lo) && close(h, hi), "cell {c}: {l} {h}");
        }
    }

    #[test]
    fn hidden_total_is_unbounded_above() {
        // theme A = 20 (3, 7, 10) with A and its 3 and 7 hidden, grand total 65 hidden,
        // theme B = 15 shown, theme C = 30 shown: A = G - 45, 3 + 7 = A - 10: all grow
        // together without limit, the 3 in [0, inf)
        let t = hierarchy(&[(20, vec![3, 7, 10]), (15, vec![12, 3]), (30, vec![30])]);
        let iv = attack(&t, &hide(10, &[0, 1, 2, 9]));
        let (lo, hi) = iv[1].unwrap();
        assert!(close(lo, 0.0) && hi.is_infinite());
        // the grand total is at least 45 + 10
        assert!(close(iv[9].unwrap().0, 55.0));
    }

    #[test]
    fn the_integer_attacker_sees_rounding_gaps() {
        // a = 5, d = 11, e = 9 hidden; d + e = 20 shown, 10 <= d <= 12 from two shown
        // counts, and "45%" shown for a / d. Over the reals d lies in [10, 12] and a in
        // [4,45; 5,46]; over the integers only d = 11 lets a whole a round to 45%
        // (4,45..4,55 and 5,34..5,46 hold no integer), so all three are pinned.
        let mut b = super::super::SystemBuilder::new();
        let t = b.add_table(
            "t",
            &LinkedTable {
                values: vec![5, 11, 9, 20],
                equations: vec![super::super::Equation {
                    total: 3,
                    parts: vec![1, 2],
                }],
            },
        );
        let most = b.add_figure("hoogstens", 12);
        let least = b.add_figure("minstens", 10);
        b.at_most(&[t.cell(1)], &[most]);
        b.at_most(&[least], &[t.cell(1)]);
        b.shown_ratio(t.cell(0), t.cell(1), 0.45, 0.005);
        let sys = b.build().unwrap();
        let hidden = [true, true, true, false, false, false];
        let relaxed = attack_system(&sys, &hidden, &[true]);
        let (lo, hi) = relaxed[1].unwrap();
        assert!(close(lo, 10.0) && close(hi, 12.0));
        let out = attack_system_integer(&sys, &hidden, &[true], NODE_BUDGET);
        assert!(out.exact[..3].iter().all(|&e| e) && !out.exact[3]);
        assert_eq!(out.bounds[0], Some((5.0, 5.0)));
        assert_eq!(out.bounds[1], Some((11.0, 11.0)));
        assert_eq!(out.bounds[2], Some((9.0, 9.0)));
        // a plain table (totally unimodular): the integer bounds are the LP bounds
        let (t, _, _) = table_2d(&[vec![2, 10, 15], vec![8, 12, 20], vec![9, 11, 30]]);
        let h = hide(16, &[0, 1, 4, 5]);
        let whole = attack_system_integer(&LinkedSystem::from_table(&t), &h, &[], NODE_BUDGET);
        let relaxed = attack(&t, &h);
        for c in [0, 1, 4, 5] {
            assert!(whole.exact[c]);
            assert_eq!(whole.bounds[c], relaxed[c]);
        }
    }

    #[test]
    fn an_exhausted_budget_answers_with_whole_points_inside_the_truth() {
        // d + e = 40 shown, "45%" shown for a / d and "31%" for b / e, all four hidden:
        // the LP optimum of each side is fractional, so every side needs branching. With
        // no nodes the attacker may answer only with points it found: never outside the
        // exact bounds, always around the true value, and not exact unless proven.
        let mut b = super::super::SystemBuilder::new();
        let t = b.add_table(
            "t",
            &LinkedTable {
                values: vec![9, 20, 6, 20, 40],
                equations: vec![super::super::Equation {
                    total: 4,
                    parts: vec![1, 3],
                }],
            },
        );
        b.shown_ratio(t.cell(0), t.cell(1), 0.45, 0.005);
        b.shown_ratio(t.cell(2), t.cell(3), 0.30, 0.005);
        let sys = b.build().unwrap();
        let hidden = [true, true, true, true, false];
        let shown = [true, true];
        let full = attack_system_integer(&sys, &hidden, &shown, NODE_BUDGET);
        let none = attack_system_integer(&sys, &hidden, &shown, 0);
        for c in 0..4 {
            let v = sys.table.values[c] as f64;
            let (lo, hi) = full.bounds[c].unwrap();
            assert!(full.exact[c] && lo <= v && v <= hi, "cell {c}: {lo} {hi}");
            // the true table is a whole-number point the solver starts from
            let (l0, h0) = none.bounds[c].unwrap();
            assert!(
                lo <= l0 && l0 <= v && v <= h0 && h0 <= hi,
                "cell {c}: {l0} {h0}"
            );
            eprintln!(
                "cell {c}: exact {:?} {}, no nodes {:?} {}",
                (lo, hi),
                full.exact[c],
                (l0, h0),
                none.exact[c]
            );
        }
    }

    #[test]
    fn components_are_independent() {
        // two separate rectangles: bounds of one ignore the other
        let (t, _, _) = table_2d(&[
            vec![2, 10, 15, 7],
            vec![8, 12, 20, 9],
            vec![9, 11, 30, 6],
            vec![5, 5, 6, 3],
        ]);
        // stride 5: rectangle A = 0, 1, 5, 6; rectangle B = 12, 13, 17, 18
        let h = hide(25, &[0, 1, 5, 6, 12, 13, 17, 18]);
        let m = Model::new(&LinkedSystem::from_table(&t));
        let comp = m.component(0, &h, &[]);
        assert_eq!(comp.len(), 4);
        let iv = attack(&t, &h);
        // B: 30 + t, 6 - t, 6 - t, 3 + t -> t in [-3, 6], the 3 in [0, 9]
        let (lo, hi) = iv[18].unwrap();
        assert!(close(lo, 0.0) && close(hi, 9.0));
    }
}
