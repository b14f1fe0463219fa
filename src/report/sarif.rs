//! SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).
//!
//! What GitHub needs shapes this file: every registered rule with full metadata (so an alert
//! explains itself), repository-relative `%SRCROOT%` locations with a region, our own
//! line-independent fingerprint under `partialFingerprints`, and results within the upload
//! limits. Findings about binary weights are anchored on a text artefact of the same component
//! (card, shard index, config) because the uploader reads the whole anchored file as UTF-8 to
//! fingerprint it — pointing it at a 10 GB safetensors file is slow and meaningless. Findings
//! about a model stored as a folder are anchored the same way: a result needs a file.
//!
//! Deterministic: no timestamps, no absolute paths, results in a fixed order.

use std::io::{self, Write};
use std::path::Path;

use serde_json::{Value, json};

use super::{RenderOptions, Reporter};
use crate::artifact::text::TextSpan;
use crate::detect::ArtifactKind;
use crate::finding::{Finding, Severity};
use crate::inventory::{Inventory, parent};
use crate::policy::Policy;
use crate::rules::{Family, RuleMeta, registry::RULES};
use crate::scan::ScanResult;
use crate::suppression::Suppressed;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub code scanning keeps at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub truncates `fullDescription` beyond this.
const MAX_DESCRIPTION: usize = 1024;
/// The key of our fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "aibom/v1";

pub struct Sarif;

impl Reporter for Sarif {
    fn render(
        &self,
        result: &ScanResult,
        _options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let log = render_log(result, MAX_RESULTS);
        super::write_json(out, &log)
    }
}

/// The whole SARIF log, keeping at most `max_results` results (most severe first).
pub fn render_log(result: &ScanResult, max_results: usize) -> Value {
    let mut entries: Vec<(&Finding, Option<&Suppressed>)> = result
        .findings
        .iter()
        .map(|f| (f, None))
        .chain(result.suppressed.iter().map(|s| (&s.finding, Some(s))))
        .collect();
    entries.sort_by(|(a, sa), (b, sb)| {
        (sa.is_some(), std::cmp::Reverse(a.severity), a.sort_key()).cmp(&(
            sb.is_some(),
            std::cmp::Reverse(b.severity),
            b.sort_key(),
        ))
    });
    let total = entries.len();
    entries.truncate(max_results);
    let prefix = repository_prefix(&result.root);
    let results: Vec<Value> = entries
        .iter()
        .map(|(f, s)| result_json(f, *s, &result.inventory, prefix.as_deref()))
        .collect();
    let category = match &prefix {
        Some(prefix) if prefix.is_empty() => "aibom/".to_owned(),
        Some(prefix) => format!("aibom/{prefix}/"),
        None => automation_id(&result.root),
    };
    let mut run = json!({
        "tool": { "driver": driver(&result.policy) },
        "automationDetails": { "id": category },
        "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The scanned repository root." } } },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if total > max_results {
        run["properties"] = json!({
            "resultsDropped": total - max_results,
            "resultsTotal": total,
            "note": format!(
                "{} of {total} results were left out to stay within the code scanning limit of {max_results} results per run; the least severe were dropped. The JSON output has them all.",
                total - max_results
            ),
        });
    }
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run],
    })
}

fn driver(policy: &Policy) -> Value {
    let rules: Vec<Value> = RULES.iter().map(|r| rule_json(r.meta(), policy)).collect();
    let mut driver = json!({
        "name": "aibom",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
    });
    if let Some(uri) = repository_uri() {
        driver["informationUri"] = json!(uri);
    }
    driver["rules"] = json!(rules);
    driver
}

/// The project's public address, from `Cargo.toml` `repository`, when it has one.
fn repository_uri() -> Option<&'static str> {
    Some(env!("CARGO_PKG_REPOSITORY")).filter(|u| u.starts_with("https://"))
}

fn rule_json(meta: &RuleMeta, policy: &Policy) -> Value {
    let severity = policy.severity(meta.code);
    let level = severity.unwrap_or(meta.default_severity);
    let mut tags = vec![format!("{:?}", meta.family).to_ascii_lowercase()];
    if meta.security {
        tags.push("security".to_owned());
    }
    tags.push(theme(meta.family).to_owned());
    let mut properties = json!({
        "tags": tags,
        "precision": "high",
        "problem.severity": problem_severity(level),
    });
    if meta.security {
        properties["security-severity"] = json!(security_severity(level));
    }
    let mut configuration = json!({ "level": level.as_str() });
    if severity.is_none() {
        configuration["enabled"] = json!(false);
    }
    let markdown = crate::rules::render_doc(meta);
    let mut rule = json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": truncate(meta.doc.what.trim(), MAX_DESCRIPTION) },
        "help": { "text": help_text(meta), "markdown": markdown },
        "defaultConfiguration": configuration,
        "properties": properties,
    });
    if let Some(uri) = repository_uri() {
        rule["helpUri"] = json!(format!(
            "{}/blob/main/docs/rules.md#{}",
            uri.trim_end_matches('/'),
            meta.code.to_ascii_lowercase()
        ));
    }
    rule
}

/// The rule documentation as plain text (what, why, fix), for consumers without Markdown.
fn help_text(meta: &RuleMeta) -> String {
    format!(
        "{}\n\nWhat it checks: {}\n\nWhy it matters: {}\n\nHow to fix or suppress: {}\n\nExample:\n{}",
        meta.summary,
        meta.doc.what.trim(),
        meta.doc.why.trim(),
        meta.doc.fix.trim(),
        meta.doc.example.trim()
    )
}

