//! Agent tools in the inventory: MCP servers (`tool-provider`), the tools they and the code
//! define (`tool`), `provides_tool` relations, and for each the minimum blast-radius tier the
//! evidence supports.
//!
//! Built from parsed MCP configs and tool definitions (`artifact::mcp`, `tool_json`,
//! `tool_code`); the `[[tool]]` registry is compared with this by the TOOL rules. Nothing here
//! reads files or keeps a secret value: literal secrets arrive already redacted.

pub mod code_servers;
pub mod tier;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::artifact::mcp::{McpServer, Package, SecretLocation};
use crate::artifact::parsed::{Artifact, ParsedFile};
use crate::artifact::text::TextSpan;
use crate::artifact::tool_code::SourceTools;
use crate::artifact::tool_json::{Annotations, Dialect, ToolDecl};
use crate::inventory::{
    Component, ComponentKind, Confidence, Evidence, Inventory, Relation, RelationKind,
};
pub use tier::{Tier, TierEvidence};

/// Where a tool is defined or configured.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ToolSource {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<TextSpan>,
    /// `mcp-config`, `fastmcp`, `openai-function` …
    pub how: &'static str,
}

/// A setting that lets a tool run without a human approving each call.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AutoApproval {
    /// `alwaysAllow`, `autoApprove`, `require_approval: "never"`, `needs_approval=False`.
    pub setting: &'static str,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<TextSpan>,
}

/// A literal secret in an MCP server's launch configuration; the value is never kept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SecretSite {
    pub path: String,
    /// `env`, `headers` or `args`.
    pub field: &'static str,
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<TextSpan>,
}

/// A package a launcher runs, with where it is configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageSite {
    pub path: String,
    pub package: Package,
}

/// One tool or tool provider, merged over every file that mentions it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentTool {
    /// `mcp:<server>`, `mcp:<server>/<tool>`, `fn:<name>` or `builtin:<type>`.
    pub id: String,
    /// The inventory component (`tool:<id>` or `tool-provider:<id>`).
    pub component: String,
    pub is_provider: bool,
    /// The provider's tool id, for tools of an MCP server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The minimum tier the evidence supports (the highest of `evidence` that counts).
    pub tier: Tier,
    pub evidence: Vec<TierEvidence>,
    pub sources: Vec<ToolSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    pub auto_approval: Vec<AutoApproval>,
    pub secrets: Vec<SecretSite>,
    pub packages: Vec<PackageSite>,
    /// MCP servers: transport, url, environment keys (names only), filesystem paths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub env_keys: Vec<String>,
    pub paths: Vec<String>,
    pub disabled: bool,
    /// The index in `sources` of the definition findings point at: the one that supplied the
    /// evidence that sets the tier, where several define the tool.
    #[serde(skip)]
    anchor: usize,
    /// The description each definition gives, by where it is.
    #[serde(skip)]
    site_descriptions: Vec<(String, Option<TextSpan>, String)>,
}

impl AgentTool {
    fn new(id: &str, is_provider: bool) -> AgentTool {
        let kind = if is_provider {
            ComponentKind::ToolProvider
        } else {
            ComponentKind::Tool
        };
        AgentTool {
            id: id.to_owned(),
            component: format!("{}:{id}", kind.as_str()),
            is_provider,
            provider: None,
            tier: Tier::Read,
            evidence: Vec::new(),
            sources: Vec::new(),
            description: None,
            annotations: None,
            auto_approval: Vec::new(),
            secrets: Vec::new(),
            packages: Vec::new(),
            transport: None,
            url: None,
            env_keys: Vec::new(),
            paths: Vec::new(),
            disabled: false,
            anchor: 0,
            site_descriptions: Vec::new(),
        }
    }

    /// Where the tool is defined, for findings: of several definitions (two `@tool def
    /// cleanup` in two files), the one whose evidence sets the tier, else the first.
    pub fn location(&self) -> Option<&ToolSource> {
        self.sources.get(self.anchor).or(self.sources.first())
    }

