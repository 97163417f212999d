//! Vectorising: TF-IDF over stems and character n-grams, the corpus.

use super::*;
use crate::analyse::methods::bitset::set_bits;

/// Sparse vector: (feature id, weight), sorted by feature id.
pub(super) type SparseVec = Vec<(u32, f32)>;

pub(super) struct Corpus {
    /// Combined word + character vectors (unit length, or empty for texts without words).
    pub(super) vecs: Vec<SparseVec>,
    /// Idf of each stem (0 for stems in fewer than [`MIN_DF`] texts). The word-only tf-idf
    /// vectors are made from it when needed ([`Corpus::word_vec`]) rather than kept for every
    /// text: at a million cases they would hold some 60 MB through the whole clustering.
    pub(super) idf_w: Vec<f64>,
    /// Surface token ids per text.
    pub(super) surface_tokens: Vec<Vec<u32>>,
    /// Surface form strings by id.
    pub(super) surfaces: Vec<String>,
    /// Stem id of each surface form.
    pub(super) surface_stem: Vec<u32>,
    /// Stem strings by id.
    pub(super) stems: Vec<String>,
    /// Number of feature dimensions (stems + character n-grams).
    pub(super) dims: usize,
    /// Number of word (stem) entries at the start of each combined vector.
    pub(super) word_len: Vec<u32>,
    /// Upper bound of the character block's contribution to a cosine.
    pub(super) char_share: f64,
}

impl Corpus {
    /// (stem id, count) of text `i`'s tokens, sorted by id.
    fn word_counts(&self, i: usize) -> Vec<(u32, u32)> {
        let mut w: Vec<u32> = self.surface_tokens[i]
            .iter()
            .map(|&s| self.surface_stem[s as usize])
            .collect();
        run_counts(&mut w)
    }

    /// The word-only tf-idf vector of text `i` (unit length, or empty), used for labels.
    pub(super) fn word_vec(&self, i: usize) -> SparseVec {
        RawTfidf::new(&self.word_counts(i), &self.idf_w).scaled(0, 1.0)
    }

    /// The feature ids of [`Corpus::word_vec`]: the text's distinct stems with a positive idf,
    /// ascending (the MinHash shingles).
    pub(super) fn word_ids(&self, i: usize) -> Vec<u32> {
        if self.char_share < 1.0 {
            // The word block of the combined vector holds exactly these ids: its scale
            // `sqrt(1 - char_share)` is positive, and every stem with a positive idf has a
            // positive weight (idf >= 1, 1 + ln tf >= 1).
            return self.vecs[i][..self.word_len[i] as usize]
                .iter()
                .map(|&(id, _)| id)
                .collect();
        }
        let mut ids: Vec<u32> = self
            .word_counts(i)
            .into_iter()
            .map(|(id, _)| id)
            .filter(|&id| self.idf_w[id as usize] > 0.0)
            .collect();
        ids.shrink_to_fit();
        ids
    }
}

