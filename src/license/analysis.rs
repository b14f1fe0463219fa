//! Identification and inheritance: which licences bind each component, and on what evidence.
//!
//! Evidence, strongest first (SPEC §4.2): a `[[licenses.clarify]]` decision pinned to a file
//! hash; a licence text identified by fingerprint in a licence file of the component's directory
//! that binds it (`DATA_LICENSE` binds data, `WEIGHTS_LICENSE` weights, `LICENSE` the rest, and
//! what a file's own text says it covers narrows that: `license::document::applies`; the evidence
//! says why in `applies`; a file split by part gives each part its section); `license_link`,
//! and a short licence file no fingerprint identifies that names licences (`license::notice`);
//! `license_name`; card `license` (and Croissant `license`); GGUF `general.license(.name)`; for
//! an external component, the publisher and name of its hub id (weak). The strongest source that
//! names a known licence gives the conclusion; any two sources naming different licences are a
//! conflict. Inheritance then adds every parent's licences (adapters, fine-tunes, quantizations,
//! merges) and, for models, the licences of the corpora they were trained on when those terms
//! reach trained models (non-commercial or share-alike).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::db::{LicenseDb, TextMatch, sha256_hex};
use super::document::{Document, Part, applies};
use super::hf_cache::CachedLicence;
use super::notice::{self, Notice};
use super::record::{CommercialStatus, LicenseRecord};
use super::statement::{self, Section, Statement};
use super::title::document_name;
use super::{normalize, word_count};
use crate::artifact::parsed::Artifact;
use crate::artifact::text::TextSpan;
use crate::documents::Documents;
use crate::inventory::{
    Component, Inventory, RelationKind, dir_of_component, file_name, licence_document, parent,
};
use crate::policy::Policy;
use crate::policy::usage::{LicensePolicy, Project};

/// Attribution files larger than this are read only up to it.
const MAX_ATTRIBUTION_BYTES: u64 = 1024 * 1024;

/// What the JSON output shows for a component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcludedLicense {
    /// `identified`, `modified` (a known licence's text, edited), `conflicting`, `unrecognised`
    /// (declared, but not a known licence), `unresolved` (an external component nothing
    /// identifies), `inherited` (only from parents) or `none`.
    pub status: &'static str,
    /// The component's own licences (record ids).
    pub licenses: Vec<String>,
    /// Licences that bind it through its parents or training data.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inherited: Vec<InheritedLicense>,
    /// The strictest commercial-use status of everything that binds it.
    pub commercial: &'static str,
    pub evidence: Vec<LicenseEvidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct InheritedLicense {
    pub license: String,
    /// The component the licence comes from.
    pub from: String,
}

/// One source's statement about a component's licence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LicenseEvidence {
    /// 0 = strongest.
    #[serde(skip)]
    pub rank: u8,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<TextSpan>,
    pub value: String,
    /// The licences it names; empty when it names none the database knows.
    pub licenses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The records a link several licences share names (`LicenseDb::lookup_link_shared`); the
    /// component's other evidence picks one of them, or none.
    #[serde(skip)]
    pub shared_link: Vec<String>,
    /// What a licence notice names that the database does not know, as written (names, or links
    /// where no name is written).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unresolved: Vec<String>,
    /// The first line of a licence notice that names known licences and says more (terms of
    /// its own, which no record covers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adds_terms: Option<TextSpan>,
    /// Why a licence file binds the component: the card links it, its name or its own text is
    /// for the component's part (`DATA_LICENSE` beside a corpus, a preamble or a section for the
    /// weights), or it is its directory's general licence (`license::document::Applies`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies: Option<String>,
}

/// A licence that binds a component, and how.
#[derive(Debug, Clone)]
pub struct Bound {
    pub record: Arc<LicenseRecord>,
    /// Component ids from this component's parent to the one that carries the licence; empty =
    /// the component's own licence.
    pub via: Vec<String>,
    /// How the first hop relates: `adapter`, `finetune`, `quantized`, `merge` or `trained_on`.
    pub relation: Option<String>,
}

impl Bound {
    pub fn is_own(&self) -> bool {
        self.via.is_empty()
    }

    /// The component the licence comes from, or `None` for the component's own.
    pub fn source(&self) -> Option<&str> {
        self.via.last().map(String::as_str)
    }
}

