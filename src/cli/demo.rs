//! `rodedraad demo`: the whole pipeline on the embedded sample data.
//!
//! ```text
//! rodedraad demo [--out reports/demo]
//! ```
//! Writes, under `--out`:
//! - `invoer/`: the embedded sample (canonical and Excel-style with its mapping);
//! - `controle/`, `controle-excel/`: accounting and quarantine of both exports;
//! - `analyse-<kwartaal>/`: indicators and rode draden of the last quarter;
//! - `signalenregister.sqlite`, `export/`: the ledger with the sample signals and
//!   the strongest threads promoted, and the KSM and IBTD exports;
//! - `kamerrapportage-<halfjaar>/`: the public report (HTML, PDF, Markdown, XLSX), audited;
//! - `kwartaalanalyse-<kwartaal>/`: the internal quarterly analysis;
//! - `evaluatie.json`: recall and precision of the detection against the planted threads.

use super::analyse::{analyse, write_outputs};
use super::report::{make_report, read_ledger, ReportOptions};
use super::InputArgs;
use crate::analyse::draden;
use crate::analyse::period::Period;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::protect::tables::Audience;
use crate::render::Format;
use clap::Args;
use std::path::{Path, PathBuf};

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
];

/// The export date of the embedded sample.
pub fn sample_export_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Uitvoermap.
    #[arg(long, value_name = "MAP", default_value = "reports/demo")]
    pub out: PathBuf,
}

pub fn run(a: DemoArgs) -> Result<i32> {
    let out = &a.out;
    let w = |p: &Path, e: std::io::Error| Error::Schrijven {
        bestand: p.to_path_buf(),
        melding: e.to_string(),
    };
    let invoer = out.join("invoer");
    for (name, bytes) in SAMPLE {
        crate::output::write_atomic(&invoer.join(name), bytes)?;
    }
    let export = sample_export_date();
    let cfg = Config::default_config();
    let excel_cfg = Config::load(&invoer.join("excel/rodedraad.toml"))?;
    let input = InputArgs {
        cases: invoer.join("casussen.csv"),
        signals: Some(invoer.join("signalen.csv")),
        config: None,
        exportdatum: Some(export),
    };

    // 1. Check both exports: every row accounted for.
    let ds = Dataset::load(&input.cases, input.signals.as_deref(), &cfg, export)?;
    ds.write_check_files(&out.join("controle"))?;
    super::check::print_summary(&ds);
    let ds_x = Dataset::load(
        &invoer.join("excel/casussen.csv"),
        Some(&invoer.join("excel/signalen.csv")),
        &excel_cfg,
        export,
    )?;
    ds_x.write_check_files(&out.join("controle-excel"))?;
    super::check::print_summary(&ds_x);
    if ds_x.cases.height() != ds.cases.height() {
        return Err(Error::Intern(format!(
            "de Excel-export gaf {} casussen, de canonieke {}; de mapping klopt niet",
            ds_x.cases.height(),
            ds.cases.height()
        )));
    }

    // 2. Quarterly analysis files.
    let quarter = Period::last_quarter_before(export);
    let half = Period::last_half_before(export);
    let an_q = analyse(&input, &quarter, None, &cfg)?;
    write_outputs(&an_q, &cfg, &out.join(format!("analyse-{}", quarter.label)))?;

    // 3. Ledger: a fresh register each demo, so the demo is deterministic.
    let reg_path = out.join("signalenregister.sqlite");
    if reg_path.exists() {
        std::fs::remove_file(&reg_path).map_err(|e| w(&reg_path, e))?;
    }
    let mut ledger = super::signals::open_ledger(Some(&reg_path), &cfg)?;
    let msg = super::signals::import(
        &mut ledger,
        input.signals.as_deref().unwrap(),
        &cfg,
        export,
        &out.join("controle"),
    )?;
    eprintln!("{msg}");
    let recipients = ["ksm", "ibtd", "dienst_toeslagen"];
    for (d, naar) in an_q
        .draden
        .iter()
        .filter(|d| d.n_casussen as u64 >= cfg.bescherming.min_cel)
        .zip(recipients)
    {
        super::signals::promote(
            &mut ledger,
            d,
            Some(naar.to_string()),
            Some("Team Strategie, Communicatie en Onderzoek".into()),
            export,
        )?;
    }
    let exp = out.join("export");
    super::signals::export(&ledger, "ksm", None, export, &cfg, &exp)?;
    super::signals::export(&ledger, "ibtd", None, export, &cfg, &exp)?;
    drop(ledger);
    let ledger_rows = read_ledger(&reg_path)?;

    // 4. The public half-year report, audited before it is left behind.
    let an_h = analyse(&input, &half, None, &cfg)?;
    let all = vec![Format::Html, Format::Pdf, Format::Markdown, Format::Xlsx];
    let kamer = out.join(format!("kamerrapportage-{}", half.label));
    let files = make_report(
        &an_h,
        &cfg,
        ledger_rows.as_deref(),
        &ReportOptions {
            audience: Audience::Kamer,
            formats: all.clone(),
            strict: false,
            previous_versions: None,
        },
        &kamer,
    )?;
    eprintln!(
        "Kamerrapportage {}: {} (controle doorstaan)",
        half.title(),
        files.join(", ")
    );

    // 5. The internal quarterly analysis.
    let intern = out.join(format!("kwartaalanalyse-{}", quarter.label));
    let files = make_report(
        &an_q,
        &cfg,
        ledger_rows.as_deref(),
        &ReportOptions {
            audience: Audience::Intern,
            formats: all,
            strict: false,
            previous_versions: None,
        },
        &intern,
    )?;
    eprintln!(
        "Kwartaalanalyse {} (intern): {}",
        quarter.title(),
        files.join(", ")
    );

    // 6. How well does detection find the planted threads?
    let truth: Vec<super::evaluate::Truth> =
        serde_json::from_slice(SAMPLE[2].1).map_err(Error::intern)?;
    let cases = ds.case_structs()?;
    let last = cases.iter().map(|c| c.ontvangen_op).max().unwrap_or(export);
    let mut detected = draden::detect(
        &cases,
        &ds.signal_structs()?,
        &Period::quarter_of(last),
        last,
        &cfg,
    );
    draden::describe(&mut detected, &cfg);
    let ev = super::evaluate::score(&truth, &detected);
    crate::output::write_json(&out.join("evaluatie.json"), &ev)?;
    eprintln!(
        "detectie van geplante rode draden: recall {}, precisie {}",
        crate::nl::dec(ev.recall, 2),
        crate::nl::dec(ev.precisie, 2)
    );
    eprintln!("klaar: open {}", kamer.join("rapport.html").display());
    Ok(0)
}
