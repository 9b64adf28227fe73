//! What the metamorphic transformations look for in a self-evaluation
//! (`部门整体支出绩效自评表`, spec `self-evaluation-v1.md` §1), both layouts: its labels, the
//! label synonyms of its vocabulary, the rows of its execution block, where its numbers stand
//! in a workbook, the execution rate and the funds total as formulas, and its instructions
//! sheet. Written from the spec, independent of the reader's vocabulary
//! (`src/ingest/self_eval/vocabulary.rs`): the reader must read what a person reads as the
//! same form.

use super::model::{a1, money_rows, normalise_label, plain_decimal, FormKind, Sheet, Value};

/// The labels of a self-evaluation (both layouts, spec §1), compared after `normalise_label`.
/// Only these are split, starred, merged or given colons: a part's label (`财政拨款`), an
/// indicator's level or name, a goal are the form's content.
pub const LABELS: &[&str] = &[
    "部门名称",
    "部门(单位)名称",
    "部门（单位）名称",
    "填报人",
    "联系电话",
    "年度预算执行情况（万元）",
    "年度预算执行情况",
    "预算执行情况",
    "预算执行情况（10分）",
    "项目",
    "年初预算数",
    "全年预算数（A）",
    "全年预算数",
    "全年执行数（B）",
    "全年执行数",
    "调整后预算数",
    "预算执行数",
    "分值",
    "权重",
    "执行率（B/A）",
    "执行率",
    "预算执行率",
    "得分",
    "原因",
    "年度资金总额",
    "总额",
    "年度总体目标",
    "预期目标",
    "实际完成情况",
    "年度绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标名称",
    "年度指标值",
    "指标值",
    "实际完成值",
    "完成值",
    "偏差原因分析及改进措施",
    "偏差原因分析",
    "指标性质",
    "度量单位",
    "计量单位",
    "未完成原因分析",
    "总分",
    "自评得分",
    "自评总分",
    "自评等级",
    "评价等级",
    "评价结论",
    "自评结论",
    "存在问题",
    "改进措施",
];

/// Label synonyms of spec §1 (the words in brackets beside each label, and the two layouts'
/// words for one column): every label cell reading as one of `from` is written as `to`.
pub const SYNONYMS: &[(&[&str], &str)] = &[
    (&["部门名称"], "部门(单位)名称"),
    (&["部门名称", "部门(单位)名称"], "部门（单位）名称"),
    (
        &["年度预算执行情况（万元）", "年度预算执行情况"],
        "预算执行情况（10分）",
    ),
    (&["全年预算数（A）", "全年预算数"], "调整后预算数"),
    (&["调整后预算数"], "全年预算数（A）"),
    (&["全年执行数（B）", "全年执行数"], "预算执行数"),
    (&["预算执行数"], "全年执行数（B）"),
    (&["分值"], "权重"),
    (&["权重"], "分值"),
    (&["执行率（B/A）", "执行率"], "预算执行率"),
    (&["年度资金总额"], "总额"),
    (&["年度总体目标"], "总体目标"),
    (&["三级指标"], "指标名称"),
    (&["年度指标值"], "指标值"),
    (&["实际完成值"], "完成值"),
    (&["完成值"], "实际完成值"),
    (
        &["偏差原因分析及改进措施", "未完成原因分析"],
        "偏差原因分析",
    ),
    (&["度量单位"], "计量单位"),
    (&["自评得分"], "自评总分"),
    (&["自评等级"], "评价等级"),
    (&["评价结论"], "自评结论"),
];

/// Labels of the execution block's rows: the funds total and its parts (after
/// `normalise_label` and without `其中：`).
pub const MONEY_LABELS: &[&str] = &[
    "年度资金总额",
    "总额",
    "资金总额",
    "财政拨款",
    "财政资金",
    "上年结转资金",
    "财政专户管理资金",
    "单位资金",
    "其他资金",
];

/// Labels of the funds total row.
const TOTAL_LABELS: &[&str] = &["年度资金总额", "总额", "资金总额"];

/// Labels of the indicator table's number columns, and of the 总分 row.
const SCORE_COLUMNS: &[&str] = &["分值", "权重", "得分"];
const TOTAL_ROW: &[&str] = &["总分", "总计"];

fn label_at(sheet: &Sheet, r: usize, c: usize) -> Option<String> {
    match sheet.get(r, c) {
        Value::Text(s) => Some(normalise_label(s)),
        _ => None,
    }
}

fn is_total(sheet: &Sheet, r: usize) -> bool {
    (0..sheet.rows[r].len())
        .any(|c| label_at(sheet, r, c).is_some_and(|l| TOTAL_LABELS.contains(&l.as_str())))
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number { value, .. } => Some(*value),
        _ => None,
    }
}

