//! The `fujian` layout (`部门整体支出绩效目标表`, spec §5): 部门(单位)名称 with 部门预算编码,
//! `年度预算安排（万元）` with 资金总额 / 项目支出 / 基本支出 for the budget year only (no income
//! block), `年度总体目标` as `目标N：` texts, the `年度履职目标` table (部门职能 / 年度目标任务 /
//! 支出项目名称 / 预算金额), and one indicator table 一级 / 二级 / 三级指标 / 指标解释 / 目标值.

use super::split_overall_goals;
use super::table::{self, Columns, IndicatorTable};
use crate::diagnostic::Diagnostic;
use crate::ingest::cells::RawRow;
use crate::ingest::grid::Grid;
use crate::ingest::ParsedForm;
use crate::model::{Column, Declaration, Duty, Expenditure, Goal, Row};
use crate::text::label;

const HEAD_LABELS: &[&str] = &[
    "部门名称",
    "部门(单位)名称",
    "部门预算编码",
    "填报人",
    "联系电话",
];

/// Where the reader stands in the form.
enum Section {
    Head,
    Duties(DutyColumns),
    Indicators(IndicatorTable),
}

#[derive(Clone, Copy)]
struct DutyColumns {
    function: Option<usize>,
    task: Option<usize>,
    project: Option<usize>,
    amount: Option<usize>,
}

impl DutyColumns {
    fn from_header(labels: &[String]) -> Option<DutyColumns> {
        let at = |word: &str| labels.iter().position(|l| l.starts_with(word));
        let columns = DutyColumns {
            function: at("部门职能"),
            task: at("年度目标任务"),
            project: at("支出项目名称"),
            amount: at("预算金额"),
        };
        (columns.function.is_some() || columns.task.is_some()).then_some(columns)
    }
}

pub fn parse(grid: &Grid, file: &str) -> Result<ParsedForm, Diagnostic> {
    let mut d = Declaration::new();
    d.income = None;
    d.expenditure = Some(Expenditure::default());
    d.unit = Some("万元".to_owned());
    let mut source = crate::model::SourceMap::default();
    let mut out = Vec::new();
    let mut section = Section::Head;
    let mut duty_function: Option<String> = None;
    let mut seen = false;
    for row in grid.rows.iter().filter(|r| !r.is_blank()) {
        let labels: Vec<String> = row.cells.iter().map(|c| label(c)).collect();
        let find = |words: &[&str]| labels.iter().position(|l| words.contains(&l.as_str()));
        if table::title_row(row, &labels, &mut d, &mut source) {
            seen = true;
            continue;
        }
        if let Some(columns) = Columns::from_header(&labels) {
            seen = true;
            section = Section::Indicators(IndicatorTable::new(columns, row.line));
            continue;
        }
        if let Some(i) = find(&["部门名称", "部门(单位)名称"]) {
            seen = true;
            d.department = table::value_after(row, i, HEAD_LABELS);
            source.department = Some(row.line);
            if let Some(j) = find(&["部门预算编码"]) {
                d.budget_code = table::value_after(row, j, HEAD_LABELS);
            }
            continue;
        }
        if let Some(j) = find(&["部门预算编码"]) {
            seen = true;
            d.budget_code = table::value_after(row, j, HEAD_LABELS);
            continue;
        }
        if let Some(i) = labels.iter().position(|l| l.starts_with("年度总体目标")) {
            seen = true;
            let text = table::text_after(row, i).unwrap_or_default();
            d.overall_goals = split_overall_goals(&text.replace('\n', " "));
            source.overall_goals = Some(row.line);
            continue;
        }
        if labels.iter().any(|l| l == "年度履职目标") || DutyColumns::from_header(&labels).is_some()
        {
            seen = true;
            if let Some(columns) = DutyColumns::from_header(&labels) {
                section = Section::Duties(columns);
            }
            continue;
        }
        match &mut section {
            Section::Head => {
                seen |= money_row(row, &labels, &mut d, &mut source, file, &mut out);
            }
            Section::Duties(columns) => {
                if let Some(duty) = duty_row(row, *columns, &mut duty_function, file, &mut out) {
                    d.duties.push(duty);
                }
            }
            Section::Indicators(table) => table.row(row, file, &mut out),
        }
    }
    if !seen {
        return Err(super::not_a_declaration(file));
    }
    if let Section::Indicators(table) = section {
        d.goals.push(Goal {
            number: None,
            name: None,
            indicators: table.indicators,
        });
        source.goals.push(table.lines);
    }
    Ok(ParsedForm {
        declaration: d,
        source,
        diagnostics: out,
    })
}

