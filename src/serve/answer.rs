//! One request to one response. Only `GET` and `HEAD` to a loopback `Host`
//! (`127.0.0.1`, `localhost`, `[::1]`, any port) are answered, so a page of another site
//! cannot read the preview through DNS rebinding. [`EVENTS_PATH`] is the reload event
//! stream; any other path is a file of the output folder (`paths`): pages with the
//! reload script added, other files by `tower-http`'s `ServeFile` (type by extension, ranges,
//! conditional requests). While the last build is broken, page requests get the error page.

use super::paths::{resolve, safe_segments, Resolved};
use super::{lock, Shared};
use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tower_http::services::ServeFile;

/// Path of the Server-Sent Events stream the injected script listens to.
pub const EVENTS_PATH: &str = "/__budgetsite/events";
/// Open event streams kept; the oldest is ended beyond this.
pub(crate) const MAX_EVENT_STREAMS: usize = 64;
/// A comment is sent on idle event streams this often, to notice closed pages.
const PING_EVERY: Duration = Duration::from_secs(15);

/// A response, and whether it is an event stream (which has no deadline).
pub(crate) struct Answer {
    pub response: Response,
    pub streaming: bool,
}

impl From<Response> for Answer {
    fn from(response: Response) -> Answer {
        Answer {
            response,
            streaming: false,
        }
    }
}

/// Answers one request.
pub(crate) async fn answer<B>(request: Request<B>, shared: Arc<Shared>) -> Answer {
    let request = request.map(|_| ());
    // The `Host` header, and the host of a target in absolute form (`GET http://…/`).
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or_default());
    let authority = request.uri().authority().map(|a| a.as_str());
    if [host, authority]
        .into_iter()
        .flatten()
        .any(|h| !allowed_host(h))
    {
        return text(
            StatusCode::FORBIDDEN,
            "只接受发往 127.0.0.1 或 localhost 的请求",
        )
        .into();
    }
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "只支持 GET 和 HEAD");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r.into();
    }
    if request.uri().path() == EVENTS_PATH && method == Method::GET {
        return Answer {
            response: events(&shared, request.uri().query().unwrap_or_default()),
            streaming: true,
        };
    }
    let mut response = serve_path(&shared, request).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response.into()
}

/// Whether a `Host` header names this machine's loopback preview (any port).
pub fn allowed_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(n, _)| n),
    };
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "::1"
}

async fn serve_path(shared: &Shared, request: Request<()>) -> Response {
    let raw_path = request.uri().path().to_owned();
    let Ok(segments) = safe_segments(&raw_path) else {
        return text(StatusCode::FORBIDDEN, "禁止访问");
    };
    let generation = shared.generation();
    if wants_html(&request, &segments) {
        if let Some(message) = lock(&shared.error).clone() {
            return html(
                StatusCode::INTERNAL_SERVER_ERROR,
                error_page(&message, generation),
            );
        }
    }
    // Where the build cannot swap the output folder in one step it takes two renames; a
    // request in between retries once.
    let mut found = resolve(&shared.output, &segments, &raw_path);
    if found == Resolved::Missing {
        tokio::time::sleep(Duration::from_millis(50)).await;
        found = resolve(&shared.output, &segments, &raw_path);
    }
    match found {
        Resolved::File(path) if is_html(&path) => match tokio::fs::read(&path).await {
            Ok(bytes) => html(
                StatusCode::OK,
                inject(&String::from_utf8_lossy(&bytes), generation),
            ),
            Err(_) => html(StatusCode::NOT_FOUND, not_found_page(generation)),
        },
        Resolved::File(path) => serve_file(&path, request, generation).await,
        Resolved::Redirect(location) => {
            let mut r = text(StatusCode::MOVED_PERMANENTLY, &location);
            if let Ok(value) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, value);
            }
            r
        }
        Resolved::Forbidden => text(StatusCode::FORBIDDEN, "禁止访问"),
        Resolved::Missing => html(StatusCode::NOT_FOUND, not_found_page(generation)),
    }
}

/// A file that is not a page, as `ServeFile` answers it; text is UTF-8 (the build writes
/// nothing else), so the type says so.
async fn serve_file(path: &Path, request: Request<()>, generation: u64) -> Response {
    let response = match ServeFile::new(path).try_call(request).await {
        Ok(response) if response.status() != StatusCode::NOT_FOUND => response,
        // Removed (or unreadable) since it was resolved.
        _ => return html(StatusCode::NOT_FOUND, not_found_page(generation)),
    };
    let mut response = response.map(Body::new);
    let headers = response.headers_mut();
    if let Some(typed) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(with_charset)
    {
        headers.insert(header::CONTENT_TYPE, typed);
    }
    response
}

