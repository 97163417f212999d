//! The signal ledger ("signalenregister") of rodedraad, kept in SQLite.
//!
//! Every signal is traced from its first sighting (an import of a KSM, IBTD or
//! partner export, or the promotion of a rode draad) up to the feedback
//! (*terugkoppeling*) on what was done with it. The table `signaal` holds the
//! current state; the table `historie` is append-only (triggers refuse UPDATE
//! and DELETE) and gets one row per changed field, so nothing is ever
//! overwritten without trace. The schema is versioned (`schema_versie`) and
//! upgraded by numbered migrations on [`Ledger::open`].
//!
//! No wall-clock time is used: every date comes from an argument.
//!
//! Conventions:
//! - dates are stored as ISO text (`2025-03-01`); multi-valued fields
//!   (`doelgroep`, `casus_ids`) as JSON arrays;
//! - `herkomst` of a signal is `import:<bestand>` or `draad:<draad_id>`;
//! - `bron` of a history row is `import:<bestand>`, `draad:<draad_id>` or
//!   `handmatig:<door>` (a manual [`Ledger::transition`]).
//!
//! ```
//! use chrono::NaiveDate;
//! use rodedraad::register::{Ledger, Promotion};
//!
//! let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
//! let mut ledger = Ledger::open_in_memory().unwrap();
//! let p = Promotion {
//!     thread_id: "D7".into(),
//!     label: "Terugvordering huurtoeslag na scheiding".into(),
//!     to: Some(rodedraad::model::Recipient::DienstToeslagen),
//!     ..Default::default()
//! };
//! let id = ledger.promote(&p, d("2025-06-02")).unwrap();
//! assert_eq!(id, "RD-D7");
//! ledger
//!     .transition(&id, "in_behandeling", None, "analist", d("2025-06-20"))
//!     .unwrap();
//! let status = ledger.status(d("2025-07-02")).unwrap();
//! assert_eq!(status.open.len(), 1);
//! assert_eq!(status.open[0].leeftijd_dagen, 30);
//! assert_eq!(ledger.history(&id).unwrap().len(), 2);
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;

use crate::model::{Code, Recipient, Signal, SignalSource, SignalStatus};

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/// The signal ledger: one SQLite connection.
pub struct Ledger {
    conn: Connection,
}

/// Everything that can go wrong in the ledger.
#[derive(Debug)]
pub enum LedgerError {
    /// An error from SQLite (also: a corrupt value in the database, a schema
    /// that is newer than this program, or the test failpoint).
    Db(rusqlite::Error),
    /// A status transition that is not allowed without a reason, or to a
    /// status that does not exist.
    Transition {
        signaal_id: String,
        from: String,
        to: String,
    },
    /// A signaal_id that is not in the ledger.
    UnknownSignal(String),
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::Db(e) => write!(
                f,
                "Fout in het signalenregister (SQLite): {e}. Controleer of het databasebestand \
                 bestaat, schrijfbaar is en niet door een ander programma wordt gebruikt; \
                 zet zo nodig een reservekopie terug en probeer het opnieuw."
            ),
            LedgerError::Transition {
                signaal_id,
                from,
                to,
            } => {
                if status_level(to).is_none() {
                    write!(
                        f,
                        "Signaal {signaal_id}: de status '{to}' bestaat niet. Kies uit: {}.",
                        crate::model::SignalStatus::CODES.join(", ")
                    )
                } else {
                    let volgende = next_statuses(Some(from.as_str()).filter(|v| !v.is_empty()));
                    write!(
                        f,
                        "Signaal {signaal_id} kan niet zonder reden van '{}' naar '{to}': die \
                         overgang slaat een stap over of gaat terug in de levenscyclus. Geef een \
                         reden op, of zet eerst de volgende stap ({}).",
                        if from.is_empty() {
                            "(geen status)"
                        } else {
                            from
                        },
                        if volgende.is_empty() {
                            "er is geen volgende stap".to_string()
                        } else {
                            volgende.join(" of ")
                        }
                    )
                }
            }
            LedgerError::UnknownSignal(id) => write!(
                f,
                "Signaal '{id}' staat niet in het signalenregister. Controleer het signaal-id \
                 (bekijk de lijst van alle signalen), of importeer het signaal of promoveer de \
                 rode draad eerst."
            ),
        }
    }
}

