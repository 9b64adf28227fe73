//! Machine-readable downloads for dashboards: `data/district.json` (schema `district/v1`), per
//! district and for the whole site. Figures are exact until here and rounded to 2 places on
//! output; page paths are relative to the site root. Each department's object is serialised
//! once, in parallel, and spliced into both its district's file and the site's (`DistrictData`).

use crate::analyze::stats::DistrictFigures;
use crate::analyze::{District, SiteModel};
use crate::format::round;
use crate::model::amounts::Amounts;
use crate::model::Row;
use crate::output::tables::{Cell, Table};
use crate::output::views;
use crate::spill::{SpillWriter, Spilled, SPILL_OVER};
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

pub const SCHEMA: &str = "district/v1";

/// The site-wide document's path in the site.
pub const SITE_PATH: &str = "data/district.json";

/// The `district/v1` document's shape. The build makes it with `departments` empty, as the
/// head of a `DistrictData` whose serialised departments are spliced in (`assemble`); whole,
/// it is what the splice is tested against.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictJson {
    pub schema: &'static str,
    pub unit: &'static str,
    /// The district's name (or the site's title for the whole-site file).
    pub name: String,
    pub years: BTreeMap<String, YearJson>,
    pub departments: Vec<DepartmentJson>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct YearJson {
    pub budget: Option<Amounts>,
    pub actual: Option<Amounts>,
    pub departments: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepartmentJson {
    pub department: String,
    pub slug: String,
    pub page: String,
    pub district: String,
    pub series: BTreeMap<String, SeriesJson>,
    #[serde(with = "crate::format::json_number")]
    pub cagr_percent: Option<Decimal>,
    /// Its self-evaluations by year (left out when it has none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub evaluations: BTreeMap<String, crate::output::evaluations::EvaluationJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeriesJson {
    pub budget: Option<Amounts>,
    pub actual: Option<Amounts>,
    #[serde(with = "crate::format::json_number")]
    pub budget_growth_percent: Option<Decimal>,
    #[serde(with = "crate::format::json_number")]
    pub execution_percent: Option<Decimal>,
}

fn r2(d: Option<Decimal>) -> Option<Decimal> {
    d.map(|v| round(v, 2))
}

/// A `district/v1` document whose departments are already serialised: the pieces that
/// `write_json` and `write_site` write. The departments are most of the file (5 MB for 2,000
/// of them, 51 MB for 20,000) and the site's file repeats every district's: each object is
/// serialised once per build, in parallel, and written into both (neither file is ever whole
/// in memory). The objects made this build are held until both are written, in one buffer
/// for every district, in a temporary file past `spill::SPILL_OVER`; those of unchanged
/// departments are not read at all, but left where the published site's file holds them
/// (`Reuse`) and copied from there only if a file has to be written — its key (`key`,
/// `site_file_key`) says whether: the objects' digests, not their bytes.
#[derive(Debug)]
pub struct DistrictData {
    /// The document without its departments (`departments` empty).
    head: DistrictJson,
    /// Every district's department objects, in the site's order.
    all: Arc<Objects>,
    /// This district's: which of `all.list`.
    range: std::ops::Range<usize>,
}

/// The department objects of a build: their bytes, where they are held, their digests.
#[derive(Debug)]
struct Objects {
    /// The objects made this build, one after the other (`Object::at` in here).
    made: Spilled,
    /// The published `data/district.json` the others are copied from (`Object::at` in there).
    published: Option<std::fs::File>,
    list: Vec<Object>,
}

#[derive(Debug, Clone, Copy)]
struct Object {
    /// Made this build (in `Objects::made`), else in the published file.
    made: bool,
    at: u64,
    len: u32,
    /// `hash::digest` of its bytes.
    digest: u64,
}

/// How many departments' objects are made at a time (in parallel), then written out.
const BLOCK: usize = 512;

/// Where each department's object stands in the site's `data/district.json`, by the key of
/// what it is made from (the department's page key, `build::jobs::department_key`): the
/// next build takes an unchanged department's object from the published file instead of
/// making it again (`Reuse`), and knows its bytes by their digest. At 2,000 departments
/// making them was ~24 ms of CPU in a rebuild after one changed form, and copying them ~11.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pieces {
    /// Where the list of objects starts in the file.
    pub list_start: u64,
    /// Each object's key, where it starts (from `list_start`), its length and its digest.
    pub entries: Vec<(u64, u64, u32, u64)>,
}

