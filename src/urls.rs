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

/// Whether `url`, written by a user as a link (an author's links, a contender's `url`),
/// is safe to put in an `href`: an `http`, `https` or `mailto` address, or a path with
/// no scheme. Read as a browser reads it: tabs and newlines anywhere and control
/// characters and spaces at the ends do not count (`java\tscript:` is `javascript:`).
pub fn is_safe_link(url: &str) -> bool {
    let cleaned: String = url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let cleaned = cleaned.trim_matches(|c: char| c <= ' ');
    let scheme_end =
        cleaned.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    match scheme_end {
        Some(end) if end > 0 && cleaned[end..].starts_with(':') => {
            let scheme = cleaned[..end].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::is_safe_link;

    #[test]
    fn only_web_and_mail_schemes_are_safe() {
        for ok in [
            "https://x.dev",
            "HTTP://x.dev",
            "mailto:jane@x.dev",
            "/about/",
            "about",
            "#top",
            "//cdn.x/y",
        ] {
            assert!(is_safe_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "\u{1}javascript:x",
            "file:///etc/passwd",
        ] {
            assert!(!is_safe_link(bad), "{bad:?}");
        }
    }
}
