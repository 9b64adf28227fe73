//! A state's records as the cache holds them: blocks of `BLOCK` records, each block
//! its own postcard bytes, so that a load decodes the blocks in parallel. Decoded one after
//! another, 6,000 records were a rebuild's longest step on one thread (~30 ms of a one-form
//! rebuild at 2,000 departments), the other thread idle.
//!
//! A block's bytes, its place in the file and its digest are a `Block`; the records with
//! their blocks as read, `Records`; what a save may copy from the last file, `Reused`.

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A state's records, and where their blocks lay in the cache file they were read from
/// (none for records not read from a file).
#[derive(Debug, Clone, Default)]
pub struct Records<R> {
    pub list: Vec<R>,
    /// In the records' order, a block per `BLOCK` records.
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
        let first = k * BLOCK;
        let origins = self.origins.get(first..first + len)?;
        let same = block.records == len
            && origins
                .iter()
                .enumerate()
                .all(|(i, from)| *from == Some(first + i));
        same.then_some(block)
    }
}

/// Records a block: enough that a block's bytes are worth a thread, few enough that
/// 2,000 forms make blocks for every core.
pub const BLOCK: usize = 128;

/// Records written as the cache holds them (a sequence of byte strings, postcard's lengths
/// before each), each block's bytes passed to the file beside `body`'s digest and
/// their digest to it (`checksum`); a block `reused` names copied from the last file.
pub fn write<R: Serialize>(
    records: &[R],
    reused: Option<&Reused<'_>>,
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
    Copied(&'f std::fs::File, Block),
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

/// Record blocks' bytes decoded, each in parallel, with their `Block`s.
pub fn decode<R: DeserializeOwned + Send>(blocks: &[&[u8]]) -> Result<Records<R>, postcard::Error> {
    let decoded: Vec<(Vec<R>, Block)> = blocks
        .par_iter()
        .map(|bytes| {
            let records = postcard::from_bytes::<Vec<R>>(bytes)?;
            let block = Block {
                at: bytes.as_ptr() as usize,
                len: bytes.len(),
                digest: crate::hash::digest(bytes),
                records: records.len(),
            };
            Ok((records, block))
        })
        .collect::<Result<_, postcard::Error>>()?;
    let mut out = Records {
        list: Vec::with_capacity(decoded.iter().map(|(r, _)| r.len()).sum()),
        blocks: Vec::with_capacity(decoded.len()),
    };
    for (records, block) in decoded {
        out.list.extend(records);
        out.blocks.push(block);
    }
    Ok(out)
}
