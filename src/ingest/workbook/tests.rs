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
                let grids =
                    same_as_calamine(&std::fs::read(&path).unwrap(), &path.display().to_string());
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
        format!(r#"<?xml version="1.0"?><workbook {SHEET_NS}><sheets>{list}</sheets></workbook>"#),
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
    let want = |line: u32, cells: &[&str]| (line, cells.iter().map(|c| c.to_string()).collect());
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
