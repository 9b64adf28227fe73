//! The XLSX rendering of a [`Table`]: one sheet with a frozen bold header, autofilter, widths
//! that fit Chinese text, amounts and percents as numbers with formats, text never a formula;
//! byte-for-byte the same file for the same table.

use super::{Cell, Table, TableError};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    ColNum, DocProperties, ExcelDateTime, Format, FormatAlign, IgnoreError, RowNum, Workbook,
    Worksheet, XlsxError,
};

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
            write_text(sheet, 0, col_num(c), header, &format)?;
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
                let format = if cell_lines > 1 {
                    &formats.wrap
                } else {
                    &Format::default()
                };
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
    format: &Format,
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
    sheet.write_string_with_format(row, col, text, format)?;
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
mod tests {
    use super::super::tests::{dec, sample};
    use super::*;

    // ---- sheet names and widths ----

    #[test]
    fn sheet_names_are_sanitised() {
        assert_eq!(sheet_name("收入预算表"), "收入预算表");
        assert_eq!(sheet_name("a[b]c:d*e?f/g\\h"), "a_b_c_d_e_f_g_h");
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name("''"), "Sheet1");
        assert_eq!(sheet_name("'quoted'"), "quoted");
        assert_eq!(sheet_name("tab\there"), "tab_here");
        assert_eq!(sheet_name("History"), "History_");
        let long = "一二三四五六七八九十".repeat(4);
        assert_eq!(sheet_name(&long).chars().count(), 31);
        // Astral characters take two UTF-16 units and are never split.
        let astral = "𠀀".repeat(20);
        assert_eq!(sheet_name(&astral), "𠀀".repeat(15));
        // Truncation that ends on an apostrophe is trimmed again.
        let edge = format!("{}'x", "a".repeat(30));
        assert_eq!(sheet_name(&edge), "a".repeat(30));
    }

    #[test]
    fn text_width_counts_cjk_as_two() {
        assert_eq!(text_width("abc"), 3);
        assert_eq!(text_width("项目"), 4);
        assert_eq!(text_width("金额（万元）"), 12);
        assert_eq!(text_width("短\n长一点的行"), 10);
        assert_eq!(text_width(""), 0);
    }

    #[test]
    fn column_widths_fit_content_within_bounds() {
        let headers = vec!["项目".to_owned(), "金额（万元）".to_owned(), "x".to_owned()];
        let rows = vec![
            vec![
                Cell::Text("一般公共预算".into()),
                Cell::Amount(Some(dec("-1234567.891"))),
                Cell::Text("很长".repeat(40)),
            ],
            vec![
                Cell::Integer(7),
                Cell::Amount(None),
                Cell::Percent(None),
                Cell::Integer(1),
            ],
        ];
        // 项目: max(4 + 2 filter, 12) + 2; 金额: max(12 + 2, "-1,234,567.89" = 13) + 2;
        // long text capped; a column with only a 1-digit integer gets the minimum.
        assert_eq!(
            column_widths(&headers, &rows, 4),
            vec![14, 16, MAX_COL_WIDTH, MIN_COL_WIDTH]
        );
    }

    #[test]
    fn wrapped_lines_estimates_generously() {
        assert_eq!(wrapped_lines("", 0, 10), 1);
        assert_eq!(wrapped_lines("短文本", 0, 10), 1);
        assert_eq!(wrapped_lines("多行\n文本", 0, 10), 2);
        assert_eq!(
            wrapped_lines("一二三四五", 0, 10),
            2,
            "10 units do not fit in 10 - 1"
        );
        assert_eq!(wrapped_lines(&"长".repeat(60), 0, MAX_COL_WIDTH), 3);
        assert_eq!(wrapped_lines("表头", FILTER_BUTTON_WIDTH, 6), 2);
    }

    // ---- XLSX ----

    #[test]
    fn xlsx_is_a_zip() {
        let bytes = sample().to_xlsx().unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }

    #[test]
    fn xlsx_is_deterministic_across_time() {
        // The clock reaches an XLSX in two places only: the document's creation time
        // (docProps/core.xml) and the zip entries' times (see the next test). The first is
        // fixed, so two renders at any two moments give the same bytes, without waiting.
        let first = sample().to_xlsx().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(first.clone())).unwrap();
        let mut core = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
            .unwrap();
        assert!(
            core.contains(">2000-01-01T00:00:00Z</dcterms:created>"),
            "{core}"
        );
        assert!(
            !core.contains("dcterms:modified")
                || core.contains(">2000-01-01T00:00:00Z</dcterms:modified>"),
            "{core}"
        );
        let second = sample().to_xlsx().unwrap();
        assert!(first == second, "XLSX bytes differ between runs");
        // A different table does give different bytes (the comparison is meaningful).
        let mut other = sample();
        other.rows[0][3] = Cell::Integer(13);
        assert!(other.to_xlsx().unwrap() != first);
    }

    #[test]
    fn xlsx_zip_entries_have_fixed_dates() {
        let bytes = sample().to_xlsx().unwrap();
        // Every local file header carries the DOS time/date 1980-01-01 00:00 (0x0000, 0x0021).
        let mut count = 0;
        for i in 0..bytes.len().saturating_sub(14) {
            if &bytes[i..i + 4] == b"PK\x03\x04" {
                assert_eq!(&bytes[i + 10..i + 14], &[0, 0, 0x21, 0], "entry at {i}");
                count += 1;
            }
        }
        assert!(count >= 8, "found {count} zip entries");
    }

    #[test]
    fn xlsx_rejects_nothing_for_odd_tables() {
        // No headers, ragged rows, a name that needs sanitising, empty table.
        let odd = Table {
            name: "[bad]/name:*?".into(),
            headers: vec![],
            rows: vec![
                vec![Cell::Integer(1)],
                vec![],
                vec![Cell::Text("x".into()); 3],
            ],
        };
        assert!(odd.to_xlsx().is_ok());
        let empty = Table {
            name: String::new(),
            headers: vec![],
            rows: vec![],
        };
        assert!(empty.to_xlsx().is_ok());
        let wide_rows = Table {
            name: "t".into(),
            headers: vec!["a".into()],
            rows: vec![vec![Cell::Integer(1), Cell::Integer(2)]],
        };
        assert!(wide_rows.to_xlsx().is_ok());
    }

    #[test]
    fn an_over_long_text_is_cut_to_fit_a_cell_not_an_error() {
        let t = Table {
            name: "t".into(),
            headers: vec!["名".repeat(40_000)],
            rows: vec![vec![Cell::Text("长".repeat(40_000))]],
        };
        let bytes = t.to_xlsx().unwrap();
        let (range, _) = read_back(bytes, "t");
        let Some(calamine::Data::String(s)) = range.get_value((1, 0)) else {
            panic!("no text cell");
        };
        assert_eq!(s.chars().count(), MAX_CELL_CHARS);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn xlsx_errors_are_reported_in_chinese() {
        let t = Table {
            name: "t".into(),
            headers: vec![],
            rows: vec![vec![Cell::Text(String::new()); MAX_COLS + 1]],
        };
        let err = t.to_xlsx().unwrap_err();
        assert!(
            err.to_string().starts_with("生成 Excel 文件失败："),
            "{err}"
        );
    }

    // ---- XLSX read back with calamine ----

    fn read_back(
        bytes: Vec<u8>,
        sheet: &str,
    ) -> (calamine::Range<calamine::Data>, calamine::StyleRange) {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), vec![sheet.to_owned()]);
        let range = book.worksheet_range(sheet).unwrap();
        let styles = book.worksheet_style(sheet).unwrap();
        (range, styles)
    }

    fn number_format(styles: &calamine::StyleRange, pos: (u32, u32)) -> Option<String> {
        styles
            .get(pos)
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
    }

    #[test]
    fn xlsx_reads_back_with_types_and_formats() {
        use calamine::Data;
        let (range, styles) = read_back(sample().to_xlsx().unwrap(), "收入预算表");
        assert_eq!(range.start(), Some((0, 0)));
        assert_eq!(range.get_size(), (4, 4));
        let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);

        assert_eq!(cell(0, 0), Data::String("项目".into()));
        assert_eq!(cell(0, 1), Data::String("金额（万元）".into()));
        assert!(styles.get((0, 0)).unwrap().font.as_ref().unwrap().is_bold());

        // Numbers are numbers, rounded to 2 decimals; the double is the nearest to the text.
        assert_eq!(cell(1, 0), Data::String("一般公共预算拨款收入".into()));
        assert_eq!(cell(1, 1), Data::Float(1234567.90));
        assert_eq!(cell(1, 2), Data::Float(93.58));
        assert_eq!(cell(1, 3), Data::Float(12.0));
        assert_eq!(
            number_format(&styles, (1, 1)).as_deref(),
            Some(AMOUNT_FORMAT)
        );
        assert_eq!(
            number_format(&styles, (1, 2)).as_deref(),
            Some(PERCENT_FORMAT)
        );
        assert_eq!(
            number_format(&styles, (1, 3)).as_deref(),
            Some(INTEGER_FORMAT)
        );

        // Text is text, never a formula; negative amounts stay numbers.
        assert_eq!(cell(2, 0), Data::String("=1+2".into()));
        assert_eq!(cell(2, 1), Data::Float(-0.5));
        assert_eq!(cell(2, 2), Data::Empty, "None is an empty cell");
        assert_eq!(
            number_format(&styles, (2, 2)).as_deref(),
            Some(PERCENT_FORMAT)
        );
        assert_eq!(cell(2, 3), Data::Float(-3.0));

        // A numeric-looking code written as Text stays a string.
        assert_eq!(cell(3, 0), Data::String("2010101".into()));
        assert_eq!(cell(3, 1), Data::Empty);
        assert_eq!(cell(3, 2), Data::Float(100.0));
        assert_eq!(cell(3, 3), Data::Float(0.0));
    }

    #[test]
    fn xlsx_has_no_formulas() {
        use calamine::Reader;
        let bytes = sample().to_xlsx().unwrap();
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let formulas = book.worksheet_formula("收入预算表").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    }

    #[test]
    fn xlsx_text_round_trips_literally() {
        use calamine::Data;
        let texts = [
            "_x0041_ stays literal",
            "多行\n文本",
            "  leading and trailing spaces  ",
            "<&>\"'",
            "ctrl\u{1}char",
            "@SUM(A1)",
            "𠀀 astral",
        ];
        let t = Table {
            name: "文本".into(),
            headers: vec!["说明".into()],
            rows: texts
                .iter()
                .map(|s| vec![Cell::Text((*s).into())])
                .collect(),
        };
        let (range, _) = read_back(t.to_xlsx().unwrap(), "文本");
        for (i, want) in texts.iter().enumerate() {
            let got = range.get_value((i as u32 + 1, 0)).cloned();
            assert_eq!(got, Some(Data::String((*want).into())), "row {i}");
        }
    }

    #[test]
    fn xlsx_uses_sanitised_sheet_name() {
        let t = Table {
            name: "2025年[部门]预算/绩效目标:申报表*汇总?附表\\一二三四五六七八九十".into(),
            headers: vec!["a".into()],
            rows: vec![],
        };
        let want = sheet_name(&t.name);
        assert_eq!(want, "2025年_部门_预算_绩效目标_申报表_汇总_附表_一二三四");
        let (range, _) = read_back(t.to_xlsx().unwrap(), &want);
        assert_eq!(
            range.get_value((0, 0)),
            Some(&calamine::Data::String("a".into()))
        );
    }

    #[test]
    fn xlsx_amounts_are_the_nearest_double_to_the_rounded_text() {
        use calamine::Data;
        let inputs = [
            "0.1",
            "0.29",
            "1.005",
            "8.675",
            "123456789.99",
            "-9999999.995",
            "0.004",
        ];
        let t = Table {
            name: "t".into(),
            headers: vec![],
            rows: inputs
                .iter()
                .map(|s| vec![Cell::Amount(Some(dec(s)))])
                .collect(),
        };
        let (range, _) = read_back(t.to_xlsx().unwrap(), "t");
        // Rounded half away from zero to 2 places, worked out by hand.
        let wants = [0.1, 0.29, 1.01, 8.68, 123456789.99, -10000000.0, 0.0];
        for ((i, input), want) in inputs.iter().enumerate().zip(wants) {
            assert_eq!(
                range.get_value((i as u32, 0)),
                Some(&Data::Float(want)),
                "{input}"
            );
        }
    }

    #[test]
    fn a_table_as_wide_as_excel_allows_is_written_one_column_more_is_not() {
        let wide = |n: usize| Table {
            name: "t".into(),
            headers: vec![],
            rows: vec![vec![Cell::Integer(1); n]],
        };
        assert!(wide(MAX_COLS).to_xlsx().is_ok());
        let err = wide(MAX_COLS + 1).to_xlsx().unwrap_err().to_string();
        assert!(
            err.contains("表格共 16385 列，超过 Excel 上限 16384 列"),
            "{err}"
        );
    }

    #[test]
    fn a_table_as_long_as_excel_allows_passes_the_check_one_row_more_does_not() {
        // Rows without cells: the check counts rows, and writing empty ones costs nothing.
        let long = |n: usize| Table {
            name: "t".into(),
            headers: vec!["列".into()],
            rows: vec![Vec::new(); n],
        };
        assert_eq!(
            long(MAX_ROWS - 1).check_limits().unwrap(),
            1,
            "with its header row"
        );
        let err = long(MAX_ROWS).check_limits().unwrap_err().to_string();
        assert!(
            err.contains("表格共 1048577 行，超过 Excel 上限 1048576 行"),
            "{err}"
        );
    }

    #[test]
    fn xlsx_filters_from_the_header_and_silences_numbers_as_text_over_exactly_the_data() {
        let bytes = sample().to_xlsx().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        // 4 columns (A–D); the header is row 1, the 3 data rows are rows 2–4.
        let attr = |tag: &str, name: &str| {
            let at = xml.find(tag).unwrap_or_else(|| panic!("no {tag} in {xml}"));
            let rest = &xml[at..];
            let rest = &rest[rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2..];
            rest[..rest.find('"').unwrap()].to_owned()
        };
        assert_eq!(attr("<autoFilter", "ref"), "A1:D4");
        assert_eq!(attr("<ignoredError ", "sqref"), "A2:D4");
    }

    #[test]
    fn only_text_that_takes_more_than_one_line_wraps() {
        let t = Table {
            name: "t".into(),
            headers: vec![],
            rows: vec![
                vec![Cell::Text("一行".into())],
                vec![Cell::Text("两\n行".into())],
            ],
        };
        let (_, styles) = read_back(t.to_xlsx().unwrap(), "t");
        let wraps = |pos: (u32, u32)| {
            styles
                .get(pos)
                .and_then(|s| s.alignment.as_ref())
                .is_some_and(|a| a.wrap_text)
        };
        assert!(!wraps((0, 0)), "one line does not wrap");
        assert!(wraps((1, 0)), "two lines wrap");
        // … and its row is two lines high (15 pt each); a one-line row keeps the default.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(t.to_xlsx().unwrap())).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        let row = |r: &str| {
            let at = xml.find(&format!("<row r=\"{r}\"")).unwrap();
            xml[at..at + xml[at..].find('>').unwrap()].to_owned()
        };
        assert!(!row("1").contains("ht="), "{}", row("1"));
        assert!(row("2").contains("ht=\"30\""), "{}", row("2"));
    }

    #[test]
    fn a_long_table_written_row_by_row_is_the_same_sheet_but_for_the_spans_hint() {
        let row = |i: usize| {
            vec![
                Cell::Text(format!("部门{i}")),
                Cell::Text(if i.is_multiple_of(7) {
                    "两\n行".into()
                } else {
                    String::new()
                }),
                Cell::Amount((!i.is_multiple_of(5)).then(|| Decimal::new(i as i64 * 101, 2))),
                Cell::Percent(Some(Decimal::new(i as i64 % 10_000, 2))),
                Cell::Integer(i as i64),
            ]
        };
        let t = Table {
            name: "部门".into(),
            headers: vec![
                "部门".into(),
                "说明".into(),
                "金额".into(),
                "占比".into(),
                "序号".into(),
            ],
            rows: (0..LOW_MEMORY_ROWS + 1).map(row).collect(),
        };
        let parts = |bytes: Vec<u8>| {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            (0..zip.len())
                .map(|i| {
                    let mut part = zip.by_index(i).unwrap();
                    let mut text = String::new();
                    std::io::Read::read_to_string(&mut part, &mut text).unwrap();
                    (part.name().unwrap().to_string(), text)
                })
                .collect::<Vec<_>>()
        };
        let whole = parts(t.to_xlsx_in(Memory::Whole).unwrap());
        let by_row = parts(t.to_xlsx().unwrap());
        assert_eq!(
            by_row,
            parts(t.to_xlsx_in(Memory::RowByRow).unwrap()),
            "long: row by row"
        );
        assert_eq!(
            whole.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            by_row.iter().map(|(n, _)| n).collect::<Vec<_>>()
        );
        let without_spans = |xml: &str| {
            let mut out = String::new();
            let mut rest = xml;
            while let Some(at) = rest.find(" spans=\"") {
                out.push_str(&rest[..at]);
                let after = &rest[at + 8..];
                rest = &after[after.find('"').unwrap() + 1..];
            }
            out + rest
        };
        for ((name, a), (_, b)) in whole.iter().zip(&by_row) {
            assert!(
                without_spans(a) == without_spans(b),
                "{name} differs beyond the rows' spans"
            );
        }
        let sheet = &by_row
            .iter()
            .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
            .unwrap()
            .1;
        // Data row 7 (sheet row 9) holds two lines: its height is kept row by row too.
        let row9 = &sheet[sheet.find("<row r=\"9\"").unwrap()..];
        assert!(
            row9[..row9.find('>').unwrap()].contains("ht=\"30\""),
            "{}",
            &row9[..80]
        );
        // A table of the limit, not over it, is written whole, as before.
        let short = Table {
            rows: t.rows[..LOW_MEMORY_ROWS].to_vec(),
            ..t.clone()
        };
        assert_eq!(
            short.to_xlsx().unwrap(),
            short.to_xlsx_in(Memory::Whole).unwrap()
        );
    }
}