/// The second tag of a rule: what kind of problem its family is about.
fn theme(family: Family) -> &'static str {
    match family {
        Family::Bom | Family::Mod | Family::Tool => "supply-chain",
        Family::Lic | Family::Pii | Family::Gdpr | Family::Lin | Family::Prm | Family::Exc => {
            "compliance"
        }
    }
}

fn problem_severity(level: Severity) -> &'static str {
    match level {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "recommendation",
    }
}

/// GitHub's security severity: high for errors, medium for warnings, low for notes.
pub fn security_severity(level: Severity) -> &'static str {
    match level {
        Severity::Error => "8.5",
        Severity::Warning => "5.5",
        Severity::Note => "2.0",
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max - 3;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

fn result_json(
    finding: &Finding,
    suppressed: Option<&Suppressed>,
    inventory: &Inventory,
    prefix: Option<&str>,
) -> Value {
    let rule_index = RULES
        .iter()
        .position(|r| r.meta().code == finding.code)
        .unwrap_or(0);
    let (path, span) = anchor(finding, inventory);
    let repo_path = match prefix {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}/{path}"),
        _ => path.clone(),
    };
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str(&format!(" ({help})"));
    }
    let mut result = json!({
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": finding.severity.as_str(),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri_of(&repo_path), "uriBaseId": "%SRCROOT%" },
                "region": region(span),
            }
        }],
        "partialFingerprints": { FINGERPRINT_KEY: finding.fingerprint },
    });
    let mut properties = serde_json::Map::new();
    if let Some(component) = &finding.component {
        properties.insert("component".to_owned(), json!(component));
    }
    if let Some(location) = &finding.location
        && location.path != path
    {
        properties.insert("about".to_owned(), json!(location.path));
    }
    if !properties.is_empty() {
        result["properties"] = Value::Object(properties);
    }
    if let Some(s) = suppressed {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": s.suppression.reason,
        }]);
    }
    result
}

fn region(span: TextSpan) -> Value {
    let line = span.line.max(1);
    let column = span.column.max(1);
    json!({
        "startLine": line,
        "startColumn": column,
        "endLine": line,
        "endColumn": column + (span.len.max(1) as u32),
    })
}

/// Where a finding is shown: its own text location, or, for a finding about a binary file, a
/// folder (a model of several files) or nothing at all, a text artefact of its component, else
/// line 1 of a file (the component's first file; `aibom.toml` for a finding about nothing in
/// the tree). Code scanning anchors a result only to a file.
pub fn anchor(finding: &Finding, inventory: &Inventory) -> (String, TextSpan) {
    let component = finding
        .component
        .as_deref()
        .and_then(|id| inventory.component(id));
    let card = component.and_then(|c| c.properties.get("card").and_then(Value::as_str));
    let first_file = || {
        component
            .and_then(|c| c.files.first())
            .map(|f| f.path.clone())
    };
    let Some(location) = &finding.location else {
        let path = component
            .and_then(|c| text_anchor(card, &c.path, inventory).or_else(first_file))
            // Code scanning needs a file; the config is where such findings are accepted.
            .unwrap_or_else(|| "aibom.toml".to_owned());
        return (path, TextSpan::first_line());
    };
    if let Some(span) = location.span {
        return (location.path.clone(), span);
    }
    let path = match inventory.file(&location.path) {
        Some(f) if f.kind.is_hashed() && !f.is_lfs_pointer() => {
            let dir = Some(parent(&location.path).to_owned());
            text_anchor(card, &dir, inventory)
        }
        Some(_) => None,
        // A folder: the files of a model stored as several.
        None if inventory.files_in_dir(&location.path).next().is_some() => {
            text_anchor(card, &Some(location.path.clone()), inventory).or_else(first_file)
        }
        None => None,
    };
    (
        path.unwrap_or_else(|| location.path.clone()),
        TextSpan::first_line(),
    )
}

/// A text artefact describing the files in `dir`: the card, then a shard index, a model or
/// adapter config.
fn text_anchor(card: Option<&str>, dir: &Option<String>, inventory: &Inventory) -> Option<String> {
    if let Some(card) = card {
        return Some(card.to_owned());
    }
    let dir = dir.as_deref()?;
    let dir = if inventory.file(dir).is_some() {
        parent(dir)
    } else {
        dir
    };
    const PREFERENCE: [ArtifactKind; 5] = [
        ArtifactKind::Card,
        ArtifactKind::ShardIndex,
        ArtifactKind::ModelConfig,
        ArtifactKind::AdapterConfig,
        ArtifactKind::DatasetInfo,
    ];
    PREFERENCE.iter().find_map(|kind| {
        inventory
            .files_in_dir(dir)
            .find(|f| f.kind == *kind)
            .map(|f| f.path.clone())
    })
}

/// A relative URI reference for a repository path: `/`-separated, percent-encoded.
pub fn uri_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where the scanned root sits inside its git work tree (`""` at the top, `ml/models` below it),
/// so URIs are relative to the repository as code scanning expects; `None` outside git. Only
/// git metadata is read, never a file of the tree.
pub fn repository_prefix(root: &Path) -> Option<String> {
    let repo = git2::Repository::discover(root).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let inside = root.strip_prefix(&workdir).ok()?;
    let parts: Vec<String> = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// `aibom/<root>/`: the code scanning category, so scans of different roots do not overwrite
/// each other's alerts. Stable across machines: the root's place in its repository, else the
/// root as given, never an absolute path.
pub fn automation_id(root: &Path) -> String {
    let shown = if root.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| root.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| root.file_name().map(Into::into).unwrap_or_default())
    } else {
        root.to_path_buf()
    };
    let shown = shown.to_string_lossy().replace('\\', "/");
    let parts: Vec<&str> = shown
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() {
        "aibom/".to_owned()
    } else {
        format!("aibom/{}/", parts.join("/"))
    }
}
