//! The bars' geometry and their value labels' room: a stack's segments centred in their slot
//! and seamed one pixel apart, its total above (or under, all negative) when it has several
//! segments, and every value label inside the room it was measured against.

use super::*;

fn stacked(categories: &[&str], series_values: &[(&str, &[Option<&str>])]) -> Chart {
    Chart {
        id: "chart-stacks".into(),
        title: "预算支出结构".into(),
        unit: "万元".into(),
        kind: ChartKind::Stacked,
        categories: categories.iter().map(|c| c.to_string()).collect(),
        series: series_values
            .iter()
            .map(|(name, values)| series(name, values))
            .collect(),
        blank: vec![],
    }
}

/// Each stack stands centred in its slot, 0.6 of it wide, the slots filling the plot to its
/// right edge; its first segment starts on the zero line and each next one a pixel of white
/// further out (up for positive parts, down for negative ones) when it is taller than 3 px —
/// a thinner one is drawn whole, without the gap.
#[test]
fn a_stacks_segments_are_centred_in_their_slot_and_seamed_one_pixel_apart() {
    let small: Vec<String> = (2..=9).map(|k| format!("{}", k * 3)).collect();
    let mut categories = vec!["甲", "乙", "丙"];
    let names: Vec<String> = (1..=8).map(|k| format!("小{k}")).collect();
    categories.extend(names.iter().map(String::as_str));
    let mut first = vec![Some("300"), Some("-200"), Some("250")];
    let mut second = vec![Some("150"), Some("-120"), Some("-100")];
    first.extend(small.iter().map(|_| Some("100")));
    second.extend(small.iter().map(|v| Some(v.as_str())));
    let chart = stacked(&categories, &[("基本支出", &first), ("项目支出", &second)]);
    let scene = scene_of(&chart);
    let bars = drawn_bars(&scene);
    assert_eq!(bars.len(), 2 * categories.len(), "{bars:?}");
    let zero = zero_line(&scene);

    let centres: Vec<f64> = bars
        .chunks(2)
        .map(|pair| (pair[0].0 + pair[0].1) / 2.0)
        .collect();
    let slot = centres[1] - centres[0];
    for (c, pair) in bars.chunks(2).enumerate() {
        for bar in pair {
            assert!(
                ((bar.0 + bar.1) / 2.0 - (centres[0] + slot * c as f64)).abs() < 0.01,
                "category {c}'s bar {bar:?} centred in its slot of {slot} px"
            );
            assert!(
                (bar.1 - bar.0 - 0.6 * slot).abs() < 0.01,
                "category {c}'s bar {bar:?} 0.6 of its slot of {slot} px wide"
            );
        }
    }
    assert!(
        (centres[centres.len() - 1] + slot / 2.0 - MIN_WIDTH).abs() < 0.01,
        "the last slot ends at the chart's right edge: {centres:?}"
    );

    let mut thin = 0;
    for (c, pair) in bars.chunks(2).enumerate() {
        let (first, second) = (pair[0], pair[1]);
        let up = chart.series[0].values[c].unwrap().is_sign_positive();
        let second_up = chart.series[1].values[c].unwrap().is_sign_positive();
        if up {
            assert_eq!(first.3, zero, "category {c}: {first:?} stands on zero");
        } else {
            assert_eq!(first.2, zero, "category {c}: {first:?} hangs from zero");
        }
        if up != second_up {
            // The negative part of a mixed stack starts from zero too.
            assert_eq!(second.2, zero, "category {c}: {second:?} hangs from zero");
            continue;
        }
        // Where the second segment starts without a seam, and its height from there.
        let (start, drawn_from, end) = if up {
            (first.2, second.3, second.2)
        } else {
            (first.3, second.2, second.3)
        };
        let height = (end - start).abs();
        let gap = (start - drawn_from).abs();
        let expected = if height > 3 { 1 } else { 0 };
        assert_eq!(
            gap, expected,
            "category {c}: a segment {height} px tall seamed by {gap} px ({first:?} {second:?})"
        );
        assert!(
            if up {
                drawn_from <= start
            } else {
                drawn_from >= start
            },
            "category {c}: the seam lies inside the second segment ({first:?} {second:?})"
        );
        if height <= 3 {
            thin += 1;
        }
    }
    assert!(
        (1..8).contains(&thin),
        "some segments of 3 px or less, not all: {thin}"
    );
}

