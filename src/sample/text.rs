//! The free texts (Dutch): the samenvatting and geleerde les of a case and the
//! omschrijving of a signal, assembled from the phrase banks in `zinnen/`. The texts hold
//! no names, numbers or addresses: nothing that leads to a person.
//!
//! A phrase may hold slots: `{R}` the regeling, `{A}` the aandrager, `{P}` the person and
//! `{G}` the group; a slot that opens a sentence is capitalised.
//!
//! ```ignore
//! case.samenvatting = Some(summary(&mut rng, &case, None));
//! signal.omschrijving = Some(signal_text(&mut rng, &signal));
//! ```

use super::attributes::main_theme;
use super::phrases::{
    Bank, AANDRAGERS, DRADEN, GROEPEN, INTRO, LESSEN, LEVENSGEBEURTENISSEN, MISGEGAAN, NODIG,
    OMSTANDIGHEDEN, PERSONEN, PROBLEMEN, REGELINGEN, SIGNAAL_AANLEIDING, SIGNAAL_CASUSSEN,
    SIGNAAL_IMPACT, SIGNAAL_VERZOEK, STANDAARD,
};
use super::planted::ThreadSpec;
use super::rng::Rng;
use crate::model::{Case, Signal};

/// The section of generic phrases in the banks per main theme.
const ALGEMEEN: &str = "algemeen";

/// Values for the slots in the phrases.
#[derive(Default)]
struct Slots {
    r: &'static str,
    a: &'static str,
    p: &'static str,
    g: &'static str,
}

/// Noun phrase of a regeling, with article, for the `{R}` slot.
fn scheme_phrase(regeling: Option<&str>, hoofd: &str) -> &'static str {
    REGELINGEN.get_for(regeling.unwrap_or("*"), Some(hoofd))[0]
}

/// The summary of a case: who brings it in, the life event, the problem (for a planted
/// case two sentences of its thread), what went wrong, the circumstances and what is needed.
pub(super) fn summary(rng: &mut Rng, c: &Case, thread: Option<&ThreadSpec>) -> String {
    let hoofd = c.main_theme();
    let r = scheme_phrase(c.regeling.as_deref(), hoofd);
    let p = rng.pick(PERSONEN.get(c.doelgroep.first().map_or("*", |g| g.as_str())));
    let a = rng.pick(AANDRAGERS.get(&c.aandrager_type));
    let slots = Slots { r, a, p, g: "" };
    let mut parts: Vec<&'static str> = Vec::with_capacity(10);
    parts.push(rng.pick(INTRO.get(&c.aandrager_type)));
    if let Some(bank) = c
        .levensgebeurtenis
        .as_deref()
        .and_then(|l| LEVENSGEBEURTENISSEN.exact(l))
    {
        if thread.is_some() || rng.chance(0.8) {
            parts.push(rng.pick(bank));
        }
    }
    let body_start = parts.len();
    match thread {
        Some(spec) => push_thread_problem(rng, &mut parts, spec, &c.thema),
        None => push_problem(rng, &mut parts, &c.thema),
    }
    parts.push(theme_or_generic(rng, &MISGEGAAN, hoofd));
    // Sometimes the mishap comes before the rest of the problem statement.
    if parts.len() - body_start > 2 && rng.chance(0.25) {
        let last = parts.pop().expect("non-empty");
        parts.insert(body_start + 1, last);
    }
    if c.complexiteit == Some(3) && rng.chance(0.7) {
        parts.push(rng.pick(OMSTANDIGHEDEN.get("complex")));
    }
    if c.spoed == Some(true) {
        parts.push(rng.pick(OMSTANDIGHEDEN.get("spoed")));
    }
    parts.push(theme_or_generic(rng, &NODIG, hoofd));
    let mut text = assemble(&parts, &slots);
    push_boilerplate(rng, &mut text, c.afgerond_op.is_some());
    text
}

