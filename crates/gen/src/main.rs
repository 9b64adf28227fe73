//! Generates a realistic test district of `部门整体支出绩效目标申报表` declarations, plus the
//! hidden truth (`DIR/.truth/truth.json`) that tests check the reader and rules against.
//!
//! cargo run --release -p budgetsite-gen -- --out DIR --departments N --years 2020,2021,2022
//!     [--seed S] [--district NAME] [--quirks none|some|all] [--plant all|CODE,CODE,...|none]
//!     [--plant-count K] [--json-share PERCENT]
//!     [--renames N] [--gaps N] [--singletons N] [--revisions N] [--swings N]
//!     [--layouts all|hubei,hubei-pdf,fujian,hunan] [--formats all|txt,utxt,xlsx]
//!     [--self-evaluations PERCENT] [--plant-eval all|CODE,...] [--eval-sichuan PERCENT]
//!     [--eval-xlsx PERCENT]
//!
//! Besides `truth.json` it writes `DIR/.truth/district.json` (the expected `district/v1`
//! JSON, without `slug` and `page`) and `DIR/.truth/aliases.toml` (the `[aliases]` table of
//! the renames, ready for `budgetsite build --config`). See README.md.

use budgetsite_gen::{
    aliases_toml, generate, FileFormat, FormLayout, GenOptions, Plant, QuirkLevel, PLANT_CODES,
};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str =
    "usage: gen_district --out DIR [--departments N] [--years 2020,2021,2022] [--seed S]
       [--district NAME] [--quirks none|some|all] [--plant all|CODE,CODE,...|none]
       [--plant-count K] [--json-share PERCENT]
       [--renames N] [--gaps N] [--singletons N] [--revisions N] [--swings N]
       [--layouts all|hubei,hubei-pdf,fujian,hunan] [--formats all|txt,utxt,xlsx]
       [--self-evaluations PERCENT] [--plant-eval all|CODE,...] [--eval-sichuan PERCENT]
       [--eval-xlsx PERCENT]";

fn parse_args(args: &[String]) -> Result<(GenOptions, PathBuf), String> {
    let mut opts = GenOptions::default();
    let mut out = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag.as_str(), None),
        };
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))?,
        };
        let number = |what: &str| format!("{name} expects {what}, not {value:?}");
        match name {
            "--out" => out = Some(PathBuf::from(&value)),
            "--departments" => opts.departments = value.parse().map_err(|_| number("a count"))?,
            "--years" => {
                opts.years = value
                    .split(',')
                    .map(|y| y.trim().parse::<i32>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| number("years like 2020,2021,2022"))?
            }
            "--seed" => opts.seed = value.parse().map_err(|_| number("an unsigned integer"))?,
            "--district" => opts.district = value,
            "--quirks" => opts.quirks = QuirkLevel::parse(&value)?,
            "--plant" => opts.plant = Plant::parse(&value)?,
            "--plant-count" => opts.plant_count = value.parse().map_err(|_| number("a count"))?,
            "--json-share" => {
                opts.json_share = value
                    .trim_end_matches('%')
                    .parse()
                    .map_err(|_| number("a percentage"))?;
                if opts.json_share > 100 {
                    return Err(number("a percentage from 0 to 100"));
                }
            }
            "--renames" => opts.renames = value.parse().map_err(|_| number("a count"))?,
            "--gaps" => opts.gaps = value.parse().map_err(|_| number("a count"))?,
            "--singletons" => opts.singletons = value.parse().map_err(|_| number("a count"))?,
            "--revisions" => opts.revisions = value.parse().map_err(|_| number("a count"))?,
            "--layouts" => opts.layouts = FormLayout::parse_list(&value)?,
            "--formats" => opts.formats = FileFormat::parse_list(&value)?,
            "--swings" => opts.swings = value.parse().map_err(|_| number("a count"))?,
            "--self-evaluations" | "--eval-sichuan" | "--eval-xlsx" => {
                let pct: u32 = value
                    .trim_end_matches('%')
                    .parse()
                    .ok()
                    .filter(|p| *p <= 100)
                    .ok_or_else(|| number("a percentage from 0 to 100"))?;
                match name {
                    "--self-evaluations" => opts.evaluations.share = pct,
                    "--eval-sichuan" => opts.evaluations.sichuan_share = pct,
                    _ => opts.evaluations.xlsx_share = pct,
                }
            }
            "--plant-eval" => {
                let codes: Vec<String> = value.split(',').map(|c| c.trim().to_string()).collect();
                for c in &codes {
                    if c != "all" && !budgetsite_gen::self_eval::EVAL_CODES.contains(&c.as_str()) {
                        return Err(format!(
                            "unknown self-evaluation rule code {c:?} in --plant-eval"
                        ));
                    }
                }
                opts.evaluations.plant = codes;
                opts.evaluations.plant_count = 1;
            }
            _ => return Err(format!("unknown option {name}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    Ok((opts, out))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (opts, out) = match parse_args(&args) {
        Ok(parsed) => parsed,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("gen_district: {msg}");
            }
            eprintln!("{USAGE}\nplantable codes: {}", PLANT_CODES.join(", "));
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    match generate(&opts, &out) {
        Ok(truth) => {
            let planted = truth.files.iter().filter(|f| !f.planted.is_empty()).count();
            println!(
                "gen_district: {} files for {} departments × {} years in {}/{} ({} with planted errors), truth in {}, {:.2?}",
                truth.files.len(),
                truth.departments.len(),
                truth.options.years.len(),
                out.display(),
                opts.district,
                planted,
                out.join(".truth").join("truth.json").display(),
                started.elapsed()
            );
            let c = &truth.cases;
            if !(c.renamed.is_empty()
                && c.gaps.is_empty()
                && c.singletons.is_empty()
                && c.revisions.is_empty())
            {
                println!(
                    "gen_district: {} renamed, {} with a gap year, {} singletons, {} revised actuals; expected district in {}",
                    c.renamed.len(),
                    c.gaps.len(),
                    c.singletons.len(),
                    c.revisions.len(),
                    out.join(".truth").join("district.json").display(),
                );
            }
            if !truth.aliases.is_empty() {
                println!(
                    "gen_district: aliases for site.toml in {}:\n{}",
                    out.join(".truth").join("aliases.toml").display(),
                    aliases_toml(&truth.aliases).trim_end()
                );
            }
            if !truth.unplanted.is_empty() {
                eprintln!(
                    "gen_district: could not plant (too few department-years or years): {}",
                    truth.unplanted.join(", ")
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_district: {e}");
            ExitCode::from(2)
        }
    }
}
