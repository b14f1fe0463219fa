//! One scan, end to end: walk, detect, parse and hash in parallel, build the inventory, run the
//! rules, apply the policy's severities.
//!
//! This is the library's entry point; it runs without a terminal and without git (git is only
//! consulted, read-only, to compare LFS pointers with real content when the tree is a work tree).
//! It never writes inside the scanned tree: the only writes are the caches (hashes, corpus
//! statistics, personal-data reports), in the user cache directory.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::artifact::corpus::cached::CorpusCache;
use crate::artifact::hf_cache;
use crate::artifact::lfs::LfsPointer;
use crate::artifact::parsed::{
    Artifact, HashSource, Parsed, ParsedFile, WHOLE_FILE_BYTES, parse_file,
};
use crate::detect::{ArtifactKind, detect};
use crate::documents::Documents;
use crate::finding::Finding;
use crate::hash::{HashCache, Sha256Hex, hash_reader};
use crate::inventory::{self, Inventory, LfsCheck, Unreadable};
use crate::pii::cached::PiiCache;
use crate::policy::Policy;
use crate::rules::{Context, registry::RULES};
use crate::suppression::{self, BaselineInput, Date, Suppressed};
use crate::walk::{self, FileEntry};

mod prompt_refs;

pub struct ScanOptions {
    pub root: PathBuf,
    pub policy: Policy,
    /// Worker threads; `None` = those of the rayon pool the scan is called in: the global one
    /// (one per core) unless the caller installed another, as the command line does for
    /// `--jobs`.
    pub jobs: Option<usize>,
    /// The directory of the hash and personal-data caches; `None` disables them.
    pub cache_dir: Option<PathBuf>,
    /// Called with the progress counters once the scan is running (the CLI draws a bar).
    pub progress: Option<&'static Progress>,
    /// What to report on: the whole tree, the staged changes, or the changes since a ref.
    pub changes: crate::git::ChangeScope,
    /// The licence database; `None` = the built-in one.
    pub license_db: Option<std::sync::Arc<crate::license::LicenseDb>>,
    /// A local Hugging Face cache to resolve external parents' licences from (`--hf-cache`).
    pub hf_cache: Option<PathBuf>,
    /// Ask the Hugging Face Hub about external parents (`--online`); the only network use.
    pub online: Option<crate::license::hub::Hub>,
    /// Accepted findings (`--baseline`): matching findings are suppressed, stale entries reported.
    pub baseline: Option<BaselineInput>,
    /// The date exception expiry is checked against; `None` = today (or `SOURCE_DATE_EPOCH`).
    pub today: Option<Date>,
}

impl ScanOptions {
    pub fn new(root: impl Into<PathBuf>) -> ScanOptions {
        ScanOptions {
            root: root.into(),
            policy: Policy::default(),
            jobs: None,
            cache_dir: None,
            progress: None,
            changes: crate::git::ChangeScope::All,
            license_db: None,
            hf_cache: None,
            online: None,
            baseline: None,
            today: None,
        }
    }
}

/// Counters a progress display can read while a scan runs.
#[derive(Debug, Default)]
pub struct Progress {
    pub total_bytes: AtomicU64,
    pub done_bytes: AtomicU64,
}

/// Facts about the scan itself (not part of the deterministic JSON output).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ScanStats {
    pub files_walked: usize,
    pub artifacts: usize,
    pub bytes_hashed: u64,
    pub hashes_from_cache: usize,
    pub hashes_computed: usize,
    pub hashes_free: usize,
    /// Corpus files whose personal-data report came from the cache, unread.
    pub pii_from_cache: usize,
    /// Large corpus files whose statistics (records, columns) came from the cache, uncounted.
    pub corpus_stats_from_cache: usize,
    pub symlinks_skipped: u64,
    pub special_files_skipped: u64,
}

pub struct ScanResult {
    pub root: PathBuf,
    /// Where documents named by path (licence texts, attribution files) are read: the work
    /// tree, or the git index after `--staged`.
    pub documents: Documents,
    pub inventory: Inventory,
    pub findings: Vec<Finding>,
    /// Findings accepted by an `[[exception]]` or the baseline; they never fail a scan.
    pub suppressed: Vec<Suppressed>,
    pub stats: ScanStats,
    pub policy: Policy,
    /// The licence database the scan used (the audit report names its size).
    pub license_db: std::sync::Arc<crate::license::LicenseDb>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("cannot scan {path}: {reason}")]
    Root { path: String, reason: String },
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    #[error("{0}")]
    Git(String),
    #[error("{0}")]
    LicenseDb(String),
}

