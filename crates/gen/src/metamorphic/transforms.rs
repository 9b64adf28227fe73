//! The changes a person reads as the same form (issue #18's list, spec §1 and §5), each a
//! seeded function on a workbook. `apply` says whether the change found anything to change:
//! a synonym whose label the form lacks leaves the form alone and is not a case.
//!
//! The words a change looks for (labels, synonyms, the money block, the title) are the
//! workbook's kind's (`FormKind`: a declaration's here, a self-evaluation's in
//! `super::self_eval`). A change that means nothing for a kind says why in `skip_reason`.

use super::model::{
    a1, display, money_rows, normalise_label, percent_text, FormKind, Merge, Sheet, Value, Workbook,
};
use super::self_eval;
use super::Rng;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Labels of a declaration in every layout (spec §1, §5, layouts-observed), compared after
/// `normalise_label`. Only these are split, starred or merged: a value (a department's name,
/// an indicator's `产出指标`) is the form's content, and changing it changes the form.
pub const LABELS: &[&str] = &[
    "部门名称",
    "部门(单位)名称",
    "部门（单位）名称",
    "填报人",
    "联系电话",
    "填报日期",
    "部门总体资金情况(万元)",
    "部门总体资金情况",
    "总体资金情况",
    "当年预算收支",
    "当年金额",
    "占比",
    "近两年收支情况",
    "近两年收支金额",
    "收入构成",
    "支出构成",
    "部门收入预算",
    "部门支出预算",
    "财政拨款",
    "其他资金",
    "基本支出",
    "项目支出",
    "部门职能概述",
    "年度工作任务",
    "年度主要任务",
    "长期目标",
    "中长期目标",
    "年度目标",
    "整体绩效目标",
    "年度绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标名称",
    "指标值",
    "近两年指标值",
    "预期当年实现值",
    "绩效标准",
    "评(扣)分标准",
    "评（扣）分标准",
    "部门预算编码",
    "年度预算安排(万元)",
    "资金总额",
    "年度总体目标",
    "年度履职目标",
    "部门职能",
    "年度目标任务",
    "支出项目名称",
    "预算金额(万元)",
    "指标解释",
    "目标值",
    "部门(单位)职责",
    "年度总体绩效目标",
    "绩效指标",
    "指标值类型",
    "计量单位",
    "备注",
];

