//! Authors: `authors/<id>.md`, front matter plus a Markdown bio.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::content::front_matter;
use crate::error::Diagnostic;
use crate::slug::{BadSegment, RESERVED_ON_WINDOWS, check_segment};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthor {
    name: Option<String>,
    role: Option<String>,
    avatar: Option<String>,
    #[serde(default)]
    links: IndexMap<String, String>,
}

/// A validated author.
#[derive(Debug, Clone)]
pub struct Author {
    /// The file stem, used by articles' `author:`.
    pub id: String,
    /// Source file, relative to the site root.
    pub source: PathBuf,
    /// Display name.
    pub name: String,
    /// Job or role line.
    pub role: Option<String>,
    /// Avatar path or URL, as written.
    pub avatar: Option<String>,
    /// Named links (website, github, ...), in file order.
    pub links: Vec<(String, String)>,
    /// Markdown bio.
    pub bio: String,
    /// File line on which the bio starts.
    pub body_line: usize,
}

/// The longest author name, in characters.
pub const MAX_AUTHOR_NAME: usize = 100;

impl Author {
    /// Validates an author file.
    pub fn parse(source: &Path, id: &str, text: &str) -> Result<Author, Diagnostic> {
        let doc = front_matter::split(source, text)?;
        let raw: RawAuthor =
            crate::yaml::parse_yaml(source, doc.front_matter, doc.front_matter_line)?;
        match check_segment(id) {
            Ok(()) => {}
            Err(BadSegment::Unsafe) => {
                return Err(Diagnostic::new(
                    source,
                    format!("author id `{id}` is not a valid URL segment"),
                )
                .hint("rename the file to letters, digits and dashes, like `jane-doe.md`"));
            }
            Err(BadSegment::ReservedOnWindows) => {
                return Err(Diagnostic::new(
                    source,
                    format!("the author id `{id}` is a device name that Windows reserves"),
                )
                .hint(format!(
                    "rename the file (it names the page `authors/{id}/`): {RESERVED_ON_WINDOWS}"
                )));
            }
        }
        let name = raw.name.filter(|n| !n.trim().is_empty()).ok_or_else(|| {
            Diagnostic::new(source, "missing required key `name`")
                .at(1, 1)
                .hint("add `name: Jane Doe`")
        })?;
        let line_of =
            |key: &str| crate::yaml::key_line(doc.front_matter, key, doc.front_matter_line);
        if name.chars().count() > MAX_AUTHOR_NAME {
            return Err(Diagnostic::new(
                source,
                format!(
                    "the author's `name` is {} characters long; the most is {MAX_AUTHOR_NAME}",
                    name.chars().count()
                ),
            )
            .at(line_of("name"), 1)
            .hint("shorten it: it is shown on every article of the author"));
        }
        for (key, url) in &raw.links {
            if !crate::urls::is_safe_link(url) {
                return Err(Diagnostic::new(
                    source,
                    format!("the link `{key}` is not an http(s) or mailto address: `{url}`"),
                )
                .at(
                    crate::yaml::value_line(
                        doc.front_matter,
                        "links",
                        &format!("{key}:"),
                        doc.front_matter_line,
                    ),
                    1,
                )
                .hint("write a full address, like `https://example.com/jane`"));
            }
        }
        Ok(Author {
            id: id.to_string(),
            source: source.to_path_buf(),
            name,
            role: raw.role,
            avatar: raw.avatar,
            links: raw.links.into_iter().collect(),
            bio: doc.body.to_string(),
            body_line: doc.body_line,
        })
    }
}
