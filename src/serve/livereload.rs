//! Live reload: the state open pages follow over a WebSocket, the client script that the
//! server adds to every HTML page it serves, and the error overlay that script shows.
//!
//! The server publishes one [`Status`] at a time. A page is served with the number of the
//! build it shows; its script connects to `/__verdict/ws`, receives the current status at
//! once and every new one after, and:
//! - shows the overlay while the status has errors (the page itself stays as it was);
//! - reloads when a build newer than its own changed more than stylesheets, or when the
//!   server was restarted;
//! - swaps its stylesheets in place when only stylesheets changed.
//!
//! A status is published only after the new files are in place, so a reloading browser
//! always gets the complete new site.
//!
//! Pages only listen: a client that sends more than 100 messages (pings
//! included) in 10 s is dropped, and what the server holds unsent for one
//! client (statuses, pongs) is bounded, to 1 MiB.

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::header::SEC_WEBSOCKET_KEY;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::sync::watch;

use super::App;
use crate::error::Diagnostic;

/// Where the client script is served.
pub const SCRIPT_PATH: &str = "/__verdict/livereload.js";
/// Where the client connects.
pub const SOCKET_PATH: &str = "/__verdict/ws";
/// Where the current status is served as JSON (for tools and tests).
pub const STATUS_PATH: &str = "/__verdict/status";

/// What open pages are told: the last good build, and the errors of the last build if it
/// failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Status {
    /// Identifies this server process, so pages reload after a restart.
    pub server: String,
    /// The number of the build being served; it grows each time the served files change.
    pub build: u64,
    /// The last build after which pages must reload (later ones only changed stylesheets).
    pub reload: u64,
    /// Why the last build failed; empty when it succeeded.
    pub errors: Vec<ErrorView>,
}

/// One error, as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorView {
    /// File, relative to the site root.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl From<&Diagnostic> for ErrorView {
    fn from(d: &Diagnostic) -> ErrorView {
        ErrorView {
            path: d.path.display().to_string(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

/// The `<script>` element added to a page served during `build`.
pub fn script_tag(status: &Status) -> String {
    // Both values are digits and hex digits: nothing to escape.
    format!(
        "<script src=\"{SCRIPT_PATH}\" data-build=\"{}\" data-server=\"{}\"></script>",
        status.build, status.server
    )
}

/// `html` with `tag` inserted before its last `</body>` (or at the end, if it has none).
pub fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    let at =
        html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The client script. It builds the overlay with DOM text nodes, so no message from the
/// server is ever parsed as HTML.
pub const SCRIPT: &str = r#"(() => {
  "use strict";
  const me = document.currentScript;
  const server = me.dataset.server;
  let shown = Number(me.dataset.build);
  const OVERLAY = "verdict-error-overlay";
  let delay = 200;
  // For tools and tests: whether the socket is open.
  const state = window.__verdictLiveReload = { connected: false };

  function el(tag, style, text) {
    const e = document.createElement(tag);
    if (style) e.setAttribute("style", style);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showErrors(errors) {
    hideErrors();
    const box = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,24,.92);color:#f3f3f3;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;");
    box.id = OVERLAY;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Build error");
    const close = el("button", "float:right;font:inherit;background:#333;color:#fff;border:1px solid #666;border-radius:4px;padding:.2rem .6rem;cursor:pointer", "Dismiss");
    close.type = "button";
    close.addEventListener("click", hideErrors);
    box.append(close);
    const n = errors.length;
    box.append(el("h2", "margin:0 0 .3rem;font-size:1.2rem;color:#ff7b72",
      "verdict: the build failed (" + n + " error" + (n === 1 ? "" : "s") + ")"));
    box.append(el("p", "margin:0 0 1.2rem;color:#bbb",
      "The last good version of the site is still served. Fix the file and this page reloads."));
    for (const error of errors) {
      const item = el("section", "margin:0 0 1rem;padding:.8rem 1rem;border-left:4px solid #ff7b72;background:rgba(255,255,255,.06)");
      item.className = "verdict-error";
      let where = error.path;
      if (error.line != null) where += ":" + error.line + ":" + (error.column == null ? 1 : error.column);
      const loc = el("div", "font-weight:bold;color:#79c0ff", where);
      loc.className = "verdict-error-location";
      const message = el("div", "white-space:pre-wrap", error.message);
      message.className = "verdict-error-message";
      item.append(loc, message);
      if (error.hint) item.append(el("div", "color:#bbb;white-space:pre-wrap", "help: " + error.hint));
      box.append(item);
    }
    document.body.append(box);
  }

  function hideErrors() {
    const box = document.getElementById(OVERLAY);
    if (box) box.remove();
  }

  function swapStylesheets(build) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("verdict-build", build);
      const next = link.cloneNode();
      next.href = url.href;
      next.addEventListener("load", () => link.remove());
      next.addEventListener("error", () => next.remove());
      link.after(next);
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + "//" + location.host + "/__verdict/ws");
    socket.onopen = () => { delay = 200; state.connected = true; };
    socket.onmessage = (event) => {
      let status;
      try { status = JSON.parse(event.data); } catch (_) { return; }
      if (status.server !== server) { location.reload(); return; }
      if (status.errors.length > 0) { showErrors(status.errors); return; }
      hideErrors();
      if (status.reload > shown) { location.reload(); return; }
      if (status.build > shown) { swapStylesheets(status.build); shown = status.build; }
    };
    socket.onclose = () => {
      state.connected = false;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 2000);
    };
  }
  connect();
})();
"#;

