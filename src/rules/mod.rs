//! The rule catalog (spec §3) applied to one declaration; `cross` holds the two rules
//! that need every declaration of a department; `self_eval` the rules of self-evaluations
//! (one form, and matched to their declarations). Rules read the model and the source map
//! and only ever add diagnostics: they never change a declaration.

pub mod cross;
mod fields;
mod indicators;
mod money;
pub mod self_eval;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Column, Declaration, Row, SourceMap};
use rust_decimal::Decimal;

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_print_like_the_form() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(fmt_amount(d("286.4")), "286.40");
        assert_eq!(fmt_amount(d("31")), "31.00");
        assert_eq!(fmt_amount(d("0.005")), "0.005");
        assert_eq!(fmt_amount(d("-0.01")), "-0.01");
    }
}
