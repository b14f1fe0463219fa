//! The corpus statistics cache: the [`CorpusStats`] of each corpus file larger than
//! [`WHOLE_FILE_BYTES`], so a second scan of an unchanged file (same device, inode, size and
//! modification time) does not read it again to count its records. Its hash and its
//! personal-data report have caches of their own; with all three, an unchanged corpus costs
//! the scan nothing but its metadata.
//!
//! Statistics depend on how aibom reads a format as much as on the file, so each entry records
//! the build that made it (see [`build`]). A small file is not cached: it is read whole anyway,
//! and its line would cost about what counting it does. Statistics hold counts and column
//! names, never a value of the corpus.

use serde::{Deserialize, Serialize};

use super::{CorpusFormat, CorpusStats};
use crate::artifact::parsed::WHOLE_FILE_BYTES;
use crate::cache::{FileCache, JsonCacheValue, build};
use crate::walk::FileEntry;

pub type CorpusCache = FileCache<CachedStats>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedStats {
    pub build: String,
    pub stats: CorpusStats,
}

impl JsonCacheValue for CachedStats {
    const FILE: &'static str = "corpus-v1.txt";
}

impl CorpusCache {
    /// The cached statistics of `entry` read as `format` by this build. (The key does not hold
    /// the path: a file renamed from `.jsonl` to `.csv` keeps it, and the format tells.)
    pub fn stats(&self, entry: &FileEntry, format: CorpusFormat) -> Option<CorpusStats> {
        if entry.size <= WHOLE_FILE_BYTES {
            return None;
        }
        let build = build()?;
        self.get(entry)
            .filter(|c| c.build == build && c.stats.format == format)
            .map(|c| c.stats)
    }

    /// Keep `stats` for `entry`, when the file is large enough to be worth it and this build
    /// can be identified.
    pub fn keep(&self, entry: &FileEntry, stats: &CorpusStats) {
        if entry.size <= WHOLE_FILE_BYTES {
            return;
        }
        if let Some(build) = build() {
            self.insert(
                entry,
                CachedStats {
                    build: build.to_owned(),
                    stats: stats.clone(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(format: CorpusFormat) -> CorpusStats {
        CorpusStats {
            format,
            records: 3,
            columns: vec!["messages".into(), "text with space".into()],
            malformed_records: 1,
            first_malformed_line: Some(2),
            bytes: WHOLE_FILE_BYTES + 1,
            oversized_records: 0,
        }
    }

    #[test]
    fn large_corpus_statistics_round_trip_by_format() {
        let dir = tempfile::tempdir().unwrap();
        let began = std::time::SystemTime::now();
        let entry = |size| FileEntry {
            rel_path: "data/chats.jsonl".into(),
            abs_path: dir.path().join("data/chats.jsonl"),
            size,
            dev: 1,
            ino: 2,
            mtime_ns: 42,
        };
        let large = entry(WHOLE_FILE_BYTES + 1);
        let small = entry(WHOLE_FILE_BYTES);
        let cache = CorpusCache::load(dir.path(), began);
        cache.keep(&large, &stats(CorpusFormat::Jsonl));
        cache.keep(&small, &stats(CorpusFormat::Jsonl));
        cache.save().unwrap();

        let reloaded = CorpusCache::load(dir.path(), began);
        assert_eq!(
            reloaded.stats(&large, CorpusFormat::Jsonl),
            Some(stats(CorpusFormat::Jsonl))
        );
        assert_eq!(
            reloaded.stats(&large, CorpusFormat::Csv),
            None,
            "another format"
        );
        assert_eq!(
            reloaded.stats(&small, CorpusFormat::Jsonl),
            None,
            "a small file"
        );
        let text = std::fs::read_to_string(dir.path().join("corpus-v1.txt")).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
    }
}
