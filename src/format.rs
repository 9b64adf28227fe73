//! Number formatting for people: amounts as `1,234.56`, shares as `93.58%`, rounded half away
//! from zero only here, at display time; the figures themselves stay exact.

use compact_str::CompactString;
use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds to `dp` places, half away from zero, never producing `-0`.
pub fn round(d: Decimal, dp: u32) -> Decimal {
    let r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    if r.is_zero() {
        Decimal::ZERO.round_dp(dp)
    } else {
        r
    }
}

/// A headline amount in 万元 as people say it: `69.03 亿元` from 1 亿元 (10,000 万元) up, else
/// `286.41 万元`; `—` alone where there is no figure. The second string is the exact value in
/// 万元 (`690,338.32 万元`), for a title or the table beside it.
pub fn headline(wan: Option<Decimal>) -> (String, String) {
    let Some(v) = wan else {
        return ("—".to_owned(), String::new());
    };
    let exact = format!("{} 万元", thousands(v));
    let ten_thousand = Decimal::from(10_000);
    let text = if v.abs() >= ten_thousand {
        format!("{} 亿元", thousands(v / ten_thousand))
    } else {
        exact.clone()
    };
    (text, exact)
}

/// `1234.5` → `1,234.50`.
pub fn thousands(d: Decimal) -> String {
    grouped(d, 2)
}

/// `d.to_string()`, made without `fmt`: a build formats hundreds of thousands of amounts (a
/// tenth of a one-form rebuild's instructions went to `Decimal`'s `Display`). Every digit
/// of the scale, as `Display` writes them (`write_fixed`); a zero is left to it.
pub fn decimal_string(d: Decimal) -> String {
    let digits = d.mantissa().unsigned_abs();
    if digits == 0 {
        return d.to_string();
    }
    let mut out = String::with_capacity(48);
    write_fixed(&mut out, (d.is_sign_negative(), digits), d.scale(), false);
    out
}

/// `value` rounded half away from zero to `dp` places: whether it is below zero and its
/// digits as a whole number (the value × 10^dp), worked out on the mantissa in `i128` — a
/// build rounds hundreds of thousands of figures, and rust_decimal's general rounding was a
/// third of formatting them. A Decimal's mantissa has 96 bits and its scale is at most 28, so
/// neither the scaling up nor the division down overflows; `None` when the result would not
/// fit a Decimal (the callers then take rust_decimal's path, as before).
fn fixed(value: Decimal, dp: u32) -> Option<(bool, u128)> {
    if dp > 28 {
        return None;
    }
    let (m, scale) = (value.mantissa(), value.scale());
    let q = if scale <= dp {
        m.checked_mul(10i128.checked_pow(dp - scale)?)?
    } else {
        let p = 10i128.checked_pow(scale - dp)?;
        let (q, r) = (m / p, m % p);
        if r.unsigned_abs() * 2 >= p.unsigned_abs() {
            q + m.signum()
        } else {
            q
        }
    };
    let digits = q.unsigned_abs();
    (digits < 1 << 96).then_some((q < 0, digits))
}

/// Text a number is written into: a `String`, or a `CompactString` (a table cell's).
trait Text: From<&'static str> + From<String> {
    fn with_capacity(n: usize) -> Self;
    fn push(&mut self, c: char);
}

impl Text for String {
    fn with_capacity(n: usize) -> Self {
        String::with_capacity(n)
    }
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
}

impl Text for CompactString {
    /// Inline (up to 24 bytes) whatever is asked.
    fn with_capacity(_: usize) -> Self {
        CompactString::default()
    }
    fn push(&mut self, c: char) {
        CompactString::push(self, c);
    }
}

