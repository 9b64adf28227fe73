//! The district overview: headline totals (亿元 with the exact 万元), the year table of every
//! department (largest budget first), the years' totals with what they leave out, and the
//! ranking and structure charts.

use super::*;
use crate::format::compact;
use compact_str::{format_compact, CompactString};

/// What a year's district totals leave out: departments whose layout has no income block
/// (Fujian) or no money at all (Hunan), and forms withheld for errors. `None` when nothing is
/// left out.
pub fn totals_note(d: &District<'_>, year: i32) -> Option<String> {
    let no_income = d.without_income.get(&year).copied().unwrap_or(0);
    let no_money = d.without_money.get(&year).copied().unwrap_or(0);
    let mut parts = Vec::new();
    if no_income > 0 {
        parts.push(format!(
            "{no_income} 个部门的表式不含收入预算，收入合计未计入这些部门"
        ));
    }
    if no_money > 0 {
        parts.push(format!(
            "{no_money} 个部门的表式不含资金情况，收支合计均未计入"
        ));
    }
    let withheld = d.withheld_in(year);
    if withheld > 0 {
        parts.push(format!("另有 {withheld} 份申报表因错误未发布，未计入合计"));
    }
    (!parts.is_empty()).then(|| format!("注：{}。", parts.join("；")))
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct DistrictView {
    pub meta: PageMeta,
    pub name: String,
    pub year: Option<i32>,
    pub department_count: usize,
    pub form_count: usize,
    pub totals: Option<TotalsView>,
    /// Which departments the totals leave out because their layout has no such block.
    pub totals_note: Option<String>,
    pub rows: Vec<YearRow>,
    pub charts: Vec<ChartView>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub json_href: String,
    pub dashboard_href: String,
    pub years: Vec<YearTotalsRow>,
    /// Which page of the district's table this is (`district_pages`): the first holds the
    /// totals, years and charts too.
    pub page: usize,
    /// The table's pages, for the pager (empty when it fits one page).
    pub pages: Vec<PageLink>,
    /// Rows of the whole table.
    pub rows_total: usize,
}

/// A headline figure: `69.03 亿元` with its exact value in 万元 (`690,338.32 万元`) to show on
/// hover; `—` alone without a figure.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct HeadlineView {
    pub text: String,
    pub exact: String,
}

