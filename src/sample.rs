//! Deterministic generator of realistic synthetic cases and signals.
//!
//! Used for demos, tests and the evaluation of the thread finder: it draws
//! casussen and signalen that follow the process of the Belangenbehartiger
//! (triage, zienswijze, escalatie, afronding; docs/domein.md#casusproces), the taxonomy of
//! docs/domein.md and a rising intake from 1 March 2025 up to the export date.
//! With `planted = true` five rode draden (combinations of attribute values
//! with their own vocabulary) are planted; their case ids are the ground truth.
//! With `planted = false` every attribute is drawn independently from its
//! marginal distribution (the null sample).
//!
//! Output comes in two shapes: the canonical CSV files of the input contract
//! (`write_canonical`) and the files as a spreadsheet user saves them from
//! Excel, with a `rodedraad.toml` mapping beside them (`write_excel_style`).
//!
//! ```no_run
//! use rodedraad::sample::{generate, write_canonical, SampleOptions};
//! let data = generate(&SampleOptions { seed: 7, ..SampleOptions::default() });
//! assert_eq!(data.planted.len(), 5);
//! write_canonical(&data, std::path::Path::new("voorbeeld")).unwrap();
//! ```

use crate::model::{Case, Signal, CASE_COLUMNS, SIGNAL_COLUMNS};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// Options of the generator.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleOptions {
    pub seed: u64,
    /// `None` = realistic default volume (about 60 cases in 2025, about 250 a year in 2026).
    pub cases: Option<usize>,
    /// Last day of the export; no generated date lies after it (default 2026-10-31).
    pub export_date: NaiveDate,
    /// `true` = plant five rode draden; `false` = null sample with independent attributes.
    pub planted: bool,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            seed: 1,
            cases: None,
            export_date: NaiveDate::from_ymd_opt(2026, 10, 31).expect("valid date"),
            planted: true,
        }
    }
}

/// One planted rode draad: the ground truth for the thread finder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlantedThread {
    pub id: String,
    /// Dutch label.
    pub label: String,
    /// Attribute -> code that all cases of the thread share.
    pub pattern: BTreeMap<String, String>,
    pub casus_ids: Vec<String>,
}

/// Generated cases (sorted by receipt date), signals and planted threads.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleData {
    pub cases: Vec<Case>,
    pub signals: Vec<Signal>,
    pub planted: Vec<PlantedThread>,
}

/// Generates cases, signals and (if asked) planted threads; same options give the same data.
pub fn generate(opts: &SampleOptions) -> SampleData {
    let start = start_date();
    let end = opts.export_date;
    if end < start {
        return SampleData {
            cases: Vec::new(),
            signals: Vec::new(),
            planted: Vec::new(),
        };
    }
    let case_cdf = DayCdf::new(start, end, case_month_weight);
    let signal_cdf = DayCdf::new(start, end, signal_month_weight);
    let n_default = case_cdf.total.round() as usize;
    let n = opts.cases.unwrap_or(n_default);
    let n_signals = match opts.cases {
        None => signal_cdf.total.round() as usize,
        Some(n) => (n as f64 * signal_cdf.total / case_cdf.total).round() as usize,
    };
    let orgs = Orgs::new();
    let specs = thread_specs();
    let counts = if opts.planted {
        planted_counts(&specs, n, n_default)
    } else {
        vec![0; specs.len()]
    };
    let n_planted: usize = counts.iter().sum();
    let n_background = n - n_planted;

    // 1. Receipt dates. Generation index g: background first, then thread by thread.
    let mut keys: Vec<(NaiveDate, u32)> = Vec::with_capacity(n);
    let mut owner: Vec<Option<(u8, u32)>> = vec![None; n]; // thread index, position in thread
    for g in 0..n_background {
        let mut rng = Rng::stream(opts.seed, 1, g as u64);
        keys.push((case_cdf.sample(&mut rng), g as u32));
    }
    let mut g = n_background;
    for (k, spec) in specs.iter().enumerate() {
        let last_quarter_start = (end - Duration::days(91)).max(start);
        for pos in 0..counts[k] {
            let mut rng = Rng::stream(opts.seed, 1, g as u64);
            let date = if spec.rising && rng.chance(0.7) {
                let span = (end - last_quarter_start).num_days();
                last_quarter_start + Duration::days(rng.range(0, span))
            } else {
                case_cdf.sample(&mut rng)
            };
            keys.push((date, g as u32));
            owner[g] = Some((k as u8, pos as u32));
            g += 1;
        }
    }
    keys.sort_unstable();

    // 2. Ids in receipt order (year + sequence), then the cases themselves.
    let seqs = year_sequence(keys.iter().map(|k| k.0));
    let thread_offsets: Vec<usize> = (0..specs.len())
        .map(|k| Rng::stream(opts.seed, 3, k as u64).below(1 << 20))
        .collect();
    let cases: Vec<Case> = par_map(n, |i| {
        let (date, g) = keys[i];
        let id = format!("C-{}-{:04}", date.year(), seqs[i]);
        let mut rng = Rng::stream(opts.seed, 2, g as u64);
        let thread = owner[g as usize]
            .map(|(k, pos)| (&specs[k as usize], pos as usize, thread_offsets[k as usize]));
        make_case(&mut rng, id, date, end, thread, &orgs)
    });
    let mut planted_ids: Vec<Vec<String>> = vec![Vec::new(); specs.len()];
    for (c, &(_, g)) in cases.iter().zip(&keys) {
        if let Some((k, _)) = owner[g as usize] {
            planted_ids[k as usize].push(c.casus_id.clone());
        }
    }

    let signals = make_signals(opts.seed, n_signals, &signal_cdf, &cases, end);
    let planted = if opts.planted {
        specs
            .iter()
            .zip(planted_ids)
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(spec, mut ids)| {
                ids.sort();
                PlantedThread {
                    id: spec.id.to_string(),
                    label: spec.label.to_string(),
                    pattern: spec.pattern(),
                    casus_ids: ids,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    SampleData {
        cases,
        signals,
        planted,
    }
}

/// Writes `casussen.csv`, `signalen.csv` (canonical columns, UTF-8, comma, ISO dates,
/// multi-valued cells joined with `|`, ja/nee) and `geplante-draden.json`.
pub fn write_canonical(data: &SampleData, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let cases = csv_bytes(
        CASE_COLUMNS,
        data.cases.iter().map(case_record),
        b',',
        csv::Terminator::Any(b'\n'),
    )?;
    write_atomic(&dir.join("casussen.csv"), &cases)?;
    let signals = csv_bytes(
        SIGNAL_COLUMNS,
        data.signals.iter().map(signal_record),
        b',',
        csv::Terminator::Any(b'\n'),
    )?;
    write_atomic(&dir.join("signalen.csv"), &signals)?;
    let mut json = serde_json::to_vec_pretty(&data.planted).map_err(io::Error::other)?;
    json.push(b'\n');
    write_atomic(&dir.join("geplante-draden.json"), &json)
}

/// Writes `casussen.csv` and `signalen.csv` as Excel saves them (semicolon, CRLF,
/// dd-mm-jjjj, Windows-1252 without BOM, Dutch headers and values) plus `rodedraad.toml`,
/// the mapping back to the canonical model.
pub fn write_excel_style(data: &SampleData, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let case_headers: Vec<&str> = CASE_SPECS.iter().map(|s| s.header).collect();
    let cases = csv_bytes(
        &case_headers,
        data.cases
            .iter()
            .map(|c| excel_record(&case_record(c), CASE_SPECS)),
        b';',
        csv::Terminator::CRLF,
    )?;
    write_atomic(&dir.join("casussen.csv"), &to_windows_1252(&cases)?)?;
    let signal_headers: Vec<&str> = SIGNAL_SPECS.iter().map(|s| s.header).collect();
    let signals = csv_bytes(
        &signal_headers,
        data.signals
            .iter()
            .map(|s| excel_record(&signal_record(s), SIGNAL_SPECS)),
        b';',
        csv::Terminator::CRLF,
    )?;
    write_atomic(&dir.join("signalen.csv"), &to_windows_1252(&signals)?)?;
    write_atomic(&dir.join("rodedraad.toml"), mapping_toml().as_bytes())
}

// ---------------------------------------------------------------------------
// PRNG (SplitMix64) and sampling helpers
// ---------------------------------------------------------------------------

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

struct Rng(u64);

impl Rng {
    /// Independent stream for (seed, purpose, index).
    fn stream(seed: u64, purpose: u64, index: u64) -> Rng {
        Rng(mix64(mix64(seed ^ 0x5851_f42d_4c95_7f2d).wrapping_add(
            mix64((purpose.wrapping_add(1) << 40) ^ index),
        )))
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.0)
    }
    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }
    /// Uniform integer in [lo, hi].
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    fn pick(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }
    /// Index drawn with probability proportional to the weights.
    fn weighted_index(&mut self, weights: impl Iterator<Item = f64> + Clone) -> usize {
        let total: f64 = weights.clone().sum();
        let mut x = self.f64() * total;
        let mut last = 0;
        for (i, w) in weights.enumerate() {
            if x < w {
                return i;
            }
            x -= w;
            if w > 0.0 {
                last = i;
            }
        }
        last
    }
    fn weighted<'a>(&mut self, table: &[(&'a str, f64)]) -> &'a str {
        table[self.weighted_index(table.iter().map(|t| t.1))].0
    }
}

/// Sequence number within the year of each date (dates sorted).
fn year_sequence(dates: impl Iterator<Item = NaiveDate>) -> Vec<u32> {
    let mut year = i32::MIN;
    let mut seq = 0;
    dates
        .map(|d| {
            if d.year() != year {
                year = d.year();
                seq = 0;
            }
            seq += 1;
            seq
        })
        .collect()
}

/// `(0..n).map(f).collect()`, spread over the available cores for large n. Each item
/// depends only on its index, so the result does not depend on the number of threads.
fn par_map<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = if n < 50_000 {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |p| p.get())
            .min(8)
    };
    if threads <= 1 {
        return (0..n).map(f).collect();
    }
    let chunk = n.div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t * chunk..((t + 1) * chunk).min(n))
                        .map(f)
                        .collect::<Vec<T>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(n);
        for h in handles {
            out.extend(h.join().expect("generator thread panicked"));
        }
        out
    })
}

fn start_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 1).expect("valid date")
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let first_next = NaiveDate::from_ymd_opt(ny, nm, 1).expect("valid date");
    let first = NaiveDate::from_ymd_opt(y, m, 1).expect("valid date");
    (first_next - first).num_days() as u32
}

/// Months since March 2025 (0 = March 2025).
fn month_index(y: i32, m: u32) -> i64 {
    (y as i64 - 2025) * 12 + m as i64 - 3
}

/// Expected cases per month: 60 in March-December 2025, 250 in 2026, then +1.5 a month.
fn case_month_weight(y: i32, m: u32) -> f64 {
    const TABLE: [f64; 22] = [
        2.0, 3.0, 4.0, 5.0, 5.0, 6.0, 7.0, 8.0, 9.0, 11.0, // 2025
        14.0, 15.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 25.0, 27.0, 29.0, // 2026
    ];
    match month_index(y, m) {
        i if i < 0 => 0.0,
        i if (i as usize) < TABLE.len() => TABLE[i as usize],
        i => 29.0 + 1.5 * (i - 21) as f64,
    }
}

/// Expected signals per month: 162 in March-December 2025, 330 in 2026.
fn signal_month_weight(y: i32, m: u32) -> f64 {
    match month_index(y, m) {
        i if i < 0 => 0.0,
        i if i < 10 => [10.0, 12.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0][i as usize],
        i => 22.0 + (i - 10) as f64,
    }
}

/// Cumulative daily intensity from the start date to the export date.
struct DayCdf {
    start: NaiveDate,
    cum: Vec<f64>,
    total: f64,
}

impl DayCdf {
    fn new(start: NaiveDate, end: NaiveDate, month_weight: fn(i32, u32) -> f64) -> DayCdf {
        let mut cum = Vec::new();
        let mut total = 0.0;
        let mut d = start;
        while d <= end {
            total += month_weight(d.year(), d.month()) / days_in_month(d.year(), d.month()) as f64;
            cum.push(total);
            d += Duration::days(1);
        }
        DayCdf { start, cum, total }
    }
    fn sample(&self, rng: &mut Rng) -> NaiveDate {
        let x = rng.f64() * self.total;
        let i = self
            .cum
            .partition_point(|&c| c <= x)
            .min(self.cum.len() - 1);
        self.start + Duration::days(i as i64)
    }
}

fn day(d: NaiveDate, n: i64) -> NaiveDate {
    d + Duration::days(n)
}

// ---------------------------------------------------------------------------
// Marginal distributions (docs/domein.md#taxonomie, assumptions in docs/domein.md#voorbeelddata)
// ---------------------------------------------------------------------------

const THEMA_WEIGHTS: &[(&str, f64)] = &[
    ("toeslagen.terugvordering", 9.0),
    ("toeslagen.voorschot", 4.0),
    ("toeslagen.partner_samenloop", 4.0),
    ("toeslagen.niet_gebruik", 2.0),
    ("toeslagen.kinderopvang", 3.0),
    ("toeslagen.herstel", 4.0),
    ("toeslagen.bewijsstukken", 3.0),
    ("invordering.betalingsregeling", 6.0),
    ("invordering.beslag_bestaansminimum", 3.0),
    ("invordering.verrekening", 4.0),
    ("invordering.kwijtschelding", 3.0),
    ("invordering.dwangbevel_kosten", 2.0),
    ("invordering.uitstel", 2.0),
    ("inkomstenbelasting.aangifte_fout", 4.0),
    ("inkomstenbelasting.box3", 3.0),
    ("inkomstenbelasting.navordering", 3.0),
    ("inkomstenbelasting.voorlopige_aanslag", 3.0),
    ("ondernemers.btw", 3.0),
    ("ondernemers.loonheffing", 2.0),
    ("ondernemers.boete", 2.0),
    ("ondernemers.uitstel_coronaschuld", 1.0),
    ("ondernemers.zzp_status", 2.0),
    ("dienstverlening.bereikbaarheid", 3.0),
    ("dienstverlening.brieven_jargon", 3.0),
    ("dienstverlening.kastje_muur", 4.0),
    ("dienstverlening.digid_machtiging", 2.0),
    ("dienstverlening.doorlooptijd", 3.0),
    ("rechtsbescherming.termijnoverschrijding", 2.0),
    ("rechtsbescherming.hardheid", 3.0),
    ("rechtsbescherming.fraudestempel", 1.5),
    ("rechtsbescherming.risicoselectie", 1.5),
    ("douane.invoer", 1.0),
    ("douane.vergunning", 0.5),
    ("overig.overig", 2.5),
];

const AANDRAGER_WEIGHTS: &[(&str, f64)] = &[
    ("sociaal_raadslieden", 18.0),
    ("schuldhulpverlening", 10.0),
    ("maatschappelijk_werk", 8.0),
    ("wijkteam", 8.0),
    ("juridisch_loket", 7.0),
    ("belastingadviseur", 8.0),
    ("ouderenorganisatie", 4.0),
    ("vakbond", 3.0),
    ("belastingdienst", 12.0),
    ("dienst_toeslagen", 10.0),
    ("ibtd", 1.0),
    ("nationale_ombudsman", 3.0),
    ("burger_zelf", 6.0),
    ("overig", 2.0),
];

/// Organisations per aandrager_type (burger_zelf has none).
const ORG_COUNTS: &[(&str, usize)] = &[
    ("sociaal_raadslieden", 6),
    ("schuldhulpverlening", 5),
    ("maatschappelijk_werk", 4),
    ("wijkteam", 5),
    ("juridisch_loket", 3),
    ("belastingadviseur", 5),
    ("ouderenorganisatie", 4),
    ("vakbond", 2),
    ("belastingdienst", 3),
    ("dienst_toeslagen", 3),
    ("ibtd", 1),
    ("nationale_ombudsman", 1),
    ("overig", 3),
];

/// Doelgroepen outside the business themes.
const DOELGROEP_WEIGHTS: &[(&str, f64)] = &[
    ("particulier", 20.0),
    ("ouderen", 10.0),
    ("jongeren", 5.0),
    ("gezin_met_kinderen", 12.0),
    ("alleenstaande_ouder", 8.0),
    ("schulden", 12.0),
    ("laaggeletterd", 6.0),
    ("nieuwkomer", 5.0),
    ("beperking", 6.0),
    ("gedupeerde_herstel", 3.0),
    ("buitenland", 3.0),
    ("mantelzorger", 3.0),
    ("zzp", 3.0),
    ("mkb", 2.0),
];

const LEVENSGEBEURTENIS_WEIGHTS: &[(&str, f64)] = &[
    ("geen", 50.0),
    ("scheiding", 8.0),
    ("overlijden_partner", 5.0),
    ("achttien_worden", 3.0),
    ("werkloos", 8.0),
    ("ziekte_arbeidsongeschikt", 8.0),
    ("start_onderneming", 3.0),
    ("stop_onderneming", 3.0),
    ("verhuizing_buitenland", 2.0),
    ("opname_zorginstelling", 2.0),
    ("pensioen", 4.0),
];

const TOESLAG_REGELINGEN: &[(&str, f64)] = &[
    ("huurtoeslag", 40.0),
    ("zorgtoeslag", 30.0),
    ("kindgebonden_budget", 15.0),
    ("kinderopvangtoeslag", 15.0),
];

const BELASTING_REGELINGEN: &[(&str, f64)] = &[
    ("inkomstenbelasting", 55.0),
    ("motorrijtuigenbelasting", 15.0),
    ("btw", 8.0),
    ("erf_schenkbelasting", 5.0),
    ("vennootschapsbelasting", 2.0),
    ("overig", 15.0),
];

