//! `verdict serve`: builds the site into memory, serves it over HTTP, watches the site
//! and rebuilds what changed, and tells open browsers to reload.
//!
//! 1. The listener is bound first, so the site can be built for its local address
//!    (`http://127.0.0.1:PORT/`) and every link works in the preview.
//! 2. A [`watch::Watcher`] starts before the first build, so no edit is missed.
//! 3. [`Builder`] builds through an incremental [`Session`] into a [`Memory`] output:
//!    Markdown and code of unchanged documents are reused, unchanged pages are kept from
//!    the last build, and the new set of files replaces the served one in one step.
//! 4. A thread waits for debounced file events, filters them ([`watch::filter_events`]),
//!    rebuilds, and only then publishes a new [`livereload::Status`], so browsers reload
//!    into complete files. A failed build publishes its errors (shown as an overlay)
//!    and the last good site stays served.
//! 5. The HTTP server ([`http`]) runs on tokio until Ctrl-C; a client that does not send
//!    a request head within [`HEADER_READ_TIMEOUT`], or that takes no bytes of an answer
//!    for [`WRITE_TIMEOUT`], is disconnected.

pub mod http;
pub mod livereload;
mod stall;
pub mod watch;

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use notify_debouncer_full::DebounceEventResult;
use tokio::net::TcpListener;

use crate::config::CONFIG_FILE;
use crate::diagnostics::{Format, count, print_report};
use crate::error::Error;
use crate::site::write::{Memory, Output};
use crate::site::{Drafts, Generated, Session, SourceOptions, generate};
use livereload::{ErrorView, Status};
use watch::{Changes, Watcher, filter_events};

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after the default one are tried when it is taken.
const PORT_ATTEMPTS: u16 = 10;

/// The files of the site being served, by path relative to the output root with `/`
/// separators (`rust-vs-go/index.html`).
pub type SiteFiles = HashMap<String, Bytes>;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root (holding `site.yaml`).
    pub root: PathBuf,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port to listen on; `None` for [`DEFAULT_PORT`] or, if it is taken, one of the next
    /// ones. `Some(0)` lets the system choose.
    pub port: Option<u16>,
    /// Whether drafts are built.
    pub drafts: Drafts,
    /// Whether to open the site in a browser once it is built.
    pub open: bool,
}

/// Why `serve` could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The site folder is missing or has no `site.yaml`.
    NoSite(PathBuf),
    /// The port asked for (or every port tried) is in use.
    PortInUse {
        /// Address asked for.
        bind: IpAddr,
        /// First port tried.
        port: u16,
        /// Ports tried.
        tried: u16,
    },
    /// Listening failed for another reason (say, an address of no interface).
    Bind {
        /// Address asked for.
        addr: SocketAddr,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file watcher or the runtime could not start.
    Start(String),
}

impl ServeError {
    /// The exit status for this error: 2 when another option would work.
    pub fn exit_code(&self) -> i32 {
        match self {
            ServeError::PortInUse { .. } | ServeError::Bind { .. } => 2,
            ServeError::NoSite(_) | ServeError::Start(_) => 1,
        }
    }
}

