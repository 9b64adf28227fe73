//! Spill buffers: bytes a build makes once and writes later (a district's departments in
//! `district.json`, written into its own file and the site's), held in memory while short and
//! in an anonymous temporary file once they pass a limit, so a province-sized district does not
//! keep tens of MB for the whole build; and a `Store` of records appended from many threads and
//! read back by their place (the declarations a large build lets go, `load::Kept`). The files
//! are unlinked from the start (`tempfile`): a killed build leaves nothing behind.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// What a buffer holds in memory before it moves to a temporary file.
pub const SPILL_OVER: usize = 1 << 20;

/// Bytes appended while a build makes them (`SpillWriter`), then read back, whole, by the jobs
/// that write them out (`Spilled::copy_to`).
#[derive(Debug)]
pub struct SpillWriter {
    limit: usize,
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    len: u64,
}

/// A finished buffer.
#[derive(Debug)]
pub enum Spilled {
    Memory(Vec<u8>),
    /// The temporary file and its length; jobs on other threads read it in turn.
    File(Mutex<File>, u64),
}

impl SpillWriter {
    /// A buffer that moves to a temporary file once it holds more than `limit` bytes.
    pub fn new(limit: usize) -> SpillWriter {
        SpillWriter {
            limit,
            memory: Vec::new(),
            file: None,
            len: 0,
        }
    }

    /// The bytes written so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn finish(self) -> io::Result<Spilled> {
        Ok(match self.file {
            None => Spilled::Memory(self.memory),
            Some(file) => {
                let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                Spilled::File(Mutex::new(file), self.len)
            }
        })
    }
}

impl Write for SpillWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.file.is_none() && self.memory.len() + bytes.len() > self.limit {
            // Where no temporary file can be made the bytes stay in memory: the build needs
            // more of it but publishes the same.
            if let Ok(file) = tempfile::tempfile() {
                let mut file = BufWriter::new(file);
                file.write_all(&self.memory)?;
                self.memory = Vec::new();
                self.file = Some(file);
            } else {
                self.limit = usize::MAX;
            }
        }
        match &mut self.file {
            Some(file) => file.write_all(bytes)?,
            None => self.memory.extend_from_slice(bytes),
        }
        self.len += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

impl Spilled {
    /// How many bytes it holds.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Spilled::Memory(m) => m.len() as u64,
            Spilled::File(_, len) => *len,
        }
    }

    /// Writes every byte to `out`.
    pub fn copy_to(&self, out: &mut dyn Write) -> io::Result<()> {
        self.copy_range_to(0, self.len(), out)
    }

    /// Writes `len` bytes from `start` to `out`; a range past the end is an error.
    pub fn copy_range_to(&self, start: u64, len: u64, out: &mut dyn Write) -> io::Result<()> {
        let short = |had: u64| {
            io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("暂存的数据只有 {had} 字节，少于所需的 {len} 字节"),
            )
        };
        match self {
            Spilled::Memory(m) => {
                let range = usize::try_from(start)
                    .ok()
                    .zip(usize::try_from(start + len).ok())
                    .and_then(|(a, b)| m.get(a..b))
                    .ok_or_else(|| short(m.len() as u64))?;
                out.write_all(range)
            }
            Spilled::File(file, _) => {
                let mut file = file
                    .lock()
                    .map_err(|_| io::Error::other("temporary file poisoned"))?;
                file.seek(io::SeekFrom::Start(start))?;
                let copied = io::copy(&mut (&mut *file).take(len), out)?;
                if copied == len {
                    Ok(())
                } else {
                    Err(short(copied))
                }
            }
        }
    }
}

/// Records appended by many threads at once, each written at once at a place reserved for
/// it, and read back by that place in any order: no lock on either side. (Gathered into
/// megabyte writes under a lock instead, a 20,000-department build took 0.8 s longer: the
/// threads waited on each other's writes.)
#[derive(Debug)]
pub struct Store {
    file: File,
    end: AtomicU64,
}

/// Where `Store::append` put a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    at: u64,
    len: u32,
}

