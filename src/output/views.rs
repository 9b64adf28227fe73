//! View structs: exactly what the templates see, built from the analyzed model. Templates never
//! touch the model, so the model can change without breaking users' template overrides, and
//! every number reaches a page already formatted (`1,234.56`, `93.58%`).

use crate::analyze::stats::{DepartmentFigures, DistrictFigures, OutlierKind, Spread, YearFigures};
use crate::analyze::{Department, District, Form, SiteModel};
use crate::config::SiteConfig;
use crate::diagnostic::{Code, Counts, Diagnostic, Severity};
use crate::format::{money, percent, plain};
use crate::model::amounts::{Amounts, YearPoint};
use crate::model::quality::Quality;
use crate::model::taxonomy;
use crate::model::{BudgetLine, Declaration, Row};
use crate::output::charts::{Chart, ChartKind, ChartTable, Series};
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
    /// Year by year, latest first: budget, actual, growth, execution, structure.
    pub figures: Vec<FigureRow>,
    /// Compound annual growth of the budget over the years known.
    pub cagr: Option<String>,
    pub cagr_span: Option<String>,
    /// Whether any of the department's forms has money figures (a Hunan form has none, and
    /// its page has no budget section to show).
    pub has_money: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureRow {
    pub year: i32,
    pub budget_income: String,
    pub budget_expenditure: String,
    pub actual_expenditure: String,
    pub growth: String,
    pub execution: String,
    pub fiscal_dependence: String,
    pub basic_share: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QualityView {
    pub score: String,
    pub goals: usize,
    pub indicators: usize,
    pub per_goal: String,
    pub measurable: usize,
    pub measurable_share: String,
    pub coverage: usize,
    pub complete_goals: usize,
}

impl From<&Quality> for QualityView {
    fn from(q: &Quality) -> Self {
        QualityView {
            score: score_text(Some(q.score)),
            goals: q.goals,
            indicators: q.indicators,
            per_goal: q.per_goal.map_or_else(
                || "—".to_owned(),
                |v| format!("{:.1}", crate::format::round(v, 1)),
            ),
            measurable: q.measurable,
            measurable_share: percent(q.measurable_share),
            coverage: q.level2_coverage,
            complete_goals: q.complete_goals,
        }
    }
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
    pub quality: QualityView,
    /// What the form's layout holds (spec §5): a block it has no place for is said to
    /// be absent, never shown as 0.
    pub layout: LayoutView,
    /// Fujian's `年度履职目标` rows.
    pub duties: Vec<DutyView>,
    /// The form's findings in plain words for a reader (`3 条质量提示：指标值不可衡量 2 条、…`);
    /// lines and fix-it advice are on the report, at `report_href`.
    pub notes_summary: String,
    pub report_href: String,
}

/// The layout of a form and the parts it has.
#[derive(Debug, Clone, Serialize)]
pub struct LayoutView {
    /// `湖北表式` …, empty for a canonical file without `layout`.
    pub title: String,
    pub budget_code: String,
    pub has_income: bool,
    pub has_expenditure: bool,
    /// One indicator table for the department instead of one per goal.
    pub single_table: bool,
    /// Indicator columns shown: only those the layout has and the form filled.
    pub prior_column: bool,
    pub unit_column: bool,
    pub kind_column: bool,
    pub explanation_column: bool,
    pub standard_column: bool,
    pub remark_column: bool,
    /// How the third level is named: `三级指标` where the layout has three levels.
    pub name_label: String,
    /// How the target column is named: `指标值` in Fujian and Hunan.
    pub target_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DutyView {
    pub function: String,
    pub task: String,
    pub project: String,
    pub amount: String,
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
    pub number: Option<u32>,
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
    pub unit: String,
    pub value_kind: String,
    pub explanation: String,
    pub remark: String,
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
    ((f, quality), decl): ((&Form<'_>, &Quality), &Declaration),
    config: &SiteConfig,
    root: &str,
) -> FormView {
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
                                .is_some_and(crate::model::quality::is_measurable),
                            unit: text(&i.unit),
                            value_kind: text(&i.value_kind),
                            explanation: text(&i.explanation),
                            remark: text(&i.remark),
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
        quality: QualityView::from(quality),
        layout: layout_view(decl),
        notes_summary: notes_summary(&f.notes),
        report_href: format!(
            "{root}report.html#{}",
            report_anchor(f.file, f.source.sheet.as_deref())
        ),
        duties: decl
            .duties
            .iter()
            .map(|u| DutyView {
                function: text(&u.function),
                task: text(&u.task),
                project: text(&u.project),
                amount: money(u.amount),
            })
            .collect(),
    }
}

/// `3 条质量提示：指标值不可衡量 2 条、未填写的模板行 1 条`: the notes by rule, in the rule
/// catalog's order, in the words of the rule names.
fn notes_summary(notes: &[&Diagnostic]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = Code::ALL
        .iter()
        .filter_map(|&code| {
            let n = notes.iter().filter(|d| d.code == code).count();
            (n > 0).then(|| format!("{} {n} 条", code.title_zh()))
        })
        .collect();
    format!("{} 条质量提示：{}", notes.len(), parts.join("、"))
}

fn layout_view(decl: &Declaration) -> LayoutView {
    use crate::model::Layout;
    let indicators = || decl.goals.iter().flat_map(|g| &g.indicators);
    let any = |f: fn(&crate::model::Indicator) -> bool| indicators().any(f);
    let three_levels = matches!(decl.layout, Some(Layout::Fujian | Layout::Hunan));
    LayoutView {
        title: decl
            .layout
            .map(|l| l.title().to_owned())
            .unwrap_or_default(),
        budget_code: text(&decl.budget_code),
        has_income: decl.income.is_some(),
        has_expenditure: decl.expenditure.is_some(),
        single_table: decl.goals.iter().any(|g| g.number.is_none()),
        prior_column: any(|i| !i.prior_years.0.is_empty()),
        unit_column: any(|i| i.unit.is_some()),
        kind_column: any(|i| i.value_kind.is_some()),
        explanation_column: any(|i| i.explanation.is_some()),
        standard_column: !three_levels || any(|i| i.standard.is_some()),
        remark_column: any(|i| i.remark.is_some()),
        name_label: if three_levels {
            "三级指标"
        } else {
            "指标名称"
        }
        .to_owned(),
        target_label: if three_levels {
            "指标值"
        } else {
            "预期当年实现值"
        }
        .to_owned(),
    }
}

/// A department's page; `declarations` are its forms' declarations, in `dep.forms` order.
pub fn department(
    d: &District<'_>,
    dep: &Department<'_>,
    figures: &DepartmentFigures,
    config: &SiteConfig,
    declarations: &[&Declaration],
) -> DepartmentView {
    let path = department_page(d, dep);
    let mut meta = PageMeta::new(config, &dep.name, &path, "department");
    meta.sample_data = d.sample_data;
    let latest = dep.latest();
    let mut charts = Vec::new();
    // A layout without an income block has no income figures, not figures of 0; a cell the
    // form left blank (其他资金, often) is said as 未填, not drawn as 0.
    let parts = [
        (
            "财政拨款",
            Row::FiscalAppropriation,
            latest.facts.has_income,
            0,
        ),
        ("其他资金", Row::Other, latest.facts.has_income, 0),
        ("基本支出", Row::Basic, latest.facts.has_expenditure, 1),
        ("项目支出", Row::Project, latest.facts.has_expenditure, 1),
    ];
    let cell = |row: Row, has: bool| latest.facts.row(row).budget.filter(|_| has);
    charts.push(ChartView::from(Chart {
        id: "chart-structure".to_owned(),
        title: format!("{}年预算收支构成", latest.year),
        unit: "万元".to_owned(),
        kind: ChartKind::Shares,
        categories: vec!["收入".to_owned(), "支出".to_owned()],
        series: parts
            .iter()
            .map(|&(name, row, has, c)| Series {
                name: name.to_owned(),
                values: (0..2).map(|i| cell(row, has).filter(|_| i == c)).collect(),
            })
            .collect(),
        blank: (0..parts.len())
            .filter(|&s| parts[s].2 && cell(parts[s].1, true).is_none())
            .map(|s| (s, parts[s].3))
            .collect(),
    }));
    let years: Vec<i32> = dep.series.keys().copied().collect();
    charts.push(ChartView::from(budget_vs_actual(
        "chart-years",
        &format!("{}历年预算与实际支出", dep.name),
        &dep.series,
    )));
    let rows = figures
        .years
        .iter()
        .rev()
        .map(|y| FigureRow {
            year: y.year,
            budget_income: money(
                y.budget
                    .filter(|_| dep.form_of(y.year).is_none_or(|f| f.facts.has_income))
                    .map(|a| a.income_total),
            ),
            budget_expenditure: money(y.budget.map(|a| a.expenditure_total)),
            actual_expenditure: money(y.actual.map(|a| a.expenditure_total)),
            growth: percent(y.budget_growth),
            execution: percent(y.execution),
            fiscal_dependence: percent(y.fiscal_dependence),
            basic_share: percent(y.basic_share),
        })
        .collect();
    let budget_years: Vec<i32> = figures
        .years
        .iter()
        .filter(|y| y.budget.is_some())
        .map(|y| y.year)
        .collect();
    let district_href = format!("{}{}", meta.root, district_index(d));
    let forms = dep
        .forms
        .iter()
        .zip(&figures.quality)
        .zip(declarations.iter().copied())
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
        figures: rows,
        cagr: figures.cagr.map(|c| percent(Some(c))),
        cagr_span: match (budget_years.first(), budget_years.last()) {
            (Some(a), Some(b)) if a < b => Some(format!("{a}—{b}年")),
            _ => None,
        },
        has_money: dep
            .forms
            .iter()
            .any(|f| f.facts.has_income || f.facts.has_expenditure),
    }
}

fn budget_vs_actual(id: &str, title: &str, series: &BTreeMap<i32, YearPoint>) -> Chart {
    Chart {
        id: id.to_owned(),
        title: title.to_owned(),
        unit: "万元".to_owned(),
        kind: ChartKind::Grouped,
        blank: Vec::new(),
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

#[derive(Debug, Clone, Serialize)]
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
}

/// A headline figure: `69.03 亿元` with its exact value in 万元 (`690,338.32 万元`) to show on
/// hover; `—` alone without a figure.
#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct YearRow {
    pub name: String,
    pub href: String,
    pub filed: bool,
    pub income: String,
    pub income_sort: String,
    pub expenditure: String,
    pub expenditure_sort: String,
    pub basic_share: String,
    pub basic_share_sort: String,
    pub project_share: String,
    pub project_share_sort: String,
    pub fiscal_dependence: String,
    pub fiscal_dependence_sort: String,
    pub growth: String,
    pub growth_sort: String,
    pub execution: String,
    pub execution_sort: String,
    pub indicators: usize,
    pub score: String,
    pub score_sort: String,
    pub warnings: usize,
    pub status: String,
}

/// The exact figures behind a `YearRow`, shared with the CSV/XLSX downloads.
pub struct YearFiguresRow<'m> {
    pub department: &'m Department<'m>,
    pub form: Option<&'m Form<'m>>,
    pub figures: Option<&'m YearFigures>,
    pub quality: Option<&'m Quality>,
}

impl YearFiguresRow<'_> {
    pub fn warnings(&self) -> usize {
        self.form.map_or(0, |f| {
            f.notes
                .iter()
                .filter(|n| n.severity == Severity::Warning)
                .count()
        })
    }
}

