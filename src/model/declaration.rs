//! The declaration model: typed, exact (money as `Decimal`), and independent of the format it
//! was read from. `SourceMap` keeps the source line of every row apart from the content, so a
//! declaration read back from canonical JSON compares equal to the one read from text.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The form's name, as printed in its title and in canonical JSON.
pub const FORM_NAME: &str = "部门整体支出绩效目标申报表";
/// The `schema` value of canonical JSON.
pub const SCHEMA: &str = "declaration/v1";

/// Budget years a declaration can plausibly carry; anything else is a typing accident (and
/// would not survive a round trip through JSON keys such as `"0999"`).
pub fn is_plausible_year(year: i32) -> bool {
    (1900..=2199).contains(&year)
}

/// Values per prior year, in the order the form's header gives them (latest year first).
/// Serialised as a JSON object keyed by year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearMap<T>(pub Vec<(i32, T)>);

impl<T> YearMap<T> {
    pub fn get(&self, year: i32) -> Option<&T> {
        self.0.iter().find(|(y, _)| *y == year).map(|(_, v)| v)
    }
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.0.iter().map(|(y, _)| *y)
    }
    /// Latest year first, the order of the official form, whatever order a file used.
    pub fn sort_latest_first(&mut self) {
        self.0.sort_by_key(|(year, _)| std::cmp::Reverse(*year));
    }
}

/// One row of the budget table: the budget-year amount, its declared share, and the actuals of
/// the prior years. `None` is an empty cell ("not filled"), never zero.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BudgetLine {
    #[serde(with = "crate::format::json_number")]
    pub budget: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    pub share_percent: Option<Decimal>,
    pub prior_years: YearMap<Option<Decimal>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Income {
    pub fiscal_appropriation: BudgetLine,
    pub other: BudgetLine,
    pub total: BudgetLine,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Expenditure {
    pub basic: BudgetLine,
    pub project: BudgetLine,
    pub total: BudgetLine,
}

/// One indicator row. `name` is the 三级指标 where a layout has three levels (the sample's
/// `指标名称`). The last four fields exist only in layouts with such columns and are left out
/// of canonical JSON when absent, so a `hubei` declaration keeps the v1 shape exactly.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Indicator {
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub name: Option<String>,
    pub prior_years: YearMap<Option<String>>,
    pub target: Option<String>,
    pub standard: Option<String>,
    /// 计量单位.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// 指标值类型 as written (`定量` / `定性`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_kind: Option<String>,
    /// 指标解释.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// 备注.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

impl Indicator {
    /// Whether the indicator is declared quantitative (`定量`): its target must hold a number.
    pub fn is_quantitative(&self) -> Option<bool> {
        let kind = self.value_kind.as_deref()?.trim();
        if kind.contains("定量") {
            Some(true)
        } else if kind.contains("定性") {
            Some(false)
        } else {
            None
        }
    }
}

/// A goal's indicator table. Layouts with one table for the whole department give one goal
/// without number or name (spec §5).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Goal {
    pub number: Option<u32>,
    pub name: Option<String>,
    pub indicators: Vec<Indicator>,
}

impl Goal {
    /// How findings name the table: `年度目标2`, or `绩效指标表` for a layout's single table.
    pub fn label(&self) -> String {
        match self.number {
            Some(n) => format!("年度目标{n}"),
            None => "绩效指标表".to_owned(),
        }
    }
}

/// The province layout a form was printed in (spec §5). Recognised by its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    Hubei,
    HubeiPdf,
    Fujian,
    Hunan,
}

impl Layout {
    pub const ALL: [Layout; 4] = [
        Layout::Hubei,
        Layout::HubeiPdf,
        Layout::Fujian,
        Layout::Hunan,
    ];

    /// The `layout` value of canonical JSON.
    pub fn key(self) -> &'static str {
        match self {
            Layout::Hubei => "hubei",
            Layout::HubeiPdf => "hubei-pdf",
            Layout::Fujian => "fujian",
            Layout::Hunan => "hunan",
        }
    }

    pub fn from_key(key: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.key() == key)
    }

    /// How the site and the report name the layout.
    pub fn title(self) -> &'static str {
        match self {
            Layout::Hubei => "湖北表式",
            Layout::HubeiPdf => "湖北表式（PDF 版）",
            Layout::Fujian => "福建表式",
            Layout::Hunan => "湖南表式",
        }
    }
}

