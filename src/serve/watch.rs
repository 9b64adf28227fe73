//! Watching and rebuilding. `notify` reports changes under `--input`, `--templates` and the
//! config file (inotify, FSEvents, ReadDirectoryChangesW; its `PollWatcher` where those are
//! unavailable, fail, or `BUDGETSITE_WATCH=poll` asks for it, e.g. on a network file system).
//! A burst of events (an editor's save of several files, a copied folder) becomes one rebuild
//! once the files have been quiet for `DEBOUNCE`, never later than `DEBOUNCE_MAX` after the
//! first. Hidden files and folders, the output folder and the build cache are not watched
//! changes, so a build never triggers itself. A root that does not exist yet (no
//! `site-templates/` at start) is watched through its nearest existing parent and watched
//! itself once it appears.
//!
//! The outcome of each build goes to `Shared`: the error to show, and a new generation
//! that makes open pages reload.

use super::{lock, ServeError, Shared};
use crate::build::{self, BuildOptions, BuildOutcome};
use notify::event::ModifyKind;
use notify::{Event, EventKind, RecursiveMode};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A change is built once the files have been quiet this long, but never later than
/// `DEBOUNCE_MAX` after it was first seen.
const DEBOUNCE: Duration = Duration::from_millis(150);
const DEBOUNCE_MAX: Duration = Duration::from_secs(2);
/// How often the polling fallback compares the files. It compares their contents too:
/// `notify` alone only sees a time moving forward, and a copy that keeps times (`cp -p`,
/// `rsync -t`, an unpacked archive) may move it back.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// How often the watcher thread looks at the stop flag while nothing happens.
const STOP_CHECK: Duration = Duration::from_millis(100);
/// The environment variable that forces polling (`poll`), e.g. on a network file system
/// where native events never arrive.
pub const WATCH_ENV: &str = "BUDGETSITE_WATCH";

type Events = Sender<notify::Result<Event>>;

/// The watcher thread; `stop` ends it (after the rebuild it may be running).
pub(crate) struct Watcher {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Watcher {
    /// Arms the file watch, builds once, then rebuilds on changes on a thread of its own.
    pub(crate) fn start(options: BuildOptions, shared: Arc<Shared>) -> Result<Watcher, ServeError> {
        let (tx, rx) = std::sync::mpsc::channel();
        let roots = Roots::new(&options);
        let mut files = FileWatch::new(tx, std::env::var(WATCH_ENV).is_ok_and(|v| v == "poll"))?;
        files.arm(&roots);
        rebuild_and_record(&options, &shared, false);
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("budgetsite-watch".into())
                .spawn(move || watch_loop(&rx, &mut files, &roots, &options, &shared, &stop))
                .map_err(ServeError::Thread)?
        };
        Ok(Watcher { stop, thread })
    }

    pub(crate) fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}

/// Waits for a relevant change, lets the burst settle, rebuilds; until `stop`.
fn watch_loop(
    rx: &Receiver<notify::Result<Event>>,
    files: &mut FileWatch,
    roots: &Roots,
    options: &BuildOptions,
    shared: &Shared,
    stop: &AtomicBool,
) {
    while !stop.load(Ordering::Relaxed) {
        match rx.recv_timeout(STOP_CHECK) {
            Ok(event) if roots.relevant(&event) => {}
            Ok(_) | Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        }
        settle(rx, files, roots);
        if stop.load(Ordering::Relaxed) {
            return;
        }
        rebuild_and_record(options, shared, true);
        files.arm(roots);
    }
}

/// Waits until no relevant event came for `DEBOUNCE` (at most `DEBOUNCE_MAX`), re-arming the
/// watch as folders appear so that nothing created meanwhile is missed by the next build.
fn settle(rx: &Receiver<notify::Result<Event>>, files: &mut FileWatch, roots: &Roots) {
    let first = Instant::now();
    let mut quiet_until = first + DEBOUNCE;
    files.arm(roots);
    loop {
        let until = quiet_until.min(first + DEBOUNCE_MAX);
        let Some(wait) = until.checked_duration_since(Instant::now()) else {
            return;
        };
        match rx.recv_timeout(wait) {
            Ok(event) if roots.relevant(&event) => {
                quiet_until = Instant::now() + DEBOUNCE;
                files.arm(roots);
            }
            Ok(_) => {}
            Err(_) => return,
        }
    }
}

