//! k-anonymity check for stories ("verhalen") before they are published.
//!
//! A story tells a reader a few quasi-identifiers of a real case: target groups, life
//! event, scheme, kind of referring party, service and period. [`check_story`] counts how
//! many cases in the population share all of them; when fewer than `k` do, it drops the
//! least essential details one by one (life event, scheme, service, kind of referring
//! party; target groups and period always stay) and reports what had to be left out,
//! or that the story must not be told at all.
//!
//! ```
//! use rodedraad::protect::kanon::{check_story, QuasiId, StoryDecision};
//! let q = |lg: Option<&str>| QuasiId {
//!     doelgroep: vec!["ouderen".into()],
//!     levensgebeurtenis: lg.map(String::from),
//!     regeling: Some("huurtoeslag".into()),
//!     aandrager_type: "wijkteam".into(),
//!     dienst: Some("dienst_toeslagen".into()),
//!     periode: "2025-H1".into(),
//! };
//! let population = vec![q(Some("overlijden_partner")), q(None), q(Some("pensioen"))];
//! assert_eq!(
//!     check_story(&population[0], &population, 3),
//!     StoryDecision::Gegeneraliseerd { weggelaten: vec!["levensgebeurtenis"] }
//! );
//! ```

/// The details of a case that a story reveals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuasiId {
    pub doelgroep: Vec<String>,
    pub levensgebeurtenis: Option<String>,
    pub regeling: Option<String>,
    pub aandrager_type: String,
    pub dienst: Option<String>,
    pub periode: String,
}

/// Outcome of the recognisability check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryDecision {
    /// The story may be told with all its details.
    Vrijgegeven,
    /// The story may be told without the listed details (Dutch names, in drop order).
    Gegeneraliseerd { weggelaten: Vec<&'static str> },
    /// The story may not be told; the reason is in Dutch.
    Weggelaten { reden: String },
}

/// Dutch name of the life-event detail.
pub const LEVENSGEBEURTENIS: &str = "levensgebeurtenis";
/// Dutch name of the scheme detail.
pub const REGELING: &str = "regeling";
/// Dutch name of the service detail.
pub const DIENST: &str = "dienst";
/// Dutch name of the referring-party detail.
pub const AANDRAGER_TYPE: &str = "type aandrager";

/// The details that may be dropped, in the order they are dropped.
pub const GENERALISATION_ORDER: [&str; 4] = [LEVENSGEBEURTENIS, REGELING, DIENST, AANDRAGER_TYPE];

/// Decides whether a story about `candidate` may be told.
///
/// The candidate passes when at least `k` records of `population` (which should include
/// the candidate's own record) share all its quasi-identifiers: doelgroep compared as a
/// set (order and duplicates ignored), the other fields exactly (`None` only matches
/// `None`). Otherwise the details in [`GENERALISATION_ORDER`] are dropped cumulatively
/// until at least `k` match. `k <= 1` passes as long as the record is in the population
/// (`k == 0` always passes).
pub fn check_story(candidate: &QuasiId, population: &[QuasiId], k: usize) -> StoryDecision {
    let target = Key::of(candidate);
    let keys: Vec<Key> = population.iter().map(Key::of).collect();
    let count = |dropped: usize| keys.iter().filter(|p| target.matches(p, dropped)).count();

    if count(0) >= k {
        return StoryDecision::Vrijgegeven;
    }
    for dropped in 1..=GENERALISATION_ORDER.len() {
        if count(dropped) >= k {
            return StoryDecision::Gegeneraliseerd {
                weggelaten: GENERALISATION_ORDER[..dropped].to_vec(),
            };
        }
    }
    let n = count(GENERALISATION_ORDER.len());
    let casussen = if n == 1 {
        "casus deelt"
    } else {
        "casussen delen"
    };
    StoryDecision::Weggelaten {
        reden: format!(
            "Verhaal is herleidbaar: ook zonder levensgebeurtenis, regeling, dienst en type \
             aandrager {n} {casussen} dezelfde doelgroep en periode, minimaal {k} nodig."
        ),
    }
}

/// Normalised quasi-identifiers: doelgroep as a sorted, deduplicated set.
struct Key<'a> {
    doelgroep: Vec<&'a str>,
    levensgebeurtenis: Option<&'a str>,
    regeling: Option<&'a str>,
    dienst: Option<&'a str>,
    aandrager_type: &'a str,
    periode: &'a str,
}

impl<'a> Key<'a> {
    fn of(q: &'a QuasiId) -> Self {
        let mut doelgroep: Vec<&str> = q.doelgroep.iter().map(|s| s.as_str()).collect();
        doelgroep.sort_unstable();
        doelgroep.dedup();
        Key {
            doelgroep,
            levensgebeurtenis: q.levensgebeurtenis.as_deref(),
            regeling: q.regeling.as_deref(),
            dienst: q.dienst.as_deref(),
            aandrager_type: &q.aandrager_type,
            periode: &q.periode,
        }
    }