impl ServeError {
    /// How to get past this error.
    pub fn hint(&self) -> &'static str {
        match self {
            ServeError::NoSite(_) => "run `verdict serve` in the site folder, or pass `--root DIR`",
            ServeError::PortInUse { .. } => {
                "stop the other server, or choose another port with `--port PORT` (`--port 0` picks any free port)"
            }
            ServeError::Bind { .. } => {
                "check `--bind` (an address of this machine, such as 127.0.0.1) and `--port`"
            }
            ServeError::Start(_) => "check that the site folder is readable",
        }
    }
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::NoSite(root) => {
                write!(f, "`{}` is not a site: it has no `{CONFIG_FILE}`", root.display())
            }
            ServeError::PortInUse { bind, port, tried } => {
                if *tried > 1 {
                    write!(f, "ports {port} to {} on {bind} are all in use", port + (tried - 1))
                } else {
                    write!(f, "port {port} on {bind} is already in use")
                }
            }
            ServeError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            ServeError::Start(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// State shared by the rebuild thread and the HTTP handlers.
pub struct App {
    /// Whether the server listens on loopback only (then only local names are answered).
    loopback_only: bool,
    files: RwLock<Arc<SiteFiles>>,
    status: tokio::sync::watch::Sender<Status>,
    shutdown: tokio::sync::watch::Sender<bool>,
}

impl App {
    fn new(server: String, loopback_only: bool) -> App {
        let status = Status { server, ..Status::default() };
        App {
            loopback_only,
            files: RwLock::new(Arc::default()),
            status: tokio::sync::watch::Sender::new(status),
            shutdown: tokio::sync::watch::Sender::new(false),
        }
    }

    /// Whether the server listens on loopback only.
    pub fn loopback_only(&self) -> bool {
        self.loopback_only
    }

    /// The files being served.
    pub fn files(&self) -> Arc<SiteFiles> {
        Arc::clone(&self.files.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Serves `files` from now on.
    fn set_files(&self, files: Arc<SiteFiles>) {
        *self.files.write().unwrap_or_else(|e| e.into_inner()) = files;
    }
}

/// A successful build of the site into memory, compared with the previous one.
#[derive(Debug)]
pub struct Rebuild {
    /// Every file of the site.
    pub files: Arc<SiteFiles>,
    /// Files that are new or whose bytes changed.
    pub changed: Vec<String>,
    /// Files that are no longer part of the site.
    pub removed: Vec<String>,
    /// What was built (dropping it takes a few milliseconds on a large site, so the
    /// caller drops it after browsers have been told).
    pub generated: Generated,
}

impl Rebuild {
    /// Whether any served file changed.
    pub fn is_change(&self) -> bool {
        !self.changed.is_empty() || !self.removed.is_empty()
    }
}

/// Builds a site again and again into memory, reusing what did not change.
pub struct Builder {
    session: Session,
    source: SourceOptions,
    files: Arc<SiteFiles>,
}

/// `rel` as a key of [`SiteFiles`].
fn key_of(rel: &Path) -> String {
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    parts.join("/")
}

impl Builder {
    /// A builder of the site described by `source`; nothing is built yet.
    pub fn new(source: SourceOptions) -> Builder {
        Builder { session: Session::incremental(), source, files: Arc::default() }
    }

    /// Builds the site; on success, the new files become the builder's current ones.
    pub fn build(&mut self) -> Result<Rebuild, Error> {
        let output = NextFiles { memory: Memory::default(), previous: &self.files };
        let generated = generate(&mut self.session, &self.source, &output)?;
        let (written, kept) = output.memory.into_parts();
        let previous = &self.files;
        let mut files = SiteFiles::with_capacity(written.len() + kept.len());
        for rel in kept {
            let key = key_of(&rel);
            if let Some(bytes) = previous.get(&key) {
                files.insert(key, bytes.clone());
            }
        }
        let mut changed = Vec::new();
        for (rel, bytes) in written {
            let key = key_of(&rel);
            if previous.get(&key).is_none_or(|old| old[..] != bytes[..]) {
                changed.push(key.clone());
            }
            files.insert(key, Bytes::from(bytes));
        }
        let mut removed: Vec<String> =
            previous.keys().filter(|key| !files.contains_key(*key)).cloned().collect();
        changed.sort();
        removed.sort();
        let files = Arc::new(files);
        self.files = Arc::clone(&files);
        Ok(Rebuild { files, changed, removed, generated })
    }
}

/// The output of a rebuild: new files in memory, and unchanged pages kept from the files
/// being served (a page they lack is rendered again).
struct NextFiles<'a> {
    memory: Memory,
    previous: &'a SiteFiles,
}

impl Output for NextFiles<'_> {
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error> {
        self.memory.write(rel, bytes)
    }

    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error> {
        self.memory.copy(source, rel)
    }

    fn keep(&self, rel: &Path) -> bool {
        self.previous.contains_key(&key_of(rel)) && self.memory.keep(rel)
    }
}

/// The base URL a site is built for when served at `addr`.
pub fn local_base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// The warning for listening on `ip`, unless only this machine can reach it.
pub fn exposure_warning(ip: IpAddr) -> Option<String> {
    (!ip.is_loopback()).then(|| {
        format!(
            "warning: listening on {ip}, which other machines may reach; the preview server is meant for this machine only (the default is `--bind 127.0.0.1`)"
        )
    })
}

/// Builds and serves the site until Ctrl-C. Build errors are reported, not returned:
/// the server keeps running and serves the last good site.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = options.root.canonicalize().map_err(|_| ServeError::NoSite(options.root.clone()))?;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(ServeError::NoSite(options.root.clone()));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Start(format!("cannot start the server: {e}")))?;
    let listener = runtime.block_on(bind(options.bind, options.port))?;
    let addr = listener.local_addr().map_err(|e| {
        ServeError::Start(format!("cannot read the address the server listens on: {e}"))
    })?;
    let url = local_base_url(addr);

    let (events_tx, events) = channel();
    let watcher = Watcher::new(&root, events_tx)
        .map_err(|e| ServeError::Start(format!("cannot watch `{}`: {e}", root.display())))?;

    let server_id = format!(
        "{:x}",
        SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos() as u64
            ^ u64::from(std::process::id())
    );
    let app = Arc::new(App::new(server_id, options.bind.is_loopback()));
    let mut builder = Builder::new(SourceOptions {
        root: root.clone(),
        drafts: options.drafts,
        base_url: Some(url.clone()),
    });
    eprintln!("Building `{}`...", root.display());
    let started = Instant::now();
    let result = builder.build();
    publish(&app, &root, result, None, started, None);

    eprintln!("Serving `{}` at {url} (press Ctrl-C to stop)", root.display());
    if let Some(warning) = exposure_warning(addr.ip()) {
        eprintln!("{warning}");
    }
    if options.open {
        if let Err(e) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }

    let rebuilding = Arc::clone(&app);
    std::thread::Builder::new()
        .name("verdict-rebuild".into())
        .spawn(move || rebuild_loop(&root, builder, watcher, &events, &rebuilding))
        .map_err(|e| ServeError::Start(format!("cannot start the rebuild thread: {e}")))?;

    runtime.block_on(run_server(listener, Arc::clone(&app)));
    // Don't wait for worker threads stuck in open connections.
    runtime.shutdown_timeout(Duration::from_millis(200));
    eprintln!("Stopped.");
    Ok(())
}