/// What is watched, as absolute paths.
#[derive(Debug)]
struct Roots {
    /// `--input` and `--templates`: everything under them counts.
    folders: [PathBuf; 2],
    config: PathBuf,
    /// Written by the build: never a change, even inside a watched folder.
    ignored: Vec<PathBuf>,
}

impl Roots {
    fn new(options: &BuildOptions) -> Roots {
        let mut ignored = vec![absolute(&options.output)];
        ignored.extend(options.cache.as_deref().map(absolute));
        Roots {
            folders: [absolute(&options.input), absolute(&options.templates)],
            config: absolute(&options.config),
            ignored,
        }
    }

    /// Whether an event may change the build. Reads (access events) never do, nor a folder's
    /// own times changing (polling sees that whenever an entry is added or removed, the
    /// build's own output swap included; the entries' events tell what changed); an error or
    /// a rescan request from the watcher always may.
    fn relevant(&self, event: &notify::Result<Event>) -> bool {
        let Ok(event) = event else { return true };
        let folder_times = matches!(
            event.kind,
            EventKind::Modify(ModifyKind::Metadata(_) | ModifyKind::Data(_) | ModifyKind::Any)
        );
        match event.kind {
            EventKind::Access(_) => false,
            _ if event.need_rescan() => true,
            _ => event
                .paths
                .iter()
                .any(|p| self.relevant_path(p) && !(folder_times && p.is_dir())),
        }
    }

    fn relevant_path(&self, path: &Path) -> bool {
        let path = absolute(path);
        if self.ignored.iter().any(|i| path.starts_with(i)) {
            return false;
        }
        if path == self.config {
            return true;
        }
        self.folders
            .iter()
            .any(|root| match path.strip_prefix(root) {
                Ok(rel) => !rel
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.')),
                // A folder on the way to a root that does not exist yet.
                Err(_) => root.starts_with(&path),
            })
    }

    /// Where to watch each root from: a folder itself (recursively); a file, or a root that
    /// does not exist yet, from its nearest existing folder (that folder only).
    fn targets(&self) -> BTreeMap<PathBuf, RecursiveMode> {
        let mut out = BTreeMap::new();
        let wanted = self.folders.iter().chain([&self.config]);
        for root in wanted {
            if root.is_dir() {
                out.insert(root.clone(), RecursiveMode::Recursive);
                continue;
            }
            let mut at = root.parent();
            while let Some(dir) = at {
                if dir.is_dir() {
                    out.entry(dir.to_owned())
                        .or_insert(RecursiveMode::NonRecursive);
                    break;
                }
                at = dir.parent();
            }
        }
        out
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p)
        .map(|a| a.components().collect())
        .unwrap_or_else(|_| p.to_owned())
}

/// The `notify` watcher and what it watches now.
struct FileWatch {
    watcher: Box<dyn notify::Watcher + Send>,
    polling: bool,
    events: Events,
    /// Watched folders with how, and which folder (device, inode) they were: a folder removed
    /// and made again is watched again.
    armed: BTreeMap<PathBuf, (RecursiveMode, Option<(u64, u64)>)>,
}

impl FileWatch {
    fn new(events: Events, force_poll: bool) -> Result<FileWatch, ServeError> {
        if force_poll {
            eprintln!("按 {WATCH_ENV}=poll 的设置定时比较文件，不使用系统的文件变化通知");
        } else {
            match notify::recommended_watcher(events.clone()) {
                Ok(native) => {
                    return Ok(FileWatch {
                        watcher: Box::new(native),
                        polling: false,
                        events,
                        armed: BTreeMap::new(),
                    })
                }
                Err(e) => eprintln!("无法使用系统的文件变化通知（{e}），改为定时比较文件"),
            }
        }
        Ok(FileWatch {
            watcher: poll_watcher(events.clone())?,
            polling: true,
            events,
            armed: BTreeMap::new(),
        })
    }

