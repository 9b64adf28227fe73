//! Analyze: turns a validated `Batch` into what the site publishes — districts (first folder
//! level under the input), departments matched across years by normalised name, the forms that
//! may be published (no error), and per department the series of budget and actual figures.
//! Self-evaluations without errors join their department (`self_eval`). Everything is exact
//! `Decimal` and ordered (`BTreeMap`, sorted vectors) for deterministic output.

pub mod report;
pub mod self_eval;
pub mod stats;

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::ingest::{FileOutcome, IngestOptions};
use crate::load::{Batch, Kept};
use crate::model::amounts::{Amounts, Series, YearPoint};
use crate::model::facts::Facts;
use crate::model::Declaration;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// A form that may be published: it has a department and a year, and no error.
#[derive(Debug, Clone)]
pub struct Form<'a> {
    pub file: &'a str,
    pub year: i32,
    pub facts: &'a Facts,
    /// Where it was read from: its declaration, if the run kept it, else the file to read
    /// again when its department's page is rendered.
    pub source: &'a FileOutcome,
    /// The outcome's index in the batch (where `load::Kept` holds a kept declaration).
    pub outcome: usize,
    /// Its warnings, in report order (shown as quality notes).
    pub notes: Vec<&'a Diagnostic>,
    /// Its findings on the validation report, from the site root (`report::ReportPages`).
    pub report_href: String,
}

impl Form<'_> {
    pub fn indicator_count(&self) -> usize {
        self.facts.indicator_count
    }
}

#[derive(Debug, Clone)]
pub struct Department<'a> {
    /// The matching key (normalised name).
    pub key: String,
    /// The name as written in its latest form.
    pub name: String,
    pub slug: String,
    /// Published forms, latest budget year first.
    pub forms: Vec<Form<'a>>,
    /// Budget (from the form of that year) and actual (from the latest form reporting that year
    /// as a prior year), for every year any form mentions.
    pub series: Series,
    /// Its self-evaluations without errors, latest year first.
    pub evaluations: Vec<self_eval::EvalForm<'a>>,
}

/// A form's file changed (or could not be read) between the run's read and its page.
#[derive(Debug, thiserror::Error)]
#[error("{0} 在生成网站期间被修改或无法再读取，请重新运行")]
pub struct Changed(pub String);

impl<'a> Department<'a> {
    /// Its declarations, in `forms` order: those the run kept — taken from `kept` when the
    /// build moved them there, else borrowed from the batch —, those a large run shelved
    /// read back from where it wrote them (`load::Shelved`), the others read again (and
    /// checked to be the bytes the run validated). The run keeps facts, not forms, when it is
    /// large (`build::KEEP_DECLARATIONS_UP_TO`).
    pub fn declarations(
        &self,
        ingest: &IngestOptions,
        kept: &Kept,
    ) -> Result<Vec<std::borrow::Cow<'a, Declaration>>, Changed> {
        use std::borrow::Cow;
        self.forms
            .iter()
            .map(|f| {
                if let Some(loaded) = kept.take(f.outcome) {
                    return Ok(Cow::Owned(loaded.declaration));
                }
                if let Some(declaration) = kept.shelved(f.outcome) {
                    return Ok(Cow::Owned(declaration));
                }
                match &f.source.declaration {
                    Some(loaded) => Ok(Cow::Borrowed(&loaded.declaration)),
                    None => {
                        let again = crate::ingest::read_one(&f.source.file, ingest)
                            .into_iter()
                            .find(|o| o.sheet == f.source.sheet);
                        match again {
                            Some(FileOutcome {
                                declaration: Some(loaded),
                                digest,
                                ..
                            }) if digest == f.source.digest => Ok(Cow::Owned(loaded.declaration)),
                            _ => Err(Changed(f.source.file.display.clone())),
                        }
                    }
                }
            })
            .collect()
    }

    pub fn latest(&self) -> &Form<'a> {
        &self.forms[0]
    }
    pub fn form_of(&self, year: i32) -> Option<&Form<'a>> {
        self.forms.iter().find(|f| f.year == year)
    }

    /// The declared indicators of its form of `year`, as a self-evaluation is compared with
    /// them (`FormText::named_indicators`): (level 1, name, target).
    pub fn declared_indicators(&self, year: i32) -> Option<Vec<(&str, &str, &str)>> {
        let form = self.form_of(year)?;
        Some(
            form.facts
                .search
                .named_indicators()
                .map(|i| (i.level1, i.name, i.target))
                .collect(),
        )
    }
}

