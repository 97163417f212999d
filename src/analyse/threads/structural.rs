//! Structural threads: a *wat* (theme at either level, optionally with regeling or dienst)
//! that goes together with a *wie* (the dimensions of `[draden] wie`) more often than its
//! comparison population explains.
//!
//! - **Comparison population.** A pattern is compared with its nearest siblings where that
//!   comparison has power: a thema+regeling with the other regelingen of the thema, a
//!   level-2 theme with the other themes of its main theme (only when a link of the main
//!   theme or one of its sub-themes with the *wie* is known by design; otherwise that small
//!   population only costs power), a
//!   main theme with a regeling or dienst with the other regelingen or diensten of that main
//!   theme (same condition), a main theme alone with all cases. When
//!   the sibling comparison cannot reach p <= [`POWER_P`] even with every case in the cell
//!   (Fisher's minimum p-value from the margins), the next wider population is used, unless
//!   the link of the main theme with the *wie* is known by design (`[draden.bekende_samenhang]`).
//!   So a doelgroep that belongs to a main theme by design stays quiet, while a concentration
//!   inside a small main theme is still found against all cases. A main theme is not paired
//!   with a *wie* that one of its sub-themes has by design (that link seen one level up).
//! - **Family (Tarone).** Every (wat, wie) combination whose margins allow `min_casussen` in
//!   the cell is a hypothesis; only those whose minimum p-value can pass Tarone's bound enter
//!   the Benjamini-Hochberg family, counted with p = 1 when their cell is below the minimum.
//!   The family therefore depends on the margins, not on the observed cells.
//! - **The test.** The p-value is the largest Fisher p over every split of the pattern into
//!   two parts (Webb's self-sufficient itemsets: a pattern of three codes of which one is just
//!   common is not a pattern of its own). It becomes 1 when Fisher's p with the cases of the
//!   busiest helper left out exceeds `fdr_q` (one helper who codes everything the same way is
//!   no thread), with fewer than `min_aandragers` helpers or with IC025 <= `min_ic025`.
//! - **Closed patterns**: a pattern is dropped when a one-item extension among all frequent
//!   itemsets has the same support (items implied by the theme itself, such as a fixed
//!   dienst, items linked to it by design, a theme's intake channel and extensions longer
//!   than `max_kenmerken` do not count: they can never be a thread themselves). Of threads that share 80% of their cases only the strongest stays.
//! - **Workflow.** A *wie* dimension that the theme nearly determines (bias-corrected
//!   Cramér's V > `werkwijze_v`) describes how the work is organised (who logs which kind of
//!   case); it is listed as workflow and not used for threads. So is one theme's own intake
//!   channel (nearly all its cases through one aandrager type that is a service itself,
//!   whose staff log their own cases; in an export without `dienst` any type),
//!   also one level up: a main
//!   theme with that aandrager type is no thread when half of those cases lie in the
//!   sub-theme whose channel it is.
//!
//! ```ignore
//! let (threads, workflow) = structural_with_workflow(&cases, cfg);
//! ```

use super::{finite, helper_of, new_thread, stable_id, Statistic, Thread, ThreadKind};
use crate::analyse::methods::bitset::Bitset;
use crate::analyse::methods::itemsets;
use crate::analyse::methods::stats::{self, TwoByTwo};
use crate::config::Config;
use crate::model::{Case, Service};
use crate::util::hash::FxMap;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Below this minimum achievable p-value a comparison population has power.
pub const POWER_P: f64 = 0.001;

/// Within one theme at least this share of the cases coming in through one aandrager type
/// makes that the theme's intake channel (workflow), not a thread.
pub const WORKFLOW_SHARE: f64 = 0.9;

/// A *wie* that the theme nearly determines: a whole dimension (`cramers_v`) or, for the
/// intake channel (aandrager_type), one theme's channel (`aandeel`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    /// "thema" for a whole dimension, else the theme code.
    pub wat: String,
    /// The dimension, or `dimension=code`.
    pub wie: String,
    pub cramers_v: Option<f64>,
    pub aandeel: Option<f64>,
}

/// The values of one *wie* dimension in a case, borrowed from it, in the case's order.
fn for_each_wie_value<'c>(c: &'c Case, dim: &str, mut f: impl FnMut(&'c str)) {
    match dim {
        "doelgroep" => c.doelgroep.iter().for_each(|v| f(v)),
        "levensgebeurtenis" => c
            .levensgebeurtenis
            .iter()
            .filter(|l| l.as_str() != "geen")
            .for_each(|v| f(v)),
        "aandrager_type" => f(&c.aandrager_type),
        "regeling" => c.regeling.iter().for_each(|v| f(v)),
        "dienst" => c.dienst.iter().for_each(|d| f(d.as_str())),
        _ => {}
    }
}

