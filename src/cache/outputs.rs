//! The output store: the files of the last build's output that a later build could keep
//! (pages, feeds, social cards, the full-text index), by what each was made from, so that a build into
//! an output that lacks them (a CI job that restored `.verdict-cache/` but starts with
//! no output, or a page deleted from the output) puts them back instead of rendering
//! them again.
//!
//! Each file is stored once under the hash of its bytes (`output/<hash>`), a hard link
//! to the file the build wrote where the cache and the output share a file system (a
//! copy elsewhere), and the index (`output.txt`) says, by output path, what the file
//! there was made from (the page's fingerprint, or the index file's hash) and the hash
//! of its bytes. An entry stands for any build of this binary: the same inputs make the
//! same bytes. A file is put back only if its bytes still have that hash (they are read
//! and hashed every time), so a file changed through a link (an output page edited in
//! place) is never put back; a build that writes the file again stores it anew.

use std::collections::{HashMap, HashSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use xxhash_rust::xxh3::xxh3_128;

/// The folder of the cache folder holding the stored files.
pub const OUTPUT_DIR: &str = "output";
/// The file of the cache folder holding the index of the stored files.
pub const OUTPUT_INDEX_FILE: &str = "output.txt";

/// By output path: what the file was made from, and the hash of its bytes.
type Index = HashMap<PathBuf, (u128, u128)>;

/// The files of the last build's output, and of this build's as it is written.
#[derive(Debug)]
pub struct OutputStore {
    /// The folder of the files (`.verdict-cache/output`).
    dir: PathBuf,
    /// The index file.
    index_path: PathBuf,
    /// What the last build saved.
    previous: Index,
    /// What this build wrote or kept.
    current: Mutex<Index>,
}

impl OutputStore {
    /// The store of the cache folder `cache_dir`, with the index the last build saved
    /// (none when it is unreadable or was written by another binary).
    pub fn open(cache_dir: &Path) -> OutputStore {
        let index_path = cache_dir.join(OUTPUT_INDEX_FILE);
        OutputStore {
            dir: cache_dir.join(OUTPUT_DIR),
            previous: load_index(&index_path).unwrap_or_default(),
            index_path,
            current: Mutex::default(),
        }
    }

    fn file_of(&self, content: u128) -> PathBuf {
        self.dir.join(format!("{content:032x}"))
    }

    fn record(&self, rel: &Path, made_from: u128, content: u128) {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        current.insert(rel.to_path_buf(), (made_from, content));
    }

    /// Stores `bytes`, just written to `written` as the output's `rel`, made from
    /// `made_from`. The stored file is always replaced by a link to `written`: a file
    /// of the same name may have been changed since through a link to it.
    pub fn add(&self, rel: &Path, made_from: u128, bytes: &[u8], written: &Path) {
        let content = xxh3_128(bytes);
        if self.put(&self.file_of(content), bytes, written) {
            self.record(rel, made_from, content);
        }
    }

    /// Makes `file` hold `bytes`: a link to `written`, which holds them, or a copy.
    fn put(&self, file: &Path, bytes: &[u8], written: &Path) -> bool {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return false;
        }
        let _ = std::fs::remove_file(file);
        match std::fs::hard_link(written, file) {
            Ok(()) => true,
            // Another thread stored the same bytes meanwhile (putting a file back
            // checks them anyway).
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => true,
            // Another file system: the bytes are copied, aside then renamed.
            Err(_) => super::file::replace(file, |out| std::io::Write::write_all(out, bytes)),
        }
    }

    /// Says that the output's `rel`, made from `made_from`, was kept from the last
    /// output as the file `kept`: it stays in the store (and is stored, if it was not).
    pub fn carry(&self, rel: &Path, made_from: u128, kept: &Path) {
        match self.previous.get(rel) {
            Some(&(from, content)) if from == made_from => self.record(rel, made_from, content),
            _ => {
                if let Some(bytes) = super::file::read(kept) {
                    self.add(rel, made_from, &bytes, kept);
                }
            }
        }
    }

    /// Puts the stored file of `rel` at `dest` (a path with nothing there), if the store
    /// holds one made from `made_from` whose bytes still have their hash: a hard link to
    /// the stored file, or a copy. Whether it did.
    pub fn restore(&self, rel: &Path, made_from: u128, dest: &Path) -> bool {
        let Some(&(from, content)) = self.previous.get(rel) else { return false };
        if from != made_from {
            return false;
        }
        let file = self.file_of(content);
        // Read and hashed every time: the stored file may share its bytes with an output
        // file changed in place since, whatever its size and times say.
        if hash_file(&file) != Some(content) {
            return false;
        }
        let restored = std::fs::hard_link(&file, dest).is_ok()
            || super::file::read(&file).is_some_and(|bytes| {
                xxh3_128(&bytes) == content && std::fs::write(dest, &bytes).is_ok()
            });
        if restored {
            self.record(rel, made_from, content);
        }
        restored
    }

    /// Saves the index of this build's files, then removes the stored files it does not
    /// name (those of older builds, and of builds that failed).
    pub fn save(self) {
        let current = self.current.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut entries: Vec<(&PathBuf, &(u128, u128))> = current.iter().collect();
        entries.sort();
        let saved = super::file::replace(&self.index_path, |out| {
            use std::io::Write as _;
            out.write_all(header().as_bytes())?;
            for (rel, (made_from, content)) in entries {
                let Some(rel) = rel.to_str().filter(|r| !r.contains('\n')) else { continue };
                writeln!(out, "{made_from:032x}\t{content:032x}\t{rel}")?;
            }
            Ok(())
        });
        if !saved {
            return;
        }
        let used: HashSet<String> =
            current.values().map(|(_, content)| format!("{content:032x}")).collect();
        let Ok(files) = std::fs::read_dir(&self.dir) else { return };
        for file in files.filter_map(Result::ok) {
            if !used.contains(file.file_name().to_string_lossy().as_ref()) {
                let _ = std::fs::remove_file(file.path());
            }
        }
    }
}