/// A row of Fujian's `年度履职目标` table.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Duty {
    /// 部门职能.
    pub function: Option<String>,
    /// 年度目标任务.
    pub task: Option<String>,
    /// 支出项目名称.
    pub project: Option<String>,
    /// 预算金额（万元）.
    #[serde(with = "crate::format::json_number")]
    pub amount: Option<Decimal>,
}

/// A department's declaration for one budget year, as canonical JSON v1 describes it.
/// `Deserialize` reads back what `Serialize` wrote, exactly and without checks
/// (`Declaration::from_own_json`); a canonical file handed in is read by `ingest::canonical`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Declaration {
    /// Constants: read back as themselves (the JSON's are not looked at).
    #[serde(skip_deserializing, default = "schema")]
    pub schema: &'static str,
    #[serde(skip_deserializing, default = "form_name")]
    pub form: &'static str,
    pub fiscal_year: Option<i32>,
    pub department: Option<String>,
    pub filled_by: Option<String>,
    pub phone: Option<String>,
    pub unit: Option<String>,
    /// `null` where the layout has no income block (Fujian, Hunan): absent, not zero.
    pub income: Option<Income>,
    /// `null` where the layout has no expenditure block (Hunan).
    pub expenditure: Option<Expenditure>,
    pub functions: Vec<String>,
    pub annual_tasks: Vec<String>,
    pub long_term_goal: Option<String>,
    pub annual_goal: Option<String>,
    pub overall_goals: Vec<String>,
    pub goals: Vec<Goal>,
    /// The layout the form was read in; absent in canonical files written before layouts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
    /// `部门预算编码` (Fujian).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_code: Option<String>,
    /// Fujian's `年度履职目标` rows.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub duties: Vec<Duty>,
}

fn schema() -> &'static str {
    SCHEMA
}

fn form_name() -> &'static str {
    FORM_NAME
}

/// An empty budget line: what a row of an absent money block reads as.
static EMPTY_LINE: BudgetLine = BudgetLine {
    budget: None,
    share_percent: None,
    prior_years: YearMap(Vec::new()),
};

impl Declaration {
    /// Whether the form holds anything beyond its title and head: a budget line, a text, a
    /// goal or a duty (a workbook's cover sheet holds none).
    pub fn has_content(&self) -> bool {
        let money = Row::ALL.iter().any(|&r| {
            let l = self.budget_line(r);
            l.budget.is_some() || l.prior_years.0.iter().any(|(_, v)| v.is_some())
        });
        money
            || !self.goals.is_empty()
            || !self.overall_goals.is_empty()
            || !self.functions.is_empty()
            || !self.annual_tasks.is_empty()
            || !self.duties.is_empty()
    }

    pub fn new() -> Self {
        Declaration {
            schema: SCHEMA,
            form: FORM_NAME,
            income: Some(Income::default()),
            expenditure: Some(Expenditure::default()),
            ..Default::default()
        }
    }

    /// The prior years the budget table reports, latest first.
    pub fn prior_years(&self) -> Vec<i32> {
        let total = self.budget_line(Row::IncomeTotal);
        let total = if total.prior_years.0.is_empty() {
            self.budget_line(Row::ExpenditureTotal)
        } else {
            total
        };
        total.prior_years.years().collect()
    }

    /// Whether the form has the money block `row` belongs to.
    pub fn has_block(&self, row: Row) -> bool {
        if row.is_income() {
            self.income.is_some()
        } else {
            self.expenditure.is_some()
        }
    }

    /// Canonical JSON v1, pretty-printed, with a trailing newline.
    /// Reads back JSON that `Serialize` wrote (compact or canonical): the same declaration,
    /// figures with their decimal places. No check is made: a file handed in is read by
    /// `ingest::canonical`, which reports what is wrong with it.
    pub fn from_own_json(json: &[u8]) -> serde_json::Result<Declaration> {
        serde_json::from_slice(json)
    }

