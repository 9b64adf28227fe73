//! Pages on a 390×844 phone, measured in headless Chromium: no page-level horizontal scroll,
//! the name column of every data table at least 6 characters wide, the indicator table's name
//! and target in view without scrolling, years on one line. Headless Chromium's window is at
//! least 500 px wide, so each page is loaded into a 390×844 frame of a probe page, whose script
//! measures it and writes the figures where `--dump-dom` returns them.
//! Required in CI (`CI` set), as the browser test is.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// Appended to a page: measures it and writes the figures as JSON into `#phone-metrics`.
const MEASURE: &str = r#"<!DOCTYPE html><html><body>
<iframe id="phone" width="390" height="844" src="PAGE"></iframe>
<script>
document.getElementById("phone").addEventListener("load", function () {
  var win = this.contentWindow, document = win.document;
  var out = {};
  var doc = document.documentElement;
  out.viewport = win.innerWidth;
  out.scroll_width = doc.scrollWidth;
  var font = parseFloat(win.getComputedStyle(document.body).fontSize);
  out.narrowest_name = 1e9;
  document.querySelectorAll("table.data tbody th[scope=row]").forEach(function (th) {
    if (th.cellIndex === 0 && th.textContent.trim().length >= 4) {
      out.narrowest_name = Math.min(out.narrowest_name, th.getBoundingClientRect().width / font);
    }
  });
  out.indicator_tables = 0;
  out.target_right = 0;
  document.querySelectorAll("table.indicators").forEach(function (t) {
    var row = t.tBodies[0] && t.tBodies[0].rows[0];
    if (!row) { return; }
    out.indicator_tables += 1;
    var scroller = t.parentElement.getBoundingClientRect();
    out.target_right = Math.max(out.target_right, row.cells[1].getBoundingClientRect().right - scroller.left);
    out.scroller_width = scroller.width;
  });
  out.wrapped_years = 0;
  document.querySelectorAll("th.year").forEach(function (th) {
    var cs = win.getComputedStyle(th);
    var lh = parseFloat(cs.lineHeight) || font * 1.65;
    var pad = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom);
    if (th.getBoundingClientRect().height - pad > lh * 1.5) { out.wrapped_years += 1; }
  });
  var pre = window.document.createElement("pre");
  pre.id = "phone-metrics";
  pre.textContent = JSON.stringify(out);
  window.document.body.appendChild(pre);
});
</script></body></html>"#;

fn measure(browser: &Path, page: &Path) -> serde_json::Value {
    let probe = page.with_file_name(format!(
        "probe-{}",
        page.file_name().unwrap().to_string_lossy()
    ));
    let name = page.file_name().unwrap().to_string_lossy();
    std::fs::write(&probe, MEASURE.replace("PAGE", &name)).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
            "--window-size=800,900",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", probe.display()))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dom = String::from_utf8_lossy(&o.stdout);
    let json = dom
        .split("<pre id=\"phone-metrics\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| panic!("no metrics for {}", page.display()))
        .replace("&quot;", "\"");
    serde_json::from_str(&json).unwrap()
}

#[test]
fn pages_read_on_a_phone() {
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
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = bin()
        .args(["build", "--no-cache", "--output"])
        .arg(dir.path().join("public"))
        .arg("--input")
        .arg(repo.join("submissions"))
        .arg("--config")
        .arg(repo.join("site.toml"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        o.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let public = dir.path().join("public");
    let find = |h1: &str| {
        walkdir::WalkDir::new(&public)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .find(|p| {
                p.extension().is_some_and(|x| x == "html")
                    && std::fs::read_to_string(p)
                        .unwrap()
                        .contains(&format!("<h1>{h1}</h1>"))
            })
            .unwrap_or_else(|| panic!("{h1}"))
    };
    let pages = [
        ("district", find("示例区部门整体支出绩效目标")),
        ("department", find("武汉市新洲区总工会")),
        ("report", public.join("report.html")),
    ];
    for (what, page) in pages {
        let m = measure(&browser, &page);
        eprintln!("{what}: {m}");
        let viewport = m["viewport"].as_f64().unwrap();
        assert_eq!(viewport, 390.0, "{what}: {m}");
        assert!(
            m["scroll_width"].as_f64().unwrap() <= viewport,
            "{what}: the page scrolls sideways: {m}"
        );
        let narrowest = m["narrowest_name"].as_f64().unwrap();
        assert!(
            narrowest >= 6.0,
            "{what}: a name column is {narrowest:.1} characters wide: {m}"
        );
        assert_eq!(m["wrapped_years"], 0, "{what}: a year wraps: {m}");
        if what == "department" {
            assert!(m["indicator_tables"].as_u64().unwrap() >= 4, "{m}");
            let right = m["target_right"].as_f64().unwrap();
            let width = m["scroller_width"].as_f64().unwrap();
            assert!(
                right <= width,
                "the target is off-screen: {right} > {width}"
            );
        }
    }
}
