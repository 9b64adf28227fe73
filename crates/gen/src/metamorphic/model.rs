//! The sheet model of the metamorphic tests: a workbook of sheets, each rows of cells (text,
//! a number with its number format, a formula with its cached result, or empty), merged
//! ranges and hidden rows and columns — what a person sees when the form is open, and what
//! every writer (`writers`, `xls`) saves.
//!
//! A text export (one row per line, cells by tabs, Excel's quoting) reads into one sheet
//! (`Sheet::from_text`); `Workbook::from_export_of` also turns the amounts of the money block
//! (a self-evaluation's execution block, and its weights and scores) into number cells, as the
//! spreadsheet behind the export had them. `FormKind` says which form a workbook holds, and
//! so which words the transformations look for.

use std::collections::BTreeSet;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    /// A number shown by its number format (`None`: Excel's `General`).
    Number {
        value: f64,
        format: Option<String>,
    },
    /// A formula (A1 syntax without `=`, e.g. `C9/C11`) with the result saved beside it.
    Formula {
        formula: String,
        cached: f64,
        format: Option<String>,
    },
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        let s = s.into();
        if s.is_empty() {
            Value::Empty
        } else {
            Value::Text(s)
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.is_empty(),
            _ => false,
        }
    }

    /// What the cell shows: the text, or the number as its format displays it.
    pub fn shown(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Number { value, format }
            | Value::Formula {
                cached: value,
                format,
                ..
            } => display(*value, format.as_deref()),
        }
    }

    /// The number format of a number or formula cell.
    pub fn format(&self) -> Option<&str> {
        match self {
            Value::Number { format, .. } | Value::Formula { format, .. } => format.as_deref(),
            _ => None,
        }
    }
}

/// A number as a number format shows it: `0`, `0.0`, `0.00` (fixed decimals), `0%`, `0.0%`,
/// `0.00%` (percentages), `#,##0.00` (thousands separators); anything else, and `None`, as
/// Excel's `General` (15 significant digits, no trailing zeros).
pub fn display(value: f64, format: Option<&str>) -> String {
    if let Some(plain) = format.and_then(|f| f.strip_prefix("#,##")) {
        let s = display(value, Some(plain));
        let (int, rest) = s.split_at(s.find('.').unwrap_or(s.len()));
        let (sign, digits) = int.split_at(usize::from(int.starts_with('-')));
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        return format!("{sign}{grouped}{rest}");
    }
    match format {
        Some(f) if f.starts_with('0') => {
            let (body, percent) = match f.strip_suffix('%') {
                Some(b) => (b, true),
                None => (f, false),
            };
            let decimals = body.split_once('.').map_or(0, |(_, d)| d.len());
            if percent {
                format!("{:.*}%", decimals, round15(value * 100.0))
            } else {
                format!("{:.*}", decimals, round15(value))
            }
        }
        _ => general(value),
    }
}

/// The double rounded to 15 significant digits (what Excel computes with).
fn round15(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    format!("{value:.14e}").parse().unwrap_or(value)
}

/// Excel's `General`: 15 significant digits, trailing zeros dropped.
pub fn general(value: f64) -> String {
    let v = round15(value);
    let s = format!("{v}");
    if s == "-0" {
        "0".to_owned()
    } else {
        s
    }
}

/// A merged range, inclusive, 0-based; the value sits in the first cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub first_col: usize,
    pub last_row: usize,
    pub last_col: usize,
}

