//! Hugging Face cache repositories (`models--org--name/{blobs,refs,snapshots}`): repo id,
//! revisions and files, with SHA-256 taken from blob names (the Hub names LFS blobs by the
//! SHA-256 of their content, so weights get a hash without being read).
//!
//! The layout is read with `read_dir`, `read_link` and `symlink_metadata` only: snapshot entries
//! are relative symlinks into `blobs/`, and a link is resolved lexically and used only when it
//! stays inside the repository directory — no link is ever followed, and no file content other
//! than the 40-byte ref files is read. Unreadable entries are skipped so one bad file does not
//! hide the rest of the cache.

use super::{ParseError, ParseResult, is_sha256_hex};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RepoType {
    Model,
    Dataset,
    Space,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CacheFile {
    /// Path inside the snapshot (`model.safetensors`, `onnx/model.onnx`).
    pub path: String,
    /// Blob name the snapshot entry points at.
    pub blob: Option<String>,
    /// The blob name when it is a SHA-256 (LFS files); git SHA-1 names are not.
    pub sha256: Option<String>,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub commit: String,
    pub files: Vec<CacheFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CacheRepo {
    pub repo_type: RepoType,
    /// `org/name` (or `name` with no namespace).
    pub repo_id: String,
    /// ref name (`main`, `refs/pr/1`) → commit.
    pub refs: BTreeMap<String, String>,
    pub snapshots: Vec<Snapshot>,
}

/// Directory entries visited in one repository (refs and snapshots together).
pub const CACHE_ENTRIES: usize = 1_000_000;
/// Directory nesting followed under `refs/` and inside a snapshot.
pub const CACHE_DEPTH: usize = 32;
/// A ref file holds a 40-character commit; anything longer is not one.
const REF_BYTES: u64 = 128;

/// Parse a cache directory name (`models--org--name`) into its type and repo id.
pub fn parse_repo_dir_name(name: &str) -> Option<(RepoType, String)> {
    let (repo_type, rest) = [
        ("models--", RepoType::Model),
        ("datasets--", RepoType::Dataset),
        ("spaces--", RepoType::Space),
    ]
    .into_iter()
    .find_map(|(prefix, kind)| Some((kind, name.strip_prefix(prefix)?)))?;
    let valid =
        |part: &str| !part.is_empty() && !part.contains(['/', '\\']) && part != "." && part != "..";
    let repo_id = match rest.split_once("--") {
        Some((namespace, repo)) if valid(namespace) && valid(repo) && !repo.contains("--") => {
            format!("{namespace}/{repo}")
        }
        Some(_) => return None,
        None if valid(rest) => rest.to_owned(),
        None => return None,
    };
    Some((repo_type, repo_id))
}

/// Read one cache repository directory. Symlinks are read (never followed outside `dir`).
pub fn read_repo(dir: &Path) -> ParseResult<CacheRepo> {
    let name = dir.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        ParseError::new(format!(
            "{} is not a cache repository directory",
            dir.display()
        ))
    })?;
    let (repo_type, repo_id) = parse_repo_dir_name(name).ok_or_else(|| {
        ParseError::new(format!(
            "{name:?} is not a Hugging Face cache repository name (models--org--name, datasets--…, spaces--…)"
        ))
    })?;
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(ParseError::new(format!(
            "{} is not a directory (symlinks are not followed)",
            dir.display()
        )));
    }
    let mut budget = CACHE_ENTRIES;

    let mut refs = BTreeMap::new();
    let mut ref_files = Vec::new();
    walk(&dir.join("refs"), "", 0, &mut budget, &mut ref_files);
    for (name, path, kind) in ref_files {
        if kind != EntryKind::File {
            continue;
        }
        if let Some(commit) = read_ref(&path) {
            refs.insert(name, commit);
        }
    }

    let mut snapshots = Vec::new();
    for (commit, path) in subdirectories(&dir.join("snapshots"), &mut budget) {
        let mut entries = Vec::new();
        walk(&path, "", 0, &mut budget, &mut entries);
        let mut files: Vec<CacheFile> = entries
            .into_iter()
            .map(|(rel, path, kind)| cache_file(dir, rel, &path, kind))
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        snapshots.push(Snapshot { commit, files });
    }
    snapshots.sort_by(|a, b| a.commit.cmp(&b.commit));

    Ok(CacheRepo {
        repo_type,
        repo_id,
        refs,
        snapshots,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Symlink,
}

/// Collect regular files and symlinks under `dir` (not following links), as
/// (relative `/`-separated path, full path, kind). Unreadable directories are skipped.
fn walk(
    dir: &Path,
    prefix: &str,
    depth: usize,
    budget: &mut usize,
    out: &mut Vec<(String, PathBuf, EntryKind)>,
) {
    if depth > CACHE_DEPTH || (depth == 0 && !is_real_dir(dir)) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Some(left) = budget.checked_sub(1) else {
            return;
        };
        *budget = left;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_symlink() {
            out.push((rel, entry.path(), EntryKind::Symlink));
        } else if file_type.is_dir() {
            walk(&entry.path(), &rel, depth + 1, budget, out);
        } else if file_type.is_file() {
            out.push((rel, entry.path(), EntryKind::File));
        }
    }
}

