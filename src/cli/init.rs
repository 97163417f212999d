//! `rodedraad init`: write a starting `rodedraad.toml` for a new export.
//!
//! ```text
//! rodedraad init --cases F [--signals F] [--out rodedraad.toml] [--overschrijven]
//! ```
//! Headers are matched to canonical columns by similarity; for every coded
//! column the values found are listed with the nearest canonical code. Lines
//! where a person must decide carry a `# BESLIS:` comment.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::read::{read_table, RawTable};
use crate::ingest::spec::{known_codes, Entity, Kind};
use crate::util::normalize::{nearest, norm, similarity};
use clap::Args;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Casusbestand waarvoor de mapping wordt gemaakt.
    #[arg(long = "cases", visible_alias = "casussen", value_name = "BESTAND")]
    pub cases: PathBuf,
    /// Signaalbestand waarvoor de mapping wordt gemaakt.
    #[arg(long = "signals", visible_alias = "signalen", value_name = "BESTAND")]
    pub signals: Option<PathBuf>,
    /// Te schrijven configuratiebestand.
    #[arg(long, value_name = "BESTAND", default_value = "rodedraad.toml")]
    pub out: PathBuf,
    /// Overschrijf een bestaand bestand.
    #[arg(long)]
    pub overschrijven: bool,
}

pub fn run(a: InitArgs) -> Result<i32> {
    if a.out.exists() && !a.overschrijven {
        return Err(super::usage_error(format!(
            "{} bestaat al; kies een andere naam met --out of gebruik --overschrijven",
            a.out.display()
        )));
    }
    let cfg = Config::default_config();
    let cases = read_table(&a.cases, &cfg.invoer, None)?;
    let signals = a
        .signals
        .as_ref()
        .map(|p| read_table(p, &cfg.invoer, None))
        .transpose()?;
    let text = propose(&cases, signals.as_ref(), &cfg)?;
    crate::output::write_atomic(&a.out, text.as_bytes())?;
    // The proposal must itself be a valid configuration.
    Config::load(&a.out)?;
    eprintln!("{} geschreven; loop de regels met '# BESLIS' na en draai daarna 'rodedraad check --config {}'.", a.out.display(), a.out.display());
    Ok(0)
}

/// The proposed configuration text for these raw tables.
pub fn propose(cases: &RawTable, signals: Option<&RawTable>, cfg: &Config) -> Result<String> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# rodedraad.toml, voorgesteld door 'rodedraad init' voor {}",
        cases.path.display()
    );
    let _ = writeln!(
        out,
        "# Alles wat hier niet staat, komt uit de ingebouwde standaard (zie README).\n"
    );
    let _ = writeln!(out, "[invoer]");
    if let Some(d) = cases.delimiter {
        let d = if d == b'\t' {
            "\\t".to_string()
        } else {
            (d as char).to_string()
        };
        let _ = writeln!(out, "scheidingsteken = \"{d}\"");
    }
    let enc = if cases.encoding.starts_with("utf-8") {
        "utf-8"
    } else {
        cases.encoding
    };
    if enc == "utf-8" || enc == "windows-1252" {
        let _ = writeln!(out, "codering = \"{enc}\"");
    }
    let _ = writeln!(
        out,
        "datumformaten = {:?}\n",
        guess_date_formats(cases, cfg)
    );
    section(&mut out, cases, Entity::Cases, cfg)?;
    if let Some(s) = signals {
        section(&mut out, s, Entity::Signals, cfg)?;
    }
    Ok(out)
}

