//! The publishing step of a build: the site as a list of typed jobs (a page with its
//! downloads each), run in parallel through one `Writer`. A job whose inputs are unchanged
//! (its key, see `Inputs::page`) keeps the published file instead of rendering it again.

use super::BuildError;
use crate::analyze::stats::{self, DepartmentFigures, DistrictFigures};
use crate::analyze::{Department, District, SiteModel};
use crate::config::SiteConfig;
use crate::hash::Fnv;
use crate::ingest::IngestOptions;
use crate::load::{Batch, Kept};
use crate::model::Declaration;
use crate::output::datapackage;
use crate::output::dataset::{self, DistrictData};
use crate::output::feed;
use crate::output::render::{self, Renderer};
use crate::output::search;
use crate::output::tables::Table;
use crate::output::views;
use crate::publish::writer::{Manifest, Survey, WriteStats, Writer};
use rayon::prelude::*;
use serde::Serialize;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The content page (`site-templates/content/about.md`) that explains the method: it alone
/// gets the rule catalog and the taxonomy tables.
const METHOD_PAGE: &str = "about";

/// A district with what was computed for it once, shared by its jobs.
#[derive(Clone, Copy)]
struct DistrictJobs<'m, 'a> {
    district: &'m District<'a>,
    figures: &'m DistrictFigures,
    data: &'m DistrictData,
    /// Each department's `department_key`, in the district's order.
    keys: &'m [u64],
}

/// One page (with its downloads) of the site to produce.
enum Job<'m, 'a> {
    Home,
    Report,
    SiteData,
    Content(&'m str),
    Asset(&'m str),
    District(DistrictJobs<'m, 'a>),
    Dashboard(DistrictJobs<'m, 'a>),
    /// A year page with its table; for the latest year also the district's table download.
    Year(DistrictJobs<'m, 'a>, i32),
    /// A department's page and its forms' JSON downloads.
    Department {
        at: DistrictJobs<'m, 'a>,
        department: &'m Department<'a>,
        figures: &'m DepartmentFigures,
        key: u64,
    },
    /// The search page, and a district's search index (`search`).
    SearchPage,
    SearchIndex(&'m District<'a>),
}

/// How much of the district a page holds: a page with a row per department of the district is
/// rendered one at a time (`Inputs::district_wide`), keeping the peak memory down while the
/// other threads render department pages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    DistrictWide,
    OneDepartment,
}

/// Everything the jobs of one build read.
pub struct Inputs<'m, 'a> {
    pub batch: &'a Batch,
    pub model: &'m SiteModel<'a>,
    pub config: &'m SiteConfig,
    pub renderer: &'m Renderer,
    pub ingest: &'m IngestOptions,
    /// The declarations the run kept, each taken by its department's page.
    pub kept: &'m Kept,
    /// `cache::site_key`: part of every page's key.
    pub site_key: u64,
    /// Where the published `data/district.json` holds each department's object, when it is
    /// still as the last build wrote it (`dataset::Reuse`).
    pub pieces: Option<&'m dataset::Pieces>,
}

/// What the jobs share while they run.
struct Shared<'i, 'm, 'a> {
    inputs: &'i Inputs<'m, 'a>,
    /// The changes recorded so far, this build's included (`feed`).
    changes: &'i feed::State,
    out: &'i Writer,
    rendered: AtomicUsize,
    district_wide: Mutex<()>,
    /// Held while a page listing every department of a district larger than
    /// `LARGE_DISTRICT` is made (its view, not only its rendering), to bound the memory of
    /// two such views at once.
    listing_large: Mutex<()>,
    /// The words of the texts the districts' indexes have segmented, shared between them
    /// (texts repeat across districts); none with one district.
    words: Option<search::TextWords<'m>>,
}

/// A district with more departments than this has its listing pages made one at a time.
/// Two 20,000-row views at once were ~30 MB of a one-form rebuild's peak at 20,000
/// departments when each cell was a `String` (the limit was 5,000); with the cells inline
/// (`CompactString`) they are 16 MB of it (347–353 → 363–369 MB), and made two at a time
/// they take 13 % off that rebuild (1.09–1.12 → 0.91–0.99 s). Past this size the pages wait
/// for each other again.
const LARGE_DISTRICT: usize = 50_000;

