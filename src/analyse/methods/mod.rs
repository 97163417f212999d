//! The statistical and text methods the indicators and rode draden rest on,
//! each tested against published numbers (`docs/domein.md#gepubliceerde-getallen`).
//!
//! - [`stats`]: Wilson intervals, quantiles, Kaplan-Meier, disproportionality
//!   (PRR, IC), Fisher, Benjamini-Hochberg, EARS.
//! - [`itemsets`]: frequent and closed itemsets.
//! - [`bitset`]: sets of row numbers as bitmaps (AND and popcount).
//! - [`text`]: TF-IDF, stems and character n-grams, MinHash-LSH, clustering.
//!
//! ```
//! let (lo, hi) = rodedraad::analyse::methods::stats::wilson(81, 263).unwrap();
//! assert!(lo < 81.0 / 263.0 && 81.0 / 263.0 < hi);
//! ```

pub mod bitset;
pub mod itemsets;
pub mod poisson;
pub mod stats;
pub mod text;
