//! Tests of the charts as a whole: the SVG element, escaping, determinism, the text
//! alternative and the table; the fixtures and scene helpers the layouts' tests share
//! (`legible`, `rankings` for the ranking's layout, `stacks` for the bars' geometry).

use super::scene::{Anchor, Shape, AXIS, FS_SMALL, MIN_WIDTH, X};
use super::text::text_width;
use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn series(name: &str, values: &[Option<&str>]) -> Series {
    Series {
        name: name.to_string(),
        values: values.iter().map(|v| v.map(d)).collect(),
    }
}

fn years() -> Chart {
    Chart {
        id: "chart-budget-years".into(),
        title: "2020年至2022年预算与实际支出".into(),
        unit: "万元".into(),
        kind: ChartKind::Grouped,
        categories: vec!["2020年".into(), "2021年".into(), "2022年".into()],
        series: vec![
            series("预算", &[Some("1000"), Some("1100.5"), Some("1234.56")]),
            series("实际", &[Some("980.1"), None, Some("1200")]),
        ],
        blank: vec![],
    }
}

/// The growth histogram of the dashboard.
fn growth() -> Chart {
    Chart {
        id: "chart-growth".into(),
        title: "2022年各部门预算增长分布（部门数）".into(),
        unit: "个".into(),
        kind: ChartKind::Grouped,
        categories: [
            "低于-30%",
            "-30%～-10%",
            "-10%～0",
            "0～10%",
            "10%～30%",
            "高于30%",
        ]
        .map(String::from)
        .to_vec(),
        series: vec![series(
            "部门数",
            &[
                Some("1"),
                Some("3"),
                Some("9"),
                Some("18"),
                Some("6"),
                Some("2"),
            ],
        )],
        blank: vec![],
    }
}

/// A department's composition, its 其他资金 left blank.
fn composition() -> Chart {
    Chart {
        id: "chart-structure".into(),
        title: "2020年预算收支构成".into(),
        unit: "万元".into(),
        kind: ChartKind::Shares,
        categories: vec!["收入".into(), "支出".into()],
        series: vec![
            series("财政拨款", &[Some("286.41"), None]),
            series("其他资金", &[None, None]),
            series("基本支出", &[None, Some("268.03")]),
            series("项目支出", &[None, Some("18.38")]),
        ],
        blank: vec![(1, 0)],
    }
}

/// Shares with a key that must wrap (five long names) and a row with nothing but blanks (its
/// bar is the word 未填, its key the blank parts).
fn long_key() -> Chart {
    Chart {
        id: "chart-long-key".into(),
        title: "2022年收入构成".into(),
        unit: "万元".into(),
        kind: ChartKind::Shares,
        categories: vec!["收入".into(), "上年收入".into()],
        series: vec![
            series("一般公共预算财政拨款收入", &[Some("120.5"), None]),
            series("政府性基金预算财政拨款收入", &[Some("30"), None]),
            series("国有资本经营预算财政拨款收入", &[Some("8.25"), None]),
            series("事业收入", &[Some("16"), None]),
            series("其他收入", &[Some("2"), None]),
        ],
        blank: vec![(0, 1), (1, 1), (3, 1)],
    }
}

/// Grouped bars of five long series names: their legend needs three lines at the narrowest
/// width.
fn long_legend() -> Chart {
    let values = [Some("120.5"), Some("98")];
    Chart {
        id: "chart-long-legend".into(),
        title: "2021年至2022年各项收入".into(),
        unit: "万元".into(),
        kind: ChartKind::Grouped,
        categories: vec!["2021年".into(), "2022年".into()],
        series: [
            "一般公共预算财政拨款",
            "政府性基金预算财政拨款",
            "国有资本经营预算拨款",
            "事业单位经营收入",
            "上级补助收入",
        ]
        .iter()
        .map(|n| series(n, &values))
        .collect(),
        blank: vec![],
    }
}

/// A ranking of `names` by one series of `values` (in 万元).
fn ranking_of(names: &[&str], values: &[&str]) -> Chart {
    let values: Vec<Option<&str>> = values.iter().map(|v| Some(*v)).collect();
    Chart {
        id: "chart-ranking".into(),
        title: "2022年各部门预算".into(),
        unit: "万元".into(),
        kind: ChartKind::Ranking,
        categories: names.iter().map(|n| (*n).to_owned()).collect(),
        series: vec![series("预算", &values)],
        blank: vec![],
    }
}

