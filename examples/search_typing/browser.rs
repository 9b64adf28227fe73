//! Headless Chromium for the search tests and the time-to-first-results benchmark: find the
//! browser, dump a page's DOM after its scripts ran, and drive a harness page in real time over
//! the DevTools pipe. Shared by the tests (`tests/it/common`, through `#[path]`) and `main.rs` here.
#![allow(dead_code)]

use serde_json::Value;
use std::io::BufRead;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Chromium without a window, a first-run dialog, or anything that reaches the network.
pub const HEADLESS: &[&str] = &[
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
];

/// `browser` run headless (`HEADLESS`) with a throwaway profile in `profile`.
pub fn headless(browser: &Path, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args(HEADLESS)
        .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// The first Chromium on `PATH`.
pub fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .filter_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|p| p.join(name))
                    .find(|p| p.is_file())
            })
        })
        .next()
}

/// The DOM of `url` after its scripts ran (virtual time: timers run at once).
pub fn dump_dom(browser: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = headless(browser, profile.path())
        .args(["--virtual-time-budget=20000", "--dump-dom"])
        .arg(url)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Opens `url` in headless Chromium driven over `--remote-debugging-pipe` (the DevTools
/// protocol on file descriptors 3 and 4, here two FIFOs), in real time — virtual time would
/// wait forever on `serve`'s reload stream — and waits (≤ 60 s) until `<pre id="out">` has
/// text; returns that text.
pub fn run_harness(browser: &Path, url: &str) -> String {
    run_harness_for(browser, url, 60)
}

/// `run_harness`, waiting up to `seconds`.
pub fn run_harness_for(browser: &Path, url: &str, seconds: u64) -> String {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let (to, from) = (dir.path().join("in"), dir.path().join("out"));
    for f in [&to, &from] {
        assert!(Command::new("mkfifo").arg(f).status().unwrap().success());
    }
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "exec \"$0\" \"$@\" 3<'{}' 4>'{}'",
            to.display(),
            from.display()
        ))
        .arg(browser)
        .args(HEADLESS)
        .arg("--remote-debugging-pipe")
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut tx = std::fs::OpenOptions::new().write(true).open(&to).unwrap();
    let mut rx = BufReader::new(std::fs::File::open(&from).unwrap());
    let mut id = 0;
    let mut call = |method: &str, params: Value, session: Option<&str>| -> Value {
        id += 1;
        let mut msg = serde_json::json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = Value::String(s.to_owned());
        }
        tx.write_all(msg.to_string().as_bytes()).unwrap();
        tx.write_all(b"\0").unwrap();
        loop {
            let mut buf = Vec::new();
            rx.read_until(0, &mut buf).unwrap();
            assert!(!buf.is_empty(), "Chromium closed the pipe");
            buf.pop();
            let v: Value = serde_json::from_slice(&buf).unwrap();
            if v["id"] == id {
                return v;
            }
        }
    };
    let target = call("Target.createTarget", serde_json::json!({"url": url}), None);
    let target = target["result"]["targetId"].as_str().unwrap().to_owned();
    let session = call(
        "Target.attachToTarget",
        serde_json::json!({"targetId": target, "flatten": true}),
        None,
    );
    let session = session["result"]["sessionId"].as_str().unwrap().to_owned();
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    let text = loop {
        let v = call(
            "Runtime.evaluate",
            serde_json::json!({
                "expression": "(document.getElementById('out') || {}).textContent || ''",
                "returnByValue": true
            }),
            Some(&session),
        );
        let text = v["result"]["result"]["value"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        if !text.is_empty() || std::time::Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = call("Browser.close", serde_json::json!({}), None);
    let _ = child.kill();
    let _ = child.wait();
    let _ = rx.read_to_end(&mut Vec::new());
    assert!(
        !text.is_empty(),
        "{url}: the harness gave no output within {seconds} s"
    );
    text
}

/// The JSON a harness page left in `<pre id="out">`.
pub fn harness_output(dom: &str) -> Value {
    let start = dom.find("<pre id=\"out\"").expect("harness output") + "<pre id=\"out\"".len();
    let start = start + dom[start..].find('>').unwrap() + 1;
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A page that types each query into search.html (in a frame) as a reader would — focus,
/// value, an `input` event — waits for the results and lists them.
pub const TYPING: &str = r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>typing</title></head><body>
<pre id="out"></pre>
<iframe id="f" src="../search.html" style="width:1200px;height:900px"></iframe>
<script>
var queries = QUERIES;
document.getElementById("f").addEventListener("load", function () {
  var w = this.contentWindow, doc = this.contentDocument, out = [], i = 0, typed = 0;
  function next() {
    if (i >= queries.length) { document.getElementById("out").textContent = JSON.stringify(out); return; }
    var box = doc.getElementById("search-results");
    box.removeAttribute("data-state");
    var input = doc.getElementById("q");
    input.focus();
    input.value = queries[i];
    typed = performance.now();
    input.dispatchEvent(new w.Event("input", { bubbles: true }));
    poll(0);
  }
  function poll(n) {
    var box = doc.getElementById("search-results");
    if (box.getAttribute("data-state") !== "done" && n < 2000) { setTimeout(function () { poll(n + 1); }, 2); return; }
    out.push({
      ms: Math.round(performance.now() - typed),
      q: queries[i],
      state: box.getAttribute("data-state"),
      hits: Array.prototype.map.call(box.querySelectorAll("li.hit"), function (li) { return li.getAttribute("data-department"); }),
      goals: Array.prototype.map.call(box.querySelectorAll("li.hit ul a"), function (a) { return a.getAttribute("href"); }),
      marks: Array.prototype.map.call(box.querySelectorAll("mark"), function (m) { return m.textContent; }),
      districts: Array.prototype.map.call(box.querySelectorAll("section.district-hits h2"), function (h) { return h.textContent; }),
      status: doc.getElementById("search-status").textContent,
      scripts: Array.prototype.map.call(doc.querySelectorAll("script[src]"), function (s) { return s.getAttribute("src"); })
        .filter(function (s) { return s.indexOf("search/") >= 0; }),
      url: w.location.search
    });
    i += 1;
    next();
  }
  next();
});
</script></body></html>"#;

pub fn typing_page(queries: &[&str]) -> String {
    let json = serde_json::to_string(queries).unwrap();
    TYPING.replace("QUERIES", &budgetsite::output::search::script_safe(&json))
}

/// Headless Chromium driven over `--remote-debugging-pipe` (the DevTools protocol on file
/// descriptors 3 and 4, here two FIFOs): open pages at a window size, evaluate scripts in them.
/// Closed (and the browser ended) on drop.
pub struct Devtools {
    child: std::process::Child,
    tx: std::fs::File,
    rx: BufReader<std::fs::File>,
    id: u64,
    /// The tab `open` made last; the next `open` closes it.
    tab: Option<String>,
    _dir: tempfile::TempDir,
}

impl Devtools {
    pub fn launch(browser: &Path) -> Devtools {
        let dir = tempfile::tempdir().unwrap();
        let (to, from) = (dir.path().join("in"), dir.path().join("out"));
        for f in [&to, &from] {
            assert!(Command::new("mkfifo").arg(f).status().unwrap().success());
        }
        let child = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "exec \"$0\" \"$@\" 3<'{}' 4>'{}'",
                to.display(),
                from.display()
            ))
            .arg(browser)
            .args(HEADLESS)
            .arg("--remote-debugging-pipe")
            .arg(format!(
                "--user-data-dir={}",
                dir.path().join("profile").display()
            ))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let tx = std::fs::OpenOptions::new().write(true).open(&to).unwrap();
        let rx = BufReader::new(std::fs::File::open(&from).unwrap());
        Devtools {
            child,
            tx,
            rx,
            id: 0,
            tab: None,
            _dir: dir,
        }
    }

    /// One protocol call (in `session`, or to the browser); its answer.
    pub fn call(&mut self, method: &str, params: Value, session: Option<&str>) -> Value {
        use std::io::Write;
        self.id += 1;
        let mut msg = serde_json::json!({"id": self.id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = Value::String(s.to_owned());
        }
        self.tx.write_all(msg.to_string().as_bytes()).unwrap();
        self.tx.write_all(b"\0").unwrap();
        loop {
            let mut buf = Vec::new();
            self.rx.read_until(0, &mut buf).unwrap();
            assert!(!buf.is_empty(), "Chromium closed the pipe");
            buf.pop();
            let v: Value = serde_json::from_slice(&buf).unwrap();
            if v["id"] == self.id {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    /// Opens `url` in a new tab (closing the one opened before) `width` × `height` CSS pixels
    /// wide, waits (≤ 60 s) until it has loaded, and returns the tab's session.
    pub fn open(&mut self, url: &str, width: u32, height: u32) -> String {
        if let Some(old) = self.tab.take() {
            self.call(
                "Target.closeTarget",
                serde_json::json!({"targetId": old}),
                None,
            );
        }
        let target = self.call(
            "Target.createTarget",
            serde_json::json!({"url": "about:blank"}),
            None,
        );
        let target = target["targetId"].as_str().unwrap().to_owned();
        self.tab = Some(target.clone());
        let session = self.call(
            "Target.attachToTarget",
            serde_json::json!({"targetId": target, "flatten": true}),
            None,
        );
        let session = session["sessionId"].as_str().unwrap().to_owned();
        self.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": width, "height": height, "deviceScaleFactor": 1,
                               "mobile": width < 600}),
            Some(&session),
        );
        self.call(
            "Page.navigate",
            serde_json::json!({"url": url}),
            Some(&session),
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let loaded = "location.href !== 'about:blank' && document.readyState === 'complete'";
        while self.eval(&session, loaded) != Value::Bool(true) {
            assert!(
                std::time::Instant::now() < deadline,
                "{url} did not load in 60 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        session
    }

    /// The value of `expression` in `session`'s page (a promise is awaited).
    pub fn eval(&mut self, session: &str, expression: &str) -> Value {
        let v = self.call(
            "Runtime.evaluate",
            serde_json::json!({"expression": expression, "returnByValue": true,
                               "awaitPromise": true}),
            Some(session),
        );
        assert!(
            v.get("exceptionDetails").is_none(),
            "script failed: {}",
            v["exceptionDetails"]
        );
        v["result"]["value"].clone()
    }
}

impl Drop for Devtools {
    fn drop(&mut self) {
        use std::io::Read;
        let _ = self.call_quietly();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = self.rx.read_to_end(&mut Vec::new());
    }
}

impl Devtools {
    fn call_quietly(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        self.id += 1;
        let msg = serde_json::json!({"id": self.id, "method": "Browser.close", "params": {}});
        self.tx.write_all(msg.to_string().as_bytes())?;
        self.tx.write_all(b"\0")
    }
}
