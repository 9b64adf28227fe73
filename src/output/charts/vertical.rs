//! The layout of vertical bar charts: grouped bars (one per series in each category) and
//! stacked bars, with a value axis at the left, value labels on or above the bars, and the
//! category names below.
//!
//! Horizontally everything is a fraction of the width (see `scene`); every label is checked
//! against the room it has at the narrowest width.

use rust_decimal::Decimal;

use super::axis::{Axis, Scale};
use super::scene::{
    above, below, centred, colour, text_on, Anchor, Ink, Scene, AXIS, FS, FS_SMALL, GRID,
    MIN_WIDTH, MUTED, PAD, TEXT, X,
};
use super::text::{fit_width, text_width, wrap};
use super::{fmt_decimal, sat_add, Chart, Shown};

/// Height of the plot area.
const PLOT_HEIGHT: i32 = 200;
/// Smallest segment of a stack that holds a label inside.
const SEGMENT_LABEL_MIN: i32 = 16;

/// Where the bars go: the plot's left edge and slot width as fractions, its bottom in pixels, and the value scale (values in the unit shown).
struct Plot {
    left: f64,
    slot: f64,
    bottom: i32,
    scale: Scale,
    shown: Shown,
    /// Decimals of value labels (None: none fit).
    dp: Option<u32>,
}

impl Plot {
    fn slot_x(&self, c: usize) -> f64 {
        self.left + self.slot * c as f64
    }

    /// `v` in the unit shown.
    fn shown(&self, v: Decimal) -> Decimal {
        v.checked_div(self.shown.divisor).unwrap_or(v)
    }

    fn y(&self, v: Decimal) -> i32 {
        self.scale.px(self.shown(v))
    }

    /// A frac as the pixels it is at the narrowest width.
    fn px(f: f64) -> f64 {
        f * MIN_WIDTH
    }
}

/// Grouped (`stacked` false) or stacked vertical bars.
pub(super) fn layout(chart: &Chart, stacked: bool) -> Scene {
    let mut scene = Scene::default();
    let (lo, hi) = domain(chart, stacked);
    let shown = chart.shown(hi.max(lo.abs()));
    let div = |v: Decimal| v.checked_div(shown.divisor).unwrap_or(v);
    let axis = Axis::new(div(lo), div(hi), 5, chart.is_count());
    let tick_labels = axis.labels();
    let tick_w = tick_labels
        .iter()
        .map(|l| text_width(l, FS_SMALL))
        .fold(0.0, f64::max);
    let top = chart.header(&mut scene, &shown.unit) + 10;
    let left = (tick_w + 8.0) / MIN_WIDTH;
    let mut plot = Plot {
        left,
        slot: (1.0 - left) / chart.categories.len() as f64,
        bottom: top + PLOT_HEIGHT,
        scale: axis.scale(f64::from(top + PLOT_HEIGHT), f64::from(top)),
        shown,
        dp: None,
    };
    for (t, label) in axis.ticks.iter().zip(&tick_labels) {
        let y = plot.scale.px(*t);
        scene.hline(X::Frac(left), X::Frac(1.0), y, GRID);
        let baseline = centred(y, FS_SMALL);
        scene.text(
            label,
            X::Frac(left),
            -6,
            baseline,
            Ink(FS_SMALL, MUTED, Anchor::End),
        );
    }
    let below_plot = if stacked {
        stacked_bars(chart, &mut scene, &mut plot)
    } else {
        grouped_bars(chart, &mut scene, &mut plot)
    };
    let zero = plot.y(Decimal::ZERO);
    scene.hline(X::Frac(left), X::Frac(1.0), zero, AXIS);
    let bottom = category_labels(chart, &mut scene, &plot, plot.bottom + below_plot + 6);
    scene.height = bottom + PAD;
    scene
}

/// The value domain, always including 0.
fn domain(chart: &Chart, stacked: bool) -> (Decimal, Decimal) {
    let mut lo = Decimal::ZERO;
    let mut hi = Decimal::ZERO;
    if stacked {
        for c in 0..chart.categories.len() {
            let (pos, neg, _) = chart.stack(c);
            hi = hi.max(pos);
            lo = lo.min(neg);
        }
    } else {
        for (_, _, v) in chart.values() {
            hi = hi.max(v);
            lo = lo.min(v);
        }
    }
    (lo, hi)
}

