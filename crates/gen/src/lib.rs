//! Deterministic generator of realistic test districts for budgetsite.
//!
//! Writes one `部门整体支出绩效目标申报表` per department and budget year, in the layout of the
//! real text export (`samples/武汉市新洲区总工会-2020.txt`) or as canonical JSON, with the
//! quirks of spec §1 and, on request, planted errors of the rule catalog (§3).
//! Next to the district it writes `.truth/truth.json`: per file the exact canonical JSON the
//! reader must produce and the codes planted in it, per department the true money series,
//! and the merged multi-year district the site must publish (`expected_district`, also in
//! `.truth/district.json`; the renames' `[aliases]` table is in `.truth/aliases.toml`).
//! On request departments are renamed, miss a year, file only once, or revise an actual.
//!
//! Independent of the budgetsite library on purpose: only std, serde, serde_json,
//! rust_decimal and encoding_rs. Money is integer cents (exact); a tiny splitmix64 PRNG seeded
//! from the options makes every byte reproducible.

use rust_decimal::Decimal;
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::path::Path;

// Other layouts (fujian, hunan, hubei-pdf) and spreadsheet formats (xlsx, Unicode text).
mod layouts;
pub mod metamorphic;
pub mod oracle;
pub mod self_eval;
mod sheets;
pub use layouts::{FileFormat, FormLayout};

// The generator in parts (issue 18 split the one 3,600-line file by what each part owns).
mod content;
mod expected;
mod files;
mod form;
mod model;
mod money;
mod plant;
mod render;
use content::*;
pub use expected::*;
use files::*;
use form::*;
pub use model::*;
use money::*;
use plant::*;
use render::*;

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/// Every rule code that can be planted, in the order `--plant all` plants them.
pub const PLANT_CODES: [&str; 17] = [
    "unreadable-file",
    "not-a-declaration",
    "missing-field",
    "bad-number",
    "negative-amount",
    "income-sum",
    "expenditure-sum",
    "balance",
    "share",
    "duplicate-submission",
    "indicator-category",
    "vague-target",
    "placeholder-row",
    "missing-output",
    "missing-benefit",
    "goal-mismatch",
    "prior-year-revised",
];

/// How many format quirks of spec section 1 each text file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuirkLevel {
    /// Plain UTF-8, LF, one page, no shifted cells: the easiest export.
    None,
    /// Each quirk on roughly 20–40 % of the files, mixed by the PRNG.
    Some,
    /// As many quirks at once as possible in every file.
    All,
}

impl QuirkLevel {
    #[allow(dead_code)]
    pub fn parse(s: &str) -> Result<QuirkLevel, String> {
        match s {
            "none" => Ok(QuirkLevel::None),
            "some" => Ok(QuirkLevel::Some),
            "all" => Ok(QuirkLevel::All),
            _ => Err(format!("--quirks must be none, some or all, not {s:?}")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            QuirkLevel::None => "none",
            QuirkLevel::Some => "some",
            QuirkLevel::All => "all",
        }
    }
}

/// Which rule codes to plant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plant {
    None,
    All,
    Codes(Vec<String>),
}

impl Plant {
    #[allow(dead_code)]
    pub fn parse(s: &str) -> Result<Plant, String> {
        match s {
            "none" | "" => Ok(Plant::None),
            "all" => Ok(Plant::All),
            _ => {
                let codes: Vec<String> = s.split(',').map(|c| c.trim().to_string()).collect();
                for c in &codes {
                    if !PLANT_CODES.contains(&c.as_str()) {
                        return Err(format!("unknown rule code {c:?} in --plant"));
                    }
                }
                Ok(Plant::Codes(codes))
            }
        }
    }

