//! Git facts, gathered in the scan stage so rules never touch git: which files are staged
//! (`--staged`) or changed since a merge base (`--since`), the staged content itself, and each
//! prompt's history (when its content and its changelog entry last changed, and its version and
//! content at HEAD or the merge base).
//!
//! Read-only: nothing here writes to the repository, its index or its work tree. Staged content
//! that differs from the work tree is copied into a temporary directory outside the repository;
//! everything else is read in place. History walks are bounded (`MAX_HISTORY` commits on the
//! first-parent chain) and every blob read is bounded by the text limit.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use git2::{Delta, DiffOptions, ObjectType, Oid, Repository, Tree};

use crate::artifact::limits;
use crate::detect::{ArtifactKind, detect};
use crate::inventory::{self, Change, ChangelogSource, Inventory, PromptHistory, changelog_text};
use crate::policy::Policy;
use crate::walk::{self, FileEntry, Walk};

/// Which changes a scan reports on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ChangeScope {
    /// The whole tree (the default).
    #[default]
    All,
    /// `--staged`: the files in the index that differ from HEAD, read from the index.
    Staged,
    /// `--since REF`: artefacts changed since the merge base of REF and HEAD.
    Since(String),
}

/// Commits walked on HEAD's first-parent chain to date a prompt's changes.
pub const MAX_HISTORY: usize = 1000;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct GitError(pub String);

fn git_err(context: &str) -> impl Fn(git2::Error) -> GitError + '_ {
    move |e| GitError(format!("{context}: {}", e.message()))
}

/// A repository and where the scanned root sits inside its work tree.
struct Repo {
    repo: Repository,
    /// The root, relative to the work tree, `/`-separated, with a trailing `/` (empty at the top).
    prefix: String,
}

impl Repo {
    fn open(root: &Path) -> Result<Repo, GitError> {
        let repo = Repository::discover(root).map_err(|e| {
            GitError(format!(
                "{} is not in a git repository: {}",
                root.display(),
                e.message()
            ))
        })?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| {
                GitError("the repository has no work tree (bare repository)".to_owned())
            })?
            .canonicalize()
            .map_err(|e| GitError(format!("cannot resolve the work tree: {e}")))?;
        let abs_root = root
            .canonicalize()
            .map_err(|e| GitError(format!("cannot resolve {}: {e}", root.display())))?;
        let rel = abs_root
            .strip_prefix(&workdir)
            .map_err(|_| GitError("the scanned path is outside the work tree".to_owned()))?;
        let prefix = walk::rel_path(Path::new(""), rel);
        let prefix = if prefix == "." || prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        };
        Ok(Repo { repo, prefix })
    }

    /// A repository path as a root-relative path, if it is under the root.
    fn to_root(&self, repo_path: &str) -> Option<String> {
        repo_path.strip_prefix(&self.prefix).map(str::to_owned)
    }

    /// Root-relative paths a diff adds or changes (deletions are not artefacts to scan).
    fn changed_paths(&self, diff: &git2::Diff<'_>) -> BTreeSet<String> {
        diff.deltas()
            .filter(|d| {
                !matches!(
                    d.status(),
                    Delta::Deleted | Delta::Unmodified | Delta::Ignored
                )
            })
            .filter_map(|d| {
                d.new_file()
                    .path()
                    .and_then(Path::to_str)
                    .and_then(|p| self.to_root(p))
            })
            .collect()
    }

    fn to_repo(&self, root_path: &str) -> String {
        format!("{}{root_path}", self.prefix)
    }

    fn head_tree(&self) -> Option<Tree<'_>> {
        self.repo.head().ok()?.peel_to_tree().ok()
    }
}

/// What `--staged` scans: the staged files and the artefacts they relate to, each read from the
/// index (or from the work tree when it holds the same content).
pub struct StagedTree {
    pub walk: Walk,
    /// Root-relative paths staged with a difference from HEAD.
    pub changed: BTreeSet<String>,
    /// Staged content that differs from the work tree, copied here; removed on drop.
    _temp: Option<tempfile::TempDir>,
}

