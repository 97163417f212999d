//! Ingest: read case and signal exports, map them onto the canonical model,
//! validate every row and account for all of them.
//!
//! The flow is `read` (file -> raw text table) -> `validate` (mapping, typed
//! parsing, row rules, quarantine) -> [`Dataset`] (accepted frames plus the
//! accounting). Nothing is lost: for every file, read = accepted + quarantined.
//!
//! ```no_run
//! use rodedraad::{config::Config, ingest::Dataset};
//! let cfg = Config::default_config();
//! let today = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
//! let ds = Dataset::load("casussen.csv".as_ref(), Some("signalen.csv".as_ref()), &cfg, today).unwrap();
//! println!("{} casussen geaccepteerd", ds.cases.height());
//! ```

pub mod dates;
pub mod init;
pub mod read;
pub mod sheet_size;
pub mod spec;
pub mod validate;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{
    AdviceResponse, Case, Code, CodeCache, EscalationLevel, Outcome, Recipient, Service, Signal,
    SignalSource, SignalStatus, Text, TriageDecision,
};
use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;
use spec::Entity;
use std::collections::BTreeSet;
use std::path::Path;
pub use validate::InputSummary;

/// Gives memory that was freed back to the operating system (glibc keeps freed blocks in its
/// arenas, so without this the resident size never drops after a large frame is dropped and
/// every later step starts from the highest level so far). A no-op on other platforms.
pub fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Everything ingest produced: the accepted rows and the outcome of the check.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub cases: DataFrame,
    pub signals: Option<DataFrame>,
    pub check: CheckOutcome,
}

/// The outcome of the check (controle): the rows in quarantine and the accounting of every
/// file. It outlives the accepted frames: an analysis keeps it for `controle.json` and the
/// quarantine files after the frames are turned into structs and dropped.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    pub quarantine_cases: DataFrame,
    pub quarantine_signals: Option<DataFrame>,
    pub report: CheckReport,
}

/// The content of `controle.json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckReport {
    pub exportdatum: NaiveDate,
    pub invoer: Vec<InputSummary>,
}

impl Dataset {
    /// Reads and validates the case file and, when given, the signal file.
    pub fn load(
        cases: &Path,
        signals: Option<&Path>,
        cfg: &Config,
        export_date: NaiveDate,
    ) -> Result<Dataset> {
        // The raw text table is dropped as soon as it is validated.
        let vc = {
            let raw = read::read_table(cases, &cfg.invoer, None)?;
            validate::validate(&raw, Entity::Cases, cfg, export_date)?
        };
        trim_heap();
        let mut invoer = vec![vc.summary];
        let (mut sig, mut qsig) = (None, None);
        if let Some(p) = signals {
            let raw = read::read_table(p, &cfg.invoer, None)?;
            let mut vs = validate::validate(&raw, Entity::Signals, cfg, export_date)?;
            let dangling = dangling_case_ids(&vs.accepted, &vc.accepted)?;
            if !dangling.is_empty() {
                let shown: Vec<&str> = dangling.iter().take(10).map(String::as_str).collect();
                vs.summary.waarschuwingen.push(format!(
                    "{} verwijzing(en) in casus_ids naar casussen die niet in het casusbestand staan: {}{}",
                    dangling.len(),
                    shown.join(", "),
                    if dangling.len() > 10 { ", ..." } else { "" }
                ));
            }
            invoer.push(vs.summary);
            sig = Some(vs.accepted);
            qsig = Some(vs.quarantine);
        }
        Ok(Dataset {
            cases: vc.accepted,
            signals: sig,
            check: CheckOutcome {
                quarantine_cases: vc.quarantine,
                quarantine_signals: qsig,
                report: CheckReport {
                    exportdatum: export_date,
                    invoer,
                },
            },
        })
    }

    /// Accepted cases as domain structs.
    pub fn case_structs(&self) -> Result<Vec<Case>> {
        cases_from_frame(&self.cases)
    }

