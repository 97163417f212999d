//! The benchmark behind `rodedraad meet`: runs every stage of the pipeline on one case file
//! and measures each one (wall time, CPU time, peak memory, memory held afterwards).
//!
//! Stages, in pipeline order: read, validate, indicators, frame to structs, all rode draden
//! (as `analyse` runs them), protect, render (HTML and PDF) and writing the analysis files.
//! Two detail stages are measured on their own next to "alle rode draden", which contains
//! them: structural threads and the text threads (stock sentences, clustering, phrases, the
//! same calls as the text detection). They are listed but not counted in the total.
//!
//! Memory comes from `/proc/self/status` (Linux): before each stage the peak (`VmHWM`) is reset
//! by writing `5` to `/proc/self/clear_refs`, so the peak after the stage is the peak *during*
//! it; `VmRSS` after the stage is what it left in memory. Where the reset is not allowed the
//! peak is the process peak so far, and [`BenchReport::geheugenmeting`] says so.
//!
//! ```no_run
//! use rodedraad::{config::Config, pipeline::bench};
//! let cfg = Config::default_config();
//! let export = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
//! let period = "2025".parse().unwrap();
//! let report = bench::run("casussen.csv".as_ref(), &period, export, &cfg).unwrap();
//! for s in &report.stappen {
//!     println!("{}: {:.2} s", s.stap, s.seconden);
//! }
//! ```

use crate::analyse::indicators;
use crate::analyse::methods::text::phrases::distinctive_phrases;
use crate::analyse::methods::text::templates::{self, Meta, TemplateConfig};
use crate::analyse::methods::text::{self, TextConfig};
use crate::analyse::period::Period;
use crate::analyse::{threads, Analysis};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::spec::Entity;
use crate::ingest::{read, validate, CheckOutcome, CheckReport, Dataset};
use crate::model::Case;
use crate::protect::publication;
use crate::protect::tables::Audience;
use crate::render::{renderer_for, Format, Templates};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// One measured stage.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stage {
    /// Dutch name of the stage.
    pub stap: String,
    /// Wall-clock seconds.
    pub seconden: f64,
    /// CPU seconds of the whole process (all threads) during the stage.
    pub cpu_seconden: f64,
    /// Peak resident memory during the stage in MB (see [`BenchReport::geheugenmeting`]).
    pub piekgeheugen_mb: Option<f64>,
    /// Resident memory after the stage in MB.
    pub geheugen_na_mb: Option<f64>,
    /// What the stage produced, in Dutch ("812.345 casussen geaccepteerd").
    pub resultaat: String,
    /// `true` for a detail stage that is also part of a later stage (not in the total).
    pub deel_van_andere_stap: bool,
}

/// Size of an output file of the analysis.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutputSize {
    pub bestand: String,
    pub bytes: u64,
}

/// Everything `rodedraad meet` measured.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BenchReport {
    pub bestand: String,
    pub bestand_mb: f64,
    pub casussen_gelezen: usize,
    pub casussen_geaccepteerd: usize,
    pub periode: String,
    pub kernen: usize,
    /// How the memory figures were measured.
    pub geheugenmeting: String,
    pub stappen: Vec<Stage>,
    /// Sum of the stages that are not part of another stage.
    pub totaal_seconden: f64,
    /// Highest peak of all stages, in MB.
    pub piekgeheugen_mb: Option<f64>,
    /// Peak memory over the size of the input file.
    pub piek_per_bestandsgrootte: Option<f64>,
    /// Sizes of the analysis files (`rodedraad analyse --uitvoer`).
    pub uitvoer: Vec<OutputSize>,
}

