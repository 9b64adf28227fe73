//! What the tool knows about files on disk, below every stage: a file's stamp (size,
//! modification time) and change fingerprint (change time, inode), whether its metadata can
//! be trusted (`is_racy`), the stats of many files at once (`stats`, by their folders'
//! handles), and the one walker over an input tree (sorted, following links, hidden entries
//! and office owner files left out, given folders skipped).

use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// A file's size and modification time (nanoseconds since the epoch, 0 if unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub modified: u64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Stamp {
            size: meta.len(),
            modified,
        }
    }
}

/// A file changed this close (ns) before a build started is "racy": its metadata cannot
/// tell a later change within the same timestamp tick (2 s on FAT, 1 s on coarse file
/// systems) from none, so its bytes are compared instead.
pub const RACY_NS: u64 = 2_000_000_000;

/// What of a file's metadata besides size and modification time tells a change: its change
/// time (set by the kernel on every write and metadata change, never by `cp -p`) and its
/// inode and device (a file replaced by rename). 0 where the platform has none.
pub fn change_of(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        change_from(meta.ctime(), meta.ctime_nsec(), meta.ino(), meta.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

/// `change_of` from its parts.
#[cfg(unix)]
fn change_from(ctime: i64, ctime_nsec: i64, ino: u64, dev: u64) -> u64 {
    let mut h = crate::hash::Fnv::new();
    h.write_i64(ctime);
    h.write_i64(ctime_nsec);
    h.write_u64(ino);
    h.write_u64(dev);
    h.finish()
}

/// The latest of a file's modification and change times (ns since the epoch).
pub fn newest_time(meta: &std::fs::Metadata) -> u64 {
    let modified = Stamp::of(meta).modified;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        modified.max(ns_since_epoch(meta.ctime(), meta.ctime_nsec()))
    }
    #[cfg(not(unix))]
    {
        modified
    }
}

/// A time as (seconds, nanoseconds) since the epoch in ns; 0 before it.
#[cfg(unix)]
fn ns_since_epoch(seconds: i64, nanoseconds: i64) -> u64 {
    u64::try_from(seconds)
        .unwrap_or(0)
        .saturating_mul(1_000_000_000)
        .saturating_add(u64::try_from(nanoseconds).unwrap_or(0))
}

/// Whether a file's metadata cannot be trusted against a build that started at `started`.
pub fn is_racy(meta: &std::fs::Metadata, started: u64) -> bool {
    Stat::of(meta).is_racy(started)
}

/// What a build keeps of an input's `stat` between the fingerprint and the reading: 32 bytes
/// where `Metadata` is ~150 (10 MB at 60,000 forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub stamp: Stamp,
    /// `change_of`.
    pub change: u64,
    /// `newest_time`.
    pub newest: u64,
}

impl Stat {
    pub fn of(meta: &std::fs::Metadata) -> Stat {
        Stat {
            stamp: Stamp::of(meta),
            change: change_of(meta),
            newest: newest_time(meta),
        }
    }

    /// A file's, by its whole path (links followed), its error as its kind.
    pub fn by_path(path: &Path) -> Result<Stat, std::io::ErrorKind> {
        std::fs::metadata(path)
            .map(|m| Stat::of(&m))
            .map_err(|e| e.kind())
    }

    /// The same from a `statx` (as std makes a `Metadata` of one: the device from its
    /// major and minor numbers).
    #[cfg(target_os = "linux")]
    fn of_statx(x: &rustix::fs::Statx) -> Stat {
        let time = |t: &rustix::fs::StatxTimestamp| (t.tv_sec, i64::from(t.tv_nsec));
        let (modified, changed) = (time(&x.stx_mtime), time(&x.stx_ctime));
        // As `Stamp::of` makes it of a `SystemTime`: 0 before the epoch, else cut to 64 bits.
        let modified = match u128::try_from(modified.0) {
            Ok(seconds) => (seconds * 1_000_000_000 + modified.1 as u128) as u64,
            Err(_) => 0,
        };
        let dev = rustix::fs::makedev(x.stx_dev_major, x.stx_dev_minor);
        Stat {
            stamp: Stamp {
                size: x.stx_size,
                modified,
            },
            change: change_from(changed.0, changed.1, x.stx_ino, dev),
            newest: modified.max(ns_since_epoch(changed.0, changed.1)),
        }
    }

