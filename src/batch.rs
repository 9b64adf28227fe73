//! One run over a set of paths: discover → read in parallel → validate each declaration →
//! cross-file rules → one sorted list of diagnostics. `check`, `convert` and `build` all start
//! from a `Batch`; the exit status is decided from it once, at the end.

use crate::diagnostic::{self, Counts, Diagnostic};
use crate::identity::Aliases;
use crate::ingest::{self, FileOutcome, IngestError, IngestOptions};
use crate::validate;
use rayon::prelude::*;
use std::path::PathBuf;

/// Everything a run learnt about its inputs.
#[derive(Debug)]
pub struct Batch {
    /// Every file read, sorted by display path, with its own diagnostics (rule findings
    /// included, cross-file ones too).
    pub files: Vec<FileOutcome>,
    /// Diagnostics that belong to no readable file (walk errors), plus every file's, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl Batch {
    pub fn declarations(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.declaration.is_some())
            .count()
    }

    pub fn counts(&self) -> Counts {
        Counts::of(&self.diagnostics)
    }

    /// 0 clean; 1 any error (any warning too when `strict`).
    pub fn exit_code(&self, strict: bool) -> i32 {
        let c = self.counts();
        if c.errors > 0 || (strict && c.warnings > 0) {
            1
        } else {
            0
        }
    }
}

/// Reads and validates every declaration under `paths`, without aliases.
pub fn load(paths: &[PathBuf], options: &IngestOptions) -> Result<Batch, IngestError> {
    load_with(paths, options, &Aliases::default())
}

/// Reads and validates every declaration under `paths`; `aliases` tell the cross-file rules
/// which names are the same department.
pub fn load_with(
    paths: &[PathBuf],
    options: &IngestOptions,
    aliases: &Aliases,
) -> Result<Batch, IngestError> {
    let (files, walk_problems) = ingest::discover(paths, options)?;
    let mut outcomes = ingest::read_all(&files, options);
    outcomes.par_iter_mut().for_each(validate_file);
    cross_validate(&mut outcomes, aliases);
    for o in &mut outcomes {
        annotate(o);
        diagnostic::sort(&mut o.diagnostics);
    }
    let mut all: Vec<Diagnostic> = walk_problems;
    all.extend(outcomes.iter().flat_map(|o| o.diagnostics.iter().cloned()));
    diagnostic::sort(&mut all);
    Ok(Batch {
        files: outcomes,
        diagnostics: all,
    })
}

fn validate_file(outcome: &mut FileOutcome) {
    if let Some(loaded) = &outcome.declaration {
        let found = validate::validate(&loaded.declaration, &loaded.source, &outcome.file.display);
        outcome.diagnostics.extend(found);
    }
}

fn cross_validate(outcomes: &mut [FileOutcome], aliases: &Aliases) {
    let entries: Vec<validate::cross::Entry<'_>> = outcomes
        .iter()
        .filter_map(|o| {
            o.declaration.as_ref().map(|l| validate::cross::Entry {
                file: &o.file.display,
                declaration: &l.declaration,
                source: &l.source,
            })
        })
        .collect();
    let found = validate::cross::check(&entries, aliases);
    drop(entries);
    for d in found {
        // Outcomes are sorted by display path, so the owner is found by binary search.
        if let Ok(i) = outcomes.binary_search_by(|o| o.file.display.as_str().cmp(&d.file)) {
            outcomes[i].diagnostics.push(d);
        }
    }
}

/// Fills in the department and budget year every diagnostic of a file should carry.
fn annotate(outcome: &mut FileOutcome) {
    let (department, year) = outcome
        .declaration
        .as_ref()
        .map(|l| (l.declaration.department.clone(), l.declaration.fiscal_year))
        .unwrap_or((None, None));
    for d in &mut outcome.diagnostics {
        if d.department.is_none() {
            d.department.clone_from(&department);
        }
        if d.fiscal_year.is_none() {
            d.fiscal_year = year;
        }
    }
}
