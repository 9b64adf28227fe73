//! What changed in this build, for followers: an Atom feed for the site (`feed.xml`) and per
//! district (`<district>/feed.xml`), an entry per department whose published forms were added,
//! changed or removed, or whose form was withheld for errors, since the previous build.
//!
//! The previous build's state is the published `data/changes.json` (schema `changes/v1`): each
//! department's forms as last published (budget spending, indicator count, a digest of the
//! form's content, withheld years) and the entries so far, the last 200 per district. A build
//! reads it from the output folder, compares, prepends its new entries, and writes it again;
//! the feeds are rendered from it alone. So an unchanged build leaves every byte as it was,
//! and the same inputs over the same previous site give the same bytes. An entry's time is
//! `SOURCE_DATE_EPOCH` when set; otherwise one second after the newest entry before it, and at
//! least 1 January of the newest budget year (never the clock). A district gone from the site
//! (its folder removed, or every form in it withheld) keeps its entries in the state, so the
//! site's feed says what became of its departments and still lists what it said before.

use crate::analyze::{District, SiteModel};
use crate::format::thousands;
use crate::hash::Fnv;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

pub const SCHEMA: &str = "changes/v1";
/// The state file, from the site root.
pub const STATE_PATH: &str = "data/changes.json";
pub const SITE_FEED: &str = "feed.xml";
/// Entries kept per feed.
pub const KEEP: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
pub struct State {
    pub schema: String,
    /// By district address.
    pub districts: BTreeMap<String, DistrictState>,
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
pub struct DistrictState {
    pub name: String,
    /// By department key.
    pub departments: BTreeMap<String, DepartmentState>,
    /// Newest first, at most [`KEEP`].
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
pub struct DepartmentState {
    pub name: String,
    /// The department's page from the site root, or the report's anchor for a department
    /// with withheld forms only.
    pub link: String,
    /// Published forms by budget year.
    pub forms: BTreeMap<i32, FormState>,
    /// Budget years of forms withheld for errors.
    pub withheld: BTreeSet<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormState {
    /// Budget spending in 万元, exact, as text (`"286.41"`).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub expenditure: Option<Decimal>,
    pub indicators: usize,
    /// A digest of what the form says (figures, goals, indicators): a change of the text's
    /// layout alone is no change.
    pub digest: String,
}

/// As it is written: `286.4` and `286.40` are equal decimals (and hash alike as such), but
/// not the same text in the state.
impl Hash for FormState {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.expenditure.map(|v| v.serialize()).hash(state);
        self.indicators.hash(state);
        self.digest.hash(state);
    }
}

#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    /// RFC 3339, UTC.
    pub updated: String,
    pub seconds: i64,
    pub department: String,
    pub title: String,
    pub summary: String,
    /// From the site root.
    pub link: String,
}

/// The previous build's state, from the published site (none on a first build, or when it is
/// unreadable).
pub fn read_previous(output: &std::path::Path) -> Option<State> {
    let bytes = std::fs::read(output.join(STATE_PATH)).ok()?;
    serde_json::from_slice::<State>(&bytes)
        .ok()
        .filter(|s| s.schema == SCHEMA)
}

/// Where a district's feed is published.
pub fn district_feed(d: &District<'_>) -> String {
    format!("{}/feed.xml", d.slug)
}

fn current(d: &District<'_>) -> BTreeMap<String, DepartmentState> {
    // Departments in parallel (the states of 20,000 departments).
    let states: Vec<(String, DepartmentState)> = d
        .departments
        .par_iter()
        .map(|dep| {
            (
                dep.key.clone(),
                DepartmentState {
                    name: dep.name.clone(),
                    link: crate::output::views::department_page(d, dep),
                    forms: dep
                        .forms
                        .iter()
                        .map(|f| {
                            let spending = f.facts.row(crate::model::Row::ExpenditureTotal).budget;
                            (
                                f.year,
                                FormState {
                                    expenditure: spending.map(|v| crate::format::round(v, 2)),
                                    indicators: f.indicator_count(),
                                    digest: format!("{:016x}", f.facts.content_digest),
                                },
                            )
                        })
                        .collect(),
                    withheld: BTreeSet::new(),
                },
            )
        })
        .collect();
    let mut out: BTreeMap<String, DepartmentState> = states.into_iter().collect();
    for w in &d.withheld_only {
        out.entry(w.key.clone()).or_insert_with(|| DepartmentState {
            name: w.name.chars().take(60).collect(),
            link: w.report_href.clone(),
            ..DepartmentState::default()
        });
    }
    for (key, year) in d.withheld.keys() {
        if let Some(dep) = out.get_mut(key) {
            dep.withheld.insert(*year);
        }
    }
    // A withheld form's name can be its error (`field-too-long`): never published whole.
    out.into_iter()
        .map(|(key, dep)| {
            if key.chars().count() <= 200 {
                return (key, dep);
            }
            let mut h = Fnv::new();
            h.text(&key);
            let short: String = key.chars().take(60).collect();
            (format!("{short}…{:016x}", h.finish()), dep)
        })
        .collect()
}

fn wan(v: Option<Decimal>) -> String {
    v.map_or_else(|| "未填".to_owned(), |v| format!("{} 万元", thousands(v)))
}

/// What a part of an entry's summary says happened to a form: its headline follows from these.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Happened {
    New,
    Withdrawn,
    /// Withheld for errors (taken down, or never published).
    Errors,
    Updated,
}

