//! `[[tool]]` in `aibom.toml`: the blast-radius registry. Each entry names tools by id (globs
//! allowed) and records their tier and who answers for them; the TOOL rules compare it with the
//! tools the scan finds.
//!
//! Validation happens once here: an unknown tier, approval or a malformed date is an error
//! pointing at its line and column.

use std::ops::Range;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

use super::config::ConfigError;
use crate::agent::Tier;
use crate::artifact::text::TextSpan;

type ErrFn<'a> = &'a dyn Fn(String, Range<usize>, &str) -> Box<ConfigError>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawToolEntry {
    pub id: Spanned<String>,
    pub tier: Option<Spanned<String>>,
    pub systems: Option<Vec<String>>,
    pub owner: Option<String>,
    pub audit_log: Option<String>,
    pub rollback: Option<String>,
    pub credential: Option<String>,
    pub approval: Option<Spanned<String>>,
    pub reviewed: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    Human,
    Auto,
}

/// One validated `[[tool]]` entry.
#[derive(Debug, Clone)]
pub struct ToolEntry {
    /// The id pattern as written.
    pub id: String,
    pub matcher: GlobMatcher,
    pub tier: Option<Tier>,
    pub systems: Vec<String>,
    pub owner: Option<String>,
    pub audit_log: Option<String>,
    pub rollback: Option<String>,
    pub credential: Option<String>,
    pub approval: Option<Approval>,
    /// `YYYY-MM-DD`.
    pub reviewed: Option<String>,
    /// The config file (its name; `aibom.toml` at the scanned root) and where `id` is written.
    pub file: String,
    pub span: TextSpan,
}

/// A value that still needs filling in: empty, or `TODO` (as `aibom init` writes).
pub fn is_unfilled(value: &str) -> bool {
    let v = value.trim();
    v.is_empty() || v.eq_ignore_ascii_case("todo") || v.to_ascii_uppercase().starts_with("TODO:")
}

impl ToolEntry {
    /// True when the entry names this tool id. An MCP server (`mcp:billing`) is also named by
    /// a pattern for all its tools (`mcp:billing/*`).
    pub fn matches(&self, tool_id: &str, is_provider: bool) -> bool {
        self.matcher.is_match(tool_id)
            || (is_provider && self.matcher.is_match(format!("{tool_id}/")))
    }

    /// Fields this entry needs for `tier` and does not have (or has as `TODO`).
    pub fn missing_fields(&self, tier: Option<Tier>) -> Vec<&'static str> {
        let filled = |v: &Option<String>| v.as_deref().is_some_and(|v| !is_unfilled(v));
        let mut missing = Vec::new();
        if self.tier.is_none() {
            missing.push("tier");
        }
        if !filled(&self.owner) {
            missing.push("owner");
        }
        if self.systems.iter().all(|s| is_unfilled(s)) {
            missing.push("systems");
        }
        if !filled(&self.audit_log) {
            missing.push("audit_log");
        }
        if tier.is_some_and(|t| t >= Tier::ExternalSend) {
            if !filled(&self.rollback) {
                missing.push("rollback");
            }
            if !filled(&self.credential) {
                missing.push("credential");
            }
            if self.approval.is_none() {
                missing.push("approval");
            }
        }
        missing
    }
}

/// Validate the `[[tool]]` entries; `text` is the config source, for spans.
pub fn validate(
    raw: Vec<RawToolEntry>,
    source: Option<&std::path::Path>,
    text: &str,
    err: ErrFn<'_>,
) -> Result<Vec<ToolEntry>, Box<ConfigError>> {
    let file = source.and_then(|p| p.file_name()).map_or_else(
        || "aibom.toml".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut out = Vec::with_capacity(raw.len());
    for entry in raw {
        let id = entry.id.get_ref().trim().to_owned();
        if id.is_empty() {
            return Err(err(
                "`id` is empty".to_owned(),
                entry.id.span(),
                "a tool id",
            ));
        }
        let matcher = Glob::new(&id)
            .map_err(|e| {
                err(
                    format!("invalid tool id glob: {}", e.kind()),
                    entry.id.span(),
                    "this glob",
                )
            })?
            .compile_matcher();
        let tier = match &entry.tier {
            Some(t) => Some(Tier::parse(t.get_ref()).ok_or_else(|| {
                let known: Vec<&str> = Tier::ALL.iter().map(|t| t.as_str()).collect();
                let mut e = err(
                    format!("invalid tier `{}`", t.get_ref()),
                    t.span(),
                    "not a tier",
                );
                e.help = Some(format!("tiers, least to most harm: {}", known.join(", ")));
                e
            })?),
            None => None,
        };
        let approval = match &entry.approval {
            Some(a) => Some(match a.get_ref().as_str() {
                "human" => Approval::Human,
                "auto" => Approval::Auto,
                other => {
                    return Err(err(
                        format!("invalid approval `{other}`"),
                        a.span(),
                        "expected \"human\" or \"auto\"",
                    ));
                }
            }),
            None => None,
        };
        let reviewed = match &entry.reviewed {
            Some(r) => Some(date(r.get_ref()).ok_or_else(|| {
                err(
                    "invalid `reviewed` date".to_owned(),
                    r.span(),
                    "expected a date such as 2026-10-01",
                )
            })?),
            None => None,
        };
        let span = entry.id.span();
        out.push(ToolEntry {
            id,
            matcher,
            tier,
            systems: entry.systems.unwrap_or_default(),
            owner: entry.owner,
            audit_log: entry.audit_log,
            rollback: entry.rollback,
            credential: entry.credential,
            approval,
            reviewed,
            file: file.clone(),
            span: TextSpan::at(text, span.start, span.end.saturating_sub(span.start)),
        });
    }
    Ok(out)
}

/// The entries that govern a tool: those whose pattern names it, or else — for a tool of an
/// MCP server — those that name its server exactly. File order; the first is the one in force.
pub fn entries_for<'a>(
    entries: &'a [ToolEntry],
    tool: &crate::agent::AgentTool,
) -> Vec<&'a ToolEntry> {
    let direct: Vec<&ToolEntry> = entries
        .iter()
        .filter(|e| e.matches(&tool.id, tool.is_provider))
        .collect();
    if !direct.is_empty() {
        return direct;
    }
    match &tool.provider {
        Some(provider) => entries
            .iter()
            .filter(|e| e.matcher.is_match(provider))
            .collect(),
        None => Vec::new(),
    }
}

