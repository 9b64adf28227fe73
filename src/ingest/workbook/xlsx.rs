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

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Why a part of the workbook cannot be read; becomes `WorkbookError::Corrupt`.
type Fault = String;

fn corrupt(why: Fault) -> WorkbookError {
    WorkbookError::Corrupt("xlsx", why.chars().take(120).collect())
}

/// Every visible worksheet of an xlsx/xlsm whose zip directory passed the size checks, as
/// grids in workbook order.
pub(super) fn read(bytes: &[u8], archive: &mut Archive<'_>) -> Result<Vec<Grid>, WorkbookError> {
    let mut parts = Parts::of(bytes, archive);
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
    inflater: flate2::Decompress,
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
        Parts {
            bytes,
            names,
            inflater: flate2::Decompress::new(false),
        }
    }

    /// The text of a part, `None` when the zip has no such entry. The directory's sizes were
    /// checked before (`open_zip`); the entry must inflate to exactly its declared size and
    /// checksum, or the workbook is corrupt.
    fn get(&mut self, archive: &mut Archive<'_>, path: &str) -> Result<Option<String>, Fault> {
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
                    self.inflater.reset(false);
                    let status = self
                        .inflater
                        .decompress_vec(data, &mut out, flate2::FlushDecompress::Finish)
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

/// What the XML of a part is read as: the little of XML that Office parts use. Names are
/// not checked against their ends and no DTD is read (an entity it declares stays as written).
enum Event<'a> {
    Start(Tag<'a>),
    Empty(Tag<'a>),
    /// An end tag's name, as written.
    End(&'a str),
    /// Text as written: entities not decoded, line ends not normalised (`push_text`).
    Text(&'a str),
    CData(&'a str),
    Eof,
}

/// A start or empty tag: its name as written and the rest of it (the attributes).
struct Tag<'a> {
    name: &'a str,
    attrs: &'a str,
}

/// Reads a part's XML event by event, borrowing from its text. Every position it cuts at is
/// an ASCII delimiter (`<`, `>`, a quote, white space), so every cut is a char boundary.
struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Lexer<'a> {
        Lexer { text, pos: 0 }
    }

    /// The position just past the first `end` at or after `from`.
    fn past(&self, from: usize, end: &str) -> Result<usize, Fault> {
        let rest = &self.text[from..];
        // A one-byte end (`>` of a tag) is scanned for directly: setting up a substring
        // search costs more than the few bytes of a tag.
        let found = match end.as_bytes() {
            [b] => rest.bytes().position(|c| c == *b),
            _ => rest.find(end),
        };
        found
            .map(|i| from + i + end.len())
            .ok_or_else(|| format!("XML 在“{end}”之前中断"))
    }

    fn next(&mut self) -> Result<Event<'a>, Fault> {
        let text = self.text;
        let bytes = text.as_bytes();
        loop {
            let pos = self.pos;
            if pos >= bytes.len() {
                return Ok(Event::Eof);
            }
            if bytes[pos] != b'<' {
                let end = text[pos..].find('<').map_or(bytes.len(), |i| pos + i);
                self.pos = end;
                return Ok(Event::Text(&text[pos..end]));
            }
            let rest = &bytes[pos..];
            if rest.starts_with(b"<?") {
                self.pos = self.past(pos, "?>")?;
            } else if rest.starts_with(b"<!--") {
                self.pos = self.past(pos + 4, "-->")?;
            } else if rest.starts_with(b"<![CDATA[") {
                self.pos = self.past(pos + 9, "]]>")?;
                return Ok(Event::CData(&text[pos + 9..self.pos - 3]));
            } else if rest.starts_with(b"<!") {
                self.pos = self.past(pos, ">")?;
            } else if rest.starts_with(b"</") {
                self.pos = self.past(pos, ">")?;
                return Ok(Event::End(text[pos + 2..self.pos - 1].trim_end()));
            } else {
                // A start tag ends at the first `>` outside a quoted value.
                let mut i = pos + 1;
                let mut quote = 0u8;
                loop {
                    let c = *bytes
                        .get(i)
                        .ok_or_else(|| "XML 在标签结束前中断".to_owned())?;
                    if quote != 0 {
                        if c == quote {
                            quote = 0;
                        }
                    } else if c == b'"' || c == b'\'' {
                        quote = c;
                    } else if c == b'>' {
                        break;
                    }
                    i += 1;
                }
                self.pos = i + 1;
                let (body, empty) = match text[pos + 1..i].strip_suffix('/') {
                    Some(body) => (body, true),
                    None => (&text[pos + 1..i], false),
                };
                let name_end = body
                    .bytes()
                    .position(|b| b.is_ascii_whitespace())
                    .unwrap_or(body.len());
                let tag = Tag {
                    name: &body[..name_end],
                    attrs: &body[name_end..],
                };
                return Ok(if empty {
                    Event::Empty(tag)
                } else {
                    Event::Start(tag)
                });
            }
        }
    }
}

/// Appends XML text with its entities and character references decoded (one that stands for
/// nothing known is kept as written) and its line ends read as XML 1.0 reads them.
fn push_text(out: &mut String, raw: &str) {
    let bytes = raw.as_bytes();
    if !bytes.contains(&b'&') && !bytes.contains(&b'\r') {
        out.push_str(raw);
        return;
    }
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\r']) {
        out.push_str(&rest[..i]);
        if rest.as_bytes()[i] == b'\r' {
            out.push('\n');
            rest = &rest[i + 1..];
            rest = rest.strip_prefix('\n').unwrap_or(rest);
            continue;
        }
        let after = &rest[i + 1..];
        let Some(end) = after.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..end];
        let decoded = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            "quot" => Some('"'),
            _ => name.strip_prefix('#').map(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16),
                    None => n.parse::<u32>(),
                };
                code.ok()
                    .filter(|&c| c != 0)
                    .and_then(char::from_u32)
                    .unwrap_or(char::REPLACEMENT_CHARACTER)
            }),
        };
        match decoded {
            Some(c) => out.push(c),
            None => {
                out.push('&');
                out.push_str(name);
                out.push(';');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
}

fn local(name: &str) -> &str {
    match name.bytes().rposition(|b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// An element's name without its namespace prefix (`x:c` is `c`).
fn name_of<'e>(e: &Tag<'e>) -> &'e str {
    local(e.name)
}

/// The raw (still escaped) value of an attribute, looked up by its name as written or, for a
/// plain key, by its local name (`Id` finds `r:Id`).
fn attr<'e>(e: &Tag<'e>, key: &str) -> Option<&'e str> {
    Attrs(e.attrs)
        .find(|(k, _)| *k == key || local(k) == key)
        .map(|(_, v)| v)
}

