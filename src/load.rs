//! The load stage: one run over a set of paths — discover → read in parallel (or reuse the
//! build cache's `Record` of an unchanged file) → the rules on each declaration → the
//! cross-file rules → one sorted list of diagnostics. Takes paths (or `ingest::discover`'s
//! list) and `IngestOptions`; gives a `Batch` (every file's outcome with its `Facts`, the
//! findings) and this run's records for the cache. `check`, `convert` and `build` all start
//! from a `Batch`; the exit status is decided from it once, at the end.

use crate::diagnostic::{self, Counts, Diagnostic};
use crate::files::Stamp;
use crate::ingest::{self, FileOutcome, IngestError, IngestOptions, SourceFile};
use crate::model::facts::Facts;
use crate::model::identity::Aliases;
use crate::rules;
use crate::spill::Place;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

mod kept;
pub use kept::{Kept, Shelved};

/// Everything a run learnt about its inputs.
#[derive(Debug)]
pub struct Batch {
    /// Every file read, sorted by display path, with its own diagnostics (rule findings
    /// included, cross-file ones too).
    pub files: Vec<FileOutcome>,
    /// Diagnostics that belong to no readable file (walk errors), plus every file's, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Files read in this run (the others' outcomes came from an earlier run's records).
    pub files_read: usize,
    /// The declarations a large run let go, where it wrote them while reading (`Shelved`).
    pub shelved: Option<Shelved>,
}

impl Batch {
    pub fn declarations(&self) -> usize {
        self.files.iter().filter(|f| f.facts.is_some()).count()
    }

    /// Takes the declarations the run kept out of its outcomes (`Kept`).
    pub fn take_kept(&mut self) -> Kept {
        Kept::take_from(self)
    }

    /// How many self-evaluations were read.
    pub fn evaluations(&self) -> usize {
        self.files.iter().filter(|f| f.evaluation.is_some()).count()
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

/// The one declaration `convert` prints: the only outcome, or the one of the worksheet asked
/// for. A workbook with several declaration sheets needs the sheet named.
pub fn pick_sheet<'a>(
    batch: &'a Batch,
    sheet: Option<&str>,
) -> Result<Option<&'a FileOutcome>, SheetError> {
    let names = || {
        batch
            .files
            .iter()
            .filter_map(|o| o.sheet.clone())
            .collect::<Vec<_>>()
            .join("、")
    };
    match sheet {
        Some(name) => batch
            .files
            .iter()
            .find(|o| o.sheet.as_deref() == Some(name))
            .map(Some)
            .ok_or_else(|| SheetError::NoSuchSheet(name.to_owned(), names())),
        None if batch.files.len() > 1 => Err(SheetError::Ambiguous(names())),
        None => Ok(batch.files.first()),
    }
}

/// Why `convert` cannot tell which declaration of a workbook to print.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("工作簿中有多份申报表（工作表：{0}），请用 --sheet 指定要转换的工作表")]
    Ambiguous(String),
    #[error("没有名为“{0}”的申报表工作表（有：{1}）")]
    NoSuchSheet(String, String),
}

/// Reads and validates every declaration under `paths`, without aliases.
pub fn load(paths: &[PathBuf], options: &IngestOptions) -> Result<Batch, IngestError> {
    load_with_aliases(paths, options, &Aliases::default())
}

/// Reads and validates every declaration under `paths`; `aliases` tell the cross-file rules
/// which names are the same department.
pub fn load_with_aliases(
    paths: &[PathBuf],
    options: &IngestOptions,
    aliases: &Aliases,
) -> Result<Batch, IngestError> {
    let load = LoadOptions {
        aliases,
        keep_up_to: usize::MAX,
        previous: None,
        previous_started: 0,
        records: false,
        started: 0,
        stats: None,
    };
    let (files, walk_problems) = ingest::discover(paths, options)?;
    Ok(load_files(&files, walk_problems, options, &load).0)
}