/// What changed for one department, in words, each part with its kind; empty when nothing
/// did.
fn summary(
    before: Option<&DepartmentState>,
    now: Option<&DepartmentState>,
) -> Vec<(Happened, String)> {
    let empty = DepartmentState::default();
    let (b, n) = (before.unwrap_or(&empty), now.unwrap_or(&empty));
    let mut parts = Vec::new();
    let years: BTreeSet<i32> = b.forms.keys().chain(n.forms.keys()).copied().collect();
    for y in years.iter().rev() {
        match (b.forms.get(y), n.forms.get(y)) {
            (None, Some(f)) => parts.push((
                Happened::New,
                format!(
                    "新增{y}年度申报表：预算支出 {}，{} 项指标",
                    wan(f.expenditure),
                    f.indicators
                ),
            )),
            (Some(_), None) if n.withheld.contains(y) => {
                parts.push((
                    Happened::Errors,
                    format!("{y}年度申报表有错误，已撤下，未发布"),
                ));
            }
            (Some(_), None) => parts.push((Happened::Withdrawn, format!("{y}年度申报表已撤下"))),
            (Some(old), Some(f)) if old != f => {
                let mut said = Vec::new();
                if old.expenditure != f.expenditure {
                    said.push(format!(
                        "{y}年预算支出 {} → {}",
                        old.expenditure.map_or_else(|| "未填".to_owned(), thousands),
                        wan(f.expenditure)
                    ));
                }
                match f.indicators.cmp(&old.indicators) {
                    std::cmp::Ordering::Greater => {
                        said.push(format!("新增 {} 项指标", f.indicators - old.indicators));
                    }
                    std::cmp::Ordering::Less => {
                        said.push(format!("减少 {} 项指标", old.indicators - f.indicators));
                    }
                    std::cmp::Ordering::Equal => {}
                }
                if said.is_empty() {
                    said.push(format!("{y}年度申报表内容有修改（目标、指标或往年数）"));
                }
                parts.extend(said.into_iter().map(|s| (Happened::Updated, s)));
            }
            _ => {}
        }
    }
    for y in n.withheld.difference(&b.withheld) {
        if !b.forms.contains_key(y) || n.forms.contains_key(y) {
            parts.push((Happened::Errors, format!("{y}年度申报表有错误，未发布")));
        }
    }
    parts
}

