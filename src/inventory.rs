//! The bill of materials: components with stable ids and typed relations.
//!
//! Built once from the parsed files, then read by every rule and every writer — nothing else
//! is. Ids are the component kind plus a repository-relative path (`model:models/base`) or a
//! hub id (`model:hub/acme/base`), so they do not change between scans or machines. Everything
//! is kept in ordered maps and sorted vectors: the same tree gives the same inventory, byte for
//! byte.
//!
//! How files become components:
//! - weight files in a directory that carries model metadata (a card, `config.json`,
//!   `adapter_config.json`, a shard index) or that form a shard set are one component, named by
//!   the directory; other weight files are a component each; a GGUF file is always its own;
//! - a dataset card or Croissant file makes its directory a `dataset`, holding the corpora
//!   beneath it; other corpus files are `corpus` components;
//! - licence files are `licence-document` components, linked from the components in their
//!   directory that they bind: `DATA_LICENSE` from data, `WEIGHTS_LICENSE` from weights, a plain
//!   `LICENSE` from the rest, unless its text says it covers other parts only
//!   (`license::document::applies`, `license::statement`);
//! - a Hugging Face cache repository is one component with its files and blob hashes;
//! - references to models and datasets that are not in the tree (`meta-llama/Llama-3.1-8B`) are
//!   external components.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::artifact::card::Card;
use crate::artifact::hf_cache::{CacheRepo, RepoType};
use crate::artifact::parsed::{Artifact, HashSource, ParsedFile};
use crate::artifact::text::{Spanned, TextSpan};
use crate::artifact::training::{DatasetInfoEntry, TrainingConfig, TrainingFlavour};
use crate::artifact::{ParseError, gguf};
use crate::detect::ArtifactKind;
use crate::license::document::{Applies, Document, Part, applies};

mod prompts;
pub use prompts::{
    Change, ChangelogRef, ChangelogSource, PromptHistory, PromptRecord, changelog_text,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    Model,
    Adapter,
    Quantization,
    Merge,
    Dataset,
    Corpus,
    Prompt,
    Tool,
    ToolProvider,
    LicenceDocument,
}

impl ComponentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Model => "model",
            ComponentKind::Adapter => "adapter",
            ComponentKind::Quantization => "quantization",
            ComponentKind::Merge => "merge",
            ComponentKind::Dataset => "dataset",
            ComponentKind::Corpus => "corpus",
            ComponentKind::Prompt => "prompt",
            ComponentKind::Tool => "tool",
            ComponentKind::ToolProvider => "tool-provider",
            ComponentKind::LicenceDocument => "licence-document",
        }
    }

    /// Kinds that are (or stand for) trained weights.
    pub fn is_model_like(self) -> bool {
        matches!(
            self,
            ComponentKind::Model
                | ComponentKind::Adapter
                | ComponentKind::Quantization
                | ComponentKind::Merge
        )
    }

    pub fn is_data(self) -> bool {
        matches!(self, ComponentKind::Dataset | ComponentKind::Corpus)
    }
}

/// A file that is part of a component.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ComponentFile {
    pub path: String,
    pub kind: &'static str,
    pub size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash_source: Option<HashSource>,
}

/// A licence as some source declares it, with where it was read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DeclaredLicense {
    pub value: String,
    /// `card license`, `card license_name`, `card license_link`, `gguf general.license`,
    /// `croissant license`, `licence file`.
    pub source: &'static str,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    pub id: String,
    pub kind: ComponentKind,
    pub name: String,
    /// Repository-relative directory or file; absent for external components.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub external: bool,
    /// The hub repository id (`org/name`) when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hub_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The content hash when the component is one file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Total bytes of the component's files (real sizes for LFS pointers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    pub files: Vec<ComponentFile>,
    pub declared_licenses: Vec<DeclaredLicense>,
    /// The licence engine's conclusion, with its evidence (set after the inventory is built).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concluded_license: Option<crate::license::ConcludedLicense>,
    pub properties: BTreeMap<String, serde_json::Value>,
}

impl Component {
    pub fn new(id: String, kind: ComponentKind, name: String, path: Option<String>) -> Component {
        Component {
            id,
            kind,
            name,
            path,
            external: false,
            hub_id: None,
            revision: None,
            format: None,
            sha256: None,
            size: None,
            files: Vec::new(),
            declared_licenses: Vec::new(),
            concluded_license: None,
            properties: BTreeMap::new(),
        }
    }

    fn set(&mut self, key: &str, value: impl Into<serde_json::Value>) {
        self.properties.insert(key.to_owned(), value.into());
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    DerivedFrom,
    TrainedOn,
    LicensedBy,
    UsesPrompt,
    ProvidesTool,
}

/// Where a relation was read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    /// What said so: `adapter_config.json base_model_name_or_path`, `card base_model` …
    pub source: &'static str,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<TextSpan>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Relation {
    pub from: String,
    pub kind: RelationKind,
    pub to: String,
    /// For `derived_from`: `adapter`, `finetune`, `quantized` or `merge`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    pub confidence: Confidence,
    pub evidence: Vec<Evidence>,
}

/// A file or directory the scan could not read at all.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Unreadable {
    pub path: String,
    pub error: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Inventory {
    pub components: BTreeMap<String, Component>,
    /// Sorted (by `from`, then kind, then `to`), which [`Inventory::relations_from`] relies on.
    pub relations: Vec<Relation>,
    /// Every artefact file with its parse result, sorted by directory, then name.
    #[serde(skip)]
    pub files: Vec<ParsedFile>,
    #[serde(skip)]
    pub unreadable: Vec<Unreadable>,
    /// Hugging Face cache repositories read from the tree.
    #[serde(skip)]
    pub cache_repos: Vec<(String, Result<CacheRepo, ParseError>)>,
    /// LFS pointers compared with the real content found on this machine.
    #[serde(skip)]
    pub lfs_checks: Vec<LfsCheck>,
    /// Agent tools and MCP servers by tool id, with their inferred tiers (`agent::discover`).
    #[serde(skip)]
    pub agent_tools: BTreeMap<String, crate::agent::AgentTool>,
    /// What the licence engine concluded (`license::analyse`), for the `LIC` rules.
    #[serde(skip)]
    pub licensing: crate::license::Licensing,
    /// Every prompt with its changelog and (from the scan's git stage) its history, by path.
    #[serde(skip)]
    pub prompts: Vec<PromptRecord>,
    /// With `--staged` or `--since`: the tools and inferred tiers at the change's base (TOOL008).
    #[serde(skip)]
    pub base_tool_tiers: Option<BTreeMap<String, crate::agent::Tier>>,
    /// What the privacy stage found: PII per data file, the manifest resolved to components,
    /// erasure logs (`privacy::stage`), for the `PII`, `GDPR` and `LIN` rules.
    #[serde(skip)]
    pub privacy: crate::privacy::PrivacyFacts,
    /// The tree's packages and TypeScript path aliases: where discovery looks for the server of
    /// a tool file (`agent::code_servers`).
    #[serde(skip)]
    pub source_layout: crate::agent::code_servers::SourceLayout,
}

