//! `build`: the whole pipeline from submissions to a published site — config, templates,
//! ingest and validation (`batch`), `analyze`, view structs, rendering in parallel, and
//! publishing through the site writer. Nothing is published by a failed or refused build.
//!
//! Before anything is touched a build refuses an output path that is a file, takes the build
//! locks (in the cache folder and beside the output: one build at a time) and lets the site
//! writer finish or undo what a run that died left (`site::recover`). It refuses to publish
//! (`Refusal`, unless `allow_shrink`) a run that found no declaration, whose input folder
//! vanished while it ran, or that would drop more than half of the published departments.
//!
//! With a build cache (`cache`), a build is incremental: an input file whose name, size and
//! time are unchanged is not read again (its facts and findings come from the cache); a
//! department's page and JSON downloads are rendered again only when one of its forms, its
//! findings, the templates, the config or the tool changed; the district-wide pages are
//! rendered every time (they sum every form) but written only when their bytes change; and
//! the published site is updated in place (see `site`). The result is byte-for-byte the
//! site a clean build makes, which the tests check after every kind of change.
//!
//! Memory: the build keeps each form's facts, not the form. A department's declarations are
//! read again when its page is rendered, unless the run is small enough to keep them all
//! (`BuildOptions::keep_declarations`).

use crate::analyze::stats::{self, DistrictFigures};
use crate::analyze::{self, Department, District, SiteModel};
use crate::config::{ConfigError, SiteConfig};
use crate::hash::Fnv;
use crate::ingest::{self, IngestError, IngestOptions};
use crate::load::{Batch, LoadOptions, Record};
use crate::model::Declaration;
use crate::output::dataset;
use crate::output::render::{self, RenderError, Renderer};
use crate::output::tables::{Table, TableError};
use crate::output::views;
use crate::publish::cache::{self, Cache};
use crate::publish::writer::{Manifest, WriteError, WriteStats, Writer};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

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
    #[error("{0} 在生成网站期间被修改或无法再读取，请重新运行")]
    Changed(String),
    #[error(transparent)]
    Refused(#[from] Refusal),
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

/// One page (with its downloads) of the site to produce.
enum Job<'m> {
    Home,
    Report,
    SiteData,
    Content(&'m str),
    Asset(&'m str),
    District(usize),
    Dashboard(usize),
    Year(usize, i32),
    /// A department's page and its forms' JSON downloads.
    Department(usize, usize),
    /// The search page, and a district's search index (`search`).
    SearchPage,
    SearchIndex(usize),
}

/// Everything the jobs of one build read.
struct Site<'m, 'a> {
    batch: &'a Batch,
    model: &'m SiteModel<'a>,
    figures: Vec<DistrictFigures>,
    data: Vec<dataset::DistrictJson>,
    config: &'m SiteConfig,
    renderer: &'m Renderer,
    ingest: &'m IngestOptions,
    /// `cache::site_key`: part of every department's key.
    site_key: u64,
    rendered: std::sync::atomic::AtomicUsize,
    /// Held while a district-wide page or workbook is rendered: each holds a table of every
    /// department, so one at a time keeps the peak memory down while the other threads
    /// render departments.
    district_wide: std::sync::Mutex<()>,
}

pub fn build(options: &BuildOptions) -> Result<BuildOutcome, BuildError> {
    let config = SiteConfig::load(&options.config, options.config_required)?;
    // Templates first: a broken template fails the build before anything is read or written.
    let renderer = Renderer::load(&options.templates)?;
    check_output(options)?;
    // One build at a time: a second one is refused before it touches anything.
    let _cache_lock = match &options.cache {
        Some(dir) => Some(crate::publish::writer::lock(&dir.join("lock"))?),
        None => None,
    };
    let _output_lock =
        crate::publish::writer::lock(&crate::publish::writer::output_lock(&options.output)?)?;
    // Whatever a run that died left half-done is finished or undone first.
    crate::publish::writer::recover(&options.output)?;
    let cache = options
        .cache
        .as_ref()
        .map(|dir| Cache::new(dir, &options.output));
    let tool = cache::tool_key(&format!("max_file_bytes={}", options.ingest.max_file_bytes));
    let site_key = cache::site_key(tool, &options.templates, &options.config);
    let started = crate::files::now_ns();
    let previous = cache.as_ref().and_then(Cache::load);
    if previous.is_none() {
        // A full build makes every district's search index: load the segmenter meanwhile.
        crate::output::search::warm_up();
    }
    let fingerprint = cache.as_ref().map(|_| {
        cache::inputs_fingerprint(
            &options.input,
            &options.output,
            &options.templates,
            &options.config,
            &format!(
                "tool={tool} strict={} config_required={}",
                options.strict, options.config_required
            ),
        )
    });
    if let (Some(state), Some(fingerprint)) = (&previous, fingerprint) {
        if state.inputs == fingerprint
            && state.site_intact(&options.output)
            && state.racy_unchanged()
        {
            return Ok(from_state(state));
        }
    }
    let ingest = IngestOptions {
        names_from_folder: true,
        // The published site may lie inside the input; its JSON downloads are not submissions.
        exclude: vec![options.output.clone()],
        ..options.ingest.clone()
    };
    let previous_started = previous.as_ref().map_or(0, |s| s.started);
    let (records, manifest) = match previous {
        Some(state) if state.tool == tool => {
            let mut records: BTreeMap<String, Vec<Record>> = BTreeMap::new();
            for r in state.records {
                records.entry(r.display.clone()).or_default().push(r);
            }
            let manifest = state
                .manifest
                .filter(|_| state.site == site_key && options.output.is_dir());
            (Some(records), manifest)
        }
        _ => (None, None),
    };
    let aliases = config.aliases();
    let load = LoadOptions {
        aliases: &aliases,
        keep_up_to: options.keep_declarations,
        previous: records.as_ref(),
        previous_started,
        records: cache.is_some(),
    };
    let (batch, records) =
        crate::load::load_records(std::slice::from_ref(&options.input), &ingest, &load)?;
    let files_read = batch.files_read;
    // An input root that vanished mid-run reads as many unreadable files: not a result.
    if let Err(source) = std::fs::read_dir(&options.input) {
        return Err(Refusal::InputGone {
            path: options.input.clone(),
            source,
        }
        .into());
    }
    let model = analyze::analyze(&batch, &options.input, &config);
    if !options.allow_shrink {
        refuse_shrinking(options, &batch, &model)?;
    }
    let refused = options.strict && batch.exit_code(true) != 0;
    let mut outcome = BuildOutcome {
        districts: model.districts.len(),
        departments: model.districts.iter().map(|d| d.departments.len()).sum(),
        published_forms: model
            .districts
            .iter()
            .flat_map(|d| &d.departments)
            .map(|d| d.forms.len())
            .sum(),
        unpublished_files: model.unpublished.len(),
        written: None,
        unchanged: false,
        files_read,
        departments_rendered: 0,
        batch: Batch {
            files: Vec::new(),
            diagnostics: Vec::new(),
            files_read: 0,
        },
    };
    let published = if refused {
        // The site stays as the last build left it, and so does its manifest.
        manifest
    } else {
        let publisher = Publisher {
            config: &config,
            renderer: &renderer,
            options,
            ingest: &ingest,
            site_key,
        };
        let (stats, manifest, rendered) = publisher.publish(&batch, &model, manifest)?;
        outcome.written = Some(stats);
        outcome.departments_rendered = rendered;
        Some(manifest)
    };
    drop(model);
    if let (Some(cache), Some(inputs)) = (&cache, fingerprint) {
        cache.save(&cache::State {
            inputs,
            started,
            racy: racy_inputs(&batch, started),
            tool,
            site: site_key,
            records,
            manifest: published,
            districts: outcome.districts,
            departments: outcome.departments,
            published_forms: outcome.published_forms,
            unpublished_files: outcome.unpublished_files,
            diagnostics: batch.diagnostics.clone(),
        });
    }
    Ok(BuildOutcome { batch, ..outcome })
}

/// The input files whose metadata cannot be trusted against a build that started at
/// `started`, with the digest of the bytes the build read.
fn racy_inputs(batch: &Batch, started: u64) -> Vec<(PathBuf, u64)> {
    batch
        .files
        .iter()
        .filter(|f| {
            std::fs::metadata(&f.file.path).map_or(true, |m| crate::files::is_racy(&m, started))
        })
        .map(|f| (f.file.path.clone(), f.digest))
        .collect()
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
        },
    }
}

