//! The rode draden as published: their labels (only terms that k cases from at
//! least two helpers share), stories, recommendations and the overview table.
//!
//! ```text
//! let facts = ThreadFacts::new(&an.threads, &cases, (period, reference_date), &p);
//! thread_views(&an.threads, &facts, &signals, &p, inp, &texts, &mut log) -> (Vec<ThreadView>, PubTable)
//! ```

use super::texts::Texts;
use super::{half_label, Inputs, ProtectLog, ThreadView};
use crate::analyse::methods::text::templates::sentence_key;
use crate::analyse::period::Period;
use crate::analyse::threads::{self, Figure, Thread, ThreadKind};
use crate::config::Config;
use crate::model::{Case, Signal};
use crate::nl;
use crate::protect::pii;
use crate::protect::story::{self, QuasiId, StoryDecision, StoryText};
use crate::protect::suppress::{self, CellStatus, Equation, LinkedTable};
use crate::protect::tables::{Audience, CellKind, Protector, PubCell, PubRow, PubTable};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub(super) fn quasi(c: &Case) -> QuasiId {
    let mut dg: Vec<String> = c.doelgroep.iter().map(|g| g.to_string()).collect();
    dg.sort();
    QuasiId {
        target_groups: dg,
        life_event: c.levensgebeurtenis.map(String::from),
        scheme: c.regeling.map(String::from),
        helper_type: c.aandrager_type.to_string(),
        service: c.dienst.map(|d| d.as_str().to_string()),
        period: half_label(c.ontvangen_op),
    }
}

/// A half year as (year, first half).
type Half = (i32, bool);

fn half_of(d: NaiveDate) -> Half {
    (d.year(), d.month() <= 6)
}

/// The quasi-identifiers a story may drop, borrowed: life event, scheme, helper type and
/// service.
type Droppable<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
    Option<&'static str>,
);

/// The populations the stories of a report are checked against ([`story::check_in`]).
///
/// A story is compared only with cases of the same doelgroep set and half year (those
/// two are never dropped), so only the combinations of the possible stories are
/// counted: in one pass over the cases, without copying or allocating per case. The
/// cost is the pass, not a map of every combination of every case (which grew with the
/// export and dominated protecting a large one).
pub(super) struct StoryPopulations<'a> {
    buckets: HashMap<Half, HashMap<Vec<&'a str>, story::Population>>,
}

/// A case's doelgroep codes as a set: sorted, without repeats, into `buf`.
fn group_set<'a>(c: &'a Case, buf: &mut Vec<&'a str>) {
    buf.clear();
    buf.extend(c.doelgroep.iter().map(|g| g.as_str()));
    buf.sort_unstable();
    buf.dedup();
}

impl<'a> StoryPopulations<'a> {
    /// Counts every case of `cases` that shares its doelgroep set and half year with one
    /// of `candidates` (the cases whose story might be told).
    pub fn new(cases: &'a [Case], candidates: impl IntoIterator<Item = &'a Case>) -> Self {
        let mut counts: HashMap<Half, HashMap<Vec<&'a str>, HashMap<Droppable<'a>, usize>>> =
            HashMap::new();
        let mut buf = Vec::new();
        for c in candidates {
            group_set(c, &mut buf);
            counts
                .entry(half_of(c.ontvangen_op))
                .or_default()
                .entry(buf.clone())
                .or_default();
        }
        for c in cases {
            let Some(by_groups) = counts.get_mut(&half_of(c.ontvangen_op)) else {
                continue;
            };
            group_set(c, &mut buf);
            let Some(n) = by_groups.get_mut(buf.as_slice()) else {
                continue;
            };
            let key = (
                c.levensgebeurtenis.as_deref(),
                c.regeling.as_deref(),
                c.aandrager_type.as_str(),
                c.dienst.map(|d| d.as_str()),
            );
            *n.entry(key).or_default() += 1;
        }
        let buckets = counts
            .into_iter()
            .map(|(half, by_groups)| {
                let populations = by_groups
                    .into_iter()
                    .map(|(groups, n)| {
                        let population = bucket_population(&groups, half, n);
                        (groups, population)
                    })
                    .collect();
                (half, populations)
            })
            .collect();
        StoryPopulations { buckets }
    }

    /// [`story::check_in`] of a case's story against the cases like it.
    pub fn check(&self, c: &Case, k: usize) -> StoryDecision {
        let mut buf = Vec::new();
        group_set(c, &mut buf);
        let empty = story::Population::default();
        let population = self
            .buckets
            .get(&half_of(c.ontvangen_op))
            .and_then(|b| b.get(buf.as_slice()))
            .unwrap_or(&empty);
        story::check_in(&quasi(c), population, k)
    }
}

/// The population of one doelgroep set and half year from its counts.
fn bucket_population(
    groups: &[&str],
    (year, h1): Half,
    counts: HashMap<Droppable<'_>, usize>,
) -> story::Population {
    let first_day = NaiveDate::from_ymd_opt(year, if h1 { 1 } else { 7 }, 1).unwrap_or_default();
    story::Population::from_counts(counts.into_iter().map(|((lg, rg, at, sv), n)| {
        let q = QuasiId {
            target_groups: groups.iter().map(|g| g.to_string()).collect(),
            life_event: lg.map(str::to_string),
            scheme: rg.map(str::to_string),
            helper_type: at.to_string(),
            service: sv.map(str::to_string),
            period: half_label(first_day),
        };
        (q, n)
    }))
}

/// The cases of the rode draden by id: the only cases whose dates and texts a thread
/// reads (one pass over the cases, a look-up each; no map of every case).
pub(super) fn thread_cases<'a>(
    draden: &[Thread],
    cases: &'a [Case],
) -> BTreeMap<&'a str, &'a Case> {
    let wanted: HashSet<&str> = draden
        .iter()
        .flat_map(|d| d.casus_ids.iter().map(String::as_str))
        .collect();
    cases
        .iter()
        .filter(|c| wanted.contains(c.casus_id.as_str()))
        .map(|c| (c.casus_id.as_str(), c))
        .collect()
}

