//! Frequent and closed itemsets over transactions, for finding recurring combinations of
//! case characteristics (themes, partners, outcomes) — the raw material of "rode draden".
//!
//! Items are `u32` codes chosen by the caller (e.g. indices into a taxonomy). Items are counted
//! first, transactions are projected onto the frequent items, and longer itemsets are grown
//! depth-first by prefix extension over conditional databases (H-Mine / Eclat style), with the
//! first items spread over the available cores (`std::thread::scope`). Output is
//! deterministic and sorted by (length, items). [`closed`] keeps only closed itemsets and
//! [`tidlist`] gives the transactions behind an itemset (for drill-down to cases).
//!
//! ```ignore
//! use crate::analyse::methods::itemsets::{frequent_itemsets, closed, tidlist};
//! let tx = vec![vec![1, 2, 3], vec![1, 2], vec![1, 3], vec![1, 2, 3]];
//! let sets = frequent_itemsets(&tx, 2, 3);
//! // [1]:4 [2]:3 [3]:3 [1,2]:3 [1,3]:3 [2,3]:2 [1,2,3]:2
//! assert_eq!(sets.len(), 7);
//! let closed_sets = closed(&sets); // [1]:4 [1,2]:3 [1,3]:3 [1,2,3]:2
//! assert_eq!(closed_sets.len(), 4);
//! assert_eq!(tidlist(&tx, &[2, 3]), vec![0, 3]);
//! ```

use crate::util::hash::FxMap;
use crate::util::rng::SplitMix64;
use std::time::{Duration, Instant};

/// A set of items (sorted ascending, unique) with its support: the number of transactions
/// that contain all of its items.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Itemset {
    pub items: Vec<u32>,
    pub support: u64,
}

/// Transactions projected onto dense ids of frequent items: flat storage with offsets.
struct Projected {
    data: Vec<u32>,
    offsets: Vec<usize>,
}

