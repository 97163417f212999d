//! Text threads: clusters of summaries about the same thing, measured against the background.
//!
//! 1. Stock sentences (closure notes, signatures, fixed phrases that many helpers use in
//!    many themes at a steady rate) are found and taken out of every summary
//!    ([`templates`]); they are listed in the analysis as "standaardzinnen".
//! 2. The remaining texts are clustered ([`text::cluster_texts`]). From a cluster that is not
//!    a text theme, the members of a sub-theme of which it holds at least half of the texts
//!    (and at least `tekst_min_cluster`) are taken out: that is the theme's own wording, which
//!    the codes already say; the rest is judged on its own (its cohesion test is the cluster's).
//! 3. A cluster becomes a thread only when
//!    - its cohesion beats random groups of texts of the same size (permutation p-value,
//!      Benjamini-Hochberg over all clusters at `fdr_q`);
//!    - it is concentrated: its spread over main themes or aandrager types (chi-square) or
//!      over time (rank-sum test on the quarter, binomial test of its share in the period)
//!      differs from that of all texts (p < 0,05 in at least one); a cluster spread like the
//!      whole intake is a way of writing;
//!    - it holds at most `tekst_max_aandeel` of the texts: a larger cohesive cluster is a
//!      theme of the intake, listed as [`TextTheme`] with its size and label, not a thread;
//!    - no main theme, aandrager type, doelgroep or life event holds `tekst_max_hoofdthema`
//!      or more of it (then the codes say it: a theme's description, a helper type's
//!      intake form); for a main theme or a doelgroep only when that is beyond what its share
//!      of all texts explains (binomial upper tail <= [`DOMINANT_P`]), or for a main theme
//!      when one of its level-2 themes holds half of the cluster;
//!    - it has at least `min_casussen` cases from `min_aandragers` helpers.
//! 4. Its label is made of distinctive phrases of 2 to 4 words ([`phrases`]); its id is
//!    derived from the best phrase, so it stays the same when a quarter is added.
//!
//! ```ignore
//! let found = text_threads(&cases, &quarters, &period, cfg);
//! let (threads, stock, themes) = (found.threads, found.stock, found.themes);
//! ```

use super::{helper_of, new_thread, stable_id, Statistic, Thread, ThreadKind};
use crate::analyse::methods::stats;
use crate::analyse::methods::text::phrases::distinctive_phrases;
use crate::analyse::methods::text::templates::{self, Meta, StockSentence, TemplateConfig};
use crate::analyse::methods::text::{self, TextConfig};
use crate::analyse::period::Period;
use crate::config::Config;
use crate::model::Case;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Interns strings to small ids.
#[derive(Default)]
struct Interner<'a>(HashMap<&'a str, u32>);

impl<'a> Interner<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let n = self.0.len() as u32;
        *self.0.entry(s).or_insert(n)
    }
}

/// A text cluster too large to be a thread: more than `tekst_max_aandeel` of the texts
/// share it, so it is a theme of the intake (listed in the analysis as "tekstthema").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextTheme {
    /// Distinctive phrases of the cluster.
    pub termen: Vec<String>,
    pub n_casussen: usize,
    /// Share of the texts (0..1).
    pub aandeel: f64,
    pub n_aandragers: usize,
}

impl TextTheme {
    /// The theme in one Dutch sentence: "40 samenvattingen (12% van de teksten, 9 aandragers)
    /// gaan over „a, b”".
    pub fn sentence(&self) -> String {
        format!(
            "{} samenvattingen ({}% van de teksten, {} aandragers) gaan over \u{201e}{}\u{201d}",
            crate::nl::int(self.n_casussen as i64),
            crate::nl::dec(self.aandeel * 100.0, 0),
            crate::nl::int(self.n_aandragers as i64),
            self.termen.join(", ")
        )
    }
}

/// A text cluster and how far it got (for the evaluation of the method).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub casus_ids: Vec<String>,
    /// Permutation p-value of its cohesion.
    pub p: f64,
    /// "woorden van een thema", "niet samenhangend", "te groot", "niet geconcentreerd" or
    /// "getoetst" (then the code,
    /// size and helper rules decide).
    pub fate: &'static str,
}

