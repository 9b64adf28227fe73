//! The layout of a composition: one 100 % bar per category (收入, 支出 …) split into its
//! series' shares. Each bar has its name above it, its share written inside every segment that
//! can hold it, and under it a key naming every part with its share, or "未填" where the form
//! left the part blank, so even a segment too thin for a label is named with its figure.

use rust_decimal::Decimal;

use super::scene::{
    below, centred, colour, text_on, Anchor, Ink, Scene, BACKGROUND, FS, FS_SMALL, GRID, MIN_WIDTH,
    MUTED, PAD, TEXT, X,
};
use super::text::{text_width, truncate};
use super::{fmt_decimal, sat_add, share_pct, Chart, BLANK, MAX_LABEL_CHARS, NO_DATA};

/// Bar thickness, and the pitch of the key's lines.
const BAR: i32 = 24;
const KEY_LINE: i32 = 22;

/// One part of a bar: its series, its value and share (None: blank).
struct Part {
    series: usize,
    share: Option<(Decimal, Decimal)>,
}

/// The parts of category `c` in series order: the non-negative values and the blanks.
fn parts(chart: &Chart, c: usize, total: Option<Decimal>) -> Vec<Part> {
    (0..chart.series.len())
        .filter_map(|s| match chart.value(s, c) {
            Some(v) => share_pct(v, total).map(|p| Part {
                series: s,
                share: Some((v, p)),
            }),
            None if chart.is_blank(s, c) => Some(Part {
                series: s,
                share: None,
            }),
            None => None,
        })
        .collect()
}

pub(super) fn layout(chart: &Chart) -> Scene {
    let mut scene = Scene::default();
    let mut y = PAD;
    for c in 0..chart.categories.len() {
        let name = truncate(&chart.category(c), MAX_LABEL_CHARS);
        scene.text(
            &name,
            X::Px(0),
            0,
            below(y, FS),
            Ink(FS, TEXT, Anchor::Start),
        );
        let bar_y = y + 22;
        let total = chart.share_total(c);
        let parts = parts(chart, c, total);
        if total.is_some() {
            bar(&mut scene, &parts, bar_y);
        } else {
            let what = if parts.is_empty() { NO_DATA } else { BLANK };
            let baseline = centred(bar_y + BAR / 2, FS_SMALL);
            scene.text(
                what,
                X::Px(0),
                0,
                baseline,
                Ink(FS_SMALL, MUTED, Anchor::Start),
            );
        }
        y = key(&mut scene, chart, &parts, bar_y + BAR + 6) + 10;
    }
    scene.height = y - 10 + PAD;
    scene
}

/// The segments of one bar, from the left, each with its share inside when it fits.
fn bar(scene: &mut Scene, parts: &[Part], y: i32) {
    let hundred = Decimal::ONE_HUNDRED;
    let mut cum = Decimal::ZERO;
    for part in parts {
        let Some((v, p)) = part.share else { continue };
        if v.is_zero() {
            continue;
        }
        let from = cum;
        cum = sat_add(cum, p).min(hundred);
        let (x0, x1) = (frac(from), frac(cum));
        scene.rect(X::Frac(x0), X::Frac(x1), y, y + BAR, colour(part.series));
        if !from.is_zero() {
            // A white seam between neighbours.
            scene.vline(X::Frac(x0), y, y + BAR, BACKGROUND, 2.0);
        }
        let label = format!("{}%", fmt_decimal(p, 1));
        if text_width(&label, FS_SMALL) + 6.0 <= (x1 - x0) * MIN_WIDTH {
            let baseline = centred(y + BAR / 2, FS_SMALL);
            let x = X::Frac((x0 + x1) / 2.0);
            let ink = text_on(part.series);
            scene.text(&label, x, 0, baseline, Ink(FS_SMALL, ink, Anchor::Middle));
        }
    }
}

/// A share in percent as a fraction of the width.
fn frac(p: Decimal) -> f64 {
    super::axis::px(p) / 100.0
}

/// The key under a bar, from `top`: a swatch, the part's name and its share (or 未填), items
/// wrapped at the narrowest width; returns the y below it.
fn key(scene: &mut Scene, chart: &Chart, parts: &[Part], top: i32) -> i32 {
    if parts.is_empty() {
        return top;
    }
    let (mut x, mut y) = (0, top);
    for part in parts {
        let name = truncate(&chart.series_name(part.series), MAX_LABEL_CHARS);
        let figure = match part.share {
            Some((_, p)) => format!("{}%", fmt_decimal(p, 1)),
            None => BLANK.to_string(),
        };
        let item = format!("{name} {figure}");
        let width = 12 + 5 + text_width(&item, FS).ceil() as i32;
        if x > 0 && f64::from(x + width) > MIN_WIDTH {
            x = 0;
            y += KEY_LINE;
        }
        // A blank part has no colour of its own: nothing of it is drawn.
        let (swatch, ink) = match part.share {
            Some(_) => (colour(part.series), TEXT),
            None => (GRID, MUTED),
        };
        scene.rect(X::Px(x), X::Px(x + 12), y + 3, y + 15, swatch);
        scene.text(
            &item,
            X::Px(x + 17),
            0,
            below(y, FS),
            Ink(FS, ink, Anchor::Start),
        );
        x += width + 16;
    }
    y + KEY_LINE - 4
}