impl Projected {
    fn len(&self) -> usize {
        self.offsets.len() - 1
    }
    #[inline]
    fn get(&self, i: usize) -> &[u32] {
        &self.data[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// A conditional database: for one prefix, the parts of the transactions containing it that
/// come after its last item ("suffixes"), stored contiguously. Suffix `k` is
/// `items[bounds[k]..bounds[k + 1]]` (the last one ends at `items.len()`); empty suffixes are
/// left out because they cannot extend the prefix.
struct CondDb {
    items: Vec<u32>,
    bounds: Vec<usize>,
}

impl CondDb {
    fn new() -> Self {
        CondDb {
            items: Vec::new(),
            bounds: Vec::new(),
        }
    }
    #[inline]
    fn push(&mut self, suffix: &[u32]) {
        if !suffix.is_empty() {
            self.bounds.push(self.items.len());
            self.items.extend_from_slice(suffix);
        }
    }
    fn suffixes(&self) -> impl Iterator<Item = &[u32]> {
        let n = self.bounds.len();
        (0..n).map(move |k| {
            let end = if k + 1 < n {
                self.bounds[k + 1]
            } else {
                self.items.len()
            };
            &self.items[self.bounds[k]..end]
        })
    }
}

const NO_SLOT: u32 = u32::MAX;

/// Per-thread, per-depth scratch arrays (indexed by dense item id), reset after each use.
struct Scratch {
    counts: Vec<u32>,
    slot: Vec<u32>,
    touched: Vec<u32>,
}

impl Scratch {
    fn new(f: usize) -> Self {
        Scratch {
            counts: vec![0; f],
            slot: vec![NO_SLOT; f],
            touched: Vec::new(),
        }
    }
}

struct Miner {
    min_support: u32,
    max_len: usize,
}

impl Miner {
    /// Given a frequent `prefix` and its conditional database, emit every frequent extension
    /// `prefix + [c]` and recurse into it while the length limit allows. Each suffix holds
    /// unique items, so counting the items of the database gives exact supports.
    fn grow(
        &self,
        prefix: &mut Vec<u32>,
        db: &CondDb,
        scratch: &mut [Scratch],
        out: &mut Vec<(Vec<u32>, u64)>,
    ) {
        let Some((cur, deeper)) = scratch.split_first_mut() else {
            return;
        };
        for &j in &db.items {
            let c = &mut cur.counts[j as usize];
            if *c == 0 {
                cur.touched.push(j);
            }
            *c += 1;
        }
        cur.touched.sort_unstable();
        let mut children: Vec<(u32, u32)> = Vec::new();
        for &j in &cur.touched {
            let c = cur.counts[j as usize];
            if c >= self.min_support {
                children.push((j, c));
            }
            cur.counts[j as usize] = 0;
        }
        cur.touched.clear();
        for &(c, support) in &children {
            let mut items = Vec::with_capacity(prefix.len() + 1);
            items.extend_from_slice(prefix);
            items.push(c);
            out.push((items, support as u64));
        }
        if children.is_empty() || prefix.len() + 2 > self.max_len {
            return;
        }
        // Conditional databases of the children, built in one sequential pass.
        for (s, &(c, _)) in children.iter().enumerate() {
            cur.slot[c as usize] = s as u32;
        }
        let mut child_dbs: Vec<CondDb> = children.iter().map(|_| CondDb::new()).collect();
        for suffix in db.suffixes() {
            for (q, &j) in suffix.iter().enumerate() {
                let s = cur.slot[j as usize];
                if s != NO_SLOT {
                    child_dbs[s as usize].push(&suffix[q + 1..]);
                }
            }
        }
        for &(c, _) in &children {
            cur.slot[c as usize] = NO_SLOT;
        }
        for (&(c, _), child) in children.iter().zip(child_dbs) {
            prefix.push(c);
            self.grow(prefix, &child, deeper, out);
            prefix.pop();
        }
    }
}

/// Largest total size (in items) of the first-level conditional databases built in one pass.
const BATCH_ITEMS: usize = 1 << 23;

fn thread_count(n: usize) -> usize {
    crate::util::parallel::threads_for(n, 20_000, 8)
}

/// Mine all frequent itemsets of length 2..=max_len over projected transactions with `f`
/// frequent items (dense ids). The first-level conditional databases are built in batches of
/// items (one sequential pass over the transactions per batch, bounded memory); the items of
/// a batch are then mined in parallel.
fn mine(
    tx: &Projected,
    f: usize,
    min_support: u32,
    max_len: usize,
    batch_items: usize,
) -> Vec<(Vec<u32>, u64)> {
    // Size of each item's conditional database.
    let mut sizes = vec![0usize; f];
    for t in 0..tx.len() {
        let t = tx.get(t);
        for (q, &j) in t.iter().enumerate() {
            sizes[j as usize] += t.len() - q - 1;
        }
    }
    let miner = Miner {
        min_support,
        max_len,
    };
    let threads = thread_count(tx.len());
    let mut found: Vec<(Vec<u32>, u64)> = Vec::new();
    let mut lo = 0usize;
    while lo < f {
        let mut hi = lo + 1;
        let mut total = sizes[lo];
        while hi < f && total + sizes[hi] <= batch_items {
            total += sizes[hi];
            hi += 1;
        }
        let mut dbs: Vec<CondDb> = (lo..hi).map(|_| CondDb::new()).collect();
        for (db, &size) in dbs.iter_mut().zip(&sizes[lo..hi]) {
            db.items.reserve_exact(size);
        }
        for t in 0..tx.len() {
            let t = tx.get(t);
            for (q, &j) in t.iter().enumerate() {
                let j = j as usize;
                if j >= hi {
                    break; // items are sorted
                }
                if j >= lo {
                    dbs[j - lo].push(&t[q + 1..]);
                }
            }
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            let mut scratch: Vec<Scratch> = (1..max_len).map(|_| Scratch::new(f)).collect();
            let mut out = Vec::new();
            let mut prefix = Vec::with_capacity(max_len);
            loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if k >= dbs.len() {
                    break;
                }
                prefix.clear();
                prefix.push((lo + k) as u32);
                miner.grow(&mut prefix, &dbs[k], &mut scratch, &mut out);
            }
            out
        };
        if threads == 1 || hi - lo == 1 {
            found.extend(work());
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
                for h in handles {
                    found.extend(h.join().expect("telthread voor itemsets faalde"));
                }
            });
        }
        lo = hi;
    }
    // Thread scheduling decides the collection order; sorting makes the output deterministic.
    found.sort_unstable_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
    found
}

