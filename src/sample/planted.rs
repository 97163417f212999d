//! The planted rode draden, each with its own vocabulary (`zinnen/draden.txt`), spread over
//! several organisations. Their case ids, written to `geplante-draden.json`, are the ground
//! truth for the thread finder:
//! - D1-D5: combinations of attribute values (D4 rising in the last quarter);
//! - D6: a concentration inside a small main theme: douane invoer with nieuwkomers, 9 cases
//!   from 7 helpers in the last half year before the export;
//! - D7: a thread only the texts show: the same story (the helper's authorisation refused)
//!   under whatever codes the cases got, in the last half year.
//!
//! ```ignore
//! let specs = thread_specs();
//! let counts = planted_counts(&specs, n, n_default);
//! // ... generate the cases ...
//! let truth = ground_truth(&specs, &cases, &intake);
//! ```

use super::attributes::{draw_life_event, push_distinct, service_and_scheme, DOELGROEP_WEIGHTS};
use super::calendar::{start_date, DayCdf};
use super::cases::Intake;
use super::orgs::Orgs;
use super::rng::Rng;
use super::PlantedThread;
use crate::model::{Case, Code};
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;
use std::io;

/// One planted thread: the attribute values its cases share.
pub(super) struct ThreadSpec {
    /// Also the section of its sentences in `zinnen/draden.txt`.
    pub(super) id: &'static str,
    label: &'static str,
    thema: &'static str,
    regeling: Option<&'static str>,
    doelgroep: &'static str,
    levensgebeurtenis: Option<&'static str>,
    aandrager_type: Option<&'static str>,
    /// Cases at the default volume (254 cases up to 2026-10-31).
    base: f64,
    /// 70% of the cases in the last quarter before the export date.
    rising: bool,
    /// All cases in the last half year before the export date.
    last_half_year: bool,
    /// The first cases go to this many distinct organisations.
    distinct_orgs: usize,
    /// Only the text is shared; the codes are drawn like those of any case.
    pub(super) text_only: bool,
}

/// A case's place in a planted thread.
#[derive(Clone, Copy)]
pub(super) struct Member<'a> {
    pub(super) spec: &'a ThreadSpec,
    /// Position of the case among the cases of the thread (generation order).
    pub(super) pos: usize,
    /// Where the first cases start in the list of eligible organisations.
    pub(super) org_offset: usize,
}

impl ThreadSpec {
    /// Attribute -> code that all cases of the thread share.
    pub(super) fn pattern(&self) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        if self.text_only {
            return p;
        }
        p.insert("thema".to_string(), self.thema.to_string());
        p.insert("doelgroep".to_string(), self.doelgroep.to_string());
        if let Some(r) = self.regeling {
            p.insert("regeling".to_string(), r.to_string());
        }
        if let Some(l) = self.levensgebeurtenis {
            p.insert("levensgebeurtenis".to_string(), l.to_string());
        }
        if let Some(a) = self.aandrager_type {
            p.insert("aandrager_type".to_string(), a.to_string());
        }
        p
    }

    /// Receipt date of a case of this thread: like any case, or for a rising thread
    /// mostly in the last quarter before the export date.
    pub(super) fn receipt_date(&self, rng: &mut Rng, cdf: &DayCdf, end: NaiveDate) -> NaiveDate {
        if self.last_half_year {
            let start = (end - Duration::days(182)).max(start_date());
            let span = (end - start).num_days();
            return start + Duration::days(rng.range(0, span));
        }
        if self.rising && rng.chance(0.7) {
            let last_quarter_start = (end - Duration::days(91)).max(start_date());
            let span = (end - last_quarter_start).num_days();
            last_quarter_start + Duration::days(rng.range(0, span))
        } else {
            cdf.sample(rng)
        }
    }
}

