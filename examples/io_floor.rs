//! The I/O floor of a build: the time to read every input and create the same output files
//! with the same bytes, and nothing else (no parsing, no validation, no rendering).
//!
//! ```text
//! cargo run --release --example io_floor -- --input DIR --site BUILT_SITE --output OUT [--jobs N]
//! ```
//!
//! On our machines creating a file costs about 0.1 ms and a folder more, so the number of files
//! a build writes is part of its design, and a build can never be faster than this program. The
//! speed target is a full build within 1.5 × this floor (`bench/run.sh` prints the ratio).
//!
//! Untimed: every file of BUILT_SITE (a site made earlier by `budgetsite build`) is loaded into
//! memory as (relative path, bytes). Timed, on a rayon pool of N threads (default: all cores):
//!
//! 1. walk DIR the way `budgetsite` does (following links, skipping hidden entries such as the
//!    generator's `.truth/`) and read every regular file fully into memory, in parallel;
//! 2. create OUT (which must not exist) and each of the site's folders once, parents first;
//! 3. write every file of the site with `std::fs::write`, in parallel.
//!
//! Reading comes before writing, as in a build, whose pages depend on all the inputs. Then it
//! prints `read N files (X MB), wrote M files (Y MB) in Z s`.

use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

struct Args {
    input: PathBuf,
    site: PathBuf,
    output: PathBuf,
    jobs: Option<usize>,
}

const USAGE: &str = "usage: io_floor --input DIR --site BUILT_SITE --output OUT [--jobs N]";

fn parse_args() -> Result<Args, String> {
    let (mut input, mut site, mut output, mut jobs) = (None, None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--input" => input = Some(PathBuf::from(value)),
            "--site" => site = Some(PathBuf::from(value)),
            "--output" => output = Some(PathBuf::from(value)),
            "--jobs" => {
                let n: usize = value.parse().map_err(|_| format!("bad --jobs {value}"))?;
                jobs = Some(n).filter(|&n| n > 0);
            }
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    match (input, site, output) {
        (Some(input), Some(site), Some(output)) => Ok(Args {
            input,
            site,
            output,
            jobs,
        }),
        _ => Err("--input, --site and --output are required".to_owned()),
    }
}

/// The regular files under `root`, sorted; hidden entries (and what is under them) skipped if
/// `skip_hidden`.
fn files_under(root: &Path, skip_hidden: bool) -> Result<Vec<PathBuf>, walkdir::Error> {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !skip_hidden || !e.file_name().to_string_lossy().starts_with('.')
        });
    let mut files = Vec::new();
    for entry in walker {
        let entry = entry?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}

fn megabytes(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    if args.output.exists() {
        return Err(format!("{} already exists", args.output.display()).into());
    }

    // Untimed: the site to reproduce, as (path relative to the site, bytes).
    let site: Vec<(PathBuf, Vec<u8>)> = files_under(&args.site, false)?
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path)?;
            let rel = path.strip_prefix(&args.site).map(Path::to_path_buf)?;
            Ok((rel, bytes))
        })
        .collect::<Result<_, Box<dyn std::error::Error>>>()?;
    // Every folder of the site, each once; a parent sorts before its children.
    let folders: BTreeSet<&Path> = site
        .iter()
        .flat_map(|(rel, _)| rel.ancestors().skip(1))
        .filter(|dir| !dir.as_os_str().is_empty())
        .collect();

    let start = Instant::now();
    // 1. Read every input.
    let inputs = files_under(&args.input, true)?;
    let read_bytes = inputs
        .par_iter()
        .map(std::fs::read)
        .map(|bytes| bytes.map(|b| b.len()))
        .sum::<std::io::Result<usize>>()?;
    // 2. Create the output folder and the site's folders, once each.
    std::fs::create_dir(&args.output)?;
    for dir in &folders {
        std::fs::create_dir(args.output.join(dir))?;
    }
    // 3. Write every file.
    site.par_iter()
        .try_for_each(|(rel, bytes)| std::fs::write(args.output.join(rel), bytes))?;
    let seconds = start.elapsed().as_secs_f64();

    let written: usize = site.iter().map(|(_, b)| b.len()).sum();
    Ok(format!(
        "read {} files ({:.1} MB), wrote {} files ({:.1} MB) in {seconds:.3} s",
        inputs.len(),
        megabytes(read_bytes),
        site.len(),
        megabytes(written),
    ))
}

fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("io_floor: {e}\n{USAGE}");
        std::process::exit(2);
    });
    if let Some(n) = args.jobs {
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            eprintln!("io_floor: {e}");
            std::process::exit(1);
        }
    }
    match run(&args) {
        Ok(line) => println!("{line}"),
        Err(e) => {
            eprintln!("io_floor: {e}");
            std::process::exit(1);
        }
    }
}
