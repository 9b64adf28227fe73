//! Planting the rule catalog's errors into forms, and what each planted error changes.

use super::*;

// ---------------------------------------------------------------------------------------------
// Planting
// ---------------------------------------------------------------------------------------------

/// Chooses the (department, year) slots of the planted codes: each code in `count` distinct
/// files, one code per file, departments distinct while they last, only in years the
/// department files a form. `prior-year-revised` needs a department to itself (it compares
/// forms), not renamed (the forms must match without aliases), and a year whose reported
/// actual an earlier form also reports and no later form does; `revisions` more of it are
/// planted before the others.
pub(crate) fn plan_plants(
    seed: u64,
    shapes: &[Shape],
    codes: &[&'static str],
    count: usize,
    revisions: usize,
) -> (BTreeMap<(usize, i32), &'static str>, Vec<&'static str>) {
    let departments = shapes.len();
    let mut plan = BTreeMap::new();
    let mut unplanted = Vec::new();
    let mut rng = Rng::derive(&[seed, S_SELECT]);
    let mut order: Vec<usize> = (0..departments).collect();
    rng.shuffle(&mut order);
    let mut used_dept = vec![false; departments];
    let mut exclusive = vec![false; departments];
    let revisable = |ys: &[i32]| -> Vec<i32> {
        ys.iter()
            .copied()
            .filter(|&y| revised_column(ys, y).is_some())
            .collect()
    };
    // prior-year-revised first: it needs a department of its own.
    let ordered: Vec<&'static str> = codes
        .iter()
        .copied()
        .filter(|&c| c == "prior-year-revised")
        .chain(codes.iter().copied().filter(|&c| c != "prior-year-revised"))
        .collect();
    let rounds = std::iter::repeat_n(&["prior-year-revised"][..], revisions)
        .chain(std::iter::repeat_n(&ordered[..], count));
    for round in rounds {
        for &code in round {
            let pyr = code == "prior-year-revised";
            let mut chosen = None;
            // First a department without any plant, then any free slot whose department
            // holds no prior-year-revised plant.
            'search: for pass in 0..2 {
                for &d in &order {
                    if pass == 0 && used_dept[d]
                        || exclusive[d]
                        || pyr && (used_dept[d] || shapes[d].rename.is_some())
                    {
                        continue;
                    }
                    let own = &shapes[d].years;
                    let mut ys: Vec<i32> = if pyr { revisable(own) } else { own.clone() };
                    rng.shuffle(&mut ys);
                    for y in ys {
                        if !plan.contains_key(&(d, y)) {
                            chosen = Some((d, y));
                            break 'search;
                        }
                    }
                }
            }
            match chosen {
                Some((d, y)) => {
                    plan.insert((d, y), code);
                    used_dept[d] = true;
                    exclusive[d] |= pyr;
                }
                None => unplanted.push(code),
            }
        }
    }
    (plan, unplanted)
}

/// For the form of `year`: the index (0 = Y−1, 1 = Y−2) of a prior-year column whose year an
/// earlier form also reports and no later form reports.
pub(crate) fn revised_column(years: &[i32], year: i32) -> Option<usize> {
    let reports = |form: i32, a: i32| a == form - 1 || a == form - 2;
    (0..2).find(|&k| {
        let a = year - 1 - k as i32;
        years.iter().any(|&y| y < year && reports(y, a))
            && !years.iter().any(|&y| y > year && reports(y, a))
    })
}

/// Where a planted error sits, resolved to a line once the form is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Title,
    Department,
    Money(MRow),
    Overall,
    Goal(usize),
    Indicator(usize, usize),
    Placeholder(usize),
}

pub(crate) struct Planted {
    pub(crate) code: &'static str,
    pub(crate) anchor: Option<Anchor>,
    pub(crate) detail: String,
}

/// Whether a planted code can be carried by a canonical JSON file.
pub(crate) fn json_can_carry(code: Option<&str>) -> bool {
    !matches!(
        code,
        Some("bad-number" | "placeholder-row" | "unreadable-file" | "not-a-declaration")
    )
}