/// What one file taught a run before the cross-file rules: kept in the build cache so a
/// later run takes an unchanged file (same name, size, modification time, change time and
/// inode — and same bytes when its metadata is racy, see `publish::cache`) from here instead of
/// reading it again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub display: String,
    /// The worksheet of a workbook's declaration (one record per declaration sheet).
    pub sheet: Option<String>,
    pub stamp: Stamp,
    /// `crate::files::change_of` the file, taken before it was read.
    pub change: u64,
    pub digest: u64,
    pub facts: Option<Box<Facts>>,
    /// The self-evaluation of the file (or sheet), when it held one; kept as its JSON text,
    /// whatever format the cache uses (its numbers are JSON numbers).
    #[serde(default, with = "evaluation_as_json")]
    pub evaluation: Option<Box<crate::model::self_evaluation::Evaluation>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What a run remembers of one outcome of its batch for the build cache (`load_files` with
/// `records`): which outcome, the change its file was read at, and its findings before the
/// cross-file rules. With the outcome it makes the file's `Record` (`records`).
#[derive(Debug, Clone)]
pub struct Remembered {
    outcome: usize,
    change: u64,
    /// Its file's times were too close to the run's start to be trusted (`files::is_racy`).
    racy: bool,
    diagnostics: Vec<Diagnostic>,
    /// Where its record was among the last run's (`Previous`), when it was reused.
    from: Option<usize>,
}

impl Remembered {
    /// The input files whose metadata the next run cannot trust, with the digest of the bytes
    /// this run read: those racy by the `stat` taken before each was read, and any whose
    /// metadata could not be read. (A `stat` of every input at the end of the build said the
    /// same: a file changed after its `stat` has another stamp next time, or was changed
    /// within the timestamp tick that makes it racy already.)
    pub fn racy(batch: &Batch, remembered: &[Remembered]) -> Vec<(PathBuf, u64)> {
        let mut racy = vec![true; batch.files.len()];
        for r in remembered {
            racy[r.outcome] = r.racy;
        }
        batch
            .files
            .iter()
            .zip(racy)
            .filter(|(_, racy)| *racy)
            .map(|(f, _)| (f.file.path.clone(), f.digest))
            .collect()
    }

    /// The records of `remembered` as the cache saves them, borrowing the batch's facts and
    /// self-evaluations. `batch` is the one `load_files` gave with them.
    pub fn records<'a>(batch: &'a Batch, remembered: &'a [Remembered]) -> Vec<RecordRef<'a>> {
        remembered
            .iter()
            .filter_map(|r| {
                let o = batch.files.get(r.outcome)?;
                Some(RecordRef {
                    display: &o.file.display,
                    sheet: &o.sheet,
                    stamp: o.stamp?,
                    change: r.change,
                    digest: o.digest,
                    facts: &o.facts,
                    evaluation: &o.evaluation,
                    diagnostics: &r.diagnostics,
                    from: r.from,
                })
            })
            .collect()
    }
}

/// A `Record` borrowed from a batch, for saving: it serialises as a `Record` does, field for
/// field, so the cache reads it back as one.
#[derive(Debug, Serialize)]
pub struct RecordRef<'a> {
    pub display: &'a str,
    pub sheet: &'a Option<String>,
    pub stamp: Stamp,
    pub change: u64,
    pub digest: u64,
    pub facts: &'a Option<Box<Facts>>,
    #[serde(serialize_with = "evaluation_as_json::serialize_ref")]
    pub evaluation: &'a Option<Box<crate::model::self_evaluation::Evaluation>>,
    pub diagnostics: &'a [Diagnostic],
    /// Where the record was among the last run's, reused as it was (`cache::Reused`).
    #[serde(skip)]
    pub from: Option<usize>,
}

/// A record's self-evaluation as JSON text inside the cache's own format.
mod evaluation_as_json {
    use crate::model::self_evaluation::Evaluation;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize_ref<S: Serializer>(
        value: &&Option<Box<Evaluation>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serialize(value, serializer)
    }