impl HeadlineView {
    pub fn of(wan: Option<Decimal>) -> HeadlineView {
        let (text, exact) = crate::format::headline(wan);
        HeadlineView { text, exact }
    }
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TotalsView {
    pub headline_income: HeadlineView,
    pub headline_expenditure: HeadlineView,
    pub headline_basic: HeadlineView,
    pub headline_project: HeadlineView,
    pub income_total: String,
    pub fiscal_appropriation: String,
    pub other: String,
    pub expenditure_total: String,
    pub basic: String,
    pub project: String,
    pub basic_share: String,
    pub project_share: String,
}

impl From<&Amounts> for TotalsView {
    fn from(a: &Amounts) -> Self {
        TotalsView {
            headline_income: HeadlineView::of(Some(a.income_total)),
            headline_expenditure: HeadlineView::of(Some(a.expenditure_total)),
            headline_basic: HeadlineView::of(Some(a.basic)),
            headline_project: HeadlineView::of(Some(a.project)),
            income_total: money(Some(a.income_total)),
            fiscal_appropriation: money(Some(a.fiscal_appropriation)),
            other: money(Some(a.other)),
            expenditure_total: money(Some(a.expenditure_total)),
            basic: money(Some(a.basic)),
            project: money(Some(a.project)),
            basic_share: percent(Amounts::percent(a.basic, a.expenditure_total)),
            project_share: percent(Amounts::percent(a.project, a.expenditure_total)),
        }
    }
}

/// A district's figures for one year, for the overview's and the dashboard's year tables.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct YearTotalsRow {
    pub year: i32,
    pub href: Option<String>,
    pub departments: usize,
    pub budget: String,
    pub actual: String,
    pub headline_budget: HeadlineView,
    pub headline_actual: HeadlineView,
    pub execution: String,
    pub growth: String,
    pub basic_share: String,
    pub project_share: String,
    pub fiscal_dependence: String,
    pub top_share: String,
    pub growth_spread: Option<SpreadView>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct SpreadView {
    pub count: usize,
    pub min: String,
    pub q1: String,
    pub median: String,
    pub q3: String,
    pub max: String,
}

impl From<&Spread> for SpreadView {
    fn from(s: &Spread) -> Self {
        SpreadView {
            count: s.count,
            min: percent(Some(s.min)),
            q1: percent(Some(s.q1)),
            median: percent(Some(s.median)),
            q3: percent(Some(s.q3)),
            max: percent(Some(s.max)),
        }
    }
}

/// One department in a year's table (overview, year pages, downloads).
#[derive(Debug, Clone, Hash, Serialize)]
pub struct YearRow {
    pub name: String,
    pub href: String,
    pub filed: bool,
    /// Its form of the year was withheld for errors (filed, not published).
    pub withheld: bool,
    pub income: CompactString,
    pub income_sort: CompactString,
    pub expenditure: CompactString,
    pub expenditure_sort: CompactString,
    pub basic_share: CompactString,
    pub basic_share_sort: CompactString,
    pub project_share: CompactString,
    pub project_share_sort: CompactString,
    pub fiscal_dependence: CompactString,
    pub fiscal_dependence_sort: CompactString,
    pub growth: CompactString,
    pub growth_sort: CompactString,
    pub execution: CompactString,
    pub execution_sort: CompactString,
    pub indicators: usize,
    pub score: CompactString,
    pub score_sort: CompactString,
    pub warnings: usize,
    pub status: CompactString,
}

/// The first `limit` rows of a year's table (`year_order`: all of them sorted, only those
/// made), and how many there are.
fn year_rows_upto(
    d: &District<'_>,
    figures: &DistrictFigures,
    year: i32,
    root: &str,
    limit: usize,
) -> (Vec<YearRow>, usize) {
    let rows = year_order(d, figures, year);
    let total = rows.len();
    let rows = rows
        .iter()
        .take(limit)
        .map(|(_, r)| year_row(d, year, root, r))
        .collect();
    (rows, total)
}

/// A district's departments in one year, largest budget first (departments without a budget
/// that year last), then by name in pinyin order, each with its place in the district: the
/// order of a year's table, before any row is made (a year page's key is made of them,
/// `YearPlan`).
pub(crate) fn year_order<'m>(
    d: &'m District<'m>,
    figures: &'m DistrictFigures,
    year: i32,
) -> Vec<(usize, YearFiguresRow<'m>)> {
    let mut rows: Vec<(usize, YearFiguresRow<'m>)> =
        crate::analyze::stats::departments_in_year(d, figures, year)
            .into_iter()
            .enumerate()
            .collect();
    let spent = |r: &YearFiguresRow<'_>| {
        r.form
            .and(r.figures)
            .and_then(|y| y.budget)
            .map(|b| b.expenditure_total)
    };
    rows.sort_by(|(_, a), (_, b)| {
        spent(b)
            .cmp(&spent(a))
            .then_with(|| crate::collate::names(&a.department.name, &b.department.name))
    });
    rows
}

/// Whether the row of `r` in a year's table says its form was withheld for errors.
pub(crate) fn is_withheld_row(d: &District<'_>, year: i32, r: &YearFiguresRow<'_>) -> bool {
    r.form.is_none() && d.is_withheld(&r.department.key, year)
}

