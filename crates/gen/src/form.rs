//! Building one year's form of a department: its money table and goals with indicators.

use super::*;

// ---------------------------------------------------------------------------------------------
// Building a form
// ---------------------------------------------------------------------------------------------

/// The six money rows of the table, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MRow {
    Fa,
    Other,
    InTotal,
    Basic,
    Project,
    OutTotal,
}

pub(crate) const MROWS: [MRow; 6] = [
    MRow::Fa,
    MRow::Other,
    MRow::InTotal,
    MRow::Basic,
    MRow::Project,
    MRow::OutTotal,
];

impl MRow {
    pub(crate) fn get(self, c: &Col) -> Option<i64> {
        match self {
            MRow::Fa => Some(c.fa),
            MRow::Other => c.other,
            MRow::InTotal => Some(c.in_total),
            MRow::Basic => Some(c.basic),
            MRow::Project => Some(c.project),
            MRow::OutTotal => Some(c.out_total),
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            MRow::Fa => "财政拨款",
            MRow::Other => "其他资金",
            MRow::InTotal | MRow::OutTotal => "合计",
            MRow::Basic => "基本支出",
            MRow::Project => "项目支出",
        }
    }
}

/// The money of one form: budget-year column, prior-year columns (Y−1, Y−2) and, for the
/// `share` plant, a declared share that differs from the computed one.
#[derive(Clone)]
pub(crate) struct Money {
    pub(crate) budget: Col,
    pub(crate) prior: [Col; 2],
    pub(crate) share_offset: Option<(MRow, i64)>,
}

impl Money {
    pub(crate) fn apply(&self, decl: &mut Declaration, year: i32) {
        let shares = self
            .budget
            .shares()
            .expect("shares are tie-free by construction");
        let lines = [
            &mut decl.income.fiscal_appropriation,
            &mut decl.income.other,
            &mut decl.income.total,
            &mut decl.expenditure.basic,
            &mut decl.expenditure.project,
            &mut decl.expenditure.total,
        ];
        for (k, line) in lines.into_iter().enumerate() {
            let row = MROWS[k];
            let mut share = shares[k];
            if let (Some((r, off)), Some(s)) = (self.share_offset, share) {
                if r == row {
                    share = Some(s + off);
                }
            }
            *line = BudgetLine {
                budget: row.get(&self.budget).map(money),
                share_percent: share.map(money),
                prior_years: YearMap(vec![
                    (year - 1, row.get(&self.prior[0]).map(money)),
                    (year - 2, row.get(&self.prior[1]).map(money)),
                ]),
            };
        }
    }
}

/// A form to render: the expected declaration plus what the text shows differently.
pub(crate) struct Form {
    pub(crate) year: i32,
    pub(crate) decl: Declaration,
    pub(crate) money: Money,
    /// Raw cell text replacing a budget-year amount (`bad-number`).
    pub(crate) bad_cell: Option<(MRow, String)>,
    /// Goals with an unfilled `_____指标` template row at the end of their table.
    pub(crate) placeholders: Vec<usize>,
}

impl Form {
    pub(crate) fn sync_money(&mut self) {
        self.money.apply(&mut self.decl, self.year);
    }
}

