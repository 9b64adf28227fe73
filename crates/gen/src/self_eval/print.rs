//! Printing a self-evaluation: planting a rule's error into it, the sheet in the `national`
//! or `sichuan` layout, and the canonical JSON the reader must give for it.

use super::*;

/// Plants `code` into a clean form; what it changed, for the truth.
pub(crate) fn plant(e: &mut Eval, code: &str, rng: &mut Rng) {
    let qualitative = e.inds.iter().position(|i| i.quant.is_none());
    match code {
        "execution-rate" => e.rate += 200,
        "score-over-weight" => {
            match qualitative {
                Some(k) => e.inds[k].score = e.inds[k].weight + 100,
                None => e.exec_score = e.exec_weight + 100,
            }
            e.settle();
        }
        "weights-sum" => e.total_weight += 100,
        "total-sum" => {
            e.total_score += 100;
            e.grade = grade_of(e.total_score).to_owned();
        }
        "grade" => {
            let other = ["优", "良", "中", "差"]
                .into_iter()
                .find(|g| *g != e.grade)
                .unwrap_or("差");
            e.grade = other.to_owned();
        }
        "score-above-rule" => {
            // Full marks claimed for a target not reached; without such an indicator, full
            // execution marks for 98% execution.
            let short = e
                .inds
                .iter()
                .position(|i| i.quant.is_some() && i.rule_score() < i.weight);
            if let Some(k) = short {
                e.inds[k].score = e.inds[k].weight;
                e.inds[k].reason = None;
                e.settle();
                return;
            }
            e.executed = e.adjusted * 98 / 100;
            e.rate = round_div(i128::from(e.executed) * 10000, i128::from(e.adjusted)) as i64;
            e.exec_score = e.exec_weight;
            e.exec_reason = None;
            e.settle();
        }
        "missing-reason" => {
            let k = match e.inds.iter().position(|i| i.score < i.weight) {
                Some(k) => k,
                None => {
                    let k = qualitative.unwrap_or(0);
                    let i = &mut e.inds[k];
                    if i.quant.is_some() {
                        // Make it fall short for real: the rule score drops with the actual.
                        let (q, _) = i.quant.clone().unwrap_or((quant("1").expect("1"), 0));
                        let a = if q.lower { q.value * 2 } else { q.value / 2 };
                        i.actual = format!("{a}{}", q.unit);
                        i.quant = Some((q, a));
                        i.score = i.rule_score();
                    } else {
                        i.actual = "基本完成".to_owned();
                        i.score = i.weight * 8 / 10;
                    }
                    e.settle();
                    k
                }
            };
            e.inds[k].reason = None;
        }
        "no-declaration" => e.department = format!("{}筹备组", e.department),
        "initial-budget-mismatch" => e.initial += 1000,
        "target-changed" => {
            let k = rng.below(e.inds.len());
            let i = &mut e.inds[k];
            match i.quant.clone() {
                // The bar lowered (or raised for a lower-is-better target) to what was reached.
                Some((q, a)) => {
                    let v = if q.lower {
                        q.value.max(a) + 1
                    } else {
                        q.value.min(a).saturating_sub(1).max(1)
                    };
                    let nq = Quant {
                        value: v,
                        direction: if q.lower { "≤" } else { "≥" },
                        ..q
                    };
                    i.target = format!("{}{v}{}", nq.direction, nq.unit);
                    i.quant = Some((nq, a));
                    i.score = i.rule_score();
                    if i.score >= i.weight {
                        i.reason = None;
                    }
                }
                None => i.target = "按计划完成".to_owned(),
            }
            e.settle();
        }
        "target-dropped" if e.inds.len() > 1 => {
            let k = rng.below(e.inds.len());
            let gone = e.inds.remove(k);
            e.exec_weight += gone.weight;
            e.exec_score = e.rule_exec();
            e.settle();
        }
        "target-added" => {
            e.exec_weight -= 200;
            e.exec_score = e.rule_exec();
            let last = e.inds.last().cloned();
            e.inds.push(Ind {
                level1: last
                    .as_ref()
                    .map_or("产出指标".to_owned(), |l| l.level1.clone()),
                level2: last.map_or("数量指标".to_owned(), |l| l.level2),
                name: "年度新增重点工作".to_owned(),
                target: "按计划完成".to_owned(),
                actual: "已完成".to_owned(),
                weight: 200,
                score: 200,
                reason: None,
                quant: None,
            });
            e.settle();
        }
        _ => {}
    }
}