/// A ranking of large amounts with a negative one: wide value labels on both sides of zero,
/// the largest on a tick (its bar runs to the plot's right end).
fn big_ranking() -> Chart {
    ranking_of(
        &["教育局", "财政局", "卫健委", "民政局"],
        &["2000000", "890000", "-45000.5", "310000.4"],
    )
}

/// A district's 基本/项目 structure over five years, 项目 small in one of them.
fn structure() -> Chart {
    Chart {
        id: "chart-structure".into(),
        title: "历年预算支出结构（基本支出与项目支出）".into(),
        unit: "万元".into(),
        kind: ChartKind::Stacked,
        categories: (2018..=2022).map(|y| format!("{y}年")).collect(),
        series: vec![
            series(
                "基本支出",
                &[
                    Some("410000"),
                    Some("420000.5"),
                    Some("430000"),
                    Some("450000"),
                    Some("460000"),
                ],
            ),
            series(
                "项目支出",
                &[
                    Some("200000"),
                    Some("210000"),
                    Some("9000"),
                    Some("230000"),
                    Some("240000"),
                ],
            ),
        ],
        blank: vec![],
    }
}

fn all_kinds(chart: &Chart) -> Vec<Chart> {
    [
        ChartKind::Grouped,
        ChartKind::Stacked,
        ChartKind::Ranking,
        ChartKind::Shares,
    ]
    .into_iter()
    .map(|kind| Chart {
        kind,
        ..chart.clone()
    })
    .collect()
}

/// The drawn bars and segments (the rectangles placed by fraction), top and bottom of each.
fn bars(scene: &Scene) -> Vec<(i32, i32)> {
    scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Rect {
                x0: X::Frac(_),
                y0,
                y1,
                ..
            } => Some((*y0, *y1)),
            _ => None,
        })
        .collect()
}

/// The rectangles placed by fraction whose fill `keep` accepts, in the order drawn, as
/// (left, right, top, bottom) at the narrowest width.
fn frac_rects(
    scene: &Scene,
    keep: impl Fn(&super::scene::Rgb) -> bool,
) -> Vec<(f64, f64, i32, i32)> {
    scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Rect {
                x0: x0 @ X::Frac(_),
                x1,
                y0,
                y1,
                fill,
            } if keep(fill) => Some((x0.at(MIN_WIDTH), x1.at(MIN_WIDTH), *y0, *y1)),
            _ => None,
        })
        .collect()
}

/// The bars and segments in the order drawn, as (left, right, top, bottom) at the narrowest
/// width.
fn drawn_bars(scene: &Scene) -> Vec<(f64, f64, i32, i32)> {
    frac_rects(scene, |_| true)
}

/// The zero line's height.
fn zero_line(scene: &Scene) -> i32 {
    let lines: Vec<i32> = scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Line { y0, y1, colour, .. } if *colour == AXIS && y0 == y1 => Some(*y0),
            _ => None,
        })
        .collect();
    assert_eq!(lines.len(), 1, "one zero line: {lines:?}");
    lines[0]
}

fn scene_of(chart: &Chart) -> Scene {
    match chart.kind {
        ChartKind::Grouped => vertical::layout(chart, false),
        ChartKind::Stacked => vertical::layout(chart, true),
        ChartKind::Ranking => ranking::layout(chart),
        ChartKind::Shares => shares::layout(chart),
    }
}

/// A text drawn: (text, left, right, top, bottom).
type TextBox = (String, f64, f64, f64, f64);

/// The texts drawn, as (text, left, right, top, bottom) on a chart `width` px wide, from the
/// estimated widths (generous) and the em box around the baseline.
fn text_boxes(scene: &Scene, width: f64) -> Vec<TextBox> {
    scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text {
                text,
                x,
                dx,
                baseline,
                size,
                anchor,
                ..
            } => {
                let w = text_width(text, *size);
                let at = x.at(width) + f64::from(*dx);
                let left = match anchor {
                    Anchor::Start => at,
                    Anchor::Middle => at - w / 2.0,
                    Anchor::End => at - w,
                };
                let base = f64::from(*baseline);
                Some((
                    text.clone(),
                    left,
                    left + w,
                    base - size * 0.88,
                    base + size * 0.12,
                ))
            }
            _ => None,
        })
        .collect()
}

/// How far the chart's bottom edge lies under its lowest text, at the narrowest width.
fn space_under_lowest_text(scene: &Scene) -> f64 {
    let lowest = text_boxes(scene, MIN_WIDTH)
        .iter()
        .map(|b| b.4)
        .fold(0.0, f64::max);
    f64::from(scene.height) - lowest
}

