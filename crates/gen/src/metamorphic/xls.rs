//! A minimal Excel 97–2003 (BIFF8) writer: the `Workbook` stream of records in a compound file
//! (the `cfb` crate). It writes what the metamorphic tests need and what Excel and
//! LibreOffice expect of a well-formed file: the globals (BOF, CODEPAGE, WINDOW1, five FONTs,
//! FORMATs, 15 style XFs, the default cell XF and one cell XF per number format, STYLE, BOUNDSHEET per sheet, SST
//! with CONTINUE records, EOF) and per sheet BOF, DIMENSIONS, COLINFO for hidden columns, ROW
//! for hidden rows, LABELSST / NUMBER / FORMULA (with its cached number) cells, WINDOW2,
//! MERGEDCELLS and EOF. Record layouts are those of [MS-XLS].

use super::model::{Value, Workbook};
use std::io::Write as _;

const MAX_RECORD: usize = 8224;

fn record(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    debug_assert!(data.len() <= MAX_RECORD);
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn u16s(values: &[u16]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// BOF of the globals (`dt` 0x0005) or of a worksheet (0x0010).
fn bof(out: &mut Vec<u8>, dt: u16) {
    let mut d = u16s(&[0x0600, dt, 0x0DBB, 0x07CC]);
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&6u32.to_le_bytes());
    record(out, 0x0809, &d);
}

/// The XF index of each number format: built-in ids where Excel has them, else custom
/// formats from 164 on (written as FORMAT records).
struct Formats {
    /// (format, ifmt) in order of first use; the cell XF of the i-th is 16 + i.
    list: Vec<(String, u16)>,
}

impl Formats {
    fn builtin(f: &str) -> Option<u16> {
        match f {
            "0" => Some(1),
            "0.00" => Some(2),
            "#,##0" => Some(3),
            "#,##0.00" => Some(4),
            "0%" => Some(9),
            "0.00%" => Some(10),
            _ => None,
        }
    }

    fn collect(book: &Workbook) -> Formats {
        let mut list: Vec<(String, u16)> = Vec::new();
        let mut custom = 164;
        for cell in book.sheets.iter().flat_map(|s| s.rows.iter().flatten()) {
            if let Some(f) = cell.format() {
                if list.iter().any(|(x, _)| x == f) {
                    continue;
                }
                let id = Formats::builtin(f).unwrap_or_else(|| {
                    custom += 1;
                    custom - 1
                });
                list.push((f.to_owned(), id));
            }
        }
        Formats { list }
    }

    /// The XF of a cell: 15 (the default cell XF), 16 + i for the i-th format, and the last
    /// XF (wrapped text) for text with a line break.
    fn xf(&self, cell: &Value) -> u16 {
        match cell.format() {
            Some(f) => 16 + self.list.iter().position(|(x, _)| x == f).unwrap_or(0) as u16,
            None => match cell {
                Value::Text(s) if s.contains('\n') => self.wrap_xf(),
                _ => 15,
            },
        }
    }

    fn wrap_xf(&self) -> u16 {
        16 + self.list.len() as u16
    }
}

/// An XF record: font 0, format `ifmt`; a style XF when `style`.
fn xf(out: &mut Vec<u8>, ifmt: u16, style: bool, wrap: bool) {
    let flags: u16 = if style { 0xFFF5 } else { 0x0001 };
    let mut d = u16s(&[0, ifmt, flags]);
    let align = 0x20 | if wrap { 0x08 } else { 0 };
    let used: u8 = if style {
        0xF4
    } else {
        (if ifmt != 0 { 0x04 } else { 0 }) | (if wrap { 0x10 } else { 0 })
    };
    d.extend_from_slice(&[align, 0, 0, used]);
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&0x20C0u16.to_le_bytes());
    record(out, 0x00E0, &d);
}

/// The shared string table: each distinct text once, in order of first use.
struct Sst {
    strings: Vec<String>,
    index: std::collections::HashMap<String, u32>,
    total: u32,
}