/// A declaration's label synonyms of spec §5 (`hubei`'s variants, full-width brackets):
/// every label cell reading as one of `from` is written as `to`.
pub const SYNONYMS: &[(&[&str], &str)] = &[
    (&["部门名称"], "部门(单位)名称"),
    (&["部门名称", "部门(单位)名称"], "部门（单位）名称"),
    (&["收入构成"], "部门收入预算"),
    (&["支出构成"], "部门支出预算"),
    (&["年度工作任务"], "年度主要任务"),
    (&["长期目标"], "中长期目标"),
    (&["指标名称"], "指标"),
    (&["预期当年实现值"], "目标值"),
    (&["绩效标准"], "评(扣)分标准"),
    (&["绩效标准", "评(扣)分标准"], "评（扣）分标准"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// The form as it is (each writer's own baseline).
    Identity,
    EmptyRows,
    EmptyCols,
    /// An empty column inserted and hidden.
    HiddenCol,
    /// An empty row inserted and hidden.
    HiddenRow,
    /// A label merged across its cell and an inserted empty column to its right.
    MergedLabel,
    SplitLabelSpace,
    SplitLabelNewline,
    /// The synonym `SYNONYMS[i]` swapped in.
    Synonym(usize),
    /// `*` before labels.
    StarLabels,
    /// A full-width colon after labels and in `单位：万元`.
    FullwidthColons,
    /// The year moved from the title into a `（2020年度）` row under it.
    YearUnderTitle,
    /// Shares as fractions with a percent format (`0.9358` shown `93.58%`).
    ShareFraction,
    /// Shares as percent text with two decimals (`100.00%`).
    SharePercentText,
    /// Shares as formulas (`C9/C11`) with the fraction cached.
    ShareFormula,
    /// Amounts a few units in the last place off (`286.40999999999997` shown `0.00`).
    FloatNoise,
    /// Totals (`合计`) as formulas adding the two amounts above them, the sum cached.
    TotalFormula,
    /// Amounts as text cells (`'286.41`).
    TextAmounts,
    /// Amounts formatted with thousands separators (`#,##0.00`: `1,286.41`).
    ThousandsFormat,
    CoverBefore,
    CoverAfter,
    InstructionsBefore,
    InstructionsAfter,
    /// The self-evaluation synonym `self_eval::SYNONYMS[i]` swapped in.
    EvalSynonym(usize),
}

impl Transform {
    /// Every transformation, in the order the matrix prints them.
    pub fn all() -> Vec<Transform> {
        let mut v = vec![
            Transform::Identity,
            Transform::EmptyRows,
            Transform::EmptyCols,
            Transform::HiddenCol,
            Transform::HiddenRow,
            Transform::MergedLabel,
            Transform::SplitLabelSpace,
            Transform::SplitLabelNewline,
        ];
        v.extend((0..SYNONYMS.len()).map(Transform::Synonym));
        v.extend([
            Transform::StarLabels,
            Transform::FullwidthColons,
            Transform::YearUnderTitle,
            Transform::ShareFraction,
            Transform::SharePercentText,
            Transform::ShareFormula,
            Transform::FloatNoise,
            Transform::TotalFormula,
            Transform::TextAmounts,
            Transform::ThousandsFormat,
            Transform::CoverBefore,
            Transform::CoverAfter,
            Transform::InstructionsBefore,
            Transform::InstructionsAfter,
        ]);
        // Last, so that the declarations' cases keep their indices (and seeds).
        v.extend((0..self_eval::SYNONYMS.len()).map(Transform::EvalSynonym));
        v
    }

    /// Every transformation that applies to forms of `kind`.
    pub fn all_for(kind: FormKind) -> Vec<Transform> {
        Transform::all()
            .into_iter()
            .filter(|t| t.skip_reason(kind).is_none())
            .collect()
    }

    /// Why the transformation means nothing for forms of `kind` (`None`: it applies). A
    /// transformation that applies may still find nothing to change in one form (`apply`).
    pub fn skip_reason(self, kind: FormKind) -> Option<&'static str> {
        match (self, kind) {
            (Transform::Synonym(_), FormKind::SelfEvaluation) => Some(
                "a declaration's label synonym (declaration spec §5); a self-evaluation swaps \
                 the words of its own vocabulary (EvalSynonym)",
            ),
            (Transform::SharePercentText, FormKind::SelfEvaluation) => Some(
                "a self-evaluation's only share, the execution rate, is percent text with two \
                 decimals already (spec §2; the generator's forms and the contract's sample): \
                 nothing to rewrite; share-fraction and share-formula change its spelling",
            ),
            (Transform::EvalSynonym(_), FormKind::Declaration) => Some(
                "a self-evaluation's label synonym (self-evaluation spec §1); a declaration has \
                 none of these labels",
            ),
            _ => None,
        }
    }

    pub fn name(self) -> String {
        match self {
            Transform::Identity => "identity".into(),
            Transform::EmptyRows => "empty-rows".into(),
            Transform::EmptyCols => "empty-cols".into(),
            Transform::HiddenCol => "hidden-col".into(),
            Transform::HiddenRow => "hidden-row".into(),
            Transform::MergedLabel => "merged-label".into(),
            Transform::SplitLabelSpace => "split-label-space".into(),
            Transform::SplitLabelNewline => "split-label-newline".into(),
            Transform::Synonym(i) => format!("synonym:{}", SYNONYMS[i].1),
            Transform::StarLabels => "star-labels".into(),
            Transform::FullwidthColons => "fullwidth-colons".into(),
            Transform::YearUnderTitle => "year-under-title".into(),
            Transform::ShareFraction => "share-fraction".into(),
            Transform::SharePercentText => "share-percent-text".into(),
            Transform::ShareFormula => "share-formula".into(),
            Transform::FloatNoise => "float-noise".into(),
            Transform::TotalFormula => "total-formula".into(),
            Transform::TextAmounts => "text-amounts".into(),
            Transform::ThousandsFormat => "thousands-format".into(),
            Transform::CoverBefore => "cover-before".into(),
            Transform::CoverAfter => "cover-after".into(),
            Transform::InstructionsBefore => "instructions-before".into(),
            Transform::InstructionsAfter => "instructions-after".into(),
            Transform::EvalSynonym(i) => format!("synonym:{}", self_eval::SYNONYMS[i].1),
        }
    }

    /// Whether the change is to other sheets only (a text export, one sheet, cannot show it).
    pub fn other_sheets(self) -> bool {
        matches!(
            self,
            Transform::CoverBefore
                | Transform::CoverAfter
                | Transform::InstructionsBefore
                | Transform::InstructionsAfter
        )
    }

    /// Changes `book`; false when the form has nothing this change applies to.
    pub fn apply(self, book: &mut Workbook, rng: &mut Rng) -> bool {
        let kind = book.kind;
        if self.skip_reason(kind).is_some() {
            return false;
        }
        let sheet = book.form_mut();
        let inserts_columns = matches!(
            self,
            Transform::EmptyCols | Transform::HiddenCol | Transform::MergedLabel
        );
        if inserts_columns && kind == FormKind::SelfEvaluation && !self_eval::columns_line_up(sheet)
        {
            // A text whose header and rows do not share columns: no column to insert.
            return false;
        }
        match self {
            Transform::Identity => true,
            Transform::EmptyRows => {
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(sheet.rows.len() + 1);
                    sheet.insert_row(at);
                }
                true
            }
            Transform::EmptyCols => {
                for _ in 0..1 + rng.below(2) {
                    let at = rng.below(sheet.width() + 1);
                    sheet.insert_col(at);
                }
                true
            }
            Transform::HiddenCol => {
                let at = rng.below(sheet.width() + 1);
                sheet.insert_col(at);
                sheet.hidden_cols.insert(at);
                true
            }
            Transform::HiddenRow => {
                let at = rng.below(sheet.rows.len() + 1);
                sheet.insert_row(at);
                sheet.hidden_rows.insert(at);
                true
            }
            Transform::MergedLabel => merged_label(sheet, kind, rng),
            Transform::SplitLabelSpace => split_labels(sheet, kind, rng, " "),
            Transform::SplitLabelNewline => split_labels(sheet, kind, rng, "\n"),
            Transform::Synonym(i) => synonym(sheet, SYNONYMS[i].0, SYNONYMS[i].1),
            Transform::EvalSynonym(i) => {
                synonym(sheet, self_eval::SYNONYMS[i].0, self_eval::SYNONYMS[i].1)
            }
            Transform::StarLabels => edit_labels(sheet, kind, rng, |s, rng| {
                format!("{}{s}", if rng.chance(50) { "*" } else { "* " })
            }),
            Transform::FullwidthColons => fullwidth_colons(sheet, kind),
            Transform::YearUnderTitle => year_under_title(sheet, kind, rng),
            Transform::ShareFraction => shares(sheet, kind, |_, _, p| {
                Some(Value::Number {
                    value: (p / hundred()).to_f64()?,
                    format: Some("0.00%".into()),
                })
            }),
            Transform::SharePercentText => shares(sheet, kind, |_, _, p| {
                Some(Value::Text(format!("{:.2}%", p.round_dp(2))))
            }),
            Transform::ShareFormula => match kind {
                FormKind::Declaration => share_formulas(sheet),
                FormKind::SelfEvaluation => {
                    self_eval::rate_formulas(sheet, |s| percentage(s).and_then(|p| p.to_f64()))
                }
            },
            Transform::FloatNoise => float_noise(sheet, rng),
            Transform::TotalFormula => match kind {
                FormKind::Declaration => total_formulas(sheet),
                FormKind::SelfEvaluation => {
                    let money = money_rows(sheet, kind);
                    self_eval::total_formulas(sheet, &money)
                }
            },
            Transform::TextAmounts => amounts(sheet, |v, f| Value::Text(display(v, f))),
            Transform::ThousandsFormat => amounts(sheet, |v, f| {
                let decimals = f
                    .and_then(|f| f.split_once('.'))
                    .map_or(0, |(_, d)| d.len());
                let format = if decimals == 0 {
                    "#,##0".to_owned()
                } else {
                    format!("#,##0.{}", "0".repeat(decimals))
                };
                Value::Number {
                    value: v,
                    format: Some(format),
                }
            }),
            Transform::CoverBefore | Transform::CoverAfter => {
                let cover = cover(book.form(), kind);
                add_sheet(book, cover, self == Transform::CoverBefore);
                true
            }
            Transform::InstructionsBefore | Transform::InstructionsAfter => {
                add_sheet(
                    book,
                    instructions(kind),
                    self == Transform::InstructionsBefore,
                );
                true
            }
        }
    }
}

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

