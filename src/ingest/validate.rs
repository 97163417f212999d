//! Mapping a raw table onto the canonical model and validating every row.
//!
//! Typed parsing works per *distinct* raw value (a column of a million rows
//! has a few hundred distinct dates and a dozen codes): one pass per column
//! gives each row the index of its value among the distinct ones, each distinct
//! value is parsed once in Rust into a small dictionary, and the dictionary's
//! typed values and errors are gathered back by those indices. Row rules (required fields, date order, final outcome,
//! duplicates, dates after the export date) are polars expressions that each
//! yield a column name and a Dutch reason; a row with any reason goes to
//! quarantine with its original values untouched.
//!
//! ```no_run
//! use rodedraad::{config::Config, ingest::{read, spec::Entity, validate}};
//! let cfg = Config::default_config();
//! let raw = read::read_table("casussen.csv".as_ref(), &cfg.invoer, None).unwrap();
//! let today = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
//! let v = validate::validate(&raw, Entity::Cases, &cfg, today).unwrap();
//! assert_eq!(v.summary.gelezen, v.summary.geaccepteerd + v.summary.in_quarantaine);
//! ```

use super::dates;
use super::read::{RawTable, EXTRA, FIELDS, READ_PROBLEM, ROW};
use super::spec::{compose, known_codes, ColumnSpec, Entity, Kind, ValueMap, PART_SEPARATOR};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::util::normalize::{nearest, norm};
use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

const REASON: &str = "__reden";
const FIRST: &str = "__eerste_rij";
const COLUMN: &str = "__kolom";

/// The result of validating one input file.
#[derive(Debug, Clone)]
pub struct Validated {
    /// Accepted rows, canonical columns in contract order, typed.
    pub accepted: DataFrame,
    /// Quarantined rows: `bestand`, `rij`, `kolom`, `reden`, then the original columns.
    pub quarantine: DataFrame,
    pub summary: InputSummary,
}

/// Accounting of one input file: read = accepted + quarantined.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputSummary {
    pub soort: Entity,
    pub bestand: String,
    pub sha256: String,
    pub codering: String,
    pub scheidingsteken: Option<String>,
    pub gelezen: usize,
    pub geaccepteerd: usize,
    pub in_quarantaine: usize,
    pub waarschuwingen: Vec<String>,
    /// Headers of the file that feed no canonical column, all of them (the warnings name
    /// only the first few, in one line).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ongebruikte_kolommen: Vec<String>,
    /// Canonical date column -> the one format it was read in, and where that came from.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub datumformaten: BTreeMap<String, String>,
}

/// Days since 1970-01-01 (polars' Date representation).
pub fn days(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() as i32
}

/// Parses a yes/no cell.
pub fn parse_bool(s: &str) -> Option<bool> {
    match norm(s).as_str() {
        "ja" | "j" | "true" | "waar" | "1" | "yes" | "y" | "x" => Some(true),
        "nee" | "n" | "false" | "onwaar" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// Parses a whole number, allowing "7,0" and "7.0".
pub fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    t.parse::<i64>().ok().or_else(|| {
        let f: f64 = t.replace(',', ".").parse().ok()?;
        (f.fract() == 0.0).then_some(f as i64)
    })
}

/// Maps a raw code through the value mapping onto a known code.
pub struct CodeMatcher {
    map: ValueMap,
    known: BTreeMap<String, String>,
}

impl CodeMatcher {
    pub fn new(mapping: Option<&BTreeMap<String, String>>, known: &[String]) -> CodeMatcher {
        CodeMatcher {
            map: ValueMap::new(mapping),
            known: known.iter().map(|k| (norm(k), k.clone())).collect(),
        }
    }

    /// The canonical code, or a Dutch reason with a suggestion.
    pub fn code(
        &self,
        raw: &str,
        column: &str,
        section: &str,
    ) -> std::result::Result<String, String> {
        let target = match self.map.get(raw)? {
            Some(t) => Some(t.to_string()),
            None => self.known.get(&norm(raw)).cloned(),
        };
        match target.or_else(|| self.map.wildcard().map(str::to_string)) {
            Some(t) if self.known.is_empty() || self.known.contains_key(&norm(&t)) => {
                Ok(self.known.get(&norm(&t)).cloned().unwrap_or(t))
            }
            Some(t) => Err(format!(
                "de waardemapping [{section}.waarden.{column}] wijst \"{raw}\" naar \"{t}\", maar die code bestaat niet in de taxonomie"
            )),
            None => {
                let hint = nearest(raw, self.known.values().map(String::as_str))
                    .map(|s| format!(" (bedoelt u \"{s}\"?)"))
                    .unwrap_or_default();
                Err(format!(
                    "onbekende waarde \"{raw}\"{hint}; voeg een regel toe onder [{section}.waarden.{column}] of corrigeer de cel"
                ))
            }
        }
    }
}

/// The file's header that `name` (from the configuration) means, compared after normalising.
fn find_header<'a>(raw: &'a RawTable, name: &str) -> Option<&'a String> {
    raw.headers.iter().find(|h| norm(h) == norm(name))
}

/// (their header, canonical column) pairs.
pub type HeaderMap = Vec<(String, String)>;

/// How the file's headers map onto canonical columns.
#[derive(Debug, Clone, Default)]
pub struct HeaderUse {
    /// (their header, canonical column) pairs.
    pub pairs: HeaderMap,
    /// Headers that feed no canonical column, in file order.
    pub unused: Vec<String>,
    /// Other Dutch warnings (a header that would feed a column already fed).
    pub warnings: Vec<String>,
}

