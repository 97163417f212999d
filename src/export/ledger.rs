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
//! use rodedraad::export::ledger::{Ledger, Promotion};
//!
//! let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
//! let mut ledger = Ledger::open_in_memory().unwrap();
//! let p = Promotion {
//!     draad_id: "D7".into(),
//!     label: "Terugvordering huurtoeslag na scheiding".into(),
//!     naar: Some("dienst_toeslagen".into()),
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

use crate::model::Signal;

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
        van: String,
        naar: String,
    },
    /// A signaal_id that is not in the ledger.
    Onbekend(String),
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
                van,
                naar,
            } => {
                if status_level(naar).is_none() {
                    write!(
                        f,
                        "Signaal {signaal_id}: de status '{naar}' bestaat niet. Kies uit: {}.",
                        crate::model::SIGNAAL_STATUSSEN.join(", ")
                    )
                } else {
                    let volgende = next_statuses(Some(van.as_str()).filter(|v| !v.is_empty()));
                    write!(
                        f,
                        "Signaal {signaal_id} kan niet zonder reden van '{}' naar '{naar}': die \
                         overgang slaat een stap over of gaat terug in de levenscyclus. Geef een \
                         reden op, of zet eerst de volgende stap ({}).",
                        if van.is_empty() { "(geen status)" } else { van },
                        if volgende.is_empty() {
                            "er is geen volgende stap".to_string()
                        } else {
                            volgende.join(" of ")
                        }
                    )
                }
            }
            LedgerError::Onbekend(id) => write!(
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
    pub draad_id: String,
    /// Short Dutch label; stored as the signal's `omschrijving`.
    pub label: String,
    /// The pattern that defines the draad (stored as a JSON object).
    pub pattern: BTreeMap<String, String>,
    pub casus_ids: Vec<String>,
    /// Recipient (`doorgezet_naar`); when given the signal starts as `doorgezet`.
    pub naar: Option<String>,
    pub eigenaar: Option<String>,
    pub thema: Option<String>,
    pub regeling: Option<String>,
    pub doelgroep: Vec<String>,
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
    /// (addition to the brief: this is how status() shows the flag).
    pub afwijkende_overgangen: Vec<HistoryEntry>,
}

// ---------------------------------------------------------------------------
// Schema and migrations
// ---------------------------------------------------------------------------

const MIGRATION_V1: &str = "
CREATE TABLE signaal (
    signaal_id          TEXT PRIMARY KEY NOT NULL,
    gemeld_op           TEXT NOT NULL,
    bron                TEXT,
    thema               TEXT,
    regeling            TEXT,
    doelgroep           TEXT NOT NULL DEFAULT '[]',
    omschrijving        TEXT,
    casus_ids           TEXT NOT NULL DEFAULT '[]',
    status              TEXT,
    doorgezet_naar      TEXT,
    doorgezet_op        TEXT,
    eigenaar            TEXT,
    reactie_verwacht_op TEXT,
    terugkoppeling      TEXT,
    terugkoppeling_op   TEXT,
    herkomst            TEXT NOT NULL,
    bijgewerkt_op       TEXT NOT NULL
);
CREATE TABLE historie (
    volgnr     INTEGER PRIMARY KEY AUTOINCREMENT,
    signaal_id TEXT NOT NULL REFERENCES signaal(signaal_id),
    veld       TEXT NOT NULL,
    oud        TEXT,
    nieuw      TEXT,
    bron       TEXT NOT NULL,
    op         TEXT NOT NULL,
    reden      TEXT
);
CREATE INDEX historie_per_signaal ON historie(signaal_id, volgnr);
";

const MIGRATION_V2: &str = "
ALTER TABLE signaal ADD COLUMN patroon TEXT;
ALTER TABLE signaal ADD COLUMN herhaling_van TEXT;
ALTER TABLE historie ADD COLUMN afwijkend INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER historie_geen_wijziging BEFORE UPDATE ON historie
BEGIN
    SELECT RAISE(ABORT, 'historie mag alleen worden aangevuld: wijzigen is niet toegestaan');
END;
CREATE TRIGGER historie_geen_verwijdering BEFORE DELETE ON historie
BEGIN
    SELECT RAISE(ABORT, 'historie mag alleen worden aangevuld: verwijderen is niet toegestaan');
END;
CREATE TRIGGER signaal_geen_verwijdering BEFORE DELETE ON signaal
BEGIN
    SELECT RAISE(ABORT, 'een signaal wordt nooit verwijderd: sluit het af met een status');
END;
";

/// Numbered migrations, applied in order.
const MIGRATIONS: &[(u32, &str)] = &[(1, MIGRATION_V1), (2, MIGRATION_V2)];

fn latest_version() -> u32 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

fn dutch_db_error(code: std::os::raw::c_int, message: String) -> LedgerError {
    LedgerError::Db(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(code),
        Some(message),
    ))
}

fn current_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row(
        "SELECT COALESCE(MAX(versie), 0) FROM schema_versie",
        [],
        |r| r.get::<_, u32>(0),
    )
}

/// Brings the schema up to `target` in one transaction.
fn migrate(conn: &mut Connection, target: u32) -> Result<(), LedgerError> {
    let tx = conn.transaction()?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_versie (versie INTEGER PRIMARY KEY NOT NULL)",
    )?;
    let current = current_version(&tx)?;
    if current > latest_version() {
        return Err(dutch_db_error(
            rusqlite::ffi::SQLITE_MISMATCH,
            format!(
                "de database heeft schemaversie {current}, dit programma kent alleen versie {} of \
                 lager; gebruik een nieuwere versie van rodedraad",
                latest_version()
            ),
        ));
    }
    for &(version, sql) in MIGRATIONS {
        if version > current && version <= target {
            tx.execute_batch(sql)?;
            tx.execute("INSERT INTO schema_versie (versie) VALUES (?1)", [version])?;
        }
    }
    tx.commit()?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------

/// Closed statuses: the signal was dealt with.
const GESLOTEN: &[&str] = &["opgepakt", "niet_opgepakt", "afgerond"];

fn is_closed(status: Option<&str>) -> bool {
    status.is_some_and(|s| GESLOTEN.contains(&s))
}

