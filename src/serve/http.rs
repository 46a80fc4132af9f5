//! The HTTP side of `serve`: the site from memory, the live-reload endpoints, and the
//! rules for request paths.
//!
//! Files are looked up in the in-memory site by a normalized relative path, so a request
//! can only ever get a file of the site: a path that climbs (`..`, `%2e%2e`), holds a
//! backslash, a NUL or another control character, an empty segment (`//x`) or is very
//! long is refused with 400 before any lookup. Before that, every request must be meant
//! for this server as it is: an origin-form target (`/path`, never a proxy's
//! `http://host/path`) and exactly one well-formed `Host`, naming this machine when the
//! server listens on loopback.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;

use super::livereload::{self, SCRIPT_PATH, SOCKET_PATH, STATUS_PATH};
use super::{App, SiteFiles};

/// Longest request path served; longer ones get 400.
pub const MAX_PATH_LEN: usize = 2048;

/// The router of the preview server.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(SOCKET_PATH, get(livereload::socket))
        .route(STATUS_PATH, get(status))
        .fallback(site_file)
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&app), check_target))
        .with_state(app)
}

/// Refuses (400) a request that is not addressed to this server as an origin server: an
/// absolute-form target (`GET http://evil.example/ HTTP/1.1`, which a proxy is sent) or
/// an authority-form one, no `Host` header, more than one, or one that is not a
/// `host[:port]` ([`is_authority`]). On a server listening on loopback only, it also
/// refuses requests whose `Host` (or `Origin`, when a browser sends one) names another
/// machine: a web page elsewhere cannot reach the preview, drafts and build errors
/// included, by pointing its own name at 127.0.0.1 (DNS rebinding).
async fn check_target(
    State(app): State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let uri = request.uri();
    if uri.scheme().is_some() || uri.authority().is_some() {
        return plain(
            StatusCode::BAD_REQUEST,
            "Requests must name a path (`GET /page/`), not a URL: this is not a proxy.\n",
        );
    }
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().ok().filter(|h| is_authority(h)),
        _ => None,
    };
    let Some(host) = host else {
        return plain(
            StatusCode::BAD_REQUEST,
            "A request needs exactly one `Host` header, `name[:port]`.\n",
        );
    };
    if app.loopback_only() {
        let header = |name| request.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok());
        let origin_ok = header(header::ORIGIN).is_none_or(|origin| {
            origin.split_once("://").is_some_and(|(_, rest)| is_local_authority(rest))
        });
        if !is_local_authority(host) || !origin_ok {
            return plain(
                StatusCode::BAD_REQUEST,
                "this preview server answers only to this machine's own addresses\n",
            );
        }
    }
    next.run(request).await
}

/// Whether `text` is a well-formed `Host` value: a name or IPv4 address (letters, digits,
/// `-`, `.`, `_`) or a bracketed IPv6 address, then optionally `:` and a port number.
pub fn is_authority(text: &str) -> bool {
    let (host_ok, port) = match text.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((ip, port)) => (ip.parse::<std::net::Ipv6Addr>().is_ok(), port),
            None => return false,
        },
        None => {
            let (host, port) = match text.find(':') {
                Some(at) => text.split_at(at),
                None => (text, ""),
            };
            let name_ok = !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
            (name_ok, port)
        }
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|digits| {
            (1..=5).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && digits.parse::<u16>().is_ok()
        });
    host_ok && port_ok
}

/// Whether `authority` (`host[:port]`) names this machine: `localhost` or a loopback IP.
pub fn is_local_authority(authority: &str) -> bool {
    let authority = authority.trim_end_matches('/');
    let host = match authority.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(host, _)| host),
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A request path, checked and decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPath {
    /// Decoded segments joined by `/`, without leading or trailing slash (`""` for `/`).
    pub key: String,
    /// Whether the path ends with `/` (a folder).
    pub folder: bool,
}

/// Why a request path is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadPath {
    /// Longer than [`MAX_PATH_LEN`].
    TooLong,
    /// Not starting with `/`.
    NotAbsolute,
    /// Not UTF-8 once decoded.
    NotUtf8,
    /// Holds a backslash, NUL or another control character once decoded.
    BadCharacter,
    /// Holds an empty, `.` or `..` segment once decoded.
    BadSegment,
}

