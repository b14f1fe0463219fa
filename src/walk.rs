//! Finds the files a scan looks at, in a tree that may have been built to fight back.
//!
//! Symbolic links are followed only when their canonical target is inside the scanned root; a
//! link out of the root, a dangling link and a link loop are reported and not followed, and a
//! file or directory reachable by several paths is listed once (by device and inode), under the
//! first path in sorted order, physical paths before link paths. FIFOs, sockets and device
//! files are reported and never opened. Directories with more than [`FILES_PER_DIR`] entries and
//! paths deeper than [`PATH_DEPTH`] are cut, deterministically, and reported; names that are not
//! UTF-8 are reported with their bytes escaped (the path used elsewhere is the lossy form).
//! Every problem is a value in [`Walk::errors`] (a `BOM001` finding downstream), never a panic,
//! and the walk goes on. Hugging Face cache repositories (`models--org--name`), whose snapshots
//! are links by design, are handed to `artifact::hf_cache` and not walked here.
//!
//! Sibling directories are read in parallel; what is reached by two paths is settled afterwards,
//! in depth-first order, so the result does not depend on the number of threads.
//!
//! The walk reads directory listings and metadata only: it never opens a file and never writes.

use std::collections::{BinaryHeap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::artifact::hf_cache;

/// Entries read from one directory; beyond it the directory is cut to its first entries by name.
pub const FILES_PER_DIR: usize = 10_000;
/// Directory levels below the root that are entered.
pub const PATH_DEPTH: usize = 64;
/// A file at least this large whose allocated blocks cover less than an eighth of its length is
/// sparse: it is not hashed (see [`sparse_reason`]).
pub const SPARSE_MIN_BYTES: u64 = 64 * 1024 * 1024;

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
    /// Paths that could not be read or were not followed, with the reason in words.
    pub errors: Vec<(String, String)>,
    /// Symbolic links seen and not followed (out of the root, dangling, loops, duplicates).
    pub symlinks_skipped: u64,
    /// FIFOs, sockets and device files seen and not opened.
    pub special_files_skipped: u64,
}

/// Directories never descended into.
static SKIPPED_DIRS: &[&str] = &[".git", ".hg", ".svn"];

/// Identity of a file or directory on this machine.
type Identity = (u64, u64);

/// The walk's bookkeeping: what has been listed so far, by identity, and the links still to
/// follow.
struct Walker {
    /// The root's canonical form, which link targets must stay under.
    canonical_root: Option<PathBuf>,
    out: Walk,
    files_seen: HashSet<Identity>,
    dirs_seen: HashSet<Identity>,
    /// Links found while walking, resolved after the physical tree: (rel path, abs path, depth).
    links: Vec<(String, PathBuf, usize)>,
}

/// A directory to walk: where it is read from, its repository-relative path, its depth, its
/// identity and the directory it was entered from (a directory that is its own ancestor is a
/// loop through a bind mount).
struct Dir<'a> {
    abs: PathBuf,
    rel: String,
    depth: usize,
    id: Identity,
    up: Option<&'a Dir<'a>>,
}

impl Dir<'_> {
    fn is_ancestor(&self, id: Identity) -> bool {
        let mut dir = Some(self);
        while let Some(d) = dir {
            if d.id == id {
                return true;
            }
            dir = d.up;
        }
        false
    }
}

/// What the walk of one subtree found, before anything reached by two paths is dropped.
/// Sibling directories are walked in parallel, so the order of each list is arbitrary.
#[derive(Default)]
struct Subtree {
    files: Vec<FileEntry>,
    /// Directories entered, with their paths.
    dirs: Vec<(Identity, String)>,
    cache_repos: Vec<(String, PathBuf)>,
    errors: Vec<(String, String)>,
    links: Vec<(String, PathBuf, usize)>,
    /// Paths of the FIFOs, sockets and devices seen (each also has its error).
    specials: Vec<String>,
}

