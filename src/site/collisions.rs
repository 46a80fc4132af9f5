//! Static files in the place of files the build writes itself.

use std::path::{Path, PathBuf};

use crate::error::Diagnostic;
use crate::site::{aliases, load};
use crate::templates::{Templates, ThemeFile};

/// A static file (the site's, a bundle's or the theme's) whose output path is one the
/// build writes itself (a page, `feed.xml`, `search.json`, ...) would replace it, or be
/// replaced by it: an error naming both. `robots.txt` is the exception: a site's own
/// replaces the generated one; and a site's own `_redirects` is merged into the generated
/// one.
pub(super) fn replaced_outputs(
    root: &Path,
    written_again: &[PathBuf],
    assets: &[load::Asset],
    templates: &Templates,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for rel in written_again {
        if rel == Path::new("robots.txt") || rel == Path::new(aliases::REDIRECTS_FILE) {
            continue;
        }
        let source =
            assets.iter().find(|a| a.output == *rel).map(|a| a.source.clone()).or_else(|| {
                templates.static_files.iter().find(|(out, _)| out == rel).map(|(out, file)| {
                    match file {
                        ThemeFile::Disk(path) => path.clone(),
                        ThemeFile::Embedded(_) => {
                            Path::new(crate::theme::DEFAULT_THEME_ORIGIN).join("static").join(out)
                        }
                    }
                })
            });
        let Some(source) = source else { continue };
        let source = source.strip_prefix(root).unwrap_or(&source);
        let shown = rel.to_string_lossy().replace('\\', "/");
        errors.push(
            Diagnostic::new(
                source,
                format!(
                    "this file would take the place of `{shown}`, which the build writes itself"
                ),
            )
            .hint("rename or move it; the build makes that file from the content"),
        );
    }
    errors
}
