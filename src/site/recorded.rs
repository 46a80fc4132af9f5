//! An output that records every path written to (or kept in) the output it wraps: for
//! the links to the site's own pages, for static files that would take a generated
//! file's place, and for the next build, which most likely writes the same paths.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::error::Error;
use crate::locks::Sharded;
use crate::site::scratch::Scratch;
use crate::site::site_links::{OutputPaths, output_key};
use crate::site::write::Output;

/// The paths a build wrote, with their hash (the same for the same paths in any order).
#[derive(Debug, Default, Clone)]
pub struct WrittenPaths {
    /// Every path written or kept.
    pub paths: OutputPaths,
    /// The sum of the paths' hashes (128-bit xxh3 of each path).
    pub hash: u128,
    /// The sum of the hashes of the paths in the folder set apart (see [`Self::new`]).
    pub apart: u128,
    /// The place of each path in `paths`, by its hash: a lookup that reads no path (the
    /// paths' text lies all over memory, and a rebuild looks up every one).
    places: FxHashMap<u128, u32>,
}

impl WrittenPaths {
    /// The set of `paths`, with the hashes of those in the folder `apart` summed apart
    /// too.
    pub fn new(paths: OutputPaths, apart: &str) -> WrittenPaths {
        let in_apart = |path: &str| path.strip_prefix(apart).is_some_and(|p| p.starts_with('/'));
        let (mut hash, mut apart_hash) = (0u128, 0u128);
        let mut places = FxHashMap::with_capacity_and_hasher(paths.len(), Default::default());
        for (place, path) in (0..).zip(&paths) {
            let path_hash = path_hash(path);
            hash = hash.wrapping_add(path_hash);
            if in_apart(path) {
                apart_hash = apart_hash.wrapping_add(path_hash);
            }
            places.insert(path_hash, place);
        }
        WrittenPaths { paths, hash, apart: apart_hash, places }
    }

    /// The place in [`paths`](Self::paths) of `key` (as [`output_key`] gives it).
    pub fn place(&self, key: &str) -> Option<usize> {
        self.place_of(path_hash(key))
    }

    /// The place of the path whose hash ([`path_hash`]) is `hash`.
    fn place_of(&self, hash: u128) -> Option<usize> {
        self.places.get(&hash).map(|&place| place as usize)
    }

    /// Whether `key` (as [`output_key`] gives it) is one of the paths.
    pub fn contains(&self, key: &str) -> bool {
        self.places.contains_key(&path_hash(key))
    }
}

/// An output that remembers every path written to (or kept in) the output it wraps.
///
/// A build mostly writes the paths the last one did: those are only marked in the last
/// build's set, which is handed on as it is when every one of them was written again and
/// no other. Any other path goes in a set of its own, split in parts by its hash (pages
/// are recorded from every thread at once).
pub struct Recorded<'a> {
    output: &'a dyn Output,
    /// The last build's paths, and which of them this build wrote, a bit each.
    last: Arc<WrittenPaths>,
    marked: Box<[AtomicU64]>,
    /// The paths the last build did not write, in parts by their hash.
    new: Sharded<OutputPaths>,
    /// Paths written a second time, in order: a static file over a generated page.
    again: Mutex<Vec<PathBuf>>,
}

/// How many parts [`Recorded`] splits the paths new since the last build into.
const NEW_PATH_SHARDS: usize = 16;

impl<'a> Recorded<'a> {
    /// Wraps `output`; `last` is the last build's paths, which this build most likely
    /// writes again (any set will do, an empty one too).
    pub fn after(output: &'a dyn Output, last: Arc<WrittenPaths>) -> Recorded<'a> {
        let marked = (0..last.paths.len().div_ceil(64)).map(|_| AtomicU64::new(0)).collect();
        let new = Sharded::new(NEW_PATH_SHARDS, OutputPaths::default);
        Recorded { output, last, marked, new, again: Mutex::default() }
    }

    /// Whether the path at `index` of the last build's set was marked.
    fn is_marked(&self, index: usize) -> bool {
        marked(&self.marked, index)
    }

    /// Whether every path of the last build's set was marked.
    fn all_marked(&self) -> bool {
        let count: usize =
            self.marked.iter().map(|w| w.load(Ordering::Relaxed).count_ones() as usize).sum();
        count == self.last.paths.len()
    }

    /// Every path written, relative to the output, and their hash (with those of the
    /// paths in the folder `apart` summed apart too): the last build's very set (made
    /// with the same `apart`) when the paths are the same.
    pub fn into_paths(self, apart: &str) -> Arc<WrittenPaths> {
        let all_marked = self.all_marked();
        let Recorded { last, marked: bits, new, .. } = self;
        let new: Vec<OutputPaths> = new.into_parts().collect();
        if all_marked && new.iter().all(OutputPaths::is_empty) {
            return last;
        }
        let kept = last.paths.iter().enumerate().filter(|&(i, _)| marked(&bits, i));
        let mut paths: OutputPaths = kept.map(|(_, path)| path.clone()).collect();
        new.into_iter().for_each(|new| paths.extend(new));
        Arc::new(WrittenPaths::new(paths, apart))
    }

    /// Whether `rel` was written (or kept) so far.
    pub fn contains(&self, rel: &Path) -> bool {
        let key = output_key(rel);
        match self.last.place(&key) {
            Some(index) => self.is_marked(index),
            None => self.new.lock(shard_of(path_hash(&key))).contains(key.as_ref()),
        }
    }

    /// The paths written more than once so far.
    pub fn written_again(&self) -> Vec<PathBuf> {
        self.again.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn record(&self, rel: &Path) {
        let key = output_key(rel);
        let hash = path_hash(&key);
        let first = match self.last.place_of(hash) {
            Some(index) => {
                let bit = 1 << (index % 64);
                self.marked[index / 64].fetch_or(bit, Ordering::Relaxed) & bit == 0
            }
            None => self.new.lock(shard_of(hash)).insert(key.into_owned()),
        };
        if !first {
            self.again.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_path_buf());
        }
    }
}

/// Whether bit `index` of `bits` is set.
fn marked(bits: &[AtomicU64], index: usize) -> bool {
    bits[index / 64].load(Ordering::Relaxed) & (1 << (index % 64)) != 0
}

/// The hash of a path (as [`output_key`] gives it) that [`WrittenPaths::hash`] sums.
fn path_hash(key: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(key.as_bytes())
}

/// The part of [`Recorded`]'s new paths a path of hash `hash` is in.
fn shard_of(hash: u128) -> usize {
    (hash >> 64) as usize
}

impl Output for Recorded<'_> {
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error> {
        self.output.write(rel, bytes)?;
        self.record(rel);
        Ok(())
    }

