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
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Every input's `stat`, in parallel (thousands of them before anything else happens), in
/// the files' order: the fingerprint's, and then the reading's (`load::LoadOptions::stats`).
pub fn stat_inputs(files: &[SourceFile]) -> Vec<Result<Stat, std::io::ErrorKind>> {
    use rayon::prelude::*;
    files
        .par_iter()
        .map(|f| {
            std::fs::metadata(&f.path)
                .map(|m| Stat::of(&m))
                .map_err(|e| e.kind())
        })
        .collect()
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
    let mut h = Fnv::new();
    h.text(env!("CARGO_PKG_VERSION"));
    h.text(options);
    for (f, meta) in files.iter().zip(metadata) {
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
    }
    walk_problems.hash(&mut h);
    h.write_u64(templates);
    h.write_u64(config);
    h.finish()
}

/// The last build's result, kept so the next build redoes only what changed. Read back with
/// its `Record`s each boxed (serialised as the record itself): a record is kilobytes inline
/// (its facts), and the build moves each to its file's entry (`load::Previous`) — boxed, a
/// move of a pointer, where moving the records themselves held them twice (146 MB more at
/// 60,000 forms, the peak of a rebuild). Saved with records borrowed from the build's batch
/// (`RecordRef`), which serialise the same.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "R: Serialize",
    deserialize = "R: serde::de::DeserializeOwned + Send"
))]
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
    #[serde(deserialize_with = "manifest_in_order")]
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
    #[serde(skip)]
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

/// A state's records, and where their blocks lay in the cache file they were read from
/// (none for records not read from a file).
#[derive(Debug, Clone, Default)]
pub struct Records<R> {
    pub list: Vec<R>,
    /// In the records' order, a block per `blocks::BLOCK` records.
    pub blocks: Vec<Block>,
}

impl<R> From<Vec<R>> for Records<R> {
    fn from(list: Vec<R>) -> Self {
        Records {
            list,
            blocks: Vec::new(),
        }
    }
}

impl<R: Serialize> Serialize for Records<R> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        blocks::serialize(&self.list, serializer)
    }
}

impl<'de, R: serde::de::DeserializeOwned + Send> Deserialize<'de> for Records<R> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        blocks::deserialize(deserializer)
    }
}

/// A block of records in a cache file: its bytes' offset in the file (while it is decoded,
/// their address in memory), length and digest, and how many records it holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Block {
    pub at: usize,
    pub len: usize,
    pub digest: u64,
    pub records: usize,
}

/// What the next save can take from the last cache file as it lies: the file and its
/// blocks, and where each record to save came from among its records (`None`: made by this
/// build). A block whose records are all, in order, the same block's of the last file is
/// copied from there, neither encoded nor read (the records of a one-form rebuild: 6 ms of
/// its CPU at 2,000 departments).
pub struct Reused<'a> {
    pub file: &'a std::fs::File,
    pub blocks: &'a [Block],
    pub origins: &'a [Option<usize>],
}

impl Reused<'_> {
    /// The last file's block `k`, when the `len` records of this save's block `k` are all
    /// its records in order.
    fn block(&self, k: usize, len: usize) -> Option<Block> {
        let block = *self.blocks.get(k)?;
        let first = k * blocks::BLOCK;
        let origins = self.origins.get(first..first + len)?;
        let same = block.records == len
            && origins
                .iter()
                .enumerate()
                .all(|(i, from)| *from == Some(first + i));
        same.then_some(block)
    }
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

/// A state's records as the cache holds them: blocks of `blocks::BLOCK` records, each block
/// its own postcard bytes, so that a load decodes the blocks in parallel. Decoded one after
/// another, 6,000 records were a rebuild's longest step on one thread (~30 ms of a one-form
/// rebuild at 2,000 departments), the other thread idle.
mod blocks {
    use rayon::prelude::*;
    use serde::de::DeserializeOwned;
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Records a block: enough that a block's bytes are worth a thread, few enough that
    /// 2,000 forms make blocks for every core.
    pub const BLOCK: usize = 128;

