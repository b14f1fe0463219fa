//! Blast-radius tiers and the evidence that sets a tool's minimum tier.
//!
//! Inference is conservative: every piece of evidence that counts proposes a tier and the tool
//! gets the highest. Missing MCP annotations mean the worst case the MCP specification gives
//! (`readOnlyHint=false`, `destructiveHint=true`, `openWorldHint=true`). The tables here are
//! sorted and test-guarded; they are facts about names, not judgements about a repository.
//!
//! Evidence is ranked by how directly it shows what a call can do ([`EvidenceKind`], strongest
//! first):
//!
//! 1. facts about what runs: a built-in tool type, a known server package, how a server is
//!    launched (a shell, container flags, host mounts, filesystem roots) and the tools a server
//!    provides;
//! 2. names of tools and servers: the words a tool is called by (`delete_file`, `run_shell`);
//! 3. MCP annotations the author declared;
//! 4. descriptions: prose, where a word is often the object or the subject of someone else's
//!    action ("returns the email", "the client executes").
//!
//! Facts, names and annotations always count. Annotations that bound a tool — `readOnlyHint:
//! true`, or `destructiveHint: false` — outrank descriptions: description words then stay in the
//! evidence as notes and set no minimum. Annotations that bound nothing (`destructiveHint:
//! true`, or only defaults) leave descriptions counting, since no MCP hint can say that a tool
//! moves money or runs code. Nothing here reads a tool's body: the code it runs is not evidence
//! yet.
//!
//! Words are matched as words, not substrings, and only in forms that keep their meaning
//! ([`WordClass`]): "runs" in `list_training_runs` is a noun, not the verb `run`. A name led by a
//! read verb (`get_`, `list_` …) names what it reads: the words after it count only as a second
//! verb (`get_or_create_user`). In descriptions a verb counts only where the description says the
//! tool does it — leading a sentence ("Executes a command", "Send an email to …"), or joined to a
//! verb by and/or/then ("Lists files and deletes them") — and never after a negation ("does not
//! send"); a noun (`shell`, `webhook`) counts only in a sentence a verb from the table leads ("Run a
//! shell command").

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

/// What a piece of evidence was read from, strongest first (the ranking in the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A built-in type, a known package, a launch setting, a provided tool.
    Fact,
    /// A word of a tool's or server's name.
    Name,
    /// MCP annotations, declared or defaulted.
    Annotations,
    /// A word of a tool's description.
    Description,
}

/// One reason for a minimum tier, with where it was read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TierEvidence {
    pub tier: Tier,
    pub reason: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<TextSpan>,
    pub kind: EvidenceKind,
    /// The stronger evidence that makes this a note rather than a minimum (`readOnlyHint=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outranked_by: Option<String>,
}

impl TierEvidence {
    /// A fact about what runs; [`keyword_evidence`] and [`annotation_evidence`] make the others.
    pub fn new(tier: Tier, reason: impl Into<String>, path: &str, span: Option<TextSpan>) -> Self {
        TierEvidence::of_kind(EvidenceKind::Fact, tier, reason, path, span)
    }

    fn of_kind(
        kind: EvidenceKind,
        tier: Tier,
        reason: impl Into<String>,
        path: &str,
        span: Option<TextSpan>,
    ) -> Self {
        TierEvidence {
            tier,
            reason: reason.into(),
            path: path.to_owned(),
            span,
            kind,
            outranked_by: None,
        }
    }

    /// True when the evidence sets a minimum tier; false for a note.
    pub fn counts(&self) -> bool {
        self.outranked_by.is_none()
    }

    /// `name contains "refund" (agents/tools.py:7)`.
    pub fn describe(&self) -> String {
        match self.span {
            Some(s) => format!("{} ({}:{})", self.reason, self.path, s.line),
            None => format!("{} ({})", self.reason, self.path),
        }
    }
}

/// How a keyword is used as a word, which decides the forms of it that are read as it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordClass {
    /// An action whose inflected forms are still that action: `deletes`, `deleted`, `sending`.
    Verb,
    /// An action that is also a common noun: in names only the plain word counts (`runs` is the
    /// noun in `list_training_runs`); in descriptions the plain word and the third person, in the
    /// place of a verb ("Emails the report", not "Returns the emails").
    VerbOrNoun,
    /// A thing: the plain word and its plural count; in descriptions only as the object of a
    /// verb from the table.
    Noun,
}