    /// Watches what `roots` need now: new targets added, stale ones dropped. A native watch
    /// that fails (too many folders for inotify's limit, …) switches to polling.
    fn arm(&mut self, roots: &Roots) {
        let targets = roots.targets();
        let stale: Vec<PathBuf> = self
            .armed
            .iter()
            .filter(|(path, (mode, id))| targets.get(*path) != Some(mode) || identity(path) != *id)
            .map(|(path, _)| path.clone())
            .collect();
        for path in stale {
            let _ = self.watcher.unwatch(&path);
            self.armed.remove(&path);
        }
        for (path, mode) in targets {
            if self.armed.contains_key(&path) {
                continue;
            }
            match self.watcher.watch(&path, mode) {
                Ok(()) => {
                    self.armed.insert(path.clone(), (mode, identity(&path)));
                }
                // Gone between the check and the watch: the next event re-arms it.
                Err(e) if matches!(e.kind, notify::ErrorKind::PathNotFound) => {}
                Err(e) if !self.polling => {
                    eprintln!("无法监视 {}（{e}），改为定时比较文件", path.display());
                    return self.fall_back_to_polling(roots);
                }
                Err(e) => eprintln!("无法监视 {}：{e}", path.display()),
            }
        }
    }

    fn fall_back_to_polling(&mut self, roots: &Roots) {
        match poll_watcher(self.events.clone()) {
            Ok(watcher) => {
                self.watcher = watcher;
                self.polling = true;
                self.armed.clear();
                self.arm(roots);
            }
            Err(e) => eprintln!("{e}"),
        }
    }
}

fn poll_watcher(events: Events) -> Result<Box<dyn notify::Watcher + Send>, ServeError> {
    let config = notify::Config::default()
        .with_poll_interval(POLL_EVERY)
        .with_compare_contents(true);
    let watcher = notify::PollWatcher::new(events, config).map_err(ServeError::Watch)?;
    Ok(Box::new(watcher))
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_path: &Path) -> Option<(u64, u64)> {
    None
}

// ---------------------------------------------------------------------------------------
// Building

/// The one place a (re)build is run: incremental when the options name a build cache.
fn rebuild(options: &BuildOptions) -> Result<BuildOutcome, String> {
    let options = BuildOptions {
        progress: false,
        ..options.clone()
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build::build(&options))) {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(e)) => Err(error_chain(&e)),
        Err(_) => Err("构建时发生内部错误（panic），详见上方输出".to_owned()),
    }
}

