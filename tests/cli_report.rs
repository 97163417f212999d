//! End-to-end tests of `rodedraad report` and `rodedraad audit`: determinism, snapshots,
//! broken templates, and personal data that must never reach a public output.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn report(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "report".to_string(),
        "--cases".into(),
        sample("casussen.csv"),
        "--signals".into(),
        sample("signalen.csv"),
        "--period".into(),
        "2026-H1".into(),
        "--out".into(),
        out.display().to_string(),
        "--exportdatum".into(),
        "2026-10-31".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    bin().args(&args).output().unwrap()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn two_runs_give_identical_bytes() {
    let base = tmp("determinism");
    let (a, b) = (base.join("a"), base.join("b"));
    for d in [&a, &b] {
        let o = report(d, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let fa = files(&a);
    assert_eq!(
        fa.iter()
            .map(|p| p.file_name().unwrap().to_owned())
            .collect::<Vec<_>>(),
        files(&b)
            .iter()
            .map(|p| p.file_name().unwrap().to_owned())
            .collect::<Vec<_>>()
    );
    for f in &fa {
        let name = f.file_name().unwrap();
        assert_eq!(
            std::fs::read(f).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name:?} differs between runs"
        );
    }
    for want in [
        "rapport.html",
        "rapport.pdf",
        "rapport.md",
        "rapport.xlsx",
        "tabellen.json",
    ] {
        assert!(a.join(want).exists(), "{want}");
    }
    assert!(std::fs::read(a.join("rapport.pdf"))
        .unwrap()
        .starts_with(b"%PDF"));
}

fn snapshot(name: &str, actual: &str) {
    let path = root().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() || !path.exists() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "snapshot {name} wijkt af vanaf regel {}:\n  verwacht: {:?}\n  gekregen: {:?}\nDraai met UPDATE_SNAPSHOTS=1 als de wijziging bedoeld is.",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn markdown_and_report_model_match_their_snapshots() {
    let out = tmp("snapshot");
    // The sample's own configuration: the organisation and its yearly targets.
    let cfg = sample("rodedraad.toml");
    let o = report(&out, &["--format", "md", "--config", &cfg]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(out.join("rapport.md")).unwrap();
    assert!(!md.contains("Tekstthema"), "text themes stay internal");
    snapshot("kamerrapportage-2026-H1.md", &md);
    snapshot(
        "kamerrapportage-2026-H1.tabellen.json",
        &std::fs::read_to_string(out.join("tabellen.json")).unwrap(),
    );
}

/// Renders the Markdown report with `rapport.md` replaced by `source` through `[rapport] sjablonen`.
fn report_with_template(name: &str, source: &str) -> (PathBuf, std::process::Output) {
    let dir = tmp(name);
    std::fs::create_dir_all(dir.join("sjablonen")).unwrap();
    std::fs::write(dir.join("sjablonen/rapport.md"), source).unwrap();
    std::fs::write(
        dir.join("rodedraad.toml"),
        "[rapport]\nsjablonen = \"sjablonen\"\n",
    )
    .unwrap();
    let config = dir.join("rodedraad.toml").display().to_string();
    let o = report(&dir.join("uit"), &["--format", "md", "--config", &config]);
    (dir, o)
}

#[test]
fn a_broken_template_gives_a_dutch_error_with_name_and_line() {
    let (dir, o) = report_with_template(
        "template",
        "# {{ titel }}\n\nregel twee\n{% for x in %}\n{% endfor %}\n",
    );
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("rapport.md") && e.contains("regel 4") && e.contains("sjabloon"),
        "{e}"
    );
    assert!(!dir.join("uit").exists(), "nothing half-done left behind");
}

#[test]
fn an_overridden_template_is_used() {
    let (dir, o) = report_with_template(
        "override",
        "Eigen sjabloon: {{ titel }} ({{ peildatum }})\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.join("uit/rapport.md")).unwrap(),
        "Eigen sjabloon: Rapportage aan de Tweede Kamer over het eerste halfjaar 2026 (30 juni 2026)\n"
    );
}

const PLANTED: [&str; 5] = [
    "111222333",
    "NL91ABNA0417164300",
    "06-12345678",
    "j.jansen@example.nl",
    "1234 AB",
];

/// The sample with personal data planted in the free text of cases closed in 2026-H1 and of signals.
fn planted_sample(dir: &Path) -> (PathBuf, PathBuf) {
    let mut rdr = csv::Reader::from_path(sample("casussen.csv")).unwrap();
    let header = rdr.headers().unwrap().clone();
    let (si, li, ai) = (
        header.iter().position(|h| h == "samenvatting").unwrap(),
        header.iter().position(|h| h == "geleerde_les").unwrap(),
        header.iter().position(|h| h == "afgerond_op").unwrap(),
    );
    let mut w = csv::Writer::from_path(dir.join("casussen.csv")).unwrap();
    w.write_record(&header).unwrap();
    let mut n = 0;
    for rec in rdr.records() {
        let mut r: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        if r[ai].starts_with("2026-0") && n < 40 {
            let p = PLANTED[n % PLANTED.len()];
            r[si] = format!("{} Bel mevrouw op {p} voor overleg.", r[si]);
            r[li] = format!("Les: controleer {p} altijd.");
            n += 1;
        }
        w.write_record(&r).unwrap();
    }
    w.flush().unwrap();
    let mut rdr = csv::Reader::from_path(sample("signalen.csv")).unwrap();
    let header = rdr.headers().unwrap().clone();
    let oi = header.iter().position(|h| h == "omschrijving").unwrap();
    let ti = header.iter().position(|h| h == "terugkoppeling").unwrap();
    let mut w = csv::Writer::from_path(dir.join("signalen.csv")).unwrap();
    w.write_record(&header).unwrap();
    for (i, rec) in rdr.records().enumerate() {
        let mut r: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        let p = PLANTED[i % PLANTED.len()];
        r[oi] = format!("{} Contact: {p}.", r[oi]);
        if !r[ti].is_empty() {
            r[ti] = format!("{} Reactie gestuurd naar {p}.", r[ti]);
        }
        w.write_record(&r).unwrap();
    }
    w.flush().unwrap();
    (dir.join("casussen.csv"), dir.join("signalen.csv"))
}

fn all_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

#[test]
fn planted_personal_data_never_reaches_a_public_output_and_the_audit_finds_it_when_planted_directly(
) {
    let dir = tmp("pii");
    let (cases, signals) = planted_sample(&dir);
    // A ledger with the planted signals, so the signals section is filled too.
    let reg = dir.join("register.sqlite");
    let o = run(&[
        "signals",
        "import",
        "--signals",
        signals.to_str().unwrap(),
        "--register",
        reg.to_str().unwrap(),
        "--op",
        "2026-10-31",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.join("kamer");
    let o = bin()
        .args([
            "report",
            "--cases",
            cases.to_str().unwrap(),
            "--signals",
            signals.to_str().unwrap(),
            "--period",
            "2026-H1",
            "--out",
            out.to_str().unwrap(),
            "--exportdatum",
            "2026-10-31",
            "--register",
            reg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Text extracted from the PDF too, when pdftotext is there.
    if let Ok(t) = std::process::Command::new("pdftotext")
        .arg(out.join("rapport.pdf"))
        .arg(dir.join("rapport.txt"))
        .output()
    {
        assert!(t.status.success());
    }
    let mut checked = 0;
    for (name, bytes) in all_bytes(&out).into_iter().chain(
        all_bytes(&dir)
            .into_iter()
            .filter(|(n, _)| n.ends_with("rapport.txt")),
    ) {
        let text = String::from_utf8_lossy(&bytes);
        for p in PLANTED {
            assert!(!text.contains(p), "{p} found in {name}");
        }
        checked += 1;
    }
    assert!(checked >= 5);
    // The protection log says what was withheld, never the value; the command says
    // where it went (beside the published folder, not in it).
    let logpath = dir.join("kamer-beschermingslog.json");
    assert!(
        stderr(&o).contains(&format!(
            "beschermingslog (intern, niet publiceren) geschreven naar {}",
            logpath.display()
        )),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("beschermingslog.json").exists());
    let log = std::fs::read_to_string(&logpath).unwrap();
    assert!(
        log.contains("\"bsn\"") && log.contains("\"iban\"") && log.contains("\"telefoon\""),
        "{log}"
    );
    assert!(PLANTED.iter().all(|p| !log.contains(p)));

    // The report on clean output passes the audit ...
    let o = run(&["audit", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // ... and the audit finds personal data planted directly in an output file.
    let md = std::fs::read_to_string(out.join("rapport.md")).unwrap();
    std::fs::write(
        out.join("rapport.md"),
        format!("{md}\nBSN 111.222.333, IBAN NL91 ABNA 0417 1643 00, tel. +31 6 12345678\n"),
    )
    .unwrap();
    let o = run(&["audit", out.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(5));
    let rep: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let kinds: Vec<String> = rep["bevindingen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["melding"].as_str().unwrap().to_string())
        .collect();
    for k in ["BSN", "IBAN", "telefoonnummer"] {
        assert!(
            kinds.iter().any(|m| m.contains(k)),
            "{k} not found: {kinds:?}"
        );
    }
    assert!(
        !stdout(&o).contains("111.222.333"),
        "the audit never repeats the value"
    );
}

#[test]
fn strict_mode_stops_on_personal_data_in_the_input() {
    let dir = tmp("strikt");
    let (cases, _) = planted_sample(&dir);
    let out = dir.join("kamer");
    let o = bin()
        .args([
            "report",
            "--cases",
            cases.to_str().unwrap(),
            "--period",
            "2026-H1",
            "--out",
            out.to_str().unwrap(),
            "--exportdatum",
            "2026-10-31",
            "--strikt",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("--strikt"));
    assert!(!out.exists());
}

#[test]
fn the_audit_finds_small_counts_and_recomputable_cells_planted_in_a_table() {
    let out = tmp("audit-cells");
    let o = report(&out, &["--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(out.join("rapport.html")).unwrap();
    // Reveal one suppressed cell as a small count.
    let table = html
        .find("id=\"instroom-kwartaal\"")
        .expect("intake table by quarter");
    let pos = table
        + html[table..]
            .find("data-onderdrukt=\"ja\">.</td>")
            .expect("the intake table hides at least one cell");
    let leaked = format!(
        "{}data-waarde=\"3\">3</td>{}",
        &html[..pos],
        &html[pos + "data-onderdrukt=\"ja\">.</td>".len()..]
    );
    std::fs::write(out.join("rapport.html"), leaked).unwrap();
    std::fs::remove_file(out.join("tabellen.json")).unwrap();
    let o = run(&["audit", out.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let rep: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let kinds: Vec<&str> = rep["bevindingen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["soort"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"klein aantal"), "{kinds:?}");
    assert!(
        kinds.contains(&"terug te rekenen"),
        "revealing one cell of a pair exposes the other: {kinds:?}"
    );
}

#[test]
fn the_internal_analysis_is_marked_on_every_page_and_keeps_case_ids() {
    let out = tmp("intern");
    let o = report(&out, &["--publiek", "intern", "--format", "html,md,pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(out.join("rapport.html")).unwrap();
    assert!(html.contains("INTERN – niet voor publicatie"));
    assert!(
        html.contains("C-2026-"),
        "case ids in the internal analysis"
    );
    let md = std::fs::read_to_string(out.join("rapport.md")).unwrap();
    assert!(md.starts_with("> **INTERN"));
    assert!(md
        .trim_end()
        .ends_with("> **INTERN – niet voor publicatie**"));
    // Oversized text clusters (themes of the intake) are listed in the internal annex only.
    assert!(md.contains("**Tekstthema's**"), "{md}");
    assert!(html.contains("<h3>Tekstthema's</h3>"));
    // Printed, the fixed marking repeats at the bottom of every page too.
    assert!(html.contains("class=\"intern-voet\""));
    if let Ok(t) = std::process::Command::new("pdftotext")
        .arg(out.join("rapport.pdf"))
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&t.stdout);
        let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
        // Header and footer: twice on every page.
        assert_eq!(
            text.matches("INTERN – niet voor publicatie").count(),
            2 * pages,
            "every PDF page is marked at the top and the bottom"
        );
    }
}

#[test]
fn a_definition_that_changed_since_the_previous_report_is_marked() {
    let dir = tmp("prev-defs");
    let prev = dir.join("definities.json");
    std::fs::write(
        &prev,
        r#"[{"id": "ontvangen_aantal", "versie": 0}, {"id": "oplossing_pct", "versie": 1}]"#,
    )
    .unwrap();
    let o = report(
        &dir.join("uit"),
        &[
            "--format",
            "md",
            "--vorige-definities",
            prev.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.join("uit/rapport.md")).unwrap();
    assert!(
        md.contains("| Ontvangen casussen (definitie gewijzigd) |"),
        "marked in the key figures"
    );
    assert!(
        md.contains("| Ontvangen casussen (gewijzigd) |"),
        "marked in the definitions"
    );
    assert!(
        !md.contains("Oplossing gevonden (definitie gewijzigd)"),
        "unchanged definitions are not marked"
    );
}

#[test]
fn a_report_after_a_version_1_report_marks_the_version_2_definitions() {
    // The definitions of version 1 as an earlier `definities.json` listed them.
    let v1 = [
        "ontvangen_aantal",
        "triage_aantal",
        "warm_verwezen_pct",
        "behandeld_aantal",
        "afgerond_aantal",
        "oplossing_pct",
        "volledig_opgelost_pct",
        "deels_opgelost_pct",
        "advies_overgenomen_pct",
        "geescaleerd_pct",
        "minnelijk_opgelost_aantal",
        "na_escalatie_opgelost_aantal",
        "doorlooptijd_mediaan_dagen",
        "doorlooptijd_p80_dagen",
        "binnen_8_weken_pct",
        "binnen_3_maanden_pct",
        "binnen_5_maanden_pct",
        "doorlooptijd_km_mediaan_dagen",
        "triage_doorlooptijd_mediaan_dagen",
        "beleving_burger",
        "beleving_burger_7plus_pct",
        "beleving_eerstelijnshelper",
        "beleving_eerstelijnshelper_7plus_pct",
        "beleving_helper_dienst",
        "beleving_helper_dienst_7plus_pct",
        "geleerde_lessen_aantal",
    ];
    let json: Vec<String> = v1
        .iter()
        .map(|id| format!(r#"{{"id": "{id}", "versie": 1}}"#))
        .collect();
    let dir = tmp("v1-defs");
    let prev = dir.join("definities.json");
    std::fs::write(&prev, format!("[{}]", json.join(","))).unwrap();
    let o = report(
        &dir.join("uit"),
        &[
            "--format",
            "md",
            "--vorige-definities",
            prev.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(dir.join("uit/rapport.md")).unwrap();
    for changed in [
        "Doorlooptijd (mediaan)",
        "Doorlooptijd (80e percentiel)",
        "Binnen 8 weken afgerond",
        "Binnen 3 maanden afgerond",
        "Binnen 5 maanden afgerond",
    ] {
        assert!(
            md.contains(&format!("| {changed} (definitie gewijzigd) |")),
            "{changed}"
        );
        assert!(
            md.contains(&format!("| {changed} (gewijzigd) |")),
            "{changed}"
        );
    }
    for new in [
        "Doorlooptijd van de afgeronde casussen (mediaan)",
        "Afgeronde casussen: binnen 8 weken afgerond",
    ] {
        assert!(md.contains(&format!("| {new} (nieuw) |")), "{new}");
    }
    assert!(
        md.contains("| Ontvangen casussen |"),
        "unchanged: not marked"
    );
    assert!(md.contains("definities versie 2"));
}

#[test]
fn escalations_without_a_date_are_reported() {
    // In tests/fixtures/handwerk.csv case B is escalated without geescaleerd_op (closed 1 March
    // 2026, so its escalation counts); the report says that dates are missing. The sample data
    // has a date on every escalation, and its snapshot has no such note.
    let out = tmp("esc-undated");
    let f = root().join("tests/fixtures/handwerk.csv");
    let o = run(&[
        "report",
        "--cases",
        f.to_str().unwrap(),
        "--period",
        "2026-H1",
        "--publiek",
        "intern",
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
        "--exportdatum",
        "2026-10-31",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(out.join("rapport.md")).unwrap();
    assert!(
        md.contains("Bij een deel van de escalaties ontbreekt de datum"),
        "{md}"
    );
    let snap =
        std::fs::read_to_string(root().join("tests/snapshots/kamerrapportage-2026-H1.md")).unwrap();
    assert!(!snap.contains("ontbreekt de datum"));
}
