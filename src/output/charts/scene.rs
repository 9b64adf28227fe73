//! The laid-out chart: rectangles, lines and text in the chart's own coordinates, before it is
//! written as SVG (see `svg`), and the colours they are painted in.
//!
//! Vertical positions are whole CSS pixels from the top. Horizontal positions are either whole
//! pixels from the left edge or fractions of the chart's width: the chart is as wide as the
//! page's content column, so bars and their labels spread with it while text keeps its size
//! (nothing is scaled; 12 px text is drawn at 12 px on a phone and on a desktop). Layouts check
//! that every label fits at [`MIN_WIDTH`], the narrowest the chart is drawn (CSS keeps it at
//! least that wide and lets the figure scroll on a smaller screen).

/// The narrowest width (CSS px) a chart is drawn at, and the one every layout is checked
/// against: the content column of a 360 px phone (the page has 16 px of padding each side).
pub(super) const MIN_WIDTH: f64 = 328.0;

/// One type scale, in CSS px: secondary text (unit, ticks, values) and names (categories,
/// legend, rows). Both are at least 12 px on any screen, as the drawing is never scaled.
pub(super) const FS_SMALL: f64 = 12.0;
pub(super) const FS: f64 = 14.0;
/// Outer padding.
pub(super) const PAD: i32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rgb(pub u8, pub u8, pub u8);

pub(super) const TEXT: Rgb = Rgb(0x1a, 0x1a, 0x1a);
pub(super) const MUTED: Rgb = Rgb(0x55, 0x55, 0x55);
pub(super) const GRID: Rgb = Rgb(0xdd, 0xdd, 0xdd);
pub(super) const AXIS: Rgb = Rgb(0x66, 0x66, 0x66);
pub(super) const BACKGROUND: Rgb = Rgb(0xff, 0xff, 0xff);

/// Okabe–Ito colours (safe for the common colour-vision deficiencies), darkened where needed so
/// that every one stands at least 3:1 against the white background (WCAG 1.4.11 for graphics;
/// Okabe–Ito's orange and yellow stand at 2.25:1 and 1.3:1), ordered so that neighbours differ
/// clearly in lightness (CIE L* ≈ 46, 55, 24, 54, 61, 58). The flag says whether text on it
/// should be white (else near-black), whichever reads at 4.5:1.
pub(super) const PALETTE: [(Rgb, bool); 6] = [
    (Rgb(0x00, 0x72, 0xb2), true),  // blue, 5.2:1
    (Rgb(0xad, 0x7a, 0x00), false), // ochre, 3.8:1
    (Rgb(0x1f, 0x3a, 0x5f), true),  // navy, 11.5:1
    (Rgb(0xd5, 0x5e, 0x00), false), // vermillion, 3.9:1
    (Rgb(0xcc, 0x79, 0xa7), false), // reddish purple, 3.1:1
    (Rgb(0x00, 0x9e, 0x73), false), // bluish green, 3.4:1
];

/// The colour of series `s`.
pub(super) fn colour(s: usize) -> Rgb {
    PALETTE[s % PALETTE.len()].0
}

/// The colour of text drawn on series `s`'s colour.
pub(super) fn text_on(s: usize) -> Rgb {
    if PALETTE[s % PALETTE.len()].1 {
        BACKGROUND
    } else {
        TEXT
    }
}

/// A horizontal position: pixels from the left edge, or a fraction of the chart's width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum X {
    Px(i32),
    Frac(f64),
}

