//! The build cache (`.budgetsite/` by default): whether anything a build reads or writes has
//! changed since the last build. A nightly run over unchanged submissions then does almost
//! nothing: it compares fingerprints and reports the last build's findings again.
//!
//! Fingerprints are taken from file metadata (path, size, modification time, and — as git
//! does — the change time and inode, which `cp -p`, `rsync -t` or `touch -d` cannot set
//! back), plus the config's bytes and the tool's version and options; the published folder
//! is fingerprinted too, so a hand-edited or deleted site is rebuilt. A file changed less
//! than `RACY_NS` before the last build started may have been changed again within the same
//! timestamp tick (coarse file-system clocks): its metadata is not trusted, its bytes are
//! compared (`State::racy`). Anything that differs means a rebuild, so a cached result can
//! never differ from a clean build's.
//!
//! The cache file carries a checksum of its body (each block of records counted by its own
//! digest, so that a save copies unchanged blocks from the last file unread, `Reused`): a
//! file that was cut short, flipped on disk or written by another version is treated as
//! absent (a full build), never trusted.

use crate::diagnostic::Diagnostic;
use crate::files::{Stamp, Stat};
use crate::hash::{digest, Fnv};
use crate::ingest::SourceFile;
use crate::load::Record;
use crate::publish::writer::{Manifest, WriteStats};
pub use blocks::{Block, Records, Reused};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

mod blocks;

/// Every input's `stat`, in parallel (thousands of them before anything else happens), in
/// the files' order: the fingerprint's, and then the reading's (`load::LoadOptions::stats`).
pub fn stat_inputs(files: &[SourceFile]) -> Vec<Result<Stat, std::io::ErrorKind>> {
    let paths: Vec<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    crate::files::stats(&paths)
}

/// What a build reads: the discovered submissions (each one's name, stamp and change, from
/// `metadata`, its `stat_inputs`; and the entries the walk could not read), the templates
/// and config (by the hashes their loaders took of their bytes), the tool and its options.
pub fn inputs_fingerprint(
    files: &[SourceFile],
    metadata: &[Result<Stat, std::io::ErrorKind>],
    walk_problems: &[Diagnostic],
    templates: u64,
    config: u64,
    options: &str,
) -> u64 {
    use rayon::prelude::*;
    // Each file hashed apart, in parallel, then the hashes in the files' order: one hash of
    // every name and path, byte by byte, was a serial 13 ms of a rebuild at 60,000 forms.
    let each: Vec<u64> = files
        .par_iter()
        .zip(metadata)
        .map(|(f, meta)| {
            let mut h = Fnv::new();
            h.text(&f.display);
            h.text(&f.path.to_string_lossy());
            match meta {
                Ok(stat) => {
                    h.write_u64(stat.stamp.size);
                    h.write_u64(stat.stamp.modified);
                    h.write_u64(stat.change);
                }
                // A file that vanished or cannot be read is part of what the build sees.
                Err(kind) => h.text(&kind.to_string()),
            }
            h.finish()
        })
        .collect();
    let mut h = Fnv::new();
    h.text(env!("CARGO_PKG_VERSION"));
    h.text(options);
    h.write_usize(each.len());
    for file in each {
        h.write_u64(file);
    }
    walk_problems.hash(&mut h);
    h.write_u64(templates);
    h.write_u64(config);
    h.finish()
}

