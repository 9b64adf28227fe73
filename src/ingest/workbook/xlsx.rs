//! `.xlsx`/`.xlsm` read directly from the zip: the parts a form needs and nothing else. The
//! package relationships name the workbook; its relationships and `<sheets>` give each sheet's
//! name, visibility and part; `sharedStrings.xml` the strings; `styles.xml` only `numFmts` and
//! `cellXfs` (no fonts, fills, borders or theme); each visible worksheet is streamed once, up
//! to `</sheetData>`, reading of every `<c>` its position, style, type, `<v>`, `<is>` and `<f>`
//! together. Merged ranges need nothing: their value is in their first cell, as written. The
//! XML is read by a small lexer (`Lexer`) over each part's text, checked as UTF-8 once.
//!
//! Cells read as calamine read them before this reader replaced it (the tests compare the two
//! on real and generated workbooks): a shared string or inline string (rich text runs joined,
//! phonetic runs left out, `_xHHHH_` escapes decoded, unpreserved runs trimmed); a number by
//! its style's number format (`display_number`), or as the serial number when that format is
//! a date or time; `t="str"` and `t="d"` as written; booleans as `TRUE`/`FALSE`; errors as
//! Excel writes them (`#REF!`); a formula without a cached value as `=` and its formula, a
//! shared formula's derived cells translated from their anchor. Where calamine refused the
//! whole workbook for one odd cell (an error code it did not know, such as `#SPILL!`; a
//! boolean that is neither 0 nor 1; an unknown `t`; a number that does not parse), the cell
//! reads as its text, which no amount mistakes for a number. A chart sheet has no cells and is
//! passed over. Row and column bounds are the caller's (`RowBuilder`); a shared formula's
//! index never sizes anything.

use super::{RowBuilder, WorkbookError};
use crate::ingest::grid::{display_number, Grid};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;

mod styles;
mod xml;

use styles::*;
use xml::*;

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Why a part of the workbook cannot be read; becomes `WorkbookError::Corrupt`.
type Fault = String;

fn corrupt(why: Fault) -> WorkbookError {
    WorkbookError::Corrupt("xlsx", why.chars().take(120).collect())
}

/// Every visible worksheet of an xlsx/xlsm whose zip directory passed the size checks, as
/// grids in workbook order.
pub(super) fn read(bytes: &[u8], archive: &mut Archive<'_>) -> Result<Vec<Grid>, WorkbookError> {
    let parts = Parts::of(bytes, archive);
    let root = parts
        .get(archive, "_rels/.rels")
        .map_err(corrupt)?
        .ok_or_else(|| corrupt("缺少 _rels/.rels".to_owned()))?;
    let workbook_path = office_document(&root)
        .map_err(corrupt)?
        .ok_or_else(|| corrupt("_rels/.rels 未指明工作簿".to_owned()))?;
    if workbook_path.to_ascii_lowercase().ends_with(".bin") {
        return Err(corrupt(
            "这是二进制格式（.xlsb）的工作簿，请另存为 .xlsx".to_owned(),
        ));
    }
    let (dir, file) = match workbook_path.rfind('/') {
        Some(i) => workbook_path.split_at(i + 1),
        None => ("", workbook_path.as_str()),
    };
    let rels_path = format!("{dir}_rels/{file}.rels");
    let rels = parts
        .get(archive, &rels_path)
        .map_err(corrupt)?
        .ok_or_else(|| corrupt(format!("缺少 {rels_path}")))?;
    let rels = relationships(&rels).map_err(corrupt)?;
    let sheets = match parts.get(archive, &workbook_path).map_err(corrupt)? {
        Some(xml) => sheet_list(&xml, &rels, dir).map_err(corrupt)?,
        None => Vec::new(),
    };
    if sheets.len() > super::MAX_SHEETS {
        return Err(WorkbookError::TooManySheets(sheets.len()));
    }
    let visible: Vec<&SheetEntry> = sheets
        .iter()
        .filter(|s| s.visible && s.kind != SheetKind::Other)
        .collect();
    if visible.is_empty() {
        return Ok(Vec::new());
    }
    let strings = match parts
        .get(archive, &format!("{dir}sharedStrings.xml"))
        .map_err(corrupt)?
    {
        Some(xml) => shared_strings(&xml).map_err(corrupt)?,
        None => SharedStrings::default(),
    };
    let formats = match parts
        .get(archive, &format!("{dir}styles.xml"))
        .map_err(corrupt)?
    {
        Some(xml) => cell_formats(&xml).map_err(corrupt)?,
        None => Vec::new(),
    };
    let book = Book { strings, formats };
    let mut grids = Vec::with_capacity(visible.len());
    for sheet in visible {
        let path = sheet
            .path
            .as_deref()
            .ok_or_else(|| corrupt(format!("工作表“{}”没有对应的关系（r:id）", sheet.name)))?;
        let xml = parts
            .get(archive, path)
            .map_err(corrupt)?
            .ok_or_else(|| corrupt(format!("缺少工作表“{}”（{path}）", sheet.name)))?;
        grids.push(worksheet(&xml, &book, &sheet.name).map_err(corrupt)?);
    }
    Ok(grids)
}