pub fn walk(root: &Path) -> Walk {
    let mut walker = Walker {
        canonical_root: root.canonicalize().ok(),
        out: Walk::default(),
        files_seen: HashSet::new(),
        dirs_seen: HashSet::new(),
        links: Vec::new(),
    };
    match std::fs::metadata(root) {
        Ok(meta) => {
            let dir = Dir {
                abs: root.to_owned(),
                rel: ".".to_owned(),
                depth: 0,
                id: identity(&meta),
                up: None,
            };
            walker.dirs_seen.insert(dir.id);
            walker.absorb(walk_subtree(&dir));
        }
        Err(err) => walker.out.errors.push((".".to_owned(), err.to_string())),
    }
    // Links are resolved after the physical tree so that a file is listed under its own path;
    // a directory reached through a link can hold further links, hence the loop.
    while !walker.links.is_empty() {
        let mut links = std::mem::take(&mut walker.links);
        links.sort();
        for (rel, abs, depth) in links {
            walker.follow_link(&rel, &abs, depth);
        }
    }
    let mut out = walker.out;
    // Depth-first by name, as a directory-by-directory walk lists them.
    out.files
        .sort_by(|a, b| depth_first(&a.rel_path, &b.rel_path));
    out.cache_repos.sort();
    out.errors.sort();
    out
}

/// Depth-first order by name: a directory's files and subdirectories by name, each
/// subdirectory's whole content at its place.
///
/// Comparing the names one by one is comparing the bytes with `/` below every other byte: the
/// first difference decides, and a path that is a prefix of the other comes first. That needs
/// no splitting, which made sorting a large tree's paths a visible part of a scan.
fn depth_first(a: &str, b: &str) -> std::cmp::Ordering {
    let rank = |c: u8| if c == b'/' { 0 } else { u16::from(c) + 1 };
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let i = common_prefix(a, b);
    match (a.get(i), b.get(i)) {
        (Some(&x), Some(&y)) => rank(x).cmp(&rank(y)),
        _ => a.len().cmp(&b.len()),
    }
}

/// The length of the longest common prefix of `a` and `b`. Sibling paths share most of their
/// bytes, so whole blocks of 16 are compared first, then the bytes of the block that differs.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 16;
    let len = a.len().min(b.len());
    let mut i = 0;
    while let (Some(x), Some(y)) = (a[i..].first_chunk::<BLOCK>(), b[i..].first_chunk::<BLOCK>())
        && x == y
    {
        i += BLOCK;
    }
    i + a[i..len]
        .iter()
        .zip(&b[i..len])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Walks `dir`'s subtree without following links, its subdirectories in parallel.
fn walk_subtree(dir: &Dir) -> Subtree {
    let mut out = Subtree::default();
    let entries = match read_dir_bounded(&dir.abs) {
        Ok(listing) => listing,
        Err(err) => {
            out.errors
                .push((dir.rel.clone(), format!("cannot read directory: {err}")));
            return out;
        }
    };
    if entries.total > FILES_PER_DIR {
        out.errors.push((
            dir.rel.clone(),
            format!(
                "directory holds {} entries; only the first {FILES_PER_DIR} by name were scanned \
                 [limit: files per directory]",
                entries.total
            ),
        ));
    }
    let mut subdirs = Vec::new();
    for Named { name, entry } in entries.entries {
        let abs = dir.abs.join(&name);
        let child_rel = join_rel(&dir.rel, &name);
        if name.to_str().is_none() {
            out.errors.push((
                child_rel.clone(),
                format!(
                    "name is not UTF-8; its bytes are \"{}\" (shown elsewhere with replacement \
                     characters)",
                    escape_path(&join_rel_bytes(&dir.rel, &name))
                ),
            ));
        }
        // Not following a symbolic link, like `symlink_metadata`.
        let meta = match entry.metadata() {
            Ok(meta) => meta,
            Err(err) => {
                out.errors
                    .push((child_rel, format!("cannot read metadata: {err}")));
                continue;
            }
        };
        let file_type = meta.file_type();
        if file_type.is_symlink() {
            out.links.push((child_rel, abs, dir.depth + 1));
        } else if file_type.is_dir() {
            subdirs.extend(out.enter(abs, child_rel, &name, &meta, dir.depth + 1, Some(dir)));
        } else if file_type.is_file() {
            out.files.push(file_entry(child_rel, abs, &meta));
        } else {
            out.special(child_rel, &meta);
        }
    }
    let below: Vec<Subtree> = subdirs.par_iter().map(walk_subtree).collect();
    below.into_iter().for_each(|tree| out.append(tree));
    out
}

