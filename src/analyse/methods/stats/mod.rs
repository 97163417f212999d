//! Pure statistical functions used by the indicator and signal analyses: proportions with
//! Wilson intervals, order statistics, Kaplan-Meier survival for lead times, disproportionality
//! measures for 2x2 tables (IC, PRR, ROR, chi-square, Fisher), Benjamini-Hochberg FDR control and
//! EARS C1/C2/C3 aberration detection. No I/O, no allocation beyond result vectors, no panics on
//! degenerate input (see each function for what it returns then).
//!
//! ```ignore
//! use crate::analyse::methods::stats::{wilson, median, benjamini_hochberg};
//! let (lo, hi) = wilson(81, 263).unwrap(); // (0.2553, 0.3662)
//! assert!(lo < 81.0 / 263.0 && 81.0 / 263.0 < hi);
//! assert_eq!(median(&[1.0, 2.0, 4.0, 9.0]), Some(3.0));
//! let (rejected, adjusted) = benjamini_hochberg(&[0.001, 0.2, 0.03], 0.05);
//! assert_eq!(rejected, vec![true, false, true]); // adjusted: 0.003, 0.2, 0.045
//! ```
//!
//! Numerical helpers (`ln_gamma`, `erfc`, `norm_quantile`, and the regularised incomplete gamma
//! behind them) are implemented here from the textbook algorithms (Lanczos approximation,
//! series / continued fraction for the incomplete gamma, Halley-refined normal quantile), so
//! the crate needs no numerical dependency.

mod disproportionality;
mod ears;
mod proportions;
mod significance;
mod special;
mod survival;
#[cfg(test)]
mod tests;

pub use disproportionality::*;
pub use ears::*;
pub use proportions::*;
pub use significance::*;
pub use special::*;
pub use survival::*;
