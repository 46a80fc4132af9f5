//! `site.yaml`: read into `RawSiteConfig`, validated once into [`SiteConfig`].

use std::io::ErrorKind;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Diagnostic, Error};
use crate::files::read_site_file;
use crate::slug::is_safe_segment;
use crate::yaml::{key_line, parse_yaml};

/// Name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// `site.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSiteConfig {
    title: Option<String>,
    base_url: Option<String>,
    description: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    default_author: Option<String>,
    paginate: Option<usize>,
    winner_label: Option<String>,
    comparison_markers: Option<Vec<String>>,
    highlight: Option<RawHighlight>,
    stale_after_days: Option<u32>,
    social_cards: Option<bool>,
    extra: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHighlight {
    light: Option<String>,
    dark: Option<String>,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Site name.
    pub title: String,
    /// Absolute URL of the site root, always ending in `/`.
    pub base_url: String,
    /// The address the site is deployed at, which root-relative and absolute links in
    /// Markdown are written for and checked against: `base_url`, unless a local preview
    /// (`serve`, [`preview_at`](Self::preview_at)) builds the pages for another. Empty
    /// when `site.yaml` gives no valid `base_url` ([`fallback`](Self::fallback)): the
    /// links are not checked then.
    pub deployed_url: String,
    /// Home page description.
    pub description: String,
    /// `<html lang>`.
    pub language: String,
    /// Theme name.
    pub theme: String,
    /// Author used by articles that name none.
    pub default_author: Option<String>,
    /// Articles per home page.
    pub paginate: usize,
    /// Word that opens a winner callout.
    pub winner_label: String,
    /// Words after which a contender named in a winner callout is the one compared
    /// against, not a winner (`than`, `though`, ...), lower-case.
    pub comparison_markers: Vec<String>,
    /// Syntect theme for light mode.
    pub highlight_light: String,
    /// Syntect theme for dark mode.
    pub highlight_dark: String,
    /// Days after which `verdict check` calls an article stale.
    pub stale_after_days: u32,
    /// Whether articles, hubs and the home page get a generated social card.
    pub social_cards: bool,
    /// Free-form data for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The words after which a contender named in a winner callout is the one compared
/// against, not a winner (`than`, `though`, ...): the default of `comparison_markers`.
pub const DEFAULT_MARKERS: &[&str] = &[
    "than",
    "over",
    "behind",
    "though",
    "although",
    "even though",
    "despite",
    "unlike",
    "beats",
    "beat",
    "outperforms",
    "ahead of",
    "compared to",
    "compared with",
    "versus",
    "vs",
];

/// Default light code theme.
pub const DEFAULT_LIGHT_THEME: &str = "InspiredGitHub";
/// Default dark code theme.
pub const DEFAULT_DARK_THEME: &str = "OneHalfDark";

impl SiteConfig {
    /// Reads and validates `site.yaml` in `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Error> {
        let path = root.join(CONFIG_FILE);
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == ErrorKind::NotFound) {
            return Err(Error::site(
                Diagnostic::new(CONFIG_FILE, format!("no `{CONFIG_FILE}` in `{}`", root.display()))
                    .hint("run verdict in a site folder, pass `--root DIR`, or create one with `verdict init DIR`"),
            ));
        }
        // A regular file of the site, size-checked, like every file a build reads.
        let text = read_site_file(root, Path::new(CONFIG_FILE)).map_err(Error::site)?;
        Self::parse(&text).map_err(|d| Error::Site(vec![d]))
    }

    /// Validates the text of a `site.yaml`.
    pub fn parse(text: &str) -> Result<SiteConfig, Diagnostic> {
        let file = Path::new(CONFIG_FILE);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawSiteConfig = if text.trim().is_empty() {
            return Err(Diagnostic::new(file, "`site.yaml` is empty")
                .at(1, 1)
                .hint("add at least `title:` and `base_url:`"));
        } else {
            parse_yaml(file, text, 1)?
        };
        let missing = |key: &str, example: &str| {
            Diagnostic::new(file, format!("missing required key `{key}`"))
                .at(1, 1)
                .hint(format!("add `{key}: {example}`"))
        };
        let title = raw.title.ok_or_else(|| missing("title", "My comparisons"))?;
        let base_url = raw.base_url.ok_or_else(|| missing("base_url", "https://example.com/"))?;
        let base_url = normalize_base_url(&base_url).ok_or_else(|| {
            Diagnostic::new(
                file,
                format!("`base_url` is not an absolute http(s) URL: `{base_url}`"),
            )
            .at(key_line(text, "base_url", 1), 1)
            .hint(
                "write it as `https://example.com/` (or with a path: `https://example.com/blog/`)",
            )
        })?;
        let paginate = raw.paginate.unwrap_or(10);
        if paginate == 0 {
            return Err(Diagnostic::new(file, "`paginate` must be at least 1")
                .at(key_line(text, "paginate", 1), 1)
                .hint("set it to the number of articles per home page, like `paginate: 10`"));
        }
        let winner_label = raw.winner_label.unwrap_or_else(|| "Winner".to_string());
        if winner_label.trim().is_empty() || winner_label.contains(char::is_whitespace) {
            return Err(Diagnostic::new(file, "`winner_label` must be one word")
                .at(key_line(text, "winner_label", 1), 1)
                .hint("callouts open with this word and a colon, like `winner_label: Winner`"));
        }
        let comparison_markers: Vec<String> = match raw.comparison_markers {
            Some(markers) => {
                markers.iter().map(|m| m.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
            }
            None => DEFAULT_MARKERS.iter().map(|m| m.to_string()).collect(),
        };
        if let Some(blank) = comparison_markers.iter().position(|m| m.is_empty()) {
            return Err(Diagnostic::new(
                file,
                format!("`comparison_markers` item {} is empty", blank + 1),
            )
            .at(key_line(text, "comparison_markers", 1), 1)
            .hint("list words or phrases, like `comparison_markers: [than, though, ahead of]`"));
        }
        let theme = raw.theme.unwrap_or_else(|| "default".to_string());
        if !is_safe_segment(&theme) {
            return Err(Diagnostic::new(file, format!("`theme` is not a folder name: `{theme}`"))
                .at(key_line(text, "theme", 1), 1)
                .hint("name a folder in `themes/`, like `theme: mine`, or remove `theme:` to use the built-in `default`"));
        }
        let highlight = raw.highlight.unwrap_or(RawHighlight { light: None, dark: None });
        Ok(SiteConfig {
            title,
            deployed_url: base_url.clone(),
            base_url,
            description: raw.description.unwrap_or_default(),
            language: raw.language.unwrap_or_else(|| "en".to_string()),
            theme,
            default_author: raw.default_author,
            paginate,
            winner_label,
            comparison_markers,
            highlight_light: highlight.light.unwrap_or_else(|| DEFAULT_LIGHT_THEME.to_string()),
            highlight_dark: highlight.dark.unwrap_or_else(|| DEFAULT_DARK_THEME.to_string()),
            stale_after_days: raw.stale_after_days.unwrap_or(365),
            social_cards: raw.social_cards.unwrap_or(true),
            extra: raw.extra.unwrap_or_default(),
        })
    }

    /// When `site.yaml` has errors: a configuration made of the keys that are valid on
    /// their own, and defaults for the rest, so that the content can be checked all the
    /// same and one run reports every problem. `None` when there is no `site.yaml`.
    pub fn fallback(root: &Path) -> Option<SiteConfig> {
        let text = read_site_file(root, Path::new(CONFIG_FILE)).ok()?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let given: serde_yaml::Mapping = serde_yaml::from_str(text).unwrap_or_default();
        let base = || {
            let mut m = serde_yaml::Mapping::new();
            m.insert("title".into(), "Site".into());
            m.insert("base_url".into(), "https://example.com/".into());
            m
        };
        let parses = |m: &serde_yaml::Mapping| {
            serde_yaml::to_string(m).ok().and_then(|t| SiteConfig::parse(&t).ok())
        };
        let mut kept = base();
        let mut address_known = false;
        for (key, value) in given {
            let mut alone = base();
            alone.insert(key.clone(), value.clone());
            if parses(&alone).is_some() {
                address_known |= key.as_str() == Some("base_url");
                kept.insert(key, value);
            }
        }
        let mut config = parses(&kept).or_else(|| parses(&base()))?;
        if !address_known {
            // Links written for the real address cannot be checked against a stand-in.
            config.deployed_url.clear();
        }
        Some(config)
    }

    /// Replaces `base_url` (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        self.base_url = normalize_base_url(url).ok_or_else(|| {
            Diagnostic::new("--base-url", format!("not an absolute http(s) URL: `{url}`"))
                .hint("write it as `https://example.com/` or `https://example.com/blog/`")
        })?;
        self.deployed_url = self.base_url.clone();
        Ok(())
    }

    /// Builds the pages for a local preview at `url` (`serve`); links in Markdown are
    /// still checked against the deployed address.
    pub fn preview_at(&mut self, url: &str) -> Result<(), Diagnostic> {
        let deployed = std::mem::take(&mut self.deployed_url);
        let set = self.set_base_url(url);
        self.deployed_url = deployed;
        set
    }

    /// The path part of `base_url`: `/` or `/blog/`.
    pub fn base_path(&self) -> &str {
        path_of(&self.base_url)
    }
}

