//! k-anonymity for stories: a case may be told only when enough cases share
//! its quasi-identifiers, otherwise details are dropped or the story is left out.
//!
//! ```
//! use rodedraad::protect::kanon::{check_story, QuasiId, StoryDecision};
//! let q = |lg: &str| QuasiId { doelgroep: vec!["ouderen".into()], levensgebeurtenis: Some(lg.into()), regeling: None, aandrager_type: "wijkteam".into(), dienst: None, periode: "2026-H1".into() };
//! let pop = vec![q("pensioen"), q("pensioen"), q("pensioen")];
//! assert_eq!(check_story(&q("pensioen"), &pop, 3), StoryDecision::Vrijgegeven);
//! ```

/// The quasi-identifiers of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuasiId {
    pub doelgroep: Vec<String>,
    pub levensgebeurtenis: Option<String>,
    pub regeling: Option<String>,
    pub aandrager_type: String,
    pub dienst: Option<String>,
    pub periode: String,
}

/// What may be done with a story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoryDecision {
    /// Shared by at least k cases as it is.
    Vrijgegeven,
    /// Shared by at least k cases once these details are left out of the story.
    Gegeneraliseerd { weggelaten: Vec<&'static str> },
    /// Not even then: leave the story out.
    Weggelaten { reden: String },
}

/// Generalisation steps, in order: (Dutch name, does the step drop this field).
const STEPS: [&str; 4] = ["levensgebeurtenis", "regeling", "dienst", "type aandrager"];

fn same(a: &QuasiId, b: &QuasiId, dropped: usize) -> bool {
    let mut x = a.doelgroep.clone();
    let mut y = b.doelgroep.clone();
    x.sort();
    y.sort();
    x == y
        && a.periode == b.periode
        && (dropped >= 1 || a.levensgebeurtenis == b.levensgebeurtenis)
        && (dropped >= 2 || a.regeling == b.regeling)
        && (dropped >= 3 || a.dienst == b.dienst)
        && (dropped >= 4 || a.aandrager_type == b.aandrager_type)
}

/// Checks a story candidate against the population (which includes the candidate itself).
pub fn check_story(candidate: &QuasiId, population: &[QuasiId], k: usize) -> StoryDecision {
    for dropped in 0..=STEPS.len() {
        let n = population.iter().filter(|p| same(candidate, p, dropped)).count();
        if n >= k {
            return if dropped == 0 {
                StoryDecision::Vrijgegeven
            } else {
                StoryDecision::Gegeneraliseerd { weggelaten: STEPS[..dropped].to_vec() }
            };
        }
    }
    StoryDecision::Weggelaten {
        reden: format!("minder dan {k} casussen delen doelgroep en periode, ook zonder {}", STEPS.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(dg: &[&str], lg: &str, reg: &str, at: &str, d: &str, p: &str) -> QuasiId {
        QuasiId {
            doelgroep: dg.iter().map(|s| s.to_string()).collect(),
            levensgebeurtenis: Some(lg.into()),
            regeling: Some(reg.into()),
            aandrager_type: at.into(),
            dienst: Some(d.into()),
            periode: p.into(),
        }
    }

    #[test]
    fn released_generalised_and_left_out() {
        let me = q(&["ouderen", "schulden"], "pensioen", "huurtoeslag", "wijkteam", "dienst_toeslagen", "2026-H1");
        let twin = q(&["schulden", "ouderen"], "pensioen", "huurtoeslag", "wijkteam", "dienst_toeslagen", "2026-H1");
        let other_event = q(&["ouderen", "schulden"], "scheiding", "huurtoeslag", "wijkteam", "dienst_toeslagen", "2026-H1");
        let other_scheme = q(&["ouderen", "schulden"], "geen", "zorgtoeslag", "wijkteam", "dienst_toeslagen", "2026-H1");
        let other_period = q(&["ouderen", "schulden"], "pensioen", "huurtoeslag", "wijkteam", "dienst_toeslagen", "2025-H2");

        // Doelgroep order does not matter: three identical records.
        assert_eq!(check_story(&me, &[me.clone(), twin.clone(), twin.clone()], 3), StoryDecision::Vrijgegeven);
        // Only two identical; dropping the life event makes three.
        assert_eq!(
            check_story(&me, &[me.clone(), twin.clone(), other_event.clone()], 3),
            StoryDecision::Gegeneraliseerd { weggelaten: vec!["levensgebeurtenis"] }
        );
        // Needs dropping the scheme too.
        assert_eq!(
            check_story(&me, &[me.clone(), other_event, other_scheme], 3),
            StoryDecision::Gegeneraliseerd { weggelaten: vec!["levensgebeurtenis", "regeling"] }
        );
        // A different period never helps.
        assert!(matches!(check_story(&me, &[me.clone(), other_period.clone(), other_period], 3), StoryDecision::Weggelaten { .. }));
    }
}
