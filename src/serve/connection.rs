//! The accept loop and each connection's life. hyper parses HTTP/1 (one request per
//! connection, a request head of at most `MAX_HEAD` bytes, else 431); this module bounds
//! time and numbers so slow clients cannot starve the others:
//!
//! - a request head must arrive within `HEAD_DEADLINE` (else 408 and close), and a response
//!   (not an event stream) must be taken within `RESPONSE_DEADLINE` (else the connection is
//!   dropped);
//! - at most `MAX_CONNECTIONS` are served at once; beyond it the connection that has waited
//!   longest for its request head is dropped to make room, or, when none is waiting, the
//!   oldest still taking its response (on loopback a response takes milliseconds: one that
//!   is still going is a client that stopped reading). Event streams are bounded apart
//!   (`answer::MAX_EVENT_STREAMS`), so open pages never take the room of requests;
//! - a connection ends gently: the write side is shut first and what the client still sends
//!   is drained briefly, so a response is not destroyed by a reset (a body, an oversized
//!   head left unread).
//!
//! Accept errors (a connection reset before it was accepted, too many open files) are not
//! fatal: the loop waits a moment and goes on.

use super::answer::answer;
use super::{lock, Shared};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::Instant;

/// Limit on a request head (hyper's read buffer; it answers 431 beyond it).
const MAX_HEAD: usize = 16 * 1024;
/// Time for the whole request head, from accept.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// Time for a whole response (not an event stream), from accept.
const RESPONSE_DEADLINE: Duration = Duration::from_secs(10);
/// Connections served at once.
const MAX_CONNECTIONS: usize = 64;
/// How long, and how much, a closing connection drains of what the client still sends.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1 << 20;
/// How often the accept loop looks at the stop flag.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// Where a connection is: waiting for its request head, answering, or streaming events.
const READING: u8 = 0;
const RESPONDING: u8 = 1;
const STREAMING: u8 = 2;

/// The connections served now (not event streams), oldest first: how far each is, and what
/// ends it.
#[derive(Default)]
struct Registry {
    next_id: AtomicU64,
    live: Mutex<BTreeMap<u64, Entry>>,
}

/// One connection in the registry.
#[derive(Clone)]
struct Entry {
    id: u64,
    stage: Arc<AtomicU8>,
    end: Arc<Notify>,
}

impl Registry {
    /// Registers a connection, making room first when `MAX_CONNECTIONS` are served: the
    /// oldest still reading its request head is ended, else the oldest at all.
    fn enter(&self) -> Entry {
        let mut live = lock(&self.live);
        if live.len() >= MAX_CONNECTIONS {
            let reading = live
                .iter()
                .find(|(_, e)| e.stage.load(Ordering::Acquire) == READING)
                .map(|(id, _)| *id);
            if let Some(victim) = reading.or_else(|| live.keys().next().copied()) {
                if let Some(e) = live.remove(&victim) {
                    e.end.notify_one();
                }
            }
        }
        let entry = Entry {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            stage: Arc::new(AtomicU8::new(READING)),
            end: Arc::new(Notify::new()),
        };
        live.insert(entry.id, entry.clone());
        entry
    }

    /// A connection ended or became an event stream: it no longer takes room.
    fn leave(&self, id: u64) {
        lock(&self.live).remove(&id);
    }
}

/// Accepts connections until `stop`, each served on a task of its own.
pub(crate) async fn accept_loop(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let registry = Arc::new(Registry::default());
    let mut tick = tokio::time::interval(STOP_CHECK);
    while !stop.load(Ordering::Relaxed) {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => admit(stream, &shared, &registry),
                Err(_) => tokio::time::sleep(STOP_CHECK).await,
            },
            _ = tick.tick() => {}
        }
    }
    Ok(())
}

/// Starts serving a connection on a task of its own.
fn admit(stream: TcpStream, shared: &Arc<Shared>, registry: &Arc<Registry>) {
    let entry = registry.enter();
    let (shared, registry) = (Arc::clone(shared), Arc::clone(registry));
    tokio::spawn(async move {
        let _leave = Leave(&registry, entry.id);
        serve(stream, shared, &registry, entry).await;
    });
}

/// Takes a connection out of the registry when its task ends or is dropped.
struct Leave<'a>(&'a Registry, u64);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.leave(self.1);
    }
}

type BoxedAnswer =
    Pin<Box<dyn Future<Output = Result<axum::response::Response, Infallible>> + Send>>;