/// Words in tool and server names (and, unless marked name-only, descriptions) that set a
/// minimum tier. Sorted by word.
pub static KEYWORDS: &[(&str, Tier, bool, WordClass)] = &[
    ("add", Tier::WriteReversible, true, WordClass::Verb),
    ("append", Tier::WriteReversible, true, WordClass::Verb),
    ("bash", Tier::Execute, false, WordClass::Noun),
    ("billing", Tier::Financial, true, WordClass::Noun),
    ("charge", Tier::Financial, false, WordClass::VerbOrNoun),
    ("cmd", Tier::Execute, true, WordClass::Noun),
    ("command", Tier::Execute, true, WordClass::Noun),
    ("commit", Tier::WriteReversible, true, WordClass::VerbOrNoun),
    ("create", Tier::WriteReversible, true, WordClass::Verb),
    ("delete", Tier::WriteIrreversible, false, WordClass::Verb),
    ("destroy", Tier::WriteIrreversible, false, WordClass::Verb),
    (
        "drop",
        Tier::WriteIrreversible,
        false,
        WordClass::VerbOrNoun,
    ),
    ("edit", Tier::WriteReversible, true, WordClass::VerbOrNoun),
    ("email", Tier::ExternalSend, false, WordClass::VerbOrNoun),
    ("erase", Tier::WriteIrreversible, false, WordClass::Verb),
    ("eval", Tier::Execute, false, WordClass::VerbOrNoun),
    ("exec", Tier::Execute, false, WordClass::VerbOrNoun),
    ("execute", Tier::Execute, false, WordClass::Verb),
    ("insert", Tier::WriteReversible, true, WordClass::Verb),
    ("interpreter", Tier::Execute, false, WordClass::Noun),
    ("kill", Tier::WriteIrreversible, true, WordClass::VerbOrNoun),
    ("mail", Tier::ExternalSend, false, WordClass::VerbOrNoun),
    ("modify", Tier::WriteReversible, true, WordClass::Verb),
    ("move", Tier::WriteReversible, true, WordClass::VerbOrNoun),
    ("notify", Tier::ExternalSend, false, WordClass::Verb),
    ("overwrite", Tier::WriteIrreversible, false, WordClass::Verb),
    ("patch", Tier::WriteReversible, true, WordClass::VerbOrNoun),
    ("pay", Tier::Financial, true, WordClass::Verb),
    ("payment", Tier::Financial, false, WordClass::Noun),
    ("payout", Tier::Financial, false, WordClass::Noun),
    ("post", Tier::ExternalSend, true, WordClass::VerbOrNoun),
    ("publish", Tier::ExternalSend, false, WordClass::Verb),
    ("purge", Tier::WriteIrreversible, false, WordClass::Verb),
    ("refund", Tier::Financial, false, WordClass::VerbOrNoun),
    ("remove", Tier::WriteIrreversible, false, WordClass::Verb),
    ("rename", Tier::WriteReversible, true, WordClass::Verb),
    ("repl", Tier::Execute, false, WordClass::Noun),
    ("rm", Tier::WriteIrreversible, true, WordClass::Verb),
    ("run", Tier::Execute, true, WordClass::VerbOrNoun),
    ("save", Tier::WriteReversible, true, WordClass::VerbOrNoun),
    ("script", Tier::Execute, true, WordClass::Noun),
    ("send", Tier::ExternalSend, false, WordClass::Verb),
    ("shell", Tier::Execute, false, WordClass::Noun),
    ("sms", Tier::ExternalSend, false, WordClass::Noun),
    ("stripe", Tier::Financial, false, WordClass::Noun),
    ("subprocess", Tier::Execute, false, WordClass::Noun),
    ("terminal", Tier::Execute, false, WordClass::Noun),
    ("transfer", Tier::Financial, false, WordClass::VerbOrNoun),
    ("truncate", Tier::WriteIrreversible, false, WordClass::Verb),
    ("tweet", Tier::ExternalSend, false, WordClass::VerbOrNoun),
    ("update", Tier::WriteReversible, true, WordClass::VerbOrNoun),
    ("upload", Tier::WriteReversible, true, WordClass::VerbOrNoun),
    ("webhook", Tier::ExternalSend, false, WordClass::Noun),
    ("wipe", Tier::WriteIrreversible, false, WordClass::Verb),
    ("write", Tier::WriteReversible, true, WordClass::Verb),
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

/// Words that lead a name that only reads what the rest of the name says (`list_training_runs`,
/// `get_email`). Sorted.
pub static READ_VERBS: &[&str] = &[
    "browse", "count", "describe", "fetch", "find", "get", "inspect", "list", "lookup", "query",
    "read", "retrieve", "search", "show", "view",
];

/// Words that join a second verb to the first (`get_or_create`, "lists files and deletes them").
/// Sorted.
static CONJUNCTIONS: &[&str] = &["also", "and", "or", "then"];
/// Words that begin a verb's object: determiners and object pronouns. Sorted.
static OBJECT_STARTS: &[&str] = &[
    "a", "all", "an", "any", "each", "every", "it", "its", "that", "the", "their", "them", "these",
    "this", "those",
];

/// Phrases that stand before a description's verb ("This tool can send …"). Sorted.
static LEAD_INS: &[&str] = &[
    "a tool that",
    "a tool to",
    "allows the agent to",
    "allows the model to",
    "allows you to",
    "also",
    "can",
    "it",
    "lets the agent",
    "lets the model",
    "lets you",
    "the function",
    "the tool",
    "this function",
    "this tool",
    "tool that",
    "tool to",
    "use this to",
    "use this tool to",
    "use to",
    "used to",
    "will",
    "you can",
];

/// Words after which a verb does not happen: "does not send", "nothing is deleted". Sorted.
static NEGATIONS: &[&str] = &[
    "cannot", "doesn", "don", "isn", "neither", "never", "no", "nor", "not", "nothing", "without",
    "won",
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

/// The form a word takes of a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `send`.
    Plain,
    /// `sends`, `emails`: a verb's third person or a noun's plural.
    WithS,
    /// The past and the -ing form: `deleted`, `deleting` (not irregular ones such as `sent`).
    OtherInflection,
}

#[derive(Debug, Clone, Copy)]
struct Match {
    keyword: &'static str,
    tier: Tier,
    name_only: bool,
    class: WordClass,
    form: Form,
}

fn keyword_of(word: &str) -> Option<Match> {
    KEYWORDS
        .iter()
        .find_map(|&(keyword, tier, name_only, class)| {
            let form = if word == keyword {
                Form::Plain
            } else if ["s", "es"]
                .iter()
                .any(|suffix| word.strip_suffix(suffix) == Some(keyword))
            {
                Form::WithS
            } else if ["ed", "d", "ing"]
                .iter()
                .any(|suffix| word.strip_suffix(suffix) == Some(keyword))
                || (keyword.len() >= 4
                    && word.strip_suffix("ing").map(|w| format!("{w}e")).as_deref()
                        == Some(keyword))
            {
                Form::OtherInflection
            } else {
                return None;
            };
            Some(Match {
                keyword,
                tier,
                name_only,
                class,
                form,
            })
        })
}

/// A keyword in a name, in a form that keeps its meaning there.
fn name_keyword(word: &str) -> Option<Match> {
    keyword_of(word).filter(|m| match m.class {
        WordClass::Verb => true,
        WordClass::VerbOrNoun => m.form == Form::Plain,
        WordClass::Noun => m.form != Form::OtherInflection,
    })
}

/// A keyword verb in a form that says the tool does it: "send", "sends", not "sent", "sending".
fn verb_keyword(word: &str) -> Option<Match> {
    keyword_of(word).filter(|m| m.class != WordClass::Noun && m.form != Form::OtherInflection)
}

/// Keywords of a name: all of them, unless a read verb leads it; then only verbs joined to it.
fn name_keywords(words: &[String]) -> Vec<Match> {
    let read_led = words
        .first()
        .is_some_and(|w| READ_VERBS.binary_search(&w.as_str()).is_ok());
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if read_led {
            let joined = i > 0 && CONJUNCTIONS.binary_search(&words[i - 1].as_str()).is_ok();
            if let Some(m) = verb_keyword(word).filter(|_| joined) {
                out.push(m);
            }
        } else if let Some(m) = name_keyword(word) {
            out.push(m);
        }
    }
    out
}

