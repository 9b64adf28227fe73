//! One grid, many sources: every file becomes sheets of rows of cells as a person sees them
//! before any layout logic runs. A text export is one sheet whose rows are its lines; a
//! workbook gives one grid per worksheet, with numbers written as their number format shows
//! them (`workbook`). Layouts (`layouts`) only ever read grids.

use super::cells::{split_rows, RawRow};
use rust_decimal::{Decimal, RoundingStrategy};

/// One sheet of cells as displayed. `RawRow::line` is the source line of a text export or
/// the spreadsheet's own row number (1-based), so a finding points where the clerk looks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grid {
    /// The worksheet's name; `None` for a text export.
    pub sheet: Option<String>,
    pub rows: Vec<RawRow>,
    /// Whether cells show what the person saw. False for `.xls` and `.ods`, whose number
    /// formats calamine does not give: a share there may be the fraction behind `93.58%`.
    pub formats_known: bool,
}

impl Grid {
    /// The grid of a decoded text export (tabs between cells, Excel's quoting).
    pub fn from_text(text: &str) -> Grid {
        Grid {
            sheet: None,
            rows: split_rows(text),
            formats_known: true,
        }
    }
}

/// Formats a spreadsheet number as its number format displays it: float noise (a sum stored
/// as `286.40999999999997`) goes by the decimals the format shows, a percent format shows a
/// share (`0.9358` → `93.58%`). As in Excel, a value counts to 15 significant digits and
/// rounds half away from zero. Without a format (`General`, or a file kind whose formats are
/// not read) the value shows 14 significant digits without trailing zeros: `General` never
/// shows more than fit a cell, and 14 keep every real amount, phone number or code while
/// dropping the error a writer leaves in the 15th (LibreOffice saves the `.ods` value of
/// 86.87000000000005 as `86.8700000000001`, rounding twice).
pub fn display_number(value: f64, format: Option<&str>) -> String {
    let Some(exact) = excel_decimal(value) else {
        return "#NUM!".to_owned();
    };
    let shape = format.map(NumberShape::of).unwrap_or(NumberShape::General);
    let round = |d: Decimal, dp: usize| {
        d.round_dp_with_strategy(dp as u32, RoundingStrategy::MidpointAwayFromZero)
    };
    let text = match shape {
        NumberShape::Percent(dp) => format!("{:.dp$}%", round(exact * Decimal::ONE_HUNDRED, dp)),
        NumberShape::Fixed(dp) => format!("{:.dp$}", round(exact, dp)),
        NumberShape::General => match general_decimal(value) {
            Some(d) => d.normalize().to_string(),
            None => return "#NUM!".to_owned(),
        },
    };
    clean_zero(text)
}

/// The value Excel works with: the double to 15 significant digits, as an exact decimal.
fn excel_decimal(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    Decimal::from_scientific(&format!("{value:.14e}")).ok()
}

/// The value to the 14 significant digits `General` shows, as an exact decimal.
fn general_decimal(value: f64) -> Option<Decimal> {
    Decimal::from_scientific(&format!("{value:.13e}")).ok()
}

/// What a number format does to a value, as far as reading amounts and shares needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberShape {
    General,
    /// Digits with this many decimals (`0.00`, `#,##0.0`).
    Fixed(usize),
    /// A percentage with this many decimals (`0.00%`).
    Percent(usize),
}

impl NumberShape {
    fn of(code: &str) -> NumberShape {
        // The first section formats positive numbers; quoted text, escapes and bracketed
        // colours or conditions are not digits.
        let mut section = String::new();
        let mut chars = code.chars();
        let mut in_quotes = false;
        let mut in_brackets = false;
        while let Some(c) = chars.next() {
            match c {
                '"' => in_quotes = !in_quotes,
                _ if in_quotes => {}
                '[' => in_brackets = true,
                ']' => in_brackets = false,
                _ if in_brackets => {}
                '\\' | '_' | '*' => {
                    chars.next();
                }
                ';' => break,
                _ => section.push(c),
            }
        }
        if !section.contains(['0', '#', '?']) {
            return NumberShape::General;
        }
        let decimals = section.split_once('.').map_or(0, |(_, f)| {
            f.chars().filter(|c| matches!(c, '0' | '#' | '?')).count()
        });
        if section.contains('%') {
            NumberShape::Percent(decimals)
        } else {
            NumberShape::Fixed(decimals)
        }
    }
}

/// `-0.00` is how formatting writes a tiny negative noise value: it is zero.
fn clean_zero(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| matches!(c, '0' | '.')) => rest.to_owned(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_their_format_shows_them() {
        assert_eq!(display_number(286.40999999999997, Some("0.00")), "286.41");
        assert_eq!(display_number(286.40999999999997, None), "286.41");
        assert_eq!(
            display_number(286.40999999999997, Some("General")),
            "286.41"
        );
        assert_eq!(display_number(1286.405, Some("#,##0.00")), "1286.41");
        assert_eq!(display_number(0.9358, Some("0.00%")), "93.58%");
        assert_eq!(display_number(1.0, Some("0%")), "100%");
        assert_eq!(display_number(100.0, Some("0.00")), "100.00");
        assert_eq!(display_number(31.0, None), "31");
        assert_eq!(display_number(0.1 + 0.2, None), "0.3");
        assert_eq!(display_number(-1e-12, Some("0.00")), "0.00");
        assert_eq!(display_number(12.5, Some("0.00_);[Red](0.00)")), "12.50");
        assert_eq!(display_number(7.0, Some("\"约\"0\"万元\"")), "7");
        assert_eq!(display_number(f64::NAN, None), "#NUM!");
        assert_eq!(display_number(12345678901.5, None), "12345678901.5");
        // What LibreOffice writes to an .ods for 86.87000000000005 (regression, issue 10).
        assert_eq!(display_number(86.8700000000001, None), "86.87");
        assert_eq!(display_number(86.8700000000001, Some("0.00")), "86.87");
        assert_eq!(display_number(13912345678.0, None), "13912345678");
        assert_eq!(display_number(0.9358, None), "0.9358");
        assert_eq!(display_number(1e300, None), "#NUM!");
    }

    #[test]
    fn a_text_export_is_one_sheet_of_its_lines() {
        let grid = Grid::from_text("部门名称\t甲\n\n单位：万元\n");
        assert_eq!(grid.sheet, None);
        assert_eq!(grid.rows[0].cells, ["部门名称", "甲"]);
        assert_eq!(grid.rows[2].line, 3);
    }
}
