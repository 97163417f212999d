//! Stock sentences ("standaardzinnen"): sentences that many helpers write in cases of many
//! themes at a steady rate (closure notes, signatures, fixed intake phrases). They say how a
//! summary is written, not what it is about, so they are taken out before clustering and
//! listed separately with their counts.
//!
//! A sentence is compared through its key: the stems of its content words
//! ([`tokenize`](super::tokenize), [`stem`](super::stem)), so case, punctuation, digits, stop words and inflection do not matter
//! ("Zaak gesloten." and "zaak  GESLOTEN" are one sentence). A key is a stock sentence when
//! it occurs in at least `min_texts` texts (and at least `min_share` of all texts), from at
//! least `min_helpers` helpers, in at least `min_groups` groups (main themes) with no group
//! holding more of its texts than that group's own size explains, and its count per time
//! bucket does not deviate from the total intake per bucket (chi-square dispersion test,
//! p >= 0,001). A group may hold up to `max_group_share` of a sentence's texts in any case;
//! above that, only as much as chance allows given the group's share of all texts (binomial
//! upper tail > [`GROUP_P`]): a closing note written in every theme lands more often in the
//! theme with the most cases, and is still a closing note.
//!
//! Two passes keep memory linear: the first counts texts per key hash, the second collects
//! helpers, groups and buckets only for keys frequent enough. Keys are made in parallel, each
//! thread stemming every distinct word once and keying every distinct sentence once (a
//! recurring sentence is looked up by its bytes); no word is allocated as a `String`.
//!
//! ```
//! use rodedraad::analyse::methods::text::templates::{find_stock_sentences, Meta, TemplateConfig};
//! let texts: Vec<String> = (0..40).map(|i| format!("Probleem nummer {} met onderwerp {}. Zaak gesloten.", i, ["huur", "zorg", "btw", "loon"][i % 4])).collect();
//! let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
//! let meta: Vec<Meta> = (0..40).map(|i| Meta { helper: (i % 7) as u32, group: (i % 4) as u32, bucket: (i % 3) as u32 }).collect();
//! let found = find_stock_sentences(&refs, &meta, &TemplateConfig::default());
//! assert!(found.sentences.iter().any(|s| s.tekst == "Zaak gesloten."));
//! ```

use super::tokens::{for_each_token, StemCache};
use super::{par_map, par_map_init, thread_count};
use crate::analyse::methods::stats;
use crate::util::hash::{FxHasher, FxMap, FxSet};
use serde::{Deserialize, Serialize};
use std::hash::Hasher;

/// Who wrote a text, about what and when: the dimensions a stock sentence is spread over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub helper: u32,
    /// Main theme (or another coarse grouping of the texts).
    pub group: u32,
    /// Time bucket (quarter).
    pub bucket: u32,
}

/// Above `max_group_share`, the one-sided binomial p-value below which a group holds more of a
/// sentence's texts than its own share of all texts explains (the sentence belongs to that
/// group, it is not spread).
pub const GROUP_P: f64 = 0.001;

/// Thresholds of [`find_stock_sentences`].
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateConfig {
    pub min_texts: usize,
    pub min_share: f64,
    pub min_helpers: usize,
    pub min_groups: usize,
    pub max_group_share: f64,
}

impl Default for TemplateConfig {
    fn default() -> Self {
        TemplateConfig {
            min_texts: 8,
            min_share: 0.01,
            min_helpers: 3,
            min_groups: 3,
            max_group_share: 0.5,
        }
    }
}

/// One stock sentence as listed in the analysis output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockSentence {
    /// Its most frequent wording.
    pub tekst: String,
    pub n_teksten: usize,
    pub n_aandragers: usize,
    pub n_hoofdthemas: usize,
}

