//! The reader's attack on small counts, on the published figure list and on running text.
//!
//! On `tabellen.json` (tables of rows of cells: `tekst`, `soort`, `waarde`, `noemer`,
//! `onderdrukt`; rows with `totaal` and `deel_van`; `totaal_kolom`):
//! - a shown count in 1..min_cel−1, a hidden cell whose value is still in the file;
//! - a percentage or statistic on a denominator below min_noemer or without one;
//! - percentage × denominator (from the exact share or the printed, rounded text) and its
//!   complement: a count in 1..min_cel−1 that the table hides;
//! - a 95% Wilson interval beside its denominator that pins such a count;
//! - row and column totals minus the shown cells: exact recomputation (through
//!   [`crate::protect::suppress::recoverable_published`]) and bounds narrower than min_cel
//!   (interval propagation over the same equations);
//!
//! Tables a reader links through the report's definitions and its text are attacked
//! together by [`super::reader`], the reader's whole model of the report.
//!
//! In running text (HTML, SVG and Markdown text, XLSX cells, PDF page text): "6 casussen van
//! 2 aandragers", "3 van de 12", "25,0% van 12" (and the complement).
//!
//! ```
//! use rodedraad::protect::audit::counts::text_findings;
//! let f = text_findings("Het ging om 6 casussen van 2 aandragers; 25,0% van 12 kreeg hulp.", 5);
//! assert_eq!(f.len(), 2);
//! ```

use super::FindingKind;
use crate::protect::suppress::{self, Equation, LinkedTable};
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

/// A table as written in `tabellen.json`, read independently of the code that wrote it.
#[derive(Debug, Clone, Deserialize)]
pub struct FigTable {
    pub id: String,
    #[serde(default)]
    pub titel: String,
    #[serde(default)]
    pub kolommen: Vec<String>,
    pub rijen: Vec<FigRow>,
    #[serde(default)]
    pub totaal_kolom: bool,
    /// The table's notes ("Samengevoegd tot \"Overig\": ..."), where the figure list has them.
    #[serde(default)]
    pub voetnoten: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FigRow {
    #[serde(default)]
    pub kop: String,
    pub cellen: Vec<FigCell>,
    #[serde(default)]
    pub totaal: bool,
    #[serde(default)]
    pub deel_van: Option<usize>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FigCell {
    #[serde(default)]
    pub tekst: String,
    #[serde(default)]
    pub soort: String,
    #[serde(default)]
    pub waarde: Option<f64>,
    #[serde(default)]
    pub noemer: Option<u64>,
    #[serde(default)]
    pub onderdrukt: bool,
}

/// One small-count finding: kind, place in the table or text, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountFinding {
    pub kind: FindingKind,
    pub place: String,
    pub message: String,
}

/// Parses the figure list; `Err` when it is not one.
pub fn parse_tables(src: &str) -> Result<Vec<FigTable>, String> {
    serde_json::from_str(src)
        .map_err(|e| format!("de cijferlijst is niet te lezen als lijst van tabellen: {e}"))
}

fn small(v: u64, min_cel: u64) -> bool {
    v > 0 && v < min_cel
}

/// Where a cell is: "tabel stroom, rij 2 (Belastingdienst), kolom 3 (Ontvangen)".
pub(crate) fn place(t: &FigTable, r: usize, c: usize) -> String {
    let col = t
        .kolommen
        .get(c + 1)
        .map(|k| format!("kolom {} ({k})", c + 2))
        .unwrap_or_else(|| format!("kolom {}", c + 2));
    format!("tabel {}, rij {} ({}), {col}", t.id, r + 1, t.rijen[r].kop)
}

/// Parses a Dutch number ("1.234", "7,9") as shown.
fn dutch_number(s: &str) -> Option<f64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    t.replace('.', "").replace(',', ".").parse().ok()
}

/// Decimals shown in a Dutch number text.
fn decimals(s: &str) -> usize {
    s.split_once(',').map_or(0, |(_, d)| {
        d.chars().take_while(|c| c.is_ascii_digit()).count()
    })
}

fn round_to(x: f64, decimals: usize) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (x * f).round() / f
}

