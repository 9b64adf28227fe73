//! The `hubei` and `hubei-pdf` layouts (spec §1 and §5): the sample's form with its
//! label variants, and the same form printed via PDF (`总体资金情况` with `当年金额`, the
//! prior years, then `占比`). Rows are recognised by the words in their cells, never by column
//! numbers: page headers may stand anywhere, merged cells shift a row left or put `年度绩效指标`
//! on a data row, and level-1 indicator cells are carried down.

use super::money::{money_values, money_values_share_last, shares_from_fractions, MoneyOrder};
use super::split_overall_goals;
use crate::diagnostic::{Code, Diagnostic};
use crate::ingest::cells::{self, parse_amount, parse_share, NumberError, RawRow};
use crate::ingest::grid::Grid;
use crate::ingest::ParsedForm;
use crate::model::{
    BudgetLine, Column, Declaration, Goal, GoalLines, Indicator, Row, SourceMap, YearMap,
};
use crate::text::label;

mod words;
use words::*;

/// Parses a grid in the hubei family of layouts. `Err` is a `not-a-declaration` diagnostic.
pub fn parse(grid: &Grid, file: &str) -> Result<ParsedForm, Diagnostic> {
    let mut parser = Parser::new(file);
    for row in &grid.rows {
        if parser.stopped {
            break;
        }
        parser.row(row);
    }
    let mut parsed = parser.finish()?;
    if !grid.formats_known {
        shares_from_fractions(&mut parsed.declaration);
    }
    Ok(parsed)
}

/// The label variants of the hubei family, as the one word the reader looks for.
fn synonym(label: String) -> String {
    let same = match label.as_str() {
        "部门(单位)名称" | "单位名称" | "部门(单位)" => "部门名称",
        "部门收入预算" => "收入构成",
        "部门支出预算" => "支出构成",
        "年度主要任务" => "年度工作任务",
        "当年金额" => "当年预算收支",
        _ => return label,
    };
    same.to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Income,
    Expenditure,
}

/// Where the indicator table's columns stand, from its header row.
#[derive(Debug, Clone, Copy)]
struct TableLayout {
    level1: usize,
}

impl Default for TableLayout {
    fn default() -> Self {
        // The columns of the official template.
        TableLayout { level1: 1 }
    }
}

struct Parser<'a> {
    file: &'a str,
    decl: Declaration,
    source: SourceMap,
    diagnostics: Vec<Diagnostic>,
    /// Whether anything of the form's structure (title or a known row) was seen.
    structure_seen: bool,
    stopped: bool,
    group: Option<Group>,
    prior_years: Vec<i32>,
    indicator_years: Vec<i32>,
    in_goals: bool,
    layout: TableLayout,
    money_order: MoneyOrder,
    level1_carry: Option<String>,
    /// Columns of `长期目标` and `年度目标` when their values may follow on the next row.
    pending_goal_texts: Option<(usize, usize)>,
}

impl<'a> Parser<'a> {
    fn new(file: &'a str) -> Self {
        Parser {
            file,
            decl: Declaration::new(),
            source: SourceMap::default(),
            diagnostics: Vec::new(),
            structure_seen: false,
            stopped: false,
            group: None,
            prior_years: Vec::new(),
            indicator_years: Vec::new(),
            in_goals: false,
            layout: TableLayout::default(),
            money_order: MoneyOrder::default(),
            level1_carry: None,
            pending_goal_texts: None,
        }
    }

    fn diag(&mut self, code: Code, line: u32, message: String) {
        self.diagnostics
            .push(Diagnostic::new(code, self.file, message).at(Some(line)));
    }

    fn row(&mut self, row: &RawRow) {
        if row.is_blank() {
            return;
        }
        let labels: Vec<String> = row.cells.iter().map(|c| synonym(label(c))).collect();
        let first = row.first_filled().unwrap_or(0);
        if self.head_row(row, &labels[first], first) {
            return;
        }
        let pending = self.pending_goal_texts.take();
        if self.identity_row(row, &labels)
            || (!self.in_goals && self.money_row(row, &labels))
            || self.text_row(row, &labels)
            || self.goal_header_row(row, &labels)
        {
            return;
        }
        if self.table_header(&labels) {
            self.structure_seen = true;
            return;
        }
        if self.in_goals && !self.decl.goals.is_empty() {
            self.indicator_row(row, &labels);
            return;
        }
        if let Some((long, annual)) = pending {
            self.decl.long_term_goal = joined(row, long, annual);
            self.decl.annual_goal = joined(row, annual, row.cells.len());
        }
    }

