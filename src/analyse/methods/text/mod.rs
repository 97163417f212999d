//! Text clustering of Dutch case summaries (`samenvatting`) and signal descriptions
//! (`omschrijving`): finds groups of texts that are about the same thing, even when the
//! cases carry different codes (thema, regeling) or are worded differently.
//!
//! Pipeline:
//! 1. [`tokenize`]: lowercase, Unicode-aware word split (NFC first), digits and punctuation
//!    removed, Dutch stop words and words shorter than 3 characters dropped. The corpus is
//!    tokenized in parallel runs of texts; the runs' vocabularies are merged in input order,
//!    so every id is the one a single pass would give.
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
//!    [`MAX_CANDIDATES`] candidates (those sharing the most bands) are kept; every distinct
//!    candidate pair is then scored once with the exact cosine, so the cost is linear in `n`.
//!    Signatures, buckets, candidate lists and scoring all run in parallel over the texts.
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
//!    The merging itself is one loop on one thread; beside it a second thread computes the
//!    linkages of the edges just ahead, which the loop takes only when their groups have not
//!    changed since, so the merges are the same as on one thread.
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
    /// Permutation p-value of the cohesion: the share of [`PERMUTATIONS`] random groups of
    /// texts (of the same size, at most [`PERMUTATION_SIZE`]) that are at least as cohesive,
    /// `(1 + count) / (1 + PERMUTATIONS)`.
    pub p_baseline: f64,
}

/// Random groups drawn for the permutation baseline of a cluster's cohesion.
pub const PERMUTATIONS: usize = 199;
/// Random groups hold at most this many texts. The mean pairwise cosine of a random group has
/// the same expectation at any size and a larger spread at a smaller size, so capping the size
/// keeps the cost linear and only makes the test more conservative.
pub const PERMUTATION_SIZE: usize = 200;

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

mod agglomerate;
mod graph;
pub mod phrases;
pub mod templates;
mod tokens;
mod vectors;

use agglomerate::*;
use graph::*;
#[cfg(test)]
use tokens::STOP_WORDS;
pub use tokens::{stem, tokenize};
use vectors::*;

// ---------------------------------------------------------------------------------------------
// Public entry point
// ---------------------------------------------------------------------------------------------

/// Finds groups of texts about the same subject. See the module documentation for the method.
pub fn cluster_texts(texts: &[&str], cfg: &TextConfig) -> Vec<TextCluster> {
    cluster_texts_timed(texts, cfg, &|| 0.0).0
}

/// [`cluster_texts`], with the time its steps took on `clock` (seconds; `rodedraad meet`
/// passes the process CPU time): `vectoren`; on the MinHash-LSH path `signaturen`, `emmers`,
/// `kandidaten` and `scoren` (on the exact path only `kandidaten`); then `snoeien`,
/// `groeperen` (the agglomeration) and `labels`.
pub fn cluster_texts_timed(
    texts: &[&str],
    cfg: &TextConfig,
    clock: &dyn Fn() -> f64,
) -> (Vec<TextCluster>, Vec<(&'static str, f64)>) {
    let mut times = Vec::new();
    let mut last = clock();
    let mut lap = |name: &'static str, times: &mut Vec<(&'static str, f64)>| {
        let now = clock();
        times.push((name, now - last));
        last = now;
    };
    let n = texts.len();
    if n == 0 || n > u32::MAX as usize {
        return (Vec::new(), times);
    }
    let corpus = build_corpus(texts, cfg);
    // The tokenizer's and vectoriser's scratch is freed: hand it back before the candidates.
    crate::ingest::trim_heap();
    lap("vectoren", &mut times);
    let threshold = if cfg.min_similarity.is_finite() {
        cfg.min_similarity
    } else {
        f64::INFINITY
    };
    let edges = if n <= cfg.exact_max {
        let e = exact_edges(&corpus, threshold);
        lap("kandidaten", &mut times);
        e
    } else {
        lsh_edges(&corpus, threshold, &mut |name| lap(name, &mut times))
    };
    let edges = prune_edges(edges, n, MAX_DEGREE);
    lap("snoeien", &mut times);
    // Never stricter than the edge threshold itself, so two texts joined by an edge can always
    // form a group (matters when nearly all texts are alike and the background is high).
    let link_threshold = (background_similarity(&corpus) + LINK_FACTOR * threshold)
        .min(threshold)
        .max(f64::MIN_POSITIVE);
    let mut ag = agglomerate(&corpus.vecs, corpus.dims, edges, link_threshold);
    lap("groeperen", &mut times);
    let clusters = finish_clusters(&corpus, &mut ag, cfg);
    lap("labels", &mut times);
    // The corpus (all vectors) is the largest thing the text threads hold: hand it back.
    drop(ag);
    drop(corpus);
    crate::ingest::trim_heap();
    (clusters, times)
}