impl X {
    /// Where this is on a chart `width` px wide.
    pub fn at(self, width: f64) -> f64 {
        match self {
            X::Px(p) => f64::from(p),
            X::Frac(f) => f * width,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

/// How a text is drawn: its size (px), colour and anchor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Ink(pub f64, pub Rgb, pub Anchor);

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape {
    /// From `x0` to `x1` (both pixels or both fractions) and `y0` to `y1`.
    Rect {
        x0: X,
        x1: X,
        y0: i32,
        y1: i32,
        fill: Rgb,
    },
    Line {
        x0: X,
        x1: X,
        y0: i32,
        y1: i32,
        colour: Rgb,
        width: f64,
    },
    /// Text on `baseline`, anchored at `x` moved by `dx` pixels.
    Text {
        text: String,
        x: X,
        dx: i32,
        baseline: i32,
        size: f64,
        colour: Rgb,
        anchor: Anchor,
    },
}

/// Where a line of text whose box starts at `top` has its baseline (CJK glyphs stand about
/// 0.88 em above the baseline and 0.12 em below).
pub(super) fn below(top: i32, size: f64) -> i32 {
    top + (size * 0.88).round() as i32
}

/// The baseline of text centred on `mid`.
pub(super) fn centred(mid: i32, size: f64) -> i32 {
    mid + (size * 0.38).round() as i32
}

/// The baseline of text whose box ends at `bottom`.
pub(super) fn above(bottom: i32, size: f64) -> i32 {
    bottom - (size * 0.12).round() as i32
}

#[derive(Debug, Default)]
pub(super) struct Scene {
    pub height: i32,
    pub shapes: Vec<Shape>,
}

impl Scene {
    pub fn rect(&mut self, x0: X, x1: X, y0: i32, y1: i32, fill: Rgb) {
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        let (x0, x1) = match (x0, x1) {
            (X::Frac(a), X::Frac(b)) => (X::Frac(a.min(b)), X::Frac(a.max(b))),
            (X::Px(a), X::Px(b)) => (X::Px(a.min(b)), X::Px(a.max(b))),
            other => other,
        };
        if y1 > y0 && x1.at(MIN_WIDTH) > x0.at(MIN_WIDTH) {
            self.shapes.push(Shape::Rect {
                x0,
                x1,
                y0,
                y1,
                fill,
            });
        }
    }

    /// A horizontal line across the plot at `y`.
    pub fn hline(&mut self, x0: X, x1: X, y: i32, colour: Rgb) {
        self.shapes.push(Shape::Line {
            x0,
            x1,
            y0: y,
            y1: y,
            colour,
            width: 1.0,
        });
    }

    /// A vertical line at `x` from `y0` to `y1`.
    pub fn vline(&mut self, x: X, y0: i32, y1: i32, colour: Rgb, width: f64) {
        self.shapes.push(Shape::Line {
            x0: x,
            x1: x,
            y0,
            y1,
            colour,
            width,
        });
    }

    /// Text on `baseline`, anchored at `x` + `dx` px, in `ink`.
    pub fn text(&mut self, text: &str, x: X, dx: i32, baseline: i32, ink: Ink) {
        let Ink(size, colour, anchor) = ink;
        if text.is_empty() {
            return;
        }
        self.shapes.push(Shape::Text {
            text: text.to_string(),
            x,
            dx,
            baseline,
            size,
            colour,
            anchor,
        });
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// WCAG relative luminance and contrast ratio, computed here from the definition.
    pub fn contrast(a: Rgb, b: Rgb) -> f64 {
        let lum = |c: Rgb| {
            let f = |v: u8| {
                let v = f64::from(v) / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * f(c.0) + 0.7152 * f(c.1) + 0.0722 * f(c.2)
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// A rectangle of no height or no width (a bar of 0) is not drawn: no empty `<rect>`;
    /// given corners in either order it is drawn once, normalised.
    #[test]
    fn an_empty_rectangle_is_left_out() {
        let mut scene = Scene::default();
        scene.rect(X::Px(0), X::Px(10), 5, 5, TEXT);
        scene.rect(X::Frac(0.3), X::Frac(0.3), 0, 9, TEXT);
        scene.rect(X::Px(4), X::Px(4), 0, 9, TEXT);
        assert!(scene.shapes.is_empty(), "{:?}", scene.shapes);
        scene.rect(X::Frac(0.5), X::Frac(0.2), 9, 1, TEXT);
        assert!(matches!(
            scene.shapes[..],
            [Shape::Rect { x0: X::Frac(a), x1: X::Frac(b), y0: 1, y1: 9, .. }] if a == 0.2 && b == 0.5
        ));
    }

    #[test]
    fn every_colour_stands_out_and_carries_readable_text() {
        for (i, &(c, _)) in PALETTE.iter().enumerate() {
            assert!(
                contrast(c, BACKGROUND) >= 3.0,
                "colour {i}: {:.2}",
                contrast(c, BACKGROUND)
            );
            assert!(
                contrast(c, text_on(i)) >= 4.5,
                "text on colour {i}: {:.2}",
                contrast(c, text_on(i))
            );
        }
        for c in [TEXT, MUTED] {
            assert!(contrast(c, BACKGROUND) >= 4.5);
        }
    }
}