pub(crate) fn build_form(
    dept: &Dept,
    stable: &DeptStable,
    series: &Series,
    year: i32,
    rng: &mut Rng,
) -> Form {
    let money = Money {
        budget: series.budget(year),
        prior: [series.actual(year - 1), series.actual(year - 2)],
        share_offset: None,
    };
    let dom = dept.domain;
    let n_tasks = rng.range(2, 6) as usize;
    let task_things = rng.subset(dom.things.len(), n_tasks);
    let annual_tasks = task_things
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let th = dom.things[i];
            let tail = rng.pick(&[
                "确保按时保质完成",
                "进一步提升服务水平",
                "推动工作提质增效",
                "切实提高资金使用效益",
                "持续巩固工作成效",
            ]);
            format!(
                "{}、{}{}{}{}，{tail}。",
                k + 1,
                th.action,
                th.noun,
                rng.range(th.lo, th.hi),
                th.unit
            )
        })
        .collect();

    let n_goals = rng.range(1, 5) as usize;
    let goal_objs = rng.subset(dom.objs.len(), n_goals);
    let mut overall_goals = Vec::new();
    let mut goals = Vec::new();
    for (g, &oi) in goal_objs.iter().enumerate() {
        let obj = dom.objs[oi];
        let verb = rng.pick(&["开展", "推进", "落实", "加强", "保障"]);
        let benefit = match rng.below(4) {
            0 => format!("提升{}满意度", rng.pick(dom.people)),
            1 => format!("保障{}事业健康发展", dom.field),
            2 => "提高财政资金使用效益".to_string(),
            _ => format!("切实改善{}获得感", rng.pick(dom.people)),
        };
        overall_goals.push(format!("{verb}{obj}工作，{benefit}"));
        let name = match rng.below(3) {
            0 => obj.to_string(),
            1 => format!("{obj}专项"),
            _ => format!("{obj}经费保障"),
        };
        let indicators = make_indicators(rng, dom, obj, stable.satisfaction_as_level1, year);
        goals.push(Goal {
            number: g as u32 + 1,
            name: Some(name),
            indicators,
        });
    }

    let mut decl = Declaration {
        schema: "declaration/v1".to_string(),
        form: "部门整体支出绩效目标申报表".to_string(),
        fiscal_year: Some(year),
        department: Some(dept.name.clone()),
        filled_by: Some(stable.filled_by.clone()),
        phone: Some(stable.phone.clone()),
        unit: Some("万元".to_string()),
        functions: stable.functions.clone(),
        annual_tasks,
        overall_goals,
        goals,
        ..Default::default()
    };
    money.apply(&mut decl, year);
    Form {
        year,
        decl,
        money,
        bad_cell: None,
        placeholders: Vec::new(),
    }
}

pub(crate) const OUTPUT_L2: [&str; 4] = ["数量指标", "质量指标", "时效指标", "成本指标"];
pub(crate) const BENEFIT_L2: [&str; 4] = [
    "社会效益指标",
    "经济效益指标",
    "生态效益指标",
    "可持续影响指标",
];
pub(crate) const SATISFACTION_L2: &str = "服务对象满意度指标";
pub(crate) const STANDARDS: [&str; 6] = [
    "计划标准",
    "行业标准",
    "历史标准",
    "部门年度工作计划",
    "上年度完成情况",
    "相关政策文件规定",
];

/// 2–6 indicators: 产出 first, then 效益 / 满意度, rarely one 成本指标 (level 1) between.
pub(crate) fn make_indicators(
    rng: &mut Rng,
    dom: &Domain,
    obj: &str,
    sat_l1: bool,
    year: i32,
) -> Vec<Indicator> {
    let k = rng.range(2, 6) as usize;
    let n_out = rng.range(1, (k as i64 - 1).min(4)) as usize;
    let n_ben = k - n_out;
    let mut out = Vec::new();
    for l2 in rng.subset(OUTPUT_L2.len(), n_out) {
        out.push(indicator(rng, dom, obj, "产出指标", OUTPUT_L2[l2], year));
    }
    if k < 6 && rng.chance(10) {
        out.push(indicator(rng, dom, obj, "成本指标", "经济成本指标", year));
    }
    // The benefit rows: some of the four 效益 kinds, the satisfaction row last.
    let with_sat = n_ben == 1 && rng.chance(40) || n_ben > 1 && rng.chance(70);
    let n_plain = if with_sat { n_ben - 1 } else { n_ben }.min(BENEFIT_L2.len());
    for l2 in rng.subset(BENEFIT_L2.len(), n_plain) {
        out.push(indicator(rng, dom, obj, "效益指标", BENEFIT_L2[l2], year));
    }
    if with_sat {
        let l1 = if sat_l1 {
            "满意度指标"
        } else {
            "效益指标"
        };
        out.push(indicator(rng, dom, obj, l1, SATISFACTION_L2, year));
    }
    out
}

pub(crate) enum Measure {
    /// `≥95%` / `100%`; prior values `96%`.
    Percent { lo: i64, hi: i64 },
    /// `≥1200人次` / `1200人次`.
    Count {
        unit: &'static str,
        lo: i64,
        hi: i64,
    },
    /// `≤35万元`.
    AtMost {
        unit: &'static str,
        lo: i64,
        hi: i64,
    },
    /// `11月底前`.
    MonthEnd,
    /// `持续3年`.
    Years,
}

