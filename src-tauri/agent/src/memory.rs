//! Giving memory back to the system. The agent lives all day: after a burst of work (its
//! start, a window's session, a script hammering the socket) it should shrink back to what
//! waiting needs.
//!
//! Two things stay behind otherwise: heap pages glibc keeps for reuse, and the pages of the
//! agent's own program code that start-up ran once (argument parsing, reading the
//! exercises, D-Bus and tray set-up). Idle, the agent runs a few pages of code a minute.

/// Returns freed heap pages to the system, and drops the agent's code pages from its
/// memory (the ones it runs again are read back from the page cache on first use).
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no
        // pointers and is safe to call at any time from any thread.
        unsafe {
            libc::malloc_trim(0);
        }
    }
    #[cfg(target_os = "linux")]
    release_code();
}

/// `madvise(MADV_DONTNEED)` on the executable's code: its `r-xp` mappings of this program's
/// own file. They are private file mappings that nothing ever writes (no text relocations),
/// so dropping their pages changes nothing but where the next access reads them from. Data
/// mappings, written at load time (relocations), are left alone.
#[cfg(target_os = "linux")]
fn release_code() {
    let (Ok(maps), Ok(exe)) = (
        std::fs::read_to_string("/proc/self/maps"),
        std::fs::read_link("/proc/self/exe"),
    ) else {
        return;
    };
    let exe = exe.to_string_lossy();
    for (start, end) in code_ranges(&maps, &exe) {
        // SAFETY: [start, end) is a whole mapping the kernel listed for this process:
        // read-only, executable, private and backed by this program's file, never written.
        // MADV_DONTNEED on it only discards page-table entries; later accesses fault the
        // same bytes back in from the file. No Rust reference points into it as data.
        let result = unsafe {
            rustix::mm::madvise(
                start as *mut std::ffi::c_void,
                end - start,
                rustix::mm::Advice::LinuxDontNeed,
            )
        };
        if let Err(e) = result {
            log::debug!("madvise on the program's code failed: {e}");
        }
    }
}

/// The `r-xp` ranges of `/proc/self/maps` that map `exe`.
fn code_ranges(maps: &str, exe: &str) -> Vec<(usize, usize)> {
    maps.lines()
        .filter_map(|line| {
            let mut fields = line.splitn(6, ' ');
            let range = fields.next()?;
            let perms = fields.next()?;
            let path = fields.nth(3)?.trim_start();
            if perms != "r-xp" || path != exe {
                return None;
            }
            let (start, end) = range.split_once('-')?;
            let start = usize::from_str_radix(start, 16).ok()?;
            let end = usize::from_str_radix(end, 16).ok()?;
            (end > start).then_some((start, end))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_programs_own_code_is_chosen() {
        let maps = "\
55d0c0000000-55d0c0100000 r--p 00000000 08:01 123 /usr/bin/limber
55d0c0100000-55d0c0600000 r-xp 00100000 08:01 123 /usr/bin/limber
55d0c0600000-55d0c0700000 r--p 00600000 08:01 123 /usr/bin/limber
55d0c0700000-55d0c0710000 rw-p 00700000 08:01 123 /usr/bin/limber
7f0000000000-7f0000100000 r-xp 00000000 08:01 456 /usr/lib/x86_64-linux-gnu/libc.so.6
7f0000200000-7f0000300000 rw-p 00000000 00:00 0 
7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]";
        assert_eq!(
            code_ranges(maps, "/usr/bin/limber"),
            [(0x55d0c0100000, 0x55d0c0600000)]
        );
        let upgraded =
            "55d0c0100000-55d0c0600000 r-xp 00100000 08:01 123 /usr/bin/limber (deleted)";
        assert_eq!(code_ranges(upgraded, "/usr/bin/limber (deleted)").len(), 1);
    }

    #[test]
    fn releasing_the_code_keeps_the_program_running() {
        release_freed();
        // Still here, and the code it needs comes back on use.
        assert_eq!(code_ranges("", "x"), []);
    }
}
