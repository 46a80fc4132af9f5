//! What `verdict check --external` found for each external link, kept in
//! `.verdict-cache/links.txt` so that the next check fetches only links it has no fresh
//! answer for: a live link's answer is kept for `cache_live_hours`, a dead one's for
//! `cache_dead_hours` (`external_links:` in `site.yaml`).
//!
//! One line per link, after a header: the time it was fetched (seconds since 1970), `live`
//! or `dead`, the URL and what was wrong, separated by tabs.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The file in the cache folder.
pub const LINKS_FILE: &str = "links.txt";

const HEADER: &str = "verdict-external-links 1";

/// What fetching a link found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// It answered with success, after redirects if any.
    Live,
    /// It failed: why (`404 Not Found`, `no answer within 10 s`, ...).
    Dead(String),
}

/// A link's answer and when it was fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEntry {
    /// When it was fetched, in seconds since 1970.
    pub fetched: u64,
    /// What was found.
    pub state: LinkState,
}

/// Seconds since 1970, now.
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl LinkEntry {
    /// Whether the answer is still to be trusted at `now`: younger than `live` for a live
    /// link, `dead` for a dead one. An answer from the future (a clock set back) is not.
    pub fn is_fresh(&self, now: u64, live: Duration, dead: Duration) -> bool {
        let keep = match self.state {
            LinkState::Live => live,
            LinkState::Dead(_) => dead,
        };
        now.checked_sub(self.fetched).is_some_and(|age| Duration::from_secs(age) < keep)
    }
}

/// The answers saved in `file`; an unreadable or foreign file gives none.
pub fn load(file: &Path) -> HashMap<String, LinkEntry> {
    let Ok((mut handle, _)) = crate::files::open_regular_no_link(file) else {
        return HashMap::new();
    };
    let mut text = String::new();
    if std::io::Read::read_to_string(&mut handle, &mut text).is_err() {
        return HashMap::new();
    }
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return HashMap::new();
    }
    lines
        .filter_map(|line| {
            let mut fields = line.splitn(4, '\t');
            let fetched = fields.next()?.parse().ok()?;
            let state = fields.next()?;
            let url = fields.next()?;
            let detail = fields.next().unwrap_or_default();
            let state = match state {
                "live" => LinkState::Live,
                "dead" => LinkState::Dead(detail.to_string()),
                _ => return None,
            };
            Some((url.to_string(), LinkEntry { fetched, state }))
        })
        .collect()
}

/// Replaces `file` with `entries`, sorted by URL (see [`super::file::replace`]).
pub fn save(file: &Path, entries: &HashMap<String, LinkEntry>) -> bool {
    let mut sorted: Vec<(&String, &LinkEntry)> =
        entries.iter().filter(|(url, _)| !url.contains(['\t', '\n', '\r'])).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    // The cache folder is never committed, also when `check` is the first to make it.
    if let Some(dir) = file.parent().filter(|d| !d.join(".gitignore").exists()) {
        super::file::replace(&dir.join(".gitignore"), |out| out.write_all(b"*\n"));
    }
    super::file::replace(file, |out| {
        writeln!(out, "{HEADER}")?;
        for (url, entry) in sorted {
            let (state, detail) = match &entry.state {
                LinkState::Live => ("live", String::new()),
                LinkState::Dead(why) => ("dead", why.replace(['\t', '\n', '\r'], " ")),
            };
            writeln!(out, "{}\t{state}\t{url}\t{detail}", entry.fetched)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_loads_and_expires_answers() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(LINKS_FILE);
        let mut entries = HashMap::new();
        entries.insert(
            "https://a.example/".into(),
            LinkEntry { fetched: 1000, state: LinkState::Live },
        );
        let dead = LinkState::Dead("404 Not Found".into());
        entries.insert("https://b.example/x".into(), LinkEntry { fetched: 1000, state: dead });
        assert!(save(&file, &entries));
        assert_eq!(std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(), "*\n");
        let loaded = load(&file);
        assert_eq!(loaded, entries);
        let (live, dead) = (Duration::from_secs(100), Duration::from_secs(10));
        let a = &loaded["https://a.example/"];
        let b = &loaded["https://b.example/x"];
        assert!(a.is_fresh(1050, live, dead) && !b.is_fresh(1050, live, dead));
        assert!(b.is_fresh(1005, live, dead) && !a.is_fresh(1100, live, dead));
        assert!(!a.is_fresh(999, live, dead), "from the future");
        std::fs::write(&file, "something else\n1\tlive\thttps://a.example/\t\n").unwrap();
        assert!(load(&file).is_empty());
    }
}
