//! The library runs the whole pipeline without the command line: the same
//! calls the commands make, and the same bytes as the command line writes.

mod common;

use common::*;
use rodedraad::analyse::period::Period;
use rodedraad::config::Config;
use rodedraad::pipeline::{self, ReportOptions, Sources};
use rodedraad::protect::tables::Audience;
use rodedraad::render::Format;

fn sources() -> Sources {
    Sources {
        cases: sample("casussen.csv").into(),
        signals: Some(sample("signalen.csv").into()),
        export_date: Some(chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()),
    }
}

#[test]
fn library_report_equals_the_command_line_report() {
    let cfg = Config::default_config();
    let period: Period = "2026-H1".parse().unwrap();
    let an = pipeline::analyse(&sources(), &period, None, &cfg, &|_| {}).unwrap();
    assert_eq!(
        an.cases.len() as u64,
        an.check.report.invoer[0].geaccepteerd as u64
    );
    let lib_out = tmp("pipeline-lib");
    // as the command does: the previous period's public report made again, and agreed with
    let prior = pipeline::prior_for(
        &sources(),
        &period,
        &cfg,
        Audience::Parliament,
        None,
        &|_| {},
    )
    .unwrap()
    .prior;
    assert!(prior.as_ref().is_some_and(|p| p.block().is_some()));
    let opts = ReportOptions {
        prior,
        ..ReportOptions::new(Audience::Parliament, vec![Format::Markdown, Format::Html])
    };
    let files = pipeline::report(&an, &cfg, None, &opts, &lib_out.join("r")).unwrap();
    assert!(files.contains(&"rapport.md".to_string()));

    let cli_out = tmp("pipeline-cli");
    // No ledger, as in the library call: run in an empty folder, where the default
    // ledger path does not exist (a missing `--register` is an error, exit 8).
    let o = common::bin()
        .current_dir(&cli_out)
        .args([
            "report",
            "--cases",
            &sample("casussen.csv"),
            "--signals",
            &sample("signalen.csv"),
            "--period",
            "2026-H1",
            "--exportdatum",
            "2026-10-31",
            "--format",
            "md,html",
            "--out",
            &cli_out.join("r").display().to_string(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in ["rapport.md", "rapport.html", "tabellen.json"] {
        assert_eq!(
            std::fs::read(lib_out.join("r").join(f)).unwrap(),
            std::fs::read(cli_out.join("r").join(f)).unwrap(),
            "{f} differs between library and command line"
        );
    }
}

#[test]
fn a_failed_publication_leaves_nothing_behind() {
    // A template that renders a hidden count fails the audit: no folder, no staging left.
    let cfg_dir = tmp("pipeline-bad-template");
    let tpl = cfg_dir.join("sjablonen");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("rapport.md"),
        "# {{ titel }}\n\nBSN van de burger: 111222333\n",
    )
    .unwrap();
    let mut cfg = Config::default_config();
    cfg.rapport.sjablonen = tpl.display().to_string();
    let period: Period = "2026-H1".parse().unwrap();
    let an = pipeline::analyse(&sources(), &period, None, &cfg, &|_| {}).unwrap();
    let out = cfg_dir.join("rapport");
    let opts = ReportOptions::new(Audience::Parliament, vec![Format::Markdown]);
    let err = pipeline::report(&an, &cfg, None, &opts, &out).unwrap_err();
    assert_eq!(err.exit_code(), 5, "{err}");
    assert!(!out.exists());
    let left: Vec<_> = std::fs::read_dir(&cfg_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