    /// The accepted rows as domain structs, with the outcome of the check; the frames are
    /// dropped and their memory given back before anything else runs, so the rode draden
    /// work beside the structs only (at a million cases the frame is a few hundred MB).
    /// The indicators are computed from the frame before this.
    pub fn into_structs(self) -> Result<(Vec<Case>, Vec<Signal>, CheckOutcome)> {
        let cases = cases_from_frame(&self.cases)?;
        let signals = self.signal_structs()?;
        let Dataset {
            cases: frame,
            signals: signal_frame,
            check,
        } = self;
        drop((frame, signal_frame));
        trim_heap();
        Ok((cases, signals, check))
    }

    /// Accepted signals as domain structs (empty without a signal file).
    pub fn signal_structs(&self) -> Result<Vec<Signal>> {
        self.signals
            .as_ref()
            .map(signals_from_frame)
            .unwrap_or(Ok(Vec::new()))
    }
}

impl CheckOutcome {
    /// Writes `quarantaine-casussen.csv`, `quarantaine-signalen.csv` and `controle.json` into `dir`.
    pub fn write_check_files(&self, dir: &Path) -> Result<()> {
        write_quarantine(
            &self.quarantine_cases,
            &dir.join("quarantaine-casussen.csv"),
        )?;
        if let Some(q) = &self.quarantine_signals {
            write_quarantine(q, &dir.join("quarantaine-signalen.csv"))?;
        }
        crate::output::write_json(&dir.join("controle.json"), &self.report)
    }

    /// The accounting of every file in Dutch, one line each (warnings indented).
    pub fn summary_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in &self.report.invoer {
            out.push(format!(
                "{} ({}): {} gelezen = {} geaccepteerd + {} in quarantaine",
                s.bestand,
                s.soort,
                crate::nl::int(s.gelezen as i64),
                crate::nl::int(s.geaccepteerd as i64),
                crate::nl::int(s.in_quarantaine as i64)
            ));
            out.extend(
                s.datumformaten
                    .iter()
                    .map(|(c, f)| format!("  datums in {c}: {f}")),
            );
            out.extend(s.waarschuwingen.iter().map(|w| format!("  let op: {w}")));
        }
        out
    }
}

fn dangling_case_ids(signals: &DataFrame, cases: &DataFrame) -> Result<Vec<String>> {
    let known: BTreeSet<&str> = cases.column("casus_id")?.str()?.iter().flatten().collect();
    let mut out = BTreeSet::new();
    for cell in signals.column("casus_ids")?.str()?.iter().flatten() {
        for id in cell.split('|') {
            if !known.contains(id) {
                out.insert(id.to_string());
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// Writes a quarantine frame as CSV. Original values are written untouched.
pub fn write_quarantine(q: &DataFrame, path: &Path) -> Result<()> {
    let header: Vec<String> = q.get_column_names().iter().map(|s| s.to_string()).collect();
    let cols: Vec<Vec<String>> = q
        .columns()
        .iter()
        .map(|c| {
            let s = c.cast(&DataType::String).map_err(Error::from)?;
            Ok(s.str()?
                .iter()
                .map(|v| v.unwrap_or("").to_string())
                .collect())
        })
        .collect::<Result<_>>()?;
    let rows: Vec<Vec<String>> = (0..q.height())
        .map(|i| cols.iter().map(|c| c[i].clone()).collect())
        .collect();
    crate::output::write_csv(path, &header, &rows)
}

// ---- frame -> structs ------------------------------------------------------

/// The values of a string column, each turned into a `String` only when it is taken: no
/// column-wide list of strings exists next to the frame while the structs are built.
fn strs<'a>(df: &'a DataFrame, name: &str) -> Result<impl Iterator<Item = Option<String>> + 'a> {
    Ok(text(df, name)?.map(|v| v.map(str::to_string)))
}

/// The values of a string column as borrowed text (for codes, which become enums).
fn text<'a>(df: &'a DataFrame, name: &str) -> Result<impl Iterator<Item = Option<&'a str>> + 'a> {
    Ok(df.column(name)?.str()?.iter())
}

/// The values of a string column as [`Text`]s over the column's own buffers: nothing is
/// copied except values of at most 12 bytes, which polars keeps inside the row's view
/// instead of in a buffer.
fn shared_texts<'a>(
    df: &'a DataFrame,
    name: &str,
) -> Result<impl Iterator<Item = Option<Text>> + 'a> {
    let ca = df.column(name)?.str()?;
    Ok(ca
        .downcast_iter()
        .flat_map(|arr| (0..arr.len()).map(move |i| shared_text(arr, i))))
}

