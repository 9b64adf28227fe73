//! Workbooks as departments save them (spec section 5), for the generator: a small model of
//! sheets of cells and three writers — Excel's text export (tab-separated, Excel's quoting),
//! Excel's "Unicode text" (UTF-16LE with BOM, CRLF) and `.xlsx` through rust_xlsxwriter with
//! merged cells, number formats with binary float noise, percent shares, totals as formulas
//! with cached results, text amounts (`'286.41`), in-cell line breaks and hidden columns.
//!
//! What a reader shows of a cell is decided here once (`Cell::shown`), so the truth written
//! beside a file is what Excel displays, whatever the format.

use super::Rng;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook};

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// An amount in 万元 (shown with its two decimals).
    Amount(Decimal),
    /// A share in percentage points (`93.58` is shown `93.58%`).
    Share(Decimal),
    /// A total: the sum of the amount cells at these (row, column) places of the same sheet.
    Sum(Decimal, Vec<(usize, usize)>),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    /// The text Excel displays (and writes to a text export).
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Amount(d) | Cell::Sum(d, _) => d.to_string(),
            Cell::Share(s) => format!("{s}%"),
        }
    }
}

/// A worksheet: rows of cells, merged ranges (first row, first col, last row, last col; the
/// value sits in the first cell, the others are `Empty`) and column widths in characters.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<(usize, usize, usize, usize)>,
    pub widths: Vec<f64>,
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name.to_string(),
            ..Sheet::default()
        }
    }

    /// Appends a row; returns its index.
    pub fn push(&mut self, cells: Vec<Cell>) -> usize {
        self.rows.push(cells);
        self.rows.len() - 1
    }

    /// Merges `rows × cols` starting at (row, col) when the range is larger than one cell.
    pub fn merge(&mut self, row: usize, col: usize, last_row: usize, last_col: usize) {
        if (row, col) != (last_row, last_col) {
            self.merges.push((row, col, last_row, last_col));
        }
    }

    /// The sheet as a text export: cells by tabs, rows by `eol`; a cell holding a tab, a line
    /// break or a quote is wrapped in quotes with inner quotes doubled (Excel's rule).
    pub fn to_text(&self, eol: &str) -> String {
        let mut out = String::new();
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| quote(&c.shown())).collect();
            out.push_str(&cells.join("\t"));
            out.push_str(eol);
        }
        out
    }
}

