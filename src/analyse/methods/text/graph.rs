//! Candidate pairs and the similarity graph: exact pairs for small corpora, MinHash-LSH above.

use super::*;

#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    pub(super) a: u32,
    pub(super) b: u32,
    pub(super) sim: f64,
}

pub(super) fn thread_count(n: usize) -> usize {
    crate::util::parallel::threads_for(n, 2000, 4)
}

/// `items.iter().map(f).collect()` over a few threads (contiguous chunks), in input order.
pub(super) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_map_on(items, thread_count(items.len()), f)
}

/// [`par_map`] on `threads` threads.
pub(super) fn par_map_on<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if threads <= 1 || items.len() < 2 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("thread panicked"))
            .collect()
    })
}

/// [`par_map_on`] with per-thread state: each thread makes its own with `init` and passes it
/// to every call of `f` (a cache, a buffer), so the threads share nothing mutable.
///
/// The caller says how many threads: the items may be blocks of texts, whose number says
/// nothing about the work (taken from 200 blocks of 1.024 texts, [`thread_count`] gave one
/// thread).
pub(super) fn par_map_init<T: Sync, R: Send, S>(
    items: &[T],
    threads: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    if threads <= 1 || items.len() < 2 {
        let mut state = init();
        return items.iter().map(|x| f(&mut state, x)).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let (f, init) = (&f, &init);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| {
                s.spawn(move || {
                    let mut state = init();
                    c.iter().map(|x| f(&mut state, x)).collect::<Vec<R>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("thread panicked"))
            .collect()
    })
}

/// Runs `f(i, scratch)` for every i in 0..n over a few threads (interleaved in blocks for
/// balance) and returns all produced edges sorted by (a, b), so the result does not depend on
/// the number of threads.
pub(super) fn parallel_edges<F>(n: usize, dims: usize, f: F) -> Vec<Edge>
where
    F: Fn(usize, &mut Vec<f32>, &mut Vec<Edge>) + Sync,
{
    const BLOCK: usize = 256;
    let threads = thread_count(n);
    let run = |t: usize| {
        let mut scratch = vec![0f32; dims.max(n)];
        let mut out = Vec::new();
        let mut start = t * BLOCK;
        while start < n {
            for i in start..(start + BLOCK).min(n) {
                f(i, &mut scratch, &mut out);
            }
            start += threads * BLOCK;
        }
        out
    };
    let mut edges: Vec<Edge> = if threads == 1 {
        run(0)
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|t| s.spawn(move || run(t))).collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("thread panicked"))
                .collect()
        })
    };
    // Sorting on the value too makes the order independent of the thread count.
    edges.sort_unstable_by(|x, y| (x.a, x.b).cmp(&(y.a, y.b)).then(x.sim.total_cmp(&y.sim)));
    // A pair may be found from both ends; both computations give the same value up to
    // rounding, keep the smaller.
    edges.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    edges
}

/// Keeps an edge only when it is among the `k` strongest edges of at least one of its two
/// texts (a k-nearest-neighbour sparsification; ties broken by text index).
///
/// The incident edges of all texts are one flat list (texts in order, each text's edges in
/// edge order); the texts are decided in parallel, in ranges holding about as many incident
/// edges each. "Strongest, then the lowest other text" is a strict order among the edges of a
/// text (no two edges join the same two texts), so the `k` chosen do not depend on how they
/// are found.
pub(super) fn prune_edges(edges: Vec<Edge>, n: usize, k: usize) -> Vec<Edge> {
    if k == 0 {
        return Vec::new();
    }
    let mut start = vec![0usize; n + 1];
    for e in &edges {
        start[e.a as usize + 1] += 1;
        start[e.b as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut incident = vec![0u32; start[n]];
    let mut fill = start.clone();
    for (idx, e) in edges.iter().enumerate() {
        for node in [e.a as usize, e.b as usize] {
            incident[fill[node]] = idx as u32;
            fill[node] += 1;
        }
    }
    drop(fill);
    let threads = thread_count(n);
    let ranges = even_ranges(&start, threads * 4);
    let (edges_ref, start_ref, incident_ref) = (&edges, &start, &incident);
    let chosen: Vec<Vec<u32>> = par_map_on(&ranges, threads, |&(lo, hi)| {
        let room = (lo..hi)
            .map(|v| (start_ref[v + 1] - start_ref[v]).min(k))
            .sum();
        let mut out = Vec::with_capacity(room);
        let mut list: Vec<u32> = Vec::new();
        for node in lo..hi {
            let mine = &incident_ref[start_ref[node]..start_ref[node + 1]];
            if mine.len() <= k {
                out.extend_from_slice(mine);
                continue;
            }
            let other = |e: &Edge| if e.a as usize == node { e.b } else { e.a };
            list.clear();
            list.extend_from_slice(mine);
            list.select_nth_unstable_by(k - 1, |&x, &y| {
                let (ex, ey) = (&edges_ref[x as usize], &edges_ref[y as usize]);
                ey.sim.total_cmp(&ex.sim).then(other(ex).cmp(&other(ey)))
            });
            out.extend_from_slice(&list[..k]);
        }
        out
    });
    drop(incident);
    let mut keep = vec![false; edges.len()];
    for idx in chosen.iter().flatten() {
        keep[*idx as usize] = true;
    }
    edges
        .into_iter()
        .zip(keep)
        .filter_map(|(e, k)| k.then_some(e))
        .collect()
}

/// Splits `0..n` (`offsets` has `n + 1` ascending entries, item `i` spanning
/// `offsets[i]..offsets[i + 1]`) into at most `parts` consecutive ranges of about equal span.
fn even_ranges(offsets: &[usize], parts: usize) -> Vec<(usize, usize)> {
    let n = offsets.len() - 1;
    let total = offsets[n];
    let parts = parts.max(1);
    let mut ranges = Vec::with_capacity(parts);
    let mut lo = 0;
    for p in 1..=parts {
        let goal = total / parts * p + total % parts * p / parts;
        let hi = if p == parts {
            n
        } else {
            offsets.partition_point(|&o| o < goal).clamp(lo, n)
        };
        if hi > lo {
            ranges.push((lo, hi));
            lo = hi;
        }
    }
    ranges
}

/// All pairs with cosine >= threshold (and > 0), via an inverted index.
pub(super) fn exact_edges(corpus: &Corpus, threshold: f64) -> Vec<Edge> {
    let n = corpus.vecs.len();
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); corpus.dims];
    for (d, v) in corpus.vecs.iter().enumerate() {
        for &(f, w) in v {
            postings[f as usize].push((d as u32, w));
        }
    }
    parallel_edges(n, n, |i, acc, out| {
        let mut touched: Vec<u32> = Vec::new();
        for &(f, wi) in &corpus.vecs[i] {
            let list = &postings[f as usize];
            let start = list.partition_point(|&(d, _)| d as usize <= i);
            for &(j, wj) in &list[start..] {
                if acc[j as usize] == 0.0 {
                    touched.push(j);
                }
                acc[j as usize] += wi * wj;
            }
        }
        touched.sort_unstable();
        for j in touched {
            let s = f64::from(acc[j as usize]);
            acc[j as usize] = 0.0;
            if s >= threshold && s > 0.0 {
                out.push(Edge {
                    a: i as u32,
                    b: j,
                    sim: s.min(1.0),
                });
            }
        }
    })
}