/// Numerators `k` in 0..=n whose share, printed as a percentage with the same decimals,
/// gives `text` ("7,9%"); narrowed by the exact share when it is known.
fn numerators(text: &str, share: Option<f64>, n: u64) -> Vec<u64> {
    if let Some(w) = share {
        let k = (w * n as f64).round();
        if (w * n as f64 - k).abs() < 1e-6 && k >= 0.0 && k <= n as f64 {
            return vec![k as u64];
        }
    }
    let Some(p) = text.split('%').next().and_then(dutch_number) else {
        return vec![];
    };
    let d = decimals(text.split('%').next().unwrap_or(""));
    (0..=n)
        .filter(|&k| (round_to(k as f64 / n as f64 * 100.0, d) - p).abs() < 1e-9)
        .collect()
}

/// Which side of the candidates is pinned below min_cel: numerator, complement or none.
fn pinned(ks: &[u64], n: u64, min_cel: u64) -> Option<&'static str> {
    if ks.is_empty() {
        return None;
    }
    if ks.iter().all(|&k| small(k, min_cel)) {
        Some("teller")
    } else if ks.iter().all(|&k| small(n - k, min_cel)) {
        Some("complement")
    } else {
        None
    }
}

/// 95% Wilson score interval (z = 1,96) for k of n.
fn wilson(k: u64, n: u64) -> (f64, f64) {
    let z = 1.959963984540054;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n) + z * z / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

static INTERVAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d+(?:,\d+)?)\s*%?\s*(?:[-–—]|tot)\s*(\d+(?:,\d+)?)\s*%").unwrap()
});

/// Numerators whose Wilson interval prints as `text` ("2,1%–21,4%").
fn wilson_numerators(text: &str, n: u64) -> Vec<u64> {
    let Some(c) = INTERVAL.captures(text) else {
        return vec![];
    };
    let (Some(lo), Some(hi)) = (dutch_number(&c[1]), dutch_number(&c[2])) else {
        return vec![];
    };
    let (dl, dh) = (decimals(&c[1]), decimals(&c[2]));
    (0..=n)
        .filter(|&k| {
            let (l, h) = wilson(k, n);
            (round_to(l * 100.0, dl) - lo).abs() < 1e-9
                && (round_to(h * 100.0, dh) - hi).abs() < 1e-9
        })
        .collect()
}

/// Every small-count finding in one published table.
pub fn check_table(t: &FigTable, min_cel: u64, min_noemer: u64) -> Vec<CountFinding> {
    let mut out = Vec::new();
    for (i, r) in t.rijen.iter().enumerate() {
        let row_noemer = r.cellen.iter().find_map(|c| c.noemer);
        for (j, c) in r.cellen.iter().enumerate() {
            let plek = || place(t, i, j);
            if c.onderdrukt {
                if c.waarde.is_some() || c.noemer.is_some() {
                    out.push(CountFinding {
                        kind: FindingKind::HiddenValueInFile,
                        place: plek(),
                        message:
                            "een verborgen cel heeft toch een waarde of noemer in de cijferlijst"
                                .into(),
                    });
                }
                continue;
            }
            cell_checks(c, row_noemer, plek, min_cel, min_noemer, &mut out);
        }
    }
    out.extend(linked_checks(t, min_cel));
    out
}

fn cell_checks(
    c: &FigCell,
    row_noemer: Option<u64>,
    plek: impl Fn() -> String,
    min_cel: u64,
    min_noemer: u64,
    out: &mut Vec<CountFinding>,
) {
    let mut push = |soort: FindingKind, melding: String| {
        out.push(CountFinding {
            kind: soort,
            place: plek(),
            message: melding,
        })
    };
    match c.soort.as_str() {
        "aantal" => {
            if let Some(v) = c.waarde.or_else(|| dutch_number(&c.tekst)) {
                if v > 0.0 && v < min_cel as f64 {
                    push(
                        FindingKind::SmallCount,
                        format!("aantal kleiner dan {min_cel} getoond"),
                    );
                }
            }
        }
        "percentage" | "getal" => match c.noemer {
            None if c.soort == "percentage" && c.waarde.is_some() => push(
                FindingKind::SmallDenominator,
                "percentage zonder opgegeven noemer".into(),
            ),
            Some(n) if n < min_noemer => push(
                FindingKind::SmallDenominator,
                format!("percentage of kengetal op een noemer kleiner dan {min_noemer}"),
            ),
            Some(n) if c.soort == "percentage" => {
                if let Some(side) = pinned(&numerators(&c.tekst, c.waarde, n), n, min_cel) {
                    push(
                        FindingKind::FromPercentage,
                        format!("percentage × noemer geeft een {side} kleiner dan {min_cel}"),
                    );
                }
            }
            _ => {}
        },
        _ => {}
    }
    if let Some(n) = c.noemer.or(row_noemer) {
        if INTERVAL.is_match(&c.tekst) && n >= 1 {
            if let Some(side) = pinned(&wilson_numerators(&c.tekst, n), n, min_cel) {
                push(
                    FindingKind::FromInterval,
                    format!("het 95%-interval bij noemer {n} legt een {side} kleiner dan {min_cel} vast"),
                );
            }
        }
    }
}

