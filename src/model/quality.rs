//! The quality of a declaration's performance targets, a pure function of the declaration:
//! how many indicators, how many carry a measurable target, how much of the taxonomy they
//! cover, and the 0–100 score the site ranks departments by (the method page explains it).

use super::amounts::Amounts;
use super::taxonomy;
use super::Declaration;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// A target is measurable when it carries a number: `≥95%`, `100人次`, `3个`.
pub fn is_measurable(target: &str) -> bool {
    target.chars().any(crate::text::is_any_digit)
}

/// The quality of a declaration's performance targets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quality {
    pub goals: usize,
    pub indicators: usize,
    /// Indicators per goal.
    #[serde(with = "super::binary_decimal::option")]
    pub per_goal: Option<Decimal>,
    pub measurable: usize,
    /// Measurable targets ÷ indicators × 100.
    #[serde(with = "super::binary_decimal::option")]
    pub measurable_share: Option<Decimal>,
    /// Distinct level-2 categories of the taxonomy used (under a valid level 1).
    pub level2_coverage: usize,
    /// Goals with both an output indicator and a benefit or satisfaction indicator.
    pub complete_goals: usize,
    /// 0–100: 50 × measurable share + 25 × coverage (of 6 categories) + 15 × indicators per
    /// goal (of 3) + 10 × complete goals share. See the method page.
    #[serde(with = "super::binary_decimal")]
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
            output |= l1.is_some_and(taxonomy::is_output);
            benefit |= l1.is_some_and(taxonomy::is_benefit);
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
    let measurable_share = Amounts::percent(dec(measurable), dec(indicators));
    let coverage = categories.len().min(COVERAGE_TARGET);
    let score = measurable_share.unwrap_or_default() / Decimal::TWO
        + Decimal::from(25) * dec(coverage) / dec(COVERAGE_TARGET)
        + Decimal::from(5)
            * per_goal
                .unwrap_or_default()
                .min(Decimal::from(PER_GOAL_TARGET))
        + Amounts::percent(dec(complete_goals), dec(goals)).unwrap_or_default() / Decimal::TEN;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn measurable_targets_carry_a_number() {
        for t in ["≥95%", "100人次", "３个", "<=2天"] {
            assert!(is_measurable(t), "{t}");
        }
        for t in ["合格", "满意", "良好", "较好", "达标", "好", "有所提高"] {
            assert!(!is_measurable(t), "{t}");
        }
    }

    #[test]
    fn quality_of_the_real_sample() {
        let text = include_str!("../../tests/fixtures/sample/武汉市新洲区总工会-2020.txt");
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
}