#[derive(Debug, Clone)]
pub struct District<'a> {
    /// The folder under the input ("" for forms directly in it).
    pub folder: String,
    pub name: String,
    pub slug: String,
    pub sample_data: bool,
    pub departments: Vec<Department<'a>>,
    /// Budget years with at least one published form, ascending.
    pub years: Vec<i32>,
    /// Sums over departments, per year.
    pub totals: BTreeMap<i32, YearPoint>,
    /// Departments reporting per year: those with a published form for the year.
    pub counts: BTreeMap<i32, usize>,
    /// Per year, departments whose form has expenditure but no income block (Fujian): the
    /// income totals leave them out.
    pub without_income: BTreeMap<i32, usize>,
    /// Per year, departments whose form has no money at all (Hunan): no totals count them.
    pub without_money: BTreeMap<i32, usize>,
    /// Forms withheld for errors, by department key (empty when the form names none) and
    /// budget year: no total counts them.
    pub withheld: BTreeMap<(String, i32), usize>,
    /// Departments with no published form at all, only forms withheld for errors: one per
    /// department key and year (the first such file), so the district's lists still name them.
    pub withheld_only: Vec<WithheldForm>,
}

/// A withheld form of a department that has no published form: listed as "有错误，未发布"
/// with a link to its findings on the report.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WithheldForm {
    pub key: String,
    /// The department's name as the form writes it.
    pub name: String,
    pub year: i32,
    pub file: String,
    pub sheet: Option<String>,
    /// Its findings on the validation report, from the site root (`report::ReportPages`).
    pub report_href: String,
}

impl District<'_> {
    /// Forms of `year` withheld for errors.
    pub fn withheld_in(&self, year: i32) -> usize {
        self.withheld
            .iter()
            .filter(|((_, y), _)| *y == year)
            .map(|(_, n)| n)
            .sum()
    }

    /// Whether a form of `department` (its key) for `year` was withheld for errors.
    pub fn is_withheld(&self, department: &str, year: i32) -> bool {
        self.withheld.contains_key(&(department.to_owned(), year))
    }
}

impl District<'_> {
    pub fn latest_year(&self) -> Option<i32> {
        self.years.last().copied()
    }
}

/// A file that is not published, and why (its errors).
#[derive(Debug, Clone)]
pub struct Unpublished<'a> {
    pub file: &'a str,
    pub errors: Vec<&'a Diagnostic>,
    /// The district folder, department key and budget year the form names, where it names
    /// them: a withheld form is "有错误，未发布" there, not "未报送".
    pub district: String,
    pub department: Option<String>,
    pub year: Option<i32>,
    /// The department's name as the form writes it, and the worksheet it was read from.
    pub name: Option<&'a str>,
    pub sheet: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct SiteModel<'a> {
    pub districts: Vec<District<'a>>,
    pub unpublished: Vec<Unpublished<'a>>,
    /// The validation report's groups of findings, in order, each with its page.
    pub report_groups: Vec<report::ReportGroup<'a>>,
    /// Which page of the validation report lists each form's findings.
    pub report: report::ReportPages,
}

