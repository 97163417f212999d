//! Average-link agglomeration restricted to the similarity graph.

use super::*;

/// Summed vector of a group: a single text's vector, or an accumulated map.
pub(super) enum GroupSum {
    Doc(u32),
    Map(FxMap<u32, f32>),
    /// Large groups use a dense array (cheaper look-ups than hashing).
    Dense(Vec<f32>),
}

/// Groups with at least this many members keep their summed vector as a dense array, as long
/// as all dense arrays together stay within [`DENSE_BUDGET_BYTES`].
pub(super) const DENSE_MIN_SIZE: u32 = 64;
pub(super) const DENSE_BUDGET_BYTES: usize = 256 << 20;
/// A map-summed group is spread into the dense scratch for a linkage when it has at most
/// this many times the entries of the other group (spreading costs one pass over its map;
/// hashing costs a probe per entry of the other group).
pub(super) const SCATTER_FACTOR: usize = 4;

#[derive(Debug, Clone, Copy)]
pub(super) struct HeapEntry {
    pub(super) sim: f64,
    pub(super) a: u32,
    pub(super) b: u32,
    /// Group sizes when `sim` was computed.
    pub(super) sa: u32,
    pub(super) sb: u32,
}

impl PartialEq for HeapEntry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for HeapEntry {}
impl PartialOrd for HeapEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapEntry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sim.total_cmp(&other.sim).then_with(|| {
            (other.a, other.b, other.sa, other.sb).cmp(&(self.a, self.b, self.sa, self.sb))
        })
    }
}

pub(super) struct Agglomerator<'a> {
    pub(super) vecs: &'a [SparseVec],
    pub(super) dims: usize,
    /// Bytes currently held by dense group sums.
    pub(super) dense_in_use: usize,
    pub(super) parent: Vec<u32>,
    pub(super) size: Vec<u32>,
    pub(super) sums: Vec<GroupSum>,
    /// Dense scratch of `dims` weights for [`Agglomerator::cross_dot`] (all zero between uses).
    scratch: Vec<f32>,
}

