//! The rode draden as published: their labels (only terms that k cases from at
//! least two helpers share), stories, recommendations and the overview table.
//!
//! ```text
//! thread_views(&an.threads, &cases, &signals, &p, inp, &mut log) -> (Vec<ThreadView>, PubTable)
//! ```

use super::{half_label, Inputs, ProtectLog, ThreadView};
use crate::analyse::period::Period;
use crate::analyse::threads::{self, Figure, Thread, ThreadKind};
use crate::config::Config;
use crate::model::{Case, Signal};
use crate::nl;
use crate::protect::pii;
use crate::protect::story::{self, QuasiId, StoryDecision, StoryText};
use crate::protect::suppress::{self, CellStatus, Equation, LinkedTable};
use crate::protect::tables::{Audience, CellKind, Protector, PubCell, PubRow, PubTable};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn quasi(c: &Case) -> QuasiId {
    let mut dg = c.doelgroep.clone();
    dg.sort();
    QuasiId {
        doelgroep: dg,
        levensgebeurtenis: c.levensgebeurtenis.clone(),
        regeling: c.regeling.clone(),
        aandrager_type: c.aandrager_type.clone(),
        dienst: c.dienst.map(|d| d.as_str().to_string()),
        periode: half_label(c.ontvangen_op),
    }
}

/// A thread's label as published. Labels are built from configured labels and, for text
/// threads, from words of the summaries: for the public, a word that could be a name or
/// personal data is left out, and a label from the configuration with personal data in it
/// is not shown.
pub(super) fn released_label(
    d: &Thread,
    by_id: &BTreeMap<&str, &Case>,
    audience: Audience,
    k_verhaal: usize,
) -> String {
    if audience == Audience::Internal {
        return d.label.clone();
    }
    if d.soort == ThreadKind::Text {
        let terms: Vec<&str> = d
            .statistiek
            .tekst_termen
            .iter()
            .map(String::as_str)
            .filter(|t| pii::is_publishable_term(t))
            .filter(|t| term_supported(t, &d.casus_ids, by_id, k_verhaal))
            .collect();
        return if terms.is_empty() {
            "Samenvattingen over een gedeeld onderwerp".into()
        } else {
            format!("Samenvattingen over: {}", terms.join(", "))
        };
    }
    released_text(&d.label, audience)
}

/// Whether a term from free text may label a public thread: it occurs in the summaries
/// of at least `k` of the thread's cases, brought in by at least two different helpers
/// (when the export names helpers). A word from one person's story is not a theme.
pub(super) fn term_supported(
    term: &str,
    casus_ids: &[String],
    by_id: &BTreeMap<&str, &Case>,
    k: usize,
) -> bool {
    let words: Vec<String> = term.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return false;
    }
    let mut cases = 0;
    let mut helpers = BTreeSet::new();
    let mut named = false;
    for id in casus_ids {
        let Some(c) = by_id.get(id.as_str()) else {
            continue;
        };
        let Some(text) = c.samenvatting.as_deref() else {
            continue;
        };
        let tokens: Vec<String> = text
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase)
            .collect();
        let found = tokens.windows(words.len()).any(|w| {
            w.iter()
                .zip(&words)
                .all(|(t, word)| t.starts_with(word.as_str()))
        });
        if found {
            cases += 1;
            if let Some(h) = &c.aandrager_id {
                named = true;
                helpers.insert(h.clone());
            }
        }
    }
    cases >= k.max(1) && (!named || helpers.len() >= 2)
}

/// Generated text with configured labels in it, as published: a text in which the
/// detectors find personal data is not shown.
pub(super) fn released_text(text: &str, audience: Audience) -> String {
    if audience == Audience::Internal || pii::scan(text).is_empty() {
        text.to_string()
    } else {
        "(niet getoond: de tekst bevat mogelijk persoonsgegevens; controleer de labels in rodedraad.toml)".into()
    }
}

