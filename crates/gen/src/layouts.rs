//! The provinces' layouts of the declaration (spec section 5, `layouts-observed.md`) and the
//! file formats departments hand in, for the generator. A clean form built for the sample's
//! layout is reprinted as `hubei`, `hubei-pdf`, `fujian` or `hunan` and saved as a text
//! export, Excel "Unicode text" or `.xlsx`; its expected declaration is changed to what that
//! layout carries (`layout`, `null` money blocks, `budget_code`, `duties`, one indicator table
//! with 三级指标, units, value kinds and explanations).
//!
//! | layout | money | indicators |
//! | --- | --- | --- |
//! | `hubei` | income + expenditure, budget year, 占比, 2 prior years | per goal |
//! | `hubei-pdf` | as hubei, columns 当年金额 / 近两年收支金额 / 占比 (share last) | per goal |
//! | `fujian` | expenditure budget only (资金总额 / 项目支出 / 基本支出) | one table, 指标解释 / 目标值 |
//! | `hunan` | none | one table, 指标值类型 / 指标值 / 计量单位 / 指标解释 / 评(扣)分标准 / 备注 |

use super::sheets::{self, Cell, Sheet, XlsxStyle};
use super::{BudgetLine, DeptStable, YearMap};
use super::{Declaration, Expenditure, Form, Goal, Income, Indicator, Rng, MROWS};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;

/// A layout the generator prints forms in (`--layouts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FormLayout {
    Hubei,
    HubeiPdf,
    Fujian,
    Hunan,
}

impl FormLayout {
    pub const ALL: [FormLayout; 4] = [
        FormLayout::Hubei,
        FormLayout::HubeiPdf,
        FormLayout::Fujian,
        FormLayout::Hunan,
    ];

    pub fn key(self) -> &'static str {
        match self {
            FormLayout::Hubei => "hubei",
            FormLayout::HubeiPdf => "hubei-pdf",
            FormLayout::Fujian => "fujian",
            FormLayout::Hunan => "hunan",
        }
    }

    /// `hubei,fujian` or `all` (used by main.rs, not by the tests that include this file).
    #[allow(dead_code)]
    pub fn parse_list(list: &str) -> Result<Vec<FormLayout>, String> {
        if list == "all" {
            return Ok(Self::ALL.to_vec());
        }
        list.split(',')
            .map(|k| {
                Self::ALL
                    .into_iter()
                    .find(|l| l.key() == k.trim())
                    .ok_or_else(|| {
                        format!("unknown layout {k:?} (hubei, hubei-pdf, fujian, hunan)")
                    })
            })
            .collect()
    }
}

/// A file format the generator saves forms in (`--formats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileFormat {
    /// The text export (`.txt`): UTF-8 or GB18030, tabs, Excel's quoting.
    Txt,
    /// Excel's "Unicode text" (`.txt`): UTF-16LE with BOM, tabs, CRLF, quoting.
    Utxt,
    /// A workbook written by rust_xlsxwriter (`.xlsx`).
    Xlsx,
}

impl FileFormat {
    pub const ALL: [FileFormat; 3] = [FileFormat::Txt, FileFormat::Utxt, FileFormat::Xlsx];

    pub fn key(self) -> &'static str {
        match self {
            FileFormat::Txt => "txt",
            FileFormat::Utxt => "utxt",
            FileFormat::Xlsx => "xlsx",
        }
    }

    #[allow(dead_code)]
    pub fn parse_list(list: &str) -> Result<Vec<FileFormat>, String> {
        if list == "all" {
            return Ok(Self::ALL.to_vec());
        }
        list.split(',')
            .map(|k| {
                Self::ALL
                    .into_iter()
                    .find(|f| f.key() == k.trim())
                    .ok_or_else(|| format!("unknown format {k:?} (txt, utxt, xlsx)"))
            })
            .collect()
    }
}

/// A row of Fujian's `年度履职目标` table (canonical `duties[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Duty {
    pub function: Option<String>,
    pub task: Option<String>,
    pub project: Option<String>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub amount: Option<Decimal>,
}