pub(super) fn sparse_dot(x: &SparseVec, y: &SparseVec) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f64);
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                s += f64::from(x[i].1) * f64::from(y[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    s
}

impl<'a> Agglomerator<'a> {
    pub(super) fn new(vecs: &'a [SparseVec], dims: usize) -> Self {
        let n = vecs.len();
        Agglomerator {
            vecs,
            dims,
            dense_in_use: 0,
            scratch: Vec::new(),
            parent: (0..n as u32).collect(),
            size: vec![1; n],
            sums: (0..n as u32).map(GroupSum::Doc).collect(),
        }
    }

    pub(super) fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    /// Number of entries `for_each` visits for a group.
    pub(super) fn entry_count(&self, r: u32) -> usize {
        match &self.sums[r as usize] {
            GroupSum::Doc(d) => self.vecs[*d as usize].len(),
            GroupSum::Map(m) => m.len(),
            GroupSum::Dense(v) => v.len(),
        }
    }

    /// Weight of feature `f` in a group's summed vector.
    pub(super) fn lookup(&self, r: u32, f: u32) -> f32 {
        match &self.sums[r as usize] {
            GroupSum::Doc(d) => {
                let v = &self.vecs[*d as usize];
                v.binary_search_by_key(&f, |e| e.0).map_or(0.0, |i| v[i].1)
            }
            GroupSum::Map(m) => m.get(&f).copied().unwrap_or(0.0),
            GroupSum::Dense(v) => v[f as usize],
        }
    }

    /// Mean cosine over all pairs between groups `a` and `b`.
    pub(super) fn linkage(&mut self, a: u32, b: u32) -> f64 {
        let dot = match (&self.sums[a as usize], &self.sums[b as usize]) {
            (GroupSum::Doc(x), GroupSum::Doc(y)) => {
                sparse_dot(&self.vecs[*x as usize], &self.vecs[*y as usize])
            }
            _ => {
                let (small, large) = if self.entry_count(a) <= self.entry_count(b) {
                    (a, b)
                } else {
                    (b, a)
                };
                self.cross_dot(small, large)
            }
        };
        dot / (f64::from(self.size[a as usize]) * f64::from(self.size[b as usize]))
    }

    /// Dot product of two summed vectors: the entries of `small` (in its own order) times
    /// the weights of `large`. When `large` is a map not much larger than `small`, its
    /// weights are first spread into a dense scratch array, so each look-up is an index
    /// rather than a hash probe; the products and their order are the same either way.
    fn cross_dot(&mut self, small: u32, large: u32) -> f64 {
        if let GroupSum::Dense(dense) = &self.sums[large as usize] {
            return dot_with_dense(&self.sums[small as usize], self.vecs, dense);
        }
        let small_count = self.entry_count(small);
        let Agglomerator {
            sums,
            vecs,
            scratch,
            dims,
            ..
        } = self;
        let mut acc = 0.0f64;
        match &sums[large as usize] {
            GroupSum::Map(m) if m.len() <= SCATTER_FACTOR * small_count => {
                if scratch.len() < *dims {
                    scratch.resize(*dims, 0.0);
                }
                for (&f, &w) in m {
                    scratch[f as usize] = w;
                }
                for_each_entry(&sums[small as usize], vecs, |f, w| {
                    if w != 0.0 {
                        acc += f64::from(w) * f64::from(scratch[f as usize]);
                    }
                });
                for &f in m.keys() {
                    scratch[f as usize] = 0.0;
                }
            }
            _ => {
                let this = &*self;
                // Map iteration order is deterministic (fixed hasher).
                for_each_entry(&this.sums[small as usize], this.vecs, |f, w| {
                    if w != 0.0 {
                        acc += f64::from(w) * f64::from(this.lookup(large, f));
                    }
                });
            }
        }
        acc
    }

    /// Merges two roots; returns the surviving root.
    pub(super) fn merge(&mut self, a: u32, b: u32) -> u32 {
        let (keep, gone) = if (self.size[a as usize], std::cmp::Reverse(a))
            >= (self.size[b as usize], std::cmp::Reverse(b))
        {
            (a, b)
        } else {
            (b, a)
        };
        let new_size = self.size[keep as usize] + self.size[gone as usize];
        let gone_sum = std::mem::replace(&mut self.sums[gone as usize], GroupSum::Doc(gone));
        let vecs = self.vecs;
        let keep_sum = &mut self.sums[keep as usize];
        if let GroupSum::Doc(d) = *keep_sum {
            let v = &vecs[d as usize];
            let mut m: FxMap<u32, f32> =
                FxMap::with_capacity_and_hasher(v.len() * 2, Default::default());
            m.extend(v.iter().copied());
            *keep_sum = GroupSum::Map(m);
        }
        let dense_bytes = self.dims * std::mem::size_of::<f32>();
        if new_size >= DENSE_MIN_SIZE && self.dense_in_use + dense_bytes <= DENSE_BUDGET_BYTES {
            if let GroupSum::Map(m) = keep_sum {
                self.dense_in_use += dense_bytes;
                let mut dense = vec![0f32; self.dims];
                for (&f, &w) in m.iter() {
                    dense[f as usize] = w;
                }
                *keep_sum = GroupSum::Dense(dense);
            }
        }
        if matches!(gone_sum, GroupSum::Dense(_)) {
            self.dense_in_use -= dense_bytes;
        }
        match keep_sum {
            GroupSum::Map(m) => for_each_entry(&gone_sum, vecs, |f, w| {
                *m.entry(f).or_insert(0.0) += w;
            }),
            GroupSum::Dense(v) => for_each_entry(&gone_sum, vecs, |f, w| {
                v[f as usize] += w;
            }),
            GroupSum::Doc(_) => unreachable!("converted above"),
        }
        self.parent[gone as usize] = keep;
        self.size[keep as usize] = new_size;
        keep
    }

    /// Squared norm of a root's summed vector.
    pub(super) fn sum_norm2(&self, r: u32) -> f64 {
        let mut acc = 0.0f64;
        for_each_entry(&self.sums[r as usize], self.vecs, |_, w| {
            acc += f64::from(w) * f64::from(w);
        });
        acc
    }
}

/// The dot product of a summed vector (its entries in their own order, as
/// [`for_each_entry`] visits them) with dense weights: the same products added in the same
/// order as looking each weight up with [`Agglomerator::lookup`].
fn dot_with_dense(sum: &GroupSum, vecs: &[SparseVec], dense: &[f32]) -> f64 {
    let mut acc = 0.0f64;
    match sum {
        GroupSum::Dense(v) => {
            for (&w, &d) in v.iter().zip(dense) {
                if w != 0.0 {
                    acc += f64::from(w) * f64::from(d);
                }
            }
        }
        _ => for_each_entry(sum, vecs, |f, w| {
            if w != 0.0 {
                acc += f64::from(w) * f64::from(dense[f as usize]);
            }
        }),
    }
    acc
}

/// Calls `f(feature, weight)` for every stored entry of a summed vector.
pub(super) fn for_each_entry(sum: &GroupSum, vecs: &[SparseVec], mut f: impl FnMut(u32, f32)) {
    match sum {
        GroupSum::Doc(d) => vecs[*d as usize].iter().for_each(|&(k, w)| f(k, w)),
        GroupSum::Map(m) => m.iter().for_each(|(&k, &w)| f(k, w)),
        GroupSum::Dense(v) => v
            .iter()
            .enumerate()
            .filter(|(_, w)| **w != 0.0)
            .for_each(|(k, &w)| f(k as u32, w)),
    }
}

/// The heap entry of a graph edge between two single texts (`a < b`).
fn edge_entry(e: &Edge) -> HeapEntry {
    HeapEntry {
        sim: e.sim,
        a: e.a,
        b: e.b,
        sa: 1,
        sb: 1,
    }
}

/// True when a group that had `scored` members when its linkage was computed has not grown by
/// more than [`STALE_TOLERANCE`] since.
#[inline]
pub(super) fn still_valid(now: u32, scored: u32) -> bool {
    f64::from(now) <= f64::from(scored) * (1.0 + STALE_TOLERANCE)
}

/// Average-link agglomeration over the candidate graph; returns the final union-find state.
///
/// Heap entries carry the group sizes at which they were scored. Groups only grow, so an
/// entry for two current roots whose sizes are unchanged is exact; if a group grew by at most
/// [`STALE_TOLERANCE`] the stored value is still accepted (a mean over many pairs barely moves),
/// otherwise the linkage is recomputed and the entry re-queued.
pub(super) fn agglomerate(
    vecs: &[SparseVec],
    dims: usize,
    edges: Vec<Edge>,
    link_threshold: f64,
) -> Agglomerator<'_> {
    let mut ag = Agglomerator::new(vecs, dims);
    // The initial edges are consumed as a sorted stream (best first, in the order of their
    // heap entries); only re-scored entries go through the heap, which keeps the heap small.
    // The stream is the edges themselves, filtered and sorted in place (no second copy).
    let mut stream = edges;
    stream.retain(|e| e.sim >= link_threshold);
    for e in &mut stream {
        (e.a, e.b) = (e.a.min(e.b), e.a.max(e.b));
    }
    stream.sort_unstable_by_key(|e| std::cmp::Reverse(edge_entry(e)));
    let mut next_edge = 0usize;
    let mut heap: BinaryHeap<HeapEntry> = BinaryHeap::new();
    // Root pairs already scored, with the sizes at scoring: either an up-to-date entry is
    // queued, or the pair was found below the threshold.
    let mut scored: FxMap<(u32, u32), (u32, u32)> = FxMap::default();
    loop {
        let from_stream = match (stream.get(next_edge).map(edge_entry), heap.peek()) {
            (Some(s), Some(h)) => s >= *h,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let e = if from_stream {
            next_edge += 1;
            edge_entry(&stream[next_edge - 1])
        } else {
            heap.pop().expect("peeked")
        };
        let ra = ag.find(e.a);
        let rb = ag.find(e.b);
        if ra == rb {
            continue;
        }
        let (ra, rb) = (ra.min(rb), ra.max(rb));
        let (na, nb) = (ag.size[ra as usize], ag.size[rb as usize]);
        if e.a == ra && e.b == rb && still_valid(na, e.sa) && still_valid(nb, e.sb) {
            ag.merge(ra, rb);
            continue;
        }
        if let Some(&(sa, sb)) = scored.get(&(ra, rb)) {
            if still_valid(na, sa) && still_valid(nb, sb) {
                continue; // scored recently enough: queued already, or below the threshold
            }
        }
        let s = ag.linkage(ra, rb);
        scored.insert((ra, rb), (na, nb));
        if s >= link_threshold {
            heap.push(HeapEntry {
                sim: s,
                a: ra,
                b: rb,
                sa: na,
                sb: nb,
            });
        }
    }
    ag
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dot product by hash look-ups only, in the order of the smaller group.
    fn hashed_linkage(ag: &Agglomerator, a: u32, b: u32) -> f64 {
        let (small, large) = if ag.entry_count(a) <= ag.entry_count(b) {
            (a, b)
        } else {
            (b, a)
        };
        let mut acc = 0.0f64;
        for_each_entry(&ag.sums[small as usize], ag.vecs, |f, w| {
            if w != 0.0 {
                acc += f64::from(w) * f64::from(ag.lookup(large, f));
            }
        });
        acc / (f64::from(ag.size[a as usize]) * f64::from(ag.size[b as usize]))
    }

    #[test]
    fn scattered_linkage_is_bitwise_the_hashed_one() {
        let (texts, _) = bench_corpus(400, 4, 9);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let corpus = build_corpus(&refs, &TextConfig::default());
        let mut ag = Agglomerator::new(&corpus.vecs, corpus.dims);
        // Groups of very different sizes: single texts, small maps, one large (dense) group.
        let mut roots: Vec<u32> = Vec::new();
        for (start, len) in [(0u32, 1u32), (1, 2), (3, 5), (8, 9), (17, 30), (47, 80)] {
            let mut r = start;
            for d in start + 1..start + len {
                r = ag.merge(r, d);
            }
            roots.push(r);
        }
        for &a in &roots {
            for &b in &roots {
                if a == b {
                    continue;
                }
                let expected = hashed_linkage(&ag, a, b);
                assert_eq!(ag.linkage(a, b).to_bits(), expected.to_bits(), "{a}-{b}");
            }
        }
        assert!(ag.scratch.iter().all(|&w| w == 0.0), "scratch left dirty");
    }
}