impl Sst {
    fn add(&mut self, s: &str) -> u32 {
        self.total += 1;
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_owned());
        self.index.insert(s.to_owned(), i);
        i
    }

    /// SST and its CONTINUE records. A string's header (count and flags) never splits; its
    /// characters may, and then the CONTINUE starts with the flags byte again (1: UTF-16).
    fn write(&self, out: &mut Vec<u8>) {
        let mut records: Vec<Vec<u8>> = Vec::new();
        let mut cur: Vec<u8> = Vec::new();
        cur.extend_from_slice(&self.total.to_le_bytes());
        cur.extend_from_slice(&(self.strings.len() as u32).to_le_bytes());
        for s in &self.strings {
            let units: Vec<u16> = s.encode_utf16().collect();
            if cur.len() + 3 > MAX_RECORD {
                records.push(std::mem::take(&mut cur));
            }
            cur.extend_from_slice(&(units.len() as u16).to_le_bytes());
            cur.push(1);
            let mut rest = &units[..];
            while !rest.is_empty() {
                let room = (MAX_RECORD - cur.len()) / 2;
                if room == 0 {
                    records.push(std::mem::take(&mut cur));
                    cur.push(1);
                    continue;
                }
                let n = room.min(rest.len());
                for u in &rest[..n] {
                    cur.extend_from_slice(&u.to_le_bytes());
                }
                rest = &rest[n..];
            }
        }
        records.push(cur);
        for (i, r) in records.iter().enumerate() {
            record(out, if i == 0 { 0x00FC } else { 0x003C }, r);
        }
    }
}

/// A formula in A1 syntax (`C9/C11`, `B5+B6`, `2*A1`) as parsed tokens (RPN): references,
/// numbers and the four operations, `*` `/` before `+` `-`.
fn formula_tokens(formula: &str) -> Result<Vec<u8>, String> {
    #[derive(Clone, Copy)]
    enum Tok {
        Ref(u16, u16),
        Num(f64),
        Op(u8, u8),
    }
    let bytes = formula.as_bytes();
    let mut i = 0;
    let mut toks = Vec::new();
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_uppercase() {
            let mut col: u32 = 0;
            while i < bytes.len() && bytes[i].is_ascii_uppercase() {
                col = col * 26 + u32::from(bytes[i] - b'A' + 1);
                i += 1;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let row: u32 = formula[start..i]
                .parse()
                .map_err(|_| format!("bad reference in {formula}"))?;
            toks.push(Tok::Ref((row - 1) as u16, (col - 1) as u16));
        } else if b.is_ascii_digit() || b == b'.' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            toks.push(Tok::Num(
                formula[start..i]
                    .parse()
                    .map_err(|_| format!("bad number in {formula}"))?,
            ));
        } else {
            let op = match b {
                b'+' => (0x03, 1),
                b'-' => (0x04, 1),
                b'*' => (0x05, 2),
                b'/' => (0x06, 2),
                b' ' => {
                    i += 1;
                    continue;
                }
                _ => return Err(format!("unsupported formula {formula}")),
            };
            toks.push(Tok::Op(op.0, op.1));
            i += 1;
        }
    }
    // Shunting-yard to reverse Polish order.
    let mut rpn = Vec::new();
    let mut ops: Vec<Tok> = Vec::new();
    for t in toks {
        match t {
            Tok::Op(_, p) => {
                while let Some(&Tok::Op(_, q)) = ops.last() {
                    if q >= p {
                        rpn.push(ops.pop().expect("checked"));
                    } else {
                        break;
                    }
                }
                ops.push(t);
            }
            other => rpn.push(other),
        }
    }
    rpn.extend(ops.into_iter().rev());
    let mut out = Vec::new();
    for t in rpn {
        match t {
            // ptgRef (reference class), both relative.
            Tok::Ref(r, c) => {
                out.push(0x24);
                out.extend_from_slice(&u16s(&[r, c | 0xC000]));
            }
            Tok::Num(v) => {
                out.push(0x1F);
                out.extend_from_slice(&v.to_le_bytes());
            }
            Tok::Op(code, _) => out.push(code),
        }
    }
    Ok(out)
}

