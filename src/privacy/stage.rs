//! The privacy stage of a scan, run once the inventory is built: resolve the manifest to
//! components (and add its lineage at high confidence), scan every corpus file for personal data
//! in parallel, read the erasure logs, look for erased subjects, and record the results on the
//! inventory (component properties for the BOM writers, `Inventory::privacy` for the rules).
//!
//! Reads only inside the scanned tree (data files, erasure logs, the existence of documents),
//! or with `--staged` the git index; never writes anything; never keeps a detected value.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;
use serde_json::json;

use super::erasure_log::{self, ErasureLog, Subject};
use super::manifest::Manifest;
use super::{FileScan, KeyState, PrivacyFacts, Residue, corpus_hash, lineage};
use crate::artifact::parsed::HashSource;
use crate::detect::ArtifactKind;
use crate::documents::Documents;
use crate::inventory::{
    DeclaredRelation, DeclaredTarget, Evidence, Inventory, RelationKind, add_declared_relations,
};
use crate::pii::cached::PiiCache;
use crate::pii::{self, PiiType};
use crate::suppression::Date;
use crate::walk::FileEntry;

/// Run the stage. `documents` says where erasure logs and procedures are read; `data_files` maps
/// each walked data file's repository-relative path to the file that holds its content (in the
/// work tree, or the staged copy of `--staged`), and `cache` keeps their personal-data reports.
/// Returns how many reports came from the cache.
pub fn run(
    root: &Path,
    documents: Documents,
    inventory: &mut Inventory,
    manifest: &Manifest,
    (data_files, cache): (&BTreeMap<String, FileEntry>, &PiiCache),
    today: Date,
) -> usize {
    let mut facts = PrivacyFacts {
        today: Some(today),
        ..PrivacyFacts::default()
    };
    resolve_manifest(inventory, manifest, &mut facts);
    declare_lineage(inventory, manifest, &facts);
    read_documents(root, documents, manifest, &mut facts);

    let key = std::env::var_os(&manifest.key_env)
        .map(|v| v.to_string_lossy().into_owned().into_bytes())
        .filter(|k| !k.is_empty());
    let subjects = erased_subjects(inventory, manifest, &facts);
    let wanted = if subjects.values().any(|s| !s.is_empty()) {
        if key.is_some() {
            facts.key = KeyState::Used;
        } else {
            facts.key = KeyState::Missing;
        }
        key.as_deref().and_then(super::subject::Keyed::new)
    } else {
        None
    };
    let wanted = wanted.as_ref();

    let jobs: Vec<(String, &FileEntry, crate::pii::CorpusFormat, Option<String>)> = inventory
        .files
        .iter()
        .filter(|f| f.hash_source != Some(HashSource::LfsPointer))
        .filter_map(|f| match f.kind {
            ArtifactKind::Corpus(format) => data_files
                .get(&f.path)
                .map(|entry| (f.path.clone(), entry, format, f.component.clone())),
            _ => None,
        })
        .collect();
    let from_cache = std::sync::atomic::AtomicUsize::new(0);
    let scanned: Vec<(String, FileScan, Vec<Residue>)> = jobs
        .par_iter()
        .map(|(rel, entry, format, component)| {
            let wanted_here = wanted.and_then(|key| subjects.get(rel).map(|s| (key, s)));
            let mut residue: BTreeMap<(usize, PiiType), (u64, u64)> = BTreeMap::new();
            let mut visit = |m: &pii::Match<'_>| {
                let Some((key, erased)) = wanted_here else {
                    return;
                };
                if !matches!(m.kind, PiiType::Email | PiiType::Phone) || erased.is_empty() {
                    return;
                }
                let digest = key.digest(m.normalized);
                for &index in erased.by_digest.get(&digest).into_iter().flatten() {
                    let entry = residue.entry((index, m.kind)).or_insert((0, m.line));
                    entry.0 += 1;
                }
            };
            // A file searched for erased subjects is read whatever the cache holds; a staged copy
            // outside the root is never kept (it has a new inode each time).
            let cacheable =
                cache.is_enabled() && wanted_here.is_none() && entry.abs_path.starts_with(root);
            let report = match cacheable.then(|| cache.report(entry, *format)).flatten() {
                Some(report) => {
                    from_cache.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    Ok(report)
                }
                None => {
                    let report = pii::scan_file(&entry.abs_path, *format, &mut visit);
                    if let Ok(report) = &report
                        && cacheable
                        && unchanged(entry)
                    {
                        cache.keep(entry, *format, report);
                    }
                    report.map_err(|e| e.to_string())
                }
            };
            let residue = residue
                .into_iter()
                .filter_map(|((index, kind), (count, first_line))| {
                    let s = wanted_here?.1.subjects.get(index)?;
                    Some(Residue {
                        request_id: s.request_id.clone(),
                        log: s.log.clone(),
                        log_line: s.log_line,
                        corpus: s.found_in.clone(),
                        file: rel.clone(),
                        kind,
                        count,
                        first_line,
                    })
                })
                .collect();
            let scan = FileScan {
                component: component.clone(),
                report,
            };
            (rel.clone(), scan, residue)
        })
        .collect();
    for (path, scan, residue) in scanned {
        facts.residue.extend(residue);
        if let Some(component) = &scan.component {
            facts
                .scans_by_component
                .entry(component.clone())
                .or_default()
                .push(path.clone());
        }
        facts.scans.insert(path, scan);
    }
    facts.scans_by_component.values_mut().for_each(|paths| {
        paths.sort();
        paths.dedup();
    });
    facts.residue.sort();

    record_properties(inventory, manifest, &facts);
    inventory.privacy = facts;
    from_cache.into_inner()
}

