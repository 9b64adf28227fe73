//! The rules of a self-evaluation (contract `self-evaluation-v1.md` §4). `validate` checks one
//! form: `missing-field`, `negative-amount`, `execution-rate`, `score-over-weight`,
//! `weights-sum`, `total-sum`, `grade`, `score-above-rule` (against `model::review`, §3) and
//! `missing-reason`. `cross` matches each self-evaluation to the declaration of the same
//! department (aliases applied) and year, from the declarations' `Facts`: `no-declaration`,
//! `initial-budget-mismatch`, `target-changed`, `target-dropped`, `target-added`, and
//! `duplicate-submission` between two self-evaluations. Rules only add diagnostics.

use super::cross::Entry;
use super::{fmt_amount, money_tolerance};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::identity::Aliases;
use crate::model::review::{self, Grade};
use crate::model::self_evaluation::{EvalLayout, Evaluation, IndicatorResult, SelfEvaluation};
use crate::model::Row;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Score and rate differences up to this are rounding (0.01 point or percentage point).
fn tolerance() -> Decimal {
    Decimal::new(1, 2)
}

/// A number as the form writes it (`98.62`, `10`).
fn n(d: Decimal) -> String {
    d.normalize().to_string()
}

/// How findings name an indicator: `指标“服务对象满意”`.
fn indicator_name(i: &IndicatorResult, index: usize) -> String {
    match i.name.as_deref() {
        Some(name) => format!("指标“{name}”"),
        None => format!("第 {} 个指标", index + 1),
    }
}

/// What is scored against a weight: its name, line, score and weight.
type Scored = (String, Option<u32>, Option<Decimal>, Option<Decimal>);

