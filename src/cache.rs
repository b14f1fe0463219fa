//! The on-disk caches that make a second scan of an unchanged file nearly free: the SHA-256 of
//! weight files and corpora (`hashes-v1.txt`), the statistics of large corpus files
//! (`corpus-v1.txt`) and the personal-data report of corpus files (`pii-v1.txt`).
//!
//! One line per file, `dev ino size mtime_ns VALUE`, keyed by device, inode, size and
//! modification time, kept outside the scanned repository (the user cache dir, or
//! `$AIBOM_CACHE_DIR`). A cache is an optimisation: a missing, corrupt or unwritable one
//! degrades to doing the work again, never to a wrong result or a failed scan.
//!
//! A file modified less than [`RACY_NS`] before the scan began is not cached (git calls such
//! index entries "racily clean"): a file system records modification times in ticks (2 s on
//! FAT), and a same-size rewrite within the tick of the last write would keep the key. Once a
//! tick has passed since the last write, any later write moves the time.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use crate::walk::FileEntry;

/// What one cache holds per file.
pub trait CacheValue: Sized + Clone {
    /// The cache's file name in the cache directory.
    const FILE: &'static str;
    /// The value as one line of text (no newline), or `None` when it cannot be kept.
    fn encode(&self) -> Option<String>;
    /// A value read back; `None` rejects the line.
    fn decode(text: &str) -> Option<Self>;
}

/// A [`CacheValue`] kept as one line of JSON.
pub trait JsonCacheValue: Clone + serde::Serialize + serde::de::DeserializeOwned {
    /// The cache's file name in the cache directory.
    const FILE: &'static str;
}

impl<T: JsonCacheValue> CacheValue for T {
    const FILE: &'static str = <T as JsonCacheValue>::FILE;

    fn encode(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }

    fn decode(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i128,
}

impl Key {
    fn of(entry: &FileEntry) -> Key {
        Key {
            dev: entry.dev,
            ino: entry.ino,
            size: entry.size,
            mtime_ns: entry.mtime_ns,
        }
    }
}

/// This build of aibom (the crate version and the running executable's size and modification
/// time), or `None` when the executable cannot be identified. A cached value that depends on
/// how aibom reads a file, not only on the file, records it: a rebuilt or upgraded aibom reads
/// the file again, and with `None` nothing of the kind is cached.
pub fn build() -> Option<&'static str> {
    static BUILD: OnceLock<Option<String>> = OnceLock::new();
    BUILD
        .get_or_init(|| {
            let exe = std::env::current_exe().ok()?;
            let meta = std::fs::metadata(exe).ok()?;
            let modified = meta
                .modified()
                .ok()?
                .duration_since(SystemTime::UNIX_EPOCH)
                .ok()?;
            Some(format!(
                "{}+{}.{}",
                env!("CARGO_PKG_VERSION"),
                meta.len(),
                modified.as_nanos()
            ))
        })
        .as_deref()
}

/// How long before the scan began a file must have been last modified to be cached: longer
/// than the coarsest modification-time tick in use (FAT's 2 s).
pub const RACY_NS: i128 = 3_000_000_000;

pub struct FileCache<V> {
    path: Option<PathBuf>,
    entries: Mutex<HashMap<Key, V>>,
    added: AtomicU64,
    /// Files modified after this (ns since the epoch) are not cached.
    settled_before_ns: i128,
}

impl<V: CacheValue> FileCache<V> {
    /// A cache that remembers nothing (`--no-cache`).
    pub fn disabled() -> Self {
        FileCache {
            path: None,
            entries: Mutex::new(HashMap::new()),
            added: AtomicU64::new(0),
            settled_before_ns: i128::MIN,
        }
    }

    /// Load the cache in `dir` for a scan that began at `scan_began` (before it read any
    /// file's metadata); a missing or corrupt cache is an empty one, and a corrupt line is
    /// skipped.
    pub fn load(dir: &Path, scan_began: SystemTime) -> Self {
        let path = dir.join(V::FILE);
        let mut entries = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(&path) {
            entries.extend(text.lines().filter_map(parse_line));
        }
        let began_ns = scan_began
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        FileCache {
            path: Some(path),
            entries: Mutex::new(entries),
            added: AtomicU64::new(0),
            settled_before_ns: began_ns - RACY_NS,
        }
    }

    /// Whether this cache remembers anything (it does not with `--no-cache`).
    pub fn is_enabled(&self) -> bool {
        self.path.is_some()
    }

