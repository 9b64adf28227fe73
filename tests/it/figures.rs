//! District charts at their edges, on a district small enough to work out by hand: six
//! departments whose budgets grow by −35 %, −30 %, −20 %, −10 %, 0 % and +30 % from 2020 to
//! 2021 (each growth band's lower edge counts in the band), the overview's ranking chart, and
//! the structure and growth charts, which need two budget years.

use crate::common;

use budgetsite::build::{build, BuildOptions};
use common::html::{between, rows};
use serde_json::{json, Value};
use std::path::Path;

/// A canonical declaration (`declaration/v1`) spending `total` (万元): 10 on projects, the
/// rest basic; income all appropriated; no prior years, no shares; two measurable indicators,
/// the second's target `target`.
pub(crate) fn form(department: &str, year: i32, total: i64, target: &str) -> Value {
    let line = |v: i64| json!({ "budget": v, "share_percent": null, "prior_years": {} });
    let empty = json!({ "budget": null, "share_percent": null, "prior_years": {} });
    let indicator = |l1: &str, l2: &str, target: &str| {
        json!({ "level1": l1, "level2": l2, "name": "指标", "prior_years": {},
                "target": target, "standard": null })
    };
    json!({
        "schema": "declaration/v1",
        "form": "部门整体支出绩效目标申报表",
        "fiscal_year": year,
        "department": department,
        "filled_by": null, "phone": null, "unit": "万元",
        "income": { "fiscal_appropriation": line(total), "other": empty, "total": line(total) },
        "expenditure": { "basic": line(total - 10), "project": line(10), "total": line(total) },
        "functions": [], "annual_tasks": [],
        "long_term_goal": null, "annual_goal": null,
        "overall_goals": ["目标"],
        "goals": [{ "number": 1, "name": "目标", "indicators": [
            indicator("产出指标", "数量指标", "≥95%"),
            indicator("效益指标", "社会效益指标", target)
        ] }]
    })
}

/// (department, 2020 budget, 2021 budget).
const DEPARTMENTS: [(&str, i64, i64); 6] = [
    ("示例区甲局", 100, 65),
    ("示例区乙局", 100, 70),
    ("示例区丙局", 100, 80),
    ("示例区丁局", 100, 90),
    ("示例区戊局", 100, 100),
    ("示例区己局", 100, 130),
];

/// Builds the district of `DEPARTMENTS` in `years`; returns the site's folder.
fn site(dir: &Path, years: &[i32]) -> std::path::PathBuf {
    let input = dir.join("submissions");
    for (name, b2020, b2021) in DEPARTMENTS {
        for &year in years {
            let total = if year == 2020 { b2020 } else { b2021 };
            // One finding in the whole district: 甲局's 2021 target is vague.
            let target = if (name, year) == ("示例区甲局", 2021) {
                "明显"
            } else {
                "≥90%"
            };
            let text = serde_json::to_string_pretty(&form(name, year, total, target)).unwrap();
            common::write(&input, &format!("示例区/{name}-{year}.json"), text);
        }
    }
    let public = dir.join("public");
    let outcome = build(&BuildOptions {
        input,
        output: public.clone(),
        config: dir.join("site.toml"),
        ..BuildOptions::default()
    })
    .unwrap();
    assert!(outcome.written.is_some());
    public
}

#[test]
fn the_report_has_one_group_per_file_with_findings() {
    let dir = tempfile::tempdir().unwrap();
    let public = site(dir.path(), &[2020, 2021]);
    let report = std::fs::read_to_string(public.join("report.html")).unwrap();
    let groups: Vec<String> = report
        .split("<details class=\"file-group\"")
        .skip(1)
        .map(|g| common::html::text(between(g, "<h3", "</h3>")))
        .collect();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert!(
        groups[0].contains("示例区甲局 · 2021年度") && groups[0].contains("0 个错误 · 1 个警告"),
        "{groups:?}"
    );
}