    /// The places code defines the tool (configurations that only name it left out), when
    /// there is more than one: `reports.py:5`.
    pub fn definition_sites(&self) -> Vec<String> {
        let sites: Vec<String> = (self.sources.iter())
            .filter(|s| !s.how.starts_with("mcp-config"))
            .map(|s| match s.span {
                Some(span) => format!("{}:{}", s.path, span.line),
                None => s.path.clone(),
            })
            .collect();
        if sites.len() > 1 { sites } else { Vec::new() }
    }

    /// Anchor a tool defined in several places on the definition that supplied the evidence
    /// setting its tier, and take that definition's description. `sources` are sorted.
    fn anchor_on_evidence(&mut self) {
        if self.is_provider || self.definition_sites().is_empty() {
            return;
        }
        let found = self
            .deciding_evidence()
            .find_map(|e| (self.sources.iter()).position(|s| s.path == e.path && s.span == e.span));
        let Some(anchor) = found else { return };
        self.anchor = anchor;
        let at = &self.sources[anchor];
        if let Some((_, _, description)) = (self.site_descriptions.iter())
            .find(|(path, span, _)| *path == at.path && *span == at.span)
        {
            self.description = Some(description.clone());
        }
    }

    /// The evidence that sets the tier, most severe first.
    pub fn deciding_evidence(&self) -> impl Iterator<Item = &TierEvidence> {
        self.evidence
            .iter()
            .filter(move |e| e.counts() && e.tier == self.tier)
    }

    /// Evidence that stronger evidence outranks: it would have raised the tier.
    pub fn outranked_evidence(&self) -> impl Iterator<Item = &TierEvidence> {
        self.evidence
            .iter()
            .filter(move |e| !e.counts() && e.tier > self.tier)
    }
}

/// True when a file holds a literal secret (TOOL006): reporters must not quote its text.
pub fn holds_literal_secret(inv: &Inventory, path: &str) -> bool {
    inv.agent_tools
        .values()
        .any(|t| t.secrets.iter().any(|s| s.path == path))
}

/// The source files whose declarations `keep` selects, by path, to be completed from one another.
fn sources_where(
    files: &mut [ParsedFile],
    keep: impl Fn(&SourceTools) -> bool,
) -> Vec<(&str, &mut SourceTools)> {
    files
        .iter_mut()
        .filter_map(|f| match &mut f.artifact {
            Ok(Artifact::SourceTools(source)) if keep(source) => Some((f.path.as_str(), source)),
            _ => None,
        })
        .collect()
}

