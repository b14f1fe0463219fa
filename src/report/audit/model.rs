//! The audit report as data: built once from a scan result, rendered by `html` and `md`.
//!
//! Facts only: every row names where it came from (a file and line, a finding's rule code, a
//! `[project]` declaration). The only I/O is reading the git HEAD of the scanned root and the
//! clock (`SOURCE_DATE_EPOCH` when set, for reproducible reports).

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::obligations::{self, FindingPool};
use super::svg::{Graph, GraphEdge, GraphNode, PiiMark};
use super::{human_size, truncate};
use crate::artifact::hex;
use crate::finding::{Finding, Severity};
use crate::inventory::{Component, Inventory, RelationKind};
use crate::rules::Family;
use crate::scan::ScanResult;
use crate::suppression::{Date, SuppressionKind};

/// The time the report states, and the day exceptions are compared with.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub unix_seconds: i64,
    /// Whether the time came from `SOURCE_DATE_EPOCH`.
    pub reproducible: bool,
}

impl Clock {
    pub fn from_env() -> Clock {
        match std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
        {
            Some(unix_seconds) => Clock {
                unix_seconds,
                reproducible: true,
            },
            None => Clock {
                unix_seconds: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64),
                reproducible: false,
            },
        }
    }

    pub fn date(&self) -> Date {
        Date::from_unix(self.unix_seconds)
    }

    /// `2026-05-01 12:00:00 UTC`.
    pub fn timestamp(&self) -> String {
        let secs = self.unix_seconds.rem_euclid(86_400);
        format!(
            "{} {:02}:{:02}:{:02} UTC",
            self.date(),
            secs / 3600,
            (secs / 60) % 60,
            secs % 60
        )
    }
}

/// The status of one licence term for one component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// A `LIC` rule reported the term as broken.
    Violated,
    /// A person must confirm it: not checkable statically, or a `[project]` fact is missing.
    NeedsReview,
    /// The declared usage satisfies it.
    Met,
    /// The declared usage does not trigger it (no distribution, not a derivative …).
    NotTriggered,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Violated => "violated",
            Status::NeedsReview => "needs review",
            Status::Met => "met",
            Status::NotTriggered => "met (not triggered)",
        }
    }

    /// A CSS class name and a short word for the Markdown table.
    pub fn class(self) -> &'static str {
        match self {
            Status::Violated => "violated",
            Status::NeedsReview => "review",
            Status::Met | Status::NotTriggered => "met",
        }
    }
}

/// A finding as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub severity: Severity,
    pub code: &'static str,
    pub component: Option<String>,
    pub message: String,
    /// `path:line` or `path`.
    pub location: Option<String>,
    /// Why it is suppressed (`exception: …`, `baseline: …`), for accepted findings.
    pub accepted: Option<String>,
}

