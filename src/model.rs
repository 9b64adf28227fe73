//! The declaration model: typed, exact (money as `Decimal`), and independent of the format it
//! was read from. `SourceMap` keeps the source line of every row apart from the content, so a
//! declaration read back from canonical JSON compares equal to the one read from text.

use rust_decimal::Decimal;
use serde::Serialize;

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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BudgetLine {
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub budget: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub share_percent: Option<Decimal>,
    pub prior_years: YearMap<Option<Decimal>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Income {
    pub fiscal_appropriation: BudgetLine,
    pub other: BudgetLine,
    pub total: BudgetLine,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Expenditure {
    pub basic: BudgetLine,
    pub project: BudgetLine,
    pub total: BudgetLine,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Indicator {
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub name: Option<String>,
    pub prior_years: YearMap<Option<String>>,
    pub target: Option<String>,
    pub standard: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Goal {
    pub number: u32,
    pub name: Option<String>,
    pub indicators: Vec<Indicator>,
}

/// A department's declaration for one budget year, as canonical JSON v1 describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Declaration {
    pub schema: &'static str,
    pub form: &'static str,
    pub fiscal_year: Option<i32>,
    pub department: Option<String>,
    pub filled_by: Option<String>,
    pub phone: Option<String>,
    pub unit: Option<String>,
    pub income: Income,
    pub expenditure: Expenditure,
    pub functions: Vec<String>,
    pub annual_tasks: Vec<String>,
    pub long_term_goal: Option<String>,
    pub annual_goal: Option<String>,
    pub overall_goals: Vec<String>,
    pub goals: Vec<Goal>,
}

impl Declaration {
    pub fn new() -> Self {
        Declaration {
            schema: SCHEMA,
            form: FORM_NAME,
            ..Default::default()
        }
    }

    /// The prior years the budget table reports, latest first.
    pub fn prior_years(&self) -> Vec<i32> {
        self.income.total.prior_years.years().collect()
    }

    /// Canonical JSON v1, pretty-printed, with a trailing newline.
    pub fn to_canonical_json(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail.
        let mut s = serde_json::to_string_pretty(self).expect("declaration serialises");
        s.push('\n');
        s
    }

    pub fn budget_line(&self, row: Row) -> &BudgetLine {
        match row {
            Row::FiscalAppropriation => &self.income.fiscal_appropriation,
            Row::Other => &self.income.other,
            Row::IncomeTotal => &self.income.total,
            Row::Basic => &self.expenditure.basic,
            Row::Project => &self.expenditure.project,
            Row::ExpenditureTotal => &self.expenditure.total,
        }
    }

    pub fn budget_line_mut(&mut self, row: Row) -> &mut BudgetLine {
        match row {
            Row::FiscalAppropriation => &mut self.income.fiscal_appropriation,
            Row::Other => &mut self.income.other,
            Row::IncomeTotal => &mut self.income.total,
            Row::Basic => &mut self.expenditure.basic,
            Row::Project => &mut self.expenditure.project,
            Row::ExpenditureTotal => &mut self.expenditure.total,
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
pub trait CellValue {
    fn serialize_cell<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl CellValue for Option<Decimal> {
    fn serialize_cell<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rust_decimal::serde::arbitrary_precision_option::serialize(self, serializer)
    }
}

impl CellValue for Option<String> {
    fn serialize_cell<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
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
