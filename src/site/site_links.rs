//! Links to the site's own paths (`/compare/go/`, `https://<base_url>/tags/rust/`), checked
//! once every page is written against the paths the build wrote.
//!
//! A root-relative link is taken as written, as a browser reads it: in a site deployed at
//! `https://example.com/blog/`, `/blog/tags/x/` is the tag page and `/tags/x/` is a page
//! of the host outside the site, left alone unless it is a site path written without the
//! base path (then it is an error that suggests `/blog/tags/x/`). An absolute URL on the
//! deployed address's host is read the same way, by its path.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Paths of the output, relative to its root, as [`output_key`] gives them; each has a
/// place in the set, by which the next build's [`Recorded`](crate::site::recorded::Recorded) marks it.
pub type OutputPaths = indexmap::IndexSet<String, rustc_hash::FxBuildHasher>;

/// `rel` as a key of [`OutputPaths`]: its components joined by `/` (so that `a//b` and
/// `a/./b` are `a/b`, as paths compare). A path the build made is most often that
/// already, and is taken as it is.
pub fn output_key(rel: &Path) -> Cow<'_, str> {
    if let Some(text) = rel.to_str().filter(|t| is_plain(t)) {
        return Cow::Borrowed(text);
    }
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    Cow::Owned(parts.join("/"))
}

/// Whether `text` is a relative path of plain names joined by `/` (which `components`
/// would give back as they are).
fn is_plain(text: &str) -> bool {
    !text.is_empty()
        && !text.contains('\\')
        && text.split('/').all(|name| !name.is_empty() && name != "." && name != "..")
}

use crate::error::{Diagnostic, did_you_mean};
use crate::markdown::document::Placed;

/// A link that may lead into the site, and the file it is written in.
#[derive(Debug, Clone)]
pub struct SiteLink {
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The link as written, and its place in the file.
    pub link: Placed,
}

/// What the links of a build were checked against, in two parts: the full-text search
/// bundle's paths, which come and go with the words of the site and which hardly a link
/// names, and everything else ([`links_key`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinksChecked {
    /// The key of everything but the bundle's paths.
    pub key: u128,
    /// The sum of the hashes of the bundle's paths.
    pub bundle: u128,
}

/// Whether the link `text` may name the folder `dir`: it has its name, or hides names
/// behind percent-encoding. A link that does not cannot lead into it.
pub fn names_folder(text: &str, dir: &str) -> bool {
    text.contains(dir) || text.contains('%')
}

/// Whether the check of `link` (see [`check_site_links`]) depends on the paths in the
/// folder `bundle_dir` (the full-text search bundle's): it leads into that folder, read
/// as the check reads it.
pub fn may_reach_bundle(link: &SiteLink, deployed_url: &str, bundle_dir: &str) -> bool {
    let text = &link.link.text;
    if !names_folder(text, bundle_dir) {
        return false;
    }
    let Some((_, path)) = split_link(text, deployed_url) else { return false };
    let base = crate::config::path_of(deployed_url);
    let rel = under_base(&path, base).unwrap_or_else(|| path.trim_start_matches('/').into());
    rel.strip_prefix(bundle_dir).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// What the links of a build were checked against but the search bundle's paths: the
/// paths it wrote (the sum of their hashes, those of the bundle taken out), the address
/// the links are written for, and the links of the pages, bios and descriptions. The
/// links of an article taken over from a build checked against the same hold again,
/// unchecked, but those that may reach the bundle when its paths changed.
pub fn links_key(paths_hash: u128, deployed_url: &str, other_links: &[SiteLink]) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&paths_hash.to_le_bytes());
    hasher.update(deployed_url.as_bytes());
    for SiteLink { file, link } in other_links {
        hasher.update(&[0]);
        hasher.update(file.as_os_str().as_encoded_bytes());
        hasher.update(&[0]);
        hasher.update(link.text.as_bytes());
        hasher.update(format!("\0{}:{}", link.line, link.column).as_bytes());
    }
    hasher.digest128()
}

