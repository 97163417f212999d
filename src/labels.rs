//! Dutch labels for the fixed codes of the input contract (triage decision,
//! response, outcome, ...), looked up by column name. The codes and labels
//! themselves are the enums of [`crate::model`]; taxonomy labels live in the
//! configuration.
//!
//! ```
//! assert_eq!(rodedraad::labels::fixed_label("uitkomst", "deels_opgelost"), Some("Deels opgelost"));
//! ```

use crate::model::{
    AdviceResponse, EscalationLevel, Outcome, Recipient, Service, SignalSource, SignalStatus,
    TriageDecision,
};

/// Label of a fixed contract code, if the dimension is one of the fixed lists.
pub fn fixed_label(dimension: &str, code: &str) -> Option<&'static str> {
    match dimension {
        "triage_besluit" => TriageDecision::parse(code).map(TriageDecision::label),
        "zienswijze_reactie" => AdviceResponse::parse(code).map(AdviceResponse::label),
        "escalatie_niveau" => EscalationLevel::parse(code).map(EscalationLevel::label),
        "uitkomst" => Outcome::parse(code).map(Outcome::label),
        "status" => SignalStatus::parse(code).map(SignalStatus::label),
        "doorgezet_naar" => Recipient::parse(code).map(Recipient::label),
        "dienst" => Service::parse(code).map(Service::label),
        "bron" => SignalSource::parse(code).map(SignalSource::label),
        "complexiteit" => match code {
            "1" => Some("1: één organisatie"),
            "2" => Some("2: meerdere, onafhankelijk"),
            "3" => Some("3: meerdere, afhankelijk"),
            _ => None,
        },
        _ => None,
    }
}