pub(super) fn char_gram_hashes(word: &str, n: usize) -> Vec<u64> {
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
pub(super) fn run_counts(ids: &mut [u32]) -> Vec<(u32, u32)> {
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

/// Term frequencies below this have their sublinear weight `1 + ln tf` in a table.
const TF_TABLE: usize = 64;

/// The sublinear term frequency `1 + ln tf`: from a table for small `tf` (the very same
/// values, computed once), computed otherwise.
fn sublinear_tf(tf: u32) -> f64 {
    static TABLE: OnceLock<[f64; TF_TABLE]> = OnceLock::new();
    let table = TABLE.get_or_init(|| std::array::from_fn(|k| 1.0 + (k as f64).ln()));
    match table.get(tf as usize) {
        Some(&w) => w,
        None => 1.0 + f64::from(tf).ln(),
    }
}

/// The TF-IDF weights of a text's features (those with a positive weight) and their L2 norm,
/// before normalising.
#[derive(Default)]
pub(super) struct RawTfidf {
    weights: Vec<(u32, f64)>,
    norm: f64,
}

impl RawTfidf {
    pub(super) fn new(counts: &[(u32, u32)], idf: &[f64]) -> Self {
        let weights: Vec<(u32, f64)> = counts
            .iter()
            .map(|&(id, tf)| (id, sublinear_tf(tf) * idf[id as usize]))
            .filter(|&(_, w)| w > 0.0)
            .collect();
        let norm = weights.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        RawTfidf { weights, norm }
    }

    /// [`RawTfidf::new`] of the counts in `counter` (which it empties), in place: the
    /// weights' memory is reused from text to text.
    fn refill(&mut self, counter: &mut FeatureCounter, idf: &[f64]) {
        let weights = &mut self.weights;
        weights.clear();
        counter.drain(|id, tf| {
            let w = sublinear_tf(tf) * idf[id as usize];
            if w > 0.0 {
                weights.push((id, w));
            }
        });
        self.norm = weights.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    }

    /// The unit vector scaled by `scale`, with `offset` added to every feature id.
    pub(super) fn scaled(&self, offset: u32, scale: f64) -> SparseVec {
        let mut out = Vec::with_capacity(self.scaled_len(scale));
        self.push_scaled(&mut out, offset, scale);
        out
    }

    /// [`RawTfidf::scaled`], appended to `out`.
    fn push_scaled(&self, out: &mut SparseVec, offset: u32, scale: f64) {
        if self.norm <= 0.0 || scale <= 0.0 {
            return;
        }
        let norm = self.norm;
        out.extend(
            self.weights
                .iter()
                .map(|&(id, w)| (id + offset, (w / norm * scale) as f32)),
        );
    }

    /// The number of entries [`RawTfidf::scaled`] gives.
    fn scaled_len(&self, scale: f64) -> usize {
        if self.norm <= 0.0 || scale <= 0.0 {
            0
        } else {
            self.weights.len()
        }
    }
}

/// The combined vector of a text (see [`build_corpus`]) and the length of its word block,
/// made in one allocation of the right size.
fn combined_vector(
    words: &RawTfidf,
    chars: &RawTfidf,
    n_stems: u32,
    w_char: f64,
) -> (SparseVec, u32) {
    let (word_scale, char_scale) = ((1.0 - w_char).sqrt(), w_char.sqrt());
    let (wl, cl) = (words.scaled_len(word_scale), chars.scaled_len(char_scale));
    if wl == 0 && cl == 0 {
        // Degenerate settings (char_weight = 1 without usable n-grams): fall back to words.
        let wv = words.scaled(0, 1.0);
        let len = wv.len() as u32;
        return (wv, len);
    }
    let mut v = Vec::with_capacity(wl + cl);
    words.push_scaled(&mut v, 0, word_scale);
    chars.push_scaled(&mut v, n_stems, char_scale);
    (v, wl as u32)
}

/// The surface tokens of a run of texts, with ids local to the run: the run's vocabulary in
/// order of first occurrence, and per text the ids of its tokens.
struct LocalTokens {
    vocab: Vec<String>,
    texts: Vec<Vec<u32>>,
}

/// Marks a stop word in the map of [`local_tokens`].
const STOP: u32 = u32::MAX;

fn local_tokens(texts: &[&str]) -> LocalTokens {
    // One look-up per word: the stop words are in the map too, marked [`STOP`].
    let mut ids: FxMap<Box<str>, u32> = tokens::STOP_WORDS
        .iter()
        .map(|&w| (w.into(), STOP))
        .collect();
    let mut vocab: Vec<String> = Vec::new();
    let mut buf = String::new();
    let texts = texts
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            tokens::for_each_word(t, &mut buf, |tok| {
                let id = match ids.get(tok) {
                    Some(&id) => id,
                    None => {
                        let id = vocab.len() as u32;
                        vocab.push(tok.to_string());
                        ids.insert(tok.into(), id);
                        id
                    }
                };
                if id != STOP {
                    out.push(id);
                }
            });
            out
        })
        .collect();
    LocalTokens { vocab, texts }
}

/// The vocabulary of the corpus: surface forms, their stems and character n-grams, with ids
/// in order of first occurrence.
struct Vocabulary {
    surface_ids: FxMap<String, u32>,
    surfaces: Vec<String>,
    surface_stem: Vec<u32>,
    /// The n-gram ids of surface `s` are `grams[gram_start[s]..gram_start[s + 1]]`.
    gram_start: Vec<u32>,
    grams: Vec<u32>,
    stem_ids: FxMap<String, u32>,
    stems: Vec<String>,
    gram_ids: FxMap<u64, u32>,
}

impl Vocabulary {
    fn new() -> Self {
        Vocabulary {
            surface_ids: FxMap::default(),
            surfaces: Vec::new(),
            surface_stem: Vec::new(),
            gram_start: vec![0],
            grams: Vec::new(),
            stem_ids: FxMap::default(),
            stems: Vec::new(),
            gram_ids: FxMap::default(),
        }
    }

    /// The id of a surface form, added (with its stem and n-grams) when new.
    fn surface(&mut self, tok: String, stemmer: &Stemmer, char_ngram: Option<usize>) -> u32 {
        if let Some(&id) = self.surface_ids.get(&tok) {
            return id;
        }
        let id = self.surfaces.len() as u32;
        let st = stemmer.stem(&tok).into_owned();
        let next_stem = self.stems.len() as u32;
        let stem_id = *self.stem_ids.entry(st.clone()).or_insert(next_stem);
        if stem_id == next_stem {
            self.stems.push(st);
        }
        if let Some(n) = char_ngram {
            for h in char_gram_hashes(&tok, n) {
                let next = self.gram_ids.len() as u32;
                self.grams.push(*self.gram_ids.entry(h).or_insert(next));
            }
        }
        self.gram_start.push(self.grams.len() as u32);
        self.surface_stem.push(stem_id);
        self.surfaces.push(tok.clone());
        self.surface_ids.insert(tok, id);
        id
    }

    /// The n-gram ids of surface `s`.
    fn surface_grams(&self, s: u32) -> &[u32] {
        let s = s as usize;
        &self.grams[self.gram_start[s] as usize..self.gram_start[s + 1] as usize]
    }
}

/// Texts per run of the parallel tokenizer.
const TOKEN_RUN: usize = 4096;