/// Errors for the `links` whose target the output lacks; `written` holds every path of
/// the output, and `deployed_url` is the address the links are written for (none are
/// checked when it is unknown, empty).
pub fn check_site_links<'a>(
    links: impl IntoIterator<Item = &'a SiteLink>,
    written: &OutputPaths,
    deployed_url: &str,
) -> Vec<Diagnostic> {
    let mut links = links.into_iter().peekable();
    if deployed_url.is_empty() || links.peek().is_none() {
        return Vec::new();
    }
    let site = SitePaths::new(written);
    let base = crate::config::path_of(deployed_url);
    let mut errors = Vec::new();
    for SiteLink { file, link } in links {
        let Some((prefix, path)) = split_link(&link.text, deployed_url) else { continue };
        let (message, hint) = match under_base(&path, base) {
            Some(rel) if site.has(&rel) => continue,
            Some(rel) => {
                let message =
                    format!("link to `{}`: the site has no page `{base}{rel}`", link.text);
                let hint = match site.suggest(&rel) {
                    Some(best) => format!("did you mean `{prefix}{base}{best}`?"),
                    None => {
                        "link to a page the build writes (check the slug, tag or author id)".into()
                    }
                };
                (message, hint)
            }
            // Outside the base path: another part of the host, unless the link is a site
            // path that lacks the base path.
            None => {
                let rel = path.trim_start_matches('/');
                if !site.has(rel) {
                    continue;
                }
                let message = format!(
                    "link to `{}` is outside the site's base path `{base}`: links are taken as written",
                    link.text
                );
                (message, format!("did you mean `{prefix}{base}{rel}`?"))
            }
        };
        errors.push(Diagnostic::new(file, message).at(link.line, link.column).hint(hint));
    }
    errors
}

/// The paths of the output, as the URL paths that reach them (relative to the base path):
/// `rust-vs-go/index.html` as `rust-vs-go/`.
struct SitePaths<'a> {
    urls: rustc_hash::FxHashSet<Cow<'a, str>>,
}

impl<'a> SitePaths<'a> {
    fn new(written: &'a OutputPaths) -> SitePaths<'a> {
        fn index(p: &str) -> Option<&str> {
            p.strip_suffix("index.html").filter(|dir| dir.is_empty() || dir.ends_with('/'))
        }
        let url = |p: &'a String| -> Cow<'a, str> {
            if p.contains('\\') {
                let p = p.replace('\\', "/");
                return Cow::Owned(index(&p).map_or_else(|| p.clone(), str::to_string));
            }
            Cow::Borrowed(index(p).unwrap_or(p))
        };
        SitePaths { urls: written.iter().map(url).collect() }
    }

    /// Whether `rel` (a URL path relative to the base path) reaches a file of the output;
    /// `about` reaches `about/index.html` as static hosts serve it.
    fn has(&self, rel: &str) -> bool {
        self.urls.contains(rel)
            || (!rel.ends_with('/') && self.urls.contains(format!("{rel}/").as_str()))
    }

    /// The site path nearest to the missing `rel`: among the paths in the same folder,
    /// by their last part, when that folder has any; else among all paths.
    fn suggest(&self, rel: &str) -> Option<String> {
        let (folder, name) = split_last(rel);
        let siblings: Vec<&str> = self
            .urls
            .iter()
            .map(|url| url.as_ref())
            .filter(|url| split_last(url).0 == folder && !url.is_empty())
            .collect();
        if siblings.is_empty() {
            let all = self.urls.iter().map(|url| url.as_ref());
            return did_you_mean(rel, all).map(str::to_string);
        }
        let names: Vec<&str> = siblings.iter().map(|url| split_last(url).1).collect();
        let best = did_you_mean(name, names.iter().copied())?;
        siblings.into_iter().find(|url| split_last(url).1 == best).map(str::to_string)
    }
}

/// `compare/go/` → (`compare/`, `go`); `feed.xml` → (``, `feed.xml`).
fn split_last(url: &str) -> (&str, &str) {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => (&url[..=i], &trimmed[i + 1..]),
        None => ("", trimmed),
    }
}

