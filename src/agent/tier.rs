//! Blast-radius tiers and the evidence that sets a tool's minimum tier.
//!
//! Inference is conservative: every piece of evidence proposes a tier and the tool gets the
//! highest. Missing MCP annotations mean the worst case the MCP specification gives
//! (`readOnlyHint=false`, `destructiveHint=true`, `openWorldHint=true`). The tables here are
//! sorted and test-guarded; they are facts about names, not judgements about a repository.

use std::fmt;

use serde::Serialize;

use crate::artifact::text::TextSpan;
use crate::artifact::tool_json::Annotations;

/// What the worst call of a tool can do, ordered from least to most harm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    Read,
    WriteReversible,
    ExternalSend,
    WriteIrreversible,
    Financial,
    Execute,
}

impl Tier {
    pub const ALL: [Tier; 6] = [
        Tier::Read,
        Tier::WriteReversible,
        Tier::ExternalSend,
        Tier::WriteIrreversible,
        Tier::Financial,
        Tier::Execute,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Read => "read",
            Tier::WriteReversible => "write-reversible",
            Tier::ExternalSend => "external-send",
            Tier::WriteIrreversible => "write-irreversible",
            Tier::Financial => "financial",
            Tier::Execute => "execute",
        }
    }

    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason for a minimum tier, with where it was read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TierEvidence {
    pub tier: Tier,
    pub reason: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<TextSpan>,
}

impl TierEvidence {
    pub fn new(tier: Tier, reason: impl Into<String>, path: &str, span: Option<TextSpan>) -> Self {
        TierEvidence {
            tier,
            reason: reason.into(),
            path: path.to_owned(),
            span,
        }
    }

    /// `name contains "refund" (agents/tools.py:7)`.
    pub fn describe(&self) -> String {
        match self.span {
            Some(s) => format!("{} ({}:{})", self.reason, self.path, s.line),
            None => format!("{} ({})", self.reason, self.path),
        }
    }
}

/// Words in tool and server names (and, unless marked name-only, descriptions) that set a
/// minimum tier. Sorted by word.
pub static KEYWORDS: &[(&str, Tier, bool)] = &[
    ("add", Tier::WriteReversible, true),
    ("append", Tier::WriteReversible, true),
    ("bash", Tier::Execute, false),
    ("billing", Tier::Financial, true),
    ("charge", Tier::Financial, false),
    ("cmd", Tier::Execute, true),
    ("command", Tier::Execute, true),
    ("commit", Tier::WriteReversible, true),
    ("create", Tier::WriteReversible, true),
    ("delete", Tier::WriteIrreversible, false),
    ("destroy", Tier::WriteIrreversible, false),
    ("drop", Tier::WriteIrreversible, false),
    ("edit", Tier::WriteReversible, true),
    ("email", Tier::ExternalSend, false),
    ("erase", Tier::WriteIrreversible, false),
    ("eval", Tier::Execute, false),
    ("exec", Tier::Execute, false),
    ("execute", Tier::Execute, false),
    ("insert", Tier::WriteReversible, true),
    ("interpreter", Tier::Execute, false),
    ("kill", Tier::WriteIrreversible, true),
    ("mail", Tier::ExternalSend, false),
    ("modify", Tier::WriteReversible, true),
    ("move", Tier::WriteReversible, true),
    ("notify", Tier::ExternalSend, false),
    ("overwrite", Tier::WriteIrreversible, false),
    ("patch", Tier::WriteReversible, true),
    ("pay", Tier::Financial, true),
    ("payment", Tier::Financial, false),
    ("payout", Tier::Financial, false),
    ("post", Tier::ExternalSend, true),
    ("publish", Tier::ExternalSend, false),
    ("purge", Tier::WriteIrreversible, false),
    ("refund", Tier::Financial, false),
    ("remove", Tier::WriteIrreversible, false),
    ("rename", Tier::WriteReversible, true),
    ("repl", Tier::Execute, false),
    ("rm", Tier::WriteIrreversible, true),
    ("run", Tier::Execute, true),
    ("save", Tier::WriteReversible, true),
    ("script", Tier::Execute, true),
    ("send", Tier::ExternalSend, false),
    ("shell", Tier::Execute, false),
    ("sms", Tier::ExternalSend, false),
    ("stripe", Tier::Financial, false),
    ("subprocess", Tier::Execute, false),
    ("terminal", Tier::Execute, false),
    ("transfer", Tier::Financial, false),
    ("truncate", Tier::WriteIrreversible, false),
    ("tweet", Tier::ExternalSend, false),
    ("update", Tier::WriteReversible, true),
    ("upload", Tier::WriteReversible, true),
    ("webhook", Tier::ExternalSend, false),
    ("wipe", Tier::WriteIrreversible, false),
    ("write", Tier::WriteReversible, true),
];

