//! Two points of issue 11 that no other test proved end to end, read with the audit's
//! own readers (no external program):
//! - an internal report carries "INTERN" on every PDF page (at least twice: top and
//!   bottom), on every XLSX sheet, at the top and the bottom of the Markdown, in the
//!   fixed header and footer of the HTML, and in every JSON file it writes;
//! - a label set in `rodedraad.toml` is checked like data: the report is still made,
//!   personal data in the label reaches no public file, and the audit passes it.

mod common;
use common::*;
use rodedraad::protect::audit::readers;
use std::path::{Path, PathBuf};

const MARK: &str = "INTERN";

/// Every file under `dir` (and the log written beside it) with the given extension.
fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    let log = PathBuf::from(format!("{}-beschermingslog.json", dir.display()));
    if ext == "json" && log.exists() {
        out.push(log);
    }
    out.sort();
    out
}

#[test]
fn an_internal_report_is_marked_on_every_page_sheet_and_json_file() {
    let out = tmp("markering-intern");
    let o = report_sample(&out, &["--publiek", "intern"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // PDF: every page, top and bottom
    let pdf = std::fs::read(out.join("rapport.pdf")).unwrap();
    let segs = readers::pdf::read(&pdf).unwrap();
    // a page's text may come in several segments (its own strings besides its content)
    let mut pages: std::collections::BTreeMap<&str, String> = Default::default();
    for s in segs
        .iter()
        .filter(|s| s.place.starts_with("pagina ") && !s.place.contains(','))
    {
        pages.entry(s.place.as_str()).or_default().push_str(&s.text);
    }
    assert!(pages.len() > 5, "{} pages", pages.len());
    for (place, text) in &pages {
        assert!(
            text.matches(MARK).count() >= 2,
            "{place}: {} times",
            text.matches(MARK).count()
        );
    }

    // XLSX: every sheet has a cell with the marking
    let xlsx = std::fs::read(out.join("rapport.xlsx")).unwrap();
    let segs = readers::xlsx::read(&xlsx).unwrap();
    let sheets: Vec<String> = segs
        .iter()
        .filter(|s| s.place.starts_with("bladnaam"))
        .map(|s| s.text.clone())
        .collect();
    assert!(sheets.len() >= 3, "{sheets:?}");
    for sheet in &sheets {
        let prefix = format!("blad {sheet}, cel");
        assert!(
            segs.iter()
                .any(|s| s.place.starts_with(&prefix) && s.text.contains(MARK)),
            "sheet {sheet} carries no marking"
        );
    }

    // Markdown: the first and the last line
    let md = std::fs::read_to_string(out.join("rapport.md")).unwrap();
    let lines: Vec<&str> = md.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines[0].contains(MARK) && lines[lines.len() - 1].contains(MARK));

    // HTML: in a header and a footer that print on every page
    let html = std::fs::read_to_string(out.join("rapport.html")).unwrap();
    assert!(html.contains("class=\"intern-voet\"") && html.matches(MARK).count() >= 2);

    // every JSON file, the figure list and the protection log included
    let jsons = files_with(&out, "json");
    assert!(
        jsons.iter().any(|p| p.ends_with("tabellen.json")),
        "{jsons:?}"
    );
    for p in &jsons {
        let text = std::fs::read_to_string(p).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(
            text.contains(MARK),
            "{} carries no marking: {}",
            p.display(),
            &text[..text.len().min(200)]
        );
        assert!(v.is_object() || v.is_array(), "{}", p.display());
    }
}

#[test]
fn a_config_label_with_personal_data_never_reaches_a_public_file() {
    let dir = tmp("markering-label");
    let config = dir.join("rodedraad.toml");
    let base = std::fs::read_to_string(sample("rodedraad.toml")).unwrap();
    let planted = ["06-12345678", "Jansen"];
    std::fs::write(
        &config,
        format!(
            "{base}\n[taxonomie.aandrager_type]\nwijkteam = \"Wijkteam van mevrouw Jansen, 06-12345678\"\n"
        ),
    )
    .unwrap();
    let out = dir.join("kamer");
    let (cases, signals) = (sample("casussen.csv"), sample("signalen.csv"));
    let o = run(&[
        "rapport",
        "--casussen",
        &cases,
        "--signalen",
        &signals,
        "--config",
        config.to_str().unwrap(),
        "--periode",
        "2026-H1",
        "--exportdatum",
        "2026-10-31",
        "--uitvoer",
        out.to_str().unwrap(),
    ]);
    // checked like data: the report is made, without the label's personal data
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for ext in ["html", "md", "json", "svg", "csv"] {
        for p in files_with(&out, ext) {
            if p.display().to_string().contains("beschermingslog") {
                continue; // the internal log, never published
            }
            let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).to_string();
            for v in planted {
                assert!(!text.contains(v), "{v} in {}", p.display());
            }
        }
    }
    // the compressed and binary files through the audit's own readers
    let a = run(&["audit", out.to_str().unwrap()]);
    assert_eq!(a.status.code(), Some(0), "{}{}", stdout(&a), stderr(&a));
}