    pub fn serialize<S: Serializer>(
        value: &Option<Box<Evaluation>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = match value {
            Some(e) => Some(serde_json::to_string(e).map_err(serde::ser::Error::custom)?),
            None => None,
        };
        text.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Box<Evaluation>>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

/// An earlier run's records in their order (by display name, then sheet, as a run saves
/// them), each taken by the file that reuses it, with its place among them (`cache::Reused`).
/// Looked up by binary search: a map of them cost a copy of every name, in the serial part of
/// every rebuild.
#[derive(Debug, Default)]
pub struct Previous(Vec<PreviousRecord>);

#[derive(Debug)]
struct PreviousRecord {
    /// The record's display name, moved out of it (a reused record's outcome names its file).
    display: String,
    at: usize,
    record: std::sync::Mutex<Option<Box<Record>>>,
}

impl Previous {
    pub fn new(records: Vec<Box<Record>>) -> Previous {
        let mut list: Vec<PreviousRecord> = records
            .into_iter()
            .enumerate()
            .map(|(at, mut r)| PreviousRecord {
                display: std::mem::take(&mut r.display),
                at,
                record: std::sync::Mutex::new(Some(r)),
            })
            .collect();
        // In order as saved; a cache that says otherwise is put in order (stably: a
        // workbook's sheets stay in theirs).
        if !list.is_sorted_by(|a, b| a.display <= b.display) {
            list.sort_by(|a, b| a.display.cmp(&b.display));
        }
        Previous(list)
    }

    /// The records of one file (a workbook has one per declaration sheet).
    fn of(&self, display: &str) -> &[PreviousRecord] {
        let start = self.0.partition_point(|r| r.display.as_str() < display);
        let len = self.0[start..].partition_point(|r| r.display == display);
        &self.0[start..start + len]
    }
}

/// How a run loads its files.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions<'a> {
    /// Which names are the same department (for the cross-file rules).
    pub aliases: &'a Aliases,
    /// Keep each file's full declaration once its facts are taken, when the run has at most
    /// this many files. `check` and `convert` keep them all; a large build lets them go and
    /// reads a department's forms again when it renders its page, so its memory does not
    /// grow with the forms' text.
    pub keep_up_to: usize,
    /// Records of an earlier run, by display name (a workbook has one per declaration sheet).
    /// A file whose records are reused takes them (moved into its outcomes, not copied).
    pub previous: Option<&'a Previous>,
    /// When that run started (ns since the epoch): a file changed since shortly before is
    /// compared by its bytes (`crate::files::is_racy`).
    pub previous_started: u64,
    /// Return this run's records (for the build cache).
    pub records: bool,
    /// When this run started (ns since the epoch): a file changed shortly before, by the
    /// `stat` taken before it is read, is racy for the next run (`Remembered::racy`).
    pub started: u64,
    /// Each file's `stat` (in `files`' order), when the run took them already after it
    /// started (for the cache's fingerprint): read from here, not taken again.
    pub stats: Option<&'a [Result<crate::files::Stat, std::io::ErrorKind>]>,
}

/// Reads and validates files already found by `ingest::discover` (with the entries its walk
/// could not read), with a choice of what to keep and an earlier run's records to reuse;
/// returns this run's records too (for files whose size and time could be read).
pub fn load_files(
    files: &[SourceFile],
    walk_problems: Vec<Diagnostic>,
    options: &IngestOptions,
    load: &LoadOptions<'_>,
) -> (Batch, Vec<Remembered>) {
    // Tests pause here (`sleep`) to change the input while a run reads it.
    fail::fail_point!("load-discovered");
    let keep = files.len() <= load.keep_up_to;
    // Where no temporary file can be made, the pages read their forms again.
    let store = (!keep).then(crate::spill::Store::new).and_then(Result::ok);
    let read = std::sync::atomic::AtomicUsize::new(0);
    // Each outcome with the change it was read at and whether its file was racy then, where
    // its record was among the last run's, reused (None: read now), and where its declaration
    // was shelved.
    type Read = (FileOutcome, (u64, bool), Option<usize>, Option<Place>);
    let mut read_outcomes: Vec<Read> = files
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, file)| {
            // Taken before the file is read: a change while it is read shows next time.
            let stat = match load.stats.and_then(|stats| stats.get(i)) {
                Some(stat) => stat.as_ref().ok().copied(),
                None => crate::files::Stat::by_path(&file.path).ok(),
            };
            let change = stat.map_or(0, |s| s.change);
            let racy = stat.is_none_or(|s| s.is_racy(load.started));
            if let Some(reused) = reuse(file, stat.as_ref(), change, load) {
                return reused
                    .into_iter()
                    .map(|(o, c, at)| (o, (c, racy), Some(at), None))
                    .collect::<Vec<_>>();
            }
            read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            ingest::read_one(file, options)
                .into_iter()
                .map(|mut outcome| {
                    validate_file(&mut outcome);
                    let place = (!keep)
                        .then(|| kept::let_go(&mut outcome, store.as_ref()))
                        .flatten();
                    (outcome, (change, racy), None, place)
                })
                .collect()
        })
        .collect();
    // Files come sorted; a workbook's sheets follow in workbook order. The identity of an
    // outcome is its file's display name and its sheet.
    read_outcomes
        .sort_by(|(a, ..), (b, ..)| (&a.file.display, &a.sheet).cmp(&(&b.file.display, &b.sheet)));
    // Taken apart in place (`unzip` made a second vector of every outcome, 25 MB at 60,000
    // forms, while the first was still held).
    let changes: Vec<(u64, bool)> = read_outcomes.iter().map(|(_, c, ..)| *c).collect();
    let origins: Vec<Option<usize>> = read_outcomes.iter().map(|(_, _, at, _)| *at).collect();
    let shelved = store.map(|store| {
        Shelved::new(
            store,
            read_outcomes.iter().map(|(.., place)| *place).collect(),
        )
    });
    let mut outcomes: Vec<FileOutcome> = read_outcomes.into_iter().map(|(o, ..)| o).collect();
    // What the cache needs beyond each outcome: the change it was read at and its findings
    // before the cross-file rules. Its facts and self-evaluation stay in the outcome and are
    // saved from there (`Remembered::records`), not copied: at 60,000 forms a copy was
    // ~160 MB held to the end of the build.
    let records = outcomes
        .iter()
        .zip(&changes)
        .zip(&origins)
        .enumerate()
        .filter(|_| load.records)
        .filter(|(_, ((o, _), _))| o.stamp.is_some())
        .map(|(outcome, ((o, &(change, racy)), &from))| Remembered {
            outcome,
            change,
            racy,
            diagnostics: o.diagnostics.clone(),
            from,
        })
        .collect();
    cross_validate(&mut outcomes, load.aliases);
    for (o, from) in outcomes.iter_mut().zip(origins) {
        let fresh = from.is_none();
        annotate(o);
        diagnostic::sort(&mut o.diagnostics);
        // The facts are kept to the end of a build; made on the reading threads, they sat
        // scattered among the pages of those threads' freed parsing work, which the allocator
        // could then not give back. Copied here, on this thread, and the originals dropped:
        // 20 MB less peak at 60,000 forms (BENCHMARKS.md, "2026-12-04 night: under 400 MB").
        // Where the declarations are kept too: the pages let them go one by one (`Kept`), and
        // only pages that held no facts could then be given back (6,000 forms: 124 → 110 MB).
        // A reused record's facts are not copied: decoded from the cache, boxed, they lie
        // among little else (when they were held inline in a record of ~600 bytes that was then
        // dropped, a one-form rebuild at 20,000 departments peaked at 406–408 MB without the
        // copy; boxed, 362 MB without it, 354 with it, for 20 ms of copying).
        if fresh {
            if let Some(facts) = o.facts.take() {
                o.facts = Some(facts.clone());
            }
        }
    }
    let mut all: Vec<Diagnostic> = walk_problems;
    all.extend(outcomes.iter().flat_map(|o| o.diagnostics.iter().cloned()));
    diagnostic::sort(&mut all);
    (
        Batch {
            files: outcomes,
            diagnostics: all,
            files_read: read.into_inner(),
            shelved,
        },
        records,
    )
}