/// How many unused headers the one-line warning names before "en nog N".
const UNUSED_NAMED: usize = 5;

/// One line for all unused headers: the count and the first few, e.g. `29 kolommen worden
/// niet gebruikt (geen canonieke kolom en niet gemapt): "UpdatedDate", "Owner", ... en nog 24;
/// alle in controle.json onder ongebruikte_kolommen`.
pub fn unused_warning(unused: &[String]) -> Option<String> {
    let named: Vec<String> = unused
        .iter()
        .take(UNUSED_NAMED)
        .map(|h| format!("\"{h}\""))
        .collect();
    match unused.len() {
        0 => None,
        1 => Some(format!(
            "kolom {} wordt niet gebruikt (geen canonieke kolom en niet gemapt)",
            named[0]
        )),
        n if n <= UNUSED_NAMED => Some(format!(
            "{n} kolommen worden niet gebruikt (geen canonieke kolom en niet gemapt): {}",
            crate::nl::list(&named)
        )),
        n => Some(format!(
            "{n} kolommen worden niet gebruikt (geen canonieke kolom en niet gemapt): {} en nog {}; alle staan in controle.json onder ongebruikte_kolommen",
            named.join(", "),
            n - UNUSED_NAMED
        )),
    }
}

/// Renames the file's headers to canonical columns (see [`HeaderUse`]).
pub fn map_headers(raw: &RawTable, entity: Entity, cfg: &Config) -> Result<HeaderUse> {
    let mapping = entity.mapping(cfg);
    let by_norm: BTreeMap<String, Vec<&str>> = mapping
        .kolommen
        .iter()
        .map(|(k, v)| (norm(k), v.names()))
        .collect();
    let composed_from: Vec<String> = mapping
        .samengesteld
        .values()
        .flatten()
        .map(|h| norm(h))
        .collect();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut warnings = Vec::new();
    let mut unused = Vec::new();
    for h in &raw.headers {
        let canon: Vec<String> = match by_norm.get(&norm(h)) {
            Some(v) => v.iter().map(|s| s.to_string()).collect(),
            None => entity
                .spec()
                .iter()
                .find(|c| c.name == norm(h))
                .map(|c| vec![c.name.to_string()])
                .unwrap_or_default(),
        };
        if canon.is_empty() && !composed_from.contains(&norm(h)) {
            unused.push(h.clone());
        }
        for c in canon {
            if pairs.iter().any(|(_, p)| *p == c) || mapping.samengesteld.contains_key(&c) {
                warnings.push(format!(
                    "kolom \"{h}\" wordt niet gebruikt voor {c}: \"{c}\" komt al uit een andere kolom"
                ));
            } else {
                pairs.push((h.clone(), c));
            }
        }
    }
    for (c, parts) in &mapping.samengesteld {
        let absent: Vec<&str> = parts
            .iter()
            .filter(|p| find_header(raw, p).is_none())
            .map(String::as_str)
            .collect();
        if !absent.is_empty() {
            return Err(Error::Input {
                path: raw.path.clone(),
                message: format!(
                    "[{}.samengesteld] {c} noemt kop(pen) die niet in het bestand staan: {} (gevonden koppen: {})",
                    entity.plural(),
                    absent.join(", "),
                    raw.headers.join(", ")
                ),
                advice: "Corrigeer de namen in rodedraad.toml.".into(),
            });
        }
    }
    let missing: Vec<&str> = entity
        .spec()
        .iter()
        .filter(|c| c.required)
        .filter(|c| {
            !pairs.iter().any(|(_, p)| p == c.name)
                && !mapping.vast.contains_key(c.name)
                && !mapping.samengesteld.contains_key(c.name)
        })
        .map(|c| c.name)
        .collect();
    if !missing.is_empty() {
        return Err(Error::Input {
            path: raw.path.clone(),
            message: format!(
                "verplichte kolom(men) ontbreken: {} (gevonden koppen: {})",
                missing.join(", "),
                raw.headers.join(", ")
            ),
            advice: format!(
                "Voeg de kolom toe, of wijs een bestaande kop aan in [{}.kolommen] van rodedraad.toml (rodedraad inrichten maakt een begin).",
                entity.plural()
            ),
        });
    }
    Ok(HeaderUse {
        pairs,
        unused,
        warnings,
    })
}

/// The one format a date column is read in, and where it came from.
#[derive(Debug, Clone)]
pub struct DateFormat {
    pub format: String,
    /// Chosen from the values (else set in `[<section>.datumformaat]`).
    pub sniffed: bool,
    /// Set for another canonical column fed by the same header (`"Created" = ["ontvangen_op",
    /// "triage_op"]` with only `ontvangen_op` under `[<section>.datumformaat]`): that column.
    pub shared_from: Option<String>,
}

impl DateFormat {
    /// For `controle.json` and the check output: `"%m/%d/%Y (maand/dag/jaar, gekozen uit de waarden)"`.
    pub fn summary(&self) -> String {
        let from = match (&self.shared_from, self.sniffed) {
            (Some(c), _) => format!("uit de configuratie, zoals {c} uit dezelfde kop"),
            (None, true) => "gekozen uit de waarden".to_string(),
            (None, false) => "uit de configuratie".to_string(),
        };
        format!(
            "{} ({}, {from})",
            self.format,
            dates::describe(&self.format)
        )
    }
}