/// What [`text_threads`] finds: threads, the stock sentences and the oversized clusters.
pub struct TextFindings {
    pub threads: Vec<Thread>,
    pub stock: Vec<StockSentence>,
    /// Spread like stock sentences but at a changing rate (closing notes).
    pub unsteady: Vec<StockSentence>,
    pub themes: Vec<TextTheme>,
    /// Every cluster with its fate.
    pub candidates: Vec<Candidate>,
}

/// Text threads, the stock sentences found on the way and the clusters too large to be a
/// thread (see module docs).
/// The cases that have a summary with text: the only ones the text detection reads.
pub fn cases_with_summary<'a>(cases: &[&'a Case]) -> Vec<&'a Case> {
    cases
        .iter()
        .copied()
        .filter(|c| {
            c.samenvatting
                .as_deref()
                .is_some_and(|s| !s.trim().is_empty())
        })
        .collect()
}

pub fn text_threads(
    cases: &[&Case],
    quarters: &[Period],
    period: &Period,
    cfg: &Config,
) -> TextFindings {
    let dc = &cfg.draden;
    let with_text = cases_with_summary(cases);
    if with_text.is_empty() {
        return TextFindings {
            threads: Vec::new(),
            stock: Vec::new(),
            unsteady: Vec::new(),
            themes: Vec::new(),
            candidates: Vec::new(),
        };
    }
    let texts: Vec<&str> = with_text
        .iter()
        .map(|c| c.samenvatting.as_deref().unwrap_or(""))
        .collect();
    let (mut helpers, mut groups, mut types) = (
        Interner::default(),
        Interner::default(),
        Interner::default(),
    );
    let bucket_of = |c: &Case| {
        quarters
            .iter()
            .position(|q| q.contains(c.ontvangen_op))
            .unwrap_or(0) as u32
    };
    let meta: Vec<Meta> = with_text
        .iter()
        .map(|c| Meta {
            helper: helpers.id(helper_of(c)),
            group: groups.id(c.main_theme()),
            bucket: bucket_of(c),
        })
        .collect();
    let type_ids: Vec<u32> = with_text
        .iter()
        .map(|c| types.id(c.aandrager_type.as_str()))
        .collect();
    let tcfg = TemplateConfig {
        min_texts: dc.standaardzin_min_teksten,
        ..TemplateConfig::default()
    };
    let stock = templates::find_stock_sentences(&texts, &meta, &tcfg);
    let stripped: Vec<&str> = stock.stripped.iter().map(String::as_str).collect();
    let tc = TextConfig {
        min_similarity: dc.tekst_min_gelijkenis,
        min_cluster: dc.tekst_min_cluster,
        exact_max: dc.tekst_exact_max,
        ..TextConfig::default()
    };
    let dims: [Vec<u32>; 4] = [
        meta.iter().map(|m| m.group).collect(),
        type_ids,
        meta.iter().map(|m| m.bucket).collect(),
        with_text
            .iter()
            .map(|c| u32::from(period.contains(c.ontvangen_op)))
            .collect(),
    ];
    let clusters = text::cluster_texts(&stripped, &tc);
    let ps: Vec<f64> = clusters.iter().map(|c| c.p_baseline).collect();
    let (cohesive, _) = stats::benjamini_hochberg(&ps, dc.fdr_q);
    let max_size = dc.tekst_max_aandeel * texts.len() as f64;
    // After the cohesion test (so the family is that of the clusters found): a sub-theme's
    // own wording leaves a cluster that is no text theme.
    let mut sub_themes = Interner::default();
    let theme_of: Vec<u32> = with_text
        .iter()
        .map(|c| sub_themes.id(c.thema.as_str()))
        .collect();
    let min_size = dc.tekst_min_cluster.max(2);
    let clusters: Vec<text::TextCluster> = clusters
        .into_iter()
        .map(|mut cl| {
            if cl.members.len() as f64 <= max_size {
                cl.members = without_theme_wording(&cl.members, &theme_of, min_size);
            }
            cl
        })
        .collect();
    let cohesive: Vec<bool> = cohesive
        .into_iter()
        .zip(&clusters)
        .map(|(ok, cl)| ok && cl.members.len() >= min_size)
        .collect();
    // The concentration test of every cohesive cluster that is not too large, made once.
    let spread = Spread::of(&dims);
    let is_concentrated: Vec<bool> = clusters
        .iter()
        .zip(&cohesive)
        .map(|(cl, &ok)| {
            ok && cl.members.len() as f64 <= max_size && concentrated(&cl.members, &spread)
        })
        .collect();
    let candidates: Vec<Candidate> = clusters
        .iter()
        .zip(cohesive.iter().zip(&is_concentrated))
        .map(|(cl, (&ok, &conc))| Candidate {
            casus_ids: cl
                .members
                .iter()
                .map(|&i| with_text[i].casus_id.clone())
                .collect(),
            p: cl.p_baseline,
            fate: if cl.members.len() < min_size {
                "woorden van een thema"
            } else if !ok {
                "niet samenhangend"
            } else if cl.members.len() as f64 > max_size {
                "te groot"
            } else if !conc {
                "niet geconcentreerd"
            } else {
                "getoetst"
            },
        })
        .collect();
    let cohesive: Vec<(&text::TextCluster, bool)> = clusters
        .iter()
        .zip(&cohesive)
        .zip(is_concentrated)
        .filter(|((_, &ok), _)| ok)
        .map(|((cl, _), conc)| (cl, conc))
        .collect();
    let (large, normal): (Vec<_>, Vec<_>) = cohesive
        .into_iter()
        .partition(|(cl, _)| cl.members.len() as f64 > max_size);
    let large: Vec<&text::TextCluster> = large.into_iter().map(|(cl, _)| cl).collect();
    let kept: Vec<&text::TextCluster> = normal
        .into_iter()
        .filter(|(_, conc)| *conc)
        .map(|(cl, _)| cl)
        .collect();
    // The labels of the threads and of the themes in one call: the phrases' counts over all
    // texts are then made once.
    let member_lists: Vec<Vec<usize>> = kept
        .iter()
        .chain(&large)
        .map(|c| c.members.clone())
        .collect();
    let mut labels = distinctive_phrases(&stripped, &member_lists, 3);
    let large_labels = labels.split_off(kept.len());
    let base = code_counts(&with_text);
    let mut out = Vec::new();
    for (cl, phrases) in kept.into_iter().zip(labels) {
        let members: Vec<&Case> = cl.members.iter().map(|&i| with_text[i]).collect();
        if let Some(t) = to_thread(&members, (&base, with_text.len()), cl, phrases, cfg) {
            out.push(t);
        }
    }
    let themes = large
        .into_iter()
        .zip(large_labels)
        .map(|(cl, phrases)| {
            let helpers: BTreeSet<&str> = cl
                .members
                .iter()
                .map(|&i| helper_of(with_text[i]))
                .collect();
            TextTheme {
                termen: if phrases.is_empty() {
                    cl.terms.iter().take(3).cloned().collect()
                } else {
                    phrases
                },
                n_casussen: cl.members.len(),
                aandeel: cl.members.len() as f64 / texts.len() as f64,
                n_aandragers: helpers.len(),
            }
        })
        .collect();
    TextFindings {
        threads: out,
        stock: stock.sentences,
        unsteady: stock.unsteady,
        themes,
        candidates,
    }
}