/// Gather every agent tool from the parsed files into the inventory: components, relations and
/// `Inventory::agent_tools`. Returns the relations for the inventory builder to add.
pub fn discover(inv: &mut Inventory) -> Vec<Relation> {
    let mut tools: BTreeMap<String, AgentTool> = BTreeMap::new();
    let mut file_components: Vec<(usize, String)> = Vec::new();
    // Files of tool declarations and the tool that stands for each: the provider of its first
    // declaration (an MCP server written in code, known once every declaration is in) or that
    // declaration's own tool.
    let mut declaring_files: Vec<(usize, String)> = Vec::new();
    let mut go_sources = sources_where(&mut inv.files, |source| source.go_scope.is_some());
    code_servers::resolve_go_package_names(&mut go_sources, &inv.source_layout);
    let mut python_sources = sources_where(&mut inv.files, |source| source.python_links.is_some());
    code_servers::resolve_python_server_classes(&mut python_sources, &inv.source_layout);
    code_servers::resolve_python_tool_classes(&mut python_sources, &inv.source_layout);
    let sources: Vec<(&str, &SourceTools)> = inv
        .files
        .iter()
        .filter_map(|f| match &f.artifact {
            Ok(Artifact::SourceTools(source)) => Some((f.path.as_str(), source)),
            _ => None,
        })
        .collect();
    let servers_elsewhere = code_servers::servers_elsewhere(&sources, &inv.source_layout);
    let listed_elsewhere =
        code_servers::listed_elsewhere(&sources, &inv.source_layout, &servers_elsewhere);
    for (index, file) in inv.files.iter().enumerate() {
        let decls = match &file.artifact {
            Ok(Artifact::McpConfig(cfg)) => {
                for server in &cfg.servers {
                    add_server(&mut tools, &file.path, server);
                }
                if let Some(first) = cfg.servers.first() {
                    file_components.push((index, format!("tool-provider:mcp:{}", first.name)));
                }
                continue;
            }
            Ok(Artifact::Tools(decls)) => Cow::Borrowed(decls.as_slice()),
            Ok(Artifact::SourceTools(source)) => Cow::Owned(with_servers(
                &source.tools,
                servers_elsewhere.get(&file.path),
                listed_elsewhere.get(&file.path),
            )),
            _ => continue,
        };
        for decl in decls.iter() {
            add_decl(&mut tools, &file.path, decl);
        }
        if let Some(first) = decls.first() {
            let id = first.provider.as_ref().unwrap_or(&first.id);
            declaring_files.push((index, id.clone()));
        }
    }
    // Tools of servers that are not configured here still have a provider.
    let providers: Vec<(String, ToolSource)> = tools
        .values()
        .filter_map(|t| Some((t.provider.clone()?, t.sources.first()?.clone())))
        .collect();
    for (provider, source) in providers {
        let entry = tools
            .entry(provider.clone())
            .or_insert_with(|| AgentTool::new(&provider, true));
        if entry.sources.is_empty() {
            entry.sources.push(ToolSource {
                how: "mcp-server-code",
                ..source
            });
        }
    }
    file_components.extend(
        declaring_files
            .into_iter()
            .filter_map(|(index, id)| Some((index, tools.get(&id)?.component.clone()))),
    );
    infer_tiers(&mut tools);

    let mut relations = Vec::new();
    for tool in tools.values_mut() {
        tool.sources.sort();
        tool.sources.dedup();
        tool.evidence.sort();
        tool.evidence.dedup();
        tool.auto_approval.sort();
        tool.auto_approval.dedup();
        tool.secrets.sort();
        tool.secrets.dedup();
        tool.anchor_on_evidence();
        if let Some(provider) = &tool.provider {
            let source = tool.location();
            relations.push(Relation {
                from: format!("tool-provider:{provider}"),
                kind: RelationKind::ProvidesTool,
                to: tool.component.clone(),
                relation: None,
                confidence: Confidence::High,
                evidence: source
                    .map(|s| Evidence {
                        source: "tool definition",
                        path: s.path.clone(),
                        span: s.span,
                    })
                    .into_iter()
                    .collect(),
            });
        }
        inv.components
            .insert(tool.component.clone(), component_of(tool));
    }
    for (index, component) in file_components {
        if inv.files[index].component.is_none() {
            inv.files[index].component = Some(component);
        }
    }
    inv.agent_tools = tools;
    relations
}

/// A source file's tools, each tool of a server the file does not construct moved to the
/// servers discovery found for it (one copy per server), and the tools of the file that a
/// server of another file lists (`listed`): those replace the file's own reading of the same
/// tool object for a server it does not construct.
fn with_servers(
    decls: &[ToolDecl],
    answer: Option<&code_servers::Answer>,
    listed: Option<&Vec<ToolDecl>>,
) -> Vec<ToolDecl> {
    let listed = listed.map_or(&[][..], Vec::as_slice);
    let listed_at: HashSet<Option<TextSpan>> = listed.iter().map(|tool| tool.span).collect();
    let mut out = Vec::with_capacity(decls.len() + listed.len());
    for (index, decl) in decls.iter().enumerate() {
        if decl.server_elsewhere && listed_at.contains(&decl.span) {
            continue;
        }
        let servers = answer.map_or(&[][..], |answer| answer.of(index));
        match servers {
            [_, ..] if decl.server_elsewhere => {
                out.extend(servers.iter().map(|server| ToolDecl {
                    id: format!("mcp:{server}/{}", decl.name),
                    provider: Some(format!("mcp:{server}")),
                    ..decl.clone()
                }));
            }
            _ => out.push(decl.clone()),
        }
    }
    out.extend(listed.iter().cloned());
    out.sort_by_key(|t| t.span.map(|s| s.offset));
    out
}