    pub fn get(&self, entry: &FileEntry) -> Option<V> {
        self.path.as_ref()?;
        self.entries.lock().ok()?.get(&Key::of(entry)).cloned()
    }

    /// Keeps `value` for `entry`, unless the file was modified too shortly before the scan
    /// began for its modification time to tell a later rewrite apart.
    pub fn insert(&self, entry: &FileEntry, value: V) {
        if self.path.is_none() || entry.mtime_ns > self.settled_before_ns {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(Key::of(entry), value);
            self.added.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Write the cache back if anything was added: to a temporary file, then renamed, so a
    /// concurrent reader sees the old or the new cache, never half of one.
    pub fn save(&self) -> io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if self.added.load(Ordering::Relaxed) == 0 {
            return Ok(());
        }
        let entries = self
            .entries
            .lock()
            .map_err(|_| io::Error::other("cache lock poisoned"))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!("{}.{}.tmp", V::FILE, std::process::id()));
        {
            let mut out = io::BufWriter::new(File::create(&tmp)?);
            for (key, value) in entries.iter() {
                let Some(text) = value.encode().filter(|t| !t.contains('\n')) else {
                    continue;
                };
                writeln!(
                    out,
                    "{} {} {} {} {text}",
                    key.dev, key.ino, key.size, key.mtime_ns
                )?;
            }
            out.flush()?;
        }
        std::fs::rename(&tmp, path)
    }
}

fn parse_line<V: CacheValue>(line: &str) -> Option<(Key, V)> {
    let mut parts = line.splitn(5, ' ');
    let key = Key {
        dev: parts.next()?.parse().ok()?,
        ino: parts.next()?.parse().ok()?,
        size: parts.next()?.parse().ok()?,
        mtime_ns: parts.next()?.parse().ok()?,
    };
    Some((key, V::decode(parts.next()?)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Word(String);

    impl CacheValue for Word {
        const FILE: &'static str = "words.txt";
        fn encode(&self) -> Option<String> {
            Some(self.0.clone())
        }
        fn decode(text: &str) -> Option<Self> {
            text.chars()
                .all(|c| c.is_ascii_alphabetic() || c == ' ')
                .then(|| Word(text.to_owned()))
        }
    }

    #[test]
    fn a_cache_round_trips_and_skips_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let entry = FileEntry {
            rel_path: "m".into(),
            abs_path: dir.path().join("m"),
            size: 3,
            dev: 1,
            ino: 2,
            mtime_ns: 42,
        };
        let cache = FileCache::<Word>::load(dir.path(), SystemTime::now());
        assert_eq!(cache.get(&entry), None);
        cache.insert(&entry, Word("two words".into()));
        cache.save().unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join("words.txt"))
            .unwrap()
            .write_all(b"garbage line\n1 2 3\n5 6 7 8 not-a-word\n")
            .unwrap();
        let reloaded = FileCache::<Word>::load(dir.path(), SystemTime::now());
        assert_eq!(reloaded.get(&entry), Some(Word("two words".into())));
        assert_eq!(reloaded.entries.lock().unwrap().len(), 1);
        let moved = FileEntry {
            mtime_ns: 43,
            ..entry.clone()
        };
        assert_eq!(reloaded.get(&moved), None, "a changed mtime misses");
        // A disabled cache keeps nothing and writes nothing.
        let off = FileCache::<Word>::disabled();
        off.insert(&entry, Word("x".into()));
        assert_eq!(off.get(&entry), None);
        assert!(off.save().is_ok());
    }

    #[test]
    fn a_file_modified_just_before_the_scan_is_not_cached() {
        let dir = tempfile::tempdir().unwrap();
        let began = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        let began_ns = 1_000_000 * 1_000_000_000i128;
        let entry = |mtime_ns| FileEntry {
            rel_path: "m".into(),
            abs_path: dir.path().join("m"),
            size: 3,
            dev: 1,
            ino: 2,
            mtime_ns,
        };
        let cache = FileCache::<Word>::load(dir.path(), began);
        let settled = entry(began_ns - RACY_NS);
        let racy = entry(began_ns - RACY_NS + 1);
        let future = entry(began_ns + 1_000_000_000);
        for e in [&settled, &racy, &future] {
            cache.insert(e, Word("seen".into()));
        }
        assert_eq!(cache.get(&settled), Some(Word("seen".into())));
        assert_eq!(cache.get(&racy), None);
        assert_eq!(cache.get(&future), None);
    }
}
