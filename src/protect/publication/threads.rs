//! The rode draden as published: their labels (only terms that k cases from at
//! least two helpers share), stories, recommendations and the overview table.
//!
//! ```text
//! thread_views(&an.threads, &cases, &signals, &p, inp, &mut log) -> (Vec<ThreadView>, PubTable)
//! ```

use super::{half_label, Inputs, ProtectLog, ThreadView};
use crate::analyse::threads::{self, Figure, Thread, ThreadKind};
use crate::config::Config;
use crate::model::{Case, Signal};
use crate::nl;
use crate::protect::pii;
use crate::protect::story::{self, QuasiId, StoryDecision, StoryText};
use crate::protect::tables::{Audience, Protector, PubCell, PubRow, PubTable};
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

pub(super) fn recommendation(d: &Thread, cfg: &Config) -> String {
    let key = d.kenmerken.get("thema").or(d.kenmerken.get("thema_hoofd"));
    let by_id = cfg.aanbevelingen.get(&d.id);
    let by_theme = key.and_then(|t| {
        cfg.aanbevelingen
            .get(t)
            .or_else(|| cfg.aanbevelingen.get(t.split('.').next().unwrap_or(t)))
    });
    by_id.or(by_theme).cloned().unwrap_or_else(|| "Nog geen aanbeveling vastgesteld; de onderzoeksafdeling legt die vast onder [aanbevelingen] in rodedraad.toml.".into())
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
            aanbeveling: recommendation(d, cfg),
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
