//! What the single-table layouts (`fujian`, `hunan`) share: the one indicator table whose
//! columns are named by its header row (一级/二级/三级指标, 指标值类型, 指标值 or 目标值, 计量单位,
//! 指标解释, 评(扣)分标准, 备注), head cells that hold their value in the next filled cell, and
//! the budget year in a title. Merged 一级 and 二级 cells leave the cells below them empty:
//! both carry down to the rows of the same block.

use crate::diagnostic::{Code, Diagnostic};
use crate::ingest::cells::{self, parse_amount, RawRow};
use crate::model::{Declaration, GoalLines, Indicator, SourceMap, YearMap};
use crate::text::{label, to_half_width};
use rust_decimal::Decimal;

/// Where the indicator table's columns stand, read from its header row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Columns {
    level1: usize,
    level2: Option<usize>,
    name: Option<usize>,
    value_kind: Option<usize>,
    target: Option<usize>,
    unit: Option<usize>,
    explanation: Option<usize>,
    standard: Option<usize>,
    remark: Option<usize>,
}

impl Columns {
    /// The columns of a header row, if it is one (it names 一级指标 and a third level).
    pub fn from_header(labels: &[String]) -> Option<Columns> {
        let at = |words: &[&str]| labels.iter().position(|l| words.contains(&l.as_str()));
        let level1 = at(&["一级指标"])?;
        let name = at(&["三级指标", "指标名称", "指标内容"]);
        name?;
        Some(Columns {
            level1,
            level2: at(&["二级指标"]),
            name,
            value_kind: at(&["指标值类型", "指标性质"]),
            target: at(&["指标值", "目标值", "预期当年实现值", "年度指标值"]),
            unit: at(&["计量单位", "度量单位", "单位"]),
            explanation: at(&["指标解释"]),
            standard: at(&["评(扣)分标准", "评分标准", "绩效标准"]),
            remark: at(&["备注"]),
        })
    }
}

/// Reads the rows of one indicator table into indicators, with their lines.
#[derive(Debug, Default)]
pub struct IndicatorTable {
    columns: Columns,
    pub indicators: Vec<Indicator>,
    pub lines: GoalLines,
    level1: Option<String>,
    level2: Option<String>,
}

impl IndicatorTable {
    pub fn new(columns: Columns, header_line: u32) -> IndicatorTable {
        IndicatorTable {
            columns,
            lines: GoalLines {
                header: Some(header_line),
                indicators: Vec::new(),
            },
            ..IndicatorTable::default()
        }
    }

    /// One data row. An unfilled template row (a 二级指标 with nothing after it, or `____`)
    /// is a `placeholder-row` finding, not an indicator.
    pub fn row(&mut self, row: &RawRow, file: &str, out: &mut Vec<Diagnostic>) {
        let cell = |i: Option<usize>| {
            i.and_then(|i| row.cells.get(i))
                .filter(|c| !c.is_empty())
                .cloned()
        };
        let c = self.columns;
        let name = cell(c.name);
        let target = cell(c.target);
        if let Some(l1) = cell(Some(c.level1)) {
            self.level1 = Some(l1);
            self.level2 = None;
        }
        if let Some(l2) = cell(c.level2) {
            self.level2 = Some(l2);
        }
        let level2_label = self.level2.as_deref().map(label).unwrap_or_default();
        let template = !level2_label.is_empty()
            && level2_label
                .trim_end_matches("指标")
                .chars()
                .all(|ch| matches!(ch, '_' | '＿' | '-'));
        if name.is_none() && target.is_none() || template {
            if cell(c.level2).is_some() || template {
                let what = self.level2.as_deref().unwrap_or("（空）");
                out.push(
                    Diagnostic::new(
                        Code::PlaceholderRow,
                        file,
                        format!("绩效指标表中有未填写的模板行（二级指标“{what}”），请填写指标或删除该行"),
                    )
                    .at(Some(row.line)),
                );
            }
            return;
        }
        self.indicators.push(Indicator {
            level1: self.level1.clone(),
            level2: self.level2.clone(),
            name,
            prior_years: YearMap::default(),
            target,
            standard: cell(c.standard),
            unit: cell(c.unit),
            value_kind: cell(c.value_kind),
            explanation: cell(c.explanation),
            remark: cell(c.remark),
        });
        self.lines.indicators.push(row.line);
    }
}

/// The value of a head cell: the first filled cell after the label at `index`, unless that is
/// another label of the head.
pub fn value_after(row: &RawRow, index: usize, labels: &[&str]) -> Option<String> {
    let (_, value) = row.next_filled(index)?;
    (!labels.contains(&label(value).as_str())).then(|| value.to_owned())
}