pub fn scan(options: ScanOptions) -> Result<ScanResult, ScanError> {
    let root = &options.root;
    let meta = std::fs::metadata(root).map_err(|e| ScanError::Root {
        path: root.display().to_string(),
        reason: e.to_string(),
    })?;
    if !meta.is_dir() {
        return Err(ScanError::Root {
            path: root.display().to_string(),
            reason: "not a directory".to_owned(),
        });
    }
    match options.jobs {
        None => run(options),
        Some(jobs) => rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build()
            .map_err(|e| ScanError::Threads(e.to_string()))?
            .install(|| run(options)),
    }
}

fn run(options: ScanOptions) -> Result<ScanResult, ScanError> {
    // Before any file's metadata is read: the caches do not keep files modified just before.
    let began = std::time::SystemTime::now();
    let ScanOptions {
        root,
        policy,
        cache_dir,
        progress,
        license_db,
        hf_cache,
        online,
        baseline,
        today,
        changes,
        ..
    } = options;
    let fallback = Progress::default();
    let progress: &Progress = progress.unwrap_or(&fallback);

    // `--staged` reads the index, not the work tree; the temporary copies live until the end.
    let mut staged = match changes {
        crate::git::ChangeScope::Staged => Some(
            crate::git::staged_tree(&root, &policy).map_err(|e| ScanError::Git(e.to_string()))?,
        ),
        _ => None,
    };
    let walked = match &mut staged {
        Some(tree) => std::mem::take(&mut tree.walk),
        None => walk::walk(&root),
    };
    let mut stats = ScanStats {
        files_walked: walked.files.len(),
        symlinks_skipped: walked.symlinks_skipped,
        special_files_skipped: walked.special_files_skipped,
        ..ScanStats::default()
    };
    let source_layout = {
        let files: std::collections::HashMap<&str, &std::path::Path> = walked
            .files
            .iter()
            .filter(|f| !policy.is_excluded(&f.rel_path))
            .map(|f| (f.rel_path.as_str(), f.abs_path.as_path()))
            .collect();
        crate::agent::code_servers::SourceLayout::read(files.keys().copied(), |rel| {
            read_config(files.get(rel)?)
        })
    };
    let mut undetected = Vec::new();
    let candidates: Vec<(FileEntry, ArtifactKind)> = walked
        .files
        .into_iter()
        .filter(|f| !policy.is_excluded(&f.rel_path))
        .filter(|f| !policy.privacy.is_erasure_log(&f.rel_path))
        .filter_map(|f| {
            match policy
                .prompts
                .kind_of(&f.rel_path)
                .or_else(|| detect(&f.rel_path))
                .or_else(|| policy.privacy.declared_data_kind(&f.rel_path))
            {
                Some(k) => Some((f, k)),
                None => {
                    undetected.push(f);
                    None
                }
            }
        })
        .collect();
    stats.artifacts = candidates.len();
    let data_files: std::collections::BTreeMap<String, FileEntry> = candidates
        .iter()
        .filter(|(_, k)| matches!(k, ArtifactKind::Corpus(_)))
        .map(|(f, _)| (f.rel_path.clone(), f.clone()))
        .collect();
    progress.total_bytes.store(
        candidates
            .iter()
            .map(|(f, k)| if k.is_hashed() { f.size } else { 0 })
            .sum(),
        Ordering::Relaxed,
    );

    let cache = match &cache_dir {
        Some(dir) => FileCaches {
            hashes: HashCache::load(dir, began),
            corpora: CorpusCache::load(dir, began),
        },
        None => FileCaches {
            hashes: HashCache::disabled(),
            corpora: CorpusCache::disabled(),
        },
    };
    let counters = HashCounters::default();
    // Files of agent tools first, one file per task: such a file can cost milliseconds (the
    // patterns its reader compiles on first use, the modules it imports), and started last it
    // would leave the other threads idle. The files keep their walk order.
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(matches!(candidates[i].1, ArtifactKind::ToolCode)));
    let mut parsed: Vec<(usize, ParsedFile)> = order
        .par_iter()
        .with_max_len(1)
        .map(|&i| {
            let (entry, kind) = &candidates[i];
            (i, parse_and_hash(entry, *kind, &cache, &counters, progress))
        })
        .collect();
    parsed.sort_unstable_by_key(|(i, _)| *i);
    let mut files: Vec<ParsedFile> = parsed.into_iter().map(|(_, f)| f).collect();
    // A weights name whose content turned out to be no artefact (a `.bin` that is no pickle)
    // is not part of the inventory.
    files.retain(|f| !(f.kind.is_weights() && matches!(f.artifact, Ok(Artifact::Other))));
    for (entry, kind) in prompt_refs::referenced_prompts(&files, undetected) {
        files.push(parse_and_hash(&entry, kind, &cache, &counters, progress));
    }
    let cache_repos = walked
        .cache_repos
        .par_iter()
        .filter(|(rel, _)| !policy.is_excluded(rel))
        .map(|(rel, abs)| {
            let repo = hf_cache::read_repo(abs).map(|mut repo| {
                hash_cache_weights(abs, &mut repo, &cache.hashes, &counters, progress);
                repo
            });
            (rel.clone(), repo)
        })
        .collect();
    if cache_dir.is_some() {
        // A cache that cannot be written only costs the next scan time.
        let _ = cache.hashes.save();
        let _ = cache.corpora.save();
    }
    stats.bytes_hashed = counters.bytes.load(Ordering::Relaxed);
    stats.hashes_from_cache = counters.cached.load(Ordering::Relaxed) as usize;
    stats.hashes_computed = counters.computed.load(Ordering::Relaxed) as usize;
    stats.hashes_free = counters.free.load(Ordering::Relaxed) as usize;
    stats.corpus_stats_from_cache = counters.corpus_stats_cached.load(Ordering::Relaxed) as usize;

    let unreadable = walked
        .errors
        .into_iter()
        .map(|(path, error)| Unreadable { path, error })
        .collect();
    // The LFS checks read git while the inventory is built.
    let weights: Vec<WeightsFile> = files.iter().filter_map(WeightsFile::of).collect();
    let (lfs_checks, mut inventory) = rayon::join(
        || lfs_checks(&root, &weights),
        || {
            inventory::build_with(
                files,
                cache_repos,
                unreadable,
                policy.prompts.changelog.as_deref(),
                source_layout,
            )
        },
    );
    inventory.lfs_checks = lfs_checks;
    let today = today.unwrap_or_else(Date::today);
    let documents = match changes {
        crate::git::ChangeScope::Staged => Documents::Index,
        _ => Documents::WorkTree,
    };
    let pii_cache = match &cache_dir {
        Some(dir) => PiiCache::load(dir, began),
        None => PiiCache::disabled(),
    };
    stats.pii_from_cache = crate::privacy::run(
        &root,
        documents,
        &mut inventory,
        &policy.privacy,
        (&data_files, &pii_cache),
        today,
    );
    // A cache that cannot be written only costs the next scan time.
    let _ = pii_cache.save();
    crate::git::attach_prompt_histories(&root, &mut inventory, &changes);
    // `--staged` / `--since`: the changed files, and what the change's base looked like.
    let changed = match (&changes, staged) {
        (crate::git::ChangeScope::Staged, Some(tree)) => Some(tree.changed),
        (crate::git::ChangeScope::Since(reference), _) => Some(
            crate::git::changed_since(&root, reference)
                .map_err(|e| ScanError::Git(e.to_string()))?
                .0,
        ),
        _ => None,
    };
    if let Some(changed) = &changed {
        inventory.base_tool_tiers =
            crate::git::base_tool_tiers(&root, &changes, &inventory, changed);
    }
    let license_db = match license_db {
        Some(db) => db,
        None => std::sync::Arc::new(
            crate::license::LicenseDb::embedded()
                .map_err(|e| ScanError::LicenseDb(e.to_string()))?,
        ),
    };
    let mut cached = hf_cache
        .map(|dir| crate::license::hf_cache::resolve(&inventory, &dir))
        .unwrap_or_default();
    if let Some(hub) = &online {
        let asked = crate::license::hub::resolve(&inventory, hub, &cached);
        cached.extend(asked);
    }
    crate::license::analysis::analyse_with_cache(
        &mut inventory,
        &license_db,
        &policy,
        (&root, documents),
        &cached,
    );
    let findings = run_rules(&inventory, &policy);
    let config_path = policy.source.as_deref().map(|p| display_relative(&root, p));
    let (findings, suppressed) = suppression::apply(
        findings,
        &inventory,
        &policy,
        config_path.as_deref(),
        baseline.as_ref(),
        today,
    );
    let mut findings = findings;
    if let Some(changed) = &changed {
        findings.retain(|f| crate::git::concerns_changed(f, &inventory, changed));
    }
    Ok(ScanResult {
        root,
        documents,
        inventory,
        findings,
        suppressed,
        stats,
        policy,
        license_db,
    })
}

