//! The self-evaluation model (`部门整体支出绩效自评表`, contract `self-evaluation-v1.md`): what a
//! department says it spent and achieved after the year, typed and exact (money, weights and
//! scores as `Decimal`), independent of the format it was read from. Canonical JSON
//! (`self-evaluation/v1`, contract §2) is its serde form: written by `to_canonical_json`, read
//! back by `ingest::self_eval::canonical`. `EvalSource` keeps the source lines apart from the
//! content, so a form read back from JSON compares equal to the one read from text. The
//! tool's own scoring of contract §3 is `model::review`.

use super::once::Once;
use super::review::Review;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The form's name, as printed in its title and in canonical JSON.
pub const FORM_NAME: &str = "部门整体支出绩效自评表";
/// The `schema` value of canonical JSON.
pub const SCHEMA: &str = "self-evaluation/v1";

/// The layout a self-evaluation was printed in (contract §1), recognised by its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvalLayout {
    National,
    Sichuan,
}

impl EvalLayout {
    pub const ALL: [EvalLayout; 2] = [EvalLayout::National, EvalLayout::Sichuan];

    /// The `layout` value of canonical JSON.
    pub fn key(self) -> &'static str {
        match self {
            EvalLayout::National => "national",
            EvalLayout::Sichuan => "sichuan",
        }
    }

    /// How the site and the report name the layout.
    pub fn title(self) -> &'static str {
        match self {
            EvalLayout::National => "全国通用表式",
            EvalLayout::Sichuan => "四川表式",
        }
    }

    /// Whether the layout has a `原因` column in its execution block (so `missing-reason`
    /// can ask for a reason of a low execution rate).
    pub fn has_execution_reason(self) -> bool {
        matches!(self, EvalLayout::Sichuan)
    }
}

/// Serde of `Option<Decimal>` as a plain JSON number (`286.41`, not `"286.41"`), read back
/// exactly from the number's text.
mod number {
    pub use crate::format::json_number::{deserialize, serialize};
}

/// One part of the year's funds (`其中：财政拨款`, `上年结转资金`, …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundPart {
    /// The label as written, without `其中：`.
    pub label: String,
    #[serde(with = "number")]
    pub initial_budget: Option<Decimal>,
    #[serde(with = "number")]
    pub adjusted_budget: Option<Decimal>,
    #[serde(with = "number")]
    pub executed: Option<Decimal>,
}

/// The budget execution block: 年初预算数, 全年预算数 (A), 全年执行数 (B), its weight, the
/// written rate and score.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Execution {
    #[serde(with = "number")]
    pub initial_budget: Option<Decimal>,
    #[serde(with = "number")]
    pub adjusted_budget: Option<Decimal>,
    #[serde(with = "number")]
    pub executed: Option<Decimal>,
    #[serde(with = "number")]
    pub weight: Option<Decimal>,
    /// The written rate in percent (`98.16` for `98.16%`).
    #[serde(with = "number")]
    pub rate_percent: Option<Decimal>,
    #[serde(with = "number")]
    pub score: Option<Decimal>,
    pub reason: Option<String>,
    pub parts: Vec<FundPart>,
}

/// One overall goal: what was promised and what the department says was done.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalResult {
    pub expected: Option<String>,
    pub achieved: Option<String>,
}

/// One indicator row of the evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorResult {
    /// The level-1 name without its weight (`产出指标` for `产出指标(50分)`).
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub name: Option<String>,
    /// `指标性质` (`≥`, `定性`…) where the layout has the column, else `None`.
    pub direction: Option<String>,
    /// The target cell as written (`≥150人` in `national`; the number in `sichuan`).
    pub target: Option<String>,
    /// `度量单位` where the layout has the column, else `None`.
    pub unit: Option<String>,
    pub actual: Option<String>,
    #[serde(with = "number")]
    pub weight: Option<Decimal>,
    #[serde(with = "number")]
    pub score: Option<Decimal>,
    pub reason: Option<String>,
}

/// The total row: its weight (100), the self-score and the grade where the layout has one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Total {
    #[serde(with = "number")]
    pub weight: Option<Decimal>,
    #[serde(with = "number")]
    pub score: Option<Decimal>,
    pub grade: Option<String>,
}

/// A department's self-evaluation of one year, as canonical JSON `self-evaluation/v1` has it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfEvaluation {
    pub schema: String,
    pub form: String,
    pub layout: EvalLayout,
    pub fiscal_year: Option<i32>,
    pub department: Option<String>,
    pub budget_code: Option<String>,
    pub filled_by: Option<String>,
    pub phone: Option<String>,
    pub unit: Option<String>,
    pub execution: Execution,
    pub goals: Vec<GoalResult>,
    pub indicators: Vec<IndicatorResult>,
    pub total: Total,
    pub conclusion: Option<String>,
    pub problems: Option<String>,
    pub measures: Option<String>,
}

impl SelfEvaluation {
    pub fn new(layout: EvalLayout) -> Self {
        SelfEvaluation {
            schema: SCHEMA.to_owned(),
            form: FORM_NAME.to_owned(),
            layout,
            fiscal_year: None,
            department: None,
            budget_code: None,
            filled_by: None,
            phone: None,
            unit: None,
            execution: Execution::default(),
            goals: Vec::new(),
            indicators: Vec::new(),
            total: Total::default(),
            conclusion: None,
            problems: None,
            measures: None,
        }
    }

    /// Canonical JSON v1, pretty-printed, with a trailing newline.
    pub fn to_canonical_json(&self) -> String {
        // Plain structs of strings and numbers always serialise.
        let mut s = serde_json::to_string_pretty(self).expect("self-evaluation serialises");
        s.push('\n');
        s
    }
}