/// Whether the file still has the size, modification time and inode it had when walked (a
/// report of a file changed during its scan is not cached).
fn unchanged(entry: &FileEntry) -> bool {
    std::fs::symlink_metadata(&entry.abs_path).is_ok_and(|meta| {
        let now = crate::walk::file_entry(String::new(), entry.abs_path.clone(), &meta);
        (now.dev, now.ino, now.size, now.mtime_ns)
            == (entry.dev, entry.ino, entry.size, entry.mtime_ns)
    })
}

/// Which files and components each `[[corpus]]` and `[[model]]` names.
fn resolve_manifest(inventory: &Inventory, manifest: &Manifest, facts: &mut PrivacyFacts) {
    for decl in &manifest.corpora {
        let files: Vec<&crate::artifact::parsed::ParsedFile> = inventory
            .files
            .iter()
            .filter(|f| matches!(f.kind, ArtifactKind::Corpus(_)) && decl.covers(&f.path))
            .collect();
        let mut components: Vec<String> =
            files.iter().filter_map(|f| f.component.clone()).collect();
        components.sort();
        components.dedup();
        let listing: Vec<(&str, Option<&str>)> = files
            .iter()
            .map(|f| (f.path.as_str(), f.sha256.as_deref()))
            .collect();
        if let Some(hash) = corpus_hash(&listing) {
            facts.corpus_hashes.insert(decl.id.clone(), hash);
        }
        facts.corpus_files.insert(
            decl.id.clone(),
            files.iter().map(|f| f.path.clone()).collect(),
        );
        facts.corpus_components.insert(decl.id.clone(), components);
    }
    for decl in &manifest.models {
        let Some(path) = &decl.path else {
            // Without a path, the one local model named like the entry.
            let named: Vec<String> = inventory
                .components
                .values()
                .filter(|c| c.kind.is_model_like() && !c.external && c.name == decl.id)
                .map(|c| c.id.clone())
                .collect();
            if named.len() == 1 {
                facts.model_components.insert(decl.id.clone(), named);
            }
            continue;
        };
        let mut components: Vec<String> = inventory
            .components
            .values()
            .filter(|c| c.kind.is_model_like() && !c.external)
            .filter(|c| {
                c.path.as_deref() == Some(path.as_str())
                    || c.files
                        .iter()
                        .any(|f| f.path == *path || f.path.starts_with(&format!("{path}/")))
            })
            .map(|c| c.id.clone())
            .collect();
        components.sort();
        facts.model_components.insert(decl.id.clone(), components);
    }
}

