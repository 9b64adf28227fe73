//! The build cache (`.budgetsite/` by default): whether anything a build reads or writes has
//! changed since the last build. A nightly run over unchanged submissions then does almost
//! nothing: it compares fingerprints and reports the last build's findings again.
//!
//! Fingerprints are taken from file metadata (path, size, modification time), like make and
//! cargo do, plus the config's bytes and the tool's version and options; the published folder
//! is fingerprinted too, so a hand-edited or deleted site is rebuilt. Anything that differs
//! means a full build, so a cached result can never differ from a clean build's.

use crate::diagnostic::Diagnostic;
use crate::site::WriteStats;
use serde::{Deserialize, Serialize};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// FNV-1a, 64 bits: stable across Rust versions and machines, unlike `DefaultHasher`.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn text(&mut self, s: &str) {
        self.write_u64(s.len() as u64);
        self.write(s.as_bytes());
    }
}

/// Adds every file under `root` (sorted; hidden entries and `skip` left out) to `h`.
fn tree(h: &mut Fnv, root: &Path, skip: Option<&Path>) {
    h.text(&root.to_string_lossy());
    let skip = skip.and_then(|s| std::fs::canonicalize(s).ok());
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let skipped = skip.as_ref().is_some_and(|s| {
                e.file_type().is_dir() && std::fs::canonicalize(e.path()).is_ok_and(|c| &c == s)
            });
            !hidden && !skipped
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                h.text(&e.path().to_string_lossy());
                if let Ok(m) = e.metadata() {
                    h.write_u64(m.len());
                    let nanos = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    h.write_u128(nanos);
                }
            }
            Ok(_) => {}
            // An unreadable entry is part of what the build sees; hash its error.
            Err(e) => h.text(&e.to_string()),
        }
    }
}

/// What a build reads: submissions, templates, config, the tool and its options.
pub fn inputs_fingerprint(
    input: &Path,
    output: &Path,
    templates: &Path,
    config: &Path,
    options: &str,
) -> u64 {
    let mut h = Fnv::new();
    h.text(env!("CARGO_PKG_VERSION"));
    h.text(options);
    tree(&mut h, input, Some(output));
    tree(&mut h, templates, None);
    h.text(&config.to_string_lossy());
    match std::fs::read(config) {
        Ok(bytes) => h.write(&bytes),
        Err(e) => h.text(&e.kind().to_string()),
    }
    h.finish()
}

/// What a build wrote.
pub fn output_fingerprint(output: &Path) -> u64 {
    let mut h = Fnv::new();
    tree(&mut h, output, None);
    h.finish()
}

/// The last build's result, kept so an unchanged run can answer without building.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub inputs: u64,
    /// None when the last build published nothing (`--strict` refused).
    pub output: Option<u64>,
    pub districts: usize,
    pub departments: usize,
    pub published_forms: usize,
    pub unpublished_files: usize,
    pub files: usize,
    pub bytes: u64,
    pub diagnostics: Vec<Diagnostic>,
}

impl State {
    pub fn written(&self) -> Option<WriteStats> {
        self.output.map(|_| WriteStats {
            files: self.files,
            bytes: self.bytes,
        })
    }
}

/// The cache folder of one output.
#[derive(Debug, Clone)]
pub struct Cache {
    file: PathBuf,
}

impl Cache {
    pub fn new(dir: &Path, output: &Path) -> Cache {
        // One state per output folder, so two sites built from one directory do not collide.
        let mut h = Fnv::new();
        h.text(
            &std::path::absolute(output)
                .unwrap_or_else(|_| output.to_owned())
                .to_string_lossy(),
        );
        Cache {
            file: dir.join(format!("build-{:016x}.json", h.finish())),
        }
    }

    pub fn load(&self) -> Option<State> {
        let text = std::fs::read_to_string(&self.file).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Saves the state; a cache that cannot be written only costs the next run a build.
    pub fn save(&self, state: &State) {
        let Some(dir) = self.file.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let tmp = self.file.with_extension("json.tmp");
        if let Ok(text) = serde_json::to_string(state) {
            if std::fs::write(&tmp, text).is_ok() {
                let _ = std::fs::rename(&tmp, &self.file);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_follow_content_metadata_and_options() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(input.join(".hidden")).unwrap();
        std::fs::write(input.join("a.txt"), "x").unwrap();
        let fp = |opts: &str| {
            inputs_fingerprint(
                &input,
                &dir.path().join("out"),
                &dir.path().join("t"),
                &dir.path().join("c.toml"),
                opts,
            )
        };
        let first = fp("");
        assert_eq!(first, fp(""));
        assert_ne!(first, fp("--strict"));
        std::fs::write(input.join(".hidden/b.txt"), "y").unwrap();
        assert_eq!(first, fp(""), "hidden files are not read by the build");
        std::fs::write(input.join("a.txt"), "xy").unwrap();
        assert_ne!(first, fp(""));
        std::fs::write(dir.path().join("c.toml"), "title = \"x\"").unwrap();
        let with_config = fp("");
        std::fs::write(dir.path().join("c.toml"), "title = \"y\"").unwrap();
        assert_ne!(with_config, fp(""));
    }
}