/// The Dutch reason for a date cell that is not a date in the column's format.
fn date_error(t: &str, format: Option<&DateFormat>, section: &str) -> String {
    match format {
        Some(f) if f.sniffed => format!(
            "\"{t}\" is geen geldige datum in de notatie van deze kolom, {} ({}), die uit de andere waarden is afgeleid; een kolom wordt in één notatie gelezen, corrigeer de cel",
            f.format,
            dates::describe(&f.format)
        ),
        Some(f) => format!(
            "\"{t}\" is geen geldige datum in de notatie {} ({}) uit [{section}.datumformaat]; corrigeer de cel of de notatie",
            f.format,
            dates::describe(&f.format)
        ),
        None => format!(
            "\"{t}\" is geen geldige datum, en geen waarde in deze kolom is dat; verwacht een datum als 2025-03-01 of 01-03-2025 (notaties in [invoer] datumformaten)"
        ),
    }
}

/// Chooses the format of one date column: `[<section>.datumformaat]` when set, else
/// from the distinct values (after value mapping). A column whose format cannot be
/// chosen (two orders fit, or it mixes them) is an input error: no value is guessed.
pub fn column_date_format(
    values: &[&str],
    column: &str,
    header: &str,
    entity: Entity,
    cfg: &Config,
    path: &std::path::Path,
    spreadsheet: bool,
) -> Result<Option<DateFormat>> {
    let mapping = entity.mapping(cfg);
    if let Some(f) = mapping.datumformaat.get(column) {
        return Ok(Some(DateFormat {
            format: f.clone(),
            sniffed: false,
            shared_from: None,
        }));
    }
    let candidates = dates::candidates(&cfg.invoer.datumformaten, spreadsheet);
    match dates::sniff(values.iter().copied(), &candidates) {
        Ok(s) => Ok(s.map(|s| DateFormat {
            format: s.format,
            sniffed: true,
            shared_from: None,
        })),
        Err(p) => {
            let (message, advice) = dates::problem_text(&p, column, header, entity.plural());
            Err(Error::Input {
                path: path.to_path_buf(),
                message,
                advice,
            })
        }
    }
}

/// The typed value (`<name>__v`) and error (`<name>__e`) of each distinct raw value of one
/// column (`uniq`, in the same order).
fn dictionary(
    uniq: &[&str],
    spec: &ColumnSpec,
    entity: Entity,
    cfg: &Config,
    date_format: Option<&DateFormat>,
) -> Result<(Series, Series)> {
    let section = entity.plural();
    let mapping = entity.mapping(cfg);
    let name = spec.name;
    let mut errs: Vec<Option<String>> = Vec::new();
    let mut strs: Vec<Option<String>> = Vec::new();
    let mut ints: Vec<Option<i32>> = Vec::new();
    let mut bools: Vec<Option<bool>> = Vec::new();
    let value_map = mapping.waarden.get(name);
    let matcher = match spec.kind {
        Kind::Code(dim) | Kind::MultiCode(dim) => {
            Some(CodeMatcher::new(value_map, &known_codes(cfg, dim)))
        }
        _ => None,
    };
    let sep = mapping
        .meerwaardig
        .get(name)
        .map(String::as_str)
        .unwrap_or("|");
    let values = ValueMap::new(value_map);
    let composed = mapping.samengesteld.contains_key(name);
    for &raw in uniq {
        // A composed column's parts become one code: "Street Lights" + "Outage" -> "street_lights.outage".
        let own = composed.then(|| compose(raw));
        let t = own.as_deref().unwrap_or(raw).trim();
        // A value mapping applies to every kind (e.g. "J" -> "ja" for booleans).
        let (mapped, mapping_error) = match values.get(t) {
            Ok(v) => (v.unwrap_or(t), None),
            Err(m) => (t, Some(m)),
        };
        let (mut s, mut i, mut b, mut e) = (None, None, None, None);
        if let (Some(m), false) = (
            mapping_error,
            matches!(spec.kind, Kind::Code(_) | Kind::MultiCode(_)),
        ) {
            e = Some(m);
        } else if mapped.is_empty() {
            // blank after trimming: missing
        } else {
            match spec.kind {
                Kind::Id => s = Some(t.to_string()),
                Kind::Text => s = Some(mapped.to_string()),
                Kind::Date => {
                    match date_format.and_then(|f| dates::parse_with(mapped, &f.format)) {
                        Some(d) => i = Some(days(d)),
                        None => e = Some(date_error(t, date_format, section)),
                    }
                }
                Kind::Bool => match parse_bool(mapped) {
                    Some(v) => b = Some(v),
                    None => {
                        e = Some(format!(
                            "\"{t}\" is geen ja/nee-waarde; verwacht ja, nee, true, false, 1 of 0"
                        ))
                    }
                },
                Kind::Int(lo, hi) => match parse_int(mapped) {
                    Some(v) if (lo..=hi).contains(&v) => i = Some(v as i32),
                    Some(v) => e = Some(format!("{v} ligt buiten het bereik {lo} tot en met {hi}")),
                    None => {
                        e = Some(format!(
                            "\"{t}\" is geen geheel getal; verwacht {lo} tot en met {hi}"
                        ))
                    }
                },
                Kind::Code(_) => match matcher.as_ref().unwrap().code(t, name, section) {
                    Ok(c) => s = Some(c),
                    Err(m) => e = Some(m),
                },
                Kind::MultiCode(_) => {
                    let mut codes: Vec<String> = Vec::new();
                    for part in t.split(sep).map(str::trim).filter(|p| !p.is_empty()) {
                        match matcher.as_ref().unwrap().code(part, name, section) {
                            Ok(c) if !codes.contains(&c) => codes.push(c),
                            Ok(_) => {}
                            Err(m) => {
                                e = Some(m);
                                break;
                            }
                        }
                    }
                    if e.is_none() && !codes.is_empty() {
                        s = Some(codes.join("|"));
                    }
                }
                Kind::MultiText => {
                    let parts: Vec<&str> = t
                        .split(sep)
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .collect();
                    if !parts.is_empty() {
                        s = Some(parts.join("|"));
                    }
                }
            }
        }
        strs.push(s);
        ints.push(i);
        bools.push(b);
        errs.push(e.map(|m| format!("{name}: {m}")));
    }
    let value = match spec.kind {
        Kind::Date | Kind::Int(..) => Series::new(format!("{name}__v").into(), ints),
        Kind::Bool => Series::new(format!("{name}__v").into(), bools),
        _ => Series::new(format!("{name}__v").into(), strs),
    };
    Ok((value, Series::new(format!("{name}__e").into(), errs)))
}

