//! Putting a finished staging folder in the output's place.
//!
//! On Linux, one `renameat2(RENAME_EXCHANGE)` call swaps the two folders' names: there
//! is no moment without the output folder, and a reader of `dist/index.html` always
//! finds the old file or the new one. Where the call is refused (a kernel or filesystem
//! without it, such as some network filesystems; other systems), two renames do the
//! same: the output aside, then the staging folder in its place, with a moment between
//! them when the output folder is missing.

use std::path::{Path, PathBuf};

/// How the output was replaced, for tests and timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Swapped {
    /// The two folders were exchanged by one call.
    Exchanged,
    /// The output was renamed aside, then the staging folder into its place (or there
    /// was no output yet).
    Renamed,
}

/// Puts `staging` in the place of `output`. Returns how, and where the old output now
/// is, when there was one: `staging`'s path after an exchange, `aside` after two
/// renames. On an error, `output` is as it was.
pub(super) fn swap_in(
    staging: &Path,
    output: &Path,
    aside: &Path,
) -> std::io::Result<(Swapped, Option<PathBuf>)> {
    if std::fs::symlink_metadata(output).is_ok() && exchange(staging, output).is_ok() {
        return Ok((Swapped::Exchanged, Some(staging.to_path_buf())));
    }
    // Any failure of the exchange leaves both names as they were: the two renames then
    // either work or report their own error.
    rename_in(staging, output, aside).map(|old| (Swapped::Renamed, old))
}

/// The fallback: `output` renamed to `aside`, then `staging` to `output`; the old
/// output goes back if the second rename fails.
pub(super) fn rename_in(
    staging: &Path,
    output: &Path,
    aside: &Path,
) -> std::io::Result<Option<PathBuf>> {
    let had_output = std::fs::symlink_metadata(output).is_ok();
    if had_output {
        std::fs::rename(output, aside)?;
    }
    if let Err(e) = std::fs::rename(staging, output) {
        if had_output {
            let _ = std::fs::rename(aside, output);
        }
        return Err(e);
    }
    Ok(had_output.then(|| aside.to_path_buf()))
}

/// Swaps the names of two existing paths in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// No single call swaps two names here: the caller renames twice.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(path: &Path, text: &str) {
        std::fs::create_dir_all(path).unwrap();
        std::fs::write(path.join("index.html"), text).unwrap();
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path.join("index.html")).unwrap()
    }

    #[test]
    fn swaps_the_staging_folder_in_and_says_where_the_old_output_went() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, output, aside) =
            (tmp.path().join("new"), tmp.path().join("dist"), tmp.path().join("old"));
        folder(&staging, "new");
        folder(&output, "old");
        let (how, old) = swap_in(&staging, &output, &aside).unwrap();
        assert_eq!(read(&output), "new");
        let old = old.unwrap();
        assert_eq!(read(&old), "old");
        if cfg!(target_os = "linux") && how == Swapped::Exchanged {
            assert_eq!(old, staging);
        } else {
            assert_eq!(old, aside);
        }
    }

    #[test]
    fn the_fallback_replaces_the_output_or_leaves_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, output, aside) =
            (tmp.path().join("new"), tmp.path().join("dist"), tmp.path().join("old"));
        // No output yet: one rename.
        folder(&staging, "first");
        assert_eq!(rename_in(&staging, &output, &aside).unwrap(), None);
        assert_eq!(read(&output), "first");
        // An output: set aside.
        folder(&staging, "second");
        assert_eq!(rename_in(&staging, &output, &aside).unwrap(), Some(aside.clone()));
        assert_eq!((read(&output), read(&aside)), ("second".to_string(), "first".to_string()));
        // A staging folder that is gone: the output is put back.
        std::fs::remove_dir_all(&aside).unwrap();
        assert!(rename_in(&tmp.path().join("missing"), &output, &aside).is_err());
        assert_eq!(read(&output), "second");
        assert!(!aside.exists());
    }
}