    struct Bytes<'b>(&'b [u8]);

    impl Serialize for Bytes<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(self.0)
        }
    }

    /// Records written as `serialize` writes them (a sequence of byte strings, postcard's
    /// lengths before each), each block's bytes passed to the file beside `body`'s digest and
    /// their digest to it (`checksum`); a block `reused` names copied from the last file.
    pub fn write<R: Serialize>(
        records: &[R],
        reused: Option<&super::Reused<'_>>,
        body: &mut super::Body,
    ) -> std::io::Result<()> {
        use std::io::{Read, Seek, Write};
        varint(body, records.len().div_ceil(BLOCK))?;
        for (k, block) in records.chunks(BLOCK).enumerate() {
            let source = match reused.and_then(|r| Some((r.file, r.block(k, block.len())?))) {
                Some((file, b)) => Source::Copied(file, b),
                None => Source::Made(postcard::to_allocvec(block).map_err(std::io::Error::other)?),
            };
            let (len, digest) = match &source {
                Source::Copied(_, b) => (b.len, b.digest),
                Source::Made(bytes) => (bytes.len(), crate::hash::digest(bytes)),
            };
            varint(body, len)?;
            body.flush()?;
            let digesting = body.get_mut();
            digesting.digest.update(&digest.to_le_bytes());
            match source {
                Source::Copied(mut file, b) => {
                    let out = &mut digesting.inner;
                    out.flush()?;
                    file.seek(std::io::SeekFrom::Start(b.at as u64))?;
                    let copied = std::io::copy(&mut file.take(b.len as u64), out.get_mut())?;
                    if copied != b.len as u64 {
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                }
                Source::Made(bytes) => digesting.inner.write_all(&bytes)?,
            }
        }
        Ok(())
    }

    /// Where a block's bytes come from.
    enum Source<'f> {
        Copied(&'f std::fs::File, super::Block),
        Made(Vec<u8>),
    }

    /// A length as postcard writes it (LEB128).
    fn varint(out: &mut impl std::io::Write, mut n: usize) -> std::io::Result<()> {
        let mut bytes = [0u8; 10];
        let mut len = 0;
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            bytes[len] = low | if n > 0 { 0x80 } else { 0 };
            len += 1;
            if n == 0 {
                return out.write_all(&bytes[..len]);
            }
        }
    }

    pub fn serialize<S: Serializer, R: Serialize>(
        records: &[R],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(records.len().div_ceil(BLOCK)))?;
        for block in records.chunks(BLOCK) {
            let bytes = postcard::to_allocvec(block).map_err(serde::ser::Error::custom)?;
            seq.serialize_element(&Bytes(&bytes))?;
        }
        seq.end()
    }

    /// The records, each block's `Block` with its address in memory for `at` (made an offset
    /// in the file by `Cache::decode`). Each block's digest is taken where it is decoded.
    pub fn deserialize<'de, D: Deserializer<'de>, R: DeserializeOwned + Send>(
        deserializer: D,
    ) -> Result<super::Records<R>, D::Error> {
        // Borrowed from the cache file's bytes: no copy before they are decoded.
        let blocks = Vec::<&'de [u8]>::deserialize(deserializer)?;
        decode(&blocks).map_err(serde::de::Error::custom)
    }

    /// Record blocks' bytes decoded, each in parallel, with their `Block`s.
    pub fn decode<R: DeserializeOwned + Send>(
        blocks: &[&[u8]],
    ) -> Result<super::Records<R>, postcard::Error> {
        let decoded: Vec<(Vec<R>, super::Block)> = blocks
            .par_iter()
            .map(|bytes| {
                let records = postcard::from_bytes::<Vec<R>>(bytes)?;
                let block = super::Block {
                    at: bytes.as_ptr() as usize,
                    len: bytes.len(),
                    digest: crate::hash::digest(bytes),
                    records: records.len(),
                };
                Ok((records, block))
            })
            .collect::<Result<_, postcard::Error>>()?;
        let mut out = super::Records {
            list: Vec::with_capacity(decoded.iter().map(|(r, _)| r.len()).sum()),
            blocks: Vec::with_capacity(decoded.len()),
        };
        for (records, block) in decoded {
            out.list.extend(records);
            out.blocks.push(block);
        }
        Ok(out)
    }
}

