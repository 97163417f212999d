//! Earlier signals in the report: the list (internal), the table per recipient and
//! status (protected counts) and what came of them (dated feedback, scrubbed).
//!
//! ```text
//! signal_table(ledger, period.start, &p) -> "Eerdere signalen per ontvanger en status"
//! ```

use super::{ProtectLog, SignalView};
use crate::model::{Recipient, SignalSource, SignalStatus};
use crate::nl;
use crate::protect::tables::{Protector, PubTable};
use crate::protect::{PiiLogEntry, Scrubber, TextMode};
use crate::register::LedgerSignal;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// At most this many earlier signals are listed in a report.
pub(super) const MAX_SIGNALS: usize = 25;

/// Shortens text at a word boundary.
pub(super) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

pub(super) fn signal_views(
    ledger: Option<&[LedgerSignal]>,
    start: NaiveDate,
    reference_date: NaiveDate,
    p: &Protector,
    scrubber: &Scrubber,
    log: &mut ProtectLog,
) -> (Vec<SignalView>, String) {
    let Some(ledger) = ledger else {
        return (
            Vec::new(),
            "nog geen gegevens: er is nog geen register van signalen".into(),
        );
    };
    let mut out = Vec::new();
    // Earlier signals: passed on before the period, the advocate's own (from its cases or rode draden) first.
    let mut earlier: Vec<&LedgerSignal> = ledger
        .iter()
        .filter(|l| {
            l.signal.doorgezet_naar.is_some()
                && l.signal.doorgezet_op.unwrap_or(l.signal.gemeld_op) < start
        })
        .collect();
    let own = |l: &LedgerSignal| {
        l.herkomst.starts_with("draad:") || l.signal.bron == Some(SignalSource::OwnCases)
    };
    earlier.sort_by_key(|l| (!own(l), l.signal.gemeld_op, l.signal.signaal_id.clone()));
    let total = earlier.len();
    // The public report accounts for signals in counts (see `signal_table`); the list
    // of signals one by one, with their texts, is a work list for staff.
    let listed = if p.is_public() { 0 } else { MAX_SIGNALS };
    for l in earlier.into_iter().take(listed) {
        let s = &l.signal;
        let clean = |t: &Option<String>, veld: &str, log: &mut ProtectLog| -> Option<String> {
            let (out, kinds) = scrubber.clean(t.as_deref()?);
            for k in kinds {
                log.persoonsgegevens.push(PiiLogEntry {
                    bron: "register".into(),
                    id: s.signaal_id.clone(),
                    veld: veld.into(),
                    soort: k,
                    waarschuwing: k.is_warning_only(),
                });
            }
            out
        };
        let onderwerp = clean(&s.omschrijving, "omschrijving", log)
            .unwrap_or_else(|| "(omschrijving weggelaten)".into());
        let reactie = match (
            clean(&s.terugkoppeling, "terugkoppeling", log),
            s.terugkoppeling_op,
        ) {
            (Some(t), Some(d)) => format!("{} ({})", t, nl::date(d)),
            (Some(t), None) => t,
            (None, _) => "nog geen terugkoppeling".into(),
        };
        let (eig, _) = scrubber
            .with_mode(TextMode::Mask)
            .clean(s.eigenaar.as_deref().unwrap_or("nog niet toegewezen"));
        out.push(SignalView {
            id: s.signaal_id.clone(),
            onderwerp: shorten(&onderwerp, 200),
            ontvanger: s
                .doorgezet_naar
                .map(|x| x.as_str())
                .map(|d| {
                    crate::labels::fixed_label("doorgezet_naar", d)
                        .unwrap_or(d)
                        .to_string()
                })
                .unwrap_or_default(),
            eigenaar: eig.unwrap_or_default(),
            status: s
                .status
                .map(|x| x.as_str())
                .map(|x| {
                    crate::labels::fixed_label("status", x)
                        .unwrap_or(x)
                        .to_string()
                })
                .unwrap_or_default(),
            leeftijd: nl::days((reference_date - s.gemeld_op).num_days()),
            reactie: shorten(&reactie, 240),
        });
    }
    let status = if total == 0 {
        "nog geen gegevens: het register bevat nog geen signalen die vóór deze periode zijn doorgezet".to_string()
    } else if p.is_public() {
        format!(
            "vóór deze periode zijn {} signalen doorgezet; de tabel hieronder laat per ontvanger zien hoe ver ze zijn",
            nl::int(total as i64)
        )
    } else {
        format!(
            "{} van de {} signalen die vóór deze periode zijn doorgezet, eigen signalen eerst (de volledige lijst staat in de export voor de IBTD)",
            nl::int(out.len() as i64),
            nl::int(total as i64)
        )
    };
    (out, status)
}