/// An LFS pointer and the real content it stands for, both found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LfsCheck {
    pub path: String,
    pub pointer_size: u64,
    pub real_size: u64,
    /// `the local LFS store`, `the working tree` …
    pub real_source: &'static str,
}

impl Inventory {
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.get(id)
    }

    /// The relations from `id`: a binary search and a contiguous run, since `relations` is
    /// sorted by `from` first (a pass over every relation, once per component, made the rules
    /// quadratic in the size of the tree).
    pub fn relations_from<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Relation> + 'a {
        let start = self.relations.partition_point(|r| r.from.as_str() < id);
        self.relations[start..]
            .iter()
            .take_while(move |r| r.from == id)
    }

    pub fn file(&self, path: &str) -> Option<&ParsedFile> {
        let key = dir_order(path);
        self.files
            .binary_search_by(|f| dir_order(&f.path).cmp(&key))
            .ok()
            .map(|i| &self.files[i])
    }

    /// Files in one directory (`.` for the root), not recursive. Files are sorted by directory
    /// first, so this is a binary search and a contiguous run.
    pub fn files_in_dir<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a ParsedFile> + 'a {
        let start = self.files.partition_point(|f| parent(&f.path) < dir);
        self.files[start..]
            .iter()
            .take_while(move |f| parent(&f.path) == dir)
    }

    /// The licence files in `dir`: each one's name and what its text states it covers.
    pub fn licence_files_in<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = Document<'a>> + 'a {
        self.files_in_dir(dir)
            .filter(|f| f.kind == ArtifactKind::LicenseFile)
            .map(licence_document)
    }

    pub fn count(&self, kind: ComponentKind) -> usize {
        self.components.values().filter(|c| c.kind == kind).count()
    }
}

/// A licence file as `license::document::applies` sees it: its name and what its text states it
/// covers.
pub fn licence_document(f: &ParsedFile) -> Document<'_> {
    Document {
        name: file_name(&f.path),
        stated: match &f.artifact {
            Ok(Artifact::LicenseFile { statement, .. }) => statement.as_ref(),
            _ => None,
        },
    }
}

/// The order of `Inventory::files`: by directory, then by name.
fn dir_order(path: &str) -> (&str, &str) {
    match last_slash(path) {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => (".", path),
    }
}

/// Parent directory of a repository-relative path; `.` for files at the root.
pub fn parent(path: &str) -> &str {
    last_slash(path).map_or(".", |i| &path[..i])
}

/// Last component of a repository-relative path.
pub fn file_name(path: &str) -> &str {
    last_slash(path).map_or(path, |i| &path[i + 1..])
}

/// Where the last `/` of `path` is. Paths are split this way in every lookup and sort of the
/// inventory; a byte search costs a fraction of a `char` pattern's.
fn last_slash(path: &str) -> Option<usize> {
    memchr::memrchr(b'/', path.as_bytes())
}

/// A relation written down outside the artefacts (the `[[model]]` and `[[corpus]]` manifest of
/// `aibom.toml`). The target is a component id, or a model reference resolved like a card's
/// `base_model` (a local path or a hub id, external when not in the tree).
#[derive(Debug, Clone)]
pub struct DeclaredRelation {
    pub from: String,
    pub kind: RelationKind,
    pub to: DeclaredTarget,
    pub evidence: Evidence,
}

#[derive(Debug, Clone)]
pub enum DeclaredTarget {
    Component(String),
    ModelReference(String),
}

/// Add declared relations at high confidence (merged with the relations read from artefacts).
pub fn add_declared_relations(inv: &mut Inventory, declared: Vec<DeclaredRelation>) {
    if declared.is_empty() {
        return;
    }
    let local = LocalIndex::new(&inv.components);
    let mut builder = Builder {
        local,
        relations: std::mem::take(&mut inv.relations)
            .into_iter()
            .map(|r| ((r.from.clone(), r.kind, r.to.clone()), r))
            .collect(),
        inv: std::mem::take(inv),
    };
    for d in declared {
        let to = match d.to {
            DeclaredTarget::Component(id) => id,
            DeclaredTarget::ModelReference(reference) => builder.resolve_model(&reference, "."),
        };
        if to == d.from {
            continue;
        }
        builder.relate(&d.from, d.kind, &to, None, Confidence::High, d.evidence);
    }
    *inv = builder.finish();
}

/// Build the inventory from parsed files (any order) and cache repositories.
pub fn build(
    files: Vec<ParsedFile>,
    cache_repos: Vec<(String, Result<CacheRepo, ParseError>)>,
    unreadable: Vec<Unreadable>,
) -> Inventory {
    build_with(files, cache_repos, unreadable, None, Default::default())
}

/// `build`, with the `[prompts] changelog` of the policy (a changelog shared by every prompt)
/// and the layout of the tree's source (`Inventory::source_layout`).
pub fn build_with(
    mut files: Vec<ParsedFile>,
    cache_repos: Vec<(String, Result<CacheRepo, ParseError>)>,
    unreadable: Vec<Unreadable>,
    shared_prompt_changelog: Option<&str>,
    source_layout: crate::agent::code_servers::SourceLayout,
) -> Inventory {
    files.sort_by(|a, b| dir_order(&a.path).cmp(&dir_order(&b.path)));
    let mut builder = Builder {
        inv: Inventory {
            files,
            cache_repos,
            source_layout,
            ..Inventory::default()
        },
        relations: BTreeMap::new(),
        local: LocalIndex::default(),
    };
    builder.inv.unreadable = unreadable;
    builder.inv.unreadable.sort();
    builder.weights();
    builder.metadata_only_models();
    builder.datasets();
    builder.prompts(shared_prompt_changelog);
    builder.cache_components();
    builder.licence_documents();
    builder.lineage();
    for relation in crate::agent::discover(&mut builder.inv) {
        let key = (relation.from.clone(), relation.kind, relation.to.clone());
        builder.relations.insert(key, relation);
    }
    builder.claim_metadata_files();
    builder.finish()
}

type RelationKey = (String, RelationKind, String);

struct Builder {
    inv: Inventory,
    relations: BTreeMap<RelationKey, Relation>,
    /// Local components by path, parent directory and hub id: rebuilt by each step that looks
    /// components up, once the components it looks for exist.
    local: LocalIndex,
}

/// The components in the tree (not external), each list in id order, so that a lookup
/// answers what the first match in the component map would. The steps that use it add only
/// external components (without a path), so it stays true while each of them runs.
#[derive(Default)]
struct LocalIndex {
    by_path: HashMap<String, Vec<(ComponentKind, String)>>,
    by_parent: HashMap<String, Vec<(ComponentKind, String)>>,
    by_hub_id: HashMap<String, Vec<(ComponentKind, String)>>,
}

impl LocalIndex {
    fn new(components: &BTreeMap<String, Component>) -> LocalIndex {
        let mut index = LocalIndex::default();
        for c in components.values().filter(|c| !c.external) {
            let entry = (c.kind, c.id.clone());
            if let Some(path) = &c.path {
                index
                    .by_path
                    .entry(path.clone())
                    .or_default()
                    .push(entry.clone());
                index
                    .by_parent
                    .entry(parent(path).to_owned())
                    .or_default()
                    .push(entry.clone());
            }
            if let Some(hub) = &c.hub_id {
                index.by_hub_id.entry(hub.clone()).or_default().push(entry);
            }
        }
        index
    }