/// Every department of the district with its figures for `year`.
pub fn year_figures<'m>(
    d: &'m District<'m>,
    figures: &'m DistrictFigures,
    year: i32,
) -> Vec<YearFiguresRow<'m>> {
    d.departments
        .iter()
        .zip(&figures.departments)
        .map(|(dep, f)| {
            let form_index = dep.forms.iter().position(|x| x.year == year);
            YearFiguresRow {
                department: dep,
                form: form_index.map(|i| &dep.forms[i]),
                figures: f.year(year),
                quality: form_index.map(|i| &f.quality[i]),
            }
        })
        .collect()
}

/// A district's departments in one year, largest budget first (departments without a budget
/// that year last), then by name in pinyin order.
fn year_rows(d: &District<'_>, figures: &DistrictFigures, year: i32, root: &str) -> Vec<YearRow> {
    let mut rows = year_figures(d, figures, year);
    let spent = |r: &YearFiguresRow<'_>| {
        r.form
            .and(r.figures)
            .and_then(|y| y.budget)
            .map(|b| b.expenditure_total)
    };
    rows.sort_by(|a, b| {
        spent(b)
            .cmp(&spent(a))
            .then_with(|| crate::collate::names(&a.department.name, &b.department.name))
    });
    rows.into_iter()
        .map(|r| {
            let y = r.figures;
            let budget = y.and_then(|y| y.budget).filter(|_| r.form.is_some());
            let warnings = r.warnings();
            let status = match (r.form, warnings) {
                (None, _) if d.is_withheld(&r.department.key, year) => "有错误，未发布".to_owned(),
                (None, _) => format!("未报送{year}年度"),
                (Some(_), 0) => "通过".to_owned(),
                (Some(_), n) => format!("{n} 条提示"),
            };
            let pair = |v: Option<Decimal>, f: fn(Option<Decimal>) -> String| (f(v), plain(v));
            let has_income = r.form.is_some_and(|f| f.facts.has_income);
            let income_budget = budget.filter(|_| has_income);
            let (income, income_sort) = pair(income_budget.map(|b| b.income_total), money);
            let (expenditure, expenditure_sort) = pair(budget.map(|b| b.expenditure_total), money);
            let (basic_share, basic_share_sort) = pair(y.and_then(|y| y.basic_share), percent);
            let (project_share, project_share_sort) =
                pair(y.and_then(|y| y.project_share), percent);
            let (fiscal_dependence, fiscal_dependence_sort) =
                pair(y.and_then(|y| y.fiscal_dependence), percent);
            let (growth, growth_sort) = pair(y.and_then(|y| y.budget_growth), percent);
            let (execution, execution_sort) = pair(y.and_then(|y| y.execution), percent);
            let (score, score_sort) = pair(r.quality.map(|q| q.score), score_text);
            YearRow {
                name: r.department.name.clone(),
                href: format!("{root}{}", department_page(d, r.department)),
                filed: r.form.is_some(),
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
        })
        .collect()
}