/// Stock sentences as staff add them to any summary: a note on the work (35%), a closure
/// note for closed cases (60%) and a signature (25%), each sometimes written sloppily.
fn push_boilerplate(rng: &mut Rng, text: &mut String, closed: bool) {
    for (section, p) in [
        ("werkwijze", 0.35),
        ("afsluiting", if closed { 0.6 } else { 0.0 }),
        ("handtekening", 0.25),
    ] {
        if p > 0.0 && rng.chance(p) {
            let s = rng.pick(STANDAARD.get(section));
            text.push(' ');
            text.push_str(&spelling_variant(rng, s));
        }
    }
}

/// The sentence as written, or (in 3 of 10 cases) with a lowercase start, without the final
/// period, or with "e-mail" and "telefonisch" written differently.
fn spelling_variant(rng: &mut Rng, s: &str) -> String {
    if !rng.chance(0.3) {
        return s.to_string();
    }
    match rng.below(3) {
        0 => {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
        1 => s.trim_end_matches('.').to_string(),
        _ => s
            .replace("telefonisch", "tel.")
            .replace("geïnformeerd", "geinformeerd")
            .replace(", ", " "),
    }
}

/// Two distinct sentences of the thread, sometimes followed by one of the theme.
fn push_thread_problem(
    rng: &mut Rng,
    parts: &mut Vec<&'static str>,
    spec: &ThreadSpec,
    thema: &str,
) {
    let sentences = DRADEN.get(spec.id);
    let a = rng.below(sentences.len());
    let mut b = rng.below(sentences.len() - 1);
    if b >= a {
        b += 1;
    }
    parts.push(sentences[a]);
    parts.push(sentences[b]);
    if rng.chance(0.4) {
        parts.push(rng.pick(PROBLEMEN.get(thema)));
    }
}

/// One sentence of the theme, sometimes a second, different one.
fn push_problem(rng: &mut Rng, parts: &mut Vec<&'static str>, thema: &str) {
    let bank = PROBLEMEN.get(thema);
    let a = rng.below(bank.len());
    parts.push(bank[a]);
    if rng.chance(0.35) {
        parts.push(bank[(a + 1 + rng.below(bank.len() - 1)) % bank.len()]);
    }
}

/// In one of five cases a generic phrase, else one of the main theme.
fn theme_or_generic(rng: &mut Rng, bank: &'static Bank, hoofd: &str) -> &'static str {
    if rng.chance(0.2) {
        rng.pick(bank.get(ALGEMEEN))
    } else {
        rng.pick(bank.get(hoofd))
    }
}

/// The lesson learned from a closed case, sometimes with a generic second sentence.
pub(super) fn lesson_learned(rng: &mut Rng, c: &Case) -> String {
    let mut s = rng.pick(LESSEN.get(c.main_theme())).to_string();
    if rng.chance(0.4) {
        s.push(' ');
        s.push_str(rng.pick(LESSEN.get(ALGEMEEN)));
    }
    s
}

/// The description of a signal: its source, the problem, whom it affects, the linked
/// cases and a request.
pub(super) fn signal_text(rng: &mut Rng, s: &Signal) -> String {
    let bron = s.bron.map(|x| x.as_str()).unwrap_or("ksm");
    let mut slots = Slots::default();
    let mut parts: Vec<&'static str> = Vec::with_capacity(6);
    parts.push(rng.pick(SIGNAAL_AANLEIDING.get(bron)));
    match s.thema.as_deref() {
        Some(t) => {
            let hoofd = main_theme(t);
            slots.r = scheme_phrase(s.regeling.as_deref(), hoofd);
            parts.push(rng.pick(PROBLEMEN.get(t)));
            if rng.chance(0.5) {
                parts.push(rng.pick(MISGEGAAN.get(hoofd)));
            }
        }
        None => parts.push(rng.pick(MISGEGAAN.get(ALGEMEEN))),
    }
    match s.doelgroep.first() {
        Some(g) if rng.chance(0.6) => {
            slots.g = GROEPEN.get(g)[0];
            parts.push(rng.pick(SIGNAAL_IMPACT.get("groep")));
        }
        _ => parts.push(rng.pick(SIGNAAL_IMPACT.get(ALGEMEEN))),
    }
    match s.casus_ids.len() {
        0 => {}
        1 => parts.push(SIGNAAL_CASUSSEN.get("één")[0]),
        _ => parts.push(SIGNAAL_CASUSSEN.get("meerdere")[0]),
    }
    parts.push(rng.pick(SIGNAAL_VERZOEK.all()));
    assemble(&parts, &slots)
}

/// The sentences joined with spaces, their slots filled.
fn assemble(parts: &[&str], slots: &Slots) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 16).sum());
    for p in parts {
        push_sentence(&mut out, p, slots);
    }
    out
}