/// Refuses a run with no declaration, or one that would drop more than half of the
/// departments the published site has (its `data/district.json` says how many).
fn refuse_shrinking(
    options: &BuildOptions,
    batch: &Batch,
    model: &SiteModel<'_>,
) -> Result<(), Refusal> {
    if batch.declarations() == 0 {
        return Err(Refusal::NoDeclaration(options.input.clone()));
    }
    #[derive(serde::Deserialize)]
    struct Published {
        departments: Vec<serde::de::IgnoredAny>,
    }
    let before = std::fs::read(options.output.join("data/district.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Published>(&bytes).ok())
        .map_or(0, |p| p.departments.len());
    let after: usize = model.districts.iter().map(|d| d.departments.len()).sum();
    if after * 2 < before {
        return Err(Refusal::Shrink { before, after });
    }
    Ok(())
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

/// What publishing reads besides the model.
struct Publisher<'a> {
    config: &'a SiteConfig,
    renderer: &'a Renderer,
    options: &'a BuildOptions,
    ingest: &'a IngestOptions,
    site_key: u64,
}

impl Publisher<'_> {
    /// Renders and writes the site: whole, or as an update of the site `previous` describes.
    /// Returns what was written, the new manifest and how many department pages were rendered.
    fn publish(
        &self,
        batch: &Batch,
        model: &SiteModel<'_>,
        previous: Option<Manifest>,
    ) -> Result<(WriteStats, Manifest, usize), BuildError> {
        let figures: Vec<DistrictFigures> =
            model.districts.par_iter().map(stats::district).collect();
        let data = model
            .districts
            .iter()
            .zip(&figures)
            .map(|(d, f)| dataset::district(d, f))
            .collect();
        let site = Site {
            batch,
            model,
            figures,
            data,
            config: self.config,
            renderer: self.renderer,
            ingest: self.ingest,
            site_key: self.site_key,
            rendered: std::sync::atomic::AtomicUsize::new(0),
            district_wide: std::sync::Mutex::new(()),
        };
        let renderer = self.renderer;
        let mut jobs: Vec<Job<'_>> = vec![Job::Home, Job::Report, Job::SiteData, Job::SearchPage];
        jobs.extend((0..model.districts.len()).map(Job::SearchIndex));
        jobs.extend(renderer.content.keys().map(|k| Job::Content(k.as_str())));
        jobs.extend(renderer.assets.keys().map(|k| Job::Asset(k.as_str())));
        for (di, d) in model.districts.iter().enumerate() {
            jobs.push(Job::District(di));
            jobs.push(Job::Dashboard(di));
            jobs.extend(d.years.iter().map(|&y| Job::Year(di, y)));
            jobs.extend((0..d.departments.len()).map(|pi| Job::Department(di, pi)));
        }
        let progress = if self.options.progress {
            indicatif::ProgressBar::new(jobs.len() as u64).with_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} 生成网站 [{bar:30}] {pos}/{len} {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            )
        } else {
            indicatif::ProgressBar::hidden()
        };
        let out = match previous {
            Some(manifest) => Writer::update(&self.options.output, manifest)?,
            None => Writer::whole(&self.options.output)?,
        };
        jobs.par_iter().try_for_each(|job| {
            let result = run_job(job, &site, &out);
            progress.inc(1);
            result
        })?;
        progress.finish_and_clear();
        let (stats, manifest) = out.commit()?;
        Ok((stats, manifest, site.rendered.into_inner()))
    }
}

