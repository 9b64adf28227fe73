//! Downloadable tables: one [`Table`] rendered as CSV ([`Table::to_csv`]) or XLSX
//! ([`Table::to_xlsx`]) for finance-bureau staff who open them in Excel.
//!
//! Both renderers are pure functions of the table: the same table always yields the same
//! bytes (the XLSX carries a fixed creation time and fixed zip entry times), so published
//! sites are reproducible and diffable.
//!
//! Number conventions shared by both formats:
//! - [`Cell::Amount`] is money in 万元, rounded half away from zero to 2 decimals and always
//!   written with 2 decimals; `-0.00` never appears.
//! - [`Cell::Percent`] holds percentage points (`93.58` means 93.58%), rounded the same way.
//! - `None` is an empty field / empty cell, never `0`.
//!
//! Text is always text: CSV fields that Excel would run as formulas get a leading apostrophe,
//! and XLSX cells are written as strings, never as formulas.

use rust_decimal::Decimal;

mod xlsx;

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq, Hash)]
pub enum Cell {
    Text(String),
    /// Money in 万元, exact; written with 2 decimals.
    Amount(Option<Decimal>),
    /// Percentage points (93.58 means 93.58%); written with 2 decimals.
    Percent(Option<Decimal>),
    Integer(i64),
}

/// A table: one header row and data rows. Rows may be shorter or longer than the header;
/// missing cells are simply absent.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Table {
    /// Sheet name in XLSX (sanitised to Excel's rules: ≤ 31 characters, none of `[]:*?/\`,
    /// no leading/trailing apostrophe) and the XLSX document title. Not written as a row.
    pub name: String,
    /// Header row. When empty, no header row is written (and nothing is frozen or filtered).
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Failure to render a table.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("生成 Excel 文件失败：{0}")]
    Xlsx(String),
}

/// UTF-8 byte order mark; Excel needs it to read a CSV as UTF-8 rather than the ANSI code page.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Table {
    /// CSV for Excel: UTF-8 with BOM, CRLF line ends, RFC 4180 quoting, amounts as plain
    /// numbers with 2 decimals (no thousands separators, so Excel reads numbers), percents as
    /// numbers with 2 decimals (header says "（%）"), None as an empty field.
    /// Guard against CSV/formula injection: a Text cell starting with = + - @ or a tab/CR gets a
    /// leading apostrophe (') — but NOT for Amount/Percent cells (negative numbers stay numbers).
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = String::new();
        if !self.headers.is_empty() {
            push_csv_record(&mut out, self.headers.iter().map(|h| csv_text(h)));
        }
        for row in &self.rows {
            push_csv_record(&mut out, row.iter().map(csv_cell));
        }
        let mut bytes = Vec::with_capacity(BOM.len() + out.len());
        bytes.extend_from_slice(BOM);
        bytes.extend_from_slice(out.as_bytes());
        bytes
    }
}

/// The text of one CSV field before quoting.
fn csv_cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => csv_text(s),
        Cell::Amount(v) | Cell::Percent(v) => crate::format::plain(*v),
        Cell::Integer(i) => i.to_string(),
    }
}

/// Text neutralised against formula injection: Excel runs a field starting with
/// `=`, `+`, `-`, `@`, tab or CR as a formula; a leading apostrophe stops that.
fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// Appends one CSV record (RFC 4180 quoting) terminated by CRLF.
fn push_csv_record(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::str::FromStr;

    pub(super) fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn csv_string(t: &Table) -> String {
        let bytes = t.to_csv();
        assert!(bytes.starts_with(BOM), "CSV must start with a UTF-8 BOM");
        String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap()
    }

    pub(super) fn sample() -> Table {
        Table {
            name: "收入预算表".into(),
            headers: vec![
                "项目".into(),
                "金额（万元）".into(),
                "完成率（%）".into(),
                "个数".into(),
            ],
            rows: vec![
                vec![
                    Cell::Text("一般公共预算拨款收入".into()),
                    Cell::Amount(Some(dec("1234567.895"))),
                    Cell::Percent(Some(dec("93.58"))),
                    Cell::Integer(12),
                ],
                vec![
                    Cell::Text("=1+2".into()),
                    Cell::Amount(Some(dec("-0.5"))),
                    Cell::Percent(None),
                    Cell::Integer(-3),
                ],
                vec![
                    Cell::Text("2010101".into()),
                    Cell::Amount(None),
                    Cell::Percent(Some(dec("100"))),
                    Cell::Integer(0),
                ],
            ],
        }
    }

    // ---- CSV ----

    #[test]
    fn csv_has_bom_and_crlf_line_ends() {
        let bytes = sample().to_csv();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        let text = csv_string(&sample());
        assert!(text.ends_with("\r\n"));
        assert_eq!(text.matches("\r\n").count(), 4);
        assert_eq!(text.matches('\n').count(), 4, "no bare LF line ends");
        assert!(text.starts_with("项目,金额（万元）,完成率（%）,个数\r\n"));
    }

    #[test]
    fn csv_renders_numbers_plainly_and_none_as_empty() {
        let text = csv_string(&sample());
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[1], "一般公共预算拨款收入,1234567.90,93.58,12");
        assert_eq!(lines[2], "'=1+2,-0.50,,-3");
        assert_eq!(lines[3], "2010101,,100.00,0");
        assert_eq!(lines[4], "");
    }

    #[test]
    fn csv_quotes_commas_quotes_and_newlines() {
        let t = Table {
            name: "t".into(),
            headers: vec!["a,b".into(), "say \"hi\"".into()],
            rows: vec![vec![
                Cell::Text("line1\nline2".into()),
                Cell::Text("cr\rhere".into()),
                Cell::Text("plain".into()),
                Cell::Text("中文，全角逗号".into()),
            ]],
        };
        let text = csv_string(&t);
        assert_eq!(
            text,
            "\"a,b\",\"say \"\"hi\"\"\"\r\n\"line1\nline2\",\"cr\rhere\",plain,中文，全角逗号\r\n"
        );
    }

    #[test]
    fn csv_guards_text_against_formula_injection() {
        let cases = [
            ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            (
                "=HYPERLINK(\"http://x\",\"a,b\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\"",
            ),
            ("a=b", "a=b"),
            ("合计", "合计"),
            ("", ""),
        ];
        for (input, want) in cases {
            let t = Table {
                name: "t".into(),
                headers: vec![],
                rows: vec![vec![Cell::Text(input.into())]],
            };
            assert_eq!(csv_string(&t), format!("{want}\r\n"), "input {input:?}");
        }
        // Headers are text too.
        let t = Table {
            name: "t".into(),
            headers: vec!["=cmd".into()],
            rows: vec![],
        };
        assert_eq!(csv_string(&t), "'=cmd\r\n");
    }

    #[test]
    fn csv_negative_numbers_stay_numbers() {
        let t = Table {
            name: "t".into(),
            headers: vec![],
            rows: vec![vec![
                Cell::Amount(Some(dec("-12.345"))),
                Cell::Percent(Some(dec("-5"))),
                Cell::Integer(-7),
            ]],
        };
        assert_eq!(csv_string(&t), "-12.35,-5.00,-7\r\n");
    }

    #[test]
    fn csv_of_empty_table_is_just_the_bom() {
        let t = Table {
            name: String::new(),
            headers: vec![],
            rows: vec![],
        };
        assert_eq!(t.to_csv(), BOM);
    }
}