/// `text/…` types get `; charset=utf-8` when they name no charset.
fn with_charset(content_type: &str) -> Option<HeaderValue> {
    let text = content_type.starts_with("text/") && !content_type.contains("charset");
    text.then(|| HeaderValue::from_str(&format!("{content_type}; charset=utf-8")).ok())
        .flatten()
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Whether the request wants a page (the error page replaces pages while a build is broken).
fn wants_html(request: &Request<()>, segments: &[String]) -> bool {
    let accepts_html = request
        .headers()
        .get_all(header::ACCEPT)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.contains("text/html")));
    accepts_html
        || request.uri().path().ends_with('/')
        || segments
            .last()
            .is_none_or(|s| s.ends_with(".html") || !s.contains('.'))
}

fn text(status: StatusCode, message: &str) -> Response {
    let mut r = (status, format!("{message}\n")).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn html(status: StatusCode, page: String) -> Response {
    let mut r = (status, page).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

// ---------------------------------------------------------------------------------------
// The reload event stream

/// An event stream that sends `reload` after each build; at once when the page was served
/// before the latest build (`?since=N`).
fn events(shared: &Shared, query: &str) -> Response {
    let mut generations = shared.generation.subscribe();
    let current = *generations.borrow_and_update();
    let since = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|v| v.parse::<u64>().ok());
    let stale = since.is_some_and(|s| s != current);
    let ended = Arc::new(Notify::new());
    register_stream(shared, &ended);
    let stream = futures_util::stream::unfold(
        (generations, ended, stale, false),
        |(mut generations, ended, stale, done)| async move {
            if done {
                return None;
            }
            if stale {
                // The page is out of date: one reload, then the stream ends.
                return Some((reload_event(), (generations, ended, false, true)));
            }
            tokio::select! {
                changed = generations.changed() => changed
                    .ok()
                    .map(|()| (reload_event(), (generations, ended, false, false))),
                () = ended.notified() => None,
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(PING_EVERY))
        .into_response()
}

fn reload_event() -> Result<Event, Infallible> {
    Ok(Event::default().event("reload").data("reload"))
}

/// Keeps at most `MAX_EVENT_STREAMS` open: the oldest still open is ended to make room.
fn register_stream(shared: &Shared, ended: &Arc<Notify>) {
    let mut streams = lock(&shared.streams);
    streams.retain(|s| s.strong_count() > 0);
    if streams.len() >= MAX_EVENT_STREAMS {
        if let Some(oldest) = streams.remove(0).upgrade() {
            oldest.notify_one();
        }
    }
    streams.push(Arc::downgrade(ended));
}

// ---------------------------------------------------------------------------------------
// Pages

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

/// The page shown for page requests while the last build failed.
pub fn error_page(message: &str, generation: u64) -> String {
    inject(
        &format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>构建失败 · budgetsite</title>\n<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}pre{{background:#fff4f4;border:1px solid #c33;padding:1rem;white-space:pre-wrap;overflow-wrap:anywhere}}</style></head>\n<body>\n<h1>构建失败</h1>\n<p>最近一次构建出错，网站仍是上一次成功构建的版本。修改并保存后会自动重新构建，本页随之刷新。</p>\n<pre>{}</pre>\n</body>\n</html>\n",
            crate::text::escape_markup(message)
        ),
        generation,
    )
}

fn not_found_page(generation: u64) -> String {
    inject(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>未找到 · budgetsite</title></head>\n<body>\n<h1>404：未找到页面</h1>\n<p><a href=\"/\">返回首页</a></p>\n</body>\n</html>\n",
        generation,
    )
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
    fn text_types_say_utf_8() {
        assert_eq!(with_charset("text/css").unwrap(), "text/css; charset=utf-8");
        assert_eq!(
            with_charset("text/csv; charset=gbk").map(|v| v.to_str().unwrap().to_owned()),
            None
        );
        assert_eq!(with_charset("image/png"), None);
    }

    #[test]
    fn pages_are_told_from_other_files() {
        let page = |path: &str, accept: &str| {
            let request = Request::get(path)
                .header(header::ACCEPT, accept)
                .body(())
                .unwrap();
            wants_html(&request, &safe_segments(path).unwrap())
        };
        assert!(page("/", "*/*"));
        assert!(page("/a/b.html", "*/*"));
        assert!(page("/a/folder", "*/*"));
        assert!(page("/data.json", "text/html,*/*"));
        assert!(!page("/assets/style.css", "text/css,*/*"));
        assert!(!page("/data/a.xlsx", "*/*"));
    }
}
