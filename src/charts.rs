//! Charts for the published site: the data model of one chart ([`Chart`]), its SVG drawing,
//! its Chinese text alternative and its table of numbers.
//!
//! This module owns everything between "these numbers belong in a chart" and the bytes that go
//! into the page:
//!
//! * [`Chart::to_svg`] lays the chart out itself (in whole pixels, with text widths estimated
//!   from the characters, a CJK character counting as one em) and draws it with `plotters`'
//!   SVG backend. No font is read at build time: the text is emitted as SVG `<text>` with a
//!   CSS font list ending in `sans-serif`, and the reader's browser draws it with its own
//!   CJK fonts. The root element is rewritten to carry `viewBox` only (no width/height, so CSS
//!   `width:100%` scales it), `class="chart"`, `role="img"` and an `aria-labelledby` pointing at
//!   its own `<title>` and `<desc>`.
//! * [`Chart::summary`] is the text alternative (also the SVG's `<desc>`).
//! * [`Chart::table`] gives the same numbers for the HTML table next to the chart.
//!
//! Money is never formatted from `f64`: every number shown (tables, summary, value labels, axis
//! ticks) is computed and rounded as a [`Decimal`] (see [`fmt_thousands`]); `f64` is used only
//! for pixel coordinates.
//!
//! Escaping: every piece of user text (title, categories, series names) reaches the SVG either
//! through `plotters`' SVG backend, which escapes `<`, `>`, `&`, `"` and `'` in text and
//! attribute values, or through `xml_escape` here (`<title>`, `<desc>`). Control characters
//! are replaced by spaces first (they are not allowed in XML). The tests check the output for a
//! hostile name with a whitelist of the tags that may appear.

use std::fmt::Write as _;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub name: String,
    /// One value per category; None = no data (draw nothing, show "—" in tables).
    pub values: Vec<Option<Decimal>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// Unique within a page; used for element ids (ASCII, e.g. "chart-budget-years").
    pub id: String,
    pub title: String,
    /// "万元" or "%"; shown on the value axis.
    pub unit: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

/// A chart's numbers as text cells, for the HTML table beside it (see [`Chart::table`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What a table cell or a summary shows for a missing value.
const NO_VALUE: &str = "—";
/// What an empty chart says.
const NO_DATA: &str = "暂无数据";

// ---------------------------------------------------------------------------------------------
// Layout constants (SVG user units; the chart is scaled to the page width by CSS).

/// Width of every chart. Narrow on purpose: on a 360 px phone the chart is drawn at about
/// 0.8×, which keeps 12-unit text readable.
const WIDTH: i32 = 400;
/// Outer padding.
const PAD: i32 = 8;
/// Text sizes. Multiples that survive plotters' `size / 1.24` exactly, so the SVG says
/// `font-size="12"` and not `12.000000000000002`.
const FS_SMALL: f64 = 12.0;
const FS: f64 = 14.0;
/// Longest category or series name drawn before it is cut with "…" (the table keeps it whole).
const MAX_LABEL_CHARS: usize = 16;
/// Height of the plot area of vertical charts.
const PLOT_HEIGHT: i32 = 200;
/// Row pitch and bar thickness of horizontal charts, with the name left of the bar.
const RANK_ROW: i32 = 22;
const RANK_BAR: i32 = 14;
/// Names wider than this share of the width go above their bar instead of left of it.
const NAME_LEFT_MAX: f64 = WIDTH as f64 * 0.42;
const SHARE_ROW: i32 = 34;
const SHARE_BAR: i32 = 22;

/// Font list for the reader's browser; no web fonts, nothing is fetched.
const FONT_FAMILY: &str =
    "PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, Source Han Sans SC, sans-serif";

const TEXT: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
const AXIS: RGBColor = RGBColor(0x66, 0x66, 0x66);
const BACKGROUND: RGBColor = RGBColor(0xff, 0xff, 0xff);

/// Okabe–Ito colours (safe for the common colour-vision deficiencies), darkened where needed so
/// that every one stands at least 3:1 against the white background (WCAG 1.4.11 for graphics;
/// Okabe–Ito's orange and yellow stand at 2.25:1 and 1.3:1), ordered so that neighbours differ
/// clearly in lightness (CIE L* ≈ 46, 55, 24, 54, 61, 58). The flag says whether text on it
/// should be white (else near-black), whichever reads at 4.5:1.
const PALETTE: [(RGBColor, bool); 6] = [
    (RGBColor(0x00, 0x72, 0xb2), true),  // blue, 5.2:1
    (RGBColor(0xad, 0x7a, 0x00), false), // ochre, 3.8:1
    (RGBColor(0x1f, 0x3a, 0x5f), true),  // navy, 11.5:1
    (RGBColor(0xd5, 0x5e, 0x00), false), // vermillion, 3.9:1
    (RGBColor(0xcc, 0x79, 0xa7), false), // reddish purple, 3.1:1
    (RGBColor(0x00, 0x9e, 0x73), false), // bluish green, 3.4:1
];

fn colour(series: usize) -> RGBColor {
    PALETTE[series % PALETTE.len()].0
}

fn text_on(series: usize) -> RGBColor {
    if PALETTE[series % PALETTE.len()].1 {
        BACKGROUND
    } else {
        TEXT
    }
}

// ---------------------------------------------------------------------------------------------
// Public API

impl Chart {
    /// The chart as a standalone inline `<svg>` element (no XML prolog): `role="img"`,
    /// `aria-labelledby` pointing at its own `<title id="{id}-title">` and `<desc id="{id}-desc">`
    /// (desc = `self.summary()`), a `viewBox` and NO fixed width/height attributes (so CSS
    /// `width:100%` scales it on a 360 px phone), `class="chart"`. Deterministic: the same chart
    /// gives the same bytes on every run and machine.
    ///
    /// A `Ranking` draws its first series only (the table has them all). Names longer than 16
    /// characters are cut with "…" in the drawing; the table keeps them whole.
    ///
    /// The id is used as given when it is made of ASCII letters, digits, `-`, `_`, `.` and `:`;
    /// any other character becomes `-` (an empty id becomes `chart`).
    pub fn to_svg(&self) -> String {
        let scene = if self.has_data() {
            match self.kind {
                ChartKind::Grouped => self.layout_vertical(false),
                ChartKind::Stacked => self.layout_vertical(true),
                ChartKind::Ranking => self.layout_ranking(),
                ChartKind::Shares => self.layout_shares(),
            }
        } else {
            empty_scene()
        };
        // Drawing into a String cannot fail in practice; if plotters ever reports an error the
        // page still gets a valid (empty) chart instead of a panic.
        let body = paint(&scene)
            .or_else(|_| paint(&empty_scene()))
            .unwrap_or_default();
        self.finish_svg(&scene, &body)
    }

