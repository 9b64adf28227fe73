//! The district truth: series, trends, quality and indicator figures computed from the written forms, in integer arithmetic.

use super::*;

// ---------------------------------------------------------------------------------------------
// The district truth: series, trends and indicator figures computed from the written forms
// ---------------------------------------------------------------------------------------------

/// The rule codes of error severity (spec section 3): a file with any of them is left out of
/// every figure.
pub const ERROR_CODES: [&str; 10] = [
    "unreadable-file",
    "not-a-declaration",
    "missing-field",
    "bad-number",
    "negative-amount",
    "income-sum",
    "expenditure-sum",
    "balance",
    "share",
    "duplicate-submission",
];

/// The matching form of a department name: full-width characters (U+FF01–U+FF5E, U+3000)
/// made half-width, whitespace removed.
pub fn normalise(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// `num ÷ den` rounded to an integer, half away from zero (`den ≠ 0`).
pub(crate) fn round_div(num: i128, den: i128) -> i128 {
    let (q, r) = (num / den, num % den);
    if 2 * r.abs() >= den.abs() {
        q + if (num < 0) != (den < 0) { -1 } else { 1 }
    } else {
        q
    }
}

/// `num ÷ den × 100`, rounded to 2 places half away from zero, computed exactly; `None` if
/// `den` is 0.
pub(crate) fn percent(num: Decimal, den: Decimal) -> Option<Decimal> {
    if den.is_zero() {
        return None;
    }
    let scale = num.scale().max(den.scale());
    let widen = |d: Decimal| {
        10i128
            .checked_pow(scale - d.scale())?
            .checked_mul(d.mantissa())
    };
    match (widen(num).and_then(|n| n.checked_mul(10_000)), widen(den)) {
        (Some(n), Some(d)) => Some(Decimal::from_i128_with_scale(round_div(n, d), 2).normalize()),
        // Beyond i128 (never with generated amounts): decimal division, 28 digits.
        _ => Some(
            (num * Decimal::ONE_HUNDRED / den)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
        ),
    }
}

/// Indicator figures of a declaration.
pub fn quality(decl: &Declaration) -> FormQuality {
    let indicators: Vec<&Indicator> = decl.goals.iter().flat_map(|g| &g.indicators).collect();
    let n = indicators.len();
    let goals = decl.goals.len();
    let measurable = indicators
        .iter()
        .filter(|i| {
            i.target.as_deref().is_some_and(|t| {
                t.chars()
                    .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
            })
        })
        .count();
    let stems: std::collections::BTreeSet<&str> = indicators
        .iter()
        .filter_map(|i| i.level2.as_deref())
        .map(|l2| {
            let stem = l2.trim();
            let stem = stem.strip_suffix("指标").unwrap_or(stem);
            if stem == "环境效益" {
                "生态效益"
            } else {
                stem
            }
        })
        .filter(|stem| LEVEL2_STEMS.contains(stem))
        .collect();
    let two_places = |num: usize, den: usize, by: i128| {
        (den > 0).then(|| {
            Decimal::from_i128_with_scale(round_div(num as i128 * by, den as i128), 2).normalize()
        })
    };
    FormQuality {
        indicators: n,
        goals,
        indicators_per_goal: two_places(n, goals, 100),
        measurable_share_percent: two_places(measurable, n, 10_000),
        level2_coverage: stems.len(),
    }
}

impl Amounts {
    /// The budget column (`year` is `None`) or the prior-year column `year` of a declaration.
    pub(crate) fn of(decl: &Declaration, year: Option<i32>) -> Amounts {
        let get = |line: &BudgetLine| match year {
            None => line.budget,
            Some(y) => line.prior_years.get(y).copied().flatten(),
        };
        Amounts::from(AmountsJson {
            income_total: get(&decl.income.total),
            fiscal_appropriation: get(&decl.income.fiscal_appropriation),
            other: get(&decl.income.other),
            expenditure_total: get(&decl.expenditure.total),
            basic: get(&decl.expenditure.basic),
            project: get(&decl.expenditure.project),
        })
    }

    /// The six figures in field order, `None` where the form left the cell blank.
    pub fn published(&self) -> [Option<Decimal>; 6] {
        let v = [
            self.income_total,
            self.fiscal_appropriation,
            self.other,
            self.expenditure_total,
            self.basic,
            self.project,
        ];
        std::array::from_fn(|i| (self.blank & (1 << i) == 0).then_some(v[i]))
    }

    /// Sums figure by figure (a blank as 0); the sum keeps a figure blank only where both were.
    pub(crate) fn add(&mut self, o: &Amounts) {
        self.blank &= o.blank;
        self.income_total += o.income_total;
        self.fiscal_appropriation += o.fiscal_appropriation;
        self.other += o.other;
        self.expenditure_total += o.expenditure_total;
        self.basic += o.basic;
        self.project += o.project;
    }

    pub(crate) fn normalized(mut self) -> Amounts {
        for v in [
            &mut self.income_total,
            &mut self.fiscal_appropriation,
            &mut self.other,
            &mut self.expenditure_total,
            &mut self.basic,
            &mut self.project,
        ] {
            *v = v.normalize();
        }
        self
    }
}

/// The district as the site must merge it, from the written forms alone: files with an
/// error-level plant (or no declaration) are left out; departments match by [`normalise`]d
/// name followed through `aliases` (old → new); per department and year the budget comes
/// from the form of that year and the actual from the latest form reporting the year as a
/// prior year; the department is named as in its latest clean form.
pub fn expected_district(files: &[TruthFile], aliases: &[Alias]) -> ExpectedDistrict {
    let map: BTreeMap<String, String> = aliases
        .iter()
        .map(|a| (normalise(&a.old), normalise(&a.new)))
        .filter(|(o, n)| o != n)
        .collect();
    let key = |name: &str| {
        let mut k = normalise(name);
        for _ in 0..=map.len() {
            match map.get(&k) {
                Some(next) => k.clone_from(next),
                None => break,
            }
        }
        k
    };
    // key → clean forms (year, declaration)
    let mut grouped: BTreeMap<String, Vec<(i32, &Declaration)>> = BTreeMap::new();
    for f in files {
        if f.planted.iter().any(|c| ERROR_CODES.contains(&c.as_str())) {
            continue;
        }
        let Some(decl) = &f.expected else { continue };
        let (Some(name), Some(year)) = (&decl.department, decl.fiscal_year) else {
            continue;
        };
        grouped.entry(key(name)).or_default().push((year, decl));
    }
    let mut out = ExpectedDistrict::default();
    for forms in grouped.values_mut() {
        forms.sort_by_key(|f| std::cmp::Reverse(f.0));
        let name = forms[0].1.department.clone().unwrap_or_default();
        let mut budget: BTreeMap<i32, Amounts> = BTreeMap::new();
        let mut actual: BTreeMap<i32, Amounts> = BTreeMap::new();
        // Latest first: the first form to give a year wins.
        for &(year, decl) in forms.iter() {
            budget
                .entry(year)
                .or_insert_with(|| Amounts::of(decl, None));
            for &(y, _) in &decl.income.total.prior_years.0 {
                actual
                    .entry(y)
                    .or_insert_with(|| Amounts::of(decl, Some(y)));
            }
        }
        let mut series = BTreeMap::new();
        let all_years: std::collections::BTreeSet<i32> =
            budget.keys().chain(actual.keys()).copied().collect();
        for y in all_years {
            let b = budget.get(&y);
            let a = actual.get(&y);
            let growth = match (b, budget.get(&(y - 1))) {
                (Some(b), Some(p)) => percent(b.income_total - p.income_total, p.income_total),
                _ => None,
            };
            let execution = match (a, b) {
                (Some(a), Some(b)) => percent(a.expenditure_total, b.expenditure_total),
                _ => None,
            };
            series.insert(
                y,
                SeriesPoint {
                    budget: b.map(|x| x.normalized()),
                    actual: a.map(|x| x.normalized()),
                    budget_growth_percent: growth,
                    execution_percent: execution,
                },
            );
        }
        out.departments.push(DistrictDepartment {
            department: name,
            series,
        });
    }
    for d in &out.departments {
        for (&y, p) in &d.series {
            let t = out.years.entry(y).or_insert(DistrictYear {
                budget: None,
                actual: None,
                departments: 0,
            });
            if let Some(b) = &p.budget {
                t.budget.get_or_insert_with(Amounts::default).add(b);
                t.departments += 1;
            }
            if let Some(a) = &p.actual {
                t.actual.get_or_insert_with(Amounts::default).add(a);
            }
        }
    }
    for t in out.years.values_mut() {
        t.budget = t.budget.map(Amounts::normalized);
        t.actual = t.actual.map(Amounts::normalized);
    }
    out
}

/// Per department of `district`: year-over-year budget changes and the CAGR.
///
/// The CAGR's ratio (last ÷ first budget income total) is an exact decimal; only the power
/// `ratio ^ (1 / years)` is taken in f64, and the result is rounded to 2 places half away from
/// zero in f64 (`f64::round`), so a test should allow 0.01.
pub fn trends(district: &ExpectedDistrict) -> Vec<DepartmentTrend> {
    district
        .departments
        .iter()
        .map(|d| {
            let budgets: Vec<(i32, &Amounts)> = d
                .series
                .iter()
                .filter_map(|(&y, p)| p.budget.as_ref().map(|b| (y, b)))
                .collect();
            let year_over_year = budgets
                .windows(2)
                .filter(|w| w[1].0 == w[0].0 + 1)
                .map(|w| {
                    let ((_, prev), (year, cur)) = (w[0], w[1]);
                    YearOverYear {
                        year,
                        budget_income_total: cur.income_total,
                        previous_budget_income_total: prev.income_total,
                        change: (cur.income_total - prev.income_total).normalize(),
                        budget_growth_percent: percent(
                            cur.income_total - prev.income_total,
                            prev.income_total,
                        ),
                        budget_expenditure_total: cur.expenditure_total,
                        previous_budget_expenditure_total: prev.expenditure_total,
                    }
                })
                .collect();
            let span = match (budgets.first(), budgets.last()) {
                (Some(&(fy, _)), Some(&(ly, _))) if ly > fy => Some((fy, ly)),
                _ => None,
            };
            let cagr = match (budgets.first(), budgets.last(), span) {
                (Some((_, first)), Some((_, last)), Some((fy, ly)))
                    if first.income_total > Decimal::ZERO =>
                {
                    cagr_percent(last.income_total / first.income_total, ly - fy)
                }
                _ => None,
            };
            DepartmentTrend {
                department: d.department.clone(),
                budget_years: budgets.iter().map(|&(y, _)| y).collect(),
                year_over_year,
                cagr_first_year: span.map(|s| s.0),
                cagr_last_year: span.map(|s| s.1),
                cagr_percent: cagr,
            }
        })
        .collect()
}

/// `(ratio ^ (1 / years) − 1) × 100` in hundredths via f64 (see [`trends`]).
pub(crate) fn cagr_percent(ratio: Decimal, years: i32) -> Option<Decimal> {
    let r: f64 = ratio.to_string().parse().ok()?;
    let pct = (r.powf(1.0 / f64::from(years)) - 1.0) * 100.0;
    let hundredths = (pct * 100.0).round();
    hundredths
        .is_finite()
        .then(|| Decimal::new(hundredths as i64, 2).normalize())
}