/// Applies 2–4 distinct transformations (not `Identity`) in a random order; returns their
/// names joined by `+`, or `None` when one of them did not apply.
pub fn compose(book: &mut Workbook, rng: &mut Rng, text_only: bool) -> Option<String> {
    let mut pool: Vec<Transform> = Transform::all_for(book.kind)
        .into_iter()
        .filter(|t| *t != Transform::Identity && !(text_only && t.other_sheets()))
        .collect();
    let n = 2 + rng.below(3);
    let mut names = Vec::new();
    for _ in 0..n {
        let t = pool.remove(rng.below(pool.len()));
        if !t.apply(book, rng) {
            return None;
        }
        names.push(t.name());
    }
    Some(names.join("+"))
}

/// The places of label cells (text reading as one of the kind's labels), not inside a merge.
fn labels(sheet: &Sheet, kind: FormKind) -> Vec<(usize, usize)> {
    let labels = kind.labels();
    let mut v = Vec::new();
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Value::Text(s) = cell {
                if labels.contains(&normalise_label(s).as_str()) && !sheet.merged(r, c) {
                    v.push((r, c));
                }
            }
        }
    }
    v
}

fn merged_label(sheet: &mut Sheet, kind: FormKind, rng: &mut Rng) -> bool {
    let places = labels(sheet, kind);
    if places.is_empty() {
        return false;
    }
    let (r, c) = rng.pick(&places);
    sheet.insert_col(c + 1);
    sheet.merges.push(Merge {
        first_row: r,
        first_col: c,
        last_row: r,
        last_col: c + 1,
    });
    true
}

