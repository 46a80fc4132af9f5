//! Writing the output: everything goes into a staging folder beside the output, which
//! replaces the output in one step only when the whole build succeeded. A failed or
//! killed build leaves the previous output as it was.
//!
//! The output a swap replaces is not deleted but kept beside it as the *spare*
//! (`.dist.verdict-spare`), and the next build stages into it: its files are rewritten
//! in place and its folders reused, so a rebuild makes almost no new files or folders.
//! Making thousands of files right after deleting thousands is what a build spends
//! most of its system time on otherwise (the file system searches past every
//! recently freed inode). What the new build does not write is pruned before the swap.
//!
//! Pages are written through the [`Output`] trait, so the same build can also go to
//! memory (for `serve`) or nowhere (for `check`).

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::cache::outputs::OutputStore;
use crate::error::{Diagnostic, Error, IoAction};
use crate::interrupt;
use crate::site::output_folder::{OUTPUT_MARKER, OUTPUT_MARKER_TEXT};
use crate::site::scratch::Scratch;

mod file_ops;
mod in_memory;
use file_ops::{links, same_file, write_pieces};
pub use in_memory::{Discard, Memory};

/// Where a build writes its files. Paths are relative to the output root; anything that
/// would climb out of it is refused.
pub trait Output: Sync {
    /// Writes `bytes` to `rel`.
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error>;
    /// Writes `bytes` to `rel`, handing them over: an output that keeps files in memory
    /// keeps these without a copy.
    fn write_owned(&self, rel: &Path, bytes: Vec<u8>) -> Result<(), Error> {
        self.write(rel, &bytes)
    }
    /// Writes to `rel` the pieces `pieces` gives, one after the other: an output on disk
    /// writes each as it comes, so that a large file is never held whole.
    fn write_pieces(
        &self,
        rel: &Path,
        pieces: &mut dyn Iterator<Item = String>,
    ) -> Result<(), Error> {
        let mut whole = pieces.next().unwrap_or_default().into_bytes();
        pieces.for_each(|piece| whole.extend_from_slice(piece.as_bytes()));
        self.write_owned(rel, whole)
    }
    /// Copies the file `source` to `rel`.
    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error>;
    /// Says that `rel` is unchanged since the last build, whose file there had
    /// `identity` (what [`identity`](Output::identity) said of it then); returns whether
    /// its previous content stands (when not, the page is rendered and written).
    ///
    /// `made_from` is what the file was made from (the page's fingerprint, or the hash
    /// of the index file): an output with a store of earlier builds' files can put back
    /// the one made from it when the previous output lacks it.
    fn keep(&self, _rel: &Path, _identity: Option<u64>, _made_from: u128) -> bool {
        false
    }
    /// Writes `bytes` to `rel`; `made_from`, when given, is what they were made from,
    /// by which a later build may [`keep`](Output::keep) the file.
    fn write_made_from(
        &self,
        rel: &Path,
        bytes: &[u8],
        _made_from: Option<u128>,
    ) -> Result<(), Error> {
        self.write(rel, bytes)
    }
    /// What tells the file written (or kept) at `rel` from the same path changed since,
    /// for the next build's [`keep`](Output::keep); `None` where nothing can change it.
    fn identity(&self, _rel: &Path) -> Option<u64> {
        None
    }
    /// A scratch file for article bodies rendered ahead of their pages, on the output's
    /// disk; `None` renders each body again for its page instead.
    fn scratch(&self) -> Option<Scratch> {
        None
    }
    /// Whether the bytes written are thrown away, and only the paths count: an output
    /// that learns what a build would write (`verdict check`). Files that are costly to
    /// make are then written empty, unmade: image copies (no image is decoded), social
    /// cards (their SVG is checked, not drawn) and the full-text search index.
    fn discards_bytes(&self) -> bool {
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

/// A staging folder that becomes the output on [`Staging::commit`]; dropped before, it
/// goes back to being the spare if it was one, or is removed.
///
/// A build never writes through a symbolic link: in a folder recycled from the spare
/// (an older output, or a killed build's staging folder), a link found where a folder
/// or a file goes is replaced by a real one, and a page is kept from the output only if
/// the file found there is the very one the last build wrote or kept.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
    /// Whether the folder was recycled from the spare: what it holds is left from an
    /// older build, pruned on commit unless this build wrote or kept it.
    recycled: bool,
    /// Paths written or kept, with the identity of a page's file ([`file_id`]).
    touched: Mutex<HashMap<PathBuf, Option<u64>>>,
    /// Folders of the staging folder known to be real folders (made by this build, or
    /// checked not to be links in a recycled one).
    real_dirs: Mutex<HashSet<PathBuf>>,
    /// What a signal does with the folder while it is not committed or dropped.
    registered: Option<interrupt::Registered>,
    /// The files of earlier builds, to put back what the previous output lacks, and to
    /// which this build's keepable files are added.
    store: Option<OutputStore>,
    /// Whether there was an output folder to keep pages from.
    previous_output: bool,
}

/// Makes the file that says a staging folder is in use, new: never written through a
/// link an older build's folder may hold under its name.
fn mark(dir: &Path) -> Result<(), std::io::Error> {
    let mark = dir.join(STAGING_MARK);
    if let Ok(meta) = std::fs::symlink_metadata(&mark) {
        remove(&mark, &meta)?;
    }
    std::fs::File::options().write(true).create_new(true).open(&mark).map(drop)
}

/// The name of the spare beside an output named `name`: `.dist.verdict-spare`.
const SPARE: &str = "spare";

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
    sibling_named(output, &format!("{tag}-{}", std::process::id()))
}

