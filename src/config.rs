//! Configuration: `rodedraad.toml`, laid over the embedded defaults.
//!
//! The defaults (`src/default-config.toml`) hold the taxonomy with Dutch labels,
//! the thresholds of analysis and disclosure control, and an empty column
//! mapping. A user file only needs what differs; tables are merged key by key.
//!
//! ```
//! use rodedraad::config::Config;
//! let cfg = Config::from_toml_str("[bescherming]\nmin_cel = 10\n").unwrap();
//! assert_eq!(cfg.bescherming.min_cel, 10);
//! assert_eq!(cfg.bescherming.min_noemer, 10); // default kept
//! assert_eq!(cfg.label("thema", "toeslagen.terugvordering"), "Terugvordering van toeslagen");
//! ```

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The embedded default configuration.
pub const DEFAULT_TOML: &str = include_str!("default-config.toml");

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    pub invoer: InputSettings,
    pub casussen: Mapping,
    pub signalen: Mapping,
    pub indicatoren: IndicatorSettings,
    pub draden: ThreadSettings,
    pub bescherming: ProtectionSettings,
    pub rapport: ReportSettings,
    pub register: LedgerSettings,
    /// Dimension (aandrager_type, dienst, thema, ...) -> code -> Dutch label.
    pub taxonomie: BTreeMap<String, BTreeMap<String, String>>,
    /// Proposed recommendations per draad id, thema or main theme.
    #[serde(default)]
    pub aanbevelingen: BTreeMap<String, String>,
    /// Folder of the config file, to resolve relative paths.
    #[serde(skip)]
    pub base_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputSettings {
    pub scheidingsteken: String,
    pub codering: Encoding,
    pub datumformaten: Vec<String>,
    #[serde(default)]
    pub blad: String,
}

/// How one export maps onto the canonical model.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Mapping {
    /// Their header -> canonical column, or several (`"STATUS" = ["uitkomst", "samenvatting"]`).
    #[serde(default)]
    pub kolommen: BTreeMap<String, Targets>,
    /// Canonical column -> their value -> canonical code. Key `"*"` catches every other value;
    /// a key starting with `^` is a regular expression (`"^Case Closed.*Resolved" = "opgelost"`).
    #[serde(default)]
    pub waarden: BTreeMap<String, BTreeMap<String, String>>,
    /// Canonical column -> their headers whose values make one code together, as
    /// `slug(first).slug(second)` (`thema = ["SUBJECT", "TYPE"]`).
    #[serde(default)]
    pub samengesteld: BTreeMap<String, Vec<String>>,
    /// Canonical column -> separator of multi-valued cells.
    #[serde(default)]
    pub meerwaardig: BTreeMap<String, String>,
    /// Canonical column -> fixed value for every row (for columns the export lacks).
    #[serde(default)]
    pub vast: BTreeMap<String, String>,
    /// Canonical date column -> the one format it is read in (chrono notation or "excel").
    /// Without it, the format is chosen from the values (`ingest::dates`).
    #[serde(default)]
    pub datumformaat: BTreeMap<String, String>,
}

/// The canonical column(s) one header feeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Targets {
    One(String),
    Many(Vec<String>),
}

