//! The layouts' promises to people reading a chart (issue 12): text size, labels that fit
//! and do not overlap at the narrowest width, a label or key entry for every segment, counts
//! in whole departments, blanks said as blanks.

use super::*;

#[test]
fn the_growth_histogram_counts_in_whole_departments() {
    let chart = growth();
    let drawn = texts(&chart.to_svg());
    // The bars' labels and the axis are whole numbers: "18", never "18.00" or "2.5".
    for n in ["1", "3", "9", "18", "6", "2"] {
        assert!(drawn.iter().any(|t| t == n), "{n} in {drawn:?}");
    }
    assert!(drawn.iter().all(|t| !t.contains('.')), "{drawn:?}");
    // The text alternative gives every band's count in 个, and no unit parenthesis for a count.
    assert_eq!(
        chart.summary(),
        "2022年各部门预算增长分布（部门数）。低于-30%：1 个；-30%～-10%：3 个；-10%～0：9 个；\
         0～10%：18 个；10%～30%：6 个；高于30%：2 个。"
    );
    // A band left blank says so; a band with no figure at all says —.
    let mut gaps = growth();
    gaps.series[0].values[1] = None;
    gaps.series[0].values[4] = None;
    gaps.blank = vec![(0, 1)];
    let said = gaps.summary();
    assert!(
        said.contains("-30%～-10%：未填；") && said.contains("10%～30%：—；"),
        "{said}"
    );
}

/// Category names stand under the plot, clear of the axis at zero.
#[test]
fn category_names_stand_under_the_axis() {
    for chart in [years(), structure()] {
        let scene = scene_of(&chart);
        let axis = scene
            .shapes
            .iter()
            .find_map(|s| match s {
                Shape::Line { y0, y1, colour, .. } if *colour == super::scene::AXIS && y0 == y1 => {
                    Some(*y0)
                }
                _ => None,
            })
            .expect("the zero axis");
        let boxes = text_boxes(&scene, MIN_WIDTH);
        for c in &chart.categories {
            let b = boxes
                .iter()
                .find(|b| &b.0 == c)
                .unwrap_or_else(|| panic!("{c} drawn"));
            assert!(
                b.3 >= f64::from(axis) + 4.0,
                "{}: {c} at {} over the axis at {axis}",
                chart.id,
                b.3
            );
        }
    }
}

#[test]
fn band_labels_are_never_broken_inside_a_number() {
    let drawn = texts(&growth().to_svg());
    // Each band is drawn whole or broken after its "～": "-30%～" and "-10%", never
    // "-30%～-" and "10%".
    let joined = drawn.concat();
    for band in &growth().categories {
        assert!(joined.contains(band.as_str()), "{band} in {drawn:?}");
    }
    // Drawn in order after the axis and the counts: each band whole, or in two lines broken
    // after its "～" or before its number.
    let labels = &drawn[drawn.iter().position(|t| t == "2").unwrap() + 1..];
    assert_eq!(
        labels,
        [
            "低于",
            "-30%",
            "-30%～",
            "-10%",
            "-10%～",
            "0",
            "0～10%",
            "10%～",
            "30%",
            "高于30%"
        ]
    );
}

#[test]
fn a_composition_is_said_in_percent_and_a_blank_is_not_zero() {
    let chart = composition();
    let summary = chart.summary();
    assert_eq!(
        summary,
        "2020年预算收支构成（%）。收入：财政拨款占 100.00%（286.41 万元），其他资金未填；\
         支出：基本支出占 93.58%（268.03 万元），项目支出占 6.42%（18.38 万元）。"
    );
    let table = chart.table();
    assert_eq!(
        table.rows[0],
        vec!["收入", "286.41（100.00%）", "未填", "—", "—"]
    );
    assert!(!table
        .rows
        .concat()
        .iter()
        .any(|c| c.contains("0.00（0.00%）")));
    let drawn = texts(&chart.to_svg());
    assert!(drawn.iter().any(|t| t == "其他资金 未填"), "{drawn:?}");
    // Only a blank is said to be unfilled: 支出 has no 财政拨款 or 其他资金 at all, and 收入 no
    // 基本支出.
    let unfilled: Vec<&String> = drawn.iter().filter(|t| t.ends_with(" 未填")).collect();
    assert_eq!(unfilled, ["其他资金 未填"], "{drawn:?}");
    assert!(
        !drawn.iter().any(|t| t == "0.0%" || t.contains(" 0.0%")),
        "{drawn:?}"
    );
}