    /// `is_racy`.
    pub fn is_racy(&self, started: u64) -> bool {
        self.newest.saturating_add(RACY_NS) > started
    }
}

/// Each file's `Stat` as `std::fs::metadata` would give it (links followed), in the
/// paths' order, each error as its kind. Files of one folder are stat'ed by their name in
/// that folder's open handle, not by their whole path: a path's lookup, component by
/// component, was two fifths of taking 60,000 inputs' stats on the path of every rebuild.
pub fn stats(paths: &[&Path]) -> Vec<Result<Stat, std::io::ErrorKind>> {
    stats_by_folder(paths, 16)
}

/// `stats`, a folder opened for runs of at least `run` consecutive paths in it.
fn stats_by_folder(paths: &[&Path], run: usize) -> Vec<Result<Stat, std::io::ErrorKind>> {
    use rayon::prelude::*;
    #[cfg(target_os = "linux")]
    {
        // The folders of runs of at least `run` consecutive paths (the paths come sorted, a
        // folder's files together), each opened once, at most `FOLDERS` of them: a tree of a
        // folder per department would otherwise hold thousands of handles open at once.
        const FOLDERS: usize = 256;
        let min_run = run;
        fn parent<'p>(path: &&'p Path) -> Option<&'p Path> {
            path.parent().filter(|_| path.file_name().is_some())
        }
        let mut folders: Vec<std::os::fd::OwnedFd> = Vec::new();
        let mut folder_of: Vec<Option<usize>> = Vec::with_capacity(paths.len());
        for run in paths.chunk_by(|a, b| parent(a) == parent(b)) {
            let open = parent(&run[0])
                .filter(|_| run.len() >= min_run && folders.len() < FOLDERS)
                .and_then(|dir| {
                    let dir = if dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        dir
                    };
                    let flags = rustix::fs::OFlags::PATH
                        | rustix::fs::OFlags::DIRECTORY
                        | rustix::fs::OFlags::CLOEXEC;
                    rustix::fs::open(dir, flags, rustix::fs::Mode::empty()).ok()
                });
            let at = open.map(|fd| {
                folders.push(fd);
                folders.len() - 1
            });
            folder_of.extend(std::iter::repeat_n(at, run.len()));
        }
        paths
            .par_iter()
            .zip(folder_of)
            .map(|(path, folder)| {
                let fd = folder.map(|i| &folders[i]);
                match (fd, path.file_name()) {
                    (Some(fd), Some(name)) => rustix::fs::statx(
                        fd,
                        name,
                        rustix::fs::AtFlags::empty(),
                        rustix::fs::StatxFlags::BASIC_STATS,
                    )
                    .map(|x| Stat::of_statx(&x))
                    .map_err(|e| std::io::Error::from(e).kind()),
                    _ => Stat::by_path(path),
                }
            })
            .collect()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = run;
        paths.par_iter().map(|path| Stat::by_path(path)).collect()
    }
}

/// Now, in ns since the epoch (a build's start, for `is_racy`).
pub fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Hidden entries, and the owner files Excel and WPS leave beside a workbook while it is open
/// (`~$申报表.xlsx`, a few bytes that are not a workbook): a clerk's open file must neither
/// fail the build nor make it look changed.
pub fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.starts_with("~$")
}