/// The items of one case as (slot, attribute, code), in the order they are numbered: the
/// main theme, the level-2 theme, regeling and dienst when they are no *wie*, then the chosen
/// *wie* dimensions. The slot numbers the attribute's place in that order (for a cache key).
fn for_each_case_item<'c, 'w>(
    c: &'c Case,
    wie: &[&'w str],
    mut f: impl FnMut(usize, &'w str, &'c str),
) {
    f(0, "thema_hoofd", c.main_theme());
    if c.thema.contains('.') {
        f(1, "thema", &c.thema);
    }
    for (slot, dim) in [(2, "regeling"), (3, "dienst")] {
        if !wie.contains(&dim) {
            for_each_wie_value(c, dim, |x| f(slot, dim, x));
        }
    }
    for (k, &dim) in wie.iter().enumerate() {
        for_each_wie_value(c, dim, |x| f(4 + k, dim, x));
    }
}

/// Item numbering from borrowed codes: the names are copied once per item, the first time
/// it is seen; ids in order of first appearance (as [`Items::id`] gives them).
struct Encoder<'c> {
    items: Items,
    seen: FxMap<(usize, &'c str), u32>,
}

impl<'c> Encoder<'c> {
    fn id(&mut self, slot: usize, attr: &str, code: &'c str) -> u32 {
        if let Some(&i) = self.seen.get(&(slot, code)) {
            return i;
        }
        let i = self.items.id((attr.to_string(), code.to_string()));
        self.seen.insert((slot, code), i);
        i
    }
}

/// Transactions in one flat list: those of case `k` are `data[offsets[k]..offsets[k + 1]]`.
struct Flat {
    data: Vec<u32>,
    offsets: Vec<usize>,
}

impl Flat {
    fn get(&self, k: usize) -> &[u32] {
        &self.data[self.offsets[k]..self.offsets[k + 1]]
    }
    fn len(&self) -> usize {
        self.offsets.len() - 1
    }
}

/// The items of every case (each sorted and unique) and the item dictionary.
fn encode(cases: &[&Case], wie: &[&str]) -> (Items, Flat) {
    let mut enc = Encoder {
        items: Items::default(),
        seen: FxMap::default(),
    };
    let mut data = Vec::with_capacity(cases.len() * 8);
    let mut offsets = Vec::with_capacity(cases.len() + 1);
    offsets.push(0);
    for c in cases {
        let start = data.len();
        for_each_case_item(c, wie, |slot, attr, code| {
            data.push(enc.id(slot, attr, code))
        });
        let t = &mut data[start..];
        t.sort_unstable();
        let mut kept = 0;
        for q in 0..t.len() {
            if q == 0 || t[q] != t[kept - 1] {
                t[kept] = t[q];
                kept += 1;
            }
        }
        data.truncate(start + kept);
        offsets.push(data.len());
    }
    (enc.items, Flat { data, offsets })
}

/// The *wie* dimensions nearly determined by the theme (see module docs).
pub(crate) fn workflow(cases: &[&Case], cfg: &Config) -> Vec<Workflow> {
    let mut out = Vec::new();
    for (dim, cells) in cfg
        .draden
        .wie
        .iter()
        .zip(theme_cells(cases, &cfg.draden.wie))
    {
        let v = stats::cramers_v(&cells);
        if v > cfg.draden.werkwijze_v {
            out.push(Workflow {
                wat: "thema".into(),
                wie: dim.clone(),
                cramers_v: Some(v),
                aandeel: None,
            });
        }
    }
    out.extend(channel_cells(cases, cfg));
    out
}

/// Per *wie* dimension the cross table of theme (row) and value (column): the number of
/// (case, value) pairs per (theme number, value number), non-empty cells only. Themes and
/// values are numbered in order of first appearance; one pass over the cases for all
/// dimensions.
fn theme_cells(cases: &[&Case], dims: &[String]) -> Vec<HashMap<(u32, u32), u64>> {
    let mut themes: FxMap<&str, u32> = FxMap::default();
    let mut values: Vec<FxMap<&str, u32>> = vec![FxMap::default(); dims.len()];
    // counts[dimension][value][theme]
    let mut counts: Vec<Vec<Vec<u64>>> = vec![Vec::new(); dims.len()];
    for c in cases {
        let n = themes.len() as u32;
        let r = *themes.entry(c.thema.as_str()).or_insert(n) as usize;
        for (d, dim) in dims.iter().enumerate() {
            let (values, counts) = (&mut values[d], &mut counts[d]);
            for_each_wie_value(c, dim, |v| {
                let n = values.len() as u32;
                let k = *values.entry(v).or_insert(n) as usize;
                if k == counts.len() {
                    counts.push(Vec::new());
                }
                let row = &mut counts[k];
                if r >= row.len() {
                    row.resize(r + 1, 0);
                }
                row[r] += 1;
            });
        }
    }
    counts
        .into_iter()
        .map(|per_value| {
            let mut cells = HashMap::new();
            for (k, row) in per_value.iter().enumerate() {
                for (r, &x) in row.iter().enumerate().filter(|(_, &x)| x > 0) {
                    cells.insert((r as u32, k as u32), x);
                }
            }
            cells
        })
        .collect()
}

/// Themes (with at least `min_casussen` cases) whose cases come in through one aandrager
/// type for at least [`WORKFLOW_SHARE`], or for a share that a channel at that rate gives by
/// chance (see [`nearly_all`]), where that type is a service itself (see [`own_service`]).
fn channel_cells(cases: &[&Case], cfg: &Config) -> Vec<Workflow> {
    /// What the rule needs of one theme's cases.
    #[derive(Default)]
    struct Theme<'c> {
        n: u64,
        types: FxMap<&'c str, u64>,
        any_service: bool,
    }
    let mut per_theme: FxMap<&str, Theme> = FxMap::default();
    for c in cases {
        let t = per_theme.entry(c.thema.as_str()).or_default();
        t.n += 1;
        *t.types.entry(c.aandrager_type.as_str()).or_default() += 1;
        t.any_service |= c.dienst.is_some();
    }
    // By theme name, and the types by name: the busiest type is the last by name among equals.
    let per_theme: BTreeMap<&str, Theme> = per_theme.into_iter().collect();
    per_theme
        .into_iter()
        .filter_map(|(t, theme)| {
            let types: BTreeMap<&str, u64> = theme.types.into_iter().collect();
            let n = theme.n;
            let (typ, k) = types.into_iter().max_by_key(|(_, k)| *k)?;
            let channel = n >= cfg.draden.min_casussen as u64
                && nearly_all(k, n)
                && own_service(!theme.any_service, typ);
            channel.then(|| Workflow {
                wat: t.to_string(),
                wie: format!("aandrager_type={typ}"),
                cramers_v: None,
                aandeel: Some(k as f64 / n as f64),
            })
        })
        .collect()
}

/// Whether `k` of `n` cases through one channel is what a channel that takes at least
/// [`WORKFLOW_SHARE`] of a theme's cases gives: the share itself, or a share that is not
/// below it beyond chance (exact binomial lower tail above 5%). So one or two cases through
/// another route do not break a channel (5 of 6, 6 of 8: the sample's Belastingdienst
/// logging its own dwangbevel cases, where a case of a story told under any theme came in
/// through another helper), while 5 of 8 is no channel.
fn nearly_all(k: u64, n: u64) -> bool {
    if n == 0 {
        return false;
    }
    let lower_tail = 1.0 - stats::binomial_upper(k + 1, n, WORKFLOW_SHARE);
    k as f64 >= WORKFLOW_SHARE * n as f64 || (n >= 4 && lower_tail > 0.05)
}

