//! Relative links between Markdown files, rewritten to the target's URL.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// Every Markdown file that a link may point at, by its path relative to the site root.
#[derive(Debug, Default)]
pub struct LinkMap {
    urls: HashMap<PathBuf, String>,
    drafts: HashSet<PathBuf>,
    fingerprint: std::sync::OnceLock<u128>,
}

/// What a link destination turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Not a link to a Markdown file: leave it alone.
    Untouched,
    /// A link to a known file: its URL (with the fragment), the target file and fragment.
    Internal {
        /// The URL to write.
        url: String,
        /// The target's source path, for anchor checks.
        target: PathBuf,
        /// The `#fragment`, if any.
        anchor: Option<String>,
    },
    /// A link to a file that is not built: why.
    Missing(String),
}

impl LinkMap {
    /// Registers `source` (relative to the site root) as published at `url`.
    pub fn insert(&mut self, source: PathBuf, url: String) {
        self.urls.insert(source, url);
    }

    /// Registers a draft that is not being built, for a clearer error.
    pub fn insert_draft(&mut self, source: PathBuf) {
        self.drafts.insert(source);
    }

    /// A hash of every target, so cached documents are re-rendered when links may change.
    pub fn fingerprint(&self) -> u128 {
        *self.fingerprint.get_or_init(|| self.compute_fingerprint())
    }

    fn compute_fingerprint(&self) -> u128 {
        // Sorted by their bytes: comparing paths component by component took most of
        // the time on a large site.
        fn bytes(path: &Path) -> &[u8] {
            path.as_os_str().as_encoded_bytes()
        }
        let mut entries: Vec<(&PathBuf, &String)> = self.urls.iter().collect();
        entries.sort_unstable_by(|a, b| bytes(a.0).cmp(bytes(b.0)).then_with(|| a.1.cmp(b.1)));
        let mut drafts: Vec<&PathBuf> = self.drafts.iter().collect();
        drafts.sort_unstable_by(|a, b| bytes(a).cmp(bytes(b)));
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (path, url) in entries {
            hasher.update(path.as_os_str().as_encoded_bytes());
            hasher.update(&[0]);
            hasher.update(url.as_bytes());
            hasher.update(&[0]);
        }
        for path in drafts {
            hasher.update(path.as_os_str().as_encoded_bytes());
            hasher.update(&[1]);
        }
        hasher.digest128()
    }

    /// Resolves `dest` written in the file `from` (relative to the site root).
    pub fn resolve(&self, from: &Path, dest: &str) -> Resolved {
        if dest.contains("://") || dest.starts_with(['/', '#']) || dest.starts_with("mailto:") {
            return Resolved::Untouched;
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor.to_string())),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        if !path.ends_with(".md") {
            return Resolved::Untouched;
        }
        // A link is a URL: `rust%20vs%20go.md` names the file `rust vs go.md`.
        let path = decode(path);
        let Some(target) = normalize(&from.parent().unwrap_or(Path::new("")).join(&*path)) else {
            return Resolved::Missing(format!("link to `{dest}` points outside the site"));
        };
        if let Some(url) = self.urls.get(&target) {
            let url = match &anchor {
                Some(anchor) => format!("{url}#{anchor}"),
                None => url.clone(),
            };
            return Resolved::Internal { url, target, anchor };
        }
        if self.drafts.contains(&target) {
            return Resolved::Missing(format!(
                "link to `{dest}` points to a draft, which is not built without `--drafts`"
            ));
        }
        Resolved::Missing(format!("link to `{dest}`: no article or page `{}`", target.display()))
    }
}

impl LinkMap {
    /// How to fix a link `dest` in `from` that resolved to [`Resolved::Missing`].
    pub fn missing_hint(&self, from: &Path, dest: &str) -> String {
        let path = decode(dest.split(['#', '?']).next().unwrap_or(dest));
        let dir = from.parent().unwrap_or(Path::new(""));
        if normalize(&dir.join(&*path)).is_some_and(|target| self.drafts.contains(&target)) {
            return "build with `--drafts`, or publish the draft by removing `draft: true`".into();
        }
        match self.suggest(from, dest) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "link to an existing article's file, like `rust-vs-go.md`".into(),
        }
    }

    /// For a link `dest` written in `from` whose target is missing: the nearest known
    /// target, written relative to `from` the way the link was (`rust-vs-go.md`).
    pub fn suggest(&self, from: &Path, dest: &str) -> Option<String> {
        let path = decode(dest.split(['#', '?']).next().unwrap_or(dest));
        let dir = from.parent().unwrap_or(Path::new(""));
        // Names are compared without the `articles/` folder and `.md`, which every
        // candidate shares and which would make any two paths look alike.
        let key = |p: &Path| {
            let mut parts = p.components();
            parts.next();
            parts.as_path().to_string_lossy().trim_end_matches(".md").to_string()
        };
        let target = key(&normalize(&dir.join(&*path))?);
        let known: Vec<(String, &PathBuf)> =
            self.urls.keys().chain(&self.drafts).map(|p| (key(p), p)).collect();
        let best = crate::error::did_you_mean(&target, known.iter().map(|(k, _)| k.as_str()))?;
        let (_, best) = known.iter().find(|(k, _)| k == best && *k != target)?;
        Some(relative(dir, best))
    }
}

