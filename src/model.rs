//! Domain types shared by every stage of the pipeline.
//!
//! The canonical model of the input contract (`docs/domein.md`, invoercontract): one [`Case`] per
//! casus and one [`Signal`] per signaal, after column and value mapping and
//! validation. Codes from the taxonomy are open (the users edit the taxonomy in
//! `rodedraad.toml`) and, like the helper ids, stored as interned [`Code`]s: one copy per
//! distinct value, read as a `&str`. The summary of a case is a [`Text`]: it shares the text
//! buffer of the data frame it was read from instead of copying it, and reads as a `&str`
//! too. The closed code lists fixed by the contract are enums ([`Outcome`],
//! [`TriageDecision`], ...) with `as_str()` for the code and `label()` for people.
//!
//! ```
//! use rodedraad::model::{Case, CASE_COLUMNS};
//! assert_eq!(CASE_COLUMNS[0], "casus_id");
//! let c = Case { thema: "toeslagen.terugvordering".into(), ..Case::default() };
//! assert!(c.afgerond_op.is_none());
//! assert_eq!(c.main_theme(), "toeslagen");
//! assert_eq!(c.thema, "toeslagen.terugvordering");
//! ```

/// The traits through which a string-holding model type ([`Code`], [`Text`]) stands where a
/// `String` stood: it reads as a `&str`, and orders, hashes, prints, serialises and compares
/// with the string types (both ways round) exactly as the string it holds. Each type brings
/// its own `as_str`, its own `PartialEq` with itself and `Eq`, and its own constructors.
macro_rules! str_like {
    ($t:ty) => {
        impl std::ops::Deref for $t {
            type Target = str;
            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        /// Lets a map or set keyed by this type be searched with a `&str`.
        impl std::borrow::Borrow<str> for $t {
            fn borrow(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &$t) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $t {
            fn cmp(&self, other: &$t) -> std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        /// Hashes as the text does (required by `Borrow<str>`).
        impl std::hash::Hash for $t {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(self.as_str(), f)
            }
        }

        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        str_like!(@eq $t: str, &str, String);
    };
    (@eq $t:ty: $($other:ty),+) => {$(
        impl PartialEq<$other> for $t {
            fn eq(&self, other: &$other) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<$t> for $other {
            fn eq(&self, other: &$t) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )+};
}

mod code;
mod text;

pub use code::{Code, CodeCache};
pub use text::Text;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Canonical case columns, in contract order.
pub const CASE_COLUMNS: &[&str] = &[
    "casus_id",
    "ontvangen_op",
    "aandrager_type",
    "aandrager_id",
    "dienst",
    "thema",
    "regeling",
    "doelgroep",
    "levensgebeurtenis",
    "complexiteit",
    "spoed",
    "triage_op",
    "triage_besluit",
    "warm_doorverwezen",
    "doorverwezen_naar",
    "zienswijze_op",
    "zienswijze_reactie",
    "geescaleerd",
    "geescaleerd_op",
    "escalatie_niveau",
    "pauzeknop",
    "uitkomst",
    "afgerond_op",
    "beleving_burger",
    "beleving_eerstelijnshelper",
    "beleving_helper_dienst",
    "geleerde_les",
    "samenvatting",
    "verhaal_vrijgegeven",
];

/// Canonical signal columns, in contract order.
pub const SIGNAL_COLUMNS: &[&str] = &[
    "signaal_id",
    "gemeld_op",
    "bron",
    "thema",
    "regeling",
    "doelgroep",
    "omschrijving",
    "casus_ids",
    "status",
    "doorgezet_naar",
    "doorgezet_op",
    "eigenaar",
    "reactie_verwacht_op",
    "terugkoppeling",
    "terugkoppeling_op",
];

/// Declares a closed code list of the input contract as an enum with its
/// canonical code (`as_str`), its Dutch label and parsing from the code.
macro_rules! code_list {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal : $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// Every value, in contract order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every canonical code, in contract order.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The canonical code as it appears in exports and files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Dutch label for people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The value of a canonical code.
            pub fn parse(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

code_list!(
    /// The service a case is about (`dienst`).
    Service {
        Belastingdienst = "belastingdienst": "Belastingdienst",
        DienstToeslagen = "dienst_toeslagen": "Dienst Toeslagen",
        Both = "beide": "Belastingdienst en Dienst Toeslagen",
        Customs = "douane": "Douane",
        Other = "anders": "Andere organisatie",
    }
);

code_list!(
    /// The triage decision (`triage_besluit`).
    TriageDecision {
        Handle = "behandelen": "Behandelen",
        Refer = "doorverwijzen": "Doorverwijzen",
        Decline = "niet_behandelen": "Niet behandelen",
    }
);

code_list!(
    /// The service's response to the advocate's advice (`zienswijze_reactie`).
    AdviceResponse {
        Adopted = "overgenomen": "Overgenomen",
        PartlyAdopted = "deels_overgenomen": "Deels overgenomen",
        NotAdopted = "niet_overgenomen": "Niet overgenomen",
        NoResponse = "geen_reactie": "Geen reactie",
    }
);

code_list!(
    /// The highest level a case was escalated to (`escalatie_niveau`).
    EscalationLevel {
        TeamLead = "teamleider": "Teamleider",
        Director = "directeur": "Directeur",
        DirectorGeneral = "directeur_generaal": "Directeur-generaal",
    }
);

code_list!(
    /// How a case ended (`uitkomst`).
    Outcome {
        Resolved = "opgelost": "Opgelost",
        PartlyResolved = "deels_opgelost": "Deels opgelost",
        NotResolved = "niet_opgelost": "Niet opgelost",
        Withdrawn = "ingetrokken": "Ingetrokken",
        Ongoing = "lopend": "Lopend",
    }
);

code_list!(
    /// Where a signal came from (`bron`).
    SignalSource {
        OwnCases = "eigen_casuistiek": "Eigen casuïstiek",
        Ksm = "ksm": "KSM",
        Ibtd = "ibtd": "IBTD",
        SocialPartner = "maatschappelijke_partner": "Maatschappelijke partner",
        Belastingdienst = "belastingdienst": "Belastingdienst",
        DienstToeslagen = "dienst_toeslagen": "Dienst Toeslagen",
        Ombudsman = "nationale_ombudsman": "Nationale ombudsman",
    }
);

code_list!(
    /// Where a signal stands (`status`).
    SignalStatus {
        New = "nieuw": "Nieuw",
        InAnalysis = "in_analyse": "In analyse",
        PassedOn = "doorgezet": "Doorgezet",
        InProgress = "in_behandeling": "In behandeling",
        TakenUp = "opgepakt": "Opgepakt",
        NotTakenUp = "niet_opgepakt": "Niet opgepakt",
        Closed = "afgerond": "Afgerond",
    }
);

code_list!(
    /// Who a signal is passed on to (`doorgezet_naar`).
    Recipient {
        Ibtd = "ibtd": "IBTD",
        Ksm = "ksm": "KSM",
        Belastingdienst = "belastingdienst": "Belastingdienst",
        DienstToeslagen = "dienst_toeslagen": "Dienst Toeslagen",
        Ministry = "ministerie": "Ministerie van Financiën",
        Legislator = "wetgever": "Wetgever",
    }
);

/// One validated case. Multi-valued `doelgroep` is split on `|`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub casus_id: String,
    pub ontvangen_op: NaiveDate,
    pub aandrager_type: Code,
    pub aandrager_id: Option<Code>,
    pub dienst: Option<Service>,
    /// Two-level theme code, e.g. `toeslagen.terugvordering`.
    pub thema: Code,
    pub regeling: Option<Code>,
    pub doelgroep: Vec<Code>,
    pub levensgebeurtenis: Option<Code>,
    pub complexiteit: Option<u8>,
    pub spoed: Option<bool>,
    pub triage_op: Option<NaiveDate>,
    pub triage_besluit: Option<TriageDecision>,
    pub warm_doorverwezen: Option<bool>,
    pub doorverwezen_naar: Option<String>,
    pub zienswijze_op: Option<NaiveDate>,
    pub zienswijze_reactie: Option<AdviceResponse>,
    pub geescaleerd: Option<bool>,
    /// Date of the (first) escalation; optional in the contract (`geescaleerd_op`).
    pub geescaleerd_op: Option<NaiveDate>,
    pub escalatie_niveau: Option<EscalationLevel>,
    pub pauzeknop: Option<bool>,
    pub uitkomst: Option<Outcome>,
    pub afgerond_op: Option<NaiveDate>,
    pub beleving_burger: Option<u8>,
    pub beleving_eerstelijnshelper: Option<u8>,
    pub beleving_helper_dienst: Option<u8>,
    pub geleerde_les: Option<String>,
    /// The summary, shared with the frame it was read from ([`Text`]).
    pub samenvatting: Option<Text>,
    pub verhaal_vrijgegeven: Option<bool>,
}

impl Case {
    /// Level-1 theme: the part of `thema` before the first dot.
    pub fn main_theme(&self) -> &str {
        self.thema.split('.').next().unwrap_or(&self.thema)
    }
}

/// One validated signal. Multi-valued `doelgroep` and `casus_ids` are split on `|`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub signaal_id: String,
    pub gemeld_op: NaiveDate,
    pub bron: Option<SignalSource>,
    pub thema: Option<Code>,
    pub regeling: Option<Code>,
    pub doelgroep: Vec<Code>,
    pub omschrijving: Option<String>,
    pub casus_ids: Vec<String>,
    pub status: Option<SignalStatus>,
    pub doorgezet_naar: Option<Recipient>,
    pub doorgezet_op: Option<NaiveDate>,
    pub eigenaar: Option<String>,
    pub reactie_verwacht_op: Option<NaiveDate>,
    pub terugkoppeling: Option<String>,
    pub terugkoppeling_op: Option<NaiveDate>,
}

/// The codes of a fixed list of the input contract; empty for any other dimension.
pub fn fixed_codes(dimension: &str) -> &'static [&'static str] {
    match dimension {
        "triage_besluit" => TriageDecision::CODES,
        "zienswijze_reactie" => AdviceResponse::CODES,
        "escalatie_niveau" => EscalationLevel::CODES,
        "uitkomst" => Outcome::CODES,
        "status" => SignalStatus::CODES,
        "doorgezet_naar" => Recipient::CODES,
        "dienst" => Service::CODES,
        "bron" => SignalSource::CODES,
        _ => &[],
    }
}