/// Additive structure of a published table: total row, sub rows, total column.
fn equations(t: &FigTable) -> Option<(LinkedTable, Vec<bool>, usize)> {
    let ncols = t.rijen.first()?.cellen.len();
    if t.rijen.iter().any(|r| r.cellen.len() != ncols) {
        return None;
    }
    let idx = |r: usize, c: usize| r * ncols + c;
    let mut values = Vec::new();
    let mut hidden = Vec::new();
    for r in &t.rijen {
        for c in &r.cellen {
            values.push(if c.onderdrukt {
                0
            } else {
                c.waarde.map_or(0, |v| v.max(0.0).round() as u64)
            });
            hidden.push(c.onderdrukt);
        }
    }
    let count_cols: Vec<usize> = (0..ncols)
        .filter(|&c| t.rijen.iter().all(|r| r.cellen[c].soort == "aantal"))
        .collect();
    let mut eqs = Vec::new();
    if let Some(tot) = t.rijen.iter().position(|r| r.totaal) {
        let parts: Vec<usize> = (0..t.rijen.len())
            .filter(|&r| r != tot && t.rijen[r].deel_van.is_none() && !t.rijen[r].totaal)
            .collect();
        for &c in &count_cols {
            eqs.push(Equation {
                total: idx(tot, c),
                parts: parts.iter().map(|&r| idx(r, c)).collect(),
            });
        }
    }
    let parents: std::collections::BTreeSet<usize> =
        t.rijen.iter().filter_map(|r| r.deel_van).collect();
    for p in parents.into_iter().filter(|&p| p < t.rijen.len()) {
        let parts: Vec<usize> = (0..t.rijen.len())
            .filter(|&r| t.rijen[r].deel_van == Some(p))
            .collect();
        for &c in &count_cols {
            eqs.push(Equation {
                total: idx(p, c),
                parts: parts.iter().map(|&r| idx(r, c)).collect(),
            });
        }
    }
    if t.totaal_kolom && count_cols.len() >= 2 {
        let last = *count_cols.last()?;
        for r in 0..t.rijen.len() {
            eqs.push(Equation {
                total: idx(r, last),
                parts: count_cols[..count_cols.len() - 1]
                    .iter()
                    .map(|&c| idx(r, c))
                    .collect(),
            });
        }
    }
    if eqs.is_empty() {
        return None;
    }
    Some((
        LinkedTable {
            values,
            equations: eqs,
        },
        hidden,
        ncols,
    ))
}

/// Exact recomputation and too narrow bounds for hidden cells through the totals.
fn linked_checks(t: &FigTable, min_cel: u64) -> Vec<CountFinding> {
    let Some((lt, hidden, ncols)) = equations(t) else {
        return vec![];
    };
    let mut out = Vec::new();
    let exact = suppress::recoverable_published(&lt, &hidden);
    for &cell in &exact {
        out.push(CountFinding {
            kind: FindingKind::Recomputable,
            place: place(t, cell / ncols, cell % ncols),
            message: "verborgen cel is uit de zichtbare cellen en de totalen terug te rekenen"
                .into(),
        });
    }
    for (cell, (lo, hi)) in bounds(&lt, &hidden).into_iter().enumerate() {
        if hidden[cell] && !exact.contains(&cell) && hi.saturating_sub(lo) < min_cel && hi >= 1 {
            out.push(CountFinding {
                kind: FindingKind::TooNarrow,
                place: place(t, cell / ncols, cell % ncols),
                message: format!(
                    "verborgen cel ligt volgens de totalen tussen twee grenzen die minder dan {min_cel} uit elkaar liggen"
                ),
            });
        }
    }
    out
}