    /// The title (with the budget year), 单位, 附件 and 备注 (where the form ends). Returns
    /// whether the row was one of them.
    fn head_row(&mut self, row: &RawRow, head: &str, first: usize) -> bool {
        if let Some(year) = title_year(head) {
            self.structure_seen = true;
            if self.source.title.is_none() {
                self.source.title = Some(row.line);
                self.decl.fiscal_year = year;
            }
            return true;
        }
        if is_title(head) {
            // A title without a year: the form is there, the budget year is not.
            self.structure_seen = true;
            self.source.title.get_or_insert(row.line);
            return true;
        }
        if let Some(unit) = head.strip_prefix("单位") {
            let unit = unit.trim_start_matches(':');
            if self.decl.unit.is_none() && !unit.is_empty() {
                self.decl.unit = Some(unit.to_owned());
            }
            return true;
        }
        if head.starts_with("附件") && row.next_filled(first).is_none() {
            return true;
        }
        if head.starts_with("备注") || head.starts_with("-备注") {
            self.stopped = true;
            return true;
        }
        false
    }

    /// 部门名称, 填报人, 联系电话, 填报日期: a label then its value in the next cell, or
    /// `部门名称：值` in one cell. Returns whether the row was one of them.
    fn identity_row(&mut self, row: &RawRow, labels: &[String]) -> bool {
        let find = |word: &str| labels.iter().position(|l| l == word);
        // Identity cells: `部门名称` then its value in the next cell, or `部门名称：值` in one.
        let identity = |word: &str| -> Option<Option<String>> {
            if let Some(i) = find(word) {
                return Some(value_after(row, labels, i));
            }
            // Inline values only in the form's head, never in goal tables' free text.
            if self.in_goals {
                return None;
            }
            row.cells
                .iter()
                .find_map(|c| inline_value(c, word))
                .map(Some)
        };
        if let Some(department) = identity("部门名称") {
            self.structure_seen = true;
            self.decl.department = department;
            self.source.department = Some(row.line);
            // The PDF print has 填报人 and 联系电话 on the name's row.
            if let Some(i) = find("填报人") {
                self.decl.filled_by = value_after(row, labels, i);
            }
            if let Some(i) = find("联系电话") {
                self.decl.phone = value_after(row, labels, i);
            }
            return true;
        }
        let (filled_by, phone) = (identity("填报人"), identity("联系电话"));
        if find("填报日期").is_some() && filled_by.is_none() && phone.is_none() {
            self.structure_seen = true;
            return true;
        }
        if filled_by.is_some() || phone.is_some() {
            self.structure_seen = true;
            if let Some(v) = filled_by {
                self.decl.filled_by = v;
            }
            if let Some(v) = phone {
                self.decl.phone = v;
            }
            return true;
        }
        false
    }

    /// 部门职能概述, 年度工作任务, 长期目标 / 年度目标, 整体绩效目标: the form's texts.
    fn text_row(&mut self, row: &RawRow, labels: &[String]) -> bool {
        let find = |word: &str| labels.iter().position(|l| l == word);
        if let Some(i) = find("部门职能概述") {
            self.structure_seen = true;
            self.decl.functions = paragraphs_after(row, i);
            return true;
        }
        if let Some(i) = find("年度工作任务") {
            self.structure_seen = true;
            self.decl.annual_tasks = paragraphs_after(row, i);
            return true;
        }
        let long = find("长期目标").or_else(|| find("中长期目标"));
        if let Some(long) = long {
            self.structure_seen = true;
            let annual = find("年度目标").unwrap_or(row.cells.len());
            self.decl.long_term_goal = joined(row, long + 1, annual);
            self.decl.annual_goal = if annual < row.cells.len() {
                joined(row, annual + 1, row.cells.len())
            } else {
                None
            };
            if self.decl.long_term_goal.is_none() && self.decl.annual_goal.is_none() {
                self.pending_goal_texts = Some((long, annual));
            }
            return true;
        }
        if let Some(i) = find("整体绩效目标") {
            self.structure_seen = true;
            self.in_goals = true;
            let text = joined(row, i + 1, row.cells.len()).unwrap_or_default();
            self.decl.overall_goals = split_overall_goals(&text);
            self.source.overall_goals = Some(row.line);
            return true;
        }
        false
    }

