//! The department page: each form of the department (latest first; earlier years folded) with
//! its budget table, duties, goals and indicators as its layout has them, the quality of its
//! targets in plain words, and the budget-vs-actual chart.

use super::*;

#[derive(Debug, Clone, Hash, Serialize)]
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
    /// Its self-evaluations, latest year first (`self_eval`).
    pub evaluations: Vec<EvaluationView>,
}

#[derive(Debug, Clone, Hash, Serialize)]
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

#[derive(Debug, Clone, Hash, Serialize)]
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

#[derive(Debug, Clone, Hash, Serialize)]
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
#[derive(Debug, Clone, Hash, Serialize)]
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

#[derive(Debug, Clone, Hash, Serialize)]
pub struct DutyView {
    pub function: String,
    pub task: String,
    pub project: String,
    pub amount: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Contacts {
    pub filled_by: String,
    pub phone: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct MoneyRow {
    pub label: String,
    pub is_total: bool,
    pub budget: String,
    pub share: String,
    pub prior: Vec<String>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct GoalView {
    pub number: Option<u32>,
    pub name: String,
    pub indicators: Vec<IndicatorView>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct IndicatorView {
    pub level1: String,
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

#[derive(Debug, Clone, Hash, Serialize)]
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
    let goals = decl.goals.iter().map(goal_view).collect();
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
        report_href: format!("{root}{}", f.report_href),
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

/// A goal's indicator table.
fn goal_view(g: &crate::model::Goal) -> GoalView {
    GoalView {
        number: g.number,
        name: text(&g.name),
        indicators: g
            .indicators
            .iter()
            .map(|i| {
                let l1 = i.level1.as_deref().unwrap_or("");
                IndicatorView {
                    level1: l1.to_owned(),
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
}

/// `3 条质量提示：指标值不可衡量 2 条、未填写的模板行 1 条`: the notes by rule, in the rule
/// catalog's order, in the words of the rule names.
pub(super) fn notes_summary(notes: &[&Diagnostic]) -> String {
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
    meta.district_feed = Some(format!("{}{}/feed.xml", meta.root, d.slug));
    let mut charts = vec![ChartView::from(structure_chart(dep.latest()))];
    let years: Vec<i32> = dep.series.keys().copied().collect();
    charts.push(ChartView::from(budget_vs_actual(
        "chart-years",
        &format!("{}历年预算与实际支出", dep.name),
        &dep.series,
    )));
    let rows = figure_rows(dep, figures);
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
    let evaluations = dep
        .evaluations
        .iter()
        .map(|f| evaluation_view(d, dep, f, config, &meta.root))
        .collect();
    DepartmentView {
        evaluations,
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

/// The latest form's budget: income by source, spending by kind, as shares. A layout without
/// an income block has no income figures, not figures of 0; a cell the form left blank
/// (其他资金, often) is said as 未填, not drawn as 0.
fn structure_chart(latest: &Form<'_>) -> Chart {
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
    Chart {
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
    }
}

/// The department's figures by year, latest first; income only where the form has it.
fn figure_rows(dep: &Department<'_>, figures: &DepartmentFigures) -> Vec<FigureRow> {
    figures
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
        .collect()
}

fn budget_vs_actual(id: &str, title: &str, series: &crate::model::amounts::Series) -> Chart {
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
