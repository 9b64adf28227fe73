//! The site writer. A build writes every file through a `Writer`, which publishes in one of
//! two ways and never half-publishes:
//!
//! - **whole** (`Staging`): every file goes into a staging folder beside the output, and only
//!   a build that finished replaces the published folder, by two renames;
//! - **update** (`Update`, an incremental build over a site the build cache knows): a file
//!   whose bytes did not change is not touched; a changed one is written beside its target
//!   under a hidden temporary name, and only a build that finished renames them all into
//!   place and removes the files no longer produced. A failed build removes its temporary
//!   files and leaves the old site as it was.
//!
//! Either way the writer records what it published (`Manifest`): the next build's cache.

use crate::ingest::{digest, Stamp};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("无法写入 {path}：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("输出路径 {0} 不能是输入文件夹或模板文件夹本身，也不能是根目录")]
    UnsafeOutput(PathBuf),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_owned(),
        source,
    }
}

/// One published file as the build cache remembers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// What produced it (a hash of the job's inputs; 0 when the job is always run).
    pub key: u64,
    /// A hash of its bytes.
    pub digest: u64,
    /// Its size and modification time once written: a file edited by hand is noticed.
    pub stamp: Stamp,
}

/// Every file of a published site, by path relative to the output (with `/`).
pub type Manifest = BTreeMap<String, Published>;

/// What a committed build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Files of the published site.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Files written, replaced or removed by this build (all of them for a whole build).
    pub changed: usize,
}

/// Where a build's files go: a whole new site, or an update of the published one.
#[derive(Debug)]
pub struct Writer {
    target: Target,
    manifest: Mutex<Manifest>,
    files: AtomicUsize,
    bytes: AtomicU64,
    changed: AtomicUsize,
    /// Folders already created: one `mkdir` per folder, not one per file.
    folders: Mutex<BTreeSet<PathBuf>>,
}

#[derive(Debug)]
enum Target {
    Whole(Staging),
    Update(Update),
}

impl Writer {
    /// A whole new site, swapped in by `commit`.
    pub fn whole(output: &Path) -> Result<Writer, WriteError> {
        Ok(Writer::new(Target::Whole(Staging::begin(output)?)))
    }

    /// An update of the site at `output`, which `previous` describes.
    pub fn update(output: &Path, previous: Manifest) -> Result<Writer, WriteError> {
        let on_disk = files_under(output)?;
        Ok(Writer::new(Target::Update(Update {
            output: output.to_owned(),
            previous,
            on_disk,
            pending: Mutex::new(Vec::new()),
            created: Mutex::new(Vec::new()),
            committed: false,
        })))
    }

    fn new(target: Target) -> Writer {
        Writer {
            target,
            manifest: Mutex::new(Manifest::new()),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            changed: AtomicUsize::new(0),
            folders: Mutex::new(BTreeSet::new()),
        }
    }

    /// Whether `rel` was produced by a job with this `key` and is still on disk as written:
    /// then it is kept as it is (and stays in the site) without running the job.
    pub fn keep(&self, rel: &str, key: u64) -> bool {
        let Target::Update(u) = &self.target else {
            return false;
        };
        match u.previous.get(rel) {
            Some(p) if p.key == key && u.on_disk.get(rel) == Some(&p.stamp) => {
                self.record(rel, *p);
                true
            }
            _ => false,
        }
    }

    /// Writes one file (`rel` uses `/`); `key` names what produced it. Safe to call from
    /// many threads. Unchanged bytes on disk are left alone.
    pub fn write(&self, rel: &str, key: u64, bytes: &[u8]) -> Result<(), WriteError> {
        let digest = digest(bytes);
        let path = match &self.target {
            Target::Whole(s) => s.staging.join(rel),
            Target::Update(u) => {
                if let Some(p) = u.previous.get(rel) {
                    if p.digest == digest
                        && p.stamp.size == bytes.len() as u64
                        && u.on_disk.get(rel) == Some(&p.stamp)
                    {
                        self.record(rel, Published { key, ..*p });
                        return Ok(());
                    }
                }
                let target = u.output.join(rel);
                let name = target
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                target.with_file_name(format!(".{name}.budgetsite-new"))
            }
        };
        if let Some(dir) = path.parent() {
            self.folder(dir)?;
        }
        let stamp = write_file(&path, bytes)?;
        if let Target::Update(u) = &self.target {
            if let Ok(mut p) = u.pending.lock() {
                p.push((path, u.output.join(rel)));
            }
        }
        self.changed.fetch_add(1, Ordering::Relaxed);
        self.record(rel, Published { key, digest, stamp });
        Ok(())
    }