fn sibling_named(output: &Path, tag: &str) -> PathBuf {
    let name = output.file_name().map(OsString::from).unwrap_or_else(|| "dist".into());
    let mut sibling = OsString::from(".");
    sibling.push(&name);
    sibling.push(format!(".verdict-{tag}"));
    output.with_file_name(sibling)
}

/// Makes `dir`, a folder no build uses any more, the spare, or removes it when there
/// already is one.
fn retire(output: &Path, dir: &Path) {
    let spare = sibling_named(output, SPARE);
    if spare.exists() || std::fs::rename(dir, &spare).is_err() {
        let _ = std::fs::remove_dir_all(dir);
    }
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
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix) && !name.ends_with(SPARE)
        })
        .map(|e| parent.join(e.file_name()))
        .collect()
}

impl Staging {
    /// Creates a staging folder beside `output` (the spare, when there is one), first
    /// cleaning up what a killed build may have left (and restoring the output if it
    /// was caught mid-swap), but not what a build still running is using.
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
                retire(output, &leftover);
            }
        }
        let dir = sibling(output, "tmp");
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(IoAction::CreateFolder, parent, e))?;
        }
        // Taking the spare is one rename, so two builds never share it. Only a real
        // folder is taken: a link there (planted, or made by hand) would have the build
        // write, and prune, wherever it points.
        let spare = sibling_named(output, SPARE);
        // From here a signal finds the staging folder registered, or not yet taken.
        let gate = interrupt::gate();
        let recycled = std::fs::symlink_metadata(&spare).is_ok_and(|m| m.is_dir())
            && std::fs::rename(&spare, &dir).is_ok();
        // Errors name the output, not the staging folder the user never sees.
        let stage = |e| Error::io(IoAction::Stage, output, e);
        if !recycled {
            std::fs::create_dir(&dir).map_err(stage)?;
        }
        let registered = {
            let (dir, output) = (dir.clone(), output.to_path_buf());
            // What dropping the staging folder does, for a build stopped by a signal.
            interrupt::on_interrupt(move || {
                if recycled {
                    retire(&output, &dir);
                } else {
                    let _ = std::fs::remove_dir_all(&dir);
                }
            })
        };
        let staging = Staging {
            dir,
            output: output.to_path_buf(),
            committed: false,
            recycled,
            touched: Mutex::default(),
            real_dirs: Mutex::default(),
            registered: Some(registered),
            store: None,
            previous_output: std::fs::symlink_metadata(output).is_ok_and(|m| m.is_dir()),
        };
        let marked = mark(&staging.dir);
        drop(gate);
        marked.map_err(stage)?;
        staging.write(Path::new(OUTPUT_MARKER), OUTPUT_MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    fn path_of(&self, rel: &Path) -> Result<PathBuf, Error> {
        check_rel(rel)?;
        Ok(self.dir.join(rel))
    }

    /// The staging folder, putting back from `store` the files the previous output
    /// lacks and adding to it the files this build writes.
    pub fn with_store(mut self, store: Option<OutputStore>) -> Staging {
        self.store = store;
        self
    }

    /// Replaces the output with the staging folder; gives back the store, holding this
    /// build's files, for the cache to save.
    pub fn commit(mut self) -> Result<Option<OutputStore>, Error> {
        // A signal waits for the swap to end.
        let _gate = interrupt::gate();
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
        self.prune();
        // One exchange on Linux, two renames elsewhere (see `swap`).
        let (_, old) = super::swap::swap_in(&self.dir, &self.output, &sibling(&self.output, "old"))
            .map_err(|e| Error::io(IoAction::Replace, &self.output, e))?;
        self.committed = true;
        self.registered = None;
        if let Some(old) = old {
            retire(&self.output, &old);
        }
        Ok(self.store.take())
    }

    /// Removes from a recycled staging folder what this build did not write or keep:
    /// files first, then the folders left empty. The folders at its top are pruned in
    /// parallel: a site has one per article.
    fn prune(&self) {
        if !self.recycled {
            return;
        }
        let touched = self.touched.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        let tops: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        tops.par_iter().for_each(|top| prune_tree(&self.dir, top, &touched));
    }

    /// Makes the folders `path` goes in. In a recycled folder, an older build's file or
    /// link may stand where a folder now belongs: it goes, and a real folder takes its
    /// place.
    fn make_parent(&self, path: &Path) -> Result<(), std::io::Error> {
        let Some(parent) = path.parent() else { return Ok(()) };
        if self.recycled {
            return self.real_folder(parent);
        }
        // Each folder is made once (a site has thousands of files in a few folders).
        if self.real_dirs.lock().unwrap_or_else(|e| e.into_inner()).contains(parent) {
            return Ok(());
        }
        std::fs::create_dir_all(parent)?;
        self.real_dirs.lock().unwrap_or_else(|e| e.into_inner()).insert(parent.to_path_buf());
        Ok(())
    }

    /// Makes `dir`, a folder of the recycled staging folder, and every folder above it
    /// real folders; each is looked at once per build.
    fn real_folder(&self, dir: &Path) -> Result<(), std::io::Error> {
        if dir == self.dir || !dir.starts_with(&self.dir) {
            return Ok(());
        }
        if self.real_dirs.lock().unwrap_or_else(|e| e.into_inner()).contains(dir) {
            return Ok(());
        }
        if let Some(parent) = dir.parent() {
            self.real_folder(parent)?;
        }
        match std::fs::symlink_metadata(dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) => {
                // Another thread may have replaced it already.
                remove(dir, &meta).or_else(|e| ignore(e, std::io::ErrorKind::NotFound))?;
                make_folder(dir)?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => make_folder(dir)?,
            Err(e) => return Err(e),
        }
        self.real_dirs.lock().unwrap_or_else(|e| e.into_inner()).insert(dir.to_path_buf());
        Ok(())
    }

    /// Records that this build put `rel` in the staging folder, with the identity of its
    /// file when it is one to compare in the next build.
    fn touch(&self, rel: &Path, identity: Option<u64>) {
        self.touched.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_path_buf(), identity);
    }

    /// Makes room for a new file at `path`: in a recycled folder (whose folders are
    /// real), a file there is rewritten in place (its length is returned) unless it is
    /// also linked from elsewhere (a page kept from the output, by an older build or this
    /// one), which must not change; anything else in the way, a link too, is removed. In
    /// a new folder, only this build put files there: one in the way is a page it kept (a
    /// hard link to the output) that a static file now takes the place of, and is removed,
    /// never written through.
    fn prepare(&self, path: &Path) -> Result<Option<u64>, std::io::Error> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if self.recycled && meta.is_file() && links(&meta) == 1 => {
                Ok(Some(meta.len()))
            }
            Ok(meta) => remove(path, &meta).map(|()| None),
            Err(_) => Ok(None),
        }
    }
}