/// The path part of an absolute URL ending in `/`: `/` or `/blog/`.
pub fn path_of(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or("", |(_, rest)| rest);
    after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
}

/// `https://example.com/blog` → `https://example.com/blog/`; `None` when not an http(s) URL.
/// `url` as a base URL (an absolute http(s) URL ending in `/`), or `None` when it is not one.
pub fn normalize_base_url(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.contains(char::is_whitespace) || rest.contains(['?', '#', ' ']) {
        return None;
    }
    Some(if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_minimal_config_with_defaults() {
        let config = SiteConfig::parse("title: T\nbase_url: https://example.com\n").unwrap();
        assert_eq!(config.base_url, "https://example.com/");
        assert_eq!(config.base_path(), "/");
        assert_eq!(config.paginate, 10);
        assert_eq!(config.winner_label, "Winner");
    }

    #[test]
    fn keeps_base_url_path() {
        let config = SiteConfig::parse("title: T\nbase_url: https://example.com/blog\n").unwrap();
        assert_eq!(config.base_path(), "/blog/");
    }

    #[test]
    fn errors_on_unknown_key_with_suggestion() {
        let err =
            SiteConfig::parse("title: T\nbase_url: https://e.com/\npaginat: 3\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.hint.as_deref(), Some("did you mean `paginate`?"));
    }

    #[test]
    fn errors_on_relative_base_url() {
        let err = SiteConfig::parse("title: T\nbase_url: example.com\n").unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn errors_on_a_theme_that_is_not_a_folder_name() {
        for theme in ["../outside", "/etc", "a/b", ".hidden", "\"\""] {
            let text = format!("title: T\nbase_url: https://e.com/\ntheme: {theme}\n");
            let err = SiteConfig::parse(&text).unwrap_err();
            assert_eq!(err.line, Some(3), "{theme}");
            assert!(err.message.starts_with("`theme` is not a folder name"), "{err}");
        }
        let config = SiteConfig::parse("title: T\nbase_url: https://e.com/\ntheme: my-theme_2\n");
        assert_eq!(config.unwrap().theme, "my-theme_2");
    }
}