impl FindingRow {
    pub fn from_finding(f: &Finding, accepted: Option<String>) -> FindingRow {
        FindingRow {
            severity: f.severity,
            code: f.code,
            component: f.component.clone(),
            message: f.message.clone(),
            location: f.location.as_ref().map(|l| match l.span {
                Some(span) => format!("{}:{}", l.path, span.line),
                None => l.path.clone(),
            }),
            accepted,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub suppressed: usize,
    pub violated_terms: usize,
    pub review_terms: usize,
    pub met_terms: usize,
}

#[derive(Debug, Clone)]
pub struct Verdict {
    pub cleared: bool,
    /// One sentence: "Not cleared: 1 error, 2 licence terms violated …".
    pub sentence: String,
}

/// A family of checks and whether this run evaluated it.
#[derive(Debug, Clone)]
pub struct Check {
    pub family: &'static str,
    pub what: &'static str,
    pub evaluated: bool,
    /// Why not, or a qualification.
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct InventoryRow {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub format: String,
    pub size: String,
    pub licence: String,
    pub source: String,
    pub sha256: String,
    pub external: bool,
}

/// One licence term for one component.
#[derive(Debug, Clone)]
pub struct ObligationRow {
    pub term: &'static str,
    pub clause: String,
    pub requirement: String,
    pub status: Status,
    /// Why this status (the finding's message, the declared fact …).
    pub detail: String,
    /// Where the licence and the finding were read (`path:line`), and the rule codes.
    pub evidence: Vec<String>,
    /// Set when the finding behind the status is accepted by an exception or the baseline.
    pub accepted: Option<String>,
}

#[derive(Debug, Clone)]
pub struct LicenceBlock {
    pub id: String,
    pub name: String,
    /// `inherited from meta-llama/Llama-3.1-8B (adapter)`; `None` for the component's own.
    pub via: Option<String>,
    pub rows: Vec<ObligationRow>,
}

#[derive(Debug, Clone)]
pub struct ComponentObligations {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    /// `identified: llama-3.1`, `none` …
    pub concluded: String,
    pub commercial: &'static str,
    pub licences: Vec<LicenceBlock>,
    /// `LIC` findings about the component that no term row covers (no licence, conflicts …).
    pub other_findings: Vec<FindingRow>,
}

#[derive(Debug, Clone)]
pub struct AttributionText {
    pub licence_id: String,
    pub licence_name: String,
    pub clause: String,
    /// Any one of these must be displayed.
    pub display: Vec<String>,
    pub display_where: Vec<String>,
    pub trigger: Vec<String>,
    pub notice: String,
    pub licence_copy: bool,
    pub naming_prefix: Option<String>,
    /// Names of the components it binds.
    pub components: Vec<String>,
    /// The worst status of the attribution terms among those components.
    pub status: Status,
}

#[derive(Debug, Clone)]
pub struct DataPrivacyRow {
    pub id: String,
    pub name: String,
    pub external: bool,
    /// `email × 12 (3 synthetic)`; `None`: not scanned for personal data.
    pub detected: Option<Vec<String>>,
    /// `yes`, `no`, or what the card says; `None`: not declared.
    pub declared: Option<String>,
    pub legal_basis: Option<String>,
    pub retention_until: Option<String>,
    pub erasure: Option<String>,
    pub marked: bool,
}

#[derive(Debug, Clone)]
pub struct ModelPrivacyRow {
    pub id: String,
    pub name: String,
    /// Corpora and datasets it was trained on, directly or through its bases.
    pub trained_on: Vec<String>,
    /// Personal-data types, or the PII corpora, it was trained on.
    pub pii: Vec<String>,
    pub erasure_strategy: Option<String>,
    /// Plain words: can an erasure request be honoured?
    pub erasure_status: String,
}

#[derive(Debug, Clone, Default)]
pub struct Privacy {
    /// Whether any personal-data facts exist (a privacy stage ran, or a manifest declared them).
    pub evaluated: bool,
    pub statement: String,
    pub data: Vec<DataPrivacyRow>,
    pub models: Vec<ModelPrivacyRow>,
    pub findings: Vec<FindingRow>,
}

#[derive(Debug, Clone)]
pub struct PromptRow {
    pub path: String,
    pub name: String,
    pub owner: String,
    pub version: String,
    pub changelog: Option<String>,
    pub state: String,
    pub last_changed: String,
}

#[derive(Debug, Clone)]
pub struct ToolRow {
    pub id: String,
    pub provider: String,
    pub inferred_tier: &'static str,
    pub tier_reason: String,
    pub registered_tier: Option<String>,
    pub owner: Option<String>,
    pub approval: Option<String>,
    pub rollback: Option<String>,
    pub defined_in: String,
    /// Rule codes of the findings about it.
    pub findings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ExceptionRow {
    pub rule: String,
    pub scope: String,
    pub reason: String,
    pub expires: Option<String>,
    pub expired: bool,
    pub matched: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Metadata {
    pub aibom_version: String,
    pub scan_time: String,
    pub reproducible_time: bool,
    pub root: String,
    pub git: Option<String>,
    pub license_db: String,
    pub preset: String,
    pub config: Option<String>,
    pub config_not_evaluated: Vec<String>,
    pub files: String,
}

#[derive(Debug, Clone)]
pub struct AuditReport {
    pub title: String,
    pub verdict: Verdict,
    pub counts: Counts,
    pub checks: Vec<Check>,
    /// Usage facts `[project]` declares, or `None` when it is absent.
    pub project: Option<Vec<(String, String)>>,
    pub inventory: Vec<InventoryRow>,
    pub inventory_findings: Vec<FindingRow>,
    pub obligations: Vec<ComponentObligations>,
    /// `LIC` findings about no component (a stale clarification …).
    pub licence_findings: Vec<FindingRow>,
    pub attributions: Vec<AttributionText>,
    pub lineage: Graph,
    pub privacy: Privacy,
    pub prompts: Vec<PromptRow>,
    pub prompt_findings: Vec<FindingRow>,
    pub tools: Vec<ToolRow>,
    pub tool_findings: Vec<FindingRow>,
    pub exceptions: Vec<ExceptionRow>,
    pub suppressed: Vec<FindingRow>,
    pub exception_findings: Vec<FindingRow>,
    /// Findings of families no section covers (kept so that no finding is ever dropped).
    pub other_findings: Vec<FindingRow>,
    pub metadata: Metadata,
}

fn family_of(code: &str) -> Option<Family> {
    Family::ALL
        .into_iter()
        .filter(|f| code.starts_with(f.prefix()))
        .max_by_key(|f| f.prefix().len())
}

fn accepted_reason(kind: SuppressionKind, reason: &str) -> String {
    match kind {
        SuppressionKind::Exception => format!("exception: {reason}"),
        SuppressionKind::Baseline => format!("baseline: {reason}"),
    }
}

/// Build the report from a scan.
pub fn build(result: &ScanResult, clock: &Clock) -> AuditReport {
    let inventory = &result.inventory;
    let mut pool = FindingPool::new(result);
    let obligations = obligations::evaluate(inventory, &mut pool);
    let licence_findings = pool.remaining(Family::Lic, None);
    let mut counts = Counts::default();
    for f in &result.findings {
        match f.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Note => counts.notes += 1,
        }
    }
    counts.suppressed = result.suppressed.len();
    for row in obligations
        .iter()
        .flat_map(|c| &c.licences)
        .flat_map(|l| &l.rows)
        .filter(|r| r.accepted.is_none())
    {
        match row.status {
            Status::Violated => counts.violated_terms += 1,
            Status::NeedsReview => counts.review_terms += 1,
            Status::Met | Status::NotTriggered => counts.met_terms += 1,
        }
    }
    let privacy = privacy(inventory, result);
    let by_family = |families: &[Family]| -> Vec<FindingRow> {
        let active = result
            .findings
            .iter()
            .filter(|f| family_of(f.code).is_some_and(|fam| families.contains(&fam)))
            .map(|f| FindingRow::from_finding(f, None));
        let accepted = result
            .suppressed
            .iter()
            .filter(|s| family_of(s.finding.code).is_some_and(|fam| families.contains(&fam)))
            .map(|s| {
                FindingRow::from_finding(
                    &s.finding,
                    Some(accepted_reason(s.suppression.kind, &s.suppression.reason)),
                )
            });
        active.chain(accepted).collect()
    };
    let other_findings: Vec<FindingRow> = result
        .findings
        .iter()
        .filter(|f| family_of(f.code).is_none())
        .map(|f| FindingRow::from_finding(f, None))
        .collect();
    let root_name = result
        .root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| result.root.display().to_string());
    AuditReport {
        title: format!("AI model audit: {root_name}"),
        verdict: verdict(&counts, result),
        checks: checks(result, privacy.evaluated),
        project: project_facts(inventory),
        inventory: inventory_rows(inventory),
        inventory_findings: by_family(&[Family::Bom, Family::Mod]),
        attributions: attributions(inventory, &obligations),
        lineage: lineage(inventory),
        prompts: prompts(inventory),
        prompt_findings: by_family(&[Family::Prm]),
        tools: tools(result),
        tool_findings: by_family(&[Family::Tool]),
        exceptions: exceptions(result, clock),
        suppressed: result
            .suppressed
            .iter()
            .map(|s| {
                FindingRow::from_finding(
                    &s.finding,
                    Some(accepted_reason(s.suppression.kind, &s.suppression.reason)),
                )
            })
            .collect(),
        exception_findings: by_family(&[Family::Exc]),
        other_findings,
        metadata: metadata(result, clock),
        obligations,
        licence_findings,
        privacy,
        counts,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn verdict(counts: &Counts, result: &ScanResult) -> Verdict {
    let blocking = counts.errors + counts.violated_terms;
    let mut parts = Vec::new();
    if counts.violated_terms > 0 {
        parts.push(plural(
            counts.violated_terms,
            "licence term violated",
            "licence terms violated",
        ));
    }
    let errors_outside_terms = result
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && !f.code.starts_with("LIC"))
        .count();
    if errors_outside_terms > 0 {
        parts.push(plural(
            errors_outside_terms,
            "error-level finding",
            "error-level findings",
        ));
    }
    if counts.review_terms > 0 {
        parts.push(plural(
            counts.review_terms,
            "licence term needs review",
            "licence terms need review",
        ));
    }
    if counts.warnings > 0 {
        parts.push(plural(counts.warnings, "warning", "warnings"));
    }
    let (cleared, head) = if blocking > 0 {
        (false, "Not cleared")
    } else if counts.review_terms > 0 || counts.warnings > 0 {
        (false, "Not cleared until reviewed")
    } else {
        (true, "Cleared")
    };
    let sentence = if parts.is_empty() {
        format!("{head}: no finding and no licence term left open.")
    } else {
        format!("{head}: {}.", parts.join(", "))
    };
    Verdict { cleared, sentence }
}

fn checks(result: &ScanResult, privacy_facts: bool) -> Vec<Check> {
    let what = |f: Family| match f {
        Family::Bom => "inventory: parse problems, provenance, shard sets, LFS pointers",
        Family::Mod => {
            "unsafe model files: pickle imports, Keras Lambda layers, remote code, chat templates"
        }
        Family::Lic => "licences: identification, inheritance, obligations against declared usage",
        Family::Pii => "personal data detected in corpora",
        Family::Gdpr => "GDPR duties: legal basis, retention, erasure",
        Family::Lin => "lineage of personal data into weights",
        Family::Prm => "prompt changelogs and versions",
        Family::Tool => "agent tools and their registered blast radius",
        Family::Exc => "exceptions and baseline hygiene",
    };
    Family::ALL
        .into_iter()
        .map(|family| {
            let implemented = family.is_implemented();
            let disabled = crate::rules::registry::RULES
                .iter()
                .filter(|r| r.meta().family == family)
                .all(|r| result.policy.severity(r.meta().code).is_none());
            let note = if !implemented {
                Some(
                    if matches!(family, Family::Pii | Family::Gdpr | Family::Lin) && privacy_facts {
                        "not checked by this version; facts recorded on components are shown"
                            .to_owned()
                    } else {
                        "not evaluated: this version has no such checks".to_owned()
                    },
                )
            } else if disabled {
                Some("every rule of the family is turned off by the policy".to_owned())
            } else if family == Family::Lic && !result.inventory.licensing.evaluated {
                Some("the licence engine did not run".to_owned())
            } else if family == Family::Lic && result.inventory.licensing.project.is_none() {
                Some(
                    "no [project] usage declared: usage-dependent terms are marked needs review"
                        .to_owned(),
                )
            } else {
                None
            };
            Check {
                family: family.prefix(),
                what: what(family),
                evaluated: implemented && !disabled,
                note,
            }
        })
        .collect()
}

fn project_facts(inventory: &Inventory) -> Option<Vec<(String, String)>> {
    let p = inventory.licensing.project.as_ref()?;
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "yes".to_owned(),
        Some(false) => "no".to_owned(),
        None => "not declared".to_owned(),
    };
    let number = |v: Option<f64>| v.map_or("not declared".to_owned(), |n| format!("{n}"));
    let list = |v: &[String]| {
        if v.is_empty() {
            "not declared".to_owned()
        } else {
            v.join(", ")
        }
    };
    Some(vec![
        ("commercial use".to_owned(), yes_no(p.commercial)),
        (
            "monthly active users".to_owned(),
            number(p.monthly_active_users),
        ),
        (
            "annual revenue (USD)".to_owned(),
            number(p.annual_revenue_usd),
        ),
        ("hosts as a service".to_owned(), yes_no(p.hosts_as_service)),
        (
            "redistributes weights".to_owned(),
            yes_no(p.redistributes_weights),
        ),
        ("regions".to_owned(), list(&p.regions)),
        ("published names".to_owned(), list(&p.published_names)),
        ("distils outputs into".to_owned(), list(&p.distills_outputs)),
        ("attribution files".to_owned(), list(&p.attribution_files)),
    ])
}

/// Models, adapters, quantizations, merges, datasets and corpora, local first.
fn is_reported(c: &Component) -> bool {
    c.kind.is_model_like() || c.kind.is_data()
}

pub(crate) fn licence_summary(c: &Component) -> String {
    match &c.concluded_license {
        None => "not evaluated".to_owned(),
        Some(l) => {
            let mut text = if l.licenses.is_empty() {
                match l.status {
                    "inherited" => "own: none".to_owned(),
                    status => status.to_owned(),
                }
            } else {
                let mut t = l.licenses.join(" AND ");
                if l.status != "identified" {
                    t.push_str(&format!(" ({})", l.status));
                }
                t
            };
            let inherited: BTreeSet<&str> = l
                .inherited
                .iter()
                .map(|i| i.license.as_str())
                .filter(|i| !l.licenses.iter().any(|own| own == i))
                .collect();
            if !inherited.is_empty() {
                text.push_str(&format!(
                    "; inherits {}",
                    inherited.into_iter().collect::<Vec<_>>().join(", ")
                ));
            }
            text
        }
    }
}

fn inventory_rows(inventory: &Inventory) -> Vec<InventoryRow> {
    let mut rows: Vec<InventoryRow> = inventory
        .components
        .values()
        .filter(|c| is_reported(c))
        .map(|c| {
            let sha256 = match (&c.sha256, c.files.len()) {
                (Some(h), _) => truncate(h, 13),
                (None, 0) => "—".to_owned(),
                (None, n) => format!("{n} files"),
            };
            let source = match (&c.hub_id, &c.path) {
                (Some(hub), _) if c.external => format!("hub: {hub} (not in the repository)"),
                (Some(hub), Some(path)) => format!("{path} (hub: {hub})"),
                (None, Some(path)) => path.clone(),
                (Some(hub), None) => format!("hub: {hub}"),
                (None, None) => "—".to_owned(),
            };
            InventoryRow {
                id: c.id.clone(),
                name: c.name.clone(),
                kind: c.kind.as_str(),
                format: c.format.clone().unwrap_or_else(|| "—".to_owned()),
                size: c.size.map_or("—".to_owned(), human_size),
                licence: licence_summary(c),
                source,
                sha256,
                external: c.external,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.external, kind_order(a.kind), &a.id).cmp(&(b.external, kind_order(b.kind), &b.id))
    });
    rows
}

fn kind_order(kind: &str) -> u8 {
    match kind {
        "model" => 0,
        "adapter" => 1,
        "quantization" => 2,
        "merge" => 3,
        "dataset" => 4,
        "corpus" => 5,
        _ => 6,
    }
}

fn attributions(
    inventory: &Inventory,
    obligations: &[ComponentObligations],
) -> Vec<AttributionText> {
    let mut by_licence: BTreeMap<String, AttributionText> = BTreeMap::new();
    for co in obligations {
        let Some(facts) = inventory.licensing.component(&co.id) else {
            continue;
        };
        for b in &facts.bound {
            let r = &b.record;
            let attribution = r.attribution.as_ref();
            let has_display = attribution.is_some_and(|a| !a.display_text.is_empty());
            let has_notice = attribution.is_some_and(|a| !a.notice_file.trim().is_empty());
            if !has_display && !has_notice && !r.redistribution.license_copy {
                continue;
            }
            let status = co
                .licences
                .iter()
                .filter(|l| l.id == r.id)
                .flat_map(|l| &l.rows)
                .filter(|row| matches!(row.term, "attribution" | "notice" | "licence copy"))
                .map(|row| row.status)
                .min()
                .unwrap_or(Status::NeedsReview);
            let entry = by_licence
                .entry(r.id.clone())
                .or_insert_with(|| AttributionText {
                    licence_id: r.id.clone(),
                    licence_name: r.name.clone(),
                    clause: attribution
                        .map(|a| a.clause.clone())
                        .filter(|c| !c.is_empty())
                        .unwrap_or_else(|| r.redistribution.clause.clone()),
                    display: attribution
                        .map(|a| a.display_text.clone())
                        .unwrap_or_default(),
                    display_where: attribution
                        .map(|a| a.display_where.clone())
                        .unwrap_or_default(),
                    trigger: attribution.map(|a| a.trigger.clone()).unwrap_or_default(),
                    notice: attribution
                        .map(|a| a.notice_file.trim().to_owned())
                        .unwrap_or_default(),
                    licence_copy: r.redistribution.license_copy,
                    naming_prefix: r
                        .naming
                        .as_ref()
                        .map(|n| n.derivative_prefix.clone())
                        .filter(|p| !p.is_empty()),
                    components: Vec::new(),
                    status,
                });
            entry.status = entry.status.min(status);
            if !entry.components.contains(&co.name) {
                entry.components.push(co.name.clone());
            }
        }
    }
    by_licence.into_values().collect()
}

/// Whether a data component holds personal data, from the privacy stage's counts or the
/// manifest's declaration. `None`: nothing is known.
fn data_pii(c: &Component) -> Option<bool> {
    let detected = c
        .properties
        .get("pii")
        .and_then(|v| v.get("types"))
        .and_then(|t| t.as_object())
        .map(|types| {
            types.values().any(|v| {
                let count = v.get("count").and_then(|n| n.as_u64()).unwrap_or(0);
                let synthetic = v.get("synthetic").and_then(|n| n.as_u64()).unwrap_or(0);
                count > synthetic
            })
        });
    let declared = c.properties.get("contains_pii").and_then(|v| v.as_bool());
    match (detected, declared) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), _) | (_, Some(false)) => Some(false),
        (None, None) => None,
    }
}