pub(super) fn thread_specs() -> Vec<ThreadSpec> {
    vec![
        ThreadSpec {
            id: "D1",
            label: "Terugvordering huurtoeslag bij ouderen na pensionering",
            thema: "toeslagen.terugvordering",
            regeling: Some("huurtoeslag"),
            doelgroep: "ouderen",
            levensgebeurtenis: Some("pensioen"),
            aandrager_type: None,
            base: 12.0,
            rising: false,
            last_half_year: false,
            distinct_orgs: 4,
            text_only: false,
        },
        ThreadSpec {
            id: "D2",
            label: "Beslag onder de beslagvrije voet tijdens een schuldhulptraject",
            thema: "invordering.beslag_bestaansminimum",
            regeling: None,
            doelgroep: "schulden",
            levensgebeurtenis: None,
            aandrager_type: Some("schuldhulpverlening"),
            base: 10.0,
            rising: false,
            last_half_year: false,
            distinct_orgs: 4,
            text_only: false,
        },
        ThreadSpec {
            id: "D3",
            label: "Ouderen lopen vast op DigiD en machtigen",
            thema: "dienstverlening.digid_machtiging",
            regeling: None,
            doelgroep: "ouderen",
            levensgebeurtenis: None,
            aandrager_type: Some("ouderenorganisatie"),
            base: 10.0,
            rising: false,
            last_half_year: false,
            distinct_orgs: 4,
            text_only: false,
        },
        ThreadSpec {
            id: "D4",
            label: "Zzp'ers kunnen de betalingsregeling voor de coronaschuld niet volhouden",
            thema: "ondernemers.uitstel_coronaschuld",
            regeling: None,
            doelgroep: "zzp",
            levensgebeurtenis: None,
            aandrager_type: None,
            base: 14.0,
            rising: true,
            last_half_year: false,
            distinct_orgs: 4,
            text_only: false,
        },
        ThreadSpec {
            id: "D5",
            label: "Terugvordering kinderopvangtoeslag bij alleenstaande ouders na scheiding",
            thema: "toeslagen.kinderopvang",
            regeling: None,
            doelgroep: "alleenstaande_ouder",
            levensgebeurtenis: Some("scheiding"),
            aandrager_type: None,
            base: 11.0,
            rising: false,
            last_half_year: false,
            distinct_orgs: 4,
            text_only: false,
        },
        ThreadSpec {
            id: "D6",
            label: "Nieuwkomers krijgen invoerrechten op persoonlijke spullen",
            thema: "douane.invoer",
            regeling: Some("douane"),
            doelgroep: "nieuwkomer",
            levensgebeurtenis: None,
            aandrager_type: None,
            base: 9.0,
            rising: false,
            last_half_year: true,
            distinct_orgs: 7,
            text_only: false,
        },
        ThreadSpec {
            id: "D7",
            label: "De machtiging van de helper wordt niet geaccepteerd",
            thema: "",
            regeling: None,
            doelgroep: "",
            levensgebeurtenis: None,
            aandrager_type: None,
            base: 10.0,
            rising: false,
            last_half_year: true,
            distinct_orgs: 6,
            text_only: true,
        },
    ]
}

/// Cases per thread: proportional to the volume, at least 8 once n >= 120, at most a third of n.
pub(super) fn planted_counts(specs: &[ThreadSpec], n: usize, n_default: usize) -> Vec<usize> {
    let scale = if n_default == 0 {
        0.0
    } else {
        n as f64 / n_default as f64
    };
    let floor = 8.min(n / 15);
    let mut counts: Vec<usize> = specs
        .iter()
        .map(|s| ((s.base * scale).round() as usize).max(floor))
        .collect();
    let total: usize = counts.iter().sum();
    if total > n / 3 {
        let f = (n / 3) as f64 / total as f64;
        for c in &mut counts {
            *c = (*c as f64 * f).floor() as usize;
        }
    }
    counts
}

/// Per thread, where its first cases start in its list of eligible organisations.
pub(super) fn org_offsets(seed: u64, threads: usize) -> Vec<usize> {
    (0..threads)
        .map(|k| Rng::stream(seed, 3, k as u64).below(1 << 20))
        .collect()
}

/// The attributes of a planted case: the thread's pattern plus some noise.
pub(super) fn thread_attributes(rng: &mut Rng, c: &mut Case, m: Member, orgs: &Orgs) {
    let spec = m.spec;
    c.thema = Code::new(spec.thema);
    (c.aandrager_type, c.aandrager_id) = thread_helper_of(rng, m, orgs);
    let (dienst, regeling) = service_and_scheme(rng, &c.thema);
    c.dienst = Some(crate::model::Service::parse(&dienst).expect("code uit het invoercontract"));
    c.regeling = spec.regeling.map(Code::new).or(regeling);
    c.doelgroep = vec![Code::new(spec.doelgroep)];
    if spec.thema.starts_with("ondernemers.") && !matches!(spec.doelgroep, "zzp" | "mkb") {
        c.doelgroep.push(Code::new("mkb"));
    }
    if rng.chance(0.3) {
        push_distinct(&mut c.doelgroep, rng.weighted(DOELGROEP_WEIGHTS));
    }
    if spec.thema.starts_with("invordering.") && rng.chance(0.3) {
        push_distinct(&mut c.doelgroep, "laaggeletterd");
    }
    c.levensgebeurtenis = Some(match spec.levensgebeurtenis {
        Some(l) => Code::new(l),
        None => draw_life_event(rng),
    });
}