/// The outcomes of `file` from the last run's records, when they can be trusted: the same
/// stamp and change (size, times, inode) as then, and, for a file changed within a timestamp
/// tick of the last run's start, the same bytes.
fn reuse(
    file: &SourceFile,
    stat: Option<&crate::files::Stat>,
    change: u64,
    load: &LoadOptions<'_>,
) -> Option<Vec<(FileOutcome, u64, usize)>> {
    let (previous, stat) = (load.previous?.of(&file.display), stat?);
    let mut taken = previous
        .iter()
        .map(|p| p.record.lock().ok())
        .collect::<Option<Vec<_>>>()?;
    let stamp = stat.stamp;
    // A workbook has a record per declaration sheet; all are of the same bytes.
    let same = !taken.is_empty()
        && taken.iter().all(|r| {
            r.as_ref()
                .is_some_and(|r| r.stamp == stamp && r.change == change)
        });
    let trusted = same
        && (!stat.is_racy(load.previous_started)
            || std::fs::read(&file.path).is_ok_and(|b| {
                Some(crate::hash::digest(&b)) == taken[0].as_ref().map(|r| r.digest)
            }));
    trusted.then(|| {
        taken
            .iter_mut()
            .zip(previous)
            .filter_map(|(r, p)| Some((r.take()?, p.at)))
            .map(|(r, at)| {
                let r = *r;
                let outcome = FileOutcome {
                    file: file.clone(),
                    sheet: r.sheet,
                    declaration: None,
                    facts: r.facts,
                    evaluation: r.evaluation,
                    diagnostics: r.diagnostics,
                    stamp: Some(r.stamp),
                    digest: r.digest,
                };
                (outcome, change, at)
            })
            .collect()
    })
}