/// Frequent itemsets with support >= `min_support` (an absolute number of transactions;
/// 0 is treated as 1) and at most `max_len` items, sorted by (length, items).
///
/// Items within a transaction are expected unique and sorted, but duplicates and any order are
/// tolerated (each transaction counts at most once per itemset). Method: items are counted
/// first; transactions are projected onto the frequent items (renumbered densely in ascending
/// order); longer itemsets are then found depth-first by prefix extension over conditional
/// databases (the H-Mine / Eclat family): for a frequent prefix, the transaction suffixes
/// after its last item are copied contiguously and their items counted in small per-depth
/// arrays, so the work is proportional to the number of (prefix, transaction) occurrences,
/// i.e. close to linear in the number of transactions, and memory is bounded by batching the
/// first level. The first items are spread over the available cores; the output is
/// deterministic regardless of the number of threads. Supports above 4,294,967,295 are not
/// supported for itemsets of two or more items (counted in u32).
pub fn frequent_itemsets(
    transactions: &[Vec<u32>],
    min_support: u64,
    max_len: usize,
) -> Vec<Itemset> {
    frequent_itemsets_batched(
        transactions.iter().map(Vec::as_slice),
        min_support,
        max_len,
        BATCH_ITEMS,
    )
}

/// [`frequent_itemsets`] over transactions stored flat: transaction `k` is
/// `data[offsets[k]..offsets[k + 1]]` (so `offsets` has one more entry than there are
/// transactions, starting at 0). Saves the caller a vector per transaction.
///
/// # Panics
/// When the offsets are not ascending or run beyond `data`.
pub fn frequent_itemsets_flat(
    data: &[u32],
    offsets: &[usize],
    min_support: u64,
    max_len: usize,
) -> Vec<Itemset> {
    frequent_itemsets_batched(
        offsets.windows(2).map(|w| &data[w[0]..w[1]]),
        min_support,
        max_len,
        BATCH_ITEMS,
    )
}

/// Item ids below this are counted and renumbered in plain arrays, larger ones in hash maps.
const DENSE_IDS: u32 = 1 << 20;

/// Counts per item id: an array for small ids, a map for the rest.
#[derive(Default)]
struct ItemCounts {
    small: Vec<u64>,
    large: FxMap<u32, u64>,
}

impl ItemCounts {
    #[inline]
    fn add(&mut self, i: u32) {
        if i < DENSE_IDS {
            let i = i as usize;
            if i >= self.small.len() {
                self.small.resize(i + 1, 0);
            }
            self.small[i] += 1;
        } else {
            *self.large.entry(i).or_insert(0) += 1;
        }
    }
    /// The (item, count) pairs with count >= `min`, ascending by item.
    fn at_least(self, min: u64) -> Vec<(u32, u64)> {
        let mut out: Vec<(u32, u64)> = self
            .small
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c >= min)
            .map(|(i, &c)| (i as u32, c))
            .collect();
        let mut large: Vec<(u32, u64)> =
            self.large.into_iter().filter(|&(_, c)| c >= min).collect();
        large.sort_unstable();
        out.extend(large);
        out
    }
}