/// The text of a TypeScript/JavaScript config (`tsconfig.json`), when it is UTF-8 and no larger
/// than `tsconfig::MAX_CONFIG_BYTES`; a config that cannot be read only leaves its path aliases
/// unfollowed.
fn read_config(path: &Path) -> Option<String> {
    use std::io::Read;
    let limit = crate::artifact::tsconfig::MAX_CONFIG_BYTES;
    let mut bytes = Vec::new();
    File::open(path)
        .ok()?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > limit {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// `path` relative to `root` when it is inside it (for locations in outputs), else as given.
pub fn display_relative(root: &Path, path: &Path) -> String {
    let inside = match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(path)) => path.strip_prefix(root).ok().map(Path::to_path_buf),
        _ => None,
    };
    inside
        .unwrap_or_else(|| path.to_path_buf())
        .to_string_lossy()
        .replace('\\', "/")
}

#[derive(Default)]
struct HashCounters {
    bytes: AtomicU64,
    cached: AtomicU64,
    computed: AtomicU64,
    free: AtomicU64,
    corpus_stats_cached: AtomicU64,
}

/// The caches of what parsing and hashing a file find.
struct FileCaches {
    hashes: HashCache,
    corpora: CorpusCache,
}

fn parse_and_hash(
    entry: &FileEntry,
    kind: ArtifactKind,
    cache: &FileCaches,
    counters: &HashCounters,
    progress: &Progress,
) -> ParsedFile {
    let cached_stats = match kind {
        ArtifactKind::Corpus(format) => cache.corpora.stats(entry, format),
        _ => None,
    };
    // A large file is hashed while it is parsed: a corpus's statistics take about as long as
    // its hash. (A small one is hashed from the bytes its parser read; an LFS pointer is small.)
    let (parsed_file, hashed) = if let Some(stats) = cached_stats {
        counters.corpus_stats_cached.fetch_add(1, Ordering::Relaxed);
        let parsed = Parsed {
            artifact: Ok(Artifact::Corpus(stats)),
            pointer: None,
            file: None,
            bytes: None,
        };
        (parsed, None)
    } else if kind.is_hashed() && entry.size > WHOLE_FILE_BYTES {
        let (parsed, hash) = rayon::join(
            || parse_file(&entry.abs_path, kind, entry.size),
            || content_hash(entry, Read::Path, &cache.hashes, counters, progress),
        );
        if let Ok(Artifact::Corpus(stats)) = &parsed.artifact {
            cache.corpora.keep(entry, stats);
        }
        (parsed, Some(hash))
    } else {
        (parse_file(&entry.abs_path, kind, entry.size), None)
    };
    let Parsed {
        artifact,
        pointer,
        file,
        bytes,
    } = parsed_file;
    let mut parsed = ParsedFile {
        path: entry.rel_path.clone(),
        kind,
        size: entry.size,
        sha256: None,
        hash_source: None,
        artifact,
        component: None,
    };
    if let Some(LfsPointer { oid_sha256, size }) = pointer {
        parsed.size = size;
        parsed.sha256 = Some(oid_sha256);
        parsed.hash_source = Some(HashSource::LfsPointer);
        counters.free.fetch_add(1, Ordering::Relaxed);
        progress.done_bytes.fetch_add(entry.size, Ordering::Relaxed);
        return parsed;
    }
    if !kind.is_hashed() {
        return parsed;
    }
    let hash = hashed.unwrap_or_else(|| {
        let read = match bytes {
            Some(bytes) => Read::Bytes(bytes),
            None => file.map_or(Read::Path, Read::File),
        };
        content_hash(entry, read, &cache.hashes, counters, progress)
    });
    match hash {
        Ok(hash) => {
            parsed.sha256 = Some(hash);
            parsed.hash_source = Some(HashSource::Content);
        }
        Err(e) => {
            if parsed.artifact.is_ok() {
                parsed.artifact = Err(crate::artifact::ParseError::new(format!(
                    "cannot hash: {e}"
                )));
            }
        }
    }
    parsed
}