/// The parts of a workbook's zip, found by name as calamine and Excel find them (without
/// regard to ASCII case, `\` read as `/`) and inflated with one decompressor for all of them.
struct Parts<'a> {
    bytes: &'a [u8],
    names: Vec<(String, usize)>,
}

thread_local! {
    /// One inflater per reading thread, reset for each part: making one allocates ~40 KB of
    /// tables that the allocator takes fresh from the kernel, which zeroes them — half of
    /// reading a small workbook went there when each workbook made its own.
    static INFLATER: std::cell::RefCell<flate2::Decompress> =
        std::cell::RefCell::new(flate2::Decompress::new(false));
}

impl<'a> Parts<'a> {
    fn of(bytes: &'a [u8], archive: &Archive<'_>) -> Parts<'a> {
        let names = archive
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.replace('\\', "/").to_ascii_lowercase())
            .enumerate()
            .map(|(i, n)| (n, i))
            .collect();
        Parts { bytes, names }
    }

    /// The text of a part, `None` when the zip has no such entry. The directory's sizes were
    /// checked before (`open_zip`); the entry must inflate to exactly its declared size and
    /// checksum, or the workbook is corrupt.
    fn get(&self, archive: &mut Archive<'_>, path: &str) -> Result<Option<String>, Fault> {
        let wanted = path.trim_start_matches('/').to_ascii_lowercase();
        let Some(&(_, index)) = self.names.iter().find(|(n, _)| *n == wanted) else {
            return Ok(None);
        };
        let fault = |why: &str| format!("{path}：{why}");
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| fault(&e.to_string()))?;
        if entry.encrypted() {
            return Err(fault("条目已加密"));
        }
        let (method, packed, size, crc) = (
            entry.compression(),
            entry.compressed_size(),
            entry.size(),
            entry.crc32(),
        );
        let header = usize::try_from(entry.header_start()).unwrap_or(usize::MAX);
        drop(entry);
        // The data follows the local header: 30 bytes, the name and the extra field.
        let local = self
            .bytes
            .get(header..header.saturating_add(30))
            .filter(|l| l.starts_with(b"PK\x03\x04"))
            .ok_or_else(|| fault("本地文件头缺失"))?;
        let skip = 30
            + usize::from(u16::from_le_bytes([local[26], local[27]]))
            + usize::from(u16::from_le_bytes([local[28], local[29]]));
        let data = usize::try_from(packed)
            .ok()
            .and_then(|packed| {
                self.bytes
                    .get(header + skip..(header + skip).checked_add(packed)?)
            })
            .ok_or_else(|| fault("数据被截断"))?;
        let size = usize::try_from(size).map_err(|_| fault("过大"))?;
        let text = match method {
            zip::CompressionMethod::Stored if data.len() == size => data.to_vec(),
            zip::CompressionMethod::Stored => return Err(fault("大小与目录不符")),
            zip::CompressionMethod::Deflated => {
                let mut out = Vec::with_capacity(size);
                if size > 0 {
                    let status = INFLATER
                        .with_borrow_mut(|inflater| {
                            inflater.reset(false);
                            inflater.decompress_vec(data, &mut out, flate2::FlushDecompress::Finish)
                        })
                        .map_err(|e| fault(&format!("解压失败：{e}")))?;
                    if status != flate2::Status::StreamEnd || out.len() != size {
                        return Err(fault("解压后的大小与目录不符"));
                    }
                }
                out
            }
            other => return Err(fault(&format!("不支持的压缩方式 {other}"))),
        };
        if crc32fast::hash(&text) != crc {
            return Err(fault("校验和不符"));
        }
        let text = match text.strip_prefix(b"\xEF\xBB\xBF") {
            Some(body) => body.to_vec(),
            None => text,
        };
        String::from_utf8(text)
            .map(Some)
            .map_err(|_| fault("不是 UTF-8 编码的 XML"))
    }
}

