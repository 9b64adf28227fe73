//! The `hubei` and `hubei-pdf` layouts (spec §1 and §5): the sample's form with its
//! label variants, and the same form printed via PDF (`总体资金情况` with `当年金额`, the
//! prior years, then `占比`). Rows are recognised by the concepts their labels name
//! (`vocab`), tables are read through their header rows (`header`): page headers may stand
//! anywhere, merged cells shift a row left or put `年度绩效指标` on a data row, and level-1
//! indicator cells are carried down.

use super::header::{is_year_row, ColumnMap};
use super::money::{default_map, money_cells, money_header, shares_from_fractions};
use super::split_overall_goals;
use super::table::{indicator_header, IndicatorTable};
use super::vocab::{concept_of_key, Concept};
use crate::diagnostic::{Code, Diagnostic};
use crate::ingest::cells::{self, is_bare_share, parse_amount, parse_share, NumberError, RawRow};
use crate::ingest::grid::Grid;
use crate::ingest::ParsedForm;
use crate::model::{BudgetLine, Column, Declaration, Goal, GoalLines, Row, SourceMap, YearMap};

mod words;
use words::*;

/// Parses a grid in the hubei family of layouts. `Err` is a `not-a-declaration` diagnostic.
pub fn parse(grid: &Grid, file: &str) -> Option<ParsedForm> {
    let mut parser = Parser::new(file);
    for row in &grid.rows {
        if parser.stopped {
            break;
        }
        parser.row(row);
    }
    parser.finish()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Income,
    Expenditure,
}

/// Where the budget year was read, in the order of precedence (spec §5).
#[derive(Debug, Default)]
struct YearSources {
    title: Option<i32>,
    /// `（2020年度）` on a row of its own.
    own_row: Option<i32>,
    /// A `预算年度` cell.
    cell: Option<i32>,
    /// The year headers: `2020年预算数`, or the year after the prior years.
    headers: Option<i32>,
}

impl YearSources {
    fn best(&self) -> Option<i32> {
        self.title.or(self.own_row).or(self.cell).or(self.headers)
    }
}

