//! What a citizen reads must say what is true: a form withheld for errors is "有错误，未发布"
//! (not "未报送") and the totals it is missing from say so; chart data is folded away.

use crate::common;

use common::*;
use std::path::Path;

/// The sample as `name`'s 2021 form (its prior years moved on by one).
fn in_2021(name: &str) -> String {
    sample_text()
        .replace("武汉市新洲区总工会", name)
        .replace("2020年度", "2021年度")
        .replace("2019年", "2020年")
        .replace("2018年", "2019年")
}

/// `in_2021` with an income total that disagrees with its parts: withheld for the error.
fn broken_2021(name: &str) -> String {
    in_2021(name).replacen("\t\t合计\t286.41", "\t\t合计\t999.99", 1)
}

/// A page's sortable table (the year's departments), from its opening tag to its end.
fn year_table(page: &str) -> &str {
    let table = &page[page
        .find(r#"<table class="sortable data">"#)
        .expect("the year's table")..];
    &table[..table.find("</table>").unwrap()]
}

/// A department's row in a table: the one row linking its name (a second is an error).
fn row_of<'t>(table: &'t str, name: &str) -> Option<&'t str> {
    let rows: Vec<&str> = table
        .split("</tr>")
        .filter(|r| r.contains(&format!(">{name}</a>")))
        .collect();
    assert!(rows.len() <= 1, "{name}: {rows:?}");
    rows.first().copied()
}

/// The page of `year` of the site built under `d/public`.
fn year_page(d: &Path, year: i32) -> String {
    let site = tree(&d.join("public"));
    let (_, page) = site
        .iter()
        .find(|(path, _)| path.ends_with(&format!("years/{year}/index.html")))
        .unwrap_or_else(|| panic!("the {year} page"));
    String::from_utf8_lossy(page).into_owned()
}

/// Builds `d/submissions` (a form with an error among them: exit 1) and gives the page of its
/// district `区`.
fn built_district_page(d: &Path) -> String {
    let o = run(&["build", "--no-cache"], d);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    tree(&d.join("public"))
        .values()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .find(|h| h.contains("<h1>区部门整体支出绩效目标</h1>"))
        .expect("the district page")
}

#[test]
fn a_withheld_form_is_said_to_be_withheld_and_the_totals_say_what_they_miss() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/区/甲局-2020.txt", Some("示例区甲局"));
    write_sample(d, "submissions/区/乙局-2020.txt", Some("示例区乙局"));
    // 乙局's 2020 form only; 甲局's 2021 form has an arithmetic error, 乙局 filed none.
    let broken = broken_2021("示例区甲局");
    write(d, "submissions/区/甲局-2021.txt", broken);
    write(d, "submissions/区/丙局-2021.txt", in_2021("示例区丙局"));
    let overview = built_district_page(d);
    let row = |name: &str| row_of(year_table(&overview), name).expect(name);
    // The 2021 table: 甲局 withheld, 乙局 did not file.
    assert!(
        row("示例区甲局").contains("有错误，未发布"),
        "{}",
        row("示例区甲局")
    );
    assert!(
        row("示例区乙局").contains("未报送2021年度"),
        "{}",
        row("示例区乙局")
    );
    assert!(overview.contains("另有 1 份申报表因错误未发布，未计入合计"));
    // The 2021 page lists who filed for 2021: 甲局's withheld form with 丙局's, not 乙局.
    let page = year_page(d, 2021);
    let table = year_table(&page);
    let jia = row_of(table, "示例区甲局").expect("甲局 on the 2021 page");
    assert!(jia.contains("有错误，未发布"), "{jia}");
    assert!(row_of(table, "示例区丙局").is_some() && row_of(table, "示例区乙局").is_none());
    // Its totals say what they leave out, as the district page's do.
    assert!(page.contains("另有 1 份申报表因错误未发布，未计入合计"));
}

