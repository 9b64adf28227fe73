//! The downloads as tools read them: every `datapackage.json` (the site's and each district's)
//! is valid under `frictionless validate` (Python frictionless 5: schemas, types, primary and
//! foreign keys checked against the files' rows) and lists every CSV and JSON download. Needs
//! Python with frictionless (`.ci/run` installs it, pinned); fails in CI without it, unless
//! `BUDGETSITE_SKIP_PYTHON=1` says to skip (which is then printed on stderr).

use crate::common;
use budgetsite_gen::{generate, FormLayout, GenOptions, Plant, QuirkLevel};
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const PYTHON_TOOLS: &str = "pip install frictionless==5.18.1 feedparser==6.0.11";

/// Whether `python3` can import `module`, or the test is skipped (None).
pub fn python_with(module: &str) -> Option<()> {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if skip_without(
        ok,
        &format!("Python with {module}"),
        "BUDGETSITE_SKIP_PYTHON",
        PYTHON_TOOLS,
    ) {
        return None;
    }
    Some(())
}

/// `frictionless validate` on each package, in one Python process (its start, importing
/// frictionless, costs more than validating a small package): the reports in order, as the
/// command line's `--json` prints them (`Report.to_dict`).
fn validate(packages: &[PathBuf]) -> Vec<Value> {
    let o = Command::new("python3")
        .args([
            "-c",
            "import json, sys\nfrom frictionless import validate\n\
             print(json.dumps([validate(p).to_dict() for p in sys.argv[1:]]))",
        ])
        .args(packages)
        .output()
        .unwrap();
    let reports: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{packages:?}: frictionless gave no report ({e}): {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    assert_eq!(reports.len(), packages.len());
    reports
}

fn errors(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].to_string())
        .collect();
    for t in report["tasks"].as_array().unwrap() {
        for e in t["errors"].as_array().unwrap() {
            out.push(format!("{}: {}", t["place"], e["message"]));
        }
    }
    out
}

