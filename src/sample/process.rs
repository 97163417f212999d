//! The path of a case through the process of the Belangenbehartiger: triage, then for a
//! case that is taken on zienswijze, reactie, possibly escalatie, and afronding with the
//! outcome and how the people involved experienced it. Nothing happens after the export date.
//!
//! ```ignore
//! fill_process(&mut rng, &mut case, export_date, planted);
//! ```

use super::calendar::day;
use super::rng::Rng;
use crate::model::Case;
use chrono::NaiveDate;

/// Complexity, urgency and triage; then `treat` for a case that is taken on.
/// Planted cases are taken on more often.
pub(super) fn fill_process(rng: &mut Rng, c: &mut Case, end: NaiveDate, planted: bool) {
    let o = c.ontvangen_op;
    c.complexiteit = if rng.chance(0.03) {
        None
    } else {
        Some(rng.weighted_index([45.0, 35.0, 20.0].into_iter()) as u8 + 1)
    };
    let spoed = rng.chance(0.10);
    c.spoed = Some(spoed);
    c.pauzeknop = Some(false);
    let t = if spoed {
        day(o, rng.range(0, 3))
    } else {
        // Skewed towards a quick triage, at most three weeks.
        day(o, rng.range(0, 21).min(rng.range(0, 21)))
    };
    if t > end {
        return; // still in intake
    }
    c.triage_op = Some(t);
    let besluit = if planted {
        rng.weighted(&[
            ("behandelen", 70.0),
            ("doorverwijzen", 20.0),
            ("niet_behandelen", 10.0),
        ])
    } else {
        rng.weighted(&[
            ("behandelen", 55.0),
            ("doorverwijzen", 30.0),
            ("niet_behandelen", 15.0),
        ])
    };
    c.triage_besluit =
        Some(crate::model::TriageDecision::parse(besluit).expect("code uit het invoercontract"));
    match besluit {
        "doorverwijzen" => {
            c.warm_doorverwezen = Some(rng.chance(0.7));
            c.doorverwezen_naar = Some(rng.weighted(referral_table(c.main_theme())).into());
        }
        "behandelen" => treat(rng, c, t, end, spoed),
        _ => {}
    }
}

/// Where a case is referred to, per main theme.
fn referral_table(hoofd: &str) -> &'static [(&'static str, f64)] {
    match hoofd {
        "toeslagen" => &[
            ("dienst_toeslagen", 40.0),
            ("gemeente", 25.0),
            ("juridisch_loket", 20.0),
            ("schuldhulpverlening", 15.0),
        ],
        "invordering" => &[
            ("schuldhulpverlening", 40.0),
            ("belastingdienst", 35.0),
            ("gemeente", 15.0),
            ("juridisch_loket", 10.0),
        ],
        "inkomstenbelasting" => &[
            ("belastingdienst", 50.0),
            ("juridisch_loket", 25.0),
            ("advocatuur", 25.0),
        ],
        "ondernemers" => &[
            ("belastingdienst", 50.0),
            ("advocatuur", 30.0),
            ("gemeente", 20.0),
        ],
        "dienstverlening" => &[
            ("belastingdienst", 35.0),
            ("dienst_toeslagen", 30.0),
            ("gemeente", 35.0),
        ],
        "rechtsbescherming" => &[
            ("juridisch_loket", 40.0),
            ("advocatuur", 30.0),
            ("nationale_ombudsman", 30.0),
        ],
        "douane" => &[("douane", 100.0)],
        _ => &[
            ("gemeente", 30.0),
            ("uwv", 25.0),
            ("svb", 25.0),
            ("juridisch_loket", 20.0),
        ],
    }
}

/// How far a treated case got before afronding.
struct Path {
    /// Date of the last step.
    last: NaiveDate,
    reactie: Option<&'static str>,
    escalated: bool,
    /// A step would fall after the export date (or the case stalled): the case stays open.
    open: bool,
}

/// The path of a case that is taken on: zienswijze, reactie, escalatie, afronding.
fn treat(rng: &mut Rng, c: &mut Case, t: NaiveDate, end: NaiveDate, spoed: bool) {
    let o = c.ontvangen_op;
    c.geescaleerd = Some(false);
    c.pauzeknop = Some(rng.chance(0.09));
    let stalled = rng.chance(0.04);
    let median: f64 = if spoed { 40.0 } else { 70.0 };
    let duration = (median.ln() + 0.55 * rng.normal())
        .exp()
        .clamp(20.0, 200.0)
        .round() as i64;
    let mut path = Path {
        last: t,
        reactie: None,
        escalated: false,
        open: stalled,
    };
    if rng.chance(0.85) {
        zienswijze(rng, c, &mut path, spoed, end);
    }
    let a = day(o, duration).max(day(path.last, rng.range(5, 30)));
    if path.open || a > end {
        c.uitkomst = if rng.chance(0.75) {
            Some(crate::model::Outcome::Ongoing)
        } else {
            None
        };
        return;
    }
    c.afgerond_op = Some(a);
    let uitkomst = uitkomst(rng, path.reactie, path.escalated);
    c.uitkomst = Some(crate::model::Outcome::parse(uitkomst).expect("code uit het invoercontract"));
    beleving(rng, c, uitkomst);
}

