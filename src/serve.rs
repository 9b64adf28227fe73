//! `serve`: a local preview server. Builds the site, serves the output folder on 127.0.0.1,
//! polls the submissions, templates and config for changes, rebuilds, and tells open pages
//! to reload (Server-Sent Events). HTTP is a deliberately small std-only subset: `GET` and
//! `HEAD`, one request per connection, a bounded request head read under a deadline. Slow
//! clients cannot starve the others: when every worker is busy, the connection that has
//! waited longest for its request head is dropped to make room. Only requests for
//! `127.0.0.1` or `localhost` are answered (the `Host` header), so a web page elsewhere
//! cannot read the preview through DNS rebinding.
//!
//! Pages on disk stay byte-identical to `build`: the reload script is injected into HTML
//! responses only. A build that fails (a broken template, an invalid `site.toml`) keeps the
//! server running and the last good site on disk; HTML requests get an error page with the
//! message until a build succeeds again. A broken submission is not a build failure: the
//! build publishes the others and lists it on the report page.

use crate::build::{self, BuildOptions, BuildOutcome};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

/// Path of the Server-Sent Events stream the injected script listens to.
pub const EVENTS_PATH: &str = "/__budgetsite/events";

/// How often the watched files are compared.
const POLL: Duration = Duration::from_millis(300);
/// A change is built once the files have been quiet this long (an editor's save of several
/// files, a copied folder), but never later than `DEBOUNCE_MAX` after it was first seen.
const DEBOUNCE: Duration = Duration::from_millis(150);
const DEBOUNCE_MAX: Duration = Duration::from_secs(2);
/// Limits on a request head: its size, each read, and the whole head.
const MAX_HEAD: usize = 16 * 1024;
const READ_TIMEOUT: Duration = Duration::from_secs(2);
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections handled at once (each on its own thread). Beyond it the connection waiting
/// longest for its request head is dropped; only when none is waiting are more answered 503.
const MAX_WORKERS: usize = 64;
/// Open event streams kept; the oldest is dropped beyond this.
const MAX_EVENT_CLIENTS: usize = 64;
/// A comment is sent on idle event streams this often, to notice closed pages.
const PING_EVERY: Duration = Duration::from_secs(15);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    /// Port on 127.0.0.1; 0 picks any free port (see `Server::local_addr`).
    pub port: u16,
}

/// State shared by the watcher and the connection threads.
struct Shared {
    /// The output folder as given (served from disk; the build swaps it atomically).
    output: PathBuf,
    /// The message of the last build when it failed; None after a successful build.
    error: Mutex<Option<String>>,
    /// Counts finished builds; pages carry the one they were served at, so a page that
    /// connects its event stream after a rebuild still reloads.
    generation: AtomicU64,
    events: Mutex<Vec<TcpStream>>,
    workers: AtomicUsize,
    /// Connections still reading their request head, oldest first (by number).
    reading: Mutex<BTreeMap<u64, TcpStream>>,
    connections: AtomicU64,
}

/// A started preview server: the first build is done and the port is bound.
pub struct Server {
    listener: TcpListener,
    options: ServeOptions,
    shared: Arc<Shared>,
    /// Fingerprint of the watched files taken before the first build.
    fingerprint: Fingerprint,
}