/// Bounds a reader derives for each cell from non-negativity and the equations
/// (interval propagation; sound, not always the tightest). Shown cells are fixed.
pub fn bounds(lt: &LinkedTable, hidden: &[bool]) -> Vec<(u64, u64)> {
    const INF: u64 = u64::MAX / 4;
    let n = lt.values.len();
    let mut lo: Vec<u64> = (0..n)
        .map(|i| if hidden[i] { 0 } else { lt.values[i] })
        .collect();
    let mut hi: Vec<u64> = (0..n)
        .map(|i| if hidden[i] { INF } else { lt.values[i] })
        .collect();
    for _ in 0..50 {
        let mut changed = false;
        for e in &lt.equations {
            let sum_lo: u64 = e.parts.iter().map(|&p| lo[p]).sum();
            let sum_hi: u64 = e
                .parts
                .iter()
                .map(|&p| hi[p])
                .fold(0u64, |a, b| a.saturating_add(b).min(INF));
            // total within [sum of part lows, sum of part highs]
            if sum_lo > lo[e.total] {
                lo[e.total] = sum_lo;
                changed = true;
            }
            if sum_hi < hi[e.total] {
                hi[e.total] = sum_hi;
                changed = true;
            }
            // each part within [total_lo − others_hi, total_hi − others_lo]
            for &p in &e.parts {
                let others_lo = sum_lo.saturating_sub(lo[p]);
                let others_hi = if hi[p] >= INF {
                    INF
                } else {
                    sum_hi.saturating_sub(hi[p])
                };
                if hi[e.total] < INF {
                    let new_hi = hi[e.total].saturating_sub(others_lo);
                    if new_hi < hi[p] {
                        hi[p] = new_hi;
                        changed = true;
                    }
                }
                if others_hi < INF {
                    let new_lo = lo[e.total].saturating_sub(others_hi);
                    if new_lo > lo[p] {
                        lo[p] = new_lo;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    lo.into_iter()
        .zip(hi)
        .map(|(l, h)| (l, h.min(INF)))
        .collect()
}

// ---------- tables in HTML ----------

/// Tables of an HTML report read back from their cell annotations (`data-soort`,
/// `data-waarde`, `data-noemer`, `data-onderdrukt`; rows `data-totaal`, `data-deel-van`;
/// table `data-totaal-kolom`), so that what a reader sees is checked as well as the list.
pub fn html_tables(src: &str) -> Vec<FigTable> {
    use super::readers::markup::{events, Event};
    let attr = |attrs: &[(String, String)], k: &str| {
        attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone())
    };
    let mut out: Vec<FigTable> = Vec::new();
    let mut table: Option<FigTable> = None;
    let mut row: Option<FigRow> = None;
    let mut cell: Option<(bool, FigCell)> = None; // (header, cell)
    for (_, ev) in events(src) {
        match ev {
            Event::Tag {
                name,
                attrs,
                closing,
                ..
            } => match (name.as_str(), closing) {
                ("table", false) => {
                    table = Some(FigTable {
                        id: attr(&attrs, "id").unwrap_or_else(|| "(zonder id)".into()),
                        titel: String::new(),
                        kolommen: vec![],
                        rijen: vec![],
                        totaal_kolom: attr(&attrs, "data-totaal-kolom").as_deref() == Some("ja"),
                        voetnoten: vec![],
                    })
                }
                ("table", true) => out.extend(table.take()),
                ("tr", false) => {
                    row = Some(FigRow {
                        kop: String::new(),
                        cellen: vec![],
                        totaal: attr(&attrs, "data-totaal").as_deref() == Some("ja"),
                        deel_van: attr(&attrs, "data-deel-van").and_then(|v| v.parse().ok()),
                    })
                }
                ("tr", true) => {
                    if let (Some(r), Some(t)) = (row.take(), table.as_mut()) {
                        if !r.cellen.is_empty() {
                            t.rijen.push(r);
                        }
                    }
                }
                ("td" | "th", false) => {
                    cell = Some((
                        name == "th",
                        FigCell {
                            tekst: String::new(),
                            soort: attr(&attrs, "data-soort").unwrap_or_else(|| "tekst".into()),
                            waarde: attr(&attrs, "data-waarde").and_then(|v| v.parse().ok()),
                            noemer: attr(&attrs, "data-noemer").and_then(|v| v.parse().ok()),
                            onderdrukt: attr(&attrs, "data-onderdrukt").as_deref() == Some("ja"),
                        },
                    ))
                }
                ("td" | "th", true) => {
                    if let (Some((header, mut c)), Some(r)) = (cell.take(), row.as_mut()) {
                        c.tekst = super::normalise::normalise(c.tekst.trim());
                        if header {
                            r.kop = c.tekst;
                        } else {
                            r.cellen.push(c);
                        }
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some((_, c)) = cell.as_mut() {
                    c.tekst.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

// ---------- running text ----------

const NUMBER_WORDS: &[(&str, u64)] = &[
    ("één", 1),
    ("eén", 1),
    ("twee", 2),
    ("drie", 3),
    ("vier", 4),
    ("vijf", 5),
    ("zes", 6),
    ("zeven", 7),
    ("acht", 8),
    ("negen", 9),
    ("tien", 10),
    ("elf", 11),
    ("twaalf", 12),
];

static NUM_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[^\w,.])(\d{1,3}(?:\.\d{3})*\s*|(?:één|eén|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf)\s+)",
        r"(?:(?:unieke|verschillende|andere|nieuwe|open|afgeronde|lopende|ontvangen|geëscaleerde)\s+)?",
        r"(?:casus|casussen|zaak|zaken|aandrager|aandragers|helper|helpers|signaal|signalen|melding|meldingen|",
        r"klacht|klachten|persoon|personen|mensen|burgers|ouders|huishoudens|gezinnen|dossiers|aanvragen|",
        r"gevallen|cliënten|belastingplichtigen|verhalen)\b"
    ))
    .unwrap()
});

static X_OF_Y: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^\w,.%])(\d{1,3}(?:\.\d{3})*)\s+(?:van|uit)\s+(?:de\s+|het\s+|alle\s+|in\s+totaal\s+)?(\d{1,3}(?:\.\d{3})*)\b(?:\s*[^%\d]|$)").unwrap()
});

static PCT_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d{1,3}(?:,\d+)?)\s*%\s*(?:van|op|uit)\s+(?:de\s+|het\s+|alle\s+)?(\d{1,3}(?:\.\d{3})*)\b").unwrap()
});