/// Where the parts of a self-evaluation stood in its file (1-based lines, or the
/// spreadsheet's row numbers): findings point there. Not part of the JSON contract.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct EvalSource {
    pub title: Option<u32>,
    pub department: Option<u32>,
    pub execution: Option<u32>,
    /// One line per indicator, in order.
    pub indicators: Vec<Option<u32>>,
    pub total: Option<u32>,
    pub grade: Option<u32>,
}

impl EvalSource {
    /// Where file-level findings point: the title, else the department's line.
    pub fn anchor(&self) -> Option<u32> {
        self.title.or(self.department)
    }

    pub fn indicator(&self, index: usize) -> Option<u32> {
        self.indicators.get(index).copied().flatten()
    }
}

/// A self-evaluation as the run keeps it: the form, where its rows stood, and the worksheet
/// it came from (for a workbook). Small, so kept whole (and in the build cache's records).
/// Its review and its pairing with its declaration are worked out once, by the rules, and
/// kept for the site (`Once`: not part of its identity or of the cache's records).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Evaluation {
    pub form: SelfEvaluation,
    pub source: EvalSource,
    pub sheet: Option<String>,
    #[serde(skip)]
    review: Once<Review>,
    #[serde(skip)]
    paired: Once<Paired>,
}

/// How a self-evaluation's indicators pair with those of one declaration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pairing {
    /// For each evaluated indicator, the index of its declared one.
    pub matched: Vec<Option<usize>>,
    /// Declared indicators nobody evaluated.
    pub dropped: Vec<usize>,
}

/// A pairing with the declaration it was made with (file and worksheet), and for each
/// evaluated indicator whether it changed the declared target it pairs with.
#[derive(Debug, Clone)]
struct Paired {
    declaration: (String, Option<String>),
    pairing: Pairing,
    changed: Vec<bool>,
}

impl Evaluation {
    pub fn new(form: SelfEvaluation, source: EvalSource, sheet: Option<String>) -> Self {
        Evaluation {
            form,
            source,
            sheet,
            review: Once::default(),
            paired: Once::default(),
        }
    }

    /// The tool's scoring of the form (contract §3), made on first use. The form must not
    /// change after that (nothing changes a form once read).
    pub fn review(&self) -> &Review {
        self.review
            .get_or_init(|| super::review::review(&self.form))
    }

    /// Keeps the pairing with the declaration of `file` and `sheet` (and which targets
    /// changed) for `paired_with` to give back.
    pub fn keep_pairing(
        &self,
        file: &str,
        sheet: Option<&str>,
        pairing: &Pairing,
        changed: &[bool],
    ) {
        self.paired.keep(Paired {
            declaration: (file.to_owned(), sheet.map(str::to_owned)),
            pairing: pairing.clone(),
            changed: changed.to_vec(),
        });
    }

    /// The pairing kept for the declaration of `file` and `sheet`, else `make`'s.
    pub fn paired_with(
        &self,
        file: &str,
        sheet: Option<&str>,
        make: impl FnOnce() -> (Pairing, Vec<bool>),
    ) -> (Pairing, Vec<bool>) {
        match self.paired.get() {
            Some(p) if p.declaration.0 == file && p.declaration.1.as_deref() == sheet => {
                (p.pairing.clone(), p.changed.clone())
            }
            _ => make(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The site takes over the rules' pairing only for the declaration the rules paired it
    /// with: another declaration of the year (a duplicate submission the department page shows
    /// instead) is paired anew.
    #[test]
    fn a_kept_pairing_is_given_back_for_its_own_declaration_only() {
        let e = Evaluation::new(
            SelfEvaluation::new(EvalLayout::National),
            EvalSource::default(),
            None,
        );
        let kept = Pairing {
            matched: vec![Some(1), None],
            dropped: vec![0],
        };
        let made = || (Pairing::default(), vec![false]);
        assert_eq!(
            e.paired_with("a.txt", None, made).1,
            vec![false],
            "nothing kept yet"
        );
        e.keep_pairing("a.txt", None, &kept, &[true, false]);
        assert_eq!(
            e.paired_with("a.txt", None, made),
            (kept.clone(), vec![true, false])
        );
        assert_eq!(
            e.paired_with("b.txt", None, made).0,
            Pairing::default(),
            "another file"
        );
        assert_eq!(
            e.paired_with("a.txt", Some("Sheet1"), made).0,
            Pairing::default(),
            "another sheet"
        );
        // Neither the review nor the pairing is part of the evaluation's identity.
        assert_eq!(
            e,
            Evaluation::new(
                SelfEvaluation::new(EvalLayout::National),
                EvalSource::default(),
                None
            )
        );
    }

    #[test]
    fn canonical_json_reads_back_and_keeps_numbers_as_written() {
        let mut e = SelfEvaluation::new(EvalLayout::National);
        e.fiscal_year = Some(2020);
        e.execution.adjusted_budget = Some("301.2".parse().unwrap());
        e.execution.weight = Some("10".parse().unwrap());
        e.execution.parts.push(FundPart {
            label: "财政拨款".into(),
            ..FundPart::default()
        });
        let json = e.to_canonical_json();
        assert!(json.contains("\"adjusted_budget\": 301.2,"), "{json}");
        assert!(json.contains("\"weight\": 10,"), "{json}");
        assert!(json.contains("\"layout\": \"national\""), "{json}");
        let back: SelfEvaluation = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
    }
}
