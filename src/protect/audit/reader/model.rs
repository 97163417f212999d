//! What the reader knows, as one system: counts (shown or unknown), equations,
//! inequalities and shown percentages, each count with the place it is printed at; and
//! the attack on it (the protection stage's LP and integer attackers).
//!
//! ```
//! use rodedraad::protect::audit::reader::model::{Model, Var};
//! let mut m = Model::default();
//! let a = m.unknown(Var::cell("t / A", "tabellen.json", "tabel t, rij 1 (A)", "tabel t"));
//! let b = m.known(Var::cell("t / B", "tabellen.json", "tabel t, rij 2 (B)", "tabel t"), 20);
//! let total = m.known(Var::cell("t / Totaal", "tabellen.json", "tabel t, rij 3", "tabel t"), 23);
//! m.eq(total, vec![a, b]);
//! let leaks = m.leaks(5);
//! assert!(leaks.iter().any(|l| l.name == "t / A" && l.detail.contains("tussen 3")));
//! ```

use crate::protect::audit::counts::FigCell;
use crate::protect::suppress::{
    attack_system, attack_system_integer, protected_width, Equation, Inequality, LinkedSystem,
    LinkedTable, Policy, Ratio, NODE_BUDGET,
};

/// One count of the model: its name (for tests and messages), the file and place where
/// it is printed (or would be: a complement is never printed), the source a message
/// names ("tabel stroom", "de tekst van rapport.md"), and whether it is an auxiliary sum.
#[derive(Debug, Clone)]
pub struct Var {
    pub name: String,
    pub file: String,
    pub place: String,
    pub source: String,
    pub aux: bool,
}

impl Var {
    /// A count with a place in a file.
    pub fn cell(name: &str, file: &str, place: &str, source: &str) -> Var {
        Var {
            name: name.into(),
            file: file.into(),
            place: place.into(),
            source: source.into(),
            aux: false,
        }
    }

    /// An unprinted sum that only joins two equations.
    fn aux() -> Var {
        Var {
            name: "(som)".into(),
            file: String::new(),
            place: String::new(),
            source: String::new(),
            aux: true,
        }
    }
}

/// What kind of leak the reader found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeakKind {
    /// A hidden count the reader derives exactly.
    Exact,
    /// A hidden count the reader bounds to fewer than `min_cel` values, while it may be small.
    Narrow,
    /// The reader's model has no solution: the report's figures and its definitions
    /// disagree, so nothing can be concluded (fail closed).
    Contradiction,
    /// A figure printed against a rule (a mean beside hidden quarters).
    Rule,
}

/// One leak: the count's name, file and place, kind, and what the reader learns (for
/// tests; a finding never repeats it).
#[derive(Debug, Clone)]
pub struct Leak {
    pub name: String,
    pub file: String,
    pub place: String,
    pub kind: LeakKind,
    pub detail: String,
    /// The other sources the count is linked to.
    pub linked: Vec<String>,
}

/// The reader's system.
#[derive(Default)]
pub struct Model {
    pub values: Vec<u64>,
    pub hidden: Vec<bool>,
    pub vars: Vec<Var>,
    pub equations: Vec<Equation>,
    pub inequalities: Vec<Inequality>,
    pub ratios: Vec<Ratio>,
    /// Figures printed against a rule, found while reading (not by the LP).
    pub rule_leaks: Vec<Leak>,
}

/// "1.234" -> 1234; "." (hidden) or a word -> `None`.
pub fn dutch_int(t: &str) -> Option<u64> {
    t.trim()
        .replace('.', "")
        .parse()
        .ok()
        .filter(|_| t.trim() != ".")
}

/// "23,6%" -> (23.6, 1 decimal).
pub fn dutch_pct(t: &str) -> Option<(f64, usize)> {
    let t = t.trim().strip_suffix('%')?;
    let decimals = t.split_once(',').map(|(_, d)| d.len()).unwrap_or(0);
    Some((t.replace(',', ".").parse().ok()?, decimals))
}

impl Model {
    /// A published count cell: its value, or an unknown when hidden. `None` for a cell
    /// that is not a count (text, an empty cell).
    pub fn cell(&mut self, var: Var, c: &FigCell) -> Option<usize> {
        if c.onderdrukt {
            if c.soort != "aantal" && c.soort != "percentage" {
                return None;
            }
            return Some(self.unknown(var));
        }
        let v = c.waarde?;
        if c.soort != "aantal" {
            return None;
        }
        Some(self.known(var, v.max(0.0).round() as u64))
    }

    pub fn known(&mut self, var: Var, v: u64) -> usize {
        self.values.push(v);
        self.hidden.push(false);
        self.vars.push(var);
        self.values.len() - 1
    }

    /// A count the reader does not see but which exists (a hidden cell, a complement).
    pub fn unknown(&mut self, var: Var) -> usize {
        self.values.push(0);
        self.hidden.push(true);
        self.vars.push(var);
        self.values.len() - 1
    }

    /// A count printed as text ("31" or "."), as in "31 van 36".
    pub fn text(&mut self, var: Var, t: &str) -> usize {
        match dutch_int(t) {
            Some(v) => self.known(var, v),
            None => self.unknown(var),
        }
    }

    pub fn eq(&mut self, total: usize, parts: Vec<usize>) {
        self.equations.push(Equation { total, parts });
    }

    /// `sum(smaller) <= sum(larger)`.
    pub fn at_most(&mut self, smaller: Vec<usize>, larger: Vec<usize>) {
        self.inequalities.push(Inequality { smaller, larger });
    }