/// The format set in `[<section>.datumformaat]` for another canonical column fed by the same
/// header as `column`, when `column` has none of its own: one source column is read in one
/// format, whichever of its targets the format was written for.
fn shared_date_format(
    column: &str,
    header: &str,
    pairs: &HeaderMap,
    entity: Entity,
    cfg: &Config,
) -> Option<DateFormat> {
    let set = &entity.mapping(cfg).datumformaat;
    if set.contains_key(column) {
        return None;
    }
    pairs
        .iter()
        .filter(|(h, c)| h == header && c != column)
        .find_map(|(_, c)| {
            set.get(c).map(|f| DateFormat {
                format: f.clone(),
                sniffed: false,
                shared_from: Some(c.clone()),
            })
        })
}

/// The format of a date column from its distinct raw values (value mapping applied first).
fn date_format_of(
    uniq: &[&str],
    column: &str,
    pairs: &HeaderMap,
    entity: Entity,
    cfg: &Config,
    raw: &RawTable,
) -> Result<Option<DateFormat>> {
    let values = ValueMap::new(entity.mapping(cfg).waarden.get(column));
    let mapped: Vec<String> = uniq
        .iter()
        .map(|v| match values.get(v) {
            Ok(Some(t)) => t.to_string(),
            _ => v.to_string(),
        })
        .collect();
    let refs: Vec<&str> = mapped.iter().map(String::as_str).collect();
    let header = pairs
        .iter()
        .find(|(_, c)| c == column)
        .map(|(h, _)| h.as_str())
        .unwrap_or(column);
    if let Some(shared) = shared_date_format(column, header, pairs, entity, cfg) {
        return Ok(Some(shared));
    }
    column_date_format(
        &refs,
        column,
        header,
        entity,
        cfg,
        &raw.path,
        raw.from_spreadsheet,
    )
}

/// What the pass over one canonical column's rows yields (see [`column_pass`]).
enum ColumnPass {
    /// Free text or an id: kept as text. `clean` when no value needs trimming and none is
    /// empty (the usual export), so the column is taken as it is.
    Plain { clean: bool },
    /// Typed through the dictionary of its distinct values.
    Typed(Box<TypedColumn>),
}

/// A column typed through its dictionary: its rows' values, errors and blanks.
struct TypedColumn {
    /// `<name>__leeg` for a required column: whether each cell is blank.
    blank: Option<Column>,
    value: Column,
    /// `<name>__e`, absent when no row has an error.
    error: Option<Column>,
    date_format: Option<DateFormat>,
}

/// The one pass over all rows of one canonical column. Free text and ids need no dictionary
/// (a million distinct summaries would make a million-row join): they are only checked for
/// trimming, unless a value mapping applies. Every other column gets the dictionary of its
/// distinct values, gathered back to the rows. Independent of the other columns, so the
/// columns are done in parallel.
fn column_pass(
    spec: &ColumnSpec,
    canon_text: &DataFrame,
    pairs: &HeaderMap,
    entity: Entity,
    cfg: &Config,
    raw: &RawTable,
) -> Result<ColumnPass> {
    let mapping = entity.mapping(cfg);
    if matches!(spec.kind, Kind::Id | Kind::Text) && !mapping.waarden.contains_key(spec.name) {
        let clean = canon_text
            .column(spec.name)?
            .str()
            .ok()
            .is_some_and(|ca| ca.iter().flatten().all(|v| !v.is_empty() && v.trim() == v));
        return Ok(ColumnPass::Plain { clean });
    }
    let (uniq, index) = distinct_index(canon_text.column(spec.name)?.str()?);
    let date_format = if spec.kind == Kind::Date {
        date_format_of(&uniq, spec.name, pairs, entity, cfg, raw)?
    } else {
        None
    };
    let dict = dictionary(&uniq, spec, entity, cfg, date_format.as_ref())?;
    let (value, error) = typed_by_index(spec.name, dict, &index)?;
    let blank = spec
        .required
        .then(|| blank_by_index(&format!("{}__leeg", spec.name), &uniq, &index));
    Ok(ColumnPass::Typed(Box::new(TypedColumn {
        blank,
        value,
        error,
        date_format,
    })))
}

fn null_of(kind: Kind) -> Expr {
    let dt = match kind {
        Kind::Date | Kind::Int(..) => DataType::Int32,
        Kind::Bool => DataType::Boolean,
        _ => DataType::String,
    };
    lit(NULL).cast(dt)
}