impl Staging {
    /// Writes `pieces`, one after the other, to `rel`.
    fn write_file<P: AsRef<[u8]>>(
        &self,
        rel: &Path,
        pieces: impl IntoIterator<Item = P>,
    ) -> Result<(), Error> {
        let _gate = interrupt::gate();
        let path = self.path_of(rel)?;
        // Errors name the file in the output, not in the staging folder.
        let failed = |e| Error::io(IoAction::Write, self.output.join(rel), e);
        // The folders first: the checks of a recycled folder look through them.
        self.make_parent(&path).map_err(failed)?;
        let old_len = self.prepare(&path).map_err(failed)?;
        let file = write_pieces(&path, pieces, old_len).map_err(failed)?;
        self.touch(rel, file.metadata().ok().map(|m| file_id(&m)));
        Ok(())
    }
}

/// Makes the folder `dir`, which may have been made meanwhile by another thread.
fn make_folder(dir: &Path) -> Result<(), std::io::Error> {
    match std::fs::create_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if std::fs::symlink_metadata(dir)?.is_dir() { Ok(()) } else { Err(e) }
        }
        made => made,
    }
}

/// `Ok` for an error of the kind `kind`.
fn ignore(error: std::io::Error, kind: std::io::ErrorKind) -> Result<(), std::io::Error> {
    if error.kind() == kind { Ok(()) } else { Err(error) }
}