/// The district's page `name` (`index.html`, `dashboard.html`).
fn page(public: &Path, name: &str) -> String {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("data/district.json")).unwrap())
            .unwrap();
    let dep_page = json["departments"][0]["page"].as_str().unwrap();
    let district = &dep_page[..dep_page.find('/').unwrap()];
    std::fs::read_to_string(public.join(district).join(name)).unwrap()
}

/// The data table of the chart `id` in `html`, None when the page has no such chart.
fn chart(html: &str, id: &str) -> Option<Vec<Vec<String>>> {
    let open = format!("<figure class=\"chart-figure\" id=\"{id}\">");
    html.contains(&open)
        .then(|| rows(between(html, &open, "</figure>")))
}

#[test]
fn growth_bands_count_their_lower_edge_and_charts_need_two_years() {
    let dir = tempfile::tempdir().unwrap();
    let public = site(dir.path(), &[2020, 2021]);
    let dashboard = page(&public, "dashboard.html");
    let growth = chart(&dashboard, "chart-growth").expect("a growth chart");
    // −35 | −30, −20 | −10 | 0 | (none) | +30: a band holds its lower edge, not its upper.
    let counts: Vec<(&str, &str)> = growth
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        counts,
        [
            ("低于-30%", "1"),
            ("-30%～-10%", "2"),
            ("-10%～0", "1"),
            ("0～10%", "1"),
            ("10%～30%", "0"),
            ("高于30%", "1"),
        ],
        "{growth:?}"
    );
    // Structure over two budget years: basic = budget − 10 per department, project 10 each.
    let structure = chart(&dashboard, "chart-structure").expect("a structure chart");
    assert_eq!(
        structure,
        [["2020年", "540.00", "60.00"], ["2021年", "475.00", "60.00"]],
        "{structure:?}"
    );
    // A department's page is named after its name without the district's in front.
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("data/district.json")).unwrap())
            .unwrap();
    let pages: Vec<&str> = json["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["page"].as_str().unwrap())
        .collect();
    assert!(pages.contains(&"shi-li-qu/jia-ju.html"), "{pages:?}");
    // The overview ranks 2021's budgets, largest first.
    let overview = page(&public, "index.html");
    let ranking = chart(&overview, "chart-ranking").expect("a ranking chart");
    assert_eq!(
        ranking,
        [
            ["示例区己局", "130.00"],
            ["示例区戊局", "100.00"],
            ["示例区丁局", "90.00"],
            ["示例区丙局", "80.00"],
            ["示例区乙局", "70.00"],
            ["示例区甲局", "65.00"],
        ],
        "{ranking:?}"
    );

    // One budget year: no growth, and one bar would compare nothing.
    let dir = tempfile::tempdir().unwrap();
    let public = site(dir.path(), &[2021]);
    let dashboard = page(&public, "dashboard.html");
    assert!(chart(&dashboard, "chart-growth").is_none());
    assert!(chart(&dashboard, "chart-structure").is_none());
    assert!(chart(&page(&public, "index.html"), "chart-structure").is_none());
    assert!(chart(&page(&public, "index.html"), "chart-ranking").is_some());
}

/// Builds the site of `input` into `dir/public`; returns that folder.
fn publish(dir: &Path, input: std::path::PathBuf) -> std::path::PathBuf {
    let public = dir.join("public");
    build(&BuildOptions {
        input,
        output: public.clone(),
        config: dir.join("site.toml"),
        ..BuildOptions::default()
    })
    .unwrap();
    public
}

/// A district of `withheld` forms with an error each and one clean form, published under
/// `dir`.
fn withheld_district(dir: &std::path::Path, withheld: usize) -> std::path::PathBuf {
    let input = dir.join("submissions");
    for i in 0..withheld {
        let mut v = form(&format!("示例区单位{i:03}"), 2021, 100, "≥90%");
        // The income total disagrees with its parts: an error, so the form is withheld.
        v["income"]["total"]["budget"] = json!(999);
        let text = serde_json::to_string_pretty(&v).unwrap();
        common::write(&input, &format!("示例区/单位{i:03}-2021.json"), text);
    }
    let clean = serde_json::to_string_pretty(&form("示例区甲局", 2021, 100, "≥90%")).unwrap();
    common::write(&input, "示例区/甲局-2021.json", clean);
    publish(dir, input)
}

