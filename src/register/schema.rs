//! The ledger's SQLite schema and its numbered migrations.

use super::*;

pub(super) const MIGRATION_V1: &str = "
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

pub(super) const MIGRATION_V2: &str = "
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
pub(super) const MIGRATIONS: &[(u32, &str)] = &[(1, MIGRATION_V1), (2, MIGRATION_V2)];

pub(super) fn latest_version() -> u32 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

pub(super) fn dutch_db_error(code: std::os::raw::c_int, message: String) -> LedgerError {
    LedgerError::Db(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(code),
        Some(message),
    ))
}

pub(super) fn current_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row(
        "SELECT COALESCE(MAX(versie), 0) FROM schema_versie",
        [],
        |r| r.get::<_, u32>(0),
    )
}

/// Brings the schema up to `target` in one transaction.
pub(super) fn migrate(conn: &mut Connection, target: u32) -> Result<(), LedgerError> {
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
