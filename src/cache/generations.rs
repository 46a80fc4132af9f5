//! The caches an incremental session keeps from one build to the next: entries by a
//! 128-bit key, where what a build does not use is dropped at the start of the one
//! after it.

use std::sync::Mutex;

use rustc_hash::FxHashMap as HashMap;

/// Entries used by the current build, and those of the last build not used yet.
#[derive(Debug)]
pub struct Generations<V> {
    maps: Mutex<(HashMap<u128, V>, HashMap<u128, V>)>,
}

impl<V> Default for Generations<V> {
    fn default() -> Self {
        Generations { maps: Mutex::new((HashMap::default(), HashMap::default())) }
    }
}

impl<V: Clone> Generations<V> {
    /// A cache whose last build left `entries`, for a build that has started.
    pub fn from_previous(entries: impl IntoIterator<Item = (u128, V)>) -> Self {
        Generations { maps: Mutex::new((HashMap::default(), entries.into_iter().collect())) }
    }

    /// Starts a build: entries the last one did not use are dropped.
    pub fn start_build(&self) {
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        let used = std::mem::take(&mut maps.0);
        // The next build uses about as many: no growing the map entry by entry.
        maps.0.reserve(used.len());
        maps.1 = used;
    }

    /// The entry for `key`, kept for the next build too.
    pub fn get(&self, key: u128) -> Option<V> {
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = maps.0.get(&key) {
            return Some(hit.clone());
        }
        let hit = maps.1.remove(&key)?;
        maps.0.insert(key, hit.clone());
        Some(hit)
    }

    /// The entry for `key`, handed over: the cache keeps no copy.
    pub fn take(&self, key: u128) -> Option<V> {
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        maps.0.remove(&key).or_else(|| maps.1.remove(&key))
    }

    /// Keeps `value` for `key`.
    pub fn insert(&self, key: u128, value: V) {
        self.maps.lock().unwrap_or_else(|e| e.into_inner()).0.insert(key, value);
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
    }
}