/// The recommendation of a thread and whether it is set in `[aanbevelingen]` (by thread
/// id, theme or main theme). Without one, a proposal of the advocate's usual kind is
/// given, marked as such by the caller.
pub(super) fn recommendation(d: &Thread, cfg: &Config) -> (String, bool) {
    let key = d.kenmerken.get("thema").or(d.kenmerken.get("thema_hoofd"));
    let by_id = cfg.aanbevelingen.get(&d.id);
    let by_theme = key.and_then(|t| {
        cfg.aanbevelingen
            .get(t)
            .or_else(|| cfg.aanbevelingen.get(t.split('.').next().unwrap_or(t)))
    });
    match by_id.or(by_theme) {
        Some(text) => (text.clone(), true),
        None => {
            let service = d
                .kenmerken
                .get("dienst")
                .map(|x| cfg.label("dienst", x))
                .unwrap_or_else(|| "de betrokken dienst".into());
            (
                format!("{service}: zoek uit waarom dit probleem steeds terugkomt. Neem maatregelen die het voorkomen."),
                false,
            )
        }
    }
}

/// "Sinds maart 2025; stijgend." from the first case and the trend.
fn since(d: &Thread) -> String {
    match d.eerst_gezien {
        Some(first) => format!(
            "Sinds {} {}; {}.",
            nl::MONTHS[first.month0() as usize],
            first.year(),
            d.trend.dutch()
        ),
        None => format!("Trend: {}.", d.trend.dutch()),
    }
}

/// What was signalled to whom and what came of it, in words without counts:
/// "Gesignaleerd aan Dienst Toeslagen en IBTD. Stand: in behandeling en opgepakt."
fn signalled(d: &Thread, signals: &[Signal]) -> String {
    let own: Vec<&Signal> = signals
        .iter()
        .filter(|s| d.signaal_ids.contains(&s.signaal_id))
        .collect();
    if own.is_empty() {
        return "Nog niet als signaal doorgezet.".into();
    }
    let to: BTreeSet<&str> = own
        .iter()
        .filter_map(|s| s.doorgezet_naar.map(|r| r.label()))
        .collect();
    let states: BTreeSet<String> = own
        .iter()
        .filter_map(|s| s.status.map(|x| x.label().to_lowercase()))
        .collect();
    let to: Vec<&str> = to.into_iter().collect();
    let states: Vec<String> = states.into_iter().collect();
    let mut out = if to.is_empty() {
        "Gemeld, nog niet doorgezet.".to_string()
    } else {
        format!("Doorgezet naar {}.", nl::list(&to))
    };
    if !states.is_empty() {
        out.push_str(&format!(" Stand: {}.", nl::list(&states)));
    }
    out
}

/// The quarter of a date as a chart category: "2026-Q1".
fn quarter_index(d: NaiveDate) -> i32 {
    d.year() * 4 + d.month0() as i32 / 3
}

