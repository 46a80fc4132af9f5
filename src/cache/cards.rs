//! Drawn social cards, by the hash of their SVG: `.verdict-cache/cards/<hash>.png`.
//!
//! The hash covers the binary that drew the card ([`super::file::MADE_BY`]: its fonts and
//! renderer) and the SVG text. Each file holds a hash of its PNG bytes before them; one
//! that fails it, or is not a regular file, is never used (and is drawn and written
//! again). Files are written aside and renamed into place.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// The folder of the cache folder holding the cards.
pub const CARDS_DIR: &str = "cards";

/// The largest card file read back.
const MAX_CARD_BYTES: u64 = 16 << 20;

/// Cards drawn by earlier builds, on disk.
#[derive(Debug, Clone)]
pub struct CardStore {
    dir: PathBuf,
}

impl CardStore {
    /// The store of the cache folder `cache_dir`.
    pub fn on_disk(cache_dir: &Path) -> CardStore {
        CardStore { dir: cache_dir.join(CARDS_DIR) }
    }

    fn path(&self, svg: &str) -> PathBuf {
        let mut hasher = Xxh3::new();
        hasher.update(super::file::MADE_BY.as_bytes());
        hasher.update(&[0]);
        hasher.update(svg.as_bytes());
        self.dir.join(format!("{:032x}.png", hasher.digest128()))
    }

    /// The PNG drawn from `svg` by this binary, when a build stored it.
    pub fn get(&self, svg: &str) -> Option<Vec<u8>> {
        let (file, _) = crate::files::open_regular_no_link(&self.path(svg)).ok()?;
        let mut bytes = Vec::new();
        file.take(MAX_CARD_BYTES).read_to_end(&mut bytes).ok()?;
        if bytes.len() < 16 {
            return None;
        }
        let png = bytes.split_off(16);
        (bytes[..] == xxh3_128(&png).to_le_bytes()[..]).then_some(png)
    }

    /// Stores the PNG drawn from `svg`; a failure only costs the next build a drawing.
    pub fn put(&self, svg: &str, png: &[u8]) {
        super::file::replace(&self.path(svg), |out| {
            out.write_all(&xxh3_128(png).to_le_bytes())?;
            out.write_all(png)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_cards_by_svg_and_refuses_damaged_ones() {
        let dir = tempfile::tempdir().unwrap();
        let store = CardStore::on_disk(dir.path());
        assert_eq!(store.get("<svg/>"), None);
        store.put("<svg/>", b"\x89PNG data");
        assert_eq!(store.get("<svg/>").as_deref(), Some(&b"\x89PNG data"[..]));
        assert_eq!(store.get("<svg />"), None);
        let path = store.path("<svg/>");
        let mut bytes = std::fs::read(&path).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(store.get("<svg/>"), None, "a damaged file is not used");
    }
}