/// Value `i` of one chunk of a string column as a [`Text`] (see [`shared_texts`]).
fn shared_text(arr: &<StringType as PolarsDataType>::Array, i: usize) -> Option<Text> {
    let value = arr.get(i)?;
    let view = arr.views()[i];
    if view.is_inline() {
        return Some(Text::from(value));
    }
    let start = view.offset as usize;
    let bytes = arr.data_buffers()[view.buffer_idx as usize]
        .clone()
        .sliced(start..start + view.length as usize);
    debug_assert_eq!(bytes.as_slice(), value.as_bytes());
    // SAFETY: these are the very bytes polars reads as value `i` of the column (the view's
    // buffer, offset and length), and a string column holds valid UTF-8 only.
    Some(unsafe { Text::from_utf8_unchecked(bytes) })
}

fn dates(df: &DataFrame, name: &str) -> Result<Vec<Option<NaiveDate>>> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let c = df.column(name)?.cast(&DataType::Int32)?;
    Ok(c.i32()?
        .iter()
        .map(|v| v.map(|d| epoch + chrono::Days::new(0) + chrono::TimeDelta::days(d as i64)))
        .collect())
}

fn ints(df: &DataFrame, name: &str) -> Result<Vec<Option<u8>>> {
    Ok(df
        .column(name)?
        .i32()?
        .iter()
        .map(|v| v.map(|x| x as u8))
        .collect())
}

fn bools(df: &DataFrame, name: &str) -> Result<Vec<Option<bool>>> {
    Ok(df.column(name)?.bool()?.iter().collect())
}

fn split(v: Option<&str>) -> Vec<String> {
    v.map(|s| s.split('|').map(str::to_string).collect())
        .unwrap_or_default()
}

/// The values of a string column as interned codes: each distinct value is looked up in
/// the process-wide table once per column, not allocated once per row.
fn codes<'a>(df: &'a DataFrame, name: &str) -> Result<impl Iterator<Item = Option<Code>> + 'a> {
    let mut cache = CodeCache::default();
    Ok(text(df, name)?.map(move |v| v.map(|s| cache.code(s))))
}

/// A multi-valued code cell split on `|`, each part interned.
fn split_codes<'a>(v: Option<&'a str>, cache: &mut CodeCache<'a>) -> Vec<Code> {
    v.map(|s| s.split('|').map(|p| cache.code(p)).collect())
        .unwrap_or_default()
}

/// A closed code from an accepted row. Validation quarantines unknown codes, so
/// one here means a frame that skipped validation: an internal error, not a guess.
fn code<T>(v: Option<&str>, parse: fn(&str) -> Option<T>, column: &str) -> Result<Option<T>> {
    match v {
        None => Ok(None),
        Some(s) => parse(s).map(Some).ok_or_else(|| {
            Error::Internal(format!(
                "onbekende code \"{s}\" in kolom {column} van een gevalideerde rij"
            ))
        }),
    }
}

/// Below this many cases the structs are made on one thread.
const STRUCTS_PARALLEL_FROM: usize = 50_000;

/// Converts an accepted case frame into [`Case`] structs (same order), a large frame in
/// parts at once: each thread fills its own run of the result from its own slice of the frame.
pub fn cases_from_frame(df: &DataFrame) -> Result<Vec<Case>> {
    let n = df.height();
    let threads = crate::util::parallel::threads_for(n, STRUCTS_PARALLEL_FROM, 8);
    let mut out: Vec<Case> = Vec::new();
    out.resize_with(n, Case::default);
    if threads < 2 {
        fill_cases(df, &mut out)?;
        return Ok(out);
    }
    let per = n.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = out
            .chunks_mut(per)
            .enumerate()
            .map(|(i, slots)| {
                let part = df.slice((i * per) as i64, slots.len());
                s.spawn(move || fill_cases(&part, slots))
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().expect("frame to structs panicked"))
    })?;
    Ok(out)
}

