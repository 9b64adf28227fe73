//! Search: what the site's search box finds, made at build time — the text of each form that a
//! reader searches (goal names, overall goals, indicator names and targets: `FormText`, kept in `Facts` so
//! an incremental build need not read a form again; of a self-evaluation, what was achieved
//! and each indicator's actual), a district's index in chunks (issue 20), and (`page`) the
//! search page's view.
//!
//! An index file is a script, not JSON fetched: browsers refuse `fetch()` of a file next to a
//! page opened from `file://`, but run a `<script src>`. A district's index is a manifest
//! (`search/<district>.js`) and, in `search/<district>/`, token chunks by first character
//! (`w<n>.js`: the district's vocabulary — jieba's words, `words` — and, per pair of
//! neighbouring characters, the departments holding it), whole texts by hash (`x<n>.js`),
//! each year's departments (`y.js`), filters (`f.js`) and a record
//! per department (`d<n>.js`: the texts the results show and highlight; also eight neighbours
//! to a bundle, `b<n>.js`, for queries that need many). `assets/search.js`
//! adds a district's manifest only when the reader searches it, then the chunks of the query's
//! characters, then the records of the likeliest candidate departments, and ranks those: the
//! query is split into the vocabulary's words and also matched by character bigrams, so
//! "职工帮扶" finds "困难职工帮扶" and "助学金" finds "金秋助学". The recall test runs that
//! same script in Chromium. ARCHITECTURE.md ("Search in chunks") gives the design.
//!
//! The JSON is made safe inside a script: `<` is written `\u003c` (no `</script>`), and U+2028
//! and U+2029 as escapes. Everything is sorted and chunks are filled in code point order; the
//! output depends on the forms only.

use crate::analyze::{Department, District};
use crate::model::facts::FormText;
use crate::output::views;
use ids::IdList;
pub use ids::{decode_ids, encode_ids};
#[cfg(test)]
use ids::{digit, ALPHABET};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;
use vocabulary::vocabulary;
#[cfg(test)]
use vocabulary::words_of;
pub use vocabulary::TextWords;

/// The manifest of a district's index (the page adds it first): `search/<district>.js`. Its
/// chunks and department records sit in the folder `search/<district>/` (`index_folder`).
pub fn index_path(d: &District<'_>) -> String {
    format!("search/{}.js", d.slug)
}

/// The folder of a district's chunks and department records (with its trailing `/`).
pub fn index_folder(d: &District<'_>) -> String {
    format!("search/{}/", d.slug)
}

/// Characters that lowercase to themselves and that forms use beside Chinese: CJK and
/// general punctuation (—, “”, …), arrows and mathematical operators (≥, ≤), full-width
/// digits and punctuation (％, （）, ，) but not the full-width letters.
fn caseless(c: char) -> bool {
    is_cjk(c)
        || matches!(c,
            '\u{2000}'..='\u{206f}'
            | '\u{2190}'..='\u{22ff}'
            | '\u{3000}'..='\u{303f}'
            | '\u{ff01}'..='\u{ff20}'
            | '\u{ff3b}'..='\u{ff40}'
            | '\u{ff5b}'..='\u{ff65}')
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// A line of a goal: `[level1 or -1, name, target, vague]`.
type Line<'a> = (i64, &'a str, &'a str, u8);
/// `[department, year, anchor, title, lines]`.
type Doc<'a> = (usize, i32, String, String, Vec<Line<'a>>);

/// A chunk of tokens aims at this many bytes (a first character with more gets a chunk of its
/// own): small enough that a query of a few characters loads little, large enough that a
/// district of 2,000 departments has tens of chunks, not thousands.
pub const CHUNK_BYTES: usize = 8 * 1024;

/// Department records per bundle (`b<n>.js` holds departments `n·8 … n·8+7`, beside each
/// one's own `d<i>.js`). A browser pays about 3 ms per script it loads from `file://`,
/// whatever its size, and a first query loads the records of up to 30 candidates: a common
/// word's 30 (of thousands of equal weight) took 75–120 of a query's 110–170 ms at 2,000
/// departments, one file each. Among candidates of equal weight the page takes whole bundles,
/// and loads a bundle where it needs three quarters of it or more; scattered candidates still
/// load their own files, so a query's bytes stay where they were (BENCHMARKS.md, "Chunked
/// search").
pub const RECORDS_PER_BUNDLE: usize = 8;

