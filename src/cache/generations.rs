//! The caches an incremental session keeps from one build to the next: entries by a
//! 128-bit key, where what a build does not use is dropped at the start of the one
//! after it.

use std::sync::MutexGuard;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap as HashMap;

use crate::locks::Sharded;

/// How many maps the entries are spread over, by key: the threads of a build looking up
/// entries at once rarely wait for one another.
const SHARDS: usize = 16;

/// Entries by key, each with the number of the last build that used it. Finding an
/// entry only marks it: no entry moves from one map to another, and no map is made
/// again, however many entries a build uses.
///
/// An entry neither the current build nor the last one used is gone: no lookup finds
/// it. It is dropped at the start of a build once such entries make up more than a
/// fifth of the cache, so that a build that uses every entry does not look at each of
/// them again to start the next.
#[derive(Debug)]
pub struct Generations<V> {
    shards: Sharded<Shard<V>>,
    /// The number of the current build.
    build: AtomicU64,
}

/// The entries of one key range, and how many of them the current build used or added
/// (more, when it added a key twice): counted by part, so that threads marking entries
/// of different parts never touch the same memory.
#[derive(Debug)]
struct Shard<V> {
    entries: HashMap<u128, (V, u64)>,
    used: usize,
}

impl<V> Default for Generations<V> {
    fn default() -> Self {
        let shard = || Shard { entries: HashMap::default(), used: 0 };
        Generations { shards: Sharded::new(SHARDS, shard), build: AtomicU64::new(1) }
    }
}

impl<V: Clone> Generations<V> {
    /// A cache whose last build left `entries`, for a build that has started.
    pub fn from_previous(entries: impl IntoIterator<Item = (u128, V)>) -> Self {
        let cache = Generations::default();
        for (key, value) in entries {
            cache.shard(key).entries.insert(key, (value, 0));
        }
        cache
    }

    fn shard(&self, key: u128) -> MutexGuard<'_, Shard<V>> {
        self.shards.lock((key % SHARDS as u128) as usize)
    }

    /// Starts a build: entries the last one did not use are gone, and dropped when they
    /// are many.
    pub fn start_build(&self) {
        let last = self.build.fetch_add(1, Ordering::Relaxed);
        let (mut len, mut used) = (0, 0);
        for i in 0..SHARDS {
            let mut shard = self.shards.lock(i);
            len += shard.entries.len();
            used += std::mem::take(&mut shard.used);
        }
        if len > used + used / 4 + 64 {
            for i in 0..SHARDS {
                self.shards.lock(i).entries.retain(|_, (_, at)| *at == last);
            }
        }
    }

    /// The entry for `key`, kept for the next build too.
    pub fn get(&self, key: u128) -> Option<V> {
        let build = self.build.load(Ordering::Relaxed);
        let mut shard = self.shard(key);
        let Shard { entries, used } = &mut *shard;
        let (value, at) = entries.get_mut(&key)?;
        // An entry neither this build nor the last used is gone (see `start_build`).
        if *at + 1 < build {
            return None;
        }
        if *at != build {
            *at = build;
            *used += 1;
        }
        Some(value.clone())
    }

    /// Whether the cache holds an entry for `key`, marking it used as [`get`](Self::get)
    /// does, for a build that uses the value it already has.
    pub fn touch(&self, key: u128) -> bool {
        let build = self.build.load(Ordering::Relaxed);
        let mut shard = self.shard(key);
        let Shard { entries, used } = &mut *shard;
        let Some((_, at)) = entries.get_mut(&key) else { return false };
        if *at + 1 < build {
            return false;
        }
        if *at != build {
            *at = build;
            *used += 1;
        }
        true
    }

    /// Takes the entry for `key` out of the cache.
    pub fn take(&self, key: u128) -> Option<V> {
        let build = self.build.load(Ordering::Relaxed);
        let (value, at) = self.shard(key).entries.remove(&key)?;
        (at + 1 >= build).then_some(value)
    }

    /// Adds an entry, used by the current build.
    pub fn insert(&self, key: u128, value: V) {
        let build = self.build.load(Ordering::Relaxed);
        let mut shard = self.shard(key);
        shard.entries.insert(key, (value, build));
        shard.used += 1;
    }

    /// How many entries the cache holds, gone ones included.
    #[cfg(test)]
    fn held(&self) -> usize {
        (0..SHARDS).map(|i| self.shards.lock(i).entries.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_the_last_build_used() {
        // A cache read from disk starts as if a build had just started.
        let cache = Generations::from_previous([(1, "one"), (2, "two")]);
        assert_eq!(cache.get(1), Some("one"));
        cache.insert(3, "three");
        cache.start_build();
        assert_eq!(cache.get(1), Some("one"), "used by the last build");
        assert_eq!(cache.get(2), None, "not used by the last build");
        assert_eq!(cache.take(3), Some("three"));
        assert_eq!(cache.get(3), None, "taken");
        // Used by every build, an entry stays; left for one build, it goes.
        cache.insert(4, "four");
        for _ in 0..3 {
            cache.start_build();
            assert_eq!(cache.get(1), Some("one"));
        }
        assert_eq!(cache.get(4), None, "not used by the build before");
        assert_eq!(cache.take(2), None);
    }

    #[test]
    fn a_touched_entry_is_kept_as_a_found_one() {
        let cache = Generations::default();
        cache.insert(1, "one");
        cache.insert(2, "two");
        for _ in 0..3 {
            cache.start_build();
            assert!(cache.touch(1));
        }
        assert_eq!(cache.get(1), Some("one"));
        assert!(!cache.touch(2), "not used by the build before");
        assert!(!cache.touch(3));
    }

    #[test]
    fn gone_entries_are_dropped_once_they_are_many() {
        let cache = Generations::default();
        for key in 0..1000u128 {
            cache.insert(key, key);
        }
        cache.start_build();
        for key in 0..900u128 {
            assert_eq!(cache.get(key), Some(key));
        }
        cache.start_build();
        assert_eq!(cache.held(), 1000, "a tenth gone: kept, unseen");
        assert_eq!(cache.get(950), None);
        for key in 0..500u128 {
            assert_eq!(cache.get(key), Some(key));
        }
        cache.start_build();
        assert_eq!(cache.held(), 500, "half gone: dropped");
        assert_eq!(cache.get(499), Some(499));
        assert_eq!(cache.get(500), None);
    }

    #[test]
    fn a_loaded_cache_is_dropped_by_a_build_that_starts_again() {
        let cache = Generations::from_previous([(1, "one")]);
        cache.start_build();
        assert_eq!(cache.get(1), None);
    }
}
