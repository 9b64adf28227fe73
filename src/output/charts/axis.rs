//! Value axes: "nice" tick values (1, 2, 5 × 10ⁿ) computed in `Decimal`, the domain a chart
//! draws, and the linear map from values to positions (pixels down the chart, or fractions of
//! its width across it).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Axis ticks on "nice" steps (1, 2, 5 × 10ⁿ) covering `lo..=hi`, about `target` intervals,
/// with the number of decimals their labels need. With `whole`, no step is below 1 (counts).
pub(super) fn nice_ticks(
    lo: Decimal,
    hi: Decimal,
    target: u32,
    whole: bool,
) -> (Vec<Decimal>, u32) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else if hi.is_zero() && lo.is_zero() {
        (Decimal::ZERO, Decimal::ONE)
    } else {
        (
            lo.min(Decimal::ZERO),
            hi.max(Decimal::ZERO).saturating_add(Decimal::ONE),
        )
    };
    let span = hi.checked_sub(lo).unwrap_or(Decimal::MAX);
    let raw = span
        .checked_div(Decimal::from(target.max(1)))
        .unwrap_or(span);
    let step = nice_step(raw);
    let step = if whole { step.max(Decimal::ONE) } else { step };
    if step.is_zero() {
        return (vec![lo, hi], 2);
    }
    let snap = |v: Decimal, up: bool| {
        v.checked_div(step)
            .map(|q| if up { q.ceil() } else { q.floor() })
            .and_then(|q| q.checked_mul(step))
            .unwrap_or(v)
    };
    let last = snap(hi, true);
    let mut ticks = Vec::new();
    let mut t = snap(lo, false);
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

/// The smallest of 1, 2, 5, 10 × 10ⁿ at least `raw`.
fn nice_step(raw: Decimal) -> Decimal {
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
    [1u32, 2, 5, 10]
        .iter()
        .filter_map(|m| mag.checked_mul(Decimal::from(*m)))
        .find(|s| *s >= raw)
        .unwrap_or(raw)
}

/// A value axis: the domain drawn (always including 0) and the tick values inside it.
pub(super) struct Axis {
    pub lo: Decimal,
    pub hi: Decimal,
    pub ticks: Vec<Decimal>,
    /// Decimals of the tick labels.
    pub dp: u32,
}

impl Axis {
    /// Ticks for data in `lo..=hi` (which includes 0). Each end of the domain is moved out to
    /// the next tick, unless that would add more than half the span or the end is less than half
    /// a step away from 0 (a small negative value next to large positive ones must not widen
    /// the chart by a whole step); ticks outside the domain are dropped.
    pub fn new(lo: Decimal, hi: Decimal, target: u32, whole: bool) -> Self {
        let (ticks, dp) = nice_ticks(lo, hi, target, whole);
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

    pub fn labels(&self) -> Vec<String> {
        self.ticks
            .iter()
            .map(|t| crate::format::grouped(*t, self.dp))
            .collect()
    }

    pub fn scale(&self, from: f64, to: f64) -> Scale {
        Scale::new(self.lo, self.hi, from, to)
    }
}

/// Linear map from a `Decimal` domain to positions (pixels or fractions of the width).
#[derive(Clone, Copy)]
pub(super) struct Scale {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl Scale {
    pub fn new(lo: Decimal, hi: Decimal, from: f64, to: f64) -> Self {
        let (lo, hi) = (px(lo), px(hi));
        Scale {
            lo,
            hi: if hi > lo { hi } else { lo + 1.0 },
            from,
            to,
        }
    }

    pub fn at(&self, v: Decimal) -> f64 {
        let t = (px(v) - self.lo) / (self.hi - self.lo);
        self.from + t * (self.to - self.from)
    }

    /// [`Scale::at`] rounded to a whole pixel.
    pub fn px(&self, v: Decimal) -> i32 {
        self.at(v).round() as i32
    }
}

/// A value as a coordinate (geometry only; every number shown stays a `Decimal`).
pub(super) fn px(v: Decimal) -> f64 {
    v.to_f64().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn ticks_are_nice() {
        let (t, dp) = nice_ticks(d("0"), d("1234.56"), 5, false);
        assert_eq!(t, vec![d("0"), d("500"), d("1000"), d("1500")]);
        assert_eq!(dp, 0);
        let (t, _) = nice_ticks(d("-7.5"), d("0"), 5, false);
        assert_eq!(t.first(), Some(&d("-8")));
        let (t, dp) = nice_ticks(d("0"), d("0"), 5, false);
        assert_eq!(t.last(), Some(&d("1")));
        assert_eq!(dp, 1);
    }

    /// Two ticks are as nice as more: a span inside one step is drawn from the step below it
    /// to the step above, not from its own ends.
    #[test]
    fn a_span_inside_one_step_still_ticks_on_the_step() {
        let (t, _) = nice_ticks(d("0.3"), d("0.9"), 1, false);
        assert_eq!(t, vec![d("0"), d("1")]);
    }

    /// Steps below 10⁻¹² stay exact: the step's power of ten is searched from 1 down.
    #[test]
    fn a_tiny_span_gets_a_tiny_step() {
        assert_eq!(nice_step(d("0.0000000000003")), d("0.0000000000005"));
        assert_eq!(nice_step(d("0.3")), d("0.5"));
        assert_eq!(nice_step(d("30")), d("50"));
    }

    /// A domain below zero maps from its own low end: zero halfway up a −10…10 axis.
    #[test]
    fn a_scale_through_zero_puts_zero_in_the_middle() {
        let s = Scale::new(d("-10"), d("10"), 0.0, 100.0);
        assert_eq!(s.at(d("0")), 50.0);
        assert_eq!(s.at(d("-10")), 0.0);
        assert_eq!(s.px(d("5")), 75);
    }

    #[test]
    fn counts_have_whole_ticks() {
        let (t, dp) = nice_ticks(d("0"), d("2"), 5, true);
        assert_eq!(t, vec![d("0"), d("1"), d("2")]);
        assert_eq!(dp, 0);
        let (_, dp) = nice_ticks(d("0"), d("2"), 5, false);
        assert_eq!(dp, 1, "amounts may have 0.5 steps");
    }
}
