//! Protect: no personal data and no re-identifiable small numbers in anything published.
//!
//! - [`pii`]: detectors for personal data in free Dutch text.
//! - [`suppress`]: primary and secondary cell suppression on linked tables.
//! - [`tables`]: published tables built under the disclosure policy.
//! - [`story`]: k-anonymity check for stories.
//! - [`audit`]: the independent check of a finished output folder.
//!
//! The policy in plain Dutch is `docs/openbaarmakingsbeleid.md`; [`policy_text`]
//! fills in the configured thresholds for the report's verantwoording.
//!
//! ```
//! use rodedraad::protect::{clean_text, TextMode};
//! let (out, kinds) = clean_text("Bel 06-12345678 voor info", TextMode::Omit);
//! assert!(out.is_none());
//! assert_eq!(kinds.len(), 1);
//! ```

pub mod audit;
pub mod pii;
pub mod publication;
pub mod story;
pub mod suppress;
pub mod tables;

use crate::config::Config;
use crate::model::{Case, Signal};
use pii::PiiKind;
use serde::Serialize;

/// What happens to a text with personal data; a setting, so it is defined in `config`.
pub use crate::config::TextMode;

/// One personal-data hit: where and what kind, never the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PiiLogEntry {
    pub bron: String,
    pub id: String,
    pub veld: String,
    pub soort: PiiKind,
    pub waarschuwing: bool,
}

/// Removes or masks personal data in free text: the built-in detectors plus the
/// patterns configured under `[bescherming] patronen`.
#[derive(Debug, Clone, Default)]
pub struct Scrubber {
    pub mode: TextMode,
    extra: pii::Patterns,
}

impl Scrubber {
    pub fn new(mode: TextMode, extra: pii::Patterns) -> Scrubber {
        Scrubber { mode, extra }
    }

    /// The scrubber the configuration asks for.
    pub fn from_config(cfg: &Config) -> crate::error::Result<Scrubber> {
        let extra = pii::Patterns::new(cfg.bescherming.patronen.clone()).map_err(|m| {
            crate::error::Error::Config {
                path: cfg.base_dir.clone(),
                message: m,
            }
        })?;
        Ok(Scrubber::new(cfg.bescherming.persoonsgegevens, extra))
    }

    /// The same detectors with another mode.
    pub fn with_mode(&self, mode: TextMode) -> Scrubber {
        Scrubber {
            mode,
            extra: self.extra.clone(),
        }
    }

    /// Cleans one text: `None` when withheld; the kinds found.
    pub fn clean(&self, text: &str) -> (Option<String>, Vec<PiiKind>) {
        let hits = pii::scan_with(text, &self.extra);
        if hits.is_empty() {
            return (Some(text.to_string()), Vec::new());
        }
        let kinds = hits.iter().map(|h| h.kind).collect();
        match self.mode {
            TextMode::Omit => (None, kinds),
            TextMode::Mask => (Some(pii::mask(text, &hits)), kinds),
        }
    }

    /// Cleans a text field in place (a `String` or a [`crate::model::Code`]).
    fn clean_field<T: std::ops::Deref<Target = str> + From<String>>(
        &self,
        field: &mut Option<T>,
        place: (&str, &str, &str),
        log: &mut Vec<PiiLogEntry>,
    ) {
        let Some(text) = field.as_deref() else { return };
        let (out, kinds) = self.clean(text);
        let (bron, id, veld) = place;
        for k in kinds {
            log.push(PiiLogEntry {
                bron: bron.into(),
                id: id.into(),
                veld: veld.into(),
                soort: k,
                waarschuwing: k.is_warning_only(),
            });
        }
        *field = out.map(T::from);
    }

