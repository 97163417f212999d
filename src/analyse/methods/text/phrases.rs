//! Labels of text clusters: distinctive phrases of 2 to 4 words, in the words of the texts
//! themselves ("machtiging niet geaccepteerd"), not loose stems.
//!
//! Candidates are the word n-grams (n = 2..=4) inside one sentence that neither start nor end
//! with a stop word and hold no digits. A candidate must occur in at least a quarter of the
//! cluster's texts (and at least 2). Its lift is its share of the cluster's texts over its
//! share of all texts; it must be at least [`MIN_LIFT`]. Candidates are ranked by
//! `share_in_cluster · ln(lift)` with a small bonus per extra word, so that "niet
//! geaccepteerd door de bank" wins over its part "niet geaccepteerd" when it is nearly as
//! frequent; a phrase that overlaps an earlier choice is skipped.
//!
//! ```
//! use rodedraad::analyse::methods::text::phrases::distinctive_phrases;
//! let texts = ["Machtiging niet geaccepteerd, zegt de bank.", "Ook hier: machtiging niet geaccepteerd.", "Huur te hoog.", "Huur betaald."];
//! let labels = distinctive_phrases(&texts, &[vec![0, 1]], 2);
//! assert_eq!(labels[0][0], "machtiging niet geaccepteerd");
//! ```

use super::templates::sentences;
use super::tokens::stop_words;
use crate::util::hash::{hash_bytes, FxHasher, FxMap, FxSet};
use std::hash::Hasher;
use std::sync::Mutex;

/// A phrase must be at least this many times more frequent in the cluster than overall.
pub const MIN_LIFT: f64 = 2.0;
/// Longest phrase, in words.
pub const MAX_WORDS: usize = 4;

/// The lowercase words of a sentence (letters, digits, inner hyphens and apostrophes).
fn words(sentence: &str) -> Vec<String> {
    sentence
        .split(is_separator)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_separator(c: char) -> bool {
    !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’')
}

/// What the phrase rules need to know of one word.
#[derive(Clone, Copy)]
struct Word {
    /// Hash of the lowercase word.
    hash: u64,
    /// At least 3 characters, all letters, not a stop word: may start or end a phrase.
    usable: bool,
    /// Holds an ASCII digit: no phrase runs through it.
    digit: bool,
}

impl Word {
    fn of(w: &str) -> Word {
        Word {
            hash: hash_bytes(w.as_bytes()),
            usable: w.chars().count() >= 3
                && !stop_words().contains(w)
                && w.chars().all(char::is_alphabetic),
            digit: w.chars().any(|c| c.is_ascii_digit()),
        }
    }
}

/// The [`Word`]s of a sentence, as [`words`] splits it, without allocating per word (the
/// lowercase word is built in `buf`).
fn scan_words(sentence: &str, buf: &mut String, out: &mut Vec<Word>) {
    out.clear();
    for piece in sentence.split(is_separator) {
        let w = piece.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        buf.clear();
        buf.extend(w.chars().flat_map(char::to_lowercase));
        out.push(Word::of(buf));
    }
}

/// At most this many spellings are remembered per [`Scratch`] (a bound on its memory; the
/// words found are the same either way).
const WORD_CACHE_MAX: usize = 1 << 18;

/// [`scan_words`] with a memory of the [`Word`] of every spelling seen before (as written,
/// before lowercasing): a word that recurs is not lowercased, hashed and looked up in the stop
/// words again.
fn scan_words_cached(
    sentence: &str,
    buf: &mut String,
    cache: &mut FxMap<Box<str>, Word>,
    out: &mut Vec<Word>,
) {
    out.clear();
    for piece in sentence.split(is_separator) {
        let w = piece.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        if let Some(&word) = cache.get(w) {
            out.push(word);
            continue;
        }
        buf.clear();
        buf.extend(w.chars().flat_map(char::to_lowercase));
        let word = Word::of(buf);
        if cache.len() < WORD_CACHE_MAX {
            cache.insert(w.into(), word);
        }
        out.push(word);
    }
}

fn phrase_hash(ws: &[Word]) -> u64 {
    let mut h = FxHasher::default();
    for w in ws {
        h.add(w.hash);
    }
    h.finish()
}

/// Calls `f(hash, first word, number of words)` for every candidate phrase occurrence in a
/// sentence's words.
fn for_each_phrase_in(ws: &[Word], mut f: impl FnMut(u64, usize, usize)) {
    for i in 0..ws.len() {
        if !ws[i].usable {
            continue;
        }
        for n in 2..=MAX_WORDS {
            let Some(slice) = ws.get(i..i + n) else {
                break;
            };
            if slice.iter().any(|w| w.digit) {
                break;
            }
            if slice[n - 1].usable {
                f(phrase_hash(slice), i, n);
            }
        }
    }
}

/// At most this many sentences, and this many phrase hashes of them, are remembered per
/// [`Scratch`] (a bound on its memory; the phrases found are the same either way).
const SENTENCE_MEMO_MAX: usize = 1 << 18;
const SENTENCE_STORE_MAX: usize = 1 << 20;

/// Scratch space for reading the phrases of texts (one per thread, kept over all clusters
/// and the count over all texts).
struct Scratch<'a> {
    buf: String,
    words: Vec<Word>,
    hashes: Vec<u64>,
    /// Words by their spelling, see [`scan_words_cached`].
    cache: FxMap<Box<str>, Word>,
    /// The candidate phrase hashes of every sentence read before (a range of `store`): a
    /// sentence that recurs, in the same text or another, is not split into words again.
    memo: FxMap<&'a str, (u32, u32)>,
    store: Vec<u64>,
    memo_max: usize,
}

