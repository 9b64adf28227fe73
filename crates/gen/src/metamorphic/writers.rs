//! The workbook saved as each format a department hands in: `.xlsx` (rust_xlsxwriter), `.ods`
//! (an OpenDocument zip written here), `.xls` (BIFF8, `super::xls`), Excel's "Unicode text"
//! (UTF-16LE with BOM, tabs, CRLF, quoting) and a GB18030 text export. A text export holds the
//! form sheet only, as Excel saves the active sheet.

use super::model::{display, Sheet, Value, Workbook};
use std::fmt::Write as _;
use std::io::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    Xlsx,
    Xls,
    Ods,
    /// Excel's "Unicode text".
    UnicodeText,
    /// A text export in GB18030 (CRLF, as Windows writes it).
    Gb18030Text,
}

impl OutFormat {
    pub const ALL: [OutFormat; 5] = [
        OutFormat::Xlsx,
        OutFormat::Xls,
        OutFormat::Ods,
        OutFormat::UnicodeText,
        OutFormat::Gb18030Text,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OutFormat::Xlsx => "xlsx",
            OutFormat::Xls => "xls",
            OutFormat::Ods => "ods",
            OutFormat::UnicodeText => "utf16-txt",
            OutFormat::Gb18030Text => "gb18030-txt",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutFormat::Xlsx => "xlsx",
            OutFormat::Xls => "xls",
            OutFormat::Ods => "ods",
            OutFormat::UnicodeText | OutFormat::Gb18030Text => "txt",
        }
    }

    /// Whether the format holds one sheet of text (no other sheets, formats or merges).
    pub fn is_text(self) -> bool {
        matches!(self, OutFormat::UnicodeText | OutFormat::Gb18030Text)
    }

    pub fn write(self, book: &Workbook) -> Result<Vec<u8>, String> {
        match self {
            OutFormat::Xlsx => xlsx(book),
            OutFormat::Xls => super::xls::write(book),
            OutFormat::Ods => ods(book),
            OutFormat::UnicodeText => Ok(unicode_text(book.form())),
            OutFormat::Gb18030Text => {
                let text = book.form().to_text("\r\n");
                let (bytes, _, lossy) = encoding_rs::GB18030.encode(&text);
                if lossy {
                    return Err("a character GB18030 cannot hold".into());
                }
                Ok(bytes.into_owned())
            }
        }
    }
}

/// Excel's "Unicode text": UTF-16LE with a BOM, tabs, CRLF, quoted cells.
pub fn unicode_text(sheet: &Sheet) -> Vec<u8> {
    let text = sheet.to_text("\r\n");
    let mut v = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

fn xlsx(book: &Workbook) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Formula, Workbook as XWorkbook};
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = XWorkbook::new();
    for sheet in &book.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name).map_err(err)?;
        for m in &sheet.merges {
            ws.merge_range(
                m.first_row as u32,
                m.first_col as u16,
                m.last_row as u32,
                m.last_col as u16,
                "",
                &Format::new(),
            )
            .map_err(err)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let format = |f: Option<&str>| match f {
                    Some(f) => Format::new().set_num_format(f),
                    None => Format::new(),
                };
                match cell {
                    Value::Empty => {}
                    Value::Text(s) if s.is_empty() => {}
                    Value::Text(s) if s.contains('\n') => {
                        ws.write_string_with_format(r, c, s, &Format::new().set_text_wrap())
                            .map_err(err)?;
                    }
                    Value::Text(s) => {
                        ws.write_string(r, c, s).map_err(err)?;
                    }
                    Value::Number { value, format: f } => {
                        ws.write_number_with_format(r, c, *value, &format(f.as_deref()))
                            .map_err(err)?;
                    }
                    Value::Formula {
                        formula,
                        cached,
                        format: f,
                    } => {
                        let fm = Formula::new(format!("={formula}")).set_result(cached.to_string());
                        ws.write_formula_with_format(r, c, fm, &format(f.as_deref()))
                            .map_err(err)?;
                    }
                }
            }
        }
        for &c in &sheet.hidden_cols {
            ws.set_column_hidden(c as u16).map_err(err)?;
        }
        for &r in &sheet.hidden_rows {
            ws.set_row_hidden(r as u32).map_err(err)?;
        }
    }
    wb.save_to_buffer().map_err(err)
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("<text:tab/>"),
            _ => out.push(ch),
        }
    }
    out
}