/// How a connection ended.
enum Ending {
    /// hyper is done (answered, or the client went away or sent junk).
    Done,
    /// No full request head within `HEAD_DEADLINE`.
    HeadTimeout,
    /// Too slow to take its response, or dropped to make room.
    Dropped,
}

/// Serves one connection under its deadlines, until the registry ends it to make room.
async fn serve(stream: TcpStream, shared: Arc<Shared>, registry: &Arc<Registry>, entry: Entry) {
    let Entry { id, stage, end } = entry;
    let started = Instant::now();
    let service = {
        let (stage, registry) = (Arc::clone(&stage), Arc::clone(registry));
        hyper::service::service_fn(move |request| {
            stage.store(RESPONDING, Ordering::Release);
            let (stage, shared) = (Arc::clone(&stage), Arc::clone(&shared));
            let registry = Arc::clone(&registry);
            Box::pin(async move {
                let answer = answer(request, shared).await;
                if answer.streaming {
                    stage.store(STREAMING, Ordering::Release);
                    registry.leave(id);
                }
                Ok(answer.response)
            }) as BoxedAnswer
        })
    };
    let mut conn = builder().serve_connection(TokioIo::new(stream), service);
    let ending = loop {
        let now = stage.load(Ordering::Acquire);
        let deadline = started
            + if now == READING {
                HEAD_DEADLINE
            } else {
                RESPONSE_DEADLINE
            };
        tokio::select! {
            _ = poll_fn(|cx| conn.poll_without_shutdown(cx)) => break Ending::Done,
            () = tokio::time::sleep_until(deadline), if now != STREAMING => {
                // The stage may have moved on since the deadline was chosen.
                if stage.load(Ordering::Acquire) == now {
                    break if now == READING { Ending::HeadTimeout } else { Ending::Dropped };
                }
            }
            () = end.notified() => break Ending::Dropped,
        }
    };
    match ending {
        Ending::Done => linger(conn.into_parts().io.into_inner()).await,
        Ending::HeadTimeout => {
            let mut io = conn.into_parts().io.into_inner();
            let sent = tokio::time::timeout(LINGER, io.write_all(&request_timeout())).await;
            if matches!(sent, Ok(Ok(()))) {
                linger(io).await;
            }
        }
        Ending::Dropped => {}
    }
}

/// HTTP/1.1, one request per connection (`Connection: close`), the head size bounded;
/// header names as most servers write them (`Content-Type`).
fn builder() -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .keep_alive(false)
        .max_buf_size(MAX_HEAD)
        .title_case_headers(true);
    builder
}

/// The 408 answer, written as is: hyper has no request to answer it for.
fn request_timeout() -> Vec<u8> {
    let body = "请求超时\n";
    format!(
        "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Closes after the response: the write side first, then what the client still sends is
/// drained briefly, so its unread bytes do not reset the connection under the response.
async fn linger(mut io: TcpStream) {
    if io.shutdown().await.is_err() {
        return;
    }
    let drain = async {
        let mut buf = [0u8; 4096];
        let mut drained = 0;
        while drained < LINGER_BYTES {
            match io.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    };
    let _ = tokio::time::timeout(LINGER, drain).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    fn ended(entry: &Entry) -> bool {
        entry.end.notified().now_or_never().is_some()
    }

    #[test]
    fn a_full_server_drops_the_oldest_reader_first_then_the_oldest_responder() {
        let registry = Registry::default();
        let entries: Vec<Entry> = (0..MAX_CONNECTIONS).map(|_| registry.enter()).collect();
        for e in &entries[..3] {
            e.stage.store(RESPONDING, Ordering::Release);
        }
        // Full: the oldest waiting for its head (the fourth) makes room, not the older ones
        // already answered.
        let _new = registry.enter();
        assert!(!ended(&entries[0]) && ended(&entries[3]));
        assert_eq!(lock(&registry.live).len(), MAX_CONNECTIONS);
        // Nobody reading: the oldest of all.
        for e in &entries {
            e.stage.store(RESPONDING, Ordering::Release);
        }
        _new.stage.store(RESPONDING, Ordering::Release);
        let _newer = registry.enter();
        assert!(ended(&entries[0]));
        // An event stream leaves: room without dropping anyone.
        registry.leave(entries[1].id);
        let _newest = registry.enter();
        assert!(!ended(&entries[2]));
        assert_eq!(lock(&registry.live).len(), MAX_CONNECTIONS);
    }
}
