//! Highlighted code blocks, by a 128-bit hash of their language and code
//! (`markdown::highlight::block_key`). Their classes name the colours of the code themes
//! (`markdown::code_styles`), so the cache file names the themes it was made with, and
//! a build with others does not use it.
//!
//! The cache file is the header line, then one entry after another: key (16 bytes),
//! length of the HTML (4), a 64-bit hash of the HTML (8), the HTML. An entry whose HTML
//! does not match its hash (a damaged file) is never used and is dropped on save.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// Where highlighted blocks are kept.
pub struct CodeStore(Kept);

/// The modes of a [`CodeStore`].
enum Kept {
    /// Not kept: every block is highlighted (`--no-cache`).
    None,
    /// Kept in memory for the life of the process (`serve`).
    Memory(RwLock<HashMap<u128, Arc<str>>>),
    /// Kept in a file under the site's cache folder and read back on demand, so a large
    /// site's highlighted code never sits in memory all at once.
    Disk(Mutex<DiskCache>),
}

/// Where an entry's HTML sits in a cache file: offset, length and hash.
type Slot = (u64, u32, u64);

/// Where an entry of the previous cache file sits; `used` says "used by this build".
#[derive(Clone, Copy)]
struct OldSlot {
    slot: Slot,
    used: bool,
}

/// An open cache file with the slot of every key.
type OldCache = (File, HashMap<u128, OldSlot>);

/// This build's temporary file: handle, slots, end offset.
type NewCache = (File, HashMap<u128, Slot>, u64);

/// The cache file of the previous build, and what this build adds.
struct DiskCache {
    dir: PathBuf,
    /// The first line of the cache file: the binary and the code themes.
    header: String,
    /// The previous cache file and where each entry sits in it; the flag says "used".
    old: Option<OldCache>,
    /// Blocks highlighted by this build, appended to a temporary file as they come: an
    /// unnamed one (`tempfile::tempfile_in`), which the system removes when it is closed,
    /// however the build ends.
    new: Option<NewCache>,
}

/// First line of the cache file; a file from another version, or made for other code
/// themes, is ignored.
fn cache_header(themes: &str) -> String {
    format!("verdict-highlight-cache 4 {} {themes}\n", super::file::MADE_BY)
}

pub(crate) const CACHE_FILE: &str = "highlight.bin";

/// Bytes of an entry before its HTML: key, length, hash.
const ENTRY_HEAD: usize = 28;

