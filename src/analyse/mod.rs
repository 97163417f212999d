//! Analyse: the outcome indicators and the rode draden.
//!
//! - [`period`]: reporting periods and their predecessors.
//! - [`indicators`]: the versioned indicator set, flow, cohorts, process information.
//! - [`draden`]: recurring threads: structural, over time and in the text.
//! - [`stats`], [`itemsets`], [`text`]: the methods they rest on, each tested
//!   against published numbers.

pub mod draden;
pub mod indicators;
pub mod itemsets;
pub mod period;
pub mod stats;
pub mod text;
