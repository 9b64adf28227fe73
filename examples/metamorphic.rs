//! The long run of the metamorphic tests (issue #18): every bundled text export and generated
//! forms of every layout, every transformation, a composition per form, every format, with
//! many seeds; prints the pass rate per transformation × format and a failing example of each.
//! Declarations and self-evaluations (issue #19: the bundled ones and generated ones of both
//! layouts) each get their own table; a transformation that means nothing for a kind is
//! listed with its reason. `bench/metamorphic.sh` runs it; `tests/it/metamorphic.rs` runs a
//! fixed sample in `cargo test`. The harness is shared (`tests/it/support/metamorphic.rs`).
//!
//! cargo run --release --example metamorphic -- [--seeds N] [--first-seed S]
//!     [--generated N] [--kind declaration|self-evaluation] [--case NAME] [--format NAME]
//!     [--dump DIR [--all]]
//!
//! `--dump DIR` writes the files of the failing cases there (every case's with `--all`).

#[path = "../tests/it/support/metamorphic.rs"]
#[allow(dead_code)] // shared with tests/it/metamorphic.rs, which uses the rest
mod harness;

use budgetsite_gen::metamorphic::{FormKind, OutFormat};
use harness::{Case, Outcome};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

struct Args {
    seeds: u64,
    first_seed: u64,
    generated: usize,
    kind: Option<String>,
    case: Option<String>,
    format: Option<String>,
    dump: Option<PathBuf>,
    /// Keep every case's file, not only the failing ones.
    all: bool,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        seeds: 3,
        first_seed: 1,
        generated: 40,
        kind: None,
        case: None,
        format: None,
        dump: None,
        all: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|e| format!("{v}: {e}"));
        match flag.as_str() {
            "--seeds" => a.seeds = number(value()?)?,
            "--first-seed" => a.first_seed = number(value()?)?,
            "--generated" => a.generated = number(value()?)? as usize,
            "--kind" => a.kind = Some(value()?),
            "--case" => a.case = Some(value()?),
            "--format" => a.format = Some(value()?),
            "--dump" => a.dump = Some(value()?.into()),
            "--all" => a.all = true,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(a)
}

/// A case's place in the matrix (kind, case, format), its outcome and, when kept for `--dump`,
/// the failing file's name and bytes.
type CaseResult = ((FormKind, usize, usize), Outcome, Option<(String, Vec<u8>)>);

#[derive(Default)]
struct Tally {
    pass: usize,
    fail: usize,
    example: Option<String>,
}

