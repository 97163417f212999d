//! The generator's random numbers: SplitMix64 with independent streams.
//!
//! Every draw comes from a stream named by (seed, purpose, index), so an item's values
//! depend only on its own stream, never on the order or the thread in which items are made.
//!
//! ```ignore
//! let mut rng = Rng::stream(2025, 1, 0);
//! let thema = rng.weighted(&[("toeslagen", 3.0), ("douane", 1.0)]);
//! ```

use crate::util::rng::{mix64, SplitMix64};

/// A SplitMix64 stream.
pub(super) struct Rng(SplitMix64);

impl Rng {
    /// Independent stream for (seed, purpose, index).
    pub(super) fn stream(seed: u64, purpose: u64, index: u64) -> Rng {
        Rng(SplitMix64::new(mix64(
            mix64(seed ^ 0x5851_f42d_4c95_7f2d)
                .wrapping_add(mix64((purpose.wrapping_add(1) << 40) ^ index)),
        )))
    }

    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in [0, 1).
    pub(super) fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n.
    pub(super) fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform integer in [lo, hi].
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Standard normal (Box-Muller).
    pub(super) fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    pub(super) fn pick(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }

    /// Index drawn with probability proportional to the weights.
    pub(super) fn weighted_index(&mut self, weights: impl Iterator<Item = f64> + Clone) -> usize {
        let total: f64 = weights.clone().sum();
        let mut x = self.f64() * total;
        let mut last = 0;
        for (i, w) in weights.enumerate() {
            if x < w {
                return i;
            }
            x -= w;
            if w > 0.0 {
                last = i;
            }
        }
        last
    }

    /// A code drawn with probability proportional to its weight.
    pub(super) fn weighted<'a>(&mut self, table: &[(&'a str, f64)]) -> &'a str {
        table[self.weighted_index(table.iter().map(|t| t.1))].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prng_is_splitmix64() {
        // Reference values of SplitMix64 with state 0 (Vigna's splitmix64.c).
        let mut r = Rng(SplitMix64::new(0));
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(r.next_u64(), 0x06c4_5d18_8009_454f);
    }
}
