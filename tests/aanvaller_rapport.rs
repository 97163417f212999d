//! The reader as attacker on a whole published report, with only the public files.
//!
//! The reader's model lives in the library ([`rodedraad::protect::audit::reader`], run by
//! `rodedraad audit` beside every figure list): it reads the public `tabellen.json` (the
//! machine-readable list of every published figure) and the Markdown report beside it,
//! knows the definitions printed in the report, and writes down every identity a careful
//! reader can: totals of each table, the flow balance, the hierarchy of themes, the
//! intake per quarter summed over the period against the intake per dienst and against
//! the headline total, the cohort rows against the quarter rows, "oplossing = volledig +
//! deels = minnelijk + na escalatie", the withdrawn cases as "afgerond − noemer van
//! oplossing", the escalation levels against the escalated count, every shown percentage
//! beside its denominator, each rode draad's text ("N casussen", "X in de periode, Y
//! eerder", the trend sentence) against its quarter table, the doelgroepen and the
//! yearly targets as inequalities. It solves, for every hidden count and every count it
//! can derive but that is never printed, the smallest and largest value consistent with
//! all of it, over the reals and over the integers (within `NODE_BUDGET` nodes per
//! programme; where the budget runs out the cell is judged on the points found).
//!
//! This file drives it: on the sample data and on random exports of many sizes and
//! seeds, plus a null export without planted threads, and on reports built to break it.
//! A hidden count is safe when its interval is at least `min_cel` wide or its lower
//! bound is at least `min_cel` (the reader learns only that it is not small). The LP
//! solver is shared with the protection stage (it is checked against brute-force
//! enumeration in `tests/aanvaller.rs`); the model is built from the files only.

mod common;

use common::{rising_thread_report, run, stderr, tmp};
use proptest::prelude::*;
use rodedraad::protect::audit::reader;
use rodedraad::protect::audit::reader::model::dutch_int;
use rodedraad::protect::audit::reader::text::between;
use serde_json::Value;
use std::path::Path;

const MIN_CEL: u64 = 5;

fn rows(t: &Value) -> &Vec<Value> {
    t["rijen"].as_array().unwrap()
}

/// The library's reader on the report in `dir` (of `period`: the reader takes the period
/// from the report's text, this checks that it is the one printed), every leak as
/// "name: what the reader learns".
fn attack_report(dir: &Path, period: &str) -> Vec<String> {
    if let Some(md) = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
    {
        let text =
            reader::text::ReportText::from_markdown("r.md", &std::fs::read_to_string(md).unwrap());
        let want: rodedraad::analyse::period::Period = period.parse().unwrap();
        assert_eq!(text.period, Some((want.start, want.end)), "{period}");
    }
    let leaks =
        reader::attack_report(dir, MIN_CEL).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    leaks
        .iter()
        .map(|l| format!("{}: {}", l.name, l.detail))
        .collect()
}

fn report(cases: &str, signals: Option<&str>, period: &str, exportdatum: &str, out: &Path) {
    let mut args = vec![
        "report",
        "--cases",
        cases,
        "--period",
        period,
        "--format",
        "md",
        "--exportdatum",
        exportdatum,
        "--out",
        out.to_str().unwrap(),
    ];
    if let Some(s) = signals {
        args.extend(["--signals", s]);
    }
    let o = run(&args);
    assert!(
        o.status.success(),
        "rapport faalt ({:?}): {}",
        o.status.code(),
        stderr(&o)
    );
}

#[test]
fn the_sample_report_gives_no_small_count_away() {
    let d = tmp("aanval-voorbeeld");
    for period in ["2026-H1", "2025-H2", "2026-Q2"] {
        let out = d.join(period);
        report(
            &common::sample("casussen.csv"),
            Some(&common::sample("signalen.csv")),
            period,
            "2026-10-31",
            &out,
        );
        let leaks = attack_report(&out, period);
        assert!(leaks.is_empty(), "{period}: {leaks:#?}");
    }
}

