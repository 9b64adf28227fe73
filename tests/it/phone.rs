//! Pages on a 390×844 phone, measured in headless Chromium: no page-level horizontal scroll,
//! the name column of every data table at least 6 characters wide, the indicator table's name
//! and target in view without scrolling (a self-evaluation's: the name, the declared and the
//! evaluated target), years on one line; and every chart, on the phone and
//! on a 1366 px desktop, with its text drawn at 12 px or more, inside the page and inside the
//! chart, no two labels overlapping, every label readable on what is behind it (4.5:1).
//! Headless Chromium's window is at least 500 px wide, so each page is loaded into a frame of
//! the width measured in a probe page, whose script measures it and writes the figures into the
//! page, read over the DevTools protocol (one browser a test, a tab a measurement).
//! Required in CI (`CI` set), as the browser test is.

use crate::common;
use common::browser::Devtools;
use common::*;
use std::path::{Path, PathBuf};

/// Appended to a page: measures it and writes the figures as JSON into `#phone-metrics`.
const MEASURE: &str = r#"<!DOCTYPE html><html><body>
<iframe id="phone" width="WIDTH" height="844" src="PAGE"></iframe>
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
  // Self-evaluations: the evaluated target (third column) of each results table in view.
  out.results_tables = 0;
  out.results_target_right = 0;
  document.querySelectorAll("table.results").forEach(function (t) {
    var row = t.tBodies[0] && t.tBodies[0].rows[0];
    if (!row) { return; }
    out.results_tables += 1;
    var scroller = t.parentElement.getBoundingClientRect();
    out.results_target_right = Math.max(out.results_target_right, row.cells[2].getBoundingClientRect().right - scroller.left);
    out.results_scroller_width = scroller.width;
  });
  out.wrapped_years = 0;
  document.querySelectorAll("th.year").forEach(function (th) {
    var cs = win.getComputedStyle(th);
    var lh = parseFloat(cs.lineHeight) || font * 1.65;
    var pad = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom);
    if (th.getBoundingClientRect().height - pad > lh * 1.5) { out.wrapped_years += 1; }
  });
  charts(win, document, out);
  var pre = window.document.createElement("pre");
  pre.id = "phone-metrics";
  pre.textContent = JSON.stringify(out);
  window.document.body.appendChild(pre);
});
// The charts: the size text is drawn at (its font size times the drawing's scale), whether a
// chart is wider than the page or scrolls in its figure, and each label's box (its glyphs
// across, its em box around the baseline down) against the chart's box, the other labels and
// the colour behind it (the last rectangle painted under its centre, else the page).
function charts(win, document, out) {
  var rgb = function (s) { var m = s.match(/[0-9.]+/g); return m ? m.slice(0, 3).map(Number) : [255, 255, 255]; };
  var lum = function (c) {
    var f = function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  var contrast = function (a, b) { var x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  var page = rgb(win.getComputedStyle(document.body).backgroundColor);
  out.charts = 0; out.chart_texts = 0; out.smallest_chart_text = 1e9; out.lowest_contrast = 1e9;
  out.wider_than_page = []; out.scrolling = []; out.outside = []; out.overlaps = []; out.low_contrast = [];
  document.querySelectorAll("svg.chart").forEach(function (svg) {
    out.charts += 1;
    var id = svg.getAttribute("aria-labelledby").split(" ")[0];
    var box = svg.getBoundingClientRect();
    if (box.left < -0.5 || box.right > out.viewport + 0.5) { out.wider_than_page.push(id); }
    var figure = svg.parentElement;
    if (figure.scrollWidth > figure.clientWidth + 0.5) { out.scrolling.push(id); }
    var rects = Array.prototype.slice.call(svg.querySelectorAll("rect"));
    var boxes = [];
    svg.querySelectorAll("text").forEach(function (t) {
      out.chart_texts += 1;
      var m = t.getScreenCTM();
      var size = parseFloat(win.getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      out.smallest_chart_text = Math.min(out.smallest_chart_text, size);
      var r = t.getBoundingClientRect();
      var base = m.f + t.y.baseVal.getItem(0).value * m.d;
      var b = { id: id, text: t.textContent, left: r.left, right: r.right, top: base - 0.88 * size, bottom: base + 0.12 * size };
      if (b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5) {
        out.outside.push(b);
      }
      boxes.forEach(function (a) {
        var apart = a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
        if (!apart) { out.overlaps.push([a, b]); }
      });
      boxes.push(b);
      var cx = (b.left + b.right) / 2, cy = (b.top + b.bottom) / 2, behind = page;
      rects.forEach(function (rect) {
        var q = rect.getBoundingClientRect();
        if ((rect.compareDocumentPosition(t) & 4) && cx >= q.left && cx <= q.right && cy >= q.top && cy <= q.bottom) {
          behind = rgb(win.getComputedStyle(rect).fill);
        }
      });
      var c = contrast(rgb(win.getComputedStyle(t).fill), behind);
      out.lowest_contrast = Math.min(out.lowest_contrast, c);
      if (c < 4.5) { out.low_contrast.push(b.text + " " + c.toFixed(2)); }
    });
  });
}
</script></body></html>"#;

/// The figures of `page` shown in a frame `width` px wide, measured in a tab of `devtools`'s
/// browser (one browser a test: a cold start costs more than the measuring).
fn measure(devtools: &mut Devtools, page: &Path, width: u32) -> serde_json::Value {
    // The probe stands outside the (shared, read-only) site; file pages may reach each other
    // (`--allow-file-access-from-files`).
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe.html");
    let script = MEASURE
        .replace("PAGE", &format!("file://{}", page.display()))
        .replace("WIDTH", &width.to_string());
    std::fs::write(&probe, script).unwrap();
    // A desktop window wider than the frame, as `--window-size=800,900` gave.
    let session = devtools.open(&format!("file://{}", probe.display()), 800, 900);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let json = devtools.eval(
            &session,
            "(document.getElementById('phone-metrics') || {}).textContent || null",
        );
        if let Some(json) = json.as_str() {
            return serde_json::from_str(json).unwrap();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no metrics for {}",
            page.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Chromium, unless the test is skipped.
fn browser() -> Option<PathBuf> {
    let browser = chromium();
    if skip_without(
        browser.is_some(),
        "Chromium",
        "BUDGETSITE_SKIP_BROWSER",
        "apt-get install chromium",
    ) {
        return None;
    }
    browser
}

/// A function that finds a page of the bundled site (built once, `bundled_site`) by its `<h1>`.
fn bundled_pages() -> impl Fn(&str) -> PathBuf {
    let public = common::bundled_site();
    move |h1: &str| {
        walkdir::WalkDir::new(public)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .find(|p| {
                p.extension().is_some_and(|x| x == "html")
                    && std::fs::read_to_string(p)
                        .unwrap()
                        .contains(&format!("<h1>{h1}</h1>"))
            })
            .unwrap_or_else(|| panic!("{h1}"))
    }
}

#[test]
fn pages_read_on_a_phone() {
    let Some(browser) = browser() else { return };
    let mut devtools = Devtools::launch(&browser);
    let find = bundled_pages();
    let pages = [
        ("district", find("示例区部门整体支出绩效目标")),
        ("department", find("武汉市新洲区总工会")),
        ("report", find("校验报告")),
    ];
    for (what, page) in pages {
        let m = measure(&mut devtools, &page, 390);
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

/// Issue 12's charts, read where people read them: the overview's ranking and structure, the
/// dashboard's totals, structure and growth bands, a department's composition and years.
#[test]
fn charts_are_legible_on_a_phone_and_a_desktop() {
    let Some(browser) = browser() else { return };
    let mut devtools = Devtools::launch(&browser);
    let find = bundled_pages();
    let pages = [
        ("district", find("示例区部门整体支出绩效目标"), 2),
        ("dashboard", find("示例区财政看板"), 3),
        ("department", find("武汉市新洲区总工会"), 2),
    ];
    for (what, page, charts) in &pages {
        for width in [390, 1366] {
            let m = measure(&mut devtools, page, width);
            let what = format!("{what} at {width} px");
            eprintln!("{what}: {m}");
            assert_eq!(m["viewport"].as_f64().unwrap(), f64::from(width), "{what}");
            assert_eq!(m["charts"], *charts, "{what}: charts drawn");
            assert!(m["chart_texts"].as_u64().unwrap() > 10, "{what}: {m}");
            // Text at 12 CSS px or more: not shrunk with the drawing on a phone.
            let smallest = m["smallest_chart_text"].as_f64().unwrap();
            assert!(
                smallest >= 12.0,
                "{what}: chart text drawn at {smallest:.1} px"
            );
            // As wide as the content, no wider: neither the page nor the figure scrolls.
            for key in [
                "wider_than_page",
                "scrolling",
                "outside",
                "overlaps",
                "low_contrast",
            ] {
                assert_eq!(m[key], serde_json::json!([]), "{what}: {key}");
            }
            assert!(m["lowest_contrast"].as_f64().unwrap() >= 4.5, "{what}: {m}");
        }
    }
}

/// Issue 19's tables on a phone: the department page's self-evaluation (execution and every
/// indicator, declared beside evaluated target), and the dashboard's and a year page's
/// self-evaluation tables: no page-level sideways scroll, name columns readable, the
/// indicator's name and both targets in view before any scrolling.
#[test]
fn self_evaluations_read_on_a_phone() {
    let Some(browser) = browser() else { return };
    let mut devtools = Devtools::launch(&browser);
    let find = bundled_pages();
    let pages = [
        ("department", find("武汉市新洲区总工会")),
        ("dashboard", find("示例区财政看板")),
        ("year", find("示例区2022年度部门预算")),
    ];
    for (what, page) in pages {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(
            html.contains("年度绩效自评"),
            "{what}: no self-evaluation shown"
        );
        let m = measure(&mut devtools, &page, 390);
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
        if what == "department" {
            assert_eq!(m["results_tables"], 1, "{m}");
            let right = m["results_target_right"].as_f64().unwrap();
            let width = m["results_scroller_width"].as_f64().unwrap();
            assert!(
                right <= width,
                "the evaluated target is off-screen: {right} > {width}"
            );
        }
    }
}