/// What publishing wrote: the writer's figures, the new manifest, how many department pages
/// were rendered (the others were kept).
pub struct Publication {
    pub stats: WriteStats,
    pub manifest: Manifest,
    pub departments_rendered: usize,
    /// Where the new `data/district.json` holds each department's object.
    pub pieces: dataset::Pieces,
}

/// Renders and writes the site: whole, or as an update of the site `previous` describes.
pub fn publish(
    inputs: &Inputs<'_, '_>,
    output: &std::path::Path,
    previous: Option<(Manifest, Survey)>,
    progress: bool,
) -> Result<Publication, BuildError> {
    let model = inputs.model;
    // Three things at once, none reading what another makes: the feed's changes, the figures
    // with the district's JSON pieces, and the writer (an update compares the published files
    // with the last manifest). In a rebuild after a small change they were a quarter of it.
    let ((changes, computed), out) = rayon::join(
        || {
            rayon::join(
                // What the published site says changed so far, read before anything is written.
                || {
                    feed::next(
                        feed::read_previous(output).as_ref(),
                        model,
                        feed::source_date_epoch(),
                    )
                },
                || {
                    let figures: Vec<DistrictFigures> =
                        model.districts.par_iter().map(stats::district).collect();
                    let keys: Vec<Vec<u64>> = model
                        .districts
                        .iter()
                        .map(|d| {
                            d.departments
                                .par_iter()
                                .map(|dep| department_key(inputs.site_key, d, dep))
                                .collect()
                        })
                        .collect();
                    // A department's object is made from what its page is: left in the
                    // published file while that key is unchanged (and copied from there only
                    // if a file that holds it has to be written).
                    let reuse = inputs
                        .pieces
                        .and_then(|p| dataset::Reuse::open(&output.join(dataset::SITE_PATH), p));
                    let data = dataset::districts(&model.districts, &figures, &keys, reuse);
                    (figures, keys, data)
                },
            )
        },
        || match previous {
            Some((manifest, survey)) => Writer::update_surveyed(output, manifest, survey),
            None => Writer::whole(output),
        },
    );
    let (figures, keys, data) = computed;
    let (data, mut pieces): (Vec<DistrictData>, _) = data.map_err(|source| BuildError::Spill {
        dir: std::env::temp_dir(),
        source,
    })?;
    pieces.list_start = dataset::site_list_start(model, &inputs.config.title);
    let out = out?;
    let districts: Vec<DistrictJobs<'_, '_>> = model
        .districts
        .iter()
        .zip(&figures)
        .zip(&data)
        .zip(&keys)
        .map(|(((district, figures), data), keys)| DistrictJobs {
            district,
            figures,
            data,
            keys,
        })
        .collect();
    let jobs = jobs(inputs.renderer, &districts);
    let bar = progress_bar(progress, jobs.len());
    let shared = Shared {
        inputs,
        changes: &changes,
        out: &out,
        rendered: AtomicUsize::new(0),
        district_wide: Mutex::new(()),
        listing_large: Mutex::new(()),
        words: (districts.len() > 1).then(search::TextWords::default),
    };
    // Each job stealable on its own: the district-wide jobs stand first in the list, and in
    // halves a rebuild's few pages to make (its department pages kept) ran one after another
    // on the thread that took the first half.
    jobs.par_iter().with_max_len(1).try_for_each(|job| {
        let result = shared.run(job, &districts, &data);
        bar.inc(1);
        result
    })?;
    bar.finish_and_clear();
    let departments_rendered = shared.rendered.into_inner();
    let (stats, manifest) = out.commit()?;
    Ok(Publication {
        stats,
        manifest,
        departments_rendered,
        pieces,
    })
}

