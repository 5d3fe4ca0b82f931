//! Giving freed heap memory back to the system.
//!
//! glibc's allocator keeps memory a program has freed, inside its arenas, for the next
//! allocation; only free space at the very top of the main heap is returned on its own.
//! The window frees most of what it allocated at two moments, after its first frame and
//! after a sound cue's stream closes, and then idles on one screen for minutes: asking
//! glibc to return the free pages at those moments keeps them out of the window's memory
//! (0.3–0.4 MB, measured in bench/README.md). Both moments are rare, so its cost (a walk
//! over the arenas, well under a millisecond) is paid a handful of times per window.

/// Returns the allocator's free pages to the system; a no-op where glibc is not the libc.
pub fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes the allocator's own locks and touches only free memory;
    // it may be called from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
