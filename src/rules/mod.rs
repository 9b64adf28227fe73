//! The rule catalog (spec §3) applied to one declaration; `cross` holds the two rules
//! that need every declaration of a department. Rules read the model and the source map and
//! only ever add diagnostics: they never change a declaration.

pub mod cross;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::quality::is_measurable;
use crate::model::taxonomy;
use crate::model::{Column, Declaration, Layout, Row, SourceMap};
use rust_decimal::{Decimal, RoundingStrategy};

/// The longest department name accepted (characters).
pub const MAX_NAME_CHARS: usize = 200;

/// The longest text a spreadsheet cell holds (Excel: 32,767 characters).
pub const MAX_CELL_CHARS: usize = 32_767;

/// Money differences up to this many 万元 are rounding, not errors.
pub fn money_tolerance() -> Decimal {
    Decimal::new(1, 2)
}

/// Share differences up to this many percentage points are rounding, not errors.
pub fn share_tolerance() -> Decimal {
    Decimal::new(1, 2)
}

/// Every single-declaration rule. `file` names the source in the diagnostics.
pub fn validate(decl: &Declaration, source: &SourceMap, file: &str) -> Vec<Diagnostic> {
    let mut v = Rules {
        decl,
        source,
        file,
        out: Vec::new(),
    };
    v.missing_fields();
    v.field_limits();
    v.negative_amounts();
    v.sums(
        Code::IncomeSum,
        [Row::FiscalAppropriation, Row::Other],
        Row::IncomeTotal,
    );
    v.sums(
        Code::ExpenditureSum,
        [Row::Basic, Row::Project],
        Row::ExpenditureTotal,
    );
    v.balance();
    v.shares();
    v.indicators();
    v.goal_count();
    v.out
}

struct Rules<'a> {
    decl: &'a Declaration,
    source: &'a SourceMap,
    file: &'a str,
    out: Vec<Diagnostic>,
}

/// `2020年预算` / `2019年决算`: how a clerk names a column.
fn column_name(decl: &Declaration, column: Column) -> String {
    match (column, decl.fiscal_year) {
        (Column::Budget, Some(y)) => format!("{y}年预算"),
        (Column::Budget, None) => "当年预算".to_owned(),
        (Column::Share, _) => "占比".to_owned(),
        (Column::Prior(y), _) => format!("{y}年实际"),
    }
}

/// Amounts as the form writes them: exact, without trailing zeros beyond two decimals.
pub fn fmt_amount(d: Decimal) -> String {
    let d = d.normalize();
    if d.scale() < 2 {
        format!("{:.2}", d)
    } else {
        d.to_string()
    }
}

