//! The figures a finance bureau watches, computed exactly (`Decimal`) from the analyzed model
//! and rounded only when published: per department and year (growth, execution, fiscal
//! dependence, structure, CAGR) and per district and year (totals, structure, concentration,
//! the spread of growth, outliers, the quality board). A declaration's own target quality is
//! `model::quality`.

use crate::analyze::{Department, District, Form};
use crate::diagnostic::Severity;
use crate::model::amounts::{Amounts, Series, YearPoint};
use crate::model::quality::Quality;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

/// Budget growth beyond ± this many percent is an outlier.
pub const GROWTH_OUTLIER_PERCENT: i64 = 30;
/// Execution outside this range (percent) is an outlier.
pub const EXECUTION_RANGE_PERCENT: (i64, i64) = (80, 120);
/// How many departments the concentration figure counts.
pub const TOP_N: usize = 10;

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

/// `a ÷ b × 100`; None when b is zero.
pub fn ratio_percent(a: Decimal, b: Decimal) -> Option<Decimal> {
    Amounts::percent(a, b)
}

/// One department's figures for one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearFigures {
    pub year: i32,
    pub budget: Option<Amounts>,
    pub actual: Option<Amounts>,
    /// (budget income total of Y ÷ that of Y−1 − 1) × 100.
    pub budget_growth: Option<Decimal>,
    /// Actual spending total ÷ budget spending total × 100 (预算执行率).
    pub execution: Option<Decimal>,
    /// 财政拨款 ÷ income total × 100, of the budget.
    pub fiscal_dependence: Option<Decimal>,
    pub basic_share: Option<Decimal>,
    pub project_share: Option<Decimal>,
}

/// Every year of a department's series, ascending.
pub fn department_years(series: &Series) -> Vec<YearFigures> {
    series
        .iter()
        .map(|(&year, p)| year_figures(year, p, series.get(&(year - 1)).and_then(|q| q.budget)))
        .collect()
}

/// The ratios of one year's budget and actual (a department's or a district's sums), given
/// the previous year's budget for growth.
pub fn year_figures(year: i32, p: &YearPoint, previous: Option<Amounts>) -> YearFigures {
    let of_budget = |f: fn(&Amounts) -> (Decimal, Decimal)| {
        p.budget.as_ref().and_then(|b| {
            let (part, whole) = f(b);
            ratio_percent(part, whole)
        })
    };
    YearFigures {
        year,
        budget: p.budget,
        actual: p.actual,
        budget_growth: match (p.budget, previous) {
            (Some(b), Some(prev)) => {
                ratio_percent(b.income_total, prev.income_total).map(|r| r - hundred())
            }
            _ => None,
        },
        execution: match (p.actual, p.budget) {
            (Some(a), Some(b)) => ratio_percent(a.expenditure_total, b.expenditure_total),
            _ => None,
        },
        fiscal_dependence: of_budget(|b| (b.fiscal_appropriation, b.income_total)),
        basic_share: of_budget(|b| (b.basic, b.expenditure_total)),
        project_share: of_budget(|b| (b.project, b.expenditure_total)),
    }
}

/// Compound annual growth of the budget income total from the first to the last budget year:
/// ((last ÷ first)^(1 ÷ years) − 1) × 100. The root is taken in f64 (no exact decimal root
/// exists); inputs are exact and the result is rounded to 2 places where published.
pub fn cagr(series: &Series) -> Option<Decimal> {
    let budgets: Vec<(i32, Decimal)> = series
        .iter()
        .filter_map(|(y, p)| p.budget.map(|b| (*y, b.income_total)))
        .collect();
    let (&(y0, first), &(y1, last)) = (budgets.first()?, budgets.last()?);
    if y1 <= y0 || first <= Decimal::ZERO || last < Decimal::ZERO {
        return None;
    }
    let ratio = (last / first).to_f64()?;
    let rate = ratio.powf(1.0 / f64::from(y1 - y0)) - 1.0;
    Decimal::from_f64(rate * 100.0).map(|d| d.round_dp(6))
}