#[test]
fn every_segment_is_labelled_in_its_bar_or_in_the_key_beside_it() {
    let drawn = texts(&composition().to_svg());
    // The big segments carry their share inside; the thin one (6.4 %) is named in the key.
    for label in ["100.0%", "93.6%"] {
        assert!(drawn.iter().any(|t| t == label), "{label} in {drawn:?}");
    }
    for label in ["财政拨款 100.0%", "基本支出 93.6%", "项目支出 6.4%"] {
        assert!(drawn.iter().any(|t| t == label), "{label} in {drawn:?}");
    }
    // In a stack, every segment at least 16 px tall holds its value: here all but 2020's
    // 9,000 项目.
    let scene = scene_of(&structure());
    let segments = scene
        .shapes
        .iter()
        .filter(|s| matches!(s, Shape::Rect { x0: X::Frac(_), .. }))
        .count();
    let inside = scene
        .shapes
        .iter()
        .filter(|s| matches!(s, Shape::Text { colour, .. } if *colour != super::scene::TEXT && *colour != super::scene::MUTED))
        .count();
    assert_eq!(segments, 10);
    assert!(inside >= 5, "{inside} of {segments} segments labelled");
}

/// Every kind over the fixtures: all text at 12 px or more, and at the narrowest width no
/// text outside the chart and no two texts overlapping.
#[test]
fn labels_are_legible_and_fit_at_the_narrowest_width() {
    let mut charts = vec![
        years(),
        growth(),
        composition(),
        structure(),
        long_key(),
        long_legend(),
        big_ranking(),
        ranking_of(
            &["示例区人力资源和社会保障局", "财政局"],
            &["-120.5", "-80"],
        ),
    ];
    charts.extend(all_kinds(&years()));
    charts.extend(all_kinds(&structure()));
    let mut ranking = years();
    ranking.kind = ChartKind::Ranking;
    ranking.categories = vec![
        "示例区人力资源和社会保障局".into(),
        "示例区教育局".into(),
        "财政局".into(),
    ];
    charts.push(ranking);
    // Seven years: every year is drawn ("2017" over "年" where the slot is narrow).
    let mut seven = years();
    seven.categories = (2017..=2023).map(|y| format!("{y}年")).collect();
    let values = [
        Some("1"),
        Some("2"),
        Some("3"),
        Some("4"),
        Some("5"),
        Some("6"),
        Some("7"),
    ];
    seven.series = vec![series("预算", &values), series("实际", &values)];
    let drawn = texts(&seven.to_svg()).concat();
    assert!(
        drawn.contains("2017年2018年2019年2020年2021年2022年2023年"),
        "{drawn}"
    );
    charts.push(seven);
    for chart in &charts {
        let scene = scene_of(chart);
        for width in [MIN_WIDTH, 700.0, 1120.0] {
            let boxes = text_boxes(&scene, width);
            for (t, l, r, top, bottom) in &boxes {
                assert!(
                    *l >= -0.5 && *r <= width + 0.5,
                    "{}: {t:?} {l}..{r} at {width}",
                    chart.id
                );
                assert!(
                    *top >= 0.0 && *bottom <= f64::from(scene.height),
                    "{}: {t:?}",
                    chart.id
                );
            }
            for (i, a) in boxes.iter().enumerate() {
                for b in &boxes[i + 1..] {
                    let apart = a.2 <= b.1 || b.2 <= a.1 || a.4 <= b.3 || b.4 <= a.3;
                    assert!(apart, "{} at {width}: {a:?} overlaps {b:?}", chart.id);
                }
            }
        }
        for s in &scene.shapes {
            if let Shape::Text { size, .. } = s {
                assert!(*size >= FS_SMALL);
            }
        }
    }
}

