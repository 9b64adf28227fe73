//! How a form's figures that the build cache keeps (`Facts`, `Quality`) serialise: in a
//! human-readable format (JSON) as rust_decimal writes them, unchanged; in a binary one (the
//! cache's postcard) as the number's integer digits and scale, two varints. As text, each
//! figure was parsed again at every load: 60,000 forms hold ~1.2 million of them, a third of
//! the cache's decoding in a one-form rebuild at 20,000 departments.
//!
//! Used as `#[serde(with = "…")]` on the fields: `self` for a `Decimal`, `option` for an
//! `Option<Decimal>`, `prior` for a form's prior-year actuals.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A figure in either form (see the module).
#[derive(Clone, Copy)]
struct Figure(Decimal);

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            Serialize::serialize(&self.0, serializer)
        } else {
            // The sign apart from the digits too: a negative zero (`-0.00` on a form) stays
            // one, as a clean build reads it.
            let d = self.0;
            (
                d.mantissa(),
                d.scale() << 1 | u32::from(d.is_sign_negative()),
            )
                .serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Figure, D::Error> {
        if deserializer.is_human_readable() {
            return <Decimal as Deserialize>::deserialize(deserializer).map(Figure);
        }
        let (mantissa, scale_sign) = <(i128, u32)>::deserialize(deserializer)?;
        // Digits or a scale no decimal has (corrupt bytes) are refused, never wrapped.
        let mut d = Decimal::try_from_i128_with_scale(mantissa, scale_sign >> 1)
            .map_err(serde::de::Error::custom)?;
        d.set_sign_negative(scale_sign & 1 == 1);
        Ok(Figure(d))
    }
}

pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    Figure(*value).serialize(serializer)
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    Figure::deserialize(deserializer).map(|f| f.0)
}

/// An `Option<Decimal>`.
pub mod option {
    use super::Figure;
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.map(Figure).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Ok(Option::<Figure>::deserialize(deserializer)?.map(|f| f.0))
    }
}

/// A form's prior-year actuals: (year, figure) pairs.
pub mod prior {
    use super::Figure;
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    type Pairs = Box<[(i32, Option<Decimal>)]>;

    pub fn serialize<S: Serializer>(
        value: &[(i32, Option<Decimal>)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(value.iter().map(|&(year, v)| (year, v.map(Figure))))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Pairs, D::Error> {
        let pairs = Vec::<(i32, Option<Figure>)>::deserialize(deserializer)?;
        Ok(pairs
            .into_iter()
            .map(|(year, v)| (year, v.map(|f| f.0)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Held {
        #[serde(with = "super")]
        score: Decimal,
        #[serde(with = "super::option")]
        share: Option<Decimal>,
        #[serde(with = "super::prior")]
        prior: Box<[(i32, Option<Decimal>)]>,
    }

    /// The same struct as rust_decimal's own serde writes it: what JSON must stay.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Plain {
        score: Decimal,
        share: Option<Decimal>,
        prior: Vec<(i32, Option<Decimal>)>,
    }

    fn values() -> Vec<Decimal> {
        [
            "0",
            "0.00",
            "-0.0",
            "1234.50",
            "-1234567.125",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7.9228162514264337593543950335",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect()
    }

    /// Every figure reads back from the cache's bytes exactly, its scale and sign too
    /// (`1234.50` stays two places, `-0.0` negative), and JSON is what rust_decimal writes
    /// and reads.
    #[test]
    fn figures_read_back_exactly_in_binary_and_as_before_in_json() {
        for v in values() {
            let held = Held {
                score: v,
                share: Some(v),
                prior: vec![(2021, Some(v)), (2020, None)].into(),
            };
            let bytes = postcard::to_stdvec(&held).unwrap();
            let back: Held = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back, held);
            assert_eq!(back.score.scale(), v.scale(), "{v}");
            assert_eq!(back.score.serialize(), v.serialize(), "{v}");
            let plain = Plain {
                score: v,
                share: Some(v),
                prior: vec![(2021, Some(v)), (2020, None)],
            };
            let json = serde_json::to_string(&held).unwrap();
            assert_eq!(json, serde_json::to_string(&plain).unwrap());
            assert_eq!(serde_json::from_str::<Held>(&json).unwrap(), held);
        }
        let none = Held {
            score: Decimal::ZERO,
            share: None,
            prior: Box::new([]),
        };
        let bytes = postcard::to_stdvec(&none).unwrap();
        assert_eq!(postcard::from_bytes::<Held>(&bytes).unwrap(), none);
    }

    /// Digits past a decimal's 96 bits or a scale past 28 (corrupt bytes) are an error.
    #[test]
    fn impossible_figures_are_refused() {
        for (mantissa, scale) in [(1i128 << 96, 4u32), (5, 58), (-(1i128 << 100), 0)] {
            let bytes = postcard::to_stdvec(&(mantissa, scale)).unwrap();
            assert!(
                postcard::from_bytes::<Figure>(&bytes).is_err(),
                "{mantissa} e-{scale}"
            );
        }
        let bytes = postcard::to_stdvec(&(-125i128, 5u32)).unwrap();
        assert_eq!(
            postcard::from_bytes::<Figure>(&bytes).unwrap().0,
            "-1.25".parse::<Decimal>().unwrap()
        );
    }
}