/// The workbook part named by the package relationships (`xl/workbook.xml`).
fn office_document(xml_text: &str) -> Result<Option<String>, Fault> {
    let mut reader = Lexer::new(xml_text);
    loop {
        match reader.next()? {
            Event::Start(e) | Event::Empty(e) if name_of(&e) == "Relationship" => {
                let is_document =
                    attr(&e, "Type").is_some_and(|t| t.ends_with("/relationships/officeDocument"));
                if let (true, Some(target)) = (is_document, attr(&e, "Target")) {
                    let target = unescaped(target);
                    return Ok(Some(target.trim_start_matches('/').to_owned()));
                }
            }
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

/// A workbook's relationships: id → (target, type).
fn relationships(xml_text: &str) -> Result<Vec<(String, String, String)>, Fault> {
    let mut reader = Lexer::new(xml_text);
    let mut rels = Vec::new();
    loop {
        match reader.next()? {
            Event::Start(e) | Event::Empty(e) if name_of(&e) == "Relationship" => {
                if let Some(id) = attr(&e, "Id") {
                    rels.push((
                        unescaped(id),
                        unescaped(attr(&e, "Target").unwrap_or_default()),
                        attr(&e, "Type").unwrap_or_default().to_owned(),
                    ));
                }
            }
            Event::Eof => return Ok(rels),
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SheetKind {
    Worksheet,
    /// A chart or dialog sheet: no cells.
    Other,
}

struct SheetEntry {
    name: String,
    visible: bool,
    kind: SheetKind,
    /// The sheet's part in the zip; `None` when the workbook names no relationship for it.
    path: Option<String>,
}

/// The workbook's `<sheets>`, in order.
fn sheet_list(
    xml_text: &str,
    rels: &[(String, String, String)],
    dir: &str,
) -> Result<Vec<SheetEntry>, Fault> {
    let mut reader = Lexer::new(xml_text);
    let mut sheets = Vec::new();
    loop {
        match reader.next()? {
            Event::Start(e) | Event::Empty(e) if name_of(&e) == "sheet" => {
                let mut entry = SheetEntry {
                    name: String::new(),
                    visible: true,
                    kind: SheetKind::Worksheet,
                    path: None,
                };
                for (key, value) in Attrs(e.attrs) {
                    match key {
                        "name" => entry.name = unescaped(value),
                        "state" => entry.visible = !matches!(value, "hidden" | "veryHidden"),
                        _ if local(key) == "id" && key.contains(':') => {
                            let rel = rels.iter().find(|(id, _, _)| id == value);
                            if let Some((_, target, typ)) = rel {
                                entry.path = Some(match target.strip_prefix('/') {
                                    Some(absolute) => absolute.to_owned(),
                                    None => format!("{dir}{target}"),
                                });
                                if !typ.ends_with("/worksheet") {
                                    entry.kind = SheetKind::Other;
                                }
                            }
                        }
                        _ => {}
                    }
                }
                sheets.push(entry);
            }
            Event::End(e) if local(e) == "sheets" => return Ok(sheets),
            Event::Eof => return Ok(sheets),
            _ => {}
        }
    }
}

/// The shared strings, end to end in one buffer.
#[derive(Default)]
struct SharedStrings {
    text: String,
    ends: Vec<usize>,
}

impl SharedStrings {
    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        Some(&self.text[start..end])
    }
}

fn shared_strings(xml_text: &str) -> Result<SharedStrings, Fault> {
    let mut reader = Lexer::new(xml_text);
    let mut strings = SharedStrings::default();
    let mut scratch = String::new();
    loop {
        match reader.next()? {
            Event::Start(e) if name_of(&e) == "si" => {
                rich_text(&mut reader, &mut strings.text, &mut scratch)?;
                strings.ends.push(strings.text.len());
            }
            Event::Empty(e) if name_of(&e) == "si" => strings.ends.push(strings.text.len()),
            Event::Eof => return Ok(strings),
            _ => {}
        }
    }
}

/// A string item (`<si>`, `<is>`) whose start was just read: its `<t>` texts, runs joined,
/// phonetic guides (`<rPh>`) left out; a `<t>` without `xml:space="preserve"` loses the ASCII
/// white space around it; then `_xHHHH_` escapes are decoded.
fn rich_text(reader: &mut Lexer<'_>, out: &mut String, scratch: &mut String) -> Result<(), Fault> {
    let mut depth = 0u32;
    let mut phonetic = false;
    loop {
        match reader.next()? {
            Event::Start(e) => match name_of(&e) {
                "t" if !phonetic => {
                    let preserve = attr(&e, "xml:space") == Some("preserve");
                    scratch.clear();
                    read_text(reader, scratch)?;
                    let text = if preserve {
                        scratch.as_str()
                    } else {
                        scratch.trim_matches([' ', '\t', '\r', '\n'])
                    };
                    push_unescaped(out, text);
                }
                "rPh" => {
                    phonetic = true;
                    depth += 1;
                }
                _ => depth += 1,
            },
            Event::End(e) if depth == 0 => {
                let _ = e;
                return Ok(());
            }
            Event::End(e) => {
                if local(e) == "rPh" {
                    phonetic = false;
                }
                depth -= 1;
            }
            Event::Eof => return Err("XML 在字符串结束前中断".to_owned()),
            _ => {}
        }
    }
}

/// Appends `text` with the `_xHHHH_` escapes Office writes for control characters decoded
/// (a UTF-16 pair of them is one character; a lone surrogate is U+FFFD).
fn push_unescaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    if !bytes.contains(&b'_') || !bytes.windows(2).any(|w| w == b"_x") {
        out.push_str(text);
        return;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    let unit_at = |i: usize| -> Option<u16> {
        let s = bytes.get(i..i + 7)?;
        if s[0] != b'_' || s[1] != b'x' || s[6] != b'_' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&s[2..6]).ok()?, 16).ok()
    };
    while i < bytes.len() {
        let Some(unit) = unit_at(i) else {
            i += 1;
            continue;
        };
        out.push_str(&text[copied..i]);
        i += 7;
        let c = match unit {
            0xD800..=0xDBFF => match unit_at(i) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    i += 7;
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
                _ => char::REPLACEMENT_CHARACTER,
            },
            _ => char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        out.push(c);
        copied = i;
    }
    out.push_str(&text[copied..]);
}

/// What the workbook's sheets share.
struct Book {
    strings: SharedStrings,
    formats: Vec<CellFormat>,
}

/// A shared formula's anchor: its formula and the top-left cell of its range.
struct SharedFormula {
    formula: String,
    anchor: (u32, u32),
}

/// One worksheet, read once: each cell's text as displayed, or its formula where it has no
/// cached value. Stops at `</sheetData>` (merged ranges and the rest are not needed), or when
/// `RowBuilder` has rows enough.
fn worksheet(xml_text: &str, book: &Book, name: &str) -> Result<Grid, Fault> {
    let mut reader = Lexer::new(xml_text);
    if !to_sheet_data(&mut reader, name)? {
        return Ok(RowBuilder::default().finish(name.to_owned(), true));
    }
    let mut rows = RowBuilder::default();
    // By index: a sheet may hold many shared formulas, and each derived cell looks its up.
    let mut shared: HashMap<u64, SharedFormula> = HashMap::new();
    let (mut row_index, mut col_index) = (0u32, 0u32);
    let mut value = String::new();
    let mut formula = String::new();
    let mut scratch = String::new();
    loop {
        let event = reader.next()?;
        let (e, has_body) = match event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) => match local(e) {
                "row" => {
                    row_index = row_index.saturating_add(1);
                    col_index = 0;
                    continue;
                }
                "sheetData" => break,
                _ => continue,
            },
            Event::Eof => return Err(format!("工作表“{name}”在单元格数据结束前中断")),
            _ => continue,
        };
        match name_of(&e) {
            "row" => {
                if let Some(r) = attr(&e, "r") {
                    row_index = row_number(r)?;
                }
                if !has_body {
                    row_index = row_index.saturating_add(1);
                    col_index = 0;
                }
                continue;
            }
            "c" => {}
            _ => {
                if has_body {
                    skip(&mut reader)?;
                }
                continue;
            }
        }
        let (r, s, t) = cell_attrs(&e);
        let pos = match r {
            Some(r) => {
                let pos = cell_position(r)?;
                col_index = pos.1;
                pos
            }
            None => (row_index, col_index),
        };
        col_index = col_index.saturating_add(1);
        if !has_body {
            continue;
        }
        let CellBody {
            v,
            inline,
            has_formula,
            shared_ref,
        } = cell_body(&mut reader, name, &mut value, &mut formula, &mut scratch)?;
        // A shared formula's anchor is remembered for the cells derived from it.
        if let Some((index, Some(anchor))) = shared_ref {
            let formula = formula.clone();
            shared.insert(index, SharedFormula { formula, anchor });
        }
        let text = if inline {
            Some(Cow::Borrowed(value.as_str()))
        } else if v {
            cell_value(book, &value, s, t)?
        } else {
            None
        };
        let keep_going = match text {
            Some(text) => rows.put(pos.0, pos.1, &text),
            None if has_formula => {
                let text = formula_text(&shared, shared_ref, pos, &mut formula);
                text.is_empty() || rows.put(pos.0, pos.1, &format!("={text}"))
            }
            None => true,
        };
        if !keep_going {
            break;
        }
    }
    Ok(rows.finish(name.to_owned(), true))
}

/// The formula of a cell without a cached value: its own, or, for a cell derived from a
/// shared formula, the anchor's formula moved to `pos` (empty when the anchor is unknown).
fn formula_text(
    shared: &HashMap<u64, SharedFormula>,
    shared_ref: Option<SharedRef>,
    pos: (u32, u32),
    formula: &mut String,
) -> String {
    match shared_ref {
        Some((index, None)) => shared
            .get(&index)
            .and_then(|f| calamine::expand_shared_formula(&f.formula, f.anchor, pos).ok())
            .unwrap_or_default(),
        _ => std::mem::take(formula),
    }
}

/// A `<c>`'s reference (`r`), style (`s`) and type (`t`).
fn cell_attrs<'e>(e: &Tag<'e>) -> (Option<&'e str>, Option<&'e str>, Option<&'e str>) {
    let (mut r, mut s, mut t) = (None, None, None);
    for (key, v) in Attrs(e.attrs) {
        match key {
            "r" => r = Some(v),
            "s" => s = Some(v),
            "t" => t = Some(v),
            _ => {}
        }
    }
    (r, s, t)
}