/// Too many long names for their slots even at 12 px on two lines: every k-th name is drawn,
/// k the fewest slots that hold the widest name, so the names drawn away from the chart's
/// edges are whole (only the first and last may be cut to their room to the edge).
#[test]
fn crowded_category_names_are_drawn_every_kth_and_whole() {
    let mut chart = years();
    chart.categories = (1..=24).map(|i| format!("第{i}项重点支出项目")).collect();
    let values: Vec<Option<&str>> = (0..24).map(|_| Some("5")).collect();
    chart.series = vec![series("预算", &values)];
    let drawn: Vec<String> = texts(&chart.to_svg())
        .into_iter()
        .filter(|t| t.starts_with('第'))
        .collect();
    assert!(drawn.len() >= 3, "{drawn:?}");
    assert!(drawn.len() < 24, "not every name fits: {drawn:?}");
    for label in &drawn[1..drawn.len() - 1] {
        assert!(
            chart.categories.contains(label),
            "{label:?} is cut: every k-th name is drawn in the room of k slots ({drawn:?})"
        );
    }
    // Evenly: the k-th, 2k-th, … names.
    let at: Vec<usize> = drawn
        .iter()
        .filter_map(|l| chart.categories.iter().position(|c| c == l))
        .collect();
    let steps: std::collections::BTreeSet<usize> = at.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(steps.len(), 1, "{drawn:?}");
}

/// A share row with nothing but blanks says so where its bar would be: the word centred on
/// the bar's middle, as far below the row's name as the bar of a row with figures.
#[test]
fn a_blank_share_row_says_so_where_its_bar_would_be() {
    let scene = scene_of(&long_key());
    let baseline_of = |word: &str| {
        scene
            .shapes
            .iter()
            .find_map(|s| match s {
                Shape::Text { text, baseline, .. } if text == word => Some(*baseline),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no {word:?}"))
    };
    let (name0, name1, word) = (
        baseline_of("收入"),
        baseline_of("上年收入"),
        baseline_of(BLANK),
    );
    let (y0, y1) = *bars(&scene).first().expect("the first row's bar");
    let middle = name1 + ((y0 + y1) / 2 - name0);
    let want = super::scene::centred(middle, FS_SMALL);
    assert_eq!(
        word, want,
        "{BLANK}'s baseline: centred on the bar's middle ({middle}) it is {want}"
    );
}

/// A legend too long for one line wraps: its items stand on more than one line, each line
/// starting at the left edge, every item inside the chart (the narrowest width).
#[test]
fn a_long_legend_wraps_onto_lines_of_its_own() {
    let chart = long_legend();
    let scene = scene_of(&chart);
    let names: Vec<String> = chart.series.iter().map(|s| s.name.clone()).collect();
    let boxes: Vec<_> = text_boxes(&scene, MIN_WIDTH)
        .into_iter()
        .filter(|b| names.contains(&b.0))
        .collect();
    assert_eq!(
        boxes.len(),
        names.len(),
        "every series in the legend: {boxes:?}"
    );
    let mut lines: Vec<f64> = boxes.iter().map(|b| b.3).collect();
    lines.dedup();
    assert!(lines.len() >= 2, "one line of legend: {boxes:?}");
    assert!(
        lines.windows(2).all(|w| (w[1] - w[0] - 20.0).abs() < 0.5),
        "lines 20 px apart, going down: {lines:?}"
    );
    for b in &boxes {
        assert!(b.2 <= MIN_WIDTH + 0.5, "{:?} past the right edge", b.0);
    }
}

/// A ranking draws its first series only: no legend, the other series only in the table.
#[test]
fn a_ranking_draws_its_first_series_only() {
    let mut ranking = years();
    ranking.kind = ChartKind::Ranking;
    let drawn = texts(&ranking.to_svg());
    assert!(
        !drawn.iter().any(|t| t == "实际" || t == "预算"),
        "a legend: {drawn:?}"
    );
    assert!(
        texts(&years().to_svg()).iter().any(|t| t == "实际"),
        "grouped bars have one"
    );
    assert_eq!(ranking.table().header.len(), 3, "both series in the table");
}

/// A negative part has no share of a composition: the summary gives its amount, the table
/// no percent, and the others' shares are of the non-negative total.
#[test]
fn a_negative_part_has_no_share() {
    let mut chart = composition();
    chart.series[1].values[0] = Some(d("-13.59"));
    let summary = chart.summary();
    assert!(summary.contains("其他资金为 "), "{summary}");
    assert!(!summary.contains("占 -"), "{summary}");
    assert!(summary.contains("财政拨款占 100.00%"), "{summary}");
    // Categories are rows, series columns: 收入's 其他资金.
    let table = chart.table();
    assert_eq!(table.header[2], "其他资金");
    assert_eq!(table.rows[0][2], "-13.59");
    assert_eq!(table.rows[0][1], "286.41（100.00%）");
}

/// A ranking's bars, left to right at the narrowest width, top to bottom.
fn ranking_bars(scene: &Scene) -> Vec<(f64, f64, i32, i32)> {
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
            } if *fill == super::scene::colour(0) => {
                let (a, b) = (x0.at(MIN_WIDTH), x1.at(MIN_WIDTH));
                Some((a.min(b), a.max(b), *y0, *y1))
            }
            _ => None,
        })
        .collect()
}

