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

mod hubei;
mod single;
use hubei::hubei;
use single::{fujian, hunan};

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
