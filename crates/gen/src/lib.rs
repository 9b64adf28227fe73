//! Deterministic generator of realistic test districts for budgetsite.
//!
//! Writes one `部门整体支出绩效目标申报表` per department and budget year, in the layout of the
//! real text export (`samples/武汉市新洲区总工会-2020.txt`) or as canonical JSON, with the
//! quirks of spec §1 and, on request, planted errors of the rule catalog (§3).
//! Next to the district it writes `.truth/truth.json`: per file the exact canonical JSON the
//! reader must produce and the codes planted in it, per department the true money series,
//! and the merged multi-year district the site must publish (`expected_district`, also in
//! `.truth/district.json`; the renames' `[aliases]` table is in `.truth/aliases.toml`).
//! On request departments are renamed, miss a year, file only once, or revise an actual.
//!
//! Independent of the budgetsite library on purpose: only std, serde, serde_json,
//! rust_decimal and encoding_rs. Money is integer cents (exact); a tiny splitmix64 PRNG seeded
//! from the options makes every byte reproducible.

use rust_decimal::Decimal;
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::path::Path;

// Other layouts (fujian, hunan, hubei-pdf) and spreadsheet formats (xlsx, Unicode text).
mod layouts;
pub mod oracle;
pub mod self_eval;
mod sheets;
pub use layouts::{FileFormat, FormLayout};

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/// Every rule code that can be planted, in the order `--plant all` plants them.
pub const PLANT_CODES: [&str; 17] = [
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
    "indicator-category",
    "vague-target",
    "placeholder-row",
    "missing-output",
    "missing-benefit",
    "goal-mismatch",
    "prior-year-revised",
];

/// How many format quirks of spec section 1 each text file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuirkLevel {
    /// Plain UTF-8, LF, one page, no shifted cells: the easiest export.
    None,
    /// Each quirk on roughly 20–40 % of the files, mixed by the PRNG.
    Some,
    /// As many quirks at once as possible in every file.
    All,
}

impl QuirkLevel {
    #[allow(dead_code)]
    pub fn parse(s: &str) -> Result<QuirkLevel, String> {
        match s {
            "none" => Ok(QuirkLevel::None),
            "some" => Ok(QuirkLevel::Some),
            "all" => Ok(QuirkLevel::All),
            _ => Err(format!("--quirks must be none, some or all, not {s:?}")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            QuirkLevel::None => "none",
            QuirkLevel::Some => "some",
            QuirkLevel::All => "all",
        }
    }
}

/// Which rule codes to plant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plant {
    None,
    All,
    Codes(Vec<String>),
}

impl Plant {
    #[allow(dead_code)]
    pub fn parse(s: &str) -> Result<Plant, String> {
        match s {
            "none" | "" => Ok(Plant::None),
            "all" => Ok(Plant::All),
            _ => {
                let codes: Vec<String> = s.split(',').map(|c| c.trim().to_string()).collect();
                for c in &codes {
                    if !PLANT_CODES.contains(&c.as_str()) {
                        return Err(format!("unknown rule code {c:?} in --plant"));
                    }
                }
                Ok(Plant::Codes(codes))
            }
        }
    }

    /// The codes to plant, in catalog order, without repetitions.
    pub fn codes(&self) -> io::Result<Vec<&'static str>> {
        match self {
            Plant::None => Ok(Vec::new()),
            Plant::All => Ok(PLANT_CODES.to_vec()),
            Plant::Codes(list) => {
                for c in list {
                    if !PLANT_CODES.contains(&c.as_str()) {
                        return Err(invalid(format!("unknown rule code {c:?}")));
                    }
                }
                Ok(PLANT_CODES
                    .iter()
                    .copied()
                    .filter(|c| list.iter().any(|l| l == c))
                    .collect())
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct GenOptions {
    pub seed: u64,
    /// Name of the district: prefix of the department names and name of the folder.
    pub district: String,
    pub departments: usize,
    /// Budget years; each department gets one form per year.
    pub years: Vec<i32>,
    pub quirks: QuirkLevel,
    pub plant: Plant,
    /// How many files get each planted code (distinct files).
    pub plant_count: usize,
    /// Percentage (0–100) of the forms written as canonical JSON instead of text.
    pub json_share: u32,
    /// Departments renamed from some year on (机构改革): the forms before that year carry an
    /// old name, the truth records the alias old → new. Needs two budget years.
    pub renames: usize,
    /// Departments that miss one budget year in the middle (no form that year). Needs three
    /// budget years.
    pub gaps: usize,
    /// Departments that file in one year only: in turn the latest year, the first, any.
    pub singletons: usize,
    /// Extra `prior-year-revised` plants: later forms that revise a prior-year actual an
    /// earlier form reported (on top of those `plant` / `plant_count` ask for).
    pub revisions: usize,
    /// Layouts the clean forms are printed in, chosen per file (empty: `hubei` only, as
    /// before layouts existed). See layouts.rs.
    pub layouts: Vec<FormLayout>,
    /// File formats of the clean forms, chosen per file (empty: the text export only).
    pub formats: Vec<FileFormat>,
    /// Departments (the first N by index) whose figures swing once, so the dashboard has
    /// outliers of every kind: in turn a budget that falls by 45 %, one that rises by 60 %
    /// (both against the year before, and back the year after), an actual spending of 60 %
    /// and one of 135 % of the budget.
    pub swings: usize,
    /// Self-evaluations of the clean declarations (`self_eval`; none by default).
    pub evaluations: self_eval::EvalOptions,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            seed: 1,
            district: "示例区".to_string(),
            departments: 10,
            years: vec![2020, 2021, 2022],
            quirks: QuirkLevel::Some,
            plant: Plant::None,
            plant_count: 1,
            json_share: 0,
            renames: 0,
            gaps: 0,
            singletons: 0,
            revisions: 0,
            layouts: Vec::new(),
            formats: Vec::new(),
            swings: 0,
            evaluations: self_eval::EvalOptions::default(),
        }
    }
}

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

struct AsYearValue<'a, T>(&'a T);

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

struct YearValueSeed<T>(std::marker::PhantomData<T>);

impl<'de, T: YearValue> DeserializeSeed<'de> for YearValueSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::de(d)
    }
}

struct YearMapVisitor<T>(std::marker::PhantomData<T>);

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
    pub self_evaluations: Vec<self_eval::EvalTruth>,
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

/// The six amounts of a year, a blank cell counted as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/// Writes the district under `out/<district>/` and the truth under `out/.truth/truth.json`,
/// and returns the truth. Same options ⇒ byte-identical files.
pub fn generate(opts: &GenOptions, out: &Path) -> io::Result<Truth> {
    let mut years = opts.years.clone();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        return Err(invalid("at least one budget year is needed".into()));
    }
    if years[0] < 1000 || years[years.len() - 1] > 9999 {
        return Err(invalid("budget years must have four digits".into()));
    }
    if opts.json_share > 100 {
        return Err(invalid("json share is a percentage (0–100)".into()));
    }
    if opts.district.is_empty() || opts.district.contains(['/', '\\']) || opts.district == ".." {
        return Err(invalid(format!(
            "unusable district name {:?}",
            opts.district
        )));
    }
    let codes = opts.plant.codes()?;
    let shapes = plan_shapes(opts, &years)?;
    let (plan, unplanted) =
        plan_plants(opts.seed, &shapes, &codes, opts.plant_count, opts.revisions);

    let district_dir = out.join(&opts.district);
    std::fs::create_dir_all(&district_dir)?;
    let truth_dir = out.join(".truth");
    std::fs::create_dir_all(&truth_dir)?;

    let mut truth = Truth {
        generator: "gen_district/1".to_string(),
        options: TruthOptions {
            seed: opts.seed,
            district: opts.district.clone(),
            departments: opts.departments,
            years: years.clone(),
            quirks: opts.quirks.name().to_string(),
            plant: codes.iter().map(|c| c.to_string()).collect(),
            plant_count: opts.plant_count,
            json_share: opts.json_share,
            renames: opts.renames,
            gaps: opts.gaps,
            singletons: opts.singletons,
            revisions: opts.revisions,
            layouts: opts.layouts.iter().map(|l| l.key().to_string()).collect(),
            formats: opts.formats.iter().map(|f| f.key().to_string()).collect(),
            swings: opts.swings,
        },
        files: Vec::with_capacity(opts.departments * years.len()),
        departments: Vec::with_capacity(opts.departments),
        unplanted: unplanted.iter().map(|c| c.to_string()).collect(),
        aliases: Vec::new(),
        cases: TruthCases::default(),
        expected_district: ExpectedDistrict::default(),
        trends: Vec::new(),
        self_evaluations: Vec::new(),
    };

    let gen = Generator {
        seed: opts.seed,
        district: &opts.district,
        quirks: opts.quirks,
        json_share: opts.json_share,
        layouts: &opts.layouts,
        formats: &opts.formats,
    };
    for (d, shape) in shapes.iter().enumerate() {
        let dept = department(&opts.district, d);
        let old = shape.rename.as_ref().map(|(name, _)| Dept {
            name: name.clone(),
            domain: dept.domain,
        });
        let mut series = Series::new(opts.seed, d, &years);
        if d < opts.swings {
            series.swing(d, &years);
        }
        let stable = DeptStable::new(opts.seed, d, &dept);
        let first_file = truth.files.len();
        for &year in &shape.years {
            let named = match (&old, &shape.rename) {
                (Some(o), Some((_, from))) if year < *from => o,
                _ => &dept,
            };
            let slot = Slot {
                d: d as u64,
                dept: named,
                stable: &stable,
                series: &series,
                year,
                years: &shape.years,
                code: plan.get(&(d, year)).copied(),
            };
            gen.write_slot(&district_dir, &slot, &mut truth)?;
        }
        truth
            .departments
            .push(series.truth(&dept.name, &shape.years));
        record_cases(&mut truth, first_file, &dept, shape);
    }

    for file in &mut truth.files {
        file.quality = file.expected.as_ref().map(quality);
    }
    truth.expected_district = expected_district(&truth.files, &truth.aliases);
    truth.trends = trends(&truth.expected_district);
    truth.self_evaluations = self_eval::write(out, &truth.files, opts.seed, &opts.evaluations)?;

    let file = std::fs::File::create(truth_dir.join("truth.json"))?;
    let mut w = io::BufWriter::with_capacity(1 << 20, file);
    serde_json::to_writer(&mut w, &truth).map_err(io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()?;

    let mut district =
        serde_json::to_string_pretty(&truth.expected_district).map_err(io::Error::other)?;
    district.push('\n');
    std::fs::write(truth_dir.join("district.json"), district)?;
    std::fs::write(truth_dir.join("aliases.toml"), aliases_toml(&truth.aliases))?;
    Ok(truth)
}

/// The `[aliases]` table of `site.toml` for `aliases` (empty table without renames).
pub fn aliases_toml(aliases: &[Alias]) -> String {
    let quote = |s: &str| {
        let mut q = String::from('"');
        for c in s.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                c if c.is_control() => q.push_str(&format!("\\u{:04X}", c as u32)),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    };
    let mut out = String::from("[aliases]\n");
    for a in aliases {
        out.push_str(&format!("{} = {}\n", quote(&a.old), quote(&a.new)));
    }
    out
}