/// Each department is one row of the year's table, however its forms fared: one with a
/// published year and a withheld one, and two whose only form is withheld. (Regression: the
/// district's list of withheld-only departments took the first, listing it twice, or
/// dropped the second of a year, and every other test passed.)
#[test]
fn every_department_is_one_row_of_the_years_table_withheld_or_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/区/甲局-2020.txt", Some("示例区甲局"));
    write(d, "submissions/区/甲局-2021.txt", broken_2021("示例区甲局"));
    write_sample(d, "submissions/区/乙局-2020.txt", Some("示例区乙局"));
    write(d, "submissions/区/丙局-2021.txt", in_2021("示例区丙局"));
    write(d, "submissions/区/丁局-2021.txt", broken_2021("示例区丁局"));
    write(d, "submissions/区/戊局-2021.txt", broken_2021("示例区戊局"));
    let overview = built_district_page(d);
    // The departments' table (the charts' data tables come before it).
    let table = &overview[overview
        .find(r#"<table class="sortable data">"#)
        .expect("the year's table")..];
    let table = &table[..table.find("</table>").unwrap()];
    for (name, status) in [
        ("示例区甲局", "有错误，未发布"),
        ("示例区乙局", "未报送2021年度"),
        ("示例区丙局", "提示"),
        ("示例区丁局", "有错误，未发布"),
        ("示例区戊局", "有错误，未发布"),
    ] {
        let rows: Vec<&str> = table
            .split("</tr>")
            .filter(|r| r.contains(&format!(">{name}</a>")))
            .collect();
        assert_eq!(
            rows.len(),
            1,
            "{name} should be one row of the 2021 table: {rows:?}"
        );
        assert!(
            rows[0].contains(status),
            "{name}'s row should say {status}: {}",
            rows[0]
        );
    }
}

#[test]
fn chart_data_is_folded_and_department_pages_speak_to_readers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/区/甲局-2020.txt", Some("示例区甲局"));
    let o = run(&["build", "--no-cache"], d);
    assert_eq!(o.status.code(), Some(0));
    let site = tree(&d.join("public"));
    let page = site
        .values()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .find(|h| h.contains("<h1>示例区甲局</h1>"))
        .expect("the department page");
    let tables = page.matches("<table class=\"chart-data\">").count();
    let folded = page
        .matches("<details class=\"chart-data\"><summary>查看数据</summary>")
        .count();
    assert!(tables > 0);
    assert_eq!(tables, folded, "every chart's data table is folded");
    // A table of contents that leads to each section and goal.
    assert!(page.contains("<h2 id=\"toc-h\">本页目录</h2>"));
    for anchor in ["trend-h", "y2020", "y2020-g4"] {
        assert!(page.contains(&format!("href=\"#{anchor}\"")), "{anchor}");
        assert!(page.contains(&format!("id=\"{anchor}\"")), "{anchor}");
    }
    // One department in one year: no ranking of one, no one-bar stack.
    let overview = String::from_utf8_lossy(&site["index.html"]).into_owned();
    assert!(overview.contains("<h1>区部门整体支出绩效目标</h1>"));
    assert!(!overview.contains("id=\"chart-ranking\""));
    assert!(!overview.contains("id=\"chart-structure\""));
}