/// The HTML of the entry at `slot`, when its bytes still have the hash they were saved
/// with.
fn read_at(file: &mut File, (offset, len, hash): Slot) -> Option<String> {
    let mut bytes = vec![0; len as usize];
    file.seek(SeekFrom::Start(offset)).ok()?;
    file.read_exact(&mut bytes).ok()?;
    if xxhash_rust::xxh3::xxh3_64(&bytes) != hash {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// Reads the index of a cache file: every key with the offset and length of its HTML.
fn read_index(file: &mut File, header: &str) -> Option<HashMap<u128, OldSlot>> {
    let mut reader = BufReader::new(&mut *file);
    let mut head = vec![0; header.len()];
    reader.read_exact(&mut head).ok()?;
    if head != header.as_bytes() {
        return None;
    }
    let mut index = HashMap::new();
    let mut offset = header.len() as u64;
    let mut entry = [0u8; ENTRY_HEAD];
    while reader.read_exact(&mut entry).is_ok() {
        let key = u128::from_le_bytes(entry[..16].try_into().expect("16 bytes"));
        let len = u32::from_le_bytes(entry[16..20].try_into().expect("4 bytes"));
        let hash = u64::from_le_bytes(entry[20..].try_into().expect("8 bytes"));
        let slot = (offset + ENTRY_HEAD as u64, len, hash);
        index.insert(key, OldSlot { slot, used: false });
        reader.seek_relative(i64::from(len)).ok()?;
        offset += ENTRY_HEAD as u64 + u64::from(len);
    }
    Some(index)
}

impl DiskCache {
    fn open(dir: &Path, themes: &str) -> DiskCache {
        let header = cache_header(themes);
        // A regular file, not a link: verdict alone writes the cache folder.
        let opened = crate::files::open_regular_no_link(&dir.join(CACHE_FILE)).ok();
        let old = opened.and_then(|(mut file, _)| {
            let index = read_index(&mut file, &header)?;
            Some((file, index))
        });
        DiskCache { dir: dir.to_path_buf(), header, old, new: None }
    }

    fn get(&mut self, key: u128) -> Option<Arc<str>> {
        if let Some((file, index, _)) = &mut self.new {
            if let Some(&slot) = index.get(&key) {
                return read_at(file, slot).map(Arc::from);
            }
        }
        let (file, index) = self.old.as_mut()?;
        let slot = index.get(&key)?.slot;
        match read_at(file, slot) {
            Some(html) => {
                index.insert(key, OldSlot { slot, used: true });
                Some(Arc::from(html))
            }
            None => {
                // Damaged: highlighted again, and saved anew.
                index.remove(&key);
                None
            }
        }
    }

    fn insert(&mut self, key: u128, html: &str) {
        if self.new.is_none() {
            if std::fs::create_dir_all(&self.dir).is_err() {
                return;
            }
            let Ok(file) = tempfile::tempfile_in(&self.dir) else { return };
            self.new = Some((file, HashMap::new(), 0));
        }
        let Some((file, index, end)) = &mut self.new else { return };
        let ok =
            file.seek(SeekFrom::Start(*end)).is_ok() && file.write_all(html.as_bytes()).is_ok();
        if ok {
            let hash = xxhash_rust::xxh3::xxh3_64(html.as_bytes());
            index.insert(key, (*end, html.len() as u32, hash));
            *end += html.len() as u64;
        }
    }

    /// Writes the blocks used by this build as the new cache file, when anything changed.
    fn save(&mut self) {
        let unused = self.old.as_ref().is_some_and(|(_, index)| index.values().any(|s| !s.used));
        let Some((mut new_file, new_index, _)) = self.new.take() else {
            if !unused {
                return;
            }
            return self.write(None);
        };
        self.write(Some((&mut new_file, &new_index)));
    }

    fn write(&mut self, new: Option<(&mut File, &HashMap<u128, Slot>)>) {
        // An entry whose bytes no longer match their hash is left out.
        let copy = |key: u128, source: &mut File, slot: Slot, out: &mut BufWriter<File>| {
            let Some(html) = read_at(source, slot) else { return Ok(()) };
            out.write_all(&key.to_le_bytes())?;
            out.write_all(&slot.1.to_le_bytes())?;
            out.write_all(&slot.2.to_le_bytes())?;
            out.write_all(html.as_bytes())
        };
        let old = &mut self.old;
        let header = &self.header;
        super::file::replace(&self.dir.join(CACHE_FILE), |out| {
            out.write_all(header.as_bytes())?;
            if let Some((file, index)) = old {
                let mut used: Vec<(u128, Slot)> =
                    index.iter().filter(|(_, s)| s.used).map(|(k, s)| (*k, s.slot)).collect();
                used.sort_by_key(|e| e.1.0);
                for (key, slot) in used {
                    copy(key, file, slot, out)?;
                }
            }
            if let Some((file, index)) = new {
                let mut entries: Vec<(&u128, &Slot)> = index.iter().collect();
                entries.sort_by_key(|e| e.1.0);
                for (key, slot) in entries {
                    copy(*key, file, *slot, out)?;
                }
            }
            Ok(())
        });
        super::file::replace(&self.dir.join(".gitignore"), |out| out.write_all(b"*\n"));
    }
}

impl CodeStore {
    /// Not kept: every block is highlighted.
    pub fn none() -> CodeStore {
        CodeStore(Kept::None)
    }

    /// Kept in memory for the life of the process.
    pub fn memory() -> CodeStore {
        CodeStore(Kept::Memory(RwLock::default()))
    }

    /// Kept in `dir` between builds, reading what an earlier build saved there for the
    /// same code `themes` (their names, light then dark). A missing, damaged or outdated
    /// file is ignored: the cache only ever saves work.
    pub fn on_disk(dir: &Path, themes: &str) -> CodeStore {
        CodeStore(Kept::Disk(Mutex::new(DiskCache::open(dir, themes))))
    }

    /// The HTML kept under `key`.
    pub fn get(&self, key: u128) -> Option<Arc<str>> {
        match &self.0 {
            Kept::None => None,
            Kept::Memory(map) => map.read().unwrap_or_else(|e| e.into_inner()).get(&key).cloned(),
            Kept::Disk(cache) => cache.lock().unwrap_or_else(|e| e.into_inner()).get(key),
        }
    }

    /// Keeps `html` under `key`.
    pub fn insert(&self, key: u128, html: &Arc<str>) {
        match &self.0 {
            Kept::None => {}
            Kept::Memory(map) => {
                map.write().unwrap_or_else(|e| e.into_inner()).insert(key, Arc::clone(html));
            }
            Kept::Disk(cache) => {
                cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, html);
            }
        }
    }

    /// Says that the blocks under `keys` are still in the site, though this build did not
    /// need them (their pages were kept): the cache keeps them.
    pub fn still_used(&self, keys: impl Iterator<Item = u128>) {
        if let Kept::Disk(cache) = &self.0 {
            let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, index)) = &mut cache.old {
                for key in keys {
                    if let Some(slot) = index.get_mut(&key) {
                        slot.used = true;
                    }
                }
            }
        }
    }

    /// How many blocks the file read at the start held.
    #[cfg(test)]
    pub(crate) fn loaded_entries(&self) -> usize {
        match &self.0 {
            Kept::Disk(cache) => {
                let cache = cache.lock().unwrap_or_else(|e| e.into_inner());
                cache.old.as_ref().map_or(0, |(_, index)| index.len())
            }
            _ => 0,
        }
    }

    /// Saves the blocks used by this build (highlighted, looked up, or declared
    /// [`still_used`](Self::still_used)), when anything changed. Blocks no longer used
    /// are dropped.
    pub fn save(&self) {
        if let Kept::Disk(cache) = &self.0 {
            cache.lock().unwrap_or_else(|e| e.into_inner()).save();
        }
    }
}
