//! View structs: exactly what the templates see, built from the analyzed model. Templates never
//! touch the model, so the model can change without breaking users' template overrides, and
//! every number reaches a page already formatted (`1,234.56`, `93.58%`).

use crate::analyze::{Amounts, Department, District, Form, SiteModel, YearPoint};
use crate::charts::{Chart, ChartKind, ChartTable, Series};
use crate::config::SiteConfig;
use crate::diagnostic::{Code, Counts, Diagnostic, Severity};
use crate::format::{money, percent, plain};
use crate::model::{BudgetLine, Declaration, Row};
use crate::validate::taxonomy;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// What every page knows about itself and the site.
#[derive(Debug, Clone, Serialize)]
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
}

#[derive(Debug, Clone, Serialize)]
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
        }
    }
}

#[derive(Debug, Clone, Serialize)]
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
    format!("{}/{}.html", d.slug, dep.slug)
}
pub fn declaration_json(d: &District<'_>, dep: &Department<'_>, year: i32) -> String {
    format!("{}/data/{}-{year}.json", d.slug, dep.slug)
}
pub fn district_table(d: &District<'_>, ext: &str) -> String {
    format!("{}/data/departments.{ext}", d.slug)
}

// ---------------------------------------------------------------- department page

#[derive(Debug, Clone, Serialize)]
pub struct DepartmentView {
    pub meta: PageMeta,
    pub name: String,
    pub district: String,
    pub district_href: String,
    pub years: Vec<i32>,
    pub forms: Vec<FormView>,
    pub charts: Vec<ChartView>,
    pub series: Vec<SeriesRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeriesRow {
    pub year: i32,
    pub budget: String,
    pub actual: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    pub year: i32,
    pub anchor: String,
    pub source_file: String,
    pub json_href: String,
    pub contacts: Option<Contacts>,
    pub prior_years: Vec<i32>,
    pub income: Vec<MoneyRow>,
    pub expenditure: Vec<MoneyRow>,
    pub functions: Vec<String>,
    pub annual_tasks: Vec<String>,
    pub long_term_goal: Option<String>,
    pub annual_goal: Option<String>,
    pub overall_goals: Vec<String>,
    pub goals: Vec<GoalView>,
    pub notes: Vec<NoteView>,
    pub indicator_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contacts {
    pub filled_by: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MoneyRow {
    pub label: String,
    pub is_total: bool,
    pub budget: String,
    pub share: String,
    pub prior: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalView {
    pub number: u32,
    pub name: String,
    pub indicators: Vec<IndicatorView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub level1: String,
    /// Whether this row starts a new level-1 group (the template merges the cell visually).
    pub first_of_level1: bool,
    pub level2: String,
    pub name: String,
    pub prior: Vec<String>,
    pub target: String,
    pub standard: String,
    pub measurable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteView {
    pub code: String,
    pub title: String,
    pub severity: String,
    pub line: Option<u32>,
    pub message: String,
}

impl From<&Diagnostic> for NoteView {
    fn from(d: &Diagnostic) -> Self {
        NoteView {
            code: d.code.as_str().to_owned(),
            title: d.code.title_zh().to_owned(),
            severity: d.severity.as_str().to_owned(),
            line: d.line,
            message: d.message.clone(),
        }
    }
}

fn text(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn money_row(label: &str, line: &BudgetLine, years: &[i32], is_total: bool) -> MoneyRow {
    MoneyRow {
        label: label.to_owned(),
        is_total,
        budget: money(line.budget),
        share: percent(line.share_percent),
        prior: years
            .iter()
            .map(|&y| money(line.prior_years.get(y).copied().flatten()))
            .collect(),
    }
}

fn form_view(
    d: &District<'_>,
    dep: &Department<'_>,
    f: &Form<'_>,
    config: &SiteConfig,
    root: &str,
) -> FormView {
    let decl: &Declaration = f.declaration;
    let years = decl.prior_years();
    let row =
        |r: Row, label: &str, total: bool| money_row(label, decl.budget_line(r), &years, total);
    let goals = decl
        .goals
        .iter()
        .map(|g| {
            let mut previous: Option<&str> = None;
            GoalView {
                number: g.number,
                name: text(&g.name),
                indicators: g
                    .indicators
                    .iter()
                    .map(|i| {
                        let l1 = i.level1.as_deref().unwrap_or("");
                        let first = previous != Some(l1);
                        previous = Some(l1);
                        IndicatorView {
                            level1: l1.to_owned(),
                            first_of_level1: first,
                            level2: text(&i.level2),
                            name: text(&i.name),
                            prior: i.prior_years.0.iter().map(|(_, v)| text(v)).collect(),
                            target: text(&i.target),
                            standard: text(&i.standard),
                            measurable: i
                                .target
                                .as_deref()
                                .is_some_and(crate::validate::is_measurable),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    FormView {
        year: f.year,
        anchor: format!("y{}", f.year),
        source_file: f.file.to_owned(),
        json_href: format!("{root}{}", declaration_json(d, dep, f.year)),
        contacts: config.publish_contacts.then(|| Contacts {
            filled_by: text(&decl.filled_by),
            phone: text(&decl.phone),
        }),
        prior_years: years.clone(),
        income: vec![
            row(Row::FiscalAppropriation, "财政拨款", false),
            row(Row::Other, "其他资金", false),
            row(Row::IncomeTotal, "合计", true),
        ],
        expenditure: vec![
            row(Row::Basic, "基本支出", false),
            row(Row::Project, "项目支出", false),
            row(Row::ExpenditureTotal, "合计", true),
        ],
        functions: decl.functions.clone(),
        annual_tasks: decl.annual_tasks.clone(),
        long_term_goal: decl.long_term_goal.clone(),
        annual_goal: decl.annual_goal.clone(),
        overall_goals: decl.overall_goals.clone(),
        goals,
        notes: f.notes.iter().map(|d| NoteView::from(*d)).collect(),
        indicator_count: f.indicator_count(),
    }
}

pub fn department(d: &District<'_>, dep: &Department<'_>, config: &SiteConfig) -> DepartmentView {
    let path = department_page(d, dep);
    let mut meta = PageMeta::new(config, &dep.name, &path, "department");
    meta.sample_data = d.sample_data;
    let latest = dep.latest();
    let decl = latest.declaration;
    let mut charts = Vec::new();
    let b = Amounts::budget_of(decl);
    charts.push(ChartView::from(Chart {
        id: "chart-structure".to_owned(),
        title: format!("{}年预算收支构成", latest.year),
        unit: "万元".to_owned(),
        kind: ChartKind::Shares,
        categories: vec!["收入".to_owned(), "支出".to_owned()],
        series: vec![
            Series {
                name: "财政拨款".to_owned(),
                values: vec![Some(b.fiscal_appropriation), None],
            },
            Series {
                name: "其他资金".to_owned(),
                values: vec![Some(b.other), None],
            },
            Series {
                name: "基本支出".to_owned(),
                values: vec![None, Some(b.basic)],
            },
            Series {
                name: "项目支出".to_owned(),
                values: vec![None, Some(b.project)],
            },
        ],
    }));
    let years: Vec<i32> = dep.series.keys().copied().collect();
    charts.push(ChartView::from(budget_vs_actual(
        "chart-years",
        &format!("{}历年预算与实际支出", dep.name),
        &dep.series,
    )));
    let series = dep
        .series
        .iter()
        .rev()
        .map(|(&year, p)| SeriesRow {
            year,
            budget: money(p.budget.map(|a| a.expenditure_total)),
            actual: money(p.actual.map(|a| a.expenditure_total)),
        })
        .collect();
    let district_href = format!("{}{}", meta.root, district_index(d));
    let forms = dep
        .forms
        .iter()
        .map(|f| form_view(d, dep, f, config, &meta.root))
        .collect();
    DepartmentView {
        meta,
        name: dep.name.clone(),
        district: d.name.clone(),
        district_href,
        years,
        forms,
        charts,
        series,
    }
}

fn budget_vs_actual(id: &str, title: &str, series: &BTreeMap<i32, YearPoint>) -> Chart {
    Chart {
        id: id.to_owned(),
        title: title.to_owned(),
        unit: "万元".to_owned(),
        kind: ChartKind::Grouped,
        categories: series.keys().map(|y| format!("{y}年")).collect(),
        series: vec![
            Series {
                name: "预算支出".to_owned(),
                values: series
                    .values()
                    .map(|p| p.budget.map(|a| a.expenditure_total))
                    .collect(),
            },
            Series {
                name: "实际支出".to_owned(),
                values: series
                    .values()
                    .map(|p| p.actual.map(|a| a.expenditure_total))
                    .collect(),
            },
        ],
    }
}

// ---------------------------------------------------------------- district overview

#[derive(Debug, Clone, Serialize)]
pub struct DistrictView {
    pub meta: PageMeta,
    pub name: String,
    pub year: Option<i32>,
    pub department_count: usize,
    pub form_count: usize,
    pub totals: Option<TotalsView>,
    pub rows: Vec<DepartmentRow>,
    pub charts: Vec<ChartView>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub years: Vec<YearTotalsRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TotalsView {
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

#[derive(Debug, Clone, Serialize)]
pub struct YearTotalsRow {
    pub year: i32,
    pub departments: usize,
    pub budget: String,
    pub actual: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepartmentRow {
    pub name: String,
    pub href: String,
    pub year: Option<i32>,
    pub budget: String,
    pub budget_sort: String,
    pub basic_share: String,
    pub basic_share_sort: String,
    pub project_share: String,
    pub project_share_sort: String,
    pub indicators: usize,
    pub warnings: usize,
    pub status: String,
}

/// The district table's figures for one department in `year` (or its latest form).
pub struct RowFigures {
    pub year: Option<i32>,
    pub budget: Option<Decimal>,
    pub basic_share: Option<Decimal>,
    pub project_share: Option<Decimal>,
    pub indicators: usize,
    pub warnings: usize,
}

pub fn row_figures(dep: &Department<'_>, year: Option<i32>) -> RowFigures {
    let form = year.and_then(|y| dep.form_of(y));
    match form {
        Some(f) => {
            let a = Amounts::budget_of(f.declaration);
            RowFigures {
                year: Some(f.year),
                budget: Some(a.expenditure_total),
                basic_share: Amounts::percent(a.basic, a.expenditure_total),
                project_share: Amounts::percent(a.project, a.expenditure_total),
                indicators: f.indicator_count(),
                warnings: f
                    .notes
                    .iter()
                    .filter(|n| n.severity == Severity::Warning)
                    .count(),
            }
        }
        None => RowFigures {
            year: None,
            budget: None,
            basic_share: None,
            project_share: None,
            indicators: 0,
            warnings: 0,
        },
    }
}

pub fn district(d: &District<'_>, config: &SiteConfig, path: &str) -> DistrictView {
    let mut meta = PageMeta::new(config, &d.name, path, "district");
    meta.sample_data = d.sample_data;
    let year = d.latest_year();
    let root = meta.root.clone();
    let link = |target: String| format!("{root}{target}");
    let rows: Vec<DepartmentRow> = d
        .departments
        .iter()
        .map(|dep| {
            let f = row_figures(dep, year);
            let status = match (f.year, f.warnings) {
                (None, _) => format!("未报送{}年度", year.unwrap_or_default()),
                (Some(_), 0) => "通过".to_owned(),
                (Some(_), n) => format!("{n} 条提示"),
            };
            DepartmentRow {
                name: dep.name.clone(),
                href: link(department_page(d, dep)),
                year: f.year,
                budget: money(f.budget),
                budget_sort: plain(f.budget),
                basic_share: percent(f.basic_share),
                basic_share_sort: plain(f.basic_share),
                project_share: percent(f.project_share),
                project_share_sort: plain(f.project_share),
                indicators: f.indicators,
                warnings: f.warnings,
                status,
            }
        })
        .collect();
    let mut charts = Vec::new();
    if let Some(y) = year {
        let mut ranked: Vec<(&Department<'_>, Decimal)> = d
            .departments
            .iter()
            .filter_map(|dep| {
                dep.form_of(y)
                    .map(|f| (dep, Amounts::budget_of(f.declaration).expenditure_total))
            })
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.key.cmp(&b.0.key)));
        charts.push(ChartView::from(Chart {
            id: "chart-ranking".to_owned(),
            title: format!("{y}年各部门预算支出排名"),
            unit: "万元".to_owned(),
            kind: ChartKind::Ranking,
            categories: ranked.iter().map(|(dep, _)| dep.name.clone()).collect(),
            series: vec![Series {
                name: "预算支出".to_owned(),
                values: ranked.iter().map(|(_, v)| Some(*v)).collect(),
            }],
        }));
    }
    let budgets: Vec<(i32, Amounts)> = d
        .totals
        .iter()
        .filter_map(|(y, p)| p.budget.map(|b| (*y, b)))
        .collect();
    charts.push(ChartView::from(Chart {
        id: "chart-structure".to_owned(),
        title: "历年预算支出结构（基本支出与项目支出）".to_owned(),
        unit: "万元".to_owned(),
        kind: ChartKind::Stacked,
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
    }));
    let years = d
        .totals
        .iter()
        .rev()
        .map(|(&y, p)| YearTotalsRow {
            year: y,
            departments: d.counts.get(&y).copied().unwrap_or(0),
            budget: money(p.budget.map(|a| a.expenditure_total)),
            actual: money(p.actual.map(|a| a.expenditure_total)),
        })
        .collect();
    DistrictView {
        meta,
        name: d.name.clone(),
        year,
        department_count: d.departments.len(),
        form_count: d.departments.iter().map(|dep| dep.forms.len()).sum(),
        totals: year
            .and_then(|y| d.totals.get(&y))
            .and_then(|p| p.budget.as_ref())
            .map(TotalsView::from),
        rows,
        charts,
        csv_href: link(district_table(d, "csv")),
        xlsx_href: link(district_table(d, "xlsx")),
        years,
    }
}

// ---------------------------------------------------------------- home

#[derive(Debug, Clone, Serialize)]
pub struct HomeView {
    pub meta: PageMeta,
    pub districts: Vec<DistrictCard>,
    /// With one district the home page is its overview.
    pub single: Option<DistrictView>,
    pub unpublished: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DistrictCard {
    pub name: String,
    pub href: String,
    pub sample_data: bool,
    pub departments: usize,
    pub year: Option<i32>,
    pub budget: String,
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
            departments: d.departments.len(),
            year: d.latest_year(),
            budget: money(
                d.latest_year()
                    .and_then(|y| d.totals.get(&y))
                    .and_then(|p| p.budget.map(|b| b.expenditure_total)),
            ),
        })
        .collect();
    HomeView {
        meta,
        districts,
        single: None,
        unpublished: model.unpublished.len(),
    }
}

// ---------------------------------------------------------------- report

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub meta: PageMeta,
    pub files: usize,
    pub declarations: usize,
    pub errors: usize,
    pub warnings: usize,
    pub rules: Vec<RuleCount>,
    pub unpublished: Vec<UnpublishedView>,
    pub groups: Vec<FileGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleCount {
    pub code: String,
    pub title: String,
    pub severity: String,
    pub severity_label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnpublishedView {
    pub file: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileGroup {
    pub file: String,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<NoteView>,
}

/// The rule catalog as a table (for the report and the method page).
pub fn rule_catalog() -> Vec<RuleCount> {
    Code::ALL
        .iter()
        .map(|c| RuleCount {
            code: c.as_str().to_owned(),
            title: c.title_zh().to_owned(),
            severity: c.severity().as_str().to_owned(),
            severity_label: c.severity().label_zh().to_owned(),
            count: 0,
        })
        .collect()
}

pub fn report(
    batch: &crate::batch::Batch,
    model: &SiteModel<'_>,
    config: &SiteConfig,
) -> ReportView {
    let meta = PageMeta::new(config, "校验报告", "report.html", "report");
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &batch.diagnostics {
        *per_code.entry(d.code.as_str()).or_default() += 1;
    }
    let rules = rule_catalog()
        .into_iter()
        .map(|mut r| {
            r.count = per_code.get(r.code.as_str()).copied().unwrap_or(0);
            r
        })
        .collect();
    let mut groups: Vec<FileGroup> = Vec::new();
    for d in &batch.diagnostics {
        if groups.last().is_none_or(|g| g.file != d.file) {
            groups.push(FileGroup {
                file: d.file.clone(),
                errors: 0,
                warnings: 0,
                diagnostics: Vec::new(),
            });
        }
        let g = groups.last_mut().expect("pushed above");
        match d.severity {
            Severity::Error => g.errors += 1,
            Severity::Warning => g.warnings += 1,
        }
        g.diagnostics.push(NoteView::from(d));
    }
    let Counts { errors, warnings } = batch.counts();
    ReportView {
        meta,
        files: batch.files.len(),
        declarations: batch.declarations(),
        errors,
        warnings,
        rules,
        unpublished: model
            .unpublished
            .iter()
            .map(|u| UnpublishedView {
                file: u.file.to_owned(),
                reasons: if u.errors.is_empty() {
                    vec!["缺少部门名称或预算年度".to_owned()]
                } else {
                    u.errors
                        .iter()
                        .map(|e| format!("[{}] {}", e.code, e.message))
                        .collect()
                },
            })
            .collect(),
        groups,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyRow {
    pub level1: String,
    pub level2: String,
}

/// Taxonomy for the method page: level-1 → allowed level-2 names.
pub fn taxonomy_rows() -> Vec<TaxonomyRow> {
    ["产出", "效益", "满意度", "成本"]
        .iter()
        .map(|l1| TaxonomyRow {
            level1: format!("{l1}指标"),
            level2: taxonomy::describe_level2(l1),
        })
        .collect()
}

/// The district page's context: the page and the district.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictPage {
    pub meta: PageMeta,
    pub d: DistrictView,
}
