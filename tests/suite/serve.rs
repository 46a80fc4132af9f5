//! `verdict serve`: the real binary on a free port, fetched over HTTP, edited on disk, and
//! followed over its live-reload socket and in headless Chromium.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::browser::{chromedriver, connect};
use crate::support::{BIN, Site, article};

/// How long anything a test waits for may take.
pub(crate) const PATIENCE: Duration = Duration::from_secs(15);

/// A site with one article, `rust-vs-go`, and a static stylesheet.
fn site() -> Site {
    let site = Site::new();
    site.write(
        "articles/rust-vs-go.md",
        &article(
            "Rust vs Go",
            "2025-03-02",
            "\nThe first version.\n\n## Speed\n\n**Winner:** Rust\n",
        ),
    )
    .write("static/extra.css", "body { color: black; }\n");
    site
}

/// A running `verdict serve`, killed when dropped.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/`.
    url: String,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// `verdict serve --root <site> --port 0 <args>`, once it says where it serves.
    fn start(root: &Path, args: &[&str]) -> Server {
        Server::start_with_env(root, args, &[])
    }

    /// [`Server::start`] with these environment variables set.
    fn start_with_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--root"])
            .arg(root)
            .args(["--port", "0"])
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start verdict serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (url_tx, url_rx) = std::sync::mpsc::channel();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some((_, rest)) = line.split_once(" at http://") {
                    let url = rest.split_whitespace().next().unwrap_or_default();
                    let _ = url_tx.send(format!("http://{url}"));
                }
                let mut log = lines.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let Ok(url) = url_rx.recv_timeout(PATIENCE) else {
            let _ = child.kill();
            panic!("verdict serve did not start:\n{}", log.lock().unwrap());
        };
        let port = url.trim_end_matches('/').rsplit(':').next().unwrap().parse().unwrap();
        Server { child, url, port, log }
    }

    /// Everything the server printed so far.
    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// `GET path`, following no redirect.
    fn get(&self, path: &str) -> Reply {
        self.request("GET", path)
    }

    fn request(&self, method: &str, path: &str) -> Reply {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        let url = format!("{}{}", self.url.trim_end_matches('/'), path);
        let request = ureq::http::Request::builder().method(method).uri(&url).body(()).unwrap();
        let mut response = agent.run(request).unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let header = |name: &str| {
            response.headers().get(name).map(|v| v.to_str().unwrap_or_default().to_string())
        };
        let content_type = header("content-type");
        let location = header("location");
        let allow = header("allow");
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Reply { status, content_type, location, allow, body }
    }

    /// Sends `request` as it is and returns the status code and everything after it.
    fn raw(&self, request: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        stream.write_all(request).expect("send");
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply);
        let reply = String::from_utf8_lossy(&reply).into_owned();
        let status = reply.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, reply)
    }

    /// The JSON of `/__verdict/status`.
    fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/__verdict/status").body).expect("status JSON")
    }

    /// Waits until `ready` holds, or fails with the server's log.
    fn wait_until(&self, what: &str, mut ready: impl FnMut() -> bool) {
        let start = Instant::now();
        while !ready() {
            assert!(
                start.elapsed() < PATIENCE,
                "timed out waiting for {what}; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response.
struct Reply {
    status: u16,
    content_type: Option<String>,
    location: Option<String>,
    allow: Option<String>,
    body: String,
}

/// Rewrites a file of the site in place, as an editor would.
fn edit(site: &Site, rel: &str, change: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(site.path(rel)).expect("read file");
    site.write(rel, &change(text));
}

#[test]
fn serves_the_site_from_memory_for_its_local_address() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    assert!(!site.path("dist").exists(), "serve writes no output folder");

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(home.body.contains("Rust vs Go"));
    let script = r#"<script src="/__verdict/livereload.js" data-build="1""#;
    assert!(home.body.contains(script), "live-reload script in:\n{}", home.body);
    assert!(home.body.find(script) < home.body.rfind("</body>"), "the script goes before </body>");

    let article = server.get("/rust-vs-go/");
    assert_eq!(article.status, 200);
    assert!(article.body.contains("The first version."));
    let canonical = format!(r#"<link rel="canonical" href="{}rust-vs-go/">"#, server.url);
    assert!(article.body.contains(&canonical), "base URL is the local address: {canonical}");
    assert!(!article.body.contains("example.com"));

    let redirect = server.get("/rust-vs-go?x=1");
    assert_eq!(redirect.status, 307);
    assert_eq!(redirect.location.as_deref(), Some("/rust-vs-go/?x=1"));

    for (path, content_type) in [
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/extra.css", "text/css; charset=utf-8"),
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/search.json", "application/json; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/__verdict/livereload.js", "text/javascript; charset=utf-8"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.content_type.as_deref(), Some(content_type), "{path}");
    }
    assert!(server.get("/feed.xml").body.contains(&format!("{}rust-vs-go/", server.url)));

    let missing = server.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    let not_found_page = std::fs::read_to_string(site.build_ok(&[]).path("404.html")).unwrap();
    let title = not_found_page.split("<title>").nth(1).unwrap().split("</title>").next().unwrap();
    assert!(missing.body.contains(title), "the site's 404 page, titled {title}");
    assert!(missing.body.contains("/__verdict/livereload.js"));
}

#[test]
fn answers_only_to_local_host_names_and_origins() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let request = |headers: &str| {
        let text = format!("GET / HTTP/1.1\r\n{headers}Connection: close\r\n\r\n");
        server.raw(text.as_bytes()).0
    };
    assert_eq!(request("Host: 127.0.0.1\r\n"), 200);
    assert_eq!(request(&format!("Host: localhost:{}\r\n", server.port)), 200);
    assert_eq!(request("Host: [::1]\r\n"), 200);
    // DNS rebinding: another site's name pointed at this machine.
    assert_eq!(request("Host: evil.example\r\n"), 400);
    assert_eq!(request("Host: 127.0.0.1.evil.example\r\n"), 400);
    assert_eq!(request(""), 400, "no Host at all");
    assert_eq!(request("Host: 127.0.0.1\r\nOrigin: http://evil.example\r\n"), 400);
    assert_eq!(
        request(&format!("Host: 127.0.0.1\r\nOrigin: http://127.0.0.1:{}\r\n", server.port)),
        200
    );
}

#[test]
fn refuses_proxy_targets_and_missing_duplicate_or_malformed_host_headers() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let request = |target: &str, headers: &str| {
        let text = format!("GET {target} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n");
        server.raw(text.as_bytes()).0
    };
    assert_eq!(request("/", "Host: 127.0.0.1\r\n"), 200);
    // Absolute-form targets are for proxies, whatever host they name.
    for target in ["http://evil.example/", "http://127.0.0.1/", "http://localhost/rust-vs-go/"] {
        assert_eq!(request(target, "Host: 127.0.0.1\r\n"), 400, "{target}");
    }
    let local = format!("Host: 127.0.0.1:{}\r\n", server.port);
    assert_eq!(request("/", &format!("{local}{local}")), 400, "two Host headers");
    assert_eq!(request("/", "Host: 127.0.0.1\r\nHost: evil.example\r\n"), 400);
    for host in [
        "",
        "localhost:abc",
        "localhost:",
        "127.0.0.1:99999",
        "user@localhost",
        "[::1",
        "local host",
    ] {
        assert_eq!(request("/", &format!("Host: {host}\r\n")), 400, "Host: {host:?}");
    }
    let (status, _) = server
        .raw(b"CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 400, "authority-form");
    assert_eq!(server.get("/rust-vs-go/").status, 200);
}

/// The status of a WebSocket upgrade request for the live-reload socket with `key_lines`
/// (each ending in CRLF), read from the head of the answer only.
fn upgrade_status(port: u16, key_lines: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let request = format!(
        "GET /__verdict/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n{key_lines}\r\n"
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut head = Vec::new();
    let mut byte = [0; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn refuses_websocket_upgrades_without_a_well_formed_key() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    assert_eq!(upgrade_status(server.port, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"), 101);
    for lines in [
        "",
        "Sec-WebSocket-Key: \r\n",
        "Sec-WebSocket-Key: x\r\n",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ\r\n",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZR==\r\n",
        "Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==\r\n",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
    ] {
        assert_eq!(upgrade_status(server.port, lines), 400, "{lines:?}");
    }
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn answers_head_and_refuses_other_methods() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let (status, reply) =
        server.raw(b"HEAD /rust-vs-go/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 200);
    let (head, body) = reply.split_once("\r\n\r\n").unwrap();
    assert!(head.to_ascii_lowercase().contains("content-length:"), "{head}");
    assert!(body.is_empty(), "HEAD has no body: {body}");

    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in ["/", "/rust-vs-go/", "/__verdict/status"] {
            let reply = server.request(method, path);
            assert_eq!(reply.status, 405, "{method} {path}");
            assert_eq!(reply.allow.as_deref().map(|a| a.contains("GET")), Some(true));
        }
    }
}

#[test]
fn never_serves_anything_outside_the_site() {
    let site = site();
    let secret = "TOP-SECRET-CONTENT";
    std::fs::write(site.tmp().join("secret.txt"), secret).unwrap();
    site.write("secret.txt", secret);
    let server = Server::start(site.root(), &[]);

    // Source files of the site are not part of the site.
    for path in ["/site.yaml", "/articles/rust-vs-go.md", "/authors/jane.md", "/secret.txt"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.body.contains(secret) && !reply.body.contains("name: Jane"), "{path}");
    }
    let long = format!("/{}", "a/".repeat(3000));
    let targets = [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/./secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/index.html%00.txt",
        "/%00",
        "/%ff%fe",
        "http://127.0.0.1/../secret.txt",
        "http://evil.example/../../etc/passwd",
        "../secret.txt",
        "*",
        &long,
    ];
    for target in targets {
        let request =
            format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        let (status, reply) = server.raw(request.as_bytes());
        assert!(matches!(status, 400 | 404 | 414), "GET {target} gave {status}:\n{reply}");
        assert!(!reply.contains(secret) && !reply.contains("root:x:0"), "GET {target} leaked");
    }
    // The server is still up.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn rebuilds_an_edited_article_and_reports_it() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    assert!(server.get("/rust-vs-go/").body.contains("The first version."));
    edit(&site, "articles/rust-vs-go.md", |t| {
        t.replace("The first version.", "The second version.")
    });
    server.wait_until("the edited article", || {
        server.get("/rust-vs-go/").body.contains("The second version.")
    });
    // The line is printed just after the new files are served.
    let rebuilt = |l: &&str| l.starts_with("Rebuilt after `articles/rust-vs-go.md`");
    server.wait_until("the rebuild line", || server.log().lines().any(|l| rebuilt(&l)));
    let log = server.log();
    let line = log.lines().find(rebuilt).unwrap();
    assert!(
        line.contains(" ms: ") && line.contains("written") && line.contains("unchanged"),
        "{line}"
    );

    // A new article appears, a removed one goes.
    site.write("articles/zig-vs-c.md", &article("Zig vs C", "2025-04-01", "Zig text.\n"));
    server.wait_until("the new article", || server.get("/zig-vs-c/").status == 200);
    site.remove("articles/zig-vs-c.md");
    server.wait_until("the removed article to go", || server.get("/zig-vs-c/").status == 404);

    // Editor leftovers and files outside the site's folders change nothing.
    let build = server.status()["build"].as_u64().unwrap();
    site.write("articles/.rust-vs-go.md.swp", "garbage")
        .write("notes.txt", "x")
        .write("dist/x", "x");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.status()["build"].as_u64().unwrap(), build);
}

#[test]
fn an_edit_reaches_the_search_files_and_verdicts_as_a_fresh_build_makes_them() {
    let site = site();
    for (slug, title, date, text) in [
        ("go-vs-java", "Go vs Java", "2025-02-01", "Garbage collectors compared."),
        ("zig-vs-c", "Zig vs C", "2025-01-01", "Comptime against macros."),
        ("deno-vs-bun", "Deno vs Bun", "2024-12-01", "Runtimes for scripts."),
    ] {
        site.write(&format!("articles/{slug}.md"), &article(title, date, &format!("{text}\n")));
    }
    let server = Server::start(site.root(), &[]);
    let version = |server: &Server| {
        let meta: serde_json::Value =
            serde_json::from_str(&server.get("/search/meta.json").body).unwrap();
        meta["version"].as_str().unwrap().to_string()
    };
    // Edits that take a word away from the site and bring new ones, one article at a
    // time: the session updates the postings of the edited article only.
    for (rel, from, to) in [
        ("zig-vs-c", "Comptime against macros.", "Comptime and a platypus."),
        ("go-vs-java", "Garbage collectors compared.", "Garbage collectors and a wombat."),
        ("deno-vs-bun", "title: \"Deno vs Bun\"", "title: \"Deno against Bun\""),
    ] {
        let before = version(&server);
        edit(&site, &format!("articles/{rel}.md"), |t| t.replace(from, to));
        server.wait_until("the edit to reach the index", || version(&server) != before);
    }
    let fresh = site.tmp().join("fresh");
    let out = fresh.to_str().unwrap();
    site.build_ok(&["--output", out, "--no-cache", "--base-url", &server.url]);
    for file in ["search.json", "verdicts.json"] {
        let made = std::fs::read_to_string(fresh.join(file)).unwrap();
        assert!(made.contains("Deno against Bun"), "{made}");
        assert_eq!(server.get(&format!("/{file}")).body, made, "{file}");
    }
    let files = crate::support::snapshot(&fresh.join("search"));
    assert!(files.keys().any(|p| p.starts_with("t")), "{:?}", files.keys());
    for (rel, bytes) in &files {
        let served = server.get(&format!("/search/{}", rel.display())).body;
        assert_eq!(served, String::from_utf8_lossy(bytes), "search/{}", rel.display());
    }
    let shards = files.keys().filter(|p| p.starts_with("t")).count();
    let meta: serde_json::Value =
        serde_json::from_str(&server.get("/search/meta.json").body).unwrap();
    assert_eq!(meta["shards"].as_array().unwrap().len(), shards, "no shard left over");
    let text: String = files.values().map(|b| String::from_utf8_lossy(b)).collect();
    assert!(!text.contains("\"macros\"") && text.contains("\"platypus\""));
}

#[test]
fn a_failed_build_leaves_no_stale_search_index_behind() {
    // The search index is made before the links to site paths are checked: a build that
    // fails there must not leave the session believing its index was served.
    let site = site();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\n");
    let server = Server::start(site.root(), &[]);
    assert!(server.status()["errors"].as_array().unwrap().is_empty());
    edit(&site, "articles/rust-vs-go.md", |t| {
        t.replace("The first version.", "A platypus wrote [notes](/notes.txt).")
    });
    server.wait_until("the broken link", || {
        !server.status()["errors"].as_array().unwrap().is_empty()
    });
    // The article stays as it is; the file it links to comes.
    site.write("static/notes.txt", "Notes.\n");
    server.wait_until("the fix", || server.status()["errors"].as_array().unwrap().is_empty());
    let fresh = site.tmp().join("fresh");
    site.build_ok(&["--output", fresh.to_str().unwrap(), "--no-cache", "--base-url", &server.url]);
    for (rel, bytes) in crate::support::snapshot(&fresh.join("search")) {
        let served = server.get(&format!("/search/{}", rel.display())).body;
        assert_eq!(served, String::from_utf8_lossy(&bytes), "search/{}", rel.display());
    }
    let index = std::fs::read_to_string(fresh.join("search.json")).unwrap();
    assert_eq!(server.get("/search.json").body, index);
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_shows_the_error() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    edit(&site, "articles/rust-vs-go.md", |t| {
        t.replace("author: jane", "author: nobody").replace("The first version.", "Broken text.")
    });
    server.wait_until("the error", || !server.status()["errors"].as_array().unwrap().is_empty());
    let status = server.status();
    let error = &status["errors"][0];
    assert_eq!(error["path"], "articles/rust-vs-go.md");
    assert_eq!(error["line"], 4, "{error}");
    assert!(error["message"].as_str().unwrap().contains("nobody"), "{error}");
    let article = server.get("/rust-vs-go/");
    assert_eq!(article.status, 200);
    assert!(article.body.contains("The first version."), "the last good page stays");
    let log = server.log();
    assert!(log.contains("articles/rust-vs-go.md:4:"), "{log}");
    assert!(log.contains("still serving the last good build"), "{log}");

    edit(&site, "articles/rust-vs-go.md", |t| t.replace("author: nobody", "author: jane"));
    server.wait_until("the fix", || server.status()["errors"].as_array().unwrap().is_empty());
    assert!(server.get("/rust-vs-go/").body.contains("Broken text."));
    let status = server.status();
    assert_eq!(status["reload"], status["build"], "fixing the error reloads the pages");
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let site = site();
    edit(&site, "articles/rust-vs-go.md", |t| t.replace("author: jane", "author: nobody"));
    let server = Server::start(site.root(), &[]);
    let missing = server.get("/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("/__verdict/livereload.js"), "the overlay can show");
    assert!(!server.status()["errors"].as_array().unwrap().is_empty());
    edit(&site, "articles/rust-vs-go.md", |t| t.replace("author: nobody", "author: jane"));
    server.wait_until("the fixed site", || server.get("/rust-vs-go/").status == 200);
}

#[test]
fn links_to_site_paths_are_checked_for_the_deployed_address() {
    // The pages are made for the local address, but the links in Markdown are written
    // for the deployed one, base path included: `/blog/compare/go/` is right.
    let site = site();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/blog/\n");
    edit(&site, "articles/rust-vs-go.md", |t| {
        t.replace("The first version.", "[Go](/blog/compare/go/) and [Rust](/blog/compare/rst/)")
    });
    let server = Server::start(site.root(), &[]);
    let status = server.status();
    let errors = status["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{status}");
    assert_eq!(errors[0]["path"], "articles/rust-vs-go.md");
    assert_eq!(errors[0]["line"], 8, "{status}");
    assert!(errors[0]["message"].as_str().unwrap().contains("/blog/compare/rst/"), "{status}");

    edit(&site, "articles/rust-vs-go.md", |t| t.replace("/compare/rst/", "/compare/rust/"));
    server.wait_until("the fix", || server.status()["errors"].as_array().unwrap().is_empty());
    assert!(server.get("/rust-vs-go/").body.contains(r#"href="/blog/compare/go/""#));
}

#[test]
fn recovers_from_templates_that_never_end() {
    let site = site();
    let server = Server::start_with_env(site.root(), &[], &[("VERDICT_RENDER_TIMEOUT_MS", "1000")]);
    let errors = |server: &Server| server.status()["errors"].as_array().unwrap().clone();
    let article = |content: &str| {
        format!(
            "{{% extends \"base.html\" %}}\n{{% block content %}}\n{content}\n{{% endblock content %}}\n"
        )
    };
    // A loop over `range` stops at its call; components fanning out abandon the build.
    site.write(
        "templates/article.html",
        &article("{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}"),
    );
    server.wait_until("the range error", || {
        errors(&server).iter().any(|e| e["path"] == "templates/article.html" && e["line"] == 3)
    });
    site.write(
        "templates/fan.html",
        "{% component fan(n: integer) %}{% for i in [1,2,3,4,5,6,7,8,9,10] %}{% if n < 18 %}{{ <fan n={n + 1} /> }}{% endif %}{% endfor %}{% endcomponent fan %}\n",
    );
    site.write("templates/article.html", &article("{{ <fan n={0} /> }}"));
    server.wait_until("the abandoned build", || {
        errors(&server).iter().any(|e| {
            e["path"] == "templates/article.html"
                && e["message"].as_str().unwrap().contains("abandoned")
        })
    });
    // A second build abandoned the same way: each holds its threads for good, and the
    // builds after them still run (a two-core machine has no threads left otherwise).
    site.write("templates/article.html", &article("{# again #}{{ <fan n={0} /> }}"));
    server.wait_until("the second abandoned build", || {
        server.log().matches("the build was abandoned").count() >= 2
    });
    // Fixed, and a later edit is picked up and served.
    site.remove("templates/article.html");
    server.wait_until("the fix", || errors(&server).is_empty());
    edit(&site, "articles/rust-vs-go.md", |t| t.replace("The first version.", "Edited later."));
    server.wait_until("the edit", || server.get("/rust-vs-go/").body.contains("Edited later."));
    assert!(server.log().contains("the build was abandoned"), "{}", server.log());
}

/// Reads the next status from the live-reload socket.
fn next_status(socket: &mut tungstenite::WebSocket<TcpStream>) -> serde_json::Value {
    try_next_status(socket).expect("a status on the live-reload socket")
}

/// Reads the next status from the live-reload socket, or `None` after its read timeout.
fn try_next_status(socket: &mut tungstenite::WebSocket<TcpStream>) -> Option<serde_json::Value> {
    loop {
        match socket.read() {
            Ok(tungstenite::Message::Text(text)) => return serde_json::from_str(&text).ok(),
            Ok(tungstenite::Message::Close(_)) => panic!("socket closed"),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

#[test]
fn live_reload_socket_announces_builds_after_the_files_are_served() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let url = format!("ws://127.0.0.1:{}/__verdict/ws", server.port);
    let (mut socket, _) = tungstenite::client(url.as_str(), stream).expect("websocket");
    let hello = next_status(&mut socket);
    assert_eq!((hello["build"].as_u64(), hello["reload"].as_u64()), (Some(1), Some(1)));
    assert!(hello["errors"].as_array().unwrap().is_empty());

    edit(&site, "articles/rust-vs-go.md", |t| t.replace("The first version.", "Socket text."));
    let status = next_status(&mut socket);
    assert_eq!((status["build"].as_u64(), status["reload"].as_u64()), (Some(2), Some(2)));
    // Told only once the new page is served.
    assert!(server.get("/rust-vs-go/").body.contains("Socket text."));

    // A stylesheet-only change: a new build that needs no reload.
    site.write("static/extra.css", "body { color: navy; }\n");
    let status = next_status(&mut socket);
    assert_eq!((status["build"].as_u64(), status["reload"].as_u64()), (Some(3), Some(2)));
    assert!(server.get("/extra.css").body.contains("navy"));

    edit(&site, "articles/rust-vs-go.md", |t| t.replace("date: 2025-03-02", "date: 2025-13-02"));
    let status = next_status(&mut socket);
    assert_eq!(status["build"].as_u64(), Some(3));
    assert_eq!(status["errors"][0]["path"], "articles/rust-vs-go.md");
    let _ = socket.close(None);
}

/// The resident memory of process `pid`, in MiB (Linux).
fn resident_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

#[test]
fn drops_a_websocket_client_that_floods_pings_and_never_reads() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    // A well-behaved page beside the flood.
    let stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let url = format!("ws://127.0.0.1:{}/__verdict/ws", server.port);
    let (mut page, _) = tungstenite::client(url.as_str(), stream).expect("websocket");
    assert_eq!(next_status(&mut page)["build"].as_u64(), Some(1));
    let before = resident_mib(server.child.id());

    let mut flood = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    flood
        .write_all(
            b"GET /__verdict/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        )
        .unwrap();
    // Masked pings with 125 bytes each, as fast as the socket takes them, never reading.
    let mut ping = vec![0x89, 0x80 | 125, 0, 0, 0, 0];
    ping.extend([b'p'; 125]);
    let pings: Vec<u8> = ping.iter().copied().cycle().take(ping.len() * 1000).collect();
    flood.set_write_timeout(Some(Duration::from_secs(1))).unwrap();
    let started = Instant::now();
    let mut sent = 0usize;
    let dropped = loop {
        match flood.write(&pings) {
            Ok(n) => sent += n,
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => break true,
        }
        if started.elapsed() > Duration::from_secs(10) {
            break false;
        }
    };
    assert!(dropped, "the flood was not dropped after {sent} bytes in 10 s");
    let after = resident_mib(server.child.id());
    assert!(after < before + 64.0, "memory grew from {before:.0} to {after:.0} MiB");
    // The page beside it still follows builds, and new pages connect.
    edit(&site, "articles/rust-vs-go.md", |t| t.replace("The first version.", "After the flood."));
    assert_eq!(next_status(&mut page)["build"].as_u64(), Some(2));
    assert_eq!(upgrade_status(server.port, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"), 101);
}

/// Whether the server still holds `stream` open: nothing to read yet, and no end.
fn still_open(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let open =
        matches!(stream.peek(&mut [0; 1]), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).unwrap();
    open
}

/// Reads until the server closes `stream`; returns what it sent and when it closed.
fn read_until_closed(mut stream: TcpStream, what: &str) -> (Vec<u8>, Instant) {
    let mut reply = Vec::new();
    match stream.read_to_end(&mut reply) {
        Ok(_) => {}
        // Closing a socket with unread bytes may reset it: closed all the same.
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => panic!("{what}: the server did not close the connection: {e}"),
    }
    (reply, Instant::now())
}

#[test]
fn closes_connections_that_stall_before_sending_a_request() {
    // The server gives a client 10 s to send a request head; this test shortens that
    // through the variable the server reads for tests.
    const TIMEOUT: Duration = Duration::from_millis(2000);
    let site = site();
    let ms = TIMEOUT.as_millis().to_string();
    let server =
        Server::start_with_env(site.root(), &[], &[("VERDICT_SERVE_HEADER_TIMEOUT_MS", &ms)]);
    let connect = || {
        let stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    };
    let started = Instant::now();
    let silent = connect();
    let mut partial = connect();
    partial.write_all(b"GET /rust-vs-go/ HT").unwrap();
    let mut unfinished = connect();
    unfinished.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    // A connection kept alive after a whole request is closed once idle as long.
    let mut idle = connect();
    idle.write_all(b"HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0];
        idle.read_exact(&mut byte).expect("the answer to HEAD");
        head.push(byte[0]);
    }
    assert!(head.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&head));
    // The live-reload socket is no request head: it outlives the timeout.
    let url = format!("ws://127.0.0.1:{}/__verdict/ws", server.port);
    let (mut socket, _) = tungstenite::client(url.as_str(), connect()).expect("websocket");
    assert_eq!(next_status(&mut socket)["build"].as_u64(), Some(1));

    // Beside the stalled clients, others are served at once.
    for path in ["/", "/rust-vs-go/", "/__verdict/status"] {
        assert_eq!(server.get(path).status, 200, "{path}");
    }
    assert!(started.elapsed() < TIMEOUT, "too slow to tell: {:?}", started.elapsed());
    for stream in [&silent, &partial, &unfinished, &idle] {
        assert!(still_open(stream), "closed before the timeout");
    }

    for (what, stream) in [
        ("a client that sent nothing", silent),
        ("half a request line", partial),
        ("headers without their blank line", unfinished),
        ("an idle kept-alive connection", idle),
    ] {
        let (reply, closed) = read_until_closed(stream, what);
        // hyper closes the connection without an answer (it sends no 408).
        assert!(reply.is_empty(), "{what}: {}", String::from_utf8_lossy(&reply));
        let after = closed - started;
        assert!(after >= TIMEOUT, "{what}: closed after {after:?}");
        assert!(after < TIMEOUT + Duration::from_secs(5), "{what}: closed after {after:?}");
    }

    // The socket still follows builds, and the server still answers.
    edit(&site, "articles/rust-vs-go.md", |t| t.replace("The first version.", "Later."));
    assert_eq!(next_status(&mut socket)["build"].as_u64(), Some(2));
    assert!(server.get("/rust-vs-go/").body.contains("Later."));
    let _ = socket.close(None);
}

#[test]
fn closes_connections_that_never_read_their_answers() {
    // The server gives up an answer the client has taken no bytes of for 30 s; this test
    // shortens that through the variable the server reads for tests.
    const TIMEOUT: Duration = Duration::from_millis(2000);
    // A 1 MiB file: a few answers fill the kernel's buffers on both sides.
    const BIG: usize = 1 << 20;
    let site = site();
    site.write("static/big.txt", &"0123456789abcdef".repeat(BIG / 16));
    let ms = TIMEOUT.as_millis().to_string();
    let server =
        Server::start_with_env(site.root(), &[], &[("VERDICT_SERVE_WRITE_TIMEOUT_MS", &ms)]);
    let connect = || {
        let stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.set_write_timeout(Some(PATIENCE)).unwrap();
        stream
    };
    const REQUEST: &[u8] = b"GET /big.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    // The live-reload socket has nothing to write once it sent the status: it stays.
    let url = format!("ws://127.0.0.1:{}/__verdict/ws", server.port);
    let (mut socket, _) = tungstenite::client(url.as_str(), connect()).expect("websocket");
    assert_eq!(next_status(&mut socket)["build"].as_u64(), Some(1));

    // A client that pipelines requests without end and never reads: once hyper stops
    // reading them (it is stuck writing the first answers), its writes block, until the
    // server closes the connection and the next write fails.
    let started = Instant::now();
    let mut greedy = connect();
    let never_reads = std::thread::spawn(move || {
        let requests = REQUEST.repeat(1000);
        let mut sent = 0;
        loop {
            match greedy.write(&requests) {
                Ok(n) => sent += n,
                Err(e) => return (e, sent / REQUEST.len(), Instant::now()),
            }
        }
    });

    // A client that stops reading for less than the timeout gets every answer.
    let mut late = connect();
    let mut requests = REQUEST.repeat(7);
    requests.extend_from_slice(
        b"GET /big.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    late.write_all(&requests).unwrap();
    std::thread::sleep(TIMEOUT / 2);
    let (reply, _) = read_until_closed(late, "a client that reads late");
    let answers = reply.windows(12).filter(|w| w == b"HTTP/1.1 200").count();
    assert_eq!(answers, 8, "a client that paused for half the timeout");
    assert!(reply.len() > 8 * BIG, "{} bytes", reply.len());

    // Meanwhile others are served at once.
    let asked = Instant::now();
    assert_eq!(server.get("/rust-vs-go/").status, 200);
    let answered = asked.elapsed();
    assert!(answered < TIMEOUT / 4, "answered after {answered:?}");

    let (error, sent, closed) = never_reads.join().unwrap();
    assert!(
        !matches!(error.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
        "the server kept a client that never reads: {error}"
    );
    let after = closed - started;
    eprintln!("closed after {after:?}, {sent} requests sent, {error}");
    assert!(after >= TIMEOUT, "closed after {after:?}");
    assert!(after < TIMEOUT + Duration::from_secs(5), "closed after {after:?}");

    // The idle socket outlived the timeout and still follows builds.
    edit(&site, "articles/rust-vs-go.md", |t| t.replace("The first version.", "Later."));
    assert_eq!(next_status(&mut socket)["build"].as_u64(), Some(2));
    assert!(server.get("/rust-vs-go/").body.contains("Later."));
    let _ = socket.close(None);
}

#[test]
fn a_port_in_use_is_refused_clearly() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = site();
    let output = Command::new(BIN)
        .args(["serve", "--root"])
        .arg(site.root())
        .args(["--port", &port])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("port {port} on 127.0.0.1 is already in use")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
fn refuses_a_folder_that_is_not_a_site() {
    let site = Site::empty();
    let output = Command::new(BIN).args(["serve", "--root"]).arg(site.root()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("has no `site.yaml`"));
}

/// `--config FILE` elsewhere: the pages are built from it, an edit of it rebuilds, and
/// the site's own `site.yaml` is no longer what counts.
#[test]
fn serves_with_another_configuration_file_and_watches_it() {
    let site = site();
    let config = site.tmp().join("configs/preview.yaml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "title: Preview one\nbase_url: https://example.com/\n").unwrap();
    let server = Server::start(site.root(), &["-c", config.to_str().unwrap()]);
    assert!(server.get("/").body.contains("Preview one"));

    std::fs::write(&config, "title: Preview two\nbase_url: https://example.com/\n").unwrap();
    server.wait_until("the new title", || server.get("/").body.contains("Preview two"));

    let build = server.status()["build"].as_u64().unwrap();
    edit(&site, "site.yaml", |t| t.replace("Test site", "Not this one"));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.status()["build"].as_u64().unwrap(), build, "site.yaml is not watched");

    let missing = Command::new(BIN)
        .args(["serve", "--port", "0", "-c", "nope.yaml", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("the configuration file `") && stderr.contains("nope.yaml` does not exist"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let site = site();
    let mut server = Server::start(site.root(), &[]);
    // Keep a live-reload socket open: it must not hold the server up.
    let stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let url = format!("ws://127.0.0.1:{}/__verdict/ws", server.port);
    let (_socket, _) = tungstenite::client(url.as_str(), stream).expect("websocket");
    let killed = Command::new("kill").args(["-INT", &server.child.id().to_string()]).status();
    assert!(killed.unwrap().success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    server.wait_until("the last words", || server.log().contains("Stopped."));
}

// ---------------------------------------------------------------------------------------
// In a real browser: headless Chromium driven through chromedriver.

#[test]
fn browser_reloads_shows_the_overlay_and_swaps_stylesheets() {
    let Some((driver, port, chromium)) =
        chromedriver("browser_reloads_shows_the_overlay_and_swaps_stylesheets")
    else {
        return;
    };
    let site = site();
    let server = Server::start(site.root(), &[]);
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(in_browser(&site, &server, port, &chromium, profile.path()));
    drop(driver);
}

async fn in_browser(
    site: &Site,
    server: &Server,
    driver_port: u16,
    chromium: &Path,
    profile: &Path,
) {
    use fantoccini::Locator;
    use serde_json::json;

    let (client, _session) = connect(driver_port, chromium, profile).await;

    // Polls a script until it returns true.
    let wait = |what: &'static str, script: &'static str| {
        let client = client.clone();
        async move {
            let start = Instant::now();
            loop {
                if client.execute(script, vec![]).await.ok() == Some(json!(true)) {
                    return;
                }
                assert!(
                    start.elapsed() < PATIENCE,
                    "timed out waiting for {what}; log:\n{}",
                    server.log()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };

    client.goto(&format!("{}rust-vs-go/", server.url)).await.unwrap();
    let body = client.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(body.contains("The first version."), "{body}");
    // Wait for the live-reload socket, then mark this page: a reload forgets the mark.
    wait(
        "the socket",
        "return !!(window.__verdictLiveReload && window.__verdictLiveReload.connected)",
    )
    .await;
    client.execute("window.verdictMark = 1", vec![]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    // 1. An edit reloads the page with the new text.
    edit(site, "articles/rust-vs-go.md", |t| {
        t.replace("The first version.", "Edited in the browser test.")
    });
    wait("the reload", "return document.body.innerText.includes('Edited in the browser test.')")
        .await;
    assert_eq!(
        client.execute("return window.verdictMark === undefined", vec![]).await.unwrap(),
        json!(true)
    );

    // 2. A stylesheet-only change swaps stylesheets without a reload.
    client.execute("window.verdictMark = 2", vec![]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    site.write("static/extra.css", "body { color: navy; }\n");
    wait("the stylesheet swap", "return [...document.querySelectorAll('link[rel=stylesheet]')].some(l => l.href.includes('verdict-build='))").await;
    assert_eq!(client.execute("return window.verdictMark", vec![]).await.unwrap(), json!(2));

    // 3. A broken front matter shows the overlay over the last good page.
    edit(site, "articles/rust-vs-go.md", |t| t.replace("author: jane", "author: <b>nobody</b>"));
    wait("the overlay", "return !!document.getElementById('verdict-error-overlay')").await;
    let overlay = client.find(Locator::Id("verdict-error-overlay")).await.unwrap();
    let text = overlay.text().await.unwrap();
    assert!(text.contains("articles/rust-vs-go.md:4:"), "{text}");
    assert!(text.contains("<b>nobody</b>"), "the message is shown as text: {text}");
    let bold = client
        .execute("return document.querySelectorAll('#verdict-error-overlay b').length", vec![]);
    assert_eq!(bold.await.unwrap(), json!(0), "no HTML from the message");
    assert!(client.source().await.unwrap().contains("Edited in the browser test."));

    // 4. Fixing it clears the overlay and reloads.
    edit(site, "articles/rust-vs-go.md", |t| {
        t.replace("author: <b>nobody</b>", "author: jane")
            .replace("Edited in the browser test.", "Fixed.")
    });
    wait("the fix", "return !document.getElementById('verdict-error-overlay') && document.body.innerText.includes('Fixed.')").await;

    // `_session` ends the browser.
}

// ---------------------------------------------------------------------------------------
// The reload-latency benchmark (`scripts/bench-serve`): not a test, so ignored.

/// Puts a file back as it was when dropped.
struct Restore(PathBuf, Vec<u8>);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.0, &self.1);
    }
}

/// Median, 90th percentile and maximum, in milliseconds.
fn spread(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    format!("median {:6.1} ms   p90 {:6.1} ms   max {:6.1} ms", at(0.5), at(0.9), at(1.0))
}

/// The numbers a `Rebuilt ... in X ms: ...; browsers told Y ms after the change` line gives.
fn rebuild_times(line: &str) -> Option<(f64, f64)> {
    let ms = |after: &str| -> Option<f64> {
        line.split(after).nth(1)?.split(" ms").next()?.trim().parse().ok()
    };
    Some((ms(" in ")?, ms("browsers told ")?))
}

/// Edits one article of the site in `VERDICT_BENCH_SITE` again and again and measures,
/// for each edit, the time from writing the file to the reload message on the
/// live-reload socket; then the same for a template change, and a warm `verdict build`.
#[test]
#[ignore = "a benchmark: run it with scripts/bench-serve"]
fn reload_latency() {
    let Some(root) = std::env::var_os("VERDICT_BENCH_SITE").map(PathBuf::from) else {
        eprintln!(
            "skipping reload_latency: set VERDICT_BENCH_SITE to a site (scripts/bench-serve does)"
        );
        return;
    };
    let edits: usize =
        std::env::var("VERDICT_BENCH_EDITS").ok().and_then(|n| n.parse().ok()).unwrap_or(20);
    let started = Instant::now();
    let server = Server::start(&root, &[]);
    eprintln!("first build and start: {:.1} s", started.elapsed().as_secs_f64());
    let stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let url = format!("ws://127.0.0.1:{}/__verdict/ws", server.port);
    let (mut socket, _) = tungstenite::client(url.as_str(), stream).expect("websocket");
    let mut build = next_status(&mut socket)["build"].as_u64().unwrap();

    let mut articles: Vec<PathBuf> = std::fs::read_dir(root.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    articles.sort();
    let article = articles[articles.len() / 2].clone();
    let original = std::fs::read(&article).unwrap();
    let _restore = Restore(article.clone(), original.clone());

    // CPU time the server has used (user and system), in milliseconds; Linux only.
    let pid = server.child.id();
    let cpu_ms = move || -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: f64 =
            fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        Some(ticks * 10.0) // USER_HZ is 100 on Linux
    };
    let cpu_per_edit = std::cell::RefCell::new(Vec::new());

    // Writes `bytes` to `path` and waits for the reload message; returns the milliseconds.
    let mut measure = |path: &Path, bytes: &[u8]| -> f64 {
        let cpu0 = cpu_ms();
        let t0 = Instant::now();
        std::fs::write(path, bytes).unwrap();
        loop {
            let Some(status) = try_next_status(&mut socket) else {
                panic!("no reload message after {path:?} changed; log:\n{}", server.log());
            };
            assert!(status["errors"].as_array().unwrap().is_empty(), "build failed: {status}");
            let now = status["build"].as_u64().unwrap();
            if now > build {
                build = now;
                let ms = t0.elapsed().as_secs_f64() * 1000.0;
                eprintln!("  build {now}: {ms:.1} ms");
                // Let the events of this build's own file reads settle.
                std::thread::sleep(Duration::from_millis(250));
                if let (Some(a), Some(b)) = (cpu0, cpu_ms()) {
                    cpu_per_edit.borrow_mut().push(b - a);
                }
                return ms;
            }
        }
    };

    let mut client_ms = Vec::new();
    for i in 0..edits {
        let mut text = original.clone();
        text.extend_from_slice(
            format!("\nA sentence added by the benchmark, edit {i}.\n").as_bytes(),
        );
        client_ms.push(measure(&article, &text));
    }
    let edit_cpu: Vec<f64> = cpu_per_edit.borrow_mut().drain(..).collect();
    let log = server.log();
    let (build_ms, server_ms): (Vec<f64>, Vec<f64>) =
        log.lines().filter(|l| l.starts_with("Rebuilt")).filter_map(rebuild_times).unzip();

    // A template change: every page is rendered again, and every page changes.
    let template = root.join("templates/base.html");
    assert!(!root.join("templates").exists(), "the benchmark site has its own templates/");
    let _remove_dir = RemoveDir(root.join("templates"));
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html");
    let source = std::fs::read_to_string(theme).unwrap();
    let mut template_ms = Vec::new();
    for i in 0..3 {
        let changed =
            source.replacen("</head>", &format!("<!-- benchmark change {i} -->\n</head>"), 1);
        template_ms.push(measure(&template, changed.as_bytes()));
    }
    let template_build_ms: Vec<f64> = server
        .log()
        .lines()
        .filter(|l| l.starts_with("Rebuilt after `templates/"))
        .filter_map(rebuild_times)
        .map(|(b, _)| b)
        .collect();
    drop(server);

    // A full `verdict build` of the same site after the same kind of template change, its
    // caches warm (the first build fills them), for comparison.
    let out = tempfile::tempdir().unwrap();
    let had_cache = root.join(".verdict-cache").exists();
    let mut full_ms = Vec::new();
    for i in 0..4 {
        let changed = source.replacen("</head>", &format!("<!-- build change {i} -->\n</head>"), 1);
        std::fs::write(&template, changed).unwrap();
        let t0 = Instant::now();
        let status = Command::new(BIN)
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(out.path().join("dist"))
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        if i > 0 {
            full_ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        }
    }
    if !had_cache {
        let _ = std::fs::remove_dir_all(root.join(".verdict-cache"));
    }

    let articles_n = articles.len();
    eprintln!(
        "\nverdict serve on {articles_n} articles (`{}`), {edits} edits of `{}`:",
        root.display(),
        article.file_name().unwrap().to_string_lossy()
    );
    eprintln!("  edit -> reload message (client)     {}", spread(client_ms));
    eprintln!("  file event -> browsers told (server) {}", spread(server_ms));
    eprintln!("  rebuild (server)                     {}", spread(build_ms));
    if !edit_cpu.is_empty() {
        eprintln!("  server CPU time per edit             {}", spread(edit_cpu));
    }
    eprintln!("template change -> reload message      {}", spread(template_ms));
    eprintln!("  rebuild (server)                     {}", spread(template_build_ms));
    eprintln!("`verdict build` after a template change {}", spread(full_ms));
}

/// Removes a folder when dropped.
struct RemoveDir(PathBuf);

impl Drop for RemoveDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn pages_link_to_the_base_url_given_for_other_devices() {
    // `--bind 0.0.0.0` for a phone, with links made for this machine's address on the
    // network (here a documentation address: the test only reads the pages).
    let site = site();
    let server = Server::start(site.root(), &["--base-url", "http://192.0.2.7:1111"]);
    let page = server.get("/rust-vs-go/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<link rel=\"canonical\" href=\"http://192.0.2.7:1111/rust-vs-go/\">"),
        "{}",
        page.body
    );
    assert!(server.log().contains("Pages link to http://192.0.2.7:1111/"), "{}", server.log());
}