/// A row rule: which column it is about, when it fails, and the Dutch reason.
struct Rule {
    fails: Expr,
    column: Expr,
    reason: Expr,
}

impl Rule {
    fn new(column: &str, fails: Expr, reason: Expr) -> Rule {
        let fails = fails.fill_null(lit(false));
        Rule {
            fails: fails.clone(),
            column: when(fails.clone())
                .then(lit(column.to_string()))
                .otherwise(lit(NULL).cast(DataType::String)),
            reason: when(fails)
                .then(reason)
                .otherwise(lit(NULL).cast(DataType::String)),
        }
    }
}

/// The rules for the optional escalation date `geescaleerd_op`: after receipt and triage,
/// not after the closing date, and only on an escalated case.
fn escalation_date_rules() -> Vec<Rule> {
    let e = || col("geescaleerd_op");
    let order = [
        (
            "ontvangen_op",
            "vóór",
            "een escalatie volgt op de ontvangst",
        ),
        (
            "triage_op",
            "vóór",
            "alleen een casus in behandeling wordt geëscaleerd",
        ),
        (
            "afgerond_op",
            "na",
            "een escalatie gebeurt vóór de afronding",
        ),
    ];
    let mut rules: Vec<Rule> = order
        .iter()
        .map(|(other, side, why)| {
            let fails = if *side == "na" {
                e().gt(col(*other))
            } else {
                e().lt(col(*other))
            };
            Rule::new(
                "geescaleerd_op",
                fails,
                lit(format!("geescaleerd_op: ligt {side} {other}; {why}")),
            )
        })
        .collect();
    rules.push(Rule::new(
        "geescaleerd_op",
        e().is_not_null().and(col("geescaleerd").eq(lit(false))),
        lit("geescaleerd_op: ingevuld terwijl geescaleerd nee is; zet geescaleerd op ja of maak de datum leeg"),
    ));
    rules
}

/// The triage fields without any value in the accepted cases (no column, or only empty
/// cells): `triage_op` and `triage_besluit`, in that order.
pub fn missing_triage_fields(accepted: &DataFrame) -> Result<Vec<&'static str>> {
    if accepted.height() == 0 {
        return Ok(Vec::new());
    }
    let mut missing = Vec::new();
    for name in ["triage_op", "triage_besluit"] {
        if accepted.column(name)?.null_count() == accepted.height() {
            missing.push(name);
        }
    }
    Ok(missing)
}

/// A Dutch warning when the triage fields are missing: without them no case counts as taken
/// into treatment, so every figure over treated or closed-after-treatment cases is 0.
fn missing_triage_warning(accepted: &DataFrame) -> Result<Option<String>> {
    let missing = missing_triage_fields(accepted)?;
    if missing.is_empty() {
        return Ok(None);
    }
    let (fields, verb) = if missing.len() == 1 {
        (missing[0].to_string(), "heeft")
    } else {
        (crate::nl::list(&missing), "hebben")
    };
    Ok(Some(format!(
        "{fields} {verb} bij geen enkele casus een waarde (geen kolom of alleen lege cellen). Zonder triage telt geen casus als in behandeling genomen: de cijfers over triage, in behandeling genomen en na behandeling afgeronde casussen (doorlooptijd, binnen 8 weken, oplossing, jaardoel) worden 0 of ontbreken. Wijs een kop aan in [casussen.kolommen], of zet een vaste waarde onder [casussen.vast] (bijvoorbeeld triage_besluit = \"behandelen\") als elke casus in behandeling wordt genomen."
    )))
}

/// Marks the row-number column as sorted when it is (a file is read top to bottom), so the
/// final sort on it is free instead of a copy of every column. Says whether it is.
fn mark_rows_sorted(df: &mut DataFrame) -> Result<bool> {
    let rows = df.column(ROW)?.u32()?;
    let ascending = rows.null_count() == 0
        && rows
            .iter()
            .flatten()
            .try_fold(0u32, |last, r| (r >= last).then_some(r))
            .is_some();
    if ascending {
        df.apply(ROW, |c| {
            let mut c = c.clone();
            c.set_sorted_flag(polars::series::IsSorted::Ascending);
            c
        })?;
    }
    Ok(ascending)
}

/// The distinct values of a text column in order of first appearance, and for every row the
/// index of its value among them (null for a null cell). One pass with a hash map of the
/// distinct values only: a column of a million rows and a few hundred distinct values is
/// looked up once per row, instead of hashed once for `unique` and again for a join.
fn distinct_index(ca: &StringChunked) -> (Vec<&str>, IdxCa) {
    let mut seen: PlHashMap<&str, IdxSize> = PlHashMap::default();
    let mut distinct: Vec<&str> = Vec::new();
    let index: IdxCa = ca
        .iter()
        .map(|v| {
            v.map(|s| {
                *seen.entry(s).or_insert_with(|| {
                    distinct.push(s);
                    (distinct.len() - 1) as IdxSize
                })
            })
        })
        .collect();
    (distinct, index)
}

/// Whether each row's cell is blank (null, empty or only spaces), from the distinct values
/// (`uniq`) and each row's index into them.
fn blank_by_index(name: &str, uniq: &[&str], index: &IdxCa) -> Column {
    let blank: Vec<bool> = uniq.iter().map(|v| v.trim().is_empty()).collect();
    let rows: BooleanChunked = index
        .iter()
        .map(|i| Some(i.is_none_or(|i| blank[i as usize])))
        .collect();
    rows.with_name(name.into()).into_column()
}

