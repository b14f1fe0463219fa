//! Documents the scan reads by the path a configuration or a finding names, not by walking:
//! erasure logs and procedures (`[[corpus]]`), attribution files (`[project]`), licence texts
//! for the SPDX writer. A plain scan reads them from the work tree; `--staged` reads them as the
//! git index holds them, so the commit being made is judged by what it will contain.
//!
//! Either way a document is a regular file under the root: a path that leaves the root (`..`,
//! an absolute path, a URL, a symbolic link resolving outside) is refused, a symbolic link or
//! submodule is not a file, and a document larger than the bound the caller gives is not read.

use std::path::{Path, PathBuf};

use crate::git::StagedDocument;

/// Where documents are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Documents {
    #[default]
    WorkTree,
    /// The git index of the repository holding the root (`--staged`).
    Index,
}

impl Documents {
    /// The bytes of the document at root-relative `rel`, at most `max` of them, or why they
    /// cannot be read (a phrase that follows "it", as in "it does not exist").
    pub fn read(self, root: &Path, rel: &str, max: u64) -> Result<Vec<u8>, String> {
        let too_large = || format!("is larger than {}", bytes(max));
        match self {
            Documents::WorkTree => {
                let path = inside(root, rel).ok_or("resolves outside the repository")?;
                match std::fs::symlink_metadata(&path) {
                    Err(_) => return Err("does not exist".to_owned()),
                    Ok(m) if !m.is_file() => return Err("is not a regular file".to_owned()),
                    Ok(m) if m.len() > max => return Err(too_large()),
                    Ok(_) => {}
                }
                use std::io::Read;
                let mut out = Vec::new();
                std::fs::File::open(&path)
                    .and_then(|f| f.take(max).read_to_end(&mut out))
                    .map_err(|e| format!("cannot be read: {e}"))?;
                Ok(out)
            }
            Documents::Index => match staged(root, rel, max)? {
                StagedDocument::File(out) => Ok(out),
                StagedDocument::Absent => Err("is not in the git index (not staged)".to_owned()),
                StagedDocument::Folder | StagedDocument::NotAFile => {
                    Err("is not a regular file in the git index".to_owned())
                }
                StagedDocument::TooLarge(_) => Err(too_large()),
            },
        }
    }

    /// Whether a file or a folder exists at root-relative `rel`.
    pub fn exists(self, root: &Path, rel: &str) -> bool {
        match self {
            Documents::WorkTree => inside(root, rel).is_some_and(|p| {
                std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file() || m.is_dir())
            }),
            Documents::Index => staged(root, rel, 0)
                .is_ok_and(|d| !matches!(d, StagedDocument::Absent | StagedDocument::NotAFile)),
        }
    }
}

/// `rel` under `root`, when it stays there once symbolic links are resolved.
fn inside(root: &Path, rel: &str) -> Option<PathBuf> {
    let path = root.join(crate::inventory::normalize(rel)?);
    let (Ok(real_root), Ok(real)) = (root.canonicalize(), path.canonicalize()) else {
        return Some(path);
    };
    real.starts_with(real_root).then_some(path)
}

/// A document in the index, by its normalised path.
fn staged(root: &Path, rel: &str, max: u64) -> Result<StagedDocument, String> {
    let rel = crate::inventory::normalize(rel)
        .filter(|r| r != ".")
        .ok_or("resolves outside the repository")?;
    crate::git::staged_document(root, &rel, max)
        .map_err(|e| format!("cannot be read from the git index: {e}"))
}

fn bytes(n: u64) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MiB", n / (1024 * 1024))
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::Documents;

    #[test]
    fn work_tree_documents_stay_inside_the_root_and_within_bounds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/a.md"), "twelve bytes").unwrap();
        let read = |rel: &str, max: u64| Documents::WorkTree.read(root, rel, max);
        assert_eq!(read("docs/a.md", 12), Ok(b"twelve bytes".to_vec()));
        assert_eq!(
            read("./docs/../docs/a.md", 12),
            Ok(b"twelve bytes".to_vec())
        );
        assert_eq!(
            read("docs/a.md", 11),
            Err("is larger than 11 bytes".to_owned())
        );
        assert_eq!(read("docs/b.md", 12), Err("does not exist".to_owned()));
        assert_eq!(read("docs", 12), Err("is not a regular file".to_owned()));
        assert_eq!(
            read("../a.md", 12),
            Err("resolves outside the repository".to_owned())
        );
        assert!(Documents::WorkTree.exists(root, "docs"));
        assert!(!Documents::WorkTree.exists(root, "https://example.com/erasure"));
        // Outside a git repository, the index holds nothing.
        assert!(!Documents::Index.exists(root, "docs/a.md"));
        assert!(Documents::Index.read(root, "docs/a.md", 12).is_err());
    }
}