    pub fn to_canonical_json(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail.
        let mut s = serde_json::to_string_pretty(self).expect("declaration serialises");
        s.push('\n');
        s
    }

    /// A row of the budget table; an empty line where the form has no such block.
    pub fn budget_line(&self, row: Row) -> &BudgetLine {
        let (income, expenditure) = (self.income.as_ref(), self.expenditure.as_ref());
        match row {
            Row::FiscalAppropriation => income.map(|i| &i.fiscal_appropriation),
            Row::Other => income.map(|i| &i.other),
            Row::IncomeTotal => income.map(|i| &i.total),
            Row::Basic => expenditure.map(|e| &e.basic),
            Row::Project => expenditure.map(|e| &e.project),
            Row::ExpenditureTotal => expenditure.map(|e| &e.total),
        }
        .unwrap_or(&EMPTY_LINE)
    }

    /// A row of the budget table to fill in; creates its block if the form had none.
    pub fn budget_line_mut(&mut self, row: Row) -> &mut BudgetLine {
        match row {
            Row::FiscalAppropriation => {
                &mut self.income.get_or_insert_default().fiscal_appropriation
            }
            Row::Other => &mut self.income.get_or_insert_default().other,
            Row::IncomeTotal => &mut self.income.get_or_insert_default().total,
            Row::Basic => &mut self.expenditure.get_or_insert_default().basic,
            Row::Project => &mut self.expenditure.get_or_insert_default().project,
            Row::ExpenditureTotal => &mut self.expenditure.get_or_insert_default().total,
        }
    }
}

/// The six rows of the budget table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Row {
    FiscalAppropriation,
    Other,
    IncomeTotal,
    Basic,
    Project,
    ExpenditureTotal,
}

impl Row {
    pub const ALL: [Row; 6] = [
        Row::FiscalAppropriation,
        Row::Other,
        Row::IncomeTotal,
        Row::Basic,
        Row::Project,
        Row::ExpenditureTotal,
    ];

    /// Whether the row belongs to the income block.
    pub fn is_income(self) -> bool {
        matches!(
            self,
            Row::FiscalAppropriation | Row::Other | Row::IncomeTotal
        )
    }

    /// How a clerk names the row: `财政拨款`, `收入合计`, ….
    pub fn label(self) -> &'static str {
        match self {
            Row::FiscalAppropriation => "财政拨款",
            Row::Other => "其他资金",
            Row::IncomeTotal => "收入合计",
            Row::Basic => "基本支出",
            Row::Project => "项目支出",
            Row::ExpenditureTotal => "支出合计",
        }
    }

    /// The key of the row in canonical JSON (`income.total`, …).
    pub fn json_path(self) -> &'static str {
        match self {
            Row::FiscalAppropriation => "income.fiscal_appropriation",
            Row::Other => "income.other",
            Row::IncomeTotal => "income.total",
            Row::Basic => "expenditure.basic",
            Row::Project => "expenditure.project",
            Row::ExpenditureTotal => "expenditure.total",
        }
    }
}

/// A column of the budget table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    Budget,
    Share,
    Prior(i32),
}

/// Where each part of a declaration stood in its source file (1-based lines), and which
/// budget cells held something that was not a number. Empty for canonical JSON input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    pub title: Option<u32>,
    pub department: Option<u32>,
    pub rows: Vec<(Row, u32)>,
    pub overall_goals: Option<u32>,
    /// Per goal (same order as `Declaration::goals`): its header line and each indicator's line.
    pub goals: Vec<GoalLines>,
    /// Budget cells whose text could not be read as a number (already reported as `bad-number`);
    /// arithmetic rules skip the columns they touch.
    pub bad_cells: Vec<(Row, Column)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalLines {
    pub header: Option<u32>,
    pub indicators: Vec<u32>,
}

