//! The chunked search beside Pagefind (issue 20): for a built site, the first query of a
//! fresh page, query by query, in headless Chromium — the bytes it loaded, the time to its
//! results and whether the department sought is in its top 10.
//!
//! ```text
//! cargo run --release --example search_compare -- SITE [PAGEFIND_URL]
//! ```
//!
//! SITE is a site `budgetsite build` wrote; PAGEFIND_URL, if given, serves a copy of it that
//! `pagefind --site` indexed (`python3 -m http.server`; Pagefind loads its files by `fetch`,
//! which `file://` refuses). The queries: five typed ones, then 200 (name, department) pairs
//! taken from the site's own index as the recall test takes them from the generator — goal and
//! indicator names carried by at most 10 departments, 100 of each, spread evenly over the
//! sorted pairs. Ours: each query typed into `search.html` in a new frame, from the `input`
//! event to the results on screen (a key after a pause searches at once; until 2026-12-04 the
//! page waited 60 ms for more keys first), and the bytes of `assets/search.js` and every
//! search script the page added. Pagefind: in a new
//! frame, from before `import("pagefind.js")` to the data of its first 10 results, and the
//! bytes of every resource the frame loaded (`encodedBodySize`).

#[path = "../search_typing/browser.rs"]
mod browser;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const TYPED: &[&str] = &["助学", "满意度", "资金支付及时率", "2021 培训", "量子纠缠"];

const OURS: &str = r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>compare</title></head><body>
<pre id="out"></pre><div id="frames"></div>
<script>
var queries = QUERIES, out = [], i = 0;
function next() {
  if (i >= queries.length) { document.getElementById("out").textContent = JSON.stringify(out); return; }
  var holder = document.getElementById("frames");
  holder.textContent = "";
  var f = document.createElement("iframe");
  f.style.width = "1200px"; f.style.height = "900px";
  f.src = "../search.html";
  f.addEventListener("load", function () {
    var w = f.contentWindow, doc = f.contentDocument, box = doc.getElementById("search-results");
    var input = doc.getElementById("q");
    input.focus();
    input.value = queries[i];
    var typed = performance.now();
    input.dispatchEvent(new w.Event("input", { bubbles: true }));
    (function poll() {
      if (box.getAttribute("data-state") !== "done" && performance.now() - typed < 30000) { setTimeout(poll, 1); return; }
      out.push({
        q: queries[i],
        ms: performance.now() - typed,
        hits: Array.prototype.map.call(box.querySelectorAll("li.hit"), function (li) { return li.getAttribute("data-department"); }).slice(0, 10),
        scripts: Array.prototype.map.call(doc.querySelectorAll("script[src]"), function (s) { return s.getAttribute("src"); })
      });
      i += 1;
      next();
    })();
  });
  holder.appendChild(f);
}
next();
</script></body></html>"#;

const PAGEFIND: &str = r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>compare</title></head><body>
<pre id="out"></pre><div id="frames"></div>
<script>
var queries = QUERIES, out = [], i = 0;
window.addEventListener("message", function (e) { out.push(e.data); i += 1; next(); });
function next() {
  if (i >= queries.length) { document.getElementById("out").textContent = JSON.stringify(out); return; }
  var holder = document.getElementById("frames");
  holder.textContent = "";
  var f = document.createElement("iframe");
  f.src = "pf-query.html?q=" + encodeURIComponent(queries[i]);
  holder.appendChild(f);
}
next();
</script></body></html>"#;

const PAGEFIND_QUERY: &str = r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>q</title></head><body><script type="module">
var q = new URLSearchParams(location.search).get("q");
var t0 = performance.now();
var pf = await import("./pagefind/pagefind.js");
var search = await pf.search(q);
var data = await Promise.all(search.results.slice(0, 10).map(function (r) { return r.data(); }));
var ms = performance.now() - t0;
var bytes = performance.getEntriesByType("resource").reduce(function (s, r) { return s + (r.encodedBodySize || 0); }, 0);
var files = performance.getEntriesByType("resource").map(function (r) { return [r.name.replace(location.origin, ""), r.encodedBodySize]; });
parent.postMessage({ q: q, ms: ms, bytes: bytes, files: files, results: search.results.length,
  hits: data.map(function (d) { return (d.meta && d.meta.title) || d.url; }), urls: data.map(function (d) { return d.url; }) }, "*");