/// The members without a sub-theme's own wording: the members of a (level-2) theme of which
/// the cluster holds at least half of all texts, and at least `min` of them. The codes already
/// say what those texts share; the rest of the cluster (the same story told under other
/// themes) is judged on its own. Without this a story told in a few cases of many themes
/// was lost when the clustering joined it with the stock description of one theme (the
/// helper's authorisation refused, joined with the DigiD theme's own summaries).
fn without_theme_wording(members: &[usize], theme_of: &[u32], min: usize) -> Vec<usize> {
    let mut all: HashMap<u32, usize> = HashMap::new();
    for &t in theme_of {
        *all.entry(t).or_default() += 1;
    }
    let mut inside: HashMap<u32, usize> = HashMap::new();
    for &i in members {
        *inside.entry(theme_of[i]).or_default() += 1;
    }
    let wording: BTreeSet<u32> = inside
        .into_iter()
        .filter(|(t, k)| *k >= min && 2 * k >= all[t])
        .map(|(t, _)| t)
        .collect();
    members
        .iter()
        .copied()
        .filter(|i| !wording.contains(&theme_of[*i]))
        .collect()
}

/// Whether the members' spread over main themes or aandrager types (chi-square) or over time
/// (rank test on the quarter; one-sided binomial test of the share in the period against the
/// share of all texts in it) differs from all texts' spread, each at 5%. This guard is
/// deliberately lenient (the stock sentences are already gone); a cluster spread like the
/// whole intake in all respects is a way of writing. The period test finds a story that came
/// up recently where the intake itself grows (then the rank test has little power).
fn concentrated(members: &[usize], spread: &Spread) -> bool {
    let dims = spread.dims;
    if stats::rank_sum_p(&dims[2], members) < 0.05 || in_period_p(&dims[3], members) < 0.05 {
        return true;
    }
    dims[..2]
        .iter()
        .zip(&spread.all)
        .any(|(dim, all)| spread_differs(dim, all, members))
}

