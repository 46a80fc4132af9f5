//! `verdict check --external`: every external link of the site's Markdown, fetched once.
//!
//! 1. The `http(s)://` links of every document that do not lead into the site (those are
//!    checked by every build) and match no `external_links.skip` pattern are gathered by
//!    URL, without their `#fragment`.
//! 2. Links with a fresh answer in `.verdict-cache/links.txt` ([`crate::cache::links`])
//!    are not fetched again.
//! 3. The others are fetched in parallel, at most `parallel` at once and `per_host` per
//!    host: `HEAD` first, then `GET` when `HEAD` gets anything but success (servers that
//!    refuse `HEAD` answer 405, 501, 403 or 404 to it). Redirects are followed, up to
//!    `max_redirects`; a link that ends in success is live.
//! 4. Each dead link is a warning at every place it is written.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::cache::links::{LINKS_FILE, LinkEntry, LinkState, load, now, save};
use crate::config::{ExternalLinks, SiteConfig};
use crate::error::Diagnostic;
use crate::files::folder_outside_site;
use crate::site::CACHE_DIR;
use crate::site::site_links::SiteLink;

/// What a run of the external check did, for its summary line.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Tally {
    /// Distinct links checked (fetched or answered from the cache).
    pub(super) links: usize,
    /// Of those, answered from the cache.
    pub(super) cached: usize,
    /// Links left alone by a skip pattern.
    pub(super) skipped: usize,
    /// Distinct dead links.
    pub(super) dead: usize,
}

/// Fetches the external links among `links` and returns a warning for every place a
/// dead one is written, with a tally.
pub(super) fn external_warnings(
    root: &Path,
    config: &SiteConfig,
    links: &[SiteLink],
) -> (Vec<Diagnostic>, Tally) {
    let settings = &config.external_links;
    let mut tally = Tally::default();
    let mut places: BTreeMap<String, Vec<&SiteLink>> = BTreeMap::new();
    for link in links {
        let text = link.link.text.trim();
        if !is_external(text, &config.deployed_url) {
            continue;
        }
        if settings.skip.iter().any(|pattern| pattern.is_match(text)) {
            tally.skipped += 1;
            continue;
        }
        let url = text.split('#').next().unwrap_or(text).to_string();
        places.entry(url).or_default().push(link);
    }
    tally.links = places.len();

    // The cache is used only where a build would use it: not through a link out of the site.
    let cache_file = folder_outside_site(root, Path::new(CACHE_DIR))
        .is_none()
        .then(|| root.join(CACHE_DIR).join(LINKS_FILE));
    let known = cache_file.as_deref().map(load).unwrap_or_default();
    let started = now();
    let mut answers: HashMap<String, LinkEntry> = HashMap::new();
    let mut to_fetch = Vec::new();
    for url in places.keys() {
        match known.get(url) {
            Some(entry) if entry.is_fresh(started, settings.cache_live, settings.cache_dead) => {
                tally.cached += 1;
                answers.insert(url.clone(), entry.clone());
            }
            _ => to_fetch.push(url.clone()),
        }
    }
    let fetched = fetch_all(&to_fetch, settings);
    // No server answered at all: most likely this machine is offline, or a firewall is in
    // the way, and the links are not dead. They are reported, but not kept as dead.
    let unanswered = fetched.len() >= 2 && fetched.iter().all(|(_, _, answered)| !answered);
    if unanswered {
        eprintln!(
            "warning: none of the {} links fetched got an answer from a server (no connection, no HTTP status): if this machine is offline or behind a proxy, they may well be alive; these answers are not kept in the cache",
            fetched.len()
        );
    }
    let mut keep = answers.clone();
    for (url, state, _) in fetched {
        let entry = LinkEntry { fetched: now(), state };
        if !unanswered {
            keep.insert(url.clone(), entry.clone());
        }
        answers.insert(url, entry);
    }
    if let Some(file) = &cache_file {
        if (!to_fetch.is_empty() && !unanswered) || known.len() != keep.len() {
            save(file, &keep);
        }
    }

    let mut warnings = Vec::new();
    for (url, found) in &places {
        let Some(LinkEntry { state: LinkState::Dead(why), .. }) = answers.get(url) else {
            continue;
        };
        tally.dead += 1;
        for link in found {
            warnings.push(
                Diagnostic::warning(&link.file, format!("dead link `{}`: {why}", link.link.text.trim()))
                    .at(link.link.line, link.link.column)
                    .hint("fix or remove the link; if the host refuses checks, add a pattern for it to `external_links.skip` in site.yaml"),
            );
        }
    }
    (warnings, tally)
}

/// Whether `link` is an `http(s)` URL outside the site deployed at `deployed`.
fn is_external(link: &str, deployed: &str) -> bool {
    let lower = link.get(..8).unwrap_or(link).to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    web && (deployed.is_empty() || !link.starts_with(deployed))
}

