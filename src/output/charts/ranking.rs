//! The layout of a ranking: one horizontal bar per category, top to bottom in the given order,
//! each named (left of its bar when the names are short enough, above it otherwise) and
//! labelled with its value at the bar's end, over a value axis.

use rust_decimal::Decimal;

use super::axis::{Axis, Scale};
use super::scene::{
    below, centred, colour, Anchor, Ink, Scene, AXIS, BACKGROUND, FS, FS_SMALL, GRID, MIN_WIDTH,
    MUTED, PAD, TEXT, X,
};
use super::text::{clean, text_width, truncate};
use super::{fmt_decimal, Chart, MAX_LABEL_CHARS};

/// Row pitch and bar thickness with the name left of the bar.
const ROW: i32 = 24;
const BAR: i32 = 14;
/// Names wider than this share of the narrowest width go above their bar instead.
const NAME_LEFT_MAX: f64 = 0.42;

/// Names of the rows, cut to [`MAX_LABEL_CHARS`], the widest one's width, and whether they fit
/// left of the bars.
pub(super) fn row_names(chart: &Chart) -> (Vec<String>, f64, bool) {
    let names: Vec<String> = (0..chart.categories.len())
        .map(|c| truncate(&chart.category(c), MAX_LABEL_CHARS))
        .collect();
    let widest = names.iter().map(|n| text_width(n, FS)).fold(0.0, f64::max);
    (names, widest, widest <= NAME_LEFT_MAX * MIN_WIDTH)
}

/// A row's name: right-aligned left of the bar at `name_col`, or above it over a blanked
/// strip of the grid.
fn row_name(scene: &mut Scene, name: &str, name_col: Option<f64>, y: i32, mid: i32) {
    match name_col {
        Some(col) => {
            let baseline = centred(mid, FS);
            scene.text(name, X::Frac(col), -8, baseline, Ink(FS, TEXT, Anchor::End));
        }
        None => {
            let w = text_width(name, FS).ceil() as i32;
            scene.rect(X::Px(0), X::Px(w + 4), y, y + 17, BACKGROUND);
            scene.text(
                name,
                X::Px(0),
                0,
                below(y + 1, FS),
                Ink(FS, TEXT, Anchor::Start),
            );
        }
    }
}

/// The decimals of the value labels: none for counts and for amounts of 1,000 and more.
fn decimals(chart: &Chart) -> u32 {
    let largest = chart
        .values()
        .map(|(_, _, v)| v.abs())
        .fold(Decimal::ZERO, Decimal::max);
    if chart.is_count() || largest >= Decimal::from(1000) {
        0
    } else {
        2
    }
}

/// The axis with the most ticks (up to 5 intervals) whose labels do not touch at the
/// narrowest width, for a plot from `x0` to `x1` (fractions).
fn fitting_axis(chart: &Chart, lo: Decimal, hi: Decimal, x0: f64, x1: f64) -> Axis {
    for target in (2..=5).rev() {
        let candidate = Axis::new(lo, hi, target, chart.is_count());
        let widest = candidate
            .labels()
            .iter()
            .map(|l| text_width(l, FS_SMALL))
            .fold(0.0, f64::max);
        let scale = candidate.scale(x0 * MIN_WIDTH, x1 * MIN_WIDTH);
        let fits = candidate
            .ticks
            .windows(2)
            .all(|w| scale.at(w[1]) - scale.at(w[0]) >= widest + 8.0);
        if fits {
            return candidate;
        }
    }
    Axis::new(lo, hi, 1, chart.is_count())
}

/// Horizontal value axis under the rows: grid lines from `top` to `bottom`, labels below.
pub(super) fn horizontal_axis(scene: &mut Scene, axis: &Axis, scale: Scale, top: i32, bottom: i32) {
    for (t, label) in axis.ticks.iter().zip(axis.labels()) {
        let x = X::Frac(scale.at(*t));
        scene.vline(x, top, bottom, GRID, 1.0);
        let baseline = below(bottom + 4, FS_SMALL);
        scene.text(&label, x, 0, baseline, Ink(FS_SMALL, MUTED, Anchor::Middle));
    }
}

pub(super) fn layout(chart: &Chart) -> Scene {
    let mut scene = Scene::default();
    let (names, widest, names_left) = row_names(chart);
    let dp = decimals(chart);
    let (mut lo, mut hi, mut pos_w, mut neg_w) = (Decimal::ZERO, Decimal::ZERO, 0.0, 0.0);
    for (_, _, v) in chart.values() {
        hi = hi.max(v);
        lo = lo.min(v);
        let w = text_width(&fmt_decimal(v, dp), FS_SMALL) + 8.0;
        if v.is_sign_negative() && !v.is_zero() {
            neg_w = f64::max(neg_w, w);
        } else {
            pos_w = f64::max(pos_w, w);
        }
    }
    let top = chart.header(&mut scene, &clean(chart.unit.trim())) + 4;
    let name_col = names_left.then(|| (widest + 8.0) / MIN_WIDTH);
    let x0 = name_col.unwrap_or(0.0) + neg_w / MIN_WIDTH;
    let x1 = 1.0 - pos_w / MIN_WIDTH;
    let axis = fitting_axis(chart, lo, hi, x0, x1);
    // The end ticks' labels are centred on them: keep them inside the chart.
    let half = |label: Option<&String>| {
        label.map_or(0.0, |l| text_width(l, FS_SMALL) / 2.0 + 2.0) / MIN_WIDTH
    };
    let labels = axis.labels();
    let x0 = x0.max(half(labels.first()));
    let x1 = x1.min(1.0 - half(labels.last()));
    let scale = axis.scale(x0, x1);
    let zero = X::Frac(scale.at(Decimal::ZERO));
    let (row, bar_off) = if names_left {
        (ROW, (ROW - BAR) / 2)
    } else {
        (BAR + 22, 18)
    };
    let rows_bottom = top + row * names.len() as i32;
    horizontal_axis(&mut scene, &axis, scale, top, rows_bottom);
    scene.vline(zero, top, rows_bottom, AXIS, 1.0);
    for (c, name) in names.iter().enumerate() {
        let y = top + row * c as i32;
        let (bar_y0, bar_y1) = (y + bar_off, y + bar_off + BAR);
        let mid = (bar_y0 + bar_y1) / 2;
        row_name(&mut scene, name, name_col, y, mid);
        let Some(v) = chart.value(0, c) else { continue };
        let x = X::Frac(scale.at(v));
        scene.rect(zero, x, bar_y0, bar_y1, colour(0));
        let label = fmt_decimal(v, dp);
        let baseline = centred(mid, FS_SMALL);
        if v.is_sign_negative() && !v.is_zero() {
            scene.text(&label, x, -4, baseline, Ink(FS_SMALL, TEXT, Anchor::End));
        } else {
            scene.text(&label, x, 4, baseline, Ink(FS_SMALL, TEXT, Anchor::Start));
        }
    }
    scene.height = rows_bottom + 4 + 16 + PAD;
    scene
}