#[derive(Serialize)]
struct ContentView {
    meta: views::PageMeta,
    body: String,
    catalog: Vec<views::RuleCount>,
    taxonomy: Vec<views::TaxonomyRow>,
}

/// Renders a page unless the published one was made from the same view (and the same
/// templates, config and tool): hashing a view costs a fraction of rendering it.
fn page<T: Serialize>(
    site: &Site<'_, '_>,
    out: &Writer,
    template: &str,
    path: &str,
    view: &T,
) -> Result<(), BuildError> {
    let mut h = Fnv::new();
    h.write_u64(site.site_key);
    h.text(template);
    h.value(view);
    let key = h.finish();
    if out.keep(path, key) {
        return Ok(());
    }
    page_keyed(site, out, template, path, view, key)
}

fn page_keyed<T: Serialize>(
    site: &Site<'_, '_>,
    out: &Writer,
    template: &str,
    path: &str,
    view: &T,
    key: u64,
) -> Result<(), BuildError> {
    let _one_at_a_time = (template != "department.html").then(|| site.district_wide.lock());
    let html = site.renderer.render(template, path, view)?;
    out.write(path, key, html.as_bytes())?;
    Ok(())
}

/// A table as CSV and XLSX; the XLSX (compressed, the costly one) only when the table changed.
fn tables(
    site: &Site<'_, '_>,
    out: &Writer,
    table: &Table,
    csv: &str,
    xlsx: &str,
) -> Result<(), BuildError> {
    let mut h = Fnv::new();
    h.write_u64(site.site_key);
    table.hash(&mut h);
    let key = h.finish();
    out.write(csv, key, &table.to_csv())?;
    if !out.keep(xlsx, key) {
        let bytes = {
            let _one_at_a_time = site.district_wide.lock();
            table.to_xlsx()?
        };
        out.write(xlsx, key, &bytes)?;
    }
    Ok(())
}