fn frequent_itemsets_batched<'t>(
    transactions: impl Iterator<Item = &'t [u32]> + Clone,
    min_support: u64,
    max_len: usize,
    batch_items: usize,
) -> Vec<Itemset> {
    let min_support = min_support.max(1);
    if max_len == 0 || transactions.clone().next().is_none() {
        return Vec::new();
    }
    // Level 1: item counts (duplicates within a transaction counted once).
    let mut item_counts = ItemCounts::default();
    let mut buf: Vec<u32> = Vec::new();
    // The transaction itself when sorted and unique, else a sorted, deduplicated copy.
    fn normalised<'a>(t: &'a [u32], buf: &'a mut Vec<u32>) -> &'a [u32] {
        if t.windows(2).all(|w| w[0] < w[1]) {
            return t;
        }
        buf.clear();
        buf.extend_from_slice(t);
        buf.sort_unstable();
        buf.dedup();
        buf
    }
    for t in transactions.clone() {
        for &i in normalised(t, &mut buf) {
            item_counts.add(i);
        }
    }
    let frequent = item_counts.at_least(min_support);
    let mut result: Vec<Itemset> = frequent
        .iter()
        .map(|&(i, c)| Itemset {
            items: vec![i],
            support: c,
        })
        .collect();
    // No itemset can be longer than the number of frequent items.
    let max_len = max_len.min(frequent.len());
    // Supports of longer itemsets are counted in u32 (at most 4,294,967,295 transactions);
    // a threshold above that can only be met by single items.
    if max_len < 2 || min_support > u32::MAX as u64 {
        return result;
    }
    // Dense ids in ascending order of the original ids, so sorted stays sorted.
    let originals: Vec<u32> = frequent.iter().map(|&(i, _)| i).collect();
    let small_end = originals.partition_point(|&i| i < DENSE_IDS);
    let mut dense_small =
        vec![u32::MAX; originals[..small_end].last().map_or(0, |&i| i as usize + 1)];
    for (d, &i) in originals[..small_end].iter().enumerate() {
        dense_small[i as usize] = d as u32;
    }
    let dense_large: FxMap<u32, u32> = originals
        .iter()
        .enumerate()
        .skip(small_end)
        .map(|(d, &i)| (i, d as u32))
        .collect();
    let dense_of = |i: u32| -> Option<u32> {
        if i < DENSE_IDS {
            dense_small
                .get(i as usize)
                .copied()
                .filter(|&d| d != u32::MAX)
        } else {
            dense_large.get(&i).copied()
        }
    };
    let mut data = Vec::new();
    let mut offsets = vec![0usize];
    for t in transactions {
        let start = data.len();
        data.extend(normalised(t, &mut buf).iter().filter_map(|&i| dense_of(i)));
        if data.len() - start < 2 {
            data.truncate(start); // cannot contain a pair
        } else {
            offsets.push(data.len());
        }
    }
    let tx = Projected { data, offsets };
    let found = mine(
        &tx,
        originals.len(),
        min_support as u32,
        max_len,
        batch_items,
    );
    result.extend(found.into_iter().map(|(items, support)| Itemset {
        items: items.iter().map(|&d| originals[d as usize]).collect(),
        support,
    }));
    result
}