/// `资金总额` / `项目支出` / `基本支出` with the budget-year amount in the next filled cell.
fn money_row(
    row: &RawRow,
    labels: &[String],
    d: &mut Declaration,
    source: &mut crate::model::SourceMap,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let found = labels.iter().enumerate().find_map(|(i, l)| {
        let kind = match l.as_str() {
            "资金总额" | "合计" => Row::ExpenditureTotal,
            "项目支出" => Row::Project,
            "基本支出" => Row::Basic,
            _ => return None,
        };
        Some((i, kind))
    });
    let Some((i, kind)) = found else {
        return labels.iter().any(|l| l.starts_with("年度预算安排"));
    };
    let text = row.next_filled(i).map_or("", |(_, c)| c);
    let what = if kind == Row::ExpenditureTotal {
        "资金总额"
    } else {
        kind.label()
    };
    match table::amount(text, what, row.line, file, out) {
        Ok(v) => d.budget_line_mut(kind).budget = v,
        Err(()) => source.bad_cells.push((kind, Column::Budget)),
    }
    source.rows.retain(|(r, _)| *r != kind);
    source.rows.push((kind, row.line));
    true
}

fn duty_row(
    row: &RawRow,
    columns: DutyColumns,
    function: &mut Option<String>,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Duty> {
    let cell = |i: Option<usize>| {
        i.and_then(|i| row.cells.get(i))
            .filter(|c| !c.is_empty())
            .cloned()
    };
    // 部门职能 is merged over its tasks: the cells below it are empty.
    if let Some(f) = cell(columns.function) {
        *function = Some(f);
    }
    let task = cell(columns.task);
    let project = cell(columns.project);
    let amount_text = cell(columns.amount);
    if task.is_none() && project.is_none() && amount_text.is_none() {
        return None;
    }
    let amount = amount_text
        .as_deref()
        .and_then(|t| table::amount(t, "年度履职目标的预算金额", row.line, file, out).ok())
        .flatten();
    Some(Duty {
        function: function.clone(),
        task,
        project,
        amount,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &str = "2019年度部门整体支出绩效目标表\n\
部门(单位)名称\t宁德市某局\t部门预算编码\t301001\n\
年\n度\n预\n算\n安\n排\n(万元)\t资金总额\t500.5\n\
\t项目支出\t300\n\
\t基本支出\t200.5\n\
年度总体目标\t目标1：做好甲 目标2：做好乙\n\
年度履职目标\t部门职能\t年度目标任务\t支出项目名称\t预算金额(万元)\n\
\t职能一\t任务一\t项目一\t100\n\
\t\t任务二\t项目二\t二十\n\
一级指标\t二级指标\t三级指标\t指标解释\t目标值\n\
产出指标\t数量指标\t培训人次\t100%(历史标准)\t≥500人次\n\
\t\t覆盖乡镇\t\t12个\n";

    #[test]
    fn reads_the_fujian_form() {
        let grid = Grid::from_text(&FORM.replace(
            "年\n度\n预\n算\n安\n排\n(万元)",
            "\"年\n度\n预\n算\n安\n排\n(万元)\"",
        ));
        let p = parse(&grid, "f.txt").unwrap();
        let d = &p.declaration;
        assert_eq!(d.fiscal_year, Some(2019));
        assert_eq!(d.department.as_deref(), Some("宁德市某局"));
        assert_eq!(d.budget_code.as_deref(), Some("301001"));
        assert!(d.income.is_none());
        let e = d.expenditure.as_ref().unwrap();
        assert_eq!(e.total.budget, Some("500.5".parse().unwrap()));
        assert_eq!(e.project.budget, Some("300".parse().unwrap()));
        assert_eq!(e.basic.budget, Some("200.5".parse().unwrap()));
        assert_eq!(d.overall_goals, ["做好甲", "做好乙"]);
        assert_eq!(d.duties.len(), 2);
        assert_eq!(d.duties[1].function.as_deref(), Some("职能一"));
        assert_eq!(d.duties[1].amount, None);
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        assert_eq!(p.diagnostics[0].code, crate::diagnostic::Code::BadNumber);
        assert_eq!(d.goals.len(), 1);
        assert_eq!(d.goals[0].number, None);
        let inds = &d.goals[0].indicators;
        assert_eq!(inds.len(), 2);
        assert_eq!(inds[0].explanation.as_deref(), Some("100%(历史标准)"));
        assert_eq!(inds[1].level2.as_deref(), Some("数量指标"));
        assert_eq!(inds[1].target.as_deref(), Some("12个"));
    }
}