fn main() {
    let args = args().unwrap_or_else(|e| {
        eprintln!("{e}\nusage: metamorphic [--seeds N] [--first-seed S] [--generated N] [--kind KIND] [--case NAME] [--format NAME] [--dump DIR [--all]]");
        std::process::exit(2)
    });
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases: Vec<Case> = Case::all()
        .into_iter()
        .filter(|c| args.case.as_ref().is_none_or(|n| &c.name() == n))
        .collect();
    let formats: Vec<OutFormat> = OutFormat::ALL
        .into_iter()
        .filter(|f| args.format.as_ref().is_none_or(|n| f.name() == n))
        .collect();
    let kinds: Vec<FormKind> = FormKind::ALL
        .into_iter()
        .filter(|k| args.kind.as_ref().is_none_or(|n| k.name() == n))
        .collect();
    let started = std::time::Instant::now();
    let mut tallies: BTreeMap<(FormKind, usize, usize), Tally> = BTreeMap::new();
    let mut forms = 0;
    for seed in args.first_seed..args.first_seed + args.seeds {
        // The bundled forms with every seed, and new generated forms per seed.
        let mut files = Vec::new();
        for &kind in &kinds {
            files.extend(harness::bundled_of(root, kind));
            if args.generated > 0 {
                files.extend(match kind {
                    FormKind::Declaration => harness::generated(seed, args.generated),
                    FormKind::SelfEvaluation => {
                        harness::generated_evaluations(seed, args.generated)
                    }
                });
            }
        }
        let (sources, unread) = harness::prepare(files);
        for u in unread {
            eprintln!("no form read, left out: {u}");
        }
        forms += sources.len();
        let results: Vec<CaseResult> = (0..sources.len())
            .into_par_iter()
            .flat_map_iter(|i| {
                let sources = &sources;
                let cases = &cases;
                let formats = &formats;
                let dump = args.dump.is_some();
                let all = args.all;
                cases.iter().enumerate().flat_map(move |(ci, &case)| {
                    formats.iter().enumerate().map(move |(fi, &format)| {
                        let s = &sources[i];
                        let key = (s.kind, ci, fi);
                        if !dump {
                            return (key, harness::run(s, i, case, format, seed), None);
                        }
                        match harness::build(s, i, case, format, seed) {
                            Err(o) => (key, o, None),
                            Ok((label, bytes)) => {
                                let o = harness::check(s, &label, &bytes, format);
                                let keep = (all || matches!(o, Outcome::Fail(_)))
                                    .then(|| (format!("{label}.{}", format.extension()), bytes));
                                (key, o, keep)
                            }
                        }
                    })
                })
            })
            .collect();
        for (key, outcome, kept) in results {
            let t = tallies.entry(key).or_default();
            match outcome {
                Outcome::Pass => t.pass += 1,
                Outcome::Fail(why) => {
                    t.fail += 1;
                    t.example.get_or_insert(why);
                }
                Outcome::NotApplicable => {}
            }
            if let (Some(dir), Some((name, bytes))) = (&args.dump, kept) {
                std::fs::create_dir_all(dir).expect("dump folder");
                let name = name.replace(['/', ' '], "_");
                std::fs::write(dir.join(name), bytes).expect("dump file");
            }
        }
    }

    println!(
        "metamorphic: {} seeds from {}, {forms} forms in all, {:.1} s",
        args.seeds,
        args.first_seed,
        started.elapsed().as_secs_f64()
    );
    for &kind in &kinds {
        print_table(kind, &cases, &formats, &tallies);
    }
}

/// The pass rates of forms of `kind` per transformation × format (Markdown), the
/// transformations skipped for the kind with their reason, and a failing example per pair.
fn print_table(
    kind: FormKind,
    cases: &[Case],
    formats: &[OutFormat],
    tallies: &BTreeMap<(FormKind, usize, usize), Tally>,
) {
    println!();
    println!("{}s:", kind.name());
    println!();
    print!("| transformation |");
    for f in formats {
        print!(" {} |", f.name());
    }
    println!();
    print!("| --- |");
    for _ in formats {
        print!(" --- |");
    }
    println!();
    let skipped = |case: &Case| match case {
        Case::One(t) => t.skip_reason(kind),
        Case::Composition => None,
    };
    for (ci, case) in cases.iter().enumerate() {
        if skipped(case).is_some() {
            continue;
        }
        print!("| {} |", case.name());
        for fi in 0..formats.len() {
            let t = tallies.get(&(kind, ci, fi));
            match t {
                Some(t) if t.pass + t.fail > 0 => {
                    let n = t.pass + t.fail;
                    print!(" {:.1}% of {n} |", 100.0 * t.pass as f64 / n as f64);
                }
                _ => print!(" n/a |"),
            }
        }
        println!();
    }
    let reasons: BTreeMap<&str, Vec<String>> = cases.iter().fold(BTreeMap::new(), |mut m, case| {
        if let Some(why) = skipped(case) {
            m.entry(why).or_default().push(case.name());
        }
        m
    });
    for (why, names) in reasons {
        println!();
        println!("Skipped ({}): {why}", names.join(", "));
    }
    println!();
    println!("A failing example per transformation × format:");
    for (ci, case) in cases.iter().enumerate() {
        for (fi, f) in formats.iter().enumerate() {
            if let Some(ex) = tallies
                .get(&(kind, ci, fi))
                .and_then(|t| t.example.as_ref())
            {
                println!("- {} × {}: {ex}", case.name(), f.name());
            }
        }
    }
}