fn sheet_stream(
    sheet: &super::model::Sheet,
    formats: &Formats,
    sst: &mut Sst,
    first: bool,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    bof(&mut out, 0x0010);
    let rows = sheet.rows.len().max(1) as u32;
    let cols = sheet.width().max(1) as u16;
    let mut d = Vec::new();
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&rows.to_le_bytes());
    d.extend_from_slice(&u16s(&[0, cols, 0]));
    record(&mut out, 0x0200, &d);
    for &c in &sheet.hidden_cols {
        record(
            &mut out,
            0x007D,
            &u16s(&[c as u16, c as u16, 2560, 15, 0x0001, 0]),
        );
    }
    for &r in &sheet.hidden_rows {
        let width = sheet.rows.get(r).map_or(0, Vec::len) as u16;
        record(
            &mut out,
            0x0208,
            &u16s(&[r as u16, 0, width, 0x00FF, 0, 0, 0x0160, 0x000F]),
        );
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let head = u16s(&[r as u16, c as u16, formats.xf(cell)]);
            match cell {
                Value::Empty => {}
                Value::Text(s) if s.is_empty() => {}
                Value::Text(s) => {
                    if s.encode_utf16().count() > 32767 {
                        return Err("a text longer than a cell holds".into());
                    }
                    let mut d = head;
                    d.extend_from_slice(&sst.add(s).to_le_bytes());
                    record(&mut out, 0x00FD, &d);
                }
                Value::Number { value, .. } => {
                    let mut d = head;
                    d.extend_from_slice(&value.to_le_bytes());
                    record(&mut out, 0x0203, &d);
                }
                Value::Formula {
                    formula, cached, ..
                } => {
                    let rgce = formula_tokens(formula)?;
                    let mut d = head;
                    d.extend_from_slice(&cached.to_le_bytes());
                    d.extend_from_slice(&0u16.to_le_bytes());
                    d.extend_from_slice(&0u32.to_le_bytes());
                    d.extend_from_slice(&(rgce.len() as u16).to_le_bytes());
                    d.extend_from_slice(&rgce);
                    record(&mut out, 0x0006, &d);
                }
            }
        }
    }
    let grbit: u16 = 0x06B6 | if first { 0x0600 } else { 0 };
    record(
        &mut out,
        0x023E,
        &u16s(&[grbit, 0, 0, 0x0040, 0, 0, 0, 0, 0]),
    );
    for chunk in sheet.merges.chunks(1026) {
        let mut d = u16s(&[chunk.len() as u16]);
        for m in chunk {
            d.extend_from_slice(&u16s(&[
                m.first_row as u16,
                m.last_row as u16,
                m.first_col as u16,
                m.last_col as u16,
            ]));
        }
        record(&mut out, 0x00E5, &d);
    }
    record(&mut out, 0x000A, &[]);
    Ok(out)
}