    /// Equal on every quasi-identifier except the first `dropped` of the order.
    fn matches(&self, other: &Key, dropped: usize) -> bool {
        self.doelgroep == other.doelgroep
            && self.periode == other.periode
            && (dropped >= 1 || self.levensgebeurtenis == other.levensgebeurtenis)
            && (dropped >= 2 || self.regeling == other.regeling)
            && (dropped >= 3 || self.dienst == other.dienst)
            && (dropped >= 4 || self.aandrager_type == other.aandrager_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(
        doelgroep: &[&str],
        lg: Option<&str>,
        regeling: Option<&str>,
        aandrager: &str,
        dienst: Option<&str>,
        periode: &str,
    ) -> QuasiId {
        QuasiId {
            doelgroep: doelgroep.iter().map(|s| s.to_string()).collect(),
            levensgebeurtenis: lg.map(String::from),
            regeling: regeling.map(String::from),
            aandrager_type: aandrager.to_string(),
            dienst: dienst.map(String::from),
            periode: periode.to_string(),
        }
    }

    fn population() -> Vec<QuasiId> {
        let t = Some("dienst_toeslagen");
        let b = Some("belastingdienst");
        vec![
            // 0..=2: identical, doelgroep in different orders and with a duplicate
            q(
                &["ouderen", "schulden"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
            q(
                &["schulden", "ouderen"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
            q(
                &["ouderen", "schulden", "ouderen"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
            // 3: same but another life event
            q(
                &["ouderen", "schulden"],
                Some("pensioen"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
            // 4: another life event and scheme
            q(
                &["ouderen", "schulden"],
                None,
                Some("zorgtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
            // 5: another service and scheme
            q(
                &["ouderen", "schulden"],
                Some("werkloos"),
                Some("inkomstenbelasting"),
                "wijkteam",
                b,
                "2025-H1",
            ),
            // 6: another referring party
            q(
                &["ouderen", "schulden"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "vakbond",
                t,
                "2025-H1",
            ),
            // 7: other period: never counts
            q(
                &["ouderen", "schulden"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2024-H2",
            ),
            // 8: other doelgroep (subset): never counts
            q(
                &["ouderen"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
        ]
    }

    #[test]
    fn vrijgegeven_when_k_records_share_everything() {
        let pop = population();
        // records 0, 1, 2 share all quasi-identifiers (doelgroep as a set)
        assert_eq!(check_story(&pop[0], &pop, 3), StoryDecision::Vrijgegeven);
        assert_eq!(check_story(&pop[2], &pop, 3), StoryDecision::Vrijgegeven);
        assert_eq!(check_story(&pop[7], &pop, 1), StoryDecision::Vrijgegeven);
        assert_eq!(check_story(&pop[7], &pop, 0), StoryDecision::Vrijgegeven);
    }

    #[test]
    fn gegeneraliseerd_drops_details_in_order() {
        let pop = population();
        // k = 4: dropping the life event adds record 3 -> 4
        assert_eq!(
            check_story(&pop[0], &pop, 4),
            StoryDecision::Gegeneraliseerd {
                weggelaten: vec!["levensgebeurtenis"]
            }
        );
        // k = 5: dropping the scheme adds record 4 -> 5
        assert_eq!(
            check_story(&pop[0], &pop, 5),
            StoryDecision::Gegeneraliseerd {
                weggelaten: vec!["levensgebeurtenis", "regeling"]
            }
        );
        // k = 6: dropping the service adds record 5 -> 6
        assert_eq!(
            check_story(&pop[0], &pop, 6),
            StoryDecision::Gegeneraliseerd {
                weggelaten: vec!["levensgebeurtenis", "regeling", "dienst"]
            }
        );
        // k = 7: dropping the referring party adds record 6 -> 7
        assert_eq!(
            check_story(&pop[0], &pop, 7),
            StoryDecision::Gegeneraliseerd {
                weggelaten: vec!["levensgebeurtenis", "regeling", "dienst", "type aandrager"]
            }
        );
        // record 3 alone has its own life event: one drop gives 0,1,2,3 -> 4
        assert_eq!(
            check_story(&pop[3], &pop, 2),
            StoryDecision::Gegeneraliseerd {
                weggelaten: vec!["levensgebeurtenis"]
            }
        );
    }

    #[test]
    fn weggelaten_when_even_generalised_too_rare() {
        let pop = population();
        match check_story(&pop[0], &pop, 8) {
            StoryDecision::Weggelaten { reden } => {
                assert_eq!(
                    reden,
                    "Verhaal is herleidbaar: ook zonder levensgebeurtenis, regeling, dienst en \
                     type aandrager 7 casussen delen dezelfde doelgroep en periode, minimaal 8 nodig."
                );
            }
            other => panic!("expected Weggelaten, got {other:?}"),
        }
        // the 2024 record is alone in its period
        match check_story(&pop[7], &pop, 2) {
            StoryDecision::Weggelaten { reden } => {
                assert!(reden.contains("1 casus deelt"));
                assert!(reden.contains("minimaal 2 nodig"));
            }
            other => panic!("expected Weggelaten, got {other:?}"),
        }
        // the smaller doelgroep set is not matched by its supersets
        assert!(matches!(
            check_story(&pop[8], &pop, 2),
            StoryDecision::Weggelaten { .. }
        ));
    }

    #[test]
    fn serialises_in_snake_case() {
        let d = StoryDecision::Gegeneraliseerd {
            weggelaten: vec!["levensgebeurtenis"],
        };
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"gegeneraliseerd":{"weggelaten":["levensgebeurtenis"]}}"#
        );
    }
}
