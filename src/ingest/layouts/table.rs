//! What the single-table layouts (`fujian`, `hunan`) share: the one indicator table whose
//! columns are named by its header row (一级/二级/三级指标, 指标值类型, 指标值 or 目标值, 计量单位,
//! 指标解释, 评(扣)分标准, 备注), head cells that hold their value in the next filled cell, and
//! the budget year in a title. Merged 一级 and 二级 cells leave the cells below them empty:
//! both carry down to the rows of the same block.

use super::header::{is_year_row, Column, ColumnMap, DataCell};
use super::vocab::{key, Concept, INDICATOR_COLUMNS};
use crate::diagnostic::{Code, Diagnostic};
use crate::ingest::cells::{self, parse_amount, RawRow};
use crate::model::{Declaration, GoalLines, Indicator, SourceMap, YearMap};
use crate::text::to_half_width;
use rust_decimal::Decimal;

/// Whether a header row opens an indicator table: it names a level and a name or a value.
pub fn indicator_header(labels: &[String]) -> Option<ColumnMap> {
    let map = ColumnMap::from_labels(labels, INDICATOR_COLUMNS, 2)?;
    let level = map.has(Concept::Level1) || map.has(Concept::Level2);
    let body = [Concept::Name, Concept::Target, Concept::Value]
        .iter()
        .any(|&c| map.has(c));
    (level && body).then_some(map)
}

/// Reads the rows of one indicator table through its header into indicators, with their lines.
#[derive(Debug)]
pub struct IndicatorTable {
    map: ColumnMap,
    /// Whether the header may still go on (a refining row, a row of years).
    in_header: bool,
    fiscal_year: Option<i32>,
    /// How findings name the table (`年度目标1`, `绩效指标表`).
    context: String,
    pub indicators: Vec<Indicator>,
    pub lines: GoalLines,
    level1: Option<String>,
    level2: Option<String>,
}

impl IndicatorTable {
    pub fn new(
        map: ColumnMap,
        header_line: u32,
        fiscal_year: Option<i32>,
        context: String,
    ) -> Self {
        IndicatorTable {
            map,
            in_header: true,
            fiscal_year,
            context,
            indicators: Vec::new(),
            lines: GoalLines {
                header: Some(header_line),
                indicators: Vec::new(),
            },
            level1: None,
            level2: None,
        }
    }

    /// A goal's table printed without a header of its own, read through the header of the
    /// goal before it (every goal of a form has the same columns).
    pub fn resume(map: ColumnMap, fiscal_year: Option<i32>, context: String) -> Self {
        let mut table = IndicatorTable::new(map, 0, fiscal_year, context);
        table.in_header = false;
        table.lines.header = None;
        table
    }

    /// The table's columns, complete (a header without data rows is complete too).
    pub fn into_columns(mut self) -> ColumnMap {
        if self.in_header {
            self.map.split_years(None, self.fiscal_year);
        }
        self.map
    }

    /// The same table going on after its header was repeated (a page break): the level-1 and
    /// level-2 cells above still hold.
    pub fn carry_from(&mut self, before: &IndicatorTable) {
        self.level1.clone_from(&before.level1);
        self.level2.clone_from(&before.level2);
    }

    /// The prior years the table's columns read.
    pub fn years(&self) -> Vec<i32> {
        self.map.years(Concept::PriorValues)
    }

    /// One row after the header: a further header row, or data. An unfilled template row (a
    /// 二级指标 with nothing after it, or `____`) is a `placeholder-row` finding, not an
    /// indicator.
    pub fn row(&mut self, row: &RawRow, file: &str, out: &mut Vec<Diagnostic>) {
        if self.in_header {
            if is_year_row(row) {
                self.map.split_years(Some(row), self.fiscal_year);
                self.in_header = false;
                return;
            }
            if self.map.refine(row, INDICATOR_COLUMNS) {
                return;
            }
            self.map.split_years(None, self.fiscal_year);
            self.in_header = false;
        }
        // `年度绩效指标` alone on a row is the merged label of the table.
        if row
            .cells
            .iter()
            .zip(row.keys())
            .filter(|(c, _)| !c.is_empty())
            .all(|(_, k)| k == "年度绩效指标" || k == "绩效指标")
        {
            return;
        }
        let mut ind = Indicator::default();
        let mut prior = Vec::new();
        let (mut level1_here, mut level2_here) = (None, None);
        for (col, value) in self.map.assign(row, 0, Taxonomy::of, fit) {
            let v = Some(value.to_owned());
            match col.concept {
                Concept::Level1 => level1_here = v,
                Concept::Level2 => level2_here = v,
                Concept::Name => ind.name = v,
                Concept::Target | Concept::Value => ind.target = ind.target.or(v),
                Concept::PriorValues => prior.push((col.year, v)),
                Concept::Standard => ind.standard = v,
                Concept::ValueKind => ind.value_kind = v,
                Concept::MeasureUnit => ind.unit = v,
                Concept::Explanation => ind.explanation = v,
                Concept::Remark => ind.remark = v,
                _ => {}
            }
        }
        if let Some(l1) = level1_here.clone() {
            self.level1 = Some(l1);
            self.level2 = None;
        }
        if let Some(l2) = level2_here.clone() {
            self.level2 = Some(l2);
        }
        let years = self.years();
        ind.prior_years = YearMap(
            years
                .iter()
                .map(|&y| {
                    let v = prior
                        .iter()
                        .find(|(py, _)| *py == Some(y))
                        .and_then(|(_, v)| v.clone());
                    (y, v)
                })
                .collect(),
        );
        let template = self
            .level2
            .as_deref()
            .map(key)
            .is_some_and(|l| is_template_level2(&l));
        let nothing = ind.name.is_none()
            && ind.target.is_none()
            && ind.standard.is_none()
            && ind.explanation.is_none()
            && ind.prior_years.0.iter().all(|(_, v)| v.is_none());
        if template || nothing {
            if template || level2_here.is_some() {
                let what = self.level2.as_deref().unwrap_or("（空）");
                out.push(
                    Diagnostic::new(
                        Code::PlaceholderRow,
                        file,
                        format!(
                            "{}中有未填写的模板行（二级指标“{what}”），请填写指标或删除该行",
                            self.context
                        ),
                    )
                    .at(Some(row.line)),
                );
            }
            return;
        }
        ind.level1 = self.level1.clone();
        ind.level2 = self.level2.clone();
        self.indicators.push(ind);
        self.lines.indicators.push(row.line);
    }
}

