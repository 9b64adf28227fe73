//! What the tool knows about files on disk, below every stage: a file's stamp (size,
//! modification time) and change fingerprint (change time, inode), whether its metadata can
//! be trusted (`is_racy`), and the one walker over an input tree (sorted, following links,
//! hidden entries and office owner files left out, given folders skipped).

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
        let mut h = crate::hash::Fnv::new();
        h.write_i64(meta.ctime());
        h.write_i64(meta.ctime_nsec());
        h.write_u64(meta.ino());
        h.write_u64(meta.dev());
        h.finish()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

/// The latest of a file's modification and change times (ns since the epoch).
pub fn newest_time(meta: &std::fs::Metadata) -> u64 {
    let modified = Stamp::of(meta).modified;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let changed = u64::try_from(meta.ctime())
            .unwrap_or(0)
            .saturating_mul(1_000_000_000)
            .saturating_add(u64::try_from(meta.ctime_nsec()).unwrap_or(0));
        modified.max(changed)
    }
    #[cfg(not(unix))]
    {
        modified
    }
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

    /// `is_racy`.
    pub fn is_racy(&self, started: u64) -> bool {
        self.newest.saturating_add(RACY_NS) > started
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
