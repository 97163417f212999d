//! Rode draden: recurring threads across cases, found three ways and explained.
//!
//! 1. **Structuur** ([`structural`]): a *wat* (theme at either level, optionally with
//!    regeling or dienst) with one or more *wie* items (`[draden] wie`), tested against the
//!    right comparison population (siblings, main theme or all cases), in a Tarone family
//!    with Benjamini-Hochberg; closed patterns only. A *wie* dimension the theme nearly
//!    determines is reported as workflow ([`Workflow`]), not as threads.
//! 2. **Trend** ([`trend`]): main and sub themes whose count rises: a step test on the last
//!    three months, a Poisson trend test with the total intake as offset and EARS, each where
//!    the history allows it, in one Benjamini-Hochberg family over the themes.
//! 3. **Tekst** ([`text`]): clusters of summaries about the same thing, after stock
//!    sentences are taken out, tested against random groups and on concentration.
//!
//! A thread is listed for a period only when it has cases in that period; its statistics
//! give the count in the period and before it separately. Every thread has a stable id
//! derived from its pattern (`RD-` + hash), unique within one output.
//!
//! ```
//! use rodedraad::analyse::threads::stable_id;
//! assert_eq!(stable_id("structuur", &[("thema", "a"), ("doelgroep", "b")]), stable_id("structuur", &[("doelgroep", "b"), ("thema", "a")]));
//! ```

pub mod structural;
pub mod text;
pub mod trend;

#[cfg(test)]
mod tests;

use super::methods::text::templates::StockSentence;
use super::period::Period;
use crate::config::Config;
use crate::error::Result;
use crate::model::{Case, Signal};
use crate::nl;
use crate::util::sets::jaccard;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
pub use structural::Workflow;
pub use text::TextTheme;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ThreadKind {
    #[serde(rename = "structuur")]
    Structural,
    #[serde(rename = "trend")]
    Trend,
    #[serde(rename = "tekst")]
    Text,
}

impl ThreadKind {
    /// How the thread was found, as the report says it.
    pub fn label(self) -> &'static str {
        match self {
            ThreadKind::Structural => "patroon in de kenmerken",
            ThreadKind::Trend => "stijging in de tijd",
            ThreadKind::Text => "zelfde verhaal in de samenvattingen",
        }
    }
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
    pub fn label(self) -> &'static str {
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
    /// Trend test used: "ears" or "poisson".
    #[serde(default)]
    pub trend_methode: Option<String>,
    /// Poisson trend: factor by which the share of the intake grows per quarter.
    #[serde(default)]
    pub trend_factor: Option<f64>,
    pub per_kwartaal: Vec<(String, u64)>,
    pub in_periode: u64,
    pub in_vorige_periode: u64,
    /// Cases of the thread received before the period.
    #[serde(default)]
    pub eerder: u64,
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

fn helper_of(c: &Case) -> &str {
    c.aandrager_id.as_deref().unwrap_or(&c.aandrager_type)
}

/// What the detection found besides the threads: the stock sentences left out of the text
/// clustering, the workflow dimensions and notes on the methods (all in Dutch).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Context {
    pub standaardzinnen: Vec<StockSentence>,
    /// Sentences spread like stock sentences whose rate changes over time (closing notes):
    /// they stay in the clustering, but a story does not end with them.
    #[serde(default)]
    pub wisselende_standaardzinnen: Vec<StockSentence>,
    pub werkwijze: Vec<Workflow>,
    /// Text clusters too large to be a thread: themes of the intake.
    #[serde(default)]
    pub tekstthemas: Vec<TextTheme>,
    pub opmerkingen: Vec<String>,
}

/// Detects all rode draden (see module docs) in the cases received up to `reference_date`.
pub fn detect(
    cases: &[Case],
    signals: &[Signal],
    period: &Period,
    reference_date: NaiveDate,
    cfg: &Config,
) -> Vec<Thread> {
    detect_with_context(cases, signals, period, reference_date, cfg).0
}