#[test]
fn the_attacker_finds_a_leak_when_there_is_one() {
    // The attack must be able to fail: publish a table where a hidden cell is the
    // difference of two shown ones and check that it is found.
    let d = tmp("aanval-lek");
    let leaky = serde_json::json!([{
        "id": "instroom-dienst", "titel": "t", "kolommen": ["Dienst", "Nu", "Vorige"], "totaal_kolom": false,
        "voetnoten": [],
        "rijen": [
            {"kop": "A", "cellen": [{"tekst": "20", "soort": "aantal", "waarde": 20.0, "noemer": null, "onderdrukt": false}, {"tekst": "9", "soort": "aantal", "waarde": 9.0, "noemer": null, "onderdrukt": false}], "totaal": false, "deel_van": null},
            {"kop": "B", "cellen": [{"tekst": ".", "soort": "aantal", "waarde": null, "noemer": null, "onderdrukt": true}, {"tekst": "8", "soort": "aantal", "waarde": 8.0, "noemer": null, "onderdrukt": false}], "totaal": false, "deel_van": null},
            {"kop": "Totaal", "cellen": [{"tekst": "23", "soort": "aantal", "waarde": 23.0, "noemer": null, "onderdrukt": false}, {"tekst": "17", "soort": "aantal", "waarde": 17.0, "noemer": null, "onderdrukt": false}], "totaal": true, "deel_van": null}
        ]
    }, {
        "id": "kerncijfers", "titel": "k", "kolommen": ["Indicator", "Waarde", "Basis", "i", "v", "d"], "totaal_kolom": false, "voetnoten": [],
        "rijen": [
            {"kop": "Geëscaleerd", "cellen": [
                {"tekst": "7,9%", "soort": "percentage", "waarde": 0.079, "noemer": 38, "onderdrukt": false},
                {"tekst": ". van 38", "soort": "tekst", "waarde": null, "noemer": null, "onderdrukt": false}
            ], "totaal": false, "deel_van": null}
        ]
    }]);
    std::fs::write(d.join("tabellen.json"), serde_json::to_vec(&leaky).unwrap()).unwrap();
    let leaks = attack_report(&d, "2026-H1");
    assert!(
        leaks.iter().any(|l| l.starts_with("instroom-dienst / B")),
        "{leaks:#?}"
    );
    assert!(
        leaks.iter().any(|l| l.contains("Geëscaleerd / teller")),
        "{leaks:#?}"
    );
}

#[test]
fn the_attacker_reads_thread_texts_doelgroepen_and_targets() {
    // The report of the sample data before the thread text was protected with its
    // quarters: "7 casussen, 6 in de periode" gave "1 eerder". Also a doelgroep of a
    // thread that is at most a hidden group, and a target count pinned by its
    // realisation percentage over a target of 400 (105% gives 418..422, but the count
    // is at most 4 "Behandelen" decisions: a contradiction-free narrow range).
    let d = tmp("aanval-tekst");
    let cell = |t: &str| {
        let hidden = t == ".";
        serde_json::json!({"tekst": t, "soort": "aantal", "waarde": if hidden { serde_json::Value::Null } else { t.parse::<f64>().unwrap().into() }, "noemer": null, "onderdrukt": hidden})
    };
    let text = |t: &str| serde_json::json!({"tekst": t, "soort": "tekst", "waarde": null, "noemer": null, "onderdrukt": false});
    let row = |kop: &str, cellen: Vec<Value>, totaal: bool| serde_json::json!({"kop": kop, "cellen": cellen, "totaal": totaal, "deel_van": null});
    let label = "Kinderopvangtoeslag: alleenstaande ouders";
    let tables = serde_json::json!([
        {"id": "draad-RD-1-kwartalen", "titel": format!("Casussen per kwartaal: {label}"), "kolommen": ["Kwartaal", "Casussen"], "totaal_kolom": false, "voetnoten": [],
         "rijen": [row("2025-Q4", vec![cell(".")], false), row("2026-Q1", vec![cell(".")], false), row("2026-Q2", vec![cell(".")], false), row("Totaal", vec![cell("7")], true)]},
        {"id": "instroom-doelgroep", "titel": "d", "kolommen": ["Doelgroep", "Aantal"], "totaal_kolom": false, "voetnoten": [],
         "rijen": [row("Alleenstaande ouders", vec![cell(".")], false), row("Ouderen", vec![cell("30")], false)]},
        {"id": "triage", "titel": "t", "kolommen": ["Besluit", "Nu", "Vorige"], "totaal_kolom": false, "voetnoten": [],
         "rijen": [row("Behandelen", vec![cell("30"), cell("25")], false), row("Totaal", vec![cell("30"), cell("25")], true)]},
        {"id": "doelrealisatie", "titel": "j", "kolommen": ["Dienst", "In behandeling genomen", "Jaardoel", "Realisatie"], "totaal_kolom": false, "voetnoten": [],
         "rijen": [row("Belastingdienst (2026)", vec![cell("."), text("40"), text("10%")], false)]}
    ]);
    std::fs::write(
        d.join("tabellen.json"),
        serde_json::to_vec(&tables).unwrap(),
    )
    .unwrap();
    let md = format!(
        "# Rapport\nPeriode: 1 januari 2026 tot en met 30 juni 2026 · Peildatum: 30 juni 2026\n\n### {label}\n\n\
         - **Wat gaat er mis, en bij wie:** 7 casussen van 7 aandragers over kinderopvangtoeslag bij alleenstaande ouders. Casussen: 6 in de periode, . eerder.\n\
         - **Hoe vaak:** 7 casussen, van 7 aandragers.\n\n## 4. Verder\n"
    );
    std::fs::write(d.join("kamerrapportage-2026-H1.md"), md).unwrap();
    let leaks = attack_report(&d, "2026-H1");
    assert!(
        leaks.iter().any(|l| l.contains("tekst / eerder")),
        "{leaks:#?}"
    );
    // 6 in the period of a doelgroep of 30 cases in all: [6, 30], wide; the target
    // count: 10% of 40 gives 3,8..4,2, so 4
    assert!(
        !leaks.iter().any(|l| l.contains("Alleenstaande ouders")),
        "{leaks:#?}"
    );
    assert!(
        leaks
            .iter()
            .any(|l| l.contains("doelrealisatie / Belastingdienst")),
        "{leaks:#?}"
    );
}