/// Every single-form rule.
pub fn validate(e: &Evaluation, file: &str) -> Vec<Diagnostic> {
    let form = &e.form;
    let src = &e.source;
    let mut out = Vec::new();
    let mut push = |code: Code, line: Option<u32>, message: String| {
        out.push(
            Diagnostic::new(code, file, message)
                .at(line)
                .in_sheet(e.sheet.as_deref()),
        );
    };
    // missing-field
    if form
        .department
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        push(
            Code::MissingField,
            src.anchor(),
            "自评表未填写部门名称，请填写单位全称".to_owned(),
        );
    }
    if form.fiscal_year.is_none() {
        push(
            Code::MissingField,
            src.anchor(),
            "自评表标题中没有年度（如“2020年度部门整体支出绩效自评表”），请补填".to_owned(),
        );
    }
    let x = &form.execution;
    for (what, value) in [
        ("全年预算数", x.adjusted_budget),
        ("全年执行数", x.executed),
    ] {
        if value.is_none() {
            push(
                Code::MissingField,
                src.execution.or(src.anchor()),
                format!("年度资金总额的{what}未填写，请补填"),
            );
        }
    }
    // negative-amount
    let mut amounts = vec![(
        "年度资金总额".to_owned(),
        [x.initial_budget, x.adjusted_budget, x.executed],
    )];
    amounts.extend(x.parts.iter().map(|p| {
        (
            p.label.clone(),
            [p.initial_budget, p.adjusted_budget, p.executed],
        )
    }));
    for (label, values) in amounts {
        for (what, v) in ["年初预算数", "全年预算数", "全年执行数"]
            .iter()
            .zip(values)
        {
            if let Some(v) = v.filter(|v| v.is_sign_negative() && !v.is_zero()) {
                push(
                    Code::NegativeAmount,
                    src.execution,
                    format!(
                        "{label}（{what}）为负数 {}，金额不能小于零，请核对",
                        fmt_amount(v)
                    ),
                );
            }
        }
    }
    // execution-rate
    let rate = review::execution_rate(form);
    if let (Some(written), Some(rate)) = (x.rate_percent, rate) {
        let computed = rate * Decimal::ONE_HUNDRED;
        if (written - computed).abs() > tolerance() {
            push(
                Code::ExecutionRate,
                src.execution,
                format!(
                    "预算执行率填写 {}%，按全年执行数 ÷ 全年预算数计算应为 {}%（{} ÷ {}），请核对",
                    n(written),
                    review::round2(computed),
                    fmt_amount(x.executed.unwrap_or_default()),
                    fmt_amount(x.adjusted_budget.unwrap_or_default())
                ),
            );
        }
    }
    // score-over-weight
    let mut scored: Vec<Scored> = vec![("预算执行".to_owned(), src.execution, x.score, x.weight)];
    scored.extend(
        form.indicators
            .iter()
            .enumerate()
            .map(|(k, i)| (indicator_name(i, k), src.indicator(k), i.score, i.weight)),
    );
    scored.push((
        "总分".to_owned(),
        src.total,
        form.total.score,
        form.total.weight,
    ));
    let mut over = vec![false; scored.len()];
    for (k, (what, line, score, weight)) in scored.iter().enumerate() {
        let Some(score) = *score else { continue };
        let above = weight.is_some_and(|w| score > w);
        if score.is_sign_negative() && !score.is_zero() || above {
            over[k] = true;
            push(
                Code::ScoreOverWeight,
                *line,
                format!(
                    "{what}得分 {} 超出范围（应在 0 到分值 {} 之间），请核对",
                    n(score),
                    weight.map_or("（未填）".to_owned(), n)
                ),
            );
        }
    }
    // weights-sum
    if let Some(total) = form.total.weight {
        let sum: Decimal = x.weight.unwrap_or_default()
            + form
                .indicators
                .iter()
                .filter_map(|i| i.weight)
                .sum::<Decimal>();
        if (sum - total).abs() > tolerance() {
            push(
                Code::WeightsSum,
                src.total,
                format!(
                    "预算执行分值 {} 与各指标分值之和为 {}，与总分的分值 {} 不符，请核对",
                    n(x.weight.unwrap_or_default()),
                    n(sum),
                    n(total)
                ),
            );
        }
    }
    // total-sum
    if let Some(total) = form.total.score {
        let sum: Decimal = x.score.unwrap_or_default()
            + form
                .indicators
                .iter()
                .filter_map(|i| i.score)
                .sum::<Decimal>();
        if (sum - total).abs() > tolerance() {
            push(
                Code::TotalSum,
                src.total,
                format!(
                    "自评得分填写 {}，但预算执行得分与各指标得分之和为 {}，请核对",
                    n(total),
                    n(sum)
                ),
            );
        }
    }
    // grade
    if let (Some(written), Some(total)) = (form.total.grade.as_deref(), form.total.score) {
        let due = Grade::of(total);
        match Grade::from_written(written) {
            Some(g) if g == due => {}
            Some(_) => push(
                Code::GradeMismatch,
                src.grade.or(src.total),
                format!(
                    "自评等级填写“{written}”，但自评得分 {} 对应的等级是“{}”（≥90 优，80–90 良，60–80 中，<60 差）",
                    n(total),
                    due.label_zh()
                ),
            ),
            None => push(
                Code::GradeMismatch,
                src.grade.or(src.total),
                format!(
                    "自评等级填写“{written}”，应为优、良、中、差之一（自评得分 {} 对应“{}”）",
                    n(total),
                    due.label_zh()
                ),
            ),
        }
    }
    // score-above-rule
    let reviewed = e.review();
    if let (Some(written), Some(due)) = (x.score, reviewed.execution_score) {
        if written - due > tolerance() && !over[0] {
            push(
                Code::ScoreAboveRule,
                src.execution,
                format!(
                    "预算执行得分填写 {}，按分值 × 执行率（最高 100%）计算应为 {}，自评偏高",
                    n(written),
                    n(due)
                ),
            );
        }
    }
    for (k, (i, r)) in form.indicators.iter().zip(&reviewed.indicators).enumerate() {
        if let (Some(written), Some(due), true) = (i.score, r.score, r.quantitative) {
            if written - due > tolerance() && !over[k + 1] {
                push(
                    Code::ScoreAboveRule,
                    src.indicator(k),
                    format!(
                        "{}得分填写 {}，按实际完成值“{}”与年度指标值“{}”的比例计算应为 {}，自评偏高",
                        indicator_name(i, k),
                        n(written),
                        i.actual.as_deref().unwrap_or_default(),
                        i.target.as_deref().unwrap_or_default(),
                        n(due)
                    ),
                );
            }
        }
    }
    // missing-reason
    for (k, i) in form.indicators.iter().enumerate() {
        let short = matches!((i.score, i.weight), (Some(s), Some(w)) if s < w);
        if short && i.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            push(
                Code::MissingReason,
                src.indicator(k),
                format!(
                    "{}得分 {} 低于分值 {}，但未填写偏差原因分析及改进措施，请说明原因",
                    indicator_name(i, k),
                    n(i.score.unwrap_or_default()),
                    n(i.weight.unwrap_or_default())
                ),
            );
        }
    }
    let rate_percent = x.rate_percent.or(rate.map(|r| r * Decimal::ONE_HUNDRED));
    if let Some(r) = rate_percent {
        if form.layout.has_execution_reason()
            && r < Decimal::from(90)
            && x.reason.as_deref().is_none_or(|t| t.trim().is_empty())
        {
            push(
                Code::MissingReason,
                src.execution,
                format!(
                    "预算执行率 {}% 低于 90%，但未填写原因，请说明",
                    review::round2(r)
                ),
            );
        }
    }
    out
}

