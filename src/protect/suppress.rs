//! Disclosure control for linked tables: primary and optimised secondary suppression,
//! proved by an LP attacker.
//!
//! A [`LinkedTable`] is a flat list of cell values plus additivity equations
//! (`total = sum of parts`). Small counts ([`Policy::is_primary`]) are
//! [`CellStatus::Primary`]; [`suppress`] then hides as little as it can
//! ([`CellStatus::Secondary`], chosen by a linear programme, see [`optimise`]) until the
//! attacker ([`attack`]) proves that a reader can narrow no primary cell to an interval
//! narrower than the protection width ([`Policy::required_width`], `min_cel` by
//! default). Several tables that share cells, headline figures, balances and shown
//! percentages are protected together as one [`LinkedSystem`] ([`SystemBuilder`]).
//! [`recoverable`] is the older, independent exactness check used by the audit: it
//! reports every hidden cell whose exact value follows from what is published.
//! [`attack_system_integer`] is the exact attacker over whole numbers (branch and bound
//! within [`NODE_BUDGET`] nodes per programme, on every component); [`suppress`] and
//! [`LinkedSystem::protect`] end with it and hide more where it finds a cell the LP
//! missed.
//!
//! ```
//! use rodedraad::protect::suppress::{attack, is_protected, suppress, table_2d, CellStatus, Policy};
//! // 2 x 2 inner table with one small cell; totals are appended by `table_2d`.
//! //  2 10 | 12
//! //  8 12 | 20
//! // 10 22 | 32
//! let (table, _rows, cols) = table_2d(&[vec![2, 10], vec![8, 12]]);
//! let status = suppress(&table, &Policy::default());
//! assert_eq!(status[0], CellStatus::Primary); // the 2
//! // all four inner cells go, the totals stay visible
//! assert_eq!(status[1], CellStatus::Secondary);
//! assert_eq!(status[cols], CellStatus::Secondary);
//! assert_eq!(status[cols + 1], CellStatus::Secondary);
//! let hidden: Vec<bool> = status.iter().map(|s| *s != CellStatus::Shown).collect();
//! // the reader knows only that the 2 lies in [0, 10]
//! let bounds = attack(&table, &hidden)[0].unwrap();
//! assert!(is_protected(bounds, 5));
//! ```

use std::collections::BTreeSet;

mod attack;
mod lp;
pub mod optimise;
mod system;

pub use attack::{
    attack, attack_system, attack_system_integer, is_protected, protected_width, IntegerAttack,
    WholeBounds, NODE_BUDGET,
};
pub use optimise::Protection;
pub use system::{CellRef, Inequality, LinkedSystem, Ratio, SystemBuilder, TableRef};

/// Cells with values plus additivity equations.
#[derive(Debug, Clone)]
pub struct LinkedTable {
    pub values: Vec<u64>,
    pub equations: Vec<Equation>,
}

/// `values[total] == sum(values[p] for p in parts)`.
#[derive(Debug, Clone)]
pub struct Equation {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// Publication status of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellStatus {
    /// Published.
    Shown,
    /// Hidden because the cell itself is too small.
    Primary,
    /// Hidden to protect a primary cell against recomputation from totals.
    Secondary,
    /// Never published (an auxiliary sum of a balance, a cell a table does not print).
    Unpublished,
}

/// What the optimiser minimises when it picks secondary cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecondaryCost {
    /// The total value of the hidden cells (tau-Argus' default for frequency tables):
    /// small cells go first, totals stay visible where possible.
    #[default]
    Value,
    /// The number of hidden cells (smaller values break ties).
    Count,
}

/// Suppression policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Cells with `0 < value < min_cel` are primary unsafe. Default 5.
    pub min_cell: u64,
    /// When true a 0 is primary unsafe too. Default false: a 0 is shown.
    pub suppress_zero: bool,
    /// Smallest denominator of a shown percentage or interval. Default 10.
    pub min_denominator: u64,
    /// Width the attacker's interval of a primary cell must have at least (the
    /// protection level). `None`: `min_cel`.
    pub protection_width: Option<u64>,
    /// What the secondary suppression minimises.
    pub cost: SecondaryCost,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            min_cell: 5,
            suppress_zero: false,
            min_denominator: 10,
            protection_width: None,
            cost: SecondaryCost::default(),
        }
    }
}

impl Policy {
    /// The one rule for "small": `0 < v < min_cel`, or `v == 0` when zeros are
    /// suppressed too.
    pub fn is_primary(&self, v: u64) -> bool {
        (v > 0 && v < self.min_cell) || (v == 0 && self.suppress_zero)
    }

    /// The protection width (at least 1: a hidden cell is never exact).
    pub fn required_width(&self) -> u64 {
        self.protection_width.unwrap_or(self.min_cell).max(1)
    }

    /// Whether a hidden cell with the attacker's `bounds` gives nothing away when the
    /// checker does not know why it is hidden (the audit of a published file): its
    /// interval is at least the protection width wide, or the reader can only conclude
    /// that it is not small (its lower bound is at least `min_cel`).
    ///
    /// ```
    /// use rodedraad::protect::suppress::Policy;
    /// let p = Policy::default();
    /// assert!(p.hidden_cell_safe((0.0, 5.0))); // width 5
    /// assert!(p.hidden_cell_safe((12.0, 14.0))); // narrow, but certainly not small
    /// assert!(!p.hidden_cell_safe((2.0, 6.0))); // could be a small count, width 4
    /// ```
    pub fn hidden_cell_safe(&self, bounds: (f64, f64)) -> bool {
        is_protected(bounds, self.required_width())
            || (!bounds.0.is_nan() && (bounds.0 - 1e-6).ceil() >= self.min_cell as f64)
    }

