//! Vectorising: TF-IDF over stems and character n-grams, the corpus.

use super::*;

/// Sparse vector: (feature id, weight), sorted by feature id.
pub(super) type SparseVec = Vec<(u32, f32)>;

pub(super) struct Corpus {
    /// Combined word + character vectors (unit length, or empty for texts without words).
    pub(super) vecs: Vec<SparseVec>,
    /// Word-only tf-idf vectors (unit length), used for labels.
    pub(super) word_vecs: Vec<SparseVec>,
    /// Sorted unique stem ids per text (MinHash shingles).
    pub(super) stem_sets: Vec<Vec<u32>>,
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

pub(super) fn tfidf(counts: &[(u32, u32)], idf: &[f64], offset: u32, scale: f64) -> SparseVec {
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

pub(super) fn build_corpus(texts: &[&str], cfg: &TextConfig) -> Corpus {
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

    // Tokenizing is pure and done in parallel, a block at a time (the tokens of all texts at
    // once would take more memory than the corpus); ids are assigned in input order below.
    const BLOCK: usize = 16_384;
    let blocks = texts
        .chunks(BLOCK)
        .flat_map(|b| par_map(b, |t| tokenize(t)));
    for tokens in blocks {
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