fn string_list(value: Option<&serde_json::Value>) -> Vec<String> {
    match value {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect(),
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Bool(true)) => vec!["yes".to_owned()],
        _ => Vec::new(),
    }
}

fn property_text(c: &Component, key: &str) -> Option<String> {
    match c.properties.get(key)? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        serde_json::Value::Null | serde_json::Value::String(_) => None,
        other => Some(other.to_string()),
    }
}

/// Every model-like component's ancestors through `derived_from` (bounded, cycle-safe).
fn ancestors(inventory: &Inventory, id: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![id.to_owned()];
    while let Some(current) = stack.pop() {
        for r in inventory.relations_from(&current) {
            if r.kind == RelationKind::DerivedFrom && seen.insert(r.to.clone()) {
                stack.push(r.to.clone());
            }
        }
    }
    seen.into_iter().collect()
}

/// The data a model was trained on, directly or through the models it derives from.
fn training_data(inventory: &Inventory, id: &str) -> Vec<String> {
    let mut data: BTreeSet<String> = BTreeSet::new();
    for model in std::iter::once(id.to_owned()).chain(ancestors(inventory, id)) {
        for r in inventory.relations_from(&model) {
            if r.kind == RelationKind::TrainedOn {
                data.insert(r.to.clone());
            }
        }
    }
    data.into_iter().collect()
}