/// Short names stand left of their bars, right-aligned and clear of every bar and value
/// label; one long name puts every name above its bar, on a blank strip that covers it.
#[test]
fn a_ranking_names_its_bars_left_when_short_and_above_when_long() {
    let chart = big_ranking();
    let scene = scene_of(&chart);
    let boxes = text_boxes(&scene, MIN_WIDTH);
    let names: Vec<_> = boxes
        .iter()
        .filter(|b| chart.categories.contains(&b.0))
        .collect();
    assert_eq!(names.len(), 4);
    let right = names[0].2;
    assert!(
        names.iter().all(|b| (b.2 - right).abs() < 0.5),
        "right-aligned: {names:?}"
    );
    let others = boxes.iter().filter(|b| !chart.categories.contains(&b.0));
    let bars = ranking_bars(&scene);
    assert_eq!(bars.len(), 4);
    // The texts beside the bars: not the unit above them, not the axis below.
    let (rows_top, rows_bottom) = (f64::from(bars[0].2) - 6.0, f64::from(bars[3].3) + 6.0);
    let leftmost = others
        .filter(|b| b.3 >= rows_top && b.4 <= rows_bottom)
        .map(|b| b.1)
        .chain(bars.iter().map(|b| b.0))
        .fold(f64::MAX, f64::min);
    assert!(
        right + 4.0 <= leftmost,
        "names end at {right}, bars and labels start at {leftmost}"
    );

    let long = ranking_of(&["示例区人力资源和社会保障局", "财政局"], &["120", "80"]);
    let scene = scene_of(&long);
    for (name, l, r, top, bottom) in text_boxes(&scene, MIN_WIDTH) {
        if !long.categories.contains(&name) {
            continue;
        }
        assert!(l.abs() < 0.5, "{name} at the left edge: {l}");
        let strip = scene.shapes.iter().find_map(|s| match s {
            Shape::Rect {
                x0: X::Px(0),
                x1: X::Px(x1),
                y0,
                y1,
                fill,
            } if *fill == super::scene::BACKGROUND
                && f64::from(*y0) <= top
                && f64::from(*y1) >= bottom =>
            {
                Some((f64::from(*x1), *y0, *y1))
            }
            _ => None,
        });
        let (x1, y0, y1) = strip.unwrap_or_else(|| panic!("no strip under {name}"));
        assert!(
            x1 >= r && x1 <= r + 8.0,
            "{name}'s strip ends at {x1}, the name at {r}"
        );
        assert!(f64::from(y1) <= bottom + 6.0, "{name}'s strip runs to {y1}");
        assert!(top >= f64::from(y0), "{name} above its strip: {top} {y0}");
    }
}

/// Value labels: two decimals for amounts under 1,000, none from 1,000 on, none for counts.
#[test]
fn a_ranking_labels_values_by_their_size() {
    let texts_of = |chart: &Chart| texts(&chart.to_svg());
    let small = texts_of(&ranking_of(&["甲", "乙"], &["980.1", "35"]));
    assert!(
        small.contains(&"980.10".to_owned()) && small.contains(&"35.00".to_owned()),
        "{small:?}"
    );
    let big = texts_of(&big_ranking());
    assert!(
        big.contains(&"310,000".to_owned()) && big.contains(&"-45,001".to_owned()),
        "{big:?}"
    );
    let mut counts = ranking_of(&["甲", "乙"], &["3", "5"]);
    counts.unit = "个".into();
    let counts = texts_of(&counts);
    assert!(
        counts.contains(&"3".to_owned()) && counts.contains(&"5".to_owned()),
        "{counts:?}"
    );
}