/// The path of a link with its `%XX` escapes decoded; as written when they do not decode
/// to UTF-8.
fn decode(path: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::percent_decode_str(path).decode_utf8().unwrap_or(path.into())
}

/// `to` written relative to the folder `from` (both relative to the site root).
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component<'_>> = from.components().collect();
    let to_parts: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(to_parts[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

/// Resolves `.` and `..` without touching the file system; `None` when the path climbs
/// above its start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> LinkMap {
        let mut map = LinkMap::default();
        map.insert("articles/b.md".into(), "/b/".into());
        map.insert("articles/c/index.md".into(), "/c/".into());
        map.insert_draft("articles/d.md".into());
        map
    }

    #[test]
    fn rewrites_relative_markdown_links() {
        let from = Path::new("articles/a.md");
        assert!(
            matches!(map().resolve(from, "b.md#x"), Resolved::Internal { url, .. } if url == "/b/#x")
        );
        assert!(
            matches!(map().resolve(from, "./c/index.md"), Resolved::Internal { url, .. } if url == "/c/")
        );
        let from = Path::new("articles/c/index.md");
        assert!(
            matches!(map().resolve(from, "../b.md"), Resolved::Internal { url, .. } if url == "/b/")
        );
    }

    #[test]
    fn decodes_escaped_file_names() {
        let mut map = map();
        map.insert("articles/rust vs go.md".into(), "/rust-vs-go/".into());
        let from = Path::new("articles/a.md");
        assert!(matches!(
            map.resolve(from, "rust%20vs%20go.md#x"),
            Resolved::Internal { url, .. } if url == "/rust-vs-go/#x"
        ));
        assert!(matches!(map.resolve(from, "rust vs go.md"), Resolved::Internal { .. }));
        assert!(matches!(map.resolve(from, "%FF.md"), Resolved::Missing(_)));
    }

    #[test]
    fn leaves_other_links_alone() {
        let from = Path::new("articles/a.md");
        for dest in ["https://x.org/a.md", "#top", "/b/", "img.png", "mailto:a@b.c"] {
            assert_eq!(map().resolve(from, dest), Resolved::Untouched, "{dest}");
        }
    }

    #[test]
    fn suggests_the_nearest_target_relative_to_the_link() {
        let from = Path::new("articles/a.md");
        assert_eq!(map().suggest(from, "bb.md#x").as_deref(), Some("b.md"));
        assert_eq!(map().suggest(from, "c/indx.md").as_deref(), Some("c/index.md"));
        let from = Path::new("articles/c/index.md");
        assert_eq!(map().suggest(from, "../bb.md").as_deref(), Some("../b.md"));
        assert_eq!(map().suggest(from, "../zzzzzz.md"), None);
        assert_eq!(map().suggest(from, "../d.md"), None, "the target itself is no suggestion");
    }

    #[test]
    fn hints_at_drafts_and_near_misses() {
        let from = Path::new("articles/a.md");
        assert!(map().missing_hint(from, "d.md").contains("--drafts"));
        assert_eq!(map().missing_hint(from, "bb.md"), "did you mean `b.md`?");
        assert!(map().missing_hint(from, "zzzzzz.md").contains("existing article"));
    }

    #[test]
    fn reports_missing_and_draft_targets() {
        let from = Path::new("articles/a.md");
        assert!(matches!(map().resolve(from, "nope.md"), Resolved::Missing(_)));
        assert!(matches!(map().resolve(from, "d.md"), Resolved::Missing(m) if m.contains("draft")));
        assert!(matches!(map().resolve(from, "../../../etc.md"), Resolved::Missing(_)));
    }
}