/// What tells one version of a file from another without reading it: its size,
/// modification time, inode and device (kept through the hard links that keep a page).
fn file_id(meta: &std::fs::Metadata) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&meta.len().to_le_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        for field in [meta.ino(), meta.dev(), meta.mtime() as u64, meta.mtime_nsec() as u64] {
            hasher.update(&field.to_le_bytes());
        }
    }
    #[cfg(not(unix))]
    if let Ok(modified) = meta.modified() {
        let since = modified.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        hasher.update(&since.as_nanos().to_le_bytes());
    }
    hasher.digest()
}

/// Removes what is at `top` or under it, in the staging folder `root`, unless its path is
/// in `touched`; then the folders left empty, `top` too.
fn prune_tree(root: &Path, top: &Path, touched: &HashMap<PathBuf, Option<u64>>) {
    // Folders known to keep something, so that they are not even tried: a site's
    // folders nearly all keep their page.
    let mut occupied: HashSet<PathBuf> = HashSet::new();
    for entry in walkdir::WalkDir::new(top).contents_first(true) {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        let stays = if entry.file_type().is_dir() {
            // Fails, as it should, for folders that still hold something.
            occupied.remove(path) || std::fs::remove_dir(path).is_err()
        } else {
            path.strip_prefix(root).is_ok_and(|rel| touched.contains_key(rel))
                || std::fs::remove_file(path).is_err()
        };
        if let Some(parent) = path.parent().filter(|_| stays) {
            if !occupied.contains(parent) {
                occupied.insert(parent.to_path_buf());
            }
        }
    }
}

/// Removes what stands at `path` (described by `meta`): a file, a link, or a whole folder.
fn remove(path: &Path, meta: &std::fs::Metadata) -> Result<(), std::io::Error> {
    if meta.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) }
}

impl Output for Staging {
    fn scratch(&self) -> Option<Scratch> {
        Scratch::in_dir(&self.dir).ok()
    }

    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error> {
        self.write_file(rel, [bytes])
    }

    fn write_pieces(
        &self,
        rel: &Path,
        pieces: &mut dyn Iterator<Item = String>,
    ) -> Result<(), Error> {
        self.write_file(rel, pieces)
    }

    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error> {
        let _gate = interrupt::gate();
        let path = self.path_of(rel)?;
        // Errors name the file in the output, not in the staging folder.
        let target = self.output.join(rel);
        let failed = |e| Error::io(IoAction::Write, &target, e);
        self.make_parent(&path).map_err(failed)?;
        self.prepare(&path).map_err(failed)?;
        crate::files::copy_regular(source, &path)
            .map_err(|e| Error::io(IoAction::CopyTo(target.clone()), source, e))?;
        self.touch(rel, None);
        Ok(())
    }

    fn write_made_from(
        &self,
        rel: &Path,
        bytes: &[u8],
        made_from: Option<u128>,
    ) -> Result<(), Error> {
        self.write(rel, bytes)?;
        if let (Some(store), Some(made_from)) = (&self.store, made_from) {
            store.add(rel, made_from, bytes, &self.dir.join(rel));
        }
        Ok(())
    }

    fn keep(&self, rel: &Path, identity: Option<u64>, made_from: u128) -> bool {
        let _gate = interrupt::gate();
        if self.link_previous(rel, identity) {
            if let Some(store) = &self.store {
                store.carry(rel, made_from, &self.dir.join(rel));
            }
            return true;
        }
        self.restore(rel, made_from)
    }

    fn identity(&self, rel: &Path) -> Option<u64> {
        self.touched.lock().unwrap_or_else(|e| e.into_inner()).get(rel).copied().flatten()
    }
}