/// The value axis stands under the bars with as many ticks as fit at the narrowest width
/// (here three or more), its labels apart.
#[test]
fn a_ranking_has_its_value_axis_under_the_bars() {
    let chart = ranking_of(&["甲", "乙", "丙"], &["980.1", "35", "420"]);
    let scene = scene_of(&chart);
    let bars = ranking_bars(&scene);
    let last_bar = bars.iter().map(|b| b.3).max().unwrap();
    let grid: Vec<(f64, i32)> = scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Line { x0, y1, colour, .. } if *colour == super::scene::GRID => {
                Some((x0.at(MIN_WIDTH), *y1))
            }
            _ => None,
        })
        .collect();
    let grid_end = grid.iter().map(|g| g.1).max().unwrap_or(0);
    assert!(grid.len() >= 3, "ticks: {grid:?}");
    let labels: Vec<_> = text_boxes(&scene, MIN_WIDTH)
        .into_iter()
        .filter(|b| b.3 >= f64::from(last_bar))
        .collect();
    assert_eq!(
        labels.len(),
        grid.len(),
        "a label under every tick: {labels:?}"
    );
    for w in labels.windows(2) {
        assert!(w[1].1 >= w[0].2 + 4.0, "tick labels apart: {w:?}");
    }
    for l in &labels {
        assert!(
            l.3 >= f64::from(grid_end),
            "{l:?} over the grid's end ({grid_end})"
        );
    }
}

/// A ranking's rows: bars of one thickness at one pitch (24 px with the names beside them,
/// 36 px with the names above), each bar level with its name or under its name's strip, and
/// the grid from the first row's top to just under the last bar.
#[test]
fn a_rankings_rows_are_evenly_pitched_with_each_bar_by_its_name() {
    let grid_of = |scene: &Scene| -> (i32, i32) {
        scene
            .shapes
            .iter()
            .find_map(|s| match s {
                Shape::Line { y0, y1, colour, .. } if *colour == super::scene::GRID => {
                    Some((*y0, *y1))
                }
                _ => None,
            })
            .expect("a grid line")
    };
    for (chart, pitch) in [
        (big_ranking(), 24),
        (
            ranking_of(
                &["示例区人力资源和社会保障局", "财政局", "教育局"],
                &["120", "80", "7"],
            ),
            36,
        ),
    ] {
        let scene = scene_of(&chart);
        let bars = ranking_bars(&scene);
        assert_eq!(bars.len(), chart.categories.len());
        for b in &bars {
            assert_eq!(b.3 - b.2, 14, "{}: a bar {b:?}", chart.id);
        }
        for w in bars.windows(2) {
            assert_eq!(w[1].2 - w[0].2, pitch, "{}: pitch {w:?}", chart.id);
        }
        let boxes = text_boxes(&scene, MIN_WIDTH);
        for (name, bar) in chart.categories.iter().zip(&bars) {
            let b = boxes.iter().find(|b| &b.0 == name).expect("the name");
            let (mid_name, mid_bar) = ((b.3 + b.4) / 2.0, f64::from(bar.2 + bar.3) / 2.0);
            if pitch == 24 {
                assert!(
                    (mid_name - mid_bar).abs() <= 3.0,
                    "{name} beside its bar: {b:?} {bar:?}"
                );
            } else {
                assert!(
                    b.4 <= f64::from(bar.2) && b.3 >= f64::from(bar.2 - pitch),
                    "{name} above its bar: {b:?} {bar:?}"
                );
            }
        }
        let (top, bottom) = grid_of(&scene);
        let caption = boxes
            .iter()
            .find(|b| b.0.starts_with("单位："))
            .expect("the unit");
        assert!(
            f64::from(top) >= caption.4 + 4.0 && f64::from(top) <= caption.4 + 12.0,
            "{}: rows from {top}, under {caption:?}",
            chart.id
        );
        if pitch == 24 {
            assert_eq!(
                bars[0].2 - top,
                5,
                "{}: the bar centred in its row",
                chart.id
            );
        }
        let last = bars.last().unwrap().3;
        assert!(
            top <= bars[0].2 && bottom >= last && bottom - last <= 10,
            "{}: grid {top}..{bottom}, bars to {last}",
            chart.id
        );
    }
}