impl Default for Scratch<'_> {
    fn default() -> Self {
        Self::with_memo_bound(SENTENCE_MEMO_MAX)
    }
}

impl<'a> Scratch<'a> {
    fn with_memo_bound(memo_max: usize) -> Self {
        Scratch {
            buf: String::new(),
            words: Vec::new(),
            hashes: Vec::new(),
            cache: FxMap::default(),
            memo: FxMap::default(),
            store: Vec::new(),
            memo_max,
        }
    }

    /// The distinct candidate phrase hashes of a text, sorted, in `self.hashes`.
    fn phrases_of(&mut self, text: &'a str) -> &[u64] {
        self.hashes.clear();
        for s in sentences(text) {
            if let Some(&(at, len)) = self.memo.get(s) {
                let (at, len) = (at as usize, len as usize);
                self.hashes.extend_from_slice(&self.store[at..at + len]);
                continue;
            }
            let before = self.hashes.len();
            scan_words_cached(s, &mut self.buf, &mut self.cache, &mut self.words);
            let hashes = &mut self.hashes;
            for_each_phrase_in(&self.words, |h, _, _| hashes.push(h));
            let found = &self.hashes[before..];
            if self.memo.len() < self.memo_max
                && self.store.len() + found.len() <= SENTENCE_STORE_MAX
            {
                let at = self.store.len() as u32;
                self.store.extend_from_slice(found);
                self.memo.insert(s, (at, found.len() as u32));
            }
        }
        self.hashes.sort_unstable();
        self.hashes.dedup();
        &self.hashes
    }
}

/// The words of the phrase with hash `h` in `text`, if it occurs there.
fn phrase_words(text: &str, h: u64) -> Option<Vec<String>> {
    let (mut buf, mut scanned) = (String::new(), Vec::new());
    for s in sentences(text) {
        scan_words(s, &mut buf, &mut scanned);
        let mut found = None;
        for_each_phrase_in(&scanned, |ph, i, n| {
            if ph == h && found.is_none() {
                found = Some((i, n));
            }
        });
        if let Some((i, n)) = found {
            return Some(words(s)[i..i + n].to_vec());
        }
    }
    None
}

/// One [`Scratch`] per thread that [`count_phrases`] may use, kept over all its calls.
fn scratches<'a>(n: usize) -> Vec<Mutex<Scratch<'a>>> {
    (0..super::thread_count(n).max(1))
        .map(|_| Mutex::new(Scratch::default()))
        .collect()
}

/// Per phrase hash: in how many of the texts it occurs, and the first text (position in
/// `items`) that has it. Counted in parallel, per block of texts, then merged; block `k`
/// reads with `scratches[k % len]`.
fn count_phrases<'a, T: Sync>(
    items: &[T],
    text_of: impl Fn(&T) -> &'a str + Sync,
    keep: impl Fn(u64) -> bool + Sync,
    scratches: &[Mutex<Scratch<'a>>],
) -> FxMap<u64, (u32, u32)> {
    let threads = super::thread_count(items.len());
    let chunk = items.len().div_ceil(threads.max(1)).max(1);
    let chunks: Vec<(usize, usize, &[T])> = items
        .chunks(chunk)
        .enumerate()
        .map(|(k, c)| (k, k * chunk, c))
        .collect();
    let partial = super::par_map_on(&chunks, threads, |&(k, offset, block)| {
        let mut scratch = scratches[k % scratches.len()]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut counts: FxMap<u64, (u32, u32)> = FxMap::default();
        for (k, item) in block.iter().enumerate() {
            for &h in scratch.phrases_of(text_of(item)) {
                if keep(h) {
                    counts.entry(h).or_insert((0, (offset + k) as u32)).0 += 1;
                }
            }
        }
        counts
    });
    let mut total: FxMap<u64, (u32, u32)> = FxMap::default();
    for part in partial {
        if total.is_empty() {
            total = part;
            continue;
        }
        for (h, (c, first)) in part {
            let e = total.entry(h).or_insert((0, first));
            e.0 += c;
            e.1 = e.1.min(first);
        }
    }
    total
}