fn add_server(tools: &mut BTreeMap<String, AgentTool>, path: &str, server: &McpServer) {
    let id = format!("mcp:{}", server.name);
    let tool = tools
        .entry(id.clone())
        .or_insert_with(|| AgentTool::new(&id, true));
    tool.sources.push(ToolSource {
        path: path.to_owned(),
        span: server.span,
        how: "mcp-config",
    });
    // The same server in several client configs: each transport they name (`stdio+http`).
    tool.transport = match (tool.transport.take(), &server.transport) {
        (Some(known), Some(more)) if !known.split('+').any(|t| t == more) => {
            let mut all: Vec<&str> = known.split('+').chain([more.as_str()]).collect();
            all.sort_unstable();
            Some(all.join("+"))
        }
        (known, more) => known.or_else(|| more.clone()),
    };
    tool.url = tool.url.take().or_else(|| server.url.clone());
    tool.env_keys
        .extend(server.env.iter().map(|kv| kv.key.clone()));
    tool.env_keys.sort();
    tool.env_keys.dedup();
    tool.paths.extend(server.paths.iter().cloned());
    tool.paths.sort();
    tool.paths.dedup();
    tool.disabled |= server.disabled;
    for SecretLocation { field, key, span } in &server.secrets {
        tool.secrets.push(SecretSite {
            path: path.to_owned(),
            field,
            key: key.clone(),
            span: *span,
        });
    }
    if let Some(package) = &server.package {
        tool.packages.push(PackageSite {
            path: path.to_owned(),
            package: package.clone(),
        });
    }
    let setting = server.auto_approve_key.unwrap_or("alwaysAllow");
    for name in &server.auto_approve {
        let approval = AutoApproval {
            setting,
            path: path.to_owned(),
            span: server.auto_approve_span,
        };
        if name == "*" {
            if let Some(t) = tools.get_mut(&id) {
                t.auto_approval.push(approval);
            }
            continue;
        }
        let tool_id = format!("{id}/{name}");
        let tool = tools
            .entry(tool_id.clone())
            .or_insert_with(|| AgentTool::new(&tool_id, false));
        tool.provider = Some(id.clone());
        tool.sources.push(ToolSource {
            path: path.to_owned(),
            span: server.auto_approve_span,
            how: "mcp-config-auto-approve",
        });
        tool.auto_approval.push(approval);
    }
    // Evidence that needs the server's launch facts.
    let server_tool = tools.get_mut(&id).expect("inserted above");
    let span = server.span;
    if let Some(package) = &server.package
        && let Some(e) = tier::package_evidence(&package.name, path, package.span.or(span))
    {
        let is_file_server = package.name.ends_with("server-filesystem");
        server_tool.evidence.push(e);
        if is_file_server {
            for root in server.paths.iter().filter(|p| tier::is_broad_root(p)) {
                server_tool.evidence.push(TierEvidence::new(
                    Tier::Execute,
                    format!(
                        "filesystem server rooted at `{root}`: can overwrite shell profiles and programs"
                    ),
                    path,
                    span,
                ));
            }
        }
    }
    let is_container = server
        .package
        .as_ref()
        .is_some_and(|p| p.launcher == "docker run");
    if is_container {
        for root in server.paths.iter().filter(|p| tier::is_broad_root(p)) {
            server_tool.evidence.push(TierEvidence::new(
                Tier::Execute,
                format!("container mounts the host path `{root}`"),
                path,
                span,
            ));
        }
    }
    for flag in &server.docker_flags {
        server_tool.evidence.push(TierEvidence::new(
            Tier::Execute,
            format!("container started with `{flag}`: reaches the host"),
            path,
            span,
        ));
    }
    if let Some(command) = &server.command {
        let program = command.rsplit(['/', '\\']).next().unwrap_or(command);
        if matches!(
            program,
            "bash" | "sh" | "zsh" | "cmd" | "cmd.exe" | "powershell" | "pwsh"
        ) {
            server_tool.evidence.push(TierEvidence::new(
                Tier::Execute,
                format!("launched through the shell `{program}`"),
                path,
                span,
            ));
        }
    }
    let name_evidence = tier::keyword_evidence(&server.name, "server name", true, path, span);
    server_tool.evidence.extend(name_evidence);
}