/// A thread's cases per quarter of receipt, protected: the quarters (every quarter from
/// the first to the last case, empty ones included) with a total row, linked to the
/// counts the thread's text already gives (all cases, in the period, before it). A
/// quarter that is small, or would let a reader work out a small count, is hidden; if
/// the quarters would narrow any small count more than the text alone does, every
/// quarter is hidden (fail closed). `None` when the thread's cases are not all found.
pub(super) fn trend_table(
    d: &Thread,
    label: &str,
    by_id: &BTreeMap<&str, &Case>,
    period: &Period,
    p: &Protector,
) -> Option<PubTable> {
    let dates: Vec<NaiveDate> = d
        .casus_ids
        .iter()
        .filter_map(|id| by_id.get(id.as_str()).map(|c| c.ontvangen_op))
        .collect();
    if dates.len() != d.n_casussen || dates.is_empty() {
        return None;
    }
    let first = dates.iter().map(|x| quarter_index(*x)).min()?;
    let last = dates.iter().map(|x| quarter_index(*x)).max()?;
    let quarters: Vec<i32> = (first..=last).collect();
    let k = quarters.len();
    let mut values: Vec<u64> = quarters
        .iter()
        .map(|q| dates.iter().filter(|x| quarter_index(**x) == *q).count() as u64)
        .collect();
    let q_start =
        |q: i32| NaiveDate::from_ymd_opt(q.div_euclid(4), (q.rem_euclid(4) * 3 + 1) as u32, 1);
    let in_period: Vec<usize> = (0..k)
        .filter(|&i| q_start(quarters[i]).is_some_and(|s| period.contains(s)))
        .collect();
    let before: Vec<usize> = (0..k)
        .filter(|&i| q_start(quarters[i]).is_some_and(|s| s < period.start))
        .collect();
    let now = in_period.iter().map(|&i| values[i]).sum::<u64>();
    let earlier = before.iter().map(|&i| values[i]).sum::<u64>();
    // The text's split must be the quarters' split, or the links below would be false.
    if now != d.statistiek.in_periode || earlier != d.statistiek.eerder {
        return None;
    }
    values.extend([dates.len() as u64, now, earlier]);
    let (total, now_i, earlier_i) = (k, k + 1, k + 2);
    let table = LinkedTable {
        values: values.clone(),
        equations: vec![
            Equation {
                total,
                parts: (0..k).collect(),
            },
            Equation {
                total: now_i,
                parts: in_period,
            },
            Equation {
                total: earlier_i,
                parts: before,
            },
        ],
    };
    let text_hidden = |v: u64| p.count(v).onderdrukt;
    let status = p.statuses_with_hidden(&table, &vec![false; values.len()]);
    let mut hidden: Vec<bool> = (0..values.len())
        .map(|i| {
            if i < k {
                status[i] != CellStatus::Shown
            } else {
                text_hidden(values[i])
            }
        })
        .collect();
    if p.is_public() && !adds_nothing(&table, &hidden, k, p) {
        hidden[..k].iter_mut().for_each(|h| *h = true);
    }
    let mut rijen: Vec<PubRow> = (0..k)
        .map(|i| PubRow {
            kop: format!(
                "{}-Q{}",
                quarters[i].div_euclid(4),
                quarters[i].rem_euclid(4) + 1
            ),
            cellen: vec![if hidden[i] {
                PubCell::hidden(CellKind::Count)
            } else {
                PubCell::count(values[i])
            }],
            totaal: false,
            deel_van: None,
        })
        .collect();
    rijen.push(PubRow {
        kop: "Totaal".into(),
        cellen: vec![p.count(values[total])],
        totaal: true,
        deel_van: None,
    });
    Some(p.with_note(PubTable {
        id: format!("draad-{}-kwartalen", d.id),
        titel: format!("Casussen per kwartaal: {label}"),
        kolommen: vec!["Kwartaal".into(), "Casussen".into()],
        rijen,
        voetnoten: vec!["Per kwartaal van ontvangst, van de eerste tot de laatste casus van deze rode draad.".into()],
        totaal_kolom: false,
    }))
}

/// Whether publishing the quarters (as `hidden` says) narrows no small count of the
/// linked table more than the thread's text alone (quarters all hidden) does.
fn adds_nothing(table: &LinkedTable, hidden: &[bool], k: usize, p: &Protector) -> bool {
    let with = suppress::attack(table, hidden);
    let mut text_only = hidden.to_vec();
    text_only[..k].iter_mut().for_each(|h| *h = true);
    let without = suppress::attack(table, &text_only);
    let width = p.policy().required_width();
    (0..table.values.len()).all(|c| {
        if !hidden[c] {
            // A shown quarter must not be small (the statuses see to that).
            return c >= k || !p.is_small(table.values[c]);
        }
        if !p.is_small(table.values[c]) {
            return true;
        }
        match (with[c], without[c]) {
            (Some(w), _) if suppress::is_protected(w, width) => true,
            (Some(w), Some(wo)) => (w.0 - wo.0).abs() < 1e-6 && (w.1 - wo.1).abs() < 1e-6,
            _ => false,
        }
    })
}

