//! `build`: the whole pipeline from submissions to a published site — config, templates,
//! ingest and validation (`batch`), `analyze`, view structs, rendering in parallel, and the
//! atomic swap of the output folder. Nothing is published by a failed or refused build.

use crate::analyze::{self, SiteModel};
use crate::batch::{self, Batch};
use crate::cache::{self, Cache};
use crate::config::{ConfigError, SiteConfig};
use crate::dataset;
use crate::ingest::{IngestError, IngestOptions};
use crate::render::{self, RenderError, Renderer};
use crate::site::{Staging, WriteError, WriteStats};
use crate::stats::{self, DistrictFigures};
use crate::tables::{Table, TableError};
use crate::views;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

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
    /// The build cache folder: with it, a run whose inputs and output are unchanged since the
    /// last build answers from the cache instead of building.
    pub cache: Option<PathBuf>,
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
}

impl BuildOutcome {
    pub fn exit_code(&self, strict: bool) -> i32 {
        self.batch.exit_code(strict)
    }
}

/// One file (or a page with its downloads) of the site to produce.
enum Job<'m> {
    Home,
    Report,
    SiteData,
    Content(&'m str),
    Asset(&'m str),
    District(usize),
    Dashboard(usize),
    Year(usize, i32),
    Department(usize, usize),
    Declaration(usize, usize, usize),
}

/// Everything the jobs of one build read.
struct Site<'m, 'a> {
    batch: &'a Batch,
    model: &'m SiteModel<'a>,
    figures: Vec<DistrictFigures>,
    data: Vec<dataset::DistrictJson>,
    config: &'m SiteConfig,
    renderer: &'m Renderer,
}

pub fn build(options: &BuildOptions) -> Result<BuildOutcome, BuildError> {
    let config = SiteConfig::load(&options.config, options.config_required)?;
    // Templates first: a broken template fails the build before anything is read or written.
    let renderer = Renderer::load(&options.templates)?;
    check_output(options)?;
    let cache = options
        .cache
        .as_ref()
        .map(|dir| Cache::new(dir, &options.output));
    let fingerprint = cache.as_ref().map(|_| {
        cache::inputs_fingerprint(
            &options.input,
            &options.output,
            &options.templates,
            &options.config,
            &format!(
                "strict={} config_required={} max_file_bytes={}",
                options.strict, options.config_required, options.ingest.max_file_bytes
            ),
        )
    });
    if let (Some(cache), Some(fingerprint)) = (&cache, fingerprint) {
        if let Some(state) = cache.load().filter(|s| s.inputs == fingerprint) {
            let site_intact = match state.output {
                Some(fp) => {
                    options.output.is_dir() && cache::output_fingerprint(&options.output) == fp
                }
                None => true,
            };
            if site_intact {
                return Ok(from_state(state));
            }
        }
    }
    let ingest = IngestOptions {
        names_from_folder: true,
        // The published site may lie inside the input; its JSON downloads are not submissions.
        exclude: vec![options.output.clone()],
        ..options.ingest.clone()
    };
    let batch = batch::load_with(
        std::slice::from_ref(&options.input),
        &ingest,
        &config.aliases(),
    )?;
    let model = analyze::analyze(&batch, &options.input, &config);
    let refused = options.strict && batch.exit_code(true) != 0;
    let written = if refused {
        None
    } else {
        Some(publish(&batch, &model, &config, &renderer, options)?)
    };
    let outcome = BuildOutcome {
        districts: model.districts.len(),
        departments: model.districts.iter().map(|d| d.departments.len()).sum(),
        published_forms: model
            .districts
            .iter()
            .flat_map(|d| &d.departments)
            .map(|d| d.forms.len())
            .sum(),
        unpublished_files: model.unpublished.len(),
        written,
        unchanged: false,
        batch: Batch {
            files: Vec::new(),
            diagnostics: Vec::new(),
        },
    };
    drop(model);
    if let (Some(cache), Some(inputs)) = (&cache, fingerprint) {
        cache.save(&cache::State {
            inputs,
            output: written.map(|_| cache::output_fingerprint(&options.output)),
            districts: outcome.districts,
            departments: outcome.departments,
            published_forms: outcome.published_forms,
            unpublished_files: outcome.unpublished_files,
            files: written.map_or(0, |w| w.files),
            bytes: written.map_or(0, |w| w.bytes),
            diagnostics: batch.diagnostics.clone(),
        });
    }
    Ok(BuildOutcome { batch, ..outcome })
}

/// The outcome of an unchanged run, from the last build's state.
fn from_state(state: cache::State) -> BuildOutcome {
    BuildOutcome {
        written: state.written(),
        districts: state.districts,
        departments: state.departments,
        published_forms: state.published_forms,
        unpublished_files: state.unpublished_files,
        unchanged: true,
        batch: Batch {
            files: Vec::new(),
            diagnostics: state.diagnostics,
        },
    }
}

/// Refuses an output folder that would swallow the input or the templates when replaced.
fn check_output(options: &BuildOptions) -> Result<(), WriteError> {
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

fn publish(
    batch: &Batch,
    model: &SiteModel<'_>,
    config: &SiteConfig,
    renderer: &Renderer,
    options: &BuildOptions,
) -> Result<WriteStats, BuildError> {
    let figures: Vec<DistrictFigures> = model.districts.par_iter().map(stats::district).collect();
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
        config,
        renderer,
    };
    let mut jobs: Vec<Job<'_>> = vec![Job::Home, Job::Report, Job::SiteData];
    jobs.extend(renderer.content.keys().map(|k| Job::Content(k.as_str())));
    jobs.extend(renderer.assets.keys().map(|k| Job::Asset(k.as_str())));
    for (di, d) in model.districts.iter().enumerate() {
        jobs.push(Job::District(di));
        jobs.push(Job::Dashboard(di));
        jobs.extend(d.years.iter().map(|&y| Job::Year(di, y)));
        for (pi, dep) in d.departments.iter().enumerate() {
            jobs.push(Job::Department(di, pi));
            jobs.extend((0..dep.forms.len()).map(|fi| Job::Declaration(di, pi, fi)));
        }
    }
    let progress = if options.progress {
        indicatif::ProgressBar::new(jobs.len() as u64).with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} 生成网站 [{bar:30}] {pos}/{len} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let staging = Staging::begin(&options.output)?;
    jobs.par_iter().try_for_each(|job| {
        let result = run_job(job, &site, &staging);
        progress.inc(1);
        result
    })?;
    progress.finish_and_clear();
    Ok(staging.commit()?)
}

#[derive(Serialize)]
struct ContentView {
    meta: views::PageMeta,
    body: String,
    catalog: Vec<views::RuleCount>,
    taxonomy: Vec<views::TaxonomyRow>,
}

fn page<T: Serialize>(
    site: &Site<'_, '_>,
    out: &Staging,
    template: &str,
    path: &str,
    view: &T,
) -> Result<(), BuildError> {
    let html = site.renderer.render(template, path, view)?;
    out.write(path, html.as_bytes())?;
    Ok(())
}

fn tables(out: &Staging, table: &Table, csv: &str, xlsx: &str) -> Result<(), BuildError> {
    out.write(csv, &table.to_csv())?;
    out.write(xlsx, &table.to_xlsx()?)?;
    Ok(())
}

fn run_job(job: &Job<'_>, site: &Site<'_, '_>, out: &Staging) -> Result<(), BuildError> {
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
            out.write("data/district.json", dataset::to_json(&all).as_bytes())?;
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
        Job::Asset(name) => out.write(&format!("assets/{name}"), &site.renderer.assets[name])?,
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
                    out,
                    &table,
                    &views::district_table(d, "csv"),
                    &views::district_table(d, "xlsx"),
                )?;
            }
            out.write(
                &views::district_json(d),
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
                out,
                &table,
                &views::year_table(d, year, "csv"),
                &views::year_table(d, year, "xlsx"),
            )?;
        }
        Job::Department(di, pi) => {
            let d = &model.districts[di];
            let dep = &d.departments[pi];
            let view = views::department(d, dep, &site.figures[di].departments[pi], config);
            page(
                site,
                out,
                "department.html",
                &views::department_page(d, dep),
                &view,
            )?;
        }
        Job::Declaration(di, pi, fi) => {
            let d = &model.districts[di];
            let dep = &d.departments[pi];
            let form = &dep.forms[fi];
            let mut decl = form.declaration.clone();
            if !config.publish_contacts {
                decl.filled_by = None;
                decl.phone = None;
            }
            out.write(
                &views::declaration_json(d, dep, form.year),
                decl.to_canonical_json().as_bytes(),
            )?;
        }
    }
    Ok(())
}
