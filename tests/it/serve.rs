//! `budgetsite serve` as users run it: the binary as a child process in a temp folder on a free
//! loopback port. Every wait is bounded (≤ 10 s) and panics with what it waited for; the child
//! is killed when the test ends, also on a panic.

use crate::common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

/// The running server; killed on drop.
struct Serve {
    child: Child,
    addr: SocketAddr,
    /// Everything the server printed on stderr, for failure messages.
    log: Arc<Mutex<String>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(dir: &Path) -> Serve {
        Serve::start_with(dir, &[])
    }

    /// Starts with extra environment variables (`BUDGETSITE_WATCH=poll`).
    fn start_with(dir: &Path, env: &[(&str, &str)]) -> Serve {
        let mut child = bin()
            .args(["serve", "--port", "0"])
            .envs(env.iter().copied())
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        {
            // Drains stderr for the whole run so the child never blocks on a full pipe.
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Some(at) = line.find("http://127.0.0.1:") {
                        let url = &line[at + "http://".len()..];
                        let host = url.split('/').next().unwrap_or_default().to_owned();
                        let _ = tx.send(host);
                    }
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        let mut server = Serve {
            child,
            addr: "127.0.0.1:1".parse().unwrap(),
            log,
        };
        match rx.recv_timeout(WAIT) {
            Ok(host) => server.addr = host.parse().unwrap(),
            Err(_) => panic!(
                "serve printed no URL within {WAIT:?}; stderr:\n{}",
                server.log()
            ),
        }
        assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
        server
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The server's stderr once `ok` holds for it: its lines are read by a thread, so a line
    /// printed just before a reload may reach the test just after it.
    fn wait_log(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            self.alive();
            let log = self.log();
            if ok(&log) {
                return log;
            }
            if started.elapsed() > WAIT {
                panic!("waited {WAIT:?} for {what}; stderr:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn alive(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("serve exited ({status}); stderr:\n{}", self.log());
        }
    }

    /// Sends a raw request (the target is sent as is) and reads the whole response.
    fn request(&self, method: &str, target: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect_timeout(&self.addr, WAIT).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        s.set_write_timeout(Some(WAIT)).unwrap();
        write!(
            s,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("{method} {target}: no full response: {e}"));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("{method} {target}: bad status line in {head:?}"));
        (status, head.to_owned(), body.to_owned())
    }

    fn get(&self, target: &str) -> (u16, String) {
        let (status, _, body) = self.request("GET", target);
        (status, body)
    }

    /// Polls `target` until `ok(status, body)`, at most `WAIT`.
    fn wait_for(&mut self, target: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let started = Instant::now();
        loop {
            self.alive();
            let (status, body) = self.get(target);
            if ok(status, &body) {
                return body;
            }
            if started.elapsed() > WAIT {
                panic!(
                    "waited {WAIT:?} for {what} at {target}; last answer {status}:\n{}\nstderr:\n{}",
                    body.chars().take(2000).collect::<String>(),
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

const FORM: &str = "submissions/x/武汉市新洲区总工会-2020.txt";

fn fixture(dir: &Path) {
    for entry in std::fs::read_dir(fixtures().join("sample")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            write(
                dir,
                &format!("submissions/x/{name}"),
                std::fs::read(&path).unwrap(),
            );
        }
    }
    assert!(dir.join(FORM).is_file());
}

/// An event-stream client: connects, checks the headers, then waits for `reload`.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(server: &Serve) -> Events {
        Events::open_at(server, "/__budgetsite/events")
    }

    fn open_at(server: &Serve, target: &str) -> Events {
        let mut s = TcpStream::connect_timeout(&server.addr, WAIT).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            server.addr
        )
        .unwrap();
        let mut reader = BufReader::new(s);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            let n = reader
                .read_line(&mut line)
                .expect("event stream: no headers within 10 s");
            assert!(n > 0, "event stream closed before its headers: {head}");
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("text/event-stream"), "{head}");
        Events { reader }
    }

    fn wait_reload(&mut self) {
        let started = Instant::now();
        let mut seen = String::new();
        while started.elapsed() < WAIT {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("event stream closed without reload; got:\n{seen}"),
                Ok(_) if line.trim_end() == "event: reload" => return,
                Ok(_) => seen.push_str(&line),
                Err(e) => panic!("no reload event within {WAIT:?} ({e}); got:\n{seen}"),
            }
        }
        panic!("no reload event within {WAIT:?}; got:\n{seen}");
    }

    /// Waits until the server ends the stream.
    fn wait_end(&mut self) {
        let mut seen = String::new();
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => return,
                Ok(_) => seen.push_str(&line),
                Err(e) => panic!("the stream was not ended within {WAIT:?} ({e}); got:\n{seen}"),
            }
        }
    }
}

