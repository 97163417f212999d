//! Average-link agglomeration restricted to the similarity graph.
//!
//! Every group keeps the sum of its members' vectors: a single text's own vector, a sparse
//! vector sorted by feature, or (large groups) a dense array. Whatever the form, the dot
//! product of two sums adds the products of their common features in ascending feature order
//! (in `f64`), and each feature's weight in a sum is accumulated (in `f32`) in merge order,
//! so the linkage values do not depend on which form a group has.
//!
//! ```ignore
//! let ag = agglomerate(&corpus.vecs, corpus.dims, edges, 0.1);
//! let group_of_text_7 = ag.find(7);
//! ```

use super::*;
use crate::analyse::methods::bitset::set_bits;
use crate::util::heap::QuadHeap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex};

/// Summed vector of a group: a single text's vector, a sorted sparse sum, or a dense array.
#[derive(Clone)]
pub(super) enum GroupSum {
    Doc(u32),
    /// (feature, summed weight), sorted by feature.
    Sparse(Vec<(u32, f32)>),
    /// Large groups use a dense array (merging a text into it is one add per feature).
    Dense(DenseSum),
}

/// A dense summed vector with a bitmap of the features that ever received a weight (a
/// superset of its non-zero features), so products and listings visit only those.
#[derive(Clone)]
pub(super) struct DenseSum {
    pub(super) w: Vec<f32>,
    pub(super) touched: Vec<u64>,
}

impl DenseSum {
    /// Bytes held by a dense sum over `dims` features.
    pub(super) fn bytes(dims: usize) -> usize {
        dims * std::mem::size_of::<f32>() + dims.div_ceil(64) * std::mem::size_of::<u64>()
    }

    fn zeros(dims: usize) -> Self {
        DenseSum {
            w: vec![0f32; dims],
            touched: vec![0u64; dims.div_ceil(64)],
        }
    }

    /// Adds `w` to feature `f`.
    #[inline]
    fn add(&mut self, f: u32, w: f32) {
        self.w[f as usize] += w;
        self.touched[f as usize / 64] |= 1u64 << (f % 64);
    }
}

/// Groups with at least this many members keep their summed vector as a dense array, as long
/// as all dense arrays together stay within [`DENSE_BUDGET_BYTES`].
pub(super) const DENSE_MIN_SIZE: u32 = 64;
pub(super) const DENSE_BUDGET_BYTES: usize = 256 << 20;
/// A sorted dot product looks the entries of the shorter vector up by binary search in the
/// longer one when that is more than this many times longer (otherwise one merge pass).
pub(super) const GALLOP_FACTOR: usize = 8;

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
    pub(super) dims: usize,
    /// Bytes currently held by dense group sums, and the most they may hold.
    pub(super) dense_in_use: usize,
    pub(super) dense_budget: usize,
    /// Group sizes as the merging thread sees them (each root's is also in its [`Group`]).
    pub(super) size: Vec<u32>,
    /// What the thread that computes linkages ahead reads as well.
    shared: Arc<Shared<'a>>,
    /// Room for the next merged sparse sum (the previous one's allocation, reused).
    spare: Vec<(u32, f32)>,
    /// Linkages taken from the thread that computes ahead.
    pub(super) ahead_used: usize,
}

/// The union-find forest and the groups' sums, readable from another thread while the
/// merging thread changes them.
struct Shared<'a> {
    vecs: &'a [SparseVec],
    parent: Vec<AtomicU32>,
    /// Per root its size and summed vector, together, so that a reader always gets a size and
    /// the sum of that size. A merge changes the group in place unless a reader still holds
    /// it (then it works on a copy).
    groups: Vec<Mutex<Arc<Group>>>,
}

/// A group as a reader sees it: its size and summed vector.
#[derive(Clone)]
pub(super) struct Group {
    size: u32,
    sum: GroupSum,
}

/// Dot product of two sparse vectors sorted by feature: the products of the common features
/// added in ascending feature order.
pub(super) fn sparse_dot(x: &[(u32, f32)], y: &[(u32, f32)]) -> f64 {
    let (small, large) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if large.len() > GALLOP_FACTOR * small.len() {
        return gallop_dot(small, large);
    }
    merge_dot(x, y)
}