/// A quality score for people: one decimal.
fn score_text(v: Option<Decimal>) -> String {
    v.map_or_else(
        || "—".to_owned(),
        |s| format!("{:.1}", crate::format::round(s, 1)),
    )
}

fn year_totals(d: &District<'_>, figures: &DistrictFigures, root: &str) -> Vec<YearTotalsRow> {
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

/// The departments ranked by budget; none for fewer than two (nothing to compare).
fn ranking_chart(d: &District<'_>, figures: &DistrictFigures, year: i32) -> Option<Chart> {
    let y = figures.years.iter().find(|y| y.year == year)?;
    if y.ranking.len() < 2 {
        return None;
    }
    Some(Chart {
        id: "chart-ranking".to_owned(),
        title: format!("{year}年各部门预算支出排名"),
        unit: "万元".to_owned(),
        kind: ChartKind::Ranking,
        blank: Vec::new(),
        categories: y
            .ranking
            .iter()
            .map(|(i, _)| d.departments[*i].name.clone())
            .collect(),
        series: vec![Series {
            name: "预算支出".to_owned(),
            values: y.ranking.iter().map(|(_, v)| Some(*v)).collect(),
        }],
    })
}

/// 基本 and 项目 over the budget years; none for a single year (one bar compares nothing — the
/// totals beside it say the same).
fn structure_chart(figures: &DistrictFigures) -> Option<Chart> {
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
    let mut meta = PageMeta::new(config, &d.name, path, "district");
    meta.sample_data = d.sample_data;
    let year = d.latest_year();
    let root = meta.root.clone();
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
        rows: year.map_or_else(Vec::new, |y| year_rows(d, figures, y, &root)),
        charts,
        csv_href: format!("{root}{}", district_table(d, "csv")),
        xlsx_href: format!("{root}{}", district_table(d, "xlsx")),
        json_href: format!("{root}{}", district_json(d)),
        dashboard_href: format!("{root}{}", dashboard_page(d)),
        years: year_totals(d, figures, &root),
        meta,
    }
}