/// What happens to one department across the years: the budget years it files a form for
/// and, if renamed, its old name and the first year of the new one.
struct Shape {
    years: Vec<i32>,
    rename: Option<(String, i32)>,
    kind: ShapeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ShapeKind {
    Whole,
    Renamed,
    Gap(i32),
    Singleton(i32),
}

/// Chooses the renamed, gapped and singleton departments (distinct departments). Without
/// those options every department files every year and no random number is drawn.
fn plan_shapes(opts: &GenOptions, years: &[i32]) -> io::Result<Vec<Shape>> {
    let mut shapes: Vec<Shape> = (0..opts.departments)
        .map(|_| Shape {
            years: years.to_vec(),
            rename: None,
            kind: ShapeKind::Whole,
        })
        .collect();
    let wanted = opts.renames + opts.gaps + opts.singletons;
    if wanted == 0 {
        return Ok(shapes);
    }
    if wanted > opts.departments {
        return Err(invalid(format!(
            "{} renames + {} gaps + {} singletons need that many departments, not {}",
            opts.renames, opts.gaps, opts.singletons, opts.departments
        )));
    }
    if opts.renames > 0 && years.len() < 2 {
        return Err(invalid("renames need at least two budget years".into()));
    }
    if opts.gaps > 0 && years.len() < 3 {
        return Err(invalid(
            "gaps need at least three budget years (a gap lies between two forms)".into(),
        ));
    }
    let mut rng = Rng::derive(&[opts.seed, S_SHAPE]);
    let mut order: Vec<usize> = (0..opts.departments).collect();
    rng.shuffle(&mut order);
    let mut taken: std::collections::BTreeSet<String> = (0..opts.departments)
        .map(|d| normalise(&department(&opts.district, d).name))
        .collect();
    let (renamed, rest) = order.split_at(opts.renames);
    let (gapped, rest) = rest.split_at(opts.gaps);
    let singles = &rest[..opts.singletons];
    for &d in renamed {
        let from = rng.pick(&years[1..]);
        let old = old_name(&opts.district, d, &taken);
        taken.insert(normalise(&old));
        shapes[d].rename = Some((old, from));
        shapes[d].kind = ShapeKind::Renamed;
    }
    for &d in gapped {
        let gap = rng.pick(&years[1..years.len() - 1]);
        shapes[d].years.retain(|&y| y != gap);
        shapes[d].kind = ShapeKind::Gap(gap);
    }
    for (k, &d) in singles.iter().enumerate() {
        // A new department (latest year only), one abolished or merged away (first year
        // only), one that filed once in between, in turn.
        let only = match k % 3 {
            0 => years[years.len() - 1],
            1 => years[0],
            _ => rng.pick(years),
        };
        shapes[d].years = vec![only];
        shapes[d].kind = ShapeKind::Singleton(only);
    }
    Ok(shapes)
}

/// Predecessors of real department names (机构改革 2018–2019 and the like).
#[rustfmt::skip]
const PREDECESSORS: [(&str, &str); 28] = [
    ("{d}卫生健康局", "{d}卫生和计划生育局"), ("{d}农业农村局", "{d}农业局"),
    ("{d}住房和城乡建设局", "{d}城乡建设委员会"), ("{d}文化和旅游局", "{d}文化体育新闻出版广电局"),
    ("{d}发展和改革局", "{d}发展和改革委员会"), ("{d}市场监督管理局", "{d}工商行政管理局"),
    ("{d}应急管理局", "{d}安全生产监督管理局"), ("{d}生态环境局", "{d}环境保护局"),
    ("{d}医疗保障局", "{d}医疗保险管理局"), ("{d}退役军人事务局", "{d}双拥工作领导小组办公室"),
    ("{d}政务服务和大数据管理局", "{d}行政审批局"), ("{d}水务和湖泊局", "{d}水务局"),
    ("{d}城市管理执法局", "{d}城市管理局"), ("{d}经济和信息化局", "{d}经济和信息化委员会"),
    ("{d}科学技术局", "{d}科学技术和经济信息化局"), ("{d}人力资源和社会保障局", "{d}人力资源局"),
    ("{d}交通运输局", "{d}交通运输委员会"), ("{d}融媒体中心", "{d}广播电视台"),
    ("{d}林业局", "{d}园林和林业局"), ("{d}纪委监委机关", "{d}纪律检查委员会机关"),
    ("{d}卫生计生综合监督执法局", "{d}卫生监督所"), ("{d}疾病预防控制中心", "{d}卫生防疫站"),
    ("{d}机关事务服务中心", "{d}机关事务管理局"), ("{d}商务局", "{d}商务和粮食局"),
    ("{d}公路管理局", "{d}公路管理段"), ("{d}教育局", "{d}教育委员会"),
    ("{d}公安分局", "{d}公安局"), ("{d}总工会", "{d}工会联合会"),
];

/// An old name for department `d`, unique among `taken` (normalised names).
fn old_name(district: &str, d: usize, taken: &std::collections::BTreeSet<String>) -> String {
    let name = department(district, d).name;
    let known = PREDECESSORS
        .iter()
        .find(|(new, _)| new.replace("{d}", district) == name)
        .map(|(_, old)| old.replace("{d}", district));
    // Most specific suffix first.
    let suffixed = [
        ("街道办事处", "镇人民政府"),
        ("镇人民政府", "乡人民政府"),
        ("乡人民政府", "人民公社管理委员会"),
        ("分局", "局"),
        ("管理局", "管理处"),
        ("执法局", "监察大队"),
        ("局", "管理局"),
        ("服务中心", "管理站"),
        ("中心", "管理站"),
        ("保健院", "保健站"),
        ("医院", "卫生院"),
        ("福利院", "敬老院"),
        ("职业高级中学", "职业中学"),
        ("中学", "初级中学"),
        ("小学", "中心小学"),
        ("幼儿园", "托儿所"),
        ("学校", "学校筹建处"),
        ("联合会", "联谊会"),
        ("协会", "学会"),
        ("馆", "馆筹建处"),
        ("所", "站"),
        ("管理站", "服务站"),
        ("站", "管理站"),
        ("办公室", "秘书科"),
        ("大队", "中队"),
    ]
    .iter()
    .find(|(suffix, _)| name.ends_with(suffix))
    .map(|(suffix, old)| format!("{}{old}", &name[..name.len() - suffix.len()]));
    let candidates = known
        .into_iter()
        .chain(suffixed)
        .chain(std::iter::once(format!("{name}（原）")));
    for c in candidates {
        if !taken.contains(&normalise(&c)) {
            return c;
        }
    }
    (2..)
        .map(|k| format!("{name}（原{k}）"))
        .find(|c| !taken.contains(&normalise(c)))
        .expect("an unused name")
}

/// Records the shape of department `dept` (whose files start at `truth.files[first_file]`)
/// and its `prior-year-revised` plants in `truth.cases` / `truth.aliases`.
fn record_cases(truth: &mut Truth, first_file: usize, dept: &Dept, shape: &Shape) {
    match shape.kind {
        ShapeKind::Whole => {}
        ShapeKind::Renamed => {
            let (old, from) = shape.rename.clone().expect("renamed");
            let alias = Alias {
                old,
                new: dept.name.clone(),
                from_year: from,
            };
            truth.aliases.push(alias.clone());
            truth.cases.renamed.push(alias);
        }
        ShapeKind::Gap(year) => truth.cases.gaps.push(DepartmentYear {
            department: dept.name.clone(),
            year,
        }),
        ShapeKind::Singleton(year) => truth.cases.singletons.push(DepartmentYear {
            department: dept.name.clone(),
            year,
        }),
    }
    let files = &truth.files[first_file..];
    let mut revisions = Vec::new();
    for f in files {
        if !f.planted.iter().any(|c| c == "prior-year-revised") {
            continue;
        }
        let k = revised_column(&shape.years, f.fiscal_year).expect("planted only where possible");
        let revised_year = f.fiscal_year - 1 - k as i32;
        let earlier_files = files
            .iter()
            .filter(|e| {
                e.fiscal_year < f.fiscal_year
                    && (e.fiscal_year - 1 == revised_year || e.fiscal_year - 2 == revised_year)
            })
            .map(|e| e.path.clone())
            .collect();
        revisions.push(Revision {
            department: f.department.clone(),
            file: f.path.clone(),
            fiscal_year: f.fiscal_year,
            revised_year,
            earlier_files,
        });
    }
    truth.cases.revisions.extend(revisions);
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

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
fn round_div(num: i128, den: i128) -> i128 {
    let (q, r) = (num / den, num % den);
    if 2 * r.abs() >= den.abs() {
        q + if (num < 0) != (den < 0) { -1 } else { 1 }
    } else {
        q
    }
}

/// `num ÷ den × 100`, rounded to 2 places half away from zero, computed exactly; `None` if
/// `den` is 0.
fn percent(num: Decimal, den: Decimal) -> Option<Decimal> {
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
    fn of(decl: &Declaration, year: Option<i32>) -> Amounts {
        let get = |line: &BudgetLine| {
            match year {
                None => line.budget,
                Some(y) => line.prior_years.get(y).copied().flatten(),
            }
            .unwrap_or(Decimal::ZERO)
        };
        Amounts {
            income_total: get(&decl.income.total),
            fiscal_appropriation: get(&decl.income.fiscal_appropriation),
            other: get(&decl.income.other),
            expenditure_total: get(&decl.expenditure.total),
            basic: get(&decl.expenditure.basic),
            project: get(&decl.expenditure.project),
        }
    }

    fn add(&mut self, o: &Amounts) {
        self.income_total += o.income_total;
        self.fiscal_appropriation += o.fiscal_appropriation;
        self.other += o.other;
        self.expenditure_total += o.expenditure_total;
        self.basic += o.basic;
        self.project += o.project;
    }

    fn normalized(mut self) -> Amounts {
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
fn cagr_percent(ratio: Decimal, years: i32) -> Option<Decimal> {
    let r: f64 = ratio.to_string().parse().ok()?;
    let pct = (r.powf(1.0 / f64::from(years)) - 1.0) * 100.0;
    let hundredths = (pct * 100.0).round();
    hundredths
        .is_finite()
        .then(|| Decimal::new(hundredths as i64, 2).normalize())
}

// ---------------------------------------------------------------------------------------------
// PRNG: splitmix64, with independent streams derived from (seed, department, year, purpose)
// ---------------------------------------------------------------------------------------------

const S_SERIES: u64 = 1;
const S_DEPT: u64 = 2;
const S_CONTENT: u64 = 3;
const S_QUIRKS: u64 = 4;
const S_FORMAT: u64 = 5;
const S_PLANT: u64 = 6;
const S_SELECT: u64 = 7;
const S_DUPLICATE: u64 = 8;
const S_JUNK: u64 = 9;
const S_SHAPE: u64 = 10;
const S_LAYOUT: u64 = 11;

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Rng(u64);

impl Rng {
    fn derive(parts: &[u64]) -> Rng {
        let mut s = 0x6A09_E667_F3BC_C908u64;
        for &p in parts {
            s = mix64(s ^ mix64(p.wrapping_add(0x9E37_79B9_7F4A_7C15)));
        }
        Rng(s)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + ((self.next_u64() as u128 * (hi - lo + 1) as u128) >> 64) as i64
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }

    /// `k` distinct indices of `0..n`, in ascending order.
    fn subset(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..n).collect();
        self.shuffle(&mut idx);
        idx.truncate(k.min(n));
        idx.sort_unstable();
        idx
    }
}

// ---------------------------------------------------------------------------------------------
// Departments and vocabulary
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Thing {
    action: &'static str,
    noun: &'static str,
    unit: &'static str,
    lo: i64,
    hi: i64,
}

const fn t(
    action: &'static str,
    noun: &'static str,
    unit: &'static str,
    lo: i64,
    hi: i64,
) -> Thing {
    Thing {
        action,
        noun,
        unit,
        lo,
        hi,
    }
}

struct Domain {
    field: &'static str,
    objs: &'static [&'static str],
    people: &'static [&'static str],
    things: &'static [Thing],
}

const EDU: usize = 0;
const HEALTH: usize = 1;
const CIVIL: usize = 2;
const AGRI: usize = 3;
const BUILD: usize = 4;
const ECON: usize = 5;
const LAW: usize = 6;
const CULTURE: usize = 7;
const ADMIN: usize = 8;
const STREET: usize = 9;

#[rustfmt::skip]
static DOMAINS: [Domain; 10] = [
    Domain {
        field: "教育",
        objs: &[
            "义务教育均衡发展", "教师队伍建设", "学前教育普惠发展", "校园安全管理",
            "学生资助", "校舍维修改造", "教育信息化建设", "课后服务",
        ],
        people: &["学生", "教师", "学生家长"],
        things: &[
            t("开展", "教师培训", "人次", 200, 3000),
            t("资助", "家庭经济困难学生", "人次", 100, 5000),
            t("完成", "校舍维修改造", "所", 2, 30),
            t("新增", "公办幼儿园学位", "个", 100, 2000),
            t("建设", "智慧教室", "间", 5, 120),
            t("组织", "校园安全检查", "次", 4, 48),
            t("配备", "教学设备", "台套", 50, 1500),
        ],
    },
    Domain {
        field: "卫生健康",
        objs: &[
            "基本公共卫生服务", "疾病预防控制", "家庭医生签约服务", "妇幼健康服务",
            "医疗机构监督管理", "爱国卫生运动", "应急医疗救治", "中医药服务",
        ],
        people: &["城乡居民", "患者", "孕产妇", "老年人"],
        things: &[
            t("开展", "健康教育讲座", "场次", 10, 300),
            t("完成", "适龄儿童疫苗接种", "人次", 1000, 50000),
            t("建立", "居民电子健康档案", "份", 5000, 300000),
            t("开展", "老年人健康体检", "人次", 1000, 60000),
            t("培训", "基层卫生人员", "人次", 50, 1500),
            t("开展", "医疗机构监督检查", "家次", 20, 800),
        ],
    },
    Domain {
        field: "民政",
        objs: &[
            "城乡低保救助", "特困人员供养", "养老服务体系建设", "困难群众临时救助",
            "社区治理", "婚姻登记服务", "残疾人帮扶", "就业创业服务",
        ],
        people: &["困难群众", "老年人", "残疾人", "服务对象"],
        things: &[
            t("发放", "城乡低保金", "户次", 500, 30000),
            t("建设", "社区养老服务站", "个", 2, 40),
            t("开展", "临时救助", "人次", 100, 5000),
            t("组织", "就业技能培训", "人次", 100, 8000),
            t("走访慰问", "困难职工", "户", 50, 2000),
            t("开展", "志愿服务活动", "场次", 10, 300),
        ],
    },
    Domain {
        field: "农业农村",
        objs: &[
            "高标准农田建设", "农村人居环境整治", "农田水利设施维护", "动物疫病防控",
            "农产品质量安全监管", "防汛抗旱", "乡村振兴示范村建设", "湖泊水环境治理",
        ],
        people: &["农户", "村民", "农业经营主体"],
        things: &[
            t("建设", "高标准农田", "亩", 1000, 50000),
            t("清淤整治", "沟渠塘堰", "处", 10, 500),
            t("完成", "畜禽强制免疫", "万头只", 1, 200),
            t("开展", "农技培训", "人次", 100, 5000),
            t("抽检", "农产品样品", "批次", 100, 3000),
            t("维修", "泵站涵闸", "座", 2, 60),
        ],
    },
    Domain {
        field: "城乡建设",
        objs: &[
            "老旧小区改造", "城市道路养护", "市政设施维护", "建筑工地安全监管",
            "公共交通服务", "农村公路建设", "城市环境卫生管理", "园林绿化养护",
        ],
        people: &["居民", "市民", "出行群众"],
        things: &[
            t("改造", "老旧小区", "个", 3, 60),
            t("养护", "城市道路", "公里", 10, 500),
            t("新建改建", "农村公路", "公里", 5, 200),
            t("检查", "在建工地", "个次", 20, 1200),
            t("清运", "生活垃圾", "万吨", 1, 60),
            t("新增", "城市绿地", "万平方米", 1, 80),
        ],
    },
    Domain {
        field: "经济发展",
        objs: &[
            "招商引资", "营商环境优化", "中小企业服务", "市场主体监管",
            "统计调查", "科技创新扶持", "食品安全监管", "价格监督检查",
        ],
        people: &["企业", "市场主体", "办事群众"],
        things: &[
            t("引进", "招商项目", "个", 5, 120),
            t("开展", "企业走访服务", "家次", 50, 2000),
            t("抽检", "食品样品", "批次", 200, 6000),
            t("完成", "统计调查报表", "份", 100, 5000),
            t("认定", "高新技术企业", "家", 3, 150),
            t("办理", "企业开办业务", "件", 500, 30000),
        ],
    },
    Domain {
        field: "平安建设",
        objs: &[
            "社会治安综合治理", "安全生产监管", "公共法律服务", "矛盾纠纷排查化解",
            "应急救援能力建设", "信访事项办理", "禁毒宣传教育", "消防安全检查",
        ],
        people: &["群众", "企业", "当事人"],
        things: &[
            t("开展", "安全生产执法检查", "次", 50, 3000),
            t("调解", "矛盾纠纷", "件", 100, 5000),
            t("组织", "应急演练", "场次", 5, 120),
            t("办理", "法律援助案件", "件", 50, 1500),
            t("开展", "普法宣传活动", "场次", 10, 400),
            t("办结", "信访事项", "件", 50, 3000),
        ],
    },
    Domain {
        field: "文化旅游",
        objs: &[
            "公共文化服务", "文物保护利用", "全民健身活动", "旅游市场监管",
            "非物质文化遗产保护", "新闻宣传", "档案资料管理", "阅读推广",
        ],
        people: &["群众", "游客", "读者"],
        things: &[
            t("开展", "送戏下乡演出", "场次", 20, 500),
            t("举办", "全民健身赛事", "场次", 5, 100),
            t("巡查", "文物保护单位", "处次", 10, 300),
            t("接待", "参观群众", "万人次", 1, 80),
            t("新增", "馆藏图书", "册", 1000, 50000),
            t("整理", "档案资料", "卷", 1000, 80000),
        ],
    },
    Domain {
        field: "机关运行",
        objs: &[
            "机关日常运转保障", "党建工作", "干部教育培训", "公文处理和督查督办",
            "政务信息公开", "机关事务管理", "审计监督", "财政资金监管",
        ],
        people: &["干部职工", "服务对象", "基层单位"],
        things: &[
            t("组织", "干部教育培训", "人次", 100, 5000),
            t("开展", "督查督办事项", "件", 50, 2000),
            t("公开", "政务信息", "条", 100, 6000),
            t("完成", "审计项目", "个", 5, 120),
            t("保障", "会议服务", "场次", 50, 1500),
            t("开展", "党建主题活动", "次", 5, 100),
        ],
    },
    Domain {
        field: "基层治理",
        objs: &[
            "社区网格化管理", "辖区环境卫生整治", "社区服务中心运行", "居民就业帮扶",
            "辖区安全隐患排查", "社区文化活动", "基层党建", "城市管理",
        ],
        people: &["辖区居民", "社区群众", "服务对象"],
        things: &[
            t("开展", "网格巡查", "次", 500, 30000),
            t("整治", "环境卫生死角", "处", 20, 1000),
            t("组织", "社区文化活动", "场次", 10, 300),
            t("帮助", "失业人员再就业", "人", 20, 1500),
            t("排查", "安全隐患", "处", 50, 3000),
            t("走访", "困难家庭", "户", 50, 2000),
        ],
    },
];

/// Named departments (`{d}` is the district), in an order that mixes the domains.
#[rustfmt::skip]
const NAMED: [(&str, usize); 84] = [
    ("{d}教育局", EDU), ("{d}卫生健康局", HEALTH), ("{d}民政局", CIVIL),
    ("{d}农业农村局", AGRI), ("{d}住房和城乡建设局", BUILD), ("{d}发展和改革局", ECON),
    ("{d}公安分局", LAW), ("{d}文化和旅游局", CULTURE), ("{d}财政局", ADMIN),
    ("{d}城关街道办事处", STREET), ("{d}总工会", CIVIL), ("{d}人民医院", HEALTH),
    ("{d}实验中学", EDU), ("{d}水务和湖泊局", AGRI), ("{d}城市管理执法局", BUILD),
    ("{d}市场监督管理局", ECON), ("{d}司法局", LAW), ("{d}融媒体中心", CULTURE),
    ("中共{d}委办公室", ADMIN), ("{d}南岗镇人民政府", STREET), ("{d}人力资源和社会保障局", CIVIL),
    ("{d}疾病预防控制中心", HEALTH), ("{d}职业技术学校", EDU), ("{d}林业局", AGRI),
    ("{d}交通运输局", BUILD), ("{d}经济和信息化局", ECON), ("{d}应急管理局", LAW),
    ("{d}档案馆", CULTURE), ("{d}人民政府办公室", ADMIN), ("{d}东湖街道办事处", STREET),
    ("{d}退役军人事务局", CIVIL), ("{d}中医医院", HEALTH), ("{d}教师进修学校", EDU),
    ("{d}生态环境局", AGRI), ("{d}房屋征收服务中心", BUILD), ("{d}商务局", ECON),
    ("{d}信访局", LAW), ("{d}图书馆", CULTURE), ("{d}人大常委会办公室", ADMIN),
    ("{d}北湖镇人民政府", STREET), ("{d}妇女联合会", CIVIL), ("{d}妇幼保健院", HEALTH),
    ("{d}实验小学", EDU), ("{d}农业技术推广中心", AGRI), ("{d}园林绿化管理所", BUILD),
    ("{d}统计局", ECON), ("中共{d}委政法委员会", LAW), ("{d}文化馆", CULTURE),
    ("政协{d}委员会办公室", ADMIN), ("{d}西河街道办事处", STREET), ("{d}残疾人联合会", CIVIL),
    ("{d}医疗保障局", HEALTH), ("{d}机关幼儿园", EDU), ("{d}畜牧兽医服务中心", AGRI),
    ("{d}公路管理局", BUILD), ("{d}科学技术局", ECON), ("{d}人民法院", LAW),
    ("{d}体育运动中心", CULTURE), ("{d}纪委监委机关", ADMIN), ("{d}青山镇人民政府", STREET),
    ("{d}红十字会", CIVIL), ("{d}卫生计生综合监督执法局", HEALTH), ("{d}特殊教育学校", EDU),
    ("{d}水产技术推广站", AGRI), ("{d}环境卫生管理所", BUILD), ("{d}政务服务和大数据管理局", ECON),
    ("{d}人民检察院", LAW), ("{d}博物馆", CULTURE), ("中共{d}委组织部", ADMIN),
    ("{d}石桥乡人民政府", STREET), ("{d}社会福利院", CIVIL), ("{d}急救中心", HEALTH),
    ("{d}第二职业高级中学", EDU), ("{d}防汛抗旱指挥部办公室", AGRI), ("{d}建设工程质量安全监督站", BUILD),
    ("{d}工商业联合会", ECON), ("{d}消防救援大队", LAW), ("{d}科学技术协会", CULTURE),
    ("中共{d}委宣传部", ADMIN), ("{d}开发区管理委员会", STREET), ("{d}审计局", ADMIN),
    ("中共{d}委统战部", ADMIN), ("{d}机关事务服务中心", ADMIN), ("共青团{d}委员会", CIVIL),
];

/// Numbered departments after the named ones: `{d}第{k}中学`, … (unique for any count).
const NUMBERED: [(&str, &str, usize); 10] = [
    ("{d}第", "街道办事处", STREET),
    ("{d}第", "中学", EDU),
    ("{d}第", "小学", EDU),
    ("{d}第", "社区卫生服务中心", HEALTH),
    ("{d}第", "幼儿园", EDU),
    ("{d}第", "养老服务中心", CIVIL),
    ("{d}第", "水利管理站", AGRI),
    ("{d}第", "市政养护所", BUILD),
    ("{d}第", "文化站", CULTURE),
    ("{d}第", "司法所", LAW),
];

struct Dept {
    name: String,
    domain: &'static Domain,
}

fn department(district: &str, i: usize) -> Dept {
    if i < NAMED.len() {
        let (tpl, dom) = NAMED[i];
        return Dept {
            name: tpl.replace("{d}", district),
            domain: &DOMAINS[dom],
        };
    }
    let j = i - NAMED.len();
    let (head, tail, dom) = NUMBERED[j % NUMBERED.len()];
    let k = j / NUMBERED.len() + 1;
    Dept {
        name: format!("{}{k}{tail}", head.replace("{d}", district)),
        domain: &DOMAINS[dom],
    }
}

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢",
];
const GIVEN: [&str; 32] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "华", "建", "国", "红", "文", "斌", "俊", "慧", "鹏", "琳",
];

