//! `verdict check --external` against a small HTTP server on 127.0.0.1 that answers 200,
//! 404, a redirect, 405 to `HEAD` but 200 to `GET`, and too late; with the per-host
//! limit, skip patterns, and the cache in `.verdict-cache/links.txt`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::diagnostics::Run;
use crate::support::{BIN, Site, article};

/// A server on 127.0.0.1 that records each request as `METHOD /path`.
struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
    /// The most requests for `/wait/N` it answered at once.
    most_at_once: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let most_at_once = Arc::new(AtomicUsize::new(0));
        let now = Arc::new(AtomicUsize::new(0));
        let (log, most) = (Arc::clone(&seen), Arc::clone(&most_at_once));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                let (log, most, now) = (Arc::clone(&log), Arc::clone(&most), Arc::clone(&now));
                std::thread::spawn(move || answer(stream, &log, &now, &most));
            }
        });
        Server { port, seen, most_at_once }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The requests seen so far, and forgets them.
    fn take(&self) -> Vec<String> {
        let mut seen = std::mem::take(&mut *self.seen.lock().unwrap());
        seen.sort();
        seen
    }
}

/// Answers one request. Requests for `/wait/N` are counted while they run: `now` of them
/// at the moment, `most` at most.
fn answer(mut stream: TcpStream, log: &Mutex<Vec<String>>, now: &AtomicUsize, most: &AtomicUsize) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let mut parts = first.split_whitespace();
    let (method, path) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    log.lock().unwrap().push(format!("{method} {path}"));
    let (status, extra) = match (method, path) {
        (_, "/ok") => ("200 OK", String::new()),
        (_, "/moved") => ("301 Moved Permanently", "Location: /ok\r\n".to_string()),
        ("HEAD", "/no-head") => ("405 Method Not Allowed", "Allow: GET\r\n".to_string()),
        ("GET", "/no-head") => ("200 OK", String::new()),
        // Longer than the check waits (`timeout: 0.5`).
        (_, "/yawn") => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", String::new())
        }
        (_, p) if p.starts_with("/wait/") => {
            most.fetch_max(now.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(150));
            now.fetch_sub(1, Ordering::SeqCst);
            ("200 OK", String::new())
        }
        _ => ("404 Not Found", String::new()),
    };
    let body = if method == "HEAD" { "" } else { "body" };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 4\r\nConnection: close\r\n\r\n{body}"
    );
}

