//! Who is who across files: departments are matched by name after normalising spaces and
//! full-width characters, and the `[aliases]` table of `site.toml` maps old names to new ones
//! (机构改革 renames departments), so a renamed department keeps one series and one page.

use crate::text::half_width;
use std::collections::BTreeMap;

/// The key departments are matched by: half-width, no spaces.
pub fn normalise(name: &str) -> String {
    // One pass into one allocation: every form's name is matched twice a build.
    let mut key = String::with_capacity(name.len());
    key.extend(name.chars().map(half_width).filter(|c| !c.is_whitespace()));
    key
}

/// Old name → new name, both normalised. Chains (A → B → C) resolve to the last name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases {
    map: BTreeMap<String, String>,
}

impl Aliases {
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a String)>) -> Aliases {
        Aliases {
            map: pairs
                .into_iter()
                .map(|(old, new)| (normalise(old), normalise(new)))
                .filter(|(old, new)| old != new)
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The matching key of a department name: normalised, then followed through the aliases
    /// (at most as many steps as there are aliases, so a cycle cannot loop forever).
    pub fn key(&self, name: &str) -> String {
        let mut key = normalise(name);
        for _ in 0..=self.map.len() {
            match self.map.get(&key) {
                Some(next) => key.clone_from(next),
                None => break,
            }
        }
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_across_widths_spaces_and_aliases() {
        let none = Aliases::default();
        assert_eq!(none.key("示例区 教育局"), none.key("示例区教育局"));
        assert_eq!(none.key("示例区（Ａ）局"), "示例区(A)局");
        let old = "示例区 文体局".to_owned();
        let mid = "示例区文化和旅游局".to_owned();
        let new = "示例区文化旅游体育局".to_owned();
        let a = Aliases::new([(&old, &mid), (&mid, &new)]);
        assert_eq!(a.key("示例区文体局"), "示例区文化旅游体育局");
        assert_eq!(a.key("示例区文化和旅游局"), "示例区文化旅游体育局");
        let x = "甲".to_owned();
        let y = "乙".to_owned();
        let cycle = Aliases::new([(&x, &y), (&y, &x)]);
        // A cycle stops after one step more than there are aliases (here 3: 甲→乙→甲→乙), so
        // the answer is fixed and the same on every run, not merely one of the two.
        assert_eq!(cycle.key("甲"), "乙");
        assert_eq!(cycle.key("乙"), "甲");
        // Without a cycle a chain is followed to its end however long it is.
        let names: Vec<String> = (0..6).map(|i| format!("局{i}")).collect();
        let chain = Aliases::new(names.iter().zip(names.iter().skip(1)));
        assert_eq!(chain.key("局0"), "局5");
        assert_eq!(chain.key("局 3"), "局5");
        assert_eq!(chain.key("局5"), "局5");
        assert!(!chain.is_empty() && Aliases::default().is_empty());
    }
}
