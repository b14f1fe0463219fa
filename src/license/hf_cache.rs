//! `--hf-cache [DIR]`: the licence of an external parent (`base_model: meta-llama/Llama-3.1-8B`)
//! read from a local Hugging Face cache — the cached card's `license`, `license_name` and
//! `license_link`, and the licence files of the cached snapshot.
//!
//! Only the documented cache layout is read (`models--org--name/{refs,snapshots,blobs}`), through
//! the same reader the scan uses for caches inside the tree: snapshot links are resolved
//! lexically inside the repository directory and never followed; blobs are read bounded. No
//! network.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::is_licence_document;
use crate::artifact::hf_cache::read_repo;
use crate::inventory::{ComponentKind, Inventory};

/// Card and licence files are read up to this many bytes.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// What the cache holds about one external component.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CachedLicence {
    /// `org/name@commit`, for evidence.
    pub origin: String,
    /// (`card license` | `card license_name` | `card license_link`, value).
    pub declared: Vec<(&'static str, String)>,
    /// Licence files of the snapshot: (file name, raw text).
    pub texts: Vec<(String, String)>,
}

/// The cache directory when `--hf-cache` is given without one: `$HF_HUB_CACHE`, `$HF_HOME/hub`,
/// `~/.cache/huggingface/hub`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("HF_HUB_CACHE").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    if let Some(home) = std::env::var_os("HF_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(home).join("hub"));
    }
    dirs::home_dir().map(|h| h.join(".cache/huggingface/hub"))
}

/// Look every external model and dataset of the inventory up in the cache.
pub fn resolve(inventory: &Inventory, cache_dir: &Path) -> BTreeMap<String, CachedLicence> {
    let mut out = BTreeMap::new();
    for c in inventory.components.values().filter(|c| c.external) {
        let Some(hub) = &c.hub_id else { continue };
        let prefix = match c.kind {
            k if k.is_model_like() => "models",
            ComponentKind::Dataset | ComponentKind::Corpus => "datasets",
            _ => continue,
        };
        let dir = cache_dir.join(format!("{prefix}--{}", hub.replace('/', "--")));
        if let Some(found) = read_cached(&dir, hub, c.revision.as_deref()) {
            out.insert(c.id.clone(), found);
        }
    }
    out
}

fn read_cached(dir: &Path, hub: &str, revision: Option<&str>) -> Option<CachedLicence> {
    let repo = read_repo(dir).ok()?;
    let wanted = revision
        .and_then(|r| repo.refs.get(r).cloned().or_else(|| Some(r.to_owned())))
        .or_else(|| repo.refs.get("main").cloned());
    let snapshot = repo
        .snapshots
        .iter()
        .find(|s| Some(&s.commit) == wanted.as_ref())
        .or_else(|| repo.snapshots.last())?;
    let mut found = CachedLicence {
        origin: format!("{hub}@{}", snapshot.commit),
        ..CachedLicence::default()
    };
    for file in &snapshot.files {
        if file.path.contains('/') {
            continue;
        }
        let Some(blob) = &file.blob else { continue };
        let is_card = file.path.eq_ignore_ascii_case("README.md");
        if !is_card && !is_licence_document(&file.path) {
            continue;
        }
        let Some(text) = read_blob(dir, blob) else {
            continue;
        };
        if is_card {
            if let Ok(card) = crate::artifact::card::parse(&text) {
                for (source, value) in [
                    ("card license", &card.license),
                    ("card license_name", &card.license_name),
                    ("card license_link", &card.license_link),
                ] {
                    if let Some(v) = value {
                        found.declared.push((source, v.value.clone()));
                    }
                }
            }
        } else {
            found.texts.push((file.path.clone(), text));
        }
    }
    found.texts.sort();
    Some(found)
}

/// A blob's content, when the blob name is a plain file name and the blob a regular file.
fn read_blob(repo_dir: &Path, blob: &str) -> Option<String> {
    if blob.is_empty() || blob.contains(['/', '\\']) || blob.contains("..") {
        return None;
    }
    let path = repo_dir.join("blobs").join(blob);
    if !std::fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .ok()?
        .take(MAX_FILE_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}