/// What the report works out once about the rode draden: their cases by id, and for
/// each thread it may publish the protection of its linked cells ([`thread_protection`]),
/// which its text, its trend table and the intake system all read.
pub(super) struct ThreadFacts<'a> {
    pub cases: &'a [Case],
    pub by_id: BTreeMap<&'a str, &'a Case>,
    protections: HashMap<&'a str, (TrendCells, Vec<bool>)>,
}

impl<'a> ThreadFacts<'a> {
    pub fn new(
        draden: &'a [Thread],
        cases: &'a [Case],
        when: (&Period, NaiveDate),
        p: &Protector,
    ) -> ThreadFacts<'a> {
        let by_id = thread_cases(draden, cases);
        let protections = published(draden, p)
            .filter_map(|d| Some((d.id.as_str(), thread_protection(d, &by_id, when, p)?)))
            .collect();
        ThreadFacts {
            cases,
            by_id,
            protections,
        }
    }

    /// The linked cells of a published thread and which are hidden; `None` for a thread
    /// that is not published, or whose cases are not all found or whose text's split does
    /// not match.
    pub fn protection(&self, d: &Thread) -> Option<&(TrendCells, Vec<bool>)> {
        self.protections.get(d.id.as_str())
    }
}

/// A thread's label as published. Labels are built from configured labels and, for text
/// threads, from words of the summaries: for the public, a word that could be a name or
/// personal data is left out, and a label from the configuration with personal data in it
/// is not shown.
pub(super) fn released_label<'a>(
    d: &Thread,
    by_id: &BTreeMap<&str, &'a Case>,
    texts: &Texts<'a>,
    audience: Audience,
    k_verhaal: usize,
) -> String {
    if audience == Audience::Internal {
        return d.label.clone();
    }
    if d.soort == ThreadKind::Text {
        let terms: Vec<&str> = d
            .statistiek
            .tekst_termen
            .iter()
            .map(String::as_str)
            .filter(|t| pii::is_publishable_term(t))
            .filter(|t| term_supported(t, &d.casus_ids, by_id, texts, k_verhaal))
            .collect();
        return if terms.is_empty() {
            "Samenvattingen over een gedeeld onderwerp".into()
        } else {
            format!("Samenvattingen over: {}", terms.join(", "))
        };
    }
    released_text(&d.label, audience)
}

/// Whether a term from free text may label a public thread: it occurs in the summaries
/// of at least `k` of the thread's cases, brought in by at least two different helpers
/// (when the export names helpers). A word from one person's story is not a theme.
pub(super) fn term_supported<'a>(
    term: &str,
    casus_ids: &[String],
    by_id: &BTreeMap<&str, &'a Case>,
    texts: &Texts<'a>,
    k: usize,
) -> bool {
    let words: Vec<String> = term.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return false;
    }
    let mut cases = 0;
    let mut helpers = BTreeSet::new();
    let mut named = false;
    for id in casus_ids {
        let Some(&c) = by_id.get(id.as_str()) else {
            continue;
        };
        // In omit mode a cleaned text is the text itself or nothing: a summary without the
        // term cannot count, so it is not cleaned at all.
        let raw = c.samenvatting.as_deref().unwrap_or_default();
        if texts.omits() && !contains_term(raw, &words) {
            continue;
        }
        let Some(text) = texts.summary(c) else {
            continue;
        };
        let found = contains_term(&text, &words);
        if found {
            cases += 1;
            if let Some(h) = &c.aandrager_id {
                named = true;
                helpers.insert(*h);
            }
            // enough cases from two helpers: no later case can change the answer
            if cases >= k.max(1) && helpers.len() >= 2 {
                return true;
            }
        }
    }
    cases >= k.max(1) && (!named || helpers.len() >= 2)
}

/// Whether the lower-case `words` occur one after the other in `text`, each as the start
/// of a word ("machtiging" matches "machtigingen").
fn contains_term(text: &str, words: &[String]) -> bool {
    let tokens: Vec<String> = text
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect();
    tokens.windows(words.len()).any(|w| {
        w.iter()
            .zip(words)
            .all(|(t, word)| t.starts_with(word.as_str()))
    })
}

/// Generated text with configured labels in it, as published: a text in which the
/// detectors find personal data is not shown.
pub(super) fn released_text(text: &str, audience: Audience) -> String {
    if audience == Audience::Internal || pii::scan(text).is_empty() {
        text.to_string()
    } else {
        "(niet getoond: de tekst bevat mogelijk persoonsgegevens; controleer de labels in rodedraad.toml)".into()
    }
}

/// The recommendation of a thread and whether it is set in `[aanbevelingen]` (by thread
/// id, theme or main theme). Without one, a proposal of the advocate's usual kind is
/// given, marked as such by the caller.
pub(super) fn recommendation(d: &Thread, cfg: &Config) -> (String, bool) {
    let key = d.kenmerken.get("thema").or(d.kenmerken.get("thema_hoofd"));
    let by_id = cfg.aanbevelingen.get(&d.id);
    let by_theme = key.and_then(|t| {
        cfg.aanbevelingen
            .get(t)
            .or_else(|| cfg.aanbevelingen.get(t.split('.').next().unwrap_or(t)))
    });
    match by_id.or(by_theme) {
        Some(text) => (text.clone(), true),
        None => {
            let service = d
                .kenmerken
                .get("dienst")
                .map(|x| cfg.label("dienst", x))
                .unwrap_or_else(|| "de betrokken dienst".into());
            (
                format!("{service}: zoek uit waarom dit probleem steeds terugkomt. Neem maatregelen die het voorkomen."),
                false,
            )
        }
    }
}

/// "Sinds maart 2025; stijgend." from the first case and the trend.
fn since(d: &Thread) -> String {
    match d.eerst_gezien {
        Some(first) => format!(
            "Sinds {} {}; {}.",
            nl::MONTHS[first.month0() as usize],
            first.year(),
            d.trend.label()
        ),
        None => format!("Trend: {}.", d.trend.label()),
    }
}

