//! Dutch labels for the fixed codes of the input contract (triage decision,
//! response, outcome, ...). Taxonomy labels live in the configuration.
//!
//! ```
//! assert_eq!(rodedraad::labels::fixed_label("uitkomst", "deels_opgelost"), Some("Deels opgelost"));
//! ```

/// Label of a fixed contract code, if the dimension is one of the fixed lists.
pub fn fixed_label(dimension: &str, code: &str) -> Option<&'static str> {
    let l = match (dimension, code) {
        ("triage_besluit", "behandelen") => "Behandelen",
        ("triage_besluit", "doorverwijzen") => "Doorverwijzen",
        ("triage_besluit", "niet_behandelen") => "Niet behandelen",
        ("zienswijze_reactie", "overgenomen") => "Overgenomen",
        ("zienswijze_reactie", "deels_overgenomen") => "Deels overgenomen",
        ("zienswijze_reactie", "niet_overgenomen") => "Niet overgenomen",
        ("zienswijze_reactie", "geen_reactie") => "Geen reactie",
        ("escalatie_niveau", "teamleider") => "Teamleider",
        ("escalatie_niveau", "directeur") => "Directeur",
        ("escalatie_niveau", "directeur_generaal") => "Directeur-generaal",
        ("uitkomst", "opgelost") => "Opgelost",
        ("uitkomst", "deels_opgelost") => "Deels opgelost",
        ("uitkomst", "niet_opgelost") => "Niet opgelost",
        ("uitkomst", "ingetrokken") => "Ingetrokken",
        ("uitkomst", "lopend") => "Lopend",
        ("status", "nieuw") => "Nieuw",
        ("status", "in_analyse") => "In analyse",
        ("status", "doorgezet") => "Doorgezet",
        ("status", "in_behandeling") => "In behandeling",
        ("status", "opgepakt") => "Opgepakt",
        ("status", "niet_opgepakt") => "Niet opgepakt",
        ("status", "afgerond") => "Afgerond",
        ("doorgezet_naar", "ibtd") => "IBTD",
        ("doorgezet_naar", "ksm") => "KSM",
        ("doorgezet_naar", "belastingdienst") => "Belastingdienst",
        ("doorgezet_naar", "dienst_toeslagen") => "Dienst Toeslagen",
        ("doorgezet_naar", "ministerie") => "Ministerie van Financiën",
        ("doorgezet_naar", "wetgever") => "Wetgever",
        ("complexiteit", "1") => "1: één organisatie",
        ("complexiteit", "2") => "2: meerdere, onafhankelijk",
        ("complexiteit", "3") => "3: meerdere, afhankelijk",
        _ => return None,
    };
    Some(l)
}