/// A money block that a layout may lack: `null` in canonical JSON when absent.
pub trait Block: Default + Serialize + for<'de> Deserialize<'de> {
    fn is_absent(&self) -> bool;
    fn absent() -> Self;
}

impl Block for Income {
    fn is_absent(&self) -> bool {
        self.absent
    }
    fn absent() -> Self {
        Income {
            absent: true,
            ..Income::default()
        }
    }
}

impl Block for Expenditure {
    fn is_absent(&self) -> bool {
        self.absent
    }
    fn absent() -> Self {
        Expenditure {
            absent: true,
            ..Expenditure::default()
        }
    }
}

/// `#[serde(with)]` for `income` / `expenditure`: an absent block is `null`.
pub mod block {
    use super::Block;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: Block, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        if v.is_absent() {
            s.serialize_none()
        } else {
            v.serialize(s)
        }
    }

    pub fn deserialize<'de, T: Block, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        Ok(Option::<T>::deserialize(d)?.unwrap_or_else(T::absent))
    }
}

/// `#[serde(with)]` for `goals[].number`: `0` (a layout's single table) is `null`.
pub mod goal_number {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(n: &u32, s: S) -> Result<S::Ok, S::Error> {
        match n {
            0 => s.serialize_none(),
            n => s.serialize_u32(*n),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        Ok(Option::<u32>::deserialize(d)?.unwrap_or(0))
    }
}

/// The layout (drawn from the department's stream, so it keeps its layout every year) and
/// the format (drawn per file) of one clean form: uniform over what the options allow (an
/// empty list is `hubei` / `txt`).
pub fn choose(
    layouts: &[FormLayout],
    formats: &[FileFormat],
    dept_rng: &mut Rng,
    rng: &mut Rng,
) -> (FormLayout, FileFormat) {
    let layout = if layouts.is_empty() {
        FormLayout::Hubei
    } else {
        layouts[dept_rng.below(layouts.len())]
    };
    let format = if formats.is_empty() {
        FileFormat::Txt
    } else {
        formats[rng.below(formats.len())]
    };
    (layout, format)
}

/// What was written for the truth file.
pub struct Written {
    /// File name inside the district folder.
    pub file: String,
    /// `"text"`, `"unicode-text"` or `"xlsx"`.
    pub format: String,
    pub encoding: String,
    /// Workbook and layout features used (`merged-cells`, `percent-shares`, …).
    pub quirks: Vec<String>,
}

/// Reprints `form` in `layout`, saves it as `format` under `dir/<name>.<ext>`, and turns
/// `form.decl` into the declaration that file holds.
pub fn write(
    dir: &Path,
    name: &str,
    form: &mut Form,
    stable: &DeptStable,
    layout: FormLayout,
    format: FileFormat,
    rng: &mut Rng,
) -> io::Result<Written> {
    let mut quirks: Vec<&'static str> = Vec::new();
    let sheet = match layout {
        FormLayout::Hubei => hubei(&mut form.decl, form.year, false, rng, &mut quirks),
        FormLayout::HubeiPdf => hubei(&mut form.decl, form.year, true, rng, &mut quirks),
        FormLayout::Fujian => fujian(&mut form.decl, stable, rng, &mut quirks),
        FormLayout::Hunan => hunan(&mut form.decl, rng, &mut quirks),
    };
    form.decl.layout = Some(layout.key().to_string());
    let (file, fmt, encoding, bytes) = match format {
        FileFormat::Txt => {
            let crlf = rng.chance(50);
            let text = sheet.to_text(if crlf { "\r\n" } else { "\n" });
            if crlf {
                quirks.push("crlf");
            }
            let (bytes, enc) = if rng.chance(30) {
                (encoding_rs::GB18030.encode(&text).0.into_owned(), "gb18030")
            } else {
                (text.into_bytes(), "utf-8")
            };
            (format!("{name}.txt"), "text", enc, bytes)
        }
        FileFormat::Utxt => (
            format!("{name}.txt"),
            "unicode-text",
            "utf-16le",
            sheets::unicode_text(&sheet),
        ),
        FileFormat::Xlsx => {
            let style = XlsxStyle {
                text_amounts: if rng.chance(30) { 20 } else { 0 },
                noise: 40,
                percent_shares: if rng.chance(20) { 0 } else { 90 },
                formulas: rng.chance(70),
                hidden_first_column: rng.chance(40),
                thousands: rng.chance(30),
            };
            let mut book = Vec::new();
            match rng.below(4) {
                0 => {
                    book.push(cover(&form.decl, form.year));
                    quirks.push("cover-sheet");
                }
                1 => {
                    book.push(instructions());
                    quirks.push("instructions-sheet");
                }
                _ => {}
            }
            book.push(sheet);
            if rng.chance(25) && !quirks.contains(&"instructions-sheet") {
                book.push(instructions());
                quirks.push("instructions-sheet-after");
            }
            // Name only what the layout has cells for: hunan has no money, fujian no shares.
            let money = layout != FormLayout::Hunan;
            let shares = matches!(layout, FormLayout::Hubei | FormLayout::HubeiPdf);
            for (on, q) in [
                (money && style.text_amounts > 0, "text-amounts"),
                (shares && style.percent_shares > 0, "percent-shares"),
                (money && style.formulas, "formula-totals"),
                (style.hidden_first_column, "hidden-column"),
                (money && style.thousands, "thousands-format"),
            ] {
                if on {
                    quirks.push(q);
                }
            }
            let bytes = sheets::xlsx(&book, style, rng).map_err(io::Error::other)?;
            (format!("{name}.xlsx"), "xlsx", "none", bytes)
        }
    };
    std::fs::write(dir.join(&file), bytes)?;
    quirks.sort_unstable();
    quirks.dedup();
    Ok(Written {
        file,
        format: fmt.to_string(),
        encoding: encoding.to_string(),
        quirks: quirks.into_iter().map(str::to_string).collect(),
    })
}

fn t(s: &str) -> Cell {
    Cell::text(s)
}

fn opt(s: &Option<String>) -> Cell {
    Cell::text(s.clone().unwrap_or_default())
}

fn amount(d: Option<Decimal>) -> Cell {
    d.map_or(Cell::Empty, Cell::Amount)
}

/// Pads a row to `width` cells.
fn padded(mut cells: Vec<Cell>, width: usize) -> Vec<Cell> {
    cells.resize(width, Cell::Empty);
    cells
}

/// A long text: numbered paragraphs joined by in-cell line breaks (Alt+Enter) or spaces.
fn long_text(ps: &[String], breaks: bool) -> String {
    ps.join(if breaks { "\n" } else { " " })
}

/// A label written with an in-cell line break in the middle, as narrow template columns have.
fn broken(label: &str, rng: &mut Rng, quirks: &mut Vec<&'static str>) -> Cell {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() < 4 || !rng.chance(25) {
        return t(label);
    }
    quirks.push("label-line-breaks");
    let mid = chars.len() / 2;
    let s: String = chars[..mid]
        .iter()
        .chain(['\n'].iter())
        .chain(chars[mid..].iter())
        .collect();
    Cell::Text(s)
}