#[test]
fn headline_amounts_are_said_in_yi_yuan_with_the_exact_figure_at_hand() {
    let dir = tempfile::tempdir().unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let input = repo.join("submissions");
    let config = repo.join("site.toml");
    let o = bin()
        .args(["build", "--no-cache", "--output"])
        .arg(dir.path().join("public"))
        .arg("--input")
        .arg(&input)
        .arg("--config")
        .arg(&config)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        o.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let site = tree(&dir.path().join("public"));
    let home = String::from_utf8_lossy(&site["index.html"]).into_owned();
    // The sample district spends hundreds of thousands of 万元: said in 亿元, exact on hover.
    let at = home.find(" 亿元</span>").expect("a headline in 亿元");
    let span = &home[home[..at].rfind("<span").unwrap()..at];
    assert!(span.contains("万元\">"), "{span}");
    for (path, bytes) in &site {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            assert!(
                !html.contains("— 万元"),
                "{path} shows a unit without a figure"
            );
        }
    }

    let page = |h1: &str| {
        site.values()
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .find(|h| h.contains(&format!("<h1>{h1}</h1>")))
            .unwrap_or_else(|| panic!("{h1}"))
    };
    // One count of departments reporting in a year, wherever it is shown.
    let overview = page("示例区部门整体支出绩效目标");
    let card = overview
        .split("<dt>报送部门</dt><dd>")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap()
        .to_owned();
    let history = &overview[overview.find(">2022年</a></th>").expect("the 2022 row")..];
    let in_history = history
        .split("<td class=\"num\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap();
    assert_eq!(card, in_history);
    assert!(
        home.contains(&format!("2022年度 {card} 个部门报送")),
        "{card}"
    );
    let year_page = String::from_utf8_lossy(&site["shi-li-qu/years/2022/index.html"]).into_owned();
    assert!(year_page.contains(&format!("<dt>报送部门</dt><dd>{card} 个</dd>")));

    // Order that means something: the district table by budget, largest first; the quality
    // ranking by score; the report by department in pinyin order.
    let values = |html: &str, from: &str| -> Vec<f64> {
        let table = &html[html.find(from).unwrap_or_else(|| panic!("{from}"))..];
        let table = &table[..table.find("</table>").unwrap()];
        table
            .split("<tr>")
            .skip(2)
            .filter_map(|row| {
                let cell = row.split("data-value=\"").nth(1)?;
                cell.split('"').next()?.parse().ok()
            })
            .collect()
    };
    let descending = |v: &[f64]| v.windows(2).all(|w| w[0] >= w[1]);
    let spent = values(&overview, "aria-sort=\"descending\">支出合计");
    assert!(spent.len() > 30 && descending(&spent), "{spent:?}");
    let dashboard = page("示例区财政看板");
    let scores = values(&dashboard, "id=\"score-h\"");
    assert!(scores.len() > 30 && descending(&scores), "{scores:?}");
    let report = String::from_utf8_lossy(&site["report.html"]).into_owned();
    let names: Vec<String> = report
        .split("<details class=\"file-group\"")
        .skip(1)
        .filter_map(|g| {
            let h = g.split("</h3>").next()?;
            let text = h.split("-h\">").nth(1)?;
            Some(text.split(" · ").next()?.to_owned())
        })
        .filter(|n| n != "未识别的文件")
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| budgetsite::collate::names(a, b));
    assert!(names.len() > 5, "{names:?}");
    assert_eq!(names, sorted);
    assert_ne!(
        names.first().map(String::as_str),
        Some("中共示例区委秘书科")
    );

    // Addresses a person can read and type, stable through a rename with [aliases]; downloads
    // saved under the department's name and year.
    let education = String::from_utf8_lossy(&site["shi-li-qu/jiao-yu-ju.html"]).into_owned();
    assert!(education.contains("<h1>示例区教育局</h1>"));
    assert!(education.contains("download=\"示例区教育局-2022.json\""));
    assert!(site.contains_key("shi-li-qu/data/jiao-yu-ju-2022.json"));
    // 示例区工会联合会 became 示例区总工会 (site.toml [aliases]): one page, the new name's.
    let union = String::from_utf8_lossy(&site["shi-li-qu/zong-gong-hui.html"]).into_owned();
    assert!(union.contains("<h1>示例区总工会</h1>") && union.contains("2020年度"));
    assert!(!site.keys().any(|k| k.contains("gong-hui-lian-he-hui")));
    // The district's own name is not repeated in its departments' addresses.
    assert!(site.contains_key("wu-han-shi-xin-zhou-qu/zong-gong-hui.html"));
}

#[test]
fn a_district_whose_every_form_has_an_error_is_still_listed_with_why() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(
        d,
        "submissions/甲区/甲区财政局-2020.txt",
        Some("甲区财政局"),
    );
    write_sample(
        d,
        "submissions/乙区/乙区财政局-2020.txt",
        Some("乙区财政局"),
    );
    let broken = sample_text()
        .replace("武汉市新洲区总工会", "丙区财政局")
        .replacen("\t\t合计\t286.41", "\t\t合计\t999.99", 1);
    write(d, "submissions/丙区/丙区财政局-2020.txt", broken);
    let o = run(&["build", "--no-cache"], d);
    assert_eq!(o.status.code(), Some(1));
    let home = String::from_utf8_lossy(&tree(&d.join("public"))["index.html"]).into_owned();
    assert!(home.contains("<h2>丙区</h2>"), "{home}");
    assert!(home.contains("报送的 1 份申报表都有错误，暂未发布"));
}