/// A department's row of a year's table. It depends on the department alone (its forms,
/// their findings, its figures: what `build::jobs`' department key covers), the district's
/// place and the year, and whether the row is withheld (`is_withheld_row`).
pub(crate) fn year_row(d: &District<'_>, year: i32, root: &str, r: &YearFiguresRow<'_>) -> YearRow {
    let y = r.figures;
    let budget = y.and_then(|y| y.budget).filter(|_| r.form.is_some());
    let warnings = r.warnings();
    let withheld = is_withheld_row(d, year, r);
    let status = match (r.form, warnings) {
        (None, _) if withheld => WITHHELD.into(),
        (None, _) => format_compact!("未报送{year}年度"),
        (Some(_), 0) => "通过".into(),
        (Some(_), n) => format_compact!("{n} 条提示"),
    };
    let pair =
        |v: Option<Decimal>, f: fn(Option<Decimal>) -> CompactString| (f(v), compact::plain(v));
    let has_income = r.form.is_some_and(|f| f.facts.has_income);
    let income_budget = budget.filter(|_| has_income);
    let (money, percent) = (compact::money, compact::percent);
    let (income, income_sort) = pair(income_budget.map(|b| b.income_total), money);
    let (expenditure, expenditure_sort) = pair(budget.map(|b| b.expenditure_total), money);
    let (basic_share, basic_share_sort) = pair(y.and_then(|y| y.basic_share), percent);
    let (project_share, project_share_sort) = pair(y.and_then(|y| y.project_share), percent);
    let (fiscal_dependence, fiscal_dependence_sort) =
        pair(y.and_then(|y| y.fiscal_dependence), percent);
    let (growth, growth_sort) = pair(y.and_then(|y| y.budget_growth), percent);
    let (execution, execution_sort) = pair(y.and_then(|y| y.execution), percent);
    let (score, score_sort) = pair(r.quality.map(|q| q.score), score_cell);
    YearRow {
        name: r.department.name.clone(),
        href: super::department_href(root, d, r.department),
        filed: r.form.is_some(),
        withheld,
        income,
        income_sort,
        expenditure,
        expenditure_sort,
        basic_share,
        basic_share_sort,
        project_share,
        project_share_sort,
        fiscal_dependence,
        fiscal_dependence_sort,
        growth,
        growth_sort,
        execution,
        execution_sort,
        indicators: r.form.map_or(0, Form::indicator_count),
        score,
        score_sort,
        warnings,
        status,
    }
}

/// The status of a department whose form of the year was withheld for its errors.
const WITHHELD: &str = "有错误，未发布";

/// Departments whose only forms were withheld for errors, listed after the others (by name)
/// as "有错误，未发布" with a link to their findings on the report: on the district page,
/// those of `year` and those of a year with no published form (which has no year table of
/// its own).
pub(super) fn withheld_rows(d: &District<'_>, year: i32, root: &str) -> Vec<YearRow> {
    withheld_rows_where(d, year, root, |w| {
        w.year == year || !d.years.contains(&w.year)
    })
}

/// Those of `year` alone: a year page's (a form withheld in a year that has a table stands in
/// that year's table, not the district page's).
pub(super) fn withheld_rows_of_year(d: &District<'_>, year: i32, root: &str) -> Vec<YearRow> {
    withheld_rows_where(d, year, root, |w| w.year == year)
}

