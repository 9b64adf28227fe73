//! Spreadsheets to grids (spec section 5): `.xlsx`/`.xlsm` by a reader of our own (`xlsx`:
//! one pass over each sheet, only the parts a form needs), `.xls` (BIFF8) and `.ods` through
//! calamine. Each visible worksheet becomes a `Grid` of cells as displayed: cached formula
//! values, numbers by their number format (xlsx; the other kinds do not expose formats and
//! show numbers as Excel's `General` does), formula errors as Excel writes them (`#REF!`), a
//! formula saved without its result as the formula itself (`=SUM(C5:C6)`), which no amount
//! reads as a number. The value of a merged range is in its first cell, as the file has it.
//!
//! Hostile workbooks stop here with a `WorkbookError`: a zip bomb is refused by the sizes in
//! its directory before anything is inflated, and sheets are read as a stream that stops at
//! `MAX_ROWS` rows, so neither a 1,048,576-row sheet nor a merged range over a whole sheet
//! costs more than a real form does.

mod xlsx;

use super::cells::RawRow;
use super::grid::{display_number, Grid};
use calamine::{Data, Reader, SheetVisible};
use std::io::Cursor;

/// Rows read from one sheet at most: a real form has a few hundred.
pub const MAX_ROWS: u32 = 5_000;
/// Columns read from one row at most; cells further right are never part of a form.
pub const MAX_COLUMNS: u32 = 64;
/// Sheets a workbook may have.
pub const MAX_SHEETS: usize = 100;
/// What a workbook's zip may inflate to, all entries together.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// How much an entry may inflate relative to its compressed size (a real sheet: about 10×).
pub const MAX_RATIO: u64 = 200;

/// The kinds of spreadsheet read, told by their bytes (an extension can lie).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Xls,
    Ods,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Xlsx => "xlsx",
            Kind::Xls => "xls",
            Kind::Ods => "ods",
        }
    }
}

/// Why a workbook gives no grids. Messages say what to do, in the clerk's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkbookError {
    #[error("工作簿设置了打开密码，无法读取，请取消密码后重新提交")]
    Password,
    #[error("文件扩展名是 .xls，但内容是网页（HTML），不是 Excel 工作簿；请在 Excel 中打开后“另存为” .xlsx 再提交")]
    Html,
    #[error("工作簿解压后过大（{0}），疑似压缩炸弹，已拒绝读取")]
    ZipBomb(String),
    #[error("工作簿有 {0} 个工作表，超过上限 {MAX_SHEETS} 个；请只保留申报表所在的工作表")]
    TooManySheets(usize),
    #[error("{0} 文件已损坏或不是有效的工作簿（{1}），请在 Excel 或 WPS 中打开确认后重新保存")]
    Corrupt(&'static str, String),
}

/// Tells a spreadsheet by its first bytes: a zip (xlsx or ods) or an OLE compound file (xls,
/// or an encrypted xlsx). `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"PK\x03\x04") {
        let mimetype = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet";
        let ods = bytes.len() > 30 + mimetype.len() && bytes[30..].starts_with(mimetype);
        return Some(if ods { Kind::Ods } else { Kind::Xlsx });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(Kind::Xls);
    }
    None
}

/// Whether bytes that claim to be a spreadsheet are a web page (a common "Excel" export of
/// government systems).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('<')
        && ["<html", "<table", "<!doctype html", "<meta", "<?xml"]
            .iter()
            .any(|t| head.contains(t))
}