/// The groups of the agglomeration as clusters: large enough, sorted, with labels, cohesion
/// and the permutation baseline.
fn finish_clusters(corpus: &Corpus, ag: &mut Agglomerator, cfg: &TextConfig) -> Vec<TextCluster> {
    let n = corpus.vecs.len();
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

    // The corpus mean and each cluster's summed word vector in one pass over the texts: the
    // word vectors of the members are made once, not again per cluster.
    let mut cluster_of = vec![NO_CLUSTER; n];
    for (k, (_, members)) in roots.iter().enumerate() {
        for &i in members {
            cluster_of[i] = k as u32;
        }
    }
    let (corpus_mean, sums) = mean_and_cluster_sums(
        corpus,
        &cluster_of,
        roots.len(),
        thread_count(n),
        MEAN_BLOCK,
    );
    drop(cluster_of);

    let scored: Vec<Finished> = roots
        .into_iter()
        .zip(sums)
        .map(|((root, members), sums)| {
            let m = members.len() as f64;
            let cohesion = if members.len() < 2 {
                1.0
            } else {
                ((ag.sum_norm2(root) - m) / (m * (m - 1.0))).clamp(-1.0, 1.0)
            };
            (root, members, cohesion, sums)
        })
        .collect();
    // Labels and the permutation baseline are independent per cluster: computed in parallel.
    let corpus_mean = &corpus_mean;
    let pool: Vec<usize> = (0..corpus.vecs.len())
        .filter(|&i| !corpus.vecs[i].is_empty())
        .collect();
    let pool = &pool;
    let threads = crate::util::parallel::threads_for(scored.len(), 2, 4);
    // Clusters come largest first: each thread takes the next cluster not yet taken.
    crate::util::parallel::par_map(&scored, threads, |(root, members, cohesion, sums)| {
        TextCluster {
            members: members.clone(),
            terms: label_terms(corpus, members, sums, corpus_mean, cfg.label_terms),
            cohesion: *cohesion,
            p_baseline: baseline_p(corpus, pool, members.len(), *cohesion, *root),
        }
    })
}

/// A cluster on its way out of [`finish_clusters`]: root, members, cohesion and the sums of its
/// members' word vectors per stem.
type Finished = (u32, Vec<usize>, f64, FxMap<u32, f64>);

/// Texts whose word vectors are made at once (in parallel) by [`mean_and_cluster_sums`].
const MEAN_BLOCK: usize = 1 << 15;

/// The cluster of a text that is in none (see [`mean_and_cluster_sums`]).
const NO_CLUSTER: u32 = u32::MAX;

/// The corpus mean word tf-idf per stem. See [`mean_and_cluster_sums`].
#[cfg(test)]
fn corpus_mean_words(corpus: &Corpus, threads: usize, block: usize) -> Vec<f64> {
    mean_and_cluster_sums(corpus, &[], 0, threads, block).0
}

