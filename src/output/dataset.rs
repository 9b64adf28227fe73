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
/// `write_json` and `write_site` write. The departments are most of the file (8 MB for 2,000
/// of them, 51 MB for 20,000) and the site's file repeats every district's: each is serialised
/// once per build, in parallel, and written into both, piece by piece (neither file is ever
/// whole in memory). Held until both are written, every district's go into one buffer, in a
/// temporary file past `spill::SPILL_OVER` (`districts`): the site's list is the whole buffer,
/// a district's its range of it. (A 20,000-department district's held 55 MB to the end of the
/// build; a buffer per district kept 160 districts of 125 under the limit, in memory.)
#[derive(Debug)]
pub struct DistrictData {
    /// The document without its departments (`departments` empty).
    head: DistrictJson,
    /// Every district's department objects as they stand in the site's `departments`
    /// (`piece`), joined by `,\n`.
    all: Arc<Spilled>,
    /// This district's: where they start in `all`, and how many bytes.
    range: (u64, u64),
}

/// How many departments' objects are made at a time (in parallel), then written out.
const BLOCK: usize = 512;

/// Where each department's object stands in the site's `data/district.json`, by the key of
/// what it is made from (the department's page key, `build::jobs::department_key`): the
/// next build copies an unchanged department's object from the published file instead of
/// making it again (`Reuse`). At 2,000 departments making them was ~24 ms of CPU in a
/// rebuild after one changed form.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pieces {
    /// Where the list of objects starts in the file.
    pub list_start: u64,
    /// Each object's key, where it starts (from `list_start`) and its length.
    pub entries: Vec<(u64, u64, u32)>,
}

/// The published site's `data/district.json` with its `Pieces`: objects to copy.
pub struct Reuse {
    file: std::fs::File,
    list_start: u64,
    by_key: std::collections::HashMap<u64, (u64, u32)>,
}

impl Reuse {
    /// The objects of the file at `path` as `pieces` says (the caller has checked that the
    /// file is still as the build that recorded them published it).
    pub fn open(path: &std::path::Path, pieces: &Pieces) -> Option<Reuse> {
        Some(Reuse {
            file: std::fs::File::open(path).ok()?,
            list_start: pieces.list_start,
            by_key: pieces
                .entries
                .iter()
                .map(|&(key, at, len)| (key, (at, len)))
                .collect(),
        })
    }

    /// The object made from `key` last time, read back from the file; None if there is
    /// none, or what is there does not read as one (then it is made again).
    fn piece(&self, key: u64) -> Option<String> {
        let &(at, len) = self.by_key.get(&key)?;
        let mut bytes = vec![0; len as usize];
        read_at(&self.file, &mut bytes, self.list_start.checked_add(at)?).ok()?;
        let piece = String::from_utf8(bytes).ok()?;
        (piece.starts_with("    {") && piece.ends_with('}')).then_some(piece)
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
/// or copied through `reuse` where their key in `keys` is unchanged: a key per department,
/// in the districts' order), with their `Pieces` for the next build (`list_start` to be set
/// once the site's head is known: `site_list_start`).
pub fn districts(
    districts: &[District<'_>],
    figures: &[DistrictFigures],
    keys: &[Vec<u64>],
    reuse: Option<&Reuse>,
) -> std::io::Result<(Vec<DistrictData>, Pieces)> {
    districts_spilling_over(districts, figures, keys, reuse, SPILL_OVER)
}

fn districts_spilling_over(
    districts: &[District<'_>],
    figures: &[DistrictFigures],
    keys: &[Vec<u64>],
    reuse: Option<&Reuse>,
    limit: usize,
) -> std::io::Result<(Vec<DistrictData>, Pieces)> {
    use std::io::Write;
    let mut all = SpillWriter::new(limit);
    let mut ranges = Vec::with_capacity(districts.len());
    let mut entries = Vec::new();
    for ((d, figures), keys) in districts.iter().zip(figures).zip(keys) {
        if !d.departments.is_empty() && !all.is_empty() {
            all.write_all(b",\n")?;
        }
        let start = all.len();
        for ((deps, figures), keys) in d
            .departments
            .chunks(BLOCK)
            .zip(figures.departments.chunks(BLOCK))
            .zip(keys.chunks(BLOCK))
        {
            let pieces: Vec<(u64, String)> = deps
                .par_iter()
                .zip(figures)
                .zip(keys)
                .map(|((dep, f), &key)| {
                    let piece = reuse
                        .and_then(|r| r.piece(key))
                        .unwrap_or_else(|| piece(&department_json(d, dep, f)));
                    (key, piece)
                })
                .collect();
            for (key, p) in pieces {
                if all.len() > start {
                    all.write_all(b",\n")?;
                }
                entries.push((key, all.len(), p.len() as u32));
                all.write_all(p.as_bytes())?;
            }
        }
        ranges.push((start, all.len() - start));
    }
    let all = Arc::new(all.finish()?);
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
    let s = serde_json::to_string_pretty(head).expect("district JSON serialises");
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
    // Every district's pieces share one buffer, the site's list whole.
    let list = per_district
        .first()
        .map(|d| (d.all.as_ref(), 0, d.all.len()));
    assemble_into(&site_head(model, title), list, out)
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
    assemble_into(&d.head, Some((d.all.as_ref(), d.range.0, d.range.1)), out)
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
    let mut joined = SpillWriter::new(limit);
    joined
        .write_all(departments.join(",\n").as_bytes())
        .expect("a temporary file");
    let joined = joined.finish().expect("a temporary file");
    let mut out = Vec::new();
    let list = Some((&joined, 0, joined.len()));
    assemble_into(head, list, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// `assemble` written to `out` piece by piece (a 20,000-department district's file is
/// 51 MB; the build writes it without making it whole). `lists` are runs of department
/// objects joined by `,\n`: `list` is a range (start, length) of a buffer of them.
fn assemble_into(
    head: &DistrictJson,
    list: Option<(&Spilled, u64, u64)>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let s = serde_json::to_string_pretty(head).expect("district JSON serialises");
    // `departments` is the struct's last field: never a document without its departments.
    assert!(s.ends_with(EMPTY), "district/v1 ends with its departments");
    if let Some((buffer, start, len)) = list.filter(|l| l.2 > 0) {
        out.write_all(&s.as_bytes()[..s.len() - EMPTY.len()])?;
        out.write_all(b"[\n")?;
        buffer.copy_range_to(start, len, out)?;
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
