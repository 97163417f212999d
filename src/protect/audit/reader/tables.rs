//! One published table into the reader's model: every count cell as a variable and the
//! table's own sums (the total row, a total column, parents of a hierarchy); the key
//! figures table with its "31 van 36" bases and shown percentages.
//!
//! ```
//! use rodedraad::protect::audit::counts::parse_tables;
//! use rodedraad::protect::audit::reader::{model::Model, tables::read_table};
//! let t = parse_tables(r#"[{"id": "t", "kolommen": ["Rij", "Aantal"], "rijen": [
//!   {"kop": "A", "cellen": [{"soort": "aantal", "onderdrukt": true}]},
//!   {"kop": "B", "cellen": [{"soort": "aantal", "waarde": 20}]},
//!   {"kop": "Totaal", "totaal": true, "cellen": [{"soort": "aantal", "waarde": 23}]}]}]"#).unwrap();
//! let mut m = Model::default();
//! let g = read_table(&mut m, &t[0]);
//! assert_eq!(g.cells.len(), 3);
//! assert_eq!(m.equations.len(), 1);
//! ```

use super::model::{Model, Var};
use crate::protect::audit::counts::{place, FigTable};
use crate::protect::audit::FIGURE_LIST;
use std::collections::BTreeMap;

/// The cells of one table by (row key, column index), as model variables. Row keys are
/// the row heads made unique ("Overig", "Overig#2"): a reader tells rows apart by place.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub keys: Vec<String>,
    pub cells: BTreeMap<(String, usize), usize>,
    /// The key of the total row.
    pub total_key: Option<String>,
}

impl Grid {
    pub fn get(&self, key: &str, col: usize) -> Option<usize> {
        self.cells.get(&(key.to_string(), col)).copied()
    }

    /// The total row's cell in `col`.
    pub fn total(&self, col: usize) -> Option<usize> {
        self.get(self.total_key.as_deref()?, col)
    }
}

/// The variable of table `t`'s cell (row `i`, column `j`).
pub fn cell_var(t: &FigTable, key: &str, i: usize, j: usize) -> Var {
    Var::cell(
        &format!("{} / {key} / kolom {}", t.id, j + 1),
        FIGURE_LIST,
        &place(t, i, j),
        &format!("tabel {}", t.id),
    )
}

fn unique_keys(t: &FigTable) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    t.rijen
        .iter()
        .map(|row| {
            let n = seen.entry(row.kop.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                row.kop.clone()
            } else {
                format!("{}#{n}", row.kop)
            }
        })
        .collect()
}

/// Reads a count table into the model and adds its own sums; returns its grid.
pub fn read_table(m: &mut Model, t: &FigTable) -> Grid {
    let keys = unique_keys(t);
    let mut g = Grid {
        total_key: t
            .rijen
            .iter()
            .position(|r| r.totaal)
            .map(|i| keys[i].clone()),
        keys: keys.clone(),
        ..Grid::default()
    };
    for (i, (row, key)) in t.rijen.iter().zip(&keys).enumerate() {
        for (j, c) in row.cellen.iter().enumerate() {
            if let Some(v) = m.cell(cell_var(t, key, i, j), c) {
                g.cells.insert((key.clone(), j), v);
            }
        }
    }
    let ncols = t.kolommen.len().saturating_sub(1);
    let rows = &t.rijen;
    let hierarchy = rows.iter().any(|r| r.deel_van.is_some());
    // row totals
    if t.totaal_kolom && ncols >= 2 {
        for k in &keys {
            let parts: Option<Vec<usize>> = (0..ncols - 1).map(|j| g.get(k, j)).collect();
            if let (Some(parts), Some(tot)) = (parts, g.get(k, ncols - 1)) {
                m.eq(tot, parts);
            }
        }
    }
    // column totals (the total row), over parents only in a hierarchy
    if let Some(tr) = rows.iter().position(|r| r.totaal) {
        let parts_rows: Vec<usize> = (0..rows.len())
            .filter(|&i| !rows[i].totaal && (!hierarchy || rows[i].deel_van.is_none()))
            .collect();
        for j in 0..ncols {
            let parts: Option<Vec<usize>> =
                parts_rows.iter().map(|&i| g.get(&keys[i], j)).collect();
            if let (Some(parts), Some(tot)) = (parts, g.get(&keys[tr], j)) {
                m.eq(tot, parts);
            }
        }
    }
    // a hierarchy: each parent is the sum of its children
    if hierarchy {
        for i in 0..rows.len() {
            let kids: Vec<usize> = (0..rows.len())
                .filter(|&c| rows[c].deel_van == Some(i))
                .filter_map(|c| g.get(&keys[c], 0))
                .collect();
            if let (false, Some(p)) = (kids.is_empty(), g.get(&keys[i], 0)) {
                m.eq(p, kids);
            }
        }
    }
    g
}

/// One key figure: its numerator and denominator as model variables, where printed.
pub type KeyFigures = BTreeMap<String, (Option<usize>, Option<usize>)>;

/// The key table: per indicator name, (numerator, denominator) for this period; a basis
/// "31 van 36" gives both and the unprinted complement, "n = 36" the denominator, a
/// count its value. Shown percentages become ratios.
pub fn read_key_table(m: &mut Model, t: &FigTable) -> KeyFigures {
    let mut out = KeyFigures::new();
    for (i, row) in t.rijen.iter().enumerate() {
        let (Some(value), basis) = (
            row.cellen.first(),
            row.cellen.get(1).map_or("", |c| c.tekst.as_str()),
        ) else {
            continue;
        };
        let var = |part: &str, what: &str| {
            Var::cell(
                &format!("kerncijfers / {} / {part}", row.kop),
                FIGURE_LIST,
                &format!("{}, {what}", place(t, i, 1)),
                &format!("tabel {}", t.id),
            )
        };
        if let Some((a, b)) = basis.split_once(" van ") {
            let num = m.text(var("teller", "teller"), a);
            let den = m.text(var("noemer", "noemer"), b);
            let rest = m.unknown(var("complement", "noemer min teller (niet gedrukt)"));
            m.eq(den, vec![num, rest]);
            if !value.onderdrukt {
                m.percentage(num, den, &value.tekst);
            }
            out.insert(row.kop.clone(), (Some(num), Some(den)));
        } else if let Some(n) = basis.strip_prefix("n = ") {
            let den = m.text(var("n", "n"), n);
            out.insert(row.kop.clone(), (None, Some(den)));
        } else if value.soort == "aantal" {
            let v = m.cell(
                Var::cell(
                    &format!("kerncijfers / {} / waarde", row.kop),
                    FIGURE_LIST,
                    &place(t, i, 0),
                    &format!("tabel {}", t.id),
                ),
                value,
            );
            out.insert(row.kop.clone(), (v, None));
        }
    }
    out
}
