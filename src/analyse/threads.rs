//! Rode draden: recurring threads across cases, found three ways and explained.
//!
//! 1. **Structuur**: combinations of one *wat* item (thema at either level,
//!    optionally with regeling or dienst) and one or more *wie* items
//!    (doelgroep, levensgebeurtenis, aandrager_type), at most `max_kenmerken`
//!    in all. A combination is tested as a 2x2 table of "wat" against "wie"
//!    within the cases of the same main theme (so that links built into the
//!    taxonomy, such as zzp'ers with ondernemersthema's, are not mistaken for
//!    a thread): expected count, PRR with 95% interval, shrinkage IC with
//!    IC025, one-sided Fisher p-value, Benjamini-Hochberg over all candidates.
//!    Only closed patterns are kept, and of threads that share most of their
//!    cases only the strongest stays (the others are listed as related).
//! 2. **Trend**: main and sub themes whose count in the last quarters is
//!    unusually high against earlier quarters (EARS, with the history scaled to
//!    the current total intake so that growth alone does not alarm).
//! 3. **Tekst**: clusters of summaries about the same thing even where the
//!    codes differ (TF-IDF, cosine, see [`super::text`]). A cluster dominated
//!    by one theme is that theme, not a hidden thread.
//!
//! Every draad has a stable id derived from its pattern (`RD-` + hash).
//!
//! ```
//! use rodedraad::analyse::threads::stable_id;
//! assert_eq!(stable_id("structuur", &[("thema", "a"), ("doelgroep", "b")]), stable_id("structuur", &[("doelgroep", "b"), ("thema", "a")]));
//! ```

use super::methods::itemsets;
use super::methods::stats::{self, EarsMethod, TwoByTwo};
use super::methods::text::{self, TextConfig};
use super::period::Period;
use crate::config::Config;
use crate::error::Result;
use crate::model::{Case, Signal};
use crate::nl;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Attributes that say *what* the problem is.
pub const WAT: &[&str] = &["thema", "thema_hoofd", "regeling", "dienst"];
/// Attributes that say *who* meets it.
pub const WIE: &[&str] = &["doelgroep", "levensgebeurtenis", "aandrager_type"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ThreadKind {
    #[serde(rename = "structuur")]
    Structural,
    #[serde(rename = "trend")]
    Trend,
    #[serde(rename = "tekst")]
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trend {
    #[serde(rename = "nieuw")]
    New,
    #[serde(rename = "stijgend")]
    Rising,
    #[serde(rename = "stabiel")]
    Stable,
    #[serde(rename = "dalend")]
    Falling,
}

impl Trend {
    pub fn dutch(self) -> &'static str {
        match self {
            Trend::New => "nieuw",
            Trend::Rising => "stijgend",
            Trend::Stable => "stabiel",
            Trend::Falling => "dalend",
        }
    }
}

/// The statistics behind a draad (fields empty where they do not apply).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Statistic {
    /// Population of the 2x2 table ("alle casussen" or a main theme).
    pub populatie: Option<String>,
    pub a: Option<f64>,
    pub b: Option<f64>,
    pub c: Option<f64>,
    pub d: Option<f64>,
    pub verwacht: Option<f64>,
    pub prr: Option<f64>,
    pub prr_laag: Option<f64>,
    pub prr_hoog: Option<f64>,
    pub ic: Option<f64>,
    pub ic025: Option<f64>,
    pub p: Option<f64>,
    pub p_bh: Option<f64>,
    pub ears_waarde: Option<f64>,
    pub ears_drempel: Option<f64>,
    pub per_kwartaal: Vec<(String, u64)>,
    pub in_periode: u64,
    pub in_vorige_periode: u64,
    pub tekst_termen: Vec<String>,
    pub tekst_samenhang: Option<f64>,
}

/// One rode draad (a row of `rode-draden.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Thread {
    pub id: String,
    pub soort: ThreadKind,
    pub label: String,
    pub uitleg: String,
    /// Attribute -> code (for text threads: `termen`).
    pub kenmerken: BTreeMap<String, String>,
    pub casus_ids: Vec<String>,
    pub n_casussen: usize,
    pub n_aandragers: usize,
    pub aandragers: Vec<String>,
    pub doelgroepen: Vec<String>,
    pub eerst_gezien: Option<NaiveDate>,
    laatst_gezien: Option<NaiveDate>,
    pub trend: Trend,
    pub score: f64,
    pub statistiek: Statistic,
    pub signaal_ids: Vec<String>,
    /// Ids of weaker threads with largely the same cases.
    pub verwant: Vec<String>,
}

