//! A value many threads add to at once, split into parts with a lock each.
//!
//! A rebuild that keeps most pages records every kept page from every thread: with one
//! lock, the threads spent most of that stage waiting on each other and passing the
//! lock's cache line back and forth. Split, each part has a cache line of its own, and
//! a thread takes the part of its own (or of the item's hash), so they rarely meet.

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

    /// A part for each thread of the current pool, and one for any other thread.
    pub fn per_thread(make: impl FnMut() -> T) -> Sharded<T> {
        Sharded::new(rayon::current_num_threads() + 1, make)
    }

    /// The part `index` falls in (any number: it wraps around).
    pub fn lock(&self, index: usize) -> MutexGuard<'_, T> {
        let part = &self.parts[index % self.parts.len()];
        part.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The part of the calling thread: its index in the current thread pool, or the last
    /// part for a thread outside any pool.
    pub fn lock_mine(&self) -> MutexGuard<'_, T> {
        self.lock(rayon::current_thread_index().unwrap_or(self.parts.len() - 1))
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
    fn what_every_thread_adds_is_in_some_part() {
        let sharded = Sharded::per_thread(Vec::new);
        rayon::scope(|scope| {
            for i in 0..64 {
                let sharded = &sharded;
                scope.spawn(move |_| sharded.lock_mine().push(i));
            }
        });
        sharded.lock(1000).push(64);
        let mut all: Vec<i32> = sharded.into_parts().flatten().collect();
        all.sort();
        assert_eq!(all, (0..=64).collect::<Vec<_>>());
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