/// `key="value"` pairs of a start tag, as written; a malformed tail ends the pairs.
struct Attrs<'a>(&'a str);

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let text = self.0;
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let key_start = i;
        while i < b.len() && b[i] != b'=' {
            i += 1;
        }
        let key = text[key_start..i].trim_end();
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = *b.get(i).filter(|&&q| q == b'"' || q == b'\'')?;
        let value_start = i + 1;
        let len = b.get(value_start..)?.iter().position(|&c| c == quote)?;
        // Quotes, `=` and white space are ASCII: every index here is a char boundary.
        self.0 = &text[value_start + len + 1..];
        Some((key, &text[value_start..value_start + len]))
    }
}

/// An attribute value with its entities decoded (sheet names, formats, targets).
fn unescaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_text(&mut out, value);
    out
}

/// Reads the text of the element whose start was just read, up to its end, into `out`
/// (entities decoded, line ends as XML 1.0 reads them; text of nested elements included).
fn read_text(reader: &mut Lexer<'_>, out: &mut String) -> Result<(), Fault> {
    let mut depth = 0u32;
    loop {
        match reader.next()? {
            Event::Text(t) => push_text(out, t),
            Event::CData(t) => out.push_str(&t.replace("\r\n", "\n").replace('\r', "\n")),
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err("XML 在元素结束前中断".to_owned()),
            _ => {}
        }
    }
}