/// Memory figures of this process from `/proc/self/status`, in MB: (VmHWM, VmRSS).
fn memory_mb() -> (Option<f64>, Option<f64>) {
    let Ok(s) = std::fs::read_to_string("/proc/self/status") else {
        return (None, None);
    };
    let field = |name: &str| {
        let line = s.lines().find(|l| l.starts_with(name))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Resets the peak (`VmHWM`) to the current resident size; `false` when not allowed.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// CPU seconds (user + system, all threads) of this process so far.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct we pass and reads nothing else.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return 0.0;
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// Runs stages and records their measurements.
struct Recorder {
    stages: Vec<Stage>,
    peak_reset: bool,
}

impl Recorder {
    fn stage<T>(
        &mut self,
        name: &str,
        detail: bool,
        f: impl FnOnce() -> Result<T>,
        describe: impl FnOnce(&T) -> String,
    ) -> Result<T> {
        self.peak_reset &= reset_peak();
        let (cpu, wall) = (cpu_seconds(), Instant::now());
        let out = f()?;
        let seconden = wall.elapsed().as_secs_f64();
        let cpu_seconden = cpu_seconds() - cpu;
        let (peak, rss) = memory_mb();
        self.stages.push(Stage {
            stap: name.to_string(),
            seconden,
            cpu_seconden,
            piekgeheugen_mb: peak,
            geheugen_na_mb: rss,
            resultaat: describe(&out),
            deel_van_andere_stap: detail,
        });
        Ok(out)
    }
}

/// Measures every stage of the pipeline on `file` for `period` (peildatum: the end of the
/// period, or the export date when earlier). The analysis files are written into a temporary
/// folder to measure their size and removed afterwards.
pub fn run(file: &Path, period: &Period, export: NaiveDate, cfg: &Config) -> Result<BenchReport> {
    let reference_date = period.end.min(export);
    let mut rec = Recorder {
        stages: Vec::new(),
        peak_reset: true,
    };
    let int = |n: usize| crate::nl::int(n as i64);
    let raw = rec.stage(
        "inlezen",
        false,
        || read::read_table(file, &cfg.invoer, None),
        |r| format!("{} rijen", int(r.df.height())),
    )?;
    let read_rows = raw.df.height();
    let validated = rec.stage(
        "valideren",
        false,
        || {
            let v = validate::validate(&raw, Entity::Cases, cfg, export);
            drop(raw);
            crate::ingest::trim_heap();
            v
        },
        |v| {
            format!(
                "{} geaccepteerd, {} in quarantaine",
                int(v.accepted.height()),
                int(v.quarantine.height())
            )
        },
    )?;
    let accepted = validated.accepted.height();
    let dataset = Dataset {
        cases: validated.accepted,
        signals: None,
        check: CheckOutcome {
            quarantine_cases: validated.quarantine,
            quarantine_signals: None,
            report: CheckReport {
                exportdatum: export,
                invoer: vec![validated.summary],
            },
        },
    };
    let ind = rec.stage(
        "indicatoren",
        false,
        || indicators::compute(&dataset.cases, period, reference_date, cfg),
        |i| format!("{} cijfers", int(i.records.len())),
    )?;
    let (cases, _, check) = rec.stage(
        "casussen omzetten (frame naar structs)",
        false,
        || dataset.into_structs(),
        |(c, _, _)| format!("{} casussen", int(c.len())),
    )?;
    let upto: Vec<&Case> = cases
        .iter()
        .filter(|c| c.ontvangen_op <= reference_date)
        .collect();
    rec.stage(
        "structurele draden (los gemeten)",
        true,
        || Ok(threads::structural(&upto, cfg)),
        |t| format!("{} draden", int(t.len())),
    )?;
    // The detail stages exist only in the bench: what they freed must not count for the next.
    crate::ingest::trim_heap();
    rec.stage(
        "tekstdraden (los gemeten)",
        true,
        || Ok(text_stage(&upto, cfg)),
        |t| {
            format!(
                "{} teksten, {} clusters (grootste {}); cpu: standaardzinnen {} s, clusteren {} s ({}), frasen {} s",
                int(t.texts),
                int(t.clusters),
                int(t.largest),
                crate::nl::dec(t.seconds[0], 1),
                crate::nl::dec(t.seconds[1], 1),
                t.cluster_steps
                    .iter()
                    .map(|(name, s)| format!("{name} {}", crate::nl::dec(*s, 1)))
                    .collect::<Vec<_>>()
                    .join(", "),
                crate::nl::dec(t.seconds[2], 1)
            )
        },
    )?;
    drop(upto);
    crate::ingest::trim_heap();
    let (draden, context) = rec.stage(
        "alle rode draden (zoals analyse)",
        false,
        || {
            let (mut d, c) = threads::detect_with_context(&cases, &[], period, reference_date, cfg);
            threads::describe(&mut d, cfg);
            Ok((d, c))
        },
        |(d, _)| format!("{} draden", int(d.len())),
    )?;
    let an = Analysis {
        check,
        cases,
        signals: Vec::new(),
        indicators: ind,
        threads: draden,
        thread_context: context,
    };
    let (released, _) = rec.stage(
        "beschermen (Kamerrapportage)",
        false,
        || {
            publication::build(&publication::Inputs {
                analysis: &an,
                cfg,
                audience: Audience::Parliament,
                ledger: None,
                previous_versions: None,
                scan_all: false,
                prior: None,
            })
        },
        |(r, _)| format!("{} tabellen", int(r.tabellen.len())),
    )?;
    rec.stage(
        "opmaken (HTML en PDF)",
        false,
        || {
            let templates = Templates::load(None)?;
            let mut files = Vec::new();
            for f in [Format::Html, Format::Pdf] {
                files.extend(renderer_for(f).render(&released, &templates)?);
            }
            Ok(files)
        },
        |f| {
            let bytes: usize = f.iter().map(|(_, b)| b.len()).sum();
            format!("{} bestanden, {} kB", f.len(), int(bytes / 1000))
        },
    )?;
    let tmp = std::env::temp_dir().join(format!("rodedraad-bench-{}", std::process::id()));
    let uitvoer = rec.stage(
        "analysebestanden schrijven",
        false,
        || write_files(&an, cfg, &tmp),
        |u| {
            let bytes: u64 = u.iter().map(|o| o.bytes).sum();
            format!(
                "{} bestanden, {} MB",
                u.len(),
                int((bytes / 1_000_000) as usize)
            )
        },
    )?;
    let _ = std::fs::remove_dir_all(&tmp);
    let bestand_mb = std::fs::metadata(file)
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or(0.0);
    let piek = rec
        .stages
        .iter()
        .filter_map(|s| s.piekgeheugen_mb)
        .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))));
    let geheugenmeting = if rec.peak_reset {
        "piek per stap: VmHWM uit /proc/self/status, vóór elke stap teruggezet via /proc/self/clear_refs; geheugen na: VmRSS"
    } else {
        "piek: VmHWM uit /proc/self/status (terugzetten niet toegestaan, dus de piek van het proces tot dan); geheugen na: VmRSS"
    };
    Ok(BenchReport {
        bestand: file.display().to_string(),
        bestand_mb,
        casussen_gelezen: read_rows,
        casussen_geaccepteerd: accepted,
        periode: period.label.clone(),
        kernen: std::thread::available_parallelism().map_or(1, |n| n.get()),
        geheugenmeting: geheugenmeting.to_string(),
        totaal_seconden: rec
            .stages
            .iter()
            .filter(|s| !s.deel_van_andere_stap)
            .map(|s| s.seconden)
            .sum(),
        piek_per_bestandsgrootte: piek.filter(|_| bestand_mb > 0.0).map(|p| p / bestand_mb),
        piekgeheugen_mb: piek,
        stappen: rec.stages,
        uitvoer,
    })
}

