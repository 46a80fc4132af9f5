//! Full-text search: the split index a build writes, how the theme links it, the cache
//! that spares a warm build the indexing, and the search box in headless Chromium.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::Client;

use crate::browser::{chromedriver, connect};
use crate::serve::PATIENCE;
use crate::support::Site;

/// The Content-Security-Policy that docs/deploying.md gives for the default theme.
const POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// What a [`static_server`] served: each path with the bytes it would take compressed as
/// a static host serves it (gzip for text).
/// What the static server answered: each path with its body, and whether a static host
/// would compress it. Sizes are counted by the reader of the log, not while serving, so
/// that measuring does not take CPU from the browser.
type Served = Arc<Mutex<Vec<(String, Vec<u8>, bool)>>>;

/// A static file server for `dir` on a free loopback port, as a host serves a built
/// site, with [`POLICY`] on every response; returns its URL and what it served. It runs
/// until the test process ends.
fn static_server(dir: PathBuf) -> (String, Served) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let served = Served::default();
    let log = Arc::clone(&served);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            let log = Arc::clone(&log);
            std::thread::spawn(move || answer(&dir, stream, &log));
        }
    });
    (url, served)
}

fn answer(dir: &Path, mut stream: TcpStream, served: &Served) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut file = dir.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        file.push("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let (kind, text) = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => ("text/html; charset=utf-8", true),
        Some("js") => ("text/javascript; charset=utf-8", true),
        Some("css") => ("text/css; charset=utf-8", true),
        Some("json") => ("application/json", true),
        Some("svg") => ("image/svg+xml", true),
        _ => ("application/octet-stream", false),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Content-Security-Policy: {POLICY}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    drop(stream);
    served.lock().unwrap().push((path.to_string(), body, text));
}

