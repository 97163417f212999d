//! The fast building blocks against slow, obviously correct references on random cases.
use super::*;
use crate::util::rng::SplitMix64;
use std::collections::BTreeSet;

/// Reference for the tests: the values of one *wie* dimension in a case, as owned strings.
fn wie_values(c: &Case, dim: &str) -> Vec<String> {
    match dim {
        "doelgroep" => c.doelgroep.iter().map(|g| g.to_string()).collect(),
        "levensgebeurtenis" => c
            .levensgebeurtenis
            .iter()
            .filter(|l| l.as_str() != "geen")
            .map(|l| l.to_string())
            .collect(),
        "aandrager_type" => vec![c.aandrager_type.to_string()],
        "regeling" => c.regeling.iter().map(|r| r.to_string()).collect(),
        "dienst" => c.dienst.iter().map(|d| d.as_str().to_string()).collect(),
        _ => Vec::new(),
    }
}

/// Reference for the tests: the items of one case, (attribute, code) pairs, for the chosen
/// *wie* dimensions.
fn case_items(c: &Case, wie: &[&str]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = vec![("thema_hoofd".into(), c.main_theme().to_string())];
    if c.thema.contains('.') {
        v.push(("thema".into(), c.thema.to_string()));
    }
    for dim in ["regeling", "dienst"] {
        if !wie.contains(&dim) {
            v.extend(wie_values(c, dim).into_iter().map(|x| (dim.to_string(), x)));
        }
    }
    for dim in wie {
        v.extend(wie_values(c, dim).into_iter().map(|x| (dim.to_string(), x)));
    }
    v
}

/// Random cases over few codes, so that codes repeat; with the awkward values: a theme
/// without a dot, "geen", a doelgroep twice, missing regeling, dienst and aandrager_id.
fn random_cases(seed: u64, n: usize) -> Vec<Case> {
    let mut rng = SplitMix64::new(seed);
    let pick = |rng: &mut SplitMix64, v: &[&str]| crate::model::Code::new(v[rng.below(v.len())]);
    let themes = ["a.x", "a.y", "b.x", "b", "c.z.w", "toeslagen"];
    let groups = ["ouderen", "jongeren", "schulden", "ondernemer"];
    let events = ["geen", "scheiding", "pensioen"];
    let types = ["belastingdienst", "balie", "schuldhulpverlening"];
    let services = [
        None,
        Some(Service::Belastingdienst),
        Some(Service::DienstToeslagen),
        Some(Service::Customs),
    ];
    (0..n)
        .map(|k| Case {
            casus_id: format!("C-{k}"),
            thema: pick(&mut rng, &themes),
            regeling: (rng.unit() < 0.7).then(|| pick(&mut rng, &["huur", "zorg", "ib"])),
            dienst: services[rng.below(services.len())],
            doelgroep: (0..rng.below(4)).map(|_| pick(&mut rng, &groups)).collect(),
            levensgebeurtenis: (rng.unit() < 0.8).then(|| pick(&mut rng, &events)),
            aandrager_type: pick(&mut rng, &types),
            aandrager_id: (rng.unit() < 0.6).then(|| format!("ORG-{}", rng.below(7)).into()),
            ..Default::default()
        })
        .collect()
}

fn wie_choices() -> Vec<Vec<&'static str>> {
    vec![
        vec!["doelgroep", "levensgebeurtenis", "aandrager_type"],
        vec!["regeling", "doelgroep"],
        vec!["aandrager_type", "dienst", "regeling", "levensgebeurtenis"],
        vec![],
    ]
}

#[test]
fn encoding_matches_the_string_items() {
    for seed in 0..20 {
        let cases = random_cases(seed, 1 + seed as usize * 37);
        let refs: Vec<&Case> = cases.iter().collect();
        for wie in wie_choices() {
            let (items, flat) = encode(&refs, &wie);
            let mut reference = Items::default();
            let expected: Vec<Vec<u32>> = refs
                .iter()
                .map(|c| {
                    let mut t: Vec<u32> = case_items(c, &wie)
                        .into_iter()
                        .map(|i| reference.id(i))
                        .collect();
                    t.sort_unstable();
                    t.dedup();
                    t
                })
                .collect();
            assert_eq!(items.names, reference.names, "seed {seed} {wie:?}");
            assert_eq!(flat.len(), expected.len());
            for (k, t) in expected.iter().enumerate() {
                assert_eq!(flat.get(k), &t[..], "seed {seed} {wie:?} case {k}");
            }
        }
    }
}