fn withheld_rows_where(
    d: &District<'_>,
    year: i32,
    root: &str,
    listed: impl Fn(&crate::analyze::WithheldForm) -> bool,
) -> Vec<YearRow> {
    let mut listed: Vec<&crate::analyze::WithheldForm> =
        d.withheld_only.iter().filter(|w| listed(w)).collect();
    listed.sort_by(|a, b| crate::collate::names(&a.name, &b.name).then(a.year.cmp(&b.year)));
    listed
        .into_iter()
        .map(|w| {
            let none = || (compact::money(None), compact::plain(None));
            let ((income, income_sort), (expenditure, expenditure_sort)) = (none(), none());
            let ((basic_share, basic_share_sort), (project_share, project_share_sort)) =
                (none(), none());
            let ((fiscal_dependence, fiscal_dependence_sort), (growth, growth_sort)) =
                (none(), none());
            let (execution, execution_sort) = none();
            YearRow {
                // A name can be the form's error (`field-too-long`): shown cut.
                name: super::report::shorten(&w.name, 60),
                href: format!("{root}{}", w.report_href),
                filed: false,
                withheld: true,
                income,
                income_sort,
                expenditure,
                expenditure_sort,
                basic_share,
                basic_share_sort,
                project_share,
                project_share_sort,
                fiscal_dependence,
                fiscal_dependence_sort,
                growth,
                growth_sort,
                execution,
                execution_sort,
                indicators: 0,
                score: score_cell(None),
                score_sort: CompactString::default(),
                warnings: 0,
                status: if w.year == year {
                    WITHHELD.into()
                } else {
                    format_compact!("{}年度{WITHHELD}", w.year)
                },
            }
        })
        .collect()
}

/// `score_text` in a table's cell.
fn score_cell(v: Option<Decimal>) -> CompactString {
    v.map_or_else(
        || "—".into(),
        |s| format_compact!("{:.1}", crate::format::round(s, 1)),
    )
}

/// A quality score for people: one decimal.
pub(super) fn score_text(v: Option<Decimal>) -> String {
    v.map_or_else(
        || "—".to_owned(),
        |s| format!("{:.1}", crate::format::round(s, 1)),
    )
}

pub(super) fn year_totals(
    d: &District<'_>,
    figures: &DistrictFigures,
    root: &str,
) -> Vec<YearTotalsRow> {
    figures
        .years
        .iter()
        .rev()
        .map(|y| YearTotalsRow {
            year: y.year,
            href: y
                .budget
                .is_some()
                .then(|| format!("{root}{}", year_page(d, y.year))),
            departments: y.departments,
            budget: money(y.budget.map(|a| a.expenditure_total)),
            actual: money(y.actual.map(|a| a.expenditure_total)),
            headline_budget: HeadlineView::of(y.budget.map(|a| a.expenditure_total)),
            headline_actual: HeadlineView::of(y.actual.map(|a| a.expenditure_total)),
            execution: percent(y.execution),
            growth: percent(y.budget_growth),
            basic_share: percent(y.basic_share),
            project_share: percent(y.project_share),
            fiscal_dependence: percent(y.fiscal_dependence),
            top_share: percent(y.top_share),
            growth_spread: y.growth.as_ref().map(SpreadView::from),
        })
        .collect()
}

/// The departments ranked by budget; none for fewer than two (nothing to compare). Beyond
/// `2 × CHART_ENDS` departments, the first and the last `CHART_ENDS` (a bar a department
/// must stay readable; the downloads rank them all).
fn ranking_chart(d: &District<'_>, figures: &DistrictFigures, year: i32) -> Option<Chart> {
    let y = figures.years.iter().find(|y| y.year == year)?;
    if y.ranking.len() < 2 {
        return None;
    }
    let (shown, left_out) = ends(y.ranking.clone(), CHART_ENDS);
    let title = if left_out > 0 {
        format!(
            "{year}年各部门预算支出排名（{} 个部门中的前 {CHART_ENDS} 名和后 {CHART_ENDS} 名）",
            y.ranking.len()
        )
    } else {
        format!("{year}年各部门预算支出排名")
    };
    Some(Chart {
        id: "chart-ranking".to_owned(),
        title,
        unit: "万元".to_owned(),
        kind: ChartKind::Ranking,
        blank: Vec::new(),
        categories: shown
            .iter()
            .map(|(i, _)| d.departments[*i].name.clone())
            .collect(),
        series: vec![Series {
            name: "预算支出".to_owned(),
            values: shown.iter().map(|(_, v)| Some(*v)).collect(),
        }],
    })
}

