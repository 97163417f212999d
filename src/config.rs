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
    pub basismap: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputSettings {
    pub scheidingsteken: String,
    pub codering: String,
    pub datumformaten: Vec<String>,
    #[serde(default)]
    pub blad: String,
}

/// How one export maps onto the canonical model.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Mapping {
    /// Their header -> canonical column.
    #[serde(default)]
    pub kolommen: BTreeMap<String, String>,
    /// Canonical column -> their value -> canonical code. Key `"*"` catches every other value.
    #[serde(default)]
    pub waarden: BTreeMap<String, BTreeMap<String, String>>,
    /// Canonical column -> separator of multi-valued cells.
    #[serde(default)]
    pub meerwaardig: BTreeMap<String, String>,
    /// Canonical column -> fixed value for every row (for columns the export lacks).
    #[serde(default)]
    pub vast: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndicatorSettings {
    pub doel_belastingdienst: u32,
    pub doel_dienst_toeslagen: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThreadSettings {
    pub min_casussen: usize,
    pub min_aandragers: usize,
    pub max_kenmerken: usize,
    pub fdr_q: f64,
    pub min_ic025: f64,
    pub max_draden: usize,
    pub ears_methode: String,
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
    pub persoonsgegevens: String,
    /// Extra patterns for personal data (exports from elsewhere); checked when the
    /// configuration is read, compiled by [`crate::protect::pii::Patronen`].
    #[serde(default)]
    pub patronen: Vec<PatroonSpec>,
}

/// One configured personal-data pattern (`[[bescherming.patronen]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatroonSpec {
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
                .unwrap_or_default();
            let place = if section.is_empty() {
                format!("onbekende sectie of sleutel \"{k}\"")
            } else {
                format!("onbekende sleutel \"{k}\" in [{section}]")
            };
            return Err(format!(
                "{place}{hint} Zie src/default-config.toml (of `rodedraad init`) voor alle sleutels."
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

/// Whether `f` is a chrono date format that names a year, a month and a day.
fn is_date_format(f: &str) -> bool {
    use chrono::format::{Item, StrftimeItems};
    let items: Vec<Item> = StrftimeItems::new(f).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return false;
    }
    let probe = chrono::NaiveDate::from_ymd_opt(2031, 11, 27).unwrap();
    let text = probe.format(f).to_string();
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
        cfg.basismap = path.parent().map(Path::to_path_buf);
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
        let user: toml::Table = src.parse().map_err(|e: toml::de::Error| {
            err(format!("ongeldige TOML: {}", e.to_string().trim()))
        })?;
        unknown_keys(&base, &user, "").map_err(err)?;
        merge(&mut base, user);
        let cfg: Config = toml::Value::Table(base)
            .try_into()
            .map_err(|e: toml::de::Error| {
                err(format!("onverwachte waarde: {}", e.to_string().trim()))
            })?;
        cfg.check().map_err(err)?;
        Ok(cfg)
    }

    fn check(&self) -> std::result::Result<(), String> {
        let canon_cases: Vec<&str> = crate::model::CASE_COLUMNS.to_vec();
        let canon_signals: Vec<&str> = crate::model::SIGNAL_COLUMNS.to_vec();
        for (section, map, canon) in [
            ("casussen", &self.casussen, &canon_cases),
            ("signalen", &self.signalen, &canon_signals),
        ] {
            for (theirs, ours) in &map.kolommen {
                if !canon.contains(&ours.as_str()) {
                    return Err(format!(
                        "[{section}.kolommen] \"{theirs}\" wijst naar \"{ours}\", maar dat is geen canonieke kolom; kies uit: {}",
                        canon.join(", ")
                    ));
                }
            }
        }
        if !matches!(
            self.invoer.codering.as_str(),
            "auto" | "utf-8" | "windows-1252"
        ) {
            return Err(format!(
                "[invoer] codering = \"{}\" is onbekend; gebruik \"auto\", \"utf-8\" of \"windows-1252\"",
                self.invoer.codering
            ));
        }
        if !matches!(
            self.bescherming.persoonsgegevens.as_str(),
            "weglaten" | "maskeren"
        ) {
            return Err(
                "[bescherming] persoonsgegevens moet \"weglaten\" of \"maskeren\" zijn".into(),
            );
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
        if self.invoer.datumformaten.is_empty() {
            return Err("[invoer] datumformaten is leeg; noem minstens één notatie, bijvoorbeeld \"%d-%m-%Y\"".into());
        }
        for f in &self.invoer.datumformaten {
            if !is_date_format(f) {
                return Err(format!(
                    "[invoer] datumformaten: \"{f}\" is geen datumnotatie; gebruik bijvoorbeeld \"%Y-%m-%d\" of \"%d-%m-%Y\" (jaar %Y, maand %m, dag %d)"
                ));
            }
        }
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
        match (&self.basismap, path.is_relative()) {
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
    fn user_values_override_and_merge() {
        let c = Config::from_toml_str(
            "[casussen.kolommen]\n\"Nummer\" = \"casus_id\"\n[taxonomie.thema]\n\"x.y\" = \"Iets\"\n",
        )
        .unwrap();
        assert_eq!(c.casussen.kolommen["Nummer"], "casus_id");
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
    fn broken_toml_names_the_problem() {
        let e = Config::from_toml_str("[invoer\n").unwrap_err();
        assert!(e.to_string().contains("ongeldige TOML"));
    }
}
