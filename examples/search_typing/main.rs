//! Time to first results: types queries into a built site's search page in headless Chromium
//! (real time, from `file://`) and prints, per query, the milliseconds from the `input` event
//! to the results on screen — the first query includes loading the index scripts; a key after
//! a pause searches at once, keys in a burst wait for its end (60 ms without one).
//!
//! ```text
//! cargo run --release --example search_typing -- SITE QUERY…
//! ```
//!
//! It writes `SITE/assets/typing.html` (the harness the browser test uses) and removes it.

mod browser;

fn main() {
    let mut args = std::env::args().skip(1);
    let site = std::path::PathBuf::from(args.next().expect("usage: search_typing SITE QUERY…"));
    let queries: Vec<String> = args.collect();
    let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
    let chromium = browser::chromium().expect("Chromium is not installed");
    let harness = site.join("assets/typing.html");
    std::fs::write(&harness, browser::typing_page(&queries)).expect("write the harness");
    let site = std::path::absolute(&site).unwrap();
    let out = browser::run_harness(
        &chromium,
        &format!("file://{}", site.join("assets/typing.html").display()),
    );
    let _ = std::fs::remove_file(&harness);
    let results: serde_json::Value = serde_json::from_str(&out).unwrap();
    for r in results.as_array().unwrap() {
        println!(
            "{} → {} ms, {} ({} results shown)",
            r["q"],
            r["ms"],
            r["status"],
            r["hits"].as_array().map_or(0, Vec::len)
        );
    }
}
