//! End-to-end tests of `rodedraad check` on the broken-input corpus and the samples.

mod common;
use common::*;

fn check(file: &str, out: &std::path::Path) -> std::process::Output {
    run(&[
        "check",
        "--cases",
        file,
        "--out",
        out.to_str().unwrap(),
        "--exportdatum",
        "2026-10-31",
        "--json",
    ])
}

fn summary(out: &std::path::Path) -> serde_json::Value {
    read_json(&out.join("controle.json"))["invoer"][0].clone()
}

fn quarantine(out: &std::path::Path) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(out.join("quarantaine-casussen.csv")).unwrap();
    r.records().map(|x| x.unwrap()).collect()
}

#[test]
fn missing_required_column_stops_with_exit_3_and_writes_nothing() {
    let out = tmp("missing");
    let o = check(&corpus("ontbrekende-kolom.csv"), &out);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("ontbrekende-kolom.csv")
            && e.contains("thema")
            && e.contains("[casussen.kolommen]"),
        "{e}"
    );
    assert!(!out.join("controle.json").exists());
}

#[test]
fn empty_and_header_only_files_stop_with_exit_3() {
    for f in ["leeg.csv", "alleen-kop.csv"] {
        let out = tmp(f);
        let o = check(&corpus(f), &out);
        assert_eq!(o.status.code(), Some(3), "{f}: {}", stderr(&o));
        assert!(stderr(&o).contains(f));
    }
}

#[test]
fn wrong_and_impossible_dates_are_quarantined_with_reasons() {
    let out = tmp("dates");
    let o = check(&corpus("datums.csv"), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&out);
    assert_eq!(
        (
            s["gelezen"].as_u64(),
            s["geaccepteerd"].as_u64(),
            s["in_quarantaine"].as_u64()
        ),
        (Some(7), Some(1), Some(6))
    );
    let q = quarantine(&out);
    let by_id = |id: &str| {
        q.iter()
            .find(|r| &r[4] == id)
            .unwrap_or_else(|| panic!("{id} not in quarantine"))
            .clone()
    };
    assert!(by_id("C-3")[3].contains("geen geldige datum"));
    assert_eq!(
        &by_id("C-3")[1],
        "3",
        "row number as Excel shows it (header = 1)"
    );
    assert!(by_id("C-4")[3].contains("31-02-2025"));
    assert!(by_id("C-5")[3].contains("triage_op: ligt vóór ontvangen_op"));
    assert!(by_id("C-6")[3].contains("na de exportdatum"));
    assert!(by_id("C-8")[3].contains("geen einduitkomst"));
    // One notation per column: the column is ISO, so a Dutch date in it is not guessed.
    assert!(by_id("C-7")[3].contains("notatie van deze kolom, %Y-%m-%d"));
    assert_eq!(&by_id("C-8")[2], "afgerond_op");
    // original values untouched
    assert_eq!(&by_id("C-4")[5], "31-02-2025");
}

#[test]
fn unknown_codes_get_a_suggestion_and_normalised_codes_match() {
    let out = tmp("codes");
    check(&corpus("onbekende-codes.csv"), &out);
    let s = summary(&out);
    assert_eq!(
        (s["geaccepteerd"].as_u64(), s["in_quarantaine"].as_u64()),
        (Some(2), Some(2))
    );
    let q = quarantine(&out);
    let reasons: Vec<String> = q.iter().map(|r| r[3].to_string()).collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("\"sociaal raadsman\"") && r.contains("sociaal_raadslieden")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("toeslagen.onbestaand")));
}

#[test]
fn duplicate_ids_point_at_the_first_row() {
    let out = tmp("dups");
    check(&corpus("dubbele-ids.csv"), &out);
    let q = quarantine(&out);
    assert_eq!(q.len(), 1);
    assert_eq!(&q[0][1], "4");
    assert!(
        q[0][3].contains("dubbel") && q[0][3].contains("rij 2"),
        "{:?}",
        &q[0]
    );
}