fn add_decl(tools: &mut BTreeMap<String, AgentTool>, path: &str, decl: &ToolDecl) {
    let is_provider = decl.dialect == Dialect::OpenaiHosted
        && decl.id.starts_with("mcp:")
        && !decl.id.contains('/');
    let tool = tools
        .entry(decl.id.clone())
        .or_insert_with(|| AgentTool::new(&decl.id, is_provider));
    if !is_provider {
        tool.provider = tool.provider.take().or_else(|| decl.provider.clone());
    }
    tool.sources.push(ToolSource {
        path: path.to_owned(),
        span: decl.span,
        how: decl.dialect.as_str(),
    });
    if tool.description.is_none() {
        tool.description = decl.description.clone();
    }
    if let Some(description) = &decl.description {
        (tool.site_descriptions).push((path.to_owned(), decl.span, description.clone()));
    }
    if tool.annotations.is_none() {
        tool.annotations = decl.annotations;
    }
    if is_provider {
        tool.url = tool.url.take().or_else(|| decl.url.clone());
    }
    if decl.auto_approved == Some(true) {
        tool.auto_approval.push(AutoApproval {
            setting: match decl.dialect {
                Dialect::FunctionTool => "needs_approval=False",
                _ => "require_approval: \"never\"",
            },
            path: path.to_owned(),
            span: decl.span,
        });
    }
    let name = decl.id.rsplit(['/', ':']).next().unwrap_or(&decl.name);
    match decl.dialect {
        Dialect::OpenaiHosted | Dialect::AnthropicBuiltin | Dialect::LangchainBuiltin
            if decl.id.starts_with("builtin:") =>
        {
            if let Some(e) = tier::builtin_evidence(name, path, decl.span) {
                tool.evidence.push(e);
            }
        }
        _ => {
            let mut from_name = tier::keyword_evidence(name, "name", true, path, decl.span);
            if decl.name != name {
                from_name.extend(tier::keyword_evidence(
                    &decl.name, "name", true, path, decl.span,
                ));
            }
            tool.evidence.extend(from_name);
            if let Some(d) = &decl.description {
                tool.evidence.extend(tier::keyword_evidence(
                    d,
                    "description",
                    false,
                    path,
                    decl.span,
                ));
            }
        }
    }
}

