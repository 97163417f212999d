//! Several linked tables and derived figures as one system, protected together.
//!
//! The same count often appears in more than one place: intake per dienst per quarter in
//! four tables, a headline total that equals a table total, a previous-period column, a
//! flow row `open_begin + ontvangen = afgehandeld + open_eind`, a percentage beside its
//! denominator. Suppressing each table on its own lets a reader combine them. A
//! [`SystemBuilder`] merges the tables into one [`LinkedSystem`]: identical cells become
//! one cell, extra equations and balances link cells across tables, inequalities link
//! counts that are not parts of a sum (a multi-valued breakdown: each group is at most
//! the total, all groups together at least the total), and published ratios
//! (percentages) are constraints the attacker may use. One
//! [`LinkedSystem::protect`] run then covers everything, and
//! [`LinkedSystem::table_statuses`] maps the result back per table.
//!
//! ```
//! use rodedraad::protect::suppress::{table_2d, CellStatus, Policy, SystemBuilder};
//! // Two tables share the column totals (cells 6, 7 and 8 of each layout with totals).
//! let (a, _, _) = table_2d(&[vec![3, 9], vec![12, 20]]);
//! let (b, _, _) = table_2d(&[vec![10, 20], vec![5, 9]]);
//! let mut builder = SystemBuilder::new();
//! let ta = builder.add_table("a", &a);
//! let tb = builder.add_table("b", &b);
//! for c in 6..9 {
//!     builder.same(ta.cell(c), tb.cell(c));
//! }
//! let system = builder.build().unwrap();
//! let policy = Policy::default();
//! let outcome = system.protect(&policy);
//! assert!(system.violations(&policy, &outcome).is_empty());
//! let per_table = system.table_statuses(&outcome);
//! assert_eq!(per_table[0][0], CellStatus::Primary); // the 3
//! ```

use super::lp::Row;
use super::{CellStatus, Equation, LinkedTable, Protection};

/// A cell of one table added to a [`SystemBuilder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRef {
    pub table: usize,
    pub cell: usize,
}

/// A table added to a [`SystemBuilder`]; [`TableRef::cell`] names one of its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableRef(pub usize);

impl TableRef {
    pub fn cell(self, cell: usize) -> CellRef {
        CellRef {
            table: self.0,
            cell,
        }
    }
}

/// A published ratio `shown = scale * num / den`, rounded to `decimals` decimals.
///
/// A reader who knows `shown` knows `num` within `(shown ± half_width) / scale * den`:
/// with the denominator shown, a percentage gives the numerator away up to rounding.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratio {
    pub num: usize,
    pub den: usize,
    /// The shown value divided by `scale` (a fraction for a percentage).
    pub value: f64,
    /// Half the rounding step, divided by `scale`.
    pub half_width: f64,
}

impl Ratio {
    /// The ratio as a reader sees it: `round(scale * num / den, decimals) / scale`.
    /// `None` when `den` is 0 (nothing is shown then).
    pub fn rounded(num: u64, den: u64, scale: f64, decimals: u32) -> Option<(f64, f64)> {
        if den == 0 {
            return None;
        }
        let step = 10f64.powi(-(decimals as i32));
        let shown = (scale * num as f64 / den as f64 / step).round() * step;
        Some((shown / scale, step / 2.0 / scale))
    }

    /// The attacker's two rows: `(value - hw) * den <= num <= (value + hw) * den`.
    /// A tiny relative slack keeps the true values inside despite round-off.
    pub(super) fn rows(&self) -> Vec<Row> {
        if !self.value.is_finite() || !self.half_width.is_finite() {
            return Vec::new();
        }
        let hw = self.half_width * (1.0 + 1e-9) + 1e-12;
        vec![
            Row::new(
                [(self.num, 1.0), (self.den, -(self.value + hw))],
                f64::NEG_INFINITY,
                0.0,
            ),
            Row::new(
                [(self.num, 1.0), (self.den, -(self.value - hw))],
                0.0,
                f64::INFINITY,
            ),
        ]
    }
}