/// Products of the common features found per block of the merge pass.
const MERGE_BLOCK: usize = 64;

/// [`sparse_dot`] by one merge pass over both vectors. The pass has no unpredictable branch:
/// each step writes the product of the current entries to a small buffer and keeps it only
/// when the features are equal; the kept products are then added in order.
fn merge_dot(x: &[(u32, f32)], y: &[(u32, f32)]) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f64);
    let mut buf = [0f64; MERGE_BLOCK];
    while i < x.len() && j < y.len() {
        let mut kept = 0;
        // Each step keeps at most one product, so a block of steps fills at most the buffer.
        for _ in 0..MERGE_BLOCK {
            if i >= x.len() || j >= y.len() {
                break;
            }
            let ((f, w), (g, v)) = (x[i], y[j]);
            buf[kept] = f64::from(w) * f64::from(v);
            kept += usize::from(f == g);
            i += usize::from(f <= g);
            j += usize::from(g <= f);
        }
        for &p in &buf[..kept] {
            s += p;
        }
    }
    s
}

/// [`sparse_dot`] by binary search of each entry of `small` in the rest of `large`.
fn gallop_dot(small: &[(u32, f32)], large: &[(u32, f32)]) -> f64 {
    let mut s = 0.0f64;
    let mut rest = large;
    for &(f, w) in small {
        rest = &rest[rest.partition_point(|e| e.0 < f)..];
        match rest.first() {
            None => break,
            Some(&(g, v)) if g == f => {
                s += f64::from(w) * f64::from(v);
                rest = &rest[1..];
            }
            Some(_) => {}
        }
    }
    s
}

/// Dot product of a sparse vector (sorted) with dense weights, in the sparse vector's order.
fn sparse_dense_dot(x: &[(u32, f32)], dense: &[f32]) -> f64 {
    let mut s = 0.0f64;
    for &(f, w) in x {
        s += f64::from(w) * f64::from(dense[f as usize]);
    }
    s
}

/// Dot product of two dense arrays, over the features where both are non-zero, ascending
/// (the reference for [`touched_dot`]).
#[cfg(test)]
fn dense_dense_dot(x: &[f32], y: &[f32]) -> f64 {
    let mut s = 0.0f64;
    for (&a, &b) in x.iter().zip(y) {
        if a != 0.0 && b != 0.0 {
            s += f64::from(a) * f64::from(b);
        }
    }
    s
}

/// [`dense_dense_dot`] over the features both sums touched only. A touched feature whose
/// weight is zero in one sum adds a zero product, which leaves the sum as it is (it starts at
/// +0.0 and can never become -0.0), so the value is the same bit for bit.
fn touched_dot(x: &DenseSum, y: &DenseSum) -> f64 {
    let mut s = 0.0f64;
    let both = x.touched.iter().zip(&y.touched).map(|(a, b)| a & b);
    for f in set_bits(both) {
        s += f64::from(x.w[f]) * f64::from(y.w[f]);
    }
    s
}

