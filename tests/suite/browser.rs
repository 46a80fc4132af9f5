//! Real-browser tests' equipment: headless Chromium driven through chromedriver, for the
//! tests of `serve` and of the search box.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::Client;

use crate::serve::PATIENCE;

/// `name` on the `PATH`.
pub(crate) fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// A free port on the loopback address.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A browser session of chromedriver, ended when dropped.
pub(crate) struct Session {
    pub(crate) driver_port: u16,
    pub(crate) id: String,
}

impl Drop for Session {
    fn drop(&mut self) {
        let url = format!("http://127.0.0.1:{}/session/{}", self.driver_port, self.id);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(5)))
            .build()
            .into();
        let _ = agent.delete(&url).call();
    }
}

/// A chromedriver process, killed when dropped.
pub(crate) struct Driver(pub(crate) Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// chromedriver started on a free port, with that port and the path of Chromium; `None`,
/// with a note naming `test`, when they are not installed.
pub(crate) fn chromedriver(test: &str) -> Option<(Driver, u16, PathBuf)> {
    let (Some(chromium), Some(chromedriver)) = (
        find_program("chromium").or_else(|| find_program("chromium-browser")),
        find_program("chromedriver"),
    ) else {
        eprintln!(
            "skipping {test}: chromium and chromedriver are not installed (`scripts/test` installs them: apt-get install chromium chromium-driver)"
        );
        return None;
    };
    let port = free_port();
    let driver = Driver(
        Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < PATIENCE, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Some((driver, port, chromium))
}

/// A headless Chromium session through the chromedriver on `driver_port`, with its own
/// `profile` folder; the browser closes when the [`Session`] is dropped, even when an
/// assertion fails (chromedriver leaves it running).
pub(crate) async fn connect(
    driver_port: u16,
    chromium: &Path,
    profile: &Path,
) -> (Client, Session) {
    let options = serde_json::json!({
        "binary": chromium,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", format!("--user-data-dir={}", profile.display()),
        ],
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = fantoccini::ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("connect to chromedriver");
    let session =
        Session { driver_port, id: client.session_id().await.ok().flatten().unwrap_or_default() };
    (client, session)
}