impl Thread {
    /// The date of the thread's latest case.
    pub fn last_seen(&self) -> Option<NaiveDate> {
        self.laatst_gezien
    }
}

/// A stable id from the kind and the (attribute, value) pattern, independent of order.
pub fn stable_id(kind: &str, pattern: &[(&str, &str)]) -> String {
    let mut parts: Vec<String> = pattern.iter().map(|(k, v)| format!("{k}={v}")).collect();
    parts.sort();
    let h = crate::output::sha256_hex(format!("{kind}|{}", parts.join("|")).as_bytes());
    format!("RD-{}", &h[..8])
}

/// The items of one case: (attribute, code) pairs.
fn case_items(c: &Case) -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = vec![("thema_hoofd", c.thema_hoofd().to_string())];
    if c.thema.contains('.') {
        v.push(("thema", c.thema.clone()));
    }
    if let Some(r) = &c.regeling {
        v.push(("regeling", r.clone()));
    }
    if let Some(d) = c.dienst {
        v.push(("dienst", d.as_str().to_string()));
    }
    for d in &c.doelgroep {
        v.push(("doelgroep", d.clone()));
    }
    if let Some(l) = c
        .levensgebeurtenis
        .as_ref()
        .filter(|l| l.as_str() != "geen")
    {
        v.push(("levensgebeurtenis", l.clone()));
    }
    v.push(("aandrager_type", c.aandrager_type.clone()));
    v
}

/// Item dictionary: (attribute, code) <-> u32.
#[derive(Default)]
struct Items {
    ids: HashMap<(&'static str, String), u32>,
    names: Vec<(&'static str, String)>,
}

impl Items {
    fn id(&mut self, item: (&'static str, String)) -> u32 {
        if let Some(&i) = self.ids.get(&item) {
            return i;
        }
        let i = self.names.len() as u32;
        self.ids.insert(item.clone(), i);
        self.names.push(item);
        i
    }
}

fn helper_of(c: &Case) -> &str {
    c.aandrager_id.as_deref().unwrap_or(&c.aandrager_type)
}

/// Detects all rode draden (see module docs) in the cases received up to `peil`.
pub fn detect(
    cases: &[Case],
    signals: &[Signal],
    period: &Period,
    peil: NaiveDate,
    cfg: &Config,
) -> Vec<Thread> {
    let cases: Vec<&Case> = cases.iter().filter(|c| c.ontvangen_op <= peil).collect();
    if cases.is_empty() {
        return Vec::new();
    }
    let quarters = quarter_axis(&cases, period, peil);
    let mut out = structural(&cases, cfg);
    // A rise of a theme that mostly consists of a thread found already is that thread rising.
    for t in trends(&cases, period, &quarters, cfg) {
        let set: BTreeSet<&str> = t.casus_ids.iter().map(String::as_str).collect();
        if let Some(d) = out
            .iter_mut()
            .find(|d| jaccard(&set, &d.casus_ids.iter().map(String::as_str).collect()) >= 0.5)
        {
            d.statistiek.ears_waarde = t.statistiek.ears_waarde;
            d.statistiek.ears_drempel = t.statistiek.ears_drempel;
            d.verwant.push(t.id.clone());
            d.score += t.score;
            continue;
        }
        out.push(t);
    }
    let text_threads = text_threads(&cases, cfg);
    // A text cluster that mostly coincides with a thread found otherwise confirms it.
    for t in text_threads {
        let set: BTreeSet<&str> = t.casus_ids.iter().map(String::as_str).collect();
        if let Some(d) = out
            .iter_mut()
            .find(|d| jaccard(&set, &d.casus_ids.iter().map(String::as_str).collect()) >= 0.5)
        {
            d.statistiek.tekst_termen = t.statistiek.tekst_termen.clone();
            d.statistiek.tekst_samenhang = t.statistiek.tekst_samenhang;
            continue;
        }
        out.push(t);
    }
    let by_id: HashMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), *c)).collect();
    for d in &mut out {
        finish(d, &by_id, signals, period, &quarters);
    }
    out.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    out
}

fn jaccard(a: &BTreeSet<&str>, b: &BTreeSet<&str>) -> f64 {
    let inter = a.intersection(b).count() as f64;
    let union = a.union(b).count() as f64;
    if union == 0.0 {
        0.0
    } else {
        inter / union
    }
}

struct Candidate {
    items: Vec<u32>,
    support: u64,
    table: TwoByTwo,
    stratum: Option<String>,
    p: f64,
}