impl Subtree {
    /// The directory at `abs` to walk (listed as `rel`), or `None` when it is skipped: a
    /// version-control directory, a Hugging Face cache repository (handed over whole), a
    /// directory too deep, or one of its own ancestors.
    fn enter<'a>(
        &mut self,
        abs: PathBuf,
        rel: String,
        name: &std::ffi::OsStr,
        meta: &std::fs::Metadata,
        depth: usize,
        up: Option<&'a Dir<'a>>,
    ) -> Option<Dir<'a>> {
        let name = name.to_string_lossy();
        if SKIPPED_DIRS.contains(&name.as_ref()) {
            return None;
        }
        if hf_cache::parse_repo_dir_name(&name).is_some() && abs.join("snapshots").is_dir() {
            self.cache_repos.push((rel, abs));
            return None;
        }
        if depth > PATH_DEPTH {
            self.errors.push((
                rel,
                format!(
                    "directory is more than {PATH_DEPTH} levels below the root; not entered \
                     [limit: path depth]"
                ),
            ));
            return None;
        }
        let id = identity(meta);
        if up.is_some_and(|up| up.is_ancestor(id)) {
            return None;
        }
        self.dirs.push((id, rel.clone()));
        Some(Dir {
            abs,
            rel,
            depth,
            id,
            up,
        })
    }

    fn special(&mut self, rel: String, meta: &std::fs::Metadata) {
        self.errors.push((
            rel.clone(),
            format!("{}; not opened", special_kind(meta.file_type())),
        ));
        self.specials.push(rel);
    }

    fn append(&mut self, other: Subtree) {
        self.files.extend(other.files);
        self.dirs.extend(other.dirs);
        self.cache_repos.extend(other.cache_repos);
        self.errors.extend(other.errors);
        self.links.extend(other.links);
        self.specials.extend(other.specials);
    }
}

impl Walker {
    /// Adds a walked subtree to the walk. A directory or file reached by two paths (a bind
    /// mount, a hard link, a link into a walked directory) is kept under the first path in
    /// depth-first order, and nothing under a dropped directory's path is kept.
    fn absorb(&mut self, mut tree: Subtree) {
        tree.dirs.sort_by(|a, b| depth_first(&a.1, &b.1));
        self.dirs_seen.reserve(tree.dirs.len());
        self.files_seen.reserve(tree.files.len());
        let mut dropped: Vec<String> = Vec::new();
        for (id, rel) in tree.dirs {
            if !is_under_any(&rel, &dropped) && !self.dirs_seen.insert(id) {
                dropped.push(rel);
            }
        }
        let kept = |rel: &str| !is_under_any(rel, &dropped);
        tree.files
            .sort_by(|a, b| depth_first(&a.rel_path, &b.rel_path));
        for file in tree.files {
            if kept(&file.rel_path) && self.files_seen.insert((file.dev, file.ino)) {
                self.out.files.push(file);
            }
        }
        let out = &mut self.out;
        out.cache_repos
            .extend(tree.cache_repos.into_iter().filter(|(rel, _)| kept(rel)));
        out.errors
            .extend(tree.errors.into_iter().filter(|(rel, _)| kept(rel)));
        out.special_files_skipped += tree.specials.iter().filter(|rel| kept(rel)).count() as u64;
        self.links
            .extend(tree.links.into_iter().filter(|(rel, ..)| kept(rel)));
    }