/// Dienst and regeling that fit the theme (docs/domein.md#voorbeelddata).
fn dienst_regeling(rng: &mut Rng, thema: &str) -> (String, Option<String>) {
    let (hoofd, sub) = thema.split_once('.').unwrap_or((thema, ""));
    let by_dienst = |rng: &mut Rng, dienst: &str| -> Option<String> {
        let table = match dienst {
            "dienst_toeslagen" => TOESLAG_REGELINGEN,
            "beide" => {
                if rng.chance(0.5) {
                    TOESLAG_REGELINGEN
                } else {
                    BELASTING_REGELINGEN
                }
            }
            _ => BELASTING_REGELINGEN,
        };
        Some(rng.weighted(table).to_string())
    };
    let (dienst, regeling) = match hoofd {
        "toeslagen" => {
            let r = match sub {
                "kinderopvang" | "herstel" => "kinderopvangtoeslag",
                _ => rng.weighted(TOESLAG_REGELINGEN),
            };
            ("dienst_toeslagen", Some(r.to_string()))
        }
        "invordering" => {
            let d = rng.weighted(&[
                ("belastingdienst", 65.0),
                ("dienst_toeslagen", 20.0),
                ("beide", 15.0),
            ]);
            (d, by_dienst(rng, d))
        }
        "inkomstenbelasting" => ("belastingdienst", Some("inkomstenbelasting".to_string())),
        "ondernemers" => {
            let r = match sub {
                "btw" => "btw",
                "loonheffing" => "loonheffingen",
                "zzp_status" => "inkomstenbelasting",
                _ => rng.weighted(&[
                    ("btw", 45.0),
                    ("loonheffingen", 30.0),
                    ("inkomstenbelasting", 25.0),
                ]),
            };
            ("belastingdienst", Some(r.to_string()))
        }
        "dienstverlening" | "rechtsbescherming" => {
            let d = if sub == "fraudestempel" {
                rng.weighted(&[("dienst_toeslagen", 70.0), ("belastingdienst", 30.0)])
            } else {
                rng.weighted(&[
                    ("belastingdienst", 50.0),
                    ("dienst_toeslagen", 35.0),
                    ("beide", 15.0),
                ])
            };
            let r = if rng.chance(0.25) {
                None
            } else {
                by_dienst(rng, d)
            };
            (d, r)
        }
        "douane" => ("douane", Some("douane".to_string())),
        _ => {
            let d = rng.weighted(&[("anders", 60.0), ("belastingdienst", 40.0)]);
            let r = if rng.chance(0.5) {
                Some("overig".to_string())
            } else {
                None
            };
            (d, r)
        }
    };
    (dienst.to_string(), regeling)
}

/// Doelgroepen drawn independently of each other (process rules aside).
fn draw_doelgroep(rng: &mut Rng, thema: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if thema.starts_with("ondernemers.") {
        out.push(rng.weighted(&[("zzp", 40.0), ("mkb", 60.0)]).to_string());
        if rng.chance(0.25) {
            push_distinct(&mut out, rng.weighted(DOELGROEP_WEIGHTS));
        }
        return out;
    }
    if rng.chance(0.03) {
        return out;
    }
    let extra = rng.weighted_index([60.0, 30.0, 10.0].into_iter());
    for _ in 0..=extra {
        push_distinct(&mut out, rng.weighted(DOELGROEP_WEIGHTS));
    }
    if thema.starts_with("invordering.") && rng.chance(0.45) {
        push_distinct(&mut out, "schulden");
    }
    if thema == "toeslagen.herstel" {
        push_distinct(&mut out, "gedupeerde_herstel");
    }
    out
}

fn push_distinct(v: &mut Vec<String>, code: &str) {
    if !v.iter().any(|x| x == code) {
        v.push(code.to_string());
    }
}

// ---------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------

struct Org {
    id: String,
    typ: &'static str,
    weight: f64,
}

struct Orgs {
    all: Vec<Org>,
    /// Organisation indices per aandrager_type.
    by_type: BTreeMap<&'static str, Vec<usize>>,
}

impl Orgs {
    /// A fixed set of pseudonymous organisations (the same for every seed).
    fn new() -> Orgs {
        let mut rng = Rng::stream(0x0A6, 0, 0);
        let total: usize = ORG_COUNTS.iter().map(|t| t.1).sum();
        let mut numbers: Vec<u32> = Vec::with_capacity(total);
        while numbers.len() < total {
            let x = rng.range(1, 120) as u32;
            if !numbers.contains(&x) {
                numbers.push(x);
            }
        }
        let mut all = Vec::with_capacity(total);
        let mut i = 0;
        for &(typ, count) in ORG_COUNTS {
            for _ in 0..count {
                all.push(Org {
                    id: format!("ORG-{:04}", numbers[i]),
                    typ,
                    weight: 0.4 + 1.6 * rng.f64(),
                });
                i += 1;
            }
        }
        let mut by_type: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
        for (i, o) in all.iter().enumerate() {
            by_type.entry(o.typ).or_default().push(i);
        }
        Orgs { all, by_type }
    }
    fn of_type(&self, typ: &str) -> Vec<&Org> {
        self.by_type
            .get(typ)
            .map(|v| v.iter().map(|&i| &self.all[i]).collect())
            .unwrap_or_default()
    }
    fn pick_of_type(&self, rng: &mut Rng, typ: &str) -> Option<String> {
        let list = self.by_type.get(typ)?;
        let i = rng.weighted_index(list.iter().map(|&i| self.all[i].weight));
        Some(self.all[list[i]].id.clone())
    }
}

// ---------------------------------------------------------------------------
// Planted threads
// ---------------------------------------------------------------------------

struct ThreadSpec {
    id: &'static str,
    label: &'static str,
    thema: &'static str,
    regeling: Option<&'static str>,
    doelgroep: &'static str,
    levensgebeurtenis: Option<&'static str>,
    aandrager_type: Option<&'static str>,
    /// Cases at the default volume (254 cases up to 2026-10-31).
    base: f64,
    /// 70% of the cases in the last quarter before the export date.
    rising: bool,
    sentences: &'static [&'static str],
}

impl ThreadSpec {
    fn pattern(&self) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        p.insert("thema".to_string(), self.thema.to_string());
        p.insert("doelgroep".to_string(), self.doelgroep.to_string());
        if let Some(r) = self.regeling {
            p.insert("regeling".to_string(), r.to_string());
        }
        if let Some(l) = self.levensgebeurtenis {
            p.insert("levensgebeurtenis".to_string(), l.to_string());
        }
        if let Some(a) = self.aandrager_type {
            p.insert("aandrager_type".to_string(), a.to_string());
        }
        p
    }
}

fn thread_specs() -> Vec<ThreadSpec> {
    vec![
        ThreadSpec {
            id: "D1",
            label: "Terugvordering huurtoeslag bij ouderen na pensionering",
            thema: "toeslagen.terugvordering",
            regeling: Some("huurtoeslag"),
            doelgroep: "ouderen",
            levensgebeurtenis: Some("pensioen"),
            aandrager_type: None,
            base: 12.0,
            rising: false,
            sentences: T1_AOW,
        },
        ThreadSpec {
            id: "D2",
            label: "Beslag onder de beslagvrije voet tijdens een schuldhulptraject",
            thema: "invordering.beslag_bestaansminimum",
            regeling: None,
            doelgroep: "schulden",
            levensgebeurtenis: None,
            aandrager_type: Some("schuldhulpverlening"),
            base: 10.0,
            rising: false,
            sentences: T2_BESLAG,
        },
        ThreadSpec {
            id: "D3",
            label: "Ouderen lopen vast op DigiD en machtigen",
            thema: "dienstverlening.digid_machtiging",
            regeling: None,
            doelgroep: "ouderen",
            levensgebeurtenis: None,
            aandrager_type: Some("ouderenorganisatie"),
            base: 10.0,
            rising: false,
            sentences: T3_DIGID,
        },
        ThreadSpec {
            id: "D4",
            label: "Zzp'ers kunnen de betalingsregeling voor de coronaschuld niet volhouden",
            thema: "ondernemers.uitstel_coronaschuld",
            regeling: None,
            doelgroep: "zzp",
            levensgebeurtenis: None,
            aandrager_type: None,
            base: 14.0,
            rising: true,
            sentences: T4_CORONA,
        },
        ThreadSpec {
            id: "D5",
            label: "Terugvordering kinderopvangtoeslag bij alleenstaande ouders na scheiding",
            thema: "toeslagen.kinderopvang",
            regeling: None,
            doelgroep: "alleenstaande_ouder",
            levensgebeurtenis: Some("scheiding"),
            aandrager_type: None,
            base: 11.0,
            rising: false,
            sentences: T5_KOT,
        },
    ]
}

/// Cases per thread: proportional to the volume, at least 8 once n >= 120, at most a third of n.
fn planted_counts(specs: &[ThreadSpec], n: usize, n_default: usize) -> Vec<usize> {
    let scale = if n_default == 0 {
        0.0
    } else {
        n as f64 / n_default as f64
    };
    let floor = 8.min(n / 15);
    let mut counts: Vec<usize> = specs
        .iter()
        .map(|s| ((s.base * scale).round() as usize).max(floor))
        .collect();
    let total: usize = counts.iter().sum();
    if total > n / 3 {
        let f = (n / 3) as f64 / total as f64;
        for c in &mut counts {
            *c = (*c as f64 * f).floor() as usize;
        }
    }
    counts
}

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------

fn make_case(
    rng: &mut Rng,
    id: String,
    ontvangen: NaiveDate,
    end: NaiveDate,
    thread: Option<(&ThreadSpec, usize, usize)>,
    orgs: &Orgs,
) -> Case {
    let mut c = Case {
        casus_id: id,
        ontvangen_op: ontvangen,
        ..Case::default()
    };
    match thread {
        None => {
            c.thema = rng.weighted(THEMA_WEIGHTS).to_string();
            c.aandrager_type = rng.weighted(AANDRAGER_WEIGHTS).to_string();
            c.aandrager_id = orgs.pick_of_type(rng, &c.aandrager_type);
            let (d, r) = dienst_regeling(rng, &c.thema);
            c.dienst = Some(crate::model::Service::parse(&d).expect("code uit het invoercontract"));
            c.regeling = r;
            c.doelgroep = draw_doelgroep(rng, &c.thema);
            c.levensgebeurtenis = if rng.chance(0.04) {
                None
            } else {
                Some(rng.weighted(LEVENSGEBEURTENIS_WEIGHTS).to_string())
            };
        }
        Some((spec, pos, offset)) => {
            c.thema = spec.thema.to_string();
            // Organisations: the first cases of a thread go to distinct organisations.
            let eligible: Vec<&Org> = match spec.aandrager_type {
                Some(t) => orgs.of_type(t),
                None => orgs
                    .all
                    .iter()
                    .filter(|o| HELPER_TYPES.contains(&o.typ))
                    .collect(),
            };
            if pos < eligible.len().min(4) {
                let org = eligible[(pos + offset) % eligible.len()];
                c.aandrager_type = org.typ.to_string();
                c.aandrager_id = Some(org.id.clone());
            } else if spec.aandrager_type.is_none() && rng.chance(0.3) {
                // Part of the thread comes in through the general intake channels.
                c.aandrager_type = rng.weighted(AANDRAGER_WEIGHTS).to_string();
                c.aandrager_id = orgs.pick_of_type(rng, &c.aandrager_type);
            } else {
                let org = eligible[rng.weighted_index(eligible.iter().map(|o| o.weight))];
                c.aandrager_type = org.typ.to_string();
                c.aandrager_id = Some(org.id.clone());
            }
            let (d, r) = dienst_regeling(rng, &c.thema);
            c.dienst = Some(crate::model::Service::parse(&d).expect("code uit het invoercontract"));
            c.regeling = spec.regeling.map(str::to_string).or(r);
            c.doelgroep = vec![spec.doelgroep.to_string()];
            if spec.thema.starts_with("ondernemers.") && !matches!(spec.doelgroep, "zzp" | "mkb") {
                c.doelgroep.push("mkb".to_string());
            }
            if rng.chance(0.3) {
                push_distinct(&mut c.doelgroep, rng.weighted(DOELGROEP_WEIGHTS));
            }
            if spec.thema.starts_with("invordering.") && rng.chance(0.3) {
                push_distinct(&mut c.doelgroep, "laaggeletterd");
            }
            c.levensgebeurtenis = match spec.levensgebeurtenis {
                Some(l) => Some(l.to_string()),
                None => Some(rng.weighted(LEVENSGEBEURTENIS_WEIGHTS).to_string()),
            };
        }
    }
    fill_process(rng, &mut c, end, thread.is_some());
    c.samenvatting = Some(samenvatting(rng, &c, thread.map(|t| t.0)));
    if c.afgerond_op.is_some() && rng.chance(0.4) {
        c.geleerde_les = Some(geleerde_les(rng, &c));
    }
    c
}

const HELPER_TYPES: &[&str] = &[
    "sociaal_raadslieden",
    "schuldhulpverlening",
    "maatschappelijk_werk",
    "wijkteam",
    "juridisch_loket",
    "belastingadviseur",
    "ouderenorganisatie",
    "vakbond",
];

fn fill_process(rng: &mut Rng, c: &mut Case, end: NaiveDate, planted: bool) {
    let o = c.ontvangen_op;
    c.complexiteit = if rng.chance(0.03) {
        None
    } else {
        Some(rng.weighted_index([45.0, 35.0, 20.0].into_iter()) as u8 + 1)
    };
    let spoed = rng.chance(0.10);
    c.spoed = Some(spoed);
    c.pauzeknop = Some(false);
    let t = if spoed {
        day(o, rng.range(0, 3))
    } else {
        // Skewed towards a quick triage, at most three weeks.
        day(o, rng.range(0, 21).min(rng.range(0, 21)))
    };
    if t > end {
        return; // still in intake
    }
    c.triage_op = Some(t);
    let besluit = if planted {
        rng.weighted(&[
            ("behandelen", 70.0),
            ("doorverwijzen", 20.0),
            ("niet_behandelen", 10.0),
        ])
    } else {
        rng.weighted(&[
            ("behandelen", 55.0),
            ("doorverwijzen", 30.0),
            ("niet_behandelen", 15.0),
        ])
    };
    c.triage_besluit =
        Some(crate::model::TriageDecision::parse(&besluit).expect("code uit het invoercontract"));
    match besluit {
        "doorverwijzen" => {
            c.warm_doorverwezen = Some(rng.chance(0.7));
            c.doorverwezen_naar =
                Some(rng.weighted(doorverwijs_table(c.thema_hoofd())).to_string());
        }
        "behandelen" => treat(rng, c, t, end, spoed),
        _ => {}
    }
}

fn doorverwijs_table(hoofd: &str) -> &'static [(&'static str, f64)] {
    match hoofd {
        "toeslagen" => &[
            ("dienst_toeslagen", 40.0),
            ("gemeente", 25.0),
            ("juridisch_loket", 20.0),
            ("schuldhulpverlening", 15.0),
        ],
        "invordering" => &[
            ("schuldhulpverlening", 40.0),
            ("belastingdienst", 35.0),
            ("gemeente", 15.0),
            ("juridisch_loket", 10.0),
        ],
        "inkomstenbelasting" => &[
            ("belastingdienst", 50.0),
            ("juridisch_loket", 25.0),
            ("advocatuur", 25.0),
        ],
        "ondernemers" => &[
            ("belastingdienst", 50.0),
            ("advocatuur", 30.0),
            ("gemeente", 20.0),
        ],
        "dienstverlening" => &[
            ("belastingdienst", 35.0),
            ("dienst_toeslagen", 30.0),
            ("gemeente", 35.0),
        ],
        "rechtsbescherming" => &[
            ("juridisch_loket", 40.0),
            ("advocatuur", 30.0),
            ("nationale_ombudsman", 30.0),
        ],
        "douane" => &[("douane", 100.0)],
        _ => &[
            ("gemeente", 30.0),
            ("uwv", 25.0),
            ("svb", 25.0),
            ("juridisch_loket", 20.0),
        ],
    }
}

/// The path of a case that is taken on: zienswijze, reactie, escalatie, afronding.
fn treat(rng: &mut Rng, c: &mut Case, t: NaiveDate, end: NaiveDate, spoed: bool) {
    let o = c.ontvangen_op;
    c.geescaleerd = Some(false);
    c.pauzeknop = Some(rng.chance(0.09));
    let stalled = rng.chance(0.04);
    let median: f64 = if spoed { 40.0 } else { 70.0 };
    let duration = (median.ln() + 0.55 * rng.normal())
        .exp()
        .clamp(20.0, 200.0)
        .round() as i64;
    let mut last = t;
    let mut reactie: Option<&str> = None;
    let mut escalated = false;
    let mut open = stalled;
    if rng.chance(0.85) {
        let z = if spoed {
            day(t, rng.range(5, 20))
        } else {
            day(t, rng.range(10, 60))
        };
        if z > end {
            open = true;
        } else {
            c.zienswijze_op = Some(z);
            last = z;
            let r = day(z, rng.range(7, 28));
            if r > end {
                open = true;
            } else {
                let code = rng.weighted(&[
                    ("overgenomen", 55.0),
                    ("deels_overgenomen", 20.0),
                    ("niet_overgenomen", 15.0),
                    ("geen_reactie", 10.0),
                ]);
                reactie = Some(code);
                c.zienswijze_reactie = Some(
                    crate::model::AdviceResponse::parse(&code)
                        .expect("code uit het invoercontract"),
                );
                last = r;
                let p_esc = match code {
                    "overgenomen" => 0.03,
                    "deels_overgenomen" => 0.15,
                    "niet_overgenomen" => 0.45,
                    _ => 0.30,
                };
                if rng.chance(p_esc) {
                    let e = day(r, rng.range(7, 30));
                    if e > end {
                        open = true;
                    } else {
                        escalated = true;
                        c.geescaleerd = Some(true);
                        let niveau = if code == "niet_overgenomen" {
                            rng.weighted(&[
                                ("teamleider", 35.0),
                                ("directeur", 40.0),
                                ("directeur_generaal", 25.0),
                            ])
                        } else {
                            rng.weighted(&[
                                ("teamleider", 60.0),
                                ("directeur", 28.0),
                                ("directeur_generaal", 12.0),
                            ])
                        };
                        c.escalatie_niveau = Some(
                            crate::model::EscalationLevel::parse(&niveau)
                                .expect("code uit het invoercontract"),
                        );
                        last = e;
                    }
                }
            }
        }
    }
    let a = day(o, duration).max(day(last, rng.range(5, 30)));
    if open || a > end {
        c.uitkomst = if rng.chance(0.75) {
            Some(crate::model::Outcome::Ongoing)
        } else {
            None
        };
        return;
    }
    c.afgerond_op = Some(a);
    let uitkomst = match (reactie, escalated) {
        (None, _) => rng.weighted(&[
            ("opgelost", 60.0),
            ("deels_opgelost", 15.0),
            ("ingetrokken", 25.0),
        ]),
        (Some("overgenomen"), _) => rng.weighted(&[
            ("opgelost", 80.0),
            ("deels_opgelost", 15.0),
            ("niet_opgelost", 3.0),
            ("ingetrokken", 2.0),
        ]),
        (Some("deels_overgenomen"), _) => rng.weighted(&[
            ("deels_opgelost", 60.0),
            ("opgelost", 25.0),
            ("niet_opgelost", 15.0),
        ]),
        (Some(_), true) => rng.weighted(&[
            ("opgelost", 35.0),
            ("deels_opgelost", 25.0),
            ("niet_opgelost", 40.0),
        ]),
        (Some(_), false) => rng.weighted(&[
            ("niet_opgelost", 65.0),
            ("deels_opgelost", 20.0),
            ("ingetrokken", 15.0),
        ]),
    };
    c.uitkomst =
        Some(crate::model::Outcome::parse(&uitkomst).expect("code uit het invoercontract"));
    let shift = match uitkomst {
        "niet_opgelost" => -2,
        "deels_opgelost" | "ingetrokken" => -1,
        _ => 0,
    };
    c.beleving_burger = score(rng, 0.70, shift);
    c.beleving_eerstelijnshelper = if c.aandrager_type == "burger_zelf" {
        None
    } else {
        score(rng, 0.80, shift)
    };
    c.beleving_helper_dienst = score(rng, 0.75, 0);
    c.verhaal_vrijgegeven = Some(rng.chance(0.15));
}