    /// The header of a goal's indicator table (`年度目标1：名称` or `目标一` with the name
    /// beside it): a new goal.
    fn goal_header_row(&mut self, row: &RawRow, labels: &[String]) -> bool {
        if let Some((i, number, name_in_cell)) = labels
            .iter()
            .enumerate()
            .find_map(|(i, l)| goal_header(l).map(|(n, name)| (i, n, name)))
        {
            self.structure_seen = true;
            self.in_goals = true;
            let name = name_in_cell
                .map(|_| {
                    let raw = &row.cells[i];
                    let cut = raw
                        .char_indices()
                        .find(|(_, c)| matches!(c, ':' | '：'))
                        .map(|(p, c)| p + c.len_utf8())
                        .unwrap_or(0);
                    raw[cut..].trim().to_owned()
                })
                .filter(|n| !n.is_empty())
                .or_else(|| row.next_filled(i).map(|(_, c)| c.to_owned()));
            self.decl.goals.push(Goal {
                number: Some(number),
                name,
                indicators: Vec::new(),
            });
            self.source.goals.push(GoalLines {
                header: Some(row.line),
                indicators: Vec::new(),
            });
            self.level1_carry = None;
            return true;
        }
        false
    }

    /// A row of the budget table, recognised by its label cell. Returns whether it was one.
    fn money_row(&mut self, row: &RawRow, labels: &[String]) -> bool {
        if labels.iter().any(|l| l == "收入构成") {
            self.group = Some(Group::Income);
        }
        if labels.iter().any(|l| l == "支出构成") {
            self.group = Some(Group::Expenditure);
        }
        if labels
            .iter()
            .any(|l| l.contains("部门总体资金情况") || l == "总体资金情况" || l == "当年预算收支")
        {
            self.structure_seen = true;
            let at = |word: &str| labels.iter().position(|l| l.starts_with(word));
            if let (Some(budget), Some(share), Some(prior)) =
                (at("当年预算收支"), at("占比"), at("近两年收支"))
            {
                if budget < prior && prior < share {
                    self.money_order = MoneyOrder::BudgetYearsShare;
                }
            }
            return true;
        }
        let years: Vec<i32> = labels.iter().filter_map(|l| year_cell(l)).collect();
        if !years.is_empty()
            && labels
                .iter()
                .all(|l| l.is_empty() || year_cell(l).is_some())
        {
            if self.prior_years.is_empty() {
                self.prior_years = header_years(years, self.decl.fiscal_year);
            }
            return true;
        }
        let found = labels
            .iter()
            .enumerate()
            .find_map(|(i, l)| self.budget_row_kind(l).map(|kind| (i, kind)));
        let Some((index, kind)) = found else {
            let group_label = labels.iter().any(|l| l == "收入构成" || l == "支出构成");
            self.structure_seen |= group_label;
            return group_label;
        };
        match kind {
            Row::FiscalAppropriation | Row::Other | Row::IncomeTotal => {
                self.group.get_or_insert(Group::Income);
            }
            _ => {
                self.group = Some(Group::Expenditure);
            }
        }
        self.structure_seen = true;
        self.budget_line(row, index, kind);
        true
    }

    /// The budget line a label names: `合计` is the income total in the income group (or
    /// before any income total was read), else the spending total.
    fn budget_row_kind(&self, label: &str) -> Option<Row> {
        Some(match label {
            "财政拨款" | "财政拨款收入" => Row::FiscalAppropriation,
            "其他资金" | "其他收入" => Row::Other,
            "基本支出" => Row::Basic,
            "项目支出" => Row::Project,
            "收入合计" => Row::IncomeTotal,
            "支出合计" => Row::ExpenditureTotal,
            "合计" if self.group == Some(Group::Expenditure) => Row::ExpenditureTotal,
            "合计" if self.source.row(Row::IncomeTotal).is_some() => Row::ExpenditureTotal,
            "合计" => Row::IncomeTotal,
            _ => return None,
        })
    }