/// An address a person can read and type: the name in pinyin, a syllable per character,
/// joined by `-` (`示例区教育局` → `shi-li-qu-jiao-yu-ju`); Latin letters and digits are kept
/// (lower case, full-width ones as half-width), anything else separates. At most
/// `MAX_SLUG_BYTES`, cut between syllables.
pub fn readable_slug(name: &str) -> String {
    use pinyin::ToPinyin;
    let name = crate::text::to_half_width(name);
    let name = name.as_str();
    let mut tokens: Vec<String> = Vec::new();
    let mut word = String::new();
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        if let Some(p) = p {
            tokens.push(p.plain().to_owned());
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    let mut out = String::new();
    for t in tokens {
        if out.len() + t.len() + 1 > MAX_SLUG_BYTES {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&t);
    }
    out
}

/// Readable slugs stay well under file-name limits even for a 200-character name.
pub const MAX_SLUG_BYTES: usize = 80;

/// Names a department page may not take: the district folder's own pages and folders.
const RESERVED_IN_DISTRICT: &[&str] = &["index", "dashboard", "data", "years"];
/// Names a district folder may not take: the site root's own files and folders.
pub const RESERVED_AT_ROOT: &[&str] = &["assets", "data", "index", "report", "about", "search"];

/// `base`, or `base-2`, `base-3`… : the first not yet in `used` (which it joins).
pub fn unique_slug(base: &str, used: &mut std::collections::BTreeSet<String>) -> String {
    let base = if base.is_empty() { "x" } else { base };
    let mut candidate = base.to_owned();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    candidate
}

/// The district folder of a file: the first folder level under the input root.
fn district_folder(file: &FileOutcome, input: &Path) -> String {
    let rel = file
        .file
        .path
        .strip_prefix(input)
        .unwrap_or(&file.file.path);
    let mut parts = rel.components();
    match (parts.next(), parts.next()) {
        (Some(first), Some(_)) => first.as_os_str().to_string_lossy().into_owned(),
        _ => String::new(),
    }
}

/// One outcome's part of the site model that depends on it alone (`analyze`).
struct Prepared<'a> {
    district: String,
    errors: Vec<&'a Diagnostic>,
    /// Its department's key (`Aliases::key`), when it names one.
    key: Option<String>,
    /// Its findings' place on the report, when it is published.
    report_href: Option<String>,
}

pub fn analyze<'a>(batch: &'a Batch, input: &Path, config: &SiteConfig) -> SiteModel<'a> {
    let aliases = config.aliases();
    let report_groups = report::groups(batch);
    let report = report::ReportPages::of(&report_groups);
    let mut unpublished = Vec::new();
    // district folder → department key → forms
    let mut grouped: BTreeMap<String, BTreeMap<String, Vec<Form<'a>>>> = BTreeMap::new();
    let mut evaluations = self_eval::Evaluations::default();
    // What each outcome needs that depends on it alone (its folder, findings, department
    // key, link on the report), in parallel: made in the loop below, they were most of a
    // serial step of every build (102 ms of a rebuild at 20,000 departments).
    let prepared: Vec<Prepared<'a>> = batch
        .files
        .par_iter()
        .map(|outcome| {
            let errors: Vec<&Diagnostic> = outcome
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .collect();
            let district = district_folder(outcome, input);
            if outcome.evaluation.is_some() {
                return Prepared {
                    district,
                    errors,
                    key: None,
                    report_href: None,
                };
            }
            let key = outcome
                .facts
                .as_ref()
                .and_then(|f| f.department.as_deref())
                .map(|n| aliases.key(n))
                .filter(|k| !k.is_empty());
            let publishable = errors.is_empty()
                && key.is_some()
                && outcome
                    .facts
                    .as_ref()
                    .is_some_and(|f| f.fiscal_year.is_some());
            let report_href =
                publishable.then(|| report.href(&outcome.file.display, outcome.sheet.as_deref()));
            Prepared {
                district,
                errors,
                key,
                report_href,
            }
        })
        .collect();
    for (index, (outcome, prepared)) in batch.files.iter().zip(prepared).enumerate() {
        let Prepared {
            district,
            errors,
            key,
            report_href,
        } = prepared;
        if let Some(evaluation) = &outcome.evaluation {
            if let Some(u) =
                evaluations.add(outcome, evaluation, district, errors, &aliases, &report)
            {
                unpublished.push(u);
            }
            continue;
        }
        let publishable = outcome
            .facts
            .as_ref()
            .and_then(|f| Some((f.fiscal_year?, f)))
            .zip(report_href);
        match (publishable, key) {
            (Some(((year, facts), report_href)), Some(key)) => {
                grouped
                    .entry(district)
                    .or_default()
                    .entry(key)
                    .or_default()
                    .push(Form {
                        file: &outcome.file.display,
                        year,
                        facts,
                        source: outcome,
                        outcome: index,
                        notes: outcome.diagnostics.iter().collect(),
                        report_href,
                    });
            }
            (_, key) => unpublished.push(Unpublished {
                file: &outcome.file.display,
                errors,
                district,
                department: key,
                year: outcome.facts.as_ref().and_then(|f| f.fiscal_year),
                name: outcome.facts.as_ref().and_then(|f| f.department.as_deref()),
                sheet: outcome.sheet.as_deref(),
            }),
        }
    }
    let mut districts: Vec<District<'a>> = grouped
        .into_iter()
        .map(|(folder, departments)| {
            let mut d = district(folder, departments, config);
            for u in unpublished.iter().filter(|u| u.district == d.folder) {
                if let Some(year) = u.year {
                    let key = u.department.clone().unwrap_or_default();
                    *d.withheld.entry((key.clone(), year)).or_default() += 1;
                    let listed = d.departments.iter().any(|dep| dep.key == key)
                        || d.withheld_only
                            .iter()
                            .any(|w| w.key == key && w.year == year);
                    if let (Some(name), false, false) = (u.name, key.is_empty(), listed) {
                        d.withheld_only.push(WithheldForm {
                            key,
                            name: name.to_owned(),
                            year,
                            file: u.file.to_owned(),
                            sheet: u.sheet.map(str::to_owned),
                            report_href: report.href(u.file, u.sheet),
                        });
                    }
                }
            }
            d
        })
        .collect();
    distinct_slugs(&mut districts);
    evaluations.attach(&mut districts);
    SiteModel {
        districts,
        unpublished,
        report_groups,
        report,
    }
}