/// The surface token ids of every text and the vocabulary. Texts are tokenized in parallel
/// in runs with local ids; the runs' vocabularies are then merged in input order, so every
/// id is the same as in one pass over the texts.
fn tokenize_corpus(texts: &[&str], char_ngram: Option<usize>) -> (Vec<Vec<u32>>, Vocabulary) {
    let stemmer = Stemmer::create(Algorithm::Dutch);
    let runs: Vec<&[&str]> = texts.chunks(TOKEN_RUN).collect();
    let mut vocab = Vocabulary::new();
    let mut surface_tokens: Vec<Vec<u32>> = Vec::with_capacity(texts.len());
    // The threads are chosen for the number of texts, not of runs (a few dozen runs would
    // get one thread).
    for local in par_map_on(&runs, thread_count(texts.len()), |run| local_tokens(run)) {
        let global: Vec<u32> = local
            .vocab
            .into_iter()
            .map(|tok| vocab.surface(tok, &stemmer, char_ngram))
            .collect();
        // Copied (rather than changed in place) on this thread: the token lists then live
        // in its heap, and the runs' own memory (another thread's) is all given back.
        for ids in local.texts {
            surface_tokens.push(ids.iter().map(|&id| global[id as usize]).collect());
        }
    }
    (surface_tokens, vocab)
}

/// Counts of feature ids for one text at a time, without sorting: a count per id and a
/// two-level bitmap of the ids in use, so [`FeatureCounter::drain`] gives the ids ascending
/// in time proportional to their number (plus one word per 4.096 ids). Reused for every
/// text of a thread.
pub(super) struct FeatureCounter {
    counts: Vec<u32>,
    /// One bit per id.
    bits: Vec<u64>,
    /// One bit per word of `bits`.
    top: Vec<u64>,
}

impl FeatureCounter {
    pub(super) fn new(features: usize) -> Self {
        let words = features.div_ceil(64);
        FeatureCounter {
            counts: vec![0; features],
            bits: vec![0; words],
            top: vec![0; words.div_ceil(64)],
        }
    }

    /// Adds `count` (> 0) occurrences of `id`.
    #[inline]
    pub(super) fn add(&mut self, id: u32, count: u32) {
        let id = id as usize;
        self.counts[id] += count;
        self.bits[id >> 6] |= 1 << (id & 63);
        self.top[id >> 12] |= 1 << ((id >> 6) & 63);
    }

    /// Calls `f(id, count)` for every id added since the last drain, by ascending id, and
    /// empties the counter.
    pub(super) fn drain(&mut self, mut f: impl FnMut(u32, u32)) {
        let (top, bits, counts) = (&mut self.top, &mut self.bits, &mut self.counts);
        for w in set_bits(top.iter_mut().map(std::mem::take)) {
            for b in set_bits(std::iter::once(std::mem::take(&mut bits[w]))) {
                let id = w * 64 + b;
                f(id as u32, std::mem::take(&mut counts[id]));
            }
        }
    }
}

/// The distinct surface forms of a text with their counts (in no particular order), from a
/// count per surface id reused for every text of a thread.
struct SurfaceCounter {
    counts: Vec<u32>,
    distinct: Vec<u32>,
}

impl SurfaceCounter {
    fn new(surfaces: usize) -> Self {
        SurfaceCounter {
            counts: vec![0; surfaces],
            distinct: Vec::new(),
        }
    }

    /// Calls `f(surface, count)` once for every distinct surface of `sids`.
    fn each(&mut self, sids: &[u32], mut f: impl FnMut(u32, u32)) {
        for &s in sids {
            let c = &mut self.counts[s as usize];
            if *c == 0 {
                self.distinct.push(s);
            }
            *c += 1;
        }
        for &s in &self.distinct {
            f(s, std::mem::take(&mut self.counts[s as usize]));
        }
        self.distinct.clear();
    }
}

/// Per feature the number of texts holding it, for stems and for n-grams, counted in
/// parallel in one pass. Each distinct surface form of a text is looked at once; a stamp per
/// feature (the text's index in the block, plus one) counts each feature once per text.
fn document_frequencies(surface_tokens: &[Vec<u32>], vocab: &Vocabulary) -> (Vec<u32>, Vec<u32>) {
    let (n_stems, n_grams, n_surfaces) = (
        vocab.stems.len(),
        vocab.gram_ids.len(),
        vocab.surfaces.len(),
    );
    let threads = thread_count(surface_tokens.len());
    let chunk = surface_tokens.len().div_ceil(threads.max(1)).max(1);
    let chunks: Vec<&[Vec<u32>]> = surface_tokens.chunks(chunk).collect();
    let partial = par_map_on(&chunks, threads, |block| {
        let (mut df_w, mut df_g) = (vec![0u32; n_stems], vec![0u32; n_grams]);
        let mut seen_surface = vec![0u32; n_surfaces];
        let (mut seen_w, mut seen_g) = (vec![0u32; n_stems], vec![0u32; n_grams]);
        for (d, sids) in block.iter().enumerate() {
            // A block holds at most u32::MAX texts (the caller's limit), so no stamp is 0.
            let stamp = d as u32 + 1;
            for &s in sids {
                if std::mem::replace(&mut seen_surface[s as usize], stamp) == stamp {
                    continue;
                }
                let w = vocab.surface_stem[s as usize] as usize;
                if std::mem::replace(&mut seen_w[w], stamp) != stamp {
                    df_w[w] += 1;
                }
                for &g in vocab.surface_grams(s) {
                    if std::mem::replace(&mut seen_g[g as usize], stamp) != stamp {
                        df_g[g as usize] += 1;
                    }
                }
            }
        }
        (df_w, df_g)
    });
    let (mut total_w, mut total_g) = (vec![0u32; n_stems], vec![0u32; n_grams]);
    for (part_w, part_g) in partial {
        for (t, p) in total_w.iter_mut().zip(part_w) {
            *t += p;
        }
        for (t, p) in total_g.iter_mut().zip(part_g) {
            *t += p;
        }
    }
    (total_w, total_g)
}