/// Where a file's content is hashed from.
enum Read {
    /// Its bytes, read whole by the parser.
    Bytes(Vec<u8>),
    /// The file the parser opened.
    File(File),
    /// Its path: opened here.
    Path,
}

/// The SHA-256 of a file's content: from the hash cache, or computed (and cached) — from what
/// the parser already read or opened when it did.
fn content_hash(
    entry: &FileEntry,
    read: Read,
    cache: &HashCache,
    counters: &HashCounters,
    progress: &Progress,
) -> std::io::Result<String> {
    if let Some(Sha256Hex(hash)) = cache.get(entry) {
        counters.cached.fetch_add(1, Ordering::Relaxed);
        progress.done_bytes.fetch_add(entry.size, Ordering::Relaxed);
        return Ok(hash);
    }
    let hash = match read {
        Read::Bytes(bytes) => hash_reader(bytes.as_slice(), &progress.done_bytes)?,
        Read::File(file) => hash_open(file, progress)?,
        // Opened like the parsers open files: a file swapped for a FIFO since the walk is
        // refused, not waited on.
        Read::Path => hash_open(walk::open_regular(&entry.abs_path)?, progress)?,
    };
    counters.computed.fetch_add(1, Ordering::Relaxed);
    counters.bytes.fetch_add(entry.size, Ordering::Relaxed);
    cache.insert(entry, Sha256Hex(hash.clone()));
    Ok(hash)
}

