//! The XLSX rendering of a [`Table`]: one sheet with a frozen bold header, autofilter, widths
//! that fit Chinese text, amounts and percents as numbers with formats, text never a formula;
//! byte-for-byte the same file for the same table.

use super::{Cell, Table, TableError};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    ColNum, DocProperties, ExcelDateTime, Format, FormatAlign, IgnoreError, RowNum, Workbook,
    Worksheet, XlsxError,
};

/// The workbooks' zip compression (rust_xlsxwriter's default is 6): at 3 a 2,000-row
/// table is 12 % larger (217 against 192 KB) and a 2,000-department build takes 5 % less CPU
/// (deflate was a sixth of it at 6; at 1 the files are 60 % larger and the build no faster).
const ZIP_LEVEL: u8 = 3;

impl From<XlsxError> for TableError {
    fn from(e: XlsxError) -> Self {
        TableError::Xlsx(e.to_string())
    }
}

/// Excel number format for amounts (万元).
const AMOUNT_FORMAT: &str = "#,##0.00";
/// Excel number format for percentage points: the value 93.58 shows as `93.58%`.
const PERCENT_FORMAT: &str = "0.00\"%\"";
/// Excel number format for integers: plain digits, never scientific notation.
const INTEGER_FORMAT: &str = "0";

/// Fixed document creation time, so the XLSX bytes do not depend on when they were made.
const CREATED: (u16, u8, u8) = (2000, 1, 1);

/// Excel's limits.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLS: usize = 16_384;
/// Characters a cell holds.
const MAX_CELL_CHARS: usize = 32_767;
const MAX_SHEET_NAME_UTF16: usize = 31;

/// Column widths in Excel character units (a CJK character counts as 2).
const MIN_COL_WIDTH: usize = 6;
const MAX_COL_WIDTH: usize = 60;
/// Space around the content.
const COL_PADDING: usize = 2;
/// Room for the autofilter drop-down button in the header cell.
const FILTER_BUTTON_WIDTH: usize = 2;
/// Tables longer than this are written a row at a time (`Memory::RowByRow`).
const LOW_MEMORY_ROWS: usize = 5_000;

/// How rust_xlsxwriter holds a sheet while it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Memory {
    /// Every cell until the workbook is saved (~40 MB for the year table of a district of
    /// 20,000 departments, held while the build's other job runs).
    Whole,
    /// Each row flushed to a temporary file once the next begins ("low memory": strings still
    /// shared). The same sheet but for the rows' optional `spans` hint (tested), so it is
    /// kept for long tables and the small ones' bytes stay as published before.
    RowByRow,
}
/// Height of one line of 11 pt text (Excel's default row height), and Excel's maximum.
const LINE_HEIGHT_PT: f64 = 15.0;
const MAX_ROW_HEIGHT_PT: f64 = 409.0;

impl Table {
    /// XLSX: one sheet, bold header row frozen, autofilter on the header, column widths that fit
    /// Chinese text (count CJK chars as 2), amounts as real numbers with number format "#,##0.00",
    /// percents as numbers with format `0.00"%"` (value 93.58 shows as 93.58%), None as an empty
    /// cell, text as strings (never interpreted as formulas).
    /// DETERMINISTIC: the same table gives byte-identical files on every run and machine: the
    /// document creation time is fixed at 2000-01-01T00:00:00Z and rust_xlsxwriter stamps every
    /// zip entry with the DOS epoch (1980-01-01 00:00).
    ///
    /// Rows holding wrapped text (line breaks, or text wider than the 60-unit column cap) get
    /// an explicit height, so every line shows. A text longer than Excel's 32,767 characters is
    /// cut to fit and ends with `…`. Errors: more rows or columns than Excel allows.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, TableError> {
        let memory = if self.rows.len() > LOW_MEMORY_ROWS {
            Memory::RowByRow
        } else {
            Memory::Whole
        };
        self.to_xlsx_in(memory)
    }

    fn to_xlsx_in(&self, memory: Memory) -> Result<Vec<u8>, TableError> {
        let header_rows = usize::from(!self.headers.is_empty());
        let ncols = self.check_limits()?;
        let mut workbook = Workbook::new();
        workbook.set_zip_compression_level(ZIP_LEVEL);
        let created = ExcelDateTime::from_ymd(CREATED.0, CREATED.1, CREATED.2)?;
        workbook.set_properties(
            &DocProperties::new()
                .set_title(self.name.as_str())
                .set_creation_datetime(&created),
        );
        let sheet = match memory {
            Memory::Whole => workbook.add_worksheet(),
            Memory::RowByRow => workbook.add_worksheet_with_low_memory()?,
        };
        sheet.set_name(sheet_name(&self.name))?;
        let widths = column_widths(&self.headers, &self.rows, ncols);
        for (c, width) in widths.iter().enumerate() {
            // Widths are small integers, exactly representable.
            sheet.set_column_width(col_num(c), *width as f64)?;
        }
        self.write_header(sheet, &widths)?;
        let formats = Formats::new();
        for (r, row) in self.rows.iter().enumerate() {
            write_row(sheet, row_num(r + header_rows), row, &widths, &formats)?;
        }
        if !self.headers.is_empty() {
            sheet.set_freeze_panes(1, 0)?;
            let last_row = row_num(self.rows.len());
            sheet.autofilter(0, 0, last_row, col_num(self.headers.len() - 1))?;
        }
        if ncols > 0 && !self.rows.is_empty() {
            // Codes such as 功能科目 "2010101" are text on purpose: no green warning triangles.
            sheet.ignore_error_range(
                row_num(header_rows),
                0,
                row_num(header_rows + self.rows.len() - 1),
                col_num(ncols - 1),
                IgnoreError::NumberStoredAsText,
            )?;
        }
        Ok(workbook.save_to_buffer()?)
    }

    /// The number of columns, once the table is known to fit Excel's limits.
    fn check_limits(&self) -> Result<usize, TableError> {
        let rows = self.rows.len() + usize::from(!self.headers.is_empty());
        let ncols = self
            .rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(self.headers.len()))
            .max()
            .unwrap_or(0);
        if rows > MAX_ROWS {
            return Err(TableError::Xlsx(format!(
                "表格共 {rows} 行，超过 Excel 上限 {MAX_ROWS} 行"
            )));
        }
        if ncols > MAX_COLS {
            return Err(TableError::Xlsx(format!(
                "表格共 {ncols} 列，超过 Excel 上限 {MAX_COLS} 列"
            )));
        }
        Ok(ncols)
    }

    fn write_header(&self, sheet: &mut Worksheet, widths: &[usize]) -> Result<(), TableError> {
        if self.headers.is_empty() {
            return Ok(());
        }
        let format = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let mut lines = 1;
        for (c, header) in self.headers.iter().enumerate() {
            write_text(sheet, 0, col_num(c), header, Some(&format))?;
            lines = lines.max(wrapped_lines(header, FILTER_BUTTON_WIDTH, widths[c]));
        }
        set_row_lines(sheet, 0, lines)
    }
}