/// Where a clause's own words start, after lead-ins such as "This tool can".
fn after_lead_ins(words: &[String]) -> usize {
    let mut start = 0;
    loop {
        let longest = LEAD_INS
            .iter()
            .map(|phrase| phrase.split(' ').collect::<Vec<_>>())
            .filter(|phrase| {
                words.len() >= start + phrase.len()
                    && phrase.iter().zip(&words[start..]).all(|(p, w)| p == w)
            })
            .map(|phrase| phrase.len())
            .max();
        match longest {
            Some(n) => start += n,
            None => return start,
        }
    }
}

/// Keywords a description says the tool does: the verb leading each sentence or clause, verbs
/// joined to it, and nouns in a clause a keyword verb leads. Negated verbs do not count.
fn description_keywords(text: &str) -> Vec<Match> {
    let mut out = Vec::new();
    let mut text = text.to_ascii_lowercase();
    for abbreviation in ["e.g.", "i.e.", "etc.", "vs."] {
        text = text.replace(abbreviation, " ");
    }
    for clause in text.split(['.', ';', '!', '?', '\n']) {
        let words = words(clause);
        let start = after_lead_ins(&words);
        let lead = words.get(start).and_then(|w| verb_keyword(w));
        out.extend(lead);
        for (i, word) in words.iter().enumerate().skip(start + 1) {
            if NEGATIONS.binary_search(&word.as_str()).is_ok() {
                break;
            }
            let joined = CONJUNCTIONS.binary_search(&words[i - 1].as_str()).is_ok();
            // A word that is also a noun acts as a verb when an object follows it ("and refund
            // the charge"), not in a list of things ("the name and email of a user").
            let takes_object = words
                .get(i + 1)
                .is_some_and(|next| OBJECT_STARTS.binary_search(&next.as_str()).is_ok());
            match keyword_of(word) {
                Some(m)
                    if m.form != Form::OtherInflection
                        && joined
                        && (m.class == WordClass::Verb
                            || (m.class == WordClass::VerbOrNoun && takes_object)) =>
                {
                    out.push(m);
                }
                Some(m)
                    if m.class == WordClass::Noun
                        && m.form != Form::OtherInflection
                        && lead.is_some() =>
                {
                    out.push(m);
                }
                _ => {}
            }
        }
    }
    out
}

