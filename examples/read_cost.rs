//! What reading a form costs, by file format: the bytes of every file under each folder are
//! loaded into memory (untimed), then each folder's files are parsed (`ingest::parse_bytes`:
//! decode or unzip, grid, layout) on one thread, 7 passes with the folders taking turns; the
//! best pass of each folder is reported per form.
//!
//! ```text
//! cargo run --release --example read_cost -- DIR_A [DIR_B …]
//! ```
//!
//! `bench/workbooks.sh` gives it the same forms saved as text and as `.xlsx` and prints the
//! ratio; the target of issue 10 is an `.xlsx` form at most 3 × its text.

use budgetsite::ingest::{parse_bytes, SourceFile};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn files(dir: &Path) -> Vec<(SourceFile, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("a folder") {
            let path: PathBuf = e.expect("an entry").path();
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable");
                out.push((
                    SourceFile {
                        display: path.to_string_lossy().into_owned(),
                        path,
                    },
                    bytes,
                ));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn main() {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        eprintln!("usage: read_cost DIR [DIR …]");
        std::process::exit(2);
    }
    let sets: Vec<Vec<(SourceFile, Vec<u8>)>> = dirs.iter().map(|d| files(Path::new(d))).collect();
    let mut best = vec![Duration::MAX; sets.len()];
    let mut read = vec![0; sets.len()];
    // The folders take turns, pass after pass, so a machine busy with other work slows them
    // alike and the ratio between them stays fair.
    for _ in 0..PASSES {
        for (k, forms) in sets.iter().enumerate() {
            let t0 = Instant::now();
            read[k] = forms
                .iter()
                .filter(|(f, b)| parse_bytes(f, b).declaration.is_some())
                .count();
            best[k] = best[k].min(t0.elapsed());
        }
    }
    for (k, dir) in dirs.iter().enumerate() {
        let forms = &sets[k];
        let bytes: usize = forms.iter().map(|(_, b)| b.len()).sum();
        println!(
            "{dir}: {} files ({:.1} MB), {} declarations, best pass {:.1} ms, {:.1} µs per form",
            forms.len(),
            bytes as f64 / 1e6,
            read[k],
            best[k].as_secs_f64() * 1e3,
            best[k].as_secs_f64() * 1e6 / forms.len().max(1) as f64
        );
    }
}

const PASSES: usize = 7;