/// A response header's value, whatever the case of its name.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then_some(v.trim())
    })
}

#[test]
fn serve_answers_rebuilds_and_survives_broken_edits() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let mut server = Serve::start(dir.path());

    // Answers: the home page with the reload script, assets with their type, 404, traversal.
    let home = server.wait_for("/", "the home page", |s, b| {
        s == 200 && b.contains("武汉市新洲区总工会")
    });
    assert!(
        home.contains("EventSource(\"/__budgetsite/events"),
        "{home}"
    );
    let script_at = home.find("/__budgetsite/events").unwrap();
    assert!(script_at < home.rfind("</body>").unwrap());
    let on_disk = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    assert!(
        !on_disk.contains("__budgetsite"),
        "built files stay untouched"
    );
    let (status, head, body) = server.request("HEAD", "/index.html");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"), "{head}");
    assert!(body.is_empty(), "HEAD has no body");
    let (status, head, _) = server.request("GET", "/assets/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/css"), "{head}");
    assert_eq!(server.get("/no-such-page.html").0, 404);
    for target in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/../../submissions/x/a.txt",
    ] {
        let (status, body) = server.get(target);
        assert!(
            status == 403 || status == 404,
            "{target} answered {status}: {body}"
        );
        assert!(!body.contains("[package]") && !body.contains("部门整体支出"));
    }
    assert_eq!(server.request("POST", "/").0, 405);

    // Rebuilds after a change to a form, and tells open pages.
    let mut events = Events::open(&server);
    let form = std::fs::read_to_string(dir.path().join(FORM)).unwrap();
    // With its time set explicitly: the watcher must not depend on the clock having ticked
    // since the last build.
    let edited = write(
        dir.path(),
        FORM,
        form.replace("武汉市新洲区总工会", "武汉市新洲区测试工会"),
    );
    set_mtime(&edited, 0);
    events.wait_reload();
    server.wait_for("/", "the renamed department", |s, b| {
        s == 200 && b.contains("武汉市新洲区测试工会")
    });

    // A broken template: the page shows the error and the server stays up.
    write(
        dir.path(),
        "site-templates/base.html",
        "{{ nosuchfilter | nosuch }}",
    );
    events.wait_reload();
    let error = server.wait_for("/", "the build error page", |s, b| {
        s == 500 && b.contains("构建失败")
    });
    assert!(error.contains("nosuch"), "{error}");
    assert!(
        error.contains("__budgetsite/events"),
        "the error page reloads too"
    );
    server.alive();
    // The last good site stays on disk and non-page files are still served.
    assert!(
        std::fs::read_to_string(dir.path().join("public/index.html"))
            .unwrap()
            .contains("测试工会")
    );
    assert_eq!(server.get("/assets/style.css").0, 200);

    // Removing it recovers.
    std::fs::remove_file(dir.path().join("site-templates/base.html")).unwrap();
    events.wait_reload();
    server.wait_for("/", "the site after the fix", |s, b| {
        s == 200 && b.contains("武汉市新洲区测试工会")
    });

    // A broken form is not a build failure: the others stay published, the report lists it.
    write(dir.path(), "submissions/x/junk-2020.txt", "这不是申报表\n");
    events.wait_reload();
    server.wait_for("/report.html", "the junk file on the report", |s, b| {
        s == 200 && b.contains("junk-2020.txt")
    });
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("武汉市新洲区测试工会"));
    server.alive();
}

#[test]
fn serve_starts_with_a_broken_config_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    write(dir.path(), "site.toml", "titel = \"拼错\"\n");
    let mut server = Serve::start(dir.path());
    let page = server.wait_for("/", "the config error", |s, b| {
        s == 500 && b.contains("构建失败")
    });
    assert!(page.contains("titel"), "{page}");
    write(dir.path(), "site.toml", "title = \"预览测试站\"\n");
    server.wait_for("/", "the site with the fixed config", |s, b| {
        s == 200 && b.contains("预览测试站")
    });
}

