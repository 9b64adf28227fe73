//! Spreadsheets as departments hand them in (spec section 5), and hostile ones: the sample
//! typed into a workbook with a cover sheet, number formats, float noise and formulas reads
//! to the expected declaration; several declaration sheets are several declarations; corrupt,
//! encrypted, disguised, bombed or oversized workbooks are one clear finding on that file.

use crate::common;

use common::*;
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// Writes the sample's rows into `sheet` as a clerk's workbook would hold them: amounts as
/// numbers with a `0.00` format (one with binary noise), shares as fractions with a `0.00%`
/// format, the income total as a formula with its cached result, the rest as text.
fn sample_into(sheet: &mut Worksheet, department: &str) {
    let amount = Format::new().set_num_format("0.00");
    let percent = Format::new().set_num_format("0.00%");
    let text = sample_text().replace("武汉市新洲区总工会", department);
    for (r, line) in text.lines().enumerate() {
        let cells: Vec<&str> = line.split('\t').collect();
        let is_income_total = cells.get(2) == Some(&"合计") && cells.get(1) == Some(&"");
        for (c, cell) in cells.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let number = cell.parse::<f64>().ok().filter(|_| (12..=17).contains(&r));
            let share = cell.strip_suffix('%').and_then(|p| p.parse::<f64>().ok());
            if let Some(p) = share {
                sheet
                    .write_number_with_format(r, c, p / 100.0, &percent)
                    .unwrap();
            } else if let Some(v) = number {
                if is_income_total && c == 3 {
                    let f = Formula::new("=D13+D14").set_result(v.to_string());
                    sheet.write_formula_with_format(r, c, f, &amount).unwrap();
                } else if v == 286.41 {
                    sheet
                        .write_number_with_format(r, c, 286.40999999999997, &amount)
                        .unwrap();
                } else {
                    sheet.write_number_with_format(r, c, v, &amount).unwrap();
                }
            } else {
                sheet.write_string(r, c, cell).unwrap();
            }
        }
    }
}

fn sample_workbook(departments: &[&str]) -> Vec<u8> {
    let mut book = Workbook::new();
    let cover = book.add_worksheet();
    cover.set_name("封面").unwrap();
    cover.write_string(0, 0, "填表说明：请如实填写").unwrap();
    for (i, d) in departments.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet.set_name(format!("申报表{}", i + 1)).unwrap();
        sample_into(sheet, d);
    }
    book.save_to_buffer().unwrap()
}

fn convert(path: &Path, extra: &[&str]) -> std::process::Output {
    bin().arg("convert").arg(path).args(extra).output().unwrap()
}

#[test]
fn the_sample_typed_into_a_workbook_reads_to_the_expected_declaration() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "总工会-2020.xlsx",
        sample_workbook(&["武汉市新洲区总工会"]),
    );
    let o = convert(&path, &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_json_eq(&got, &expected_json(), "workbook");

    // The same bytes under a text name are still a workbook (the bytes decide).
    let disguised = write(dir.path(), "总工会-2020.txt", std::fs::read(&path).unwrap());
    let o = convert(&disguised, &[]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn the_owner_file_of_an_open_workbook_is_not_a_submission() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in/总工会-2020.xlsx",
        sample_workbook(&["示例区总工会"]),
    );
    // What Excel writes beside a workbook it has open: the user's name, not a workbook.
    write(dir.path(), "in/~$总工会-2020.xlsx", b"\x05Clerk".repeat(20));
    let (code, report) = check_json(dir.path(), &["in"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["files"], 1);
}

#[test]
fn two_declaration_sheets_are_two_declarations() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in/合并-2020.xlsx",
        sample_workbook(&["示例区甲局", "示例区乙局"]),
    );
    let (code, report) = check_json(dir.path(), &["in"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["files"], 2, "one outcome per declaration sheet");
    assert_eq!(report["declarations"], 2);
    let sheets: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["sheet"].as_str())
        .collect();
    assert!(sheets.contains(&"申报表1") && sheets.contains(&"申报表2"));
    // A text report names the sheet a line counts in.
    let text = stdout(&run(&["check", "in"], dir.path()));
    assert!(
        text.contains("合并-2020.xlsx（工作表“申报表2”）:"),
        "{text}"
    );

    let path = dir.path().join("in/合并-2020.xlsx");
    let o = convert(&path, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--sheet"));
    let o = convert(&path, &["--sheet", "申报表2"]);
    assert_eq!(o.status.code(), Some(0));
    let got: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(got["department"], "示例区乙局");
}

#[test]
fn a_build_publishes_each_declaration_sheet() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "submissions/x/合并-2020.xlsx",
        sample_workbook(&["示例区甲局", "示例区乙局"]),
    );
    let o = run(&["build"], dir.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let pages = tree(&dir.path().join("public"));
    let html: String = pages
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .collect();
    assert!(html.contains("示例区甲局") && html.contains("示例区乙局"));
}