    /// The codes to plant, in catalog order, without repetitions.
    pub fn codes(&self) -> io::Result<Vec<&'static str>> {
        match self {
            Plant::None => Ok(Vec::new()),
            Plant::All => Ok(PLANT_CODES.to_vec()),
            Plant::Codes(list) => {
                for c in list {
                    if !PLANT_CODES.contains(&c.as_str()) {
                        return Err(invalid(format!("unknown rule code {c:?}")));
                    }
                }
                Ok(PLANT_CODES
                    .iter()
                    .copied()
                    .filter(|c| list.iter().any(|l| l == c))
                    .collect())
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct GenOptions {
    pub seed: u64,
    /// Name of the district: prefix of the department names and name of the folder.
    pub district: String,
    pub departments: usize,
    /// Budget years; each department gets one form per year.
    pub years: Vec<i32>,
    pub quirks: QuirkLevel,
    pub plant: Plant,
    /// How many files get each planted code (distinct files).
    pub plant_count: usize,
    /// Percentage (0–100) of the forms written as canonical JSON instead of text.
    pub json_share: u32,
    /// Departments renamed from some year on (机构改革): the forms before that year carry an
    /// old name, the truth records the alias old → new. Needs two budget years.
    pub renames: usize,
    /// Departments that miss one budget year in the middle (no form that year). Needs three
    /// budget years.
    pub gaps: usize,
    /// Departments that file in one year only: in turn the latest year, the first, any.
    pub singletons: usize,
    /// Extra `prior-year-revised` plants: later forms that revise a prior-year actual an
    /// earlier form reported (on top of those `plant` / `plant_count` ask for).
    pub revisions: usize,
    /// Layouts the clean forms are printed in, chosen per file (empty: `hubei` only, as
    /// before layouts existed). See layouts.rs.
    pub layouts: Vec<FormLayout>,
    /// File formats of the clean forms, chosen per file (empty: the text export only).
    pub formats: Vec<FileFormat>,
    /// Departments (the first N by index) whose figures swing once, so the dashboard has
    /// outliers of every kind: in turn a budget that falls by 45 %, one that rises by 60 %
    /// (both against the year before, and back the year after), an actual spending of 60 %
    /// and one of 135 % of the budget.
    pub swings: usize,
    /// Self-evaluations of the clean declarations (`self_eval`; none by default).
    pub evaluations: self_eval::EvalOptions,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            seed: 1,
            district: "示例区".to_string(),
            departments: 10,
            years: vec![2020, 2021, 2022],
            quirks: QuirkLevel::Some,
            plant: Plant::None,
            plant_count: 1,
            json_share: 0,
            renames: 0,
            gaps: 0,
            singletons: 0,
            revisions: 0,
            layouts: Vec::new(),
            formats: Vec::new(),
            swings: 0,
            evaluations: self_eval::EvalOptions::default(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/// Writes the district under `out/<district>/` and the truth under `out/.truth/truth.json`,
/// and returns the truth. Same options ⇒ byte-identical files.
pub fn generate(opts: &GenOptions, out: &Path) -> io::Result<Truth> {
    let mut years = opts.years.clone();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        return Err(invalid("at least one budget year is needed".into()));
    }
    if years[0] < 1000 || years[years.len() - 1] > 9999 {
        return Err(invalid("budget years must have four digits".into()));
    }
    if opts.json_share > 100 {
        return Err(invalid("json share is a percentage (0–100)".into()));
    }
    if opts.district.is_empty() || opts.district.contains(['/', '\\']) || opts.district == ".." {
        return Err(invalid(format!(
            "unusable district name {:?}",
            opts.district
        )));
    }
    let codes = opts.plant.codes()?;
    let shapes = plan_shapes(opts, &years)?;
    let (plan, unplanted) =
        plan_plants(opts.seed, &shapes, &codes, opts.plant_count, opts.revisions);

    let district_dir = out.join(&opts.district);
    std::fs::create_dir_all(&district_dir)?;
    let truth_dir = out.join(".truth");
    std::fs::create_dir_all(&truth_dir)?;

    let mut truth = Truth {
        generator: "gen_district/1".to_string(),
        options: TruthOptions {
            seed: opts.seed,
            district: opts.district.clone(),
            departments: opts.departments,
            years: years.clone(),
            quirks: opts.quirks.name().to_string(),
            plant: codes.iter().map(|c| c.to_string()).collect(),
            plant_count: opts.plant_count,
            json_share: opts.json_share,
            renames: opts.renames,
            gaps: opts.gaps,
            singletons: opts.singletons,
            revisions: opts.revisions,
            layouts: opts.layouts.iter().map(|l| l.key().to_string()).collect(),
            formats: opts.formats.iter().map(|f| f.key().to_string()).collect(),
            swings: opts.swings,
        },
        files: Vec::with_capacity(opts.departments * years.len()),
        departments: Vec::with_capacity(opts.departments),
        unplanted: unplanted.iter().map(|c| c.to_string()).collect(),
        aliases: Vec::new(),
        cases: TruthCases::default(),
        expected_district: ExpectedDistrict::default(),
        trends: Vec::new(),
        self_evaluations: Vec::new(),
    };

    let gen = Generator {
        seed: opts.seed,
        district: &opts.district,
        quirks: opts.quirks,
        json_share: opts.json_share,
        layouts: &opts.layouts,
        formats: &opts.formats,
    };
    for (d, shape) in shapes.iter().enumerate() {
        let dept = department(&opts.district, d);
        let old = shape.rename.as_ref().map(|(name, _)| Dept {
            name: name.clone(),
            domain: dept.domain,
        });
        let mut series = Series::new(opts.seed, d, &years);
        if d < opts.swings {
            series.swing(d, &years);
        }
        let stable = DeptStable::new(opts.seed, d, &dept);
        let first_file = truth.files.len();
        for &year in &shape.years {
            let named = match (&old, &shape.rename) {
                (Some(o), Some((_, from))) if year < *from => o,
                _ => &dept,
            };
            let slot = Slot {
                d: d as u64,
                dept: named,
                stable: &stable,
                series: &series,
                year,
                years: &shape.years,
                code: plan.get(&(d, year)).copied(),
            };
            gen.write_slot(&district_dir, &slot, &mut truth)?;
        }
        truth
            .departments
            .push(series.truth(&dept.name, &shape.years));
        record_cases(&mut truth, first_file, &dept, shape);
    }

    for file in &mut truth.files {
        file.quality = file.expected.as_ref().map(quality);
    }
    truth.expected_district = expected_district(&truth.files, &truth.aliases);
    truth.trends = trends(&truth.expected_district);
    truth.self_evaluations = self_eval::write(out, &truth.files, opts.seed, &opts.evaluations)?;

    let file = std::fs::File::create(truth_dir.join("truth.json"))?;
    let mut w = io::BufWriter::with_capacity(1 << 20, file);
    serde_json::to_writer(&mut w, &truth).map_err(io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()?;

    let mut district =
        serde_json::to_string_pretty(&truth.expected_district).map_err(io::Error::other)?;
    district.push('\n');
    std::fs::write(truth_dir.join("district.json"), district)?;
    std::fs::write(truth_dir.join("aliases.toml"), aliases_toml(&truth.aliases))?;
    Ok(truth)
}

/// The `[aliases]` table of `site.toml` for `aliases` (empty table without renames).
pub fn aliases_toml(aliases: &[Alias]) -> String {
    let quote = |s: &str| {
        let mut q = String::from('"');
        for c in s.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                c if c.is_control() => q.push_str(&format!("\\u{:04X}", c as u32)),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    };
    let mut out = String::from("[aliases]\n");
    for a in aliases {
        out.push_str(&format!("{} = {}\n", quote(&a.old), quote(&a.new)));
    }
    out
}

/// What happens to one department across the years: the budget years it files a form for
/// and, if renamed, its old name and the first year of the new one.
pub(crate) struct Shape {
    pub(crate) years: Vec<i32>,
    pub(crate) rename: Option<(String, i32)>,
    pub(crate) kind: ShapeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShapeKind {
    Whole,
    Renamed,
    Gap(i32),
    Singleton(i32),
}

/// Chooses the renamed, gapped and singleton departments (distinct departments). Without
/// those options every department files every year and no random number is drawn.
pub(crate) fn plan_shapes(opts: &GenOptions, years: &[i32]) -> io::Result<Vec<Shape>> {
    let mut shapes: Vec<Shape> = (0..opts.departments)
        .map(|_| Shape {
            years: years.to_vec(),
            rename: None,
            kind: ShapeKind::Whole,
        })
        .collect();
    let wanted = opts.renames + opts.gaps + opts.singletons;
    if wanted == 0 {
        return Ok(shapes);
    }
    if wanted > opts.departments {
        return Err(invalid(format!(
            "{} renames + {} gaps + {} singletons need that many departments, not {}",
            opts.renames, opts.gaps, opts.singletons, opts.departments
        )));
    }
    if opts.renames > 0 && years.len() < 2 {
        return Err(invalid("renames need at least two budget years".into()));
    }
    if opts.gaps > 0 && years.len() < 3 {
        return Err(invalid(
            "gaps need at least three budget years (a gap lies between two forms)".into(),
        ));
    }
    let mut rng = Rng::derive(&[opts.seed, S_SHAPE]);
    let mut order: Vec<usize> = (0..opts.departments).collect();
    rng.shuffle(&mut order);
    let mut taken: std::collections::BTreeSet<String> = (0..opts.departments)
        .map(|d| normalise(&department(&opts.district, d).name))
        .collect();
    let (renamed, rest) = order.split_at(opts.renames);
    let (gapped, rest) = rest.split_at(opts.gaps);
    let singles = &rest[..opts.singletons];
    for &d in renamed {
        let from = rng.pick(&years[1..]);
        let old = old_name(&opts.district, d, &taken);
        taken.insert(normalise(&old));
        shapes[d].rename = Some((old, from));
        shapes[d].kind = ShapeKind::Renamed;
    }
    for &d in gapped {
        let gap = rng.pick(&years[1..years.len() - 1]);
        shapes[d].years.retain(|&y| y != gap);
        shapes[d].kind = ShapeKind::Gap(gap);
    }
    for (k, &d) in singles.iter().enumerate() {
        // A new department (latest year only), one abolished or merged away (first year
        // only), one that filed once in between, in turn.
        let only = match k % 3 {
            0 => years[years.len() - 1],
            1 => years[0],
            _ => rng.pick(years),
        };
        shapes[d].years = vec![only];
        shapes[d].kind = ShapeKind::Singleton(only);
    }
    Ok(shapes)
}

/// Predecessors of real department names (机构改革 2018–2019 and the like).
#[rustfmt::skip]
pub(crate) const PREDECESSORS: [(&str, &str); 28] = [
    ("{d}卫生健康局", "{d}卫生和计划生育局"), ("{d}农业农村局", "{d}农业局"),
    ("{d}住房和城乡建设局", "{d}城乡建设委员会"), ("{d}文化和旅游局", "{d}文化体育新闻出版广电局"),
    ("{d}发展和改革局", "{d}发展和改革委员会"), ("{d}市场监督管理局", "{d}工商行政管理局"),
    ("{d}应急管理局", "{d}安全生产监督管理局"), ("{d}生态环境局", "{d}环境保护局"),
    ("{d}医疗保障局", "{d}医疗保险管理局"), ("{d}退役军人事务局", "{d}双拥工作领导小组办公室"),
    ("{d}政务服务和大数据管理局", "{d}行政审批局"), ("{d}水务和湖泊局", "{d}水务局"),
    ("{d}城市管理执法局", "{d}城市管理局"), ("{d}经济和信息化局", "{d}经济和信息化委员会"),
    ("{d}科学技术局", "{d}科学技术和经济信息化局"), ("{d}人力资源和社会保障局", "{d}人力资源局"),
    ("{d}交通运输局", "{d}交通运输委员会"), ("{d}融媒体中心", "{d}广播电视台"),
    ("{d}林业局", "{d}园林和林业局"), ("{d}纪委监委机关", "{d}纪律检查委员会机关"),
    ("{d}卫生计生综合监督执法局", "{d}卫生监督所"), ("{d}疾病预防控制中心", "{d}卫生防疫站"),
    ("{d}机关事务服务中心", "{d}机关事务管理局"), ("{d}商务局", "{d}商务和粮食局"),
    ("{d}公路管理局", "{d}公路管理段"), ("{d}教育局", "{d}教育委员会"),
    ("{d}公安分局", "{d}公安局"), ("{d}总工会", "{d}工会联合会"),
];

/// An old name for department `d`, unique among `taken` (normalised names).
pub(crate) fn old_name(
    district: &str,
    d: usize,
    taken: &std::collections::BTreeSet<String>,
) -> String {
    let name = department(district, d).name;
    let known = PREDECESSORS
        .iter()
        .find(|(new, _)| new.replace("{d}", district) == name)
        .map(|(_, old)| old.replace("{d}", district));
    // Most specific suffix first.
    let suffixed = [
        ("街道办事处", "镇人民政府"),
        ("镇人民政府", "乡人民政府"),
        ("乡人民政府", "人民公社管理委员会"),
        ("分局", "局"),
        ("管理局", "管理处"),
        ("执法局", "监察大队"),
        ("局", "管理局"),
        ("服务中心", "管理站"),
        ("中心", "管理站"),
        ("保健院", "保健站"),
        ("医院", "卫生院"),
        ("福利院", "敬老院"),
        ("职业高级中学", "职业中学"),
        ("中学", "初级中学"),
        ("小学", "中心小学"),
        ("幼儿园", "托儿所"),
        ("学校", "学校筹建处"),
        ("联合会", "联谊会"),
        ("协会", "学会"),
        ("馆", "馆筹建处"),
        ("所", "站"),
        ("管理站", "服务站"),
        ("站", "管理站"),
        ("办公室", "秘书科"),
        ("大队", "中队"),
    ]
    .iter()
    .find(|(suffix, _)| name.ends_with(suffix))
    .map(|(suffix, old)| format!("{}{old}", &name[..name.len() - suffix.len()]));
    let candidates = known
        .into_iter()
        .chain(suffixed)
        .chain(std::iter::once(format!("{name}（原）")));
    for c in candidates {
        if !taken.contains(&normalise(&c)) {
            return c;
        }
    }
    (2..)
        .map(|k| format!("{name}（原{k}）"))
        .find(|c| !taken.contains(&normalise(c)))
        .expect("an unused name")
}

/// Records the shape of department `dept` (whose files start at `truth.files[first_file]`)
/// and its `prior-year-revised` plants in `truth.cases` / `truth.aliases`.
pub(crate) fn record_cases(truth: &mut Truth, first_file: usize, dept: &Dept, shape: &Shape) {
    match shape.kind {
        ShapeKind::Whole => {}
        ShapeKind::Renamed => {
            let (old, from) = shape.rename.clone().expect("renamed");
            let alias = Alias {
                old,
                new: dept.name.clone(),
                from_year: from,
            };
            truth.aliases.push(alias.clone());
            truth.cases.renamed.push(alias);
        }
        ShapeKind::Gap(year) => truth.cases.gaps.push(DepartmentYear {
            department: dept.name.clone(),
            year,
        }),
        ShapeKind::Singleton(year) => truth.cases.singletons.push(DepartmentYear {
            department: dept.name.clone(),
            year,
        }),
    }
    let files = &truth.files[first_file..];
    let mut revisions = Vec::new();
    for f in files {
        if !f.planted.iter().any(|c| c == "prior-year-revised") {
            continue;
        }
        let k = revised_column(&shape.years, f.fiscal_year).expect("planted only where possible");
        let revised_year = f.fiscal_year - 1 - k as i32;
        let earlier_files = files
            .iter()
            .filter(|e| {
                e.fiscal_year < f.fiscal_year
                    && (e.fiscal_year - 1 == revised_year || e.fiscal_year - 2 == revised_year)
            })
            .map(|e| e.path.clone())
            .collect();
        revisions.push(Revision {
            department: f.department.clone(),
            file: f.path.clone(),
            fiscal_year: f.fiscal_year,
            revised_year,
            earlier_files,
        });
    }
    truth.cases.revisions.extend(revisions);
}

pub(crate) fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}