/// Checks and decodes the path of a request (`uri.path()`, still percent-encoded).
pub fn parse_path(raw: &str) -> Result<RequestPath, BadPath> {
    if raw.len() > MAX_PATH_LEN {
        return Err(BadPath::TooLong);
    }
    let rest = raw.strip_prefix('/').ok_or(BadPath::NotAbsolute)?;
    let decoded = percent_decode_str(rest).decode_utf8().map_err(|_| BadPath::NotUtf8)?;
    if decoded.chars().any(|c| c == '\\' || c.is_control()) {
        return Err(BadPath::BadCharacter);
    }
    let folder = decoded.is_empty() || decoded.ends_with('/');
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    if !trimmed.is_empty() && trimmed.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return Err(BadPath::BadSegment);
    }
    Ok(RequestPath { key: trimmed.to_string(), folder })
}

/// What a request path finds in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The file at this key.
    File(String, Bytes),
    /// A folder asked for without its trailing slash: redirect to it.
    AddSlash,
    /// Nothing.
    NotFound,
}

/// Looks `path` up in `files`: `index.html` for folders, a redirect for a folder without
/// its slash.
pub fn lookup(files: &SiteFiles, path: &RequestPath) -> Lookup {
    let index = if path.key.is_empty() {
        "index.html".to_string()
    } else {
        format!("{}/index.html", path.key)
    };
    if path.folder {
        return match files.get(index.as_str()) {
            Some(bytes) => Lookup::File(index, bytes.clone()),
            None => Lookup::NotFound,
        };
    }
    if let Some(bytes) = files.get(path.key.as_str()) {
        return Lookup::File(path.key.clone(), bytes.clone());
    }
    if files.contains_key(index.as_str()) { Lookup::AddSlash } else { Lookup::NotFound }
}

/// The `Content-Type` of a file of the site, by its name.
pub fn content_type(key: &str) -> String {
    let ext = key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let mime = match ext.as_str() {
        // mime_guess says `text/xml`; the feed is Atom, the rest plain XML.
        "xml" if key == "feed.xml" => "application/atom+xml".to_string(),
        "xml" => "application/xml".to_string(),
        "js" | "mjs" => "text/javascript".to_string(),
        _ => mime_guess::from_ext(&ext).first_or_octet_stream().essence_str().to_string(),
    };
    let textual = mime.starts_with("text/")
        || mime.ends_with("+xml")
        || matches!(mime.as_str(), "application/json" | "application/xml");
    if textual { format!("{mime}; charset=utf-8") } else { mime }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    no_store(&mut response);
    response
}

fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
}

fn file_response(app: &App, status: StatusCode, key: &str, bytes: Bytes) -> Response {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        let tag = livereload::script_tag(&app.status.borrow());
        Bytes::from(livereload::inject(&bytes, &tag))
    } else {
        bytes
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    no_store(&mut response);
    response
}

/// A page for URLs the site does not have: its `404.html`, or a stand-in (before the
/// first good build).
fn not_found(app: &App, files: &SiteFiles) -> Response {
    let page = files.get("404.html").cloned().unwrap_or_else(|| {
        Bytes::from_static(
            b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
              <body><h1>Not found</h1><p>This page is not part of the site.</p></body></html>",
        )
    });
    file_response(app, StatusCode::NOT_FOUND, "404.html", page)
}

/// Any other path: a file of the site.
async fn site_file(State(app): State<Arc<App>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD are served.\n");
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Ok(path) = parse_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "Bad request path.\n");
    };
    let files = app.files();
    match lookup(&files, &path) {
        Lookup::File(key, bytes) => file_response(&app, StatusCode::OK, &key, bytes),
        Lookup::AddSlash => {
            // The path was checked above: it starts with one `/` and has no empty
            // segment, so the location cannot point at another host.
            let mut location = format!("{}/", uri.path());
            if let Some(query) = uri.query() {
                location.push('?');
                location.push_str(query);
            }
            let mut response = plain(StatusCode::TEMPORARY_REDIRECT, "");
            match HeaderValue::from_str(&location) {
                Ok(value) => {
                    response.headers_mut().insert(header::LOCATION, value);
                    response
                }
                Err(_) => plain(StatusCode::BAD_REQUEST, "Bad request path.\n"),
            }
        }
        Lookup::NotFound => not_found(&app, &files),
    }
}