/// A licence text that matches a known licence's fingerprint but is not its canonical text.
#[derive(Debug, Clone, PartialEq)]
pub struct ModifiedText {
    pub path: String,
    pub license: String,
    pub word_difference: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct ComponentLicensing {
    pub evidence: Vec<LicenseEvidence>,
    /// The component's own licences.
    pub own: Vec<Arc<LicenseRecord>>,
    /// Use policies (AUPs) found next to it.
    pub use_policies: Vec<Arc<LicenseRecord>>,
    /// Pairs of sources that name different licences.
    pub conflicts: Vec<(LicenseEvidence, LicenseEvidence)>,
    pub modified_texts: Vec<ModifiedText>,
    /// Own and inherited licences, one entry per licence (the nearest source).
    pub bound: Vec<Bound>,
    /// External parents (ids) whose licence nothing identifies.
    pub unresolved_parents: Vec<String>,
    /// Names the component is published under, with where each was read.
    pub names: Vec<(String, String)>,
    /// Licence files beside the component that its name would bind, but whose text says they
    /// cover other parts (`LICENSE` for the code only).
    pub stated_away: Vec<StatedAway>,
}

/// A licence file whose text takes a component's part away from what its name covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedAway {
    pub path: String,
    /// What the file says it covers.
    pub covers: Vec<Part>,
    /// The statement, short, as written.
    pub quote: String,
    /// What the file names for the component's part instead, as written, if anything.
    pub elsewhere: Option<String>,
}

impl ComponentLicensing {
    /// The strictest commercial status of everything that binds the component.
    pub fn commercial(&self) -> CommercialStatus {
        self.bound
            .iter()
            .map(|b| b.record.commercial.status)
            .max_by_key(|s| s.strictness())
            .unwrap_or(CommercialStatus::Unknown)
    }

    pub fn has_evidence(&self) -> bool {
        !self.evidence.is_empty()
    }
}