/// A report that fits one page has no pager and no second page: its findings are all there,
/// and the unpublished files are listed without links to a page (mutation testing: a pager of
/// one page, `count >= 1`, went unseen).
#[test]
fn a_report_of_one_page_has_no_pager() {
    let dir = tempfile::tempdir().unwrap();
    let public = withheld_district(dir.path(), 3);
    let html = std::fs::read_to_string(public.join("report.html")).unwrap();
    assert!(!public.join("report-2.html").exists(), "a second page");
    assert!(
        !html.contains("class=\"pager\""),
        "a pager on a one-page report"
    );
    assert!(
        !html.contains("第 1 页"),
        "a page number on a one-page report"
    );
    assert_eq!(
        html.matches("<details class=\"file-group\" id=\"").count(),
        3,
        "the three withheld forms' findings"
    );
}

/// A build where hundreds of forms have errors (issue 20: 84 MB in one report page at 20,000)
/// lists them on numbered report pages of at most `PAGE_GROUPS` forms, each page well under
/// 1 MB; each form's findings stand on exactly one page, the first page keeps the summary and
/// counts the withheld files it does not list, and the district page's withheld rows link to
/// the page that holds each form's findings.
#[test]
fn a_long_report_is_cut_into_numbered_pages_and_every_link_finds_its_page() {
    use budgetsite::analyze::report::PAGE_GROUPS;
    let dir = tempfile::tempdir().unwrap();
    let withheld = 2 * PAGE_GROUPS + 30;
    let public = withheld_district(dir.path(), withheld);

    let names = ["report.html", "report-2.html", "report-3.html"];
    assert!(!public.join("report-4.html").exists(), "a fourth page");
    let mut seen = std::collections::BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        let html = std::fs::read_to_string(public.join(name)).unwrap();
        assert!(html.len() < 1_000_000, "{name} is {} bytes", html.len());
        let ids: Vec<&str> = html
            .split("<details class=\"file-group\" id=\"")
            .skip(1)
            .map(|g| &g[..g.find('"').unwrap()])
            .collect();
        let expected = if i < 2 { PAGE_GROUPS } else { 30 };
        assert_eq!(ids.len(), expected, "forms listed on {name}");
        for id in ids {
            assert!(seen.insert(id.to_owned(), *name).is_none(), "{id} twice");
        }
        // The pager names every page and marks this one.
        let pager = between(&html, "<nav class=\"pager\"", "</nav>");
        assert_eq!(pager.matches("<a href=").count(), 3, "{name}: {pager}");
        let current = format!("href=\"{name}\" aria-current=\"page\"");
        assert!(pager.contains(&current), "{name}: {pager}");
        // Only the first page has the summary.
        assert_eq!(html.contains("按规则统计"), i == 0, "{name}");
        assert!(
            html.contains(&format!("第 {} 页，共 3 页", i + 1)),
            "{name}"
        );
    }
    assert_eq!(seen.len(), withheld);
    let first = std::fs::read_to_string(public.join("report.html")).unwrap();
    assert!(first.contains(&format!("未发布的文件（{withheld}）")));
    let listed = between(&first, "<ul class=\"unpublished\">", "</section>");
    let shown = budgetsite::output::views::UNPUBLISHED_SHOWN;
    assert_eq!(listed.matches("<code>").count(), shown);
    assert!(listed.contains(&format!("另有 {} 个文件未发布", withheld - shown)));

    // Every link to a form's findings, from the district page and the first page's list of
    // withheld files, names the page that holds them.
    let district = page(&public, "index.html");
    let mut links = 0;
    for html in [&district, &first] {
        for part in html.split("report").skip(1) {
            let Some(end) = part.find('"') else { continue };
            let link = &part[..end];
            let Some((page, id)) = link.split_once(".html#") else {
                continue;
            };
            let page = format!("report{page}.html");
            assert_eq!(seen.get(id), Some(&page.as_str()), "report{link}");
            links += 1;
        }
    }
    assert!(links >= withheld, "{links} links to findings");
}