/// `GET /__verdict/livereload.js`.
async fn script() -> Response {
    let mut response = livereload::SCRIPT.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    no_store(&mut response);
    response
}

/// `GET /__verdict/status`: the current [`livereload::Status`] as JSON.
async fn status(State(app): State<Arc<App>>) -> Response {
    let json = serde_json::to_string(&*app.status.borrow()).unwrap_or_default();
    let mut response = json.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    no_store(&mut response);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_values_must_be_a_name_and_an_optional_port() {
        for good in ["localhost", "127.0.0.1:1111", "[::1]", "[::1]:8080", "my-box.local:80", "a_b"]
        {
            assert!(is_authority(good), "{good}");
        }
        for bad in [
            "",
            ":80",
            "localhost:",
            "localhost:abc",
            "localhost:99999",
            "localhost:1:2",
            "user@localhost",
            "local host",
            "localhost/x",
            "[::1",
            "[nope]:80",
            "[::1]x",
            "127.0.0.1, evil.example",
        ] {
            assert!(!is_authority(bad), "{bad}");
        }
    }

    #[test]
    fn local_authorities_are_loopback_names_only() {
        for local in
            ["127.0.0.1", "127.0.0.1:1111", "localhost:1111", "LOCALHOST", "[::1]:8080", "[::1]"]
        {
            assert!(is_local_authority(local), "{local}");
        }
        for other in [
            "evil.example",
            "127.0.0.1.evil.example",
            "localhost.evil:1111",
            "192.168.1.2:1111",
            "",
            "[::2]",
        ] {
            assert!(!is_local_authority(other), "{other}");
        }
    }

    fn path(key: &str, folder: bool) -> Result<RequestPath, BadPath> {
        Ok(RequestPath { key: key.to_string(), folder })
    }

    #[test]
    fn parses_ordinary_paths() {
        assert_eq!(parse_path("/"), path("", true));
        assert_eq!(parse_path("/rust-vs-go/"), path("rust-vs-go", true));
        assert_eq!(parse_path("/rust-vs-go"), path("rust-vs-go", false));
        assert_eq!(parse_path("/assets/style.css"), path("assets/style.css", false));
        assert_eq!(parse_path("/tags/c%2B%2B/"), path("tags/c++", true));
        assert_eq!(parse_path("/caf%C3%A9/"), path("café", true));
    }

    #[test]
    fn refuses_paths_that_could_leave_the_site() {
        for raw in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a/%2e%2e/%2e%2e/x",
            "/./index.html",
            "//etc/passwd",
            "/a//b",
            "/..",
            "/..%2f",
            "/%5c..%5cetc",
            "/a\\..\\b",
            "/index.html%00.css",
            "/a%0a",
        ] {
            assert!(parse_path(raw).is_err(), "{raw} was accepted");
        }
        assert_eq!(parse_path("etc/passwd"), Err(BadPath::NotAbsolute));
        assert_eq!(parse_path("/%ff"), Err(BadPath::NotUtf8));
        assert_eq!(parse_path(&format!("/{}", "a".repeat(MAX_PATH_LEN))), Err(BadPath::TooLong));
    }

    #[test]
    fn finds_files_folders_and_missing_slashes() {
        let files: SiteFiles = [
            ("index.html", "home"),
            ("rust-vs-go/index.html", "article"),
            ("assets/style.css", "css"),
        ]
        .into_iter()
        .map(|(k, v)| (Arc::from(k), Bytes::from(v)))
        .collect();
        let get = |raw: &str| lookup(&files, &parse_path(raw).unwrap());
        assert_eq!(get("/"), Lookup::File("index.html".into(), Bytes::from("home")));
        assert_eq!(
            get("/rust-vs-go/"),
            Lookup::File("rust-vs-go/index.html".into(), Bytes::from("article"))
        );
        assert_eq!(get("/rust-vs-go"), Lookup::AddSlash);
        assert_eq!(
            get("/assets/style.css"),
            Lookup::File("assets/style.css".into(), Bytes::from("css"))
        );
        assert_eq!(get("/assets/style.css/"), Lookup::NotFound);
        assert_eq!(get("/assets"), Lookup::NotFound);
        assert_eq!(get("/nope/"), Lookup::NotFound);
    }

    #[test]
    fn names_content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("assets/search.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("search.json"), "application/json; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("a/chart.PNG"), "image/png");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