/// A score 1-10 skewed to 6-9, present with probability `p`.
fn score(rng: &mut Rng, p: f64, shift: i32) -> Option<u8> {
    if !rng.chance(p) {
        return None;
    }
    const W: [f64; 10] = [1.0, 1.0, 2.0, 3.0, 5.0, 10.0, 18.0, 24.0, 20.0, 8.0];
    let s = rng.weighted_index(W.iter().copied()) as i32 + 1 + shift;
    Some(s.clamp(1, 10) as u8)
}

// ---------------------------------------------------------------------------
// Signals
// ---------------------------------------------------------------------------

const BRON_WEIGHTS: &[(&str, f64)] = &[
    ("ksm", 34.0),
    ("eigen_casuistiek", 24.0),
    ("maatschappelijke_partner", 26.0),
    ("ibtd", 4.0),
    ("belastingdienst", 4.0),
    ("dienst_toeslagen", 4.0),
    ("nationale_ombudsman", 4.0),
];

fn make_signals(seed: u64, n: usize, cdf: &DayCdf, cases: &[Case], end: NaiveDate) -> Vec<Signal> {
    let mut dates: Vec<NaiveDate> = (0..n)
        .map(|k| cdf.sample(&mut Rng::stream(seed, 4, k as u64)))
        .collect();
    dates.sort_unstable();
    let seqs = year_sequence(dates.iter().copied());
    // Case indices per theme, in receipt order.
    let mut by_thema: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        by_thema.entry(c.thema.as_str()).or_default().push(i);
    }
    par_map(n, |k| {
        let date = dates[k];
        let mut rng = Rng::stream(seed, 5, k as u64);
        let mut s = Signal {
            signaal_id: format!("S-{}-{:04}", date.year(), seqs[k]),
            gemeld_op: date,
            ..Signal::default()
        };
        let bron = rng.weighted(BRON_WEIGHTS);
        s.bron =
            Some(crate::model::SignalSource::parse(&bron).expect("code uit het invoercontract"));
        let link = (bron == "eigen_casuistiek" && rng.chance(0.95))
            || (bron == "maatschappelijke_partner" && rng.chance(0.08));
        let prefix = cases.partition_point(|c| c.ontvangen_op <= date);
        if link && prefix > 0 {
            // Anchor: an earlier case, recent ones more likely; the others share its theme.
            let u = rng.f64();
            let anchor = prefix - 1 - ((prefix as f64 * u * u) as usize).min(prefix - 1);
            let a = &cases[anchor];
            s.thema = Some(a.thema.clone());
            s.regeling = a.regeling.clone();
            s.doelgroep = a.doelgroep.clone();
            let same = &by_thema[a.thema.as_str()];
            let avail = same.partition_point(|&i| i < prefix);
            let want = rng.weighted_index([40.0, 30.0, 18.0, 12.0].into_iter()) + 1;
            let mut ids = vec![a.casus_id.clone()];
            for _ in 0..want * 3 {
                if ids.len() >= want.min(avail) {
                    break;
                }
                let j = same[avail - 1 - rng.below(avail.min(40))];
                let id = &cases[j].casus_id;
                if !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
            ids.sort();
            s.casus_ids = ids;
        } else {
            if !rng.chance(0.05) {
                let t = rng.weighted(THEMA_WEIGHTS);
                s.thema = Some(t.to_string());
                let (_, r) = dienst_regeling(&mut rng, t);
                s.regeling = if rng.chance(0.2) { None } else { r };
                if t.starts_with("ondernemers.") {
                    s.doelgroep = draw_doelgroep(&mut rng, t);
                    s.doelgroep.truncate(1);
                }
            }
            if s.doelgroep.is_empty() {
                for _ in 0..rng.weighted_index([35.0, 45.0, 20.0].into_iter()) {
                    push_distinct(&mut s.doelgroep, rng.weighted(DOELGROEP_WEIGHTS));
                }
            }
        }
        s.omschrijving = Some(signal_text(&mut rng, &s));
        signal_status(&mut rng, &mut s, end);
        s
    })
}

fn signal_status(rng: &mut Rng, s: &mut Signal, end: NaiveDate) {
    let age = (end - s.gemeld_op).num_days();
    let status = if age < 14 {
        rng.weighted(&[("nieuw", 70.0), ("in_analyse", 30.0)])
    } else if age < 45 {
        rng.weighted(&[("nieuw", 15.0), ("in_analyse", 45.0), ("doorgezet", 40.0)])
    } else {
        rng.weighted(&[
            ("in_analyse", 8.0),
            ("doorgezet", 20.0),
            ("in_behandeling", 20.0),
            ("opgepakt", 20.0),
            ("niet_opgepakt", 10.0),
            ("afgerond", 22.0),
        ])
    };
    s.status =
        Some(crate::model::SignalStatus::parse(&status).expect("code uit het invoercontract"));
    let forwarded = match status {
        "nieuw" | "in_analyse" => false,
        "afgerond" => rng.chance(0.8),
        _ => true,
    };
    let hoofd = s.thema.as_deref().map(|t| t.split('.').next().unwrap_or(t));
    let mut last = s.gemeld_op;
    if forwarded {
        let naar = rng.weighted(ontvanger_table(hoofd));
        let d = day(s.gemeld_op, rng.range(1, age.clamp(1, 60)));
        s.doorgezet_naar =
            Some(crate::model::Recipient::parse(&naar).expect("code uit het invoercontract"));
        s.doorgezet_op = Some(d);
        s.eigenaar = Some(rng.pick(eigenaar_list(naar, hoofd)).to_string());
        s.reactie_verwacht_op = Some(day(d, if rng.chance(0.5) { 42 } else { 91 }));
        last = d;
    }
    let feedback = match status {
        "opgepakt" | "niet_opgepakt" => true,
        "afgerond" => rng.chance(0.9),
        "in_behandeling" => rng.chance(0.3),
        _ => false,
    };
    if feedback {
        let f = day(last, rng.range(14, 120)).min(end).max(last);
        s.terugkoppeling_op = Some(f);
        let bank: &[&str] = match status {
            "opgepakt" => FEEDBACK_OPGEPAKT,
            "niet_opgepakt" => FEEDBACK_NIET,
            "in_behandeling" => FEEDBACK_TUSSEN,
            _ => FEEDBACK_AFGEROND,
        };
        s.terugkoppeling = Some(rng.pick(bank).to_string());
    }
}

fn ontvanger_table(hoofd: Option<&str>) -> &'static [(&'static str, f64)] {
    match hoofd {
        Some("toeslagen") => &[
            ("dienst_toeslagen", 45.0),
            ("ksm", 25.0),
            ("ibtd", 10.0),
            ("ministerie", 15.0),
            ("wetgever", 5.0),
        ],
        Some("rechtsbescherming") => &[
            ("ministerie", 30.0),
            ("wetgever", 20.0),
            ("ibtd", 25.0),
            ("belastingdienst", 25.0),
        ],
        Some("douane") => &[
            ("belastingdienst", 40.0),
            ("ibtd", 30.0),
            ("ministerie", 30.0),
        ],
        Some("overig") | None => &[("ksm", 50.0), ("ibtd", 25.0), ("ministerie", 25.0)],
        Some(_) => &[
            ("ksm", 45.0),
            ("belastingdienst", 25.0),
            ("ibtd", 10.0),
            ("ministerie", 15.0),
            ("wetgever", 5.0),
        ],
    }
}

/// Signal owners are organisational units, never persons.
fn eigenaar_list(naar: &str, hoofd: Option<&str>) -> &'static [&'static str] {
    let toeslagen = hoofd == Some("toeslagen");
    match naar {
        "ministerie" if toeslagen => &["Ministerie van Financiën, directie Toeslagen"],
        "ksm" if toeslagen => &["Signaaleigenaar KSM, Dienst Toeslagen"],
        "ksm" => &[
            "Signaaleigenaar KSM, directie Particulieren",
            "Signaaleigenaar KSM, directie Midden- en Kleinbedrijf",
            "Signaaleigenaar KSM, Klantinteractie en -Services",
        ],
        "belastingdienst" => &[
            "Belastingdienst, directie Particulieren",
            "Belastingdienst, Centrale Administratieve Processen",
            "Belastingdienst, team Invordering",
        ],
        "dienst_toeslagen" => &[
            "Dienst Toeslagen, directie Uitvoering",
            "Dienst Toeslagen, team Signaalmanagement",
        ],
        "ibtd" => &["IBTD, team Toezicht"],
        "ministerie" => &[
            "Ministerie van Financiën, directie Algemene Fiscale Politiek",
            "Ministerie van Financiën, directie Fiscale Uitvoering",
        ],
        _ => &["Ministerie van Financiën, wetgevingsteam"],
    }
}

// ---------------------------------------------------------------------------
// Free text (Dutch). No names, numbers or addresses: nothing that leads to a person.
// ---------------------------------------------------------------------------

/// Noun phrase of a regeling, with article, for the `{R}` slot.
fn regeling_np(regeling: Option<&str>, hoofd: &str) -> &'static str {
    match regeling {
        Some("huurtoeslag") => "de huurtoeslag",
        Some("zorgtoeslag") => "de zorgtoeslag",
        Some("kinderopvangtoeslag") => "de kinderopvangtoeslag",
        Some("kindgebonden_budget") => "het kindgebonden budget",
        Some("inkomstenbelasting") => "de inkomstenbelasting",
        Some("btw") => "de btw",
        Some("loonheffingen") => "de loonheffingen",
        Some("vennootschapsbelasting") => "de vennootschapsbelasting",
        Some("motorrijtuigenbelasting") => "de motorrijtuigenbelasting",
        Some("erf_schenkbelasting") => "de erf- of schenkbelasting",
        Some("douane") => "de invoerheffing",
        _ if hoofd == "toeslagen" => "de toeslag",
        _ => "de aanslag",
    }
}

/// Values for the slots in text templates: `{R}` regeling, `{A}` aandrager, `{P}` person, `{G}` group.
#[derive(Default)]
struct Slots {
    r: &'static str,
    a: &'static str,
    p: &'static str,
    g: &'static str,
}

/// Appends one sentence, filling its slots; a slot that opens the sentence is capitalised.
fn push_sentence(buf: &mut String, template: &str, slots: &Slots) {
    if !buf.is_empty() {
        buf.push(' ');
    }
    let mut rest = template;
    let mut at_start = true;
    while let Some(i) = rest.find('{') {
        buf.push_str(&rest[..i]);
        let close = rest[i..].find('}').map_or(rest.len() - 1, |j| i + j);
        let value = match &rest[i + 1..close] {
            "R" => slots.r,
            "A" => slots.a,
            "P" => slots.p,
            "G" => slots.g,
            _ => "",
        };
        if at_start && i == 0 {
            let mut chars = value.chars();
            if let Some(f) = chars.next() {
                buf.extend(f.to_uppercase());
                buf.push_str(chars.as_str());
            }
        } else {
            buf.push_str(value);
        }
        at_start = false;
        rest = &rest[close + 1..];
    }
    buf.push_str(rest);
}

fn samenvatting(rng: &mut Rng, c: &Case, thread: Option<&ThreadSpec>) -> String {
    let hoofd = c.thema_hoofd();
    let slots = Slots {
        r: regeling_np(c.regeling.as_deref(), hoofd),
        p: persoon_np(rng, c.doelgroep.first().map(String::as_str)),
        a: rng.pick(aandrager_np(&c.aandrager_type)),
        g: "",
    };
    let mut parts: Vec<&'static str> = Vec::with_capacity(10);
    // Intro: who brings the case, about whom.
    parts.push(if c.aandrager_type == "burger_zelf" {
        rng.pick(INTRO_ZELF)
    } else {
        rng.pick(INTRO)
    });
    if let Some(bank) = c
        .levensgebeurtenis
        .as_deref()
        .and_then(levensgebeurtenis_bank)
    {
        if thread.is_some() || rng.chance(0.8) {
            parts.push(rng.pick(bank));
        }
    }
    let body_start = parts.len();
    match thread {
        Some(spec) => {
            let a = rng.below(spec.sentences.len());
            let mut b = rng.below(spec.sentences.len() - 1);
            if b >= a {
                b += 1;
            }
            parts.push(spec.sentences[a]);
            parts.push(spec.sentences[b]);
            if rng.chance(0.4) {
                parts.push(rng.pick(problem_bank(&c.thema)));
            }
        }
        None => {
            let bank = problem_bank(&c.thema);
            let a = rng.below(bank.len());
            parts.push(bank[a]);
            if rng.chance(0.35) {
                parts.push(bank[(a + 1 + rng.below(bank.len() - 1)) % bank.len()]);
            }
        }
    }
    parts.push(if rng.chance(0.2) {
        rng.pick(WRONG_GENERIC)
    } else {
        rng.pick(wrong_bank(hoofd))
    });
    // Sometimes the mishap comes before the rest of the problem statement.
    if parts.len() - body_start > 2 && rng.chance(0.25) {
        let last = parts.pop().expect("non-empty");
        parts.insert(body_start + 1, last);
    }
    if c.complexiteit == Some(3) && rng.chance(0.7) {
        parts.push(rng.pick(COMPLEX_3));
    }
    if c.spoed == Some(true) {
        parts.push(rng.pick(SPOED));
    }
    parts.push(if rng.chance(0.2) {
        rng.pick(NEED_GENERIC)
    } else {
        rng.pick(need_bank(hoofd))
    });
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 16).sum());
    for p in parts {
        push_sentence(&mut out, p, &slots);
    }
    out
}

fn geleerde_les(rng: &mut Rng, c: &Case) -> String {
    let mut s = rng.pick(lesson_bank(c.thema_hoofd())).to_string();
    if rng.chance(0.4) {
        s.push(' ');
        s.push_str(rng.pick(LESSON_GENERIC));
    }
    s
}

fn signal_text(rng: &mut Rng, s: &Signal) -> String {
    let bron = s.bron.map(|x| x.as_str()).unwrap_or("ksm");
    let mut slots = Slots::default();
    let mut parts: Vec<&'static str> = Vec::with_capacity(6);
    parts.push(rng.pick(signal_intro(bron)));
    match s.thema.as_deref() {
        Some(t) => {
            let hoofd = t.split('.').next().unwrap_or(t);
            slots.r = regeling_np(s.regeling.as_deref(), hoofd);
            parts.push(rng.pick(problem_bank(t)));
            if rng.chance(0.5) {
                parts.push(rng.pick(wrong_bank(hoofd)));
            }
        }
        None => parts.push(rng.pick(WRONG_GENERIC)),
    }
    match s.doelgroep.first() {
        Some(g) if rng.chance(0.6) => {
            slots.g = groep_meervoud(g);
            parts.push(rng.pick(IMPACT_GROEP));
        }
        _ => parts.push(rng.pick(IMPACT)),
    }
    match s.casus_ids.len() {
        0 => {}
        1 => parts.push("Het signaal volgt uit één casus."),
        _ => parts.push("Het signaal volgt uit meerdere casussen met hetzelfde patroon."),
    }
    parts.push(rng.pick(SIGNAL_ASK));
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 16).sum());
    for p in parts {
        push_sentence(&mut out, p, &slots);
    }
    out
}

const INTRO: &[&str] = &[
    "{A} brengt de situatie in van {P}.",
    "Via {A} komt een casus binnen over {P}.",
    "{A} meldt zich namens {P}.",
    "{A} vraagt hulp voor {P}.",
    "Aangedragen door {A}: het gaat om {P}.",
    "{A} loopt vast in het contact met de dienst en legt de zaak van {P} voor.",
    "Het betreft {P}, aangemeld door {A}.",
    "{A} schakelt de Belangenbehartiger in voor {P}.",
];

const INTRO_ZELF: &[&str] = &[
    "{P} meldt zich zelf bij de Belangenbehartiger.",
    "Het gaat om {P} die zich zonder hulpverlener meldt.",
    "{P} neemt zelf contact op na eerdere vergeefse pogingen.",
];

fn aandrager_np(t: &str) -> &'static [&'static str] {
    match t {
        "sociaal_raadslieden" => &[
            "een sociaal raadsman",
            "een sociaal raadsvrouw",
            "het sociaal raadsliedenwerk",
        ],
        "schuldhulpverlening" => &[
            "een schuldhulpverlener",
            "de gemeentelijke schuldhulpverlening",
        ],
        "maatschappelijk_werk" => &["een maatschappelijk werker", "het maatschappelijk werk"],
        "wijkteam" => &["het wijkteam", "een medewerker van het sociaal wijkteam"],
        "juridisch_loket" => &["het Juridisch Loket", "een jurist van het Juridisch Loket"],
        "belastingadviseur" => &["een belastingadviseur", "een fiscaal adviseur"],
        "ouderenorganisatie" => &["een ouderenorganisatie", "een vrijwillige ouderenadviseur"],
        "vakbond" => &["de vakbond", "een vakbondsconsulent"],
        "belastingdienst" => &[
            "een medewerker van de Belastingdienst",
            "een team van de Belastingdienst",
        ],
        "dienst_toeslagen" => &[
            "een medewerker van Dienst Toeslagen",
            "een persoonlijk zaakbehandelaar van Dienst Toeslagen",
        ],
        "ibtd" => &["de IBTD"],
        "nationale_ombudsman" => &["de Nationale ombudsman"],
        _ => &["een vrijwilligersorganisatie", "een budgetcoach"],
    }
}