/// The LSH bucket key of every text in every band: the hash of the band's rows of its
/// MinHash signature. Only the keys are kept (half the size of the signatures).
pub(super) fn minhash_band_keys(corpus: &Corpus) -> Vec<[u64; MINHASH_BANDS]> {
    let seeds = minhash_seeds();
    // The shingles of a text are its stems: the feature ids of its word vector. Only stems with
    // a positive idf are ever shingles; their 64 hashes are computed once, in a table with one
    // row per such stem.
    let mut row_of = vec![u32::MAX; corpus.idf_w.len()];
    let mut kept: Vec<u32> = Vec::new();
    for (x, &idf) in corpus.idf_w.iter().enumerate() {
        if idf > 0.0 {
            row_of[x] = kept.len() as u32;
            kept.push(x as u32);
        }
    }
    let table: Vec<[u64; MINHASH_HASHES]> = par_map(&kept, |&x| stem_hashes(x, &seeds));
    let ids: Vec<u32> = (0..corpus.vecs.len() as u32).collect();
    par_map(&ids, |&i| {
        let mut sig = [u64::MAX; MINHASH_HASHES];
        for x in corpus.word_ids(i as usize) {
            for (s, &h) in sig.iter_mut().zip(&table[row_of[x as usize] as usize]) {
                *s = (*s).min(h);
            }
        }
        band_keys(&sig)
    })
}

/// The seeds of the 64 MinHash functions (fixed).
fn minhash_seeds() -> [u64; MINHASH_HASHES] {
    let mut seeds = [0u64; MINHASH_HASHES];
    let mut rng = SplitMix64::new(0x7e57_c105_7e25_0001);
    for s in &mut seeds {
        *s = rng.next_u64();
    }
    seeds
}

/// The 64 MinHash values of stem `x`.
fn stem_hashes(x: u32, seeds: &[u64; MINHASH_HASHES]) -> [u64; MINHASH_HASHES] {
    let base = mix64(u64::from(x).wrapping_add(0x9e37_79b9_7f4a_7c15));
    std::array::from_fn(|k| mix64(base ^ seeds[k]))
}

/// The bucket key of each band of a signature.
fn band_keys(sig: &[u64; MINHASH_HASHES]) -> [u64; MINHASH_BANDS] {
    std::array::from_fn(|b| {
        let mut h = FxHasher::default();
        h.add(b as u64);
        for r in 0..MINHASH_ROWS {
            h.add(sig[b * MINHASH_ROWS + r]);
        }
        mix64(h.finish())
    })
}

