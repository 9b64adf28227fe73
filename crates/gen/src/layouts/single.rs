//! The single-table prints of a form: `fujian` (expenditure only, 年度履职目标) and `hunan`
//! (no money, 指标值类型 and 计量单位).

use super::*;

/// `fujian`: 部门整体支出绩效目标表 with 部门预算编码, the expenditure budget only, `目标N：`
/// texts, the 年度履职目标 table and one indicator table.
pub(crate) fn fujian(
    decl: &mut Declaration,
    stable: &DeptStable,
    rng: &mut Rng,
    quirks: &mut Vec<&'static str>,
) -> Sheet {
    const W: usize = 6;
    let year = decl.fiscal_year.unwrap_or(2020);
    let code = format!("{}{:03}", rng.range(301, 399), rng.range(1, 999));
    decl.budget_code = Some(code.clone());
    decl.income = Income::absent();
    let budget = |l: &BudgetLine| BudgetLine {
        budget: l.budget,
        share_percent: None,
        prior_years: YearMap(Vec::new()),
    };
    decl.expenditure = Expenditure {
        basic: budget(&decl.expenditure.basic),
        project: budget(&decl.expenditure.project),
        total: budget(&decl.expenditure.total),
        absent: false,
    };
    decl.filled_by = None;
    decl.phone = None;
    decl.unit = Some("万元".to_string());
    // 年度履职目标: a duty per task, under the department's functions.
    let functions: Vec<String> = stable
        .functions
        .iter()
        .map(|f| {
            f.split_once('、')
                .map_or(f.as_str(), |(_, r)| r)
                .trim_end_matches('。')
                .to_string()
        })
        .take(3)
        .collect();
    let project_total = decl.expenditure.project.budget.unwrap_or_default();
    let n = decl.annual_tasks.len().clamp(1, 4);
    let mut duties = Vec::new();
    let mut left = project_total;
    for (k, task) in decl.annual_tasks.iter().take(n).enumerate() {
        let task = task
            .split_once('、')
            .map_or(task.as_str(), |(_, r)| r)
            .to_string();
        let amount = if k + 1 == n {
            left
        } else {
            let part = (project_total / Decimal::from(n as i64)).round_dp(2);
            left -= part;
            part
        };
        let project = decl
            .goals
            .get(k % decl.goals.len().max(1))
            .and_then(|g| g.name.clone())
            .map(|n| format!("{n}项目"));
        duties.push(super::Duty {
            function: functions.get(k * functions.len().max(1) / n).cloned(),
            task: Some(task),
            project,
            amount: Some(amount),
        });
    }
    // One indicator table: every goal's indicators, with 三级指标 and 指标解释.
    let mut indicators = Vec::new();
    for goal in &decl.goals {
        for ind in &goal.indicators {
            let reference = ind
                .prior_years
                .get(year - 1)
                .cloned()
                .flatten()
                .or_else(|| ind.target.clone())
                .unwrap_or_default();
            let standard = ind
                .standard
                .clone()
                .unwrap_or_else(|| "计划标准".to_string());
            indicators.push(Indicator {
                level1: ind.level1.clone(),
                level2: ind.level2.clone(),
                name: ind.name.clone(),
                prior_years: YearMap(Vec::new()),
                target: ind.target.clone(),
                standard: None,
                explanation: Some(format!("{reference}({standard})")),
                ..Indicator::default()
            });
        }
    }
    sort_by_level1(&mut indicators);
    decl.goals = vec![Goal {
        number: 0,
        name: None,
        indicators,
    }];
    decl.functions = Vec::new();
    decl.annual_tasks = Vec::new();
    decl.long_term_goal = None;
    decl.annual_goal = None;

    let mut s = Sheet::new(&format!("{year}年"));
    s.widths = vec![10.0, 14.0, 18.0, 20.0, 16.0, 14.0];
    let r = s.push(padded(
        vec![t(&format!("{year}年度部门整体支出绩效目标表"))],
        W,
    ));
    s.merge(r, 0, r, W - 1);
    s.push(padded(
        vec![
            t("部门(单位)名称"),
            opt(&decl.department),
            Cell::Empty,
            t("部门预算编码"),
            t(&code),
        ],
        W,
    ));
    s.merge(r + 1, 1, r + 1, 2);
    s.merge(r + 1, 4, r + 1, 5);
    let e = &decl.expenditure;
    let label = if rng.chance(70) {
        quirks.push("label-one-char-per-line");
        "年\n度\n预\n算\n安\n排\n(万元)".to_string()
    } else {
        "年度预算安排(万元)".to_string()
    };
    let top = s.push(padded(
        vec![
            Cell::Text(label),
            t("资金总额"),
            Cell::Sum(
                e.total.budget.unwrap_or_default(),
                vec![(r + 3, 2), (r + 4, 2)],
            ),
        ],
        W,
    ));
    s.push(padded(
        vec![Cell::Empty, t("项目支出"), amount(e.project.budget)],
        W,
    ));
    s.push(padded(
        vec![Cell::Empty, t("基本支出"), amount(e.basic.budget)],
        W,
    ));
    s.merge(top, 0, top + 2, 0);
    for k in 0..3 {
        s.merge(top + k, 2, top + k, W - 1);
    }
    let goals: Vec<String> = decl
        .overall_goals
        .iter()
        .enumerate()
        .map(|(k, g)| format!("目标{}：{g}", k + 1))
        .collect();
    let r = s.push(padded(
        vec![t("年度总体目标"), t(&long_text(&goals, rng.chance(70)))],
        W,
    ));
    s.merge(r, 1, r, W - 1);
    let top = s.push(padded(
        vec![
            t("年度履职目标"),
            t("部门职能"),
            t("年度目标任务"),
            t("支出项目名称"),
            t("预算金额(万元)"),
        ],
        W,
    ));
    let mut prev: Option<String> = None;
    let mut start = top + 1;
    for duty in &duties {
        let first = duty.function != prev;
        if first && prev.is_some() {
            s.merge(start, 1, s.rows.len() - 1, 1);
            start = s.rows.len();
        }
        prev = duty.function.clone();
        s.push(padded(
            vec![
                Cell::Empty,
                if first {
                    opt(&duty.function)
                } else {
                    Cell::Empty
                },
                opt(&duty.task),
                opt(&duty.project),
                amount(duty.amount),
            ],
            W,
        ));
    }
    s.merge(start, 1, s.rows.len() - 1, 1);
    s.merge(top, 0, s.rows.len() - 1, 0);
    decl.duties = duties;
    let header = s.push(padded(
        vec![
            t("一级指标"),
            t("二级指标"),
            t("三级指标"),
            t("指标解释"),
            t("目标值"),
        ],
        W,
    ));
    indicator_rows(&mut s, header + 1, &decl.goals[0].indicators, W, |ind| {
        vec![opt(&ind.name), opt(&ind.explanation), opt(&ind.target)]
    });
    quirks.push("merged-cells");
    s
}

