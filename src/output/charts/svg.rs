//! Writes a laid-out [`Scene`] as one inline `<svg>` element, attribute by attribute; every
//! piece of user text goes through `crate::text::escape_markup`.
//!
//! The root carries `width="100%"` and the scene's height in pixels, no `viewBox`: the drawing is
//! never scaled, so its text is drawn at the size it was laid out at; horizontal positions that
//! are fractions of the width are written as percentages. `min-width` keeps it at least as
//! wide as the layout was checked for ([`MIN_WIDTH`]).

use std::fmt::Write as _;

use super::scene::{Anchor, Rgb, Scene, Shape, MIN_WIDTH, X};
use crate::text::escape_markup;

/// Font list for the reader's browser; no web fonts, nothing is fetched.
pub(super) const FONT_FAMILY: &str =
    "PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, Source Han Sans SC, sans-serif";

/// What the root element says about the chart.
pub(super) struct Root<'a> {
    /// A safe id (see `clean_id`).
    pub id: &'a str,
    /// Raw text; escaped here.
    pub title: &'a str,
    pub desc: &'a str,
}

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl std::fmt::Display for X {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            X::Px(p) => write!(f, "{p}"),
            X::Frac(v) => write!(f, "{}%", percent(v)),
        }
    }
}

/// A fraction as a percentage with at most two decimals (`0.125` → `12.5`), never `-0`.
fn percent(v: f64) -> String {
    let hundredths = (v * 10_000.0).round() as i64;
    let (int, frac) = (hundredths / 100, (hundredths % 100).abs());
    let sign = if hundredths < 0 && int == 0 { "-" } else { "" };
    match frac {
        0 => format!("{sign}{int}"),
        f if f % 10 == 0 => format!("{sign}{int}.{}", f / 10),
        f => format!("{sign}{int}.{f:02}"),
    }
}

/// The width between two positions of the same kind.
fn width(x0: X, x1: X) -> X {
    match (x0, x1) {
        (X::Px(a), X::Px(b)) => X::Px(b - a),
        (X::Frac(a), X::Frac(b)) => X::Frac(b - a),
        // Not produced by the layouts; drawn at the narrowest width rather than lost.
        (a, b) => X::Px((b.at(MIN_WIDTH) - a.at(MIN_WIDTH)).round() as i32),
    }
}

/// Writes `scene` as a standalone `<svg>` element (no XML prolog), ending in a newline.
pub(super) fn write(scene: &Scene, root: &Root<'_>) -> String {
    let mut out = String::with_capacity(256 + scene.shapes.len() * 96);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" height=\"{h}\" \
         style=\"min-width:{min}px\" class=\"chart\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{font}\">\n\
         <title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n",
        h = scene.height.max(1),
        min = MIN_WIDTH,
        id = root.id,
        font = escape_markup(FONT_FAMILY),
        title = escape_markup(root.title),
        desc = escape_markup(root.desc),
    );
    for shape in &scene.shapes {
        shape_to(&mut out, shape);
    }
    out.push_str("</svg>\n");
    out
}

fn shape_to(out: &mut String, shape: &Shape) {
    let _ = match shape {
        Shape::Rect {
            x0,
            x1,
            y0,
            y1,
            fill,
        } => writeln!(
            out,
            "<rect x=\"{x0}\" y=\"{y0}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
            width(*x0, *x1),
            y1 - y0
        ),
        Shape::Line {
            x0,
            x1,
            y0,
            y1,
            colour,
            width,
        } => writeln!(
            out,
            "<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y1}\" stroke=\"{colour}\"{}/>",
            if *width == 1.0 {
                String::new()
            } else {
                format!(" stroke-width=\"{width}\"")
            }
        ),
        Shape::Text {
            text,
            x,
            dx,
            baseline,
            size,
            colour,
            anchor,
        } => {
            let anchor = match anchor {
                Anchor::Start => "",
                Anchor::Middle => " text-anchor=\"middle\"",
                Anchor::End => " text-anchor=\"end\"",
            };
            let dx = if *dx == 0 {
                String::new()
            } else {
                format!(" dx=\"{dx}\"")
            };
            writeln!(
                out,
                "<text x=\"{x}\" y=\"{baseline}\"{dx}{anchor} font-size=\"{size}\" \
                 fill=\"{colour}\">{}</text>",
                escape_markup(text)
            )
        }
    };
}

#[cfg(test)]
mod tests {
    use super::super::scene::Ink;
    use super::*;

    /// A width between a pixel and a fraction (no layout makes one) is measured at the
    /// narrowest width, from the first to the second.
    #[test]
    fn a_mixed_width_is_taken_at_the_narrowest_chart() {
        let at = |v: f64| X::Px(v.round() as i32);
        assert_eq!(width(X::Px(10), X::Frac(0.5)), at(0.5 * MIN_WIDTH - 10.0));
        assert_eq!(
            width(X::Frac(0.25), X::Px(100)),
            at(100.0 - 0.25 * MIN_WIDTH)
        );
        assert_eq!(width(X::Px(10), X::Px(25)), X::Px(15));
    }

    #[test]
    fn positions_are_pixels_or_percentages() {
        assert_eq!(X::Frac(0.125).to_string(), "12.5%");
        assert_eq!(X::Frac(1.0 / 3.0).to_string(), "33.33%");
        assert_eq!(X::Frac(0.0).to_string(), "0%");
        assert_eq!(X::Frac(-0.0001).to_string(), "-0.01%");
        assert_eq!(X::Px(7).to_string(), "7");
        assert_eq!(Rgb(0, 0x72, 0xb2).to_string(), "#0072b2");
    }

    #[test]
    fn shapes_are_written_as_elements() {
        let mut scene = Scene {
            height: 40,
            ..Scene::default()
        };
        scene.rect(X::Frac(0.5), X::Frac(0.25), 30, 10, Rgb(1, 2, 3));
        scene.hline(X::Px(0), X::Frac(1.0), 30, Rgb(4, 5, 6));
        scene.text(
            "<a&b>",
            X::Frac(0.5),
            -4,
            20,
            Ink(12.0, Rgb(7, 8, 9), Anchor::End),
        );
        let svg = write(
            &scene,
            &Root {
                id: "c",
                title: "t\"",
                desc: "d<",
            },
        );
        assert_eq!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" height=\"40\" \
             style=\"min-width:328px\" class=\"chart\" role=\"img\" \
             aria-labelledby=\"c-title c-desc\" font-family=\"PingFang SC, Hiragino Sans GB, \
             Microsoft YaHei, Noto Sans CJK SC, Source Han Sans SC, sans-serif\">\n\
             <title id=\"c-title\">t&quot;</title>\n<desc id=\"c-desc\">d&lt;</desc>\n\
             <rect x=\"25%\" y=\"10\" width=\"25%\" height=\"20\" fill=\"#010203\"/>\n\
             <line x1=\"0\" y1=\"30\" x2=\"100%\" y2=\"30\" stroke=\"#040506\"/>\n\
             <text x=\"50%\" y=\"20\" dx=\"-4\" text-anchor=\"end\" font-size=\"12\" \
             fill=\"#070809\">&lt;a&amp;b&gt;</text>\n</svg>\n"
        );
    }
}
