//! A value many threads use at once, split into parts with a lock each.
//!
//! The caches of a session are looked up, and the paths of a build recorded, from every
//! thread at once: behind one lock, the threads wait on each other and pass the lock's
//! cache line back and forth. Split, each part has a cache line of its own, and an item
//! goes in the part its key picks, so that two threads rarely meet.

use std::sync::{Mutex, MutexGuard};

use crossbeam_utils::CachePadded;

/// `T` in parts, each behind a lock of its own.
#[derive(Debug)]
pub struct Sharded<T> {
    parts: Box<[CachePadded<Mutex<T>>]>,
}

impl<T> Sharded<T> {
    /// `count` parts (at least one), each made by `make`.
    pub fn new(count: usize, mut make: impl FnMut() -> T) -> Sharded<T> {
        let parts = (0..count.max(1)).map(|_| CachePadded::new(Mutex::new(make()))).collect();
        Sharded { parts }
    }

    /// The part `index` falls in (any number: it wraps around).
    pub fn lock(&self, index: usize) -> MutexGuard<'_, T> {
        let part = &self.parts[index % self.parts.len()];
        part.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every part, in order.
    pub fn into_parts(self) -> impl Iterator<Item = T> {
        self.parts
            .into_iter()
            .map(|part| part.into_inner().into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_every_thread_adds_is_in_the_part_of_its_key() {
        let sharded = Sharded::new(4, Vec::new);
        rayon::scope(|scope| {
            for i in 0..64 {
                let sharded = &sharded;
                scope.spawn(move |_| sharded.lock(i).push(i));
            }
        });
        let parts: Vec<Vec<usize>> = sharded.into_parts().collect();
        for (n, part) in parts.iter().enumerate() {
            assert!(part.iter().all(|i| i % 4 == n), "{parts:?}");
        }
        assert_eq!(parts.iter().map(Vec::len).sum::<usize>(), 64);
    }

    #[test]
    fn an_index_past_the_parts_wraps_around() {
        let sharded = Sharded::new(3, || 0);
        *sharded.lock(4) += 1;
        assert_eq!(*sharded.lock(1), 1);
        let one = Sharded::new(0, || 0);
        *one.lock(5) += 1;
        assert_eq!(one.into_parts().collect::<Vec<_>>(), [1]);
    }
}
