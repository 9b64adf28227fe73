//! The project's one stable hasher: FNV-1a, 64 bits, the same on every machine and Rust
//! version (unlike `DefaultHasher`). It fingerprints inputs and outputs for the build cache
//! (a page's view is keyed through its derived `Hash`), checksums the cache and the
//! publisher's journal, and names anchors (`slug`). Nothing here is a security boundary.

use std::hash::Hasher;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a as a `Hasher`, so anything that derives `Hash` can be fingerprinted with it.
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }
}

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(OFFSET)
    }
    /// A string with its length first, so that `("ab", "c")` and `("a", "bc")` differ.
    pub fn text(&mut self, s: &str) {
        self.write_u64(s.len() as u64);
        self.write(s.as_bytes());
    }
    /// Long byte strings (file contents), hashed a word at a time.
    pub fn bytes(&mut self, b: &[u8]) {
        self.write_u64(digest(b));
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Fnv::new()
    }
}

/// `digest` of bytes that come in parts (a file written as it is made): the same value as
/// `digest` of the parts joined.
pub struct Digest {
    h: u64,
    /// Bytes of an unfinished word.
    word: [u8; 8],
    filled: usize,
    len: u64,
}

impl Digest {
    pub fn new() -> Digest {
        Digest {
            h: OFFSET,
            word: [0; 8],
            filled: 0,
            len: 0,
        }
    }

    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.filled > 0 {
            let take = (8 - self.filled).min(bytes.len());
            self.word[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled < 8 {
                return;
            }
            self.h = (self.h ^ u64::from_le_bytes(self.word)).wrapping_mul(PRIME);
            self.filled = 0;
        }
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.h = (self.h ^ u64::from_le_bytes(w)).wrapping_mul(PRIME);
        }
        let rest = chunks.remainder();
        self.word[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// The digest and the number of bytes.
    pub fn finish(&self) -> (u64, u64) {
        let mut h = self.h;
        for &b in &self.word[..self.filled] {
            h = (h ^ u64::from(b)).wrapping_mul(PRIME);
        }
        ((h ^ self.len).wrapping_mul(PRIME), self.len)
    }
}

impl Default for Digest {
    fn default() -> Self {
        Digest::new()
    }
}

/// A writer that digests what passes through it (`Digest`): a file written as it is made gets
/// the `digest` of its bytes.
pub struct Digesting<W> {
    pub inner: W,
    pub digest: Digest,
}

impl<W: std::io::Write> Digesting<W> {
    pub fn new(inner: W) -> Self {
        Digesting {
            inner,
            digest: Digest::new(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for Digesting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.digest.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A fast stable hash of bytes (FNV-1a over 8-byte words): tells a changed file from an
/// unchanged one; not a published format.
pub fn digest(bytes: &[u8]) -> u64 {
    let mut d = Digest::new();
    d.update(bytes);
    d.finish().0
}

/// A short stable ASCII slug for a name: FNV-1a, 48 bits as 12 hex digits. Used for anchors,
/// not for addresses people read (those are `analyze::readable_slug`).
pub fn slug(name: &str) -> String {
    let mut h = Fnv::new();
    h.write(name.as_bytes());
    format!("{:012x}", h.finish() >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digest as first defined, word by word over the whole: what `Digest` (and `digest`,
    /// made from it) must give, for the manifests and caches already written.
    fn whole_words(bytes: &[u8]) -> u64 {
        let mut h = OFFSET;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            h = (h ^ u64::from_le_bytes(c.try_into().unwrap())).wrapping_mul(PRIME);
        }
        for &b in chunks.remainder() {
            h = (h ^ u64::from(b)).wrapping_mul(PRIME);
        }
        (h ^ bytes.len() as u64).wrapping_mul(PRIME)
    }

    /// A file written as it is made is digested in parts: every split of every length up to
    /// three words, in two and three parts, gives the digest of the whole.
    #[test]
    fn a_digest_in_parts_is_the_digest_of_the_whole() {
        let bytes: Vec<u8> = (0u8..27).map(|b| b.wrapping_mul(37) ^ 0x5a).collect();
        for n in 0..=bytes.len() {
            let whole = &bytes[..n];
            for i in 0..=n {
                for j in i..=n {
                    let mut d = Digest::new();
                    d.update(&whole[..i]);
                    d.update(&whole[i..j]);
                    d.update(&whole[j..]);
                    assert_eq!(
                        d.finish(),
                        (whole_words(whole), n as u64),
                        "{n} bytes at {i}, {j}"
                    );
                }
            }
            assert_eq!(digest(whole), whole_words(whole), "{n} bytes whole");
        }
    }

    #[test]
    fn known_values() {
        // FNV-1a 64 of "" is the offset basis; of "a" the published test vector.
        assert_eq!(Fnv::new().finish(), 0xcbf2_9ce4_8422_2325);
        let mut h = Fnv::new();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn slugs_are_stable_ascii_and_distinct() {
        // FNV-1a 64 of the published test vectors ("" is the offset basis; "a" and "foobar"
        // hash to af63dc4c8601ec8c and 85944171f73967e8), top 48 bits: a slug never changes
        // between versions, so published addresses survive.
        assert_eq!(slug(""), "cbf29ce48422");
        assert_eq!(slug("a"), "af63dc4c8601");
        assert_eq!(slug("foobar"), "85944171f739");
        // Pinned addresses of the sample (computed outside the crate from the same
        // definition over the UTF-8 bytes).
        assert_eq!(slug("武汉市新洲区总工会"), "cfd5414f973c");
        assert_eq!(slug("district:示例区"), "3c4f63c3b68f");
        assert!(slug("武汉市新洲区总工会")
            .bytes()
            .all(|b| b.is_ascii_hexdigit()));
        assert_ne!(slug("示例区教育局"), slug("示例区财政局"));
    }

    #[test]
    fn digest_tells_bytes_and_lengths_apart() {
        assert_ne!(digest(b""), digest(b"\0"));
        assert_ne!(digest(b"12345678"), digest(b"12345679"));
        assert_ne!(digest(b"abc"), digest(b"abd"));
        assert_eq!(digest(b"same bytes"), digest(b"same bytes"));
    }

    #[test]
    fn text_is_length_prefixed() {
        let (mut a, mut b) = (Fnv::new(), Fnv::new());
        a.text("ab");
        a.text("c");
        b.text("a");
        b.text("bc");
        assert_ne!(a.finish(), b.finish());
    }
}