    /// The amounts of budget line `kind` right of its label (at `index`): this year's budget,
    /// its share, the prior years' actuals, in the order the form's header announced.
    fn budget_line(&mut self, row: &RawRow, index: usize, kind: Row) {
        let years = self.budget_years();
        let values = match self.money_order {
            MoneyOrder::BudgetShareYears => money_values(&row.cells[index + 1..]),
            MoneyOrder::BudgetYearsShare => {
                money_values_share_last(&row.cells[index + 1..], years.len())
            }
        };
        let mut line = BudgetLine::default();
        let cell = |i: usize| values.get(i).map(String::as_str).unwrap_or("");
        line.budget = self.number(row.line, kind, Column::Budget, cell(0), parse_amount);
        line.share_percent = self.number(row.line, kind, Column::Share, cell(1), parse_share);
        let mut prior = Vec::new();
        for (k, &year) in years.iter().enumerate() {
            let v = self.number(
                row.line,
                kind,
                Column::Prior(year),
                cell(2 + k),
                parse_amount,
            );
            prior.push((year, v));
        }
        line.prior_years = YearMap(prior);
        *self.decl.budget_line_mut(kind) = line;
        self.source.rows.retain(|(r, _)| *r != kind);
        self.source.rows.push((kind, row.line));
    }

    fn budget_years(&self) -> Vec<i32> {
        if !self.prior_years.is_empty() {
            return self.prior_years.clone();
        }
        match self.decl.fiscal_year {
            Some(y) => [y - 1, y - 2]
                .into_iter()
                .filter(|&p| crate::model::is_plausible_year(p))
                .collect(),
            None => Vec::new(),
        }
    }

    fn number(
        &mut self,
        line: u32,
        row: Row,
        column: Column,
        text: &str,
        parse: fn(&str) -> Result<Option<rust_decimal::Decimal>, NumberError>,
    ) -> Option<rust_decimal::Decimal> {
        match parse(text) {
            Ok(v) => v,
            Err(e) => {
                let what = match column {
                    Column::Budget => "当年预算".to_owned(),
                    Column::Share => "占比".to_owned(),
                    Column::Prior(y) => format!("{y}年"),
                };
                let shown: String = text.chars().take(40).collect();
                let ellipsis = if text.chars().count() > 40 { "…" } else { "" };
                self.diag(
                    Code::BadNumber,
                    line,
                    format!(
                        "{}（{what}）填写的“{shown}{ellipsis}”{e}{}，请填写数字金额（万元）或留空",
                        row.label(),
                        cells::number_hint(text)
                    ),
                );
                self.source.bad_cells.push((row, column));
                None
            }
        }
    }

    /// Header rows of an indicator table (`一级指标` …, `近两年指标值` …, the year cells).
    fn table_header(&mut self, labels: &[String]) -> bool {
        let pos = |w: &str| labels.iter().position(|l| l == w);
        if let Some(level1) = pos("一级指标") {
            self.layout = TableLayout { level1 };
            return true;
        }
        if labels.iter().any(|l| {
            matches!(
                l.as_str(),
                "近两年指标值"
                    | "预期当年实现值"
                    | "指标名称"
                    | "指标值"
                    | "绩效标准"
                    | "指标"
                    | "目标值"
                    | "评(扣)分标准"
            )
        }) {
            return true;
        }
        let years: Vec<i32> = labels.iter().filter_map(|l| year_cell(l)).collect();
        if !years.is_empty()
            && labels
                .iter()
                .all(|l| l.is_empty() || year_cell(l).is_some())
        {
            let years = header_years(years, self.decl.fiscal_year);
            if self.in_goals {
                self.indicator_years = years;
            } else if self.prior_years.is_empty() {
                self.prior_years = years;
            }
            return true;
        }
        // `年度绩效指标` alone on a row is the merged label of the table, not an indicator.
        let filled: Vec<&String> = labels.iter().filter(|l| !l.is_empty()).collect();
        filled.len() == 1 && filled[0] == "年度绩效指标"
    }

