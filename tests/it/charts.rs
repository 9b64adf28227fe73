//! The charts of the bundled site as published (issue 12, "charts people read"): the growth
//! histogram counts whole departments and never breaks a band inside a number; a department's
//! composition is said in %, its blank 其他资金 as 未填 (not "0.00（0.00%）"), and every part —
//! the thin 项目支出 too — is named with its share beside its bar. How the charts render (text
//! size, overlap, contrast) is measured in Chromium by `tests/phone.rs`.

use crate::common;
use common::html::{between, rows, svg_texts, text};

/// The figure with `id` in `page`: its SVG texts, its text alternative, its data table rows.
fn figure(page: &str, id: &str) -> (Vec<String>, String, Vec<Vec<String>>) {
    let fig = between(
        page,
        &format!("<figure class=\"chart-figure\" id=\"{id}\">"),
        "</figure>",
    );
    let svg = between(fig, "<svg", "</svg>");
    let desc = between(svg, "<desc", "</desc>");
    let desc = text(&desc[desc.find('>').unwrap() + 1..]);
    (svg_texts(svg), desc, rows(fig))
}

#[test]
fn published_charts_say_what_they_show() {
    let public = common::bundled_site();
    let read = |p: &str| std::fs::read_to_string(public.join(p)).unwrap();

    // The growth bands: whole counts, bands whole or broken after "～" or before the number.
    let dashboard = read("shi-li-qu/dashboard.html");
    let (drawn, desc, table) = figure(&dashboard, "chart-growth");
    let counts: Vec<&str> = table.iter().map(|r| r[1].as_str()).collect();
    assert!(
        counts.iter().all(|c| c.parse::<u32>().is_ok()),
        "{counts:?}"
    );
    for c in &counts {
        assert!(drawn.iter().any(|t| t == c), "count {c} drawn: {drawn:?}");
    }
    assert!(!drawn.iter().any(|t| t.ends_with(".00")), "{drawn:?}");
    for t in &drawn {
        assert!(!t.ends_with('-') && !t.starts_with('%'), "broken: {t:?}");
    }
    let joined = drawn.concat();
    for band in [
        "低于-30%",
        "-30%～-10%",
        "-10%～0",
        "0～10%",
        "10%～30%",
        "高于30%",
    ] {
        assert!(joined.contains(band), "{band}: {drawn:?}");
        assert!(desc.contains(&format!("{band}：")), "{band}: {desc}");
    }
    assert!(!desc.contains("（个）"), "{desc}");

    // 总工会's 2020 composition: 其他资金 is blank in its form.
    let page = read("wu-han-shi-xin-zhou-qu/zong-gong-hui.html");
    let (drawn, desc, table) = figure(&page, "chart-structure");
    assert!(desc.starts_with("2020年预算收支构成（%）。"), "{desc}");
    assert!(!desc.contains("（万元）。"), "{desc}");
    assert!(desc.contains("其他资金未填"), "{desc}");
    assert!(desc.contains("项目支出占 6.42%（18.38 万元）"), "{desc}");
    assert_eq!(table[0][2], "未填", "{table:?}");
    // Each source in the income row and each kind in the spending row, with its share, as
    // the sample's expected JSON has them; the other row's cell empty (—), not blank.
    let json = common::expected_json();
    let cell = |block: &str, row: &str| {
        let v = &json[block][row];
        format!(
            "{:.2}（{:.2}%）",
            v["budget"].as_f64().unwrap(),
            v["share_percent"].as_f64().unwrap()
        )
    };
    assert_eq!(
        table,
        [
            vec![
                "收入".to_owned(),
                cell("income", "fiscal_appropriation"),
                "未填".to_owned(),
                "—".to_owned(),
                "—".to_owned()
            ],
            vec![
                "支出".to_owned(),
                "—".to_owned(),
                "—".to_owned(),
                cell("expenditure", "basic"),
                cell("expenditure", "project")
            ],
        ]
    );
    assert!(
        !table.concat().iter().any(|c| c.contains("0.00（0.00%）")),
        "{table:?}"
    );
    for label in [
        "财政拨款 100.0%",
        "其他资金 未填",
        "基本支出 93.6%",
        "项目支出 6.4%",
    ] {
        assert!(drawn.iter().any(|t| t == label), "{label}: {drawn:?}");
    }
}

/// A district's ranking compares departments: none on a district of one department, one
/// bar per department from two on.
#[test]
fn a_ranking_needs_two_departments() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::write_sample(d, "submissions/区/甲局-2020.txt", Some("示例区甲局"));
    let overview = |d: &std::path::Path| {
        let o = common::run(&["build", "--no-cache", "--allow-shrink"], d);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::read_to_string(d.join("public/qu/index.html")).unwrap()
    };
    assert!(!overview(d).contains("id=\"chart-ranking\""));
    common::write_sample(d, "submissions/区/乙局-2020.txt", Some("示例区乙局"));
    let page = overview(d);
    let (_, _, table) = figure(&page, "chart-ranking");
    let names: Vec<&str> = table.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names.len(), 2, "{table:?}");
    assert!(
        names.contains(&"示例区甲局") && names.contains(&"示例区乙局"),
        "{names:?}"
    );
    // Both shown: the title does not speak of a first and last few.
    assert!(
        page.contains("<figcaption>2020年各部门预算支出排名</figcaption>"),
        "{}",
        common::html::between(&page, "id=\"chart-ranking\">", "</figcaption>")
    );
}
