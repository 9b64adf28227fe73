//! `serve`: a local preview. Builds the site, serves the output folder on 127.0.0.1, watches
//! the submissions, templates and config, rebuilds after a change and tells open pages to
//! reload (Server-Sent Events).
//!
//! - `watch`: file events (`notify`; polling where native watching is unavailable),
//!   debounced into one rebuild; the build outcome shared with the pages.
//! - `connection`: the accept loop and each connection's life on hyper: limits on the
//!   request head, deadlines, making room when too many clients are slow.
//! - `answer`: one request to one response: the `Host` check, the event stream, files with
//!   their type, the reload script injected into pages, the error and 404 pages.
//! - `paths`: request paths to files under the output folder, refusing any way out of it.
//!
//! Pages on disk stay byte-identical to `build`: the reload script is added to HTML
//! responses only. A build that fails (a broken template, an invalid `site.toml`) keeps the
//! server running and the last good site on disk; page requests get an error page with the
//! message until a build succeeds again. A broken submission is not a build failure: the
//! build publishes the others and lists it on the report page.

mod answer;
mod connection;
mod paths;
mod watch;

pub use answer::{allowed_host, error_page, inject, reload_script, EVENTS_PATH};
pub use paths::{safe_segments, PathError};

use crate::build::BuildOptions;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, Weak};

/// What `serve` needs: the build it repeats and the port it listens on.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    /// Port on 127.0.0.1; 0 picks any free port (see `Server::local_addr`).
    pub port: u16,
}

/// Why the preview could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("无法在 127.0.0.1:{port} 上监听")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("无法启动预览服务器的运行时")]
    Runtime(#[source] std::io::Error),
    #[error("无法监视文件变化")]
    Watch(#[source] notify::Error),
    #[error("无法启动监视线程")]
    Thread(#[source] std::io::Error),
}

/// State shared by the watcher and the connections.
pub(crate) struct Shared {
    /// The output folder as given (served from disk; the build swaps it atomically).
    output: PathBuf,
    /// The message of the last build when it failed; None after a successful build.
    error: Mutex<Option<String>>,
    /// Counts finished builds. Pages carry the one they were served at, so a page that
    /// connects its event stream after a rebuild still reloads; open streams wake on change.
    generation: tokio::sync::watch::Sender<u64>,
    /// Open event streams, oldest first; the oldest is ended beyond `answer::MAX_EVENT_STREAMS`.
    streams: Mutex<Vec<Weak<tokio::sync::Notify>>>,
}

impl Shared {
    fn new(output: PathBuf) -> Shared {
        Shared {
            output,
            error: Mutex::new(None),
            generation: tokio::sync::watch::Sender::new(0),
            streams: Mutex::new(Vec::new()),
        }
    }

    fn generation(&self) -> u64 {
        *self.generation.borrow()
    }
}

/// A started preview server: the port is bound, the watcher armed and the first build done.
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
    watcher: watch::Watcher,
}

impl Server {
    /// Binds 127.0.0.1 on the port, starts watching and builds once (a failed build is kept
    /// as the error to show, not returned). Watching starts before the build, so an edit made
    /// while it runs is built next.
    pub fn start(options: ServeOptions) -> Result<Server, ServeError> {
        let port = options.port;
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|source| ServeError::Bind { port, source })?;
        let shared = Arc::new(Shared::new(options.build.output.clone()));
        let watcher = watch::Watcher::start(options.build, Arc::clone(&shared))?;
        Ok(Server {
            listener,
            shared,
            watcher,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stop` is set (Ctrl-C): connections on a small tokio runtime on this
    /// thread, rebuilds on the watcher's thread.
    pub fn run(self, stop: Arc<AtomicBool>) -> Result<(), ServeError> {
        let Server {
            listener,
            shared,
            watcher,
        } = self;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(ServeError::Runtime)?;
        let served = runtime.block_on(connection::accept_loop(listener, shared, &stop));
        // Open event streams and slow clients are dropped with the runtime.
        drop(runtime);
        watcher.stop();
        served.map_err(ServeError::Runtime)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
