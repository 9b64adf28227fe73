//! What a citizen reads must say what is true: a form withheld for errors is "有错误，未发布"
//! (not "未报送") and the totals it is missing from say so; chart data is folded away.

mod common;

use common::*;

#[test]
fn a_withheld_form_is_said_to_be_withheld_and_the_totals_say_what_they_miss() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/区/甲局-2020.txt", Some("示例区甲局"));
    write_sample(d, "submissions/区/乙局-2020.txt", Some("示例区乙局"));
    // 乙局's 2020 form only; 甲局's 2021 form has an arithmetic error, 乙局 filed none.
    let in_2021 = |name: &str| {
        sample_text()
            .replace("武汉市新洲区总工会", name)
            .replace("2020年度", "2021年度")
            .replace("2019年", "2020年")
            .replace("2018年", "2019年")
    };
    let broken = in_2021("示例区甲局").replacen("\t\t合计\t286.41", "\t\t合计\t999.99", 1);
    write(d, "submissions/区/甲局-2021.txt", broken);
    write(d, "submissions/区/丙局-2021.txt", in_2021("示例区丙局"));
    let o = run(&["build", "--no-cache"], d);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let site = tree(&d.join("public"));
    let overview = site
        .values()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .find(|h| h.contains("<h1>区部门整体支出绩效目标</h1>"))
        .expect("the district page");
    let row = |name: &str| {
        let at = overview.find(&format!(">{name}</a>")).expect(name);
        overview[at..at + overview[at..].find("</tr>").unwrap()].to_owned()
    };
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
