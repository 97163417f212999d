//! Transactional output folders: a run writes into its own staging folder beside
//! the target and swaps it in with one rename, so a reader sees the old folder or
//! the new one, never a mix.
//!
//! - [`Staging::begin`] first cleans up after runs that were killed: their staging
//!   folders are removed, and a backup of theirs is put back when the target went
//!   missing (a kill between the two renames of a swap). It then makes a fresh
//!   staging folder `.NAME.staging-PID-N` beside the target.
//! - The run writes its files into [`Staging::path`].
//! - [`Staging::commit`] renames the old target to `.NAME.backup-PID-N`, the staging
//!   folder to the target, and only then removes the backup; if the second rename
//!   fails the backup is put back. No file of an earlier run is left beside the new
//!   ones (a rerun with fewer formats leaves no stale files).
//! - A staging folder that is dropped without commit (an error, a failed audit) is
//!   removed: nothing is left behind.
//!
//! A target that holds files rodedraad did not write (the working folder of
//! `check --uitvoer .`) is never swapped away: then the files of this command are moved in
//! one by one, after the earlier run's files of this command were removed, with the
//! summary file (`controle.json`) removed first and written last, so it never
//! describes files of another run.
//!
//! ```
//! use rodedraad::output::staging::Staging;
//! let target = std::env::temp_dir().join(format!("rodedraad-doc-staging-{}", std::process::id()));
//! let st = Staging::begin(&target, &["a.txt", "b.txt"], &[]).unwrap();
//! rodedraad::output::write_atomic(&st.path().join("a.txt"), b"een").unwrap();
//! st.commit().unwrap();
//! let st = Staging::begin(&target, &["a.txt", "b.txt"], &[]).unwrap();
//! rodedraad::output::write_atomic(&st.path().join("b.txt"), b"twee").unwrap();
//! st.commit().unwrap();
//! assert!(!target.join("a.txt").exists()); // nothing of the earlier run left
//! assert!(target.join("b.txt").exists());
//! # std::fs::remove_dir_all(&target).unwrap();
//! ```

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

const STAGING: &str = "staging";
const BACKUP: &str = "backup";

fn write_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// A staging folder for one run's output (see the module docs).
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    tag: String,
    own: Vec<String>,
    summary: Vec<String>,
    done: bool,
}

/// Whether the process with this id is still running.
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
        let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// The process id in a name `.NAME.KIND-PID-N`, when it is one of ours for `name`.
fn leftover_pid(file: &str, name: &str, kind: &str) -> Option<u32> {
    let rest = file.strip_prefix(&format!(".{name}.{kind}-"))?;
    rest.split('-').next()?.parse().ok()
}

impl Staging {
    /// Starts a run that publishes into `target`. `own` are the names of every file this
    /// command can write there; `summary` the files that describe the others (written
    /// last, removed first when files are moved in one by one).
    pub fn begin(target: &Path, own: &[&str], summary: &[&str]) -> Result<Staging> {
        let target = std::path::absolute(target).map_err(|e| write_err(target, e))?;
        let target = if target.exists() {
            target.canonicalize().map_err(|e| write_err(&target, e))?
        } else {
            target
        };
        if target.exists() && !target.is_dir() {
            return Err(write_err(&target, "dat is een bestand, geen map"));
        }
        let parent = target
            .parent()
            .ok_or_else(|| write_err(&target, "een uitvoermap kan niet de hoofdmap zijn"))?
            .to_path_buf();
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .ok_or_else(|| write_err(&target, "geen mapnaam"))?;
        std::fs::create_dir_all(&parent).map_err(|e| write_err(&parent, e))?;
        clean_leftovers(&parent, &name, &target)?;
        let tag = format!(
            "{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let dir = parent.join(format!(".{name}.{STAGING}-{tag}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).map_err(|e| write_err(&dir, e))?;
        Ok(Staging {
            target,
            dir,
            tag,
            own: own.iter().map(|s| s.to_string()).collect(),
            summary: summary.iter().map(|s| s.to_string()).collect(),
            done: false,
        })
    }