/// Kinds read only for what they say about other files (never hashed, small).
fn is_context_kind(kind: ArtifactKind) -> bool {
    !kind.is_hashed()
}

/// Package manifests (C# project files among them) and TypeScript/JavaScript configs, which
/// say where a tool file's MCP server may be (`agent::code_servers::SourceLayout`).
fn is_layout_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    crate::agent::code_servers::is_package_manifest(name)
        || crate::agent::code_servers::SCRIPT_CONFIGS.contains(&name)
}

/// Collect the staged files of the repository containing `root` and the files they relate to:
/// the metadata files (cards, configs, changelogs, indexes, package manifests, `tsconfig.json`)
/// in each staged file's directory and its ancestors, the `[prompts] changelog`, and the base model directory an adapter or card
/// names by a local path. Never walks the work tree.
pub fn staged_tree(root: &Path, policy: &Policy) -> Result<StagedTree, GitError> {
    let repo = Repo::open(root)?;
    let index = repo
        .repo
        .index()
        .map_err(git_err("cannot read the index"))?;
    let head = repo.head_tree();
    let mut options = DiffOptions::new();
    if !repo.prefix.is_empty() {
        options.pathspec(&repo.prefix);
    }
    let diff = repo
        .repo
        .diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut options))
        .map_err(git_err("cannot compare the index with HEAD"))?;
    let changed = repo.changed_paths(&diff);

    let kind_of = |rel: &str| policy.prompts.kind_of(rel).or_else(|| detect(rel));
    // Directories whose metadata files come along: each changed file's directory and ancestors.
    let mut context_dirs: HashSet<String> = HashSet::new();
    for rel in &changed {
        let mut dir = inventory::parent(rel);
        loop {
            if !context_dirs.insert(dir.to_owned()) || dir == "." {
                break;
            }
            dir = inventory::parent(dir);
        }
    }
    let entries: HashMap<String, git2::IndexEntry> = index
        .iter()
        .filter_map(|e| {
            let path = String::from_utf8(e.path.clone()).ok()?;
            let rel = repo.to_root(&path)?;
            Some((rel, e))
        })
        .filter(|(rel, _)| changed.contains(rel) || context_dirs.contains(inventory::parent(rel)))
        .collect();

    let mut selected: BTreeSet<String> = changed.clone();
    for rel in entries.keys() {
        if !changed.contains(rel)
            && (kind_of(rel).is_some_and(is_context_kind) || is_layout_file(rel))
        {
            selected.insert(rel.clone());
        }
    }
    if let Some(shared) = &policy.prompts.changelog
        && index
            .get_path(Path::new(&repo.to_repo(shared)), 0)
            .is_some()
    {
        selected.insert(shared.clone());
    }
    for dir in referenced_model_dirs(&repo, &index, &changed) {
        for entry in index.iter() {
            let Some(rel) = String::from_utf8(entry.path.clone())
                .ok()
                .and_then(|p| repo.to_root(&p))
            else {
                continue;
            };
            if inventory::parent(&rel) == dir && kind_of(&rel).is_some_and(is_context_kind) {
                selected.insert(rel);
            }
        }
    }

    let mut temp: Option<tempfile::TempDir> = None;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let odb = repo
        .repo
        .odb()
        .map_err(git_err("cannot open the object database"))?;
    for rel in selected {
        let looked_up;
        let entry = match entries.get(&rel) {
            Some(e) => e,
            None => match index.get_path(Path::new(&repo.to_repo(&rel)), 0) {
                Some(e) => {
                    looked_up = e;
                    &looked_up
                }
                None => continue,
            },
        };
        // Regular files only: no symlinks (0o120000) or submodules (0o160000).
        if entry.mode & 0o170000 != 0o100000 {
            continue;
        }
        if let Ok(on_disk) = walk::stat(root, &rel)
            && same_as_index(&on_disk, entry)
        {
            files.push(on_disk);
            continue;
        }
        let dir = match &temp {
            Some(t) => t.path().to_owned(),
            None => {
                let t = tempfile::Builder::new()
                    .prefix("aibom-staged-")
                    .tempdir()
                    .map_err(|e| GitError(format!("cannot create a temporary directory: {e}")))?;
                let p = t.path().to_owned();
                temp = Some(t);
                p
            }
        };
        match write_blob(
            &odb,
            entry.id,
            &blob_destination(&dir, files.len(), &rel),
            &rel,
        ) {
            Ok(entry) => files.push(entry),
            Err(e) => errors.push((rel, e)),
        }
    }
    files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    Ok(StagedTree {
        walk: Walk {
            files,
            errors,
            ..Walk::default()
        },
        changed,
        _temp: temp,
    })
}

