//! Set similarity, used to match threads to planted truth, threads across runs and
//! lessons to each other.
//!
//! ```
//! use rodedraad::util::sets::jaccard;
//! use std::collections::BTreeSet;
//! let a: BTreeSet<&str> = ["x", "y"].into_iter().collect();
//! let b: BTreeSet<&str> = ["y", "z"].into_iter().collect();
//! assert!((jaccard(&a, &b) - 1.0 / 3.0).abs() < 1e-12);
//! ```

use std::collections::BTreeSet;

/// |a ∩ b| / |a ∪ b|; 0 for two empty sets.
pub fn jaccard<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        0.0
    } else {
        a.intersection(b).count() as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_share() {
        let s = |v: &[u32]| v.iter().copied().collect::<BTreeSet<u32>>();
        assert_eq!(jaccard(&s(&[]), &s(&[])), 0.0);
        assert_eq!(jaccard(&s(&[1, 2]), &s(&[1, 2])), 1.0);
        assert_eq!(jaccard(&s(&[1]), &s(&[2])), 0.0);
        assert_eq!(jaccard(&s(&[1, 2, 3, 4]), &s(&[3, 4])), 0.5);
    }
}
