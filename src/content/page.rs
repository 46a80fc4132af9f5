//! Standalone pages: `pages/<name>.md` → `/<name>/`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::front_matter;
use crate::error::Diagnostic;
use crate::slug::{BadSegment, check_segment, reserved_slug, slugify};
use crate::yaml::key_line;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Option<String>,
    description: Option<String>,
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// A validated standalone page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Source file, relative to the site root.
    pub source: PathBuf,
    /// Output path segment.
    pub slug: String,
    /// Line of the `slug` key (or of the front matter start), for errors.
    pub slug_line: usize,
    /// Title, plain text.
    pub title: String,
    /// Description from front matter.
    pub description: Option<String>,
    /// Skipped unless drafts are built.
    pub draft: bool,
    /// Free-form template data.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Markdown body.
    pub body: String,
    /// File line on which the body starts.
    pub body_line: usize,
}

impl Page {
    /// Validates a page file; `default_slug` is its file stem.
    pub fn parse(source: &Path, text: &str, default_slug: &str) -> Result<Page, Diagnostic> {
        let doc = front_matter::split(source, text)?;
        let raw: RawPage =
            crate::yaml::parse_yaml(source, doc.front_matter, doc.front_matter_line)?;
        let title = raw.title.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
            Diagnostic::new(source, "missing required key `title`")
                .at(1, 1)
                .hint("add `title: About`")
        })?;
        let slug_line = key_line(doc.front_matter, "slug", doc.front_matter_line);
        let slug = match raw.slug {
            Some(slug) if !slug.is_empty() && check_segment(&slug) == Err(BadSegment::Unsafe) => {
                return Err(Diagnostic::new(
                    source,
                    format!("`slug` is not a valid URL segment: `{slug}`"),
                )
                .at(slug_line, 7)
                .hint("use letters, digits and dashes only, like `about`"));
            }
            Some(slug) => slug,
            None => slugify(default_slug),
        };
        if slug.is_empty() {
            return Err(Diagnostic::new(source, "the page's slug is empty")
                .at(slug_line, 1)
                .hint("give the page a `slug:` of letters, digits and dashes"));
        }
        if check_segment(&slug) == Err(BadSegment::ReservedOnWindows) {
            return Err(reserved_slug(source, &slug, slug_line));
        }
        Ok(Page {
            source: source.to_path_buf(),
            slug_line,
            slug,
            title,
            description: raw.description,
            draft: raw.draft,
            extra: raw.extra,
            body: doc.body.to_string(),
            body_line: doc.body_line,
        })
    }
}