/// Every entry under `root`, in the order the folders list them (callers sort: sorting each
/// folder by name here cost 80 M instructions at 6,000 forms, `Path::file_name` per
/// comparison, for an order nothing kept), following links, without hidden entries
/// (`is_hidden`) and without the folders in `skip` (canonical paths; only folders pay for
/// `canonicalize`). Errors (a symlink loop, a folder without permission) are yielded for the
/// caller to report.
pub fn walk<'a>(
    root: &Path,
    skip: &'a [PathBuf],
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> + 'a {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(move |e| {
            e.depth() == 0
                || !(is_hidden(e.file_name())
                    || (!skip.is_empty()
                        && e.file_type().is_dir()
                        && std::fs::canonicalize(e.path()).is_ok_and(|c| skip.contains(&c))))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `stats` says what `std::fs::metadata` says of every kind of path: files in one and in
    /// several folders, a relative path with no folder, links followed (and dangling), a
    /// folder, a missing file, a path ending in `..`.
    #[test]
    fn stats_are_what_metadata_says() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        for (f, bytes) in [("a/1.txt", "一"), ("a/2.txt", "二二"), ("a/b/3.txt", "")] {
            std::fs::write(root.join(f), bytes).unwrap();
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("a/2.txt"), root.join("a/link.txt")).unwrap();
            std::os::unix::fs::symlink(root.join("gone"), root.join("a/dangling.txt")).unwrap();
        }
        let owned: Vec<PathBuf> = [
            "a/1.txt",
            "a/2.txt",
            "a/b/3.txt",
            "a/link.txt",
            "a/dangling.txt",
            "a/missing.txt",
            "a/b",
            "a/b/..",
            "a/1.txt",
        ]
        .iter()
        .map(|f| root.join(f))
        .chain([PathBuf::from("Cargo.toml"), PathBuf::from("no-such-file")])
        .collect();
        let metadata = |paths: &[&Path]| -> Vec<Result<Stat, std::io::ErrorKind>> {
            paths
                .iter()
                .map(|p| {
                    std::fs::metadata(p)
                        .map(|m| Stat::of(&m))
                        .map_err(|e| e.kind())
                })
                .collect()
        };
        let paths: Vec<&Path> = owned.iter().map(PathBuf::as_path).collect();
        let expected = metadata(&paths);
        // Every path by its folder's handle, then as `stats` takes them (runs of 16: here
        // none, all by their paths).
        assert_eq!(stats_by_folder(&paths, 1), expected);
        assert_eq!(stats(&paths), expected);
        // A folder of many files (half of them missing), a run among others.
        let mut many: Vec<PathBuf> = (0..40)
            .map(|i| root.join(format!("a/b/{i:02}.txt")))
            .collect();
        for (i, f) in many.iter().enumerate().step_by(2) {
            std::fs::write(f, "x".repeat(i)).unwrap();
        }
        many.insert(0, root.join("a/1.txt"));
        many.push(PathBuf::from("Cargo.toml"));
        let paths: Vec<&Path> = many.iter().map(PathBuf::as_path).collect();
        assert_eq!(stats(&paths), metadata(&paths));
        assert_eq!(stats_by_folder(&paths, 1), metadata(&paths));
        assert!(expected[0].is_ok() && expected[5].is_err() && expected[9].is_ok());
        assert_eq!(expected[3].unwrap().stamp.size, 6, "the link's target");
    }

    #[test]
    fn the_walk_leaves_out_hidden_owner_files_and_skipped_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "b.txt",
            "a.txt",
            ".hidden",
            "~$a.xlsx",
            "out/x.txt",
            "sub/c.txt",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let skip = vec![std::fs::canonicalize(root.join("out")).unwrap()];
        let files: Vec<String> = walk(root, &skip)
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        let mut files = files;
        files.sort();
        assert_eq!(files, ["a.txt", "b.txt", "sub/c.txt"]);
    }

    #[test]
    fn racy_means_changed_within_the_tick_before_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, "x").unwrap();
        let meta = std::fs::metadata(&p).unwrap();
        let t = newest_time(&meta);
        assert!(is_racy(&meta, t + RACY_NS - 1));
        assert!(!is_racy(&meta, t + RACY_NS));
        assert!(is_racy(&meta, now_ns()), "changed a moment ago");
        assert!(cfg!(not(unix)) || change_of(&meta) != 0);
    }
}