    fn follow_link(&mut self, rel: &str, abs: &Path, depth: usize) {
        let skipped = |walker: &mut Walker, reason: String| {
            walker.out.symlinks_skipped += 1;
            walker.out.errors.push((rel.to_owned(), reason));
        };
        let shown = std::fs::read_link(abs)
            .map(|t| escape_path(t.as_os_str().as_encoded_bytes()))
            .unwrap_or_default();
        let target = match abs.canonicalize() {
            Ok(target) => target,
            Err(err) if is_loop(&err) => {
                return skipped(
                    self,
                    format!("symbolic link loop (-> {shown}); not followed"),
                );
            }
            Err(err) => {
                return skipped(
                    self,
                    format!("symbolic link to {shown} cannot be resolved ({err}); not followed"),
                );
            }
        };
        let inside = self
            .canonical_root
            .as_ref()
            .is_some_and(|root| target.starts_with(root));
        if !inside {
            return skipped(
                self,
                format!("symbolic link to {shown} points outside the scanned root; not followed"),
            );
        }
        let meta = match std::fs::metadata(&target) {
            Ok(meta) => meta,
            Err(err) => {
                return skipped(
                    self,
                    format!("symbolic link to {shown}: {err}; not followed"),
                );
            }
        };
        if meta.is_dir() {
            let is_ancestor = abs
                .parent()
                .and_then(|p| p.canonicalize().ok())
                .is_some_and(|parent| parent.starts_with(&target));
            if is_ancestor {
                return skipped(
                    self,
                    format!("symbolic link loop (-> {shown}, a directory above it); not followed"),
                );
            }
            if self.dirs_seen.contains(&identity(&meta)) {
                // Reached by another path already: listed once.
                self.out.symlinks_skipped += 1;
                return;
            }
            // Listed under the link's path, read through the checked canonical target, so
            // that a link swapped after this check cannot redirect a read out of the root.
            let name = abs.file_name().unwrap_or_default().to_owned();
            let mut tree = Subtree::default();
            if let Some(dir) = tree.enter(target, rel.to_owned(), &name, &meta, depth, None) {
                tree.append(walk_subtree(&dir));
            }
            self.absorb(tree);
        } else if meta.is_file() {
            if self.files_seen.contains(&identity(&meta)) {
                self.out.symlinks_skipped += 1;
                return;
            }
            self.files_seen.insert(identity(&meta));
            self.out
                .files
                .push(file_entry(rel.to_owned(), target, &meta));
        } else {
            let mut tree = Subtree::default();
            tree.special(rel.to_owned(), &meta);
            self.absorb(tree);
        }
    }
}

/// Whether `rel` is one of `dirs` or inside one of them.
fn is_under_any(rel: &str, dirs: &[String]) -> bool {
    dirs.iter().any(|dir| {
        rel.strip_prefix(dir.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

struct Listing {
    /// The first `FILES_PER_DIR` entries by name, in byte order.
    entries: Vec<Named>,
    total: usize,
}

/// A directory entry, ordered by its name. Its metadata is read relative to the open directory,
/// which spares the kernel a lookup of the whole path for each entry.
struct Named {
    name: OsString,
    entry: std::fs::DirEntry,
}

impl PartialEq for Named {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Named {}

impl PartialOrd for Named {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Named {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name.cmp(&other.name)
    }
}

/// A directory's entries, sorted by name, keeping at most `FILES_PER_DIR` of them in memory (the
/// smallest names, so the cut does not depend on the order the file system returns them in).
fn read_dir_bounded(dir: &Path) -> std::io::Result<Listing> {
    let mut kept: BinaryHeap<Named> = BinaryHeap::new();
    let mut total = 0usize;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let named = Named {
            name: entry.file_name(),
            entry,
        };
        total += 1;
        if kept.len() < FILES_PER_DIR {
            kept.push(named);
        } else if kept.peek().is_some_and(|largest| named < *largest) {
            kept.pop();
            kept.push(named);
        }
    }
    Ok(Listing {
        entries: kept.into_sorted_vec(),
        total,
    })
}

/// ELOOP: too many levels of symbolic links.
fn is_loop(err: &std::io::Error) -> bool {
    let eloop = if cfg!(target_os = "linux") { 40 } else { 62 };
    err.raw_os_error() == Some(eloop)
}

fn identity(meta: &std::fs::Metadata) -> Identity {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        (0, 0)
    }
}

fn special_kind(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe), not a regular file";
        }
        if file_type.is_socket() {
            return "a socket, not a regular file";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device file, not a regular file";
        }
    }
    let _ = file_type;
    "not a regular file"
}

fn join_rel(rel: &str, name: &std::ffi::OsStr) -> String {
    let name = name.to_string_lossy();
    if rel == "." {
        name.into_owned()
    } else {
        format!("{rel}/{name}")
    }
}

fn join_rel_bytes(rel: &str, name: &std::ffi::OsStr) -> Vec<u8> {
    let mut bytes = Vec::new();
    if rel != "." {
        bytes.extend_from_slice(rel.as_bytes());
        bytes.push(b'/');
    }
    bytes.extend_from_slice(name.as_encoded_bytes());
    bytes
}

