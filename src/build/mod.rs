//! `build`: the stages in order, from submissions to a published site — config and templates,
//! the input walked once (`ingest::discover`), `load` (reading and rules, reusing the build
//! cache's records), `analyze`, then `jobs` (views, charts, tables and datasets rendered in
//! parallel and written through the crash-safe `publish::writer`). Nothing is published by a
//! failed or refused build.
//!
//! Before anything is touched a build refuses an output path that is a file, takes the build
//! locks (in the cache folder and beside the output: one build at a time) and lets the site
//! writer finish or undo what a run that died left (`publish::writer::recover`). It refuses to publish
//! (`Refusal`, unless `allow_shrink`) a run that found no declaration, whose input folder
//! vanished while it ran, or that would drop more than half of the published departments.
//!
//! With a build cache (`publish::cache`), a build is incremental: an input file whose name, size and
//! time are unchanged is not read again (its facts and findings come from the cache); a
//! department's page and JSON downloads are rendered again only when one of its forms, its
//! findings, the templates, the config or the tool changed; the district-wide pages' views
//! are made every time (they sum every form), but a page is rendered only when its view's hash
//! differs from the one the published page was made from (`jobs`' `page`) — except the pages
//! of a district's or a year's table, keyed by their departments' keys without making their
//! rows (`jobs`' `listing`), and the search page, keyed by the forms' texts; a department's
//! `district.json` object is left in the published file under the same key as its page
//! (`dataset::Reuse`), and the file is written only when one of its objects' digests changed;
//! and the published site is updated in place (see `publish::writer`), its
//! files' stamps taken while the input is read (`writer::Survey`). The cache's records are
//! written while the site is published, the rest of its state after. The result is
//! byte-for-byte the site a clean build makes, which the tests check after every kind of change.
//!
//! Memory (RAM): the build keeps each form's facts, not the form. A run small enough to keep
//! every declaration (`BuildOptions::keep_declarations`) moves them out of the batch
//! (`load::Kept`) and each department's page lets its own go; a larger run writes each to a
//! temporary file as it reads it (`load::Shelved`), and a department's page reads its own
//! back.

use crate::analyze::{self, SiteModel};
use crate::config::{ConfigError, SiteConfig};
use crate::ingest::{self, IngestError, IngestOptions};
use crate::load::{Batch, LoadOptions};
use crate::output::dataset;
use crate::output::render::{RenderError, Renderer};
use crate::output::tables::TableError;
use crate::publish::cache::{self, Cache};
use crate::publish::writer::{Manifest, WriteError, WriteStats};
use std::path::{Path, PathBuf};

mod jobs;
mod summary;

pub use summary::Summary;

