//! Search: what the site's search box finds, made at build time — the text of each form that a
//! reader searches (goal names, overall goals, indicator names and targets: `FormText`, kept in `Facts` so
//! an incremental build need not read a form again; of a self-evaluation, what was achieved
//! and each indicator's actual), one index file per district
//! (`search/<district>.js`), and the search page's view.
//!
//! An index file is a script, not JSON fetched: browsers refuse `fetch()` of a file next to a
//! page opened from `file://`, but run a `<script src>`. `assets/search.js` adds the script of
//! a district only when the reader searches it, so a city of many districts loads what it
//! needs. The file holds the texts themselves (the results show and highlight them) and the
//! district's vocabulary as segmented by jieba: the page splits a query into those words, and
//! also matches its character bigrams, so "职工帮扶" finds "困难职工帮扶" and "助学金" finds
//! "金秋助学". Ranking runs in the page (`assets/search.js`); the recall test runs that same
//! script in Chromium.
//!
//! The JSON is made safe inside a script: `<` is written `\u003c` (no `</script>`), and U+2028
//! and U+2029 as escapes. Everything is sorted; the output depends on the forms only.

use crate::analyze::District;
use crate::config::SiteConfig;
use crate::model::facts::FormText;
use crate::model::self_evaluation::SelfEvaluation;
use crate::output::views::{self, PageMeta};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The index file of a district's forms.
pub fn index_path(d: &District<'_>) -> String {
    format!("search/{}.js", d.slug)
}

fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// Loads jieba's dictionary (about 0.2 s) on a thread of its own, so that it overlaps reading
/// the forms instead of adding to the build's end.
pub fn warm_up() {
    std::thread::spawn(|| {
        jieba();
    });
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// The words of a text a query may be split into: jieba's dictionary words (search mode, so
/// long words also give their parts) of two or more Chinese characters. Without its HMM for
/// unknown words, which costs time: the page's bigram matching finds those.
fn words_of(text: &str, into: &mut BTreeSet<String>) {
    for t in jieba().cut_for_search(text, false) {
        let w = t.word;
        let n = w.chars().count();
        if (2..=8).contains(&n) && w.chars().all(is_cjk) {
            into.insert(w.to_owned());
        }
    }
}

/// A line of a goal: `[level1 or -1, name, target, vague]`.
type Line<'a> = (i64, &'a str, &'a str, u8);
/// `[department, year, anchor, title, lines]`.
type Doc<'a> = (usize, i32, String, String, Vec<Line<'a>>);

/// One district's index.
#[derive(Hash, Serialize)]
struct Index<'a> {
    v: u32,
    district: &'a str,
    slug: &'a str,
    href: String,
    /// Level-1 categories, sorted; lines point into it.
    l1: Vec<&'a str>,
    /// `[name, page]` of each department.
    deps: Vec<(&'a str, String)>,
    /// `[department, year, anchor, title, lines]`; a line is `[level1 or -1, name, target,
    /// vague]` (an overall goal is a line with -1 and no target).
    docs: Vec<Doc<'a>>,
    /// The district's vocabulary, space-separated.
    words: String,
}

/// The script that adds a district's index: `BudgetSearch.add({...})`.
pub fn district_index(d: &District<'_>) -> String {
    let (texts, l1) = texts_of(d);
    let vocab = texts
        .par_iter()
        .fold(BTreeSet::new, |mut v, t| {
            words_of(t, &mut v);
            v
        })
        .reduce(BTreeSet::new, |mut a, b| {
            a.extend(b);
            a
        });
    let index = Index {
        v: 1,
        district: &d.name,
        slug: &d.slug,
        href: views::district_index(d),
        docs: docs_of(d, &l1),
        l1,
        deps: d
            .departments
            .iter()
            .map(|dep| (dep.name.as_str(), views::department_page(d, dep)))
            .collect(),
        words: vocab.into_iter().collect::<Vec<_>>().join(" "),
    };
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".to_owned());
    format!("BudgetSearch.add({});\n", script_safe(&json))
}

/// The district's distinct texts that hold Chinese (to segment into its vocabulary; names
/// and targets repeat across its forms), and its level-1 categories, sorted.
fn texts_of<'d>(d: &'d District<'_>) -> (Vec<&'d str>, Vec<&'d str>) {
    let mut l1: BTreeSet<&str> = BTreeSet::new();
    let mut texts: BTreeSet<&str> = BTreeSet::new();
    for dep in &d.departments {
        texts.insert(&dep.name);
        for f in &dep.forms {
            let t = &f.facts.search;
            texts.extend(t.overall.iter().map(String::as_str));
            for g in &t.goals {
                texts.insert(&g.name);
                for i in &g.indicators {
                    if !i.level1.is_empty() {
                        l1.insert(&i.level1);
                    }
                    texts.insert(&i.name);
                    texts.insert(&i.target);
                }
            }
        }
        for f in &dep.evaluations {
            let e = &f.evaluation.form;
            texts.extend(e.goals.iter().filter_map(|g| g.achieved.as_deref()));
            for i in &e.indicators {
                texts.extend(i.name.as_deref());
                texts.extend(i.actual.as_deref());
            }
        }
    }
    let texts = texts
        .into_iter()
        .filter(|t| t.chars().any(is_cjk))
        .collect();
    (texts, l1.into_iter().collect())
}

