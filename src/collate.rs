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
/// such as 市/事 stay apart and stay put).
pub fn names(a: &str, b: &str) -> Ordering {
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
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
        assert_eq!(names("市", "事"), "市".cmp("事"));
    }
}
