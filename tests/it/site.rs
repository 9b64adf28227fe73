//! `budgetsite build` on fixture folders: pages, links, escaping, downloads, determinism,
//! atomicity, strictness and configuration, through the binary as users run it.

use crate::common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const XSS: &str = "<script>alert(1)</script>";

/// A district folder with the real sample, a second year of it, a department whose every
/// field tries to inject markup, and a broken form that must not be published.
fn fixture(dir: &Path) {
    let s = sample_text();
    write(dir, "submissions/武汉市新洲区/总工会-2020.txt", &s);
    let evil = s
        .replace("武汉市新洲区总工会", &format!("示例{XSS}局"))
        .replace("金秋助学", "<img src=x onerror=alert(2)>助学")
        .replace(
            "<p>1、贯彻执行",
            "<p>1、<a href=\"https://evil.example/\">贯彻</a>&lt;b&gt;执行",
        );
    write(dir, "submissions/武汉市新洲区/evil-2020.txt", evil);
    let broken = s
        .replace("武汉市新洲区总工会", "示例财政局")
        .replace("268.03\t93.58%", "268.93\t93.58%");
    write(dir, "submissions/武汉市新洲区/broken-2020.txt", broken);
}

fn build(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    run(&args, dir)
}

fn html_files(site: &BTreeMap<String, Vec<u8>>) -> Vec<(&String, String)> {
    site.iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b.clone()).unwrap()))
        .collect()
}

/// The values of `attr="…"` in an HTML text.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn builds_pages_for_every_department_with_working_relative_links() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let o = build(dir.path(), &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "an error exists: {stderr}");
    assert!(stderr.contains("已发布到 public"), "{stderr}");
    let site = tree(&dir.path().join("public"));
    for page in [
        "index.html",
        "report.html",
        "about.html",
        "assets/style.css",
        "assets/site.js",
    ] {
        assert!(site.contains_key(page), "{page} missing: {:?}", site.keys());
    }
    let pages = html_files(&site);
    // Home (single district = its overview), district overview, dashboard, one year page, two
    // department pages, report, about, search.
    assert_eq!(
        pages.len(),
        9,
        "{:?}",
        pages.iter().map(|p| p.0).collect::<Vec<_>>()
    );
    for suffix in ["/dashboard.html", "/years/2020/index.html", "/index.html"] {
        assert!(
            pages
                .iter()
                .any(|(p, _)| p.contains('/') && p.ends_with(suffix)),
            "{suffix}"
        );
    }
    for (path, html) in &pages {
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"),
            "{path}"
        );
        let base = Path::new(path.as_str()).parent().unwrap().to_path_buf();
        for link in attrs(html, "href").into_iter().chain(attrs(html, "src")) {
            assert!(
                !link.contains("//") && !link.starts_with('/'),
                "{path}: {link} is not relative to the page"
            );
            let target = link.split('#').next().unwrap();
            if target.is_empty() {
                continue;
            }
            let resolved = normalize(&base.join(target));
            assert!(
                site.contains_key(&resolved),
                "{path}: broken link {link} ({resolved})"
            );
        }
    }
    // The broken form is listed on the report and has no page.
    let report = String::from_utf8(site["report.html"].clone()).unwrap();
    assert!(report.contains("broken-2020.txt"));
    assert!(report.contains("expenditure-sum"));
    assert!(!pages.iter().any(|(_, h)| h.contains("<h1>示例财政局</h1>")));
    let dept = pages
        .iter()
        .find(|(_, h)| h.contains("<h1>武汉市新洲区总工会</h1>"))
        .expect("department page");
    let html = &dept.1;
    for text in [
        "286.41",
        "93.58%",
        "年度目标4：党建专项经费",
        "2019年实际",
        "14 条质量提示：指标值不可衡量 11 条、未填写的模板行 2 条、缺少效益或满意度指标 1 条",
        "11 项指标中 <strong>0</strong> 项设定了可衡量的目标值",
        "金秋助学",
        "服务对象满意度指标",
        "1、贯彻执行党的路线",
    ] {
        assert!(html.contains(text), "department page lacks {text}");
    }
    // Paths, line numbers and fix-it advice are for the report, not for readers.
    for text in ["submissions/", "（第 32 行）", "请改为数值"] {
        assert!(!html.contains(text), "department page shows {text}");
    }
    // The summary links to the form's findings on the report, grouped by department.
    let anchor = html
        .split("report.html#")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to the report");
    assert!(report.contains(&format!("id=\"{anchor}\"")), "{anchor}");
    let group = &report[report.find(&format!("id=\"{anchor}\"")).unwrap()..];
    assert!(group.contains("武汉市新洲区总工会 · 2020年度"));
    assert!(group.contains("查看部门页面"));
    assert!(group.contains("指标值不可衡量</span> <code class=\"rule-code\">vague-target</code>"));
}

fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn markup_typed_into_a_form_is_never_live() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    build(dir.path(), &[]);
    let site = tree(&dir.path().join("public"));
    for (path, html) in html_files(&site) {
        assert!(!html.contains(XSS), "{path} has live markup");
        assert!(!html.contains("<img src=x"), "{path}");
        assert!(
            !html.contains("evil.example"),
            "{path} links to another host"
        );
        let scripts = html.matches("<script").count();
        let own = html.matches("assets/site.js\" defer></script>").count()
            + html.matches("assets/search.js\" defer></script>").count();
        assert_eq!(scripts, 2, "{path}: only the site's own scripts");
        assert_eq!(own, 2, "{path}: only the site's own scripts");
    }
    // The search index holds the form's text as JSON inside a script: no `<` at all, so no
    // `</script>` or markup, and the name is there, escaped.
    let index: Vec<_> = site
        .iter()
        .filter(|(p, _)| p.starts_with("search/"))
        .collect();
    assert!(!index.is_empty());
    for (path, bytes) in &index {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains('<') && !text.contains('\u{2028}'), "{path}");
    }
    // The department's record holds its name.
    assert!(index.iter().any(|(_, bytes)| String::from_utf8_lossy(bytes)
        .contains("示例\\u003cscript\\u003ealert(1)\\u003c/script\\u003e局")));
    let all: String = html_files(&site).into_iter().map(|(_, h)| h).collect();
    assert!(all.contains("示例&lt;script&gt;alert(1)&lt;/script&gt;局"));
    // A literal `&lt;b&gt;` typed in a paragraph is text, shown as `<b>`, not a tag.
    assert!(all.contains("&lt;b&gt;执行"));
}

#[test]
fn downloads_sit_next_to_what_they_describe() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    build(dir.path(), &[]);
    let site = tree(&dir.path().join("public"));
    let csv: Vec<_> = site
        .iter()
        .filter(|(p, _)| p.ends_with("/data/departments.csv"))
        .collect();
    assert_eq!(csv.len(), 1);
    let year_csv = site
        .keys()
        .filter(|p| p.ends_with("/years/2020/departments.csv"))
        .count();
    assert_eq!(year_csv, 1, "each budget year has its own table");
    let bytes = csv[0].1;
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "CSV has a BOM for Excel"
    );
    let text = String::from_utf8_lossy(bytes);
    assert!(text.contains("武汉市新洲区总工会"));
    assert!(text.contains("286.41"));
    let xlsx: Vec<_> = site
        .iter()
        .filter(|(p, _)| p.ends_with("/data/departments.xlsx"))
        .collect();
    assert!(xlsx[0].1.starts_with(b"PK"));
    let json: Vec<_> = site
        .iter()
        .filter(|(p, _)| p.ends_with("-2020.json"))
        .collect();
    assert_eq!(json.len(), 2, "one per published declaration");
    let sample_json = json
        .iter()
        .map(|(_, b)| serde_json::from_slice::<serde_json::Value>(b).unwrap())
        .find(|v| v["department"] == "武汉市新洲区总工会")
        .unwrap();
    let mut expected = expected_json();
    // Contacts are not published unless the bureau says so.
    expected["filled_by"] = serde_json::Value::Null;
    expected["phone"] = serde_json::Value::Null;
    assert_json_eq(&sample_json, &expected, "published JSON");
    for (path, bytes) in &site {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("89353913"),
            "{path} publishes the phone number"
        );
        assert!(
            !text.contains("胡杰华"),
            "{path} publishes the clerk's name"
        );
    }
}

