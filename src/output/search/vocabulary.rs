//! A district's vocabulary: the words a query may be split into (`words::Segmenter`, jieba's
//! segmentation, over every searchable text of the district), and the words of short texts a
//! build shares between its districts' indexes (`TextWords`).

use super::{is_cjk, words};
use crate::analyze::District;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// The words of a text a query may be split into: jieba's dictionary words (search mode, so
/// long words also give their parts; `words`) of two to eight Chinese characters. Without its
/// HMM for unknown words, which costs time: the page's bigram matching finds those.
pub(super) fn words_of<'t>(
    text: &'t str,
    seg: &mut words::Segmenter,
    into: &mut rustc_hash::FxHashSet<&'t str>,
) {
    seg.for_search(text, |w| {
        let n = w.chars().count();
        if (2..=8).contains(&n) && w.chars().all(is_cjk) {
            into.insert(w);
        }
    });
}

/// The vocabulary words of the short texts a build has segmented, shared by its districts'
/// indexes (`write_district_index_with`). Texts repeat across districts — indicator names,
/// targets, goal names — and each district segmented them anew: over 16 districts of 125
/// departments the segmentation was 3.3 % of a build's CPU, against 0.7 % with the same
/// departments in one district. Bounded: texts of at most `MEMO_TEXT_BYTES` (longer ones
/// rarely repeat), `MEMO_ENTRIES` of them (~16 MB at most); past that a text is segmented
/// and not kept.
#[derive(Default)]
pub struct TextWords<'t> {
    shards: [std::sync::Mutex<Spans<'t>>; MEMO_SHARDS],
    entries: std::sync::atomic::AtomicUsize,
}

/// A text → its words, as (start, length) in bytes within it.
type Spans<'t> = rustc_hash::FxHashMap<&'t str, Box<[(u8, u8)]>>;

const MEMO_SHARDS: usize = 16;
/// Every vocabulary word of such a text starts and ends within a byte's reach (< 256).
const MEMO_TEXT_BYTES: usize = 96;
const MEMO_ENTRIES: usize = 1 << 18;

/// `words_of`, through `memo` when the text is short enough to be kept there. The words put
/// in `into` may be slices of an equal text of another district: the vocabulary compares them
/// by their characters.
fn words_of_shared<'t>(
    text: &'t str,
    seg: &mut words::Segmenter,
    memo: Option<&TextWords<'t>>,
    into: &mut rustc_hash::FxHashSet<&'t str>,
) {
    let Some(memo) = memo.filter(|_| text.len() <= MEMO_TEXT_BYTES) else {
        return words_of(text, seg, into);
    };
    let shard = {
        use std::hash::BuildHasher;
        let h = rustc_hash::FxBuildHasher.hash_one(text);
        &memo.shards[(h as usize) % MEMO_SHARDS]
    };
    if let Ok(kept) = shard.lock() {
        if let Some((&known, spans)) = kept.get_key_value(text) {
            for &(at, len) in spans.iter() {
                let at = usize::from(at);
                into.insert(&known[at..at + usize::from(len)]);
            }
            return;
        }
    }
    let mut found = rustc_hash::FxHashSet::default();
    words_of(text, seg, &mut found);
    // Every word is a slice of the text, which is at most `MEMO_TEXT_BYTES` < 256 long.
    let base = text.as_ptr() as usize;
    let spans: Box<[(u8, u8)]> = found
        .iter()
        .map(|w| ((w.as_ptr() as usize - base) as u8, w.len() as u8))
        .collect();
    into.extend(found.iter().copied());
    if memo
        .entries
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        < MEMO_ENTRIES
    {
        if let Ok(mut kept) = shard.lock() {
            kept.insert(text, spans);
        }
    }
}

/// The district's vocabulary: the words of its texts (`words_of`), sorted. Each word is a
/// slice of a text it was found in: a set of those per thread, merged and sorted once (a
/// `BTreeSet<String>` per thread was half the vocabulary's time, the segmentation the other).
pub(super) fn vocabulary<'d>(d: &'d District<'_>, memo: Option<&TextWords<'d>>) -> Vec<&'d str> {
    let set = texts_of(d)
        .par_iter()
        .fold(
            || {
                (
                    rustc_hash::FxHashSet::default(),
                    words::Segmenter::default(),
                )
            },
            |(mut v, mut seg), t| {
                words_of_shared(t, &mut seg, memo, &mut v);
                (v, seg)
            },
        )
        .map(|(v, _)| v)
        .reduce(rustc_hash::FxHashSet::default, |mut a, b| {
            a.extend(b);
            a
        });
    let mut words: Vec<&str> = set.into_iter().collect();
    words.sort_unstable();
    words
}

/// The district's distinct texts that hold Chinese (to segment into its vocabulary; names
/// and targets repeat across its forms), sorted.
fn texts_of<'d>(d: &'d District<'_>) -> Vec<&'d str> {
    let mut texts: BTreeSet<&str> = BTreeSet::new();
    for dep in &d.departments {
        texts.insert(&dep.name);
        for f in &dep.forms {
            let t = &f.facts.search;
            texts.extend(t.overall());
            for g in t.goals() {
                texts.insert(g.name);
                for i in g.indicators() {
                    texts.insert(i.name);
                    texts.insert(i.target);
                }
            }
        }
        for f in &dep.evaluations {
            let e = &f.evaluation.form;
            texts.extend(e.goals.iter().filter_map(|g| g.achieved.as_deref()));
            for i in &e.indicators {
                texts.extend(i.name.as_deref());
                texts.extend(i.actual.as_deref());
            }
        }
    }
    let texts = texts
        .into_iter()
        .filter(|t| t.chars().any(is_cjk))
        .collect();
    texts
}