    /// The first component under `key` in `map` whose kind `accept` takes.
    fn first<'m>(
        map: &'m HashMap<String, Vec<(ComponentKind, String)>>,
        key: &str,
        accept: fn(ComponentKind) -> bool,
    ) -> Option<&'m str> {
        map.get(key)?
            .iter()
            .find(|(kind, _)| accept(*kind))
            .map(|(_, id)| id.as_str())
    }
}

/// Directory facts gathered once.
struct DirInfo {
    has_card: bool,
    card_relation: Option<String>,
    has_model_config: bool,
    has_adapter_config: bool,
    has_shard_index: bool,
    has_mergekit: bool,
    quantization_method: Option<String>,
}

fn is_shard_name(name: &str) -> bool {
    // `model-00001-of-00002.safetensors`, `pytorch_model-00001-of-00003.bin`, `x-00001-of-00002.gguf`
    let stem = name.split('.').next().unwrap_or(name);
    let parts: Vec<&str> = stem.rsplitn(4, '-').collect();
    parts.len() >= 3
        && parts[1] == "of"
        && parts[0].len() >= 5
        && parts[0].bytes().all(|b| b.is_ascii_digit())
        && parts[2].len() >= 5
        && parts[2].bytes().all(|b| b.is_ascii_digit())
}

/// The format a component's weights file is reported in: a pickle is `pytorch-pickle` under
/// PyTorch's names (`.pt`, `.pth`, `.bin`, `.ckpt`) and `pickle` under the others (`.pkl`,
/// `.joblib`, `.dill` …: scikit-learn and other Python objects).
fn format_of(kind: ArtifactKind, path: &str) -> &'static str {
    const TORCH_SUFFIXES: &[&str] = &[".pt", ".pth", ".bin", ".ckpt"];
    match kind {
        ArtifactKind::Pickle
            if TORCH_SUFFIXES
                .iter()
                .any(|suffix| path.to_ascii_lowercase().ends_with(suffix)) =>
        {
            "pytorch-pickle"
        }
        other => other.name(),
    }
}

impl Builder {
    fn dir_info(&self, dir: &str) -> DirInfo {
        let mut info = DirInfo {
            has_card: false,
            card_relation: None,
            has_model_config: false,
            has_adapter_config: false,
            has_shard_index: false,
            has_mergekit: false,
            quantization_method: None,
        };
        for f in self.inv.files_in_dir(dir) {
            match (&f.kind, &f.artifact) {
                (ArtifactKind::Card, Ok(Artifact::Card(card)))
                    if !card.is_dataset_card && card.has_metadata() =>
                {
                    info.has_card = true;
                    info.card_relation = card.base_model_relation.as_ref().map(|r| r.value.clone());
                }
                (ArtifactKind::Card, _) => {}
                (ArtifactKind::ModelConfig, artifact) => {
                    info.has_model_config = true;
                    if let Ok(Artifact::ModelConfig(cfg)) = artifact {
                        info.quantization_method = cfg.quantization_method.clone();
                    }
                }
                (ArtifactKind::AdapterConfig, _) => info.has_adapter_config = true,
                (ArtifactKind::ShardIndex, _) => info.has_shard_index = true,
                (_, Ok(Artifact::Training(t))) if t.flavour == TrainingFlavour::Mergekit => {
                    info.has_mergekit = true
                }
                _ => {}
            }
        }
        info
    }

    fn kind_for_dir(info: &DirInfo, weight_names: &[&str]) -> ComponentKind {
        let relation = info.card_relation.as_deref();
        if info.has_adapter_config
            || weight_names.iter().any(|n| n.starts_with("adapter_model"))
            || relation == Some("adapter")
        {
            ComponentKind::Adapter
        } else if info.has_mergekit || relation == Some("merge") {
            ComponentKind::Merge
        } else if info.quantization_method.is_some() || relation == Some("quantized") {
            ComponentKind::Quantization
        } else {
            ComponentKind::Model
        }
    }

