//! Finds the files a scan looks at.
//!
//! The walk never follows symbolic links (a link out of the scanned tree is never read; Hugging
//! Face cache snapshots, which are links by design, are read by `artifact::hf_cache` within the
//! cache directory), skips FIFOs, sockets and devices without opening them, and turns every I/O
//! error into a value so the scan goes on. It never writes.

use std::path::{Path, PathBuf};

use crate::artifact::hf_cache;

/// A regular file found by the walk, with what the hash cache needs to key it.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Repository-relative, `/`-separated.
    pub rel_path: String,
    pub abs_path: PathBuf,
    pub size: u64,
    pub dev: u64,
    pub ino: u64,
    pub mtime_ns: i128,
}

#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<FileEntry>,
    /// Hugging Face cache repositories (`models--org--name`), repository-relative.
    pub cache_repos: Vec<(String, PathBuf)>,
    /// Paths that could not be read, with the reason.
    pub errors: Vec<(String, String)>,
    /// Symbolic links seen and not followed.
    pub symlinks_skipped: u64,
    /// FIFOs, sockets and device files seen and not opened.
    pub special_files_skipped: u64,
}

/// Directories never descended into.
static SKIPPED_DIRS: &[&str] = &[".git", ".hg", ".svn"];

pub fn walk(root: &Path) -> Walk {
    let mut out = Walk::default();
    let mut iter = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    while let Some(next) = iter.next() {
        let entry = match next {
            Ok(entry) => entry,
            Err(err) => {
                let rel = err.path().map(|p| rel_path(root, p)).unwrap_or_default();
                out.errors.push((rel, io_message(&err)));
                continue;
            }
        };
        let file_type = entry.file_type();
        let rel = rel_path(root, entry.path());
        if file_type.is_dir() {
            if entry.depth() > 0 {
                let name = entry.file_name().to_string_lossy();
                if SKIPPED_DIRS.contains(&name.as_ref()) {
                    iter.skip_current_dir();
                } else if hf_cache::parse_repo_dir_name(&name).is_some()
                    && entry.path().join("snapshots").is_dir()
                {
                    out.cache_repos.push((rel, entry.path().to_owned()));
                    iter.skip_current_dir();
                }
            }
            continue;
        }
        if file_type.is_symlink() {
            out.symlinks_skipped += 1;
            continue;
        }
        if !file_type.is_file() {
            out.special_files_skipped += 1;
            continue;
        }
        match entry.metadata() {
            Ok(meta) => out
                .files
                .push(file_entry(rel, entry.path().to_owned(), &meta)),
            Err(err) => out.errors.push((rel, io_message(&err))),
        }
    }
    out
}

/// A single file given explicitly (outside a walk).
pub fn stat(root: &Path, rel: &str) -> std::io::Result<FileEntry> {
    let abs = root.join(rel);
    let meta = std::fs::symlink_metadata(&abs)?;
    Ok(file_entry(rel.to_owned(), abs, &meta))
}

fn file_entry(rel_path: String, abs_path: PathBuf, meta: &std::fs::Metadata) -> FileEntry {
    #[cfg(unix)]
    let (dev, ino, mtime_ns) = {
        use std::os::unix::fs::MetadataExt;
        (
            meta.dev(),
            meta.ino(),
            meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128,
        )
    };
    #[cfg(not(unix))]
    let (dev, ino, mtime_ns) = {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        (0, 0, mtime)
    };
    FileEntry {
        rel_path,
        abs_path,
        size: meta.len(),
        dev,
        ino,
        mtime_ns,
    }
}

/// `/`-separated path relative to the root; the root itself is `.`.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

fn io_message(err: &walkdir::Error) -> String {
    match err.io_error() {
        Some(io) => io.to_string(),
        None => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_skips_git_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/config"), "x").unwrap();
        std::fs::create_dir_all(root.join("b")).unwrap();
        std::fs::write(root.join("b/z.txt"), "z").unwrap();
        std::fs::write(root.join("a.txt"), "a").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/", root.join("escape")).unwrap();
        let walk = walk(root);
        let names: Vec<_> = walk.files.iter().map(|f| f.rel_path.as_str()).collect();
        assert_eq!(names, ["a.txt", "b/z.txt"]);
        #[cfg(unix)]
        assert_eq!(walk.symlinks_skipped, 1);
    }
}