/// Minimum, quartiles and maximum of a set of values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spread {
    pub count: usize,
    pub min: Decimal,
    pub q1: Decimal,
    pub median: Decimal,
    pub q3: Decimal,
    pub max: Decimal,
}

/// Quartiles by linear interpolation between closest ranks (the common "type 7" definition).
pub fn spread(values: &[Decimal]) -> Option<Spread> {
    let mut v = values.to_vec();
    v.sort();
    let n = v.len();
    if n == 0 {
        return None;
    }
    let at = |q: Decimal| {
        let pos = q * Decimal::from(n as u64 - 1);
        let lo = pos.floor().to_usize().unwrap_or(0);
        let hi = (lo + 1).min(n - 1);
        let frac = pos - pos.floor();
        v[lo] + (v[hi] - v[lo]) * frac
    };
    Some(Spread {
        count: n,
        min: v[0],
        q1: at(Decimal::new(25, 2)),
        median: at(Decimal::new(5, 1)),
        q3: at(Decimal::new(75, 2)),
        max: v[n - 1],
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutlierKind {
    Growth,
    Execution,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlier {
    /// Index into the district's departments.
    pub department: usize,
    pub kind: OutlierKind,
    pub value: Decimal,
}

/// A district's figures for one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictYear {
    pub year: i32,
    pub budget: Option<Amounts>,
    pub actual: Option<Amounts>,
    /// Departments with a budget that year.
    pub departments: usize,
    pub basic_share: Option<Decimal>,
    pub project_share: Option<Decimal>,
    pub fiscal_dependence: Option<Decimal>,
    pub execution: Option<Decimal>,
    pub budget_growth: Option<Decimal>,
    /// Department indices by budget spending, largest first (ties by name key).
    pub ranking: Vec<(usize, Decimal)>,
    /// Share of the district's budget spending held by the `TOP_N` largest departments.
    pub top_share: Option<Decimal>,
    /// Spread of the departments' budget growth.
    pub growth: Option<Spread>,
    pub outliers: Vec<Outlier>,
}

/// All figures of a district: per department (same order as `district.departments`) and per
/// year.
#[derive(Debug, Clone)]
pub struct DistrictFigures {
    pub departments: Vec<DepartmentFigures>,
    pub years: Vec<DistrictYear>,
}

#[derive(Debug, Clone)]
pub struct DepartmentFigures {
    pub years: Vec<YearFigures>,
    pub cagr: Option<Decimal>,
    /// Per published form, same order as `Department::forms` (latest first).
    pub quality: Vec<Quality>,
}

impl DepartmentFigures {
    pub fn year(&self, year: i32) -> Option<&YearFigures> {
        self.years.iter().find(|y| y.year == year)
    }
}

pub fn department(dep: &Department<'_>) -> DepartmentFigures {
    DepartmentFigures {
        years: department_years(&dep.series),
        cagr: cagr(&dep.series),
        quality: dep.forms.iter().map(|f| f.facts.quality.clone()).collect(),
    }
}

pub fn district(d: &District<'_>) -> DistrictFigures {
    // In parallel: ~6 ms of CPU at 2,000 departments, made in every build beside the feed
    // and the published files' check.
    let departments: Vec<DepartmentFigures> = {
        use rayon::prelude::*;
        d.departments.par_iter().map(department).collect()
    };
    let years = d
        .totals
        .iter()
        .map(|(&year, total)| {
            let mut ranking: Vec<(usize, Decimal)> = d
                .departments
                .iter()
                .enumerate()
                .filter_map(|(i, dep)| {
                    dep.series
                        .get(&year)
                        .and_then(|p| p.budget)
                        .map(|b| (i, b.expenditure_total))
                })
                .collect();
            ranking.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| d.departments[a.0].key.cmp(&d.departments[b.0].key))
            });
            let top: Decimal = ranking.iter().take(TOP_N).map(|(_, v)| *v).sum();
            let growths: Vec<Decimal> = departments
                .iter()
                .filter_map(|f| f.year(year).and_then(|y| y.budget_growth))
                .collect();
            let mut outliers = Vec::new();
            for (i, f) in departments.iter().enumerate() {
                let Some(y) = f.year(year) else { continue };
                if let Some(g) = y.budget_growth {
                    if g.abs() > Decimal::from(GROWTH_OUTLIER_PERCENT) {
                        outliers.push(Outlier {
                            department: i,
                            kind: OutlierKind::Growth,
                            value: g,
                        });
                    }
                }
                if let Some(e) = y.execution {
                    let (lo, hi) = EXECUTION_RANGE_PERCENT;
                    if e < Decimal::from(lo) || e > Decimal::from(hi) {
                        outliers.push(Outlier {
                            department: i,
                            kind: OutlierKind::Execution,
                            value: e,
                        });
                    }
                }
            }
            let f = year_figures(
                year,
                total,
                d.totals.get(&(year - 1)).and_then(|p| p.budget),
            );
            DistrictYear {
                year,
                budget: f.budget,
                actual: f.actual,
                departments: d.counts.get(&year).copied().unwrap_or(0),
                basic_share: f.basic_share,
                project_share: f.project_share,
                fiscal_dependence: f.fiscal_dependence,
                execution: f.execution,
                budget_growth: f.budget_growth,
                top_share: total
                    .budget
                    .and_then(|b| ratio_percent(top, b.expenditure_total)),
                ranking,
                growth: spread(&growths),
                outliers,
            }
        })
        .collect();
    DistrictFigures { departments, years }
}