/// Position in the lifecycle; opgepakt and niet_opgepakt share a level.
fn status_level(status: &str) -> Option<u8> {
    match status {
        "nieuw" => Some(0),
        "in_analyse" => Some(1),
        "doorgezet" => Some(2),
        "in_behandeling" => Some(3),
        "opgepakt" | "niet_opgepakt" => Some(4),
        "afgerond" => Some(5),
        _ => None,
    }
}

/// Statuses that are a regular next step from `van` (no status counts as `nieuw`).
fn next_statuses(van: Option<&str>) -> Vec<&'static str> {
    crate::model::SIGNAAL_STATUSSEN
        .iter()
        .copied()
        .filter(|n| is_regular_step(van, n))
        .collect()
}

/// A regular step goes exactly one level forward. A signal without status
/// counts as `nieuw`, and may also be set to `nieuw` itself.
fn is_regular_step(van: Option<&str>, naar: &str) -> bool {
    let Some(to) = status_level(naar) else {
        return false;
    };
    match van {
        None => to <= 1,
        Some(v) => match status_level(v) {
            Some(from) => to == from + 1,
            None => false,
        },
    }
}

// ---------------------------------------------------------------------------
// Row mapping
// ---------------------------------------------------------------------------

const SIGNAL_SELECT: &str = "SELECT signaal_id, gemeld_op, bron, thema, regeling, doelgroep, \
     omschrijving, casus_ids, status, doorgezet_naar, doorgezet_op, eigenaar, \
     reactie_verwacht_op, terugkoppeling, terugkoppeling_op, herkomst, patroon, herhaling_van, \
     bijgewerkt_op FROM signaal";

const HISTORY_SELECT: &str =
    "SELECT signaal_id, veld, oud, nieuw, bron, op, reden, afwijkend FROM historie";

fn conversion_error(
    idx: usize,
    e: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e))
}

fn date_text(d: NaiveDate) -> String {
    d.to_string()
}

fn parse_date(idx: usize, s: &str) -> rusqlite::Result<NaiveDate> {
    s.parse::<NaiveDate>().map_err(|e| conversion_error(idx, e))
}

fn date_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = row.get(idx)?;
    parse_date(idx, &s)
}

fn opt_date_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = row.get(idx)?;
    s.map(|s| parse_date(idx, &s)).transpose()
}

fn list_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<String>> {
    let s: String = row.get(idx)?;
    serde_json::from_str(&s).map_err(|e| conversion_error(idx, e))
}

fn list_text(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_string())
}

fn signal_from_row(row: &Row<'_>) -> rusqlite::Result<LedgerSignal> {
    Ok(LedgerSignal {
        signal: Signal {
            signaal_id: row.get(0)?,
            gemeld_op: date_col(row, 1)?,
            bron: row.get(2)?,
            thema: row.get(3)?,
            regeling: row.get(4)?,
            doelgroep: list_col(row, 5)?,
            omschrijving: row.get(6)?,
            casus_ids: list_col(row, 7)?,
            status: row.get(8)?,
            doorgezet_naar: row.get(9)?,
            doorgezet_op: opt_date_col(row, 10)?,
            eigenaar: row.get(11)?,
            reactie_verwacht_op: opt_date_col(row, 12)?,
            terugkoppeling: row.get(13)?,
            terugkoppeling_op: opt_date_col(row, 14)?,
        },
        herkomst: row.get(15)?,
        patroon: row.get(16)?,
        herhaling_van: row.get(17)?,
        bijgewerkt_op: date_col(row, 18)?,
    })
}

fn history_from_row(row: &Row<'_>) -> rusqlite::Result<HistoryEntry> {
    Ok(HistoryEntry {
        signaal_id: row.get(0)?,
        veld: row.get(1)?,
        oud: row.get(2)?,
        nieuw: row.get(3)?,
        bron: row.get(4)?,
        op: date_col(row, 5)?,
        reden: row.get(6)?,
        afwijkend: row.get::<_, i64>(7)? != 0,
    })
}

/// The stored text of every canonical field except `signaal_id`, in contract
/// order. The same text is written to `signaal` and to `historie`.
fn field_texts(s: &Signal) -> [(&'static str, Option<String>); 14] {
    [
        ("gemeld_op", Some(date_text(s.gemeld_op))),
        ("bron", s.bron.clone()),
        ("thema", s.thema.clone()),
        ("regeling", s.regeling.clone()),
        ("doelgroep", Some(list_text(&s.doelgroep))),
        ("omschrijving", s.omschrijving.clone()),
        ("casus_ids", Some(list_text(&s.casus_ids))),
        ("status", s.status.clone()),
        ("doorgezet_naar", s.doorgezet_naar.clone()),
        ("doorgezet_op", s.doorgezet_op.map(date_text)),
        ("eigenaar", s.eigenaar.clone()),
        ("reactie_verwacht_op", s.reactie_verwacht_op.map(date_text)),
        ("terugkoppeling", s.terugkoppeling.clone()),
        ("terugkoppeling_op", s.terugkoppeling_op.map(date_text)),
    ]
}

fn load_signal(conn: &Connection, id: &str) -> rusqlite::Result<Option<LedgerSignal>> {
    conn.query_row(
        &format!("{SIGNAL_SELECT} WHERE signaal_id = ?1"),
        [id],
        signal_from_row,
    )
    .optional()
}

fn insert_signal(conn: &Connection, ls: &LedgerSignal) -> rusqlite::Result<()> {
    let mut values: Vec<Option<String>> = vec![Some(ls.signal.signaal_id.clone())];
    values.extend(field_texts(&ls.signal).into_iter().map(|(_, v)| v));
    values.push(Some(ls.herkomst.clone()));
    values.push(ls.patroon.clone());
    values.push(ls.herhaling_van.clone());
    values.push(Some(date_text(ls.bijgewerkt_op)));
    conn.execute(
        "INSERT INTO signaal (signaal_id, gemeld_op, bron, thema, regeling, doelgroep, \
         omschrijving, casus_ids, status, doorgezet_naar, doorgezet_op, eigenaar, \
         reactie_verwacht_op, terugkoppeling, terugkoppeling_op, herkomst, patroon, \
         herhaling_van, bijgewerkt_op) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
         ?18, ?19)",
        rusqlite::params_from_iter(values),
    )?;
    Ok(())
}

