//! A first `rodedraad.toml` for a new export: which header is which canonical
//! column, which date format each date column has, and which values need a code.
//!
//! Every header is scored against every canonical column: the header against
//! Dutch and English synonyms ([`synonyms`]), times how well the values fit the
//! column's kind (dates for a date column, few distinct values for a code, ...),
//! raised when the values already are known codes. A match of at least
//! [`SURE`] becomes a line; a weaker one is only a `# BESLIS` comment with the
//! candidates, never a guess. Date columns get their format from the values
//! ([`super::dates`]); every coded column lists its values with their counts, and
//! so does every undecided header, under its `# BESLIS` line (an unused header with
//! a few values names them on its own line). The file ends with what is still to decide.
//!
//! ```
//! use rodedraad::{config::Config, ingest::{init, read}};
//! let csv = "Case ID,Opened,Category,Status\nA1,01/13/2015 10:00 AM,Pothole,Closed\nA2,01/02/2015 09:00 AM,Graffiti,Open\n";
//! let raw = read::read_csv_bytes(csv.as_bytes(), "auto", "auto", "x.csv".as_ref()).unwrap();
//! let p = init::propose(&raw, None, &Config::default_config()).unwrap();
//! assert!(p.toml.contains("\"Case ID\" = \"casus_id\""));
//! assert!(p.toml.contains("ontvangen_op = \"%m/%d/%Y\""));
//! assert!(Config::from_toml_str(&p.toml).is_ok());
//! ```

use super::dates::{self, DateProblem};
use super::read::RawTable;
use super::spec::{known_codes, slug, ColumnSpec, Entity, Kind};
use super::validate::{parse_bool, parse_int};
use crate::config::Config;
use crate::error::Result;
use crate::util::normalize::{nearest, norm, similarity};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A match at least this sure becomes a mapping line; below it, a `# BESLIS` comment.
pub const SURE: f64 = 0.75;
/// Candidates below this are not mentioned.
const WORTH_MENTIONING: f64 = 0.45;
/// A value becomes a mapping line only when it is at least this close to a code.
const CODE_SURE: f64 = 0.85;
/// At most this many values of one coded column are listed.
const MAX_VALUES: usize = 200;
/// An undecided header lists at most this many of its values under its `# BESLIS` line.
const MAX_UNDECIDED_VALUES: usize = 25;
/// An unused header with at most this many distinct values (a code, not free text) lists
/// them on its line.
const MAX_INLINE_VALUES: usize = 8;

/// What `init` proposes.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The configuration text (valid TOML, loadable as a configuration).
    pub toml: String,
    /// What a person must still decide, one Dutch line each (also at the end of `toml`).
    pub open: Vec<String>,
    /// (their header, canonical column) pairs that became mapping lines.
    pub matched: Vec<(String, String)>,
}