impl Server {
    /// Builds the site once (a failed build is kept as the error to show, not returned) and
    /// binds 127.0.0.1 on the port.
    pub fn start(options: ServeOptions) -> std::io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", options.port))?;
        let shared = Arc::new(Shared {
            output: options.build.output.clone(),
            error: Mutex::new(None),
            generation: AtomicU64::new(0),
            events: Mutex::new(Vec::new()),
            workers: AtomicUsize::new(0),
            reading: Mutex::new(BTreeMap::new()),
            connections: AtomicU64::new(0),
        });
        let fingerprint = fingerprint(&options.build);
        rebuild_and_record(&options.build, &shared, false);
        Ok(Server {
            listener,
            options,
            shared,
            fingerprint,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stop` is set: connections on this thread's accept loop, one thread per
    /// connection, and a watcher thread that rebuilds on changes.
    pub fn run(self, stop: Arc<AtomicBool>) -> std::io::Result<()> {
        let Server {
            listener,
            options,
            shared,
            fingerprint,
        } = self;
        listener.set_nonblocking(true)?;
        let watcher = {
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            thread::Builder::new()
                .name("budgetsite-watch".into())
                .spawn(move || watch(&options.build, &shared, &stop, fingerprint))?
        };
        while !stop.load(Ordering::Relaxed) {
            match listener.accept() {
                Ok((stream, _)) => dispatch(stream, &shared),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    thread::sleep(Duration::from_millis(20));
                }
                // A connection reset before it was accepted, too many open files…: not fatal.
                Err(_) => thread::sleep(Duration::from_millis(50)),
            }
        }
        let _ = watcher.join();
        Ok(())
    }
}

/// Hands a connection to a thread, or answers 503 when too many are busy.
fn dispatch(stream: TcpStream, shared: &Arc<Shared>) {
    // Accepted sockets may inherit the listener's non-blocking mode on some platforms.
    if stream.set_nonblocking(false).is_err() {
        return;
    }
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let busy = shared.workers.fetch_add(1, Ordering::AcqRel);
    // Full: the connection waiting longest for its head makes room (its thread ends as its
    // read fails); a worker more is allowed meanwhile, up to twice the bound.
    let made_room = (MAX_WORKERS..2 * MAX_WORKERS).contains(&busy) && {
        let oldest = lock(&shared.reading).pop_first();
        oldest.is_some_and(|(_, s)| s.shutdown(std::net::Shutdown::Both).is_ok())
    };
    if busy >= MAX_WORKERS && !made_room {
        shared.workers.fetch_sub(1, Ordering::AcqRel);
        let _ = stream.set_write_timeout(Some(Duration::from_millis(500)));
        let mut stream = stream;
        let _ = respond(
            &mut stream,
            &Response::text(503, "服务器繁忙，请稍后重试"),
            false,
        );
        return;
    }
    // Registered here, in accept order, not when its thread starts: under load a thread may
    // start late, and the next connection must still find someone to make room.
    let id = shared.connections.fetch_add(1, Ordering::Relaxed);
    if let Ok(clone) = stream.try_clone() {
        lock(&shared.reading).insert(id, clone);
    }
    let shared_for_thread = Arc::clone(shared);
    let spawned = thread::Builder::new()
        .name("budgetsite-conn".into())
        .spawn(move || {
            handle(stream, id, &shared_for_thread);
            shared_for_thread.workers.fetch_sub(1, Ordering::AcqRel);
        });
    if spawned.is_err() {
        lock(&shared.reading).remove(&id);
        shared.workers.fetch_sub(1, Ordering::AcqRel);
    }
}

// ---------------------------------------------------------------------------------------
// Building and watching

/// The one place a (re)build is run: incremental when the options name a build cache.
fn rebuild(options: &BuildOptions) -> Result<BuildOutcome, String> {
    let options = BuildOptions {
        progress: false,
        ..options.clone()
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build::build(&options))) {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(e)) => Err(error_chain(&e)),
        Err(_) => Err("构建时发生内部错误（panic），详见上方输出".to_owned()),
    }
}

/// Builds, records the outcome for the pages, logs a line on stderr and, after a rebuild,
/// tells open pages to reload.
fn rebuild_and_record(options: &BuildOptions, shared: &Shared, notify: bool) {
    let started = Instant::now();
    let result = rebuild(options);
    let elapsed = started.elapsed().as_secs_f64();
    let verb = if notify { "重新构建" } else { "构建" };
    match &result {
        Ok(outcome) => {
            let counts = outcome.batch.counts();
            eprintln!(
                "已{verb}：{} 个地区、{} 个部门、{} 份申报表；{} 份文件因错误未发布；{} 个错误，{} 个警告；用时 {elapsed:.2} 秒",
                outcome.districts,
                outcome.departments,
                outcome.published_forms,
                outcome.unpublished_files,
                counts.errors,
                counts.warnings
            );
        }
        Err(message) => {
            eprintln!("{verb}失败（继续提供上一次成功构建的网站）：{message}");
        }
    }
    *lock(&shared.error) = result.err();
    shared.generation.fetch_add(1, Ordering::AcqRel);
    if notify {
        broadcast(shared, "event: reload\ndata: reload\n\n");
    }
}

/// Polls the watched files until `stop`; a change is debounced, then rebuilt.
fn watch(options: &BuildOptions, shared: &Shared, stop: &AtomicBool, mut last: Fingerprint) {
    let mut last_ping = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        thread::sleep(POLL);
        let mut now = fingerprint(options);
        if now != last {
            // Wait for the files to settle so a half-written save is not built.
            let first_seen = Instant::now();
            loop {
                thread::sleep(DEBOUNCE);
                let again = fingerprint(options);
                let settled = again == now;
                now = again;
                if settled || first_seen.elapsed() >= DEBOUNCE_MAX || stop.load(Ordering::Relaxed) {
                    break;
                }
            }
            last = now;
            if stop.load(Ordering::Relaxed) {
                break;
            }
            rebuild_and_record(options, shared, true);
        }
        if last_ping.elapsed() >= PING_EVERY {
            broadcast(shared, ": ping\n\n");
            last_ping = Instant::now();
        }
    }
}

/// (len, mtime) of every watched file, by path; hidden files and folders are left out, and
/// so is the output folder (it may sit inside the input folder).
type Fingerprint = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

fn fingerprint(options: &BuildOptions) -> Fingerprint {
    let output = absolute(&options.output);
    let mut out = Fingerprint::new();
    for root in [&options.input, &options.templates, &options.config] {
        let walk = walkdir::WalkDir::new(root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(e.file_name().to_string_lossy().starts_with('.')
                        || absolute(e.path()) == output)
            });
        for entry in walk.filter_map(Result::ok) {
            if !entry.file_type().is_file() {
                continue;
            }
            if let Ok(meta) = entry.metadata() {
                out.insert(entry.path().to_owned(), (meta.len(), meta.modified().ok()));
            }
        }
    }
    out
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p)
        .map(|a| a.components().collect())
        .unwrap_or_else(|_| p.to_owned())
}

/// Sends `message` to every open event stream, dropping those that fail.
fn broadcast(shared: &Shared, message: &str) {
    let mut clients = lock(&shared.events);
    clients.retain_mut(|s| {
        s.write_all(message.as_bytes())
            .and_then(|()| s.flush())
            .is_ok()
    });
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        // `#[error(transparent)]` variants repeat their source's message.
        if !s.ends_with(&text) {
            s.push('：');
            s.push_str(&text);
        }
        source = inner.source();
    }
    s
}

// ---------------------------------------------------------------------------------------
// HTTP

/// A parsed request head: what the server needs of it.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target without query or fragment, still percent-encoded.
    pub path: String,
    pub query: String,
    pub accepts_html: bool,
    /// The `Host` header, if sent.
    pub host: Option<String>,
}