/// A worksheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Value>>,
    pub merges: Vec<Merge>,
    pub hidden_rows: BTreeSet<usize>,
    pub hidden_cols: BTreeSet<usize>,
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name.to_owned(),
            ..Sheet::default()
        }
    }

    /// Reads a text export: rows by line ends (LF, CRLF or CR), cells by tabs; a cell that
    /// starts with `"` runs to the closing quote (tabs and line breaks inside, `""` for `"`).
    pub fn from_text(name: &str, text: &str) -> Sheet {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut rows = Vec::new();
        let mut row: Vec<Value> = Vec::new();
        let mut cell = String::new();
        let mut chars = text.chars().peekable();
        let mut at_cell_start = true;
        while let Some(c) = chars.next() {
            match c {
                '"' if at_cell_start => {
                    // A quoted cell: up to the lone closing quote.
                    while let Some(q) = chars.next() {
                        if q == '"' {
                            if chars.peek() == Some(&'"') {
                                chars.next();
                                cell.push('"');
                            } else {
                                break;
                            }
                        } else {
                            cell.push(q);
                        }
                    }
                    // Anything after the closing quote up to the tab belongs to the cell.
                    at_cell_start = false;
                }
                '\t' => {
                    row.push(Value::text(std::mem::take(&mut cell)));
                    at_cell_start = true;
                }
                '\r' | '\n' => {
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    row.push(Value::text(std::mem::take(&mut cell)));
                    rows.push(std::mem::take(&mut row));
                    at_cell_start = true;
                }
                _ => {
                    cell.push(c);
                    at_cell_start = false;
                }
            }
        }
        if !cell.is_empty() || !row.is_empty() {
            row.push(Value::text(cell));
            rows.push(row);
        }
        // A row of one empty cell is an empty line: no cells at all.
        for r in &mut rows {
            while r.last().is_some_and(Value::is_empty) {
                r.pop();
            }
        }
        Sheet {
            name: name.to_owned(),
            rows,
            ..Sheet::default()
        }
    }

    /// The number of columns (the longest row).
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    pub fn get(&self, row: usize, col: usize) -> &Value {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Value::Empty)
    }

    pub fn set(&mut self, row: usize, col: usize, value: Value) {
        if self.rows.len() <= row {
            self.rows.resize(row + 1, Vec::new());
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize(col + 1, Value::Empty);
        }
        r[col] = value;
    }

    /// Inserts an empty row before `at` (at most the row count), as Excel's Insert Row does:
    /// rows, merges and hidden rows below move down; a merge spanning the place grows.
    pub fn insert_row(&mut self, at: usize) {
        let at = at.min(self.rows.len());
        self.rows.insert(at, Vec::new());
        for m in &mut self.merges {
            if m.first_row >= at {
                m.first_row += 1;
                m.last_row += 1;
            } else if m.last_row >= at {
                m.last_row += 1;
            }
        }
        self.hidden_rows = shift(&self.hidden_rows, at);
    }

    /// Inserts an empty column before `at`, as Excel's Insert Column does.
    pub fn insert_col(&mut self, at: usize) {
        for r in &mut self.rows {
            if r.len() > at {
                r.insert(at, Value::Empty);
            }
        }
        for m in &mut self.merges {
            if m.first_col >= at {
                m.first_col += 1;
                m.last_col += 1;
            } else if m.last_col >= at {
                m.last_col += 1;
            }
        }
        self.hidden_cols = shift(&self.hidden_cols, at);
    }

    /// Whether (row, col) lies in a merged range.
    pub fn merged(&self, row: usize, col: usize) -> bool {
        self.merges.iter().any(|m| {
            (m.first_row..=m.last_row).contains(&row) && (m.first_col..=m.last_col).contains(&col)
        })
    }

    /// Whether every cell of the column is empty.
    pub fn col_is_empty(&self, col: usize) -> bool {
        self.rows
            .iter()
            .all(|r| r.get(col).is_none_or(Value::is_empty))
    }

    /// The text export of the sheet: what each cell shows, tabs between cells, `eol` after
    /// each row; a cell holding a tab, line break or quote is quoted with inner quotes
    /// doubled. Hidden rows and columns are written (Excel writes them, empty or not).
    pub fn to_text(&self, eol: &str) -> String {
        let mut out = String::new();
        for row in &self.rows {
            let mut cells: Vec<String> = row.iter().map(|c| quote(&c.shown())).collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            out.push_str(&cells.join("\t"));
            out.push_str(eol);
        }
        out
    }
}

fn shift(set: &BTreeSet<usize>, at: usize) -> BTreeSet<usize> {
    set.iter()
        .map(|&i| if i >= at { i + 1 } else { i })
        .collect()
}