/// The decimals in which every label fits its room (counts: none), if any.
fn label_decimals(chart: &Chart, labels: &[(Decimal, f64)]) -> Option<u32> {
    let options: &[u32] = if chart.is_count() { &[0] } else { &[2, 0] };
    options.iter().copied().find(|dp| {
        labels
            .iter()
            .all(|(v, room)| text_width(&fmt_decimal(*v, *dp), FS_SMALL) <= *room)
    })
}

/// A value label above a bar ending at `y` (below it for a negative value); returns the room
/// it takes under the plot.
fn label_at_end(scene: &mut Scene, label: &str, x: f64, y: i32, negative: bool) -> i32 {
    if negative {
        let baseline = below(y + 3, FS_SMALL);
        scene.text(
            label,
            X::Frac(x),
            0,
            baseline,
            Ink(FS_SMALL, TEXT, Anchor::Middle),
        );
        16
    } else {
        let baseline = above(y - 3, FS_SMALL);
        scene.text(
            label,
            X::Frac(x),
            0,
            baseline,
            Ink(FS_SMALL, TEXT, Anchor::Middle),
        );
        0
    }
}

/// One bar per series in each category, value labels above them when every one fits.
fn grouped_bars(chart: &Chart, scene: &mut Scene, plot: &mut Plot) -> i32 {
    let m = chart.drawn_series();
    let group = plot.slot * if m == 1 { 0.6 } else { 0.8 };
    let bar_w = group / m as f64;
    let zero = plot.y(Decimal::ZERO);
    let mut labels = Vec::new();
    for c in 0..chart.categories.len() {
        let gx = plot.slot_x(c) + (plot.slot - group) / 2.0;
        for s in 0..m {
            let Some(v) = chart.value(s, c) else { continue };
            let x0 = gx + bar_w * s as f64;
            let y = plot.y(v);
            scene.rect(X::Frac(x0), X::Frac(x0 + bar_w), zero, y, colour(s));
            let room = if m == 1 { plot.slot } else { bar_w };
            labels.push((plot.shown(v), x0 + bar_w / 2.0, y, Plot::px(room) - 2.0));
        }
    }
    let room: Vec<(Decimal, f64)> = labels.iter().map(|l| (l.0, l.3)).collect();
    plot.dp = label_decimals(chart, &room);
    let mut below_plot = 0;
    if let Some(dp) = plot.dp {
        for (v, x, y, _) in labels {
            let negative = v.is_sign_negative() && !v.is_zero();
            let taken = label_at_end(scene, &fmt_decimal(v, dp), x, y, negative);
            below_plot = below_plot.max(taken);
        }
    }
    below_plot
}

