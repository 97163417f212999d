//! Fixed-size sets of row numbers as bitmaps (one bit per row, 64 rows per word), for counting
//! and listing the rows that have all of a few items: an AND of the items' bitmaps and a
//! popcount, instead of a pass over every row per question.
//!
//! Used by the structural threads, where each item (a theme, a doelgroep, ...) gets the bitmap
//! of the cases that have it; the cases behind a pattern are the AND of its items' bitmaps.
//!
//! ```
//! use rodedraad::analyse::methods::bitset::Bitset;
//! let a = Bitset::from_rows(10, [1, 3, 5, 7]);
//! let b = Bitset::from_rows(10, [3, 4, 5]);
//! assert_eq!(a.and_count(&b), 2);
//! assert_eq!(Bitset::and_all(10, &[&a, &b]).rows(), vec![3, 5]);
//! ```

/// The set bits of `words`, ascending: bit `b` of word `i` is `64 i + b`.
///
/// ```
/// use rodedraad::analyse::methods::bitset::set_bits;
/// let bits: Vec<usize> = set_bits([0b101u64, 1].into_iter()).collect();
/// assert_eq!(bits, vec![0, 2, 64]);
/// ```
pub fn set_bits(words: impl Iterator<Item = u64>) -> impl Iterator<Item = usize> {
    words.enumerate().flat_map(|(i, mut word)| {
        std::iter::from_fn(move || {
            (word != 0).then(|| {
                let b = word.trailing_zeros() as usize;
                word &= word - 1;
                i * 64 + b
            })
        })
    })
}

/// A set of rows `0..len` as a bitmap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitset {
    words: Vec<u64>,
    len: usize,
}

impl Bitset {
    /// The empty set over `len` rows.
    pub fn new(len: usize) -> Self {
        Bitset {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// All rows `0..len`.
    pub fn full(len: usize) -> Self {
        let mut b = Bitset {
            words: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        b.clear_tail();
        b
    }

    /// The set of the given rows (each below `len`; repeats are harmless).
    ///
    /// # Panics
    /// When a row is `len` or more.
    pub fn from_rows(len: usize, rows: impl IntoIterator<Item = u32>) -> Self {
        let mut b = Bitset::new(len);
        for r in rows {
            b.insert(r);
        }
        b
    }

    /// Number of rows the set ranges over.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set ranges over no rows at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a row.
    ///
    /// # Panics
    /// When `row` is `len` or more.
    pub fn insert(&mut self, row: u32) {
        let r = row as usize;
        assert!(
            r < self.len,
            "rij {r} buiten de bitmap van {} rijen",
            self.len
        );
        self.words[r / 64] |= 1 << (r % 64);
    }

    /// Whether a row is in the set (false beyond `len`).
    pub fn contains(&self, row: u32) -> bool {
        let r = row as usize;
        r < self.len && self.words[r / 64] & (1 << (r % 64)) != 0
    }

    /// Number of rows in the set.
    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// Number of rows in both sets (sets over different lengths: the shorter one counts).
    pub fn and_count(&self, other: &Bitset) -> u64 {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| u64::from((a & b).count_ones()))
            .sum()
    }

    /// Keeps only the rows that are also in `other`.
    pub fn and_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
        let n = other.words.len().min(self.words.len());
        self.words[n..].fill(0);
    }

    /// The rows in all of `sets` (all rows `0..len` when `sets` is empty).
    pub fn and_all(len: usize, sets: &[&Bitset]) -> Bitset {
        let Some((first, rest)) = sets.split_first() else {
            return Bitset::full(len);
        };
        let mut out = Bitset::new(len);
        let n = out.words.len().min(first.words.len());
        out.words[..n].copy_from_slice(&first.words[..n]);
        for s in rest {
            out.and_with(s);
        }
        out.clear_tail();
        out
    }

    /// Number of rows in all of `sets` (every row `0..len` when `sets` is empty), without
    /// building the intersection. Sets over different lengths: rows beyond the shortest
    /// do not count.
    pub fn and_count_all(len: usize, sets: &[&Bitset]) -> u64 {
        let Some((first, rest)) = sets.split_first() else {
            return len as u64;
        };
        let words = rest
            .iter()
            .map(|s| s.words.len())
            .fold(first.words.len(), usize::min);
        (0..words)
            .map(|w| {
                let x = rest.iter().fold(first.words[w], |x, s| x & s.words[w]);
                u64::from(x.count_ones())
            })
            .sum()
    }

    /// Calls `f` with every row in all of `sets` (at least one set), ascending, without
    /// building the intersection. Sets over different lengths: rows beyond the shortest
    /// are left out.
    pub fn for_each_in_all(sets: &[&Bitset], mut f: impl FnMut(u32)) {
        let Some((first, rest)) = sets.split_first() else {
            return;
        };
        let words = rest
            .iter()
            .map(|s| s.words.len())
            .fold(first.words.len(), usize::min);
        let both = (0..words).map(|w| rest.iter().fold(first.words[w], |x, s| x & s.words[w]));
        for row in set_bits(both) {
            f(row as u32);
        }
    }

    /// The rows in the set, ascending.
    pub fn rows(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.count() as usize);
        out.extend(set_bits(self.words.iter().copied()).map(|r| r as u32));
        out
    }