/// What was signalled to whom and what came of it, in words without counts:
/// "Gesignaleerd aan Dienst Toeslagen en IBTD. Stand: in behandeling en opgepakt."
fn signalled(d: &Thread, signals: &[Signal]) -> String {
    let own: Vec<&Signal> = signals
        .iter()
        .filter(|s| d.signaal_ids.contains(&s.signaal_id))
        .collect();
    if own.is_empty() {
        return "Nog niet als signaal doorgezet.".into();
    }
    let to: BTreeSet<&str> = own
        .iter()
        .filter_map(|s| s.doorgezet_naar.map(|r| r.label()))
        .collect();
    let states: BTreeSet<String> = own
        .iter()
        .filter_map(|s| s.status.map(|x| x.label().to_lowercase()))
        .collect();
    let to: Vec<&str> = to.into_iter().collect();
    let states: Vec<String> = states.into_iter().collect();
    let mut out = if to.is_empty() {
        "Gemeld, nog niet doorgezet.".to_string()
    } else {
        format!("Doorgezet naar {}.", nl::list(&to))
    };
    if !states.is_empty() {
        out.push_str(&format!(" Stand: {}.", nl::list(&states)));
    }
    out
}

/// The quarter of a date as a chart category: "2026-Q1".
fn quarter_index(d: NaiveDate) -> i32 {
    d.year() * 4 + d.month0() as i32 / 3
}

/// How much dearer hiding a thread's total is than any other cell: the total is printed
/// beside the thread in the overview table anyway.
const TOTAL_PRIORITY: f64 = 1e6;

/// A thread's cases per quarter of receipt with the counts its text gives, as one linked
/// table: cells `0..k` the quarters (every quarter from the first to the last case, empty
/// ones included), `k` all cases, `k + 1` those in the period, `k + 2` those before it,
/// and for a trend thread `k + 3` the count its explanation gives for the last three
/// months ("in 2026-Q2 kwamen 9 casussen binnen"), tied to the quarters by inequalities.
#[derive(Debug, Clone)]
pub(super) struct TrendCells {
    /// Quarter index (`year * 4 + quarter - 1`) of each quarter cell.
    pub quarters: Vec<i32>,
    pub table: LinkedTable,
    /// Links that are not sums: `sum(smaller) <= sum(larger)` over cells of `table`.
    pub inequalities: Vec<(Vec<usize>, Vec<usize>)>,
}

/// The first and last day of a quarter index.
fn quarter_days(q: i32) -> Option<(NaiveDate, NaiveDate)> {
    let start = NaiveDate::from_ymd_opt(q.div_euclid(4), (q.rem_euclid(4) * 3 + 1) as u32, 1)?;
    let next = NaiveDate::from_ymd_opt(
        (q + 1).div_euclid(4),
        ((q + 1).rem_euclid(4) * 3 + 1) as u32,
        1,
    )?;
    Some((start, next.pred_opt()?))
}

impl TrendCells {
    /// The linked table of a thread's receipt dates; `None` without dates, or when the
    /// text's split (`in_period`, `before`) is not the quarters' split (the links would be
    /// false then).
    pub fn new(
        dates: &[NaiveDate],
        in_period: u64,
        before: u64,
        period: &Period,
    ) -> Option<TrendCells> {
        let first = dates.iter().map(|x| quarter_index(*x)).min()?;
        let last = dates.iter().map(|x| quarter_index(*x)).max()?;
        let quarters: Vec<i32> = (first..=last).collect();
        let k = quarters.len();
        let mut values: Vec<u64> = quarters
            .iter()
            .map(|q| dates.iter().filter(|x| quarter_index(**x) == *q).count() as u64)
            .collect();
        let q_start = |q: i32| quarter_days(q).map(|d| d.0);
        let now_parts: Vec<usize> = (0..k)
            .filter(|&i| q_start(quarters[i]).is_some_and(|s| period.contains(s)))
            .collect();
        let before_parts: Vec<usize> = (0..k)
            .filter(|&i| q_start(quarters[i]).is_some_and(|s| s < period.start))
            .collect();
        let now = now_parts.iter().map(|&i| values[i]).sum::<u64>();
        let earlier = before_parts.iter().map(|&i| values[i]).sum::<u64>();
        if now != in_period || earlier != before {
            return None;
        }
        values.extend([dates.len() as u64, now, earlier]);
        // A text count over no quarter is 0 by the table's row labels, not by a sum: it
        // gets no equation (an empty sum would pin it, and a zero-hiding policy could
        // then never protect it).
        let equations = [
            (k, (0..k).collect()),
            (k + 1, now_parts),
            (k + 2, before_parts),
        ]
        .into_iter()
        .filter(|(_, parts): &(usize, Vec<usize>)| !parts.is_empty())
        .map(|(total, parts)| Equation { total, parts })
        .collect();
        Some(TrendCells {
            quarters,
            table: LinkedTable { values, equations },
            inequalities: Vec::new(),
        })
    }

    /// Adds the count a trend thread's explanation gives for the window `(start, end)`
    /// (the last three months): at most the quarters the window touches, at least the
    /// quarters inside it, and the same cell as the total when it has the total's value.
    /// Nothing is added when `count` is not the number of `dates` in the window (the link
    /// would be false) or the window touches no quarter of the table.
    pub fn with_window(
        mut self,
        dates: &[NaiveDate],
        window: (NaiveDate, NaiveDate),
        count: u64,
    ) -> TrendCells {
        let (start, end) = window;
        let in_window = dates.iter().filter(|d| start <= **d && **d <= end).count() as u64;
        if in_window != count || start > end {
            return self;
        }
        let k = self.k();
        let days: Vec<Option<(NaiveDate, NaiveDate)>> =
            self.quarters.iter().map(|&q| quarter_days(q)).collect();
        let touching: Vec<usize> = (0..k)
            .filter(|&i| days[i].is_some_and(|(s, e)| s <= end && e >= start))
            .collect();
        let inside: Vec<usize> = (0..k)
            .filter(|&i| days[i].is_some_and(|(s, e)| start <= s && e <= end))
            .collect();
        // A window past the last quarter holds no case by the table's row labels, not by
        // a sum (as the text counts over no quarter): no cell, no link.
        if touching.is_empty() {
            return self;
        }
        let cell = self.table.values.len();
        self.table.values.push(count);
        self.inequalities.push((vec![cell], touching));
        if !inside.is_empty() {
            self.inequalities.push((inside, vec![cell]));
        }
        if count == self.table.values[k] {
            self.table.equations.push(Equation {
                total: cell,
                parts: vec![k],
            });
        }
        self
    }

    /// Number of quarter cells.
    pub fn k(&self) -> usize {
        self.quarters.len()
    }