/// A stack of several segments has its total above it (under it when the stack is all
/// negative), centred on its slot; a stack of one segment has none — its one label says it.
#[test]
fn a_stack_of_several_segments_is_totalled_beyond_its_end_and_of_one_not() {
    let chart = stacked(
        &["两段", "一段", "正负", "全负"],
        &[
            (
                "基本支出",
                &[Some("100"), Some("80"), Some("100"), Some("-30")],
            ),
            ("项目支出", &[Some("50"), None, Some("-40"), Some("-20")]),
        ],
    );
    let scene = scene_of(&chart);
    let bars = drawn_bars(&scene);
    assert_eq!(bars.len(), 7, "{bars:?}");
    let boxes = text_boxes(&scene, MIN_WIDTH);
    let stacks: [&[(f64, f64, i32, i32)]; 4] = [&bars[0..2], &bars[2..3], &bars[3..5], &bars[5..7]];
    let beyond = |stack: &[(f64, f64, i32, i32)], up: bool| -> Vec<String> {
        let (left, right) = (stack[0].0, stack[0].1);
        let top = stack.iter().map(|b| b.2).min().unwrap();
        let bottom = stack.iter().map(|b| b.3).max().unwrap();
        boxes
            .iter()
            .filter(|b| {
                let mid = (b.1 + b.2) / 2.0;
                let level = if up {
                    (0.0..=6.0).contains(&(f64::from(top) - b.4))
                } else {
                    (0.0..=6.0).contains(&(b.3 - f64::from(bottom)))
                };
                (mid - (left + right) / 2.0).abs() < 0.01 && level
            })
            .map(|b| b.0.clone())
            .collect()
    };
    assert_eq!(beyond(stacks[0], true), ["150.00"], "{boxes:?}");
    assert_eq!(
        beyond(stacks[1], true),
        Vec::<String>::new(),
        "one segment, no total: {boxes:?}"
    );
    assert_eq!(
        beyond(stacks[2], true),
        ["60.00"],
        "a mixed stack's total stands above its positive part: {boxes:?}"
    );
    assert_eq!(
        beyond(stacks[3], false),
        ["-50.00"],
        "an all-negative stack's total hangs under it: {boxes:?}"
    );
    assert_eq!(
        beyond(stacks[3], true),
        Vec::<String>::new(),
        "nothing above an all-negative stack: {boxes:?}"
    );
}

/// Values from 1 to 6 digits before the point over 1 to 12 categories: every label inside a
/// segment lies inside it with 2 px to spare each side, every total inside its slot with 2 px
/// to spare, and both kinds are drawn somewhere (the loop reaches the edge of fitting).
#[test]
fn stacked_labels_keep_inside_their_segments_and_totals_inside_their_slots() {
    let (mut inside, mut totals) = (0, 0);
    for n in 1..=12 {
        for digits in 1..=6 {
            let value = format!("{}.25", "7".repeat(digits));
            let names: Vec<String> = (0..n).map(|c| format!("{c}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let values = vec![Some(value.as_str()); n];
            let chart = stacked(&names, &[("甲", &values), ("乙", &values)]);
            let scene = scene_of(&chart);
            let bars = drawn_bars(&scene);
            let slot = if n > 1 {
                (bars[2].0 + bars[2].1 - bars[0].0 - bars[0].1) / 2.0
            } else {
                (bars[0].1 - bars[0].0) / 0.6
            };
            for b in text_boxes(&scene, MIN_WIDTH) {
                let mid_y = (b.3 + b.4) / 2.0;
                let mid_x = (b.1 + b.2) / 2.0;
                if let Some(bar) = bars.iter().find(|r| {
                    mid_x > r.0 && mid_x < r.1 && mid_y > f64::from(r.2) && mid_y < f64::from(r.3)
                }) {
                    inside += 1;
                    assert!(
                        b.1 >= bar.0 + 2.0 - 1e-9 && b.2 <= bar.1 - 2.0 + 1e-9,
                        "{n} categories: {b:?} inside {bar:?} with 2 px each side"
                    );
                } else if let Some(bar) = bars
                    .chunks(2)
                    .map(|p| p[1])
                    .find(|r| (mid_x - (r.0 + r.1) / 2.0).abs() < 0.01 && b.4 <= f64::from(r.2))
                {
                    totals += 1;
                    let centre = (bar.0 + bar.1) / 2.0;
                    assert!(
                        b.1 >= centre - slot / 2.0 + 2.0 - 1e-9
                            && b.2 <= centre + slot / 2.0 - 2.0 + 1e-9,
                        "{n} categories: the total {b:?} inside its slot of {slot} px"
                    );
                }
            }
        }
    }
    assert!(inside > 0 && totals > 0, "{inside} inside, {totals} totals");
}

/// Grouped bars of two series: every value label above a bar lies over it with a pixel to
/// spare each side, so neighbours' labels never touch.
#[test]
fn grouped_labels_keep_over_their_bars() {
    let mut drawn = 0;
    for n in 1..=8 {
        for digits in 1..=6 {
            let value = format!("{}.25", "7".repeat(digits));
            let names: Vec<String> = (0..n).map(|c| format!("{c}")).collect();
            let values = vec![Some(value.as_str()); n];
            let mut chart = stacked(
                &names.iter().map(String::as_str).collect::<Vec<_>>(),
                &[("预算", &values), ("实际", &values)],
            );
            chart.kind = ChartKind::Grouped;
            let scene = scene_of(&chart);
            let bars = drawn_bars(&scene);
            for b in text_boxes(&scene, MIN_WIDTH) {
                let mid_x = (b.1 + b.2) / 2.0;
                let Some(bar) = bars
                    .iter()
                    .find(|r| (mid_x - (r.0 + r.1) / 2.0).abs() < 0.01 && b.4 <= f64::from(r.2))
                else {
                    continue;
                };
                drawn += 1;
                assert!(
                    b.1 >= bar.0 + 1.0 - 1e-9 && b.2 <= bar.1 - 1.0 + 1e-9,
                    "{n} categories: {b:?} over {bar:?} with a pixel each side"
                );
            }
        }
    }
    assert!(drawn > 0);
}
