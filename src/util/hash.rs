//! A small, fast and deterministic hasher (Fx-style multiply/rotate with a
//! Murmur3 finaliser, so keys whose entropy sits in a few bits still spread).
//!
//! Unlike `RandomState` it gives the same hashes in every run, so the
//! iteration order of maps, and with it the order of floating-point sums,
//! never varies: outputs stay byte-identical.
//!
//! ```
//! use rodedraad::util::hash::{hash_bytes, FxMap};
//! assert_eq!(hash_bytes(b"rode draad"), hash_bytes(b"rode draad"));
//! let mut m: FxMap<&str, u32> = FxMap::default();
//! m.insert("a", 1);
//! assert_eq!(m["a"], 1);
//! ```

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The deterministic hasher.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    state: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    /// Mixes one 64-bit word into the state.
    #[inline]
    pub fn add(&mut self, word: u64) {
        self.state = (self.state.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn finish(&self) -> u64 {
        // Murmur3 fmix64 finaliser.
        let mut h = self.state;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

/// Builds [`FxHasher`]s.
pub type FxBuild = BuildHasherDefault<FxHasher>;
/// A `HashMap` with the deterministic hasher.
pub type FxMap<K, V> = HashMap<K, V, FxBuild>;
/// A `HashSet` with the deterministic hasher.
pub type FxSet<K> = HashSet<K, FxBuild>;

/// The hash of a byte string.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_part_of_the_hash() {
        assert_ne!(hash_bytes(b"ab"), hash_bytes(b"ab\0"));
        assert_ne!(hash_bytes(b""), hash_bytes(b"\0"));
    }

    #[test]
    fn spreads_small_keys() {
        let hs: FxSet<u64> = (0u64..1000)
            .map(|i| {
                let mut h = FxHasher::default();
                h.write_u64(i);
                h.finish() >> 54
            })
            .collect();
        // 1000 keys over 1024 top-bit buckets: a good hash fills most of them.
        assert!(hs.len() > 550, "{}", hs.len());
    }
}