/// 基本 and 项目 over the budget years; none for a single year (one bar compares nothing — the
/// totals beside it say the same).
pub(super) fn structure_chart(figures: &DistrictFigures) -> Option<Chart> {
    let budgets: Vec<(i32, Amounts)> = figures
        .years
        .iter()
        .filter_map(|y| y.budget.map(|b| (y.year, b)))
        .collect();
    if budgets.len() < 2 {
        return None;
    }
    Some(Chart {
        id: "chart-structure".to_owned(),
        title: "历年预算支出结构（基本支出与项目支出）".to_owned(),
        unit: "万元".to_owned(),
        kind: ChartKind::Stacked,
        blank: Vec::new(),
        categories: budgets.iter().map(|(y, _)| format!("{y}年")).collect(),
        series: vec![
            Series {
                name: "基本支出".to_owned(),
                values: budgets.iter().map(|(_, b)| Some(b.basic)).collect(),
            },
            Series {
                name: "项目支出".to_owned(),
                values: budgets.iter().map(|(_, b)| Some(b.project)).collect(),
            },
        ],
    })
}

pub fn district(
    d: &District<'_>,
    figures: &DistrictFigures,
    config: &SiteConfig,
    path: &str,
) -> DistrictView {
    district_upto(d, figures, config, path, usize::MAX)
}

/// The first page of `district`'s pages (`district_pages`, `first` the first page's path),
/// its rows past that page not made: the home page of a site of one district shows it (at
/// 20,000 departments making every row was most of that page's 58 ms, in a rebuild's
/// one-at-a-time listing pages).
pub fn district_first_page(
    d: &District<'_>,
    figures: &DistrictFigures,
    config: &SiteConfig,
    path: &str,
    first: &str,
) -> DistrictView {
    let mut view = district_upto(d, figures, config, path, TABLE_PAGE_ROWS);
    if view.rows_total <= TABLE_PAGE_ROWS {
        return view;
    }
    let count = view.rows_total.div_ceil(TABLE_PAGE_ROWS);
    let rows = std::mem::take(&mut view.rows);
    page_of(&view, rows, 1, count, first)
}

/// `district` with at most `limit` rows made (`rows_total` counting them all).
fn district_upto(
    d: &District<'_>,
    figures: &DistrictFigures,
    config: &SiteConfig,
    path: &str,
    limit: usize,
) -> DistrictView {
    district_with(d, figures, config, path, |root| {
        d.latest_year().map_or_else(
            || (Vec::new(), 0),
            |y| {
                let (mut rows, total) = year_rows_upto(d, figures, y, root, limit);
                let withheld = withheld_rows(d, y, root);
                let total = total + withheld.len();
                rows.extend(withheld);
                rows.truncate(limit);
                (rows, total)
            },
        )
    })
}

/// A district's page before its table's rows are made (`TablePlan`: the latest year's
/// departments, each of them whether it filed or not, then those whose only forms were
/// withheld), as `YearPlan` is a year's: its pages keyed by their departments.
pub struct DistrictPlan<'m> {
    /// The page whole but for its rows.
    view: DistrictView,
    table: TablePlan<'m>,
}

impl<'m> DistrictPlan<'m> {
    pub fn new(
        d: &'m District<'m>,
        figures: &'m DistrictFigures,
        config: &SiteConfig,
        path: &str,
    ) -> DistrictPlan<'m> {
        let mut table = None;
        let view = district_with(d, figures, config, path, |root| {
            let plan = match d.latest_year() {
                Some(y) => TablePlan::new(d, y, root, year_order(d, figures, y), |root| {
                    withheld_rows(d, y, root)
                }),
                None => TablePlan::new(d, 0, root, Vec::new(), |_| Vec::new()),
            };
            let total = plan.len();
            table = Some(plan);
            (Vec::new(), total)
        });
        let table = table.expect("made with the view");
        DistrictPlan { view, table }
    }

    pub fn table(&self) -> &TablePlan<'m> {
        &self.table
    }

    /// Page `page` (from 1) without its rows, as `district_pages` makes it.
    pub fn skeleton(&self, page: usize) -> DistrictView {
        let count = self.table.pages();
        if count == 1 {
            return self.view.clone();
        }
        page_of(&self.view, Vec::new(), page, count, &self.view.meta.path)
    }

    /// Page `page` whole.
    pub fn page(&self, page: usize) -> DistrictView {
        let mut view = self.skeleton(page);
        view.rows = self.table.rows(page);
        view
    }
}

