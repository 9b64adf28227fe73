//! The indicator taxonomy of spec §3: level-1 categories and the level-2 names each
//! allows. Names compare without spaces and without a trailing `指标`.

use crate::text::label;

/// (level-1, its level-2 names) in catalog order.
const TAXONOMY: &[(&str, &[&str])] = &[
    ("产出", &["数量", "质量", "时效", "成本"]),
    (
        "效益",
        &[
            "经济效益",
            "社会效益",
            "生态效益",
            "可持续影响",
            "服务对象满意度",
        ],
    ),
    ("满意度", &["服务对象满意度"]),
    ("成本", &["经济成本", "社会成本", "生态环境成本"]),
];

/// Spellings that mean a catalog name: 环境效益 is 生态效益 (spec), and the form's own footnote
/// asks for 可持续发展影响, which is the catalog's 可持续影响.
const SYNONYMS: &[(&str, &str)] = &[("环境效益", "生态效益"), ("可持续发展影响", "可持续影响")];

/// A name as the taxonomy compares it: `服务对象满意度 指标` → `服务对象满意度`.
pub fn stem(name: &str) -> String {
    let l = label(name);
    let stem = l.strip_suffix("指标").unwrap_or(&l);
    SYNONYMS
        .iter()
        .find(|(from, _)| *from == stem)
        .map_or(stem, |(_, to)| to)
        .to_owned()
}

/// The level-1 category a name denotes (`产出`, `效益`, `满意度`, `成本`), if any.
pub fn level1(name: &str) -> Option<&'static str> {
    let s = stem(name);
    TAXONOMY.iter().map(|(l1, _)| *l1).find(|l1| *l1 == s)
}

/// The level-2 names allowed under a level-1 category.
pub fn level2_of(level1: &str) -> &'static [&'static str] {
    TAXONOMY
        .iter()
        .find(|(l1, _)| *l1 == level1)
        .map_or(&[], |(_, l2)| l2)
}

/// Every level-2 name of the catalog (stems), for recognising them in the text export.
/// Whether `name` is a level-2 name of any category (or one of its synonyms), without
/// collecting them (the reader asks this of many cells).
pub fn is_any_level2(name: &str) -> bool {
    TAXONOMY.iter().any(|(_, l2)| l2.contains(&name))
        || SYNONYMS.iter().any(|(from, _)| *from == name)
}

pub fn all_level2() -> Vec<&'static str> {
    let mut v: Vec<&str> = TAXONOMY
        .iter()
        .flat_map(|(_, l2)| l2.iter().copied())
        .collect();
    v.extend(SYNONYMS.iter().map(|(from, _)| *from));
    v
}

/// The allowed level-2 names of a category, for messages: `数量指标、质量指标…`.
pub fn describe_level2(level1: &str) -> String {
    level2_of(level1)
        .iter()
        .map(|s| format!("{s}指标"))
        .collect::<Vec<_>>()
        .join("、")
}

/// A level-1 category (as `level1` names it) that measures what a goal produces.
pub fn is_output(level1: &str) -> bool {
    level1 == "产出"
}

/// A level-1 category that measures what a goal achieves: its benefits or its users'
/// satisfaction. A goal is complete with an output and a benefit indicator.
pub fn is_benefit(level1: &str) -> bool {
    matches!(level1, "效益" | "满意度")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_synonyms() {
        assert_eq!(level1("产出指标"), Some("产出"));
        assert_eq!(level1("满意度"), Some("满意度"));
        assert_eq!(level1("社会指标"), None);
        assert_eq!(stem("环境效益指标"), "生态效益");
        assert_eq!(stem("可持续发展影响指标"), "可持续影响");
        assert!(level2_of("效益").contains(&stem("服务对象满意度指标").as_str()));
        assert!(!level2_of("产出").contains(&"效率"));
    }
}
