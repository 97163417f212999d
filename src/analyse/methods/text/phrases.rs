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

use super::par_map;
use super::templates::sentences;
use super::tokens::stop_words;
use crate::util::hash::{FxHasher, FxMap, FxSet};
use std::hash::Hasher;

/// A phrase must be at least this many times more frequent in the cluster than overall.
pub const MIN_LIFT: f64 = 2.0;
/// Longest phrase, in words.
pub const MAX_WORDS: usize = 4;

/// The lowercase words of a sentence (letters, digits, inner hyphens and apostrophes).
fn words(sentence: &str) -> Vec<String> {
    sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn hash_words(ws: &[String]) -> u64 {
    let mut h = FxHasher::default();
    for w in ws {
        h.write(w.as_bytes());
        h.write_u8(0);
    }
    h.finish()
}

/// Calls `f(hash, words)` for every candidate phrase occurrence of one text.
fn for_each_phrase(text: &str, mut f: impl FnMut(u64, &[String])) {
    let stops = stop_words();
    let usable = |w: &String| {
        w.chars().count() >= 3 && !stops.contains(w.as_str()) && w.chars().all(char::is_alphabetic)
    };
    for s in sentences(text) {
        let ws = words(s);
        for i in 0..ws.len() {
            if !usable(&ws[i]) {
                continue;
            }
            for n in 2..=MAX_WORDS {
                let Some(slice) = ws.get(i..i + n) else {
                    break;
                };
                if slice.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())) {
                    break;
                }
                if usable(&slice[n - 1]) {
                    f(hash_words(slice), slice);
                }
            }
        }
    }
}

/// The candidate phrases of one text: hash -> words (each counted once).
fn phrases_of(text: &str) -> FxMap<u64, Vec<String>> {
    let mut out = FxMap::default();
    for_each_phrase(text, |h, slice| {
        out.entry(h).or_insert_with(|| slice.to_vec());
    });
    out
}

/// Texts handled per parallel block (bounds the memory of the per-text results).
const BLOCK: usize = 16_384;

/// Per cluster (indices into `texts`) up to `k` distinctive phrases, best first.
pub fn distinctive_phrases(texts: &[&str], clusters: &[Vec<usize>], k: usize) -> Vec<Vec<String>> {
    let per_cluster: Vec<FxMap<u64, (u32, Vec<String>)>> = clusters
        .iter()
        .map(|members| {
            let mut counts: FxMap<u64, (u32, Vec<String>)> = FxMap::default();
            // Phrases per member in parallel, merged in member order (same result as serial).
            for block in members.chunks(BLOCK) {
                for phrases in par_map(block, |&i| phrases_of(texts[i])) {
                    for (h, ws) in phrases {
                        counts.entry(h).or_insert((0, ws)).0 += 1;
                    }
                }
            }
            let min = ((members.len() as f64 * 0.25).ceil() as u32).max(2);
            counts.retain(|_, (c, _)| *c >= min);
            counts
        })
        .collect();
    let wanted: FxSet<u64> = per_cluster.iter().flat_map(|m| m.keys().copied()).collect();
    let mut df: FxMap<u64, u32> = FxMap::default();
    if !wanted.is_empty() {
        for block in texts.chunks(BLOCK) {
            let found = par_map(block, |t| {
                let mut hs: FxSet<u64> = FxSet::default();
                for_each_phrase(t, |h, _| {
                    if wanted.contains(&h) {
                        hs.insert(h);
                    }
                });
                hs
            });
            for h in found.into_iter().flatten() {
                *df.entry(h).or_insert(0) += 1;
            }
        }
    }
    let n = texts.len().max(1) as f64;
    per_cluster
        .iter()
        .zip(clusters)
        .map(|(counts, members)| {
            let m = members.len().max(1) as f64;
            let mut scored: Vec<(f64, &Vec<String>)> = counts
                .iter()
                .filter_map(|(h, (c, ws))| {
                    let share = f64::from(*c) / m;
                    let lift = share / (f64::from(df.get(h).copied().unwrap_or(*c)) / n);
                    (lift >= MIN_LIFT).then(|| {
                        let bonus = 1.0 + 0.1 * (ws.len() - 2) as f64;
                        (share * lift.ln() * bonus, ws)
                    })
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            pick(scored, k)
        })
        .collect()
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
        let p = phrases_of("De bank weigert de machtiging. Daarna niets 12 dagen.");
        let mut got: Vec<String> = p.into_values().map(|w| w.join(" ")).collect();
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