fn timestamp(seconds: i64) -> String {
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Seconds since 1970 of 1 January of `year`, UTC.
fn new_year(year: i32) -> i64 {
    let y = i64::from(year) - 1;
    (365 * (y - 1969) + (y / 4 - 492) - (y / 100 - 19) + (y / 400 - 4)) * 86_400
}

/// `SOURCE_DATE_EPOCH`, if set to a number of seconds.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

/// The state after this build: `previous` with the changes of `model` recorded.
pub fn next(previous: Option<&State>, model: &SiteModel<'_>, epoch: Option<i64>) -> State {
    let empty = State::default();
    let previous = previous.unwrap_or(&empty);
    let newest_before = previous
        .districts
        .values()
        .flat_map(|d| d.entries.first())
        .map(|e| e.seconds)
        .max();
    let newest_year = model
        .districts
        .iter()
        .flat_map(|d| d.years.iter().copied())
        .max()
        .unwrap_or(1970);
    let seconds = epoch.unwrap_or_else(|| {
        newest_before
            .map_or(i64::MIN, |s| s + 1)
            .max(new_year(newest_year))
    });
    let updated = timestamp(seconds);
    let mut districts = BTreeMap::new();
    for d in &model.districts {
        let before = previous.districts.get(&d.slug);
        let now = current(d);
        let keys: BTreeSet<&String> = now
            .keys()
            .chain(before.iter().flat_map(|b| b.departments.keys()))
            .collect();
        // A department gone from the site: its district's page.
        let gone = crate::output::views::district_index(d);
        let changes = keys.into_iter().map(|key| Change {
            key,
            was: before.and_then(|b| b.departments.get(key)),
            is: now.get(key),
            gone: &gone,
        });
        let entries = entries(&d.slug, changes, &updated, seconds, before);
        districts.insert(
            d.slug.clone(),
            DistrictState {
                name: d.name.clone(),
                departments: now,
                entries,
            },
        );
    }
    // A district gone from the site (its folder removed, or every form in it withheld for
    // errors) has no page and no feed of its own: the site's feed says its departments were
    // taken down (for errors, where a withheld form names them), and keeps its entries.
    let withheld: BTreeSet<(&str, i32)> = model
        .unpublished
        .iter()
        .filter_map(|u| Some((u.department.as_deref()?, u.year?)))
        .collect();
    for (slug, before) in &previous.districts {
        if districts.contains_key(slug) {
            continue;
        }
        // Each department as it is now: no forms, no page; withheld where a form names it.
        let now: Vec<(&String, &DepartmentState, DepartmentState)> = before
            .departments
            .iter()
            .map(|(key, was)| {
                let years = was.forms.keys().chain(&was.withheld);
                let withheld = years
                    .filter(|y| withheld.contains(&(key.as_str(), **y)))
                    .copied()
                    .collect();
                let is = DepartmentState {
                    name: was.name.clone(),
                    withheld,
                    ..DepartmentState::default()
                };
                (key, was, is)
            })
            .collect();
        let changes = now.iter().map(|(key, was, is)| Change {
            key,
            was: Some(was),
            is: Some(is),
            gone: "index.html",
        });
        let entries = entries(slug, changes, &updated, seconds, Some(before));
        if !entries.is_empty() {
            districts.insert(
                slug.clone(),
                DistrictState {
                    name: before.name.clone(),
                    departments: BTreeMap::new(),
                    entries,
                },
            );
        }
    }
    State {
        schema: SCHEMA.to_owned(),
        districts,
    }
}

/// One department's state before and after this build, by its key; `gone` is where its entry
/// links when the department is no longer on the site.
struct Change<'k> {
    key: &'k str,
    was: Option<&'k DepartmentState>,
    is: Option<&'k DepartmentState>,
    gone: &'k str,
}

/// A district's entries after this build: one per department whose state changed, by name,
/// then `before`'s, the last [`KEEP`].
fn entries<'k>(
    slug: &str,
    changes: impl Iterator<Item = Change<'k>>,
    updated: &str,
    seconds: i64,
    before: Option<&DistrictState>,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    for Change { key, was, is, gone } in changes {
        let parts = summary(was, is);
        if parts.is_empty() {
            continue;
        }
        let dep = is.or(was).expect("a department on one side");
        let summary = joined(&parts);
        let mut h = Fnv::new();
        for s in [slug, key, updated, &summary] {
            h.text(s);
        }
        let a = h.finish();
        h.text("second half");
        let b = h.finish();
        entries.push(Entry {
            id: uuid(a, b),
            updated: updated.to_owned(),
            seconds,
            department: dep.name.clone(),
            title: format!("{}：{}", dep.name, headline(&parts)),
            summary,
            // Its page (or its findings) while it is on the site, else `gone`.
            link: match is {
                Some(d) if !d.link.is_empty() => d.link.clone(),
                _ => gone.to_owned(),
            },
        });
    }
    // Newest first: this build's entries by name, then the earlier ones as they were.
    entries.sort_by(|x, y| crate::collate::names(&x.department, &y.department));
    entries.extend(before.iter().flat_map(|b| b.entries.iter().cloned()));
    entries.truncate(KEEP);
    entries
}

