//! What the search index costs a build, and its size against the HTML it covers.
//!
//! ```text
//! cargo run --release --example search_cost -- INPUT_DIR
//! ```
//!
//! 1. Reads and analyses INPUT_DIR as `build` does (untimed).
//! 2. Times making every district's index in a fresh process (`index cold`: the dictionary's
//!    pages first read from the binary, `output::search::words`), and again (`index warm`).
//! 3. Times a full `build` into a temporary folder (the dictionary's pages already read, so the
//!    build pays the warm index time only).
//! 4. Prints the index size against the department pages it covers, and the overhead: the
//!    cold index time ÷ (the build − the warm index time), an upper bound, since the build
//!    makes the index on one thread while the other renders pages.

use budgetsite::build::{build, BuildOptions};
use budgetsite::config::SiteConfig;
use budgetsite::ingest::IngestOptions;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let input = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: search_cost INPUT_DIR"),
    );
    let ingest = IngestOptions {
        names_from_folder: true,
        ..IngestOptions::default()
    };
    let batch = budgetsite::load(std::slice::from_ref(&input), &ingest).expect("input");
    let config = SiteConfig::default();
    let model = budgetsite::analyze::analyze(&batch, &input, &config);
    let t = Instant::now();
    let cold: usize = model
        .districts
        .iter()
        .map(|d| {
            budgetsite::output::search::district_index(d)
                .iter()
                .map(|(_, b)| b.len())
                .sum::<usize>()
        })
        .sum();
    let cold_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for d in &model.districts {
        budgetsite::output::search::district_index(d);
    }
    let warm_s = t.elapsed().as_secs_f64();
    let departments: usize = model.districts.iter().map(|d| d.departments.len()).sum();
    // The department pages the index covers, named as the build names them.
    let pages: Vec<String> = model
        .districts
        .iter()
        .flat_map(|d| {
            d.departments
                .iter()
                .map(|dep| budgetsite::output::views::department_page(d, dep))
        })
        .collect();
    drop(model);

    let out = tempfile_dir();
    let options = BuildOptions {
        input: input.clone(),
        output: out.join("public"),
        templates: out.join("no-templates"),
        config: out.join("no-site.toml"),
        cache: None,
        ..BuildOptions::default()
    };
    let t = Instant::now();
    build(&options).expect("build");
    let build_s = t.elapsed().as_secs_f64();

    let public = out.join("public");
    let html: u64 = pages
        .iter()
        .map(|p| std::fs::metadata(public.join(p)).map_or(0, |m| m.len()))
        .sum();
    println!("departments: {departments}");
    println!(
        "index: {cold} bytes; department pages: {html} bytes; ratio {:.1} %",
        100.0 * cold as f64 / html as f64
    );
    println!(
        "index cold {cold_s:.3} s, warm {warm_s:.3} s; build {build_s:.3} s; overhead ≤ {:.1} %",
        100.0 * cold_s / (build_s - warm_s)
    );
    let _ = std::fs::remove_dir_all(&out);
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("search-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