impl Targets {
    /// The canonical columns, in the order written.
    pub fn names(&self) -> Vec<&str> {
        match self {
            Targets::One(s) => vec![s.as_str()],
            Targets::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Yearly targets per service; 0 is no target (the built-in default: only a configuration of
/// one's own sets them, so a foreign export gets no target table).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndicatorSettings {
    pub doel_belastingdienst: u32,
    pub doel_dienst_toeslagen: u32,
}

/// Character encoding of a CSV file (`[invoer] codering`); `auto` recognises UTF-8 (with or
/// without BOM), UTF-16/32 by their BOM, and otherwise reads Windows-1252.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl Encoding {
    /// The value as written in the configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// EARS variant for rising threads (`[draden] ears_methode`), as in R `surveillance::earsC`;
/// the method itself is `analyse::methods::stats::ears`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EarsMethod {
    /// Baseline: the `baseline` periods immediately before t (t-baseline ..= t-1).
    #[serde(alias = "c1")]
    C1,
    /// Baseline with a guard band of 2: periods t-baseline-2 ..= t-3.
    #[serde(alias = "c2")]
    C2,
    /// Sum of max(0, C2 − 1) over t, t−1 and t−2.
    #[serde(alias = "c3")]
    C3,
}

impl EarsMethod {
    /// The method's name as the output shows it (`C2`).
    pub fn label(self) -> &'static str {
        match self {
            EarsMethod::C1 => "C1",
            EarsMethod::C2 => "C2",
            EarsMethod::C3 => "C3",
        }
    }
}

/// What happens to a text with personal data (`[bescherming] persoonsgegevens`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TextMode {
    /// The whole text is withheld.
    #[default]
    #[serde(rename = "weglaten")]
    Omit,
    /// Every hit is replaced by a placeholder such as `[BSN]`.
    #[serde(rename = "maskeren")]
    Mask,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThreadSettings {
    pub min_casussen: usize,
    pub min_aandragers: usize,
    pub max_kenmerken: usize,
    pub fdr_q: f64,
    pub min_ic025: f64,
    pub max_draden: usize,
    pub ears_methode: EarsMethod,
    pub ears_basis: usize,
    pub ears_min_sigma: f64,
    pub ears_alpha: f64,
    pub tekst_min_gelijkenis: f64,
    pub tekst_min_cluster: usize,
    pub tekst_exact_max: usize,
    pub tekst_max_hoofdthema: f64,
    /// A text cluster holding more than this share of the texts is a theme, not a thread.
    #[serde(default = "default_tekst_max_aandeel")]
    pub tekst_max_aandeel: f64,
    /// A stock sentence occurs in at least this many texts (and 1% of them).
    #[serde(default = "default_standaardzin_min_teksten")]
    pub standaardzin_min_teksten: usize,
    /// The *wie* dimensions of structural threads.
    #[serde(default = "default_wie")]
    pub wie: Vec<String>,
    /// A *wie* dimension with a bias-corrected Cramér's V above this against the theme is workflow.
    #[serde(default = "default_werkwijze_v")]
    pub werkwijze_v: f64,
    /// Code -> codes it is linked with by design; such combinations are not reported.
    #[serde(default)]
    pub bekende_samenhang: BTreeMap<String, Vec<String>>,
}

fn default_tekst_max_aandeel() -> f64 {
    0.1
}

fn default_standaardzin_min_teksten() -> usize {
    8
}

/// The *wie* dimensions a structural thread can use.
pub const WIE_DIMENSIONS: &[&str] = &[
    "doelgroep",
    "levensgebeurtenis",
    "aandrager_type",
    "regeling",
    "dienst",
];

fn default_wie() -> Vec<String> {
    ["doelgroep", "levensgebeurtenis", "aandrager_type"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn default_werkwijze_v() -> f64 {
    0.8
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProtectionSettings {
    pub min_cel: u64,
    pub min_noemer: u64,
    pub k_verhaal: usize,
    pub nul_onderdrukken: bool,
    pub persoonsgegevens: TextMode,
    /// Extra patterns for personal data (exports from elsewhere); checked when the
    /// configuration is read, compiled by [`crate::protect::pii::Patterns`].
    #[serde(default)]
    pub patronen: Vec<PatternSpec>,
}

/// One configured personal-data pattern (`[[bescherming.patronen]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatternSpec {
    /// Kind of personal data: one of [`PII_KIND_CODES`].
    pub soort: String,
    /// Regular expression (Rust `regex` syntax).
    pub patroon: String,
}

/// The codes of the kinds of personal data (`PiiKind::code` in `protect::pii`; a test
/// there keeps both lists equal).
pub const PII_KIND_CODES: &[&str] = &[
    "bsn",
    "iban",
    "telefoon",
    "email",
    "postcode",
    "geboortedatum",
    "kenteken",
    "naam",
    "overig",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportSettings {
    pub sjablonen: String,
    /// The organisation under the title; empty (the built-in default) is none.
    pub organisatie: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LedgerSettings {
    pub pad: String,
    pub ksm_kolommen: BTreeMap<String, String>,
}

/// Tables whose keys are the user's own (codes, column names, ids), not settings.
const OPEN_TABLES: &[&str] = &[
    "taxonomie",
    "aanbevelingen",
    "kolommen",
    "waarden",
    "meerwaardig",
    "vast",
    "datumformaat",
    "samengesteld",
    "bekende_samenhang",
    "ksm_kolommen",
    "patronen",
];

/// Refuses a key the defaults do not have, with the nearest known key as a suggestion.
fn unknown_keys(
    base: &toml::Table,
    user: &toml::Table,
    section: &str,
) -> std::result::Result<(), String> {
    for (k, v) in user {
        let Some(known) = base.get(k) else {
            let hint = crate::util::normalize::nearest(k, base.keys().map(String::as_str))
                .map(|n| format!("; bedoelt u \"{n}\"?"))
                .or_else(|| section.is_empty().then(|| nested_hint(base, k)).flatten())
                .unwrap_or_default();
            let place = if section.is_empty() {
                format!("onbekende sectie of sleutel \"{k}\"")
            } else {
                format!("onbekende sleutel \"{k}\" in [{section}]")
            };
            return Err(format!(
                "{place}{hint} Zie src/default-config.toml (of `rodedraad inrichten`) voor alle sleutels."
            ));
        };
        if OPEN_TABLES.contains(&k.as_str()) {
            continue;
        }
        if let (toml::Value::Table(b), toml::Value::Table(u)) = (known, v) {
            let sub = if section.is_empty() {
                k.clone()
            } else {
                format!("{section}.{k}")
            };
            unknown_keys(b, u, &sub)?;
        }
    }
    Ok(())
}

/// For an unknown top-level key: the nearest key inside a section (`min_cell` ->
/// `[bescherming] min_cel`), since a key at the top is usually a section header forgotten.
fn nested_hint(base: &toml::Table, key: &str) -> Option<String> {
    let keys: Vec<(String, String)> = base
        .iter()
        .filter_map(|(s, v)| v.as_table().map(|t| (s, t)))
        .flat_map(|(s, t)| t.keys().map(move |k| (s.clone(), k.clone())))
        .collect();
    let best = crate::util::normalize::nearest(key, keys.iter().map(|(_, k)| k.as_str()))?;
    let (section, k) = keys.iter().find(|(_, k)| *k == best)?;
    Some(format!(
        "; bedoelt u \"{k}\" in de sectie [{section}]? Zet de sleutel onder die sectiekop."
    ))
}

/// A type word of serde's messages in Dutch ("u64" -> "een geheel getal van 0 of meer").
fn dutch_type(t: &str) -> String {
    let t = t.trim();
    let quoted = |s: &str| s.trim_matches('`').to_string();
    if let Some(v) = t.strip_prefix("string ") {
        return format!("de tekst {v}");
    }
    if let Some(v) = t.strip_prefix("integer ") {
        return format!("het getal {}", quoted(v));
    }
    if let Some(v) = t.strip_prefix("floating point ") {
        return format!("het kommagetal {}", quoted(v));
    }
    if let Some(v) = t.strip_prefix("boolean ") {
        return format!("de waarde {}", quoted(v));
    }
    match t {
        "u8" | "u16" | "u32" | "u64" | "usize" => "een geheel getal van 0 of meer".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "een geheel getal".into(),
        "f32" | "f64" => "een getal (bijvoorbeeld 0.05)".into(),
        "a boolean" | "bool" => "true of false".into(),
        "a string" | "string" => "tekst tussen aanhalingstekens".into(),
        "a sequence" | "sequence" => "een lijst, zoals [\"a\", \"b\"]".into(),
        "a map" | "map" => "een tabel (een [sectie])".into(),
        "a character" | "char" => "één teken tussen aanhalingstekens".into(),
        _ if t.starts_with("struct ") => "een tabel (een [sectie])".into(),
        other => other.to_string(),
    }
}

/// serde's English message about a wrong value ("invalid type: string \"vijf\", expected
/// u64\nin `bescherming.min_cel`") as a Dutch explanation.
fn dutch_value_error(msg: &str) -> String {
    let mut lines = msg.trim().lines();
    let first = lines.next().unwrap_or("").trim();
    let place = lines
        .find_map(|l| {
            l.trim()
                .strip_prefix("in `")?
                .strip_suffix('`')
                .map(str::to_string)
        })
        .map(|p| match p.rsplit_once('.') {
            Some((section, key)) => format!("[{section}] {key}"),
            None => p,
        });
    let at = place.map(|p| format!("{p}: ")).unwrap_or_default();
    let split = |rest: &str| -> Option<(String, String)> {
        let (found, expected) = rest.split_once(", expected ")?;
        Some((dutch_type(found), dutch_type(expected)))
    };
    if let Some((found, expected)) = first.strip_prefix("invalid type: ").and_then(split) {
        return format!("{at}verkeerd soort waarde: {found}, maar verwacht wordt {expected}");
    }
    if let Some((found, expected)) = first.strip_prefix("invalid value: ").and_then(split) {
        return format!("{at}ongeldige waarde: {found}, maar verwacht wordt {expected}");
    }
    if let Some(f) = first.strip_prefix("missing field ") {
        return format!("{at}de sleutel {} ontbreekt", f.trim_matches('`'));
    }
    if let Some(v) = first.strip_prefix("unknown variant ") {
        let (value, choices) = v.split_once(", expected ").unwrap_or((v, ""));
        let choices = choices
            .trim_start_matches("one of ")
            .replace('`', "\"")
            .replace(" or ", ", ");
        return match choices.is_empty() {
            true => format!("{at}onbekende waarde {value}"),
            false => format!("{at}onbekende waarde {value}; kies uit {choices}"),
        };
    }
    format!("{at}ongeldige waarde; vergelijk met src/default-config.toml")
}

/// A TOML syntax error in Dutch: where (line, column, the line itself) and what.
fn dutch_syntax_error(src: &str, e: &toml::de::Error) -> String {
    let msg = e.message();
    let what = [
        ("duplicate key", "deze sleutel staat al eerder in dezelfde sectie"),
        ("unclosed table", "de sectiekop is niet gesloten: ] ontbreekt"),
        ("unclosed array table", "de sectiekop is niet gesloten: ]] ontbreekt"),
        ("unclosed array", "de lijst is niet gesloten: ] ontbreekt"),
        ("unclosed inline table", "de tabel is niet gesloten: } ontbreekt"),
        ("missing comma between array elements", "er ontbreekt een komma tussen de elementen van de lijst"),
        ("extra comma", "er staat een komma te veel"),
        ("key with no value", "na de sleutel ontbreekt = en een waarde"),
        ("missing value", "na = ontbreekt een waarde"),
        ("invalid string", "de tekst is ongeldig: zet hem tussen aanhalingstekens"),
        ("unquoted string", "tekst moet tussen aanhalingstekens staan"),
        ("invalid key", "de sleutel is ongeldig"),
        ("extra `=`", "er staat een = te veel"),
        ("invalid table", "de sectiekop is ongeldig"),
        ("redefin", "deze sectie of sleutel is al eerder gedefinieerd"),
        ("invalid escape", "ongeldige escape in een tekst (gebruik \\\\ voor een backslash, of enkele aanhalingstekens)"),
        ("invalid number", "ongeldig getal"),
    ]
    .iter()
    .find(|(en, _)| msg.contains(en))
    .map(|(_, nl)| nl.to_string())
    .unwrap_or_else(|| "de regel volgt de TOML-schrijfwijze niet (sleutel = waarde, tekst tussen aanhalingstekens, [sectie] als kop)".into());
    let Some(span) = e.span() else {
        return format!("ongeldige TOML: {what}");
    };
    let before = &src[..span.start.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let text = src.lines().nth(line - 1).unwrap_or("").trim();
    format!("ongeldige TOML op regel {line}, kolom {column} (\"{text}\"): {what}")
}

/// Whether `f` is a chrono date format that names a year, a month and a day, or
/// `"excel"` (serial day numbers).
fn is_date_format(f: &str) -> bool {
    if f == "excel" {
        return true;
    }
    use chrono::format::{Item, StrftimeItems};
    let items: Vec<Item> = StrftimeItems::new(f).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return false;
    }
    let probe = chrono::NaiveDate::from_ymd_opt(2031, 11, 27).unwrap();
    // A valid item that a date cannot fill (`%z`, a time zone) fails to format: found by
    // fuzzing, it made `to_string` panic.
    let mut text = String::new();
    if std::fmt::Write::write_fmt(&mut text, format_args!("{}", probe.format(f))).is_err() {
        return false;
    }
    chrono::NaiveDate::parse_from_str(&text, f).ok() == Some(probe)
        || chrono::NaiveDateTime::parse_from_str(&text, f).is_ok_and(|t| t.date() == probe)
}

impl Config {
    /// The embedded defaults.
    pub fn default_config() -> Config {
        Config::from_toml_str("").expect("embedded default configuration is valid")
    }

    /// Defaults with `src` laid over them.
    pub fn from_toml_str(src: &str) -> Result<Config> {
        Self::parse(src, None)
    }

    /// Defaults with the file at `path` laid over them.
    pub fn load(path: &Path) -> Result<Config> {
        let src = std::fs::read_to_string(path).map_err(|e| Error::Config {
            path: Some(path.to_path_buf()),
            message: format!(
                "kan het bestand niet lezen ({e}); geef een bestaand TOML-bestand op met --config"
            ),
        })?;
        let mut cfg = Self::parse(&src, Some(path))?;
        cfg.base_dir = path.parent().map(Path::to_path_buf);
        if !cfg.rapport.sjablonen.is_empty() && !cfg.resolve(&cfg.rapport.sjablonen).is_dir() {
            return Err(Error::Config {
                path: Some(path.to_path_buf()),
                message: format!(
                    "[rapport] sjablonen = \"{}\" is geen bestaande map ({}); kopieer de map templates/ daarheen of laat de sleutel weg voor de ingebouwde sjablonen",
                    cfg.rapport.sjablonen,
                    cfg.resolve(&cfg.rapport.sjablonen).display()
                ),
            });
        }
        Ok(cfg)
    }

    /// `load` when a path is given, otherwise the defaults.
    pub fn load_or_default(path: Option<&Path>) -> Result<Config> {
        match path {
            Some(p) => Self::load(p),
            None => Ok(Self::default_config()),
        }
    }

    fn parse(src: &str, path: Option<&Path>) -> Result<Config> {
        let err = |m: String| Error::Config {
            path: path.map(Path::to_path_buf),
            message: m,
        };
        let mut base: toml::Table = DEFAULT_TOML
            .parse()
            .map_err(|e| err(format!("standaardconfiguratie: {e}")))?;
        let user: toml::Table = src
            .parse()
            .map_err(|e: toml::de::Error| err(dutch_syntax_error(src, &e)))?;
        unknown_keys(&base, &user, "").map_err(err)?;
        merge(&mut base, user);
        let cfg: Config = toml::Value::Table(base)
            .try_into()
            .map_err(|e: toml::de::Error| err(dutch_value_error(&e.to_string())))?;
        cfg.check().map_err(err)?;
        Ok(cfg)
    }

    fn check(&self) -> std::result::Result<(), String> {
        self.check_taxonomy()?;
        let canon_cases: Vec<&str> = crate::model::CASE_COLUMNS.to_vec();
        let canon_signals: Vec<&str> = crate::model::SIGNAL_COLUMNS.to_vec();
        for (section, map, canon) in [
            ("casussen", &self.casussen, &canon_cases),
            ("signalen", &self.signalen, &canon_signals),
        ] {
            for (theirs, targets) in &map.kolommen {
                for ours in targets.names() {
                    if !canon.contains(&ours) {
                        return Err(format!(
                            "[{section}.kolommen] \"{theirs}\" wijst naar \"{ours}\", maar dat is geen canonieke kolom; kies uit: {}",
                            canon.join(", ")
                        ));
                    }
                }
                if targets.names().is_empty() {
                    return Err(format!(
                        "[{section}.kolommen] \"{theirs}\" wijst naar een lege lijst; noem minstens één canonieke kolom"
                    ));
                }
            }
            for (ours, theirs) in &map.samengesteld {
                if !canon.contains(&ours.as_str()) {
                    return Err(format!(
                        "[{section}.samengesteld] \"{ours}\" is geen canonieke kolom; kies uit: {}",
                        canon.join(", ")
                    ));
                }
                if theirs.len() < 2 {
                    return Err(format!(
                        "[{section}.samengesteld] {ours} noemt {} kop(pen); noem er minstens twee, bijvoorbeeld {ours} = [\"SUBJECT\", \"TYPE\"], of gebruik [{section}.kolommen]",
                        theirs.len()
                    ));
                }
            }
            for (ours, values) in &map.waarden {
                for pattern in values.keys().filter(|k| k.starts_with('^')) {
                    if let Err(e) = regex::Regex::new(pattern) {
                        return Err(format!(
                            "[{section}.waarden.{ours}] \"{pattern}\" begint met ^ en is dus een patroon, maar geen geldige reguliere expressie ({})",
                            e.to_string().lines().last().unwrap_or("").trim()
                        ));
                    }
                }
            }
        }
        if self.bescherming.min_cel == 0 {
            return Err("[bescherming] min_cel moet minstens 1 zijn".into());
        }
        for p in &self.bescherming.patronen {
            if !PII_KIND_CODES.contains(&p.soort.to_lowercase().as_str()) {
                return Err(format!(
                    "[bescherming] patronen: onbekende soort \"{}\"; kies uit: {}",
                    p.soort,
                    PII_KIND_CODES.join(", ")
                ));
            }
            if let Err(e) = regex::Regex::new(&p.patroon) {
                return Err(format!(
                    "[bescherming] patronen: \"{}\" is geen geldige reguliere expressie ({})",
                    p.patroon,
                    e.to_string().lines().last().unwrap_or("").trim()
                ));
            }
        }
        if self.bescherming.min_noemer == 0 {
            return Err("[bescherming] min_noemer moet minstens 1 zijn".into());
        }
        if self.invoer.scheidingsteken.is_empty() {
            return Err("[invoer] scheidingsteken is leeg; gebruik \"auto\" of het teken zelf, bijvoorbeeld \";\"".into());
        }
        let sep = self.invoer.scheidingsteken.as_str();
        let one_ascii = sep.len() == 1 && sep.is_ascii() && !matches!(sep, "\"" | "\n" | "\r");
        if !(one_ascii || matches!(sep, "auto" | "tab" | "\\t")) {
            return Err(format!(
                "[invoer] scheidingsteken = \"{}\" is geen bruikbaar scheidingsteken; gebruik \"auto\", \"tab\" of één teken zoals \";\" of \",\"",
                sep.escape_debug()
            ));
        }
        if self.invoer.datumformaten.is_empty() {
            return Err("[invoer] datumformaten is leeg; noem minstens één notatie, bijvoorbeeld \"%d-%m-%Y\"".into());
        }
        for f in &self.invoer.datumformaten {
            if !is_date_format(f) {
                return Err(format!(
                    "[invoer] datumformaten: \"{f}\" is geen datumnotatie; gebruik bijvoorbeeld \"%Y-%m-%d\" of \"%d-%m-%Y\" (jaar %Y, maand %m, dag %d) of \"excel\""
                ));
            }
        }
        self.check_date_columns()?;
        let d = &self.draden;
        for (key, v, lo_open, hi) in [
            ("fdr_q", d.fdr_q, true, 1.0),
            ("ears_alpha", d.ears_alpha, true, 0.5),
            ("tekst_min_gelijkenis", d.tekst_min_gelijkenis, true, 1.0),
            ("tekst_max_hoofdthema", d.tekst_max_hoofdthema, true, 1.0),
            ("tekst_max_aandeel", d.tekst_max_aandeel, true, 1.0),
            ("werkwijze_v", d.werkwijze_v, true, 1.0),
        ] {
            let ok = v.is_finite() && (if lo_open { v > 0.0 } else { v >= 0.0 }) && v <= hi;
            if !ok {
                return Err(format!(
                    "[draden] {key} = {v} valt buiten het bereik: het moet groter dan 0 en hoogstens {hi} zijn"
                ));
            }
        }
        if let Some(w) = d.wie.iter().find(|w| !WIE_DIMENSIONS.contains(&w.as_str())) {
            return Err(format!(
                "[draden] wie bevat \"{w}\"; mogelijk zijn: {}",
                WIE_DIMENSIONS.join(", ")
            ));
        }
        if d.min_casussen == 0 || d.min_aandragers == 0 {
            return Err("[draden] min_casussen en min_aandragers moeten minstens 1 zijn".into());
        }
        Ok(())
    }

    /// `[casussen.datumformaat]` and `[signalen.datumformaat]`: a date column and a date format each.
    /// The taxonomy holds the open code lists only; a fixed list of the input contract
    /// (`dienst`, `bron`, `uitkomst`, ...) has one definition, its enum in `model`.
    fn check_taxonomy(&self) -> std::result::Result<(), String> {
        for dimension in self.taxonomie.keys() {
            let fixed = crate::model::fixed_codes(dimension);
            if !fixed.is_empty() {
                return Err(format!(
                    "[taxonomie.{dimension}]: {dimension} is een vaste lijst van het invoercontract ({}) en staat niet in de taxonomie. Haal de sectie weg; vertaal andere waarden uit uw export met [casussen.waarden.{dimension}] of [signalen.waarden.{dimension}]",
                    fixed.join(", ")
                ));
            }
        }
        Ok(())
    }

    fn check_date_columns(&self) -> std::result::Result<(), String> {
        // Every date column, and only a date column, ends in "_op" (a test in ingest::spec keeps it so).
        for (section, map, all) in [
            ("casussen", &self.casussen, crate::model::CASE_COLUMNS),
            ("signalen", &self.signalen, crate::model::SIGNAL_COLUMNS),
        ] {
            let spec: Vec<&str> = all.iter().copied().filter(|c| c.ends_with("_op")).collect();
            for (column, f) in &map.datumformaat {
                if !spec.contains(&column.as_str()) {
                    return Err(format!(
                        "[{section}.datumformaat] \"{column}\" is geen datumkolom; kies uit: {}",
                        spec.join(", ")
                    ));
                }
                if !is_date_format(f) {
                    return Err(format!(
                        "[{section}.datumformaat] {column} = \"{f}\" is geen datumnotatie; gebruik bijvoorbeeld \"%d-%m-%Y\" (dag-maand-jaar), \"%m/%d/%Y\" (maand/dag/jaar) of \"excel\""
                    ));
                }
            }
        }
        Ok(())
    }

    /// Dutch label of a code in a taxonomy dimension or a fixed contract list;
    /// falls back to the code itself.
    pub fn label(&self, dimension: &str, code: &str) -> String {
        if let Some(l) = self.taxonomie.get(dimension).and_then(|m| m.get(code)) {
            return l.clone();
        }
        if let Some(l) = crate::labels::fixed_label(dimension, code) {
            return l.to_string();
        }
        code.to_string()
    }

    /// Resolves a path from the config relative to the config file's folder.
    pub fn resolve(&self, p: &str) -> PathBuf {
        let path = PathBuf::from(p);
        match (&self.base_dir, path.is_relative()) {
            (Some(b), true) => b.join(path),
            _ => path,
        }
    }
}

/// Deep merge: tables merge key by key, anything else is replaced.
fn merge(base: &mut toml::Table, user: toml::Table) {
    for (k, v) in user {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(u)) => merge(b, u),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_hold_the_taxonomy() {
        let c = Config::default_config();
        assert_eq!(c.taxonomie["aandrager_type"].len(), 14);
        assert_eq!(c.taxonomie["doelgroep"].len(), 14);
        assert_eq!(c.bescherming.min_cel, 5);
        assert_eq!(c.draden.min_casussen, 3);
        assert_eq!(c.casussen.meerwaardig["doelgroep"], "|");
    }

    #[test]
    fn closed_settings_are_enums_checked_when_read() {
        let c = Config::default_config();
        assert_eq!(c.draden.ears_methode, EarsMethod::C2);
        assert_eq!(c.bescherming.persoonsgegevens, TextMode::Omit);
        let c = Config::parse(
            "[draden]\nears_methode = \"c3\"\n[bescherming]\npersoonsgegevens = \"maskeren\"\n",
            None,
        )
        .unwrap();
        assert_eq!(
            c.draden.ears_methode,
            EarsMethod::C3,
            "lower case is accepted"
        );
        assert_eq!(c.bescherming.persoonsgegevens, TextMode::Mask);
        // an unknown value is an error that names the key and the choices (it used to
        // fall back to C2 silently)
        for (toml, key, choices) in [
            (
                "[draden]\nears_methode = \"C4\"\n",
                "ears_methode",
                "\"C1\"",
            ),
            (
                "[bescherming]\npersoonsgegevens = \"verbergen\"\n",
                "persoonsgegevens",
                "\"weglaten\"",
            ),
            (
                "[invoer]\ncodering = \"latin-1\"\n",
                "codering",
                "\"windows-1252\"",
            ),
        ] {
            let e = Config::parse(toml, None).unwrap_err().to_string();
            assert!(
                e.contains(key) && e.contains("onbekende waarde") && e.contains(choices),
                "{e}"
            );
        }
    }

    #[test]
    fn a_fixed_code_list_is_not_a_taxonomy() {
        let c = Config::default_config();
        assert!(!c.taxonomie.contains_key("dienst") && !c.taxonomie.contains_key("bron"));
        assert_eq!(c.label("dienst", "anders"), "Andere organisatie");
        assert_eq!(c.label("bron", "ksm"), "KSM");
        for dim in ["dienst", "bron", "uitkomst"] {
            let e = Config::parse(&format!("[taxonomie.{dim}]\nx = \"X\"\n"), None)
                .unwrap_err()
                .to_string();
            assert!(e.contains("vaste lijst") && e.contains(dim), "{e}");
        }
        // an open list may still be extended
        let c = Config::parse("[taxonomie.regeling]\nbpm = \"Bpm\"\n", None).unwrap();
        assert_eq!(c.label("regeling", "bpm"), "Bpm");
    }

    #[test]
    fn targets_and_organisation_come_only_from_an_explicit_config() {
        let c = Config::default_config();
        assert_eq!(
            (
                c.indicatoren.doel_belastingdienst,
                c.indicatoren.doel_dienst_toeslagen
            ),
            (0, 0),
            "the built-in default sets no yearly target"
        );
        assert_eq!(c.rapport.organisatie, "", "nor an organisation");
        // The sample's own configuration sets both (the demo report keeps them).
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/rodedraad.toml");
        let s = Config::load(&path).unwrap();
        assert_eq!(s.indicatoren.doel_belastingdienst, 20);
        assert_eq!(s.indicatoren.doel_dienst_toeslagen, 20);
        assert!(s.rapport.organisatie.starts_with("Belangenbehartiger"));
        // A foreign export's configuration that names only its organisation gets no targets.
        let f =
            Config::from_toml_str("[rapport]\norganisatie = \"City of Los Angeles\"\n").unwrap();
        assert_eq!(f.indicatoren.doel_belastingdienst, 0);
        assert_eq!(f.rapport.organisatie, "City of Los Angeles");
    }

    #[test]
    fn user_values_override_and_merge() {
        let c = Config::from_toml_str(
            "[casussen.kolommen]\n\"Nummer\" = \"casus_id\"\n[taxonomie.thema]\n\"x.y\" = \"Iets\"\n",
        )
        .unwrap();
        assert_eq!(c.casussen.kolommen["Nummer"].names(), ["casus_id"]);
        assert_eq!(c.label("thema", "x.y"), "Iets");
        assert_eq!(c.label("thema", "toeslagen"), "Toeslagen");
    }

    #[test]
    fn wrong_canonical_column_is_a_dutch_error() {
        let e =
            Config::from_toml_str("[casussen.kolommen]\n\"Nummer\" = \"casusid\"\n").unwrap_err();
        let m = e.to_string();
        assert!(m.contains("geen canonieke kolom"), "{m}");
        assert_eq!(e.exit_code(), 4);
    }

    #[test]
    fn mapping_forms_are_checked() {
        let c = Config::from_toml_str(
            "[casussen.kolommen]\n\"STATUS\" = [\"uitkomst\", \"samenvatting\"]\n[casussen.samengesteld]\nthema = [\"SUBJECT\", \"TYPE\"]\n[casussen.waarden.uitkomst]\n\"^Case Closed.*Resolved\" = \"opgelost\"\n",
        )
        .unwrap();
        assert_eq!(
            c.casussen.kolommen["STATUS"].names(),
            ["uitkomst", "samenvatting"]
        );
        for (bad, says) in [
            (
                "[casussen.kolommen]\n\"S\" = [\"uitkomst\", \"nee\"]\n",
                "geen canonieke kolom",
            ),
            (
                "[casussen.samengesteld]\nthema = [\"SUBJECT\"]\n",
                "minstens twee",
            ),
            (
                "[casussen.waarden.uitkomst]\n\"^(open\" = \"lopend\"\n",
                "geen geldige reguliere expressie",
            ),
            (
                "[casussen.datumformaat]\nthema = \"%d-%m-%Y\"\n",
                "geen datumkolom",
            ),
            (
                "[casussen.datumformaat]\nontvangen_op = \"%d\"\n",
                "geen datumnotatie",
            ),
        ] {
            let e = Config::from_toml_str(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn broken_toml_names_the_problem() {
        let e = Config::from_toml_str("[invoer\n").unwrap_err();
        let m = e.to_string();
        assert!(m.contains("ongeldige TOML op regel 1"), "{m}");
        assert!(m.contains("] ontbreekt"), "{m}");
        let e = Config::from_toml_str("[bescherming]\nmin_cel = 3\nmin_cel = 4\n").unwrap_err();
        assert!(e.to_string().contains("regel 3"), "{e}");
        assert!(e.to_string().contains("al eerder"), "{e}");
    }

    #[test]
    fn wrong_value_types_are_explained_in_dutch() {
        for (src, want) in [
            ("[bescherming]\nmin_cel = \"vijf\"\n", "[bescherming] min_cel: verkeerd soort waarde: de tekst \"vijf\", maar verwacht wordt een geheel getal van 0 of meer"),
            ("[bescherming]\nmin_cel = -3\n", "het getal -3"),
            ("[invoer]\ndatumformaten = \"%Y\"\n", "een lijst"),
            ("[draden]\nmin_casussen = 1.5\n", "het kommagetal 1.5"),
        ] {
            let m = Config::from_toml_str(src).unwrap_err().to_string();
            assert!(m.contains(want), "{src}: {m}");
            for english in ["invalid", "expected", "floating point", "string \""] {
                assert!(!m.contains(english), "{src}: {m}");
            }
        }
    }

    #[test]
    fn every_strict_check_gives_exit_4() {
        for (src, want) in [
            (
                "min_cell = 3\n",
                "bedoelt u \"min_cel\" in de sectie [bescherming]",
            ),
            ("[bescherming]\nmin_cell = 3\n", "bedoelt u \"min_cel\""),
            (
                "[invoer]\nscheidingstekn = \";\"\n",
                "bedoelt u \"scheidingsteken\"",
            ),
            ("[onbekend]\nx = 1\n", "onbekende sectie"),
            ("[invoer]\ndatumformaten = []\n", "datumformaten is leeg"),
            ("[invoer]\ndatumformaten = [\"%\"]\n", "geen datumnotatie"),
            (
                "[invoer]\nscheidingsteken = \"\"\n",
                "scheidingsteken is leeg",
            ),
            (
                "[invoer]\nscheidingsteken = \";;\"\n",
                "geen bruikbaar scheidingsteken",
            ),
            ("[draden]\nfdr_q = 2.0\n", "fdr_q"),
            ("[draden]\nears_alpha = 0\n", "ears_alpha"),
            ("[bescherming]\nmin_cel = 0\n", "min_cel"),
        ] {
            let e = Config::from_toml_str(src).unwrap_err();
            assert_eq!(e.exit_code(), 4, "{src}");
            assert!(e.to_string().contains(want), "{src}: {e}");
        }
    }
}