/// Whether the members' values in `dim` are spread differently from all texts' values (`all`:
/// the count per value over all texts): chi-square goodness of fit, p < 0,05.
fn spread_differs(dim: &[u32], all: &BTreeMap<u32, f64>, members: &[usize]) -> bool {
    let mut inside: BTreeMap<u32, f64> = BTreeMap::new();
    for &i in members {
        *inside.entry(dim[i]).or_default() += 1.0;
    }
    let n = dim.len() as f64;
    let m = members.len() as f64;
    let observed: Vec<f64> = all
        .keys()
        .map(|k| inside.get(k).copied().unwrap_or(0.0))
        .collect();
    let expected: Vec<f64> = all.values().map(|v| m * v / n).collect();
    stats::chi_square_gof(&observed, &expected) < 0.05
}

/// The texts' values in the dimensions of [`concentrated`] (main theme, aandrager type,
/// quarter, in the period) and the count per value of the first two over all texts.
struct Spread<'a> {
    dims: &'a [Vec<u32>; 4],
    all: [BTreeMap<u32, f64>; 2],
}

impl<'a> Spread<'a> {
    fn of(dims: &'a [Vec<u32>; 4]) -> Self {
        let count = |dim: &[u32]| {
            let mut all: BTreeMap<u32, f64> = BTreeMap::new();
            for &v in dim {
                *all.entry(v).or_default() += 1.0;
            }
            all
        };
        Spread {
            dims,
            all: [count(&dims[0]), count(&dims[1])],
        }
    }
}

/// One-sided binomial p-value of the members' count in the period (`flags[i] == 1`) against
/// the share of all texts in it.
fn in_period_p(flags: &[u32], members: &[usize]) -> f64 {
    let all = flags.iter().filter(|&&f| f == 1).count();
    if all == 0 || members.is_empty() {
        return 1.0;
    }
    let share = all as f64 / flags.len() as f64;
    let x = members.iter().filter(|&&i| flags[i] == 1).count() as u64;
    stats::binomial_upper(x, members.len() as u64, share)
}

/// The codes of a case that can say what a text cluster is about: main theme, aandrager type,
/// doelgroepen and life event.
fn codes_of(c: &Case) -> Vec<(&'static str, &str)> {
    let mut v = vec![
        ("thema_hoofd", c.main_theme()),
        ("aandrager_type", c.aandrager_type.as_str()),
    ];
    let groups: BTreeSet<&str> = c.doelgroep.iter().map(|g| g.as_str()).collect();
    v.extend(groups.into_iter().map(|g| ("doelgroep", g)));
    if let Some(l) = c.levensgebeurtenis.as_deref().filter(|l| *l != "geen") {
        v.push(("levensgebeurtenis", l));
    }
    v
}

/// Cases per code of all texts, the base rates of [`dominant_code`].
pub(crate) type CodeCounts<'a> = BTreeMap<(&'static str, &'a str), usize>;

/// Cases per code (see [`codes_of`]).
pub(crate) fn code_counts<'a>(cases: &[&'a Case]) -> BTreeMap<(&'static str, &'a str), usize> {
    let mut count = BTreeMap::new();
    for c in cases {
        for k in codes_of(c) {
            *count.entry(k).or_default() += 1;
        }
    }
    count
}

/// A main theme holds a cluster only when its count there is beyond what its share of all
/// texts explains at this level (binomial upper tail), or one of its level-2 themes holds half
/// of the cluster (a theme's own wording).
pub const DOMINANT_P: f64 = 0.001;