    /// The cell of the window count, when [`TrendCells::with_window`] added one.
    #[cfg(test)]
    pub fn window_cell(&self) -> Option<usize> {
        (self.table.values.len() > self.k() + 3).then_some(self.k() + 3)
    }

    /// The cells as one linked system (the table and its inequalities), the total kept
    /// shown.
    fn system(&self) -> Result<suppress::LinkedSystem, String> {
        let mut b = suppress::SystemBuilder::new();
        let t = b.add_table("draad", &self.table);
        for (smaller, larger) in &self.inequalities {
            let cells = |cs: &[usize]| cs.iter().map(|&c| t.cell(c)).collect::<Vec<_>>();
            b.at_most(&cells(smaller), &cells(larger));
        }
        b.prefer_shown(t.cell(self.k()), TOTAL_PRIORITY);
        b.build()
    }
}

/// Which cells of a thread's linked table are not published: the quarters, the total,
/// the two counts of the text and the window count of a trend thread protected
/// together, with the total kept shown (the overview table prints it). For the public
/// the LP optimiser picks the secondary cells; when it cannot keep the total shown, or
/// the attacker still narrows a small count below the protection width, every cell but
/// the total is hidden (fail closed). For the internal report nothing is hidden.
pub(super) fn protect_trend(cells: &TrendCells, p: &Protector) -> Vec<bool> {
    let (n, k) = (cells.table.values.len(), cells.k());
    if !p.is_public() {
        return vec![false; n];
    }
    let Ok(sys) = cells.system() else {
        return all_but_total(n, k);
    };
    let outcome = sys.protect(&p.policy());
    // one table without shared cells: the system's cells are the table's, in order
    let hidden: Vec<bool> = sys.table_statuses(&outcome)[0]
        .iter()
        .map(|s| *s != CellStatus::Shown)
        .collect();
    if hidden[k] || !adds_nothing(&sys, &hidden, p) {
        return all_but_total(n, k);
    }
    hidden
}

/// Everything hidden but the total.
fn all_but_total(n: usize, k: usize) -> Vec<bool> {
    (0..n).map(|i| i != k).collect()
}

/// The attacker's check of a thread's published cells: no shown cell is small, and every
/// hidden small count keeps an interval of at least the protection width.
fn adds_nothing(sys: &suppress::LinkedSystem, hidden: &[bool], p: &Protector) -> bool {
    let bounds = suppress::attack_system(sys, hidden, &[]);
    let width = p.policy().required_width();
    (0..sys.table.values.len()).all(|c| {
        let small = p.is_small(sys.table.values[c]);
        match bounds[c] {
            None => !small,
            Some(_) if !small => true,
            Some(b) => suppress::is_protected(b, width),
        }
    })
}

/// A thread's receipt dates, when every case is found.
fn thread_dates(d: &Thread, by_id: &BTreeMap<&str, &Case>) -> Option<Vec<NaiveDate>> {
    let dates: Vec<NaiveDate> = d
        .casus_ids
        .iter()
        .filter_map(|id| by_id.get(id.as_str()).map(|c| c.ontvangen_op))
        .collect();
    (dates.len() == d.n_casussen && !dates.is_empty()).then_some(dates)
}

/// The last three months up to the end of the period (or the peildatum), as the trend
/// threads count them (`analyse::threads::trend`).
fn trend_window(period: &Period, reference_date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let end = period.observed_end(reference_date);
    let start = (end - chrono::Duration::days(threads::trend::WINDOW_DAYS - 1)).max(period.start);
    (start, end)
}

/// The thread's linked cells and which are hidden; `None` when the cases are not all
/// found or the text's split does not match.
pub(super) fn thread_protection(
    d: &Thread,
    by_id: &BTreeMap<&str, &Case>,
    (period, reference_date): (&Period, NaiveDate),
    p: &Protector,
) -> Option<(TrendCells, Vec<bool>)> {
    let dates = thread_dates(d, by_id)?;
    let mut cells = TrendCells::new(&dates, d.statistiek.in_periode, d.statistiek.eerder, period)?;
    if d.soort == ThreadKind::Trend {
        if let Some(a) = d.statistiek.a {
            let window = trend_window(period, reference_date);
            cells = cells.with_window(&dates, window, a.round().max(0.0) as u64);
        }
    }
    let hidden = protect_trend(&cells, p);
    Some((cells, hidden))
}

/// What a thread's text may not print.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct TextHidden {
    /// Every value of a hidden cell of its linked table (a count in the text with the
    /// same value could be that cell), and every small count.
    pub values: BTreeSet<u64>,
    /// Whether a mean or expected count over earlier quarters must be hidden: it is made
    /// of the quarter counts, so it is shown only when none of them is hidden.
    pub mean: bool,
}

/// The counts a thread's text may not print. Without the linked table the split "in de
/// periode, eerder" is hidden whole when any part of it (with the cases after the
/// period) is small, and so is a mean.
pub(super) fn text_hidden(
    d: &Thread,
    protection: Option<&(TrendCells, Vec<bool>)>,
    p: &Protector,
) -> TextHidden {
    let total = d.n_casussen as u64;
    let mut out = TextHidden::default();
    match protection {
        Some((cells, hidden)) => {
            for (c, &h) in hidden.iter().enumerate() {
                if h && cells.table.values[c] != total {
                    out.values.insert(cells.table.values[c]);
                }
            }
            out.mean = hidden[..cells.k()].iter().any(|&h| h);
        }
        None if p.is_public() => {
            let (now, before) = (d.statistiek.in_periode, d.statistiek.eerder);
            let after = total.saturating_sub(now + before);
            if [now, before, after].iter().any(|&v| p.is_small(v)) {
                out.values.extend([now, before]);
            }
            out.mean = true;
            if let Some(a) = d.statistiek.a {
                out.values.insert(a.round().max(0.0) as u64);
            }
        }
        None => {}
    }
    out.values.remove(&total);
    out
}

