//! The output store: the files of the last build's output that a later build could keep
//! (pages, feeds, the full-text index), by what each was made from, so that a build into
//! an output that lacks them (a CI job that restored `.verdict-cache/` but starts with
//! no output, or a page deleted from the output) puts them back instead of rendering
//! them again.
//!
//! Each file is stored once under the hash of its bytes (`output/<hash>`), a hard link
//! to the file the build wrote where the cache and the output share a file system (a
//! copy elsewhere), and the index (`output.txt`) says, by output path, what the file
//! there was made from (the page's fingerprint, or the index file's hash) and the hash
//! of its bytes. An entry stands for any build of this binary: the same inputs make the
//! same bytes. A file is put back only if its bytes still have that hash, so a file
//! changed through a link (an output page edited in place) is never put back.

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

/// A stored file's length and modification time, as a build that knew its bytes saw it.
type Stamp = (u64, i128);

/// Stamps of stored files, by the hash of their bytes.
type Stamps = HashMap<u128, Stamp>;

/// The files of the last build's output, and of this build's as it is written.
#[derive(Debug)]
pub struct OutputStore {
    /// The folder of the files (`.verdict-cache/output`).
    dir: PathBuf,
    /// The index file.
    index_path: PathBuf,
    /// What the last build saved.
    previous: Index,
    /// The stamps of the files the last build knew the bytes of.
    stamps: Stamps,
    /// What this build wrote or kept, and the stamps of the files it knows the bytes of.
    current: Mutex<(Index, Stamps)>,
}

impl OutputStore {
    /// The store of the cache folder `cache_dir`, with the index the last build saved
    /// (none when it is unreadable or was written by another binary).
    pub fn open(cache_dir: &Path) -> OutputStore {
        let index_path = cache_dir.join(OUTPUT_INDEX_FILE);
        let (previous, stamps) = load_index(&index_path).unwrap_or_default();
        OutputStore {
            dir: cache_dir.join(OUTPUT_DIR),
            previous,
            stamps,
            index_path,
            current: Mutex::default(),
        }
    }

    fn file_of(&self, content: u128) -> PathBuf {
        self.dir.join(format!("{content:032x}"))
    }

    /// Records this build's file `rel`, and the stamp of its stored file when the build
    /// knows its bytes (else the last build's stamp, which holds only while the file
    /// is unchanged).
    fn record(&self, rel: &Path, made_from: u128, content: u128, stamp: Option<Stamp>) {
        let stamp = stamp.or_else(|| self.stamps.get(&content).copied());
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        current.0.insert(rel.to_path_buf(), (made_from, content));
        if let Some(stamp) = stamp {
            current.1.insert(content, stamp);
        }
    }

    /// The stamp of the stored file `file`.
    fn stamp(file: &Path) -> Option<Stamp> {
        std::fs::symlink_metadata(file).ok().filter(|m| m.is_file()).map(|m| stamp_of(&m))
    }

    /// Stores `bytes`, just written to `written` as the output's `rel`, made from
    /// `made_from`.
    pub fn add(&self, rel: &Path, made_from: u128, bytes: &[u8], written: &Path) {
        let content = xxh3_128(bytes);
        let file = self.file_of(content);
        // The same bytes are stored already, unless the file there was changed since
        // through a link (then its length tells, mostly; putting back checks the hash).
        let stored = std::fs::symlink_metadata(&file)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        if stored {
            self.record(rel, made_from, content, None);
        } else if self.put(&file, bytes, written) {
            self.record(rel, made_from, content, Self::stamp(&file));
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
            // Another thread stored the same bytes meanwhile.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => true,
            // Another file system: the bytes are copied, aside then renamed.
            Err(_) => super::file::replace(file, |out| std::io::Write::write_all(out, bytes)),
        }
    }

    /// Says that the output's `rel`, made from `made_from`, was kept from the last
    /// output as the file `kept`: it stays in the store (and is stored, if it was not).
    pub fn carry(&self, rel: &Path, made_from: u128, kept: &Path) {
        match self.previous.get(rel) {
            Some(&(from, content)) if from == made_from => {
                self.record(rel, made_from, content, None)
            }
            _ => {
                if let Some(bytes) = read_file(kept) {
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
        // The stored file as the last build left it (its length and modification time)
        // is linked without reading it; any other is read, and used only if its bytes
        // have the hash it is stored under.
        let unchanged = self.stamps.get(&content).is_some_and(|&stamp| {
            std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file() && stamp_of(&m) == stamp)
        });
        if unchanged && std::fs::hard_link(&file, dest).is_ok() {
            self.record(rel, made_from, content, None);
            return true;
        }
        let Some(bytes) = read_file(&file) else { return false };
        if xxh3_128(&bytes) != content {
            return false;
        }
        let restored =
            std::fs::hard_link(&file, dest).is_ok() || std::fs::write(dest, &bytes).is_ok();
        if restored {
            self.record(rel, made_from, content, Self::stamp(&file));
        }
        restored
    }

    /// Saves the index of this build's files, then removes the stored files it does not
    /// name (those of older builds, and of builds that failed).
    pub fn save(self) {
        let (current, stamps) = self.current.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut entries: Vec<(&PathBuf, &(u128, u128))> = current.iter().collect();
        entries.sort();
        let saved = super::file::replace(&self.index_path, |out| {
            use std::io::Write as _;
            out.write_all(header().as_bytes())?;
            for (rel, (made_from, content)) in entries {
                let Some(rel) = rel.to_str().filter(|r| !r.contains('\n')) else { continue };
                match stamps.get(content) {
                    Some((len, time)) => {
                        writeln!(out, "{made_from:032x}\t{content:032x}\t{len}:{time}\t{rel}")?
                    }
                    None => writeln!(out, "{made_from:032x}\t{content:032x}\t-\t{rel}")?,
                }
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
fn load_index(path: &Path) -> Option<(Index, Stamps)> {
    let (file, _) = crate::files::open_regular_no_link(path).ok()?;
    let mut text = String::new();
    file.take(256 << 20).read_to_string(&mut text).ok()?;
    let body = text.strip_prefix(&header())?;
    let mut index = Index::new();
    let mut stamps = Stamps::new();
    for line in body.lines() {
        let mut fields = line.splitn(4, '\t');
        let (Some(made_from), Some(content), Some(stamp), Some(rel)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return None;
        };
        let made_from = u128::from_str_radix(made_from, 16).ok()?;
        let content = u128::from_str_radix(content, 16).ok()?;
        if let Some((len, time)) = stamp.split_once(':') {
            stamps.insert(content, (len.parse().ok()?, time.parse().ok()?));
        }
        index.insert(PathBuf::from(rel), (made_from, content));
    }
    Some((index, stamps))
}

/// A file's length and modification time (in nanoseconds).
fn stamp_of(meta: &std::fs::Metadata) -> Stamp {
    let time = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    (meta.len(), time.map_or(-1, |d| d.as_nanos() as i128))
}

/// The bytes of the regular file `path` (never read through a link).
fn read_file(path: &Path) -> Option<Vec<u8>> {
    let (mut file, meta) = crate::files::open_regular_no_link(path).ok()?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
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