fn quote(s: &str) -> String {
    if s.contains(['\t', '\n', '\r', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Excel's "Unicode text": UTF-16LE with a BOM, CRLF line ends.
pub fn unicode_text(sheet: &Sheet) -> Vec<u8> {
    let text = sheet.to_text("\r\n");
    let mut v = vec![0xFF, 0xFE];
    text.encode_utf16()
        .for_each(|u| v.extend_from_slice(&u.to_le_bytes()));
    v
}

/// How an `.xlsx` stores what the sheet shows; chosen per file by the generator.
#[derive(Debug, Clone, Copy)]
pub struct XlsxStyle {
    /// Percentage of amount cells written as text (`'286.41`) rather than numbers.
    pub text_amounts: usize,
    /// Percentage of number cells stored with binary float noise (`286.40999999999997`).
    pub noise: usize,
    /// Percentage of shares written as fractions with a percent format (else text `93.58%`).
    pub percent_shares: usize,
    /// Totals as formulas with cached results (else plain numbers).
    pub formulas: bool,
    /// An empty hidden column A before the form (everything moves one column right).
    pub hidden_first_column: bool,
    /// Thousands separators in the amount format (`#,##0.00`).
    pub thousands: bool,
}

/// A1 name of a 0-based cell.
fn a1(row: usize, col: usize) -> String {
    let mut name = String::new();
    let mut c = col + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        name.insert(0, (b'A' + r as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{name}{}", row + 1)
}

/// `value` as a double, nudged by a few units in the last place when `noisy` (what a sum of
/// doubles leaves: `286.40999999999997`). Excel's 15 significant digits still show `value`.
fn double(value: Decimal, noisy: bool, rng: &mut Rng) -> f64 {
    let f = value.to_f64().unwrap_or(0.0);
    if !noisy || f == 0.0 {
        return f;
    }
    let ulps = rng.range(1, 3) as u64;
    if rng.chance(50) {
        f64::from_bits(f.to_bits() + ulps)
    } else {
        f64::from_bits(f.to_bits() - ulps)
    }
}

/// Writes the workbook. Same sheets, style and random stream ⇒ the same bytes (the document
/// properties carry a fixed date).
pub fn xlsx(sheets: &[Sheet], style: XlsxStyle, rng: &mut Rng) -> Result<Vec<u8>, String> {
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(2024, 1, 2).map_err(err)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&date));
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let amount_format = if style.thousands { "#,##0.00" } else { "0.00" };
    let amount = Format::new().set_num_format(amount_format);
    let percent = Format::new().set_num_format("0.00%");
    let quoted = Format::new().set_quote_prefix();
    let off = usize::from(style.hidden_first_column);
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).map_err(err)?;
        for (c, w) in sheet.widths.iter().enumerate() {
            ws.set_column_width((c + off) as u16, *w).map_err(err)?;
        }
        let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
        if style.hidden_first_column {
            ws.set_column_hidden(0).map_err(err)?;
        }
        // A trailing empty column, hidden, as forms copied from a wider template have.
        ws.set_column_hidden((width + off) as u16).map_err(err)?;
        let mut merged_first = std::collections::BTreeMap::new();
        for &(r, c, r2, c2) in &sheet.merges {
            merged_first.insert((r, c), (r2, c2));
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (xr, xc) = (r as u32, (c + off) as u16);
                if let Some(&(r2, c2)) = merged_first.get(&(r, c)) {
                    // A merged range takes a string; a number or formula overwrites its
                    // first cell afterwards, as rust_xlsxwriter documents.
                    let text = match cell {
                        Cell::Text(s) => s.as_str(),
                        _ => "",
                    };
                    ws.merge_range(xr, xc, r2 as u32, (c2 + off) as u16, text, &wrap)
                        .map_err(err)?;
                    if matches!(cell, Cell::Text(_) | Cell::Empty) {
                        continue;
                    }
                }
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) if s.contains('\n') => {
                        ws.write_string_with_format(xr, xc, s, &wrap).map_err(err)?;
                    }
                    Cell::Text(s) => {
                        ws.write_string(xr, xc, s).map_err(err)?;
                    }
                    Cell::Amount(d) => {
                        if rng.chance(style.text_amounts) {
                            ws.write_string_with_format(xr, xc, d.to_string(), &quoted)
                                .map_err(err)?;
                        } else {
                            let v = double(*d, rng.chance(style.noise), rng);
                            ws.write_number_with_format(xr, xc, v, &amount)
                                .map_err(err)?;
                        }
                    }
                    Cell::Share(s) => {
                        if rng.chance(style.percent_shares) {
                            let v = double(*s / Decimal::ONE_HUNDRED, rng.chance(style.noise), rng);
                            ws.write_number_with_format(xr, xc, v, &percent)
                                .map_err(err)?;
                        } else {
                            ws.write_string(xr, xc, cell.shown()).map_err(err)?;
                        }
                    }
                    Cell::Sum(d, parts) if style.formulas && !parts.is_empty() => {
                        let refs: Vec<String> =
                            parts.iter().map(|&(pr, pc)| a1(pr, pc + off)).collect();
                        let text = if rng.chance(50) {
                            format!("=SUM({})", refs.join(","))
                        } else {
                            format!("={}", refs.join("+"))
                        };
                        let cached = double(*d, rng.chance(style.noise), rng);
                        let formula = Formula::new(text).set_result(format!("{cached:?}"));
                        ws.write_formula_with_format(xr, xc, formula, &amount)
                            .map_err(err)?;
                    }
                    Cell::Sum(d, _) => {
                        let v = double(*d, rng.chance(style.noise), rng);
                        ws.write_number_with_format(xr, xc, v, &amount)
                            .map_err(err)?;
                    }
                }
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_export_quotes_like_excel() {
        let mut s = Sheet::new("表");
        s.push(vec![
            Cell::text("年\n度"),
            Cell::text("说\"明\""),
            Cell::Empty,
        ]);
        s.push(vec![
            Cell::Amount("286.40".parse().unwrap()),
            Cell::Share("93.58".parse().unwrap()),
        ]);
        assert_eq!(
            s.to_text("\n"),
            "\"年\n度\"\t\"说\"\"明\"\"\"\t\n286.40\t93.58%\n"
        );
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(9, 27), "AB10");
    }
}
