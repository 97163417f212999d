//! Vectorising: TF-IDF over stems and character n-grams, the corpus.

use super::*;

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

fn local_tokens(texts: &[&str]) -> LocalTokens {
    let mut ids: FxMap<String, u32> = FxMap::default();
    let mut vocab: Vec<String> = Vec::new();
    let mut buf = String::new();
    let texts = texts
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            tokens::for_each_token(t, &mut buf, |tok| {
                let id = match ids.get(tok) {
                    Some(&id) => id,
                    None => {
                        let id = vocab.len() as u32;
                        vocab.push(tok.to_string());
                        ids.insert(tok.to_string(), id);
                        id
                    }
                };
                out.push(id);
            });
            out
        })
        .collect();
    LocalTokens { vocab, texts }
}

/// The vocabulary of the corpus: surface forms, their stems and character n-grams, with ids
/// in order of first occurrence.
#[derive(Default)]
struct Vocabulary {
    surface_ids: FxMap<String, u32>,
    surfaces: Vec<String>,
    surface_stem: Vec<u32>,
    surface_grams: Vec<Vec<u32>>,
    stem_ids: FxMap<String, u32>,
    stems: Vec<String>,
    gram_ids: FxMap<u64, u32>,
}

impl Vocabulary {
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
        let grams = match char_ngram {
            Some(n) => char_gram_hashes(&tok, n)
                .into_iter()
                .map(|h| {
                    let next = self.gram_ids.len() as u32;
                    *self.gram_ids.entry(h).or_insert(next)
                })
                .collect(),
            None => Vec::new(),
        };
        self.surface_grams.push(grams);
        self.surface_stem.push(stem_id);
        self.surfaces.push(tok.clone());
        self.surface_ids.insert(tok, id);
        id
    }

    /// (stem id, count) of a text's tokens, sorted by id.
    fn word_counts(&self, sids: &[u32]) -> Vec<(u32, u32)> {
        let mut w: Vec<u32> = sids
            .iter()
            .map(|&s| self.surface_stem[s as usize])
            .collect();
        run_counts(&mut w)
    }

    /// (n-gram id, count) of a text's tokens, sorted by id.
    fn gram_counts(&self, sids: &[u32]) -> Vec<(u32, u32)> {
        let mut g: Vec<u32> = sids
            .iter()
            .flat_map(|&s| self.surface_grams[s as usize].iter().copied())
            .collect();
        run_counts(&mut g)
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
    let mut vocab = Vocabulary::default();
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

/// Per feature the number of texts holding it, counted in parallel.
fn document_frequencies(
    surface_tokens: &[Vec<u32>],
    features: usize,
    counts: impl Fn(&[u32]) -> Vec<(u32, u32)> + Sync,
) -> Vec<u32> {
    let threads = thread_count(surface_tokens.len());
    let chunk = surface_tokens.len().div_ceil(threads.max(1)).max(1);
    let chunks: Vec<&[Vec<u32>]> = surface_tokens.chunks(chunk).collect();
    let partial = par_map_on(&chunks, threads, |block| {
        let mut df = vec![0u32; features];
        for sids in *block {
            for (id, _) in counts(sids) {
                df[id as usize] += 1;
            }
        }
        df
    });
    let mut total = vec![0u32; features];
    for part in partial {
        for (t, p) in total.iter_mut().zip(part) {
            *t += p;
        }
    }
    total
}

pub(super) fn build_corpus(texts: &[&str], cfg: &TextConfig) -> Corpus {
    let n = texts.len();
    let use_chars = cfg.char_ngram > 0 && cfg.char_weight > 0.0;
    let w_char = if use_chars {
        cfg.char_weight.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (surface_tokens, vocab) = tokenize_corpus(texts, use_chars.then_some(cfg.char_ngram));
    let n_stems = vocab.stems.len();
    let n_grams = vocab.gram_ids.len();
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
    let idf_w = idf_of(&document_frequencies(&surface_tokens, n_stems, |s| {
        vocab.word_counts(s)
    }));
    // The n-gram counts of a text are made twice (for the document frequencies and for the
    // vector) rather than kept for all texts at once: they are the largest part of the corpus.
    let idf_g = idf_of(&document_frequencies(&surface_tokens, n_grams, |s| {
        vocab.gram_counts(s)
    }));
    let per_text = par_map(&surface_tokens, |sids| {
        let words = RawTfidf::new(&vocab.word_counts(sids), &idf_w);
        let chars = RawTfidf::new(&vocab.gram_counts(sids), &idf_g);
        combined_vector(&words, &chars, n_stems as u32, w_char)
    });
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
        let texts = ["beslag beslag loon", "beslag", "loon loon loon", ""];
        let (tokens, vocab) = tokenize_corpus(&texts, None);
        let df = document_frequencies(&tokens, vocab.stems.len(), |s| vocab.word_counts(s));
        let id = |w: &str| vocab.stem_ids[&stem(w)] as usize;
        assert_eq!(df[id("beslag")], 2);
        assert_eq!(df[id("loon")], 2);
    }
}
