//! How many threads a job gets: one for small jobs (threads cost more than
//! they save), the machine's cores for large ones, never more than a cap.
//!
//! ```
//! use rodedraad::util::parallel::threads_for;
//! assert_eq!(threads_for(10, 2_000, 4), 1);
//! assert!(threads_for(1_000_000, 2_000, 4) <= 4);
//! ```

/// Threads for a job of `n` items: 1 below `min_items`, else the available cores up to `max`.
pub fn threads_for(n: usize, min_items: usize, max: usize) -> usize {
    if n < min_items {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, |p| p.get())
        .clamp(1, max.max(1))
}

/// `f` applied to every item on up to `threads` threads, results in item order. Each thread
/// takes the next item not yet taken, so a few expensive items do not leave a thread idle
/// (the right split for a dozen columns of very different cost). The result equals
/// `items.iter().map(f).collect()` whenever `f` depends only on its item.
///
/// ```
/// use rodedraad::util::parallel::par_map;
/// let squares = par_map(&[1, 2, 3, 4, 5], 2, |x| x * x);
/// assert_eq!(squares, vec![1, 4, 9, 16, 25]);
/// ```
pub fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let (f, next) = (&f, &next);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        out.push((i, f(item)));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("thread panicked"))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_item_order_whatever_the_cost_of_each_item() {
        // Items of very different cost finish out of order; the result must not.
        let items: Vec<u64> = (0..200).map(|i| (i * 7919) % 23).collect();
        let slow = |&x: &u64| -> u64 {
            let mut h = x;
            for _ in 0..(x * 2_000) {
                h = h.wrapping_mul(6364136223846793005).wrapping_add(1);
            }
            h ^ x
        };
        let serial: Vec<u64> = items.iter().map(slow).collect();
        for threads in [1, 2, 3, 8, 500] {
            assert_eq!(par_map(&items, threads, slow), serial, "{threads} threads");
        }
        assert!(par_map(&[] as &[u64], 4, slow).is_empty());
    }

    proptest::proptest! {
        /// Any items, any number of threads: the results of a serial map, in input order.
        #[test]
        fn par_map_is_a_serial_map(
            items in proptest::collection::vec(proptest::prelude::any::<u32>(), 0..60),
            threads in 0usize..7,
        ) {
            let f = |x: &u32| u64::from(*x) * 3 + 1;
            let want: Vec<u64> = items.iter().map(f).collect();
            proptest::prop_assert_eq!(par_map(&items, threads, f), want);
        }
    }
}