static THRESHOLD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:minstens|minimaal|ten minste|tenminste|maximaal|hoogstens|ten hoogste|minder dan|meer dan|kleiner dan|groter dan|vanaf|elke|iedere|drempel|t/m|tot en met|[<>≤≥=])\s*$").unwrap()
});

fn value_of(word: &str) -> Option<u64> {
    let l = word.to_lowercase();
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == l)
        .map(|(_, v)| *v)
        .or_else(|| word.replace('.', "").parse().ok())
}

fn after_threshold(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(25);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    THRESHOLD.is_match(&text[from..at])
}

static LINE_HYPHEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\p{Ll})[-\u{2010}]\s*\n\s*(\p{Ll})").unwrap());

static NEW_CAPITAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[ \t]*\n\s*(\p{Lu})").unwrap());

static PAGE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:pagina|bladzijde|blz\.?|p\.)\s*$").unwrap());

/// Text as one line, the way a reader takes it in: a word hyphenated at a line end (PDF page
/// text) joined again, a line that starts with a capital kept apart (a new cell, heading or
/// sentence, not the rest of the line before), every other run of white space one space.
fn as_read(text: &str) -> String {
    let joined = LINE_HYPHEN.replace_all(text, "$1$2");
    let kept_apart = NEW_CAPITAL.replace_all(&joined, " | $1");
    kept_apart.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "pagina 3 van 21": a page number, not a count.
fn after_page_word(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(12);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    PAGE_WORD.is_match(&text[from..at])
}

/// Small counts readable from running text (normalised): counts with a noun (also glued to
/// it, as pieces of an SVG text put side by side), "x van de y", and "p% van n" (numerator
/// or complement). Line breaks count as spaces and a word hyphenated at a line end is joined.
pub fn text_findings(text: &str, min_cel: u64) -> Vec<CountFinding> {
    let text = as_read(text);
    let text = text.as_str();
    let mut out = Vec::new();
    let mut push = |soort: FindingKind, melding: String| {
        out.push(CountFinding {
            kind: soort,
            place: String::new(),
            message: melding,
        })
    };
    for c in NUM_NOUN.captures_iter(text) {
        let m = c.get(1).unwrap();
        if after_threshold(text, m.start()) {
            continue;
        }
        if value_of(m.as_str().trim_end()).is_some_and(|v| small(v, min_cel)) {
            push(
                FindingKind::SmallCountInText,
                format!("een aantal kleiner dan {min_cel} staat in de tekst"),
            );
        }
    }
    for c in X_OF_Y.captures_iter(text) {
        let (x, y) = (c.get(1).unwrap(), c.get(2).unwrap());
        if after_threshold(text, x.start()) || after_page_word(text, x.start()) {
            continue;
        }
        if let (Some(a), Some(b)) = (value_of(x.as_str()), value_of(y.as_str())) {
            let year = (1900..=2100).contains(&b) && y.as_str().len() == 4;
            if a <= b && !year && (small(a, min_cel) || small(b - a, min_cel)) {
                push(
                    FindingKind::SmallCountInText,
                    format!("'x van y' geeft een aantal of complement kleiner dan {min_cel}"),
                );
            }
        }
    }
    for c in PCT_OF.captures_iter(text) {
        let Some(n) = value_of(&c[2]) else { continue };
        if n == 0 || n > 100_000 {
            continue;
        }
        let ks = numerators(&format!("{}%", &c[1]), None, n);
        if let Some(side) = pinned(&ks, n, min_cel) {
            push(
                FindingKind::FromPercentage,
                format!("percentage × noemer in de tekst geeft een {side} kleiner dan {min_cel}"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(
        soort: &str,
        tekst: &str,
        waarde: Option<f64>,
        noemer: Option<u64>,
        hidden: bool,
    ) -> FigCell {
        FigCell {
            tekst: tekst.into(),
            soort: soort.into(),
            waarde,
            noemer,
            onderdrukt: hidden,
        }
    }

    fn table(rows: Vec<(bool, Vec<FigCell>)>) -> FigTable {
        FigTable {
            id: "t".into(),
            titel: String::new(),
            kolommen: vec![],
            rijen: rows
                .into_iter()
                .map(|(totaal, cellen)| FigRow {
                    kop: "r".into(),
                    cellen,
                    totaal,
                    deel_van: None,
                })
                .collect(),
            totaal_kolom: false,
            voetnoten: vec![],
        }
    }

    fn kinds(f: &[CountFinding]) -> Vec<&str> {
        f.iter().map(|x| x.kind.label()).collect()
    }

    #[test]
    fn percentage_times_denominator_and_complement() {
        // 7,9% of 38 is 3; 86,7% of 15 leaves 2.
        let t = table(vec![
            (
                false,
                vec![
                    cell("percentage", "7,9%", None, Some(38), false),
                    cell("aantal", ".", None, None, true),
                ],
            ),
            (
                false,
                vec![
                    cell("percentage", "86,7%", Some(13.0 / 15.0), Some(15), false),
                    cell("aantal", "15", Some(15.0), None, false),
                ],
            ),
            (
                false,
                vec![
                    cell("percentage", "50,0%", Some(0.5), Some(40), false),
                    cell("aantal", "40", Some(40.0), None, false),
                ],
            ),
        ]);
        let f = check_table(&t, 5, 10);
        assert_eq!(
            kinds(&f),
            vec!["af te leiden uit percentage", "af te leiden uit percentage"],
            "{f:?}"
        );
        assert!(f[1].message.contains("complement"));
    }

    #[test]
    fn a_wilson_interval_pins_the_count() {
        let (l, h) = wilson(3, 38);
        let text = format!("{:.1}%–{:.1}%", l * 100.0, h * 100.0).replace('.', ",");
        let t = table(vec![(
            false,
            vec![
                cell("percentage", ".", None, None, true),
                cell("tekst", &text, None, Some(38), false),
            ],
        )]);
        assert_eq!(
            kinds(&check_table(&t, 5, 10)),
            vec!["af te leiden uit interval"]
        );
    }

    #[test]
    fn totals_minus_shown_cells() {
        let t = table(vec![
            (false, vec![cell("aantal", ".", None, None, true)]),
            (false, vec![cell("aantal", "20", Some(20.0), None, false)]),
            (true, vec![cell("aantal", "23", Some(23.0), None, false)]),
        ]);
        assert_eq!(kinds(&check_table(&t, 5, 10)), vec!["terug te rekenen"]);
        let t = table(vec![
            (false, vec![cell("aantal", ".", None, None, true)]),
            (false, vec![cell("aantal", ".", None, None, true)]),
            (false, vec![cell("aantal", "20", Some(20.0), None, false)]),
            (true, vec![cell("aantal", "24", Some(24.0), None, false)]),
        ]);
        assert_eq!(
            kinds(&check_table(&t, 5, 10)),
            vec!["te nauw begrensd", "te nauw begrensd"]
        );
        let t = table(vec![
            (false, vec![cell("aantal", ".", None, None, true)]),
            (false, vec![cell("aantal", ".", None, None, true)]),
            (false, vec![cell("aantal", "20", Some(20.0), None, false)]),
            (true, vec![cell("aantal", "28", Some(28.0), None, false)]),
        ]);
        assert!(check_table(&t, 5, 10).is_empty());
    }

    #[test]
    fn html_tables_are_read_from_their_annotations() {
        let html = r#"<table id="t"><tr><th>a</th><th>Aantal</th></tr>
<tr><th scope="row">A</th><td data-soort="aantal" data-onderdrukt="ja">.</td></tr>
<tr><th scope="row">B</th><td data-soort="aantal" data-waarde="20">20</td></tr>
<tr data-totaal="ja"><th scope="row">Totaal</th><td data-soort="aantal" data-waarde="23">23</td></tr></table>"#;
        let t = &html_tables(html)[0];
        assert_eq!(t.rijen.len(), 3);
        assert_eq!(kinds(&check_table(t, 5, 10)), vec!["terug te rekenen"]);
    }

    #[test]
    fn numbers_in_sentences() {
        assert_eq!(text_findings("6 casussen van 2 aandragers", 5).len(), 1);
        assert_eq!(text_findings("trend: 3 casussen in kw. 2", 5).len(), 1);
        assert_eq!(text_findings("3 van de 12 kregen hulp", 5).len(), 1);
        assert_eq!(text_findings("86,7% van 15", 5).len(), 1);
        assert!(text_findings(
            "minstens 3 casussen; 12 casussen van 7 aandragers; 50,0% van 40",
            5
        )
        .is_empty());
    }

    #[test]
    fn numbers_in_text_as_pdf_and_svg_give_it() {
        // Glued to its noun (SVG pieces side by side), over a line break, hyphenated.
        assert_eq!(text_findings("het ging om 3casussen", 5).len(), 1);
        assert_eq!(text_findings("het ging om\n3\ncasussen", 5).len(), 1);
        assert_eq!(text_findings("om 4 sig-\nnalen van", 5).len(), 1);
        assert_eq!(text_findings("3 van\nde 12 kregen hulp", 5).len(), 1);
        // Not a count: a threshold over a line break, large or glued inside a word.
        assert!(text_findings("ten\nminste 3 casussen", 5).is_empty());
        assert!(
            text_findings("het ging om 30casussen; kw3casussen; 1.204\ncasussen", 5).is_empty()
        );
        assert!(text_findings("twaalfcasussen; driezaken", 5).is_empty());
        // A page number, and a number at a line end before a line that starts anew (PDF table
        // cells: "1" in one row, "Casussen in behandeling" in the next).
        assert!(text_findings("Pagina 1 van 21; pagina 20 van 21", 5).is_empty());
        assert!(text_findings("met een triagebesluit 1\nCasussen in behandeling", 5).is_empty());
        assert_eq!(text_findings("Pagina 1 van 21, en 1 van 21", 5).len(), 1);
    }
}