impl SourceMap {
    pub fn row(&self, row: Row) -> Option<u32> {
        self.rows.iter().find(|(r, _)| *r == row).map(|(_, l)| *l)
    }
    pub fn goal(&self, index: usize) -> Option<u32> {
        self.goals.get(index).and_then(|g| g.header)
    }
    pub fn indicator(&self, goal: usize, index: usize) -> Option<u32> {
        self.goals
            .get(goal)
            .and_then(|g| g.indicators.get(index))
            .copied()
    }
    pub fn is_bad(&self, row: Row, column: Column) -> bool {
        self.bad_cells.contains(&(row, column))
    }
}

/// How a cell value is written in canonical JSON: amounts as exact numbers, texts as strings.
pub trait CellValue: Sized {
    fn serialize_cell<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    fn deserialize_cell<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error>;
}

impl CellValue for Option<Decimal> {
    fn serialize_cell<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::format::json_number::serialize(self, serializer)
    }
    fn deserialize_cell<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        crate::format::json_number::deserialize(deserializer)
    }
}

impl CellValue for Option<String> {
    fn serialize_cell<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
    fn deserialize_cell<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        Option::<String>::deserialize(deserializer)
    }
}

struct Cell<'a, T>(&'a T);

impl<T: CellValue> Serialize for Cell<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_cell(serializer)
    }
}

impl<T: CellValue> Serialize for YearMap<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (year, value) in &self.0 {
            map.serialize_entry(&year.to_string(), &Cell(value))?;
        }
        map.end()
    }
}

/// Years in the order written.
impl<'de, T: CellValue> Deserialize<'de> for YearMap<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Years<T>(std::marker::PhantomData<T>);
        struct Value<T>(std::marker::PhantomData<T>);
        impl<'de, T: CellValue> serde::de::DeserializeSeed<'de> for Value<T> {
            type Value = T;
            fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
                T::deserialize_cell(d)
            }
        }
        impl<'de, T: CellValue> serde::de::Visitor<'de> for Years<T> {
            type Value = YearMap<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object keyed by year")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut years = Vec::new();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let year = key.parse::<i32>().map_err(|_| {
                        serde::de::Error::invalid_value(serde::de::Unexpected::Str(&key), &"a year")
                    })?;
                    years.push((year, map.next_value_seed(Value(std::marker::PhantomData))?));
                }
                Ok(YearMap(years))
            }
        }
        deserializer.deserialize_map(Years(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What this program wrote reads back as the same declaration, to the decimal places of
    /// its figures (a shelved declaration renders the page a kept one does): canonical and
    /// compact JSON, for the sample and every layout's fixture (absent blocks, duties,
    /// budget codes, the optional indicator columns).
    #[test]
    fn own_json_reads_back_as_written() {
        let mut declarations = vec![
            crate::ingest::layouts::parse_text(
                include_str!("../../tests/fixtures/sample/武汉市新洲区总工会-2020.txt"),
                "s.txt",
            )
            .unwrap()
            .declaration,
        ];
        let layouts = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/layouts");
        for entry in std::fs::read_dir(layouts).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().ends_with(".expected.json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let parsed = crate::ingest::canonical::parse(&text, "x.json").unwrap();
                declarations.push(parsed.declaration);
            }
        }
        assert_eq!(declarations.len(), 5, "the sample and four layouts");
        assert!(declarations.iter().any(|d| d.income.is_none()));
        assert!(declarations.iter().any(|d| !d.duties.is_empty()));
        assert!(declarations.iter().any(|d| d.budget_code.is_some()));
        // Trailing zeros are part of a figure as written.
        let mut scaled = declarations[0].clone();
        let line = &mut scaled.income.as_mut().unwrap().total;
        line.budget = Some(Decimal::new(28640, 2));
        line.prior_years.0[0].1 = Some(Decimal::new(-100, 2));
        declarations.push(scaled);
        for d in &declarations {
            let canonical = d.to_canonical_json();
            let compact = serde_json::to_vec(d).unwrap();
            for json in [canonical.as_bytes(), &compact] {
                let back = Declaration::from_own_json(json)
                    .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(json)))
                    .unwrap();
                assert_eq!(&back, d);
                assert_eq!(back.to_canonical_json(), canonical);
            }
        }
        assert!(declarations[5].to_canonical_json().contains("286.40"));
        assert!(Declaration::from_own_json(b"{\"schema\":1}").is_err());
    }
}