/// What an indicator table's cell says of the taxonomy: a level-1 word, a level-2 word (or an
/// unfilled template's `___`), the table's banner, a word ending in `指标`.
struct Taxonomy {
    l1: bool,
    l2: bool,
    banner: bool,
    ends_in_indicator: bool,
}

impl Taxonomy {
    fn of(cell: &DataCell) -> Taxonomy {
        let k = cell.key();
        Taxonomy {
            l1: is_level1(k),
            l2: is_known_level2(k) || is_template_level2(k),
            banner: k == "年度绩效指标" || k == "绩效指标",
            ends_in_indicator: k.ends_with("指标"),
        }
    }
}

/// How well a data cell fits under a column: taxonomy words belong in the level columns and
/// nowhere else; a value sits in the first cell of a merged span.
fn fit(col: &Column, cell: &Taxonomy) -> i32 {
    let (l1, l2) = (cell.l1, cell.l2);
    match col.concept {
        Concept::Level1 => match (l1, l2) {
            (true, true) => 1,
            (true, false) => 4,
            (false, true) => -4,
            (false, false) => -2,
        },
        Concept::Level2 => match (l1, l2) {
            (true, true) => 1,
            (false, true) => 3,
            (true, false) => -3,
            (false, false) => -1,
        },
        Concept::IndicatorBanner => {
            if cell.banner {
                1
            } else {
                -4
            }
        }
        _ if l1 && !l2 => -3,
        _ if l2 && cell.ends_in_indicator => -2,
        _ => 1,
    }
}

/// Level-1 categories of the taxonomy, with or without the trailing `指标`.
pub fn is_level1(label: &str) -> bool {
    let l = strip_weight(label);
    matches!(
        l.strip_suffix("指标").unwrap_or(l),
        "产出" | "效益" | "满意度" | "成本"
    )
}

/// `产出指标(50分)`: a level-1 label with its weight.
fn strip_weight(label: &str) -> &str {
    match label.find('(') {
        Some(i) if label.ends_with("分)") => &label[..i],
        _ => label,
    }
}

/// A level-2 name of the taxonomy, with or without the trailing `指标`.
pub fn is_known_level2(label: &str) -> bool {
    crate::model::taxonomy::is_any_level2(label.strip_suffix("指标").unwrap_or(label))
}

/// `_____指标`, `___`: a template row nobody filled.
pub fn is_template_level2(label: &str) -> bool {
    let stem = label.strip_suffix("指标").unwrap_or(label);
    !stem.is_empty() && stem.chars().all(|c| matches!(c, '_' | '＿' | '-'))
}

/// The value of a head cell: the first filled cell after the label at `index`, unless that is
/// another label of the head.
pub fn value_after(
    row: &RawRow,
    labels: &[String],
    index: usize,
    head: &[Concept],
) -> Option<String> {
    let (i, value) = row.next_filled(index)?;
    let other = super::vocab::concept_of_key(&labels[i]).is_some_and(|c| head.contains(&c));
    (!other).then(|| value.to_owned())
}

/// `（2020年度）` or `2020年度` alone on a row: the budget year under a title without one.
pub fn own_row_year(row: &RawRow) -> Option<i32> {
    let first = row.first_filled()?;
    if row.next_filled(first).is_some() {
        return None;
    }
    let l = &row.keys()[first];
    let inner = l
        .strip_prefix('(')
        .and_then(|l| l.strip_suffix(')'))
        .unwrap_or(l);
    super::header::four_digit_year(inner.strip_suffix("年度")?)
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
        RawRow::new(line, cells.iter().map(|c| c.to_string()).collect())
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
        let header = row(
            5,
            &[
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值类型",
                "*指标值",
                "计量单位",
                "*指标解释",
                "*评(扣)分标准",
                "备注",
            ],
        );
        let labels = header.keys();
        let columns = indicator_header(labels).expect("a header");
        let mut table = IndicatorTable::new(columns, 5, Some(2023), "绩效指标表".to_owned());
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
