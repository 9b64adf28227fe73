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

/// A fast stable hash of bytes (FNV-1a over 8-byte words): tells a changed file from an
/// unchanged one; not a published format.
pub fn digest(bytes: &[u8]) -> u64 {
    let mut h = OFFSET;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(PRIME);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    (h ^ bytes.len() as u64).wrapping_mul(PRIME)
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