    /// A text alternative in Chinese, one or two sentences naming the largest values, e.g.
    /// "2020年至2022年预算与实际支出（万元）。2022年预算最高，为 1,234.56 万元。"
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let title = clean(&self.title);
        let title = title.trim();
        if !title.is_empty() {
            out.push_str(title);
            if !self.unit.trim().is_empty() {
                let _ = write!(out, "（{}）", clean(self.unit.trim()));
            }
            out.push('。');
        }
        if !self.has_data() {
            out.push_str(NO_DATA);
            out.push('。');
            return out;
        }
        let body = match self.kind {
            ChartKind::Grouped => self.summary_grouped(),
            ChartKind::Stacked => self.summary_stacked(),
            ChartKind::Ranking => self.summary_ranking(),
            ChartKind::Shares => self.summary_shares(),
        };
        out.push_str(&body);
        out
    }

    /// The same numbers as rows for an HTML table next to the chart (the template renders it):
    /// header = ["", series names…], one row per category, values formatted with two decimals
    /// and thousands separators ("1,234.56"), "—" for None; for `Shares` also the percentage,
    /// as "1,234.56（62.50%）" (share of the category's non-negative total).
    pub fn table(&self) -> ChartTable {
        let mut header = vec![String::new()];
        header.extend(self.series.iter().map(|s| s.name.clone()));
        let rows = self
            .categories
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let mut row = vec![name.clone()];
                let total = self.share_total(c);
                for s in 0..self.series.len() {
                    let cell = match self.value(s, c) {
                        None => NO_VALUE.to_string(),
                        Some(v) => {
                            let amount = self.value_text(v);
                            match (self.kind, share_pct(v, total)) {
                                (ChartKind::Shares, Some(p)) => {
                                    format!("{amount}（{}%）", fmt_decimal(p, 2))
                                }
                                _ => amount,
                            }
                        }
                    };
                    row.push(cell);
                }
                row
            })
            .collect();
        ChartTable { header, rows }
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

/// Escapes text for XML content and attribute values.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// User text with control characters and U+FFFE/U+FFFF (not allowed in XML) replaced by spaces.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// An id safe for `id` and `aria-labelledby` (which is a space-separated list).
fn clean_id(id: &str) -> String {
    let out: String = id
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if out.is_empty() {
        "chart".to_string()
    } else {
        out
    }
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

fn px(v: Decimal) -> f64 {
    v.to_f64().unwrap_or(0.0)
}

// ---------------------------------------------------------------------------------------------
// Data access and summaries

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

    /// Counts (every value whole, unit not money) print without decimals; everything else
    /// with two.
    fn value_text(&self, v: Decimal) -> String {
        let whole = self.values().all(|(_, _, x)| x.fract().is_zero());
        let money = self.unit.contains('元') || self.unit.trim() == "%";
        fmt_decimal(v, if whole && !money { 0 } else { 2 })
    }

    fn summary_grouped(&self) -> String {
        // First maximum wins ties.
        let Some((s, c, v)) = self.values().fold(
            None,
            |best: Option<(usize, usize, Decimal)>, cur| match best {
                Some(b) if b.2 >= cur.2 => Some(b),
                _ => Some(cur),
            },
        ) else {
            return String::new();
        };
        let who = if self.drawn_series() > 1 {
            format!("{}{}", self.category(c), self.series_name(s))
        } else {
            self.category(c)
        };
        format!("{who}最高，为 {}。", self.amount(v))
    }

    fn summary_stacked(&self) -> String {
        let mut best: Option<(usize, Decimal)> = None;
        for c in 0..self.categories.len() {
            let (pos, neg, any) = self.stack(c);
            if !any {
                continue;
            }
            let total = sat_add(pos, neg);
            if best.is_none_or(|(_, b)| total > b) {
                best = Some((c, total));
            }
        }
        let Some((c, total)) = best else {
            return String::new();
        };
        let label = if self.drawn_series() > 1 {
            "合计最高"
        } else {
            "最高"
        };
        format!("{}{label}，为 {}。", self.category(c), self.amount(total))
    }

    fn summary_ranking(&self) -> String {
        let mut max: Option<(usize, Decimal)> = None;
        let mut min: Option<(usize, Decimal)> = None;
        let mut count = 0usize;
        for (_, c, v) in self.values() {
            count += 1;
            if max.is_none_or(|(_, m)| v > m) {
                max = Some((c, v));
            }
            // The last of equal minima, so that a tie does not name the maximum twice.
            if min.is_none_or(|(_, m)| v <= m) {
                min = Some((c, v));
            }
        }
        let (Some((cmax, vmax)), Some((cmin, vmin))) = (max, min) else {
            return String::new();
        };
        if count == 1 {
            return format!("{}为 {}。", self.category(cmax), self.amount(vmax));
        }
        if vmax == vmin {
            return format!("共 {count} 项，均为 {}。", self.amount(vmax));
        }
        format!(
            "共 {count} 项，{}最高，为 {}；{}最低，为 {}。",
            self.category(cmax),
            self.amount(vmax),
            self.category(cmin),
            self.amount(vmin)
        )
    }

    fn summary_shares(&self) -> String {
        const MAX_NAMED: usize = 3;
        let mut parts = Vec::new();
        for c in 0..self.categories.len() {
            let Some(total) = self.share_total(c) else {
                continue;
            };
            let mut best: Option<(usize, Decimal)> = None;
            for s in 0..self.series.len() {
                if let Some(v) = self.value(s, c) {
                    if !v.is_sign_negative() && best.is_none_or(|(_, b)| v > b) {
                        best = Some((s, v));
                    }
                }
            }
            if let Some((s, v)) = best {
                if let Some(p) = share_pct(v, Some(total)) {
                    parts.push(format!(
                        "{}中{}占比最高，为 {}%",
                        self.category(c),
                        self.series_name(s),
                        fmt_decimal(p, 2)
                    ));
                }
            }
            if parts.len() == MAX_NAMED {
                break;
            }
        }
        if parts.is_empty() {
            return format!("{NO_DATA}。");
        }
        format!("{}。", parts.join("；"))
    }
}

// ---------------------------------------------------------------------------------------------
// Scene: the laid-out chart in whole pixels, painted by plotters afterwards.

enum Shape {
    Rect {
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        fill: RGBColor,
    },
    Line {
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        colour: RGBColor,
    },
    Text {
        text: String,
        x: i32,
        y: i32,
        size: f64,
        colour: RGBColor,
        h: HPos,
        v: VPos,
        vertical: bool,
    },
}

struct Scene {
    height: i32,
    shapes: Vec<Shape>,
}

impl Scene {
    fn new() -> Self {
        Scene {
            height: 0,
            shapes: Vec::new(),
        }
    }

    fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, fill: RGBColor) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        if x1 > x0 && y1 > y0 {
            self.shapes.push(Shape::Rect {
                x0,
                y0,
                x1,
                y1,
                fill,
            });
        }
    }

    fn line(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, colour: RGBColor) {
        self.shapes.push(Shape::Line {
            x0,
            y0,
            x1,
            y1,
            colour,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, text: &str, x: i32, y: i32, size: f64, colour: RGBColor, h: HPos, v: VPos) {
        if text.is_empty() {
            return;
        }
        self.shapes.push(Shape::Text {
            text: text.to_string(),
            x,
            y,
            size,
            colour,
            h,
            v,
            vertical: false,
        });
    }

    /// Text running bottom to top, ending at (x, y).
    fn vertical_text(&mut self, text: &str, x: i32, y: i32, size: f64, colour: RGBColor) {
        self.shapes.push(Shape::Text {
            text: text.to_string(),
            x,
            y,
            size,
            colour,
            h: HPos::Right,
            v: VPos::Center,
            vertical: true,
        });
    }
}

/// Estimated advance of one character in em: CJK and other wide characters are one em,
/// ASCII about 0.6 em (digits and `,` a bit less). Deliberately generous.
fn char_em(c: char) -> f64 {
    match c {
        '0'..='9' => 0.58,
        ',' | '.' | ' ' | ':' | ';' | '|' | '!' | 'i' | 'l' | 'j' | '\'' => 0.32,
        c if c.is_ascii_uppercase() => 0.7,
        c if c.is_ascii() => 0.6,
        _ => 1.0,
    }
}

fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size
}