fn display_name(inventory: &Inventory, id: &str) -> String {
    inventory
        .component(id)
        .map(|c| c.hub_id.clone().unwrap_or_else(|| c.name.clone()))
        .unwrap_or_else(|| id.to_owned())
}

fn privacy(inventory: &Inventory, result: &ScanResult) -> Privacy {
    let mut data = Vec::new();
    let mut any_fact = false;
    for c in inventory.components.values().filter(|c| c.kind.is_data()) {
        let detected = c
            .properties
            .get("pii")
            .and_then(|v| v.get("types"))
            .and_then(|t| t.as_object())
            .map(|types| {
                types
                    .iter()
                    .map(|(kind, v)| {
                        let count = v.get("count").and_then(|n| n.as_u64()).unwrap_or(0);
                        let synthetic = v.get("synthetic").and_then(|n| n.as_u64()).unwrap_or(0);
                        if synthetic > 0 {
                            format!("{kind} × {count} ({synthetic} synthetic)")
                        } else {
                            format!("{kind} × {count}")
                        }
                    })
                    .collect::<Vec<_>>()
            });
        let declared = match c.properties.get("contains_pii").and_then(|v| v.as_bool()) {
            Some(true) => Some("yes (privacy manifest)".to_owned()),
            Some(false) => Some("no (privacy manifest)".to_owned()),
            None => c.properties.get("personal_sensitive_information").map(|v| {
                let text = string_list(Some(v)).join(" ");
                format!("dataset card: \"{}\"", truncate(text.trim(), 160))
            }),
        };
        if detected.is_some() || c.properties.contains_key("contains_pii") {
            any_fact = true;
        }
        let erasure = ["erasure_procedure", "erasure_log"]
            .iter()
            .filter_map(|k| property_text(c, k).map(|v| format!("{}: {v}", k.replace('_', " "))))
            .collect::<Vec<_>>();
        data.push(DataPrivacyRow {
            id: c.id.clone(),
            name: c.hub_id.clone().unwrap_or_else(|| c.name.clone()),
            external: c.external,
            detected,
            declared,
            legal_basis: property_text(c, "legal_basis"),
            retention_until: property_text(c, "retention_until"),
            erasure: (!erasure.is_empty()).then(|| erasure.join("; ")),
            marked: data_pii(c) == Some(true),
        });
    }
    let mut models = Vec::new();
    for c in inventory
        .components
        .values()
        .filter(|c| c.kind.is_model_like() && !c.external)
    {
        let trained = training_data(inventory, &c.id);
        let mut pii = string_list(c.properties.get("trained_on_pii"));
        if !pii.is_empty() {
            any_fact = true;
        }
        for d in &trained {
            if inventory.component(d).and_then(data_pii) == Some(true) {
                pii.push(format!("corpus {}", display_name(inventory, d)));
            }
        }
        pii.sort();
        pii.dedup();
        let erasure_strategy = property_text(c, "erasure_strategy");
        let unknown_data: Vec<&String> = trained
            .iter()
            .filter(|d| inventory.component(d).and_then(data_pii).is_none())
            .collect();
        let erasure_status = if !pii.is_empty() {
            match &erasure_strategy {
                Some(s) => format!(
                    "Trained on personal data: the weights cannot forget a person. Recorded strategy for erasure requests: {s}."
                ),
                None => "Trained on personal data: the weights cannot forget a person, and no erasure strategy (retrain, output filter, unlearning) is recorded.".to_owned(),
            }
        } else if trained.is_empty() {
            "No training data recorded: whether it learned personal data is unknown.".to_owned()
        } else if !unknown_data.is_empty() {
            "Training data not evaluated for personal data: erasure status unknown.".to_owned()
        } else {
            "Training data recorded without personal data.".to_owned()
        };
        models.push(ModelPrivacyRow {
            id: c.id.clone(),
            name: c.name.clone(),
            trained_on: trained.iter().map(|d| display_name(inventory, d)).collect(),
            pii,
            erasure_strategy,
            erasure_status,
        });
    }
    let findings: Vec<FindingRow> = result
        .findings
        .iter()
        .filter(|f| {
            family_of(f.code)
                .is_some_and(|fam| matches!(fam, Family::Pii | Family::Gdpr | Family::Lin))
        })
        .map(|f| FindingRow::from_finding(f, None))
        .chain(
            result
                .suppressed
                .iter()
                .filter(|s| {
                    family_of(s.finding.code)
                        .is_some_and(|fam| matches!(fam, Family::Pii | Family::Gdpr | Family::Lin))
                })
                .map(|s| {
                    FindingRow::from_finding(
                        &s.finding,
                        Some(accepted_reason(s.suppression.kind, &s.suppression.reason)),
                    )
                }),
        )
        .collect();
    let implemented = [Family::Pii, Family::Gdpr, Family::Lin]
        .iter()
        .any(|f| f.is_implemented());
    let evaluated = any_fact || implemented;
    let statement = if !evaluated {
        "Not evaluated: this scan did not look for personal data in corpora and no privacy manifest declares any. \
         A blank below means \"not known\", never \"no personal data\"."
            .to_owned()
    } else if !any_fact {
        "Checked for personal data; no corpus carries personal-data facts. A corpus marked \"not scanned\" was not read."
            .to_owned()
    } else {
        "Personal-data facts as recorded by the scan (counts per type only; values are never shown) and by the privacy manifest."
            .to_owned()
    };
    Privacy {
        evaluated,
        statement,
        data,
        models,
        findings,
    }
}