/// Real (non-symlink) subdirectories of `dir`, by name.
fn subdirectories(dir: &Path, budget: &mut usize) -> Vec<(String, PathBuf)> {
    if !is_real_dir(dir) {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let Some(left) = budget.checked_sub(1) else {
            break;
        };
        *budget = left;
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            out.push((
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            ));
        }
    }
    out
}

/// A directory that is not a symlink (so reading it does not leave the repository).
fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// The commit in a ref file, when it holds one (40 hex digits, lower-cased).
fn read_ref(path: &Path) -> Option<String> {
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(REF_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    let commit = text.trim();
    (commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| commit.to_ascii_lowercase())
}

/// A snapshot entry: a symlink into `blobs/` gives the blob name and size; a plain file (a copy,
/// as on Windows) gives its own size.
fn cache_file(repo_dir: &Path, path: String, full: &Path, kind: EntryKind) -> CacheFile {
    let mut file = CacheFile {
        path,
        blob: None,
        sha256: None,
        size: 0,
    };
    match kind {
        EntryKind::File => {
            file.size = std::fs::symlink_metadata(full).map_or(0, |m| m.len());
        }
        EntryKind::Symlink => {
            let Some(blob) = blob_target(repo_dir, full) else {
                return file;
            };
            let blobs = repo_dir.join("blobs");
            if is_real_dir(&blobs) {
                file.size = std::fs::symlink_metadata(blobs.join(&blob))
                    .ok()
                    .filter(|m| m.is_file())
                    .map_or(0, |m| m.len());
            }
            file.sha256 = is_sha256_hex(&blob).then(|| blob.to_ascii_lowercase());
            file.blob = Some(blob);
        }
    }
    file
}

/// The blob name a snapshot symlink points at, when its target resolves (lexically) to a direct
/// child of `repo_dir/blobs`. Links that leave the repository, or point anywhere else, give none.
fn blob_target(repo_dir: &Path, link: &Path) -> Option<String> {
    let target = std::fs::read_link(link).ok()?;
    let base = if target.is_absolute() {
        PathBuf::new()
    } else {
        link.parent()?.to_path_buf()
    };
    let resolved = normalize(&base.join(&target));
    let repo = normalize(repo_dir);
    let inside = resolved.strip_prefix(&repo).ok()?;
    let mut parts = inside.components();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Component::Normal(blobs)), Some(Component::Normal(name)), None)
            if blobs == "blobs" =>
        {
            name.to_str().map(str::to_owned)
        }
        _ => None,
    }
}