/// The last build's result, kept so the next build redoes only what changed. Written as its
/// `Head`, its records (`blocks`) and its `Tail` (`Cache::begin`, `Saving::finish`), read
/// back by `Cache::decode` with its `Record`s each boxed (serialised as the record itself): a record is kilobytes inline
/// (its facts), and the build moves each to its file's entry (`load::Previous`) — boxed, a
/// move of a pointer, where moving the records themselves held them twice (146 MB more at
/// 60,000 forms, the peak of a rebuild). Saved with records borrowed from the build's batch
/// (`RecordRef`), which serialise the same.
#[derive(Debug, Clone)]
pub struct State<R = Box<Record>> {
    /// Fingerprint of everything the build read (`inputs_fingerprint`).
    pub inputs: u64,
    /// When the build started (ns since the epoch), for `is_racy`.
    pub started: u64,
    /// The tool and the reading options the records were made with (`tool_key`).
    pub tool: u64,
    /// Everything besides the forms that shapes the pages (`site_key`).
    pub site: u64,
    /// What each input file taught the last build. Before everything known only once the
    /// site is published: the build writes the cache this far while it publishes (`Saving`).
    /// In blocks, decoded in parallel (`blocks`).
    pub records: Records<R>,
    /// Input files that were racy when the build started, with the digest of the bytes it
    /// read: an unchanged run compares their bytes, not their metadata.
    pub racy: Vec<(PathBuf, u64)>,
    /// The published site; None when the last build published nothing (`--strict` refused).
    pub manifest: Option<Manifest>,
    pub districts: usize,
    pub departments: usize,
    pub published_forms: usize,
    pub unpublished_files: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// How many departments the site's `data/district.json` (as in `manifest`) lists: this
    /// build's when it published, else the site's as it stayed (a `--strict` refusal). The
    /// next build's shrink check takes it while that file is still as written, instead of
    /// parsing it (5 MB at 2,000 departments, 4 % of a rebuild's instructions).
    pub published_departments: usize,
    /// Where that file holds each department's object (`dataset::Reuse`).
    pub pieces: crate::output::dataset::Pieces,
    /// The cache file this state was read from (`Cache::load`), open: the next save copies
    /// its unchanged record blocks from it (`Reused`).
    pub file: Option<std::sync::Arc<std::fs::File>>,
}

/// A manifest as it is saved (a map, in its order: to postcard, a list of pairs), built
/// whole from the list: inserted one at a time, its 10,000 files at 2,000 departments were a
/// search each, on the path of every rebuild.
fn manifest_in_order<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Manifest>, D::Error> {
    type Pairs = Vec<(String, crate::publish::writer::PublishedFile)>;
    Ok(Option::<Pairs>::deserialize(deserializer)?.map(Manifest::from_iter))
}

impl State {
    pub fn written(&self) -> Option<WriteStats> {
        self.manifest.as_ref().map(|m| WriteStats {
            files: m.len(),
            bytes: m.values().map(|p| p.stamp.size).sum(),
            changed: 0,
        })
    }

    /// Whether every racy input file still holds the bytes the last build read.
    pub fn racy_unchanged(&self) -> bool {
        self.racy
            .iter()
            .all(|(path, expected)| std::fs::read(path).is_ok_and(|b| digest(&b) == *expected))
    }

    /// Whether the site at `output` is still exactly what the last build published.
    pub fn site_intact(&self, output: &Path) -> bool {
        match &self.manifest {
            None => true,
            Some(m) => crate::publish::writer::files_under(output).is_ok_and(|on_disk| {
                on_disk.len() == m.len()
                    && on_disk
                        .iter()
                        .zip(m)
                        .all(|((a, s), (b, p))| a == b && *s == (p.stamp, p.change))
            }),
        }
    }
}

/// The tool itself: its version and its executable's size and time (a rebuilt binary may
/// read forms differently), with the reading options.
pub fn tool_key(options: &str) -> u64 {
    let mut h = Fnv::new();
    h.text(env!("CARGO_PKG_VERSION"));
    h.text(options);
    if let Some(stamp) = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| Stamp::of(&m))
    {
        h.write_u64(stamp.size);
        h.write_u64(stamp.modified);
    }
    h.finish()
}

/// Templates and config (the hashes their loaders took of every byte) and the tool: what
/// every page depends on.
pub fn site_key(tool: u64, templates: u64, config: u64) -> u64 {
    let mut h = Fnv::new();
    h.write_u64(tool);
    h.write_u64(templates);
    h.write_u64(config);
    h.finish()
}

/// The cache folder of one output.
#[derive(Debug, Clone)]
pub struct Cache {
    file: PathBuf,
}

/// Bumped when `State` changes shape: an old cache file is then ignored. The format line is
/// followed by the body's checksum (16 hex digits and a newline), then the body.
const FORMAT: &[u8] = b"budgetsite-cache-10\n";