/// Rewrites about half of the label cells (at least one) with `edit`.
fn edit_labels(
    sheet: &mut Sheet,
    kind: FormKind,
    rng: &mut Rng,
    edit: impl Fn(&str, &mut Rng) -> String,
) -> bool {
    let places = labels(sheet, kind);
    if places.is_empty() {
        return false;
    }
    let must = rng.below(places.len());
    for (i, &(r, c)) in places.iter().enumerate() {
        if i == must || rng.chance(50) {
            let Value::Text(s) = sheet.get(r, c).clone() else {
                continue;
            };
            sheet.set(r, c, Value::Text(edit(&s, rng)));
        }
    }
    true
}

/// Labels split by a space or a line break between two of their characters
/// (`当年预算收支` → `当年 预算收支`).
fn split_labels(sheet: &mut Sheet, kind: FormKind, rng: &mut Rng, sep: &str) -> bool {
    edit_labels(sheet, kind, rng, |s, rng| {
        let chars: Vec<char> = s.chars().collect();
        // Between two CJK characters only, so `部门(单位)名称` never becomes `部门( 单位)`.
        let places: Vec<usize> = (1..chars.len())
            .filter(|&i| is_cjk(chars[i - 1]) && is_cjk(chars[i]))
            .collect();
        if places.is_empty() {
            return s.to_owned();
        }
        let at = rng.pick(&places);
        let mut out: String = chars[..at].iter().collect();
        out.push_str(sep);
        out.extend(&chars[at..]);
        out
    })
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn synonym(sheet: &mut Sheet, from: &[&str], to: &str) -> bool {
    let mut changed = false;
    for row in &mut sheet.rows {
        for cell in row.iter_mut() {
            if let Value::Text(s) = cell {
                if from.contains(&normalise_label(s).as_str()) {
                    let colon = if s.trim_end().ends_with(['：', ':']) {
                        "："
                    } else {
                        ""
                    };
                    *cell = Value::Text(format!("{to}{colon}"));
                    changed = true;
                }
            }
        }
    }
    changed
}

/// Every label gains a full-width colon; `单位: 万元` / `单位:万元` become `单位：万元`.
fn fullwidth_colons(sheet: &mut Sheet, kind: FormKind) -> bool {
    let places = labels(sheet, kind);
    for &(r, c) in &places {
        if let Value::Text(s) = sheet.get(r, c).clone() {
            let base = s.trim_end().trim_end_matches([':', '：']).to_owned();
            sheet.set(r, c, Value::Text(format!("{base}：")));
        }
    }
    let mut unit = false;
    for row in &mut sheet.rows {
        for cell in row.iter_mut() {
            if let Value::Text(s) = cell {
                let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                if t == "单位:万元" {
                    *cell = Value::Text("单位：万元".into());
                    unit = true;
                }
            }
        }
    }
    unit || !places.is_empty()
}

/// `2020年度部门整体支出绩效目标申报表` → `部门整体支出绩效目标申报表` with a row
/// `（2020年度）` under it, at every title of the sheet (a self-evaluation's too).
fn year_under_title(sheet: &mut Sheet, kind: FormKind, rng: &mut Rng) -> bool {
    let mut titles = Vec::new();
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Value::Text(s) = cell {
                let t = s.trim();
                let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
                if digits.len() != 4 {
                    continue;
                }
                let rest = &t[4..];
                let rest = rest
                    .strip_prefix("年度")
                    .or_else(|| rest.strip_prefix('年'))
                    .unwrap_or("");
                if kind.is_title(rest) {
                    titles.push((r, c, digits, rest.to_owned()));
                }
            }
        }
    }
    let style = rng.below(3);
    for (r, c, year, rest) in titles.iter().rev() {
        sheet.set(*r, *c, Value::Text(rest.clone()));
        sheet.insert_row(r + 1);
        let line = match style {
            0 => format!("（{year}年度）"),
            1 => format!("({year}年度)"),
            _ => format!("（{year}年）"),
        };
        sheet.set(r + 1, *c, Value::Text(line));
    }
    !titles.is_empty()
}

