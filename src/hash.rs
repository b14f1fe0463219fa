//! SHA-256 of weight files, and the cache that makes a second scan nearly free.
//!
//! Hashes come from free sources first (LFS pointer oids, Hugging Face blob names); only the
//! rest are read, in large sequential chunks, in parallel across files. Results are cached
//! outside the scanned repository, keyed by device, inode, size and modification time, so an
//! unchanged file is never read twice. The cache is an optimisation: any problem with it
//! degrades to hashing, never to a wrong hash or a failed scan.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::artifact::{hex, is_sha256_hex};
use crate::walk::FileEntry;

/// Read size for hashing: large enough that syscalls vanish next to SHA-256 itself.
const CHUNK: usize = 1 << 20;

thread_local! {
    /// One read buffer per worker thread, reused for every file it hashes.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// SHA-256 of a whole file, streamed; `progress` counts bytes as they are hashed.
pub fn hash_file(path: &Path, progress: &AtomicU64) -> io::Result<String> {
    hash_reader(File::open(path)?, progress)
}

/// SHA-256 of everything a reader yields, in large chunks.
pub fn hash_reader(mut reader: impl Read, progress: &AtomicU64) -> io::Result<String> {
    BUFFER.with_borrow_mut(|buf| {
        buf.resize(CHUNK, 0);
        let mut hasher = Sha256::new();
        loop {
            let n = match reader.read(buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            hasher.update(&buf[..n]);
            progress.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(hex(&hasher.finalize()))
    })
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

/// The on-disk hash cache: one line per file, `dev ino size mtime_ns sha256`.
pub struct HashCache {
    path: Option<PathBuf>,
    entries: Mutex<HashMap<Key, String>>,
    added: AtomicU64,
}

const CACHE_FILE: &str = "hashes-v1.txt";

impl HashCache {
    /// A cache that remembers nothing (`--no-cache`).
    pub fn disabled() -> HashCache {
        HashCache {
            path: None,
            entries: Mutex::new(HashMap::new()),
            added: AtomicU64::new(0),
        }
    }

    /// The cache directory: `$AIBOM_CACHE_DIR`, else the user cache dir (`~/.cache/aibom`).
    pub fn default_dir() -> Option<PathBuf> {
        std::env::var_os("AIBOM_CACHE_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| dirs::cache_dir().map(|d| d.join("aibom")))
    }

    /// Load the cache in `dir`; a missing or corrupt cache is an empty one.
    pub fn load(dir: &Path) -> HashCache {
        let path = dir.join(CACHE_FILE);
        let mut entries = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(&path) {
            for line in text.lines() {
                if let Some((key, hash)) = parse_line(line) {
                    entries.insert(key, hash);
                }
            }
        }
        HashCache {
            path: Some(path),
            entries: Mutex::new(entries),
            added: AtomicU64::new(0),
        }
    }

    pub fn get(&self, entry: &FileEntry) -> Option<String> {
        self.path.as_ref()?;
        self.entries.lock().ok()?.get(&Key::of(entry)).cloned()
    }

    pub fn insert(&self, entry: &FileEntry, sha256: &str) {
        if self.path.is_none() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(Key::of(entry), sha256.to_owned());
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
            .map_err(|_| io::Error::other("hash cache lock poisoned"))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!("{CACHE_FILE}.{}.tmp", std::process::id()));
        {
            let mut out = io::BufWriter::new(File::create(&tmp)?);
            for (key, hash) in entries.iter() {
                writeln!(
                    out,
                    "{} {} {} {} {}",
                    key.dev, key.ino, key.size, key.mtime_ns, hash
                )?;
            }
            out.flush()?;
        }
        std::fs::rename(&tmp, path)
    }
}

fn parse_line(line: &str) -> Option<(Key, String)> {
    let mut parts = line.split(' ');
    let key = Key {
        dev: parts.next()?.parse().ok()?,
        ino: parts.next()?.parse().ok()?,
        size: parts.next()?.parse().ok()?,
        mtime_ns: parts.next()?.parse().ok()?,
    };
    let hash = parts.next()?;
    (is_sha256_hex(hash) && parts.next().is_none()).then(|| (key, hash.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_known_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abc").unwrap();
        let progress = AtomicU64::new(0);
        assert_eq!(
            hash_file(&path, &progress).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(progress.load(Ordering::Relaxed), 3);
    }

    #[test]
    fn cache_round_trips_and_ignores_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let entry = FileEntry {
            rel_path: "m".into(),
            abs_path: dir.path().join("m"),
            size: 3,
            dev: 1,
            ino: 2,
            mtime_ns: 42,
        };
        let hash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let cache = HashCache::load(dir.path());
        assert_eq!(cache.get(&entry), None);
        cache.insert(&entry, hash);
        cache.save().unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join(CACHE_FILE))
            .unwrap()
            .write_all(b"garbage line\n1 2 3\n")
            .unwrap();
        let reloaded = HashCache::load(dir.path());
        assert_eq!(reloaded.get(&entry).as_deref(), Some(hash));
        let moved = FileEntry {
            mtime_ns: 43,
            ..entry
        };
        assert_eq!(
            reloaded.get(&moved),
            None,
            "a changed mtime must miss the cache"
        );
    }
}