/// Structural detection only (see module docs); used by the benchmark.
pub fn structural(cases: &[&Case], cfg: &Config) -> Vec<Thread> {
    let dc = &cfg.draden;
    let mut items = Items::default();
    let transactions: Vec<Vec<u32>> = cases
        .iter()
        .map(|c| {
            let mut t: Vec<u32> = case_items(c).into_iter().map(|i| items.id(i)).collect();
            t.sort_unstable();
            t.dedup();
            t
        })
        .collect();
    // An item that (almost) every case has says nothing about a thread (e.g. a fixed dienst).
    let mut item_count = vec![0u64; items.names.len()];
    for t in &transactions {
        for &i in t {
            item_count[i as usize] += 1;
        }
    }
    let near_constant = |i: u32| {
        cases.len() >= 20
            && item_count[i as usize] as f64 >= 0.95 * cases.len() as f64
            && items.names[i as usize].0 != "thema_hoofd"
    };
    let transactions: Vec<Vec<u32>> = transactions
        .into_iter()
        .map(|t| t.into_iter().filter(|&i| !near_constant(i)).collect())
        .collect();
    let freq = itemsets::frequent_itemsets(
        &transactions,
        dc.min_casussen as u64,
        dc.max_kenmerken.max(2),
    );
    let support: HashMap<Vec<u32>, u64> =
        freq.iter().map(|s| (s.items.clone(), s.support)).collect();
    let sup = |v: &[u32]| -> u64 {
        if v.is_empty() {
            return cases.len() as u64;
        }
        let mut k = v.to_vec();
        k.sort_unstable();
        support.get(&k).copied().unwrap_or(0)
    };
    let hoofd_of = |thema: &str| thema.split('.').next().unwrap_or(thema).to_string();
    let mut cands: Vec<Candidate> = Vec::new();
    for s in freq
        .iter()
        .filter(|s| s.items.len() >= 2 && s.items.len() <= dc.max_kenmerken)
    {
        let named: Vec<&(&str, String)> =
            s.items.iter().map(|i| &items.names[*i as usize]).collect();
        let wat: Vec<u32> = s
            .items
            .iter()
            .copied()
            .filter(|i| WAT.contains(&items.names[*i as usize].0))
            .collect();
        let wie: Vec<u32> = s
            .items
            .iter()
            .copied()
            .filter(|i| WIE.contains(&items.names[*i as usize].0))
            .collect();
        let themes: Vec<&String> = named
            .iter()
            .filter(|(k, _)| *k == "thema")
            .map(|(_, v)| v)
            .collect();
        let hoofden: Vec<&String> = named
            .iter()
            .filter(|(k, _)| *k == "thema_hoofd")
            .map(|(_, v)| v)
            .collect();
        if wie.is_empty()
            || (themes.is_empty() && hoofden.is_empty())
            || themes.len() > 1
            || hoofden.len() > 1
        {
            continue;
        }
        // Links that hold by design (e.g. the hersteloperatie concerns gedupeerden) are no thread.
        let known = named.iter().any(|(k, v)| {
            dc.bekende_samenhang
                .get(v.as_str())
                .is_some_and(|linked| named.iter().any(|(k2, v2)| k2 != k && linked.contains(v2)))
        });
        if known {
            continue;
        }
        // A level-2 theme with its own main theme says the same thing twice.
        if let (Some(t), Some(h)) = (themes.first(), hoofden.first()) {
            if hoofd_of(t) == **h {
                continue;
            }
            continue; // two different main themes cannot occur in one case
        }
        // Stratum: the main theme of a level-2 theme; a main theme alone is context, not a thread.
        let Some(theme) = themes.first() else {
            continue;
        };
        let h = hoofd_of(theme);
        let Some(&h_id) = items.ids.get(&("thema_hoofd", h.clone())) else {
            continue;
        };
        let n_s = sup(&[h_id]);
        let n_x = sup(&wat);
        let mut y_in_s = wie.clone();
        y_in_s.push(h_id);
        let n_y = sup(&y_in_s);
        let a = s.support as f64;
        let (b, c) = (n_x as f64 - a, n_y as f64 - a);
        let d = n_s as f64 - a - b - c;
        if b < 0.0 || c < 0.0 || d < 0.0 {
            continue;
        }
        let table = TwoByTwo { a, b, c, d };
        let dp = stats::disproportionality(&table);
        cands.push(Candidate {
            items: s.items.clone(),
            support: s.support,
            table,
            stratum: Some(h),
            p: dp.p_fisher,
        });
    }
    if cands.is_empty() {
        return Vec::new();
    }
    let ps: Vec<f64> = cands.iter().map(|c| c.p).collect();
    let (rejected, adjusted) = stats::benjamini_hochberg(&ps, dc.fdr_q);
    let mut sig: Vec<(Candidate, f64)> = cands
        .into_iter()
        .zip(rejected.into_iter().zip(adjusted))
        .filter(|(_, (r, _))| *r)
        .map(|(c, (_, q))| (c, q))
        .filter(|(c, _)| stats::disproportionality(&c.table).ic025 > dc.min_ic025)
        .collect();
    // Closed patterns: drop a pattern when a significant superset has the same support.
    let snapshot: Vec<(Vec<u32>, u64)> = sig
        .iter()
        .map(|(c, _)| (c.items.clone(), c.support))
        .collect();
    sig.retain(|(c, _)| {
        !snapshot.iter().any(|(items, s)| {
            *s == c.support
                && items.len() > c.items.len()
                && c.items.iter().all(|i| items.contains(i))
        })
    });
    // Strongest first; keep a thread only when it does not share most cases with a stronger one.
    let strength = |c: &Candidate| {
        let dp = stats::disproportionality(&c.table);
        dp.ic025.max(0.0) * (c.support as f64).sqrt()
    };
    sig.sort_by(|x, y| {
        strength(&y.0)
            .partial_cmp(&strength(&x.0))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(x.0.items.cmp(&y.0.items))
    });
    let mut accepted: Vec<Thread> = Vec::new();
    let mut accepted_sets: Vec<BTreeSet<u32>> = Vec::new();
    for (c, q) in sig {
        if accepted.len() >= dc.max_draden {
            break;
        }
        let tids: BTreeSet<u32> = itemsets::tidlist(&transactions, &c.items)
            .into_iter()
            .collect();
        let helpers: BTreeSet<&str> = tids.iter().map(|&t| helper_of(cases[t as usize])).collect();
        if helpers.len() < dc.min_aandragers {
            continue;
        }
        let pattern: Vec<(&str, &str)> = c
            .items
            .iter()
            .map(|i| {
                let (k, v) = &items.names[*i as usize];
                (*k, v.as_str())
            })
            .collect();
        let id = stable_id("structuur", &pattern);
        if let Some(pos) = accepted_sets.iter().position(|s| {
            let inter = s.intersection(&tids).count() as f64;
            inter / (s.len().min(tids.len()) as f64) >= 0.8
        }) {
            accepted[pos].verwant.push(id);
            continue;
        }
        let dp = stats::disproportionality(&c.table);
        let statistiek = Statistic {
            populatie: c.stratum.clone(),
            a: Some(c.table.a),
            b: Some(c.table.b),
            c: Some(c.table.c),
            d: Some(c.table.d),
            verwacht: Some(dp.expected),
            prr: finite(dp.prr),
            prr_laag: finite(dp.prr_lo),
            prr_hoog: finite(dp.prr_hi),
            ic: Some(dp.ic),
            ic025: Some(dp.ic025),
            p: Some(c.p),
            p_bh: Some(q),
            ..Default::default()
        };
        let kenmerken: BTreeMap<String, String> = pattern
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let ids: Vec<String> = tids
            .iter()
            .map(|&t| cases[t as usize].casus_id.clone())
            .collect();
        accepted.push(new_draad(
            id,
            ThreadKind::Structural,
            kenmerken,
            ids,
            statistiek,
            strength(&c),
        ));
        accepted_sets.push(tids);
    }
    accepted
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn new_draad(
    id: String,
    soort: ThreadKind,
    kenmerken: BTreeMap<String, String>,
    casus_ids: Vec<String>,
    statistiek: Statistic,
    score: f64,
) -> Thread {
    Thread {
        id,
        soort,
        label: String::new(),
        uitleg: String::new(),
        kenmerken,
        n_casussen: casus_ids.len(),
        casus_ids,
        n_aandragers: 0,
        aandragers: Vec::new(),
        doelgroepen: Vec::new(),
        eerst_gezien: None,
        laatst_gezien: None,
        trend: Trend::Stable,
        score,
        statistiek,
        signaal_ids: Vec::new(),
        verwant: Vec::new(),
    }
}

/// Quarters from the first case up to the quarter of the period's last observed day (the end,
/// or the peildatum when that comes first: `Period::observed_end`).
fn quarter_axis(cases: &[&Case], period: &Period, peil: NaiveDate) -> Vec<Period> {
    let first = cases
        .iter()
        .map(|c| c.ontvangen_op)
        .min()
        .unwrap_or(period.start);
    let mut q = Period::quarter_of(first);
    let mut out = Vec::new();
    while q.start <= period.observed_end(peil) {
        out.push(q.clone());
        let next = q.end.succ_opt().unwrap();
        q = Period::quarter_of(next);
    }
    out
}

fn quarter_counts(dates: &[NaiveDate], quarters: &[Period]) -> Vec<u64> {
    quarters
        .iter()
        .map(|q| dates.iter().filter(|d| q.contains(**d)).count() as u64)
        .collect()
}

fn trends(cases: &[&Case], period: &Period, quarters: &[Period], cfg: &Config) -> Vec<Thread> {
    let dc = &cfg.draden;
    let method = match dc.ears_methode.to_uppercase().as_str() {
        "C1" => EarsMethod::C1,
        "C3" => EarsMethod::C3,
        _ => EarsMethod::C2,
    };
    let all_dates: Vec<NaiveDate> = cases.iter().map(|c| c.ontvangen_op).collect();
    let totals = quarter_counts(&all_dates, quarters);
    let Some(&last_total) = totals.last() else {
        return Vec::new();
    };
    let mut groups: BTreeMap<(&str, String), Vec<&Case>> = BTreeMap::new();
    for c in cases {
        groups
            .entry(("thema_hoofd", c.thema_hoofd().to_string()))
            .or_default()
            .push(c);
        if c.thema.contains('.') {
            groups
                .entry(("thema", c.thema.clone()))
                .or_default()
                .push(c);
        }
    }
    let mut out = Vec::new();
    for ((attr, code), members) in groups {
        let dates: Vec<NaiveDate> = members.iter().map(|c| c.ontvangen_op).collect();
        let counts = quarter_counts(&dates, quarters);
        // Scale history to the current total intake so that growth alone does not alarm.
        let scaled: Vec<f64> = counts
            .iter()
            .zip(&totals)
            .map(|(&n, &t)| {
                if t == 0 {
                    0.0
                } else {
                    n as f64 * last_total as f64 / t as f64
                }
            })
            .collect();
        let res = stats::ears(
            &scaled,
            method,
            dc.ears_basis,
            dc.ears_min_sigma,
            dc.ears_alpha,
        );
        let alarm = quarters
            .iter()
            .zip(&res)
            .zip(&counts)
            .rev()
            .find(|((q, r), n)| {
                q.end >= period.start
                    && q.start <= period.end
                    && r.as_ref().is_some_and(|r| r.alarm)
                    && **n >= dc.min_casussen as u64
            });
        let Some(((q, Some(r)), n)) = alarm else {
            continue;
        };
        let in_q: Vec<&&Case> = members
            .iter()
            .filter(|c| q.contains(c.ontvangen_op))
            .collect();
        let helpers: BTreeSet<&str> = in_q.iter().map(|c| helper_of(c)).collect();
        if helpers.len() < dc.min_aandragers {
            continue;
        }
        let id = stable_id("trend", &[(attr, code.as_str())]);
        let mut kenmerken = BTreeMap::new();
        kenmerken.insert(attr.to_string(), code.clone());
        kenmerken.insert("kwartaal".into(), q.label.clone());
        let statistiek = Statistic {
            populatie: Some("alle casussen".into()),
            ears_waarde: Some(r.value),
            ears_drempel: Some(r.threshold),
            a: Some(*n as f64),
            verwacht: Some(r.baseline_mean),
            ..Default::default()
        };
        let ids: Vec<String> = members.iter().map(|c| c.casus_id.clone()).collect();
        let score = (r.value - r.threshold).max(0.0) + (*n as f64).sqrt();
        out.push(new_draad(
            id,
            ThreadKind::Trend,
            kenmerken,
            ids,
            statistiek,
            score,
        ));
    }
    // A main theme that rises because one of its sub-themes rises: keep the sub-theme only.
    let subs: Vec<String> = out
        .iter()
        .filter_map(|d| d.kenmerken.get("thema").cloned())
        .collect();
    out.retain(|d| match d.kenmerken.get("thema_hoofd") {
        Some(h) => !subs.iter().any(|s| s.split('.').next() == Some(h.as_str())),
        None => true,
    });
    out
}

fn text_threads(cases: &[&Case], cfg: &Config) -> Vec<Thread> {
    let dc = &cfg.draden;
    let with_text: Vec<&Case> = cases
        .iter()
        .copied()
        .filter(|c| {
            c.samenvatting
                .as_deref()
                .is_some_and(|s| !s.trim().is_empty())
        })
        .collect();
    let texts: Vec<&str> = with_text
        .iter()
        .map(|c| c.samenvatting.as_deref().unwrap_or(""))
        .collect();
    let tc = TextConfig {
        min_similarity: dc.tekst_min_gelijkenis,
        min_cluster: dc.tekst_min_cluster,
        exact_max: dc.tekst_exact_max,
        ..TextConfig::default()
    };
    let mut out = Vec::new();
    for cl in text::cluster_texts(&texts, &tc) {
        let members: Vec<&Case> = cl.members.iter().map(|&i| with_text[i]).collect();
        let mut per_theme: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &members {
            *per_theme.entry(c.thema_hoofd()).or_default() += 1;
        }
        let top = per_theme.values().copied().max().unwrap_or(0);
        // Mostly one main theme: the codes already say this, it is not a thread hidden behind different codes.
        if top as f64 >= dc.tekst_max_hoofdthema * members.len() as f64 {
            continue;
        }
        let helpers: BTreeSet<&str> = members.iter().map(|c| helper_of(c)).collect();
        if helpers.len() < dc.min_aandragers || members.len() < dc.min_casussen {
            continue;
        }
        let terms: Vec<String> = cl.terms.iter().take(4).cloned().collect();
        let mut stems: Vec<String> = terms.iter().take(3).map(|t| text::stem(t)).collect();
        stems.sort();
        let pattern: Vec<(&str, &str)> = stems.iter().map(|s| ("term", s.as_str())).collect();
        let id = stable_id("tekst", &pattern);
        let mut kenmerken = BTreeMap::new();
        kenmerken.insert("termen".to_string(), terms.join(", "));
        let statistiek = Statistic {
            populatie: Some("casussen met een samenvatting".into()),
            tekst_termen: terms,
            tekst_samenhang: Some(cl.cohesion),
            ..Default::default()
        };
        let ids: Vec<String> = members.iter().map(|c| c.casus_id.clone()).collect();
        let score = cl.cohesion * (members.len() as f64).sqrt();
        out.push(new_draad(
            id,
            ThreadKind::Text,
            kenmerken,
            ids,
            statistiek,
            score,
        ));
    }
    out
}

/// Fills in helpers, target groups, dates, trend, signals, label and explanation.
fn finish(
    d: &mut Thread,
    by_id: &HashMap<&str, &Case>,
    signals: &[Signal],
    period: &Period,
    quarters: &[Period],
) {
    let mut ids = d.casus_ids.clone();
    ids.sort();
    ids.dedup();
    d.casus_ids = ids;
    let members: Vec<&Case> = d
        .casus_ids
        .iter()
        .filter_map(|i| by_id.get(i.as_str()).copied())
        .collect();
    let helpers: BTreeSet<String> = members.iter().map(|c| helper_of(c).to_string()).collect();
    let groups: BTreeSet<String> = members
        .iter()
        .flat_map(|c| c.doelgroep.iter().cloned())
        .collect();
    d.n_casussen = members.len();
    d.n_aandragers = helpers.len();
    d.aandragers = helpers.into_iter().collect();
    d.doelgroepen = groups.into_iter().collect();
    d.eerst_gezien = members.iter().map(|c| c.ontvangen_op).min();
    d.laatst_gezien = members.iter().map(|c| c.ontvangen_op).max();
    let dates: Vec<NaiveDate> = members.iter().map(|c| c.ontvangen_op).collect();
    let prev = period.previous();
    let n_now = dates.iter().filter(|x| period.contains(**x)).count() as u64;
    let n_prev = dates.iter().filter(|x| prev.contains(**x)).count() as u64;
    let before_start = dates.iter().filter(|x| **x < period.start).count();
    d.trend = classify(n_now, n_prev, before_start);
    if d.soort == ThreadKind::Trend {
        d.trend = if before_start == 0 {
            Trend::New
        } else {
            Trend::Rising
        };
    }
    d.statistiek.in_periode = n_now;
    d.statistiek.in_vorige_periode = n_prev;
    d.statistiek.per_kwartaal = quarters
        .iter()
        .zip(quarter_counts(&dates, quarters))
        .map(|(q, n)| (q.label.clone(), n))
        .collect();
    let set: BTreeSet<&str> = d.casus_ids.iter().map(String::as_str).collect();
    d.signaal_ids = signals
        .iter()
        .filter(|s| {
            s.casus_ids.iter().any(|c| set.contains(c.as_str())) || signal_matches(s, &d.kenmerken)
        })
        .map(|s| s.signaal_id.clone())
        .collect();
    d.signaal_ids.sort();
}

/// The trend class from the count in the period, in the previous one and before the period.
pub fn classify(now: u64, prev: u64, before_start: usize) -> Trend {
    if before_start == 0 && now > 0 {
        Trend::New
    } else if now as f64 >= 1.5 * prev as f64 + 2.0 {
        Trend::Rising
    } else if (now as f64) + 2.0 <= 0.5 * prev as f64 {
        Trend::Falling
    } else {
        Trend::Stable
    }
}

/// A signal touches a pattern when its theme matches and every other coded attribute it has agrees.
fn signal_matches(s: &Signal, k: &BTreeMap<String, String>) -> bool {
    let Some(thema) = &s.thema else { return false };
    let theme_ok = match (k.get("thema"), k.get("thema_hoofd")) {
        (Some(t), _) => thema == t,
        (None, Some(h)) => thema.split('.').next() == Some(h.as_str()),
        _ => return false,
    };
    let regeling_ok = match (k.get("regeling"), &s.regeling) {
        (Some(r), Some(sr)) => r == sr,
        _ => true,
    };
    let groep_ok = match k.get("doelgroep") {
        Some(g) => s.doelgroep.is_empty() || s.doelgroep.contains(g),
        None => true,
    };
    theme_ok && regeling_ok && groep_ok
}

/// Dutch label and explanation of every thread (needs the configuration for labels).
pub fn describe(draden: &mut [Thread], cfg: &Config) {
    for d in draden.iter_mut() {
        let (label, uitleg) = describe_one(d, cfg, &|f| match f {
            Figure::Count(v) => nl::int(v as i64),
            Figure::Mean { mean, .. } => nl::dec(mean, 1),
        });
        d.label = label;
        d.uitleg = uitleg;
    }
}

/// A number inside a thread's explanation, handed to the caller to format
/// (the protection stage hides small ones; the analysis prints them as they are).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    /// A count of cases or helpers.
    Count(u64),
    /// A mean of counts over earlier quarters, with the sum it was made of.
    Mean { mean: f64, sum: f64 },
}

