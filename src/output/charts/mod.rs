//! Charts for the published site: the data model of one chart ([`Chart`]), its SVG drawing,
//! its Chinese text alternative and its table of numbers.
//!
//! This module owns everything between "these numbers belong in a chart" and the bytes that go
//! into the page. Its parts:
//!
//! * here: the model, the public API and the questions layouts ask of the data (values,
//!   stacks, shares, the unit the values are drawn in, legend);
//! * `summary`: the text alternative ([`Chart::summary`], also the SVG's `<desc>`) and the table
//!   ([`Chart::table`]);
//! * `vertical`, `ranking`, `shares`: one layout per kind of chart, each giving a `Scene`;
//! * `scene` (shapes, colours, the type scale), `axis` (ticks and scales), `text` (widths,
//!   wrapping, escaping) and `svg` (writes a scene as an `<svg>` element).
//!
//! The chart is drawn at the width of the page's content column and is never scaled: text is
//! 12 or 14 CSS px on a phone as on a desktop, bars spread with the width (their horizontal
//! positions are percentages), and every layout checks that its labels fit at the narrowest
//! width it is drawn at (`scene::MIN_WIDTH`). No font is read at build time: text is emitted as
//! SVG `<text>` with a CSS font list ending in `sans-serif`, and the reader's browser draws it.
//!
//! Money is never formatted from `f64`: every number shown (tables, summary, value labels, axis
//! ticks) is computed and rounded as a [`Decimal`]; `f64` is used only for coordinates.
//! Every piece of user text reaches the SVG through `crate::text::escape_markup`, control characters
//! replaced by spaces first (they are not allowed in XML).

mod axis;
mod ranking;
mod scene;
mod shares;
mod summary;
mod svg;
mod text;
mod vertical;

use rust_decimal::Decimal;
use serde::Serialize;

use scene::{below, colour, Anchor, Ink, Scene, FS, FS_SMALL, MIN_WIDTH, MUTED, PAD, TEXT, X};
use text::{clean, clean_id, text_width, truncate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Vertical bars, one group per category, one bar per series (e.g. years × {预算, 实际}).
    Grouped,
    /// Vertical stacked bars (e.g. years × {基本支出, 项目支出}).
    Stacked,
    /// Horizontal bars for a ranking, one series, categories top to bottom in the given order
    /// (department names can be long: up to ~20 Chinese chars; up to ~60 categories).
    Ranking,
    /// Horizontal 100% stacked bars: each category is one bar split into its series' shares
    /// (e.g. categories {收入, 支出} × series {财政拨款, 其他资金} / {基本支出, 项目支出}).
    Shares,
}

#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct Series {
    pub name: String,
    /// One value per category; None = no data (draw nothing, show "—" in tables).
    pub values: Vec<Option<Decimal>>,
}

#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct Chart {
    /// Unique within a page; used for element ids (ASCII, e.g. "chart-budget-years").
    pub id: String,
    pub title: String,
    /// The unit of the values: "万元", "%" or a count's ("个").
    pub unit: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// (series, category) cells the form left blank: drawn as nothing and said as "未填" —
    /// not as 0, and not as "—" (which means the series has no figure for that category).
    pub blank: Vec<(usize, usize)>,
}

/// A chart's numbers as text cells, for the HTML table beside it (see [`Chart::table`]).
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct ChartTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What a table cell or a summary shows for a missing value.
const NO_VALUE: &str = "—";
/// What a blank cell of the form is called.
const BLANK: &str = "未填";
/// What an empty chart says.
const NO_DATA: &str = "暂无数据";
/// Longest category or series name drawn before it is cut with "…" (the table keeps it whole).
const MAX_LABEL_CHARS: usize = 16;

impl Chart {
    /// The chart as a standalone inline `<svg>` element (no XML prolog): `role="img"`,
    /// `aria-labelledby` pointing at its own `<title id="{id}-title">` and `<desc id="{id}-desc">`
    /// (desc = `self.summary()`), `width="100%"` and a height in pixels, `class="chart"`.
    /// Deterministic: the same chart gives the same bytes on every run and machine.
    ///
    /// A `Ranking` draws its first series only (the table has them all). Names longer than 16
    /// characters are cut with "…" in the drawing; the table keeps them whole.
    ///
    /// The id is used as given when it is made of ASCII letters, digits, `-`, `_`, `.` and `:`;
    /// any other character becomes `-` (an empty id becomes `chart`).
    pub fn to_svg(&self) -> String {
        let scene = if self.has_data() {
            match self.kind {
                ChartKind::Grouped => vertical::layout(self, false),
                ChartKind::Stacked => vertical::layout(self, true),
                ChartKind::Ranking => ranking::layout(self),
                ChartKind::Shares => shares::layout(self),
            }
        } else {
            empty_scene()
        };
        let id = clean_id(&self.id);
        let title = clean(&self.title);
        let desc = clean(&self.summary());
        svg::write(
            &scene,
            &svg::Root {
                id: &id,
                title: title.trim(),
                desc: &desc,
            },
        )
    }
}

/// `value` with two decimals (rounded half away from zero) and `,` between thousands:
/// `1234.565` → `"1,234.57"`, `-0.5` → `"-0.50"`, `-0.001` → `"0.00"`.
pub fn fmt_thousands(value: Decimal) -> String {
    fmt_decimal(value, 2)
}

fn fmt_decimal(value: Decimal, dp: u32) -> String {
    crate::format::grouped(value, dp)
}