/// `s` cut to `max` characters followed by "…" when longer.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// `s` cut (with "…") so that it is at most `width` wide.
fn fit_width(s: &str, size: f64, width: f64) -> String {
    if text_width(s, size) <= width {
        return s.to_string();
    }
    let budget = width - text_width("…", size);
    let mut out = String::new();
    let mut used = 0.0;
    for c in s.chars() {
        let w = char_em(c) * size;
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Breaks `s` into at most `max_lines` lines of at most `width`; the last line is cut with "…".
fn wrap(s: &str, size: f64, width: f64, max_lines: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest: Vec<char> = s.chars().collect();
    while !rest.is_empty() && lines.len() < max_lines {
        let all: String = rest.iter().collect();
        if text_width(&all, size) <= width {
            lines.push(all);
            rest.clear();
            break;
        }
        if lines.len() + 1 == max_lines {
            lines.push(fit_width(&all, size, width));
            rest.clear();
            break;
        }
        let mut used = 0.0;
        let mut take = 0;
        for &c in &rest {
            let w = char_em(c) * size;
            if used + w > width {
                break;
            }
            used += w;
            take += 1;
        }
        let take = take.max(1);
        lines.push(rest[..take].iter().collect());
        rest.drain(..take);
    }
    lines
}

/// Axis ticks on "nice" steps (1, 2, 5 × 10ⁿ) covering `lo..=hi`, about `target` intervals,
/// computed in `Decimal`, with the number of decimals their labels need.
fn nice_ticks(lo: Decimal, hi: Decimal, target: u32) -> (Vec<Decimal>, u32) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else if hi.is_zero() && lo.is_zero() {
        (Decimal::ZERO, Decimal::ONE)
    } else {
        // Single non-zero value: the domain always includes 0, so this is unreachable in
        // practice; still make a non-empty range.
        (
            lo.min(Decimal::ZERO),
            hi.max(Decimal::ZERO).saturating_add(Decimal::ONE),
        )
    };
    let span = hi.checked_sub(lo).unwrap_or(Decimal::MAX);
    let raw = span
        .checked_div(Decimal::from(target.max(1)))
        .unwrap_or(span);
    let ten = Decimal::TEN;
    let mut mag = Decimal::ONE;
    for _ in 0..40 {
        match mag.checked_mul(ten) {
            Some(next) if next <= raw => mag = next,
            _ => break,
        }
    }
    for _ in 0..40 {
        if mag <= raw {
            break;
        }
        mag /= ten;
    }
    let step = [1u32, 2, 5, 10]
        .iter()
        .filter_map(|m| mag.checked_mul(Decimal::from(*m)))
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    if step.is_zero() {
        return (vec![lo, hi], 2);
    }
    let snap = |v: Decimal, up: bool| {
        v.checked_div(step)
            .map(|q| if up { q.ceil() } else { q.floor() })
            .and_then(|q| q.checked_mul(step))
            .unwrap_or(v)
    };
    let first = snap(lo, false);
    let last = snap(hi, true);
    let mut ticks = Vec::new();
    let mut t = first;
    while t <= last && ticks.len() < 60 {
        ticks.push(t);
        match t.checked_add(step) {
            Some(next) => t = next,
            None => break,
        }
    }
    if ticks.len() < 2 {
        ticks = vec![lo, hi];
    }
    (ticks, step.normalize().scale())
}

/// A value axis: the domain drawn (always including 0) and the tick values inside it.
struct Axis {
    lo: Decimal,
    hi: Decimal,
    ticks: Vec<Decimal>,
    /// Decimals of the tick labels.
    dp: u32,
}

impl Axis {
    /// Ticks for data in `lo..=hi` (which includes 0). Each end of the domain is moved out to
    /// the next tick, unless that would add more than half the span or the end is less than half
    /// a step away from 0 (a small negative value next to large positive ones must not widen
    /// the chart by a whole step); ticks outside the domain are dropped.
    fn new(lo: Decimal, hi: Decimal, target: u32) -> Self {
        let (ticks, dp) = nice_ticks(lo, hi, target);
        let first = ticks.first().copied().unwrap_or(lo);
        let last = ticks.last().copied().unwrap_or(hi);
        let span = hi.saturating_sub(lo);
        let step = match ticks.as_slice() {
            [a, b, ..] => b.saturating_sub(*a),
            _ => Decimal::ZERO,
        };
        if span.is_zero() || step.is_zero() {
            return Axis {
                lo: first,
                hi: last,
                ticks,
                dp,
            };
        }
        let snap = |end: Decimal, tick: Decimal| {
            let added = tick.saturating_sub(end).abs();
            added.saturating_add(added) <= span && end.abs().saturating_add(end.abs()) >= step
        };
        let lo = if snap(lo, first) { first } else { lo };
        let hi = if snap(hi, last) { last } else { hi };
        let ticks = ticks.into_iter().filter(|t| *t >= lo && *t <= hi).collect();
        Axis { lo, hi, ticks, dp }
    }

    fn labels(&self) -> Vec<String> {
        self.ticks
            .iter()
            .map(|t| fmt_decimal(*t, self.dp))
            .collect()
    }

    fn scale(&self, from: i32, to: i32) -> Scale {
        Scale::new(self.lo, self.hi, from, to)
    }
}

/// Linear map from a `Decimal` domain to pixels.
#[derive(Clone, Copy)]
struct Scale {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl Scale {
    fn new(lo: Decimal, hi: Decimal, from: i32, to: i32) -> Self {
        let (lo, hi) = (px(lo), px(hi));
        Scale {
            lo,
            hi: if hi > lo { hi } else { lo + 1.0 },
            from: f64::from(from),
            to: f64::from(to),
        }
    }

    fn at(&self, v: Decimal) -> i32 {
        let t = (px(v) - self.lo) / (self.hi - self.lo);
        (self.from + t * (self.to - self.from)).round() as i32
    }
}

/// Of the formats (two decimals, then whole numbers), the first in which every label fits.
fn label_format(values: &[(Decimal, f64)], size: f64) -> Option<u32> {
    [2u32, 0].into_iter().find(|dp| {
        values
            .iter()
            .all(|(v, room)| text_width(&fmt_decimal(*v, *dp), size) <= *room)
    })
}

fn empty_scene() -> Scene {
    let mut scene = Scene::new();
    scene.height = 64;
    scene.text(
        NO_DATA,
        WIDTH / 2,
        32,
        FS,
        MUTED,
        HPos::Center,
        VPos::Center,
    );
    scene
}

impl Chart {
    /// Unit caption and (for more than one series) the legend; returns the y below them.
    fn header(&self, scene: &mut Scene, unit: &str) -> i32 {
        let mut y = PAD;
        let mut x = PAD;
        let unit = clean(unit.trim());
        if !unit.is_empty() {
            let caption = format!("单位：{unit}");
            scene.text(&caption, x, y + 1, FS_SMALL, MUTED, HPos::Left, VPos::Top);
            x += text_width(&caption, FS_SMALL).ceil() as i32 + 16;
        }
        if self.drawn_series() > 1 {
            for s in 0..self.drawn_series() {
                let name = truncate(&self.series_name(s), MAX_LABEL_CHARS);
                let item = 12 + 5 + text_width(&name, FS).ceil() as i32;
                if x > PAD && x + item > WIDTH - PAD {
                    x = PAD;
                    y += 20;
                }
                scene.rect(x, y + 3, x + 12, y + 15, colour(s));
                scene.text(&name, x + 17, y, FS, TEXT, HPos::Left, VPos::Top);
                x += item + 16;
            }
        }
        y + 20
    }

    /// Grouped and stacked vertical bars.
    fn layout_vertical(&self, stacked: bool) -> Scene {
        let mut scene = Scene::new();
        let n = self.categories.len();
        let m = self.drawn_series();

        // Value domain, always including 0.
        let mut lo = Decimal::ZERO;
        let mut hi = Decimal::ZERO;
        if stacked {
            for c in 0..n {
                let (pos, neg, _) = self.stack(c);
                hi = hi.max(pos);
                lo = lo.min(neg);
            }
        } else {
            for (_, _, v) in self.values() {
                hi = hi.max(v);
                lo = lo.min(v);
            }
        }
        let axis = Axis::new(lo, hi, 5);
        let ticks = &axis.ticks;
        let tick_labels = axis.labels();
        let tick_w = tick_labels
            .iter()
            .map(|l| text_width(l, FS_SMALL))
            .fold(0.0, f64::max);

        let top = self.header(&mut scene, &self.unit);
        let left = PAD + tick_w.ceil() as i32 + 6;
        let right = WIDTH - PAD;
        let plot_top = top + 18;
        let plot_bottom = plot_top + PLOT_HEIGHT;
        let scale = axis.scale(plot_bottom, plot_top);
        let zero = scale.at(Decimal::ZERO);
        let slot = f64::from(right - left) / n as f64;
        let slot_x = |c: usize| f64::from(left) + slot * c as f64;

        // Grid and tick labels.
        for (t, label) in ticks.iter().zip(&tick_labels) {
            let y = scale.at(*t);
            scene.line(left, y, right, y, GRID);
            scene.text(
                label,
                left - 6,
                y,
                FS_SMALL,
                MUTED,
                HPos::Right,
                VPos::Center,
            );
        }

        // Bars and value labels.
        let mut below_plot = 0;
        if stacked {
            let bar_w = (slot * 0.6).min(64.0);
            let mut segments = Vec::new();
            let mut totals = Vec::new();
            for c in 0..n {
                let x0 = (slot_x(c) + (slot - bar_w) / 2.0).round() as i32;
                let x1 = (slot_x(c) + (slot + bar_w) / 2.0).round() as i32;
                let mut pos = Decimal::ZERO;
                let mut neg = Decimal::ZERO;
                let mut count = 0;
                for s in 0..m {
                    let Some(v) = self.value(s, c) else { continue };
                    count += 1;
                    let (from, to) = if v.is_sign_negative() {
                        let from = neg;
                        neg = sat_add(neg, v);
                        (from, neg)
                    } else {
                        let from = pos;
                        pos = sat_add(pos, v);
                        (from, pos)
                    };
                    let (y0, y1) = (scale.at(from), scale.at(to));
                    // A one-pixel white gap between segments.
                    let gap = if (y1 - y0).abs() > 3 && from != Decimal::ZERO {
                        if to > from {
                            -1
                        } else {
                            1
                        }
                    } else {
                        0
                    };
                    scene.rect(x0, y0 + gap, x1, y1, colour(s));
                    if (y1 - y0).abs() >= 16 {
                        segments.push((v, s, (x0 + x1) / 2, (y0 + y1) / 2, f64::from(x1 - x0)));
                    }
                }
                // A total only when it differs from the single segment's own label.
                if count > 1 {
                    totals.push((sat_add(pos, neg), c, pos, neg));
                }
            }
            let room: Vec<(Decimal, f64)> = segments
                .iter()
                .map(|(v, _, _, _, w)| (*v, w - 4.0))
                .collect();
            let dp = label_format(&room, FS_SMALL).unwrap_or(0);
            for (v, s, x, y, w) in segments {
                let label = fmt_decimal(v, dp);
                if text_width(&label, FS_SMALL) <= w - 4.0 {
                    scene.text(
                        &label,
                        x,
                        y,
                        FS_SMALL,
                        text_on(s),
                        HPos::Center,
                        VPos::Center,
                    );
                }
            }
            let room: Vec<(Decimal, f64)> = totals.iter().map(|t| (t.0, slot - 4.0)).collect();
            if let Some(dp) = label_format(&room, FS_SMALL) {
                for (total, c, pos, neg) in totals {
                    let x = (slot_x(c) + slot / 2.0).round() as i32;
                    let label = fmt_decimal(total, dp);
                    if pos.is_zero() && !neg.is_zero() {
                        scene.text(
                            &label,
                            x,
                            scale.at(neg) + 3,
                            FS_SMALL,
                            TEXT,
                            HPos::Center,
                            VPos::Top,
                        );
                        below_plot = 16;
                    } else {
                        scene.text(
                            &label,
                            x,
                            scale.at(pos) - 3,
                            FS_SMALL,
                            TEXT,
                            HPos::Center,
                            VPos::Bottom,
                        );
                    }
                }
            }
        } else {
            let bar_w = (slot * 0.8 / m as f64).min(48.0);
            let group = bar_w * m as f64;
            let mut labels = Vec::new();
            for c in 0..n {
                let gx = slot_x(c) + (slot - group) / 2.0;
                for s in 0..m {
                    let Some(v) = self.value(s, c) else { continue };
                    let x0 = (gx + bar_w * s as f64).round() as i32;
                    let x1 = (gx + bar_w * (s + 1) as f64).round() as i32;
                    let x1 = if m > 1 && x1 - x0 > 4 { x1 - 1 } else { x1 };
                    let y = scale.at(v);
                    scene.rect(x0, zero, x1, y, colour(s));
                    let room = if m == 1 { slot - 4.0 } else { bar_w };
                    labels.push((v, (x0 + x1) / 2, y, room));
                }
            }
            let room: Vec<(Decimal, f64)> = labels.iter().map(|l| (l.0, l.3)).collect();
            if let Some(dp) = label_format(&room, FS_SMALL) {
                for (v, x, y, _) in labels {
                    let label = fmt_decimal(v, dp);
                    if v.is_sign_negative() && !v.is_zero() {
                        scene.text(&label, x, y + 3, FS_SMALL, TEXT, HPos::Center, VPos::Top);
                        below_plot = 16;
                    } else {
                        scene.text(&label, x, y - 3, FS_SMALL, TEXT, HPos::Center, VPos::Bottom);
                    }
                }
            }
        }
        scene.line(left, zero, right, zero, AXIS);

        // Category labels: one or two lines, or vertical text when the slots are very narrow.
        let label_top = plot_bottom + below_plot + 6;
        let room = slot - 4.0;
        let bottom;
        if room >= FS * 2.0 {
            let mut lines_used = 1;
            for c in 0..n {
                let lines = wrap(&self.category(c), FS, room, 2);
                let x = (slot_x(c) + slot / 2.0).round() as i32;
                for (i, line) in lines.iter().enumerate() {
                    scene.text(
                        line,
                        x,
                        label_top + 18 * i as i32,
                        FS,
                        TEXT,
                        HPos::Center,
                        VPos::Top,
                    );
                }
                lines_used = lines_used.max(lines.len());
            }
            bottom = label_top + 18 * lines_used as i32;
        } else {
            let size = FS_SMALL;
            let mut longest: f64 = 0.0;
            // Every k-th label when even vertical text does not fit side by side.
            let every = ((size + 2.0) / slot).ceil().max(1.0) as usize;
            for c in (0..n).step_by(every) {
                let label = truncate(&self.category(c), 8);
                longest = longest.max(text_width(&label, size));
                let x = (slot_x(c) + slot / 2.0).round() as i32;
                scene.vertical_text(&label, x, label_top, size, TEXT);
            }
            bottom = label_top + longest.ceil() as i32;
        }
        scene.height = bottom + PAD;
        scene
    }

    /// Names of the rows, cut to [`MAX_LABEL_CHARS`], and whether they fit left of the bars.
    fn row_names(&self) -> (Vec<String>, f64, bool) {
        let names: Vec<String> = (0..self.categories.len())
            .map(|c| truncate(&self.category(c), MAX_LABEL_CHARS))
            .collect();
        let widest = names.iter().map(|n| text_width(n, FS)).fold(0.0, f64::max);
        (names, widest, widest <= NAME_LEFT_MAX)
    }

    /// Horizontal value axis under the rows: grid lines from `top` to `bottom`, labels below.
    fn horizontal_axis(
        scene: &mut Scene,
        ticks: &[Decimal],
        labels: &[String],
        scale: Scale,
        top: i32,
        bottom: i32,
    ) {
        for (t, label) in ticks.iter().zip(labels) {
            let x = scale.at(*t);
            scene.line(x, top, x, bottom, GRID);
            scene.text(
                label,
                x,
                bottom + 4,
                FS_SMALL,
                MUTED,
                HPos::Center,
                VPos::Top,
            );
        }
    }

    fn layout_ranking(&self) -> Scene {
        let mut scene = Scene::new();
        let n = self.categories.len();
        let (names, widest, names_left) = self.row_names();

        let mut lo = Decimal::ZERO;
        let mut hi = Decimal::ZERO;
        let mut pos_w: f64 = 0.0;
        let mut neg_w: f64 = 0.0;
        for (_, _, v) in self.values() {
            hi = hi.max(v);
            lo = lo.min(v);
            let w = text_width(&self.value_text(v), FS_SMALL) + 6.0;
            if v.is_sign_negative() && !v.is_zero() {
                neg_w = neg_w.max(w);
            } else {
                pos_w = pos_w.max(w);
            }
        }

        let top = self.header(&mut scene, &self.unit) + 4;
        let name_area = if names_left {
            PAD + widest.ceil() as i32 + 8
        } else {
            PAD
        };
        let plot_x0 = name_area + neg_w.ceil() as i32;
        let plot_x1 = WIDTH - PAD - pos_w.ceil() as i32;

        // As many ticks as fit under the bars.
        let mut axis = Axis::new(lo, hi, 1);
        for target in (2..=5).rev() {
            let candidate = Axis::new(lo, hi, target);
            let widest_label = candidate
                .labels()
                .iter()
                .map(|l| text_width(l, FS_SMALL))
                .fold(0.0, f64::max);
            let scale = candidate.scale(plot_x0, plot_x1);
            let fits = candidate
                .ticks
                .windows(2)
                .all(|w| f64::from(scale.at(w[1]) - scale.at(w[0])) >= widest_label + 8.0);
            if fits {
                axis = candidate;
                break;
            }
        }
        let ticks = &axis.ticks;
        let tick_labels = axis.labels();
        let scale = axis.scale(plot_x0, plot_x1);
        let zero = scale.at(Decimal::ZERO);

        let (row, bar_off) = if names_left {
            (RANK_ROW, (RANK_ROW - RANK_BAR) / 2)
        } else {
            (RANK_BAR + 24, 20)
        };
        let rows_bottom = top + row * n as i32;
        Self::horizontal_axis(&mut scene, ticks, &tick_labels, scale, top, rows_bottom);
        scene.line(zero, top, zero, rows_bottom, AXIS);

        for (c, name) in names.iter().enumerate() {
            let y = top + row * c as i32;
            let bar_y0 = y + bar_off;
            let bar_y1 = bar_y0 + RANK_BAR;
            let mid = (bar_y0 + bar_y1) / 2;
            Self::row_name(&mut scene, name, names_left, name_area, y, mid);
            let Some(v) = self.value(0, c) else { continue };
            let x = scale.at(v);
            scene.rect(zero, bar_y0, x, bar_y1, colour(0));
            let label = self.value_text(v);
            if v.is_sign_negative() && !v.is_zero() {
                scene.text(
                    &label,
                    x - 4,
                    mid,
                    FS_SMALL,
                    TEXT,
                    HPos::Right,
                    VPos::Center,
                );
            } else {
                scene.text(&label, x + 4, mid, FS_SMALL, TEXT, HPos::Left, VPos::Center);
            }
        }
        scene.height = rows_bottom + 4 + 16 + PAD;
        scene
    }

    /// A horizontal bar's category name: left of the bar, or above it (over a blanked strip of
    /// the grid) when names are too long for the left column.
    fn row_name(scene: &mut Scene, name: &str, names_left: bool, name_area: i32, y: i32, mid: i32) {
        if names_left {
            scene.text(
                name,
                name_area - 8,
                mid,
                FS,
                TEXT,
                HPos::Right,
                VPos::Center,
            );
        } else {
            let w = text_width(name, FS).ceil() as i32;
            scene.rect(PAD - 2, y + 1, PAD + w + 4, y + 19, BACKGROUND);
            scene.text(name, PAD, y + 2, FS, TEXT, HPos::Left, VPos::Top);
        }
    }

    fn layout_shares(&self) -> Scene {
        let mut scene = Scene::new();
        let (names, widest, names_left) = self.row_names();

        let top = self.header(&mut scene, "%") + 4;
        let name_area = if names_left {
            PAD + widest.ceil() as i32 + 8
        } else {
            PAD
        };
        let plot_x0 = name_area.max(PAD + 12);
        let plot_x1 = WIDTH - PAD - 16;
        let hundred = Decimal::ONE_HUNDRED;
        let ticks: Vec<Decimal> = [0u32, 25, 50, 75, 100].map(Decimal::from).to_vec();
        let labels: Vec<String> = ticks.iter().map(|t| format!("{t}%")).collect();
        let scale = Scale::new(Decimal::ZERO, hundred, plot_x0, plot_x1);

        let (row, bar_off) = if names_left {
            (SHARE_ROW, (SHARE_ROW - SHARE_BAR) / 2)
        } else {
            (SHARE_BAR + 26, 20)
        };
        let rows_bottom = top + row * names.len() as i32;
        Self::horizontal_axis(&mut scene, &ticks, &labels, scale, top, rows_bottom);
        scene.line(plot_x0, top, plot_x0, rows_bottom, AXIS);

        for (c, name) in names.iter().enumerate() {
            let y = top + row * c as i32;
            let bar_y0 = y + bar_off;
            let bar_y1 = bar_y0 + SHARE_BAR;
            let mid = (bar_y0 + bar_y1) / 2;
            Self::row_name(&mut scene, name, names_left, name_area, y, mid);
            let Some(total) = self.share_total(c) else {
                scene.text(
                    NO_DATA,
                    plot_x0 + 4,
                    mid,
                    FS_SMALL,
                    MUTED,
                    HPos::Left,
                    VPos::Center,
                );
                continue;
            };
            let mut cum = Decimal::ZERO;
            for s in 0..self.series.len() {
                let Some(v) = self.value(s, c) else { continue };
                if v.is_sign_negative() || v.is_zero() {
                    continue;
                }
                let from = cum;
                cum = sat_add(cum, v);
                let pct = |d: Decimal| {
                    d.checked_mul(hundred)
                        .and_then(|p| p.checked_div(total))
                        .unwrap_or(hundred)
                };
                let x0 = scale.at(pct(from));
                let x1 = scale.at(pct(cum));
                let gap = if x1 - x0 > 3 && from > Decimal::ZERO {
                    1
                } else {
                    0
                };
                scene.rect(x0 + gap, bar_y0, x1, bar_y1, colour(s));
                if let Some(p) = share_pct(v, Some(total)) {
                    let label = format!("{}%", fmt_decimal(p, 1));
                    if text_width(&label, FS_SMALL) <= f64::from(x1 - x0 - gap) - 4.0 {
                        scene.text(
                            &label,
                            (x0 + gap + x1) / 2,
                            mid,
                            FS_SMALL,
                            text_on(s),
                            HPos::Center,
                            VPos::Center,
                        );
                    }
                }
            }
        }
        scene.height = rows_bottom + 4 + 16 + PAD;
        scene
    }

    /// Replaces plotters' root element by ours and adds `<title>` and `<desc>`.
    fn finish_svg(&self, scene: &Scene, body: &str) -> String {
        let id = clean_id(&self.id);
        // plotters opens with `<svg width=".." height=".." viewBox=".." xmlns="..">\n`.
        let rest = match body.find(">\n") {
            Some(end) if body.starts_with("<svg ") => &body[end + 2..],
            _ => body,
        };
        let font_attr = format!(" font-family=\"{}\"", xml_escape(FONT_FAMILY));
        let rest = trim_text_content(&rest.replace(&font_attr, "").replace(" opacity=\"1\"", ""));
        let mut out = String::with_capacity(rest.len() + 512);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" class=\"chart\" \
             role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"{font_attr}>\n\
             <title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n",
            w = WIDTH,
            h = scene.height.max(1),
            title = xml_escape(clean(&self.title).trim()),
            desc = xml_escape(&clean(&self.summary())),
        );
        out.push_str(&rest);
        if !out.trim_end().ends_with("</svg>") {
            out.push_str("</svg>\n");
        }
        out
    }
}

/// Removes the line breaks plotters puts around the content of `<text>` (they would count as
/// spaces for `text-anchor`). Attribute values are escaped, so the first `>` ends the tag.
fn trim_text_content(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        let Some(tag_end) = rest[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        let Some(close) = rest[tag_end..].find("</text>").map(|i| tag_end + i) else {
            break;
        };
        out.push_str(&rest[..tag_end]);
        out.push_str(rest[tag_end..close].trim_matches('\n'));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Draws the scene with plotters' SVG backend.
fn paint(scene: &Scene) -> Result<String, DrawingAreaErrorKind<std::io::Error>> {
    let mut buf = String::new();
    {
        let size = (WIDTH as u32, scene.height.max(1) as u32);
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        root.fill(&BACKGROUND)?;
        for shape in &scene.shapes {
            match shape {
                Shape::Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    fill,
                } => root.draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], fill.filled()))?,
                Shape::Line {
                    x0,
                    y0,
                    x1,
                    y1,
                    colour,
                } => root.draw(&PathElement::new(
                    vec![(*x0, *y0), (*x1, *y1)],
                    colour.stroke_width(1),
                ))?,
                Shape::Text {
                    text,
                    x,
                    y,
                    size,
                    colour,
                    h,
                    v,
                    vertical,
                } => {
                    // plotters writes `font-size` as size / 1.24.
                    let font = FontDesc::new(
                        FontFamily::Name(FONT_FAMILY),
                        size * 1.24,
                        FontStyle::Normal,
                    );
                    let mut style = TextStyle::from(font).color(colour).pos(Pos::new(*h, *v));
                    if *vertical {
                        style = style.transform(FontTransform::Rotate270);
                    }
                    root.draw(&Text::new(text.as_str(), (*x, *y), style))?;
                }
            }
        }
        root.present()?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance and contrast ratio, computed here from the definition.
    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let lum = |c: RGBColor| {
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
    }
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn series(name: &str, values: &[Option<&str>]) -> Series {
        Series {
            name: name.to_string(),
            values: values.iter().map(|v| v.map(d)).collect(),
        }
    }

    fn years() -> Chart {
        Chart {
            id: "chart-budget-years".into(),
            title: "2020年至2022年预算与实际支出".into(),
            unit: "万元".into(),
            kind: ChartKind::Grouped,
            categories: vec!["2020年".into(), "2021年".into(), "2022年".into()],
            series: vec![
                series("预算", &[Some("1000"), Some("1100.5"), Some("1234.56")]),
                series("实际", &[Some("980.1"), None, Some("1200")]),
            ],
        }
    }

    fn all_kinds(chart: &Chart) -> Vec<Chart> {
        [
            ChartKind::Grouped,
            ChartKind::Stacked,
            ChartKind::Ranking,
            ChartKind::Shares,
        ]
        .into_iter()
        .map(|kind| Chart {
            kind,
            ..chart.clone()
        })
        .collect()
    }

    /// Every `<` starts one of the tags we emit, every `&` an entity we emit.
    fn assert_safe(svg: &str) {
        const TAGS: [&str; 8] = [
            "svg", "title", "desc", "rect", "text", "polyline", "line", "g",
        ];
        for (i, _) in svg.match_indices('<') {
            let rest = svg[i + 1..].trim_start_matches('/');
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                TAGS.contains(&name.as_str()),
                "unexpected tag {name:?} in {svg}"
            );
        }
        for (i, _) in svg.match_indices('&') {
            let rest = &svg[i..];
            assert!(
                ["&lt;", "&gt;", "&amp;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| rest.starts_with(e)),
                "bare & in {svg}"
            );
        }
        let lower = svg.to_lowercase();
        assert!(!lower.contains("<script"));
        assert!(!lower.contains("href"));
        assert!(!lower.contains("@import"));
        assert!(!lower.contains("url("));
        assert!(svg.starts_with("<svg "));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    }

    #[test]
    fn thousands() {
        assert_eq!(fmt_thousands(d("1234.56")), "1,234.56");
        assert_eq!(fmt_thousands(d("1234.565")), "1,234.57");
        assert_eq!(fmt_thousands(d("-1234.565")), "-1,234.57");
        assert_eq!(fmt_thousands(d("0")), "0.00");
        assert_eq!(fmt_thousands(d("-0.001")), "0.00");
        assert_eq!(fmt_thousands(d("-0.005")), "-0.01");
        assert_eq!(fmt_thousands(d("999")), "999.00");
        assert_eq!(fmt_thousands(d("1000")), "1,000.00");
        assert_eq!(fmt_thousands(d("99999999.99")), "99,999,999.99");
        assert_eq!(fmt_thousands(d("-100000")), "-100,000.00");
        assert_eq!(fmt_thousands(d("0.1")), "0.10");
        assert_eq!(fmt_decimal(d("1234.5"), 0), "1,235");
        assert_eq!(fmt_decimal(d("2.25"), 1), "2.3");
    }

    #[test]
    fn deterministic_and_pinned() {
        // Built afresh on another thread (its own allocations, no shared state), every kind
        // draws the same bytes; and the grouped chart's bytes are pinned in a reviewed
        // snapshot, so a drawing that changes between versions or machines shows up.
        let here: Vec<String> = all_kinds(&years()).iter().map(Chart::to_svg).collect();
        let there = std::thread::spawn(|| {
            all_kinds(&years())
                .iter()
                .map(Chart::to_svg)
                .collect::<Vec<_>>()
        })
        .join()
        .unwrap();
        assert_eq!(here, there);
        insta::assert_snapshot!("grouped_years_svg", here[0]);
        // What the snapshot shows, said in words: the years and values are drawn.
        for label in ["2020年", "2021年", "2022年", "预算", "实际", "单位：万元"] {
            assert!(here[0].contains(&format!(">{label}</text>")), "{label}");
        }
        // Bars stand on the zero line (y = 246) and are as tall as their value on a 0–1,500
        // axis 200 units high: 1000 → 133.3, 980.1 → 130.7, 1100.5 → 146.7, 1234.56 → 164.6,
        // 1200 → 160.
        let bars: Vec<(i32, i32)> = here[0]
            .split("<rect ")
            .filter(|r| r.contains("width=\"45\""))
            .map(|r| {
                let attr = |name: &str| -> i32 {
                    let v = &r[r.find(&format!(" {name}=\"")).unwrap() + name.len() + 3..];
                    v[..v.find('"').unwrap()].parse().unwrap()
                };
                (attr("y"), attr("height"))
            })
            .collect();
        let heights: Vec<i32> = bars.iter().map(|b| b.1).collect();
        assert_eq!(heights, vec![133, 131, 147, 165, 160]);
        assert!(
            bars.iter().all(|(y, h)| (y + h - 246).abs() <= 1),
            "{bars:?}"
        );
    }

    #[test]
    fn the_text_alternative_is_the_svg_description() {
        let svg = years().to_svg();
        assert!(svg.contains(
            "<desc id=\"chart-budget-years-desc\">2020年至2022年预算与实际支出（万元）。2022年预算最高，为 1,234.56 万元。</desc>"
        ), "{svg}");
    }

    #[test]
    fn root_element() {
        for chart in all_kinds(&years()) {
            let svg = chart.to_svg();
            let root = &svg[..svg.find('>').unwrap()];
            assert!(root.contains("viewBox=\"0 0 400 "), "{root}");
            assert!(!root.contains(" width="), "{root}");
            assert!(!root.contains(" height="), "{root}");
            assert!(root.contains("class=\"chart\""));
            assert!(root.contains("role=\"img\""));
            assert!(root
                .contains("aria-labelledby=\"chart-budget-years-title chart-budget-years-desc\""));
            assert!(svg.contains(
                "<title id=\"chart-budget-years-title\">2020年至2022年预算与实际支出</title>"
            ));
            let desc =
                "<desc id=\"chart-budget-years-desc\">2020年至2022年预算与实际支出（万元）。";
            assert!(svg.contains(desc), "{svg}");
            assert!(!svg.starts_with("<?xml"));
            assert!(svg.contains("font-family=\"PingFang SC"));
            assert!(svg.contains("sans-serif\""));
            assert_safe(&svg);
        }
    }

    #[test]
    fn odd_id_is_made_safe() {
        let chart = Chart {
            id: "a b\"<c>".into(),
            ..years()
        };
        let svg = chart.to_svg();
        assert!(svg.contains("aria-labelledby=\"a-b--c--title a-b--c--desc\""));
        assert_safe(&svg);
    }

    #[test]
    fn escaping() {
        let evil = "<script>alert(1)</script>&\"'";
        let chart = Chart {
            id: "chart-evil".into(),
            title: evil.into(),
            unit: "万元<b>".into(),
            kind: ChartKind::Grouped,
            categories: vec![evil.into(), "教育局".into()],
            series: vec![
                series(evil, &[Some("12"), Some("3")]),
                series("b\u{7}", &[Some("1"), Some("-2")]),
            ],
        };
        for chart in all_kinds(&chart) {
            let svg = chart.to_svg();
            assert_safe(&svg);
            assert!(svg.contains("&lt;script&gt;"), "{svg}");
            assert!(!svg.contains('\u{7}'));
        }
        // The table and summary stay raw text: the template escapes them.
        let table = chart.table();
        assert_eq!(table.header[1], evil);
        assert_eq!(table.rows[0][0], evil);
    }

    #[test]
    fn empty_charts() {
        let base = years();
        let cases = vec![
            Chart {
                categories: vec![],
                series: vec![],
                ..base.clone()
            },
            Chart {
                series: vec![],
                ..base.clone()
            },
            Chart {
                categories: vec![],
                ..base.clone()
            },
            Chart {
                series: vec![series("预算", &[None, None, None])],
                ..base.clone()
            },
            Chart {
                series: vec![series("预算", &[])],
                ..base.clone()
            },
        ];
        for case in cases {
            for chart in all_kinds(&case) {
                let svg = chart.to_svg();
                assert_safe(&svg);
                assert!(svg.contains("暂无数据"), "{svg}");
                assert!(svg.contains("viewBox=\"0 0 400 64\""));
                assert_eq!(
                    chart.summary(),
                    "2020年至2022年预算与实际支出（万元）。暂无数据。"
                );
            }
        }
    }

    #[test]
    fn edge_values_do_not_panic() {
        let cases = vec![
            vec![series("a", &[Some("0")])],
            vec![series("a", &[Some("0")]), series("b", &[Some("0")])],
            vec![
                series("a", &[Some("99999999.99")]),
                series("b", &[Some("99999999.99")]),
            ],
            vec![series("a", &[Some("-5")]), series("b", &[Some("-7.5")])],
            vec![
                series("a", &[Some("-5"), Some("3")]),
                series("b", &[Some("7")]),
            ],
            vec![series("a", &[Some("0.001"), Some("0.002")])],
            vec![series("a", &[Some("79228162514264337593543950335")])],
            vec![series(
                "a",
                &[
                    Some("-79228162514264337593543950335"),
                    Some("79228162514264337593543950335"),
                ],
            )],
        ];
        for (i, s) in cases.into_iter().enumerate() {
            let chart = Chart {
                id: format!("c{i}"),
                title: "测试".into(),
                unit: "万元".into(),
                kind: ChartKind::Grouped,
                categories: vec!["甲".into(), "乙".into()],
                series: s,
            };
            for chart in all_kinds(&chart) {
                let svg = chart.to_svg();
                assert_safe(&svg);
                let _ = chart.summary();
                let table = chart.table();
                assert_eq!(table.rows.len(), 2);
            }
        }
    }

    #[test]
    fn many_categories() {
        let n = 60;
        let chart = Chart {
            id: "rank".into(),
            title: "部门支出排名".into(),
            unit: "万元".into(),
            kind: ChartKind::Ranking,
            categories: (0..n)
                .map(|i| format!("某某市某某区人民政府某某事务管理办公室{i}"))
                .collect(),
            series: vec![Series {
                name: "支出".into(),
                values: (0..n)
                    .map(|i| Some(Decimal::from(1000 * (n - i))))
                    .collect(),
            }],
        };
        for chart in all_kinds(&chart) {
            let svg = chart.to_svg();
            assert_safe(&svg);
            if chart.kind == ChartKind::Ranking {
                let h: i32 = svg
                    .split("viewBox=\"0 0 400 ")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(h >= 22 * n, "{h}");
                assert!(
                    svg.contains(">某某市某某区人民政府某某事务管理…</text>"),
                    "{svg}"
                );
            }
        }
    }

    #[test]
    fn table_formatting() {
        let table = years().table();
        assert_eq!(table.header, vec!["", "预算", "实际"]);
        assert_eq!(
            table.rows,
            vec![
                vec!["2020年", "1,000.00", "980.10"],
                vec!["2021年", "1,100.50", "—"],
                vec!["2022年", "1,234.56", "1,200.00"],
            ]
        );
        let shares = Chart {
            kind: ChartKind::Shares,
            categories: vec!["收入".into(), "支出".into()],
            series: vec![
                series("财政拨款", &[Some("750"), Some("0")]),
                series("其他资金", &[Some("250"), None]),
            ],
            ..years()
        };
        assert_eq!(
            shares.table().rows,
            vec![
                vec!["收入", "750.00（75.00%）", "250.00（25.00%）"],
                vec!["支出", "0.00", "—"],
            ]
        );
    }

    #[test]
    fn summaries() {
        assert_eq!(
            years().summary(),
            "2020年至2022年预算与实际支出（万元）。2022年预算最高，为 1,234.56 万元。"
        );
        let stacked = Chart {
            kind: ChartKind::Stacked,
            title: "支出构成".into(),
            series: vec![
                series("基本支出", &[Some("600"), Some("700"), Some("500")]),
                series("项目支出", &[Some("400"), Some("450"), None]),
            ],
            ..years()
        };
        assert_eq!(
            stacked.summary(),
            "支出构成（万元）。2021年合计最高，为 1,150.00 万元。"
        );
        let ranking = Chart {
            kind: ChartKind::Ranking,
            title: "部门支出".into(),
            categories: vec!["教育局".into(), "卫健委".into(), "财政局".into()],
            series: vec![series(
                "支出",
                &[Some("300"), Some("1234567.891"), Some("12")],
            )],
            ..years()
        };
        assert_eq!(
            ranking.summary(),
            "部门支出（万元）。共 3 项，卫健委最高，为 1,234,567.89 万元；财政局最低，为 12.00 万元。"
        );
        let shares = Chart {
            kind: ChartKind::Shares,
            title: "收支构成".into(),
            categories: vec!["收入".into(), "支出".into()],
            series: vec![
                series("财政拨款", &[Some("750"), Some("300")]),
                series("其他资金", &[Some("250"), Some("700")]),
            ],
            ..years()
        };
        assert_eq!(
            shares.summary(),
            "收支构成（万元）。收入中财政拨款占比最高，为 75.00%；支出中其他资金占比最高，为 70.00%。"
        );
        let tie = Chart {
            series: vec![series(
                "支出",
                &[Some("5"), Some("5"), Some("1"), Some("1")],
            )],
            categories: vec!["甲".into(), "乙".into(), "丙".into(), "丁".into()],
            ..ranking.clone()
        };
        assert_eq!(
            tie.summary(),
            "部门支出（万元）。共 4 项，甲最高，为 5.00 万元；丁最低，为 1.00 万元。"
        );
        let same = Chart {
            series: vec![series("支出", &[Some("286.41"), Some("286.41")])],
            categories: vec!["甲".into(), "乙".into()],
            ..ranking.clone()
        };
        assert_eq!(
            same.summary(),
            "部门支出（万元）。共 2 项，均为 286.41 万元。"
        );
        let percent = Chart {
            unit: "%".into(),
            title: "执行率".into(),
            series: vec![series("执行率", &[Some("98.5"), Some("99"), Some("97")])],
            ..years()
        };
        assert_eq!(percent.summary(), "执行率（%）。2021年最高，为 99.00%。");
    }

    #[test]
    fn ticks_are_nice() {
        let (t, dp) = nice_ticks(d("0"), d("1234.56"), 5);
        assert_eq!(t, vec![d("0"), d("500"), d("1000"), d("1500")]);
        assert_eq!(dp, 0);
        let (t, _) = nice_ticks(d("-7.5"), d("0"), 5);
        assert_eq!(t.first(), Some(&d("-8")));
        let (t, dp) = nice_ticks(d("0"), d("0"), 5);
        assert_eq!(t.last(), Some(&d("1")));
        assert_eq!(dp, 1);
    }

    #[test]
    fn serializes_kind_snake_case() {
        assert_eq!(
            serde_json::to_string(&ChartKind::Ranking).unwrap(),
            "\"ranking\""
        );
    }

    #[test]
    fn counts_print_without_decimals_and_money_with_two() {
        let chart = |unit: &str, v: &str| Chart {
            id: "c".into(),
            title: "t".into(),
            unit: unit.into(),
            kind: ChartKind::Grouped,
            categories: vec!["a".into()],
            series: vec![Series {
                name: "n".into(),
                values: vec![Some(d(v))],
            }],
        };
        assert_eq!(chart("个", "19").table().rows[0][1], "19");
        assert_eq!(chart("万元", "19").table().rows[0][1], "19.00");
        assert_eq!(chart("个", "1.5").table().rows[0][1], "1.50");
    }
}