/// Per department, the same in every year: who fills the form and the duties.
struct DeptStable {
    filled_by: String,
    phone: String,
    functions: Vec<String>,
    satisfaction_as_level1: bool,
}

const FUNCTION_TEMPLATES: [&str; 7] = [
    "贯彻执行国家和省、市关于{field}工作的方针政策和法律法规，研究拟订全区{field}发展规划并组织实施。",
    "负责全区{obj}的统筹协调、监督管理和指导服务工作。",
    "组织实施{obj}相关工作，指导基层单位做好{obj2}工作。",
    "负责{field}领域专项资金的管理和监督，提高财政资金使用效益。",
    "承担{field}信息统计、宣传培训和对外联络工作。",
    "负责本单位党的建设、干部队伍建设和精神文明建设工作。",
    "负责{obj2}领域的安全管理和应急处置工作。",
];

impl DeptStable {
    fn new(seed: u64, d: usize, dept: &Dept) -> DeptStable {
        let mut rng = Rng::derive(&[seed, S_DEPT, d as u64]);
        let given: String = (0..rng.range(1, 2)).map(|_| rng.pick(&GIVEN)).collect();
        let filled_by = format!("{}{given}", rng.pick(&SURNAMES));
        let phone = if rng.chance(70) {
            format!("8{:07}", rng.range(0, 9_999_999))
        } else {
            format!(
                "1{}{:09}",
                rng.pick(&["3", "5", "7", "8", "9"]),
                rng.range(0, 999_999_999)
            )
        };
        let dom = dept.domain;
        let n = rng.range(2, 6) as usize;
        let ends_with_other = rng.chance(60);
        let picks = rng.subset(
            FUNCTION_TEMPLATES.len(),
            if ends_with_other { n - 1 } else { n },
        );
        let base = rng.below(dom.objs.len());
        let obj = |i: usize| dom.objs[(base + i) % dom.objs.len()];
        let mut functions: Vec<String> = picks
            .iter()
            .enumerate()
            .map(|(k, &p)| {
                FUNCTION_TEMPLATES[p]
                    .replace("{field}", dom.field)
                    .replace("{obj}", obj(2 * k))
                    .replace("{obj2}", obj(2 * k + 1))
            })
            .collect();
        if ends_with_other {
            functions.push("完成区委、区政府交办的其他任务。".to_string());
        }
        let functions = functions
            .into_iter()
            .enumerate()
            .map(|(k, f)| format!("{}、{f}", k + 1))
            .collect();
        DeptStable {
            filled_by,
            phone,
            functions,
            satisfaction_as_level1: rng.chance(50),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------

/// One column of the budget table, in cents of 万元. `other: None` is an empty cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Col {
    fa: i64,
    other: Option<i64>,
    in_total: i64,
    basic: i64,
    project: i64,
    out_total: i64,
}

impl Col {
    fn figures(&self) -> Figures {
        Figures {
            income: IncomeFigures {
                fiscal_appropriation: money(self.fa),
                other: self.other.map(money),
                total: money(self.in_total),
            },
            expenditure: ExpenditureFigures {
                basic: money(self.basic),
                project: money(self.project),
                total: money(self.out_total),
            },
        }
    }

    /// Declared shares in hundredths of a percent: fa, other, income total, basic, project,
    /// expenditure total; `None` if a computed share lies exactly halfway between two
    /// hundredths (rounding modes would disagree there, so the generator avoids it).
    fn shares(&self) -> Option<[Option<i64>; 6]> {
        let fa = share_bp(self.fa, self.in_total)?;
        let other = match self.other {
            Some(o) => Some(share_bp(o, self.in_total)?),
            None => None,
        };
        let basic = share_bp(self.basic, self.out_total)?;
        let project = share_bp(self.project, self.out_total)?;
        Some([
            Some(fa),
            other,
            Some(10000),
            Some(basic),
            Some(project),
            Some(10000),
        ])
    }
}

/// `round(part / total × 100, 2)` in hundredths of a percent, half away from zero; `None` on
/// an exact tie.
fn share_bp(part: i64, total: i64) -> Option<i64> {
    let num = part as i128 * 10000;
    let den = total as i128;
    let (q, r) = (num / den, num % den);
    let twice = 2 * r.abs();
    if twice == den.abs() {
        return None;
    }
    let away = twice > den.abs();
    let sign = if (num < 0) != (den < 0) { -1 } else { 1 };
    Some((q + if away { sign } else { 0 }) as i64)
}

fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2).normalize()
}