/// Each value's label stands just past its bar's end: right of a positive bar, left of a
/// negative one; the chart ends a padding below its lowest text.
#[test]
fn a_rankings_values_stand_past_their_bars_ends() {
    let chart = big_ranking();
    let scene = scene_of(&chart);
    let bars = ranking_bars(&scene);
    let boxes = text_boxes(&scene, MIN_WIDTH);
    let zero = scene
        .shapes
        .iter()
        .find_map(|s| match s {
            Shape::Line { x0, colour, .. } if *colour == super::scene::AXIS => {
                Some(x0.at(MIN_WIDTH))
            }
            _ => None,
        })
        .expect("the zero line");
    for (v, bar) in chart.series[0].values.iter().zip(&bars) {
        let v = v.expect("a value");
        let label = super::fmt_decimal(v, 0);
        // The label level with its bar (an axis tick may print the same number).
        let level = |b: &&(String, f64, f64, f64, f64)| {
            let mid = (b.3 + b.4) / 2.0;
            mid >= f64::from(bar.2) && mid <= f64::from(bar.3)
        };
        let b = boxes
            .iter()
            .filter(level)
            .find(|b| b.0 == label)
            .unwrap_or_else(|| panic!("no {label} beside its bar"));
        if v.is_sign_negative() {
            assert!((bar.1 - zero).abs() < 0.5, "{label}'s bar ends at zero");
            let gap = bar.0 - b.2;
            assert!(
                (2.0..=6.0).contains(&gap),
                "{label} left of its bar: {b:?} {bar:?}"
            );
        } else {
            assert!((bar.0 - zero).abs() < 0.5, "{label}'s bar starts at zero");
            let gap = b.1 - bar.1;
            assert!(
                (2.0..=6.0).contains(&gap),
                "{label} right of its bar: {b:?} {bar:?}"
            );
        }
    }
    let lowest = boxes.iter().map(|b| b.4).fold(0.0, f64::max);
    let below = f64::from(scene.height) - lowest;
    assert!(
        (0.0..=f64::from(super::scene::PAD) + 8.0).contains(&below),
        "{below} px under the lowest text"
    );
}

/// A share bar: its segments side by side with a white seam between neighbours (none at its
/// left end), each seam as tall as the bar; a share's label inside its segment where it fits
/// with room, level with the bar; the next category's name under the key; the chart ending at
/// least a padding under its last text.
#[test]
fn a_share_bars_segments_are_seamed_and_labelled_inside() {
    let chart = Chart {
        id: "chart-seams".into(),
        title: "收入构成".into(),
        unit: "万元".into(),
        kind: ChartKind::Shares,
        categories: vec!["收入".into(), "上年收入".into()],
        series: vec![
            series("财政拨款", &[Some("70"), Some("1")]),
            series("事业收入", &[Some("20"), None]),
            series("其他收入", &[Some("10"), None]),
        ],
        blank: vec![],
    };
    let scene = scene_of(&chart);
    let segments: Vec<(f64, f64, i32, i32)> = scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Rect {
                x0: X::Frac(a),
                x1: X::Frac(b),
                y0,
                y1,
                ..
            } if *y0 < 60 => Some((*a, *b, *y0, *y1)),
            _ => None,
        })
        .collect();
    assert_eq!(segments.len(), 3, "{segments:?}");
    let (y0, y1) = (segments[0].2, segments[0].3);
    let seams: Vec<(f64, i32, i32)> = scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Line {
                x0: X::Frac(x),
                y0,
                y1,
                colour,
                ..
            } if *colour == super::scene::BACKGROUND => Some((*x, *y0, *y1)),
            _ => None,
        })
        .collect();
    assert_eq!(seams.len(), 2, "a seam between neighbours only: {seams:?}");
    for (seam, seg) in seams.iter().zip(&segments[1..]) {
        assert!((seam.0 - seg.0).abs() < 1e-9, "{seam:?} at {seg:?}'s start");
        assert_eq!((seam.1, seam.2), (y0, y1), "as tall as the bar");
    }
    let boxes = text_boxes(&scene, MIN_WIDTH);
    for (label, seg) in [("70.0%", segments[0]), ("20.0%", segments[1])] {
        let b = boxes
            .iter()
            .find(|b| b.0 == label && b.3 < f64::from(y1))
            .unwrap_or_else(|| panic!("{label} not inside its segment: {boxes:?}"));
        assert!(
            b.1 >= seg.0 * MIN_WIDTH && b.2 <= seg.1 * MIN_WIDTH,
            "{b:?} in {seg:?}"
        );
        assert!(
            b.3 >= f64::from(y0) - 1.0 && b.4 <= f64::from(y1) + 1.0,
            "{b:?} level with the bar {y0}..{y1}"
        );
    }
    let second = boxes
        .iter()
        .find(|b| b.0 == "上年收入")
        .expect("the second category");
    // The first category's key: its last line is the lowest text above the second's name.
    let first_key_bottom = boxes
        .iter()
        .filter(|b| b.4 <= second.3)
        .map(|b| b.4)
        .fold(0.0, f64::max);
    assert!(
        second.3 >= first_key_bottom + 6.0,
        "{second:?} under the first key ({first_key_bottom})"
    );
    assert!(
        second.3 <= first_key_bottom + 20.0,
        "{second:?} far under the first key ({first_key_bottom})"
    );
    // The key starts just under its bar.
    let key_top = boxes
        .iter()
        .filter(|b| b.0.starts_with("财政拨款 "))
        .map(|b| b.3)
        .fold(f64::MAX, f64::min);
    let gap = key_top - f64::from(y1);
    assert!(
        (2.0..=12.0).contains(&gap),
        "the key {gap} px under its bar"
    );
    let lowest = boxes.iter().map(|b| b.4).fold(0.0, f64::max);
    let below = f64::from(scene.height) - lowest;
    assert!(
        (f64::from(super::scene::PAD)..=f64::from(super::scene::PAD) + 8.0).contains(&below),
        "{below} px under the lowest text"
    );
}