/// `verdict check --external <args>` in the site, with no proxy in the way.
fn check_external(site: &Site, args: &[&str]) -> Run {
    let mut command = Command::new(BIN);
    command.args(["check", "--external"]).args(args).current_dir(site.root());
    for proxy in
        ["http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]
    {
        command.env_remove(proxy);
    }
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn site_linking_to(server: &Server, dead_hours: &str) -> Site {
    let site = Site::new();
    site.write(
        "site.yaml",
        &format!(
            "title: T\nbase_url: https://example.com/\nexternal_links:\n  skip: [\"/skipped\"]\n  timeout: 0.5\n  per_host: 2\n  cache_dead_hours: {dead_hours}\n"
        ),
    );
    let mut body = String::from("## Links\n\n");
    for path in ["/ok", "/missing", "/moved", "/no-head", "/yawn", "/skipped", "/ok#part"] {
        body.push_str(&format!("See [{path}]({}).\n\n", server.url(path)));
    }
    for n in 1..=6 {
        body.push_str(&format!("Wait [{n}]({}).\n\n", server.url(&format!("/wait/{n}"))));
    }
    body.push_str("Inside the site: [tags](https://example.com/tags/).\n\nWinner: Rust.\n");
    site.write("articles/a.md", &article("A", "2025-01-01", &body));
    site
}

#[test]
fn reports_dead_links_with_their_place_and_caches_the_answers() {
    let server = Server::start();
    let site = site_linking_to(&server, "1");
    let run = check_external(&site, &[]);
    assert_eq!(run.code, 0, "warnings only:\n{}", run.stderr);
    let dead: Vec<&str> =
        run.stderr.lines().filter(|l| l.contains(": warning: dead link")).collect();
    // Six lines of front matter, `## Links` on line 7, a link every other line from 9.
    assert_eq!(
        dead,
        [
            format!(
                "articles/a.md:11:5: warning: dead link `{}`: 404 Not Found",
                server.url("/missing")
            ),
            format!(
                "articles/a.md:17:5: warning: dead link `{}`: no answer within 0.5 s",
                server.url("/yawn")
            ),
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Checked 11 external links (0 answered from the cache, 1 skipped): 2 dead"),
        "{}",
        run.stderr
    );
    let mut expected: Vec<String> = [
        "HEAD /ok",
        "HEAD /missing",
        "GET /missing",
        "HEAD /moved",
        "HEAD /ok",
        "HEAD /no-head",
        "GET /no-head",
        "HEAD /yawn",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain((1..=6).map(|n| format!("HEAD /wait/{n}")))
    .collect();
    expected.sort();
    assert_eq!(server.take(), expected, "each link once, the skipped one never");
    let most = server.most_at_once.load(Ordering::SeqCst);
    assert_eq!(most, 2, "two requests at a time to one host (`per_host: 2`), in parallel");

    // `--deny-warnings` fails on them.
    let denied = check_external(&site, &["--deny-warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    assert!(denied.stderr.contains("(11 answered from the cache"), "{}", denied.stderr);
    assert_eq!(server.take(), Vec::<String>::new(), "the second run asks the server nothing");

    // A dead link's answer kept for no time is fetched again; the live ones stay cached.
    site.write(
        "site.yaml",
        &std::fs::read_to_string(site.path("site.yaml"))
            .unwrap()
            .replace("cache_dead_hours: 1", "cache_dead_hours: 0"),
    );
    let again = check_external(&site, &[]);
    assert!(again.stderr.contains("(9 answered from the cache"), "{}", again.stderr);
    assert_eq!(server.take(), ["GET /missing", "HEAD /missing", "HEAD /yawn"]);
    let cache = std::fs::read_to_string(site.path(".verdict-cache/links.txt")).unwrap();
    assert!(
        cache.contains(&format!("\tdead\t{}\t404 Not Found", server.url("/missing"))),
        "{cache}"
    );

    // Without `--external`, nothing is fetched.
    let plain = crate::diagnostics::verdict(site.root(), &["check"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(!plain.stderr.contains("dead link"));
    assert_eq!(server.take(), Vec::<String>::new());
}

#[test]
fn rejects_unknown_or_bad_external_link_settings() {
    let site = Site::new();
    site.write("articles/a.md", &article("A", "2025-01-01", "## S\n\nWinner: Rust.\n"));
    let cases = [
        ("external_links:\n  timout: 3\n", "unknown field `timout`"),
        (
            "external_links:\n  skip: [\"(\"]\n",
            "`external_links.skip` item 1 is not a regular expression",
        ),
        ("external_links:\n  per_host: 0\n", "`external_links.per_host` must be at least 1"),
        ("external_links:\n  timeout: 0\n", "`external_links.timeout` must be more than 0"),
        (
            "external_links:\n  cache_live_hours: -1\n",
            "`external_links.cache_live_hours` must be a number of at least 0",
        ),
    ];
    for (yaml, message) in cases {
        site.write("site.yaml", &format!("title: T\nbase_url: https://example.com/\n{yaml}"));
        let run = check_external(&site, &[]);
        assert_eq!(run.code, 1, "{yaml}: {}", run.stderr);
        assert!(
            run.stderr.contains("site.yaml:") && run.stderr.contains(message),
            "{yaml}: {}",
            run.stderr
        );
    }
}

/// An `https` link goes through TLS (rustls with its own roots): a server that answers in
/// plain HTTP makes the handshake fail, which is a dead link, not a crash.
#[test]
fn https_links_go_through_tls() {
    let server = Server::start();
    let site = Site::new();
    let url = format!("https://127.0.0.1:{}/ok", server.port);
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.com/\nexternal_links:\n  timeout: 2\n",
    );
    site.write(
        "articles/a.md",
        &article("A", "2025-01-01", &format!("## S\n\n[x]({url})\n\nWinner: Rust.\n")),
    );
    let run = check_external(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let dead = run.stderr.lines().find(|l| l.contains("warning: dead link")).expect("a dead link");
    assert!(
        dead.starts_with(&format!("articles/a.md:9:1: warning: dead link `{url}`: ")),
        "{dead}"
    );
}

/// When no server answers at all (this machine offline, say), the links are still
/// reported, with a note that they may be alive, and not kept as dead in the cache.
#[test]
fn links_no_server_answers_are_not_kept_as_dead() {
    // A port nothing listens on any more.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let site = Site::new();
    let body = format!(
        "## S\n\n[a](http://127.0.0.1:{port}/a) and [b](http://127.0.0.1:{port}/b)\n\nWinner: Rust.\n"
    );
    site.write("articles/a.md", &article("A", "2025-01-01", &body));
    let run = check_external(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches(": warning: dead link").count(), 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: none of the 2 links fetched got an answer from a server"),
        "{}",
        run.stderr
    );
    let cache = std::fs::read_to_string(site.path(".verdict-cache/links.txt")).unwrap_or_default();
    assert!(!cache.contains("127.0.0.1"), "{cache}");
    let again = check_external(&site, &[]);
    assert!(again.stderr.contains("(0 answered from the cache"), "{}", again.stderr);
}