#[test]
fn a_department_whose_only_form_is_withheld_is_listed_with_a_link_to_its_findings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/区/甲局-2020.txt", Some("示例区甲局"));
    // 丁局 filed one form, with an arithmetic error: it has no page, but the district lists it.
    let broken = sample_text()
        .replace("武汉市新洲区总工会", "示例区丁局")
        .replacen("\t\t合计\t286.41", "\t\t合计\t999.99", 1);
    write(d, "submissions/区/丁局-2020.txt", broken);
    let o = run(&["build", "--no-cache"], d);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let public = d.join("public");
    let site = tree(&public);
    let (path, overview) = site
        .iter()
        .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned()))
        .find(|(_, h)| h.contains("<h1>区部门整体支出绩效目标</h1>"))
        .expect("the district page");
    let at = overview.find(">示例区丁局</a>").expect("丁局 is listed");
    let row_start = overview[..at].rfind("<tr>").unwrap();
    let row = &overview[row_start..at + overview[at..].find("</tr>").unwrap()];
    assert!(row.contains("有错误，未发布"), "{row}");
    // Its link leads to its findings on the report, which are there under that anchor.
    let href = row
        .split("href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let (page, anchor) = href.split_once('#').expect("an anchor");
    let base = Path::new(&path).parent().unwrap();
    let report = public.join(base).join(page);
    assert!(report.ends_with("report.html"), "{href}");
    let report = std::fs::read_to_string(&report).unwrap();
    let group = report
        .find(&format!("id=\"{anchor}\""))
        .map(|i| &report[i..i + report[i..].find("</details>").unwrap()])
        .expect("the anchor is on the report");
    assert!(
        group.contains("示例区丁局") && group.contains("income-sum"),
        "{group}"
    );
    // The totals still say what they miss; the published department is listed as before.
    assert!(overview.contains("另有 1 份申报表因错误未发布，未计入合计"));
    assert!(overview.contains(">示例区甲局</a>"));
    // A department that has a published form is not listed twice.
    assert_eq!(overview.matches(">示例区丁局</a>").count(), 1);
}

#[test]
fn a_figure_the_form_leaves_blank_is_empty_in_every_download_as_on_the_page() {
    // The sample leaves 其他资金 blank (its page says 未填) in the budget year and the years
    // before: every CSV and XLSX cell is empty and every department figure in JSON null.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/区/甲局-2020.txt", Some("示例区甲局"));
    let o = run(&["build", "--no-cache"], d);
    assert_eq!(o.status.code(), Some(0));
    let public = d.join("public");
    let site = tree(&public);
    let page = site
        .values()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .find(|h| h.contains("<h1>示例区甲局</h1>"))
        .expect("the department page");
    assert!(page.contains("未填"), "the page says the blank is blank");
    let csvs: Vec<_> = site.keys().filter(|k| k.ends_with(".csv")).collect();
    assert_eq!(csvs.len(), 2, "{csvs:?}");
    for k in csvs {
        let text = String::from_utf8_lossy(&site[k]).into_owned();
        let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
        assert_eq!(row[0], "示例区甲局", "{k}");
        // 收入合计, 财政拨款, 其他资金 (blank), 支出合计.
        assert_eq!(&row[2..6], ["286.41", "286.41", "", "286.41"], "{k}");
    }
    for k in site.keys().filter(|k| k.ends_with(".xlsx")) {
        use calamine::{DataType, Reader, Xlsx};
        let mut book: Xlsx<_> = calamine::open_workbook(public.join(k)).unwrap();
        let name = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&name).unwrap();
        assert_eq!(range.get((1, 0)).unwrap().to_string(), "示例区甲局");
        assert_eq!(range.get((1, 3)).unwrap().get_float(), Some(286.41), "{k}");
        let other = range.get((1, 4));
        assert!(
            other.is_none_or(|c| c.is_empty()),
            "{k}: 其他资金 is {other:?}"
        );
    }
    for k in site.keys().filter(|k| k.ends_with("district.json")) {
        let v: serde_json::Value = serde_json::from_slice(&site[k]).unwrap();
        let series = &v["departments"][0]["series"];
        for year in ["2018", "2019", "2020"] {
            let point = &series[year];
            let figures = if year == "2020" {
                &point["budget"]
            } else {
                &point["actual"]
            };
            assert!(figures["other"].is_null(), "{k} {year}: {figures}");
            assert!(figures["income_total"].is_number(), "{k} {year}: {figures}");
        }
        // The district's sums count the blank as 0 (README: "a blank cell counts as 0").
        assert_eq!(
            by_value(&v["years"]["2020"]["budget"]["other"]),
            by_value(&serde_json::json!(0)),
            "{k}"
        );
    }
}

