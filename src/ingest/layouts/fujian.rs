//! The `fujian` layout (`部门整体支出绩效目标表`, spec §5): 部门(单位)名称 with 部门预算编码,
//! `年度预算安排（万元）` with 资金总额 / 项目支出 / 基本支出 for the budget year only (no income
//! block), `年度总体目标` as `目标N：` texts, the `年度履职目标` table (部门职能 / 年度目标任务 /
//! 支出项目名称 / 预算金额), and one indicator table 一级 / 二级 / 三级指标 / 指标解释 / 目标值.

use super::header::{Column as TableColumn, ColumnMap, DataCell};
use super::split_overall_goals;
use super::table::{self, indicator_header, IndicatorTable};
use super::vocab::{concept_of_key, Concept, DUTY_COLUMNS};
use crate::diagnostic::Diagnostic;
use crate::ingest::cells::{parse_amount, RawRow};
use crate::ingest::grid::Grid;
use crate::ingest::ParsedForm;
use crate::model::{Column, Declaration, Duty, Expenditure, Goal, Row};

/// The labels of the head, whose cells are never another head label's value.
const HEAD: &[Concept] = &[
    Concept::Department,
    Concept::BudgetCode,
    Concept::FilledBy,
    Concept::Phone,
    Concept::FillDate,
];

enum Section {
    Head,
    Duties(ColumnMap),
    Indicators(IndicatorTable),
}

pub fn parse(grid: &Grid, file: &str) -> Option<ParsedForm> {
    let mut d = Declaration::new();
    d.income = None;
    d.expenditure = Some(Expenditure::default());
    d.unit = Some("万元".to_owned());
    let mut source = crate::model::SourceMap::default();
    let mut out = Vec::new();
    let mut section = Section::Head;
    let mut duty_function: Option<String> = None;
    let mut seen = false;
    let mut own_row_year = None;
    for row in grid.rows.iter().filter(|r| !r.is_blank()) {
        let labels = row.keys();
        let find = |c: Concept| labels.iter().position(|l| concept_of_key(l) == Some(c));
        if table::title_row(row, labels, &mut d, &mut source) {
            seen = true;
            continue;
        }
        if let Some(year) = table::own_row_year(row) {
            own_row_year.get_or_insert(year);
            continue;
        }
        if let Some(map) = indicator_header(labels) {
            seen = true;
            let fiscal_year = d.fiscal_year.or(own_row_year);
            section = Section::Indicators(IndicatorTable::new(
                map,
                row.line,
                fiscal_year,
                "绩效指标表".to_owned(),
            ));
            continue;
        }
        if let Section::Indicators(table) = &mut section {
            table.row(row, file, &mut out);
            continue;
        }
        if find(Concept::Department).is_some() || find(Concept::BudgetCode).is_some() {
            seen = true;
            for (i, l) in labels.iter().enumerate() {
                match concept_of_key(l) {
                    Some(Concept::Department) => {
                        d.department = table::value_after(row, labels, i, HEAD);
                        source.department = Some(row.line);
                    }
                    Some(Concept::BudgetCode) => {
                        d.budget_code = table::value_after(row, labels, i, HEAD);
                    }
                    _ => {}
                }
            }
            continue;
        }
        if let Some(i) = find(Concept::OverallGoals) {
            seen = true;
            let text = table::text_after(row, i).unwrap_or_default();
            d.overall_goals = split_overall_goals(&text.replace('\n', " "));
            source.overall_goals = Some(row.line);
            continue;
        }
        if let Some(mut map) = ColumnMap::from_labels(labels, DUTY_COLUMNS, 2) {
            map.close();
            seen = true;
            section = Section::Duties(map);
            continue;
        }
        if find(Concept::Duties).is_some() {
            seen = true;
            continue;
        }
        match &mut section {
            Section::Head => {
                seen |= money_row(row, labels, &mut d, &mut source, file, &mut out);
            }
            Section::Duties(map) => {
                if let Some(duty) = duty_row(row, map, &mut duty_function, file, &mut out) {
                    d.duties.push(duty);
                }
            }
            Section::Indicators(_) => unreachable!("indicator rows are read above"),
        }
    }
    if !seen {
        return None;
    }
    d.fiscal_year = d.fiscal_year.or(own_row_year);
    if let Section::Indicators(table) = section {
        d.goals.push(Goal {
            number: None,
            name: None,
            indicators: table.indicators,
        });
        source.goals.push(table.lines);
    }
    Some(ParsedForm {
        declaration: d,
        source,
        diagnostics: out,
    })
}

/// A row of `年度预算安排`: 资金总额 (the total), 项目支出 or 基本支出, the amount in the next
/// filled cell.
fn money_row(
    row: &RawRow,
    labels: &[String],
    d: &mut Declaration,
    source: &mut crate::model::SourceMap,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let found = labels.iter().enumerate().find_map(|(i, l)| {
        let kind = match concept_of_key(l)? {
            Concept::FundTotal | Concept::Total | Concept::ExpenditureTotal => {
                Row::ExpenditureTotal
            }
            Concept::Project => Row::Project,
            Concept::Basic => Row::Basic,
            _ => return None,
        };
        Some((i, kind))
    });
    let Some((i, kind)) = found else {
        return labels
            .iter()
            .any(|l| concept_of_key(l) == Some(Concept::BudgetArrangement));
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

/// A row of `年度履职目标` through its header; 部门职能 carries down over merged cells.
fn duty_row(
    row: &RawRow,
    map: &ColumnMap,
    function: &mut Option<String>,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Duty> {
    let (mut task, mut project, mut amount_text) = (None, None, None);
    for (col, value) in map.assign(row, 0, is_amount, duty_fit) {
        let v = Some(value.to_owned());
        match col.concept {
            Concept::DutyFunction => *function = v,
            Concept::DutyTask => task = v,
            Concept::DutyProject => project = v,
            Concept::DutyAmount => amount_text = v,
            _ => {}
        }
    }
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

/// Whether a duty cell holds an amount.
fn is_amount(cell: &DataCell) -> bool {
    matches!(parse_amount(cell.raw), Ok(Some(_)))
}

/// Amounts belong under 预算金额, texts under the others.
fn duty_fit(col: &TableColumn, &number: &bool) -> i32 {
    match (col.concept, number) {
        (Concept::DutyAmount, true) => 2,
        (Concept::DutyAmount, false) => 0,
        (_, true) => -2,
        (_, false) => 1,
    }
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