/// The attribute and code that at least `share` of the members have, if any. For a main theme
/// that alone is not enough (see [`DOMINANT_P`]): a main theme with a quarter of the intake
/// also holds most of a small cluster by chance, and then it does not say what the texts
/// share (a story told in 8 cases of many themes, 6 of which happened to be toeslagen, was
/// lost). The same holds for a doelgroep: a case has one or more, and a common one (debts, in
/// a quarter of the sample's cases) was in 8 of the 10 cases of a story told under many
/// themes (chance, p about 3e-4 for the whole story, more for the 8 in its cluster), which
/// lost it; a doelgroep's own wording gives a cluster far beyond its share. The aandrager
/// type and the life event hold it at `share`: a helper type's intake form and a life
/// event's sentences in a few cases cannot be told from chance.
pub(crate) fn dominant_code<'a>(
    members: &[&'a Case],
    (base, n_all): (&CodeCounts, usize),
    share: f64,
) -> Option<(&'static str, &'a str)> {
    let n_all = n_all.max(1) as f64;
    let k = members.len() as u64;
    code_counts(members)
        .into_iter()
        .find(|(code, n)| {
            if (*n as f64) < share * members.len() as f64 {
                return false;
            }
            let beyond_chance = || {
                let rate = base.get(&(code.0, code.1)).copied().unwrap_or(0) as f64 / n_all;
                stats::binomial_upper(*n as u64, k, rate.min(1.0)) <= DOMINANT_P
            };
            match code.0 {
                "thema_hoofd" => beyond_chance() || one_sub_theme_holds_half(members),
                "doelgroep" => beyond_chance(),
                _ => true,
            }
        })
        .map(|(code, _)| code)
}

/// Whether one level-2 theme holds at least half of the members.
fn one_sub_theme_holds_half(members: &[&Case]) -> bool {
    let mut per: HashMap<&str, usize> = HashMap::new();
    for c in members.iter().filter(|c| c.thema.contains('.')) {
        *per.entry(c.thema.as_str()).or_default() += 1;
    }
    per.values().any(|&n| 2 * n >= members.len())
}

