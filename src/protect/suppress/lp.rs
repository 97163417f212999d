//! Linear constraints over cells and a thin layer over the `microlp` solver.
//!
//! Every published relation between cells (an additivity equation, a shown ratio) becomes
//! one [`Row`]: `lo <= sum(coef * cell) <= hi`. The attacker and the optimiser both build
//! small linear programmes from these rows; [`solve`] runs one and returns either the
//! optimum, "unbounded" or a failure (infeasible or a numerical error), which callers
//! treat as "not proven safe".
//!
//! ```text
//! // minimise x0 subject to x0 + x1 = 4, x0 >= 0, x1 in [0, 3]: x0 = 1
//! let rows = vec![Row { terms: vec![(0, 1.0), (1, 1.0)], lo: 4.0, hi: 4.0 }];
//! let out = solve(&[(0.0, f64::INFINITY), (0.0, 3.0)], &rows, &[(0, 1.0)], Sense::Min);
//! assert!(matches!(out, Outcome::Optimal { value, .. } if (value - 1.0).abs() < 1e-9));
//! ```

use microlp::{
    ComparisonOp, Error, LinearExpr, OptimizationDirection, Problem, SolutionStatus, SolveOptions,
    SolveOutcome,
};

/// `lo <= sum(coef * x[var]) <= hi`; `lo == hi` for an equation, infinite for an open side.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub terms: Vec<(usize, f64)>,
    pub lo: f64,
    pub hi: f64,
}

impl Row {
    /// A row with repeated variables summed and zero coefficients dropped.
    pub fn new(terms: impl IntoIterator<Item = (usize, f64)>, lo: f64, hi: f64) -> Row {
        let mut merged: Vec<(usize, f64)> = Vec::new();
        for (v, c) in terms {
            match merged.iter_mut().find(|(w, _)| *w == v) {
                Some((_, acc)) => *acc += c,
                None => merged.push((v, c)),
            }
        }
        merged.retain(|(_, c)| c.abs() > 1e-12);
        Row {
            terms: merged,
            lo,
            hi,
        }
    }
}

/// Direction of the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    Min,
    Max,
}

/// Result of one linear programme.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Optimal objective value and the values of all variables.
    Optimal { value: f64, x: Vec<f64> },
    /// The objective improves without limit.
    Unbounded,
    /// No solution, or the solver could not prove one.
    Failed,
}

/// Solves `min/max sum(obj)` over variables with `bounds`, subject to `rows`.
///
/// Rows may only name variables below `bounds.len()`; rows without terms are ignored.
pub fn solve(bounds: &[(f64, f64)], rows: &[Row], obj: &[(usize, f64)], sense: Sense) -> Outcome {
    let mut p = Problem::new(direction(sense));
    let coef = objective(bounds.len(), obj);
    let vars: Vec<_> = bounds
        .iter()
        .zip(&coef)
        .map(|(&b, &c)| p.add_var(c, b))
        .collect();
    finish(p, &vars, rows)
}

/// What one integer programme under a node budget found.
#[derive(Debug, Clone, PartialEq)]
pub enum IntegerOutcome {
    /// The optimum, proven.
    Optimal(f64),
    /// The node budget ran out first: the best whole-number value found (`None` when
    /// none was found). A value found is reached by a whole-number point, so the true
    /// optimum is at least as far out.
    Limited(Option<f64>),
    /// No whole-number point, or the solver failed.
    Failed,
}

/// [`solve`] over whole numbers: every variable an integer within its (finite) bounds,
/// solved by the branch and bound of `microlp` with at most `node_budget` nodes (the
/// root relaxation not counted). `hint` is a whole-number point to start from (ignored
/// when it breaks a row). A bound outside `i32` is clamped.
pub fn solve_integer(
    bounds: &[(i64, i64)],
    rows: &[Row],
    obj: &[(usize, f64)],
    sense: Sense,
    node_budget: u64,
    hint: Option<&[f64]>,
) -> IntegerOutcome {
    let mut p = Problem::new(direction(sense));
    let coef = objective(bounds.len(), obj);
    let clamp = |v: i64| v.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
    let vars: Vec<_> = bounds
        .iter()
        .zip(&coef)
        .map(|(&(lo, hi), &c)| p.add_integer_var(c, (clamp(lo), clamp(hi))))
        .collect();
    add_rows(&mut p, &vars, rows);
    let mut options = SolveOptions::default();
    options.presolve = false;
    options.node_limit = Some(node_budget);
    options.warm_start = hint
        .filter(|h| h.len() == vars.len() && h.iter().all(|v| v.is_finite()))
        .map(|h| vars.iter().copied().zip(h.iter().copied()).collect());
    match p.solve_with(options) {
        Ok(SolveOutcome::Solution(sol)) => match sol.status() {
            SolutionStatus::Optimal => IntegerOutcome::Optimal(sol.objective()),
            SolutionStatus::Feasible => IntegerOutcome::Limited(Some(sol.objective())),
        },
        Ok(SolveOutcome::Interrupted(_)) => IntegerOutcome::Limited(None),
        Err(_) => IntegerOutcome::Failed,
    }
}