/// The cell formats of the data rows.
struct Formats {
    wrap: Format,
    amount: Format,
    percent: Format,
    integer: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            wrap: Format::new().set_text_wrap(),
            amount: Format::new().set_num_format(AMOUNT_FORMAT),
            percent: Format::new().set_num_format(PERCENT_FORMAT),
            integer: Format::new().set_num_format(INTEGER_FORMAT),
        }
    }
}

fn write_row(
    sheet: &mut Worksheet,
    row: RowNum,
    cells: &[Cell],
    widths: &[usize],
    formats: &Formats,
) -> Result<(), TableError> {
    let mut lines = 1;
    for (c, cell) in cells.iter().enumerate() {
        let col = col_num(c);
        match cell {
            Cell::Text(s) => {
                let cell_lines = wrapped_lines(s, 0, widths[c]);
                // Without a format the cell takes the default style (index 0), as it did with
                // `Format::default()`, whose lookup hashed the whole format for every cell.
                let format = (cell_lines > 1).then_some(&formats.wrap);
                write_text(sheet, row, col, s, format)?;
                lines = lines.max(cell_lines);
            }
            Cell::Amount(v) => write_decimal(sheet, row, col, *v, &formats.amount)?,
            Cell::Percent(v) => write_decimal(sheet, row, col, *v, &formats.percent)?,
            Cell::Integer(i) => {
                // Excel stores doubles; integers beyond ±2^53 lose precision, as they would
                // if typed into Excel.
                sheet.write_number_with_format(row, col, *i as f64, &formats.integer)?;
            }
        }
    }
    set_row_lines(sheet, row, lines)
}

/// Column widths in Excel character units: the widest content as displayed (CJK counts as 2,
/// amounts with thousands separators, the header plus its filter button), plus padding,
/// clamped to [`MIN_COL_WIDTH`]..=[`MAX_COL_WIDTH`]; longer text wraps.
fn column_widths(headers: &[String], rows: &[Vec<Cell>], ncols: usize) -> Vec<usize> {
    let mut widths = vec![0usize; ncols];
    for (c, header) in headers.iter().enumerate() {
        widths[c] = text_width(header) + FILTER_BUTTON_WIDTH;
    }
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            let width = match cell {
                Cell::Text(s) => text_width(s),
                Cell::Amount(v) => v.map_or(0, |d| crate::format::thousands(d).len()),
                Cell::Percent(v) => v.map_or(0, |d| crate::format::plain(Some(d)).len() + 1),
                Cell::Integer(i) => i.to_string().len(),
            };
            widths[c] = widths[c].max(width);
        }
    }
    widths
        .into_iter()
        .map(|w| (w + COL_PADDING).clamp(MIN_COL_WIDTH, MAX_COL_WIDTH))
        .collect()
}

/// How many lines `text` (plus `extra` units on its widest line, e.g. a filter button)
/// takes in a wrapping cell of `col_width` units. An estimate that errs towards more lines,
/// so wrapped text is never cut off.
fn wrapped_lines(text: &str, extra: usize, col_width: usize) -> usize {
    let usable = col_width.saturating_sub(1).max(1);
    text.split('\n')
        .map(|line| (line_width(line) + extra).div_ceil(usable).max(1))
        .sum()
}