#[test]
fn ragged_rows_are_quarantined_and_extra_fields_kept() {
    let out = tmp("ragged");
    check(&corpus("rafelige-rijen.csv"), &out);
    let s = summary(&out);
    assert_eq!(
        (s["gelezen"].as_u64(), s["in_quarantaine"].as_u64()),
        (Some(4), Some(2))
    );
    let q = quarantine(&out);
    assert!(q.iter().all(|r| r[3].contains("velden")));
    let header = csv::Reader::from_path(out.join("quarantaine-casussen.csv"))
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    let extra = header
        .iter()
        .position(|h| h == "extra velden")
        .expect("extra column");
    assert!(q.iter().any(|r| &r[extra] == "extra,velden"));
}

#[test]
fn windows_1252_without_bom_with_semicolons_and_newlines_in_cells() {
    let out = tmp("cp1252");
    let o = check(&corpus("windows-1252.csv"), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&out);
    assert_eq!(s["geaccepteerd"].as_u64(), Some(2));
    assert_eq!(s["codering"].as_str(), Some("windows-1252"));
    assert_eq!(s["scheidingsteken"].as_str(), Some(";"));
}

#[test]
fn a_cell_of_one_megabyte_is_fine() {
    let out = tmp("big");
    let f = out.join("groot.csv");
    let big = "x".repeat(1024 * 1024);
    std::fs::write(&f, format!("casus_id,ontvangen_op,aandrager_type,thema,samenvatting\nC-1,2025-03-03,wijkteam,invordering.uitstel,\"{big}\"\nC-2,2025-03-03,wijkteam,invordering.uitstel,kort\n")).unwrap();
    check(f.to_str().unwrap(), &out);
    assert_eq!(summary(&out)["geaccepteerd"].as_u64(), Some(2));
}

#[test]
fn formula_text_is_accepted_as_text() {
    let out = tmp("formula");
    check(&corpus("formule.csv"), &out);
    assert_eq!(summary(&out)["geaccepteerd"].as_u64(), Some(2));
}

#[test]
fn the_sample_the_excel_export_and_the_cfpb_sample_account_for_every_row() {
    let runs = [
        (
            "canoniek",
            sample("casussen.csv"),
            Some(sample("signalen.csv")),
            None,
        ),
        (
            "excel",
            sample("excel/casussen.csv"),
            Some(sample("excel/signalen.csv")),
            Some(sample("excel/rodedraad.toml")),
        ),
        (
            "cfpb",
            sample("cfpb/klachten.csv"),
            None,
            Some(sample("cfpb/rodedraad.toml")),
        ),
    ];
    let mut accepted = Vec::new();
    for (name, cases, signals, config) in runs {
        let out = tmp(name);
        let mut args = vec![
            "check".to_string(),
            "--cases".into(),
            cases,
            "--out".into(),
            out.display().to_string(),
            "--exportdatum".into(),
            "2026-10-31".into(),
        ];
        if let Some(s) = signals {
            args.extend(["--signals".into(), s]);
        }
        if let Some(c) = config {
            args.extend(["--config".into(), c]);
        }
        let o = bin().args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let c = read_json(&out.join("controle.json"));
        for inp in c["invoer"].as_array().unwrap() {
            let (g, a, q) = (
                inp["gelezen"].as_u64().unwrap(),
                inp["geaccepteerd"].as_u64().unwrap(),
                inp["in_quarantaine"].as_u64().unwrap(),
            );
            assert_eq!(g, a + q, "{name}: nothing lost");
            assert!(g > 0);
            if name == "cfpb" {
                assert_eq!(g, 349, "all 349 CFPB complaints read");
                assert!(a >= 340, "CFPB: {a} accepted");
            }
        }
        accepted.push((name, c["invoer"][0]["geaccepteerd"].as_u64().unwrap()));
    }
    assert_eq!(
        accepted[0].1, accepted[1].1,
        "the Excel-style export maps to the same cases: {accepted:?}"
    );
}

