//! Page one "in één oogopslag": the headline figures with an arrow against the previous
//! period, the strongest rode draden in one line each and the state of earlier signals in
//! one sentence. Everything here is taken from released cells ([`Headline`], the thread
//! views, the signal table): this module never sees a raw count.
//!
//! ```text
//! 98 casussen ontvangen   ↑ (was 43 in het tweede halfjaar 2025)
//! Kinderopvangtoeslag: alleenstaande ouders, na scheiding: 7 casussen, stijgend
//! Van de eerder doorgezette signalen: 12 beantwoord, 5 in behandeling.
//! ```

use super::{Headline, ThreadView};
use crate::nl;
use crate::protect::tables::{PubCell, PubTable};
use serde::Serialize;

/// At most this many rode draden on page one.
const TOP_THREADS: usize = 3;

/// Page one of the report.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Glance {
    pub cijfers: Vec<GlanceFigure>,
    pub draden: Vec<String>,
    pub signalen: String,
}

/// A headline figure on page one.
#[derive(Debug, Clone, Serialize)]
pub struct GlanceFigure {
    pub naam: String,
    pub waarde: String,
    /// "↑", "↓" or "→"; empty without a released previous value.
    pub pijl: String,
    /// The comparison in words ("hoger dan in het tweede halfjaar 2025: 43"); empty
    /// without a released previous value.
    pub vergelijking: String,
}

/// The figures of page one: (headline id, name after a value, name on its own). The
/// second name stands in for the value when the value is not released ("Aandeel met een
/// oplossing: niet getoond"), so a hidden figure never reads as "niet getoond met een
/// oplossing".
const FIGURES: &[(&str, &str, &str)] = &[
    (
        "ontvangen_aantal",
        "casussen ontvangen",
        "Ontvangen casussen",
    ),
    ("afgerond_aantal", "casussen afgerond", "Afgeronde casussen"),
    (
        "oplossing_pct",
        "met een oplossing",
        "Aandeel met een oplossing",
    ),
    ("geescaleerd_pct", "geëscaleerd", "Aandeel geëscaleerd"),
    (
        "doorlooptijd_mediaan_dagen",
        "mediane doorlooptijd",
        "Mediane doorlooptijd",
    ),
];

/// Why a figure is missing, in words a reader of page one understands.
pub(super) const HIDDEN_REASON: &str =
    "niet getoond: te klein aantal of terug te rekenen uit andere cijfers";

/// Builds page one. `previous` names the previous period ("tweede halfjaar 2025").
pub(super) fn glance(
    head: &Headline,
    previous: &str,
    draden: &[ThreadView],
    signals: &PubTable,
    signals_status: &str,
) -> Glance {
    Glance {
        cijfers: FIGURES
            .iter()
            .filter(|(id, _, _)| head.has(id, false))
            .map(|&(id, naam, alone)| figure(head, id, naam, alone, previous))
            .collect(),
        draden: draden.iter().take(TOP_THREADS).map(thread_line).collect(),
        signalen: signal_sentence(signals, signals_status),
    }
}

fn figure(head: &Headline, id: &str, naam: &str, alone: &str, previous: &str) -> GlanceFigure {
    let now = head.value(id, false);
    if now.onderdrukt || super::is_missing(&now) {
        return GlanceFigure {
            naam: String::new(),
            waarde: alone.into(),
            pijl: String::new(),
            vergelijking: if now.onderdrukt {
                HIDDEN_REASON.into()
            } else if super::median_not_yet(head, id) {
                super::MEDIAN_NOT_YET.into()
            } else {
                super::NOT_KNOWN.into()
            },
        };
    }
    let waarde = now.tekst.clone();
    let before = head.has(id, true).then(|| head.value(id, true));
    let (pijl, vergelijking) = match before.as_ref().and_then(|b| compare(&now, b)) {
        Some((arrow, word)) => (
            arrow.to_string(),
            format!(
                "{word} in het {previous}: {}",
                before.map(|b| b.tekst).unwrap_or_default()
            ),
        ),
        None => (String::new(), String::new()),
    };
    GlanceFigure {
        naam: naam.into(),
        waarde,
        pijl,
        vergelijking,
    }
}

/// The arrow and the word between two released cells; `None` when either is hidden or
/// has no value.
pub(super) fn compare(now: &PubCell, before: &PubCell) -> Option<(&'static str, &'static str)> {
    if now.onderdrukt || before.onderdrukt {
        return None;
    }
    let (a, b) = (now.waarde?, before.waarde?);
    Some(if (a - b).abs() < 1e-9 {
        ("→", "even hoog als")
    } else if a > b {
        ("↑", "hoger dan")
    } else {
        ("↓", "lager dan")
    })
}

/// "Label: 7 casussen, stijgend."
fn thread_line(d: &ThreadView) -> String {
    format!("{}: {}, {}.", d.label, d.omvang, d.trend)
}