/// Whether a channel is how the work is organised: the aandrager type is one of the services
/// (Belastingdienst, Dienst Toeslagen, Douane), whose staff log cases themselves. When no case
/// of the theme names its service (an export without `dienst`, such as a municipal one) this
/// cannot be told and every channel counts. An outside helper type through which nearly all
/// cases of a small theme come in is not workflow: there the cases are who brings a problem
/// (the sample's beslag cases during a debt-relief programme, 13 of 14 of their theme through
/// schuldhulpverlening, were lost as that theme's "channel").
fn own_service(no_service_named: bool, typ: &str) -> bool {
    no_service_named
        || matches!(
            Service::parse(typ),
            Some(Service::Belastingdienst | Service::DienstToeslagen | Service::Customs)
        )
}

/// Whether a hypothesis pairs a theme with its own intake channel.
fn is_channel(items: &Items, wat: &[u32], wie: &[u32], workflow: &[Workflow]) -> bool {
    // `w.wie` is "attr=code"; compared without formatting a string per pair (hot loop).
    let is_cell =
        |w: &Workflow, y: u32| w.wie.split_once('=') == Some((items.attr(y), items.code(y)));
    wat.iter().any(|&x| {
        workflow
            .iter()
            .filter(|w| w.aandeel.is_some() && w.wat == items.code(x))
            .any(|w| wie.iter().any(|&y| is_cell(w, y)))
    })
}

/// Item dictionary: (attribute, code) <-> u32.
#[derive(Default)]
struct Items {
    ids: HashMap<(String, String), u32>,
    names: Vec<(String, String)>,
}

impl Items {
    fn id(&mut self, item: (String, String)) -> u32 {
        if let Some(&i) = self.ids.get(&item) {
            return i;
        }
        let i = self.names.len() as u32;
        self.ids.insert(item.clone(), i);
        self.names.push(item);
        i
    }
    fn attr(&self, i: u32) -> &str {
        &self.names[i as usize].0
    }
    fn code(&self, i: u32) -> &str {
        &self.names[i as usize].1
    }
    fn get(&self, attr: &str, code: &str) -> Option<u32> {
        self.ids.get(&(attr.to_string(), code.to_string())).copied()
    }
}

/// The mined data the tests need.
struct Mined {
    items: Items,
    /// Per item: the cases that have it.
    rows: Vec<Bitset>,
    helpers: Helpers,
    /// Support of every frequent itemset (sorted items).
    support: FxMap<Box<[u32]>, u64>,
    freq: Vec<itemsets::Itemset>,
    n: u64,
    /// Level-2 theme items by their main theme code (looked up per hypothesis).
    sub_themes: HashMap<String, Vec<u32>>,
    /// ln k! up to the number of cases, for the Fisher tests.
    ln_fact: stats::LnFactorials,
}

/// The helper of each case as a number, numbered in the order of the helpers' names (so the
/// busiest helper is chosen among equals as by name), and the cases of each helper.
struct Helpers {
    of_case: Vec<u32>,
    cases: Vec<Vec<u32>>,
}

impl Helpers {
    fn new(cases: &[&Case]) -> Self {
        // Numbered in order of first appearance, then renumbered by name.
        let mut first: FxMap<&str, u32> = FxMap::default();
        let mut of_case: Vec<u32> = cases
            .iter()
            .map(|c| {
                let next = first.len() as u32;
                *first.entry(helper_of(c)).or_insert(next)
            })
            .collect();
        let mut names: Vec<(&str, u32)> = first.into_iter().collect();
        names.sort_unstable();
        let mut rank = vec![0u32; names.len()];
        for (k, &(_, seen)) in names.iter().enumerate() {
            rank[seen as usize] = k as u32;
        }
        let mut per: Vec<Vec<u32>> = vec![Vec::new(); names.len()];
        for (row, h) in of_case.iter_mut().enumerate() {
            *h = rank[*h as usize];
            per[*h as usize].push(row as u32);
        }
        Helpers {
            of_case,
            cases: per,
        }
    }
}

impl Mined {
    fn sup(&self, v: &[u32]) -> u64 {
        if v.is_empty() {
            return self.n;
        }
        // Sorted and unique, on the stack for short sets (the hot case).
        let mut buf = [0u32; 8];
        let mut long = Vec::new();
        let k: &mut [u32] = if v.len() <= buf.len() {
            buf[..v.len()].copy_from_slice(v);
            &mut buf[..v.len()]
        } else {
            long.extend_from_slice(v);
            &mut long
        };
        k.sort_unstable();
        let mut kept = 1;
        for q in 1..k.len() {
            if k[q] != k[kept - 1] {
                k[kept] = k[q];
                kept += 1;
            }
        }
        self.support.get(&k[..kept]).copied().unwrap_or(0)
    }

    /// The cases that have all of `items`, ascending.
    fn cases_with(&self, items: &[u32]) -> Vec<u32> {
        let sets: Vec<&Bitset> = items.iter().map(|&i| &self.rows[i as usize]).collect();
        Bitset::and_all(self.n as usize, &sets).rows()
    }

    /// The number of cases with all of `items` (at least one) per helper number.
    fn per_helper(&self, items: &[u32]) -> Vec<u64> {
        let sets: Vec<&Bitset> = items.iter().map(|&i| &self.rows[i as usize]).collect();
        let mut per_helper = vec![0u64; self.helpers.cases.len()];
        Bitset::for_each_in_all(&sets, |row| {
            per_helper[self.helpers.of_case[row as usize] as usize] += 1;
        });
        per_helper
    }

    /// Whether case `row` has all of `items`.
    fn has(&self, row: u32, items: &[u32]) -> bool {
        items.iter().all(|&i| self.rows[i as usize].contains(row))
    }
}

/// One hypothesis: a wat set and a wie set, compared in a population.
struct Hypothesis {
    wat: Vec<u32>,
    wie: Vec<u32>,
    /// The item that defines the population (None = all cases).
    population: Option<u32>,
    min_p: f64,
}

/// A wat set is one theme (either level) with at most one regeling and one dienst.
fn valid_wat(items: &Items, set: &[u32]) -> bool {
    let count = |a: &str| set.iter().filter(|&&i| items.attr(i) == a).count();
    let themes = count("thema") + count("thema_hoofd");
    themes == 1 && count("regeling") <= 1 && count("dienst") <= 1
}