/// Every visible worksheet of a workbook as a grid, in workbook order. An OLE file that holds
/// an `EncryptedPackage` is a password-protected xlsx.
pub fn read(bytes: &[u8], kind: Kind) -> Result<Vec<Grid>, WorkbookError> {
    if kind == Kind::Xls && is_encrypted_package(bytes) {
        return Err(WorkbookError::Password);
    }
    let corrupt = |e: &dyn std::fmt::Display| {
        let why: String = e.to_string().chars().take(120).collect();
        WorkbookError::Corrupt(kind.name(), why)
    };
    match kind {
        Kind::Xlsx => xlsx::read(bytes, &mut open_zip(bytes, kind)?),
        Kind::Xls => {
            let book = calamine::Xls::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsError::Password => WorkbookError::Password,
                e => corrupt(&e),
            })?;
            dense_book(book, &corrupt)
        }
        Kind::Ods => {
            open_zip(bytes, kind)?;
            let book = calamine::Ods::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::OdsError::Password => WorkbookError::Password,
                e => corrupt(&e),
            })?;
            dense_book(book, &corrupt)
        }
    }
}

/// Every visible sheet of an xls or ods workbook.
fn dense_book<RS, B>(
    mut book: B,
    corrupt: &dyn Fn(&dyn std::fmt::Display) -> WorkbookError,
) -> Result<Vec<Grid>, WorkbookError>
where
    RS: std::io::Read + std::io::Seek,
    B: Reader<RS>,
    B::Error: std::fmt::Display,
{
    let names = visible_sheets(book.sheets_metadata())?;
    names
        .into_iter()
        .map(|name| dense_sheet(&mut book, name).map_err(|e| corrupt(&e)))
        .collect()
}

fn visible_sheets(sheets: &[calamine::Sheet]) -> Result<Vec<String>, WorkbookError> {
    if sheets.len() > MAX_SHEETS {
        return Err(WorkbookError::TooManySheets(sheets.len()));
    }
    Ok(sheets
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect())
}

fn is_encrypted_package(bytes: &[u8]) -> bool {
    // The stream name `EncryptedPackage` in the compound file's directory, as UTF-16LE.
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// Opens a workbook's zip, refusing one whose entries would inflate beyond what any workbook
/// needs, from the sizes its central directory declares (nothing is inflated here but an
/// .ods's `content.xml`, streamed to count its cells).
fn open_zip(bytes: &[u8], kind: Kind) -> Result<zip::ZipArchive<Cursor<&[u8]>>, WorkbookError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| WorkbookError::Corrupt(kind.name(), e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| WorkbookError::Corrupt(kind.name(), e.to_string()))?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > 1024 * 1024 && size / packed > MAX_RATIO {
            return Err(WorkbookError::ZipBomb(format!(
                "{} 压缩比 {}:1",
                entry.name().unwrap_or_default(),
                size / packed
            )));
        }
    }
    if total > MAX_INFLATED_BYTES {
        return Err(WorkbookError::ZipBomb(format!("共 {} MiB", total >> 20)));
    }
    if kind == Kind::Ods {
        let cells = ods_cells(&mut archive).map_err(|e| WorkbookError::Corrupt(kind.name(), e))?;
        if cells > MAX_ODS_CELLS {
            return Err(WorkbookError::ZipBomb(format!(
                "重复的行列展开后有 {cells} 个非空单元格"
            )));
        }
    }
    Ok(archive)
}

/// Non-empty cells an .ods may declare. calamine expands `number-rows-repeated` and
/// `number-columns-repeated` into cells, so a few bytes can ask for billions of them.
pub const MAX_ODS_CELLS: u64 = 1_000_000;