fn to_number(cell: &mut Value) {
    if let Value::Text(s) = cell {
        if let Some(v) = plain_decimal(s) {
            *cell = Value::Number {
                value: v,
                format: Some("0.00".to_owned()),
            };
        }
    }
}

/// A money row's label column: its first cell reading as one of `MONEY_LABELS`.
fn money_label_col(sheet: &Sheet, r: usize) -> Option<usize> {
    (0..sheet.rows[r].len()).find(|&c| {
        label_at(sheet, r, c).is_some_and(|l| {
            let l = l
                .strip_prefix("其中")
                .map_or(l.as_str(), |r| r.trim_start_matches([':', '：']));
            MONEY_LABELS.contains(&l)
        })
    })
}

/// The indicator table's header row (the one with `一级指标`), and its weight and score
/// columns.
fn indicator_header(sheet: &Sheet) -> Option<(usize, usize, usize)> {
    (0..sheet.rows.len()).find_map(|r| {
        let at = |words: &[&str]| {
            (0..sheet.rows[r].len())
                .find(|&c| label_at(sheet, r, c).is_some_and(|l| words.contains(&l.as_str())))
        };
        at(&["一级指标"])?;
        Some((r, at(&["分值", "权重"])?, at(&["得分"])?))
    })
}

/// The sheet behind a text export that lost leading cells to merged ranges (spec §1: "merged-
/// cell shifts"): a part row of the execution block whose label stands left of the funds
/// total's, and an indicator row whose weight and score (its last two plain numbers) stand
/// left of the header's `分值`/`权重` and `得分`, get their lost empty cells back, as the
/// spreadsheet had them.
pub fn restore(sheet: &mut Sheet) {
    let mut total_col = None;
    for r in money_rows(sheet, FormKind::SelfEvaluation) {
        let Some(col) = money_label_col(sheet, r) else {
            continue;
        };
        if is_total(sheet, r) {
            total_col = Some(col);
        } else if let Some(t) = total_col.filter(|t| col < *t) {
            let row = &mut sheet.rows[r];
            row.splice(0..0, std::iter::repeat_n(Value::Empty, t - col));
        }
    }
    let Some((header, weight, score)) = indicator_header(sheet) else {
        return;
    };
    for r in header + 1..sheet.rows.len() {
        let row = &sheet.rows[r];
        let first = row.iter().find_map(|v| match v {
            Value::Text(s) => Some(normalise_label(s)),
            _ => None,
        });
        if first.is_some_and(|l| TOTAL_ROW.contains(&l.as_str())) {
            break;
        }
        let numbers: Vec<usize> = (0..row.len())
            .filter(|&c| matches!(&row[c], Value::Text(s) if plain_decimal(s).is_some()))
            .collect();
        if let [.., w, s] = numbers[..] {
            if s - w == score - weight && w < weight {
                sheet.rows[r].splice(0..0, std::iter::repeat_n(Value::Empty, weight - w));
            }
        }
    }
}

/// Whether the execution block's header and its funds total row share their columns (the
/// total's first amount under `年初预算数`). A hand-made export whose header cells were merged
/// across other columns than its rows' (the contract's sample) does not: inserting a column
/// into its text is no change a person makes to one sheet.
pub fn columns_line_up(sheet: &Sheet) -> bool {
    let header = (0..sheet.rows.len()).find_map(|r| {
        (0..sheet.rows[r].len())
            .find(|&c| label_at(sheet, r, c).is_some_and(|l| l == "年初预算数"))
            .map(|c| (r, c))
    });
    let Some((header, column)) = header else {
        return true;
    };
    let amount = |v: &Value| match v {
        Value::Number { .. } | Value::Formula { .. } => true,
        Value::Text(s) => plain_decimal(&s.replace(',', "")).is_some(),
        Value::Empty => false,
    };
    (header + 1..sheet.rows.len())
        .find(|&r| is_total(sheet, r))
        .and_then(|r| {
            let label = money_label_col(sheet, r)?;
            (label + 1..sheet.rows[r].len()).find(|&c| amount(sheet.get(r, c)))
        })
        .is_none_or(|first| first == column)
}