    /// Group weight files into model components.
    fn weights(&mut self) {
        let mut by_dir: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, f) in self.inv.files.iter().enumerate() {
            if f.kind.is_weights() {
                by_dir
                    .entry(parent(&f.path).to_owned())
                    .or_default()
                    .push(i);
            }
        }
        for (dir, indices) in by_dir {
            let (gguf, other): (Vec<usize>, Vec<usize>) = indices
                .into_iter()
                .partition(|&i| self.inv.files[i].kind == ArtifactKind::Gguf);
            for i in gguf {
                self.gguf_component(i);
            }
            if other.is_empty() {
                continue;
            }
            let info = self.dir_info(&dir);
            let names: Vec<String> = other
                .iter()
                .map(|&i| file_name(&self.inv.files[i].path).to_owned())
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let grouped = info.has_card
                || info.has_model_config
                || info.has_adapter_config
                || info.has_shard_index
                || info.has_mergekit
                || names.iter().any(|n| is_shard_name(n));
            if grouped {
                let kind = Self::kind_for_dir(&info, &names);
                let name = if dir == "." {
                    "root".to_owned()
                } else {
                    file_name(&dir).to_owned()
                };
                let id = format!("{}:{dir}", kind.as_str());
                let component = Component::new(id.clone(), kind, name, Some(dir.clone()));
                self.inv.components.insert(id.clone(), component);
                for i in other {
                    self.attach(i, &id);
                }
            } else {
                for i in other {
                    let path = self.inv.files[i].path.clone();
                    let kind = Self::kind_for_dir(&info, &[file_name(&path)]);
                    let id = format!("{}:{path}", kind.as_str());
                    let component =
                        Component::new(id.clone(), kind, file_name(&path).to_owned(), Some(path));
                    self.inv.components.insert(id.clone(), component);
                    self.attach(i, &id);
                }
            }
        }
    }

    fn gguf_component(&mut self, i: usize) {
        let path = self.inv.files[i].path.clone();
        let (kind, name) = match &self.inv.files[i].artifact {
            Ok(Artifact::Gguf(meta)) => {
                let is_adapter = meta.str("general.type") == Some("adapter")
                    || meta.kv.contains_key("adapter.type");
                let kind = if is_adapter {
                    ComponentKind::Adapter
                } else if !meta.base_models().is_empty()
                    || meta.kv.contains_key("general.quantization_version")
                {
                    ComponentKind::Quantization
                } else {
                    ComponentKind::Model
                };
                (kind, meta.str("general.name").map(str::to_owned))
            }
            _ => (ComponentKind::Quantization, None),
        };
        let id = format!("{}:{path}", kind.as_str());
        let name = name.unwrap_or_else(|| file_name(&path).to_owned());
        self.inv.components.insert(
            id.clone(),
            Component::new(id.clone(), kind, name, Some(path)),
        );
        self.attach(i, &id);
    }

    /// Put a parsed file into a component: file list, size, hash, format and properties.
    fn attach(&mut self, i: usize, id: &str) {
        let file = &mut self.inv.files[i];
        file.component = Some(id.to_owned());
        let file = &self.inv.files[i];
        let entry = ComponentFile {
            path: file.path.clone(),
            kind: file.kind.name(),
            size: file.size,
            sha256: file.sha256.clone(),
            hash_source: file.hash_source,
        };
        let properties = file_properties(file);
        let format = file
            .kind
            .is_weights()
            .then(|| format_of(file.kind, &file.path));
        let Some(component) = self.inv.components.get_mut(id) else {
            return;
        };
        component.files.push(entry);
        for (key, value) in properties {
            merge_property(&mut component.properties, key, value);
        }
        if let Some(format) = format {
            component.format = Some(match component.format.take() {
                Some(existing) if existing != format => {
                    let mut all: BTreeSet<&str> = existing.split('+').collect();
                    all.insert(format);
                    all.into_iter().collect::<Vec<_>>().join("+")
                }
                _ => format.to_owned(),
            });
        }
    }

    /// The directories the components of the kinds `accept` takes live in.
    fn component_dirs(&self, accept: fn(ComponentKind) -> bool) -> BTreeSet<String> {
        self.inv
            .components
            .values()
            .filter(|c| accept(c.kind))
            .filter_map(|c| c.path.as_deref())
            .map(dir_of_component)
            .collect()
    }

    /// Cards in directories without weights that describe a model (a merge recipe, a model
    /// whose weights are fetched at run time) are model components without files.
    fn metadata_only_models(&mut self) {
        let claimed = self.component_dirs(|_| true);
        let mut new = Vec::new();
        for f in &self.inv.files {
            let dir = parent(&f.path);
            if claimed.contains(dir) {
                continue;
            }
            let describes_model = match &f.artifact {
                Ok(Artifact::Card(card)) => {
                    !card.is_dataset_card
                        && (!card.base_model.is_empty() || card.pipeline_tag.is_some())
                }
                Ok(Artifact::Training(t)) => t.flavour == TrainingFlavour::Mergekit,
                Ok(Artifact::AdapterConfig(_)) => true,
                _ => false,
            };
            if describes_model {
                new.push(dir.to_owned());
            }
        }
        new.sort();
        new.dedup();
        for dir in new {
            let info = self.dir_info(&dir);
            let kind = Self::kind_for_dir(&info, &[]);
            let id = format!("{}:{dir}", kind.as_str());
            let mut component =
                Component::new(id.clone(), kind, file_name(&dir).to_owned(), Some(dir));
            component.set("weights_present", false);
            self.inv.components.insert(id, component);
        }
        self.models_to_be_trained();
    }

    /// A fine-tuning config (axolotl, LLaMA-Factory, TRL) that trains (not one that only
    /// evaluates) and whose `output_dir` holds no weights in the tree describes the model it
    /// trains: a model (or adapter) component without files at the config's path, so its
    /// lineage — base model, training data — and the licence it inherits are in the inventory
    /// before the weights exist (they are usually pushed to a hub, not committed).
    fn models_to_be_trained(&mut self) {
        // Directories with weights (or a model described without them).
        let claimed = self.component_dirs(ComponentKind::is_model_like);
        let mut new = Vec::new();
        for (i, f) in self.inv.files.iter().enumerate() {
            let Ok(Artifact::Training(cfg)) = &f.artifact else {
                continue;
            };
            let dir = parent(&f.path);
            // A merge config has its component already; an evaluation run trains nothing; a
            // template whose base model is a placeholder describes no model yet; a config among
            // weights is theirs.
            if cfg.flavour == TrainingFlavour::Mergekit
                || cfg.evaluation_only
                || cfg.base_model.is_none()
                || claimed.contains(dir)
            {
                continue;
            }
            // Tools resolve `output_dir` against the working directory, usually the root; a
            // path relative to the config is taken too.
            let outputs: Vec<String> = cfg
                .output_dir
                .iter()
                .flat_map(|out| [normalize(&out.value), normalize(&join(dir, &out.value))])
                .flatten()
                .collect();
            if outputs.iter().any(|out| holds_any(&claimed, out)) {
                continue;
            }
            let output = outputs.first();
            let kind = if cfg.trains_adapter {
                ComponentKind::Adapter
            } else {
                ComponentKind::Model
            };
            let name = cfg
                .hub_model_id
                .clone()
                .or_else(|| output.map(|o| file_name(o).to_owned()))
                .filter(|n| !n.is_empty() && n != ".")
                .unwrap_or_else(|| file_name(&f.path).to_owned());
            let mut component = Component::new(
                format!("{}:{}", kind.as_str(), f.path),
                kind,
                name,
                Some(f.path.clone()),
            );
            component.set("weights_present", false);
            component.set("training_config", f.path.clone());
            if let Some(out) = &cfg.output_dir {
                component.set("output_dir", out.value.clone());
            }
            if let Some(hub) = &cfg.hub_model_id {
                component.set("hub_model_id", hub.clone());
            }
            new.push((i, component));
        }
        for (i, component) in new {
            // The config belongs to the model it trains (another config beside it, to another).
            self.inv.files[i].component = Some(component.id.clone());
            self.inv.components.insert(component.id.clone(), component);
        }
    }

    /// Dataset directories (dataset card or Croissant) and standalone corpus files.
    fn datasets(&mut self) {
        let mut dataset_dirs = BTreeSet::new();
        for f in &self.inv.files {
            let is_dataset_marker = match &f.artifact {
                Ok(Artifact::Card(card)) => card.is_dataset_card,
                Ok(Artifact::Croissant(_)) => true,
                _ => false,
            };
            if is_dataset_marker {
                dataset_dirs.insert(parent(&f.path).to_owned());
            }
        }
        for dir in &dataset_dirs {
            let id = format!("dataset:{dir}");
            let name = if dir == "." {
                "root".to_owned()
            } else {
                file_name(dir).to_owned()
            };
            self.inv.components.insert(
                id.clone(),
                Component::new(id, ComponentKind::Dataset, name, Some(dir.clone())),
            );
        }
        for i in 0..self.inv.files.len() {
            let f = &self.inv.files[i];
            if !matches!(f.kind, ArtifactKind::Corpus(_)) {
                continue;
            }
            let dataset = innermost_holding(&dataset_dirs, &f.path);
            let id = match dataset {
                Some(dir) => format!("dataset:{dir}"),
                None => {
                    let id = format!("corpus:{}", f.path);
                    let mut component = Component::new(
                        id.clone(),
                        ComponentKind::Corpus,
                        file_name(&f.path).to_owned(),
                        Some(f.path.clone()),
                    );
                    component.format = Some(corpus_format(f));
                    self.inv.components.insert(id.clone(), component);
                    id
                }
            };
            self.attach(i, &id);
        }
        for dir in &dataset_dirs {
            let id = format!("dataset:{dir}");
            let formats: BTreeSet<String> = self
                .inv
                .files
                .iter()
                .filter(|f| {
                    f.component.as_deref() == Some(id.as_str())
                        && matches!(f.kind, ArtifactKind::Corpus(_))
                })
                .map(corpus_format)
                .collect();
            if let Some(c) = self.inv.components.get_mut(&id)
                && !formats.is_empty()
            {
                c.format = Some(formats.into_iter().collect::<Vec<_>>().join("+"));
            }
        }
    }

    fn cache_components(&mut self) {
        let repos = std::mem::take(&mut self.inv.cache_repos);
        for (dir, repo) in &repos {
            let Ok(repo) = repo else { continue };
            let kind = match repo.repo_type {
                RepoType::Dataset => ComponentKind::Dataset,
                RepoType::Model | RepoType::Space => ComponentKind::Model,
            };
            let id = format!("{}:{dir}", kind.as_str());
            let mut component =
                Component::new(id.clone(), kind, repo.repo_id.clone(), Some(dir.clone()));
            component.hub_id = Some(repo.repo_id.clone());
            component.format = Some("hf-cache".to_owned());
            let head = repo
                .refs
                .get("main")
                .cloned()
                .or_else(|| repo.snapshots.first().map(|s| s.commit.clone()));
            component.revision = head.clone();
            component.set("refs", serde_json::to_value(&repo.refs).unwrap_or_default());
            for snapshot in &repo.snapshots {
                if head.as_deref().is_some_and(|h| h != snapshot.commit) && repo.snapshots.len() > 1
                {
                    continue;
                }
                for file in &snapshot.files {
                    component.files.push(ComponentFile {
                        path: format!("{dir}/snapshots/{}/{}", snapshot.commit, file.path),
                        kind: crate::detect::detect(&file.path).map_or("file", |k| k.name()),
                        size: file.size,
                        sha256: file.sha256.clone(),
                        hash_source: file.sha256.as_ref().map(|hash| {
                            if file.blob.as_ref() == Some(hash) {
                                HashSource::HfCacheBlob
                            } else {
                                HashSource::Content
                            }
                        }),
                    });
                }
            }
            component.set(
                "snapshots",
                repo.snapshots
                    .iter()
                    .map(|s| s.commit.clone())
                    .collect::<Vec<_>>(),
            );
            self.inv.components.insert(id, component);
        }
        self.inv.cache_repos = repos;
    }

    fn licence_documents(&mut self) {
        // The components of each directory, in id order (`dir_of_component` matches globs:
        // once per component, not once per component and licence file).
        let mut by_dir: BTreeMap<String, Vec<(String, ComponentKind)>> = BTreeMap::new();
        for c in self.inv.components.values() {
            if let Some(path) = &c.path
                && c.kind != ComponentKind::LicenceDocument
            {
                by_dir
                    .entry(dir_of_component(path))
                    .or_default()
                    .push((c.id.clone(), c.kind));
            }
        }
        let mut links = Vec::new();
        for i in 0..self.inv.files.len() {
            if self.inv.files[i].kind != ArtifactKind::LicenseFile {
                continue;
            }
            let f = &self.inv.files[i];
            let dir = parent(&f.path);
            let id = format!("licence-document:{}", f.path);
            // Which licence file binds a component depends on the others beside it
            // (`license::document::applies`).
            let beside: Vec<Document> = self.inv.licence_files_in(dir).collect();
            for (owner, kind) in by_dir.get(dir).into_iter().flatten() {
                let part = Part::of(*kind);
                let Some(applies) = applies(licence_document(f), part, &beside) else {
                    continue;
                };
                let source = match applies {
                    Applies::NamedFor(Part::Code) => "code licence file in directory",
                    Applies::NamedFor(Part::Data) => "data licence file in directory",
                    Applies::NamedFor(Part::Weights) => "weights licence file in directory",
                    Applies::StatedFor { .. } | Applies::Section { .. } => {
                        "licence file in directory, by what its text states"
                    }
                    Applies::General { .. } | Applies::Notice => "licence file in directory",
                };
                links.push((owner.clone(), id.clone(), f.path.clone(), source));
            }
            let mut component = Component::new(
                id.clone(),
                ComponentKind::LicenceDocument,
                file_name(&f.path).to_owned(),
                Some(f.path.clone()),
            );
            if let Ok(Artifact::LicenseFile {
                title, statement, ..
            }) = &f.artifact
            {
                component.set("title", title.clone());
                // What its text says it covers, which narrows what its name says.
                if let Some(stated) = statement {
                    let covers: Vec<&str> = stated.covers.iter().map(|p| p.as_str()).collect();
                    component.set("covers", covers);
                    component.set("scope_statement", stated.quote.clone());
                }
            }
            self.inv.components.insert(id.clone(), component);
            self.attach(i, &id);
        }
        for (from, to, path, source) in links {
            self.relate(
                &from,
                RelationKind::LicensedBy,
                &to,
                None,
                Confidence::High,
                Evidence {
                    source,
                    path,
                    span: None,
                },
            );
        }
    }

    /// Relations, declared licences and metadata read from cards, configs and GGUF headers.
    fn lineage(&mut self) {
        let dataset_infos: Vec<(String, BTreeMap<String, DatasetInfoEntry>)> = self
            .inv
            .files
            .iter()
            .filter_map(|f| match &f.artifact {
                Ok(Artifact::DatasetInfo(info)) => Some((parent(&f.path).to_owned(), info.clone())),
                _ => None,
            })
            .collect();
        self.local = LocalIndex::new(&self.inv.components);
        for i in 0..self.inv.files.len() {
            let artifact = match &self.inv.files[i].artifact {
                Ok(
                    a @ (Artifact::AdapterConfig(_)
                    | Artifact::Card(_)
                    | Artifact::ModelConfig(_)
                    | Artifact::Gguf(_)
                    | Artifact::Training(_)
                    | Artifact::Croissant(_)),
                ) => a.clone(),
                _ => continue,
            };
            let path = self.inv.files[i].path.clone();
            let dir = parent(&path).to_owned();
            match artifact {
                Artifact::AdapterConfig(cfg) => {
                    let Some(owner) = self.component_for_dir(&dir) else {
                        continue;
                    };
                    self.set_property(&owner, "peft_type", cfg.peft_type.clone());
                    self.set_property(&owner, "lora_r", cfg.r);
                    if let Some(base) = cfg.base_model_name_or_path {
                        let to = self.resolve_model(&base.value, &dir);
                        let evidence = Evidence {
                            source: "adapter_config.json base_model_name_or_path",
                            path: path.clone(),
                            span: base.span,
                        };
                        self.relate(
                            &owner,
                            RelationKind::DerivedFrom,
                            &to,
                            Some("adapter"),
                            Confidence::High,
                            evidence,
                        );
                    }
                }
                Artifact::Card(card) => self.card_lineage(&card, &path, &dir),
                Artifact::ModelConfig(cfg) => {
                    let Some(owner) = self.component_for_dir(&dir) else {
                        continue;
                    };
                    self.set_property(
                        &owner,
                        "architectures",
                        (!cfg.architectures.is_empty()).then_some(cfg.architectures.clone()),
                    );
                    self.set_property(&owner, "model_type", cfg.model_type.clone());
                    self.set_property(
                        &owner,
                        "name_or_path",
                        cfg.name_or_path.as_ref().map(|n| n.value.clone()),
                    );
                    if !cfg.auto_map.is_empty() {
                        self.set_property(
                            &owner,
                            "remote_code",
                            Some(cfg.auto_map.values().cloned().collect::<Vec<_>>()),
                        );
                    }
                }
                Artifact::Gguf(meta) => self.gguf_lineage(&meta, &path),
                Artifact::Training(cfg) => self.training_lineage(&cfg, &path, &dir, &dataset_infos),
                Artifact::Croissant(cr) => {
                    let id = format!("dataset:{dir}");
                    for license in &cr.license {
                        self.declare(&id, license, "croissant license", &path, None);
                    }
                    if !cr.personal_sensitive_information.is_empty() {
                        self.set_property(
                            &id,
                            "personal_sensitive_information",
                            Some(cr.personal_sensitive_information.clone()),
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn card_lineage(&mut self, card: &Card, path: &str, dir: &str) {
        if !card.has_metadata() {
            return;
        }
        let owner = if card.is_dataset_card {
            let id = format!("dataset:{dir}");
            self.inv.components.contains_key(&id).then_some(id)
        } else {
            self.component_for_dir(dir)
        };
        let Some(owner) = owner else { return };
        let declare = |b: &mut Builder, value: &Option<Spanned<String>>, source: &'static str| {
            if let Some(v) = value {
                b.declare(&owner, &v.value, source, path, v.span);
            }
        };
        declare(self, &card.license, "card license");
        declare(self, &card.license_name, "card license_name");
        declare(self, &card.license_link, "card license_link");
        self.set_property(&owner, "pipeline_tag", card.pipeline_tag.clone());
        self.set_property(&owner, "library_name", card.library_name.clone());
        self.set_property(
            &owner,
            "language",
            (!card.language.is_empty()).then(|| card.language.clone()),
        );
        self.set_property(&owner, "card", Some(path.to_owned()));
        if card.is_dataset_card {
            return;
        }
        let kind = self.inv.components.get(&owner).map(|c| c.kind);
        let relation = card
            .base_model_relation
            .as_ref()
            .map(|r| r.value.clone())
            .unwrap_or_else(|| {
                match kind {
                    Some(ComponentKind::Adapter) => "adapter",
                    Some(ComponentKind::Quantization) => "quantized",
                    Some(ComponentKind::Merge) => "merge",
                    _ if card.base_model.len() > 1 => "merge",
                    _ => "finetune",
                }
                .to_owned()
            });
        let groups = [
            (
                &card.base_model,
                RelationKind::DerivedFrom,
                Some(relation.as_str()),
                "card base_model",
                Confidence::Medium,
            ),
            (
                &card.datasets,
                RelationKind::TrainedOn,
                None,
                "card datasets",
                Confidence::Low,
            ),
        ];
        for (references, kind, relation, source, confidence) in groups {
            for reference in references {
                let to = if kind == RelationKind::TrainedOn {
                    self.resolve_dataset(&reference.value, dir)
                } else {
                    self.resolve_model(&reference.value, dir)
                };
                let evidence = Evidence {
                    source,
                    path: path.to_owned(),
                    span: reference.span,
                };
                self.relate(&owner, kind, &to, relation, confidence, evidence);
            }
        }
    }

    fn gguf_lineage(&mut self, meta: &gguf::GgufMetadata, path: &str) {
        let Some(owner) = self.inv.file(path).and_then(|f| f.component.clone()) else {
            return;
        };
        if let Some(license) = meta.str("general.license") {
            self.declare(&owner, license, "gguf general.license", path, None);
        }
        if let Some(name) = meta.str("general.license.name") {
            self.declare(&owner, name, "gguf general.license.name", path, None);
        }
        for key in [
            "general.architecture",
            "general.file_type",
            "general.size_label",
            "general.quantized_by",
        ] {
            if let Some(value) = meta.kv.get(key) {
                self.set_property(
                    &owner,
                    key.trim_start_matches("general."),
                    serde_json::to_value(value).ok(),
                );
            }
        }
        self.set_property(&owner, "gguf_version", Some(meta.version));
        let kind = self.inv.components.get(&owner).map(|c| c.kind);
        let relation = if kind == Some(ComponentKind::Adapter) {
            "adapter"
        } else {
            "quantized"
        };
        let groups = [
            (
                meta.base_models(),
                RelationKind::DerivedFrom,
                Some(relation),
                "gguf general.base_model",
            ),
            (
                meta.datasets(),
                RelationKind::TrainedOn,
                None,
                "gguf general.dataset",
            ),
        ];
        for (references, kind, relation, source) in groups {
            for reference in references.iter().filter_map(gguf_reference) {
                let to = if kind == RelationKind::TrainedOn {
                    self.resolve_dataset(&reference, parent(path))
                } else {
                    self.resolve_model(&reference, parent(path))
                };
                let evidence = Evidence {
                    source,
                    path: path.to_owned(),
                    span: None,
                };
                self.relate(&owner, kind, &to, relation, Confidence::Medium, evidence);
            }
        }
    }

    fn training_lineage(
        &mut self,
        cfg: &TrainingConfig,
        path: &str,
        dir: &str,
        dataset_infos: &[(String, BTreeMap<String, DatasetInfoEntry>)],
    ) {
        let owner = if cfg.flavour == TrainingFlavour::Mergekit {
            self.component_for_dir(dir)
        } else {
            cfg.output_dir
                .as_ref()
                .and_then(|out| self.local_component(&out.value, dir, ComponentKind::is_model_like))
                .or_else(|| {
                    LocalIndex::first(&self.local.by_path, path, ComponentKind::is_model_like)
                        .map(str::to_owned)
                })
        };
        let Some(owner) = owner else { return };
        let source = match cfg.flavour {
            TrainingFlavour::Axolotl => "axolotl config",
            TrainingFlavour::LlamaFactory => "LLaMA-Factory config",
            TrainingFlavour::Trl => "training config",
            TrainingFlavour::Mergekit => "mergekit config",
        };
        let relation = if cfg.flavour == TrainingFlavour::Mergekit {
            "merge"
        } else if self
            .inv
            .components
            .get(&owner)
            .is_some_and(|c| c.kind == ComponentKind::Adapter)
        {
            "adapter"
        } else {
            "finetune"
        };
        let bases = cfg.base_model.iter().chain(cfg.merge_models.iter());
        for base in bases.cloned().collect::<Vec<_>>() {
            let to = self.resolve_model(&base.value, dir);
            if to == owner {
                continue;
            }
            let evidence = Evidence {
                source,
                path: path.to_owned(),
                span: base.span,
            };
            self.relate(
                &owner,
                RelationKind::DerivedFrom,
                &to,
                Some(relation),
                Confidence::High,
                evidence,
            );
        }
        for dataset in &cfg.datasets {
            let mut reference = dataset.value.clone();
            if cfg.flavour == TrainingFlavour::LlamaFactory {
                let info_dir = cfg.dataset_dir.as_deref().unwrap_or("data");
                let info = dataset_infos
                    .iter()
                    .find(|(d, _)| normalize(d) == normalize(info_dir))
                    .map(|(d, info)| (d, info.get(&reference)));
                if let Some((info_dir, Some(entry))) = info {
                    if let Some(file) = &entry.file_name {
                        reference = format!("{info_dir}/{file}");
                    } else if let Some(hub) = &entry.hf_hub_url {
                        reference = hub.clone();
                    }
                }
            }
            let to = self.resolve_dataset(&reference, dir);
            let evidence = Evidence {
                source,
                path: path.to_owned(),
                span: dataset.span,
            };
            self.relate(
                &owner,
                RelationKind::TrainedOn,
                &to,
                None,
                Confidence::High,
                evidence,
            );
        }
    }

    /// The weights component whose directory is `dir`.
    fn component_for_dir(&self, dir: &str) -> Option<String> {
        let accept = ComponentKind::is_model_like;
        // The directory component before the single-file components in it.
        LocalIndex::first(&self.local.by_path, dir, accept)
            .or_else(|| LocalIndex::first(&self.local.by_parent, dir, accept))
            .map(str::to_owned)
    }

    /// A local component for a path reference written in a file in `dir`.
    fn local_component(
        &self,
        reference: &str,
        dir: &str,
        accept: fn(ComponentKind) -> bool,
    ) -> Option<String> {
        let candidates = [normalize(reference), normalize(&join(dir, reference))];
        for candidate in candidates.iter().flatten() {
            if let Some(id) = LocalIndex::first(&self.local.by_path, candidate, accept) {
                return Some(id.to_owned());
            }
            // A file inside a component (a corpus file inside a dataset directory).
            if let Some(f) = self.inv.file(candidate)
                && let Some(id) = &f.component
                && self.inv.components.get(id).is_some_and(|c| accept(c.kind))
            {
                return Some(id.clone());
            }
        }
        None
    }

    fn resolve_model(&mut self, reference: &str, dir: &str) -> String {
        self.resolve(reference, dir, ComponentKind::Model)
    }

    fn resolve_dataset(&mut self, reference: &str, dir: &str) -> String {
        self.resolve(reference, dir, ComponentKind::Dataset)
    }

    /// Resolve a model or dataset reference to a component id, creating an external component
    /// when the reference is not in the tree.
    fn resolve(&mut self, reference: &str, dir: &str, kind: ComponentKind) -> String {
        let reference = reference.trim();
        let accept: fn(ComponentKind) -> bool = if kind == ComponentKind::Dataset {
            ComponentKind::is_data
        } else {
            ComponentKind::is_model_like
        };
        if let Some(id) = self.local_component(reference, dir, accept) {
            return id;
        }
        let hub_id = hub_id_of(reference);
        if let Some(hub) = &hub_id
            && let Some(id) = LocalIndex::first(&self.local.by_hub_id, hub, accept)
        {
            return id.to_owned();
        }
        let mut component = match &hub_id {
            Some(hub) => {
                let mut c = Component::new(
                    format!("{}:hub/{hub}", kind.as_str()),
                    kind,
                    hub.clone(),
                    None,
                );
                c.hub_id = Some(hub.clone());
                c
            }
            None => {
                let local =
                    normalize(&join(dir, reference)).unwrap_or_else(|| reference.to_owned());
                let mut c = Component::new(
                    format!("{}:missing/{local}", kind.as_str()),
                    kind,
                    reference.to_owned(),
                    None,
                );
                c.set("unresolved_reference", reference.to_owned());
                c
            }
        };
        component.external = true;
        let id = component.id.clone();
        self.inv.components.entry(id.clone()).or_insert(component);
        id
    }

    fn relate(
        &mut self,
        from: &str,
        kind: RelationKind,
        to: &str,
        relation: Option<&str>,
        confidence: Confidence,
        evidence: Evidence,
    ) {
        let key = (from.to_owned(), kind, to.to_owned());
        let entry = self.relations.entry(key).or_insert_with(|| Relation {
            from: from.to_owned(),
            kind,
            to: to.to_owned(),
            relation: relation.map(str::to_owned),
            confidence,
            evidence: Vec::new(),
        });
        entry.confidence = entry.confidence.max(confidence);
        if entry.relation.is_none() {
            entry.relation = relation.map(str::to_owned);
        }
        if !entry.evidence.contains(&evidence) {
            entry.evidence.push(evidence);
        }
    }

    fn declare(
        &mut self,
        id: &str,
        value: &str,
        source: &'static str,
        path: &str,
        span: Option<TextSpan>,
    ) {
        if let Some(c) = self.inv.components.get_mut(id) {
            let declared = DeclaredLicense {
                value: value.to_owned(),
                source,
                path: path.to_owned(),
                span,
            };
            if !c.declared_licenses.contains(&declared) {
                c.declared_licenses.push(declared);
            }
        }
    }

    fn set_property<T: Serialize>(&mut self, id: &str, key: &str, value: Option<T>) {
        let Some(value) = value.and_then(|v| serde_json::to_value(v).ok()) else {
            return;
        };
        if let Some(c) = self.inv.components.get_mut(id) {
            merge_property(&mut c.properties, key.to_owned(), value);
        }
    }

    /// Cards, configs, indexes and templates belong to the component in their directory, so
    /// findings about them are grouped with it.
    fn claim_metadata_files(&mut self) {
        let by_dir: BTreeMap<String, String> = self
            .inv
            .components
            .values()
            .filter(|c| !c.external && c.kind != ComponentKind::LicenceDocument)
            .filter_map(|c| c.path.as_ref().map(|p| (dir_of_component(p), c.id.clone())))
            .collect();
        for f in &mut self.inv.files {
            if f.component.is_none()
                && let Some(id) = by_dir.get(parent(&f.path))
            {
                f.component = Some(id.clone());
            }
        }
    }

    fn finish(mut self) -> Inventory {
        for c in self.inv.components.values_mut() {
            c.files.sort();
            c.declared_licenses.sort();
            if !c.files.is_empty() {
                c.size = Some(c.files.iter().map(|f| f.size).sum());
            }
            if let [only] = c.files.as_slice() {
                c.sha256 = only.sha256.clone();
            }
        }
        let mut relations: Vec<Relation> = self.relations.into_values().collect();
        for r in &mut relations {
            r.evidence.sort();
        }
        relations.sort();
        self.inv.relations = relations;
        self.inv
    }
}

/// Facts a parsed file contributes to its component.
fn file_properties(file: &ParsedFile) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    match &file.artifact {
        Ok(Artifact::Safetensors(h)) => {
            out.push(("tensor_count".to_owned(), h.tensor_count.into()));
            out.push(("parameter_count".to_owned(), h.parameter_count.into()));
            out.push((
                "dtypes".to_owned(),
                serde_json::to_value(h.dtypes.keys().collect::<Vec<_>>()).unwrap_or_default(),
            ));
        }
        Ok(Artifact::Gguf(m)) => {
            out.push(("tensor_count".to_owned(), m.tensor_count.into()));
        }
        Ok(Artifact::Onnx(o)) => {
            if let Some(p) = &o.producer_name {
                out.push(("onnx_producer".to_owned(), p.clone().into()));
            }
        }
        Ok(Artifact::Keras(k)) => {
            if let Some(v) = &k.keras_version {
                out.push(("keras_version".to_owned(), v.clone().into()));
            }
        }
        Ok(Artifact::Corpus(stats)) => {
            out.push(("records".to_owned(), stats.records.into()));
            if stats.malformed_records > 0 {
                out.push((
                    "malformed_records".to_owned(),
                    stats.malformed_records.into(),
                ));
            }
            if !stats.columns.is_empty() {
                out.push((
                    "columns".to_owned(),
                    serde_json::to_value(&stats.columns).unwrap_or_default(),
                ));
            }
        }
        Ok(Artifact::LfsPointer { .. }) => out.push(("lfs_pointers".to_owned(), 1.into())),
        Ok(Artifact::Pickle(scan)) => {
            if let Some(compression) = scan.compression {
                out.push(("compression".to_owned(), compression.name().into()));
            }
        }
        _ => {}
    }
    out
}

/// Numbers add up across files; lists merge into sorted unique lists; other values keep the
/// first one seen (files are visited in path order).
fn merge_property(
    properties: &mut BTreeMap<String, serde_json::Value>,
    key: String,
    value: serde_json::Value,
) {
    use serde_json::Value;
    match (properties.get_mut(&key), value) {
        (None, value) => {
            properties.insert(key, value);
        }
        (Some(Value::Number(a)), Value::Number(b)) if key != "gguf_version" => {
            if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
                *a = x.saturating_add(y).into();
            }
        }
        (Some(Value::Array(a)), Value::Array(b)) => {
            let mut all: Vec<Value> = a.drain(..).chain(b).collect();
            all.sort_by_key(|v| v.to_string());
            all.dedup();
            *a = all;
        }
        _ => {}
    }
}

fn corpus_format(file: &ParsedFile) -> String {
    match file.kind {
        ArtifactKind::Corpus(format) => serde_json::to_value(format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The directory a component lives in: its path for directory components, the parent for files.
pub fn dir_of_component(path: &str) -> String {
    let name = file_name(path);
    if name.contains('.') && crate::detect::detect(path).is_some() {
        parent(path).to_owned()
    } else {
        path.to_owned()
    }
}

/// Whether `dir` or a directory inside it is one of `dirs`: a range query, since every path
/// inside `dir` sorts right after `dir/`.
fn holds_any(dirs: &BTreeSet<String>, dir: &str) -> bool {
    if dir == "." {
        return !dirs.is_empty();
    }
    dirs.contains(dir)
        || dirs
            .range(format!("{dir}/")..)
            .next()
            .is_some_and(|first| is_within(first, dir))
}

/// The innermost of `dirs` that `path` is inside (the root, `.`, holds every path): a lookup
/// per ancestor, not a pass over `dirs`.
fn innermost_holding<'a>(dirs: &'a BTreeSet<String>, path: &str) -> Option<&'a String> {
    let mut dir = path;
    while dir != "." {
        dir = parent(dir);
        if let Some(found) = dirs.get(dir) {
            return Some(found);
        }
    }
    None
}

fn is_within(path: &str, dir: &str) -> bool {
    dir == "."
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

pub(crate) fn join(dir: &str, reference: &str) -> String {
    if dir == "." || reference.starts_with('/') {
        reference.to_owned()
    } else {
        format!("{dir}/{reference}")
    }
}

/// Normalise a repository-relative path: drop `.` and empty parts, apply `..`; `None` when it
/// climbs out of the repository or is absolute.
pub fn normalize(path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains("://") {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// A hub repository id from a reference: `org/name`, a hub URL, or `org/name@rev`.
pub fn hub_id_of(reference: &str) -> Option<String> {
    let mut r = reference.trim();
    for prefix in [
        "https://huggingface.co/",
        "http://huggingface.co/",
        "hf://",
        "huggingface.co/",
    ] {
        if let Some(rest) = r.strip_prefix(prefix) {
            r = rest.strip_prefix("datasets/").unwrap_or(rest);
            break;
        }
    }
    if r.contains("://") {
        return None;
    }
    let r = r
        .split(['@', '?', '#'])
        .next()
        .unwrap_or(r)
        .trim_end_matches('/');
    let parts: Vec<&str> = r.split('/').collect();
    let valid = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.len() <= 96
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    match parts.as_slice() {
        [org, name] if valid(org) && valid(name) => Some(format!("{org}/{name}")),
        [org, name, "tree" | "blob" | "resolve", ..] if valid(org) && valid(name) => {
            Some(format!("{org}/{name}"))
        }
        [name] if valid(name) && !name.contains('.') => Some((*name).to_owned()),
        _ => None,
    }
}

fn gguf_reference(r: &gguf::GgufReference) -> Option<String> {
    if let Some(url) = r.repo_url.as_deref().or(r.url.as_deref())
        && let Some(id) = hub_id_of(url)
    {
        return Some(id);
    }
    match (&r.organization, &r.name) {
        (Some(org), Some(name)) => Some(format!(
            "{}/{}",
            org.replace(' ', "-"),
            name.replace(' ', "-")
        )),
        (None, Some(name)) => Some(name.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_ids() {
        assert_eq!(
            hub_id_of("meta-llama/Llama-3.1-8B").as_deref(),
            Some("meta-llama/Llama-3.1-8B")
        );
        assert_eq!(
            hub_id_of("https://huggingface.co/meta-llama/Llama-3.1-8B").as_deref(),
            Some("meta-llama/Llama-3.1-8B")
        );
        assert_eq!(
            hub_id_of("https://huggingface.co/datasets/acme/chats").as_deref(),
            Some("acme/chats")
        );
        assert_eq!(hub_id_of("gpt2").as_deref(), Some("gpt2"));
        assert_eq!(hub_id_of("./models/base"), None);
        assert_eq!(hub_id_of("data/a/b.jsonl"), None);
        assert_eq!(hub_id_of("https://example.com/x"), None);
    }

    #[test]
    fn directory_lookups_agree_with_a_pass_over_every_directory() {
        let dirs: BTreeSet<String> = [".", "a", "a/b", "a/bc", "ab", "c/d"]
            .map(String::from)
            .into();
        // Repository-relative paths of files and directories (never the root itself).
        let paths = [
            "a", "a/b", "a/b/x", "a/bc/x", "a/b.x", "ab/x", "c", "c/d/e", "c/e", "z/y",
        ];
        for path in paths {
            let slow = dirs
                .iter()
                .filter(|d| is_within(path, d))
                .max_by_key(|d| d.len());
            assert_eq!(innermost_holding(&dirs, path), slow, "{path}");
            let slow = dirs.iter().any(|d| d == path || is_within(d, path));
            assert_eq!(holds_any(&dirs, path), slow, "{path}");
        }
        let nested: BTreeSet<String> = ["a/b/c"].map(String::from).into();
        assert!(holds_any(&nested, "a") && holds_any(&nested, "a/b") && !holds_any(&nested, "a/c"));
        assert!(!holds_any(&BTreeSet::new(), "."));
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("./models/../data/x").as_deref(), Some("data/x"));
        assert_eq!(normalize("../outside"), None);
        assert_eq!(normalize("/abs"), None);
    }

    #[test]
    fn shard_names() {
        assert!(is_shard_name("model-00001-of-00002.safetensors"));
        assert!(is_shard_name("pytorch_model-00003-of-00003.bin"));
        assert!(!is_shard_name("model.safetensors"));
        assert!(!is_shard_name("of-00001.bin"));
    }
}
