//! Text clustering of Dutch case summaries (`samenvatting`) and signal descriptions
//! (`omschrijving`): finds groups of texts that are about the same thing, even when the
//! cases carry different codes (thema, regeling) or are worded differently.
//!
//! Pipeline:
//! 1. [`tokenize`]: lowercase, Unicode-aware word split (NFC first), digits and punctuation
//!    removed, Dutch stop words and words shorter than 3 characters dropped.
//! 2. [`stem`]: Snowball Dutch stemmer (`rust-stemmers`).
//! 3. Vectors: TF-IDF with sublinear tf (`1 + ln tf`) and smoothed idf
//!    (`ln((1 + n) / (1 + df)) + 1`) over stems, plus a second TF-IDF block over character
//!    n-grams taken inside word boundaries (the word is padded with a space on both sides).
//!    Features found in fewer than [`MIN_DF`] texts are left out. Both blocks are L2-normalised
//!    separately and scaled by `sqrt(1 - char_weight)` and `sqrt(char_weight)`, so the cosine
//!    of two texts is exactly `(1 - w) * cos_words + w * cos_chars`.
//! 4. Candidate pairs: every pair (through an inverted index, which is exact) when there are at
//!    most `exact_max` texts, otherwise MinHash-LSH over the sets of stems (64 hashes in 32
//!    bands of 2 rows, fixed seeds). Buckets larger than [`BUCKET_CAP`] are not compared
//!    all-against-all: their members are put in a pseudo-random ring and each one is compared
//!    with its [`BUCKET_SAMPLE`] neighbours on either side. Per text at most
//!    [`MAX_CANDIDATES`] candidates (those sharing the most bands) are scored with the exact
//!    cosine, so the cost is linear in `n`.
//! 5. Graph: pairs with cosine `>= min_similarity`; each text keeps its [`MAX_DEGREE`]
//!    strongest edges (an edge stays when either end keeps it).
//! 6. Grouping (the anti-chaining choice): the graph only says which groups *may* merge.
//!    Merging is average-link agglomerative clustering: two groups `A`, `B` joined by at least
//!    one graph edge merge while their mean pairwise cosine over **all** `|A|·|B|` pairs,
//!    computed exactly as `sum_A · sum_B / (|A| |B|)` from the groups' summed vectors, is at
//!    least `LINK_FACTOR * min_similarity`. Because the linkage uses all pairs and not only the
//!    graph edges, a few bridging texts cannot chain two themes together (the weakness of
//!    connected components), and the LSH path, which sees fewer edges, gets the same linkage
//!    values as the exact path. The merge order uses a lazily refreshed priority queue: an
//!    entry whose groups grew by more than [`STALE_TOLERANCE`] since it was scored is re-scored
//!    and put back, so the order is approximately (not strictly) that of textbook average-link.
//! 7. Labels: the stems with the largest (cluster mean tf-idf − corpus mean tf-idf), each
//!    reported as its most frequent surface form in the cluster. Cohesion is the mean pairwise
//!    cosine of the members, `(|S|^2 - m) / (m (m - 1))` for the summed vector `S`.
//!
//! Texts without any usable word never join a cluster. Output is deterministic: clusters are
//! sorted by size (descending), then by first member.
//!
//! ```ignore
//! use crate::analyse::methods::text::{cluster_texts, TextConfig};
//! let texts = ["Beslag op loon onder bestaansminimum", "Loonbeslag: beslagvrije voet te laag", /* ... */];
//! let clusters = cluster_texts(&texts, &TextConfig::default());
//! for c in &clusters {
//!     println!("{} teksten over: {}", c.members.len(), c.terms.join(", "));
//! }
//! ```

use crate::util::hash::{FxHasher, FxMap, FxSet};
use crate::util::rng::{mix64, SplitMix64};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::hash::Hasher;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Settings for [`cluster_texts`].
#[derive(Debug, Clone, PartialEq)]
pub struct TextConfig {
    /// Minimum cosine for an edge in the similarity graph.
    pub min_similarity: f64,
    /// Clusters with fewer members are dropped.
    pub min_cluster: usize,
    /// Length of the character n-grams (0 disables them).
    pub char_ngram: usize,
    /// Share of the character n-gram block in the cosine (0..=1).
    pub char_weight: f64,
    /// Above this number of texts, candidate pairs come from MinHash-LSH.
    pub exact_max: usize,
    /// Number of label terms per cluster.
    pub label_terms: usize,
}

impl Default for TextConfig {
    fn default() -> Self {
        TextConfig {
            min_similarity: 0.35,
            min_cluster: 3,
            char_ngram: 4,
            char_weight: 0.3,
            exact_max: 5000,
            label_terms: 4,
        }
    }
}

/// A group of texts about the same subject.
#[derive(Debug, Clone, PartialEq)]
pub struct TextCluster {
    /// Indices into the input, sorted ascending.
    pub members: Vec<usize>,
    /// Most distinctive surface words, best first.
    pub terms: Vec<String>,
    /// Mean pairwise cosine similarity of the members.
    pub cohesion: f64,
}

/// Groups linked by a graph edge merge while their mean pairwise cosine is at least
/// `min(background + LINK_FACTOR * min_similarity, min_similarity)`, where `background` is the
/// mean cosine of two arbitrary texts of the corpus.
pub const LINK_FACTOR: f64 = 0.15;
/// LSH buckets up to this size are compared all-against-all.
pub const BUCKET_CAP: usize = 10;
/// In larger buckets each member is compared with this many ring neighbours on each side.
pub const BUCKET_SAMPLE: usize = 3;
/// At most this many LSH candidates per text (those sharing the most bands) are scored.
pub const MAX_CANDIDATES: usize = 32;
/// Each text keeps at most this many strongest graph edges (plus edges kept by the other end).
pub const MAX_DEGREE: usize = 16;
/// Features (stems, n-grams) that occur in fewer texts than this are left out of the vectors:
/// a word used in one text only can never make two texts similar, but it does dilute the
/// cosine of short summaries. This keeps small corpora comparable to large ones.
pub const MIN_DF: u32 = 2;
/// Relative growth of a group after which a queued linkage value is recomputed.
pub const STALE_TOLERANCE: f64 = 0.05;
/// MinHash-LSH layout: 64 hashes in 32 bands of 2 rows. Summaries of the same theme often
/// share only a quarter of their words; with 2 rows a pair with Jaccard 0.3 becomes a
/// candidate with probability `1 - (1 - 0.3^2)^32 = 0.95`; with 16 bands of 4 rows it would
/// be only 0.12.
const MINHASH_BANDS: usize = 32;
const MINHASH_ROWS: usize = 2;
const MINHASH_HASHES: usize = MINHASH_BANDS * MINHASH_ROWS;

// ---------------------------------------------------------------------------------------------
// Tokenizing and stemming
// ---------------------------------------------------------------------------------------------