/// MCP server packages whose tools are known, with the tier of their most powerful tool.
/// Sorted by package name.
pub static KNOWN_PACKAGES: &[(&str, Tier, &str)] = &[
    (
        "@modelcontextprotocol/server-brave-search",
        Tier::Read,
        "web search only",
    ),
    (
        "@modelcontextprotocol/server-everything",
        Tier::WriteReversible,
        "test server",
    ),
    (
        "@modelcontextprotocol/server-filesystem",
        Tier::WriteIrreversible,
        "write_file, edit_file and move_file overwrite files under its roots",
    ),
    (
        "@modelcontextprotocol/server-gdrive",
        Tier::Read,
        "reads Google Drive",
    ),
    (
        "@modelcontextprotocol/server-github",
        Tier::WriteIrreversible,
        "pushes files, merges pull requests",
    ),
    (
        "@modelcontextprotocol/server-gitlab",
        Tier::WriteIrreversible,
        "pushes files, creates merge requests",
    ),
    (
        "@modelcontextprotocol/server-memory",
        Tier::WriteReversible,
        "edits a local knowledge graph",
    ),
    (
        "@modelcontextprotocol/server-postgres",
        Tier::Read,
        "read-only SQL queries",
    ),
    (
        "@modelcontextprotocol/server-puppeteer",
        Tier::Execute,
        "puppeteer_evaluate runs JavaScript in a browser",
    ),
    (
        "@modelcontextprotocol/server-sequential-thinking",
        Tier::Read,
        "no side effects",
    ),
    (
        "@modelcontextprotocol/server-slack",
        Tier::ExternalSend,
        "posts messages",
    ),
    (
        "@playwright/mcp",
        Tier::Execute,
        "browser_evaluate runs JavaScript in a browser",
    ),
    (
        "@stripe/mcp",
        Tier::Financial,
        "creates payment links, refunds",
    ),
    (
        "@supabase/mcp-server-supabase",
        Tier::Execute,
        "execute_sql runs arbitrary SQL",
    ),
    ("mcp-server-fetch", Tier::Read, "fetches URLs"),
    (
        "mcp-server-git",
        Tier::WriteReversible,
        "commits, branches and resets in a local repository",
    ),
    (
        "mcp-server-sqlite",
        Tier::WriteIrreversible,
        "write_query runs INSERT, UPDATE and DELETE",
    ),
    ("mcp-server-time", Tier::Read, "no side effects"),
];

/// Hosted and built-in tools by type prefix (the longest prefix wins). Sorted.
pub static BUILTINS: &[(&str, Tier, &str)] = &[
    ("DeleteFileTool", Tier::WriteIrreversible, "deletes files"),
    (
        "FileManagementToolkit",
        Tier::WriteIrreversible,
        "writes, moves and deletes files",
    ),
    ("PythonAstREPLTool", Tier::Execute, "runs Python code"),
    ("PythonREPLTool", Tier::Execute, "runs Python code"),
    (
        "RequestsToolkit",
        Tier::ExternalSend,
        "sends HTTP requests, including POST and DELETE",
    ),
    ("ShellTool", Tier::Execute, "runs shell commands"),
    (
        "WriteFileTool",
        Tier::WriteIrreversible,
        "creates and overwrites files",
    ),
    ("bash_", Tier::Execute, "runs shell commands"),
    ("code_execution_", Tier::Execute, "runs code in a sandbox"),
    ("code_interpreter", Tier::Execute, "runs code in a sandbox"),
    ("computer_", Tier::Execute, "controls a desktop"),
    ("computer_use_preview", Tier::Execute, "controls a desktop"),
    ("file_search", Tier::Read, "searches uploaded files"),
    ("image_generation", Tier::Read, "generates images"),
    ("local_shell", Tier::Execute, "runs shell commands"),
    ("memory_", Tier::WriteReversible, "edits a memory directory"),
    ("shell", Tier::Execute, "runs shell commands"),
    (
        "text_editor_",
        Tier::WriteIrreversible,
        "creates and overwrites files",
    ),
    ("web_fetch_", Tier::Read, "fetches URLs"),
    ("web_search", Tier::Read, "searches the web"),
];