fn persoon_np(rng: &mut Rng, doelgroep: Option<&str>) -> &'static str {
    let list: &[&str] = match doelgroep {
        Some("ouderen") => &[
            "een oudere dame",
            "een alleenwonende oudere man",
            "een echtpaar op leeftijd",
        ],
        Some("jongeren") => &["een jongere", "een student", "een jongvolwassene"],
        Some("gezin_met_kinderen") => &[
            "een gezin met jonge kinderen",
            "een gezin met drie kinderen",
        ],
        Some("alleenstaande_ouder") => &[
            "een alleenstaande moeder",
            "een alleenstaande vader",
            "een alleenstaande ouder",
        ],
        Some("schulden") => &[
            "iemand met problematische schulden",
            "een huishouden met meerdere schuldeisers",
        ],
        Some("laaggeletterd") => &[
            "iemand die moeite heeft met lezen en schrijven",
            "een laaggeletterde burger",
        ],
        Some("nieuwkomer") => &["een statushouder", "een nieuwkomer die de taal nog leert"],
        Some("beperking") => &[
            "iemand met een lichamelijke beperking",
            "iemand met een licht verstandelijke beperking",
        ],
        Some("gedupeerde_herstel") => &[
            "een gedupeerde ouder",
            "een gezin dat getroffen is door de toeslagenaffaire",
        ],
        Some("buitenland") => &["iemand die in het buitenland woont", "een grensarbeider"],
        Some("mantelzorger") => &["een mantelzorger", "iemand die zorgt voor een zieke naaste"],
        Some("zzp") => &[
            "een zzp'er",
            "een zelfstandige zonder personeel",
            "een zzp'er in de bouw",
        ],
        Some("mkb") => &[
            "een kleine ondernemer",
            "een familiebedrijf",
            "een eenmanszaak met enkele medewerkers",
        ],
        _ => &[
            "een burger",
            "een huurder",
            "een werknemer",
            "een alleenstaande",
        ],
    };
    rng.pick(list)
}

fn groep_meervoud(g: &str) -> &'static str {
    match g {
        "ouderen" => "ouderen",
        "jongeren" => "jongeren",
        "gezin_met_kinderen" => "gezinnen met kinderen",
        "alleenstaande_ouder" => "alleenstaande ouders",
        "schulden" => "mensen met schulden",
        "laaggeletterd" => "laaggeletterden",
        "nieuwkomer" => "nieuwkomers",
        "beperking" => "mensen met een beperking",
        "gedupeerde_herstel" => "gedupeerde ouders",
        "buitenland" => "mensen in het buitenland",
        "mantelzorger" => "mantelzorgers",
        "zzp" => "zzp'ers",
        "mkb" => "kleine ondernemers",
        _ => "huishoudens met een laag inkomen",
    }
}

fn levensgebeurtenis_bank(l: &str) -> Option<&'static [&'static str]> {
    Some(match l {
        "scheiding" => &[
            "Na een scheiding is het huishoudinkomen sterk gedaald.",
            "Sinds de echtscheiding moet alles opnieuw worden geregeld.",
        ],
        "overlijden_partner" => &[
            "Na het overlijden van de partner is de administratie ineens een zware last.",
            "De partner die altijd de papieren deed, is overleden.",
        ],
        "achttien_worden" => &[
            "Bij het achttien worden veranderde er veel in toeslagen en verplichtingen.",
            "Met het bereiken van de volwassen leeftijd kwamen de eerste brieven van de Belastingdienst.",
        ],
        "werkloos" => &[
            "Door ontslag is het inkomen plotseling teruggevallen.",
            "Na het verlies van werk is er alleen nog een uitkering.",
        ],
        "ziekte_arbeidsongeschikt" => &[
            "Door langdurige ziekte kon de administratie niet worden bijgehouden.",
            "Na arbeidsongeschiktheid is het inkomen fors gedaald.",
        ],
        "start_onderneming" => &[
            "Het probleem begon bij de start van een eigen onderneming.",
            "Kort na de inschrijving bij de Kamer van Koophandel liepen de zaken mis.",
        ],
        "stop_onderneming" => &[
            "Na het stoppen van de onderneming bleven er aanslagen en schulden over.",
            "De onderneming is beëindigd, maar de fiscale afwikkeling loopt nog.",
        ],
        "verhuizing_buitenland" => &[
            "Door een verhuizing naar het buitenland is de post lange tijd niet aangekomen.",
            "Na emigratie zijn toeslagen en aanslagen niet goed afgewikkeld.",
        ],
        "opname_zorginstelling" => &[
            "Na opname in een zorginstelling klopt de woon- en inkomenssituatie niet meer met de gegevens.",
            "De partner is opgenomen in een verpleeghuis, waardoor de situatie ingrijpend is veranderd.",
        ],
        "pensioen" => &[
            "Bij het ingaan van het pensioen veranderde het inkomen, maar dat is niet goed verwerkt.",
            "De overgang naar AOW en pensioen bracht onverwachte gevolgen met zich mee.",
        ],
        _ => return None,
    })
}

fn problem_bank(thema: &str) -> &'static [&'static str] {
    match thema {
        "toeslagen.terugvordering" => &[
            "Dienst Toeslagen vordert na de definitieve berekening {R} over een eerder jaar terug.",
            "De terugvordering van {R} komt onverwacht en is veel hoger dan het huishouden kan opbrengen.",
            "Er ligt een terugvordering van {R} omdat het geschatte inkomen achteraf te laag bleek.",
            "Het terugvorderen van {R} in één keer brengt het huishouden in financiële problemen.",
        ],
        "toeslagen.voorschot" => &[
            "Het voorschot voor {R} is plotseling stopgezet zonder duidelijke uitleg.",
            "Het maandelijkse voorschot van {R} is verlaagd, waardoor de vaste lasten niet meer betaald kunnen worden.",
            "De voorschotbeschikking voor {R} klopt niet met het inkomen dat is doorgegeven.",
        ],
        "toeslagen.partner_samenloop" => &[
            "Dienst Toeslagen merkt een medebewoner aan als toeslagpartner, waardoor {R} vervalt.",
            "Door een inwonend familielid op hetzelfde adres telt Dienst Toeslagen een toeslagpartner mee die er niet is.",
            "De samenloop van toeslagpartnerschap en een gezamenlijke inschrijving leidt tot een terugvordering over meerdere jaren.",
        ],
        "toeslagen.niet_gebruik" => &[
            "Er wordt geen gebruik gemaakt van {R}, terwijl daar wel recht op lijkt te bestaan.",
            "Uit angst voor latere terugvorderingen durft het huishouden geen toeslag meer aan te vragen.",
            "Het aanvragen van {R} bleek te ingewikkeld; er is jarenlang geen toeslag ontvangen.",
        ],
        "toeslagen.kinderopvang" => &[
            "De kinderopvangtoeslag wordt teruggevorderd omdat het aantal opvanguren niet overeenkomt met de jaaropgave van de opvang.",
            "Wijzigingen in de opvanguren zijn wel doorgegeven, maar de kinderopvangtoeslag is niet aangepast.",
            "Er is onduidelijkheid over de gewerkte uren, waardoor het recht op kinderopvangtoeslag achteraf wordt betwist.",
        ],
        "toeslagen.herstel" => &[
            "De aanvraag in de hersteloperatie kinderopvangtoeslag ligt al lang stil en de integrale beoordeling laat op zich wachten.",
            "Na de compensatie in de hersteloperatie is onduidelijk welke schulden zijn kwijtgescholden en welke niet.",
            "Het besluit in de herstelregeling sluit niet aan bij wat eerder aan de gedupeerde ouder is toegezegd.",
        ],
        "toeslagen.bewijsstukken" => &[
            "Dienst Toeslagen vraagt om bewijsstukken die niet meer te krijgen zijn, zoals een huurcontract van jaren geleden.",
            "De gevraagde bewijsstukken zijn opgestuurd, maar volgens de dienst nooit ontvangen; {R} is daarna stopgezet.",
            "Omdat een formulier met bewijsstukken te laat binnenkwam, is {R} op nul gezet.",
        ],
        "invordering.betalingsregeling" => &[
            "Een verzoek om een betalingsregeling wordt afgewezen omdat de aflossingscapaciteit volgens de berekening hoger is dan in werkelijkheid.",
            "De betalingsregeling voor {R} is vervallen na één gemiste termijn, waarna het volledige bedrag direct opeisbaar werd.",
            "Er lopen meerdere betalingsregelingen naast elkaar die samen meer vragen dan het huishouden kan missen.",
        ],
        "invordering.beslag_bestaansminimum" => &[
            "Er ligt beslag op het inkomen waardoor minder overblijft dan de beslagvrije voet.",
            "Door een bankbeslag kunnen huur en boodschappen niet meer worden betaald.",
            "De beslagvrije voet is verkeerd berekend, zodat het huishouden onder het bestaansminimum zakt.",
        ],
        "invordering.verrekening" => &[
            "De teruggave is verrekend met een oude schuld, terwijl daarover een betalingsregeling liep.",
            "Een toeslag wordt verrekend met een openstaande vordering, waardoor er maandenlang geen uitbetaling is.",
            "De verrekening van een teruggave met een schuld bij een andere dienst was niet aangekondigd.",
        ],
        "invordering.kwijtschelding" => &[
            "Het verzoek om kwijtschelding is afgewezen omdat een auto die nodig is voor het werk tot het vermogen wordt gerekend.",
            "De kwijtschelding werd geweigerd omdat een formulier onvolledig was, zonder dat om aanvulling is gevraagd.",
            "Voor kwijtschelding van {R} moet een berekening van de betalingscapaciteit worden aangeleverd die niet te begrijpen is.",
        ],
        "invordering.dwangbevel_kosten" => &[
            "Op een kleine aanslag zijn dwangbevel- en aanmaningskosten gekomen die hoger zijn dan de oorspronkelijke schuld.",
            "Er is een dwangbevel betekend terwijl de aanslag volgens de betrokkene al betaald was.",
            "De invorderingskosten lopen op omdat de aanmaning op een oud adres terechtkwam.",
        ],
        "invordering.uitstel" => &[
            "Een verzoek om uitstel van betaling in afwachting van het bezwaar is niet beantwoord, terwijl de invordering doorloopt.",
            "Het uitstel van betaling voor {R} is ingetrokken zonder dat duidelijk is waarom.",
            "Ondanks een lopend bezwaar is geen uitstel van betaling verleend en volgt een aanmaning.",
        ],
        "inkomstenbelasting.aangifte_fout" => &[
            "In de aangifte inkomstenbelasting is een aftrekpost verkeerd ingevuld, waardoor een hoge aanslag volgde.",
            "De vooraf ingevulde aangifte inkomstenbelasting bevatte een fout in het inkomen van de werkgever.",
            "Een fout in de aangifte is bij een invulhulp ontstaan en kan volgens de dienst niet meer worden hersteld.",
        ],
        "inkomstenbelasting.box3" => &[
            "De aanslag in box 3 gaat uit van een forfaitair rendement dat veel hoger is dan het werkelijke rendement op het spaargeld.",
            "Na het box 3-arrest is onduidelijk hoe het werkelijke rendement moet worden aangetoond.",
            "Een bescheiden spaarbedrag leidt tot een aanslag box 3 die niet te volgen is.",
        ],
        "inkomstenbelasting.navordering" => &[
            "Er volgt een navorderingsaanslag over een jaar van lang geleden, met rente en een boete.",
            "De navordering is gebaseerd op gegevens van een derde die niet kloppen.",
            "Een navorderingsaanslag komt jaren na de aangifte, terwijl de informatie al die tijd bij de dienst bekend was.",
        ],
        "inkomstenbelasting.voorlopige_aanslag" => &[
            "De voorlopige aanslag is veel te hoog vastgesteld en leidt tot maandelijkse termijnen die niet op te brengen zijn.",
            "Een verzoek om de voorlopige aanslag te verlagen is maanden blijven liggen.",
            "De voorlopige aanslag houdt geen rekening met het lagere inkomen van dit jaar.",
        ],
        "ondernemers.btw" => &[
            "De btw-aangifte is te laat gedaan omdat de machtiging van de boekhouder niet werkte, en er volgde een naheffingsaanslag.",
            "Een naheffingsaanslag btw gaat uit van een omzet die de onderneming nooit heeft gehaald.",
            "De teruggaaf van btw blijft maanden uit, waardoor de onderneming in liquiditeitsproblemen komt.",
        ],
        "ondernemers.loonheffing" => &[
            "Een naheffing loonheffingen volgt op een correctie over personeel dat volgens de ondernemer als zelfstandige werkte.",
            "Door een fout in de loonaangifte zijn de loonheffingen dubbel in rekening gebracht.",
            "De loonheffingen van een overgenomen bedrijf worden bij de verkeerde onderneming ingevorderd.",
        ],
        "ondernemers.boete" => &[
            "Er is een verzuimboete opgelegd voor een aangifte {R} die wel op tijd is verstuurd.",
            "De vergrijpboete is hoog en houdt geen rekening met de omstandigheden van de ondernemer.",
            "Een reeks verzuimboetes stapelt zich op sinds de onderneming in zwaar weer zit.",
        ],
        "ondernemers.uitstel_coronaschuld" => &[
            "De belastingschuld uit de coronaperiode moet worden afgelost, maar de termijnen zijn te hoog voor de huidige omzet.",
            "Bij de aflossing van de coronaschuld is een termijn gemist, waarna de hele schuld opeisbaar werd.",
            "De ondernemer vraagt om verlenging van de betalingsregeling voor de uitgestelde coronaschuld.",
        ],
        "ondernemers.zzp_status" => &[
            "Er is onenigheid over de vraag of er sprake is van ondernemerschap, waardoor de zelfstandigenaftrek is geweigerd.",
            "De opdrachtgever twijfelt aan de zelfstandige status en de ondernemer weet niet waar die aan toe is.",
            "Na de start van de onderneming is de registratie voor btw en inkomstenbelasting verkeerd verwerkt.",
        ],
        "dienstverlening.bereikbaarheid" => &[
            "De BelastingTelefoon is urenlang onbereikbaar en een terugbelverzoek wordt niet nagekomen.",
            "Er is geen balie of loket meer in de buurt waar het probleem persoonlijk kan worden besproken.",
            "Berichten via het contactformulier blijven onbeantwoord; de dienst is voor deze persoon niet bereikbaar.",
        ],
        "dienstverlening.brieven_jargon" => &[
            "De brieven staan vol jargon en spreken elkaar tegen, waardoor niet duidelijk is wat er moet gebeuren.",
            "Een brief over {R} is zo ingewikkeld opgesteld dat zelfs de hulpverlener niet kan uitleggen wat er staat.",
            "Twee brieven op dezelfde dag noemen verschillende bedragen en termijnen.",
        ],
        "dienstverlening.kastje_muur" => &[
            "De betrokkene wordt van het kastje naar de muur gestuurd tussen de Belastingdienst, Dienst Toeslagen en de gemeente.",
            "Elk loket verwijst naar een ander loket en niemand voelt zich verantwoordelijk voor een oplossing.",
            "Na talloze telefoongesprekken is nog steeds niet duidelijk welk loket over het probleem gaat.",
        ],
        "dienstverlening.digid_machtiging" => &[
            "Zonder werkende DigiD lukt het niet om de aangifte te doen of wijzigingen door te geven.",
            "Het machtigen van een hulpverlener loopt vast omdat de machtigingscode niet aankomt.",
            "De DigiD is verlopen en het aanvragen van een nieuwe lukt niet zonder hulp.",
        ],
        "dienstverlening.doorlooptijd" => &[
            "Op het bezwaarschrift is na maanden wachten nog geen beslissing genomen; de doorlooptijd is ver overschreden.",
            "De doorlooptijd van het verzoek is veel langer dan de wettelijke termijn, terwijl de invordering doorloopt.",
            "Een toegezegde terugbetaling blijft al maanden uit en niemand kan zeggen hoe lang het wachten nog duurt.",
        ],
        "rechtsbescherming.termijnoverschrijding" => &[
            "Het bezwaar is niet-ontvankelijk verklaard omdat de bezwaartermijn met een paar dagen was overschreden, terwijl de brief pas laat werd ontvangen.",
            "Door een ziekenhuisopname is de bezwaartermijn verstreken en de dienst weigert de termijnoverschrijding te verschonen.",
            "De beroepstermijn is gemist omdat niet duidelijk was dat de brief een besluit bevatte.",
        ],
        "rechtsbescherming.hardheid" => &[
            "De regels worden strikt toegepast, terwijl de uitkomst in deze situatie onredelijk hard uitpakt.",
            "De betrokkene vraagt om toepassing van de hardheidsclausule, maar de dienst ziet geen ruimte.",
            "Een kleine vergissing heeft financiële gevolgen die niet in verhouding staan tot de fout.",
        ],
        "rechtsbescherming.fraudestempel" => &[
            "De betrokkene is jarenlang ten onrechte als fraudeur behandeld, met gevolgen voor toeslagen en betalingsregelingen.",
            "Een eerdere onterechte kwalificatie opzet of grove schuld blijft doorwerken, ook nu die is herzien.",
            "Door een onterecht fraudestempel kreeg de betrokkene geen betalingsregeling en geen persoonlijke afweging.",
        ],
        "rechtsbescherming.risicoselectie" => &[
            "Telkens opnieuw wordt de aangifte uitgeworpen voor controle zonder dat duidelijk is waarom.",
            "De betrokkene vermoedt dat de selectie voor controle samenhangt met nationaliteit of woonwijk.",
            "Na een risicoselectie is {R} stopgezet in afwachting van een onderzoek dat maanden duurt.",
        ],
        "douane.invoer" => &[
            "Bij de invoer van een pakket uit het buitenland heft de Douane invoerrechten en btw over een onjuiste waarde.",
            "Een verhuisboedel is bij de Douane blijven steken omdat de vrijstelling niet werd erkend.",
            "De Douane rekent invoerheffing en inklaringskosten die de koerier zonder uitleg doorberekent.",
        ],
        "douane.vergunning" => &[
            "De aanvraag van een douanevergunning voor een klein bedrijf loopt al maanden.",
            "Een douanevergunning is ingetrokken zonder voorafgaand gesprek, waardoor de goederen vastliggen.",
            "De voorwaarden voor de vergunning van de Douane zijn niet te begrijpen voor een kleine ondernemer.",
        ],
        _ => &[
            "De vraag raakt meerdere regelingen en past niet in een bestaande procedure.",
            "Het gaat om een combinatie van problemen bij verschillende overheidsorganisaties.",
            "Er speelt een kwestie rond een oude registratie van een voertuig en de motorrijtuigenbelasting.",
        ],
    }
}

