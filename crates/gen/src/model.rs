//! The canonical declaration (an independent model of spec section 2) and the truth written beside a district: per file, per department and the expected district.

use super::*;

// ---------------------------------------------------------------------------------------------
// Canonical declaration (declaration/v1) — an independent model of spec section 2
// ---------------------------------------------------------------------------------------------

/// Values per prior year in the order of the form's header (latest first), serialised as a
/// JSON object keyed by the year (`{"2019": …, "2018": …}`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearMap<T>(pub Vec<(i32, T)>);

impl<T> YearMap<T> {
    pub fn get(&self, year: i32) -> Option<&T> {
        self.0.iter().find(|(y, _)| *y == year).map(|(_, v)| v)
    }
}

/// A value of a [`YearMap`]: how it goes to and comes from JSON.
pub trait YearValue: Sized {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

impl YearValue for Option<Decimal> {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        rust_decimal::serde::arbitrary_precision_option::serialize(self, s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        rust_decimal::serde::arbitrary_precision_option::deserialize(d)
    }
}

impl YearValue for Option<String> {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<String>::deserialize(d)
    }
}

pub(crate) struct AsYearValue<'a, T>(pub(crate) &'a T);

impl<T: YearValue> Serialize for AsYearValue<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.ser(s)
    }
}

impl<T: YearValue> Serialize for YearMap<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (year, value) in &self.0 {
            map.serialize_entry(&year.to_string(), &AsYearValue(value))?;
        }
        map.end()
    }
}

pub(crate) struct YearValueSeed<T>(pub(crate) std::marker::PhantomData<T>);

impl<'de, T: YearValue> DeserializeSeed<'de> for YearValueSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::de(d)
    }
}

pub(crate) struct YearMapVisitor<T>(pub(crate) std::marker::PhantomData<T>);

impl<'de, T: YearValue> Visitor<'de> for YearMapVisitor<T> {
    type Value = YearMap<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object keyed by year")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YearMap<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let year = key
                .parse::<i32>()
                .map_err(|_| serde::de::Error::custom(format!("not a year: {key:?}")))?;
            let value = map.next_value_seed(YearValueSeed(std::marker::PhantomData))?;
            out.push((year, value));
        }
        Ok(YearMap(out))
    }
}