/// The size of `bytes` gzipped at the usual level of web servers (6).
fn gzipped(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

/// Three comparisons: only `rust-vs-go` says "quokka" (in its body, nowhere else) and
/// "benchmark"; Go is also called Golang, in two of them; `python-vs-node` has neither.
fn site() -> Site {
    let site = Site::new();
    site.write(
        "articles/rust-vs-go.md",
        "---\ntitle: \"Rust vs Go\"\ndate: 2025-03-02\nauthor: jane\ntags: [backend]\n\
         contenders:\n  - Rust\n  - name: Go\n    aliases: [Golang]\n---\n\
         Both compile to native code.\n\n## Speed\n\nA quokka ran the benchmark twice (x < y & z, `<b>`).\n\n\
         ```rust\nfn wombat() {}\n```\n\n**Winner:** Rust, for CPU-bound work.\n",
    )
    .write(
        "articles/go-vs-java.md",
        "---\ntitle: \"Go vs Java\"\ndate: 2025-02-01\nauthor: jane\n\
         contenders: [Go, Java]\n---\nGarbage collectors compared.\n\n## Start-up\n\n\
         **Winner:** Go, for short-lived processes.\n",
    )
    .write(
        "articles/python-vs-node.md",
        "---\ntitle: \"Python vs Node.js\"\ndate: 2025-01-01\nauthor: jane\n\
         contenders: [Python, Node.js]\n---\nScripting languages side by side.\n\n\
         ## Ecosystem\n\n**Winner:** Python, for data work.\n",
    );
    site
}

#[test]
fn the_build_writes_the_index_and_the_theme_points_at_it() {
    let site = site();
    let build = site.build_ok(&[]);
    let meta: serde_json::Value = serde_json::from_str(&build.read("search/meta.json")).unwrap();
    assert_eq!(meta["documents"], 3, "{meta}");
    let keys: Vec<&str> =
        meta["shards"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert!(keys.contains(&"qu") && keys.contains(&"go"), "{keys:?}");
    let wo = build.read("search/t/wo.json");
    assert!(!wo.contains("wombat"), "code is not indexed: {wo}");
    // The shard of "quokka": the word, its stem's postings (one document), nothing else.
    let shard: serde_json::Value = serde_json::from_str(&build.read("search/t/qu.json")).unwrap();
    let words = shard["w"].as_array().unwrap();
    let quokka = words.iter().find(|w| w[0] == "quokka").expect("quokka is indexed");
    let postings = &shard["p"][quokka[1].as_u64().unwrap() as usize];
    assert_eq!(postings.as_array().map(Vec::len), Some(2), "one document: {shard}");
    // "benchmarks", which no article says, leads to the stem of "benchmark".
    let be: serde_json::Value = serde_json::from_str(&build.read("search/t/be.json")).unwrap();
    let stem_of = |word: &str| {
        be["w"].as_array().unwrap().iter().find(|w| w[0] == word).map(|w| w[1].clone())
    };
    assert_eq!(stem_of("benchmarks"), stem_of("benchmark"), "{be}");
    assert!(stem_of("benchmark").is_some(), "{be}");
    let go: serde_json::Value = serde_json::from_str(&build.read("search/t/go.json")).unwrap();
    let golang = go["w"].as_array().unwrap().iter().find(|w| w[0] == "golang").unwrap();
    let go_postings = go["p"][golang[1].as_u64().unwrap() as usize].as_array().unwrap();
    assert_eq!(go_postings.len(), 4, "the alias is in two documents: {go}");
    // One record per document, newest first, with the prose by section and no code.
    let record: serde_json::Value = serde_json::from_str(&build.read("search/d/0.json")).unwrap();
    assert_eq!(record["t"], "Rust vs Go");
    assert_eq!(record["c"], "Rust · Go");
    assert_eq!(record["s"][1][0], "speed", "{record}");
    assert!(record["s"][1][2].as_str().unwrap().contains("twice (x < y & z, <b>)"), "{record}");
    assert!(!record.to_string().contains("wombat"), "{record}");
    assert!(!build.exists("search/d/3.json"));
    let page = build.html("rust-vs-go/index.html");
    assert_eq!(page.attrs(".search", "data-search-bundle"), vec!["/search/".to_string()]);
    // search.json stays, for other tools.
    let index: serde_json::Value = serde_json::from_str(&build.read("search.json")).unwrap();
    assert_eq!(index.as_array().map(Vec::len), Some(3));
}

#[test]
fn the_index_follows_the_base_path() {
    let site = site();
    site.write(
        "site.yaml",
        &std::fs::read_to_string(site.path("site.yaml"))
            .unwrap()
            .replace("https://example.com", "https://example.com/blog"),
    );
    let build = site.build_ok(&[]);
    let page = build.html("rust-vs-go/index.html");
    assert_eq!(page.attrs(".search", "data-search-bundle"), vec!["/blog/search/".to_string()]);
    let record: serde_json::Value = serde_json::from_str(&build.read("search/d/0.json")).unwrap();
    assert_eq!(record["u"], "/blog/rust-vs-go/");
}

#[test]
fn search_false_leaves_out_the_index_search_json_and_the_box() {
    let site = site();
    let config = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{config}search: false\n"));
    let build = site.build_ok(&[]);
    assert!(!build.exists("search.json"));
    assert!(!build.exists("search/meta.json"));
    assert!(!build.exists("search"), "no index folder");
    let page = build.read("rust-vs-go/index.html");
    assert!(!page.contains("search.js"), "no search script");
    assert!(!page.contains("data-search-bundle"), "no search box");
    assert!(page.contains("A quokka ran the benchmark"), "the page is whole");
    // Turned back on, a warm build brings it all back.
    site.write("site.yaml", &config);
    let build = site.build_ok(&[]);
    assert!(build.exists("search.json") && build.exists("search/meta.json"));
    assert!(build.read("rust-vs-go/index.html").contains("data-search-bundle"));
}

#[test]
fn a_warm_build_reuses_the_index_and_an_edit_reindexes() {
    let site = site();
    let out = site.tmp().join("out");
    let out_arg = out.to_str().unwrap();
    site.build_ok(&["--output", out_arg]);
    let first = crate::support::snapshot(&out.join("search"));
    assert!(site.root().join(".verdict-cache/search.bin").is_file());
    site.build_ok(&["--output", out_arg]);
    assert_eq!(crate::support::snapshot(&out.join("search")), first, "same index");

    let edited = std::fs::read_to_string(site.path("articles/go-vs-java.md"))
        .unwrap()
        .replace("Garbage collectors compared.", "Garbage collectors and a platypus.");
    site.write("articles/go-vs-java.md", &edited);
    site.build_ok(&["--output", out_arg]);
    let warm = crate::support::snapshot(&out.join("search"));
    assert_ne!(warm, first, "the edit reaches the index");
    let shard = std::fs::read_to_string(out.join("search/t/pl.json")).unwrap();
    assert!(shard.contains("\"platypus\""), "{shard}");
    // The same bytes as a build from nothing.
    let fresh = site.tmp().join("fresh");
    site.build_ok(&["--output", fresh.to_str().unwrap(), "--no-cache"]);
    assert_eq!(crate::support::snapshot(&fresh.join("search")), warm);

    // A new newest article moves every other one to the next number: their records
    // (not kept in the cache) are made again under it.
    site.write(
        "articles/zig-vs-c.md",
        "---\ntitle: \"Zig vs C\"\ndate: 2025-04-01\nauthor: jane\n\
         contenders: [Zig, C]\n---\nComptime against macros.\n",
    );
    site.build_ok(&["--output", out_arg]);
    let fresh = site.tmp().join("fresh-2");
    site.build_ok(&["--output", fresh.to_str().unwrap(), "--no-cache"]);
    assert_eq!(
        crate::support::snapshot(&out.join("search")),
        crate::support::snapshot(&fresh.join("search"))
    );
    let record = std::fs::read_to_string(out.join("search/d/1.json")).unwrap();
    assert!(record.contains("\"Rust vs Go\""), "{record}");

    // A CI job: the cache restored, the output empty. The pages write the records again
    // and the stems come from the cache; the index is the fresh build's.
    let ci = site.tmp().join("ci");
    site.build_ok(&["--output", ci.to_str().unwrap()]);
    assert_eq!(
        crate::support::snapshot(&ci.join("search")),
        crate::support::snapshot(&fresh.join("search"))
    );
}

/// Types `query` into the search box (after clearing it and the last announcement) and
/// waits for this query's announcement; returns it with each option's title, link,
/// excerpt HTML, contenders and excerpt text.
async fn results(client: &Client, query: &str) -> serde_json::Value {
    let input = client.find(fantoccini::Locator::Id("vd-search-input")).await.unwrap();
    input.clear().await.unwrap();
    let wipe = "document.querySelector('.search [role=status]').textContent = ''";
    client.execute(wipe, vec![]).await.unwrap();
    input.send_keys(query).await.unwrap();
    let start = Instant::now();
    loop {
        let found = client
            .execute(
                "const status = document.querySelector('.search [role=status]').textContent;\
                 if (!/^(\\d+ results?\\.|No results\\.)/.test(status)) return null;\
                 if (document.getElementById('vd-search-input').value !== arguments[0]) return null;\
                 if (document.querySelector('.search [role=listbox]').getAttribute('aria-busy') === 'true') return null;\
                 return { status, options: [...document.querySelectorAll('[role=option]')]\
                   .map(o => [o.querySelector('.search-result-title').textContent,\
                              o.getAttribute('href'),\
                              (o.querySelector('.search-result-excerpt') || {}).innerHTML || '',\
                              (o.querySelector('.search-result-contenders') || {}).textContent || '',\
                              (o.querySelector('.search-result-excerpt') || {}).textContent || '']) };",
                vec![serde_json::json!(query)],
            )
            .await
            .unwrap();
        if !found.is_null() {
            return found;
        }
        assert!(start.elapsed() < PATIENCE * 4, "no results announced for {query:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn browser_finds_body_words_aliases_and_stems() {
    let Some((driver, port, chromium)) = chromedriver("browser_finds_body_words_aliases_and_stems")
    else {
        return;
    };
    let site = site();
    let out = site.tmp().join("out");
    site.build_ok(&["--output", out.to_str().unwrap()]);
    let (url, _) = static_server(out);
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(search_in_browser(&url, port, &chromium, profile.path()));
    drop(driver);
}

/// `scripts/bench-search`: on a built site (`VERDICT_BENCH_SEARCH_OUT`), what a reader's
/// first query downloads, compressed as a static host serves it, and how long results
/// take after the last keystroke once the index is loaded. A benchmark, not a test.
#[test]
fn search_download_and_latency() {
    let Some(out) = std::env::var_os("VERDICT_BENCH_SEARCH_OUT") else {
        eprintln!(
            "skipping search_download_and_latency: set VERDICT_BENCH_SEARCH_OUT to a built site (scripts/bench-search does)"
        );
        return;
    };
    let Some((driver, port, chromium)) = chromedriver("search_download_and_latency") else {
        return;
    };
    let (url, served) = static_server(PathBuf::from(out));
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let (client, _session) = connect(port, &chromium, profile.path()).await;
        let first = std::env::var("VERDICT_BENCH_SEARCH_QUERY")
            .unwrap_or_else(|_| "memory safety".to_string());
        client.goto(&url).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        served.lock().unwrap().clear();
        let found = results(&client, &first).await;
        // The server logs a request once it has answered it.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let requests: Vec<(String, usize)> = std::mem::take(&mut *served.lock().unwrap())
            .into_iter()
            .map(|(path, body, text)| {
                let size = if text { gzipped(&body) } else { body.len() };
                (path, size)
            })
            .collect();
        let total: usize = requests.iter().map(|(_, size)| size).sum();
        let mut kinds: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
        for (path, size) in &requests {
            let kind = match path {
                p if p.ends_with("/meta.json") => "manifest",
                p if p.contains("/search/t/") => "shards",
                p if p.contains("/search/d/") => "records",
                p if p.ends_with(".js") => "scripts",
                _ => "other",
            };
            let entry = kinds.entry(kind).or_default();
            entry.0 += 1;
            entry.1 += size;
        }
        println!("first query {first:?}: {} ({} results shown)", found["status"], found["options"].as_array().map_or(0, Vec::len));
        println!("first query downloads {:.1} KB in {} requests", total as f64 / 1024.0, requests.len());
        for (kind, (count, size)) in &kinds {
            println!("  {kind:<13} {count:>3} requests {:>8.1} KB", *size as f64 / 1024.0);
        }
        // Keystroke to results, once loaded: the time from the last input event to the
        // search box's last change (the results, the announcement, `aria-busy` turned
        // off), per query.
        client
            .execute(
                "window.lastInput = 0; window.lastRender = 0;\
                 document.getElementById('vd-search-input').addEventListener('input', () => { window.lastInput = performance.now(); }, true);\
                 new MutationObserver(() => { window.lastRender = performance.now(); })\
                   .observe(document.getElementById('vd-search-input').closest('.search'), { childList: true, characterData: true, attributes: true, subtree: true });",
                vec![],
            )
            .await
            .unwrap();
        let mut times = Vec::new();
        for query in ["benchmark", "postgres", "rust async", "latency", "garbage collection", "kafka", "typescript", "memory safety", "deploy", "sqlite"] {
            results(&client, query).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
            let took = client
                .execute("return window.lastRender - window.lastInput", vec![])
                .await
                .unwrap()
                .as_f64()
                .unwrap_or(f64::NAN);
            println!("  {query:<20} {took:>5.0} ms");
            times.push(took);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "keystroke to results over {} queries: median {:.0} ms, max {:.0} ms",
            times.len(),
            times[times.len() / 2],
            times[times.len() - 1]
        );
    });
    drop(driver);
}

async fn search_in_browser(url: &str, driver_port: u16, chromium: &Path, profile: &Path) {
    use fantoccini::{Locator, key::Key};
    use serde_json::json;

    let (client, _session) = connect(driver_port, chromium, profile).await;
    let results = |query: &'static str| {
        let client = client.clone();
        async move { results(&client, query).await }
    };

    client.goto(url).await.unwrap();
    // The box is shown by the script; whatever the policy blocks is counted.
    let hidden = client.execute(
        "window.blocked = [];\
         document.addEventListener('securitypolicyviolation', e => window.blocked.push(e.violatedDirective + ' ' + e.blockedURI));\
         return document.querySelector('.search').hidden",
        vec![],
    );
    assert_eq!(hidden.await.unwrap(), json!(false));

    // A word only in one article's body, typed as a prefix.
    let found = results("quokk").await;
    let options = found["options"].as_array().unwrap();
    assert_eq!(options.len(), 1, "{found}");
    assert_eq!(options[0][0], "Rust vs Go");
    assert!(options[0][1].as_str().unwrap().starts_with("/rust-vs-go/"), "{found}");
    assert!(options[0][2].as_str().unwrap().contains("<mark>quokka</mark>"), "{found}");
    assert_eq!(options[0][3], "Rust · Go", "{found}");
    // The excerpt's text reads as written: escaped text stays text, no element is made.
    assert!(options[0][4].as_str().unwrap().contains("twice (x < y & z, <b>)"), "{found}");
    assert_eq!(found["status"], "1 result. Use the up and down arrow keys to pick one.");

    // A stem: "benchmarks" finds "benchmark".
    let found = results("benchmarks").await;
    let titles: Vec<&str> =
        found["options"].as_array().unwrap().iter().map(|o| o[0].as_str().unwrap()).collect();
    assert_eq!(titles, ["Rust vs Go"], "{found}");

    // Code is not indexed.
    let found = results("wombat").await;
    assert_eq!(found["status"], "No results.", "code was found: {found}");

    // An alias finds every comparison of its contender, and only those.
    let found = results("golang").await;
    let mut titles: Vec<&str> =
        found["options"].as_array().unwrap().iter().map(|o| o[0].as_str().unwrap()).collect();
    titles.sort_unstable();
    assert_eq!(titles, ["Go vs Java", "Rust vs Go"], "{found}");

    // Nothing was blocked by the policy.
    let blocked = client.execute("return window.blocked", vec![]).await.unwrap();
    assert_eq!(blocked, json!([]), "the Content-Security-Policy blocked these");

    // Keyboard: the arrow keys move the active option, Enter opens it.
    let input = client.find(Locator::Id("vd-search-input")).await.unwrap();
    input.send_keys(&Key::Down.to_string()).await.unwrap();
    let active = client
        .execute("return document.getElementById('vd-search-input').getAttribute('aria-activedescendant')", vec![])
        .await
        .unwrap();
    assert_eq!(active, json!("vd-search-input-option-0"));
    let href = client
        .execute("return document.getElementById('vd-search-input-option-0').href", vec![])
        .await
        .unwrap();
    input.send_keys(&Key::Enter.to_string()).await.unwrap();
    let start = Instant::now();
    while client.current_url().await.unwrap().as_str() != href.as_str().unwrap() {
        assert!(start.elapsed() < PATIENCE, "Enter did not open {href}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