    fn record(&self, rel: &str, published: Published) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes
            .fetch_add(published.stamp.size, Ordering::Relaxed);
        if let Ok(mut m) = self.manifest.lock() {
            m.insert(rel.to_owned(), published);
        }
    }

    fn folder(&self, dir: &Path) -> Result<(), WriteError> {
        let known = self
            .folders
            .lock()
            .map(|f| f.contains(dir))
            .unwrap_or(false);
        if known {
            return Ok(());
        }
        if let Target::Update(u) = &self.target {
            // Remember the folders this build makes, to remove them again if it fails.
            let mut missing = Vec::new();
            let mut d = Some(dir);
            while let Some(x) = d.filter(|x| !x.is_dir()) {
                missing.push(x.to_path_buf());
                d = x.parent();
            }
            if let Ok(mut c) = u.created.lock() {
                c.extend(missing);
            }
        }
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        if let Ok(mut f) = self.folders.lock() {
            f.insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// Publishes what was written and returns the site's manifest.
    pub fn commit(self) -> Result<(WriteStats, Manifest), WriteError> {
        let manifest = self.manifest.into_inner().unwrap_or_default();
        let mut changed = self.changed.into_inner();
        match self.target {
            Target::Whole(s) => s.commit()?,
            Target::Update(mut u) => {
                let pending = std::mem::take(u.pending.get_mut().unwrap_or(&mut Vec::new()));
                for (tmp, target) in &pending {
                    std::fs::rename(tmp, target).map_err(io(target))?;
                }
                u.committed = true;
                let mut emptied = BTreeSet::new();
                for rel in u.on_disk.keys().filter(|r| !manifest.contains_key(*r)) {
                    let path = u.output.join(rel);
                    std::fs::remove_file(&path).map_err(io(&path))?;
                    changed += 1;
                    emptied.extend(path.parent().map(Path::to_path_buf));
                }
                // Folders left empty go too, deepest first, as a clean build would not have them.
                for dir in emptied.iter().rev() {
                    let mut d = Some(dir.as_path());
                    while let Some(x) = d.filter(|x| x.starts_with(&u.output) && *x != u.output) {
                        if std::fs::remove_dir(x).is_err() {
                            break;
                        }
                        d = x.parent();
                    }
                }
            }
        }
        let stats = WriteStats {
            files: self.files.into_inner(),
            bytes: self.bytes.into_inner(),
            changed,
        };
        Ok((stats, manifest))
    }
}

/// Writes a file and returns its size and modification time.
fn write_file(path: &Path, bytes: &[u8]) -> Result<Stamp, WriteError> {
    let mut f = std::fs::File::create(path).map_err(io(path))?;
    f.write_all(bytes).map_err(io(path))?;
    let meta = f.metadata().map_err(io(path))?;
    Ok(Stamp::of(&meta))
}

/// Every file under `root` (hidden ones too: a clean build has none), with its stamp.
pub fn files_under(root: &Path) -> Result<BTreeMap<String, Stamp>, WriteError> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.map_err(|e| WriteError::Io {
            path: e.path().unwrap_or(root).to_owned(),
            source: e.into(),
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let meta = entry.metadata().map_err(|e| WriteError::Io {
            path: entry.path().to_owned(),
            source: e.into(),
        })?;
        if let Ok(rel) = entry.path().strip_prefix(root) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(rel, Stamp::of(&meta));
        }
    }
    Ok(out)
}

/// An update in progress: temporary files beside their targets, renamed by `commit`.
#[derive(Debug)]
struct Update {
    output: PathBuf,
    previous: Manifest,
    on_disk: BTreeMap<String, Stamp>,
    /// (temporary file, target), renamed at commit.
    pending: Mutex<Vec<(PathBuf, PathBuf)>>,
    /// Folders this build created.
    created: Mutex<Vec<PathBuf>>,
    committed: bool,
}

impl Drop for Update {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if let Ok(pending) = self.pending.lock() {
            for (tmp, _) in pending.iter() {
                let _ = std::fs::remove_file(tmp);
            }
        }
        if let Ok(created) = self.created.lock() {
            let mut dirs: Vec<&PathBuf> = created.iter().collect();
            dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
            for d in dirs {
                let _ = std::fs::remove_dir(d);
            }
        }
    }
}

