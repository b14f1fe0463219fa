//! Reads of memory-mapped files that survive the file shrinking under the map.
//!
//! A page of a file map that lies past the file's end, because another process truncated the
//! file after it was mapped, cannot be read: the read raises `SIGBUS`, which ends the process.
//! [`read_guarded`] registers the map on the current thread for the duration of a closure; a
//! `SIGBUS` at an address inside it replaces the map from the faulting page on with zero pages,
//! notes the fault, and lets the read go on. The closure finishes over zeros and its result is
//! dropped: the caller reads the file again without a map. A `SIGBUS` anywhere else goes to the
//! handler that was installed before (Rust's own, which reports stack overflows), or ends the
//! process as it would have.

use memmap2::Mmap;

/// Runs `f` on `map`. `None` when the file shrank under the map while `f` read it (the bytes
/// from the first missing page on read as zeros, so `f`'s result is not the file's). `f` must
/// read the map on this thread only.
pub fn read_guarded<T>(map: &Mmap, f: impl FnOnce(&[u8]) -> T) -> Option<T> {
    guard::run(map, f)
}

#[cfg(unix)]
mod guard {
    use std::cell::Cell;
    use std::ffi::c_void;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use memmap2::Mmap;

    thread_local! {
        /// The map being read under guard on this thread: start address and length (0: none).
        static GUARDED: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
        /// Whether a read of the guarded map faulted.
        static FAULTED: Cell<bool> = const { Cell::new(false) };
    }

    /// The `SIGBUS` action installed before ours, for faults that are not ours; `None` when
    /// ours could not be installed (reads then go unguarded).
    static PREVIOUS: OnceLock<Option<libc::sigaction>> = OnceLock::new();
    static PAGE: AtomicUsize = AtomicUsize::new(0);

    pub fn run<T>(map: &Mmap, f: impl FnOnce(&[u8]) -> T) -> Option<T> {
        if PREVIOUS.get_or_init(install).is_none() {
            return Some(f(map));
        }
        let registered = Registered {
            outer: GUARDED.replace((map.as_ptr() as usize, map.len())),
            faulted_before: FAULTED.replace(false),
        };
        let value = f(map);
        let faulted = FAULTED.get();
        drop(registered);
        (!faulted).then_some(value)
    }

    #[cfg(test)]
    pub fn registered() -> (usize, usize) {
        GUARDED.get()
    }

    /// The map registered by `run`; dropped, even when `f` panics, it puts back what was
    /// registered before, so no fault is ever taken for a map that is gone.
    struct Registered {
        outer: (usize, usize),
        faulted_before: bool,
    }

    impl Drop for Registered {
        fn drop(&mut self) {
            GUARDED.set(self.outer);
            FAULTED.set(self.faulted_before);
        }
    }

    /// Installs the handler (once per process, through `PREVIOUS`); the action it replaced.
    fn install() -> Option<libc::sigaction> {
        // SAFETY: sysconf and sigaction get valid arguments. Until `PREVIOUS` is set, the
        // handler treats every fault as not its own and takes the default action.
        unsafe {
            let page = libc::sysconf(libc::_SC_PAGESIZE);
            PAGE.store(usize::try_from(page).unwrap_or(4096), Ordering::Relaxed);
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            let mut previous: libc::sigaction = std::mem::zeroed();
            (libc::sigaction(libc::SIGBUS, &action, &mut previous) == 0).then_some(previous)
        }
    }

    extern "C" fn on_sigbus(signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
        // SAFETY: the kernel passes a valid siginfo for a handler installed with SA_SIGINFO.
        let address = unsafe { (*info).si_addr() } as usize;
        let (start, len) = GUARDED.get();
        if len > 0 && (start..start + len).contains(&address) {
            let page = PAGE.load(Ordering::Relaxed).max(1);
            let from = address / page * page;
            let to = (start + len).div_ceil(page) * page;
            // SAFETY: `from..to` lies inside the private read-only file map registered by
            // `run` (a map covers whole pages); replacing it with anonymous zero pages changes
            // what the reader sees there and nothing else. `mmap` is a plain system call.
            let zeros = unsafe {
                libc::mmap(
                    from as *mut c_void,
                    to - from,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            if zeros != libc::MAP_FAILED {
                FAULTED.set(true);
                return;
            }
        }
        // Not ours: what would have happened without this handler.
        match PREVIOUS.get() {
            Some(Some(previous))
                if previous.sa_sigaction != libc::SIG_DFL
                    && previous.sa_sigaction != libc::SIG_IGN =>
            {
                // SAFETY: `previous` is the action the process had installed, called the way
                // its flags say it expects.
                unsafe {
                    if previous.sa_flags & libc::SA_SIGINFO != 0 {
                        let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut c_void) =
                            std::mem::transmute(previous.sa_sigaction);
                        handler(signal, info, context);
                    } else {
                        let handler: extern "C" fn(libc::c_int) =
                            std::mem::transmute(previous.sa_sigaction);
                        handler(signal);
                    }
                }
            }
            _ => {
                // The default action: returning re-runs the faulting read, which now ends the
                // process as if no handler had been installed.
                // SAFETY: resetting a signal's action to the default is always valid.
                unsafe {
                    libc::signal(libc::SIGBUS, libc::SIG_DFL);
                }
            }
        }
    }
}

#[cfg(not(unix))]
mod guard {
    use memmap2::Mmap;

    pub fn run<T>(map: &Mmap, f: impl FnOnce(&[u8]) -> T) -> Option<T> {
        Some(f(map))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::io::Write;

    use super::read_guarded;

    #[test]
    fn a_file_truncated_under_its_map_is_reported_not_fatal() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&vec![b'a'; 64 * 1024]).unwrap();
        // SAFETY: the test owns the file.
        let map = unsafe { memmap2::Mmap::map(&file) }.unwrap();
        let read = read_guarded(&map, |data| {
            // Another writer empties the file before any page is read.
            file.set_len(0).unwrap();
            data.iter().map(|&b| u64::from(b)).sum::<u64>()
        });
        assert_eq!(read, None);

        // Reads that do not fault give the closure's value, and a guard ends with its call.
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"abc").unwrap();
        // SAFETY: the test owns the file.
        let map = unsafe { memmap2::Mmap::map(&file) }.unwrap();
        assert_eq!(
            read_guarded(&map, |data| data.to_vec()),
            Some(b"abc".to_vec())
        );

        // A panic while reading leaves no map registered.
        let unwound = std::panic::catch_unwind(|| read_guarded(&map, |_| panic!("reader bug")));
        assert!(unwound.is_err());
        assert_eq!(super::guard::registered(), (0, 0));
    }
}
