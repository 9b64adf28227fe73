//! The tool's own scoring of a self-evaluation (contract `self-evaluation-v1.md` §3), applied
//! to what the form says and published beside the department's score: execution score
//! (weight × min(B ÷ A, 1)), each indicator's score (quantitative: by how much the actual
//! reached the target; qualitative: the department's score capped to its weight), the review
//! score (复核得分), its grade and each indicator's band. Exact `Decimal` arithmetic, rounded
//! to two decimals half away from zero; no I/O.

use super::self_evaluation::{EvalLayout, IndicatorResult, SelfEvaluation};
use crate::text::to_half_width;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Rounds a score or a rate to two decimals, half away from zero.
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A grade of contract §3 (`优`/`良`/`中`/`差`); a bound belongs to the higher grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    Excellent,
    Good,
    Fair,
    Poor,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Fair, Grade::Poor];

    /// The grade of a total score: ≥ 90 优, 80–90 良, 60–80 中, < 60 差.
    pub fn of(score: Decimal) -> Grade {
        if score >= Decimal::from(90) {
            Grade::Excellent
        } else if score >= Decimal::from(80) {
            Grade::Good
        } else if score >= Decimal::from(60) {
            Grade::Fair
        } else {
            Grade::Poor
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }

    /// The grade a form writes (`优`, or `优秀`, `良好`, `合格`/`中`, `差`/`不合格`).
    pub fn from_written(s: &str) -> Option<Grade> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        match s.as_str() {
            "优" | "优秀" => Some(Grade::Excellent),
            "良" | "良好" => Some(Grade::Good),
            "中" | "合格" | "及格" | "一般" => Some(Grade::Fair),
            "差" | "不合格" | "不及格" => Some(Grade::Poor),
            _ => None,
        }
    }
}

/// How far an indicator got, by the tool's score against its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Band {
    /// ≥ 80% of the weight.
    Reached,
    /// 60–80% of the weight.
    Partly,
    /// < 60% of the weight.
    Missed,
}

impl Band {
    pub fn of(score: Decimal, weight: Decimal) -> Option<Band> {
        if weight <= Decimal::ZERO {
            return None;
        }
        let share = score / weight;
        Some(if share >= Decimal::new(8, 1) {
            Band::Reached
        } else if share >= Decimal::new(6, 1) {
            Band::Partly
        } else {
            Band::Missed
        })
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Band::Reached => "达成",
            Band::Partly => "部分达成",
            Band::Missed => "未达成",
        }
    }

    /// The class name the site styles the band with.
    pub fn key(self) -> &'static str {
        match self {
            Band::Reached => "reached",
            Band::Partly => "partly",
            Band::Missed => "missed",
        }
    }
}

/// Which way an indicator is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// A target or actual read as one number: its direction (`≥150人` → `≥`), value and unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    pub better: Better,
    pub value: Decimal,
    pub unit: String,
}

/// Reads `≥150人`, `162人`, `≤ 3天`, `98.5%`, `=100%` as one number with its direction and
/// unit. Not a quantity: no number, two numbers (`12月31日前`), a date (`2020年底`), or text
/// before the number other than a direction.
pub fn quantity(cell: &str, direction: Option<&str>, unit: Option<&str>) -> Option<Quantity> {
    let half: String = to_half_width(cell)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (dir_in_cell, rest) = split_direction(&half);
    let better = match direction.map(|d| to_half_width(d.trim())) {
        Some(d) if d.contains("定性") => return None,
        Some(d) if !d.is_empty() && !d.contains("定量") => direction_of(&d)?,
        _ => dir_in_cell.unwrap_or(Better::Higher),
    };
    let digits_end = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(rest.len(), |(i, _)| i);
    let (number, suffix) = rest.split_at(digits_end);
    let value: Decimal = number.replace(',', "").parse().ok()?;
    if suffix.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let date_words = ["年", "月", "日", "号", "季度", "周"];
    if date_words.iter().any(|w| suffix.starts_with(w)) {
        return None;
    }
    let own_unit = suffix.to_owned();
    let unit = match unit.map(|u| to_half_width(u.trim())) {
        Some(u) if !u.is_empty() && own_unit.is_empty() => u,
        _ => own_unit,
    };
    Some(Quantity {
        better,
        value,
        unit,
    })
}

fn split_direction(s: &str) -> (Option<Better>, &str) {
    const DIRECTIONS: [(&str, Better); 11] = [
        (">=", Better::Higher),
        ("<=", Better::Lower),
        ("≥", Better::Higher),
        ("≤", Better::Lower),
        ("≧", Better::Higher),
        ("≦", Better::Lower),
        (">", Better::Higher),
        ("<", Better::Lower),
        ("=", Better::Higher),
        ("大于等于", Better::Higher),
        ("小于等于", Better::Lower),
    ];
    for (word, better) in DIRECTIONS {
        if let Some(rest) = s.strip_prefix(word) {
            return (Some(better), rest);
        }
    }
    (None, s)
}

