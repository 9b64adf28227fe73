//! The site writer. A build writes every file through a `Writer`, which publishes in one of
//! two ways and never half-publishes, whatever instant the process dies at:
//!
//! - **whole** (`Staging`): every file goes into a staging folder beside the output; only a
//!   build that finished swaps it with the published folder in one step
//!   (`renameat2(RENAME_EXCHANGE)` on Linux; elsewhere two renames that `recover` completes
//!   or undoes), then removes the old site;
//! - **update** (`Update`, an incremental build over a site the build cache knows): a file
//!   whose bytes did not change is not touched; a changed one is written into a hidden
//!   folder beside the output. A build that finished writes a journal (every rename and
//!   removal, checksummed) and only then applies it; a run that dies while applying it is
//!   completed by the next run (`recover` replays the journal), one that dies before leaves
//!   the site untouched.
//!
//! Everything written is flushed to disk (`syncfs`) before the step that publishes it, so a
//! power loss cannot publish a file the disk never received. `recover` runs at the start of
//! every build, under the build lock (`lock`), and removes every leftover of a dead run.
//! Every file-system operation passes the `site-io` failpoint (`fail` crate), so tests can
//! make any of them fail or kill the process there.
//!
//! Either way the writer records what it published (`Manifest`): the next build's cache.

use crate::files::Stamp;
use crate::hash::digest;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

pub use super::journal::{lock, output_lock, recover, Lock, Recovered};
use super::journal::{sync_dir, Beside, Journal};

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
    #[error("输出路径 {0} 已存在且不是文件夹；请换一个输出路径或先移走该文件（未做任何修改）")]
    OutputIsFile(PathBuf),
    #[error(
        "另一个 budgetsite 构建正在进行（锁文件 {0} 被占用）；本次未做任何修改，请等它结束后再运行"
    )]
    Busy(PathBuf),
}

pub(super) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The `site-io` failpoint, passed by every file-system operation of the writer: `return`
/// fails the operation, `return(enospc)` fails it as a full disk, `return(abort)` kills the
/// process on the spot (no destructor runs, as with `kill -9` or a power loss).
pub(super) fn failpoint() -> std::io::Result<()> {
    fail::fail_point!("site-io", |arg: Option<String>| match arg.as_deref() {
        Some("abort") => std::process::abort(),
        Some("enospc") => Err(std::io::Error::from_raw_os_error(28)),
        _ => Err(std::io::Error::other("injected failure (site-io)")),
    });
    Ok(())
}

pub(super) mod fs {
    //! The writer's file-system operations, each behind the `site-io` failpoint.
    use super::failpoint;
    use std::io::Result;
    use std::path::Path;

    pub fn rename(from: &Path, to: &Path) -> Result<()> {
        failpoint()?;
        std::fs::rename(from, to)
    }
    pub fn remove_file(path: &Path) -> Result<()> {
        failpoint()?;
        std::fs::remove_file(path)
    }
    pub fn remove_dir_all(path: &Path) -> Result<()> {
        failpoint()?;
        std::fs::remove_dir_all(path)
    }
    pub fn create_dir_all(path: &Path) -> Result<()> {
        failpoint()?;
        std::fs::create_dir_all(path)
    }

    /// Swaps two paths in one step (both must exist).
    #[cfg(target_os = "linux")]
    pub fn exchange(a: &Path, b: &Path) -> Result<()> {
        failpoint()?;
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(Into::into)
    }

    /// Whether `exchange` exists here; without it a swap takes two renames.
    pub fn can_exchange() -> bool {
        cfg!(target_os = "linux")
    }

    #[cfg(not(target_os = "linux"))]
    pub fn exchange(_: &Path, _: &Path) -> Result<()> {
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }

    /// Whether writes are flushed to disk: always, except in a test build run with the
    /// `no-flush` failpoint (`FAILPOINTS=no-flush=return`). The crash-safety loops publish
    /// hundreds of throwaway sites, each flush waiting for every dirty page of the file
    /// system (other builds' too); a killed process loses nothing it wrote unflushed (only a
    /// power loss does, which no test can make), so what they check is the same.
    pub fn flushing() -> bool {
        fail::fail_point!("no-flush", |_| false);
        true
    }