#[test]
fn dropping_items_keeps_the_rest_in_order() {
    let cases = random_cases(3, 200);
    let refs: Vec<&Case> = cases.iter().collect();
    let (items, flat) = encode(&refs, &wie_choices()[0]);
    let dropped: Vec<bool> = (0..items.names.len()).map(|i| i % 3 == 1).collect();
    let kept = drop_items(&flat, &dropped);
    for k in 0..flat.len() {
        let expected: Vec<u32> = flat
            .get(k)
            .iter()
            .copied()
            .filter(|&i| i % 3 != 1)
            .collect();
        assert_eq!(kept.get(k), &expected[..]);
    }
}

#[test]
fn helpers_are_numbered_by_name() {
    for seed in 0..10 {
        let cases = random_cases(seed, 50 + seed as usize * 11);
        let refs: Vec<&Case> = cases.iter().collect();
        let h = Helpers::new(&refs);
        let names: Vec<&str> = refs
            .iter()
            .map(|c| helper_of(c))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for (row, c) in refs.iter().enumerate() {
            assert_eq!(names[h.of_case[row] as usize], helper_of(c));
        }
        assert_eq!(h.cases.len(), names.len());
        for (k, rows) in h.cases.iter().enumerate() {
            let expected: Vec<u32> = (0..refs.len() as u32)
                .filter(|&r| helper_of(refs[r as usize]) == names[k])
                .collect();
            assert_eq!(rows, &expected);
        }
    }
}

/// The cross tables as the workflow rule built them before: owned strings per case.
fn theme_cells_reference(cases: &[&Case], dim: &str) -> BTreeMap<(String, String), u64> {
    let mut cells = BTreeMap::new();
    for c in cases {
        for v in wie_values(c, dim) {
            *cells.entry((c.thema.to_string(), v)).or_default() += 1;
        }
    }
    cells
}