/// `hunan`: 年度整体绩效目标表 without money; 职责, 总体绩效目标 and one indicator table with
/// 指标值类型 (定量/定性), 指标值, 计量单位, 指标解释, 评(扣)分标准, 备注; required labels start with `*`.
pub(crate) fn hunan(
    decl: &mut Declaration,
    rng: &mut Rng,
    quirks: &mut Vec<&'static str>,
) -> Sheet {
    const W: usize = 9;
    let year = decl.fiscal_year.unwrap_or(2020);
    decl.income = Income::absent();
    decl.expenditure = Expenditure::absent();
    decl.filled_by = None;
    decl.phone = None;
    decl.unit = None;
    decl.annual_tasks = Vec::new();
    decl.long_term_goal = None;
    decl.annual_goal = None;
    let mut indicators = Vec::new();
    for goal in &decl.goals {
        for ind in &goal.indicators {
            let target = ind.target.clone().unwrap_or_default();
            let (value, unit) = split_unit(&target);
            let quantitative = value.chars().any(|c| c.is_ascii_digit());
            let name = ind.name.clone().unwrap_or_default();
            indicators.push(Indicator {
                level1: ind.level1.clone(),
                level2: ind.level2.clone(),
                name: ind.name.clone(),
                prior_years: YearMap(Vec::new()),
                target: Some(value.clone()),
                standard: Some(if quantitative {
                    "达到目标值得满分，每低1%扣0.5分".to_string()
                } else {
                    "按完成情况酌情扣分".to_string()
                }),
                unit,
                value_kind: Some(if quantitative { "定量" } else { "定性" }.to_string()),
                explanation: Some(format!("反映{name}情况")),
                // Text pasted into a cell may hold ASCII quotes or a tab: the text exports
                // quote such cells (Excel's rule), the reader must give them back as typed.
                remark: match rng.below(20) {
                    0..=2 => Some("无".to_string()),
                    3 => Some("数据来源：\"年度统计报表\"".to_string()),
                    4 => Some("按季度\t统计".to_string()),
                    _ => None,
                },
            });
        }
    }
    sort_by_level1(&mut indicators);
    decl.goals = vec![Goal {
        number: 0,
        name: None,
        indicators,
    }];

    let mut s = Sheet::new("Sheet1");
    s.widths = vec![10.0, 14.0, 18.0, 10.0, 12.0, 8.0, 18.0, 20.0, 8.0];
    let r = s.push(padded(vec![t(&format!("{year}年度整体绩效目标表"))], W));
    s.merge(r, 0, r, W - 1);
    let r = s.push(padded(vec![t("部门(单位)名称"), opt(&decl.department)], W));
    s.merge(r, 1, r, W - 1);
    let breaks = rng.chance(60);
    if breaks {
        quirks.push("in-cell-line-breaks");
    }
    let r = s.push(padded(
        vec![t("*部门(单位)职责"), t(&long_text(&decl.functions, breaks))],
        W,
    ));
    s.merge(r, 1, r, W - 1);
    let goals: Vec<String> = decl
        .overall_goals
        .iter()
        .enumerate()
        .map(|(k, g)| format!("目标{}：{g}", k + 1))
        .collect();
    let r = s.push(padded(
        vec![t("*年度总体绩效目标"), t(&long_text(&goals, breaks))],
        W,
    ));
    s.merge(r, 1, r, W - 1);
    let r = s.push(padded(vec![t("绩效指标")], W));
    s.merge(r, 0, r, W - 1);
    let header = s.push(vec![
        t("一级指标"),
        t("二级指标"),
        t("三级指标"),
        t("指标值类型"),
        t("*指标值"),
        t("计量单位"),
        t("*指标解释"),
        t("*评(扣)分标准"),
        t("备注"),
    ]);
    indicator_rows(&mut s, header + 1, &decl.goals[0].indicators, W, |ind| {
        vec![
            opt(&ind.name),
            opt(&ind.value_kind),
            opt(&ind.target),
            opt(&ind.unit),
            opt(&ind.explanation),
            opt(&ind.standard),
            opt(&ind.remark),
        ]
    });
    quirks.push("required-field-stars");
    quirks.push("merged-cells");
    s
}