/// A generated district with every layout, quirk and planted error, built into `dir`/public.
pub fn generated_site(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    generate(
        &GenOptions {
            seed: 11,
            departments: 10,
            years: vec![2021, 2022, 2023],
            quirks: QuirkLevel::All,
            plant: Plant::All,
            layouts: FormLayout::ALL.to_vec(),
            json_share: 20,
            renames: 1,
            singletons: 2,
            ..GenOptions::default()
        },
        &input,
    )
    .unwrap();
    let public = dir.join("public");
    let o = bin()
        .args(["build", "--no-cache", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&public)
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    public
}

/// The CSV and JSON downloads under `folder` of the site (relative to it).
fn downloads(public: &Path, folder: &str) -> BTreeSet<String> {
    tree(&public.join(folder))
        .into_keys()
        .filter(|k| k.ends_with(".csv") || k.ends_with(".json"))
        .filter(|k| !k.ends_with("datapackage.json"))
        .collect()
}

/// Checks every `datapackage.json` of the site against its folder's downloads; returns each
/// package's path and how many resources it lists, for `validate`.
fn check_packages(public: &Path) -> Vec<(PathBuf, usize)> {
    let site = tree(public);
    let packages: Vec<&String> = site
        .keys()
        .filter(|k| k.ends_with("datapackage.json"))
        .collect();
    assert!(packages.contains(&&"datapackage.json".to_owned()));
    for rel in &packages {
        let folder = rel.trim_end_matches("datapackage.json");
        let package: Value = serde_json::from_slice(&site[*rel]).unwrap();
        let resources = package["resources"].as_array().unwrap();
        // Every CSV and JSON download of the folder is a resource, and nothing else is.
        let listed: BTreeSet<String> = resources
            .iter()
            .map(|r| r["path"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(listed, downloads(public, folder), "{rel}");
        for r in resources {
            let path = r["path"].as_str().unwrap();
            assert!(!path.contains("..") && !path.starts_with('/'), "{path}");
            if !path.ends_with(".csv") {
                assert_eq!(r["format"], "json", "{rel}: {path}");
                continue;
            }
            // The schema names the file's columns in order, with their units and a title.
            let text = String::from_utf8_lossy(&site[&format!("{folder}{path}")]).into_owned();
            let header: Vec<&str> = text
                .trim_start_matches('\u{feff}')
                .lines()
                .next()
                .unwrap()
                .split(',')
                .collect();
            let fields = r["schema"]["fields"].as_array().unwrap();
            let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
            assert_eq!(names, header, "{rel}: {path}");
            for f in fields {
                let name = f["name"].as_str().unwrap();
                let unit = f["unit"].as_str();
                if name.contains("（万元）") {
                    assert_eq!(unit, Some("万元"), "{name}");
                    assert_eq!(f["currency"], "CNY", "{name}");
                    assert_eq!(f["factor"], 10000, "{name}");
                } else if name.contains("（%）") {
                    assert_eq!(unit, Some("%"), "{name}");
                }
                assert!(
                    f["title"].as_str().is_some_and(|t| !t.is_empty())
                        && f["description"].as_str().is_some_and(|t| !t.is_empty())
                );
            }
            // A department's row of a year: the budget tables key by 预算年度, the
            // self-evaluations' table (issue 19) by the year evaluated, 年度; the changed
            // targets of a year by department and the change's number within it.
            let key = &r["schema"]["primaryKey"];
            assert!(
                *key == serde_json::json!(["部门", "预算年度"])
                    || (rel_name(r).contains("self-evaluations")
                        && *key == serde_json::json!(["部门", "年度"]))
                    || (rel_name(r).contains("changed-targets")
                        && *key == serde_json::json!(["部门", "序号"])),
                "{}: primary key {key}",
                rel_name(r)
            );
        }
    }
    packages
        .iter()
        .map(|rel| {
            let package: Value = serde_json::from_slice(&site[*rel]).unwrap();
            (
                public.join(rel),
                package["resources"].as_array().unwrap().len(),
            )
        })
        .collect()
}

#[test]
fn every_data_package_is_valid_and_lists_every_download() {
    if python_with("frictionless").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bundled = common::bundled_site();
    // The site's package and one per district (the bundled site has three).
    let mut packages = check_packages(bundled);
    assert_eq!(packages.len(), 4);
    let generated = dir.path().join("generated");
    std::fs::create_dir_all(&generated).unwrap();
    let generated = generated_site(&generated);
    let of_generated = check_packages(&generated);
    assert_eq!(of_generated.len(), 2);
    packages.extend(of_generated);

    // The district's latest table is keyed to its year's table, and a row that breaks the
    // schema (a word for an amount) or the key is found: the validation reads the rows. Each
    // break in a copy of the district's folder, so that one process validates everything.
    let site = tree(&generated);
    let package = site
        .keys()
        .find(|k| k.ends_with("/datapackage.json"))
        .unwrap()
        .clone();
    let folder = generated.join(package.trim_end_matches("datapackage.json"));
    let v: Value = serde_json::from_slice(&site[&package]).unwrap();
    let latest = &v["resources"][0];
    assert_eq!(latest["path"], "data/departments.csv");
    let reference = latest["schema"]["foreignKeys"][0]["reference"]["resource"]
        .as_str()
        .unwrap();
    assert!(reference.starts_with("departments-20"), "{reference}");
    let text = std::fs::read_to_string(folder.join("data/departments.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    let mut broken = |name: &str, cells: &[String]| {
        let copy = dir.path().join(name);
        copy_tree(&folder, &copy);
        lines[1] = cells.join(",");
        std::fs::write(
            copy.join("data/departments.csv"),
            lines.join("\r\n") + "\r\n",
        )
        .unwrap();
        copy.join("datapackage.json")
    };
    cells[5] = "很多".to_owned();
    let wrong_type = broken("wrong-type", &cells);
    cells[5] = "1.00".to_owned();
    cells[0] = "不在该年度表中的部门".to_owned();
    let wrong_key = broken("wrong-key", &cells);

    let mut paths: Vec<PathBuf> = packages.iter().map(|(p, _)| p.clone()).collect();
    paths.extend([wrong_type, wrong_key]);
    let reports = validate(&paths);
    for ((path, resources), report) in packages.iter().zip(&reports) {
        let rel = path.display();
        assert_eq!(report["valid"], true, "{rel}: {:#?}", errors(report));
        assert_eq!(
            report["tasks"].as_array().unwrap().len(),
            *resources,
            "{rel}: every resource validated"
        );
    }
    let report = &reports[packages.len()];
    assert_eq!(report["valid"], false);
    assert!(
        errors(report).iter().any(|e| e.contains("很多")),
        "{:#?}",
        errors(report)
    );
    let report = &reports[packages.len() + 1];
    let types: Vec<String> = report["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["errors"].as_array().unwrap().clone())
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(types, ["foreign-key"], "{:#?}", errors(report));
}

/// The feed at `path` as Python's feedparser reads it: bozo flag, feed title, and each
/// entry's id, title, summary, link (resolved against the feed's own address) and time.
fn parse_feed(path: &Path) -> Value {
    let script = r#"
import feedparser, json, pathlib, sys
d = feedparser.parse(pathlib.Path(sys.argv[1]).resolve().as_uri())
print(json.dumps({
    "bozo": int(d.bozo), "error": str(d.get("bozo_exception", "")),
    "version": d.version, "title": d.feed.get("title"), "updated": d.feed.get("updated"),
    "entries": [{"id": e.id, "title": e.title, "summary": e.summary, "link": e.link,
                 "updated": e.updated} for e in d.entries]}, ensure_ascii=False))
"#;
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["bozo"], 0, "{}: {}", path.display(), v["error"]);
    assert_eq!(v["version"], "atom10");
    v
}

fn sample_as(d: &Path, file: &str, name: &str) {
    write_sample(d, &format!("submissions/区/{file}"), Some(name));
}

/// The feed tests' start: 甲局's and 乙局's 2020 forms in a fresh folder; None without
/// Python's feedparser, which they read the feeds with.
fn two_departments_for_feeds() -> Option<tempfile::TempDir> {
    python_with("feedparser")?;
    let dir = tempfile::tempdir().unwrap();
    sample_as(dir.path(), "甲局-2020.txt", "示例区甲局");
    sample_as(dir.path(), "乙局-2020.txt", "示例区乙局");
    Some(dir)
}

/// The sample with its budget raised to 300.00 (basic 270.00, project 30.00, shares to match).
fn raised(name: &str) -> String {
    let text = sample_text()
        .replace("武汉市新洲区总工会", name)
        .replace("\t286.41\t100%\t", "\t300.00\t100%\t")
        .replacen("\t268.03\t93.58%\t", "\t270.00\t90.00%\t", 1)
        .replacen("\t18.38\t6.42%\t", "\t30.00\t10.00%\t", 1);
    assert_eq!(text.matches("300.00").count(), 3);
    text
}

fn build_at(d: &Path, output: &str, epoch: Option<&str>) {
    let mut c = bin();
    c.args(["build", "--no-cache", "--allow-shrink", "--output", output])
        .current_dir(d);
    match epoch {
        Some(e) => c.env("SOURCE_DATE_EPOCH", e),
        None => c.env_remove("SOURCE_DATE_EPOCH"),
    };
    let o = c.output().unwrap();
    assert!(
        o.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A form whose goals changed, but not its budget or its count of indicators, is still news:
/// the feed tells it by a digest of what the site shows of the form (`Facts::content_digest`),
/// which the build cache keeps with the form's record — the unchanged department, read from
/// the cache, is not announced; a form saved again unchanged is no news either.
#[test]
fn a_form_whose_goals_changed_is_an_update_and_the_unchanged_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_as(d, "甲局-2020.txt", "示例区甲局");
    sample_as(d, "乙局-2020.txt", "示例区乙局");
    let build = |d: &Path| {
        let o = run(&["build"], d);
        assert!(
            o.status.code().unwrap() <= 1,
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::read_to_string(d.join("public/data/changes.json")).unwrap()
    };
    let entries = |state: &str| -> Vec<String> {
        let v: Value = serde_json::from_str(state).unwrap();
        v["districts"]["qu"]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{}｜{}",
                    e["title"].as_str().unwrap(),
                    e["summary"].as_str().unwrap()
                )
            })
            .collect()
    };
    let first = build(d);
    assert_eq!(entries(&first).len(), 2, "{first}");
    // Saved again with the same bytes, another time: read again, nothing to say.
    let path = d.join("submissions/区/甲局-2020.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text).unwrap();
    set_mtime(&path, 10);
    assert_eq!(build(d), first, "a form saved again unchanged is no news");
    // A goal's text changed (budget and indicators as they were); 乙局 comes from the cache.
    let changed = text.replacen("金秋助学", "金秋助学活动", 1);
    assert_ne!(changed, text);
    std::fs::write(&path, changed).unwrap();
    set_mtime(&path, 20);
    let second = entries(&build(d));
    assert_eq!(
        second[..second.len() - 2],
        ["示例区甲局：申报表有更新｜2020年度申报表内容有修改（目标、指标或往年数）".to_owned()],
        "{second:#?}"
    );
}

#[test]
fn the_feeds_say_what_changed_between_two_builds() {
    let Some(dir) = two_departments_for_feeds() else {
        return;
    };
    let d = dir.path();
    build_at(d, "public", None);
    let site = d.join("public");
    let first = parse_feed(&site.join("feed.xml"));
    let entries = first["entries"].as_array().unwrap();
    // A first build: every department is new, at 1 January of the newest budget year.
    assert_eq!(entries.len(), 2, "{first:#}");
    for (e, name) in entries.iter().zip(["示例区甲局", "示例区乙局"]) {
        assert_eq!(e["title"], format!("{name}：新增申报表"));
        assert_eq!(
            e["summary"],
            "新增2020年度申报表：预算支出 286.41 万元，11 项指标"
        );
        assert_eq!(e["updated"], "2020-01-01T00:00:00Z");
    }
    std::fs::copy(site.join("data/changes.json"), d.join("changes-1.json")).unwrap();
    copy_tree(&site, &d.join("before"));

    // Tonight: 甲局 raised its budget, 乙局 withdrew its form, 丙局 sent one with an error.
    write(d, "submissions/区/甲局-2020.txt", raised("示例区甲局"));
    std::fs::remove_file(d.join("submissions/区/乙局-2020.txt")).unwrap();
    write(d, "submissions/区/丙局-2020.txt", broken("示例区丙局"));
    build_at(d, "public", None);
    let second = parse_feed(&site.join("feed.xml"));
    let entries = second["entries"].as_array().unwrap();
    let said: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["title"].as_str().unwrap().to_owned(),
                e["summary"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        said[..3],
        [
            (
                "示例区丙局：申报表有错误，未发布".to_owned(),
                "2020年度申报表有错误，未发布".to_owned()
            ),
            (
                "示例区甲局：申报表有更新".to_owned(),
                "2020年预算支出 286.41 → 300.00 万元".to_owned()
            ),
            (
                "示例区乙局：申报表撤下".to_owned(),
                "2020年度申报表已撤下".to_owned()
            ),
        ],
        "{second:#}"
    );
    // The earlier entries follow, ids unchanged; the new ones are a second later.
    assert_eq!(entries.len(), 5);
    assert_eq!(entries[3..], first["entries"].as_array().unwrap()[..]);
    let ids: BTreeSet<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 5, "ids are distinct");
    assert_eq!(entries[0]["updated"], "2020-01-01T00:00:01Z");
    assert_eq!(second["updated"], "2020-01-01T00:00:01Z");
    // Every new entry's link leads to a published page: the withheld form to its findings,
    // the withdrawn one to the district. (An earlier entry keeps its link, page or not.)
    for e in &entries[..3] {
        let link = e["link"].as_str().unwrap();
        // feedparser writes `file://tmp/…` for `file:///tmp/…`.
        let path = link.strip_prefix("file:").unwrap().trim_start_matches('/');
        let path = format!("/{}", percent_decode(path.split('#').next().unwrap()));
        assert!(Path::new(&path).is_file(), "{link}");
    }
    assert!(entries[0]["link"]
        .as_str()
        .unwrap()
        .contains("report.html#f-"));
    // The district's feed says the same about its departments.
    let district = parse_feed(&site.join("qu/feed.xml"));
    let ids_of = |v: &Value| -> Vec<String> {
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids_of(&district), ids_of(&second));
    assert_eq!(district["entries"][1]["link"], second["entries"][1]["link"]);

    // An unchanged build leaves both feeds and the state byte for byte as they were.
    let kept = tree(&site);
    build_at(d, "public", None);
    let again = tree(&site);
    for k in ["feed.xml", "qu/feed.xml", "data/changes.json"] {
        assert!(kept[k] == again[k], "{k} changed in an unchanged build");
    }
    // The same inputs over the same previous site give the same bytes.
    build_at(d, "before", None);
    let other = tree(&d.join("before"));
    for k in ["feed.xml", "qu/feed.xml", "data/changes.json"] {
        assert!(
            kept[k] == other[k],
            "{k} differs over the same previous site"
        );
    }
    // With SOURCE_DATE_EPOCH the new entries carry that time.
    write(d, "submissions/区/乙局-2020.txt", raised("示例区乙局"));
    build_at(d, "public", Some("1700000000"));
    let third = parse_feed(&site.join("feed.xml"));
    assert_eq!(third["entries"][0]["title"], "示例区乙局：新增申报表");
    assert_eq!(third["entries"][0]["updated"], "2023-11-14T22:13:20Z");
    assert_eq!(third["entries"].as_array().unwrap().len(), 6);

    // Every page names the site's feed in its head, district pages their district's too.
    for (k, v) in tree(&site).iter().filter(|(k, _)| k.ends_with(".html")) {
        let html = String::from_utf8_lossy(v);
        let feeds: Vec<&str> = html
            .split("<link rel=\"alternate\" type=\"application/atom+xml\"")
            .skip(1)
            .map(|l| {
                l.split("href=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
            })
            .collect();
        assert!(!feeds.is_empty(), "{k}: no feed link");
        let base = Path::new(k).parent().unwrap();
        for f in feeds {
            assert!(site.join(base).join(f).is_file(), "{k}: {f}");
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for (k, v) in tree(from) {
        write(to, &k, v);
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn a_feed_keeps_its_last_200_entries() {
    if python_with("feedparser").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_as(d, "甲局-2020.txt", "示例区甲局");
    build_at(d, "public", Some("1600000000"));
    // A record with 250 entries from earlier builds, the newest first.
    let record = d.join("public/data/changes.json");
    let mut state: Value = serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
    let entries = state["districts"]["qu"]["entries"].as_array_mut().unwrap();
    assert_eq!(entries.len(), 1);
    let template = entries[0].clone();
    for i in 0..249 {
        let mut e = template.clone();
        e["id"] = Value::String(format!("urn:uuid:00000000-0000-8000-8000-{i:012}"));
        e["seconds"] = Value::from(1_500_000_000 - i);
        e["title"] = Value::String(format!("旧条目 {i}"));
        entries.push(e);
    }
    std::fs::write(&record, serde_json::to_vec_pretty(&state).unwrap()).unwrap();
    write(d, "submissions/区/甲局-2020.txt", raised("示例区甲局"));
    build_at(d, "public", Some("1700000000"));
    for feed in ["feed.xml", "qu/feed.xml"] {
        let v = parse_feed(&d.join("public").join(feed));
        let entries = v["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 200, "{feed}");
        assert_eq!(entries[0]["title"], "示例区甲局：申报表有更新");
        assert_eq!(entries[1]["title"], "示例区甲局：新增申报表");
        // The 198 newest of the old ones follow; the oldest 51 are gone.
        assert_eq!(entries[199]["title"], "旧条目 197", "{feed}");
    }
    let state: Value = serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
    assert_eq!(
        state["districts"]["qu"]["entries"]
            .as_array()
            .unwrap()
            .len(),
        200
    );
}

/// A resource's path, for messages.
fn rel_name(r: &serde_json::Value) -> &str {
    r["path"].as_str().unwrap_or("")
}

/// The site's `data/district.json` lists every district's departments, each district's as its
/// own `<district>/data/district.json` lists them, in one valid document (the bundled site,
/// three districts). Both are cut from one buffer of the departments' objects
/// (`dataset::districts`): a missing separator between two districts, or a district's range
/// cut wrong, shows here (mutation testing: only the byte digests saw the first).
#[test]
fn the_sites_district_json_is_every_districts_own_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    let o = bin()
        .args(["build", "--no-cache", "--input", "submissions", "--output"])
        .arg(&public)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |p: &Path| -> Value {
        let text = std::fs::read_to_string(p).unwrap();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    let site = read(&public.join("data/district.json"));
    let listed = site["departments"].as_array().unwrap();
    // The site's departments, district by district in the order listed.
    let mut districts: Vec<(String, Vec<Value>)> = Vec::new();
    for dep in listed {
        let name = dep["district"].as_str().unwrap().to_owned();
        match districts.last_mut() {
            Some((d, deps)) if *d == name => deps.push(dep.clone()),
            _ => districts.push((name, vec![dep.clone()])),
        }
    }
    let mut own: Vec<(String, Vec<Value>)> = std::fs::read_dir(&public)
        .unwrap()
        .map(|e| e.unwrap().path().join("data/district.json"))
        .filter(|p| p.exists())
        .map(|p| {
            let d = read(&p);
            (
                d["name"].as_str().unwrap().to_owned(),
                d["departments"].as_array().unwrap().clone(),
            )
        })
        .collect();
    assert!(own.len() >= 3, "{} districts", own.len());
    assert_eq!(
        districts.len(),
        own.len(),
        "each district once, its departments together, in the site's file"
    );
    for (name, deps) in &districts {
        let at = own.iter().position(|(n, _)| n == name).unwrap();
        let (_, theirs) = own.remove(at);
        assert_eq!(
            deps, &theirs,
            "{name}: the site's departments against its own file"
        );
    }
}

/// Each package's `fiscalPeriod` spans the budget years of the forms under its folder (from
/// the first year's 1 January to the last one's 31 December), and its country is China.
#[test]
fn each_package_spans_the_years_of_its_forms() {
    let public = common::bundled_site();
    let site = tree(public);
    let year_of = |path: &str| -> Option<i32> {
        let stem = path.strip_suffix(".json")?;
        let year = stem.rsplit('-').next()?;
        (path.contains("/data/") && year.len() == 4)
            .then(|| year.parse().ok())
            .flatten()
    };
    let packages: Vec<&String> = site
        .keys()
        .filter(|k| k.ends_with("datapackage.json"))
        .collect();
    assert_eq!(packages.len(), 4);
    for rel in packages {
        let folder = rel.trim_end_matches("datapackage.json");
        let years: BTreeSet<i32> = site
            .keys()
            .filter(|k| k.starts_with(folder))
            .filter_map(|k| year_of(k))
            .collect();
        let (first, last) = (years.first().unwrap(), years.last().unwrap());
        let v: Value = serde_json::from_slice(&site[rel]).unwrap();
        assert_eq!(
            v["fiscalPeriod"],
            serde_json::json!({"start": format!("{first}-01-01"), "end": format!("{last}-12-31")}),
            "{rel}: the forms' years are {years:?}"
        );
        assert_eq!(v["countryCode"], "CN", "{rel}");
    }
}

/// Resource names allow `[-a-z0-9._/]` only: a department whose address has `ü` (绿, lü) is
/// named with `v`, as pinyin is typed, and one whose name then repeats another's (`lv`) takes
/// `-2` — every name in a package is its own.
#[test]
fn a_resource_name_is_typed_pinyin_and_never_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_as(d, "绿化管理所-2020.txt", "示例区绿化管理所");
    sample_as(d, "lv化管理所-2020.txt", "示例区lv化管理所");
    build_at(d, "public", None);
    let site = tree(&d.join("public"));
    let package = site
        .keys()
        .find(|k| k.ends_with("/datapackage.json"))
        .unwrap();
    let v: Value = serde_json::from_slice(&site[package]).unwrap();
    let names: Vec<&str> = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    let forms: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.starts_with("form-"))
        .collect();
    assert_eq!(forms.len(), 2, "{names:?}");
    let first = forms
        .iter()
        .find(|n| n.ends_with("-2020"))
        .unwrap_or_else(|| panic!("{forms:?}"));
    assert!(first.contains("lv-hua-guan-li-suo"), "{forms:?}");
    assert!(
        forms.contains(&format!("{first}-2").as_str()),
        "the second takes -2: {forms:?}"
    );
    for n in &names {
        assert!(
            n.chars()
                .all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-' | '.' | '/')),
            "{n} in {names:?}: a character cleaned to _"
        );
    }
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "{names:?}");
}

/// A published form that comes back with an error is said to be taken down for it (not only
/// withdrawn); the state keeps each department under its whole key, and a key longer than 200
/// characters (a withheld form's overlong name) as its first 60 and a digest.
#[test]
fn a_form_taken_down_for_an_error_is_said_so_and_overlong_keys_are_shortened() {
    let Some(dir) = two_departments_for_feeds() else {
        return;
    };
    let d = dir.path();
    let long = format!("示例区{}局", "长".repeat(250));
    sample_as(d, "长局-2020.txt", &long);
    build_at(d, "public", None);
    let site = d.join("public");
    let state: Value =
        serde_json::from_slice(&std::fs::read(site.join("data/changes.json")).unwrap()).unwrap();
    let keys: Vec<&String> = state["districts"]["qu"]["departments"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(keys.iter().any(|k| *k == "示例区甲局"), "{keys:?}");
    let short = keys
        .iter()
        .find(|k| !k.starts_with("示例区甲") && !k.starts_with("示例区乙"))
        .unwrap();
    let (head, digest) = short.split_once('…').expect("shortened");
    assert_eq!(head, long.chars().take(60).collect::<String>());
    assert!(
        digest.len() == 16 && digest.chars().all(|c| c.is_ascii_hexdigit()),
        "{short}"
    );

    write(d, "submissions/区/甲局-2020.txt", broken("示例区甲局"));
    build_at(d, "public", None);
    let feed = parse_feed(&site.join("feed.xml"));
    assert_eq!(
        feed["entries"][0]["title"],
        "示例区甲局：申报表有错误，未发布"
    );
    assert_eq!(
        feed["entries"][0]["summary"], "2020年度申报表有错误，已撤下，未发布",
        "{feed:#}"
    );
}

/// The sample as `name`'s form with its total budget wrong (an error: withheld).
fn broken(name: &str) -> String {
    sample_text().replace("武汉市新洲区总工会", name).replacen(
        "\t\t合计\t286.41",
        "\t\t合计\t999.99",
        1,
    )
}

/// A district gone from the site — every form in it withheld for errors, or its folder
/// removed — has no page or feed of its own any more, but the site's feed says what happened
/// to each of its departments and keeps the district's earlier entries; when it comes back,
/// its departments are new again.
#[test]
fn a_district_gone_from_the_site_is_said_so_in_the_sites_feed() {
    if python_with("feedparser").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_as(d, "甲局-2020.txt", "示例区甲局");
    write_sample(d, "submissions/县/丁局-2020.txt", Some("示例县丁局"));
    write_sample(d, "submissions/县/戊局-2020.txt", Some("示例县戊局"));
    build_at(d, "public", None);
    let site = d.join("public");
    let first = parse_feed(&site.join("feed.xml"));
    assert_eq!(first["entries"].as_array().unwrap().len(), 3, "{first:#}");

    // 丁局 comes back with an error, 戊局 is withdrawn: nothing of 县 is published.
    write(d, "submissions/县/丁局-2020.txt", broken("示例县丁局"));
    std::fs::remove_file(d.join("submissions/县/戊局-2020.txt")).unwrap();
    build_at(d, "public", None);
    assert!(!site.join("xian").exists(), "the district's folder is gone");
    let second = parse_feed(&site.join("feed.xml"));
    let entries = second["entries"].as_array().unwrap();
    let said: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e["title"].as_str().unwrap(), e["summary"].as_str().unwrap()))
        .collect();
    assert_eq!(
        said[..2],
        [
            (
                "示例县丁局：申报表有错误，未发布",
                "2020年度申报表有错误，已撤下，未发布"
            ),
            ("示例县戊局：申报表撤下", "2020年度申报表已撤下"),
        ],
        "{second:#}"
    );
    assert_eq!(
        entries[2..],
        first["entries"].as_array().unwrap()[..],
        "earlier entries kept"
    );
    for e in &entries[..2] {
        let link = e["link"].as_str().unwrap();
        assert!(link.ends_with("/index.html"), "{link}: the site's home");
        let path = link.strip_prefix("file:").unwrap().trim_start_matches('/');
        assert!(
            Path::new(&format!("/{}", percent_decode(path))).is_file(),
            "{link}"
        );
    }

    // An unchanged build says nothing new; the district's return makes its departments new.
    build_at(d, "public", None);
    assert_eq!(
        parse_feed(&site.join("feed.xml"))["entries"],
        second["entries"]
    );
    write_sample(d, "submissions/县/丁局-2020.txt", Some("示例县丁局"));
    build_at(d, "public", None);
    let third = parse_feed(&site.join("feed.xml"));
    assert_eq!(
        third["entries"][0]["title"], "示例县丁局：新增申报表",
        "{third:#}"
    );
    assert_eq!(third["entries"].as_array().unwrap().len(), 6);
}
