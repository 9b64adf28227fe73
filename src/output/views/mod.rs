//! View structs: exactly what the templates see, built from the analyzed model. Templates never
//! touch the model, so the model can change without breaking users' template overrides, and
//! every number reaches a page already formatted (`1,234.56`, `93.58%`).

use crate::analyze::stats::{
    DepartmentFigures, DistrictFigures, OutlierKind, Spread, YearFiguresRow,
};
use crate::analyze::{Department, District, Form, SiteModel};
use crate::config::SiteConfig;
use crate::diagnostic::{Code, Counts, Diagnostic, Severity};
use crate::format::{money, percent, plain};
use crate::model::amounts::Amounts;
use crate::model::quality::Quality;
use crate::model::taxonomy;
use crate::model::{BudgetLine, Declaration, Row};
use crate::output::charts::{Chart, ChartKind, ChartTable, Series};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

mod dashboard;
mod department;
mod district;
mod home;
mod report;
mod self_eval;

pub use dashboard::*;
pub use department::*;
pub use district::*;
pub use home::*;
pub use report::*;
pub use self_eval::*;

/// What every page knows about itself and the site.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct PageMeta {
    pub site_title: String,
    pub title: String,
    /// Relative prefix to the site root (`""`, `"../"`): links work from `file://` and under
    /// any path.
    pub root: String,
    /// This page's path from the root, for canonical links.
    pub path: String,
    pub canonical: Option<String>,
    pub footer: String,
    /// `home`, `district`, `department`, `report`, `content`: which nav entry is current.
    pub section: String,
    /// Fictional sample data: shown prominently on the page.
    pub sample_data: bool,
    pub nav: Vec<NavLink>,
    /// The feed of the page's district (`<district>/feed.xml`), beside the site's in the head.
    pub district_feed: Option<String>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct NavLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

impl PageMeta {
    pub fn new(config: &SiteConfig, title: &str, path: &str, section: &str) -> PageMeta {
        let depth = path.matches('/').count();
        let root = "../".repeat(depth);
        let canonical = (!config.base_path.is_empty())
            .then(|| format!("{}/{}", config.base_path.trim_end_matches('/'), path));
        let link = |label: &str, target: &str, key: &str| NavLink {
            label: label.to_owned(),
            href: format!("{root}{target}"),
            current: section == key,
        };
        PageMeta {
            site_title: config.title.clone(),
            title: title.to_owned(),
            nav: vec![
                link("首页", "index.html", "home"),
                link("校验报告", "report.html", "report"),
                link("说明", "about.html", "content"),
            ],
            root,
            path: path.to_owned(),
            canonical,
            footer: config.footer.clone(),
            section: section.to_owned(),
            sample_data: false,
            district_feed: None,
        }
    }
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub summary: String,
    pub table: ChartTable,
}

impl From<Chart> for ChartView {
    fn from(c: Chart) -> Self {
        ChartView {
            id: c.id.clone(),
            title: c.title.clone(),
            svg: c.to_svg(),
            summary: c.summary(),
            table: c.table(),
        }
    }
}

/// Page paths, relative to the site root.
pub fn district_index(d: &District<'_>) -> String {
    format!("{}/index.html", d.slug)
}
pub fn department_page(d: &District<'_>, dep: &Department<'_>) -> String {
    department_href("", d, dep)
}

/// `department_page` from a page whose way to the site's root is `root`: joined without
/// `format!`, as a district's tables make one per department and year (its machinery was a
/// seventh of making a year's rows).
pub fn department_href(root: &str, d: &District<'_>, dep: &Department<'_>) -> String {
    [root, &d.slug, "/", &dep.slug, ".html"].concat()
}
pub fn declaration_json(d: &District<'_>, dep: &Department<'_>, year: i32) -> String {
    format!("{}/data/{}-{year}.json", d.slug, dep.slug)
}
pub fn district_table(d: &District<'_>, ext: &str) -> String {
    format!("{}/data/departments.{ext}", d.slug)
}

pub fn district_json(d: &District<'_>) -> String {
    format!("{}/data/district.json", d.slug)
}
pub fn dashboard_page(d: &District<'_>) -> String {
    format!("{}/dashboard.html", d.slug)
}
/// A ranking longer than twice this shows its first and last this many (`ends`); the rest
/// are in the downloads. The quality board's rows and the ranking chart's bars, each.
pub const BOARD_ENDS: usize = 100;
pub const CHART_ENDS: usize = 25;

/// The first and last `n` of a ranking, and how many between them were left out: the whole
/// ranking when it has at most `2 × n`.
pub fn ends<T>(mut ranking: Vec<T>, n: usize) -> (Vec<T>, usize) {
    if ranking.len() <= 2 * n {
        return (ranking, 0);
    }
    let left_out = ranking.len() - 2 * n;
    ranking.drain(n..n + left_out);
    (ranking, left_out)
}

