//! A foreign export end to end, as a new user would do it: `init`, a few hand-edited lines
//! (the ones in docs/invoer.md, "Voorbeeld"), `check`, `report`. The export is made here: a
//! US-style service-request file with English headers, month-first dates with AM/PM, a theme
//! in two columns and the outcome only as free text.

mod common;
use common::*;
use std::fmt::Write;

const SUBJECTS: &[(&str, &[&str])] = &[
    (
        "Public Works Department",
        &["Pothole Repair", "Street Cleaning", "Sidewalk Repair"],
    ),
    (
        "Inspectional Services",
        &["Overcrowding", "Heat - Excessive  Insufficient"],
    ),
    ("Street Lights", &["Street Light Outage"]),
];
const SOURCES: &[&str] = &["Constituent Call", "Citizens Connect App", "Self Service"];
const CLOSURES: &[&str] = &[
    "Case Closed. Case Resolved. Repaired",
    "Case Closed. Case Resolved. Area cleaned",
    "Case Closed. Case Invalid. No problem found",
    "Case Closed. Case Noted. Referred to owner",
];

/// 240 requests from January to June 2015; day and month both appear above 12.
fn export() -> String {
    let mut s =
        String::from("CASE_ENQUIRY_ID,OPEN_DT,CLOSED_DT,SUBJECT,TYPE,Source,CLOSURE_REASON\n");
    for i in 0..240u32 {
        let (subject, types) = SUBJECTS[(i % 7 % 3) as usize];
        let kind = types[(i / 3) as usize % types.len()];
        let (month, day) = (1 + i % 6, 1 + (i * 7) % 28);
        let hour = 1 + i % 12;
        let ampm = if i % 2 == 0 { "AM" } else { "PM" };
        let open = format!("{month:02}/{day:02}/2015 {hour:02}:{:02}:00 {ampm}", i % 60);
        let (closed, reason) = if i % 5 == 4 {
            (String::new(), "")
        } else {
            let d = (day + 2).min(28);
            (
                format!("{month:02}/{d:02}/2015 09:00:00 AM"),
                CLOSURES[i as usize % CLOSURES.len()],
            )
        };
        let _ = writeln!(
            s,
            "{},{open},{closed},{subject},{kind},{},{reason}",
            101_000 + i,
            SOURCES[i as usize % SOURCES.len()]
        );
    }
    s
}

/// The hand edits of docs/invoer.md; returns the edited text and how many lines changed.
fn hand_edit(toml: &str) -> (String, usize) {
    let mut out = Vec::new();
    let mut edits = 0;
    for line in toml.lines() {
        if line.starts_with("\"SUBJECT\" = \"thema\"") {
            edits += 1;
            continue;
        }
        if line == "# thema = [\"SUBJECT\", \"TYPE\"]" {
            out.push("thema = [\"SUBJECT\", \"TYPE\"]".to_string());
            edits += 1;
            continue;
        }
        out.push(line.to_string());
        if line.starts_with("[casussen.waarden.uitkomst]") {
            for l in [
                "\"^Case Closed.*Resolved\" = \"opgelost\"",
                "\"^Case Closed.*(Invalid|Duplicate)\" = \"ingetrokken\"",
                "\"*\" = \"niet_opgelost\"",
            ] {
                out.push(l.to_string());
                edits += 1;
            }
        }
    }
    out.push("[casussen.vast]".into());
    out.push("aandrager_type = \"burger_zelf\"".into());
    (out.join("\n") + "\n", edits + 2)
}

