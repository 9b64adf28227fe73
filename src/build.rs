//! `build`: the whole pipeline from submissions to a published site — config, templates,
//! ingest and validation (`batch`), `analyze`, view structs, rendering in parallel, and the
//! atomic swap of the output folder. Nothing is published by a failed or refused build.

use crate::analyze::{self, SiteModel};
use crate::batch::{self, Batch};
use crate::config::{ConfigError, SiteConfig};
use crate::ingest::{IngestError, IngestOptions};
use crate::render::{self, RenderError, Renderer};
use crate::site::{Staging, WriteError, WriteStats};
use crate::tables::{Cell, Table, TableError};
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
}

impl BuildOutcome {
    pub fn exit_code(&self, strict: bool) -> i32 {
        self.batch.exit_code(strict)
    }
}

/// One file of the site to produce.
enum Job<'m> {
    Home,
    Report,
    Content(&'m str),
    Asset(&'m str),
    District(usize),
    Tables(usize),
    Department(usize, usize),
    Declaration(usize, usize, usize),
}

pub fn build(options: &BuildOptions) -> Result<BuildOutcome, BuildError> {
    let config = SiteConfig::load(&options.config, options.config_required)?;
    // Templates first: a broken template fails the build before anything is read or written.
    let renderer = Renderer::load(&options.templates)?;
    check_output(options)?;
    let batch = batch::load_with(
        std::slice::from_ref(&options.input),
        &options.ingest,
        &config.aliases(),
    )?;
    let model = analyze::analyze(&batch, &options.input, &config);
    let refused = options.strict && batch.exit_code(true) != 0;
    let written = if refused {
        None
    } else {
        Some(publish(&batch, &model, &config, &renderer, options)?)
    };
    Ok(BuildOutcome {
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
        batch,
    })
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
    let mut jobs: Vec<Job<'_>> = vec![Job::Home, Job::Report];
    jobs.extend(renderer.content.keys().map(|k| Job::Content(k.as_str())));
    jobs.extend(renderer.assets.keys().map(|k| Job::Asset(k.as_str())));
    for (di, d) in model.districts.iter().enumerate() {
        jobs.push(Job::District(di));
        jobs.push(Job::Tables(di));
        for (pi, dep) in d.departments.iter().enumerate() {
            jobs.push(Job::Department(di, pi));
            for fi in 0..dep.forms.len() {
                jobs.push(Job::Declaration(di, pi, fi));
            }
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
        let result = run_job(job, batch, model, config, renderer, &staging);
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

fn run_job(
    job: &Job<'_>,
    batch: &Batch,
    model: &SiteModel<'_>,
    config: &SiteConfig,
    renderer: &Renderer,
    out: &Staging,
) -> Result<(), BuildError> {
    match *job {
        Job::Home => {
            let mut view = views::home(model, config);
            if let [only] = model.districts.as_slice() {
                let mut single = views::district(only, config, "index.html");
                single.meta = view.meta.clone();
                view.meta.sample_data = only.sample_data;
                view.single = Some(single);
            }
            let html = renderer.render("home.html", "index.html", &view)?;
            out.write("index.html", html.as_bytes())?;
        }
        Job::Report => {
            let view = views::report(batch, model, config);
            let html = renderer.render("report.html", "report.html", &view)?;
            out.write("report.html", html.as_bytes())?;
        }
        Job::Content(name) => {
            let stem = name.trim_end_matches(".md");
            let page = format!("{stem}.html");
            let (title, body) = render::markdown(&renderer.content[name]);
            let title = title.unwrap_or_else(|| stem.to_owned());
            let is_method = stem == "about";
            let view = ContentView {
                meta: views::PageMeta::new(config, &title, &page, "content"),
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
            let html = renderer.render("content.html", &page, &view)?;
            out.write(&page, html.as_bytes())?;
        }
        Job::Asset(name) => out.write(&format!("assets/{name}"), &renderer.assets[name])?,
        Job::District(di) => {
            let d = &model.districts[di];
            let page = views::district_index(d);
            let view = views::district(d, config, &page);
            let page_view = views::DistrictPage {
                meta: view.meta.clone(),
                d: view,
            };
            let html = renderer.render("district.html", &page, &page_view)?;
            out.write(&page, html.as_bytes())?;
        }
        Job::Tables(di) => {
            let d = &model.districts[di];
            let table = district_table(d);
            out.write(&views::district_table(d, "csv"), &table.to_csv())?;
            out.write(&views::district_table(d, "xlsx"), &table.to_xlsx()?)?;
        }
        Job::Department(di, pi) => {
            let d = &model.districts[di];
            let dep = &d.departments[pi];
            let page = views::department_page(d, dep);
            let view = views::department(d, dep, config);
            let html = renderer.render("department.html", &page, &view)?;
            out.write(&page, html.as_bytes())?;
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

/// The district table as a download: one row per department, figures of the latest year.
pub fn district_table(d: &analyze::District<'_>) -> Table {
    let year = d.latest_year();
    let rows = d
        .departments
        .iter()
        .map(|dep| {
            let f = views::row_figures(dep, year);
            let form = f.year.and_then(|y| dep.form_of(y));
            let a = form.map(|f| analyze::Amounts::budget_of(f.declaration));
            vec![
                Cell::Text(dep.name.clone()),
                Cell::Integer(f.year.map_or(0, i64::from)),
                Cell::Amount(a.map(|a| a.income_total)),
                Cell::Amount(a.map(|a| a.fiscal_appropriation)),
                Cell::Amount(a.map(|a| a.other)),
                Cell::Amount(a.map(|a| a.expenditure_total)),
                Cell::Amount(a.map(|a| a.basic)),
                Cell::Amount(a.map(|a| a.project)),
                Cell::Percent(f.basic_share.map(|v| crate::format::round(v, 2))),
                Cell::Percent(f.project_share.map(|v| crate::format::round(v, 2))),
                Cell::Integer(f.indicators as i64),
                Cell::Integer(f.warnings as i64),
            ]
        })
        .collect();
    Table {
        name: format!(
            "{}部门预算",
            year.map(|y| format!("{y}年")).unwrap_or_default()
        ),
        headers: [
            "部门",
            "预算年度",
            "收入合计（万元）",
            "财政拨款（万元）",
            "其他资金（万元）",
            "支出合计（万元）",
            "基本支出（万元）",
            "项目支出（万元）",
            "基本支出占比（%）",
            "项目支出占比（%）",
            "绩效指标数",
            "提示数",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        rows,
    }
}