/// The SHA-256 of an open file from its start, unless it is sparse. (Bytes read whole are far
/// below the size at which a file can count as sparse.)
fn hash_open(mut file: File, progress: &Progress) -> std::io::Result<String> {
    if let Some(reason) = walk::sparse_reason(&file.metadata()?) {
        return Err(std::io::Error::other(reason));
    }
    file.seek(SeekFrom::Start(0))?;
    hash_reader(file, &progress.done_bytes)
}

/// Weight files in a Hugging Face cache whose blob is named by a git SHA-1 (small files stored
/// without LFS) get their SHA-256 from their content, like any other weight file. Blobs are read
/// only inside the cache repository's own `blobs/` directory.
fn hash_cache_weights(
    repo_dir: &Path,
    repo: &mut hf_cache::CacheRepo,
    cache: &HashCache,
    counters: &HashCounters,
    progress: &Progress,
) {
    for file in repo.snapshots.iter_mut().flat_map(|s| s.files.iter_mut()) {
        let is_weights = detect(&file.path).is_some_and(ArtifactKind::is_weights);
        if is_weights && file.sha256.is_some() {
            // `hf_cache` takes it from the blob's name, which is its SHA-256: the hash came free.
            counters.free.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let (None, Some(blob), true) = (&file.sha256, &file.blob, is_weights) else {
            continue;
        };
        if blob.contains('/') || blob.contains("..") {
            continue;
        }
        let rel = format!("blobs/{blob}");
        let is_regular = std::fs::symlink_metadata(repo_dir.join(&rel)).is_ok_and(|m| m.is_file());
        if is_regular
            && let Ok(entry) = walk::stat(repo_dir, &rel)
            && let Ok(hash) = content_hash(&entry, Read::Path, cache, counters, progress)
        {
            file.sha256 = Some(hash);
        }
    }
}

/// Run every enabled rule and apply the policy's severities. Findings come out sorted, one per
/// fingerprint.
pub fn run_rules(inventory: &Inventory, policy: &Policy) -> Vec<Finding> {
    let cx = Context { inventory, policy };
    // Rules read the inventory only: they run in parallel, their findings kept in rule order.
    let per_rule: Vec<Vec<Finding>> = RULES
        .par_iter()
        .filter_map(|rule| {
            let severity = policy.severity(rule.meta().code)?;
            let mut found = Vec::new();
            rule.check(&cx, &mut found);
            for f in &mut found {
                f.severity = f.severity_cap.map_or(severity, |cap| severity.min(cap));
            }
            Some(found)
        })
        .collect();
    let mut findings: Vec<Finding> = per_rule.into_iter().flatten().collect();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| seen.insert(f.fingerprint.clone()));
    findings
}

