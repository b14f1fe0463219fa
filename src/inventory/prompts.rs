//! Prompt components and the changelog each prompt has (if any).
//!
//! A prompt has a changelog when its front matter carries `changelog:` entries, when
//! `<name>.changelog.md` sits next to it, when a `CHANGELOG.md` in its directory or an ancestor
//! mentions its path or id, or when the `[prompts] changelog` file mentions it (SPEC §6.1). Which
//! one applies is decided here, once, from the parsed files; the git history of that changelog is
//! gathered later by the scan (`crate::git`) and attached to the same record. Chat templates stay
//! with their model; their content hash is recorded on the model as a property.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Builder, Component, ComponentKind, file_name, parent};
use crate::artifact::parsed::{Artifact, HashSource};
use crate::artifact::prompt::{self, Prompt, PromptConfig, PromptFormat};
use crate::artifact::text::{Spanned, TextSpan};

/// Where a prompt's changelog is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangelogSource {
    /// `changelog:` in the prompt's own front matter.
    FrontMatter,
    /// `<name>.changelog.md` next to the prompt.
    Sidecar,
    /// A `CHANGELOG.md` in the prompt's directory or an ancestor that mentions it.
    Directory,
    /// The `[prompts] changelog` file of `aibom.toml`, mentioning it.
    Config,
}

impl ChangelogSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangelogSource::FrontMatter => "front matter",
            ChangelogSource::Sidecar => "sidecar",
            ChangelogSource::Directory => "directory changelog",
            ChangelogSource::Config => "[prompts] changelog",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangelogRef {
    pub source: ChangelogSource,
    /// The changelog file (the prompt itself for front matter).
    pub path: String,
    /// The first mention, or the `changelog:` key.
    pub span: Option<TextSpan>,
}

/// When something last changed, newest first: an edit not yet committed (in the working tree,
/// or staged in `--staged` mode), or a commit on HEAD's first-parent history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Change {
    Pending,
    Commit {
        /// Abbreviated commit id.
        id: String,
        /// Commit time, seconds since the epoch.
        time: i64,
        /// 0 for HEAD, 1 for its first parent …
        depth: usize,
    },
}

impl Change {
    /// True when `self` happened after `other`.
    pub fn is_newer_than(&self, other: &Change) -> bool {
        match (self, other) {
            (Change::Pending, Change::Pending) => false,
            (Change::Pending, Change::Commit { .. }) => true,
            (Change::Commit { .. }, Change::Pending) => false,
            (Change::Commit { depth: a, .. }, Change::Commit { depth: b, .. }) => a < b,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Change::Pending => "an uncommitted change".to_owned(),
            Change::Commit { id, .. } => format!("commit {id}"),
        }
    }
}

/// What git says about one prompt, gathered by the scan stage (`crate::git`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PromptHistory {
    /// `working tree` or `index` — what the current content was read from.
    pub current: &'static str,
    /// The newest change to the prompt's content; `None` when the history walk did not reach it.
    pub content_change: Option<Change>,
    /// The newest change to the part of its changelog that mentions it.
    pub changelog_change: Option<Change>,
    /// What the version check compares against: `HEAD`, or `merge base with REF`.
    pub base: String,
    /// The prompt at the base (`None` when it did not exist there).
    pub base_version: Option<String>,
    pub base_content_sha256: Option<String>,
    pub base_exists: bool,
}

/// One prompt, for the changelog checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromptRecord {
    pub component: String,
    pub path: String,
    pub version: Option<Spanned<String>>,
    pub content_sha256: String,
    /// Strings whose mention in a changelog names this prompt: its path (from the root and from
    /// the changelog's directory is decided per changelog), its `id` and its `name`.
    pub keys: Vec<String>,
    pub changelog: Option<ChangelogRef>,
    pub history: Option<PromptHistory>,
}

/// The keys that make a changelog line mention a prompt, as seen from a changelog in `dir`.
pub fn mention_keys(record_keys: &[String], path: &str, dir: &str) -> Vec<String> {
    let mut keys = record_keys.to_vec();
    if dir != "."
        && let Some(rest) = path.strip_prefix(dir).and_then(|r| r.strip_prefix('/'))
    {
        keys.push(rest.to_owned());
    }
    keys
}