/// A district of more departments than a page lists (issue 20): its page and its year's page
/// list them on numbered pages of at most `TABLE_PAGE_ROWS` rows, in the table's order
/// (spending, largest first), each department once; the first page keeps the totals and the
/// charts, every page the downloads of the whole table.
#[test]
fn a_district_of_many_departments_lists_them_on_numbered_pages() {
    use budgetsite::output::views::TABLE_PAGE_ROWS;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("submissions");
    let n = TABLE_PAGE_ROWS + 7;
    for i in 0..n {
        // Distinct budgets, so the order across pages is the spending order.
        let text = serde_json::to_string_pretty(&form(
            &format!("示例区单位{i:03}"),
            2021,
            100 + i as i64,
            "≥90%",
        ))
        .unwrap();
        common::write(&input, &format!("示例区/单位{i:03}-2021.json"), text);
    }
    // One department's self-evaluation of the year (the sample's, renamed): the year's
    // evaluation board goes on the year's first page only.
    let mut evaluation: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/self_eval/武汉市新洲区总工会-2020-自评.expected.json"),
        )
        .unwrap(),
    )
    .unwrap();
    evaluation["department"] = json!("示例区单位000");
    evaluation["fiscal_year"] = json!(2021);
    common::write(
        &input,
        "示例区/单位000-2021-自评.json",
        serde_json::to_string_pretty(&evaluation).unwrap(),
    );
    let public = publish(dir.path(), input);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("data/district.json")).unwrap())
            .unwrap();
    let dep_page = json["departments"][0]["page"].as_str().unwrap();
    let folder = public.join(&dep_page[..dep_page.find('/').unwrap()]);
    // (first page, second page, the column of 支出合计)
    for (first, second, column) in [
        ("index.html", "index-2.html", 1),
        ("years/2021/index.html", "years/2021/index-2.html", 2),
    ] {
        let mut spending = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for (i, name) in [first, second].iter().enumerate() {
            let html = std::fs::read_to_string(folder.join(name)).unwrap();
            // The first table body of the page is the departments'.
            let rows = rows(&html);
            let expected = if i == 0 { TABLE_PAGE_ROWS } else { 7 };
            assert_eq!(rows.len(), expected, "rows on {name}");
            for r in &rows {
                assert!(names.insert(r[0].clone()), "{} twice", r[0]);
                spending.push(common::html::number(&r[column]).unwrap());
            }
            let pager = between(&html, "<nav class=\"pager\"", "</nav>");
            assert_eq!(pager.matches("<a href=").count(), 2, "{name}: {pager}");
            assert!(pager.contains("aria-current=\"page\">".to_owned().as_str()));
            assert!(html.contains(&format!("共 {n} 个部门")), "{name}");
            assert!(
                html.contains("departments.csv") || html.contains(".csv"),
                "{name}"
            );
            assert_eq!(
                html.contains("<figure class=\"chart-figure\""),
                i == 0 && first == "index.html",
                "{name}"
            );
            // The years' table on the first page only, the links to each year on every page.
            let overview = first == "index.html";
            assert_eq!(
                html.contains("id=\"years-h\""),
                i == 0 && overview,
                "{name}"
            );
            assert!(!overview || html.contains("2021年度</a>"), "{name}");
            // The heading says which page; the year's evaluation board is on its first.
            assert_eq!(html.contains("（第 2 页）</h1>"), i == 1, "{name}");
            if !overview {
                assert_eq!(
                    html.contains("2021年度绩效自评（1 个部门）"),
                    i == 0,
                    "{name}: the evaluation board"
                );
            }
        }
        assert_eq!(names.len(), n, "{first}");
        assert_eq!(spending.len(), n, "{first}");
        assert!(
            spending.windows(2).all(|w| w[0] >= w[1]),
            "{first}: not largest first"
        );
        assert!(!folder
            .join(first.replace("index.html", "index-3.html"))
            .exists());
    }
    // The site's home page (one district) shows the district's first page, its rows made
    // alone (`district_first_page`): the same departments in the same order, the whole
    // count, a pager to the district's pages.
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    let first = std::fs::read_to_string(folder.join("index.html")).unwrap();
    let names =
        |html: &str| -> Vec<String> { rows(html).into_iter().map(|r| r[0].clone()).collect() };
    assert_eq!(names(&home).len(), TABLE_PAGE_ROWS);
    assert_eq!(names(&home), names(&first));
    assert!(home.contains(&format!("共 {n} 个部门")));
    let pager = between(&home, "<nav class=\"pager\"", "</nav>");
    assert!(pager.contains("index-2.html"), "{pager}");
    // Rankings show their ends: the quality board its first and last BOARD_ENDS rows, the
    // ranking chart its first and last CHART_ENDS bars, each saying how many there are.
    use budgetsite::output::views::{BOARD_ENDS, CHART_ENDS};
    let dashboard = std::fs::read_to_string(folder.join("dashboard.html")).unwrap();
    let board = rows(between(&dashboard, "id=\"score-h\"", "</section>"));
    assert_eq!(board.len(), 2 * BOARD_ENDS);
    let said = format!(
        "共 {n} 个部门，此处列出得分最高和最低的各 {BOARD_ENDS} 个；其余 {} 个",
        n - 2 * BOARD_ENDS
    );
    assert!(dashboard.contains(&said), "{said}");
    // The rest are where the note says: the column it names is in the table it links.
    let csv = std::fs::read_to_string(folder.join("data/departments.csv")).unwrap();
    assert!(dashboard.contains("data/departments.csv\" download>"));
    assert!(
        dashboard.contains("“目标质量得分”列")
            && csv.lines().next().unwrap().contains("目标质量得分")
    );
    let index = std::fs::read_to_string(folder.join("index.html")).unwrap();
    let ranking = chart(&index, "chart-ranking").expect("a ranking chart");
    assert_eq!(ranking.len(), 2 * CHART_ENDS, "{ranking:?}");
    // The largest budget leads, the smallest closes: 100 + n − 1 down to 100 (万元).
    let largest = rust_decimal::Decimal::from(100 + n as i64 - 1);
    assert_eq!(common::html::number(&ranking[0][1]), Some(largest));
    let last = &ranking[2 * CHART_ENDS - 1][1];
    assert_eq!(common::html::number(last), Some(100.into()));
    assert!(index.contains(&format!(
        "{n} 个部门中的前 {CHART_ENDS} 名和后 {CHART_ENDS} 名"
    )));
}