/// A thread's scratch for making the vectors of texts (see [`VectorScratch::vector`]).
struct VectorScratch {
    surfaces: SurfaceCounter,
    stem_counts: FeatureCounter,
    gram_counts: FeatureCounter,
    words: RawTfidf,
    chars: RawTfidf,
}

impl VectorScratch {
    fn new(vocab: &Vocabulary) -> Self {
        VectorScratch {
            surfaces: SurfaceCounter::new(vocab.surfaces.len()),
            stem_counts: FeatureCounter::new(vocab.stems.len()),
            gram_counts: FeatureCounter::new(vocab.gram_ids.len()),
            words: RawTfidf::default(),
            chars: RawTfidf::default(),
        }
    }

    /// The combined vector of the text with surface tokens `sids` and the length of its word
    /// block: that of [`combined_vector`] on the text's counts sorted by id.
    fn vector(
        &mut self,
        vocab: &Vocabulary,
        sids: &[u32],
        idf: [&[f64]; 2],
        w_char: f64,
    ) -> (SparseVec, u32) {
        let (stems, grams) = (&mut self.stem_counts, &mut self.gram_counts);
        self.surfaces.each(sids, |s, c| {
            stems.add(vocab.surface_stem[s as usize], c);
            for &g in vocab.surface_grams(s) {
                grams.add(g, c);
            }
        });
        self.words.refill(stems, idf[0]);
        self.chars.refill(grams, idf[1]);
        combined_vector(&self.words, &self.chars, vocab.stems.len() as u32, w_char)
    }
}

/// Whether the vectors get a character n-gram block, and its share of the cosine (0..=1).
fn char_block(cfg: &TextConfig) -> (bool, f64) {
    let use_chars = cfg.char_ngram > 0 && cfg.char_weight > 0.0;
    let w_char = if use_chars {
        cfg.char_weight.clamp(0.0, 1.0)
    } else {
        0.0
    };
    (use_chars, w_char)
}

/// The smoothed idf of a feature in `df` of `n` texts; 0 below [`MIN_DF`] (the feature is
/// left out).
fn idf(df: u32, n: usize) -> f64 {
    if df < MIN_DF {
        0.0
    } else {
        ((1.0 + n as f64) / (1.0 + f64::from(df))).ln() + 1.0
    }
}

