//! Chinese names in the order readers expect: by pinyin, as dictionaries and phone books order
//! them (`财政局` before `中共…委办公室`), not by code point. Characters without a reading
//! (digits, Latin letters, punctuation) sort as themselves.

use pinyin::ToPinyin;
use std::cmp::Ordering;

/// The key a name sorts by: each character's plain pinyin (or the character itself), separated
/// by spaces so that `xi an` and `xian` stay apart.
pub fn key(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 2);
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        if !out.is_empty() {
            out.push(' ');
        }
        match p {
            Some(p) => out.push_str(p.plain()),
            None => out.push(c),
        }
    }
    out
}

/// Compares two names by pinyin, then by the names themselves (a complete order: homophones
/// such as 市/事 stay apart and stay put). The keys' bytes are compared as they are made, not
/// built as strings: sorts call this for every comparison (45 M instructions in allocations at
/// 2,000 departments), and two names most often differ in their first characters.
pub fn names(a: &str, b: &str) -> Ordering {
    key_bytes(a).cmp(key_bytes(b)).then_with(|| a.cmp(b))
}

/// The bytes of `key(name)`, a character at a time.
fn key_bytes(name: &str) -> impl Iterator<Item = u8> + '_ {
    name.chars()
        .zip(name.to_pinyin())
        .enumerate()
        .flat_map(|(i, (c, p))| {
            // A space, then the reading (at most six letters) or the character (at most four
            // bytes).
            let mut buf = [b' '; 8];
            let len = match p {
                Some(p) => {
                    let reading = p.plain().as_bytes();
                    buf[1..=reading.len()].copy_from_slice(reading);
                    reading.len()
                }
                None => c.encode_utf8(&mut buf[1..5]).len(),
            };
            buf.into_iter().take(len + 1).skip(usize::from(i == 0))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_pinyin() {
        let mut v = vec![
            "中共示例区委办公室",
            "示例区财政局",
            "示例区安监局",
            "财政局",
            "2号楼",
        ];
        v.sort_by(|a, b| names(a, b));
        assert_eq!(
            v,
            [
                "2号楼",
                "财政局",
                "示例区安监局",
                "示例区财政局",
                "中共示例区委办公室"
            ]
        );
        assert_eq!(key("西安"), "xi an");
        assert_eq!(names("西安", "先"), "xi an".cmp("xian"));
        assert_eq!(names("市", "事"), "市".cmp("事"));
    }

    /// `names` compares the bytes of `key` as `key`'s strings would: every reading fits the
    /// buffer, and random names (CJK, digits, Latin, punctuation, empty) order the same.
    #[test]
    fn names_order_as_their_keys_do() {
        for c in ('\u{3400}'..='\u{9fff}').chain('\u{20000}'..='\u{2a6df}') {
            let mut s = String::new();
            s.push(c);
            assert!(key(&s).len() <= 7, "{c}: {}", key(&s));
        }
        let alphabet: Vec<char> = "示例区财政局中共委办公室西安先市事2号楼aZ-（）· 鍂𠀀"
            .chars()
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20_000 {
            let mut word = || -> String {
                (0..next(6))
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect()
            };
            let (a, b) = (word(), word());
            let expected = key(&a).cmp(&key(&b)).then_with(|| a.cmp(&b));
            assert_eq!(names(&a, &b), expected, "{a} / {b}");
        }
    }
}
