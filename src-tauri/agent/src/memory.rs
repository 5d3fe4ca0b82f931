//! Giving freed memory back to the system. The agent lives all day: after a burst of
//! clients (a window's session, a script hammering the socket) it should shrink back to its
//! idle size, but glibc's allocator keeps freed pages for reuse unless asked to return
//! them.

/// Returns freed heap pages to the system (glibc's `malloc_trim`); elsewhere, nothing.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no
        // pointers and is safe to call at any time from any thread.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}