fn with_unit(number: &str, unit: &str) -> String {
    let unit = clean(unit.trim());
    if unit.is_empty() {
        number.to_string()
    } else if unit == "%" {
        format!("{number}%")
    } else {
        format!("{number} {unit}")
    }
}

/// `v`'s share of `total` in percent, when both make sense.
fn share_pct(v: Decimal, total: Option<Decimal>) -> Option<Decimal> {
    let total = total?;
    if v.is_sign_negative() && !v.is_zero() {
        return None;
    }
    v.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(total)
}

fn sat_add(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or(a)
}

/// How values are drawn: amounts of 1 亿元 and more in 亿元 (`69.03`, not `690,338`), so
/// that labels fit a phone; the table and the text alternative keep the unit given.
struct Shown {
    divisor: Decimal,
    unit: String,
}

// ---------------------------------------------------------------------------------------------
// Data access, shared by the layouts and the summaries.

impl Chart {
    /// The series that are drawn (a ranking has one series; others are only in the table).
    fn drawn_series(&self) -> usize {
        match self.kind {
            ChartKind::Ranking => self.series.len().min(1),
            _ => self.series.len(),
        }
    }

    fn value(&self, s: usize, c: usize) -> Option<Decimal> {
        self.series
            .get(s)
            .and_then(|series| series.values.get(c).copied().flatten())
    }

    fn is_blank(&self, s: usize, c: usize) -> bool {
        self.value(s, c).is_none() && self.blank.contains(&(s, c))
    }

    fn values(&self) -> impl Iterator<Item = (usize, usize, Decimal)> + '_ {
        (0..self.categories.len()).flat_map(move |c| {
            (0..self.drawn_series()).filter_map(move |s| self.value(s, c).map(|v| (s, c, v)))
        })
    }

    fn has_data(&self) -> bool {
        self.values().next().is_some()
    }

    fn category(&self, c: usize) -> String {
        clean(self.categories[c].trim())
    }

    fn series_name(&self, s: usize) -> String {
        clean(self.series[s].name.trim())
    }

    /// Sum of the non-negative values of category `c`, when positive (the 100 % of `Shares`).
    fn share_total(&self, c: usize) -> Option<Decimal> {
        let total = (0..self.series.len())
            .filter_map(|s| self.value(s, c))
            .filter(|v| !v.is_sign_negative())
            .fold(Decimal::ZERO, sat_add);
        (total > Decimal::ZERO).then_some(total)
    }

    /// Positive and negative stack heights of category `c`, and whether it has any value.
    fn stack(&self, c: usize) -> (Decimal, Decimal, bool) {
        let mut pos = Decimal::ZERO;
        let mut neg = Decimal::ZERO;
        let mut any = false;
        for s in 0..self.drawn_series() {
            if let Some(v) = self.value(s, c) {
                any = true;
                if v.is_sign_negative() {
                    neg = sat_add(neg, v);
                } else {
                    pos = sat_add(pos, v);
                }
            }
        }
        (pos, neg, any)
    }

    fn amount(&self, v: Decimal) -> String {
        with_unit(&self.value_text(v), &self.unit)
    }

    /// Whether the values are counts: every value whole and the unit neither money nor %.
    fn is_count(&self) -> bool {
        let money = self.unit.contains('元') || self.unit.trim() == "%";
        !money && self.values().all(|(_, _, x)| x.fract().is_zero())
    }

    /// Counts print without decimals; everything else with two.
    fn value_text(&self, v: Decimal) -> String {
        fmt_decimal(v, if self.is_count() { 0 } else { 2 })
    }

    /// The unit values are drawn in (see [`Shown`]); `largest` is the largest magnitude drawn.
    fn shown(&self, largest: Decimal) -> Shown {
        let unit = clean(self.unit.trim());
        if unit == "万元" && largest >= Decimal::from(10_000) {
            Shown {
                divisor: Decimal::from(10_000),
                unit: "亿元".to_string(),
            }
        } else {
            Shown {
                divisor: Decimal::ONE,
                unit,
            }
        }
    }

    /// Unit caption and (for more than one series) the legend, laid out for the narrowest
    /// width; returns the y below them.
    fn header(&self, scene: &mut Scene, unit: &str) -> i32 {
        let mut y = PAD;
        let mut x = 0;
        let right = MIN_WIDTH as i32;
        if !unit.is_empty() {
            let caption = format!("单位：{unit}");
            let baseline = below(y + 2, FS_SMALL);
            scene.text(
                &caption,
                X::Px(x),
                0,
                baseline,
                Ink(FS_SMALL, MUTED, Anchor::Start),
            );
            x += text_width(&caption, FS_SMALL).ceil() as i32 + 16;
        }
        if self.drawn_series() > 1 {
            for s in 0..self.drawn_series() {
                let name = truncate(&self.series_name(s), MAX_LABEL_CHARS);
                let item = 12 + 5 + text_width(&name, FS).ceil() as i32;
                if x > 0 && x + item > right {
                    x = 0;
                    y += 20;
                }
                scene.rect(X::Px(x), X::Px(x + 12), y + 3, y + 15, colour(s));
                scene.text(
                    &name,
                    X::Px(x + 17),
                    0,
                    below(y, FS),
                    Ink(FS, TEXT, Anchor::Start),
                );
                x += item + 16;
            }
        }
        y + 20
    }
}

fn empty_scene() -> Scene {
    let mut scene = Scene {
        height: 48,
        ..Scene::default()
    };
    let baseline = scene::centred(24, FS);
    scene.text(
        NO_DATA,
        X::Frac(0.5),
        0,
        baseline,
        Ink(FS, MUTED, Anchor::Middle),
    );
    scene
}

#[cfg(test)]
mod tests;