/// Rows a district's or a year's table lists on one page at most; the whole table is in the
/// downloads (CSV, XLSX, JSON).
pub const TABLE_PAGE_ROWS: usize = 300;

/// The path of a listing's page `n` (1-based): `a/index.html`, then `a/index-2.html`, …
/// (`analyze::is_listing_page` keeps department pages off these names).
pub fn paged(first: &str, n: usize) -> String {
    if n <= 1 {
        return first.to_owned();
    }
    match first.strip_suffix("index.html") {
        Some(dir) => format!("{dir}index-{n}.html"),
        None => format!("{}-{n}.html", first.trim_end_matches(".html")),
    }
}

/// The pager of a listing of `count` pages whose first is `first` (links from the site root);
/// empty for a listing of one page.
pub fn pager(first: &str, count: usize, current: usize) -> Vec<PageLink> {
    if count <= 1 {
        return Vec::new();
    }
    (1..=count)
        .map(|n| PageLink {
            number: n,
            href: paged(first, n),
            current: n == current,
        })
        .collect()
}

impl PageMeta {
    /// This page's meta for page `n` of `count` at `path`: its own path, canonical link and
    /// title (`…（第 2 页，共 3 页）`); the same folder, so every relative link still holds.
    pub fn for_page(&self, path: &str, n: usize, count: usize) -> PageMeta {
        let mut meta = self.clone();
        meta.canonical = self.canonical.as_ref().map(|c| {
            let base = c.strip_suffix(self.path.as_str()).unwrap_or(c);
            format!("{base}{path}")
        });
        meta.path = path.to_owned();
        if count > 1 {
            meta.title = format!("{}（第 {n} 页，共 {count} 页）", self.title);
        }
        meta
    }
}

pub fn year_page(d: &District<'_>, year: i32) -> String {
    format!("{}/years/{year}/index.html", d.slug)
}
pub fn year_table(d: &District<'_>, year: i32, ext: &str) -> String {
    format!("{}/years/{year}/departments.{ext}", d.slug)
}

/// The district page's context: the page and the district.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct DistrictPage {
    pub meta: PageMeta,
    pub d: DistrictView,
}

#[cfg(test)]
mod paging_tests {
    use super::*;

    #[test]
    fn a_ranking_keeps_its_ends_and_counts_what_it_leaves_out() {
        assert_eq!(
            ends((1..=6).collect::<Vec<_>>(), 3),
            (vec![1, 2, 3, 4, 5, 6], 0)
        );
        assert_eq!(
            ends((1..=7).collect::<Vec<_>>(), 3),
            (vec![1, 2, 3, 5, 6, 7], 1)
        );
        assert_eq!(ends(Vec::<u8>::new(), 3), (vec![], 0));
        // Shorter than both ends together: whole, nothing left out.
        assert_eq!(
            ends((1..=5).collect::<Vec<_>>(), 3),
            (vec![1, 2, 3, 4, 5], 0)
        );
        assert_eq!(ends((1..=7).collect::<Vec<_>>(), 4), ((1..=7).collect(), 0));
    }

    #[test]
    fn further_pages_sit_beside_the_first() {
        assert_eq!(paged("a/index.html", 1), "a/index.html");
        assert_eq!(paged("a/index.html", 2), "a/index-2.html");
        assert_eq!(
            paged("a/years/2021/index.html", 3),
            "a/years/2021/index-3.html"
        );
        assert!(crate::analyze::is_listing_page("index-12"));
        assert!(!crate::analyze::is_listing_page("index-"));
        assert!(!crate::analyze::is_listing_page("index-2a"));
        assert!(pager("a/index.html", 1, 1).is_empty());
        let p = pager("a/index.html", 3, 2);
        assert_eq!(p.len(), 3);
        assert!(p[1].current && !p[0].current && p[2].href == "a/index-3.html");
    }

    /// A further page has its own path and canonical link in the same folder, and its title
    /// says which page of how many; a listing of one page keeps its title.
    #[test]
    fn a_further_pages_meta_names_it() {
        let meta = PageMeta {
            site_title: "公开".into(),
            title: "示例区".into(),
            root: "../".into(),
            path: "qu/index.html".into(),
            canonical: Some("https://example.org/site/qu/index.html".into()),
            footer: String::new(),
            section: "district".into(),
            sample_data: false,
            nav: Vec::new(),
            district_feed: None,
        };
        let second = meta.for_page("qu/index-2.html", 2, 3);
        assert_eq!(second.title, "示例区（第 2 页，共 3 页）");
        assert_eq!(second.path, "qu/index-2.html");
        assert_eq!(
            second.canonical.as_deref(),
            Some("https://example.org/site/qu/index-2.html")
        );
        assert_eq!(second.root, "../");
        assert_eq!(meta.for_page("qu/index.html", 1, 1).title, "示例区");
        assert_eq!(
            meta.for_page("qu/index.html", 1, 2).title,
            "示例区（第 1 页，共 2 页）"
        );
    }
}
