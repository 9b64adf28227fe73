//! The home page: a card per district (its latest budget and reporting count), the districts
//! whose every form was withheld (and why), and the search box.

use super::*;

#[derive(Debug, Clone, Hash, Serialize)]
pub struct HomeView {
    pub meta: PageMeta,
    pub districts: Vec<DistrictCard>,
    /// With one district the home page is its overview.
    pub single: Option<DistrictView>,
    pub unpublished: usize,
    /// Districts none of whose forms could be published, with how many forms they sent: still
    /// listed, with why.
    pub withheld_districts: Vec<WithheldDistrict>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct WithheldDistrict {
    pub name: String,
    pub forms: usize,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct DistrictCard {
    pub name: String,
    pub href: String,
    pub sample_data: bool,
    pub departments: usize,
    pub year: Option<i32>,
    pub budget: String,
    pub headline_budget: HeadlineView,
}

fn latest_budget(d: &District<'_>) -> Option<Decimal> {
    d.latest_year()
        .and_then(|y| d.totals.get(&y))
        .and_then(|p| p.budget.map(|b| b.expenditure_total))
}

pub fn home(model: &SiteModel<'_>, config: &SiteConfig) -> HomeView {
    let meta = PageMeta::new(config, &config.title, "index.html", "home");
    let districts = model
        .districts
        .iter()
        .map(|d| DistrictCard {
            name: d.name.clone(),
            href: district_index(d),
            sample_data: d.sample_data,
            departments: d
                .latest_year()
                .and_then(|y| d.counts.get(&y))
                .copied()
                .unwrap_or(0),
            year: d.latest_year(),
            budget: money(latest_budget(d)),
            headline_budget: HeadlineView::of(latest_budget(d)),
        })
        .collect();
    // A folder whose every form was withheld makes no district; readers still see it listed.
    let mut withheld: BTreeMap<String, usize> = BTreeMap::new();
    for u in &model.unpublished {
        if !model.districts.iter().any(|d| d.folder == u.district) {
            *withheld.entry(u.district.clone()).or_default() += 1;
        }
    }
    let withheld_districts = withheld
        .into_iter()
        .map(|(folder, forms)| WithheldDistrict {
            name: config
                .district(&folder)
                .display_name
                .clone()
                .unwrap_or_else(|| {
                    if folder.is_empty() {
                        config.district_name.clone()
                    } else {
                        folder
                    }
                }),
            forms,
        })
        .collect();
    HomeView {
        meta,
        districts,
        single: None,
        unpublished: model.unpublished.len(),
        withheld_districts,
    }
}