/// The work-tree file holds the staged content when its size, modification time and inode match
/// the index entry (the test git itself uses), and it was not modified in the same second the
/// index was written in a way the timestamps cannot show.
fn same_as_index(on_disk: &FileEntry, entry: &git2::IndexEntry) -> bool {
    let mtime_ns =
        i128::from(entry.mtime.seconds()) * 1_000_000_000 + i128::from(entry.mtime.nanoseconds());
    on_disk.size == u64::from(entry.file_size)
        && on_disk.mtime_ns == mtime_ns
        && (entry.ino == 0 || on_disk.ino as u32 == entry.ino)
}

/// Where the `n`th blob copied into `dir` goes: its own folder, under the file's own name, so
/// parsers that look at the extension see the same one.
fn blob_destination(dir: &Path, n: usize, rel: &str) -> PathBuf {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    dir.join(n.to_string()).join(name)
}

/// Stream a blob into `dest` and describe it as a file entry with the repository path.
fn write_blob(odb: &git2::Odb<'_>, id: Oid, dest: &Path, rel: &str) -> Result<FileEntry, String> {
    let (_, kind) = odb.read_header(id).map_err(|e| e.message().to_owned())?;
    if kind != ObjectType::Blob {
        return Err("the index entry is not a blob".to_owned());
    }
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(dest).map_err(|e| e.to_string())?);
    match odb.reader(id) {
        // Loose objects stream; packed ones (which libgit2 cannot stream) are read whole.
        Ok((mut reader, _, _)) => {
            std::io::copy(&mut reader, &mut out).map_err(|e| e.to_string())?;
        }
        Err(_) => {
            let object = odb.read(id).map_err(|e| e.message().to_owned())?;
            out.write_all(object.data()).map_err(|e| e.to_string())?;
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    let meta = std::fs::metadata(dest).map_err(|e| e.to_string())?;
    let mut entry = walk::stat(
        dest.parent().unwrap_or(dest),
        &dest.file_name().unwrap_or_default().to_string_lossy(),
    )
    .map_err(|e| e.to_string())?;
    entry.rel_path = rel.to_owned();
    entry.abs_path = PathBuf::from(dest);
    entry.size = meta.len();
    Ok(entry)
}

/// Read a small blob as text (bounded by the text limit).
fn blob_text(repo: &Repository, id: Oid) -> Option<String> {
    // The size from the object header first: a huge blob is never loaded.
    let (size, kind) = repo.odb().ok()?.read_header(id).ok()?;
    if kind != ObjectType::Blob || size as u64 > limits::TEXT_BYTES {
        return None;
    }
    let blob = repo.find_blob(id).ok()?;
    String::from_utf8(blob.content().to_vec()).ok()
}

/// Directories (root-relative) that staged adapter configs and cards name as their base model by
/// a local path.
fn referenced_model_dirs(
    repo: &Repo,
    index: &git2::Index,
    changed: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut dirs = BTreeSet::new();
    for rel in changed {
        let kind = detect(rel);
        if !matches!(kind, Some(ArtifactKind::AdapterConfig | ArtifactKind::Card)) {
            continue;
        }
        let Some(entry) = index.get_path(Path::new(&repo.to_repo(rel)), 0) else {
            continue;
        };
        let Some(text) = blob_text(&repo.repo, entry.id) else {
            continue;
        };
        let references: Vec<String> = match kind {
            Some(ArtifactKind::AdapterConfig) => {
                crate::artifact::hf_config::parse_adapter_config(&text)
                    .ok()
                    .and_then(|c| c.base_model_name_or_path)
                    .map(|b| vec![b.value])
                    .unwrap_or_default()
            }
            _ => crate::artifact::card::parse(&text)
                .map(|c| c.base_model.into_iter().map(|b| b.value).collect())
                .unwrap_or_default(),
        };
        let dir = inventory::parent(rel);
        for reference in references {
            let joined = if dir == "." {
                reference.clone()
            } else {
                format!("{dir}/{reference}")
            };
            for candidate in [
                inventory::normalize(&reference),
                inventory::normalize(&joined),
            ]
            .into_iter()
            .flatten()
            {
                dirs.insert(candidate);
            }
        }
    }
    dirs
}

/// The staged content of a root-relative file, when the index has it as a small text blob.
pub fn staged_text(root: &Path, rel: &str) -> Option<String> {
    let repo = Repo::open(root).ok()?;
    let index = repo.repo.index().ok()?;
    let entry = index.get_path(Path::new(&repo.to_repo(rel)), 0)?;
    blob_text(&repo.repo, entry.id)
}

/// A document the configuration names (an erasure log, an erasure procedure) as the index holds
/// it, for `--staged`: the commit being made is judged by what it will contain.
#[derive(Debug, PartialEq, Eq)]
pub enum StagedDocument {
    /// Neither a file nor a folder in the index.
    Absent,
    /// A folder: some staged file lies under it.
    Folder,
    /// A symbolic link or submodule.
    NotAFile,
    /// A regular file larger than the bound asked for: not read.
    TooLarge(u64),
    File(Vec<u8>),
}

/// The staged document at root-relative `rel`, its content read when at most `max` bytes.
pub fn staged_document(root: &Path, rel: &str, max: u64) -> Result<StagedDocument, GitError> {
    let repo = Repo::open(root)?;
    let index = repo
        .repo
        .index()
        .map_err(git_err("cannot read the index"))?;
    let path = repo.to_repo(rel);
    let Some(entry) = index.get_path(Path::new(&path), 0) else {
        let folder = format!("{}/", path.trim_end_matches('/'));
        let under = index.iter().any(|e| e.path.starts_with(folder.as_bytes()));
        return Ok(if under {
            StagedDocument::Folder
        } else {
            StagedDocument::Absent
        });
    };
    if entry.mode & 0o170000 != 0o100000 {
        return Ok(StagedDocument::NotAFile);
    }
    let odb = repo
        .repo
        .odb()
        .map_err(git_err("cannot open the object database"))?;
    // The size from the object header first: a huge blob is never loaded.
    let (size, _) = odb
        .read_header(entry.id)
        .map_err(git_err("cannot read the staged blob"))?;
    if size as u64 > max {
        return Ok(StagedDocument::TooLarge(size as u64));
    }
    let blob = odb
        .read(entry.id)
        .map_err(git_err("cannot read the staged blob"))?;
    Ok(StagedDocument::File(blob.data().to_vec()))
}

/// Root-relative paths changed between the merge base of `reference` and HEAD and the work tree
/// (committed, staged or not), for `--since`.
pub fn changed_since(root: &Path, reference: &str) -> Result<(BTreeSet<String>, Oid), GitError> {
    let repo = Repo::open(root)?;
    let base = merge_base(&repo.repo, reference)?;
    let tree = repo
        .repo
        .find_commit(base)
        .and_then(|c| c.tree())
        .map_err(git_err("cannot read the merge base"))?;
    let mut options = DiffOptions::new();
    if !repo.prefix.is_empty() {
        options.pathspec(&repo.prefix);
    }
    let diff = repo
        .repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))
        .map_err(git_err("cannot compare the work tree with the merge base"))?;
    let changed = repo.changed_paths(&diff);
    Ok((changed, base))
}