/// `trained_on`, `base_model` and `derived_from` of the manifest as relations.
fn declare_lineage(inventory: &mut Inventory, manifest: &Manifest, facts: &PrivacyFacts) {
    let evidence = |source: &'static str, span| Evidence {
        source,
        path: manifest.file.clone(),
        span: Some(span),
    };
    let mut declared = Vec::new();
    let empty = Vec::new();
    for model in &manifest.models {
        for from in facts.model_components.get(&model.id).unwrap_or(&empty) {
            for t in &model.trained_on {
                for to in facts.corpus_components.get(&t.corpus).unwrap_or(&empty) {
                    declared.push(DeclaredRelation {
                        from: from.clone(),
                        kind: RelationKind::TrainedOn,
                        to: DeclaredTarget::Component(to.clone()),
                        evidence: evidence("aibom.toml [[model]] trained_on", t.span),
                    });
                }
            }
            if let Some(base) = &model.base_model {
                let to = match manifest.model(&base.value) {
                    Some(other) => facts
                        .model_components
                        .get(&other.id)
                        .and_then(|c| c.first().cloned())
                        .map(DeclaredTarget::Component),
                    None => Some(DeclaredTarget::ModelReference(base.value.clone())),
                };
                if let Some(to) = to {
                    declared.push(DeclaredRelation {
                        from: from.clone(),
                        kind: RelationKind::DerivedFrom,
                        to,
                        evidence: evidence("aibom.toml [[model]] base_model", base.span),
                    });
                }
            }
        }
    }
    for corpus in &manifest.corpora {
        for from in facts.corpus_components.get(&corpus.id).unwrap_or(&empty) {
            for source in &corpus.derived_from {
                for to in facts.corpus_components.get(&source.value).unwrap_or(&empty) {
                    declared.push(DeclaredRelation {
                        from: from.clone(),
                        kind: RelationKind::DerivedFrom,
                        to: DeclaredTarget::Component(to.clone()),
                        evidence: evidence("aibom.toml [[corpus]] derived_from", source.span),
                    });
                }
            }
        }
    }
    add_declared_relations(inventory, declared);
}

/// Erasure procedures (existence only) and erasure logs (parsed), read inside the root.
fn read_documents(root: &Path, from: Documents, manifest: &Manifest, facts: &mut PrivacyFacts) {
    for corpus in &manifest.corpora {
        if let Some(doc) = &corpus.erasure_procedure {
            let exists = from.exists(root, &doc.value);
            facts.documents.insert(doc.value.clone(), exists);
        }
        if let Some(log) = &corpus.erasure_log
            && !facts.logs.contains_key(&log.value)
        {
            let parsed = match from.read(root, &log.value, erasure_log::MAX_LOG_BYTES) {
                Ok(bytes) => erasure_log::parse(&log.value, &bytes),
                Err(why) => ErasureLog {
                    path: log.value.clone(),
                    unreadable: Some(format!("it {why}")),
                    ..ErasureLog::default()
                },
            };
            facts.logs.insert(log.value.clone(), parsed);
        }
    }
}

/// A completed erasure whose subject the scan must look for in one file.
struct ErasedSubject {
    digest: [u8; 32],
    request_id: String,
    log: String,
    log_line: u32,
    /// The `[[corpus]]` covering the file.
    found_in: String,
}

/// The erased subjects one file is checked against, indexed by digest.
#[derive(Default)]
struct FileSubjects {
    subjects: Vec<ErasedSubject>,
    by_digest: std::collections::HashMap<[u8; 32], Vec<usize>>,
}

impl FileSubjects {
    fn is_empty(&self) -> bool {
        self.subjects.is_empty()
    }

    fn push(&mut self, subject: ErasedSubject) {
        if self
            .subjects
            .iter()
            .any(|e| e.digest == subject.digest && e.request_id == subject.request_id)
        {
            return;
        }
        self.by_digest
            .entry(subject.digest)
            .or_default()
            .push(self.subjects.len());
        self.subjects.push(subject);
    }
}

