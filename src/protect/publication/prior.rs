//! What the report of the previous period published, as this report's protection needs
//! it: per table, row and column title, the count it showed or that it hid.
//!
//! A reader of this report has the earlier one too. Where this report prints a count of
//! the previous period that the earlier report printed as well (the previous period's
//! column of the intake tables, its quarters, its cohorts' intake, the flow's open
//! cases), the two must agree on what is hidden, or the reader puts the two side by side
//! and works the hidden count out. So a count the earlier report showed (with the same
//! value) is a count the reader has: this report shows it too, and its protection may not
//! rest on hiding it. A count the earlier report hid stays hidden.
//!
//! ```
//! use rodedraad::protect::publication::prior::{Earlier, Prior};
//! use rodedraad::protect::tables::{PubCell, PubRow, PubTable};
//! let t = PubTable {
//!     id: "instroom-dienst".into(),
//!     titel: "Ontvangen casussen per dienst".into(),
//!     kolommen: vec!["Dienst".into(), "Tweede halfjaar 2025".into()],
//!     rijen: vec![PubRow { kop: "Belastingdienst".into(), cellen: vec![PubCell::count(21)], totaal: false, deel_van: None }],
//!     voetnoten: vec![],
//!     totaal_kolom: false,
//! };
//! let prior = Prior::from_tables(&[t]);
//! assert_eq!(prior.get("instroom-dienst", "Belastingdienst", "Tweede halfjaar 2025"), Some(Earlier::Shown(21)));
//! assert_eq!(prior.get("instroom-dienst", "Douane", "Tweede halfjaar 2025"), None);
//! ```

use crate::protect::suppress::{CellStatus, LinkedSystem};
use crate::protect::tables::PubTable;
use std::collections::BTreeMap;

/// The intake block of the earlier report as its protection solved it: the system, each
/// cell's status and each ratio's fate, and the system cell of every printed count by
/// (table id, row head, column title). With it, this report's protection holds the
/// earlier report's whole system, not only the counts the two print alike.
#[derive(Debug, Clone)]
pub struct SolvedBlock {
    pub system: LinkedSystem,
    pub status: Vec<CellStatus>,
    pub ratios_shown: Vec<bool>,
    pub printed: BTreeMap<(String, String, String), usize>,
}

impl SolvedBlock {
    /// The system cell of the count printed at (`table`, `row`, `column`).
    pub fn cell_of(&self, table: &str, row: &str, column: &str) -> Option<usize> {
        self.printed
            .get(&(table.to_string(), row.to_string(), column.to_string()))
            .copied()
    }
}

/// How the earlier report printed a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Earlier {
    Shown(u64),
    Hidden,
}

/// The counts of the earlier report by (table id, row head, column title).
#[derive(Debug, Clone, Default)]
pub struct Prior {
    cells: BTreeMap<(String, String, String), Earlier>,
    block: Option<SolvedBlock>,
}

impl Prior {
    /// The counts of the tables of the earlier report (its `tabellen.json`). Rows whose
    /// head repeats within a table are left out: they cannot be told apart by name.
    pub fn from_tables(tables: &[PubTable]) -> Prior {
        let mut cells = BTreeMap::new();
        let mut repeated = Vec::new();
        for t in tables {
            for row in &t.rijen {
                for (cell, col) in row.cellen.iter().zip(t.kolommen.iter().skip(1)) {
                    let earlier = if cell.onderdrukt {
                        Earlier::Hidden
                    } else {
                        match (cell.soort, cell.waarde) {
                            (crate::protect::tables::CellKind::Count, Some(v)) if v >= 0.0 => {
                                Earlier::Shown(v.round() as u64)
                            }
                            _ => continue,
                        }
                    };
                    let key = (t.id.clone(), row.kop.clone(), col.clone());
                    if cells.insert(key.clone(), earlier).is_some() {
                        repeated.push(key);
                    }
                }
            }
        }
        for k in repeated {
            cells.remove(&k);
        }
        Prior { cells, block: None }
    }

    /// [`Prior::from_tables`] of a report made in this run, with its solved intake block.
    pub fn with_block(tables: &[PubTable], block: Option<SolvedBlock>) -> Prior {
        Prior {
            block,
            ..Prior::from_tables(tables)
        }
    }

    /// Whether both print the same counts, shown and hidden alike, at the same places.
    pub fn prints_as(&self, other: &Prior) -> bool {
        self.cells == other.cells
    }

    /// The earlier report's solved intake block, when it was made in this run.
    pub fn block(&self) -> Option<&SolvedBlock> {
        self.block.as_ref()
    }

    /// How the earlier report printed the count of `table`, row `row`, column `column`;
    /// `None` when it did not print it.
    pub fn get(&self, table: &str, row: &str, column: &str) -> Option<Earlier> {
        self.cells
            .get(&(table.to_string(), row.to_string(), column.to_string()))
            .copied()
    }

    /// Whether the earlier report printed nothing this report can use.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}