/// The characters a query term never holds (the page splits the query on them): no token
/// has one.
fn separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；')
}

/// Lowercased as the page does (`toLowerCase`), for the characters the forms hold. A text of
/// ASCII and caseless characters (nearly every text of a form) has only ASCII letters to
/// lower: borrowed where it has none.
fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().all(|c| c.is_ascii() || caseless(c)) {
        return std::borrow::Cow::Owned(s.to_lowercase());
    }
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// FNV-1a, 32 bits, over a text's UTF-16 code units: the page computes the same
/// (`Math.imul`), to look up a whole text (`x` tokens).
pub fn text_hash(s: &str) -> String {
    base36(fnv32(s))
}

fn fnv32(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for u in s.encode_utf16() {
        h ^= u32::from(u);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

fn base36(mut v: u32) -> String {
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(digits[(v % 36) as usize]);
        v /= 36;
        if v == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The tokens a searchable text gives: every pair of neighbouring characters (lowercased,
/// neither a separator nor outside the Basic Multilingual Plane, as the page reads UTF-16),
/// the last character alone (so a one-character query finds it at the end of a text too),
/// and the whole text as `x` (its hash; a query term that is a whole name ranks it first).
/// Pairs are pushed as found, repeats and all (`tokens_of_record` sorts them once).
fn tokens_of(text: &str, pairs: &mut Vec<Pair>, whole: &mut BTreeSet<String>) {
    let low = lower(text);
    let ok = |c: char| !separator(c) && (c as u32) < 0x1_0000;
    let mut all_ok = true;
    let mut last: Option<char> = None;
    for c in low.chars() {
        let fits = ok(c);
        all_ok &= fits;
        if let Some(p) = last.filter(|&p| fits && ok(p)) {
            pairs.push(Pair::new(p, Some(c)));
        }
        last = Some(c);
    }
    if let Some(c) = last.filter(|&c| ok(c)) {
        pairs.push(Pair::new(c, None));
    }
    if !low.is_empty() && all_ok {
        whole.insert(low.into_owned());
    }
}

/// A pair token (`tokens_of`): two characters, or a last character alone. Kept as a number,
/// not a string, while every department's text is tokenised (a `String` per pair, compared
/// byte by byte in a `BTreeSet`, was the index's largest cost; a `(char, Option<char>)`
/// compared field by field, its sort's): the first character's code point above the second's
/// plus one, 0 for none. The order is the strings' (UTF-8 keeps code point order, and a
/// character alone sorts before it with any other as `c` before `cx`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Pair(u64);

impl Pair {
    fn new(a: char, b: Option<char>) -> Pair {
        Pair(u64::from(a) << 32 | b.map_or(0, |b| u64::from(b) + 1))
    }
}

fn pair_text(p: Pair) -> String {
    // Both parts were characters: they read back as such.
    let a = char::from_u32((p.0 >> 32) as u32);
    let b = (p.0 as u32).checked_sub(1).and_then(char::from_u32);
    a.into_iter().chain(b).collect()
}

/// One department's record: `[name, page, docs]` (a doc as in `Doc`).
type Record<'a> = (&'a str, String, Vec<Doc<'a>>);

/// The chunk a token goes to is named by its first character.
fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

/// A district's manifest: what the page reads before anything else.
#[derive(Serialize)]
struct Manifest<'a> {
    v: u32,
    district: &'a str,
    slug: &'a str,
    href: String,
    /// Level-1 categories, sorted; lines point into it.
    l1: Vec<&'a str>,
    /// How many departments.
    deps: usize,
    /// Records per bundle: department `i`'s record is in `d<i>.js` and in `b<i / bundle>.js`.
    bundle: usize,
    /// The keys of each chunk `w<number>.js`, space-separated: a first character, or the
    /// first two of a character split across chunks.
    chunks: Vec<String>,
    /// How many chunks `x<number>.js` of whole texts (a text's is its hash modulo this).
    exact: usize,
}

/// A chunk: the vocabulary words that start with its keys, and each token's departments
/// (`t`: character pairs and last characters); or (`x<n>.js`) whole texts by hash (`x`).
#[derive(Default, Serialize)]
struct Chunk<'a> {
    w: String,
    t: std::collections::BTreeMap<&'a str, String>,
    x: std::collections::BTreeMap<String, String>,
}

/// The files of a district's index, as (path from the site root, bytes), sorted by path
/// (what `write_district_index` gives, collected: for tests and benches).
pub fn district_index(d: &District<'_>) -> Vec<(String, String)> {
    let files = std::sync::Mutex::new(Vec::new());
    let put = |path: &str, bytes: &str| {
        if let Ok(mut f) = files.lock() {
            f.push((path.to_owned(), bytes.to_owned()));
        }
        Ok::<(), std::convert::Infallible>(())
    };
    match write_district_index(d, put) {
        Ok(()) => {}
        Err(never) => match never {},
    }
    let mut files = files.into_inner().unwrap_or_default();
    files.sort();
    files
}

/// Departments whose records and tokens are made at a time: a block's records are written
/// as they are made and only its tokens are kept (as department numbers under each token),
/// so an index's memory is its token lists and one block, not every department's text and
/// records at once (20,000 departments: 132 MB of records, 5.3 million pair postings).
/// A multiple of `RECORDS_PER_BUNDLE`, so a bundle never straddles two blocks.
const BLOCK: usize = 64 * RECORDS_PER_BUNDLE;

/// What one department adds to the index's lists: its pair tokens, whole texts, filter keys
/// and years.
struct DepartmentTokens {
    /// Sorted, without repeats.
    pairs: Vec<Pair>,
    whole: BTreeSet<String>,
    filters: BTreeSet<String>,
    years: BTreeSet<i32>,
}

/// Writes a district's index through `put(path from the site root, bytes)`, which may be
/// called from several threads in any order: the manifest `search/<district>.js`; in
/// `search/<district>/`, the token chunks `w<n>.js`, the whole texts `x<n>.js`, the
/// departments of each year `y.js`, the filters `f.js` (departments with lines of each
/// level-1 category, with vague targets, both), and one record per department `d<n>.js`,
/// also in bundles of `RECORDS_PER_BUNDLE` neighbours, `b<n>.js`. Records are made and
/// written a block (`BLOCK`) at a time.
pub fn write_district_index<E: Send>(
    d: &District<'_>,
    put: impl Fn(&str, &str) -> Result<(), E> + Sync,
) -> Result<(), E> {
    write_district_index_in(d, BLOCK, None, put)
}

/// `write_district_index`, with the words of texts other districts' indexes segmented
/// (`TextWords`): the same files.
pub fn write_district_index_with<'d, E: Send>(
    d: &'d District<'_>,
    memo: &TextWords<'d>,
    put: impl Fn(&str, &str) -> Result<(), E> + Sync,
) -> Result<(), E> {
    write_district_index_in(d, BLOCK, Some(memo), put)
}

/// `write_district_index` with `block` departments at a time (rounded up to whole bundles):
/// the files do not depend on it, which the tests check with small blocks.
#[doc(hidden)]
pub fn write_district_index_in<'d, E: Send>(
    d: &'d District<'_>,
    block: usize,
    memo: Option<&TextWords<'d>>,
    put: impl Fn(&str, &str) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let block = block.max(1).next_multiple_of(RECORDS_PER_BUNDLE);
    let l1 = level1_of(d);
    let n = d.departments.len();
    let slug = &d.slug;
    let folder = index_folder(d);
    let slug_json = json(slug);
    // The vocabulary beside the records and their tokens.
    let (vocab, lists) = rayon::join(
        || vocabulary(d, memo),
        || records(d, block, &l1, &folder, &slug_json, &put),
    );
    let Lists {
        pairs,
        whole,
        filters,
        years,
    } = lists?;
    // Words and pairs go to a chunk by their first character; a character with more than
    // a chunk's worth is split by the first two characters (`示` → `示例`, `示范`, …).
    let mut size_of: std::collections::BTreeMap<char, usize> = Default::default();
    let (pair_texts, encoded): (Vec<String>, Vec<String>) = pairs
        .into_iter()
        .map(|(p, ids)| (pair_text(p), ids.into_encoded(n)))
        .unzip();
    let pairs: Vec<(&str, String)> = pair_texts.iter().map(String::as_str).zip(encoded).collect();
    for w in &vocab {
        *size_of.entry(first_char(w)).or_default() += w.len() + 1;
    }
    for (t, e) in &pairs {
        *size_of.entry(first_char(t)).or_default() += t.len() + e.len() + 6;
    }
    let key = |s: &str| -> String {
        let big = size_of
            .get(&first_char(s))
            .is_some_and(|&b| b > CHUNK_BYTES);
        s.chars().take(if big { 2 } else { 1 }).collect()
    };
    #[derive(Default)]
    struct Group<'a> {
        words: Vec<&'a str>,
        t: Vec<(&'a str, String)>,
        bytes: usize,
    }
    let mut groups: std::collections::BTreeMap<String, Group<'_>> = Default::default();
    for &w in &vocab {
        let g = groups.entry(key(w)).or_default();
        g.bytes += w.len() + 1;
        g.words.push(w);
    }
    for (t, e) in pairs {
        let g = groups.entry(key(t)).or_default();
        g.bytes += t.len() + e.len() + 6;
        g.t.push((t, e));
    }
    // Keys in code point order, cut into chunks of about CHUNK_BYTES.
    let mut chunks: Vec<(Vec<String>, Chunk<'_>)> = Vec::new();
    let mut size = usize::MAX;
    for (k, g) in groups {
        if size >= CHUNK_BYTES {
            chunks.push((Vec::new(), Chunk::default()));
            size = 0;
        }
        let (keys, chunk) = chunks.last_mut().expect("a chunk");
        keys.push(k);
        for w in g.words {
            if !chunk.w.is_empty() {
                chunk.w.push(' ');
            }
            chunk.w.push_str(w);
        }
        chunk.t.extend(g.t);
        size += g.bytes;
    }
    // Whole texts by hash, in chunks `x<n>.js` chosen by the hash: a term loads one.
    let whole: Vec<(u32, String)> = whole
        .into_iter()
        .map(|(t, ids)| (fnv32(&t), ids.into_encoded(n)))
        .collect();
    let exact = whole
        .iter()
        .map(|(_, e)| e.len() + 12)
        .sum::<usize>()
        .div_ceil(CHUNK_BYTES)
        .max(1);
    let mut exact_chunks: Vec<Chunk<'_>> = (0..exact).map(|_| Chunk::default()).collect();
    for (h, e) in whole {
        exact_chunks[h as usize % exact].x.insert(base36(h), e);
    }
    let manifest = Manifest {
        v: 3,
        district: &d.name,
        slug,
        href: views::district_index(d),
        l1: l1.clone(),
        deps: n,
        bundle: RECORDS_PER_BUNDLE,
        chunks: chunks.iter().map(|(k, _)| k.join(" ")).collect(),
        exact,
    };
    put(
        &index_path(d),
        &format!("BudgetSearch.manifest({});\n", json(&manifest)),
    )?;
    // Per year, the departments with a form of it: read only by a query naming a year or
    // filtering by one (at 20,000 departments a bitmap per year, 10 KB in all, that the
    // manifest every query loads used to carry).
    let years: std::collections::BTreeMap<i32, String> = years
        .into_iter()
        .map(|(y, ids)| (y, encode_ids(&ids, n)))
        .collect();
    put(
        &format!("{folder}y.js"),
        &format!(
            "BudgetSearch.chunk({slug_json},\"y\",{{\"t\":{}}});\n",
            json(&years)
        ),
    )?;
    for (i, (_, chunk)) in chunks.iter().enumerate() {
        put(
            &format!("{folder}w{i}.js"),
            &format!(
                "BudgetSearch.chunk({slug_json},\"w{i}\",{});\n",
                json(chunk)
            ),
        )?;
    }
    for (i, chunk) in exact_chunks.iter().enumerate() {
        put(
            &format!("{folder}x{i}.js"),
            &format!(
                "BudgetSearch.chunk({slug_json},\"x{i}\",{});\n",
                json(chunk)
            ),
        )?;
    }
    // Filters: the departments with lines of a category (`c<n>`), with vague targets
    // (`v`), with vague targets in a category (`c<n>v`).
    let filters: std::collections::BTreeMap<String, String> = filters
        .into_iter()
        .map(|(k, ids)| (k, encode_ids(&ids, n)))
        .collect();
    put(
        &format!("{folder}f.js"),
        &format!(
            "BudgetSearch.chunk({slug_json},\"f\",{{\"t\":{}}});\n",
            json(&filters)
        ),
    )
}

/// Each token's departments (numbered in order, so each list comes sorted): pairs in their
/// texts' order, whole texts, filter keys and years.
struct Lists {
    pairs: Vec<(Pair, IdList)>,
    whole: std::collections::BTreeMap<String, IdList>,
    filters: std::collections::BTreeMap<String, Vec<usize>>,
    years: std::collections::BTreeMap<i32, Vec<usize>>,
}

/// Writes the district's department records (`d<n>.js`, `b<n>.js`) a block at a time, and
/// gives what they add to the lists.
fn records<E: Send>(
    d: &District<'_>,
    block: usize,
    l1: &[&str],
    folder: &str,
    slug_json: &str,
    put: &(impl Fn(&str, &str) -> Result<(), E> + Sync),
) -> Result<Lists, E> {
    // A hash map while every department adds its pairs (millions of insertions at 2,000
    // departments), sorted once at the end.
    let mut pairs: rustc_hash::FxHashMap<Pair, IdList> = Default::default();
    let mut whole: std::collections::BTreeMap<String, IdList> = Default::default();
    let mut filters: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    let mut years: std::collections::BTreeMap<i32, Vec<usize>> = Default::default();
    for (b, deps) in d.departments.chunks(block).enumerate() {
        let first = b * block;
        let made: Vec<Vec<DepartmentTokens>> = deps
            .par_chunks(RECORDS_PER_BUNDLE)
            .enumerate()
            .map(|(k, deps)| {
                let at = first + k * RECORDS_PER_BUNDLE;
                let mut bundle = String::new();
                let mut tokens = Vec::with_capacity(deps.len());
                for (j, dep) in deps.iter().enumerate() {
                    let i = at + j;
                    let record: Record<'_> = (
                        dep.name.as_str(),
                        views::department_page(d, dep),
                        docs_of(i, dep, l1),
                    );
                    let part = format!("BudgetSearch.part({slug_json},{i},{});\n", json(&record));
                    put(&format!("{folder}d{i}.js"), &part)?;
                    bundle.push_str(&part);
                    tokens.push(tokens_of_record(&record));
                }
                put(&format!("{folder}b{}.js", at / RECORDS_PER_BUNDLE), &bundle)?;
                Ok(tokens)
            })
            .collect::<Result<_, E>>()?;
        for (j, t) in made.into_iter().flatten().enumerate() {
            let id = first + j;
            for p in t.pairs {
                pairs.entry(p).or_default().push(id);
            }
            for w in t.whole {
                whole.entry(w).or_default().push(id);
            }
            for k in t.filters {
                filters.entry(k).or_default().push(id);
            }
            for y in t.years {
                years.entry(y).or_default().push(id);
            }
        }
    }
    let mut pairs: Vec<(Pair, IdList)> = pairs.into_iter().collect();
    pairs.sort_unstable_by_key(|&(p, _)| p);
    Ok(Lists {
        pairs,
        whole,
        filters,
        years,
    })
}