/// Per data file: the hashed subjects of completed erasure requests whose scope is a corpus
/// covering the file, or a corpus the covering corpus derives from (transitively).
fn erased_subjects(
    inventory: &Inventory,
    manifest: &Manifest,
    facts: &PrivacyFacts,
) -> BTreeMap<String, FileSubjects> {
    let mut out: BTreeMap<String, FileSubjects> = BTreeMap::new();
    let requests: Vec<(&ErasureLog, &erasure_log::ErasureRequest)> = facts
        .logs
        .values()
        .flat_map(|log| log.requests.iter().map(move |r| (log, r)))
        .filter(|(_, r)| r.completed_at.is_some())
        .collect();
    if requests.is_empty() {
        return out;
    }
    for corpus in &manifest.corpora {
        let lineage = corpus_ancestors(manifest, &corpus.id);
        for file in facts.corpus_files.get(&corpus.id).into_iter().flatten() {
            if inventory.file(file).is_none() {
                continue;
            }
            for (log, request) in &requests {
                let Subject::Hashed(digest) = request.subject else {
                    continue;
                };
                if !request.scope.iter().any(|s| lineage.contains(s)) {
                    continue;
                }
                out.entry(file.clone()).or_default().push(ErasedSubject {
                    digest,
                    request_id: request.request_id.clone(),
                    log: log.path.clone(),
                    log_line: request.line,
                    found_in: corpus.id.clone(),
                });
            }
        }
    }
    out
}

/// A corpus id and every corpus it derives from, transitively (cycle-safe).
pub fn corpus_ancestors(manifest: &Manifest, id: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![id.to_owned()];
    while let Some(next) = stack.pop() {
        if !seen.insert(next.clone()) {
            continue;
        }
        if let Some(c) = manifest.corpus(&next) {
            stack.extend(c.derived_from.iter().map(|d| d.value.clone()));
        }
    }
    seen
}

/// The keys other writers read: `pii`, `contains_pii`, `pii_types`, `legal_basis`,
/// `retention_until` on data components, `trained_on_pii` on model-like ones.
fn record_properties(inventory: &mut Inventory, manifest: &Manifest, facts: &PrivacyFacts) {
    let mut per_component: BTreeMap<String, BTreeMap<PiiType, (u64, u64)>> = BTreeMap::new();
    for scan in facts.scans.values() {
        let (Some(component), Ok(report)) = (&scan.component, &scan.report) else {
            continue;
        };
        let entry = per_component.entry(component.clone()).or_default();
        for (kind, t) in &report.by_type {
            let counts = entry.entry(*kind).or_default();
            counts.0 += t.count;
            counts.1 += t.synthetic;
        }
    }
    for (id, types) in per_component {
        let Some(c) = inventory.components.get_mut(&id) else {
            continue;
        };
        let types: serde_json::Map<String, serde_json::Value> = types
            .into_iter()
            .filter(|(_, (count, synthetic))| count + synthetic > 0)
            .map(|(kind, (count, synthetic))| {
                (
                    kind.as_str().to_owned(),
                    json!({"count": count, "synthetic": synthetic}),
                )
            })
            .collect();
        c.properties
            .insert("pii".to_owned(), json!({ "types": types }));
    }
    for decl in &manifest.corpora {
        for id in facts.corpus_components.get(&decl.id).into_iter().flatten() {
            let Some(c) = inventory.components.get_mut(id) else {
                continue;
            };
            let mut set = |key: &str, value: serde_json::Value| {
                c.properties.entry(key.to_owned()).or_insert(value);
            };
            if let Some(contains) = decl.contains_pii {
                set("contains_pii", contains.into());
            }
            if !decl.pii_types.is_empty() {
                let names: Vec<&str> = decl.pii_types.iter().map(|t| t.as_str()).collect();
                set("pii_types", json!(names));
            }
            if let Some(basis) = decl.legal_basis {
                set("legal_basis", basis.as_str().into());
            }
            if let Some(until) = decl.retention_until {
                set("retention_until", until.to_string().into());
            }
        }
    }
    let models: Vec<String> = inventory
        .components
        .values()
        .filter(|c| c.kind.is_model_like())
        .map(|c| c.id.clone())
        .collect();
    for id in models {
        let types = lineage::trained_on_pii(inventory, &id);
        if types.is_empty() {
            continue;
        }
        if let Some(c) = inventory.components.get_mut(&id) {
            c.properties
                .insert("trained_on_pii".to_owned(), json!(types));
        }
    }
}