pub(super) fn thread_views(
    draden: &[Thread],
    cases: &[Case],
    signals: &[Signal],
    p: &Protector,
    inp: &Inputs,
    log: &mut ProtectLog,
) -> (Vec<ThreadView>, PubTable) {
    let cfg = inp.cfg;
    let public = p.audience == Audience::Parliament;
    let population: Vec<QuasiId> = cases.iter().map(quasi).collect();
    let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), c)).collect();
    let signal_ids: BTreeSet<&str> = signals.iter().map(|s| s.signaal_id.as_str()).collect();
    let mut views = Vec::new();
    for d in draden
        .iter()
        .filter(|d| !public || d.n_casussen as u64 >= p.min_cel)
        .take(if public { 8 } else { 25 })
    {
        // A story: a released case of this thread that passes the k-anonymity check.
        let mut verhaal = None;
        for id in &d.casus_ids {
            let Some(c) = by_id.get(id.as_str()) else {
                continue;
            };
            if c.verhaal_vrijgegeven != Some(true) || c.samenvatting.is_none() {
                continue;
            }
            let q = quasi(c);
            let decision = story::check_story(&q, &population, cfg.bescherming.k_verhaal);
            let text = c.samenvatting.as_deref().unwrap_or_default();
            // A generalised story loses the sentences about what it leaves out; a story whose
            // text that does not change is withheld.
            match story::story_text(text, &q, &decision, &cfg.taxonomie) {
                StoryText::Publish { tekst } => {
                    log.verhalen.push(match &decision {
                        StoryDecision::Generalised { weggelaten } => format!(
                            "{}: verhaal van {} verteld zonder {} (zinnen daarover weggelaten)",
                            d.id,
                            c.casus_id,
                            weggelaten.join(", ")
                        ),
                        _ => format!("{}: verhaal van {} vrijgegeven", d.id, c.casus_id),
                    });
                    verhaal = Some(tekst);
                }
                StoryText::Withhold { reden } => {
                    log.verhalen.push(format!(
                        "{}: verhaal van {} weggelaten: {reden}",
                        d.id, c.casus_id
                    ));
                    continue;
                }
            }
            break;
        }
        let soort = match d.soort {
            ThreadKind::Structural => "patroon in de kenmerken",
            ThreadKind::Trend => "stijging in de tijd",
            ThreadKind::Text => "zelfde verhaal in de samenvattingen",
        };
        let n = p.count(d.n_casussen as u64);
        let (mut aanbeveling, aanbeveling_vastgesteld) = recommendation(d, cfg);
        // The same recommendation under a second thread refers to the first.
        if let Some(first) = views
            .iter()
            .find(|v: &&ThreadView| v.aanbeveling == aanbeveling)
        {
            aanbeveling = format!("Dezelfde als bij \u{201c}{}\u{201d}.", first.label);
        }
        let sig: Vec<&String> = d
            .signaal_ids
            .iter()
            .filter(|s| signal_ids.contains(s.as_str()))
            .collect();
        views.push(ThreadView {
            id: d.id.clone(),
            soort: soort.into(),
            label: released_label(d, &by_id, p.audience, cfg.bescherming.k_verhaal),
            uitleg: released_text(
                &threads::explain(d, cfg, &|f| match f {
                    Figure::Count(v) => p.count(v).tekst,
                    Figure::Mean { sum, .. } if p.is_small(sum.round() as u64) => ".".into(),
                    Figure::Mean { mean, .. } => nl::dec(mean, 1),
                }),
                p.audience,
            ),
            omvang: format!("{} casussen", n.tekst),
            aandragers: format!("{} aandragers", p.count(d.n_aandragers as u64).tekst),
            trend: d.trend.dutch().into(),
            periode: match (d.eerst_gezien, d.last_seen()) {
                (Some(a), Some(b)) => format!("{} tot en met {}", nl::date(a), nl::date(b)),
                _ => String::new(),
            },
            verhaal,
            aanbeveling,
            aanbeveling_vastgesteld,
            sinds: since(d),
            gesignaleerd: signalled(d, signals),
            grafiek: None,
            tabel: None,
            signalen: if sig.is_empty() {
                "geen".into()
            } else {
                let n = sig.len() as u64;
                if public && p.is_small(n) {
                    format!("minder dan {} signalen raken dit patroon", p.min_cel)
                } else {
                    format!(
                        "{} dit patroon",
                        nl::count(n, "signaal raakt", "signalen raken")
                    )
                }
            },
            casus_ids: if public {
                Vec::new()
            } else {
                d.casus_ids.clone()
            },
        });
    }
    let rijen = views
        .iter()
        .zip(
            draden
                .iter()
                .filter(|d| !public || d.n_casussen as u64 >= p.min_cel),
        )
        .map(|(v, d)| PubRow {
            kop: v.label.clone(),
            cellen: vec![
                p.count(d.n_casussen as u64),
                PubCell::text(v.aandragers.clone()),
                PubCell::text(v.trend.clone()),
                PubCell::text(v.soort.clone()),
            ],
            totaal: false,
            deel_van: None,
        })
        .collect();
    let table = p.with_note(PubTable {
        id: "rode-draden".into(),
        titel: "Rode draden, sterkste eerst".into(),
        kolommen: vec!["Rode draad".into(), "Casussen".into(), "Aandragers".into(), "Trend".into(), "Gevonden als".into()],
        rijen,
        voetnoten: vec![format!(
            "Rode draden met minder dan {} casussen staan alleen in de interne analyse. Trend: aantal in deze periode tegen de vorige.",
            p.min_cel
        )],
        totaal_kolom: false,
    });
    (views, table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, helper: Option<&str>, text: &str) -> Case {
        Case {
            casus_id: id.into(),
            aandrager_id: helper.map(str::to_string),
            samenvatting: Some(text.into()),
            ..Case::default()
        }
    }

    #[test]
    fn a_term_needs_k_cases_from_two_helpers() {
        let cases: Vec<Case> = (0..6)
            .map(|i| {
                let helper = if i < 5 { "H1" } else { "H2" };
                let text = if i < 5 {
                    format!("Familie Pietersma wacht op de machtiging van de helper ({i})")
                } else {
                    "De machtiging van de helper werd niet geaccepteerd".to_string()
                };
                case(&format!("C{i}"), Some(helper), &text)
            })
            .collect();
        let ids: Vec<String> = cases.iter().map(|c| c.casus_id.clone()).collect();
        let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), c)).collect();
        // in all six cases, from two helpers
        assert!(term_supported("machtiging", &ids, &by_id, 5));
        assert!(term_supported("machtiging van de helper", &ids, &by_id, 5));
        // five cases, but all from one helper: one person's story
        assert!(!term_supported("pietersma", &ids, &by_id, 5));
        // in one case only
        assert!(!term_supported("geaccepteerd", &ids, &by_id, 5));
        // k is the threshold
        assert!(!term_supported("machtiging", &ids, &by_id, 7));
    }

    #[test]
    fn without_helper_ids_the_case_count_decides() {
        let cases: Vec<Case> = (0..5)
            .map(|i| {
                case(
                    &format!("C{i}"),
                    None,
                    "Voorschot huurtoeslag teruggevorderd",
                )
            })
            .collect();
        let ids: Vec<String> = cases.iter().map(|c| c.casus_id.clone()).collect();
        let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), c)).collect();
        assert!(term_supported("voorschot", &ids, &by_id, 5));
        assert!(!term_supported("voorschot", &ids[..4], &by_id, 5));
    }
}
