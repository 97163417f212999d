//! Small building blocks used by several stages, one copy each.
//!
//! - [`hash`]: a fast deterministic hasher and the maps built on it.
//! - [`rng`]: a tiny deterministic random generator (SplitMix64) and its mixing function.
//! - [`heap`]: a max-heap with four children per node, for large priority queues.
//! - [`parallel`]: how many threads a job of a given size gets.
//! - [`normalize`]: normalising coded values and suggesting the nearest code.
//! - [`sets`]: set similarity (Jaccard).
//!
//! ```
//! use rodedraad::util::rng::SplitMix64;
//! let mut a = SplitMix64::new(7);
//! let mut b = SplitMix64::new(7);
//! assert_eq!(a.next_u64(), b.next_u64());
//! ```

pub mod hash;
pub mod heap;
pub mod normalize;
pub mod parallel;
pub mod rng;
pub mod sets;
