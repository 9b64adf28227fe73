//! `FormText`: the searchable text of one form — its overall goals, and per goal its name and
//! each indicator's level 1, name and target — packed into one string with the ends of its
//! pieces. A build holds one for every form to its end (the search index and a
//! self-evaluation's pairing read it); as separate `String`s (2.5 million at 60,000 forms)
//! their headers and the allocator's rounding weighed more than the text itself.
//!
//! In JSON it serialises as the unpacked structure did (`{"overall":[…],"goals":[{"name":…,
//! "indicators":[{"level1":…,"name":…,"target":…}]}]}`), so the feed's change digests, made
//! from that JSON, stay what earlier builds published. In a binary format (the build cache's
//! postcard) it is written as it is held — the text, its pieces' ends, the counts, its digest —, which a
//! rebuild reads back with three copies instead of a string per piece (that decoding was half
//! of the cache's load) and checks before use (`FormText::from_parts`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The searchable text of one form (`FormText::of` a declaration, or `FormText::new`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormText {
    /// Every piece, one after another: the overall lines, then per goal its name and each of
    /// its indicators' level 1, name and target.
    text: Box<str>,
    /// Where each piece ends in `text`.
    ends: Box<[u32]>,
    /// How many overall lines, then per goal how many indicators.
    counts: Box<[u32]>,
    /// The three above as one `hash::digest`-like value (`digest_of`), made once where the
    /// text is made and kept in the cache with it: what the text is hashed by.
    digest: u64,
}

/// What `FormText::digest` is: the text a word at a time, then its pieces' ends and the
/// counts two to a word, each part after its length.
fn digest_of(text: &str, ends: &[u32], counts: &[u32]) -> u64 {
    let mut h = crate::hash::Digest::new();
    h.update(&(text.len() as u64).to_le_bytes());
    h.update(text.as_bytes());
    for part in [ends, counts] {
        h.update(&(part.len() as u64).to_le_bytes());
        for pair in part.chunks(2) {
            let word = u64::from(pair[0]) | pair.get(1).map_or(0, |&e| u64::from(e) << 32);
            h.update(&word.to_le_bytes());
        }
    }
    h.finish().0
}

/// One goal of a `FormText`.
#[derive(Debug, Clone, Copy)]
pub struct Goal<'t> {
    pub name: &'t str,
    text: &'t FormText,
    /// The index of its first indicator's first piece, and how many indicators.
    first: usize,
    indicators: usize,
}

/// One indicator row of a `FormText`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indicator<'t> {
    pub level1: &'t str,
    pub name: &'t str,
    pub target: &'t str,
}

/// A goal as `FormText::new` takes it: its name and its indicators (level 1, name, target).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalText {
    pub name: String,
    pub indicators: Vec<IndicatorText>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorText {
    pub level1: String,
    pub name: String,
    pub target: String,
}

impl Default for FormText {
    /// No text: equal to every other empty one, however made.
    fn default() -> FormText {
        FormText::new(std::iter::empty(), std::iter::empty())
    }
}