fn direction(sense: Sense) -> OptimizationDirection {
    match sense {
        Sense::Min => OptimizationDirection::Minimize,
        Sense::Max => OptimizationDirection::Maximize,
    }
}

fn objective(n: usize, obj: &[(usize, f64)]) -> Vec<f64> {
    let mut coef = vec![0.0; n];
    for &(v, c) in obj {
        coef[v] += c;
    }
    coef
}

/// Adds the rows to `p`.
fn add_rows(p: &mut Problem, vars: &[microlp::Variable], rows: &[Row]) {
    for row in rows.iter().filter(|r| !r.terms.is_empty()) {
        let expr = || {
            let mut e = LinearExpr::empty();
            for &(v, c) in &row.terms {
                e.add(vars[v], c);
            }
            e
        };
        if row.lo == row.hi {
            p.add_constraint(expr(), ComparisonOp::Eq, row.lo);
            continue;
        }
        if row.lo.is_finite() {
            p.add_constraint(expr(), ComparisonOp::Ge, row.lo);
        }
        if row.hi.is_finite() {
            p.add_constraint(expr(), ComparisonOp::Le, row.hi);
        }
    }
}

/// Adds the rows to `p`, solves and reads the answer.
fn finish(mut p: Problem, vars: &[microlp::Variable], rows: &[Row]) -> Outcome {
    add_rows(&mut p, vars, rows);
    // The programmes are small and well scaled (coefficients 1 and ratios below 1):
    // presolve costs more than it saves here; every answer is still validated.
    let mut options = SolveOptions::default();
    options.presolve = false;
    match p.solve_with(options) {
        Ok(outcome) => match outcome.into_solution() {
            Ok(sol) => Outcome::Optimal {
                value: sol.objective(),
                x: vars.iter().map(|&v| sol.var_value(v)).collect(),
            },
            Err(_) => Outcome::Failed,
        },
        Err(Error::Unbounded) => Outcome::Unbounded,
        Err(_) => Outcome::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INF: f64 = f64::INFINITY;

    #[test]
    fn integer_programmes_see_what_the_relaxation_does_not() {
        // 2 x0 = 2 x1 + 1 has fractional answers only (x0 = x1 + 0,5): the LP finds
        // x0 = 0,5, the integer programme finds none
        let rows = vec![Row::new([(0, 2.0), (1, -2.0)], 1.0, 1.0)];
        let lp = solve(&[(0.0, 10.0), (0.0, 10.0)], &rows, &[(0, 1.0)], Sense::Min);
        assert!(matches!(lp, Outcome::Optimal { value, .. } if (value - 0.5).abs() < 1e-9));
        let ip = solve_integer(
            &[(0, 10), (0, 10)],
            &rows,
            &[(0, 1.0)],
            Sense::Min,
            100,
            None,
        );
        assert_eq!(ip, IntegerOutcome::Failed);
        // 0,30 <= x0 / 7 <= 0,32 (a shown "31%" of 7): the LP allows [2,1; 2,24],
        // no whole count fits
        let rows = vec![Row::new([(0, 1.0)], 0.30 * 7.0, 0.32 * 7.0)];
        let ip = solve_integer(&[(0, 7)], &rows, &[(0, 1.0)], Sense::Max, 100, None);
        assert_eq!(ip, IntegerOutcome::Failed);
        // x0 + x1 = 7, 3 x0 <= 10: x0 in [0, 3] over the integers, [0, 3,33] over the reals
        let rows = vec![
            Row::new([(0, 1.0), (1, 1.0)], 7.0, 7.0),
            Row::new([(0, 3.0)], f64::NEG_INFINITY, 10.0),
        ];
        let ip = solve_integer(
            &[(0, 100), (0, 100)],
            &rows,
            &[(0, 1.0)],
            Sense::Max,
            100,
            None,
        );
        assert_eq!(ip, IntegerOutcome::Optimal(3.0));
    }

    #[test]
    fn an_integer_programme_stops_at_its_node_budget() {
        // maximise x0 + x1 + x2 with 2 x_i + 2 x_j <= 3 for each pair and x <= 5: the
        // relaxation gives 2,25 (every x_i = 0,75), the whole numbers only 1 (one x_i
        // = 1, the others 0), which needs branching to prove
        let rows: Vec<Row> = [(0, 1), (0, 2), (1, 2)]
            .iter()
            .map(|&(i, j)| Row::new([(i, 2.0), (j, 2.0)], f64::NEG_INFINITY, 3.0))
            .collect();
        let obj = [(0, 1.0), (1, 1.0), (2, 1.0)];
        let b = [(0, 5), (0, 5), (0, 5)];
        assert_eq!(
            solve_integer(&b, &rows, &obj, Sense::Max, 1_000, None),
            IntegerOutcome::Optimal(1.0)
        );
        // no node allowed: what comes back is a value some whole-number point reaches
        // (the hint at least), or nothing, never more than the optimum
        let hint = [0.0, 0.0, 0.0];
        match solve_integer(&b, &rows, &obj, Sense::Max, 0, Some(&hint)) {
            IntegerOutcome::Optimal(v) => assert_eq!(v, 1.0),
            IntegerOutcome::Limited(Some(v)) => assert!((0.0..=1.0).contains(&v)),
            o => panic!("{o:?}"),
        }
        // a hint that breaks a row is ignored, not trusted
        let bad = [5.0, 5.0, 5.0];
        match solve_integer(&b, &rows, &obj, Sense::Max, 0, Some(&bad)) {
            IntegerOutcome::Optimal(v) | IntegerOutcome::Limited(Some(v)) => assert!(v <= 1.0),
            IntegerOutcome::Limited(None) => {}
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn row_merges_repeated_terms() {
        let r = Row::new(
            [(0, 1.0), (1, -1.0), (0, 1.0), (2, 1.0), (2, -1.0)],
            0.0,
            0.0,
        );
        assert_eq!(r.terms, vec![(0, 2.0), (1, -1.0)]);
    }

    #[test]
    fn small_programmes() {
        // x0 + x1 = 4, x1 <= 3: x0 in [1, 4]
        let rows = vec![Row::new([(0, 1.0), (1, 1.0)], 4.0, 4.0)];
        let b = [(0.0, INF), (0.0, 3.0)];
        match solve(&b, &rows, &[(0, 1.0)], Sense::Min) {
            Outcome::Optimal { value, .. } => assert!((value - 1.0).abs() < 1e-9),
            o => panic!("{o:?}"),
        }
        match solve(&b, &rows, &[(0, 1.0)], Sense::Max) {
            Outcome::Optimal { value, x } => {
                assert!((value - 4.0).abs() < 1e-9);
                assert!(x[1].abs() < 1e-9);
            }
            o => panic!("{o:?}"),
        }
        // x0 - x1 = 0 with both free above: unbounded
        let rows = vec![Row::new([(0, 1.0), (1, -1.0)], 0.0, 0.0)];
        let b = [(0.0, INF), (0.0, INF)];
        assert_eq!(
            solve(&b, &rows, &[(0, 1.0)], Sense::Max),
            Outcome::Unbounded
        );
        // x0 + x1 = -1 with x >= 0: infeasible
        let rows = vec![Row::new([(0, 1.0), (1, 1.0)], -1.0, -1.0)];
        assert_eq!(solve(&b, &rows, &[(0, 1.0)], Sense::Min), Outcome::Failed);
        // a range row: 2 <= x0 + x1 <= 5 and x1 <= 1 gives x0 in [1, 5]
        let rows = vec![Row::new([(0, 1.0), (1, 1.0)], 2.0, 5.0)];
        let b = [(0.0, INF), (0.0, 1.0)];
        match solve(&b, &rows, &[(0, 1.0)], Sense::Min) {
            Outcome::Optimal { value, .. } => assert!((value - 1.0).abs() < 1e-9),
            o => panic!("{o:?}"),
        }
    }
}