/// The zienswijze to the dienst, its reactie and possibly an escalatie.
fn zienswijze(rng: &mut Rng, c: &mut Case, path: &mut Path, spoed: bool, end: NaiveDate) {
    let z = if spoed {
        day(path.last, rng.range(5, 20))
    } else {
        day(path.last, rng.range(10, 60))
    };
    if z > end {
        path.open = true;
        return;
    }
    c.zienswijze_op = Some(z);
    path.last = z;
    let r = day(z, rng.range(7, 28));
    if r > end {
        path.open = true;
        return;
    }
    let code = rng.weighted(&[
        ("overgenomen", 55.0),
        ("deels_overgenomen", 20.0),
        ("niet_overgenomen", 15.0),
        ("geen_reactie", 10.0),
    ]);
    path.reactie = Some(code);
    c.zienswijze_reactie =
        Some(crate::model::AdviceResponse::parse(code).expect("code uit het invoercontract"));
    path.last = r;
    let p_esc = match code {
        "overgenomen" => 0.03,
        "deels_overgenomen" => 0.15,
        "niet_overgenomen" => 0.45,
        _ => 0.30,
    };
    if rng.chance(p_esc) {
        escalate(rng, c, path, end);
    }
}

/// Escalatie after the reactie; higher up when the zienswijze was not taken over.
fn escalate(rng: &mut Rng, c: &mut Case, path: &mut Path, end: NaiveDate) {
    let e = day(path.last, rng.range(7, 30));
    if e > end {
        path.open = true;
        return;
    }
    path.escalated = true;
    c.geescaleerd = Some(true);
    c.geescaleerd_op = Some(e);
    let niveau = if path.reactie == Some("niet_overgenomen") {
        rng.weighted(&[
            ("teamleider", 35.0),
            ("directeur", 40.0),
            ("directeur_generaal", 25.0),
        ])
    } else {
        rng.weighted(&[
            ("teamleider", 60.0),
            ("directeur", 28.0),
            ("directeur_generaal", 12.0),
        ])
    };
    c.escalatie_niveau =
        Some(crate::model::EscalationLevel::parse(niveau).expect("code uit het invoercontract"));
    path.last = e;
}

/// The outcome of a closed case, given the reactie and whether it was escalated.
fn uitkomst(rng: &mut Rng, reactie: Option<&str>, escalated: bool) -> &'static str {
    match (reactie, escalated) {
        (None, _) => rng.weighted(&[
            ("opgelost", 60.0),
            ("deels_opgelost", 15.0),
            ("ingetrokken", 25.0),
        ]),
        (Some("overgenomen"), _) => rng.weighted(&[
            ("opgelost", 80.0),
            ("deels_opgelost", 15.0),
            ("niet_opgelost", 3.0),
            ("ingetrokken", 2.0),
        ]),
        (Some("deels_overgenomen"), _) => rng.weighted(&[
            ("deels_opgelost", 60.0),
            ("opgelost", 25.0),
            ("niet_opgelost", 15.0),
        ]),
        (Some(_), true) => rng.weighted(&[
            ("opgelost", 35.0),
            ("deels_opgelost", 25.0),
            ("niet_opgelost", 40.0),
        ]),
        (Some(_), false) => rng.weighted(&[
            ("niet_opgelost", 65.0),
            ("deels_opgelost", 20.0),
            ("ingetrokken", 15.0),
        ]),
    }
}

/// Scores of the citizen and the helpers (lower when the outcome is worse) and whether
/// the story may be told.
fn beleving(rng: &mut Rng, c: &mut Case, uitkomst: &str) {
    let shift = match uitkomst {
        "niet_opgelost" => -2,
        "deels_opgelost" | "ingetrokken" => -1,
        _ => 0,
    };
    c.beleving_burger = score(rng, 0.70, shift);
    c.beleving_eerstelijnshelper = if c.aandrager_type == "burger_zelf" {
        None
    } else {
        score(rng, 0.80, shift)
    };
    c.beleving_helper_dienst = score(rng, 0.75, 0);
    c.verhaal_vrijgegeven = Some(rng.chance(0.15));
}

