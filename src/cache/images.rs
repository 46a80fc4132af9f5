//! Copies of images made by earlier builds, by a hash of the original's bytes and the
//! copy's size and format: on disk under `images/` of the cache folder (`build`), in
//! memory (`serve`), or nowhere. A build that succeeds drops the copies it did not use
//! ([`VariantStore::prune`]); one that fails drops nothing.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A copy kept by an earlier build.
#[derive(Debug, Clone)]
pub enum Stored {
    /// A file of the cache folder.
    File(PathBuf),
    /// Bytes in memory.
    Bytes(Arc<Vec<u8>>),
}

/// Where made copies are kept, and which of them the current build used.
#[derive(Debug, Default)]
pub struct VariantStore {
    place: Place,
    /// The keys the current build looked up or stored.
    used: Mutex<HashSet<u128>>,
}

#[derive(Debug, Default)]
enum Place {
    /// Nowhere: every copy is made again.
    #[default]
    None,
    /// Files of this folder, named by key and extension.
    Disk(PathBuf),
    /// In memory for the life of the process.
    Memory(Mutex<HashMap<u128, Arc<Vec<u8>>>>),
}

impl VariantStore {
    /// A store that keeps nothing.
    pub fn none() -> VariantStore {
        VariantStore::default()
    }

    /// Files of the folder `dir`.
    pub fn on_disk(dir: PathBuf) -> VariantStore {
        VariantStore { place: Place::Disk(dir), used: Mutex::default() }
    }

    /// Bytes in memory, for the life of the process.
    pub fn memory() -> VariantStore {
        VariantStore { place: Place::Memory(Mutex::default()), used: Mutex::default() }
    }

    fn file(dir: &std::path::Path, key: u128, extension: &str) -> PathBuf {
        dir.join(format!("{key:032x}.{extension}"))
    }

    fn mark_used(&self, key: u128) {
        if !matches!(self.place, Place::None) {
            self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key);
        }
    }

    /// The copy kept under `key`, if any. The key counts as used by this build either
    /// way (a copy missing now is stored next).
    pub fn get(&self, key: u128, extension: &str) -> Option<Stored> {
        self.mark_used(key);
        match &self.place {
            Place::None => None,
            Place::Disk(dir) => {
                let path = Self::file(dir, key, extension);
                // A regular file of the cache folder, never a link.
                crate::files::open_regular_no_link(&path).ok().map(|_| Stored::File(path))
            }
            Place::Memory(map) => {
                map.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned().map(Stored::Bytes)
            }
        }
    }

    /// Keeps `bytes` under `key`.
    pub fn put(&self, key: u128, extension: &str, bytes: &[u8]) {
        self.mark_used(key);
        match &self.place {
            Place::None => {}
            Place::Disk(dir) => {
                crate::cache::file::replace(&Self::file(dir, key, extension), |out| {
                    out.write_all(bytes)
                });
            }
            Place::Memory(map) => {
                map.lock().unwrap_or_else(|e| e.into_inner()).insert(key, Arc::new(bytes.to_vec()));
            }
        }
    }

    /// Starts a build: no copy is used yet.
    pub fn start_build(&self) {
        self.used.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Drops every copy the build that just succeeded did not use (and, on disk, any
    /// other file of the folder).
    pub fn prune(&self) {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        match &self.place {
            Place::None => {}
            Place::Disk(dir) => {
                let Ok(entries) = std::fs::read_dir(dir) else { return };
                for entry in entries.filter_map(Result::ok) {
                    let name = entry.file_name();
                    let name = name.to_string_lossy();
                    let key = name.split('.').next().and_then(|k| u128::from_str_radix(k, 16).ok());
                    if key.is_none_or(|k| !used.contains(&k)) {
                        let _ = std::fs::remove_file(entry.path());
                    }
                }
            }
            Place::Memory(map) => {
                map.lock().unwrap_or_else(|e| e.into_inner()).retain(|k, _| used.contains(k));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_what_the_build_used() {
        let dir = tempfile::tempdir().unwrap();
        let store = VariantStore::on_disk(dir.path().join("images"));
        store.put(1, "png", b"one");
        store.put(2, "webp", b"two");
        store.start_build();
        assert!(matches!(store.get(1, "png"), Some(Stored::File(_))));
        store.prune();
        assert!(store.get(1, "png").is_some());
        assert!(store.get(2, "webp").is_none(), "not used by the last build");

        let memory = VariantStore::memory();
        memory.put(1, "png", b"one");
        memory.put(2, "png", b"two");
        memory.start_build();
        memory.put(3, "png", b"three");
        memory.prune();
        assert!(memory.get(1, "png").is_none());
        assert!(matches!(memory.get(3, "png"), Some(Stored::Bytes(b)) if b[..] == b"three"[..]));
    }
}