/// A document per form's overall goals and per goal: what a result shows and links to.
fn docs_of<'d>(d: &'d District<'_>, l1: &[&str]) -> Vec<Doc<'d>> {
    let l1_index = |s: &str| l1.iter().position(|x| *x == s).map_or(-1, |i| i as i64);
    let mut docs = Vec::new();
    for (di, dep) in d.departments.iter().enumerate() {
        for f in &dep.forms {
            let t = &f.facts.search;
            let anchor = format!("y{}", f.year);
            if !t.overall.is_empty() {
                let lines = t.overall.iter().map(|o| (-1, o.as_str(), "", 0)).collect();
                docs.push((di, f.year, anchor.clone(), "整体绩效目标".to_owned(), lines));
            }
            for (gi, g) in t.goals.iter().enumerate() {
                let lines = g
                    .indicators
                    .iter()
                    .map(|i| {
                        let vague = !crate::model::quality::is_measurable(&i.target);
                        (
                            l1_index(&i.level1),
                            i.name.as_str(),
                            i.target.as_str(),
                            u8::from(vague),
                        )
                    })
                    .collect();
                let title = if g.name.is_empty() {
                    "绩效指标".to_owned()
                } else {
                    g.name.clone()
                };
                docs.push((di, f.year, format!("{anchor}-g{}", gi + 1), title, lines));
            }
        }
        // A self-evaluation: what was achieved of each overall goal, and each indicator with
        // its actual.
        for f in &dep.evaluations {
            let e = &f.evaluation.form;
            let mut lines: Vec<Line<'d>> = e
                .goals
                .iter()
                .filter_map(|g| g.achieved.as_deref())
                .map(|a| (-1, a, "", 0))
                .collect();
            lines.extend(e.indicators.iter().map(|i| {
                (
                    l1_index(i.level1.as_deref().unwrap_or("")),
                    i.name.as_deref().unwrap_or(""),
                    i.actual.as_deref().unwrap_or(""),
                    0,
                )
            }));
            docs.push((
                di,
                f.year,
                format!("e{}", f.year),
                format!("{}年度绩效自评", f.year),
                lines,
            ));
        }
    }
    docs
}

/// A department's name, slug and each form's year and text.
type DepartmentText<'d> = (&'d str, &'d str, Vec<(i32, &'d FormText)>);

/// Everything a district's index is made from, for the build's change key.
pub fn index_input<'d>(d: &'d District<'_>) -> impl std::hash::Hash + 'd {
    let deps: Vec<(DepartmentText<'d>, Vec<(i32, &'d SelfEvaluation)>)> = d
        .departments
        .iter()
        .map(|dep| {
            let forms = dep
                .forms
                .iter()
                .map(|f| (f.year, &f.facts.search))
                .collect();
            let evaluations: Vec<(i32, &SelfEvaluation)> = dep
                .evaluations
                .iter()
                .map(|f| (f.year, &f.evaluation.form))
                .collect();
            ((dep.name.as_str(), dep.slug.as_str(), forms), evaluations)
        })
        .collect();
    (d.name.as_str(), d.slug.as_str(), deps)
}

/// JSON that can sit inside a `<script>`: no `<` (so no `</script>` or `<!--`), and no raw
/// U+2028/U+2029 (line terminators in older JavaScript). `<` only occurs inside strings in
/// JSON, where `\u003c` means the same.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The search page.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct SearchView {
    pub meta: PageMeta,
    pub districts: Vec<DistrictOption>,
    pub years: Vec<i32>,
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct DistrictOption {
    pub name: String,
    pub slug: String,
    /// Its index script and its table of departments, from the site root.
    pub index: String,
    pub href: String,
    pub departments: usize,
}

pub const PAGE: &str = "search.html";

pub fn view(districts: &[District<'_>], config: &SiteConfig) -> SearchView {
    let mut meta = PageMeta::new(config, "搜索", PAGE, "search");
    meta.sample_data = districts.iter().any(|d| d.sample_data);
    let years: BTreeSet<i32> = districts.iter().flat_map(|d| d.years.clone()).collect();
    let categories: BTreeSet<String> = districts
        .iter()
        .flat_map(|d| &d.departments)
        .flat_map(|dep| &dep.forms)
        .flat_map(|f| &f.facts.search.goals)
        .flat_map(|g| &g.indicators)
        .map(|i| i.level1.clone())
        .filter(|l| !l.is_empty())
        .collect();
    SearchView {
        meta,
        districts: districts
            .iter()
            .map(|d| DistrictOption {
                name: d.name.clone(),
                slug: d.slug.clone(),
                index: index_path(d),
                href: views::district_index(d),
                departments: d.departments.len(),
            })
            .collect(),
        years: years.into_iter().rev().collect(),
        categories: categories.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_json_cannot_close_its_script_or_break_a_line() {
        let json = serde_json::to_string(&"</script><!-- a\u{2028}b\u{2029} & >").unwrap();
        let safe = script_safe(&json);
        assert!(!safe.contains('<') && !safe.contains('>'));
        assert!(!safe.contains('\u{2028}') && !safe.contains('\u{2029}'));
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "</script><!-- a\u{2028}b\u{2029} & >");
    }

    #[test]
    fn the_vocabulary_holds_jieba_words_and_their_parts() {
        let mut v = BTreeSet::new();
        words_of("开展困难职工帮扶工作，金秋助学", &mut v);
        assert!(v.contains("职工"), "{v:?}");
        assert!(v.contains("帮扶"), "{v:?}");
        assert!(v.contains("助学"), "{v:?}");
        assert!(v.iter().all(|w| w.chars().count() >= 2));
    }
}