fn to_thread(
    members: &[&Case],
    base: (&CodeCounts, usize),
    cl: &text::TextCluster,
    phrases: Vec<String>,
    cfg: &Config,
) -> Option<Thread> {
    let dc = &cfg.draden;
    // Mostly one code (main theme, aandrager type, doelgroep or life event): the codes
    // already say this (a theme's description, a helper type's intake form, a doelgroep's
    // wording); it is not a thread hidden behind the codes.
    if dominant_code(members, base, dc.tekst_max_hoofdthema).is_some() {
        return None;
    }
    let helpers: BTreeSet<&str> = members.iter().map(|c| helper_of(c)).collect();
    if helpers.len() < dc.min_aandragers || members.len() < dc.min_casussen {
        return None;
    }
    // Phrases when there are any; otherwise the stems of the clustering (still readable words).
    let terms: Vec<String> = if phrases.is_empty() {
        cl.terms.iter().take(3).cloned().collect()
    } else {
        phrases
    };
    let key = terms.first().cloned().unwrap_or_default();
    let stems: Vec<String> = text::tokenize(&key).iter().map(|w| text::stem(w)).collect();
    let id = stable_id("tekst", &[("zin", stems.join(" ").as_str())]);
    let mut kenmerken = BTreeMap::new();
    kenmerken.insert("termen".to_string(), terms.join(", "));
    let statistiek = Statistic {
        populatie: Some("casussen met een samenvatting".into()),
        tekst_termen: terms,
        tekst_samenhang: Some(cl.cohesion),
        p: Some(cl.p_baseline),
        ..Default::default()
    };
    let ids: Vec<String> = members.iter().map(|c| c.casus_id.clone()).collect();
    let score = cl.cohesion * (members.len() as f64).sqrt();
    Some(new_thread(
        id,
        ThreadKind::Text,
        kenmerken,
        ids,
        statistiek,
        score,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Members of a theme of which the cluster holds at least half of the texts (and at least
    /// `min`) are its own wording and go; a theme with fewer members, or with a small share of
    /// its texts in the cluster, stays.
    #[test]
    fn a_themes_own_wording_leaves_the_cluster() {
        // Theme 0: 5 texts, 4 in the cluster; theme 1: 2 texts, 1 in it; theme 2: 10 texts,
        // 2 in it; theme 3: 8 texts, 3 in it (at least min, but under half).
        let mut theme_of = vec![0, 0, 0, 0, 0, 1, 1];
        theme_of.extend([2; 10]);
        theme_of.extend([3; 8]);
        let members = [0, 1, 2, 3, 5, 7, 8, 17, 18, 19];
        assert_eq!(
            without_theme_wording(&members, &theme_of, 3),
            [5, 7, 8, 17, 18, 19]
        );
        // With a larger minimum nothing is the theme's wording.
        assert_eq!(without_theme_wording(&members, &theme_of, 5), members);
    }
    /// A main theme with a quarter of the texts that holds 6 of a cluster of 8 spread over its
    /// sub-themes is chance (p about 0,004), not the codes saying it; the same 6 in one
    /// sub-theme, or a rare main theme, or a doelgroep at the same share, do hold it.
    #[test]
    fn a_common_main_theme_holds_a_small_cluster_only_beyond_chance() {
        let date = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let mk = |i: usize, thema: &str, groep: &str| Case {
            casus_id: format!("C-{i:04}"),
            ontvangen_op: date,
            thema: thema.into(),
            aandrager_type: ["wijkteam", "vakbond", "juridisch_loket"][i % 3].into(),
            doelgroep: vec![groep.into()],
            ..Case::default()
        };
        // 400 texts: toeslagen a quarter (four sub-themes), douane 2%, the rest elsewhere;
        // doelgroepen g0..g9 evenly.
        let all: Vec<Case> = (0..400)
            .map(|i| {
                let thema = match i % 100 {
                    0..=24 => ["toeslagen.a", "toeslagen.b", "toeslagen.c", "toeslagen.d"][i % 4],
                    25..=26 => "douane.x",
                    _ => ["invordering.x", "inkomstenbelasting.x", "dienstverlening.x"][i % 3],
                };
                mk(i, thema, &format!("g{}", i % 10))
            })
            .collect();
        let refs: Vec<&Case> = all.iter().collect();
        let base = code_counts(&refs);
        let base = (&base, refs.len());
        let cluster = |themes: &[&str], groep: &dyn Fn(usize) -> String| -> Vec<Case> {
            themes
                .iter()
                .enumerate()
                .map(|(i, t)| mk(1000 + i, t, &groep(i)))
                .collect()
        };
        let spread = |i: usize| format!("g{i}");
        let spread_themes = [
            "toeslagen.a",
            "toeslagen.b",
            "toeslagen.c",
            "toeslagen.d",
            "toeslagen.a",
            "toeslagen.b",
            "invordering.x",
            "dienstverlening.x",
        ];
        let c = cluster(&spread_themes, &spread);
        let members: Vec<&Case> = c.iter().collect();
        assert_eq!(dominant_code(&members, base, 0.7), None);
        let mut one_sub = spread_themes;
        one_sub[..4].fill("toeslagen.a");
        let c = cluster(&one_sub, &spread);
        let members: Vec<&Case> = c.iter().collect();
        assert_eq!(
            dominant_code(&members, base, 0.7),
            Some(("thema_hoofd", "toeslagen"))
        );
        let rare = ["douane.x"; 6]
            .into_iter()
            .chain(["invordering.x", "dienstverlening.x"])
            .collect::<Vec<_>>();
        let c = cluster(&rare, &spread);
        let members: Vec<&Case> = c.iter().collect();
        assert_eq!(
            dominant_code(&members, base, 0.7),
            Some(("thema_hoofd", "douane"))
        );
        let c = cluster(&spread_themes, &|i| {
            if i < 6 {
                "g1".into()
            } else {
                format!("g{i}")
            }
        });
        let members: Vec<&Case> = c.iter().collect();
        assert_eq!(
            dominant_code(&members, base, 0.7),
            Some(("doelgroep", "g1"))
        );
        // A doelgroep in a quarter of all texts in 6 of the 8 is chance (p about 0,004).
        let common_group = |i: usize| -> String {
            if i.is_multiple_of(4) {
                "g1".into()
            } else {
                format!("g{}", 2 + i % 8)
            }
        };
        let all_common: Vec<Case> = (0..400)
            .map(|i| {
                mk(
                    i,
                    ["invordering.x", "inkomstenbelasting.x"][i % 2],
                    &common_group(i),
                )
            })
            .collect();
        let all_refs: Vec<&Case> = all_common.iter().collect();
        let common_base = code_counts(&all_refs);
        let two_themes = ["invordering.x", "inkomstenbelasting.x"].repeat(4);
        let c = cluster(&two_themes, &|i| {
            if i < 6 {
                "g1".into()
            } else {
                format!("g{}", 2 + i)
            }
        });
        let members: Vec<&Case> = c.iter().collect();
        assert_eq!(dominant_code(&members, (&common_base, 400), 0.7), None);
        // All 8 with it is beyond chance (p about 2e-5): the doelgroep holds the cluster.
        let c = cluster(&two_themes, &|_| "g1".into());
        let members: Vec<&Case> = c.iter().collect();
        assert_eq!(
            dominant_code(&members, (&common_base, 400), 0.7),
            Some(("doelgroep", "g1"))
        );
    }

    use chrono::NaiveDate;

    /// The concentration test as it was made for every call: the counts over all texts made
    /// anew each time (the reference for [`Spread`]).
    fn concentrated_alone(members: &[usize], dims: &[Vec<u32>; 4]) -> bool {
        if stats::rank_sum_p(&dims[2], members) < 0.05 || in_period_p(&dims[3], members) < 0.05 {
            return true;
        }
        dims[..2].iter().any(|dim| {
            // Counted over all texts for this cluster alone (what `Spread` counts once).
            let mut all: BTreeMap<u32, f64> = BTreeMap::new();
            for &v in dim {
                *all.entry(v).or_default() += 1.0;
            }
            spread_differs(dim, &all, members)
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// With the counts over all texts made once, every group gets the verdict it got
        /// with them made per call.
        #[test]
        fn counts_made_once_give_the_same_verdict(
            n in 2usize..300,
            seed in proptest::prelude::any::<u64>(),
            kinds in proptest::collection::vec(1u32..9, 4),
            groups in proptest::collection::vec(proptest::collection::vec(0usize..1000, 0..80), 1..6),
        ) {
            let mut rng = crate::util::rng::SplitMix64::new(seed);
            let dims: [Vec<u32>; 4] = std::array::from_fn(|d| {
                let k = if d == 3 { 2 } else { kinds[d] as usize };
                // Skewed values, so that some groups are concentrated and some are not.
                (0..n).map(|_| rng.below(k).min(rng.below(k)) as u32).collect()
            });
            let spread = Spread::of(&dims);
            for g in &groups {
                let mut members: Vec<usize> = g.iter().map(|&i| i % n).collect();
                members.sort_unstable();
                members.dedup();
                proptest::prop_assert_eq!(
                    concentrated(&members, &spread),
                    concentrated_alone(&members, &dims)
                );
            }
        }
    }

    fn case(i: usize, thema: &str, helper: usize, date: NaiveDate, text: String) -> Case {
        Case {
            casus_id: format!("C-{i:04}"),
            ontvangen_op: date,
            aandrager_type: ["wijkteam", "vakbond", "juridisch_loket"][helper % 3].into(),
            aandrager_id: Some(format!("O{helper}").into()),
            thema: thema.into(),
            samenvatting: Some(text.into()),
            ..Case::default()
        }
    }

    /// Background summaries in six themes, each closed with one of three boilerplate notes, and
    /// (optionally) a real thread: the same story told under four different themes in one quarter.
    fn corpus(with_thread: bool) -> Vec<Case> {
        let themes = [
            ("toeslagen.x", "huurtoeslag terugvordering inkomen geschat"),
            (
                "invordering.x",
                "betalingsregeling aflossing termijn gemist",
            ),
            (
                "inkomstenbelasting.x",
                "aanslag aangifte aftrekpost geweigerd",
            ),
            ("ondernemers.x", "btw suppletie omzet correctie"),
            ("dienstverlening.x", "telefoon wachttijd brief onduidelijk"),
            ("rechtsbescherming.x", "bezwaar termijn verstreken hardheid"),
        ];
        let closing = [
            "Zaak gesloten na terugkoppeling aan de aandrager.",
            "Met vriendelijke groet, team intake.",
            "Dossier afgerond en gearchiveerd.",
        ];
        let extra = [
            "ouder", "jonger", "alleen", "samen", "ziek", "gezond", "werk",
        ];
        let mut out = Vec::new();
        for i in 0..360 {
            let (thema, words) = themes[i % 6];
            let w: Vec<&str> = words.split(' ').collect();
            let text = format!(
                "Burger meldt {} en {} bij {} situatie. {} {}.",
                w[i % 4],
                w[(i / 4) % 4],
                extra[i % 7],
                closing[(i / 6) % 3],
                ["Verder geen bijzonderheden", "Geen vervolg nodig"][i % 2]
            );
            let date = NaiveDate::from_ymd_opt(2025, 1 + (i % 12) as u32, 10).unwrap();
            out.push(case(i, thema, i % 17, date, text));
        }
        if with_thread {
            for k in 0..12 {
                let text = format!(
                    "De machtiging van de helper wordt niet geaccepteerd door de bank. Het incassobureau blijft bellen over {}. {}",
                    extra[k % 7],
                    closing[k % 3]
                );
                let date = NaiveDate::from_ymd_opt(2025, 11, 1 + k as u32).unwrap();
                out.push(case(1000 + k, themes[k % 4].0, 20 + k % 6, date, text));
            }
        }
        out
    }

    fn quarters() -> Vec<Period> {
        (1..=4).map(|q| Period::quarter(2025, q)).collect()
    }

    #[test]
    fn boilerplate_is_listed_and_a_real_story_is_found() {
        let cases = corpus(true);
        let refs: Vec<&Case> = cases.iter().collect();
        let cfg = Config::default_config();
        let found = text_threads(&refs, &quarters(), &Period::quarter(2025, 4), &cfg);
        let (threads, stock) = (found.threads, found.stock);
        // The six themes of the background are themes of the intake, not the story.
        assert!(
            found
                .themes
                .iter()
                .all(|t| t.n_casussen == 60 || t.n_casussen == 120),
            "{:?}",
            found.themes
        );
        let stock_texts: Vec<&str> = stock.iter().map(|s| s.tekst.as_str()).collect();
        assert!(
            stock_texts.contains(&"Met vriendelijke groet, team intake."),
            "{stock_texts:?}"
        );
        assert!(stock.iter().all(|s| s.n_teksten >= 100), "{stock:?}");
        assert_eq!(threads.len(), 1, "{threads:#?}");
        let t = &threads[0];
        assert_eq!(t.casus_ids.len(), 12);
        assert!(t.casus_ids.iter().all(|id| id.starts_with("C-1")));
        assert!(
            t.statistiek
                .tekst_termen
                .iter()
                .any(|p| p.contains("machtiging")
                    || p.contains("geaccepteerd")
                    || p.contains("incassobureau")),
            "{:?}",
            t.statistiek.tekst_termen
        );
        for p in &t.statistiek.tekst_termen {
            assert!((2..=4).contains(&p.split(' ').count()), "{p}");
        }
    }

    /// The same story with a maximum share below its size: reported as a theme of the
    /// intake with its size and label, and not as a thread.
    #[test]
    fn an_oversized_cluster_is_a_theme_not_a_thread() {
        let cases = corpus(true);
        let refs: Vec<&Case> = cases.iter().collect();
        let mut cfg = Config::default_config();
        cfg.draden.tekst_max_aandeel = 0.02; // 12 of 372 texts is 3%
        let found = text_threads(&refs, &quarters(), &Period::quarter(2025, 4), &cfg);
        assert!(found.threads.is_empty(), "{:#?}", found.threads);
        let theme = found
            .themes
            .iter()
            .find(|t| {
                t.termen.iter().any(|p| {
                    p.contains("machtiging")
                        || p.contains("incassobureau")
                        || p.contains("geaccepteerd")
                })
            })
            .unwrap_or_else(|| panic!("{:?}", found.themes));
        assert_eq!(theme.n_casussen, 12);
        assert!((theme.aandeel - 12.0 / 372.0).abs() < 1e-9);
        assert!(theme.n_aandragers >= 2);
    }

    #[test]
    fn boilerplate_alone_gives_no_text_thread() {
        let cases = corpus(false);
        let refs: Vec<&Case> = cases.iter().collect();
        let found = text_threads(
            &refs,
            &quarters(),
            &Period::quarter(2025, 4),
            &Config::default_config(),
        );
        let (threads, stock) = (found.threads, found.stock);
        assert!(threads.is_empty(), "{threads:#?}");
        assert!(stock.len() >= 3, "{stock:?}");
    }
}
