//! Money of a budget or actual column, the six figures every table and chart shows, and a
//! year's budget beside its actuals. Exact `Decimal`, serialised as exact JSON numbers.

use super::facts::Facts;
use super::Row;
use rust_decimal::Decimal;
use serde::Serialize;

/// The six figures of a budget or actual column; a blank cell counts as 0.
/// Serialised as exact JSON numbers, in the key order of the `district/v1` contract.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Amounts {
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub income_total: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub fiscal_appropriation: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub other: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub expenditure_total: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub basic: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub project: Decimal,
}

impl Amounts {
    /// Every figure rounded to `dp` places (half away from zero), for publishing.
    pub fn rounded(&self, dp: u32) -> Amounts {
        let r = |d: Decimal| crate::format::round(d, dp);
        Amounts {
            income_total: r(self.income_total),
            fiscal_appropriation: r(self.fiscal_appropriation),
            other: r(self.other),
            expenditure_total: r(self.expenditure_total),
            basic: r(self.basic),
            project: r(self.project),
        }
    }

    pub fn add(&mut self, o: &Amounts) {
        self.income_total += o.income_total;
        self.fiscal_appropriation += o.fiscal_appropriation;
        self.other += o.other;
        self.expenditure_total += o.expenditure_total;
        self.basic += o.basic;
        self.project += o.project;
    }

    /// The budget-year column of a declaration's facts.
    pub fn budget_of(f: &Facts) -> Amounts {
        Self::column(|r| f.row(r).budget)
    }

    /// A prior-year column of a declaration's facts, if it reports anything for that year.
    pub fn actual_of(f: &Facts, year: i32) -> Option<Amounts> {
        let any = Row::ALL
            .iter()
            .any(|&r| f.row(r).prior_value(year).is_some());
        any.then(|| Self::column(|r| f.row(r).prior_value(year)))
    }

    fn column(get: impl Fn(Row) -> Option<Decimal>) -> Amounts {
        let v = |r| get(r).unwrap_or_default();
        Amounts {
            income_total: v(Row::IncomeTotal),
            fiscal_appropriation: v(Row::FiscalAppropriation),
            other: v(Row::Other),
            expenditure_total: v(Row::ExpenditureTotal),
            basic: v(Row::Basic),
            project: v(Row::Project),
        }
    }

    /// `part ÷ whole × 100`, exact until rounded for display; None when the whole is zero.
    pub fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
        if whole.is_zero() {
            None
        } else {
            part.checked_div(whole).map(|r| r * Decimal::ONE_HUNDRED)
        }
    }
}

/// Budget and actual of one year for one department or a whole district.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct YearPoint {
    pub budget: Option<Amounts>,
    pub actual: Option<Amounts>,
}