impl Staging {
    /// Links the previous output's `rel` into the staging folder: the page is unchanged,
    /// and so is its file, which must still have the `identity` it was written with (a
    /// page edited or damaged in the output since is written again, and so is one
    /// reached through a link to any other file).
    fn link_previous(&self, rel: &Path, identity: Option<u64>) -> bool {
        if !self.previous_output {
            return false;
        }
        let Ok(path) = self.path_of(rel) else { return false };
        let previous = self.output.join(rel);
        // Only plain files of the previous output, never links that could point elsewhere.
        let Ok(meta) = std::fs::symlink_metadata(&previous) else { return false };
        if !meta.file_type().is_file() || identity != Some(file_id(&meta)) {
            return false;
        }
        // A recycled folder may hold the very file already (kept by the last build too):
        // nothing to write. Anywhere else, the folders are made real first.
        if std::fs::symlink_metadata(&path).is_ok_and(|there| same_file(&there, &meta)) {
            self.touch(rel, identity);
            return true;
        }
        if self.make_parent(&path).is_err() {
            return false;
        }
        let linked = match std::fs::symlink_metadata(&path) {
            Ok(there) => {
                remove(&path, &there).is_ok() && std::fs::hard_link(&previous, &path).is_ok()
            }
            Err(_) => std::fs::hard_link(&previous, &path).is_ok(),
        };
        if linked {
            self.touch(rel, identity);
        }
        linked
    }
}

impl Staging {
    /// Puts back from the store the file of `rel` made from `made_from`.
    fn restore(&self, rel: &Path, made_from: u128) -> bool {
        let Some(store) = &self.store else { return false };
        let Ok(path) = self.path_of(rel) else { return false };
        if self.make_parent(&path).is_err() {
            return false;
        }
        if std::fs::symlink_metadata(&path).is_err() {
            // Nothing in the way (a new output): straight into place.
            if !store.restore(rel, made_from, &path) {
                return false;
            }
            let identity = std::fs::symlink_metadata(&path).ok().map(|m| file_id(&m));
            self.touch(rel, identity);
            return true;
        }
        // Aside first: what stands at `path` (a file this build wrote already, say)
        // stays unless the store has the file to put there.
        let mut aside = std::ffi::OsString::from(".");
        aside.push(path.file_name().unwrap_or_default());
        aside.push(".verdict-restore");
        let aside = path.with_file_name(aside);
        if let Ok(there) = std::fs::symlink_metadata(&aside) {
            let _ = remove(&aside, &there);
        }
        if !store.restore(rel, made_from, &aside) {
            return false;
        }
        if let Some(there) = std::fs::symlink_metadata(&path).ok().filter(|m| m.is_dir()) {
            let _ = remove(&path, &there);
        }
        let renamed = std::fs::rename(&aside, &path).is_ok();
        // Renaming does nothing when both names are links to the same file already.
        let _ = std::fs::remove_file(&aside);
        if !renamed {
            return false;
        }
        let identity = std::fs::symlink_metadata(&path).ok().map(|m| file_id(&m));
        self.touch(rel, identity);
        true
    }
}

impl Drop for Staging {
    /// A failed build gives back the spare it took; a folder it made is removed, so
    /// that a build that fails leaves nothing new behind.
    fn drop(&mut self) {
        let _gate = interrupt::gate();
        self.registered = None;
        if !self.committed {
            if self.recycled {
                retire(&self.output, &self.dir);
            } else {
                let _ = std::fs::remove_dir_all(&self.dir);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_output_keeps_bytes_and_refuses_escapes() {
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
        // The replaced output is kept as the spare (the dropped staging folder is
        // gone): nothing else is left beside the output.
        let mut names: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".dist.verdict-spare", "dist"]);
    }

    /// Builds stage into the spare: files are rewritten in place, what the build does
    /// not write is pruned, and a file the spare shares with the output (a page an
    /// earlier build kept) is never changed through it.
    #[cfg(unix)]
    #[test]
    fn recycles_the_spare_without_touching_the_output() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
        let build = |files: &[(&str, &str)], kept: &[&str]| {
            let staging = Staging::create(&out).unwrap();
            for (rel, text) in files {
                staging.write(Path::new(rel), text.as_bytes()).unwrap();
            }
            for rel in kept {
                let id = file_id(&std::fs::symlink_metadata(out.join(rel)).unwrap());
                assert!(staging.keep(Path::new(rel), Some(id), 0), "{rel} kept");
            }
            staging.commit().unwrap();
        };
        build(&[("a/index.html", "a1"), ("b/index.html", "b1"), ("gone/index.html", "g")], &[]);
        build(&[("a/index.html", "a2")], &["b/index.html"]);
        // The spare is the first output; `b` is shared by the output and the spare's
        // successor only once the third build recycles it.
        let spare = tmp.path().join(".dist.verdict-spare");
        let reused = inode(&spare.join("a/index.html"));
        build(&[("a/index.html", "a3"), ("b/index.html", "b3"), ("c/x/index.html", "c3")], &[]);
        assert_eq!(inode(&out.join("a/index.html")), reused, "rewritten in place");
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "a3");
        assert_eq!(std::fs::read_to_string(out.join("b/index.html")).unwrap(), "b3");
        assert!(!out.join("gone").exists(), "pruned with its folder");
        assert!(out.join("c/x/index.html").is_file());
        // The previous output (now the spare) still has the `b` it was built with.
        assert_eq!(std::fs::read_to_string(spare.join("b/index.html")).unwrap(), "b1");