/// The host (and port) of a URL, lower-case: what the per-host limit counts by.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.rsplit('@').next().unwrap_or_default().to_ascii_lowercase()
}

/// Which links are waiting, and how many requests each host has running.
struct Queue {
    waiting: Vec<usize>,
    running: HashMap<String, usize>,
}

/// Fetches every URL of `urls`, `settings.parallel` at a time and at most
/// `settings.per_host` per host.
/// Each URL comes back with what was found and whether any server answered (with any
/// HTTP status).
fn fetch_all(urls: &[String], settings: &ExternalLinks) -> Vec<(String, LinkState, bool)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent = agent(settings);
    let hosts: Vec<String> = urls.iter().map(|u| host_of(u)).collect();
    let queue =
        Mutex::new(Queue { waiting: (0..urls.len()).rev().collect(), running: HashMap::new() });
    let turn = Condvar::new();
    let results = Mutex::new(Vec::with_capacity(urls.len()));
    std::thread::scope(|scope| {
        for _ in 0..settings.parallel.min(urls.len()) {
            scope.spawn(|| {
                loop {
                    // The next link whose host has a free place, or the end.
                    let next = {
                        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                        loop {
                            if q.waiting.is_empty() {
                                break None;
                            }
                            let free = q.waiting.iter().rposition(|&i| {
                                q.running.get(&hosts[i]).copied().unwrap_or(0) < settings.per_host
                            });
                            if let Some(at) = free {
                                let i = q.waiting.remove(at);
                                *q.running.entry(hosts[i].clone()).or_default() += 1;
                                break Some(i);
                            }
                            q = turn.wait(q).unwrap_or_else(|e| e.into_inner());
                        }
                    };
                    let Some(i) = next else { break };
                    let (state, answered) = fetch(&agent, &urls[i], settings.timeout);
                    let result = (urls[i].clone(), state, answered);
                    results.lock().unwrap_or_else(|e| e.into_inner()).push(result);
                    let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                    if let Some(n) = q.running.get_mut(&hosts[i]) {
                        *n -= 1;
                    }
                    drop(q);
                    turn.notify_all();
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// The HTTP client: statuses are answers, not errors; redirects are followed up to the
/// limit; each request has the whole `timeout`.
fn agent(settings: &ExternalLinks) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(settings.max_redirects)
        .timeout_global(Some(settings.timeout))
        .user_agent(concat!("verdict/", env!("CARGO_PKG_VERSION"), " (link check)"))
        .build()
        .into()
}

/// What `url` answers: `HEAD`, then `GET` when `HEAD` does not succeed; and whether a
/// server answered at all.
fn fetch(agent: &ureq::Agent, url: &str, timeout: Duration) -> (LinkState, bool) {
    match request(agent, "HEAD", url, timeout) {
        Ok(status) if (200..300).contains(&status) => (LinkState::Live, true),
        Ok(_) => match request(agent, "GET", url, timeout) {
            Ok(status) if (200..300).contains(&status) => (LinkState::Live, true),
            Ok(status) => (LinkState::Dead(status_text(status)), true),
            Err(why) => (LinkState::Dead(why), true),
        },
        Err(why) => (LinkState::Dead(why), false),
    }
}

/// The final status of `method url` after redirects, or why there is none.
fn request(agent: &ureq::Agent, method: &str, url: &str, timeout: Duration) -> Result<u16, String> {
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .body(())
        .map_err(|e| format!("not a URL a request can be made to ({e})"))?;
    match agent.run(request) {
        // The body is not read: the status says what is needed.
        Ok(response) => Ok(response.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => {
            Err(format!("no answer within {} s", timeout.as_secs_f64()))
        }
        Err(ureq::Error::TooManyRedirects) => Err("too many redirects".to_string()),
        Err(ureq::Error::HostNotFound) => Err("the host was not found".to_string()),
        Err(ureq::Error::Io(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// `404 Not Found`.
fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => format!("status {status}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_external_links_and_hosts() {
        let site = "https://example.com/blog/";
        assert!(is_external("https://docs.rs/x", site));
        assert!(is_external("HTTP://docs.rs/x", site));
        assert!(is_external("https://example.com/other/", site), "outside the site's path");
        assert!(!is_external("https://example.com/blog/tags/", site));
        assert!(!is_external("/blog/tags/", site));
        assert!(!is_external("ftp://x.org/", site));
        assert!(is_external("https://example.com/blog/", ""));
        assert_eq!(host_of("https://User@Docs.RS:8443/a?b#c"), "docs.rs:8443");
        assert_eq!(host_of("http://x.org"), "x.org");
        assert_eq!(status_text(404), "404 Not Found");
        assert_eq!(status_text(599), "status 599");
    }
}