/// Applies the single-file rules and takes the declaration's facts (a self-evaluation is
/// checked by `rules::self_eval` and kept whole).
pub fn validate_file(outcome: &mut FileOutcome) {
    if let Some(evaluation) = &outcome.evaluation {
        let found = rules::self_eval::validate(evaluation, &outcome.file.display);
        outcome.diagnostics.extend(found);
    }
    if let Some(loaded) = &outcome.declaration {
        let found = rules::validate(&loaded.declaration, &loaded.source, &outcome.file.display);
        outcome.diagnostics.extend(found);
        outcome.facts = Some(Box::new(Facts::of(
            &loaded.declaration,
            &loaded.source,
            loaded.sheet.as_deref(),
        )));
    }
}

fn cross_validate(outcomes: &mut [FileOutcome], aliases: &Aliases) {
    let entries: Vec<rules::cross::Entry<'_>> = outcomes
        .iter()
        .filter_map(|o| {
            o.facts.as_ref().map(|facts| rules::cross::Entry {
                file: &o.file.display,
                sheet: o.sheet.as_deref(),
                facts,
            })
        })
        .collect();
    let mut found = rules::cross::check(&entries, aliases);
    let evaluations: Vec<rules::self_eval::Evaluated<'_>> = outcomes
        .iter()
        .filter_map(|o| {
            o.evaluation
                .as_deref()
                .map(|evaluation| rules::self_eval::Evaluated {
                    file: &o.file.display,
                    evaluation,
                })
        })
        .collect();
    found.extend(rules::self_eval::cross(&evaluations, &entries, aliases));
    drop(entries);
    drop(evaluations);
    for d in found {
        // Outcomes are sorted by display path and sheet, so the owner is found by binary search.
        let key = (d.file.as_str(), d.sheet.as_deref());
        if let Ok(i) =
            outcomes.binary_search_by(|o| (o.file.display.as_str(), o.sheet.as_deref()).cmp(&key))
        {
            outcomes[i].diagnostics.push(d);
        }
    }
}