/// The texts of an SVG, unescaped enough for these tests.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let t = &t[t.find('>').unwrap() + 1..];
            t[..t.find("</text>").unwrap()].replace("&amp;", "&")
        })
        .collect()
}

/// Every `<` starts one of the tags we emit, every `&` an entity we emit.
fn assert_safe(svg: &str) {
    const TAGS: [&str; 6] = ["svg", "title", "desc", "rect", "text", "line"];
    for (i, _) in svg.match_indices('<') {
        let rest = svg[i + 1..].trim_start_matches('/');
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected tag {name:?} in {svg}"
        );
    }
    for (i, _) in svg.match_indices('&') {
        let rest = &svg[i..];
        assert!(
            ["&lt;", "&gt;", "&amp;", "&quot;", "&apos;"]
                .iter()
                .any(|e| rest.starts_with(e)),
            "bare & in {svg}"
        );
    }
    let lower = svg.to_lowercase();
    assert!(!lower.contains("<script"));
    assert!(!lower.contains("href"));
    assert!(!lower.contains("@import"));
    assert!(!lower.contains("url("));
    assert!(svg.starts_with("<svg "));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<svg").count(), 1);
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
}

#[test]
fn thousands() {
    assert_eq!(fmt_thousands(d("1234.56")), "1,234.56");
    assert_eq!(fmt_thousands(d("1234.565")), "1,234.57");
    assert_eq!(fmt_thousands(d("-1234.565")), "-1,234.57");
    assert_eq!(fmt_thousands(d("0")), "0.00");
    assert_eq!(fmt_thousands(d("-0.001")), "0.00");
    assert_eq!(fmt_thousands(d("-0.005")), "-0.01");
    assert_eq!(fmt_thousands(d("99999999.99")), "99,999,999.99");
    assert_eq!(fmt_decimal(d("1234.5"), 0), "1,235");
    assert_eq!(fmt_decimal(d("2.25"), 1), "2.3");
}

#[test]
fn deterministic_and_pinned() {
    // Built afresh on another thread (its own allocations, no shared state), every kind
    // draws the same bytes; and the grouped chart's bytes are pinned in a reviewed
    // snapshot, so a drawing that changes between versions or machines shows up.
    let here: Vec<String> = all_kinds(&years()).iter().map(Chart::to_svg).collect();
    let there = std::thread::spawn(|| {
        all_kinds(&years())
            .iter()
            .map(Chart::to_svg)
            .collect::<Vec<_>>()
    })
    .join()
    .unwrap();
    assert_eq!(here, there);
    insta::assert_snapshot!("grouped_years_svg", here[0]);
    // What the snapshot shows, said in words: the years and values are drawn.
    for label in ["2020年", "2021年", "2022年", "预算", "实际", "单位：万元"] {
        assert!(here[0].contains(&format!(">{label}</text>")), "{label}");
    }
    // Bars stand on the zero line and are as tall as their value (to the pixel).
    let scene = scene_of(&years());
    let zero = scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Line { y0, colour, .. } if *colour == super::scene::AXIS => Some(*y0),
            _ => None,
        })
        .next()
        .unwrap();
    let bars = bars(&scene);
    let values = [1000.0, 980.1, 1100.5, 1234.56, 1200.0];
    assert_eq!(bars.len(), values.len());
    let per_unit = f64::from(bars[0].1 - bars[0].0) / 1000.0;
    for ((y0, y1), v) in bars.iter().zip(values) {
        assert_eq!(*y1, zero, "{bars:?}");
        assert!((f64::from(y1 - y0) - v * per_unit).abs() <= 1.0, "{bars:?}");
    }
}

#[test]
fn the_text_alternative_is_the_svg_description() {
    let svg = years().to_svg();
    assert!(svg.contains(
        "<desc id=\"chart-budget-years-desc\">2020年至2022年预算与实际支出（万元）。2022年预算最高，为 1,234.56 万元。</desc>"
    ), "{svg}");
}