/// What a department's record adds to the lists: the tokens of its name and of every doc's
/// title and lines, the filters it falls under and the years of its docs.
fn tokens_of_record<'r>(record: &'r Record<'_>) -> DepartmentTokens {
    let (name, _, docs) = record;
    let mut t = DepartmentTokens {
        pairs: Vec::new(),
        whole: BTreeSet::new(),
        filters: BTreeSet::new(),
        years: BTreeSet::new(),
    };
    // A text gives the same tokens every time: a department's names and targets repeat
    // across its years, and a self-evaluation repeats its declaration's indicator names.
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut tokens = |text: &'r str| {
        if seen.insert(text) {
            tokens_of(text, &mut t.pairs, &mut t.whole);
        }
    };
    tokens(name);
    for doc in docs {
        tokens(&doc.3);
        for l in &doc.4 {
            tokens(l.1);
            tokens(l.2);
        }
    }
    // One sort of a department's few thousand pairs, not a tree insertion each (the index's
    // largest cost when jieba's dictionary was loaded at every run).
    t.pairs.sort_unstable();
    t.pairs.dedup();
    for doc in docs {
        t.years.insert(doc.1);
        for l in &doc.4 {
            if l.0 >= 0 {
                t.filters.insert(format!("c{}", l.0));
                if l.3 != 0 {
                    t.filters.insert("v".to_owned());
                    t.filters.insert(format!("c{}v", l.0));
                }
            }
        }
    }
    t
}