/// Fills in the department and budget year every diagnostic of a file should carry.
fn annotate(outcome: &mut FileOutcome) {
    let of_evaluation = outcome.evaluation.as_ref().map(|e| {
        (
            e.form.department.clone(),
            e.form.fiscal_year,
            e.sheet.clone(),
        )
    });
    let (department, year, sheet) = outcome
        .facts
        .as_ref()
        .map(|f| (f.department.clone(), f.fiscal_year, f.sheet.clone()))
        .or(of_evaluation)
        .unwrap_or((None, None, None));
    for d in &mut outcome.diagnostics {
        if d.sheet.is_none() && d.line.is_some() {
            d.sheet.clone_from(&sheet);
        }
        if d.department.is_none() {
            d.department.clone_from(&department);
        }
        if d.fiscal_year.is_none() {
            d.fiscal_year = year;
        }
    }
}

#[cfg(test)]
mod record_tests {
    use super::*;

    /// The last run's records are found by their file's name (a workbook's all, in sheet
    /// order), with their places, whatever order the cache held them in.
    #[test]
    fn previous_records_are_found_by_name_with_their_places() {
        let record = |display: &str, sheet: &str| {
            Box::new(Record {
                display: display.into(),
                sheet: Some(sheet.into()),
                stamp: crate::files::Stamp {
                    size: 1,
                    modified: 2,
                },
                change: 3,
                digest: 4,
                facts: None,
                evaluation: None,
                diagnostics: Vec::new(),
            })
        };
        let previous = Previous::new(vec![
            record("b.txt", ""),
            record("a.xlsx", "表1"),
            record("a.xlsx", "表2"),
            record("c.txt", ""),
        ]);
        let found = |name: &str| -> Vec<(usize, String)> {
            (previous.of(name).iter())
                .map(|p| {
                    let r = p.record.lock().unwrap();
                    (p.at, r.as_ref().unwrap().sheet.clone().unwrap())
                })
                .collect()
        };
        assert_eq!(found("a.xlsx"), [(1, "表1".into()), (2, "表2".into())]);
        assert_eq!(found("b.txt"), [(0, String::new())]);
        assert_eq!(found("c.txt"), [(3, String::new())]);
        assert!(found("a.txt").is_empty() && found("d.txt").is_empty());
    }