/// The district's totals say how many forms of the year they leave out for errors, and say
/// nothing of it when none is (a mutant that always said 1 survived).
#[test]
fn the_totals_count_the_forms_withheld_for_errors() {
    let dir = tempfile::tempdir().unwrap();
    let public = site(dir.path(), &[2020, 2021]);
    let clean = common::html::text(&page(&public, "index.html"));
    assert!(!clean.contains("因错误未发布"), "{clean}");

    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("submissions");
    for name in ["示例区庚局", "示例区辛局"] {
        // 收入合计 5 more than its parts: an income-sum error, so the form is withheld.
        let mut f = form(name, 2021, 100, "≥90%");
        f["income"]["total"]["budget"] = json!(105);
        let text = serde_json::to_string_pretty(&f).unwrap();
        common::write(&input, &format!("示例区/{name}-2021.json"), text);
    }
    site(dir.path(), &[2020, 2021]);
    let html = common::html::text(&page(&dir.path().join("public"), "index.html"));
    assert!(
        html.contains("另有 2 份申报表因错误未发布，未计入合计"),
        "{html}"
    );
}

/// A year's page made page by page (`views::YearPlan`, the build's way: a page keyed by its
/// departments, its rows made only when the key changed) is the year's whole view cut into
/// pages (`views::year_pages`): pages, rows, skeletons and slots, with ties in the spending
/// order, a withheld form of a department that has others, and departments whose only form
/// was withheld (listed at the end).
#[test]
fn a_year_plan_makes_the_pages_the_whole_view_is_cut_into() {
    use budgetsite::output::views::{self, YearPlan, YearSlot, TABLE_PAGE_ROWS};
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("submissions");
    let n = TABLE_PAGE_ROWS + 9;
    let put = |name: &str, year: i32, total: i64, broken: bool| {
        let mut v = form(name, year, total, "≥90%");
        if broken {
            v["income"]["total"]["budget"] = json!(999_999);
        }
        let text = serde_json::to_string_pretty(&v).unwrap();
        common::write(&input, &format!("示例区/{name}-{year}.json"), text);
    };
    for i in 0..n {
        // Every third department ties with its neighbour.
        put(
            &format!("示例区单位{i:03}"),
            2021,
            100 + (i / 3) as i64,
            i == 4,
        );
        if i < 6 {
            put(&format!("示例区单位{i:03}"), 2020, 50, false);
        }
    }
    for j in 0..3 {
        put(&format!("示例区撤销{j}"), 2021, 10, true);
    }
    let config = budgetsite::config::SiteConfig::default();
    let ingest = budgetsite::ingest::IngestOptions {
        names_from_folder: true,
        ..Default::default()
    };
    let batch = budgetsite::load::load(std::slice::from_ref(&input), &ingest).unwrap();
    let model = budgetsite::analyze::analyze(&batch, &input, &config);
    let d = &model.districts[0];
    let figures = budgetsite::analyze::stats::district(d);
    let json = |v: &views::YearView| serde_json::to_value(v).unwrap();
    for &year in &d.years {
        let whole = views::year_pages(views::year(d, &figures, &config, year));
        let plan = YearPlan::new(d, &figures, &config, year);
        assert_eq!(plan.table().pages(), whole.len(), "{year}");
        let mut withheld_rows = 0;
        for (k, page) in whole.iter().enumerate() {
            assert_eq!(json(&plan.page(k + 1)), json(page), "{year} page {}", k + 1);
            let mut skeleton = page.clone();
            skeleton.rows.clear();
            assert_eq!(json(&plan.skeleton(k + 1)), json(&skeleton));
            let slots: Vec<YearSlot<'_>> = plan.table().slots(k + 1).collect();
            assert_eq!(slots.len(), page.rows.len());
            for (slot, row) in slots.iter().zip(&page.rows) {
                match slot {
                    YearSlot::Department(i, withheld) => {
                        assert_eq!(d.departments[*i].name, row.name);
                        assert_eq!(*withheld, row.withheld);
                    }
                    YearSlot::Withheld(r) => {
                        assert_eq!(r.name, row.name);
                        withheld_rows += 1;
                    }
                }
            }
        }
        if year == 2021 {
            assert_eq!(whole.len(), 2);
            assert_eq!(
                withheld_rows, 3,
                "the departments whose only form was withheld"
            );
            assert!(whole[0]
                .rows
                .iter()
                .chain(&whole[1].rows)
                .any(|r| r.withheld && r.name == "示例区单位004"));
        }
    }
    // The district's page likewise (its latest year's departments, filed or not).
    let path = views::district_index(d);
    let whole = views::district_pages(views::district(d, &figures, &config, &path), &path);
    let plan = views::DistrictPlan::new(d, &figures, &config, &path);
    assert_eq!(plan.table().pages(), whole.len());
    assert_eq!(whole.len(), 2);
    let json = |v: &views::DistrictView| serde_json::to_value(v).unwrap();
    for (k, page) in whole.iter().enumerate() {
        assert_eq!(
            json(&plan.page(k + 1)),
            json(page),
            "district page {}",
            k + 1
        );
        let mut skeleton = page.clone();
        skeleton.rows.clear();
        assert_eq!(json(&plan.skeleton(k + 1)), json(&skeleton));
        assert_eq!(plan.table().slots(k + 1).count(), page.rows.len());
    }
}