#[test]
fn root_element_is_drawn_at_its_own_size() {
    for chart in all_kinds(&years()) {
        let svg = chart.to_svg();
        let root = &svg[..svg.find('>').unwrap()];
        // Never scaled: as wide as the column, as tall as laid out, at least as wide as the
        // layout was checked for.
        assert!(!root.contains("viewBox"), "{root}");
        assert!(root.contains(" width=\"100%\""), "{root}");
        assert!(root.contains(" height=\""), "{root}");
        assert!(root.contains("style=\"min-width:328px\""), "{root}");
        assert!(root.contains("class=\"chart\""));
        assert!(root.contains("role=\"img\""));
        assert!(
            root.contains("aria-labelledby=\"chart-budget-years-title chart-budget-years-desc\"")
        );
        assert!(svg.contains(
            "<title id=\"chart-budget-years-title\">2020年至2022年预算与实际支出</title>"
        ));
        assert!(!svg.starts_with("<?xml"));
        assert!(svg.contains("font-family=\"PingFang SC"));
        assert!(svg.contains("sans-serif\""));
        assert_safe(&svg);
    }
}

#[test]
fn odd_id_is_made_safe() {
    let chart = Chart {
        id: "a b\"<c>".into(),
        ..years()
    };
    let svg = chart.to_svg();
    assert!(svg.contains("aria-labelledby=\"a-b--c--title a-b--c--desc\""));
    assert_safe(&svg);
}

#[test]
fn escaping() {
    let evil = "<script>alert(1)</script>&\"'";
    let chart = Chart {
        id: "chart-evil".into(),
        title: evil.into(),
        unit: "万元<b>".into(),
        kind: ChartKind::Grouped,
        categories: vec![evil.into(), "教育局".into()],
        series: vec![
            series(evil, &[Some("12"), Some("3")]),
            series("b\u{7}", &[Some("1"), Some("-2")]),
        ],
        blank: vec![],
    };
    for chart in all_kinds(&chart) {
        let svg = chart.to_svg();
        assert_safe(&svg);
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert!(!svg.contains('\u{7}'));
    }
    // The table and summary stay raw text: the template escapes them.
    let table = chart.table();
    assert_eq!(table.header[1], evil);
    assert_eq!(table.rows[0][0], evil);
}

#[test]
fn empty_charts() {
    let base = years();
    let cases = vec![
        Chart {
            categories: vec![],
            series: vec![],
            ..base.clone()
        },
        Chart {
            series: vec![],
            ..base.clone()
        },
        Chart {
            categories: vec![],
            ..base.clone()
        },
        Chart {
            series: vec![series("预算", &[None, None, None])],
            ..base.clone()
        },
        Chart {
            series: vec![series("预算", &[])],
            ..base.clone()
        },
    ];
    for case in cases {
        for chart in all_kinds(&case) {
            let svg = chart.to_svg();
            assert_safe(&svg);
            assert!(svg.contains("暂无数据"), "{svg}");
            assert!(svg.contains(" height=\"48\""));
            let unit = if chart.kind == ChartKind::Shares {
                "%"
            } else {
                "万元"
            };
            assert_eq!(
                chart.summary(),
                format!("2020年至2022年预算与实际支出（{unit}）。暂无数据。")
            );
        }
    }
}

#[test]
fn edge_values_do_not_panic() {
    let cases = vec![
        vec![series("a", &[Some("0")])],
        vec![series("a", &[Some("0")]), series("b", &[Some("0")])],
        vec![
            series("a", &[Some("99999999.99")]),
            series("b", &[Some("99999999.99")]),
        ],
        vec![series("a", &[Some("-5")]), series("b", &[Some("-7.5")])],
        vec![
            series("a", &[Some("-5"), Some("3")]),
            series("b", &[Some("7")]),
        ],
        vec![series("a", &[Some("0.001"), Some("0.002")])],
        vec![series("a", &[Some("79228162514264337593543950335")])],
        vec![series(
            "a",
            &[
                Some("-79228162514264337593543950335"),
                Some("79228162514264337593543950335"),
            ],
        )],
    ];
    for (i, s) in cases.into_iter().enumerate() {
        let chart = Chart {
            id: format!("c{i}"),
            title: "测试".into(),
            unit: "万元".into(),
            kind: ChartKind::Grouped,
            categories: vec!["甲".into(), "乙".into()],
            series: s,
            blank: vec![],
        };
        for chart in all_kinds(&chart) {
            let svg = chart.to_svg();
            assert_safe(&svg);
            let _ = chart.summary();
            let table = chart.table();
            assert_eq!(table.rows.len(), 2);
        }
    }
}

