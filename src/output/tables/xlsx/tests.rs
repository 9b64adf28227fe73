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
    // A percentage is as wide as its digits and its "%".
    assert_eq!(
        column_widths(
            &["率".to_owned()],
            &[vec![Cell::Percent(Some(dec("123456.78")))]],
            1
        ),
        vec!["123456.78%".len() + COL_PADDING]
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
    let empty_rows = Table {
        name: "t".into(),
        headers: vec![],
        rows: vec![vec![], vec![]],
    };
    assert!(empty_rows.to_xlsx().is_ok(), "rows without a cell");
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