/// Synonyms of a canonical column's header, with how strongly each points at it.
pub fn synonyms(entity: Entity, column: &str) -> &'static [(&'static str, f64)] {
    match (entity, column) {
        (Entity::Cases, "casus_id") => &[
            ("casusnummer", 1.0),
            ("zaaknummer", 1.0),
            ("zaak id", 1.0),
            ("dossiernummer", 0.9),
            ("case id", 1.0),
            ("case number", 1.0),
            ("case enquiry id", 1.0),
            ("complaint id", 1.0),
            ("ticket id", 1.0),
            ("ticket number", 0.95),
            ("service request id", 1.0),
            ("request id", 0.9),
            ("sr number", 1.0),
            ("unique key", 0.9),
            ("incident id", 0.9),
            ("id", 0.8),
            ("kenmerk", 0.7),
            ("referentie", 0.6),
            ("reference", 0.6),
        ],
        (Entity::Cases, "ontvangen_op") => &[
            ("ontvangen", 1.0),
            ("datum ontvangen", 1.0),
            ("ontvangstdatum", 1.0),
            ("binnengekomen", 0.9),
            ("aangemaakt", 0.9),
            ("aanmaakdatum", 0.9),
            ("melddatum", 0.8),
            ("received", 1.0),
            ("date received", 1.0),
            ("opened", 1.0),
            ("open date", 1.0),
            ("open dt", 1.0),
            ("open", 0.85),
            ("created", 1.0),
            ("created date", 1.0),
            ("creation date", 1.0),
            ("submitted", 0.9),
            ("date submitted", 0.9),
            ("requested", 0.85),
            ("reported", 0.8),
        ],
        (Entity::Cases, "afgerond_op") => &[
            ("afgerond", 1.0),
            ("datum afgerond", 1.0),
            ("afsluitdatum", 1.0),
            ("gesloten", 1.0),
            ("afgesloten", 1.0),
            ("closed", 1.0),
            ("closed date", 1.0),
            ("close date", 1.0),
            ("closed dt", 1.0),
            ("date closed", 1.0),
            ("resolved", 0.95),
            ("resolved date", 1.0),
            ("completed", 0.9),
            ("einddatum", 0.8),
        ],
        (Entity::Cases, "triage_op") => &[
            ("triage", 0.85),
            ("triagedatum", 1.0),
            ("datum triage", 1.0),
            ("triage date", 1.0),
            ("assigned date", 0.8),
        ],
        (Entity::Cases, "triage_besluit") => &[
            ("triagebesluit", 1.0),
            ("besluit", 0.7),
            ("triage decision", 1.0),
            ("decision", 0.7),
        ],
        (Entity::Cases, "thema") | (Entity::Signals, "thema") => &[
            ("thema", 1.0),
            ("onderwerp", 1.0),
            ("categorie", 1.0),
            ("category", 1.0),
            ("subject", 1.0),
            ("topic", 1.0),
            ("issue", 0.9),
            ("complaint type", 1.0),
            ("request type", 1.0),
            ("service request type", 1.0),
            ("sr type", 1.0),
            ("type", 0.7),
            ("soort", 0.7),
            ("problem", 0.8),
            ("reason", 0.7),
            ("hoofdthema", 0.9),
        ],
        (Entity::Cases, "regeling") | (Entity::Signals, "regeling") => &[
            ("regeling", 1.0),
            ("product", 0.8),
            ("scheme", 0.8),
            ("program", 0.8),
            ("programme", 0.8),
            ("belastingsoort", 0.8),
            ("toeslag", 0.7),
        ],
        (Entity::Cases, "aandrager_type") => &[
            ("type aandrager", 1.0),
            ("soort aandrager", 1.0),
            ("aandrager", 0.9),
            ("submitter type", 1.0),
            ("reporter type", 0.9),
            ("kanaal", 0.7),
            ("channel", 0.7),
            ("source", 0.7),
            ("submitted via", 0.7),
            ("bron", 0.6),
        ],
        (Entity::Cases, "aandrager_id") => &[
            ("organisatie aandrager", 1.0),
            ("aandrager naam", 0.9),
            ("organisatie", 0.8),
            ("submitter", 0.8),
            ("company", 0.7),
            ("organisation", 0.7),
            ("organization", 0.7),
        ],
        (Entity::Cases, "dienst") => &[
            ("dienst", 1.0),
            ("uitvoerder", 0.7),
            ("department", 0.8),
            ("agency", 0.8),
            ("afdeling", 0.7),
            ("service", 0.6),
        ],
        (_, "doelgroep") => &[("doelgroepen", 1.0), ("target group", 1.0), ("tags", 0.7)],
        (Entity::Cases, "levensgebeurtenis") => &[("life event", 1.0)],
        (Entity::Cases, "complexiteit") => {
            &[("complexity", 1.0), ("prioriteit", 0.6), ("priority", 0.6)]
        }
        (Entity::Cases, "spoed") => &[("urgent", 1.0), ("urgency", 1.0), ("spoedeisend", 1.0)],
        (Entity::Cases, "doorverwezen_naar") => &[("referred to", 1.0)],
        (Entity::Cases, "geescaleerd") => &[("escalated", 1.0)],
        (Entity::Cases, "escalatie_niveau") => {
            &[("escalatieniveau", 1.0), ("escalation level", 1.0)]
        }
        (Entity::Cases, "uitkomst") => &[
            ("resultaat", 1.0),
            ("afhandeling", 0.8),
            ("afloop", 0.9),
            ("outcome", 1.0),
            ("resolution", 1.0),
            ("resolution description", 1.0),
            ("result", 0.9),
            ("closure reason", 1.0),
            ("company response to consumer", 1.0),
            ("company response", 0.8),
            ("status", 0.6),
            ("case status", 0.6),
        ],
        (Entity::Cases, "samenvatting") => &[
            ("omschrijving", 1.0),
            ("beschrijving", 1.0),
            ("toelichting", 0.9),
            ("description", 1.0),
            ("summary", 1.0),
            ("details", 0.9),
            ("narrative", 1.0),
            ("notes", 0.8),
            ("opmerkingen", 0.8),
            ("case title", 0.7),
            ("title", 0.6),
        ],
        (Entity::Cases, "geleerde_les") => &[("lessons learned", 1.0), ("lesson", 0.9)],
        (Entity::Signals, "signaal_id") => &[
            ("signaalnummer", 1.0),
            ("signal id", 1.0),
            ("melding id", 0.9),
            ("id", 0.8),
        ],
        (Entity::Signals, "gemeld_op") => &[
            ("gemeld", 1.0),
            ("melddatum", 1.0),
            ("datum melding", 1.0),
            ("reported", 1.0),
            ("created", 0.9),
            ("received", 0.9),
        ],
        (Entity::Signals, "bron") => &[
            ("source", 1.0),
            ("herkomst", 0.9),
            ("kanaal", 0.8),
            ("channel", 0.8),
        ],
        (Entity::Signals, "omschrijving") => &[
            ("description", 1.0),
            ("samenvatting", 0.9),
            ("beschrijving", 1.0),
        ],
        (Entity::Signals, "casus_ids") => &[("casussen", 0.9), ("case ids", 1.0), ("cases", 0.8)],
        (Entity::Signals, "status") => &[("state", 0.9), ("stand", 0.8)],
        (Entity::Signals, "doorgezet_naar") => &[("forwarded to", 1.0), ("ontvanger", 0.8)],
        (Entity::Signals, "doorgezet_op") => &[("forwarded", 0.9), ("doorgezet", 0.9)],
        (Entity::Signals, "eigenaar") => {
            &[("owner", 1.0), ("behandelaar", 0.8), ("assigned to", 0.8)]
        }
        (Entity::Signals, "reactie_verwacht_op") => &[
            ("reactie verwacht", 1.0),
            ("due date", 0.9),
            ("target date", 0.9),
            ("deadline", 0.9),
        ],
        (Entity::Signals, "terugkoppeling") => &[("feedback", 1.0), ("response", 0.8)],
        (Entity::Signals, "terugkoppeling_op") => &[("feedback date", 1.0)],
        _ => &[],
    }
}