/// The helper of a planted case whose codes are drawn like any case's (a text-only thread).
pub(super) fn thread_helper(rng: &mut Rng, c: &mut Case, m: Member, orgs: &Orgs) {
    (c.aandrager_type, c.aandrager_id) = thread_helper_of(rng, m, orgs);
}

/// Aandrager type and organisation of a planted case. The first cases of a thread go to
/// distinct organisations; a thread without a fixed type partly comes in through the
/// general intake channels.
fn thread_helper_of(rng: &mut Rng, m: Member, orgs: &Orgs) -> (Code, Option<Code>) {
    let eligible = orgs.eligible(m.spec.aandrager_type);
    let org = if m.pos < eligible.len().min(m.spec.distinct_orgs) {
        eligible[spread_index(m.pos, m.org_offset, eligible.len())]
    } else if m.spec.aandrager_type.is_none() && m.spec.distinct_orgs <= 4 && rng.chance(0.3) {
        return orgs.draw_aandrager(rng);
    } else {
        eligible[rng.weighted_index(eligible.iter().map(|o| o.weight))]
    };
    (Code::new(org.typ), Some(org.id))
}

/// The `pos`-th distinct organisation of a thread: steps of about 0,62 of the list (coprime
/// with its length, so the first `len` steps are all different). The list is ordered by
/// type, so consecutive organisations would mostly share their type and a thread would carry
/// an aandrager type pattern nobody planted.
fn spread_index(pos: usize, offset: usize, len: usize) -> usize {
    let gcd = |mut a: usize, mut b: usize| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let mut stride = ((len as f64 * 0.618).round() as usize).max(1);
    while gcd(stride, len) != 1 {
        stride += 1;
    }
    (offset + pos * stride) % len
}

/// The planted threads with the ids of their cases (sorted); threads without cases are left out.
pub(super) fn ground_truth(
    specs: &[ThreadSpec],
    cases: &[Case],
    intake: &Intake,
) -> Vec<PlantedThread> {
    let mut ids: Vec<Vec<String>> = vec![Vec::new(); specs.len()];
    for (c, &(_, g)) in cases.iter().zip(&intake.keys) {
        if let Some((k, _)) = intake.owner[g as usize] {
            ids[k as usize].push(c.casus_id.clone());
        }
    }
    specs
        .iter()
        .zip(ids)
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(spec, mut ids)| {
            ids.sort();
            PlantedThread {
                id: spec.id.to_string(),
                label: spec.label.to_string(),
                patroon: spec.pattern(),
                casus_ids: ids,
            }
        })
        .collect()
}