/// A path's bytes with everything but printable ASCII escaped as `\xNN` (and `\` as `\\`): a
/// lossless, printable form of a name that is not UTF-8.
pub fn escape_path(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

/// Why a file should not be hashed because it is sparse (mostly holes on disk), or `None`.
///
/// Reading a hole returns zeros, so hashing such a file reads terabytes that occupy nothing: a
/// 1 TB sparse file costs nothing to create and minutes to hash. Real weights are dense; a sparse
/// weights file is a preallocated, unfinished download or a trap. Its hash is left out and the
/// reason becomes a `BOM001` finding. (File systems that compress, such as ZFS or btrfs with
/// compression on, also allocate less than a file's length, but not an eighth for weights.)
pub fn sparse_reason(meta: &std::fs::Metadata) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let allocated = meta.blocks().saturating_mul(512);
        if meta.len() >= SPARSE_MIN_BYTES && allocated < meta.len() / 8 {
            return Some(format!(
                "sparse file: {} bytes long but only {allocated} bytes allocated on disk; not \
                 hashed [limit: sparse file]",
                meta.len()
            ));
        }
    }
    let _ = meta;
    None
}

/// Opens a file the walk listed, for reading, refusing anything that is no longer a regular
/// file: a file swapped for a FIFO after the walk would otherwise block the scan in `open`.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other(
            "not a regular file any more (replaced during the scan); not read",
        ));
    }
    Ok(file)
}

/// A single file given explicitly (outside a walk).
pub fn stat(root: &Path, rel: &str) -> std::io::Result<FileEntry> {
    let abs = root.join(rel);
    let meta = std::fs::symlink_metadata(&abs)?;
    Ok(file_entry(rel.to_owned(), abs, &meta))
}

