//! The lifecycle of a signal: which status follows which.

/// Closed statuses: the signal was dealt with.
pub(super) const CLOSED_STATUSES: &[&str] = &["opgepakt", "niet_opgepakt", "afgerond"];

pub(super) fn is_closed(status: Option<&str>) -> bool {
    status.is_some_and(|s| CLOSED_STATUSES.contains(&s))
}

/// Position in the lifecycle; opgepakt and niet_opgepakt share a level.
pub(super) fn status_level(status: &str) -> Option<u8> {
    match status {
        "nieuw" => Some(0),
        "in_analyse" => Some(1),
        "doorgezet" => Some(2),
        "in_behandeling" => Some(3),
        "opgepakt" | "niet_opgepakt" => Some(4),
        "afgerond" => Some(5),
        _ => None,
    }
}

/// Statuses that are a regular next step from `van` (no status counts as `nieuw`).
pub(super) fn next_statuses(van: Option<&str>) -> Vec<&'static str> {
    crate::model::SignalStatus::CODES
        .iter()
        .copied()
        .filter(|n| is_regular_step(van, n))
        .collect()
}

/// A regular step goes exactly one level forward. A signal without status
/// counts as `nieuw`, and may also be set to `nieuw` itself.
pub(super) fn is_regular_step(van: Option<&str>, naar: &str) -> bool {
    let Some(to) = status_level(naar) else {
        return false;
    };
    match van {
        None => to <= 1,
        Some(v) => match status_level(v) {
            Some(from) => to == from + 1,
            None => false,
        },
    }
}