    fn write_owned(&self, rel: &Path, bytes: Vec<u8>) -> Result<(), Error> {
        self.output.write_owned(rel, bytes)?;
        self.record(rel);
        Ok(())
    }

    fn write_pieces(
        &self,
        rel: &Path,
        pieces: &mut dyn Iterator<Item = String>,
    ) -> Result<(), Error> {
        self.output.write_pieces(rel, pieces)?;
        self.record(rel);
        Ok(())
    }

    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error> {
        self.output.copy(source, rel)?;
        self.record(rel);
        Ok(())
    }

    fn write_made_from(
        &self,
        rel: &Path,
        bytes: &[u8],
        made_from: Option<u128>,
    ) -> Result<(), Error> {
        self.output.write_made_from(rel, bytes, made_from)?;
        self.record(rel);
        Ok(())
    }

    fn keep(&self, rel: &Path, identity: Option<u64>, made_from: u128) -> bool {
        let kept = self.output.keep(rel, identity, made_from);
        if kept {
            self.record(rel);
        }
        kept
    }

    fn scratch(&self) -> Option<Scratch> {
        self.output.scratch()
    }

    fn identity(&self, rel: &Path) -> Option<u64> {
        self.output.identity(rel)
    }

    fn discards_bytes(&self) -> bool {
        self.output.discards_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::write::Discard;

    /// Records `paths` after a build that wrote `last`.
    fn record<'a>(last: &Arc<WrittenPaths>, paths: &[&str]) -> Recorded<'a> {
        let recorded = Recorded::after(&Discard, Arc::clone(last));
        for path in paths {
            recorded.write(Path::new(path), b"").unwrap();
        }
        recorded
    }

    #[test]
    fn the_same_paths_as_the_last_build_are_its_very_set() {
        let first = record(&Arc::default(), &["a/index.html", "b/index.html", "x.css"]);
        let first = first.into_paths("a");
        assert_eq!(first.paths.len(), 3);
        assert_eq!(first.apart, path_hash("a/index.html"));
        let again = record(&first, &["x.css", "b/index.html", "a/index.html"]);
        assert!(again.written_again().is_empty());
        assert!(Arc::ptr_eq(&again.into_paths("a"), &first));
    }

    #[test]
    fn paths_gone_or_new_since_the_last_build_count_as_in_a_fresh_record() {
        let paths = ["a/index.html", "b/index.html", "x.css", "c/x.css"];
        let last = record(&Arc::default(), &paths).into_paths("c");
        let paths = ["b/index.html", "c/index.html", "x.css"];
        let after = record(&last, &paths);
        let fresh = record(&Arc::default(), &paths);
        assert!(after.contains(Path::new("c/index.html")));
        assert!(after.contains(Path::new("b/index.html")));
        assert!(!after.contains(Path::new("a/index.html")));
        let (after, fresh) = (after.into_paths("c"), fresh.into_paths("c"));
        assert_eq!(after.hash, fresh.hash);
        assert_ne!(after.hash, last.hash);
        assert_eq!((after.apart, fresh.apart), (path_hash("c/index.html"), after.apart));
        assert!(after.contains("c/index.html") && !after.contains("a/index.html"));
        let mut names: Vec<&String> = after.paths.iter().collect();
        names.sort();
        assert_eq!(names, paths);
    }

    #[test]
    fn a_path_written_twice_is_told_whether_the_last_build_wrote_it_or_not() {
        let last = record(&Arc::default(), &["a/index.html"]).into_paths("");
        let recorded = record(&last, &["a/index.html", "n.txt", "n.txt", "a/index.html"]);
        assert_eq!(recorded.written_again(), [PathBuf::from("n.txt"), "a/index.html".into()]);
        assert_eq!(recorded.into_paths("").paths.len(), 2);
    }
}