/// The stock sentences of a corpus and every text with them taken out.
#[derive(Debug, Clone, Default)]
pub struct StockSentences {
    /// Most frequent first.
    pub sentences: Vec<StockSentence>,
    /// Sentences spread like stock sentences (frequent, many helpers, many groups) whose
    /// rate changes over time, such as closing notes ("Zaak gesloten.") that follow the
    /// closures rather than the intake. They stay in the texts for clustering (a rising
    /// sentence may be a thread), but a story does not end with them. Most frequent first.
    pub unsteady: Vec<StockSentence>,
    /// The texts without their stock sentences (same order as the input).
    pub stripped: Vec<String>,
}

/// Splits a text into sentences: at `.`, `!` or `?` followed by white space and a capital,
/// a digit or the end, or followed by white space and a lowercase word when the word before
/// the mark is an ordinary word (not an abbreviation such as "i.v.m." or "bijv."), and at
/// line breaks.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    // Walks the text by byte position, decoding one character at a time (no list of all
    // characters is made; see `sentences_by_char_list` in the tests for the reference).
    let mut p = 0;
    while let Some(c) = text[p..].chars().next() {
        if c == '\n' || c == '\r' {
            push_trimmed(&mut out, &text[start..p]);
            start = p + c.len_utf8();
        } else if matches!(c, '.' | '!' | '?') {
            let mut j = p + c.len_utf8();
            while let Some(x) = text[j..]
                .chars()
                .next()
                .filter(|x| matches!(x, '.' | '!' | '?' | '"' | ')'))
            {
                j += x.len_utf8();
            }
            let ws = text[j..].chars().next().is_some_and(char::is_whitespace);
            let boundary = match text[j..].chars().find(|x| !x.is_whitespace()) {
                None => true,
                Some(x) => {
                    ws && (x.is_uppercase() || x.is_ascii_digit() || ordinary_word_before(text, p))
                }
            };
            if boundary {
                push_trimmed(&mut out, &text[start..j]);
                start = j;
                p = j;
                continue;
            }
        }
        p += c.len_utf8();
    }
    if start < text.len() {
        push_trimmed(&mut out, &text[start..]);
    }
    out
}

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "bijv", "dhr", "mevr", "mw", "nr", "ca", "evt", "resp", "incl", "excl", "zgn", "jl", "nl",
    "etc", "vs", "tel", "ivm", "nav", "mbt", "tav",
];

/// Whether the word that ends at byte `end` (a sentence mark) is an ordinary word.
fn ordinary_word_before(text: &str, end: usize) -> bool {
    let word = text[..end]
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    !word.contains('.')
        && letters >= 2
        && !ABBREVIATIONS.contains(
            &word
                .to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric()),
        )
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let t = s.trim();
    if !t.is_empty() {
        out.push(t);
    }
}

/// The key of a sentence: the hash of its stems (0 for a sentence without content words).
pub fn sentence_key(sentence: &str) -> u64 {
    Keyer::with_memo_bound(0).key_of_words(sentence)
}

/// At most this many sentences are remembered per [`Keyer`] (a bound on its memory; the keys
/// are the same either way).
const KEY_MEMO_MAX: usize = 1 << 18;

/// Makes sentence keys with a reusable word buffer, a memory of stems and a memory of the
/// sentences already keyed (one per thread). Stock sentences recur by nature: a sentence seen
/// before is hashed as bytes and looked up instead of being split into words and stemmed.
struct Keyer<'a> {
    stems: StemCache,
    buf: String,
    memo: FxMap<&'a str, u64>,
    memo_max: usize,
}

impl<'a> Keyer<'a> {
    fn new() -> Self {
        Self::with_memo_bound(KEY_MEMO_MAX)
    }

    fn with_memo_bound(memo_max: usize) -> Self {
        Keyer {
            stems: StemCache::new(),
            buf: String::new(),
            memo: FxMap::default(),
            memo_max,
        }
    }