/// Gives a row of wrapped text an explicit height: Excel autofits such rows only when it edits
/// them, and LibreOffice not at all on import, so multi-line cells would show one line.
fn set_row_lines(sheet: &mut Worksheet, row: RowNum, lines: usize) -> Result<(), TableError> {
    if lines > 1 {
        let height = (lines as f64 * LINE_HEIGHT_PT).min(MAX_ROW_HEIGHT_PT);
        sheet.set_row_height(row, height)?;
    }
    Ok(())
}

/// Formats a decimal rounded half away from zero to exactly 2 decimals, without `-0.00`.
/// Never goes through `f64`.
/// Writes a string cell (never a formula). An empty string leaves the cell empty.
fn write_text(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    text: &str,
    format: Option<&Format>,
) -> Result<(), TableError> {
    if text.is_empty() {
        return Ok(());
    }
    // A text longer than a cell holds is cut and marked, never an error: one form's text
    // must not fail the build (the form gets a `field-too-long` diagnostic when read).
    let cut;
    let text = match text.char_indices().nth(MAX_CELL_CHARS) {
        Some(_) => {
            let end = text
                .char_indices()
                .nth(MAX_CELL_CHARS - 1)
                .map_or(text.len(), |(i, _)| i);
            cut = format!("{}…", &text[..end]);
            cut.as_str()
        }
        None => text,
    };
    // rust_xlsxwriter escapes control characters as `_xHHHH_` and protects literal
    // `_xHHHH_` text as `_x005F_xHHHH_`, as Excel does; the round-trip test checks it.
    match format {
        Some(format) => sheet.write_string_with_format(row, col, text, format)?,
        None => sheet.write_string(row, col, text)?,
    };
    Ok(())
}

/// Writes an amount or percent as a number rounded to 2 decimals; `None` is a blank cell that
/// keeps the number format (so a value typed in later is formatted like its neighbours).
fn write_decimal(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    value: Option<Decimal>,
    format: &Format,
) -> Result<(), TableError> {
    match value {
        None => {
            sheet.write_blank(row, col, format)?;
        }
        Some(d) => {
            // Parse the exact 2-decimal text: Rust's float parsing is correctly rounded, so
            // the cell holds the same double Excel would store for the typed value (the
            // `rust_decimal` feature's `Decimal::to_f64` is not guaranteed to be nearest).
            let text = crate::format::plain(Some(d));
            let number: f64 = text
                .parse()
                .map_err(|_| TableError::Xlsx(format!("无法将金额 {text} 写为数值")))?;
            sheet.write_number_with_format(row, col, number, format)?;
        }
    }
    Ok(())
}

/// A valid, non-reserved Excel sheet name derived from `name`: `[]:*?/\` and control
/// characters become `_`, at most 31 UTF-16 units, no leading/trailing apostrophe,
/// never blank (`Sheet1`) and never Excel's reserved `History`.
fn sheet_name(name: &str) -> String {
    let mut out = String::new();
    let mut units = 0;
    for ch in name.chars() {
        let ch = if matches!(ch, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || ch.is_control() {
            '_'
        } else {
            ch
        };
        if units + ch.len_utf16() > MAX_SHEET_NAME_UTF16 {
            break;
        }
        units += ch.len_utf16();
        out.push(ch);
    }
    let out = out.trim_matches('\'').trim();
    if out.is_empty() {
        "Sheet1".to_owned()
    } else if out.eq_ignore_ascii_case("history") {
        format!("{out}_")
    } else {
        out.to_owned()
    }
}

/// Display width in Excel character units of the widest line: East Asian wide and full-width
/// characters count as 2, everything else as 1.
fn text_width(s: &str) -> usize {
    s.split('\n').map(line_width).max().unwrap_or(0)
}

/// Display width of one line (see [`text_width`]).
fn line_width(line: &str) -> usize {
    line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F        // Hangul Jamo
        | 0x2E80..=0x303E      // CJK radicals, Kangxi, CJK symbols and punctuation (、。「」)
        | 0x3041..=0x33FF      // Kana, Bopomofo, CJK compatibility
        | 0x3400..=0x4DBF      // CJK Extension A
        | 0x4E00..=0x9FFF      // CJK Unified Ideographs
        | 0xA000..=0xA4CF      // Yi
        | 0xAC00..=0xD7A3      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFE30..=0xFE4F      // CJK compatibility forms
        | 0xFF00..=0xFF60      // Full-width forms (，（）％)
        | 0xFFE0..=0xFFE6      // Full-width signs (￥)
        | 0x20000..=0x3FFFD    // CJK Extensions B and later
    )
}

/// Row index for rust_xlsxwriter; callers have checked the table against [`MAX_ROWS`].
fn row_num(i: usize) -> RowNum {
    RowNum::try_from(i).expect("row count checked against Excel's limit")
}

/// Column index for rust_xlsxwriter; callers have checked the table against [`MAX_COLS`].
fn col_num(i: usize) -> ColNum {
    ColNum::try_from(i).expect("column count checked against Excel's limit")
}

#[cfg(test)]
mod tests;
