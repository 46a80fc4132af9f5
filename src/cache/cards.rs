//! Drawn social cards, by the hash of their SVG: `.verdict-cache/cards/<hash>.png`.
//!
//! The hash covers the binary that drew the card ([`super::file::MADE_BY`]: its fonts and
//! renderer) and the SVG text. Each file holds a hash of its PNG bytes before them; one
//! that fails it, or is not a regular file, is never used (and is drawn and written
//! again). Files are written aside and renamed into place.
//!
//! A build that succeeds drops the cards it did not use ([`CardStore::save`]). A card
//! kept in the output by its fingerprint is not looked up, so `cards.txt` (headed by
//! [`super::file::MADE_BY`]) names each card's file by its output path: a kept card
//! keeps the file the last build named for it.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// The folder of the cache folder holding the cards.
pub const CARDS_DIR: &str = "cards";

/// The file of the cards folder naming the card file of each output path.
const USED_FILE: &str = "cards.txt";

/// The largest card file read back.
const MAX_CARD_BYTES: u64 = 16 << 20;

/// Cards drawn by earlier builds, on disk.
#[derive(Debug)]
pub struct CardStore {
    dir: PathBuf,
    /// By output path, the card file of the last build that succeeded.
    previous: HashMap<String, u128>,
    /// By output path, the card file of this build.
    used: Mutex<HashMap<String, u128>>,
}

impl CardStore {
    /// The store of the cache folder `cache_dir`.
    pub fn on_disk(cache_dir: &Path) -> CardStore {
        let dir = cache_dir.join(CARDS_DIR);
        let previous = read_used(&dir.join(USED_FILE)).unwrap_or_default();
        CardStore { dir, previous, used: Mutex::default() }
    }

    fn key(svg: &str) -> u128 {
        let mut hasher = Xxh3::new();
        hasher.update(super::file::MADE_BY.as_bytes());
        hasher.update(&[0]);
        hasher.update(svg.as_bytes());
        hasher.digest128()
    }

    fn path(&self, key: u128) -> PathBuf {
        self.dir.join(format!("{key:032x}.png"))
    }

    fn use_key(&self, rel: &str, key: u128) {
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_string(), key);
    }

    /// The PNG drawn from `svg` by this binary, when a build stored it; the card of
    /// `rel` either way (a card missing now is stored next).
    pub fn get(&self, rel: &str, svg: &str) -> Option<Vec<u8>> {
        let key = Self::key(svg);
        self.use_key(rel, key);
        let (file, _) = crate::files::open_regular_no_link(&self.path(key)).ok()?;
        let mut bytes = Vec::new();
        file.take(MAX_CARD_BYTES).read_to_end(&mut bytes).ok()?;
        if bytes.len() < 16 {
            return None;
        }
        let png = bytes.split_off(16);
        (bytes[..] == xxh3_128(&png).to_le_bytes()[..]).then_some(png)
    }

    /// Stores the PNG drawn from `svg`, the card of `rel`; a failure only costs the next
    /// build a drawing.
    pub fn put(&self, rel: &str, svg: &str, png: &[u8]) {
        let key = Self::key(svg);
        self.use_key(rel, key);
        super::file::replace(&self.path(key), |out| {
            out.write_all(&xxh3_128(png).to_le_bytes())?;
            out.write_all(png)
        });
    }

    /// The card of `rel` is the one the last build made (kept in the output by its
    /// fingerprint, so not looked up): its file stays.
    pub fn kept(&self, rel: &str) {
        if let Some(&key) = self.previous.get(rel) {
            self.use_key(rel, key);
        }
    }

    /// After a build that succeeded: names the files of its cards in `cards.txt` and
    /// deletes every other file of the folder.
    pub fn save(&self) {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let mut entries: Vec<(&String, &u128)> = used.iter().collect();
        entries.sort();
        let saved = super::file::replace(&self.dir.join(USED_FILE), |out| {
            writeln!(out, "verdict-cards 1 {}", super::file::MADE_BY)?;
            for (rel, key) in entries {
                writeln!(out, "{key:032x}\t{rel}")?;
            }
            Ok(())
        });
        if !saved {
            // Without the list, the next build would not know the files of kept cards.
            return;
        }
        let keep: std::collections::HashSet<u128> = used.values().copied().collect();
        let Ok(files) = std::fs::read_dir(&self.dir) else { return };
        for file in files.filter_map(Result::ok) {
            let name = file.file_name();
            let name = name.to_string_lossy();
            if name == USED_FILE {
                continue;
            }
            let key = name.strip_suffix(".png").and_then(|k| u128::from_str_radix(k, 16).ok());
            if key.is_none_or(|k| !keep.contains(&k)) {
                let _ = std::fs::remove_file(file.path());
            }
        }
    }
}

/// The card files of the last build, by output path, when this very binary wrote the
/// list.
fn read_used(path: &Path) -> Option<HashMap<String, u128>> {
    let (file, _) = crate::files::open_regular_no_link(path).ok()?;
    let mut text = String::new();
    file.take(64 << 20).read_to_string(&mut text).ok()?;
    let mut lines = text.lines();
    if lines.next()? != format!("verdict-cards 1 {}", super::file::MADE_BY) {
        return None;
    }
    lines
        .map(|line| {
            let (key, rel) = line.split_once('\t')?;
            Some((rel.to_string(), u128::from_str_radix(key, 16).ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_cards_by_svg_and_refuses_damaged_ones() {
        let dir = tempfile::tempdir().unwrap();
        let store = CardStore::on_disk(dir.path());
        assert_eq!(store.get("a.png", "<svg/>"), None);
        store.put("a.png", "<svg/>", b"\x89PNG data");
        assert_eq!(store.get("a.png", "<svg/>").as_deref(), Some(&b"\x89PNG data"[..]));
        assert_eq!(store.get("a.png", "<svg />"), None);
        let path = store.path(CardStore::key("<svg/>"));
        let mut bytes = std::fs::read(&path).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(store.get("a.png", "<svg/>"), None, "a damaged file is not used");
    }

    #[test]
    fn save_keeps_the_cards_of_the_build_and_of_kept_pages() {
        let dir = tempfile::tempdir().unwrap();
        let first = CardStore::on_disk(dir.path());
        first.put("a.png", "<svg>a</svg>", b"a");
        first.put("b.png", "<svg>b</svg>", b"b");
        first.put("c.png", "<svg>c</svg>", b"c");
        first.save();
        // The next build keeps `a.png` by its fingerprint, draws `b.png` anew and has
        // no `c.png`.
        let second = CardStore::on_disk(dir.path());
        second.kept("a.png");
        assert_eq!(second.get("b.png", "<svg>b2</svg>"), None);
        second.put("b.png", "<svg>b2</svg>", b"b2");
        second.save();
        let third = CardStore::on_disk(dir.path());
        assert_eq!(third.get("a.png", "<svg>a</svg>").as_deref(), Some(&b"a"[..]));
        assert_eq!(third.get("b.png", "<svg>b2</svg>").as_deref(), Some(&b"b2"[..]));
        assert_eq!(third.get("b.png", "<svg>b</svg>"), None, "replaced");
        assert_eq!(third.get("c.png", "<svg>c</svg>"), None, "no longer a card");
        let files = std::fs::read_dir(dir.path().join(CARDS_DIR)).unwrap().count();
        assert_eq!(files, 3, "two cards and the list");
    }
}