/// [`detect`], also returning the [`Context`].
pub fn detect_with_context(
    cases: &[Case],
    signals: &[Signal],
    period: &Period,
    reference_date: NaiveDate,
    cfg: &Config,
) -> (Vec<Thread>, Context) {
    let cases: Vec<&Case> = cases
        .iter()
        .filter(|c| c.ontvangen_op <= reference_date)
        .collect();
    let mut ctx = Context::default();
    if cases.is_empty() {
        return (Vec::new(), ctx);
    }
    let quarters = quarter_axis(&cases, period, reference_date);
    ctx.werkwijze = structural::workflow(&cases, cfg);
    for w in &ctx.werkwijze {
        ctx.opmerkingen.push(match (w.cramers_v, w.aandeel) {
            (Some(v), _) => format!(
                "Werkwijze: {} volgt vrijwel uit het thema (Cramérs V {}); daarom geen rode draden op {}.",
                w.wie,
                nl::dec(v, 2),
                w.wie
            ),
            (_, a) => format!(
                "Werkwijze: casussen over {} komen voor {}% binnen via {}; die combinatie is de route van het werk, geen rode draad.",
                w.wat,
                nl::dec(a.unwrap_or(0.0) * 100.0, 0),
                w.wie
            ),
        });
    }
    // The text threads need nothing of the structural and trend work, so they run beside it
    // (their serial stretches leave a core free); the results are combined in the same order.
    let (mut out, trends, found) = std::thread::scope(|s| {
        let text = s.spawn(|| text::text_threads(&cases, &quarters, period, cfg));
        let out = structural::structural(&cases, cfg, &ctx.werkwijze);
        let trends = trend::trends(
            &cases,
            period,
            reference_date,
            &quarters,
            cfg,
            &mut ctx.opmerkingen,
        );
        let found = text
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (out, trends, found)
    });
    // A rise of a theme that mostly consists of a thread found already is that thread rising.
    for t in trends {
        let set: BTreeSet<&str> = t.casus_ids.iter().map(String::as_str).collect();
        if let Some(d) = out
            .iter_mut()
            .find(|d| jaccard(&set, &d.casus_ids.iter().map(String::as_str).collect()) >= 0.5)
        {
            d.statistiek.ears_waarde = t.statistiek.ears_waarde;
            d.statistiek.ears_drempel = t.statistiek.ears_drempel;
            d.statistiek.trend_methode = t.statistiek.trend_methode.clone();
            d.statistiek.trend_factor = t.statistiek.trend_factor;
            d.verwant.push(t.id.clone());
            d.score += t.score;
            continue;
        }
        out.push(t);
    }
    ctx.standaardzinnen = found.stock;
    ctx.wisselende_standaardzinnen = found.unsteady;
    for t in &found.themes {
        ctx.opmerkingen.push(format!(
            "Tekstthema: {}; groter dan {}% van de teksten, dus een thema van de instroom en geen rode draad.",
            t.sentence(),
            nl::dec(cfg.draden.tekst_max_aandeel * 100.0, 0)
        ));
    }
    ctx.tekstthemas = found.themes;
    // A text cluster that mostly coincides with a thread found otherwise confirms it.
    for t in found.threads {
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
    // Listed for a period only with cases in it.
    out.retain(|d| d.statistiek.in_periode > 0);
    out.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    make_ids_unique(&mut out);
    (out, ctx)
}

/// Structural detection only (workflow dimensions left out); used by the benchmark.
pub fn structural(cases: &[&Case], cfg: &Config) -> Vec<Thread> {
    let workflow = structural::workflow(cases, cfg);
    structural::structural(cases, cfg, &workflow)
}

/// A later (weaker) thread with an id already given gets an id derived from its id and
/// its earliest case, which stays the same when later cases are added.
fn make_ids_unique(threads: &mut [Thread]) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for d in threads.iter_mut() {
        if seen.contains(&d.id) {
            let first = d.casus_ids.first().cloned().unwrap_or_default();
            let mut salt = 0u32;
            let mut id = stable_id(&d.id, &[("eerste", first.as_str())]);
            while seen.contains(&id) {
                salt += 1;
                id = stable_id(
                    &d.id,
                    &[("eerste", first.as_str()), ("n", &salt.to_string())],
                );
            }
            d.id = id;
        }
        seen.insert(d.id.clone());
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn new_thread(
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
pub(crate) fn quarter_axis(
    cases: &[&Case],
    period: &Period,
    reference_date: NaiveDate,
) -> Vec<Period> {
    let first = cases
        .iter()
        .map(|c| c.ontvangen_op)
        .min()
        .unwrap_or(period.start);
    let mut q = Period::quarter_of(first);
    let mut out = Vec::new();
    while q.start <= period.observed_end(reference_date) {
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
        .flat_map(|c| c.doelgroep.iter().map(|g| g.to_string()))
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
    d.statistiek.eerder = before_start as u64;
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
        Some(g) => s.doelgroep.is_empty() || s.doelgroep.iter().any(|x| x == g),
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
    // A first word with a capital inside is a name as written ("DigiD", "MijnOverheid").
    let capital_inside = s
        .split_whitespace()
        .next()
        .is_some_and(|w| w.chars().skip(1).any(char::is_uppercase));
    if capital_inside {
        return s.to_string();
    }
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
    let n = count_or(fmt, d.n_casussen as u64, "enkele");
    let h = count_or(fmt, d.n_aandragers as u64, "enkele");
    // The period and the history separately; when either is hidden the sentence says so
    // without a number (a word like "weinig" could be wrong for a count hidden only
    // because it can be computed from other cells).
    let (now, before) = (
        fmt(Figure::Count(d.statistiek.in_periode)),
        fmt(Figure::Count(d.statistiek.eerder)),
    );
    let split = if now == HIDDEN || before == HIDDEN {
        "Hoeveel daarvan in de periode vielen, tonen we niet.".to_string()
    } else {
        format!("Casussen: {now} in de periode, {before} eerder.")
    };
    let (label, uitleg) = describe_kind(d, cfg, fmt, &wat, &wie, &n, &h);
    (label, format!("{} {split}", upper_first(&uitleg)))
}

/// What the formatter hides (it writes "." for a count too small to publish).
const HIDDEN: &str = ".";

/// A count as `fmt` writes it, or `without` (a word such as "enkele") when `fmt` hides it,
/// so the sentence says it without a number instead of "van . aandragers".
fn count_or(fmt: &dyn Fn(Figure) -> String, v: u64, without: &str) -> String {
    let s = fmt(Figure::Count(v));
    if s == HIDDEN {
        without.to_string()
    } else {
        s
    }
}

/// A mean as `fmt` writes it, or `without` when `fmt` hides it.
fn mean_or(fmt: &dyn Fn(Figure) -> String, mean: f64, sum: f64, without: &str) -> String {
    let s = fmt(Figure::Mean { mean, sum });
    if s == HIDDEN {
        without.to_string()
    } else {
        s
    }
}

#[allow(clippy::too_many_arguments)]
fn describe_kind(
    d: &Thread,
    cfg: &Config,
    fmt: &dyn Fn(Figure) -> String,
    wat: &str,
    wie: &str,
    n: &str,
    h: &str,
) -> (String, String) {
    let k = &d.kenmerken;
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
                upper_first(wat)
            } else {
                format!("{}: {}", upper_first(wat), wie)
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
                    ". Dat is {} keer zo vaak als verwacht{within}",
                    nl::dec(r, 1)
                ));
            }
            uitleg.push('.');
            (label, uitleg)
        }
        ThreadKind::Trend => {
            let q = k.get("kwartaal").cloned().unwrap_or_default();
            let label = format!("Stijging: {}", upper_first(wat));
            if d.statistiek.trend_methode.as_deref() == Some("stap") {
                let uitleg = format!(
                    "In de laatste drie maanden (tot en met {q}) kwamen {} casussen binnen over {wat}, terwijl bij een gelijk aandeel in de instroom {} te verwachten waren (exacte toets van Fisher); {n} casussen in totaal van {h} aandragers.",
                    count_or(fmt, d.statistiek.a.unwrap_or(0.0).round() as u64, "enkele"),
                    mean_or(
                        fmt,
                        d.statistiek.verwacht.unwrap_or(0.0),
                        d.statistiek.verwacht.unwrap_or(0.0),
                        "minder"
                    )
                );
                return (label, uitleg);
            }
            if d.statistiek.trend_methode.as_deref() == Some("poisson") {
                let uitleg = format!(
                    "Het aandeel van {wat} in de instroom groeit met gemiddeld {}% per kwartaal (Poisson-trendtoets); in {q} kwamen {} casussen binnen; {n} casussen in totaal van {h} aandragers.",
                    nl::dec((d.statistiek.trend_factor.unwrap_or(1.0) - 1.0) * 100.0, 0),
                    count_or(fmt, d.statistiek.a.unwrap_or(0.0).round() as u64, "enkele"),
                );
                return (label, uitleg);
            }
            let uitleg = format!(
                "In {q} kwamen {} casussen binnen over {wat}, tegen gemiddeld {} per kwartaal ervoor (herschaald naar de huidige instroom); {n} casussen in totaal van {h} aandragers.",
                count_or(fmt, d.statistiek.a.unwrap_or(0.0).round() as u64, "enkele"),
                mean_or(
                    fmt,
                    d.statistiek.verwacht.unwrap_or(0.0),
                    d.statistiek.verwacht.unwrap_or(0.0)
                        * d.statistiek.per_kwartaal.len().saturating_sub(1).max(1) as f64,
                    "minder"
                )
            );
            (label, uitleg)
        }
        ThreadKind::Text => {
            let terms = d
                .statistiek
                .tekst_termen
                .iter()
                .map(|t| format!("\u{201e}{t}\u{201d}"))
                .collect::<Vec<_>>()
                .join(", ");
            let label = format!(
                "Samenvattingen over: {}",
                d.statistiek.tekst_termen.join(", ")
            );
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
                d.trend.label().to_string(),
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
    use super::*;

    fn digid_thread(soort: ThreadKind) -> Thread {
        let mut kenmerken = BTreeMap::new();
        kenmerken.insert("thema".into(), "dienstverlening.digid_machtiging".into());
        kenmerken.insert("doelgroep".into(), "ouderen".into());
        kenmerken.insert("kwartaal".into(), "2026-K3".into());
        let statistiek = Statistic {
            a: Some(4.0),
            verwacht: Some(1.5),
            in_periode: 4,
            eerder: 2,
            trend_methode: Some("stap".into()),
            ..Default::default()
        };
        let ids = (0..6).map(|i| format!("C-{i}")).collect();
        let mut d = new_thread("RD-x".into(), soort, kenmerken, ids, statistiek, 1.0);
        d.n_aandragers = 3;
        d
    }

    /// A hidden count (the formatter writes ".") is said without a number, and a label
    /// with a capital inside its first word keeps it after "over".
    #[test]
    fn explanations_read_well_with_hidden_counts() {
        let cfg = Config::default_config();
        let hide_small = |f: Figure| match f {
            Figure::Count(v) if v < 5 => ".".to_string(),
            Figure::Count(v) => nl::int(v as i64),
            Figure::Mean { sum, .. } if sum < 5.0 => ".".to_string(),
            Figure::Mean { mean, .. } => nl::dec(mean, 1),
        };
        for soort in [ThreadKind::Structural, ThreadKind::Trend, ThreadKind::Text] {
            let d = digid_thread(soort);
            let hidden = explain(&d, &cfg, &hide_small);
            assert!(
                !hidden.contains(" . ") && !hidden.contains(" .,") && !hidden.contains(" .;"),
                "{hidden}"
            );
            assert!(hidden.contains("enkele aandragers"), "{hidden}");
            assert!(
                hidden.contains("Hoeveel daarvan in de periode vielen, tonen we niet."),
                "{hidden}"
            );
            assert!(!hidden.starts_with(char::is_lowercase), "{hidden}");
            let shown = explain(&d, &cfg, &|f| match f {
                Figure::Count(v) => nl::int(v as i64),
                Figure::Mean { mean, .. } => nl::dec(mean, 1),
            });
            assert!(shown.contains("6 casussen"), "{shown}");
            assert!(shown.contains("3 aandragers"), "{shown}");
            assert!(shown.contains("4 in de periode, 2 eerder"), "{shown}");
            if soort != ThreadKind::Text {
                assert!(shown.contains("over DigiD en machtigen"), "{shown}");
            }
        }
        let trend = explain(&digid_thread(ThreadKind::Trend), &cfg, &hide_small);
        assert!(trend.contains("kwamen enkele casussen binnen"), "{trend}");
        assert!(trend.contains("instroom minder te verwachten"), "{trend}");
    }

    #[test]
    fn labels_keep_the_case_of_their_source() {
        assert_eq!(
            lower_first("Terugvordering van toeslagen"),
            "terugvordering van toeslagen"
        );
        assert_eq!(lower_first("Pothole Repair"), "Pothole Repair");
        assert_eq!(lower_first("Dienst Toeslagen"), "Dienst Toeslagen");
        assert_eq!(lower_first("IBTD"), "IBTD");
        assert_eq!(
            lower_first("DigiD en machtigen"),
            "DigiD en machtigen",
            "a name with a capital inside keeps its case"
        );
    }
}

#[cfg(test)]
mod workflow_rule {
    use super::*;

    fn case(i: usize, thema: &str, typ: &str) -> Case {
        Case {
            casus_id: format!("C-{i}"),
            ontvangen_op: NaiveDate::from_ymd_opt(2026, 1, 1 + (i % 28) as u32).unwrap(),
            thema: thema.into(),
            aandrager_type: typ.into(),
            aandrager_id: Some(format!("O{}", i % 9).into()),
            ..Case::default()
        }
    }

    /// Five of six cases of a theme through the Belastingdienst itself is its intake channel
    /// (the sample's workflow artefact at 95%); five of eight is not.
    #[test]
    fn one_exception_does_not_break_a_channel() {
        let types = [
            "wijkteam",
            "vakbond",
            "juridisch_loket",
            "schuldhulpverlening",
        ];
        let mut cases: Vec<Case> = (0..80)
            .map(|i| case(i, ["a.x", "b.y", "c.z"][i % 3], types[i % 4]))
            .collect();
        for i in 0..6 {
            let typ = if i == 0 {
                "wijkteam"
            } else {
                "belastingdienst"
            };
            cases.push(case(100 + i, "d.kosten", typ));
        }
        for i in 0..8 {
            let typ = if i < 5 {
                "belastingdienst"
            } else {
                types[i % 4]
            };
            cases.push(case(200 + i, "e.mix", typ));
        }
        let refs: Vec<&Case> = cases.iter().collect();
        let w = structural::workflow(&refs, &Config::default_config());
        let channels: Vec<&str> = w
            .iter()
            .filter(|w| w.aandeel.is_some())
            .map(|w| w.wat.as_str())
            .collect();
        assert_eq!(channels, ["d.kosten"], "{w:?}");
    }

    /// With the service in the data, a theme is the channel of a service that logs its own
    /// cases even at 6 of 8 (two cases through other helpers), while 13 of 14 cases of a theme
    /// through an outside helper type (schuldhulpverlening) are who brings a problem, not
    /// workflow; without `dienst` nothing tells the two apart and both are channels.
    #[test]
    fn only_the_service_itself_is_a_channel_when_the_service_is_known() {
        use crate::model::Service;
        let types = [
            "wijkteam",
            "vakbond",
            "juridisch_loket",
            "sociaal_raadslieden",
        ];
        let mut cases: Vec<Case> = (0..120)
            .map(|i| case(i, ["a.x", "b.y", "c.z"][i % 3], types[i % 4]))
            .collect();
        for i in 0..8 {
            let typ = if i < 6 {
                "belastingdienst"
            } else {
                types[i % 4]
            };
            cases.push(case(100 + i, "d.kosten", typ));
        }
        for i in 0..14 {
            let typ = if i < 13 {
                "schuldhulpverlening"
            } else {
                "wijkteam"
            };
            cases.push(case(200 + i, "e.beslag", typ));
        }
        let channels = |cases: &[Case]| -> Vec<String> {
            let refs: Vec<&Case> = cases.iter().collect();
            structural::workflow(&refs, &Config::default_config())
                .into_iter()
                .filter(|w| w.aandeel.is_some())
                .map(|w| w.wat)
                .collect()
        };
        assert_eq!(channels(&cases), ["d.kosten", "e.beslag"]);
        for (i, c) in cases.iter_mut().enumerate() {
            c.dienst = Some(if i % 5 == 0 {
                Service::Both
            } else {
                Service::Belastingdienst
            });
        }
        assert_eq!(channels(&cases), ["d.kosten"]);
        // Five of eight is no channel, whoever brings them.
        for c in cases.iter_mut().filter(|c| c.thema == "d.kosten").take(1) {
            c.aandrager_type = "wijkteam".into();
        }
        assert!(channels(&cases).is_empty());
    }
}