fn jobs<'m, 'a>(renderer: &'m Renderer, districts: &[DistrictJobs<'m, 'a>]) -> Vec<Job<'m, 'a>> {
    let mut jobs = vec![Job::Home, Job::Report, Job::SiteData, Job::SearchPage];
    // The search indexes early: a district's index is the longest job (at 2,000 departments
    // it ended the build alone when it came last). They came last while they loaded jieba's
    // dictionary, to keep it from being held beside the declarations the department pages had
    // not yet let go; nothing is loaded now (`output::search::words`).
    jobs.extend(districts.iter().map(|d| Job::SearchIndex(d.district)));
    jobs.extend(renderer.content.keys().map(|k| Job::Content(k.as_str())));
    jobs.extend(renderer.assets.keys().map(|k| Job::Asset(k.as_str())));
    for &at in districts {
        jobs.push(Job::District(at));
        jobs.push(Job::Dashboard(at));
        jobs.extend(at.district.years.iter().map(|&y| Job::Year(at, y)));
        jobs.extend(
            at.district
                .departments
                .iter()
                .zip(&at.figures.departments)
                .zip(at.keys)
                .map(|((department, figures), &key)| Job::Department {
                    at,
                    department,
                    figures,
                    key,
                }),
        );
    }
    jobs
}