/// A department's budgets and actuals from the earliest reported year to the last budget year.
struct Series {
    first: i32,
    budget: Vec<Col>,
    actual: Vec<Col>,
}

/// `value × bp / 10000`, rounded to the cent.
fn scale(value: i64, bp: i64) -> i64 {
    ((value as i128 * bp as i128 + 5000) / 10000) as i64
}

impl Series {
    fn new(seed: u64, d: usize, years: &[i32]) -> Series {
        let mut rng = Rng::derive(&[seed, S_SERIES, d as u64]);
        let first = years[0] - 2;
        let last = years[years.len() - 1];
        // Magnitude: tens to tens of thousands of 万元, mostly hundreds and thousands.
        let decade = match rng.below(10) {
            0 => 1,
            1..=4 => 2,
            5..=8 => 3,
            _ => 4,
        };
        let unit = 10i64.pow(decade);
        let mut total = rng.range(100, 999) * unit + rng.range(0, unit - 1);
        let has_other = rng.chance(65);
        let mut other_bp = rng.range(200, 3000);
        let mut basic_bp = rng.range(5000, 9500);
        let mut budget = Vec::new();
        let mut actual = Vec::new();
        for _ in first..=last {
            other_bp = (other_bp + rng.range(-200, 200)).clamp(100, 3500);
            basic_bp = (basic_bp + rng.range(-300, 300)).clamp(4000, 9800);
            let mut b = split(total, has_other.then_some(other_bp), basic_bp);
            // Keep every budget share clear of rounding ties.
            while b.shares().is_none() {
                b.basic += 1;
                b.project -= 1;
                if let Some(o) = b.other.as_mut() {
                    *o += 1;
                    b.fa -= 1;
                }
            }
            let a_total = scale(total, rng.range(8500, 11000));
            let a = split(
                a_total,
                has_other.then_some(other_bp + rng.range(-150, 150)),
                (basic_bp + rng.range(-300, 300)).min(9800),
            );
            budget.push(b);
            actual.push(a);
            total = scale(total, 10000 + rng.range(-500, 1500)).max(1000);
        }
        Series {
            first,
            budget,
            actual,
        }
    }

    fn budget(&self, year: i32) -> Col {
        self.budget[(year - self.first) as usize]
    }

    fn actual(&self, year: i32) -> Col {
        self.actual[(year - self.first) as usize]
    }

    fn truth(&self, name: &str, years: &[i32]) -> TruthDepartment {
        let mut out = Vec::new();
        for y in self.first..=years[years.len() - 1] {
            let declared = years.contains(&y);
            let reported = years.contains(&(y + 1)) || years.contains(&(y + 2));
            if declared || reported {
                out.push(YearFigures {
                    year: y,
                    budget: declared.then(|| self.budget(y).figures()),
                    actual: reported.then(|| self.actual(y).figures()),
                });
            }
        }
        TruthDepartment {
            name: name.to_string(),
            years: out,
        }
    }
}

fn split(total: i64, other_bp: Option<i64>, basic_bp: i64) -> Col {
    let other = other_bp.map(|bp| scale(total, bp).max(1));
    let basic = scale(total, basic_bp).clamp(1, total - 1);
    Col {
        fa: total - other.unwrap_or(0),
        other,
        in_total: total,
        basic,
        project: total - basic,
        out_total: total,
    }
}

// ---------------------------------------------------------------------------------------------
// Building a form
// ---------------------------------------------------------------------------------------------

/// The six money rows of the table, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MRow {
    Fa,
    Other,
    InTotal,
    Basic,
    Project,
    OutTotal,
}

const MROWS: [MRow; 6] = [
    MRow::Fa,
    MRow::Other,
    MRow::InTotal,
    MRow::Basic,
    MRow::Project,
    MRow::OutTotal,
];

impl MRow {
    fn get(self, c: &Col) -> Option<i64> {
        match self {
            MRow::Fa => Some(c.fa),
            MRow::Other => c.other,
            MRow::InTotal => Some(c.in_total),
            MRow::Basic => Some(c.basic),
            MRow::Project => Some(c.project),
            MRow::OutTotal => Some(c.out_total),
        }
    }

    fn label(self) -> &'static str {
        match self {
            MRow::Fa => "财政拨款",
            MRow::Other => "其他资金",
            MRow::InTotal | MRow::OutTotal => "合计",
            MRow::Basic => "基本支出",
            MRow::Project => "项目支出",
        }
    }
}

/// The money of one form: budget-year column, prior-year columns (Y−1, Y−2) and, for the
/// `share` plant, a declared share that differs from the computed one.
#[derive(Clone)]
struct Money {
    budget: Col,
    prior: [Col; 2],
    share_offset: Option<(MRow, i64)>,
}

impl Money {
    fn apply(&self, decl: &mut Declaration, year: i32) {
        let shares = self
            .budget
            .shares()
            .expect("shares are tie-free by construction");
        let lines = [
            &mut decl.income.fiscal_appropriation,
            &mut decl.income.other,
            &mut decl.income.total,
            &mut decl.expenditure.basic,
            &mut decl.expenditure.project,
            &mut decl.expenditure.total,
        ];
        for (k, line) in lines.into_iter().enumerate() {
            let row = MROWS[k];
            let mut share = shares[k];
            if let (Some((r, off)), Some(s)) = (self.share_offset, share) {
                if r == row {
                    share = Some(s + off);
                }
            }
            *line = BudgetLine {
                budget: row.get(&self.budget).map(money),
                share_percent: share.map(money),
                prior_years: YearMap(vec![
                    (year - 1, row.get(&self.prior[0]).map(money)),
                    (year - 2, row.get(&self.prior[1]).map(money)),
                ]),
            };
        }
    }
}