/// Parses a request head (request line and headers, up to the blank line).
pub fn parse_head(head: &[u8]) -> Option<Request> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || method.is_empty() {
        return None;
    }
    let target = target.split('#').next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if !path.starts_with('/') {
        return None;
    }
    let mut accepts_html = false;
    let mut host = None;
    for (name, value) in lines.filter_map(|l| l.split_once(':')) {
        let name = name.trim();
        if name.eq_ignore_ascii_case("accept") && value.contains("text/html") {
            accepts_html = true;
        } else if name.eq_ignore_ascii_case("host") {
            host = Some(value.trim().to_owned());
        }
    }
    Some(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        accepts_html,
        host,
    })
}

/// Reads a request head within the size and time limits; the error is the status to answer
/// (408 too slow, 431 too big) or 0 when the client is gone.
fn read_head(stream: &mut TcpStream) -> Result<Vec<u8>, u16> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    loop {
        if let Some(end) = find(&head, b"\r\n\r\n") {
            head.truncate(end);
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(431);
        }
        if Instant::now() >= deadline {
            return Err(408);
        }
        match stream.read(&mut buf) {
            Ok(0) => return Err(0),
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(408)
            }
            Err(_) => return Err(0),
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    extra: Vec<(&'static str, String)>,
}

impl Response {
    fn text(status: u16, message: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{message}\n").into_bytes(),
            extra: Vec::new(),
        }
    }

    fn html(status: u16, html: String) -> Response {
        Response {
            status,
            content_type: "text/html; charset=utf-8",
            body: html.into_bytes(),
            extra: Vec::new(),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn respond(stream: &mut TcpStream, r: &Response, head_only: bool) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    for (name, value) in &r.extra {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&r.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

/// Whether a `Host` header names this machine's loopback preview (any port).
pub fn allowed_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(n, _)| n),
    };
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "::1"
}

/// Answers one connection; `id` is its entry in `Shared::reading` until its head is read.
fn handle(mut stream: TcpStream, id: u64, shared: &Shared) {
    let head = read_head(&mut stream);
    lock(&shared.reading).remove(&id);
    let (response, head_only) = match head {
        Err(0) => return,
        Err(status) => (Response::text(status, reason(status)), false),
        Ok(head) => match parse_head(&head) {
            None => (Response::text(400, "请求格式错误"), false),
            Some(request) => {
                let head_only = request.method == "HEAD";
                if request.host.as_deref().is_some_and(|h| !allowed_host(h)) {
                    (
                        Response::text(403, "只接受发往 127.0.0.1 或 localhost 的请求"),
                        false,
                    )
                } else if request.method != "GET" && !head_only {
                    let mut r = Response::text(405, "只支持 GET 和 HEAD");
                    r.extra.push(("Allow", "GET, HEAD".to_owned()));
                    (r, false)
                } else if request.path == EVENTS_PATH && !head_only {
                    open_events(stream, shared, &request.query);
                    return;
                } else {
                    (serve_path(shared, &request), head_only)
                }
            }
        },
    };
    if respond(&mut stream, &response, head_only).is_ok() {
        close_gently(stream);
    }
}

/// Closes after the response: a socket closed with unread request bytes (a body, an
/// oversized head) is reset, and the reset can destroy the response before the client reads
/// it. So the write side is shut first and what the client still sends is drained briefly.
fn close_gently(mut stream: TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut buf = [0u8; 4096];
    let mut drained = 0usize;
    while drained < 1 << 20 && Instant::now() < deadline {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// Starts an event stream and keeps it for `broadcast`; reloads at once when the page was
/// served before the latest build (`?since=N`).
fn open_events(mut stream: TcpStream, shared: &Shared, query: &str) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let generation = shared.generation.load(Ordering::Acquire);
    let since = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|v| v.parse::<u64>().ok());
    if since.is_some_and(|s| s != generation) {
        let _ = stream.write_all(b"event: reload\ndata: reload\n\n");
        return;
    }
    let _ = stream.flush();
    // A page that stops reading must not hold up the others' reload for long.
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let mut clients = lock(&shared.events);
    if clients.len() >= MAX_EVENT_CLIENTS {
        clients.remove(0);
    }
    clients.push(stream);
}

/// Why a request path cannot be served.
#[derive(Debug, PartialEq, Eq)]
pub enum PathError {
    /// `..`, a backslash, NUL or undecodable bytes: refused outright (403).
    Forbidden,
}

/// Decodes a request path into its relative segments (`/a/b%20c/` → `["a", "b c"]`),
/// refusing anything that could leave the served folder.
pub fn safe_segments(path: &str) -> Result<Vec<String>, PathError> {
    let decoded = percent_decode(path).ok_or(PathError::Forbidden)?;
    let decoded = String::from_utf8(decoded).map_err(|_| PathError::Forbidden)?;
    let mut out = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(PathError::Forbidden),
            s if s.contains(['\\', '\0', ':']) => return Err(PathError::Forbidden),
            s => out.push(s.to_owned()),
        }
    }
    Ok(out)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Content type by file extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The reload script for a page served at `generation`.
