//! Every text field of a form carries markup, both quotes and an ampersand: it is never live
//! in any published HTML, SVG, JS or CSS file, and it is shown, escaped, where the field is
//! shown. The district's folder name carries the marker too.

use crate::common;
use common::*;
use serde_json::Value;

/// The probe: a tag, both quotes and an ampersand; `~N~` tells the fields apart.
const PROBE: &str = "<x-probe>\"'&";

fn probe(n: usize) -> String {
    format!("{PROBE}~{n}~")
}

/// Appends a numbered probe to every string of the declaration but the three fixed ones
/// (`schema`, `form`, `unit`); returns the JSON path of each probe by number.
fn plant(v: &mut Value, path: &str, out: &mut Vec<String>) {
    match v {
        // `layout` names one of four layouts: a keyword, not text a form carries.
        Value::String(s) if !matches!(path, ".schema" | ".form" | ".unit" | ".layout") => {
            s.push_str(&probe(out.len()));
            out.push(path.to_owned());
        }
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                plant(x, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                plant(x, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn a_probe_in_every_text_field_is_escaped_everywhere_and_shown_where_the_field_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut decl = expected_json();
    let mut fields = Vec::new();
    plant(&mut decl, "", &mut fields);
    // Strings the form holds: names, texts, every indicator cell, contacts.
    assert!(fields.len() > 60, "{} fields", fields.len());
    let district = format!("示例区{}", probe(9999));
    write(
        dir.path(),
        &format!("submissions/{district}/probe-2020.json"),
        serde_json::to_string_pretty(&decl).unwrap(),
    );
    write_sample(
        dir.path(),
        &format!("submissions/{district}/plain-2020.txt"),
        None,
    );
    write(dir.path(), "site.toml", "publish_contacts = true\n");
    let o = run(&["build"], dir.path());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{:?}: {stderr}",
        o.status
    );
    assert!(stderr.contains("已发布到 public"), "{stderr}");
    let site = tree(&dir.path().join("public"));

    // Nothing of the probe is live in any page, drawing or script: no element, no attribute
    // value broken out of its quotes.
    let mut scanned = 0;
    for (path, bytes) in &site {
        if ![".html", ".svg", ".js", ".css"]
            .iter()
            .any(|x| path.ends_with(x))
        {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            !text.contains("<x-probe"),
            "{path}: a live <x-probe> element"
        );
        assert!(
            !text.contains("\"'&"),
            "{path}: a raw quote run of the probe"
        );
        assert!(
            !text.contains("'&~"),
            "{path}: a raw apostrophe of the probe"
        );
        assert!(!text.contains("&~"), "{path}: a raw ampersand of the probe");
        scanned += 1;
    }
    assert!(scanned >= 8, "{scanned} files scanned");

    // Shown, escaped, where the field is shown: the department page shows every field of the
    // form (contacts are configured to be published); decoded, it holds every probe.
    let probed_name = decl["department"].as_str().unwrap().to_owned();
    let page = site
        .iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(b).into_owned()))
        .find(|(p, b)| {
            p.ends_with(".html")
                && b.contains("<h1>")
                && html::text(html::between(b, "<h1>", "</h1>")) == probed_name
        })
        .map(|(_, b)| b)
        .expect("the probed department's page");
    let shown = html::text(&page);
    for (n, path) in fields.iter().enumerate() {
        assert!(
            shown.contains(&probe(n)),
            "{path} (probe {n}) is not shown on the department page"
        );
    }
    // The district's name is shown on the home page and the department page.
    let home = html::text(&String::from_utf8_lossy(&site["index.html"]));
    assert!(home.contains(&probe(9999)), "index.html: the district name");
    assert!(shown.contains(&probe(9999)));
    // The department's name is in the year chart's SVG title and text alternative, escaped.
    let name = probe(fields.iter().position(|f| f == ".department").unwrap());
    let fig = html::between(&page, "id=\"chart-years\"", "</figure>");
    let svg = html::between(fig, "<svg", "</svg>");
    for part in ["<title", "<desc"] {
        let element = html::between(svg, part, "</");
        assert!(html::unescape(element).contains(&name), "{element}");
    }
}
