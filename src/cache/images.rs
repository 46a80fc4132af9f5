//! Copies of images made by earlier builds, by a hash of the original's bytes and the
//! copy's size and format: on disk under `images/` of the cache folder (`build`), in
//! memory (`serve`), or nowhere.

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

/// Where made copies are kept.
#[derive(Debug, Default)]
pub enum VariantStore {
    /// Nowhere: every copy is made again.
    #[default]
    None,
    /// Files of this folder, named by key and extension.
    Disk(PathBuf),
    /// In memory for the life of the process.
    Memory(Mutex<HashMap<u128, Arc<Vec<u8>>>>),
}

impl VariantStore {
    fn file(dir: &std::path::Path, key: u128, extension: &str) -> PathBuf {
        dir.join(format!("{key:032x}.{extension}"))
    }

    /// The copy kept under `key`, if any.
    pub fn get(&self, key: u128, extension: &str) -> Option<Stored> {
        match self {
            VariantStore::None => None,
            VariantStore::Disk(dir) => {
                let path = Self::file(dir, key, extension);
                // A regular file of the cache folder, never a link.
                crate::files::open_regular_no_link(&path).ok().map(|_| Stored::File(path))
            }
            VariantStore::Memory(map) => {
                map.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned().map(Stored::Bytes)
            }
        }
    }

    /// Keeps `bytes` under `key`.
    pub fn put(&self, key: u128, extension: &str, bytes: &[u8]) {
        match self {
            VariantStore::None => {}
            VariantStore::Disk(dir) => {
                crate::cache::file::replace(&Self::file(dir, key, extension), |out| {
                    out.write_all(bytes)
                });
            }
            VariantStore::Memory(map) => {
                map.lock().unwrap_or_else(|e| e.into_inner()).insert(key, Arc::new(bytes.to_vec()));
            }
        }
    }

    /// Drops every copy but those under `used`.
    pub fn retain(&self, used: &HashSet<u128>) {
        match self {
            VariantStore::None => {}
            VariantStore::Disk(dir) => {
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
            VariantStore::Memory(map) => {
                map.lock().unwrap_or_else(|e| e.into_inner()).retain(|k, _| used.contains(k));
            }
        }
    }
}