fn lineage(inventory: &Inventory) -> Graph {
    let reported: Vec<&Component> = inventory
        .components
        .values()
        .filter(|c| is_reported(c))
        .collect();
    let ids: BTreeSet<&str> = reported.iter().map(|c| c.id.as_str()).collect();
    let trained_on_pii: BTreeSet<String> = reported
        .iter()
        .filter(|c| c.kind.is_model_like())
        .filter(|c| {
            !string_list(c.properties.get("trained_on_pii")).is_empty()
                || training_data(inventory, &c.id)
                    .iter()
                    .any(|d| inventory.component(d).and_then(data_pii) == Some(true))
        })
        .map(|c| c.id.clone())
        .collect();
    let nodes = reported
        .iter()
        .map(|c| {
            let licence = c
                .concluded_license
                .as_ref()
                .map(|l| {
                    if l.licenses.is_empty() {
                        l.status.to_owned()
                    } else {
                        l.licenses.join(" AND ")
                    }
                })
                .unwrap_or_default();
            let pii = if c.kind.is_data() {
                match data_pii(c) {
                    Some(true) => PiiMark::Contains,
                    _ => PiiMark::None,
                }
            } else if trained_on_pii.contains(&c.id) {
                PiiMark::TrainedOn
            } else {
                PiiMark::None
            };
            GraphNode {
                id: c.id.clone(),
                label: c.hub_id.clone().unwrap_or_else(|| c.name.clone()),
                kind: c.kind,
                detail: licence,
                external: c.external,
                pii,
            }
        })
        .collect();
    let edges = inventory
        .relations
        .iter()
        .filter(|r| matches!(r.kind, RelationKind::DerivedFrom | RelationKind::TrainedOn))
        .filter(|r| ids.contains(r.from.as_str()) && ids.contains(r.to.as_str()))
        .map(|r| GraphEdge {
            parent: r.to.clone(),
            child: r.from.clone(),
            label: match r.kind {
                RelationKind::TrainedOn => "trained on".to_owned(),
                _ => r.relation.clone().unwrap_or_else(|| "derived".to_owned()),
            },
        })
        .collect();
    Graph { nodes, edges }
}