fn merge_base(repo: &Repository, reference: &str) -> Result<Oid, GitError> {
    let target = repo
        .revparse_single(reference)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| GitError(format!("--since {reference}: {}", e.message())))?;
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(git_err("cannot read HEAD"))?;
    repo.merge_base(target.id(), head.id()).map_err(|e| {
        GitError(format!(
            "--since {reference}: no merge base with HEAD: {}",
            e.message()
        ))
    })
}

/// Attach each prompt's history to the inventory. Without a repository (or with no commit yet)
/// prompts get no history and the history checks stay silent.
pub fn attach_prompt_histories(root: &Path, inventory: &mut Inventory, scope: &ChangeScope) {
    if inventory.prompts.is_empty() {
        return;
    }
    let Ok(repo) = Repo::open(root) else { return };
    let Ok(head) = repo.repo.head().and_then(|h| h.peel_to_commit()) else {
        return;
    };
    let (base_label, base_id) = match scope {
        ChangeScope::Since(reference) => match merge_base(&repo.repo, reference) {
            Ok(id) => (format!("the merge base with {reference}"), id),
            Err(_) => return,
        },
        _ => ("HEAD".to_owned(), head.id()),
    };
    let current = if *scope == ChangeScope::Staged {
        "index"
    } else {
        "working tree"
    };
    let mut history = History::new(head);
    let base_tree = repo.repo.find_commit(base_id).and_then(|c| c.tree()).ok();
    let changelog_texts: HashMap<String, String> = inventory
        .files
        .iter()
        .filter_map(|f| match &f.artifact {
            Ok(crate::artifact::parsed::Artifact::Changelog(c)) => {
                Some((f.path.clone(), c.text.clone()))
            }
            _ => None,
        })
        .collect();

    let mut texts = BlobTexts::new();
    let mut records = std::mem::take(&mut inventory.prompts);
    for record in &mut records {
        let kind = inventory.file(&record.path).map(|f| f.kind);
        let format = match kind {
            Some(ArtifactKind::Prompt(f)) => f,
            _ => continue,
        };
        let prompt_repo_path = repo.to_repo(&record.path);
        let content_at = |text: &str| {
            crate::artifact::prompt::parse(text, format)
                .ok()
                .map(|p| p.content_sha256)
        };
        let content_change = newest_change(
            &repo.repo,
            &mut history,
            &prompt_repo_path,
            Some(record.content_sha256.clone()),
            &mut texts,
            &content_at,
        );
        let changelog_change = record.changelog.as_ref().and_then(|c| {
            let current = if c.source == ChangelogSource::FrontMatter {
                inventory
                    .file(&record.path)
                    .and_then(|f| match &f.artifact {
                        Ok(crate::artifact::parsed::Artifact::Prompt(p)) => {
                            Some(p.changelog.join("\n"))
                        }
                        _ => None,
                    })
            } else {
                changelog_texts
                    .get(&c.path)
                    .and_then(|t| changelog_text(c.source, &c.path, t, &record.keys, &record.path))
            };
            let extract =
                |text: &str| changelog_text(c.source, &c.path, text, &record.keys, &record.path);
            newest_change(
                &repo.repo,
                &mut history,
                &repo.to_repo(&c.path),
                current,
                &mut texts,
                &extract,
            )
        });
        let base_prompt = base_tree
            .as_ref()
            .and_then(|t| t.get_path(Path::new(&prompt_repo_path)).ok())
            .and_then(|e| blob_text(&repo.repo, e.id()))
            .and_then(|text| crate::artifact::prompt::parse(&text, format).ok());
        record.history = Some(PromptHistory {
            current,
            content_change,
            changelog_change,
            base: base_label.clone(),
            base_exists: base_prompt.is_some(),
            base_version: base_prompt
                .as_ref()
                .and_then(|p| p.version.as_ref().map(|v| v.value.clone())),
            base_content_sha256: base_prompt.map(|p| p.content_sha256),
        });
        set_history_properties(inventory, record);
    }
    inventory.prompts = records;
}