/// Rewrites each share cell (percent text in a row of the money block) with `f(row, col,
/// percentage)`.
fn shares(
    sheet: &mut Sheet,
    kind: FormKind,
    f: impl Fn(usize, usize, Decimal) -> Option<Value>,
) -> bool {
    let mut changed = false;
    for r in money_rows(sheet, kind) {
        for c in 0..sheet.rows[r].len() {
            let Value::Text(s) = &sheet.rows[r][c] else {
                continue;
            };
            let Some(percent) = percentage(s) else {
                continue;
            };
            if let Some(v) = f(r, c, percent) {
                if v != sheet.rows[r][c] {
                    sheet.rows[r][c] = v;
                    changed = true;
                }
            }
        }
    }
    changed
}

/// `93.58%` → 93.58, exactly.
fn percentage(s: &str) -> Option<Decimal> {
    percent_text(s)?;
    s.strip_suffix('%')?.parse().ok()
}

/// Shares as `amount/total` formulas: the first number of the share's row over the first
/// number of the next `合计` (or `资金总额`) row at or below it, the fraction cached.
fn share_formulas(sheet: &mut Sheet) -> bool {
    let first_number = |sheet: &Sheet, r: usize| {
        sheet.rows[r]
            .iter()
            .position(|v| matches!(v, Value::Number { .. }))
    };
    let rows = money_rows(sheet, FormKind::Declaration);
    let totals: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| {
            sheet.rows[r].iter().any(|v| match v {
                Value::Text(s) => matches!(normalise_label(s).as_str(), "合计" | "资金总额"),
                _ => false,
            })
        })
        .collect();
    let mut refs = Vec::new();
    for &r in &rows {
        let Some(total) = totals.iter().copied().find(|&t| t >= r) else {
            continue;
        };
        if let (Some(a), Some(t)) = (first_number(sheet, r), first_number(sheet, total)) {
            refs.push((r, a1(r, a), a1(total, t)));
        }
    }
    let sheet_rows = refs;
    shares(sheet, FormKind::Declaration, |r, _, p| {
        let (_, a, t) = sheet_rows.iter().find(|(row, _, _)| *row == r)?;
        Some(Value::Formula {
            formula: format!("{a}/{t}"),
            cached: (p / hundred()).to_f64()?,
            format: Some("0.00%".into()),
        })
    })
}