/// A form to render: the expected declaration plus what the text shows differently.
struct Form {
    year: i32,
    decl: Declaration,
    money: Money,
    /// Raw cell text replacing a budget-year amount (`bad-number`).
    bad_cell: Option<(MRow, String)>,
    /// Goals with an unfilled `_____指标` template row at the end of their table.
    placeholders: Vec<usize>,
}

impl Form {
    fn sync_money(&mut self) {
        self.money.apply(&mut self.decl, self.year);
    }
}

fn build_form(dept: &Dept, stable: &DeptStable, series: &Series, year: i32, rng: &mut Rng) -> Form {
    let money = Money {
        budget: series.budget(year),
        prior: [series.actual(year - 1), series.actual(year - 2)],
        share_offset: None,
    };
    let dom = dept.domain;
    let n_tasks = rng.range(2, 6) as usize;
    let task_things = rng.subset(dom.things.len(), n_tasks);
    let annual_tasks = task_things
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let th = dom.things[i];
            let tail = rng.pick(&[
                "确保按时保质完成",
                "进一步提升服务水平",
                "推动工作提质增效",
                "切实提高资金使用效益",
                "持续巩固工作成效",
            ]);
            format!(
                "{}、{}{}{}{}，{tail}。",
                k + 1,
                th.action,
                th.noun,
                rng.range(th.lo, th.hi),
                th.unit
            )
        })
        .collect();

    let n_goals = rng.range(1, 5) as usize;
    let goal_objs = rng.subset(dom.objs.len(), n_goals);
    let mut overall_goals = Vec::new();
    let mut goals = Vec::new();
    for (g, &oi) in goal_objs.iter().enumerate() {
        let obj = dom.objs[oi];
        let verb = rng.pick(&["开展", "推进", "落实", "加强", "保障"]);
        let benefit = match rng.below(4) {
            0 => format!("提升{}满意度", rng.pick(dom.people)),
            1 => format!("保障{}事业健康发展", dom.field),
            2 => "提高财政资金使用效益".to_string(),
            _ => format!("切实改善{}获得感", rng.pick(dom.people)),
        };
        overall_goals.push(format!("{verb}{obj}工作，{benefit}"));
        let name = match rng.below(3) {
            0 => obj.to_string(),
            1 => format!("{obj}专项"),
            _ => format!("{obj}经费保障"),
        };
        let indicators = make_indicators(rng, dom, obj, stable.satisfaction_as_level1, year);
        goals.push(Goal {
            number: g as u32 + 1,
            name: Some(name),
            indicators,
        });
    }

    let mut decl = Declaration {
        schema: "declaration/v1".to_string(),
        form: "部门整体支出绩效目标申报表".to_string(),
        fiscal_year: Some(year),
        department: Some(dept.name.clone()),
        filled_by: Some(stable.filled_by.clone()),
        phone: Some(stable.phone.clone()),
        unit: Some("万元".to_string()),
        functions: stable.functions.clone(),
        annual_tasks,
        overall_goals,
        goals,
        ..Default::default()
    };
    money.apply(&mut decl, year);
    Form {
        year,
        decl,
        money,
        bad_cell: None,
        placeholders: Vec::new(),
    }
}

const OUTPUT_L2: [&str; 4] = ["数量指标", "质量指标", "时效指标", "成本指标"];
const BENEFIT_L2: [&str; 4] = [
    "社会效益指标",
    "经济效益指标",
    "生态效益指标",
    "可持续影响指标",
];
const SATISFACTION_L2: &str = "服务对象满意度指标";
const STANDARDS: [&str; 6] = [
    "计划标准",
    "行业标准",
    "历史标准",
    "部门年度工作计划",
    "上年度完成情况",
    "相关政策文件规定",
];

/// 2–6 indicators: 产出 first, then 效益 / 满意度, rarely one 成本指标 (level 1) between.
fn make_indicators(
    rng: &mut Rng,
    dom: &Domain,
    obj: &str,
    sat_l1: bool,
    year: i32,
) -> Vec<Indicator> {
    let k = rng.range(2, 6) as usize;
    let n_out = rng.range(1, (k as i64 - 1).min(4)) as usize;
    let n_ben = k - n_out;
    let mut out = Vec::new();
    for l2 in rng.subset(OUTPUT_L2.len(), n_out) {
        out.push(indicator(rng, dom, obj, "产出指标", OUTPUT_L2[l2], year));
    }
    if k < 6 && rng.chance(10) {
        out.push(indicator(rng, dom, obj, "成本指标", "经济成本指标", year));
    }
    // The benefit rows: some of the four 效益 kinds, the satisfaction row last.
    let with_sat = n_ben == 1 && rng.chance(40) || n_ben > 1 && rng.chance(70);
    let n_plain = if with_sat { n_ben - 1 } else { n_ben }.min(BENEFIT_L2.len());
    for l2 in rng.subset(BENEFIT_L2.len(), n_plain) {
        out.push(indicator(rng, dom, obj, "效益指标", BENEFIT_L2[l2], year));
    }
    if with_sat {
        let l1 = if sat_l1 {
            "满意度指标"
        } else {
            "效益指标"
        };
        out.push(indicator(rng, dom, obj, l1, SATISFACTION_L2, year));
    }
    out
}

enum Measure {
    /// `≥95%` / `100%`; prior values `96%`.
    Percent { lo: i64, hi: i64 },
    /// `≥1200人次` / `1200人次`.
    Count {
        unit: &'static str,
        lo: i64,
        hi: i64,
    },
    /// `≤35万元`.
    AtMost {
        unit: &'static str,
        lo: i64,
        hi: i64,
    },
    /// `11月底前`.
    MonthEnd,
    /// `持续3年`.
    Years,
}