/// Fills `out` with the cases of `df`, row by row (`out` is as long as `df`).
fn fill_cases(df: &DataFrame, out: &mut [Case]) -> Result<()> {
    let mut id = strs(df, "casus_id")?;
    let mut ontv = dates(df, "ontvangen_op")?.into_iter();
    let mut at = codes(df, "aandrager_type")?;
    let mut aid = codes(df, "aandrager_id")?;
    let mut dienst = text(df, "dienst")?;
    let mut thema = codes(df, "thema")?;
    let mut regeling = codes(df, "regeling")?;
    let mut doelgroep = text(df, "doelgroep")?;
    let mut groups = CodeCache::default();
    let mut leven = codes(df, "levensgebeurtenis")?;
    let mut compl = ints(df, "complexiteit")?.into_iter();
    let mut spoed = bools(df, "spoed")?.into_iter();
    let mut triage_op = dates(df, "triage_op")?.into_iter();
    let mut besluit = text(df, "triage_besluit")?;
    let mut warm = bools(df, "warm_doorverwezen")?.into_iter();
    let mut naar = strs(df, "doorverwezen_naar")?;
    let mut zw_op = dates(df, "zienswijze_op")?.into_iter();
    let mut reactie = text(df, "zienswijze_reactie")?;
    let mut esc = bools(df, "geescaleerd")?.into_iter();
    let mut esc_op = dates(df, "geescaleerd_op")?.into_iter();
    let mut niveau = text(df, "escalatie_niveau")?;
    let mut pauze = bools(df, "pauzeknop")?.into_iter();
    let mut uitkomst = text(df, "uitkomst")?;
    let mut afg = dates(df, "afgerond_op")?.into_iter();
    let mut bb = ints(df, "beleving_burger")?.into_iter();
    let mut be = ints(df, "beleving_eerstelijnshelper")?.into_iter();
    let mut bh = ints(df, "beleving_helper_dienst")?.into_iter();
    let mut les = strs(df, "geleerde_les")?;
    let mut samen = shared_texts(df, "samenvatting")?;
    let mut verhaal = bools(df, "verhaal_vrijgegeven")?.into_iter();
    for slot in out.iter_mut() {
        *slot = Case {
            casus_id: id.next().flatten().unwrap_or_default(),
            ontvangen_op: ontv.next().flatten().unwrap_or_default(),
            aandrager_type: at.next().flatten().unwrap_or_default(),
            aandrager_id: aid.next().flatten(),
            dienst: code(dienst.next().flatten(), Service::parse, "dienst")?,
            thema: thema.next().flatten().unwrap_or_default(),
            regeling: regeling.next().flatten(),
            doelgroep: split_codes(doelgroep.next().flatten(), &mut groups),
            levensgebeurtenis: leven.next().flatten(),
            complexiteit: compl.next().flatten(),
            spoed: spoed.next().flatten(),
            triage_op: triage_op.next().flatten(),
            triage_besluit: code(
                besluit.next().flatten(),
                TriageDecision::parse,
                "triage_besluit",
            )?,
            warm_doorverwezen: warm.next().flatten(),
            doorverwezen_naar: naar.next().flatten(),
            zienswijze_op: zw_op.next().flatten(),
            zienswijze_reactie: code(
                reactie.next().flatten(),
                AdviceResponse::parse,
                "zienswijze_reactie",
            )?,
            geescaleerd: esc.next().flatten(),
            geescaleerd_op: esc_op.next().flatten(),
            escalatie_niveau: code(
                niveau.next().flatten(),
                EscalationLevel::parse,
                "escalatie_niveau",
            )?,
            pauzeknop: pauze.next().flatten(),
            uitkomst: code(uitkomst.next().flatten(), Outcome::parse, "uitkomst")?,
            afgerond_op: afg.next().flatten(),
            beleving_burger: bb.next().flatten(),
            beleving_eerstelijnshelper: be.next().flatten(),
            beleving_helper_dienst: bh.next().flatten(),
            geleerde_les: les.next().flatten(),
            samenvatting: samen.next().flatten(),
            verhaal_vrijgegeven: verhaal.next().flatten(),
        };
    }
    Ok(())
}