#[test]
fn contacts_are_published_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    write(dir.path(), "site.toml", "publish_contacts = true\n");
    build(dir.path(), &[]);
    let site = tree(&dir.path().join("public"));
    let pages: String = html_files(&site).into_iter().map(|(_, h)| h).collect();
    assert!(pages.contains("89353913"));
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    build(dir.path(), &[]);
    let first = tree(&dir.path().join("public"));
    build(dir.path(), &["--output", "again"]);
    let second = tree(&dir.path().join("again"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (k, v) in &first {
        assert!(v == &second[k], "{k} differs between builds");
    }
}

#[test]
fn the_site_does_not_depend_on_where_the_input_lies() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    build(dir.path(), &[]);
    let relative = tree(&dir.path().join("public"));
    let absolute_input = dir.path().join("submissions");
    let abs = absolute_input.to_string_lossy().into_owned();
    build(dir.path(), &["--input", &abs, "--output", "abs"]);
    let absolute = tree(&dir.path().join("abs"));
    assert_eq!(
        relative.keys().collect::<Vec<_>>(),
        absolute.keys().collect::<Vec<_>>()
    );
    for (k, v) in &relative {
        assert!(v == &absolute[k], "{k} differs with an absolute --input");
    }
    let report = String::from_utf8(relative["report.html"].clone()).unwrap();
    assert!(report.contains("<code>submissions/武汉市新洲区/broken-2020.txt</code>"));
}

#[test]
fn a_broken_template_leaves_the_published_site_untouched() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    build(dir.path(), &[]);
    let before = tree(&dir.path().join("public"));
    write(
        dir.path(),
        "site-templates/department.html",
        "{% extends \"base.html\" %}{% block content %}{{ name | nosuchfilter }}{% endblock %}",
    );
    let o = build(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("department.html") || err.contains("nosuchfilter"),
        "{err}"
    );
    assert_eq!(tree(&dir.path().join("public")), before);
    // No staging folder is left behind (the build lock `.public.lock` stays, empty).
    let leftovers: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with(".public") && name != ".public.lock"
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_template_override_changes_only_that_template() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    write(
        dir.path(),
        "site-templates/content/contact.md",
        "# 联系我们\n\n电话：12345\n",
    );
    write(
        dir.path(),
        "site-templates/static/style.css",
        "body{color:red}",
    );
    // Beside them, what is not a page or an asset: a note, a folder of drafts, an editor's
    // hidden file.
    write(dir.path(), "site-templates/content/说明.txt", "不是页面");
    write(
        dir.path(),
        "site-templates/content/drafts/草稿.md",
        "# 草稿\n",
    );
    write(dir.path(), "site-templates/static/.DS_Store", "x");
    let o = build(dir.path(), &[]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let site = tree(&dir.path().join("public"));
    assert!(String::from_utf8_lossy(&site["contact.html"]).contains("<h1>联系我们</h1>"));
    assert_eq!(site["assets/style.css"], b"body{color:red}");
    assert!(site.contains_key("about.html"), "built-in content stays");
    let stray: Vec<&String> = site
        .keys()
        .filter(|k| {
            k.contains("说明")
                || k.contains("草稿")
                || k.contains("drafts")
                || k.contains(".DS_Store")
        })
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    assert!(
        !site
            .values()
            .any(|v| String::from_utf8_lossy(v).contains("不是页面")),
        "the note is published nowhere"
    );
}

