//! `site.yaml`: read into `RawSiteConfig`, validated once into [`SiteConfig`].

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Error};
use crate::files::{read_site_file, read_text};
use crate::images::ImageSettings;
use crate::images::settings::{RawImages, image_settings};
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
    stale_notice: Option<bool>,
    facts: Option<Vec<RawFactLabel>>,
    external_links: Option<RawExternalLinks>,
    images: Option<RawImages>,
    social_cards: Option<bool>,
    search: Option<bool>,
    extra: Option<serde_json::Map<String, serde_json::Value>>,
}

/// An item of `facts:`: a key, or `{key, label}`.
#[derive(Debug)]
struct RawFactLabel {
    key: String,
    label: Option<String>,
}

// By hand, so that a plain key and a map both read, and a map's own errors
// ("unknown field `lable`") are not hidden behind "did not match any variant".
impl<'de> Deserialize<'de> for RawFactLabel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Map {
            key: String,
            label: Option<String>,
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawFactLabel;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a fact key, or a map with `key:` and `label:`")
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<RawFactLabel, E> {
                Ok(RawFactLabel { key: key.to_string(), label: None })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawFactLabel, A::Error> {
                let m = Map::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawFactLabel { key: m.key, label: m.label })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A fact key of `site.yaml` `facts:`, with its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactLabel {
    /// The key, as contenders write it (`first_release`).
    pub key: String,
    /// The row label (`First release`).
    pub label: String,
    /// Line of the item in `site.yaml`, for `check`'s warnings.
    pub line: usize,
}

/// `external_links:` as written: how `verdict check --external` fetches links.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExternalLinks {
    skip: Option<Vec<String>>,
    timeout: Option<f64>,
    per_host: Option<usize>,
    parallel: Option<usize>,
    max_redirects: Option<u32>,
    cache_live_hours: Option<f64>,
    cache_dead_hours: Option<f64>,
}

/// How `verdict check --external` fetches links (`external_links:` in `site.yaml`).
#[derive(Debug, Clone)]
pub struct ExternalLinks {
    /// Links matching any of these regular expressions are not fetched.
    pub skip: Vec<regex_lite::Regex>,
    /// How long one request may take, from connecting to the end of the headers.
    pub timeout: std::time::Duration,
    /// Requests to one host at a time.
    pub per_host: usize,
    /// Requests at a time in all.
    pub parallel: usize,
    /// Redirects followed before a link counts as dead.
    pub max_redirects: u32,
    /// How long a link found live is not fetched again.
    pub cache_live: std::time::Duration,
    /// How long a link found dead is not fetched again.
    pub cache_dead: std::time::Duration,
}

impl Default for ExternalLinks {
    fn default() -> Self {
        ExternalLinks {
            skip: Vec::new(),
            timeout: std::time::Duration::from_secs(10),
            per_host: 2,
            parallel: 16,
            max_redirects: 5,
            cache_live: std::time::Duration::from_secs(24 * 3600),
            cache_dead: std::time::Duration::from_secs(3600),
        }
    }
}

impl RawExternalLinks {
    /// Validates the settings; errors point at `external_links:` in `text`.
    fn validate(self, file: &Path, text: &str) -> Result<ExternalLinks, Diagnostic> {
        let fail = |message: String, hint: &str| {
            Diagnostic::new(file, message).at(key_line(text, "external_links", 1), 1).hint(hint)
        };
        let mut skip = Vec::new();
        for (i, pattern) in self.skip.unwrap_or_default().iter().enumerate() {
            let regex = regex_lite::Regex::new(pattern).map_err(|e| {
                fail(
                    format!("`external_links.skip` item {} is not a regular expression: {e}", i + 1),
                    "write a pattern such as `^https://example\\.com/` (in double quotes, a backslash is written twice)",
                )
            })?;
            skip.push(regex);
        }
        let seconds =
            |value: Option<f64>, key: &str, scale: f64, default: std::time::Duration| match value {
                None => Ok(default),
                Some(v) if v.is_finite() && v >= 0.0 && v * scale < 1e9 => {
                    Ok(std::time::Duration::from_secs_f64(v * scale))
                }
                Some(v) => Err(fail(
                    format!("`external_links.{key}` must be a number of at least 0, not {v}"),
                    "write a number, such as `timeout: 10` (seconds) or `cache_live_hours: 24`",
                )),
            };
        let count = |value: Option<usize>, key: &str, default: usize| match value {
            Some(0) => Err(fail(
                format!("`external_links.{key}` must be at least 1"),
                "write how many requests may run at once, such as `per_host: 2`",
            )),
            v => Ok(v.unwrap_or(default)),
        };
        let defaults = ExternalLinks::default();
        let timeout = seconds(self.timeout, "timeout", 1.0, defaults.timeout)?;
        if timeout.is_zero() {
            return Err(fail(
                "`external_links.timeout` must be more than 0".into(),
                "write the seconds a request may take, such as `timeout: 10`",
            ));
        }
        Ok(ExternalLinks {
            skip,
            timeout,
            per_host: count(self.per_host, "per_host", defaults.per_host)?,
            parallel: count(self.parallel, "parallel", defaults.parallel)?,
            max_redirects: self.max_redirects.unwrap_or(defaults.max_redirects),
            cache_live: seconds(
                self.cache_live_hours,
                "cache_live_hours",
                3600.0,
                defaults.cache_live,
            )?,
            cache_dead: seconds(
                self.cache_dead_hours,
                "cache_dead_hours",
                3600.0,
                defaults.cache_dead,
            )?,
        })
    }
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
    /// The file it was read from, as errors name it: [`CONFIG_FILE`], or the file given
    /// with `--config` (relative to the site root, or absolute).
    pub file: PathBuf,
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
    /// Days after which an article is stale: `verdict check` warns about it, and its
    /// page shows a notice unless `stale_notice` is off.
    pub stale_after_days: u32,
    /// Whether stale articles show a notice.
    pub stale_notice: bool,
    /// The fact keys shown first in "At a glance" tables, in order, with their labels.
    pub facts: Vec<FactLabel>,
    /// How `verdict check --external` fetches links.
    pub external_links: ExternalLinks,
    /// Sizes and copies of images; `None` with `images: false`.
    pub images: Option<ImageSettings>,
    /// Whether articles, hubs and the home page get a generated social card.
    pub social_cards: bool,
    /// Whether the site has search: the full-text index under `search/`, `search.json`
    /// and the theme's search box.
    pub search: bool,
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
    /// Reads and validates the configuration of the site in `root`: `file` is
    /// [`CONFIG_FILE`], or the file given with `--config`, relative to `root` (or
    /// absolute). Whichever file it is, the site is `root`: the theme, content and
    /// output folders are found from there, never from the configuration file's folder.
    pub fn load(root: &Path, file: &Path) -> Result<SiteConfig, Error> {
        let path = root.join(file);
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == ErrorKind::NotFound) {
            let diagnostic = if file == Path::new(CONFIG_FILE) {
                Diagnostic::new(file, format!("no `{CONFIG_FILE}` in `{}`", root.display()))
                    .hint("run verdict in a site folder, pass `--root DIR`, or create one with `verdict init DIR`")
            } else {
                Diagnostic::new(file, format!("the configuration file `{}` does not exist", path.display()))
                    .hint(format!("a relative `--config` is read from the site folder (`{}`); check the name, or give an absolute path", root.display()))
            };
            return Err(Error::site(diagnostic));
        }
        let text = read_config(root, file).map_err(Error::site)?;
        Self::parse_file(file, &text).map_err(|d| Error::Site(vec![d]))
    }

