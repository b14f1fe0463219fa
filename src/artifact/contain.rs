//! Containment of panics in third-party decoders that read hostile bytes (the parquet crate).
//!
//! [`contain`] runs a closure, catches a panic in it, and returns where the panic happened
//! instead of a value. While a contained closure runs on a thread, the process's panic hook is
//! not called for panics on that thread, so a contained panic prints nothing on standard error:
//! the scan reports it as a finding. Panics anywhere else reach the hook as before.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// How many [`contain`] calls are running on this thread.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// Where the last contained panic on this thread happened.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Runs `f`; a panic in it becomes `Err` with the panic's source location (`file:line`, the
/// path cut to start at the crate's folder). The panic's message is not kept: a decoder may put
/// bytes of the file into it, and those can be personal data.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if DEPTH.with(Cell::get) == 0 {
                previous(info);
            } else {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", crate_relative(l.file()), l.line()));
                LOCATION.with(|cell| *cell.borrow_mut() = at);
            }
        }));
    });
    DEPTH.with(|d| d.set(d.get() + 1));
    LOCATION.with(|cell| cell.borrow_mut().take());
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get() - 1));
    result.map_err(|_| match LOCATION.with(|cell| cell.borrow_mut().take()) {
        Some(at) => format!("panicked at {at}"),
        None => "panicked".to_owned(),
    })
}

/// `…/parquet-60.1.0/src/encodings/rle.rs` → `parquet-60.1.0/src/encodings/rle.rs`: the path
/// from the folder that holds the last `src` component, so no build machine's home or registry
/// folder appears in a report.
fn crate_relative(file: &str) -> &str {
    let parts: Vec<&str> = file.split(['/', '\\']).collect();
    let Some(src) = parts.iter().rposition(|p| *p == "src") else {
        return parts.last().copied().unwrap_or(file);
    };
    let skip: usize = parts[..src.saturating_sub(1)]
        .iter()
        .map(|p| p.len() + 1)
        .sum();
    file.get(skip..).unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::{contain, crate_relative};

    #[test]
    fn a_panic_becomes_its_location_and_values_pass_through() {
        assert_eq!(contain(|| 7), Ok(7));
        let err = contain(|| -> u8 { panic!("secret bytes") }).unwrap_err();
        assert!(
            err.starts_with("panicked at src/artifact/contain.rs:"),
            "{err}"
        );
        assert!(!err.contains("secret"), "{err}");
        // Nested containment: the inner panic is the inner call's.
        let outer = contain(|| contain(|| -> u8 { panic!("inner") }).is_err());
        assert_eq!(outer, Ok(true));
    }

    #[test]
    fn paths_start_at_the_crate_folder() {
        assert_eq!(
            crate_relative("/home/u/.cargo/registry/src/some-index/parquet-60.1.0/src/a/b.rs"),
            "parquet-60.1.0/src/a/b.rs"
        );
        assert_eq!(crate_relative("src/pii/parquet.rs"), "src/pii/parquet.rs");
        assert_eq!(crate_relative("lib.rs"), "lib.rs");
    }
}