impl<'de, T: YearValue> Deserialize<'de> for YearMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(YearMapVisitor(std::marker::PhantomData))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BudgetLine {
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub budget: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub share_percent: Option<Decimal>,
    pub prior_years: YearMap<Option<Decimal>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Income {
    pub fiscal_appropriation: BudgetLine,
    pub other: BudgetLine,
    pub total: BudgetLine,
    /// The layout has no income block: the block is `null` in canonical JSON (spec section 5).
    #[serde(skip)]
    pub absent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Expenditure {
    pub basic: BudgetLine,
    pub project: BudgetLine,
    pub total: BudgetLine,
    /// The layout has no expenditure block (`null`).
    #[serde(skip)]
    pub absent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Indicator {
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub name: Option<String>,
    pub prior_years: YearMap<Option<String>>,
    pub target: Option<String>,
    pub standard: Option<String>,
    /// 计量单位, 指标值类型, 指标解释, 备注: only in layouts with such columns (spec section 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Goal {
    /// `0` is the single table of a layout without per-goal blocks: `null` in JSON.
    #[serde(with = "layouts::goal_number")]
    pub number: u32,
    pub name: Option<String>,
    pub indicators: Vec<Indicator>,
}

/// The canonical `declaration/v1` JSON of spec section 2, field for field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Declaration {
    pub schema: String,
    pub form: String,
    pub fiscal_year: Option<i32>,
    pub department: Option<String>,
    pub filled_by: Option<String>,
    pub phone: Option<String>,
    pub unit: Option<String>,
    #[serde(with = "layouts::block")]
    pub income: Income,
    #[serde(with = "layouts::block")]
    pub expenditure: Expenditure,
    pub functions: Vec<String>,
    pub annual_tasks: Vec<String>,
    pub long_term_goal: Option<String>,
    pub annual_goal: Option<String>,
    pub overall_goals: Vec<String>,
    pub goals: Vec<Goal>,
    /// Spec section 5 keys, absent from forms written without `--layouts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_code: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<layouts::Duty>,
}

// ---------------------------------------------------------------------------------------------
// Truth
// ---------------------------------------------------------------------------------------------

/// Everything the generator knows about what it wrote; serialised to `DIR/.truth/truth.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    /// `"gen_district/1"`.
    pub generator: String,
    pub options: TruthOptions,
    /// Every file written under `DIR/<district>/`, in writing order.
    pub files: Vec<TruthFile>,
    /// Per department (in index order) the true money series.
    pub departments: Vec<TruthDepartment>,
    /// Requested plants that found no file (too few department-years, or no year whose
    /// actual two forms report for `prior-year-revised`), one entry per missing file.
    pub unplanted: Vec<String>,
    /// The renames (机构改革), old name → new name: the `[aliases]` table of `site.toml`
    /// (`DIR/.truth/aliases.toml` holds it ready to use).
    #[serde(default)]
    pub aliases: Vec<Alias>,
    /// Which departments are renamed, gapped, singletons or revised, and where.
    #[serde(default)]
    pub cases: TruthCases,
    /// The `district/v1` JSON the site must produce for this district (with the aliases),
    /// without `slug` and `page`; also written pretty to `DIR/.truth/district.json`.
    /// Computed from the written forms (`files[].expected`) alone, see [`expected_district`].
    #[serde(default)]
    pub expected_district: ExpectedDistrict,
    /// Per department of `expected_district` (same order): year-over-year budget changes and
    /// the CAGR over its budget years.
    #[serde(default)]
    pub trends: Vec<DepartmentTrend>,
    /// The self-evaluations written (`self_eval`), with their oracle figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub self_evaluations: Vec<crate::self_eval::EvalTruth>,
}

/// A department known as `old` in its forms before `from_year` and as `new` from then on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    pub old: String,
    pub new: String,
    pub from_year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TruthCases {
    /// `--renames`: the same pairs as [`Truth::aliases`].
    pub renamed: Vec<Alias>,
    /// `--gaps`: the department (as named in its forms) and the budget year it has no form for.
    pub gaps: Vec<DepartmentYear>,
    /// `--singletons`: the department and its only year.
    pub singletons: Vec<DepartmentYear>,
    /// Every `prior-year-revised` plant (from `--revisions` and from `--plant`).
    pub revisions: Vec<Revision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentYear {
    pub department: String,
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub department: String,
    /// The revising (later) form, relative to DIR.
    pub file: String,
    pub fiscal_year: i32,
    /// The prior year whose actual it revises.
    pub revised_year: i32,
    /// The earlier forms that report the unrevised actual of `revised_year`.
    pub earlier_files: Vec<String>,
}

/// `district/v1` (the site's `data/district.json`) without `slug` and `page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectedDistrict {
    /// `"district/v1"`.
    pub schema: String,
    /// `"万元"`.
    pub unit: String,
    /// Every year some department has a budget or an actual for; sums over the departments.
    pub years: BTreeMap<i32, DistrictYear>,
    /// Sorted by matching key (normalised name after the aliases).
    pub departments: Vec<DistrictDepartment>,
}

impl Default for ExpectedDistrict {
    fn default() -> Self {
        ExpectedDistrict {
            schema: "district/v1".to_string(),
            unit: "万元".to_string(),
            years: BTreeMap::new(),
            departments: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictYear {
    /// Sum of the departments' budgets (`None`: no department has one).
    pub budget: Option<Amounts>,
    /// Sum of the departments' actuals (`None`: no department has one).
    pub actual: Option<Amounts>,
    /// How many departments have a budget this year.
    pub departments: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictDepartment {
    /// The name as written in the department's latest clean form.
    pub department: String,
    /// Every year the department has a budget or an actual for.
    pub series: BTreeMap<i32, SeriesPoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesPoint {
    pub budget: Option<Amounts>,
    pub actual: Option<Amounts>,
    /// (budget income total of Y ÷ that of Y−1 − 1) × 100, 2 places, half away from zero.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub budget_growth_percent: Option<Decimal>,
    /// actual expenditure total ÷ budget expenditure total × 100, 2 places.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub execution_percent: Option<Decimal>,
}

/// The six amounts of a year, a blank cell counted as 0 in sums and ratios. A department's
/// figure that its form left blank is published as `null` (`blank`, serialised through
/// [`AmountsJson`]); a district's sums have no blank figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(into = "AmountsJson", from = "AmountsJson")]
pub struct Amounts {
    pub income_total: Decimal,
    pub fiscal_appropriation: Decimal,
    pub other: Decimal,
    pub expenditure_total: Decimal,
    pub basic: Decimal,
    pub project: Decimal,
    /// Which figures the form left blank, in field order (bit 0 = `income_total`).
    pub blank: u8,
}

/// [`Amounts`] as `district.json` has them: a blank figure is `null`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AmountsJson {
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub income_total: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub fiscal_appropriation: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub other: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub expenditure_total: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub basic: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub project: Option<Decimal>,
}

impl From<Amounts> for AmountsJson {
    fn from(a: Amounts) -> AmountsJson {
        let [income_total, fiscal_appropriation, other, expenditure_total, basic, project] =
            a.published();
        AmountsJson {
            income_total,
            fiscal_appropriation,
            other,
            expenditure_total,
            basic,
            project,
        }
    }
}

impl From<AmountsJson> for Amounts {
    fn from(j: AmountsJson) -> Amounts {
        let v = [
            j.income_total,
            j.fiscal_appropriation,
            j.other,
            j.expenditure_total,
            j.basic,
            j.project,
        ];
        let blank = v
            .iter()
            .enumerate()
            .filter(|(_, x)| x.is_none())
            .fold(0u8, |m, (i, _)| m | 1 << i);
        let g = |i: usize| v[i].unwrap_or_default();
        Amounts {
            income_total: g(0),
            fiscal_appropriation: g(1),
            other: g(2),
            expenditure_total: g(3),
            basic: g(4),
            project: g(5),
            blank,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentTrend {
    /// As in [`DistrictDepartment::department`].
    pub department: String,
    /// The years with a budget, ascending.
    pub budget_years: Vec<i32>,
    /// One entry per year Y whose budget and Y−1's budget both exist.
    pub year_over_year: Vec<YearOverYear>,
    /// First and last budget year (`None` with fewer than two budget years).
    pub cagr_first_year: Option<i32>,
    pub cagr_last_year: Option<i32>,
    /// ((last budget income total ÷ first) ^ (1 / (last − first)) − 1) × 100, 2 places;
    /// `None` with fewer than two budget years or a first total of 0. The ratio is exact
    /// (decimal); only the power is taken in f64, so allow 0.01 when comparing.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub cagr_percent: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearOverYear {
    pub year: i32,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub budget_income_total: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub previous_budget_income_total: Decimal,
    /// budget income total of Y − that of Y−1 (exact).
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub change: Decimal,
    /// As [`SeriesPoint::budget_growth_percent`] (`None` if Y−1's total is 0).
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub budget_growth_percent: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub budget_expenditure_total: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub previous_budget_expenditure_total: Decimal,
}

/// Indicator figures of one form (no score: the site defines that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormQuality {
    /// Indicators over all goals (placeholder rows are not indicators).
    pub indicators: usize,
    /// 年度目标 tables.
    pub goals: usize,
    /// indicators ÷ goals, 2 places, half away from zero (`None` without goals).
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub indicators_per_goal: Option<Decimal>,
    /// Targets containing a digit (ASCII or full-width) ÷ indicators × 100, 2 places
    /// (`None` without indicators).
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub measurable_share_percent: Option<Decimal>,
    /// Distinct level-2 categories of [`LEVEL2_STEMS`] present (trailing `指标` dropped,
    /// 环境效益 counted as 生态效益).
    pub level2_coverage: usize,
}

/// The level-2 categories of the taxonomy (spec section 3), without `指标`.
pub const LEVEL2_STEMS: [&str; 12] = [
    "数量",
    "质量",
    "时效",
    "成本",
    "经济效益",
    "社会效益",
    "生态效益",
    "可持续影响",
    "服务对象满意度",
    "经济成本",
    "社会成本",
    "生态环境成本",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthOptions {
    pub seed: u64,
    pub district: String,
    pub departments: usize,
    pub years: Vec<i32>,
    pub quirks: String,
    pub plant: Vec<String>,
    pub plant_count: usize,
    pub json_share: u32,
    #[serde(default)]
    pub renames: usize,
    #[serde(default)]
    pub gaps: usize,
    #[serde(default)]
    pub singletons: usize,
    #[serde(default)]
    pub revisions: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layouts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formats: Vec<String>,
    #[serde(default)]
    pub swings: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthFile {
    /// Relative to DIR, forward slashes: `示例区/示例区教育局-2020.txt`.
    pub path: String,
    /// The name the form carries (a renamed department's old name before the rename).
    pub department: String,
    pub fiscal_year: i32,
    /// `"text"` (tab-separated export), `"json"` (canonical JSON), `"binary"` or `"empty"`.
    pub format: String,
    /// `"utf-8"`, `"utf-8-bom"`, `"gb18030"`, `"utf-16le"`, `"utf-16be"`, or `"none"`.
    pub encoding: String,
    /// Format quirks applied (see [`QUIRK_NAMES`]); the encoding is in `encoding`.
    pub quirks: Vec<String>,
    /// The exact canonical JSON the reader must produce; `None` for files that hold no
    /// declaration (`unreadable-file`, `not-a-declaration`).
    pub expected: Option<Declaration>,
    /// Rule codes planted in this file (a clean file has none and must give no diagnostic).
    pub planted: Vec<String>,
    /// How each code was planted and on which 1-based line of the decoded text it sits.
    pub plant_details: Vec<PlantDetail>,
    /// Indicator figures of `expected` (`None` with no declaration).
    #[serde(default)]
    pub quality: Option<FormQuality>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlantDetail {
    pub code: String,
    /// 1-based line of the decoded text holding the error: the row of the changed cell; for
    /// `income-sum` / `expenditure-sum` the group's 合计 row; for `missing-output`,
    /// `missing-benefit` the `年度目标N` row; for `goal-mismatch` the 整体绩效目标 row; the
    /// first title line when the year is removed. `None` for file-level codes
    /// (`unreadable-file`, `not-a-declaration`, `duplicate-submission`) and for JSON files.
    pub line: Option<u32>,
    pub detail: String,
}

/// The names that can appear in [`TruthFile::quirks`].
pub const QUIRK_NAMES: [&str; 14] = [
    "crlf",
    "final-newline",
    "fullwidth-digits",
    "thousands-separators",
    "unit-line-variants",
    "halfwidth-colons",
    "page-breaks",
    "page-break-in-indicator-table",
    "shifted-total-row",
    "shifted-benefit-row",
    "label-on-data-row",
    "level1-once",
    "functions-plain-text",
    "tasks-plain-text",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthDepartment {
    /// The department's name (after a rename: the new name).
    pub name: String,
    /// Every year a clean form of this department declares (budget) or reports (actual),
    /// ascending. Planted files may deviate from these figures; the series does not.
    pub years: Vec<YearFigures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearFigures {
    pub year: i32,
    /// The budget declared in the form of this year (`None`: no form for this year).
    pub budget: Option<Figures>,
    /// The actuals reported by the forms of the next two years (`None`: not reported).
    pub actual: Option<Figures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub income: IncomeFigures,
    pub expenditure: ExpenditureFigures,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomeFigures {
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub fiscal_appropriation: Decimal,
    /// `None`: 其他资金 left empty.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub other: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenditureFigures {
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub basic: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub project: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub total: Decimal,
}