pub fn reload_script(generation: u64) -> String {
    format!(
        "<script>(function(){{var s=new EventSource(\"{EVENTS_PATH}?since={generation}\");s.addEventListener(\"reload\",function(){{s.close();location.reload();}});}})();</script>\n"
    )
}

/// Inserts the reload script before the last `</body>` (or at the end).
pub fn inject(html: &str, generation: u64) -> String {
    let script = reload_script(generation);
    let at = html.rfind("</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + script.len());
    out.push_str(&html[..at]);
    out.push_str(&script);
    out.push_str(&html[at..]);
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page shown for HTML requests while the last build failed.
pub fn error_page(message: &str, generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>构建失败 · budgetsite</title>\n<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}pre{{background:#fff4f4;border:1px solid #c33;padding:1rem;white-space:pre-wrap;overflow-wrap:anywhere}}</style></head>\n<body>\n<h1>构建失败</h1>\n<p>最近一次构建出错，网站仍是上一次成功构建的版本。修改并保存后会自动重新构建，本页随之刷新。</p>\n<pre>{}</pre>\n</body>\n</html>\n",
        escape(message)
    )
    .replacen("</body>", &format!("{}</body>", reload_script(generation)), 1)
}

fn not_found_page(generation: u64) -> String {
    inject(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>未找到 · budgetsite</title></head>\n<body>\n<h1>404：未找到页面</h1>\n<p><a href=\"/\">返回首页</a></p>\n</body>\n</html>\n",
        generation,
    )
}

/// Whether the request wants a page (the error page replaces pages while a build is broken).
fn wants_html(request: &Request, segments: &[String]) -> bool {
    request.accepts_html
        || request.path.ends_with('/')
        || segments
            .last()
            .is_none_or(|s| s.ends_with(".html") || !s.contains('.'))
}

fn serve_path(shared: &Shared, request: &Request) -> Response {
    let Ok(segments) = safe_segments(&request.path) else {
        return Response::text(403, "禁止访问");
    };
    let generation = shared.generation.load(Ordering::Acquire);
    if wants_html(request, &segments) {
        if let Some(message) = lock(&shared.error).clone() {
            return Response::html(500, error_page(&message, generation));
        }
    }
    // Where the build cannot swap the output folder in one step it takes two renames; a
    // request in between retries once.
    let mut found = resolve(&shared.output, &segments, &request.path);
    if matches!(found, Resolved::Missing) {
        thread::sleep(Duration::from_millis(50));
        found = resolve(&shared.output, &segments, &request.path);
    }
    match found {
        Resolved::File(path) => match std::fs::read(&path) {
            Ok(bytes) => {
                let content_type = content_type(&path);
                let body = if content_type.starts_with("text/html") {
                    inject(&String::from_utf8_lossy(&bytes), generation).into_bytes()
                } else {
                    bytes
                };
                Response {
                    status: 200,
                    content_type,
                    body,
                    extra: Vec::new(),
                }
            }
            Err(_) => Response::html(404, not_found_page(generation)),
        },
        Resolved::Redirect(location) => {
            let mut r = Response::text(301, &location);
            r.extra.push(("Location", location));
            r
        }
        Resolved::Forbidden => Response::text(403, "禁止访问"),
        Resolved::Missing => Response::html(404, not_found_page(generation)),
    }
}

enum Resolved {
    File(PathBuf),
    /// A folder asked for without the trailing slash: relative links need it.
    Redirect(String),
    Forbidden,
    Missing,
}

/// Maps segments to a file under `root` (a folder to its `index.html`); a symlink that
/// leads outside `root` is refused.
fn resolve(root: &Path, segments: &[String], raw_path: &str) -> Resolved {
    let Ok(root) = root.canonicalize() else {
        return Resolved::Missing;
    };
    let mut path = root.clone();
    path.extend(segments);
    debug_assert!(path
        .components()
        .all(|c| !matches!(c, Component::ParentDir)));
    let Ok(real) = path.canonicalize() else {
        return Resolved::Missing;
    };
    if !real.starts_with(&root) {
        return Resolved::Forbidden;
    }
    if real.is_dir() {
        if !raw_path.ends_with('/') {
            // One leading slash: `//host/x` would send the browser to another host.
            return Resolved::Redirect(format!("/{}/", raw_path.trim_start_matches('/')));
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::Missing
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::Missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_hosts_are_allowed() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:8000",
            "localhost",
            "LOCALHOST:1",
            "[::1]:80",
        ] {
            assert!(allowed_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8000",
            "127.0.0.1.evil.example",
            "",
            "[::2]",
        ] {
            assert!(!allowed_host(bad), "{bad}");
        }
        let r = parse_head(b"GET / HTTP/1.1\r\nHOST: evil.example:8000").unwrap();
        assert_eq!(r.host.as_deref(), Some("evil.example:8000"));
    }

    #[test]
    fn heads_parse_and_junk_does_not() {
        let r = parse_head(b"GET /a/b.html?x=1#f HTTP/1.1\r\nHost: x\r\nAccept: text/html,*/*")
            .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/a/b.html");
        assert_eq!(r.query, "x=1");
        assert!(r.accepts_html);
        assert!(parse_head(b"HEAD / HTTP/1.0").is_some_and(|r| !r.accepts_html));
        for bad in [
            &b"GET / HTTP/1.1 extra"[..],
            b"GET",
            b"GET relative HTTP/1.1",
            b"GET / SPDY/3",
            b"\xff\xfe / HTTP/1.1",
        ] {
            assert_eq!(parse_head(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn paths_decode_and_traversal_is_refused() {
        assert_eq!(safe_segments("/").unwrap(), Vec::<String>::new());
        assert_eq!(
            safe_segments("/a/./%E7%A4%BA%E4%BE%8B/b%20c.html").unwrap(),
            ["a", "示例", "b c.html"]
        );
        for bad in [
            "/../Cargo.toml",
            "/a/../../x",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2fCargo.toml",
            "/a%5c..%5cx",
            "/a%00",
            "/C:/x",
            "/%zz",
            "/%ff",
        ] {
            assert_eq!(safe_segments(bad), Err(PathError::Forbidden), "{bad}");
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = "<html><body><p>x</p></body></html>";
        let out = inject(page, 7);
        assert!(out.contains("<p>x</p><script>"));
        assert!(out.ends_with("</script>\n</body></html>"));
        assert!(out.contains("/__budgetsite/events?since=7"));
        assert!(inject("no body", 0).starts_with("no body<script>"));
    }

    #[test]
    fn the_error_page_escapes_the_message() {
        let page = error_page("模板 <b>&</b> 有误", 3);
        assert!(page.contains("模板 &lt;b&gt;&amp;&lt;/b&gt; 有误"));
        assert!(!page.contains("<b>"));
        assert!(page.contains("since=3"));
    }

    #[test]
    fn content_types_by_extension() {
        for (name, ty) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.CSS", "text/css; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.json", "application/json"),
            ("a.csv", "text/csv; charset=utf-8"),
            ("a.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), ty, "{name}");
        }
        assert!(content_type(Path::new("x.xlsx")).contains("spreadsheetml"));
    }

    #[test]
    fn resolve_maps_folders_and_refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("d")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("d/index.html"), "d").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let seg = |p: &str| safe_segments(p).unwrap();
        assert!(
            matches!(resolve(&root, &seg("/"), "/"), Resolved::File(p) if p.ends_with("public/index.html"))
        );
        assert!(
            matches!(resolve(&root, &seg("/d/"), "/d/"), Resolved::File(p) if p.ends_with("d/index.html"))
        );
        assert!(matches!(resolve(&root, &seg("/d"), "/d"), Resolved::Redirect(l) if l == "/d/"));
        assert!(matches!(
            resolve(&root, &seg("/nope.html"), "/nope.html"),
            Resolved::Missing
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert!(matches!(
                resolve(&root, &seg("/link.txt"), "/link.txt"),
                Resolved::Forbidden
            ));
        }
    }

    #[test]
    fn fingerprint_sees_changes_and_skips_hidden_files_and_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(input.join("public")).unwrap();
        std::fs::write(input.join("a.txt"), "1").unwrap();
        let options = BuildOptions {
            input: input.clone(),
            output: input.join("public"),
            templates: dir.path().join("missing"),
            config: dir.path().join("site.toml"),
            ..BuildOptions::default()
        };
        let before = fingerprint(&options);
        assert_eq!(before.len(), 1);
        std::fs::write(input.join(".hidden"), "x").unwrap();
        std::fs::write(input.join("public/index.html"), "x").unwrap();
        assert_eq!(fingerprint(&options), before);
        std::fs::write(input.join("a.txt"), "22").unwrap();
        assert_ne!(fingerprint(&options), before);
        std::fs::write(dir.path().join("site.toml"), "").unwrap();
        assert_eq!(fingerprint(&options).len(), 2);
    }
}