    fn key(&mut self, sentence: &'a str) -> u64 {
        if let Some(&k) = self.memo.get(sentence) {
            return k;
        }
        let k = self.key_of_words(sentence);
        if self.memo.len() < self.memo_max {
            self.memo.insert(sentence, k);
        }
        k
    }

    fn key_of_words(&mut self, sentence: &str) -> u64 {
        let mut h = FxHasher::default();
        let mut any = false;
        let stems = &mut self.stems;
        for_each_token(sentence, &mut self.buf, |t| {
            h.add(stems.stem_hash(t));
            any = true;
        });
        if any {
            h.finish().max(1)
        } else {
            0
        }
    }
}

#[derive(Default)]
struct KeyStats<'a> {
    helpers: FxSet<u32>,
    groups: FxMap<u32, u32>,
    buckets: FxMap<u32, u32>,
    wording: FxMap<&'a str, u32>,
    texts: u32,
}

/// Finds the stock sentences (see module docs) and strips them from the texts.
pub fn find_stock_sentences(texts: &[&str], meta: &[Meta], cfg: &TemplateConfig) -> StockSentences {
    // Sentences and their keys per text, in parallel (each thread keeps its own stems).
    let keyed: Vec<Vec<(u64, &str)>> =
        par_map_init(texts, thread_count(texts.len()), Keyer::new, |keyer, t| {
            sentences(t)
                .into_iter()
                .map(|s| (keyer.key(s), s))
                .collect()
        });
    let mut df: FxMap<u64, u32> = FxMap::default();
    let mut distinct: Vec<u64> = Vec::new();
    for sents in &keyed {
        distinct.clear();
        distinct.extend(sents.iter().map(|s| s.0).filter(|&k| k != 0));
        distinct.sort_unstable();
        distinct.dedup();
        for &k in &distinct {
            *df.entry(k).or_insert(0) += 1;
        }
    }
    let with_text = keyed.iter().filter(|s| !s.is_empty()).count();
    let min_texts = cfg
        .min_texts
        .max((cfg.min_share * with_text as f64).ceil() as usize)
        .max(2) as u32;
    let mut stats_of: FxMap<u64, KeyStats> = df
        .iter()
        .filter(|(_, &n)| n >= min_texts)
        .map(|(&k, _)| (k, KeyStats::default()))
        .collect();
    let mut bucket_totals: FxMap<u32, u32> = FxMap::default();
    let mut group_totals: FxMap<u32, u32> = FxMap::default();
    let mut seen: FxSet<u64> = FxSet::default();
    for (sents, m) in keyed.iter().zip(meta) {
        if sents.is_empty() {
            continue;
        }
        *bucket_totals.entry(m.bucket).or_insert(0) += 1;
        *group_totals.entry(m.group).or_insert(0) += 1;
        seen.clear();
        for &(k, s) in sents {
            let Some(st) = stats_of.get_mut(&k) else {
                continue;
            };
            *st.wording.entry(s).or_insert(0) += 1;
            if !seen.insert(k) {
                continue;
            }
            st.texts += 1;
            st.helpers.insert(m.helper);
            *st.groups.entry(m.group).or_insert(0) += 1;
            *st.buckets.entry(m.bucket).or_insert(0) += 1;
        }
    }
    stats_of.retain(|_, st| is_spread(st, &group_totals, with_text, cfg));
    let (steady, unsteady): (FxMap<u64, KeyStats>, FxMap<u64, KeyStats>) = stats_of
        .into_iter()
        .partition(|(_, st)| steady_rate(st, &bucket_totals, with_text) >= 0.001);
    let stripped = par_map(&keyed, |sents| strip(sents, &steady));
    StockSentences {
        sentences: listed(&steady),
        unsteady: listed(&unsteady),
        stripped,
    }
}