    /// Validates the text of a `site.yaml`.
    pub fn parse(text: &str) -> Result<SiteConfig, Diagnostic> {
        Self::parse_file(Path::new(CONFIG_FILE), text)
    }

    /// Validates the text of a configuration file, naming `file` in its errors.
    pub fn parse_file(file: &Path, text: &str) -> Result<SiteConfig, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawSiteConfig = if text.trim().is_empty() {
            return Err(Diagnostic::new(file, format!("`{}` is empty", file.display()))
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
        let facts = fact_labels(file, text, raw.facts.unwrap_or_default())?;
        let highlight = raw.highlight.unwrap_or(RawHighlight { light: None, dark: None });
        let external_links = match raw.external_links {
            Some(raw) => raw.validate(file, text)?,
            None => ExternalLinks::default(),
        };
        let images = image_settings(raw.images, file, text)?;
        Ok(SiteConfig {
            file: file.to_path_buf(),
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
            stale_notice: raw.stale_notice.unwrap_or(true),
            facts,
            external_links,
            images,
            social_cards: raw.social_cards.unwrap_or(true),
            search: raw.search.unwrap_or(true),
            extra: raw.extra.unwrap_or_default(),
        })
    }

    /// When the configuration `file` has errors: a configuration made of the keys that
    /// are valid on their own, and defaults for the rest, so that the content can be
    /// checked all the same and one run reports every problem. `None` when there is no
    /// such file.
    pub fn fallback(root: &Path, file: &Path) -> Option<SiteConfig> {
        let text = read_config(root, file).ok()?;
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
        config.file = file.to_path_buf();
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

/// Validates `facts:`: usable keys, each once; a label from the key when none is given.
fn fact_labels(
    file: &Path,
    text: &str,
    raw: Vec<RawFactLabel>,
) -> Result<Vec<FactLabel>, Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    let mut last = key_line(text, "facts", 1);
    let mut labels: Vec<FactLabel> = Vec::new();
    for item in raw {
        // The item's line: the next one naming the key (a flow list is on one line).
        let find = |from: usize| (from..=lines.len()).find(|&n| lines[n - 1].contains(&item.key));
        let line = find(last + 1).or_else(|| find(last)).unwrap_or(last);
        last = line;
        if !crate::content::facts::is_fact_key(&item.key) {
            return Err(Diagnostic::new(file, crate::content::facts::bad_key_message(&item.key))
                .at(line, 1)
                .hint("write the key as contenders write it in their `facts:`"));
        }
        if labels.iter().any(|l| l.key == item.key) {
            return Err(Diagnostic::new(
                file,
                format!("the fact key `{}` is listed twice in `facts`", item.key),
            )
            .at(line, 1)
            .hint("keep one of them"));
        }
        let label = match item.label {
            Some(label) if !label.trim().is_empty() => label,
            _ => crate::content::facts::label_from_key(&item.key),
        };
        labels.push(FactLabel { key: item.key, label, line });
    }
    Ok(labels)
}

/// The text of the configuration file `file` of the site in `root`. `site.yaml` is read
/// as every file of the site is: a regular file, size-checked, and not a link out of the
/// site. A file given with `--config` is where its user says: it may be anywhere, and
/// only needs to be a regular file of a sane size.
pub fn read_config(root: &Path, file: &Path) -> Result<String, Diagnostic> {
    if file == Path::new(CONFIG_FILE) { read_site_file(root, file) } else { read_text(root, file) }
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
    fn reads_fact_labels_as_maps_or_keys_at_their_lines() {
        let text = "title: T\nbase_url: https://e.com/\nfacts:\n  - {key: first_release, label: First}\n  - written_in\n";
        let config = SiteConfig::parse(text).unwrap();
        let got: Vec<(&str, &str, usize)> =
            config.facts.iter().map(|l| (l.key.as_str(), l.label.as_str(), l.line)).collect();
        assert_eq!(got, [("first_release", "First", 4), ("written_in", "Written in", 5)]);
        assert!(config.stale_notice);
        let flow = SiteConfig::parse("title: T\nbase_url: https://e.com/\nfacts: [a, b, a]\n");
        let err = flow.unwrap_err();
        assert_eq!(
            (err.message.as_str(), err.line),
            ("the fact key `a` is listed twice in `facts`", Some(3))
        );
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