/// Candidate pairs from MinHash-LSH, scored with the exact cosine. `lap` is called after each
/// step with its name (`signaturen`, `emmers`, `kandidaten`, `scoren`).
pub(super) fn lsh_edges(
    corpus: &Corpus,
    threshold: f64,
    lap: &mut dyn FnMut(&'static str),
) -> Vec<Edge> {
    let n = corpus.vecs.len();
    let keys = minhash_band_keys(corpus);
    lap("signaturen");
    // The bands are few but each is a pass over all texts: as many threads as for the texts.
    let band_ids: Vec<usize> = (0..MINHASH_BANDS).collect();
    let bands: Vec<Band> = par_map_on(&band_ids, thread_count(n), |&b| {
        build_band(&keys, b, |d| !corpus.vecs[d].is_empty())
    });
    drop(keys);
    crate::ingest::trim_heap();
    lap("emmers");

    // Candidates per text (in parallel), then every candidate pair filed under its first text:
    // the cosine of a pair is the same from either end (the same products summed in feature
    // order), so scoring it twice would only cost time.
    let cands = all_candidates(corpus, &bands);
    drop(bands);
    let pairs = PairsByFirst::new(&cands);
    drop(cands);
    lap("kandidaten");
    let edges = score_by_first(corpus, &pairs, threshold);
    lap("scoren");
    edges
}

/// LSH buckets of one band, see [`build_band`]: the texts in bucket order, and per text (by
/// its index, so the texts are visited in order without a lookup in between) the start and
/// end of its bucket and its own place in `docs`.
struct Band {
    docs: Vec<u32>,
    slot: Vec<[u32; 3]>,
}

/// The buckets of band `b` over the texts `d` with `live(d)`: the texts sorted by (bucket key,
/// ring order, index), the ring order a fixed hash of text and band, so that the neighbours
/// of a text in a large bucket are a random sample of it.
fn build_band(keys: &[[u64; MINHASH_BANDS]], b: usize, live: impl Fn(usize) -> bool) -> Band {
    let n = keys.len();
    let entries: Vec<(u64, u64, u32)> = (0..n)
        .filter(|&d| live(d))
        .map(|d| {
            let key = keys[d][b];
            let order = mix64((d as u64) ^ ((b as u64 + 1) << 40));
            (key, order, d as u32)
        })
        .collect();
    band_of_sorted(&sort_entries(entries), n)
}

/// The band of entries sorted by (key, ring order, text), over `n` texts: per text its bucket
/// (the run of entries with its key) and its place in it.
fn band_of_sorted(entries: &[(u64, u64, u32)], n: usize) -> Band {
    let mut slot = vec![[u32::MAX; 3]; n];
    let mut s = 0;
    while s < entries.len() {
        let mut e = s + 1;
        while e < entries.len() && entries[e].0 == entries[s].0 {
            e += 1;
        }
        for (q, entry) in entries.iter().enumerate().take(e).skip(s) {
            slot[entry.2 as usize] = [s as u32, e as u32, q as u32];
        }
        s = e;
    }
    Band {
        docs: entries.iter().map(|e| e.2).collect(),
        slot,
    }
}

/// `entries` sorted (as `sort_unstable` would: the entries are distinct), in linear time: one
/// counting pass on the top bits of the key (about one entry per bucket, the keys being
/// hashes), then a sort of each bucket. The top bits order the buckets as the whole key does,
/// so the result is the fully sorted list.
fn sort_entries(mut entries: Vec<(u64, u64, u32)>) -> Vec<(u64, u64, u32)> {
    let len = entries.len();
    if len < 64 {
        entries.sort_unstable();
        return entries;
    }
    let bits = (usize::BITS - len.leading_zeros()).min(16);
    let shift = 64 - bits;
    let mut start = vec![0usize; (1 << bits) + 1];
    for e in &entries {
        start[(e.0 >> shift) as usize + 1] += 1;
    }
    for r in 0..1 << bits {
        start[r + 1] += start[r];
    }
    let mut fill = start.clone();
    let mut out = vec![(0u64, 0u64, 0u32); len];
    for e in entries {
        let r = (e.0 >> shift) as usize;
        out[fill[r]] = e;
        fill[r] += 1;
    }
    for w in start.windows(2) {
        if w[1] - w[0] > 1 {
            out[w[0]..w[1]].sort_unstable();
        }
    }
    out
}

/// The candidate lists of all texts, flat: `(lengths, ids)` per block of consecutive texts,
/// blocks in text order (see [`candidates_of`]).
type Candidates = Vec<(Vec<u8>, Vec<u32>)>;

/// The candidates of every text, in parallel over blocks of texts; each thread keeps its own
/// scratch lists, so no text allocates.
fn all_candidates(corpus: &Corpus, bands: &[Band]) -> Candidates {
    let n = corpus.vecs.len();
    let blocks: Vec<(usize, usize)> = (0..n)
        .step_by(CANDIDATE_BLOCK)
        .map(|lo| (lo, (lo + CANDIDATE_BLOCK).min(n)))
        .collect();
    par_map_init(
        &blocks,
        thread_count(n),
        CandidateScratch::default,
        |scratch, &(lo, hi)| {
            let mut lens = Vec::with_capacity(hi - lo);
            let mut ids = Vec::new();
            for i in lo..hi {
                let before = ids.len();
                candidates_of(i, corpus, bands, scratch, &mut ids);
                lens.push((ids.len() - before) as u8);
            }
            (lens, ids)
        },
    )
}

/// Texts per block of [`all_candidates`].
const CANDIDATE_BLOCK: usize = 1024;

/// Reused lists of [`candidates_of`].
#[derive(Default)]
struct CandidateScratch {
    /// Bands shared with the current text, by text (zero outside `mates`).
    shared: Vec<u8>,
    /// The distinct bucket mates of the current text, in the order first met.
    mates: Vec<u32>,
    ranked: Vec<(u32, u8)>,
}

/// Appends the candidates of text `i` to `out`: its bucket mates (ring neighbours in large
/// buckets), at most [`MAX_CANDIDATES`] of them, those sharing the most bands first (by id
/// when all are kept).
fn candidates_of(
    i: usize,
    corpus: &Corpus,
    bands: &[Band],
    scratch: &mut CandidateScratch,
    out: &mut Vec<u32>,
) {
    if corpus.vecs[i].is_empty() {
        return;
    }
    let CandidateScratch {
        shared,
        mates,
        ranked,
    } = scratch;
    shared.resize(corpus.vecs.len(), 0);
    mates.clear();
    // A text meets a mate at most once per band, so the count fits (32 bands).
    let mut meet = |j: u32| {
        let c = &mut shared[j as usize];
        if *c == 0 {
            mates.push(j);
        }
        *c += 1;
    };
    for band in bands {
        let [s, e, p] = band.slot[i];
        let (s, e, p) = (s as usize, e as usize, p as usize);
        let m = e - s;
        if m <= 1 {
            continue;
        }
        if m <= BUCKET_CAP {
            for &j in &band.docs[s..e] {
                if j as usize != i {
                    meet(j);
                }
            }
        } else {
            let r = p - s;
            for d in 1..=BUCKET_SAMPLE.min((m - 1) / 2).max(1) {
                for q in [(r + d) % m, (r + m - d) % m] {
                    meet(band.docs[s + q]);
                }
            }
        }
    }
    // Rank candidates by the number of bands they share with text i (an estimate of their
    // Jaccard similarity) and keep the best MAX_CANDIDATES.
    ranked.clear();
    ranked.extend(
        mates
            .iter()
            .map(|&j| (j, std::mem::take(&mut shared[j as usize]))),
    );
    if ranked.len() > MAX_CANDIDATES {
        let order = |x: &(u32, u8), y: &(u32, u8)| y.1.cmp(&x.1).then(x.0.cmp(&y.0));
        ranked.select_nth_unstable_by(MAX_CANDIDATES - 1, order);
        ranked.truncate(MAX_CANDIDATES);
        ranked.sort_unstable_by(order);
    } else {
        ranked.sort_unstable_by_key(|x| x.0);
    }
    out.extend(ranked.iter().map(|&(j, _)| j));
}

/// Every candidate pair filed under its first (lower) text: the second texts of text `a` are
/// `seconds[start[a]..start[a + 1]]`, unsorted and possibly repeated (a pair found from both
/// ends). Made by a counting sort, so no list of all pairs is ever sorted.
struct PairsByFirst {
    start: Vec<usize>,
    seconds: Vec<u32>,
}

impl PairsByFirst {
    fn new(cands: &Candidates) -> Self {
        let n: usize = cands.iter().map(|(lens, _)| lens.len()).sum();
        let mut start = vec![0usize; n + 1];
        for_each_list(cands, |i, list| {
            for &j in list {
                start[i.min(j as usize) + 1] += 1;
            }
        });
        for a in 0..n {
            start[a + 1] += start[a];
        }
        let mut fill = start.clone();
        let mut seconds = vec![0u32; start[n]];
        for_each_list(cands, |i, list| {
            for &j in list {
                let a = i.min(j as usize);
                seconds[fill[a]] = i.max(j as usize) as u32;
                fill[a] += 1;
            }
        });
        PairsByFirst { start, seconds }
    }
}

/// Calls `f(i, list)` with the candidate list of every text `i`, in text order.
fn for_each_list(cands: &Candidates, mut f: impl FnMut(usize, &[u32])) {
    let mut i = 0;
    for (lens, ids) in cands {
        let mut at = 0;
        for &len in lens {
            f(i, &ids[at..at + len as usize]);
            at += len as usize;
            i += 1;
        }
    }
}

/// The exact cosine of every distinct pair, kept when at least `threshold`, sorted by (a, b);
/// in parallel over ranges of first texts holding about as many pairs each.
fn score_by_first(corpus: &Corpus, pairs: &PairsByFirst, threshold: f64) -> Vec<Edge> {
    let n = pairs.start.len() - 1;
    let threads = thread_count(n);
    let ranges = even_ranges(&pairs.start, threads * 8);
    let scored = par_map_init(
        &ranges,
        threads,
        || (vec![0f32; corpus.dims], Vec::<u32>::new()),
        |(dense, bs), &(lo, hi)| {
            let mut out = Vec::new();
            for a in lo..hi {
                let mine = &pairs.seconds[pairs.start[a]..pairs.start[a + 1]];
                if mine.is_empty() {
                    continue;
                }
                bs.clear();
                bs.extend_from_slice(mine);
                bs.sort_unstable();
                bs.dedup();
                score_from(corpus, a, bs, dense, threshold, &mut out);
            }
            out
        },
    );
    scored.into_iter().flatten().collect()
}

/// Scores the pairs of text `a` with each text in `bs` against the dense scratch.
fn score_from(
    corpus: &Corpus,
    a: usize,
    bs: &[u32],
    dense: &mut [f32],
    threshold: f64,
    out: &mut Vec<Edge>,
) {
    let va = &corpus.vecs[a];
    for &(f, w) in va {
        dense[f as usize] = w;
    }
    // Four pairs at a time: their sums are independent, so they run interleaved.
    for group in bs.chunks(LANES) {
        let mut js = [0u32; LANES];
        let mut words: [&[(u32, f32)]; LANES] = [&[]; LANES];
        let mut chars: [&[(u32, f32)]; LANES] = [&[]; LANES];
        for (k, &j) in group.iter().enumerate() {
            let vj = &corpus.vecs[j as usize];
            (words[k], chars[k]) = vj.split_at(corpus.word_len[j as usize] as usize);
            js[k] = j;
        }
        let wdot = dense_dots(dense, words);
        // The character block adds at most `char_share`: skip hopeless pairs cheaply.
        let hopeless = |k: usize| f64::from(wdot[k]) + corpus.char_share < threshold;
        for (k, c) in chars.iter_mut().enumerate().take(group.len()) {
            if hopeless(k) {
                *c = &[];
            }
        }
        let cdot = dense_dots(dense, chars);
        for k in (0..group.len()).filter(|&k| !hopeless(k)) {
            let s = f64::from(wdot[k]) + f64::from(cdot[k]);
            if s >= threshold && s > 0.0 {
                out.push(Edge {
                    a: a as u32,
                    b: js[k],
                    sim: s.min(1.0),
                });
            }
        }
    }
    for &(f, _) in va {
        dense[f as usize] = 0.0;
    }
}

/// Pairs scored at the same time by [`score_from`].
const LANES: usize = 4;

/// The dot product of each sparse vector with the dense scratch, each summed in its own
/// feature order from -0.0, exactly as `v.iter().map(|&(f, w)| dense[f] * w).sum::<f32>()`
/// does (so bit for bit the same value). The sums are independent of each other and run
/// interleaved, so one addition does not wait for the one before it of the same sum.
fn dense_dots(dense: &[f32], vs: [&[(u32, f32)]; LANES]) -> [f32; LANES] {
    let mut acc = [-0.0f32; LANES];
    let longest = vs.iter().map(|v| v.len()).max().unwrap_or(0);
    for i in 0..longest {
        for (sum, v) in acc.iter_mut().zip(vs) {
            if let Some(&(f, w)) = v.get(i) {
                *sum += dense[f as usize] * w;
            }
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`minhash_band_keys`] as it was before the table of stem hashes: every hash of every
    /// stem computed again in every text.
    fn band_keys_without_table(corpus: &Corpus) -> Vec<[u64; MINHASH_BANDS]> {
        let seeds = minhash_seeds();
        (0..corpus.vecs.len())
            .map(|i| {
                let mut sig = [u64::MAX; MINHASH_HASHES];
                for x in corpus.word_ids(i) {
                    let base = mix64(u64::from(x).wrapping_add(0x9e37_79b9_7f4a_7c15));
                    for (k, s) in sig.iter_mut().enumerate() {
                        let h = mix64(base ^ seeds[k]);
                        if h < *s {
                            *s = h;
                        }
                    }
                }
                band_keys(&sig)
            })
            .collect()
    }

    #[test]
    fn band_keys_from_the_stem_table_are_the_direct_ones() {
        for (seed, char_weight) in [(1u64, 0.3), (2, 0.0), (3, 1.0)] {
            let (mut texts, _) = bench_corpus(3000, 12, seed);
            // Texts without words and very short ones as well.
            texts[5] = "...".to_string();
            texts[9] = "beslag".to_string();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let cfg = TextConfig {
                char_weight,
                ..TextConfig::default()
            };
            let corpus = build_corpus(&refs, &cfg);
            let want = band_keys_without_table(&corpus);
            assert_eq!(minhash_band_keys(&corpus), want, "seed {seed}");
            // The keys say something: not all texts share one key.
            let distinct: FxSet<u64> = want.iter().map(|k| k[0]).collect();
            assert!(distinct.len() > 12, "seed {seed}: {} keys", distinct.len());
        }
    }

    /// The one-pair-at-a-time scoring the interleaved one must equal bit for bit.
    fn score_one(corpus: &Corpus, a: usize, j: usize, threshold: f64) -> Option<f64> {
        let mut dense = vec![0f32; corpus.dims];
        for &(f, w) in &corpus.vecs[a] {
            dense[f as usize] = w;
        }
        let (words, chars) = corpus.vecs[j].split_at(corpus.word_len[j] as usize);
        let wdot: f32 = words.iter().map(|&(f, w)| dense[f as usize] * w).sum();
        if f64::from(wdot) + corpus.char_share < threshold {
            return None;
        }
        let cdot: f32 = chars.iter().map(|&(f, w)| dense[f as usize] * w).sum();
        let s = f64::from(wdot) + f64::from(cdot);
        (s >= threshold && s > 0.0).then_some(s.min(1.0))
    }

    #[test]
    fn dense_dots_equal_sequential_sums_bit_for_bit() {
        let mut rng = SplitMix64::new(42);
        let dense: Vec<f32> = (0..300)
            .map(|_| {
                if rng.below(3) == 0 {
                    0.0
                } else {
                    rng.unit() as f32
                }
            })
            .collect();
        for _ in 0..500 {
            let vecs: Vec<Vec<(u32, f32)>> = (0..LANES)
                .map(|_| {
                    let len = [0, 1, 7, 40, 299][rng.below(5)];
                    let mut v: Vec<(u32, f32)> = (0..len)
                        .map(|_| (rng.below(300) as u32, rng.unit() as f32 * 3.0))
                        .collect();
                    v.sort_unstable_by_key(|e| e.0);
                    v
                })
                .collect();
            let lanes: [&[(u32, f32)]; LANES] = std::array::from_fn(|k| vecs[k].as_slice());
            let got = dense_dots(&dense, lanes);
            for k in 0..LANES {
                let want: f32 = vecs[k].iter().map(|&(f, w)| dense[f as usize] * w).sum();
                assert_eq!(got[k].to_bits(), want.to_bits(), "lane {k}");
            }
        }
    }

    #[test]
    fn interleaved_scoring_equals_one_pair_at_a_time() {
        let (texts, _) = bench_corpus(600, 6, 9);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let corpus = build_corpus(&refs, &TextConfig::default());
        let n = corpus.vecs.len() as u64;
        // Runs of every length from 0 to 9 pairs per first text, so every lane count occurs.
        let mut rng = SplitMix64::new(3);
        let mut pairs: Vec<u64> = Vec::new();
        for a in 0..n - 1 {
            let count = (a % 10).min(n - 1 - a);
            let mut bs: Vec<u64> = (0..count)
                .map(|_| a + 1 + rng.below((n - 1 - a) as usize) as u64)
                .collect();
            bs.sort_unstable();
            bs.dedup();
            pairs.extend(bs.into_iter().map(|b| (a << 32) | b));
        }
        for threshold in [0.0, 0.2, 0.35, 0.6] {
            let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n as usize];
            for &p in &pairs {
                lists[(p >> 32) as usize].push((p & 0xffff_ffff) as u32);
            }
            let got = score_by_first(&corpus, &by_first(&lists, 7), threshold);
            let want: Vec<(u32, u32, u64)> = pairs
                .iter()
                .filter_map(|&p| {
                    let (a, b) = ((p >> 32) as usize, (p & 0xffff_ffff) as usize);
                    score_one(&corpus, a, b, threshold).map(|s| (a as u32, b as u32, s.to_bits()))
                })
                .collect();
            let got: Vec<(u32, u32, u64)> =
                got.iter().map(|e| (e.a, e.b, e.sim.to_bits())).collect();
            assert!(!want.is_empty() || threshold > 0.5);
            assert_eq!(got, want, "drempel {threshold}");
        }
    }

    /// `lists` in the flat form of [`all_candidates`], in blocks of `block` texts.
    fn flat_candidates(lists: &[Vec<u32>], block: usize) -> Candidates {
        lists
            .chunks(block.max(1))
            .map(|c| {
                let lens = c
                    .iter()
                    .map(|l| u8::try_from(l.len()).expect("short"))
                    .collect();
                (lens, c.concat())
            })
            .collect()
    }

    fn by_first(lists: &[Vec<u32>], block: usize) -> PairsByFirst {
        PairsByFirst::new(&flat_candidates(lists, block))
    }

    /// The LSH steps as they were before the pairs were filed by first text: bands by a full
    /// sort, one allocated candidate list per text, one sorted list of all pairs, scored in
    /// runs. The reference the new steps must equal edge for edge and bit for bit.
    mod before {
        use super::super::*;

        pub(super) fn band(
            keys: &[[u64; MINHASH_BANDS]],
            b: usize,
            live: impl Fn(usize) -> bool,
        ) -> Band {
            let n = keys.len();
            let mut entries: Vec<(u64, u64, u32)> = (0..n)
                .filter(|&d| live(d))
                .map(|d| {
                    let key = keys[d][b];
                    let order = mix64((d as u64) ^ ((b as u64 + 1) << 40));
                    (key, order, d as u32)
                })
                .collect();
            entries.sort_unstable();
            band_of_sorted(&entries, n)
        }

        pub(super) fn candidates_of(i: usize, corpus: &Corpus, bands: &[Band]) -> Vec<u32> {
            if corpus.vecs[i].is_empty() {
                return Vec::new();
            }
            let mut cands: Vec<u32> = Vec::with_capacity(bands.len() * (BUCKET_CAP - 1));
            for band in bands {
                let [s, e, p] = band.slot[i];
                let (s, e, p) = (s as usize, e as usize, p as usize);
                let m = e - s;
                if m <= 1 {
                    continue;
                }
                if m <= BUCKET_CAP {
                    cands.extend(band.docs[s..e].iter().copied().filter(|&j| j as usize != i));
                } else {
                    let r = p - s;
                    for d in 1..=BUCKET_SAMPLE.min((m - 1) / 2).max(1) {
                        for q in [(r + d) % m, (r + m - d) % m] {
                            cands.push(band.docs[s + q]);
                        }
                    }
                }
            }
            if cands.is_empty() {
                return Vec::new();
            }
            cands.sort_unstable();
            let mut ranked: Vec<(u32, u32)> = Vec::with_capacity(cands.len());
            for &j in &cands {
                match ranked.last_mut() {
                    Some((last, c)) if *last == j => *c += 1,
                    _ => ranked.push((j, 1)),
                }
            }
            if ranked.len() > MAX_CANDIDATES {
                ranked.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
                ranked.truncate(MAX_CANDIDATES);
            }
            ranked.iter().map(|&(j, _)| j).collect()
        }

        pub(super) fn distinct_pairs(lists: &[Vec<u32>]) -> Vec<u64> {
            let mut pairs: Vec<u64> = Vec::new();
            for (i, list) in lists.iter().enumerate() {
                let i = i as u64;
                pairs.extend(list.iter().map(|&j| {
                    let j = u64::from(j);
                    (i.min(j) << 32) | i.max(j)
                }));
            }
            pairs.sort_unstable();
            pairs.dedup();
            pairs
        }

        /// Scored in runs of pairs with the same first text, as before.
        pub(super) fn score_pairs(corpus: &Corpus, pairs: &[u64], threshold: f64) -> Vec<Edge> {
            let mut dense = vec![0f32; corpus.dims];
            let mut out = Vec::new();
            let mut k = 0;
            while k < pairs.len() {
                let a = (pairs[k] >> 32) as usize;
                let mut bs = Vec::new();
                while k < pairs.len() && (pairs[k] >> 32) as usize == a {
                    bs.push((pairs[k] & 0xffff_ffff) as u32);
                    k += 1;
                }
                score_from(corpus, a, &bs, &mut dense, threshold, &mut out);
            }
            out
        }

        pub(super) fn lsh_edges(corpus: &Corpus, threshold: f64) -> Vec<Edge> {
            let n = corpus.vecs.len();
            let keys = minhash_band_keys(corpus);
            let bands: Vec<Band> = (0..MINHASH_BANDS)
                .map(|b| band(&keys, b, |d| !corpus.vecs[d].is_empty()))
                .collect();
            let lists: Vec<Vec<u32>> = (0..n).map(|i| candidates_of(i, corpus, &bands)).collect();
            score_pairs(corpus, &distinct_pairs(&lists), threshold)
        }
    }

    fn edge_bits(edges: &[Edge]) -> Vec<(u32, u32, u64)> {
        edges.iter().map(|e| (e.a, e.b, e.sim.to_bits())).collect()
    }

    /// Corpora with near-duplicates (large buckets), texts without words and short ones.
    fn lsh_corpus(n: usize, themes: usize, seed: u64, char_weight: f64) -> Corpus {
        let (mut texts, _) = bench_corpus(n, themes, seed);
        let mut rng = SplitMix64::new(seed ^ 0xd0);
        for _ in 0..n / 5 {
            let (x, y) = (rng.below(n), rng.below(n));
            texts[x] = texts[y].clone();
        }
        texts[3] = "...".to_string();
        texts[8] = "beslag".to_string();
        texts[11] = String::new();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let cfg = TextConfig {
            char_weight,
            ..TextConfig::default()
        };
        build_corpus(&refs, &cfg)
    }

    #[test]
    fn lsh_edges_equal_the_steps_before_bit_for_bit() {
        for (n, themes, seed, char_weight) in [
            (3000, 12, 1, 0.3),
            (2500, 3, 2, 0.0),
            (4000, 40, 3, 1.0),
            (300, 2, 4, 0.3),
        ] {
            let corpus = lsh_corpus(n, themes, seed, char_weight);
            for threshold in [0.2, 0.35, 0.7] {
                let want = edge_bits(&before::lsh_edges(&corpus, threshold));
                let got = edge_bits(&lsh_edges(&corpus, threshold, &mut |_| {}));
                assert!(want.len() > n / 20, "seed {seed}: {} edges", want.len());
                assert_eq!(got, want, "seed {seed}, drempel {threshold}");
            }
        }
    }

    #[test]
    fn candidates_equal_the_allocating_ones() {
        for (n, themes, seed) in [(3000, 12, 5u64), (2000, 2, 6)] {
            let corpus = lsh_corpus(n, themes, seed, 0.3);
            let keys = minhash_band_keys(&corpus);
            let bands: Vec<Band> = (0..MINHASH_BANDS)
                .map(|b| build_band(&keys, b, |d| !corpus.vecs[d].is_empty()))
                .collect();
            let want: Vec<Vec<u32>> = (0..n)
                .map(|i| before::candidates_of(i, &corpus, &bands))
                .collect();
            // Some texts have a full list of candidates, chosen among more.
            assert!(want.iter().any(|l| l.len() == MAX_CANDIDATES));
            let got: Vec<Vec<u32>> = all_candidates(&corpus, &bands)
                .into_iter()
                .flat_map(|(lens, ids)| {
                    let mut at = 0;
                    lens.into_iter()
                        .map(|len| {
                            at += len as usize;
                            ids[at - len as usize..at].to_vec()
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(got, want, "seed {seed}");
        }
    }

    /// Keys of `n` texts in every band drawn from `distinct` values (few values: large
    /// buckets), some sharing their top bits but not the rest.
    fn random_keys(seed: u64, n: usize, distinct: usize) -> Vec<[u64; MINHASH_BANDS]> {
        let mut rng = SplitMix64::new(seed);
        let values: Vec<u64> = (0..distinct.max(1))
            .map(|k| match k % 3 {
                0 => rng.next_u64(),
                1 => rng.next_u64() & 0xffff_0000_0000_00ff,
                _ => u64::MAX - rng.below(4) as u64,
            })
            .collect();
        (0..n)
            .map(|_| std::array::from_fn(|_| values[rng.below(values.len())]))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn sort_entries_equals_a_full_sort(
            seed in 0u64..1 << 40,
            len in 0usize..5000,
            distinct in 1usize..6000,
        ) {
            let keys = random_keys(seed, len, distinct);
            let entries: Vec<(u64, u64, u32)> = keys
                .iter()
                .enumerate()
                .map(|(d, k)| (k[0], mix64(d as u64 % 7), d as u32))
                .collect();
            let mut want = entries.clone();
            want.sort_unstable();
            proptest::prop_assert_eq!(sort_entries(entries), want);
        }

        #[test]
        fn bands_equal_the_full_sort(
            seed in 0u64..1 << 40,
            n in 1usize..3000,
            distinct in 1usize..4000,
            b in 0usize..MINHASH_BANDS,
        ) {
            let keys = random_keys(seed, n, distinct);
            let live = |d: usize| !mix64(d as u64 ^ seed).is_multiple_of(5);
            let want = before::band(&keys, b, live);
            let got = build_band(&keys, b, live);
            proptest::prop_assert_eq!(got.docs, want.docs);
            proptest::prop_assert_eq!(got.slot, want.slot);
        }

        #[test]
        fn pairs_by_first_are_the_distinct_pairs(
            seed in 0u64..1 << 40,
            n in 2usize..400,
            block in 1usize..50,
        ) {
            let lists = random_lists(seed, n);
            let want = before::distinct_pairs(&lists);
            let pairs = by_first(&lists, block);
            proptest::prop_assert_eq!(pairs.start.len(), n + 1);
            let mut got: Vec<u64> = Vec::new();
            for a in 0..n {
                let mut bs = pairs.seconds[pairs.start[a]..pairs.start[a + 1]].to_vec();
                bs.sort_unstable();
                bs.dedup();
                got.extend(bs.iter().map(|&b| ((a as u64) << 32) | u64::from(b)));
            }
            proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn scoring_by_first_equals_the_sorted_pairs(seed in 0u64..1 << 40, block in 1usize..50) {
            let corpus = scoring_corpus();
            let lists = random_lists(seed, corpus.vecs.len());
            for threshold in [0.0, 0.3, 0.6] {
                let want = before::score_pairs(corpus, &before::distinct_pairs(&lists), threshold);
                let got = score_by_first(corpus, &by_first(&lists, block), threshold);
                proptest::prop_assert_eq!(edge_bits(&got), edge_bits(&want));
            }
        }
    }

    /// One corpus for all cases of the scoring proptest.
    fn scoring_corpus() -> &'static Corpus {
        static CORPUS: std::sync::OnceLock<Corpus> = std::sync::OnceLock::new();
        CORPUS.get_or_init(|| lsh_corpus(700, 5, 7, 0.3))
    }

    /// The serial pruning (a full sort per text) the parallel [`prune_edges`] replaced.
    fn prune_serial(edges: Vec<Edge>, n: usize, k: usize) -> Vec<Edge> {
        let mut incident: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (idx, e) in edges.iter().enumerate() {
            incident[e.a as usize].push(idx as u32);
            incident[e.b as usize].push(idx as u32);
        }
        let mut keep = vec![false; edges.len()];
        for (node, list) in incident.iter_mut().enumerate() {
            let other = |e: &Edge| if e.a as usize == node { e.b } else { e.a };
            list.sort_unstable_by(|&x, &y| {
                let (ex, ey) = (&edges[x as usize], &edges[y as usize]);
                ey.sim.total_cmp(&ex.sim).then(other(ex).cmp(&other(ey)))
            });
            for &idx in list.iter().take(k) {
                keep[idx as usize] = true;
            }
        }
        edges
            .into_iter()
            .zip(keep)
            .filter_map(|(e, k)| k.then_some(e))
            .collect()
    }

    /// Candidate lists of `n` texts: random, skewed to low and to nearby texts, with repeats
    /// and pairs found from both ends, some texts without candidates.
    fn random_lists(seed: u64, n: usize) -> Vec<Vec<u32>> {
        let mut rng = SplitMix64::new(seed);
        (0..n)
            .map(|i| {
                let len = [0, 1, 3, 32][rng.below(4)].min(n - 1);
                (0..len)
                    .map(|_| match rng.below(3) {
                        0 => rng.below(n.min(8)) as u32,
                        1 => ((i + 1 + rng.below(4)) % n) as u32,
                        _ => rng.below(n) as u32,
                    })
                    .filter(|&j| j as usize != i)
                    .collect()
            })
            .collect()
    }

    /// A graph of distinct edges `a < b` sorted by (a, b), with many tied similarities.
    fn random_graph(seed: u64, n: usize) -> Vec<Edge> {
        let mut rng = SplitMix64::new(seed);
        let lists = random_lists(seed ^ 0x5eed, n);
        before::distinct_pairs(&lists)
            .into_iter()
            .map(|p| Edge {
                a: (p >> 32) as u32,
                b: (p & 0xffff_ffff) as u32,
                sim: if rng.below(2) == 0 {
                    [0.4, 0.5, 1.0][rng.below(3)]
                } else {
                    rng.unit()
                },
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn parallel_pruning_equals_the_serial_sort(
            seed in 0u64..1 << 40,
            n in 2usize..3000,
            k in 0usize..20,
        ) {
            let edges = random_graph(seed, n);
            let key = |e: &Edge| (e.a, e.b, e.sim.to_bits());
            let want: Vec<_> = prune_serial(edges.clone(), n, k).iter().map(key).collect();
            let got: Vec<_> = prune_edges(edges, n, k).iter().map(key).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    /// Times the LSH steps, new and as before, on the texts of the file `SPEED8_FILE` names
    /// (see `bench_file` in the module above), and checks that they give the same edges.
    #[test]
    #[ignore]
    fn bench_lsh_file() {
        use crate::analyse::methods::text::templates::{find_stock_sentences, TemplateConfig};
        use crate::analyse::methods::text::tests::{cpu_seconds as process_cpu, speed8_texts};
        let Some((meta, texts)) = speed8_texts() else {
            return;
        };
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let stock = find_stock_sentences(&refs, &meta, &TemplateConfig::default());
        let stripped: Vec<&str> = stock.stripped.iter().map(String::as_str).collect();
        let corpus = build_corpus(&stripped, &TextConfig::default());
        let n = corpus.vecs.len();
        let lens: usize = corpus.vecs.iter().map(Vec::len).sum();
        let words: usize = corpus.word_len.iter().map(|&w| w as usize).sum();
        println!("n {n} dims {} entries {lens} words {words}", corpus.dims);
        let mut c = process_cpu();
        let mut t = std::time::Instant::now();
        let mut lap = |name: &str| {
            let now = process_cpu();
            println!("{name:>12} cpu {:.2} wall {:.2?}", now - c, t.elapsed());
            c = process_cpu();
            t = std::time::Instant::now();
        };
        let threshold = 0.35;
        let keys = minhash_band_keys(&corpus);
        lap("keys");
        let live = |d: usize| !corpus.vecs[d].is_empty();
        let ids: Vec<usize> = (0..MINHASH_BANDS).collect();
        let old_bands: Vec<Band> =
            par_map_on(&ids, thread_count(n), |&b| before::band(&keys, b, live));
        lap("old bands");
        let bands: Vec<Band> = par_map_on(&ids, thread_count(n), |&b| build_band(&keys, b, live));
        lap("new bands");
        drop(old_bands);
        let all: Vec<u32> = (0..n as u32).collect();
        let lists: Vec<Vec<u32>> = par_map(&all, |&i| {
            before::candidates_of(i as usize, &corpus, &bands)
        });
        lap("old cands");
        let cands = all_candidates(&corpus, &bands);
        lap("new cands");
        let mates: usize = (0..n)
            .map(|i| {
                bands
                    .iter()
                    .map(|b| {
                        let [s, e, _] = b.slot[i];
                        if s == u32::MAX {
                            0
                        } else {
                            let m = (e - s) as usize;
                            if m <= BUCKET_CAP {
                                m - 1
                            } else {
                                2 * BUCKET_SAMPLE
                            }
                        }
                    })
                    .sum::<usize>()
            })
            .sum();
        let kept: usize = lists.iter().map(Vec::len).sum();
        println!("mates {mates} kept {kept}");
        let old_pairs = before::distinct_pairs(&lists);
        lap("old pairs (serial)");
        let pairs = PairsByFirst::new(&cands);
        lap("new pairs");
        println!("distinct {} filed {}", old_pairs.len(), pairs.seconds.len());
        let old = before::score_pairs(&corpus, &old_pairs, threshold);
        lap("old score (serial)");
        let new = score_by_first(&corpus, &pairs, threshold);
        lap("new score");
        println!("edges {}", new.len());
        assert_eq!(edge_bits(&new), edge_bits(&old));
    }

    /// The blocks of the candidate step and the ranges of the scoring step are few (hundreds,
    /// a dozen): the work is spread over the threads asked for, not over as many as the
    /// number of items would suggest (which was one).
    #[test]
    fn par_map_init_uses_the_threads_asked_for() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        for (items, threads) in [(16usize, 2usize), (204, 2), (204, 4), (3, 4), (1, 2)] {
            let made = AtomicUsize::new(0);
            let ids: Vec<usize> = (0..items).collect();
            let out = par_map_init(
                &ids,
                threads,
                || {
                    made.fetch_add(1, Ordering::Relaxed);
                    std::thread::current().id()
                },
                |tid, &i| (i * 3, *tid),
            );
            assert_eq!(
                out.iter().map(|o| o.0).collect::<Vec<_>>(),
                (0..items).map(|i| i * 3).collect::<Vec<_>>()
            );
            let distinct: std::collections::HashSet<_> = out.iter().map(|o| o.1).collect();
            let want = threads.min(items);
            assert_eq!(
                made.load(Ordering::Relaxed),
                want,
                "{items} items, {threads} threads"
            );
            assert_eq!(distinct.len(), want, "{items} items, {threads} threads");
        }
    }

    #[test]
    fn even_ranges_cover_every_item_once() {
        let mut rng = SplitMix64::new(5);
        for _ in 0..200 {
            let n = rng.below(50);
            let mut offsets = vec![0usize];
            for _ in 0..n {
                let last = *offsets.last().expect("start");
                offsets.push(last + [0, 1, 5, 100][rng.below(4)]);
            }
            let parts = 1 + rng.below(9);
            let ranges = even_ranges(&offsets, parts);
            assert!(ranges.len() <= parts);
            let mut next = 0;
            for &(lo, hi) in &ranges {
                assert_eq!(lo, next);
                assert!(hi > lo);
                next = hi;
            }
            assert_eq!(next, n);
        }
    }
}