    /// The staging folder to write into.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The folder the files end up in.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The names of the files written so far, sorted.
    pub fn names(&self) -> Result<Vec<String>> {
        let mut v: Vec<String> = std::fs::read_dir(&self.dir)
            .map_err(|e| write_err(&self.dir, e))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        Ok(v)
    }

    /// Whether `target` may be replaced as a whole: missing, empty, or holding only
    /// files this command writes.
    fn replaceable(&self, written: &[String]) -> Result<bool> {
        if !self.target.exists() {
            return Ok(true);
        }
        let rd = std::fs::read_dir(&self.target).map_err(|e| write_err(&self.target, e))?;
        for e in rd {
            let e = e.map_err(|e| write_err(&self.target, e))?;
            let n = e.file_name().to_string_lossy().to_string();
            let is_file = e.file_type().map(|t| t.is_file()).unwrap_or(false);
            if !is_file || !(self.own.contains(&n) || written.contains(&n)) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Publishes the staged files into the target (see the module docs) and returns their names.
    pub fn commit(mut self) -> Result<Vec<String>> {
        let names = self.names()?;
        if self.replaceable(&names)? {
            self.swap()?;
        } else {
            self.move_one_by_one(&names)?;
        }
        self.done = true;
        Ok(names)
    }

    fn swap(&self) -> Result<()> {
        let parent = self.target.parent().unwrap_or(Path::new("."));
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let backup = parent.join(format!(".{name}.{BACKUP}-{}", self.tag));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &backup).map_err(|e| write_err(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&backup, &self.target);
            }
            return Err(write_err(&self.target, e));
        }
        sync_dir(parent);
        if had_old {
            let _ = std::fs::remove_dir_all(&backup);
        }
        Ok(())
    }

