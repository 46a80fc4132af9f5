//! The URLs of output paths: root-relative (with the site's base path) and absolute.

use crate::config::SiteConfig;

/// Root-relative and absolute URLs of output paths.
#[derive(Debug, Clone)]
pub struct Urls {
    base_url: String,
    base_path: String,
}

impl Urls {
    /// URLs for a site deployed at `config.base_url`.
    pub fn new(config: &SiteConfig) -> Urls {
        Urls { base_url: config.base_url.clone(), base_path: config.base_path().to_string() }
    }

    /// `rel` (no leading slash) as a root-relative URL, base path included.
    pub fn path(&self, rel: &str) -> String {
        format!("{}{rel}", self.base_path)
    }

    /// `rel` as an absolute URL.
    pub fn permalink(&self, rel: &str) -> String {
        format!("{}{rel}", self.base_url)
    }

    /// A path or URL written by a user (avatar, image): URLs stay, paths are taken from
    /// the site root.
    pub fn asset(&self, path: &str) -> String {
        if path.contains("://") || path.starts_with("//") || path.starts_with("data:") {
            path.to_string()
        } else {
            self.path(path.trim_start_matches('/'))
        }
    }
}