/// A share key packs its lines: items 16 px apart (a 12 px swatch, 5 px, the text), and an
/// item starts a new line only when it would cross the right edge of the narrowest chart.
#[test]
fn a_share_key_wraps_only_what_does_not_fit() {
    let chart = long_key();
    let scene = scene_of(&chart);
    let names: Vec<String> = chart.series.iter().map(|s| s.name.clone()).collect();
    // The first category's key items, in drawing order: (left of swatch, right of text, top),
    // above the second category's name.
    let boxes = text_boxes(&scene, MIN_WIDTH);
    let second = boxes
        .iter()
        .find(|b| b.0 == chart.categories[1])
        .map(|b| b.3)
        .expect("the second category's name");
    let items: Vec<(f64, f64, f64)> = boxes
        .iter()
        .filter(|b| b.3 < second && names.iter().any(|n| b.0.starts_with(&format!("{n} "))))
        .map(|b| (b.1 - 17.0, b.2, b.3))
        .collect();
    assert!(items.len() >= 3, "{items:?}");
    let mut lines = 1;
    for w in items.windows(2) {
        let (prev, item) = (w[0], w[1]);
        let width = item.1 - item.0;
        if (item.2 - prev.2).abs() < 0.5 {
            assert!(
                (item.0 - (prev.1 + 16.0)).abs() <= 1.0,
                "16 px apart: {prev:?} {item:?}"
            );
        } else {
            lines += 1;
            assert!(
                item.0.abs() < 0.5,
                "a line starts at the left edge: {item:?}"
            );
            assert!(
                (item.2 - prev.2 - 22.0).abs() < 0.5,
                "the next line 22 px down: {prev:?} {item:?}"
            );
            assert!(
                prev.1 + 16.0 + width > MIN_WIDTH,
                "{item:?} would have fit after {prev:?}"
            );
        }
        assert!(item.1 <= MIN_WIDTH + 0.5, "{item:?} past the edge");
    }
    assert!(lines >= 2, "the key wraps: {items:?}");
    // Each item's swatch: 12 px square at its left, level with its text.
    for item in &items {
        let swatch = scene.shapes.iter().find_map(|s| match s {
            Shape::Rect {
                x0: X::Px(a),
                x1: X::Px(b),
                y0,
                y1,
                ..
            } if (f64::from(*a) - item.0).abs() < 0.5
                && f64::from(*y0) >= item.2 - super::scene::FS
                && f64::from(*y0) <= item.2 + super::scene::FS =>
            {
                Some((*b - *a, *y0, *y1))
            }
            _ => None,
        });
        let (w, y0, y1) = swatch.unwrap_or_else(|| panic!("no swatch at {item:?}"));
        assert_eq!((w, y1 - y0), (12, 12), "{item:?}");
        let (top, bottom) = (item.2, item.2 + super::scene::FS);
        assert!(
            f64::from(y0) >= top - 2.0 && f64::from(y1) <= bottom + 2.0,
            "{item:?}: {y0}..{y1}"
        );
    }
}