/// `sum(smaller) <= sum(larger)`: a link that is not an equation. A group of a
/// multi-valued breakdown (a case can have several doelgroepen) is at most the total;
/// all groups together are at least the total. The attacker uses it as a `<=` row; the
/// optimiser keeps it true when it looks for a table the reader cannot rule out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inequality {
    pub smaller: Vec<usize>,
    pub larger: Vec<usize>,
}

impl Inequality {
    /// The attacker's row: `sum(smaller) - sum(larger) <= 0`.
    pub(super) fn row(&self) -> Row {
        let terms = self
            .smaller
            .iter()
            .map(|&c| (c, 1.0))
            .chain(self.larger.iter().map(|&c| (c, -1.0)));
        Row::new(terms, f64::NEG_INFINITY, 0.0)
    }

    /// Whether the inequality holds for `values`.
    pub fn holds(&self, values: &[u64]) -> bool {
        let sum = |cells: &[usize]| cells.iter().map(|&c| values[c]).sum::<u64>();
        sum(&self.smaller) <= sum(&self.larger)
    }
}

/// Cells, equations, never-published cells and ratios of one or more merged tables.
#[derive(Debug, Clone)]
pub struct LinkedSystem {
    /// All distinct cells and every equation between them.
    pub table: LinkedTable,
    /// Links that are inequalities (see [`Inequality`]).
    pub inequalities: Vec<Inequality>,
    /// Cells that are never published (auxiliary sums of balances, unprinted cells).
    pub unpublished: Vec<bool>,
    /// Cells hidden and protected as a small count is, whatever their value (a count an
    /// earlier report hid: its protection there rests on it staying unknown).
    pub protect: Vec<bool>,
    /// Ratios the report wants to show; [`super::Protection::ratios_shown`] says which may.
    pub ratios: Vec<Ratio>,
    /// Per added table: its name and the system cell of each of its cells.
    pub tables: Vec<(String, Vec<usize>)>,
    /// Per cell: how much dearer hiding it is than its value alone says (1 for most
    /// cells; a headline total a reader looks for first is dearer).
    pub priority: Vec<f64>,
}

impl LinkedSystem {
    /// One table on its own, every cell published, no ratios.
    pub fn from_table(table: &LinkedTable) -> LinkedSystem {
        let n = table.values.len();
        LinkedSystem {
            table: table.clone(),
            inequalities: Vec::new(),
            unpublished: vec![false; n],
            protect: vec![false; n],
            ratios: Vec::new(),
            tables: vec![(String::new(), (0..n).collect())],
            priority: vec![1.0; n],
        }
    }

    /// The system cell of a table cell.
    pub fn cell(&self, r: CellRef) -> usize {
        self.tables[r.table].1[r.cell]
    }

    /// The status of every cell of every added table, in the order the tables were
    /// added (a shared cell has the same status in each table).
    pub fn table_statuses(&self, outcome: &Protection) -> Vec<Vec<CellStatus>> {
        self.tables
            .iter()
            .map(|(_, cells)| cells.iter().map(|&c| outcome.cells[c]).collect())
            .collect()
    }
}

/// Builds a [`LinkedSystem`] from several tables, cell identities, extra equations,
/// balances and published ratios. See the module example.
#[derive(Debug, Default)]
pub struct SystemBuilder {
    values: Vec<u64>,
    equations: Vec<Equation>,
    inequalities: Vec<Inequality>,
    unpublished: Vec<bool>,
    protect: Vec<(usize, bool)>,
    /// Union-find parent of every raw cell.
    parent: Vec<usize>,
    tables: Vec<(String, Vec<usize>)>,
    ratios: Vec<RawRatio>,
    priority: Vec<(usize, f64)>,
}

#[derive(Debug)]
struct RawRatio {
    num: usize,
    den: usize,
    shown: Shown,
}

/// How a ratio is shown: rounded here, or as the renderer gave it.
#[derive(Debug, Clone, Copy)]
enum Shown {
    Rounded { scale: f64, decimals: u32 },
    Given { value: f64, half_width: f64 },
}

