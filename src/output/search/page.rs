//! The search page (`search.html`): the districts a reader may search, with their indexes,
//! the years and the level-1 categories to filter by; and what it is made of
//! (`page_input`), by which a rebuild keys it.

use super::index_path;
use crate::analyze::District;
use crate::config::SiteConfig;
use crate::model::facts::FormText;
use crate::output::views::{self, PageMeta};
use serde::Serialize;
use std::collections::BTreeSet;

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

/// What the search page's view (`view`) is made of besides the config: each district's name,
/// address, size and years, whether it is sample data, and every form's search text (by its
/// digest, which covers the level-1 categories the page offers). A rebuild keys the page by
/// it and makes the view only when it changed: the categories are a scan of every indicator
/// (40 ms at 60,000 forms).
pub fn page_input<'d>(districts: &'d [District<'_>]) -> impl std::hash::Hash + 'd {
    districts
        .iter()
        .map(|d| {
            let texts: Vec<&FormText> = d
                .departments
                .iter()
                .flat_map(|dep| &dep.forms)
                .map(|f| &f.facts.search)
                .collect();
            (
                (d.name.as_str(), d.slug.as_str(), d.sample_data),
                (d.departments.len(), &d.years, texts),
            )
        })
        .collect::<Vec<_>>()
}

pub fn view(districts: &[District<'_>], config: &SiteConfig) -> SearchView {
    let mut meta = PageMeta::new(config, "搜索", PAGE, "search");
    meta.sample_data = districts.iter().any(|d| d.sample_data);
    let years: BTreeSet<i32> = districts.iter().flat_map(|d| d.years.clone()).collect();
    // Inserted one by one, borrowed: `collect` into a set first gathers every item in a
    // vector (an owned string per indicator, 25 MB at 60,000 forms, the build's peak).
    // A goal's indicators mostly share their category one after another: the set is asked
    // only when it changes (120,000 indicators at 2,000 departments, a handful of categories).
    let mut categories: BTreeSet<&str> = BTreeSet::new();
    let mut last = "";
    for i in districts
        .iter()
        .flat_map(|d| &d.departments)
        .flat_map(|dep| &dep.forms)
        .flat_map(|f| f.facts.search.indicators())
        .filter(|i| !i.level1.is_empty())
    {
        if i.level1 != last {
            categories.insert(i.level1);
            last = i.level1;
        }
    }
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
        categories: categories.into_iter().map(str::to_owned).collect(),
    }
}
