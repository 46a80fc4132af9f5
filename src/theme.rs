//! The default theme, built into the binary.

use std::path::Path;

use include_dir::{Dir, include_dir};

/// The default theme, built into the binary.
pub(crate) static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// How errors name the files of the built-in theme: `<default theme>/templates/base.html`.
pub const DEFAULT_THEME_ORIGIN: &str = "<default theme>";

/// The text of a file of the built-in theme, by its path in the theme
/// (`templates/base.html`), for showing the source line of an error.
pub fn default_theme_source(rel: &Path) -> Option<&'static str> {
    DEFAULT_THEME.get_file(rel)?.contents_utf8()
}