/// The comparison populations of a wat set, narrowest first.
fn populations(items: &Items, wat: &[u32]) -> Vec<Option<u32>> {
    let theme = wat.iter().copied().find(|&i| items.attr(i) == "thema");
    let main = wat
        .iter()
        .copied()
        .find(|&i| items.attr(i) == "thema_hoofd");
    let mut out = Vec::new();
    if let Some(t) = theme {
        if wat.len() > 1 {
            out.push(Some(t));
        }
        let h = items.code(t).split('.').next().unwrap_or_default();
        if let Some(h) = items.get("thema_hoofd", h) {
            out.push(Some(h));
        }
    } else if let Some(h) = main.filter(|_| wat.len() > 1) {
        // A main theme with a regeling or dienst: first against the main theme's other ones.
        out.push(Some(h));
    }
    out.push(None);
    out
}

/// Margins (n_x, n_y, n) of a hypothesis in a population.
fn margins(m: &Mined, wat: &[u32], wie: &[u32], pop: Option<u32>) -> (u64, u64, u64) {
    let with_pop = |v: &[u32]| -> Vec<u32> {
        let mut k = v.to_vec();
        k.extend(pop);
        k
    };
    (
        m.sup(&with_pop(wat)),
        m.sup(&with_pop(wie)),
        m.sup(&with_pop(&[])),
    )
}

/// Links by design between the pattern and a wie item: `(direct, via_main_theme)`, where
/// direct means a code of the pattern itself is linked and via the main theme means the
/// main theme of its level-2 theme is.
fn known_link(items: &Items, wat: &[u32], wie: &[u32], cfg: &Config) -> (bool, bool) {
    let linked = |code: &str, other: &str| {
        cfg.draden
            .bekende_samenhang
            .get(code)
            .is_some_and(|l| l.iter().any(|x| x == other))
    };
    let any = |codes: &[&str]| {
        wie.iter().any(|&y| {
            let y = items.code(y);
            codes.iter().any(|x| linked(x, y) || linked(y, x))
        })
    };
    let codes: Vec<&str> = wat.iter().map(|&i| items.code(i)).collect();
    let main: Vec<&str> = wat
        .iter()
        .filter(|&&i| items.attr(i) == "thema")
        .map(|&i| items.code(i).split('.').next().unwrap_or_default())
        .collect();
    (any(&codes), any(&main))
}

/// For a main-theme pattern: whether one of its level-2 themes is linked with a wie item by
/// design (`toeslagen.herstel` with `gedupeerde_herstel`). Against all cases the pattern then
/// holds that link seen from one level up, mixed with whatever the other sub-themes add, so it
/// is not tested; those other sub-themes are tested on their own, against their siblings.
/// (With the earlier rule, that half of the pattern's cases had to lie in the linked
/// sub-theme, "toeslagen, gedupeerden van de hersteloperatie" came up in 3 of 100 generated
/// samples where the herstel theme happened to be small.)
fn known_sub_theme_one_level_up(m: &Mined, wat: &[u32], wie: &[u32], cfg: &Config) -> bool {
    wat.iter().all(|&i| m.items.attr(i) != "thema") && known_in_main_theme(m, wat, wie, cfg)
}

/// For a main-theme pattern: whether half or more of the cases with the wie items in that
/// main theme lie in one sub-theme whose intake channel the wie is (workflow): the pattern is
/// then that channel seen from one level up (the sample's Belastingdienst logging its own
/// dwangbevel cases showed up as "invordering, aangedragen door de Belastingdienst").
fn mostly_channel_sub_theme(m: &Mined, wat: &[u32], wie: &[u32], workflow: &[Workflow]) -> bool {
    mostly_in_sub_theme(m, wat, wie, |t| is_channel(&m.items, &[t], wie, workflow))
}

/// Whether half or more of the cases with the wie items in the pattern's main theme lie in
/// one sub-theme `t` for which `explains(t)` holds.
fn mostly_in_sub_theme(
    m: &Mined,
    wat: &[u32],
    wie: &[u32],
    explains: impl Fn(u32) -> bool,
) -> bool {
    let Some(&h) = wat.iter().find(|&&i| m.items.attr(i) == "thema_hoofd") else {
        return false;
    };
    let mut with_h: Vec<u32> = wie.to_vec();
    with_h.push(h);
    let total = m.sup(&with_h);
    let subs = m
        .sub_themes
        .get(m.items.code(h))
        .map_or(&[][..], Vec::as_slice);
    subs.iter().any(|&t| {
        explains(t) && {
            let mut with_t: Vec<u32> = wie.to_vec();
            with_t.push(t);
            2 * m.sup(&with_t) >= total
        }
    })
}

/// Whether a sub-theme of the pattern's main theme is linked with a wie item by design
/// (`toeslagen.herstel` with `gedupeerde_herstel`): then the wie belongs inside the main
/// theme, and its other sub-themes are compared with their siblings.
fn known_in_main_theme(m: &Mined, wat: &[u32], wie: &[u32], cfg: &Config) -> bool {
    let Some(main) = wat.iter().find_map(|&i| match m.items.attr(i) {
        "thema" => m.items.code(i).split('.').next(),
        "thema_hoofd" => Some(m.items.code(i)),
        _ => None,
    }) else {
        return false;
    };
    m.sub_themes
        .get(main)
        .is_some_and(|subs| subs.iter().any(|&t| known_link(&m.items, &[t], wie, cfg).0))
}

/// Chooses the population of a hypothesis from its margins only.
fn choose(m: &Mined, wat: &[u32], wie: &[u32], cfg: &Config) -> Option<Hypothesis> {
    let min = cfg.draden.min_casussen as u64;
    let (direct, via_main) = known_link(&m.items, wat, wie, cfg);
    if direct || known_sub_theme_one_level_up(m, wat, wie, cfg) {
        return None;
    }
    // The main theme as population only neutralises a link with the wie that is known by
    // design inside it (of the main theme or of one of its sub-themes); without one it is a
    // small population in which the pattern's own cases make up much of the wie (a planted
    // beslag-with-schuldhulpverlening thread of 10 cases reached only p = 0,005 there
    // against 1e-6 against all cases).
    let inside = via_main || known_in_main_theme(m, wat, wie, cfg);
    let pops: Vec<Option<u32>> = populations(&m.items, wat)
        .into_iter()
        .filter(|pop| inside || pop.is_none_or(|p| m.items.attr(p) != "thema_hoofd"))
        .collect();
    for (k, pop) in pops.iter().enumerate() {
        // Wider than the main theme only when the main theme's link with the wie is not by design.
        if via_main && pop.is_none() {
            return None;
        }
        let (nx, ny, n) = margins(m, wat, wie, *pop);
        if nx.min(ny) < min || nx >= n {
            continue;
        }
        let min_p = stats::fisher_min_p(nx, ny, n);
        if min_p <= POWER_P || k + 1 == pops.len() {
            return Some(Hypothesis {
                wat: wat.to_vec(),
                wie: wie.to_vec(),
                population: *pop,
                min_p,
            });
        }
    }
    None
}