/// `last_changed` and the refined `changelog_state` on the prompt's component, for the BOM and
/// the report.
fn set_history_properties(inventory: &mut Inventory, record: &inventory::PromptRecord) {
    let Some(history) = &record.history else {
        return;
    };
    let Some(component) = inventory.components.get_mut(&record.component) else {
        return;
    };
    if let Some(change) = &history.content_change {
        let text = match change {
            Change::Pending => format!("uncommitted ({})", history.current),
            Change::Commit { id, time, .. } => format!("{} (commit {id})", utc_date(*time)),
        };
        component
            .properties
            .insert("last_changed".to_owned(), text.into());
    }
    if let (Some(content), Some(entry)) = (&history.content_change, &history.changelog_change) {
        let state = if content.is_newer_than(entry) {
            "stale"
        } else {
            "current"
        };
        component
            .properties
            .insert("changelog_state".to_owned(), state.into());
    }
}

/// `YYYY-MM-DD` of a Unix time, in UTC.
fn utc_date(seconds: i64) -> String {
    crate::suppression::Date::from_unix(seconds).to_string()
}

/// Historical blob texts by id, shared by every prompt's walk (prompts share changelogs).
type BlobTexts = HashMap<Oid, Option<std::rc::Rc<str>>>;

/// The first-parent history from HEAD, read one commit at a time as far back as a walk needs
/// (at most `MAX_HISTORY` commits): most walks stop after a few commits, and a long history is
/// not read on every scan.
struct History<'r> {
    commits: Vec<(Oid, Tree<'r>)>,
    next: Option<git2::Commit<'r>>,
}