/// Builds, records the outcome for the pages, logs a line on stderr and starts a new
/// generation (open pages reload).
fn rebuild_and_record(options: &BuildOptions, shared: &Shared, again: bool) {
    let started = Instant::now();
    let result = rebuild(options);
    let elapsed = started.elapsed().as_secs_f64();
    let verb = if again { "重新构建" } else { "构建" };
    match &result {
        Ok(outcome) => {
            let counts = outcome.batch.counts();
            eprintln!(
                "已{verb}：{} 个地区、{} 个部门、{} 份申报表；{} 份文件因错误未发布；{} 个错误，{} 个警告；用时 {elapsed:.2} 秒",
                outcome.districts,
                outcome.departments,
                outcome.published_forms,
                outcome.unpublished_files,
                counts.errors,
                counts.warnings
            );
        }
        Err(message) => {
            eprintln!("{verb}失败（继续提供上一次成功构建的网站）：{message}");
        }
    }
    *lock(&shared.error) = result.err();
    shared.generation.send_modify(|g| *g += 1);
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        // `#[error(transparent)]` variants repeat their source's message.
        if !s.ends_with(&text) {
            s.push('：');
            s.push_str(&text);
        }
        source = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, MetadataKind, RenameMode};

    fn event(kind: EventKind, path: &Path) -> notify::Result<Event> {
        Ok(Event::new(kind).add_path(path.to_owned()))
    }

    fn roots(dir: &Path) -> Roots {
        Roots::new(&BuildOptions {
            input: dir.join("in"),
            output: dir.join("in/public"),
            templates: dir.join("templates/missing"),
            config: dir.join("site.toml"),
            cache: Some(dir.join("in/cache")),
            ..BuildOptions::default()
        })
    }

    #[test]
    fn changes_count_but_reads_hidden_files_the_output_and_the_cache_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let roots = roots(dir.path());
        let modify = EventKind::Modify(ModifyKind::Any);
        let yes = |p: &str| roots.relevant(&event(modify, &dir.path().join(p)));
        assert!(yes("in/a.txt"));
        assert!(yes("in/x/y/a.xlsx"));
        assert!(yes("site.toml"));
        assert!(yes("templates/missing/base.html"));
        // On the way to a root that does not exist yet: it may have just appeared.
        assert!(yes("templates"));
        assert!(!yes("in/.hidden"));
        assert!(!yes("in/.git/x"));
        assert!(!yes("in/public/index.html"));
        assert!(!yes("in/cache/state"));
        assert!(!yes("other.toml"));
        assert!(!yes("elsewhere/a.txt"));
        let read = EventKind::Access(AccessKind::Any);
        assert!(!roots.relevant(&event(read, &dir.path().join("in/a.txt"))));
        let create = EventKind::Create(CreateKind::File);
        assert!(roots.relevant(&event(create, &dir.path().join("in/new.txt"))));
        assert!(roots.relevant(&Err(notify::Error::generic("overflow"))));
    }

    #[test]
    fn a_folder_whose_times_change_is_no_change_but_one_moved_in_is() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("in/x")).unwrap();
        std::fs::write(dir.path().join("in/x/a.txt"), "1").unwrap();
        let roots = roots(dir.path());
        let times = EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime));
        // What polling reports for the folders around the output swap and for an edit.
        assert!(!roots.relevant(&event(times, &dir.path().join("in"))));
        assert!(!roots.relevant(&event(times, &dir.path().join("in/x"))));
        assert!(!roots.relevant(&event(times, dir.path())));
        assert!(roots.relevant(&event(times, &dir.path().join("in/x/a.txt"))));
        let moved_in = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        assert!(roots.relevant(&event(moved_in, &dir.path().join("in/x"))));
    }

    #[test]
    fn missing_roots_are_watched_from_their_nearest_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("in")).unwrap();
        let roots = roots(dir.path());
        let targets = roots.targets();
        let root = absolute(dir.path());
        assert_eq!(
            targets.get(&root.join("in")),
            Some(&RecursiveMode::Recursive)
        );
        // templates/missing (and templates) do not exist; site.toml neither: the folder.
        assert_eq!(targets.get(&root), Some(&RecursiveMode::NonRecursive));
        assert_eq!(targets.len(), 2);
        std::fs::create_dir_all(dir.path().join("templates/missing")).unwrap();
        assert_eq!(
            roots.targets().get(&root.join("templates/missing")),
            Some(&RecursiveMode::Recursive)
        );
    }

    #[test]
    fn a_burst_of_events_settles_into_one_wait() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("in")).unwrap();
        let roots = roots(dir.path());
        let (tx, rx) = std::sync::mpsc::channel();
        let mut files = FileWatch::new(tx.clone(), true).unwrap();
        let path = dir.path().join("in/a.txt");
        for _ in 0..5 {
            tx.send(event(EventKind::Modify(ModifyKind::Any), &path))
                .unwrap();
        }
        let started = Instant::now();
        settle(&rx, &mut files, &roots);
        // Every queued event was taken by the one settle: none is left to start another.
        assert!(rx.try_recv().is_err());
        assert!(started.elapsed() >= DEBOUNCE);
        // A stream that never stops still builds after DEBOUNCE_MAX.
        let feeder = std::thread::spawn(move || {
            let until = Instant::now() + DEBOUNCE_MAX + Duration::from_secs(1);
            while Instant::now() < until {
                let e = event(EventKind::Modify(ModifyKind::Any), &path);
                if tx.send(e).is_err() {
                    break;
                }
                std::thread::sleep(DEBOUNCE / 4);
            }
        });
        let started = Instant::now();
        settle(&rx, &mut files, &roots);
        assert!(started.elapsed() < DEBOUNCE_MAX + DEBOUNCE);
        drop(rx);
        feeder.join().unwrap();
    }

    #[test]
    fn error_chains_read_as_one_line() {
        let e = std::io::Error::other("磁盘已满");
        assert_eq!(error_chain(&e), "磁盘已满");
    }
}
