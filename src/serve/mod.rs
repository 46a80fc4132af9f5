//! `verdict serve`: builds the site into memory, serves it over HTTP, watches the site
//! and rebuilds what changed, and tells open browsers to reload.
//!
//! 1. The listener is bound first, so the site can be built for its local address
//!    (`http://127.0.0.1:PORT/`) and every link works in the preview.
//! 2. A [`watch::Watcher`] starts before the first build, so no edit is missed.
//! 3. [`Builder`] builds through an incremental [`Session`](crate::site::Session) into a
//!    [`Memory`](crate::site::write::Memory) output: Markdown and code of unchanged
//!    documents are reused, unchanged pages are kept from the last build, and the new set
//!    of files replaces the served one in one step.
//! 4. A thread waits for debounced file events, filters them ([`watch::filter_events`]),
//!    rebuilds, and only then publishes a new [`livereload::Status`], so browsers reload
//!    into complete files. A failed build publishes its errors (shown as an overlay)
//!    and the last good site stays served.
//! 5. The HTTP server ([`http`]) runs on tokio until Ctrl-C; a client that does not send
//!    a request head within [`HEADER_READ_TIMEOUT`], or that takes no bytes of an answer
//!    for [`WRITE_TIMEOUT`], is disconnected.

mod accept;
pub mod http;
pub mod livereload;
mod rebuild;
mod stall;
pub mod watch;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::channel;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;

use crate::config::CONFIG_FILE;
use crate::site::{Address, Drafts, SourceOptions};
pub use accept::{HEADER_READ_TIMEOUT, WRITE_TIMEOUT};
use accept::{bind, run_server};
use livereload::Status;
pub use rebuild::{Builder, Rebuild};
use rebuild::{publish, rebuild_loop};
use watch::Watcher;

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after the default one are tried when it is taken.
const PORT_ATTEMPTS: u16 = 10;

/// The files of the site being served, by path relative to the output root with `/`
/// separators (`rust-vs-go/index.html`).
pub type SiteFiles = rustc_hash::FxHashMap<Arc<str>, Bytes>;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root (holding `site.yaml`).
    pub root: PathBuf,
    /// The configuration file, relative to `root` (or absolute).
    pub config: PathBuf,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port to listen on; `None` for [`DEFAULT_PORT`] or, if it is taken, one of the next
    /// ones. `Some(0)` lets the system choose.
    pub port: Option<u16>,
    /// Whether drafts are built.
    pub drafts: Drafts,
    /// Whether to open the site in a browser once it is built.
    pub open: bool,
    /// The address the pages' links are made for, instead of the local one.
    pub base_url: Option<String>,
}

/// Why `serve` could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The site folder is missing or has no `site.yaml`.
    NoSite(PathBuf),
    /// The configuration file given with `--config` does not exist.
    NoConfig(PathBuf),
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
            ServeError::NoSite(_) | ServeError::NoConfig(_) | ServeError::Start(_) => 1,
        }
    }
}

impl ServeError {
    /// How to get past this error.
    pub fn hint(&self) -> &'static str {
        match self {
            ServeError::NoSite(_) => "run `verdict serve` in the site folder, or pass `--root DIR`",
            ServeError::NoConfig(_) => {
                "a relative `--config` is read from the site folder (`--root`); check the name, or give an absolute path"
            }
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
            ServeError::NoConfig(file) => {
                write!(f, "the configuration file `{}` does not exist", file.display())
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
    /// Serves `files` from now on; gives back the files served until now, for the caller
    /// to let go of once browsers are told (dropping them reads every entry).
    #[must_use]
    fn set_files(&self, files: Arc<SiteFiles>) -> Arc<SiteFiles> {
        std::mem::replace(&mut *self.files.write().unwrap_or_else(|e| e.into_inner()), files)
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

/// The absolute path of the configuration file `config` (relative to `root`, an absolute
/// path), through its folder's real path: what the watcher reports events on.
fn config_path(root: &Path, config: &Path) -> PathBuf {
    let path = root.join(config);
    match (path.parent().and_then(|p| p.canonicalize().ok()), path.file_name()) {
        (Some(folder), Some(name)) => folder.join(name),
        _ => path,
    }
}

/// Builds and serves the site until Ctrl-C. Build errors are reported, not returned:
/// the server keeps running and serves the last good site.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = options.root.canonicalize().map_err(|_| ServeError::NoSite(options.root.clone()))?;
    let config = config_path(&root, &options.config);
    if !config.is_file() {
        if options.config != Path::new(CONFIG_FILE) {
            return Err(ServeError::NoConfig(root.join(&options.config)));
        }
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
    let local = local_base_url(addr);
    let url = options.base_url.clone().unwrap_or_else(|| local.clone());

    let (events_tx, events) = channel();
    let watcher = Watcher::new(&root, &config, events_tx)
        .map_err(|e| ServeError::Start(format!("cannot watch `{}`: {e}", root.display())))?;

    let server_id = format!(
        "{:x}",
        SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos() as u64
            ^ u64::from(std::process::id())
    );
    let app = Arc::new(App::new(server_id, options.bind.is_loopback()));
    let builder = Builder::new(SourceOptions {
        root: root.clone(),
        config: options.config.clone(),
        drafts: options.drafts,
        address: Address::Preview(url.clone()),
    });
    eprintln!("Building `{}`...", root.display());
    let started = Instant::now();
    let (builder, result) = builder.build_bounded();
    if let Some(generated) = publish(&app, &root, result, None, started, None) {
        builder.recycle(generated);
    }

    eprintln!("Serving `{}` at {local} (press Ctrl-C to stop)", root.display());
    if url != local {
        eprintln!("Pages link to {url}");
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_about_addresses_other_machines_may_reach() {
        let warn = |s: &str| exposure_warning(s.parse().unwrap()).is_some();
        assert!(!warn("127.0.0.1") && !warn("127.0.0.2") && !warn("::1"));
        assert!(warn("0.0.0.0") && warn("::") && warn("192.168.1.5"));
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