/// The published site's `data/district.json` with its `Pieces`: objects to leave where they
/// are.
pub struct Reuse {
    file: std::fs::File,
    list_start: u64,
    by_key: std::collections::HashMap<u64, (u64, u32, u64)>,
}

impl Reuse {
    /// The objects of the file at `path` as `pieces` says (the caller has checked that the
    /// file is still as the build that recorded them published it).
    pub fn open(path: &std::path::Path, pieces: &Pieces) -> Option<Reuse> {
        // Where a file cannot be read at an offset (`read_at`), every object is made.
        if !cfg!(unix) {
            return None;
        }
        Some(Reuse {
            file: std::fs::File::open(path).ok()?,
            list_start: pieces.list_start,
            by_key: pieces
                .entries
                .iter()
                .map(|&(key, at, len, digest)| (key, (at, len, digest)))
                .collect(),
        })
    }

    /// The object made from `key` last time, where the file holds it; None if there is none.
    fn object(&self, key: u64) -> Option<Object> {
        let &(at, len, digest) = self.by_key.get(&key)?;
        Some(Object {
            made: false,
            at: self.list_start.checked_add(at)?,
            len,
            digest,
        })
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(not(unix))]
fn read_at(_: &std::fs::File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The `district.json` pieces of each district (the departments' objects made in parallel,
/// or left in the published file through `reuse` where their key in `keys` is unchanged: a
/// key per department, in the districts' order), with their `Pieces` for the next build
/// (`list_start` to be set once the site's head is known: `site_list_start`).
pub fn districts(
    districts: &[District<'_>],
    figures: &[DistrictFigures],
    keys: &[Vec<u64>],
    reuse: Option<Reuse>,
) -> std::io::Result<(Vec<DistrictData>, Pieces)> {
    districts_spilling_over(districts, figures, keys, reuse, SPILL_OVER)
}

fn districts_spilling_over(
    districts: &[District<'_>],
    figures: &[DistrictFigures],
    keys: &[Vec<u64>],
    reuse: Option<Reuse>,
    limit: usize,
) -> std::io::Result<(Vec<DistrictData>, Pieces)> {
    use std::io::Write;
    let mut made = SpillWriter::new(limit);
    let mut list = Vec::new();
    let mut ranges = Vec::with_capacity(districts.len());
    let mut entries = Vec::new();
    // Where the next object stands in the site's list (objects joined by `,\n`).
    let mut at = 0;
    for ((d, figures), keys) in districts.iter().zip(figures).zip(keys) {
        let start = list.len();
        for ((deps, figures), keys) in d
            .departments
            .chunks(BLOCK)
            .zip(figures.departments.chunks(BLOCK))
            .zip(keys.chunks(BLOCK))
        {
            let objects: Vec<Result<Object, String>> = deps
                .par_iter()
                .zip(figures)
                .zip(keys)
                .map(
                    |((dep, f), &key)| match reuse.as_ref().and_then(|r| r.object(key)) {
                        Some(object) => Ok(object),
                        None => Err(piece(&department_json(d, dep, f))),
                    },
                )
                .collect();
            for (key, object) in keys.iter().zip(objects) {
                let object = match object {
                    Ok(object) => object,
                    Err(bytes) => {
                        let object = Object {
                            made: true,
                            at: made.len(),
                            len: u32::try_from(bytes.len()).map_err(std::io::Error::other)?,
                            digest: crate::hash::digest(bytes.as_bytes()),
                        };
                        made.write_all(bytes.as_bytes())?;
                        object
                    }
                };
                if !list.is_empty() {
                    at += 2;
                }
                entries.push((*key, at, object.len, object.digest));
                at += u64::from(object.len);
                list.push(object);
            }
        }
        ranges.push(start..list.len());
    }
    let all = Arc::new(Objects {
        made: made.finish()?,
        published: reuse.map(|r| r.file),
        list,
    });
    let data = districts
        .iter()
        .zip(ranges)
        .map(|(d, range)| DistrictData {
            head: head_of(d),
            all: Arc::clone(&all),
            range,
        })
        .collect();
    Ok((
        data,
        Pieces {
            list_start: 0,
            entries,
        },
    ))
}

impl Objects {
    /// The objects of `range` joined by `,\n`, copied to `out`: those made this build from
    /// their buffer, the others from the published file, a run of them standing one after
    /// another there (joined the same way) in one piece.
    fn copy_to(
        &self,
        range: std::ops::Range<usize>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let list = &self.list[range];
        let mut i = 0;
        while let Some(first) = list.get(i) {
            if i > 0 {
                out.write_all(b",\n")?;
            }
            let mut end = first.at + u64::from(first.len);
            i += 1;
            if first.made {
                self.made
                    .copy_range_to(first.at, u64::from(first.len), out)?;
                continue;
            }
            while let Some(next) = list.get(i).filter(|n| !n.made && n.at == end + 2) {
                end = next.at + u64::from(next.len);
                i += 1;
            }
            let file = self
                .published
                .as_ref()
                .ok_or_else(|| std::io::Error::other("已发布的 data/district.json 未打开"))?;
            copy_file_range_to(file, first.at, end - first.at, out)?;
        }
        Ok(())
    }

    /// What the objects of `range` are, for a file's key: each one's digest and length.
    fn hash_into(&self, range: std::ops::Range<usize>, h: &mut crate::hash::Fnv) {
        use std::hash::Hasher;
        for o in &self.list[range] {
            h.write_u64(o.digest);
            h.write_u32(o.len);
        }
    }
}

/// Copies `len` bytes of `file` from `at` to `out`.
fn copy_file_range_to(
    file: &std::fs::File,
    mut at: u64,
    len: u64,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut buf = vec![0; len.min(1 << 16) as usize];
    let end = at + len;
    while at < end {
        let n = (end - at).min(buf.len() as u64) as usize;
        read_at(file, &mut buf[..n], at)?;
        out.write_all(&buf[..n])?;
        at += n as u64;
    }
    Ok(())
}

fn head_of(d: &District<'_>) -> DistrictJson {
    let years = d
        .totals
        .iter()
        .map(|(y, p)| {
            (
                y.to_string(),
                YearJson {
                    budget: p.budget.map(|a| a.rounded(2)),
                    actual: p.actual.map(|a| a.rounded(2)),
                    departments: d.counts.get(y).copied().unwrap_or(0),
                },
            )
        })
        .collect();
    DistrictJson {
        schema: SCHEMA,
        unit: "万元",
        name: d.name.clone(),
        years,
        departments: Vec::new(),
    }
}

fn department_json(
    d: &District<'_>,
    dep: &crate::analyze::Department<'_>,
    f: &crate::analyze::stats::DepartmentFigures,
) -> DepartmentJson {
    DepartmentJson {
        department: dep.name.clone(),
        slug: dep.slug.clone(),
        page: views::department_page(d, dep),
        district: d.name.clone(),
        series: f
            .years
            .iter()
            .map(|y| {
                (
                    y.year.to_string(),
                    SeriesJson {
                        budget: y.budget.map(|a| a.rounded(2)),
                        actual: y.actual.map(|a| a.rounded(2)),
                        budget_growth_percent: r2(y.budget_growth),
                        execution_percent: r2(y.execution),
                    },
                )
            })
            .collect(),
        cagr_percent: r2(f.cagr),
        evaluations: crate::output::evaluations::json_of(d, dep),
    }
}

/// Where the site's `data/district.json` (`write_site`) starts its list of departments.
pub fn site_list_start(model: &SiteModel<'_>, title: &str) -> u64 {
    list_start(&site_head(model, title))
}

/// Where `assemble_into` starts the list of departments after `head`.
fn list_start(head: &DistrictJson) -> u64 {
    let s = head_text(head);
    (s.len() - EMPTY.len() + b"[\n".len()) as u64
}

/// How a document without departments ends (`departments` is its last field).
const EMPTY: &str = "[]\n}";

/// The whole site as one `district/v1` document, every district's departments, years
/// summed, written to `out` piece by piece.
pub fn write_site(
    model: &SiteModel<'_>,
    per_district: &[DistrictData],
    title: &str,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // Every district's objects share one list, the site's whole.
    let list = per_district
        .first()
        .map(|d| (d.all.as_ref(), 0..d.all.list.len()));
    assemble_into(&site_head(model, title), list, out)
}

/// What the site's `data/district.json` is made of (`write_site`): its head and every
/// object's digest. Equal keys, equal bytes: the file need not be made to be compared.
pub fn site_file_key(model: &SiteModel<'_>, per_district: &[DistrictData], title: &str) -> u64 {
    let mut h = crate::hash::Fnv::new();
    h.text(&head_text(&site_head(model, title)));
    if let Some(d) = per_district.first() {
        d.all.hash_into(0..d.all.list.len(), &mut h);
    }
    std::hash::Hasher::finish(&h)
}

/// The site document without its departments: every district's years summed.
fn site_head(model: &SiteModel<'_>, title: &str) -> DistrictJson {
    let mut years: BTreeMap<String, YearJson> = BTreeMap::new();
    for d in &model.districts {
        for (y, p) in &d.totals {
            let entry = years.entry(y.to_string()).or_default();
            if let Some(b) = &p.budget {
                entry.budget.get_or_insert_with(Amounts::default).add(b);
            }
            if let Some(a) = &p.actual {
                entry.actual.get_or_insert_with(Amounts::default).add(a);
            }
            entry.departments += d.counts.get(y).copied().unwrap_or(0);
        }
    }
    for y in years.values_mut() {
        y.budget = y.budget.map(|a| a.rounded(2));
        y.actual = y.actual.map(|a| a.rounded(2));
    }
    DistrictJson {
        schema: SCHEMA,
        unit: "万元",
        name: title.to_owned(),
        years,
        departments: Vec::new(),
    }
}

/// A district's `district.json`, written to `out` piece by piece.
pub fn write_json(d: &DistrictData, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    assemble_into(&d.head, Some((d.all.as_ref(), d.range.clone())), out)
}

impl DistrictData {
    /// What the district's `district.json` is made of (`write_json`), as `site_file_key`.
    pub fn key(&self) -> u64 {
        let mut h = crate::hash::Fnv::new();
        h.text(&head_text(&self.head));
        self.all.hash_into(self.range.clone(), &mut h);
        std::hash::Hasher::finish(&h)
    }
}

/// A department's object as `serde_json::to_string_pretty` writes it two levels in (an item
/// of the document's `departments`): every line four spaces further right. Only the
/// formatting has raw line breaks (a string's are escaped), so this is the same text.
fn piece(dep: &DepartmentJson) -> String {
    let alone = serde_json::to_string_pretty(dep).expect("department JSON serialises");
    let mut out = String::with_capacity(alone.len() + 4 * (alone.len() / 16 + 1));
    for (i, line) in alone.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// The document `head` with `departments` in its list, byte for byte what
/// `serde_json::to_string_pretty` makes of the whole (and a final line break): the list is
/// the head's last field, so its empty `[]` is replaced by the pieces. (The build writes
/// it with `assemble_into`; this whole string is for the tests.)
#[cfg(test)]
fn assemble(head: &DistrictJson, departments: &[String], limit: usize) -> String {
    use std::io::Write;
    let mut made = SpillWriter::new(limit);
    let mut list = Vec::new();
    for d in departments {
        list.push(Object {
            made: true,
            at: made.len(),
            len: d.len() as u32,
            digest: crate::hash::digest(d.as_bytes()),
        });
        made.write_all(d.as_bytes()).expect("a temporary file");
    }
    let objects = Objects {
        made: made.finish().expect("a temporary file"),
        published: None,
        list,
    };
    let mut out = Vec::new();
    let list = Some((&objects, 0..objects.list.len()));
    assemble_into(head, list, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// The document without its departments, as `serde_json::to_string_pretty` writes it.
fn head_text(head: &DistrictJson) -> String {
    serde_json::to_string_pretty(head).expect("district JSON serialises")
}

/// `assemble` written to `out` piece by piece (a 20,000-department district's file is
/// 51 MB; the build writes it without making it whole). `list` is a range of the build's
/// department objects.
fn assemble_into(
    head: &DistrictJson,
    list: Option<(&Objects, std::ops::Range<usize>)>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let s = head_text(head);
    // `departments` is the struct's last field: never a document without its departments.
    assert!(s.ends_with(EMPTY), "district/v1 ends with its departments");
    if let Some((objects, range)) = list.filter(|l| !l.1.is_empty()) {
        out.write_all(&s.as_bytes()[..s.len() - EMPTY.len()])?;
        out.write_all(b"[\n")?;
        objects.copy_to(range, out)?;
        out.write_all(b"\n  ]\n}")?;
    } else {
        out.write_all(s.as_bytes())?;
    }
    out.write_all(b"\n")
}

/// A district's departments in one budget year, as a download (CSV/XLSX): every department
/// that filed a form that year, with its figures.
pub fn year_table(d: &District<'_>, figures: &DistrictFigures, year: i32) -> Table {
    let rows = crate::analyze::stats::departments_in_year(d, figures, year)
        .into_iter()
        .filter(|r| r.form.is_some())
        .map(|r| {
            let y = r.figures;
            let b = y.and_then(|y| y.budget);
            let a = y.and_then(|y| y.actual);
            // A layout without an income block (Fujian) leaves those cells empty, not 0.
            let bi = b.filter(|_| r.form.is_some_and(|f| f.facts.has_income));
            let pct = |v: Option<Decimal>| Cell::Percent(r2(v));
            vec![
                Cell::Text(r.department.name.clone()),
                Cell::Integer(i64::from(year)),
                // A figure the form left blank is an empty cell, as on its page (未填).
                Cell::Amount(bi.and_then(|b| b.filled(Row::IncomeTotal))),
                Cell::Amount(bi.and_then(|b| b.filled(Row::FiscalAppropriation))),
                Cell::Amount(bi.and_then(|b| b.filled(Row::Other))),
                Cell::Amount(b.and_then(|b| b.filled(Row::ExpenditureTotal))),
                Cell::Amount(b.and_then(|b| b.filled(Row::Basic))),
                Cell::Amount(b.and_then(|b| b.filled(Row::Project))),
                pct(y.and_then(|y| y.basic_share)),
                pct(y.and_then(|y| y.project_share)),
                pct(y.and_then(|y| y.fiscal_dependence)),
                pct(y.and_then(|y| y.budget_growth)),
                Cell::Amount(a.and_then(|a| a.filled(Row::ExpenditureTotal))),
                pct(y.and_then(|y| y.execution)),
                Cell::Integer(r.quality.map_or(0, |q| q.indicators as i64)),
                Cell::Amount(r.quality.map(|q| round(q.score, 2))),
                Cell::Integer(r.warnings() as i64),
            ]
        })
        .collect();
    Table {
        name: format!("{year}年部门预算"),
        headers: crate::output::datapackage::YEAR_TABLE
            .iter()
            .map(|f| f.name.to_owned())
            .collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn department(name: &str, with_series: bool) -> DepartmentJson {
        let amounts = Amounts {
            income_total: Decimal::new(15257, 2),
            fiscal_appropriation: Decimal::new(11287, 2),
            other: Decimal::new(3970, 2),
            ..Amounts::default()
        };
        let mut series = BTreeMap::new();
        if with_series {
            series.insert(
                "2021".to_owned(),
                SeriesJson {
                    budget: Some(amounts),
                    actual: None,
                    budget_growth_percent: Some(Decimal::new(-125, 2)),
                    execution_percent: None,
                },
            );
        }
        DepartmentJson {
            department: name.to_owned(),
            slug: "bu-men".to_owned(),
            page: "qu/bu-men.html".to_owned(),
            // A line break and quotes inside a string: escaped, so not re-indented.
            district: "示例区\n\"二\"".to_owned(),
            series,
            cagr_percent: Some(Decimal::new(310, 2)),
            evaluations: BTreeMap::new(),
        }
    }

    fn head(years: bool) -> DistrictJson {
        let mut y = BTreeMap::new();
        if years {
            y.insert(
                "2021".to_owned(),
                YearJson {
                    budget: None,
                    actual: None,
                    departments: 2,
                },
            );
        }
        DistrictJson {
            schema: SCHEMA,
            unit: "万元",
            name: "示例区".to_owned(),
            years: y,
            departments: Vec::new(),
        }
    }

    /// `Pieces` as a build records them for `pieces` joined in the list after `head`.
    fn recorded(head: &DistrictJson, pieces: &[String]) -> Pieces {
        let mut at = 0;
        let entries = pieces
            .iter()
            .enumerate()
            .map(|(k, p)| {
                if k > 0 {
                    at += 2;
                }
                let entry = (
                    k as u64,
                    at,
                    p.len() as u32,
                    crate::hash::digest(p.as_bytes()),
                );
                at += p.len() as u64;
                entry
            })
            .collect();
        Pieces {
            list_start: list_start(head),
            entries,
        }
    }

    #[test]
    fn objects_left_in_the_published_file_are_copied_from_it() {
        use std::io::Write;
        let names = ["甲", "乙", "丙", "丁"];
        let pieces: Vec<String> = names.iter().map(|n| piece(&department(n, true))).collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("district.json");
        std::fs::write(&path, assemble(&head(true), &pieces, usize::MAX)).unwrap();
        let reuse = Reuse::open(&path, &recorded(&head(true), &pieces)).unwrap();
        assert!(reuse.object(9).is_none(), "no object for an unknown key");
        // 甲 and 乙 (standing one after the other there: one copy), 丁 (not next to 乙
        // there), one made this build, then 丙 (before 丁 there).
        let new = piece(&department("戊", false));
        for limit in [usize::MAX, 0] {
            let mut made = SpillWriter::new(limit);
            made.write_all(new.as_bytes()).unwrap();
            let fresh = Object {
                made: true,
                at: 0,
                len: new.len() as u32,
                digest: crate::hash::digest(new.as_bytes()),
            };
            let old = |k| reuse.object(k).unwrap();
            let objects = Objects {
                made: made.finish().unwrap(),
                published: Some(std::fs::File::open(&path).unwrap()),
                list: vec![old(0), old(1), old(3), fresh, old(2)],
            };
            let mut out = Vec::new();
            objects.copy_to(0..5, &mut out).unwrap();
            let expected = [&pieces[0], &pieces[1], &pieces[3], &new, &pieces[2]];
            let expected: Vec<&str> = expected.iter().map(|p| p.as_str()).collect();
            assert_eq!(String::from_utf8(out).unwrap(), expected.join(",\n"));
            let mut part = Vec::new();
            objects.copy_to(1..4, &mut part).unwrap();
            assert_eq!(String::from_utf8(part).unwrap(), expected[1..4].join(",\n"));
        }
    }

    #[test]
    fn a_files_key_follows_its_head_and_its_objects_bytes() {
        let data = |head: DistrictJson, names: &[&str]| {
            let pieces: Vec<String> = names.iter().map(|n| piece(&department(n, true))).collect();
            let list = recorded(&head, &pieces)
                .entries
                .iter()
                .map(|&(_, at, len, digest)| Object {
                    made: true,
                    at,
                    len,
                    digest,
                })
                .collect();
            let all = Arc::new(Objects {
                made: Spilled::Memory(pieces.join(",\n").into_bytes()),
                published: None,
                list,
            });
            DistrictData {
                head,
                range: 0..all.list.len(),
                all,
            }
        };
        let key = data(head(true), &["甲", "乙"]).key();
        assert_eq!(key, data(head(true), &["甲", "乙"]).key());
        assert_ne!(
            key,
            data(head(true), &["甲", "丙"]).key(),
            "an object changed"
        );
        assert_ne!(key, data(head(true), &["乙", "甲"]).key(), "their order");
        assert_ne!(key, data(head(true), &["甲"]).key(), "one gone");
        assert_ne!(
            key,
            data(head(false), &["甲", "乙"]).key(),
            "the head changed"
        );
    }

    #[test]
    fn the_spliced_document_is_what_serde_json_writes_of_the_whole() {
        let cases = [
            vec![],
            vec![department("甲", true)],
            vec![department("甲", true), department("乙", false)],
        ];
        for years in [false, true] {
            for deps in &cases {
                let pieces: Vec<String> = deps.iter().map(piece).collect();
                let mut whole = head(years);
                whole.departments = deps.clone();
                let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
                // In memory, and from a temporary file (the limit passed at the first byte).
                for limit in [usize::MAX, 0] {
                    assert_eq!(
                        assemble(&head(years), &pieces, limit),
                        expected,
                        "district.json of {} department(s) differs from serde_json's",
                        deps.len()
                    );
                }
                // Where the next build finds the first department's object (`Pieces`).
                if let Some(first) = pieces.first() {
                    let at = list_start(&head(years)) as usize;
                    assert_eq!(&expected[at..at + first.len()], first);
                }
            }
        }
    }
}