/// Overwrites the canonical fields and `bijgewerkt_op` (history is written by the caller).
fn update_signal(conn: &Connection, s: &Signal, op: NaiveDate) -> rusqlite::Result<()> {
    let mut values: Vec<Option<String>> = vec![Some(s.signaal_id.clone())];
    values.extend(field_texts(s).into_iter().map(|(_, v)| v));
    values.push(Some(date_text(op)));
    conn.execute(
        "UPDATE signaal SET gemeld_op = ?2, bron = ?3, thema = ?4, regeling = ?5, \
         doelgroep = ?6, omschrijving = ?7, casus_ids = ?8, status = ?9, doorgezet_naar = ?10, \
         doorgezet_op = ?11, eigenaar = ?12, reactie_verwacht_op = ?13, terugkoppeling = ?14, \
         terugkoppeling_op = ?15, bijgewerkt_op = ?16 WHERE signaal_id = ?1",
        rusqlite::params_from_iter(values),
    )?;
    Ok(())
}

struct NewHistory<'a> {
    signaal_id: &'a str,
    veld: &'a str,
    oud: Option<&'a str>,
    nieuw: Option<&'a str>,
    bron: &'a str,
    op: NaiveDate,
    reden: Option<&'a str>,
    afwijkend: bool,
}

fn add_history(conn: &Connection, h: NewHistory<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO historie (signaal_id, veld, oud, nieuw, bron, op, reden, afwijkend) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            h.signaal_id,
            h.veld,
            h.oud,
            h.nieuw,
            h.bron,
            date_text(h.op),
            h.reden,
            i64::from(h.afwijkend)
        ],
    )?;
    Ok(())
}

/// Dutch explanation stored with an irregular status change from an import.
fn import_deviation_reason(van: Option<&str>, naar: Option<&str>) -> Option<String> {
    let van = van?;
    let Some(naar) = naar else {
        return Some(format!(
            "status '{van}' is verdwenen in het bronbestand; overgenomen zoals aangeleverd"
        ));
    };
    if is_regular_step(Some(van), naar) {
        return None;
    }
    let richting = match (status_level(van), status_level(naar)) {
        (Some(a), Some(b)) if b < a => "gaat terug in de levenscyclus",
        (Some(a), Some(b)) if b == a => "wisselt tussen opgepakt en niet_opgepakt",
        (Some(_), Some(_)) => "slaat een stap over",
        _ => "gebruikt een onbekende status",
    };
    Some(format!(
        "statusovergang '{van}' -> '{naar}' {richting}; overgenomen zoals het bronbestand zegt"
    ))
}