/// At most this many (cluster, phrase) counts are kept from the clusters' own counts for the
/// count over all texts (a bound on memory; the counts are the same either way).
const KEPT_COUNTS_MAX: usize = 1 << 21;

/// Per cluster (indices into `texts`) up to `k` distinctive phrases, best first.
///
/// Phrases are counted by hash, in parallel over the texts, without a `String` per word or
/// phrase; only the phrases frequent enough in a cluster are spelled out again (from the
/// first member that has them). When no text is in two clusters (nor twice in one), the
/// count of a phrase over all texts takes the clusters' own counts for their members, so
/// only the other texts are read again.
pub fn distinctive_phrases(texts: &[&str], clusters: &[Vec<usize>], k: usize) -> Vec<Vec<String>> {
    distinctive_phrases_kept(texts, clusters, k, KEPT_COUNTS_MAX)
}

/// [`distinctive_phrases`], keeping at most `kept_max` of the clusters' own counts.
fn distinctive_phrases_kept(
    texts: &[&str],
    clusters: &[Vec<usize>],
    k: usize,
    kept_max: usize,
) -> Vec<Vec<String>> {
    let scratches = scratches(texts.len());
    // Whether every text is in at most one cluster, at most once.
    let mut in_cluster = vec![false; texts.len()];
    let disjoint = clusters
        .iter()
        .flatten()
        .all(|&i| !std::mem::replace(&mut in_cluster[i], true));
    // The clusters' own counts kept for the count over all texts, and their members.
    let mut kept: Vec<FxMap<u64, (u32, u32)>> = Vec::new();
    let mut kept_len = 0usize;
    let mut counted = vec![false; texts.len()];
    let per_cluster: Vec<FxMap<u64, (u32, Vec<String>)>> = clusters
        .iter()
        .map(|members| {
            let counts = count_phrases(members, |&i| texts[i], |_| true, &scratches);
            let min = ((members.len() as f64 * 0.25).ceil() as u32).max(2);
            let frequent = counts
                .iter()
                .filter(|(_, (c, _))| *c >= min)
                .filter_map(|(&h, &(c, first))| {
                    phrase_words(texts[members[first as usize]], h).map(|ws| (h, (c, ws)))
                })
                .collect();
            if disjoint && kept_len + counts.len() <= kept_max {
                kept_len += counts.len();
                for &i in members {
                    counted[i] = true;
                }
                kept.push(counts);
            }
            frequent
        })
        .collect();
    let wanted: FxSet<u64> = per_cluster.iter().flat_map(|m| m.keys().copied()).collect();
    let df: FxMap<u64, u32> = if wanted.is_empty() {
        FxMap::default()
    } else {
        let rest: Vec<&str> = texts
            .iter()
            .zip(&counted)
            .filter(|(_, &c)| !c)
            .map(|(&t, _)| t)
            .collect();
        let mut df: FxMap<u64, u32> =
            count_phrases(&rest, |t| *t, |h| wanted.contains(&h), &scratches)
                .into_iter()
                .map(|(h, (c, _))| (h, c))
                .collect();
        for counts in &kept {
            for h in &wanted {
                if let Some(&(c, _)) = counts.get(h) {
                    *df.entry(*h).or_insert(0) += c;
                }
            }
        }
        df
    };
    let n = texts.len().max(1) as f64;
    per_cluster
        .iter()
        .zip(clusters)
        .map(|(counts, members)| {
            let m = members.len().max(1) as f64;
            let mut scored: Vec<(f64, &Vec<String>)> = counts
                .iter()
                .filter_map(|(h, (c, ws))| {
                    let df = df.get(h).copied().unwrap_or(*c);
                    phrase_score(*c, df, m, n, ws.len()).map(|score| (score, ws))
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            pick(scored, k)
        })
        .collect()
}

/// The score of a phrase of `len` words found in `count` of a cluster's `m` texts and in `df`
/// of all `n` texts: its share of the cluster times the log of its lift times a small bonus per
/// word beyond two; `None` when the lift is below [`MIN_LIFT`].
fn phrase_score(count: u32, df: u32, m: f64, n: f64, len: usize) -> Option<f64> {
    let share = f64::from(count) / m;
    let lift = share / (f64::from(df) / n);
    (lift >= MIN_LIFT).then(|| {
        let bonus = 1.0 + 0.1 * (len - 2) as f64;
        share * lift.ln() * bonus
    })
}

/// The best `k` phrases that share no word with a better one.
fn pick(scored: Vec<(f64, &Vec<String>)>, k: usize) -> Vec<String> {
    let mut used: FxSet<&str> = FxSet::default();
    let mut out = Vec::new();
    for (_, ws) in scored {
        if out.len() >= k {
            break;
        }
        if ws.iter().any(|w| used.contains(w.as_str())) {
            continue;
        }
        used.extend(ws.iter().map(String::as_str));
        out.push(ws.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_stay_inside_sentences_and_skip_stop_word_edges() {
        let text = "De bank weigert de machtiging. Daarna niets 12 dagen.";
        let hashes = Scratch::default().phrases_of(text).to_vec();
        let mut got: Vec<String> = hashes
            .iter()
            .map(|&h| phrase_words(text, h).expect("spelled out").join(" "))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                "bank weigert",
                "bank weigert de machtiging",
                "weigert de machtiging"
            ]
        );
    }

    proptest::proptest! {
        /// The allocation-free scan sees the same words as the spelled-out split.
        #[test]
        fn scan_matches_the_spelled_out_words(
            s in "([A-Za-z0-9'’ÉéëÏ-]{0,8}[ ,.;:!?()]{0,2}){0,12}"
        ) {
            let mut buf = String::new();
            let mut scanned = Vec::new();
            scan_words(&s, &mut buf, &mut scanned);
            let spelled = words(&s);
            // The remembered words are the scanned ones, on a first and a second sight.
            let mut cache = FxMap::default();
            let mut cached = Vec::new();
            for _ in 0..2 {
                scan_words_cached(&s, &mut buf, &mut cache, &mut cached);
                proptest::prop_assert_eq!(cached.len(), scanned.len());
                for (c, w) in cached.iter().zip(&scanned) {
                    proptest::prop_assert_eq!((c.hash, c.usable, c.digit), (w.hash, w.usable, w.digit));
                }
            }
            proptest::prop_assert_eq!(scanned.len(), spelled.len());
            for (w, sp) in scanned.iter().zip(&spelled) {
                proptest::prop_assert_eq!(w.hash, hash_bytes(sp.as_bytes()));
                proptest::prop_assert_eq!(w.digit, sp.chars().any(|c| c.is_ascii_digit()));
            }
            // Every counted phrase can be spelled out again from the text.
            for &h in Scratch::default().phrases_of(&s) {
                let ws = phrase_words(&s, h);
                proptest::prop_assert!(ws.is_some_and(|w| (2..=MAX_WORDS).contains(&w.len())));
            }
        }
    }

    /// The distinct candidate phrases of a text, spelled out (no hashes, no memory).
    fn spelled_phrases(text: &str) -> Vec<Vec<String>> {
        let (mut buf, mut scanned) = (String::new(), Vec::new());
        let mut out = Vec::new();
        for s in sentences(text) {
            scan_words(s, &mut buf, &mut scanned);
            let ws = words(s);
            for_each_phrase_in(&scanned, |_, i, n| out.push(ws[i..i + n].to_vec()));
        }
        out.sort();
        out.dedup();
        out
    }

    /// [`distinctive_phrases`] by the book: phrases as word lists, counted text by text (the
    /// reference).
    fn distinctive_phrases_reference(
        texts: &[&str],
        clusters: &[Vec<usize>],
        k: usize,
    ) -> Vec<Vec<String>> {
        let per_text: Vec<Vec<Vec<String>>> = texts.iter().map(|t| spelled_phrases(t)).collect();
        let mut df: std::collections::HashMap<&Vec<String>, u32> = Default::default();
        for ps in &per_text {
            for p in ps {
                *df.entry(p).or_insert(0) += 1;
            }
        }
        let n = texts.len().max(1) as f64;
        clusters
            .iter()
            .map(|members| {
                let mut counts: std::collections::BTreeMap<&Vec<String>, u32> = Default::default();
                for &i in members {
                    for p in &per_text[i] {
                        *counts.entry(p).or_insert(0) += 1;
                    }
                }
                let min = ((members.len() as f64 * 0.25).ceil() as u32).max(2);
                let m = members.len().max(1) as f64;
                let mut scored: Vec<(f64, &Vec<String>)> = counts
                    .into_iter()
                    .filter(|&(_, c)| c >= min)
                    .filter_map(|(ws, c)| {
                        phrase_score(c, df[ws], m, n, ws.len()).map(|score| (score, ws))
                    })
                    .collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
                pick(scored, k)
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
        /// The phrases counted by hash with the sentence memory (also past its bound) are the
        /// phrases counted by the book, for random texts with recurring sentences and random
        /// (also overlapping) clusters.
        #[test]
        fn distinctive_phrases_match_the_reference(
            pieces in proptest::collection::vec(
                "((Machtiging|niet|geaccepteerd|door|de|bank|huur|12|te|hoog|brief|ontvangen|Geen|reactie)[ ,]{1,2}){1,7}[.!?]",
                1..12,
            ),
            picks in proptest::collection::vec(proptest::collection::vec(0usize..100, 0..6), 2..120),
            groups in proptest::collection::vec(proptest::collection::vec(0usize..1000, 0..60), 0..5),
            k in 0usize..5,
            bound in 0usize..4,
            assign in proptest::collection::vec(0usize..6, 120),
            kept_max in 0usize..60,
        ) {
            // Texts made of recurring sentences, so the memory is used.
            let texts: Vec<String> = picks
                .iter()
                .map(|p| p.iter().map(|&j| pieces[j % pieces.len()].as_str()).collect::<Vec<_>>().join(" "))
                .collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let clusters: Vec<Vec<usize>> = groups
                .iter()
                .map(|g| g.iter().map(|&i| i % refs.len()).collect())
                .collect();
            proptest::prop_assert_eq!(
                distinctive_phrases(&refs, &clusters, k),
                distinctive_phrases_reference(&refs, &clusters, k)
            );
            // Disjoint clusters (the texts' own counts are then kept, within `kept_max`).
            let mut disjoint: Vec<Vec<usize>> = vec![Vec::new(); 5];
            for (i, &a) in assign.iter().take(refs.len()).enumerate() {
                if a < 5 {
                    disjoint[a].push(i);
                }
            }
            proptest::prop_assert_eq!(
                distinctive_phrases_kept(&refs, &disjoint, k, kept_max),
                distinctive_phrases_reference(&refs, &disjoint, k)
            );
            proptest::prop_assert_eq!(
                distinctive_phrases(&refs, &disjoint, k),
                distinctive_phrases_reference(&refs, &disjoint, k)
            );
            // The memory gives the hashes of a fresh read, whatever its bound.
            let mut remembering = Scratch::with_memo_bound(bound);
            for t in &refs {
                let got = remembering.phrases_of(t).to_vec();
                let want = Scratch::with_memo_bound(0).phrases_of(t).to_vec();
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn counts_are_per_text_and_remember_the_first_text() {
        let texts = [
            "Geen reactie ontvangen. Geen reactie ontvangen!",
            "Iets anders.",
            "Nog steeds geen reactie ontvangen.",
        ];
        let counts = count_phrases(&texts, |t| *t, |_| true, &scratches(texts.len()));
        let mut scratch = Scratch::default();
        let h = scratch.phrases_of("reactie ontvangen")[0];
        assert_eq!(counts[&h], (2, 0));
        assert_eq!(
            phrase_words(texts[2], h),
            Some(vec!["reactie".to_string(), "ontvangen".to_string()])
        );
    }

    #[test]
    fn background_words_do_not_label_a_cluster() {
        let mut texts: Vec<String> = (0..40)
            .map(|i| format!("Dossier afgesloten na contact. Vraag over huur nummer {i}."))
            .collect();
        for _ in 0..6 {
            texts.push(
                "Dossier afgesloten na contact. De machtiging van de helper is niet geaccepteerd."
                    .into(),
            );
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let labels = distinctive_phrases(&refs, &[(40..46).collect()], 3);
        assert!(
            labels[0].iter().any(|l| l.contains("geaccepteerd")),
            "{labels:?}"
        );
        assert!(labels[0]
            .iter()
            .all(|l| (2..=4).contains(&l.split(' ').count())));
        assert!(
            labels[0].iter().all(|l| !l.contains("afgesloten")),
            "{labels:?}"
        );
    }
}