/// A minimal xlsx around one sheet's `<sheetData>` (for cells rust_xlsxwriter will not write:
/// formulas without a cached value, error cells).
fn raw_xlsx(sheet_data: &str) -> Vec<u8> {
    raw_xlsx_with(sheet_data, "", "")
}

/// `raw_xlsx` with XML before and after `<sheetData>` (a dimension, merged ranges).
fn raw_xlsx_with(sheet_data: &str, before: &str, after: &str) -> Vec<u8> {
    let files = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{before}<sheetData>{sheet_data}</sheetData>{after}</worksheet>"#)),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in files {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn inline(r: u32, c: char, text: &str) -> String {
    format!(r#"<c r="{c}{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

#[test]
fn uncomputed_formulas_and_error_cells_are_bad_numbers() {
    let row = |r: u32, cells: String| format!(r#"<row r="{r}">{cells}</row>"#);
    let data = [
        row(1, inline(1, 'A', "2020年度部门整体支出绩效目标申报表")),
        row(
            2,
            inline(2, 'A', "部门名称") + &inline(2, 'B', "示例区甲局"),
        ),
        row(
            3,
            inline(3, 'B', "收入构成") + &inline(3, 'C', "财政拨款") + r#"<c r="D3"><v>10</v></c>"#,
        ),
        row(
            4,
            inline(4, 'C', "其他资金") + r#"<c r="D4" t="e"><f>1/0</f><v>#DIV/0!</v></c>"#,
        ),
        row(
            5,
            inline(5, 'C', "合计") + r#"<c r="D5"><f>SUM(D3:D4)</f></c>"#,
        ),
    ]
    .concat();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in/甲-2020.xlsx", raw_xlsx(&data));
    let (code, report) = check_json(dir.path(), &["in"]);
    assert_eq!(code, 1);
    let bad: Vec<(u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "bad-number")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(bad.len(), 2, "{report}");
    assert_eq!(bad[0].0, 4);
    assert!(bad[0].1.contains("#DIV/0!"), "{}", bad[0].1);
    assert_eq!(bad[1].0, 5);
    assert!(bad[1].1.contains("SUM(D3:D4)"), "{}", bad[1].1);
    // Never 0: no arithmetic rule judges the column a bad cell stands in.
    assert!(!codes(&report).iter().any(|(c, _)| c == "income-sum"));
}

/// One `unreadable-file` (or `not-a-declaration`) finding on the hostile file, and the
/// sample beside it still read.
#[track_caller]
fn refused(name: &str, bytes: Vec<u8>, code: &str, words: &str) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &format!("in/{name}"), bytes);
    write_sample(dir.path(), "in/好的-2020.txt", None);
    let (exit, report) = check_json(dir.path(), &["in"]);
    assert_eq!(exit, 1, "{report}");
    assert_eq!(
        report["declarations"], 1,
        "{name}: the sample is still read"
    );
    let on_file: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"].as_str().unwrap().ends_with(name))
        .collect();
    assert_eq!(on_file.len(), 1, "{name}: {on_file:?}");
    assert_eq!(on_file[0]["code"], code, "{name}");
    let message = on_file[0]["message"].as_str().unwrap();
    assert!(message.contains(words), "{name}: {message}");
}

#[test]
fn hostile_workbooks_are_one_clear_finding_each() {
    let mut corrupt = b"PK\x03\x04".to_vec();
    corrupt.extend(std::iter::repeat_n(0x5a, 4000));
    refused("坏的.xlsx", corrupt, "unreadable-file", "已损坏");

    let html = "<html><head><meta charset=utf-8></head><body><table><tr><td>部门名称</td></tr></table></body></html>";
    refused(
        "网页.xls",
        html.as_bytes().to_vec(),
        "unreadable-file",
        "网页",
    );

    // An encrypted xlsx is an OLE file holding an `EncryptedPackage` stream.
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.extend(std::iter::repeat_n(0, 504));
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    encrypted.extend(std::iter::repeat_n(0, 1024));
    refused("加密.xlsx", encrypted, "unreadable-file", "密码");

    // A zip bomb: 8 MiB of zeros packed into a few KiB.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "xl/worksheets/sheet1.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..8 {
        zip.write_all(&zeros).unwrap();
    }
    refused(
        "炸弹.xlsx",
        zip.finish().unwrap().into_inner(),
        "unreadable-file",
        "压缩炸弹",
    );

    let mut book = Workbook::new();
    for _ in 0..1000 {
        book.add_worksheet();
    }
    refused(
        "千表.xlsx",
        book.save_to_buffer().unwrap(),
        "unreadable-file",
        "1000 个工作表",
    );
}