fn words(text: &str) -> Vec<String> {
    // camelCase boundaries become separators too: `sendEmail` → send, email.
    let mut spaced = String::with_capacity(text.len() + 8);
    let mut previous_lower = false;
    for c in text.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            spaced.push(' ');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        spaced.push(c);
    }
    spaced
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

fn keyword_of(word: &str) -> Option<(&'static str, Tier, bool)> {
    KEYWORDS.iter().copied().find(|(k, _, _)| {
        word == *k
            || ["s", "es", "ed", "d", "ing", "ion"]
                .iter()
                .any(|suffix| word.strip_suffix(suffix) == Some(k))
            || (k.len() >= 4
                && word.strip_suffix("ing").map(|w| format!("{w}e")).as_deref() == Some(k))
    })
}

/// Evidence from a name (`in_name`) or a description.
pub fn keyword_evidence(
    text: &str,
    what: &str,
    in_name: bool,
    path: &str,
    span: Option<TextSpan>,
) -> Vec<TierEvidence> {
    let mut out: Vec<TierEvidence> = Vec::new();
    for word in words(text) {
        let Some((keyword, tier, name_only)) = keyword_of(&word) else {
            continue;
        };
        if name_only && !in_name {
            continue;
        }
        if out.iter().any(|e| e.tier >= tier) {
            continue;
        }
        out.retain(|e| e.tier > tier);
        out.push(TierEvidence::new(
            tier,
            format!("{what} contains \"{keyword}\""),
            path,
            span,
        ));
    }
    out
}

/// Evidence from MCP annotations, with the specification's defaults for missing hints.
pub fn annotation_evidence(
    annotations: Option<Annotations>,
    path: &str,
    span: Option<TextSpan>,
) -> TierEvidence {
    let Some(a) = annotations else {
        return TierEvidence::new(
            Tier::WriteIrreversible,
            "no annotations: MCP defaults apply (readOnlyHint=false, destructiveHint=true)",
            path,
            span,
        );
    };
    if a.read_only == Some(true) {
        return TierEvidence::new(Tier::Read, "readOnlyHint=true", path, span);
    }
    let read_only = match a.read_only {
        Some(_) => "readOnlyHint=false",
        None => "readOnlyHint not declared (default false)",
    };
    match a.destructive {
        Some(false) if a.open_world == Some(false) => TierEvidence::new(
            Tier::WriteReversible,
            format!("{read_only}, destructiveHint=false, openWorldHint=false"),
            path,
            span,
        ),
        Some(false) => TierEvidence::new(
            Tier::ExternalSend,
            format!(
                "{read_only}, destructiveHint=false, {}",
                if a.open_world.is_some() {
                    "openWorldHint=true"
                } else {
                    "openWorldHint not declared (default true)"
                }
            ),
            path,
            span,
        ),
        Some(true) => TierEvidence::new(
            Tier::WriteIrreversible,
            format!("{read_only}, destructiveHint=true"),
            path,
            span,
        ),
        None => TierEvidence::new(
            Tier::WriteIrreversible,
            format!("{read_only}, destructiveHint not declared (default true)"),
            path,
            span,
        ),
    }
}

pub fn builtin_evidence(kind: &str, path: &str, span: Option<TextSpan>) -> Option<TierEvidence> {
    BUILTINS
        .iter()
        .filter(|(prefix, _, _)| kind.starts_with(prefix))
        .max_by_key(|(prefix, _, _)| prefix.len())
        .map(|(_, tier, what)| {
            TierEvidence::new(*tier, format!("built-in tool `{kind}` {what}"), path, span)
        })
}