impl FormText {
    /// Packs the overall lines and the goals as given.
    pub fn new<'a>(
        overall: impl IntoIterator<Item = &'a str>,
        goals: impl IntoIterator<Item = (&'a str, Vec<[&'a str; 3]>)>,
    ) -> FormText {
        let mut packer = Packer::default();
        let overall = overall.into_iter().map(|o| packer.push(o)).count();
        packer.counts.push(count(overall));
        for (name, indicators) in goals {
            packer.push(name);
            for piece in indicators.iter().flatten() {
                packer.push(piece);
            }
            packer.counts.push(count(indicators.len()));
        }
        packer.finish()
    }

    fn piece(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends.get(i).map_or(start, |&e| e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// The 年度目标 and 整体绩效目标 lines.
    pub fn overall(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        let n = self.counts.first().map_or(0, |&n| n as usize);
        (0..n).map(|i| self.piece(i))
    }

    pub fn goals(&self) -> impl Iterator<Item = Goal<'_>> + '_ {
        let overall = self.counts.first().map_or(0, |&n| n as usize);
        let mut next = overall;
        self.counts.iter().skip(1).map(move |&n| {
            let goal = Goal {
                name: self.piece(next),
                text: self,
                first: next + 1,
                indicators: n as usize,
            };
            next += 1 + 3 * n as usize;
            goal
        })
    }

    /// Every indicator row, goal by goal.
    pub fn indicators(&self) -> impl Iterator<Item = Indicator<'_>> + '_ {
        self.goals().flat_map(|g| g.indicators())
    }

    /// The indicators a self-evaluation is compared with (contract `self-evaluation-v1.md`
    /// §4): the rows with a name, without the template's `___` placeholders. The rules and
    /// the site compare against this one list.
    pub fn named_indicators(&self) -> impl Iterator<Item = Indicator<'_>> + '_ {
        self.indicators()
            .filter(|i| !i.name.trim().is_empty() && !i.name.contains("___"))
    }

    /// Packs owned lines and goals (as the unpacked structure held them).
    pub fn from_owned(overall: &[String], goals: &[GoalText]) -> FormText {
        FormText::new(
            overall.iter().map(String::as_str),
            goals.iter().map(|g| {
                let indicators = g
                    .indicators
                    .iter()
                    .map(|i| [i.level1.as_str(), i.name.as_str(), i.target.as_str()])
                    .collect();
                (g.name.as_str(), indicators)
            }),
        )
    }

    /// The form's text of a declaration: trimmed, blank overall lines left out.
    pub fn of(d: &super::Declaration) -> FormText {
        fn s(o: &Option<String>) -> &str {
            o.as_deref().unwrap_or("").trim()
        }
        let overall = d
            .annual_goal
            .iter()
            .chain(&d.overall_goals)
            .map(|t| t.trim())
            .filter(|t| !t.is_empty());
        let goals = d.goals.iter().map(|g| {
            let indicators = g
                .indicators
                .iter()
                .map(|i| [s(&i.level1), s(&i.name), s(&i.target)])
                .collect();
            (s(&g.name), indicators)
        });
        FormText::new(overall, goals)
    }

    /// The unpacked structure it serialises as.
    fn unpacked(&self) -> Unpacked<'_> {
        Unpacked {
            overall: self.overall().collect(),
            goals: self
                .goals()
                .map(|g| UnpackedGoal {
                    name: g.name,
                    indicators: g.indicators().collect(),
                })
                .collect(),
        }
    }
}

impl<'t> Goal<'t> {
    pub fn indicators(&self) -> impl ExactSizeIterator<Item = Indicator<'t>> + 't {
        let (text, first) = (self.text, self.first);
        (0..self.indicators).map(move |k| {
            let at = first + 3 * k;
            Indicator {
                level1: text.piece(at),
                name: text.piece(at + 1),
                target: text.piece(at + 2),
            }
        })
    }
}

/// A form's count of lines or indicators: no form holds four billion of them (inputs are a
/// few MB), and a count that did would be cut, not wrapped.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[derive(Default)]
struct Packer {
    text: String,
    ends: Vec<u32>,
    counts: Vec<u32>,
}

impl Packer {
    fn push(&mut self, piece: &str) {
        // A text past 4 GB (never: inputs are limited to a few MB) keeps its pieces empty
        // rather than ends that would cut a character.
        if u32::try_from(self.text.len() + piece.len()).is_ok() {
            self.text.push_str(piece);
        }
        self.ends.push(count(self.text.len()));
    }

    fn finish(self) -> FormText {
        FormText {
            digest: digest_of(&self.text, &self.ends, &self.counts),
            text: self.text.into_boxed_str(),
            ends: self.ends.into_boxed_slice(),
            counts: self.counts.into_boxed_slice(),
        }
    }
}

#[derive(Serialize)]
struct Unpacked<'t> {
    overall: Vec<&'t str>,
    goals: Vec<UnpackedGoal<'t>>,
}

#[derive(Serialize)]
struct UnpackedGoal<'t> {
    name: &'t str,
    indicators: Vec<Indicator<'t>>,
}