/// A thread's cases per quarter of receipt, protected together with the counts its text
/// gives (all cases, in the period, before it): see [`protect_trend`]. `None` when the
/// thread's cases are not all found or the text's split does not match the quarters.
pub(super) fn trend_table(
    d: &Thread,
    label: &str,
    protection: Option<&(TrendCells, Vec<bool>)>,
    p: &Protector,
) -> Option<PubTable> {
    let (cells, hidden) = protection?;
    let k = cells.k();
    let values = &cells.table.values;
    let mut rijen: Vec<PubRow> = (0..k)
        .map(|i| PubRow {
            kop: format!(
                "{}-Q{}",
                cells.quarters[i].div_euclid(4),
                cells.quarters[i].rem_euclid(4) + 1
            ),
            cellen: vec![if hidden[i] {
                PubCell::hidden(CellKind::Count)
            } else {
                PubCell::count(values[i])
            }],
            totaal: false,
            deel_van: None,
        })
        .collect();
    rijen.push(PubRow {
        kop: "Totaal".into(),
        cellen: vec![p.count(values[k])],
        totaal: true,
        deel_van: None,
    });
    let mut voetnoten = vec![
        "Per kwartaal van ontvangst, van de eerste tot de laatste casus van deze rode draad."
            .to_string(),
    ];
    if p.is_public() {
        voetnoten.push("Beschermd samen met de aantallen in de tekst bij deze rode draad.".into());
    }
    Some(p.with_note(PubTable {
        id: format!("draad-{}-kwartalen", d.id),
        titel: format!("Casussen per kwartaal: {label}"),
        kolommen: vec!["Kwartaal".into(), "Casussen".into()],
        rijen,
        voetnoten,
        totaal_kolom: false,
    }))
}

/// The rode draden as the report selects them: for the public the strongest eight with at
/// least `min_cel` cases, for the internal report the strongest 25.
fn published<'a>(draden: &'a [Thread], p: &Protector) -> impl Iterator<Item = &'a Thread> {
    let public = p.audience == Audience::Parliament;
    let min_cell = p.min_cell;
    draden
        .iter()
        .filter(move |d| !public || d.n_casussen as u64 >= min_cell)
        .take(if public { 8 } else { 25 })
}

/// Whether a count reads as a number in a thread's text (not hidden by the thread's
/// protection, not small).
fn printed(v: u64, hidden: &TextHidden, p: &Protector) -> bool {
    !hidden.values.contains(&v) && !p.count(v).onderdrukt
}

/// The published rode draden about one doelgroep whose text prints their count in the
/// period ("Casussen: X in de periode, Y eerder", printed only when both are): the
/// doelgroep's label as the doelgroep table has it, and X. The intake system links each
/// X to its group's row (X is at most the group's intake).
pub(super) fn thread_groups(
    draden: &[Thread],
    facts: &ThreadFacts,
    p: &Protector,
    cfg: &Config,
) -> Vec<(String, u64)> {
    published(draden, p)
        .filter_map(|d| {
            let group = d.kenmerken.get("doelgroep")?;
            let hidden = text_hidden(d, facts.protection(d), p);
            let (now, before) = (d.statistiek.in_periode, d.statistiek.eerder);
            (printed(now, &hidden, p) && printed(before, &hidden, p))
                .then(|| (cfg.label("doelgroep", group), now))
        })
        .collect()
}

pub(super) fn thread_views<'a>(
    draden: &[Thread],
    facts: &ThreadFacts<'a>,
    signals: &[Signal],
    p: &Protector,
    inp: &Inputs,
    texts: &Texts<'a>,
    log: &mut ProtectLog,
) -> (Vec<ThreadView>, PubTable) {
    let cfg = inp.cfg;
    let public = p.audience == Audience::Parliament;
    let candidates = published(draden, p)
        .flat_map(|d| &d.casus_ids)
        .filter_map(|id| facts.by_id.get(id.as_str()).copied())
        .filter(|c| c.verhaal_vrijgegeven == Some(true));
    let populations = StoryPopulations::new(facts.cases, candidates);
    let by_id = &facts.by_id;
    let signal_ids: BTreeSet<&str> = signals.iter().map(|s| s.signaal_id.as_str()).collect();
    // The analysis's stock sentences and closing notes, by key: a story ends without them.
    let context = &inp.analysis.thread_context;
    let stock: HashSet<u64> = context
        .standaardzinnen
        .iter()
        .chain(&context.wisselende_standaardzinnen)
        .map(|s| sentence_key(&s.tekst))
        .collect();
    let is_stock = |s: &str| stock.contains(&sentence_key(s));
    let mut views = Vec::new();
    for d in published(draden, p) {
        // A story: a released case of this thread that passes the k-anonymity check.
        let mut verhaal = None;
        for id in &d.casus_ids {
            let Some(&c) = by_id.get(id.as_str()) else {
                continue;
            };
            if c.verhaal_vrijgegeven != Some(true) {
                continue;
            }
            let Some(text) = texts.summary(c) else {
                continue;
            };
            let q = quasi(c);
            let decision = populations.check(c, cfg.bescherming.k_verhaal);
            // A generalised story loses the sentences about what it leaves out; a story whose
            // text that does not change is withheld.
            let told = story::story_text(&text, &q, &decision, &cfg.taxonomie);
            match story::trim_story(told, &is_stock) {
                StoryText::Publish { tekst } => {
                    log.verhalen.push(match &decision {
                        StoryDecision::Generalised { weggelaten } => format!(
                            "{}: verhaal van {} verteld zonder {} (zinnen daarover weggelaten)",
                            d.id,
                            c.casus_id,
                            weggelaten.join(", ")
                        ),
                        _ => format!("{}: verhaal van {} vrijgegeven", d.id, c.casus_id),
                    });
                    verhaal = Some(tekst);
                }
                StoryText::Withhold { reden } => {
                    log.verhalen.push(format!(
                        "{}: verhaal van {} weggelaten: {reden}",
                        d.id, c.casus_id
                    ));
                    continue;
                }
            }
            break;
        }
        let n = p.count(d.n_casussen as u64);
        let text_hidden = text_hidden(d, facts.protection(d), p);
        let (mut aanbeveling, aanbeveling_vastgesteld) = recommendation(d, cfg);
        // The same recommendation under a second thread refers to the first.
        if let Some(first) = views
            .iter()
            .find(|v: &&ThreadView| v.aanbeveling == aanbeveling)
        {
            aanbeveling = format!("Dezelfde als bij \u{201c}{}\u{201d}.", first.label);
        }
        let sig: Vec<&String> = d
            .signaal_ids
            .iter()
            .filter(|s| signal_ids.contains(s.as_str()))
            .collect();
        views.push(ThreadView {
            id: d.id.clone(),
            soort: d.soort.label().into(),
            label: released_label(d, by_id, texts, p.audience, cfg.bescherming.k_verhaal),
            uitleg: released_text(
                &threads::explain(d, cfg, &|f| match f {
                    Figure::Count(v) if text_hidden.values.contains(&v) => ".".into(),
                    Figure::Count(v) => p.count(v).tekst,
                    Figure::Mean { .. } if public && text_hidden.mean => ".".into(),
                    Figure::Mean { sum, .. } if p.is_small(sum.round() as u64) => ".".into(),
                    Figure::Mean { mean, .. } => nl::dec(mean, 1),
                }),
                p.audience,
            ),
            omvang: format!("{} casussen", n.tekst),
            aandragers: helpers_text(&p.count(d.n_aandragers as u64)),
            trend: d.trend.label().into(),
            periode: match (d.eerst_gezien, d.last_seen()) {
                (Some(a), Some(b)) => format!("{} tot en met {}", nl::date(a), nl::date(b)),
                _ => String::new(),
            },
            verhaal,
            aanbeveling,
            aanbeveling_vastgesteld,
            sinds: since(d),
            gesignaleerd: signalled(d, signals),
            grafiek: None,
            tabel: None,
            signalen: if sig.is_empty() {
                "geen".into()
            } else {
                let n = sig.len() as u64;
                if public && p.is_small(n) {
                    format!("minder dan {} signalen raken dit patroon", p.min_cell)
                } else {
                    format!(
                        "{} dit patroon",
                        nl::count(n, "signaal raakt", "signalen raken")
                    )
                }
            },
            casus_ids: if public {
                Vec::new()
            } else {
                d.casus_ids.clone()
            },
        });
    }
    let rijen = views
        .iter()
        .zip(published(draden, p))
        .map(|(v, d)| PubRow {
            kop: v.label.clone(),
            cellen: vec![
                p.count(d.n_casussen as u64),
                p.count(d.n_aandragers as u64),
                PubCell::text(v.trend.clone()),
                PubCell::text(v.soort.clone()),
            ],
            totaal: false,
            deel_van: None,
        })
        .collect();
    let table = p.with_note(PubTable {
        id: "rode-draden".into(),
        titel: "Rode draden, sterkste eerst".into(),
        kolommen: vec!["Rode draad".into(), "Casussen".into(), "Aandragers".into(), "Trend".into(), "Gevonden als".into()],
        rijen,
        voetnoten: vec![format!(
            "Rode draden met minder dan {} casussen staan alleen in de interne analyse. Trend: aantal in deze periode tegen de vorige.",
            p.min_cell
        )],
        totaal_kolom: false,
    });
    (views, table)
}