/// `out` = the sorted sum of `keep` and `add` (both sorted by feature): per feature the
/// weight of `keep` plus that of `add`, or the one that has it.
fn merge_sorted(keep: &[(u32, f32)], add: &[(u32, f32)], out: &mut Vec<(u32, f32)>) {
    out.clear();
    out.reserve(keep.len() + add.len());
    let (mut i, mut j) = (0, 0);
    while i < keep.len() && j < add.len() {
        match keep[i].0.cmp(&add[j].0) {
            Ordering::Less => {
                out.push(keep[i]);
                i += 1;
            }
            Ordering::Greater => {
                out.push(add[j]);
                j += 1;
            }
            Ordering::Equal => {
                out.push((keep[i].0, keep[i].1 + add[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&keep[i..]);
    out.extend_from_slice(&add[j..]);
}

/// The non-zero entries of a dense sum, ascending.
fn dense_entries(v: &DenseSum) -> Vec<(u32, f32)> {
    set_bits(v.touched.iter().copied())
        .filter(|&f| v.w[f] != 0.0)
        .map(|f| (f as u32, v.w[f]))
        .collect()
}

/// The entries of a sparse (or single-text) sum; `None` for a dense one.
fn sparse_of<'s>(vecs: &'s [SparseVec], sum: &'s GroupSum) -> Option<&'s [(u32, f32)]> {
    match sum {
        GroupSum::Doc(d) => Some(&vecs[*d as usize]),
        GroupSum::Sparse(v) => Some(v),
        GroupSum::Dense(_) => None,
    }
}

/// Dot product of two groups' summed vectors (see the module docs for the order).
fn group_dot(vecs: &[SparseVec], x: &GroupSum, y: &GroupSum) -> f64 {
    let sparse = |g| sparse_of(vecs, g).expect("sparse");
    match (x, y) {
        (GroupSum::Dense(x), GroupSum::Dense(y)) => touched_dot(x, y),
        (GroupSum::Dense(x), _) => sparse_dense_dot(sparse(y), &x.w),
        (_, GroupSum::Dense(y)) => sparse_dense_dot(sparse(x), &y.w),
        _ => sparse_dot(sparse(x), sparse(y)),
    }
}

/// Mean cosine over all pairs between two groups (`a` first, as the merging loop orders them).
fn group_linkage(vecs: &[SparseVec], a: &Group, b: &Group) -> f64 {
    group_dot(vecs, &a.sum, &b.sum) / (f64::from(a.size) * f64::from(b.size))
}

impl Shared<'_> {
    /// The root of `x` without shortening paths (for the reader; a merge meanwhile may make
    /// the answer stale, which the merging thread notices by the root or size).
    fn root(&self, mut x: u32) -> u32 {
        loop {
            let p = self.parent[x as usize].load(AtomicOrdering::Relaxed);
            if p == x {
                return x;
            }
            x = p;
        }
    }

    fn lock(&self, r: u32) -> std::sync::MutexGuard<'_, Arc<Group>> {
        self.groups[r as usize].lock().expect("group lock")
    }

    /// A root's group as it is now (the reader's copy).
    fn snapshot(&self, r: u32) -> Arc<Group> {
        Arc::clone(&self.lock(r))
    }
}

impl<'a> Agglomerator<'a> {
    pub(super) fn new(vecs: &'a [SparseVec], dims: usize) -> Self {
        let n = vecs.len();
        Agglomerator {
            dims,
            dense_in_use: 0,
            dense_budget: DENSE_BUDGET_BYTES,
            spare: Vec::new(),
            ahead_used: 0,
            size: vec![1; n],
            shared: Arc::new(Shared {
                vecs,
                parent: (0..n as u32).map(AtomicU32::new).collect(),
                groups: (0..n as u32)
                    .map(|d| {
                        Mutex::new(Arc::new(Group {
                            size: 1,
                            sum: GroupSum::Doc(d),
                        }))
                    })
                    .collect(),
            }),
        }
    }

    pub(super) fn find(&mut self, mut x: u32) -> u32 {
        let parent = &self.shared.parent;
        let get = |x: u32| parent[x as usize].load(AtomicOrdering::Relaxed);
        loop {
            let p = get(x);
            if p == x {
                return x;
            }
            let grand = get(p);
            if grand == p {
                // Written only when it changes: the other thread reads these entries, and a
                // write (even of the same value) takes the cache line away from it.
                return p;
            }
            parent[x as usize].store(grand, AtomicOrdering::Relaxed);
            x = p;
        }
    }

    /// The entries of a sparse (or single-text) sum; `None` for a dense one.
    #[cfg(test)]
    fn sparse(&self, r: u32) -> Option<Vec<(u32, f32)>> {
        let g = self.shared.lock(r);
        sparse_of(self.shared.vecs, &g.sum).map(<[_]>::to_vec)
    }

    /// Mean cosine over all pairs between groups `a` and `b`.
    pub(super) fn linkage(&self, a: u32, b: u32) -> f64 {
        let (x, y) = (self.shared.lock(a), self.shared.lock(b));
        group_linkage(self.shared.vecs, &x, &y)
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
        let vecs = self.shared.vecs;
        let gone_group = std::mem::replace(
            &mut *self.shared.lock(gone),
            Arc::new(Group {
                size: 0,
                sum: GroupSum::Doc(gone),
            }),
        );
        let dense_bytes = DenseSum::bytes(self.dims);
        let mut slot = self.shared.lock(keep);
        // In place, unless the reader holds this group right now.
        let group = Arc::make_mut(&mut slot);
        let to_dense = new_size >= DENSE_MIN_SIZE
            && self.dense_in_use + dense_bytes <= self.dense_budget
            && !matches!(group.sum, GroupSum::Dense(_));
        if to_dense {
            self.dense_in_use += dense_bytes;
            let mut dense = DenseSum::zeros(self.dims);
            for &(f, w) in sparse_of(vecs, &group.sum).expect("sparse") {
                dense.add(f, w);
            }
            group.sum = GroupSum::Dense(dense);
        }
        if matches!(gone_group.sum, GroupSum::Dense(_)) {
            self.dense_in_use -= dense_bytes;
        }
        let owned;
        let add: &[(u32, f32)] = match &gone_group.sum {
            GroupSum::Doc(d) => &vecs[*d as usize],
            GroupSum::Sparse(v) => v,
            GroupSum::Dense(v) => {
                owned = dense_entries(v);
                &owned
            }
        };
        match &mut group.sum {
            GroupSum::Dense(v) => {
                for &(f, w) in add {
                    v.add(f, w);
                }
            }
            GroupSum::Sparse(v) => {
                merge_sorted(v, add, &mut self.spare);
                std::mem::swap(v, &mut self.spare);
            }
            GroupSum::Doc(d) => {
                let mut out = Vec::new();
                merge_sorted(&vecs[*d as usize], add, &mut out);
                group.sum = GroupSum::Sparse(out);
            }
        }
        group.size = new_size;
        drop(slot);
        self.shared.parent[gone as usize].store(keep, AtomicOrdering::Relaxed);
        self.size[keep as usize] = new_size;
        keep
    }

    /// Squared norm of a root's summed vector (ascending feature order).
    pub(super) fn sum_norm2(&self, r: u32) -> f64 {
        let mut acc = 0.0f64;
        let mut add = |w: f32| {
            if w != 0.0 {
                acc += f64::from(w) * f64::from(w);
            }
        };
        let g = self.shared.lock(r);
        match &g.sum {
            GroupSum::Dense(v) => v.w.iter().for_each(|&w| add(w)),
            sum => sparse_of(self.shared.vecs, sum)
                .expect("sparse")
                .iter()
                .for_each(|&(_, w)| add(w)),
        }
        acc
    }

    /// Whether a root's sum is dense (for tests of both forms).
    #[cfg(test)]
    fn is_dense(&self, r: u32) -> bool {
        matches!(self.shared.lock(r).sum, GroupSum::Dense(_))
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
///
/// With more than one core (and at least [`AHEAD_MIN_EDGES`] edges) a second thread computes
/// the linkages of upcoming edges while the merging goes on ([`compute_ahead`]); the merges
/// are the same as on one thread.
pub(super) fn agglomerate(
    vecs: &[SparseVec],
    dims: usize,
    edges: Vec<Edge>,
    link_threshold: f64,
) -> Agglomerator<'_> {
    let ahead = if crate::util::parallel::threads_for(edges.len(), AHEAD_MIN_EDGES, 2) > 1 {
        LookAhead::Beside
    } else {
        LookAhead::Off
    };
    agglomerate_on(vecs, dims, edges, link_threshold, ahead)
}

/// Whether a second thread computes linkages ahead of the merging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LookAhead {
    Off,
    /// Beside the merging, as far as it gets.
    Beside,
    /// Tests: the merging waits for the look-ahead of every entry it needs.
    #[cfg_attr(not(test), allow(dead_code))]
    Lockstep,
}

/// Below this many graph edges the merging runs on one thread.
pub(super) const AHEAD_MIN_EDGES: usize = 20_000;
/// The thread that computes ahead stays at most this many stream entries ahead of the merging.
const AHEAD_WINDOW: usize = 4096;

/// A linkage computed ahead: the two roots, their sizes then, and the value.
#[derive(Debug, Clone, Copy)]
struct Ahead {
    a: u32,
    b: u32,
    sa: u32,
    sb: u32,
    sim: f64,
}

/// The merging thread tells the other thread where it is once per this many stream entries
/// (every store takes the cache line away from the reader).
const AT_EVERY: usize = 16;

/// A value on a cache line of its own, so that writing it does not slow readers of its
/// neighbours.
#[repr(align(128))]
struct OwnLine<T>(T);

/// What the merging thread and the thread that computes ahead share.
struct AheadChannel {
    /// The stream entry the merging thread is at, or a little before it (updated every
    /// [`AT_EVERY`] entries; the thread that computes ahead only needs a lower bound).
    at: OwnLine<AtomicUsize>,
    done: AtomicBool,
    /// Slot `i % AHEAD_WINDOW` holds the linkage computed ahead for stream entry `i`, tagged
    /// with `i`.
    slots: Vec<Mutex<Option<(usize, Ahead)>>>,
    /// Stream entries before this one have been looked at ahead (all of them once it stops).
    /// Kept up to date only in lockstep, where the merging thread waits for it.
    reached: OwnLine<AtomicUsize>,
    /// Tests: the merging thread waits for the look-ahead of each entry it needs, so that
    /// the values computed ahead are surely used, whatever the scheduling.
    lockstep: bool,
}

impl AheadChannel {
    fn new(lockstep: bool) -> Self {
        AheadChannel {
            at: OwnLine(AtomicUsize::new(0)),
            done: AtomicBool::new(false),
            slots: (0..AHEAD_WINDOW).map(|_| Mutex::new(None)).collect(),
            reached: OwnLine(AtomicUsize::new(0)),
            lockstep,
        }
    }

    /// The linkage computed ahead for stream entry `i`, if any.
    fn take(&self, i: usize) -> Option<Ahead> {
        if self.lockstep {
            while self.reached.0.load(AtomicOrdering::Acquire) <= i {
                std::thread::yield_now();
            }
        }
        let mut slot = self.slots[i % AHEAD_WINDOW].lock().expect("slot lock");
        match *slot {
            Some((j, a)) if j == i => {
                *slot = None;
                Some(a)
            }
            _ => None,
        }
    }
}

/// Runs beside the merging loop until it is done: for the stream entries just ahead of it,
/// the linkage the loop will probably need, from the groups as they are now. The loop takes a
/// value only when the entry's two roots and their sizes are still the ones it was computed
/// for. Groups only grow, so the same root with the same size is the same group with the same
/// summed vector (a group and its size are read together), and the value is the one the loop
/// would compute, bit for bit. Which values arrive in time depends on the scheduling; the
/// merges do not.
fn compute_ahead(shared: &Shared, stream: &[Edge], channel: &AheadChannel) {
    // Pairs computed here, with their sizes: skipped while still valid (as the loop skips
    // pairs it scored recently).
    let mut seen: FxMap<(u32, u32), (u32, u32)> = FxMap::default();
    let (mut i, mut idle) = (0usize, 0u32);
    while !channel.done.load(AtomicOrdering::Relaxed) {
        let at = channel.at.0.load(AtomicOrdering::Relaxed);
        // In lockstep the entry the loop waits for is looked at too.
        i = i.max(at + usize::from(!channel.lockstep));
        if i >= stream.len() {
            break;
        }
        if i >= at + AHEAD_WINDOW {
            // Far enough ahead: wait without keeping a core busy.
            idle += 1;
            if idle < 64 {
                std::thread::yield_now();
            } else {
                std::thread::sleep(std::time::Duration::from_micros(100));
            }
            continue;
        }
        idle = 0;
        if channel.lockstep {
            channel.reached.0.store(i, AtomicOrdering::Release);
        }
        let e = &stream[i];
        i += 1;
        let (ra, rb) = (shared.root(e.a), shared.root(e.b));
        if ra == rb {
            continue;
        }
        let (ra, rb) = (ra.min(rb), ra.max(rb));
        let (ga, gb) = (shared.snapshot(ra), shared.snapshot(rb));
        let (na, nb) = (ga.size, gb.size);
        if na == 0 || nb == 0 || (e.a == ra && e.b == rb && na == 1 && nb == 1) {
            continue; // merged away meanwhile, or two single texts (they merge as they are)
        }
        if let Some(&(sa, sb)) = seen.get(&(ra, rb)) {
            if still_valid(na, sa) && still_valid(nb, sb) {
                continue;
            }
        }
        seen.insert((ra, rb), (na, nb));
        let sim = group_linkage(shared.vecs, &ga, &gb);
        drop((ga, gb));
        let ahead = Ahead {
            a: ra,
            b: rb,
            sa: na,
            sb: nb,
            sim,
        };
        *channel.slots[(i - 1) % AHEAD_WINDOW]
            .lock()
            .expect("slot lock") = Some((i - 1, ahead));
    }
    channel.reached.0.store(usize::MAX, AtomicOrdering::Release);
}

/// [`agglomerate`], with or without the thread that computes linkages ahead.
pub(super) fn agglomerate_on(
    vecs: &[SparseVec],
    dims: usize,
    edges: Vec<Edge>,
    link_threshold: f64,
    ahead: LookAhead,
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
    let channel = AheadChannel::new(ahead == LookAhead::Lockstep);
    let shared = Arc::clone(&ag.shared);
    let on = ahead != LookAhead::Off;
    std::thread::scope(|s| {
        if on {
            s.spawn(|| compute_ahead(&shared, &stream, &channel));
        }
        merge_loop(&mut ag, &stream, link_threshold, on.then_some(&channel));
        channel.done.store(true, AtomicOrdering::Relaxed);
    });
    drop(shared);
    ag
}

/// The merging itself (see [`agglomerate`]): edges from the sorted stream and re-scored
/// entries from the heap, best first.
fn merge_loop(
    ag: &mut Agglomerator,
    stream: &[Edge],
    link_threshold: f64,
    channel: Option<&AheadChannel>,
) {
    let mut next_edge = 0usize;
    let mut heap: QuadHeap<HeapEntry> = QuadHeap::new();
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
        // The stream entry being handled, if it is one.
        let at = from_stream.then_some(next_edge);
        let e = if from_stream {
            if let Some(c) = channel.filter(|c| c.lockstep || next_edge.is_multiple_of(AT_EVERY)) {
                c.at.0.store(next_edge, AtomicOrdering::Relaxed);
            }
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
        let pre = channel.zip(at).and_then(|(c, i)| c.take(i));
        let s = match pre {
            Some(p) if (p.a, p.b, p.sa, p.sb) == (ra, rb, na, nb) => {
                #[cfg(test)]
                assert_eq!(p.sim.to_bits(), ag.linkage(ra, rb).to_bits());
                ag.ahead_used += 1;
                p.sim
            }
            _ => ag.linkage(ra, rb),
        };
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The slow reference: each group's sum as an ordered map, weights added in merge order.
    struct Reference {
        sums: Vec<BTreeMap<u32, f32>>,
        size: Vec<u32>,
    }

    impl Reference {
        fn new(vecs: &[SparseVec]) -> Self {
            Reference {
                sums: vecs.iter().map(|v| v.iter().copied().collect()).collect(),
                size: vec![1; vecs.len()],
            }
        }

        fn merge(&mut self, keep: u32, gone: u32) {
            let gone_sum = std::mem::take(&mut self.sums[gone as usize]);
            for (f, w) in gone_sum {
                *self.sums[keep as usize].entry(f).or_insert(0.0) += w;
            }
            self.size[keep as usize] += self.size[gone as usize];
        }

        /// Products of the common features, ascending, over all pairs.
        fn linkage(&self, a: u32, b: u32) -> f64 {
            let (x, y) = (&self.sums[a as usize], &self.sums[b as usize]);
            let mut s = 0.0f64;
            for (f, &w) in x {
                if let Some(&v) = y.get(f) {
                    s += f64::from(w) * f64::from(v);
                }
            }
            s / (f64::from(self.size[a as usize]) * f64::from(self.size[b as usize]))
        }

        fn norm2(&self, r: u32) -> f64 {
            let mut s = 0.0f64;
            for &w in self.sums[r as usize].values() {
                s += f64::from(w) * f64::from(w);
            }
            s
        }
    }

    #[test]
    fn group_sums_match_the_ordered_reference_bit_for_bit() {
        let (mut texts, _) = bench_corpus(320, 4, 9);
        // Some very short texts, so a single text meets a much longer sum (the search path).
        for t in texts.iter_mut().step_by(7) {
            *t = t.split(' ').take(4).collect::<Vec<_>>().join(" ");
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let corpus = build_corpus(&refs, &TextConfig::default());
        let dense_bytes = DenseSum::bytes(corpus.dims);
        let (mut dense_seen, mut sparse_seen, mut gallops) = (0, 0, 0);
        for seed in 0..6u64 {
            // No dense sums, room for two, or for all.
            let budget = [0, 2 * dense_bytes, usize::MAX][seed as usize % 3];
            let mut ag = Agglomerator::new(&corpus.vecs, corpus.dims);
            ag.dense_budget = budget;
            let mut reference = Reference::new(&corpus.vecs);
            let mut rng = SplitMix64::new(seed);
            let mut roots: Vec<u32> = (0..corpus.vecs.len() as u32).collect();
            while roots.len() > 3 {
                // Grow a few groups large (merge into one of the first roots) and others small.
                let i = if rng.below(3) == 0 {
                    rng.below(4)
                } else {
                    rng.below(roots.len())
                };
                let mut j = rng.below(roots.len());
                if j == i {
                    j = (i + 1) % roots.len();
                }
                let (a, b) = (roots[i], roots[j]);
                let keep = ag.merge(a, b);
                let gone = if keep == a { b } else { a };
                reference.merge(keep, gone);
                roots.retain(|&r| r != gone);
                for _ in 0..4 {
                    let x = roots[rng.below(roots.len())];
                    let y = roots[rng.below(roots.len())];
                    if x == y {
                        continue;
                    }
                    if let (Some(p), Some(q)) = (ag.sparse(x), ag.sparse(y)) {
                        let (s, l) = (p.len().min(q.len()), p.len().max(q.len()));
                        gallops += usize::from(l > GALLOP_FACTOR * s);
                    }
                    let (got, want) = (ag.linkage(x, y), reference.linkage(x, y));
                    assert_eq!(got.to_bits(), want.to_bits(), "seed {seed}: {x}-{y}");
                }
                assert_eq!(
                    ag.sum_norm2(keep).to_bits(),
                    reference.norm2(keep).to_bits()
                );
                if ag.is_dense(keep) {
                    dense_seen += 1;
                } else {
                    sparse_seen += 1;
                }
            }
            assert!(ag.dense_in_use <= budget);
        }
        // Every form and both dot-product paths were compared.
        assert!(dense_seen > 0, "no dense sum compared");
        assert!(sparse_seen > 0, "no sparse sum compared");
        assert!(gallops > 0, "the search path never ran");
    }

    /// The union-find roots of every text and the squared norm of every group.
    fn outcome(ag: &mut Agglomerator) -> (Vec<u32>, Vec<u64>) {
        let n = ag.size.len() as u32;
        let roots: Vec<u32> = (0..n).map(|i| ag.find(i)).collect();
        let norms = (0..n)
            .filter(|&i| roots[i as usize] == i)
            .map(|r| ag.sum_norm2(r).to_bits())
            .collect();
        (roots, norms)
    }

    #[test]
    fn computing_linkages_ahead_changes_no_merge() {
        let mut used = 0;
        for seed in 0..6u64 {
            let (mut texts, _) = bench_corpus(1500, 6 + seed as usize, 100 + seed);
            // Some short texts, so sums of very different lengths meet.
            for t in texts.iter_mut().step_by(5 + seed as usize) {
                *t = t.split(' ').take(5).collect::<Vec<_>>().join(" ");
            }
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let corpus = build_corpus(&refs, &TextConfig::default());
            let edges = prune_edges(exact_edges(&corpus, 0.2), refs.len(), MAX_DEGREE);
            let threshold = [0.05, 0.1, 0.2][seed as usize % 3];
            let mut off = agglomerate_on(
                &corpus.vecs,
                corpus.dims,
                edges.clone(),
                threshold,
                LookAhead::Off,
            );
            let want = outcome(&mut off);
            assert!(
                want.1.len() < refs.len() / 2,
                "seed {seed}: hardly any merges"
            );
            for mode in [LookAhead::Lockstep, LookAhead::Beside] {
                // Every value taken from ahead is also checked against the loop's own
                // computation (in test builds).
                let mut on =
                    agglomerate_on(&corpus.vecs, corpus.dims, edges.clone(), threshold, mode);
                assert!(
                    outcome(&mut on) == want,
                    "seed {seed}, {mode:?}: other merges"
                );
                if mode == LookAhead::Lockstep {
                    used += on.ahead_used;
                }
            }
        }
        // In lockstep the values computed ahead are used, whatever the scheduling.
        assert!(used > 100, "only {used} linkages taken from ahead");
    }

    #[test]
    fn sparse_dot_paths_agree_with_a_lookup() {
        let mut rng = SplitMix64::new(11);
        for _ in 0..300 {
            let make = |rng: &mut SplitMix64, len: usize| {
                let mut v: Vec<(u32, f32)> = (0..len)
                    .map(|_| (rng.below(500) as u32, rng.unit() as f32 + 0.01))
                    .collect();
                v.sort_unstable_by_key(|e| e.0);
                v.dedup_by_key(|e| e.0);
                v
            };
            let lx = [0, 1, 5, 30][rng.below(4)];
            let x = make(&mut rng, lx);
            let ly = [0, 3, 60, 400][rng.below(4)];
            let y = make(&mut rng, ly);
            let lookup: BTreeMap<u32, f32> = y.iter().copied().collect();
            let mut want = 0.0f64;
            for &(f, w) in &x {
                if let Some(&v) = lookup.get(&f) {
                    want += f64::from(w) * f64::from(v);
                }
            }
            assert_eq!(sparse_dot(&x, &y).to_bits(), want.to_bits());
            assert_eq!(sparse_dot(&y, &x).to_bits(), want.to_bits());
            assert_eq!(gallop_dot(&x, &y).to_bits(), want.to_bits());
            let mut dense = vec![0f32; 500];
            for &(f, w) in &y {
                dense[f as usize] = w;
            }
            assert_eq!(sparse_dense_dot(&x, &dense).to_bits(), want.to_bits());
        }
    }

    /// The merge pass with a branch per step that [`merge_dot`] replaced.
    fn merge_dot_branchy(x: &[(u32, f32)], y: &[(u32, f32)]) -> f64 {
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

    /// A sorted sparse vector over `0..dims`: weights of mixed sign (so sums can cancel to
    /// zero), some exactly zero.
    fn sparse_strategy(dims: u32) -> impl proptest::strategy::Strategy<Value = Vec<(u32, f32)>> {
        use proptest::prelude::*;
        proptest::collection::btree_map(
            0..dims,
            prop_oneof![Just(0.0f32), Just(0.5f32), Just(-0.5f32), -2.0f32..2.0],
            0..(dims as usize).min(300),
        )
        .prop_map(|m| m.into_iter().collect())
    }

    proptest::proptest! {
        #[test]
        fn merge_dot_equals_the_branchy_pass(
            x in sparse_strategy(700),
            y in sparse_strategy(700),
        ) {
            let want = merge_dot_branchy(&x, &y).to_bits();
            proptest::prop_assert_eq!(merge_dot(&x, &y).to_bits(), want);
            proptest::prop_assert_eq!(merge_dot(&y, &x).to_bits(), want);
        }

        #[test]
        fn touched_dot_equals_the_full_dense_pass(
            xs in proptest::collection::vec(sparse_strategy(300), 1..5),
            ys in proptest::collection::vec(sparse_strategy(300), 1..5),
        ) {
            // Dense sums built by adding several vectors, as merges do (touched features whose
            // weights cancel to zero included).
            let build = |vs: &[Vec<(u32, f32)>]| {
                let mut d = DenseSum::zeros(300);
                for v in vs {
                    for &(f, w) in v {
                        d.add(f, w);
                    }
                }
                d
            };
            let (x, y) = (build(&xs), build(&ys));
            let want = dense_dense_dot(&x.w, &y.w).to_bits();
            proptest::prop_assert_eq!(touched_dot(&x, &y).to_bits(), want);
            let entries: Vec<(u32, f32)> = x
                .w
                .iter()
                .enumerate()
                .filter(|(_, w)| **w != 0.0)
                .map(|(f, &w)| (f as u32, w))
                .collect();
            proptest::prop_assert_eq!(dense_entries(&x), entries);
        }
    }
}
