//! Money of a budget or actual column, the six figures every table and chart shows, and a
//! year's budget beside its actuals. Exact `Decimal`, serialised as exact JSON numbers.

use super::facts::Facts;
use super::Row;
use rust_decimal::Decimal;
use serde::Serialize;

/// The six figures of a budget or actual column; a blank cell counts as 0 in every sum and
/// ratio, and is remembered (`blank`) so that a download says it was blank, as the page does:
/// serialised, a blank figure is `null`, a filled one an exact JSON number, in the key order
/// of the `district/v1` contract. A sum of columns ([`Amounts::add`] onto a default) has no
/// blank figure: district totals count a blank cell as 0, and say so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(into = "Published")]
pub struct Amounts {
    pub income_total: Decimal,
    pub fiscal_appropriation: Decimal,
    pub other: Decimal,
    pub expenditure_total: Decimal,
    pub basic: Decimal,
    pub project: Decimal,
    /// The figures the form left blank: bit `i` for `Row::ALL[i]`.
    pub blank: u8,
}

/// [`Amounts`] as published: a figure the form left blank is `null`.
#[derive(Serialize)]
struct Published {
    #[serde(with = "crate::format::json_number")]
    income_total: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    fiscal_appropriation: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    other: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    expenditure_total: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    basic: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    project: Option<Decimal>,
}

impl From<Amounts> for Published {
    fn from(a: Amounts) -> Published {
        Published {
            income_total: a.filled(Row::IncomeTotal),
            fiscal_appropriation: a.filled(Row::FiscalAppropriation),
            other: a.filled(Row::Other),
            expenditure_total: a.filled(Row::ExpenditureTotal),
            basic: a.filled(Row::Basic),
            project: a.filled(Row::Project),
        }
    }
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
            blank: self.blank,
        }
    }

    /// The figure of `row` (0 when blank).
    pub fn get(&self, row: Row) -> Decimal {
        match row {
            Row::IncomeTotal => self.income_total,
            Row::FiscalAppropriation => self.fiscal_appropriation,
            Row::Other => self.other,
            Row::ExpenditureTotal => self.expenditure_total,
            Row::Basic => self.basic,
            Row::Project => self.project,
        }
    }

    /// The figure of `row` as the form gives it: `None` when the form left it blank.
    pub fn filled(&self, row: Row) -> Option<Decimal> {
        let bit = 1u8 << Row::ALL.iter().position(|&r| r == row).unwrap_or(0);
        (self.blank & bit == 0).then(|| self.get(row))
    }

    /// Adds `o` figure by figure, a blank counting as 0; the sum keeps a figure blank only
    /// where both were blank (a default, all-zero start has none).
    pub fn add(&mut self, o: &Amounts) {
        self.blank &= o.blank;
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
        let blank = Row::ALL
            .iter()
            .enumerate()
            .filter(|(_, &r)| get(r).is_none())
            .fold(0u8, |m, (i, _)| m | 1 << i);
        Amounts {
            blank,
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

/// A department's `YearPoint`s by year, ascending, for every year any of its forms mentions.
/// A sorted slice with a map's reading methods: a `BTreeMap` leaf allots room for eleven years
/// (2.4 KB a department, 47 MB held at 20,000 departments) where a department has three to five.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Series(Box<[(i32, YearPoint)]>);

type SeriesIter<'s> = std::iter::Map<
    std::slice::Iter<'s, (i32, YearPoint)>,
    fn(&'s (i32, YearPoint)) -> (&'s i32, &'s YearPoint),
>;

impl Series {
    pub fn get(&self, year: &i32) -> Option<&YearPoint> {
        self.0
            .binary_search_by_key(year, |(y, _)| *y)
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &i32> + '_ {
        self.0.iter().map(|(y, _)| y)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &YearPoint> + '_ {
        self.0.iter().map(|(_, p)| p)
    }

    pub fn iter(&self) -> SeriesIter<'_> {
        self.0.iter().map(|(y, p)| (y, p))
    }
}

impl From<std::collections::BTreeMap<i32, YearPoint>> for Series {
    fn from(map: std::collections::BTreeMap<i32, YearPoint>) -> Series {
        Series(map.into_iter().collect())
    }
}

impl std::ops::Index<&i32> for Series {
    type Output = YearPoint;

    /// Panics without the year, as a map's index does (tests only).
    fn index(&self, year: &i32) -> &YearPoint {
        self.get(year).expect("a year of the series")
    }
}

impl<'s> IntoIterator for &'s Series {
    type Item = (&'s i32, &'s YearPoint);
    type IntoIter = SeriesIter<'s>;

    fn into_iter(self) -> SeriesIter<'s> {
        self.iter()
    }
}
