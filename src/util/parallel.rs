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