    /// Whether a percentage (or an interval) `num / den` may be shown: the numerator and
    /// its complement `den - num` are each not small ([`Policy::is_primary`]: 0 or at
    /// least `min_cel` by default) and the denominator is at least `min_noemer` (and
    /// positive). With `den` shown, a percentage gives `num` and `den - num` away. For a
    /// ratio that is not a share (`num > den`, a mean per person) the complement means
    /// nothing and only the other two rules apply.
    ///
    /// ```
    /// use rodedraad::protect::suppress::Policy;
    /// let p = Policy::default(); // min_cel 5, min_noemer 10
    /// assert!(!p.ratio_allowed(3, 38)); // 7,9% of 38: the 3 is small
    /// assert!(!p.ratio_allowed(13, 15)); // 86,7% of 15: the complement 2 is small
    /// assert!(p.ratio_allowed(0, 12) && p.ratio_allowed(12, 12) && p.ratio_allowed(5, 10));
    /// assert!(!p.ratio_allowed(5, 9)); // denominator below 10
    /// // not a share (a mean of 2,3 per person): no complement, the same other rules
    /// assert!(p.ratio_allowed(23, 10) && !p.ratio_allowed(23, 9));
    /// ```
    pub fn ratio_allowed(&self, num: u64, den: u64) -> bool {
        den > 0
            && den >= self.min_denominator
            && !self.is_primary(num)
            && (num > den || !self.is_primary(den - num))
    }
}

const EPS: f64 = 1e-9;

/// Primary and secondary suppression of one table: [`LinkedSystem::protect`] on the
/// table alone. Primary: [`Policy::is_primary`]. Secondary: chosen by the LP optimiser
/// ([`optimise`]) so that the attacker gives every primary cell an interval of at least
/// [`Policy::required_width`]; no hidden secondary cell is exactly recoverable.
pub fn suppress(table: &LinkedTable, policy: &Policy) -> Vec<CellStatus> {
    LinkedSystem::from_table(table).protect(policy).cells
}

/// Distinct cells of an equation (total first), ignoring indices out of range.
fn equation_cells(e: &Equation, n: usize) -> Vec<usize> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for c in std::iter::once(e.total).chain(e.parts.iter().copied()) {
        if c < n && seen.insert(c) {
            out.push(c);
        }
    }
    out
}

/// Indices (ascending) of hidden cells whose exact value follows from the visible cells
/// and the equations, given that every cell is a non-negative count.
///
/// Three rules, applied until nothing changes:
/// (a) linear determinacy: Gaussian elimination on the equations with the hidden cells
///     as unknowns; an unknown fixed by the system is recoverable;
/// (b) non-negativity per equation: when the hidden parts of an equation with a known
///     total must sum to 0, each of them is 0;
/// (c) non-negativity across equations: a hidden cell is also fixed when no feasible
///     direction of change exists for it (a small linear programme over the cone
///     `{A d = 0, d_i >= 0 for hidden cells that are 0}`); this catches zeros forced
///     by combinations of equations that (b) does not see.
///
/// Independent of [`suppress`]; `hidden` shorter than the table counts as visible.
pub fn recoverable(table: &LinkedTable, hidden: &[bool]) -> Vec<usize> {
    recoverable_impl(table, hidden, true)
}

/// [`recoverable`] for a reader who sees only the published table: the values of
/// hidden cells in `table` are ignored (placeholders). Uses linear determinacy and
/// equations whose hidden parts must sum to zero (computed from the visible cells);
/// the non-negativity cone check (c) needs the hidden values and is skipped.
pub fn recoverable_published(table: &LinkedTable, hidden: &[bool]) -> Vec<usize> {
    recoverable_impl(table, hidden, false)
}