#[test]
fn workflow_cells_match_a_count_per_case() {
    let dims: Vec<String> = ["doelgroep", "levensgebeurtenis", "aandrager_type", "dienst"]
        .iter()
        .map(|d| d.to_string())
        .collect();
    for seed in 0..10 {
        let cases = random_cases(seed, 30 + seed as usize * 53);
        let refs: Vec<&Case> = cases.iter().collect();
        let cells = theme_cells(&refs, &dims);
        for (dim, got) in dims.iter().zip(&cells) {
            // Numbers are by first appearance; compare as (theme, value) names.
            let mut themes: Vec<&str> = Vec::new();
            let mut values: Vec<String> = Vec::new();
            for c in &refs {
                if !themes.contains(&c.thema.as_str()) {
                    themes.push(&c.thema);
                }
                for v in wie_values(c, dim) {
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
            }
            let named: BTreeMap<(String, String), u64> = got
                .iter()
                .map(|(&(r, k), &x)| {
                    (
                        (themes[r as usize].to_string(), values[k as usize].clone()),
                        x,
                    )
                })
                .collect();
            assert_eq!(
                named,
                theme_cells_reference(&refs, dim),
                "seed {seed} {dim}"
            );
        }
    }
}

/// The intake-channel rule as it was written first: the cases grouped per theme.
fn channel_cells_reference(cases: &[&Case], cfg: &Config) -> Vec<Workflow> {
    let mut per_theme: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
    for c in cases {
        per_theme.entry(c.thema.as_str()).or_default().push(c);
    }
    per_theme
        .into_iter()
        .filter_map(|(t, members)| {
            let mut types: BTreeMap<&str, u64> = BTreeMap::new();
            for c in &members {
                *types.entry(c.aandrager_type.as_str()).or_default() += 1;
            }
            let n = members.len() as u64;
            let (typ, k) = types.into_iter().max_by_key(|(_, k)| *k)?;
            let none = members.iter().all(|c| c.dienst.is_none());
            let channel =
                n >= cfg.draden.min_casussen as u64 && nearly_all(k, n) && own_service(none, typ);
            channel.then(|| Workflow {
                wat: t.to_string(),
                wie: format!("aandrager_type={typ}"),
                cramers_v: None,
                aandeel: Some(k as f64 / n as f64),
            })
        })
        .collect()
}

#[test]
fn channels_match_the_rule_per_theme() {
    let cfg = Config::default_config();
    let mut found = 0;
    for seed in 0..40 {
        // Few cases and one type per theme now and then, so that channels occur.
        let mut cases = random_cases(seed, 4 + seed as usize % 9);
        if seed % 2 == 0 {
            for c in &mut cases {
                c.aandrager_type = "belastingdienst".into();
                if seed % 4 == 0 {
                    c.dienst = None;
                }
            }
        }
        let refs: Vec<&Case> = cases.iter().collect();
        let expected = channel_cells_reference(&refs, &cfg);
        found += expected.len();
        assert_eq!(channel_cells(&refs, &cfg), expected, "seed {seed}");
    }
    assert!(found > 0, "the cases never made a channel");
}

#[test]
fn share_most_matches_a_set_intersection() {
    let mut rng = SplitMix64::new(11);
    for round in 0..2000 {
        let n = 1 + rng.below(60) as u32;
        let (px, py) = (rng.unit(), rng.unit());
        let x: Vec<u32> = (0..n).filter(|_| rng.unit() < px).collect();
        let y: Vec<u32> = (0..n).filter(|_| rng.unit() < py).collect();
        let share = [0.8, 0.5, 1.0, 0.0][round % 4];
        let (sx, sy): (BTreeSet<u32>, BTreeSet<u32>) =
            (x.iter().copied().collect(), y.iter().copied().collect());
        let inter = sx.intersection(&sy).count() as f64;
        let expected = inter / (sx.len().min(sy.len()) as f64) >= share;
        assert_eq!(share_most(&x, &y, share), expected, "{x:?} {y:?} {share}");
        assert_eq!(share_most(&y, &x, share), expected);
    }
}

#[test]
fn ic025_decision_and_value_match_the_full_measures() {
    let mut rng = SplitMix64::new(5);
    let mut memo = Quantiles::default();
    let mut above = 0;
    for _ in 0..3000 {
        let n = 1 + rng.below(5000) as u64;
        let nx = rng.below(n as usize + 1) as u64;
        let ny = rng.below(n as usize + 1) as u64;
        let lo = (nx + ny).saturating_sub(n);
        let a = lo + rng.below((nx.min(ny) - lo) as usize + 1) as u64;
        let t = table_of(a, nx, ny, n).expect("valid margins");
        let full = stats::disproportionality(&t).ic025;
        assert_eq!(memo.ic025(&t).to_bits(), full.to_bits(), "{t:?}");
        for min in [0.0, -0.5, 0.3] {
            assert_eq!(ic025_above(&t, min, &mut memo), full > min, "{t:?} {min}");
            above += usize::from(full > min);
        }
    }
    assert!(above > 100, "too few tables above the bound: {above}");
}

#[test]
fn support_lookup_sorts_and_deduplicates() {
    let cases = random_cases(7, 400);
    let refs: Vec<&Case> = cases.iter().collect();
    let mut cfg = Config::default_config();
    cfg.draden.min_casussen = 2;
    let m = mine(&refs, &cfg, &wie_choices()[0]).expect("cases");
    assert!(m.freq.iter().any(|f| f.items.len() >= 3));
    for f in &m.freq {
        let mut v: Vec<u32> = f.items.iter().rev().copied().collect();
        v.push(f.items[0]);
        assert_eq!(m.sup(&v), f.support, "{v:?}");
        assert_eq!(m.cases_with(&v).len() as u64, f.support);
        let per: u64 = m.per_helper(&f.items).iter().sum();
        assert_eq!(per, f.support);
    }
    // Longer than any stored set, and an unknown combination.
    let many: Vec<u32> = (0..12).collect();
    assert_eq!(m.sup(&many), 0);
    assert_eq!(m.sup(&[]), refs.len() as u64);
}