impl<'r> History<'r> {
    fn new(head: git2::Commit<'r>) -> History<'r> {
        History {
            commits: Vec::new(),
            next: Some(head),
        }
    }

    /// The commit `depth` steps back from HEAD and its tree, or `None` past the root (or a
    /// commit that cannot be read) or the bound.
    fn get(&mut self, depth: usize) -> Option<&(Oid, Tree<'r>)> {
        while self.commits.len() <= depth && self.commits.len() < MAX_HISTORY {
            let commit = self.next.take()?;
            let tree = commit.tree().ok()?;
            self.next = commit.parent(0).ok();
            self.commits.push((commit.id(), tree));
        }
        self.commits.get(depth)
    }

    /// Whether the history ends before the bound; meaningful once `get` has returned `None`.
    fn reached_root(&self) -> bool {
        self.commits.len() < MAX_HISTORY
    }
}

fn newest_change(
    repo: &Repository,
    history: &mut History<'_>,
    path: &str,
    current: Option<String>,
    texts: &mut BlobTexts,
    extract: &dyn Fn(&str) -> Option<String>,
) -> Option<Change> {
    let mut extracted: HashMap<Oid, Option<String>> = HashMap::new();
    let mut value_at = |tree: &Tree<'_>| -> Option<String> {
        let id = tree.get_path(Path::new(path)).ok()?.id();
        extracted
            .entry(id)
            .or_insert_with(|| {
                texts
                    .entry(id)
                    .or_insert_with(|| blob_text(repo, id).map(std::rc::Rc::from))
                    .as_deref()
                    .and_then(extract)
            })
            .clone()
    };
    let mut newer = current;
    let mut newer_change = Change::Pending;
    let mut depth = 0;
    while let Some((id, tree)) = history.get(depth) {
        let value = value_at(tree);
        if value != newer {
            return Some(newer_change);
        }
        newer = value;
        newer_change = Change::Commit {
            id: id.to_string()[..10].to_owned(),
            time: repo.find_commit(*id).map_or(0, |c| c.time().seconds()),
            depth,
        };
        depth += 1;
    }
    // The oldest walked commit introduced the value if the walk reached the root commit.
    (history.reached_root() && newer.is_some()).then_some(newer_change)
}