/// The typed value and error of every row, in row order: the dictionary's entries
/// (one per distinct value) gathered by each row's index into it. An error column without
/// a single error is `None` (its rule can never fail).
fn typed_by_index(
    name: &str,
    (value, error): (Series, Series),
    index: &IdxCa,
) -> Result<(Column, Option<Column>)> {
    let value = value.take(index)?.into_column();
    let error = if error.null_count() == error.len() {
        None
    } else {
        Some(error.take(index)?.into_column())
    };
    if value.len() != index.len() {
        return Err(Error::Internal(format!(
            "kolom {name}: de woordenlijst gaf {} rijen voor {}",
            value.len(),
            index.len()
        )));
    }
    Ok((value, error))
}

/// For every row whose id stands in an earlier row too, the number of the first row with that
/// id; null for the first row of each id and for rows without an id. `None` when no id repeats
/// (the usual export): then the duplicate rule can never fail. Ids that only rise need no
/// more than that check; others take one pass with a hash map, where a window over a million
/// distinct ids groups them all.
fn first_rows_of_repeats(df: &DataFrame, id: &str) -> Result<Option<Column>> {
    let ids = df.column(id)?.str()?;
    let rows = df.column(ROW)?.u32()?;
    // Ids that only rise from row to row (an export sorted on its id) cannot repeat.
    let mut previous: Option<&str> = None;
    let rising = ids.iter().flatten().all(|v| {
        let up = previous.is_none_or(|p| p < v);
        previous = Some(v);
        up
    });
    if rising {
        return Ok(None);
    }
    let mut first: PlHashMap<&str, u32> =
        PlHashMap::with_capacity_and_hasher(ids.len(), Default::default());
    let mut repeats = false;
    for (id, row) in ids.iter().zip(rows.iter()) {
        if let (Some(id), Some(row)) = (id, row) {
            let f = first.entry(id).or_insert(row);
            if *f != row {
                repeats = true;
                *f = (*f).min(row);
            }
        }
    }
    if !repeats {
        return Ok(None);
    }
    let column: UInt32Chunked = ids
        .iter()
        .zip(rows.iter())
        .map(|(id, row)| {
            let (id, row) = (id?, row?);
            let f = first[id];
            (f != row).then_some(f)
        })
        .collect();
    Ok(Some(column.with_name(FIRST.into()).into_column()))
}

/// Validates a raw table as `entity` (see module docs).
pub fn validate(
    raw: &RawTable,
    entity: Entity,
    cfg: &Config,
    export_date: NaiveDate,
) -> Result<Validated> {
    let threads = crate::util::parallel::threads_for(raw.df.height(), 10_000, 4);
    validate_on(raw, entity, cfg, export_date, threads)
}