/// Dutch stop words: the Snowball list extended with common function words, auxiliaries and
/// forms of address that occur in nearly every case summary ("mevrouw", "meneer").
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "aan", "aldus", "alle", "alleen", "alles", "als", "altijd", "andere", "anders", "bent",
    "beide", "ben", "bij", "binnen", "boven", "buiten", "daar", "daarbij", "daardoor", "daarin",
    "daarna", "daarom", "daarop", "daarover", "daarvan", "dan", "dat", "deze", "dezelfde", "die",
    "dit", "doch", "doen", "door", "doordat", "dus", "echter", "een", "eens", "eerder", "elke",
    "enige", "enkele", "ermee", "erover", "geen", "geweest", "haar", "had", "hadden", "heb",
    "hebben", "heeft", "heel", "hem", "hen", "het", "hetzelfde", "hier", "hierdoor", "hierover",
    "hiervan", "hij", "hoe", "hoewel", "hun", "iedere", "ieder", "iemand", "iets", "indien",
    "inmiddels", "jij", "jou", "jouw", "jullie", "kan", "kon", "konden", "kunnen", "laat", "laten",
    "maar", "mag", "meer", "men", "meneer", "mevrouw", "mij", "mijn", "moest", "moet", "moeten",
    "mogen", "naar", "nadat", "niet", "niets", "nog", "omdat", "onder", "ons", "onze", "ook",
    "over", "reeds", "sinds", "steeds", "tegen", "terwijl", "toch", "toen", "tot", "tussen", "uit",
    "vanaf", "vanuit", "veel", "volgens", "voor", "waar", "waarbij", "waardoor", "waarin",
    "waarop", "wanneer", "want", "waren", "was", "wat", "weer", "wel", "welk", "welke", "werd",
    "werden", "wezen", "wie", "wij", "wil", "wilde", "willen", "word", "worden", "wordt", "zal",
    "zelf", "zeer", "zich", "zij", "zijn", "zo", "zodat", "zonder", "zou", "zouden", "zowel",
    "zullen", "omtrent", "via", "tijdens", "wegens", "per", "erg", "van", "met", "der", "den",
    "des", "hebt", "later", "tevens", "zeker",
];

fn stop_words() -> &'static FxSet<&'static str> {
    static SET: OnceLock<FxSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

/// Splits a text into lowercase content words.
///
/// Words are maximal runs of alphabetic characters (after NFC normalisation), so digits,
/// punctuation, hyphens and apostrophes separate words ("DigiD-machtiging" gives "digid" and
/// "machtiging"). Dutch stop words and words shorter than 3 characters are dropped.
pub fn tokenize(text: &str) -> Vec<String> {
    let normalized: Cow<str> = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    };
    let stops = stop_words();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_len = 0usize;
    let mut flush = |cur: &mut String, cur_len: &mut usize| {
        if *cur_len >= 3 && !stops.contains(cur.as_str()) {
            out.push(std::mem::take(cur));
        } else {
            cur.clear();
        }
        *cur_len = 0;
    };
    for c in normalized.chars() {
        if c.is_alphabetic() {
            for l in c.to_lowercase() {
                cur.push(l);
                cur_len += 1;
            }
        } else if cur_len > 0 {
            flush(&mut cur, &mut cur_len);
        }
    }
    if cur_len > 0 {
        flush(&mut cur, &mut cur_len);
    }
    out
}

