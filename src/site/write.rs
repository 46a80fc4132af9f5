//! Writing the output: everything goes into a staging folder beside the output, which
//! replaces the output in one step only when the whole build succeeded. A failed or
//! killed build leaves the previous output as it was.
//!
//! Pages are written through the [`Output`] trait, so the same build can also go to
//! memory (for `serve`) or nowhere (for `check`).

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Diagnostic, Error, IoAction};

/// Where a build writes its files. Paths are relative to the output root; anything that
/// would climb out of it is refused.
pub trait Output: Sync {
    /// Writes `bytes` to `rel`.
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error>;
    /// Copies the file `source` to `rel`.
    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error>;
    /// Says that `rel` is unchanged since the last build; returns whether its previous
    /// content stands (when not, the page is rendered and written).
    fn keep(&self, _rel: &Path) -> bool {
        false
    }
}

/// Refuses empty paths and paths with `..`, roots or prefixes.
fn check_rel(rel: &Path) -> Result<(), Error> {
    let safe = rel.components().all(|c| matches!(c, Component::Normal(_)));
    if !safe || rel.as_os_str().is_empty() {
        return Err(Error::site(Diagnostic::new(
            rel,
            "refusing to write outside the output folder",
        )));
    }
    Ok(())
}

/// An output that keeps nothing: `verdict check` renders every page and throws it away.
#[derive(Debug, Default)]
pub struct Discard;

impl Output for Discard {
    fn write(&self, rel: &Path, _bytes: &[u8]) -> Result<(), Error> {
        check_rel(rel)
    }

    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error> {
        check_rel(rel)?;
        std::fs::metadata(source).map(|_| ()).map_err(|e| Error::io(IoAction::Read, source, e))
    }
}

/// An output held in memory, by path.
#[derive(Debug, Default)]
pub struct Memory {
    files: Mutex<BTreeMap<PathBuf, Vec<u8>>>,
    kept: Mutex<BTreeSet<PathBuf>>,
}

impl Memory {
    /// The files written, by path relative to the output root.
    pub fn into_files(self) -> BTreeMap<PathBuf, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// The files written, and the paths kept from the previous build. A path in neither
    /// is no longer part of the site.
    pub fn into_parts(self) -> (BTreeMap<PathBuf, Vec<u8>>, BTreeSet<PathBuf>) {
        let kept = self.kept.into_inner().unwrap_or_else(|e| e.into_inner());
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        (files, kept)
    }
}

impl Output for Memory {
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error> {
        check_rel(rel)?;
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_path_buf(), bytes.to_vec());
        Ok(())
    }

    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error> {
        let bytes = std::fs::read(source).map_err(|e| Error::io(IoAction::Read, source, e))?;
        self.write(rel, &bytes)
    }

    fn keep(&self, rel: &Path) -> bool {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_path_buf());
        true
    }
}

/// A staging folder that becomes the output on [`Staging::commit`], and is removed if
/// dropped before.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

/// A file a build puts in its staging folder when it makes it, and removes just before
/// the swap: a staging folder without it is not the one this build made.
const STAGING_MARK: &str = ".verdict-staging";

/// Whether the build that left a staging or swap folder (named after its process id) may
/// still be running, so that its folder must be left alone: another `verdict` process
/// has that id (on Linux; elsewhere, a build assumes it is the only one).
fn still_running(leftover: &Path) -> bool {
    let pid = leftover.file_name().and_then(|n| n.to_str()).and_then(|n| n.rsplit('-').next());
    let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else { return false };
    if pid == std::process::id() || !cfg!(target_os = "linux") {
        return false;
    }
    let exe = std::fs::read_link(format!("/proc/{pid}/exe"));
    matches!((exe, std::env::current_exe()), (Ok(theirs), Ok(ours)) if theirs == ours)
}

fn sibling(output: &Path, tag: &str) -> PathBuf {
    let name = output.file_name().map(OsString::from).unwrap_or_else(|| "dist".into());
    let mut sibling = OsString::from(".");
    sibling.push(&name);
    sibling.push(format!(".verdict-{tag}-{}", std::process::id()));
    output.with_file_name(sibling)
}

fn leftovers(output: &Path) -> Vec<PathBuf> {
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return Vec::new();
    };
    let prefix = format!(".{}.verdict-", name.to_string_lossy());
    let Ok(entries) =
        std::fs::read_dir(if parent.as_os_str().is_empty() { Path::new(".") } else { parent })
    else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| parent.join(e.file_name()))
        .collect()
}