/// The entry of a file whose metadata is already read (not following a final symbolic link).
pub fn file_entry(rel_path: String, abs_path: PathBuf, meta: &std::fs::Metadata) -> FileEntry {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn listed(walk: &Walk) -> BTreeSet<&str> {
        walk.files.iter().map(|f| f.rel_path.as_str()).collect()
    }

    #[test]
    fn walks_sorted_skips_git_and_links_out_of_the_root() {
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
        {
            assert_eq!(walk.symlinks_skipped, 1);
            assert_eq!(walk.errors.len(), 1);
            assert_eq!(walk.errors[0].0, "escape");
            assert!(walk.errors[0].1.contains("outside the scanned root"));
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_the_root_are_followed_once_and_loops_reported() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("models/real")).unwrap();
        std::fs::write(root.join("models/real/w.bin"), "w").unwrap();
        std::fs::create_dir_all(root.join("other")).unwrap();
        std::fs::write(root.join("other/o.txt"), "o").unwrap();
        symlink("real/w.bin", root.join("models/alias.bin")).unwrap();
        symlink("../other", root.join("models/linked")).unwrap();
        symlink("..", root.join("models/real/up")).unwrap();
        symlink("loop-b", root.join("loop-a")).unwrap();
        symlink("loop-a", root.join("loop-b")).unwrap();
        symlink("missing", root.join("dangling")).unwrap();
        let walk = walk(root);
        // `w.bin` is listed once, under its own path; `other/` once, physically.
        assert_eq!(
            listed(&walk).into_iter().collect::<Vec<_>>(),
            ["models/real/w.bin", "other/o.txt"]
        );
        let errors: Vec<_> = walk.errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(errors, ["dangling", "loop-a", "loop-b", "models/real/up"]);
        assert!(walk.errors.iter().skip(1).all(|(_, e)| e.contains("loop")));
    }

    #[cfg(unix)]
    #[test]
    fn the_walk_is_the_same_on_any_number_of_threads_and_lists_a_hard_link_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in 0..24 {
            for sub in ["x", "y/z"] {
                let path = root.join(format!("d{d:02}/{sub}"));
                std::fs::create_dir_all(&path).unwrap();
                std::fs::write(path.join("f.txt"), "f").unwrap();
            }
        }
        std::fs::hard_link(root.join("d07/y/z/f.txt"), root.join("d03/hard.txt")).unwrap();
        std::os::unix::fs::symlink("d05", root.join("d01/alias")).unwrap();
        let walk_on = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let walk = pool.install(|| walk(root));
            let files: Vec<String> = walk.files.iter().map(|f| f.rel_path.clone()).collect();
            (files, walk.errors, walk.symlinks_skipped)
        };
        let one = walk_on(1);
        assert_eq!(one, walk_on(4));
        // 48 files, the hard link's second path dropped: it comes after `d03/hard.txt`.
        assert_eq!(one.0.len(), 48);
        assert!(one.0.contains(&"d03/hard.txt".to_owned()));
        assert!(!one.0.contains(&"d07/y/z/f.txt".to_owned()));
        // Sorted depth first, and the linked directory is listed once, physically.
        let mut sorted = one.0.clone();
        sorted.sort_by(|a, b| depth_first(a, b));
        assert_eq!(one.0, sorted);
        assert_eq!(one.2, 1);
    }

    /// The byte comparison orders paths as comparing their names one by one does.
    #[test]
    fn depth_first_is_name_by_name_order() {
        let paths = [
            "a", "a/b", "a-c/d", "a.b", "a/b/c", "a0", "a b/c", "ab", "a/b-c", "a/b/", "a//b", "",
            "/", "b", "a/\u{e9}", "a/z", "A", "a-/x", "a/-",
        ];
        // Longer than a block of the prefix comparison, differing before, at and after it.
        let long = [
            "models/acme-7b/model-00001.bin",
            "models/acme-7b/model-00001/x",
            "models/acme-7b/model-00001-of-2",
            "models/acme-7b-/x",
            "models/acme-7b/model",
            "models/acme-7b/mz",
            "models/acme-7c",
            "models/acme-7b/model-00001.bin/",
        ];
        let paths: Vec<&str> = paths.into_iter().chain(long).collect();
        for &x in &paths {
            for &y in &paths {
                assert_eq!(
                    depth_first(x, y),
                    x.split('/').cmp(y.split('/')),
                    "{x:?} against {y:?}"
                );
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_into_the_root_from_a_linked_dir_is_listed_under_the_link() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join(".store/x")).unwrap();
        std::fs::write(root.join(".store/x/m.bin"), "m").unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/hidden.bin"), "h").unwrap();
        symlink(".git/hidden.bin", root.join("h.bin")).unwrap();
        let walk = walk(&root);
        // A link into a skipped directory is still inside the root: followed.
        assert_eq!(
            listed(&walk).into_iter().collect::<Vec<_>>(),
            [".store/x/m.bin", "h.bin"]
        );
        // Read through the canonical target, not through the link.
        let linked = walk.files.iter().find(|f| f.rel_path == "h.bin").unwrap();
        assert_eq!(
            linked.abs_path,
            root.canonicalize().unwrap().join(".git/hidden.bin")
        );
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_reported_without_being_opened() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let fifo = root.join("model.safetensors");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let socket = std::os::unix::net::UnixListener::bind(root.join("s.sock")).unwrap();
        let walk = walk(root);
        drop(socket);
        assert!(walk.files.is_empty());
        assert_eq!(walk.special_files_skipped, 2);
        assert!(walk.errors[0].1.starts_with("a FIFO"), "{:?}", walk.errors);
        assert!(
            walk.errors[1].1.starts_with("a socket"),
            "{:?}",
            walk.errors
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn names_that_are_not_utf8_are_reported_losslessly() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"w\xff\\.bin");
        std::fs::write(dir.path().join(name), "x").unwrap();
        let walk = walk(dir.path());
        assert_eq!(walk.files.len(), 1);
        assert_eq!(walk.files[0].rel_path, "w\u{fffd}\\.bin");
        assert!(
            walk.errors[0].1.contains(r#""w\xff\\.bin""#),
            "{:?}",
            walk.errors
        );
    }

    #[test]
    fn deep_trees_are_cut_at_the_path_depth_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut path = dir.path().to_owned();
        for _ in 0..PATH_DEPTH + 3 {
            path.push("d");
        }
        std::fs::create_dir_all(&path).unwrap();
        std::fs::write(path.join("deep.txt"), "x").unwrap();
        let walk = walk(dir.path());
        assert!(walk.files.is_empty());
        assert_eq!(walk.errors.len(), 1);
        assert!(walk.errors[0].1.contains("[limit: path depth]"));
        assert_eq!(walk.errors[0].0.matches('/').count(), PATH_DEPTH);
    }

    #[test]
    fn escape_path_is_lossless_and_printable() {
        assert_eq!(escape_path(b"a/b c"), "a/b c");
        assert_eq!(escape_path(b"\xff\n\\\""), r#"\xff\x0a\\\""#);
    }
}
