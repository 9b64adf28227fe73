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
        self.rows.push(RawRow {
            line,
            cells: Vec::new(),
        });
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
mod tests {
    use super::*;
    use calamine::DataRef;
    use std::io::Write;

    /// The reader this module used before `xlsx` replaced it (calamine's, two passes), kept as
    /// the reference the new one must agree with.
    fn calamine_xlsx(bytes: &[u8]) -> Result<Vec<Grid>, String> {
        let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let names = visible_sheets(book.sheets_metadata()).map_err(|e| e.to_string())?;
        names
            .iter()
            .map(|name| xlsx_sheet(&mut book, name).map_err(|e| e.to_string()))
            .collect()
    }

    /// An xlsx sheet, streamed: values with their style's number format, then the formulas of
    /// cells that have no cached value.
    fn xlsx_sheet(
        book: &mut calamine::Xlsx<Cursor<&[u8]>>,
        name: &str,
    ) -> Result<Grid, calamine::XlsxError> {
        let mut rows = RowBuilder::default();
        let mut empty_cells = Vec::new();
        {
            let mut reader = book.worksheet_cells_reader(name)?;
            let formats: Vec<Option<String>> = reader
                .styles()
                .iter()
                .map(|s| s.number_format.as_ref().map(|f| f.format_code.clone()))
                .collect();
            while let Some((cell, style)) = reader.next_cell_with_style_id()? {
                let (row, col) = cell.get_position();
                let format = formats.get(style).and_then(Option::as_deref);
                let text = match cell.get_value() {
                    DataRef::Empty => {
                        empty_cells.push((row, col));
                        continue;
                    }
                    DataRef::SharedString(s) => (*s).to_owned(),
                    DataRef::String(s) => s.clone(),
                    DataRef::Float(f) => display_number(*f, format),
                    DataRef::Int(i) => display_number(*i as f64, format),
                    DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
                    DataRef::Error(e) => e.to_string(),
                    DataRef::DateTime(d) => d.to_string(),
                    DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
                };
                if !rows.put(row, col, &text) {
                    break;
                }
            }
        }
        if let Some(&(last_row, _)) = empty_cells.iter().max() {
            empty_cells.sort_unstable();
            let mut reader = book.worksheet_cells_reader(name)?;
            while let Some(cell) = reader.next_formula()? {
                let (row, col) = cell.get_position();
                // Only cells the first pass found empty can be formulas saved without a result.
                if row > last_row {
                    break;
                }
                let formula = cell.get_value();
                if !formula.is_empty() && empty_cells.binary_search(&(row, col)).is_ok() {
                    rows.put(row, col, &format!("={formula}"));
                }
            }
        }
        Ok(rows.finish(name.to_owned(), true))
    }

    fn ours(bytes: &[u8]) -> Result<Vec<Grid>, WorkbookError> {
        read(bytes, Kind::Xlsx)
    }