/// A TOML date (`2026-10-01`) or a string holding one.
fn date(value: &toml::Value) -> Option<String> {
    let text = match value {
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => return None,
    };
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let ok = y.len() == 4
        && m.len() == 2
        && d.len() == 2
        && [y, m, d]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let (month, day) = (m.parse::<u32>().ok()?, d.parse::<u32>().ok()?);
    (ok && (1..=12).contains(&month) && (1..=31).contains(&day)).then_some(text)
}

#[cfg(test)]
mod tests {
    use crate::agent::Tier;
    use crate::policy::load_str;

    const ENTRY: &str = "[[tool]]\nid = \"mcp:billing/*\"\ntier = \"financial\"\nsystems = [\"stripe\"]\nowner = \"payments\"\naudit_log = \"stripe events\"\nrollback = \"refund\"\ncredential = \"STRIPE_KEY\"\napproval = \"human\"\nreviewed = 2026-10-01\n";

    #[test]
    fn entries_are_typed() {
        let policy = load_str(ENTRY, "t.toml", None).unwrap();
        let entry = &policy.tools[0];
        assert_eq!(entry.tier, Some(Tier::Financial));
        assert!(entry.matches("mcp:billing/refund", false));
        assert!(entry.matches("mcp:billing", true));
        assert!(!entry.matches("mcp:billing", false));
        assert!(!entry.matches("mcp:other/x", false));
        assert_eq!(entry.reviewed.as_deref(), Some("2026-10-01"));
        assert!(entry.missing_fields(Some(Tier::Financial)).is_empty());
        assert_eq!(entry.span.line, 2);
        assert!(!policy.not_evaluated.contains(&"tool".to_owned()));
    }

    #[test]
    fn invalid_values_point_at_line_and_column() {
        let e = load_str(&ENTRY.replace("\"financial\"", "\"money\""), "t.toml", None).unwrap_err();
        assert_eq!(e.line_column(), Some((3, 8)));
        assert!(e.message.contains("invalid tier"));
        let e = load_str(
            &ENTRY.replace("2026-10-01", "\"2026-13-01\""),
            "t.toml",
            None,
        )
        .unwrap_err();
        assert_eq!(e.line_column(), Some((10, 12)));
        let e = load_str(&ENTRY.replace("2026-10-01", "2026-13-01"), "t.toml", None).unwrap_err();
        assert_eq!(e.line_column().map(|(l, _)| l), Some(10));
        let e = load_str(&ENTRY.replace("\"human\"", "\"maybe\""), "t.toml", None).unwrap_err();
        assert_eq!(e.line_column(), Some((9, 12)));
        let e = load_str("[[tool]]\ntier = \"read\"\n", "t.toml", None).unwrap_err();
        assert!(e.message.contains("id"));
        let e = load_str("[[tool]]\nid = \"x\"\nownr = \"a\"\n", "t.toml", None).unwrap_err();
        assert_eq!(e.line_column().map(|(l, _)| l), Some(3));
    }

    #[test]
    fn todo_counts_as_missing() {
        let policy = load_str(
            "[[tool]]\nid = \"fn:x\"\ntier = \"read\"\nowner = \"TODO\"\nsystems = [\"TODO\"]\naudit_log = \"logs\"\n",
            "t.toml",
            None,
        )
        .unwrap();
        assert_eq!(
            policy.tools[0].missing_fields(Some(Tier::Read)),
            vec!["owner", "systems"]
        );
        assert_eq!(
            policy.tools[0].missing_fields(Some(Tier::ExternalSend)),
            vec!["owner", "systems", "rollback", "credential", "approval"]
        );
    }
}