/// The cache folder of one output.
#[derive(Debug, Clone)]
pub struct Cache {
    file: PathBuf,
}

/// Bumped when `State` changes shape: an old cache file is then ignored. The format line is
/// followed by the body's checksum (16 hex digits and a newline), then the body.
const FORMAT: &[u8] = b"budgetsite-cache-9\n";

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
    pub fn load(&self) -> Option<State> {
        use std::io::Read;
        let mut file = std::fs::File::open(&self.file).ok()?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).ok()?;
        let mut state = Self::decode(&bytes)?;
        state.file = Some(std::sync::Arc::new(file));
        Some(state)
    }

    /// A cache file's state, if its format and checksum are right; its blocks' `at` are
    /// offsets in `bytes`. (Decoded before the checksum is known: corrupt bytes decode to an
    /// error or to a state that is then dropped.)
    pub fn decode(bytes: &[u8]) -> Option<State> {
        let rest = bytes.strip_prefix(FORMAT)?;
        let (sum, body) = rest.split_at_checked(17)?;
        // As `State` is serialised, in two parts decoded at once: the records' blocks (each
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
mod tests {
    use super::*;

    /// The tail of a state with nothing published.
    fn empty_tail() -> Tail<'static> {
        static PIECES: crate::output::dataset::Pieces = crate::output::dataset::Pieces {
            list_start: 0,
            entries: Vec::new(),
        };
        Tail {
            racy: &[],
            manifest: None,
            districts: 0,
            departments: 0,
            published_forms: 0,
            unpublished_files: 0,
            diagnostics: &[],
            published_departments: 0,
            pieces: &PIECES,
        }
    }

    fn record(display: &str, size: u64) -> Record {
        Record {
            display: display.into(),
            sheet: Some("表1".into()),
            stamp: Stamp { size, modified: 9 },
            change: 3,
            digest: 4,
            facts: None,
            evaluation: None,
            diagnostics: Vec::new(),
        }
    }

    #[test]
    fn a_cache_file_with_any_byte_flipped_is_treated_as_absent() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), &dir.path().join("public"));
        let mut manifest = Manifest::new();
        manifest.insert(
            "index.html".into(),
            crate::publish::writer::PublishedFile {
                key: 7,
                digest: 9,
                stamp: Stamp {
                    size: 26895,
                    modified: 1,
                },
                change: 8,
            },
        );
        manifest.insert(
            "b/index.html".into(),
            crate::publish::writer::PublishedFile {
                key: 1,
                digest: 2,
                stamp: Stamp {
                    size: 3,
                    modified: 4,
                },
                change: 5,
            },
        );
        cache.save(&State {
            inputs: 1,
            started: 2,
            racy: vec![(PathBuf::from("a.txt"), 3)],
            tool: 4,
            site: 5,
            records: vec![record("a.txt", 1), record("b.txt", 2)].into(),
            manifest: Some(manifest),
            districts: 1,
            departments: 2,
            published_forms: 3,
            unpublished_files: 0,
            diagnostics: Vec::new(),
            published_departments: 2,
            pieces: Default::default(),
            file: None,
        });
        let good = std::fs::read(cache.file()).unwrap();
        assert!(Cache::decode(&good).is_some());
        // Written as the state is serialised: the same bytes as the body made whole first.
        let body = &good[FORMAT.len() + 17..];
        let state = Cache::decode(&good).unwrap();
        assert_eq!(state.records.list.len(), 2);
        let files: Vec<&String> = state.manifest.as_ref().unwrap().keys().collect();
        assert_eq!(files, ["b/index.html", "index.html"]);
        assert_eq!(body, postcard::to_stdvec(&state).unwrap().as_slice());
        let in_body: Vec<Block> = (state.records.blocks.iter())
            .map(|b| Block {
                at: b.at - FORMAT.len() - 17,
                ..*b
            })
            .collect();
        assert_eq!(in_body.len(), 1);
        let sum = checksum(body, &in_body).unwrap();
        assert_eq!(good[FORMAT.len()..FORMAT.len() + 17], sum);
        assert!(!cache.file().with_extension("bin.tmp").exists());
        for i in 0..good.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[i] ^= flip;
                assert!(Cache::decode(&bad).is_none(), "byte {i} ^ {flip:#x}");
            }
        }
        for len in 0..good.len() {
            assert!(Cache::decode(&good[..len]).is_none(), "cut at {len}");
        }
    }

    /// A save begun while the site is published and dropped unfinished (the build failed)
    /// leaves the last cache as it was and no temporary file.
    #[test]
    fn a_save_left_unfinished_keeps_the_last_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), &dir.path().join("public"));
        let state = |inputs| State {
            inputs,
            started: 2,
            tool: 4,
            site: 5,
            records: Vec::<Record>::new().into(),
            racy: Vec::new(),
            manifest: None,
            districts: 0,
            departments: 0,
            published_forms: 0,
            unpublished_files: 0,
            diagnostics: Vec::new(),
            published_departments: 0,
            pieces: Default::default(),
            file: None,
        };
        cache.save(&state(1));
        let head = Head {
            inputs: 9,
            started: 2,
            tool: 4,
            site: 5,
        };
        let saving = cache.begin(&head, &Vec::<Record>::new(), None).unwrap();
        assert!(cache.file().with_extension("bin.tmp").exists());
        drop(saving);
        assert!(!cache.file().with_extension("bin.tmp").exists());
        assert_eq!(cache.load().unwrap().inputs, 1);
        let saving = cache.begin(&head, &Vec::<Record>::new(), None).unwrap();
        saving.finish(&empty_tail());
        assert_eq!(cache.load().unwrap().inputs, 9);
        assert!(!cache.file().with_extension("bin.tmp").exists());
    }

    /// Records are read back boxed, and a box serialises as what it holds: a cache written
    /// with plain records (as every earlier version wrote it) reads back the same.
    #[test]
    fn records_read_back_boxed_from_the_bytes_of_plain_ones() {
        let plain = State {
            inputs: 1,
            started: 2,
            racy: Vec::new(),
            tool: 4,
            site: 5,
            records: vec![record("a.txt", 10), record("b.xlsx", 20)].into(),
            manifest: None,
            districts: 1,
            departments: 2,
            published_forms: 2,
            unpublished_files: 0,
            diagnostics: Vec::new(),
            published_departments: 0,
            pieces: Default::default(),
            file: None,
        };
        let bytes = postcard::to_stdvec(&plain).unwrap();
        let boxed: State = postcard::from_bytes(&bytes).unwrap();
        let read: Vec<(&str, u64)> = boxed
            .records
            .list
            .iter()
            .map(|r| (r.display.as_str(), r.stamp.size))
            .collect();
        assert_eq!(read, [("a.txt", 10), ("b.xlsx", 20)]);
        assert_eq!(postcard::to_stdvec(&boxed).unwrap(), bytes);
    }

    /// A save copies from the last cache file each block whose records are all, in order,
    /// that block's records there (`Reused`), and makes the others: the file reads back with
    /// the copied blocks' records as they were read (here other records stand in the build's
    /// place, to tell a copied block from a made one) and the made block's as given, and
    /// passes its checksum. Records that moved (one inserted before them) are all made.
    #[test]
    fn unchanged_record_blocks_are_copied_from_the_last_cache_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), &dir.path().join("public"));
        let head = Head {
            inputs: 1,
            started: 2,
            tool: 4,
            site: 5,
        };
        let tail = empty_tail();
        let n = 2 * blocks::BLOCK + 44;
        let old: Vec<Record> = (0..n).map(|i| record(&format!("{i:04}.txt"), 1)).collect();
        cache.begin(&head, &old, None).unwrap().finish(&tail);
        let last = cache.load().unwrap();
        assert_eq!(last.records.blocks.len(), 3);
        let sizes = |state: &State| -> Vec<u64> {
            state.records.list.iter().map(|r| r.stamp.size).collect()
        };
        // This build's records: all others (size 2); the first and last blocks' said to be
        // the last file's, and all but one of the middle block's.
        let new: Vec<Record> = (0..n).map(|i| record(&format!("{i:04}.txt"), 2)).collect();
        let mut origins: Vec<Option<usize>> = (0..n).map(Some).collect();
        origins[blocks::BLOCK + 5] = None;
        let reused = Reused {
            file: last.file.as_deref().unwrap(),
            blocks: &last.records.blocks,
            origins: &origins,
        };
        cache
            .begin(&head, &new, Some(&reused))
            .unwrap()
            .finish(&tail);
        let read = sizes(&cache.load().unwrap());
        let b = blocks::BLOCK;
        let expected: Vec<u64> = (0..n)
            .map(|i| if (b..2 * b).contains(&i) { 2 } else { 1 })
            .collect();
        assert_eq!(read, expected);
        // One record inserted first: every other one is one place on, nothing is copied.
        let last = cache.load().unwrap();
        let origins: Vec<Option<usize>> = std::iter::once(None).chain((0..n).map(Some)).collect();
        let moved: Vec<Record> = (0..=n).map(|i| record(&format!("{i:04}.txt"), 3)).collect();
        let reused = Reused {
            file: last.file.as_deref().unwrap(),
            blocks: &last.records.blocks,
            origins: &origins,
        };
        cache
            .begin(&head, &moved, Some(&reused))
            .unwrap()
            .finish(&tail);
        assert_eq!(sizes(&cache.load().unwrap()), vec![3; n + 1]);
    }

    #[test]
    fn fingerprints_follow_content_metadata_and_options() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(input.join(".hidden")).unwrap();
        std::fs::write(input.join("a.txt"), "x").unwrap();
        let config = dir.path().join("c.toml");
        let fp = |opts: &str| {
            let (files, problems) = crate::ingest::discover(
                std::slice::from_ref(&input),
                &crate::ingest::IngestOptions::default(),
            )
            .unwrap();
            let (_, config) = crate::config::SiteConfig::read(&config, false).unwrap();
            inputs_fingerprint(&files, &stat_inputs(&files), &problems, 7, config, opts)
        };
        let first = fp("");
        assert_eq!(first, fp(""));
        assert_ne!(first, fp("--strict"));
        std::fs::write(input.join(".hidden/b.txt"), "y").unwrap();
        assert_eq!(first, fp(""), "hidden files are not read by the build");
        std::fs::write(input.join("a.txt"), "xy").unwrap();
        assert_ne!(first, fp(""));
        std::fs::write(&config, "title = \"x\"").unwrap();
        let with_config = fp("");
        assert_ne!(first, with_config, "a config appeared");
        std::fs::write(&config, "title = \"y\"").unwrap();
        assert_ne!(with_config, fp(""));
        let (files, problems) = crate::ingest::discover(
            std::slice::from_ref(&input),
            &crate::ingest::IngestOptions::default(),
        )
        .unwrap();
        assert_ne!(
            inputs_fingerprint(&files, &stat_inputs(&files), &problems, 7, 1, ""),
            inputs_fingerprint(&files, &stat_inputs(&files), &problems, 8, 1, ""),
            "templates"
        );
    }
}