/// [`validate`] with the passes over the columns on up to `threads` threads (the result does
/// not depend on it).
fn validate_on(
    raw: &RawTable,
    entity: Entity,
    cfg: &Config,
    export_date: NaiveDate,
    threads: usize,
) -> Result<Validated> {
    let HeaderUse {
        pairs,
        unused,
        warnings: mut header_warnings,
    } = map_headers(raw, entity, cfg)?;
    let mut warnings: Vec<String> = unused_warning(&unused).into_iter().collect();
    warnings.append(&mut header_warnings);
    warnings.extend(raw.notes.iter().cloned());
    let mapping = entity.mapping(cfg);
    let width = raw.headers.len() as u32;

    // 1. Canonical text columns (their header renamed), fixed values, absent columns as null.
    let mut select: Vec<Expr> = vec![col(ROW), col(FIELDS), col(READ_PROBLEM)];
    for spec in entity.spec() {
        let e = if let Some(v) = mapping.vast.get(spec.name) {
            lit(v.clone())
        } else if let Some(parts) = mapping.samengesteld.get(spec.name) {
            let cols: Vec<Expr> = parts
                .iter()
                .filter_map(|p| find_header(raw, p))
                .map(|h| {
                    col(h.as_str())
                        .fill_null(lit(""))
                        .str()
                        .strip_chars(lit(NULL))
                })
                .collect();
            // All parts empty: the composed value is missing, not an empty code.
            let all_empty = cols
                .iter()
                .map(|c| c.clone().eq(lit("")))
                .reduce(|a, b| a.and(b))
                .unwrap_or(lit(true));
            when(all_empty)
                .then(lit(NULL).cast(DataType::String))
                .otherwise(concat_str(cols, PART_SEPARATOR, false))
        } else if let Some((theirs, _)) = pairs.iter().find(|(_, c)| c == spec.name) {
            col(theirs.as_str())
        } else {
            lit(NULL).cast(DataType::String)
        };
        select.push(e.alias(spec.name));
    }
    let mut canon_text = raw.df.clone().lazy().select(select).collect()?;
    let in_row_order = mark_rows_sorted(&mut canon_text)?;

    // 2. Each typed column's dictionary, joined to that column alone (in row order) and the
    // typed value and error added next to it: the wide frame is never joined or reordered,
    // so its text columns are not copied.
    let mut typed_columns: Vec<Column> = Vec::new();
    // Error and blank columns of the typed columns, carried on to the row rules.
    let mut carried_columns: Vec<Expr> = Vec::new();
    // Per required column: whether its cell is blank (empty or only spaces).
    let mut blank: BTreeMap<&str, Expr> = BTreeMap::new();
    let mut plain_exprs: Vec<Expr> = Vec::new();
    let mut date_formats = BTreeMap::new();
    let mut rules: Vec<Rule> = Vec::new();
    // The expensive part of every column (a pass over all its rows) runs for several columns
    // at once; what it yields is put together below in contract order, as before.
    let specs = entity.spec();
    let passes = crate::util::parallel::par_map(specs, threads, |spec| {
        column_pass(spec, &canon_text, &pairs, entity, cfg, raw)
    });
    for (spec, pass) in specs.iter().zip(passes) {
        match pass? {
            ColumnPass::Plain { clean } => {
                let t = col(spec.name).str().strip_chars(lit(NULL));
                let value = if clean {
                    col(spec.name)
                } else {
                    when(t.clone().eq(lit("")))
                        .then(lit(NULL).cast(DataType::String))
                        .otherwise(t)
                };
                plain_exprs.push(value.alias(format!("{}__v", spec.name).as_str()));
                // Trimmed and blank made null: the value is null exactly where the cell is blank.
                blank.insert(spec.name, col(spec.name).is_null());
            }
            ColumnPass::Typed(typed) => {
                let TypedColumn {
                    blank: blank_column,
                    value,
                    error,
                    date_format,
                } = *typed;
                if let Some(f) = &date_format {
                    date_formats.insert(spec.name.to_string(), f.summary());
                }
                if let Some(b) = blank_column {
                    let name = format!("{}__leeg", spec.name);
                    typed_columns.push(b);
                    blank.insert(spec.name, col(name.as_str()));
                    carried_columns.push(col(name.as_str()));
                }
                typed_columns.push(value);
                // A column without a single error has no error rule: it could never fail.
                if let Some(error) = error {
                    typed_columns.push(error);
                    let err = col(format!("{}__e", spec.name).as_str());
                    carried_columns.push(err.clone());
                    rules.push(Rule::new(spec.name, err.clone().is_not_null(), err));
                }
            }
        }
    }
    canon_text.hstack_mut(&typed_columns)?;
    drop(typed_columns);
    let lf = canon_text.lazy().with_columns(plain_exprs);
    // Typed canonical columns, raw text kept as `<name>__raw` for required checks.
    let mut typed: Vec<Expr> = vec![col(ROW), col(FIELDS), col(READ_PROBLEM)];
    typed.extend(carried_columns);
    for spec in entity.spec() {
        typed.push(col(spec.name).alias(format!("{}__raw", spec.name).as_str()));
        let v = col(format!("{}__v", spec.name).as_str());
        typed.push(v.fill_null(null_of(spec.kind)).alias(spec.name));
    }
    let lf = lf.select(typed);

    // 3. Row rules. A record quarantined as read (unclosed quote, only empty fields) first.
    rules.insert(
        0,
        Rule::new("(rij)", col(READ_PROBLEM).is_not_null(), col(READ_PROBLEM)),
    );
    rules.push(Rule::new(
        "(rij)",
        col(FIELDS).neq(lit(width)),
        concat_str(
            [lit("de rij heeft "), col(FIELDS).cast(DataType::String), lit(format!(" velden, de kopregel {width}; controleer scheidingstekens en aanhalingstekens in deze rij"))],
            "",
            false,
        ),
    ));
    for spec in entity.spec().iter().filter(|s| s.required) {
        let raw_blank = blank
            .remove(spec.name)
            .ok_or_else(|| Error::Internal(format!("kolom {}: geen leegtetest", spec.name)))?;
        rules.push(Rule::new(
            spec.name,
            raw_blank,
            lit(format!(
                "{}: verplicht veld is leeg; vul het in de bron in",
                spec.name
            )),
        ));
    }
    let limit = days(export_date);
    // A planned date (reactie_verwacht_op) may lie in the future; every other date may not.
    for spec in entity
        .spec()
        .iter()
        .filter(|s| s.kind == Kind::Date && s.name != "reactie_verwacht_op")
    {
        rules.push(Rule::new(
            spec.name,
            col(spec.name).gt(lit(limit)),
            lit(format!(
                "{}: datum ligt na de exportdatum {}; controleer de datum of geef de juiste --exportdatum op",
                spec.name,
                crate::nl::date_short(export_date)
            )),
        ));
    }
    // A year before 1900 or after 2100 (also 0000 or negative) is a typing error, not history.
    let (lo, hi) = (
        days(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap()),
        days(NaiveDate::from_ymd_opt(2100, 12, 31).unwrap()),
    );
    for spec in entity.spec().iter().filter(|s| s.kind == Kind::Date) {
        rules.push(Rule::new(
            spec.name,
            col(spec.name).lt(lit(lo)).or(col(spec.name).gt(lit(hi))),
            concat_str(
                [
                    lit(format!("{}: \"", spec.name)),
                    col(format!("{}__raw", spec.name).as_str()),
                    lit("\" heeft een onmogelijk jaar (buiten 1900 tot en met 2100); controleer de datum in de bron"),
                ],
                "",
                false,
            ),
        ));
    }
    let order = entity.date_order();
    for (j, later) in order.iter().enumerate() {
        for earlier in &order[..j] {
            rules.push(Rule::new(
                later,
                col(*later).lt(col(*earlier)),
                lit(format!(
                    "{later}: ligt vóór {earlier}; de volgorde moet zijn {}",
                    order.join(" ≤ ")
                )),
            ));
        }
    }
    if entity == Entity::Cases {
        let final_outcome = col("uitkomst").is_in(
            lit(Series::new(
                "f".into(),
                ["opgelost", "deels_opgelost", "niet_opgelost", "ingetrokken"],
            ))
            .implode(false),
            false,
        );
        rules.push(Rule::new(
            "afgerond_op",
            col("afgerond_op").is_not_null().and(final_outcome.not().or(col("uitkomst").is_null())),
            lit("afgerond_op: ingevuld terwijl uitkomst geen einduitkomst is (opgelost, deels_opgelost, niet_opgelost of ingetrokken); vul de uitkomst in of maak de datum leeg"),
        ));
        rules.extend(escalation_date_rules());
    }
    let id = entity.id_column();
    // The first row of each id is computed over all rows, before failing rows are picked out.
    let mut typed_frame = lf.collect()?;
    if let Some(first) = first_rows_of_repeats(&typed_frame, id)? {
        typed_frame.with_column(first)?;
        rules.push(Rule::new(
            id,
            col(FIRST).is_not_null(),
            concat_str(
                [
                    lit(format!("{id}: dubbel; dezelfde id staat al in rij ")),
                    col(FIRST).cast(DataType::String),
                ],
                "",
                false,
            ),
        ));
    }
    let lf = typed_frame.lazy();

    // Cheap booleans first; the Dutch reasons are only built for the rows that fail.
    let any_fail = rules
        .iter()
        .map(|r| r.fails.clone())
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    let (cols, reasons): (Vec<Expr>, Vec<Expr>) =
        rules.into_iter().map(|r| (r.column, r.reason)).unzip();
    let checked = lf
        .with_column(any_fail.alias(REASON))
        .sort([ROW], Default::default())
        .collect()?;

    // 4. Split.
    let canon_names: Vec<Expr> = entity
        .spec()
        .iter()
        .map(|s| {
            if s.kind == Kind::Date {
                col(s.name).cast(DataType::Date)
            } else {
                col(s.name)
            }
        })
        .collect();
    let accepted = checked
        .clone()
        .lazy()
        .filter(col(REASON).not())
        .select(canon_names)
        .collect()?;
    let failing = checked.column(REASON)?.bool()?.clone();
    let bad = checked.lazy().filter(col(REASON)).select([
        col(ROW),
        concat_str(cols, "; ", true).alias(COLUMN),
        concat_str(reasons, "; ", true).alias(REASON),
    ]);
    let file = raw.path.display().to_string();
    let mut original: Vec<Expr> = vec![
        lit(file.clone()).alias("bestand"),
        col(ROW).alias("rij"),
        col(COLUMN).alias("kolom"),
        col(REASON).alias("reden"),
    ];
    original.extend(raw.headers.iter().map(|h| col(h.as_str())));
    let has_extra = raw.df.column(EXTRA)?.null_count() < raw.df.height();
    if has_extra {
        original.push(col(EXTRA).alias("extra velden"));
    }
    let quarantine = if in_row_order {
        // The checked rows stand in the raw table's order (sorting them changed nothing): the
        // raw table's failing rows are picked by the same mask, without a join.
        let bad = bad.collect()?;
        let mut q = raw.df.filter(&failing)?;
        if q.height() != bad.height() {
            return Err(Error::Internal(format!(
                "quarantaine: {} rijen gekozen voor {} redenen",
                q.height(),
                bad.height()
            )));
        }
        q.hstack_mut(&[bad.column(COLUMN)?.clone(), bad.column(REASON)?.clone()])?;
        q.lazy().select(original).collect()?
    } else {
        raw.df
            .clone()
            .lazy()
            .join(bad, [col(ROW)], [col(ROW)], JoinArgs::new(JoinType::Inner))
            .sort([ROW], Default::default())
            .select(original)
            .collect()?
    };

    if entity == Entity::Cases {
        let open_final = accepted
            .clone()
            .lazy()
            .select([col("afgerond_op"), col("uitkomst")])
            .filter(
                col("afgerond_op").is_null().and(
                    col("uitkomst").is_in(
                        lit(Series::new(
                            "f".into(),
                            ["opgelost", "deels_opgelost", "niet_opgelost", "ingetrokken"],
                        ))
                        .implode(false),
                        false,
                    ),
                ),
            )
            .collect()?
            .height();
        if open_final > 0 {
            warnings.push(format!(
                "{} {} een einduitkomst maar geen afgerond_op; {} niet mee als afgerond",
                crate::nl::count(open_final as u64, "casus", "casussen"),
                if open_final == 1 { "heeft" } else { "hebben" },
                if open_final == 1 {
                    "die telt"
                } else {
                    "ze tellen"
                }
            ));
        }
    }
    if entity == Entity::Cases {
        warnings.extend(missing_triage_warning(&accepted)?);
    }
    let summary = InputSummary {
        soort: entity,
        bestand: file,
        sha256: raw.sha256.clone(),
        codering: raw.encoding.to_string(),
        scheidingsteken: raw.delimiter.map(|d| {
            if d == b'\t' {
                "tab".to_string()
            } else {
                (d as char).to_string()
            }
        }),
        gelezen: raw.df.height(),
        geaccepteerd: accepted.height(),
        in_quarantaine: quarantine.height(),
        waarschuwingen: warnings,
        ongebruikte_kolommen: unused,
        datumformaten: date_formats,
    };
    debug_assert_eq!(
        summary.gelezen,
        summary.geaccepteerd + summary.in_quarantaine
    );
    Ok(Validated {
        accepted,
        quarantine,
        summary,
    })
}

#[cfg(test)]
mod tests;