impl SystemBuilder {
    pub fn new() -> SystemBuilder {
        SystemBuilder::default()
    }

    fn push_cell(&mut self, value: u64, unpublished: bool) -> usize {
        self.values.push(value);
        self.unpublished.push(unpublished);
        self.parent.push(self.values.len() - 1);
        self.values.len() - 1
    }

    fn raw(&self, r: CellRef) -> usize {
        self.tables[r.table].1[r.cell]
    }

    /// Adds a table (cells and equations); its cells are new, distinct cells until
    /// [`SystemBuilder::same`] says otherwise.
    pub fn add_table(&mut self, name: &str, table: &LinkedTable) -> TableRef {
        let raw: Vec<usize> = table
            .values
            .iter()
            .map(|&v| self.push_cell(v, false))
            .collect();
        let n = raw.len();
        for e in &table.equations {
            if e.total < n && e.parts.iter().all(|&p| p < n) {
                self.equations.push(Equation {
                    total: raw[e.total],
                    parts: e.parts.iter().map(|&p| raw[p]).collect(),
                });
            }
        }
        self.tables.push((name.to_string(), raw));
        TableRef(self.tables.len() - 1)
    }

    /// Adds a lone published figure (a headline count) as a one-cell table.
    pub fn add_figure(&mut self, name: &str, value: u64) -> CellRef {
        let t = LinkedTable {
            values: vec![value],
            equations: Vec::new(),
        };
        self.add_table(name, &t).cell(0)
    }

    /// Declares two cells identical: the same count shown in two places.
    pub fn same(&mut self, a: CellRef, b: CellRef) {
        let (ra, rb) = (self.find(self.raw(a)), self.find(self.raw(b)));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }

    /// Adds `total = sum(parts)` across tables.
    pub fn equation(&mut self, total: CellRef, parts: &[CellRef]) {
        let eq = Equation {
            total: self.raw(total),
            parts: parts.iter().map(|&p| self.raw(p)).collect(),
        };
        self.equations.push(eq);
    }

    /// Adds `sum(smaller) <= sum(larger)` across tables (see [`Inequality`]).
    pub fn at_most(&mut self, smaller: &[CellRef], larger: &[CellRef]) {
        let ineq = Inequality {
            smaller: smaller.iter().map(|&c| self.raw(c)).collect(),
            larger: larger.iter().map(|&c| self.raw(c)).collect(),
        };
        self.inequalities.push(ineq);
    }

    /// Adds `sum(lhs) = sum(rhs)` (e.g. `open_begin + ontvangen = afgehandeld +
    /// open_eind`) through a never-published auxiliary cell equal to both sides.
    pub fn balance(&mut self, lhs: &[CellRef], rhs: &[CellRef]) {
        let value = lhs.iter().map(|&c| self.values[self.raw(c)]).sum();
        let aux = self.push_cell(value, true);
        for side in [lhs, rhs] {
            let parts = side.iter().map(|&c| self.raw(c)).collect();
            self.equations.push(Equation { total: aux, parts });
        }
    }

    /// Makes hiding `c` as secondary suppression `factor` times as expensive, so the
    /// optimiser hides other cells first (a headline total over a detail).
    pub fn prefer_shown(&mut self, c: CellRef, factor: f64) {
        let raw = self.raw(c);
        self.priority.push((raw, factor));
    }

    /// Adds a whole system solved before (the intake block of an earlier report) as one
    /// table: its cells, equations and inequalities, its never-published cells, and the
    /// ratios it showed (`ratios_shown`), exactly as shown. Returns the table, whose cell
    /// `i` is the system's cell `i`.
    pub fn add_system(
        &mut self,
        name: &str,
        sys: &LinkedSystem,
        ratios_shown: &[bool],
    ) -> TableRef {
        let t = self.add_table(name, &sys.table);
        let raw = self.tables[t.0].1.clone();
        for (i, &u) in sys.unpublished.iter().enumerate() {
            if u {
                self.unpublished[raw[i]] = true;
            }
        }
        for q in &sys.inequalities {
            self.inequalities.push(Inequality {
                smaller: q.smaller.iter().map(|&c| raw[c]).collect(),
                larger: q.larger.iter().map(|&c| raw[c]).collect(),
            });
        }
        for (r, _) in sys.ratios.iter().zip(ratios_shown).filter(|(_, &s)| s) {
            self.ratios.push(RawRatio {
                num: raw[r.num],
                den: raw[r.den],
                shown: Shown::Given {
                    value: r.value,
                    half_width: r.half_width,
                },
            });
        }
        t
    }