/// A score 1-10 skewed to 6-9, present with probability `p`.
fn score(rng: &mut Rng, p: f64, shift: i32) -> Option<u8> {
    if !rng.chance(p) {
        return None;
    }
    const W: [f64; 10] = [1.0, 1.0, 2.0, 3.0, 5.0, 10.0, 18.0, 24.0, 20.0, 8.0];
    let s = rng.weighted_index(W.iter().copied()) as i32 + 1 + shift;
    Some(s.clamp(1, 10) as u8)
}

#[cfg(test)]
mod tests {
    use crate::model::Case;
    use crate::sample::generate;
    use crate::sample::tests::{d, opts};
    use chrono::NaiveDate;

    #[test]
    fn process_shares_match_the_documented_assumptions() {
        let data = generate(&opts(9, Some(40_000), false));
        let cs = &data.cases;
        let share = |num: usize, den: usize| num as f64 / den as f64;
        let triaged: Vec<&Case> = cs.iter().filter(|c| c.triage_besluit.is_some()).collect();
        let by = |b: &str| {
            triaged
                .iter()
                .filter(|c| c.triage_besluit.map(|x| x.as_str()) == Some(b))
                .count()
        };
        assert!((share(by("behandelen"), triaged.len()) - 0.55).abs() < 0.015);
        assert!((share(by("doorverwijzen"), triaged.len()) - 0.30).abs() < 0.015);
        assert!((share(by("niet_behandelen"), triaged.len()) - 0.15).abs() < 0.01);
        let warm = triaged
            .iter()
            .filter(|c| c.warm_doorverwezen == Some(true))
            .count();
        assert!((share(warm, by("doorverwijzen")) - 0.70).abs() < 0.02);
        let spoed = cs.iter().filter(|c| c.spoed == Some(true)).count();
        assert!((share(spoed, cs.len()) - 0.10).abs() < 0.01);
        let pauze = cs.iter().filter(|c| c.pauzeknop == Some(true)).count();
        assert!((share(pauze, triaged.len()) - 0.0495).abs() < 0.008);
        let with_reactie: Vec<&Case> = cs
            .iter()
            .filter(|c| c.zienswijze_reactie.is_some())
            .collect();
        let r = |x: &str| {
            share(
                with_reactie
                    .iter()
                    .filter(|c| c.zienswijze_reactie.map(|x| x.as_str()) == Some(x))
                    .count(),
                with_reactie.len(),
            )
        };
        assert!(
            (r("overgenomen") - 0.55).abs() < 0.02 && (r("deels_overgenomen") - 0.20).abs() < 0.02
        );
        assert!(
            (r("niet_overgenomen") - 0.15).abs() < 0.015
                && (r("geen_reactie") - 0.10).abs() < 0.015
        );
        // Escalation: 0.55*0.03 + 0.20*0.15 + 0.15*0.45 + 0.10*0.30 = 0.144 (before censoring at export).
        let esc = with_reactie
            .iter()
            .filter(|c| c.geescaleerd == Some(true))
            .count();
        assert!((share(esc, with_reactie.len()) - 0.144).abs() < 0.02);
        let niet: Vec<&&Case> = with_reactie
            .iter()
            .filter(|c| c.zienswijze_reactie.map(|x| x.as_str()) == Some("niet_overgenomen"))
            .collect();
        let esc_niet = niet.iter().filter(|c| c.geescaleerd == Some(true)).count();
        assert!(share(esc_niet, niet.len()) > 0.35);
        let closed: Vec<&Case> = cs.iter().filter(|c| c.afgerond_op.is_some()).collect();
        let vrij = closed
            .iter()
            .filter(|c| c.verhaal_vrijgegeven == Some(true))
            .count();
        assert!((share(vrij, closed.len()) - 0.15).abs() < 0.015);
        let les = closed.iter().filter(|c| c.geleerde_les.is_some()).count();
        assert!((share(les, closed.len()) - 0.40).abs() < 0.02);
        let scores: Vec<u8> = closed.iter().filter_map(|c| c.beleving_burger).collect();
        assert!(share(scores.len(), closed.len()) > 0.6 && share(scores.len(), closed.len()) < 0.8);
        let mid = scores.iter().filter(|s| (6..=9).contains(*s)).count();
        assert!(share(mid, scores.len()) > 0.65);
        // Recent cases are more often open than older ones.
        let open_share = |from: NaiveDate, to: NaiveDate| {
            let b: Vec<&Case> = cs
                .iter()
                .filter(|c| {
                    c.triage_besluit.map(|x| x.as_str()) == Some("behandelen")
                        && c.ontvangen_op >= from
                        && c.ontvangen_op <= to
                })
                .collect();
            share(
                b.iter().filter(|c| c.afgerond_op.is_none()).count(),
                b.len(),
            )
        };
        let old = open_share(d(2025, 3, 1), d(2025, 12, 31));
        let recent = open_share(d(2026, 8, 1), d(2026, 10, 31));
        assert!(old < 0.10 && recent > 0.85, "open shares {old} {recent}");
    }
}