/// Skips what is left of the element whose start was just read.
fn skip(reader: &mut Lexer<'_>) -> Result<(), Fault> {
    let mut depth = 0u32;
    loop {
        match reader.next()? {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err("XML 在元素结束前中断".to_owned()),
            _ => {}
        }
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

/// What a cell style does to a number: its format code (for `display_number`) and whether
/// that format shows a date or time.
#[derive(Debug, Clone, Default)]
struct CellFormat {
    code: Option<String>,
    date: bool,
}

/// The number format of each cell style (`cellXfs`), in style order.
fn cell_formats(xml_text: &str) -> Result<Vec<CellFormat>, Fault> {
    let mut reader = Lexer::new(xml_text);
    let mut custom: Vec<(String, String)> = Vec::new();
    let mut formats = Vec::new();
    let mut in_num_fmts = false;
    let mut in_cell_xfs = false;
    loop {
        match reader.next()? {
            Event::Start(e) | Event::Empty(e) => match name_of(&e) {
                "numFmts" => in_num_fmts = true,
                "cellXfs" => in_cell_xfs = true,
                "numFmt" if in_num_fmts => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode")) {
                        custom.push((id.to_owned(), unescaped(code)));
                    }
                }
                "xf" if in_cell_xfs => {
                    let id = attr(&e, "numFmtId");
                    let custom_code = id.and_then(|id| custom.iter().find(|(i, _)| i == id));
                    let date = match (id, custom_code) {
                        (_, Some((_, code))) => is_date_format(code),
                        (Some(id), None) => builtin_is_date(id),
                        (None, None) => false,
                    };
                    let code = id.and_then(|id| id.parse::<u32>().ok()).map(|n| {
                        custom_code
                            .map(|(_, c)| c.clone())
                            .or_else(|| builtin_format_code(n).map(str::to_owned))
                            .unwrap_or_else(|| "General".to_owned())
                    });
                    formats.push(CellFormat { code, date });
                }
                _ => {}
            },
            Event::End(e) => match local(e) {
                "numFmts" => in_num_fmts = false,
                "cellXfs" => in_cell_xfs = false,
                _ => {}
            },
            Event::Eof => return Ok(formats),
            _ => {}
        }
    }
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
    loop {
        match reader.next()? {
            Event::Start(e) if name_of(&e) == "sheetData" => break,
            Event::Empty(e) if name_of(&e) == "sheetData" => {
                return Ok(RowBuilder::default().finish(name.to_owned(), true))
            }
            Event::Eof => return Err(format!("工作表“{name}”没有单元格数据（sheetData）")),
            _ => {}
        }
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
        let (mut r, mut s, mut t) = (None, None, None);
        for (key, v) in Attrs(e.attrs) {
            match key {
                "r" => r = Some(v),
                "s" => s = Some(v),
                "t" => t = Some(v),
                _ => {}
            }
        }
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
        // The cell's children: `<v>` (`Some` even when empty: an empty `t="str"` result is an
        // empty string, not a missing value), `<is>`, `<f>`.
        let mut v: Option<()> = None;
        let mut inline: Option<()> = None;
        let mut has_formula = false;
        let mut shared_ref: Option<SharedRef> = None;
        value.clear();
        formula.clear();
        loop {
            match reader.next()? {
                Event::Start(c) => match name_of(&c) {
                    "v" => {
                        value.clear();
                        read_text(&mut reader, &mut value)?;
                        v = Some(());
                    }
                    "is" => {
                        value.clear();
                        rich_text(&mut reader, &mut value, &mut scratch)?;
                        inline = Some(());
                    }
                    "f" => {
                        has_formula = true;
                        shared_ref = shared_formula(&c)?;
                        formula.clear();
                        read_text(&mut reader, &mut formula)?;
                    }
                    _ => skip(&mut reader)?,
                },
                Event::Empty(c) => match name_of(&c) {
                    "v" => {
                        value.clear();
                        v = Some(());
                    }
                    "is" => {
                        value.clear();
                        inline = Some(());
                    }
                    "f" => {
                        has_formula = true;
                        shared_ref = shared_formula(&c)?;
                        formula.clear();
                    }
                    _ => {}
                },
                Event::End(_) => break,
                Event::Eof => return Err(format!("工作表“{name}”在单元格结束前中断")),
                _ => {}
            }
        }
        // A shared formula's anchor is remembered for the cells derived from it.
        if let Some((index, Some(anchor))) = shared_ref {
            let formula = formula.clone();
            shared.insert(index, SharedFormula { formula, anchor });
        }
        let text = if inline.is_some() {
            Some(Cow::Borrowed(value.as_str()))
        } else if v.is_some() {
            cell_value(book, &value, s, t)?
        } else {
            None
        };
        let keep_going = match text {
            Some(text) => rows.put(pos.0, pos.1, &text),
            None if has_formula => {
                let text = match shared_ref {
                    Some((index, None)) => shared
                        .get(&index)
                        .and_then(|f| {
                            calamine::expand_shared_formula(&f.formula, f.anchor, pos).ok()
                        })
                        .unwrap_or_default(),
                    _ => std::mem::take(&mut formula),
                };
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

/// Built-in number formats that show dates or times (ECMA-376 18.8.30; the East Asian ones
/// vary by locale and all show dates or times). As calamine tells them.
fn builtin_is_date(id: &str) -> bool {
    matches!(
        id,
        "14" | "15"
            | "16"
            | "17"
            | "18"
            | "19"
            | "20"
            | "21"
            | "22"
            | "45"
            | "46"
            | "47"
            | "27"
            | "28"
            | "29"
            | "30"
            | "31"
            | "32"
            | "33"
            | "34"
            | "35"
            | "36"
            | "50"
            | "51"
            | "52"
            | "53"
            | "54"
            | "55"
            | "56"
            | "57"
            | "58"
    )
}

/// The format code of a built-in number format (ECMA-376 18.8.30).
fn builtin_format_code(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
        42 => "_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
        44 => "_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// Whether a custom number format shows a date, a time or a duration: a date or time letter
/// outside quotes, escapes and brackets in its first section, or an elapsed-time bracket
/// (`[h]`). The rule calamine (after openpyxl) uses, so cells read as they did.
fn is_date_format(format: &str) -> bool {
    let mut escaped = false;
    let mut in_quotes = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut am_pm = false;
    for c in format.chars() {
        match (c, escaped, in_quotes, am_pm, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => in_quotes = false,
            (_, _, true, _, _) => {}
            ('"', ..) => in_quotes = true,
            (';', ..) => return false,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return true,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => am_pm = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return true,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return true
            }
            _ => {
                if !(hms && c.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = c;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_read_as_positions() {
        assert_eq!(cell_position("A1"), Ok((0, 0)));
        assert_eq!(cell_position("B12"), Ok((11, 1)));
        assert_eq!(cell_position("$AA$3"), Ok((2, 26)));
        assert_eq!(cell_position("XFD1048576"), Ok((1_048_575, 16_383)));
        let long = format!("{}1", "A".repeat(40));
        for bad in [
            "",
            "A",
            "12",
            "A0",
            "ABCD1",
            "A1B",
            "A99999999999",
            "中1",
            &long,
        ] {
            assert!(cell_position(bad).is_err(), "{bad}");
        }
        assert_eq!(row_number("3"), Ok(2));
        assert!(row_number("0").is_err());
    }

    #[test]
    fn office_escapes_decode() {
        let mut s = String::new();
        push_unescaped(&mut s, "a_x000D_b_x0009_c_xD83D__xDE00_d_xD83D_e_x12_f");
        assert_eq!(s, "a\rb\tc😀d\u{FFFD}e_x12_f");
    }

    #[test]
    fn date_formats_are_told_from_number_formats() {
        for date in [
            "yyyy-mm-dd",
            "yyyy\"年\"m\"月\"d\"日\"",
            "[h]:mm:ss",
            "h:mm AM/PM",
        ] {
            assert!(is_date_format(date), "{date}");
        }
        for number in [
            "0.00",
            "#,##0.00_);[Red](#,##0.00)",
            "0.00%",
            "\"约\"0\"万元\"",
            "General",
        ] {
            assert!(!is_date_format(number), "{number}");
        }
    }

    /// Every event of an XML text, as (kind, name or text) pairs.
    fn events(xml_text: &str) -> Result<Vec<(&'static str, String)>, Fault> {
        let mut lexer = Lexer::new(xml_text);
        let mut out = Vec::new();
        loop {
            out.push(match lexer.next()? {
                Event::Start(t) => ("start", format!("{}|{}", t.name, t.attrs)),
                Event::Empty(t) => ("empty", format!("{}|{}", t.name, t.attrs)),
                Event::End(n) => ("end", n.to_owned()),
                Event::Text(t) => ("text", unescaped(t)),
                Event::CData(t) => ("cdata", t.to_owned()),
                Event::Eof => return Ok(out),
            });
        }
    }

    #[test]
    fn the_lexer_reads_what_office_parts_hold() {
        let got = events(concat!(
            "\u{feff}<?xml version=\"1.0\"?><!DOCTYPE x><!-- a <c> comment -->",
            "<x:c r=\"A1\" t='s' f=\"a>b\"><v>1 &lt; 2 &amp;&#x41;&#66;&bogus; &amp</v>",
            "<t/><t xml:space=\"preserve\"/><![CDATA[<raw>]]>a\r\nb\rc</x:c >",
        ))
        .unwrap();
        let want: Vec<(&str, String)> = vec![
            ("text", "\u{feff}".into()),
            ("start", "x:c| r=\"A1\" t='s' f=\"a>b\"".into()),
            ("start", "v|".into()),
            ("text", "1 < 2 &AB&bogus; &amp".into()),
            ("end", "v".into()),
            ("empty", "t|".into()),
            ("empty", "t| xml:space=\"preserve\"".into()),
            ("cdata", "<raw>".into()),
            ("text", "a\nb\nc".into()),
            ("end", "x:c".into()),
        ];
        assert_eq!(got, want);
        for cut in [
            "<c r=\"A1",
            "<!-- never closed",
            "<![CDATA[ open",
            "<?xml",
            "</c",
        ] {
            assert!(events(cut).is_err(), "{cut}");
        }
    }

    #[test]
    fn attributes_read_as_written() {
        let pairs: Vec<_> = Attrs(r#" r="A1"  s = '3' t="s""#).collect();
        assert_eq!(pairs, [("r", "A1"), ("s", "3"), ("t", "s")]);
        assert_eq!(Attrs(r#" r="A1" broken"#).count(), 1);
        assert_eq!(Attrs(r#" r="A1"#).count(), 0);
    }
}