/// The body's checksum: FNV-1a over 8-byte words (`hash::digest`) of the body with each
/// record block's bytes standing as that block's own digest (`blocks` are where they lie in
/// `body`; None if they do not lie in it in order). So a block copied from the last cache
/// file is checksummed without being read (`Reused`), and a block read is digested where it
/// is decoded, in parallel. A single changed byte always changes it (each step is a bijection
/// of its state, and a block's changed digest is a changed word), other corruption almost
/// always does.
fn checksum(body: &[u8], blocks: &[Block]) -> Option<[u8; 17]> {
    let mut d = crate::hash::Digest::new();
    let mut at = 0;
    for b in blocks {
        d.update(body.get(at..b.at)?);
        d.update(&b.digest.to_le_bytes());
        at = b.at.checked_add(b.len).filter(|&end| end <= body.len())?;
    }
    d.update(body.get(at..)?);
    Some(sum_of(d.finish().0))
}

fn sum_of(digest: u64) -> [u8; 17] {
    let mut out = [b'\n'; 17];
    out[..16].copy_from_slice(format!("{digest:016x}").as_bytes());
    out
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
            file: dir.join(format!("build-{:016x}.bin", h.finish())),
        }
    }

    /// The cache file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The last state, if there is one this version can read (anything else: a full build).
    ///
    /// The file is mapped, not read: read into a buffer, its bytes (85 MB at 60,000 forms)
    /// were copied into fresh pages, each a page fault, on the path of every rebuild (a
    /// one-form rebuild at 20,000 departments 830 → 790 ms). Where it cannot be mapped it
    /// is read.
    pub fn load(&self) -> Option<State> {
        let mut file = std::fs::File::open(&self.file).ok()?;
        // SAFETY: the file is this tool's own, changed only by a build that holds the
        // cache's lock, and never in place (a save writes a new file and renames it over
        // this one), so the mapped bytes do not change while they are decoded.
        let mapped = unsafe { memmap2::MmapOptions::new().populate().map(&file) };
        let mut state = match mapped {
            Ok(bytes) => Self::decode(&bytes)?,
            Err(_) => {
                use std::io::Read;
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes).ok()?;
                Self::decode(&bytes)?
            }
        };
        state.file = Some(std::sync::Arc::new(file));
        Some(state)
    }

    /// A cache file's state, if its format and checksum are right; its blocks' `at` are
    /// offsets in `bytes`. (Decoded before the checksum is known: corrupt bytes decode to an
    /// error or to a state that is then dropped.)
    pub fn decode(bytes: &[u8]) -> Option<State> {
        let rest = bytes.strip_prefix(FORMAT)?;
        let (sum, body) = rest.split_at_checked(17)?;
        // As `State` is written (`begin`, `finish`), in two parts decoded at once: the records' blocks (each
        // in parallel) and what follows them (the manifest, 10,000 files at 2,000
        // departments), which a single pass decoded only after the records, on the path of
        // every rebuild.
        let (head, rest): (Head, _) = postcard::take_from_bytes(body).ok()?;
        let (blocks, rest): (Vec<&[u8]>, _) = postcard::take_from_bytes(rest).ok()?;
        let (records, tail) = rayon::join(
            || blocks::decode(&blocks),
            || postcard::from_bytes::<TailRead>(rest),
        );
        let (records, tail) = (records.ok()?, tail.ok()?);
        let mut state = State {
            inputs: head.inputs,
            started: head.started,
            tool: head.tool,
            site: head.site,
            records,
            racy: tail.racy,
            manifest: tail.manifest,
            districts: tail.districts,
            departments: tail.departments,
            published_forms: tail.published_forms,
            unpublished_files: tail.unpublished_files,
            diagnostics: tail.diagnostics,
            published_departments: tail.published_departments,
            pieces: tail.pieces,
            file: None,
        };
        let base = body.as_ptr() as usize;
        for b in &mut state.records.blocks {
            b.at = b.at.checked_sub(base)?;
        }
        if sum != checksum(body, &state.records.blocks)? {
            return None;
        }
        for b in &mut state.records.blocks {
            b.at += FORMAT.len() + 17;
        }
        Some(state)
    }

    /// Saves the state; a cache that cannot be written only costs the next run a build.
    pub fn save<R: Serialize>(&self, state: &State<R>) {
        let head = Head {
            inputs: state.inputs,
            started: state.started,
            tool: state.tool,
            site: state.site,
        };
        if let Some(saving) = self.begin(&head, &state.records.list, None) {
            saving.finish(&Tail {
                racy: &state.racy,
                manifest: state.manifest.as_ref(),
                districts: state.districts,
                departments: state.departments,
                published_forms: state.published_forms,
                unpublished_files: state.unpublished_files,
                diagnostics: &state.diagnostics,
                published_departments: state.published_departments,
                pieces: &state.pieces,
            });
        }
    }

    /// Starts saving a state: its head and records are written (to a temporary file) while
    /// the build publishes, `Saving::finish` writes the rest once it has. The records are
    /// almost all of the file: written after the site, they were an eighth of a rebuild's
    /// time after one changed form, with nothing else left to do. None when the cache
    /// cannot be written (the next run builds in full). Blocks of records that `reused` says
    /// are the last cache file's are copied from it.
    pub fn begin<R: Serialize>(
        &self,
        head: &Head,
        records: &[R],
        reused: Option<&Reused<'_>>,
    ) -> Option<Saving> {
        use std::io::Write;
        let dir = self.file.parent()?;
        std::fs::create_dir_all(dir).ok()?;
        let tmp = self.file.with_extension("bin.tmp");
        let begun = (|| -> std::io::Result<Body> {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(FORMAT)?;
            file.write_all(&[b'\n'; 17])?;
            // postcard writes a few bytes at a time: buffered before they are digested.
            let mut body = std::io::BufWriter::with_capacity(
                1 << 16,
                crate::hash::Digesting::new(std::io::BufWriter::new(file)),
            );
            postcard::to_io(head, &mut body).map_err(std::io::Error::other)?;
            blocks::write(records, reused, &mut body)?;
            Ok(body)
        })();
        match begun {
            Ok(body) => Some(Saving {
                tmp,
                file: self.file.clone(),
                body: Some(body),
            }),
            Err(_) => {
                let _ = std::fs::remove_file(&tmp);
                None
            }
        }
    }
}