/// Closed itemsets: drops every itemset for which a proper superset in `itemsets` has the
/// same support. Input order is preserved. Works for any list (it does not assume the list is
/// downward closed): for each itemset it scans the itemsets with the same support that share
/// its rarest item. Exact duplicates do not remove each other.
pub fn closed(itemsets: &[Itemset]) -> Vec<Itemset> {
    let sorted: Vec<Vec<u32>> = itemsets
        .iter()
        .map(|s| {
            let mut v = s.items.clone();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    // Postings: (support, item) -> indices of itemsets with that support containing the item.
    let mut postings: FxMap<(u64, u32), Vec<usize>> = FxMap::default();
    let mut longest: FxMap<u64, usize> = FxMap::default();
    for (idx, (s, items)) in itemsets.iter().zip(&sorted).enumerate() {
        for &i in items {
            postings.entry((s.support, i)).or_default().push(idx);
        }
        let l = longest.entry(s.support).or_insert(0);
        *l = (*l).max(items.len());
    }
    let empty: Vec<usize> = Vec::new();
    itemsets
        .iter()
        .zip(&sorted)
        .filter(|(s, items)| {
            if longest.get(&s.support).copied().unwrap_or(0) <= items.len() {
                return true; // nothing longer with this support
            }
            if items.is_empty() {
                return false; // any non-empty itemset with the same support is a proper superset
            }
            let shortest = items
                .iter()
                .map(|&i| postings.get(&(s.support, i)).unwrap_or(&empty))
                .min_by_key(|p| p.len())
                .unwrap_or(&empty);
            !shortest.iter().any(|&j| {
                let other = &sorted[j];
                other.len() > items.len() && items.iter().all(|i| other.binary_search(i).is_ok())
            })
        })
        .map(|(s, _)| s.clone())
        .collect()
}

/// Indices (ascending) of the transactions that contain all of `items`; every transaction when
/// `items` is empty.
pub fn tidlist(transactions: &[Vec<u32>], items: &[u32]) -> Vec<u32> {
    let mut wanted = items.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    transactions
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            let is_sorted = t.windows(2).all(|w| w[0] <= w[1]);
            wanted.iter().all(|i| {
                if is_sorted {
                    t.binary_search(i).is_ok()
                } else {
                    t.contains(i)
                }
            })
        })
        .map(|(idx, _)| idx as u32)
        .collect()
}

/// Synthetic transactions for benchmarks: `n` transactions of 8 to 10 distinct items drawn
/// from 150 items with a skewed (power 1.5) popularity, from a fixed seed.
pub fn synthetic_transactions(n: usize, seed: u64) -> Vec<Vec<u32>> {
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|_| {
            let len = 8 + (rng.next_u64() % 3) as usize;
            let mut t: Vec<u32> = Vec::with_capacity(len);
            while t.len() < len {
                let item = (150.0 * rng.unit().powf(1.5)) as u32;
                if !t.contains(&item) {
                    t.push(item);
                }
            }
            t.sort_unstable();
            t
        })
        .collect()
}