fn wrong_bank(hoofd: &str) -> &'static [&'static str] {
    match hoofd {
        "toeslagen" => &[
            "Wijzigingen zijn volgens de betrokkene op tijd doorgegeven, maar niet verwerkt.",
            "De berekening van {R} is niet uitgelegd en bezwaar leverde alleen een standaardbrief op.",
            "Eerdere contacten met Dienst Toeslagen hebben geen oplossing opgeleverd.",
            "Het geschatte inkomen in Mijn toeslagen was niet bijgewerkt.",
            "Bij het vaststellen van de terugbetaling is niet gekeken naar de draagkracht van het huishouden.",
        ],
        "invordering" => &[
            "De invordering liep door terwijl er al contact was over een oplossing.",
            "Er is niet gekeken naar de totale schuldenlast bij andere schuldeisers.",
            "Het verzoek is afgewezen met een standaardbrief, zonder maatwerk.",
            "Aanmaningen en herinneringen volgden elkaar snel op, waardoor de kosten opliepen.",
            "De schuldhulpverlener kreeg geen contactpersoon bij de invordering te pakken.",
        ],
        "inkomstenbelasting" => &[
            "Het bezwaar tegen de aanslag is afgewezen zonder inhoudelijk op de argumenten in te gaan.",
            "De fout is volgens de betrokkene bij de dienst ontstaan, maar de gevolgen komen voor eigen rekening.",
            "Een verzoek om ambtshalve vermindering is niet in behandeling genomen.",
            "De uitleg over de aanslag inkomstenbelasting sloot niet aan bij de situatie.",
        ],
        "ondernemers" => &[
            "De ondernemer heeft vaak contact gezocht, maar kreeg steeds een andere medewerker aan de lijn.",
            "De boekhouder kreeg geen duidelijkheid over de juiste route.",
            "Er is geen rekening gehouden met de teruggelopen omzet.",
            "De dienst ging uit van gegevens van de onderneming die niet meer actueel waren.",
        ],
        "dienstverlening" => &[
            "Verschillende medewerkers gaven tegenstrijdige informatie.",
            "Beloofde terugbelafspraken zijn niet nagekomen.",
            "Stukken die zijn opgestuurd, lijken zoek te zijn geraakt.",
            "De digitale weg was de enige optie, terwijl die voor deze persoon niet begaanbaar is.",
        ],
        "rechtsbescherming" => &[
            "De bezwaarprocedure gaf geen ruimte om de persoonlijke omstandigheden toe te lichten.",
            "Er is strikt aan de regels vastgehouden zonder te kijken naar de bedoeling van de wet.",
            "Een hoorgesprek is niet aangeboden.",
            "Een deugdelijke motivering van het besluit ontbreekt.",
        ],
        "douane" => &[
            "Bij de Douane was niet duidelijk wie over het dossier gaat.",
            "Aanvullende informatie is opgestuurd, maar de Douane heeft die niet meegenomen.",
            "De communicatie verliep alleen via de koerier, niet rechtstreeks met de Douane.",
        ],
        _ => &[
            "Geen van de betrokken organisaties voelt zich eigenaar van het probleem.",
            "Doorverwijzingen leidden steeds tot een nieuw loket.",
        ],
    }
}

fn need_bank(hoofd: &str) -> &'static [&'static str] {
    match hoofd {
        "toeslagen" => &[
            "Gevraagd wordt om een betalingsregeling naar draagkracht en uitleg over de berekening van {R}.",
            "De betrokkene wil dat {R} opnieuw wordt beoordeeld met de juiste gegevens.",
            "Nodig is één aanspreekpunt bij Dienst Toeslagen dat de hele situatie overziet.",
            "Het huishouden heeft een oplossing nodig zodat de vaste lasten weer betaald kunnen worden.",
        ],
        "invordering" => &[
            "Gevraagd wordt om de invordering op te schorten tot er een oplossing is.",
            "Nodig is een betalingsregeling die past bij het werkelijke inkomen.",
            "De hulpverlener vraagt om afstemming van de invordering met het schuldhulptraject.",
            "De betrokkene vraagt om kwijtschelding van de opgelopen kosten.",
        ],
        "inkomstenbelasting" => &[
            "Gevraagd wordt om een herbeoordeling van de aanslag inkomstenbelasting.",
            "De betrokkene wil de aangifte corrigeren en begrijpen wat er misging.",
            "Nodig is een heldere uitleg van de aanslag en van de mogelijkheden om bezwaar te maken.",
            "Een verlaging van de aanslag naar de werkelijke situatie zou het probleem oplossen.",
        ],
        "ondernemers" => &[
            "De ondernemer vraagt om een betalingsregeling die de onderneming niet de kop kost.",
            "Nodig is één contactpersoon die het dossier van de onderneming kent.",
            "Gevraagd wordt om matiging van de boete en uitstel van betaling voor {R}.",
            "De onderneming wil zekerheid over de fiscale positie voor de komende jaren.",
        ],
        "dienstverlening" => &[
            "Nodig is een medewerker die het dossier in één keer oppakt.",
            "De betrokkene wil een papieren alternatief voor de digitale route.",
            "Gevraagd wordt om duidelijke uitleg in eenvoudige taal.",
            "De hulpverlener vraagt om een vast aanspreekpunt.",
        ],
        "rechtsbescherming" => &[
            "Gevraagd wordt om het besluit te heroverwegen met oog voor de menselijke maat.",
            "De betrokkene wil alsnog gehoord worden.",
            "Nodig is erkenning van de fout en herstel van de gevolgen.",
            "Gevraagd wordt om de hardheidsclausule toe te passen.",
        ],
        "douane" => &[
            "Gevraagd wordt om de goederen vrij te geven en de heffing van de Douane te herzien.",
            "De betrokkene wil een duidelijke uitleg van de Douane over de vergunning en de kosten.",
        ],
        _ => &[
            "Nodig is regie over het geheel in plaats van losse antwoorden per organisatie.",
            "Gevraagd wordt om uit te zoeken welke instantie hier over gaat.",
        ],
    }
}

fn lesson_bank(hoofd: &str) -> &'static [&'static str] {
    match hoofd {
        "toeslagen" => &[
            "Bij een terugvordering van toeslagen helpt het om eerst de draagkracht in beeld te brengen.",
            "Een persoonlijk zaakbehandelaar bij Dienst Toeslagen versnelt de oplossing aanzienlijk.",
            "Bij levensgebeurtenissen moet Dienst Toeslagen actiever vragen naar wijzigingen in het inkomen.",
            "De brief over de definitieve berekening van de toeslag wordt niet begrepen; uitleg in gewone taal is nodig.",
        ],
        "invordering" => &[
            "Afstemming tussen invordering en schuldhulpverlening voorkomt dat een traject vastloopt.",
            "De beslagvrije voet moet bij elke wijziging in het inkomen opnieuw worden berekend.",
            "Een betalingsregeling op maat is vaak mogelijk als de juiste medewerker wordt bereikt.",
            "Kosten van aanmaningen en dwangbevelen kunnen worden heroverwogen als de oorzaak bij de dienst ligt.",
        ],
        "inkomstenbelasting" => &[
            "Ambtshalve vermindering biedt ruimte, ook als de bezwaartermijn is verstreken.",
            "Vooraf ingevulde gegevens in de aangifte worden te snel als juist aangenomen.",
            "Een telefonisch contact vóór het besluit voorkomt veel bezwaarprocedures.",
        ],
        "ondernemers" => &[
            "Kleine ondernemers hebben behoefte aan één vast aanspreekpunt bij de Belastingdienst.",
            "Bij betalingsregelingen voor ondernemers moet sneller naar de actuele omzet worden gekeken.",
            "Boetes worden vaker gematigd als de omstandigheden van de ondernemer goed worden toegelicht.",
        ],
        "dienstverlening" => &[
            "Niet iedereen kan de digitale route volgen; een papieren of persoonlijke route blijft nodig.",
            "Een warme overdracht tussen organisaties voorkomt dat mensen van het kastje naar de muur gaan.",
            "Brieven in eenvoudige taal schelen veel telefoontjes.",
            "Machtigen moet eenvoudiger worden voor mensen zonder smartphone.",
        ],
        "rechtsbescherming" => &[
            "Termijnen kunnen soepeler worden toegepast als de oorzaak buiten de betrokkene ligt.",
            "De hardheidsclausule wordt weinig gebruikt, terwijl die hier ruimte bood.",
            "Een hoorgesprek levert vaak al de informatie op die nodig is voor een ander besluit.",
        ],
        "douane" => &[
            "Bij de Douane ontbreekt een vast aanspreekpunt voor particulieren.",
            "Uitleg over invoerheffingen moet al bij de bestelling beschikbaar zijn.",
        ],
        _ => &[
            "Regie over meerdere organisaties heen blijkt doorslaggevend.",
            "Het loont om vroeg te bepalen welke organisatie eigenaar is van het probleem.",
        ],
    }
}

const WRONG_GENERIC: &[&str] = &[
    "Bellen leverde telkens een ander antwoord op.",
    "Brieven kwamen later aan dan de termijn toeliet.",
    "De situatie sleept al maanden.",
    "Eerdere klachten hebben niets opgeleverd.",
];

const NEED_GENERIC: &[&str] = &[
    "Eerst is rust nodig, zodat er ruimte komt om naar een oplossing te kijken.",
    "Een persoonlijk gesprek zou veel helpen.",
    "De aandrager vraagt om meekijken en bemiddeling.",
];

const COMPLEX_3: &[&str] = &[
    "Meerdere organisaties zijn betrokken en wachten op elkaar.",
    "De oplossing vraagt afstemming tussen diensten die van elkaar afhankelijk zijn.",
];

const SPOED: &[&str] = &[
    "Er is spoed: uithuiszetting dreigt.",
    "Spoed, want de energie wordt binnenkort afgesloten.",
    "Er is haast omdat de volgende beslaglegging binnenkort ingaat.",
    "Spoed, want er is geen geld meer voor boodschappen.",
];

const LESSON_GENERIC: &[&str] = &[
    "Vroeg contact met de aandrager versnelt de triage.",
    "Een minnelijke oplossing bleek mogelijk zonder escalatie.",
    "Pas na escalatie kwam de zaak in beweging.",
    "Deze casus laat zien dat fouten in het systeem bij individuele burgers terechtkomen.",
];

fn signal_intro(bron: &str) -> &'static [&'static str] {
    match bron {
        "ksm" => &[
            "Signaal uit het Klantsignaal Management Systeem.",
            "Via KSM gemeld door medewerkers aan de telefoon.",
        ],
        "eigen_casuistiek" => &[
            "Signaal op basis van eigen casuïstiek.",
            "Uit eigen casussen komt hetzelfde beeld naar voren.",
        ],
        "maatschappelijke_partner" => &[
            "Gemeld door een maatschappelijke partner.",
            "Meerdere hulporganisaties zien dit probleem terugkomen.",
        ],
        "ibtd" => &[
            "Signaal van de IBTD.",
            "De Inspectie belastingen, toeslagen en douane wijst op dit knelpunt.",
        ],
        "belastingdienst" => &["Gemeld vanuit de Belastingdienst zelf."],
        "dienst_toeslagen" => &["Gemeld vanuit Dienst Toeslagen zelf."],
        _ => &["Signaal van de Nationale ombudsman naar aanleiding van klachten."],
    }
}

const IMPACT_GROEP: &[&str] = &[
    "Het probleem raakt vooral {G}.",
    "Het gaat vaak om {G}.",
    "Vooral {G} lopen hier tegenaan.",
];

const IMPACT: &[&str] = &[
    "Dit treft naar schatting tientallen huishoudens per maand.",
    "Het gaat om een terugkerend knelpunt, geen incident.",
    "Het signaal komt vaker voor sinds de laatste wijziging van de werkwijze.",
];

const SIGNAL_ASK: &[&str] = &[
    "Voorstel: pas de werkinstructie aan zodat maatwerk mogelijk wordt.",
    "Gevraagd wordt om de standaardbrief te herzien.",
    "Aanbeveling: bied hulpverleners een vast aanspreekpunt.",
    "Onderzocht moet worden of de regelgeving hier onbedoeld hard uitpakt.",
    "Gevraagd wordt om terugkoppeling aan de melders.",
];

const FEEDBACK_OPGEPAKT: &[&str] = &[
    "De dienst past de standaardbrief aan en informeert de melders.",
    "Het signaal is opgepakt: de werkinstructie wordt aangepast.",
    "De dienst richt een vast aanspreekpunt in voor hulpverleners.",
];

const FEEDBACK_NIET: &[&str] = &[
    "De dienst ziet binnen de wet geen ruimte; het signaal is doorgezet naar het ministerie.",
    "Het signaal is niet opgepakt omdat de uitvoering volgens de dienst correct is.",
    "Geen aanpassing: de capaciteit ontbreekt dit jaar.",
];

const FEEDBACK_TUSSEN: &[&str] = &[
    "Tussenbericht: het signaal wordt onderzocht.",
    "De dienst heeft meer tijd nodig en komt met een reactie.",
];

const FEEDBACK_AFGEROND: &[&str] = &[
    "De aanpassing is doorgevoerd en het signaal is gesloten.",
    "De melders zijn geïnformeerd over de uitkomst.",
    "Het signaal is samengevoegd met een eerder signaal over hetzelfde onderwerp.",
];

// Planted threads: sentences with a shared, distinctive vocabulary.
const T1_AOW: &[&str] = &[
    "Bij het ingaan van de AOW is het geschatte inkomen voor de huurtoeslag niet aangepast.",
    "Het aanvullend pensioen kwam later op gang, waardoor de huurtoeslag achteraf te hoog bleek en nu wordt teruggevorderd.",
    "In het jaar van pensionering tellen salaris en AOW samen, met een terugvordering van huurtoeslag als gevolg.",
    "Het pensioenfonds betaalde een nabetaling uit die het toetsingsinkomen voor de huurtoeslag over de grens duwde.",
    "De terugvordering van huurtoeslag na pensionering komt hard aan bij iemand die nooit schulden had.",
    "De AOW-gerechtigde wist niet dat de huurtoeslag opnieuw moest worden geschat bij de overgang naar pensioen.",
];

const T2_BESLAG: &[&str] = &[
    "Tijdens het schuldhulptraject legt de Belastingdienst beslag waarbij de beslagvrije voet niet wordt gerespecteerd.",
    "De schuldhulpverlener meldt dat de beslagvrije voet is berekend zonder rekening te houden met de woonlasten.",
    "Door loonbeslag en bankbeslag tegelijk zakt het huishouden onder het bestaansminimum en loopt het schuldhulptraject vast.",
    "Het minnelijk schuldhulptraject dreigt te mislukken omdat het beslag niet wordt opgeschort.",
    "Na het beslag blijft minder over dan het leefgeld dat de schuldhulpverlening heeft vastgesteld.",
    "De beslagvrije voet wordt niet herberekend, terwijl de schuldhulpverlener de juiste gegevens heeft aangeleverd.",
];

const T3_DIGID: &[&str] = &[
    "De vrijwillige ouderenadviseur kan niet helpen met de aangifte omdat de DigiD-machtiging niet werkt.",
    "Zonder smartphone lukt het niet om de DigiD app te activeren, en de machtigingscode per brief blijft uit.",
    "De ouderenbond meldt dat het machtigen van een vrijwillige belastinginvuller vastloopt op de DigiD-machtiging.",
    "De activeringscode voor DigiD verloopt voordat de oudere die met hulp van de ouderenorganisatie kan gebruiken.",
    "Het aanvragen van een machtiging via DigiD is voor deze oudere zonder computer niet te doen.",
    "Omdat de DigiD-machtiging niet rondkomt, wordt de aangifte niet op tijd gedaan en volgt een aanslag.",
];

const T4_CORONA: &[&str] = &[
    "De zzp'er kan de betalingsregeling voor de coronaschuld niet volhouden omdat de omzet nog niet hersteld is.",
    "Na één gemiste termijn vervalt de betalingsregeling van zestig maanden voor de coronaschuld en is de hele schuld direct opeisbaar.",
    "Over de uitgestelde belastingschuld uit de coronaperiode wordt invorderingsrente berekend die de zzp'er niet had voorzien.",
    "De zzp'er vraagt om verlenging van de aflossingstermijn van de coronaschuld, maar krijgt een standaardafwijzing.",
    "Naast de coronaschuld komen nieuwe aanslagen, waardoor de betalingsregeling voor de zzp'er onhaalbaar wordt.",
    "Door het vervallen van de betalingsregeling voor de coronaschuld dreigt de zzp'er te moeten stoppen.",
];

const T5_KOT: &[&str] = &[
    "Na de scheiding staat de ex-partner nog als toeslagpartner geregistreerd, waardoor de kinderopvangtoeslag wordt teruggevorderd.",
    "Bij co-ouderschap na de scheiding is onduidelijk welke ouder recht heeft op kinderopvangtoeslag voor de gastouder.",
    "De alleenstaande ouder werkt na de scheiding minder uren, maar de kinderopvangtoeslag is niet aangepast en wordt nu teruggevorderd.",
    "Het toeslagpartnerschap met de ex-partner liep door na de scheiding, met een terugvordering van kinderopvangtoeslag als gevolg.",
    "De kinderopvangtoeslag werd stopgezet toen de ouder na de scheiding verhuisde en het kind deels bij de ex-partner woont.",
    "Na de scheiding moet de alleenstaande ouder kinderopvangtoeslag terugbetalen over een periode waarin de ex-partner de opvang regelde.",
];

// ---------------------------------------------------------------------------
// Canonical records
// ---------------------------------------------------------------------------