/// Annotation defaults for MCP tools, provider evidence from their tools, and the tier itself.
fn infer_tiers(tools: &mut BTreeMap<String, AgentTool>) {
    for tool in tools.values_mut() {
        let is_mcp_tool = !tool.is_provider && tool.id.starts_with("mcp:");
        if is_mcp_tool && let Some(source) = tool.sources.first().cloned() {
            let annotated = tool
                .sources
                .iter()
                .find(|s| s.how != "mcp-config-auto-approve")
                .unwrap_or(&source);
            tool.evidence.push(tier::annotation_evidence(
                tool.annotations,
                &annotated.path,
                annotated.span,
            ));
            // Declared hints that bound the tool outrank its description's words.
            if let Some(bound) = tier::annotation_bound(tool.annotations) {
                for e in &mut tool.evidence {
                    if e.kind == tier::EvidenceKind::Description {
                        e.outranked_by = Some(bound.to_owned());
                    }
                }
            }
        }
    }
    let mut by_provider: BTreeMap<String, Vec<(String, Tier, ToolSource)>> = BTreeMap::new();
    for tool in tools.values_mut() {
        tool.tier = tool
            .evidence
            .iter()
            .filter(|e| e.counts())
            .map(|e| e.tier)
            .max()
            .unwrap_or(Tier::Read);
        if let (Some(provider), Some(source)) = (&tool.provider, tool.sources.first()) {
            by_provider.entry(provider.clone()).or_default().push((
                tool.id.clone(),
                tool.tier,
                source.clone(),
            ));
        }
    }
    for provider in tools.values_mut().filter(|t| t.is_provider) {
        let provided = by_provider.remove(&provider.id).unwrap_or_default();
        let knows_package = provider
            .packages
            .iter()
            .any(|p| tier::package_evidence(&p.package.name, "", None).is_some());
        // Only configured servers whose tools cannot be seen get the worst case.
        let tools_known = provided
            .iter()
            .any(|(_, _, s)| s.how != "mcp-config-auto-approve");
        if !tools_known
            && !knows_package
            && let Some(source) = provider.sources.first()
        {
            provider.evidence.push(TierEvidence::new(
                Tier::WriteIrreversible,
                "tools not visible in this repository: MCP defaults apply (readOnlyHint=false, destructiveHint=true)",
                &source.path,
                source.span,
            ));
        }
        for (id, tier, source) in provided {
            provider.evidence.push(TierEvidence::new(
                tier,
                format!("provides `{id}` ({tier})"),
                &source.path,
                source.span,
            ));
        }
        provider.tier = provider
            .evidence
            .iter()
            .filter(|e| e.counts())
            .map(|e| e.tier)
            .max()
            .unwrap_or(Tier::Read);
    }
}

fn component_of(tool: &AgentTool) -> Component {
    let kind = if tool.is_provider {
        ComponentKind::ToolProvider
    } else {
        ComponentKind::Tool
    };
    let mut properties = BTreeMap::new();
    let mut set = |k: &str, v: serde_json::Value| {
        if !v.is_null() && v != serde_json::json!([]) {
            properties.insert(k.to_owned(), v);
        }
    };
    set("tool_id", tool.id.clone().into());
    set("inferred_tier", tool.tier.as_str().into());
    set(
        "tier_evidence",
        tool.deciding_evidence()
            .map(TierEvidence::describe)
            .collect::<Vec<_>>()
            .into(),
    );
    set(
        "defined_in",
        tool.sources
            .iter()
            .map(|s| s.how)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .into(),
    );
    set("description", tool.description.clone().into());
    set("definition_sites", tool.definition_sites().into());
    if let Some(a) = tool.annotations {
        set("annotations", serde_json::to_value(a).unwrap_or_default());
    }
    set(
        "auto_approval",
        tool.auto_approval
            .iter()
            .map(|a| a.setting)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .into(),
    );
    set(
        "packages",
        // Each launch once, however many client configs make it (each site is its own finding).
        tool.packages
            .iter()
            .map(|p| format!("{} {}", p.package.launcher, p.package.spec))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .into(),
    );
    set("transport", tool.transport.clone().into());
    set("url", tool.url.clone().into());
    set("env_keys", tool.env_keys.clone().into());
    set("filesystem_paths", tool.paths.clone().into());
    set(
        "literal_secrets",
        tool.secrets
            .iter()
            .map(|s| format!("{}.{}", s.field, s.key))
            .collect::<Vec<_>>()
            .into(),
    );
    if tool.disabled {
        set("disabled", true.into());
    }
    let path = tool.location().map(|s| s.path.clone());
    let mut component = Component::new(tool.component.clone(), kind, tool.id.clone(), path);
    component.properties = properties;
    component
}