fn trimmed(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

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
        let base = format!("RD-{}", p.draad_id);
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
            if !is_closed(prev.signal.status.as_deref()) {
                return Ok(prev.signal.signaal_id.clone());
            }
        }
        let id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let status = if p.naar.is_some() {
            "doorgezet"
        } else {
            "nieuw"
        };
        let herkomst = format!("draad:{}", p.draad_id);
        let patroon = serde_json::to_string(&p.pattern).map_err(|e| conversion_error(0, e))?;
        let ls = LedgerSignal {
            signal: Signal {
                signaal_id: id.clone(),
                gemeld_op: op,
                bron: Some("eigen_casuistiek".to_string()),
                thema: p.thema.clone(),
                regeling: p.regeling.clone(),
                doelgroep: p.doelgroep.clone(),
                omschrijving: Some(p.label.clone()),
                casus_ids: p.casus_ids.clone(),
                status: Some(status.to_string()),
                doorgezet_naar: p.naar.clone(),
                doorgezet_op: p.naar.as_ref().map(|_| op),
                eigenaar: p.eigenaar.clone(),
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
                nieuw: Some(status),
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
            .ok_or_else(|| LedgerError::Onbekend(signaal_id.into()))?;
        let van = current.signal.status.clone();
        let refuse = || LedgerError::Transition {
            signaal_id: signaal_id.to_string(),
            van: van.clone().unwrap_or_default(),
            naar: naar.to_string(),
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
        updated.status = Some(naar.to_string());
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
    /// Unknown signaal_id: [`LedgerError::Onbekend`].
    pub fn history(&self, signaal_id: &str) -> Result<Vec<HistoryEntry>, LedgerError> {
        if load_signal(&self.conn, signaal_id)?.is_none() {
            return Err(LedgerError::Onbekend(signaal_id.to_string()));
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
                ontvanger: s.doorgezet_naar.clone(),
                eigenaar: s.eigenaar.clone(),
                status: s
                    .status
                    .clone()
                    .unwrap_or_else(|| "(geen status)".to_string()),
                leeftijd_dagen: age,
                reactie_verwacht_op: s.reactie_verwacht_op,
            };
            let ontvanger = s
                .doorgezet_naar
                .clone()
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
            let closed = is_closed(s.status.as_deref());
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
                    nieuw: s.status.as_deref(),
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
        if !is_closed(s.signal.status.as_deref()) {
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

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn sig(id: &str, gemeld: &str, status: &str) -> Signal {
        Signal {
            signaal_id: id.to_string(),
            gemeld_op: d(gemeld),
            bron: Some("ksm".into()),
            thema: Some("toeslagen.terugvordering".into()),
            regeling: Some("huurtoeslag".into()),
            doelgroep: vec!["gezin_met_kinderen".into(), "schulden".into()],
            omschrijving: Some("Terugvordering zonder uitleg".into()),
            casus_ids: vec!["C1".into(), "C2".into()],
            status: Some(status.to_string()),
            ..Default::default()
        }
    }

    fn export_a() -> Vec<Signal> {
        let mut s2 = sig("S2", "2025-04-10", "doorgezet");
        s2.thema = Some("invordering.beslag_bestaansminimum".into());
        s2.regeling = None;
        s2.doelgroep = vec![];
        s2.doorgezet_naar = Some("belastingdienst".into());
        s2.doorgezet_op = Some(d("2025-04-15"));
        s2.eigenaar = Some("Directie Invordering".into());
        s2.reactie_verwacht_op = Some(d("2025-05-15"));
        vec![
            sig("S1", "2025-03-01", "nieuw"),
            s2,
            sig("S3", "2025-05-01", "in_analyse"),
        ]
    }

    /// (veld, oud, nieuw, has reason, afwijkend)
    type HistoryShape<'a> = (&'a str, Option<&'a str>, Option<&'a str>, bool, bool);

    fn count_history(l: &Ledger) -> i64 {
        l.conn
            .query_row("SELECT COUNT(*) FROM historie", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn fresh_ledger_is_at_latest_schema() {
        let l = Ledger::open_in_memory().unwrap();
        assert_eq!(l.schema_version().unwrap(), 2);
        assert!(l.all().unwrap().is_empty());
        // The version table records every migration once.
        let n: i64 = l
            .conn
            .query_row("SELECT COUNT(*) FROM schema_versie", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
    }

    #[test]
    fn import_is_idempotent() {
        let mut l = Ledger::open_in_memory().unwrap();
        let first = l
            .import(&export_a(), "ksm_2025-06.csv", d("2025-06-01"))
            .unwrap();
        assert_eq!(
            first,
            ImportSummary {
                gelezen: 3,
                nieuw: 3,
                gewijzigd: 0,
                ongewijzigd: 0
            }
        );
        let all1 = l.all().unwrap();
        let hist1: Vec<_> = ["S1", "S2", "S3"]
            .iter()
            .map(|id| l.history(id).unwrap())
            .collect();
        // One creation row per signal, old status NULL.
        assert_eq!(hist1[1].len(), 1);
        assert_eq!(hist1[1][0].veld, "status");
        assert_eq!(hist1[1][0].oud, None);
        assert_eq!(hist1[1][0].nieuw.as_deref(), Some("doorgezet"));
        assert_eq!(hist1[1][0].bron, "import:ksm_2025-06.csv");

        let second = l
            .import(&export_a(), "ksm_2025-06.csv", d("2025-06-08"))
            .unwrap();
        assert_eq!(
            second,
            ImportSummary {
                gelezen: 3,
                nieuw: 0,
                gewijzigd: 0,
                ongewijzigd: 3
            }
        );
        assert_eq!(l.all().unwrap(), all1);
        for (i, id) in ["S1", "S2", "S3"].iter().enumerate() {
            assert_eq!(l.history(id).unwrap(), hist1[i]);
        }
        assert_eq!(count_history(&l), 3);
        assert_eq!(all1[0].bijgewerkt_op, d("2025-06-01"));
        assert_eq!(all1[0].herkomst, "import:ksm_2025-06.csv");
    }

    #[test]
    fn newer_export_gives_one_history_row_per_changed_field() {
        let mut l = Ledger::open_in_memory().unwrap();
        l.import(&export_a(), "ksm_juni.csv", d("2025-06-01"))
            .unwrap();
        let mut b = export_a();
        // S2: three fields change.
        b[1].status = Some("in_behandeling".into());
        b[1].terugkoppeling = Some("Beslagvrije voet wordt herberekend".into());
        b[1].terugkoppeling_op = Some(d("2025-06-20"));
        // S3: status jumps back (in_analyse -> nieuw) and omschrijving changes.
        b[2].status = Some("nieuw".into());
        b[2].omschrijving = Some("Terugvordering zonder uitleg in de brief".into());
        // S4: new.
        b.push(sig("S4", "2025-06-25", "nieuw"));
        let sum = l.import(&b, "ksm_juli.csv", d("2025-07-01")).unwrap();
        assert_eq!(
            sum,
            ImportSummary {
                gelezen: 4,
                nieuw: 1,
                gewijzigd: 2,
                ongewijzigd: 1
            }
        );
        let h2 = l.history("S2").unwrap();
        assert_eq!(h2.len(), 4); // creation + 3 fields
        let fields: Vec<&str> = h2[1..].iter().map(|h| h.veld.as_str()).collect();
        assert_eq!(fields, ["status", "terugkoppeling", "terugkoppeling_op"]);
        assert_eq!(h2[1].oud.as_deref(), Some("doorgezet"));
        assert_eq!(h2[1].nieuw.as_deref(), Some("in_behandeling"));
        assert!(!h2[1].afwijkend);
        assert_eq!(h2[3].oud, None);
        assert_eq!(h2[3].nieuw.as_deref(), Some("2025-06-20"));
        assert!(h2[1..]
            .iter()
            .all(|h| h.bron == "import:ksm_juli.csv" && h.op == d("2025-07-01")));

        let h3 = l.history("S3").unwrap();
        assert_eq!(h3.len(), 3);
        assert_eq!(h3[1].veld, "omschrijving");
        assert_eq!(h3[2].veld, "status");
        assert!(h3[2].afwijkend, "a step back must be flagged");
        assert!(h3[2].reden.as_deref().unwrap().contains("gaat terug"));
        // Accepted as the source says.
        assert_eq!(
            l.get("S3").unwrap().unwrap().signal.status.as_deref(),
            Some("nieuw")
        );
        assert_eq!(l.get("S3").unwrap().unwrap().bijgewerkt_op, d("2025-07-01"));
        // Unchanged S1 kept its date.
        assert_eq!(l.get("S1").unwrap().unwrap().bijgewerkt_op, d("2025-06-01"));
        // status() shows the flagged transition.
        let st = l.status(d("2025-07-01")).unwrap();
        assert_eq!(st.afwijkende_overgangen.len(), 1);
        assert_eq!(st.afwijkende_overgangen[0].signaal_id, "S3");

        // changed_since: on/after 2025-07-01 -> S2, S3, S4; after -> none.
        let ids = |v: Vec<LedgerSignal>| -> Vec<String> {
            v.into_iter().map(|s| s.signal.signaal_id).collect()
        };
        assert_eq!(
            ids(l.changed_since(Some(d("2025-07-01"))).unwrap()),
            ["S2", "S3", "S4"]
        );
        assert_eq!(
            ids(l.changed_since(Some(d("2025-06-01"))).unwrap()).len(),
            4
        );
        assert!(l.changed_since(Some(d("2025-07-02"))).unwrap().is_empty());
        assert_eq!(ids(l.changed_since(None).unwrap()).len(), 4);
    }

    #[test]
    fn skipping_import_transition_is_flagged() {
        let mut l = Ledger::open_in_memory().unwrap();
        l.import(
            &[sig("S1", "2025-03-01", "nieuw")],
            "a.csv",
            d("2025-03-02"),
        )
        .unwrap();
        l.import(
            &[sig("S1", "2025-03-01", "opgepakt")],
            "b.csv",
            d("2025-04-02"),
        )
        .unwrap();
        let h = l.history("S1").unwrap();
        assert_eq!(h.len(), 2);
        assert!(h[1].afwijkend);
        assert!(h[1]
            .reden
            .as_deref()
            .unwrap()
            .contains("slaat een stap over"));
    }

    #[test]
    fn round_trip_through_all() {
        let mut l = Ledger::open_in_memory().unwrap();
        let mut signals = export_a();
        // Edge values: empty strings, empty lists, text with quotes and separators.
        signals[0].omschrijving = Some(String::new());
        signals[0].casus_ids = vec!["C|1".into(), "\"C2\"".into()];
        signals[2].bron = None;
        l.import(&signals, "x.csv", d("2025-06-01")).unwrap();
        let all = l.all().unwrap();
        let back: Vec<Signal> = all.iter().map(|s| s.signal.clone()).collect();
        let mut sorted = signals.clone();
        sorted.sort_by(|a, b| a.signaal_id.cmp(&b.signaal_id));
        assert_eq!(back, sorted);
        let mut fresh = Ledger::open_in_memory().unwrap();
        fresh.import(&back, "x.csv", d("2025-06-01")).unwrap();
        assert_eq!(fresh.all().unwrap(), all);
    }

    #[test]
    fn failpoint_rolls_back_everything() {
        let mut l = Ledger::open_in_memory().unwrap();
        l.import(&export_a(), "a.csv", d("2025-06-01")).unwrap();
        let before_all = l.all().unwrap();
        let before_hist = count_history(&l);
        let mut b = export_a();
        b[0].status = Some("in_analyse".into());
        b[1].eigenaar = Some("Iemand anders".into());
        b.push(sig("S9", "2025-06-30", "nieuw"));
        b.push(sig("S8", "2025-06-30", "nieuw"));
        let err = l
            .import_with_failpoint(&b, "b.csv", d("2025-07-01"), 3)
            .unwrap_err();
        assert!(matches!(err, LedgerError::Db(_)));
        assert!(err.to_string().contains("kunstmatige onderbreking"));
        assert_eq!(l.all().unwrap(), before_all);
        assert_eq!(count_history(&l), before_hist);
        // The ledger is usable afterwards and the same import succeeds.
        let sum = l.import(&b, "b.csv", d("2025-07-01")).unwrap();
        assert_eq!((sum.nieuw, sum.gewijzigd, sum.ongewijzigd), (2, 2, 1));
        assert_eq!(count_history(&l), before_hist + 4);
    }

    #[test]
    fn transitions_build_complete_history() {
        let mut l = Ledger::open_in_memory().unwrap();
        let p = Promotion {
            draad_id: "D1".into(),
            label: "Beslag onder bestaansminimum".into(),
            ..Default::default()
        };
        let id = l.promote(&p, d("2025-05-01")).unwrap();
        assert_eq!(id, "RD-D1");
        l.transition(&id, "in_analyse", None, "ana", d("2025-05-02"))
            .unwrap();
        // Skip without reason: refused, nothing recorded.
        let err = l
            .transition(&id, "in_behandeling", None, "ana", d("2025-05-03"))
            .unwrap_err();
        match &err {
            LedgerError::Transition {
                signaal_id,
                van,
                naar,
            } => {
                assert_eq!(
                    (signaal_id.as_str(), van.as_str(), naar.as_str()),
                    ("RD-D1", "in_analyse", "in_behandeling")
                );
            }
            other => panic!("onverwacht: {other:?}"),
        }
        assert!(err.to_string().contains("doorgezet"));
        // Blank reason counts as no reason.
        assert!(l
            .transition(&id, "in_behandeling", Some("  "), "ana", d("2025-05-03"))
            .is_err());
        // Regular step fills doorgezet_op.
        l.transition(&id, "doorgezet", None, "ana", d("2025-05-04"))
            .unwrap();
        // Back with a reason.
        l.transition(
            &id,
            "in_analyse",
            Some("ontvanger vroeg om meer casuïstiek"),
            "bob",
            d("2025-05-10"),
        )
        .unwrap();
        // Skip with a reason.
        l.transition(
            &id,
            "in_behandeling",
            Some("direct opgepakt door DT"),
            "bob",
            d("2025-05-12"),
        )
        .unwrap();
        // Same status again: nothing.
        l.transition(&id, "in_behandeling", None, "bob", d("2025-05-13"))
            .unwrap();
        // Unknown status refused.
        assert!(matches!(
            l.transition(&id, "klaar", Some("x"), "bob", d("2025-05-13")),
            Err(LedgerError::Transition { .. })
        ));
        // Unknown signal.
        assert!(matches!(
            l.transition("RD-X", "in_analyse", None, "bob", d("2025-05-13")),
            Err(LedgerError::Onbekend(ref s)) if s == "RD-X"
        ));

        let h = l.history(&id).unwrap();
        let summary: Vec<HistoryShape<'_>> = h
            .iter()
            .map(|e| {
                (
                    e.veld.as_str(),
                    e.oud.as_deref(),
                    e.nieuw.as_deref(),
                    e.reden.is_some(),
                    e.afwijkend,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("status", None, Some("nieuw"), false, false),
                ("status", Some("nieuw"), Some("in_analyse"), false, false),
                (
                    "status",
                    Some("in_analyse"),
                    Some("doorgezet"),
                    false,
                    false
                ),
                ("doorgezet_op", None, Some("2025-05-04"), true, false),
                ("status", Some("doorgezet"), Some("in_analyse"), true, true),
                (
                    "status",
                    Some("in_analyse"),
                    Some("in_behandeling"),
                    true,
                    true
                ),
            ]
        );
        assert_eq!(h[4].bron, "handmatig:bob");
        assert_eq!(
            h[4].reden.as_deref(),
            Some("ontvanger vroeg om meer casuïstiek")
        );
        assert_eq!(h[5].op, d("2025-05-12"));
        let now = l.get(&id).unwrap().unwrap();
        assert_eq!(now.signal.status.as_deref(), Some("in_behandeling"));
        assert_eq!(now.signal.doorgezet_op, Some(d("2025-05-04")));
        assert_eq!(now.bijgewerkt_op, d("2025-05-12"));
        assert!(matches!(l.history("nope"), Err(LedgerError::Onbekend(_))));
    }

    #[test]
    fn history_is_append_only() {
        let mut l = Ledger::open_in_memory().unwrap();
        l.import(&export_a(), "a.csv", d("2025-06-01")).unwrap();
        let upd = l.conn.execute("UPDATE historie SET nieuw = 'x'", []);
        let err = upd.unwrap_err().to_string();
        assert!(err.contains("alleen worden aangevuld"), "{err}");
        let del = l.conn.execute("DELETE FROM historie", []);
        assert!(del.unwrap_err().to_string().contains("verwijderen"));
        assert!(l.conn.execute("DELETE FROM signaal", []).is_err());
        assert_eq!(count_history(&l), 3);
        assert_eq!(l.all().unwrap().len(), 3);
    }

    #[test]
    fn promote_is_idempotent_and_repeats_are_counted() {
        let mut l = Ledger::open_in_memory().unwrap();
        let mut pattern = BTreeMap::new();
        pattern.insert(
            "thema".to_string(),
            "toeslagen.partner_samenloop".to_string(),
        );
        pattern.insert("levensgebeurtenis".to_string(), "scheiding".to_string());
        let p = Promotion {
            draad_id: "D42".into(),
            label: "Partnerschap toeslagen na scheiding".into(),
            pattern,
            casus_ids: vec!["C3".into(), "C9".into(), "C11".into()],
            naar: Some("dienst_toeslagen".into()),
            eigenaar: Some("Team Partnerschap".into()),
            thema: Some("toeslagen.partner_samenloop".into()),
            regeling: Some("zorgtoeslag".into()),
            doelgroep: vec!["alleenstaande_ouder".into()],
        };
        let id = l.promote(&p, d("2025-03-03")).unwrap();
        assert_eq!(id, "RD-D42");
        let snap = l.all().unwrap();
        let s = &snap[0];
        assert_eq!(s.signal.status.as_deref(), Some("doorgezet"));
        assert_eq!(s.signal.doorgezet_op, Some(d("2025-03-03")));
        assert_eq!(s.signal.doorgezet_naar.as_deref(), Some("dienst_toeslagen"));
        assert_eq!(
            s.signal.omschrijving.as_deref(),
            Some("Partnerschap toeslagen na scheiding")
        );
        assert_eq!(s.signal.casus_ids, ["C3", "C9", "C11"]);
        assert_eq!(s.herkomst, "draad:D42");
        assert_eq!(
            s.patroon.as_deref(),
            Some(r#"{"levensgebeurtenis":"scheiding","thema":"toeslagen.partner_samenloop"}"#)
        );
        // Second promotion while open: same id, nothing changes.
        assert_eq!(l.promote(&p, d("2025-04-01")).unwrap(), "RD-D42");
        assert_eq!(l.all().unwrap(), snap);
        assert_eq!(count_history(&l), 1);
        assert!(l.status(d("2025-04-01")).unwrap().herhalingen.is_empty());

        // Close it, then promote again: repeat signal -2.
        l.transition("RD-D42", "in_behandeling", None, "ana", d("2025-04-10"))
            .unwrap();
        l.transition("RD-D42", "opgepakt", None, "ana", d("2025-05-10"))
            .unwrap();
        let id2 = l.promote(&p, d("2025-09-01")).unwrap();
        assert_eq!(id2, "RD-D42-2");
        assert_eq!(
            l.get(&id2).unwrap().unwrap().herhaling_van.as_deref(),
            Some("RD-D42")
        );
        assert_eq!(l.promote(&p, d("2025-09-02")).unwrap(), "RD-D42-2");
        // Close -2 (with reason for the skip) and a third repeat follows.
        l.transition(
            &id2,
            "afgerond",
            Some("DT verwijst naar eerder besluit"),
            "ana",
            d("2025-10-01"),
        )
        .unwrap();
        let id3 = l.promote(&p, d("2026-01-05")).unwrap();
        assert_eq!(id3, "RD-D42-3");
        assert_eq!(
            l.get(&id3).unwrap().unwrap().herhaling_van.as_deref(),
            Some("RD-D42-2")
        );
        let h3 = l.history(&id3).unwrap();
        assert_eq!(
            h3[0].reden.as_deref(),
            Some("herhaling van het afgesloten signaal RD-D42-2")
        );

        let st = l.status(d("2026-01-10")).unwrap();
        assert_eq!(
            st.herhalingen,
            vec![Repeat {
                patroon_of_thema:
                    "patroon: levensgebeurtenis=scheiding, thema=toeslagen.partner_samenloop".into(),
                signaal_ids: vec!["RD-D42".into(), "RD-D42-2".into(), "RD-D42-3".into()],
                aantal: 3,
            }]
        );
        // At an earlier peildatum the third one does not exist yet.
        assert_eq!(l.status(d("2025-12-31")).unwrap().herhalingen[0].aantal, 2);
    }

    #[test]
    fn imported_repeats_by_thema_and_regeling() {
        let mut l = Ledger::open_in_memory().unwrap();
        let mut a = sig("K1", "2025-01-10", "afgerond");
        a.terugkoppeling = Some("Brief aangepast".into());
        a.terugkoppeling_op = Some(d("2025-03-01"));
        // K2 reported while K1 was still open: same theme, not yet a repeat on its own.
        let k2 = sig("K2", "2025-02-01", "in_analyse");
        // K3 after K1 was closed: repeat.
        let k3 = sig("K3", "2025-04-01", "nieuw");
        // Other regeling: separate group, single.
        let mut k4 = sig("K4", "2025-04-01", "nieuw");
        k4.regeling = Some("zorgtoeslag".into());
        l.import(&[a, k2, k3, k4], "ksm.csv", d("2025-05-01"))
            .unwrap();
        let st = l.status(d("2025-05-01")).unwrap();
        assert_eq!(
            st.herhalingen,
            vec![Repeat {
                patroon_of_thema: "thema: toeslagen.terugvordering / huurtoeslag".into(),
                signaal_ids: vec!["K1".into(), "K2".into(), "K3".into()],
                aantal: 3,
            }]
        );
        // Without K3 there is no repeat: K2 came before K1 was closed.
        let mut l2 = Ledger::open_in_memory().unwrap();
        let mut a = sig("K1", "2025-01-10", "afgerond");
        a.terugkoppeling_op = Some(d("2025-03-01"));
        l2.import(
            &[a, sig("K2", "2025-02-01", "in_analyse")],
            "ksm.csv",
            d("2025-05-01"),
        )
        .unwrap();
        assert!(l2.status(d("2025-05-01")).unwrap().herhalingen.is_empty());
    }

    #[test]
    fn status_ages_past_due_feedback_per_recipient() {
        let mut l = Ledger::open_in_memory().unwrap();
        let peil = d("2025-07-01");
        // A: doorgezet to BD on 06-01, expected 06-15, no feedback -> late + without feedback.
        let mut a = sig("A", "2025-05-02", "doorgezet");
        a.doorgezet_naar = Some("belastingdienst".into());
        a.doorgezet_op = Some(d("2025-06-01"));
        a.eigenaar = Some("Invordering".into());
        a.reactie_verwacht_op = Some(d("2025-06-15"));
        // B: same recipient/owner, in_behandeling, feedback received; expected date passed.
        let mut b = sig("B", "2025-06-01", "in_behandeling");
        b.doorgezet_naar = Some("belastingdienst".into());
        b.doorgezet_op = Some(d("2025-06-05"));
        b.eigenaar = Some("Invordering".into());
        b.reactie_verwacht_op = Some(d("2025-06-20"));
        b.terugkoppeling = Some("Werkinstructie wordt aangepast".into());
        b.terugkoppeling_op = Some(d("2025-06-25"));
        // C: same recipient/owner, afgerond without feedback -> counted as closed and without feedback.
        let mut c = sig("C", "2025-01-01", "afgerond");
        c.doorgezet_naar = Some("belastingdienst".into());
        c.doorgezet_op = Some(d("2025-01-10"));
        c.eigenaar = Some("Invordering".into());
        // D: passed on today: 0 days, not yet "without feedback"; expected date in future.
        let mut d_ = sig("D", "2025-06-21", "doorgezet");
        d_.thema = Some("dienstverlening.bereikbaarheid".into());
        d_.doorgezet_naar = Some("ibtd".into());
        d_.doorgezet_op = Some(peil);
        d_.reactie_verwacht_op = Some(d("2025-08-01"));
        // E: not passed on, nieuw.
        let mut e = sig("E", "2025-06-30", "nieuw");
        e.thema = Some("ondernemers.btw".into());
        // F: reported after peildatum: left out.
        let f = sig("F", "2025-07-02", "nieuw");
        l.import(&[a, b, c, d_, e, f], "ksm.csv", d("2025-07-01"))
            .unwrap();
        let st = l.status(peil).unwrap();

        let ids = |v: &[OpenSignal]| v.iter().map(|s| s.signaal_id.clone()).collect::<Vec<_>>();
        // Ages at 2025-07-01: A since May 2 = 60 days, B 30, D 10, E 1; oldest first.
        assert_eq!(ids(&st.open), ["A", "B", "D", "E"]);
        let ages: Vec<i64> = st.open.iter().map(|s| s.leeftijd_dagen).collect();
        assert_eq!(ages, [60, 30, 10, 1]);
        assert_eq!(ids(&st.te_laat), ["A"]);
        assert_eq!(st.te_laat[0].reactie_verwacht_op, Some(d("2025-06-15")));
        assert_eq!(ids(&st.zonder_terugkoppeling), ["C", "A"]); // C 181 days, A 60
        assert_eq!(st.zonder_terugkoppeling[0].leeftijd_dagen, 181);
        assert_eq!(st.zonder_terugkoppeling[0].status, "afgerond");

        assert_eq!(
            st.per_ontvanger,
            vec![
                StatusRow {
                    ontvanger: "(nog niet doorgezet)".into(),
                    eigenaar: None,
                    open: 1,
                    gemiddelde_leeftijd_dagen: 1.0,
                    oudste_dagen: 1,
                    te_laat: 0,
                    zonder_terugkoppeling: 0,
                    afgerond: 0,
                },
                StatusRow {
                    ontvanger: "belastingdienst".into(),
                    eigenaar: Some("Invordering".into()),
                    open: 2,
                    gemiddelde_leeftijd_dagen: 45.0,
                    oudste_dagen: 60,
                    te_laat: 1,
                    zonder_terugkoppeling: 2,
                    afgerond: 1,
                },
                StatusRow {
                    ontvanger: "ibtd".into(),
                    eigenaar: None,
                    open: 1,
                    gemiddelde_leeftijd_dagen: 10.0,
                    oudste_dagen: 10,
                    te_laat: 0,
                    zonder_terugkoppeling: 0,
                    afgerond: 0,
                },
            ]
        );
        // One day later D is passed on for 1 day without feedback.
        let st2 = l.status(d("2025-07-02")).unwrap();
        assert_eq!(ids(&st2.zonder_terugkoppeling), ["C", "A", "D"]);
    }

    fn temp_db(name: &str) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!(
            "rodedraad-ledger-{}-{name}.sqlite",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&p);
        p
    }

    #[test]
    fn open_creates_file_and_reopens() {
        let path = temp_db("heropen");
        {
            let mut l = Ledger::open(&path).unwrap();
            l.import(&export_a(), "a.csv", d("2025-06-01")).unwrap();
        }
        assert!(path.exists());
        let l = Ledger::open(&path).unwrap();
        assert_eq!(l.schema_version().unwrap(), 2);
        assert_eq!(l.all().unwrap().len(), 3);
        assert_eq!(l.history("S2").unwrap().len(), 1);
        drop(l);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn upgrade_from_v1_keeps_rows() {
        let path = temp_db("v1");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrate(&mut conn, 1).unwrap();
            assert_eq!(current_version(&conn).unwrap(), 1);
            conn.execute_batch(
                "INSERT INTO signaal (signaal_id, gemeld_op, thema, regeling, doelgroep, casus_ids, \
                 status, herkomst, bijgewerkt_op) VALUES \
                 ('OUD1', '2025-02-01', 'toeslagen.voorschot', 'huurtoeslag', '[\"zzp\"]', '[]', \
                  'in_analyse', 'import:oud.csv', '2025-02-03');
                 INSERT INTO historie (signaal_id, veld, oud, nieuw, bron, op) VALUES
                 ('OUD1', 'status', NULL, 'nieuw', 'import:oud.csv', '2025-02-02'),
                 ('OUD1', 'status', 'nieuw', 'in_analyse', 'import:oud.csv', '2025-02-03');
                 UPDATE historie SET reden = 'v1 kende nog geen triggers' WHERE volgnr = 2;",
            )
            .unwrap();
        }
        let mut l = Ledger::open(&path).unwrap();
        assert_eq!(l.schema_version().unwrap(), 2);
        let s = l.get("OUD1").unwrap().unwrap();
        assert_eq!(s.signal.doelgroep, ["zzp"]);
        assert_eq!(s.signal.status.as_deref(), Some("in_analyse"));
        assert_eq!(s.patroon, None);
        assert_eq!(s.herhaling_van, None);
        let h = l.history("OUD1").unwrap();
        assert_eq!(h.len(), 2);
        assert!(!h[1].afwijkend);
        assert_eq!(h[1].reden.as_deref(), Some("v1 kende nog geen triggers"));
        // Triggers now active, and the ledger works on the upgraded data.
        assert!(l.conn.execute("DELETE FROM historie", []).is_err());
        l.transition("OUD1", "doorgezet", None, "ana", d("2025-03-01"))
            .unwrap();
        assert_eq!(l.history("OUD1").unwrap().len(), 4);
        drop(l);
        // Opening again is a no-op for the schema.
        let l = Ledger::open(&path).unwrap();
        assert_eq!(l.schema_version().unwrap(), 2);
        drop(l);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, 2).unwrap();
        conn.execute("INSERT INTO schema_versie (versie) VALUES (99)", [])
            .unwrap();
        let err = migrate(&mut conn, 2).unwrap_err();
        assert!(
            err.to_string().contains("nieuwere versie van rodedraad"),
            "{err}"
        );
    }

    #[test]
    fn lifecycle_steps() {
        assert!(is_regular_step(Some("nieuw"), "in_analyse"));
        assert!(is_regular_step(Some("in_behandeling"), "niet_opgepakt"));
        assert!(is_regular_step(Some("opgepakt"), "afgerond"));
        assert!(!is_regular_step(Some("opgepakt"), "niet_opgepakt"));
        assert!(!is_regular_step(Some("in_behandeling"), "afgerond"));
        assert!(!is_regular_step(Some("afgerond"), "nieuw"));
        assert!(is_regular_step(None, "in_analyse"));
        assert!(!is_regular_step(None, "doorgezet"));
        assert_eq!(
            next_statuses(Some("in_behandeling")),
            ["opgepakt", "niet_opgepakt"]
        );
        assert!(next_statuses(Some("afgerond")).is_empty());
    }

    #[test]
    fn messages_are_dutch_and_actionable() {
        let e = LedgerError::Onbekend("S77".into());
        assert!(e
            .to_string()
            .starts_with("Signaal 'S77' staat niet in het signalenregister"));
        let e = LedgerError::Transition {
            signaal_id: "S1".into(),
            van: "nieuw".into(),
            naar: "afgerond".into(),
        };
        let m = e.to_string();
        assert!(m.contains("Geef een reden op"), "{m}");
        assert!(m.contains("(in_analyse)"), "{m}");
        let e = LedgerError::Transition {
            signaal_id: "S1".into(),
            van: "nieuw".into(),
            naar: "klaar".into(),
        };
        assert!(e.to_string().contains("bestaat niet"));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn arb_signal() -> impl Strategy<Value = Signal> {
            (
                0u8..6,
                0i64..400,
                proptest::option::of(0usize..7),
                proptest::option::of("[a-z ]{0,8}"),
                proptest::collection::vec("[A-Z0-9|]{1,4}", 0..3),
                proptest::option::of(0i64..400),
            )
                .prop_map(|(id, day, st, om, cases, fb)| {
                    let base = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
                    Signal {
                        signaal_id: format!("S{id}"),
                        gemeld_op: base + chrono::Duration::days(day),
                        status: st.map(|i| crate::model::SIGNAAL_STATUSSEN[i].to_string()),
                        omschrijving: om,
                        casus_ids: cases,
                        terugkoppeling_op: fb.map(|x| base + chrono::Duration::days(x)),
                        ..Default::default()
                    }
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]
            /// Any sequence of imports: re-importing the last export changes
            /// nothing, and history rows = creations + changed fields.
            #[test]
            fn imports_are_traced_and_idempotent(
                exports in proptest::collection::vec(proptest::collection::vec(arb_signal(), 0..6), 1..4)
            ) {
                let mut l = Ledger::open_in_memory().unwrap();
                let mut expected_rows = 0usize;
                let mut state: BTreeMap<String, Signal> = BTreeMap::new();
                for (n, ex) in exports.iter().enumerate() {
                    let op = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(n as i64);
                    for s in ex {
                        match state.get(&s.signaal_id) {
                            None => expected_rows += 1,
                            Some(old) => {
                                let a = field_texts(old);
                                let b = field_texts(s);
                                expected_rows += a.iter().zip(b.iter()).filter(|(x, y)| x != y).count();
                            }
                        }
                        state.insert(s.signaal_id.clone(), s.clone());
                    }
                    l.import(ex, &format!("e{n}.csv"), op).unwrap();
                }
                prop_assert_eq!(count_history(&l) as usize, expected_rows);
                let current: Vec<Signal> = l.all().unwrap().into_iter().map(|s| s.signal).collect();
                prop_assert_eq!(current, state.values().cloned().collect::<Vec<_>>());
                let snap = l.all().unwrap();
                let last = exports.last().unwrap();
                // Dedup to last occurrence so the re-import is truly unchanged.
                let mut dedup: BTreeMap<String, Signal> = BTreeMap::new();
                for s in last { dedup.insert(s.signaal_id.clone(), s.clone()); }
                let again: Vec<Signal> = dedup.into_values().collect();
                l.import(&again, "opnieuw.csv", NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).unwrap();
                prop_assert_eq!(l.all().unwrap(), snap);
                prop_assert_eq!(count_history(&l) as usize, expected_rows);
            }
        }
    }
}
