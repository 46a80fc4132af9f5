//! Giving memory back to the system between the stages of a build.
//!
//! The allocator keeps the memory a thread freed for a while (a second, by default)
//! before it returns it, which saves system calls while a stage runs but, between
//! stages, lets what one stage let go of and what the next one makes count twice
//! towards the peak. A build at 10,000 articles frees most of its parsed Markdown,
//! rendered pages and search stems at the ends of stages: returning it there lowers
//! the peak without paying for a return on every free.

/// Returns the memory every thread of the build's pool (and this one) has freed.
pub(super) fn give_back() {
    fn collect() {
        // SAFETY: `mi_collect` only walks the calling thread's own heap and the
        // allocator's shared arenas, under the allocator's locks; it is safe to call
        // at any time, whichever allocator the process uses for Rust's allocations.
        unsafe { libmimalloc_sys::mi_collect(true) }
    }
    rayon::broadcast(|_| collect());
    collect();
}