/// Benchmark: mine `n` synthetic transactions (see [`synthetic_transactions`]) with
/// min_support 3 and max_len 3; returns the mining time (data generation excluded).
pub fn bench_itemsets(n: usize) -> Duration {
    let tx = synthetic_transactions(n, 0x5eed);
    let start = Instant::now();
    let sets = frequent_itemsets(&tx, 3, 3);
    let elapsed = start.elapsed();
    std::hint::black_box(sets);
    elapsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The mlxtend `apriori` documentation example, items coded alphabetically.
    const NAMES: [&str; 11] = [
        "Apple",
        "Corn",
        "Dill",
        "Eggs",
        "Ice cream",
        "Kidney Beans",
        "Milk",
        "Nutmeg",
        "Onion",
        "Unicorn",
        "Yogurt",
    ];

    fn code(name: &str) -> u32 {
        NAMES.iter().position(|&n| n == name).unwrap() as u32
    }

    fn mlxtend_transactions() -> Vec<Vec<u32>> {
        let raw: [&[&str]; 5] = [
            &["Milk", "Onion", "Nutmeg", "Kidney Beans", "Eggs", "Yogurt"],
            &["Dill", "Onion", "Nutmeg", "Kidney Beans", "Eggs", "Yogurt"],
            &["Milk", "Apple", "Kidney Beans", "Eggs"],
            &["Milk", "Unicorn", "Corn", "Kidney Beans", "Yogurt"],
            // "Onion" twice on purpose: duplicates must count once.
            &[
                "Corn",
                "Onion",
                "Onion",
                "Kidney Beans",
                "Ice cream",
                "Eggs",
            ],
        ];
        raw.iter()
            .map(|t| t.iter().map(|n| code(n)).collect())
            .collect()
    }

    fn named(sets: &[Itemset]) -> Vec<(Vec<&'static str>, u64)> {
        sets.iter()
            .map(|s| {
                (
                    s.items.iter().map(|&i| NAMES[i as usize]).collect(),
                    s.support,
                )
            })
            .collect()
    }

    #[test]
    fn mlxtend_golden() {
        // mlxtend docs, min_support 0.6 of 5 transactions = 3: 11 itemsets.
        let sets = frequent_itemsets(&mlxtend_transactions(), 3, usize::MAX);
        let expected: Vec<(Vec<&str>, u64)> = vec![
            (vec!["Eggs"], 4),
            (vec!["Kidney Beans"], 5),
            (vec!["Milk"], 3),
            (vec!["Onion"], 3),
            (vec!["Yogurt"], 3),
            (vec!["Eggs", "Kidney Beans"], 4),
            (vec!["Eggs", "Onion"], 3),
            (vec!["Kidney Beans", "Milk"], 3),
            (vec!["Kidney Beans", "Onion"], 3),
            (vec!["Kidney Beans", "Yogurt"], 3),
            (vec!["Eggs", "Kidney Beans", "Onion"], 3),
        ];
        assert_eq!(named(&sets), expected);
        // max_len truncates; min_support 0 behaves as 1.
        assert_eq!(frequent_itemsets(&mlxtend_transactions(), 3, 2).len(), 10);
        assert_eq!(frequent_itemsets(&mlxtend_transactions(), 3, 1).len(), 5);
        assert_eq!(
            frequent_itemsets(&mlxtend_transactions(), 0, 1).len(),
            NAMES.len()
        );
        assert!(frequent_itemsets(&mlxtend_transactions(), 3, 0).is_empty());
        assert!(frequent_itemsets(&[], 1, 3).is_empty());
    }

    #[test]
    fn module_doc_example() {
        let tx = vec![vec![1, 2, 3], vec![1, 2], vec![1, 3], vec![1, 2, 3]];
        let sets = frequent_itemsets(&tx, 2, 3);
        let got: Vec<(Vec<u32>, u64)> = sets.iter().map(|s| (s.items.clone(), s.support)).collect();
        let want: Vec<(Vec<u32>, u64)> = vec![
            (vec![1], 4),
            (vec![2], 3),
            (vec![3], 3),
            (vec![1, 2], 3),
            (vec![1, 3], 3),
            (vec![2, 3], 2),
            (vec![1, 2, 3], 2),
        ];
        assert_eq!(got, want);
        let c: Vec<Vec<u32>> = closed(&sets).into_iter().map(|s| s.items).collect();
        assert_eq!(c, vec![vec![1], vec![1, 2], vec![1, 3], vec![1, 2, 3]]);
        assert_eq!(tidlist(&tx, &[2, 3]), vec![0, 3]);
        // Unsorted transactions with duplicates give the same result.
        let messy = vec![vec![3, 1, 2, 1], vec![2, 1], vec![3, 1, 3], vec![2, 3, 1]];
        assert_eq!(frequent_itemsets(&messy, 2, 3), sets);
        assert_eq!(tidlist(&messy, &[3, 2]), vec![0, 3]);
    }

    #[test]
    fn closed_by_hand() {
        // Of the 11 mlxtend itemsets, these are not closed:
        // Eggs:4 (⊂ Eggs,Kidney Beans:4), Milk:3 (⊂ Kidney Beans,Milk:3),
        // Onion:3, Eggs,Onion:3 and Kidney Beans,Onion:3 (⊂ Eggs,Kidney Beans,Onion:3),
        // Yogurt:3 (⊂ Kidney Beans,Yogurt:3). Five closed itemsets remain.
        let sets = frequent_itemsets(&mlxtend_transactions(), 3, 3);
        let c = closed(&sets);
        let expected: Vec<(Vec<&str>, u64)> = vec![
            (vec!["Kidney Beans"], 5),
            (vec!["Eggs", "Kidney Beans"], 4),
            (vec!["Kidney Beans", "Milk"], 3),
            (vec!["Kidney Beans", "Yogurt"], 3),
            (vec!["Eggs", "Kidney Beans", "Onion"], 3),
        ];
        assert_eq!(named(&c), expected);
    }

    #[test]
    fn closed_on_lists_with_gaps() {
        let s = |items: &[u32], support| Itemset {
            items: items.to_vec(),
            support,
        };
        // {1} and {1,2,3} both support 2, the intermediate {1,2} is absent: {1} is not closed.
        // {2} support 5 has no superset with support 5. Duplicates keep each other.
        let list = vec![
            s(&[1], 2),
            s(&[2], 5),
            s(&[1, 2, 3], 2),
            s(&[4], 1),
            s(&[4], 1),
        ];
        assert_eq!(
            closed(&list),
            vec![s(&[2], 5), s(&[1, 2, 3], 2), s(&[4], 1), s(&[4], 1)]
        );
        // The empty itemset is not closed when a non-empty one has the same support.
        assert_eq!(closed(&[s(&[], 3), s(&[7], 3)]), vec![s(&[7], 3)]);
        assert!(closed(&[]).is_empty());
    }

    #[test]
    fn tidlist_by_hand() {
        let tx = mlxtend_transactions();
        let eggs_onion = tidlist(&tx, &[code("Onion"), code("Eggs")]);
        assert_eq!(eggs_onion, vec![0, 1, 4]);
        assert_eq!(tidlist(&tx, &[code("Apple")]), vec![2]);
        assert_eq!(tidlist(&tx, &[]), vec![0, 1, 2, 3, 4]);
        assert!(tidlist(&tx, &[99]).is_empty());
        // Support of every frequent itemset equals the length of its tidlist.
        for s in frequent_itemsets(&tx, 2, 4) {
            assert_eq!(tidlist(&tx, &s.items).len() as u64, s.support, "{s:?}");
        }
    }

    #[test]
    fn many_items_and_long_itemsets() {
        // 3000 frequent items and itemsets up to length 12.
        // Each ring pair [i, i+1 mod 3000] occurs 3 times (items: 6 times each), and the block
        // 100..=111 occurs 3 times.
        let mut tx: Vec<Vec<u32>> = Vec::new();
        for _ in 0..3 {
            tx.extend((0..3000u32).map(|i| vec![i, (i + 1) % 3000]));
            tx.push((100..112).collect());
        }
        let sets = frequent_itemsets(&tx, 3, 12);
        // Block: all 2^12 - 1 subsets; plus 2988 other single items and 2989 other ring pairs.
        assert_eq!(sets.len(), 4095 + 2988 + 2989);
        let full = sets.last().unwrap();
        assert_eq!(full.items, (100..112).collect::<Vec<u32>>());
        assert_eq!(full.support, 3);
        assert_eq!(
            sets[0],
            Itemset {
                items: vec![0],
                support: 6
            }
        );
        let find = |items: &[u32]| sets.iter().find(|s| s.items == items).unwrap().support;
        assert_eq!(find(&[100]), 9);
        assert_eq!(find(&[100, 101]), 6); // block + ring
        assert_eq!(find(&[100, 102]), 3); // block only
        assert_eq!(find(&[0, 2999]), 3); // ring wraps around
                                         // Closed: 2988 + 2989 outside the block, the 12 block items (support 9), the 11
                                         // adjacent block pairs (support 6) and the full block; other block subsets are not.
        assert_eq!(closed(&sets).len(), 2988 + 2989 + 12 + 11 + 1);
    }

    #[test]
    fn parallel_matches_brute_force() {
        // 30,000 transactions triggers the multi-threaded path; compare level-3 supports with
        // tidlists computed independently.
        let tx = synthetic_transactions(30_000, 42);
        let sets = frequent_itemsets(&tx, 40, 3);
        assert!(sets.iter().any(|s| s.items.len() == 3));
        for s in sets.iter().step_by(97) {
            assert_eq!(tidlist(&tx, &s.items).len() as u64, s.support, "{s:?}");
        }
        // Small batches of first-level databases give the same result.
        assert_eq!(
            frequent_itemsets_batched(tx.iter().map(Vec::as_slice), 40, 3, 5_000),
            sets
        );
        // Sorted by (len, items) and unique.
        assert!(sets
            .windows(2)
            .all(|w| (w[0].items.len(), &w[0].items) < (w[1].items.len(), &w[1].items)));
    }

    /// Brute force: all subsets (up to max_len) of all transactions, counted in a BTreeMap.
    fn brute(tx: &[Vec<u32>], min_support: u64, max_len: usize) -> Vec<Itemset> {
        use std::collections::{BTreeMap, BTreeSet};
        let mut counts: BTreeMap<(usize, Vec<u32>), u64> = BTreeMap::new();
        for t in tx {
            let items: Vec<u32> = t
                .iter()
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            for mask in 1u32..(1 << items.len()) {
                if (mask.count_ones() as usize) <= max_len {
                    let sub: Vec<u32> = (0..items.len())
                        .filter(|b| mask >> b & 1 == 1)
                        .map(|b| items[b])
                        .collect();
                    *counts.entry((sub.len(), sub)).or_insert(0) += 1;
                }
            }
        }
        counts
            .into_iter()
            .filter(|(_, c)| *c >= min_support)
            .map(|((_, items), support)| Itemset { items, support })
            .collect()
    }

    proptest! {
        #[test]
        fn matches_brute_force(
            tx in proptest::collection::vec(proptest::collection::vec(0u32..12, 0..7), 0..40),
            min_support in 1u64..5,
            max_len in 1usize..5,
        ) {
            prop_assert_eq!(frequent_itemsets(&tx, min_support, max_len), brute(&tx, min_support, max_len));
        }

        /// Flat storage gives what one vector per transaction gives, also with item ids
        /// beyond the array-counted range and unsorted transactions with repeats.
        #[test]
        fn flat_matches_nested_and_brute_force(
            tx in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![0u32..10, (u32::MAX - 4)..=u32::MAX, (DENSE_IDS - 2)..(DENSE_IDS + 2)],
                    0..7,
                ),
                0..40,
            ),
            min_support in 1u64..5,
            max_len in 1usize..5,
        ) {
            let mut data = Vec::new();
            let mut offsets = vec![0usize];
            for t in &tx {
                data.extend_from_slice(t);
                offsets.push(data.len());
            }
            let flat = frequent_itemsets_flat(&data, &offsets, min_support, max_len);
            prop_assert_eq!(&flat, &frequent_itemsets(&tx, min_support, max_len));
            prop_assert_eq!(flat, brute(&tx, min_support, max_len));
        }

        #[test]
        fn closed_matches_definition(
            tx in proptest::collection::vec(proptest::collection::vec(0u32..8, 0..6), 0..30),
        ) {
            let sets = frequent_itemsets(&tx, 2, 8);
            let c = closed(&sets);
            let expected: Vec<Itemset> = sets
                .iter()
                .filter(|s| !sets.iter().any(|o| {
                    o.support == s.support
                        && o.items.len() > s.items.len()
                        && s.items.iter().all(|i| o.items.contains(i))
                }))
                .cloned()
                .collect();
            prop_assert_eq!(c, expected);
        }
    }

    #[test]
    #[ignore = "benchmark; run with --release -- --ignored --nocapture"]
    fn bench_one_million() {
        let tx = synthetic_transactions(1_000_000, 0x5eed);
        let start = Instant::now();
        let sets = frequent_itemsets(&tx, 3, 3);
        let t = start.elapsed();
        let by_len = |k| sets.iter().filter(|s| s.items.len() == k).count();
        println!(
            "1,000,000 transactions: {} itemsets ({} / {} / {}) in {:?}",
            sets.len(),
            by_len(1),
            by_len(2),
            by_len(3),
            t
        );
        let start = Instant::now();
        let c = closed(&sets);
        println!("closed(): {} closed in {:?}", c.len(), start.elapsed());
        println!(
            "bench_itemsets(1_000_000) = {:?}",
            bench_itemsets(1_000_000)
        );
    }
}
