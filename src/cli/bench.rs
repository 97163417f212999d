//! `rodedraad bench`: measure the pipeline on a benchmark-sized synthetic set.
//!
//! ```text
//! rodedraad bench [--cases 1000000] [--teksten 100000] [--map MAP]
//! ```
//! Generates the cases with `sample`, writes them as CSV, then times ingest
//! (read + validate), all indicators, structural rode draden and text
//! clustering, and reports the peak memory. Figures go in the README.

use crate::analyse::indicators;
use crate::analyse::methods::text;
use crate::analyse::period::Period;
use crate::analyse::threads;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::sample::{generate, write_canonical, SampleOptions};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Aantal casussen.
    #[arg(long, default_value_t = 1_000_000)]
    pub cases: usize,
    /// Aantal samenvattingen voor de tekstclustering.
    #[arg(long, default_value_t = 100_000)]
    pub teksten: usize,
    /// Werkmap voor de gegenereerde bestanden.
    #[arg(long, value_name = "MAP", default_value = "target/bench-data")]
    pub map: PathBuf,
}

fn peak_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn run(a: BenchArgs) -> Result<i32> {
    let cfg = Config::default_config();
    let t = Instant::now();
    let dir = a.map.join(a.cases.to_string());
    let file = dir.join("casussen.csv");
    let opts = SampleOptions {
        seed: 7,
        cases: Some(a.cases),
        ..SampleOptions::default()
    };
    let export = opts.export_date;
    // Generate once; a second run reuses the file so that the peak memory is that of the pipeline.
    if !file.exists() {
        let data = generate(&opts);
        write_canonical(&data, &dir).map_err(|e| Error::Write {
            path: dir.clone(),
            message: e.to_string(),
        })?;
    }
    let gen = t.elapsed();
    let size_mb = std::fs::metadata(&file)
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or(0.0);
    let rss0 = peak_mb();

    let t = Instant::now();
    let ds = Dataset::load(&file, None, &cfg, export)?;
    let ingest = t.elapsed();
    let rss_ingest = peak_mb();

    let period = Period::last_half_before(export);
    let t = Instant::now();
    let ind = indicators::compute(&ds.cases, &period, period.end, &cfg)?;
    let ind_time = t.elapsed();

    let t = Instant::now();
    let cases = ds.case_structs()?;
    let conv = t.elapsed();
    let refs: Vec<&crate::model::Case> = cases.iter().collect();
    let t = Instant::now();
    let threads = threads::structural(&refs, &cfg);
    let structural = t.elapsed();

    let texts: Vec<&str> = cases
        .iter()
        .take(a.teksten)
        .filter_map(|c| c.samenvatting.as_deref())
        .collect();
    let t = Instant::now();
    let clusters = text::cluster_texts(&texts, &text::TextConfig::default());
    let text_time = t.elapsed();

    println!(
        "rodedraad bench ({} casussen, {} MB CSV)",
        crate::nl::int(a.cases as i64),
        crate::nl::dec(size_mb, 0)
    );
    println!(
        "  genereren en wegschrijven      {:>8.2} s",
        gen.as_secs_f64()
    );
    println!(
        "  inlezen + valideren            {:>8.2} s  ({} geaccepteerd)",
        ingest.as_secs_f64(),
        crate::nl::int(ds.cases.height() as i64)
    );
    println!(
        "  alle indicatoren ({})      {:>8.2} s  ({} cijfers)",
        period.label,
        ind_time.as_secs_f64(),
        ind.records.len()
    );
    println!(
        "  frame naar structs             {:>8.2} s",
        conv.as_secs_f64()
    );
    println!(
        "  structurele rode draden        {:>8.2} s  ({} draden)",
        structural.as_secs_f64(),
        threads.len()
    );
    println!(
        "  tekstclustering ({} teksten) {:>8.2} s  ({} clusters)",
        crate::nl::int(texts.len() as i64),
        text_time.as_secs_f64(),
        clusters.len()
    );
    if let (Some(a0), Some(a1), Some(a2)) = (rss0, rss_ingest, peak_mb()) {
        println!(
            "  piekgeheugen: {} MB vóór inlezen, {} MB na inlezen, {} MB aan het eind",
            crate::nl::dec(a0, 0),
            crate::nl::dec(a1, 0),
            crate::nl::dec(a2, 0)
        );
    }
    Ok(0)
}