/// The weights and scores of the indicator table (the cells under its `分值`/`权重` and
/// `得分` headers) and the numbers of the `总分` row as number cells, as a workbook holds them.
pub fn numbers(sheet: &mut Sheet) {
    let mut columns: Vec<usize> = Vec::new();
    for r in 0..sheet.rows.len() {
        let labels: Vec<Option<String>> = (0..sheet.rows[r].len())
            .map(|c| label_at(sheet, r, c))
            .collect();
        if labels.iter().flatten().any(|l| l == "一级指标") {
            columns = (0..labels.len())
                .filter(|&c| {
                    labels[c]
                        .as_deref()
                        .is_some_and(|l| SCORE_COLUMNS.contains(&l))
                })
                .collect();
            continue;
        }
        let first = labels.iter().flatten().next();
        if first.is_some_and(|l| TOTAL_ROW.contains(&l.as_str())) {
            sheet.rows[r].iter_mut().for_each(to_number);
            columns.clear();
            continue;
        }
        for &c in &columns {
            if let Some(cell) = sheet.rows[r].get_mut(c) {
                to_number(cell);
            }
        }
    }
}

/// The execution rate of the funds total row as the formula `E7/D7` (全年执行数 over
/// 全年预算数: the row's third and second numbers), its shown fraction cached. False when the
/// row has no rate written as percent text or the amounts do not give it.
pub fn rate_formulas(sheet: &mut Sheet, percentage: impl Fn(&str) -> Option<f64>) -> bool {
    let mut changed = false;
    for r in 0..sheet.rows.len() {
        if !is_total(sheet, r) {
            continue;
        }
        let row = &sheet.rows[r];
        let numbers: Vec<usize> = (0..row.len())
            .filter(|&c| number(&row[c]).is_some())
            .collect();
        let Some(rate_col) = (0..row.len()).find(|&c| match &row[c] {
            Value::Text(s) => percentage(s).is_some(),
            _ => false,
        }) else {
            continue;
        };
        let (Some(&a), Some(&b)) = (numbers.get(1), numbers.get(2)) else {
            continue;
        };
        let (Some(av), Some(bv)) = (number(&row[a]), number(&row[b])) else {
            continue;
        };
        let Value::Text(shown) = &row[rate_col] else {
            continue;
        };
        let Some(p) = percentage(shown) else {
            continue;
        };
        if av == 0.0 || (bv / av * 100.0 - p).abs() > 0.005 + 1e-9 {
            continue;
        }
        sheet.rows[r][rate_col] = Value::Formula {
            formula: format!("{}/{}", a1(r, b), a1(r, a)),
            cached: p / 100.0,
            format: Some("0.00%".into()),
        };
        changed = true;
    }
    changed
}

/// In the funds total row, an amount that is the sum of its parts' amounts in the rows under
/// it (two parts at least; an empty part counts 0) becomes the formula `C8+C9+C10`, the sum
/// cached.
pub fn total_formulas(sheet: &mut Sheet, money: &[usize]) -> bool {
    let mut changed = false;
    for (k, &r) in money.iter().enumerate() {
        if !is_total(sheet, r) {
            continue;
        }
        // The parts: the money rows right under the total.
        let mut parts = Vec::new();
        for (j, &p) in money.iter().enumerate().skip(k + 1) {
            if p != r + (j - k) || is_total(sheet, p) {
                break;
            }
            parts.push(p);
        }
        if parts.len() < 2 {
            continue;
        }
        for c in 0..sheet.rows[r].len() {
            let Some(total) = number(sheet.get(r, c)) else {
                continue;
            };
            let values: Option<Vec<f64>> = parts
                .iter()
                .map(|&p| match sheet.get(p, c) {
                    Value::Empty => Some(0.0),
                    v => number(v),
                })
                .collect();
            let Some(values) = values else {
                continue;
            };
            if (values.iter().sum::<f64>() - total).abs() < 0.005 {
                let format = sheet.get(r, c).format().map(str::to_owned);
                let formula = parts
                    .iter()
                    .map(|&p| a1(p, c))
                    .collect::<Vec<_>>()
                    .join("+");
                sheet.rows[r][c] = Value::Formula {
                    formula,
                    cached: total,
                    format,
                };
                changed = true;
            }
        }
    }
    changed
}

/// The lines of a self-evaluation's instructions sheet, naming its labels as such sheets do.
pub const INSTRUCTIONS: &[&str] = &[
    "填表说明",
    "1. 本表为部门整体支出绩效自评表的填报说明，金额单位为万元，保留两位小数。",
    "2. “年初预算数”填写年初批复数，“全年预算数”填写调整后预算数；执行率 = 全年执行数 ÷ 全年预算数。",
    "3. “年度指标值”按申报表填写，“实际完成值”填写实际达到的数值；未达到目标的，须在“偏差原因分析及改进措施”中说明。",
    "4. 自评等级：90分（含）以上为优，80分（含）至90分为良，60分（含）至80分为中，60分以下为差。",
];

