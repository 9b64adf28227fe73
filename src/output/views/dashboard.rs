//! The dashboard (year totals, concentration, growth spread and bands, outliers, the quality
//! board) and the year pages (every department in one year, with the year's downloads).

use super::*;

#[derive(Debug, Clone, Hash, Serialize)]
pub struct DashboardView {
    pub meta: PageMeta,
    pub name: String,
    pub overview_href: String,
    pub json_href: String,
    pub years: Vec<YearTotalsRow>,
    pub charts: Vec<ChartView>,
    pub outliers: Vec<OutlierRow>,
    pub growth_limit: i64,
    pub execution_low: i64,
    pub execution_high: i64,
    pub top_n: usize,
    pub scoreboard: Vec<ScoreRow>,
    /// Departments ranked on the board in all; when more than `2 × BOARD_ENDS`, the board
    /// shows the first and last `BOARD_ENDS` and says where the rest are.
    pub scoreboard_total: usize,
    pub scoreboard_left_out: usize,
    /// How many the board shows at each end when it leaves some out (`BOARD_ENDS`).
    pub scoreboard_ends: usize,
    /// The latest year's table, which holds every department's quality score.
    pub scores_csv_href: String,
    /// The latest year's self-evaluations (`self_eval::eval_board`).
    pub evaluations: Option<EvalBoard>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct OutlierRow {
    pub year: i32,
    pub department: String,
    pub href: String,
    pub kind: String,
    pub value: String,
    pub value_sort: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct ScoreRow {
    pub department: String,
    pub href: String,
    pub year: i32,
    pub score: String,
    pub score_sort: String,
    pub goals: usize,
    pub indicators: usize,
    pub per_goal: String,
    pub measurable_share: String,
    pub measurable_share_sort: String,
    pub coverage: usize,
    pub complete_goals: usize,
    /// The exact score the ranking orders by.
    #[serde(skip)]
    pub score_value: rust_decimal::Decimal,
}

pub fn dashboard(
    d: &District<'_>,
    figures: &DistrictFigures,
    config: &SiteConfig,
) -> DashboardView {
    let path = dashboard_page(d);
    let mut meta = PageMeta::new(config, &format!("{}财政看板", d.name), &path, "district");
    meta.sample_data = d.sample_data;
    meta.district_feed = Some(format!("{}{}/feed.xml", meta.root, d.slug));
    let root = meta.root.clone();
    let link = |dep: &Department<'_>| super::department_href(&root, d, dep);
    let outliers = outliers(d, figures, &link);
    let scoreboard = scoreboard(d, figures, &link);
    let scoreboard_total = scoreboard.len();
    let (scoreboard, scoreboard_left_out) = ends(scoreboard, BOARD_ENDS);
    let totals_chart = totals_chart(d, figures);
    let mut charts = vec![ChartView::from(totals_chart)];
    if let Some(c) = structure_chart(figures) {
        charts.push(ChartView::from(c));
    }
    if let Some(c) = growth_chart(figures) {
        charts.push(ChartView::from(c));
    }
    DashboardView {
        name: d.name.clone(),
        overview_href: format!("{root}{}", district_index(d)),
        json_href: format!("{root}{}", district_json(d)),
        years: year_totals(d, figures, &root),
        charts,
        outliers,
        growth_limit: crate::analyze::stats::GROWTH_OUTLIER_PERCENT,
        execution_low: crate::analyze::stats::EXECUTION_RANGE_PERCENT.0,
        execution_high: crate::analyze::stats::EXECUTION_RANGE_PERCENT.1,
        top_n: crate::analyze::stats::TOP_N,
        scoreboard,
        scoreboard_total,
        scoreboard_left_out,
        scoreboard_ends: BOARD_ENDS,
        scores_csv_href: format!("{root}{}", district_table(d, "csv")),
        evaluations: evaluated_years(d)
            .first()
            .and_then(|&y| eval_board(d, y, &root)),
        meta,
    }
}

/// The outliers of every year, latest first, each linked to its department.
fn outliers(
    d: &District<'_>,
    figures: &DistrictFigures,
    link: &dyn Fn(&Department<'_>) -> String,
) -> Vec<OutlierRow> {
    let mut outliers = Vec::new();
    for y in figures.years.iter().rev() {
        for o in &y.outliers {
            let dep = &d.departments[o.department];
            outliers.push(OutlierRow {
                year: y.year,
                department: dep.name.clone(),
                href: link(dep),
                kind: match o.kind {
                    OutlierKind::Growth => "预算增长异常".to_owned(),
                    OutlierKind::Execution => "执行率异常".to_owned(),
                },
                value: percent(Some(o.value)),
                value_sort: plain(Some(o.value)),
            });
        }
    }
    outliers
}

/// Each department's latest form's target quality. A ranking ranks: highest score first,
/// ties by name in pinyin order.
fn scoreboard(
    d: &District<'_>,
    figures: &DistrictFigures,
    link: &dyn Fn(&Department<'_>) -> String,
) -> Vec<ScoreRow> {
    let mut scoreboard: Vec<ScoreRow> = d
        .departments
        .iter()
        .zip(&figures.departments)
        .filter_map(|(dep, f)| {
            let (form, q) = dep.forms.first().zip(f.quality.first())?;
            Some(ScoreRow {
                department: dep.name.clone(),
                href: link(dep),
                year: form.year,
                score: score_text(Some(q.score)),
                score_sort: plain(Some(q.score)),
                goals: q.goals,
                indicators: q.indicators,
                per_goal: q.per_goal.map_or_else(
                    || "—".to_owned(),
                    |v| format!("{:.1}", crate::format::round(v, 1)),
                ),
                measurable_share: percent(q.measurable_share),
                measurable_share_sort: plain(q.measurable_share),
                coverage: q.level2_coverage,
                complete_goals: q.complete_goals,
                score_value: q.score,
            })
        })
        .collect();
    // Scores tie often: each name's pinyin made once, not at every comparison.
    scoreboard.sort_by_cached_key(|r| {
        (
            std::cmp::Reverse(r.score_value),
            crate::collate::key(&r.department),
            r.department.clone(),
        )
    });
    scoreboard
}

/// The district's budget and actual spending of every year.
fn totals_chart(d: &District<'_>, figures: &DistrictFigures) -> Chart {
    let spending = |pick: fn(&crate::analyze::stats::DistrictYear) -> Option<Decimal>| {
        figures.years.iter().map(pick).collect()
    };
    Chart {
        id: "chart-totals".to_owned(),
        title: format!("{}历年预算与实际支出", d.name),
        unit: "万元".to_owned(),
        kind: ChartKind::Grouped,
        blank: Vec::new(),
        categories: figures
            .years
            .iter()
            .map(|y| format!("{}年", y.year))
            .collect(),
        series: vec![
            Series {
                name: "预算支出".to_owned(),
                values: spending(|y| y.budget.map(|a| a.expenditure_total)),
            },
            Series {
                name: "实际支出".to_owned(),
                values: spending(|y| y.actual.map(|a| a.expenditure_total)),
            },
        ],
    }
}

/// How many departments' budgets grew by how much, in the latest year with growth figures.
fn growth_chart(figures: &DistrictFigures) -> Option<Chart> {
    let year = figures.years.iter().rev().find(|y| y.growth.is_some())?;
    let bins: [(&str, Option<i64>, Option<i64>); 6] = [
        ("低于-30%", None, Some(-30)),
        ("-30%～-10%", Some(-30), Some(-10)),
        ("-10%～0", Some(-10), Some(0)),
        ("0～10%", Some(0), Some(10)),
        ("10%～30%", Some(10), Some(30)),
        ("高于30%", Some(30), None),
    ];
    let growths: Vec<Decimal> = figures
        .departments
        .iter()
        .filter_map(|f| f.year(year.year).and_then(|y| y.budget_growth))
        .collect();
    let counts = bins.iter().map(|(_, lo, hi)| {
        let n = growths
            .iter()
            .filter(|g| {
                lo.is_none_or(|l| **g >= Decimal::from(l))
                    && hi.is_none_or(|h| **g < Decimal::from(h))
            })
            .count();
        Some(Decimal::from(n as u64))
    });
    Some(Chart {
        id: "chart-growth".to_owned(),
        title: format!("{}年各部门预算增长分布（部门数）", year.year),
        unit: "个".to_owned(),
        kind: ChartKind::Grouped,
        blank: Vec::new(),
        categories: bins.iter().map(|(l, _, _)| (*l).to_owned()).collect(),
        series: vec![Series {
            name: "部门数".to_owned(),
            values: counts.collect(),
        }],
    })
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct YearView {
    pub meta: PageMeta,
    pub name: String,
    pub year: i32,
    pub overview_href: String,
    pub dashboard_href: String,
    pub totals: Option<YearTotalsRow>,
    /// What the totals leave out (`totals_note`), as the district page says it.
    pub totals_note: Option<String>,
    pub rows: Vec<YearRow>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub other_years: Vec<NavLink>,
    /// The year's self-evaluations (`self_eval::eval_board`).
    pub evaluations: Option<EvalBoard>,
    /// Their table's downloads, when there are any.
    pub evaluations_csv_href: String,
    pub evaluations_xlsx_href: String,
    /// Which page of the year's table this is (`year_pages`).
    pub page: usize,
    /// The table's pages, for the pager (empty when it fits one page).
    pub pages: Vec<PageLink>,
    /// Rows of the whole table.
    pub rows_total: usize,
}

/// A year's page cut into pages of at most `TABLE_PAGE_ROWS` rows of its table, in the
/// table's order; the self-evaluations' board stays on the first. The build makes the same
/// pages one at a time (`YearPlan`); the tests compare the two.
pub fn year_pages(mut view: YearView) -> Vec<YearView> {
    if view.rows.len() <= TABLE_PAGE_ROWS {
        return vec![view];
    }
    let first = view.meta.path.clone();
    let count = view.rows.len().div_ceil(TABLE_PAGE_ROWS);
    // Moved into their pages, not copied (2,000 rows a year at 2,000 departments).
    let mut all = std::mem::take(&mut view.rows).into_iter();
    let board = view.evaluations.take();
    (1..=count)
        .map(|n| YearView {
            meta: view.meta.for_page(&paged(&first, n), n, count),
            rows: all.by_ref().take(TABLE_PAGE_ROWS).collect(),
            evaluations: if n == 1 { board.clone() } else { None },
            page: n,
            pages: pager(&first, count, n),
            ..view.clone()
        })
        .collect()
}

pub fn year(
    d: &District<'_>,
    figures: &DistrictFigures,
    config: &SiteConfig,
    year: i32,
) -> YearView {
    let plan = YearPlan::new(d, figures, config, year);
    let mut view = plan.view.clone();
    view.rows = plan.table.rows_in(0..plan.table.len());
    view
}

/// A year's page before its table's rows are made: the page without them, and which rows
/// the table holds in its order — the departments with a form of the year or one withheld
/// for errors (by their place in the district, `year_order`), then those whose only forms
/// were withheld. A page of the table is keyed by its departments' keys (`build::jobs`), so
/// only the pages whose rows may have changed are made (at 20,000 departments, making every
/// row of three years to hash them was a fifth of a one-form rebuild).
pub struct YearPlan<'m> {
    /// The page whole but for its rows (`rows_total` counts them).
    view: YearView,
    table: TablePlan<'m>,
}

impl<'m> YearPlan<'m> {
    pub fn new(
        d: &'m District<'m>,
        figures: &'m DistrictFigures,
        config: &SiteConfig,
        year: i32,
    ) -> YearPlan<'m> {
        let path = year_page(d, year);
        let mut meta = PageMeta::new(
            config,
            &format!("{}{}年度部门预算", d.name, year),
            &path,
            "district",
        );
        meta.sample_data = d.sample_data;
        meta.district_feed = Some(format!("{}{}/feed.xml", meta.root, d.slug));
        let root = meta.root.clone();
        // The forms of the year: those published, and those filed but withheld for errors (an
        // auditor reads the year's page to see who filed; the district page lists only the
        // latest year's).
        let mut order = year_order(d, figures, year);
        order.retain(|(_, r)| r.form.is_some() || is_withheld_row(d, year, r));
        let table = TablePlan::new(d, year, &root, order, |root| {
            withheld_rows_of_year(d, year, root)
        });
        let view = YearView {
            name: d.name.clone(),
            year,
            page: 1,
            pages: Vec::new(),
            rows_total: table.len(),
            overview_href: format!("{root}{}", district_index(d)),
            dashboard_href: format!("{root}{}", dashboard_page(d)),
            totals: year_totals(d, figures, &root)
                .into_iter()
                .find(|t| t.year == year),
            totals_note: totals_note(d, year),
            rows: Vec::new(),
            csv_href: format!("{root}{}", year_table(d, year, "csv")),
            xlsx_href: format!("{root}{}", year_table(d, year, "xlsx")),
            other_years: d
                .years
                .iter()
                .rev()
                .map(|&y| NavLink {
                    label: format!("{y}年"),
                    href: format!("{root}{}", year_page(d, y)),
                    current: y == year,
                })
                .collect(),
            evaluations: eval_board(d, year, &root),
            evaluations_csv_href: format!(
                "{root}{}",
                crate::output::evaluations::table_path(d, year, "csv")
            ),
            evaluations_xlsx_href: format!(
                "{root}{}",
                crate::output::evaluations::table_path(d, year, "xlsx")
            ),
            meta,
        };
        YearPlan { view, table }
    }

    /// The table's rows and pages.
    pub fn table(&self) -> &TablePlan<'m> {
        &self.table
    }

    /// Page `page` (from 1) without its rows, as `year_pages` makes it.
    pub fn skeleton(&self, page: usize) -> YearView {
        let count = self.table.pages();
        if count == 1 {
            return self.view.clone();
        }
        let first = &self.view.meta.path;
        YearView {
            meta: self.view.meta.for_page(&paged(first, page), page, count),
            evaluations: if page == 1 {
                self.view.evaluations.clone()
            } else {
                None
            },
            page,
            pages: pager(first, count, page),
            ..self.view.clone()
        }
    }

    /// Page `page` whole.
    pub fn page(&self, page: usize) -> YearView {
        let mut view = self.skeleton(page);
        view.rows = self.table.rows(page);
        view
    }
}

/// The rows of a year's table (a year's page, or the district's page for its latest year)
/// before they are made, cut into pages of `TABLE_PAGE_ROWS`: departments in the table's order
/// (`year_order`), then the rows of those whose only forms were withheld.
pub struct TablePlan<'m> {
    d: &'m District<'m>,
    year: i32,
    root: String,
    order: Vec<(usize, YearFiguresRow<'m>)>,
    withheld: Vec<YearRow>,
}

/// What stands in a row of a year's table, for a page's key: a department (its place in the
/// district, and whether its row says its form was withheld), or the row of one whose only
/// forms were withheld.
#[derive(Debug, Hash)]
pub enum YearSlot<'p> {
    Department(usize, bool),
    Withheld(&'p YearRow),
}

impl<'m> TablePlan<'m> {
    /// The table of `year`: the departments in `order`, then the rows `withheld(root)` makes.
    pub(super) fn new(
        d: &'m District<'m>,
        year: i32,
        root: &str,
        order: Vec<(usize, YearFiguresRow<'m>)>,
        withheld: impl FnOnce(&str) -> Vec<YearRow>,
    ) -> TablePlan<'m> {
        TablePlan {
            d,
            year,
            root: root.to_owned(),
            order,
            withheld: withheld(root),
        }
    }

    /// Rows of the whole table.
    pub fn len(&self) -> usize {
        self.order.len() + self.withheld.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many pages the table is cut into: one when it fits.
    pub fn pages(&self) -> usize {
        self.len().div_ceil(TABLE_PAGE_ROWS).max(1)
    }

    /// The rows on page `page` (from 1), as places in the table's order.
    fn range_of(&self, page: usize) -> std::ops::Range<usize> {
        if self.pages() == 1 {
            return 0..self.len();
        }
        let start = (page - 1) * TABLE_PAGE_ROWS;
        start..(start + TABLE_PAGE_ROWS).min(self.len())
    }

    /// What stands in each row of page `page`.
    pub fn slots(&self, page: usize) -> impl Iterator<Item = YearSlot<'_>> {
        let (departments, withheld) = self.split(self.range_of(page));
        let departments = departments
            .iter()
            .map(|(i, r)| YearSlot::Department(*i, is_withheld_row(self.d, self.year, r)));
        departments.chain(withheld.iter().map(YearSlot::Withheld))
    }

    /// The rows of page `page`, made.
    pub fn rows(&self, page: usize) -> Vec<YearRow> {
        self.rows_in(self.range_of(page))
    }

    fn rows_in(&self, range: std::ops::Range<usize>) -> Vec<YearRow> {
        let (departments, withheld) = self.split(range);
        let departments = departments
            .iter()
            .map(|(_, r)| year_row(self.d, self.year, &self.root, r));
        departments.chain(withheld.iter().cloned()).collect()
    }

    /// The departments and withheld-only rows of a range of the table.
    #[allow(clippy::type_complexity)]
    fn split(&self, range: std::ops::Range<usize>) -> (&[(usize, YearFiguresRow<'_>)], &[YearRow]) {
        let at = self.order.len();
        (
            &self.order[range.start.min(at)..range.end.min(at)],
            &self.withheld[range.start.max(at) - at..range.end.max(at) - at],
        )
    }
}