/// For a link that leads to the deployed site's host: what comes before its path (the
/// scheme and host of an absolute URL, else nothing) and its path, decoded and with
/// `.`/`..` resolved, without query or fragment. `None` for other links.
fn split_link(dest: &str, deployed_url: &str) -> Option<(String, String)> {
    let (prefix, path) = if dest.starts_with('/') && !dest.starts_with("//") {
        (String::new(), dest)
    } else {
        let (scheme, rest) = match dest.split_once("//") {
            Some(("", rest)) => ("", rest),
            Some((scheme, rest))
                if scheme.eq_ignore_ascii_case("http:")
                    || scheme.eq_ignore_ascii_case("https:") =>
            {
                (scheme, rest)
            }
            _ => return None,
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = &rest[..end];
        let site_host = deployed_url.split_once("://").map_or("", |(_, r)| r);
        let site_host = &site_host[..site_host.find('/').unwrap_or(site_host.len())];
        if !host.eq_ignore_ascii_case(site_host) {
            return None;
        }
        let path = &rest[end..];
        let path = if path.starts_with('/') { path } else { "/" };
        (format!("{scheme}//{host}"), path)
    };
    let path = path.split(['#', '?']).next().unwrap_or(path);
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, part) in segments.iter().enumerate() {
        match *part {
            "." => {}
            ".." => {
                parts.pop();
            }
            "" if i + 1 < segments.len() => {}
            part => parts.push(part),
        }
    }
    Some((prefix, format!("/{}", parts.join("/"))))
}

/// `path` relative to the base path `base`, when it lies under it (`/blog` is the base
/// path's own page).
fn under_base(path: &str, base: &str) -> Option<String> {
    if let Some(rest) = path.strip_prefix(base) {
        return Some(rest.to_string());
    }
    (path == base.trim_end_matches('/')).then(String::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_links_by_their_path_on_the_site_host() {
        let url = "https://example.com/blog/";
        let split = |dest: &str| split_link(dest, url);
        let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(split("/blog/tags/x/#a"), pair("", "/blog/tags/x/"));
        assert_eq!(split("/blog/a%20b/?q=1"), pair("", "/blog/a b/"));
        assert_eq!(split("/blog/x/../y/./z"), pair("", "/blog/y/z"));
        assert_eq!(split("https://EXAMPLE.com/blog/x/"), pair("https://EXAMPLE.com", "/blog/x/"));
        assert_eq!(split("http://example.com"), pair("http://example.com", "/"));
        assert_eq!(split("//example.com/blog/"), pair("//example.com", "/blog/"));
        assert_eq!(split("https://other.org/blog/x/"), None);
        assert_eq!(split("https://example.com.evil.org/x/"), None);
        assert_eq!(split("mailto:a@example.com"), None);
    }

    #[test]
    fn takes_paths_under_the_base_path() {
        assert_eq!(under_base("/blog/tags/", "/blog/").as_deref(), Some("tags/"));
        assert_eq!(under_base("/blog", "/blog/").as_deref(), Some(""));
        assert_eq!(under_base("/tags/", "/blog/"), None);
        assert_eq!(under_base("/tags/", "/").as_deref(), Some("tags/"));
    }

    #[test]
    fn keys_join_the_components_of_any_path() {
        for (rel, key) in [
            ("x-vs-y/index.html", "x-vs-y/index.html"),
            ("index.html", "index.html"),
            ("./tags//a/./feed.xml", "./tags/a/feed.xml"),
            ("tags/a/", "tags/a"),
        ] {
            assert_eq!(output_key(Path::new(rel)), key, "{rel}");
        }
    }

    #[test]
    fn suggests_siblings_first() {
        let written: OutputPaths =
            ["index.html", "compare/go/index.html", "compare/rust/index.html", "tags/x/index.html"]
                .into_iter()
                .map(String::from)
                .collect();
        let site = SitePaths::new(&written);
        assert!(site.has("") && site.has("compare/go/") && site.has("compare/go"));
        assert!(!site.has("compare/goo/"));
        assert_eq!(site.suggest("compare/goo/").as_deref(), Some("compare/go/"));
        assert_eq!(site.suggest("tags/nope/"), None);
        assert_eq!(split_last("compare/go/"), ("compare/", "go"));
        assert_eq!(split_last("feed.xml"), ("", "feed.xml"));
    }
}