#[test]
fn strict_refuses_to_publish_and_keeps_the_old_site() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    build(dir.path(), &[]);
    let before = tree(&dir.path().join("public"));
    write(dir.path(), "submissions/武汉市新洲区/new-2021.txt", "垃圾");
    let o = build(dir.path(), &["--strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("未发布"));
    assert_eq!(tree(&dir.path().join("public")), before);
}

#[test]
fn config_errors_are_clear_and_stop_the_build() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    write(
        dir.path(),
        "site.toml",
        "title = \"x\"\npublish_contact = true\n",
    );
    let o = build(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("site.toml") && err.contains("publish_contact") && err.contains("第 2 行"),
        "{err}"
    );
    assert!(!dir.path().join("public").exists());
    let o = build(dir.path(), &["--config", "missing.toml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_output_inside_the_input_is_not_read_back_as_submissions() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let first = build(dir.path(), &["--output", "submissions/public"]);
    assert_eq!(first.status.code(), Some(1));
    // Rebuilding must not read the published declaration JSON as duplicate submissions.
    let again = build(
        dir.path(),
        &["--no-cache", "--output", "submissions/public"],
    );
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(!err.contains("duplicate-submission"), "{err}");
    assert!(err.contains("2 个部门"), "{err}");
}

#[test]
fn refuses_an_output_that_would_replace_the_input() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let o = build(dir.path(), &["--output", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(dir
        .path()
        .join("submissions/武汉市新洲区/总工会-2020.txt")
        .exists());
}

#[test]
fn several_districts_get_a_home_page_listing_them_and_sample_data_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    write(
        dir.path(),
        "submissions/示例区/a-2020.txt",
        sample_text().replace("武汉市新洲区总工会", "示例区教育局"),
    );
    write(
        dir.path(),
        "site.toml",
        "[districts.\"示例区\"]\nsample_data = true\n",
    );
    build(dir.path(), &[]);
    let site = tree(&dir.path().join("public"));
    let home = String::from_utf8(site["index.html"].clone()).unwrap();
    assert!(home.contains("武汉市新洲区") && home.contains("示例区"));
    assert!(home.contains("示例数据"));
    for (path, html) in html_files(&site) {
        let sample_page =
            html.contains("示例区教育局") && !path.ends_with("report.html") && path != "index.html";
        if sample_page {
            assert!(
                html.contains("class=\"sample-banner\""),
                "{path} does not say it is sample data"
            );
        }
        if html.contains("武汉市新洲区总工会</h1>") {
            assert!(
                !html.contains("class=\"sample-banner\""),
                "{path}: real data marked as sample"
            );
        }
    }
}

/// Each year page of the bundled site marks its own year as the current one in its years'
/// navigation, and links every other year of its district.
#[test]
fn each_year_page_marks_its_own_year_and_links_the_others() {
    let site = tree(common::bundled_site());
    let mut seen = 0;
    for (path, bytes) in &site {
        let Some(rest) = path.split_once("/years/").map(|(_, r)| r) else {
            continue;
        };
        let Some(year) = rest.strip_suffix("/index.html") else {
            continue;
        };
        let district = path.split("/years/").next().unwrap();
        let years: Vec<String> = site
            .keys()
            .filter_map(|k| {
                k.strip_prefix(&format!("{district}/years/"))?
                    .strip_suffix("/index.html")
                    .map(str::to_owned)
            })
            .collect();
        let html = String::from_utf8_lossy(bytes);
        let nav = html
            .split("<nav class=\"years\"")
            .nth(1)
            .and_then(|n| n.split("</nav>").next())
            .unwrap_or_else(|| panic!("{path}: no years' navigation"));
        assert_eq!(
            nav.matches("aria-current=\"page\"").count(),
            1,
            "{path}: {nav}"
        );
        assert!(
            nav.contains(&format!("<strong aria-current=\"page\">{year}年</strong>")),
            "{path}: {nav}"
        );
        for other in years.iter().filter(|y| *y != year) {
            assert!(
                nav.contains(&format!(
                    "href=\"{}{district}/years/{other}/index.html\">{other}年</a>",
                    "../".repeat(path.matches('/').count())
                )),
                "{path}: {other} linked in {nav}"
            );
        }
        seen += 1;
    }
    assert!(seen >= 7, "{seen} year pages");
}

/// What a district's totals leave out is said only when something is: no page of the bundled
/// site notes "0 个部门" or "0 份申报表" left out.
#[test]
fn a_totals_note_never_counts_nothing() {
    let site = tree(common::bundled_site());
    let mut notes = 0;
    for (path, bytes) in site.iter().filter(|(k, _)| k.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for note in html.split("注：").skip(1) {
            let note = note.split('。').next().unwrap();
            if !note.contains("未计入") {
                continue;
            }
            notes += 1;
            for part in note.split('；') {
                assert!(
                    !part.starts_with("0 ") && !part.contains("另有 0 "),
                    "{path}: {note}"
                );
            }
        }
    }
    assert!(notes > 0, "the bundled site has a totals note somewhere");
}

/// A department page's growth sentence names the years it spans, first to last.
#[test]
fn a_growth_rate_names_the_years_it_spans() {
    let site = tree(common::bundled_site());
    let mut said = 0;
    for (path, bytes) in site.iter().filter(|(k, _)| k.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for s in html.split("<p>").skip(1) {
            let Some(before) = s
                .split("预算收入年均增长")
                .next()
                .filter(|b| b.len() < s.len())
            else {
                continue;
            };
            said += 1;
            let span = before
                .strip_suffix('年')
                .unwrap_or_else(|| panic!("{path}: {s}"));
            let (a, b) = span
                .split_once('—')
                .unwrap_or_else(|| panic!("{path}: {s}"));
            let (a, b): (i32, i32) = (a.parse().unwrap(), b.parse().unwrap());
            assert!(a < b, "{path}: {s}");
        }
    }
    assert!(
        said > 0,
        "the bundled site has departments of several years"
    );
}