/// Two districts never share a folder, nor take a name the site root uses (`assets`, …):
/// in folder order, the first keeps its name's address and a later one takes `-2`, `-3`, so
/// the result depends only on the folders, never on the order of work.
fn distinct_slugs(districts: &mut [District<'_>]) {
    let mut used: std::collections::BTreeSet<String> =
        RESERVED_AT_ROOT.iter().map(|s| (*s).to_owned()).collect();
    for d in districts.iter_mut() {
        let base = if d.slug.is_empty() {
            "district".to_owned()
        } else {
            d.slug.clone()
        };
        d.slug = unique_slug(&base, &mut used);
    }
}

fn district<'a>(
    folder: String,
    departments: BTreeMap<String, Vec<Form<'a>>>,
    config: &SiteConfig,
) -> District<'a> {
    let settings = config.district(&folder);
    let name = settings.display_name.clone().unwrap_or_else(|| {
        if folder.is_empty() {
            config.district_name.clone()
        } else {
            folder.clone()
        }
    });
    let list = district_departments(&name, departments);
    let totals = totals(&list);
    // One definition of "departments reporting in year Y", for every card, table and chart:
    // departments with a published form for Y (a department files one form a year).
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    let mut without_income: BTreeMap<i32, usize> = BTreeMap::new();
    let mut without_money: BTreeMap<i32, usize> = BTreeMap::new();
    for f in list.iter().flat_map(|d| &d.forms) {
        *counts.entry(f.year).or_default() += 1;
        match (f.facts.has_income, f.facts.has_expenditure) {
            (false, false) => *without_money.entry(f.year).or_default() += 1,
            (false, true) => *without_income.entry(f.year).or_default() += 1,
            _ => {}
        }
    }
    District {
        slug: readable_slug(&name),
        name,
        folder,
        sample_data: settings.sample_data,
        departments: list,
        years: counts.keys().copied().collect(),
        totals,
        counts,
        without_income,
        without_money,
        withheld: BTreeMap::new(),
        withheld_only: Vec::new(),
    }
}

/// The departments of the district called `district`, in key order, each with its forms
/// (latest first), series and address: the name without the district's own prefix, in pinyin
/// (`示例区教育局` in 示例区 → `jiao-yu-ju`), from the matching key so a renamed department with
/// `[aliases]` keeps its address; collisions take `-2`, `-3` in key order.
fn district_departments<'a>(
    district: &str,
    departments: BTreeMap<String, Vec<Form<'a>>>,
) -> Vec<Department<'a>> {
    let prefix = crate::model::identity::normalise(district);
    let mut used_slugs: std::collections::BTreeSet<String> = RESERVED_IN_DISTRICT
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    // Each department's forms, name, address and series in parallel (pinyin and the series
    // were a rebuild's longest step on one thread); the addresses' collisions then in key
    // order (a BTreeMap iterates in key order).
    use rayon::prelude::*;
    let made: Vec<(Department<'a>, String)> = departments
        .into_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(key, mut forms)| {
            forms.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.file.cmp(b.file)));
            let name = forms[0]
                .facts
                .department
                .clone()
                .unwrap_or_else(|| key.clone());
            let short = key
                .strip_prefix(prefix.as_str())
                .filter(|rest| !rest.is_empty())
                .unwrap_or(&key);
            let base = readable_slug(short);
            // `index-2.html`, `index-3.html` … are the district page's further pages, and
            // `unique_slug` would make `index-2` of a department called `index`.
            let base = if base == "index" || is_listing_page(&base) {
                format!("bumen-{base}")
            } else {
                base
            };
            let series = series(&forms);
            let department = Department {
                key,
                name,
                slug: String::new(),
                forms,
                series,
                evaluations: Vec::new(),
            };
            (department, base)
        })
        .collect();
    made.into_iter()
        .map(|(mut department, base)| {
            department.slug = unique_slug(&base, &mut used_slugs);
            department
        })
        .collect()
}