fn indicator(rng: &mut Rng, dom: &Domain, obj: &str, l1: &str, l2: &str, year: i32) -> Indicator {
    let people = rng.pick(dom.people);
    let (name, measure) = match l2 {
        "数量指标" => {
            let th = rng.pick(dom.things);
            (
                format!("{}数量", th.noun),
                Measure::Count {
                    unit: th.unit,
                    lo: th.lo,
                    hi: th.hi,
                },
            )
        }
        "质量指标" => {
            let q = rng.pick(&["验收合格率", "达标率", "完成率", "规范化率"]);
            (format!("{obj}{q}"), Measure::Percent { lo: 90, hi: 100 })
        }
        "时效指标" => match rng.below(3) {
            0 => (
                format!("{obj}按时完成率"),
                Measure::Percent { lo: 95, hi: 100 },
            ),
            1 => (
                "资金支付及时率".to_string(),
                Measure::Percent { lo: 90, hi: 100 },
            ),
            _ => (format!("{obj}完成时间"), Measure::MonthEnd),
        },
        "成本指标" => (
            format!("{obj}成本控制数"),
            Measure::AtMost {
                unit: "万元",
                lo: 5,
                hi: 500,
            },
        ),
        "经济成本指标" => (
            format!("{obj}经济成本"),
            Measure::AtMost {
                unit: "万元",
                lo: 5,
                hi: 800,
            },
        ),
        "社会效益指标" => match rng.below(2) {
            0 => (
                format!("{people}受益覆盖率"),
                Measure::Percent { lo: 85, hi: 100 },
            ),
            _ => (
                format!("{obj}社会知晓率"),
                Measure::Percent { lo: 80, hi: 98 },
            ),
        },
        "经济效益指标" => match rng.below(2) {
            0 => (
                format!("带动{people}增收"),
                Measure::AtMost {
                    unit: "万元",
                    lo: 10,
                    hi: 900,
                },
            ),
            _ => (
                "节约财政资金".to_string(),
                Measure::AtMost {
                    unit: "万元",
                    lo: 1,
                    hi: 90,
                },
            ),
        },
        "生态效益指标" => (
            format!("{obj}环境改善达标率"),
            Measure::Percent { lo: 85, hi: 100 },
        ),
        "可持续影响指标" => match rng.below(2) {
            0 => (format!("{obj}长效机制"), Measure::Years),
            _ => (
                format!("{obj}制度建设完善率"),
                Measure::Percent { lo: 90, hi: 100 },
            ),
        },
        _ => (
            format!("{people}满意度"),
            Measure::Percent { lo: 85, hi: 98 },
        ),
    };
    let (target, prior): (String, [String; 2]) = match measure {
        Measure::Percent { lo, hi } => {
            let p = rng.range(lo, hi);
            let target = if p == 100 {
                "100%".to_string()
            } else {
                format!("≥{p}%")
            };
            let a = (p + rng.range(-3, 2)).min(100);
            let b = (a + rng.range(-3, 2)).min(100);
            (target, [format!("{a}%"), format!("{b}%")])
        }
        Measure::Count { unit, lo, hi } => {
            let n = rng.range(lo, hi);
            let target = if rng.chance(50) {
                format!("≥{n}{unit}")
            } else {
                format!("{n}{unit}")
            };
            let a = scale(n, rng.range(8000, 10500)).max(1);
            let b = scale(a, rng.range(8000, 10500)).max(1);
            (target, [format!("{a}{unit}"), format!("{b}{unit}")])
        }
        Measure::AtMost { unit, lo, hi } => {
            let n = rng.range(lo, hi);
            let a = scale(n, rng.range(8500, 10500)).max(1);
            let b = scale(a, rng.range(8500, 10500)).max(1);
            (
                format!("≤{n}{unit}"),
                [format!("{a}{unit}"), format!("{b}{unit}")],
            )
        }
        Measure::MonthEnd => {
            let m = rng.range(6, 12);
            (
                format!("{m}月底前"),
                [
                    format!("{}月底前", rng.range(6, 12)),
                    format!("{}月底前", rng.range(6, 12)),
                ],
            )
        }
        Measure::Years => {
            let n = rng.range(3, 5);
            (
                format!("持续{n}年"),
                [format!("持续{n}年"), format!("持续{n}年")],
            )
        }
    };
    // A new indicator has no values for the prior years.
    let prior = if rng.chance(10) {
        [None, None]
    } else {
        prior.map(Some)
    };
    let [p1, p2] = prior;
    Indicator {
        level1: Some(l1.to_string()),
        level2: Some(l2.to_string()),
        name: Some(name),
        prior_years: YearMap(vec![(year - 1, p1), (year - 2, p2)]),
        target: Some(target),
        standard: Some(rng.pick(&STANDARDS).to_string()),
        ..Indicator::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Planting
// ---------------------------------------------------------------------------------------------

/// Chooses the (department, year) slots of the planted codes: each code in `count` distinct
/// files, one code per file, departments distinct while they last, only in years the
/// department files a form. `prior-year-revised` needs a department to itself (it compares
/// forms), not renamed (the forms must match without aliases), and a year whose reported
/// actual an earlier form also reports and no later form does; `revisions` more of it are
/// planted before the others.
fn plan_plants(
    seed: u64,
    shapes: &[Shape],
    codes: &[&'static str],
    count: usize,
    revisions: usize,
) -> (BTreeMap<(usize, i32), &'static str>, Vec<&'static str>) {
    let departments = shapes.len();
    let mut plan = BTreeMap::new();
    let mut unplanted = Vec::new();
    let mut rng = Rng::derive(&[seed, S_SELECT]);
    let mut order: Vec<usize> = (0..departments).collect();
    rng.shuffle(&mut order);
    let mut used_dept = vec![false; departments];
    let mut exclusive = vec![false; departments];
    let revisable = |ys: &[i32]| -> Vec<i32> {
        ys.iter()
            .copied()
            .filter(|&y| revised_column(ys, y).is_some())
            .collect()
    };
    // prior-year-revised first: it needs a department of its own.
    let ordered: Vec<&'static str> = codes
        .iter()
        .copied()
        .filter(|&c| c == "prior-year-revised")
        .chain(codes.iter().copied().filter(|&c| c != "prior-year-revised"))
        .collect();
    let rounds = std::iter::repeat_n(&["prior-year-revised"][..], revisions)
        .chain(std::iter::repeat_n(&ordered[..], count));
    for round in rounds {
        for &code in round {
            let pyr = code == "prior-year-revised";
            let mut chosen = None;
            // First a department without any plant, then any free slot whose department
            // holds no prior-year-revised plant.
            'search: for pass in 0..2 {
                for &d in &order {
                    if pass == 0 && used_dept[d]
                        || exclusive[d]
                        || pyr && (used_dept[d] || shapes[d].rename.is_some())
                    {
                        continue;
                    }
                    let own = &shapes[d].years;
                    let mut ys: Vec<i32> = if pyr { revisable(own) } else { own.clone() };
                    rng.shuffle(&mut ys);
                    for y in ys {
                        if !plan.contains_key(&(d, y)) {
                            chosen = Some((d, y));
                            break 'search;
                        }
                    }
                }
            }
            match chosen {
                Some((d, y)) => {
                    plan.insert((d, y), code);
                    used_dept[d] = true;
                    exclusive[d] |= pyr;
                }
                None => unplanted.push(code),
            }
        }
    }
    (plan, unplanted)
}

/// For the form of `year`: the index (0 = Y−1, 1 = Y−2) of a prior-year column whose year an
/// earlier form also reports and no later form reports.
fn revised_column(years: &[i32], year: i32) -> Option<usize> {
    let reports = |form: i32, a: i32| a == form - 1 || a == form - 2;
    (0..2).find(|&k| {
        let a = year - 1 - k as i32;
        years.iter().any(|&y| y < year && reports(y, a))
            && !years.iter().any(|&y| y > year && reports(y, a))
    })
}

/// Where a planted error sits, resolved to a line once the form is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Title,
    Department,
    Money(MRow),
    Overall,
    Goal(usize),
    Indicator(usize, usize),
    Placeholder(usize),
}

struct Planted {
    code: &'static str,
    anchor: Option<Anchor>,
    detail: String,
}

/// Whether a planted code can be carried by a canonical JSON file.
fn json_can_carry(code: Option<&str>) -> bool {
    !matches!(
        code,
        Some("bad-number" | "placeholder-row" | "unreadable-file" | "not-a-declaration")
    )
}

/// Changes the form so that exactly `code` fires (and nothing else the spec defines).
fn plant(
    code: &'static str,
    form: &mut Form,
    years: &[i32],
    dom: &Domain,
    rng: &mut Rng,
) -> Planted {
    let year = form.year;
    let b = form.money.budget;
    // Changes the budget column with a delta in cents, stepping the delta past share ties.
    let retune = |form: &mut Form, start: i64, f: &dyn Fn(&mut Col, i64)| -> i64 {
        let mut delta = start;
        loop {
            let mut c = b;
            f(&mut c, delta);
            if c.shares().is_some() {
                form.money.budget = c;
                form.sync_money();
                return delta;
            }
            delta += 1;
        }
    };
    let (anchor, detail) = match code {
        "missing-field" => {
            if rng.chance(50) {
                form.decl.department = None;
                (Anchor::Department, "部门名称 cell left empty".to_string())
            } else {
                form.decl.fiscal_year = None;
                (
                    Anchor::Title,
                    "year removed from every title line (年度部门整体支出绩效目标申报表)"
                        .to_string(),
                )
            }
        }
        "bad-number" => {
            let text = rng.pick(&["12.3.4", "abc"]).to_string();
            retune(form, 0, &|c, _| {
                c.other = None;
                c.fa = c.in_total;
            });
            let detail = format!(
                "budget-year 其他资金 cell reads {text:?} (expected null; 财政拨款 raised to the total so the sum holds with it empty)"
            );
            form.bad_cell = Some((MRow::Other, text));
            (Anchor::Money(MRow::Other), detail)
        }
        "negative-amount" => {
            let d = retune(form, rng.range(100, 2000), &|c, d| {
                c.other = Some(-d);
                c.fa = c.in_total + d;
            });
            (
                Anchor::Money(MRow::Other),
                format!(
                    "budget-year 其他资金 = -{}, 财政拨款 raised by the same so the sum holds",
                    money(d)
                ),
            )
        }
        "income-sum" => {
            let d = retune(form, rng.range(100, 5000), &|c, d| c.fa += d);
            (
                Anchor::Money(MRow::InTotal),
                format!(
                    "budget-year 财政拨款 raised by {} while 合计 kept (share recomputed)",
                    money(d)
                ),
            )
        }
        "expenditure-sum" => {
            let d = retune(form, rng.range(100, 5000), &|c, d| c.basic += d);
            (
                Anchor::Money(MRow::OutTotal),
                format!(
                    "budget-year 基本支出 raised by {} while 合计 kept (share recomputed)",
                    money(d)
                ),
            )
        }
        "balance" => {
            let d = retune(form, rng.range(100, 5000), &|c, d| {
                c.fa += d;
                c.in_total += d;
            });
            (
                Anchor::Money(MRow::InTotal),
                format!(
                    "budget-year income 财政拨款 and 合计 both raised by {} (income ≠ expenditure)",
                    money(d)
                ),
            )
        }
        "share" => {
            let off = rng.range(50, 500) * if rng.chance(50) { 1 } else { -1 };
            form.money.share_offset = Some((MRow::Basic, off));
            form.sync_money();
            (
                Anchor::Money(MRow::Basic),
                format!("基本支出 占比 declared {} points off", money(off)),
            )
        }
        "prior-year-revised" => {
            let k = revised_column(years, year).expect("planned only where possible");
            let d = rng.range(100, 3000);
            let c = &mut form.money.prior[k];
            c.fa += d;
            c.in_total += d;
            c.basic += d;
            c.out_total += d;
            form.sync_money();
            (
                Anchor::Money(MRow::Fa),
                format!(
                    "actual of {} raised by {} (财政拨款, 收入合计, 基本支出, 支出合计) against the earlier form",
                    year - 1 - k as i32,
                    money(d)
                ),
            )
        }
        "indicator-category" => {
            let g = rng.below(form.decl.goals.len());
            let goal = &mut form.decl.goals[g];
            // Keep a correctly named output indicator next to the miscategorised one.
            let outputs = goal
                .indicators
                .iter()
                .filter(|i| i.level1.as_deref() == Some("产出指标"))
                .count();
            if outputs < 2 {
                let extra = indicator(rng, dom, "年度工作", "产出指标", "数量指标", year);
                goal.indicators.insert(0, extra);
            }
            let bad = rng.pick(&["效率指标", "效果指标", "进度指标"]);
            goal.indicators[0].level2 = Some(bad.to_string());
            (
                Anchor::Indicator(g, 0),
                format!("level-2 {bad} on an 产出指标 row of 年度目标{}", g + 1),
            )
        }
        "vague-target" => {
            let g = rng.below(form.decl.goals.len());
            let i = rng.below(form.decl.goals[g].indicators.len());
            let word = rng.pick(&["合格", "满意", "良好"]);
            form.decl.goals[g].indicators[i].target = Some(word.to_string());
            (
                Anchor::Indicator(g, i),
                format!("target {word:?} in 年度目标{}", g + 1),
            )
        }
        "placeholder-row" => {
            let g = rng.below(form.decl.goals.len());
            form.placeholders.push(g);
            (
                Anchor::Placeholder(g),
                format!("one _____指标 row at the end of 年度目标{}", g + 1),
            )
        }
        "missing-output" => {
            let g = rng.below(form.decl.goals.len());
            let goal = &mut form.decl.goals[g];
            goal.indicators
                .retain(|i| matches!(i.level1.as_deref(), Some("效益指标" | "满意度指标")));
            while goal.indicators.len() < 2 {
                let l2 = BENEFIT_L2[goal.indicators.len() % BENEFIT_L2.len()];
                let extra = indicator(rng, dom, "年度工作", "效益指标", l2, year);
                goal.indicators.insert(0, extra);
            }
            (
                Anchor::Goal(g),
                format!("年度目标{} has no 产出指标", g + 1),
            )
        }
        "missing-benefit" => {
            let g = rng.below(form.decl.goals.len());
            let goal = &mut form.decl.goals[g];
            goal.indicators
                .retain(|i| matches!(i.level1.as_deref(), Some("产出指标" | "成本指标")));
            while goal.indicators.len() < 2 {
                let l2 = OUTPUT_L2[goal.indicators.len() % OUTPUT_L2.len()];
                let extra = indicator(rng, dom, "年度工作", "产出指标", l2, year);
                goal.indicators.push(extra);
            }
            (
                Anchor::Goal(g),
                format!("年度目标{} has neither 效益指标 nor 满意度指标", g + 1),
            )
        }
        "goal-mismatch" => {
            form.decl.overall_goals.push(format!(
                "完成{}交办的其他{}工作，确保各项任务落实到位",
                "区委、区政府", dom.field
            ));
            let n = form.decl.overall_goals.len();
            (
                Anchor::Overall,
                format!(
                    "目标{n} in 整体绩效目标 has no 年度目标 table ({} tables)",
                    n - 1
                ),
            )
        }
        // Planted around the form, not in it.
        _ => unreachable!("{code} is not planted inside a form"),
    };
    Planted {
        code,
        anchor: Some(anchor),
        detail,
    }
}

// ---------------------------------------------------------------------------------------------
// Quirks and rendering
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Enc {
    Utf8,
    Utf8Bom,
    Gb18030,
    Utf16Le,
    Utf16Be,
}

impl Enc {
    fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf8Bom => "utf-8-bom",
            Enc::Gb18030 => "gb18030",
            Enc::Utf16Le => "utf-16le",
            Enc::Utf16Be => "utf-16be",
        }
    }

    fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Enc::Utf8 => text.as_bytes().to_vec(),
            Enc::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            Enc::Gb18030 => encoding_rs::GB18030.encode(text).0.into_owned(),
            Enc::Utf16Le => {
                let mut v = vec![0xFF, 0xFE];
                text.encode_utf16()
                    .for_each(|u| v.extend_from_slice(&u.to_le_bytes()));
                v
            }
            Enc::Utf16Be => {
                let mut v = vec![0xFE, 0xFF];
                text.encode_utf16()
                    .for_each(|u| v.extend_from_slice(&u.to_be_bytes()));
                v
            }
        }
    }
}

/// The quirks chosen for one text file (before knowing whether each one finds a place).
struct Quirks {
    enc: Enc,
    crlf: bool,
    final_newline: bool,
    /// Percentage of amount cells written with full-width digits.
    fullwidth: usize,
    thousands: bool,
    unit_variants: bool,
    halfwidth_colons: bool,
    page_breaks: usize,
    break_in_table: bool,
    shift_total: bool,
    shift_benefit: bool,
    /// Percentage of goals whose `年度绩效指标` label lands on the first data row.
    label_on_data: usize,
    level1_once: bool,
    functions_plain: bool,
    tasks_plain: bool,
}