/// As `IndicatorText` serialises.
impl Serialize for Indicator<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("IndicatorText", 3)?;
        s.serialize_field("level1", self.level1)?;
        s.serialize_field("name", self.name)?;
        s.serialize_field("target", self.target)?;
        s.end()
    }
}

impl Serialize for FormText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            self.unpacked().serialize(serializer)
        } else {
            // Each piece's length rather than its end: a byte or two each, as the unpacked
            // strings' lengths were, where ends grow to three. The digest with them: made
            // again at every load, it was the most of hashing a district's text.
            (&*self.text, Lengths(&self.ends), &*self.counts, self.digest).serialize(serializer)
        }
    }
}

#[derive(Deserialize)]
struct Owned {
    overall: Vec<String>,
    goals: Vec<GoalText>,
}

impl<'de> Deserialize<'de> for FormText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FormText, D::Error> {
        if deserializer.is_human_readable() {
            let o = Owned::deserialize(deserializer)?;
            return Ok(FormText::from_owned(&o.overall, &o.goals));
        }
        let (Utf8(text), lengths, counts, digest) =
            <(Utf8, Vec<u32>, Vec<u32>, u64)>::deserialize(deserializer)?;
        FormText::from_parts(text, lengths, counts, Some(digest))
            .ok_or_else(|| serde::de::Error::custom("inconsistent packed form text"))
    }
}

/// A packed text read back from a binary format: taken as the bytes it is written as (a
/// string is its length and its bytes) and checked to be UTF-8 by `simdutf8`. Through serde's
/// `String` the check was the standard library's, byte by byte over Chinese text: 4 % of a
/// one-form rebuild's CPU at 20,000 departments, on the cache's load.
struct Utf8(String);

impl<'de> Deserialize<'de> for Utf8 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Utf8, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Utf8;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("UTF-8 text")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Utf8, E> {
                simdutf8::basic::from_utf8(bytes)
                    .map(|text| Utf8(text.to_owned()))
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(bytes), &self))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Utf8, E> {
                Ok(Utf8(text.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Utf8, E> {
                Ok(Utf8(text))
            }
        }
        deserializer.deserialize_bytes(Visitor)
    }
}

/// Hashed by its digest, made once (`digest_of`), not byte by byte: a district's search index
/// is keyed by every form's text (9 ms of a one-form rebuild at 2,000 departments went to
/// hashing it byte by byte, ~3 ms to its digest at every build).
impl std::hash::Hash for FormText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.digest);
    }
}

/// The pieces' lengths, from their ends, serialised as a sequence.
struct Lengths<'t>(&'t [u32]);

impl Serialize for Lengths<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let starts = std::iter::once(0).chain(self.0.iter().copied());
        serializer.collect_seq(
            self.0
                .iter()
                .zip(starts)
                .map(|(&end, start)| end.saturating_sub(start)),
        )
    }
}