pub(crate) fn indicator(
    rng: &mut Rng,
    dom: &Domain,
    obj: &str,
    l1: &str,
    l2: &str,
    year: i32,
) -> Indicator {
    let people = rng.pick(dom.people);
    let (name, measure) = match l2 {
        "数量指标" => {
            let th = rng.pick(dom.things);
            (
                format!("{}数量", th.noun),
                Measure::Count {
                    unit: th.unit,
                    lo: th.lo,
                    hi: th.hi,
                },
            )
        }
        "质量指标" => {
            let q = rng.pick(&["验收合格率", "达标率", "完成率", "规范化率"]);
            (format!("{obj}{q}"), Measure::Percent { lo: 90, hi: 100 })
        }
        "时效指标" => match rng.below(3) {
            0 => (
                format!("{obj}按时完成率"),
                Measure::Percent { lo: 95, hi: 100 },
            ),
            1 => (
                "资金支付及时率".to_string(),
                Measure::Percent { lo: 90, hi: 100 },
            ),
            _ => (format!("{obj}完成时间"), Measure::MonthEnd),
        },
        "成本指标" => (
            format!("{obj}成本控制数"),
            Measure::AtMost {
                unit: "万元",
                lo: 5,
                hi: 500,
            },
        ),
        "经济成本指标" => (
            format!("{obj}经济成本"),
            Measure::AtMost {
                unit: "万元",
                lo: 5,
                hi: 800,
            },
        ),
        "社会效益指标" => match rng.below(2) {
            0 => (
                format!("{people}受益覆盖率"),
                Measure::Percent { lo: 85, hi: 100 },
            ),
            _ => (
                format!("{obj}社会知晓率"),
                Measure::Percent { lo: 80, hi: 98 },
            ),
        },
        "经济效益指标" => match rng.below(2) {
            0 => (
                format!("带动{people}增收"),
                Measure::AtMost {
                    unit: "万元",
                    lo: 10,
                    hi: 900,
                },
            ),
            _ => (
                "节约财政资金".to_string(),
                Measure::AtMost {
                    unit: "万元",
                    lo: 1,
                    hi: 90,
                },
            ),
        },
        "生态效益指标" => (
            format!("{obj}环境改善达标率"),
            Measure::Percent { lo: 85, hi: 100 },
        ),
        "可持续影响指标" => match rng.below(2) {
            0 => (format!("{obj}长效机制"), Measure::Years),
            _ => (
                format!("{obj}制度建设完善率"),
                Measure::Percent { lo: 90, hi: 100 },
            ),
        },
        _ => (
            format!("{people}满意度"),
            Measure::Percent { lo: 85, hi: 98 },
        ),
    };
    let (target, prior): (String, [String; 2]) = match measure {
        Measure::Percent { lo, hi } => {
            let p = rng.range(lo, hi);
            let target = if p == 100 {
                "100%".to_string()
            } else {
                format!("≥{p}%")
            };
            let a = (p + rng.range(-3, 2)).min(100);
            let b = (a + rng.range(-3, 2)).min(100);
            (target, [format!("{a}%"), format!("{b}%")])
        }
        Measure::Count { unit, lo, hi } => {
            let n = rng.range(lo, hi);
            let target = if rng.chance(50) {
                format!("≥{n}{unit}")
            } else {
                format!("{n}{unit}")
            };
            let a = scale(n, rng.range(8000, 10500)).max(1);
            let b = scale(a, rng.range(8000, 10500)).max(1);
            (target, [format!("{a}{unit}"), format!("{b}{unit}")])
        }
        Measure::AtMost { unit, lo, hi } => {
            let n = rng.range(lo, hi);
            let a = scale(n, rng.range(8500, 10500)).max(1);
            let b = scale(a, rng.range(8500, 10500)).max(1);
            (
                format!("≤{n}{unit}"),
                [format!("{a}{unit}"), format!("{b}{unit}")],
            )
        }
        Measure::MonthEnd => {
            let m = rng.range(6, 12);
            (
                format!("{m}月底前"),
                [
                    format!("{}月底前", rng.range(6, 12)),
                    format!("{}月底前", rng.range(6, 12)),
                ],
            )
        }
        Measure::Years => {
            let n = rng.range(3, 5);
            (
                format!("持续{n}年"),
                [format!("持续{n}年"), format!("持续{n}年")],
            )
        }
    };
    // A new indicator has no values for the prior years.
    let prior = if rng.chance(10) {
        [None, None]
    } else {
        prior.map(Some)
    };
    let [p1, p2] = prior;
    Indicator {
        level1: Some(l1.to_string()),
        level2: Some(l2.to_string()),
        name: Some(name),
        prior_years: YearMap(vec![(year - 1, p1), (year - 2, p2)]),
        target: Some(target),
        standard: Some(rng.pick(&STANDARDS).to_string()),
        ..Indicator::default()
    }
}
