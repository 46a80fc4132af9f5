//! The HTTP side of `verdict serve`: binding the port, accepting connections with their
//! timeouts, and stopping on Ctrl-C.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use super::{App, DEFAULT_PORT, PORT_ATTEMPTS, ServeError, http, stall};

/// Binds `ip:port`, or the default port or one of the next free ones.
pub(super) async fn bind(ip: IpAddr, port: Option<u16>) -> Result<TcpListener, ServeError> {
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
pub(super) async fn run_server(listener: TcpListener, app: Arc<App>) {
    let service = TowerToHyperService::new(http::router(Arc::clone(&app)));
    let mut http1 = hyper::server::conn::http1::Builder::new();
    let header_timeout = timeout_from_env(HEADER_READ_TIMEOUT, HEADER_READ_TIMEOUT_VAR);
    http1.timer(TokioTimer::new()).header_read_timeout(header_timeout);
    let write_timeout = timeout_from_env(WRITE_TIMEOUT, WRITE_TIMEOUT_VAR);
    let signals = Arc::clone(&app);
    let stop = stop_signal();
    tokio::spawn(async move {
        stop.await;
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

/// Waits for Ctrl-C (or SIGTERM). On Unix the handlers are installed when this is
/// called, not when the future is first polled, so a signal that arrives before the task
/// waiting for it runs is not lost (it would end the process instead).
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