#[cfg(test)]
mod tests {
    use super::super::model::{FormKind, Workbook};
    use super::*;

    fn form() -> Workbook {
        Workbook::from_export_of(
            FormKind::SelfEvaluation,
            "2021年度部门整体支出绩效自评表\n部门名称\t某局\n\
             年度预算执行情况（万元）\t\t年初预算数\t全年预算数（A）\t全年执行数（B）\t分值\t执行率（B/A）\t得分\n\
             \t年度资金总额\t100\t200\t150\t10\t75.00%\t7.5\n\
             \t其中：财政拨款\t100\t200\t150\t—\t—\t—\n\
             \t其他资金\t\t\t\t—\t—\t—\n\
             年度绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n\
             \t产出指标\t数量指标\t培训人次\t≥100人次\t90人次\t90\t81\t疫情\n\
             总分\t\t\t\t\t\t100\t88.5\n",
        )
    }

    #[test]
    fn lost_leading_cells_come_back_and_a_header_over_other_columns_takes_no_column() {
        let mut b = Workbook::from_export_of(
            FormKind::SelfEvaluation,
            "部门整体支出绩效自评表\n\
             年度预算执行情况（万元）\t\t年初预算数\t全年预算数（A）\t全年执行数（B）\t分值\t执行率（B/A）\t得分\n\
             \t年度资金总额\t100\t200\t150\t10\t75.00%\t7.5\n\
             其他资金\t\t\t\t—\t—\t—\n\
             年度绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n\
             产出指标\t数量指标\t培训人次\t≥100人次\t90\t90\t81\n",
        );
        assert_eq!(b.form().get(3, 1), &Value::text("其他资金"));
        assert_eq!(b.form().get(5, 1), &Value::text("产出指标"));
        assert_eq!(number(b.form().get(5, 6)), Some(90.0));
        assert!(columns_line_up(b.form()));
        // The header's 年初预算数 moved off its column: no column is inserted.
        b.form_mut().rows[1].insert(2, Value::Empty);
        assert!(!columns_line_up(b.form()));
        let mut rng = super::super::Rng::new(1);
        assert!(!super::super::Transform::EmptyCols.apply(&mut b, &mut rng));
    }

    #[test]
    fn every_transformation_but_the_skipped_applies_to_a_small_form() {
        use super::super::{Rng, Transform};
        for t in Transform::all() {
            let mut b = form();
            let applies = t.apply(&mut b, &mut Rng::new(5));
            let expect = match t {
                _ if t.skip_reason(FormKind::SelfEvaluation).is_some() => false,
                // A synonym applies where the form has its label.
                Transform::EvalSynonym(i) => SYNONYMS[i].0.iter().any(|l| {
                    form()
                        .form()
                        .rows
                        .iter()
                        .flatten()
                        .any(|v| v == &Value::text(*l))
                }),
                _ => true,
            };
            assert_eq!(applies, expect, "{}", t.name());
        }
    }

    #[test]
    fn amounts_weights_and_scores_are_numbers_and_contents_stay_text() {
        let b = form();
        let s = b.form();
        assert_eq!(number(s.get(3, 3)), Some(200.0));
        assert_eq!(number(s.get(3, 5)), Some(10.0));
        assert_eq!(number(s.get(7, 6)), Some(90.0));
        assert_eq!(number(s.get(7, 7)), Some(81.0));
        assert_eq!(number(s.get(8, 7)), Some(88.5));
        assert_eq!(s.get(7, 4), &Value::text("≥100人次"));
        assert_eq!(s.get(3, 6), &Value::text("75.00%"));
    }

    #[test]
    fn the_rate_is_executed_over_adjusted_and_the_total_sums_its_parts() {
        let mut b = form();
        let pct = |s: &str| s.strip_suffix('%')?.parse().ok();
        assert!(rate_formulas(b.form_mut(), pct));
        assert_eq!(
            b.form().get(3, 6),
            &Value::Formula {
                formula: "E4/D4".into(),
                cached: 0.75,
                format: Some("0.00%".into())
            }
        );
        let money = super::super::model::money_rows(b.form(), FormKind::SelfEvaluation);
        assert_eq!(money, vec![3, 4, 5]);
        assert!(total_formulas(b.form_mut(), &money));
        match b.form().get(3, 2) {
            Value::Formula {
                formula, cached, ..
            } => assert_eq!((formula.as_str(), *cached), ("C5+C6", 100.0)),
            v => panic!("{v:?}"),
        }
        // The weight's parts are `—`: no formula.
        assert_eq!(number(b.form().get(3, 5)), Some(10.0));
    }
}