/// The filled cells after `index`, joined by a line break (a long text split over cells).
pub fn text_after(row: &RawRow, index: usize) -> Option<String> {
    let parts: Vec<&str> = row.cells[index + 1..]
        .iter()
        .filter(|c| !c.is_empty())
        .map(String::as_str)
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// A title row (a short cell naming a `…绩效目标表`): records its line, and the budget year it
/// names unless one was found before. Returns whether the row was one.
pub fn title_row(
    row: &RawRow,
    labels: &[String],
    d: &mut Declaration,
    source: &mut SourceMap,
) -> bool {
    let Some(year) = labels
        .iter()
        .find(|l| l.contains("绩效目标表") && l.chars().count() < 60)
        .map(|l| year_in(l))
    else {
        return false;
    };
    source.title.get_or_insert(row.line);
    if d.fiscal_year.is_none() {
        d.fiscal_year = year;
    }
    true
}

/// `2023年度整体绩效目标表`, `（2023年度）`: the budget year of a title cell.
pub fn year_in(cell: &str) -> Option<i32> {
    let chars: Vec<char> = to_half_width(cell).chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let digits = &chars[i..i + 4];
        let before_is_digit = i > 0 && chars[i - 1].is_ascii_digit();
        if before_is_digit || !digits.iter().all(char::is_ascii_digit) || chars[i + 4] != '年' {
            return None;
        }
        let year: i32 = digits.iter().collect::<String>().parse().ok()?;
        crate::model::is_plausible_year(year).then_some(year)
    })
}

/// Reads an amount cell; a cell that is not a number is a `bad-number` finding.
pub fn amount(
    text: &str,
    what: &str,
    line: u32,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> Result<Option<Decimal>, ()> {
    parse_amount(text).map_err(|e| {
        let shown: String = text.chars().take(40).collect();
        out.push(
            Diagnostic::new(
                Code::BadNumber,
                file,
                format!(
                    "{what}填写的“{shown}”{e}{}，请填写数字金额（万元）或留空",
                    cells::number_hint(text)
                ),
            )
            .at(Some(line)),
        );
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u32, cells: &[&str]) -> RawRow {
        RawRow {
            line,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn years_in_titles() {
        assert_eq!(year_in("2023年度整体绩效目标表"), Some(2023));
        assert_eq!(
            year_in("（２０１９年度）部门整体支出绩效目标表"),
            Some(2019)
        );
        assert_eq!(year_in("12023年"), None);
        assert_eq!(year_in("年度整体绩效目标表"), None);
    }

    #[test]
    fn merged_levels_carry_down_and_template_rows_are_findings() {
        let header: Vec<String> = [
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值类型",
            "*指标值",
            "计量单位",
            "*指标解释",
            "*评(扣)分标准",
            "备注",
        ]
        .iter()
        .map(|c| label(c))
        .collect();
        let columns = Columns::from_header(&header).expect("a header");
        let mut table = IndicatorTable::new(columns, 5);
        let mut out = Vec::new();
        table.row(
            &row(
                6,
                &[
                    "产出指标",
                    "数量指标",
                    "培训人次",
                    "定量",
                    "500",
                    "人次",
                    "全年",
                    "达到得分",
                    "",
                ],
            ),
            "f",
            &mut out,
        );
        table.row(
            &row(7, &["", "", "覆盖乡镇", "定量", "12", "个", "", "", "无"]),
            "f",
            &mut out,
        );
        table.row(
            &row(8, &["效益指标", "经济效益指标", "", "", "", "", "", "", ""]),
            "f",
            &mut out,
        );
        table.row(
            &row(
                9,
                &[
                    "",
                    "社会效益指标",
                    "群众知晓率",
                    "定性",
                    "显著提高",
                    "",
                    "",
                    "",
                    "",
                ],
            ),
            "f",
            &mut out,
        );
        assert_eq!(table.indicators.len(), 3);
        let second = &table.indicators[1];
        assert_eq!(second.level1.as_deref(), Some("产出指标"));
        assert_eq!(second.level2.as_deref(), Some("数量指标"));
        assert_eq!(second.unit.as_deref(), Some("个"));
        assert_eq!(second.remark.as_deref(), Some("无"));
        assert_eq!(table.indicators[2].level1.as_deref(), Some("效益指标"));
        assert_eq!(table.indicators[2].value_kind.as_deref(), Some("定性"));
        assert_eq!(table.lines.indicators, [6, 7, 9]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::PlaceholderRow);
        assert_eq!(out[0].line, Some(8));
    }
}
