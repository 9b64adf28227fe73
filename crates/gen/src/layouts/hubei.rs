//! The `hubei` and `hubei-pdf` prints of a form: the sample's layout and the PDF flavour.

use super::*;

/// `hubei` (the sample's layout) or `hubei-pdf` (`附件2`, `填报日期` beside the name,
/// `总体资金情况` with `当年金额`, `近两年收支金额` and `占比` last).
pub(crate) fn hubei(
    decl: &mut Declaration,
    year: i32,
    pdf: bool,
    rng: &mut Rng,
    quirks: &mut Vec<&'static str>,
) -> Sheet {
    const W: usize = 8;
    let mut s = Sheet::new(if pdf { "附件2" } else { "申报表" });
    s.widths = vec![10.0, 12.0, 14.0, 16.0, 12.0, 12.0, 12.0, 14.0];
    if pdf {
        s.push(padded(vec![t("附件2")], W));
    }
    let title = format!("{year}年度部门整体支出绩效目标申报表");
    let r = s.push(padded(vec![t(&title)], W));
    s.merge(r, 0, r, W - 1);
    if rng.chance(30) {
        quirks.push("blank-row");
        s.push(padded(vec![], W));
    }
    s.push(padded(
        vec![t(if pdf {
            "单位:万元"
        } else {
            "单位: 万元"
        })],
        W,
    ));
    let dept = opt(&decl.department);
    let (who, phone) = (opt(&decl.filled_by), opt(&decl.phone));
    if pdf {
        let date = format!("{}-01-{:02}", year - 1, rng.range(5, 28));
        if rng.chance(50) {
            quirks.push("contacts-beside-name");
            s.push(vec![
                broken("部门(单位)名称", rng, quirks),
                dept,
                t("填报人"),
                who,
                t("联系电话"),
                phone,
                t("填报日期"),
                t(&date),
            ]);
        } else {
            let r = s.push(padded(
                vec![
                    t("部门(单位)名称"),
                    dept,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    t("填报日期"),
                    t(&date),
                ],
                W,
            ));
            s.merge(r, 1, r, 4);
            s.push(padded(
                vec![t("填报人"), who, Cell::Empty, t("联系电话"), phone],
                W,
            ));
        }
    } else {
        let r = s.push(padded(vec![t("部门名称"), dept], W));
        s.merge(r, 1, r, W - 1);
        s.push(padded(vec![t("填报人"), who, t("联系电话"), phone], W));
    }
    // The money table: label column, group, row label, then the values.
    let y1 = crate::render::year_header(decl.fiscal_year.map(|_| year), 1);
    let y2 = crate::render::year_header(decl.fiscal_year.map(|_| year), 2);
    let blank_years = pdf && rng.chance(25);
    let head = s.rows.len();
    if pdf {
        s.push(padded(
            vec![
                broken("部门总体资金情况", rng, quirks),
                t("总体资金情况"),
                Cell::Empty,
                t("当年金额"),
                t("近两年收支金额"),
                Cell::Empty,
                t("占比"),
            ],
            W,
        ));
        let (a, b) = if blank_years {
            quirks.push("blank-prior-years");
            // The print leaves the prior-year columns empty: the form reports no actuals.
            let lines = [
                &mut decl.income.fiscal_appropriation,
                &mut decl.income.other,
                &mut decl.income.total,
                &mut decl.expenditure.basic,
                &mut decl.expenditure.project,
                &mut decl.expenditure.total,
            ];
            for line in lines {
                for (_, v) in &mut line.prior_years.0 {
                    *v = None;
                }
            }
            ("年".to_string(), "年".to_string())
        } else {
            (y1.clone(), y2.clone())
        };
        s.push(padded(
            vec![
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                t(&a),
                t(&b),
            ],
            W,
        ));
        s.merge(head, 4, head, 5);
        s.merge(head, 1, head + 1, 2);
        s.merge(head, 3, head + 1, 3);
        s.merge(head, 6, head + 1, 6);
    } else {
        s.push(padded(
            vec![
                t("部门总体资金情况 (万元)"),
                t("总体资金情况"),
                Cell::Empty,
                t("当年预算收支"),
                t("占比"),
                broken("近两年收支情况", rng, quirks),
            ],
            W,
        ));
        s.push(padded(
            vec![
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                t(&y1),
                t(&y2),
            ],
            W,
        ));
        s.merge(head, 5, head, 6);
        s.merge(head, 1, head + 1, 2);
        s.merge(head, 3, head + 1, 3);
        s.merge(head, 4, head + 1, 4);
    }
    let lines: [&BudgetLine; 6] = [
        &decl.income.fiscal_appropriation,
        &decl.income.other,
        &decl.income.total,
        &decl.expenditure.basic,
        &decl.expenditure.project,
        &decl.expenditure.total,
    ];
    let first_money = s.rows.len();
    let budget_col = 3;
    for (k, line) in lines.iter().enumerate() {
        let row = s.rows.len();
        let group = match k {
            0 => "收入构成",
            3 => "支出构成",
            _ => "",
        };
        let budget = if k == 2 || k == 5 {
            // A total: the sum of the two rows above it.
            match line.budget {
                Some(v) => Cell::Sum(v, vec![(row - 2, budget_col), (row - 1, budget_col)]),
                None => Cell::Empty,
            }
        } else {
            amount(line.budget)
        };
        let share = line.share_percent.map_or(Cell::Empty, Cell::Share);
        let prior = |y: i32| {
            if blank_years {
                Cell::Empty
            } else {
                amount(line.prior_years.get(y).copied().flatten())
            }
        };
        let label = crate::MRow::label(MROWS[k]);
        let cells = if pdf {
            vec![
                Cell::Empty,
                t(group),
                t(label),
                budget,
                prior(year - 1),
                prior(year - 2),
                share,
            ]
        } else {
            vec![
                Cell::Empty,
                t(group),
                t(label),
                budget,
                share,
                prior(year - 1),
                prior(year - 2),
            ]
        };
        s.push(padded(cells, W));
    }
    s.merge(first_money, 1, first_money + 2, 1);
    s.merge(first_money + 3, 1, first_money + 5, 1);
    s.merge(head, 0, first_money + 5, 0);
    let breaks = rng.chance(60);
    if breaks {
        quirks.push("in-cell-line-breaks");
    }
    let r = s.push(padded(
        vec![t("部门职能概述"), t(&long_text(&decl.functions, breaks))],
        W,
    ));
    s.merge(r, 1, r, W - 1);
    let r = s.push(padded(
        vec![t("年度工作任务"), t(&long_text(&decl.annual_tasks, breaks))],
        W,
    ));
    s.merge(r, 1, r, W - 1);
    s.push(padded(
        vec![
            Cell::Empty,
            t("长期目标"),
            Cell::Empty,
            Cell::Empty,
            t("年度目标"),
        ],
        W,
    ));
    let overall: Vec<String> = decl
        .overall_goals
        .iter()
        .enumerate()
        .map(|(k, g)| format!("目标{}：{g}", k + 1))
        .collect();
    let r = s.push(padded(
        vec![t("整体绩效目标"), t(&long_text(&overall, breaks))],
        W,
    ));
    s.merge(r, 1, r, W - 1);
    for goal in &decl.goals {
        let r = s.push(padded(
            vec![t(&format!("年度目标{}：", goal.number)), opt(&goal.name)],
            W,
        ));
        s.merge(r, 1, r, W - 1);
        let top = s.push(vec![
            t("年度绩效指标"),
            t("一级指标"),
            t("二级指标"),
            t("指标名称"),
            t("指标值"),
            Cell::Empty,
            Cell::Empty,
            t("绩效标准"),
        ]);
        s.push(padded(
            vec![
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                t("近两年指标值"),
                Cell::Empty,
                broken("预期当年实现值", rng, quirks),
            ],
            W,
        ));
        s.push(padded(
            vec![
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                t(&y1),
                t(&y2),
            ],
            W,
        ));
        s.merge(top, 4, top, 6);
        s.merge(top + 1, 4, top + 1, 5);
        s.merge(top + 1, 6, top + 2, 6);
        for c in [1, 2, 3, 7] {
            s.merge(top, c, top + 2, c);
        }
        let mut group_start = s.rows.len();
        let mut prev: Option<&str> = None;
        for ind in &goal.indicators {
            let l1 = ind.level1.as_deref().unwrap_or("");
            let first = prev != Some(l1);
            if first && prev.is_some() {
                s.merge(group_start, 1, s.rows.len() - 1, 1);
                group_start = s.rows.len();
            }
            prev = Some(l1);
            let v = |y: i32| {
                Cell::text(
                    ind.prior_years
                        .get(y)
                        .cloned()
                        .flatten()
                        .unwrap_or_default(),
                )
            };
            s.push(vec![
                Cell::Empty,
                if first { t(l1) } else { Cell::Empty },
                opt(&ind.level2),
                opt(&ind.name),
                v(year - 1),
                v(year - 2),
                opt(&ind.target),
                opt(&ind.standard),
            ]);
        }
        if !goal.indicators.is_empty() {
            s.merge(group_start, 1, s.rows.len() - 1, 1);
            quirks.push("merged-cells");
        }
        s.merge(top, 0, s.rows.len() - 1, 0);
    }
    s
}