fn recoverable_impl(table: &LinkedTable, hidden: &[bool], values_known: bool) -> Vec<usize> {
    let n = table.values.len();
    let is_hidden = |c: usize| c < hidden.len() && hidden[c];
    let eq_cells: Vec<Vec<usize>> = table
        .equations
        .iter()
        .map(|e| equation_cells(e, n))
        .collect();
    let mut fixed = vec![false; n];
    loop {
        let unknowns: Vec<usize> = (0..n).filter(|&c| is_hidden(c) && !fixed[c]).collect();
        if unknowns.is_empty() {
            break;
        }
        let mut col_of = vec![usize::MAX; n];
        for (j, &c) in unknowns.iter().enumerate() {
            col_of[c] = j;
        }
        let rows = coefficient_rows(table, &col_of, unknowns.len());
        let mut changed = false;

        // (a) linear determinacy
        for (j, det) in determined_columns(&rows, unknowns.len())
            .into_iter()
            .enumerate()
        {
            if det {
                fixed[unknowns[j]] = true;
                changed = true;
            }
        }
        // (b) hidden parts of an equation with a known total sum to zero
        for (k, e) in table.equations.iter().enumerate() {
            if e.total >= n || (is_hidden(e.total) && !fixed[e.total]) {
                continue;
            }
            let open: Vec<usize> = eq_cells[k]
                .iter()
                .copied()
                .filter(|&c| c != e.total && is_hidden(c) && !fixed[c])
                .collect();
            let all_zero = if values_known {
                open.iter().all(|&c| table.values[c] == 0)
            } else {
                let visible: i128 = eq_cells[k]
                    .iter()
                    .copied()
                    .filter(|&c| c != e.total && !is_hidden(c))
                    .map(|c| table.values[c] as i128)
                    .sum();
                table.values[e.total] as i128 - visible == 0
            };
            if !open.is_empty() && all_zero {
                for c in open {
                    fixed[c] = true;
                    changed = true;
                }
            }
        }
        if changed {
            continue;
        }
        // (c) exact check with non-negativity (only needed when a hidden cell is 0)
        let zero: Vec<bool> = unknowns.iter().map(|&c| table.values[c] == 0).collect();
        if values_known && zero.iter().any(|&z| z) {
            for j in cone_fixed_columns(&rows, &zero) {
                fixed[unknowns[j]] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    (0..n).filter(|&c| fixed[c]).collect()
}

/// One row per equation over the unknown columns (`total - parts`), zero rows dropped.
fn coefficient_rows(table: &LinkedTable, col_of: &[usize], m: usize) -> Vec<Vec<f64>> {
    let n = col_of.len();
    let mut rows = Vec::new();
    for e in &table.equations {
        let mut row = vec![0.0f64; m];
        if e.total < n && col_of[e.total] != usize::MAX {
            row[col_of[e.total]] += 1.0;
        }
        for &p in &e.parts {
            if p < n && col_of[p] != usize::MAX {
                row[col_of[p]] -= 1.0;
            }
        }
        if row.iter().any(|v| v.abs() > EPS) {
            rows.push(row);
        }
    }
    rows
}

/// Reduced row echelon form (partial pivoting); returns for each column whether the
/// system fixes that unknown (its pivot row has no entries in free columns).
fn determined_columns(rows: &[Vec<f64>], m: usize) -> Vec<bool> {
    let mut a: Vec<Vec<f64>> = rows.to_vec();
    let mut pivot_cols: Vec<usize> = Vec::new();
    let mut rank = 0;
    for col in 0..m {
        if rank == a.len() {
            break;
        }
        let (best, best_abs) = (rank..a.len())
            .map(|r| (r, a[r][col].abs()))
            .fold((rank, -1.0), |acc, x| if x.1 > acc.1 { x } else { acc });
        if best_abs <= EPS {
            continue;
        }
        a.swap(rank, best);
        let piv = a[rank][col];
        for v in a[rank].iter_mut() {
            *v /= piv;
        }
        let pivot_row = a[rank].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != rank && row[col].abs() > EPS {
                let f = row[col];
                for (v, p) in row.iter_mut().zip(&pivot_row) {
                    *v -= f * p;
                }
            }
        }
        pivot_cols.push(col);
        rank += 1;
    }
    let mut is_pivot = vec![false; m];
    for &c in &pivot_cols {
        is_pivot[c] = true;
    }
    let mut det = vec![false; m];
    for (r, &pc) in pivot_cols.iter().enumerate() {
        if (0..m).all(|c| c == pc || is_pivot[c] || a[r][c].abs() <= EPS) {
            det[pc] = true;
        }
    }
    det
}

/// Columns j for which every d with `rows * d = 0` and `d_i >= 0` where `zero[i]` has
/// `d_j = 0` (so the cell cannot move away from its true value in any feasible table).
fn cone_fixed_columns(rows: &[Vec<f64>], zero: &[bool]) -> Vec<usize> {
    let m = zero.len();
    let mut free = vec![false; m];
    let mut fixed = Vec::new();
    for j in 0..m {
        if free[j] {
            continue;
        }
        let signs: &[f64] = if zero[j] { &[1.0] } else { &[1.0, -1.0] };
        let mut found = false;
        for &s in signs {
            if let Some(d) = cone_direction(rows, zero, j, s) {
                for (i, v) in d.iter().enumerate() {
                    if v.abs() > 1e-7 {
                        free[i] = true;
                    }
                }
                found = true;
                break;
            }
        }
        if !found {
            fixed.push(j);
        }
    }
    fixed
}

/// A direction d with `rows * d = 0`, `d_i >= 0` for zero cells and `d_j = sign`, if any.
fn cone_direction(rows: &[Vec<f64>], zero: &[bool], j: usize, sign: f64) -> Option<Vec<f64>> {
    let m = zero.len();
    // variable layout: for each cell, one var (zero cell) or two (p - q)
    let mut var_of: Vec<(usize, Option<usize>)> = Vec::with_capacity(m);
    let mut nv = 0;
    for &z in zero {
        if z {
            var_of.push((nv, None));
            nv += 1;
        } else {
            var_of.push((nv, Some(nv + 1)));
            nv += 2;
        }
    }
    let mut a: Vec<Vec<f64>> = Vec::with_capacity(rows.len() + 1);
    let mut b: Vec<f64> = Vec::with_capacity(rows.len() + 1);
    for row in rows {
        let mut r = vec![0.0; nv];
        for (i, &v) in row.iter().enumerate() {
            let (p, q) = var_of[i];
            r[p] += v;
            if let Some(q) = q {
                r[q] -= v;
            }
        }
        a.push(r);
        b.push(0.0);
    }
    let mut t = vec![0.0; nv];
    let (p, q) = var_of[j];
    t[p] = sign;
    if let Some(q) = q {
        t[q] = -sign;
    }
    a.push(t);
    b.push(1.0);
    // keep every right-hand side non-negative
    for (r, rhs) in a.iter_mut().zip(b.iter_mut()) {
        if *rhs < 0.0 {
            *rhs = -*rhs;
            for v in r.iter_mut() {
                *v = -*v;
            }
        }
    }
    let x = phase_one(&a, &b)?;
    Some(
        var_of
            .iter()
            .map(|&(p, q)| x[p] - q.map_or(0.0, |q| x[q]))
            .collect(),
    )
}

/// Phase-one simplex (Bland's rule): some x >= 0 with `a x = b` (b >= 0), or None.
fn phase_one(a: &[Vec<f64>], b: &[f64]) -> Option<Vec<f64>> {
    let m = a.len();
    let n = a.first().map_or(0, |r| r.len());
    let w = n + m; // rhs column
    let mut t: Vec<Vec<f64>> = Vec::with_capacity(m);
    for r in 0..m {
        let mut row = vec![0.0; w + 1];
        row[..n].copy_from_slice(&a[r]);
        row[n + r] = 1.0;
        row[w] = b[r];
        t.push(row);
    }
    let mut basis: Vec<usize> = (n..n + m).collect();
    // reduced costs of the phase-one objective (sum of artificials)
    let mut z = vec![0.0; w + 1];
    for row in &t {
        for c in 0..n {
            z[c] -= row[c];
        }
        z[w] -= row[w];
    }
    let max_iter = 50 * (w + 1) + 1000;
    for _ in 0..max_iter {
        let Some(enter) = (0..w).find(|&c| z[c] < -EPS) else {
            break;
        };
        let mut leave: Option<usize> = None;
        let mut best_ratio = f64::INFINITY;
        for r in 0..m {
            if t[r][enter] > EPS {
                let ratio = t[r][w] / t[r][enter];
                let better = ratio < best_ratio - EPS
                    || (ratio <= best_ratio + EPS
                        && leave.is_some_and(|l: usize| basis[r] < basis[l]));
                if leave.is_none() || better {
                    best_ratio = ratio;
                    leave = Some(r);
                }
            }
        }
        let Some(r) = leave else {
            break; // unbounded: cannot happen for phase one
        };
        let piv = t[r][enter];
        for v in t[r].iter_mut() {
            *v /= piv;
        }
        let pivot_row = t[r].clone();
        for (rr, row) in t.iter_mut().enumerate() {
            if rr != r && row[enter].abs() > EPS {
                let f = row[enter];
                for (v, pv) in row.iter_mut().zip(&pivot_row) {
                    *v -= f * pv;
                }
            }
        }
        let f = z[enter];
        for (v, pv) in z.iter_mut().zip(&pivot_row) {
            *v -= f * pv;
        }
        basis[r] = enter;
    }
    if -z[w] > 1e-7 {
        return None;
    }
    let mut x = vec![0.0; n];
    for (r, &bv) in basis.iter().enumerate() {
        if bv < n {
            x[bv] = t[r][w];
        }
    }
    Some(x)
}

/// Builds a linked table from an `r x c` inner table.
///
/// Layout: cell `(i, j)` has index `i * (c + 1) + j` for `i in 0..=r`, `j in 0..=c`;
/// row totals at `j == c`, column totals at `i == r`, the grand total at `(r, c)`.
/// Equations: every row, every column, then the total row and the total column.
/// Returns the table and the dimensions of the full layout, `(r + 1, c + 1)`.
/// Ragged input is padded with zeros to the longest row.
pub fn table_2d(cells: &[Vec<u64>]) -> (LinkedTable, usize, usize) {
    table_2d_wide(cells, 0)
}

/// [`table_2d`] with at least `width` columns, so that a table without rows still has
/// its columns (and total row) in the layout.
pub fn table_2d_wide(cells: &[Vec<u64>], width: usize) -> (LinkedTable, usize, usize) {
    let r = cells.len();
    let c = cells
        .iter()
        .map(|row| row.len())
        .max()
        .unwrap_or(0)
        .max(width);
    let cols = c + 1;
    let rows = r + 1;
    let idx = |i: usize, j: usize| i * cols + j;
    let mut values = vec![0u64; rows * cols];
    for (i, row) in cells.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            values[idx(i, j)] = v;
            values[idx(i, c)] += v;
            values[idx(r, j)] += v;
            values[idx(r, c)] += v;
        }
    }
    let mut equations = Vec::with_capacity(r + c + 2);
    for i in 0..r {
        equations.push(Equation {
            total: idx(i, c),
            parts: (0..c).map(|j| idx(i, j)).collect(),
        });
    }
    for j in 0..c {
        equations.push(Equation {
            total: idx(r, j),
            parts: (0..r).map(|i| idx(i, j)).collect(),
        });
    }
    equations.push(Equation {
        total: idx(r, c),
        parts: (0..c).map(|j| idx(r, j)).collect(),
    });
    equations.push(Equation {
        total: idx(r, c),
        parts: (0..r).map(|i| idx(i, c)).collect(),
    });
    (LinkedTable { values, equations }, rows, cols)
}

