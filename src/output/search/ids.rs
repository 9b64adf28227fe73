//! Department lists as the search index writes them (`encode_ids`): the gaps between sorted
//! department numbers in a base-64 alphabet, or a bitmap of all departments when shorter;
//! `IdList` grows one while an index is made, `decode_ids` reads one back (as the page does).

pub(super) const ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A sorted list of department numbers as text: either gaps as variable-length numbers in
/// base 64 (5 bits a character, the sixth says "more follows"), or, when shorter, `*` and a
/// bitmap of all `n` departments, 6 to a character. Nothing in it needs escaping in JSON.
pub fn encode_ids(ids: &[usize], n: usize) -> String {
    let mut list = IdList::default();
    for &id in ids {
        list.push(id);
    }
    list.into_encoded(n)
}

/// The value of an `ALPHABET` character.
pub(super) fn digit(c: u8) -> usize {
    usize::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        _ => 63,
    })
}

/// A sorted list of department numbers while an index is made, kept as `encode_ids` writes
/// its gaps (a character for most): at 20,000 departments every token's numbers as `u32`s were
/// 47 MB held to the end of the index.
#[derive(Debug, Default)]
pub(super) struct IdList {
    pub(super) gaps: Vec<u8>,
    /// The last number pushed, plus one (0: none yet).
    next: usize,
}

impl IdList {
    /// Adds `id`, greater than every number before it.
    pub(super) fn push(&mut self, id: usize) {
        let mut gap = id.saturating_sub(self.next);
        self.next = id + 1;
        while gap >= 32 {
            self.gaps.push(ALPHABET[32 | (gap & 31)]);
            gap >>= 5;
        }
        self.gaps.push(ALPHABET[gap]);
    }

    /// The numbers back, from their gaps.
    pub(super) fn ids(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let (mut next, mut gap, mut shift) = (0usize, 0usize, 0u32);
        for &c in &self.gaps {
            let v = digit(c);
            gap |= (v & 31) << shift;
            if v & 32 != 0 {
                shift += 5;
            } else {
                let id = next + gap;
                out.push(id);
                next = id + 1;
                (gap, shift) = (0, 0);
            }
        }
        out
    }

    /// The gaps, or `*` and a bitmap of all `n` departments when that is shorter.
    pub(super) fn into_encoded(self, n: usize) -> String {
        let bitmap_len = 1 + n.div_ceil(6);
        if bitmap_len >= self.gaps.len() {
            // ALPHABET is ASCII.
            return String::from_utf8(self.gaps).unwrap_or_default();
        }
        let mut bits = vec![0u8; n.div_ceil(6)];
        for id in self.ids().into_iter().filter(|&id| id < n) {
            bits[id / 6] |= 1 << (id % 6);
        }
        let mut out = String::with_capacity(bitmap_len);
        out.push('*');
        out.extend(bits.into_iter().map(|b| ALPHABET[b as usize] as char));
        out
    }
}

/// The department numbers of a list `encode_ids` wrote (what the page's `ids` reads): for the
/// tests and benches that check an index's lists.
pub fn decode_ids(s: &str) -> Vec<usize> {
    let digit = |c: char| ALPHABET.iter().position(|&a| a as char == c).unwrap();
    if let Some(bits) = s.strip_prefix('*') {
        return bits
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let v = digit(c);
                (0..6)
                    .filter(move |b| v & (1 << b) != 0)
                    .map(move |b| i * 6 + b)
            })
            .collect();
    }
    let (mut out, mut prev, mut val, mut shift) = (Vec::new(), -1i64, 0i64, 0);
    for c in s.chars() {
        let v = digit(c) as i64;
        val += (v & 31) << shift;
        if v & 32 != 0 {
            shift += 5;
        } else {
            prev += val + 1;
            out.push(prev as usize);
            val = 0;
            shift = 0;
        }
    }
    out
}