/// Structural threads (see module docs), given the workflow dimensions to leave out.
pub(super) fn structural(cases: &[&Case], cfg: &Config, workflow: &[Workflow]) -> Vec<Thread> {
    let dc = &cfg.draden;
    let wie_dims = wie_dimensions(cfg, workflow);
    let Some(m) = mine(cases, cfg, &wie_dims) else {
        return Vec::new();
    };
    let hyps = hypotheses(&m, cfg, workflow, &wie_dims);
    let min_ps: Vec<f64> = hyps.iter().map(|h| h.min_p).collect();
    let (_, testable) = stats::tarone(&min_ps, dc.fdr_q);
    let family = testable.len();
    let tested = test_all(&m, &hyps, &testable, cfg);
    let ps: Vec<f64> = tested.iter().map(|t| t.p).collect();
    let (rejected, adjusted) = stats::benjamini_hochberg_family(&ps, family, dc.fdr_q);
    let sig: Vec<(Tested, f64)> = tested
        .into_iter()
        .zip(rejected.into_iter().zip(adjusted))
        .filter(|(_, (r, _))| *r)
        .map(|(t, (_, q))| (t, q))
        .filter(|(t, _)| is_closed(&m, &t.items, cfg, workflow))
        .map(|(mut t, q)| {
            t.tids = m.cases_with(&t.items);
            (t, q)
        })
        .collect();
    accept(&m, sig, cases, cfg)
}

/// The *wie* dimensions of `[draden] wie` that are not workflow.
fn wie_dimensions<'a>(cfg: &'a Config, workflow: &[Workflow]) -> Vec<&'a str> {
    cfg.draden
        .wie
        .iter()
        .map(String::as_str)
        .filter(|d| {
            !workflow
                .iter()
                .any(|w| w.cramers_v.is_some() && w.wie == *d)
        })
        .collect()
}

/// For the evaluation: how every sub-pattern of `pattern` fared (hypothesis or not, its
/// population, test parts, Benjamini-Hochberg, closed), one line each.
#[cfg(test)]
pub(crate) fn explain(
    cases: &[&Case],
    cfg: &Config,
    workflow: &[Workflow],
    pattern: &BTreeMap<String, String>,
) -> Vec<String> {
    let dc = &cfg.draden;
    let wie_dims = wie_dimensions(cfg, workflow);
    let Some(m) = mine(cases, cfg, &wie_dims) else {
        return vec!["geen gegevens".into()];
    };
    let mut relevant: Vec<u32> = Vec::new();
    for (k, v) in pattern {
        relevant.extend(m.items.get(k, v));
        if k == "thema" {
            relevant.extend(
                m.items
                    .get("thema_hoofd", v.split('.').next().unwrap_or("")),
            );
        }
    }
    let name = |v: &[u32]| {
        v.iter()
            .map(|&i| format!("{}={}", m.items.attr(i), m.items.code(i)))
            .collect::<Vec<_>>()
            .join("+")
    };
    let hyps = hypotheses(&m, cfg, workflow, &wie_dims);
    let min_ps: Vec<f64> = hyps.iter().map(|h| h.min_p).collect();
    let (k, testable) = stats::tarone(&min_ps, dc.fdr_q);
    let tested = test_all(&m, &hyps, &testable, cfg);
    let ps: Vec<f64> = tested.iter().map(|t| t.p).collect();
    let (rejected, adjusted) = stats::benjamini_hochberg_family(&ps, testable.len(), dc.fdr_q);
    let mut out = vec![format!(
        "hypotheses {} tarone k={k} family {} tested {} rejected {}",
        hyps.len(),
        testable.len(),
        tested.len(),
        rejected.iter().filter(|r| **r).count()
    )];
    let is_wie = |i: u32| wie_dims.contains(&m.items.attr(i));
    let r = relevant.len();
    for mask in 1u32..(1 << r) {
        let set: Vec<u32> = (0..r)
            .filter(|j| mask & (1 << j) != 0)
            .map(|j| relevant[j])
            .collect();
        let wat: Vec<u32> = set.iter().copied().filter(|&i| !is_wie(i)).collect();
        let wie: Vec<u32> = set.iter().copied().filter(|&i| is_wie(i)).collect();
        if wie.is_empty() || !valid_wat(&m.items, &wat) || set.len() > dc.max_kenmerken.max(2) {
            continue;
        }
        let mut items = set.clone();
        items.sort_unstable();
        let line = format!(
            "  {} [wat {}] sup={}",
            name(&items),
            name(&wat),
            m.sup(&items)
        );
        let Some(hi) = hyps.iter().position(|h| {
            let mut v: Vec<u32> = h.wat.iter().chain(&h.wie).copied().collect();
            v.sort_unstable();
            v == items && h.wat.len() == wat.len()
        }) else {
            let (direct, via) = known_link(&m.items, &wat, &wie, cfg);
            let pops: Vec<String> = populations(&m.items, &wat)
                .iter()
                .map(|p| {
                    let (nx, ny, n) = margins(&m, &wat, &wie, *p);
                    format!(
                        "{:?}:{nx}/{ny}/{n} minp={:.2e}",
                        p.map(|i| m.items.code(i)),
                        stats::fisher_min_p(nx, ny, n)
                    )
                })
                .collect();
            out.push(format!(
                "{line} NO HYPOTHESIS implied={} channel={} known={direct}/{via} known_below={} pops={pops:?}",
                has_implied_item(&m, &wat),
                is_channel(&m.items, &wat, &wie, workflow),
                known_sub_theme_one_level_up(&m, &wat, &wie, cfg)
            ));
            continue;
        };
        let h = &hyps[hi];
        let pop = h.population.map(|i| m.items.code(i).to_string());
        let in_family = testable.contains(&hi);
        let Some(t) = test(&m, h, cfg, &mut Quantiles::default()) else {
            out.push(format!(
                "{line} pop={pop:?} minp={:.2e} family={in_family} cell below minimum",
                h.min_p
            ));
            continue;
        };
        let dp = stats::disproportionality(&t.table);
        let per_helper = m.per_helper(&t.items);
        let (nx, ny, n) = margins(&m, &h.wat, &h.wie, h.population);
        let loo = leave_top_helper_out(&m, h, &per_helper, (t.support, nx, ny, n));
        let pos = tested
            .iter()
            .position(|x| x.items == t.items && x.population == t.population);
        out.push(format!(
            "{line} pop={pop:?} minp={:.2e} family={in_family} table={:?} fisher={:.2e} split={:.2e} helpers={} ic025={:.2} loo={:.2e} p={:.2e} adj={:?} rejected={:?} closed={}",
            h.min_p,
            (t.table.a, t.table.b, t.table.c, t.table.d),
            dp.p_fisher,
            weakest_split(&m, &t.items, h.population),
            per_helper.iter().filter(|&&x| x > 0).count(),
            dp.ic025,
            loo,
            t.p,
            pos.map(|k| adjusted[k]),
            pos.map(|k| rejected[k]),
            is_closed(&m, &t.items, cfg, workflow)
        ));
    }
    out
}