/// What the LFS checks read of a weights file or an LFS pointer, taken before the files go into
/// the inventory.
struct WeightsFile {
    path: String,
    size: u64,
    pointer: bool,
    /// The object id a pointer names.
    pointer_oid: Option<String>,
}

impl WeightsFile {
    fn of(f: &ParsedFile) -> Option<WeightsFile> {
        let pointer = f.is_lfs_pointer();
        (pointer || f.kind.is_weights()).then(|| WeightsFile {
            path: f.path.clone(),
            size: f.size,
            pointer,
            pointer_oid: if pointer { f.sha256.clone() } else { None },
        })
    }
}

/// Compare LFS pointers with the real content where both are on this machine: a pointer in the
/// tree with its object in the local LFS store, and real weights whose staged version is a
/// pointer. Read-only.
fn lfs_checks(root: &Path, files: &[WeightsFile]) -> Vec<LfsCheck> {
    let mut checks = Vec::new();
    let Ok(repo) = git2::Repository::discover(root) else {
        return checks;
    };
    let git_dir = repo.path().to_owned();
    for f in files {
        let Some(oid) = &f.pointer_oid else { continue };
        let object = git_dir
            .join("lfs/objects")
            .join(&oid[..2])
            .join(&oid[2..4])
            .join(oid);
        if let Ok(meta) = std::fs::metadata(&object) {
            checks.push(LfsCheck {
                path: f.path.clone(),
                pointer_size: f.size,
                real_size: meta.len(),
                real_source: "the local LFS store",
            });
        }
    }
    let (Some(workdir), Ok(index)) = (repo.workdir().map(Path::to_owned), repo.index()) else {
        return checks;
    };
    let Ok(abs_root) = root.canonicalize() else {
        return checks;
    };
    let Ok(workdir) = workdir.canonicalize() else {
        return checks;
    };
    let Ok(prefix) = abs_root.strip_prefix(&workdir) else {
        return checks;
    };
    for f in files.iter().filter(|f| !f.pointer) {
        let in_repo = prefix.join(&f.path);
        let Some(entry) = index.get_path(&in_repo, 0) else {
            continue;
        };
        if u64::from(entry.file_size) > crate::artifact::lfs::MAX_POINTER_BYTES {
            continue;
        }
        let Ok(blob) = repo.find_blob(entry.id) else {
            continue;
        };
        if let Ok(pointer) = crate::artifact::lfs::parse(blob.content()) {
            checks.push(LfsCheck {
                path: f.path.clone(),
                pointer_size: pointer.size,
                real_size: f.size,
                real_source: "the working tree",
            });
        }
    }
    checks.sort();
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large file that became a FIFO after the walk is refused when it is hashed, not waited
    /// on (opening a FIFO for reading blocks until a writer comes).
    #[cfg(unix)]
    #[test]
    fn a_file_swapped_for_a_fifo_is_not_waited_on_when_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.safetensors");
        std::fs::write(&path, vec![0u8; (WHOLE_FILE_BYTES + 1) as usize]).unwrap();
        let entry = walk::stat(dir.path(), "model.safetensors").unwrap();
        std::fs::remove_file(&path).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success());
        let parsed = parse_and_hash(
            &entry,
            ArtifactKind::Safetensors,
            &FileCaches {
                hashes: HashCache::disabled(),
                corpora: CorpusCache::disabled(),
            },
            &HashCounters::default(),
            &Progress::default(),
        );
        assert_eq!(parsed.sha256, None);
        let error = parsed.artifact.unwrap_err().to_string();
        assert!(error.contains("not a regular file"), "{error}");
    }
}