/// Writes `fixed`'s number with `dp` decimals, `,` between thousands when `group`; never `-0`.
fn write_fixed(out: &mut impl Text, (negative, digits): (bool, u128), dp: u32, group: bool) {
    let mut buf = [b'0'; 48];
    let mut i = buf.len();
    // 128-bit division is a library call: only for the digits above 64 bits (rare).
    let mut wide = digits;
    while wide > u128::from(u64::MAX) {
        i -= 1;
        buf[i] = b'0' + (wide % 10) as u8;
        wide /= 10;
    }
    let mut n = wide as u64;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // At least one digit before the point.
    i = i.min(buf.len() - dp as usize - 1);
    let (int, frac) = buf[i..].split_at(buf.len() - i - dp as usize);
    if negative && digits != 0 {
        out.push('-');
    }
    for (k, &c) in int.iter().enumerate() {
        if group && k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(char::from(c));
    }
    if dp > 0 {
        out.push('.');
        for &c in frac {
            out.push(char::from(c));
        }
    }
}

/// `value` rounded half away from zero to exactly `dp` decimals, with `,` between thousands;
/// never `-0.00`.
pub fn grouped(value: Decimal, dp: u32) -> String {
    grouped_in(value, dp)
}

/// `grouped` by rust_decimal's rounding and `decimal_string`'s digits: where `fixed` cannot
/// (and, in the tests, what `fixed` must agree with).
fn grouped_by_rounding(value: Decimal, dp: u32) -> String {
    let mut rounded = round(value, dp);
    rounded.rescale(dp);
    let plain = decimal_string(rounded);
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// An amount or `—` for a blank cell.
pub fn money(d: Option<Decimal>) -> String {
    money_in(d)
}

/// A percentage with two decimals, or `—`.
pub fn percent(d: Option<Decimal>) -> String {
    percent_in(d)
}

/// A plain machine-readable number with two decimals, half away from zero, never `-0.00`:
/// sort keys and data attributes, CSV fields, the text an XLSX number is parsed from.
pub fn plain(d: Option<Decimal>) -> String {
    plain_in(d)
}

/// `money`, `percent` and `plain` as `CompactString`s, the same text: held inline up to 24
/// bytes (every figure a table shows), a table of 20,000 departments makes no allocation
/// for its cells (a third of making its rows, most of it page faults).
pub mod compact {
    use super::{CompactString, Decimal};

    pub fn money(d: Option<Decimal>) -> CompactString {
        super::money_in(d)
    }

    pub fn percent(d: Option<Decimal>) -> CompactString {
        super::percent_in(d)
    }

    pub fn plain(d: Option<Decimal>) -> CompactString {
        super::plain_in(d)
    }
}

/// `grouped` into any `Text`.
fn grouped_in<T: Text>(value: Decimal, dp: u32) -> T {
    match fixed(value, dp) {
        Some(f) => {
            let mut out = T::with_capacity(48);
            write_fixed(&mut out, f, dp, true);
            out
        }
        None => grouped_by_rounding(value, dp).into(),
    }
}

fn money_in<T: Text>(d: Option<Decimal>) -> T {
    d.map_or_else(|| "—".into(), |v| grouped_in(v, 2))
}

fn percent_in<T: Text>(d: Option<Decimal>) -> T {
    d.map_or_else(
        || "—".into(),
        |v| {
            let mut out: T = grouped_in(v, 2);
            out.push('%');
            out
        },
    )
}

fn plain_in<T: Text>(d: Option<Decimal>) -> T {
    let Some(v) = d else {
        return T::with_capacity(0);
    };
    if let Some(f) = fixed(v, 2) {
        let mut out = T::with_capacity(48);
        write_fixed(&mut out, f, 2, false);
        return out;
    }
    let mut r = round(v, 2);
    r.rescale(2);
    // Near the type's limit there is no room for two more digits.
    if r.scale() == 2 {
        decimal_string(r).into()
    } else {
        format!("{r:.2}").into()
    }
}

/// Serde of `Option<Decimal>` as an exact JSON number (`286.41`, not `"286.41"`), as
/// rust_decimal's `arbitrary_precision_option` writes it, its text made by `decimal_string`
/// instead of `Display` (which was two fifths of writing `district.json`'s department pieces).
/// Read back by rust_decimal's own.
pub mod json_number {
    use super::decimal_string;
    use rust_decimal::Decimal;
    use serde::Serializer;

    /// Reads back what `serialize` wrote: `null`, or a number exactly as its text says (its
    /// decimal places too).
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Decimal>, D::Error> {
        use serde::de::Error;
        use serde::Deserialize;
        let Some(n) = Option::<serde_json::Number>::deserialize(d)? else {
            return Ok(None);
        };
        let text = n.as_str();
        text.parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(text))
            .map(Some)
            .map_err(|_| D::Error::custom(format!("数字 {text} 超出范围")))
    }

    /// The name serde_json (with `arbitrary_precision`) gives a `Number` serialised as the
    /// struct of its digits, which its serialiser writes bare.
    const NUMBER: &str = "$serde_json::private::Number";

    pub fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        match value {
            // What `serde_json::Number`'s `serialize` does with the digits, without parsing
            // them into one first (a third of writing a download's numbers). Should serde_json
            // rename its token, the test against rust_decimal's bytes fails.
            Some(d) => {
                let mut number = serializer.serialize_struct(NUMBER, 1)?;
                number.serialize_field(NUMBER, &decimal_string(*d))?;
                number.end()
            }
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table cell's text is the text elsewhere: every figure, `—` and the empty sort key,
    /// rounding, signs, and values too large for the fast path.
    #[test]
    fn compact_cells_are_the_same_text() {
        let values = [
            "0",
            "-0.004",
            "0.005",
            "-0.005",
            "1234.5",
            "-1234567.125",
            "99.995",
            "12.3456789",
            "79228162514264337593543950335",
            "-7922816251426433759354395033.5",
        ];
        for v in values {
            let d: Decimal = v.parse().unwrap();
            assert_eq!(compact::money(Some(d)), money(Some(d)), "{v}");
            assert_eq!(compact::percent(Some(d)), percent(Some(d)), "{v}");
            assert_eq!(compact::plain(Some(d)), plain(Some(d)), "{v}");
        }
        assert_eq!(compact::money(None), money(None));
        assert_eq!(compact::percent(None), percent(None));
        assert_eq!(compact::plain(None), plain(None));
    }

    /// `decimal_string` is `Decimal`'s `Display` for every sign, scale and mantissa: random
    /// ones (a fixed generator), every scale of the edges, and the two it leaves to `Display`;
    /// `plain` is `{:.2}` of the rounded value, as it was written before.
    #[test]
    fn decimal_strings_are_what_display_writes() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut cases: Vec<Decimal> = Vec::new();
        for _ in 0..20_000 {
            let raw = next();
            // Short mantissas as often as long ones: amounts are mostly a few digits.
            let m = i128::from(raw >> (raw % 64));
            let scale = (next() % 29) as u32;
            let mut d = Decimal::from_i128_with_scale(m, scale);
            d.set_sign_negative(next() % 2 == 0);
            cases.push(d);
        }
        for scale in 0..=28 {
            for m in [
                1_i128,
                9,
                10,
                99,
                100,
                i128::from(u64::MAX),
                i128::from(u64::MAX) + 1,
            ] {
                for negative in [false, true] {
                    let mut d = Decimal::from_i128_with_scale(m, scale);
                    d.set_sign_negative(negative);
                    cases.push(d);
                }
            }
            let mut zero = Decimal::new(0, scale);
            cases.push(zero);
            zero.set_sign_negative(true);
            cases.push(zero);
        }
        for d in cases {
            assert_eq!(decimal_string(d), d.to_string(), "{d:?}");
            assert_eq!(as_json_number(Some(d)), by_rust_decimal(Some(d)), "{d:?}");
            assert_eq!(plain(Some(d)), format!("{:.2}", round(d, 2)), "{d:?}");
            for dp in [0, 1, 2, 3, 28, 29] {
                assert_eq!(grouped(d, dp), grouped_by_rounding(d, dp), "{d:?} to {dp}");
            }
        }
    }

    #[derive(serde::Serialize)]
    struct Ours(#[serde(with = "super::json_number")] Option<Decimal>);
    #[derive(serde::Serialize)]
    struct Theirs(
        #[serde(with = "rust_decimal::serde::arbitrary_precision_option")] Option<Decimal>,
    );

    /// JSON and postcard bytes of `json_number`'s and of rust_decimal's serialisation.
    fn as_json_number(d: Option<Decimal>) -> (String, Vec<u8>) {
        (
            serde_json::to_string(&Ours(d)).unwrap(),
            postcard::to_stdvec(&Ours(d)).unwrap(),
        )
    }
    fn by_rust_decimal(d: Option<Decimal>) -> (String, Vec<u8>) {
        (
            serde_json::to_string(&Theirs(d)).unwrap(),
            postcard::to_stdvec(&Theirs(d)).unwrap(),
        )
    }

    #[test]
    fn json_numbers_are_written_as_rust_decimal_writes_them() {
        assert_eq!(as_json_number(None), by_rust_decimal(None));
        assert_eq!(as_json_number(Some(d("286.410"))).0, "286.410");
    }

    #[test]
    fn headline_amounts_read_at_a_glance() {
        let d = |s: &str| Some(s.parse::<Decimal>().unwrap());
        assert_eq!(
            headline(d("690338.32")),
            ("69.03 亿元".to_owned(), "690,338.32 万元".to_owned())
        );
        assert_eq!(headline(d("10000")).0, "1.00 亿元");
        assert_eq!(headline(d("9999.99")).0, "9,999.99 万元");
        assert_eq!(headline(d("286.41")).0, "286.41 万元");
        assert_eq!(headline(None), ("—".to_owned(), String::new()));
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(thousands(d("1234.5")), "1,234.50");
        assert_eq!(thousands(d("99999999.995")), "100,000,000.00");
        assert_eq!(thousands(d("-1234567.004")), "-1,234,567.00");
        assert_eq!(thousands(d("-0.001")), "0.00");
        assert_eq!(thousands(d("0.005")), "0.01");
        assert_eq!(thousands(d("286.41")), "286.41");
        assert_eq!(money(None), "—");
        assert_eq!(percent(Some(d("93.575"))), "93.58%");
        assert_eq!(plain(Some(d("-0.004"))), "0.00");
        assert_eq!(grouped(d("1234567.5"), 0), "1,234,568");
        assert_eq!(grouped(d("-0.4"), 0), "0");
    }

    #[test]
    fn plain_rounds_half_away_from_zero_and_pads() {
        let dec = |s: &str| s.parse::<Decimal>().unwrap();
        for (input, want) in [
            ("0", "0.00"),
            ("5", "5.00"),
            ("1.5", "1.50"),
            ("1.234", "1.23"),
            ("1.235", "1.24"),
            ("1.245", "1.25"), // not banker's rounding
            ("2.675", "2.68"), // classic f64 trap: 2.675 is 2.67499.. as a double
            ("-1.235", "-1.24"),
            ("-1.2", "-1.20"),
            ("-0.004", "0.00"), // no negative zero
            ("-0.005", "-0.01"),
            ("-0", "0.00"),
            ("0.001", "0.00"),
            ("123456789012345678.125", "123456789012345678.13"),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335.00",
            ),
        ] {
            assert_eq!(plain(Some(dec(input))), want, "plain({input})");
        }
        assert_eq!(plain(None), "");
    }

    #[test]
    fn thousands_match_excel_display() {
        let dec = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(thousands(dec("0")), "0.00");
        assert_eq!(thousands(dec("999")), "999.00");
        assert_eq!(thousands(dec("1000")), "1,000.00");
        assert_eq!(thousands(dec("-1234567.891")), "-1,234,567.89");
        assert_eq!(thousands(dec("123456")), "123,456.00");
    }
}