/// The corpus mean word tf-idf per stem, and per cluster (`cluster_of[i]` is text `i`'s
/// cluster, below `clusters`, or [`NO_CLUSTER`]; a text past its end is in none) the sum of
/// its members' word tf-idf vectors per stem. The word vectors are made in parallel, a block
/// of `block` texts at a time; their weights are added in text order, so every sum is the one
/// a single pass gives, bit for bit, and a cluster's sums are those of its members in
/// ascending order.
fn mean_and_cluster_sums(
    corpus: &Corpus,
    cluster_of: &[u32],
    clusters: usize,
    threads: usize,
    block: usize,
) -> (Vec<f64>, Vec<FxMap<u32, f64>>) {
    let n = corpus.vecs.len();
    let mut mean = vec![0f64; corpus.stems.len()];
    let mut sums: Vec<FxMap<u32, f64>> = vec![FxMap::default(); clusters];
    let ids: Vec<usize> = (0..n).collect();
    for part in ids.chunks(block.max(1)) {
        let vecs = par_map_on(part, threads, |&i| corpus.word_vec(i));
        for (&i, v) in part.iter().zip(vecs) {
            let cluster = cluster_of.get(i).copied().unwrap_or(NO_CLUSTER);
            if let Some(sum) = sums.get_mut(cluster as usize) {
                for &(f, w) in &v {
                    *sum.entry(f).or_insert(0.0) += f64::from(w);
                }
            }
            for (f, w) in v {
                mean[f as usize] += f64::from(w);
            }
        }
    }
    for x in &mut mean {
        *x /= n as f64;
    }
    (mean, sums)
}

/// Mean cosine over all pairs of non-empty texts: `(|S|^2 - m) / (m (m - 1))` for the sum `S`
/// of the `m` unit vectors. This is the similarity two unrelated texts have "for free"
/// (shared domain words); merging requires a margin above it.
/// Permutation p-value of `cohesion` against random groups of `size` texts (see [`TextCluster`]).
fn baseline_p(corpus: &Corpus, pool: &[usize], size: usize, cohesion: f64, seed: u32) -> f64 {
    let s = size.min(PERMUTATION_SIZE).min(pool.len());
    if s < 2 {
        return 1.0;
    }
    let mut rng = SplitMix64::new(mix64(0x7e57_ba5e ^ u64::from(seed)));
    let mut at_least = 0usize;
    // The summed vector of a group, dense, with the features it touched (cleared per group).
    let mut sum = vec![0f64; corpus.dims];
    let mut touched: Vec<u32> = Vec::new();
    let mut idx = pool.to_vec();
    for _ in 0..PERMUTATIONS {
        // Partial Fisher-Yates: the first s entries are a uniform random group.
        for k in 0..s {
            let j = k + rng.below(idx.len() - k);
            idx.swap(k, j);
        }
        let m = s as f64;
        let s2 = group_norm2(corpus, &idx[..s], &mut sum, &mut touched);
        if (s2 - m) / (m * (m - 1.0)) >= cohesion {
            at_least += 1;
        }
    }
    (1 + at_least) as f64 / (1 + PERMUTATIONS) as f64
}

/// `|S|^2` for the sum `S` of the vectors of `group`: each feature summed in member order
/// (in f64, in the dense all-zero scratch `sum`, left all zero again), the squares summed in
/// the order the features were first touched. `touched` is scratch.
///
/// Without branches in the inner loop: every feature is written at the end of `touched` and
/// the length only grows when the feature was still zero (the same list as pushing it only
/// then; whether a feature is new cannot be predicted, so a branch would often miss).
fn group_norm2(corpus: &Corpus, group: &[usize], sum: &mut [f64], touched: &mut Vec<u32>) -> f64 {
    let total: usize = group.iter().map(|&i| corpus.vecs[i].len()).sum();
    // Only grown, never cleared: every entry read below is written first.
    if touched.len() < total {
        touched.resize(total, 0);
    }
    let mut len = 0usize;
    for &i in group {
        for &(f, w) in &corpus.vecs[i] {
            let x = &mut sum[f as usize];
            touched[len] = f;
            len += usize::from(*x == 0.0);
            *x += f64::from(w);
        }
    }
    let mut s2 = 0.0f64;
    for &f in &touched[..len] {
        let x = std::mem::take(&mut sum[f as usize]);
        s2 += x * x;
    }
    s2
}

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

