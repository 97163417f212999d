//! `docs/invoer.md` lists the closed code lists of the input contract; this keeps every table
//! equal to the enums in `src/model.rs` (codes, order and Dutch labels).

use rodedraad::model::{
    AdviceResponse, EscalationLevel, Outcome, Recipient, Service, SignalSource, SignalStatus,
    TriageDecision,
};

/// The (code, label) rows of the table under "### `name`" in the document.
fn table(doc: &str, name: &str) -> Vec<(String, String)> {
    let heading = format!("### `{name}`");
    let start = doc
        .find(&heading)
        .unwrap_or_else(|| panic!("docs/invoer.md has no section {heading}"));
    doc[start + heading.len()..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            (cells[0].trim_matches('`').to_string(), cells[1].to_string())
        })
        .collect()
}

fn rows<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|&v| (code(v).to_string(), label(v).to_string()))
        .collect()
}

#[test]
fn closed_code_lists_in_the_docs_equal_the_enums() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/invoer.md")).unwrap();
    let lists = [
        (
            "dienst",
            rows(Service::ALL, Service::as_str, Service::label),
        ),
        (
            "triage_besluit",
            rows(
                TriageDecision::ALL,
                TriageDecision::as_str,
                TriageDecision::label,
            ),
        ),
        (
            "zienswijze_reactie",
            rows(
                AdviceResponse::ALL,
                AdviceResponse::as_str,
                AdviceResponse::label,
            ),
        ),
        (
            "escalatie_niveau",
            rows(
                EscalationLevel::ALL,
                EscalationLevel::as_str,
                EscalationLevel::label,
            ),
        ),
        (
            "uitkomst",
            rows(Outcome::ALL, Outcome::as_str, Outcome::label),
        ),
        (
            "bron",
            rows(SignalSource::ALL, SignalSource::as_str, SignalSource::label),
        ),
        (
            "status",
            rows(SignalStatus::ALL, SignalStatus::as_str, SignalStatus::label),
        ),
        (
            "doorgezet_naar",
            rows(Recipient::ALL, Recipient::as_str, Recipient::label),
        ),
    ];
    for (name, expected) in lists {
        assert_eq!(table(&doc, name), expected, "docs/invoer.md, list {name}");
    }
    // Every list in the document is one of these (no stale list left behind).
    let documented = doc.matches("\n### `").count();
    assert_eq!(
        documented, 8,
        "docs/invoer.md lists {documented} closed code lists"
    );
}