        // Keeping a page the spare already shares with the output costs nothing, and a
        // folder standing where a file goes (or the reverse) is replaced.
        build(&[("a/index.html", "a4"), ("b/index.html/x", "odd"), ("c", "file")], &[]);
        build(&[("a/index.html", "a5"), ("b/index.html", "b5"), ("c/x/index.html", "c5")], &[]);
        assert_eq!(std::fs::read_to_string(out.join("b/index.html")).unwrap(), "b5");
        assert_eq!(std::fs::read_to_string(out.join("c/x/index.html")).unwrap(), "c5");
        build(&[], &["a/index.html", "b/index.html"]);
        build(&[], &["a/index.html", "b/index.html"]);
        assert_eq!(inode(&spare.join("a/index.html")), inode(&out.join("a/index.html")));
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "a5");
        assert!(!out.join("c").exists());
    }

    #[cfg(unix)]
    #[test]
    fn pieces_are_written_in_turn_over_a_longer_file_and_into_a_new_one() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        let pieces = |texts: &[&str]| texts.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let build = |rel: &str, texts: &[&str]| {
            let staging = Staging::create(&out).unwrap();
            staging.write_pieces(Path::new(rel), &mut pieces(texts).into_iter()).unwrap();
            staging.commit().unwrap();
        };
        build("verdicts.json", &["{\"a\":[", "1,2,3,4,5,6", "]}"]);
        build("verdicts.json", &["{\"a\":[", "1,2,3,4,5,6", "]}"]);
        let spare = tmp.path().join(".dist.verdict-spare/verdicts.json");
        let inode = std::fs::metadata(&spare).unwrap().ino();
        // The third build recycles the first's folder: the file is written over in place.
        build("verdicts.json", &["[", "", "]"]);
        assert_eq!(std::fs::metadata(out.join("verdicts.json")).unwrap().ino(), inode);
        assert_eq!(std::fs::read_to_string(out.join("verdicts.json")).unwrap(), "[]");
        build("new/search.json", &[]);
        assert_eq!(std::fs::read_to_string(out.join("new/search.json")).unwrap(), "");
        // In memory, the pieces make one file.
        let memory = Memory::default();
        memory
            .write_pieces(Path::new("x.json"), &mut pieces(&["[", "1", "]"]).into_iter())
            .unwrap();
        assert_eq!(memory.into_files()[Path::new("x.json")], b"[1]");
    }

    /// A link named like the spare is never taken for it: the build neither writes into
    /// nor prunes the folder it points at.
    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_spare_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        let precious = tmp.path().join("precious");
        std::fs::create_dir(&precious).unwrap();
        std::fs::write(precious.join("keep.txt"), "mine").unwrap();
        std::os::unix::fs::symlink(&precious, tmp.path().join(".dist.verdict-spare")).unwrap();
        for round in 0..3 {
            let staging = Staging::create(&out).unwrap();
            staging.write(Path::new("a/index.html"), format!("{round}").as_bytes()).unwrap();
            staging.commit().unwrap();
        }
        let names: Vec<_> =
            std::fs::read_dir(&precious).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["keep.txt"], "nothing written into or pruned from the link's target");
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "2");
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