type Body = std::io::BufWriter<crate::hash::Digesting<std::io::BufWriter<std::fs::File>>>;

/// The fields of a `State` before its records, as they are serialised.
#[derive(Debug, Serialize, Deserialize)]
pub struct Head {
    pub inputs: u64,
    pub started: u64,
    pub tool: u64,
    pub site: u64,
}

/// The fields of a `State` after its records, as they are serialised.
#[derive(Debug, Serialize)]
pub struct Tail<'a> {
    pub racy: &'a [(PathBuf, u64)],
    pub manifest: Option<&'a Manifest>,
    pub districts: usize,
    pub departments: usize,
    pub published_forms: usize,
    pub unpublished_files: usize,
    pub diagnostics: &'a [Diagnostic],
    pub published_departments: usize,
    pub pieces: &'a crate::output::dataset::Pieces,
}

/// `Tail` as it is read back (`Cache::decode`).
#[derive(Deserialize)]
struct TailRead {
    racy: Vec<(PathBuf, u64)>,
    #[serde(deserialize_with = "manifest_in_order")]
    manifest: Option<Manifest>,
    districts: usize,
    departments: usize,
    published_forms: usize,
    unpublished_files: usize,
    diagnostics: Vec<Diagnostic>,
    published_departments: usize,
    pieces: crate::output::dataset::Pieces,
}

/// A cache file being written: the format line, a placeholder for the body's checksum, and
/// the body as far as `Cache::begin` got. Dropped unfinished (the build failed), the
/// temporary file is removed and the last cache stays.
pub struct Saving {
    tmp: PathBuf,
    file: PathBuf,
    body: Option<Body>,
}

impl Saving {
    /// Writes the rest of the state, the checksum, and puts the file in place.
    pub fn finish(mut self, tail: &Tail<'_>) {
        let Some(body) = self.body.take() else {
            return;
        };
        let written = (|| -> std::io::Result<()> {
            use std::io::{Seek, Write};
            let body = postcard::to_io(tail, body).map_err(std::io::Error::other)?;
            let digesting = body
                .into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            let sum = sum_of(digesting.digest.finish().0);
            let mut file = digesting
                .inner
                .into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            file.seek(std::io::SeekFrom::Start(FORMAT.len() as u64))?;
            file.write_all(&sum)
        })();
        if written.is_ok() && std::fs::rename(&self.tmp, &self.file).is_ok() {
            return;
        }
        let _ = std::fs::remove_file(&self.tmp);
    }
}

impl Drop for Saving {
    fn drop(&mut self) {
        if self.body.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests;