/// A `指标性质` cell: `≥`, `＞`, `=` higher is better; `≤`, `＜` lower.
fn direction_of(d: &str) -> Option<Better> {
    match split_direction(d) {
        (Some(b), "") => Some(b),
        _ => None,
    }
}

/// The tool's reading of one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndicatorReview {
    /// Whether target and actual were read as comparable numbers.
    pub quantitative: bool,
    /// The tool's score (`None` without a weight).
    pub score: Option<Decimal>,
    pub band: Option<Band>,
}

/// The tool's scoring of a whole form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Review {
    /// B ÷ A in percent, two decimals (`None` without both amounts or when A is 0).
    pub rate_percent: Option<Decimal>,
    pub execution_score: Option<Decimal>,
    pub indicators: Vec<IndicatorReview>,
    /// 复核得分: execution score + every indicator's score.
    pub score: Decimal,
    pub grade: Grade,
}

/// B ÷ A, unrounded, when both are there and A is not 0.
pub fn execution_rate(e: &SelfEvaluation) -> Option<Decimal> {
    let (a, b) = (e.execution.adjusted_budget?, e.execution.executed?);
    (!a.is_zero()).then(|| b / a)
}

/// The tool's score of one indicator (contract §3).
pub fn indicator(i: &IndicatorResult, layout: EvalLayout) -> IndicatorReview {
    let (direction, unit) = match layout {
        EvalLayout::Sichuan => (i.direction.as_deref(), i.unit.as_deref()),
        EvalLayout::National => (None, None),
    };
    let target = i
        .target
        .as_deref()
        .and_then(|t| quantity(t, direction, unit));
    let actual = i.actual.as_deref().and_then(|a| quantity(a, None, unit));
    let pair = match (target, actual) {
        (Some(t), Some(a)) if t.unit == a.unit || t.unit.is_empty() || a.unit.is_empty() => {
            Some((t, a))
        }
        _ => None,
    };
    let score = match (&pair, i.weight) {
        (Some((t, a)), Some(weight)) => {
            let share = match t.better {
                Better::Higher if t.value.is_zero() => Decimal::ONE,
                Better::Higher => (a.value / t.value).min(Decimal::ONE),
                Better::Lower if a.value.is_zero() => Decimal::ONE,
                Better::Lower => (t.value / a.value).min(Decimal::ONE),
            };
            Some(round2(weight * share))
        }
        (None, Some(weight)) => Some(
            i.score
                .unwrap_or(Decimal::ZERO)
                .clamp(Decimal::ZERO, weight.max(Decimal::ZERO)),
        ),
        (_, None) => None,
    };
    let band = score.zip(i.weight).and_then(|(s, w)| Band::of(s, w));
    IndicatorReview {
        quantitative: pair.is_some(),
        score,
        band,
    }
}