/// What the text stage did and the CPU seconds of its parts (stock sentences, clustering,
/// phrases).
struct TextStage {
    texts: usize,
    clusters: usize,
    largest: usize,
    seconds: [f64; 3],
    /// The clustering's own steps (name, seconds).
    cluster_steps: Vec<(&'static str, f64)>,
}

/// The text detection's own calls (stock sentences, clustering, phrases) on the cases' summaries,
/// as the text threads make them.
fn text_stage(cases: &[&Case], cfg: &Config) -> TextStage {
    let dc = &cfg.draden;
    let with_text = crate::analyse::threads::text::cases_with_summary(cases);
    let texts: Vec<&str> = with_text
        .iter()
        .map(|c| c.samenvatting.as_deref().unwrap_or(""))
        .collect();
    // The same metadata as the text detection: helper, main theme and quarter of receipt.
    let first = with_text.iter().map(|c| c.ontvangen_op).min();
    let index = |d: NaiveDate| d.year() * 4 + (d.month0() / 3) as i32;
    let quarter = |d: NaiveDate| (index(d) - first.map_or(index(d), index)).max(0) as u32;
    let (mut helpers, mut groups): (HashMap<&str, u32>, HashMap<&str, u32>) = Default::default();
    let meta: Vec<Meta> = with_text
        .iter()
        .map(|c| {
            let helper = c.aandrager_id.as_deref().unwrap_or(&c.aandrager_type);
            let (nh, ng) = (helpers.len() as u32, groups.len() as u32);
            Meta {
                helper: *helpers.entry(helper).or_insert(nh),
                group: *groups.entry(c.main_theme()).or_insert(ng),
                bucket: quarter(c.ontvangen_op),
            }
        })
        .collect();
    let tcfg = TemplateConfig {
        min_texts: dc.standaardzin_min_teksten,
        ..TemplateConfig::default()
    };
    let t = cpu_seconds();
    let stock = templates::find_stock_sentences(&texts, &meta, &tcfg);
    let t_stock = cpu_seconds() - t;
    let stripped: Vec<&str> = stock.stripped.iter().map(String::as_str).collect();
    let tc = TextConfig {
        min_similarity: dc.tekst_min_gelijkenis,
        min_cluster: dc.tekst_min_cluster,
        exact_max: dc.tekst_exact_max,
        ..TextConfig::default()
    };
    let t = cpu_seconds();
    let (clusters, cluster_steps) = text::cluster_texts_timed(&stripped, &tc, &cpu_seconds);
    let t_cluster = cpu_seconds() - t;
    let members: Vec<Vec<usize>> = clusters.iter().map(|c| c.members.clone()).collect();
    let t = cpu_seconds();
    let _ = distinctive_phrases(&stripped, &members, 3);
    let t_phrases = cpu_seconds() - t;
    TextStage {
        texts: texts.len(),
        clusters: clusters.len(),
        largest: members.iter().map(Vec::len).max().unwrap_or(0),
        seconds: [t_stock, t_cluster, t_phrases],
        cluster_steps,
    }
}

/// Writes the analysis files into `dir` and returns their sizes.
fn write_files(an: &Analysis, cfg: &Config, dir: &Path) -> Result<Vec<OutputSize>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Write {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    crate::analyse::files::write(an, cfg, dir)?;
    let mut out: Vec<OutputSize> = std::fs::read_dir(dir)
        .map_err(|e| Error::Write {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            Some(OutputSize {
                bestand: e.file_name().to_string_lossy().into_owned(),
                bytes: e.metadata().ok()?.len(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.bestand.cmp(&b.bestand));
    Ok(out)
}

/// The report as Dutch text lines (what `rodedraad meet` prints).
pub fn lines(r: &BenchReport) -> Vec<String> {
    let dec = crate::nl::dec;
    let mb = |v: Option<f64>| v.map_or("-".to_string(), |x| crate::nl::int(x.round() as i64));
    let mut out = vec![
        format!(
            "rodedraad meet: {} ({} MB, {} casussen gelezen, {} geaccepteerd), periode {}, {} kernen",
            r.bestand,
            dec(r.bestand_mb, 0),
            crate::nl::int(r.casussen_gelezen as i64),
            crate::nl::int(r.casussen_geaccepteerd as i64),
            r.periode,
            r.kernen
        ),
        format!(
            "  {:<42} {:>9} {:>9} {:>9} {:>9}  resultaat",
            "stap", "tijd (s)", "cpu (s)", "piek MB", "na MB"
        ),
    ];
    for s in &r.stappen {
        out.push(format!(
            "  {:<42} {:>9} {:>9} {:>9} {:>9}  {}",
            if s.deel_van_andere_stap {
                format!("  waarvan {}", s.stap)
            } else {
                s.stap.clone()
            },
            dec(s.seconden, 2),
            dec(s.cpu_seconden, 2),
            mb(s.piekgeheugen_mb),
            mb(s.geheugen_na_mb),
            s.resultaat
        ));
    }
    out.push(format!(
        "  totaal {} s; piekgeheugen {} MB = {}x het invoerbestand",
        dec(r.totaal_seconden, 1),
        mb(r.piekgeheugen_mb),
        r.piek_per_bestandsgrootte.map_or("-".into(), |x| dec(x, 1))
    ));
    out.push(format!("  geheugenmeting: {}", r.geheugenmeting));
    let sizes: Vec<String> = r
        .uitvoer
        .iter()
        .map(|o| {
            format!(
                "{} {} kB",
                o.bestand,
                crate::nl::int((o.bytes / 1000) as i64)
            )
        })
        .collect();
    out.push(format!("  uitvoer: {}", sizes.join(", ")));
    out
}