#[test]
fn a_slow_client_does_not_block_others() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let mut server = Serve::start(dir.path());
    server.wait_for("/", "the home page", |s, _| s == 200);
    // Half a request head that never ends, and an oversized one.
    let mut slow = TcpStream::connect_timeout(&server.addr, WAIT).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    assert_eq!(server.get("/").0, 200);
    // Served while the slow client still waits for its answer: a server taking clients one
    // after the other would have answered (408) the slow one first. No clock is read here.
    slow.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    match slow.peek(&mut byte) {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the slow client was answered first ({other:?}): it held up another"),
    }
    slow.set_nonblocking(false).unwrap();
    let (status, _, _) = server.request("GET", &format!("/{}", "a".repeat(40_000)));
    assert_eq!(status, 431);
    // The slow one is answered 408 and closed within the server's deadline.
    slow.set_read_timeout(Some(WAIT)).unwrap();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    server.alive();
}

#[test]
fn many_slow_clients_do_not_starve_a_real_request() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let mut server = Serve::start(dir.path());
    server.wait_for("/", "the home page", |s, _| s == 200);
    // More half-sent request heads than the server has workers.
    let slow: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = TcpStream::connect_timeout(&server.addr, WAIT).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .unwrap();
            s
        })
        .collect();
    // No pause needed: the server accepts in connection order, so the slow ones come first.
    let started = Instant::now();
    assert_eq!(server.get("/").0, 200, "a real request is served");
    assert!(started.elapsed() < Duration::from_secs(3));
    drop(slow);
    server.alive();
}

#[test]
fn other_hosts_are_refused_and_redirects_stay_on_this_host() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let mut server = Serve::start(dir.path());
    server.wait_for("/", "the home page", |s, _| s == 200);
    // DNS rebinding: a page of another host reaching the preview under its own name.
    let mut s = TcpStream::connect_timeout(&server.addr, WAIT).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: evil.example:8000\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer:?}");
    // `//assets` is a folder asked for without its slash: the redirect stays on this host.
    let (status, head, _) = server.request("GET", "//assets");
    assert_eq!(status, 301, "{head}");
    let location = head
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap();
    assert_eq!(location, "/assets/");
    server.alive();
}

#[test]
fn ctrl_c_ends_serve_with_status_0() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let mut server = Serve::start(dir.path());
    server.wait_for("/", "the home page", |s, _| s == 200);
    // An open page does not hold the server up.
    let _events = Events::open(&server);
    let pid = server.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < WAIT, "serve did not end on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{}", server.log());
}