/// Words of a header: camelCase split, normalised, split on separators.
fn words(s: &str) -> Vec<String> {
    let mut spaced = String::with_capacity(s.len() + 4);
    let mut prev_lower = false;
    for ch in s.chars() {
        if ch.is_uppercase() && prev_lower {
            spaced.push(' ');
        }
        prev_lower = ch.is_lowercase();
        spaced.push(ch);
    }
    norm(&spaced)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// How strongly a header points at a canonical column, from its name alone (0 to 1).
pub fn header_score(header: &str, entity: Entity, column: &str) -> f64 {
    let h = words(header);
    if h.is_empty() {
        return 0.0;
    }
    let own = [(column, 1.0)];
    own.iter()
        .chain(synonyms(entity, column))
        .map(|&(phrase, weight)| {
            let p = words(phrase);
            if p == h {
                weight
            } else if p.iter().all(|w| h.contains(w)) {
                weight * (0.85 + 0.15 * p.len() as f64 / h.len() as f64)
            } else {
                let s = similarity(header, phrase);
                if s >= 0.85 {
                    weight * s * 0.9
                } else {
                    0.0
                }
            }
        })
        .fold(0.0, f64::max)
}

/// What the values of one raw column look like.
#[derive(Debug, Clone)]
struct Profile {
    /// Distinct non-blank values with their counts, most frequent first.
    values: Vec<(String, usize)>,
    filled: usize,
    date: std::result::Result<Option<dates::Sniffed>, DateProblem>,
    bools: usize,
    ints: Option<(i64, i64, usize)>,
    mean_len: f64,
}

impl Profile {
    fn of(t: &RawTable, header: &str, cfg: &Config) -> Result<Profile> {
        let col = t.df.column(header)?.str()?.clone();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for v in col.iter().flatten() {
            let v = v.trim();
            if !v.is_empty() {
                *counts.entry(v).or_default() += 1;
            }
        }
        let filled: usize = counts.values().sum();
        let candidates = dates::candidates(&cfg.invoer.datumformaten, t.from_spreadsheet);
        let date = dates::sniff(counts.keys().copied(), &candidates);
        let bools = counts
            .iter()
            .filter(|(v, _)| parse_bool(v).is_some())
            .map(|(_, n)| n)
            .sum();
        let int_values: Vec<(i64, usize)> = counts
            .iter()
            .filter_map(|(v, n)| parse_int(v).map(|i| (i, *n)))
            .collect();
        let ints = (!int_values.is_empty()).then(|| {
            let lo = int_values.iter().map(|p| p.0).min().unwrap_or(0);
            let hi = int_values.iter().map(|p| p.0).max().unwrap_or(0);
            (lo, hi, int_values.iter().map(|p| p.1).sum())
        });
        let mean_len = if filled == 0 {
            0.0
        } else {
            counts
                .iter()
                .map(|(v, n)| v.chars().count() * n)
                .sum::<usize>() as f64
                / filled as f64
        };
        let mut values: Vec<(String, usize)> = counts
            .into_iter()
            .map(|(v, n)| (v.to_string(), n))
            .collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(Profile {
            values,
            filled,
            date,
            bools,
            ints,
            mean_len,
        })
    }

    /// Share of the filled cells that are dates in the column's one format.
    fn date_share(&self) -> f64 {
        match &self.date {
            Ok(Some(s)) => {
                let fmt = &s.format;
                let n: usize = self
                    .values
                    .iter()
                    .filter(|(v, _)| dates::parse_with(v, fmt).is_some())
                    .map(|(_, n)| n)
                    .sum();
                n as f64 / self.filled.max(1) as f64
            }
            // Dates whose order the values do not show are still dates.
            Err(_) => 1.0,
            Ok(None) => 0.0,
        }
    }

    /// How well the values fit a column of this kind (0 to 1).
    fn fit(&self, spec: &ColumnSpec, cfg: &Config) -> f64 {
        if self.filled == 0 {
            return 0.5;
        }
        let share = |n: usize| n as f64 / self.filled as f64;
        let dates = self.date_share();
        match spec.kind {
            Kind::Date => {
                if dates >= 0.8 {
                    1.0
                } else {
                    0.2
                }
            }
            _ if dates >= 0.8 => 0.2,
            Kind::Id => {
                if self.values.len() as f64 >= 0.98 * self.filled as f64 {
                    1.0
                } else {
                    0.3
                }
            }
            Kind::Bool => {
                if share(self.bools) >= 0.95 {
                    1.0
                } else {
                    0.3
                }
            }
            Kind::Int(lo, hi) => match self.ints {
                Some((a, b, n)) if a >= lo && b <= hi && share(n) >= 0.95 => 1.0,
                _ => 0.3,
            },
            Kind::Code(dim) | Kind::MultiCode(dim) => {
                let known = self.known_share(cfg, dim);
                if known >= 0.5 || self.values.len() <= 200 || self.values.len() * 5 <= self.filled
                {
                    1.0
                } else {
                    0.6
                }
            }
            Kind::MultiText => 0.9,
            Kind::Text => {
                if self.mean_len >= 15.0 {
                    1.0
                } else {
                    0.8
                }
            }
        }
    }

    /// Share of the filled cells whose value already is a known code of `dim`.
    fn known_share(&self, cfg: &Config, dim: &str) -> f64 {
        let known: Vec<String> = known_codes(cfg, dim).iter().map(|k| norm(k)).collect();
        if known.is_empty() {
            return 0.0;
        }
        let n: usize = self
            .values
            .iter()
            .filter(|(v, _)| known.contains(&norm(v)))
            .map(|(_, n)| n)
            .sum();
        n as f64 / self.filled.max(1) as f64
    }
}

/// The score of a header for a canonical column: its name, weighed by its values;
/// values that already are known codes make a code column sure whatever its header.
fn score(header: &str, p: &Profile, entity: Entity, spec: &ColumnSpec, cfg: &Config) -> f64 {
    let by_name = header_score(header, entity, spec.name) * p.fit(spec, cfg);
    let by_values = match spec.kind {
        Kind::Code(dim) | Kind::MultiCode(dim) => {
            let k = p.known_share(cfg, dim);
            if k >= 0.8 {
                0.6 + 0.4 * k
            } else {
                0.0
            }
        }
        _ => 0.0,
    };
    by_name.max(by_values)
}

/// A TOML basic string: quotes, backslashes and control characters escaped, so a header
/// with a newline or a tab still gives valid TOML (also inside a comment).
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// New taxonomy codes per dimension: code -> label.
type Taxonomy = BTreeMap<&'static str, BTreeMap<String, String>>;

/// One header's best candidates, best first: (score, canonical column).
type Candidates = Vec<(f64, &'static str)>;

/// Assigns headers to canonical columns, surest first, each column at most once.
fn assign(
    t: &RawTable,
    profiles: &[Profile],
    entity: Entity,
    cfg: &Config,
) -> (Vec<Option<&'static str>>, Vec<Candidates>) {
    let mut cands: Vec<Candidates> = Vec::new();
    let mut all: Vec<(f64, usize, usize)> = Vec::new();
    for (i, h) in t.headers.iter().enumerate() {
        let mut c: Candidates = Vec::new();
        for (j, spec) in entity.spec().iter().enumerate() {
            let s = score(h, &profiles[i], entity, spec, cfg);
            if s >= WORTH_MENTIONING {
                c.push((s, spec.name));
                all.push((s, i, j));
            }
        }
        c.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        cands.push(c);
    }
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut chosen: Vec<Option<&'static str>> = vec![None; t.headers.len()];
    let mut taken = vec![false; entity.spec().len()];
    for (s, i, j) in all {
        if s >= SURE && chosen[i].is_none() && !taken[j] {
            chosen[i] = Some(entity.spec()[j].name);
            taken[j] = true;
        }
    }
    (chosen, cands)
}

/// The proposed configuration for these raw tables (see the module docs).
pub fn propose(cases: &RawTable, signals: Option<&RawTable>, cfg: &Config) -> Result<Proposal> {
    let mut out = String::new();
    let mut open = Vec::new();
    let mut matched = Vec::new();
    let _ = writeln!(
        out,
        "# rodedraad.toml, voorgesteld door 'rodedraad inrichten' voor {}",
        toml_string(&cases.path.display().to_string())
    );
    let _ = writeln!(
        out,
        "# Alles wat hier niet staat, komt uit de ingebouwde standaard (zie docs/invoer.md).\n# Regels met '# BESLIS' moet een mens nalopen; een voorstel zonder zekerheid staat als commentaar.\n"
    );
    input_section(&mut out, cases);
    let mut taxonomy = Taxonomy::new();
    section(
        &mut out,
        &mut open,
        &mut taxonomy,
        &mut matched,
        cases,
        Entity::Cases,
        cfg,
    )?;
    if let Some(s) = signals {
        section(
            &mut out,
            &mut open,
            &mut taxonomy,
            &mut matched,
            s,
            Entity::Signals,
            cfg,
        )?;
    }
    for (dim, codes) in &taxonomy {
        let _ = writeln!(
            out,
            "[taxonomie.{dim}]   # nieuwe codes uit de waarden (omschrijving zoals in de export); pas aan of voeg samen"
        );
        for (code, label) in codes {
            let _ = writeln!(out, "{} = {}", toml_string(code), toml_string(label));
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "# ---- Nog te beslissen ----");
    if open.is_empty() {
        let _ = writeln!(
            out,
            "# Niets: draai 'rodedraad controleer' met deze configuratie."
        );
    }
    for o in &open {
        let _ = writeln!(out, "# - {}", o.replace(['\n', '\r'], " "));
    }
    Ok(Proposal {
        toml: out,
        open,
        matched,
    })
}

fn input_section(out: &mut String, t: &RawTable) {
    let _ = writeln!(out, "[invoer]");
    if let Some(d) = t.delimiter {
        let _ = writeln!(
            out,
            "scheidingsteken = {}",
            toml_string(&(d as char).to_string())
        );
    }
    let enc = if t.encoding.starts_with("utf-8") {
        "utf-8"
    } else {
        t.encoding
    };
    if enc == "utf-8" || enc == "windows-1252" {
        let _ = writeln!(out, "codering = \"{enc}\"");
    }
    let _ = writeln!(out);
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn section(
    out: &mut String,
    open: &mut Vec<String>,
    taxonomy: &mut Taxonomy,
    matched: &mut Vec<(String, String)>,
    t: &RawTable,
    entity: Entity,
    cfg: &Config,
) -> Result<()> {
    let name = entity.plural();
    let profiles: Vec<Profile> = t
        .headers
        .iter()
        .map(|h| Profile::of(t, h, cfg))
        .collect::<Result<_>>()?;
    let (chosen, cands) = assign(t, &profiles, entity, cfg);
    let _ = writeln!(out, "[{name}.kolommen]");
    for (i, h) in t.headers.iter().enumerate() {
        let key = toml_string(h);
        let count = profiles[i].values.len();
        match chosen[i] {
            Some(c) => {
                let s = cands[i]
                    .iter()
                    .find(|x| x.1 == c)
                    .map(|x| x.0)
                    .unwrap_or(0.0);
                let _ = writeln!(out, "{key} = \"{c}\"   # zeker: {}", pct(s.min(1.0)));
                matched.push((h.clone(), c.to_string()));
            }
            None => {
                let free: Vec<String> = cands[i]
                    .iter()
                    .filter(|(_, c)| !chosen.contains(&Some(*c)))
                    .take(3)
                    .map(|(s, c)| format!("{c} ({})", pct(*s)))
                    .collect();
                if free.is_empty() {
                    let _ = writeln!(
                        out,
                        "# {key} wordt niet gebruikt ({}{})",
                        distinct(count),
                        inline_values(&profiles[i])
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "# {key} = \"?\"   # BESLIS: niet zeker; kandidaten: {}",
                        free.join(", ")
                    );
                    undecided_values(out, &profiles[i]);
                    open.push(format!(
                        "[{name}.kolommen] kop {key}: kies uit {} of laat weg",
                        free.join(", ")
                    ));
                }
            }
        }
    }
    for c in entity
        .spec()
        .iter()
        .filter(|c| c.required && !chosen.contains(&Some(c.name)))
    {
        let _ = writeln!(out, "# BESLIS: verplichte kolom \"{}\" is niet gevonden; wijs een kop aan of zet een vaste waarde onder [{name}.vast]", c.name);
        open.push(format!(
            "[{name}] verplichte kolom {} ontbreekt: wijs een kop aan of zet een vaste waarde onder [{name}.vast]",
            c.name
        ));
    }
    let _ = writeln!(out);
    date_formats(out, open, t, &profiles, &chosen, entity);
    composed_theme(out, open, taxonomy, t, &profiles, &chosen, &cands, entity)?;
    for (i, h) in t.headers.iter().enumerate() {
        if let Some(c) = chosen[i] {
            let spec = entity.column(c).expect("canonical");
            code_values(out, open, taxonomy, h, &profiles[i], spec, entity, cfg);
        }
    }
    Ok(())
}

/// "1 waarde", "5 verschillende waarden".
fn distinct(n: usize) -> String {
    if n == 1 {
        "1 waarde".into()
    } else {
        format!("{} verschillende waarden", crate::nl::int(n as i64))
    }
}

/// The values of a coded unused column for its line: `: "BOS" 1200×, "LASAN" 900×`;
/// nothing for a column with more distinct values than [`MAX_INLINE_VALUES`].
fn inline_values(p: &Profile) -> String {
    if p.values.is_empty() || p.values.len() > MAX_INLINE_VALUES {
        return String::new();
    }
    let listed: Vec<String> = p
        .values
        .iter()
        .map(|(v, n)| format!("{} {n}×", toml_string(v)))
        .collect();
    format!(": {}", listed.join(", "))
}

/// Under the `# BESLIS` line of an undecided header: its values with their counts, most
/// frequent first, so the choice (and a value mapping) can be made without opening the export.
fn undecided_values(out: &mut String, p: &Profile) {
    if p.values.is_empty() {
        let _ = writeln!(out, "#     (geen waarden: de kolom is leeg)");
        return;
    }
    let _ = writeln!(
        out,
        "#     {} in {}:",
        distinct(p.values.len()),
        crate::nl::count(p.filled as u64, "gevulde cel", "gevulde cellen")
    );
    for (v, n) in p.values.iter().take(MAX_UNDECIDED_VALUES) {
        let _ = writeln!(out, "#     {}   # {n}×", toml_string(v));
    }
    if p.values.len() > MAX_UNDECIDED_VALUES {
        let rest: usize = p.values[MAX_UNDECIDED_VALUES..]
            .iter()
            .map(|(_, n)| n)
            .sum();
        let _ = writeln!(
            out,
            "#     ... en nog {} waarden ({rest} cellen)",
            p.values.len() - MAX_UNDECIDED_VALUES
        );
    }
}

/// A theme from two columns: when `thema` comes from one header and another unmatched header
/// with more distinct values also looks like a theme (SUBJECT and TYPE), propose
/// `[<section>.samengesteld] thema = [first, second]` as a decision, with the taxonomy of
/// every combination (codes slugified, labels as written) so that one uncommented line does it.
#[allow(clippy::too_many_arguments)]
fn composed_theme(
    out: &mut String,
    open: &mut Vec<String>,
    taxonomy: &mut Taxonomy,
    t: &RawTable,
    profiles: &[Profile],
    chosen: &[Option<&'static str>],
    cands: &[Candidates],
    entity: Entity,
) -> Result<()> {
    let Some(main) = chosen.iter().position(|c| *c == Some("thema")) else {
        return Ok(());
    };
    let sub = (0..t.headers.len())
        .filter(|&i| chosen[i].is_none())
        .filter(|&i| profiles[i].values.len() > profiles[main].values.len())
        .filter(|&i| {
            cands[i]
                .iter()
                .any(|(s, c)| *c == "thema" && *s >= WORTH_MENTIONING)
        })
        .max_by(|&a, &b| {
            let score = |i: usize| {
                cands[i]
                    .iter()
                    .find(|x| x.1 == "thema")
                    .map(|x| x.0)
                    .unwrap_or(0.0)
            };
            score(a).total_cmp(&score(b)).then(b.cmp(&a))
        });
    let Some(sub) = sub else {
        return Ok(());
    };
    let (a, b) = (&t.headers[main], &t.headers[sub]);
    let first = t.df.column(a)?.str()?.clone();
    let second = t.df.column(b)?.str()?.clone();
    let codes = taxonomy.entry("thema").or_default();
    for (x, y) in first.iter().zip(second.iter()) {
        let (x, y) = (x.unwrap_or("").trim(), y.unwrap_or("").trim());
        let (sx, sy) = (slug(x), slug(y));
        if !sx.is_empty() {
            codes.entry(sx.clone()).or_insert_with(|| x.to_string());
        }
        if !sx.is_empty() && !sy.is_empty() {
            codes
                .entry(format!("{sx}.{sy}"))
                .or_insert_with(|| y.to_string());
        } else if !sy.is_empty() {
            codes.entry(sy).or_insert_with(|| y.to_string());
        }
    }
    let name = entity.plural();
    let pair = format!("[{}, {}]", toml_string(a), toml_string(b));
    let _ = writeln!(
        out,
        "[{name}.samengesteld]   # BESLIS: thema uit twee kolommen, hoofdthema {} en subthema {}? Haal dan het # weg; de codes staan al in [taxonomie.thema]
# thema = {pair}
",
        toml_string(a),
        toml_string(b)
    );
    open.push(format!(
        "[{name}.samengesteld] thema = {pair}: thema uit twee kolommen, of alleen {}?",
        toml_string(a)
    ));
    Ok(())
}

/// `[<section>.datumformaat]`: the format of every matched date column, from its values.
fn date_formats(
    out: &mut String,
    open: &mut Vec<String>,
    t: &RawTable,
    profiles: &[Profile],
    chosen: &[Option<&'static str>],
    entity: Entity,
) {
    let name = entity.plural();
    let dated: Vec<usize> = (0..t.headers.len())
        .filter(|&i| {
            chosen[i].is_some_and(|c| entity.column(c).is_some_and(|s| s.kind == Kind::Date))
        })
        .collect();
    if dated.is_empty() {
        return;
    }
    let _ = writeln!(out, "[{name}.datumformaat]");
    for i in dated {
        let column = chosen[i].expect("chosen");
        let header = toml_string(&t.headers[i]);
        match &profiles[i].date {
            Ok(Some(s)) => {
                let example = profiles[i]
                    .values
                    .iter()
                    .find(|(v, _)| dates::parse_with(v, &s.format).is_some());
                let _ = writeln!(
                    out,
                    "{column} = {}   # {}, gekozen uit {} waarden van {header}{}",
                    toml_string(&s.format),
                    dates::describe(&s.format),
                    s.fits,
                    example
                        .map(|(v, _)| format!(", bv. {}", toml_string(v)))
                        .unwrap_or_default()
                );
            }
            Ok(None) => {
                let _ = writeln!(out, "# {column} = \"?\"   # BESLIS: geen waarde van {header} is een datum in een bekende notatie");
                open.push(format!(
                    "[{name}.datumformaat] {column}: geen bekende datumnotatie in {header}"
                ));
            }
            Err(p) => {
                let (message, _) = dates::problem_text(p, column, &t.headers[i], name);
                let options = match p {
                    DateProblem::Ambiguous { candidates, .. } => candidates.clone(),
                    DateProblem::MixedOrders { first, second }
                    | DateProblem::MixedShapes { first, second } => {
                        vec![first.0.clone(), second.0.clone()]
                    }
                };
                let quoted: Vec<String> = options.iter().map(|f| toml_string(f)).collect();
                let _ = writeln!(
                    out,
                    "# {column} = {}   # BESLIS: kies {}; {}",
                    quoted[0],
                    quoted.join(" of "),
                    message.replace(['\n', '\r'], " ")
                );
                open.push(format!(
                    "[{name}.datumformaat] {column}: kies {} ({})",
                    quoted.join(" of "),
                    options
                        .iter()
                        .map(|f| dates::describe(f))
                        .collect::<Vec<_>>()
                        .join(" of ")
                ));
            }
        }
    }
    let _ = writeln!(out);
}

/// `[<section>.waarden.<column>]`: every value of a coded column with its count.
#[allow(clippy::too_many_arguments)]
fn code_values(
    out: &mut String,
    open: &mut Vec<String>,
    taxonomy: &mut Taxonomy,
    header: &str,
    p: &Profile,
    spec: &ColumnSpec,
    entity: Entity,
    cfg: &Config,
) {
    let (Kind::Code(dim) | Kind::MultiCode(dim)) = spec.kind else {
        return;
    };
    let name = entity.plural();
    let known = known_codes(cfg, dim);
    let mut values = p.values.clone();
    if matches!(spec.kind, Kind::MultiCode(_)) {
        let sep = entity
            .mapping(cfg)
            .meerwaardig
            .get(spec.name)
            .cloned()
            .unwrap_or("|".into());
        let mut parts: BTreeMap<String, usize> = BTreeMap::new();
        for (v, n) in &values {
            for part in v
                .split(sep.as_str())
                .map(str::trim)
                .filter(|x| !x.is_empty())
            {
                *parts.entry(part.to_string()).or_default() += n;
            }
        }
        values = parts.into_iter().collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    let _ = writeln!(
        out,
        "[{name}.waarden.{}]   # {} in {}",
        spec.name,
        distinct(values.len()),
        toml_string(header)
    );
    let mut undecided = 0usize;
    // A dimension the users extend themselves gets new codes from the values (labels as
    // written); a closed list of the contract does not.
    let open_dimension = cfg.taxonomie.contains_key(dim);
    let mut new_codes: BTreeMap<String, String> = BTreeMap::new();
    for (v, n) in values.iter().take(MAX_VALUES) {
        let key = toml_string(v);
        if let Some(k) = known.iter().find(|k| norm(k) == norm(v)) {
            let _ = writeln!(out, "# {key} is al de code \"{k}\"   # {n}×");
            continue;
        }
        let near = nearest(v, known.iter().map(String::as_str));
        match near {
            Some(k) if similarity(v, &k) >= CODE_SURE => {
                let _ = writeln!(out, "{key} = {}   # {n}×", toml_string(&k));
            }
            _ if open_dimension && !slug(v).is_empty() => {
                let code = slug(v);
                if norm(v) == code {
                    let _ = writeln!(out, "# {key}: nieuwe code \"{code}\"   # {n}×");
                } else {
                    let _ = writeln!(out, "{key} = {}   # {n}×, nieuwe code", toml_string(&code));
                }
                new_codes.entry(code).or_insert_with(|| v.clone());
            }
            Some(k) => {
                undecided += 1;
                let _ = writeln!(
                    out,
                    "# {key} = \"?\"   # {n}×; BESLIS: lijkt een beetje op \"{k}\" ({})",
                    pct(similarity(v, &k))
                );
            }
            None => {
                undecided += 1;
                let _ = writeln!(out, "# {key} = \"?\"   # {n}×; BESLIS: geen code gevonden");
            }
        }
    }
    if values.len() > MAX_VALUES {
        let rest: usize = values[MAX_VALUES..].iter().map(|(_, n)| n).sum();
        undecided += values.len() - MAX_VALUES;
        let _ = writeln!(
            out,
            "# ... en nog {} waarden ({rest} rijen); een patroon (\"^Begin.*\" = \"code\") of \"*\" vangt ze",
            values.len() - MAX_VALUES
        );
    }
    if !new_codes.is_empty() {
        open.push(format!(
            "[taxonomie.{dim}]: {} nieuwe code(s) uit de waarden van {}; controleer ze",
            new_codes.len(),
            toml_string(header)
        ));
        let t = taxonomy.entry(dim).or_default();
        for (code, label) in new_codes {
            t.entry(code).or_insert(label);
        }
    }
    if undecided > 0 {
        let _ = writeln!(
            out,
            "# BESLIS: kies voor elke waarde een code uit [taxonomie.{dim}] (zie docs/invoer.md), voeg codes toe, of vang de rest met \"*\" = \"code\""
        );
        open.push(format!(
            "[{name}.waarden.{}]: {undecided} waarde(n) zonder code",
            spec.name
        ));
    }
    let _ = writeln!(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read::read_csv_bytes;

    fn raw(csv: &str) -> RawTable {
        read_csv_bytes(csv.as_bytes(), "auto", "auto", "t.csv".as_ref()).unwrap()
    }

    fn propose_csv(csv: &str) -> Proposal {
        let p = propose(&raw(csv), None, &Config::default_config()).unwrap();
        Config::from_toml_str(&p.toml).unwrap_or_else(|e| panic!("{e}\n{}", p.toml));
        p
    }

    #[test]
    fn an_undecided_header_lists_its_values_and_an_unused_code_column_names_them() {
        // "Kanaal" looks a bit like a helper type: undecided. Thirty-two channel values, the
        // two most frequent with a quote and a newline, so the list is cut and every line
        // stays a comment.
        let mut csv = String::from("Zaaknummer,Datum ontvangen,Onderwerp,Kanaal,Regio\n");
        for i in 0..60 {
            let kanaal = match i {
                0..3 => "\"Balie \"\"Noord\"\"\"".to_string(),
                3..6 => "\"Post\nscan\"".to_string(),
                _ => format!("kanaal {}", i % 30),
            };
            csv.push_str(&format!(
                "Z{i},2025-01-{:02},toeslagen,{kanaal},{}\n",
                1 + i % 28,
                ["Noord", "Zuid"][i % 2]
            ));
        }
        let p = propose_csv(&csv);
        let t = &p.toml;
        let lines: Vec<&str> = t.lines().collect();
        let Some(at) = lines
            .iter()
            .position(|l| l.starts_with("# \"Kanaal\" = \"?\"   # BESLIS"))
        else {
            panic!("Kanaal is not undecided:\n{t}");
        };
        assert_eq!(
            lines[at + 1..at + 5],
            [
                "#     32 verschillende waarden in 60 gevulde cellen:",
                "#     \"Balie \\\"Noord\\\"\"   # 3×",
                "#     \"Post\\nscan\"   # 3×",
                "#     \"kanaal 10\"   # 2×",
            ],
            "{t}"
        );
        let listed = lines[at + 2..]
            .iter()
            .take_while(|l| l.starts_with("#     \""))
            .count();
        assert_eq!(listed, MAX_UNDECIDED_VALUES);
        assert_eq!(
            lines[at + 2 + listed],
            "#     ... en nog 7 waarden (8 cellen)"
        );
        // An unused column of two values names them on its line.
        assert!(
            t.contains("# \"Regio\" wordt niet gebruikt (2 verschillende waarden: \"Noord\" 30×, \"Zuid\" 30×)"),
            "{t}"
        );
    }

    #[test]
    fn dutch_and_english_synonyms() {
        let e = Entity::Cases;
        for (h, c) in [
            ("Zaaknummer", "casus_id"),
            ("CASE_ENQUIRY_ID", "casus_id"),
            ("Case ID", "casus_id"),
            ("Datum ontvangen", "ontvangen_op"),
            ("OPEN_DT", "ontvangen_op"),
            ("CreatedDate", "ontvangen_op"),
            ("Date received", "ontvangen_op"),
            ("CLOSED_DT", "afgerond_op"),
            ("Afgerond", "afgerond_op"),
            ("Onderwerp", "thema"),
            ("Category", "thema"),
            ("RequestType", "thema"),
            ("SR_TYPE", "thema"),
            ("Outcome", "uitkomst"),
            ("Resolution", "uitkomst"),
            ("Omschrijving", "samenvatting"),
        ] {
            let best = e
                .spec()
                .iter()
                .map(|s| (header_score(h, e, s.name), s.name))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .unwrap();
            assert_eq!(best.1, c, "{h}: {best:?}");
            assert!(best.0 >= SURE, "{h}: {best:?}");
        }
        assert!(header_score("Kanaal", e, "aandrager_type") < SURE);
        assert!(header_score("QUEUE", e, "casus_id") < WORTH_MENTIONING);
    }

    const US: &str = "CASE_ENQUIRY_ID,OPEN_DT,CLOSED_DT,TYPE,QUEUE,Source,CLOSURE_REASON\n\
        101,01/07/2015 12:35:56 PM,01/13/2015 09:00:00 AM,Pothole Repair,PWDx,Citizens Connect App,Case Closed. Case Resolved.\n\
        102,01/13/2015 08:00:00 AM,,Overcrowding,ISD,Constituent Call,\n\
        103,02/01/2015 10:10:10 AM,02/02/2015 11:00:00 AM,Pothole Repair,PWDx,Constituent Call,Case Noted.\n";

    #[test]
    fn a_us_service_request_export() {
        let p = propose_csv(US);
        let t = &p.toml;
        assert!(t.contains("\"CASE_ENQUIRY_ID\" = \"casus_id\""), "{t}");
        assert!(t.contains("\"OPEN_DT\" = \"ontvangen_op\""), "{t}");
        assert!(t.contains("\"CLOSED_DT\" = \"afgerond_op\""), "{t}");
        assert!(t.contains("\"CLOSURE_REASON\" = \"uitkomst\""), "{t}");
        assert!(t.contains("ontvangen_op = \"%m/%d/%Y\""), "{t}");
        // No guess for TYPE (theme or submitter type?) nor for the channel.
        assert!(!t.contains("\"TYPE\" = \"aandrager_type\""), "{t}");
        assert!(t.contains("# \"Source\" = \"?\"   # BESLIS"), "{t}");
        // Values with counts, and the undecided ones left open.
        assert!(
            t.contains("# \"Case Closed. Case Resolved.\" = \"?\"   # 1×; BESLIS"),
            "{t}"
        );
        assert!(t.contains("# ---- Nog te beslissen ----"), "{t}");
        assert!(
            p.open
                .iter()
                .any(|o| o.contains("aandrager_type ontbreekt")),
            "{:?}",
            p.open
        );
    }

    #[test]
    fn known_codes_make_a_sure_match_whatever_the_header() {
        let csv = "nr,kolom b,kolom c\nA,2025-01-02,opgelost\nB,2025-01-03,lopend\nC,2025-01-04,niet_opgelost\n";
        let p = propose_csv(csv);
        assert!(p.toml.contains("\"kolom c\" = \"uitkomst\""), "{}", p.toml);
        assert!(
            p.toml
                .contains("# \"opgelost\" is al de code \"opgelost\"   # 1×"),
            "{}",
            p.toml
        );
    }

    #[test]
    fn an_ambiguous_date_column_is_left_to_decide() {
        let csv = "Zaaknummer,Ontvangen,Onderwerp\nA,01/02/2025,x\nB,03/04/2025,y\n";
        let p = propose_csv(csv);
        assert!(
            p.toml.contains(
                "# ontvangen_op = \"%d/%m/%Y\"   # BESLIS: kies \"%d/%m/%Y\" of \"%m/%d/%Y\""
            ),
            "{}",
            p.toml
        );
        assert!(
            p.open.iter().any(|o| o.contains("datumformaat")),
            "{:?}",
            p.open
        );
    }

    #[test]
    fn a_header_with_a_newline_or_quotes_gives_valid_toml() {
        let csv = "\"Zaak\nnummer\",\"Datum \"\"ontvangen\"\"\",\"x\\y\tz\"\nA,2025-01-02,1\n";
        let p = propose_csv(csv);
        assert!(p.toml.contains("\"Zaak\\nnummer\""), "{}", p.toml);
    }
}