impl FormText {
    /// A packed text as `Serialize` wrote it in a binary format (its pieces' lengths), if it
    /// is one `new` could have made: as many pieces as the counts call for, each ending
    /// within the text on a character's boundary.
    /// `digest` is the one the cache kept with it (`None`: made here).
    fn from_parts(
        text: String,
        mut ends: Vec<u32>,
        counts: Vec<u32>,
        digest: Option<u64>,
    ) -> Option<FormText> {
        let (&overall, goals) = counts.split_first()?;
        let pieces = goals.iter().try_fold(overall as usize, |n, &k| {
            n.checked_add(1)?.checked_add((k as usize).checked_mul(3)?)
        })?;
        let mut end = 0u32;
        for length in &mut ends {
            end = end.checked_add(*length)?;
            *length = end;
        }
        let sound = ends.len() == pieces && ends.iter().all(|&e| text.is_char_boundary(e as usize));
        sound.then(|| FormText {
            digest: digest.unwrap_or_else(|| digest_of(&text, &ends, &counts)),
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
            counts: counts.into_boxed_slice(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The structure `FormText` was before it was packed, serialised by serde's derive: the
    /// packed one must serialise the same (the feed's digests are made from its JSON, the
    /// cache stores it with postcard).
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Unpacked {
        overall: Vec<String>,
        goals: Vec<GoalText>,
    }

    fn goal(name: &str, rows: &[[&str; 3]]) -> GoalText {
        GoalText {
            name: name.to_owned(),
            indicators: rows
                .iter()
                .map(|[l, n, t]| IndicatorText {
                    level1: (*l).to_owned(),
                    name: (*n).to_owned(),
                    target: (*t).to_owned(),
                })
                .collect(),
        }
    }

    fn example() -> Unpacked {
        Unpacked {
            overall: vec!["全年完成职工培训".into(), "维护职工权益".into()],
            goals: vec![
                goal(
                    "职工培训",
                    &[
                        ["产出指标", "培训人数", "≥150人"],
                        ["", "", ""],
                        ["满意度指标", "满意度", "≥90%"],
                    ],
                ),
                goal("", &[]),
                goal(
                    "帮扶",
                    &[["效益指标", "___", "x"], ["", "帮扶户数", "12户"]],
                ),
            ],
        }
    }

    fn pack(u: &Unpacked) -> FormText {
        FormText::from_owned(&u.overall, &u.goals)
    }

    #[test]
    fn a_packed_text_gives_back_every_piece_in_its_place() {
        let u = example();
        let t = pack(&u);
        assert_eq!(t.overall().collect::<Vec<_>>(), u.overall);
        let goals: Vec<Goal<'_>> = t.goals().collect();
        assert_eq!(goals.len(), 3);
        for (g, want) in goals.iter().zip(&u.goals) {
            assert_eq!(g.name, want.name);
            let rows: Vec<[&str; 3]> = g
                .indicators()
                .map(|i| [i.level1, i.name, i.target])
                .collect();
            let want: Vec<[&str; 3]> = want
                .indicators
                .iter()
                .map(|i| [i.level1.as_str(), i.name.as_str(), i.target.as_str()])
                .collect();
            assert_eq!(rows, want, "the indicators of goal {:?}", g.name);
        }
        let named: Vec<&str> = t.named_indicators().map(|i| i.name).collect();
        assert_eq!(named, ["培训人数", "满意度", "帮扶户数"]);
        assert_eq!(FormText::default().overall().count(), 0);
        assert_eq!(FormText::default().goals().count(), 0);
        let empty: [&str; 0] = [];
        assert_eq!(FormText::new(empty, []), FormText::default());
    }

    #[test]
    fn it_serialises_as_the_unpacked_structure_and_reads_back_the_same() {
        let u = example();
        let t = pack(&u);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, serde_json::to_string(&u).unwrap());
        assert_eq!(serde_json::from_str::<FormText>(&json).unwrap(), t);
        let empty = FormText::default();
        assert_eq!(
            serde_json::to_string(&empty).unwrap(),
            r#"{"overall":[],"goals":[]}"#
        );
    }

    /// In the cache (postcard, not human-readable) it is written packed, not as the unpacked
    /// structure, and read back equal.
    #[test]
    fn in_a_binary_format_it_is_written_packed_and_reads_back_the_same() {
        let u = example();
        let t = pack(&u);
        let bytes = postcard::to_stdvec(&t).unwrap();
        assert_ne!(bytes, postcard::to_stdvec(&u).unwrap());
        assert_eq!(postcard::from_bytes::<FormText>(&bytes).unwrap(), t);
        let empty = FormText::default();
        let bytes = postcard::to_stdvec(&empty).unwrap();
        assert_eq!(postcard::from_bytes::<FormText>(&bytes).unwrap(), empty);
    }

    /// Packed parts that `new` could not have made are refused (the cache is then ignored),
    /// never taken as text whose pieces cut characters or run past its end.
    #[test]
    fn inconsistent_packed_parts_are_refused() {
        let parts = |t: &str, lengths: &[u32], counts: &[u32]| {
            // With the digest a sound text of these parts has (the cache's is trusted).
            let ends: Vec<u32> = lengths
                .iter()
                .scan(0u32, |end, &l| {
                    *end = end.saturating_add(l);
                    Some(*end)
                })
                .collect();
            let digest = digest_of(t, &ends, counts);
            let bytes = postcard::to_stdvec(&(t, lengths, counts, digest)).unwrap();
            postcard::from_bytes::<FormText>(&bytes).ok()
        };
        // The pieces' lengths: 甲 is 3 bytes, one overall line, then a goal 乙 with no
        // indicators.
        assert_eq!(
            parts("甲乙", &[3, 3], &[1, 0]),
            Some(FormText::new(["甲"], [("乙", vec![])]))
        );
        assert_eq!(parts("甲乙", &[3], &[1, 0]), None, "a piece missing");
        assert_eq!(parts("甲乙", &[3, 3, 0], &[1, 0]), None, "a piece too many");
        assert_eq!(parts("甲乙", &[1, 5], &[1, 0]), None, "inside a character");
        assert_eq!(parts("甲乙", &[3, 6], &[1, 0]), None, "past the text");
        assert_eq!(parts("甲乙", &[3, u32::MAX], &[1, 0]), None, "past 4 GB");
        assert_eq!(parts("", &[], &[]), None, "no counts");
        assert_eq!(
            parts("", &[], &[0, u32::MAX]),
            None,
            "a count past any pieces"
        );
    }

    /// The text's bytes are checked to be UTF-8 as they are read back: bytes that are not
    /// (a flipped byte the checksum missed) refuse the text, never make a `str` of them.
    #[test]
    fn packed_text_that_is_not_utf8_is_refused() {
        let good = postcard::to_stdvec(&("甲乙", &[3u32, 3][..], &[1u32, 0][..], 7u64)).unwrap();
        assert!(postcard::from_bytes::<FormText>(&good).is_ok());
        // 甲 is E7 94 B2, after the length byte: each byte in turn made one that no
        // character has there.
        for at in 1..=3 {
            let mut bad = good.clone();
            bad[at] = if at == 1 { 0xFF } else { 0x41 };
            assert!(
                postcard::from_bytes::<FormText>(&bad).is_err(),
                "byte {at} made invalid"
            );
        }
        // And a character cut by the end of the text's bytes.
        let cut = postcard::to_stdvec(&(&b"\xE7\x94"[..], &[2u32][..], &[1u32][..], 7u64)).unwrap();
        assert!(postcard::from_bytes::<FormText>(&cut).is_err());
    }

    #[test]
    fn long_pieces_are_kept_whole() {
        // Two pieces whose lengths multiply past 4 GB but add to far less: both kept (the
        // guard is on the text's length, not a product of them).
        let long = "长".repeat(25_000);
        let t = FormText::new([long.as_str(), long.as_str()], []);
        assert_eq!(
            t.overall().collect::<Vec<_>>(),
            [long.as_str(), long.as_str()]
        );
    }

    #[test]
    fn texts_with_the_same_pieces_in_other_places_differ() {
        let a = FormText::new(["甲"], [("乙", vec![])]);
        let b = FormText::new(["甲", "乙"], []);
        let c = FormText::new([], [("甲乙", vec![])]);
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_ne!(b, c);
        assert_eq!(a, FormText::new(["甲"], [("乙", vec![])]));
        // And so do their hashes (a search index's key), down to where a piece ends.
        let key = |t: &FormText| {
            let mut h = crate::hash::Fnv::new();
            std::hash::Hash::hash(t, &mut h);
            std::hash::Hasher::finish(&h)
        };
        let moved = |a: &str, b: &str| FormText::new([a, b, "丁"], []);
        assert_eq!(key(&a), key(&FormText::new(["甲"], [("乙", vec![])])));
        assert_ne!(key(&a), key(&b));
        assert_ne!(key(&a), key(&c));
        assert_ne!(key(&b), key(&c));
        assert_ne!(key(&moved("甲乙", "丙")), key(&moved("甲", "乙丙")));
        assert_ne!(
            key(&moved("甲", "乙")),
            key(&moved("甲", "丙")),
            "a character"
        );
        assert_eq!(key(&moved("甲", "乙丙")), key(&moved("甲", "乙丙")));
    }
}