/// `index-2`, `index-3` …: the name of a listing's further page (`output::views::paged`).
pub fn is_listing_page(slug: &str) -> bool {
    slug.strip_prefix("index-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The district's budget and actual of each year: the sum of its departments' series.
fn totals(departments: &[Department<'_>]) -> BTreeMap<i32, YearPoint> {
    let mut totals: BTreeMap<i32, YearPoint> = BTreeMap::new();
    for d in departments {
        for (&year, point) in &d.series {
            let t = totals.entry(year).or_default();
            if let Some(b) = &point.budget {
                t.budget.get_or_insert_with(Amounts::default).add(b);
            }
            if let Some(a) = &point.actual {
                t.actual.get_or_insert_with(Amounts::default).add(a);
            }
        }
    }
    totals
}

/// Budget of Y from the form of Y; actual of Y from the latest form that reports Y.
/// `forms` is sorted latest first.
fn series(forms: &[Form<'_>]) -> Series {
    let mut out: BTreeMap<i32, YearPoint> = BTreeMap::new();
    for f in forms {
        let point = out.entry(f.year).or_default();
        // A layout without money (Hunan) has no budget to count, not a budget of 0.
        if point.budget.is_none() && (f.facts.has_income || f.facts.has_expenditure) {
            point.budget = Some(Amounts::budget_of(f.facts));
        }
        for &year in &f.facts.prior_years {
            let point = out.entry(year).or_default();
            if point.actual.is_none() {
                point.actual = Amounts::actual_of(f.facts, year);
            }
        }
    }
    out.retain(|_, p| p.budget.is_some() || p.actual.is_some());
    Series::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_as_pinyin_and_stay_distinct() {
        assert_eq!(readable_slug("示例区教育局"), "shi-li-qu-jiao-yu-ju");
        assert_eq!(
            readable_slug("第2中学（ＡＢ校区）"),
            "di-2-zhong-xue-ab-xiao-qu"
        );
        assert_eq!(readable_slug("<script>"), "script");
        assert!(readable_slug(&"长".repeat(200)).len() <= MAX_SLUG_BYTES);
        let mut used = std::collections::BTreeSet::new();
        assert_eq!(unique_slug("jiao-yu-ju", &mut used), "jiao-yu-ju");
        assert_eq!(unique_slug("jiao-yu-ju", &mut used), "jiao-yu-ju-2");
        assert_eq!(unique_slug("", &mut used), "x");
    }

    #[test]
    fn districts_of_one_name_get_distinct_folders() {
        let d = |folder: &str, name: &str| District {
            folder: folder.to_owned(),
            name: name.to_owned(),
            slug: readable_slug(name),
            sample_data: false,
            departments: Vec::new(),
            years: Vec::new(),
            totals: BTreeMap::new(),
            counts: BTreeMap::new(),
            without_income: BTreeMap::new(),
            without_money: BTreeMap::new(),
            withheld: BTreeMap::new(),
            withheld_only: Vec::new(),
        };
        let mut v = vec![d("", "本级"), d("本级", "本级"), d("a", "甲"), d("b", "甲")];
        distinct_slugs(&mut v);
        let slugs: std::collections::BTreeSet<_> = v.iter().map(|d| d.slug.clone()).collect();
        assert_eq!(slugs.len(), 4);
        assert_eq!(
            v[0].slug,
            readable_slug("本级"),
            "the first keeps its address"
        );
        let again = {
            let mut w = vec![d("", "本级"), d("本级", "本级"), d("a", "甲"), d("b", "甲")];
            distinct_slugs(&mut w);
            w.into_iter().map(|d| d.slug).collect::<Vec<_>>()
        };
        assert_eq!(v.into_iter().map(|d| d.slug).collect::<Vec<_>>(), again);
    }

    /// The sample as 2020 and, with every year moved on by one, as 2021.
    fn two_years(dir: &Path) {
        let text = include_str!("../../tests/fixtures/sample/武汉市新洲区总工会-2020.txt");
        let later = text
            .replace("2019年", "\u{0}")
            .replace("2018年", "2019年")
            .replace('\u{0}', "2020年")
            .replace("2020年度部门整体", "2021年度部门整体");
        let d = dir.join("示例区");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("a-2020.txt"), text).unwrap();
        std::fs::write(d.join("a-2021.txt"), later).unwrap();
        std::fs::write(
            dir.join("loose-2020.txt"),
            text.replace("武汉市新洲区总工会", "散户"),
        )
        .unwrap();
    }

    #[test]
    fn departments_know_their_forms_by_year_latest_first() {
        let dir = tempfile::tempdir().unwrap();
        two_years(dir.path());
        let batch = crate::load(
            &[dir.path().to_path_buf()],
            &crate::ingest::IngestOptions::default(),
        )
        .unwrap();
        assert_eq!(batch.counts().errors, 0, "{:?}", batch.diagnostics);
        let model = analyze(&batch, dir.path(), &SiteConfig::default());
        // Forms directly in the input belong to the district "" (first folder level).
        let folders: Vec<&str> = model.districts.iter().map(|d| d.folder.as_str()).collect();
        assert_eq!(folders, ["", "示例区"]);
        let d = &model.districts[1];
        assert_eq!(d.years, [2020, 2021]);
        assert_eq!(d.latest_year(), Some(2021));
        assert_eq!(model.districts[0].latest_year(), Some(2020));
        let dep = &d.departments[0];
        assert_eq!(
            dep.forms.iter().map(|f| f.year).collect::<Vec<_>>(),
            [2021, 2020]
        );
        assert_eq!(dep.latest().year, 2021);
        assert!(dep.latest().file.ends_with("a-2021.txt"));
        assert!(dep.form_of(2020).unwrap().file.ends_with("a-2020.txt"));
        assert_eq!(dep.form_of(2021).unwrap().year, 2021);
        assert!(dep.form_of(2019).is_none());
        // 4 goals, 11 indicators in the sample.
        assert_eq!(dep.latest().indicator_count(), 11);
        // The series: budgets of 2020 and 2021, the actual of 2020 from the 2021 form
        // (234.35 moved on a year), of 2018 and 2019 from the latest form reporting them.
        let total = |y: i32| dep.series[&y].actual.map(|a| a.expenditure_total);
        assert_eq!(
            dep.series.keys().copied().collect::<Vec<_>>(),
            [2018, 2019, 2020, 2021]
        );
        assert_eq!(total(2020), Some("234.35".parse().unwrap()));
        assert_eq!(total(2019), Some("231.55".parse().unwrap()));
        assert_eq!(total(2018), Some("231.55".parse().unwrap()));
        // Addresses: the district's and the department's names in pinyin (the department's
        // without a district prefix it does not have), no collision suffix without a collision.
        assert_eq!(d.slug, "shi-li-qu");
        assert_eq!(dep.slug, "wu-han-shi-xin-zhou-qu-zong-gong-hui");
        assert_eq!(dep.key, "武汉市新洲区总工会");
        assert_eq!(d.counts[&2021], 1);
        assert_eq!(
            d.totals[&2021].budget.unwrap().income_total,
            "286.41".parse().unwrap()
        );
    }

    #[test]
    fn a_slug_stops_before_the_word_that_would_pass_its_limit() {
        // 79 letters and a word: "-b" would make 81 bytes; 78 letters leave room for it (80).
        let long = "a".repeat(79);
        assert_eq!(readable_slug(&format!("{long} b")), long);
        let fits = "a".repeat(78);
        assert_eq!(readable_slug(&format!("{fits} b")), format!("{fits}-b"));
        assert_eq!(format!("{fits}-b").len(), MAX_SLUG_BYTES);
    }
}