impl std::error::Error for LedgerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LedgerError::Db(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for LedgerError {
    fn from(e: rusqlite::Error) -> Self {
        LedgerError::Db(e)
    }
}

/// A rode draad to be turned into a signal by [`Ledger::promote`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Promotion {
    pub thread_id: String,
    /// Short Dutch label; stored as the signal's `omschrijving`.
    pub label: String,
    /// The pattern that defines the draad (stored as a JSON object).
    pub pattern: BTreeMap<String, String>,
    pub case_ids: Vec<String>,
    /// Recipient (`doorgezet_naar`); when given the signal starts as `doorgezet`.
    pub to: Option<Recipient>,
    pub owner: Option<String>,
    pub theme: Option<String>,
    pub scheme: Option<String>,
    pub target_groups: Vec<String>,
}

/// A signal as the ledger holds it: the canonical fields plus provenance.
/// In JSON the [`Signal`] fields are flattened into the object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerSignal {
    #[serde(flatten)]
    pub signal: Signal,
    /// `import:<bestand>` or `draad:<draad_id>`: where the signal was first seen.
    pub herkomst: String,
    /// The draad pattern as a JSON object (promoted signals only).
    pub patroon: Option<String>,
    /// The earlier, closed signal this one repeats.
    pub herhaling_van: Option<String>,
    /// Date of the last change.
    pub bijgewerkt_op: NaiveDate,
}

/// One row of the append-only history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub signaal_id: String,
    pub veld: String,
    pub oud: Option<String>,
    pub nieuw: Option<String>,
    pub bron: String,
    pub op: NaiveDate,
    pub reden: Option<String>,
    /// The status transition skipped a step or went back.
    pub afwijkend: bool,
}

/// Counts of one import.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct ImportSummary {
    pub gelezen: usize,
    pub nieuw: usize,
    pub gewijzigd: usize,
    pub ongewijzigd: usize,
}

/// Follow-up per recipient and owner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusRow {
    /// `doorgezet_naar`, or `(nog niet doorgezet)`.
    pub ontvanger: String,
    pub eigenaar: Option<String>,
    pub open: usize,
    /// Mean age (days since `gemeld_op`) of the open signals; 0 when none.
    pub gemiddelde_leeftijd_dagen: f64,
    /// Age of the oldest open signal; 0 when none.
    pub oudste_dagen: i64,
    pub te_laat: usize,
    pub zonder_terugkoppeling: usize,
    /// Closed signals: status opgepakt, niet_opgepakt or afgerond.
    pub afgerond: usize,
}

/// One signal in a status list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenSignal {
    pub signaal_id: String,
    pub ontvanger: Option<String>,
    pub eigenaar: Option<String>,
    /// Current status, or `(geen status)`.
    pub status: String,
    pub leeftijd_dagen: i64,
    pub reactie_verwacht_op: Option<NaiveDate>,
}

/// A pattern (or thema + regeling) that was signalled again after an earlier
/// signal about it was closed. All signals of the group are listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Repeat {
    pub patroon_of_thema: String,
    pub signaal_ids: Vec<String>,
    pub aantal: usize,
}

/// What happened with the signals, at a reference date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusOverview {
    pub per_ontvanger: Vec<StatusRow>,
    /// Open signals (not opgepakt, niet_opgepakt or afgerond), oldest first.
    pub open: Vec<OpenSignal>,
    /// Open signals past `reactie_verwacht_op` without feedback, oldest first.
    pub te_laat: Vec<OpenSignal>,
    /// Signals (open or closed) passed on before the reference date without
    /// any feedback, oldest first.
    pub zonder_terugkoppeling: Vec<OpenSignal>,
    pub herhalingen: Vec<Repeat>,
    /// History rows of status transitions that skipped a step or went back
    /// (see docs/domein.md#signalen: this is how status() shows the flag).
    pub afwijkende_overgangen: Vec<HistoryEntry>,
}

