//! Rules on the performance goals and their indicators: `indicator-category` (the taxonomy),
//! `vague-target` (a target without a number), `missing-output` and `missing-benefit` (each
//! goal measures what it produces and what it achieves), `goal-mismatch` (as many indicator
//! tables as overall goals).
use super::Rules;
use crate::diagnostic::Code;
use crate::model::quality::is_measurable;
use crate::model::taxonomy;
use crate::model::Indicator;

impl Rules<'_> {
    pub(super) fn indicators(&mut self) {
        for (g, goal) in self.decl.goals.iter().enumerate() {
            let n = goal.label();
            let mut has_output = false;
            let mut has_benefit = false;
            for (i, ind) in goal.indicators.iter().enumerate() {
                let line = self.source.indicator(g, i);
                let l1 = ind.level1.as_deref().and_then(taxonomy::level1);
                has_output |= l1.is_some_and(taxonomy::is_output);
                has_benefit |= l1.is_some_and(taxonomy::is_benefit);
                self.category(&n, ind, l1, line);
                self.target(&n, ind, line);
            }
            let header = self.source.goal(g);
            let title = goal
                .name
                .as_deref()
                .map(|s| format!("（{s}）"))
                .unwrap_or_default();
            if !has_output {
                self.push(
                    Code::MissingOutput,
                    header,
                    format!("{n}{title}没有产出指标，请至少填写一项数量、质量、时效或成本指标"),
                );
            }
            if !has_benefit {
                self.push(
                    Code::MissingBenefit,
                    header,
                    format!("{n}{title}没有效益指标或满意度指标，请至少填写一项"),
                );
            }
        }
    }

    /// `indicator-category`: a level 1 of the taxonomy (`l1`, as `taxonomy::level1` read
    /// it), and a level 2 that belongs to it.
    fn category(&mut self, n: &str, ind: &Indicator, l1: Option<&str>, line: Option<u32>) {
        let name = ind.name.as_deref().unwrap_or("（未命名）");
        match (ind.level1.as_deref(), l1) {
            (None, _) => self.push(
                Code::IndicatorCategory,
                line,
                format!("{n}的指标“{name}”缺少一级指标，请填写产出指标、效益指标、满意度指标或成本指标"),
            ),
            (Some(raw), None) => self.push(
                Code::IndicatorCategory,
                line,
                format!("{n}的一级指标“{raw}”不在指标体系内，应为产出指标、效益指标、满意度指标或成本指标"),
            ),
            (Some(_), Some(l1)) => {
                let ok = ind.level2.as_deref().is_some_and(|l2| {
                    taxonomy::level2_of(l1).contains(&taxonomy::stem(l2).as_str())
                });
                if !ok {
                    let l2 = ind.level2.as_deref().unwrap_or("（空）");
                    self.push(
                        Code::IndicatorCategory,
                        line,
                        format!(
                            "{n}的二级指标“{l2}”不属于{l1}指标，应为{}",
                            taxonomy::describe_level2(l1)
                        ),
                    );
                }
            }
        }
    }

    /// `vague-target`: a target that carries a number (and a quantitative one must).
    fn target(&mut self, n: &str, ind: &Indicator, line: Option<u32>) {
        let name = ind.name.as_deref().unwrap_or("（未命名）");
        let quantitative = ind.is_quantitative() == Some(true);
        match ind.target.as_deref() {
            Some(t) if quantitative && !is_measurable(t) => self.push(
                Code::VagueTarget,
                line,
                format!(
                    "{n}的指标“{name}”是定量指标，但指标值“{t}”没有数值，请填写数值（如“≥95”并在计量单位中写明单位）"
                ),
            ),
            None => self.push(
                Code::VagueTarget,
                line,
                format!("{n}的指标“{name}”未填写预期当年实现值，请填写可衡量的数值"),
            ),
            Some(t) if !is_measurable(t) => self.push(
                Code::VagueTarget,
                line,
                format!("{n}的指标“{name}”预期值“{t}”不可衡量，请改为数值（如“≥95%”“100人次”）"),
            ),
            Some(_) => {}
        }
    }

    pub(super) fn goal_count(&mut self) {
        // One table for the whole department has no per-goal blocks to count.
        if self.decl.goals.iter().any(|g| g.number.is_none()) {
            return;
        }
        let declared = self.decl.overall_goals.len();
        let tables = self.decl.goals.len();
        if declared != tables {
            self.push(
                Code::GoalMismatch,
                self.source.overall_goals.or(self.source.goal(0)),
                format!(
                    "整体绩效目标列出 {declared} 个目标，但填写了 {tables} 个年度目标指标表，请使两者一一对应"
                ),
            );
        }
    }
}