    /// The configuration with its texts checked like data: every taxonomy label, the
    /// organisation and every recommendation goes through the same detectors as a case
    /// text. A label with a hit is masked (`persoonsgegevens = "maskeren"`) or replaced
    /// by its code (by "(niet getoond)" when the code has a hit too); a recommendation
    /// with a hit is masked or dropped. Returns the checked copy and the log (source
    /// `configuratie`, never the value).
    ///
    /// ```
    /// use rodedraad::config::Config;
    /// use rodedraad::protect::Scrubber;
    /// let mut cfg = Config::default_config();
    /// cfg.taxonomie.entry("aandrager_type".into()).or_default()
    ///     .insert("wijkteam".into(), "Wijkteam, bel 06-12345678".into());
    /// let (checked, log) = Scrubber::from_config(&cfg).unwrap().clean_config(&cfg);
    /// assert_eq!(checked.label("aandrager_type", "wijkteam"), "wijkteam");
    /// assert_eq!(log.len(), 1);
    /// ```
    pub fn clean_config(&self, cfg: &Config) -> (Config, Vec<PiiLogEntry>) {
        let mut out = cfg.clone();
        let mut log = Vec::new();
        for (dim, labels) in out.taxonomie.iter_mut() {
            for (code, label) in labels.iter_mut() {
                let mut field = Some(label.clone());
                let place = format!("taxonomie.{dim}");
                self.clean_field(&mut field, ("configuratie", &place, code), &mut log);
                *label = field.unwrap_or_else(|| {
                    if self.clean(code).1.is_empty() {
                        code.clone()
                    } else {
                        "(niet getoond)".into()
                    }
                });
            }
        }
        let mut org = Some(out.rapport.organisatie.clone());
        self.clean_field(
            &mut org,
            ("configuratie", "rapport", "organisatie"),
            &mut log,
        );
        out.rapport.organisatie = org.unwrap_or_default();
        out.aanbevelingen = std::mem::take(&mut out.aanbevelingen)
            .into_iter()
            .filter_map(|(key, text)| {
                let mut field = Some(text);
                self.clean_field(
                    &mut field,
                    ("configuratie", "aanbevelingen", &key),
                    &mut log,
                );
                field.map(|t| (key, t))
            })
            .collect();
        (out, log)
    }

    /// Removes or masks personal data in every free-text field; returns the log.
    pub fn scrub(&self, cases: &mut [Case], signals: &mut [Signal]) -> Vec<PiiLogEntry> {
        let mut log = Vec::new();
        let masker = self.with_mode(TextMode::Mask);
        for c in cases.iter_mut() {
            let id = c.casus_id.clone();
            self.clean_field(
                &mut c.samenvatting,
                ("casussen", &id, "samenvatting"),
                &mut log,
            );
            self.clean_field(
                &mut c.geleerde_les,
                ("casussen", &id, "geleerde_les"),
                &mut log,
            );
            self.clean_field(
                &mut c.doorverwezen_naar,
                ("casussen", &id, "doorverwezen_naar"),
                &mut log,
            );
        }
        for s in signals.iter_mut() {
            let id = s.signaal_id.clone();
            self.clean_field(
                &mut s.omschrijving,
                ("signalen", &id, "omschrijving"),
                &mut log,
            );
            self.clean_field(
                &mut s.terugkoppeling,
                ("signalen", &id, "terugkoppeling"),
                &mut log,
            );
            // An owner is a role, not content: a name in it is masked, never the field dropped.
            masker.clean_field(&mut s.eigenaar, ("signalen", &id, "eigenaar"), &mut log);
        }
        log
    }
}

/// Cleans one text with the built-in detectors only: `None` when withheld; the kinds found.
pub fn clean_text(text: &str, mode: TextMode) -> (Option<String>, Vec<PiiKind>) {
    Scrubber::new(mode, pii::Patterns::default()).clean(text)
}

/// The disclosure policy in plain Dutch with the configured thresholds filled in.
pub fn policy_text(cfg: &Config) -> String {
    let src = include_str!("../../docs/openbaarmakingsbeleid.md");
    // Without the document title; section headings become plain lines.
    src.lines()
        .skip_while(|l| l.starts_with("# ") || l.trim().is_empty())
        .map(|l| l.strip_prefix("## ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("{min_cel}", &cfg.bescherming.min_cel.to_string())
        .replace("{min_noemer}", &cfg.bescherming.min_noemer.to_string())
        .replace("{k}", &cfg.bescherming.k_verhaal.to_string())
}