/// JSON made safe inside a script (`script_safe`).
fn json<T: Serialize + ?Sized>(v: &T) -> String {
    script_safe(&serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned()))
}

/// The district's level-1 categories, sorted: a line names its category by its place here.
fn level1_of<'d>(d: &'d District<'_>) -> Vec<&'d str> {
    let mut l1: BTreeSet<&str> = BTreeSet::new();
    for dep in &d.departments {
        for f in &dep.forms {
            for g in f.facts.search.goals() {
                l1.extend(g.indicators().map(|i| i.level1).filter(|l| !l.is_empty()));
            }
        }
    }
    l1.into_iter().collect()
}

/// A department's documents, one per form's overall goals and per goal: what a result shows
/// and links to.
fn docs_of<'d>(di: usize, dep: &'d Department<'_>, l1: &[&str]) -> Vec<Doc<'d>> {
    let l1_index = |s: &str| l1.iter().position(|x| *x == s).map_or(-1, |i| i as i64);
    let mut docs = Vec::new();
    {
        for f in &dep.forms {
            let t = &f.facts.search;
            let anchor = format!("y{}", f.year);
            if t.overall().len() > 0 {
                let lines = t.overall().map(|o| (-1, o, "", 0)).collect();
                docs.push((di, f.year, anchor.clone(), "整体绩效目标".to_owned(), lines));
            }
            for (gi, g) in t.goals().enumerate() {
                let lines = g
                    .indicators()
                    .map(|i| {
                        let vague = !crate::model::quality::is_measurable(i.target);
                        (l1_index(i.level1), i.name, i.target, u8::from(vague))
                    })
                    .collect();
                let title = if g.name.is_empty() {
                    "绩效指标".to_owned()
                } else {
                    g.name.to_owned()
                };
                docs.push((di, f.year, format!("{anchor}-g{}", gi + 1), title, lines));
            }
        }
        // A self-evaluation: what was achieved of each overall goal, and each indicator with
        // its actual.
        for f in &dep.evaluations {
            let e = &f.evaluation.form;
            let mut lines: Vec<Line<'d>> = e
                .goals
                .iter()
                .filter_map(|g| g.achieved.as_deref())
                .map(|a| (-1, a, "", 0))
                .collect();
            lines.extend(e.indicators.iter().map(|i| {
                (
                    l1_index(i.level1.as_deref().unwrap_or("")),
                    i.name.as_deref().unwrap_or(""),
                    i.actual.as_deref().unwrap_or(""),
                    0,
                )
            }));
            docs.push((
                di,
                f.year,
                format!("e{}", f.year),
                format!("{}年度绩效自评", f.year),
                lines,
            ));
        }
    }
    docs
}