    fn indicator_row(&mut self, row: &RawRow, labels: &[String]) {
        let cells: Vec<&str> = row
            .cells
            .iter()
            .zip(labels)
            .map(|(c, l)| {
                if l == "年度绩效指标" {
                    ""
                } else {
                    c.as_str()
                }
            })
            .collect();
        let Some(k) = cells.iter().position(|c| !c.is_empty()) else {
            return;
        };
        let starts_with_level1 = self.starts_with_level1(k, cells[k]);
        let (level1, rest) = if starts_with_level1 {
            (Some(cells[k].to_owned()), k + 1)
        } else {
            (self.level1_carry.clone(), k)
        };
        if starts_with_level1 {
            self.level1_carry = level1.clone();
        }
        let cell = |i: usize| {
            cells
                .get(i)
                .filter(|c| !c.is_empty())
                .map(|c| (*c).to_owned())
        };
        let level2 = cell(rest);
        let name = cell(rest + 1);
        let years = if self.indicator_years.is_empty() {
            self.budget_years()
        } else {
            self.indicator_years.clone()
        };
        let prior: Vec<(i32, Option<String>)> = years
            .iter()
            .enumerate()
            .map(|(j, &y)| (y, cell(rest + 2 + j)))
            .collect();
        let target = cell(rest + 2 + years.len());
        let standard = cell(rest + 3 + years.len());
        let goal_index = self.decl.goals.len() - 1;
        let goal_label = self.decl.goals[goal_index].label();

        let template = level2
            .as_deref()
            .map(label)
            .is_some_and(|l| is_template_level2(&l));
        let nothing_filled = name.is_none()
            && target.is_none()
            && standard.is_none()
            && prior.iter().all(|(_, v)| v.is_none());
        if template || nothing_filled {
            let what = level2.as_deref().unwrap_or("（空）");
            self.diag(
                Code::PlaceholderRow,
                row.line,
                format!("{goal_label}中有未填写的模板行（二级指标“{what}”），请填写指标或删除该行"),
            );
            return;
        }
        self.decl.goals[goal_index].indicators.push(Indicator {
            level1,
            level2,
            name,
            prior_years: YearMap(prior),
            target,
            standard,
            ..Indicator::default()
        });
        self.source.goals[goal_index].indicators.push(row.line);
    }

    /// Whether an indicator row's first filled cell (at `k`) is its level-1 category. The
    /// column decides, words only where it is ambiguous: a row that lost its leading empty
    /// cell stands one column left, so the level-1 column may hold a level-2 name, and 成本 is
    /// both a level-1 category and a level-2 name under 产出.
    fn starts_with_level1(&self, k: usize, cell: &str) -> bool {
        let first = label(cell);
        match k.cmp(&self.layout.level1) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Greater => false,
            std::cmp::Ordering::Equal => {
                is_level1(&first) || !(is_known_level2(&first) || is_template_level2(&first))
            }
        }
    }

    fn finish(mut self) -> Result<ParsedForm, Diagnostic> {
        if !self.structure_seen {
            return Err(super::not_a_declaration(self.file));
        }
        if self.decl.unit.is_none() && self.source.title.is_some() {
            self.decl.unit = Some("万元".to_owned());
        }
        let years = self.budget_years();
        for row in Row::ALL {
            let line = self.decl.budget_line_mut(row);
            if line.prior_years.0.is_empty() && !years.is_empty() {
                line.prior_years = YearMap(years.iter().map(|&y| (y, None)).collect());
            }
            line.prior_years.sort_latest_first();
        }
        for goal in &mut self.decl.goals {
            for indicator in &mut goal.indicators {
                indicator.prior_years.sort_latest_first();
            }
        }
        Ok(ParsedForm {
            declaration: self.decl,
            source: self.source,
            diagnostics: self.diagnostics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_beside_the_name_are_read() {
        // hubei-pdf: 填报人, 联系电话 and 填报日期 on the row of 部门(单位)名称.
        let text = "2021年度部门整体支出绩效目标申报表\n\
部门(单位)名称\t甲局\t填报人\t张三\t联系电话\t\t填报日期\t2020-01-05\n";
        let p = parse(&Grid::from_text(text), "p.txt").unwrap();
        assert_eq!(p.declaration.department.as_deref(), Some("甲局"));
        assert_eq!(p.declaration.filled_by.as_deref(), Some("张三"));
        assert_eq!(p.declaration.phone, None);
    }
}