fn date_s(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn bool_s(b: Option<bool>) -> String {
    match b {
        Some(true) => "ja".to_string(),
        Some(false) => "nee".to_string(),
        None => String::new(),
    }
}

fn num_s(n: Option<u8>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn opt_s(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// The canonical cells of a case, in `CASE_COLUMNS` order.
fn case_record(c: &Case) -> Vec<String> {
    vec![
        c.casus_id.clone(),
        date_s(Some(c.ontvangen_op)),
        c.aandrager_type.clone(),
        opt_s(&c.aandrager_id),
        c.dienst.map(|x| x.as_str().to_string()).unwrap_or_default(),
        c.thema.clone(),
        opt_s(&c.regeling),
        c.doelgroep.join("|"),
        opt_s(&c.levensgebeurtenis),
        num_s(c.complexiteit),
        bool_s(c.spoed),
        date_s(c.triage_op),
        c.triage_besluit
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        bool_s(c.warm_doorverwezen),
        opt_s(&c.doorverwezen_naar),
        date_s(c.zienswijze_op),
        c.zienswijze_reactie
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        bool_s(c.geescaleerd),
        c.escalatie_niveau
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        bool_s(c.pauzeknop),
        c.uitkomst
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        date_s(c.afgerond_op),
        num_s(c.beleving_burger),
        num_s(c.beleving_eerstelijnshelper),
        num_s(c.beleving_helper_dienst),
        opt_s(&c.geleerde_les),
        opt_s(&c.samenvatting),
        bool_s(c.verhaal_vrijgegeven),
    ]
}

/// The canonical cells of a signal, in `SIGNAL_COLUMNS` order.
fn signal_record(s: &Signal) -> Vec<String> {
    vec![
        s.signaal_id.clone(),
        date_s(Some(s.gemeld_op)),
        s.bron.map(|x| x.as_str().to_string()).unwrap_or_default(),
        opt_s(&s.thema),
        opt_s(&s.regeling),
        s.doelgroep.join("|"),
        opt_s(&s.omschrijving),
        s.casus_ids.join("|"),
        s.status.map(|x| x.as_str().to_string()).unwrap_or_default(),
        s.doorgezet_naar
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        date_s(s.doorgezet_op),
        opt_s(&s.eigenaar),
        date_s(s.reactie_verwacht_op),
        opt_s(&s.terugkoppeling),
        date_s(s.terugkoppeling_op),
    ]
}

// ---------------------------------------------------------------------------
// Excel-style export: headers, human values and the mapping file
// ---------------------------------------------------------------------------

type Labels = &'static [(&'static str, &'static str)];

#[derive(Clone, Copy)]
enum Kind {
    Plain,
    Date,
    Bool,
    Code(Labels),
    Multi(Labels),
    MultiPlain,
}

struct ColSpec {
    col: &'static str,
    header: &'static str,
    kind: Kind,
}

const fn spec(col: &'static str, header: &'static str, kind: Kind) -> ColSpec {
    ColSpec { col, header, kind }
}

const L_AANDRAGER: Labels = &[
    ("sociaal_raadslieden", "Sociaal raadslieden"),
    ("schuldhulpverlening", "Schuldhulpverlening"),
    ("maatschappelijk_werk", "Maatschappelijk werk"),
    ("wijkteam", "Wijkteam"),
    ("juridisch_loket", "Juridisch Loket"),
    ("belastingadviseur", "Belastingadviseur"),
    ("ouderenorganisatie", "Ouderenorganisatie"),
    ("vakbond", "Vakbond"),
    ("belastingdienst", "Belastingdienst (medewerker)"),
    ("dienst_toeslagen", "Dienst Toeslagen (medewerker)"),
    ("ibtd", "IBTD"),
    ("nationale_ombudsman", "Nationale ombudsman"),
    ("burger_zelf", "Burger/ondernemer zelf"),
    ("overig", "Overig"),
];

const L_DIENST: Labels = &[
    ("belastingdienst", "Belastingdienst"),
    ("dienst_toeslagen", "Dienst Toeslagen"),
    ("beide", "Beide diensten"),
    ("douane", "Douane"),
    ("anders", "Andere organisatie"),
];

const L_THEMA: Labels = &[
    ("toeslagen.terugvordering", "Toeslagen - terugvordering"),
    ("toeslagen.voorschot", "Toeslagen - voorschot"),
    (
        "toeslagen.partner_samenloop",
        "Toeslagen - toeslagpartner/samenloop",
    ),
    ("toeslagen.niet_gebruik", "Toeslagen - niet-gebruik"),
    ("toeslagen.kinderopvang", "Toeslagen - kinderopvangtoeslag"),
    (
        "toeslagen.herstel",
        "Toeslagen - herstel kinderopvangtoeslag",
    ),
    ("toeslagen.bewijsstukken", "Toeslagen - bewijsstukken"),
    (
        "invordering.betalingsregeling",
        "Invordering - betalingsregeling",
    ),
    (
        "invordering.beslag_bestaansminimum",
        "Invordering - beslag onder bestaansminimum",
    ),
    ("invordering.verrekening", "Invordering - verrekening"),
    ("invordering.kwijtschelding", "Invordering - kwijtschelding"),
    (
        "invordering.dwangbevel_kosten",
        "Invordering - dwangbevel en kosten",
    ),
    ("invordering.uitstel", "Invordering - uitstel van betaling"),
    ("inkomstenbelasting.aangifte_fout", "IB - fout in aangifte"),
    ("inkomstenbelasting.box3", "IB - box 3"),
    ("inkomstenbelasting.navordering", "IB - navordering"),
    (
        "inkomstenbelasting.voorlopige_aanslag",
        "IB - voorlopige aanslag",
    ),
    ("ondernemers.btw", "Ondernemers - btw"),
    ("ondernemers.loonheffing", "Ondernemers - loonheffing"),
    ("ondernemers.boete", "Ondernemers - boete"),
    (
        "ondernemers.uitstel_coronaschuld",
        "Ondernemers - coronaschuld/uitstel",
    ),
    ("ondernemers.zzp_status", "Ondernemers - zzp-status"),
    (
        "dienstverlening.bereikbaarheid",
        "Dienstverlening - bereikbaarheid",
    ),
    (
        "dienstverlening.brieven_jargon",
        "Dienstverlening - brieven en jargon",
    ),
    (
        "dienstverlening.kastje_muur",
        "Dienstverlening - van het kastje naar de muur",
    ),
    (
        "dienstverlening.digid_machtiging",
        "Dienstverlening - DigiD/machtigen",
    ),
    (
        "dienstverlening.doorlooptijd",
        "Dienstverlening - doorlooptijd",
    ),
    (
        "rechtsbescherming.termijnoverschrijding",
        "Rechtsbescherming - termijnoverschrijding",
    ),
    (
        "rechtsbescherming.hardheid",
        "Rechtsbescherming - hardheid van regels",
    ),
    (
        "rechtsbescherming.fraudestempel",
        "Rechtsbescherming - onterecht fraudestempel",
    ),
    (
        "rechtsbescherming.risicoselectie",
        "Rechtsbescherming - risicoselectie",
    ),
    ("douane.invoer", "Douane - invoer"),
    ("douane.vergunning", "Douane - vergunning"),
    ("overig.overig", "Overig"),
];

const L_REGELING: Labels = &[
    ("huurtoeslag", "Huurtoeslag"),
    ("zorgtoeslag", "Zorgtoeslag"),
    ("kinderopvangtoeslag", "Kinderopvangtoeslag"),
    ("kindgebonden_budget", "Kindgebonden budget"),
    ("inkomstenbelasting", "Inkomstenbelasting"),
    ("btw", "Omzetbelasting (btw)"),
    ("loonheffingen", "Loonheffingen"),
    ("vennootschapsbelasting", "Vennootschapsbelasting"),
    ("motorrijtuigenbelasting", "Motorrijtuigenbelasting"),
    ("erf_schenkbelasting", "Erf- en schenkbelasting"),
    ("douane", "Douane"),
    ("overig", "Overig"),
];

const L_DOELGROEP: Labels = &[
    ("particulier", "Particulier"),
    ("zzp", "Zzp'er"),
    ("mkb", "Mkb"),
    ("ouderen", "Ouderen"),
    ("jongeren", "Jongeren"),
    ("gezin_met_kinderen", "Gezin met kinderen"),
    ("alleenstaande_ouder", "Alleenstaande ouder"),
    ("schulden", "Schulden"),
    ("laaggeletterd", "Laaggeletterd"),
    ("nieuwkomer", "Nieuwkomer"),
    ("beperking", "Beperking"),
    ("gedupeerde_herstel", "Gedupeerde (hersteloperatie)"),
    ("buitenland", "Woont in buitenland"),
    ("mantelzorger", "Mantelzorger"),
];

const L_LEVENSGEBEURTENIS: Labels = &[
    ("scheiding", "Scheiding"),
    ("overlijden_partner", "Overlijden partner"),
    ("achttien_worden", "18 worden"),
    ("werkloos", "Werkloos geworden"),
    ("ziekte_arbeidsongeschikt", "Ziekte/arbeidsongeschiktheid"),
    ("start_onderneming", "Start onderneming"),
    ("stop_onderneming", "Stoppen met onderneming"),
    ("verhuizing_buitenland", "Verhuizing naar buitenland"),
    ("opname_zorginstelling", "Opname zorginstelling"),
    ("pensioen", "Pensioen/AOW"),
    ("geen", "Geen"),
];

const L_BESLUIT: Labels = &[
    ("behandelen", "Behandelen"),
    ("doorverwijzen", "Doorverwijzen"),
    ("niet_behandelen", "Niet behandelen"),
];

const L_DOORVERWEZEN: Labels = &[
    ("gemeente", "Gemeente"),
    ("juridisch_loket", "Het Juridisch Loket"),
    ("schuldhulpverlening", "Schuldhulpverlening gemeente"),
    ("belastingdienst", "Belastingdienst (reguliere route)"),
    ("dienst_toeslagen", "Dienst Toeslagen (reguliere route)"),
    ("uwv", "UWV"),
    ("svb", "SVB"),
    ("nationale_ombudsman", "Nationale ombudsman"),
    ("advocatuur", "Advocaat/rechtsbijstand"),
    ("douane", "Douane"),
];

const L_REACTIE: Labels = &[
    ("overgenomen", "Overgenomen"),
    ("deels_overgenomen", "Deels overgenomen"),
    ("niet_overgenomen", "Niet overgenomen"),
    ("geen_reactie", "Geen reactie ontvangen"),
];

const L_NIVEAU: Labels = &[
    ("teamleider", "Teamleider"),
    ("directeur", "Directeur"),
    ("directeur_generaal", "Directeur-generaal"),
];

const L_UITKOMST: Labels = &[
    ("opgelost", "Opgelost"),
    ("deels_opgelost", "Deels opgelost"),
    ("niet_opgelost", "Niet opgelost"),
    ("ingetrokken", "Ingetrokken"),
    ("lopend", "Loopt nog"),
];

const L_BRON: Labels = &[
    ("eigen_casuistiek", "Eigen casuïstiek"),
    ("ksm", "KSM"),
    ("ibtd", "IBTD"),
    ("maatschappelijke_partner", "Maatschappelijke partner"),
    ("belastingdienst", "Belastingdienst"),
    ("dienst_toeslagen", "Dienst Toeslagen"),
    ("nationale_ombudsman", "Nationale ombudsman"),
];

const L_STATUS: Labels = &[
    ("nieuw", "Nieuw"),
    ("in_analyse", "In analyse"),
    ("doorgezet", "Doorgezet"),
    ("in_behandeling", "In behandeling bij ontvanger"),
    ("opgepakt", "Opgepakt"),
    ("niet_opgepakt", "Niet opgepakt"),
    ("afgerond", "Afgerond"),
];

const L_ONTVANGER: Labels = &[
    ("ibtd", "IBTD"),
    ("ksm", "KSM Belastingdienst"),
    ("belastingdienst", "Belastingdienst"),
    ("dienst_toeslagen", "Dienst Toeslagen"),
    ("ministerie", "Ministerie van Financiën"),
    ("wetgever", "Wetgever"),
];

const CASE_SPECS: &[ColSpec] = &[
    spec("casus_id", "Casusnummer", Kind::Plain),
    spec("ontvangen_op", "Datum ontvangen", Kind::Date),
    spec("aandrager_type", "Type aandrager", Kind::Code(L_AANDRAGER)),
    spec("aandrager_id", "Organisatie aandrager", Kind::Plain),
    spec("dienst", "Dienst", Kind::Code(L_DIENST)),
    spec("thema", "Thema", Kind::Code(L_THEMA)),
    spec("regeling", "Regeling", Kind::Code(L_REGELING)),
    spec("doelgroep", "Doelgroep(en)", Kind::Multi(L_DOELGROEP)),
    spec(
        "levensgebeurtenis",
        "Levensgebeurtenis",
        Kind::Code(L_LEVENSGEBEURTENIS),
    ),
    spec("complexiteit", "Complexiteit", Kind::Plain),
    spec("spoed", "Spoed", Kind::Bool),
    spec("triage_op", "Datum triage", Kind::Date),
    spec("triage_besluit", "Triagebesluit", Kind::Code(L_BESLUIT)),
    spec("warm_doorverwezen", "Warm doorverwezen", Kind::Bool),
    spec(
        "doorverwezen_naar",
        "Doorverwezen naar",
        Kind::Code(L_DOORVERWEZEN),
    ),
    spec("zienswijze_op", "Datum zienswijze", Kind::Date),
    spec(
        "zienswijze_reactie",
        "Reactie op zienswijze",
        Kind::Code(L_REACTIE),
    ),
    spec("geescaleerd", "Geëscaleerd", Kind::Bool),
    spec("escalatie_niveau", "Escalatieniveau", Kind::Code(L_NIVEAU)),
    spec("pauzeknop", "Pauzeknop ingezet", Kind::Bool),
    spec("uitkomst", "Uitkomst", Kind::Code(L_UITKOMST)),
    spec("afgerond_op", "Datum afgerond", Kind::Date),
    spec("beleving_burger", "Beleving burger (1-10)", Kind::Plain),
    spec(
        "beleving_eerstelijnshelper",
        "Beleving eerstelijnshelper (1-10)",
        Kind::Plain,
    ),
    spec(
        "beleving_helper_dienst",
        "Beleving helper dienst (1-10)",
        Kind::Plain,
    ),
    spec("geleerde_les", "Geleerde les", Kind::Plain),
    spec("samenvatting", "Samenvatting", Kind::Plain),
    spec("verhaal_vrijgegeven", "Verhaal vrijgegeven", Kind::Bool),
];

const SIGNAL_SPECS: &[ColSpec] = &[
    spec("signaal_id", "Signaalnummer", Kind::Plain),
    spec("gemeld_op", "Datum melding", Kind::Date),
    spec("bron", "Bron", Kind::Code(L_BRON)),
    spec("thema", "Thema", Kind::Code(L_THEMA)),
    spec("regeling", "Regeling", Kind::Code(L_REGELING)),
    spec("doelgroep", "Doelgroep(en)", Kind::Multi(L_DOELGROEP)),
    spec("omschrijving", "Omschrijving", Kind::Plain),
    spec("casus_ids", "Gekoppelde casussen", Kind::MultiPlain),
    spec("status", "Status", Kind::Code(L_STATUS)),
    spec("doorgezet_naar", "Doorgezet naar", Kind::Code(L_ONTVANGER)),
    spec("doorgezet_op", "Datum doorgezet", Kind::Date),
    spec("eigenaar", "Signaaleigenaar", Kind::Plain),
    spec("reactie_verwacht_op", "Reactie verwacht op", Kind::Date),
    spec("terugkoppeling", "Terugkoppeling", Kind::Plain),
    spec("terugkoppeling_op", "Datum terugkoppeling", Kind::Date),
];

fn label(table: Labels, code: &str) -> String {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Canonical cells -> the cells as the spreadsheet shows them.
fn excel_record(canonical: &[String], specs: &[ColSpec]) -> Vec<String> {
    canonical
        .iter()
        .zip(specs)
        .map(|(v, s)| {
            if v.is_empty() {
                return String::new();
            }
            match s.kind {
                Kind::Plain => v.clone(),
                Kind::Date => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map(|d| d.format("%d-%m-%Y").to_string())
                    .unwrap_or_else(|_| v.clone()),
                Kind::Bool => if v == "ja" { "Ja" } else { "Nee" }.to_string(),
                Kind::Code(t) => label(t, v),
                Kind::Multi(t) => v
                    .split('|')
                    .map(|x| label(t, x))
                    .collect::<Vec<_>>()
                    .join(", "),
                Kind::MultiPlain => v.split('|').collect::<Vec<_>>().join(", "),
            }
        })
        .collect()
}

fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn mapping_section(out: &mut String, file: &str, specs: &[ColSpec]) {
    out.push_str(&format!("\n[{file}.kolommen]\n"));
    for s in specs {
        out.push_str(&format!("{} = {}\n", toml_str(s.header), toml_str(s.col)));
    }
    out.push_str(&format!("\n[{file}.meerwaardig]\n"));
    for s in specs {
        if matches!(s.kind, Kind::Multi(_) | Kind::MultiPlain) {
            out.push_str(&format!("{} = \",\"\n", s.col));
        }
    }
    for s in specs {
        match s.kind {
            Kind::Code(t) | Kind::Multi(t) => {
                out.push_str(&format!("\n[{file}.waarden.{}]\n", s.col));
                for (code, lab) in t {
                    out.push_str(&format!("{} = {}\n", toml_str(lab), toml_str(code)));
                }
            }
            Kind::Bool => {
                out.push_str(&format!(
                    "\n[{file}.waarden.{}]\n\"Ja\" = \"ja\"\n\"Nee\" = \"nee\"\n",
                    s.col
                ));
            }
            _ => {}
        }
    }
}

/// The `rodedraad.toml` that maps the Excel-style files back to the canonical model.
fn mapping_toml() -> String {
    let mut out = String::from(
        "# Koppeling van de Excel-export (casussen.csv, signalen.csv) aan het canonieke model.\n\
         # Gemaakt door de voorbeeldgenerator van rodedraad.\n\n\
         [invoer]\n\
         scheidingsteken = \";\"\n\
         codering = \"windows-1252\"\n\
         datumformaten = [\"%d-%m-%Y\"]\n",
    );
    mapping_section(&mut out, "casussen", CASE_SPECS);
    mapping_section(&mut out, "signalen", SIGNAL_SPECS);
    out
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

fn csv_bytes<I>(
    headers: &[&str],
    rows: I,
    delimiter: u8,
    terminator: csv::Terminator,
) -> io::Result<Vec<u8>>
where
    I: Iterator<Item = Vec<String>>,
{
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .from_writer(Vec::new());
    w.write_record(headers).map_err(io::Error::other)?;
    for row in rows {
        w.write_record(&row).map_err(io::Error::other)?;
    }
    w.into_inner().map_err(|e| io::Error::other(e.to_string()))
}

fn to_windows_1252(utf8: &[u8]) -> io::Result<Vec<u8>> {
    let text = std::str::from_utf8(utf8).map_err(io::Error::other)?;
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "tekst bevat tekens die niet in Windows-1252 passen",
        ));
    }
    Ok(bytes.into_owned())
}

/// Writes to a temporary name in the same directory, then renames.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "ongeldige bestandsnaam"))?;
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        BESLUITEN, BRONNEN, DIENSTEN, ESCALATIE_NIVEAUS, ONTVANGERS, REACTIES, SIGNAAL_STATUSSEN,
        UITKOMSTEN,
    };
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn opts(seed: u64, cases: Option<usize>, planted: bool) -> SampleOptions {
        SampleOptions {
            seed,
            cases,
            planted,
            ..SampleOptions::default()
        }
    }

    fn tmp_dir(name: &str) -> std::path::PathBuf {
        let p =
            std::env::temp_dir().join(format!("rodedraad-sample-{}-{}", name, std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        p
    }

    fn codes(t: Labels) -> Vec<&'static str> {
        t.iter().map(|x| x.0).collect()
    }

    /// Every process rule (docs/domein.md#voorbeelddata), for one case.
    fn check_case(c: &Case, end: NaiveDate) {
        let id = &c.casus_id;
        let o = c.ontvangen_op;
        assert!(o >= start_date() && o <= end, "{id}: ontvangen_op");
        assert!(id.starts_with(&format!("C-{}-", o.year())), "{id}: id year");
        for x in [c.triage_op, c.zienswijze_op, c.afgerond_op]
            .into_iter()
            .flatten()
        {
            assert!(x <= end, "{id}: date after export");
        }
        assert!(codes(L_THEMA).contains(&c.thema.as_str()), "{id}: thema");
        assert!(
            codes(L_AANDRAGER).contains(&c.aandrager_type.as_str()),
            "{id}"
        );
        assert_eq!(
            c.aandrager_id.is_none(),
            c.aandrager_type == "burger_zelf",
            "{id}: aandrager_id"
        );
        let dienst = c.dienst.map(|x| x.as_str()).unwrap();
        assert!(DIENSTEN.contains(&dienst));
        let regeling = c.regeling.as_deref();
        if let Some(r) = regeling {
            assert!(codes(L_REGELING).contains(&r), "{id}: regeling {r}");
        }
        for g in &c.doelgroep {
            assert!(codes(L_DOELGROEP).contains(&g.as_str()), "{id}: doelgroep");
        }
        if let Some(l) = c.levensgebeurtenis.as_deref() {
            assert!(codes(L_LEVENSGEBEURTENIS).contains(&l));
        }
        // Theme and service.
        match c.thema_hoofd() {
            "toeslagen" => {
                assert_eq!(dienst, "dienst_toeslagen", "{id}");
                assert!(
                    matches!(
                        regeling,
                        Some(
                            "huurtoeslag"
                                | "zorgtoeslag"
                                | "kinderopvangtoeslag"
                                | "kindgebonden_budget"
                        )
                    ),
                    "{id}: toeslagen regeling"
                );
            }
            "ondernemers" => {
                assert_eq!(dienst, "belastingdienst", "{id}");
                assert!(
                    matches!(
                        regeling,
                        Some("btw" | "loonheffingen" | "inkomstenbelasting")
                    ),
                    "{id}"
                );
                assert!(
                    c.doelgroep.iter().any(|g| g == "zzp" || g == "mkb"),
                    "{id}: zzp/mkb"
                );
            }
            "douane" => assert_eq!(dienst, "douane", "{id}"),
            _ => assert_ne!(dienst, "douane", "{id}"),
        }
        if let Some(k) = c.complexiteit {
            assert!((1..=3).contains(&k));
        }
        assert!(
            c.samenvatting.as_deref().is_some_and(|s| s.len() > 40),
            "{id}: samenvatting"
        );
        // Process.
        let besluit = c.triage_besluit.map(|x| x.as_str());
        match c.triage_op {
            None => assert!(besluit.is_none() && c.uitkomst.is_none() && c.zienswijze_op.is_none()),
            Some(t) => {
                assert!(t >= o && (t - o).num_days() <= 21, "{id}: triage 0-21 days");
                assert!(BESLUITEN.contains(&besluit.unwrap()));
            }
        }
        let behandelen = besluit == Some("behandelen");
        assert_eq!(
            c.warm_doorverwezen.is_some(),
            besluit == Some("doorverwijzen"),
            "{id}"
        );
        assert_eq!(
            c.doorverwezen_naar.is_some(),
            besluit == Some("doorverwijzen"),
            "{id}"
        );
        if let Some(z) = c.zienswijze_op {
            assert!(behandelen, "{id}: zienswijze only when behandelen");
            let t = c.triage_op.unwrap();
            assert!(
                z >= t && (z - t).num_days() <= 60,
                "{id}: zienswijze 10-60 days after triage"
            );
        }
        if let Some(r) = c.zienswijze_reactie.map(|x| x.as_str()) {
            assert!(c.zienswijze_op.is_some() && REACTIES.contains(&r));
        }
        assert_eq!(c.geescaleerd.is_some(), behandelen, "{id}: geescaleerd");
        assert_eq!(
            c.geescaleerd == Some(true),
            c.escalatie_niveau.is_some(),
            "{id}"
        );
        if let Some(n) = c.escalatie_niveau.map(|x| x.as_str()) {
            assert!(ESCALATIE_NIVEAUS.contains(&n) && c.zienswijze_reactie.is_some());
        }
        if c.pauzeknop == Some(true) {
            assert!(behandelen);
        }
        match c.afgerond_op {
            Some(a) => {
                assert!(behandelen, "{id}: only behandelen cases close");
                let days = (a - o).num_days();
                assert!((20..=200).contains(&days), "{id}: afgerond {days} days");
                assert!(a >= c.zienswijze_op.unwrap_or(o) && a >= c.triage_op.unwrap());
                let u = c.uitkomst.map(|x| x.as_str()).unwrap();
                assert!(
                    UITKOMSTEN.contains(&u) && u != "lopend",
                    "{id}: final uitkomst"
                );
                assert!(c.verhaal_vrijgegeven.is_some());
            }
            None => {
                assert!(
                    matches!(c.uitkomst.map(|x| x.as_str()), None | Some("lopend")),
                    "{id}: open uitkomst"
                );
                if !behandelen {
                    assert!(
                        c.uitkomst.is_none(),
                        "{id}: no uitkomst when not behandelen"
                    );
                }
                assert!(c.beleving_burger.is_none() && c.beleving_eerstelijnshelper.is_none());
                assert!(c.beleving_helper_dienst.is_none() && c.geleerde_les.is_none());
                assert!(c.verhaal_vrijgegeven.is_none());
            }
        }
        for s in [
            c.beleving_burger,
            c.beleving_eerstelijnshelper,
            c.beleving_helper_dienst,
        ]
        .into_iter()
        .flatten()
        {
            assert!((1..=10).contains(&s));
        }
    }

    fn check_signal(s: &Signal, end: NaiveDate, case_dates: &BTreeMap<&str, NaiveDate>) {
        let id = &s.signaal_id;
        assert!(s.gemeld_op >= start_date() && s.gemeld_op <= end);
        assert!(id.starts_with(&format!("S-{}-", s.gemeld_op.year())));
        assert!(BRONNEN.contains(&s.bron.map(|x| x.as_str()).unwrap()));
        assert!(SIGNAAL_STATUSSEN.contains(&s.status.map(|x| x.as_str()).unwrap()));
        assert!(s.omschrijving.as_deref().is_some_and(|t| t.len() > 30));
        assert!(s.casus_ids.len() <= 4);
        for cid in &s.casus_ids {
            let o = case_dates
                .get(cid.as_str())
                .unwrap_or_else(|| panic!("{id}: unknown case {cid}"));
            assert!(*o <= s.gemeld_op, "{id}: case received after the signal");
        }
        if let Some(t) = s.thema.as_deref() {
            assert!(codes(L_THEMA).contains(&t));
        }
        assert_eq!(s.doorgezet_naar.is_some(), s.doorgezet_op.is_some());
        assert_eq!(s.doorgezet_naar.is_some(), s.eigenaar.is_some());
        if let Some(n) = s.doorgezet_naar.map(|x| x.as_str()) {
            assert!(ONTVANGERS.contains(&n));
            let dz = s.doorgezet_op.unwrap();
            assert!(dz >= s.gemeld_op && dz <= end);
            assert!(s.reactie_verwacht_op.unwrap() > dz);
            assert!(!matches!(
                s.status.map(|x| x.as_str()),
                Some("nieuw" | "in_analyse")
            ));
        }
        assert_eq!(s.terugkoppeling.is_some(), s.terugkoppeling_op.is_some());
        if let Some(f) = s.terugkoppeling_op {
            assert!(f >= s.doorgezet_op.unwrap_or(s.gemeld_op) && f <= end);
        }
    }

    fn check_all(data: &SampleData, end: NaiveDate) {
        let mut ids = BTreeSet::new();
        for w in data.cases.windows(2) {
            assert!(
                w[0].ontvangen_op <= w[1].ontvangen_op,
                "cases sorted by receipt"
            );
        }
        for c in &data.cases {
            check_case(c, end);
            assert!(ids.insert(c.casus_id.as_str()), "duplicate id");
        }
        let dates: BTreeMap<&str, NaiveDate> = data
            .cases
            .iter()
            .map(|c| (c.casus_id.as_str(), c.ontvangen_op))
            .collect();
        let mut sids = BTreeSet::new();
        for s in &data.signals {
            check_signal(s, end, &dates);
            assert!(sids.insert(s.signaal_id.as_str()));
        }
        for t in &data.planted {
            for id in &t.casus_ids {
                assert!(ids.contains(id.as_str()));
            }
        }
    }

    #[test]
    fn prng_is_splitmix64() {
        // Reference values of SplitMix64 with state 0 (Vigna's splitmix64.c).
        let mut r = Rng(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(r.next_u64(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn par_map_keeps_order_and_sequences_restart_each_year() {
        let v = par_map(120_001, |i| i as u64 * 3);
        assert_eq!(v.len(), 120_001);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64 * 3));
        let seq = year_sequence(
            [
                d(2025, 3, 1),
                d(2025, 3, 1),
                d(2025, 12, 31),
                d(2026, 1, 1),
                d(2026, 2, 1),
            ]
            .into_iter(),
        );
        assert_eq!(seq, [1, 2, 3, 1, 2]);
        let big = generate(&opts(5, Some(60_000), true));
        assert_eq!(
            big.cases[59_999].casus_id,
            format!(
                "C-2026-{:04}",
                big.cases
                    .iter()
                    .filter(|c| c.ontvangen_op.year() == 2026)
                    .count()
            )
        );
        assert_eq!(big, generate(&opts(5, Some(60_000), true)));
    }

    #[test]
    fn month_weights_give_60_and_250() {
        let y2025: f64 = (3..=12).map(|m| case_month_weight(2025, m)).sum();
        let y2026: f64 = (1..=12).map(|m| case_month_weight(2026, m)).sum();
        assert_eq!((y2025, y2026), (60.0, 250.0));
        assert_eq!(case_month_weight(2025, 2), 0.0);
        let cdf = DayCdf::new(start_date(), d(2026, 10, 31), case_month_weight);
        // 60 + Jan-Oct 2026 (14+15+17+18+19+20+21+22+23+25 = 194).
        assert!((cdf.total - 254.0).abs() < 1e-9);
        let s = DayCdf::new(start_date(), d(2026, 10, 31), signal_month_weight);
        assert!((s.total - (162.0 + 265.0)).abs() < 1e-9);
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let a = tmp_dir("det-a");
        let b = tmp_dir("det-b");
        let c = tmp_dir("det-c");
        write_canonical(&generate(&opts(11, None, true)), &a.join("canon")).unwrap();
        write_excel_style(&generate(&opts(11, None, true)), &a.join("excel")).unwrap();
        write_canonical(&generate(&opts(11, None, true)), &b.join("canon")).unwrap();
        write_excel_style(&generate(&opts(11, None, true)), &b.join("excel")).unwrap();
        write_canonical(&generate(&opts(12, None, true)), &c.join("canon")).unwrap();
        for f in [
            "canon/casussen.csv",
            "canon/signalen.csv",
            "canon/geplante-draden.json",
            "excel/casussen.csv",
            "excel/signalen.csv",
            "excel/rodedraad.toml",
        ] {
            assert_eq!(
                std::fs::read(a.join(f)).unwrap(),
                std::fs::read(b.join(f)).unwrap(),
                "{f}"
            );
        }
        assert_ne!(
            std::fs::read(a.join("canon/casussen.csv")).unwrap(),
            std::fs::read(c.join("canon/casussen.csv")).unwrap()
        );
        // No temporary files are left behind.
        let left: Vec<_> = std::fs::read_dir(a.join("canon"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 3);
        for p in [a, b, c] {
            std::fs::remove_dir_all(p).unwrap();
        }
    }

    #[test]
    fn process_rules_hold_for_every_case_and_signal() {
        for seed in 0..6 {
            for planted in [true, false] {
                let data = generate(&opts(seed, None, planted));
                check_all(&data, d(2026, 10, 31));
            }
        }
        let data = generate(&opts(3, Some(20_000), true));
        check_all(&data, d(2026, 10, 31));
    }

    #[test]
    fn default_volumes_per_year() {
        for seed in 0..8 {
            let data = generate(&opts(seed, None, true));
            assert_eq!(data.cases.len(), 254);
            assert_eq!(data.signals.len(), 427);
            let in_year = |y: i32| {
                data.cases
                    .iter()
                    .filter(|c| c.ontvangen_op.year() == y)
                    .count()
            };
            let (c25, c26) = (in_year(2025), in_year(2026));
            assert!((40..=80).contains(&c25), "seed {seed}: {c25} cases in 2025");
            assert!(
                (170..=215).contains(&c26),
                "seed {seed}: {c26} cases in 2026"
            );
            let s25 = data
                .signals
                .iter()
                .filter(|s| s.gemeld_op.year() == 2025)
                .count();
            assert!(
                (130..=195).contains(&s25),
                "seed {seed}: {s25} signals in 2025"
            );
            assert_eq!(data.cases[0].casus_id, "C-2025-0001");
            assert_eq!(data.signals[0].signaal_id, "S-2025-0001");
            let linked = data
                .signals
                .iter()
                .filter(|s| !s.casus_ids.is_empty())
                .count() as f64;
            let share = linked / data.signals.len() as f64;
            assert!(
                (0.18..=0.32).contains(&share),
                "seed {seed}: linked share {share}"
            );
            let main_bron = data
                .signals
                .iter()
                .filter(|s| {
                    matches!(
                        s.bron.map(|x| x.as_str()),
                        Some("ksm" | "eigen_casuistiek" | "maatschappelijke_partner")
                    )
                })
                .count() as f64;
            assert!(main_bron / data.signals.len() as f64 > 0.75);
        }
    }

    #[test]
    fn monthly_intake_rises() {
        let data = generate(&opts(5, Some(50_000), false));
        let count = |y: i32, months: std::ops::RangeInclusive<u32>| {
            data.cases
                .iter()
                .filter(|c| c.ontvangen_op.year() == y && months.contains(&c.ontvangen_op.month()))
                .count() as f64
        };
        // Expected shares of 254: Mar-May 2025 = 9, Jun-Aug 2025 = 16, Jan-Mar 2026 = 46, Aug-Oct 2026 = 70.
        let n = 50_000.0 / 254.0;
        for (got, want) in [
            (count(2025, 3..=5), 9.0),
            (count(2025, 6..=8), 16.0),
            (count(2026, 1..=3), 46.0),
            (count(2026, 8..=10), 70.0),
        ] {
            assert!(
                (got / n - want).abs() < 0.08 * want,
                "{got} vs {}",
                want * n
            );
        }
        assert_eq!(data.cases.len(), 50_000);
        let ratio = data.signals.len() as f64 / 50_000.0;
        assert!((ratio - 427.0 / 254.0).abs() < 1e-3);
    }

    #[test]
    fn process_shares_match_the_documented_assumptions() {
        let data = generate(&opts(9, Some(40_000), false));
        let cs = &data.cases;
        let share = |num: usize, den: usize| num as f64 / den as f64;
        let triaged: Vec<&Case> = cs.iter().filter(|c| c.triage_besluit.is_some()).collect();
        let by = |b: &str| {
            triaged
                .iter()
                .filter(|c| c.triage_besluit.map(|x| x.as_str()) == Some(b))
                .count()
        };
        assert!((share(by("behandelen"), triaged.len()) - 0.55).abs() < 0.015);
        assert!((share(by("doorverwijzen"), triaged.len()) - 0.30).abs() < 0.015);
        assert!((share(by("niet_behandelen"), triaged.len()) - 0.15).abs() < 0.01);
        let warm = triaged
            .iter()
            .filter(|c| c.warm_doorverwezen == Some(true))
            .count();
        assert!((share(warm, by("doorverwijzen")) - 0.70).abs() < 0.02);
        let spoed = cs.iter().filter(|c| c.spoed == Some(true)).count();
        assert!((share(spoed, cs.len()) - 0.10).abs() < 0.01);
        let pauze = cs.iter().filter(|c| c.pauzeknop == Some(true)).count();
        assert!((share(pauze, triaged.len()) - 0.0495).abs() < 0.008);
        let with_reactie: Vec<&Case> = cs
            .iter()
            .filter(|c| c.zienswijze_reactie.is_some())
            .collect();
        let r = |x: &str| {
            share(
                with_reactie
                    .iter()
                    .filter(|c| c.zienswijze_reactie.map(|x| x.as_str()) == Some(x))
                    .count(),
                with_reactie.len(),
            )
        };
        assert!(
            (r("overgenomen") - 0.55).abs() < 0.02 && (r("deels_overgenomen") - 0.20).abs() < 0.02
        );
        assert!(
            (r("niet_overgenomen") - 0.15).abs() < 0.015
                && (r("geen_reactie") - 0.10).abs() < 0.015
        );
        // Escalation: 0.55*0.03 + 0.20*0.15 + 0.15*0.45 + 0.10*0.30 = 0.144 (before censoring at export).
        let esc = with_reactie
            .iter()
            .filter(|c| c.geescaleerd == Some(true))
            .count();
        assert!((share(esc, with_reactie.len()) - 0.144).abs() < 0.02);
        let niet: Vec<&&Case> = with_reactie
            .iter()
            .filter(|c| c.zienswijze_reactie.map(|x| x.as_str()) == Some("niet_overgenomen"))
            .collect();
        let esc_niet = niet.iter().filter(|c| c.geescaleerd == Some(true)).count();
        assert!(share(esc_niet, niet.len()) > 0.35);
        let closed: Vec<&Case> = cs.iter().filter(|c| c.afgerond_op.is_some()).collect();
        let vrij = closed
            .iter()
            .filter(|c| c.verhaal_vrijgegeven == Some(true))
            .count();
        assert!((share(vrij, closed.len()) - 0.15).abs() < 0.015);
        let les = closed.iter().filter(|c| c.geleerde_les.is_some()).count();
        assert!((share(les, closed.len()) - 0.40).abs() < 0.02);
        let scores: Vec<u8> = closed.iter().filter_map(|c| c.beleving_burger).collect();
        assert!(share(scores.len(), closed.len()) > 0.6 && share(scores.len(), closed.len()) < 0.8);
        let mid = scores.iter().filter(|s| (6..=9).contains(*s)).count();
        assert!(share(mid, scores.len()) > 0.65);
        // Recent cases are more often open than older ones.
        let open_share = |from: NaiveDate, to: NaiveDate| {
            let b: Vec<&Case> = cs
                .iter()
                .filter(|c| {
                    c.triage_besluit.map(|x| x.as_str()) == Some("behandelen")
                        && c.ontvangen_op >= from
                        && c.ontvangen_op <= to
                })
                .collect();
            share(
                b.iter().filter(|c| c.afgerond_op.is_none()).count(),
                b.len(),
            )
        };
        let old = open_share(d(2025, 3, 1), d(2025, 12, 31));
        let recent = open_share(d(2026, 8, 1), d(2026, 10, 31));
        assert!(old < 0.10 && recent > 0.85, "open shares {old} {recent}");
    }

    fn matches_pattern(c: &Case, p: &BTreeMap<String, String>) -> bool {
        p.iter().all(|(k, v)| match k.as_str() {
            "thema" => &c.thema == v,
            "regeling" => c.regeling.as_ref() == Some(v),
            "doelgroep" => c.doelgroep.contains(v),
            "levensgebeurtenis" => c.levensgebeurtenis.as_ref() == Some(v),
            "aandrager_type" => &c.aandrager_type == v,
            "dienst" => c.dienst.map(|d| d.as_str()) == Some(v.as_str()),
            _ => panic!("unknown attribute {k}"),
        })
    }

    #[test]
    fn planted_threads_are_the_ground_truth() {
        for seed in 0..6 {
            let data = generate(&opts(seed, None, true));
            assert_eq!(data.planted.len(), 5);
            let ids: Vec<&str> = data.planted.iter().map(|t| t.id.as_str()).collect();
            assert_eq!(ids, ["D1", "D2", "D3", "D4", "D5"]);
            let by_id: BTreeMap<&str, &Case> = data
                .cases
                .iter()
                .map(|c| (c.casus_id.as_str(), c))
                .collect();
            let mut all_planted = BTreeSet::new();
            for t in &data.planted {
                assert!(
                    (8..=25).contains(&t.casus_ids.len()),
                    "{}: {}",
                    t.id,
                    t.casus_ids.len()
                );
                assert!((2..=4).contains(&t.pattern.len()));
                let cases: Vec<&Case> = t.casus_ids.iter().map(|i| by_id[i.as_str()]).collect();
                let orgs: BTreeSet<_> = cases
                    .iter()
                    .filter_map(|c| c.aandrager_id.clone())
                    .collect();
                assert!(orgs.len() >= 3, "{}: {} organisations", t.id, orgs.len());
                for c in &cases {
                    assert!(matches_pattern(c, &t.pattern), "{} {}", t.id, c.casus_id);
                    all_planted.insert(c.casus_id.as_str());
                }
                // Spread over time: cases in both years.
                assert!(cases.iter().any(|c| c.ontvangen_op.year() == 2026));
                // Background cases that match the whole pattern by chance: hardly any.
                let chance = data
                    .cases
                    .iter()
                    .filter(|c| {
                        matches_pattern(c, &t.pattern) && !t.casus_ids.contains(&c.casus_id)
                    })
                    .count();
                assert!(chance <= 3, "{}: {chance} background cases match", t.id);
            }
            assert_eq!(
                all_planted.len(),
                57,
                "threads are disjoint: 12+10+10+14+11"
            );
            // D4 rises in the last quarter before the export date (expected share of its
            // cases there 0.7 + 0.3 * 70/254 = 0.78); the others follow the intake (0.28).
            let lq = d(2026, 10, 31) - Duration::days(91);
            let shares: Vec<f64> = data
                .planted
                .iter()
                .map(|t| {
                    let late = t
                        .casus_ids
                        .iter()
                        .filter(|i| by_id[i.as_str()].ontvangen_op >= lq)
                        .count();
                    late as f64 / t.casus_ids.len() as f64
                })
                .collect();
            assert!(shares[3] >= 0.55, "D4 late share {}", shares[3]);
            for (k, s) in shares.iter().enumerate() {
                if k != 3 {
                    assert!(*s <= 0.6 && *s < shares[3], "thread {k} late share {s}");
                }
            }
        }
    }

    #[test]
    fn planted_threads_scale_with_volume() {
        let data = generate(&opts(2, Some(25_400), true));
        let sizes: Vec<usize> = data.planted.iter().map(|t| t.casus_ids.len()).collect();
        assert_eq!(sizes, [1200, 1000, 1000, 1400, 1100]);
        let small = generate(&opts(2, Some(60), true));
        let sizes: Vec<usize> = small.planted.iter().map(|t| t.casus_ids.len()).collect();
        assert_eq!(sizes, [4, 4, 4, 4, 4], "floor min(8, 60/15) = 4");
    }

    #[test]
    fn null_sample_has_no_threads_and_no_chance_combinations() {
        let data = generate(&opts(4, None, false));
        assert!(data.planted.is_empty());
        assert_eq!(data.cases.len(), 254);
        let specs = thread_specs();
        for spec in &specs {
            let p = spec.pattern();
            let n = data.cases.iter().filter(|c| matches_pattern(c, &p)).count();
            assert!(n <= 3, "{}: {n}", spec.id);
        }
        let dir = tmp_dir("null");
        write_canonical(&data, &dir).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("geplante-draden.json")).unwrap(),
            "[]\n"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn texts_reflect_theme_and_thread() {
        let data = generate(&opts(8, Some(5_000), true));
        let keywords: &[(&str, &[&str])] = &[
            ("toeslagen", &["toeslag", "herstel", "kindgebonden budget"]),
            (
                "invordering",
                &[
                    "betalingsregeling",
                    "beslag",
                    "verrekend",
                    "verrekening",
                    "kwijtschelding",
                    "dwangbevel",
                    "invordering",
                    "uitstel",
                ],
            ),
            (
                "inkomstenbelasting",
                &["aanslag", "aangifte", "navordering", "box 3"],
            ),
            (
                "ondernemers",
                &[
                    "ondernem",
                    "btw",
                    "loonheffing",
                    "boete",
                    "coronaschuld",
                    "zzp",
                ],
            ),
            (
                "dienstverlening",
                &[
                    "bereikbaar",
                    "brief",
                    "brieven",
                    "jargon",
                    "kastje",
                    "loket",
                    "digid",
                    "machtig",
                    "doorlooptijd",
                    "wachten",
                ],
            ),
            (
                "rechtsbescherming",
                &[
                    "termijn",
                    "hardheid",
                    "regels",
                    "fraud",
                    "opzet",
                    "controle",
                    "selectie",
                    "vergissing",
                ],
            ),
            ("douane", &["douane"]),
        ];
        for (hoofd, words) in keywords {
            let cs: Vec<&Case> = data
                .cases
                .iter()
                .filter(|c| c.thema_hoofd() == *hoofd)
                .collect();
            let hit = cs
                .iter()
                .filter(|c| {
                    let t = c.samenvatting.as_ref().unwrap().to_lowercase();
                    words.iter().any(|w| t.contains(w))
                })
                .count();
            if hit != cs.len() {
                for c in cs
                    .iter()
                    .filter(|c| {
                        let t = c.samenvatting.as_ref().unwrap().to_lowercase();
                        !words.iter().any(|w| t.contains(w))
                    })
                    .take(5)
                {
                    eprintln!("{} {}", c.thema, c.samenvatting.as_ref().unwrap());
                }
            }
            assert_eq!(hit, cs.len(), "{hoofd}");
        }
        let by_id: BTreeMap<&str, &Case> = data
            .cases
            .iter()
            .map(|c| (c.casus_id.as_str(), c))
            .collect();
        let marker = [
            ("D1", "pensio"),
            ("D2", "beslag"),
            ("D3", "digid"),
            ("D4", "coronaschuld"),
            ("D5", "scheiding"),
        ];
        for (t, (id, word)) in data.planted.iter().zip(marker) {
            assert_eq!(t.id, id);
            for cid in &t.casus_ids {
                let s = by_id[cid.as_str()]
                    .samenvatting
                    .as_ref()
                    .unwrap()
                    .to_lowercase();
                assert!(s.contains(word), "{id} {cid}");
            }
        }
        // The thread vocabulary is rare outside the thread.
        let d4: BTreeSet<&str> = data.planted[3]
            .casus_ids
            .iter()
            .map(String::as_str)
            .collect();
        let outside = data
            .cases
            .iter()
            .filter(|c| {
                !d4.contains(c.casus_id.as_str())
                    && c.samenvatting.as_ref().unwrap().contains("zestig maanden")
            })
            .count();
        assert_eq!(outside, 0);
    }

    #[test]
    fn texts_vary_and_hold_no_personal_data() {
        let data = generate(&opts(6, None, true));
        let distinct: BTreeSet<&str> = data
            .cases
            .iter()
            .map(|c| c.samenvatting.as_deref().unwrap())
            .collect();
        assert!(
            distinct.len() as f64 >= 0.97 * data.cases.len() as f64,
            "{} distinct",
            distinct.len()
        );
        let big = generate(&opts(6, Some(20_000), true));
        let texts = big
            .cases
            .iter()
            .flat_map(|c| [c.samenvatting.as_deref(), c.geleerde_les.as_deref()])
            .chain(
                big.signals
                    .iter()
                    .flat_map(|s| [s.omschrijving.as_deref(), s.terugkoppeling.as_deref()]),
            )
            .flatten();
        for t in texts {
            let mut run = 0;
            for ch in t.chars() {
                run = if ch.is_ascii_digit() { run + 1 } else { 0 };
                assert!(run < 3, "digit run in {t}");
            }
            assert!(
                !t.contains('@') && !t.contains("NL") && !t.contains("BSN"),
                "{t}"
            );
            let (_, _, bad) = encoding_rs::WINDOWS_1252.encode(t);
            assert!(!bad, "not Windows-1252: {t}");
        }
    }

    fn read_csv(text: &str, delim: u8) -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delim)
            .from_reader(text.as_bytes());
        let h = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows = r
            .records()
            .map(|x| x.unwrap().iter().map(str::to_string).collect())
            .collect();
        (h, rows)
    }

    /// Maps an Excel-style file back with the mapping file (exact keys) and compares it
    /// with the canonical file, cell by cell.
    fn round_trip(
        excel: &[u8],
        canonical: &str,
        map: &toml::Value,
        file: &str,
        columns: &[&str],
    ) -> usize {
        let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(excel);
        assert!(!bad);
        let (eh, erows) = read_csv(&text, b';');
        let (ch, crows) = read_csv(canonical, b',');
        assert_eq!(ch, columns);
        let kolommen = map[file]["kolommen"].as_table().unwrap();
        let meer = map[file]["meerwaardig"].as_table().unwrap();
        let waarden = map[file]["waarden"].as_table().unwrap();
        let fmt = map["invoer"]["datumformaten"][0].as_str().unwrap();
        let canon_of: Vec<&str> = eh
            .iter()
            .map(|h| kolommen[h.as_str()].as_str().unwrap())
            .collect();
        assert_eq!(kolommen.len(), eh.len(), "every header is mapped");
        assert_eq!(erows.len(), crows.len());
        let mut cells = 0;
        for (er, cr) in erows.iter().zip(&crows) {
            for (j, col) in canon_of.iter().enumerate() {
                let raw = &er[j];
                let map_one = |v: &str| -> String {
                    match waarden.get(*col) {
                        Some(t) => t
                            .get(v)
                            .unwrap_or_else(|| panic!("{file}.{col}: value {v:?} not in mapping"))
                            .as_str()
                            .unwrap()
                            .to_string(),
                        None => v.to_string(),
                    }
                };
                let got = if raw.is_empty() {
                    String::new()
                } else if let Some(sep) = meer.get(*col) {
                    raw.split(sep.as_str().unwrap())
                        .map(|v| map_one(v.trim()))
                        .collect::<Vec<_>>()
                        .join("|")
                } else if col.ends_with("_op") {
                    NaiveDate::parse_from_str(raw, fmt)
                        .unwrap()
                        .format("%Y-%m-%d")
                        .to_string()
                } else {
                    map_one(raw)
                };
                let k = columns.iter().position(|c| c == col).unwrap();
                assert_eq!(got, cr[k], "{file}.{col}");
                cells += 1;
            }
        }
        cells
    }

    #[test]
    fn excel_style_round_trips_through_the_mapping() {
        let data = generate(&opts(21, Some(3_000), true));
        let dir = tmp_dir("excel");
        write_canonical(&data, &dir.join("canon")).unwrap();
        write_excel_style(&data, &dir.join("excel")).unwrap();
        let map: toml::Value =
            toml::from_str(&std::fs::read_to_string(dir.join("excel/rodedraad.toml")).unwrap())
                .unwrap();
        assert_eq!(map["invoer"]["scheidingsteken"].as_str(), Some(";"));
        assert_eq!(map["invoer"]["codering"].as_str(), Some("windows-1252"));
        let ex_cases = std::fs::read(dir.join("excel/casussen.csv")).unwrap();
        let ex_signals = std::fs::read(dir.join("excel/signalen.csv")).unwrap();
        let n = round_trip(
            &ex_cases,
            &std::fs::read_to_string(dir.join("canon/casussen.csv")).unwrap(),
            &map,
            "casussen",
            CASE_COLUMNS,
        );
        assert_eq!(n, 3_000 * 28);
        let n = round_trip(
            &ex_signals,
            &std::fs::read_to_string(dir.join("canon/signalen.csv")).unwrap(),
            &map,
            "signalen",
            SIGNAL_COLUMNS,
        );
        assert_eq!(n, data.signals.len() * 15);
        // Bytes: no BOM, CRLF everywhere, Windows-1252 e-diaeresis (0xEB) in "Geëscaleerd".
        assert_ne!(&ex_cases[..3], b"\xEF\xBB\xBF");
        let header_end = ex_cases.windows(2).position(|w| w == b"\r\n").unwrap();
        let header = &ex_cases[..header_end];
        assert!(header.windows(11).any(|w| w == b"Ge\xEBscaleerd"));
        assert!(header.starts_with(
            b"Casusnummer;Datum ontvangen;Type aandrager;Organisatie aandrager;Dienst;Thema;"
        ));
        for bytes in [&ex_cases, &ex_signals] {
            let lf = bytes.iter().filter(|&&b| b == b'\n').count();
            let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
            assert_eq!(lf, crlf);
        }
        assert!(ex_signals.windows(16).any(|w| w == b"Eigen casu\xEFstiek"));
        let text = encoding_rs::WINDOWS_1252.decode(&ex_cases).0;
        assert!(
            text.contains(";Deels overgenomen;")
                && text.contains(";Ja;")
                && text.contains("Sociaal raadslieden")
        );
        assert!(text.contains("Directeur-generaal") && text.contains("beëindigd"));
        let first_row = text.lines().nth(1).unwrap();
        assert!(
            first_row.split(';').nth(1).unwrap().len() == 10
                && first_row.split(';').nth(1).unwrap().as_bytes()[2] == b'-'
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn mapping_labels_are_unique_after_normalisation() {
        // The main crate matches ignoring case, spaces, diacritics, '-' and '_'.
        fn norm(s: &str) -> String {
            s.chars()
                .filter(|c| !matches!(c, ' ' | '-' | '_'))
                .map(|c| match c {
                    'ë' | 'é' | 'è' | 'ê' => 'e',
                    'ï' | 'í' => 'i',
                    c => c,
                })
                .flat_map(char::to_lowercase)
                .collect()
        }
        for specs in [CASE_SPECS, SIGNAL_SPECS] {
            let headers: BTreeSet<String> = specs.iter().map(|s| norm(s.header)).collect();
            assert_eq!(headers.len(), specs.len());
            for s in specs {
                if let Kind::Code(t) | Kind::Multi(t) = s.kind {
                    let labels: BTreeSet<String> = t.iter().map(|x| norm(x.1)).collect();
                    assert_eq!(labels.len(), t.len(), "{}", s.col);
                    assert!(t.iter().all(|x| !x.1.contains(',') && !x.1.contains(';')));
                }
            }
        }
        let cols: Vec<&str> = CASE_SPECS.iter().map(|s| s.col).collect();
        assert_eq!(cols, CASE_COLUMNS);
        let cols: Vec<&str> = SIGNAL_SPECS.iter().map(|s| s.col).collect();
        assert_eq!(cols, SIGNAL_COLUMNS);
    }

    #[test]
    fn organisations_are_fixed_pseudonyms() {
        let orgs = Orgs::new();
        assert_eq!(orgs.all.len(), 45);
        let ids: BTreeSet<&str> = orgs.all.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids.len(), 45);
        assert!(ids.iter().all(|i| i.len() == 8 && i.starts_with("ORG-0")));
        let data = generate(&opts(1, None, true));
        let mut type_of: BTreeMap<&str, &str> = BTreeMap::new();
        for c in &data.cases {
            if let Some(id) = c.aandrager_id.as_deref() {
                let t = type_of.entry(id).or_insert(c.aandrager_type.as_str());
                assert_eq!(*t, c.aandrager_type, "each organisation has one type");
            }
        }
        assert!(type_of.len() >= 30);
    }

    #[test]
    fn export_date_bounds_everything() {
        let end = d(2025, 9, 30);
        let data = generate(&SampleOptions {
            seed: 3,
            cases: None,
            export_date: end,
            planted: true,
        });
        // Mar-Sep 2025: 2+3+4+5+5+6+7 = 32.
        assert_eq!(data.cases.len(), 32);
        check_all(&data, end);
        let empty = generate(&SampleOptions {
            seed: 3,
            cases: Some(10),
            export_date: d(2025, 1, 1),
            planted: true,
        });
        assert!(empty.cases.is_empty() && empty.signals.is_empty() && empty.planted.is_empty());
    }

    #[test]
    #[ignore = "timing run: cargo test --release -- --ignored"]
    fn one_million_cases() {
        let t = std::time::Instant::now();
        let data = generate(&opts(1, Some(1_000_000), true));
        let secs = t.elapsed().as_secs_f64();
        println!(
            "generate 1_000_000 cases: {secs:.2} s, {} signals",
            data.signals.len()
        );
        assert_eq!(data.cases.len(), 1_000_000);
        assert!(data.cases.last().unwrap().casus_id.len() > 11);
        assert!(secs < 60.0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn rules_hold_for_any_options(seed in any::<u64>(), n in 0usize..400, offset in -30i64..900, planted in any::<bool>()) {
            let end = start_date() + Duration::days(offset);
            let data = generate(&SampleOptions { seed, cases: Some(n), export_date: end, planted });
            if end < start_date() {
                prop_assert!(data.cases.is_empty());
            } else {
                prop_assert_eq!(data.cases.len(), n);
                check_all(&data, end);
            }
            if !planted {
                prop_assert!(data.planted.is_empty());
            }
        }
    }
}