#[test]
fn a_sheet_as_long_and_wide_as_excel_allows_costs_what_a_form_does() {
    // Rows down to Excel's last row: the reader stops after `MAX_ROWS` rows.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for r in (0..1_048_576u32).step_by(97) {
        sheet.write_number(r, 0, f64::from(r)).unwrap();
    }
    sheet.write_string(1_048_575, 16_383, "末格").unwrap();
    refused(
        "长表.xlsx",
        book.save_to_buffer().unwrap(),
        "not-a-declaration",
        "都不是申报表",
    );

    // A merged range and a dimension over the whole sheet are never materialised.
    let data = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>整表合并</t></is></c></row>"#;
    let whole = raw_xlsx_with(
        data,
        r#"<dimension ref="A1:XFD1048576"/>"#,
        r#"<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>"#,
    );
    refused("合并.xlsx", whole, "not-a-declaration", "都不是申报表");

    // An .ods asking for a value in every cell of the sheet by repeats, in a few hundred bytes.
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="表1"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    refused(
        "重复.ods",
        zip.finish().unwrap().into_inner(),
        "unreadable-file",
        "非空单元格",
    );
}

/// Pages show what each layout has: a Fujian form's expenditure without income, its 年度履职目标
/// and three-level indicators with 指标解释; a Hunan form without money but with 指标值类型 and
/// 计量单位. District totals say whom they leave out, and downloads leave absent figures empty.
#[test]
fn pages_show_what_each_layout_has_and_never_a_zero_for_what_it_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in ["示例县林业局-2020.txt", "示例县价格认证中心-2020.txt"] {
        let text = std::fs::read(fixtures().join("layout-pages").join(name)).unwrap();
        write(d, &format!("submissions/示例县/{name}"), text);
    }
    write_sample(
        d,
        "submissions/示例县/示例县总工会-2020.txt",
        Some("示例县总工会"),
    );
    let o = run(&["build", "--no-cache"], d);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let site = tree(&d.join("public"));
    let page = |name: &str| {
        site.iter()
            .filter(|(k, _)| k.ends_with(".html"))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
            .find(|html| html.contains(&format!("<h1>{name}</h1>")))
            .unwrap_or_else(|| panic!("no page for {name}"))
    };
    let fujian = page("示例县林业局");
    // Its indicators have no standard: no column for one (a three-level layout shows it only
    // when some indicator has one).
    assert!(
        !fujian.contains("<th scope=\"col\">绩效标准</th>")
            && !fujian.contains("<th scope=\"col\">评（扣）分标准</th>"),
        "an empty standard column"
    );
    for words in [
        "表式：福建表式",
        "部门预算编码：301001",
        "本表式不含收入预算",
        "<h3>年度履职目标</h3>",
        "造林补助",
        "<th scope=\"col\">三级指标</th>",
        "<th scope=\"col\">指标解释</th>",
        "5000亩(计划标准)",
    ] {
        assert!(fujian.contains(words), "fujian page lacks {words}");
    }
    // Its composition has no income row figures: "—" (none in this layout), never 未填 (a
    // cell the form left blank).
    let structure = common::html::between(
        &fujian,
        "<figure class=\"chart-figure\" id=\"chart-structure\">",
        "</figure>",
    );
    let income = common::html::rows(structure)
        .into_iter()
        .find(|r| r[0] == "收入")
        .expect("an income row");
    assert!(income[1..].iter().all(|c| c == "—"), "{income:?}");
    // The trend table has no income figure for the year, not 0.00.
    let trend = &fujian[fujian.find("trend-h").unwrap()..fujian.find("</table>").unwrap()];
    assert!(!trend.contains("<td class=\"num\">0.00</td>"), "{trend}");

    let hunan = page("示例县价格认证中心");
    for words in [
        "表式：湖南表式",
        "不含收入和支出预算",
        "<th scope=\"col\">指标值类型</th>",
        "<th scope=\"col\">计量单位</th>",
        "<th scope=\"col\">评（扣）分标准</th>",
        "<h3 id=\"y2020-g1\">绩效指标</h3>",
    ] {
        assert!(hunan.contains(words), "hunan page lacks {words}");
    }
    assert!(
        !hunan.contains("历年预算与实际"),
        "no budget section without money"
    );

    let overview = page("示例县部门整体支出绩效目标");
    assert!(overview.contains("1 个部门的表式不含收入预算"));
    assert!(overview.contains("1 个部门的表式不含资金情况"));

    let csv = site
        .iter()
        .find(|(k, _)| k.ends_with("years/2020/departments.csv"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .expect("a year table download");
    let fujian_row = csv.lines().find(|l| l.contains("示例县林业局")).unwrap();
    let cells: Vec<&str> = fujian_row.split(',').collect();
    assert_eq!(&cells[2..5], ["", "", ""], "no income cells: {fujian_row}");
    assert_eq!(cells[5], "500.50", "{fujian_row}");
}
