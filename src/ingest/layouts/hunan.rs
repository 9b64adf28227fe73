//! The `hunan` layout (`年度整体绩效目标表`, spec §5): no money at all; 部门(单位)名称,
//! `*部门(单位)职责`, `*年度总体绩效目标`, a `绩效指标` banner and one indicator table
//! 一级 / 二级 / 三级指标 / 指标值类型 / 指标值 / 计量单位 / 指标解释 / 评(扣)分标准 / 备注.
//! Required-field labels carry a leading `*`, which `label` drops.

use super::split_overall_goals;
use super::table::{self, indicator_header, IndicatorTable};
use super::vocab::{concept_of_key, Concept};
use crate::ingest::cells::paragraphs;
use crate::ingest::grid::Grid;
use crate::ingest::ParsedForm;
use crate::model::{Declaration, Goal};

/// The labels of the head, whose cells are never another head label's value.
const HEAD: &[Concept] = &[
    Concept::Department,
    Concept::Functions,
    Concept::BudgetYear,
    Concept::OverallGoals,
];

pub fn parse(grid: &Grid, file: &str) -> Option<ParsedForm> {
    let mut d = Declaration::new();
    d.income = None;
    d.expenditure = None;
    let mut source = crate::model::SourceMap::default();
    let mut out = Vec::new();
    let mut indicators: Option<IndicatorTable> = None;
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
            indicators = Some(IndicatorTable::new(
                map,
                row.line,
                fiscal_year,
                "绩效指标表".to_owned(),
            ));
            continue;
        }
        if let Some(table) = indicators.as_mut() {
            table.row(row, file, &mut out);
            continue;
        }
        if let Some(i) = find(Concept::Department) {
            seen = true;
            d.department = table::value_after(row, labels, i, HEAD);
            source.department = Some(row.line);
        } else if let Some(i) = find(Concept::BudgetYear) {
            seen = true;
            if let Some(year) = table::value_after(row, labels, i, HEAD)
                .and_then(|v| table::year_in(&format!("{v}年")))
            {
                d.fiscal_year.get_or_insert(year);
                source.title.get_or_insert(row.line);
            }
        } else if let Some(i) = find(Concept::Functions) {
            seen = true;
            d.functions = table::text_after(row, i)
                .map(|t| paragraphs(&t))
                .unwrap_or_default();
        } else if let Some(i) = find(Concept::OverallGoals) {
            seen = true;
            let text = table::text_after(row, i).unwrap_or_default();
            d.overall_goals = split_overall_goals(&text.replace('\n', " "));
            source.overall_goals = Some(row.line);
        } else if find(Concept::IndicatorBanner).is_some() {
            seen = true;
        }
    }
    if !seen {
        return None;
    }
    d.fiscal_year = d.fiscal_year.or(own_row_year);
    if let Some(table) = indicators {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_hunan_form() {
        let text = "2023年度整体绩效目标表\n\
部门(单位)名称\t岳阳楼区某中心\n\
*部门(单位)职责\t1、负责甲。 2、负责乙。\n\
*年度总体绩效目标\t目标1：完成甲 目标2：完成乙\n\
绩效指标\n\
一级指标\t二级指标\t三级指标\t指标值类型\t*指标值\t计量单位\t*指标解释\t*评(扣)分标准\t备注\n\
产出指标\t数量指标\t鉴定件数\t定量\t≥300\t件\t全年完成\t每少10件扣1分\t\n\
\t质量指标\t差错率\t定量\t较低\t%\t\t\t\n\
效益指标\t经济效益指标\t\t\t\t\t\t\t\n";
        let p = parse(&Grid::from_text(text), "h.txt").unwrap();
        let d = &p.declaration;
        assert_eq!(d.fiscal_year, Some(2023));
        assert_eq!(d.department.as_deref(), Some("岳阳楼区某中心"));
        assert!(d.income.is_none() && d.expenditure.is_none());
        assert_eq!(d.functions, ["1、负责甲。", "2、负责乙。"]);
        assert_eq!(d.overall_goals, ["完成甲", "完成乙"]);
        let inds = &d.goals[0].indicators;
        assert_eq!(inds.len(), 2);
        assert_eq!(inds[0].value_kind.as_deref(), Some("定量"));
        assert_eq!(inds[0].unit.as_deref(), Some("件"));
        assert_eq!(inds[0].standard.as_deref(), Some("每少10件扣1分"));
        assert_eq!(inds[1].level1.as_deref(), Some("产出指标"));
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.source.goals[0].indicators, [7, 8]);
    }
}