struct Parser<'a> {
    file: &'a str,
    decl: Declaration,
    source: SourceMap,
    diagnostics: Vec<Diagnostic>,
    /// Whether anything of the form's structure (title or a known row) was seen.
    structure_seen: bool,
    /// Whether a title without a year was seen (the year may stand on the next row).
    title_without_year: bool,
    stopped: bool,
    years: YearSources,
    group: Option<Group>,
    /// The budget table's columns, and whether its header may go on (a row of years).
    money: Option<ColumnMap>,
    money_header_open: bool,
    /// Budget rows whose share was written without `%`.
    bare_shares: Vec<Row>,
    in_goals: bool,
    table: Option<IndicatorTable>,
    /// The columns of the last indicator table, for a goal printed without a header.
    last_columns: Option<ColumnMap>,
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
            title_without_year: false,
            stopped: false,
            years: YearSources::default(),
            group: None,
            money: None,
            money_header_open: false,
            bare_shares: Vec::new(),
            in_goals: false,
            table: None,
            last_columns: None,
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
        let labels = row.keys();
        let first = row.first_filled().unwrap_or(0);
        // A title split over a few cells (`2020年度` | `部门整体支出绩效目标申报表`) reads as one.
        let filled: Vec<&str> = labels
            .iter()
            .filter(|l| !l.is_empty())
            .map(String::as_str)
            .collect();
        let head = if (2..=3).contains(&filled.len()) && is_title(&filled.concat()) {
            filled.concat()
        } else {
            labels[first].clone()
        };
        if self.head_row(row, &head, first) {
            return;
        }
        let pending = self.pending_goal_texts.take();
        if self.goal_header_row(row, labels) {
            return;
        }
        if let Some(map) = indicator_header(labels) {
            self.open_table(map, row.line);
            return;
        }
        if self.table.is_none() && self.in_goals && !self.decl.goals.is_empty() {
            if let Some(map) = self.last_columns.clone() {
                let context = self.decl.goals.last().expect("a goal").label();
                self.table = Some(IndicatorTable::resume(map, self.years.best(), context));
            }
        }
        if self.table.is_some() {
            let mut table = self.table.take().expect("checked");
            table.row(row, self.file, &mut self.diagnostics);
            self.table = Some(table);
            return;
        }
        if self.identity_row(row, labels)
            || (!self.in_goals && self.money_row(row, labels))
            || self.text_row(row, labels)
        {
            return;
        }
        if let Some((long, annual)) = pending {
            self.decl.long_term_goal = joined(row, long, annual);
            self.decl.annual_goal = joined(row, annual, row.cells.len());
        }
    }

    /// The title (with the budget year), a `（2020年度）` row, 单位, 附件 and 备注 (where the
    /// form ends). Returns whether the row was one of them.
    fn head_row(&mut self, row: &RawRow, head: &str, first: usize) -> bool {
        if let Some(year) = title_year(head) {
            self.structure_seen = true;
            if self.source.title.is_none() {
                self.source.title = Some(row.line);
                self.years.title = year;
            }
            return true;
        }
        if is_title(head) {
            // A title without a year: the form is there, the year may stand below it.
            self.structure_seen = true;
            self.title_without_year = true;
            self.source.title.get_or_insert(row.line);
            return true;
        }
        if let Some(year) = super::table::own_row_year(row) {
            self.years.own_row.get_or_insert(year);
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

    /// 部门名称, 填报人, 联系电话, 填报日期, 预算年度: a label then its value in the next cell,
    /// or `部门名称：值` in one cell. Returns whether the row was one of them.
    fn identity_row(&mut self, row: &RawRow, labels: &[String]) -> bool {
        const HEAD: [Concept; 6] = [
            Concept::Department,
            Concept::FilledBy,
            Concept::Phone,
            Concept::FillDate,
            Concept::BudgetCode,
            Concept::BudgetYear,
        ];
        let mut any = false;
        for (i, l) in labels.iter().enumerate() {
            let Some(c) = concept_of_key(l).filter(|c| HEAD.contains(c)) else {
                continue;
            };
            any = true;
            let value = value_after(row, labels, i, &HEAD);
            self.identity(c, value, row.line);
        }
        if !any && !self.in_goals {
            // Inline values only in the form's head, never in goal tables' free text.
            for cell in &row.cells {
                if let Some((c, v)) = inline_value(cell).filter(|(c, _)| HEAD.contains(c)) {
                    any = true;
                    self.identity(c, Some(v), row.line);
                }
            }
        }
        // A name alone is no form: a cover sheet names the department too.
        any
    }

    fn identity(&mut self, concept: Concept, value: Option<String>, line: u32) {
        match concept {
            Concept::Department
                if self.source.department.is_none() || self.decl.department.is_none() =>
            {
                self.decl.department = value;
                self.source.department = Some(line);
            }
            Concept::FilledBy => self.decl.filled_by = value,
            Concept::Phone => self.decl.phone = value,
            Concept::BudgetCode => self.decl.budget_code = value,
            Concept::BudgetYear => {
                if let Some(y) = value.and_then(|v| super::table::year_in(&format!("{v}年"))) {
                    self.years.cell.get_or_insert(y);
                }
            }
            _ => {}
        }
    }

    /// 部门职能概述, 年度工作任务, 长期目标 / 年度目标, 整体绩效目标: the form's texts.
    fn text_row(&mut self, row: &RawRow, labels: &[String]) -> bool {
        let find = |c: Concept| labels.iter().position(|l| concept_of_key(l) == Some(c));
        if let Some(i) = find(Concept::Functions) {
            self.structure_seen = true;
            self.decl.functions = paragraphs_after(row, i);
            return true;
        }
        if let Some(i) = find(Concept::Tasks) {
            self.structure_seen = true;
            self.decl.annual_tasks = paragraphs_after(row, i);
            return true;
        }
        let annual = find(Concept::AnnualGoal);
        if let Some(long) = find(Concept::LongTermGoal) {
            self.structure_seen = true;
            let annual = annual.filter(|&a| a > long).unwrap_or(row.cells.len());
            self.decl.long_term_goal = joined(row, long + 1, annual);
            self.decl.annual_goal = if annual < row.cells.len() {
                joined(row, annual + 1, row.cells.len())
            } else {
                None
            };
            self.goals_in_annual(row.line);
            if self.decl.long_term_goal.is_none() && self.decl.annual_goal.is_none() {
                self.pending_goal_texts = Some((long, annual));
            }
            return true;
        }
        if let Some(i) = annual {
            self.structure_seen = true;
            self.decl.annual_goal = joined_lines(row, i + 1, row.cells.len());
            self.goals_in_annual(row.line);
            return true;
        }
        if let Some(i) = find(Concept::OverallGoals) {
            self.structure_seen = true;
            self.in_goals = true;
            let text = joined(row, i + 1, row.cells.len()).unwrap_or_default();
            self.decl.overall_goals = split_overall_goals(&text);
            self.source.overall_goals = Some(row.line);
            return true;
        }
        false
    }

    /// `年度目标` holding `目标1：… 目标2：…` where the form has no `整体绩效目标` row: those
    /// are the overall goals.
    fn goals_in_annual(&mut self, line: u32) {
        if self.source.overall_goals.is_some() {
            return;
        }
        let Some(text) = self.decl.annual_goal.as_deref() else {
            return;
        };
        let goals = split_overall_goals(&text.replace('\n', " "));
        if has_goal_markers(text) {
            self.decl.overall_goals = goals;
            self.source.overall_goals = Some(line);
        }
    }

    /// The header of a goal's indicator table (`年度目标1：名称` or `年度目标1` with the name
    /// beside it): a new goal.
    fn goal_header_row(&mut self, row: &RawRow, labels: &[String]) -> bool {
        let Some((i, number, name_in_cell)) = labels
            .iter()
            .enumerate()
            .find_map(|(i, l)| goal_header(l).map(|(n, name)| (i, n, name)))
        else {
            return false;
        };
        self.flush_table();
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
        true
    }

    /// An indicator table's header: the table of the current goal (a header repeated after a
    /// page break goes on the same goal).
    fn open_table(&mut self, map: ColumnMap, line: u32) {
        let before = self.table.take();
        self.structure_seen = true;
        self.in_goals = true;
        if self.decl.goals.is_empty() {
            self.decl.goals.push(Goal::default());
            self.source.goals.push(GoalLines {
                header: Some(line),
                indicators: Vec::new(),
            });
        }
        let context = self.decl.goals.last().expect("a goal").label();
        let mut table = IndicatorTable::new(map, line, self.years.best(), context);
        if let Some(before) = before {
            table.carry_from(&before);
            self.table = Some(before);
            self.flush_table();
        }
        self.table = Some(table);
    }

    fn flush_table(&mut self) {
        if let Some(mut table) = self.table.take() {
            let goal = self.decl.goals.last_mut().expect("a table has a goal");
            goal.indicators.append(&mut table.indicators);
            let lines = self.source.goals.last_mut().expect("a table has a goal");
            lines.indicators.append(&mut table.lines.indicators);
            self.last_columns = Some(table.into_columns());
        }
    }

    /// A row of the budget table: its header (with the row of years below it), or a budget
    /// line recognised by its label. Returns whether it was one.
    fn money_row(&mut self, row: &RawRow, labels: &[String]) -> bool {
        for l in labels {
            match concept_of_key(l) {
                Some(Concept::IncomeGroup) => self.group = Some(Group::Income),
                Some(Concept::ExpenditureGroup) => self.group = Some(Group::Expenditure),
                _ => {}
            }
        }
        if let Some(map) = money_header(labels) {
            self.structure_seen = true;
            if let Some(y) = row.cells.iter().find_map(|c| budget_column_year(c)) {
                self.years.headers.get_or_insert(y);
            }
            self.money = Some(map);
            self.money_header_open = true;
            return true;
        }
        if self.money_header_open {
            self.money_header_open = false;
            let fiscal_year = self.years.best();
            let year_row = is_year_row(row);
            if let Some(map) = self.money.as_mut() {
                map.split_years(year_row.then_some(row), fiscal_year);
                if let Some(&latest) = map.years(Concept::PriorColumn).iter().max() {
                    self.years.headers.get_or_insert(latest + 1);
                }
            }
            if year_row {
                return true;
            }
        }
        let found = labels
            .iter()
            .enumerate()
            .find_map(|(i, l)| self.budget_row_kind(l).map(|kind| (i, kind)));
        let Some((index, kind)) = found else {
            let known = labels.iter().any(|l| {
                matches!(
                    concept_of_key(l),
                    Some(Concept::IncomeGroup | Concept::ExpenditureGroup | Concept::MoneyTitle)
                )
            });
            self.structure_seen |= known;
            return known;
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
        Some(match concept_of_key(label)? {
            Concept::FiscalAppropriation => Row::FiscalAppropriation,
            Concept::OtherFunds => Row::Other,
            Concept::Basic => Row::Basic,
            Concept::Project => Row::Project,
            Concept::IncomeTotal => Row::IncomeTotal,
            Concept::ExpenditureTotal => Row::ExpenditureTotal,
            Concept::Total if self.group == Some(Group::Expenditure) => Row::ExpenditureTotal,
            Concept::Total if self.source.row(Row::IncomeTotal).is_some() => Row::ExpenditureTotal,
            Concept::Total => Row::IncomeTotal,
            _ => return None,
        })
    }

    /// The amounts of budget line `kind` right of its label (at `index`), by the columns of
    /// the budget table's header.
    fn budget_line(&mut self, row: &RawRow, index: usize, kind: Row) {
        let default;
        let map = match &self.money {
            Some(map) => map,
            None => {
                default = default_map(index, &self.default_years());
                &default
            }
        };
        let years = match map.years(Concept::PriorColumn) {
            ys if ys.is_empty() => self.default_years(),
            ys => ys,
        };
        let (budget, share, prior) = money_cells(map, row, index);
        let mut line = BudgetLine::default();
        let line_no = row.line;
        line.budget = self.number(line_no, kind, Column::Budget, budget, parse_amount);
        line.share_percent = self.number(line_no, kind, Column::Share, share, parse_share);
        if share.is_some_and(is_bare_share) {
            self.bare_shares.push(kind);
        }
        let mut values = Vec::new();
        for &year in &years {
            let cell = prior.iter().find(|(y, _)| *y == year).map(|(_, c)| *c);
            let v = self.number(line_no, kind, Column::Prior(year), cell, parse_amount);
            values.push((year, v));
        }
        line.prior_years = YearMap(values);
        *self.decl.budget_line_mut(kind) = line;
        self.source.rows.retain(|(r, _)| *r != kind);
        self.source.rows.push((kind, row.line));
    }

    /// The two years before the budget year, where no header names them.
    fn default_years(&self) -> Vec<i32> {
        match self.years.best() {
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
        text: Option<&str>,
        parse: fn(&str) -> Result<Option<rust_decimal::Decimal>, NumberError>,
    ) -> Option<rust_decimal::Decimal> {
        let text = text.unwrap_or("");
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

    fn finish(mut self) -> Option<ParsedForm> {
        self.flush_table();
        if !self.structure_seen {
            return None;
        }
        self.decl.fiscal_year = self.years.best();
        if self.decl.unit.is_none() && self.source.title.is_some() {
            self.decl.unit = Some("万元".to_owned());
        }
        let years = self.default_years();
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
        shares_from_fractions(&mut self.decl, &self.bare_shares);
        Some(ParsedForm {
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

    #[test]
    fn a_cover_sheet_that_names_the_department_is_no_form() {
        let cover =
            "2020年度部门预算绩效目标编报材料\n部门（单位）名称：甲局\n编报日期：2019年12月\n";
        assert!(parse(&Grid::from_text(cover), "c.txt").is_none());
        let err = super::super::parse(&Grid::from_text(cover), "c.txt").unwrap_err();
        assert_eq!(err.code, Code::NotADeclaration);
    }

    #[test]
    fn a_title_split_over_cells_reads_as_one() {
        let text = "2020年度\t部门整体支出绩效目标申报表\n部门名称\t甲局\n";
        let p = parse(&Grid::from_text(text), "p.txt").unwrap();
        assert_eq!(p.declaration.fiscal_year, Some(2020));
    }

    #[test]
    fn the_year_may_stand_below_a_title_without_one() {
        let text = "部门整体支出绩效目标申报表\n（2020年度）\n部门名称\t甲局\n";
        let p = parse(&Grid::from_text(text), "p.txt").unwrap();
        assert_eq!(p.declaration.fiscal_year, Some(2020));
    }
}