/// Reads up to `<sheetData>`: whether the sheet has any (an empty `<sheetData/>` has none).
fn to_sheet_data(reader: &mut Lexer<'_>, name: &str) -> Result<bool, Fault> {
    loop {
        match reader.next()? {
            Event::Start(e) if name_of(&e) == "sheetData" => return Ok(true),
            Event::Empty(e) if name_of(&e) == "sheetData" => return Ok(false),
            Event::Eof => return Err(format!("工作表“{name}”没有单元格数据（sheetData）")),
            _ => {}
        }
    }
}

/// What a `<c>` holds besides its attributes.
struct CellBody {
    /// A `<v>`, even an empty one: an empty `t="str"` result is an empty string, not a
    /// missing value.
    v: bool,
    /// An `<is>` (inline string).
    inline: bool,
    /// An `<f>`, with or without a cached value.
    has_formula: bool,
    shared_ref: Option<SharedRef>,
}

/// Reads a `<c>`'s children up to its end: `<v>` into `value`, `<is>` into `value`, `<f>`
/// into `formula`.
fn cell_body(
    reader: &mut Lexer<'_>,
    name: &str,
    value: &mut String,
    formula: &mut String,
    scratch: &mut String,
) -> Result<CellBody, Fault> {
    let mut body = CellBody {
        v: false,
        inline: false,
        has_formula: false,
        shared_ref: None,
    };
    value.clear();
    formula.clear();
    loop {
        let (c, has_children) = match reader.next()? {
            Event::Start(c) => (c, true),
            Event::Empty(c) => (c, false),
            Event::End(_) => return Ok(body),
            Event::Eof => return Err(format!("工作表“{name}”在单元格结束前中断")),
            _ => continue,
        };
        match name_of(&c) {
            "v" => {
                value.clear();
                if has_children {
                    read_text(reader, value)?;
                }
                body.v = true;
            }
            "is" => {
                value.clear();
                if has_children {
                    rich_text(reader, value, scratch)?;
                }
                body.inline = true;
            }
            "f" => {
                body.has_formula = true;
                body.shared_ref = shared_formula(&c)?;
                formula.clear();
                if has_children {
                    read_text(reader, formula)?;
                }
            }
            _ if has_children => skip(reader)?,
            _ => {}
        }
    }
}

