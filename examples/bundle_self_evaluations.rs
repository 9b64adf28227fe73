//! Writes self-evaluations beside the bundled sample district's declarations (issue #19):
//! `cargo run --example bundle_self_evaluations -- submissions/示例区 [YEAR,YEAR]`. Every
//! declaration of the given years (default 2021,2022) that has no error is read, and about
//! half of them get a self-evaluation consistent with it (the generator's `self_eval`, fed
//! the canonical JSON budgetsite reads), some with changed targets and inflated scores.

use budgetsite::ingest::IngestOptions;
use budgetsite_gen::self_eval::{write_for, EvalOptions};
use budgetsite_gen::Declaration;
use std::path::PathBuf;

/// What the generator's self-evaluations need of a declaration, in its own model.
fn as_generated(d: &budgetsite::model::Declaration) -> Declaration {
    let mut g = Declaration {
        fiscal_year: d.fiscal_year,
        department: d.department.clone(),
        filled_by: d.filled_by.clone(),
        phone: d.phone.clone(),
        overall_goals: d.overall_goals.clone(),
        ..Declaration::default()
    };
    g.expenditure.total.budget = d.expenditure.as_ref().and_then(|e| e.total.budget);
    g.goals = d
        .goals
        .iter()
        .map(|goal| budgetsite_gen::Goal {
            number: goal.number.unwrap_or(0),
            name: goal.name.clone(),
            indicators: goal
                .indicators
                .iter()
                .map(|i| budgetsite_gen::Indicator {
                    level1: i.level1.clone(),
                    level2: i.level2.clone(),
                    name: i.name.clone(),
                    target: i.target.clone(),
                    ..budgetsite_gen::Indicator::default()
                })
                .collect(),
        })
        .collect();
    g
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .ok_or("usage: bundle_self_evaluations DIR [YEARS]")?,
    );
    let years: Vec<i32> = args
        .get(1)
        .map_or("2021,2022", String::as_str)
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let batch = budgetsite::load(std::slice::from_ref(&dir), &IngestOptions::default())?;
    let mut decls: Vec<(String, Declaration)> = Vec::new();
    for o in &batch.files {
        let Some(loaded) = &o.declaration else {
            continue;
        };
        let clean = !o.diagnostics.iter().any(|d| d.is_error());
        let year_wanted = loaded
            .declaration
            .fiscal_year
            .is_some_and(|y| years.contains(&y));
        if clean && year_wanted {
            let decl = as_generated(&loaded.declaration);
            let name = o.file.path.file_name().ok_or("a file without a name")?;
            decls.push((name.to_string_lossy().into_owned(), decl));
        }
    }
    let forms: Vec<(&str, Option<&Declaration>)> =
        decls.iter().map(|(p, d)| (p.as_str(), Some(d))).collect();
    let options = EvalOptions {
        share: 50,
        plant: vec!["target-changed".into(), "score-above-rule".into()],
        plant_count: 3,
        sichuan_share: 25,
        xlsx_share: 0,
    };
    let written = write_for(&dir, &forms, 19, &options)?;
    for e in &written {
        println!("{} {:?}", e.path, e.planted);
    }
    eprintln!("{} self-evaluations written", written.len());
    Ok(())
}