/// Runs the audit on `dir`; returns (exit code, the Dutch output).
fn audit(dir: &Path) -> (Option<i32>, String) {
    let a = run(&["audit", dir.to_str().unwrap()]);
    (a.status.code(), format!("{}{}", stdout(&a), stderr(&a)))
}

#[test]
fn the_audit_checks_an_internal_report_for_its_marking_and_personal_data_not_small_counts() {
    let out = tmp("markering-audit-intern");
    let o = report_sample(&out, &["--publiek", "intern"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // As made: the internal report shows small counts (allowed), and passes.
    let (code, text) = audit(&out);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("intern rapport"), "{text}");

    // A JSON file without its marking field, a Markdown report without its last line.
    let log = out.join("beschermingslog.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&log).unwrap()).unwrap();
    std::fs::write(&log, serde_json::to_vec(&v["beschermingslog"]).unwrap()).unwrap();
    let md_path = out.join("rapport.md");
    let md = std::fs::read_to_string(&md_path).unwrap();
    let cut = md.trim_end().rfind('\n').unwrap();
    std::fs::write(&md_path, &md[..cut]).unwrap();
    // An HTML report whose printed footer is gone.
    let html_path = out.join("rapport.html");
    let html = std::fs::read_to_string(&html_path).unwrap();
    let footer = html.find("<div class=\"intern-voet\"").unwrap();
    let end = footer + html[footer..].find("</div>").unwrap() + "</div>".len();
    std::fs::write(&html_path, format!("{}{}", &html[..footer], &html[end..])).unwrap();
    // Personal data is still a finding inside.
    let md_now = std::fs::read_to_string(&md_path).unwrap();
    std::fs::write(
        &md_path,
        md_now.replacen("\n\n", "\n\nBel mevrouw Jansen op 06-12345678.\n\n", 1),
    )
    .unwrap();

    let (code, text) = audit(&out);
    assert_eq!(code, Some(5), "{text}");
    for (file, kind) in [
        ("beschermingslog.json", "markering INTERN ontbreekt"),
        ("rapport.md", "markering INTERN ontbreekt"),
        ("rapport.html", "markering INTERN ontbreekt"),
        ("rapport.md", "persoonsgegevens"),
    ] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(file) && l.contains(kind)),
            "{file}: {kind} not found in\n{text}"
        );
    }
    // Small counts are not findings inside.
    assert!(!text.contains("klein aantal"), "{text}");
}

#[test]
fn a_public_report_relabelled_as_internal_does_not_pass() {
    let out = tmp("markering-audit-omgelabeld");
    let o = report_sample(&out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(audit(&out).0, Some(0));
    // Declaring the public figure list internal would switch the small-count checks off;
    // the pages, sheets and other files then lack the marking.
    let list = out.join("tabellen.json");
    let tables: serde_json::Value = serde_json::from_slice(&std::fs::read(&list).unwrap()).unwrap();
    let relabelled =
        serde_json::json!({"markering": "INTERN – niet voor publicatie", "tabellen": tables});
    std::fs::write(&list, serde_json::to_vec(&relabelled).unwrap()).unwrap();
    let (code, text) = audit(&out);
    assert_eq!(code, Some(5), "{text}");
    for file in ["rapport.pdf", "rapport.xlsx", "rapport.md", "rapport.html"] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(file) && l.contains("markering INTERN ontbreekt")),
            "{file} not named in\n{text}"
        );
    }
}