    /// Clears the bits beyond `len` in the last word.
    fn clear_tail(&mut self) {
        if !self.len.is_multiple_of(64) {
            if let Some(last) = self.words.last_mut() {
                *last &= (1u64 << (self.len % 64)) - 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::rng::SplitMix64;

    /// The rows of `n` in which a random draw sets about `share` of the rows.
    fn random_rows(rng: &mut SplitMix64, n: u32, share: f64) -> Vec<u32> {
        (0..n).filter(|_| rng.unit() < share).collect()
    }

    #[test]
    fn and_count_and_rows_match_a_plain_intersection() {
        let mut rng = SplitMix64::new(7);
        // Lengths around word boundaries and rows at the edges.
        for n in [0u32, 1, 63, 64, 65, 127, 128, 129, 1000] {
            for share in [0.0, 0.01, 0.5, 1.0] {
                let a = random_rows(&mut rng, n, share);
                let b = random_rows(&mut rng, n, 0.5);
                let c = random_rows(&mut rng, n, 0.9);
                let (ba, bb, bc) = (
                    Bitset::from_rows(n as usize, a.iter().copied()),
                    Bitset::from_rows(n as usize, b.iter().copied()),
                    Bitset::from_rows(n as usize, c.iter().copied()),
                );
                let plain: Vec<u32> = a
                    .iter()
                    .copied()
                    .filter(|x| b.contains(x) && c.contains(x))
                    .collect();
                let and = Bitset::and_all(n as usize, &[&ba, &bb, &bc]);
                assert_eq!(and.rows(), plain, "n={n} share={share}");
                assert_eq!(and.count(), plain.len() as u64);
                let ab = a.iter().filter(|x| b.contains(x)).count() as u64;
                assert_eq!(ba.and_count(&bb), ab);
                assert_eq!(ba.rows(), a);
                assert_eq!(ba.count(), a.len() as u64);
                assert!(a.iter().all(|&x| ba.contains(x)));
                assert!(!ba.contains(n), "voorbij het einde");
            }
        }
    }

    #[test]
    fn counting_and_walking_the_intersection_match_and_all() {
        let mut rng = SplitMix64::new(21);
        for n in [1u32, 63, 64, 65, 200, 1000, 4097] {
            for k in 1..=4 {
                let rows: Vec<Vec<u32>> = (0..k)
                    .map(|_| {
                        let share = rng.unit();
                        random_rows(&mut rng, n, share)
                    })
                    .collect();
                let sets: Vec<Bitset> = rows
                    .iter()
                    .map(|r| Bitset::from_rows(n as usize, r.iter().copied()))
                    .collect();
                let refs: Vec<&Bitset> = sets.iter().collect();
                let plain: Vec<u32> = (0..n)
                    .filter(|x| rows.iter().all(|r| r.contains(x)))
                    .collect();
                assert_eq!(Bitset::and_count_all(n as usize, &refs), plain.len() as u64);
                let mut walked = Vec::new();
                Bitset::for_each_in_all(&refs, |r| walked.push(r));
                assert_eq!(walked, plain, "n={n} k={k}");
            }
        }
        assert_eq!(Bitset::and_count_all(70, &[]), 70);
        let mut none = 0;
        Bitset::for_each_in_all(&[], |_| none += 1);
        assert_eq!(none, 0);
        // Different lengths: rows beyond the shorter set do not count.
        let short = Bitset::from_rows(10, [1, 9]);
        let long = Bitset::from_rows(200, [1, 9, 150]);
        assert_eq!(Bitset::and_count_all(200, &[&long, &short]), 2);
        let mut walked = Vec::new();
        Bitset::for_each_in_all(&[&long, &short], |r| walked.push(r));
        assert_eq!(walked, vec![1, 9]);
    }

    #[test]
    fn the_empty_and_is_every_row_and_nothing_beyond() {
        for n in [0usize, 1, 64, 70] {
            let all = Bitset::and_all(n, &[]);
            assert_eq!(all.count(), n as u64);
            assert_eq!(all.rows(), (0..n as u32).collect::<Vec<_>>());
            assert_eq!(Bitset::full(n), all);
            assert_eq!(all.is_empty(), n == 0);
        }
    }

    #[test]
    fn sets_over_different_lengths_count_the_shorter_one() {
        let short = Bitset::from_rows(10, [1, 9]);
        let long = Bitset::from_rows(200, [1, 9, 150]);
        assert_eq!(short.and_count(&long), 2);
        assert_eq!(long.and_count(&short), 2);
        assert_eq!(Bitset::and_all(200, &[&long, &short]).rows(), vec![1, 9]);
    }

    #[test]
    #[should_panic(expected = "buiten de bitmap")]
    fn a_row_beyond_the_length_is_refused() {
        Bitset::new(64).insert(64);
    }
}
