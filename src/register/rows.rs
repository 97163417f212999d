//! Mapping between SQLite rows and the ledger's types.

use super::*;

pub(super) const SIGNAL_SELECT: &str =
    "SELECT signaal_id, gemeld_op, bron, thema, regeling, doelgroep, \
     omschrijving, casus_ids, status, doorgezet_naar, doorgezet_op, eigenaar, \
     reactie_verwacht_op, terugkoppeling, terugkoppeling_op, herkomst, patroon, herhaling_van, \
     bijgewerkt_op FROM signaal";

pub(super) const HISTORY_SELECT: &str =
    "SELECT signaal_id, veld, oud, nieuw, bron, op, reden, afwijkend FROM historie";

pub(super) fn conversion_error(
    idx: usize,
    e: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e))
}

pub(super) fn date_text(d: NaiveDate) -> String {
    d.to_string()
}

pub(super) fn parse_date(idx: usize, s: &str) -> rusqlite::Result<NaiveDate> {
    s.parse::<NaiveDate>().map_err(|e| conversion_error(idx, e))
}

pub(super) fn date_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = row.get(idx)?;
    parse_date(idx, &s)
}

pub(super) fn opt_date_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = row.get(idx)?;
    s.map(|s| parse_date(idx, &s)).transpose()
}

pub(super) fn list_col<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<Vec<T>> {
    let s: String = row.get(idx)?;
    serde_json::from_str(&s).map_err(|e| conversion_error(idx, e))
}

pub(super) fn list_text<T: Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_string())
}

/// Stores and reads the closed code lists as their canonical codes.
macro_rules! sql_code {
    ($($t:ty),+) => {$(
        impl rusqlite::types::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
        impl rusqlite::types::FromSql for $t {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                <$t>::parse(s).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(
                        format!("onbekende code \"{s}\" in het register").into(),
                    )
                })
            }
        }
    )+};
}
sql_code!(Recipient, SignalSource, SignalStatus);

/// Stores and reads a taxonomy code as its text.
impl rusqlite::types::ToSql for Code {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for Code {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        v.as_str().map(Code::new)
    }
}

pub(super) fn signal_from_row(row: &Row<'_>) -> rusqlite::Result<LedgerSignal> {
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

pub(super) fn history_from_row(row: &Row<'_>) -> rusqlite::Result<HistoryEntry> {
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
pub(super) fn field_texts(s: &Signal) -> [(&'static str, Option<String>); 14] {
    [
        ("gemeld_op", Some(date_text(s.gemeld_op))),
        ("bron", s.bron.map(|x| x.as_str().to_string())),
        ("thema", s.thema.map(String::from)),
        ("regeling", s.regeling.map(String::from)),
        ("doelgroep", Some(list_text(&s.doelgroep))),
        ("omschrijving", s.omschrijving.clone()),
        ("casus_ids", Some(list_text(&s.casus_ids))),
        ("status", s.status.map(|x| x.as_str().to_string())),
        (
            "doorgezet_naar",
            s.doorgezet_naar.map(|x| x.as_str().to_string()),
        ),
        ("doorgezet_op", s.doorgezet_op.map(date_text)),
        ("eigenaar", s.eigenaar.clone()),
        ("reactie_verwacht_op", s.reactie_verwacht_op.map(date_text)),
        ("terugkoppeling", s.terugkoppeling.clone()),
        ("terugkoppeling_op", s.terugkoppeling_op.map(date_text)),
    ]
}

pub(super) fn load_signal(conn: &Connection, id: &str) -> rusqlite::Result<Option<LedgerSignal>> {
    conn.query_row(
        &format!("{SIGNAL_SELECT} WHERE signaal_id = ?1"),
        [id],
        signal_from_row,
    )
    .optional()
}

pub(super) fn insert_signal(conn: &Connection, ls: &LedgerSignal) -> rusqlite::Result<()> {
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
pub(super) fn update_signal(conn: &Connection, s: &Signal, op: NaiveDate) -> rusqlite::Result<()> {
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

pub(super) struct NewHistory<'a> {
    pub(super) signaal_id: &'a str,
    pub(super) veld: &'a str,
    pub(super) oud: Option<&'a str>,
    pub(super) nieuw: Option<&'a str>,
    pub(super) bron: &'a str,
    pub(super) op: NaiveDate,
    pub(super) reden: Option<&'a str>,
    pub(super) afwijkend: bool,
}

pub(super) fn add_history(conn: &Connection, h: NewHistory<'_>) -> rusqlite::Result<()> {
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
pub(super) fn import_deviation_reason(van: Option<&str>, naar: Option<&str>) -> Option<String> {
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

pub(super) fn trimmed(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}