#[test]
fn many_categories() {
    let n = 60;
    let chart = Chart {
        id: "rank".into(),
        title: "部门支出排名".into(),
        unit: "万元".into(),
        kind: ChartKind::Ranking,
        categories: (0..n)
            .map(|i| format!("某某市某某区人民政府某某事务管理办公室{i}"))
            .collect(),
        series: vec![Series {
            name: "支出".into(),
            values: (0..n)
                .map(|i| Some(Decimal::from(1000 * (n - i))))
                .collect(),
        }],
        blank: vec![],
    };
    for chart in all_kinds(&chart) {
        let svg = chart.to_svg();
        assert_safe(&svg);
        if chart.kind == ChartKind::Ranking {
            let h: i32 = svg
                .split(" height=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap()
                .parse()
                .unwrap();
            assert!(h >= 22 * n, "{h}");
            assert!(
                svg.contains(">某某市某某区人民政府某某事务管理…</text>"),
                "{svg}"
            );
        }
    }
}

#[test]
fn table_formatting() {
    let table = years().table();
    assert_eq!(table.header, vec!["", "预算", "实际"]);
    assert_eq!(
        table.rows,
        vec![
            vec!["2020年", "1,000.00", "980.10"],
            vec!["2021年", "1,100.50", "—"],
            vec!["2022年", "1,234.56", "1,200.00"],
        ]
    );
    let shares = Chart {
        kind: ChartKind::Shares,
        categories: vec!["收入".into(), "支出".into()],
        series: vec![
            series("财政拨款", &[Some("750"), Some("0")]),
            series("其他资金", &[Some("250"), None]),
        ],
        ..years()
    };
    assert_eq!(
        shares.table().rows,
        vec![
            vec!["收入", "750.00（75.00%）", "250.00（25.00%）"],
            vec!["支出", "0.00", "—"],
        ]
    );
}

#[test]
fn summaries() {
    assert_eq!(
        years().summary(),
        "2020年至2022年预算与实际支出（万元）。2022年预算最高，为 1,234.56 万元。"
    );
    let stacked = Chart {
        kind: ChartKind::Stacked,
        title: "支出构成".into(),
        series: vec![
            series("基本支出", &[Some("600"), Some("700"), Some("500")]),
            series("项目支出", &[Some("400"), Some("450"), None]),
        ],
        ..years()
    };
    assert_eq!(
        stacked.summary(),
        "支出构成（万元）。2021年合计最高，为 1,150.00 万元。"
    );
    let ranking = Chart {
        kind: ChartKind::Ranking,
        title: "部门支出".into(),
        categories: vec!["教育局".into(), "卫健委".into(), "财政局".into()],
        series: vec![series(
            "支出",
            &[Some("300"), Some("1234567.891"), Some("12")],
        )],
        ..years()
    };
    assert_eq!(
        ranking.summary(),
        "部门支出（万元）。共 3 项，卫健委最高，为 1,234,567.89 万元；财政局最低，为 12.00 万元。"
    );
    let tie = Chart {
        series: vec![series(
            "支出",
            &[Some("5"), Some("5"), Some("1"), Some("1")],
        )],
        categories: vec!["甲".into(), "乙".into(), "丙".into(), "丁".into()],
        ..ranking.clone()
    };
    assert_eq!(
        tie.summary(),
        "部门支出（万元）。共 4 项，甲最高，为 5.00 万元；丁最低，为 1.00 万元。"
    );
    let same = Chart {
        series: vec![series("支出", &[Some("286.41"), Some("286.41")])],
        categories: vec!["甲".into(), "乙".into()],
        ..ranking.clone()
    };
    assert_eq!(
        same.summary(),
        "部门支出（万元）。共 2 项，均为 286.41 万元。"
    );
    let percent = Chart {
        unit: "%".into(),
        title: "执行率".into(),
        series: vec![series("执行率", &[Some("98.5"), Some("99"), Some("97")])],
        ..years()
    };
    assert_eq!(percent.summary(), "执行率（%）。2021年最高，为 99.00%。");
}

#[test]
fn serializes_kind_snake_case() {
    assert_eq!(
        serde_json::to_string(&ChartKind::Ranking).unwrap(),
        "\"ranking\""
    );
}

#[test]
fn counts_print_without_decimals_and_money_with_two() {
    let chart = |unit: &str, v: &str| Chart {
        id: "c".into(),
        title: "t".into(),
        unit: unit.into(),
        kind: ChartKind::Grouped,
        categories: vec!["a".into()],
        series: vec![Series {
            name: "n".into(),
            values: vec![Some(d(v))],
        }],
        blank: vec![],
    };
    assert_eq!(chart("个", "19").table().rows[0][1], "19");
    assert_eq!(chart("万元", "19").table().rows[0][1], "19.00");
    assert_eq!(chart("个", "1.5").table().rows[0][1], "1.50");
}

mod legible;
mod rankings;
mod stacks;