    /// `a + b = c + d` through an unprinted sum.
    pub fn balance(&mut self, lhs: Vec<usize>, rhs: Vec<usize>) {
        let aux = self.unknown(Var::aux());
        self.eq(aux, lhs);
        self.eq(aux, rhs);
    }

    /// A shown percentage "23,6%" of `num / den`.
    pub fn percentage(&mut self, num: usize, den: usize, shown: &str) {
        let Some((value, decimals)) = dutch_pct(shown) else {
            return;
        };
        let half = 0.5 * 10f64.powi(-(decimals as i32)) / 100.0;
        self.ratios.push(Ratio {
            num,
            den,
            value: value / 100.0,
            half_width: half,
        });
    }

    /// A figure printed against a rule.
    pub fn rule(&mut self, var: Var, detail: String) {
        self.rule_leaks.push(Leak {
            name: var.name,
            file: var.file,
            place: var.place,
            kind: LeakKind::Rule,
            detail,
            linked: vec![],
        });
    }

    fn system(&self) -> LinkedSystem {
        LinkedSystem {
            table: LinkedTable {
                values: self.values.clone(),
                equations: self.equations.clone(),
            },
            inequalities: self.inequalities.clone(),
            unpublished: vec![false; self.values.len()],
            protect: vec![false; self.values.len()],
            ratios: self.ratios.clone(),
            tables: vec![(String::new(), (0..self.values.len()).collect())],
            priority: vec![1.0; self.values.len()],
        }
    }

    fn leak(&self, i: usize, kind: LeakKind, detail: String) -> Leak {
        let v = &self.vars[i];
        Leak {
            name: v.name.clone(),
            file: v.file.clone(),
            place: v.place.clone(),
            kind,
            detail,
            linked: self.linked_sources(i),
        }
    }

    /// Every hidden count whose interval gives away that it may be small, first as the
    /// integer attacker sees it, then as the LP relaxation does. Where the integer
    /// attacker runs out of its node budget its bounds are whole-number points it found
    /// (narrower than the truth): a cell judged on them is never passed silently.
    pub fn leaks(&self, min_cel: u64) -> Vec<Leak> {
        let sys = self.system();
        let shown = vec![true; self.ratios.len()];
        let policy = Policy {
            min_cell: min_cel,
            ..Policy::default()
        };
        let mut out = self.rule_leaks.clone();
        let whole = attack_system_integer(&sys, &self.hidden, &shown, NODE_BUDGET);
        for (i, b) in whole.bounds.iter().enumerate() {
            if !self.hidden[i] || self.vars[i].aux {
                continue;
            }
            match b {
                Some(b) if b.0.is_nan() => out.push(self.leak(
                    i,
                    LeakKind::Contradiction,
                    "geen geheel antwoord (model tegenstrijdig of niet opgelost)".into(),
                )),
                Some(b) if b.1 >= 0.5 && !policy.hidden_cell_safe(*b) => out.push(self.leak(
                    i,
                    exactness(*b),
                    format!("over gehele getallen tussen {} en {}", b.0, b.1),
                )),
                _ => {}
            }
        }
        let bounds = attack_system(&sys, &self.hidden, &shown);
        for (i, b) in bounds.iter().enumerate() {
            if !self.hidden[i] || self.vars[i].aux {
                continue;
            }
            match b {
                Some(b) if b.0.is_nan() || b.0 > b.1 + 1e-6 => out.push(self.leak(
                    i,
                    LeakKind::Contradiction,
                    "het model van de lezer is tegenstrijdig".into(),
                )),
                // a count that is certainly 0 gives nothing away (zeros are shown anyway)
                Some(b) if b.1 < 0.5 => {}
                Some(b) if !policy.hidden_cell_safe(*b) => out.push(self.leak(
                    i,
                    exactness(*b),
                    format!("tussen {:.2} en {:.2}", b.0, b.1),
                )),
                _ => {}
            }
        }
        out
    }

    /// The sources (other than the count's own) of the counts a leaking count is linked
    /// to: through every equation, inequality and ratio it is in, and on through the
    /// hidden counts of those.
    fn linked_sources(&self, start: usize) -> Vec<String> {
        let n = self.values.len();
        let mut groups: Vec<Vec<usize>> = self
            .equations
            .iter()
            .map(|e| {
                std::iter::once(e.total)
                    .chain(e.parts.iter().copied())
                    .collect()
            })
            .collect();
        groups.extend(
            self.inequalities
                .iter()
                .map(|q| q.smaller.iter().chain(&q.larger).copied().collect()),
        );
        groups.extend(self.ratios.iter().map(|r| vec![r.num, r.den]));
        let mut of_var: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (g, vars) in groups.iter().enumerate() {
            for &v in vars {
                of_var[v].push(g);
            }
        }
        let mut seen = vec![false; n];
        let mut used = vec![false; groups.len()];
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(v) = stack.pop() {
            for &g in &of_var[v] {
                if std::mem::replace(&mut used[g], true) {
                    continue;
                }
                for &w in &groups[g] {
                    if !seen[w] {
                        seen[w] = true;
                        if self.hidden[w] {
                            stack.push(w);
                        }
                    }
                }
            }
        }
        let own = &self.vars[start].source;
        let mut out: Vec<String> = (0..n)
            .filter(|&i| seen[i] && !self.vars[i].aux && &self.vars[i].source != own)
            .map(|i| self.vars[i].source.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Exact when the reader's interval holds one whole number.
fn exactness(b: (f64, f64)) -> LeakKind {
    if protected_width(b) < 1.0 {
        LeakKind::Exact
    } else {
        LeakKind::Narrow
    }
}