/// The sentences as listed: each in its most frequent wording, most frequent first.
fn listed(stats: &FxMap<u64, KeyStats>) -> Vec<StockSentence> {
    let mut found: Vec<StockSentence> = stats
        .values()
        .map(|st| {
            let best = st
                .wording
                .iter()
                .min_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)))
                .map(|(w, _)| (*w).to_string());
            StockSentence {
                tekst: best.unwrap_or_default(),
                n_teksten: st.texts as usize,
                n_aandragers: st.helpers.len(),
                n_hoofdthemas: st.groups.len(),
            }
        })
        .collect();
    found.sort_by(|a, b| b.n_teksten.cmp(&a.n_teksten).then(a.tekst.cmp(&b.tekst)));
    found
}

/// The sentences of one text that are not stock sentences, joined by a space.
fn strip(sents: &[(u64, &str)], stock: &FxMap<u64, KeyStats>) -> String {
    let kept = || sents.iter().filter(|(k, _)| !stock.contains_key(k));
    // Sized once, exactly: the kept sentences and a space between each two.
    let size = kept().map(|(_, s)| s.len() + 1).sum::<usize>();
    let mut out = String::with_capacity(size.saturating_sub(1));
    for &(_, s) in kept() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(s);
    }
    out
}

/// Spread over helpers and groups (a stock sentence also has a steady rate over time).
fn is_spread(
    st: &KeyStats,
    group_totals: &FxMap<u32, u32>,
    with_text: usize,
    cfg: &TemplateConfig,
) -> bool {
    st.helpers.len() >= cfg.min_helpers
        && st.groups.len() >= cfg.min_groups
        && st
            .groups
            .iter()
            .all(|(g, &n)| !group_holds_it(n, st.texts, group_totals.get(g), with_text, cfg))
}

/// Whether a group holds `n` of a sentence's `texts` beyond `max_group_share` and beyond what
/// the group's share of all texts explains (see [`GROUP_P`]).
fn group_holds_it(
    n: u32,
    texts: u32,
    group_total: Option<&u32>,
    with_text: usize,
    cfg: &TemplateConfig,
) -> bool {
    if f64::from(n) <= cfg.max_group_share * f64::from(texts) {
        return false;
    }
    let base = f64::from(group_total.copied().unwrap_or(0)) / with_text.max(1) as f64;
    stats::binomial_upper(u64::from(n), u64::from(texts), base.min(1.0)) <= GROUP_P
}