/// What a department's page and downloads are made from: its district's identity, its own,
/// and each form's bytes (by hash) and findings — plus the templates, config and tool.
fn department_key(site_key: u64, d: &District<'_>, dep: &Department<'_>) -> u64 {
    let mut h = Fnv::new();
    h.write_u64(site_key);
    for s in [&d.folder, &d.name, &d.slug, &dep.key, &dep.name, &dep.slug] {
        h.text(s);
    }
    h.write_u8(u8::from(d.sample_data));
    for f in &dep.forms {
        h.text(f.file);
        h.write_i32(f.year);
        h.write_u64(f.source.digest);
        h.write_usize(f.notes.len());
        for n in &f.notes {
            h.value(n);
        }
    }
    h.finish()
}

/// A department's declarations, in `dep.forms` order: those the run kept, the others read
/// again (and checked to be the bytes the run validated).
fn declarations<'a>(
    dep: &Department<'a>,
    ingest: &IngestOptions,
) -> Result<Vec<Cow<'a, Declaration>>, BuildError> {
    dep.forms
        .iter()
        .map(|f| match &f.source.declaration {
            Some(loaded) => Ok(Cow::Borrowed(&loaded.declaration)),
            None => {
                let again = ingest::read_one(&f.source.file, ingest)
                    .into_iter()
                    .find(|o| o.sheet == f.source.sheet);
                match again {
                    Some(ingest::FileOutcome {
                        declaration: Some(loaded),
                        digest,
                        ..
                    }) if digest == f.source.digest => Ok(Cow::Owned(loaded.declaration)),
                    _ => Err(BuildError::Changed(f.source.file.display.clone())),
                }
            }
        })
        .collect()
}

