//! Compiles jieba's dictionary (`data/jieba/dict.txt`, `word freq tag` lines) into an
//! `fst::Map` from each word to its frequency, and the frequencies' total, for
//! `output::search::words`. Built once here rather than at every run: loading the text into
//! jieba-rs's trie took ~90 ms of CPU and ~25 MB per build, and the map is used where it
//! lies in the binary.

use std::io::Write;
use std::path::PathBuf;

fn main() {
    let source = "data/jieba/dict.txt";
    println!("cargo::rerun-if-changed={source}");
    println!("cargo::rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let mut words: Vec<(&str, u64)> = Vec::with_capacity(350_000);
    for (n, line) in text.lines().enumerate() {
        let mut fields = line.split_ascii_whitespace();
        let Some(word) = fields.next() else { continue };
        // jieba-rs reads a missing frequency as 0 and refuses one that is not a number.
        let freq = fields.next().map_or(0, |f| {
            f.parse::<u64>()
                .unwrap_or_else(|e| panic!("{source}:{}: frequency {f:?}: {e}", n + 1))
        });
        words.push((word, freq));
    }
    words.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    // jieba-rs loads a word listed twice as two records (the later one found, both counted in
    // the total); the dictionary has none, and a map cannot hold them: refuse rather than
    // segment differently.
    if let Some(w) = words.windows(2).find(|w| w[0].0 == w[1].0) {
        panic!("{source}: {:?} listed twice", w[0].0);
    }
    let total: u64 = words.iter().map(|w| w.1).sum();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let file = std::fs::File::create(out.join("jieba-dict.fst")).expect("OUT_DIR is writable");
    let mut map = fst::MapBuilder::new(std::io::BufWriter::new(file)).expect("fst header");
    for (word, freq) in &words {
        map.insert(word, *freq).expect("sorted, distinct words");
    }
    map.finish().expect("fst written");
    let mut t = std::fs::File::create(out.join("jieba-total.rs")).expect("OUT_DIR is writable");
    write!(t, "{total}").expect("total written");
}