/// Status of one `[[licenses.clarify]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub enum ClarifyState {
    Applied,
    /// The file is not in the scanned tree.
    Missing,
    /// The file's hash is not the pinned one: the decision no longer applies.
    HashChanged {
        actual: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClarifyStatus {
    pub index: usize,
    pub state: ClarifyState,
    /// Days since the review, when a maximum age is set and exceeded.
    pub overdue_days: Option<i64>,
}

/// Everything the `LIC` rules read.
#[derive(Debug, Clone, Default)]
pub struct Licensing {
    /// `false` when the scan ran without the licence engine (no database).
    pub evaluated: bool,
    pub project: Option<Project>,
    pub policy: LicensePolicy,
    pub components: BTreeMap<String, ComponentLicensing>,
    /// Each `[project] attribution_files` entry and its normalised text (`None`: missing).
    pub attribution_texts: Vec<(String, Option<String>)>,
    pub clarify: Vec<ClarifyStatus>,
}

impl Licensing {
    pub fn component(&self, id: &str) -> Option<&ComponentLicensing> {
        self.components.get(id)
    }
}

/// Identify, inherit, and store the conclusions on the inventory's components.
pub fn analyse(inventory: &mut Inventory, db: &LicenseDb, policy: &Policy, root: &Path) {
    analyse_with_cache(
        inventory,
        db,
        policy,
        (root, Documents::WorkTree),
        &BTreeMap::new(),
    );
}

/// `analyse`, with what a local Hugging Face cache holds about external components
/// (`license::hf_cache::resolve`).
pub fn analyse_with_cache(
    inventory: &mut Inventory,
    db: &LicenseDb,
    policy: &Policy,
    (root, documents): (&Path, Documents),
    cached: &BTreeMap<String, CachedLicence>,
) {
    let mut licensing = Licensing {
        evaluated: true,
        project: policy.project.clone(),
        policy: policy.licenses.clone(),
        ..Licensing::default()
    };
    licensing.clarify = clarify_states(inventory, &policy.licenses);
    // Each component's facts depend on the inventory alone: gathered in parallel.
    let components: Vec<(&String, &Component)> = inventory.components.iter().collect();
    let concluded: Vec<(String, ComponentLicensing)> = components
        .par_iter()
        // Licences bind weights and data; prompts, tools and licence documents get none.
        .filter(|(_, c)| c.kind.is_model_like() || c.kind.is_data())
        .map(|&(id, component)| {
            let mut facts = ComponentLicensing::default();
            gather(inventory, db, &policy.licenses, id, &mut facts);
            if let Some(found) = cached.get(id) {
                cached_evidence(db, found, Part::of(component.kind), &mut facts);
            }
            conclude(db, &mut facts);
            facts.names = published_names(inventory, id, policy.project.as_ref());
            (id.clone(), facts)
        })
        .collect();
    licensing.components.extend(concluded);
    inherit(inventory, &mut licensing);
    if let Some(project) = &policy.project {
        licensing.attribution_texts = project
            .attribution_files
            .iter()
            .map(|p| (p.clone(), read_attribution(root, documents, p)))
            .collect();
    }
    for (id, facts) in &licensing.components {
        let Some(c) = inventory.components.get_mut(id) else {
            continue;
        };
        c.concluded_license = Some(summary(c.external, facts));
    }
    inventory.licensing = licensing;
}

fn summary(external: bool, facts: &ComponentLicensing) -> ConcludedLicense {
    let inherited: BTreeSet<InheritedLicense> = facts
        .bound
        .iter()
        .filter_map(|b| {
            b.source().map(|from| InheritedLicense {
                license: b.record.id.clone(),
                from: from.to_owned(),
            })
        })
        .collect();
    let status = if !facts.conflicts.is_empty() {
        "conflicting"
    } else if !facts.modified_texts.is_empty() {
        "modified"
    } else if !facts.own.is_empty() {
        "identified"
    } else if facts.has_evidence() {
        "unrecognised"
    } else if external {
        "unresolved"
    } else if !inherited.is_empty() {
        "inherited"
    } else {
        "none"
    };
    ConcludedLicense {
        status,
        licenses: facts.own.iter().map(|r| r.id.clone()).collect(),
        inherited: inherited.into_iter().collect(),
        commercial: facts.commercial().as_str(),
        evidence: facts.evidence.clone(),
    }
}

fn evidence(
    rank: u8,
    source: &str,
    path: Option<&str>,
    span: Option<TextSpan>,
    value: &str,
    licenses: Vec<String>,
) -> LicenseEvidence {
    LicenseEvidence {
        rank,
        source: source.to_owned(),
        path: path.map(str::to_owned),
        span,
        value: value.chars().take(200).collect(),
        licenses,
        note: None,
        shared_link: Vec::new(),
        unresolved: Vec::new(),
        adds_terms: None,
        applies: None,
    }
}

/// Evidence for a value some source declared, resolved against the database; `None` for `other`,
/// `unknown` and the like, which say nothing by themselves. A link several records share names
/// none of them yet (`shared_link` holds them; `narrow_shared_links` decides).
fn declared_evidence(
    db: &LicenseDb,
    (rank, source, path, span): (u8, &str, Option<&str>, Option<TextSpan>),
    value: &str,
) -> Option<LicenseEvidence> {
    let folded = value.trim().to_ascii_lowercase();
    let looks_like_link = folded.contains("://") || source.ends_with("license_link");
    let shared: Vec<String> = if looks_like_link {
        db.lookup_link_shared(value)
            .iter()
            .map(|r| r.id.clone())
            .collect()
    } else {
        Vec::new()
    };
    if shared.len() > 1 {
        let mut e = evidence(rank, source, path, span, value, Vec::new());
        e.note = Some(format!(
            "a link {} share; nothing else here says which",
            shared.join(", ")
        ));
        e.shared_link = shared;
        return Some(e);
    }
    let licenses = resolve_declared(db, source, value)?;
    let mut e = evidence(rank, source, path, span, value, licenses);
    if e.licenses.is_empty() {
        e.note = Some("not a licence in the database".to_owned());
    }
    Some(e)
}

/// A value some source declared, resolved against the database. `other` and `unknown` say
/// nothing by themselves.
fn resolve_declared(db: &LicenseDb, source: &str, value: &str) -> Option<Vec<String>> {
    let folded = value.trim().to_ascii_lowercase();
    if folded.is_empty() || folded == "other" || folded == "unknown" || folded == "noassertion" {
        return None;
    }
    let looks_like_link = folded.contains("://") || source.ends_with("license_link");
    if looks_like_link && let Some(r) = db.lookup_link(value) {
        return Some(vec![r.id.clone()]);
    }
    if let Some(r) = db.lookup(value) {
        return Some(vec![r.id.clone()]);
    }
    let mut ids: Vec<String> = db
        .lookup_expression(value)
        .into_iter()
        .map(|r| r.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    Some(ids)
}

fn rank_of(source: &str) -> u8 {
    match source {
        "card license_link" | "licence notice" => 2,
        "card license_name" | "gguf general.license.name" => 3,
        "card license" | "croissant license" => 4,
        "gguf general.license" => 5,
        _ => 6,
    }
}

fn gather(
    inventory: &Inventory,
    db: &LicenseDb,
    policy: &LicensePolicy,
    id: &str,
    facts: &mut ComponentLicensing,
) {
    let Some(component) = inventory.component(id) else {
        return;
    };
    // Each licence file that binds the component, and why.
    let mut documents: BTreeMap<String, String> = inventory
        .relations_from(id)
        .filter(|r| r.kind == RelationKind::LicensedBy)
        .filter_map(|r| inventory.component(&r.to)?.path.clone())
        .map(|path| {
            let why = directory_licence_reason(inventory, &path, Part::of(component.kind));
            (path, why)
        })
        .collect();
    if let (Some(path), Some(part)) = (&component.path, Part::of(component.kind)) {
        let dir = dir_of_component(path);
        for document in inventory.licence_files_in(&dir) {
            if let Some(stated) = document.stated_away(part) {
                facts.stated_away.push(StatedAway {
                    path: crate::inventory::join(&dir, document.name),
                    covers: stated.covers.clone(),
                    quote: stated.quote.clone(),
                    elsewhere: stated
                        .elsewhere
                        .iter()
                        .find(|(p, _)| *p == part)
                        .map(|(_, what)| what.clone()),
                });
            }
        }
    }
    for d in &component.declared_licenses {
        // A `license_link` to a file in the repository is that file's text.
        if d.source == "card license_link" && !d.value.contains("://") {
            let target = crate::inventory::normalize(&format!("{}/{}", parent(&d.path), d.value));
            if let Some(target) = target
                && inventory
                    .file(&target)
                    .is_some_and(|f| matches!(f.artifact, Ok(Artifact::LicenseFile { .. })))
            {
                documents.insert(target, "the card's license_link names it".to_owned());
                continue;
            }
        }
        let at = (rank_of(d.source), d.source, Some(d.path.as_str()), d.span);
        if let Some(e) = declared_evidence(db, at, &d.value) {
            facts.evidence.push(e);
        }
    }
    for (path, why) in documents {
        let first = facts.evidence.len();
        licence_text_evidence(
            inventory,
            db,
            policy,
            &path,
            Part::of(component.kind),
            facts,
        );
        for e in &mut facts.evidence[first..] {
            e.applies = Some(why.clone());
        }
    }
    // A decision pinned to one of the component's own files (weights, a corpus file).
    for c in &policy.clarify {
        let Some(file) = inventory.file(&c.path) else {
            continue;
        };
        if file.component.as_deref() == Some(id) && file.sha256.as_deref() == Some(&c.sha256) {
            let mut e = evidence(
                0,
                "clarify",
                Some(&c.path),
                None,
                &c.reason,
                vec![c.license.clone()],
            );
            e.note = Some(format!("reviewed {}", c.reviewed));
            facts.evidence.push(e);
        }
    }
    if component.external
        && facts.evidence.is_empty()
        && let Some(hub) = &component.hub_id
        && let Some(r) = identify_hub_id(db, hub)
    {
        let mut e = evidence(
            7,
            "hub id publisher and name",
            None,
            None,
            hub,
            vec![r.id.clone()],
        );
        e.note = Some("weak: inferred from the repository name".to_owned());
        facts.evidence.push(e);
    }
    facts.evidence.sort();
}

/// Why the licence file at `path` binds a component of `part` in its directory: what its name
/// says, next to the other licence files there.
fn directory_licence_reason(inventory: &Inventory, path: &str, part: Option<Part>) -> String {
    let beside: Vec<Document> = inventory.licence_files_in(parent(path)).collect();
    inventory
        .file(path)
        .and_then(|f| applies(licence_document(f), part, &beside))
        .map(|a| a.reason())
        .unwrap_or_else(|| "a licence file in the component's directory".to_owned())
}

/// Evidence from the licence file at `path` for a component of `part`: its text, or, in a file
/// split by part, its section for `part` (`section_evidence`).
fn licence_text_evidence(
    inventory: &Inventory,
    db: &LicenseDb,
    policy: &LicensePolicy,
    path: &str,
    part: Option<Part>,
    facts: &mut ComponentLicensing,
) {
    let Some(file) = inventory.file(path) else {
        return;
    };
    let Ok(Artifact::LicenseFile {
        title,
        normalized,
        content_sha256,
        notice,
        statement,
    }) = &file.artifact
    else {
        return;
    };
    if let Some(c) = policy
        .clarify
        .iter()
        .find(|c| c.path == path && Some(&c.sha256) == content_sha256.as_ref())
    {
        let mut e = evidence(
            0,
            "clarify",
            Some(path),
            None,
            &c.reason,
            vec![c.license.clone()],
        );
        e.note = Some(format!("reviewed {}", c.reviewed));
        facts.evidence.push(e);
        return;
    }
    if let Some(section) = statement
        .as_ref()
        .zip(part)
        .and_then(|(s, part)| s.section(part))
    {
        section_evidence(db, path, section, facts);
        return;
    }
    let text = (title.as_str(), normalized.as_str(), notice.as_ref());
    text_evidence(db, "licence file", path, text, facts);
}

/// Evidence from one section of a licence file split by part: the licence its heading names
/// (`## Model weights: CC-BY-NC-4.0`), ranked like a notice, and the text under it, identified
/// like a licence file's.
fn section_evidence(db: &LicenseDb, path: &str, section: &Section, facts: &mut ComponentLicensing) {
    let source = "licence file section";
    if !section.declared.is_empty() {
        let at = (rank_of("licence notice"), source, Some(path), None);
        if let Some(mut e) = declared_evidence(db, at, &section.declared) {
            e.value = section.heading.clone();
            facts.evidence.push(e);
        }
    }
    if word_count(&section.normalized) > 0 {
        let matches = db.identify_text(&section.normalized);
        // A section whose text no fingerprint identifies says no more than its heading.
        if !matches.is_empty() || section.declared.is_empty() {
            text_evidence(
                db,
                source,
                path,
                (
                    section.heading.as_str(),
                    section.normalized.as_str(),
                    section.notice.as_ref(),
                ),
                facts,
            );
        }
    }
}

/// Identify one licence text — its title, normalised text and the notice read from it — and
/// record it as evidence (rank 1). A text no fingerprint identifies that names licences as a
/// notice is evidence of those (`notice_evidence`).
fn text_evidence(
    db: &LicenseDb,
    source: &str,
    path: &str,
    (title, normalized, notice): (&str, &str, Option<&Notice>),
    facts: &mut ComponentLicensing,
) {
    let matches = db.identify_text(normalized);
    let best: Option<&TextMatch> = matches.first();
    let Some(m) = best else {
        let e = notice.and_then(|n| notice_evidence(db, source, path, title, n));
        facts.evidence.push(e.unwrap_or_else(|| {
            let mut e = evidence(1, source, Some(path), None, title, Vec::new());
            e.note = Some("text not identified".to_owned());
            e
        }));
        return;
    };
    if m.record.category == "use-policy" {
        if !facts.use_policies.iter().any(|r| r.id == m.record.id) {
            facts.use_policies.push(m.record.clone());
        }
        return;
    }
    let mut e = evidence(
        1,
        source,
        Some(path),
        None,
        title,
        vec![m.record.id.clone()],
    );
    if m.modified {
        let diff = m
            .word_difference
            .map(|d| format!(" ({d:+} words)"))
            .unwrap_or_default();
        e.note = Some(format!(
            "matches the {} fingerprint but is not its canonical text{diff}",
            m.record.id
        ));
        facts.modified_texts.push(ModifiedText {
            path: path.to_owned(),
            license: m.record.id.clone(),
            word_difference: m.word_difference,
        });
    } else if m.notice_only {
        e.note = Some("notice file".to_owned());
    }
    facts.evidence.push(e);
}

/// Evidence from a licence notice (`license::notice`): every licence it names, all of which bind
/// the component, ranked like a `license_link`; what it names that the database does not know
/// stays in `unresolved` for LIC002. `None` when it names nothing.
fn notice_evidence(
    db: &LicenseDb,
    source: &str,
    path: &str,
    title: &str,
    notice: &Notice,
) -> Option<LicenseEvidence> {
    let named = notice.resolve(db);
    let count = named.licenses.len() + named.unresolved.len();
    if count == 0 {
        return None;
    }
    let source = match source.strip_suffix("licence file") {
        Some(prefix) => format!("{prefix}licence notice"),
        None => source.to_owned(),
    };
    let rank = rank_of("licence notice");
    let mut e = evidence(rank, &source, Some(path), None, title, named.licenses);
    let plural = if count == 1 { "" } else { "s" };
    let mut note = format!("notice naming {count} licence{plural}");
    if !named.unresolved.is_empty() {
        let unknown: Vec<String> = named.unresolved.iter().map(|n| format!("`{n}`")).collect();
        note.push_str(&format!(
            "; not in the licence database: {}",
            unknown.join(", ")
        ));
    }
    e.note = Some(note);
    e.unresolved = named.unresolved;
    if !e.licenses.is_empty() {
        e.adds_terms = notice.adds_terms;
    }
    Some(e)
}

/// Evidence from a Hugging Face cache about an external component of `part`: its snapshot's
/// licence files that bind that part (`license::document::applies`) and card fields, ranked
/// like the same sources in the tree.
fn cached_evidence(
    db: &LicenseDb,
    found: &CachedLicence,
    part: Option<Part>,
    facts: &mut ComponentLicensing,
) {
    // A weak guess from the hub id gives way to what the cache says.
    facts.evidence.retain(|e| e.rank < 7);
    let statements: Vec<Option<Statement>> = found
        .texts
        .iter()
        .map(|(_, text)| statement::read(text))
        .collect();
    let beside: Vec<Document> = found
        .texts
        .iter()
        .zip(&statements)
        .map(|((f, _), stated)| Document {
            name: file_name(f),
            stated: stated.as_ref(),
        })
        .collect();
    for (((file, text), stated), document) in found.texts.iter().zip(&statements).zip(&beside) {
        let file_name = file_name(file);
        let Some(why) = applies(*document, part, &beside) else {
            continue;
        };
        let path = format!("{}/{file}", found.origin);
        let first = facts.evidence.len();
        if let Some(section) = stated.as_ref().zip(part).and_then(|(s, p)| s.section(p)) {
            section_evidence(db, &path, section, facts);
        } else {
            let title = document_name(text, file_name);
            let body = stated
                .as_ref()
                .map_or(text.as_str(), |s| &text[s.body_start..]);
            let normalized = normalize(body);
            let notice = notice::read(body, word_count(&normalized));
            let text = (title.as_str(), normalized.as_str(), notice.as_ref());
            text_evidence(db, "hf cache licence file", &path, text, facts);
        }
        for e in &mut facts.evidence[first..] {
            e.applies = Some(why.reason());
        }
    }
    for (source, value) in &found.declared {
        let (labelled, card) = (
            format!("hf cache {source}"),
            format!("{}/README.md", found.origin),
        );
        let at = (
            rank_of(source),
            labelled.as_str(),
            Some(card.as_str()),
            None,
        );
        if let Some(e) = declared_evidence(db, at, value) {
            facts.evidence.push(e);
        }
    }
    facts.evidence.sort();
}

/// Publishers whose repository names carry their licence family and version
/// (`meta-llama/Llama-3.1-8B` → `llama-3.1`). Sorted.
static PUBLISHER_FAMILIES: &[(&str, &str)] = &[("google", "gemma"), ("meta-llama", "llama")];

/// A weak identification of an external model from its hub id: the publisher's licence family,
/// and the record of that family whose id occurs (normalised) in the repository name, longest
/// first; a family's only unversioned record (`gemma`) when none does.
pub fn identify_hub_id(db: &LicenseDb, hub_id: &str) -> Option<Arc<LicenseRecord>> {
    let (publisher, name) = hub_id.split_once('/')?;
    let family = PUBLISHER_FAMILIES
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(publisher))?
        .1;
    let name = format!(" {} ", normalize(name));
    if !name.contains(family) {
        return None;
    }
    let candidates: Vec<&Arc<LicenseRecord>> = db
        .records()
        .iter()
        .filter(|r| r.family == family && r.category != "use-policy")
        .collect();
    let by_version = candidates
        .iter()
        .filter(|r| name.contains(&format!(" {} ", normalize(&r.id))))
        .max_by_key(|r| r.id.len());
    if let Some(r) = by_version {
        return Some((*r).clone());
    }
    // The family's current record: the one the bare Hugging Face id names.
    db.lookup(family).filter(|r| r.family == family).cloned()
}

/// A link several licences share (`LicenseDb::lookup_link_shared`) names the one of them that the
/// component's other evidence names — a licence text, `license_name`, the card's `license` — and
/// none when the other evidence names none of them or several: an arbitrary pick could bind the
/// component by the wrong licence, silently. Unsettled, it stays evidence without a licence,
/// which LIC002 reports.
fn narrow_shared_links(evidence: &mut [LicenseEvidence]) {
    for i in 0..evidence.len() {
        if evidence[i].shared_link.is_empty() || !evidence[i].licenses.is_empty() {
            continue;
        }
        let shared = &evidence[i].shared_link;
        let named: BTreeSet<(&str, &str)> = evidence
            .iter()
            .filter(|e| e.shared_link.is_empty())
            .flat_map(|e| e.licenses.iter().map(|l| (l.as_str(), e.source.as_str())))
            .filter(|(l, _)| shared.iter().any(|s| s == l))
            .collect();
        let ids: BTreeSet<&str> = named.iter().map(|(l, _)| *l).collect();
        let [id] = ids.into_iter().collect::<Vec<_>>()[..] else {
            continue;
        };
        let sources: Vec<&str> = named.iter().map(|(_, s)| *s).collect();
        let (id, note) = (
            id.to_owned(),
            format!(
                "a link {} share; {} names {id}",
                shared.join(", "),
                sources.join(", ")
            ),
        );
        evidence[i].licenses = vec![id];
        evidence[i].note = Some(note);
    }
}

fn conclude(db: &LicenseDb, facts: &mut ComponentLicensing) {
    narrow_shared_links(&mut facts.evidence);
    let named: Vec<&LicenseEvidence> = facts
        .evidence
        .iter()
        .filter(|e| !e.licenses.is_empty())
        .collect();
    let Some(strongest) = named.first() else {
        return;
    };
    facts.own = strongest
        .licenses
        .iter()
        .filter_map(|id| db.get(id).cloned())
        .collect();
    // One conflict per unordered pair of licence sets, between the strongest sources naming them:
    // a third source agreeing with either side adds nothing.
    for (i, a) in named.iter().enumerate() {
        for b in &named[i + 1..] {
            let disjoint = a.licenses.iter().all(|l| !b.licenses.contains(l));
            let known = facts.conflicts.iter().any(|(x, y)| {
                (x.licenses == a.licenses && y.licenses == b.licenses)
                    || (x.licenses == b.licenses && y.licenses == a.licenses)
            });
            if disjoint && !known {
                facts.conflicts.push(((*a).clone(), (*b).clone()));
            }
        }
    }
}

/// Add every parent's licences (and those of training data that reach trained models).
fn inherit(inventory: &Inventory, licensing: &mut Licensing) {
    let ids: Vec<String> = licensing.components.keys().cloned().collect();
    let mut memo: BTreeMap<String, Vec<Bound>> = BTreeMap::new();
    for id in &ids {
        let mut visiting = BTreeSet::new();
        bound_of(inventory, licensing, id, &mut memo, &mut visiting);
    }
    for id in ids {
        let bound = memo.remove(&id).unwrap_or_default();
        let unresolved: Vec<String> = inventory
            .relations_from(&id)
            .filter(|r| matches!(r.kind, RelationKind::DerivedFrom | RelationKind::TrainedOn))
            .filter(|r| {
                inventory.component(&r.to).is_some_and(|c| c.external)
                    && licensing
                        .components
                        .get(&r.to)
                        .is_some_and(|f| f.own.is_empty())
            })
            .map(|r| r.to.clone())
            .collect();
        if let Some(facts) = licensing.components.get_mut(&id) {
            facts.bound = bound;
            facts.unresolved_parents = unresolved;
        }
    }
}

fn bound_of(
    inventory: &Inventory,
    licensing: &Licensing,
    id: &str,
    memo: &mut BTreeMap<String, Vec<Bound>>,
    visiting: &mut BTreeSet<String>,
) -> Vec<Bound> {
    if let Some(b) = memo.get(id) {
        return b.clone();
    }
    if !visiting.insert(id.to_owned()) {
        return Vec::new();
    }
    let mut bound: Vec<Bound> = licensing
        .components
        .get(id)
        .map(|f| {
            f.own
                .iter()
                .map(|r| Bound {
                    record: r.clone(),
                    via: Vec::new(),
                    relation: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let relations: Vec<(String, RelationKind, Option<String>)> = inventory
        .relations_from(id)
        .filter(|r| matches!(r.kind, RelationKind::DerivedFrom | RelationKind::TrainedOn))
        .map(|r| (r.to.clone(), r.kind, r.relation.clone()))
        .collect();
    for (to, kind, relation) in relations {
        let parent_bound = bound_of(inventory, licensing, &to, memo, visiting);
        for b in parent_bound {
            if kind == RelationKind::TrainedOn && !reaches_trained_models(&b.record) {
                continue;
            }
            if bound.iter().any(|x| x.record.id == b.record.id) {
                continue;
            }
            let mut via = vec![to.clone()];
            via.extend(b.via);
            bound.push(Bound {
                record: b.record,
                via,
                relation: Some(match kind {
                    RelationKind::TrainedOn => "trained_on".to_owned(),
                    _ => relation.clone().unwrap_or_else(|| "finetune".to_owned()),
                }),
            });
        }
    }
    visiting.remove(id);
    memo.insert(id.to_owned(), bound.clone());
    bound
}

/// A corpus licence binds the models trained on it when it forbids commercial use or is
/// share-alike; permissive data licences (CDLA-Permissive, CC-BY, MIT …) do not reach weights.
pub fn reaches_trained_models(record: &LicenseRecord) -> bool {
    record.commercial.status == CommercialStatus::Forbidden
        || record.derivatives.copyleft == "same_license"
}

/// Names a component is published under: `[project] published_names` for derivatives in the
/// repository, the card's `model_name` / `model-index` name, GGUF `general.name`.
fn published_names(
    inventory: &Inventory,
    id: &str,
    project: Option<&Project>,
) -> Vec<(String, String)> {
    let Some(c) = inventory.component(id) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    if c.external || !c.kind.is_model_like() {
        return names;
    }
    for f in &c.files {
        if let Some(file) = inventory.file(&f.path)
            && let Ok(Artifact::Gguf(meta)) = &file.artifact
            && let Some(name) = meta.str("general.name")
        {
            names.push((name.to_owned(), format!("{} general.name", f.path)));
        }
    }
    if let Some(card_path) = c.properties.get("card").and_then(|v| v.as_str())
        && let Some(file) = inventory.file(card_path)
        && let Ok(Artifact::Card(card)) = &file.artifact
    {
        let fm = &card.front_matter;
        if let Some(n) = fm.get("model_name").and_then(|v| v.as_str()) {
            names.push((n.to_owned(), format!("{card_path} model_name")));
        }
        if let Some(n) = fm
            .get("model-index")
            .and_then(|v| v.get(0))
            .and_then(|v| v.get("name"))
            .and_then(|v| v.as_str())
        {
            names.push((n.to_owned(), format!("{card_path} model-index name")));
        }
    }
    let is_derivative = inventory
        .relations_from(id)
        .any(|r| r.kind == RelationKind::DerivedFrom);
    if is_derivative && let Some(p) = project {
        for n in &p.published_names {
            names.push((n.clone(), "aibom.toml [project] published_names".to_owned()));
        }
    }
    names.sort();
    names.dedup();
    names
}

fn clarify_states(inventory: &Inventory, policy: &LicensePolicy) -> Vec<ClarifyStatus> {
    let today = today();
    policy
        .clarify
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let actual = inventory.file(&c.path).and_then(|f| match &f.artifact {
                Ok(Artifact::LicenseFile { content_sha256, .. }) => content_sha256.clone(),
                _ => f.sha256.clone(),
            });
            let state = match (inventory.file(&c.path), actual) {
                (None, _) => ClarifyState::Missing,
                (Some(_), Some(a)) if a == c.sha256 => ClarifyState::Applied,
                (Some(_), a) => ClarifyState::HashChanged {
                    actual: a.unwrap_or_else(|| "unknown".to_owned()),
                },
            };
            let overdue_days = match (policy.review_max_age_days, today) {
                (Some(max), Some(today)) if today - c.reviewed_day > i64::from(max) => {
                    Some(today - c.reviewed_day)
                }
                _ => None,
            };
            ClarifyStatus {
                index,
                state,
                overdue_days,
            }
        })
        .collect()
}

/// Today as days since 1970-01-01: `SOURCE_DATE_EPOCH` when set (reproducible runs), else the
/// clock.
fn today() -> Option<i64> {
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().ok()?,
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs() as i64,
    };
    Some(seconds.div_euclid(86_400))
}

/// The normalised text of an attribution file inside the root (or, with `--staged`, in the git
/// index); `None` when it is missing, not a regular file (symlinks are not followed), too large
/// or unreadable.
fn read_attribution(root: &Path, documents: Documents, rel: &str) -> Option<String> {
    let bytes = documents.read(root, rel, MAX_ATTRIBUTION_BYTES).ok()?;
    Some(normalize(&String::from_utf8_lossy(&bytes)))
}

/// The SHA-256 of a licence text after normalisation (what `[text] normalized_sha256` holds).
pub fn normalized_sha256(text: &str) -> String {
    sha256_hex(&normalize(text))
}