/// Resolve `.` and `..` lexically (no file system access). `..` at the root stays at the root;
/// leading `..` of a relative path are kept.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";
    const OLD_COMMIT: &str = "89abcdef0123456789abcdef0123456789abcdef";
    const SHA256: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const SHA1: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn repo_dir_names() {
        assert_eq!(
            parse_repo_dir_name("models--meta-llama--Llama-3.1-8B"),
            Some((RepoType::Model, "meta-llama/Llama-3.1-8B".to_owned()))
        );
        assert_eq!(
            parse_repo_dir_name("datasets--acme--chats"),
            Some((RepoType::Dataset, "acme/chats".to_owned()))
        );
        assert_eq!(
            parse_repo_dir_name("spaces--demo"),
            Some((RepoType::Space, "demo".to_owned()))
        );
        assert_eq!(
            parse_repo_dir_name("models--gpt2"),
            Some((RepoType::Model, "gpt2".to_owned()))
        );
        for bad in [
            "models--",
            "models----x",
            "models--a--",
            "models--a--b--c",
            "model--a--b",
            "gpt2",
            "models--..",
            "",
        ] {
            assert_eq!(parse_repo_dir_name(bad), None, "{bad}");
        }
    }

    fn build_cache(root: &Path) -> PathBuf {
        let repo = root.join("models--org--model");
        fs::create_dir_all(repo.join("blobs")).unwrap();
        fs::create_dir_all(repo.join("refs/refs/pr")).unwrap();
        fs::create_dir_all(repo.join(format!("snapshots/{COMMIT}/onnx"))).unwrap();
        fs::create_dir_all(repo.join(format!("snapshots/{OLD_COMMIT}"))).unwrap();
        fs::write(repo.join("blobs").join(SHA256), vec![0u8; 1234]).unwrap();
        fs::write(repo.join("blobs").join(SHA1), b"{}\n").unwrap();
        fs::write(
            repo.join("refs/main"),
            format!("{}\n", COMMIT.to_uppercase()),
        )
        .unwrap();
        fs::write(repo.join("refs/refs/pr/1"), OLD_COMMIT).unwrap();
        fs::write(repo.join("refs/broken"), "not a commit").unwrap();
        let snap = repo.join("snapshots").join(COMMIT);
        symlink(
            format!("../../blobs/{SHA256}"),
            snap.join("model.safetensors"),
        )
        .unwrap();
        symlink(
            format!("../../../blobs/{SHA1}"),
            snap.join("onnx/config.json"),
        )
        .unwrap();
        symlink("../../../../../etc/passwd", snap.join("escape")).unwrap();
        symlink("/etc/passwd", snap.join("absolute")).unwrap();
        symlink("../../refs/main", snap.join("not-a-blob")).unwrap();
        symlink("../../blobs/missing", snap.join("dangling")).unwrap();
        fs::write(snap.join("copied.txt"), b"hello").unwrap();
        symlink(
            format!("../../blobs/{SHA1}"),
            repo.join("snapshots").join(OLD_COMMIT).join("config.json"),
        )
        .unwrap();
        repo
    }

    #[test]
    fn reads_refs_snapshots_and_blobs() {
        let root = tempfile::tempdir().unwrap();
        let repo = read_repo(&build_cache(root.path())).unwrap();
        assert_eq!(repo.repo_type, RepoType::Model);
        assert_eq!(repo.repo_id, "org/model");
        assert_eq!(repo.refs.len(), 2);
        assert_eq!(repo.refs["main"], COMMIT);
        assert_eq!(repo.refs["refs/pr/1"], OLD_COMMIT);

        let commits: Vec<_> = repo.snapshots.iter().map(|s| s.commit.as_str()).collect();
        assert_eq!(commits, [COMMIT, OLD_COMMIT]);
        let files = &repo.snapshots[0].files;
        let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "absolute",
                "copied.txt",
                "dangling",
                "escape",
                "model.safetensors",
                "not-a-blob",
                "onnx/config.json"
            ]
        );
        let by_path = |p: &str| files.iter().find(|f| f.path == p).unwrap();

        let model = by_path("model.safetensors");
        assert_eq!(model.blob.as_deref(), Some(SHA256));
        assert_eq!(model.sha256.as_deref(), Some(SHA256));
        assert_eq!(model.size, 1234);

        let config = by_path("onnx/config.json");
        assert_eq!(config.blob.as_deref(), Some(SHA1));
        assert_eq!(config.sha256, None);
        assert_eq!(config.size, 3);

        for outside in ["absolute", "escape", "not-a-blob"] {
            let f = by_path(outside);
            assert_eq!((f.blob.as_deref(), f.size), (None, 0), "{outside}");
        }
        let dangling = by_path("dangling");
        assert_eq!(
            (dangling.blob.as_deref(), dangling.size),
            (Some("missing"), 0)
        );
        assert_eq!(by_path("copied.txt").size, 5);
        assert_eq!(by_path("copied.txt").blob, None);

        assert_eq!(repo.snapshots[1].files.len(), 1);
        assert_eq!(repo.snapshots[1].files[0].size, 3);
    }

    #[test]
    fn blob_that_is_a_symlink_is_not_followed() {
        let root = tempfile::tempdir().unwrap();
        let repo_dir = root.path().join("datasets--x");
        fs::create_dir_all(repo_dir.join("blobs")).unwrap();
        fs::create_dir_all(repo_dir.join("snapshots/c")).unwrap();
        fs::write(root.path().join("secret"), vec![1u8; 99]).unwrap();
        symlink("../secret", repo_dir.join("blobs").join(SHA256)).unwrap();
        symlink(
            format!("../../blobs/{SHA256}"),
            repo_dir.join("snapshots/c/f"),
        )
        .unwrap();
        let repo = read_repo(&repo_dir).unwrap();
        assert_eq!(repo.repo_id, "x");
        assert_eq!(repo.repo_type, RepoType::Dataset);
        let file = &repo.snapshots[0].files[0];
        assert_eq!(file.sha256.as_deref(), Some(SHA256));
        assert_eq!(file.size, 0);
    }

    #[test]
    fn symlinked_snapshot_directories_are_not_entered() {
        let root = tempfile::tempdir().unwrap();
        let repo_dir = root.path().join("spaces--a--b");
        fs::create_dir_all(repo_dir.join("snapshots")).unwrap();
        fs::create_dir_all(root.path().join("elsewhere")).unwrap();
        fs::write(root.path().join("elsewhere/f"), b"x").unwrap();
        symlink("../../elsewhere", repo_dir.join("snapshots/linked")).unwrap();
        let repo = read_repo(&repo_dir).unwrap();
        assert!(repo.snapshots.is_empty());
        assert!(repo.refs.is_empty());
    }

    #[test]
    fn empty_and_invalid_directories() {
        let root = tempfile::tempdir().unwrap();
        let empty = root.path().join("models--a--b");
        fs::create_dir(&empty).unwrap();
        let repo = read_repo(&empty).unwrap();
        assert!(repo.refs.is_empty() && repo.snapshots.is_empty());

        let wrong = root.path().join("not-a-repo");
        fs::create_dir(&wrong).unwrap();
        assert!(
            read_repo(&wrong)
                .unwrap_err()
                .message
                .contains("not a Hugging Face cache")
        );
        let missing = root.path().join("models--missing");
        assert!(
            read_repo(&missing)
                .unwrap_err()
                .message
                .starts_with("read error")
        );
        let file = root.path().join("models--file");
        fs::write(&file, b"").unwrap();
        assert!(
            read_repo(&file)
                .unwrap_err()
                .message
                .contains("not a directory")
        );
    }

    #[test]
    fn oversized_ref_is_ignored() {
        let root = tempfile::tempdir().unwrap();
        let repo_dir = root.path().join("models--r");
        fs::create_dir_all(repo_dir.join("refs")).unwrap();
        fs::write(
            repo_dir.join("refs/main"),
            format!("{COMMIT}{}", " ".repeat(500)),
        )
        .unwrap();
        fs::write(repo_dir.join("refs/long"), format!("{COMMIT}{COMMIT}")).unwrap();
        let repo = read_repo(&repo_dir).unwrap();
        assert_eq!(repo.refs.keys().collect::<Vec<_>>(), ["main"]);
    }

    #[test]
    fn symlinked_layout_directories_are_not_read() {
        let root = tempfile::tempdir().unwrap();
        let real = build_cache(root.path());
        let repo_dir = root.path().join("models--linked");
        fs::create_dir_all(repo_dir.join("snapshots/c")).unwrap();
        symlink(real.join("refs"), repo_dir.join("refs")).unwrap();
        symlink(real.join("blobs"), repo_dir.join("blobs")).unwrap();
        symlink(
            format!("../../blobs/{SHA256}"),
            repo_dir.join("snapshots/c/model"),
        )
        .unwrap();
        fs::create_dir(repo_dir.join("refs2")).unwrap();
        symlink(real.join("refs/main"), repo_dir.join("refs2/main")).unwrap();
        let repo = read_repo(&repo_dir).unwrap();
        assert!(repo.refs.is_empty());
        let file = &repo.snapshots[0].files[0];
        assert_eq!(file.blob.as_deref(), Some(SHA256));
        assert_eq!(file.size, 0);
    }

    #[test]
    fn relative_repository_path() {
        let root = tempfile::tempdir().unwrap();
        let real = build_cache(root.path());
        let sub = root.path().join("sub");
        fs::create_dir(&sub).unwrap();
        let relative = Path::new("..").join(real.file_name().unwrap());
        // Resolve against `sub` without changing the process's working directory.
        let resolved = blob_target(
            &sub.join(&relative),
            &sub.join(&relative)
                .join("snapshots")
                .join(COMMIT)
                .join("model.safetensors"),
        );
        assert_eq!(resolved.as_deref(), Some(SHA256));
        let link = Path::new("../models--org--model/snapshots/x/f");
        assert_eq!(
            normalize(&link.parent().unwrap().join("../../blobs/b")),
            PathBuf::from("../models--org--model/blobs/b")
        );
    }

    #[test]
    fn lexical_normalisation() {
        assert_eq!(normalize(Path::new("a/b/../c/./d")), PathBuf::from("a/c/d"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
        assert_eq!(normalize(Path::new("../../x/..")), PathBuf::from("../.."));
        assert_eq!(normalize(Path::new("/x/../../y")), PathBuf::from("/y"));
    }
}