/// A cell's place in a shared formula: the formula's index and, on its anchor cell, the
/// top-left cell of its range.
type SharedRef = (u64, Option<(u32, u32)>);

/// A `<f>`'s shared-formula attributes: its index and, on the anchor, the top-left cell of
/// its range.
fn shared_formula(f: &Tag<'_>) -> Result<Option<SharedRef>, Fault> {
    if attr(f, "t") != Some("shared") {
        return Ok(None);
    }
    let index = attr(f, "si")
        .and_then(|si| si.parse::<u64>().ok())
        .ok_or_else(|| "共享公式缺少序号（si）".to_owned())?;
    let anchor = match attr(f, "ref") {
        Some(range) => Some(cell_position(range.split(':').next().unwrap_or(range))?),
        None => None,
    };
    Ok(Some((index, anchor)))
}

/// A `<v>`'s value as displayed, by the cell's type and style; `None` for no value (a
/// formula without a cached result shows its formula instead).
fn cell_value<'b>(
    book: &'b Book,
    v: &'b str,
    s: Option<&str>,
    t: Option<&str>,
) -> Result<Option<Cow<'b, str>>, Fault> {
    Ok(match t {
        Some("inlineStr" | "is") => None,
        Some("s") => {
            if v.is_empty() {
                return Ok(None);
            }
            let index = v.trim().parse::<usize>().unwrap_or(0);
            let s = book
                .strings
                .get(index)
                .ok_or_else(|| format!("共享字符串第 {index} 项不存在"))?;
            Some(Cow::Borrowed(s))
        }
        Some("b") => match v.trim() {
            "" => None,
            "0" => Some(Cow::Borrowed("FALSE")),
            "1" => Some(Cow::Borrowed("TRUE")),
            b if b.eq_ignore_ascii_case("false") => Some(Cow::Borrowed("FALSE")),
            b if b.eq_ignore_ascii_case("true") => Some(Cow::Borrowed("TRUE")),
            _ => Some(Cow::Borrowed(v)),
        },
        Some("e") if v.is_empty() => None,
        Some("e" | "d") => Some(Cow::Borrowed(v)),
        Some("n") | None => {
            if v.is_empty() {
                return Ok(None);
            }
            let Ok(number) = v.parse::<f64>() else {
                return Ok(Some(Cow::Borrowed(v)));
            };
            let style = s.map(|s| s.parse::<usize>().unwrap_or(0));
            let format = book.formats.get(style.unwrap_or(0));
            let date = style.is_some() && format.is_some_and(|f| f.date);
            Some(Cow::Owned(if date {
                number.to_string()
            } else {
                display_number(number, format.and_then(|f| f.code.as_deref()))
            }))
        }
        // `str` (a formula's text result) and anything else: the text as written.
        Some(_) => {
            let mut text = String::with_capacity(v.len());
            push_unescaped(&mut text, v);
            Some(Cow::Owned(text))
        }
    })
}

/// A row's `r` (1-based) as a 0-based index.
fn row_number(r: &str) -> Result<u32, Fault> {
    r.trim()
        .parse::<u32>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .ok_or_else(|| format!("行号“{r}”无效"))
}

/// A cell reference (`B12`, `$B$12`) as 0-based (row, column).
fn cell_position(reference: &str) -> Result<(u32, u32), Fault> {
    let bad = || format!("单元格位置“{reference}”无效");
    let mut bytes = reference.trim().bytes().filter(|&b| b != b'$').peekable();
    let (mut col, mut letters) = (0u32, 0);
    while let Some(b) = bytes.next_if(u8::is_ascii_alphabetic) {
        letters += 1;
        if letters > 3 {
            return Err(bad());
        }
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    let (mut row, mut digits) = (0u32, 0);
    for b in bytes {
        if !b.is_ascii_digit() {
            return Err(bad());
        }
        row = row
            .checked_mul(10)
            .and_then(|r| r.checked_add(u32::from(b - b'0')))
            .ok_or_else(bad)?;
        digits += 1;
    }
    if !(1..=3).contains(&letters) || digits == 0 || row == 0 {
        return Err(bad());
    }
    Ok((row - 1, col - 1))
}

#[cfg(test)]
mod tests;