/// A self-evaluation with the file it came from, as the cross-file rules see it.
pub struct Evaluated<'a> {
    pub file: &'a str,
    pub evaluation: &'a Evaluation,
}

/// A name as indicators are matched: half-width, no whitespace or punctuation, no trailing
/// `指标`.
pub fn match_key(s: &str) -> String {
    // One pass, one allocation: every indicator of every self-evaluation is keyed, on both
    // sides of the pairing.
    let mut k = String::with_capacity(s.len());
    k.extend(
        half_width_chars(s)
            .filter(|c| !(c.is_whitespace() || c.is_ascii_punctuation() || is_cjk_punctuation(*c))),
    );
    if k.ends_with("指标") {
        k.truncate(k.len() - "指标".len());
    }
    k
}

/// `s` half-width, a character at a time (`text::to_half_width` without its `String`).
fn half_width_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().map(crate::text::half_width)
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{3000}'..='\u{303f}' | '“' | '”' | '‘' | '’' | '…' | '—' | '·'
    )
}

/// Whether an evaluated target is the declared one (half-width, spaces ignored). Compared a
/// character at a time: every paired indicator is compared on the page, in the downloads and
/// by `target-changed`.
pub fn same_target(evaluated: &str, declared: &str) -> bool {
    let key = |s| half_width_chars(s).filter(|c: &char| !c.is_whitespace());
    key(evaluated).eq(key(declared))
}

/// An evaluated indicator's target as one text: Sichuan's `指标性质`, `指标值` and `度量单位`
/// together (`≥` `150` `人` → `≥150人`), as a declaration writes it.
pub fn evaluated_target(i: &IndicatorResult, layout: EvalLayout) -> Option<String> {
    let target = i.target.as_deref()?.trim();
    if layout != EvalLayout::Sichuan {
        return Some(target.to_owned());
    }
    let direction = i
        .direction
        .as_deref()
        .map(str::trim)
        // `=` is the plain target (`95%` is `= 95%`).
        .filter(|d| !d.contains("定性") && !d.contains("定量") && !matches!(*d, "=" | "＝"))
        .unwrap_or("");
    let unit = i.unit.as_deref().map(str::trim).unwrap_or("");
    let unit = if target.ends_with(unit) { "" } else { unit };
    Some(format!("{direction}{target}{unit}"))
}

/// For each evaluated indicator, whether it pairs with a declared one whose target
/// (`declared_target` of the declared index) it changed: the `target-changed` rule's
/// question, one definition for the rule and the site.
pub fn changed_targets<'d>(
    form: &SelfEvaluation,
    pairing: &Pairing,
    declared_target: impl Fn(usize) -> &'d str,
) -> Vec<bool> {
    form.indicators
        .iter()
        .zip(&pairing.matched)
        .map(|(i, m)| {
            m.is_some_and(|j| {
                let now = evaluated_target(i, form.layout).unwrap_or_default();
                !same_target(&now, declared_target(j))
            })
        })
        .collect()
}

pub use crate::model::self_evaluation::Pairing;

/// Pairs evaluated indicators `(level1, name)` with declared ones: same level-1 and name
/// first, then the name alone; never one declared indicator to two; in order of appearance.
pub fn pair<'a>(
    evaluated: &[(Option<&'a str>, Option<&'a str>)],
    declared: &[(Option<&'a str>, Option<&'a str>)],
) -> Pairing {
    // Each key once: the search below compares every evaluated indicator with every declared
    // one, twice, and keying inside it allocated four strings per comparison.
    let keys = |side: &[(Option<&str>, Option<&str>)]| -> Vec<(String, String)> {
        let key = |s: Option<&str>| s.map(match_key).unwrap_or_default();
        side.iter()
            .map(|(l1, name)| (key(*l1), key(*name)))
            .collect()
    };
    let (evaluated, declared) = (keys(evaluated), keys(declared));
    let mut used = vec![false; declared.len()];
    let mut matched = vec![None; evaluated.len()];
    for same_level1 in [true, false] {
        for (k, (l1, name)) in evaluated.iter().enumerate() {
            if matched[k].is_some() || name.is_empty() {
                continue;
            }
            let found = declared.iter().enumerate().position(|(j, (dl1, dname))| {
                !used[j] && dname == name && (!same_level1 || dl1 == l1)
            });
            if let Some(j) = found {
                used[j] = true;
                matched[k] = Some(j);
            }
        }
    }
    Pairing {
        matched,
        dropped: (0..declared.len()).filter(|j| !used[*j]).collect(),
    }
}