/// The summary's parts as the entry says them.
fn joined(parts: &[(Happened, String)]) -> String {
    parts
        .iter()
        .map(|p| p.1.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

fn headline(parts: &[(Happened, String)]) -> &'static str {
    let any = |c: Happened| parts.iter().any(|p| p.0 == c);
    if any(Happened::Errors) {
        "申报表有错误，未发布"
    } else if parts.iter().all(|p| p.0 == Happened::New) {
        "新增申报表"
    } else if any(Happened::Withdrawn) {
        "申报表撤下"
    } else {
        "申报表有更新"
    }
}

/// An `urn:uuid:` (version 8, the bits from two hashes) that stays the entry's id for good.
fn uuid(a: u64, b: u64) -> String {
    let a = (a & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_8000;
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "urn:uuid:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// What `write_state` makes of `s`, as a key (`publish::writer::Writer::keep`): another key,
/// other bytes.
pub fn key(s: &State) -> u64 {
    let mut h = Fnv::new();
    s.hash(&mut h);
    h.finish()
}

pub fn state_json(s: &State) -> String {
    let mut out = Vec::new();
    write_state(s, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// `state_json` written to `out` as it is serialised (13 MB at 20,000 departments).
pub fn write_state(s: &State, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, s)?;
    out.write_all(b"\n")
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An Atom feed of `entries` (newest first); links are written relative to the feed's folder
/// (`up` is `""` at the site root, `"../"` in a district's folder).
fn atom(id_seed: &str, title: &str, author: &str, entries: &[&Entry], up: &str) -> String {
    let mut h = Fnv::new();
    h.text(id_seed);
    let a = h.finish();
    h.text("feed");
    let id = uuid(a, h.finish());
    let updated = entries
        .iter()
        .map(|e| (e.seconds, &e.updated))
        .max()
        .map_or_else(|| timestamp(0), |(_, u)| u.clone());
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    out.push_str(&format!("<id>{id}</id>\n"));
    out.push_str(&format!("<title>{}</title>\n", xml(title)));
    out.push_str("<subtitle>每次构建中申报表新增、更新、撤下或因错误未发布的部门</subtitle>\n");
    out.push_str(&format!("<updated>{updated}</updated>\n"));
    out.push_str("<link rel=\"self\" type=\"application/atom+xml\" href=\"feed.xml\"/>\n");
    out.push_str("<link rel=\"alternate\" type=\"text/html\" href=\"index.html\"/>\n");
    out.push_str(&format!("<author><name>{}</name></author>\n", xml(author)));
    out.push_str("<generator>budgetsite</generator>\n");
    for e in entries {
        out.push_str("<entry>\n");
        out.push_str(&format!("<id>{}</id>\n", e.id));
        out.push_str(&format!("<title>{}</title>\n", xml(&e.title)));
        out.push_str(&format!("<updated>{}</updated>\n", e.updated));
        out.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&format!("{up}{}", e.link))
        ));
        out.push_str(&format!(
            "<summary type=\"text\">{}</summary>\n",
            xml(&e.summary)
        ));
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The site's feed: every district's entries, newest first, the last [`KEEP`].
pub fn site_feed(state: &State, title: &str) -> String {
    let mut all: Vec<&Entry> = state.districts.values().flat_map(|d| &d.entries).collect();
    // Stable: newest first; within one build, in district order and then as listed.
    all.sort_by_key(|e| std::cmp::Reverse(e.seconds));
    all.truncate(KEEP);
    atom("site", &format!("{title}：更新"), title, &all, "")
}

/// A district's feed.
pub fn district_feed_xml(state: &State, d: &District<'_>, title: &str) -> String {
    let entries: Vec<&Entry> = state
        .districts
        .get(&d.slug)
        .map(|s| s.entries.iter().collect())
        .unwrap_or_default();
    atom(
        &format!("district {}", d.slug),
        &format!("{} · {title}：更新", d.name),
        title,
        &entries,
        "../",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_in_utc() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_764_720_000 + 3_723), "2025-12-03T01:02:03Z");
        assert_eq!(new_year(1970), 0);
        assert_eq!(timestamp(new_year(2024)), "2024-01-01T00:00:00Z");
        assert_eq!(timestamp(new_year(2001)), "2001-01-01T00:00:00Z");
        // Across the century and 400-year rules, and before 1970 (from Python's datetime).
        for (seconds, date) in [
            (4_107_456_000, "2100-02-28"),
            (4_107_542_400, "2100-03-01"),
            (13_569_379_200, "2399-12-31"),
            (13_574_563_200, "2400-02-29"),
            (13_574_649_600, "2400-03-01"),
            (-2_203_977_600, "1900-02-28"),
            (-2_203_891_200, "1900-03-01"),
            (-86_400 + 59, "1969-12-31"),
        ] {
            let want = if seconds < 0 && seconds % 86_400 != 0 {
                format!("{date}T00:00:59Z")
            } else {
                format!("{date}T00:00:00Z")
            };
            assert_eq!(timestamp(seconds), want, "{seconds}");
        }
    }

    /// The headline names a new form only when every part is a new form: a form that gained
    /// indicators is updated, not new.
    #[test]
    fn the_headline_says_new_only_for_new_forms() {
        let form = |indicators, spending: &str| FormState {
            expenditure: Some(spending.parse().unwrap()),
            indicators,
            digest: format!("{indicators}-{spending}"),
        };
        let state = |forms: Vec<(i32, FormState)>| DepartmentState {
            name: "甲".into(),
            link: "a.html".into(),
            forms: forms.into_iter().collect(),
            withheld: BTreeSet::new(),
        };
        let headline_of = |was: &DepartmentState, is: &DepartmentState| {
            let parts = summary(Some(was), Some(is));
            (headline(&parts), joined(&parts))
        };
        let before = state(vec![(2020, form(11, "286.41"))]);
        assert_eq!(
            headline_of(&before, &state(vec![(2020, form(13, "286.41"))])),
            ("申报表有更新", "新增 2 项指标".to_owned())
        );
        assert_eq!(
            headline_of(&before, &state(vec![(2020, form(13, "300"))])),
            (
                "申报表有更新",
                "2020年预算支出 286.41 → 300.00 万元；新增 2 项指标".to_owned()
            )
        );
        assert_eq!(
            headline_of(
                &before,
                &state(vec![(2020, form(11, "286.41")), (2021, form(12, "300"))])
            ),
            (
                "新增申报表",
                "新增2021年度申报表：预算支出 300.00 万元，12 项指标".to_owned()
            )
        );
        assert_eq!(
            headline_of(
                &before,
                &state(vec![(2020, form(12, "286.41")), (2021, form(12, "300"))])
            )
            .0,
            "申报表有更新",
            "a new form and an updated one"
        );
    }

    #[test]
    fn ids_are_uuids() {
        let id = uuid(u64::MAX, 0);
        assert_eq!(id.len(), "urn:uuid:".len() + 36);
        assert_eq!(&id[9 + 14..9 + 15], "8", "version 8: {id}");
        assert!(matches!(&id[9 + 19..9 + 20], "8" | "9" | "a" | "b"), "{id}");
        // The hashes' bits but the version's four and the variant's two.
        assert_eq!(
            uuid(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210),
            "urn:uuid:01234567-89ab-8def-bedc-ba9876543210"
        );
    }

    #[test]
    fn the_state_reads_back_as_written() {
        let mut forms = BTreeMap::new();
        forms.insert(
            2020,
            FormState {
                expenditure: Some("286.41".parse().unwrap()),
                indicators: 11,
                digest: "x".into(),
            },
        );
        let mut departments = BTreeMap::new();
        departments.insert(
            "甲".to_owned(),
            DepartmentState {
                name: "甲".into(),
                link: "a.html".into(),
                forms,
                withheld: [2021].into(),
            },
        );
        let mut state = State {
            schema: SCHEMA.into(),
            ..State::default()
        };
        state.districts.insert(
            "qu".into(),
            DistrictState {
                name: "区".into(),
                departments,
                entries: Vec::new(),
            },
        );
        let text = state_json(&state);
        let back: State = serde_json::from_str(&text).unwrap();
        assert_eq!(back, state);
        // The key follows the text: the same after a round trip, another for another scale
        // of an equal figure, or another count.
        assert_eq!(key(&back), key(&state));
        fn form(s: &mut State) -> &mut FormState {
            let d = s.districts.get_mut("qu").unwrap();
            d.departments
                .get_mut("甲")
                .unwrap()
                .forms
                .get_mut(&2020)
                .unwrap()
        }
        let mut other = state.clone();
        form(&mut other).expenditure = Some("286.410".parse().unwrap());
        assert_eq!(other, state, "equal decimals");
        assert_ne!(state_json(&other), text);
        assert_ne!(key(&other), key(&state));
        let mut other = state.clone();
        form(&mut other).indicators = 12;
        assert_ne!(key(&other), key(&state));
    }

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(
            xml("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }
}