    /// Marks a cell as hidden and protected like a small count, whatever its value (see
    /// [`LinkedSystem::protect`]).
    pub fn protect(&mut self, c: CellRef) {
        let raw = self.raw(c);
        self.protect.push((raw, true));
    }

    /// Marks a cell as never published (it is hidden, and needs no protection itself).
    pub fn unpublished(&mut self, c: CellRef) {
        let raw = self.raw(c);
        self.unpublished[raw] = true;
    }

    /// A percentage `num / den` the report wants to show with `decimals` decimals.
    /// Returns its index in [`LinkedSystem::ratios`].
    pub fn percentage(&mut self, num: CellRef, den: CellRef, decimals: u32) -> usize {
        self.ratio(num, den, 100.0, decimals)
    }

    /// A ratio `scale * num / den` shown with `decimals` decimals (a mean per person:
    /// scale 1), rounded half away from zero. Returns its index in
    /// [`LinkedSystem::ratios`].
    pub fn ratio(&mut self, num: CellRef, den: CellRef, scale: f64, decimals: u32) -> usize {
        self.push_ratio(num, den, Shown::Rounded { scale, decimals })
    }

    /// A ratio exactly as the renderer shows it: `value` (a fraction, so 0,079 for
    /// "7,9%") with the rounding half-width (0,0005 for one decimal of a percentage).
    /// Use this when the renderer rounds differently from [`SystemBuilder::ratio`]: the
    /// attacker must see the very number the reader sees.
    pub fn shown_ratio(
        &mut self,
        num: CellRef,
        den: CellRef,
        value: f64,
        half_width: f64,
    ) -> usize {
        self.push_ratio(num, den, Shown::Given { value, half_width })
    }

    fn push_ratio(&mut self, num: CellRef, den: CellRef, shown: Shown) -> usize {
        let r = RawRatio {
            num: self.raw(num),
            den: self.raw(den),
            shown,
        };
        self.ratios.push(r);
        self.ratios.len() - 1
    }

    fn find(&mut self, mut c: usize) -> usize {
        while self.parent[c] != c {
            self.parent[c] = self.parent[self.parent[c]];
            c = self.parent[c];
        }
        c
    }

