//! Rules on the budget table: `negative-amount`, `income-sum` and `expenditure-sum` (parts
//! add up to their total), `balance` (income equals spending) and `share` (the 占比 column).
//! Layouts without a money block skip them (spec §5).
use super::{column_name, fmt_amount, money_tolerance, share_tolerance, Rules};
use crate::diagnostic::Code;
use crate::model::{Column, Row};
use rust_decimal::{Decimal, RoundingStrategy};

impl Rules<'_> {
    pub(super) fn negative_amounts(&mut self) {
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

    pub(super) fn sums(&mut self, code: Code, parts: [Row; 2], total: Row) {
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

    pub(super) fn balance(&mut self) {
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

    pub(super) fn shares(&mut self) {
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
}