/// The first line of the index: what wrote it.
fn header() -> String {
    format!("verdict-output 1 {}\n", super::file::MADE_BY)
}

/// The index saved in `path`, if this very binary wrote it.
fn load_index(path: &Path) -> Option<Index> {
    let (file, _) = crate::files::open_regular_no_link(path).ok()?;
    let mut text = String::new();
    file.take(256 << 20).read_to_string(&mut text).ok()?;
    let body = text.strip_prefix(&header())?;
    let mut index = Index::new();
    for line in body.lines() {
        let mut fields = line.splitn(3, '\t');
        let (Some(made_from), Some(content), Some(rel)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return None;
        };
        let made_from = u128::from_str_radix(made_from, 16).ok()?;
        let content = u128::from_str_radix(content, 16).ok()?;
        index.insert(PathBuf::from(rel), (made_from, content));
    }
    Some(index)
}

/// The hash of the bytes of the regular file `path` (never read through a link), read
/// through a small buffer that stays in the processor's cache.
fn hash_file(path: &Path) -> Option<u128> {
    let (mut file, _) = crate::files::open_regular_no_link(path).ok()?;
    let mut buffer = [0u8; 32 << 10];
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return Some(hasher.digest128()),
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_back_what_it_stored_by_what_it_was_made_from() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let rel = Path::new("a/index.html");
        let written = out.join("a.html");
        std::fs::write(&written, "page").unwrap();
        let store = OutputStore::open(&cache);
        store.add(rel, 7, b"page", &written);
        store.save();

        let store = OutputStore::open(&cache);
        assert!(!store.restore(rel, 8, &out.join("other.html")), "made from something else");
        assert!(!store.restore(Path::new("b/index.html"), 7, &out.join("other.html")));
        assert!(store.restore(rel, 7, &out.join("back.html")));
        assert_eq!(std::fs::read_to_string(out.join("back.html")).unwrap(), "page");
        store.save();

        // The stored file changed through a link to it: never put back.
        std::fs::write(out.join("back.html"), "edit").unwrap();
        let store = OutputStore::open(&cache);
        assert!(!store.restore(rel, 7, &out.join("again.html")));
        assert!(!out.join("again.html").exists());
    }

    #[test]
    fn saving_drops_the_files_no_entry_names() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        let written = tmp.path().join("w");
        let store = OutputStore::open(&cache);
        for (rel, text) in [("a", "one"), ("b", "two")] {
            std::fs::write(&written, text).unwrap();
            store.add(Path::new(rel), 1, text.as_bytes(), &written);
            std::fs::remove_file(&written).unwrap();
        }
        store.save();
        assert_eq!(std::fs::read_dir(cache.join(OUTPUT_DIR)).unwrap().count(), 2);
        let store = OutputStore::open(&cache);
        store.carry(Path::new("a"), 1, Path::new("/nonexistent"));
        store.save();
        assert_eq!(std::fs::read_dir(cache.join(OUTPUT_DIR)).unwrap().count(), 1);
        let store = OutputStore::open(&cache);
        assert!(store.restore(Path::new("a"), 1, &tmp.path().join("a")));
        assert!(!store.restore(Path::new("b"), 1, &tmp.path().join("b")));
    }
}