/// Changes the form so that exactly `code` fires (and nothing else the spec defines).
pub(crate) fn plant(
    code: &'static str,
    form: &mut Form,
    years: &[i32],
    dom: &Domain,
    rng: &mut Rng,
) -> Planted {
    let year = form.year;
    let b = form.money.budget;
    // Changes the budget column with a delta in cents, stepping the delta past share ties.
    let retune = |form: &mut Form, start: i64, f: &dyn Fn(&mut Col, i64)| -> i64 {
        let mut delta = start;
        loop {
            let mut c = b;
            f(&mut c, delta);
            if c.shares().is_some() {
                form.money.budget = c;
                form.sync_money();
                return delta;
            }
            delta += 1;
        }
    };
    let (anchor, detail) = match code {
        "missing-field" => {
            if rng.chance(50) {
                form.decl.department = None;
                (Anchor::Department, "部门名称 cell left empty".to_string())
            } else {
                form.decl.fiscal_year = None;
                (
                    Anchor::Title,
                    "year removed from every title line (年度部门整体支出绩效目标申报表)"
                        .to_string(),
                )
            }
        }
        "bad-number" => {
            let text = rng.pick(&["12.3.4", "abc"]).to_string();
            retune(form, 0, &|c, _| {
                c.other = None;
                c.fa = c.in_total;
            });
            let detail = format!(
                "budget-year 其他资金 cell reads {text:?} (expected null; 财政拨款 raised to the total so the sum holds with it empty)"
            );
            form.bad_cell = Some((MRow::Other, text));
            (Anchor::Money(MRow::Other), detail)
        }
        "negative-amount" => {
            let d = retune(form, rng.range(100, 2000), &|c, d| {
                c.other = Some(-d);
                c.fa = c.in_total + d;
            });
            (
                Anchor::Money(MRow::Other),
                format!(
                    "budget-year 其他资金 = -{}, 财政拨款 raised by the same so the sum holds",
                    money(d)
                ),
            )
        }
        "income-sum" => {
            let d = retune(form, rng.range(100, 5000), &|c, d| c.fa += d);
            (
                Anchor::Money(MRow::InTotal),
                format!(
                    "budget-year 财政拨款 raised by {} while 合计 kept (share recomputed)",
                    money(d)
                ),
            )
        }
        "expenditure-sum" => {
            let d = retune(form, rng.range(100, 5000), &|c, d| c.basic += d);
            (
                Anchor::Money(MRow::OutTotal),
                format!(
                    "budget-year 基本支出 raised by {} while 合计 kept (share recomputed)",
                    money(d)
                ),
            )
        }
        "balance" => {
            let d = retune(form, rng.range(100, 5000), &|c, d| {
                c.fa += d;
                c.in_total += d;
            });
            (
                Anchor::Money(MRow::InTotal),
                format!(
                    "budget-year income 财政拨款 and 合计 both raised by {} (income ≠ expenditure)",
                    money(d)
                ),
            )
        }
        "share" => {
            let off = rng.range(50, 500) * if rng.chance(50) { 1 } else { -1 };
            form.money.share_offset = Some((MRow::Basic, off));
            form.sync_money();
            (
                Anchor::Money(MRow::Basic),
                format!("基本支出 占比 declared {} points off", money(off)),
            )
        }
        "prior-year-revised" => {
            let k = revised_column(years, year).expect("planned only where possible");
            let d = rng.range(100, 3000);
            let c = &mut form.money.prior[k];
            c.fa += d;
            c.in_total += d;
            c.basic += d;
            c.out_total += d;
            form.sync_money();
            (
                Anchor::Money(MRow::Fa),
                format!(
                    "actual of {} raised by {} (财政拨款, 收入合计, 基本支出, 支出合计) against the earlier form",
                    year - 1 - k as i32,
                    money(d)
                ),
            )
        }
        "indicator-category" => {
            let g = rng.below(form.decl.goals.len());
            let goal = &mut form.decl.goals[g];
            // Keep a correctly named output indicator next to the miscategorised one.
            let outputs = goal
                .indicators
                .iter()
                .filter(|i| i.level1.as_deref() == Some("产出指标"))
                .count();
            if outputs < 2 {
                let extra = indicator(rng, dom, "年度工作", "产出指标", "数量指标", year);
                goal.indicators.insert(0, extra);
            }
            let bad = rng.pick(&["效率指标", "效果指标", "进度指标"]);
            goal.indicators[0].level2 = Some(bad.to_string());
            (
                Anchor::Indicator(g, 0),
                format!("level-2 {bad} on an 产出指标 row of 年度目标{}", g + 1),
            )
        }
        "vague-target" => {
            let g = rng.below(form.decl.goals.len());
            let i = rng.below(form.decl.goals[g].indicators.len());
            let word = rng.pick(&["合格", "满意", "良好"]);
            form.decl.goals[g].indicators[i].target = Some(word.to_string());
            (
                Anchor::Indicator(g, i),
                format!("target {word:?} in 年度目标{}", g + 1),
            )
        }
        "placeholder-row" => {
            let g = rng.below(form.decl.goals.len());
            form.placeholders.push(g);
            (
                Anchor::Placeholder(g),
                format!("one _____指标 row at the end of 年度目标{}", g + 1),
            )
        }
        "missing-output" => {
            let g = rng.below(form.decl.goals.len());
            let goal = &mut form.decl.goals[g];
            goal.indicators
                .retain(|i| matches!(i.level1.as_deref(), Some("效益指标" | "满意度指标")));
            while goal.indicators.len() < 2 {
                let l2 = BENEFIT_L2[goal.indicators.len() % BENEFIT_L2.len()];
                let extra = indicator(rng, dom, "年度工作", "效益指标", l2, year);
                goal.indicators.insert(0, extra);
            }
            (
                Anchor::Goal(g),
                format!("年度目标{} has no 产出指标", g + 1),
            )
        }
        "missing-benefit" => {
            let g = rng.below(form.decl.goals.len());
            let goal = &mut form.decl.goals[g];
            goal.indicators
                .retain(|i| matches!(i.level1.as_deref(), Some("产出指标" | "成本指标")));
            while goal.indicators.len() < 2 {
                let l2 = OUTPUT_L2[goal.indicators.len() % OUTPUT_L2.len()];
                let extra = indicator(rng, dom, "年度工作", "产出指标", l2, year);
                goal.indicators.push(extra);
            }
            (
                Anchor::Goal(g),
                format!("年度目标{} has neither 效益指标 nor 满意度指标", g + 1),
            )
        }
        "goal-mismatch" => {
            form.decl.overall_goals.push(format!(
                "完成{}交办的其他{}工作，确保各项任务落实到位",
                "区委、区政府", dom.field
            ));
            let n = form.decl.overall_goals.len();
            (
                Anchor::Overall,
                format!(
                    "目标{n} in 整体绩效目标 has no 年度目标 table ({} tables)",
                    n - 1
                ),
            )
        }
        // Planted around the form, not in it.
        _ => unreachable!("{code} is not planted inside a form"),
    };
    Planted {
        code,
        anchor: Some(anchor),
        detail,
    }
}