/// Counts the non-empty cells of an .ods's `content.xml` as repeats expand them, without
/// expanding anything.
fn ods_cells<R: std::io::Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> Result<u64, String> {
    use quick_xml::events::Event;
    let content = archive.by_name("content.xml").map_err(|e| e.to_string())?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let repeat = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| a.value.parse().ok())
            .unwrap_or(1)
    };
    let mut buf = Vec::new();
    let (mut cells, mut row_repeat) = (0u64, 1u64);
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?
        {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table-row" => row_repeat = repeat(&e, "table:number-rows-repeated"),
                "table:table-cell" => {
                    let valued = e
                        .attributes()
                        .flatten()
                        .any(|a| a.key.as_ref() == "office:value-type");
                    if valued {
                        let columns = repeat(&e, "table:number-columns-repeated");
                        cells = cells.saturating_add(row_repeat.saturating_mul(columns));
                        if cells > MAX_ODS_CELLS {
                            return Ok(cells);
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(cells),
            _ => {}
        }
        buf.clear();
    }
}

/// Collects cells into rows: rows by their spreadsheet number, cells placed by column; stops
/// at `MAX_ROWS` rows and ignores columns beyond `MAX_COLUMNS`.
#[derive(Default)]
struct RowBuilder {
    rows: Vec<RawRow>,
    /// Where each row is in `rows`, for a cell that comes after another row's (a formula pass,
    /// or a sheet whose rows are out of order): found without a scan of every row, and never
    /// made twice.
    index: std::collections::HashMap<u32, usize>,
}

impl RowBuilder {
    /// Places a cell (0-based row and column). Returns false once the sheet is too long to be
    /// a form, so the caller stops reading.
    fn put(&mut self, row: u32, col: u32, text: &str) -> bool {
        if col >= MAX_COLUMNS || text.is_empty() {
            return true;
        }
        let line = row.saturating_add(1);
        // Cells stream in row order; one that goes back (a formula pass, rows out of order)
        // finds its row.
        let index = match self.rows.last() {
            Some(last) if last.line == line => self.rows.len() - 1,
            _ => match self.index.get(&line) {
                Some(&p) => p,
                None => self.push(line),
            },
        };
        if index == usize::MAX {
            return false;
        }
        let cells = &mut self.rows[index].cells;
        let col = col as usize;
        if cells.len() <= col {
            cells.resize(col + 1, String::new());
        }
        cells[col] = clean(text);
        true
    }

    /// A new row, or `usize::MAX` when the sheet already has `MAX_ROWS`.
    fn push(&mut self, line: u32) -> usize {
        if self.rows.len() as u32 >= MAX_ROWS {
            return usize::MAX;
        }
        self.rows.push(RawRow::new(line, Vec::new()));
        self.index.insert(line, self.rows.len() - 1);
        self.rows.len() - 1
    }

    fn finish(mut self, sheet: String, formats_known: bool) -> Grid {
        self.rows.sort_by_key(|r| r.line);
        Grid {
            sheet: Some(sheet),
            rows: self.rows,
            formats_known,
        }
    }
}

/// Cells are compared trimmed, as a text export's are.
fn clean(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .to_owned()
}

/// An xls or ods sheet: calamine gives these as a range of values and a range of formulas.
fn dense_sheet<RS, B>(book: &mut B, name: String) -> Result<Grid, B::Error>
where
    RS: std::io::Read + std::io::Seek,
    B: Reader<RS>,
{
    let values = book.worksheet_range(&name)?;
    let formulas = book.worksheet_formula(&name).ok();
    let mut rows = RowBuilder::default();
    for (row, col, value) in values.used_cells() {
        let (start_row, start_col) = values.start().unwrap_or((0, 0));
        let (row, col) = (start_row + row as u32, start_col + col as u32);
        let text = match value {
            Data::Empty => continue,
            Data::String(s) => s.clone(),
            Data::Float(f) => display_number(*f, None),
            Data::Int(i) => display_number(*i as f64, None),
            Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Data::Error(e) => e.to_string(),
            Data::DateTime(d) => d.to_string(),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        };
        if !rows.put(row, col, &text) {
            break;
        }
    }
    if let Some(formulas) = formulas {
        for (row, col, formula) in formulas.used_cells() {
            let (start_row, start_col) = formulas.start().unwrap_or((0, 0));
            let (row, col) = (start_row + row as u32, start_col + col as u32);
            let has_value = values
                .get_value((row, col))
                .is_some_and(|v| !matches!(v, Data::Empty));
            // `put` keeps the `MAX_ROWS` bound: no formula adds rows past it.
            if !formula.is_empty() && !has_value {
                rows.put(row, col, &format!("={formula}"));
            }
        }
    }
    Ok(rows.finish(name, false))
}

#[cfg(test)]
mod tests;