#[test]
fn a_target_over_two_periods_is_bounded_by_both() {
    // 2026-H2 with peildatum 31 October: the year so far lies in H1 and H2 together, so
    // the cases taken into treatment this year are at most the "Behandelen" decisions
    // of both: 5 + 0. The realisation "1%" of a target of 600 alone gives [3, 9) (6
    // whole counts, safe); with the sum the reader has [3, 5], a small count.
    let d = tmp("aanval-jaardoel");
    let cell = |t: &str| {
        let hidden = t == ".";
        serde_json::json!({"tekst": t, "soort": "aantal", "waarde": if hidden { serde_json::Value::Null } else { t.parse::<f64>().unwrap().into() }, "noemer": null, "onderdrukt": hidden})
    };
    let text = |t: &str| serde_json::json!({"tekst": t, "soort": "tekst", "waarde": null, "noemer": null, "onderdrukt": false});
    let row = |kop: &str, cellen: Vec<Value>, totaal: bool| serde_json::json!({"kop": kop, "cellen": cellen, "totaal": totaal, "deel_van": null});
    let write = |now: &str, before: &str| {
        let tables = serde_json::json!([
            {"id": "triage", "titel": "t", "kolommen": ["Besluit", "Nu", "Vorige"], "totaal_kolom": false, "voetnoten": [],
             "rijen": [row("Behandelen", vec![cell(now), cell(before)], false), row("Afwijzen", vec![cell("20"), cell("30")], false),
                       row("Totaal", vec![cell(&(20 + now.parse::<u64>().unwrap()).to_string()), cell(&(30 + before.parse::<u64>().unwrap()).to_string())], true)]},
            {"id": "doelrealisatie", "titel": "j", "kolommen": ["Dienst", "In behandeling genomen", "Jaardoel", "Realisatie"], "totaal_kolom": false, "voetnoten": [],
             "rijen": [row("Belastingdienst (2026)", vec![cell("."), text("600"), text("1%")], false)]}
        ]);
        std::fs::write(
            d.join("tabellen.json"),
            serde_json::to_vec(&tables).unwrap(),
        )
        .unwrap();
    };
    std::fs::write(
        d.join("kamerrapportage-2026-H2.md"),
        "# Rapport\nPeriode: 1 juli 2026 tot en met 31 december 2026 · Peildatum: 31 oktober 2026\n",
    )
    .unwrap();
    write("5", "0");
    let leaks = attack_report(&d, "2026-H2");
    assert!(
        leaks
            .iter()
            .any(|l| l.contains("doelrealisatie / Belastingdienst")),
        "{leaks:#?}"
    );
    // with more decisions the same percentage leaves the count wide enough
    write("5", "10");
    let leaks = attack_report(&d, "2026-H2");
    assert!(leaks.is_empty(), "{leaks:#?}");
}