/// Appends one sentence, filling its slots; a slot that opens the sentence is capitalised.
fn push_sentence(buf: &mut String, template: &str, slots: &Slots) {
    if !buf.is_empty() {
        buf.push(' ');
    }
    let mut rest = template;
    let mut at_start = true;
    while let Some(i) = rest.find('{') {
        buf.push_str(&rest[..i]);
        let close = rest[i..].find('}').map_or(rest.len() - 1, |j| i + j);
        let value = match &rest[i + 1..close] {
            "R" => slots.r,
            "A" => slots.a,
            "P" => slots.p,
            "G" => slots.g,
            _ => "",
        };
        if at_start && i == 0 {
            let mut chars = value.chars();
            if let Some(f) = chars.next() {
                buf.extend(f.to_uppercase());
                buf.push_str(chars.as_str());
            }
        } else {
            buf.push_str(value);
        }
        at_start = false;
        rest = &rest[close + 1..];
    }
    buf.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Recipient, SignalSource, SignalStatus};
    use crate::sample::attributes::THEMA_WEIGHTS;
    use crate::sample::excel::{
        codes, HELPER_TYPE_LABELS, LIFE_EVENT_LABELS, SCHEME_LABELS, TARGET_GROUP_LABELS,
    };
    use crate::sample::generate;
    use crate::sample::phrases::{EIGENAREN, TERUGKOPPELING};
    use crate::sample::planted::thread_specs;
    use crate::sample::tests::opts;
    use std::collections::{BTreeMap, BTreeSet};

    fn sections(bank: &Bank) -> BTreeSet<&'static str> {
        bank.sections().map(|s| s.0).collect()
    }

    /// Every section of `bank` is one of `codes` or `extra`; a misspelt section would
    /// otherwise be ignored silently in favour of `[*]`.
    fn assert_sections_within(name: &str, bank: &Bank, codes: &[&str], extra: &[&str]) {
        for s in sections(bank) {
            assert!(
                codes.contains(&s) || extra.contains(&s),
                "{name}: unknown section [{s}]"
            );
        }
    }

    #[test]
    fn bank_sections_are_known_codes() {
        let themes: Vec<&str> = THEMA_WEIGHTS.iter().map(|t| t.0).collect();
        let hoofden: Vec<&str> = themes.iter().map(|t| main_theme(t)).collect();
        assert_sections_within("problemen", &PROBLEMEN, &themes, &["*"]);
        for bank in [&*MISGEGAAN, &*NODIG, &*LESSEN] {
            assert_sections_within("per hoofdthema", bank, &hoofden, &["*", ALGEMEEN]);
        }
        for t in themes.iter().filter(|t| **t != "overig.overig") {
            assert!(PROBLEMEN.exact(t).is_some(), "problemen: [{t}]");
            for bank in [&*MISGEGAAN, &*NODIG, &*LESSEN] {
                assert!(bank.exact(main_theme(t)).is_some(), "[{t}]");
            }
        }
        let aandragers = codes(HELPER_TYPE_LABELS);
        assert_sections_within("aandragers", &AANDRAGERS, &aandragers, &["*"]);
        assert_sections_within("intro", &INTRO, &aandragers, &["*"]);
        let doelgroepen = codes(TARGET_GROUP_LABELS);
        assert_sections_within("personen", &PERSONEN, &doelgroepen, &["*"]);
        assert_sections_within("groepen", &GROEPEN, &doelgroepen, &["*"]);
        let levensgebeurtenissen: BTreeSet<&str> = codes(LIFE_EVENT_LABELS)
            .into_iter()
            .filter(|l| *l != "geen")
            .collect();
        assert_eq!(sections(&LEVENSGEBEURTENISSEN), levensgebeurtenissen);
        assert_sections_within(
            "signaal-aanleiding",
            &SIGNAAL_AANLEIDING,
            SignalSource::CODES,
            &["*"],
        );
        assert_sections_within("terugkoppeling", &TERUGKOPPELING, SignalStatus::CODES, &[]);
        assert_sections_within(
            "regelingen",
            &REGELINGEN,
            &codes(SCHEME_LABELS),
            &["*", "* toeslagen"],
        );
        let ids: BTreeSet<&str> = thread_specs().iter().map(|t| t.id).collect();
        assert_eq!(sections(&DRADEN), ids);
        assert!(
            DRADEN.sections().all(|(_, s)| s.len() >= 2),
            "two distinct sentences"
        );
        for bank in [&*REGELINGEN, &*GROEPEN, &*SIGNAAL_CASUSSEN] {
            assert!(
                bank.sections().all(|(_, s)| s.len() == 1),
                "one phrase a section"
            );
        }
    }

    #[test]
    fn every_recipient_has_owners() {
        for naar in Recipient::CODES {
            for hoofd in ["toeslagen", "invordering"] {
                assert!(!EIGENAREN.get_for(naar, Some(hoofd)).is_empty());
            }
            assert!(EIGENAREN.exact(naar).is_some(), "eigenaren: [{naar}]");
        }
        for s in sections(&EIGENAREN) {
            let naar = s.strip_suffix(" toeslagen").unwrap_or(s);
            assert!(
                Recipient::CODES.contains(&naar),
                "eigenaren: unknown section [{s}]"
            );
        }
        assert_eq!(
            EIGENAREN.get_for("ksm", Some("toeslagen")),
            ["Signaaleigenaar KSM, Dienst Toeslagen"]
        );
    }

    #[test]
    fn slots_are_filled_and_capitalised_at_the_start() {
        let slots = Slots {
            r: "de huurtoeslag",
            a: "het wijkteam",
            p: "een student",
            g: "",
        };
        let text = assemble(
            &["{A} vraagt hulp voor {P}.", "Het gaat om {R}{X}."],
            &slots,
        );
        assert_eq!(
            text,
            "Het wijkteam vraagt hulp voor een student. Het gaat om de huurtoeslag."
        );
        assert_eq!(scheme_phrase(None, "toeslagen"), "de toeslag");
        assert_eq!(scheme_phrase(Some("overig"), "invordering"), "de aanslag");
        assert_eq!(scheme_phrase(Some("btw"), "ondernemers"), "de btw");
    }

    #[test]
    fn texts_reflect_theme_and_thread() {
        let data = generate(&opts(8, Some(5_000), true));
        let keywords: &[(&str, &[&str])] = &[
            ("toeslagen", &["toeslag", "herstel", "kindgebonden budget"]),
            (
                "invordering",
                &[
                    "betalingsregeling",
                    "beslag",
                    "verrekend",
                    "verrekening",
                    "kwijtschelding",
                    "dwangbevel",
                    "invordering",
                    "uitstel",
                ],
            ),
            (
                "inkomstenbelasting",
                &["aanslag", "aangifte", "navordering", "box 3"],
            ),
            (
                "ondernemers",
                &[
                    "ondernem",
                    "btw",
                    "loonheffing",
                    "boete",
                    "coronaschuld",
                    "zzp",
                ],
            ),
            (
                "dienstverlening",
                &[
                    "bereikbaar",
                    "brief",
                    "brieven",
                    "jargon",
                    "kastje",
                    "loket",
                    "digid",
                    "machtig",
                    "doorlooptijd",
                    "wachten",
                ],
            ),
            (
                "rechtsbescherming",
                &[
                    "termijn",
                    "hardheid",
                    "regels",
                    "fraud",
                    "opzet",
                    "controle",
                    "selectie",
                    "vergissing",
                ],
            ),
            ("douane", &["douane"]),
        ];
        // A text-only thread tells its own story under whatever theme its cases got.
        let text_only: BTreeSet<&str> = data
            .planted
            .iter()
            .filter(|t| t.patroon.is_empty())
            .flat_map(|t| t.casus_ids.iter().map(String::as_str))
            .collect();
        for (hoofd, words) in keywords {
            let cs: Vec<&Case> = data
                .cases
                .iter()
                .filter(|c| c.main_theme() == *hoofd && !text_only.contains(c.casus_id.as_str()))
                .collect();
            let hit = cs
                .iter()
                .filter(|c| {
                    let t = c.samenvatting.as_ref().unwrap().to_lowercase();
                    words.iter().any(|w| t.contains(w))
                })
                .count();
            if hit != cs.len() {
                for c in cs
                    .iter()
                    .filter(|c| {
                        let t = c.samenvatting.as_ref().unwrap().to_lowercase();
                        !words.iter().any(|w| t.contains(w))
                    })
                    .take(5)
                {
                    eprintln!("{} {}", c.thema, c.samenvatting.as_ref().unwrap());
                }
            }
            assert_eq!(hit, cs.len(), "{hoofd}");
        }
        let by_id: BTreeMap<&str, &Case> = data
            .cases
            .iter()
            .map(|c| (c.casus_id.as_str(), c))
            .collect();
        let marker = [
            ("D1", "pensio"),
            ("D2", "beslag"),
            ("D3", "digid"),
            ("D4", "coronaschuld"),
            ("D5", "scheiding"),
            ("D6", "douane"),
            ("D7", "machtiging"),
        ];
        for (t, (id, word)) in data.planted.iter().zip(marker) {
            assert_eq!(t.id, id);
            for cid in &t.casus_ids {
                let s = by_id[cid.as_str()]
                    .samenvatting
                    .as_ref()
                    .unwrap()
                    .to_lowercase();
                assert!(s.contains(word), "{id} {cid}");
            }
        }
        // The thread vocabulary is rare outside the thread.
        let d4: BTreeSet<&str> = data.planted[3]
            .casus_ids
            .iter()
            .map(String::as_str)
            .collect();
        let outside = data
            .cases
            .iter()
            .filter(|c| {
                !d4.contains(c.casus_id.as_str())
                    && c.samenvatting.as_ref().unwrap().contains("zestig maanden")
            })
            .count();
        assert_eq!(outside, 0);
    }

    #[test]
    fn texts_vary_and_hold_no_personal_data() {
        let data = generate(&opts(6, None, true));
        let distinct: BTreeSet<&str> = data
            .cases
            .iter()
            .map(|c| c.samenvatting.as_deref().unwrap())
            .collect();
        assert!(
            distinct.len() as f64 >= 0.97 * data.cases.len() as f64,
            "{} distinct",
            distinct.len()
        );
        let big = generate(&opts(6, Some(20_000), true));
        let texts = big
            .cases
            .iter()
            .flat_map(|c| [c.samenvatting.as_deref(), c.geleerde_les.as_deref()])
            .chain(
                big.signals
                    .iter()
                    .flat_map(|s| [s.omschrijving.as_deref(), s.terugkoppeling.as_deref()]),
            )
            .flatten();
        for t in texts {
            let mut run = 0;
            for ch in t.chars() {
                run = if ch.is_ascii_digit() { run + 1 } else { 0 };
                assert!(run < 3, "digit run in {t}");
            }
            assert!(
                !t.contains('@') && !t.contains("NL") && !t.contains("BSN"),
                "{t}"
            );
            let (_, _, bad) = encoding_rs::WINDOWS_1252.encode(t);
            assert!(!bad, "not Windows-1252: {t}");
        }
    }
}