/// A department's name, slug and each form's year and text.
type DepartmentText<'d> = (&'d str, &'d str, Vec<(i32, &'d FormText)>);

/// A self-evaluation's year, file, sheet and bytes' hash.
type EvaluationKey<'d> = (i32, &'d str, Option<&'d str>, u64);

/// Everything a district's index is made from, for the build's change key.
pub fn index_input<'d>(d: &'d District<'_>) -> impl std::hash::Hash + 'd {
    let deps: Vec<(DepartmentText<'d>, Vec<EvaluationKey<'d>>)> = d
        .departments
        .iter()
        .map(|dep| {
            let forms = dep
                .forms
                .iter()
                .map(|f| (f.year, &f.facts.search))
                .collect();
            // A self-evaluation by its bytes (the tool and config are in the build's key).
            let evaluations: Vec<EvaluationKey<'d>> = dep
                .evaluations
                .iter()
                .map(|f| (f.year, f.file, f.sheet, f.digest))
                .collect();
            ((dep.name.as_str(), dep.slug.as_str(), forms), evaluations)
        })
        .collect();
    (d.name.as_str(), d.slug.as_str(), deps)
}

/// JSON that can sit inside a `<script>`: no `<` (so no `</script>` or `<!--`), and no raw
/// U+2028/U+2029 (line terminators in older JavaScript). `<` only occurs inside strings in
/// JSON, where `\u003c` means the same.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

mod ids;
mod page;
mod vocabulary;
mod words;
pub use page::{page_input, view, DistrictOption, SearchView, PAGE};
#[cfg(test)]
mod tests;