/// Rewrites every amount (a number cell with a fixed-decimals format) with `f(value, format)`.
fn amounts(sheet: &mut Sheet, f: impl Fn(f64, Option<&str>) -> Value) -> bool {
    let mut changed = false;
    for cell in sheet.rows.iter_mut().flatten() {
        if let Value::Number { value, format } = cell {
            if !format.as_deref().is_some_and(|f| f.ends_with('%')) {
                *cell = f(*value, format.as_deref());
                changed = true;
            }
        }
    }
    changed
}

/// In each `合计` row, an amount that is the sum of the two amounts above it in its column
/// becomes the formula `B5+B6` (what a clerk's sheet has); its value is cached.
fn total_formulas(sheet: &mut Sheet) -> bool {
    let mut changed = false;
    for r in money_rows(sheet, FormKind::Declaration) {
        let is_total = sheet.rows[r]
            .iter()
            .any(|v| matches!(v, Value::Text(s) if normalise_label(s) == "合计"));
        if !is_total || r < 2 {
            continue;
        }
        for c in 0..sheet.rows[r].len() {
            let number = |v: &Value| match v {
                Value::Number { value, .. } => Some(*value),
                _ => None,
            };
            let (Some(total), Some(a), Some(b)) = (
                number(sheet.get(r, c)),
                number(sheet.get(r - 2, c)),
                number(sheet.get(r - 1, c)),
            ) else {
                continue;
            };
            if (a + b - total).abs() < 0.005 {
                let format = sheet.get(r, c).format().map(str::to_owned);
                sheet.rows[r][c] = Value::Formula {
                    formula: format!("{}+{}", a1(r - 2, c), a1(r - 1, c)),
                    cached: total,
                    format,
                };
                changed = true;
            }
        }
    }
    changed
}

/// Every number formatted with fixed decimals moves one to three units in the last place.
fn float_noise(sheet: &mut Sheet, rng: &mut Rng) -> bool {
    let mut changed = false;
    for row in &mut sheet.rows {
        for cell in row.iter_mut() {
            if let Value::Number { value, format } = cell {
                if format.as_deref().is_some_and(|f| !f.ends_with('%')) && *value != 0.0 {
                    let up = rng.chance(50);
                    for _ in 0..1 + rng.below(3) {
                        *value = if up {
                            value.next_up()
                        } else {
                            value.next_down()
                        };
                    }
                    changed = true;
                }
            }
        }
    }
    changed
}