/// Evidence from a name (`in_name`) or a description.
pub fn keyword_evidence(
    text: &str,
    what: &str,
    in_name: bool,
    path: &str,
    span: Option<TextSpan>,
) -> Vec<TierEvidence> {
    let (kind, found) = if in_name {
        (EvidenceKind::Name, name_keywords(&words(text)))
    } else {
        (EvidenceKind::Description, description_keywords(text))
    };
    let mut out: Vec<TierEvidence> = Vec::new();
    for m in found {
        if m.name_only && !in_name {
            continue;
        }
        if out.iter().any(|e| e.tier >= m.tier) {
            continue;
        }
        out.retain(|e| e.tier > m.tier);
        out.push(TierEvidence::of_kind(
            kind,
            m.tier,
            format!("{what} contains \"{}\"", m.keyword),
            path,
            span,
        ));
    }
    out
}

/// The declared hint that bounds a tool's tier from above, and so outranks its description:
/// `readOnlyHint=true` or `destructiveHint=false`. Other hints, and defaults, bound nothing.
pub fn annotation_bound(annotations: Option<Annotations>) -> Option<&'static str> {
    let a = annotations?;
    if a.read_only == Some(true) {
        Some("readOnlyHint=true")
    } else if a.destructive == Some(false) {
        Some("destructiveHint=false")
    } else {
        None
    }
}

