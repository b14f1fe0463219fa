//! The personal-data cache: the [`FileReport`] of each corpus file scanned, so a second scan of
//! an unchanged file (same device, inode, size and modification time) does not read it again.
//!
//! A report depends on the engine as much as on the file, so each entry records the build that
//! made it (the crate version and the running executable's size and modification time): a
//! rebuilt or upgraded aibom scans again. Entries hold what reports hold — counts, line numbers
//! and redacted samples — never a detected value in clear.

use serde::{Deserialize, Serialize};

use super::{CorpusFormat, FileReport};
use crate::cache::{FileCache, JsonCacheValue, build};

pub type PiiCache = FileCache<CachedScan>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedScan {
    pub build: String,
    pub format: CorpusFormat,
    pub report: FileReport,
}

impl JsonCacheValue for CachedScan {
    const FILE: &'static str = "pii-v1.txt";
}

impl PiiCache {
    /// The cached report of `entry` scanned as `format` by this build.
    pub fn report(
        &self,
        entry: &crate::walk::FileEntry,
        format: CorpusFormat,
    ) -> Option<FileReport> {
        let build = build()?;
        self.get(entry)
            .filter(|c| c.build == build && c.format == format)
            .map(|c| c.report)
    }

    /// Keep `report` for `entry`, when this build can be identified.
    pub fn keep(&self, entry: &crate::walk::FileEntry, format: CorpusFormat, report: &FileReport) {
        if let Some(build) = build() {
            self.insert(
                entry,
                CachedScan {
                    build: build.to_owned(),
                    format,
                    report: report.clone(),
                },
            );
        }
    }
}