#[test]
fn the_attacker_reads_the_sentence_of_a_trend_thread() {
    // "In 2026-Q2 kwamen 3 casussen binnen" beside a hidden 2026-Q2: the window of the
    // last three months of 2026-H1 is that quarter, so the 3 is its count. The mean over
    // the earlier quarters beside hidden quarters breaks the rule too.
    let d = tmp("aanval-trend");
    let cell = |t: &str| {
        let hidden = t == ".";
        serde_json::json!({"tekst": t, "soort": "aantal", "waarde": if hidden { serde_json::Value::Null } else { t.parse::<f64>().unwrap().into() }, "noemer": null, "onderdrukt": hidden})
    };
    let row = |kop: &str, cellen: Vec<Value>, totaal: bool| serde_json::json!({"kop": kop, "cellen": cellen, "totaal": totaal, "deel_van": null});
    let label = "Stijging: Terugvordering van toeslagen";
    let table = |q2: &str| {
        serde_json::json!([
            {"id": "draad-RD-2-kwartalen", "titel": format!("Casussen per kwartaal: {label}"), "kolommen": ["Kwartaal", "Casussen"], "totaal_kolom": false, "voetnoten": [],
             "rijen": [row("2025-Q4", vec![cell(".")], false), row("2026-Q1", vec![cell("9")], false), row("2026-Q2", vec![cell(q2)], false), row("Totaal", vec![cell("14")], true)]}
        ])
    };
    let md = |a: &str, mean: &str| {
        format!(
            "# Rapport\nPeriode: 1 januari 2026 tot en met 30 juni 2026 · Peildatum: 30 juni 2026\n\n### {label}\n\n\
             - **Wat gaat er mis, en bij wie:** In 2026-Q2 kwamen {a} casussen binnen over terugvordering van toeslagen, tegen gemiddeld {mean} per kwartaal ervoor (herschaald naar de huidige instroom); 14 casussen in totaal van 9 aandragers. Hoeveel daarvan in de periode vielen, tonen we niet.\n\
             - **Hoe vaak:** 14 casussen, van 9 aandragers.\n\n## 4. Verder\n"
        )
    };
    let write = |q2: &str, a: &str, mean: &str| {
        std::fs::write(
            d.join("tabellen.json"),
            serde_json::to_vec(&table(q2)).unwrap(),
        )
        .unwrap();
        std::fs::write(d.join("kamerrapportage-2026-H1.md"), md(a, mean)).unwrap();
        attack_report(&d, "2026-H1")
    };
    let leaks = write(".", "3", "2,5");
    assert!(leaks.iter().any(|l| l.contains("2026-Q2")), "{leaks:#?}");
    assert!(leaks.iter().any(|l| l.contains("gemiddelde")), "{leaks:#?}");
    // the same report with the count and the mean hidden gives nothing away
    let leaks = write(".", "enkele", "minder");
    assert!(
        !leaks
            .iter()
            .any(|l| l.contains("2026-Q2") || l.contains("gemiddelde")),
        "{leaks:#?}"
    );
}

/// The trend sentence of a published rising thread: (markdown file, its count).
fn trend_sentence(out: &Path) -> (std::path::PathBuf, String, u64) {
    let md = std::fs::read_dir(out)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let text = std::fs::read_to_string(&md).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("Wat gaat er mis") && l.contains(" casussen binnen"))
        .unwrap_or_else(|| panic!("no trend thread in {}", md.display()));
    let a = between(line, "kwamen ", " casussen binnen").unwrap();
    let a = dutch_int(a).unwrap_or_else(|| panic!("the count is not printed: {line}"));
    (md, text, a)
}

#[test]
fn a_real_rising_thread_gives_no_small_count_away() {
    // Generated exports in which the planted rising thread D4 is published with its
    // sentence "In de laatste drie maanden ... kwamen N casussen binnen" (seeds and periods
    // found by running the generator): the reader links N to the quarters of the thread's
    // protected table, and finds nothing.
    let d = tmp("aanval-stijging");
    for (seed, period) in [(1, "2026-H2"), (3, "2026-H2"), (9, "2026-Q3")] {
        let out = rising_thread_report(&d, seed, period);
        let (_, _, a) = trend_sentence(&out);
        assert!(a >= MIN_CEL, "seed {seed}: {a}");
        let tables = std::fs::read_to_string(out.join("tabellen.json")).unwrap();
        assert!(
            tables.contains("Casussen per kwartaal: Stijging"),
            "seed {seed}"
        );
        let leaks = attack_report(&out, period);
        assert!(leaks.is_empty(), "seed {seed} {period}: {leaks:#?}");
    }
}