impl Quirks {
    fn choose(level: QuirkLevel, rng: &mut Rng) -> Quirks {
        match level {
            QuirkLevel::None => Quirks {
                enc: Enc::Utf8,
                crlf: false,
                final_newline: false,
                fullwidth: 0,
                thousands: false,
                unit_variants: false,
                halfwidth_colons: false,
                page_breaks: 0,
                break_in_table: false,
                shift_total: false,
                shift_benefit: false,
                label_on_data: 0,
                level1_once: false,
                functions_plain: false,
                tasks_plain: false,
            },
            QuirkLevel::Some => Quirks {
                enc: match rng.below(10) {
                    0 => Enc::Utf8Bom,
                    1 => Enc::Gb18030,
                    2 => Enc::Utf16Le,
                    3 => Enc::Utf16Be,
                    _ => Enc::Utf8,
                },
                crlf: rng.chance(30),
                final_newline: rng.chance(30),
                fullwidth: if rng.chance(20) { 50 } else { 0 },
                thousands: rng.chance(30),
                unit_variants: rng.chance(40),
                halfwidth_colons: rng.chance(25),
                page_breaks: if rng.chance(40) {
                    rng.range(1, 3) as usize
                } else {
                    0
                },
                break_in_table: rng.chance(50),
                shift_total: rng.chance(35),
                shift_benefit: rng.chance(35),
                label_on_data: if rng.chance(25) { 50 } else { 0 },
                level1_once: rng.chance(40),
                functions_plain: rng.chance(30),
                tasks_plain: rng.chance(30),
            },
            QuirkLevel::All => Quirks {
                enc: rng.pick(&[Enc::Utf8Bom, Enc::Gb18030, Enc::Utf16Le, Enc::Utf16Be]),
                crlf: true,
                final_newline: true,
                fullwidth: 50,
                thousands: true,
                unit_variants: true,
                halfwidth_colons: true,
                page_breaks: 3,
                break_in_table: true,
                shift_total: true,
                shift_benefit: true,
                label_on_data: 100,
                level1_once: true,
                functions_plain: true,
                tasks_plain: true,
            },
        }
    }
}

const FOOTER: [&str; 3] = [
    "- 备注：1. “整体绩效目标”：请结合部门职能、工作规划、项目支出投向等编报。",
    " 2. “二级指标”中“产出指标”请选择填报数量、质量、时效、成本等指标；“效益指标”请选择填报社会效益、经济效益、生态效益、可持续发展影响、服务对象满意度等指标。",
    " 3. “绩效标准”：设定绩效指标值时的依据或参考标准。",
];

/// A table row before page breaks are laid in.
struct TRow {
    cells: Vec<String>,
    /// Whether a page break may come right before this row.
    breakable: bool,
    /// Inside an indicator table: a break before it repeats the table's header rows.
    in_table: bool,
    anchor: Option<Anchor>,
}

fn row(cells: Vec<String>, breakable: bool, anchor: Option<Anchor>) -> TRow {
    TRow {
        cells,
        breakable,
        in_table: false,
        anchor,
    }
}