fn guess_date_formats(t: &RawTable, cfg: &Config) -> Vec<String> {
    let mut candidates: Vec<String> = cfg.invoer.datumformaten.clone();
    candidates.push("%m/%d/%Y".into());
    let samples: Vec<String> = t
        .headers
        .iter()
        .filter(|h| {
            norm(h).contains("datum") || norm(h).ends_with("_op") || norm(h).contains("date")
        })
        .filter_map(|h| {
            t.df.column(h).ok()?.str().ok().map(|c| {
                c.iter()
                    .flatten()
                    .take(50)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
        })
        .flatten()
        .collect();
    let mut best: Vec<(usize, String)> = candidates
        .into_iter()
        .map(|f| {
            let ok = samples
                .iter()
                .filter(|s| chrono::NaiveDate::parse_from_str(s.trim(), &f).is_ok())
                .count();
            (ok, f)
        })
        .filter(|(ok, _)| *ok > 0)
        .collect();
    best.sort_by_key(|b| std::cmp::Reverse(b.0));
    let v: Vec<String> = best.into_iter().map(|(_, f)| f).collect();
    if v.is_empty() {
        cfg.invoer.datumformaten.clone()
    } else {
        v
    }
}

fn toml_key(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn section(out: &mut String, t: &RawTable, entity: Entity, cfg: &Config) -> Result<()> {
    let name = entity.dutch();
    let _ = writeln!(out, "[{name}.kolommen]");
    let mut used: Vec<(&str, &str)> = Vec::new(); // (their header, canonical)
    for h in &t.headers {
        let best = entity
            .spec()
            .iter()
            .map(|c| (similarity(h, c.name), c.name))
            .filter(|(_, c)| !used.iter().any(|(_, u)| u == c))
            .max_by(|a, b| {
                a.0.partial_cmp(&b.0)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.1.cmp(a.1))
            });
        match best {
            Some((s, c)) if s >= 0.8 => {
                let _ = writeln!(out, "{} = \"{c}\"", toml_key(h));
                used.push((h, c));
            }
            Some((s, c)) if s >= 0.45 => {
                let _ = writeln!(
                    out,
                    "{} = \"{c}\"   # BESLIS: gok op gelijkenis ({:.0}%), controleer",
                    toml_key(h),
                    s * 100.0
                );
                used.push((h, c));
            }
            _ => {
                let _ = writeln!(
                    out,
                    "# {} = \"?\"   # BESLIS: geen canonieke kolom gevonden; vul in of laat weg",
                    toml_key(h)
                );
            }
        }
    }
    for c in entity
        .spec()
        .iter()
        .filter(|c| c.required && !used.iter().any(|(_, u)| u == &c.name))
    {
        let _ = writeln!(out, "# BESLIS: verplichte kolom \"{}\" is niet gevonden; wijs een kop aan of zet een vaste waarde onder [{name}.vast]", c.name);
    }
    let _ = writeln!(out);
    for (h, canon) in &used {
        let spec = entity.column(canon).expect("canonical column");
        let dim = match spec.kind {
            Kind::Code(d) | Kind::MultiCode(d) => d,
            Kind::Bool => {
                continue;
            }
            _ => continue,
        };
        let known = known_codes(cfg, dim);
        let col = t.df.column(h).map_err(Error::from)?;
        let uniq = col.unique().map_err(Error::from)?;
        let mut values: Vec<String> = uniq
            .str()
            .map_err(Error::from)?
            .iter()
            .flatten()
            .map(str::to_string)
            .collect();
        if matches!(spec.kind, Kind::MultiCode(_)) {
            let mut parts: Vec<String> = values
                .iter()
                .flat_map(|v| v.split(['|', ',', ';']).map(|p| p.trim().to_string()))
                .filter(|p| !p.is_empty())
                .collect();
            parts.sort();
            parts.dedup();
            values = parts;
        }
        values.sort();
        let _ = writeln!(out, "[{name}.waarden.{canon}]");
        for v in values.iter().take(200) {
            if known.iter().any(|k| norm(k) == norm(v)) {
                continue; // matches already after normalisation
            }
            match nearest(v, known.iter().map(String::as_str)) {
                Some(k) => {
                    let _ = writeln!(
                        out,
                        "{} = \"{k}\"   # BESLIS: voorstel, controleer",
                        toml_key(v)
                    );
                }
                None => {
                    let _ = writeln!(out, "# {} = \"?\"   # BESLIS: geen code gevonden; kies uit [taxonomie.{dim}] of voeg een code toe", toml_key(v));
                }
            }
        }
        if values.len() > 200 {
            let _ = writeln!(out, "# ... en nog {} waarden", values.len() - 200);
        }
        let _ = writeln!(out);
    }
    Ok(())
}