/// The state of earlier signals from the total row of the released signal table:
/// "Van de 17 signalen die we eerder doorzetten, zijn er 12 beantwoord en enkele open."
/// A hidden cell reads "enkele"; the status `doorgezet` (passed on, no answer yet) reads
/// "nog zonder reactie". Without a table the status sentence is used.
fn signal_sentence(t: &PubTable, status: &str) -> String {
    let Some(total) = t.rijen.iter().find(|r| r.totaal) else {
        return nl::capitalise(status) + ".";
    };
    let columns = t.kolommen.iter().skip(1).zip(&total.cellen);
    let parts: Vec<String> = columns
        .clone()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("totaal"))
        .filter(|(_, c)| c.onderdrukt || c.waarde.is_some_and(|v| v > 0.0))
        .map(|(k, c)| {
            let n = if c.onderdrukt {
                "enkele".to_string()
            } else {
                c.tekst.clone()
            };
            if k.eq_ignore_ascii_case("doorgezet") {
                format!("{n} nog zonder reactie")
            } else {
                format!("{n} {}", k.to_lowercase())
            }
        })
        .collect();
    if parts.is_empty() {
        return nl::capitalise(status) + ".";
    }
    let sum = columns
        .filter(|(k, c)| k.eq_ignore_ascii_case("totaal") && !c.onderdrukt)
        .find_map(|(_, c)| c.waarde.map(|_| c.tekst.clone()));
    match sum {
        Some(n) => format!(
            "Van de {n} signalen die we eerder doorzetten, zijn er {}.",
            nl::list(&parts)
        ),
        None => format!(
            "Van de signalen die we eerder doorzetten, zijn er {}.",
            nl::list(&parts)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::tables::{CellKind, PubRow};

    fn cell(v: Option<f64>, hidden: bool) -> PubCell {
        PubCell {
            tekst: if hidden {
                ".".into()
            } else {
                v.map(|x| x.to_string()).unwrap_or_default()
            },
            soort: CellKind::Count,
            waarde: if hidden { None } else { v },
            noemer: None,
            onderdrukt: hidden,
        }
    }

    /// Page one's median line for a median over `den` cases with `value` days.
    fn median_line(value: Option<f64>, den: u64) -> GlanceFigure {
        let head = crate::protect::publication::tests::median_headline(value, den);
        let signals = PubTable {
            id: "signalen-status".into(),
            titel: String::new(),
            kolommen: vec![],
            rijen: vec![],
            voetnoten: vec![],
            totaal_kolom: false,
        };
        let page = glance(&head, "", &[], &signals, "");
        page.cijfers
            .into_iter()
            .next()
            .expect("the median is on page one")
    }

    #[test]
    fn an_empty_median_over_cases_says_fewer_than_half_are_finished() {
        let line = median_line(None, 40);
        assert_eq!(line.waarde, "Mediane doorlooptijd");
        assert_eq!(
            line.vergelijking,
            crate::protect::publication::MEDIAN_NOT_YET
        );
        // No cases at all: the median is just not known, and nothing more is claimed.
        let none = median_line(None, 0);
        assert_eq!(none.vergelijking, crate::protect::publication::NOT_KNOWN);
        // A median that exists is printed as a value.
        let shown = median_line(Some(45.0), 40);
        assert_eq!(shown.naam, "mediane doorlooptijd");
        assert!(shown.waarde.starts_with("45"), "{}", shown.waarde);
    }

    #[test]
    fn arrows_only_between_released_values() {
        assert_eq!(
            compare(&cell(Some(9.0), false), &cell(Some(5.0), false)),
            Some(("↑", "hoger dan"))
        );
        assert_eq!(
            compare(&cell(Some(5.0), false), &cell(Some(9.0), false)),
            Some(("↓", "lager dan"))
        );
        assert_eq!(
            compare(&cell(Some(5.0), false), &cell(Some(5.0), false)).map(|c| c.0),
            Some("→")
        );
        // a hidden previous value gives no arrow: the arrow would tell its size
        assert_eq!(compare(&cell(Some(9.0), false), &cell(None, true)), None);
        assert_eq!(compare(&cell(None, true), &cell(Some(9.0), false)), None);
    }

    #[test]
    fn the_signal_sentence_reads_the_released_total_row() {
        let t = PubTable {
            id: "signalen-status".into(),
            titel: String::new(),
            kolommen: vec![
                "Ontvanger".into(),
                "Beantwoord".into(),
                "Open".into(),
                "Afgewezen".into(),
                "Totaal".into(),
            ],
            rijen: vec![PubRow {
                kop: "Totaal".into(),
                cellen: vec![
                    cell(Some(12.0), false),
                    cell(None, true),
                    cell(Some(0.0), false),
                    cell(Some(15.0), false),
                ],
                totaal: true,
                deel_van: None,
            }],
            voetnoten: Vec::new(),
            totaal_kolom: true,
        };
        assert_eq!(
            signal_sentence(&t, "x"),
            "Van de 15 signalen die we eerder doorzetten, zijn er 12 beantwoord en enkele open."
        );
        // The status "doorgezet" says that no answer has come yet; a hidden total is left out.
        let mut t2 = t.clone();
        t2.kolommen[1] = "Doorgezet".into();
        t2.rijen[0].cellen[3] = cell(None, true);
        assert_eq!(
            signal_sentence(&t2, "x"),
            "Van de signalen die we eerder doorzetten, zijn er 12 nog zonder reactie en enkele open."
        );
        let empty = PubTable {
            rijen: Vec::new(),
            ..t
        };
        assert_eq!(
            signal_sentence(&empty, "nog geen gegevens"),
            "Nog geen gegevens."
        );
    }
}