/// A district's page with the rows `rows(root)` gives (and how many its whole table has).
fn district_with(
    d: &District<'_>,
    figures: &DistrictFigures,
    config: &SiteConfig,
    path: &str,
    rows: impl FnOnce(&str) -> (Vec<YearRow>, usize),
) -> DistrictView {
    let mut meta = PageMeta::new(config, &d.name, path, "district");
    meta.sample_data = d.sample_data;
    meta.district_feed = Some(format!("{}{}/feed.xml", meta.root, d.slug));
    let year = d.latest_year();
    let root = meta.root.clone();
    let (rows, rows_total) = rows(&root);
    let mut charts = Vec::new();
    if let Some(c) = year.and_then(|y| ranking_chart(d, figures, y)) {
        charts.push(ChartView::from(c));
    }
    if let Some(c) = structure_chart(figures) {
        charts.push(ChartView::from(c));
    }
    DistrictView {
        name: d.name.clone(),
        year,
        department_count: year.and_then(|y| d.counts.get(&y)).copied().unwrap_or(0),
        form_count: d.departments.iter().map(|dep| dep.forms.len()).sum(),
        totals: year
            .and_then(|y| d.totals.get(&y))
            .and_then(|p| p.budget.as_ref())
            .map(TotalsView::from),
        totals_note: year.and_then(|y| totals_note(d, y)),
        rows,
        rows_total,
        charts,
        csv_href: format!("{root}{}", district_table(d, "csv")),
        xlsx_href: format!("{root}{}", district_table(d, "xlsx")),
        json_href: format!("{root}{}", district_json(d)),
        dashboard_href: format!("{root}{}", dashboard_page(d)),
        years: year_totals(d, figures, &root),
        meta,
        page: 1,
        pages: Vec::new(),
    }
}

/// A district's page cut into pages of at most `TABLE_PAGE_ROWS` rows of its table (in the
/// table's order), `first` being the first page's path: the first page keeps the totals, the
/// years' table and the charts; the others hold their rows, under the same heading, links and
/// downloads. The build makes the same pages one at a time (`DistrictPlan`); the tests
/// compare the two.
pub fn district_pages(mut view: DistrictView, first: &str) -> Vec<DistrictView> {
    if view.rows.len() <= TABLE_PAGE_ROWS {
        return vec![view];
    }
    let count = view.rows.len().div_ceil(TABLE_PAGE_ROWS);
    // Moved into their pages, not copied.
    let mut all = std::mem::take(&mut view.rows).into_iter();
    (1..=count)
        .map(|n| {
            let rows = all.by_ref().take(TABLE_PAGE_ROWS).collect();
            page_of(&view, rows, n, count, first)
        })
        .collect()
}

/// Page `n` of `count` of a district's page `view` (its rows taken out), holding `rows`.
fn page_of(
    view: &DistrictView,
    rows: Vec<YearRow>,
    n: usize,
    count: usize,
    first: &str,
) -> DistrictView {
    DistrictView {
        meta: view.meta.for_page(&paged(&view.meta.path, n), n, count),
        rows,
        charts: if n > 1 {
            Vec::new()
        } else {
            view.charts.clone()
        },
        page: n,
        pages: pager(first, count, n),
        ..view.clone()
    }
}