/// `GET /__verdict/ws`: follows the status until the page or the server goes away. An
/// upgrade request without exactly one well-formed `Sec-WebSocket-Key` ([`is_socket_key`])
/// gets 400 (the WebSocket layer checks only that there is one).
pub async fn socket(
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
    State(app): State<std::sync::Arc<App>>,
) -> Response {
    let mut keys = headers.get_all(SEC_WEBSOCKET_KEY).iter();
    let key_ok = match (keys.next(), keys.next()) {
        (Some(key), None) => is_socket_key(key.as_bytes()),
        _ => false,
    };
    if !key_ok {
        return (
            StatusCode::BAD_REQUEST,
            "A WebSocket upgrade needs one `Sec-WebSocket-Key`: 16 bytes in base64.\n",
        )
            .into_response();
    }
    let status = app.status.subscribe();
    let shutdown = app.shutdown.subscribe();
    upgrade
        // What the server may hold for a client that does not read: its status messages
        // and the pongs it owes. Past this, pongs wait (a newer one replaces the last)
        // and a status fails to send, which ends the connection.
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_QUEUED)
        // The page sends nothing but pings and a close.
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| follow(socket, status, shutdown))
}

/// The most a live-reload socket may hold, unsent, for a client that does not read.
const MAX_QUEUED: usize = 1 << 20;

/// The largest message (or frame) a page may send on the live-reload socket; the script
/// sends none, browsers at most a ping now and then.
const MAX_MESSAGE: usize = 4 << 10;

/// How many messages (pings included) a page may send within [`FLOOD_WINDOW`] before its
/// socket is closed: each ping costs the server a pong, and a client that sends them
/// without end (reading or not) only wastes it.
const FLOOD_LIMIT: u32 = 100;

/// See [`FLOOD_LIMIT`].
const FLOOD_WINDOW: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether `key` is a `Sec-WebSocket-Key` as RFC 6455 (section 4.1) has it: 16 bytes in
/// base64, which is 22 characters of the base64 alphabet (the last of them leaving no
/// stray bits) and `==`.
pub fn is_socket_key(key: &[u8]) -> bool {
    let base64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/');
    key.len() == 24
        && key[..22].iter().all(base64)
        && matches!(key[21], b'A' | b'Q' | b'g' | b'w')
        && &key[22..] == b"=="
}

async fn follow(
    mut socket: WebSocket,
    mut status: watch::Receiver<Status>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut window = (tokio::time::Instant::now(), 0u32);
    loop {
        let text = serde_json::to_string(&*status.borrow_and_update()).unwrap_or_default();
        if socket.send(Message::Text(text.into())).await.is_err() {
            return;
        }
        // Wait for a new status; meanwhile answer the page (pings are answered by the
        // WebSocket layer) and notice when it goes away.
        loop {
            tokio::select! {
                changed = status.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    break;
                }
                _ = async { shutdown.wait_for(|stop| *stop).await.map(|_| ()) } => {
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                }
                message = socket.recv() => match message {
                    Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                    Some(Ok(_)) => {
                        let now = tokio::time::Instant::now();
                        if now.duration_since(window.0) > FLOOD_WINDOW {
                            window = (now, 0);
                        }
                        window.1 += 1;
                        if window.1 > FLOOD_LIMIT {
                            // Dropping the socket closes the connection: no close frame,
                            // which would only queue behind the pongs.
                            return;
                        }
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_closing_body_tag() {
        let html = b"<html><body><p>a</body> in text</p>\n</BODY></html>";
        let out = String::from_utf8(inject(html, "<script></script>")).unwrap();
        assert_eq!(out, "<html><body><p>a</body> in text</p>\n<script></script></BODY></html>");
    }

    #[test]
    fn injects_at_the_end_without_a_body_tag() {
        let out = String::from_utf8(inject(b"<p>fragment", "<s>")).unwrap();
        assert_eq!(out, "<p>fragment<s>");
    }

    #[test]
    fn script_tag_names_the_build() {
        let status = Status { server: "ab12".into(), build: 7, reload: 5, errors: vec![] };
        assert_eq!(
            script_tag(&status),
            r#"<script src="/__verdict/livereload.js" data-build="7" data-server="ab12"></script>"#
        );
    }

    #[test]
    fn status_serializes_errors_as_data() {
        let d = Diagnostic::new("articles/a.md", "unknown author `<b>`").at(4, 9).hint("add it");
        let status = Status { errors: vec![ErrorView::from(&d)], ..Status::default() };
        let json = serde_json::to_value(&status).unwrap();
        assert_eq!(json["errors"][0]["path"], "articles/a.md");
        assert_eq!(json["errors"][0]["line"], 4);
        assert_eq!(json["errors"][0]["message"], "unknown author `<b>`");
    }

    #[test]
    fn socket_keys_are_16_bytes_in_base64() {
        assert!(is_socket_key(b"dGhlIHNhbXBsZSBub25jZQ=="));
        assert!(is_socket_key(b"AAAAAAAAAAAAAAAAAAAAAA=="));
        for bad in [
            &b""[..],
            b" ",
            b"x",
            b"dGhlIHNhbXBsZSBub25jZQ",
            b"dGhlIHNhbXBsZSBub25jZQ=",
            b"dGhlIHNhbXBsZSBub25jZR==",
            b"dGhlIHNhbXBsZSBub25j*Q==",
            b"dGhlIHNhbXBsZSBub25jZQ==dGhl",
            b"dGhlIHNhbXBsZSBub25jZQ===",
        ] {
            assert!(!is_socket_key(bad), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn overlay_never_parses_text_as_html() {
        assert!(!SCRIPT.contains("innerHTML") && !SCRIPT.contains("insertAdjacentHTML"));
    }
}