pub fn package_evidence(name: &str, path: &str, span: Option<TextSpan>) -> Option<TierEvidence> {
    let i = KNOWN_PACKAGES
        .binary_search_by(|(p, _, _)| (*p).cmp(name))
        .ok()?;
    let (package, tier, what) = KNOWN_PACKAGES[i];
    Some(TierEvidence::new(
        tier,
        format!("known server package {package}: {what}"),
        path,
        span,
    ))
}

/// A filesystem root that gives a file-writing server the whole machine or home directory.
pub fn is_broad_root(path: &str) -> bool {
    let p = path.trim_end_matches(['/', '\\']);
    p.is_empty()
        || p == "~"
        || p == "${HOME}"
        || p == "$HOME"
        || p == "/home"
        || p == "/Users"
        || (p.len() == 2 && p.as_bytes()[1] == b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        let keys: Vec<&str> = KEYWORDS.iter().map(|k| k.0).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(keys, sorted);
        let packages: Vec<&str> = KNOWN_PACKAGES.iter().map(|k| k.0).collect();
        let mut sorted = packages.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(packages, sorted);
        let builtins: Vec<&str> = BUILTINS.iter().map(|k| k.0).collect();
        let mut sorted = builtins.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(builtins, sorted);
    }

    #[test]
    fn tiers_are_ordered_and_parse() {
        assert!(Tier::Read < Tier::WriteReversible);
        assert!(Tier::ExternalSend < Tier::WriteIrreversible);
        assert!(Tier::Financial < Tier::Execute);
        for t in Tier::ALL {
            assert_eq!(Tier::parse(t.as_str()), Some(t));
        }
        assert_eq!(Tier::parse("write"), None);
    }

    #[test]
    fn names_and_descriptions() {
        let best = |text: &str, in_name| {
            keyword_evidence(text, "name", in_name, "p", None)
                .into_iter()
                .map(|e| e.tier)
                .max()
        };
        assert_eq!(best("refund_order", true), Some(Tier::Financial));
        assert_eq!(best("sendEmail", true), Some(Tier::ExternalSend));
        assert_eq!(best("purge_cache", true), Some(Tier::WriteIrreversible));
        assert_eq!(best("run_shell", true), Some(Tier::Execute));
        assert_eq!(best("get_invoice", true), None);
        assert_eq!(
            best("Deletes old rows", false),
            Some(Tier::WriteIrreversible)
        );
        assert_eq!(best("Run a query", false), None);
        assert_eq!(best("postgres", true), None);
        assert_eq!(best("sending", true), Some(Tier::ExternalSend));
    }

    #[test]
    fn annotation_defaults_are_worst_case() {
        assert_eq!(
            annotation_evidence(None, "p", None).tier,
            Tier::WriteIrreversible
        );
        let ro = Annotations {
            read_only: Some(true),
            ..Annotations::default()
        };
        assert_eq!(annotation_evidence(Some(ro), "p", None).tier, Tier::Read);
        let soft = Annotations {
            read_only: Some(false),
            destructive: Some(false),
            open_world: Some(false),
            ..Annotations::default()
        };
        assert_eq!(
            annotation_evidence(Some(soft), "p", None).tier,
            Tier::WriteReversible
        );
        let open = Annotations {
            destructive: Some(false),
            ..Annotations::default()
        };
        assert_eq!(
            annotation_evidence(Some(open), "p", None).tier,
            Tier::ExternalSend
        );
    }

    #[test]
    fn builtins_and_packages() {
        assert_eq!(
            builtin_evidence("bash_20250124", "p", None).unwrap().tier,
            Tier::Execute
        );
        assert_eq!(
            builtin_evidence("web_search_preview", "p", None)
                .unwrap()
                .tier,
            Tier::Read
        );
        assert_eq!(
            builtin_evidence("text_editor_20250728", "p", None)
                .unwrap()
                .tier,
            Tier::WriteIrreversible
        );
        assert_eq!(
            package_evidence("@stripe/mcp", "p", None).unwrap().tier,
            Tier::Financial
        );
        assert!(package_evidence("acme", "p", None).is_none());
        assert!(is_broad_root("/") && is_broad_root("~") && is_broad_root("C:\\"));
        assert!(!is_broad_root("/srv/acme/docs"));
    }
}