#[test]
fn published_files_have_their_types_and_folders_their_index() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    // Files in the templates' static/ are published in assets/ beside the built-in ones.
    write(
        dir.path(),
        "site-templates/static/logo.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    );
    write(
        dir.path(),
        "site-templates/static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let mut server = Serve::start(dir.path());
    server.wait_for("/", "the home page", |s, _| s == 200);
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    for (target, content_type) in [
        ("/index.html", "text/html; charset=utf-8"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/site.js", "text/javascript; charset=utf-8"),
        ("/search/x.js", "text/javascript; charset=utf-8"),
        ("/data/district.json", "application/json"),
        ("/x/data/departments.csv", "text/csv; charset=utf-8"),
        ("/x/data/departments.xlsx", xlsx),
        ("/assets/logo.svg", "image/svg+xml"),
        ("/assets/logo.png", "image/png"),
    ] {
        let (status, head, _) = server.request("GET", target);
        assert_eq!(status, 200, "{target}: {head}");
        assert_eq!(
            header(&head, "content-type"),
            Some(content_type),
            "{target}"
        );
        assert_eq!(header(&head, "x-content-type-options"), Some("nosniff"));
    }
    // Bytes as built (a file that is not a page gets no script).
    let (_, _, css) = server.request("GET", "/assets/style.css");
    let on_disk = std::fs::read_to_string(dir.path().join("public/assets/style.css")).unwrap();
    assert_eq!(css, on_disk);
    // A folder is its index.html; without its slash it is redirected there.
    let (status, folder) = server.get("/x/");
    assert_eq!(status, 200);
    let index = std::fs::read_to_string(dir.path().join("public/x/index.html")).unwrap();
    let body_end = index.rfind("</body>").unwrap();
    assert!(
        folder.starts_with(&index[..body_end]),
        "/x/ is x/index.html"
    );
    let (status, head, _) = server.request("GET", "/x");
    assert_eq!(status, 301);
    assert_eq!(header(&head, "location"), Some("/x/"));
    // A missing file: a page saying so, which reloads after the next build like the others.
    let (status, head, body) = server.request("GET", "/x/no-such-page.html");
    assert_eq!(status, 404);
    assert!(header(&head, "content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(
        body.contains("404") && body.contains("__budgetsite/events"),
        "{body}"
    );
    let (status, head, _) = server.request("DELETE", "/index.html");
    assert_eq!(status, 405);
    assert_eq!(header(&head, "allow"), Some("GET, HEAD"));
    server.alive();
}

#[test]
fn traversal_is_refused_however_it_is_spelled() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    write(dir.path(), "secret.txt", "SECRET-41");
    let mut server = Serve::start(dir.path());
    server.wait_for("/", "the home page", |s, _| s == 200);
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("secret.txt"),
        dir.path().join("public/leak.txt"),
    )
    .unwrap();
    for target in [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/x/%2e%2e/%2e%2e/secret.txt",
        "/x/..%5c..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/.%2e/secret.txt",
        "/leak.txt",
    ] {
        let (status, body) = server.get(target);
        assert!(
            status == 403 || status == 404,
            "{target} answered {status}: {body}"
        );
        assert!(!body.contains("SECRET-41"), "{target}: {body}");
    }
    #[cfg(unix)]
    assert_eq!(server.get("/leak.txt").0, 403, "a symlink out of the site");
    // A request naming another host in its target (absolute form) is refused like a Host.
    let mut s = TcpStream::connect_timeout(&server.addr, WAIT).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET http://evil.example/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer:?}");
    server.alive();
}

#[test]
fn polling_rebuilds_where_native_watching_is_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let mut server = Serve::start_with(dir.path(), &[("BUDGETSITE_WATCH", "poll")]);
    server.wait_for("/", "the home page", |s, _| s == 200);
    server.wait_log("the polling notice", |l| l.contains("定时比较文件"));
    let mut events = Events::open(&server);
    let form = std::fs::read_to_string(dir.path().join(FORM)).unwrap();
    let edited = write(
        dir.path(),
        FORM,
        form.replace("武汉市新洲区总工会", "武汉市新洲区轮询工会"),
    );
    // An earlier time than the one seen (as `cp -p` may leave): the contents tell.
    set_mtime(&edited, 3);
    events.wait_reload();
    server.wait_for("/", "the renamed department", |s, b| {
        s == 200 && b.contains("武汉市新洲区轮询工会")
    });
    // A templates folder that did not exist at start is watched once it appears.
    write(dir.path(), "site-templates/base.html", "{{ broken");
    events.wait_reload();
    server.wait_for("/", "the build error page", |s, b| {
        s == 500 && b.contains("构建失败")
    });
    server.alive();
}

#[test]
fn a_burst_of_edits_is_built_once() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let mut server = Serve::start(dir.path());
    server.wait_for("/", "the home page", |s, _| s == 200);
    let mut events = Events::open(&server);
    for i in 0..10 {
        write(
            dir.path(),
            &format!("submissions/x/junk-{i}-2020.txt"),
            "这不是申报表\n",
        );
    }
    events.wait_reload();
    server.wait_for("/report.html", "every junk file on the report", |s, b| {
        s == 200 && (0..10).all(|i| b.contains(&format!("junk-{i}-2020.txt")))
    });
    let log = server.wait_log("the rebuild's line", |l| l.contains("已重新构建"));
    assert_eq!(log.matches("已重新构建").count(), 1, "{log}");
}

#[test]
fn a_page_served_before_the_last_build_reloads_at_once() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let mut server = Serve::start(dir.path());
    let home = server.wait_for("/", "the home page", |s, _| s == 200);
    let since: u64 = home
        .split("since=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no generation in the page's script: {home}"));
    // As if the page had been served one build earlier.
    let stale = format!("/__budgetsite/events?since={}", since.wrapping_sub(1));
    Events::open_at(&server, &stale).wait_reload();
}

#[test]
fn open_pages_do_not_take_the_room_of_requests() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let mut server = Serve::start(dir.path());
    server.wait_for("/", "the home page", |s, _| s == 200);
    // More open pages than the server keeps event streams for (64), and than it serves
    // connections at once: the oldest stream is ended, requests are still answered.
    let mut streams: Vec<Events> = (0..65).map(|_| Events::open(&server)).collect();
    streams[0].wait_end();
    assert_eq!(server.get("/").0, 200);
    server.alive();
}

#[test]
fn a_busy_port_exits_2_and_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = bin()
        .args(["serve", "--port", &port])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > WAIT {
            let _ = child.kill();
            panic!("serve on a busy port did not exit");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    let message = format!("无法在 127.0.0.1:{port} 上监听");
    assert_eq!(stderr.matches(&message).count(), 1, "{stderr}");
}
