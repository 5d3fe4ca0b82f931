//! Giving freed heap memory back to the system.
//!
//! glibc's allocator keeps memory a program has freed, inside its arenas, for the next
//! allocation; only free space at the very top of the main heap is returned on its own.
//! The window frees much of what it allocated at two moments: after its first frame (once
//! per window) and when a cue's stream closes (2 s after the last cue, so at most once per
//! pause in a session's cues). Asking glibc to return the free pages then keeps them out
//! of the window's memory (0.35 MiB, bench/README.md). Each call walks the allocator's free
//! lists once; the window's heap is a few MiB.

/// Returns the allocator's free pages to the system; a no-op where glibc is not the libc.
pub fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes the allocator's own locks and touches only free memory;
    // it may be called from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