impl Rules<'_> {
    fn push(&mut self, code: Code, line: Option<u32>, message: String) {
        self.out
            .push(Diagnostic::new(code, self.file, message).at(line));
    }

    fn amount(&self, row: Row, column: Column) -> Option<Decimal> {
        let line = self.decl.budget_line(row);
        match column {
            Column::Budget => line.budget,
            Column::Share => line.share_percent,
            Column::Prior(y) => line.prior_years.get(y).copied().flatten(),
        }
    }

    fn amount_columns(&self) -> Vec<Column> {
        let mut columns = vec![Column::Budget];
        columns.extend(self.decl.prior_years().into_iter().map(Column::Prior));
        columns
    }

    /// Field limits: a department name longer than `MAX_NAME_CHARS`, or any text longer
    /// than a spreadsheet cell holds (`MAX_CELL_CHARS`), is an error on this file — so it is
    /// not published, and never fails the build for the others.
    fn field_limits(&mut self) {
        let d = self.decl;
        if let Some(name) = &d.department {
            let n = name.chars().count();
            if n > MAX_NAME_CHARS {
                self.push(
                    Code::FieldTooLong,
                    self.source.department.or(self.source.title),
                    format!("部门名称有 {n} 个字，超过上限 {MAX_NAME_CHARS} 个字，请填写单位全称"),
                );
            }
        }
        let mut texts: Vec<(&str, &str)> = Vec::new();
        for (label, value) in [
            ("填报人", &d.filled_by),
            ("联系电话", &d.phone),
            ("单位", &d.unit),
            ("中长期目标", &d.long_term_goal),
            ("年度目标", &d.annual_goal),
        ] {
            texts.extend(value.as_deref().map(|v| (label, v)));
        }
        texts.extend(d.functions.iter().map(|t| ("部门职能概述", t.as_str())));
        texts.extend(d.annual_tasks.iter().map(|t| ("年度主要任务", t.as_str())));
        texts.extend(d.overall_goals.iter().map(|t| ("整体绩效目标", t.as_str())));
        for g in &d.goals {
            texts.extend(g.name.as_deref().map(|t| ("年度目标名称", t)));
            for i in &g.indicators {
                for v in [&i.level1, &i.level2, &i.name, &i.target, &i.standard] {
                    texts.extend(v.as_deref().map(|t| ("绩效指标", t)));
                }
                texts.extend(
                    i.prior_years
                        .0
                        .iter()
                        .filter_map(|(_, v)| v.as_deref())
                        .map(|t| ("绩效指标", t)),
                );
            }
        }
        let mut said = std::collections::BTreeSet::new();
        for (label, text) in texts {
            let n = text.chars().count();
            if n > MAX_CELL_CHARS && said.insert(label) {
                self.push(
                    Code::FieldTooLong,
                    self.source.title,
                    format!(
                        "“{label}”中有一段 {n} 个字的内容，超过电子表格单元格上限 {MAX_CELL_CHARS} 个字，请精简或分段"
                    ),
                );
            }
        }
    }

    fn missing_fields(&mut self) {
        let title = self.source.title;
        if self.decl.department.as_deref().is_none_or(str::is_empty) {
            self.push(
                Code::MissingField,
                self.source.department.or(title),
                "未填写部门名称，请在“部门名称”后填写单位全称".to_owned(),
            );
        }
        if self.decl.fiscal_year.is_none() {
            self.push(
                Code::MissingField,
                title,
                "未找到预算年度，标题应为“YYYY年度部门整体支出绩效目标申报表”".to_owned(),
            );
        }
        // A layout without a money block (Fujian has no income, Hunan no money at all) has no
        // total to miss.
        for row in [Row::IncomeTotal, Row::ExpenditureTotal] {
            if !self.decl.has_block(row) {
                continue;
            }
            let bad = self.source.is_bad(row, Column::Budget);
            if self.decl.budget_line(row).budget.is_none() && !bad {
                let first_part = match row {
                    Row::IncomeTotal => Row::FiscalAppropriation,
                    _ => Row::Basic,
                };
                let line = self.source.row(row).or(self.source.row(first_part));
                let name = column_name(self.decl, Column::Budget);
                let label = match self.decl.layout {
                    Some(Layout::Fujian) => "资金总额",
                    _ => row.label(),
                };
                self.push(
                    Code::MissingField,
                    line.or(title),
                    format!("未填写{label}（{name}），请填写当年预算合计金额"),
                );
            }
        }
    }

    fn negative_amounts(&mut self) {
        for row in Row::ALL {
            for column in self.amount_columns().into_iter().chain([Column::Share]) {
                if let Some(v) = self
                    .amount(row, column)
                    .filter(|v| v.is_sign_negative() && !v.is_zero())
                {
                    let name = column_name(self.decl, column);
                    self.push(
                        Code::NegativeAmount,
                        self.source.row(row),
                        format!(
                            "{}（{name}）为负数 {}，金额不能小于零，请核对",
                            row.label(),
                            fmt_amount(v)
                        ),
                    );
                }
            }
        }
    }

    fn sums(&mut self, code: Code, parts: [Row; 2], total: Row) {
        for column in self.amount_columns() {
            if parts
                .iter()
                .chain([&total])
                .any(|&r| self.source.is_bad(r, column))
            {
                continue;
            }
            let a = self.amount(parts[0], column);
            let b = self.amount(parts[1], column);
            let t = self.amount(total, column);
            let name = column_name(self.decl, column);
            // A missing total row points at its parts, where the clerk adds it.
            let line = self
                .source
                .row(total)
                .or_else(|| parts.iter().find_map(|&p| self.source.row(p)));
            let sum = a.unwrap_or_default() + b.unwrap_or_default();
            let show = |v: Option<Decimal>| v.map_or("（空）".to_owned(), fmt_amount);
            match t {
                // A missing budget-year total is `missing-field`; an empty prior column is fine.
                None if column == Column::Budget || (a.is_none() && b.is_none()) => {}
                None => self.push(
                    code,
                    line,
                    format!(
                        "{}（{name}）未填写，但{} {} + {} {} 已填写，请补填合计",
                        total.label(),
                        parts[0].label(),
                        show(a),
                        parts[1].label(),
                        show(b)
                    ),
                ),
                Some(t) if (t - sum).abs() > money_tolerance() => self.push(
                    code,
                    line,
                    format!(
                        "{} {} ≠ {} {} + {} {}（{name}），相差 {}",
                        total.label(),
                        fmt_amount(t),
                        parts[0].label(),
                        show(a),
                        parts[1].label(),
                        show(b),
                        fmt_amount(t - sum)
                    ),
                ),
                Some(_) => {}
            }
        }
    }

    fn balance(&mut self) {
        let (Some(i), Some(e)) = (
            self.amount(Row::IncomeTotal, Column::Budget),
            self.amount(Row::ExpenditureTotal, Column::Budget),
        ) else {
            return;
        };
        if (i - e).abs() > money_tolerance() {
            let name = column_name(self.decl, Column::Budget);
            self.push(
                Code::Balance,
                self.source
                    .row(Row::ExpenditureTotal)
                    .or(self.source.row(Row::IncomeTotal)),
                format!(
                    "收支不平衡：收入合计 {} ≠ 支出合计 {}（{name}），相差 {}",
                    fmt_amount(i),
                    fmt_amount(e),
                    fmt_amount(i - e)
                ),
            );
        }
    }

    fn shares(&mut self) {
        let groups = [
            (
                Row::IncomeTotal,
                [Row::FiscalAppropriation, Row::Other, Row::IncomeTotal],
            ),
            (
                Row::ExpenditureTotal,
                [Row::Basic, Row::Project, Row::ExpenditureTotal],
            ),
        ];
        let hundred = Decimal::ONE_HUNDRED;
        for (total_row, rows) in groups {
            let Some(total) = self
                .amount(total_row, Column::Budget)
                .filter(|t| !t.is_zero())
            else {
                continue;
            };
            if self.source.is_bad(total_row, Column::Budget) {
                continue;
            }
            for row in rows {
                let Some(declared) = self.amount(row, Column::Share) else {
                    continue;
                };
                if self.source.is_bad(row, Column::Budget) {
                    continue;
                }
                let amount = self.amount(row, Column::Budget).unwrap_or_default();
                let Some(ratio) = amount.checked_div(total) else {
                    continue;
                };
                let computed = (ratio * hundred)
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
                if (declared - computed).abs() > share_tolerance() {
                    self.push(
                        Code::Share,
                        self.source.row(row),
                        format!(
                            "{}占比填写 {}%，按金额计算应为 {}%（{} ÷ {} {}）",
                            row.label(),
                            declared.normalize(),
                            computed,
                            fmt_amount(amount),
                            total_row.label(),
                            fmt_amount(total)
                        ),
                    );
                }
            }
        }
    }

    fn indicators(&mut self) {
        for (g, goal) in self.decl.goals.iter().enumerate() {
            let n = goal.label();
            let mut has_output = false;
            let mut has_benefit = false;
            for (i, ind) in goal.indicators.iter().enumerate() {
                let line = self.source.indicator(g, i);
                let name = ind.name.as_deref().unwrap_or("（未命名）");
                let l1 = ind.level1.as_deref().and_then(taxonomy::level1);
                has_output |= l1 == Some("产出");
                has_benefit |= matches!(l1, Some("效益" | "满意度"));
                match (ind.level1.as_deref(), l1) {
                    (None, _) => self.push(
                        Code::IndicatorCategory,
                        line,
                        format!("{n}的指标“{name}”缺少一级指标，请填写产出指标、效益指标、满意度指标或成本指标"),
                    ),
                    (Some(raw), None) => self.push(
                        Code::IndicatorCategory,
                        line,
                        format!("{n}的一级指标“{raw}”不在指标体系内，应为产出指标、效益指标、满意度指标或成本指标"),
                    ),
                    (Some(_), Some(l1)) => {
                        let ok = ind
                            .level2
                            .as_deref()
                            .is_some_and(|l2| taxonomy::level2_of(l1).contains(&taxonomy::stem(l2).as_str()));
                        if !ok {
                            let l2 = ind.level2.as_deref().unwrap_or("（空）");
                            self.push(
                                Code::IndicatorCategory,
                                line,
                                format!(
                                    "{n}的二级指标“{l2}”不属于{l1}指标，应为{}",
                                    taxonomy::describe_level2(l1)
                                ),
                            );
                        }
                    }
                }
                let quantitative = ind.is_quantitative() == Some(true);
                match ind.target.as_deref() {
                    Some(t) if quantitative && !is_measurable(t) => self.push(
                        Code::VagueTarget,
                        line,
                        format!(
                            "{n}的指标“{name}”是定量指标，但指标值“{t}”没有数值，请填写数值（如“≥95”并在计量单位中写明单位）"
                        ),
                    ),
                    None => self.push(
                        Code::VagueTarget,
                        line,
                        format!("{n}的指标“{name}”未填写预期当年实现值，请填写可衡量的数值"),
                    ),
                    Some(t) if !is_measurable(t) => self.push(
                        Code::VagueTarget,
                        line,
                        format!(
                            "{n}的指标“{name}”预期值“{t}”不可衡量，请改为数值（如“≥95%”“100人次”）"
                        ),
                    ),
                    Some(_) => {}
                }
            }
            let header = self.source.goal(g);
            let title = goal
                .name
                .as_deref()
                .map(|s| format!("（{s}）"))
                .unwrap_or_default();
            if !has_output {
                self.push(
                    Code::MissingOutput,
                    header,
                    format!("{n}{title}没有产出指标，请至少填写一项数量、质量、时效或成本指标"),
                );
            }
            if !has_benefit {
                self.push(
                    Code::MissingBenefit,
                    header,
                    format!("{n}{title}没有效益指标或满意度指标，请至少填写一项"),
                );
            }
        }
    }

    fn goal_count(&mut self) {
        // One table for the whole department has no per-goal blocks to count.
        if self.decl.goals.iter().any(|g| g.number.is_none()) {
            return;
        }
        let declared = self.decl.overall_goals.len();
        let tables = self.decl.goals.len();
        if declared != tables {
            self.push(
                Code::GoalMismatch,
                self.source.overall_goals.or(self.source.goal(0)),
                format!(
                    "整体绩效目标列出 {declared} 个目标，但填写了 {tables} 个年度目标指标表，请使两者一一对应"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measurable_targets_carry_a_number() {
        for t in ["≥95%", "100人次", "３个", "<=2天"] {
            assert!(is_measurable(t), "{t}");
        }
        for t in ["合格", "满意", "良好", "较好", "达标", "好", "有所提高"] {
            assert!(!is_measurable(t), "{t}");
        }
    }

    #[test]
    fn amounts_print_like_the_form() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(fmt_amount(d("286.4")), "286.40");
        assert_eq!(fmt_amount(d("31")), "31.00");
        assert_eq!(fmt_amount(d("0.005")), "0.005");
        assert_eq!(fmt_amount(d("-0.01")), "-0.01");
    }
}