/// The indicator's target as its layout writes it: `sichuan` in three columns.
pub(crate) fn sichuan_target(i: &Ind) -> (String, String, String, String) {
    match &i.quant {
        Some((q, a)) => (
            if q.direction.is_empty() {
                "="
            } else {
                q.direction
            }
            .to_owned(),
            q.value.to_string(),
            q.unit.clone(),
            a.to_string(),
        ),
        None => (
            "定性".to_owned(),
            i.target.clone(),
            String::new(),
            i.actual.clone(),
        ),
    }
}

pub(crate) fn t(s: impl Into<String>) -> Cell {
    Cell::text(s)
}

/// The form as rows of cells (the workbook's sheet; the text export is its lines).
pub(crate) fn sheet(e: &Eval, shifted: bool) -> Sheet {
    let mut s = Sheet::new("自评表");
    let amount = |c: i64| Cell::Amount(Decimal::new(c, 2));
    let pts = |h: i64| Cell::text(points(h));
    let none = || t("—");
    s.push(vec![t(format!("{}年度部门整体支出绩效自评表", e.year))]);
    s.push(vec![t("单位：万元")]);
    s.push(vec![t("部门名称"), t(e.department.clone())]);
    s.push(vec![
        t("填报人"),
        t(e.filled_by.clone().unwrap_or_default()),
        t("联系电话"),
        t(e.phone.clone().unwrap_or_default()),
    ]);
    let rate = Cell::Share(Decimal::new(e.rate, 2));
    if e.sichuan {
        s.push(
            [
                "项目",
                "年初预算数",
                "调整后预算数",
                "预算执行数",
                "执行率",
                "权重",
                "得分",
                "原因",
            ]
            .into_iter()
            .map(t)
            .collect(),
        );
        s.push(vec![
            t("年度资金总额"),
            amount(e.initial),
            amount(e.adjusted),
            amount(e.executed),
            rate,
            pts(e.exec_weight),
            pts(e.exec_score),
            t(e.exec_reason.clone().unwrap_or_default()),
        ]);
        s.push(vec![
            t("其中：财政资金"),
            amount(e.initial),
            amount(e.adjusted),
            amount(e.executed),
            t("/"),
            t("/"),
            t("/"),
        ]);
    } else {
        s.push(
            [
                "年度预算执行情况（万元）",
                "",
                "年初预算数",
                "全年预算数（A）",
                "全年执行数（B）",
                "分值",
                "执行率（B/A）",
                "得分",
            ]
            .into_iter()
            .map(t)
            .collect(),
        );
        s.push(vec![
            Cell::Empty,
            t("年度资金总额"),
            amount(e.initial),
            amount(e.adjusted),
            amount(e.executed),
            pts(e.exec_weight),
            rate,
            pts(e.exec_score),
        ]);
        s.push(vec![
            Cell::Empty,
            t("其中：财政拨款"),
            amount(e.initial),
            amount(e.adjusted),
            amount(e.executed),
            none(),
            none(),
            none(),
        ]);
        let mut other = vec![
            Cell::Empty,
            t("其他资金"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            none(),
            none(),
            none(),
        ];
        if shifted {
            other.remove(0);
        }
        s.push(other);
    }
    if !e.goals.is_empty() {
        s.push(vec![
            t("年度总体目标"),
            t("预期目标"),
            Cell::Empty,
            Cell::Empty,
            t("实际完成情况"),
        ]);
        for (k, (x, a)) in e.goals.iter().enumerate() {
            s.push(vec![
                Cell::Empty,
                t(format!("目标{}：{x}", k + 1)),
                Cell::Empty,
                Cell::Empty,
                t(a.clone()),
            ]);
        }
    }
    if e.sichuan {
        s.push(
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "指标性质",
                "指标值",
                "度量单位",
                "完成值",
                "权重",
                "得分",
                "未完成原因分析",
            ]
            .into_iter()
            .map(t)
            .collect(),
        );
    } else {
        s.push(
            [
                "年度绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            ]
            .into_iter()
            .map(t)
            .collect(),
        );
    }
    let (mut l1, mut l2) = (None::<&str>, None::<&str>);
    for i in &e.inds {
        let new_l1 = l1 != Some(i.level1.as_str());
        let new_l2 = new_l1 || l2 != Some(i.level2.as_str());
        l1 = Some(&i.level1);
        l2 = Some(&i.level2);
        let level1 = if new_l1 {
            t(i.level1.clone())
        } else {
            Cell::Empty
        };
        let level2 = if new_l2 {
            t(i.level2.clone())
        } else {
            Cell::Empty
        };
        let reason = t(i.reason.clone().unwrap_or_default());
        if e.sichuan {
            let (dir, value, unit, actual) = sichuan_target(i);
            s.push(vec![
                level1,
                level2,
                t(i.name.clone()),
                t(dir),
                t(value),
                t(unit),
                t(actual),
                pts(i.weight),
                pts(i.score),
                reason,
            ]);
        } else {
            let mut row = vec![
                Cell::Empty,
                level1,
                level2,
                t(i.name.clone()),
                t(i.target.clone()),
                t(i.actual.clone()),
                pts(i.weight),
                pts(i.score),
                reason,
            ];
            // A text export loses the empty cell under a merged banner on a new level 1.
            if shifted && new_l1 {
                row.remove(0);
            }
            s.push(row);
        }
    }
    if e.sichuan {
        s.push(vec![
            t("总分"),
            pts(e.total_weight),
            t("自评得分"),
            pts(e.total_score),
        ]);
        s.push(vec![t("评价结论"), t("总体完成年度绩效目标")]);
    } else {
        let mut total = vec![t("总分")];
        total.extend((0..5).map(|_| Cell::Empty));
        total.push(pts(e.total_weight));
        total.push(pts(e.total_score));
        total.push(Cell::Empty);
        s.push(total);
        s.push(vec![t("自评等级"), t(e.grade.clone())]);
    }
    s
}

pub(crate) fn num(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or(serde_json::Value::Null)
}

pub(crate) fn opt(s: &Option<String>) -> serde_json::Value {
    s.as_ref()
        .filter(|t| !t.is_empty())
        .map_or(serde_json::Value::Null, |t| {
            serde_json::Value::String(t.clone())
        })
}

/// The `self-evaluation/v1` JSON the reader must produce.
pub(crate) fn expected(e: &Eval) -> serde_json::Value {
    use serde_json::json;
    let c = |v: i64| num(&cents(v));
    let p = |v: i64| num(&points(v));
    let indicators: Vec<serde_json::Value> = e
        .inds
        .iter()
        .map(|i| {
            let (direction, target, unit, actual) = if e.sichuan {
                let (d, v, u, a) = sichuan_target(i);
                (
                    json!(d),
                    json!(v),
                    if u.is_empty() { json!(null) } else { json!(u) },
                    json!(a),
                )
            } else {
                (json!(null), json!(i.target), json!(null), json!(i.actual))
            };
            json!({
                "level1": i.level1, "level2": i.level2, "name": i.name,
                "direction": direction, "target": target, "unit": unit, "actual": actual,
                "weight": p(i.weight), "score": p(i.score), "reason": opt(&i.reason),
            })
        })
        .collect();
    let mut parts = vec![json!({
        "label": if e.sichuan { "财政资金" } else { "财政拨款" },
        "initial_budget": c(e.initial), "adjusted_budget": c(e.adjusted), "executed": c(e.executed),
    })];
    if !e.sichuan {
        parts.push(json!({"label": "其他资金", "initial_budget": null, "adjusted_budget": null, "executed": null}));
    }
    json!({
        "schema": "self-evaluation/v1",
        "form": "部门整体支出绩效自评表",
        "layout": if e.sichuan { "sichuan" } else { "national" },
        "fiscal_year": e.year,
        "department": e.department,
        "budget_code": null,
        "filled_by": opt(&e.filled_by),
        "phone": opt(&e.phone),
        "unit": "万元",
        "execution": {
            "initial_budget": c(e.initial), "adjusted_budget": c(e.adjusted), "executed": c(e.executed),
            "weight": p(e.exec_weight), "rate_percent": num(&points(e.rate)), "score": p(e.exec_score),
            "reason": opt(&e.exec_reason), "parts": parts,
        },
        "goals": e.goals.iter().map(|(x, a)| json!({"expected": x, "achieved": a})).collect::<Vec<_>>(),
        "indicators": indicators,
        "total": {"weight": p(e.total_weight), "score": p(e.total_score),
                  "grade": if e.sichuan { json!(null) } else { json!(e.grade) }},
        "conclusion": if e.sichuan { json!("总体完成年度绩效目标") } else { json!(null) },
        "problems": null,
        "measures": null,
    })
}