/// Builds a two-level hierarchy: each parent with its children (parent = sum of
/// children, only when it has children) and a grand total over the parents.
///
/// Layout: parent 0, its children, parent 1, its children, ..., grand total last.
/// The parent values are taken as given (they should equal the sum of their children).
pub fn hierarchy(parents: &[(u64, Vec<u64>)]) -> LinkedTable {
    let mut values = Vec::new();
    let mut equations = Vec::new();
    let mut parent_idx = Vec::with_capacity(parents.len());
    for (pv, children) in parents {
        let p = values.len();
        values.push(*pv);
        parent_idx.push(p);
        let parts: Vec<usize> = children
            .iter()
            .map(|&cv| {
                values.push(cv);
                values.len() - 1
            })
            .collect();
        if !parts.is_empty() {
            equations.push(Equation { total: p, parts });
        }
    }
    let grand = values.len();
    values.push(parents.iter().map(|(v, _)| *v).sum());
    equations.push(Equation {
        total: grand,
        parts: parent_idx,
    });
    LinkedTable { values, equations }
}

/// Merges categories with `0 < value < min_cel` into one `overig_label` category.
///
/// When the merged category is still below `min_cel`, the next smallest remaining
/// non-zero category (earliest on ties) is merged too, until it is not or nothing is
/// left. Categories with value 0 stay where they are (a 0 is not disclosive, as in
/// [`Policy::default`]). Returns the new list (original order, overig last, only when
/// something was merged) and the merged labels in original order.
pub fn collapse_small(
    items: &[(String, u64)],
    min_cel: u64,
    overig_label: &str,
) -> (Vec<(String, u64)>, Vec<String>) {
    // the one rule for "small", with zeros left alone
    let small = Policy {
        min_cell: min_cel,
        suppress_zero: false,
        ..Policy::default()
    };
    let mut merged = vec![false; items.len()];
    let mut total = 0u64;
    for (i, (_, v)) in items.iter().enumerate() {
        if small.is_primary(*v) {
            merged[i] = true;
            total += v;
        }
    }
    if merged.iter().any(|&m| m) {
        while small.is_primary(total) {
            let next = (0..items.len())
                .filter(|&i| !merged[i] && items[i].1 > 0)
                .min_by_key(|&i| (items[i].1, i));
            match next {
                Some(i) => {
                    merged[i] = true;
                    total += items[i].1;
                }
                None => break,
            }
        }
    }
    let mut out: Vec<(String, u64)> = Vec::new();
    let mut labels = Vec::new();
    for (i, (label, v)) in items.iter().enumerate() {
        if merged[i] {
            labels.push(label.clone());
        } else {
            out.push((label.clone(), *v));
        }
    }
    if !labels.is_empty() {
        out.push((overig_label.to_string(), total));
    }
    (out, labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn hidden_of(status: &[CellStatus]) -> Vec<bool> {
        status.iter().map(|s| *s != CellStatus::Shown).collect()
    }

    fn hide(n: usize, cells: &[usize]) -> Vec<bool> {
        let mut h = vec![false; n];
        for &c in cells {
            h[c] = true;
        }
        h
    }

    /// Every non-negative integer filling of the hidden cells that satisfies all
    /// equations; returns per hidden cell the set of values seen (capped at 2 distinct
    /// values once found, to keep it quick).
    fn brute_force_values(table: &LinkedTable, hidden: &[bool]) -> Vec<(usize, BTreeSet<i64>)> {
        let n = table.values.len();
        let hid: Vec<usize> = (0..n).filter(|&c| hidden[c]).collect();
        // per-cell upper bound: a part never exceeds its total
        let mut bounds: Vec<i64> = (0..n)
            .map(|c| {
                if hidden[c] {
                    table.values.iter().map(|&v| v as i64).sum::<i64>()
                } else {
                    table.values[c] as i64
                }
            })
            .collect();
        for _ in 0..n {
            for e in &table.equations {
                for &p in &e.parts {
                    bounds[p] = bounds[p].min(bounds[e.total]);
                }
            }
        }
        let mut seen: Vec<BTreeSet<i64>> = vec![BTreeSet::new(); hid.len()];
        let mut assign: Vec<Option<i64>> = (0..n)
            .map(|c| {
                if hidden[c] {
                    None
                } else {
                    Some(table.values[c] as i64)
                }
            })
            .collect();

        fn eq_value(e: &Equation, a: &[Option<i64>]) -> Option<i64> {
            let mut s = a[e.total]?;
            for &p in &e.parts {
                s -= a[p]?;
            }
            Some(s)
        }

        fn rec(
            table: &LinkedTable,
            hid: &[usize],
            bounds: &[i64],
            assign: &mut Vec<Option<i64>>,
            seen: &mut Vec<BTreeSet<i64>>,
        ) {
            // propagate: an equation with exactly one open cell forces it
            let mut forced: Vec<usize> = Vec::new();
            loop {
                let mut progress = false;
                for e in &table.equations {
                    let cells: Vec<usize> = std::iter::once(e.total)
                        .chain(e.parts.iter().copied())
                        .collect();
                    let open: BTreeSet<usize> = cells
                        .iter()
                        .copied()
                        .filter(|&c| assign[c].is_none())
                        .collect();
                    if open.is_empty() {
                        if eq_value(e, assign) != Some(0) {
                            for c in forced {
                                assign[c] = None;
                            }
                            return;
                        }
                    } else if open.len() == 1 {
                        let c = *open.iter().next().unwrap();
                        let coef: i64 = cells
                            .iter()
                            .map(|&x| {
                                if x != c {
                                    0
                                } else if x == e.total {
                                    1
                                } else {
                                    -1
                                }
                            })
                            .sum();
                        if coef == 0 {
                            continue;
                        }
                        // coef * x + rest = 0
                        let mut rest = 0i64;
                        if e.total != c {
                            rest += assign[e.total].unwrap();
                        }
                        for &p in &e.parts {
                            if p != c {
                                rest -= assign[p].unwrap();
                            }
                        }
                        if rest % coef != 0 || -rest / coef < 0 || -rest / coef > bounds[c] {
                            for c in forced {
                                assign[c] = None;
                            }
                            return;
                        }
                        assign[c] = Some(-rest / coef);
                        forced.push(c);
                        progress = true;
                    }
                }
                if !progress {
                    break;
                }
            }
            match hid.iter().position(|&c| assign[c].is_none()) {
                None => {
                    let ok = table
                        .equations
                        .iter()
                        .all(|e| eq_value(e, assign) == Some(0));
                    if ok {
                        for (k, &c) in hid.iter().enumerate() {
                            seen[k].insert(assign[c].unwrap());
                        }
                    }
                }
                Some(k) => {
                    let c = hid[k];
                    for v in 0..=bounds[c] {
                        assign[c] = Some(v);
                        rec(table, hid, bounds, assign, seen);
                        assign[c] = None;
                        if seen.iter().all(|s| s.len() >= 2) {
                            break;
                        }
                    }
                }
            }
            for c in forced {
                assign[c] = None;
            }
        }

        rec(table, &hid, &bounds, &mut assign, &mut seen);
        hid.into_iter().zip(seen).collect()
    }

    #[test]
    fn table_2d_layout() {
        let (t, rows, cols) = table_2d(&[vec![1, 2, 3], vec![4, 5, 6]]);
        assert_eq!((rows, cols), (3, 4));
        assert_eq!(t.values, vec![1, 2, 3, 6, 4, 5, 6, 15, 5, 7, 9, 21]);
        assert_eq!(t.equations.len(), 2 + 3 + 2);
        assert_eq!(t.equations[0].total, 3);
        assert_eq!(t.equations[0].parts, vec![0, 1, 2]);
        assert_eq!(t.equations[2].total, 8);
        assert_eq!(t.equations[2].parts, vec![0, 4]);
        assert_eq!(t.equations[5].total, 11);
        assert_eq!(t.equations[5].parts, vec![8, 9, 10]);
        assert_eq!(t.equations[6].parts, vec![3, 7]);
    }

    #[test]
    fn single_small_cell_is_recoverable_from_row_total() {
        let (t, _, _) = table_2d(&[vec![2, 10, 15], vec![8, 12, 20], vec![9, 11, 30]]);
        // naive primary suppression leaks: 27 - 10 - 15 = 2
        assert_eq!(recoverable(&t, &hide(16, &[0])), vec![0]);
        // hiding a second cell in the row only: the columns still give both away
        assert_eq!(recoverable(&t, &hide(16, &[0, 1])), vec![0, 1]);
        // a rectangle is safe
        assert!(recoverable(&t, &hide(16, &[0, 1, 4, 5])).is_empty());
    }

    #[test]
    fn golden_3x3_secondary_rectangle() {
        // inner 3x3; layout stride 4:
        //  2 10 15 | 27
        //  8 12 20 | 40
        //  9 11 30 | 50
        // 19 33 65 | 117
        let (t, _, cols) = table_2d(&[vec![2, 10, 15], vec![8, 12, 20], vec![9, 11, 30]]);
        assert_eq!(cols, 4);
        let status = suppress(&t, &Policy::default());
        let primary: Vec<usize> = (0..16)
            .filter(|&i| status[i] == CellStatus::Primary)
            .collect();
        let secondary: Vec<usize> = (0..16)
            .filter(|&i| status[i] == CellStatus::Secondary)
            .collect();
        assert_eq!(primary, vec![0]);
        // by hand: row 0 -> smallest other cell 10 (index 1); column 0 -> 8 (index 4);
        // then 12 (index 5) closes both column 1 and row 1.
        assert_eq!(secondary, vec![1, 4, 5]);
        assert!(recoverable(&t, &hidden_of(&status)).is_empty());
        // the rectangle leaves 2 in [0, 10]: 2 + t, 10 - t, 8 - t, 12 + t
        let bf = brute_force_values(&t, &hidden_of(&status));
        for (_, vals) in bf {
            assert!(vals.len() >= 2);
        }
    }

    #[test]
    fn golden_2x2_all_inner_cells_go() {
        // 2 10 | 12
        // 8 12 | 20
        let (t, _, _) = table_2d(&[vec![2, 10], vec![8, 12]]);
        let status = suppress(&t, &Policy::default());
        assert_eq!(
            status,
            vec![
                CellStatus::Primary,
                CellStatus::Secondary,
                CellStatus::Shown,
                CellStatus::Secondary,
                CellStatus::Secondary,
                CellStatus::Shown,
                CellStatus::Shown,
                CellStatus::Shown,
                CellStatus::Shown,
            ]
        );
        // all four inner cells small (totals 5, 6 | 5, 6 | 11 are fine): they protect
        // each other, no secondary cell is needed
        let (t2, _, _) = table_2d(&[vec![1, 4], vec![4, 2]]);
        let s2 = suppress(&t2, &Policy::default());
        let p = CellStatus::Primary;
        let v = CellStatus::Shown;
        assert_eq!(s2, vec![p, p, v, p, p, v, v, v, v]);

        // 1 2 | 3      row total 3 and column total 4 are small themselves;
        // 3 4 | 7      then C0 = G - C1 = 10 - 6 leaks, so one more cell in the
        // 4 6 | 10     total row goes: the grand total (it also closes G = R0 + R1)
        let (t3, _, _) = table_2d(&[vec![1, 2], vec![3, 4]]);
        let s3 = suppress(&t3, &Policy::default());
        let s = CellStatus::Secondary;
        assert_eq!(s3, vec![p, p, p, p, p, v, p, v, s]);
        assert!(recoverable(&t3, &hidden_of(&s3)).is_empty());
    }

    #[test]
    fn golden_hierarchy() {
        // theme A = 20 (3, 7, 10), theme B = 15 (12, 3), theme C = 30 (30); total 65
        let t = hierarchy(&[(20, vec![3, 7, 10]), (15, vec![12, 3]), (30, vec![30])]);
        assert_eq!(t.values, vec![20, 3, 7, 10, 15, 12, 3, 30, 30, 65]);
        assert_eq!(t.equations.len(), 4);
        assert_eq!(t.equations[3].total, 9);
        assert_eq!(t.equations[3].parts, vec![0, 4, 7]);
        let status = suppress(&t, &Policy::default());
        let hidden: Vec<usize> = (0..10)
            .filter(|&i| status[i] != CellStatus::Shown)
            .collect();
        // 3 under A protected by the 7, 3 under B by the 12
        assert_eq!(hidden, vec![1, 2, 5, 6]);
        assert_eq!(status[1], CellStatus::Primary);
        assert_eq!(status[2], CellStatus::Secondary);
        assert_eq!(status[5], CellStatus::Secondary);
        assert_eq!(status[6], CellStatus::Primary);

        // a small parent with one child: both primary, then a sibling parent must go
        // A = 20 (10, 10), B = 4 (4), C = 9 (9); total 33
        let t = hierarchy(&[(20, vec![10, 10]), (4, vec![4]), (9, vec![9])]);
        // layout: A0 a1 a2 B3 b4 C5 c6 G7
        let status = suppress(&t, &Policy::default());
        let hidden: Vec<usize> = (0..8).filter(|&i| status[i] != CellStatus::Shown).collect();
        // B and its child are primary; grand-total equation needs one more parent: C (9)
        // then C's only child (9) follows from C, so it goes too.
        assert_eq!(hidden, vec![3, 4, 5, 6]);
        assert!(recoverable(&t, &hidden_of(&status)).is_empty());
    }

    #[test]
    fn zero_residual_rule() {
        // 0 0 | 0
        // 6 7 | 13
        // ----+---
        // 6 7 | 13
        let (t, _, _) = table_2d(&[vec![0, 0], vec![6, 7]]);
        let h = hide(9, &[0, 1, 3, 4]);
        // linearly the rectangle has one degree of freedom, but row 0 forces 0 + 0
        assert_eq!(recoverable(&t, &h), vec![0, 1, 3, 4]);
    }

    #[test]
    fn suppress_zero_policy() {
        let (t, _, _) = table_2d(&[vec![0, 10], vec![9, 12]]);
        let s = suppress(&t, &Policy::default());
        assert!(s.iter().all(|&x| x == CellStatus::Shown));
        let p = Policy {
            min_cell: 5,
            suppress_zero: true,
            ..Policy::default()
        };
        let s = suppress(&t, &p);
        assert_eq!(s[0], CellStatus::Primary);
        assert!(recoverable(&t, &hidden_of(&s)).is_empty());
        // a hidden zero in a rectangle: 0 + t, 10 - t, 9 - t, 12 + t, t in [0, 9]
        assert_eq!(
            (0..9)
                .filter(|&i| s[i] != CellStatus::Shown)
                .collect::<Vec<_>>(),
            vec![0, 1, 3, 4]
        );
    }

    #[test]
    fn lp_catches_zeros_forced_by_combined_equations() {
        // rows: a + b = 3, c + d = 2; column 0: a + c = 5 -> b + d = 0 follows only
        // from combining three equations; column 1 total and grand total hidden too.
        // layout stride 3: a=0 b=1 R0=2 | c=3 d=4 R1=5 | C0=6 C1=7 G=8
        let (t, _, _) = table_2d(&[vec![3, 0], vec![2, 0]]);
        assert_eq!(t.values, vec![3, 0, 3, 2, 0, 2, 5, 0, 5]);
        let h = hide(9, &[0, 1, 3, 4, 7, 8]);
        // linear alone: G = R0 + R1 = 5 and C1 = G - C0 = 0 are fixed, then (b) does
        // the rest; the result must be everything.
        assert_eq!(recoverable(&t, &h), vec![0, 1, 3, 4, 7, 8]);
        // directly test the cone check on b + d with a free total
        let rows = vec![
            vec![-1.0, -1.0, 0.0, 0.0], // a + b = const
            vec![0.0, 0.0, -1.0, -1.0], // c + d = const
            vec![-1.0, 0.0, -1.0, 0.0], // a + c = const
        ];
        // zero cells: b (1) and d (3)
        let fixed = cone_fixed_columns(&rows, &[false, true, false, true]);
        assert_eq!(fixed, vec![0, 1, 2, 3]);
        // without the zeros every cell can move
        assert!(cone_fixed_columns(&rows, &[false, false, false, false]).is_empty());
        assert_eq!(determined_columns(&rows, 4), vec![false; 4]);
    }

    #[test]
    fn lp_needed_on_a_real_table() {
        // 0 0 | 0        hidden: a=0, R0=0, d=0, R1=1, C0=1, C1=0 (indices 0 2 4 5 6 7)
        // 1 0 | 1        visible: b=0, c=1, G=1
        // ----+--        R0 = a, R1 = 1 + d, C0 = a + 1, C1 = d and G = 1 give a + d = 0:
        // 1 0 | 1        no single equation has a zero residual, but both must be 0.
        let (t, _, _) = table_2d(&[vec![0, 0], vec![1, 0]]);
        let h = hide(9, &[0, 2, 4, 5, 6, 7]);
        assert_eq!(recoverable(&t, &h), vec![0, 2, 4, 5, 6, 7]);
        for (_, vals) in brute_force_values(&t, &h) {
            assert_eq!(vals.len(), 1);
        }
        // linear algebra alone fixes nothing here
        let mut col_of = vec![usize::MAX; 9];
        for (j, c) in [0, 2, 4, 5, 6, 7].into_iter().enumerate() {
            col_of[c] = j;
        }
        let rows = coefficient_rows(&t, &col_of, 6);
        assert_eq!(determined_columns(&rows, 6), vec![false; 6]);
    }

    #[test]
    fn collapse_small_cases() {
        let items = vec![
            ("a".to_string(), 40),
            ("b".to_string(), 3),
            ("c".to_string(), 12),
            ("d".to_string(), 1),
            ("e".to_string(), 0),
        ];
        let (out, merged) = collapse_small(&items, 5, "overig");
        // 3 + 1 = 4 < 5 -> also merge the next smallest (12)
        assert_eq!(
            out,
            vec![
                ("a".to_string(), 40),
                ("e".to_string(), 0),
                ("overig".to_string(), 16)
            ]
        );
        assert_eq!(merged, vec!["b", "c", "d"]);

        let items = vec![
            ("a".to_string(), 4),
            ("b".to_string(), 3),
            ("c".to_string(), 9),
        ];
        let (out, merged) = collapse_small(&items, 5, "overig");
        assert_eq!(out, vec![("c".to_string(), 9), ("overig".to_string(), 7)]);
        assert_eq!(merged, vec!["a", "b"]);

        // nothing small: unchanged, no overig
        let items = vec![("a".to_string(), 5), ("b".to_string(), 0)];
        let (out, merged) = collapse_small(&items, 5, "overig");
        assert_eq!(out, items);
        assert!(merged.is_empty());

        // everything merged and still small
        let items = vec![("a".to_string(), 1), ("b".to_string(), 2)];
        let (out, merged) = collapse_small(&items, 5, "overig");
        assert_eq!(out, vec![("overig".to_string(), 3)]);
        assert_eq!(merged, vec!["a", "b"]);
    }

    #[test]
    fn brute_force_agrees_with_recoverable_on_fixed_patterns() {
        let (t, _, _) = table_2d(&[vec![2, 10, 15], vec![8, 12, 20], vec![9, 11, 30]]);
        // column hidden: each cell is fixed by its row
        let h = hide(16, &[0, 4, 8]);
        assert_eq!(recoverable(&t, &h), vec![0, 4, 8]);
        for (_, vals) in brute_force_values(&t, &h) {
            assert_eq!(vals.len(), 1);
        }
    }

    fn small_table() -> impl Strategy<Value = Vec<Vec<u64>>> {
        (2usize..=6, 2usize..=6).prop_flat_map(|(r, c)| {
            proptest::collection::vec(proptest::collection::vec(0u64..40, c), r)
        })
    }

    fn tiny_table() -> impl Strategy<Value = Vec<Vec<u64>>> {
        (2usize..=3, 2usize..=3).prop_flat_map(|(r, c)| {
            proptest::collection::vec(proptest::collection::vec(0u64..9, c), r)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn suppressed_tables_are_safe(cells in small_table(), zero in any::<bool>()) {
            let (t, _, _) = table_2d(&cells);
            let policy = Policy { min_cell: 5, suppress_zero: zero, ..Policy::default() };
            let status = suppress(&t, &policy);
            let hidden = hidden_of(&status);
            prop_assert!(recoverable(&t, &hidden).is_empty());
            for (i, &v) in t.values.iter().enumerate() {
                let unsafe_cell = (v > 0 && v < 5) || (v == 0 && zero);
                if unsafe_cell {
                    prop_assert_eq!(status[i], CellStatus::Primary);
                } else {
                    prop_assert!(status[i] != CellStatus::Primary);
                }
                if status[i] == CellStatus::Shown {
                    prop_assert!(!(v > 0 && v < 5));
                }
            }
        }

        #[test]
        fn brute_force_cross_check(cells in tiny_table(), zero in any::<bool>()) {
            let (t, _, _) = table_2d(&cells);
            let policy = Policy { min_cell: 5, suppress_zero: zero, ..Policy::default() };
            let status = suppress(&t, &policy);
            let hidden = hidden_of(&status);
            for (cell, vals) in brute_force_values(&t, &hidden) {
                prop_assert!(vals.len() >= 2, "cell {} takes only {:?}", cell, vals);
            }
        }

        /// recoverable() is exact on 2 x 2 tables: a hidden cell is reported iff it takes
        /// a single value over all integer fillings (grand total kept visible so the
        /// enumeration stays finite and small).
        #[test]
        fn recoverable_matches_brute_force(
            cells in proptest::collection::vec(proptest::collection::vec(0u64..7, 2), 2),
            mask in proptest::collection::vec(any::<bool>(), 8),
        ) {
            let (t, _, _) = table_2d(&cells);
            let n = t.values.len();
            let hidden: Vec<bool> = (0..n).map(|i| i < 8 && mask[i]).collect();
            let rec: BTreeSet<usize> = recoverable(&t, &hidden).into_iter().collect();
            for (cell, vals) in brute_force_values(&t, &hidden) {
                prop_assert_eq!(rec.contains(&cell), vals.len() == 1, "cell {} values {:?}", cell, vals);
            }
        }
    }
}
