//! Spreading the generation of many independent items over the available cores.
//!
//! ```ignore
//! let squares = par_map(100_000, |i| i * i);
//! assert_eq!(squares[12], 144);
//! ```

/// Below this many items one thread is faster than starting several.
const PARALLEL_FROM: usize = 50_000;

/// `(0..n).map(f).collect()`, spread over the available cores for large n. Each item
/// depends only on its index, so the result does not depend on the number of threads.
pub(super) fn par_map<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = thread_count(n);
    if threads <= 1 {
        return (0..n).map(f).collect();
    }
    let chunk = n.div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t * chunk..((t + 1) * chunk).min(n))
                        .map(f)
                        .collect::<Vec<T>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(n);
        for h in handles {
            out.extend(h.join().expect("generator thread panicked"));
        }
        out
    })
}

/// Threads for `n` items: one for small jobs, else the cores available (at most 8).
fn thread_count(n: usize) -> usize {
    crate::util::parallel::threads_for(n, PARALLEL_FROM, 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_order() {
        let v = par_map(120_001, |i| i as u64 * 3);
        assert_eq!(v.len(), 120_001);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64 * 3));
        assert_eq!(par_map(3, |i| i), [0, 1, 2]);
    }
}