/// True when a finding concerns a changed file: its location, or a file of its component.
pub fn concerns_changed(
    finding: &crate::finding::Finding,
    inventory: &Inventory,
    changed: &BTreeSet<String>,
) -> bool {
    if finding
        .location
        .as_ref()
        .is_some_and(|l| changed.contains(&l.path))
    {
        return true;
    }
    finding
        .component
        .as_ref()
        .and_then(|id| inventory.component(id))
        .is_some_and(|c| c.files.iter().any(|f| changed.contains(&f.path)))
}

/// The tools and inferred tiers of the change's base (HEAD for `--staged`, the merge base for
/// `--since`), for TOOL008: tool definition files that changed are read as they were at the
/// base (absent if they did not exist), the others as they are, and tool discovery runs over
/// them. `None` outside a change scope or without a base commit.
pub fn base_tool_tiers(
    root: &Path,
    scope: &ChangeScope,
    inventory: &Inventory,
    changed: &BTreeSet<String>,
) -> Option<std::collections::BTreeMap<String, crate::agent::Tier>> {
    let is_tool_file = |kind: ArtifactKind| {
        matches!(
            kind,
            ArtifactKind::McpConfig | ArtifactKind::ToolCode | ArtifactKind::ToolJson
        )
    };
    let repo = Repo::open(root).ok()?;
    let base = match scope {
        ChangeScope::All => return None,
        ChangeScope::Staged => repo.repo.head().ok()?.peel_to_commit().ok()?.id(),
        ChangeScope::Since(reference) => merge_base(&repo.repo, reference).ok()?,
    };
    let tree = repo.repo.find_commit(base).ok()?.tree().ok()?;
    let temp = tempfile::Builder::new()
        .prefix("aibom-base-")
        .tempdir()
        .ok()?;
    let odb = repo.repo.odb().ok()?;
    let mut files = Vec::new();
    for (i, file) in inventory
        .files
        .iter()
        .filter(|f| is_tool_file(f.kind))
        .enumerate()
    {
        if !changed.contains(&file.path) {
            let mut unchanged = file.clone();
            unchanged.component = None;
            files.push(unchanged);
            continue;
        }
        let Ok(entry) = tree.get_path(Path::new(&repo.to_repo(&file.path))) else {
            continue;
        };
        let Ok(written) = write_blob(
            &odb,
            entry.id(),
            &blob_destination(temp.path(), i, &file.path),
            &file.path,
        ) else {
            continue;
        };
        let parsed =
            crate::artifact::parsed::parse_file(&written.abs_path, file.kind, written.size);
        files.push(crate::artifact::parsed::ParsedFile {
            path: file.path.clone(),
            kind: file.kind,
            size: written.size,
            sha256: None,
            hash_source: None,
            artifact: parsed.artifact,
            component: None,
        });
    }
    let base_inventory = inventory::build_with(
        files,
        Vec::new(),
        Vec::new(),
        None,
        inventory.source_layout.clone(),
    );
    Some(
        base_inventory
            .agent_tools
            .into_values()
            .map(|t| (t.id, t.tier))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_736_500_000), "2025-01-10");
        assert_eq!(utc_date(-86_400), "1969-12-31");
    }
}