/// One paragraph's text as ODF writes it: runs of spaces beyond the first as `<text:s/>`.
fn odf_paragraph(line: &str) -> String {
    let mut out = String::new();
    let mut spaces = 0;
    let flush = |out: &mut String, spaces: &mut usize| {
        if *spaces > 0 {
            // The first space of a run is kept as text unless it leads the paragraph.
            let lead = out.is_empty();
            if !lead {
                out.push(' ');
            }
            let extra = *spaces - usize::from(!lead);
            if extra > 0 {
                let _ = write!(out, "<text:s text:c=\"{extra}\"/>");
            }
            *spaces = 0;
        }
    };
    for ch in line.chars() {
        if ch == ' ' {
            spaces += 1;
        } else {
            flush(&mut out, &mut spaces);
            out.push_str(&xml_escape(&ch.to_string()));
        }
    }
    // Trailing spaces are kept too.
    if spaces > 0 {
        if out.is_empty() {
            let _ = write!(out, "<text:s text:c=\"{spaces}\"/>");
        } else {
            out.push(' ');
            if spaces > 1 {
                let _ = write!(out, "<text:s text:c=\"{}\"/>", spaces - 1);
            }
        }
    }
    out
}

/// The ODF style of a number format: (cell style name, data style XML).
fn ods_style(format: &str, index: usize) -> (String, String) {
    let (format, grouping) = match format.strip_prefix("#,##") {
        Some(f) => (f, " number:grouping=\"true\""),
        None => (format, ""),
    };
    let (body, percent) = match format.strip_suffix('%') {
        Some(b) => (b, true),
        None => (format, false),
    };
    let decimals = body.split_once('.').map_or(0, |(_, d)| d.len());
    let number = format!(
        "<number:number number:decimal-places=\"{decimals}\" number:min-decimal-places=\"{decimals}\" number:min-integer-digits=\"1\"{grouping}/>"
    );
    let data = if percent {
        format!("<number:percentage-style style:name=\"N{index}\">{number}<number:text>%</number:text></number:percentage-style>")
    } else {
        format!("<number:number-style style:name=\"N{index}\">{number}</number:number-style>")
    };
    let cell = format!(
        "<style:style style:name=\"ce{index}\" style:family=\"table-cell\" style:parent-style-name=\"Default\" style:data-style-name=\"N{index}\"/>"
    );
    (format!("ce{index}"), data + &cell)
}