/// Every (wat, wie) hypothesis of the frequent itemsets, with its comparison population.
fn hypotheses(
    m: &Mined,
    cfg: &Config,
    workflow: &[Workflow],
    wie_dims: &[&str],
) -> Vec<Hypothesis> {
    let dc = &cfg.draden;
    let is_wie = |i: u32| wie_dims.contains(&m.items.attr(i));
    let max = dc.max_kenmerken.max(2);
    let wat_sets: Vec<&Vec<u32>> = m
        .freq
        .iter()
        .map(|s| &s.items)
        .filter(|s| s.iter().all(|&i| !is_wie(i)) && valid_wat(&m.items, s))
        .filter(|s| !has_implied_item(m, s))
        .collect();
    let wie_sets: Vec<&Vec<u32>> = m
        .freq
        .iter()
        .map(|s| &s.items)
        .filter(|s| s.iter().all(|&i| is_wie(i)) && s.len() < max)
        .collect();
    let mut hyps: Vec<Hypothesis> = Vec::new();
    for x in &wat_sets {
        for y in wie_sets.iter().filter(|y| x.len() + y.len() <= max) {
            if is_channel(&m.items, x, y, workflow) || mostly_channel_sub_theme(m, x, y, workflow) {
                continue;
            }
            if let Some(h) = choose(m, x, y, cfg) {
                hyps.push(h);
            }
        }
    }
    hyps
}

/// Encodes the cases, mines the frequent itemsets and builds what the tests look up.
fn mine(cases: &[&Case], cfg: &Config, wie: &[&str]) -> Option<Mined> {
    let dc = &cfg.draden;
    if cases.is_empty() {
        return None;
    }
    let (items, mut tx) = encode(cases, wie);
    // An item that (almost) every case has says nothing about a thread (e.g. a fixed dienst).
    let mut count = vec![0u64; items.names.len()];
    for &i in &tx.data {
        count[i as usize] += 1;
    }
    let n = cases.len();
    let near_constant: Vec<bool> = (0..items.names.len())
        .map(|i| {
            n >= 20 && count[i] as f64 >= 0.95 * n as f64 && items.attr(i as u32) != "thema_hoofd"
        })
        .collect();
    if near_constant.iter().any(|&x| x) {
        tx = drop_items(&tx, &near_constant);
    }
    let freq = itemsets::frequent_itemsets_flat(
        &tx.data,
        &tx.offsets,
        dc.min_casussen as u64,
        dc.max_kenmerken.max(2) + 1,
    );
    let support = freq
        .iter()
        .map(|s| (s.items.clone().into_boxed_slice(), s.support))
        .collect();
    let mut rows: Vec<Bitset> = (0..items.names.len()).map(|_| Bitset::new(n)).collect();
    for row in 0..tx.len() {
        for &i in tx.get(row) {
            rows[i as usize].insert(row as u32);
        }
    }
    let mut sub_themes: HashMap<String, Vec<u32>> = HashMap::new();
    for (t, (attr, code)) in items.names.iter().enumerate() {
        if let Some((main, _)) = code.split_once('.').filter(|_| attr == "thema") {
            sub_themes
                .entry(main.to_string())
                .or_default()
                .push(t as u32);
        }
    }
    let helpers = Helpers::new(cases);
    let ln_fact = stats::LnFactorials::new(n);
    Some(Mined {
        helpers,
        sub_themes,
        items,
        rows,
        support,
        freq,
        n: n as u64,
        ln_fact,
    })
}

/// The transactions without the items marked in `dropped`.
fn drop_items(tx: &Flat, dropped: &[bool]) -> Flat {
    let mut data = Vec::with_capacity(tx.data.len());
    let mut offsets = Vec::with_capacity(tx.offsets.len());
    offsets.push(0);
    for k in 0..tx.len() {
        data.extend(tx.get(k).iter().filter(|&&i| !dropped[i as usize]));
        offsets.push(data.len());
    }
    Flat { data, offsets }
}

struct Tested {
    items: Vec<u32>,
    support: u64,
    table: TwoByTwo,
    population: Option<u32>,
    p: f64,
    tids: Vec<u32>,
}

/// The tests of the `testable` hypotheses, in that order, spread over the cores in small
/// consecutive blocks that the threads take in turn (the result does not depend on the
/// number of threads or on which thread took which block).
fn test_all(m: &Mined, hyps: &[Hypothesis], testable: &[usize], cfg: &Config) -> Vec<Tested> {
    let threads = crate::util::parallel::threads_for(testable.len(), 256, 8);
    let run = |part: &[usize], memo: &mut Quantiles| -> Vec<Tested> {
        part.iter()
            .filter_map(|&i| test(m, &hyps[i], cfg, memo))
            .collect()
    };
    if threads == 1 {
        return run(testable, &mut Quantiles::default());
    }
    let blocks: Vec<&[usize]> = testable.chunks(64).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut memo = Quantiles::default();
        let mut done: Vec<(usize, Vec<Tested>)> = Vec::new();
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(part) = blocks.get(k) else {
                return done;
            };
            done.push((k, run(part, &mut memo)));
        }
    };
    let mut done: Vec<(usize, Vec<Tested>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .expect("toetsthread voor structurele draden faalde")
            })
            .collect()
    });
    done.sort_unstable_by_key(|(k, _)| *k);
    done.into_iter().flat_map(|(_, t)| t).collect()
}