/// Excel's quoting of one cell of a text export.
pub fn quote(s: &str) -> String {
    if s.contains(['\t', '\n', '\r', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Which form a workbook holds: the words its transformations look for (labels, synonyms,
/// the money block, the title) differ by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormKind {
    /// `部门整体支出绩效目标申报表` (spec `declaration-v1.md`).
    Declaration,
    /// `部门整体支出绩效自评表` (spec `self-evaluation-v1.md`), both layouts.
    SelfEvaluation,
}

impl FormKind {
    pub const ALL: [FormKind; 2] = [FormKind::Declaration, FormKind::SelfEvaluation];

    pub fn name(self) -> &'static str {
        match self {
            FormKind::Declaration => "declaration",
            FormKind::SelfEvaluation => "self-evaluation",
        }
    }

    /// The labels of the form: only these are split, starred, merged or given colons.
    pub fn labels(self) -> &'static [&'static str] {
        match self {
            FormKind::Declaration => super::transforms::LABELS,
            FormKind::SelfEvaluation => super::self_eval::LABELS,
        }
    }

    /// Labels of the rows of the money block (the execution block of a self-evaluation).
    pub fn money_labels(self) -> &'static [&'static str] {
        match self {
            FormKind::Declaration => MONEY_LABELS,
            FormKind::SelfEvaluation => super::self_eval::MONEY_LABELS,
        }
    }

    /// Whether a title without its year (`部门整体支出绩效目标申报表`) is this kind's title.
    pub fn is_title(self, rest: &str) -> bool {
        let word = match self {
            FormKind::Declaration => "绩效目标",
            FormKind::SelfEvaluation => "绩效自评",
        };
        rest.contains(word) && rest.trim_end().ends_with('表')
    }
}

/// A workbook: its sheets in order, which one is the form (the one a text export saves), and
/// the kind of form it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    pub form: usize,
    pub kind: FormKind,
}

impl Workbook {
    /// The workbook behind a declaration's text export: one sheet named `申报表`, whose
    /// amounts in the money block (plain decimals in a row labelled 财政拨款, 其他资金, 合计,
    /// 基本支出, 项目支出 or 资金总额) are number cells formatted `0.00`. Shares stay text
    /// (`93.58%`): the share transformations turn them into fractions or formulas.
    pub fn from_export(text: &str) -> Workbook {
        Workbook::from_export_of(FormKind::Declaration, text)
    }

    /// The workbook behind a text export of a form of `kind` (a self-evaluation: its rows'
    /// lost leading cells restored and its weights and scores numbers too, see
    /// `self_eval::restore` and `self_eval::numbers`).
    pub fn from_export_of(kind: FormKind, text: &str) -> Workbook {
        let name = match kind {
            FormKind::Declaration => "申报表",
            FormKind::SelfEvaluation => "自评表",
        };
        let mut sheet = Sheet::from_text(name, text);
        if kind == FormKind::SelfEvaluation {
            super::self_eval::restore(&mut sheet);
        }
        for r in money_rows(&sheet, kind) {
            for cell in &mut sheet.rows[r] {
                if let Value::Text(s) = cell {
                    if let Some(v) = plain_decimal(s) {
                        *cell = Value::Number {
                            value: v,
                            format: Some("0.00".to_owned()),
                        };
                    }
                }
            }
        }
        if kind == FormKind::SelfEvaluation {
            super::self_eval::numbers(&mut sheet);
        }
        Workbook {
            sheets: vec![sheet],
            form: 0,
            kind,
        }
    }

    pub fn form(&self) -> &Sheet {
        &self.sheets[self.form]
    }

    pub fn form_mut(&mut self) -> &mut Sheet {
        &mut self.sheets[self.form]
    }
}

/// Labels of the rows of a declaration's money block (spec §1 and §5), after
/// `normalise_label`.
pub const MONEY_LABELS: &[&str] = &[
    "财政拨款",
    "其他资金",
    "合计",
    "基本支出",
    "项目支出",
    "资金总额",
];