fn progress_bar(show: bool, len: usize) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    indicatif::ProgressBar::new(len as u64).with_style(
        indicatif::ProgressStyle::with_template("{spinner} 生成网站 [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    )
}

#[derive(Hash, Serialize)]
struct ContentView {
    meta: views::PageMeta,
    body: String,
    catalog: Vec<views::RuleCount>,
    taxonomy: Vec<views::TaxonomyRow>,
}

impl<'m, 'a> Shared<'_, 'm, 'a> {
    fn run(
        &self,
        job: &Job<'m, 'a>,
        districts: &[DistrictJobs<'_, '_>],
        data: &[DistrictData],
    ) -> Result<(), BuildError> {
        let large = |d: &District<'_>| d.departments.len() > LARGE_DISTRICT;
        let lists_a_large_district = match *job {
            // A site of one district lists its departments on the home page too.
            Job::Home => matches!(districts, [only] if large(only.district)),
            Job::District(at) | Job::Year(at, _) => large(at.district),
            _ => false,
        };
        let _one_at_a_time = lists_a_large_district.then(|| self.listing_large.lock());
        match *job {
            Job::Home => self.home(districts),
            Job::Report => {
                let (model, config) = (self.inputs.model, self.inputs.config);
                for view in views::report(self.inputs.batch, model, config) {
                    self.page(Scope::DistrictWide, "report.html", &view.meta.path, &view)?;
                }
                Ok(())
            }
            Job::SiteData => {
                let (model, title) = (self.inputs.model, &self.inputs.config.title);
                let key = self.keyed(dataset::site_file_key(model, data, title));
                if !self.out.keep(dataset::SITE_PATH, key) {
                    self.out.write_with(dataset::SITE_PATH, key, |w| {
                        dataset::write_site(model, data, title, w)
                    })?;
                }
                let listed: Vec<&District<'_>> = districts.iter().map(|d| d.district).collect();
                let key = datapackage::key(listed.iter().copied(), title);
                self.package(datapackage::SITE_PATH, key, || {
                    datapackage::site(&listed, title)
                })?;
                // The state changes with every form that does: made once, not first into a
                // digest to find it unchanged.
                let key = self.keyed(feed::key(self.changes));
                if !self.out.keep(feed::STATE_PATH, key) {
                    self.out.replace_with(feed::STATE_PATH, key, |w| {
                        feed::write_state(self.changes, w)
                    })?;
                }
                let atom = feed::site_feed(self.changes, &self.inputs.config.title);
                Ok(self.out.write(feed::SITE_FEED, 0, atom.as_bytes())?)
            }
            Job::Content(name) => self.content(name),
            Job::Asset(name) => Ok(self.out.write(
                &format!("assets/{name}"),
                0,
                &self.inputs.renderer.assets[name],
            )?),
            Job::District(at) => self.district(at),
            Job::Dashboard(at) => {
                let view = views::dashboard(at.district, at.figures, self.inputs.config);
                let path = views::dashboard_page(at.district);
                self.page(Scope::DistrictWide, "dashboard.html", &path, &view)
            }
            Job::Year(at, year) => self.year(at, year),
            Job::Department {
                at,
                department,
                figures,
                key,
            } => self.department(at, department, figures, key),
            Job::SearchPage => {
                let districts = &self.inputs.model.districts;
                let mut h = Fnv::new();
                h.write_u64(self.inputs.site_key);
                h.text("search.html");
                search::page_input(districts).hash(&mut h);
                let key = h.finish();
                if self.out.keep(search::PAGE, key) {
                    return Ok(());
                }
                let view = search::view(districts, self.inputs.config);
                self.render(Scope::DistrictWide, "search.html", search::PAGE, &view, key)
            }
            Job::SearchIndex(d) => self.search_index(d),
        }
    }

    fn home(&self, districts: &[DistrictJobs<'_, '_>]) -> Result<(), BuildError> {
        let (model, config) = (self.inputs.model, self.inputs.config);
        let mut view = views::home(model, config);
        if let [only] = districts {
            let d = only.district;
            // The first page of the district's table; the pager leads to the district's own.
            let first = views::district_index(d);
            let mut single =
                views::district_first_page(d, only.figures, config, "index.html", &first);
            single.meta = view.meta.clone();
            view.meta.sample_data = only.district.sample_data;
            view.single = Some(single);
        }
        self.page(Scope::DistrictWide, "home.html", "index.html", &view)
    }

    fn content(&self, name: &str) -> Result<(), BuildError> {
        let config = self.inputs.config;
        let stem = name.trim_end_matches(".md");
        let path = format!("{stem}.html");
        let (title, body) = render::markdown(&self.inputs.renderer.content[name]);
        let title = title.unwrap_or_else(|| stem.to_owned());
        let method = stem == METHOD_PAGE;
        let view = ContentView {
            meta: views::PageMeta::new(config, &title, &path, "content"),
            body,
            catalog: if method {
                views::rule_catalog()
            } else {
                Vec::new()
            },
            taxonomy: if method {
                views::taxonomy_rows()
            } else {
                Vec::new()
            },
        };
        self.page(Scope::DistrictWide, "content.html", &path, &view)
    }

    fn district(&self, at: DistrictJobs<'_, '_>) -> Result<(), BuildError> {
        let d = at.district;
        let path = views::district_index(d);
        let plan = views::DistrictPlan::new(d, at.figures, self.inputs.config, &path);
        let page_view = |view: views::DistrictView| views::DistrictPage {
            meta: view.meta.clone(),
            d: view,
        };
        self.listing(
            "district.html",
            plan.table(),
            at.keys,
            |page| {
                let view = page_view(plan.skeleton(page));
                (view.meta.path.clone(), view)
            },
            |page| page_view(plan.page(page)),
        )?;
        let (json, key) = (views::district_json(d), self.keyed(at.data.key()));
        if !self.out.keep(&json, key) {
            self.out
                .write_with(&json, key, |w| dataset::write_json(at.data, w))?;
        }
        let key = datapackage::key([d], "");
        self.package(&datapackage::district_path(d), key, || {
            datapackage::district(d)
        })?;
        let atom = feed::district_feed_xml(self.changes, d, &self.inputs.config.title);
        Ok(self
            .out
            .write(&feed::district_feed(d), 0, atom.as_bytes())?)
    }

    fn year(&self, at: DistrictJobs<'_, '_>, year: i32) -> Result<(), BuildError> {
        let d = at.district;
        let plan = views::YearPlan::new(d, at.figures, self.inputs.config, year);
        self.listing(
            "year.html",
            plan.table(),
            at.keys,
            |page| {
                let view = plan.skeleton(page);
                (view.meta.path.clone(), view)
            },
            |page| plan.page(page),
        )?;
        let table = dataset::year_table(d, at.figures, year);
        let key = self.table_key(&table);
        let csv = views::year_table(d, year, "csv");
        self.tables(&table, key, &csv, &views::year_table(d, year, "xlsx"))?;
        if let Some(table) = crate::output::evaluations::table(d, year) {
            let csv = crate::output::evaluations::table_path(d, year, "csv");
            let xlsx = crate::output::evaluations::table_path(d, year, "xlsx");
            self.tables(&table, self.table_key(&table), &csv, &xlsx)?;
        }
        if let Some(table) = crate::output::evaluations::changes_table(d, year) {
            let csv = crate::output::evaluations::changes_path(d, year, "csv");
            let xlsx = crate::output::evaluations::changes_path(d, year, "xlsx");
            self.tables(&table, self.table_key(&table), &csv, &xlsx)?;
        }
        // The district's download is its latest year's table: the same table, made and
        // hashed once.
        if d.latest_year() == Some(year) {
            let csv = views::district_table(d, "csv");
            self.tables(&table, key, &csv, &views::district_table(d, "xlsx"))?;
        }
        Ok(())
    }

    /// The pages of a listing (a year's page, a district's), each keyed by the page without
    /// its rows (`skeleton`) and what its rows are made of (`views::TablePlan::slots`: each
    /// department's key, covering its forms, findings and figures, or a withheld-only row
    /// itself), not by the rows: only a page whose key changed has its rows made (`page`).
    fn listing<V: Serialize + Hash>(
        &self,
        template: &str,
        table: &views::TablePlan<'_>,
        keys: &[u64],
        skeleton: impl Fn(usize) -> (String, V),
        page: impl Fn(usize) -> V,
    ) -> Result<(), BuildError> {
        for n in 1..=table.pages() {
            let (path, skeleton) = skeleton(n);
            let mut h = Fnv::new();
            h.write_u64(self.inputs.site_key);
            h.text(template);
            skeleton.hash(&mut h);
            for slot in table.slots(n) {
                match slot {
                    views::YearSlot::Department(i, withheld) => {
                        h.write_u8(0);
                        h.write_u64(keys[i]);
                        h.write_u8(u8::from(withheld));
                    }
                    withheld => withheld.hash(&mut h),
                }
            }
            let key = h.finish();
            if !self.out.keep(&path, key) {
                self.render(Scope::DistrictWide, template, &path, &page(n), key)?;
            }
        }
        Ok(())
    }

    fn department(
        &self,
        at: DistrictJobs<'_, '_>,
        dep: &Department<'_>,
        figures: &DepartmentFigures,
        key: u64,
    ) -> Result<(), BuildError> {
        let (d, config) = (at.district, self.inputs.config);
        let path = views::department_page(d, dep);
        let json: Vec<String> = dep
            .forms
            .iter()
            .map(|f| views::declaration_json(d, dep, f.year))
            .chain(
                dep.evaluations
                    .iter()
                    .map(|e| views::evaluation_json(d, dep, e.year)),
            )
            .collect();
        // `keep` for every file, not `all`: each kept file must be recorded.
        let kept = std::iter::once(&path)
            .chain(&json)
            .map(|p| self.out.keep(p, key))
            .fold(true, |all, k| all & k);
        if kept {
            return Ok(());
        }
        self.rendered.fetch_add(1, Ordering::Relaxed);
        let declarations = dep.declarations(self.inputs.ingest, self.inputs.kept)?;
        let refs: Vec<&Declaration> = declarations.iter().map(AsRef::as_ref).collect();
        let view = views::department(d, dep, figures, config, &refs);
        self.render(Scope::OneDepartment, "department.html", &path, &view, key)?;
        let forms = dep.forms.len();
        for (decl, json) in declarations.into_iter().zip(&json) {
            let mut decl = decl.into_owned();
            if !config.publish_contacts {
                decl.filled_by = None;
                decl.phone = None;
            }
            self.out
                .write(json, key, decl.to_canonical_json().as_bytes())?;
        }
        for (e, json) in dep.evaluations.iter().zip(&json[forms..]) {
            let mut form = e.evaluation.form.clone();
            if !config.publish_contacts {
                form.filled_by = None;
                form.phone = None;
            }
            self.out
                .write(json, key, form.to_canonical_json().as_bytes())?;
        }
        Ok(())
    }

    fn search_index(&self, d: &'m District<'a>) -> Result<(), BuildError> {
        let path = search::index_path(d);
        let mut h = Fnv::new();
        h.write_u64(self.inputs.site_key);
        search::index_input(d).hash(&mut h);
        let key = h.finish();
        // Segmenting a district's text costs; an unchanged text keeps its manifest and every
        // file of its folder (chunks, records).
        if self
            .out
            .keep_with_folder(&path, &search::index_folder(d), key)
        {
            return Ok(());
        }
        // Written as made, a block of records at a time: the index is never whole in memory.
        let put = |path: &str, bytes: &str| self.out.write(path, key, bytes.as_bytes());
        match &self.words {
            Some(memo) => search::write_district_index_with(d, memo, put)?,
            None => search::write_district_index(d, put)?,
        }
        Ok(())
    }

    /// Renders a page unless the published one was made from the same view (and the same
    /// templates, config and tool): hashing a view costs a fraction of rendering it.
    fn page<T: Serialize + Hash>(
        &self,
        scope: Scope,
        template: &str,
        path: &str,
        view: &T,
    ) -> Result<(), BuildError> {
        let mut h = Fnv::new();
        h.write_u64(self.inputs.site_key);
        h.text(template);
        view.hash(&mut h);
        let key = h.finish();
        if self.out.keep(path, key) {
            return Ok(());
        }
        self.render(scope, template, path, view, key)
    }

    fn render<T: Serialize>(
        &self,
        scope: Scope,
        template: &str,
        path: &str,
        view: &T,
        key: u64,
    ) -> Result<(), BuildError> {
        let _one_at_a_time = (scope == Scope::DistrictWide).then(|| self.district_wide.lock());
        let html = self.inputs.renderer.render(template, path, view)?;
        self.out.write(path, key, &html)?;
        Ok(())
    }

    /// A data package, unless the published one was made from the same forms' identities
    /// (`datapackage::key`, here with the templates', config's and tool's).
    fn package<'p>(
        &self,
        path: &str,
        key: u64,
        make: impl FnOnce() -> datapackage::Package<'p>,
    ) -> Result<(), BuildError> {
        let key = self.keyed(key);
        if self.out.keep(path, key) {
            return Ok(());
        }
        let package = make();
        self.out
            .write_with(path, key, |w| datapackage::write(&package, w))?;
        Ok(())
    }

    /// A file's key made with the templates', config's and tool's (`Inputs::site_key`).
    fn keyed(&self, key: u64) -> u64 {
        let mut h = Fnv::new();
        h.write_u64(self.inputs.site_key);
        h.write_u64(key);
        h.finish()
    }

    /// What a table's files are made from: its cells (and the templates, config and tool).
    fn table_key(&self, table: &Table) -> u64 {
        let mut h = Fnv::new();
        h.write_u64(self.inputs.site_key);
        table.hash(&mut h);
        h.finish()
    }

    /// A table as CSV and XLSX (`key` its `table_key`), each made only when the table changed.
    fn tables(&self, table: &Table, key: u64, csv: &str, xlsx: &str) -> Result<(), BuildError> {
        if !self.out.keep(csv, key) {
            self.out.write(csv, key, &table.to_csv())?;
        }
        if !self.out.keep(xlsx, key) {
            let bytes = {
                let _one_at_a_time = self.district_wide.lock();
                table.to_xlsx()?
            };
            self.out.write(xlsx, key, &bytes)?;
        }
        Ok(())
    }
}

/// What a department's page and downloads are made from: its district's identity, its own,
/// and each form's bytes (by hash), findings and report page — plus the templates, config and
/// tool.
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
        // Its link to its findings: another form's findings can move them to another page.
        h.text(&f.report_href);
        h.write_usize(f.notes.len());
        for n in &f.notes {
            n.hash(&mut h);
        }
    }
    for e in &dep.evaluations {
        // By its bytes, as the forms are (`EvalForm::digest`).
        h.text(e.file);
        h.text(e.sheet.unwrap_or(""));
        h.write_i32(e.year);
        h.write_u64(e.digest);
        h.text(&e.report_href);
        h.write_usize(e.notes.len());
        for n in &e.notes {
            n.hash(&mut h);
        }
    }
    h.finish()
}
