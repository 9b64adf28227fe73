//! Diagnostics as data: the rule catalog's codes and severities (spec §3, and §4 of the
//! self-evaluation contract) and the one
//! `Diagnostic` type every stage reports through. Renderers live in `report`.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
    /// The word a clerk reads.
    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $title:literal;)*) => {
        /// A rule of the catalog. The string form is a stable contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// A short Chinese name of the rule, for reports.
            pub fn title_zh(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            pub fn from_str_code(s: &str) -> Option<Code> {
                match s { $($code => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    UnreadableFile = "unreadable-file", Error, "文件无法读取";
    NotADeclaration = "not-a-declaration", Error, "不是申报表";
    MissingField = "missing-field", Error, "必填项缺失";
    BadNumber = "bad-number", Error, "数字格式错误";
    NegativeAmount = "negative-amount", Error, "金额为负";
    IncomeSum = "income-sum", Error, "收入合计不符";
    ExpenditureSum = "expenditure-sum", Error, "支出合计不符";
    Balance = "balance", Error, "收支不平衡";
    Share = "share", Error, "占比不符";
    DuplicateSubmission = "duplicate-submission", Error, "重复申报";
    FieldTooLong = "field-too-long", Error, "填写内容过长";
    IndicatorCategory = "indicator-category", Warning, "指标分类不规范";
    VagueTarget = "vague-target", Warning, "指标值不可衡量";
    PlaceholderRow = "placeholder-row", Warning, "未填写的模板行";
    MissingOutput = "missing-output", Warning, "缺少产出指标";
    MissingBenefit = "missing-benefit", Warning, "缺少效益或满意度指标";
    GoalMismatch = "goal-mismatch", Warning, "目标数量不一致";
    PriorYearRevised = "prior-year-revised", Warning, "往年决算数被修改";
    // Self-evaluations (contract self-evaluation-v1 §4).
    ExecutionRate = "execution-rate", Error, "预算执行率不符";
    ScoreOverWeight = "score-over-weight", Error, "得分超出分值";
    WeightsSum = "weights-sum", Error, "分值合计不符";
    TotalSum = "total-sum", Error, "总分不符";
    GradeMismatch = "grade", Warning, "自评等级与得分不符";
    ScoreAboveRule = "score-above-rule", Warning, "自评得分高于评分规则";
    MissingReason = "missing-reason", Warning, "缺少偏差原因";
    NoDeclaration = "no-declaration", Warning, "没有对应的申报表";
    InitialBudgetMismatch = "initial-budget-mismatch", Warning, "年初预算数与申报表不符";
    TargetChanged = "target-changed", Warning, "指标值与申报不一致";
    TargetDropped = "target-dropped", Warning, "申报的指标未自评";
    TargetAdded = "target-added", Warning, "自评新增了指标";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Code::from_str_code(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule code {s}")))
    }
}

/// One finding about one file. Field order is the JSON contract's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub file: String,
    /// The worksheet `line` counts in, for a workbook (`None` for text and JSON files, and
    /// then left out of `check --format json`, which keeps the shape of spec §4).
    pub sheet: Option<String>,
    pub line: Option<u32>,
    pub department: Option<String>,
    pub fiscal_year: Option<i32>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: file.into(),
            sheet: None,
            line: None,
            department: None,
            fiscal_year: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, line: Option<u32>) -> Self {
        self.line = line;
        self
    }

    /// Names the worksheet `line` counts in.
    pub fn in_sheet(mut self, sheet: Option<&str>) -> Self {
        self.sheet = sheet.map(str::to_owned);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order of every report: file, line (none first), code as written, then the message so
    /// that ties are total.
    pub fn sort_key(&self) -> (&str, Option<&str>, u32, &'static str, &str) {
        (
            &self.file,
            self.sheet.as_deref(),
            self.line.unwrap_or(0),
            self.code.as_str(),
            &self.message,
        )
    }
}

/// Sorts diagnostics into report order (file, line, code, message) and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.department.cmp(&b.department))
            .then_with(|| a.fiscal_year.cmp(&b.fiscal_year))
    });
    diagnostics.dedup();
}

/// Counts of a set of diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
}

impl Counts {
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let mut counts = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_the_catalog_severities() {
        assert_eq!(Code::ALL.len(), 30);
        for &code in Code::ALL {
            assert_eq!(Code::from_str_code(code.as_str()), Some(code));
        }
        let errors: Vec<_> = Code::ALL
            .iter()
            .filter(|c| c.severity() == Severity::Error)
            .map(|c| c.as_str())
            .collect();
        assert_eq!(
            errors,
            [
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
                "field-too-long",
                "execution-rate",
                "score-over-weight",
                "weights-sum",
                "total-sum"
            ]
        );
    }

    #[test]
    fn sort_orders_by_file_line_code() {
        let mut v = vec![
            Diagnostic::new(Code::VagueTarget, "b.txt", "x").at(Some(3)),
            Diagnostic::new(Code::Balance, "a.txt", "x").at(Some(9)),
            Diagnostic::new(Code::Balance, "b.txt", "x").at(Some(3)),
            Diagnostic::new(Code::UnreadableFile, "a.txt", "x"),
        ];
        sort(&mut v);
        let order: Vec<_> = v
            .iter()
            .map(|d| (d.file.as_str(), d.line, d.code.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("a.txt", None, "unreadable-file"),
                ("a.txt", Some(9), "balance"),
                ("b.txt", Some(3), "balance"),
                ("b.txt", Some(3), "vague-target"),
            ]
        );
    }
}