    /// Flushes everything written to the file system holding `dir` to disk.
    pub fn sync(dir: &Path) -> Result<()> {
        failpoint()?;
        if !flushing() {
            return Ok(());
        }
        #[cfg(target_os = "linux")]
        {
            let f = std::fs::File::open(dir)?;
            rustix::fs::syncfs(&f).map_err(Into::into)
        }
        #[cfg(not(target_os = "linux"))]
        {
            for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
                if e.file_type().is_file() {
                    std::fs::File::open(e.path())?.sync_all()?;
                }
            }
            Ok(())
        }
    }
}

/// One published file as the build cache remembers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedFile {
    /// What produced it (a hash of the job's inputs; 0 when the job is always run).
    pub key: u64,
    /// A hash of its bytes.
    pub digest: u64,
    /// Its size and modification time once written: a file edited by hand is noticed.
    pub stamp: Stamp,
    /// Its change time and inode once published (`crate::files::change_of`): a file edited by hand
    /// with its size and modification time kept is noticed too.
    pub change: u64,
}

/// What the writer compares of a file on disk: its stamp and `crate::files::change_of`.
pub type OnDisk = (Stamp, u64);

impl PublishedFile {
    fn on_disk(&self) -> OnDisk {
        (self.stamp, self.change)
    }

    /// Whether `path` is still this file as it was published (size, times, inode), as `keep`
    /// compares it.
    pub fn still_at(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path)
            .is_ok_and(|meta| (Stamp::of(&meta), crate::files::change_of(&meta)) == self.on_disk())
    }
}