/// Stacked bars: each segment labelled inside when the label fits it, each stack of more than
/// one segment with its total above it.
fn stacked_bars(chart: &Chart, scene: &mut Scene, plot: &mut Plot) -> i32 {
    let bar_w = plot.slot * 0.6;
    let mut segments = Vec::new();
    let mut totals = Vec::new();
    for c in 0..chart.categories.len() {
        let x0 = plot.slot_x(c) + (plot.slot - bar_w) / 2.0;
        let (mut pos, mut neg, mut count) = (Decimal::ZERO, Decimal::ZERO, 0);
        for s in 0..chart.drawn_series() {
            let Some(v) = chart.value(s, c) else { continue };
            count += 1;
            let end = if v.is_sign_negative() {
                &mut neg
            } else {
                &mut pos
            };
            let from = *end;
            *end = sat_add(*end, v);
            let (y0, y1) = (plot.y(from), plot.y(*end));
            // A one-pixel white gap between segments.
            let gap = if (y1 - y0).abs() > 3 && !from.is_zero() {
                if y1 < y0 {
                    -1
                } else {
                    1
                }
            } else {
                0
            };
            scene.rect(X::Frac(x0), X::Frac(x0 + bar_w), y0 + gap, y1, colour(s));
            if (y1 - y0).abs() >= SEGMENT_LABEL_MIN {
                segments.push((plot.shown(v), s, x0 + bar_w / 2.0, (y0 + y1) / 2));
            }
        }
        if count > 1 {
            totals.push((plot.shown(sat_add(pos, neg)), c, pos, neg));
        }
    }
    let room = Plot::px(bar_w) - 4.0;
    let dp = label_decimals(
        chart,
        &segments.iter().map(|s| (s.0, room)).collect::<Vec<_>>(),
    )
    .unwrap_or(0);
    for (v, s, x, mid) in segments {
        let label = fmt_decimal(v, dp);
        if text_width(&label, FS_SMALL) <= room {
            let baseline = centred(mid, FS_SMALL);
            scene.text(
                &label,
                X::Frac(x),
                0,
                baseline,
                Ink(FS_SMALL, text_on(s), Anchor::Middle),
            );
        }
    }
    let room: Vec<(Decimal, f64)> = totals
        .iter()
        .map(|t| (t.0, Plot::px(plot.slot) - 4.0))
        .collect();
    let mut below_plot = 0;
    if let Some(dp) = label_decimals(chart, &room) {
        for (total, c, pos, neg) in totals {
            let x = plot.slot_x(c) + plot.slot / 2.0;
            let negative = pos.is_zero() && !neg.is_zero();
            let y = plot.y(if negative { neg } else { pos });
            let taken = label_at_end(scene, &fmt_decimal(total, dp), x, y, negative);
            below_plot = below_plot.max(taken);
        }
    }
    below_plot
}

/// The category names under their slots, starting at `top`: at 14 px on up to two lines
/// (broken only where a line may break), else at 12 px, else at 12 px broken between a number
/// and its word (`2019` `年`), else every k-th name; returns the y below them.
fn category_labels(chart: &Chart, scene: &mut Scene, plot: &Plot, top: i32) -> i32 {
    let n = chart.categories.len();
    let names: Vec<String> = (0..n).map(|c| chart.category(c)).collect();
    let room = Plot::px(plot.slot) - 4.0;
    for (size, loose) in [(FS, false), (FS_SMALL, false), (FS_SMALL, true)] {
        let lines: Option<Vec<Vec<String>>> = names
            .iter()
            .map(|name| wrap(name, size, room, 2, loose))
            .collect();
        if let Some(lines) = lines {
            let pitch = (size * 1.3).round() as i32;
            for (c, name_lines) in lines.iter().enumerate() {
                let x = plot.slot_x(c) + plot.slot / 2.0;
                for (i, line) in name_lines.iter().enumerate() {
                    let baseline = below(top + pitch * i as i32, size);
                    scene.text(
                        line,
                        X::Frac(x),
                        0,
                        baseline,
                        Ink(size, TEXT, Anchor::Middle),
                    );
                }
            }
            let used = lines.iter().map(Vec::len).max().unwrap_or(1) as i32;
            return top + pitch * used;
        }
    }
    // Every k-th name, on one line, in the room of k slots.
    let widest = names
        .iter()
        .map(|name| text_width(name, FS_SMALL))
        .fold(0.0, f64::max);
    let every = ((widest + 4.0) / Plot::px(plot.slot)).ceil().max(1.0) as usize;
    let room = Plot::px(plot.slot) * every as f64 - 4.0;
    for c in (0..n).step_by(every) {
        let x = plot.slot_x(c) + plot.slot / 2.0;
        // Centred on its slot, so no wider than twice the room to the nearer edge.
        let edge = Plot::px(x.min(1.0 - x)) * 2.0 - 4.0;
        let label = fit_width(&names[c], FS_SMALL, room.min(edge));
        let baseline = below(top, FS_SMALL);
        scene.text(
            &label,
            X::Frac(x),
            0,
            baseline,
            Ink(FS_SMALL, TEXT, Anchor::Middle),
        );
    }
    top + (FS_SMALL * 1.3).round() as i32
}