/// The explanation of a thread with every number formatted by `fmt`.
pub fn explain(d: &Thread, cfg: &Config, fmt: &dyn Fn(Figure) -> String) -> String {
    describe_one(d, cfg, fmt).1
}

/// A label inside a sentence: "Terugvordering van toeslagen" -> "terugvordering van toeslagen".
/// A label in title case or with a name in it keeps its case ("Pothole Repair", "Dienst
/// Toeslagen"), so a label from a foreign export never reads "pothole Repair".
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    let capital_later = s
        .split_whitespace()
        .skip(1)
        .any(|w| w.chars().next().is_some_and(char::is_uppercase));
    match c.next() {
        Some(f) if !capital_later && s.chars().nth(1).is_some_and(|x| x.is_lowercase()) => {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        _ => s.to_string(),
    }
}

fn describe_one(d: &Thread, cfg: &Config, fmt: &dyn Fn(Figure) -> String) -> (String, String) {
    let k = &d.kenmerken;
    let wat = {
        let mut v = Vec::new();
        if let Some(t) = k.get("thema").or(k.get("thema_hoofd")) {
            v.push(lower_first(&cfg.label("thema", t)));
        }
        if let Some(r) = k.get("regeling") {
            v.push(lower_first(&cfg.label("regeling", r)));
        }
        if let Some(x) = k.get("dienst") {
            v.push(format!("bij {}", cfg.label("dienst", x)));
        }
        v.join(", ")
    };
    let mut wie = Vec::new();
    if let Some(g) = k.get("doelgroep") {
        wie.push(lower_first(&cfg.label("doelgroep", g)));
    }
    if let Some(l) = k.get("levensgebeurtenis") {
        wie.push(format!(
            "na {}",
            lower_first(&cfg.label("levensgebeurtenis", l))
        ));
    }
    if let Some(a) = k.get("aandrager_type") {
        wie.push(format!(
            "aangedragen door {}",
            lower_first(&cfg.label("aandrager_type", a))
        ));
    }
    let wie = wie.join(", ");
    let n = fmt(Figure::Count(d.n_casussen as u64));
    let h = fmt(Figure::Count(d.n_aandragers as u64));
    match d.soort {
        ThreadKind::Structural => {
            let ratio = d
                .statistiek
                .a
                .zip(d.statistiek.verwacht)
                .filter(|(_, e)| *e > 0.0)
                .map(|(a, e)| a / e);
            let within = d
                .statistiek
                .populatie
                .as_ref()
                .map(|p| format!(" binnen {}", lower_first(&cfg.label("thema", p))))
                .unwrap_or_default();
            let label = if wie.is_empty() {
                upper_first(&wat)
            } else {
                format!("{}: {}", upper_first(&wat), wie)
            };
            // "... over <wat> bij <doelgroep> na <gebeurtenis>, aangedragen door <aandrager>"
            let mut tail = String::new();
            if let Some(g) = k.get("doelgroep") {
                tail.push_str(&format!(" bij {}", lower_first(&cfg.label("doelgroep", g))));
            }
            if let Some(l) = k.get("levensgebeurtenis") {
                tail.push_str(&format!(
                    " na {}",
                    lower_first(&cfg.label("levensgebeurtenis", l))
                ));
            }
            if let Some(a) = k.get("aandrager_type") {
                tail.push_str(&format!(
                    ", aangedragen door {}",
                    lower_first(&cfg.label("aandrager_type", a))
                ));
            }
            let mut uitleg = format!("{n} casussen van {h} aandragers over {wat}{tail}");
            if let Some(r) = ratio {
                uitleg.push_str(&format!(
                    "; {} keer zo vaak als verwacht{within}",
                    nl::dec(r, 1)
                ));
            }
            uitleg.push('.');
            (label, uitleg)
        }
        ThreadKind::Trend => {
            let q = k.get("kwartaal").cloned().unwrap_or_default();
            let label = format!("Stijging: {}", upper_first(&wat));
            let uitleg = format!(
                "In {q} kwamen {} casussen binnen over {wat}, tegen gemiddeld {} per kwartaal ervoor (herschaald naar de huidige instroom); {n} casussen in totaal van {h} aandragers.",
                fmt(Figure::Count(d.statistiek.a.unwrap_or(0.0).round() as u64)),
                fmt(Figure::Mean {
                    mean: d.statistiek.verwacht.unwrap_or(0.0),
                    sum: d.statistiek.verwacht.unwrap_or(0.0)
                        * d.statistiek.per_kwartaal.len().saturating_sub(1).max(1) as f64,
                })
            );
            (label, uitleg)
        }
        ThreadKind::Text => {
            let terms = d.statistiek.tekst_termen.join(", ");
            let label = format!("Samenvattingen over: {terms}");
            let uitleg = format!(
                "{n} casussen van {h} aandragers beschrijven hetzelfde ({terms}), ook al zijn ze onder verschillende thema's vastgelegd."
            );
            (label, uitleg)
        }
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Writes `rode-draden.csv`: one row per thread, lists joined with `|`.
pub fn write_csv(draden: &[Thread], path: &Path) -> Result<()> {
    let header: Vec<String> = [
        "id",
        "soort",
        "label",
        "uitleg",
        "kenmerken",
        "n_casussen",
        "n_aandragers",
        "trend",
        "score",
        "eerst_gezien",
        "laatst_gezien",
        "prr",
        "ic025",
        "p_bh",
        "casus_ids",
        "signaal_ids",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows: Vec<Vec<String>> = draden
        .iter()
        .map(|d| {
            vec![
                d.id.clone(),
                format!("{:?}", d.soort).to_lowercase(),
                d.label.clone(),
                d.uitleg.clone(),
                d.kenmerken
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("|"),
                d.n_casussen.to_string(),
                d.n_aandragers.to_string(),
                d.trend.dutch().to_string(),
                format!("{:.4}", d.score),
                d.eerst_gezien.map(|x| x.to_string()).unwrap_or_default(),
                d.last_seen().map(|x| x.to_string()).unwrap_or_default(),
                d.statistiek
                    .prr
                    .map(|x| format!("{x:.4}"))
                    .unwrap_or_default(),
                d.statistiek
                    .ic025
                    .map(|x| format!("{x:.4}"))
                    .unwrap_or_default(),
                d.statistiek
                    .p_bh
                    .map(|x| format!("{x:.6}"))
                    .unwrap_or_default(),
                d.casus_ids.join("|"),
                d.signaal_ids.join("|"),
            ]
        })
        .collect();
    crate::output::write_csv(path, &header, &rows)
}

#[cfg(test)]
mod label_case {
    use super::lower_first;

    #[test]
    fn labels_keep_the_case_of_their_source() {
        assert_eq!(
            lower_first("Terugvordering van toeslagen"),
            "terugvordering van toeslagen"
        );
        assert_eq!(lower_first("Pothole Repair"), "Pothole Repair");
        assert_eq!(lower_first("Dienst Toeslagen"), "Dienst Toeslagen");
        assert_eq!(lower_first("IBTD"), "IBTD");
    }
}