/// The workbook as an `.xls` file.
pub fn write(book: &Workbook) -> Result<Vec<u8>, String> {
    let formats = Formats::collect(book);
    let mut sst = Sst {
        strings: Vec::new(),
        index: Default::default(),
        total: 0,
    };
    let sheets: Vec<Vec<u8>> = book
        .sheets
        .iter()
        .enumerate()
        .map(|(i, s)| sheet_stream(s, &formats, &mut sst, i == book.form))
        .collect::<Result<_, _>>()?;

    // The globals, with each BOUNDSHEET's offset patched once the globals' length is known.
    let mut g = Vec::new();
    bof(&mut g, 0x0005);
    record(&mut g, 0x0042, &u16s(&[1200]));
    record(
        &mut g,
        0x003D,
        &u16s(&[0, 0, 0x4000, 0x2000, 0x0038, book.form as u16, 0, 1, 600]),
    );
    for _ in 0..5 {
        let mut d = u16s(&[200, 0, 0x7FFF, 400, 0]);
        d.extend_from_slice(&[0, 0, 0x86, 0]);
        d.push(5);
        d.push(0);
        d.extend_from_slice(b"Arial");
        record(&mut g, 0x0031, &d);
    }
    for (f, id) in &formats.list {
        if *id >= 164 {
            let mut d = u16s(&[*id, f.encode_utf16().count() as u16]);
            d.push(1);
            d.extend_from_slice(&utf16(f));
            record(&mut g, 0x041E, &d);
        }
    }
    // XFs 0–14 are style XFs, 15 the default cell XF, then one per number format and the
    // wrapped-text XF (the indices `Formats::xf` gives).
    for _ in 0..15 {
        xf(&mut g, 0, true, false);
    }
    xf(&mut g, 0, false, false);
    for (_, id) in &formats.list {
        xf(&mut g, *id, false, false);
    }
    xf(&mut g, 0, false, true);
    record(&mut g, 0x0293, &[0x00, 0x80, 0x00, 0xFF]);
    let mut patches = Vec::new();
    for s in &book.sheets {
        let mut d = vec![0, 0, 0, 0, 0, 0];
        d.push(s.name.encode_utf16().count() as u8);
        d.push(1);
        d.extend_from_slice(&utf16(&s.name));
        patches.push(g.len() + 4);
        record(&mut g, 0x0085, &d);
    }
    sst.write(&mut g);
    record(&mut g, 0x000A, &[]);
    let mut offset = g.len();
    for (p, s) in patches.iter().zip(&sheets) {
        g[*p..*p + 4].copy_from_slice(&(offset as u32).to_le_bytes());
        offset += s.len();
    }
    for s in sheets {
        g.extend_from_slice(&s);
    }

    let io = |e: std::io::Error| e.to_string();
    let mut cfb =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new()))
            .map_err(io)?;
    {
        let mut stream = cfb.create_stream("/Workbook").map_err(io)?;
        stream.write_all(&g).map_err(io)?;
    }
    cfb.flush().map_err(io)?;
    Ok(cfb.into_inner().into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    /// Every cell's XF carries its number format (Excel and LibreOffice show it; calamine
    /// does not tell): the records of the written stream, read back.
    #[test]
    fn cells_point_at_the_xf_of_their_format() {
        let mut book = Workbook::from_export("部门名称\t某局\n合计\t286.41\t100%\n");
        book.form_mut().set(
            1,
            2,
            Value::Number {
                value: 1.0,
                format: Some("0.00%".into()),
            },
        );
        let bytes = write(&book).unwrap();
        let mut cfb = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).unwrap();
        let mut stream = Vec::new();
        cfb.open_stream("/Workbook")
            .unwrap()
            .read_to_end(&mut stream)
            .unwrap();
        let (mut xfs, mut numbers) = (Vec::new(), Vec::new());
        let mut at = 0;
        while at + 4 <= stream.len() {
            let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
            let len = u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
            let d = &stream[at + 4..at + 4 + len];
            let word = |i: usize| u16::from_le_bytes([d[i], d[i + 1]]);
            match kind {
                0x00E0 => xfs.push(word(2)),
                0x0203 => {
                    let value = f64::from_le_bytes(d[6..14].try_into().unwrap());
                    numbers.push((word(4), value));
                }
                _ => {}
            }
            at += 4 + len;
        }
        assert_eq!(xfs[15], 0, "XF 15 is the default cell XF (General)");
        let formats: Vec<(u16, f64)> = numbers.iter().map(|&(x, v)| (xfs[x as usize], v)).collect();
        assert_eq!(formats, vec![(2, 286.41), (10, 1.0)], "0.00 and 0.00%");
    }

    #[test]
    fn formulas_compile_to_reverse_polish() {
        // B5/B7: ptgRef B5, ptgRef B7, ptgDiv.
        assert_eq!(
            formula_tokens("B5/B7").unwrap(),
            vec![0x24, 4, 0, 1, 0xC0, 0x24, 6, 0, 1, 0xC0, 0x06]
        );
        let t = formula_tokens("A1+B1*2").unwrap();
        assert_eq!(*t.last().unwrap(), 0x03);
    }
}
