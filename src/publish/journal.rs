//! What keeps publishing safe across runs: the build locks (one build at a time), the names
//! a build uses beside the output folder, the journal of an update (every rename and removal,
//! checksummed, written before it is applied), and `recover`, which at the start of every
//! build completes or undoes whatever a run that died left.

use super::writer::{fs, io, write_file, WriteError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The names beside an output folder `parent/NAME` that belong to its builds.
#[derive(Debug, Clone)]
pub(super) struct Beside {
    pub(super) parent: PathBuf,
    pub(super) name: String,
}

impl Beside {
    pub(super) fn of(output: &Path) -> Result<Beside, WriteError> {
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| WriteError::UnsafeOutput(output.to_owned()))?;
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned();
        Ok(Beside { parent, name })
    }
    pub(super) fn path(&self, what: &str) -> PathBuf {
        self.parent.join(format!(".{}.{what}", self.name))
    }
    pub(super) fn per_run(&self, what: &str) -> PathBuf {
        self.path(&format!("{what}-{}", std::process::id()))
    }
    /// Leftovers of dead runs: staging and update folders, the old site of a swap.
    pub(super) fn leftovers(&self) -> Vec<PathBuf> {
        let prefixes = ["building-", "old-", "update-"].map(|p| format!(".{}.{p}", self.name));
        let mut found: Vec<PathBuf> = std::fs::read_dir(&self.parent)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                prefixes.iter().any(|p| n.starts_with(p.as_str()))
            })
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    }
}

/// Held while a build runs: a second build of the same output (or with the same cache)
/// is refused instead of interleaving with it. Released when dropped (or when the process
/// dies: the lock is the operating system's, not the file's existence).
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

/// Takes the lock file `path` (created if needed) or fails with `WriteError::Busy`.
pub fn lock(path: &Path) -> Result<Lock, WriteError> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(io(path))?;
    // A moment's grace: a lock can be held briefly by what is not a build (a process being
    // spawned by another thread holds a copy of every descriptor until it executes).
    for attempt in 0.. {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if attempt < 20 => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(WriteError::Busy(path.to_owned()))
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(path)(e)),
        }
    }
    unreachable!()
}

/// The lock file of an output folder (beside it, hidden).
pub fn output_lock(output: &Path) -> Result<PathBuf, WriteError> {
    Ok(Beside::of(output)?.path("lock"))
}

/// What `recover` found of dead runs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovered {
    /// An update whose journal was complete was finished.
    pub replayed: bool,
    /// A swap interrupted between its two renames was undone (old site put back).
    pub restored: bool,
    /// Leftover folders removed.
    pub removed: usize,
}

/// Brings the output folder back to one whole site after a run that died, and removes what
/// such runs left beside it. Call it holding the build lock: it removes staging folders.
pub fn recover(output: &Path) -> Result<Recovered, WriteError> {
    let beside = Beside::of(output)?;
    let mut done = Recovered::default();
    let journal = beside.path("journal");
    if journal.exists() {
        if let Some(j) = Journal::read(&journal) {
            j.apply(output, &beside.parent)?;
            done.replayed = true;
        }
        fs::remove_file(&journal).map_err(io(&journal))?;
    }
    let _ = std::fs::remove_file(beside.path("journal.tmp"));
    let leftovers = beside.leftovers();
    if !output.exists() {
        // A two-rename swap died between its renames: the old site is put back.
        if let Some(old) = leftovers.iter().rev().find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(".old-"))
        }) {
            fs::rename(old, output).map_err(io(output))?;
            done.restored = true;
        }
    }
    for dir in beside.leftovers() {
        fs::remove_dir_all(&dir).map_err(io(&dir))?;
        done.removed += 1;
    }
    Ok(done)
}

/// An update's renames and removals, written (and flushed) before any of them is made.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Journal {
    /// The folder holding the new files (its name, beside the output).
    pub(super) from: String,
    /// (file in `from`, path relative to the output).
    pub(super) renames: Vec<(String, String)>,
    /// Paths relative to the output.
    pub(super) removes: Vec<String>,
}

const JOURNAL_FORMAT: &str = "budgetsite-journal-1";

impl Journal {
    /// The journal, if it is complete (its checksum matches): a journal cut short by a
    /// crash or a full disk was never acted on and is ignored.
    pub(super) fn read(path: &Path) -> Option<Journal> {
        let text = std::fs::read_to_string(path).ok()?;
        let rest = text.strip_prefix(JOURNAL_FORMAT)?.strip_prefix('\n')?;
        let (sum, body) = rest.split_once('\n')?;
        if sum != format!("{:016x}", checksum(body.as_bytes())) {
            return None;
        }
        serde_json::from_str(body).ok()
    }

    /// Writes the journal durably: after this returns, the update is as good as done.
    pub(super) fn write(&self, path: &Path) -> Result<(), WriteError> {
        let body = serde_json::to_string(self).map_err(|e| io(path)(e.into()))?;
        let text = format!(
            "{JOURNAL_FORMAT}\n{:016x}\n{body}",
            checksum(body.as_bytes())
        );
        let tmp = path.with_extension("journal.tmp");
        write_file(&tmp, text.as_bytes(), true)?;
        fs::rename(&tmp, path).map_err(io(path))?;
        if let Err(e) = sync_dir(path.parent().unwrap_or(Path::new("."))) {
            // Not known to be on disk: undone, so the update is not half-made later.
            std::fs::remove_file(path).map_err(io(path))?;
            return Err(e);
        }
        Ok(())
    }

    /// Makes the renames and removals; done again after a crash, each step is a no-op or
    /// finishes what was begun.
    pub(super) fn apply(&self, output: &Path, parent: &Path) -> Result<(), WriteError> {
        let from_dir = parent.join(&self.from);
        let mut folders = BTreeSet::new();
        for (_, rel) in &self.renames {
            folders.extend(output.join(rel).parent().map(Path::to_path_buf));
        }
        for dir in &folders {
            if !dir.is_dir() {
                fs::create_dir_all(dir).map_err(io(dir))?;
            }
        }
        for (tmp, rel) in &self.renames {
            let from = from_dir.join(tmp);
            if from.exists() {
                let to = output.join(rel);
                fs::rename(&from, &to).map_err(io(&to))?;
            }
        }
        let mut emptied = BTreeSet::new();
        for rel in &self.removes {
            let path = output.join(rel);
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&path)(e)),
            }
            emptied.extend(path.parent().map(Path::to_path_buf));
        }
        // Folders left empty go too, deepest first, as a clean build would not have them.
        for dir in emptied.iter().rev() {
            let mut d = Some(dir.as_path());
            while let Some(x) = d.filter(|x| x.starts_with(output) && *x != output) {
                if std::fs::remove_dir(x).is_err() {
                    break;
                }
                d = x.parent();
            }
        }
        sync_dir(output)?;
        if from_dir.exists() {
            fs::remove_dir_all(&from_dir).map_err(io(&from_dir))?;
        }
        Ok(())
    }
}

/// FNV-1a over bytes: any single changed byte changes it (each step is a bijection).
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = crate::hash::Fnv::new();
    std::hash::Hasher::write(&mut h, bytes);
    std::hash::Hasher::finish(&h)
}

pub(super) fn sync_dir(dir: &Path) -> Result<(), WriteError> {
    fs::sync(dir).map_err(io(dir))
}