/// Runs with at most this many input files keep every declaration in memory (about 6 KB
/// each) instead of reading a department's files again to render its page.
pub const KEEP_DECLARATIONS_UP_TO: usize = 20_000;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub input: PathBuf,
    pub output: PathBuf,
    pub templates: PathBuf,
    pub config: PathBuf,
    /// The config file was named on the command line, so it must exist.
    pub config_required: bool,
    /// Publish nothing unless the run is clean (no error, no warning).
    pub strict: bool,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    pub ingest: IngestOptions,
    /// The build cache folder: with it, builds are incremental (see the module doc).
    pub cache: Option<PathBuf>,
    /// Keep every declaration in memory when the run has at most this many files.
    pub keep_declarations: usize,
    /// Publish even when the run finds no declaration or would drop more than half of the
    /// departments now published (otherwise refused, see `Refusal`).
    pub allow_shrink: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            input: PathBuf::from("submissions"),
            output: PathBuf::from("public"),
            templates: PathBuf::from("site-templates"),
            config: PathBuf::from("site.toml"),
            config_required: false,
            strict: false,
            progress: false,
            ingest: IngestOptions::default(),
            cache: None,
            keep_declarations: KEEP_DECLARATIONS_UP_TO,
            allow_shrink: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Table(#[from] TableError),
    #[error(transparent)]
    Changed(#[from] crate::analyze::Changed),
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// A large download's pieces could not be held in a temporary file (`spill`).
    #[error("无法在临时文件夹 {dir} 暂存构建数据：{source}；请检查该文件夹（环境变量 TMPDIR）的剩余空间和权限（已发布的网站保持原样）")]
    Spill {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A run that would publish less than the site holds by accident: nothing is published (the
/// site stays as it is) unless `--allow-shrink` is given.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("在 {0} 下没有找到任何申报表；为避免发布空网站，未发布（已发布的网站保持原样）。确认要发布空网站请加 --allow-shrink")]
    NoDeclaration(PathBuf),
    #[error("输入文件夹 {path} 在构建期间消失或无法再列出（{source}）；未发布（已发布的网站保持原样），请检查后重新运行")]
    InputGone {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("本次构建只有 {after} 个部门，而已发布的网站有 {before} 个部门（减少超过一半）；为避免误删，未发布（已发布的网站保持原样）。确认要发布请加 --allow-shrink")]
    Shrink { before: usize, after: usize },
}

/// What a build did.
#[derive(Debug)]
pub struct BuildOutcome {
    pub batch: Batch,
    /// None when `--strict` refused to publish.
    pub written: Option<WriteStats>,
    pub districts: usize,
    pub departments: usize,
    pub published_forms: usize,
    pub unpublished_files: usize,
    /// Nothing changed since the last build: the site was left as it was and `batch` holds
    /// the last build's diagnostics (no file outcomes).
    pub unchanged: bool,
    /// Input files read (the others came from the build cache).
    pub files_read: usize,
    /// Department pages rendered (the others were kept).
    pub departments_rendered: usize,
}

impl BuildOutcome {
    pub fn exit_code(&self, strict: bool) -> i32 {
        self.batch.exit_code(strict)
    }
}

/// The build, as its stages: read the config and templates, refuse an unsafe output, take
/// the locks, find the input files, stop early if nothing changed, load (read + rules, reusing
/// the cache's records), analyze, refuse a shrinking site, publish, and remember the run.
pub fn build(options: &BuildOptions) -> Result<BuildOutcome, BuildError> {
    let (config, config_digest) = SiteConfig::read(&options.config, options.config_required)?;
    // Templates first: a broken template fails the build before anything is read or written.
    let renderer = Renderer::load(&options.templates)?;
    check_output(options)?;
    let _locks = Locks::take(options)?;
    let ingest = IngestOptions {
        names_from_folder: true,
        // The published site may lie inside the input; its JSON downloads are not submissions.
        exclude: vec![options.output.clone()],
        ..options.ingest.clone()
    };
    let cache = options
        .cache
        .as_ref()
        .map(|dir| Cache::new(dir, &options.output));
    let started = crate::files::now_ns();
    // The walk with the inputs' stats, and the last build's state, at once: all only read,
    // and in a rebuild after a small change they are a fifth of its time. (The stats are
    // taken after `started`, before anything is read: the reading takes its stamps and racy
    // marks from them too, `LoadOptions::stats`, not from another `stat` each.)
    let (walked, previous) = rayon::join(
        || {
            let (files, problems) =
                ingest::discover(std::slice::from_ref(&options.input), &ingest)?;
            let stats = cache.as_ref().map(|_| cache::stat_inputs(&files));
            Ok::<_, BuildError>((files, problems, stats))
        },
        || cache.as_ref().and_then(Cache::load),
    );
    let (files, walk_problems, stats) = walked?;
    let mut recalled = Recollection::recall(
        options,
        (cache, previous),
        (&files, &walk_problems, stats),
        (renderer.digest, config_digest),
        started,
    );
    if let Some(unchanged) = recalled.unchanged(options) {
        return Ok(unchanged);
    }
    let previous_started = recalled.previous.as_ref().map_or(0, |s| s.started);
    let (records, manifest) = recalled.reusable(options);
    // The published files' stamps, taken while the input is read and analysed.
    let survey = manifest
        .as_ref()
        .map(|_| crate::publish::writer::Survey::start(&options.output));
    let aliases = config.aliases();
    let load = LoadOptions {
        aliases: &aliases,
        keep_up_to: options.keep_declarations,
        previous: records.as_ref(),
        previous_started,
        records: recalled.cache.is_some(),
        started: recalled.started,
        stats: recalled.stats.as_deref(),
    };
    let (mut batch, fresh) = crate::load::load_files(&files, walk_problems, &ingest, &load);
    // The inputs' stats served the reading: not kept to the end.
    recalled.stats = None;
    // Each department's page takes its kept declarations and lets them go once made.
    let kept = batch.take_kept();
    // The last build's records serve the reading only: a form reused took its own. Kept to
    // the end, those of changed files would be held for nothing.
    drop(records);
    let records = fresh;
    // An input root that vanished mid-run reads as many unreadable files: not a result.
    if let Err(source) = std::fs::read_dir(&options.input) {
        let path = options.input.clone();
        return Err(Refusal::InputGone { path, source }.into());
    }
    // How many departments the published site has: as the cache recorded it, else read
    // while the batch is analysed.
    let listed = || {
        recalled
            .published_departments
            .unwrap_or_else(|| published_departments(&options.output))
    };
    let (model, before) = rayon::join(
        || analyze::analyze(&batch, &options.input, &config),
        || (!options.allow_shrink).then(listed),
    );
    if let Some(before) = before {
        refuse_shrinking(options, &batch, &model, before)?;
    }
    let mut outcome = BuildOutcome::of(&model, batch.files_read);
    let remembered = crate::load::Remembered::records(&batch, &records);
    // Closed once the save has begun: the finished cache file replaces it.
    let laid = recalled.laid.take();
    let (site, saving) = if options.strict && batch.exit_code(true) != 0 {
        // Refused: the site stays as the last build left it, and so do its manifest, the
        // departments it lists and where its `data/district.json` holds them.
        let site = SiteState {
            manifest,
            departments: before.unwrap_or_else(listed),
            pieces: recalled.pieces.take().unwrap_or_default(),
        };
        (site, recalled.begin_save(&remembered, laid))
    } else {
        let inputs = jobs::Inputs {
            batch: &batch,
            model: &model,
            config: &config,
            renderer: &renderer,
            ingest: &ingest,
            kept: &kept,
            site_key: recalled.site_key,
            pieces: recalled.pieces.as_ref(),
        };
        // The cache's records are written while the site is: nothing there changes them.
        let (done, saving) = rayon::join(
            || {
                let previous = manifest.zip(survey);
                jobs::publish(&inputs, &options.output, previous, options.progress)
            },
            || recalled.begin_save(&remembered, laid),
        );
        let done = done?;
        outcome.written = Some(done.stats);
        outcome.departments_rendered = done.departments_rendered;
        let site = SiteState {
            manifest: Some(done.manifest),
            departments: outcome.departments,
            pieces: done.pieces,
        };
        (site, saving)
    };
    drop(model);
    drop(remembered);
    if let Some(saving) = saving {
        saving.finish(&cache::Tail {
            racy: &crate::load::Remembered::racy(&batch, &records),
            manifest: site.manifest.as_ref(),
            districts: outcome.districts,
            departments: outcome.departments,
            published_forms: outcome.published_forms,
            unpublished_files: outcome.unpublished_files,
            diagnostics: &batch.diagnostics,
            published_departments: site.departments,
            pieces: &site.pieces,
        });
    }
    drop(records);
    // The rest of the build's state is freed on a thread of its own: the site's manifest
    // (100,000 paths at 20,000 departments), the inputs' list, the last build's
    // recollection. Freed here, one by one, it was 20 ms at the end of a one-form rebuild
    // with nothing else left to do; the command ends meanwhile (and the system takes the
    // memory back at once), a longer-lived caller (`serve`) gets it freed beside.
    drop_beside((site, recalled, files, kept));
    Ok(BuildOutcome { batch, ..outcome })
}

/// Drops `value` on a new thread (here, should no thread be had).
fn drop_beside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("drop".to_owned())
        .spawn(move || drop(value));
}

/// What the cache records of the site as the build leaves it (published, or kept by a
/// `--strict` refusal).
struct SiteState {
    manifest: Option<Manifest>,
    /// How many departments its `data/district.json` lists.
    departments: usize,
    /// Where that file holds each one's object.
    pieces: dataset::Pieces,
}

/// The build locks (in the cache folder and beside the output): one build at a time; a
/// second one is refused before it touches anything. Whatever a run that died left
/// half-done is finished or undone once they are held.
struct Locks {
    _cache: Option<crate::publish::writer::Lock>,
    _output: crate::publish::writer::Lock,
}

impl Locks {
    fn take(options: &BuildOptions) -> Result<Locks, WriteError> {
        use crate::publish::writer::{lock, output_lock, recover};
        let cache = match &options.cache {
            Some(dir) => Some(lock(&dir.join("lock"))?),
            None => None,
        };
        let output = lock(&output_lock(&options.output)?)?;
        recover(&options.output)?;
        Ok(Locks {
            _cache: cache,
            _output: output,
        })
    }
}

/// What the build cache remembers of the last build, and this build's keys.
struct Recollection {
    cache: Option<Cache>,
    previous: Option<cache::State>,
    /// What this build reads, when there is a cache to compare it with.
    fingerprint: Option<u64>,
    /// Each input file's `stat` the fingerprint was made from (with a cache).
    stats: Stats,
    tool: u64,
    site_key: u64,
    started: u64,
    /// How many departments the published site lists, as the last build recorded it, while
    /// its `data/district.json` is still as that build left it (`reusable`).
    published_departments: Option<usize>,
    /// Where that file holds each department's object (`dataset::Pieces`), alike.
    pieces: Option<dataset::Pieces>,
    /// The last cache file, open, and where its record blocks lie in it, when its records
    /// serve this build: the save copies those it would only make again (`cache::Reused`).
    laid: Option<Laid>,
}

/// A cache file, open, and where its record blocks lie in it.
type Laid = (std::sync::Arc<std::fs::File>, Vec<cache::Block>);

/// Each input file's `stat` (`cache::stat_inputs`), in the files' order, when the build has a
/// cache.
type Stats = Option<Vec<Result<crate::files::Stat, std::io::ErrorKind>>>;

impl Recollection {
    /// The cache and the state it held (`Cache::load`), with this build's keys made from the
    /// files found (with their stats, taken with a cache) and the templates' and config's
    /// digests.
    fn recall(
        options: &BuildOptions,
        (cache, previous): (Option<Cache>, Option<cache::State>),
        (files, walk_problems, stats): (
            &[ingest::SourceFile],
            &[crate::diagnostic::Diagnostic],
            Stats,
        ),
        (templates, config): (u64, u64),
        started: u64,
    ) -> Recollection {
        let tool = cache::tool_key(&format!("max_file_bytes={}", options.ingest.max_file_bytes));
        let run = format!(
            "tool={tool} strict={} config_required={}",
            options.strict, options.config_required
        );
        let fingerprint = stats.as_ref().map(|stats| {
            cache::inputs_fingerprint(files, stats, walk_problems, templates, config, &run)
        });
        Recollection {
            cache,
            previous,
            fingerprint,
            stats,
            tool,
            site_key: cache::site_key(tool, templates, config),
            started,
            published_departments: None,
            pieces: None,
            laid: None,
        }
    }

    /// The last build's outcome, when nothing it read or wrote has changed since.
    fn unchanged(&self, options: &BuildOptions) -> Option<BuildOutcome> {
        let (state, fingerprint) = (self.previous.as_ref()?, self.fingerprint?);
        (state.inputs == fingerprint
            && state.site_intact(&options.output)
            && state.racy_unchanged())
        .then(|| from_state(state))
    }

    /// The last build's records by file, and the manifest of the site it published (when the
    /// site was made with the same templates, config and tool, and is still there). Taken out
    /// of the remembered state: moved, not copied.
    fn reusable(
        &mut self,
        options: &BuildOptions,
    ) -> (Option<crate::load::Previous>, Option<Manifest>) {
        // What the last build recorded of the site's `data/district.json`, while the file
        // is still as that build left it.
        let intact = self.previous.as_ref().is_some_and(|state| {
            state
                .manifest
                .as_ref()
                .and_then(|m| m.get(dataset::SITE_PATH))
                .is_some_and(|written| written.still_at(&options.output.join(dataset::SITE_PATH)))
        });
        if let Some(state) = self.previous.as_mut().filter(|_| intact) {
            self.published_departments = Some(state.published_departments);
            self.pieces = Some(std::mem::take(&mut state.pieces));
        }
        match self.previous.take() {
            Some(state) if state.tool == self.tool => {
                let records = crate::load::Previous::new(state.records.list);
                self.laid = state.file.map(|file| (file, state.records.blocks));
                let manifest = state
                    .manifest
                    .filter(|_| state.site == self.site_key && options.output.is_dir());
                (Some(records), manifest)
            }
            _ => (None, None),
        }
    }

    /// Starts saving this run's state to the cache, with `records` (`cache::Cache::begin`).
    fn begin_save(
        &self,
        records: &[crate::load::RecordRef<'_>],
        laid: Option<Laid>,
    ) -> Option<cache::Saving> {
        let (cache, inputs) = (self.cache.as_ref()?, self.fingerprint?);
        let head = cache::Head {
            inputs,
            started: self.started,
            tool: self.tool,
            site: self.site_key,
        };
        let origins: Vec<Option<usize>> = records.iter().map(|r| r.from).collect();
        let reused = laid.as_ref().map(|(file, blocks)| cache::Reused {
            file,
            blocks,
            origins: &origins,
        });
        cache.begin(&head, records, reused.as_ref())
    }
}

impl BuildOutcome {
    /// What a build that publishes `model` reports before it writes anything.
    fn of(model: &SiteModel<'_>, files_read: usize) -> BuildOutcome {
        let departments = || model.districts.iter().flat_map(|d| &d.departments);
        BuildOutcome {
            districts: model.districts.len(),
            departments: departments().count(),
            published_forms: departments().map(|d| d.forms.len()).sum(),
            unpublished_files: model.unpublished.len(),
            written: None,
            unchanged: false,
            files_read,
            departments_rendered: 0,
            batch: Batch {
                files: Vec::new(),
                diagnostics: Vec::new(),
                files_read: 0,
                shelved: None,
            },
        }
    }
}

/// The outcome of an unchanged run, from the last build's state.
fn from_state(state: &cache::State) -> BuildOutcome {
    BuildOutcome {
        written: state.written(),
        districts: state.districts,
        departments: state.departments,
        published_forms: state.published_forms,
        unpublished_files: state.unpublished_files,
        unchanged: true,
        files_read: 0,
        departments_rendered: 0,
        batch: Batch {
            files: Vec::new(),
            diagnostics: state.diagnostics.clone(),
            files_read: 0,
            shelved: None,
        },
    }
}

/// Refuses a run with no declaration, or one that would drop more than half of the
/// `before` departments the published site has (`published_departments`).
fn refuse_shrinking(
    options: &BuildOptions,
    batch: &Batch,
    model: &SiteModel<'_>,
    before: usize,
) -> Result<(), Refusal> {
    if batch.declarations() == 0 {
        return Err(Refusal::NoDeclaration(options.input.clone()));
    }
    let after: usize = model.districts.iter().map(|d| d.departments.len()).sum();
    if after * 2 < before {
        return Err(Refusal::Shrink { before, after });
    }
    Ok(())
}

/// How many departments the site at `output` publishes (its `data/district.json`; 0 without).
fn published_departments(output: &Path) -> usize {
    #[derive(serde::Deserialize)]
    struct Published {
        departments: Vec<serde::de::IgnoredAny>,
    }
    std::fs::read(output.join(dataset::SITE_PATH))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Published>(&bytes).ok())
        .map_or(0, |p| p.departments.len())
}

/// Refuses an output folder that would swallow the input or the templates when replaced,
/// and an output path that is a file, before anything is touched.
fn check_output(options: &BuildOptions) -> Result<(), WriteError> {
    if std::fs::metadata(&options.output).is_ok_and(|m| !m.is_dir()) {
        return Err(WriteError::OutputIsFile(options.output.clone()));
    }
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|a| a.components().collect::<PathBuf>())
            .unwrap_or_else(|_| p.to_owned())
    };
    let out = abs(&options.output);
    let unsafe_ = out.parent().is_none()
        || [&options.input, &options.templates]
            .iter()
            .any(|p| abs(p).starts_with(&out));
    if unsafe_ {
        return Err(WriteError::UnsafeOutput(options.output.clone()));
    }
    Ok(())
}
