//! The demo: the whole pipeline on the sample data embedded in the binary.
//!
//! Writes, under `out`:
//! - `invoer/`: the embedded sample (canonical and Excel-style with its mapping);
//! - `controle/`, `controle-excel/`: accounting and quarantine of both exports;
//! - `analyse-<kwartaal>/`: indicators and rode draden of the last quarter;
//! - `signalenregister.sqlite`, `export/`: the ledger with the sample signals and
//!   the strongest threads promoted, and the KSM and IBTD exports;
//! - `kamerrapportage-<halfjaar>/`: the public report (HTML, PDF, Markdown, XLSX), audited;
//! - `kwartaalanalyse-<kwartaal>/`: the internal quarterly analysis;
//! - `evaluatie.json`: recall and precision of the detection against the planted threads.
//!
//! ```no_run
//! rodedraad::pipeline::demo("reports/demo".as_ref(), &mut |line| eprintln!("{line}")).unwrap();
//! ```

use super::signals::{import, open_ledger, promote};
use super::{read_ledger, report, write_analysis, ReportOptions, Sources};
use crate::analyse::evaluate::{evaluate, Truth};
use crate::analyse::period::Period;
use crate::analyse::{self};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::export::Destination;
use crate::protect::tables::Audience;
use crate::render::Format;
use std::path::Path;

/// The sample data embedded in the binary: (relative path, bytes).
pub const SAMPLE: &[(&str, &[u8])] = &[
    (
        "casussen.csv",
        include_bytes!("../../sample-data/casussen.csv"),
    ),
    (
        "signalen.csv",
        include_bytes!("../../sample-data/signalen.csv"),
    ),
    (
        "geplante-draden.json",
        include_bytes!("../../sample-data/geplante-draden.json"),
    ),
    (
        "excel/casussen.csv",
        include_bytes!("../../sample-data/excel/casussen.csv"),
    ),
    (
        "excel/signalen.csv",
        include_bytes!("../../sample-data/excel/signalen.csv"),
    ),
    (
        "excel/rodedraad.toml",
        include_bytes!("../../sample-data/excel/rodedraad.toml"),
    ),
    (
        "rodedraad.toml",
        include_bytes!("../../sample-data/rodedraad.toml"),
    ),
];

/// The export date of the embedded sample.
pub fn sample_export_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()
}

/// Runs the whole pipeline on the embedded sample into `out`; `say` receives
/// one Dutch line per step for the person watching.
pub fn demo(out: &Path, say: &mut dyn FnMut(String)) -> Result<()> {
    let invoer = out.join("invoer");
    for (name, bytes) in SAMPLE {
        crate::output::write_atomic(&invoer.join(name), bytes)?;
    }
    let export = sample_export_date();
    // The organisation and its yearly targets come from the sample's own configuration.
    let cfg = Config::load(&invoer.join("rodedraad.toml"))?;
    let excel_cfg = Config::load(&invoer.join("excel/rodedraad.toml"))?;
    let sources = Sources {
        cases: invoer.join("casussen.csv"),
        signals: Some(invoer.join("signalen.csv")),
        export_date: Some(export),
    };

    // 1. Check both exports: every row accounted for.
    let ds = sources.load(&cfg, export)?;
    super::write_check(&ds, &out.join("controle"))?;
    ds.check.summary_lines().into_iter().for_each(&mut *say);
    let excel = Sources {
        cases: invoer.join("excel/casussen.csv"),
        signals: Some(invoer.join("excel/signalen.csv")),
        export_date: Some(export),
    };
    let ds_x = excel.load(&excel_cfg, export)?;
    super::write_check(&ds_x, &out.join("controle-excel"))?;
    ds_x.check.summary_lines().into_iter().for_each(&mut *say);
    if ds_x.cases.height() != ds.cases.height() {
        return Err(Error::Internal(format!(
            "de Excel-export gaf {} casussen, de canonieke {}; de mapping klopt niet",
            ds_x.cases.height(),
            ds.cases.height()
        )));
    }

    // 2. Quarterly analysis files.
    let quarter = Period::last_quarter_before(export);
    let half = Period::last_half_before(export);
    let an_q = analyse::run(sources.load(&cfg, export)?, &quarter, quarter.end, &cfg)?;
    write_analysis(&an_q, &cfg, &out.join(format!("analyse-{}", quarter.label)))?;

    // 3. Ledger: a fresh register each demo, so the demo is deterministic.
    let reg_path = out.join("signalenregister.sqlite");
    if reg_path.exists() {
        std::fs::remove_file(&reg_path).map_err(|e| Error::Write {
            path: reg_path.clone(),
            message: e.to_string(),
        })?;
    }
    let mut ledger = open_ledger(Some(&reg_path), &cfg)?;
    let signals = sources.signals.as_deref().unwrap_or(Path::new(""));
    say(import(
        &mut ledger,
        signals,
        &cfg,
        export,
        &out.join("controle"),
    )?);
    let recipients = ["ksm", "ibtd", "dienst_toeslagen"];
    for (d, naar) in an_q
        .threads
        .iter()
        .filter(|d| d.n_casussen as u64 >= cfg.bescherming.min_cel)
        .zip(recipients)
    {
        promote(
            &mut ledger,
            d,
            Some(naar.to_string()),
            Some("Team Strategie, Communicatie en Onderzoek".into()),
            export,
        )?;
    }
    let exp = out.join("export");
    for to in [Destination::Ksm, Destination::Ibtd] {
        crate::export::write(&ledger, to, None, export, &cfg, &exp)?;
    }
    drop(ledger);
    let ledger_rows = read_ledger(&reg_path)?;

    // 4. The public half-year report, audited before it is left behind.
    let an_h = analyse::run(sources.load(&cfg, export)?, &half, half.end, &cfg)?;
    let all = vec![Format::Html, Format::Pdf, Format::Markdown, Format::Xlsx];
    let kamer = out.join(format!("kamerrapportage-{}", half.label));
    let opts = ReportOptions {
        prior: super::prior_for(&sources, &half, &cfg, Audience::Parliament, None, &|_| {})?.prior,
        ..ReportOptions::new(Audience::Parliament, all.clone())
    };
    let files = report(&an_h, &cfg, ledger_rows.as_deref(), &opts, &kamer)?;
    say(format!(
        "Kamerrapportage {}: {} (controle doorstaan)",
        half.title(),
        files.join(", ")
    ));

    // 5. The internal quarterly analysis.
    let intern = out.join(format!("kwartaalanalyse-{}", quarter.label));
    let opts = ReportOptions::new(Audience::Internal, all);
    let files = report(&an_q, &cfg, ledger_rows.as_deref(), &opts, &intern)?;
    say(format!(
        "Kwartaalanalyse {} (intern): {}",
        quarter.title(),
        files.join(", ")
    ));

    // 6. How well does detection find the planted threads?
    let planted = SAMPLE
        .iter()
        .find(|(name, _)| *name == "geplante-draden.json")
        .map(|(_, bytes)| *bytes)
        .unwrap_or_default();
    let truth: Vec<Truth> = serde_json::from_slice(planted).map_err(Error::internal)?;
    let ev = evaluate(&an_q.cases, &an_q.signals, &truth, None, &cfg);
    crate::output::write_json(&out.join("evaluatie.json"), &ev)?;
    say(format!(
        "detectie van geplante rode draden: recall {}, precisie {}",
        crate::nl::dec(ev.recall, 2),
        crate::nl::dec(ev.precisie, 2)
    ));
    say(format!(
        "klaar: open {}",
        kamer.join("rapport.html").display()
    ));
    Ok(())
}