/// A department whose name reads as a district's own page (`index`, or `index-2`, the name of
/// a long table's second page) gets a page of its own beside them, and the district page
/// stays the district's.
#[test]
fn a_department_named_like_a_district_page_does_not_take_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in ["index", "index-2"] {
        write(
            d,
            &format!("submissions/区/{name}.txt"),
            sample_text().replace("武汉市新洲区总工会", name),
        );
    }
    let o = run(&["build", "--no-cache"], d);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let read = |p: &str| std::fs::read_to_string(d.join("public").join(p)).unwrap_or_default();
    for name in ["index", "index-2"] {
        assert!(
            read(&format!("qu/bumen-{name}.html")).contains(&format!("<h1>{name}</h1>")),
            "the department {name} should have its page at qu/bumen-{name}.html"
        );
    }
    assert!(
        read("qu/index.html").contains("<h1>区部门整体支出绩效目标</h1>"),
        "qu/index.html should be the district's page"
    );
    assert!(
        !d.join("public/qu/index-2.html").exists(),
        "two departments fill one page: there is no qu/index-2.html"
    );
}

/// On the district's page (its latest year's table), a department whose only form is
/// withheld is a row if the form is of that year ("有错误，未发布"), or of a year without any
/// published form (no table of its own: "2019年度有错误，未发布"); one whose withheld form is of
/// another year with a table is not.
#[test]
fn withheld_only_departments_stand_in_the_table_of_their_year() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/区/甲局-2020.txt", Some("示例区甲局"));
    write(d, "submissions/区/甲局-2021.txt", in_2021("示例区甲局"));
    write(d, "submissions/区/丁局-2021.txt", broken_2021("示例区丁局"));
    let broken = |text: String| text.replacen("\t\t合计\t286.41", "\t\t合计\t999.99", 1);
    let in_2019 = sample_text()
        .replace("武汉市新洲区总工会", "示例区己局")
        .replace("2018年", "2017年")
        .replace("2019年", "2018年")
        .replace("2020年度", "2019年度");
    write(d, "submissions/区/己局-2019.txt", broken(in_2019));
    write(
        d,
        "submissions/区/庚局-2020.txt",
        broken(sample_text().replace("武汉市新洲区总工会", "示例区庚局")),
    );
    let overview = built_district_page(d);
    let table = year_table(&overview);
    let row = |name: &str| row_of(table, name);
    let ding = row("示例区丁局").expect("示例区丁局");
    assert!(
        ding.contains("有错误，未发布") && !ding.contains("年度有错误"),
        "{ding}"
    );
    assert!(ding.contains(r#"<span class="badge error">"#), "{ding}");
    let ji = row("示例区己局").expect("示例区己局");
    assert!(ji.contains("2019年度有错误，未发布"), "{ji}");
    assert_eq!(
        row("示例区庚局"),
        None,
        "2020 has a table of its own: {table}"
    );
    // The year pages list the year's forms, published or withheld: 庚局 stands in 2020's
    // table (linking to its findings), 丁局 in 2021's, each only there; a form of a year
    // without a page (己局, 2019) only on the district page.
    let (p2020, p2021) = (year_page(d, 2020), year_page(d, 2021));
    let (t2020, t2021) = (year_table(&p2020), year_table(&p2021));
    let geng = row_of(t2020, "示例区庚局").expect("庚局 in the 2020 table");
    assert!(
        geng.contains("有错误，未发布") && !geng.contains("年度有错误"),
        "{geng}"
    );
    let href = &geng[geng.rfind("href=\"").unwrap()..];
    assert!(href.contains("report.html#f-"), "{href}");
    assert!(row_of(t2020, "示例区甲局").is_some(), "{t2020}");
    let ding = row_of(t2021, "示例区丁局").expect("丁局 in the 2021 table");
    assert!(ding.contains("有错误，未发布"), "{ding}");
    // Marked as an error on the year pages, never as passed.
    for row in [geng, ding] {
        assert!(row.contains(r#"<span class="badge error">"#), "{row}");
    }
    for (table, absent) in [
        (t2020, "示例区丁局"),
        (t2020, "示例区己局"),
        (t2021, "示例区庚局"),
        (t2021, "示例区己局"),
    ] {
        assert_eq!(row_of(table, absent), None, "{absent}: {table}");
    }
}
