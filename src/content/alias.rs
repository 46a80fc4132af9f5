//! An article's `aliases:`: old addresses of the article, each of which becomes a page
//! that redirects to it (and a line of `_redirects`). Not to be confused with a
//! contender's `aliases:`, other names of a technology.
//!
//! An alias is a path of the site, relative to `base_url`'s path like every output path.
//! Articles live at the root of the site (`/<slug>/`), so a bare slug `old-slug` is read
//! as Hugo reads an alias relative to its section: `/old-slug/`. A path whose last
//! segment ends in `.html` (`/2019/old.html`) is written as that file; any other is a
//! folder with an `index.html`.

use crate::slug::is_reserved_on_windows;

/// An old address of an article, from its front matter's `aliases:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// As written.
    pub written: String,
    /// The address relative to the site's root: `old-slug/`, `2019/old.html`.
    pub rel: String,
    /// The redirect page's output path: `old-slug/index.html`, `2019/old.html`.
    pub output: String,
    /// Line of the file on which it is written.
    pub line: usize,
}

/// Why an alias cannot be used: the message and a hint.
pub type AliasError = (String, String);

/// Reads one alias as written: its address relative to the site root and its output path.
pub fn parse_alias(written: &str) -> Result<(String, String), AliasError> {
    let hint_path = "write an old path of this site, like `old-slug` or `/2024/old-path/`";
    let alias = written.trim();
    if alias.is_empty() {
        return Err(("an alias is empty".into(), hint_path.into()));
    }
    let scheme = alias.split_once(':').is_some_and(|(s, _)| {
        s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if alias.starts_with("//") || alias.contains("://") || scheme {
        return Err((
            format!("the alias `{alias}` is an address, not a path of this site"),
            format!(
                "{hint_path}: an alias redirects an old path of this site to the article, and cannot name another host"
            ),
        ));
    }
    if alias.contains(['?', '#']) {
        return Err((
            format!("the alias `{alias}` has a query or a fragment"),
            format!("{hint_path}: a static host serves a path whatever its query"),
        ));
    }
    let path = alias.strip_prefix('/').unwrap_or(alias);
    let (path, folder) = match path.strip_suffix('/') {
        Some(path) => (path, true),
        None => (path, false),
    };
    if path.is_empty() {
        return Err((
            format!("the alias `{alias}` is the home page"),
            "an alias is an old address of the article; the home page stays the home page".into(),
        ));
    }
    for segment in path.split('/') {
        if segment == ".." || segment == "." {
            return Err((
                format!("the alias `{alias}` has a `{segment}` segment"),
                format!("{hint_path}, without `.` or `..`: every path is read from the site root"),
            ));
        }
        let safe = !segment.is_empty()
            && !segment.starts_with('.')
            && segment.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !safe {
            return Err((
                format!("the alias `{alias}` has the segment `{segment}`, which is not URL-safe"),
                format!(
                    "{hint_path}: letters, digits, `-`, `_` and `.`, segments separated by one `/`"
                ),
            ));
        }
        if is_reserved_on_windows(segment) {
            return Err((
                format!(
                    "the alias `{alias}` has the segment `{segment}`, a device name that Windows reserves"
                ),
                format!("use another path: {}", crate::slug::RESERVED_ON_WINDOWS),
            ));
        }
    }
    let file = !folder && (path.ends_with(".html") || path.ends_with(".htm"));
    Ok(if file {
        (path.to_string(), path.to_string())
    } else {
        (format!("{path}/"), format!("{path}/index.html"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_slugs_paths_and_html_files() {
        let ok = |a: &str| parse_alias(a).unwrap();
        assert_eq!(ok("old-slug"), ("old-slug/".into(), "old-slug/index.html".into()));
        assert_eq!(ok("/old-slug/"), ("old-slug/".into(), "old-slug/index.html".into()));
        assert_eq!(
            ok("/2024/old-path"),
            ("2024/old-path/".into(), "2024/old-path/index.html".into())
        );
        assert_eq!(ok("/2019/old.html"), ("2019/old.html".into(), "2019/old.html".into()));
        assert_eq!(ok("v1.2/"), ("v1.2/".into(), "v1.2/index.html".into()));
    }

    #[test]
    fn refuses_what_is_not_a_path_of_the_site() {
        let err = |a: &str| parse_alias(a).unwrap_err().0;
        assert_eq!(err(" "), "an alias is empty");
        assert_eq!(
            err("https://other.example/x/"),
            "the alias `https://other.example/x/` is an address, not a path of this site"
        );
        assert!(err("//other.example/x").contains("is an address"));
        assert!(err("mailto:a@b").contains("is an address"));
        assert_eq!(err("/a/../b/"), "the alias `/a/../b/` has a `..` segment");
        assert!(err("/").contains("home page"));
        assert!(err("a//b").contains("not URL-safe"));
        assert!(err("a b").contains("not URL-safe"));
        assert!(err(".hidden").contains("not URL-safe"));
        assert!(err("old?p=1").contains("query"));
        assert!(err("con/x").contains("Windows"));
    }
}