/// Converts an accepted signal frame into [`Signal`] structs (same order).
pub fn signals_from_frame(df: &DataFrame) -> Result<Vec<Signal>> {
    let n = df.height();
    let mut id = strs(df, "signaal_id")?;
    let mut gemeld = dates(df, "gemeld_op")?.into_iter();
    let mut bron = text(df, "bron")?;
    let mut thema = codes(df, "thema")?;
    let mut regeling = codes(df, "regeling")?;
    let mut doelgroep = text(df, "doelgroep")?;
    let mut groups = CodeCache::default();
    let mut oms = strs(df, "omschrijving")?;
    let mut cids = text(df, "casus_ids")?;
    let mut status = text(df, "status")?;
    let mut naar = text(df, "doorgezet_naar")?;
    let mut dop = dates(df, "doorgezet_op")?.into_iter();
    let mut eig = strs(df, "eigenaar")?;
    let mut rv = dates(df, "reactie_verwacht_op")?.into_iter();
    let mut tk = strs(df, "terugkoppeling")?;
    let mut tkop = dates(df, "terugkoppeling_op")?.into_iter();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(Signal {
            signaal_id: id.next().flatten().unwrap_or_default(),
            gemeld_op: gemeld.next().flatten().unwrap_or_default(),
            bron: code(bron.next().flatten(), SignalSource::parse, "bron")?,
            thema: thema.next().flatten(),
            regeling: regeling.next().flatten(),
            doelgroep: split_codes(doelgroep.next().flatten(), &mut groups),
            omschrijving: oms.next().flatten(),
            casus_ids: split(cids.next().flatten()),
            status: code(status.next().flatten(), SignalStatus::parse, "status")?,
            doorgezet_naar: code(naar.next().flatten(), Recipient::parse, "doorgezet_naar")?,
            doorgezet_op: dop.next().flatten(),
            eigenaar: eig.next().flatten(),
            reactie_verwacht_op: rv.next().flatten(),
            terugkoppeling: tk.next().flatten(),
            terugkoppeling_op: tkop.next().flatten(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A validated case frame of `n` rows whose values vary from row to row.
    fn case_frame(n: usize) -> DataFrame {
        let mut csv = String::from(
            "casus_id,ontvangen_op,aandrager_type,thema,complexiteit,spoed,uitkomst,afgerond_op,samenvatting,doelgroep\n",
        );
        for i in 0..n {
            let (outcome, closed) = if i % 3 == 0 {
                ("opgelost", format!("2025-03-{:02}", i % 28 + 1))
            } else {
                ("", String::new())
            };
            csv.push_str(&format!(
                "C-{i},2025-02-{:02},wijkteam,toeslagen,{},{},{outcome},{closed},tekst {i},{}\n",
                i % 28 + 1,
                i % 3 + 1,
                if i % 2 == 0 { "ja" } else { "nee" },
                if i % 5 == 0 { "" } else { "zzp" },
            ));
        }
        let raw = read::read_csv_bytes(csv.as_bytes(), "auto", "auto", Path::new("c.csv")).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let v = validate::validate(&raw, Entity::Cases, &Config::default_config(), today).unwrap();
        assert_eq!(v.accepted.height(), n);
        v.accepted
    }

    proptest::proptest! {
        /// Shared texts read exactly what the column holds, whatever its chunks, slices and
        /// nulls: short values (kept inside the view), long ones, empty ones and ones with
        /// characters of several bytes, at any offset into the buffers.
        #[test]
        fn shared_texts_equal_the_column_values(
            parts in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::option::of("(|[a-z ]{0,14}|\\PC{0,30}|é{6,7}|[a-z]{12,13})"),
                    0..20,
                ),
                1..4,
            ),
            cut in 0usize..5,
        ) {
            let mut col = Column::new("t".into(), parts[0].clone());
            for p in &parts[1..] {
                col.append(&Column::new("t".into(), p.clone())).unwrap();
            }
            let df = DataFrame::new(col.len(), vec![col]).unwrap();
            let df = df.slice(cut.min(df.height()) as i64, df.height());
            let want: Vec<Option<String>> = df
                .column("t").unwrap().str().unwrap()
                .iter().map(|v| v.map(str::to_string)).collect();
            let got: Vec<Option<Text>> = shared_texts(&df, "t").unwrap().collect();
            proptest::prop_assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                proptest::prop_assert_eq!(g.as_deref(), w.as_deref());
            }
        }
    }

    #[test]
    fn shared_summaries_outlive_the_frame_they_were_read_from() {
        let df = case_frame(40);
        let want: Vec<Option<String>> = df
            .column("samenvatting")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.map(|s| format!("{s} (dit deel is langer dan twaalf tekens)")))
            .collect();
        let mut df = df;
        df.with_column(Column::new("samenvatting".into(), want.clone()))
            .unwrap();
        let cases = cases_from_frame(&df).unwrap();
        // Shared, not copied: each long summary is the frame's own bytes.
        let column = df.column("samenvatting").unwrap().str().unwrap();
        for (c, v) in cases.iter().zip(column.iter()) {
            assert_eq!(
                c.samenvatting.as_deref().map(str::as_ptr),
                v.map(str::as_ptr)
            );
        }
        drop(df);
        trim_heap();
        let got: Vec<Option<&str>> = cases.iter().map(|c| c.samenvatting.as_deref()).collect();
        let want: Vec<Option<&str>> = want.iter().map(Option::as_deref).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn structs_made_in_parts_equal_structs_made_in_one_run_in_order() {
        let n = STRUCTS_PARALLEL_FROM * 2 + 7;
        let df = case_frame(n);
        let cases = cases_from_frame(&df).unwrap();
        let mut one_run = vec![Case::default(); n];
        fill_cases(&df, &mut one_run).unwrap();
        assert_eq!(cases.len(), n);
        assert!(cases == one_run);
        for i in [0, 1, n / 2, n - 1] {
            assert_eq!(cases[i].casus_id, format!("C-{i}"));
            assert_eq!(
                cases[i].samenvatting.as_deref(),
                Some(format!("tekst {i}").as_str())
            );
            assert_eq!(cases[i].uitkomst.is_some(), i % 3 == 0);
            assert_eq!(cases[i].complexiteit, Some((i % 3 + 1) as u8));
            assert_eq!(cases[i].doelgroep.is_empty(), i % 5 == 0);
        }
    }

    #[test]
    fn codes_of_every_part_share_one_interned_copy_per_value() {
        let n = STRUCTS_PARALLEL_FROM * 2 + 3;
        let cases = cases_from_frame(&case_frame(n)).unwrap();
        let one = |v: &str| Code::new(v).as_str().as_ptr();
        for c in &cases {
            assert_eq!((&*c.thema, &*c.aandrager_type), ("toeslagen", "wijkteam"));
            assert_eq!(c.thema.as_ptr(), one("toeslagen"));
            assert_eq!(c.aandrager_type.as_ptr(), one("wijkteam"));
            for g in &c.doelgroep {
                assert_eq!((&**g, g.as_ptr()), ("zzp", one("zzp")));
            }
        }
        assert_eq!(
            cases.iter().filter(|c| c.doelgroep.is_empty()).count(),
            n.div_ceil(5)
        );
    }

    #[test]
    fn an_unknown_code_in_a_late_part_is_an_internal_error_naming_it() {
        let n = STRUCTS_PARALLEL_FROM * 2;
        let mut df = case_frame(n);
        let mut outcome: Vec<Option<&str>> = df
            .column("uitkomst")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        outcome[n - 1] = Some("weet_niet");
        df.with_column(Column::new("uitkomst".into(), outcome))
            .unwrap();
        let e = cases_from_frame(&df).unwrap_err();
        assert!(e.to_string().contains("\"weet_niet\""), "{e}");
        assert!(e.to_string().contains("uitkomst"), "{e}");
    }
}