/// Binds `ip:port`, or the default port or one of the next free ones.
async fn bind(ip: IpAddr, port: Option<u16>) -> Result<TcpListener, ServeError> {
    let (first, tries) = match port {
        Some(port) => (port, 1),
        None => (DEFAULT_PORT, PORT_ATTEMPTS),
    };
    for offset in 0..tries {
        let addr = SocketAddr::new(ip, first + offset);
        match TcpListener::bind(addr).await {
            Ok(listener) => {
                if offset > 0 {
                    eprintln!("Port {first} is in use; using port {} instead", first + offset);
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(source) => return Err(ServeError::Bind { addr, source }),
        }
    }
    Err(ServeError::PortInUse { bind: ip, port: first, tried: tries })
}

/// How long a client may take to send the head of a request (its request line and
/// headers), counted from when the connection is accepted or, on a kept-alive connection,
/// from the end of the previous response. A client slower than that, on purpose or not,
/// has its connection closed: hyper answers nothing (no 408) and drops the connection, so
/// stalled clients cannot pile up connections. Browsers send a whole request head at once
/// and open a new connection when an idle one was closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Environment variable that shortens [`HEADER_READ_TIMEOUT`], in milliseconds, for the
/// tests of stalled clients only (so they wait two seconds, not ten). A value that is not
/// shorter than the default is ignored: it can never lift the limit.
const HEADER_READ_TIMEOUT_VAR: &str = "VERDICT_SERVE_HEADER_TIMEOUT_MS";

/// How long writing an answer may stall, the client's socket taking no bytes at all,
/// before the connection is closed. hyper has no write timeout, so without this a client
/// that sends whole requests and never reads the answers would keep its connection (and
/// the answer it holds up) forever. The clock runs only while a write is pending: idle
/// connections, a quiet live-reload socket among them, are not affected, nor is a client
/// that reads slowly but keeps reading. A write is pending only once the client's receive
/// window and this side's send buffer are both full (hundreds of kilobytes to a few
/// megabytes), which a client that reads at all drains within moments; 30 s leaves room
/// for a client that is merely held up (a debugger, a machine waking from sleep, a
/// network that switches) while bounding what a stalled one costs.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Environment variable that shortens [`WRITE_TIMEOUT`], in milliseconds, for the tests
/// of clients that never read only (so they wait two seconds, not thirty). As with
/// [`HEADER_READ_TIMEOUT_VAR`], a value that is not shorter than the default is ignored.
const WRITE_TIMEOUT_VAR: &str = "VERDICT_SERVE_WRITE_TIMEOUT_MS";

/// `limit`, or the shorter timeout `ms` (the value of a test variable such as
/// [`HEADER_READ_TIMEOUT_VAR`]) asks for; nothing can make it longer.
fn shortened(limit: Duration, ms: Option<&str>) -> Duration {
    ms.and_then(|ms| ms.trim().parse().ok())
        .map(Duration::from_millis)
        .filter(|timeout| !timeout.is_zero() && *timeout < limit)
        .unwrap_or(limit)
}

/// [`shortened`] `limit`, by the value of the environment variable `var`.
fn timeout_from_env(limit: Duration, var: &str) -> Duration {
    shortened(limit, std::env::var(var).ok().as_deref())
}

/// Serves HTTP until Ctrl-C (or SIGTERM), then closes open connections.
///
/// Each connection is served by hyper's HTTP/1 connection, with upgrades (the live-reload
/// WebSocket) and the [`HEADER_READ_TIMEOUT`], over a stream with the [`WRITE_TIMEOUT`].
/// `axum::serve` cannot set the first timeout, and hyper-util's `auto` builder first waits
/// for a connection's opening bytes (to tell HTTP/2 apart) with no timeout at all, so a
/// client that sent nothing would stay.
async fn run_server(listener: TcpListener, app: Arc<App>) {
    let service = TowerToHyperService::new(http::router(Arc::clone(&app)));
    let mut http1 = hyper::server::conn::http1::Builder::new();
    let header_timeout = timeout_from_env(HEADER_READ_TIMEOUT, HEADER_READ_TIMEOUT_VAR);
    http1.timer(TokioTimer::new()).header_read_timeout(header_timeout);
    let write_timeout = timeout_from_env(WRITE_TIMEOUT, WRITE_TIMEOUT_VAR);
    let signals = Arc::clone(&app);
    tokio::spawn(async move {
        stop_signal().await;
        eprintln!("\nStopping...");
        signals.shutdown.send_replace(true);
    });
    // Each connection's task holds a sender: `recv` returns `None` once all have ended.
    let (open, mut all_closed) = tokio::sync::mpsc::channel::<()>(1);
    let mut stopped = app.shutdown.subscribe();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            _ = stopped.wait_for(|stop| *stop) => break,
        };
        let io = TokioIo::new(stall::WriteTimeout::new(stream, write_timeout));
        let connection = http1.serve_connection(io, service.clone()).with_upgrades();
        let mut stopped = app.shutdown.subscribe();
        let open = open.clone();
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            // Errors (a client gone, a header or write timeout) concern that client only.
            tokio::select! {
                _ = connection.as_mut() => {}
                // `wait_for` returns a lock guard, which must not be held across an await.
                _ = async { stopped.wait_for(|stop| *stop).await.is_ok() } => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(open);
        });
    }
    drop(listener);
    drop(open);
    // Give open connections a moment to finish after Ctrl-C, no more.
    let _ = tokio::time::timeout(Duration::from_millis(500), all_closed.recv()).await;
}