/// The `k` label terms of a cluster: `sums` is the sum of its members' word tf-idf vectors
/// per stem (see [`mean_and_cluster_sums`]).
fn label_terms(
    corpus: &Corpus,
    members: &[usize],
    sums: &FxMap<u32, f64>,
    corpus_mean: &[f64],
    k: usize,
) -> Vec<String> {
    if k == 0 {
        return Vec::new();
    }
    let m = members.len() as f64;
    let mut surface_counts: FxMap<u32, u32> = FxMap::default();
    for &d in members {
        for &s in &corpus.surface_tokens[d] {
            *surface_counts.entry(s).or_insert(0) += 1;
        }
    }
    let mut scored: Vec<(f64, u32)> = sums
        .iter()
        .map(|(&f, &s)| (s / m - corpus_mean[f as usize], f))
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
    /// CPU seconds used so far by the whole process (Linux only).
    pub(super) fn cpu_seconds() -> f64 {
        stat_cpu_seconds("/proc/self/stat")
    }

    /// CPU seconds used so far by the calling thread: the serial part of a step.
    fn thread_cpu_seconds() -> f64 {
        stat_cpu_seconds("/proc/thread-self/stat")
    }

    /// Wall, CPU and calling-thread CPU seconds since the previous call (printed by the
    /// benches: a step whose thread CPU is near its CPU runs on one core).
    struct Lapper {
        last: (Instant, f64, f64),
    }

    impl Lapper {
        fn new() -> Self {
            Lapper {
                last: (Instant::now(), cpu_seconds(), thread_cpu_seconds()),
            }
        }

        fn lap(&mut self, name: &str) {
            let now = (Instant::now(), cpu_seconds(), thread_cpu_seconds());
            println!(
                "  {name}: wall {:.2} cpu {:.2} serial {:.2}",
                (now.0 - self.last.0).as_secs_f64(),
                now.1 - self.last.1,
                now.2 - self.last.2
            );
            self.last = now;
        }
    }

    fn stat_cpu_seconds(path: &str) -> f64 {
        let stat = std::fs::read_to_string(path).unwrap_or_default();
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

    /// The texts of the file `SPEED8_FILE` names (helper, main theme, quarter, text per line,
    /// tab-separated; tab, newline and CR inside a text written as \u{2}, \u{1} and \u{3}),
    /// with the meta data the stock sentences need; `None` without the variable.
    pub(super) fn speed8_texts() -> Option<(Vec<templates::Meta>, Vec<String>)> {
        let path = std::env::var("SPEED8_FILE").ok()?;
        let raw = std::fs::read_to_string(path).expect("file");
        let mut meta = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let (mut helpers, mut groups): (FxMap<String, u32>, FxMap<String, u32>) =
            Default::default();
        for line in raw.lines() {
            let f: Vec<&str> = line.splitn(4, '\t').collect();
            let (nh, ng) = (helpers.len() as u32, groups.len() as u32);
            meta.push(templates::Meta {
                helper: *helpers.entry(f[0].to_string()).or_insert(nh),
                group: *groups.entry(f[1].to_string()).or_insert(ng),
                bucket: f[2].parse().unwrap(),
            });
            texts.push(
                f[3].replace('\u{2}', "\t")
                    .replace('\u{1}', "\n")
                    .replace('\u{3}', "\r"),
            );
        }
        Some((meta, texts))
    }

    /// Clusters the summaries of a file made by a script (helper, main theme, quarter, text per
    /// line, tab-separated) as the text threads do, printing each step's CPU seconds and a
    /// fingerprint of the clusters (members and cohesion bits). `SPEED8_FILE` names the file.
    #[test]
    #[ignore]
    fn bench_file() {
        use crate::analyse::methods::text::templates::{find_stock_sentences, TemplateConfig};
        let Some((meta, texts)) = speed8_texts() else {
            return;
        };
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let lapper = std::cell::RefCell::new(Lapper::new());
        let c0 = cpu_seconds();
        let stock = find_stock_sentences(&refs, &meta, &TemplateConfig::default());
        println!("stock {:.2}", cpu_seconds() - c0);
        lapper.borrow_mut().lap("stock");
        let stripped: Vec<&str> = stock.stripped.iter().map(String::as_str).collect();
        let c0 = cpu_seconds();
        // Each lap also prints the peak resident memory since the previous one (MB), its
        // wall time and its serial CPU.
        let clock = || {
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let hwm = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .unwrap_or("");
            println!("  peak {hwm}");
            lapper.borrow_mut().lap("step");
            let _ = std::fs::write("/proc/self/clear_refs", "5");
            cpu_seconds()
        };
        let (clusters, steps) = cluster_texts_timed(&stripped, &TextConfig::default(), &clock);
        println!("cluster {:.2} {:?}", cpu_seconds() - c0, steps);
        let mut h = FxHasher::default();
        for c in &clusters {
            h.add(c.members.len() as u64);
            for &m in &c.members {
                h.add(m as u64);
            }
            h.add(c.cohesion.to_bits());
            h.add(c.p_baseline.to_bits());
        }
        let mut hm = FxHasher::default();
        for c in &clusters {
            for &m in &c.members {
                hm.add(m as u64);
            }
        }
        println!(
            "clusters {} sizes {:?} fingerprint {:x} members {:x}",
            clusters.len(),
            clusters.iter().map(|c| c.members.len()).collect::<Vec<_>>(),
            h.finish(),
            hm.finish()
        );
        println!(
            "cohesion {:?}",
            clusters.iter().map(|c| c.cohesion).collect::<Vec<_>>()
        );
        let members: Vec<Vec<usize>> = clusters.iter().map(|c| c.members.clone()).collect();
        let c0 = cpu_seconds();
        lapper.borrow_mut().lap("fingerprint");
        let labels = phrases::distinctive_phrases(&stripped, &members, 3);
        println!("phrases {:.2}", cpu_seconds() - c0);
        lapper.borrow_mut().lap("phrases");
        let mut h = FxHasher::default();
        for l in labels
            .iter()
            .flatten()
            .chain(clusters.iter().flat_map(|c| &c.terms))
        {
            h.write(l.as_bytes());
        }
        h.write(&stock.stripped.len().to_le_bytes());
        for s in stock.sentences.iter().chain(&stock.unsteady) {
            h.write(s.tekst.as_bytes());
            h.add(s.n_teksten as u64);
        }
        for t in &stock.stripped {
            h.write(t.as_bytes());
        }
        println!("labels+stock fingerprint {:x}", h.finish());
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
        let edges = lsh_edges(&corpus, 0.35, &mut |_| {});
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
            edges,
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

    /// The summed-vector norm as it was computed with a branch per feature (the reference).
    fn group_norm2_branching(corpus: &Corpus, group: &[usize]) -> f64 {
        let mut sum = vec![0f64; corpus.dims];
        let mut touched: Vec<u32> = Vec::new();
        for &i in group {
            for &(f, w) in &corpus.vecs[i] {
                let x = &mut sum[f as usize];
                if *x == 0.0 {
                    touched.push(f);
                }
                *x += f64::from(w);
            }
        }
        touched
            .iter()
            .map(|&f| sum[f as usize] * sum[f as usize])
            .fold(0.0, |a, b| a + b)
    }

    #[test]
    fn branch_free_group_norm_equals_the_branching_one_bit_for_bit() {
        let (mut texts, _) = bench_corpus(800, 6, 5);
        texts.extend(["".into(), "de het".into()]);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let corpus = build_corpus(&refs, &TextConfig::default());
        let mut rng = SplitMix64::new(11);
        let mut sum = vec![0f64; corpus.dims];
        let mut touched = Vec::new();
        for round in 0..400 {
            // Random groups, with repeated members and empty vectors now and then.
            let size = [0, 1, 2, 5, 40, 200][rng.below(6)];
            let group: Vec<usize> = (0..size).map(|_| rng.below(refs.len())).collect();
            let got = group_norm2(&corpus, &group, &mut sum, &mut touched);
            let want = group_norm2_branching(&corpus, &group);
            assert_eq!(got.to_bits(), want.to_bits(), "round {round}");
            assert!(sum.iter().all(|&x| x == 0.0), "scratch left dirty");
        }
    }

    /// The corpus mean as one serial pass over the texts adds it (the reference).
    fn corpus_mean_serial(corpus: &Corpus) -> Vec<f64> {
        let n = corpus.vecs.len();
        let mut mean = vec![0f64; corpus.stems.len()];
        for i in 0..n {
            for (f, w) in corpus.word_vec(i) {
                mean[f as usize] += f64::from(w);
            }
        }
        for x in &mut mean {
            *x /= n as f64;
        }
        mean
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// The corpus mean made in parallel blocks is the serial one bit for bit, for any
        /// number of threads and block size.
        #[test]
        fn parallel_corpus_mean_is_the_serial_one(
            seed in any::<u64>(),
            n in 1usize..400,
            extra in proptest::collection::vec(".{0,40}", 0..8),
            threads in 1usize..5,
            block in 1usize..70,
        ) {
            let (mut texts, _) = bench_corpus(n, 4, seed);
            texts.extend(extra);
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let corpus = build_corpus(&refs, &TextConfig::default());
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(
                bits(&corpus_mean_words(&corpus, threads, block)),
                bits(&corpus_mean_serial(&corpus))
            );
        }
    }

    /// The label terms as they were made per cluster: the members' word vectors made anew and
    /// summed in member order (the reference for [`mean_and_cluster_sums`] + [`label_terms`]).
    fn label_terms_by_member_vectors(
        corpus: &Corpus,
        members: &[usize],
        corpus_mean: &[f64],
        k: usize,
    ) -> Vec<String> {
        let mut sums: FxMap<u32, f64> = FxMap::default();
        for &d in members {
            for (f, w) in corpus.word_vec(d) {
                *sums.entry(f).or_insert(0.0) += f64::from(w);
            }
        }
        label_terms(corpus, members, &sums, corpus_mean, k)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// The cluster sums made in the pass of the corpus mean give every cluster the terms
        /// (and the score bits behind them) that summing its own members' vectors gives, for
        /// any clusters, threads and block size; the mean is unchanged by them.
        #[test]
        fn sums_made_with_the_mean_give_the_same_labels(
            seed in any::<u64>(),
            n in 1usize..300,
            themes in 1usize..6,
            clusters in 0usize..8,
            k in 0usize..6,
            threads in 1usize..4,
            block in 1usize..50,
        ) {
            let (mut texts, _) = bench_corpus(n, themes, seed);
            texts.extend(["".into(), "de het 12".into(), "uniekwoord machtiging".into()]);
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let corpus = build_corpus(&refs, &TextConfig::default());
            // Random disjoint clusters, members ascending; some texts in none.
            let mut rng = SplitMix64::new(seed ^ 0x5eed);
            let mut members: Vec<Vec<usize>> = vec![Vec::new(); clusters];
            let mut cluster_of = vec![NO_CLUSTER; refs.len()];
            for (i, slot) in cluster_of.iter_mut().enumerate() {
                let c = rng.below(clusters + 1);
                if c < clusters {
                    members[c].push(i);
                    *slot = c as u32;
                }
            }
            // A short map: the texts past its end are in no cluster.
            let cut = refs.len() - rng.below(3);
            for m in &mut members {
                m.retain(|&i| i < cut);
            }
            let (mean, sums) =
                mean_and_cluster_sums(&corpus, &cluster_of[..cut], clusters, threads, block);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&mean), bits(&corpus_mean_words(&corpus, 1, 1 << 15)));
            for (c, m) in members.iter().enumerate() {
                let mut want: FxMap<u32, u64> = FxMap::default();
                for &d in m {
                    for (f, w) in corpus.word_vec(d) {
                        let e = want.entry(f).or_insert(0f64.to_bits());
                        *e = (f64::from_bits(*e) + f64::from(w)).to_bits();
                    }
                }
                let got: FxMap<u32, u64> = sums[c].iter().map(|(&f, &x)| (f, x.to_bits())).collect();
                prop_assert_eq!(&got, &want);
                prop_assert_eq!(
                    label_terms(&corpus, m, &sums[c], &mean, k),
                    label_terms_by_member_vectors(&corpus, m, &mean, k)
                );
            }
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