    /// The merged system. Fails (with a Dutch message) when cells declared identical
    /// differ in value or an equation does not hold: the figures would contradict
    /// each other, and the attacker's bounds would mean nothing.
    pub fn build(mut self) -> Result<LinkedSystem, String> {
        let raw_n = self.values.len();
        let mut index = vec![usize::MAX; raw_n];
        let mut values = Vec::new();
        let mut unpublished = Vec::new();
        for c in 0..raw_n {
            let root = self.find(c);
            if index[root] == usize::MAX {
                index[root] = values.len();
                values.push(self.values[root]);
                unpublished.push(true);
            }
            if self.values[c] != self.values[root] {
                return Err(format!(
                    "cellen die gelijk moeten zijn verschillen: {} en {}",
                    self.values[c], self.values[root]
                ));
            }
            // a merged cell is published when any of its places publishes it
            let i = index[root];
            unpublished[i] = unpublished[i] && self.unpublished[c];
        }
        let map: Vec<usize> = (0..raw_n).map(|c| index[self.find(c)]).collect();
        let equations: Vec<Equation> = self
            .equations
            .iter()
            .map(|e| Equation {
                total: map[e.total],
                parts: e.parts.iter().map(|&p| map[p]).collect(),
            })
            .collect();
        for e in &equations {
            let sum: u64 = e.parts.iter().map(|&p| values[p]).sum();
            if sum != values[e.total] {
                return Err(format!(
                    "optelling klopt niet: totaal {} tegenover som van delen {}",
                    values[e.total], sum
                ));
            }
        }
        let inequalities: Vec<Inequality> = self
            .inequalities
            .iter()
            .map(|q| Inequality {
                smaller: q.smaller.iter().map(|&c| map[c]).collect(),
                larger: q.larger.iter().map(|&c| map[c]).collect(),
            })
            .collect();
        if let Some(q) = inequalities.iter().find(|q| !q.holds(&values)) {
            let sum = |cells: &[usize]| cells.iter().map(|&c| values[c]).sum::<u64>();
            return Err(format!(
                "ongelijkheid klopt niet: {} is groter dan {}",
                sum(&q.smaller),
                sum(&q.larger)
            ));
        }
        // a ratio over a zero denominator shows nothing: no information, infinite width
        let ratios = self
            .ratios
            .iter()
            .map(|r| {
                let (num, den) = (map[r.num], map[r.den]);
                let (value, half_width) = match r.shown {
                    Shown::Rounded { scale, decimals } => {
                        Ratio::rounded(values[num], values[den], scale, decimals)
                            .unwrap_or((0.0, f64::INFINITY))
                    }
                    Shown::Given { value, half_width } => (value, half_width),
                };
                Ratio {
                    num,
                    den,
                    value,
                    half_width,
                }
            })
            .collect();
        let tables = self
            .tables
            .into_iter()
            .map(|(name, raw)| (name, raw.into_iter().map(|c| map[c]).collect()))
            .collect();
        let mut protect = vec![false; values.len()];
        for &(raw, on) in &self.protect {
            protect[map[raw]] |= on;
        }
        let mut priority = vec![1.0f64; values.len()];
        for &(raw, factor) in &self.priority {
            priority[map[raw]] = priority[map[raw]].max(factor);
        }
        Ok(LinkedSystem {
            table: LinkedTable { values, equations },
            inequalities,
            unpublished,
            protect,
            ratios,
            tables,
            priority,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{table_2d, CellStatus, Policy};
    use super::*;

    #[test]
    fn rounding_of_a_percentage() {
        // 3 of 38 = 7,894..% shown as 7,9%: value 0,079, half width 0,0005
        let (v, hw) = Ratio::rounded(3, 38, 100.0, 1).unwrap();
        assert!((v - 0.079).abs() < 1e-12 && (hw - 0.0005).abs() < 1e-12);
        // 25,0% of 12 with no decimals: 25%, half width 0,005
        let (v, hw) = Ratio::rounded(3, 12, 100.0, 0).unwrap();
        assert!((v - 0.25).abs() < 1e-12 && (hw - 0.005).abs() < 1e-12);
        assert_eq!(Ratio::rounded(1, 0, 100.0, 1), None);
        // the true numerator satisfies both rows of the attacker
        let r = Ratio {
            num: 0,
            den: 1,
            value: v,
            half_width: hw,
        };
        for row in r.rows() {
            let at: f64 = row.terms.iter().map(|&(c, k)| k * [3.0, 12.0][c]).sum();
            assert!(at >= row.lo && at <= row.hi);
        }
    }

    #[test]
    fn builder_merges_identical_cells_and_maps_back() {
        // a: 3 9 | 12      b: 10 20 | 30     column totals (6, 7, 8) are shared
        //   12 20 | 32         5  9 | 14
        //   15 29 | 44        15 29 | 44
        let (a, _, _) = table_2d(&[vec![3, 9], vec![12, 20]]);
        let (b, _, _) = table_2d(&[vec![10, 20], vec![5, 9]]);
        let mut builder = SystemBuilder::new();
        let ta = builder.add_table("a", &a);
        let tb = builder.add_table("b", &b);
        for c in 6..9 {
            builder.same(ta.cell(c), tb.cell(c));
        }
        let head = builder.add_figure("kop", 44);
        builder.same(head, ta.cell(8));
        let sys = builder.build().unwrap();
        // 9 + 9 + 1 cells, three shared with a, the headline shared too
        assert_eq!(sys.table.values.len(), 9 + 6);
        assert_eq!(sys.cell(tb.cell(7)), sys.cell(ta.cell(7)));
        assert_eq!(sys.cell(head), sys.cell(ta.cell(8)));
        assert_eq!(sys.table.equations.len(), 12);
        assert_eq!(sys.tables.len(), 3);
        let outcome = sys.protect(&Policy::default());
        let per_table = sys.table_statuses(&outcome);
        assert_eq!(per_table[0][0], CellStatus::Primary);
        // a shared cell has one status everywhere
        assert_eq!(per_table[0][6..9], per_table[1][6..9]);
        assert_eq!(per_table[2][0], per_table[0][8]);
    }

    #[test]
    fn builder_rejects_contradicting_figures() {
        let (a, _, _) = table_2d(&[vec![3, 9]]);
        let mut builder = SystemBuilder::new();
        let ta = builder.add_table("a", &a);
        let head = builder.add_figure("kop", 13);
        builder.same(head, ta.cell(2)); // 12 against 13
        assert!(builder.build().unwrap_err().contains("verschillen"));

        let mut builder = SystemBuilder::new();
        let ta = builder.add_table("a", &a);
        let head = builder.add_figure("kop", 13);
        builder.equation(head, &[ta.cell(0), ta.cell(1)]); // 13 = 3 + 9 fails
        assert!(builder.build().unwrap_err().contains("optelling"));
    }

    #[test]
    fn balance_adds_an_unpublished_sum() {
        // open_begin 20 + ontvangen 6 = afgehandeld 11 + open_eind 15
        let mut builder = SystemBuilder::new();
        let ob = builder.add_figure("open begin", 20);
        let ont = builder.add_figure("ontvangen", 6);
        let afg = builder.add_figure("afgehandeld", 11);
        let oe = builder.add_figure("open eind", 15);
        builder.balance(&[ob, ont], &[afg, oe]);
        let sys = builder.build().unwrap();
        assert_eq!(sys.table.values, vec![20, 6, 11, 15, 26]);
        assert_eq!(sys.unpublished, vec![false, false, false, false, true]);
        assert_eq!(sys.table.equations.len(), 2);
        let outcome = sys.protect(&Policy::default());
        assert_eq!(outcome.cells[4], CellStatus::Unpublished);
        assert!(outcome.cells[..4].iter().all(|&s| s == CellStatus::Shown));
    }

    /// Multi-valued groups over a total: `groups` as one-cell tables, the total a figure,
    /// each group at most the total, all groups together at least the total.
    fn multi_valued(groups: &[u64], total: u64) -> (SystemBuilder, Vec<CellRef>, CellRef) {
        let mut b = SystemBuilder::new();
        let cells: Vec<CellRef> = groups
            .iter()
            .enumerate()
            .map(|(i, &v)| b.add_figure(&format!("groep {i}"), v))
            .collect();
        let t = b.add_figure("totaal", total);
        for &c in &cells {
            b.at_most(&[c], &[t]);
        }
        b.at_most(&[t], &cells);
        (b, cells, t)
    }

    #[test]
    fn inequalities_bound_a_hidden_group_by_hand() {
        // groups 3 and 9 of 10 cases (2 cases in both): the 3 hidden lies in
        // [10 - 9, 10] = [1, 10]: only the inequalities bound it
        let (b, _, _) = multi_valued(&[3, 9], 10);
        let sys = b.build().unwrap();
        assert_eq!(sys.inequalities.len(), 3);
        let iv = super::super::attack_system(&sys, &[true, false, false], &[]);
        let (lo, hi) = iv[0].unwrap();
        assert!((lo - 1.0).abs() < 1e-6 && (hi - 10.0).abs() < 1e-6);
        // as equations only, the reader would know nothing above 0
        let no_links = LinkedSystem {
            inequalities: Vec::new(),
            ..sys.clone()
        };
        let iv = super::super::attack_system(&no_links, &[true, false, false], &[]);
        assert!(iv[0].unwrap().1.is_infinite());
    }

    #[test]
    fn the_optimiser_keeps_inequalities_true() {
        // groups 3 and 10 over 13 cases, and the 3 at most a count of 6 shown elsewhere
        // (a subset: a thread's cases of that group): the 3 lies in [3, 6], 3 wide. The
        // optimiser must free it: raising the 3 by 5 needs the 6 up by 2 (7 per unit)
        // rather than the 10 down or the 13 up; hiding the 6 gives [3, 13].
        let (mut b, cells, _) = multi_valued(&[3, 10], 13);
        let elsewhere = b.add_figure("elders", 6);
        b.at_most(&[cells[0]], &[elsewhere]);
        let sys = b.build().unwrap();
        let policy = Policy::default();
        let before = super::super::attack_system(&sys, &[true, false, false, false], &[]);
        let (lo, hi) = before[0].unwrap();
        assert!((lo - 3.0).abs() < 1e-6 && (hi - 6.0).abs() < 1e-6);
        let out = sys.protect(&policy);
        assert_eq!(
            out.cells,
            vec![
                CellStatus::Primary,
                CellStatus::Shown,
                CellStatus::Shown,
                CellStatus::Secondary
            ]
        );
        assert!(sys.violations(&policy, &out).is_empty());
        let (lo, hi) = super::super::attack_system(&sys, &out.hidden(), &[])[0].unwrap();
        assert!((lo - 3.0).abs() < 1e-6 && (hi - 13.0).abs() < 1e-6);
    }

    #[test]
    fn builder_rejects_a_false_inequality() {
        // a group larger than the total cannot be
        let (b, _, _) = multi_valued(&[14, 2], 13);
        assert!(b.build().unwrap_err().contains("ongelijkheid"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, failure_persistence: None, ..Default::default() })]

        /// Random multi-valued breakdowns (each case in one to three of five groups):
        /// every inequality holds, the attacker's bounds enclose the truth, and what
        /// the optimiser publishes leaves every small group at least 5 wide.
        #[test]
        fn multi_valued_breakdowns_are_protected(
            cases in proptest::collection::vec(proptest::collection::btree_set(0usize..5, 1..4), 1..40),
            zero in proptest::prelude::any::<bool>(),
        ) {
            let mut groups = vec![0u64; 5];
            for c in &cases {
                for &g in c {
                    groups[g] += 1;
                }
            }
            let (b, _, _) = multi_valued(&groups, cases.len() as u64);
            let sys = b.build().unwrap();
            let policy = Policy { suppress_zero: zero, ..Policy::default() };
            let out = sys.protect(&policy);
            proptest::prop_assert!(sys.violations(&policy, &out).is_empty());
            let iv = super::super::attack_system(&sys, &out.hidden(), &out.ratios_shown);
            for (c, b) in iv.iter().enumerate() {
                if let Some((lo, hi)) = b {
                    let v = sys.table.values[c] as f64;
                    proptest::prop_assert!(*lo <= v + 1e-6 && v <= *hi + 1e-6);
                    if policy.is_primary(sys.table.values[c]) {
                        proptest::prop_assert!(super::super::is_protected((*lo, *hi), 5));
                    }
                }
            }
        }
    }

    #[test]
    fn a_ratio_as_the_renderer_shows_it() {
        // 30 + 8 = 38 with "78,9%" given: 30 lies in [0,7885 * 38, 0,7895 * 38] =
        // [29,963, 30,001] when 30 and 8 are hidden
        let mut builder = SystemBuilder::new();
        let t = builder.add_table(
            "a",
            &LinkedTable {
                values: vec![30, 8, 38],
                equations: vec![Equation {
                    total: 2,
                    parts: vec![0, 1],
                }],
            },
        );
        let r = builder.shown_ratio(t.cell(0), t.cell(2), 0.789, 0.0005);
        let sys = builder.build().unwrap();
        assert_eq!(sys.ratios[r].value, 0.789);
        let iv = super::super::attack_system(&sys, &[true, true, false], &[true]);
        let (lo, hi) = iv[0].unwrap();
        assert!((lo - 29.963).abs() < 1e-6 && (hi - 30.001).abs() < 1e-6);
    }
}