fn cells(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

fn padded(first: &str, second: &str, width: usize) -> Vec<String> {
    let mut v = vec![first.to_string(), second.to_string()];
    v.resize(width, String::new());
    v
}

fn indicator_headers(year: i32, label: bool) -> [Vec<String>; 3] {
    let y1 = format!("{}年", year - 1);
    let y2 = format!("{}年", year - 2);
    [
        cells(&[
            if label { "年度绩效指标" } else { "" },
            "一级指标",
            "二级指标",
            "指标名称",
            "指标值",
            "",
            "",
            "绩效标准",
        ]),
        cells(&["", "", "", "", "近两年指标值", "", "预期当年实现值", ""]),
        cells(&["", "", "", "", &y1, &y2, "", ""]),
    ]
}

struct Rendered {
    text: String,
    quirks: Vec<String>,
    anchors: Vec<(Anchor, u32)>,
}

fn fmt_amount(d: Decimal, q: &Quirks, rng: &mut Rng, used: &mut [bool; 2]) -> String {
    let s = d.to_string();
    let (sign, rest) = if let Some(r) = s.strip_prefix('-') {
        ("-", r)
    } else {
        ("", s.as_str())
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::from(sign);
    if q.thousands && int.len() > 3 {
        used[0] = true;
        for (k, ch) in int.chars().enumerate() {
            if k > 0 && (int.len() - k) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
    } else {
        out.push_str(int);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if q.fullwidth > 0 && rng.chance(q.fullwidth) {
        used[1] = true;
        out = out
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect();
    }
    out
}

fn render(form: &Form, q: &Quirks, rng: &mut Rng) -> Rendered {
    let decl = &form.decl;
    let year = form.year;
    let colon = if q.halfwidth_colons { ":" } else { "：" };
    let mut used = [false; 2]; // thousands separators, full-width digits
    let mut applied: Vec<&'static str> = Vec::new();
    let mut rows: Vec<TRow> = Vec::new();

    // Header block of the money table (7 columns).
    rows.push(row(
        padded("部门名称", decl.department.as_deref().unwrap_or(""), 7),
        false,
        Some(Anchor::Department),
    ));
    rows.push(row(
        cells(&[
            "填报人",
            decl.filled_by.as_deref().unwrap_or(""),
            "联系电话",
            decl.phone.as_deref().unwrap_or(""),
            "",
            "",
            "",
        ]),
        true,
        None,
    ));
    rows.push(row(
        cells(&[
            "部门总体资金情况 (万元)",
            "总体资金情况",
            "",
            "当年预算收支",
            "占比",
            "近两年收支情况",
            "",
        ]),
        true,
        None,
    ));
    rows.push(row(
        cells(&[
            "",
            "",
            "",
            "",
            "",
            &format!("{}年", year - 1),
            &format!("{}年", year - 2),
        ]),
        false,
        None,
    ));
    let lines = [
        &decl.income.fiscal_appropriation,
        &decl.income.other,
        &decl.income.total,
        &decl.expenditure.basic,
        &decl.expenditure.project,
        &decl.expenditure.total,
    ];
    for (k, line) in lines.iter().enumerate() {
        let mrow = MROWS[k];
        let mut amount = |v: Option<Decimal>| {
            v.map(|d| fmt_amount(d, q, rng, &mut used))
                .unwrap_or_default()
        };
        let mut budget = amount(line.budget);
        if let Some((r, text)) = &form.bad_cell {
            if *r == mrow {
                budget = text.clone();
            }
        }
        let p1 = amount(line.prior_years.get(year - 1).copied().flatten());
        let p2 = amount(line.prior_years.get(year - 2).copied().flatten());
        let share = line
            .share_percent
            .map(|s| format!("{s}%"))
            .unwrap_or_default();
        let group = match mrow {
            MRow::Fa => "收入构成",
            MRow::Basic => "支出构成",
            _ => "",
        };
        let c = if mrow == MRow::OutTotal && q.shift_total {
            applied.push("shifted-total-row");
            vec![
                "合计".to_string(),
                String::new(),
                budget,
                share,
                p1,
                p2,
                String::new(),
            ]
        } else {
            vec![
                String::new(),
                group.to_string(),
                mrow.label().to_string(),
                budget,
                share,
                p1,
                p2,
            ]
        };
        rows.push(row(c, true, Some(Anchor::Money(mrow))));
    }
    let paragraphs = |ps: &[String], plain: bool| -> String {
        if plain {
            ps.join(" ")
        } else {
            ps.iter()
                .map(|p| format!("<p>{p}</p>"))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    if q.functions_plain {
        applied.push("functions-plain-text");
    }
    if q.tasks_plain {
        applied.push("tasks-plain-text");
    }
    rows.push(row(
        padded(
            "部门职能概述",
            &paragraphs(&decl.functions, q.functions_plain),
            7,
        ),
        true,
        None,
    ));
    rows.push(row(
        padded(
            "年度工作任务",
            &paragraphs(&decl.annual_tasks, q.tasks_plain),
            7,
        ),
        true,
        None,
    ));
    rows.push(row(
        cells(&["", "长期目标", "", "", "年度目标", "", ""]),
        true,
        None,
    ));

    // Goals (8 columns).
    let overall = decl
        .overall_goals
        .iter()
        .enumerate()
        .map(|(k, g)| format!("目标{}{colon}{g}", k + 1))
        .collect::<Vec<_>>()
        .join(" ");
    rows.push(row(
        padded("整体绩效目标", &overall, 8),
        true,
        Some(Anchor::Overall),
    ));
    for (g, goal) in decl.goals.iter().enumerate() {
        rows.push(row(
            padded(
                &format!("年度目标{}{colon}", goal.number),
                goal.name.as_deref().unwrap_or(""),
                8,
            ),
            true,
            Some(Anchor::Goal(g)),
        ));
        let first_shifted = q.shift_benefit
            && goal.indicators.first().and_then(|i| i.level1.as_deref()) == Some("效益指标");
        let label_on_data = q.label_on_data > 0
            && !first_shifted
            && !goal.indicators.is_empty()
            && rng.chance(q.label_on_data);
        if label_on_data {
            applied.push("label-on-data-row");
        }
        let [h1, h2, h3] = indicator_headers(year, !label_on_data);
        rows.push(row(h1, true, None));
        rows.push(row(h2, false, None));
        rows.push(row(h3, false, None));
        let mut prev_l1: Option<&str> = None;
        for (i, ind) in goal.indicators.iter().enumerate() {
            let l1 = ind.level1.as_deref().unwrap_or("");
            let first_of_group = prev_l1 != Some(l1);
            prev_l1 = Some(l1);
            let shown_l1 = if q.level1_once && !first_of_group {
                ""
            } else {
                l1
            };
            if q.level1_once && !first_of_group {
                applied.push("level1-once");
            }
            let v = |y: i32| {
                ind.prior_years
                    .get(y)
                    .cloned()
                    .flatten()
                    .unwrap_or_default()
            };
            let rest = [
                ind.level2.clone().unwrap_or_default(),
                ind.name.clone().unwrap_or_default(),
                v(year - 1),
                v(year - 2),
                ind.target.clone().unwrap_or_default(),
                ind.standard.clone().unwrap_or_default(),
            ];
            let mut c = Vec::with_capacity(8);
            if q.shift_benefit && l1 == "效益指标" && first_of_group {
                applied.push("shifted-benefit-row");
                c.push(l1.to_string());
                c.extend(rest);
                c.push(String::new());
            } else {
                c.push(
                    if label_on_data && i == 0 {
                        "年度绩效指标"
                    } else {
                        ""
                    }
                    .to_string(),
                );
                c.push(shown_l1.to_string());
                c.extend(rest);
            }
            let mut r = row(c, true, Some(Anchor::Indicator(g, i)));
            r.in_table = true;
            rows.push(r);
        }
        for _ in form.placeholders.iter().filter(|&&pg| pg == g) {
            let mut r = row(
                cells(&["", "", "_____指标", "", "", "", "", ""]),
                true,
                Some(Anchor::Placeholder(g)),
            );
            r.in_table = true;
            rows.push(r);
        }
    }
    rows.push(row(vec![String::new(); 7], false, None));

    // Page breaks.
    let mut breaks = vec![false; rows.len()];
    if q.page_breaks > 0 {
        let candidates: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].breakable).collect();
        for k in rng.subset(candidates.len(), q.page_breaks) {
            breaks[candidates[k]] = true;
        }
        let in_table: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| rows[i].in_table)
            .collect();
        if q.break_in_table && !in_table.is_empty() && !in_table.iter().any(|&i| breaks[i]) {
            breaks[rng.pick(&in_table)] = true;
        }
    }

    let title = match decl.fiscal_year {
        Some(y) => format!("{y}年度部门整体支出绩效目标申报表"),
        None => "年度部门整体支出绩效目标申报表".to_string(),
    };
    let unit_line = |rng: &mut Rng| -> &'static str {
        if q.unit_variants {
            rng.pick(&["单位: 万元", "单位：万元", "单位:万元"])
        } else {
            "单位: 万元"
        }
    };
    let attachment = if q.unit_variants {
        rng.pick(&["附件2:", "附件2："])
    } else {
        "附件2:"
    };
    let mut out: Vec<String> = vec![
        String::new(),
        String::new(),
        attachment.to_string(),
        String::new(),
        title.clone(),
    ];
    out.push(String::new());
    out.push(unit_line(rng).to_string());
    out.push(String::new());
    let mut anchors = vec![(Anchor::Title, 5)];
    for (i, r) in rows.iter().enumerate() {
        if breaks[i] {
            applied.push("page-breaks");
            out.extend([
                String::new(),
                title.clone(),
                String::new(),
                unit_line(rng).to_string(),
                String::new(),
            ]);
            if r.in_table {
                applied.push("page-break-in-indicator-table");
                let [h1, h2, h3] = indicator_headers(year, false);
                out.extend([h1.join("\t"), h2.join("\t"), h3.join("\t")]);
            }
        }
        if let Some(a) = r.anchor {
            anchors.push((a, out.len() as u32 + 1));
        }
        out.push(r.cells.join("\t"));
    }
    out.push(String::new());
    out.extend(FOOTER.iter().map(|s| s.to_string()));

    if q.unit_variants {
        applied.push("unit-line-variants");
    }
    if q.halfwidth_colons {
        applied.push("halfwidth-colons");
    }
    if used[0] {
        applied.push("thousands-separators");
    }
    if used[1] {
        applied.push("fullwidth-digits");
    }
    let eol = if q.crlf {
        applied.push("crlf");
        "\r\n"
    } else {
        "\n"
    };
    let mut text = out.join(eol);
    if q.final_newline {
        applied.push("final-newline");
        text.push_str(eol);
    }
    let quirks = QUIRK_NAMES
        .iter()
        .filter(|n| applied.contains(n))
        .map(|n| n.to_string())
        .collect();
    Rendered {
        text,
        quirks,
        anchors,
    }
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

struct Generator<'a> {
    seed: u64,
    district: &'a str,
    quirks: QuirkLevel,
    json_share: u32,
    layouts: &'a [FormLayout],
    formats: &'a [FileFormat],
}

/// One department-year: the form to write (or what is planted instead of it).
struct Slot<'a> {
    d: u64,
    dept: &'a Dept,
    stable: &'a DeptStable,
    series: &'a Series,
    year: i32,
    /// The budget years the department files a form for.
    years: &'a [i32],
    code: Option<&'static str>,
}

impl Generator<'_> {
    fn write_slot(&self, dir: &Path, slot: &Slot, truth: &mut Truth) -> io::Result<()> {
        let Slot {
            d,
            dept,
            stable,
            series,
            year,
            years,
            code,
        } = *slot;
        let file_name = format!("{}-{year}", dept.name);
        let mut entry = TruthFile {
            path: String::new(),
            department: dept.name.clone(),
            fiscal_year: year,
            format: "text".to_string(),
            encoding: "utf-8".to_string(),
            quirks: Vec::new(),
            expected: None,
            planted: code.map(|c| vec![c.to_string()]).unwrap_or_default(),
            plant_details: Vec::new(),
            quality: None,
        };
        match code {
            Some("unreadable-file") => {
                let mut rng = Rng::derive(&[self.seed, S_JUNK, d, year as u64]);
                let (bytes, format, detail) = if rng.chance(50) {
                    (Vec::new(), "empty", "empty file (0 bytes)")
                } else {
                    let n = rng.range(256, 4096) as usize;
                    let mut v = b"PK\x03\x04\x14\x00\x00\x00".to_vec();
                    v.extend((0..n).map(|_| rng.next_u64() as u8));
                    v.extend_from_slice(&[0, 0, 0xFF, 0xFE, 0x80]);
                    (
                        v,
                        "binary",
                        "binary junk (zip-like header, random bytes, NULs)",
                    )
                };
                entry.path = format!("{}/{file_name}.txt", self.district);
                entry.format = format.to_string();
                entry.encoding = "none".to_string();
                entry.plant_details.push(PlantDetail {
                    code: "unreadable-file".into(),
                    line: None,
                    detail: detail.into(),
                });
                std::fs::write(dir.join(format!("{file_name}.txt")), bytes)?;
                truth.files.push(entry);
                return Ok(());
            }
            Some("not-a-declaration") => {
                let text = format!(
                    "关于{name}{year}年度部门预算公开有关事项的说明\n\n根据区财政局统一部署，现将本单位{year}年度部门预算公开有关事项说明如下：\n一、本单位预算已按规定程序报区人民代表大会审查批准。\n二、相关表格另行报送，本文件仅作说明。\n\n{name}\n{year}年1月\n",
                    name = dept.name
                );
                entry.path = format!("{}/{file_name}.txt", self.district);
                entry.plant_details.push(PlantDetail {
                    code: "not-a-declaration".into(),
                    line: None,
                    detail: "a UTF-8 notice with neither form title nor table".into(),
                });
                std::fs::write(dir.join(format!("{file_name}.txt")), text)?;
                truth.files.push(entry);
                return Ok(());
            }
            _ => {}
        }

        let mut content_rng = Rng::derive(&[self.seed, S_CONTENT, d, year as u64]);
        let mut form = build_form(dept, stable, series, year, &mut content_rng);
        let mut planted = None;
        if let Some(c) = code.filter(|&c| c != "duplicate-submission") {
            let mut rng = Rng::derive(&[self.seed, S_PLANT, d, year as u64]);
            planted = Some(plant(c, &mut form, years, dept.domain, &mut rng));
        }
        let mut fmt_rng = Rng::derive(&[self.seed, S_FORMAT, d, year as u64]);
        let as_json = self.json_share > 0
            && fmt_rng.below(100) < self.json_share as usize
            && json_can_carry(code);
        let quirk_stream = Rng::derive(&[self.seed, S_QUIRKS, d, year as u64]);
        // A clean form may be printed in another layout or saved as a spreadsheet; planted
        // forms stay text exports of the sample's layout, where their lines are known.
        if code.is_none() && !as_json && !(self.layouts.is_empty() && self.formats.is_empty()) {
            // A department prints all its forms in one layout; the file format may change.
            let mut dept_rng = Rng::derive(&[self.seed, S_LAYOUT, d]);
            let mut rng = Rng::derive(&[self.seed, S_LAYOUT, d, year as u64]);
            let (layout, format) =
                layouts::choose(self.layouts, self.formats, &mut dept_rng, &mut rng);
            if !(layout == FormLayout::Hubei && format == FileFormat::Txt) {
                let written =
                    layouts::write(dir, &file_name, &mut form, stable, layout, format, &mut rng)?;
                entry.path = format!("{}/{}", self.district, written.file);
                entry.format = written.format;
                entry.encoding = written.encoding;
                entry.quirks = written.quirks;
                entry.expected = Some(form.decl);
                truth.files.push(entry);
                return Ok(());
            }
            form.decl.layout = Some("hubei".to_string());
        }
        let lines = self.write_form(dir, &file_name, &form, as_json, quirk_stream, &mut entry)?;
        if let Some(p) = planted {
            let line = p
                .anchor
                .and_then(|a| lines.iter().find(|(b, _)| *b == a).map(|(_, l)| *l));
            entry.plant_details.push(PlantDetail {
                code: p.code.to_string(),
                line,
                detail: p.detail,
            });
        }
        entry.expected = Some(form.decl.clone());
        let duplicate = code == Some("duplicate-submission");
        if duplicate {
            entry.plant_details.push(PlantDetail {
                code: "duplicate-submission".into(),
                line: None,
                detail: format!("same declaration also in {file_name}-副本.txt"),
            });
        }
        truth.files.push(entry);

        if duplicate {
            let mut copy = TruthFile {
                path: String::new(),
                department: dept.name.clone(),
                fiscal_year: year,
                format: "text".to_string(),
                encoding: "utf-8".to_string(),
                quirks: Vec::new(),
                expected: None,
                planted: vec!["duplicate-submission".to_string()],
                plant_details: vec![PlantDetail {
                    code: "duplicate-submission".into(),
                    line: None,
                    detail: format!("copy of {file_name}, rendered with other quirks"),
                }],
                quality: None,
            };
            let copy_name = format!("{file_name}-副本");
            let rng = Rng::derive(&[self.seed, S_DUPLICATE, d, year as u64]);
            self.write_form(dir, &copy_name, &form, false, rng, &mut copy)?;
            copy.expected = Some(form.decl);
            truth.files.push(copy);
        }
        Ok(())
    }

    /// Writes the form as text (with quirks) or canonical JSON; returns the anchors' lines.
    fn write_form(
        &self,
        dir: &Path,
        name: &str,
        form: &Form,
        as_json: bool,
        mut rng: Rng,
        entry: &mut TruthFile,
    ) -> io::Result<Vec<(Anchor, u32)>> {
        if as_json {
            let mut text = serde_json::to_string_pretty(&form.decl).map_err(io::Error::other)?;
            text.push('\n');
            entry.path = format!("{}/{name}.json", self.district);
            entry.format = "json".to_string();
            std::fs::write(dir.join(format!("{name}.json")), text)?;
            return Ok(Vec::new());
        }
        let q = Quirks::choose(self.quirks, &mut rng);
        let r = render(form, &q, &mut rng);
        entry.path = format!("{}/{name}.txt", self.district);
        entry.encoding = q.enc.name().to_string();
        entry.quirks = r.quirks;
        std::fs::write(dir.join(format!("{name}.txt")), q.enc.encode(&r.text))?;
        Ok(r.anchors)
    }
}

// ---------------------------------------------------------------------------------------------
// Swings (outliers for the dashboard)
// ---------------------------------------------------------------------------------------------

impl Col {
    /// The same structure (other and basic shares) at another total, clear of share ties.
    fn rescaled(&self, total: i64) -> Col {
        let other_bp = self
            .other
            .map(|o| (o as i128 * 10000 / self.in_total.max(1) as i128) as i64);
        let basic_bp = (self.basic as i128 * 10000 / self.out_total.max(1) as i128) as i64;
        let mut c = split(
            total.max(1000),
            other_bp.map(|b| b.max(100)),
            basic_bp.clamp(100, 9900),
        );
        while c.shares().is_none() {
            c.basic += 1;
            c.project -= 1;
        }
        c
    }
}

impl Series {
    /// Swing number `d` (see [`GenOptions::swings`]): kinds 0 and 1 change a budget year
    /// that has a budget year before it, kinds 2 and 3 the actual of a year a later form
    /// reports.
    fn swing(&mut self, d: usize, years: &[i32]) {
        let n = years.len();
        if n < 2 {
            return;
        }
        let kind = d % 4;
        let year = if kind < 2 {
            years[1 + (d / 4) % (n - 1)]
        } else {
            years[(d / 4) % (n - 1)]
        };
        let i = (year - self.first) as usize;
        match kind {
            0 | 1 => {
                let bp = if kind == 0 { 5500 } else { 16000 };
                self.budget[i] = self.budget[i].rescaled(scale(self.budget[i].in_total, bp));
            }
            _ => {
                let bp = if kind == 2 { 6000 } else { 13500 };
                self.actual[i] = self.actual[i].rescaled(scale(self.budget[i].out_total, bp));
            }
        }
    }
}
