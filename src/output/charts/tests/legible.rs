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
        let axis = zero_line(&scene);
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

/// From one to forty categories of long names: each name drawn stands centred under its
/// slot, inside the chart with 2 px to spare, at least 4 px clear of the next; a name on two
/// lines has its second line one line pitch (1.3 em) under the first; only the first and the
/// last name drawn may be cut (to their room to the chart's edge).
#[test]
fn category_names_stand_centred_under_their_slots_clear_of_each_other_and_the_edges() {
    let (mut wrapped, mut skipped) = (0, 0);
    for n in 1..=40 {
        let mut chart = years();
        chart.categories = (1..=n).map(|i| format!("第{i}项重点支出项目")).collect();
        let values: Vec<Option<&str>> = (0..n).map(|_| Some("5")).collect();
        chart.series = vec![series("预算", &values)];
        let scene = scene_of(&chart);
        let centres: Vec<f64> = drawn_bars(&scene)
            .iter()
            .map(|b| (b.0 + b.1) / 2.0)
            .collect();
        assert_eq!(centres.len(), n);
        let names: Vec<_> = text_boxes(&scene, MIN_WIDTH)
            .into_iter()
            .filter(|b| b.3 > f64::from(zero_line(&scene)))
            .collect();
        // (slot, lines drawn under it)
        let mut under: Vec<(usize, Vec<&TextBox>)> = Vec::new();
        for b in &names {
            let mid = (b.1 + b.2) / 2.0;
            let slot = centres
                .iter()
                .position(|c| (c - mid).abs() < 0.01)
                .unwrap_or_else(|| panic!("{n} categories: {b:?} centred on no slot {centres:?}"));
            assert!(
                b.1 >= 2.0 - 1e-9 && b.2 <= MIN_WIDTH - 2.0 + 1e-9,
                "{n} categories: {b:?} inside the chart with 2 px to spare"
            );
            match under.last_mut() {
                Some((s, lines)) if *s == slot => lines.push(b),
                _ => under.push((slot, vec![b])),
            }
        }
        for pair in under.windows(2) {
            let right = pair[0].1.iter().map(|b| b.2).fold(f64::MIN, f64::max);
            let left = pair[1].1.iter().map(|b| b.1).fold(f64::MAX, f64::min);
            assert!(
                left - right >= 4.0 - 1e-9,
                "{n} categories: {pair:?} 4 px apart"
            );
        }
        for (i, (slot, lines)) in under.iter().enumerate() {
            if lines.len() == 2 {
                wrapped += 1;
                let size = lines[0].4 - lines[0].3;
                assert!(
                    (lines[1].3 - lines[0].3 - (size * 1.3).round()).abs() < 1e-9,
                    "{n} categories: {lines:?} one pitch apart"
                );
                assert_eq!(
                    format!("{}{}", lines[0].0, lines[1].0),
                    chart.categories[*slot],
                    "{n} categories: the two lines make the name"
                );
            } else if i > 0 && i + 1 < under.len() {
                assert_eq!(
                    lines[0].0, chart.categories[*slot],
                    "{n} categories: a name between the first and last is whole"
                );
            }
        }
        if under.len() < n {
            skipped += 1;
        }
        // The chart ends a line pitch under the last line's top and its padding under that:
        // between 0.2 and 0.5 em of the line's pitch left under the lowest name, then PAD.
        let space = space_under_lowest_text(&scene) - f64::from(super::scene::PAD);
        assert!(
            (2.0..=6.0).contains(&space),
            "{n} categories: {space} px under the names before the padding"
        );
    }
    assert!(
        wrapped > 0 && skipped > 0,
        "{wrapped} wrapped, {skipped} crowded"
    );
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
    let below = space_under_lowest_text(&scene);
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

/// A stacked chart's text alternative names the category with the largest total, the first
/// of equal ones, as 合计最高 over several series and 最高 over one.
#[test]
fn a_stacked_summary_names_the_first_largest_total() {
    let mut chart = structure();
    chart.categories.truncate(2);
    chart.series[0].values = vec![Some(d("300")), Some(d("200"))];
    chart.series[1].values = vec![Some(d("100")), Some(d("200"))];
    let said = chart.summary();
    assert!(said.contains("2018年合计最高，为 400"), "{said}");
    chart.series.truncate(1);
    chart.series[0].values = vec![Some(d("250")), Some(d("250"))];
    let said = chart.summary();
    assert!(
        said.contains("2018年最高，为 250") && !said.contains("合计"),
        "{said}"
    );
}

/// Grouped bars with a negative value: each value labelled with two decimals where they fit,
/// a negative one just under its bar's end, and the category names under that label.
#[test]
fn a_negative_bars_label_hangs_under_it_above_the_names() {
    let mut chart = years();
    chart.series = vec![series("预算", &[Some("12.5"), Some("-3.25"), Some("8")])];
    let scene = scene_of(&chart);
    let boxes = text_boxes(&scene, MIN_WIDTH);
    for label in ["12.50", "-3.25", "8.00"] {
        assert!(boxes.iter().any(|b| b.0 == label), "{label} in {boxes:?}");
    }
    let bars: Vec<(f64, f64, i32, i32)> = scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Rect {
                x0: X::Frac(a),
                x1: X::Frac(b),
                y0,
                y1,
                ..
            } => Some((*a, *b, *y0, *y1)),
            _ => None,
        })
        .collect();
    let negative = boxes.iter().find(|b| b.0 == "-3.25").unwrap();
    let bar = bars
        .iter()
        .find(|r| {
            let mid = (negative.1 + negative.2) / 2.0;
            mid >= r.0 * MIN_WIDTH && mid <= r.1 * MIN_WIDTH
        })
        .expect("the negative bar");
    let gap = negative.3 - f64::from(bar.3);
    assert!(
        (0.0..=6.0).contains(&gap),
        "{negative:?} {gap} px under its bar {bar:?}"
    );
    for c in &chart.categories {
        let name = boxes.iter().find(|b| &b.0 == c).unwrap();
        assert!(
            name.3 >= negative.4,
            "{c} {name:?} under the label {negative:?}"
        );
    }
}