    fn move_one_by_one(&self, names: &[String]) -> Result<()> {
        let t = &self.target;
        let stale = |n: &String| self.summary.contains(n) || !names.contains(n);
        // The summary first, then the earlier run's files that this run does not write.
        let mut old: Vec<&String> = self.own.iter().filter(|n| stale(n)).collect();
        old.sort_by_key(|n| !self.summary.contains(n));
        for n in old {
            match std::fs::remove_file(t.join(n)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(write_err(&t.join(n), e)),
            }
        }
        let mut order: Vec<&String> = names.iter().collect();
        order.sort_by_key(|n| self.summary.contains(n));
        for n in order {
            std::fs::rename(self.dir.join(n), t.join(n)).map_err(|e| write_err(&t.join(n), e))?;
        }
        sync_dir(t);
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Makes the renames in `dir` durable (best effort; not every system allows it).
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Removes the staging folders of dead runs for `name` in `parent`; a dead run's backup
/// is put back when the target is missing, otherwise removed.
fn clean_leftovers(parent: &Path, name: &str, target: &Path) -> Result<()> {
    let Ok(rd) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let mut entries: Vec<(String, PathBuf)> = rd
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .collect();
    entries.sort();
    for (file, path) in entries {
        if let Some(pid) = leftover_pid(&file, name, STAGING) {
            if !alive(pid) {
                let _ = std::fs::remove_dir_all(&path);
            }
        } else if let Some(pid) = leftover_pid(&file, name, BACKUP) {
            if alive(pid) {
                continue;
            }
            if target.exists() {
                let _ = std::fs::remove_dir_all(&path);
            } else {
                std::fs::rename(&path, target).map_err(|e| write_err(target, e))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("rodedraad-staging-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    const OWN: &[&str] = &["a.csv", "b.csv", "controle.json"];

    #[test]
    fn a_rerun_replaces_the_folder_and_leaves_nothing_of_the_first_run() {
        let b = base("rerun");
        let t = b.join("uit");
        let st = Staging::begin(&t, OWN, &["controle.json"]).unwrap();
        std::fs::write(st.path().join("a.csv"), "1").unwrap();
        std::fs::write(st.path().join("b.csv"), "1").unwrap();
        assert_eq!(st.commit().unwrap(), vec!["a.csv", "b.csv"]);
        let st = Staging::begin(&t, OWN, &["controle.json"]).unwrap();
        std::fs::write(st.path().join("a.csv"), "2").unwrap();
        st.commit().unwrap();
        assert_eq!(listing(&t), vec!["a.csv"]);
        assert_eq!(std::fs::read_to_string(t.join("a.csv")).unwrap(), "2");
        assert_eq!(listing(&b), vec!["uit"]);
    }

    #[test]
    fn a_dropped_staging_leaves_nothing_and_keeps_the_old_folder() {
        let b = base("drop");
        let t = b.join("uit");
        let st = Staging::begin(&t, OWN, &[]).unwrap();
        std::fs::write(st.path().join("a.csv"), "oud").unwrap();
        st.commit().unwrap();
        {
            let st = Staging::begin(&t, OWN, &[]).unwrap();
            std::fs::write(st.path().join("a.csv"), "nieuw").unwrap();
        }
        assert_eq!(std::fs::read_to_string(t.join("a.csv")).unwrap(), "oud");
        assert_eq!(listing(&b), vec!["uit"]);
    }

    #[test]
    fn leftovers_of_a_killed_run_are_cleaned_and_a_lost_target_restored() {
        let b = base("killed");
        let t = b.join("uit");
        // A process id that cannot be alive (beyond the kernel's pid_max).
        let dead = 4_194_999u32;
        std::fs::create_dir_all(b.join(format!(".uit.staging-{dead}-0"))).unwrap();
        std::fs::create_dir_all(b.join(format!(".uit.backup-{dead}-0"))).unwrap();
        std::fs::write(b.join(format!(".uit.backup-{dead}-0/a.csv")), "vorige").unwrap();
        // Killed between the two renames: the target is missing, its backup is put back.
        let st = Staging::begin(&t, OWN, &[]).unwrap();
        assert_eq!(std::fs::read_to_string(t.join("a.csv")).unwrap(), "vorige");
        drop(st);
        assert_eq!(listing(&b), vec!["uit"]);
        // A leftover of another target is not touched.
        std::fs::create_dir_all(b.join(format!(".ander.staging-{dead}-0"))).unwrap();
        Staging::begin(&t, OWN, &[]).unwrap();
        assert_eq!(
            listing(&b),
            vec![format!(".ander.staging-{dead}-0"), "uit".into()]
        );
    }

    #[test]
    fn a_folder_with_other_files_is_not_swapped_away() {
        let b = base("foreign");
        let t = b.join("werkmap");
        std::fs::create_dir_all(&t).unwrap();
        std::fs::write(t.join("casussen.csv"), "van de gebruiker").unwrap();
        std::fs::write(t.join("b.csv"), "vorige run").unwrap();
        std::fs::write(t.join("controle.json"), "vorige run").unwrap();
        let st = Staging::begin(&t, OWN, &["controle.json"]).unwrap();
        std::fs::write(st.path().join("a.csv"), "nieuw").unwrap();
        std::fs::write(st.path().join("controle.json"), "nieuw").unwrap();
        st.commit().unwrap();
        assert_eq!(listing(&t), vec!["a.csv", "casussen.csv", "controle.json"]);
        assert_eq!(
            std::fs::read_to_string(t.join("controle.json")).unwrap(),
            "nieuw"
        );
        assert_eq!(listing(&b), vec!["werkmap"]);
    }

    #[test]
    fn a_file_as_target_is_a_write_error() {
        let b = base("file");
        std::fs::write(b.join("x"), "").unwrap();
        let e = Staging::begin(&b.join("x"), OWN, &[]).unwrap_err();
        assert_eq!(e.exit_code(), 6);
    }
}