fn add_sheet(book: &mut Workbook, sheet: Sheet, before: bool) {
    if before {
        book.sheets.insert(0, sheet);
        book.form += 1;
    } else {
        book.sheets.push(sheet);
    }
}

/// A cover: the form's title, the department's name and a date, as a clerk's cover shows.
fn cover(form: &Sheet, kind: FormKind) -> Sheet {
    let texts: Vec<&str> = form
        .rows
        .iter()
        .flatten()
        .filter_map(|v| match v {
            Value::Text(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    let title = texts
        .iter()
        .find(|s| kind.is_title(s))
        .copied()
        .unwrap_or(match kind {
            FormKind::Declaration => "部门整体支出绩效目标申报表",
            FormKind::SelfEvaluation => "部门整体支出绩效自评表",
        });
    let department = texts
        .iter()
        .position(|s| {
            normalise_label(s).starts_with("部门") && normalise_label(s).ends_with("名称")
        })
        .and_then(|i| texts.get(i + 1))
        .copied()
        .unwrap_or("");
    let mut s = Sheet::new("封面");
    s.set(2, 1, Value::text(title));
    s.set(6, 1, Value::text(format!("报送单位（盖章）：{department}")));
    s.set(8, 1, Value::text("报送日期：    年  月  日"));
    s
}

/// Instructions for filling in the form, naming its labels as such sheets do.
fn instructions(kind: FormKind) -> Sheet {
    let declaration = [
        "填表说明",
        "1. 本表金额单位为万元，保留两位小数。",
        "2. “部门名称”填写部门全称，“填报人”“联系电话”填写经办人信息。",
        "3. “占比”为各项金额占合计的比例；财政拨款 + 其他资金 = 合计，基本支出 + 项目支出 = 合计。",
        "4. “年度目标”按年度目标1、年度目标2分块填写，每块填写一级指标、二级指标、指标名称、预期当年实现值和绩效标准。",
    ];
    let lines = match kind {
        FormKind::Declaration => &declaration[..],
        FormKind::SelfEvaluation => self_eval::INSTRUCTIONS,
    };
    let mut s = Sheet::new("填表说明");
    for (i, l) in lines.iter().enumerate() {
        s.set(i, 0, Value::text(*l));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Workbook {
        Workbook::from_export(
            "2020年度部门整体支出绩效目标申报表\n单位: 万元\n部门名称\t某局\n\t当年预算收支\t占比\n\
             财政拨款\t75\t75%\n其他资金\t25\t25%\n合计\t100\t100%\n",
        )
    }

    #[test]
    fn every_transformation_applies_to_a_small_form() {
        for t in Transform::all() {
            let mut b = form();
            let applies = t.apply(&mut b, &mut Rng::new(3));
            let expect = !matches!(t, Transform::Synonym(i) if !SYNONYMS[i].0.contains(&"部门名称"))
                && !matches!(t, Transform::EvalSynonym(_));
            assert_eq!(applies, expect, "{}", t.name());
        }
    }

    #[test]
    fn shares_become_formulas_over_the_total() {
        let mut b = form();
        assert!(Transform::ShareFormula.apply(&mut b, &mut Rng::new(1)));
        assert_eq!(
            b.form().get(4, 2),
            &Value::Formula {
                formula: "B5/B7".into(),
                cached: 0.75,
                format: Some("0.00%".into())
            }
        );
        assert_eq!(b.form().get(4, 2).shown(), "75.00%");
    }

    #[test]
    fn the_year_moves_under_the_title() {
        let mut b = form();
        assert!(Transform::YearUnderTitle.apply(&mut b, &mut Rng::new(1)));
        assert_eq!(b.form().get(0, 0).shown(), "部门整体支出绩效目标申报表");
        assert!(b.form().get(1, 0).shown().contains("2020"));
    }
}
