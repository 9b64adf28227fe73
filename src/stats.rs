//! The figures a finance bureau watches, computed exactly (`Decimal`) from the analyzed model
//! and rounded only when published: per department and year (growth, execution, fiscal
//! dependence, structure, CAGR), per declaration (target quality and its 0–100 score), and per
//! district and year (totals, structure, concentration, the spread of growth, outliers).

use crate::analyze::{Amounts, Department, District, YearPoint};
use crate::model::Declaration;
use crate::validate::{is_measurable, taxonomy};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

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
pub fn department_years(series: &BTreeMap<i32, YearPoint>) -> Vec<YearFigures> {
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
pub fn cagr(series: &BTreeMap<i32, YearPoint>) -> Option<Decimal> {
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

/// The quality of a declaration's performance targets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quality {
    pub goals: usize,
    pub indicators: usize,
    /// Indicators per goal.
    pub per_goal: Option<Decimal>,
    pub measurable: usize,
    /// Measurable targets ÷ indicators × 100.
    pub measurable_share: Option<Decimal>,
    /// Distinct level-2 categories of the taxonomy used (under a valid level 1).
    pub level2_coverage: usize,
    /// Goals with both an output indicator and a benefit or satisfaction indicator.
    pub complete_goals: usize,
    /// 0–100: 50 × measurable share + 25 × coverage (of 6 categories) + 15 × indicators per
    /// goal (of 3) + 10 × complete goals share. See the method page.
    pub score: Decimal,
}

/// Categories counted toward full coverage.
pub const COVERAGE_TARGET: usize = 6;
/// Indicators per goal counted toward a full score.
pub const PER_GOAL_TARGET: i64 = 3;

pub fn quality(d: &Declaration) -> Quality {
    let goals = d.goals.len();
    let mut indicators = 0;
    let mut measurable = 0;
    let mut categories: BTreeSet<String> = BTreeSet::new();
    let mut complete_goals = 0;
    for g in &d.goals {
        let mut output = false;
        let mut benefit = false;
        for i in &g.indicators {
            indicators += 1;
            if i.target.as_deref().is_some_and(is_measurable) {
                measurable += 1;
            }
            let l1 = i.level1.as_deref().and_then(taxonomy::level1);
            output |= l1 == Some("产出");
            benefit |= matches!(l1, Some("效益" | "满意度"));
            if let (Some(l1), Some(l2)) = (l1, i.level2.as_deref()) {
                let stem = taxonomy::stem(l2);
                if taxonomy::level2_of(l1).contains(&stem.as_str()) {
                    categories.insert(stem);
                }
            }
        }
        if output && benefit {
            complete_goals += 1;
        }
    }
    let dec = |n: usize| Decimal::from(n as u64);
    let per_goal = (goals > 0).then(|| dec(indicators) / dec(goals));
    let measurable_share = ratio_percent(dec(measurable), dec(indicators));
    let coverage = categories.len().min(COVERAGE_TARGET);
    let score = measurable_share.unwrap_or_default() / Decimal::TWO
        + Decimal::from(25) * dec(coverage) / dec(COVERAGE_TARGET)
        + Decimal::from(5)
            * per_goal
                .unwrap_or_default()
                .min(Decimal::from(PER_GOAL_TARGET))
        + ratio_percent(dec(complete_goals), dec(goals)).unwrap_or_default() / Decimal::TEN;
    Quality {
        goals,
        indicators,
        per_goal,
        measurable,
        measurable_share,
        level2_coverage: categories.len(),
        complete_goals,
        score,
    }
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
    let departments: Vec<DepartmentFigures> = d.departments.iter().map(department).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn quality_of_the_real_sample() {
        let text = include_str!("../tests/fixtures/sample/武汉市新洲区总工会-2020.txt");
        let form = crate::ingest::layouts::parse_text(text, "s.txt").unwrap();
        let q = quality(&form.declaration);
        assert_eq!((q.goals, q.indicators, q.measurable), (4, 11, 0));
        assert_eq!(q.per_goal, Some(d("2.75")));
        assert_eq!(q.measurable_share, Some(d("0")));
        // 数量, 质量, 服务对象满意度; goals 1–3 have output and benefit, goal 4 has no benefit.
        assert_eq!((q.level2_coverage, q.complete_goals), (3, 3));
        // 0 + 25 × 3/6 + 5 × 2.75 + 10 × 3/4
        assert_eq!(q.score, d("33.75"));
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
            series,
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

    #[test]
    fn the_score_weighs_its_four_parts_and_caps_two_of_them() {
        use crate::model::{Goal, Indicator};
        let ind = |l1: &str, l2: &str, target: &str| Indicator {
            level1: Some(l1.into()),
            level2: Some(l2.into()),
            name: Some("n".into()),
            target: Some(target.into()),
            ..Indicator::default()
        };
        // One goal, four indicators: 2 of 4 targets measurable (50 %), 3 categories of 6,
        // 4 indicators per goal (capped at 3), the goal complete.
        let mut decl = Declaration::default();
        decl.goals.push(Goal {
            number: Some(1),
            name: Some("g".into()),
            indicators: vec![
                ind("产出指标", "数量指标", "10人"),
                ind("产出指标", "质量指标", "有效"),
                ind("效益指标", "社会效益指标", "≥95%"),
                ind("产出指标", "数量指标", "明显"),
            ],
        });
        let q = quality(&decl);
        assert_eq!((q.goals, q.indicators, q.measurable), (1, 4, 2));
        assert_eq!((q.level2_coverage, q.complete_goals), (3, 1));
        assert_eq!(q.per_goal, Some(d("4")));
        assert_eq!(q.measurable_share, Some(d("50")));
        // 50 × 0.5 + 25 × 3/6 + 5 × 3 + 10 × 1 = 25 + 12.5 + 15 + 10
        assert_eq!(q.score, d("62.5"));
        // A second goal with only a cost indicator: incomplete, 5 indicators over 2 goals.
        decl.goals.push(Goal {
            number: Some(2),
            name: Some("h".into()),
            indicators: vec![ind("成本指标", "经济成本指标", "100万元")],
        });
        let q = quality(&decl);
        assert_eq!(
            (q.measurable, q.level2_coverage, q.complete_goals),
            (3, 4, 1)
        );
        // 50 × 3/5 + 25 × 4/6 + 5 × 2.5 + 10 × 1/2 = 30 + 16.666… + 12.5 + 5
        assert_eq!(q.score.round_dp(4), d("64.1667"));
        // Coverage is capped at 6 categories; nothing at all scores 0.
        assert_eq!(quality(&Declaration::default()).score, d("0"));
        assert_eq!(quality(&Declaration::default()).per_goal, None);
    }

    #[test]
    fn a_goal_is_complete_only_with_an_output_and_a_benefit_or_satisfaction_indicator() {
        use crate::model::{Goal, Indicator};
        let ind = |l1: &str, l2: &str, target: &str| Indicator {
            level1: Some(l1.into()),
            level2: Some(l2.into()),
            target: Some(target.into()),
            ..Indicator::default()
        };
        let goal = |indicators: Vec<Indicator>| Goal {
            number: Some(1),
            name: None,
            indicators,
        };
        let mut decl = Declaration::default();
        // A benefit without an output, then an output with a satisfaction indicator.
        decl.goals
            .push(goal(vec![ind("效益指标", "社会效益指标", "≥95%")]));
        decl.goals.push(goal(vec![
            ind("产出指标", "数量指标", "10人"),
            ind("满意度指标", "服务对象满意度指标", "≥90%"),
        ]));
        let q = quality(&decl);
        assert_eq!(
            (q.complete_goals, q.level2_coverage, q.measurable),
            (1, 3, 3)
        );
        // 50 × 3/3 + 25 × 3/6 + 5 × 1.5 + 10 × 1/2 = 50 + 12.5 + 7.5 + 5
        assert_eq!(q.score, d("75"));
        // An output alone is not complete either.
        decl.goals[0] = goal(vec![ind("产出指标", "质量指标", "≥95%")]);
        assert_eq!(quality(&decl).complete_goals, 1);
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
        assert_eq!(cagr(&incomes(&[(2021, "100")])), None);
        assert_eq!(cagr(&BTreeMap::new()), None);
        // A start of 0 or below has no ratio.
        assert_eq!(cagr(&incomes(&[(2020, "0"), (2021, "50")])), None);
        assert_eq!(cagr(&incomes(&[(2020, "-10"), (2021, "20")])), None);
        // A negative end has no root; an end of 0 is a fall of exactly 100 % a year.
        assert_eq!(cagr(&incomes(&[(2020, "100"), (2021, "-50")])), None);
        assert_eq!(
            cagr(&incomes(&[(2020, "100"), (2022, "0")])),
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
        assert_eq!(cagr(&s), Some(d("50")));
    }
}
