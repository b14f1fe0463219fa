//! Hugging Face cache repositories (`models--org--name/{blobs,refs,snapshots}`): repo id,
//! revisions and files, with SHA-256 taken from blob names. STUB.
use super::{ParseError, ParseResult};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

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

/// Parse a cache directory name (`models--org--name`) into its type and repo id.
pub fn parse_repo_dir_name(_name: &str) -> Option<(RepoType, String)> {
    None
}

/// Read one cache repository directory. Symlinks are read (never followed outside `dir`).
pub fn read_repo(_dir: &Path) -> ParseResult<CacheRepo> {
    Err(ParseError::new("hf cache not implemented yet"))
}