/// Signals passed on before `start`: the earlier signals the report accounts for.
pub(super) fn earlier_signals(ledger: &[LedgerSignal], start: NaiveDate) -> Vec<&LedgerSignal> {
    ledger
        .iter()
        .filter(|l| {
            l.signal.doorgezet_naar.is_some()
                && l.signal.doorgezet_op.unwrap_or(l.signal.gemeld_op) < start
        })
        .collect()
}

/// Earlier signals per recipient (rows) and status (columns), protected as a 2D table.
pub(super) fn signal_table(
    ledger: Option<&[LedgerSignal]>,
    start: NaiveDate,
    p: &Protector,
) -> PubTable {
    let earlier = ledger
        .map(|l| earlier_signals(l, start))
        .unwrap_or_default();
    let statuses: Vec<SignalStatus> = SignalStatus::ALL
        .iter()
        .copied()
        .filter(|st| earlier.iter().any(|l| l.signal.status == Some(*st)))
        .collect();
    let recipients: Vec<Recipient> = Recipient::ALL
        .iter()
        .copied()
        .filter(|r| earlier.iter().any(|l| l.signal.doorgezet_naar == Some(*r)))
        .collect();
    let cells: Vec<Vec<u64>> = recipients
        .iter()
        .map(|r| {
            statuses
                .iter()
                .map(|st| {
                    earlier
                        .iter()
                        .filter(|l| {
                            l.signal.doorgezet_naar == Some(*r) && l.signal.status == Some(*st)
                        })
                        .count() as u64
                })
                .collect()
        })
        .collect();
    let rows: Vec<String> = recipients.iter().map(|r| r.label().to_string()).collect();
    let cols: Vec<String> = statuses.iter().map(|s| s.label().to_string()).collect();
    if rows.is_empty() || cols.is_empty() {
        return PubTable {
            id: "signalen-status".into(),
            titel: "Eerder doorgezette signalen per ontvanger en status".into(),
            kolommen: vec!["Ontvanger".into(), "Aantal".into()],
            rijen: Vec::new(),
            voetnoten: vec!["Er zijn nog geen signalen vóór deze periode doorgezet.".into()],
            totaal_kolom: false,
        };
    }
    let mut t = p.counts_2d(
        "signalen-status",
        "Eerder doorgezette signalen per ontvanger en status",
        &rows,
        &cols,
        &cells,
        "Ontvanger",
    );
    t.voetnoten.insert(
        0,
        "Signalen die vóór het begin van de periode zijn doorgezet, met hun status op de peildatum."
            .into(),
    );
    t
}

/// What came of earlier signals: each distinct feedback text (scrubbed) once, with the
/// recipient and the date of the latest feedback, newest first. Texts that lose
/// personal data are left out rather than masked.
pub(super) fn signal_changes(
    ledger: Option<&[LedgerSignal]>,
    start: NaiveDate,
    reference_date: NaiveDate,
    scrubber: &Scrubber,
    log: &mut ProtectLog,
) -> Vec<String> {
    let Some(ledger) = ledger else {
        return Vec::new();
    };
    let mut latest: BTreeMap<(String, String), NaiveDate> = BTreeMap::new();
    for l in earlier_signals(ledger, start) {
        let s = &l.signal;
        let (Some(text), Some(date), Some(to)) = (
            s.terugkoppeling.as_deref(),
            s.terugkoppeling_op,
            s.doorgezet_naar,
        ) else {
            continue;
        };
        if date > reference_date {
            continue;
        }
        let (clean, kinds) = scrubber.with_mode(TextMode::Omit).clean(text);
        for k in &kinds {
            log.persoonsgegevens.push(PiiLogEntry {
                bron: "register".into(),
                id: s.signaal_id.clone(),
                veld: "terugkoppeling".into(),
                soort: *k,
                waarschuwing: k.is_warning_only(),
            });
        }
        let Some(clean) = clean else { continue };
        let key = (to.label().to_string(), shorten(clean.trim(), 240));
        let e = latest.entry(key).or_insert(date);
        *e = (*e).max(date);
    }
    let mut items: Vec<((String, String), NaiveDate)> = latest.into_iter().collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    items
        .into_iter()
        .take(12)
        .map(|((to, text), date)| format!("{to}, {}: {text}", nl::date(date)))
        .collect()
}