fn prompts(inventory: &Inventory) -> Vec<PromptRow> {
    inventory
        .prompts
        .iter()
        .map(|p| {
            let c = inventory.component(&p.component);
            let prop = |key: &str| c.and_then(|c| property_text(c, key));
            PromptRow {
                path: p.path.clone(),
                name: c.map_or_else(|| p.path.clone(), |c| c.name.clone()),
                owner: prop("owner").unwrap_or_else(|| "—".to_owned()),
                version: p
                    .version
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |v| v.value.clone()),
                changelog: p.changelog.as_ref().map(|c| {
                    let line = c.span.map(|s| format!(":{}", s.line)).unwrap_or_default();
                    format!("{}{line} ({})", c.path, c.source.as_str())
                }),
                state: prop("changelog_state").unwrap_or_else(|| {
                    if p.changelog.is_some() {
                        "present".to_owned()
                    } else {
                        "missing".to_owned()
                    }
                }),
                last_changed: prop("last_changed")
                    .unwrap_or_else(|| "not known (no git history read)".to_owned()),
            }
        })
        .collect()
}

fn tools(result: &ScanResult) -> Vec<ToolRow> {
    let inventory = &result.inventory;
    let findings_of = |component: &str| -> Vec<String> {
        let mut codes: Vec<String> = result
            .findings
            .iter()
            .filter(|f| f.component.as_deref() == Some(component))
            .map(|f| format!("{} ({})", f.code, f.severity.as_str()))
            .collect();
        codes.dedup();
        codes
    };
    inventory
        .agent_tools
        .values()
        .map(|tool| {
            let entry = crate::policy::tools::entries_for(&result.policy.tools, tool)
                .into_iter()
                .next();
            let filled =
                |v: &Option<String>| v.clone().filter(|s| !crate::policy::tools::is_unfilled(s));
            let defined_in = tool
                .location()
                .map(|s| match s.span {
                    Some(span) => format!("{}:{}", s.path, span.line),
                    None => s.path.clone(),
                })
                .unwrap_or_else(|| "—".to_owned());
            ToolRow {
                id: tool.id.clone(),
                provider: tool.provider.clone().unwrap_or_else(|| {
                    if tool.is_provider {
                        "(server)".to_owned()
                    } else {
                        "—".to_owned()
                    }
                }),
                inferred_tier: tool.tier.as_str(),
                tier_reason: tool
                    .deciding_evidence()
                    .map(|e| e.reason.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                registered_tier: entry.and_then(|e| e.tier).map(|t| t.as_str().to_owned()),
                owner: entry.and_then(|e| filled(&e.owner)),
                approval: entry
                    .and_then(|e| e.approval)
                    .map(|a| format!("{a:?}").to_ascii_lowercase()),
                rollback: entry.and_then(|e| filled(&e.rollback)),
                defined_in,
                findings: findings_of(&tool.component),
            }
        })
        .collect()
}

fn exceptions(result: &ScanResult, clock: &Clock) -> Vec<ExceptionRow> {
    let today = clock.date();
    result
        .policy
        .exceptions
        .iter()
        .map(|e| ExceptionRow {
            rule: e.rule.to_owned(),
            scope: e.describe(),
            reason: e.reason.clone(),
            expires: e.expires.map(|d| d.to_string()),
            expired: e.expires.is_some_and(|d| d < today),
            matched: result
                .suppressed
                .iter()
                .filter(|s| {
                    s.suppression.kind == SuppressionKind::Exception
                        && s.suppression.reason == e.reason
                        && s.finding.code == e.rule
                })
                .count(),
        })
        .collect()
}

/// The HEAD commit of the git repository holding the root, when there is one.
fn git_head(root: &std::path::Path) -> Option<String> {
    let repo = git2::Repository::discover(root).ok()?;
    let head = repo.head().ok()?;
    let commit = head.peel_to_commit().ok()?;
    let branch = head.shorthand().filter(|b| *b != "HEAD");
    Some(match branch {
        Some(b) => format!("{} ({b})", commit.id()),
        None => commit.id().to_string(),
    })
}

fn metadata(result: &ScanResult, clock: &Clock) -> Metadata {
    let db = &result.license_db;
    let mut hasher = Sha256::new();
    for r in db.records() {
        hasher.update(r.id.as_bytes());
        hasher.update([0]);
        hasher.update(r.version_date.as_bytes());
        hasher.update([0]);
    }
    let digest = hex(&hasher.finalize());
    let s = &result.stats;
    Metadata {
        aibom_version: env!("CARGO_PKG_VERSION").to_owned(),
        scan_time: clock.timestamp(),
        reproducible_time: clock.reproducible,
        root: result.root.display().to_string(),
        git: git_head(&result.root),
        license_db: format!(
            "{} records (aibom {} built-in database{}), digest {}",
            db.records().len(),
            env!("CARGO_PKG_VERSION"),
            if db.records().len()
                == crate::license::LicenseDb::embedded().map_or(0, |d| d.records().len())
            {
                ""
            } else {
                " with a --license-db overlay"
            },
            &digest[..12]
        ),
        preset: result.policy.preset.clone(),
        config: result
            .policy
            .source
            .as_deref()
            .map(|p| crate::scan::display_relative(&result.root, p)),
        config_not_evaluated: result.policy.not_evaluated.clone(),
        files: format!(
            "{} files walked, {} artefacts read, {} bytes hashed",
            s.files_walked, s.artifacts, s.bytes_hashed
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::ComponentKind;

    #[test]
    fn the_clock_formats_utc_timestamps() {
        let clock = Clock {
            unix_seconds: 1_767_225_600 + 3 * 3600 + 4 * 60 + 5,
            reproducible: true,
        };
        assert_eq!(clock.timestamp(), "2026-01-01 03:04:05 UTC");
    }

    #[test]
    fn families_are_found_by_their_longest_prefix() {
        assert_eq!(family_of("GDPR001"), Some(Family::Gdpr));
        assert_eq!(family_of("LIC010"), Some(Family::Lic));
        assert_eq!(family_of("XYZ1"), None);
    }

    #[test]
    fn a_component_without_privacy_facts_is_unknown_not_clean() {
        let c = Component::new("corpus:a".into(), ComponentKind::Corpus, "a".into(), None);
        assert_eq!(data_pii(&c), None);
        let mut declared = c.clone();
        declared
            .properties
            .insert("contains_pii".into(), serde_json::Value::Bool(true));
        assert_eq!(data_pii(&declared), Some(true));
        let mut synthetic = c;
        synthetic.properties.insert(
            "pii".into(),
            serde_json::json!({"types": {"email": {"count": 2, "synthetic": 2}}}),
        );
        assert_eq!(data_pii(&synthetic), Some(false));
    }
}

/// One thing to do, grouped over the components it concerns.
#[derive(Debug, Clone)]
pub struct Action {
    pub status: Status,
    pub licence: String,
    pub term: &'static str,
    pub clause: String,
    pub requirement: String,
    pub components: Vec<String>,
}

/// One line of the lineage table (the text twin of the diagram).
#[derive(Debug, Clone)]
pub struct LineageRow {
    pub name: String,
    pub kind: &'static str,
    pub external: bool,
    pub derived_from: Vec<String>,
    pub trained_on: Vec<String>,
    pub pii: PiiMark,
}

impl AuditReport {
    /// Violated and open terms, grouped by licence and term, violations first.
    pub fn actions(&self) -> Vec<Action> {
        let mut groups: BTreeMap<(Status, String, &'static str, String, String), Vec<String>> =
            BTreeMap::new();
        for co in &self.obligations {
            for block in &co.licences {
                for row in &block.rows {
                    if row.accepted.is_some()
                        || !matches!(row.status, Status::Violated | Status::NeedsReview)
                    {
                        continue;
                    }
                    let names = groups
                        .entry((
                            row.status,
                            block.id.clone(),
                            row.term,
                            row.clause.clone(),
                            row.requirement.clone(),
                        ))
                        .or_default();
                    if !names.contains(&co.name) {
                        names.push(co.name.clone());
                    }
                }
            }
        }
        groups
            .into_iter()
            .map(
                |((status, licence, term, clause, requirement), components)| Action {
                    status,
                    licence,
                    term,
                    clause,
                    requirement,
                    components,
                },
            )
            .collect()
    }

    /// The lineage as rows, in diagram order (data first, then by depth).
    pub fn lineage_rows(&self) -> Vec<LineageRow> {
        let graph = &self.lineage;
        let name_of = |id: &str| {
            graph
                .nodes
                .iter()
                .find(|n| n.id == id)
                .map_or_else(|| id.to_owned(), |n| n.label.clone())
        };
        let layout = super::svg::layout(graph);
        layout
            .boxes
            .iter()
            .map(|b| {
                let n = &graph.nodes[b.node];
                let parents = |trained: bool| -> Vec<String> {
                    graph
                        .edges
                        .iter()
                        .filter(|e| e.child == n.id && (e.label == "trained on") == trained)
                        .map(|e| {
                            if trained {
                                name_of(&e.parent)
                            } else {
                                format!("{} ({})", name_of(&e.parent), e.label)
                            }
                        })
                        .collect()
                };
                LineageRow {
                    name: n.label.clone(),
                    kind: n.kind.as_str(),
                    external: n.external,
                    derived_from: parents(false),
                    trained_on: parents(true),
                    pii: n.pii,
                }
            })
            .collect()
    }
}