/// The 2,5% gamma quantile of shape `a + 0.5` (the IC025's) by shape, remembered per thread:
/// many hypotheses share a cell count.
#[derive(Default)]
struct Quantiles(FxMap<u64, f64>);

impl Quantiles {
    /// The IC025 of `t` (as [`stats::disproportionality`] gives it).
    fn ic025(&mut self, t: &TwoByTwo) -> f64 {
        stats::ic025_with(t, |shape| {
            *self
                .0
                .entry(shape.to_bits())
                .or_insert_with(|| stats::gamma_quantile(shape, 0.025))
        })
    }
}

/// Whether the IC025 of `t` is above `min`. The IC is an upper bound of the IC025 (the
/// gamma quantile lies below the mean), so a table whose IC is clearly below `min` is
/// decided without the quantile.
fn ic025_above(t: &TwoByTwo, min: f64, memo: &mut Quantiles) -> bool {
    let n = t.a + t.b + t.c + t.d;
    let expected = (t.a + t.b) * (t.a + t.c) / n;
    let ic = ((t.a + 0.5) / (expected + 0.5)).log2();
    if n > 0.0 && ic < min - 1e-6 {
        return false;
    }
    memo.ic025(t) > min
}

/// The test of one hypothesis (see module docs); None when the cell is below the minimum.
fn test(m: &Mined, h: &Hypothesis, cfg: &Config, memo: &mut Quantiles) -> Option<Tested> {
    let dc = &cfg.draden;
    let mut items: Vec<u32> = h.wat.iter().chain(&h.wie).copied().collect();
    items.sort_unstable();
    let a = m.sup(&items);
    if a < dc.min_casussen as u64 {
        return None;
    }
    let (nx, ny, n) = margins(m, &h.wat, &h.wie, h.population);
    let table = table_of(a, nx, ny, n)?;
    // The conditions of robustness, cheapest first; only a robust pattern needs its p-value.
    let robust = ic025_above(&table, dc.min_ic025, memo) && {
        let per_helper = m.per_helper(&items);
        per_helper.iter().filter(|&&k| k > 0).count() >= dc.min_aandragers
            && leave_top_helper_out(m, h, &per_helper, (a, nx, ny, n)) <= dc.fdr_q
    };
    let p = if robust {
        m.ln_fact
            .fisher_p(&table)
            .max(weakest_split(m, &items, h.population))
    } else {
        1.0
    };
    Some(Tested {
        items,
        support: a,
        table,
        population: h.population,
        p: if p.is_nan() { 1.0 } else { p },
        tids: Vec::new(),
    })
}

/// The largest Fisher p over every split of the pattern into two parts (Webb's
/// self-sufficiency): a pattern counts only when each part goes with the rest beyond what the
/// parts explain. So `thema × doelgroep × type aandrager` with an aandrager type that is just
/// common is no pattern of its own, even when `thema × doelgroep` is one.
fn weakest_split(m: &Mined, items: &[u32], population: Option<u32>) -> f64 {
    let parts: Vec<u32> = items
        .iter()
        .copied()
        .filter(|&i| Some(i) != population)
        .collect();
    let k = parts.len();
    if k < 2 {
        return 1.0;
    }
    let with_pop = |v: Vec<u32>| -> Vec<u32> {
        let mut v = v;
        v.extend(population);
        v
    };
    let a = m.sup(&with_pop(parts.clone()));
    let n = m.sup(&with_pop(Vec::new()));
    let mut worst: f64 = 0.0;
    // Masks with the last part outside count every split once.
    for mask in 1..(1u32 << (k - 1)) {
        let side = |inside: bool| -> Vec<u32> {
            (0..k)
                .filter(|j| (mask & (1 << j) != 0) == inside)
                .map(|j| parts[j])
                .collect()
        };
        let (x, y) = (side(true), side(false));
        let p = match table_of(a, m.sup(&with_pop(x)), m.sup(&with_pop(y)), n) {
            Some(t) => m.ln_fact.fisher_p(&t),
            None => 1.0,
        };
        worst = worst.max(if p.is_nan() { 1.0 } else { p });
    }
    worst
}

/// Fisher's p with the cases of the busiest helper left out of the population altogether.
/// `per_helper` counts the pattern's cases per helper number; among equally busy helpers the
/// one last by name is left out.
fn leave_top_helper_out(
    m: &Mined,
    h: &Hypothesis,
    per_helper: &[u64],
    (a, nx, ny, n): (u64, u64, u64, u64),
) -> f64 {
    // `max_by_key` keeps the last of equal maxima: the helper last by name.
    let Some((top, &k)) = per_helper
        .iter()
        .enumerate()
        .filter(|(_, &k)| k > 0)
        .max_by_key(|(_, &k)| k)
    else {
        return 1.0;
    };
    // A case is in the population when it has the population's theme item (a level-2 theme
    // or a main theme); the items of a hypothesis are never among the left-out near-constant ones.
    let (mut ox, mut oy, mut on) = (0, 0, 0);
    for &row in &m.helpers.cases[top] {
        if h.population.is_some_and(|p| !m.has(row, &[p])) {
            continue;
        }
        on += 1;
        ox += u64::from(m.has(row, &h.wat));
        oy += u64::from(m.has(row, &h.wie));
    }
    match table_of(a - k, nx - ox, ny - oy, n - on) {
        Some(t) => m.ln_fact.fisher_p(&t),
        None => 1.0,
    }
}

fn table_of(a: u64, nx: u64, ny: u64, n: u64) -> Option<TwoByTwo> {
    let (a, nx, ny, n) = (a as f64, nx as f64, ny as f64, n as f64);
    let (b, c) = (nx - a, ny - a);
    let d = n - a - b - c;
    (b >= 0.0 && c >= 0.0 && d >= 0.0).then_some(TwoByTwo { a, b, c, d })
}

/// Whether a wat set holds a regeling or dienst that its theme implies in every case
/// (toeslagen -> Dienst Toeslagen): it says the same as the theme alone.
fn has_implied_item(m: &Mined, set: &[u32]) -> bool {
    let Some(&theme) = set
        .iter()
        .find(|&&i| matches!(m.items.attr(i), "thema" | "thema_hoofd"))
    else {
        return false;
    };
    set.iter()
        .any(|&i| i != theme && m.sup(&[theme, i]) == m.sup(&[theme]))
}