/// Snowball Dutch stem of a (lowercase) word.
pub fn stem(word: &str) -> String {
    Stemmer::create(Algorithm::Dutch).stem(word).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Vectorising
// ---------------------------------------------------------------------------------------------

/// Sparse vector: (feature id, weight), sorted by feature id.
type SparseVec = Vec<(u32, f32)>;

struct Corpus {
    /// Combined word + character vectors (unit length, or empty for texts without words).
    vecs: Vec<SparseVec>,
    /// Word-only tf-idf vectors (unit length), used for labels.
    word_vecs: Vec<SparseVec>,
    /// Sorted unique stem ids per text (MinHash shingles).
    stem_sets: Vec<Vec<u32>>,
    /// Surface token ids per text.
    surface_tokens: Vec<Vec<u32>>,
    /// Surface form strings by id.
    surfaces: Vec<String>,
    /// Stem id of each surface form.
    surface_stem: Vec<u32>,
    /// Stem strings by id.
    stems: Vec<String>,
    /// Number of feature dimensions (stems + character n-grams).
    dims: usize,
    /// Number of word (stem) entries at the start of each combined vector.
    word_len: Vec<u32>,
    /// Upper bound of the character block's contribution to a cosine.
    char_share: f64,
}

fn char_gram_hashes(word: &str, n: usize) -> Vec<u64> {
    let padded: Vec<char> = std::iter::once(' ')
        .chain(word.chars())
        .chain(std::iter::once(' '))
        .collect();
    let hash = |g: &[char]| {
        let mut h = FxHasher::default();
        for &c in g {
            h.add(u64::from(c as u32));
        }
        mix64(h.finish() ^ g.len() as u64)
    };
    if n >= padded.len() {
        vec![hash(&padded)]
    } else {
        padded.windows(n).map(hash).collect()
    }
}

/// Counts sorted ids into (id, count) runs.
fn run_counts(ids: &mut [u32]) -> Vec<(u32, u32)> {
    ids.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &id in ids.iter() {
        match out.last_mut() {
            Some((last, c)) if *last == id => *c += 1,
            _ => out.push((id, 1)),
        }
    }
    out
}

fn tfidf(counts: &[(u32, u32)], idf: &[f64], offset: u32, scale: f64) -> SparseVec {
    let raw: Vec<(u32, f64)> = counts
        .iter()
        .map(|&(id, tf)| (id, (1.0 + f64::from(tf).ln()) * idf[id as usize]))
        .filter(|&(_, w)| w > 0.0)
        .collect();
    let norm = raw.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm <= 0.0 || scale <= 0.0 {
        return Vec::new();
    }
    raw.into_iter()
        .map(|(id, w)| (id + offset, (w / norm * scale) as f32))
        .collect()
}

fn build_corpus(texts: &[&str], cfg: &TextConfig) -> Corpus {
    let n = texts.len();
    let stemmer = Stemmer::create(Algorithm::Dutch);
    let use_chars = cfg.char_ngram > 0 && cfg.char_weight > 0.0;
    let w_char = if use_chars {
        cfg.char_weight.clamp(0.0, 1.0)
    } else {
        0.0
    };

    let mut surface_ids: FxMap<String, u32> = FxMap::default();
    let mut surfaces: Vec<String> = Vec::new();
    let mut surface_stem: Vec<u32> = Vec::new();
    let mut surface_grams: Vec<Vec<u32>> = Vec::new();
    let mut stem_ids: FxMap<String, u32> = FxMap::default();
    let mut stems: Vec<String> = Vec::new();
    let mut gram_ids: FxMap<u64, u32> = FxMap::default();

    let mut surface_tokens: Vec<Vec<u32>> = Vec::with_capacity(n);
    let mut word_counts: Vec<Vec<(u32, u32)>> = Vec::with_capacity(n);
    let mut gram_counts: Vec<Vec<(u32, u32)>> = Vec::with_capacity(n);

    for text in texts {
        let tokens = tokenize(text);
        let mut sids = Vec::with_capacity(tokens.len());
        for tok in tokens {
            let sid = match surface_ids.get(&tok) {
                Some(&id) => id,
                None => {
                    let id = surfaces.len() as u32;
                    let st = stemmer.stem(&tok).into_owned();
                    let next_stem = stems.len() as u32;
                    let stem_id = *stem_ids.entry(st.clone()).or_insert(next_stem);
                    if stem_id == next_stem {
                        stems.push(st);
                    }
                    let grams = if use_chars {
                        char_gram_hashes(&tok, cfg.char_ngram)
                            .into_iter()
                            .map(|h| {
                                let next = gram_ids.len() as u32;
                                *gram_ids.entry(h).or_insert(next)
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    surface_grams.push(grams);
                    surface_stem.push(stem_id);
                    surfaces.push(tok.clone());
                    surface_ids.insert(tok, id);
                    id
                }
            };
            sids.push(sid);
        }
        let mut w: Vec<u32> = sids.iter().map(|&s| surface_stem[s as usize]).collect();
        word_counts.push(run_counts(&mut w));
        let mut g: Vec<u32> = sids
            .iter()
            .flat_map(|&s| surface_grams[s as usize].iter().copied())
            .collect();
        gram_counts.push(run_counts(&mut g));
        surface_tokens.push(sids);
    }

    let n_stems = stems.len();
    let n_grams = gram_ids.len();
    let min_df = MIN_DF;
    let idf_of = |df: &[u32]| -> Vec<f64> {
        df.iter()
            .map(|&d| {
                if d < min_df {
                    0.0
                } else {
                    ((1.0 + n as f64) / (1.0 + f64::from(d))).ln() + 1.0
                }
            })
            .collect()
    };
    let mut df_w = vec![0u32; n_stems];
    for wc in &word_counts {
        for &(id, _) in wc {
            df_w[id as usize] += 1;
        }
    }
    let mut df_g = vec![0u32; n_grams];
    for gc in &gram_counts {
        for &(id, _) in gc {
            df_g[id as usize] += 1;
        }
    }
    let idf_w = idf_of(&df_w);
    let idf_g = idf_of(&df_g);

    let mut vecs = Vec::with_capacity(n);
    let mut word_vecs = Vec::with_capacity(n);
    let mut stem_sets = Vec::with_capacity(n);
    let mut word_len = Vec::with_capacity(n);
    for (wc, gc) in word_counts.iter().zip(&gram_counts) {
        let wv = tfidf(wc, &idf_w, 0, 1.0);
        let mut combined = tfidf(wc, &idf_w, 0, (1.0 - w_char).sqrt());
        let cv = tfidf(gc, &idf_g, n_stems as u32, w_char.sqrt());
        if combined.is_empty() && !wv.is_empty() && cv.is_empty() {
            // Degenerate settings (char_weight = 1 without usable n-grams): fall back to words.
            combined = wv.clone();
        }
        word_len.push(combined.len() as u32);
        combined.extend(cv);
        stem_sets.push(wv.iter().map(|&(id, _)| id).collect());
        word_vecs.push(wv);
        vecs.push(combined);
    }
    Corpus {
        vecs,
        word_vecs,
        stem_sets,
        surface_tokens,
        surfaces,
        surface_stem,
        stems,
        dims: n_stems + n_grams,
        word_len,
        char_share: w_char,
    }
}

// ---------------------------------------------------------------------------------------------
// Candidate pairs and similarity graph
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Edge {
    a: u32,
    b: u32,
    sim: f64,
}

fn thread_count(n: usize) -> usize {
    crate::util::parallel::threads_for(n, 2000, 4)
}

/// Runs `f(i, scratch)` for every i in 0..n over a few threads (interleaved in blocks for
/// balance) and returns all produced edges sorted by (a, b), so the result does not depend on
/// the number of threads.
fn parallel_edges<F>(n: usize, dims: usize, f: F) -> Vec<Edge>
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
fn prune_edges(edges: Vec<Edge>, n: usize, k: usize) -> Vec<Edge> {
    let mut incident: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (idx, e) in edges.iter().enumerate() {
        incident[e.a as usize].push(idx as u32);
        incident[e.b as usize].push(idx as u32);
    }
    let mut keep = vec![false; edges.len()];
    for (node, list) in incident.iter_mut().enumerate() {
        if list.len() <= k {
            for &idx in list.iter() {
                keep[idx as usize] = true;
            }
            continue;
        }
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

/// All pairs with cosine >= threshold (and > 0), via an inverted index.
fn exact_edges(corpus: &Corpus, threshold: f64) -> Vec<Edge> {
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

fn minhash_signatures(corpus: &Corpus) -> Vec<[u64; MINHASH_HASHES]> {
    let mut seeds = [0u64; MINHASH_HASHES];
    let mut rng = SplitMix64::new(0x7e57_c105_7e25_0001);
    for s in &mut seeds {
        *s = rng.next_u64();
    }
    corpus
        .stem_sets
        .iter()
        .map(|set| {
            let mut sig = [u64::MAX; MINHASH_HASHES];
            for &x in set {
                let base = mix64(u64::from(x).wrapping_add(0x9e37_79b9_7f4a_7c15));
                for (k, s) in sig.iter_mut().enumerate() {
                    let h = mix64(base ^ seeds[k]);
                    if h < *s {
                        *s = h;
                    }
                }
            }
            sig
        })
        .collect()
}

/// Candidate pairs from MinHash-LSH, scored with the exact cosine.
fn lsh_edges(corpus: &Corpus, threshold: f64) -> Vec<Edge> {
    let n = corpus.vecs.len();
    let sigs = minhash_signatures(corpus);
    // Per band: entries sorted by (bucket key, ring order); position of each doc; group bounds.
    struct Band {
        docs: Vec<u32>,
        pos: Vec<u32>,
        group: Vec<(u32, u32)>,
    }
    let bands: Vec<Band> = (0..MINHASH_BANDS)
        .map(|b| {
            let mut entries: Vec<(u64, u64, u32)> = (0..n)
                .filter(|&d| !corpus.vecs[d].is_empty())
                .map(|d| {
                    let mut h = FxHasher::default();
                    h.add(b as u64);
                    for r in 0..MINHASH_ROWS {
                        h.add(sigs[d][b * MINHASH_ROWS + r]);
                    }
                    let key = mix64(h.finish());
                    let order = mix64((d as u64) ^ ((b as u64 + 1) << 40));
                    (key, order, d as u32)
                })
                .collect();
            entries.sort_unstable();
            let mut pos = vec![u32::MAX; n];
            let mut group = vec![(0u32, 0u32); entries.len()];
            let mut s = 0;
            while s < entries.len() {
                let mut e = s + 1;
                while e < entries.len() && entries[e].0 == entries[s].0 {
                    e += 1;
                }
                for (q, g) in group.iter_mut().enumerate().take(e).skip(s) {
                    *g = (s as u32, e as u32);
                    pos[entries[q].2 as usize] = q as u32;
                }
                s = e;
            }
            Band {
                docs: entries.iter().map(|e| e.2).collect(),
                pos,
                group,
            }
        })
        .collect();

    parallel_edges(n, corpus.dims, |i, dense, out| {
        let vi = &corpus.vecs[i];
        if vi.is_empty() {
            return;
        }
        let mut cands: Vec<u32> = Vec::new();
        for band in &bands {
            let p = band.pos[i] as usize;
            let (s, e) = band.group[p];
            let (s, e) = (s as usize, e as usize);
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
            return;
        }
        // Rank candidates by the number of bands they share with text i (an estimate of their
        // Jaccard similarity) and keep the best MAX_CANDIDATES.
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
            ranked.sort_unstable();
        }
        let cands: Vec<u32> = ranked.into_iter().map(|(j, _)| j).collect();
        for &(f, w) in vi {
            dense[f as usize] = w;
        }
        for j in cands {
            let vj = &corpus.vecs[j as usize];
            let (words, chars) = vj.split_at(corpus.word_len[j as usize] as usize);
            let wdot: f32 = words.iter().map(|&(f, w)| dense[f as usize] * w).sum();
            // The character block adds at most `char_share`: skip hopeless pairs cheaply.
            if f64::from(wdot) + corpus.char_share < threshold {
                continue;
            }
            let cdot: f32 = chars.iter().map(|&(f, w)| dense[f as usize] * w).sum();
            let s = f64::from(wdot) + f64::from(cdot);
            if s >= threshold && s > 0.0 {
                out.push(Edge {
                    a: (i as u32).min(j),
                    b: (i as u32).max(j),
                    sim: s.min(1.0),
                });
            }
        }
        for &(f, _) in vi {
            dense[f as usize] = 0.0;
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Average-link agglomeration restricted to the similarity graph
// ---------------------------------------------------------------------------------------------

/// Summed vector of a group: a single text's vector, or an accumulated map.
enum GroupSum {
    Doc(u32),
    Map(FxMap<u32, f32>),
    /// Large groups use a dense array (cheaper look-ups than hashing).
    Dense(Vec<f32>),
}

/// Groups with at least this many members keep their summed vector as a dense array, as long
/// as all dense arrays together stay within [`DENSE_BUDGET_BYTES`].
const DENSE_MIN_SIZE: u32 = 64;
const DENSE_BUDGET_BYTES: usize = 256 << 20;

#[derive(Debug, Clone, Copy)]
struct HeapEntry {
    sim: f64,
    a: u32,
    b: u32,
    /// Group sizes when `sim` was computed.
    sa: u32,
    sb: u32,
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

struct Agglomerator<'a> {
    vecs: &'a [SparseVec],
    dims: usize,
    /// Bytes currently held by dense group sums.
    dense_in_use: usize,
    parent: Vec<u32>,
    size: Vec<u32>,
    sums: Vec<GroupSum>,
}

fn sparse_dot(x: &SparseVec, y: &SparseVec) -> f64 {
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
    fn new(vecs: &'a [SparseVec], dims: usize) -> Self {
        let n = vecs.len();
        Agglomerator {
            vecs,
            dims,
            dense_in_use: 0,
            parent: (0..n as u32).collect(),
            size: vec![1; n],
            sums: (0..n as u32).map(GroupSum::Doc).collect(),
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    /// Number of entries `for_each` visits for a group.
    fn entry_count(&self, r: u32) -> usize {
        match &self.sums[r as usize] {
            GroupSum::Doc(d) => self.vecs[*d as usize].len(),
            GroupSum::Map(m) => m.len(),
            GroupSum::Dense(v) => v.len(),
        }
    }

    /// Weight of feature `f` in a group's summed vector.
    fn lookup(&self, r: u32, f: u32) -> f32 {
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
    fn linkage(&self, a: u32, b: u32) -> f64 {
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
                let mut acc = 0.0f64;
                // Map iteration order is deterministic (fixed hasher).
                for_each_entry(&self.sums[small as usize], self.vecs, |f, w| {
                    if w != 0.0 {
                        acc += f64::from(w) * f64::from(self.lookup(large, f));
                    }
                });
                acc
            }
        };
        dot / (f64::from(self.size[a as usize]) * f64::from(self.size[b as usize]))
    }

    /// Merges two roots; returns the surviving root.
    fn merge(&mut self, a: u32, b: u32) -> u32 {
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
    fn sum_norm2(&self, r: u32) -> f64 {
        let mut acc = 0.0f64;
        for_each_entry(&self.sums[r as usize], self.vecs, |_, w| {
            acc += f64::from(w) * f64::from(w);
        });
        acc
    }
}

/// Calls `f(feature, weight)` for every stored entry of a summed vector.
fn for_each_entry(sum: &GroupSum, vecs: &[SparseVec], mut f: impl FnMut(u32, f32)) {
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

/// True when a group that had `scored` members when its linkage was computed has not grown by
/// more than [`STALE_TOLERANCE`] since.
#[inline]
fn still_valid(now: u32, scored: u32) -> bool {
    f64::from(now) <= f64::from(scored) * (1.0 + STALE_TOLERANCE)
}

/// Average-link agglomeration over the candidate graph; returns the final union-find state.
///
/// Heap entries carry the group sizes at which they were scored. Groups only grow, so an
/// entry for two current roots whose sizes are unchanged is exact; if a group grew by at most
/// [`STALE_TOLERANCE`] the stored value is still accepted (a mean over many pairs barely moves),
/// otherwise the linkage is recomputed and the entry re-queued.
fn agglomerate<'a>(
    vecs: &'a [SparseVec],
    dims: usize,
    edges: &[Edge],
    link_threshold: f64,
) -> Agglomerator<'a> {
    let mut ag = Agglomerator::new(vecs, dims);
    // The initial edges are consumed as a sorted stream (best first); only re-scored entries
    // go through the heap, which keeps the heap small.
    let mut stream: Vec<HeapEntry> = edges
        .iter()
        .filter(|e| e.sim >= link_threshold)
        .map(|e| HeapEntry {
            sim: e.sim,
            a: e.a.min(e.b),
            b: e.a.max(e.b),
            sa: 1,
            sb: 1,
        })
        .collect();
    stream.sort_unstable_by(|x, y| y.cmp(x));
    let mut next_edge = 0usize;
    let mut heap: BinaryHeap<HeapEntry> = BinaryHeap::new();
    // Root pairs already scored, with the sizes at scoring: either an up-to-date entry is
    // queued, or the pair was found below the threshold.
    let mut scored: FxMap<(u32, u32), (u32, u32)> = FxMap::default();
    loop {
        let from_stream = match (stream.get(next_edge), heap.peek()) {
            (Some(s), Some(h)) => s >= h,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let e = if from_stream {
            next_edge += 1;
            stream[next_edge - 1]
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

// ---------------------------------------------------------------------------------------------
// Public entry point
// ---------------------------------------------------------------------------------------------

/// Finds groups of texts about the same subject. See the module documentation for the method.
pub fn cluster_texts(texts: &[&str], cfg: &TextConfig) -> Vec<TextCluster> {
    let n = texts.len();
    if n == 0 || n > u32::MAX as usize {
        return Vec::new();
    }
    let corpus = build_corpus(texts, cfg);
    let threshold = if cfg.min_similarity.is_finite() {
        cfg.min_similarity
    } else {
        f64::INFINITY
    };
    let edges = if n <= cfg.exact_max {
        exact_edges(&corpus, threshold)
    } else {
        lsh_edges(&corpus, threshold)
    };
    let edges = prune_edges(edges, n, MAX_DEGREE);
    // Never stricter than the edge threshold itself, so two texts joined by an edge can always
    // form a group (matters when nearly all texts are alike and the background is high).
    let link_threshold = (background_similarity(&corpus) + LINK_FACTOR * threshold)
        .min(threshold)
        .max(f64::MIN_POSITIVE);
    let mut ag = agglomerate(&corpus.vecs, corpus.dims, &edges, link_threshold);

    // Collect groups (texts without any word never join a group).
    let mut groups: FxMap<u32, Vec<usize>> = FxMap::default();
    for i in 0..n {
        if corpus.vecs[i].is_empty() {
            continue;
        }
        let r = ag.find(i as u32);
        groups.entry(r).or_default().push(i);
    }
    let min_size = cfg.min_cluster.max(1);
    let mut roots: Vec<(u32, Vec<usize>)> = groups
        .into_iter()
        .filter(|(_, m)| m.len() >= min_size)
        .collect();
    roots.sort_unstable_by(|x, y| y.1.len().cmp(&x.1.len()).then(x.1[0].cmp(&y.1[0])));

    // Corpus mean word tf-idf per stem.
    let mut corpus_mean = vec![0f64; corpus.stems.len()];
    for v in &corpus.word_vecs {
        for &(f, w) in v {
            corpus_mean[f as usize] += f64::from(w);
        }
    }
    for x in &mut corpus_mean {
        *x /= n as f64;
    }

    roots
        .into_iter()
        .map(|(root, members)| {
            let m = members.len() as f64;
            let cohesion = if members.len() < 2 {
                1.0
            } else {
                ((ag.sum_norm2(root) - m) / (m * (m - 1.0))).clamp(-1.0, 1.0)
            };
            let terms = label_terms(&corpus, &members, &corpus_mean, cfg.label_terms);
            TextCluster {
                members,
                terms,
                cohesion,
            }
        })
        .collect()
}

/// Mean cosine over all pairs of non-empty texts: `(|S|^2 - m) / (m (m - 1))` for the sum `S`
/// of the `m` unit vectors. This is the similarity two unrelated texts have "for free"
/// (shared domain words); merging requires a margin above it.
fn background_similarity(corpus: &Corpus) -> f64 {
    let mut total = vec![0f64; corpus.dims];
    let mut m = 0.0f64;
    for v in corpus.vecs.iter().filter(|v| !v.is_empty()) {
        m += 1.0;
        for &(f, w) in v {
            total[f as usize] += f64::from(w);
        }
    }
    if m < 2.0 {
        return 0.0;
    }
    let s2: f64 = total.iter().map(|x| x * x).sum();
    ((s2 - m) / (m * (m - 1.0))).clamp(0.0, 1.0)
}

fn label_terms(corpus: &Corpus, members: &[usize], corpus_mean: &[f64], k: usize) -> Vec<String> {
    if k == 0 {
        return Vec::new();
    }
    let m = members.len() as f64;
    let mut sums: FxMap<u32, f64> = FxMap::default();
    let mut surface_counts: FxMap<u32, u32> = FxMap::default();
    for &d in members {
        for &(f, w) in &corpus.word_vecs[d] {
            *sums.entry(f).or_insert(0.0) += f64::from(w);
        }
        for &s in &corpus.surface_tokens[d] {
            *surface_counts.entry(s).or_insert(0) += 1;
        }
    }
    let mut scored: Vec<(f64, u32)> = sums
        .into_iter()
        .map(|(f, s)| (s / m - corpus_mean[f as usize], f))
        .filter(|(score, _)| *score > 0.0)
        .collect();
    scored.sort_unstable_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then_with(|| corpus.stems[x.1 as usize].cmp(&corpus.stems[y.1 as usize]))
    });
    scored.truncate(k);
    // Most frequent surface form per chosen stem (ties: alphabetically first).
    let mut best: FxMap<u32, (u32, &str)> = FxMap::default();
    let mut counted: Vec<(u32, u32)> = surface_counts.into_iter().collect();
    counted.sort_unstable();
    for (s, c) in counted {
        let st = corpus.surface_stem[s as usize];
        let word = corpus.surfaces[s as usize].as_str();
        let e = best.entry(st).or_insert((c, word));
        if c > e.0 || (c == e.0 && word < e.1) {
            *e = (c, word);
        }
    }
    scored
        .into_iter()
        .map(|(_, f)| {
            best.get(&f).map_or_else(
                || corpus.stems[f as usize].clone(),
                |(_, w)| (*w).to_string(),
            )
        })
        .collect()
}

mod bench;

#[cfg(test)]
use bench::bench_corpus;
pub use bench::bench_text;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::time::{Duration, Instant};

    /// Four themes with ten differently worded summaries each, then ten unrelated texts.
    const TOPIC_HUURTOESLAG: [&str; 10] = [
        "Mevrouw ontving een terugvordering van haar huurtoeslag over 2022 omdat haar inkomen hoger uitviel dan geschat.",
        "Na de verhuizing naar een kleinere woning moest meneer de huurtoeslag van vorig jaar grotendeels terugbetalen.",
        "De Dienst Toeslagen vordert ruim 2.000 euro huurtoeslag terug omdat de verhuisdatum niet tijdig is doorgegeven.",
        "Burger kreeg een hoge terugvordering huurtoeslag nadat zijn inkomen door een nieuwe baan steeg.",
        "Huurtoeslag moet worden terugbetaald omdat de nieuwe huurwoning pas later op het adres stond ingeschreven.",
        "Gezin moet huurtoeslag terugbetalen: het jaarinkomen bleek achteraf te hoog en de toeslag werd herzien.",
        "Door een verhuizing halverwege het jaar is de huurtoeslag opnieuw berekend en volgt een forse terugvordering.",
        "Klant begrijpt niet waarom de definitieve berekening van de huurtoeslag leidt tot een terugvordering, terwijl het inkomen gelijk bleef.",
        "Terugvordering van huurtoeslag na wijziging van inkomen; betalingsregeling gevraagd maar nog niet toegekend.",
        "Student verhuisde naar een andere kamer en ontving daarna een brief dat de huurtoeslag teruggevorderd wordt.",
    ];
    const TOPIC_BESLAG: [&str; 10] = [
        "De ontvanger legde beslag op het loon waardoor mevrouw onder het bestaansminimum terechtkwam.",
        "Door loonbeslag van de Belastingdienst houdt het gezin minder over dan de beslagvrije voet.",
        "Invordering van een belastingschuld leidde tot beslag op de bankrekening; er blijft geen leefgeld over.",
        "Beslagvrije voet is verkeerd berekend, waardoor meneer maandenlang onder het bestaansminimum leeft.",
        "Deurwaarder van de Belastingdienst heeft beslag gelegd op de uitkering; huur en boodschappen kunnen niet meer betaald worden.",
        "Dwanginvordering van de aanslag inkomstenbelasting zorgt dat de burger onder het bestaansminimum zakt.",
        "Bankbeslag door de ontvanger, terwijl de persoon al schuldhulpverlening heeft; bestaansminimum niet gerespecteerd.",
        "Na beslag op het salaris blijft er te weinig over om van te leven; de beslagvrije voet is niet toegepast.",
        "Verrekening en beslag tegelijk: de invordering neemt meer dan is toegestaan en het bestaansminimum komt in gevaar.",
        "Alleenstaande moeder met beslag op haar loon kan de vaste lasten niet meer betalen door de invordering.",
    ];
    const TOPIC_DIGID: [&str; 10] = [
        "Oudere man van 84 kan zijn dochter niet machtigen via DigiD om de aangifte te doen.",
        "Een machtiging aanvragen in DigiD lukt niet omdat mevrouw geen smartphone heeft en de activeringscode niet ontvangt.",
        "Hoogbejaarde burger krijgt geen DigiD-machtiging geregeld; de brief met code komt steeds niet aan.",
        "Zoon wil namens zijn vader van 90 inloggen, maar de machtigingsprocedure met DigiD is voor ouderen te ingewikkeld.",
        "Ouderen in een verzorgingshuis kunnen niemand machtigen omdat DigiD een app of sms vereist.",
        "De DigiD-machtigingsdienst weigert de aanvraag voor een bewindvoerder van een oudere cliënt.",
        "Mevrouw is 78 en loopt vast bij het machtigen van haar kleinzoon in DigiD Machtigen.",
        "Digitale machtiging voor een dementerende vader lukt niet; DigiD vraagt om gegevens die hij niet kan geven.",
        "Senior zonder computer kan geen DigiD aanvragen en dus ook niemand machtigen voor de toeslagen.",
        "Machtigen via DigiD faalt telkens bij de controle; de oudere belastingplichtige heeft geen hulp beschikbaar.",
    ];
    const TOPIC_BTW: [&str; 10] = [
        "Zzp'er wil een suppletie btw indienen over het vorige kwartaal maar het portaal accepteert de correctie niet.",
        "Een zelfstandige zonder personeel ontdekte een fout in de btw-aangifte en kan de suppletie niet digitaal versturen.",
        "Suppletieaangifte omzetbelasting voor een zzp'er wordt afgewezen omdat de termijn zou zijn verstreken.",
        "Freelancer betaalde te veel btw en vraagt via een suppletie het bedrag terug; geen reactie van de Belastingdienst.",
        "De ondernemer kreeg een boete na het indienen van een btw-suppletie, terwijl hij zelf de fout meldde.",
        "Zzp'er in de bouw snapt niet hoe hij een aanvullende btw-aangifte moet doen voor het afgelopen jaar.",
        "Correctie van de omzetbelasting via suppletie duurt maanden; de zzp'er wacht op teruggaaf van btw.",
        "Btw-suppletieformulier werkt niet in Mijn Belastingdienst Zakelijk voor een eenmanszaak.",
        "Kleine ondernemer moet btw corrigeren over drie kwartalen en weet niet of een suppletie per kwartaal moet.",
        "Zzp'er gebruikte de kleineondernemersregeling ten onrechte en moet nu via suppletie btw terugbetalen.",
    ];
    const NOISE: [&str; 10] = [
        "Het wachtrijsysteem van de BelTelefoon was urenlang overbelast tijdens de aangifteperiode.",
        "Kinderopvangtoeslag werd stopgezet nadat de opvanglocatie uit het register verdween.",
        "Erfgenamen ontvingen een aanslag erfbelasting met een verkeerde waardering van de woning.",
        "Motorrijtuigenbelasting voor een geschorste auto werd toch in rekening gebracht.",
        "Zorgtoeslag voor een gedetineerde werd doorbetaald en later teruggevorderd.",
        "Een brief over de WOZ-waarde bevatte de naam van een andere belastingplichtige.",
        "Bezwaar tegen de aanslag inkomstenbelasting bleef anderhalf jaar onbehandeld liggen.",
        "Hersteloperatie kinderopvangtoeslag: compensatie werd uitbetaald aan de verkeerde ex-partner.",
        "Pakket douane: invoerrechten geheven op een geschenk uit het buitenland.",
        "Ondernemer met grensoverschrijdend werk kreeg dubbele belastingheffing in Duitsland en Nederland.",
    ];

    /// Corpus in interleaved order (so topics are not contiguous); labels: topic 0-3, noise 4.
    fn corpus() -> (Vec<&'static str>, Vec<usize>) {
        let topics = [
            TOPIC_HUURTOESLAG,
            TOPIC_BESLAG,
            TOPIC_DIGID,
            TOPIC_BTW,
            NOISE,
        ];
        let mut texts = Vec::new();
        let mut labels = Vec::new();
        for i in 0..10 {
            for (t, topic) in topics.iter().enumerate() {
                texts.push(topic[i]);
                labels.push(t);
            }
        }
        (texts, labels)
    }

    /// CPU seconds (user + system) used so far by the whole process (Linux only).
    fn cpu_seconds() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let after = stat.rsplit(')').next().unwrap_or("");
        let f: Vec<f64> = after
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0.0))
            .collect();
        if f.len() > 13 {
            (f[11] + f[12]) / 100.0
        } else {
            0.0
        }
    }

    #[test]
    #[ignore]
    fn bench_100k() {
        let n: usize = std::env::var("BENCH_N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(100_000);
        let (texts, _) = bench_corpus(n, 40, 0xb0b0_2024);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let t = Instant::now();
        let c0 = cpu_seconds();
        let corpus = build_corpus(&refs, &TextConfig::default());
        println!("vectorise {:?} cpu {:.2}", t.elapsed(), cpu_seconds() - c0);
        let t = Instant::now();
        let c0 = cpu_seconds();
        let edges = lsh_edges(&corpus, 0.35);
        println!(
            "lsh {:?} cpu {:.2} edges {}",
            t.elapsed(),
            cpu_seconds() - c0,
            edges.len()
        );
        let edges = prune_edges(edges, n, MAX_DEGREE);
        let t = Instant::now();
        let c0 = cpu_seconds();
        let mu = background_similarity(&corpus);
        println!("background {mu:.4}");
        let _ag = agglomerate(
            &corpus.vecs,
            corpus.dims,
            &edges,
            (mu + LINK_FACTOR * 0.35).min(0.35),
        );
        println!(
            "agglomerate {:?} cpu {:.2}",
            t.elapsed(),
            cpu_seconds() - c0
        );
        let t = Instant::now();
        let c0 = cpu_seconds();
        let c = cluster_texts(&refs, &TextConfig::default());
        println!(
            "total {:?} cpu {:.2}; clusters {} sizes {:?}",
            t.elapsed(),
            cpu_seconds() - c0,
            c.len(),
            c.iter()
                .take(45)
                .map(|c| c.members.len())
                .collect::<Vec<_>>()
        );
        println!(
            "{:?}",
            c.iter()
                .take(3)
                .map(|c| (&c.terms, c.cohesion))
                .collect::<Vec<_>>()
        );
        assert_eq!(c.len(), 40, "the 40 synthetic themes should be found");
        println!("bench_text {:?}", bench_text(n));
    }

    /// Indices of the clusters' members per topic label.
    fn topic_counts(c: &TextCluster, labels: &[usize]) -> [usize; 5] {
        let mut counts = [0usize; 5];
        for &m in &c.members {
            counts[labels[m]] += 1;
        }
        counts
    }

    fn assert_topics_recovered(clusters: &[TextCluster], labels: &[usize]) {
        let expected_terms = ["huurtoeslag", "beslag", "digid", "btw"];
        let mut noise_in_clusters = 0;
        for c in clusters {
            noise_in_clusters += topic_counts(c, labels)[4];
        }
        assert!(
            noise_in_clusters <= 3,
            "te veel ruis in clusters: {noise_in_clusters}"
        );
        for topic in 0..4 {
            // The cluster holding most texts of this topic.
            let best = clusters
                .iter()
                .max_by_key(|c| {
                    (
                        topic_counts(c, labels)[topic],
                        std::cmp::Reverse(c.members[0]),
                    )
                })
                .expect("clusters");
            let counts = topic_counts(best, labels);
            let purity = counts[topic] as f64 / best.members.len() as f64;
            assert!(
                counts[topic] >= 7,
                "topic {topic}: only {} of 10 found",
                counts[topic]
            );
            assert!(purity >= 0.8, "topic {topic}: purity {purity}");
            assert!(
                best.terms.iter().any(|t| t == expected_terms[topic]),
                "topic {topic}: labels {:?}",
                best.terms
            );
            assert!(best.cohesion > 0.15 && best.cohesion <= 1.0);
        }
    }

    #[test]
    fn tokenize_golden() {
        assert_eq!(
            tokenize("Mevrouw (84) kon de DigiD-machtiging niet aanvragen; zzp'er btw."),
            vec!["digid", "machtiging", "aanvragen", "zzp", "btw"]
        );
        // Decomposed diaeresis is composed first, so the word is not split.
        assert_eq!(
            tokenize("Financie\u{308}le ZORGEN over 2023"),
            vec!["financiële", "zorgen"]
        );
        assert!(tokenize("").is_empty());
        assert!(tokenize("de het een 123 !! ab").is_empty());
        assert!(
            STOP_WORDS.len() >= 150,
            "stop list has {}",
            STOP_WORDS.len()
        );
    }

    #[test]
    fn stem_golden() {
        // Values of the Snowball Dutch algorithm.
        assert_eq!(stem("huurtoeslagen"), "huurtoeslag");
        assert_eq!(stem("fietsen"), "fiets");
        assert_eq!(stem("huizen"), "huiz");
        assert_eq!(stem("lichamelijk"), "licham");
        assert_eq!(stem("machtigingen"), "machtig");
        assert_eq!(stem("beslagen"), "beslag");
    }

    #[test]
    fn char_grams_stay_inside_words() {
        // " btw " has 5 characters: two 4-grams.
        assert_eq!(char_gram_hashes("btw", 4).len(), 2);
        // " beslag " has 8 characters: five 4-grams.
        assert_eq!(char_gram_hashes("beslag", 4).len(), 5);
        // Shorter than n: the padded word is one gram.
        assert_eq!(char_gram_hashes("ab", 6).len(), 1);
        assert_eq!(char_gram_hashes("btw", 4), char_gram_hashes("btw", 4));
    }

    #[test]
    fn tfidf_golden_cosine() {
        // Words only. "digid" occurs once (df 1 < MIN_DF) and is dropped.
        // idf(huurtoeslag, df 3 of 3) = ln(4/4) + 1 = 1; idf(beslag, df 2) = ln(4/3) + 1.
        let cfg = TextConfig {
            char_ngram: 0,
            char_weight: 0.0,
            ..TextConfig::default()
        };
        let texts = [
            "huurtoeslag beslag",
            "huurtoeslag beslag",
            "huurtoeslag digid",
        ];
        let c = build_corpus(&texts, &cfg);
        let idf_beslag = (4.0f64 / 3.0).ln() + 1.0;
        let expected = 1.0 / (1.0 + idf_beslag * idf_beslag).sqrt(); // 0.61336
        assert!((expected - 0.61336).abs() < 1e-4);
        assert!((sparse_dot(&c.vecs[0], &c.vecs[1]) - 1.0).abs() < 1e-6);
        assert!((sparse_dot(&c.vecs[0], &c.vecs[2]) - expected).abs() < 1e-6);
        // Sublinear tf: "beslag beslag" weighs 1 + ln 2 times idf.
        let texts = ["beslag beslag loon", "beslag loon", "loon"];
        let c = build_corpus(&texts, &cfg);
        let idf_loon = 1.0; // df 3 of 3
        let wb = (1.0 + 2f64.ln()) * idf_beslag;
        let n0 = (wb * wb + idf_loon * idf_loon).sqrt();
        let n1 = (idf_beslag * idf_beslag + idf_loon * idf_loon).sqrt();
        let expected = (wb * idf_beslag + idf_loon * idf_loon) / (n0 * n1);
        assert!((sparse_dot(&c.vecs[0], &c.vecs[1]) - expected).abs() < 1e-6);
    }

    #[test]
    fn combined_cosine_is_weighted_mean_of_blocks() {
        let texts = [
            "terugvordering huurtoeslag verhuizing",
            "huurtoeslag teruggevorderd na verhuizing",
            "terugvordering zorgtoeslag inkomen",
            "inkomen verhuizing",
        ];
        let words = TextConfig {
            char_weight: 0.0,
            ..TextConfig::default()
        };
        let chars = TextConfig {
            char_weight: 1.0,
            ..TextConfig::default()
        };
        let mixed = TextConfig {
            char_weight: 0.3,
            ..TextConfig::default()
        };
        let (cw, cc, cm) = (
            build_corpus(&texts, &words),
            build_corpus(&texts, &chars),
            build_corpus(&texts, &mixed),
        );
        for (i, j) in [(0, 1), (0, 2), (1, 3)] {
            let w = sparse_dot(&cw.vecs[i], &cw.vecs[j]);
            let c = sparse_dot(&cc.vecs[i], &cc.vecs[j]);
            let m = sparse_dot(&cm.vecs[i], &cm.vecs[j]);
            assert!(
                (m - (0.7 * w + 0.3 * c)).abs() < 1e-6,
                "{i}-{j}: {m} {w} {c}"
            );
        }
        // Every non-empty vector has unit length.
        for v in &cm.vecs {
            assert!((sparse_dot(v, v) - 1.0).abs() < 1e-5);
        }
    }

    #[test]
    fn recovers_four_topics() {
        let (texts, labels) = corpus();
        let clusters = cluster_texts(&texts, &TextConfig::default());
        assert_topics_recovered(&clusters, &labels);
        // Members sorted, clusters sorted by size then first member, disjoint.
        let mut seen = vec![false; texts.len()];
        for w in clusters.windows(2) {
            assert!(
                (w[0].members.len(), std::cmp::Reverse(w[0].members[0]))
                    >= (w[1].members.len(), std::cmp::Reverse(w[1].members[0]))
            );
        }
        for c in &clusters {
            assert!(c.members.len() >= 3);
            assert!(c.members.windows(2).all(|p| p[0] < p[1]));
            assert!(c.terms.len() <= 4 && !c.terms.is_empty());
            for &m in &c.members {
                assert!(!seen[m]);
                seen[m] = true;
            }
        }
        // Deterministic.
        assert_eq!(clusters, cluster_texts(&texts, &TextConfig::default()));
    }

    #[test]
    fn cohesion_matches_pairwise_mean() {
        let (texts, _) = corpus();
        let cfg = TextConfig::default();
        let corpus = build_corpus(&texts, &cfg);
        for c in cluster_texts(&texts, &cfg) {
            let mut sum = 0.0;
            let mut pairs = 0.0;
            for (k, &a) in c.members.iter().enumerate() {
                for &b in &c.members[k + 1..] {
                    sum += sparse_dot(&corpus.vecs[a], &corpus.vecs[b]);
                    pairs += 1.0;
                }
            }
            assert!(
                (c.cohesion - sum / pairs).abs() < 1e-5,
                "{} vs {}",
                c.cohesion,
                sum / pairs
            );
        }
        // Three identical texts: cohesion exactly 1.
        let same = [
            "Beslag op loon",
            "Beslag op loon",
            "Beslag op loon",
            "Iets anders",
        ];
        let c = cluster_texts(&same, &cfg);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].members, vec![0, 1, 2]);
        assert!((c[0].cohesion - 1.0).abs() < 1e-5);
        assert_eq!(c[0].terms, vec!["beslag", "loon"]);
    }

    #[test]
    fn labels_use_most_frequent_surface_form() {
        let texts = [
            "machtigingen digid",
            "machtigingen DigiD",
            "machtiging digid",
            "beslag loon",
            "beslag loon",
        ];
        let c = cluster_texts(&texts, &TextConfig::default());
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].members, vec![0, 1, 2]);
        // Both stems score the same; ties go alphabetically by stem ("digid" < "machtig").
        assert_eq!(c[0].terms, vec!["digid", "machtigingen"]);
        let one = TextConfig {
            label_terms: 1,
            ..TextConfig::default()
        };
        assert_eq!(cluster_texts(&texts, &one)[0].terms, vec!["digid"]);
    }

    #[test]
    fn lsh_path_matches_exact_path() {
        let (texts, labels) = corpus();
        let exact = cluster_texts(&texts, &TextConfig::default());
        let lsh = cluster_texts(
            &texts,
            &TextConfig {
                exact_max: 0,
                ..TextConfig::default()
            },
        );
        assert_topics_recovered(&lsh, &labels);
        // Agreement on "same cluster or not" over all pairs of texts.
        let assign = |cs: &[TextCluster]| {
            let mut a = vec![usize::MAX; texts.len()];
            for (k, c) in cs.iter().enumerate() {
                for &m in &c.members {
                    a[m] = k;
                }
            }
            a
        };
        let (ae, al) = (assign(&exact), assign(&lsh));
        let (mut agree, mut total) = (0usize, 0usize);
        for i in 0..texts.len() {
            for j in i + 1..texts.len() {
                let e = ae[i] != usize::MAX && ae[i] == ae[j];
                let l = al[i] != usize::MAX && al[i] == al[j];
                agree += usize::from(e == l);
                total += 1;
            }
        }
        assert!(
            agree as f64 / total as f64 >= 0.97,
            "agreement {agree}/{total}"
        );
    }

    #[test]
    fn lsh_recovers_synthetic_themes() {
        let (texts, themes) = bench_corpus(3000, 10, 42);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let cfg = TextConfig {
            exact_max: 0,
            ..TextConfig::default()
        };
        let clusters = cluster_texts(&refs, &cfg);
        assert_eq!(clusters.len(), 10);
        let mut covered = 0;
        for c in &clusters {
            let mut counts = [0usize; 10];
            for &m in &c.members {
                counts[themes[m]] += 1;
            }
            let max = *counts.iter().max().unwrap();
            assert!(max as f64 >= 0.98 * c.members.len() as f64);
            covered += c.members.len();
        }
        assert!(covered >= 2900, "only {covered} of 3000 clustered");
        assert!(bench_text(500) > Duration::ZERO);
    }

    #[test]
    fn blank_texts_never_cluster() {
        let texts = [
            "",
            "   ",
            "123 456",
            "!!",
            "de het een",
            "",
            "   ",
            "123 456",
            "!!",
            "de het een",
            "",
            "...",
        ];
        assert!(cluster_texts(&texts, &TextConfig::default()).is_empty());
        let cfg = TextConfig {
            min_cluster: 1,
            ..TextConfig::default()
        };
        assert!(cluster_texts(&texts, &cfg).is_empty());
        // Blank texts among real ones stay out.
        let (mut texts, _) = corpus();
        texts.extend(["", " ", "2024", "", "het de"]);
        let n = texts.len();
        for c in cluster_texts(&texts, &TextConfig::default()) {
            assert!(c.members.iter().all(|&m| m < n - 5));
        }
        assert!(cluster_texts(&[], &TextConfig::default()).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics_members_valid(
            texts in proptest::collection::vec(
                prop_oneof![
                    ".*",
                    "(beslag|loon|huurtoeslag|digid|btw|suppletie|de|het|12|-|'| ){0,12}",
                ],
                0..40,
            ),
            lsh in any::<bool>(),
            min_similarity in 0.0f64..1.0,
            min_cluster in 0usize..4,
            char_ngram in 0usize..6,
        ) {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let cfg = TextConfig {
                exact_max: if lsh { 0 } else { 5000 },
                min_similarity,
                min_cluster,
                char_ngram,
                ..TextConfig::default()
            };
            let clusters = cluster_texts(&refs, &cfg);
            let mut seen = vec![false; refs.len()];
            for c in &clusters {
                prop_assert!(!c.members.is_empty());
                prop_assert!(c.members.len() >= min_cluster);
                prop_assert!(c.members.windows(2).all(|p| p[0] < p[1]));
                prop_assert!(c.cohesion.is_finite());
                for &m in &c.members {
                    prop_assert!(m < refs.len());
                    prop_assert!(!seen[m]);
                    seen[m] = true;
                    prop_assert!(!tokenize(refs[m]).is_empty());
                }
            }
        }
    }
}