pub fn district_json(d: &District<'_>) -> String {
    format!("{}/data/district.json", d.slug)
}
pub fn dashboard_page(d: &District<'_>) -> String {
    format!("{}/dashboard.html", d.slug)
}
pub fn year_page(d: &District<'_>, year: i32) -> String {
    format!("{}/years/{year}/index.html", d.slug)
}
pub fn year_table(d: &District<'_>, year: i32, ext: &str) -> String {
    format!("{}/years/{year}/departments.{ext}", d.slug)
}

// ---------------------------------------------------------------- dashboard and year pages

#[derive(Debug, Clone, Serialize)]
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
}

#[derive(Debug, Clone, Serialize)]
pub struct OutlierRow {
    pub year: i32,
    pub department: String,
    pub href: String,
    pub kind: String,
    pub value: String,
    pub value_sort: String,
}

#[derive(Debug, Clone, Serialize)]
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
    let root = meta.root.clone();
    let link = |dep: &Department<'_>| format!("{root}{}", department_page(d, dep));
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
    let scoreboard = d
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
        .collect::<Vec<_>>();
    // A ranking ranks: highest score first, ties by name in pinyin order.
    let mut scoreboard = scoreboard;
    scoreboard.sort_by(|a, b| {
        b.score_value
            .cmp(&a.score_value)
            .then_with(|| crate::collate::names(&a.department, &b.department))
    });
    let totals_chart = Chart {
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
                values: figures
                    .years
                    .iter()
                    .map(|y| y.budget.map(|a| a.expenditure_total))
                    .collect(),
            },
            Series {
                name: "实际支出".to_owned(),
                values: figures
                    .years
                    .iter()
                    .map(|y| y.actual.map(|a| a.expenditure_total))
                    .collect(),
            },
        ],
    };
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
        meta,
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

