//! The site writer: every file of a build goes into a staging folder beside the output, and
//! only a build that finished replaces the published folder. A failed or refused build leaves
//! the old site exactly as it was.

use std::collections::BTreeSet;
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

/// A build in progress: files are written under `staging`, then swapped in by `commit`.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// Folders already created: one `mkdir` per folder, not one per file.
    folders: Mutex<BTreeSet<PathBuf>>,
    committed: bool,
}

/// What a committed build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
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
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            folders: Mutex::new(BTreeSet::new()),
            committed: false,
        })
    }

    pub fn root(&self) -> &Path {
        &self.staging
    }

    /// Writes one file (`rel` uses `/`), creating its folder. Safe to call from many threads.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.staging.join(rel);
        if let Some(dir) = path.parent() {
            let known = self
                .folders
                .lock()
                .map(|f| f.contains(dir))
                .unwrap_or(false);
            if !known {
                std::fs::create_dir_all(dir).map_err(io(dir))?;
                if let Ok(mut f) = self.folders.lock() {
                    f.insert(dir.to_path_buf());
                }
            }
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Replaces the published folder with the staged one: the old one is renamed aside, the new
    /// one renamed into place, then the old one removed.
    pub fn commit(mut self) -> Result<WriteStats, WriteError> {
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
        Ok(WriteStats {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        })
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

    #[test]
    fn a_dropped_build_leaves_the_old_site_and_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        {
            let s = Staging::begin(&out).unwrap();
            s.write("index.html", b"new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_committed_build_replaces_the_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        let s = Staging::begin(&out).unwrap();
        s.write("a/b/index.html", b"new").unwrap();
        let stats = s.commit().unwrap();
        assert_eq!(stats, WriteStats { files: 1, bytes: 3 });
        assert!(!out.join("stale.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
