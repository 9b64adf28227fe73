//! Accessibility as axe-core checks it: every page type of the bundled site and of a generated
//! district with every layout, quirk and error, at 390 and 1366 px, run through the real engine
//! (npm `axe-core`, pinned, installed by `.ci/run` into `target/tools/axe`; `AXE_CORE_JS` names
//! another `axe.min.js`) in headless Chromium, with the tags wcag2a, wcag2aa, wcag21a, wcag21aa
//! and best-practice: no violation at all. And a keyboard reaches the skip link first, then
//! every scrolling table, each with a visible focus ring.
//! Fails when Chromium or axe-core is missing, unless `BUDGETSITE_SKIP_AXE=1` says to skip
//! (which is then printed on stderr).

use crate::common;
use budgetsite_gen::{generate, FormLayout, GenOptions, Plant, QuirkLevel};
use common::browser::Devtools;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const TAGS: &str = r#"["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]"#;
const WIDTHS: [u32; 2] = [390, 1366];

fn axe_js() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AXE_CORE_JS") {
        return Some(PathBuf::from(p));
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/tools/axe/node_modules/axe-core/axe.min.js");
    p.is_file().then_some(p)
}

/// Chromium and axe-core's script, or None when the test is skipped.
fn tools() -> Option<(PathBuf, String)> {
    let browser = chromium();
    let axe = axe_js();
    if skip_without(
        browser.is_some() && axe.is_some(),
        "Chromium and axe-core",
        "BUDGETSITE_SKIP_AXE",
        "apt-get install chromium; npm install --prefix target/tools/axe axe-core@4.14.1",
    ) {
        return None;
    }
    let source = std::fs::read_to_string(axe.unwrap()).unwrap();
    Some((browser.unwrap(), source))
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// axe's violations on `page` (a path under the site, with an optional `?query`) at each
/// width, as readable lines; empty when it passes. The page is opened and axe injected once:
/// the second width is the same tab resized (the site's scripts do not look at the width, its
/// style sheet's media queries apply as the viewport changes).
fn violations(devtools: &mut Devtools, axe: &str, public: &Path, page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (path, query) = page.split_once('?').map_or((page, ""), |(p, q)| (p, q));
    let mut u = url(&public.join(path));
    if !query.is_empty() {
        u = format!("{u}?{query}");
    }
    let session = devtools.open(&u, WIDTHS[0], 900);
    if path == "search.html" && !query.is_empty() {
        // The results are written by the page's script: wait for them.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while devtools.eval(
            &session,
            "(document.getElementById('search-results') || {}).getAttribute && \
             document.getElementById('search-results').getAttribute('data-state') === 'done'",
        ) != Value::Bool(true)
        {
            assert!(std::time::Instant::now() < deadline, "{page}: no results");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    devtools.eval(&session, &format!("{axe};\ntrue"));
    for (k, width) in WIDTHS.into_iter().enumerate() {
        if k > 0 {
            devtools.call(
                "Emulation.setDeviceMetricsOverride",
                serde_json::json!({"width": width, "height": 900, "deviceScaleFactor": 1,
                                   "mobile": width < 600}),
                Some(&session),
            );
            // Laid out again at the new width before axe looks.
            let shown = devtools.eval(
                &session,
                "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => \
                 r(window.innerWidth))))",
            );
            assert_eq!(
                shown, width,
                "{page}: the viewport did not become {width} px"
            );
        }
        let found = devtools.eval(
            &session,
            &format!(
                "axe.run(document, {{runOnly: {{type: 'tag', values: {TAGS}}}, \
                 resultTypes: ['violations']}}).then(r => [r.testEngine.version, \
                 r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + \
                 v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + \
                 (n.failureSummary || '').replace(/\\s+/g, ' ')).join(' | '))])"
            ),
        );
        assert!(
            found[0].as_str().is_some_and(|v| v.starts_with("4.")),
            "axe did not run: {found}"
        );
        for v in found[1].as_array().unwrap() {
            out.push(format!("{page} at {width}px: {}", v.as_str().unwrap()));
        }
    }
    out
}

/// axe on every page of `pages` (at least `min` of them); fails listing every violation.
fn check_pages(devtools: &mut Devtools, axe: &str, public: &Path, pages: &[String], min: usize) {
    let found: Vec<String> = pages
        .iter()
        .flat_map(|page| violations(devtools, axe, public, page))
        .collect();
    assert!(pages.len() >= min, "only {} pages checked", pages.len());
    println!("axe-core: {} pages at {WIDTHS:?} px", pages.len());
    assert!(
        found.is_empty(),
        "axe found {} violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// Every page of `public` whose path ends with one of `kinds`' patterns, one per pattern:
/// the first in path order.
fn pick(public: &Path, wanted: &[&dyn Fn(&str) -> bool]) -> Vec<String> {
    let pages: Vec<String> = tree(public)
        .into_keys()
        .filter(|k| k.ends_with(".html"))
        .collect();
    wanted
        .iter()
        .map(|f| {
            pages
                .iter()
                .find(|p| f(p))
                .cloned()
                .expect("a page of each type")
        })
        .collect()
}

fn depth(p: &str) -> usize {
    p.matches('/').count()
}

#[test]
fn every_page_type_of_the_bundled_site_passes_axe_at_phone_and_desktop_width() {
    let Some((browser, axe)) = tools() else {
        return;
    };

    // The bundled site: the real sample's district (one form) and the generated 示例区.
    let public = common::bundled_site();
    let site = tree(public);
    let mut pages: Vec<String> = [
        "index.html",
        "about.html",
        "report.html",
        "search.html",
        "search.html?q=%E5%8A%A9%E5%AD%A6",
    ]
    .map(str::to_owned)
    .to_vec();
    for district in site
        .keys()
        .filter(|k| depth(k) == 1 && k.ends_with("/index.html"))
    {
        let folder = district.trim_end_matches("index.html");
        pages.push(district.clone());
        pages.push(format!("{folder}dashboard.html"));
        let in_district = |k: &&String| k.starts_with(folder);
        pages.extend(
            site.keys()
                .filter(in_district)
                .find(|k| k.contains("/years/") && k.ends_with(".html"))
                .cloned(),
        );
        // The department with the most forms (older years folded under details).
        pages.extend(
            site.keys()
                .filter(in_district)
                .filter(|k| depth(k) == 1 && !k.ends_with("index.html"))
                .filter(|k| !k.ends_with("dashboard.html"))
                .max_by_key(|k| {
                    String::from_utf8_lossy(&site[*k])
                        .matches("<article class=\"form\"")
                        .count()
                })
                .cloned(),
        );
    }
    let mut devtools = Devtools::launch(&browser);
    check_pages(&mut devtools, &axe, public, &pages, 15);
}

#[test]
fn every_page_type_of_a_generated_district_passes_axe_at_phone_and_desktop_width() {
    let Some((browser, axe)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut devtools = Devtools::launch(&browser);

    // A generated district with every layout, quirk and planted error, and a department whose
    // only form is withheld.
    let input = dir.path().join("gen");
    generate(
        &GenOptions {
            seed: 5,
            departments: 8,
            years: vec![2021, 2022, 2023],
            quirks: QuirkLevel::All,
            plant: Plant::All,
            layouts: FormLayout::ALL.to_vec(),
            singletons: 2,
            ..GenOptions::default()
        },
        &input.join("in"),
    )
    .unwrap();
    let district = std::fs::read_dir(input.join("in"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .unwrap();
    let broken = sample_text()
        .replace("武汉市新洲区总工会", "撤并局")
        .replacen("\t\t合计\t286.41", "\t\t合计\t999.99", 1);
    write(&district, "撤并局-2020.txt", broken);
    let public = input.join("public");
    let o = bin()
        .args(["build", "--no-cache", "--input"])
        .arg(input.join("in"))
        .arg("--output")
        .arg(&public)
        .current_dir(&input)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let overview = pick(
        &public,
        &[&|p: &str| depth(p) == 1 && p.ends_with("/index.html")],
    );
    assert!(
        std::fs::read_to_string(public.join(&overview[0]))
            .unwrap()
            .contains("撤并局"),
        "the withheld-only department is listed"
    );
    let site = tree(&public);
    let mut pages: Vec<String> = vec![
        "index.html".into(),
        "report.html".into(),
        overview[0].clone(),
    ];
    pages.extend(pick(
        &public,
        &[&|p: &str| p.ends_with("/dashboard.html"), &|p: &str| {
            p.contains("/years/")
        }],
    ));
    // Every department page: each layout's page is among them.
    pages.extend(
        site.keys()
            .filter(|k| depth(k) == 1 && k.ends_with(".html"))
            .filter(|k| !k.ends_with("/index.html") && !k.ends_with("/dashboard.html"))
            .cloned(),
    );
    check_pages(&mut devtools, &axe, &public, &pages, 10);
}

/// Presses Tab in `session`'s page; what has the focus then: its tag, class, whether it is
/// shown with a ring (outline style and width) and where its box is.
fn tab(devtools: &mut Devtools, session: &str) -> Value {
    for kind in ["keyDown", "keyUp"] {
        devtools.call(
            "Input.dispatchKeyEvent",
            serde_json::json!({"type": kind, "key": "Tab", "code": "Tab",
                               "windowsVirtualKeyCode": 9}),
            Some(session),
        );
    }
    devtools.eval(
        session,
        "(() => { const e = document.activeElement, s = getComputedStyle(e), \
         r = e.getBoundingClientRect(); return {tag: e.tagName, cls: e.className, \
         href: e.getAttribute('href'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth), \
         left: r.left, right: r.right, label: e.getAttribute('aria-label'), \
         role: e.getAttribute('role'), scrolls: e.scrollWidth > e.clientWidth}; })()",
    )
}

#[test]
fn a_keyboard_reaches_the_skip_link_and_every_scrolling_table_with_a_visible_ring() {
    let Some((browser, _)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write_sample(
        dir.path(),
        "submissions/区/甲局-2020.txt",
        Some("示例区甲局"),
    );
    let o = run(&["build", "--no-cache"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let public = dir.path().join("public");
    let page = tree(&public)
        .into_iter()
        .find(|(_, v)| String::from_utf8_lossy(v).contains("<h1>示例区甲局</h1>"))
        .unwrap()
        .0;
    let html = std::fs::read_to_string(public.join(&page)).unwrap();
    let wrappers = html.matches("class=\"table-scroll\"").count();
    assert!(wrappers >= 4, "{wrappers}");
    let mut devtools = Devtools::launch(&browser);
    let session = devtools.open(&url(&public.join(&page)), 390, 900);
    // The first Tab shows the skip link, on screen, with a ring; it leads to <main>.
    let first = tab(&mut devtools, &session);
    assert_eq!(first["href"], "#main", "{first}");
    assert!(
        first["left"].as_f64().unwrap() >= 0.0,
        "skip link off screen: {first}"
    );
    assert_eq!(first["outline"], "solid", "{first}");
    // With every folded part opened, tabbing on reaches every table wrapper, each a labelled
    // region with a ring; some of them scroll at 390 px.
    let shown = devtools.eval(
        &session,
        "document.querySelectorAll('details').forEach(d => { d.open = true; }); \
         document.querySelectorAll('.table-scroll').length",
    );
    let shown = shown.as_u64().unwrap() as usize;
    assert!(shown >= 3, "{shown}");
    let mut reached = 0;
    let mut scrolling = 0;
    let mut seen = Vec::new();
    for _ in 0..400 {
        let f = tab(&mut devtools, &session);
        seen.push(format!("{} {} {}", f["tag"], f["cls"], f["href"]));
        if f["tag"] == "BODY" {
            break;
        }
        assert!(
            f["outline"] == "solid" && f["width"].as_f64().unwrap() >= 2.0,
            "focus without a visible ring: {f}; after {seen:#?}"
        );
        if f["cls"] == "table-scroll" {
            reached += 1;
            assert_eq!(f["role"], "region", "{f}");
            assert!(f["label"].as_str().is_some_and(|l| !l.is_empty()), "{f}");
            scrolling += usize::from(f["scrolls"] == true);
        }
        if reached == shown {
            break;
        }
    }
    assert_eq!(
        reached, shown,
        "Tab reached {reached} of {shown} tables: {seen:#?}"
    );
    assert!(
        scrolling > 0,
        "no table scrolls at 390 px: the test proves nothing"
    );
}