pub(super) fn build_corpus(texts: &[&str], cfg: &TextConfig) -> Corpus {
    let n = texts.len();
    let (use_chars, w_char) = char_block(cfg);
    let (surface_tokens, vocab) = tokenize_corpus(texts, use_chars.then_some(cfg.char_ngram));
    let n_stems = vocab.stems.len();
    let n_grams = vocab.gram_ids.len();
    let idf_of = |df: &[u32]| -> Vec<f64> { df.iter().map(|&d| idf(d, n)).collect() };
    // The n-gram counts of a text are made twice (for the document frequencies and for the
    // vector) rather than kept for all texts at once: they are the largest part of the corpus.
    let (df_w, df_g) = document_frequencies(&surface_tokens, &vocab);
    let (idf_w, idf_g) = (idf_of(&df_w), idf_of(&df_g));
    let per_text = par_map_init(
        &surface_tokens,
        thread_count(surface_tokens.len()),
        || VectorScratch::new(&vocab),
        |scratch, sids| scratch.vector(&vocab, sids, [&idf_w, &idf_g], w_char),
    );
    let mut vecs = Vec::with_capacity(n);
    let mut word_len = Vec::with_capacity(n);
    for (v, wl) in per_text {
        vecs.push(v);
        word_len.push(wl);
    }
    Corpus {
        vecs,
        idf_w,
        surface_tokens,
        surfaces: vocab.surfaces,
        surface_stem: vocab.surface_stem,
        stems: vocab.stems,
        dims: n_stems + n_grams,
        word_len,
        char_share: w_char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The ids of one pass over the texts in input order (the reference for the parallel runs).
    fn serial_ids(texts: &[&str]) -> (Vec<Vec<u32>>, Vec<String>) {
        let mut ids: FxMap<String, u32> = FxMap::default();
        let mut vocab = Vec::new();
        let per_text = texts
            .iter()
            .map(|t| {
                tokenize(t)
                    .into_iter()
                    .map(|tok| {
                        let next = vocab.len() as u32;
                        *ids.entry(tok.clone()).or_insert_with(|| {
                            vocab.push(tok);
                            next
                        })
                    })
                    .collect()
            })
            .collect();
        (per_text, vocab)
    }

    #[test]
    fn parallel_runs_give_the_ids_of_one_pass() {
        // More texts than one run, words that first appear late, repeated and blank texts.
        let (mut texts, _) = bench_corpus(3 * TOKEN_RUN + 17, 12, 5);
        for (k, t) in texts.iter_mut().enumerate() {
            if k % 997 == 0 {
                t.push_str(&format!(" nieuwwoord{} ", ["a", "b", "c"][k % 3]));
            }
            if k % 1500 == 0 {
                t.clear();
            }
        }
        texts.push("Financie\u{308}le zorgen, DigiD-machtiging".into());
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (tokens, vocab) = tokenize_corpus(&refs, Some(4));
        let (expected, expected_vocab) = serial_ids(&refs);
        assert_eq!(tokens, expected);
        assert_eq!(vocab.surfaces, expected_vocab);
        // Stems and n-grams get their ids in the order their first surface form appears.
        let mut seen_stems = 0u32;
        for &st in &vocab.surface_stem {
            assert!(st <= seen_stems);
            seen_stems = seen_stems.max(st + 1);
        }
        assert_eq!(seen_stems as usize, vocab.stems.len());
    }

    #[test]
    fn word_vectors_made_on_demand_are_the_word_block() {
        let (mut texts, _) = bench_corpus(500, 5, 21);
        texts.extend(["".into(), "uniekwoord".into(), "de het 12".into()]);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        // Without character n-grams the combined vector is the word vector itself (scale 1).
        let words_only = TextConfig {
            char_weight: 0.0,
            ..TextConfig::default()
        };
        let c = build_corpus(&refs, &words_only);
        let mixed = build_corpus(&refs, &TextConfig::default());
        for i in 0..refs.len() {
            let wv = c.word_vec(i);
            let bits = |v: &SparseVec| v.iter().map(|&(f, w)| (f, w.to_bits())).collect::<Vec<_>>();
            assert_eq!(bits(&wv), bits(&c.vecs[i]), "text {i}");
            assert_eq!(bits(&mixed.word_vec(i)), bits(&wv), "text {i}");
            let ids: Vec<u32> = wv.iter().map(|e| e.0).collect();
            assert_eq!(c.word_ids(i), ids, "text {i}");
            // The word block of the mixed vector holds the same stems.
            let block: Vec<u32> = mixed.vecs[i][..mixed.word_len[i] as usize]
                .iter()
                .map(|e| e.0)
                .collect();
            assert_eq!(block, ids, "text {i}");
        }
        assert!(c.word_vec(refs.len() - 1).is_empty());
    }

    /// The combined vector as it was made before [`combined_vector`]: separate vectors,
    /// then joined (the reference).
    fn combined_joined(
        words: &RawTfidf,
        chars: &RawTfidf,
        n_stems: u32,
        w_char: f64,
    ) -> (SparseVec, u32) {
        let wv = words.scaled(0, 1.0);
        let mut combined = words.scaled(0, (1.0 - w_char).sqrt());
        let cv = chars.scaled(n_stems, w_char.sqrt());
        if combined.is_empty() && !wv.is_empty() && cv.is_empty() {
            combined = wv;
        }
        let word_len = combined.len() as u32;
        combined.extend(cv);
        (combined, word_len)
    }

    #[test]
    fn combined_vectors_equal_the_joined_blocks() {
        let mut rng = SplitMix64::new(23);
        let idf: Vec<f64> = (0..50)
            .map(|k| {
                if k % 7 == 0 {
                    0.0
                } else {
                    1.0 + rng.unit() * 3.0
                }
            })
            .collect();
        let mut counts = || -> Vec<(u32, u32)> {
            let mut ids: Vec<u32> = (0..rng.below(12)).map(|_| rng.below(50) as u32).collect();
            run_counts(&mut ids)
        };
        for round in 0..2000 {
            let (wc, gc) = (counts(), counts());
            let (words, chars) = (RawTfidf::new(&wc, &idf), RawTfidf::new(&gc, &idf));
            for w_char in [0.0, 0.3, 1.0] {
                let (got, got_len) = combined_vector(&words, &chars, 60, w_char);
                let (want, want_len) = combined_joined(&words, &chars, 60, w_char);
                let bits =
                    |v: &SparseVec| v.iter().map(|&(f, w)| (f, w.to_bits())).collect::<Vec<_>>();
                assert_eq!(bits(&got), bits(&want), "round {round}, weight {w_char}");
                assert_eq!(got_len, want_len, "round {round}, weight {w_char}");
                assert_eq!(
                    got.capacity(),
                    got.len(),
                    "round {round}: one allocation of the right size"
                );
            }
        }
    }

    #[test]
    fn document_frequencies_count_texts_not_occurrences() {
        let texts = [
            "beslag beslag loon",
            "beslag",
            "loon loon loon",
            "",
            "beslagen",
        ];
        let (tokens, vocab) = tokenize_corpus(&texts, Some(4));
        let (df, df_g) = document_frequencies(&tokens, &vocab);
        let id = |w: &str| vocab.stem_ids[&stem(w)] as usize;
        // "beslagen" has the stem of "beslag": a third text.
        assert_eq!(df[id("beslag")], 3);
        assert_eq!(df[id("loon")], 2);
        // " loo" occurs in "loon" only; "lag " in "beslag" (twice in text 0), not "beslagen".
        let gram = |w: &str, k: usize| vocab.gram_ids[&char_gram_hashes(w, 4)[k]] as usize;
        assert_eq!(df_g[gram("loon", 0)], 2);
        assert_eq!(df_g[gram("beslag", 4)], 2);
        assert_eq!(df_g[gram("beslag", 0)], 3);
    }

    /// The (id, count) pairs of a text's features, sorted by id.
    type CountsOf<'a> = dyn Fn(&[u32]) -> Vec<(u32, u32)> + 'a;

    /// The corpus made the plain way (the reference for [`build_corpus`]): one serial pass
    /// with [`tokenize`] and [`stem`] per token, counts by sorting every token's features,
    /// document frequencies from those counts, and the blocks joined as in [`combined_joined`].
    fn reference_corpus(texts: &[&str], cfg: &TextConfig) -> Corpus {
        let n = texts.len();
        let (use_chars, w_char) = char_block(cfg);
        let mut surface_ids: FxMap<String, u32> = FxMap::default();
        let (mut surfaces, mut surface_stem, mut surface_grams) =
            (Vec::new(), Vec::new(), Vec::new());
        let (mut stem_ids, mut stems): (FxMap<String, u32>, Vec<String>) = Default::default();
        let mut gram_ids: FxMap<u64, u32> = FxMap::default();
        let surface_tokens: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| {
                tokenize(t)
                    .into_iter()
                    .map(|tok| {
                        if let Some(&id) = surface_ids.get(&tok) {
                            return id;
                        }
                        let st = stem(&tok);
                        let next = stems.len() as u32;
                        let sid = *stem_ids.entry(st.clone()).or_insert(next);
                        if sid == next {
                            stems.push(st);
                        }
                        surface_stem.push(sid);
                        let grams: Vec<u32> = if use_chars {
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
                        let id = surfaces.len() as u32;
                        surfaces.push(tok.clone());
                        surface_ids.insert(tok, id);
                        id
                    })
                    .collect()
            })
            .collect();
        let word_counts = |sids: &[u32]| {
            run_counts(
                &mut sids
                    .iter()
                    .map(|&s| surface_stem[s as usize])
                    .collect::<Vec<_>>(),
            )
        };
        let gram_counts = |sids: &[u32]| {
            let mut g: Vec<u32> = sids
                .iter()
                .flat_map(|&s| surface_grams[s as usize].iter().copied())
                .collect();
            run_counts(&mut g)
        };
        let idf_of = |features: usize, counts: &CountsOf| {
            let mut df = vec![0u32; features];
            for sids in &surface_tokens {
                for (id, _) in counts(sids) {
                    df[id as usize] += 1;
                }
            }
            df.iter().map(|&d| idf(d, n)).collect::<Vec<f64>>()
        };
        let idf_w = idf_of(stems.len(), &word_counts);
        let idf_g = idf_of(gram_ids.len(), &gram_counts);
        let (vecs, word_len): (Vec<SparseVec>, Vec<u32>) = surface_tokens
            .iter()
            .map(|sids| {
                let words = RawTfidf::new(&word_counts(sids), &idf_w);
                let chars = RawTfidf::new(&gram_counts(sids), &idf_g);
                combined_joined(&words, &chars, stems.len() as u32, w_char)
            })
            .unzip();
        Corpus {
            vecs,
            idf_w,
            surface_tokens,
            dims: stems.len() + gram_ids.len(),
            surfaces,
            surface_stem,
            stems,
            word_len,
            char_share: w_char,
        }
    }

    /// Asserts that two corpora are the same bit for bit, word ids included.
    fn assert_same_corpus(got: &Corpus, want: &Corpus) {
        let bits = |v: &SparseVec| v.iter().map(|&(f, w)| (f, w.to_bits())).collect::<Vec<_>>();
        assert_eq!(got.vecs.len(), want.vecs.len());
        for (i, (g, w)) in got.vecs.iter().zip(&want.vecs).enumerate() {
            assert_eq!(bits(g), bits(w), "vector of text {i}");
        }
        assert_eq!(got.word_len, want.word_len);
        let fbits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(fbits(&got.idf_w), fbits(&want.idf_w));
        assert_eq!(got.surface_tokens, want.surface_tokens);
        assert_eq!(got.surfaces, want.surfaces);
        assert_eq!(got.surface_stem, want.surface_stem);
        assert_eq!(got.stems, want.stems);
        assert_eq!(got.dims, want.dims);
        assert_eq!(got.char_share.to_bits(), want.char_share.to_bits());
        for i in 0..got.vecs.len() {
            // The word ids of the reference are made from the counts, as they always were.
            let ids: Vec<u32> = want
                .word_counts(i)
                .into_iter()
                .map(|(id, _)| id)
                .filter(|&id| want.idf_w[id as usize] > 0.0)
                .collect();
            assert_eq!(got.word_ids(i), ids, "word ids of text {i}");
            assert_eq!(
                bits(&got.word_vec(i)),
                bits(&want.word_vec(i)),
                "word vector {i}"
            );
        }
    }

    /// Words to build texts that break the fast paths: repeats (tf > 1 and shared n-grams),
    /// stop words, short words, capitals, composed and decomposed accents, two-character
    /// lowercase, digits and punctuation, words longer than the n-gram and shorter.
    const WORDS: &[&str] = &[
        "beslag",
        "beslagen",
        "Beslagvrije",
        "loon",
        "LOON",
        "de",
        "het",
        "van",
        "niet",
        "zo",
        "ab",
        "btw",
        "financiële",
        "Financie\u{308}le",
        "İstanbul",
        "ẞtraße",
        "huurtoeslag",
        "toeslagen",
        "zzp'er",
        "DigiD-machtiging",
        "2024",
        "€12,50",
        "...",
        "ǅemal",
        "ΣΟΦΊΑ",
        "aanslag",
        "aanslagen",
        "x",
        "ooo",
        "bbbbbbbbbbbbbbbbbbbbbbbb",
    ];

    fn random_texts(seed: u64, n: usize, max_words: usize) -> Vec<String> {
        let mut rng = SplitMix64::new(seed);
        (0..n)
            .map(|_| {
                let len = rng.below(max_words + 1);
                let mut t = String::new();
                for _ in 0..len {
                    t.push_str(WORDS[rng.below(WORDS.len())]);
                    t.push([' ', ' ', ',', '-', '\n'][rng.below(5)]);
                }
                t
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The fast corpus is the plain one bit for bit, for any texts and settings.
        #[test]
        fn fast_corpus_is_the_reference_bit_for_bit(
            seed in any::<u64>(),
            n in 0usize..80,
            max_words in 0usize..30,
            extra in proptest::collection::vec(".{0,30}", 0..6),
            char_ngram in 0usize..7,
            weight in prop_oneof![Just(0.0), Just(0.3), Just(1.0), 0.0f64..1.0, -1.0f64..2.0],
        ) {
            let mut texts = random_texts(seed, n, max_words);
            texts.extend(extra);
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let cfg = TextConfig { char_ngram, char_weight: weight, ..TextConfig::default() };
            assert_same_corpus(&build_corpus(&refs, &cfg), &reference_corpus(&refs, &cfg));
        }
    }

    #[test]
    fn fast_corpus_is_the_reference_across_runs_and_threads() {
        // More texts than one tokenizer run and than the thread threshold, with words that
        // first appear late.
        let (mut texts, _) = bench_corpus(2 * TOKEN_RUN + 33, 12, 9);
        for (k, extra) in random_texts(31, texts.len() / 7, 12)
            .into_iter()
            .enumerate()
        {
            texts[k * 7].push_str(&extra);
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        for cfg in [
            TextConfig::default(),
            TextConfig {
                char_ngram: 3,
                char_weight: 0.6,
                ..TextConfig::default()
            },
            TextConfig {
                char_weight: 0.0,
                ..TextConfig::default()
            },
        ] {
            assert_same_corpus(&build_corpus(&refs, &cfg), &reference_corpus(&refs, &cfg));
        }
    }

    #[test]
    fn raw_weights_and_norms_are_the_reference_bit_for_bit() {
        // In f64, before the rounding to f32 (which could hide a changed sum order).
        for seed in 0..40u64 {
            let texts = random_texts(seed, 60, 40);
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let (tokens, vocab) = tokenize_corpus(&refs, Some(3 + (seed % 3) as usize));
            let (df_w, df_g) = document_frequencies(&tokens, &vocab);
            let idf = |df: &[u32]| -> Vec<f64> {
                df.iter()
                    .map(|&d| {
                        if d < 2 {
                            0.0
                        } else {
                            1.0 + (61.0 / f64::from(d)).ln()
                        }
                    })
                    .collect()
            };
            let (idf_w, idf_g) = (idf(&df_w), idf(&df_g));
            let mut scratch = VectorScratch::new(&vocab);
            let raw_bits = |r: &RawTfidf| {
                let w: Vec<(u32, u64)> = r.weights.iter().map(|&(f, w)| (f, w.to_bits())).collect();
                (w, r.norm.to_bits())
            };
            for (i, sids) in tokens.iter().enumerate() {
                scratch.vector(&vocab, sids, [&idf_w, &idf_g], 0.3);
                let mut stems: Vec<u32> = sids
                    .iter()
                    .map(|&s| vocab.surface_stem[s as usize])
                    .collect();
                let mut grams: Vec<u32> = sids
                    .iter()
                    .flat_map(|&s| vocab.surface_grams(s).iter().copied())
                    .collect();
                let words = RawTfidf::new(&run_counts(&mut stems), &idf_w);
                let chars = RawTfidf::new(&run_counts(&mut grams), &idf_g);
                assert_eq!(
                    raw_bits(&scratch.words),
                    raw_bits(&words),
                    "seed {seed}, text {i}"
                );
                assert_eq!(
                    raw_bits(&scratch.chars),
                    raw_bits(&chars),
                    "seed {seed}, text {i}"
                );
            }
        }
    }

    #[test]
    fn feature_counter_gives_the_sorted_counts_and_empties() {
        let mut rng = SplitMix64::new(5);
        for features in [1usize, 63, 64, 65, 4095, 4096, 4097, 20_000] {
            let mut counter = FeatureCounter::new(features);
            for round in 0..40 {
                let mut ids: Vec<u32> = (0..rng.below(300))
                    .map(|_| {
                        // Clustered and spread ids, the first and last included.
                        match rng.below(4) {
                            0 => 0,
                            1 => (features - 1) as u32,
                            2 => rng.below(features.min(70)) as u32,
                            _ => rng.below(features) as u32,
                        }
                    })
                    .collect();
                for &id in &ids {
                    counter.add(id, 1);
                }
                let mut got = Vec::new();
                counter.drain(|id, c| got.push((id, c)));
                assert_eq!(
                    got,
                    run_counts(&mut ids),
                    "{features} features, round {round}"
                );
                counter.drain(|id, c| panic!("left over: {id} {c}"));
            }
        }
    }

    /// CPU seconds of the process so far (Linux).
    fn cpu_now() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let rest = stat.rsplit(')').next().unwrap_or("");
        let f: Vec<&str> = rest.split_whitespace().collect();
        let tick = |k: usize| f.get(k).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        (tick(11) + tick(12)) / 100.0
    }

    /// A hash of everything [`build_corpus`] gives (vector bits, vocabulary, idf bits).
    fn corpus_fingerprint(c: &Corpus) -> u64 {
        let mut h = FxHasher::default();
        for v in &c.vecs {
            h.add(v.len() as u64);
            for &(f, w) in v {
                h.add(u64::from(f) << 32 | u64::from(w.to_bits()));
            }
        }
        for x in &c.idf_w {
            h.add(x.to_bits());
        }
        for t in &c.surface_tokens {
            h.add(t.len() as u64);
            for &s in t {
                h.add(u64::from(s));
            }
        }
        for s in c.surfaces.iter().chain(&c.stems) {
            h.write(s.as_bytes());
        }
        for &s in &c.surface_stem {
            h.add(u64::from(s));
        }
        for &w in &c.word_len {
            h.add(u64::from(w));
        }
        h.add(c.dims as u64);
        h.add(c.char_share.to_bits());
        for i in 0..c.vecs.len() {
            for id in c.word_ids(i) {
                h.add(u64::from(id));
            }
        }
        h.finish()
    }

    /// Times the corpus on the texts of `VEC_TEXTS` (one per line) and prints its fingerprint.
    #[test]
    #[ignore]
    fn profile_build_corpus_file() {
        let Ok(path) = std::env::var("VEC_TEXTS") else {
            return;
        };
        let data = std::fs::read_to_string(path).expect("texts");
        let refs: Vec<&str> = data.lines().collect();
        let rounds: usize = std::env::var("VEC_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3);
        let use_grams = Some(TextConfig::default().char_ngram);
        let mut lap_t = (std::time::Instant::now(), cpu_now());
        let mut lap = |name: &str| {
            let now = (std::time::Instant::now(), cpu_now());
            println!(
                "  {name}: wall {:.2} cpu {:.2}",
                (now.0 - lap_t.0).as_secs_f64(),
                now.1 - lap_t.1
            );
            lap_t = now;
        };
        let (tokens, vocab) = tokenize_corpus(&refs, use_grams);
        lap("tokenize");
        let (df_w, df_g) = document_frequencies(&tokens, &vocab);
        lap("df");
        let idf =
            |df: &[u32]| -> Vec<f64> { df.iter().map(|&d| 1.0 + f64::from(d).ln()).collect() };
        let (idf_w, idf_g) = (idf(&df_w), idf(&df_g));
        let v: Vec<usize> = par_map_init(
            &tokens,
            thread_count(tokens.len()),
            || VectorScratch::new(&vocab),
            |s, sids| s.vector(&vocab, sids, [&idf_w, &idf_g], 0.3).0.len(),
        );
        lap("vectors");
        println!(
            "  {} surfaces, {} stems, {} grams; entries {}",
            vocab.surfaces.len(),
            vocab.stems.len(),
            vocab.gram_ids.len(),
            v.iter().sum::<usize>(),
        );
        for _ in 0..rounds {
            let (t, c) = (std::time::Instant::now(), cpu_now());
            let corpus = build_corpus(&refs, &TextConfig::default());
            let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_now() - c);
            let (t2, c2) = (std::time::Instant::now(), cpu_now());
            let ids: usize = (0..corpus.vecs.len())
                .map(|i| corpus.word_ids(i).len())
                .sum();
            println!(
                "{} texts: build_corpus wall {wall:.2} cpu {cpu:.2}; word_ids wall {:.2} cpu {:.2} ({ids}); fingerprint {:x}",
                refs.len(),
                t2.elapsed().as_secs_f64(),
                cpu_now() - c2,
                corpus_fingerprint(&corpus)
            );
        }
    }
}