/// Every file of a published site, by path relative to the output (with `/`).
pub type Manifest = BTreeMap<String, PublishedFile>;

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
        Writer::updating(output, previous, files_under(output)?)
    }

    /// `update`, with the published files' stamps from a `Survey` started earlier.
    pub fn update_surveyed(
        output: &Path,
        previous: Manifest,
        survey: Survey,
    ) -> Result<Writer, WriteError> {
        Writer::updating(output, previous, survey.finish(output)?)
    }

    fn updating(
        output: &Path,
        previous: Manifest,
        on_disk: BTreeMap<String, OnDisk>,
    ) -> Result<Writer, WriteError> {
        let beside = Beside::of(output)?;
        let dir = beside.per_run("update");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Writer::new(Target::Update(Update {
            output: output.to_owned(),
            journal: beside.path("journal"),
            parent: beside.parent.clone(),
            dir,
            previous,
            on_disk,
            removed: 0,
            pending: Mutex::new(Vec::new()),
            next: AtomicUsize::new(0),
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
            Some(p) if p.key == key && u.on_disk.get(rel) == Some(&p.on_disk()) => {
                self.record(rel, *p);
                true
            }
            _ => false,
        }
    }

    /// Whether the file `rel` and every file the last build published under the folder
    /// `prefix` (ending in `/`) were produced with this `key` and are still on disk as
    /// written: then all of them are kept, as `keep` keeps one. A job that writes a folder of
    /// files it cannot name before making them (a search index's chunks) keeps them so.
    /// Nothing is recorded unless all can be kept.
    pub fn keep_with_folder(&self, rel: &str, prefix: &str, key: u64) -> bool {
        let Target::Update(u) = &self.target else {
            return false;
        };
        let mut files: Vec<(&String, &PublishedFile)> = u
            .previous
            .range(prefix.to_owned()..)
            .take_while(|(rel, _)| rel.starts_with(prefix))
            .collect();
        let Some(first) = u.previous.get_key_value(rel) else {
            return false;
        };
        files.push(first);
        let intact = |(rel, p): &(&String, &PublishedFile)| {
            p.key == key && u.on_disk.get(*rel) == Some(&p.on_disk())
        };
        if files.len() < 2 || !files.iter().all(intact) {
            return false;
        }
        for (rel, p) in files {
            self.record(rel, *p);
        }
        true
    }

    /// Writes one file (`rel` uses `/`); `key` names what produced it. Safe to call from
    /// many threads. Unchanged bytes on disk are left alone.
    pub fn write(&self, rel: &str, key: u64, bytes: &[u8]) -> Result<(), WriteError> {
        let digest = digest(bytes);
        let same = |p: &PublishedFile| Ok(p.digest == digest && p.stamp.size == bytes.len() as u64);
        let Some(path) = self.destination(rel, key, same)? else {
            return Ok(());
        };
        let on_disk = write_file(&path, bytes, false)?;
        self.written(rel, key, digest, on_disk);
        Ok(())
    }

    /// Writes one file as it is made: `produce` writes its bytes, in as many pieces as it
    /// likes, so a large download (a district's `district.json`, 51 MB at 20,000
    /// departments) is never whole in memory. Otherwise as `write`: safe from many threads,
    /// and unchanged bytes on disk are left alone — to know that, when the last build
    /// published the file, `produce` is run once into a digest before it is run into the file.
    pub fn write_with(
        &self,
        rel: &str,
        key: u64,
        produce: impl Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        let same = |p: &PublishedFile| {
            let mut sink = crate::hash::Digesting::new(std::io::sink());
            produce(&mut sink).map_err(io(Path::new(rel)))?;
            Ok(sink.digest.finish() == (p.digest, p.stamp.size))
        };
        let Some(path) = self.destination(rel, key, same)? else {
            return Ok(());
        };
        self.create_with(rel, key, &path, produce)
    }

    /// Makes `path` (where `destination` put `rel`) with `produce`, and records it.
    fn create_with(
        &self,
        rel: &str,
        key: u64,
        path: &Path,
        produce: impl Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        failpoint().map_err(io(path))?;
        let file = std::fs::File::create(path).map_err(io(path))?;
        let mut out = crate::hash::Digesting::new(std::io::BufWriter::with_capacity(1 << 16, file));
        produce(&mut out).map_err(io(path))?;
        let (digest, _) = out.digest.finish();
        let file = out
            .inner
            .into_inner()
            .map_err(|e| io(path)(e.into_error()))?;
        let meta = file.metadata().map_err(io(path))?;
        self.written(
            rel,
            key,
            digest,
            (Stamp::of(&meta), crate::files::change_of(&meta)),
        );
        Ok(())
    }

    /// Writes one file as it is made, as `write_with`, without first running `produce` into
    /// a digest to find the published file unchanged: for a file whose `key` says what it
    /// holds, once `keep` has said it changed (or is no longer on disk as written). The
    /// feed's state (`data/changes.json`, 13 MB at 20,000 departments) changes at every
    /// build that changes a form, and was made twice then.
    pub fn replace_with(
        &self,
        rel: &str,
        key: u64,
        produce: impl Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        let Some(path) = self.destination(rel, key, |_| Ok(false))? else {
            return Ok(());
        };
        self.create_with(rel, key, &path, produce)
    }

    /// Where `rel` is to be written: in a whole build, its place in the staging folder; in an
    /// update, a new pending file — or nowhere, when the published file is still on disk as
    /// written and `same` says it holds these bytes (it is then recorded as it stands). An
    /// error of `same` is returned before anything is named.
    fn destination(
        &self,
        rel: &str,
        key: u64,
        same: impl FnOnce(&PublishedFile) -> Result<bool, WriteError>,
    ) -> Result<Option<PathBuf>, WriteError> {
        match &self.target {
            Target::Whole(s) => {
                let path = s.staging.join(rel);
                if let Some(dir) = path.parent() {
                    self.folder(dir)?;
                }
                Ok(Some(path))
            }
            Target::Update(u) => {
                if let Some(p) = u.previous.get(rel) {
                    if u.on_disk.get(rel) == Some(&p.on_disk()) && same(p)? {
                        self.record(rel, PublishedFile { key, ..*p });
                        return Ok(None);
                    }
                }
                let n = u.next.fetch_add(1, Ordering::Relaxed);
                let name = format!("{n:08}");
                if let Ok(mut p) = u.pending.lock() {
                    p.push((name.clone(), rel.to_owned()));
                }
                Ok(Some(u.dir.join(name)))
            }
        }
    }

    /// Records a file this build wrote.
    fn written(&self, rel: &str, key: u64, digest: u64, (stamp, change): OnDisk) {
        self.changed.fetch_add(1, Ordering::Relaxed);
        self.record(
            rel,
            PublishedFile {
                key,
                digest,
                stamp,
                change,
            },
        );
    }

    fn record(&self, rel: &str, published: PublishedFile) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes
            .fetch_add(published.stamp.size, Ordering::Relaxed);
        if let Ok(mut m) = self.manifest.lock() {
            m.insert(rel.to_owned(), published);
        }
    }

    fn folder(&self, dir: &Path) -> Result<(), WriteError> {
        // Made under the lock: two threads writing the first files of one folder make it
        // once, so a build takes the same file-system steps every run (the crash-safety
        // tests kill it at each step by its number).
        let Ok(mut known) = self.folders.lock() else {
            return fs::create_dir_all(dir).map_err(io(dir));
        };
        if known.contains(dir) {
            return Ok(());
        }
        fs::create_dir_all(dir).map_err(io(dir))?;
        known.insert(dir.to_path_buf());
        Ok(())
    }

    /// Publishes what was written and returns the site's manifest.
    pub fn commit(self) -> Result<(WriteStats, Manifest), WriteError> {
        let mut manifest = self.manifest.into_inner().unwrap_or_default();
        let mut changed = self.changed.into_inner();
        match self.target {
            Target::Whole(s) => s.commit()?,
            Target::Update(mut u) => {
                let renamed = u.commit(&manifest)?;
                changed += u.removed;
                // A rename changes a file's change time: the manifest takes the new one.
                for rel in renamed {
                    if let (Some(p), Ok(meta)) = (
                        manifest.get_mut(&rel),
                        std::fs::metadata(u.output.join(&rel)),
                    ) {
                        p.change = crate::files::change_of(&meta);
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

/// Writes a file (flushed to disk if `durable`) and returns what the writer compares of it.
pub(super) fn write_file(path: &Path, bytes: &[u8], durable: bool) -> Result<OnDisk, WriteError> {
    failpoint().map_err(io(path))?;
    let mut f = std::fs::File::create(path).map_err(io(path))?;
    f.write_all(bytes).map_err(io(path))?;
    if durable && fs::flushing() {
        f.sync_all().map_err(io(path))?;
    }
    let meta = f.metadata().map_err(io(path))?;
    Ok((Stamp::of(&meta), crate::files::change_of(&meta)))
}

/// The stamps of the published files (`files_under`), taken on a thread of its own from
/// when a build knows it will update the site: ~10,000 `stat`s at 2,000 departments, the
/// longest of the steps a rebuild after one changed form took between reading and
/// publishing, now made while it reads and analyses its input (often on one thread).
pub struct Survey(Option<std::thread::JoinHandle<Result<BTreeMap<String, OnDisk>, WriteError>>>);

impl Survey {
    pub fn start(output: &Path) -> Survey {
        let output = output.to_owned();
        let thread = std::thread::Builder::new()
            .name("survey".to_owned())
            .spawn(move || {
                below_the_build();
                files_under_here(&output)
            });
        // No thread to be had: the stamps are taken when the writer is made.
        Survey(thread.ok())
    }

    /// The stamps, once taken (taken here should there be no thread, or should it have
    /// failed).
    fn finish(self, output: &Path) -> Result<BTreeMap<String, OnDisk>, WriteError> {
        match self.0.map(std::thread::JoinHandle::join) {
            Some(Ok(stamps)) => stamps,
            _ => files_under(output),
        }
    }
}

/// The survey's thread yields to the build's: on two cores a rebuild's reading and analysis
/// keep both busy, and the survey (~19 ms of CPU at 2,000 departments, 190 ms at 20,000)
/// took its share from them while what it makes is wanted only at publishing. Nice 10 (on
/// Linux a thread's own): a one-form rebuild at 2,000 departments 68 → 64 ms, at 20,000
/// 662 → 651 ms (BENCHMARKS.md, "session 40"). If the survey is still running when the
/// writer wants it, the writer's thread waits for it, and it runs beside whatever the build
/// has left (the district figures, computed beside the writer's making in `build::jobs`).
fn below_the_build() {
    #[cfg(target_os = "linux")]
    {
        // A nice value cannot fail to be lowered (raised in number) by its own thread; were
        // it refused, the survey would only run at the build's priority, as before.
        let _ = rustix::process::setpriority_process(None, 10);
    }
}

/// Every file under `root` (hidden ones too: a clean build has none), with its stamp. Links
/// are not followed: a link is a file here, stamped as itself.
pub fn files_under(root: &Path) -> Result<BTreeMap<String, OnDisk>, WriteError> {
    use rayon::prelude::*;
    // Each file's `stat` in parallel: most of the time with 10,000 files.
    listing(root)?
        .into_par_iter()
        .map(|(rel, entry)| Ok((rel, stamp(&entry)?)))
        .collect::<Vec<_>>()
        // The first failure in name order, whichever thread met it.
        .into_iter()
        .collect()
}

/// `files_under` on this thread alone (a `Survey`'s, beside the build's busy threads): each
/// file stamped as its folder is read, with no list of them all held meanwhile (100,000
/// entries at 20,000 departments); of several failures, the first in name order.
fn files_under_here(root: &Path) -> Result<BTreeMap<String, OnDisk>, WriteError> {
    let mut stamped = BTreeMap::new();
    let mut failed: Option<(String, WriteError)> = None;
    each_file(root, |rel, entry| match stamp(&entry) {
        Ok(on_disk) => {
            stamped.insert(rel, on_disk);
        }
        Err(e) => {
            let at = match &e {
                WriteError::Io { path, .. } => path.to_string_lossy().into_owned(),
                _ => String::new(),
            };
            if failed.as_ref().is_none_or(|(first, _)| at < *first) {
                failed = Some((at, e));
            }
        }
    })?;
    match failed {
        Some((_, e)) => Err(e),
        None => Ok(stamped),
    }
}

/// Every file under `root` by its path from there (with `/`), in name order, so that of two
/// failures the same one is reported every run.
fn listing(root: &Path) -> Result<Vec<(String, std::fs::DirEntry)>, WriteError> {
    let mut files: Vec<(String, std::fs::DirEntry)> = Vec::new();
    each_file(root, |rel, entry| files.push((rel, entry)))?;
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Calls `visit` with every file under `root` (anything but a folder; links not followed)
/// and its path from there (with `/`). The folders are read one by one, each entry's type
/// coming with it.
fn each_file(
    root: &Path,
    mut visit: impl FnMut(String, std::fs::DirEntry),
) -> Result<(), WriteError> {
    let mut folders = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = folders.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type().map_err(io(&entry.path()))?.is_dir() {
                folders.push((entry.path(), rel));
            } else {
                visit(rel, entry);
            }
        }
    }
    Ok(())
}

/// A listed file's stamp, by its `stat` relative to its folder's open handle
/// (`DirEntry::metadata`), not by its whole path.
fn stamp(entry: &std::fs::DirEntry) -> Result<OnDisk, WriteError> {
    entry
        .metadata()
        .map(|meta| (Stamp::of(&meta), crate::files::change_of(&meta)))
        .map_err(|e| WriteError::Io {
            path: entry.path(),
            source: e,
        })
}

/// An update in progress: new files in a folder beside the output, moved in by `commit`.
#[derive(Debug)]
struct Update {
    output: PathBuf,
    /// Where the journal goes.
    journal: PathBuf,
    /// The output's parent, which holds `dir` and the journal.
    parent: PathBuf,
    /// The folder of new files (flat, numbered).
    dir: PathBuf,
    previous: Manifest,
    on_disk: BTreeMap<String, OnDisk>,
    /// Files the commit removed.
    removed: usize,
    /// (file in `dir`, target relative to the output).
    pending: Mutex<Vec<(String, String)>>,
    next: AtomicUsize,
    committed: bool,
}

impl Update {
    /// Journals and applies the update; returns the files it moved into place (and counts
    /// those it removed). Once the journal is written the update is finished even if applying
    /// it fails now: applying is tried again here, and otherwise by the next run's `recover`.
    fn commit(&mut self, manifest: &Manifest) -> Result<Vec<String>, WriteError> {
        let mut renames = std::mem::take(self.pending.get_mut().unwrap_or(&mut Vec::new()));
        renames.sort_by(|a, b| a.1.cmp(&b.1));
        // Both in order: walked side by side, not a search of the manifest per file.
        let mut published = manifest.keys().peekable();
        let removes: Vec<String> = self
            .on_disk
            .keys()
            .filter(|r| {
                while published.next_if(|p| p < r).is_some() {}
                published.peek() != Some(r)
            })
            .cloned()
            .collect();
        self.removed = removes.len();
        if renames.is_empty() && removes.is_empty() {
            return Ok(Vec::new());
        }
        let moved: Vec<String> = renames.iter().map(|(_, rel)| rel.clone()).collect();
        let journal = Journal {
            from: self
                .dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            renames,
            removes,
        };
        sync_dir(&self.dir)?;
        journal.write(&self.journal)?;
        self.committed = true;
        if let Err(first) = journal.apply(&self.output, &self.parent) {
            // Once more (a transient failure); else the next run finishes it.
            journal
                .apply(&self.output, &self.parent)
                .map_err(|_| first)?;
        }
        fs::remove_file(&self.journal).map_err(io(&self.journal))?;
        Ok(moved)
    }
}

impl Drop for Update {
    fn drop(&mut self) {
        // With a journal written, the update belongs to `recover`: it finishes it.
        if !self.committed && !self.journal.exists() {
            let _ = std::fs::remove_dir_all(&self.dir);
            let _ = std::fs::remove_file(self.journal.with_extension("journal.tmp"));
        }
    }
}

/// A build in progress: files are written under `staging`, then swapped in by `commit`.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    beside: Beside,
    staging: PathBuf,
    committed: bool,
}

impl Staging {
    /// Starts a build into a fresh staging folder next to `output` (same file system, so the
    /// swap is a rename).
    pub fn begin(output: &Path) -> Result<Staging, WriteError> {
        let beside = Beside::of(output)?;
        std::fs::create_dir_all(&beside.parent).map_err(io(&beside.parent))?;
        let staging = beside.per_run("building");
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        fs::create_dir_all(&staging).map_err(io(&staging))?;
        Ok(Staging {
            output: output.to_owned(),
            beside,
            staging,
            committed: false,
        })
    }

    pub fn root(&self) -> &Path {
        &self.staging
    }

    /// Replaces the published folder with the staged one in one step, then removes the old
    /// one (a failure to remove it only leaves it for the next run's `recover`).
    pub fn commit(mut self) -> Result<(), WriteError> {
        sync_dir(&self.staging)?;
        let had_old = self.output.exists();
        if !had_old {
            fs::rename(&self.staging, &self.output).map_err(io(&self.output))?;
            self.committed = true;
            return sync_dir(&self.beside.parent);
        }
        if fs::can_exchange() {
            fs::exchange(&self.staging, &self.output).map_err(io(&self.output))?;
            self.committed = true;
            sync_dir(&self.beside.parent)?;
            // The staging name now holds the old site.
            let _ = fs::remove_dir_all(&self.staging);
            return Ok(());
        }
        let old = self.beside.per_run("old");
        if old.exists() {
            fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        fs::rename(&self.output, &old).map_err(io(&self.output))?;
        if let Err(source) = fs::rename(&self.staging, &self.output) {
            // Put the old site back before reporting (else `recover` does).
            let _ = fs::rename(&old, &self.output);
            return Err(WriteError::Io {
                path: self.output.clone(),
                source,
            });
        }
        self.committed = true;
        sync_dir(&self.beside.parent)?;
        let _ = fs::remove_dir_all(&old);
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
mod tests;
