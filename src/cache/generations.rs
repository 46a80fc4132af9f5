//! The caches an incremental session keeps from one build to the next: entries by a
//! 128-bit key, where what a build does not use is dropped at the start of the one
//! after it.

use std::sync::Mutex;

use rustc_hash::FxHashMap as HashMap;

/// Entries by key, each with the number of the last build that used it. Finding an
/// entry only marks it: no entry moves from one map to another, and no map is made
/// again, however many entries a build uses.
#[derive(Debug)]
pub struct Generations<V> {
    entries: Mutex<Entries<V>>,
}

#[derive(Debug)]
struct Entries<V> {
    by_key: HashMap<u128, (V, u64)>,
    /// The number of the current build.
    build: u64,
}

impl<V> Default for Generations<V> {
    fn default() -> Self {
        Generations { entries: Mutex::new(Entries { by_key: HashMap::default(), build: 1 }) }
    }
}

impl<V: Clone> Generations<V> {
    /// A cache whose last build left `entries`, for a build that has started.
    pub fn from_previous(entries: impl IntoIterator<Item = (u128, V)>) -> Self {
        let by_key = entries.into_iter().map(|(key, value)| (key, (value, 0))).collect();
        Generations { entries: Mutex::new(Entries { by_key, build: 1 }) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries<V>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a build: entries the last one did not use are dropped.
    pub fn start_build(&self) {
        let mut entries = self.lock();
        let last = entries.build;
        entries.by_key.retain(|_, (_, used)| *used == last);
        entries.build += 1;
    }

    /// The entry for `key`, kept for the next build too.
    pub fn get(&self, key: u128) -> Option<V> {
        let mut entries = self.lock();
        let build = entries.build;
        let (value, used) = entries.by_key.get_mut(&key)?;
        // An entry neither this build nor the last used is gone (see `start_build`).
        if *used + 1 < build {
            return None;
        }
        *used = build;
        Some(value.clone())
    }

    /// Takes the entry for `key` out of the cache.
    pub fn take(&self, key: u128) -> Option<V> {
        let mut entries = self.lock();
        let build = entries.build;
        entries.by_key.remove(&key).filter(|(_, used)| *used + 1 >= build).map(|(value, _)| value)
    }

    /// Adds an entry, used by the current build.
    pub fn insert(&self, key: u128, value: V) {
        let mut entries = self.lock();
        let build = entries.build;
        entries.by_key.insert(key, (value, build));
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
    fn a_loaded_cache_is_dropped_by_a_build_that_starts_again() {
        let cache = Generations::from_previous([(1, "one")]);
        cache.start_build();
        assert_eq!(cache.get(1), None);
    }
}