/// The exact figures behind a `YearRow`, shared with the CSV/XLSX downloads.
pub struct YearFiguresRow<'m> {
    pub department: &'m Department<'m>,
    pub form: Option<&'m Form<'m>>,
    pub figures: Option<&'m YearFigures>,
    pub quality: Option<&'m Quality>,
}

impl YearFiguresRow<'_> {
    pub fn warnings(&self) -> usize {
        self.form.map_or(0, |f| {
            f.notes
                .iter()
                .filter(|n| n.severity == Severity::Warning)
                .count()
        })
    }
}

/// Every department of the district with its figures for `year`.
pub fn departments_in_year<'m>(
    d: &'m District<'m>,
    figures: &'m DistrictFigures,
    year: i32,
) -> Vec<YearFiguresRow<'m>> {
    d.departments
        .iter()
        .zip(&figures.departments)
        .map(|(dep, f)| {
            let form_index = dep.forms.iter().position(|x| x.year == year);
            YearFiguresRow {
                department: dep,
                form: form_index.map(|i| &dep.forms[i]),
                figures: f.year(year),
                quality: form_index.map(|i| &f.quality[i]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn amounts(income: &str, spending: &str) -> Amounts {
        Amounts {
            income_total: d(income),
            fiscal_appropriation: d(income),
            expenditure_total: d(spending),
            basic: d(spending),
            ..Amounts::default()
        }
    }

    #[test]
    fn growth_execution_and_cagr() {
        let mut s = BTreeMap::new();
        s.insert(
            2020,
            YearPoint {
                budget: Some(amounts("100", "100")),
                actual: Some(amounts("90", "90")),
            },
        );
        s.insert(
            2021,
            YearPoint {
                budget: Some(amounts("121", "121")),
                actual: None,
            },
        );
        s.insert(
            2023,
            YearPoint {
                budget: Some(amounts("133.1", "133.1")),
                actual: None,
            },
        );
        let s = Series::from(s);
        let y = department_years(&s);
        assert_eq!(y[0].budget_growth, None, "no 2019 budget");
        assert_eq!(y[0].execution, Some(d("90")));
        assert_eq!(y[1].budget_growth, Some(d("21")));
        assert_eq!(
            y[2].budget_growth, None,
            "2022 is missing: no growth against 2021"
        );
        assert_eq!(y[0].fiscal_dependence, Some(d("100")));
        // 100 → 133.1 over 3 years is 10% a year.
        let c = cagr(&s).unwrap();
        assert!((c - d("10")).abs() < d("0.0001"), "{c}");
    }

    #[test]
    fn spread_uses_interpolated_quartiles() {
        let v: Vec<Decimal> = ["1", "2", "3", "4"].iter().map(|s| d(s)).collect();
        let s = spread(&v).unwrap();
        assert_eq!(
            (s.min, s.q1, s.median, s.q3, s.max),
            (d("1"), d("1.75"), d("2.5"), d("3.25"), d("4"))
        );
        assert!(spread(&[]).is_none());
        // One value is every quartile (no neighbour to interpolate towards).
        let one = spread(&[d("7")]).unwrap();
        assert_eq!(
            (one.count, one.min, one.q1, one.median, one.q3, one.max),
            (1, d("7"), d("7"), d("7"), d("7"), d("7"))
        );
    }

    /// A department with a budget (income, spending) in 2020 and 2021 and an actual spending
    /// in 2021.
    fn dep(key: &str, b2020: &str, b2021: &str, spend: &str, actual: &str) -> Department<'static> {
        let mut series = BTreeMap::new();
        series.insert(
            2020,
            YearPoint {
                budget: Some(amounts(b2020, spend)),
                actual: None,
            },
        );
        series.insert(
            2021,
            YearPoint {
                budget: Some(amounts(b2021, spend)),
                actual: Some(amounts(actual, actual)),
            },
        );
        Department {
            key: key.to_owned(),
            name: key.to_owned(),
            slug: key.to_owned(),
            forms: Vec::new(),
            series: series.into(),
            evaluations: Vec::new(),
        }
    }

    fn district_of(departments: Vec<Department<'static>>) -> District<'static> {
        let mut totals: BTreeMap<i32, YearPoint> = BTreeMap::new();
        let mut counts = BTreeMap::new();
        for dep in &departments {
            for (&y, p) in &dep.series {
                let t = totals.entry(y).or_default();
                if let Some(b) = &p.budget {
                    t.budget.get_or_insert_with(Amounts::default).add(b);
                    *counts.entry(y).or_insert(0) += 1;
                }
                if let Some(a) = &p.actual {
                    t.actual.get_or_insert_with(Amounts::default).add(a);
                }
            }
        }
        District {
            folder: "d".into(),
            name: "d".into(),
            slug: "d".into(),
            sample_data: false,
            departments,
            years: vec![2020, 2021],
            totals,
            counts,
            without_income: BTreeMap::new(),
            without_money: BTreeMap::new(),
            withheld: BTreeMap::new(),
            withheld_only: Vec::new(),
        }
    }

    #[test]
    fn outliers_flag_both_directions_strictly_beyond_their_limits() {
        // Growth against 100: exactly ±30 % is not an outlier, a cent more is. Execution
        // against a spending of 100: exactly 80 % and 120 % are not, a cent beyond is.
        let dist = district_of(vec![
            dep("a", "100", "130", "100", "100"),
            dep("b", "100", "130.01", "100", "100"),
            dep("c", "100", "70", "100", "80"),
            dep("d", "100", "69.99", "100", "79.99"),
            dep("e", "100", "100", "100", "120"),
            dep("f", "100", "100", "100", "120.01"),
        ]);
        let f = district(&dist);
        let y = f.years.iter().find(|y| y.year == 2021).unwrap();
        let got: Vec<(usize, OutlierKind, Decimal)> = y
            .outliers
            .iter()
            .map(|o| (o.department, o.kind, o.value))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, OutlierKind::Growth, d("30.01")),
                (3, OutlierKind::Growth, d("-30.01")),
                (3, OutlierKind::Execution, d("79.99")),
                (5, OutlierKind::Execution, d("120.01")),
            ]
        );
        let first = f.years.iter().find(|y| y.year == 2020).unwrap();
        assert!(first.outliers.is_empty(), "no growth without 2019");
        assert_eq!(first.budget_growth, None);
        // District growth: 130 + 130.01 + 70 + 69.99 + 100 + 100 = 600 against 600.
        assert_eq!(y.budget_growth, Some(d("0")));
        assert_eq!(y.departments, 6);
    }

    #[test]
    fn the_top_ten_share_ranking_and_growth_spread_of_a_district() {
        // Twelve departments spending 10, 20, …, 120 but 70 twice 60 (total 770); the ten
        // largest spend 770 − 10 − 20 = 740, 96.103896…% of the total. Two spend 60: ranked
        // by key.
        let spends = [
            "10", "20", "30", "40", "50", "60", "60", "80", "90", "100", "110", "120",
        ];
        let keys = ["l", "k", "j", "i", "h", "g", "f", "e", "d", "c", "b", "a"];
        // Growth of income 100 → 100 + i: 0 %, 1 %, … 11 %.
        let deps: Vec<Department<'static>> = spends
            .iter()
            .zip(keys)
            .enumerate()
            .map(|(i, (s, k))| dep(k, "100", &(100 + i).to_string(), s, s))
            .collect();
        let dd = district_of(deps);
        let f = district(&dd);
        let y = f.years.iter().find(|y| y.year == 2021).unwrap();
        assert_eq!(
            y.top_share.map(|v| v.round_dp(4)),
            Some(d("96.1039")),
            "{:?}",
            y.top_share
        );
        let order: Vec<&str> = y
            .ranking
            .iter()
            .map(|(i, _)| dd.departments[*i].key.as_str())
            .collect();
        assert_eq!(
            order,
            ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]
        );
        // Growth 0..=11 %: type-7 quartiles at positions 2.75, 5.5 and 8.25.
        let g = y.growth.as_ref().unwrap();
        assert_eq!(
            (g.count, g.min, g.q1, g.median, g.q3, g.max),
            (12, d("0"), d("2.75"), d("5.5"), d("8.25"), d("11"))
        );
        // Execution of the district: 770 actual of 770 budget.
        assert_eq!(y.execution, Some(d("100")));
        // Fewer than ten departments: they hold everything.
        let small = district_of(vec![
            dep("a", "1", "1", "5", "5"),
            dep("b", "1", "1", "15", "15"),
        ]);
        let f = district(&small);
        assert_eq!(f.years[1].top_share, Some(d("100")));
    }

    /// A series of budget incomes by year (spending equal), no actuals.
    fn incomes(points: &[(i32, &str)]) -> BTreeMap<i32, YearPoint> {
        points
            .iter()
            .map(|&(y, v)| {
                (
                    y,
                    YearPoint {
                        budget: Some(amounts(v, v)),
                        actual: None,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn cagr_needs_two_years_and_a_positive_start() {
        // One budget year: no growth to speak of.
        assert_eq!(cagr(&Series::from(incomes(&[(2021, "100")]))), None);
        assert_eq!(cagr(&Series::default()), None);
        // A start of 0 or below has no ratio.
        assert_eq!(
            cagr(&Series::from(incomes(&[(2020, "0"), (2021, "50")]))),
            None
        );
        assert_eq!(
            cagr(&Series::from(incomes(&[(2020, "-10"), (2021, "20")]))),
            None
        );
        // A negative end has no root; an end of 0 is a fall of exactly 100 % a year.
        assert_eq!(
            cagr(&Series::from(incomes(&[(2020, "100"), (2021, "-50")]))),
            None
        );
        assert_eq!(
            cagr(&Series::from(incomes(&[(2020, "100"), (2022, "0")]))),
            Some(d("-100"))
        );
        // 100 → 150 in one year is 50 %; a year without a budget does not count.
        let mut s = incomes(&[(2020, "100"), (2021, "150")]);
        s.insert(
            2022,
            YearPoint {
                budget: None,
                actual: Some(amounts("1", "1")),
            },
        );
        assert_eq!(cagr(&s.into()), Some(d("50")));
    }
}