</script></body></html>"#;

/// `BudgetSearch.part(slug, n, [name, page, docs])` → (name, page, goal titles, indicator names).
fn records(site: &Path) -> Vec<(String, String, Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(site.join("search")) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if !(name.starts_with('d') && name.ends_with(".js")) {
            continue;
        }
        // A record file holds a few departments, a `BudgetSearch.part(…);` line each.
        let text = std::fs::read_to_string(e.path()).unwrap();
        for line in text.lines() {
            let start = line.find(",[").unwrap() + 1;
            let end = line.rfind(");").unwrap();
            let rec: Value = serde_json::from_str(&line[start..end]).unwrap();
            let mut goals = Vec::new();
            let mut indicators = Vec::new();
            for doc in rec[2].as_array().unwrap() {
                let title = doc[3].as_str().unwrap();
                if doc[2].as_str().unwrap().contains("-g") && title != "绩效指标" {
                    goals.push(title.to_owned());
                }
                for l in doc[4].as_array().unwrap() {
                    if l[0].as_i64().unwrap() >= 0 && !l[1].as_str().unwrap().is_empty() {
                        indicators.push(l[1].as_str().unwrap().to_owned());
                    }
                }
            }
            out.push((
                rec[0].as_str().unwrap().to_owned(),
                rec[1].as_str().unwrap().to_owned(),
                goals,
                indicators,
            ));
        }
    }
    out.sort();
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let site = std::path::absolute(
        args.next()
            .expect("usage: search_compare SITE [PAGEFIND_URL]"),
    )
    .unwrap();
    let pagefind = args.next();
    let chromium = browser::chromium().expect("Chromium is not installed");
    let recs = records(&site);
    let page_of: BTreeMap<&str, &str> = recs.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for kind in [2, 3] {
        let mut names: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for r in &recs {
            let list = if kind == 2 { &r.2 } else { &r.3 };
            for n in list {
                names.entry(n).or_default().insert(&r.0);
            }
        }
        let all: Vec<(String, String)> = names
            .iter()
            .filter(|(_, deps)| deps.len() <= 10)
            .flat_map(|(n, deps)| deps.iter().map(|d| (n.to_string(), d.to_string())))
            .collect();
        let step = all.len() as f64 / 100.0;
        pairs.extend((0..100.min(all.len())).map(|k| all[(k as f64 * step) as usize].clone()));
    }
    let mut queries: Vec<&str> = TYPED.to_vec();
    queries.extend(pairs.iter().map(|(q, _)| q.as_str()));
    let json = budgetsite::output::search::script_safe(&serde_json::to_string(&queries).unwrap());

    let harness = site.join("assets/compare.html");
    std::fs::write(&harness, OURS.replace("QUERIES", &json)).unwrap();
    let out = browser::run_harness_for(&chromium, &format!("file://{}", harness.display()), 1800);
    let _ = std::fs::remove_file(&harness);
    let ours: Value = serde_json::from_str(&out).unwrap();
    let size = |src: &str| -> u64 {
        std::fs::metadata(site.join(src))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    let search_js = size("assets/search.js");
    let mut rows = Vec::new();
    for r in ours.as_array().unwrap() {
        let scripts: Vec<&str> = r["scripts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let bytes: u64 = scripts
            .iter()
            .filter(|s| s.starts_with("search/"))
            .map(|s| size(s))
            .sum::<u64>()
            + search_js;
        let files = scripts.iter().filter(|s| s.starts_with("search/")).count();
        rows.push((
            r["q"].as_str().unwrap().to_owned(),
            r["ms"].as_f64().unwrap(),
            bytes,
            files,
            r["hits"].clone(),
        ));
    }
    report("ours", &rows, &pairs, |hit, dep| hit == dep);
    // What the heaviest first query loaded, by kind of file.
    if let Some(r) = ours
        .as_array()
        .unwrap()
        .iter()
        .zip(&rows)
        .max_by_key(|(_, row)| row.2)
        .map(|(r, _)| r)
    {
        let mut kinds: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
        kinds.insert("assets/search.js", (1, search_js));
        for s in r["scripts"].as_array().unwrap() {
            let s = s.as_str().unwrap();
            if !s.starts_with("search/") {
                continue;
            }
            let kind = match s.rsplit('/').next().unwrap().chars().next() {
                _ if s.matches('/').count() == 1 => "manifest",
                Some('w') => "token chunks (w)",
                Some('x') => "whole texts (x)",
                Some('d') => "records (d)",
                Some('b') => "bundles of records (b)",
                _ => "filters (f)",
            };
            let e = kinds.entry(kind).or_default();
            e.0 += 1;
            e.1 += size(s);
        }
        println!(
            "ours: the heaviest first query, {}: {}",
            r["q"],
            kinds
                .iter()
                .map(|(k, (n, b))| format!("{k} {n} file(s) {b} B"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    if let Some(url) = pagefind {
        // The harness pages go into the served copy (its folder is the second argument's
        // site, served at `url`): written by the caller's script before serving.
        let base = url.trim_end_matches('/');
        let dir = std::env::var("PAGEFIND_SITE").expect("PAGEFIND_SITE: the served folder");
        std::fs::write(
            Path::new(&dir).join("pf-compare.html"),
            PAGEFIND.replace("QUERIES", &json),
        )
        .unwrap();
        std::fs::write(Path::new(&dir).join("pf-query.html"), PAGEFIND_QUERY).unwrap();
        let out = browser::run_harness_for(&chromium, &format!("{base}/pf-compare.html"), 1800);
        let pf: Value = serde_json::from_str(&out).unwrap();
        // The bytes each query's frame loaded, from the server's log (a frame's resources
        // follow its `pf-query.html`; the server forbids caching, so each is a first visit).
        let log = std::fs::read_to_string(
            std::env::var("PAGEFIND_LOG").expect("PAGEFIND_LOG: the server's log"),
        )
        .unwrap();
        let mut per_query: Vec<(u64, usize)> = Vec::new();
        for line in log.lines() {
            let (path, n) = line.split_once('\t').unwrap();
            if path.ends_with("/pf-query.html") {
                per_query.push((0, 0));
            } else if let Some(last) = per_query.last_mut() {
                last.0 += n.parse::<u64>().unwrap();
                last.1 += 1;
            }
        }
        assert_eq!(
            per_query.len(),
            queries.len(),
            "one frame per query in the log"
        );
        let mut rows = Vec::new();
        for (r, (bytes, files)) in pf.as_array().unwrap().iter().zip(per_query) {
            rows.push((
                r["q"].as_str().unwrap().to_owned(),
                r["ms"].as_f64().unwrap(),
                bytes,
                files,
                r["urls"].clone(),
            ));
        }
        report("pagefind", &rows, &pairs, |url, dep| {
            page_of.get(dep).is_some_and(|p| {
                url.trim_start_matches('/') == *p || url.ends_with(&format!("/{p}"))
            })
        });
    }
}

fn report(
    engine: &str,
    rows: &[(String, f64, u64, usize, Value)],
    pairs: &[(String, String)],
    found: impl Fn(&str, &str) -> bool,
) {
    for (q, ms, bytes, files, hits) in &rows[..TYPED.len()] {
        println!(
            "{engine}: {q} → {ms:.0} ms, {bytes} bytes in {files} files, top: {}",
            hits.as_array()
                .unwrap()
                .iter()
                .take(3)
                .map(|h| h.as_str().unwrap_or(""))
                .collect::<Vec<_>>()
                .join(" / ")
        );
    }
    let recall = rows[TYPED.len()..]
        .iter()
        .zip(pairs)
        .filter(|((_, _, _, _, hits), (_, dep))| {
            hits.as_array()
                .unwrap()
                .iter()
                .any(|h| found(h.as_str().unwrap_or(""), dep))
        })
        .count();
    let mut ms: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let mut bytes: Vec<u64> = rows.iter().map(|r| r.2).collect();
    ms.sort_by(f64::total_cmp);
    bytes.sort();
    let pct = |p: f64| ((rows.len() - 1) as f64 * p).round() as usize;
    println!(
        "{engine}: recall@10 {recall}/{}; first query over all {} queries: bytes median {} / p90 {} / max {}; ms median {:.0} / p90 {:.0} / max {:.0}",
        pairs.len(),
        rows.len(),
        bytes[pct(0.5)],
        bytes[pct(0.9)],
        bytes[rows.len() - 1],
        ms[pct(0.5)],
        ms[pct(0.9)],
        ms[rows.len() - 1]
    );
}