/// The text of a changelog that concerns a prompt: front matter entries for front matter, the
/// whole file for a sidecar, the mentioning sections otherwise. Used for the current content and
/// for every historical version the git walk reads.
pub fn changelog_text(
    source: ChangelogSource,
    changelog_path: &str,
    text: &str,
    keys: &[String],
    prompt_path: &str,
) -> Option<String> {
    match source {
        ChangelogSource::FrontMatter => {
            let format = match crate::detect::detect(prompt_path) {
                Some(crate::detect::ArtifactKind::Prompt(f)) => f,
                _ => prompt::PromptFormat::Plain,
            };
            let parsed = prompt::parse(text, format).ok()?;
            (!parsed.changelog.is_empty()).then(|| parsed.changelog.join("\n"))
        }
        ChangelogSource::Sidecar => Some(text.to_owned()),
        ChangelogSource::Directory | ChangelogSource::Config => {
            let keys = mention_keys(keys, prompt_path, parent(changelog_path));
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            prompt::mentions(text, &keys).map(|(t, _)| t)
        }
    }
}

/// The file name of a prompt without its prompt extension: `triage` for `triage.prompty` and
/// `summarise.prompt.yml`.
fn stem(name: &str) -> &str {
    for ext in [
        ".prompt.yaml",
        ".prompt.yml",
        ".prompt.md",
        ".prompty",
        ".prompt",
    ] {
        if let Some(stem) = name.strip_suffix(ext) {
            return stem;
        }
    }
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

impl Builder {
    /// Prompt components, their changelogs, and chat-template hashes on models.
    pub(super) fn prompts(&mut self, shared_changelog: Option<&str>) {
        let changelogs: BTreeMap<String, String> = self
            .inv
            .files
            .iter()
            .filter_map(|f| match &f.artifact {
                Ok(Artifact::Changelog(c)) => Some((f.path.clone(), c.text.clone())),
                _ => None,
            })
            .collect();
        // The `CHANGELOG.md` files (any case) by directory, in path order: a prompt looks in
        // each of its ancestors, and a pass over every changelog for each made this quadratic.
        let mut directory_changelogs: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for path in changelogs.keys() {
            if file_name(path).eq_ignore_ascii_case("changelog.md") {
                directory_changelogs
                    .entry(parent(path))
                    .or_default()
                    .push(path);
            }
        }
        // Semantic Kernel prompt configs by directory.
        let prompt_configs: BTreeMap<String, (String, PromptConfig)> = self
            .inv
            .files
            .iter()
            .filter_map(|f| match &f.artifact {
                Ok(Artifact::PromptConfig(c)) => {
                    Some((parent(&f.path).to_owned(), (f.path.clone(), c.clone())))
                }
                _ => None,
            })
            .collect();
        let mut records = Vec::new();
        for i in 0..self.inv.files.len() {
            let Ok(Artifact::Prompt(p)) = &self.inv.files[i].artifact else {
                continue;
            };
            let p: Prompt = p.clone();
            let path = self.inv.files[i].path.clone();
            if self.inv.files[i].sha256.is_none() {
                self.inv.files[i].sha256 = Some(p.file_sha256.clone());
                self.inv.files[i].hash_source = Some(HashSource::Content);
            }
            let id = format!("prompt:{path}");
            let name = match (&p.name, p.format) {
                (Some(n), _) => n.value.clone(),
                // A Semantic Kernel function is named after its directory.
                (None, PromptFormat::SemanticKernel) if parent(&path) != "." => {
                    file_name(parent(&path)).to_owned()
                }
                (None, _) => file_name(&path).to_owned(),
            };
            let mut component =
                Component::new(id.clone(), ComponentKind::Prompt, name, Some(path.clone()));
            component.format = Some(p.format.as_str().to_owned());
            if p.format == PromptFormat::SemanticKernel {
                semantic_kernel_properties(&mut component, &path, &prompt_configs);
            }
            let prompt_id =
                p.id.as_ref()
                    .or(p.name.as_ref())
                    .map_or_else(|| path.clone(), |v| v.value.clone());
            component.set("prompt_id", prompt_id);
            component.set("content_sha256", p.content_sha256.clone());
            if let Some(v) = &p.version {
                component.set("version", v.value.clone());
            }
            if let Some(o) = &p.owner {
                component.set("owner", o.value.clone());
            }
            if !p.tools.is_empty() {
                component.set("tools", p.tools.clone());
            }
            let mut keys = vec![path.clone()];
            keys.extend(p.id.iter().chain(p.name.iter()).map(|v| v.value.clone()));
            keys.sort();
            keys.dedup();
            let changelog = find_changelog(
                &p,
                &path,
                &keys,
                (&changelogs, &directory_changelogs),
                shared_changelog,
            );
            if let Some(c) = &changelog {
                component.set("changelog", c.path.clone());
                component.set("changelog_source", c.source.as_str());
            }
            // `missing` or `present`; the git stage refines `present` to `current` or `stale`.
            component.set(
                "changelog_state",
                if changelog.is_some() {
                    "present"
                } else {
                    "missing"
                },
            );
            if !p.changelog.is_empty() {
                component.set("changelog_entries", p.changelog.len());
            }
            self.inv.components.insert(id.clone(), component);
            self.attach(i, &id);
            records.push(PromptRecord {
                component: id,
                path,
                version: p.version.clone(),
                content_sha256: p.content_sha256.clone(),
                keys,
                changelog,
                history: None,
            });
        }
        records.sort_by(|a, b| a.path.cmp(&b.path));
        self.inv.prompts = records;
        self.chat_template_hashes();
    }

    /// `chat_templates` on the model that owns a tokenizer config or template file: name and
    /// SHA-256 of each template, so a changed template shows in a BOM diff.
    fn chat_template_hashes(&mut self) {
        let mut found: Vec<(String, String)> = Vec::new();
        for f in &self.inv.files {
            let cfg = match &f.artifact {
                Ok(Artifact::ChatTemplate(cfg)) | Ok(Artifact::TokenizerConfig(cfg)) => cfg,
                _ => continue,
            };
            for t in &cfg.chat_templates {
                found.push((
                    parent(&f.path).to_owned(),
                    format!(
                        "{}:{} sha256:{}",
                        file_name(&f.path),
                        t.name,
                        prompt::sha256(t.template.as_bytes())
                    ),
                ));
            }
        }
        self.local = super::LocalIndex::new(&self.inv.components);
        for (dir, entry) in found {
            if let Some(owner) = self.component_for_dir(&dir) {
                self.set_property(&owner, "chat_templates", Some(vec![entry]));
            }
        }
    }
}

/// A Semantic Kernel prompt's plugin (the directory above its own) and what the `config.json`
/// beside it says: `description`, `input_variables`, and the config's path.
fn semantic_kernel_properties(
    component: &mut Component,
    path: &str,
    configs: &BTreeMap<String, (String, PromptConfig)>,
) {
    let dir = parent(path);
    if dir != "." && parent(dir) != "." {
        component.set("plugin", file_name(parent(dir)));
    }
    let Some((config_path, config)) = configs.get(dir) else {
        return;
    };
    component.set("config", config_path.clone());
    if let Some(d) = &config.description {
        component.set("description", d.value.clone());
    }
    if !config.input_variables.is_empty() {
        component.set("input_variables", config.input_variables.clone());
    }
}

fn find_changelog(
    p: &Prompt,
    path: &str,
    keys: &[String],
    (changelogs, directory_changelogs): (&BTreeMap<String, String>, &BTreeMap<&str, Vec<&str>>),
    shared: Option<&str>,
) -> Option<ChangelogRef> {
    if !p.changelog.is_empty() {
        return Some(ChangelogRef {
            source: ChangelogSource::FrontMatter,
            path: path.to_owned(),
            span: p.changelog_span,
        });
    }
    let dir = parent(path);
    let name = file_name(path);
    for sidecar in [
        format!("{}.changelog.md", stem(name)),
        format!("{name}.changelog.md"),
    ] {
        let sidecar = if dir == "." {
            sidecar
        } else {
            format!("{dir}/{sidecar}")
        };
        if changelogs.contains_key(&sidecar) {
            return Some(ChangelogRef {
                source: ChangelogSource::Sidecar,
                path: sidecar,
                span: None,
            });
        }
    }
    let mut ancestor = dir;
    loop {
        for &changelog_path in directory_changelogs.get(ancestor).into_iter().flatten() {
            if let Some(span) = mention(changelog_path, &changelogs[changelog_path], keys, path) {
                return Some(ChangelogRef {
                    source: ChangelogSource::Directory,
                    path: changelog_path.to_owned(),
                    span: Some(span),
                });
            }
        }
        if ancestor == "." {
            break;
        }
        ancestor = parent(ancestor);
    }
    let shared = shared?;
    let text = changelogs.get(shared)?;
    let span = mention(shared, text, keys, path)?;
    Some(ChangelogRef {
        source: ChangelogSource::Config,
        path: shared.to_owned(),
        span: Some(span),
    })
}

fn mention(
    changelog_path: &str,
    text: &str,
    keys: &[String],
    prompt_path: &str,
) -> Option<TextSpan> {
    let keys = mention_keys(keys, prompt_path, parent(changelog_path));
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    prompt::mentions(text, &keys).map(|(_, span)| span)
}
