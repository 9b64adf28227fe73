//! The ranking's layout (district pages' department rankings): names beside or above their
//! bars, value labels by size and on the bar's outer end, the value axis under the rows, rows
//! at one pitch with each bar centred by its name, one series drawn.

use super::*;

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

/// A ranking's bars, left to right at the narrowest width, top to bottom.
fn ranking_bars(scene: &Scene) -> Vec<(f64, f64, i32, i32)> {
    frac_rects(scene, |fill| *fill == super::scene::colour(0))
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
    let below = space_under_lowest_text(&scene);
    assert!(
        (0.0..=f64::from(super::scene::PAD) + 8.0).contains(&below),
        "{below} px under the lowest text"
    );
}