/// Chi-square p-value of the sentence's count per bucket against the bucket's share of all texts.
fn steady_rate(st: &KeyStats, bucket_totals: &FxMap<u32, u32>, with_text: usize) -> f64 {
    let observed: Vec<f64> = bucket_totals
        .keys()
        .map(|b| f64::from(st.buckets.get(b).copied().unwrap_or(0)))
        .collect();
    let expected: Vec<f64> = bucket_totals
        .values()
        .map(|&t| f64::from(st.texts) * f64::from(t) / with_text.max(1) as f64)
        .collect();
    stats::chi_square_gof(&observed, &expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentence split as it was written first, over a list of all characters (the
    /// reference for [`sentences`]).
    fn sentences_by_char_list(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut k = 0;
        while k < chars.len() {
            let (i, c) = chars[k];
            if c == '\n' || c == '\r' {
                push_trimmed(&mut out, &text[start..i]);
                start = i + c.len_utf8();
            } else if matches!(c, '.' | '!' | '?') {
                let mut j = k + 1;
                while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '"' | ')') {
                    j += 1;
                }
                let ws = j < chars.len() && chars[j].1.is_whitespace();
                let boundary = match chars[j..].iter().find(|(_, x)| !x.is_whitespace()) {
                    None => true,
                    Some((_, x)) => {
                        ws && (x.is_uppercase()
                            || x.is_ascii_digit()
                            || ordinary_word_before(text, i))
                    }
                };
                if boundary {
                    let end = chars.get(j).map_or(text.len(), |x| x.0);
                    push_trimmed(&mut out, &text[start..end]);
                    start = end;
                    k = j;
                    continue;
                }
            }
            k += 1;
        }
        if start < text.len() {
            push_trimmed(&mut out, &text[start..]);
        }
        out
    }

    /// Sentence keys made one by one, without any memory of sentences (the reference).
    fn keys_alone(texts: &[&str]) -> Vec<Vec<u64>> {
        texts
            .iter()
            .map(|t| sentences(t).into_iter().map(sentence_key).collect())
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// The split by byte position is the split over the list of characters.
        #[test]
        fn sentences_match_the_char_list_split(
            s in "([A-Za-zÉéëÏ0-9]{0,6}|i\\.v\\.m\\.|bijv|Dhr|[.!?\"')]{1,3}|[ \t\n\r\u{a0}\u{2003}]{1,2}|ß|ǅ|Ⅳ|١){0,20}"
        ) {
            proptest::prop_assert_eq!(sentences(&s), sentences_by_char_list(&s));
        }

        /// Keys from a keyer that remembers sentences (also past its bound) are the keys
        /// made one by one.
        #[test]
        fn remembered_keys_are_the_keys(
            texts in proptest::collection::vec(
                "((Zaak|zaak|ZAAK|gesloten|brief|de|12|huur|toeslag)[ ,.!?\n]{1,2}){0,8}",
                0..30,
            ),
            bound in 0usize..6,
        ) {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let mut keyer = Keyer::with_memo_bound(bound);
            let got: Vec<Vec<u64>> = refs
                .iter()
                .map(|t| sentences(t).into_iter().map(|s| keyer.key(s)).collect())
                .collect();
            proptest::prop_assert_eq!(got, keys_alone(&refs));
        }
    }

    #[test]
    fn sentences_split_at_capitals_and_keep_abbreviations() {
        assert_eq!(
            sentences("Eerste zin i.v.m. de huur. Tweede zin! 3 dagen later?\nCase Closed"),
            vec![
                "Eerste zin i.v.m. de huur.",
                "Tweede zin!",
                "3 dagen later?",
                "Case Closed"
            ]
        );
        assert_eq!(
            sentences("Brief verstuurd. met vriendelijke groet bijv. de heer"),
            vec!["Brief verstuurd.", "met vriendelijke groet bijv. de heer"]
        );
        assert_eq!(sentences(""), Vec::<&str>::new());
        assert_eq!(sentences("zonder punt"), vec!["zonder punt"]);
    }

    #[test]
    fn keys_ignore_case_punctuation_and_digits() {
        assert_eq!(
            sentence_key("Zaak gesloten."),
            sentence_key("zaak  GESLOTEN 12")
        );
        assert_ne!(
            sentence_key("Zaak gesloten."),
            sentence_key("Zaak geopend.")
        );
        assert_eq!(sentence_key("de 12 !"), 0);
    }

    fn corpus(template_in_one_group: bool) -> (Vec<String>, Vec<Meta>) {
        let topics = ["huurtoeslag", "zorgtoeslag", "loonbeslag", "btw-aangifte"];
        let mut texts = Vec::new();
        let mut meta = Vec::new();
        for i in 0..200u32 {
            let g = i % 4;
            let mut t = format!(
                "Klacht {i} over {} en nog iets over {}.",
                topics[g as usize],
                ["wachttijd", "brief", "telefoon", "loket", "bezwaar"][(i % 5) as usize]
            );
            let with_template = if template_in_one_group {
                g == 0
            } else {
                i % 3 == 0
            };
            if with_template {
                t.push_str(if i % 2 == 0 {
                    " Met vriendelijke groet, team intake."
                } else {
                    " met vriendelijke groet team Intake"
                });
            }
            texts.push(t);
            meta.push(Meta {
                helper: i % 11,
                group: g,
                bucket: i / 50,
            });
        }
        (texts, meta)
    }

    #[test]
    fn a_signature_spread_over_themes_is_a_stock_sentence_and_stripped() {
        let (texts, meta) = corpus(false);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let f = find_stock_sentences(&refs, &meta, &TemplateConfig::default());
        assert_eq!(f.sentences.len(), 1, "{:?}", f.sentences);
        assert_eq!(f.sentences[0].n_teksten, 67);
        assert_eq!(f.sentences[0].n_hoofdthemas, 4);
        assert!(f
            .stripped
            .iter()
            .all(|t| !t.to_lowercase().contains("groet")));
        assert!(f.stripped[0].starts_with("Klacht 0 over huurtoeslag"));
    }

    /// 300 texts over four groups, group 0 holding `big` of them; a closing note is added to
    /// every third text of group 0 and to every `other`-th text of the other groups.
    fn unequal_corpus(big: u32, other: u32) -> (Vec<String>, Vec<Meta>) {
        let topics = ["huurtoeslag", "zorgtoeslag", "loonbeslag", "btw-aangifte"];
        let (mut texts, mut meta) = (Vec::new(), Vec::new());
        for i in 0..300u32 {
            let g = if i < big { 0 } else { 1 + i % 3 };
            let mut t = format!("Klacht {i} over {} en de brief.", topics[g as usize]);
            let j = if g == 0 { i } else { i - big };
            if (g == 0 && j % 3 == 0) || (g > 0 && j % other == 0) {
                t.push_str(" Casus afgerond, geen verdere actie nodig.");
            }
            texts.push(t);
            meta.push(Meta {
                helper: i % 13,
                group: g,
                bucket: i / 75,
            });
        }
        (texts, meta)
    }

    #[test]
    fn a_closing_note_mostly_in_the_largest_theme_is_still_a_stock_sentence() {
        // Group 0 holds 60% of all texts and 67% of the note: its size explains it.
        let (texts, meta) = unequal_corpus(180, 4);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let f = find_stock_sentences(&refs, &meta, &TemplateConfig::default());
        assert_eq!(f.sentences.len(), 1, "{:?}", f.sentences);
        assert_eq!(f.sentences[0].n_teksten, 90);
        assert!(f.stripped.iter().all(|t| !t.contains("afgerond")));
        // Group 0 holds 20% of all texts but 67% of the note: the note belongs to it.
        let (texts, meta) = unequal_corpus(60, 25);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let f = find_stock_sentences(&refs, &meta, &TemplateConfig::default());
        assert!(f.sentences.is_empty(), "{:?}", f.sentences);
        assert!(f.unsteady.is_empty(), "{:?}", f.unsteady);
    }

    #[test]
    fn a_sentence_of_one_theme_or_one_burst_is_not_a_stock_sentence() {
        let (texts, meta) = corpus(true);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let f = find_stock_sentences(&refs, &meta, &TemplateConfig::default());
        assert!(f.sentences.is_empty(), "{:?}", f.sentences);
        // Spread over themes but all in one quarter: a burst, not a steady template.
        let (texts, mut meta) = corpus(false);
        for (i, m) in meta.iter_mut().enumerate() {
            m.bucket = if i % 3 == 0 { 0 } else { 1 + (i as u32 % 3) };
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let f = find_stock_sentences(&refs, &meta, &TemplateConfig::default());
        assert!(f.sentences.is_empty(), "{:?}", f.sentences);
        // That burst is spread like a stock sentence, so it is listed as unsteady (a story
        // does not end with it) but stays in the texts for clustering.
        assert_eq!(f.unsteady.len(), 1, "{:?}", f.unsteady);
        assert_eq!(f.unsteady[0].n_teksten, 67);
        assert!(f.stripped[0].to_lowercase().contains("groet"));
        // One theme's sentence is neither.
        let (texts, meta) = corpus(true);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let f = find_stock_sentences(&refs, &meta, &TemplateConfig::default());
        assert!(f.unsteady.is_empty(), "{:?}", f.unsteady);
    }
}