#[test]
fn a_foreign_export_with_init_a_few_lines_check_and_report() {
    let dir = tmp("eigen-export");
    let cases = dir.join("requests.csv");
    std::fs::write(&cases, export()).unwrap();
    let toml = dir.join("rodedraad.toml");
    let o = run(&[
        "init",
        "--cases",
        cases.to_str().unwrap(),
        "--out",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("Nog te beslissen"), "{}", stderr(&o));
    let proposed = std::fs::read_to_string(&toml).unwrap();
    for expected in [
        "\"CASE_ENQUIRY_ID\" = \"casus_id\"",
        "\"OPEN_DT\" = \"ontvangen_op\"",
        "\"CLOSED_DT\" = \"afgerond_op\"",
        "\"CLOSURE_REASON\" = \"uitkomst\"",
        "ontvangen_op = \"%m/%d/%Y\"",
        "afgerond_op = \"%m/%d/%Y\"",
        "# thema = [\"SUBJECT\", \"TYPE\"]",
        "\"public_works_department.pothole_repair\" = \"Pothole Repair\"",
        "# \"Source\" = \"?\"   # BESLIS",
    ] {
        assert!(
            proposed.contains(expected),
            "{expected} missing in:\n{proposed}"
        );
    }
    // No low-confidence guess became a line.
    assert!(
        !proposed.contains("\"Source\" = \"aandrager_type\""),
        "{proposed}"
    );
    // The undecided column lists its values with their counts under its # BESLIS line.
    let after_source: Vec<&str> = proposed
        .lines()
        .skip_while(|l| !l.starts_with("# \"Source\" = \"?\""))
        .skip(1)
        .take(4)
        .collect();
    assert_eq!(
        after_source,
        [
            "#     3 verschillende waarden in 240 gevulde cellen:",
            "#     \"Citizens Connect App\"   # 80×",
            "#     \"Constituent Call\"   # 80×",
            "#     \"Self Service\"   # 80×",
        ],
        "{proposed}"
    );

    let (edited, edits) = hand_edit(&proposed);
    assert!(edits <= 20, "{edits} hand-edited lines");
    std::fs::write(&toml, edited).unwrap();

    let check = dir.join("controle");
    let o = run(&[
        "check",
        "--cases",
        cases.to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
        "--out",
        check.to_str().unwrap(),
        "--exportdatum",
        "2015-12-31",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = read_json(&check.join("controle.json"));
    let s = &c["invoer"][0];
    assert_eq!(
        (s["gelezen"].as_u64(), s["geaccepteerd"].as_u64()),
        (Some(240), Some(240)),
        "{c}"
    );
    assert!(
        s["datumformaten"]["ontvangen_op"]
            .as_str()
            .unwrap()
            .starts_with("%m/%d/%Y"),
        "{c}"
    );
    assert!(
        s["waarschuwingen"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| !w.as_str().unwrap().contains("SUBJECT")),
        "{c}"
    );
    // The export has no triage: check says so, and what it means for the figures.
    let err = stderr(&o);
    assert!(
        err.contains("triage_op en triage_besluit hebben bij geen enkele casus een waarde")
            && err.contains("afgeronde casussen"),
        "{err}"
    );

    let out = dir.join("rapport");
    let o = run(&[
        "report",
        "--cases",
        cases.to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
        "--period",
        "2015-H1",
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
        "--exportdatum",
        "2015-12-31",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(out.join("rapport.md")).unwrap();
    assert!(md.contains("240"), "the report counts every request");
    assert!(
        md.contains("Public Works Department"),
        "theme labels come from the values"
    );
    // Nothing of the home domain that this configuration did not ask for.
    assert!(!md.contains("Jaardoel"), "yearly targets");
    assert!(!md.contains("Belangenbehartiger"), "the home organisation");
    // Without triage nothing is closed after treatment: those figures are said to be
    // missing, not left blank.
    assert!(!md.contains("****") && !md.contains(" in  van "), "{md}");
    assert!(md.contains("niet bekend"), "{md}");
    // analyse warns about the missing triage as check does.
    let o = run(&[
        "analyse",
        "--cases",
        cases.to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
        "--period",
        "2015-H1",
        "--out",
        dir.join("analyse").to_str().unwrap(),
        "--exportdatum",
        "2015-12-31",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("triage_op en triage_besluit hebben bij geen enkele casus"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn init_on_a_header_with_a_newline_writes_valid_toml() {
    let dir = tmp("init-newline");
    let cases = dir.join("x.csv");
    std::fs::write(
        &cases,
        "\"Zaak\nnummer\",\"Datum \"\"ontvangen\"\"\",Onderwerp\nA,2025-01-13,x\n",
    )
    .unwrap();
    let toml = dir.join("rodedraad.toml");
    let o = run(&[
        "init",
        "--cases",
        cases.to_str().unwrap(),
        "--out",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = std::fs::read_to_string(&toml).unwrap();
    assert!(rodedraad::config::Config::from_toml_str(&t).is_ok(), "{t}");
    assert!(t.contains("\"Zaak\\nnummer\""), "{t}");
}