#[test]
fn the_sentence_of_a_real_rising_thread_is_read() {
    // Seed 9, 2026-Q3 at 31 October: the thread's last three months of the period are
    // exactly 2026-Q3, so its sentence "kwamen 10 casussen binnen" is that quarter's
    // count, shown in its table as 10; the split over the period is not printed. Had the
    // table hidden 2026-Q3 and the sentence said total - 1, the other hidden quarters
    // would hold at most 1 together (each in [0, 1]): the reader must find that, so it
    // reads the real sentence and links it to the real table.
    let d = tmp("aanval-stijging-lek");
    let period = "2026-Q3";
    let out = rising_thread_report(&d, 9, period);
    assert!(attack_report(&out, period).is_empty());
    let (md, text, a) = trend_sentence(&out);
    let path = out.join("tabellen.json");
    let mut tables: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let thread = tables
        .iter_mut()
        .find(|t| t["titel"].as_str().is_some_and(|s| s.contains("Stijging")))
        .unwrap();
    let total = rows(thread)
        .iter()
        .find(|r| r["kop"] == "Totaal")
        .and_then(|r| r["cellen"][0]["waarde"].as_f64())
        .unwrap() as u64;
    let quarter = thread["rijen"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["kop"] == "2026-Q3")
        .unwrap();
    assert_eq!(quarter["cellen"][0]["waarde"].as_f64(), Some(a as f64));
    assert!(a + 1 < total, "{a} {total}");
    quarter["cellen"][0] = serde_json::json!({"tekst": ".", "soort": "aantal", "waarde": null, "noemer": null, "onderdrukt": true});
    let others_hidden = rows(thread)
        .iter()
        .filter(|r| r["kop"] != "2026-Q3" && r["cellen"][0]["onderdrukt"] == true)
        .count();
    assert!(others_hidden > 0);
    std::fs::write(&path, serde_json::to_vec(&tables).unwrap()).unwrap();
    // with the true count the hidden 2026-Q3 is 10 again: not small, nothing found
    assert!(attack_report(&out, period).is_empty());
    let tampered = text.replacen(
        &format!("kwamen {a} casussen binnen"),
        &format!("kwamen {} casussen binnen", total - 1),
        1,
    );
    std::fs::write(&md, tampered).unwrap();
    let leaks = attack_report(&out, period);
    assert!(
        leaks
            .iter()
            .any(|l| l.contains("draad-") && l.contains("tussen 0")),
        "{leaks:#?}"
    );
}

/// A fixed seed: the same 8 exports on every run, so a failure in CI can be replayed.
/// Other exports: `AANVAL_SEED=<n> AANVAL_CASES=<n> cargo test --release --test
/// aanvaller_rapport`.
fn attack_config() -> ProptestConfig {
    common::replayable("AANVAL", 20261130, 8)
}

proptest! {
    #![proptest_config(attack_config())]

    /// Random exports of many sizes and seeds, with and without planted threads.
    #[test]
    fn random_exports_give_no_small_count_away(
        seed in 1u64..1_000_000,
        cases in 40usize..400,
        null in any::<bool>(),
        period in prop::sample::select(vec!["2026-H1", "2026-Q1", "2025-H2", "2026-Q2"]),
    ) {
        let d = tmp(&format!("aanval-{seed}-{cases}"));
        let mut args = vec!["sample".to_string(), "--seed".into(), seed.to_string(), "--cases".into(), cases.to_string(),
            "--out".into(), d.join("data").display().to_string(), "--excel".into(), "false".into()];
        if null {
            args.push("--zonder-draden".into());
        }
        let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        let o = run(&args);
        prop_assert!(o.status.success(), "{}", stderr(&o));
        let cases_file = d.join("data/casussen.csv").display().to_string();
        let signals_file = d.join("data/signalen.csv").display().to_string();
        let out = d.join("rapport");
        report(&cases_file, Some(&signals_file), period, "2026-10-31", &out);
        let leaks = attack_report(&out, period);
        prop_assert!(leaks.is_empty(), "seed {} cases {} {}: {:#?}", seed, cases, period, leaks);
        let _ = std::fs::remove_dir_all(&d);
    }
}