/// Closed: no one-item extension among all frequent itemsets has the same support, leaving
/// aside items that the pattern's theme implies in all cases, items linked to the pattern
/// by design (`[draden.bekende_samenhang]`: the extension then only adds what the taxonomy
/// says, and would itself fail the split test), the theme's own intake channel (workflow,
/// never a hypothesis) and extensions longer than `max_kenmerken`. Those extensions can never
/// be a thread themselves, so a pattern they would replace is the most precise one that can
/// be reported (a planted thread with four codes was otherwise lost whole: each of its
/// three-code parts had the four-code pattern as extension).
fn is_closed(m: &Mined, items: &[u32], cfg: &Config, workflow: &[Workflow]) -> bool {
    let max = cfg.draden.max_kenmerken.max(2);
    let theme: Vec<u32> = items
        .iter()
        .copied()
        .filter(|&i| matches!(m.items.attr(i), "thema" | "thema_hoofd"))
        .collect();
    let s = m.sup(items);
    !m.freq.iter().any(|f| {
        f.items.len() == items.len() + 1
            && f.items.len() <= max
            && f.support == s
            && items.iter().all(|i| f.items.contains(i))
            && f.items
                .iter()
                .find(|i| !items.contains(i))
                .is_some_and(|&extra| {
                    let mut pair = theme.clone();
                    pair.push(extra);
                    let (direct, via_main) = known_link(&m.items, items, &[extra], cfg);
                    m.sup(&pair) != m.sup(&theme)
                        && !direct
                        && !via_main
                        && !is_channel(&m.items, &theme, &[extra], workflow)
                })
    })
}

/// A candidate thread: its strength, its test and its Benjamini-Hochberg q.
type Member = (f64, Tested, f64);

/// Overlapping candidates: the cases of the group's first (strongest) member, ascending, and
/// the members.
type Group = (Vec<u32>, Vec<Member>);

/// Whether two ascending lists of unique rows share `share` or more of the shorter one's
/// rows (`common / shorter >= share`, as floating point). Walks the shorter list, looking
/// each row up in the longer one, and stops as soon as the answer is certain.
fn share_most(x: &[u32], y: &[u32], share: f64) -> bool {
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    let len = short.len() as f64;
    let (mut common, mut from) = (0usize, 0usize);
    for (seen, &row) in short.iter().enumerate() {
        if (common as f64) / len >= share {
            return true;
        }
        // Even if every row still to come is shared, too few.
        if ((common + short.len() - seen) as f64) / len < share {
            return false;
        }
        match long[from..].binary_search(&row) {
            Ok(k) => {
                common += 1;
                from += k + 1;
            }
            Err(k) => from += k,
        }
    }
    (common as f64) / len >= share
}

/// Strongest first; a thread that shares most cases with a stronger one becomes related.
fn accept(m: &Mined, sig: Vec<(Tested, f64)>, cases: &[&Case], cfg: &Config) -> Vec<Thread> {
    let dc = &cfg.draden;
    let mut quantiles = Quantiles::default();
    let mut strength = |t: &Tested| quantiles.ic025(&t.table).max(0.0) * (t.support as f64).sqrt();
    // Each strength once (it takes a gamma quantile), kept with its candidate.
    let mut sig: Vec<Member> = sig.into_iter().map(|(t, q)| (strength(&t), t, q)).collect();
    sig.sort_by(|(sx, x, _), (sy, y, _)| sy.total_cmp(sx).then(x.items.cmp(&y.items)));
    // Group threads that share 80% of their cases (with the group's strongest).
    let mut groups: Vec<Group> = Vec::new();
    for (st, t, q) in sig {
        // `t.tids` is ascending and unique (the rows of a bitset).
        let tids = t.tids.clone();
        let pos = groups.iter().position(|(s, _)| share_most(s, &tids, 0.8));
        match pos {
            Some(k) => groups[k].1.push((st, t, q)),
            None if groups.len() < dc.max_draden => groups.push((tids, vec![(st, t, q)])),
            None => {}
        }
    }
    let id_of = |t: &Tested| {
        let pattern: Vec<(&str, &str)> = t
            .items
            .iter()
            .map(|&i| (m.items.attr(i), m.items.code(i)))
            .collect();
        stable_id("structuur", &pattern)
    };
    let mut accepted: Vec<Thread> = Vec::new();
    for (_, mut members) in groups {
        // A member with a level-2 theme at half the strength or more says more than a main
        // theme: the strongest such member represents the group.
        let top = members[0].0;
        let level2 = |t: &Tested| t.items.iter().any(|&i| m.items.attr(i) == "thema");
        let best = (0..members.len())
            .find(|&k| level2(&members[k].1) && members[k].0 >= 0.5 * top)
            .unwrap_or(0);
        let (st, t, q) = members.remove(best);
        let verwant: Vec<String> = members.iter().map(|(_, o, _)| id_of(o)).collect();
        let tids = &t.tids;
        let pattern: Vec<(&str, &str)> = t
            .items
            .iter()
            .map(|&i| (m.items.attr(i), m.items.code(i)))
            .collect();
        let id = id_of(&t);
        let dp = stats::disproportionality(&t.table);
        let statistiek = Statistic {
            populatie: Some(match t.population {
                None => "alle casussen".to_string(),
                Some(p) => m.items.code(p).to_string(),
            }),
            a: Some(t.table.a),
            b: Some(t.table.b),
            c: Some(t.table.c),
            d: Some(t.table.d),
            verwacht: Some(dp.expected),
            prr: finite(dp.prr),
            prr_laag: finite(dp.prr_lo),
            prr_hoog: finite(dp.prr_hi),
            ic: Some(dp.ic),
            ic025: Some(dp.ic025),
            p: Some(t.p),
            p_bh: Some(q),
            ..Default::default()
        };
        let kenmerken: BTreeMap<String, String> = pattern
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let ids: Vec<String> = tids
            .iter()
            .map(|&i| cases[i as usize].casus_id.clone())
            .collect();
        let mut thread = new_thread(id, ThreadKind::Structural, kenmerken, ids, statistiek, st);
        thread.verwant = verwant;
        accepted.push(thread);
    }
    accepted
}

#[cfg(test)]
mod tests;