impl Store {
    /// An empty store in a new anonymous temporary file; an error where none can be made or
    /// where a file cannot be written at an offset (not Unix).
    pub fn new() -> io::Result<Store> {
        if !cfg!(unix) {
            return Err(io::ErrorKind::Unsupported.into());
        }
        Ok(Store {
            file: tempfile::tempfile()?,
            end: AtomicU64::new(0),
        })
    }

    pub fn append(&self, bytes: &[u8]) -> io::Result<Place> {
        let len = u32::try_from(bytes.len()).map_err(|_| io::ErrorKind::FileTooLarge)?;
        let at = self.end.fetch_add(u64::from(len), Ordering::Relaxed);
        write_at(&self.file, bytes, at)?;
        Ok(Place { at, len })
    }

    pub fn read(&self, place: Place) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; place.len as usize];
        read_at(&self.file, &mut bytes, place.at)?;
        Ok(bytes)
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(limit: usize, parts: &[&[u8]]) -> Spilled {
        let mut w = SpillWriter::new(limit);
        for p in parts {
            w.write_all(p).unwrap();
        }
        assert_eq!(w.len(), parts.iter().map(|p| p.len() as u64).sum::<u64>());
        w.finish().unwrap()
    }

    fn read(s: &Spilled) -> Vec<u8> {
        let mut out = Vec::new();
        s.copy_to(&mut out).unwrap();
        out
    }

    #[test]
    fn bytes_stay_in_memory_up_to_the_limit_and_move_to_a_file_past_it() {
        let parts: [&[u8]; 3] = [b"abc", "第二段".as_bytes(), b"xyz"];
        let all: Vec<u8> = parts.concat();
        let at_limit = written(all.len(), &parts);
        assert!(matches!(at_limit, Spilled::Memory(_)), "{at_limit:?}");
        assert_eq!(read(&at_limit), all);
        let past = written(all.len() - 1, &parts);
        assert!(matches!(past, Spilled::File(..)), "{past:?}");
        assert_eq!(past.len(), all.len() as u64);
        // Read twice (a district's own file and the site's), the same bytes each time.
        assert_eq!(read(&past), all);
        assert_eq!(read(&past), all);
        // A range of it (a district's part of the site's buffer), from memory and from the
        // file alike; past the end, an error.
        for s in [&at_limit, &past] {
            let mut part = Vec::new();
            s.copy_range_to(3, 9, &mut part).unwrap();
            assert_eq!(part, &all[3..12]);
            let mut none = Vec::new();
            assert!(s.copy_range_to(5, all.len() as u64, &mut none).is_err());
        }
        let empty = written(0, &[]);
        assert!(empty.len() == 0 && read(&empty).is_empty());
    }

    #[test]
    fn a_file_read_on_several_threads_gives_each_the_whole() {
        let big: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let s = written(1024, &[&big]);
        assert!(matches!(s, Spilled::File(..)));
        std::thread::scope(|scope| {
            let readers: Vec<_> = (0..4).map(|_| scope.spawn(|| read(&s))).collect();
            for r in readers {
                assert!(r.join().unwrap() == big, "a reader got other bytes");
            }
        });
    }

    #[test]
    fn records_appended_from_several_threads_read_back_by_their_places() {
        let store = Store::new().unwrap();
        let records: Vec<Vec<u8>> = (0..64u32)
            .map(|i| format!("记录{i}：").repeat(i as usize % 7 + 1).into_bytes())
            .collect();
        let places: Vec<Place> = std::thread::scope(|scope| {
            let halves: Vec<_> = records
                .chunks(32)
                .map(|half| {
                    let store = &store;
                    scope.spawn(move || {
                        half.iter()
                            .map(|r| store.append(r).unwrap())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        // Every record has a place of its own, and reads back as written, in any order.
        let mut starts: Vec<u64> = places.iter().map(|p| p.at).collect();
        starts.sort_unstable();
        starts.dedup();
        assert_eq!(starts.len(), records.len());
        for (place, record) in places.iter().zip(&records).rev() {
            assert_eq!(&store.read(*place).unwrap(), record);
        }
        let empty = store.append(b"").unwrap();
        assert!(store.read(empty).unwrap().is_empty());
    }
}