/// `geplante-draden.json`: pretty JSON with a final newline.
pub(super) fn ground_truth_json(threads: &[PlantedThread]) -> io::Result<Vec<u8>> {
    let mut json = serde_json::to_vec_pretty(threads).map_err(io::Error::other)?;
    json.push(b'\n');
    Ok(json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::tests::{d, opts, tmp_dir};
    use crate::sample::{generate, write_canonical};
    use chrono::Datelike;
    use std::collections::BTreeSet;

    fn matches_pattern(c: &Case, p: &BTreeMap<String, String>) -> bool {
        p.iter().all(|(k, v)| match k.as_str() {
            "thema" => &c.thema == v,
            "regeling" => c.regeling.is_some_and(|r| r == *v),
            "doelgroep" => c.doelgroep.iter().any(|g| g == v),
            "levensgebeurtenis" => c.levensgebeurtenis.is_some_and(|l| l == *v),
            "aandrager_type" => &c.aandrager_type == v,
            "dienst" => c.dienst.map(|d| d.as_str()) == Some(v.as_str()),
            _ => panic!("unknown attribute {k}"),
        })
    }

    #[test]
    fn planted_threads_are_the_ground_truth() {
        for seed in 0..6 {
            let data = generate(&opts(seed, None, true));
            assert_eq!(data.planted.len(), 7);
            let ids: Vec<&str> = data.planted.iter().map(|t| t.id.as_str()).collect();
            assert_eq!(ids, ["D1", "D2", "D3", "D4", "D5", "D6", "D7"]);
            let by_id: BTreeMap<&str, &Case> = data
                .cases
                .iter()
                .map(|c| (c.casus_id.as_str(), c))
                .collect();
            let mut all_planted = BTreeSet::new();
            for t in &data.planted {
                assert!(
                    (8..=25).contains(&t.casus_ids.len()),
                    "{}: {}",
                    t.id,
                    t.casus_ids.len()
                );
                if t.id == "D7" {
                    assert!(t.patroon.is_empty(), "a text-only thread shares no codes");
                } else {
                    assert!((2..=4).contains(&t.patroon.len()));
                }
                let cases: Vec<&Case> = t.casus_ids.iter().map(|i| by_id[i.as_str()]).collect();
                let orgs: BTreeSet<_> = cases.iter().filter_map(|c| c.aandrager_id).collect();
                assert!(orgs.len() >= 3, "{}: {} organisations", t.id, orgs.len());
                for c in &cases {
                    assert!(matches_pattern(c, &t.patroon), "{} {}", t.id, c.casus_id);
                    all_planted.insert(c.casus_id.as_str());
                }
                assert!(cases.iter().any(|c| c.ontvangen_op.year() == 2026));
                if matches!(t.id.as_str(), "D6" | "D7") {
                    // One half year, from at least 6 helpers.
                    let start = d(2026, 10, 31) - Duration::days(182);
                    assert!(cases.iter().all(|c| c.ontvangen_op >= start), "{}", t.id);
                    assert!(orgs.len() >= 6, "{}: {} organisations", t.id, orgs.len());
                    continue;
                }
                // Background cases that match the whole pattern by chance: hardly any.
                let chance = data
                    .cases
                    .iter()
                    .filter(|c| {
                        matches_pattern(c, &t.patroon) && !t.casus_ids.contains(&c.casus_id)
                    })
                    .count();
                assert!(chance <= 3, "{}: {chance} background cases match", t.id);
            }
            assert_eq!(
                all_planted.len(),
                57 + 9 + 10,
                "threads are disjoint: 12+10+10+14+11+9+10"
            );
            // D4 rises in the last quarter before the export date (expected share of its
            // cases there 0.7 + 0.3 * 70/254 = 0.78); the others follow the intake (0.28).
            let lq = d(2026, 10, 31) - Duration::days(91);
            let shares: Vec<f64> = data
                .planted
                .iter()
                .map(|t| {
                    let late = t
                        .casus_ids
                        .iter()
                        .filter(|i| by_id[i.as_str()].ontvangen_op >= lq)
                        .count();
                    late as f64 / t.casus_ids.len() as f64
                })
                .collect();
            assert!(shares[3] >= 0.55, "D4 late share {}", shares[3]);
            for (k, s) in shares.iter().enumerate().take(5) {
                if k != 3 {
                    assert!(*s <= 0.6 && *s < shares[3], "thread {k} late share {s}");
                }
            }
        }
    }

    #[test]
    fn distinct_organisations_spread_over_the_list() {
        for len in [1, 4, 5, 34] {
            let picks: BTreeSet<usize> = (0..len).map(|p| spread_index(p, 7, len)).collect();
            assert_eq!(picks.len(), len, "all different for len {len}");
        }
        // Seven organisations of the 34 helpers, ordered by type (6, 5, 4, 5, 3, 5, 4, 2):
        // at least four types, where seven in a row give two or three.
        let orgs = Orgs::new();
        let eligible = orgs.eligible(None);
        for offset in 0..34 {
            let types: BTreeSet<&str> = (0..7)
                .map(|p| eligible[spread_index(p, offset, eligible.len())].typ)
                .collect();
            assert!(types.len() >= 4, "offset {offset}: {types:?}");
        }
    }

    #[test]
    fn planted_threads_scale_with_volume() {
        let data = generate(&opts(2, Some(25_400), true));
        let sizes: Vec<usize> = data.planted.iter().map(|t| t.casus_ids.len()).collect();
        assert_eq!(sizes, [1200, 1000, 1000, 1400, 1100, 900, 1000]);
        let small = generate(&opts(2, Some(60), true));
        let sizes: Vec<usize> = small.planted.iter().map(|t| t.casus_ids.len()).collect();
        assert_eq!(
            sizes,
            [2, 2, 2, 2, 2, 2, 2],
            "floor min(8, 60/15) = 4 each, then scaled to a third of 60 in all"
        );
    }

    #[test]
    fn null_sample_has_no_threads_and_no_chance_combinations() {
        let data = generate(&opts(4, None, false));
        assert!(data.planted.is_empty());
        assert_eq!(data.cases.len(), 254);
        let specs = thread_specs();
        for spec in specs.iter().filter(|s| !s.text_only) {
            let p = spec.pattern();
            let n = data.cases.iter().filter(|c| matches_pattern(c, &p)).count();
            assert!(n <= 3, "{}: {n}", spec.id);
        }
        let dir = tmp_dir("null");
        write_canonical(&data, &dir).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("geplante-draden.json")).unwrap(),
            "[]\n"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