mod lifecycle;
mod rows;
mod schema;
#[cfg(test)]
mod tests;

use lifecycle::*;
use rows::*;
use schema::*;

// ---------------------------------------------------------------------------
// The ledger
// ---------------------------------------------------------------------------

impl Ledger {
    /// Opens (or creates) the ledger file and upgrades its schema to the latest version.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        Self::from_connection(Connection::open(path)?)
    }

    /// A ledger that lives in memory only (tests, dry runs).
    pub fn open_in_memory() -> Result<Ledger, LedgerError> {
        Self::from_connection(Connection::open_in_memory()?)
    }

    fn from_connection(mut conn: Connection) -> Result<Ledger, LedgerError> {
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        migrate(&mut conn, latest_version())?;
        Ok(Ledger { conn })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, LedgerError> {
        Ok(current_version(&self.conn)?)
    }

    /// Imports the signals of one export in one transaction; see the module doc.
    ///
    /// New signal: inserted, plus a history row `status` (old NULL). Unchanged:
    /// nothing at all. Changed: updated, plus one history row per changed
    /// field. Irregular status changes are accepted but flagged `afwijkend`.
    /// A signal_id that occurs twice in one slice is applied in order (the
    /// second occurrence counts as a change of the first).
    pub fn import(
        &mut self,
        signals: &[Signal],
        bron_bestand: &str,
        op: NaiveDate,
    ) -> Result<ImportSummary, LedgerError> {
        self.import_inner(signals, bron_bestand, op, None)
    }

    /// Test hook: processes `fail_after` rows (at most all of them), then
    /// always returns an error, so the transaction is rolled back.
    #[doc(hidden)]
    pub fn import_with_failpoint(
        &mut self,
        signals: &[Signal],
        bron_bestand: &str,
        op: NaiveDate,
        fail_after: usize,
    ) -> Result<ImportSummary, LedgerError> {
        self.import_inner(signals, bron_bestand, op, Some(fail_after))
    }

    fn import_inner(
        &mut self,
        signals: &[Signal],
        bron_bestand: &str,
        op: NaiveDate,
        fail_after: Option<usize>,
    ) -> Result<ImportSummary, LedgerError> {
        let failpoint = || {
            dutch_db_error(
                rusqlite::ffi::SQLITE_ABORT,
                "kunstmatige onderbreking van de import (test); er is niets opgeslagen".into(),
            )
        };
        let bron = format!("import:{bron_bestand}");
        let tx = self.conn.transaction()?;
        let mut summary = ImportSummary {
            gelezen: signals.len(),
            ..Default::default()
        };
        for (i, s) in signals.iter().enumerate() {
            if fail_after == Some(i) {
                return Err(failpoint());
            }
            import_one(&tx, s, &bron, op, &mut summary)?;
        }
        if fail_after.is_some() {
            return Err(failpoint());
        }
        tx.commit()?;
        Ok(summary)
    }

    /// Turns a rode draad into a signal and returns its id; see the module doc.
    ///
    /// The id is `RD-<draad_id>`. Promoting again while the latest signal of
    /// the draad is still open returns that id and changes nothing. When it
    /// is closed (opgepakt, niet_opgepakt, afgerond) a repeat signal
    /// `RD-<draad_id>-2`, `-3`, ... is created with `herhaling_van` set.
    pub fn promote(&mut self, p: &Promotion, op: NaiveDate) -> Result<String, LedgerError> {
        let tx = self.conn.transaction()?;
        let base = format!("RD-{}", p.thread_id);
        let mut latest: Option<LedgerSignal> = None;
        let mut n = 1u32;
        loop {
            let id = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            match load_signal(&tx, &id)? {
                Some(s) => {
                    latest = Some(s);
                    n += 1;
                }
                None => break,
            }
        }
        if let Some(prev) = &latest {
            if !is_closed(prev.signal.status.map(|x| x.as_str())) {
                return Ok(prev.signal.signaal_id.clone());
            }
        }
        let id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let status = if p.to.is_some() {
            SignalStatus::PassedOn
        } else {
            SignalStatus::New
        };
        let herkomst = format!("draad:{}", p.thread_id);
        let patroon = serde_json::to_string(&p.pattern).map_err(|e| conversion_error(0, e))?;
        let ls = LedgerSignal {
            signal: Signal {
                signaal_id: id.clone(),
                gemeld_op: op,
                bron: Some(SignalSource::OwnCases),
                thema: p.theme.as_deref().map(Code::new),
                regeling: p.scheme.as_deref().map(Code::new),
                doelgroep: p.target_groups.iter().map(Code::from).collect(),
                omschrijving: Some(p.label.clone()),
                casus_ids: p.case_ids.clone(),
                status: Some(status),
                doorgezet_naar: p.to,
                doorgezet_op: p.to.as_ref().map(|_| op),
                eigenaar: p.owner.clone(),
                reactie_verwacht_op: None,
                terugkoppeling: None,
                terugkoppeling_op: None,
            },
            herkomst: herkomst.clone(),
            patroon: Some(patroon),
            herhaling_van: latest.as_ref().map(|l| l.signal.signaal_id.clone()),
            bijgewerkt_op: op,
        };
        insert_signal(&tx, &ls)?;
        let reden = ls
            .herhaling_van
            .as_ref()
            .map(|prev| format!("herhaling van het afgesloten signaal {prev}"));
        add_history(
            &tx,
            NewHistory {
                signaal_id: &id,
                veld: "status",
                oud: None,
                nieuw: Some(status.as_str()),
                bron: &herkomst,
                op,
                reden: reden.as_deref(),
                afwijkend: false,
            },
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Moves a signal to status `naar`. The next step in the lifecycle is
    /// always allowed; a step that skips or goes back needs a reason and is
    /// flagged `afwijkend`. Setting the current status again changes nothing.
    /// Moving to `doorgezet` fills an empty `doorgezet_op` with `op`.
    pub fn transition(
        &mut self,
        signaal_id: &str,
        naar: &str,
        reden: Option<&str>,
        door: &str,
        op: NaiveDate,
    ) -> Result<(), LedgerError> {
        let tx = self.conn.transaction()?;
        let current = load_signal(&tx, signaal_id)?
            .ok_or_else(|| LedgerError::UnknownSignal(signaal_id.into()))?;
        let van = current.signal.status.map(|x| x.as_str().to_string());
        let refuse = || LedgerError::Transition {
            signaal_id: signaal_id.to_string(),
            from: van.clone().unwrap_or_default(),
            to: naar.to_string(),
        };
        if status_level(naar).is_none() {
            return Err(refuse());
        }
        if van.as_deref() == Some(naar) {
            return Ok(());
        }
        let reden = trimmed(reden);
        let regular = is_regular_step(van.as_deref(), naar);
        if !regular && reden.is_none() {
            return Err(refuse());
        }
        let bron = format!("handmatig:{door}");
        let mut updated = current.signal.clone();
        updated.status = SignalStatus::parse(naar);
        add_history(
            &tx,
            NewHistory {
                signaal_id,
                veld: "status",
                oud: van.as_deref(),
                nieuw: Some(naar),
                bron: &bron,
                op,
                reden,
                afwijkend: !regular,
            },
        )?;
        if naar == "doorgezet" && updated.doorgezet_op.is_none() {
            updated.doorgezet_op = Some(op);
            let nieuw = date_text(op);
            add_history(
                &tx,
                NewHistory {
                    signaal_id,
                    veld: "doorgezet_op",
                    oud: None,
                    nieuw: Some(&nieuw),
                    bron: &bron,
                    op,
                    reden: Some("ingevuld bij de overgang naar doorgezet"),
                    afwijkend: false,
                },
            )?;
        }
        update_signal(&tx, &updated, op)?;
        tx.commit()?;
        Ok(())
    }

    /// One signal, or `None` when the id is unknown.
    pub fn get(&self, signaal_id: &str) -> Result<Option<LedgerSignal>, LedgerError> {
        Ok(load_signal(&self.conn, signaal_id)?)
    }

    /// All signals, sorted by signaal_id.
    pub fn all(&self) -> Result<Vec<LedgerSignal>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SIGNAL_SELECT} ORDER BY signaal_id"))?;
        let rows = stmt.query_map([], signal_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The history of one signal in order of occurrence.
    /// Unknown signaal_id: [`LedgerError::UnknownSignal`].
    pub fn history(&self, signaal_id: &str) -> Result<Vec<HistoryEntry>, LedgerError> {
        if load_signal(&self.conn, signaal_id)?.is_none() {
            return Err(LedgerError::UnknownSignal(signaal_id.to_string()));
        }
        let mut stmt = self.conn.prepare(&format!(
            "{HISTORY_SELECT} WHERE signaal_id = ?1 ORDER BY volgnr"
        ))?;
        let rows = stmt.query_map([signaal_id], history_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn all_history(&self) -> Result<Vec<HistoryEntry>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{HISTORY_SELECT} ORDER BY volgnr"))?;
        let rows = stmt.query_map([], history_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Signals that are new or changed on or after `since` (all when `None`),
    /// judged by their history; sorted by signaal_id. For the KSM export.
    pub fn changed_since(
        &self,
        since: Option<NaiveDate>,
    ) -> Result<Vec<LedgerSignal>, LedgerError> {
        let Some(since) = since else {
            return self.all();
        };
        let mut stmt = self.conn.prepare(&format!(
            "{SIGNAL_SELECT} WHERE signaal_id IN \
             (SELECT signaal_id FROM historie WHERE op >= ?1) ORDER BY signaal_id"
        ))?;
        let rows = stmt.query_map([date_text(since)], signal_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Follow-up overview at `peildatum`: current state, ages in days since
    /// `gemeld_op` at `peildatum`. Signals reported after `peildatum` are left
    /// out (they did not exist yet).
    pub fn status(&self, peildatum: NaiveDate) -> Result<StatusOverview, LedgerError> {
        let signals: Vec<LedgerSignal> = self
            .all()?
            .into_iter()
            .filter(|s| s.signal.gemeld_op <= peildatum)
            .collect();
        let history = self.all_history()?;

        let mut open = Vec::new();
        let mut te_laat = Vec::new();
        let mut zonder = Vec::new();
        // (ontvanger, eigenaar) -> (row, sum of open ages)
        let mut groups: BTreeMap<(String, Option<String>), (StatusRow, i64)> = BTreeMap::new();

        for ls in &signals {
            let s = &ls.signal;
            let age = (peildatum - s.gemeld_op).num_days();
            let entry = OpenSignal {
                signaal_id: s.signaal_id.clone(),
                ontvanger: s.doorgezet_naar.map(|x| x.as_str().to_string()),
                eigenaar: s.eigenaar.clone(),
                status: s
                    .status
                    .map(|x| x.as_str().to_string())
                    .unwrap_or_else(|| "(geen status)".to_string()),
                leeftijd_dagen: age,
                reactie_verwacht_op: s.reactie_verwacht_op,
            };
            let ontvanger = s
                .doorgezet_naar
                .map(|x| x.as_str().to_string())
                .unwrap_or_else(|| "(nog niet doorgezet)".to_string());
            let (row, age_sum) = groups
                .entry((ontvanger.clone(), s.eigenaar.clone()))
                .or_insert_with(|| {
                    (
                        StatusRow {
                            ontvanger,
                            eigenaar: s.eigenaar.clone(),
                            open: 0,
                            gemiddelde_leeftijd_dagen: 0.0,
                            oudste_dagen: 0,
                            te_laat: 0,
                            zonder_terugkoppeling: 0,
                            afgerond: 0,
                        },
                        0,
                    )
                });
            let has_feedback = s.terugkoppeling.is_some() || s.terugkoppeling_op.is_some();
            let closed = is_closed(s.status.map(|x| x.as_str()));
            if closed {
                row.afgerond += 1;
            } else {
                row.open += 1;
                *age_sum += age;
                row.oudste_dagen = row.oudste_dagen.max(age);
                if !has_feedback && s.reactie_verwacht_op.is_some_and(|d| d < peildatum) {
                    row.te_laat += 1;
                    te_laat.push(entry.clone());
                }
                open.push(entry.clone());
            }
            if !has_feedback && s.doorgezet_op.is_some_and(|d| d < peildatum) {
                row.zonder_terugkoppeling += 1;
                zonder.push(entry);
            }
        }
        let per_ontvanger = groups
            .into_values()
            .map(|(mut row, sum)| {
                if row.open > 0 {
                    row.gemiddelde_leeftijd_dagen = sum as f64 / row.open as f64;
                }
                row
            })
            .collect();
        let oldest_first = |a: &OpenSignal, b: &OpenSignal| {
            b.leeftijd_dagen
                .cmp(&a.leeftijd_dagen)
                .then_with(|| a.signaal_id.cmp(&b.signaal_id))
        };
        open.sort_by(oldest_first);
        te_laat.sort_by(oldest_first);
        zonder.sort_by(oldest_first);

        let herhalingen = repeats(&signals, &history);
        let afwijkende_overgangen = history.into_iter().filter(|h| h.afwijkend).collect();
        Ok(StatusOverview {
            per_ontvanger,
            open,
            te_laat,
            zonder_terugkoppeling: zonder,
            herhalingen,
            afwijkende_overgangen,
        })
    }
}

/// Applies one imported signal inside the import transaction.
fn import_one(
    tx: &Transaction<'_>,
    s: &Signal,
    bron: &str,
    op: NaiveDate,
    summary: &mut ImportSummary,
) -> Result<(), LedgerError> {
    let id = s.signaal_id.as_str();
    match load_signal(tx, id)? {
        None => {
            let ls = LedgerSignal {
                signal: s.clone(),
                herkomst: bron.to_string(),
                patroon: None,
                herhaling_van: None,
                bijgewerkt_op: op,
            };
            insert_signal(tx, &ls)?;
            add_history(
                tx,
                NewHistory {
                    signaal_id: id,
                    veld: "status",
                    oud: None,
                    nieuw: s.status.map(|x| x.as_str()),
                    bron,
                    op,
                    reden: None,
                    afwijkend: false,
                },
            )?;
            summary.nieuw += 1;
        }
        Some(existing) => {
            let old = field_texts(&existing.signal);
            let new = field_texts(s);
            let mut changed = false;
            for ((veld, oud), (_, nieuw)) in old.iter().zip(new.iter()) {
                if oud == nieuw {
                    continue;
                }
                changed = true;
                let reden = if *veld == "status" {
                    import_deviation_reason(oud.as_deref(), nieuw.as_deref())
                } else {
                    None
                };
                add_history(
                    tx,
                    NewHistory {
                        signaal_id: id,
                        veld,
                        oud: oud.as_deref(),
                        nieuw: nieuw.as_deref(),
                        bron,
                        op,
                        reden: reden.as_deref(),
                        afwijkend: reden.is_some(),
                    },
                )?;
            }
            if changed {
                update_signal(tx, s, op)?;
                summary.gewijzigd += 1;
            } else {
                summary.ongewijzigd += 1;
            }
        }
    }
    Ok(())
}

/// Readable key of a draad pattern: `k=v, k=v` (keys sorted), or the raw text.
fn pattern_label(patroon: &str) -> String {
    match serde_json::from_str::<BTreeMap<String, String>>(patroon) {
        Ok(m) if !m.is_empty() => m
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", "),
        Ok(_) => "(leeg patroon)".to_string(),
        Err(_) => patroon.to_string(),
    }
}

/// Groups signals by pattern (promoted, via the root of the herhaling_van
/// chain) or by thema + regeling (imported) and keeps the groups in which a
/// signal was reported on or after the date an earlier one was closed, or
/// that contain an explicit repeat (herhaling_van).
///
/// The closing date of a signal is the date of the history row that moved it
/// from open to its current closed state, or its `terugkoppeling_op` when that
/// is earlier (an import may tell the ledger late that a signal was closed).
fn repeats(signals: &[LedgerSignal], history: &[HistoryEntry]) -> Vec<Repeat> {
    let by_id: BTreeMap<&str, &LedgerSignal> = signals
        .iter()
        .map(|s| (s.signal.signaal_id.as_str(), s))
        .collect();

    // Date on which each currently closed signal was closed.
    let mut closed_since: BTreeMap<&str, Option<NaiveDate>> = BTreeMap::new();
    for h in history.iter().filter(|h| h.veld == "status") {
        let slot = closed_since.entry(h.signaal_id.as_str()).or_insert(None);
        let now_closed = is_closed(h.nieuw.as_deref());
        if now_closed && (slot.is_none() || !is_closed(h.oud.as_deref())) {
            *slot = Some(h.op);
        } else if !now_closed {
            *slot = None;
        }
    }
    let closed_on = |s: &LedgerSignal| -> Option<NaiveDate> {
        if !is_closed(s.signal.status.map(|x| x.as_str())) {
            return None;
        }
        let from_history = closed_since
            .get(s.signal.signaal_id.as_str())
            .copied()
            .flatten();
        match (from_history, s.signal.terugkoppeling_op) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    };

    let root_of = |s: &'_ LedgerSignal| -> String {
        let mut cur = s;
        let mut steps = 0;
        while let Some(prev) = cur.herhaling_van.as_deref().and_then(|p| by_id.get(p)) {
            cur = prev;
            steps += 1;
            if steps > signals.len() {
                break;
            }
        }
        cur.signal.signaal_id.clone()
    };

    let mut groups: BTreeMap<String, Vec<&LedgerSignal>> = BTreeMap::new();
    for s in signals {
        let root = by_id.get(root_of(s).as_str()).copied().unwrap_or(s);
        let key = if let Some(p) = &root.patroon {
            format!("patroon: {}", pattern_label(p))
        } else if let Some(t) = &root.signal.thema {
            format!(
                "thema: {t} / {}",
                root.signal.regeling.as_deref().unwrap_or("(geen regeling)")
            )
        } else {
            continue;
        };
        groups.entry(key).or_default().push(s);
    }

    let mut out = Vec::new();
    for (key, mut members) in groups {
        if members.len() < 2 {
            continue;
        }
        members.sort_by(|a, b| {
            a.signal
                .gemeld_op
                .cmp(&b.signal.gemeld_op)
                .then_with(|| a.signal.signaal_id.cmp(&b.signal.signaal_id))
        });
        let explicit = members.iter().any(|m| m.herhaling_van.is_some());
        let after_closure = members.iter().enumerate().any(|(j, later)| {
            members.iter().enumerate().any(|(i, earlier)| {
                i != j
                    && earlier.signal.gemeld_op <= later.signal.gemeld_op
                    && closed_on(earlier).is_some_and(|c| c <= later.signal.gemeld_op)
            })
        });
        if explicit || after_closure {
            let ids: Vec<String> = members
                .iter()
                .map(|m| m.signal.signaal_id.clone())
                .collect();
            out.push(Repeat {
                patroon_of_thema: key,
                aantal: ids.len(),
                signaal_ids: ids,
            });
        }
    }
    out
}