#[test]
fn dutch_help_and_usage_errors() {
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let h = stdout(&o);
    assert!(
        h.contains("Controleer casus- en signaalexports") && h.contains("Afsluitcodes"),
        "{h}"
    );
    let o = run(&["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("verplichte optie ontbreekt"),
        "{}",
        stderr(&o)
    );
    let o = run(&["bestaatniet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("onbekende opdracht"));
    // every command's help is Dutch, also where clap wraps a line after "[default:"
    for cmd in [
        "controleer",
        "analyse",
        "rapport",
        "audit",
        "voorbeeld",
        "inrichten",
        "signalen",
        "demo",
        "meet",
        "evalueer",
    ] {
        let h = stdout(&run(&[cmd, "--help"]));
        for english in [
            "[default:",
            "[possible values:",
            "Usage:",
            "Options:",
            "[aliases:",
        ] {
            assert!(!h.contains(english), "{cmd} --help: {english}\n{h}");
        }
    }
}

/// The names a person types are Dutch: the command list and every option in every help text.
/// The English names from before December 2026 still work as hidden aliases, so scripts
/// keep running, and they give the same result as the Dutch names.
#[test]
fn commands_and_options_are_dutch_and_the_old_names_still_work() {
    let h = stdout(&run(&["--help"]));
    let section = h
        .split("Opdrachten:")
        .nth(1)
        .expect("command list")
        .to_string();
    let listed: Vec<&str> = section
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        listed,
        [
            "demo",
            "controleer",
            "inrichten",
            "analyse",
            "rapport",
            "audit",
            "evalueer",
            "signalen",
            "voorbeeld",
            "meet"
        ],
        "{h}"
    );
    let english_options = [
        "--cases",
        "--signals ",
        "--period",
        "--out ",
        "--format",
        "--truth",
        "--draad-id",
    ];
    let mut helps = vec![];
    for cmd in &listed {
        helps.push((cmd.to_string(), stdout(&run(&[cmd, "--help"]))));
    }
    for sub in ["importeer", "doorzetten", "overgang", "status", "exporteer"] {
        let o = run(&["signalen", sub, "--help"]);
        assert_eq!(o.status.code(), Some(0), "signalen {sub}");
        helps.push((format!("signalen {sub}"), stdout(&o)));
    }
    for (cmd, help) in &helps {
        let options: Vec<&str> = help
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| w.starts_with("--"))
            .collect();
        assert!(!options.is_empty(), "{cmd}: no options found in\n{help}");
        for e in english_options {
            assert!(!options.contains(&e), "{cmd} --help shows {e}:\n{help}");
        }
        // the old English names are not advertised either
        assert!(!help.contains("[ook:"), "{cmd}: visible alias\n{help}");
    }
    // old command and option names: accepted, same result as the Dutch ones
    for (old, new) in [
        ("check", "controleer"),
        ("report", "rapport"),
        ("init", "inrichten"),
        ("evaluate", "evalueer"),
        ("signals", "signalen"),
        ("sample", "voorbeeld"),
        ("bench", "meet"),
    ] {
        let a = run(&[old, "--help"]);
        assert_eq!(a.status.code(), Some(0), "{old} still works");
        assert_eq!(stdout(&a), stdout(&run(&[new, "--help"])), "{old} = {new}");
    }
    for old in ["import", "promote", "export"] {
        assert_eq!(
            run(&["signals", old, "--help"]).status.code(),
            Some(0),
            "{old}"
        );
    }
    let dir = tmp("oude_namen");
    let (nl, en) = (dir.join("nl"), dir.join("en"));
    let cases = format!("{}/sample-data/casussen.csv", env!("CARGO_MANIFEST_DIR"));
    let common = ["--exportdatum", "2026-10-31"];
    let o = run(&[
        &[
            "controleer",
            "--casussen",
            &cases,
            "--uitvoer",
            nl.to_str().unwrap(),
        ][..],
        &common[..],
    ]
    .concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[
        &["check", "--cases", &cases, "--out", en.to_str().unwrap()][..],
        &common[..],
    ]
    .concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let read = |d: &std::path::Path| std::fs::read(d.join("controle.json")).unwrap();
    assert_eq!(
        read(&nl),
        read(&en),
        "old and new names give the same controle.json"
    );
}

/// An English export with US dates whose days are all 12 or less (the order cannot be seen
/// in the values), one header feeding two date columns, and a request that is `Open` but has
/// a closing date.
const SHARED_DATES_CSV: &str = "\
Case ID,Opened,Closed,Category,Status
C-1,01/02/2024 10:00 AM,01/05/2024 09:00 AM,Pothole,Closed
C-2,02/03/2024 11:30 AM,,Graffiti,Open
C-3,03/04/2024 08:15 AM,03/09/2024 04:00 PM,Pothole,Open
C-4,04/10/2024 09:00 AM,05/11/2024 10:00 AM,Graffiti,Closed
";

/// The format is set for `ontvangen_op` only; `triage_op` comes from the same header.
const SHARED_DATES_TOML: &str = r#"
[casussen.kolommen]
"Case ID" = "casus_id"
"Opened" = ["ontvangen_op", "triage_op"]
"Closed" = "afgerond_op"
"Category" = "thema"
"Status" = "uitkomst"

[casussen.datumformaat]
ontvangen_op = "%m/%d/%Y"
afgerond_op = "%m/%d/%Y"

[casussen.waarden.uitkomst]
"Closed" = "opgelost"
"Open" = "lopend"

[casussen.vast]
aandrager_type = "burger_zelf"
triage_besluit = "behandelen"

[taxonomie.thema]
pothole = "Pothole"
graffiti = "Graffiti"
"#;

fn check_with(csv: &str, toml: &str, name: &str) -> (std::process::Output, std::path::PathBuf) {
    let dir = tmp(name);
    let (cases, cfg, out) = (
        dir.join("requests.csv"),
        dir.join("rodedraad.toml"),
        dir.join("controle"),
    );
    std::fs::write(&cases, csv).unwrap();
    std::fs::write(&cfg, toml).unwrap();
    let o = run(&[
        "check",
        "--cases",
        cases.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--exportdatum",
        "2024-12-31",
    ]);
    (o, out)
}

#[test]
fn a_date_format_set_for_one_target_of_a_header_holds_for_its_other_target() {
    let (o, out) = check_with(SHARED_DATES_CSV, SHARED_DATES_TOML, "gedeelde-kop");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&out);
    let triage = s["datumformaten"]["triage_op"].as_str().unwrap();
    assert!(
        triage.starts_with("%m/%d/%Y") && triage.contains("zoals ontvangen_op"),
        "{s}"
    );
    // Without the format for ontvangen_op the header is ambiguous for both targets: refused.
    let without = SHARED_DATES_TOML.replace("ontvangen_op = \"%m/%d/%Y\"\n", "");
    let (o, _) = check_with(SHARED_DATES_CSV, &without, "gedeelde-kop-zonder");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn an_open_request_with_a_closing_date_is_quarantined() {
    let (o, out) = check_with(SHARED_DATES_CSV, SHARED_DATES_TOML, "open-met-einddatum");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&out);
    assert_eq!(
        (s["gelezen"].as_u64(), s["in_quarantaine"].as_u64()),
        (Some(4), Some(1)),
        "{s}"
    );
    let q = quarantine(&out);
    assert_eq!(&q[0][1], "4", "row 4 of the file (C-3)");
    assert_eq!(&q[0][2], "afgerond_op");
    assert!(q[0][3].contains("geen einduitkomst"), "{:?}", q[0]);
    // The open request without a closing date is accepted.
    assert_eq!(s["geaccepteerd"].as_u64(), Some(3), "{s}");
}