fn run_job(job: &Job<'_>, site: &Site<'_, '_>, out: &Writer) -> Result<(), BuildError> {
    let (model, config) = (site.model, site.config);
    match *job {
        Job::Home => {
            let mut view = views::home(model, config);
            if let ([only], [figures]) = (model.districts.as_slice(), site.figures.as_slice()) {
                let mut single = views::district(only, figures, config, "index.html");
                single.meta = view.meta.clone();
                view.meta.sample_data = only.sample_data;
                view.single = Some(single);
            }
            page(site, out, "home.html", "index.html", &view)?;
        }
        Job::Report => {
            let view = views::report(site.batch, model, config);
            page(site, out, "report.html", "report.html", &view)?;
        }
        Job::SiteData => {
            let all = dataset::site(model, &site.data, &config.title);
            out.write("data/district.json", 0, dataset::to_json(&all).as_bytes())?;
        }
        Job::Content(name) => {
            let stem = name.trim_end_matches(".md");
            let path = format!("{stem}.html");
            let (title, body) = render::markdown(&site.renderer.content[name]);
            let title = title.unwrap_or_else(|| stem.to_owned());
            let is_method = stem == "about";
            let view = ContentView {
                meta: views::PageMeta::new(config, &title, &path, "content"),
                body,
                catalog: if is_method {
                    views::rule_catalog()
                } else {
                    Vec::new()
                },
                taxonomy: if is_method {
                    views::taxonomy_rows()
                } else {
                    Vec::new()
                },
            };
            page(site, out, "content.html", &path, &view)?;
        }
        Job::Asset(name) => out.write(&format!("assets/{name}"), 0, &site.renderer.assets[name])?,
        Job::District(di) => {
            let (d, figures) = (&model.districts[di], &site.figures[di]);
            let path = views::district_index(d);
            let view = views::district(d, figures, config, &path);
            let page_view = views::DistrictPage {
                meta: view.meta.clone(),
                d: view,
            };
            page(site, out, "district.html", &path, &page_view)?;
            if let Some(year) = d.latest_year() {
                let table = dataset::year_table(d, figures, year);
                tables(
                    site,
                    out,
                    &table,
                    &views::district_table(d, "csv"),
                    &views::district_table(d, "xlsx"),
                )?;
            }
            out.write(
                &views::district_json(d),
                0,
                dataset::to_json(&site.data[di]).as_bytes(),
            )?;
        }
        Job::Dashboard(di) => {
            let (d, figures) = (&model.districts[di], &site.figures[di]);
            let view = views::dashboard(d, figures, config);
            page(
                site,
                out,
                "dashboard.html",
                &views::dashboard_page(d),
                &view,
            )?;
        }
        Job::Year(di, year) => {
            let (d, figures) = (&model.districts[di], &site.figures[di]);
            let view = views::year(d, figures, config, year);
            page(site, out, "year.html", &views::year_page(d, year), &view)?;
            let table = dataset::year_table(d, figures, year);
            tables(
                site,
                out,
                &table,
                &views::year_table(d, year, "csv"),
                &views::year_table(d, year, "xlsx"),
            )?;
        }
        Job::Department(di, pi) => {
            let d = &model.districts[di];
            let dep = &d.departments[pi];
            let key = department_key(site.site_key, d, dep);
            let path = views::department_page(d, dep);
            let json: Vec<String> = dep
                .forms
                .iter()
                .map(|f| views::declaration_json(d, dep, f.year))
                .collect();
            // `keep` for every file, not `all`: each kept file must be recorded.
            let kept = std::iter::once(&path)
                .chain(&json)
                .map(|p| out.keep(p, key))
                .fold(true, |all, k| all & k);
            if kept {
                return Ok(());
            }
            site.rendered
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let declarations = declarations(dep, site.ingest)?;
            let refs: Vec<&Declaration> = declarations.iter().map(AsRef::as_ref).collect();
            let view = views::department(d, dep, &site.figures[di].departments[pi], config, &refs);
            page_keyed(site, out, "department.html", &path, &view, key)?;
            for (decl, json) in declarations.into_iter().zip(&json) {
                let mut decl = decl.into_owned();
                if !config.publish_contacts {
                    decl.filled_by = None;
                    decl.phone = None;
                }
                out.write(json, key, decl.to_canonical_json().as_bytes())?;
            }
        }
        Job::SearchPage => {
            let view = crate::output::search::view(&model.districts, config);
            page(site, out, "search.html", crate::output::search::PAGE, &view)?;
        }
        Job::SearchIndex(di) => {
            let d = &model.districts[di];
            let path = crate::output::search::index_path(d);
            let mut h = Fnv::new();
            h.write_u64(site.site_key);
            h.value(&crate::output::search::index_input(d));
            let key = h.finish();
            // Segmenting a district's text costs; an unchanged text keeps its index.
            if !out.keep(&path, key) {
                let index = crate::output::search::district_index(d);
                out.write(&path, key, index.as_bytes())?;
            }
        }
    }
    Ok(())
}
