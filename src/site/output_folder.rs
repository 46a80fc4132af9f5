//! Which folder a build may replace. A build replaces its output folder whole, so it
//! only takes one that is missing, empty, or marked as built by verdict: every build
//! writes [`OUTPUT_MARKER`] at the root of its output. An output of an earlier version
//! (which wrote no marker) is taken only when the site's cache says that very folder was
//! built into; any other folder is refused, with a hint.

use std::path::{Path, PathBuf};

use crate::cache::pages::{PAGES_FILE, describes_folder};
use crate::error::{Diagnostic, Error};
use crate::files::folder_outside_site;
use crate::site::CACHE_DIR;

/// The file at the root of every output a build makes: what tells a folder verdict
/// built (and may replace) from any other. It holds a short note saying so; it is
/// harmless to deploy, and hosts' sync tools may skip it.
pub const OUTPUT_MARKER: &str = ".verdict-output";

/// The text of [`OUTPUT_MARKER`].
pub const OUTPUT_MARKER_TEXT: &str = "This folder was built by verdict, which replaces it whole on every build:\nfiles added to it by hand are deleted by the next build.\n";

/// The output may not be the site itself, hold it, or sit inside its content folders;
/// it must name a folder, and one that a build may replace.
pub(super) fn check_output(root: &Path, output: &Path) -> Result<(), Error> {
    let refuse = |why: &str| {
        Err(Error::site(
            Diagnostic::new(output, format!("refusing to use this output folder: {why}"))
                .hint("choose another `--output`, such as `dist`"),
        ))
    };
    let root = absolute(root);
    let output_abs = absolute(output);
    if root.starts_with(&output_abs) {
        return refuse("it holds the site itself, which a build would replace");
    }
    for dir in ["articles", "pages", "authors", "static", "templates", "themes"] {
        if output_abs.starts_with(root.join(dir)) {
            return refuse(&format!("it is inside the site's `{dir}/` folder"));
        }
    }
    if let Some(last) = dot_at_end(output) {
        let named = output.components().collect::<PathBuf>();
        let hint = match (last, named.file_name()) {
            (".", Some(_)) => format!("write `--output {}`", named.display()),
            _ => "name the folder itself, such as `--output ../site-out`".to_string(),
        };
        return Err(Error::site(
            Diagnostic::new(
                output,
                format!(
                    "the output path ends in `{last}`: a build puts the new output in place of the old one by renaming a folder, so it needs the folder's own name"
                ),
            )
            .hint(hint),
        ));
    }
    // A build replaces the whole folder: one that a build did not make (`--output ~/Documents`
    // by mistake) would be deleted with everything in it.
    match replaceable(&root, output) {
        Replaceable::Yes => Ok(()),
        Replaceable::Unmarked => Err(Error::site(
            Diagnostic::new(
                output,
                format!(
                    "refusing to use this output folder: it has no `{OUTPUT_MARKER}` file, which every verdict build writes, and a build replaces the whole folder"
                ),
            )
            .hint("if an earlier version of verdict built it, delete the folder once (the next build makes it again, marked); otherwise choose another `--output`"),
        )),
        Replaceable::No => Err(Error::site(
            Diagnostic::new(
                output,
                "refusing to use this output folder: it holds files verdict did not build, and a build replaces the whole folder",
            )
            .hint("choose another `--output`, or empty the folder first"),
        )),
    }
}

/// `.` or `..` when the path, as written, ends in one (`dist/.`, `.`): such a folder
/// cannot be renamed through that name ("Device or resource busy").
fn dot_at_end(output: &Path) -> Option<&'static str> {
    let text = output.to_string_lossy();
    let text = text.trim_end_matches(std::path::is_separator);
    match text.rsplit(std::path::is_separator).next() {
        Some(".") => Some("."),
        Some("..") => Some(".."),
        _ if output.file_name().is_none() => Some("/"),
        _ => None,
    }
}

/// The path made absolute through its nearest existing ancestor, so that an output whose
/// parent does not exist yet (`articles/out` in a site without `articles/`) is still
/// compared with the site's folders.
fn absolute(p: &Path) -> PathBuf {
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut rest = Vec::new();
    let mut ancestor = p.as_path();
    loop {
        if let Ok(c) = ancestor.canonicalize() {
            return rest.iter().rev().fold(c, |path, name| path.join(name));
        }
        match (ancestor.parent(), ancestor.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                ancestor = parent;
            }
            _ => return p.clone(),
        }
    }
}

/// Whether a build may replace a folder.
enum Replaceable {
    /// Missing, empty, marked, or an earlier version's output that the cache recognizes.
    Yes,
    /// Not marked, though it looks like an earlier version's output.
    Unmarked,
    /// Anything else.
    No,
}

/// Whether a build may replace `output`: it does not exist, is empty, holds the marker
/// (a regular file, not a link), or is the very folder the site's cache says the last
/// build went into (an earlier version's output, made before the marker).
fn replaceable(root: &Path, output: &Path) -> Replaceable {
    let Ok(mut entries) = std::fs::read_dir(output) else { return Replaceable::Yes };
    if entries.next().is_none()
        || std::fs::symlink_metadata(output.join(OUTPUT_MARKER)).is_ok_and(|m| m.is_file())
    {
        return Replaceable::Yes;
    }
    let cache_here = folder_outside_site(root, Path::new(CACHE_DIR)).is_none();
    if cache_here && describes_folder(&root.join(CACHE_DIR).join(PAGES_FILE), output) {
        return Replaceable::Yes;
    }
    // What earlier versions took for their output: every build writes both.
    if output.join("sitemap.xml").is_file() && output.join("search.json").is_file() {
        Replaceable::Unmarked
    } else {
        Replaceable::No
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_ending_in_a_dot_are_named() {
        assert_eq!(dot_at_end(Path::new(".")), Some("."));
        assert_eq!(dot_at_end(Path::new("dist/.")), Some("."));
        assert_eq!(dot_at_end(Path::new("dist/./")), Some("."));
        assert_eq!(dot_at_end(Path::new("dist/..")), Some(".."));
        assert_eq!(dot_at_end(Path::new("/")), Some("/"));
        assert_eq!(dot_at_end(Path::new("dist")), None);
        assert_eq!(dot_at_end(Path::new("./dist/")), None);
        assert_eq!(dot_at_end(Path::new(".dist")), None);
    }
}