/// "8 aandragers"; a hidden count (below min_cel: the count of helpers is only hidden for
/// being small) reads "enkele aandragers", as in the thread's explanation.
fn helpers_text(c: &PubCell) -> String {
    if c.onderdrukt {
        "enkele aandragers".into()
    } else {
        format!("{} aandragers", c.tekst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::{Scrubber, TextMode};
    use proptest::prelude::*;

    /// Receipt dates of `counts` cases per quarter from quarter index `first` on (the
    /// 10th of the quarter's second month).
    fn dates(first: i32, counts: &[u64]) -> Vec<NaiveDate> {
        counts
            .iter()
            .enumerate()
            .flat_map(|(i, &c)| {
                let q = first + i as i32;
                let d =
                    NaiveDate::from_ymd_opt(q.div_euclid(4), (q.rem_euclid(4) * 3 + 2) as u32, 10)
                        .unwrap();
                std::iter::repeat_n(d, c as usize)
            })
            .collect()
    }

    /// The linked cells of a thread with these quarterly counts, its split computed the
    /// way the analysis does (by receipt date against the period).
    fn cells(first: i32, counts: &[u64], period: &Period) -> TrendCells {
        let ds = dates(first, counts);
        let now = ds.iter().filter(|d| period.contains(**d)).count() as u64;
        let before = ds.iter().filter(|d| **d < period.start).count() as u64;
        TrendCells::new(&ds, now, before, period).expect("split matches")
    }

    fn public(zero: bool) -> Protector {
        Protector::new(Audience::Parliament, 5, 10, zero)
    }

    /// The attacker's verdict on what `protect_trend` publishes: the total shown, no
    /// shown cell small, every hidden small count at least 5 wide (LP bounds from the
    /// shown quarters, the total and the text's two counts where shown).
    fn check(t: &TrendCells, p: &Protector) -> Result<Vec<bool>, String> {
        let k = t.k();
        let hidden = protect_trend(t, p);
        if hidden[k] {
            return Err("het totaal is verborgen".into());
        }
        let sys = t.system().map_err(|e| e.to_string())?;
        let bounds = suppress::attack_system(&sys, &hidden, &[]);
        for (c, &v) in t.table.values.iter().enumerate() {
            let small = p.is_small(v);
            match bounds[c] {
                None if small => return Err(format!("cel {c} ({v}) klein en getoond")),
                Some(b) if small && !suppress::is_protected(b, 5) => {
                    return Err(format!("cel {c} ({v}) af te leiden tot {b:?}"))
                }
                _ => {}
            }
        }
        Ok(hidden)
    }

    fn h1() -> Period {
        Period::half(2026, 1)
    }

    /// Quarter index of 2025-Q1.
    const Q2025_1: i32 = 2025 * 4;

    #[test]
    fn small_quarters_beside_a_printed_total() {
        // 2 and 3 in the period, total 5: both hidden, each in [0, 5]
        let t = cells(Q2025_1 + 4, &[2, 3], &h1());
        let hidden = check(&t, &public(false)).unwrap();
        assert_eq!(&hidden[..2], &[true, true]);
    }

    #[test]
    fn a_lone_hidden_quarter_is_not_total_minus_the_rest() {
        // 10 | 2 | 9, all before 2026-H1 or in it: hiding the 2 alone gives it back as
        // 21 - 10 - 9; a second quarter (and the text counts it sums to) must go too
        let t = cells(Q2025_1 + 2, &[10, 2, 9], &h1());
        let hidden = check(&t, &public(false)).unwrap();
        assert!(hidden[1]);
        assert!(hidden[0] || hidden[2]);
    }

    #[test]
    fn the_texts_split_no_longer_gives_a_quarter_away() {
        // 2025-Q4 = 1 before the period, 2 and 4 in it: total 7, "6 in de periode"
        // would give "1 eerder" as 7 - 6. Seen on the sample report.
        let t = cells(Q2025_1 + 3, &[1, 2, 4], &h1());
        let k = t.k();
        assert_eq!(&t.table.values[k..], &[7, 6, 1]);
        let hidden = check(&t, &public(false)).unwrap();
        assert!(hidden[k + 1] && hidden[k + 2], "{hidden:?}");
        // without the joint protection (the text's 6 shown, the quarters hidden) the
        // attacker pins the earlier count
        let mut old = vec![true; k + 3];
        old[k] = false;
        old[k + 1] = false;
        let (lo, hi) = suppress::attack(&t.table, &old)[k + 2].unwrap();
        assert!((lo - 1.0).abs() < 1e-6 && (hi - 1.0).abs() < 1e-6);
    }

    #[test]
    fn zero_quarters() {
        // 6, 0, 0, 7: zeros shown by default, hidden when the policy hides zeros
        let t = cells(Q2025_1 + 2, &[6, 0, 0, 7], &h1());
        let hidden = check(&t, &public(false)).unwrap();
        assert_eq!(&hidden[..4], &[false, false, false, false]);
        let hidden = check(&t, &public(true)).unwrap();
        assert!(hidden[1] && hidden[2]);
    }

    #[test]
    fn a_single_quarter_is_its_total() {
        let t = cells(Q2025_1 + 5, &[7], &h1());
        assert_eq!(t.k(), 1);
        let hidden = check(&t, &public(false)).unwrap();
        assert!(!hidden[0]);
        // the internal report hides nothing
        let internal = Protector::new(Audience::Internal, 5, 10, false);
        assert!(protect_trend(&t, &internal).iter().all(|h| !h));
    }

    #[test]
    fn a_text_split_that_does_not_match_the_quarters_is_refused() {
        let ds = dates(Q2025_1 + 4, &[3, 4]);
        assert!(TrendCells::new(&ds, 6, 0, &h1()).is_none());
        assert!(TrendCells::new(&[], 0, 0, &h1()).is_none());
    }

    /// The window of the last three months of 2026-H1: 1 April to 30 June.
    fn h1_window() -> (NaiveDate, NaiveDate) {
        trend_window(&h1(), NaiveDate::from_ymd_opt(2026, 6, 30).unwrap())
    }

    #[test]
    fn the_window_count_is_linked_to_its_quarters() {
        // 6, 3 and 8 cases in 2025-Q4, 2026-Q1, 2026-Q2: the window (1 April - 30 June)
        // is 2026-Q2, so "in 2026-Q2 kwamen 8 casussen binnen" is that quarter's cell
        let t = cells(Q2025_1 + 3, &[6, 3, 8], &h1());
        let ds = dates(Q2025_1 + 3, &[6, 3, 8]);
        assert_eq!(h1_window().0, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
        let t = t.with_window(&ds, h1_window(), 8);
        let a = t.window_cell().unwrap();
        assert_eq!(t.table.values[a], 8);
        // at most the quarter it touches, at least the quarter inside it: a = Q2
        assert_eq!(t.inequalities, vec![(vec![a], vec![2]), (vec![2], vec![a])]);
        // the 3 is hidden with a partner; the text's 8 is that partner's value when the
        // partner is 2026-Q2, so it is shown only with it: the attacker checks the system
        let hidden = check(&t, &public(false)).unwrap();
        assert!(hidden[1]);
        assert!(!hidden[a] || hidden[2], "{hidden:?}");
        // printed while its quarter is hidden, the 8 would give the 3 away (17 - 6 - 8)
        let mut leaky = hidden.clone();
        leaky[a] = false;
        if hidden[2] && !hidden[0] {
            let sys = t.system().unwrap();
            let (lo, hi) = suppress::attack_system(&sys, &leaky, &[])[1].unwrap();
            assert!(!suppress::is_protected((lo, hi), 5), "{lo} {hi}");
        }
        // a count that is not the window's is not linked (the link would be false)
        let unlinked = cells(Q2025_1 + 3, &[6, 3, 8], &h1()).with_window(&ds, h1_window(), 7);
        assert!(unlinked.window_cell().is_none());
    }

    #[test]
    fn a_small_window_count_beside_a_shown_quarter_is_hidden() {
        // 9 cases in 2026-Q1 and 2 in 2026-Q2: the window count is that 2, small itself,
        // and hidden together with its quarter
        let ds = dates(Q2025_1 + 4, &[9, 2]);
        let t = cells(Q2025_1 + 4, &[9, 2], &h1()).with_window(&ds, h1_window(), 2);
        let a = t.window_cell().unwrap();
        let hidden = check(&t, &public(false)).unwrap();
        assert!(hidden[1] && hidden[a], "{hidden:?}");
    }

    /// Quarterly counts of a published thread (first and last quarter not empty: the
    /// table runs from the first to the last case), small cells and zeros common.
    fn thread_counts() -> impl Strategy<Value = Vec<u64>> {
        prop::collection::vec(prop_oneof![3 => 0u64..5, 2 => 0u64..15], 1..7).prop_map(|mut v| {
            let n = v.len();
            v[0] = v[0].max(1);
            v[n - 1] = v[n - 1].max(1);
            v
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        /// Random threads, periods and zero policies: the attacker recovers no hidden
        /// small count, and none is shown.
        #[test]
        fn no_hidden_quarter_can_be_recovered(
            counts in thread_counts(),
            start in 0i32..8,
            period in prop::sample::select(vec![(2026, 1), (2025, 2), (2026, 2)]),
            zero in any::<bool>(),
            window_cut in 0i64..70,
        ) {
            let total: u64 = counts.iter().sum();
            // threads below the threshold are not published
            prop_assume!(total >= 5);
            let half = Period::half(period.0, period.1);
            let ds = dates(Q2025_1 + start, &counts);
            let window = trend_window(&half, half.end - chrono::Duration::days(window_cut));
            let in_window = ds.iter().filter(|d| window.0 <= **d && **d <= window.1).count() as u64;
            let t = cells(Q2025_1 + start, &counts, &half).with_window(&ds, window, in_window);
            if let Err(e) = check(&t, &public(zero)) {
                prop_assert!(false, "{counts:?} vanaf {start}: {e}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

        /// The population counted in one pass decides every story as the record-by-record
        /// check does (doelgroepen in any order and with duplicates, missing details, two
        /// half years).
        #[test]
        fn the_counted_population_decides_as_the_records_do(
            recs in prop::collection::vec(
                (prop::collection::vec(0usize..3, 0..3), prop::option::of(0usize..2), prop::option::of(0usize..2), 0usize..2, any::<bool>(), any::<bool>()),
                1..40,
            ),
            k in 1usize..6,
        ) {
            let groups = ["ouderen", "zzp", "jongeren"];
            let cases: Vec<Case> = recs
                .iter()
                .enumerate()
                .map(|(i, (dg, lg, rg, at, service, h1))| Case {
                    casus_id: format!("C{i}"),
                    doelgroep: dg.iter().map(|&g| groups[g].into()).collect(),
                    levensgebeurtenis: lg.map(|l| ["pensioen", "scheiding"][l].into()),
                    regeling: rg.map(|r| ["huurtoeslag", "zorgtoeslag"][r].into()),
                    aandrager_type: ["wijkteam", "burger"][*at].into(),
                    dienst: service.then_some(crate::model::Service::DienstToeslagen),
                    ontvangen_op: NaiveDate::from_ymd_opt(2025, if *h1 { 3 } else { 9 }, 1).unwrap(),
                    ..Case::default()
                })
                .collect();
            let records: Vec<QuasiId> = cases.iter().map(quasi).collect();
            // every case a candidate: every case counted once, each check as over all records
            let counted = StoryPopulations::new(&cases, cases.iter());
            let total: usize = counted.buckets.values().flat_map(|b| b.values()).map(|p| p.len()).sum();
            prop_assert_eq!(total, cases.len());
            for (c, q) in cases.iter().zip(&records) {
                prop_assert_eq!(counted.check(c, k), story::check_story(q, &records, k));
            }
            // one candidate: its check is the same with only its own kind counted
            if let Some(first) = cases.first() {
                let one = StoryPopulations::new(&cases, [first]);
                prop_assert_eq!(one.check(first, k), story::check_story(&records[0], &records, k));
            }
        }
    }

    fn case(id: &str, helper: Option<&str>, text: &str) -> Case {
        Case {
            casus_id: id.into(),
            aandrager_id: helper.map(Into::into),
            samenvatting: Some(text.into()),
            ..Case::default()
        }
    }

    #[test]
    fn a_term_needs_k_cases_from_two_helpers() {
        let cases: Vec<Case> = (0..6)
            .map(|i| {
                let helper = if i < 5 { "H1" } else { "H2" };
                let text = if i < 5 {
                    format!("Familie Pietersma wacht op de machtiging van de helper ({i})")
                } else {
                    "De machtiging van de helper werd niet geaccepteerd".to_string()
                };
                case(&format!("C{i}"), Some(helper), &text)
            })
            .collect();
        let ids: Vec<String> = cases.iter().map(|c| c.casus_id.clone()).collect();
        let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), c)).collect();
        // masked, as a report with `persoonsgegevens = "maskeren"` reads them
        let scrubber = Scrubber::new(TextMode::Mask, Default::default());
        let texts = Texts::new(&scrubber);
        // in all six cases, from two helpers
        assert!(term_supported("machtiging", &ids, &by_id, &texts, 5));
        assert!(term_supported(
            "machtiging van de helper",
            &ids,
            &by_id,
            &texts,
            5
        ));
        // five cases, but all from one helper: one person's story
        assert!(!term_supported("pietersma", &ids, &by_id, &texts, 5));
        // in one case only
        assert!(!term_supported("geaccepteerd", &ids, &by_id, &texts, 5));
        // k is the threshold
        assert!(!term_supported("machtiging", &ids, &by_id, &texts, 7));
    }

    #[test]
    fn a_withheld_summary_does_not_support_a_term() {
        // four summaries with a phone number (withheld when omitting, masked otherwise)
        // and one clean one, from two helpers
        let cases: Vec<Case> = (0..5)
            .map(|i| {
                let text = if i < 4 {
                    "Bel 06-12345678 over de machtiging."
                } else {
                    "De machtiging werd niet geaccepteerd."
                };
                case(
                    &format!("C{i}"),
                    Some(if i % 2 == 0 { "H1" } else { "H2" }),
                    text,
                )
            })
            .collect();
        let ids: Vec<String> = cases.iter().map(|c| c.casus_id.clone()).collect();
        let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), c)).collect();
        let omit = Scrubber::new(TextMode::Omit, Default::default());
        let mask = Scrubber::new(TextMode::Mask, Default::default());
        let (omitted, masked) = (Texts::new(&omit), Texts::new(&mask));
        // omitted: only the clean summary counts, one case from one helper
        assert!(!term_supported("machtiging", &ids, &by_id, &omitted, 1));
        assert!(term_supported("machtiging", &ids, &by_id, &masked, 5));
        // a term in no summary is never supported, and costs no cleaning when omitting
        assert!(!term_supported("bezwaar", &ids, &by_id, &omitted, 1));
        assert_eq!(omitted.into_log().len(), 4);
    }

    #[test]
    fn without_helper_ids_the_case_count_decides() {
        let cases: Vec<Case> = (0..5)
            .map(|i| {
                case(
                    &format!("C{i}"),
                    None,
                    "Voorschot huurtoeslag teruggevorderd",
                )
            })
            .collect();
        let ids: Vec<String> = cases.iter().map(|c| c.casus_id.clone()).collect();
        let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), c)).collect();
        // masked, as a report with `persoonsgegevens = "maskeren"` reads them
        let scrubber = Scrubber::new(TextMode::Mask, Default::default());
        let texts = Texts::new(&scrubber);
        assert!(term_supported("voorschot", &ids, &by_id, &texts, 5));
        assert!(!term_supported("voorschot", &ids[..4], &by_id, &texts, 5));
    }
}