/// `hubei` (the sample's layout) or `hubei-pdf` (`附件2`, `填报日期` beside the name,
/// `总体资金情况` with `当年金额`, `近两年收支金额` and `占比` last).
fn hubei(
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
    let y1 = format!("{}年", year - 1);
    let y2 = format!("{}年", year - 2);
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
        let label = super::MRow::label(MROWS[k]);
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

/// `fujian`: 部门整体支出绩效目标表 with 部门预算编码, the expenditure budget only, `目标N：`
/// texts, the 年度履职目标 table and one indicator table.
fn fujian(
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
        duties.push(super::layouts::Duty {
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
fn hunan(decl: &mut Declaration, rng: &mut Rng, quirks: &mut Vec<&'static str>) -> Sheet {
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

/// The indicator rows of a single table: 一级 and 二级 merged over their runs.
fn indicator_rows(
    s: &mut Sheet,
    first: usize,
    indicators: &[Indicator],
    width: usize,
    rest: impl Fn(&Indicator) -> Vec<Cell>,
) {
    let (mut l1_start, mut l2_start) = (first, first);
    let mut prev: Option<(&Option<String>, &Option<String>)> = None;
    for ind in indicators {
        let row = s.rows.len();
        let new_l1 = prev.is_none_or(|(a, _)| a != &ind.level1);
        let new_l2 = new_l1 || prev.is_none_or(|(_, b)| b != &ind.level2);
        if prev.is_some() && new_l1 {
            s.merge(l1_start, 0, row - 1, 0);
            l1_start = row;
        }
        if prev.is_some() && new_l2 {
            s.merge(l2_start, 1, row - 1, 1);
            l2_start = row;
        }
        prev = Some((&ind.level1, &ind.level2));
        let mut cells = vec![
            if new_l1 {
                opt(&ind.level1)
            } else {
                Cell::Empty
            },
            if new_l2 {
                opt(&ind.level2)
            } else {
                Cell::Empty
            },
        ];
        cells.extend(rest(ind));
        s.push(padded(cells, width));
    }
    if prev.is_some() {
        let last = s.rows.len() - 1;
        s.merge(l1_start, 0, last, 0);
        s.merge(l2_start, 1, last, 1);
    }
}

/// One table lists 产出 first, then 效益, 满意度 and 成本, keeping each group's order.
fn sort_by_level1(indicators: &mut [Indicator]) {
    let rank = |i: &Indicator| match i.level1.as_deref().unwrap_or("") {
        "产出指标" => 0,
        "效益指标" => 1,
        "满意度指标" => 2,
        _ => 3,
    };
    indicators.sort_by_key(|i| (rank(i), i.level2.clone()));
}

/// `≥500人次` → (`≥500`, `人次`); `≥95%` → (`≥95`, `%`); text without a number stays whole.
fn split_unit(target: &str) -> (String, Option<String>) {
    let Some(last_digit) = target.rfind(|c: char| c.is_ascii_digit()) else {
        return (target.to_string(), None);
    };
    let (value, unit) = target.split_at(last_digit + 1);
    let starts_numeric = target
        .trim_start_matches(['≥', '≤', '<', '>', '='])
        .starts_with(|c: char| c.is_ascii_digit());
    let unit_like = !unit.is_empty()
        && unit.chars().count() <= 3
        && !unit.contains(|c: char| c.is_ascii_digit() || "前后内年".contains(c));
    if !unit_like || !starts_numeric {
        return (target.to_string(), None);
    }
    (value.to_string(), Some(unit.to_string()))
}

/// A `封面` sheet before the form: who hands in what, without the form's labels.
fn cover(decl: &Declaration, year: i32) -> Sheet {
    let mut s = Sheet::new("封面");
    s.push(vec![t(&format!("{year}年度预算绩效目标申报材料"))]);
    s.push(vec![]);
    s.push(vec![t("报送单位"), opt(&decl.department)]);
    s.push(vec![t("报送日期"), t(&format!("{}年1月", year - 1))]);
    s
}

/// A `填表说明` sheet: the template's instructions.
fn instructions() -> Sheet {
    let mut s = Sheet::new("填表说明");
    s.widths = vec![90.0];
    for line in [
        "填表说明",
        "1. 金额单位为万元，保留两位小数。",
        "2. “二级指标”中“产出指标”请选择填报数量、质量、时效、成本等指标。",
        "3. 带*号的为必填项。",
    ] {
        s.push(vec![t(line)]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_split_from_numeric_targets_only() {
        assert_eq!(split_unit("≥500人次"), ("≥500".into(), Some("人次".into())));
        assert_eq!(split_unit("≥95%"), ("≥95".into(), Some("%".into())));
        assert_eq!(split_unit("100%"), ("100".into(), Some("%".into())));
        assert_eq!(split_unit("12月底前"), ("12月底前".into(), None));
        assert_eq!(split_unit("≤30万元"), ("≤30".into(), Some("万元".into())));
        assert_eq!(split_unit("持续3年"), ("持续3年".into(), None));
        assert_eq!(split_unit("显著提高"), ("显著提高".into(), None));
    }
}