    /// Options of a run that keeps no declaration, reuses nothing and returns its records,
    /// started at `started`.
    fn recording(aliases: &Aliases, started: u64) -> LoadOptions<'_> {
        LoadOptions {
            aliases,
            keep_up_to: 0,
            previous: None,
            previous_started: 0,
            records: true,
            started,
            stats: None,
        }
    }
    use crate::model::self_evaluation::{EvalLayout, EvalSource, Evaluation, SelfEvaluation};

    #[test]
    fn a_record_with_a_self_evaluation_round_trips_through_the_cache_format() {
        let mut form = SelfEvaluation::new(EvalLayout::Sichuan);
        form.execution.adjusted_budget = Some("301.20".parse().unwrap());
        form.total.score = Some("98.62".parse().unwrap());
        let record = Record {
            display: "a.txt".into(),
            sheet: None,
            stamp: Stamp {
                size: 1,
                modified: 2,
            },
            change: 1,
            digest: 2,
            facts: None,
            evaluation: Some(Box::new(Evaluation::new(
                form,
                EvalSource {
                    total: Some(40),
                    ..EvalSource::default()
                },
                None,
            ))),
            diagnostics: Vec::new(),
        };
        let bytes = postcard::to_stdvec(&record).unwrap();
        let back: Record = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.evaluation, record.evaluation);
    }

    /// The cache saves records borrowed from the batch (`RecordRef`) and reads them back as
    /// `Record`s: the two must serialise alike, field for field, or every cache is lost.
    #[test]
    fn a_record_saved_from_the_batch_reads_back_as_the_record_it_stands_for() {
        let dir = tempfile::tempdir().unwrap();
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut files = Vec::new();
        let listed = |f: &str| std::fs::read_dir(format!("{fixtures}/{f}")).unwrap();
        for e in listed("sample").chain(listed("self_eval")) {
            let path = e.unwrap().path();
            if path.extension().is_some_and(|x| x == "txt") {
                let to = dir.path().join(path.file_name().unwrap());
                std::fs::copy(&path, &to).unwrap();
                files.push(SourceFile {
                    display: to.file_name().unwrap().to_string_lossy().into_owned(),
                    path: to,
                });
            }
        }
        files.sort_by(|a, b| a.display.cmp(&b.display));
        assert!(
            files.len() >= 2,
            "the sample's declaration and self-evaluation"
        );
        let aliases = Aliases::default();
        let load = recording(&aliases, 0);
        let (batch, remembered) = load_files(&files, Vec::new(), &IngestOptions::default(), &load);
        let refs = Remembered::records(&batch, &remembered);
        assert_eq!(refs.len(), files.len());
        assert!(refs.iter().any(|r| r.facts.is_some()), "a declaration");
        assert!(
            refs.iter().any(|r| r.evaluation.is_some()),
            "a self-evaluation"
        );
        assert!(refs.iter().any(|r| !r.diagnostics.is_empty()), "findings");
        for (r, o) in refs.iter().zip(&batch.files) {
            let back: Record = postcard::from_bytes(&postcard::to_stdvec(r).unwrap()).unwrap();
            assert_eq!(back.display, o.file.display);
            assert_eq!(back.sheet, o.sheet);
            assert_eq!(Some(back.stamp), o.stamp);
            assert_eq!(back.digest, o.digest);
            assert_eq!(back.facts, o.facts, "{}: facts", o.file.display);
            assert_eq!(
                back.evaluation, o.evaluation,
                "{}: self-evaluation",
                o.file.display
            );
            // The findings before the cross-file rules (and before `annotate` names their
            // department): among the outcome's.
            for d in &back.diagnostics {
                let found = o.diagnostics.iter().any(|x| {
                    (x.code, x.line, &x.message, &x.file) == (d.code, d.line, &d.message, &d.file)
                });
                assert!(found, "{}: {d:?}", o.file.display);
            }
        }
    }

    /// A file is racy for the next run by the `stat` taken before it was read: changed less
    /// than `RACY_NS` before this run started (every file just written, against now), not
    /// when the run started well after; a file that vanished before it was read is racy too.
    #[test]
    fn racy_inputs_are_judged_by_the_stat_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<SourceFile> = ["a.txt", "b.txt", "gone.txt"]
            .iter()
            .map(|name| {
                let path = dir.path().join(name);
                std::fs::write(&path, "不是申报表").unwrap();
                SourceFile {
                    display: (*name).to_owned(),
                    path,
                }
            })
            .collect();
        std::fs::remove_file(&files[2].path).unwrap();
        let aliases = Aliases::default();
        let racy_at = |started: u64| {
            let load = recording(&aliases, started);
            let (batch, remembered) =
                load_files(&files, Vec::new(), &IngestOptions::default(), &load);
            Remembered::racy(&batch, &remembered)
                .into_iter()
                .map(|(path, _)| path.file_name().unwrap().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        };
        let now = crate::files::now_ns();
        assert_eq!(racy_at(now), ["a.txt", "b.txt", "gone.txt"]);
        assert_eq!(racy_at(now + 2 * crate::files::RACY_NS), ["gone.txt"]);
    }
}