#[derive(Debug, Clone, Serialize)]
pub struct YearView {
    pub meta: PageMeta,
    pub name: String,
    pub year: i32,
    pub overview_href: String,
    pub dashboard_href: String,
    pub totals: Option<YearTotalsRow>,
    pub rows: Vec<YearRow>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub other_years: Vec<NavLink>,
}

pub fn year(
    d: &District<'_>,
    figures: &DistrictFigures,
    config: &SiteConfig,
    year: i32,
) -> YearView {
    let path = year_page(d, year);
    let mut meta = PageMeta::new(
        config,
        &format!("{}{}年度部门预算", d.name, year),
        &path,
        "district",
    );
    meta.sample_data = d.sample_data;
    let root = meta.root.clone();
    YearView {
        name: d.name.clone(),
        year,
        overview_href: format!("{root}{}", district_index(d)),
        dashboard_href: format!("{root}{}", dashboard_page(d)),
        totals: year_totals(d, figures, &root)
            .into_iter()
            .find(|t| t.year == year),
        rows: year_rows(d, figures, year, &root)
            .into_iter()
            .filter(|r| r.filed)
            .collect(),
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
        meta,
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
    /// Districts none of whose forms could be published, with how many forms they sent: still
    /// listed, with why.
    pub withheld_districts: Vec<WithheldDistrict>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WithheldDistrict {
    pub name: String,
    pub forms: usize,
}

#[derive(Debug, Clone, Serialize)]
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
    /// Districts whose data is fictional (`sample_data`): the report says so.
    pub sample_districts: Vec<String>,
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

/// One form's findings on the report: who filed it (linked when published), the file and sheet
/// it came from, and each finding with its Chinese rule name and line.
#[derive(Debug, Clone, Serialize)]
pub struct FileGroup {
    /// The id department pages link to (`report.html#f-…`).
    pub anchor: String,
    /// The department as the form names it, or empty for a file read as no declaration.
    pub department: String,
    pub year: Option<i32>,
    /// The department's page, when the form is published there.
    pub href: Option<String>,
    pub published: bool,
    pub file: String,
    pub sheet: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<NoteView>,
}

/// `text` cut to at most `chars` characters, with `…` where it was cut.
fn shorten(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The report's anchor for the findings of one declaration (a file, and a worksheet of it).
pub fn report_anchor(file: &str, sheet: Option<&str>) -> String {
    let key = match sheet {
        Some(sheet) => format!("{file}\u{0}{sheet}"),
        None => file.to_owned(),
    };
    format!("f-{}", crate::hash::slug(&key))
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
    batch: &crate::load::Batch,
    model: &SiteModel<'_>,
    config: &SiteConfig,
) -> ReportView {
    let meta = PageMeta::new(config, "校验报告", "report.html", "report");
    let sample_districts = model
        .districts
        .iter()
        .filter(|d| d.sample_data)
        .map(|d| d.name.clone())
        .collect();
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
    // Published forms link to their department's page.
    let mut pages: BTreeMap<(&str, Option<&str>), String> = BTreeMap::new();
    for d in &model.districts {
        for dep in &d.departments {
            for f in &dep.forms {
                let key = (f.file, f.source.sheet.as_deref());
                pages.insert(key, format!("{}#y{}", department_page(d, dep), f.year));
            }
        }
    }
    let mut groups: Vec<FileGroup> = batch
        .files
        .iter()
        .filter(|o| !o.diagnostics.is_empty())
        .map(|o| {
            let href = pages
                .get(&(o.file.display.as_str(), o.sheet.as_deref()))
                .cloned();
            let facts = o.facts.as_ref();
            let (errors, warnings) =
                o.diagnostics
                    .iter()
                    .fold((0, 0), |(e, w), d| match d.severity {
                        Severity::Error => (e + 1, w),
                        Severity::Warning => (e, w + 1),
                    });
            FileGroup {
                anchor: report_anchor(&o.file.display, o.sheet.as_deref()),
                // A name can be the form's error (`field-too-long`): shown cut, never whole.
                department: facts
                    .and_then(|f| f.department.as_deref())
                    .map(|n| shorten(n, 60))
                    .unwrap_or_default(),
                year: facts.and_then(|f| f.fiscal_year),
                published: href.is_some(),
                href,
                file: o.file.display.clone(),
                sheet: o.sheet.clone(),
                errors,
                warnings,
                diagnostics: o.diagnostics.iter().map(NoteView::from).collect(),
            }
        })
        .collect();
    // Findings on no file read (a folder that could not be walked) stand under their path.
    let read: std::collections::BTreeSet<&str> = batch
        .files
        .iter()
        .map(|o| o.file.display.as_str())
        .collect();
    for d in batch
        .diagnostics
        .iter()
        .filter(|d| !read.contains(d.file.as_str()))
    {
        groups.push(FileGroup {
            anchor: report_anchor(&d.file, None),
            department: String::new(),
            year: None,
            href: None,
            published: false,
            file: d.file.clone(),
            sheet: None,
            errors: usize::from(d.is_error()),
            warnings: usize::from(!d.is_error()),
            diagnostics: vec![NoteView::from(d)],
        });
    }
    // By department (pinyin order), then year, then file: how a reader looks for one.
    groups.sort_by(|a, b| {
        (a.department.is_empty())
            .cmp(&b.department.is_empty())
            .then_with(|| crate::collate::names(&a.department, &b.department))
            .then_with(|| (a.year, &a.file, &a.sheet).cmp(&(b.year, &b.file, &b.sheet)))
    });
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
        sample_districts,
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