/// `pair` of a self-evaluation's indicators with declared `(level1, name)` rows.
pub fn pair_with<'a>(
    form: &'a SelfEvaluation,
    declared: impl Iterator<Item = (&'a str, &'a str)>,
) -> Pairing {
    let evaluated: Vec<(Option<&str>, Option<&str>)> = form
        .indicators
        .iter()
        .map(|i| (i.level1.as_deref(), i.name.as_deref()))
        .collect();
    let declared: Vec<(Option<&str>, Option<&str>)> =
        declared.map(|(l1, name)| (Some(l1), Some(name))).collect();
    pair(&evaluated, &declared)
}

/// A declared indicator as the matching rules need it.
struct Declared<'a> {
    level1: &'a str,
    name: &'a str,
    target: &'a str,
}

/// The cross-file rules of self-evaluations against the declarations read in the same run.
pub fn cross(
    evaluations: &[Evaluated<'_>],
    declarations: &[Entry<'_>],
    aliases: &Aliases,
) -> Vec<Diagnostic> {
    let mut evaluated: BTreeMap<(String, i32), Vec<&Evaluated<'_>>> = BTreeMap::new();
    for e in evaluations {
        let form = &e.evaluation.form;
        if let (Some(name), Some(year)) = (&form.department, form.fiscal_year) {
            let key = aliases.key(name);
            if !key.is_empty() {
                evaluated.entry((key, year)).or_default().push(e);
            }
        }
    }
    if evaluated.is_empty() {
        return Vec::new();
    }
    // Only the evaluated department-years are looked up: the declarations keyed in parallel
    // (a serial pass over every declaration was 17 ms of a rebuild at 60,000 forms, run with
    // no self-evaluation at all), and only those of an evaluated key kept, in order.
    let keyed: Vec<((String, i32), &Entry<'_>)> = declarations
        .par_iter()
        .filter_map(|d| match (&d.facts.department, d.facts.fiscal_year) {
            (Some(name), Some(year)) => Some(((aliases.key(name), year), d)),
            _ => None,
        })
        .filter(|(key, _)| evaluated.contains_key(key))
        .collect();
    let mut by_key: BTreeMap<(String, i32), Vec<&Entry<'_>>> = BTreeMap::new();
    for (key, d) in keyed {
        by_key.entry(key).or_default().push(d);
    }
    // Each department-year on its own: the pairing and the target comparisons are most of a
    // self-evaluation's cost after reading, and this runs once over the whole input.
    let groups: Vec<(&(String, i32), &Vec<&Evaluated<'_>>)> = evaluated.iter().collect();
    groups
        .par_iter()
        .flat_map_iter(|&(at, same)| {
            let mut out = Vec::new();
            cross_one(&mut out, at, same, &by_key);
            out
        })
        .collect()
}

/// The cross-file findings of the self-evaluations of one department and year.
fn cross_one(
    out: &mut Vec<Diagnostic>,
    at: &(String, i32),
    same: &[&Evaluated<'_>],
    by_key: &BTreeMap<(String, i32), Vec<&Entry<'_>>>,
) {
    let year = at.1;
    for e in same {
        let form = &e.evaluation.form;
        let src = &e.evaluation.source;
        let sheet = e.evaluation.sheet.as_deref();
        let department = form.department.as_deref().unwrap_or_default();
        let mut push = |code: Code, line: Option<u32>, message: String| {
            out.push(
                Diagnostic::new(code, e.file, message)
                    .at(line)
                    .in_sheet(sheet),
            );
        };
        if same.len() > 1 {
            let others: Vec<&str> = same
                .iter()
                .filter(|o| o.file != e.file || o.evaluation.sheet != e.evaluation.sheet)
                .map(|o| o.file)
                .collect();
            push(
                Code::DuplicateSubmission,
                src.anchor(),
                format!(
                    "{department}的{year}年度自评表重复提交，另见：{}；请只保留一份",
                    others.join("、")
                ),
            );
        }
        let Some(declaration) = by_key.get(at).and_then(|v| v.first()) else {
            push(
                Code::NoDeclaration,
                src.anchor(),
                format!(
                    "没有找到{department}{year}年度的绩效目标申报表，无法核对自评的指标和预算；请一并提交申报表（更名的部门请在 site.toml 的 [aliases] 中登记）"
                ),
            );
            continue;
        };
        let facts = declaration.facts;
        // initial-budget-mismatch
        let declared_total = facts
            .has_expenditure
            .then(|| facts.row(Row::ExpenditureTotal).budget)
            .flatten();
        if let (Some(initial), Some(declared)) = (form.execution.initial_budget, declared_total) {
            if (initial - declared).abs() > money_tolerance() {
                push(
                    Code::InitialBudgetMismatch,
                    src.execution,
                    format!(
                        "年初预算数 {} 与申报表（{}）的{year}年支出预算合计 {} 不符，相差 {}，请核对",
                        fmt_amount(initial),
                        declaration.file,
                        fmt_amount(declared),
                        fmt_amount((initial - declared).abs())
                    ),
                );
            }
        }
        // The indicators.
        let declared: Vec<Declared<'_>> = facts
            .search
            .named_indicators()
            .map(|i| Declared {
                level1: i.level1,
                name: i.name,
                target: i.target,
            })
            .collect();
        let pairing = pair_with(form, declared.iter().map(|d| (d.level1, d.name)));
        let changed = changed_targets(form, &pairing, |j| declared[j].target);
        // The site shows the same comparison (`analyze::self_eval`): made once.
        e.evaluation
            .keep_pairing(declaration.file, declaration.sheet, &pairing, &changed);
        for (k, (i, m)) in form.indicators.iter().zip(&pairing.matched).enumerate() {
            match m {
                Some(j) => {
                    let d = &declared[*j];
                    if changed[k] {
                        let now = evaluated_target(i, form.layout).unwrap_or_default();
                        push(
                            Code::TargetChanged,
                            src.indicator(k),
                            format!(
                                "{}的年度指标值“{now}”与申报表（{}）的预期当年实现值“{}”不一致；自评应按申报的目标评价，调整目标须说明依据",
                                indicator_name(i, k),
                                declaration.file,
                                d.target
                            ),
                        );
                    }
                }
                None if i.name.is_some() => push(
                    Code::TargetAdded,
                    src.indicator(k),
                    format!(
                        "{}在申报表（{}）中没有对应的申报指标；新增指标请说明依据，或核对指标名称",
                        indicator_name(i, k),
                        declaration.file
                    ),
                ),
                None => {}
            }
        }
        for j in &pairing.dropped {
            let d = &declared[*j];
            push(
                Code::TargetDropped,
                src.anchor(),
                format!(
                    "申报表（{}）中的指标“{}”（{}，预期当年实现值“{}”）在自评表中没有评价，请补充其完成情况",
                    declaration.file, d.name, d.level1, d.target
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicators_pair_by_level1_and_name_then_name_alone_in_order() {
        let ev = [
            (Some("产出指标"), Some("服务对象满意")),
            (Some("效益指标"), Some("服务对象 满意")),
            (Some("效益指标"), Some("服务对象满意度")),
            (Some("效益指标"), Some("新指标")),
        ];
        let dc = [
            (Some("效益指标"), Some("服务对象满意")),
            (Some("效益指标"), Some("服务对象满意")),
            (Some("效益指标"), Some("服务对象满意度指标")),
            (Some("产出指标"), Some("被删除")),
        ];
        let p = pair(&ev, &dc);
        // The first evaluated row has another level 1: it pairs by name alone, after the
        // second took the first declared row by level 1 and name.
        assert_eq!(p.matched, [Some(1), Some(0), Some(2), None]);
        assert_eq!(p.dropped, [3]);
        assert_eq!(match_key("“服务对象”满意度指标"), "服务对象满意度");
    }

    #[test]
    fn a_sichuan_target_is_compared_as_one_text() {
        let i = IndicatorResult {
            direction: Some("≥".into()),
            target: Some("150".into()),
            unit: Some("人".into()),
            ..IndicatorResult::default()
        };
        assert_eq!(
            evaluated_target(&i, EvalLayout::Sichuan).as_deref(),
            Some("≥150人")
        );
        assert_eq!(
            evaluated_target(&i, EvalLayout::National).as_deref(),
            Some("150")
        );
    }
}