impl Staging {
    /// Creates an empty staging folder beside `output`, first cleaning up what a killed
    /// build may have left (and restoring the output if it was caught mid-swap), but not
    /// what a build still running is using.
    pub fn create(output: &Path) -> Result<Staging, Error> {
        if output.is_file() {
            return Err(Error::site(
                Diagnostic::new(output, "the output path is a file, not a folder")
                    .hint("remove the file or choose another `--output`"),
            ));
        }
        for leftover in leftovers(output).into_iter().filter(|l| !still_running(l)) {
            let name = leftover.file_name().unwrap_or_default().to_string_lossy().to_string();
            if name.contains(".verdict-old-") && !output.exists() {
                let _ = std::fs::rename(&leftover, output);
            } else {
                let _ = std::fs::remove_dir_all(&leftover);
            }
        }
        let dir = sibling(output, "tmp");
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(IoAction::CreateFolder, parent, e))?;
        }
        // Errors name the output, not the staging folder the user never sees.
        let stage = |e| Error::io(IoAction::Stage, output, e);
        std::fs::create_dir(&dir).map_err(stage)?;
        let staging = Staging { dir, output: output.to_path_buf(), committed: false };
        std::fs::write(staging.dir.join(STAGING_MARK), "").map_err(stage)?;
        Ok(staging)
    }

    fn path_of(&self, rel: &Path) -> Result<PathBuf, Error> {
        check_rel(rel)?;
        Ok(self.dir.join(rel))
    }

    /// Replaces the output with the staging folder.
    pub fn commit(mut self) -> Result<(), Error> {
        // If the staging folder was removed while the build ran (by a build that took it
        // for a killed one's), the writes after that made a new one holding part of the
        // site: publishing it would replace a whole site with a broken one.
        if std::fs::remove_file(self.dir.join(STAGING_MARK)).is_err() {
            return Err(Error::site(
                Diagnostic::new(
                    &self.output,
                    "the build's staging folder was removed while it ran; the output was left as it was",
                )
                .hint("run one build of a site at a time, then build again"),
            ));
        }
        let old = sibling(&self.output, "old");
        let had_output = self.output.exists();
        if had_output {
            std::fs::rename(&self.output, &old)
                .map_err(|e| Error::io(IoAction::Replace, &self.output, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            if had_output {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(Error::io(IoAction::Replace, &self.output, e));
        }
        self.committed = true;
        if had_output {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Output for Staging {
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error> {
        let path = self.path_of(rel)?;
        // Errors name the file in the output, not in the staging folder.
        let failed = |e| Error::io(IoAction::Write, self.output.join(rel), e);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(failed)?;
        }
        std::fs::write(&path, bytes).map_err(failed)
    }

    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error> {
        let path = self.path_of(rel)?;
        // Errors name the file in the output, not in the staging folder.
        let target = self.output.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(IoAction::Write, &target, e))?;
        }
        std::fs::copy(source, &path)
            .map(|_| ())
            .map_err(|e| Error::io(IoAction::CopyTo(target.clone()), source, e))
    }

    fn keep(&self, rel: &Path) -> bool {
        self.link_previous(rel)
    }
}

impl Staging {
    /// Links the previous output's `rel` into the staging folder: the file is unchanged.
    fn link_previous(&self, rel: &Path) -> bool {
        let Ok(path) = self.path_of(rel) else { return false };
        let previous = self.output.join(rel);
        // Only plain files of the previous output, never links that could point elsewhere.
        let plain = std::fs::symlink_metadata(&previous).is_ok_and(|m| m.file_type().is_file());
        plain
            && path.parent().is_some_and(|parent| std::fs::create_dir_all(parent).is_ok())
            && std::fs::hard_link(&previous, &path).is_ok()
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_output_keeps_files_and_refuses_escapes() {
        let memory = Memory::default();
        memory.write(Path::new("a/index.html"), b"x").unwrap();
        assert!(memory.write(Path::new("../x"), b"").is_err());
        assert_eq!(memory.into_files().len(), 1);
    }

    #[test]
    fn commit_replaces_output_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();

        let staging = Staging::create(&out).unwrap();
        staging.write(Path::new("a/index.html"), b"new").unwrap();
        drop(staging);
        assert!(out.join("old.html").exists());

        let staging = Staging::create(&out).unwrap();
        staging.write(Path::new("a/index.html"), b"new").unwrap();
        staging.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_to_commit_a_staging_folder_that_was_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("index.html"), "previous").unwrap();
        let staging = Staging::create(&out).unwrap();
        staging.write(Path::new("a/index.html"), b"written early").unwrap();
        // What another build's clean-up did before it learnt to check the process.
        std::fs::remove_dir_all(&staging.dir).unwrap();
        staging.write(Path::new("b/index.html"), b"written late").unwrap();
        let error = staging.commit().unwrap_err();
        assert!(error.to_string().contains("staging folder was removed"), "{error}");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "previous");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "no staging folder left");
    }

    #[test]
    fn refuses_paths_leaving_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::create(&tmp.path().join("dist")).unwrap();
        assert!(staging.write(Path::new("../x"), b"").is_err());
        assert!(staging.write(Path::new("/etc/x"), b"").is_err());
    }
}
