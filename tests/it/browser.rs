//! Opens a built site in headless Chromium: the overview and a department page render, their
//! charts are there, the sorting script ran, and screenshots are saved for CI's artifacts.
//! Fails when Chromium is missing, unless `BUDGETSITE_SKIP_BROWSER=1` says to skip (which is
//! then printed on stderr); `.ci/run` installs Chromium.

use crate::common;
use common::*;
use std::path::Path;

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn the_built_site_renders_in_a_real_browser() {
    let browser = chromium();
    if skip_without(
        browser.is_some(),
        "Chromium",
        "BUDGETSITE_SKIP_BROWSER",
        "apt-get install chromium",
    ) {
        return;
    }
    let browser = browser.unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_sample(dir.path(), "submissions/武汉市新洲区/a-2020.txt", None);
    write_sample(
        dir.path(),
        "submissions/武汉市新洲区/b-2020.txt",
        Some("武汉市新洲区妇联"),
    );
    // Warnings only (the sample's 14): the build succeeds.
    let o = run(&["build"], dir.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let public = dir.path().join("public");
    let department = walkdir::WalkDir::new(&public)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "html")
                && std::fs::read_to_string(p)
                    .unwrap()
                    .contains("<h1>武汉市新洲区总工会</h1>")
        })
        .expect("a department page");
    let profile = tempfile::tempdir().unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    for (name, page, size) in [
        ("overview", public.join("index.html"), "1280,1800"),
        ("department", department.clone(), "1280,3000"),
        ("department-phone", department, "360,3000"),
    ] {
        let dom = headless(&browser, profile.path())
            .args(["--dump-dom", "--virtual-time-budget=3000"])
            .arg(url(&page))
            .output()
            .unwrap();
        assert!(
            dom.status.success(),
            "{name}: Chromium failed: {}",
            String::from_utf8_lossy(&dom.stderr)
        );
        let dom = String::from_utf8_lossy(&dom.stdout);
        assert!(
            dom.contains("<svg") && dom.contains("class=\"chart-figure\""),
            "{name}: no chart in the rendered page"
        );
        // The charts were drawn with their labels, and the page's figures are there.
        let labels = common::html::svg_texts(&dom);
        assert!(
            labels.iter().any(|t| t.contains("万元")),
            "{name}: no chart has its unit label: {labels:?}"
        );
        if name == "overview" {
            // site.js ran: the sortable headers became buttons.
            assert!(
                dom.contains("<button type=\"button\" class=\"sort\">"),
                "{name}: script did not run"
            );
            assert!(dom.contains("武汉市新洲区妇联") && dom.contains("武汉市新洲区总工会"));
        } else {
            // The sample's budget: 286.41 in total, 268.03 basic spending, 18.38 project.
            let text = common::html::text(&dom);
            for figure in ["286.41", "268.03", "18.38", "2018年", "2019年", "2020年"] {
                assert!(text.contains(figure), "{name}: {figure} not shown");
            }
            assert!(dom.contains("<h1>武汉市新洲区总工会</h1>"));
        }
        let shot = shots.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&shot);
        let out = headless(&browser, profile.path())
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("--window-size={size}"))
            .arg(url(&page))
            .output()
            .unwrap();
        assert!(
            shot.metadata().map(|m| m.len() > 10_000).unwrap_or(false),
            "{name}: no screenshot ({})",
            String::from_utf8_lossy(&out.stderr)
        );
        println!("screenshot: {}", shot.display());
    }
}