/// A build in progress: files are written under `staging`, then swapped in by `commit`.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl Staging {
    /// Starts a build into a fresh staging folder next to `output` (same file system, so the
    /// final rename is atomic).
    pub fn begin(output: &Path) -> Result<Staging, WriteError> {
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| WriteError::UnsafeOutput(output.to_owned()))?;
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        std::fs::create_dir_all(&staging).map_err(io(&staging))?;
        Ok(Staging {
            output: output.to_owned(),
            staging,
            committed: false,
        })
    }

    pub fn root(&self) -> &Path {
        &self.staging
    }

    /// Replaces the published folder with the staged one: the old one is renamed aside, the new
    /// one renamed into place, then the old one removed.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let parent = self.staging.parent().unwrap_or(Path::new(".")).to_owned();
        let name = self
            .output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = self.output.exists();
        if had_old {
            if old.exists() {
                std::fs::remove_dir_all(&old).map_err(io(&old))?;
            }
            std::fs::rename(&self.output, &old).map_err(io(&self.output))?;
        }
        if let Err(source) = std::fs::rename(&self.staging, &self.output) {
            // Put the old site back before reporting.
            if had_old {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(WriteError::Io {
                path: self.output.clone(),
                source,
            });
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &Path) -> String {
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn a_dropped_build_leaves_the_old_site_and_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        {
            let w = Writer::whole(&out).unwrap();
            w.write("index.html", 0, b"new").unwrap();
        }
        assert_eq!(read(&out.join("index.html")), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_committed_build_replaces_the_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        let w = Writer::whole(&out).unwrap();
        w.write("a/b/index.html", 7, b"new").unwrap();
        let (stats, manifest) = w.commit().unwrap();
        assert_eq!(
            stats,
            WriteStats {
                files: 1,
                bytes: 3,
                changed: 1
            }
        );
        assert_eq!(manifest["a/b/index.html"].key, 7);
        assert!(!out.join("stale.html").exists());
        assert_eq!(read(&out.join("a/b/index.html")), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A site of three files, published whole; returns its manifest.
    fn published(out: &Path) -> Manifest {
        let w = Writer::whole(out).unwrap();
        w.write("index.html", 1, b"home").unwrap();
        w.write("a/one.html", 2, b"one").unwrap();
        w.write("b/two.html", 3, b"two").unwrap();
        w.commit().unwrap().1
    }

    #[test]
    fn an_update_touches_only_what_changed_and_removes_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let manifest = published(&out);
        let w = Writer::update(&out, manifest.clone()).unwrap();
        assert!(w.keep("a/one.html", 2), "same key, untouched file");
        assert!(!w.keep("index.html", 9), "another key");
        w.write("index.html", 9, b"home").unwrap(); // same bytes: left alone
        w.write("c/new.html", 4, b"new").unwrap();
        let (stats, after) = w.commit().unwrap();
        assert_eq!(stats.files, 3);
        assert_eq!(stats.changed, 2, "one written, one removed");
        assert_eq!(after["index.html"].key, 9);
        assert_eq!(after["index.html"].stamp, manifest["index.html"].stamp);
        assert_eq!(read(&out.join("c/new.html")), "new");
        assert!(!out.join("b").exists(), "an emptied folder goes");
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(names, ["a", "c", "index.html"], "no temporary file left");
    }

    #[test]
    fn a_failed_update_leaves_the_old_site_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let manifest = published(&out);
        {
            let w = Writer::update(&out, manifest).unwrap();
            w.write("index.html", 1, b"changed").unwrap();
            w.write("new/deep/page.html", 5, b"x").unwrap();
            // dropped without commit: the build failed
        }
        assert_eq!(read(&out.join("index.html")), "home");
        assert!(!out.join("new").exists());
        assert_eq!(read(&out.join("b/two.html")), "two");
        assert_eq!(files_under(&out).unwrap().len(), 3);
    }

    #[test]
    fn a_file_edited_by_hand_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let manifest = published(&out);
        std::fs::write(out.join("a/one.html"), "edited by hand").unwrap();
        std::fs::write(out.join("stray.html"), "not ours").unwrap();
        let w = Writer::update(&out, manifest).unwrap();
        assert!(!w.keep("a/one.html", 2));
        w.write("a/one.html", 2, b"one").unwrap();
        assert!(w.keep("index.html", 1));
        assert!(w.keep("b/two.html", 3));
        w.commit().unwrap();
        assert_eq!(read(&out.join("a/one.html")), "one");
        assert!(!out.join("stray.html").exists());
    }
}