/// An A1 reference as OpenFormula writes it (`[.C9]`).
fn of_formula(formula: &str) -> String {
    let mut out = String::from("of:=");
    let mut chars = formula.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_uppercase() {
            let mut r = c.to_string();
            while let Some(&n) = chars.peek() {
                if n.is_ascii_alphanumeric() {
                    r.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            let _ = write!(out, "[.{r}]");
        } else {
            out.push(c);
        }
    }
    out
}

fn ods(book: &Workbook) -> Result<Vec<u8>, String> {
    // Number formats used anywhere get one style each.
    let mut formats: Vec<String> = Vec::new();
    for sheet in &book.sheets {
        for cell in sheet.rows.iter().flatten() {
            if let Some(f) = cell.format() {
                if !formats.iter().any(|x| x == f) {
                    formats.push(f.to_owned());
                }
            }
        }
    }
    let styles: Vec<(String, String)> = formats
        .iter()
        .enumerate()
        .map(|(i, f)| ods_style(f, i + 1))
        .collect();
    let style_of = |f: Option<&str>| {
        f.and_then(|f| formats.iter().position(|x| x == f))
            .map(|i| format!(" table:style-name=\"{}\"", styles[i].0))
            .unwrap_or_default()
    };

    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"><office:automatic-styles><style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="2.5cm"/></style:style><style:style style:name="ro1" style:family="table-row"><style:table-row-properties style:use-optimal-row-height="true"/></style:style>"#,
    );
    for (_, xml) in &styles {
        x.push_str(xml);
    }
    x.push_str("</office:automatic-styles><office:body><office:spreadsheet>");
    for sheet in &book.sheets {
        let width = sheet.width().max(1);
        let _ = write!(
            x,
            "<table:table table:name=\"{}\">",
            xml_escape(&sheet.name)
        );
        for c in 0..width {
            let hidden = if sheet.hidden_cols.contains(&c) {
                " table:visibility=\"collapse\""
            } else {
                ""
            };
            let _ = write!(
                x,
                "<table:table-column table:style-name=\"co1\"{hidden} table:default-cell-style-name=\"Default\"/>"
            );
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let hidden = if sheet.hidden_rows.contains(&r) {
                " table:visibility=\"collapse\""
            } else {
                ""
            };
            let _ = write!(x, "<table:table-row table:style-name=\"ro1\"{hidden}>");
            for c in 0..row.len().max(1) {
                let cell = row.get(c).unwrap_or(&Value::Empty);
                let covered = sheet.merged(r, c)
                    && !sheet
                        .merges
                        .iter()
                        .any(|m| m.first_row == r && m.first_col == c);
                if covered {
                    x.push_str("<table:covered-table-cell/>");
                    continue;
                }
                let span = sheet
                    .merges
                    .iter()
                    .find(|m| m.first_row == r && m.first_col == c)
                    .map(|m| {
                        format!(
                            " table:number-columns-spanned=\"{}\" table:number-rows-spanned=\"{}\"",
                            m.last_col - m.first_col + 1,
                            m.last_row - m.first_row + 1
                        )
                    })
                    .unwrap_or_default();
                let paragraphs = |s: &str| -> String {
                    s.split('\n')
                        .map(|l| format!("<text:p>{}</text:p>", odf_paragraph(l)))
                        .collect()
                };
                match cell {
                    Value::Empty => {
                        let _ = write!(x, "<table:table-cell{span}/>");
                    }
                    Value::Text(s) => {
                        let _ = write!(
                            x,
                            "<table:table-cell office:value-type=\"string\"{span}>{}</table:table-cell>",
                            paragraphs(s)
                        );
                    }
                    Value::Number { value, format }
                    | Value::Formula {
                        cached: value,
                        format,
                        ..
                    } => {
                        let kind = if format.as_deref().is_some_and(|f| f.ends_with('%')) {
                            "percentage"
                        } else {
                            "float"
                        };
                        let formula = match cell {
                            Value::Formula { formula, .. } => {
                                format!(" table:formula=\"{}\"", xml_escape(&of_formula(formula)))
                            }
                            _ => String::new(),
                        };
                        let _ = write!(
                            x,
                            "<table:table-cell{formula} office:value-type=\"{kind}\" office:value=\"{value}\"{}{span}><text:p>{}</text:p></table:table-cell>",
                            style_of(format.as_deref()),
                            xml_escape(&display(*value, format.as_deref()))
                        );
                    }
                }
            }
            x.push_str("</table:table-row>");
        }
        x.push_str("</table:table>");
    }
    x.push_str("</office:spreadsheet></office:body></office:document-content>");

    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        use zip::write::SimpleFileOptions;
        let stored =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let deflated =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut z = zip::ZipWriter::new(&mut buf);
        let err = |e: zip::result::ZipError| e.to_string();
        let io = |e: std::io::Error| e.to_string();
        z.start_file("mimetype", stored).map_err(err)?;
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .map_err(io)?;
        z.start_file("META-INF/manifest.xml", deflated)
            .map_err(err)?;
        z.write_all(manifest.as_bytes()).map_err(io)?;
        z.start_file("content.xml", deflated).map_err(err)?;
        z.write_all(x.as_bytes()).map_err(io)?;
        z.finish().map_err(err)?;
    }
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odf_keeps_runs_of_spaces() {
        assert_eq!(odf_paragraph("a  b"), "a <text:s text:c=\"1\"/>b");
        assert_eq!(odf_paragraph(" a"), "<text:s text:c=\"1\"/>a");
        assert_eq!(of_formula("B5/B7"), "of:=[.B5]/[.B7]");
    }

    /// A small workbook with every kind of cell, a merge, a hidden column, a long text (the
    /// .xls SST's CONTINUE records) and a cover sheet, read back by calamine.
    fn sample() -> Workbook {
        use super::super::{Merge, Transform};
        let mut book = Workbook::from_export(
            "2020年度部门整体支出绩效目标申报表\n部门名称\t某局\n\t当年预算收支\t占比\n\
             财政拨款\t75.5\t75.5%\n其他资金\t24.5\t24.5%\n合计\t100\t100%\n",
        );
        let s = book.form_mut();
        s.set(6, 0, Value::text("长文\n".repeat(3000)));
        s.insert_col(1);
        s.hidden_cols.insert(1);
        s.merges.push(Merge {
            first_row: 1,
            first_col: 2,
            last_row: 1,
            last_col: 3,
        });
        Transform::ShareFormula.apply(&mut book, &mut super::super::Rng::new(1));
        Transform::CoverBefore.apply(&mut book, &mut super::super::Rng::new(1));
        book
    }

    #[test]
    fn calamine_reads_back_every_workbook_format() {
        use calamine::{open_workbook_auto_from_rs, Data, Reader};
        let book = sample();
        for f in [OutFormat::Xlsx, OutFormat::Xls, OutFormat::Ods] {
            let bytes = f.write(&book).unwrap();
            let mut wb = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
                .unwrap_or_else(|e| panic!("{}: {e}", f.name()));
            assert_eq!(wb.sheet_names(), vec!["封面", "申报表"], "{}", f.name());
            let range = wb.worksheet_range("申报表").unwrap();
            let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
            assert_eq!(at(1, 0), Data::String("部门名称".into()), "{}", f.name());
            assert_eq!(at(3, 2), Data::Float(75.5), "{}", f.name());
            assert_eq!(
                at(3, 3),
                Data::Float(0.755),
                "{} formula's cached value",
                f.name()
            );
            assert_eq!(
                at(6, 0),
                Data::String("长文\n".repeat(3000)),
                "{}",
                f.name()
            );
            let formulas = wb.worksheet_formula("申报表").unwrap();
            let formula = formulas.get_value((3, 3)).cloned().unwrap_or_default();
            assert!(
                formula.contains("C4") && formula.contains("C6"),
                "{}: {formula}",
                f.name()
            );
        }
        let mut xls =
            calamine::Xls::new(std::io::Cursor::new(OutFormat::Xls.write(&book).unwrap())).unwrap();
        let _ = xls.worksheet_range("申报表").unwrap();
        let merges = xls.merge_cells_by_sheet_name("申报表").unwrap();
        assert_eq!(merges.len(), 1);
    }

    #[test]
    fn text_exports_quote_and_encode() {
        let book = sample();
        let u = OutFormat::UnicodeText.write(&book).unwrap();
        assert_eq!(&u[..2], &[0xFF, 0xFE]);
        let g = OutFormat::Gb18030Text.write(&book).unwrap();
        let text = encoding_rs::GB18030.decode(&g).0;
        assert!(text.contains("\"长文\n"));
        assert!(text.contains("75.50%"));
    }
}