/// The tool's scoring of the whole form.
pub fn review(e: &SelfEvaluation) -> Review {
    let rate = execution_rate(e);
    let execution_score = rate
        .zip(e.execution.weight)
        .map(|(r, w)| round2(w * r.min(Decimal::ONE)));
    let indicators: Vec<IndicatorReview> = e
        .indicators
        .iter()
        .map(|i| indicator(i, e.layout))
        .collect();
    let score = execution_score.unwrap_or_default()
        + indicators.iter().filter_map(|i| i.score).sum::<Decimal>();
    Review {
        rate_percent: rate.map(|r| round2(r * Decimal::ONE_HUNDRED)),
        execution_score,
        indicators,
        score,
        grade: Grade::of(score),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn ind(target: &str, actual: &str, weight: &str, score: &str) -> IndicatorResult {
        IndicatorResult {
            target: Some(target.into()),
            actual: Some(actual.into()),
            weight: Some(d(weight)),
            score: Some(d(score)),
            ..IndicatorResult::default()
        }
    }

    #[test]
    fn quantities_read_direction_number_and_unit() {
        let q = quantity("≥150人", None, None).unwrap();
        assert_eq!(
            (q.better, q.value, q.unit.as_str()),
            (Better::Higher, d("150"), "人")
        );
        let q = quantity("≤ 3 天", None, None).unwrap();
        assert_eq!(
            (q.better, q.value, q.unit.as_str()),
            (Better::Lower, d("3"), "天")
        );
        assert_eq!(quantity("９８.５％", None, None).unwrap().value, d("98.5"));
        assert_eq!(quantity("合格", None, None), None);
        assert_eq!(quantity("12月31日前", None, None), None, "two numbers");
        assert_eq!(quantity("2020年底", None, None), None, "a date");
        assert_eq!(
            quantity("约100人", None, None),
            None,
            "text before the number"
        );
        // Sichuan: direction and unit in their own columns.
        let q = quantity("5", Some("≤"), Some("天")).unwrap();
        assert_eq!((q.better, q.unit.as_str()), (Better::Lower, "天"));
        assert_eq!(quantity("100", Some("定性"), None), None);
    }

    #[test]
    fn indicator_scores_worked_by_hand() {
        let n = EvalLayout::National;
        // 162 of ≥150: share 1 → the whole weight 7.
        let r = indicator(&ind("≥150人", "162人", "7", "7"), n);
        assert_eq!((r.quantitative, r.score), (true, Some(d("7"))));
        assert_eq!(r.band, Some(Band::Reached));
        // 120 of ≥150: 0.8 × 10 = 8, exactly the 达成 bound.
        let r = indicator(&ind("≥150人", "120人", "10", "10"), n);
        assert_eq!((r.score, r.band), (Some(d("8")), Some(Band::Reached)));
        // 100 of 150: 6 × 2/3 = 4 → 4.00; 4/6 = 0.667 部分达成.
        let r = indicator(&ind("150", "100", "6", "6"), n);
        assert_eq!((r.score, r.band), (Some(d("4.00")), Some(Band::Partly)));
        // Lower is better: ≤3 days, took 4 → 3/4 × 8 = 6; took 0 → the whole weight.
        let r = indicator(&ind("≤3天", "4天", "8", "8"), n);
        assert_eq!(r.score, Some(d("6")));
        assert_eq!(
            indicator(&ind("≤3天", "0天", "8", "1"), n).score,
            Some(d("8"))
        );
        // 7 × 1/3 = 2.333… → 2.33; 2.33/7 = 0.33 未达成.
        let r = indicator(&ind("3", "1", "7", "7"), n);
        assert_eq!((r.score, r.band), (Some(d("2.33")), Some(Band::Missed)));
        // Units differ: qualitative, the department's score stands.
        let r = indicator(&ind("≥150人", "162户", "7", "6.5"), n);
        assert_eq!((r.quantitative, r.score), (false, Some(d("6.5"))));
        // Qualitative: capped to [0, weight].
        assert_eq!(
            indicator(&ind("合格", "合格", "6", "9"), n).score,
            Some(d("6"))
        );
        assert_eq!(
            indicator(&ind("合格", "差", "6", "-1"), n).score,
            Some(d("0"))
        );
        let r = indicator(&ind("合格", "基本合格", "6", "4.8"), n);
        assert_eq!((r.score, r.band), (Some(d("4.8")), Some(Band::Reached)));
        // Sichuan: the direction column decides.
        let mut s = ind("5", "6", "10", "10");
        s.direction = Some("≤".into());
        s.unit = Some("天".into());
        let r = indicator(&s, EvalLayout::Sichuan);
        // 5/6 × 10 = 8.333… → 8.33.
        assert_eq!(r.score, Some(d("8.33")));
    }

    #[test]
    fn grades_and_bands_keep_bounds_in_the_higher_class() {
        assert_eq!(Grade::of(d("90")), Grade::Excellent);
        assert_eq!(Grade::of(d("89.99")), Grade::Good);
        assert_eq!(Grade::of(d("80")), Grade::Good);
        assert_eq!(Grade::of(d("60")), Grade::Fair);
        assert_eq!(Grade::of(d("59.99")), Grade::Poor);
        assert_eq!(Band::of(d("6"), d("10")), Some(Band::Partly));
        assert_eq!(Band::of(d("5.99"), d("10")), Some(Band::Missed));
        assert_eq!(Band::of(d("1"), d("0")), None);
        assert_eq!(Grade::from_written(" 优 "), Some(Grade::Excellent));
        assert_eq!(Grade::from_written("良好"), Some(Grade::Good));
        assert_eq!(Grade::from_written("甲"), None);
    }

    #[test]
    fn review_of_a_form_worked_by_hand() {
        let mut e = SelfEvaluation::new(EvalLayout::National);
        e.execution.adjusted_budget = Some(d("301.2"));
        e.execution.executed = Some(d("295.67"));
        e.execution.weight = Some(d("10"));
        e.indicators = vec![
            ind("≥150人", "162人", "50", "50"),
            ind("合格", "基本合格", "40", "30"),
        ];
        let r = review(&e);
        // 295.67 / 301.2 = 0.981640…: 98.16%, 10 × 0.98164 = 9.8164 → 9.82.
        assert_eq!(r.rate_percent, Some(d("98.16")));
        assert_eq!(r.execution_score, Some(d("9.82")));
        // 9.82 + 50 + 30 = 89.82: 良.
        assert_eq!(r.score, d("89.82"));
        assert_eq!(r.grade, Grade::Good);
        // Over-execution counts as full.
        e.execution.executed = Some(d("400"));
        assert_eq!(review(&e).execution_score, Some(d("10")));
        e.execution.adjusted_budget = Some(Decimal::ZERO);
        assert_eq!(review(&e).execution_score, None);
    }
}
