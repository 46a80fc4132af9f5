//! Giving memory back to the system between the stages of a build.
//!
//! The allocator keeps the memory a thread freed for a while (a second, by default)
//! before it returns it, which saves system calls while a stage runs but, between
//! stages, lets what one stage let go of and what the next one makes count twice
//! towards the peak. A build at 10,000 articles frees most of its parsed Markdown,
//! rendered pages and search stems at the ends of stages: returning it there lowers
//! the peak without paying for a return on every free.

/// mimalloc's `mi_option_purge_delay` (its place in the options of mimalloc 3, which
/// `libmimalloc-sys` builds by default but does not name).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory waits before it goes back to the system in a build made for no
/// other, in milliseconds: mimalloc 3 waits a second, in which a stage that makes and
/// frees many buffers (the full-text shards, the pages) holds on to all of them. At
/// 10,000 articles, 10 ms lowers the peak by about 10 MiB and costs no measurable time.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Freed memory goes back to the system soon after it is freed, for the rest of the
/// process: for a build made for no other (`serve` would only fault it in again).
pub(super) fn purge_promptly() {
    // SAFETY: setting an option is safe at any time; mimalloc reads it when it purges.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS) }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_is_the_option_set() {
        // SAFETY: reading and setting options is safe at any time.
        unsafe {
            let before = libmimalloc_sys::mi_option_get(PURGE_DELAY);
            // Unless set from the environment, it is mimalloc 3's default, a second.
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
                assert!(before == 1000 || before == PURGE_DELAY_MS, "{before}");
            }
            purge_promptly();
            assert_eq!(libmimalloc_sys::mi_option_get(PURGE_DELAY), PURGE_DELAY_MS);
        }
    }
}