/// After a failed `accept`: nothing to do when that client already left; otherwise (out
/// of file descriptors, say) a pause, so the loop does not spin while nothing can be
/// accepted.
async fn accept_failed(error: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    ) {
        return;
    }
    eprintln!("warning: cannot accept a connection: {error}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Waits for file events and rebuilds, until the watcher goes away.
fn rebuild_loop(
    root: &Path,
    mut builder: Builder,
    mut watcher: Watcher,
    events: &Receiver<DebounceEventResult>,
    app: &App,
) {
    while let Ok(batch) = events.recv() {
        let mut changes = Changes::default();
        let mut take = |batch: DebounceEventResult| match batch {
            Ok(events) => changes.merge(filter_events(root, &events)),
            Err(errors) => {
                for error in errors {
                    eprintln!("warning: watching files: {error}");
                }
                changes.rescan = true;
            }
        };
        take(batch);
        // Whatever else already arrived goes into the same rebuild.
        while let Ok(batch) = events.try_recv() {
            take(batch);
        }
        for dir in std::mem::take(&mut changes.new_dirs) {
            if let Err(e) = watcher.watch_dir(&dir) {
                eprintln!("warning: cannot watch `{}`: {e}", dir.display());
            }
        }
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        let result = builder.build();
        publish(app, root, result, Some(&changes), started, changes.since);
    }
}

/// Serves the result of a build and tells browsers, then prints one line about it.
fn publish(
    app: &App,
    root: &Path,
    result: Result<Rebuild, Error>,
    changes: Option<&Changes>,
    started: Instant,
    since: Option<Instant>,
) {
    let what = changes.map(|c| format!(" after {}", c.summary())).unwrap_or_default();
    match result {
        Ok(rebuild) => {
            let elapsed = started.elapsed();
            let had_errors = !app.status.borrow().errors.is_empty();
            let first = changes.is_none();
            let notify = rebuild.is_change() || had_errors || first;
            if notify {
                app.set_files(Arc::clone(&rebuild.files));
                // Judged by what was edited and by what came out: an edit whose events
                // straggle into the next batch must not turn a stylesheet swap into a
                // reload.
                let stylesheets_only = changes.is_some_and(Changes::only_stylesheets)
                    || (rebuild.removed.is_empty()
                        && !rebuild.changed.is_empty()
                        && rebuild.changed.iter().all(|f| f.ends_with(".css")));
                app.status.send_modify(|status| {
                    status.build += 1;
                    if !stylesheets_only || had_errors {
                        status.reload = status.build;
                    }
                    status.errors.clear();
                });
            }
            let report = &rebuild.generated.report;
            let mut line = if first {
                format!(
                    "Built {}, {} and {} ({} files) in {}",
                    plural(report.articles, "article"),
                    plural(report.pages, "page"),
                    plural(report.authors, "author"),
                    rebuild.files.len(),
                    millis(elapsed)
                )
            } else {
                format!(
                    "Rebuilt{what} in {}: {} written, {} unchanged",
                    millis(elapsed),
                    plural(report.html_files, "page"),
                    report.unchanged,
                )
            };
            if !rebuild.removed.is_empty() {
                line.push_str(&format!(", {} removed", rebuild.removed.len()));
            }
            if !first {
                if !notify {
                    line.push_str("; no file changed");
                } else if let Some(since) = since {
                    line.push_str(&format!(
                        "; browsers told {} after the change",
                        millis(since.elapsed())
                    ));
                }
            }
            eprintln!("{line}");
        }
        Err(error) => {
            let diagnostics = error.into_diagnostics();
            let errors = diagnostics.iter().map(ErrorView::from).collect();
            app.status.send_modify(|status| status.errors = errors);
            let summary = format!(
                "{}{what} failed in {}: {}; {}",
                if changes.is_some() { "Rebuild" } else { "Build" },
                millis(started.elapsed()),
                count(&diagnostics),
                if app.files().is_empty() {
                    "fix it and the site will be built"
                } else {
                    "still serving the last good build"
                }
            );
            print_report(&diagnostics, root, Format::Human, &summary);
        }
    }
}

/// `1 page`, `2 pages`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A duration as `12.3 ms`.
fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("site.yaml", "title: T\nbase_url: https://example.com/\n");
        write("authors/a.md", "---\nname: A\n---\nBio.\n");
        // p-vs-q and x-vs-y share contenders; the four m-vs-n articles share theirs, so
        // each lists the three others as related and nothing of X and Y.
        let articles = [
            ("p-vs-q", "two", "X, Y", 1),
            ("x-vs-y", "one", "X, Y", 2),
            ("m-vs-n", "three", "M, N", 3),
            ("m-vs-n-2", "three", "M, N", 4),
            ("m-vs-n-3", "three", "M, N", 5),
            ("m-vs-n-4", "three", "M, N", 6),
        ];
        for (slug, tag, contenders, day) in articles {
            write(
                &format!("articles/{slug}.md"),
                &format!(
                    "---\ntitle: {slug}\ndate: 2025-01-0{day}\nauthor: a\ntags: [{tag}]\ncontenders: [{contenders}]\n---\n\n## Speed\n\n**Winner:** X\n"
                ),
            );
        }
        dir
    }

    fn builder(root: &Path) -> Builder {
        Builder::new(SourceOptions {
            root: root.to_path_buf(),
            drafts: Drafts::Skip,
            base_url: Some("http://127.0.0.1:4000/".into()),
        })
    }

    fn text(files: &SiteFiles, key: &str) -> String {
        String::from_utf8(files[key].to_vec()).unwrap()
    }

    #[test]
    fn an_article_edit_changes_that_article_and_its_listings_only() {
        let dir = site();
        let mut builder = builder(dir.path());
        let first = builder.build().unwrap();
        assert!(first.files.contains_key("x-vs-y/index.html"));
        assert!(text(&first.files, "x-vs-y/index.html").contains("http://127.0.0.1:4000/x-vs-y/"));

        let again = builder.build().unwrap();
        assert!(!again.is_change(), "nothing changed: {:?}", again.changed);

        let path = dir.path().join("articles/p-vs-q.md");
        let edited =
            std::fs::read_to_string(&path).unwrap().replace("title: p-vs-q", "title: P wins");
        std::fs::write(&path, edited).unwrap();
        let rebuild = builder.build().unwrap();
        let changed: Vec<&str> = rebuild.changed.iter().map(String::as_str).collect();
        for page in ["p-vs-q/index.html", "index.html", "tags/two/index.html", "feed.xml"] {
            assert!(changed.contains(&page), "{page} not in {changed:?}");
        }
        // x-vs-y lists p-vs-q among its related comparisons; m-vs-n shares nothing with it.
        for page in ["m-vs-n/index.html", "tags/one/index.html", "tags/three/index.html"] {
            assert!(!changed.contains(&page), "{page} in {changed:?}");
        }
        assert!(text(&rebuild.files, "p-vs-q/index.html").contains("P wins"));
        assert_eq!(rebuild.files.len(), first.files.len());
    }

    #[test]
    fn a_template_change_renders_every_page_and_changes_what_it_shows() {
        let dir = site();
        let mut builder = builder(dir.path());
        let first = builder.build().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "<p>Lost.</p>").unwrap();
        let rebuild = builder.build().unwrap();
        assert_eq!(rebuild.generated.report.unchanged, 0, "the templates changed");
        assert_eq!(rebuild.generated.report.html_files, first.generated.report.html_files);
        assert_eq!(rebuild.changed, ["404.html"]);
        assert_eq!(text(&rebuild.files, "404.html"), "<p>Lost.</p>");
    }

    #[test]
    fn a_removed_article_leaves_the_site() {
        let dir = site();
        let mut builder = builder(dir.path());
        builder.build().unwrap();
        std::fs::remove_file(dir.path().join("articles/p-vs-q.md")).unwrap();
        let rebuild = builder.build().unwrap();
        assert!(rebuild.removed.contains(&"p-vs-q/index.html".to_string()));
        assert!(rebuild.removed.contains(&"tags/two/index.html".to_string()));
        assert!(!rebuild.files.contains_key("p-vs-q/index.html"));
    }

    #[test]
    fn a_failed_build_changes_nothing_and_the_next_good_one_is_complete() {
        let dir = site();
        let mut builder = builder(dir.path());
        builder.build().unwrap();
        // An article template that fails for an article titled "Renamed" without a note.
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/article.html"),
            "<h1>{{ article.title }}</h1>{% if article.title == \"Renamed\" %}{{ article.extra.note }}{% endif %}",
        )
        .unwrap();
        builder.build().unwrap();
        let before = Arc::clone(&builder.files);
        // The article page fails, while the home page renders with the new title, and is
        // thrown away with the failed build.
        let path = dir.path().join("articles/p-vs-q.md");
        let renamed =
            std::fs::read_to_string(&path).unwrap().replace("title: p-vs-q", "title: Renamed");
        std::fs::write(&path, &renamed).unwrap();
        assert!(matches!(builder.build(), Err(Error::Site(_))));
        assert!(Arc::ptr_eq(&before, &builder.files), "a failed build changes nothing");
        assert!(!text(&builder.files, "index.html").contains("Renamed"));

        std::fs::write(&path, renamed.replace("author: a\n", "author: a\nextra: {note: ok}\n"))
            .unwrap();
        let rebuild = builder.build().unwrap();
        assert!(text(&rebuild.files, "p-vs-q/index.html").contains("Renamed"));
        assert!(
            text(&rebuild.files, "index.html").contains("Renamed"),
            "the home page rendered by the failed build must not count as served"
        );
    }

    #[test]
    fn warns_about_addresses_other_machines_may_reach() {
        let warn = |s: &str| exposure_warning(s.parse().unwrap()).is_some();
        assert!(!warn("127.0.0.1") && !warn("127.0.0.2") && !warn("::1"));
        assert!(warn("0.0.0.0") && warn("::") && warn("192.168.1.5"));
    }

    #[test]
    fn the_timeouts_can_only_be_shortened() {
        for limit in [HEADER_READ_TIMEOUT, WRITE_TIMEOUT] {
            assert_eq!(shortened(limit, None), limit);
            assert_eq!(shortened(limit, Some("300")), Duration::from_millis(300));
            let exact = limit.as_millis().to_string();
            for ignored in ["0", "-5", "soon", "", &exact, "600000"] {
                assert_eq!(shortened(limit, Some(ignored)), limit, "{ignored}");
            }
        }
    }

    #[test]
    fn local_base_url_names_a_reachable_address() {
        let url = |s: &str| local_base_url(s.parse().unwrap());
        assert_eq!(url("127.0.0.1:1111"), "http://127.0.0.1:1111/");
        assert_eq!(url("0.0.0.0:8080"), "http://127.0.0.1:8080/");
        assert_eq!(url("[::]:8080"), "http://[::1]:8080/");
        assert_eq!(url("192.168.1.5:80"), "http://192.168.1.5:80/");
    }
}