    #[track_caller]
    fn same_as_calamine(bytes: &[u8], what: &str) -> Vec<Grid> {
        let reference = calamine_xlsx(bytes).unwrap_or_else(|e| panic!("{what}: calamine: {e}"));
        let got = ours(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(got.len(), reference.len(), "{what}: sheets");
        for (g, r) in got.iter().zip(&reference) {
            assert_eq!(g.sheet, r.sheet, "{what}");
            for (a, b) in g.rows.iter().zip(&r.rows) {
                assert_eq!(a, b, "{what}: sheet {:?}", g.sheet);
            }
            assert_eq!(g, r, "{what}: sheet {:?}", g.sheet);
        }
        got
    }

    /// Every committed `.xlsx` (LibreOffice's sample, the generator's layouts, the fuzz seed)
    /// reads to the same grids as calamine read it.
    #[test]
    fn committed_workbooks_read_as_calamine_read_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for dir in [
            "tests/fixtures/sample",
            "tests/fixtures/layouts",
            "fuzz/seeds/workbook_reader",
        ] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "xlsx") {
                    let grids = same_as_calamine(
                        &std::fs::read(&path).unwrap(),
                        &path.display().to_string(),
                    );
                    let rows = grids.iter().map(|g| g.rows.len()).max();
                    assert!(rows > Some(10), "{}: {rows:?} rows", path.display());
                    seen += 1;
                }
            }
        }
        assert!(seen >= 6, "{seen} workbooks");
    }

    const SHEET_NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// An xlsx of the given sheets (name, state, worksheet XML), shared strings and styles.
    fn xlsx(sheets: &[(&str, &str, String)], shared: &str, styles: &str) -> Vec<u8> {
        let mut parts = vec![
            ("[Content_Types].xml".to_owned(), r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.to_owned()),
            ("_rels/.rels".to_owned(), format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)),
        ];
        let mut list = String::new();
        let mut rels = String::new();
        for (i, (name, state, xml)) in sheets.iter().enumerate() {
            let n = i + 1;
            let state = if state.is_empty() {
                String::new()
            } else {
                format!(r#" state="{state}""#)
            };
            list += &format!(r#"<sheet name="{name}" sheetId="{n}"{state} r:id="rId{n}"/>"#);
            rels += &format!(
                r#"<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
            );
            parts.push((format!("xl/worksheets/sheet{n}.xml"), xml.clone()));
        }
        parts.push((
            "xl/workbook.xml".to_owned(),
            format!(
                r#"<?xml version="1.0"?><workbook {SHEET_NS}><sheets>{list}</sheets></workbook>"#
            ),
        ));
        parts.push(("xl/_rels/workbook.xml.rels".to_owned(), format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#)));
        if !shared.is_empty() {
            parts.push((
                "xl/sharedStrings.xml".to_owned(),
                format!(r#"<?xml version="1.0"?><sst {SHEET_NS}>{shared}</sst>"#),
            ));
        }
        if !styles.is_empty() {
            parts.push((
                "xl/styles.xml".to_owned(),
                format!(r#"<?xml version="1.0"?><styleSheet {SHEET_NS}>{styles}</styleSheet>"#),
            ));
        }
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in parts {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn sheet(data: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><worksheet {SHEET_NS}><dimension ref="A1:F9"/><sheetData>{data}</sheetData><mergeCells count="1"><mergeCell ref="A1:F1"/></mergeCells></worksheet>"#
        )
    }

    const STYLES: &str = r#"<numFmts count="3"><numFmt numFmtId="176" formatCode="0.00_);[Red]\(0.00\)"/><numFmt numFmtId="177" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/><numFmt numFmtId="178" formatCode="&quot;约&quot;0.0&quot;万元&quot;"/></numFmts><fonts count="1"><font><sz val="11"/><color theme="1"/></font></fonts><cellStyleXfs count="1"><xf numFmtId="0" fontId="0"/></cellStyleXfs><cellXfs count="7"><xf numFmtId="0" fontId="0" xfId="0"/><xf numFmtId="176" fontId="0" applyNumberFormat="1"><alignment wrapText="1"/></xf><xf numFmtId="10" fontId="0"/><xf numFmtId="14" fontId="0"/><xf numFmtId="177" fontId="0"/><xf numFmtId="178"/><xf fontId="0"/></cellXfs><dxfs count="1"><dxf><numFmt numFmtId="179" formatCode="0.000"/></dxf></dxfs>"#;

    /// The cells real writers produce (Excel, WPS, LibreOffice, rust_xlsxwriter, .NET's
    /// `x:`-prefixed SDK): shared strings with rich runs, phonetic guides, kept spaces and
    /// `_xHHHH_` escapes; inline strings; formula strings (`t="str"`); booleans; errors; dates;
    /// numbers under custom, percent and built-in formats; cells and rows without `r`; shared
    /// formulas with and without cached values; empty values. Read as calamine read them.
    #[test]
    fn the_cells_real_writers_produce_read_as_calamine_read_them() {
        let shared = concat!(
            r#"<si><t>部门名称</t></si>"#,
            r#"<si><r><rPr><b/></rPr><t>年度</t></r><r><t xml:space="preserve"> 目标 </t></r></si>"#,
            r#"<si><t>预算</t><rPh sb="0" eb="2"><t>ヨサン</t></rPh><phoneticPr fontId="1"/></si>"#,
            r#"<si><t>  第一行_x000D_&#10;第二行 &amp; 其他  </t></si>"#,
            r#"<si/>"#,
            r#"<si><t xml:space="preserve">  保留  </t></si>"#,
        );
        let data = concat!(
            r#"<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>"#,
            r#"<row r="2"><c r="A2" s="1"><v>286.40999999999997</v></c><c r="B2" s="2"><v>0.9358</v></c><c r="C2" s="3"><v>44197</v></c><c r="D2" s="4"><v>44197.5</v></c><c r="E2" s="5"><v>7.25</v></c><c r="F2" s="6"><v>12345678901.5</v></c></row>"#,
            r#"<row r="3"><c><v>1.5</v></c><c t="inlineStr"><is><t>行内</t></is></c><c t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="e"><f>1/0</f><v>#DIV/0!</v></c><c t="e"><v>#REF!</v></c></row>"#,
            r#"<row><c t="str"><f>A1&amp;"x"</f><v>部门名称x</v></c><c t="str"><f>""</f><v></v></c><c s="1"><f>SUM(A2:A3)</f></c><c r="D4"><f>SUM(A2:A3)</f><v></v></c><c r="E4" t="n"><v>3</v></c></row>"#,
            r#"<row r="6"><c r="A6" s="1"><f t="shared" ref="A6:C6" si="0">A2*2</f><v>572.82</v></c><c r="B6" s="1"><f t="shared" si="0"/></c><c r="C6"><f t="shared" si="0"/><v>5</v></c><c r="D6" t="d"><v>2021-01-01T00:00:00</v></c><c r="E6" t="s"><v></v></c><c r="F6"/></row>"#,
            r#"<row r="8" hidden="1"/><row r="9"><c r="A9" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c><c r="C9" s="99"><v>0.1</v></c><c r="BM9"><v>1</v></c></row>"#,
        );
        let book = xlsx(
            &[
                ("表1", "", sheet(data)),
                ("隐藏", "hidden", sheet("")),
                (
                    "表2",
                    "",
                    sheet(r#"<row r="2"><c r="B2" t="s"><v>0</v></c></row>"#),
                ),
            ],
            shared,
            STYLES,
        );
        let grids = same_as_calamine(&book, "crafted");
        assert_eq!(grids.len(), 2, "the hidden sheet is not read");
        let rows = &grids[0].rows;
        let row = |line: u32| &rows.iter().find(|r| r.line == line).unwrap().cells;
        assert_eq!(
            row(1)[..4],
            ["部门名称", "年度 目标", "预算", "第一行\r\n第二行 & 其他"]
        );
        assert_eq!(row(1)[5], "保留");
        assert_eq!(
            row(2),
            &[
                "286.41",
                "93.58%",
                "44197",
                "44197.5",
                "7.3",
                "12345678901.5"
            ]
        );
        assert_eq!(
            row(3),
            &["1.5", "行内", "TRUE", "FALSE", "#DIV/0!", "#REF!"]
        );
        assert_eq!(row(4)[..4], ["部门名称x", "", "=SUM(A2:A3)", "=SUM(A2:A3)"]);
        assert_eq!(row(6)[..4], ["572.82", "=B2*2", "5", "2021-01-01T00:00:00"]);
        assert_eq!(row(9), &["富文本", "", "0.1"]);
        assert_eq!(grids[1].rows[0].cells, ["", "部门名称"]);

        // The same sheet as .NET's SDK writes it: every element prefixed.
        let prefixed = data
            .replace("<row", "<x:row")
            .replace("</row", "</x:row")
            .replace("<c", "<x:c")
            .replace("</c>", "</x:c>")
            .replace("<v>", "<x:v>")
            .replace("</v>", "</x:v>")
            .replace("<f", "<x:f")
            .replace("</f>", "</x:f>")
            .replace("<is>", "<x:is>")
            .replace("</is>", "</x:is>");
        let prefixed = format!(
            r#"<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>{prefixed}</x:sheetData></x:worksheet>"#
        );
        let book2 = xlsx(&[("表1", "", prefixed)], shared, STYLES);
        assert_eq!(same_as_calamine(&book2, "prefixed")[0].rows, grids[0].rows);
    }

    /// Where calamine refused the whole workbook for one odd cell or sheet, the cell reads as
    /// its text (which no amount reads as a number) and a chart sheet is passed over.
    #[test]
    fn odd_cells_read_as_their_text_and_chart_sheets_are_passed_over() {
        let data = r#"<row r="1"><c r="A1" t="e"><f>SEQUENCE(3)</f><v>#SPILL!</v></c><c r="B1" t="b"><v>yes</v></c><c r="C1" t="x"><v>?</v></c><c r="D1"><v>12,5</v></c></row>"#;
        let book = xlsx(&[("表1", "", sheet(data))], "", "");
        assert!(calamine_xlsx(&book).is_err());
        let grids = ours(&book).unwrap();
        assert_eq!(grids[0].rows[0].cells, ["#SPILL!", "yes", "?", "12,5"]);

        let mut with_chart = xlsx(
            &[(
                "表1",
                "",
                sheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row>"#),
            )],
            "",
            "",
        );
        // A chart sheet beside it, in the workbook's list and relationships.
        with_chart = rewrite(&with_chart, |name, body| {
            match name {
            "xl/workbook.xml" => body.replace("</sheets>", r#"<sheet name="图表" sheetId="2" r:id="rId9"/></sheets>"#),
            "xl/_rels/workbook.xml.rels" => body.replace("</Relationships>", &format!(r#"<Relationship Id="rId9" Type="{REL_NS}/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>"#)),
            _ => body,
        }
        });
        let grids = ours(&with_chart).unwrap();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].sheet.as_deref(), Some("表1"));
    }

    /// A copy of a zip with some entries' text changed.
    fn rewrite(bytes: &[u8], change: impl Fn(&str, String) -> String) -> Vec<u8> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().into_owned();
            let mut body = String::new();
            std::io::Read::read_to_string(&mut entry, &mut body).unwrap();
            zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(change(&name, body).as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// A sheet whose rows come out of order (a writer's, or cells placed by `r` into other
    /// rows) is still one grid row per sheet row, in order.
    #[test]
    fn rows_out_of_order_are_each_one_row() {
        let data = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="A3"><v>3</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="B3"><v>4</v></c></row><row r="3"><c r="C3"><v>5</v></c></row>"#;
        let grids = ours(&xlsx(&[("表1", "", sheet(data))], "", "")).unwrap();
        let rows: Vec<(u32, Vec<String>)> = grids[0]
            .rows
            .iter()
            .map(|r| (r.line, r.cells.clone()))
            .collect();
        let want =
            |line: u32, cells: &[&str]| (line, cells.iter().map(|c| c.to_string()).collect());
        assert_eq!(
            rows,
            [want(1, &["1"]), want(2, &["2"]), want(3, &["3", "4", "5"])]
        );
    }

    /// LibreOffice's sample with its parts' XML mangled (pieces cut, repeated, or XML-ish
    /// tokens dropped in) reads or is refused, never panics nor runs away: what the fuzz
    /// target does, here on every run with a fixed seed.
    #[test]
    fn mangled_parts_never_panic() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sample/武汉市新洲区总工会-2020.xlsx"
        );
        let original = std::fs::read(path).unwrap();
        const TOKENS: &[&str] = &[
            "<",
            ">",
            "/>",
            "\"",
            "'",
            "&",
            "&#",
            "&#x",
            ";",
            "=",
            ":",
            "_x",
            "_xD83D_",
            "\r",
            "<c>",
            "</c>",
            "<v>",
            "</v>",
            "<f t=\"shared\" si=\"0\"/>",
            "<row>",
            "</row>",
            " r=\"",
            " t=\"s\"",
            " t=\"e\"",
            " s=\"",
            "99999999999",
            "XFD",
            "<is><t>",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "<?",
            "?>",
            "</sheetData>",
            "<sheetData>",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let parts = [
            "xl/worksheets/sheet1.xml",
            "xl/sharedStrings.xml",
            "xl/styles.xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "_rels/.rels",
        ];
        let (mut read, mut refused) = (0, 0);
        for _ in 0..60 {
            let target = parts[next(parts.len())];
            let edits = 1 + next(4);
            let mut picks = Vec::new();
            for _ in 0..edits {
                picks.push((
                    next(3),
                    next(usize::MAX),
                    next(usize::MAX),
                    next(TOKENS.len()),
                ));
            }
            let mangled = rewrite(&original, |name, body| {
                if name != target {
                    return body;
                }
                let mut chars: Vec<char> = body.chars().collect();
                for &(kind, a, b, t) in &picks {
                    let at = a % (chars.len() + 1);
                    match kind {
                        0 => {
                            let end = (at + b % 64).min(chars.len());
                            chars.drain(at..end);
                        }
                        1 => {
                            let end = (at + b % 200).min(chars.len());
                            let piece: Vec<char> = chars[at..end].to_vec();
                            chars.splice(at..at, piece);
                        }
                        _ => {
                            chars.splice(at..at, TOKENS[t].chars());
                        }
                    }
                }
                chars.into_iter().collect()
            });
            match ours(&mangled) {
                Ok(_) => read += 1,
                Err(WorkbookError::Corrupt("xlsx", _) | WorkbookError::TooManySheets(_)) => {
                    refused += 1
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert!(read > 0 && refused > 0, "{read} read, {refused} refused");
    }

    /// Broken parts are one `Corrupt` each, never a panic: a cell pointing past the shared
    /// strings, a cell reference that is no reference, a sheet cut short, a workbook naming a
    /// part the zip lacks, a shared formula whose index would size a table of billions.
    #[test]
    fn broken_parts_are_corrupt_workbooks() {
        let cases = [
            (
                "past the strings",
                sheet(r#"<row r="1"><c r="A1" t="s"><v>7</v></c></row>"#),
            ),
            (
                "bad reference",
                sheet(r#"<row r="1"><c r="1A"><v>1</v></c></row>"#),
            ),
            ("row zero", sheet(r#"<row r="0"><c><v>1</v></c></row>"#)),
            (
                "cut short",
                r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1"#.to_owned(),
            ),
            (
                "no sheetData",
                r#"<worksheet><sheetViews/></worksheet>"#.to_owned(),
            ),
        ];
        for (what, xml) in cases {
            let book = xlsx(&[("表1", "", xml)], "<si><t>甲</t></si>", "");
            match ours(&book) {
                Err(WorkbookError::Corrupt("xlsx", why)) => assert!(!why.is_empty(), "{what}"),
                other => panic!("{what}: {other:?}"),
            }
        }
        let missing = rewrite(&xlsx(&[("表1", "", sheet(""))], "", ""), |name, body| {
            if name == "xl/_rels/workbook.xml.rels" {
                body.replace("sheet1.xml", "sheet9.xml")
            } else {
                body
            }
        });
        assert!(matches!(ours(&missing), Err(WorkbookError::Corrupt(..))));

        // Shared formula index 4,294,967,295 on a cell without a value: calamine sized a
        // table by it; here it is one formula among others.
        let huge = sheet(
            r#"<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="4294967295">B1+1</f></c><c r="A2"><f t="shared" si="4294967295"/></c></row>"#,
        );
        let grids = ours(&xlsx(&[("表1", "", huge)], "", "")).unwrap();
        assert_eq!(grids[0].rows[0].cells, ["=B1+1"]);
        assert_eq!(grids[0].rows[1].cells, ["=B2+1"]);
    }
}