/// Evidence from MCP annotations, with the specification's defaults for missing hints.
pub fn annotation_evidence(
    annotations: Option<Annotations>,
    path: &str,
    span: Option<TextSpan>,
) -> TierEvidence {
    let Some(a) = annotations else {
        return TierEvidence::of_kind(
            EvidenceKind::Annotations,
            Tier::WriteIrreversible,
            "no annotations: MCP defaults apply (readOnlyHint=false, destructiveHint=true)",
            path,
            span,
        );
    };
    if a.read_only == Some(true) {
        return TierEvidence::of_kind(
            EvidenceKind::Annotations,
            Tier::Read,
            "readOnlyHint=true",
            path,
            span,
        );
    }
    let read_only = match a.read_only {
        Some(_) => "readOnlyHint=false",
        None => "readOnlyHint not declared (default false)",
    };
    match a.destructive {
        Some(false) if a.open_world == Some(false) => TierEvidence::of_kind(
            EvidenceKind::Annotations,
            Tier::WriteReversible,
            format!("{read_only}, destructiveHint=false, openWorldHint=false"),
            path,
            span,
        ),
        Some(false) => TierEvidence::of_kind(
            EvidenceKind::Annotations,
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
        Some(true) => TierEvidence::of_kind(
            EvidenceKind::Annotations,
            Tier::WriteIrreversible,
            format!("{read_only}, destructiveHint=true"),
            path,
            span,
        ),
        None => TierEvidence::of_kind(
            EvidenceKind::Annotations,
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

    fn strongest(text: &str, in_name: bool) -> Option<Tier> {
        keyword_evidence(text, "text", in_name, "p", None)
            .into_iter()
            .map(|e| e.tier)
            .max()
    }

    #[test]
    fn inflected_forms_count_only_for_words_that_stay_verbs() {
        // Nouns made from verbs set nothing: the runs of `list_training_runs`, a running job.
        assert_eq!(strongest("training_runs", true), None);
        assert_eq!(strongest("running_jobs", true), None);
        assert_eq!(strongest("blog_posts", true), None);
        assert_eq!(strongest("evals_summary", true), None);
        assert_eq!(strongest("pending_updates", true), None);
        // Verbs keep their forms, nouns their plurals.
        assert_eq!(
            strongest("deleted_rows", true),
            Some(Tier::WriteIrreversible)
        );
        assert_eq!(strongest("shell_scripts", true), Some(Tier::Execute));
        assert_eq!(strongest("webhooks", true), Some(Tier::ExternalSend));
    }

    #[test]
    fn a_read_verb_leading_a_name_makes_the_rest_its_object() {
        assert_eq!(strongest("list_training_runs", true), None);
        assert_eq!(strongest("get_email", true), None);
        assert_eq!(strongest("listPayments", true), None);
        assert_eq!(strongest("search_shell_history", true), None);
        // A second verb still counts.
        assert_eq!(
            strongest("get_or_create_user", true),
            Some(Tier::WriteReversible)
        );
        assert_eq!(
            strongest("read_and_delete_messages", true),
            Some(Tier::WriteIrreversible)
        );
        // Names that do not start by reading keep every keyword.
        assert_eq!(strongest("run_shell", true), Some(Tier::Execute));
        assert_eq!(strongest("send_email", true), Some(Tier::ExternalSend));
        assert_eq!(strongest("customer_email", true), Some(Tier::ExternalSend));
        assert_eq!(strongest("run", true), Some(Tier::Execute));
    }

    #[test]
    fn descriptions_count_the_verbs_the_tool_does() {
        assert_eq!(
            strongest("Executes a shell command.", false),
            Some(Tier::Execute)
        );
        assert_eq!(
            strongest("Send an email to the account owner", false),
            Some(Tier::ExternalSend)
        );
        assert_eq!(strongest("Run a shell command", false), Some(Tier::Execute));
        assert_eq!(
            strongest("Refund part or all of an order", false),
            Some(Tier::Financial)
        );
        assert_eq!(
            strongest("This tool can delete files under the root", false),
            Some(Tier::WriteIrreversible)
        );
        assert_eq!(
            strongest("Lists the drafts and publishes the oldest", false),
            Some(Tier::ExternalSend)
        );
        assert_eq!(
            strongest("Looks up the order. Emails the receipt", false),
            Some(Tier::ExternalSend)
        );
        // A word that is also a noun, joined to a verb and taking an object, is a verb.
        assert_eq!(
            strongest("Look up an order by id and refund the charge.", false),
            Some(Tier::Financial)
        );
    }

    #[test]
    fn descriptions_do_not_count_objects_subjects_or_negations() {
        let silent = [
            "Queues a job that the client executes later; nothing is removed or sent.",
            "Returns the email address and phone number stored for an Acme customer.",
            "Returns the name and email of a user",
            "List completed training runs, newest first.",
            "Returns the runs of a project",
            "Does not send anything",
            "Reads a file. It does not create or delete files",
            "Deleted rows are kept for 30 days",
            "Returns the shell history of a session",
            "Summarises the ticket, e.g. send dates and owners",
            "Run a query",
        ];
        for text in silent {
            assert_eq!(strongest(text, false), None, "{text}");
        }
    }

    #[test]
    fn only_bounding_hints_outrank_descriptions() {
        let hints = |read_only, destructive, open_world| {
            annotation_bound(Some(Annotations {
                read_only,
                destructive,
                open_world,
                ..Annotations::default()
            }))
        };
        assert_eq!(hints(Some(true), None, None), Some("readOnlyHint=true"));
        assert_eq!(
            hints(Some(false), Some(false), Some(false)),
            Some("destructiveHint=false")
        );
        assert_eq!(
            hints(None, Some(false), None),
            Some("destructiveHint=false")
        );
        // Hints at the top of what MCP can say, and defaults, bound nothing.
        assert_eq!(hints(Some(false), Some(true), Some(false)), None);
        assert_eq!(hints(None, None, Some(false)), None);
        assert_eq!(annotation_bound(None), None);
    }

    #[test]
    fn word_tables_are_sorted() {
        for table in [READ_VERBS, CONJUNCTIONS, LEAD_INS, NEGATIONS, OBJECT_STARTS] {
            let mut sorted = table.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(table, sorted.as_slice());
        }
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