/// The rows of the money block: those with a cell whose label is one of
/// `kind.money_labels()` (a self-evaluation's part rows also without their `其中：`).
pub fn money_rows(sheet: &Sheet, kind: FormKind) -> Vec<usize> {
    let labels = kind.money_labels();
    (0..sheet.rows.len())
        .filter(|&r| {
            sheet.rows[r].iter().any(|c| match c {
                Value::Text(s) => {
                    let l = normalise_label(s);
                    let l = match kind {
                        FormKind::SelfEvaluation => l
                            .strip_prefix("其中")
                            .map_or(l.as_str(), |r| r.trim_start_matches([':', '：'])),
                        FormKind::Declaration => l.as_str(),
                    };
                    labels.contains(&l)
                }
                _ => false,
            })
        })
        .collect()
}

/// A label as compared with the spec's words: without spaces and line breaks, a leading `*`
/// and a trailing colon.
pub fn normalise_label(s: &str) -> String {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_start_matches(['*', '＊']);
    t.trim_end_matches([':', '：']).to_owned()
}

/// `286.41`, `31`: ASCII digits with at most one point, no sign, no leading zero before
/// another digit, at most 15 significant digits.
pub fn plain_decimal(s: &str) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(int.len() > 1 && int.starts_with('0'))
        && !(s.contains('.') && frac.is_empty())
        && int.len() + frac.len() <= 15;
    if ok {
        s.parse().ok()
    } else {
        None
    }
}

/// `93.58%` (ASCII digits, a point, a half-width percent sign): the percentage as a number
/// and its decimals.
pub fn percent_text(s: &str) -> Option<(f64, usize)> {
    let body = s.strip_suffix('%')?;
    let v = plain_decimal(body)?;
    Some((v, body.split_once('.').map_or(0, |(_, d)| d.len())))
}

/// Decodes a text export's bytes: UTF-8 / UTF-16 by their BOM, else UTF-8, else GB18030.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_with_bom_removal(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// The A1 name of a 0-based cell (`C9`).
pub fn a1(row: usize, col: usize) -> String {
    format!("{}{}", col_name(col), row + 1)
}

/// The letters of a 0-based column (`A`, `Z`, `AA`).
pub fn col_name(col: usize) -> String {
    let mut name = String::new();
    let mut c = col + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        name.insert(0, (b'A' + r as u8) as char);
        c = (c - 1) / 26;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_export_reads_quoted_cells_and_line_ends() {
        let s = Sheet::from_text("s", "a\tb\r\n\"x\ty\n\"\"z\"\"\"\tc\n\n");
        assert_eq!(s.rows.len(), 3);
        assert_eq!(s.rows[1][0], Value::text("x\ty\n\"z\""));
        assert!(s.rows[2].is_empty());
        assert_eq!(s.to_text("\n"), "a\tb\n\"x\ty\n\"\"z\"\"\"\tc\n\n");
    }

    #[test]
    fn numbers_show_as_their_format() {
        assert_eq!(display(286.409_999_999_999_97, Some("0.00")), "286.41");
        assert_eq!(display(0.9358, Some("0.00%")), "93.58%");
        assert_eq!(display(1.0, Some("0%")), "100%");
        assert_eq!(display(286.409_999_999_999_97, None), "286.41");
        assert_eq!(display(31.0, None), "31");
        assert_eq!(display(1286.41, Some("#,##0.00")), "1,286.41");
        assert_eq!(display(-286.0, Some("#,##0")), "-286");
        assert_eq!(plain_decimal("0.5"), Some(0.5));
        assert_eq!(plain_decimal("01"), None);
        assert_eq!(plain_decimal("1."), None);
        assert_eq!(percent_text("6.42%"), Some((6.42, 2)));
        assert_eq!(a1(8, 27), "AB9");
    }

    #[test]
    fn inserting_moves_merges_and_hidden_columns() {
        let mut s = Sheet::from_text("s", "a\tb\tc\n");
        s.merges.push(Merge {
            first_row: 0,
            first_col: 0,
            last_row: 0,
            last_col: 1,
        });
        s.hidden_cols.insert(2);
        s.insert_col(1);
        assert_eq!(s.merges[0].last_col, 2);
        assert!(s.hidden_cols.contains(&3));
        s.insert_row(0);
        assert_eq!(s.merges[0].first_row, 1);
    }
}
